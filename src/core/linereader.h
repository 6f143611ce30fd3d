/* A bounded line reader: reads a stream line by line without ever holding
 * more than a fixed number of bytes, so a line of a gigabyte is refused
 * after reading its first max bytes, not after holding all of it (as
 * getline would). */
#ifndef PROXIMA_LINEREADER_H
#define PROXIMA_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct line_reader {
	FILE *in;
	char *buf;       /* max + 1 bytes, allocated by line_reader_open */
	size_t max;      /* longest line accepted, its end of line not counted */
	size_t pos, len; /* unread bytes are buf[pos, len) */
	bool eof;        /* the stream has no more bytes */
};

enum line_status {
	LINE_OK,       /* *line and *n hold the next line */
	LINE_END,      /* no more lines */
	LINE_TOO_LONG, /* the next line has more than max bytes (its end of line
	                  not counted): nothing more is read */
	LINE_ERROR,    /* the stream could not be read */
};

/* Prepares r to read in, lines of at most max bytes each (their '\n' not
 * counted), holding at most max + 1 bytes. Aborts on out-of-memory. Free
 * with line_reader_close. */
void line_reader_open(struct line_reader *r, FILE *in, size_t max);

/* The next line: *line points into r's buffer (valid until the next call)
 * and *n is its length with its end of line ('\n') left out; the last line
 * may lack one. After LINE_TOO_LONG or LINE_ERROR the reader is not to be
 * used again. */
enum line_status line_reader_next(struct line_reader *r, const char **line, size_t *n);

/* Frees r's buffer (not the stream). */
void line_reader_close(struct line_reader *r);

#endif
