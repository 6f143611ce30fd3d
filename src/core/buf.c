#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->overflow = false;
}

void buf_free(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
	b->overflow = false;
}

/* Makes room for extra more bytes plus the NUL. Returns -1 past max. */
static int buf_grow(struct buf *b, size_t extra)
{
	if (extra > b->max - b->len) {
		b->overflow = true;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			die_oom();
		cap *= 2;
	}
	char *p = b->cap ? realloc(b->data, cap) : malloc(cap);
	if (!p)
		die_oom();
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_insert(struct buf *b, size_t at, const void *p, size_t n)
{
	BUG_ON(at > b->len);
	if (buf_grow(b, n) < 0)
		return -1;
	if (n) {
		memmove(b->data + at + n, b->data + at, b->len - at);
		memcpy(b->data + at, p, n);
	}
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return s ? buf_append(b, s, strlen(s)) : 0;
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return buf_append(b, small, (size_t)n);
	if (buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

void buf_truncate(struct buf *b, size_t len)
{
	BUG_ON(len > b->len);
	b->len = len;
	b->data[len] = '\0';
}

char *buf_detach(struct buf *b, size_t *len_out)
{
	char *p;
	if (b->cap) {
		p = b->data;
	} else {
		p = malloc(1);
		if (!p)
			die_oom();
		p[0] = '\0';
	}
	if (len_out)
		*len_out = b->len;
	buf_init(b, b->max);
	return p;
}
