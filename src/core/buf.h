/* Bounded growable byte buffer (after git's strbuf and curl's dynbuf).
 *
 * Invariants, true after every call:
 *  - data is never NULL and data[len] == '\0';
 *  - len <= max: an append that would pass max fails, sets overflow and
 *    leaves the content unchanged, so a half-written value never shows;
 *  - the buffer owns data (free it with buf_free or take it with
 *    buf_detach). */
#ifndef PROXIMA_BUF_H
#define PROXIMA_BUF_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	bool overflow;
};

extern char buf_empty[];

#define BUF_INIT(maxlen)                                                                  \
	{                                                                                 \
		.data = buf_empty, .len = 0, .cap = 0, .max = (maxlen), .overflow = false \
	}

/* Prepares b to hold at most max bytes. Allocates nothing. */
void buf_init(struct buf *b, size_t max);

/* Frees b's memory and makes it empty again (max is kept). */
void buf_free(struct buf *b);

/* Empties b but keeps its memory. */
void buf_reset(struct buf *b);

/* Appends n bytes. Returns 0, or -1 when the result would pass max.
 * Aborts on out-of-memory. */
int buf_append(struct buf *b, const void *p, size_t n);

/* Inserts n bytes at offset at (at <= len), moving what follows. Returns
 * 0, or -1 when the result would pass max (b unchanged). */
int buf_insert(struct buf *b, size_t at, const void *p, size_t n);

/* Appends a NUL-terminated string (NULL appends nothing). */
int buf_puts(struct buf *b, const char *s);

/* Appends one byte. */
int buf_putc(struct buf *b, char c);

/* printf-style append, for plain text (logs, headers, CSV numbers).
 * HTML goes through html_printf(), never this. */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Shortens b to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);

/* Hands b's memory to the caller, who frees it with free(). b is left
 * empty. The result is never NULL. *len_out (if given) gets the length. */
char *buf_detach(struct buf *b, size_t *len_out);

#endif
