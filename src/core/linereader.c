#include "core/linereader.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

void line_reader_open(struct line_reader *r, FILE *in, size_t max)
{
	BUG_ON(max == 0);
	*r = (struct line_reader){.in = in, .max = max};
	r->buf = malloc(max + 1);
	if (!r->buf)
		die_oom();
}

enum line_status line_reader_next(struct line_reader *r, const char **line, size_t *n)
{
	for (;;) {
		char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		if (nl) {
			*line = r->buf + r->pos;
			*n = (size_t)(nl - *line);
			r->pos += *n + 1;
			return LINE_OK;
		}
		if (r->len - r->pos > r->max)
			return LINE_TOO_LONG;
		if (r->eof) {
			if (r->pos == r->len)
				return LINE_END;
			*line = r->buf + r->pos;
			*n = r->len - r->pos;
			r->pos = r->len;
			return LINE_OK;
		}
		/* Keep the start of the unfinished line, then fill the buffer. */
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
		size_t got = fread(r->buf + r->len, 1, r->max + 1 - r->len, r->in);
		r->len += got;
		if (got == 0) {
			if (ferror(r->in))
				return LINE_ERROR;
			r->eof = true;
		}
	}
}

void line_reader_close(struct line_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}
