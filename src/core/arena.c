#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define ARENA_ALIGN 16u

struct arena_block {
	struct arena_block *next;
	size_t cap;
	size_t used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct arena_block *head;  /* current block */
	struct arena_block *first; /* the block made by arena_new, kept by reset */
	size_t block_size;
	size_t total;
};

static struct arena_block *arena_block_new(size_t cap)
{
	if (cap > SIZE_MAX - sizeof(struct arena_block))
		die_oom();
	struct arena_block *b = malloc(sizeof(*b) + cap);
	if (!b)
		die_oom();
	b->next = NULL;
	b->cap = cap;
	b->used = 0;
	return b;
}

struct arena *arena_new(size_t block_size)
{
	struct arena *a = malloc(sizeof(*a));
	if (!a)
		die_oom();
	a->block_size = block_size < 256 ? 256 : block_size;
	a->head = arena_block_new(a->block_size);
	a->first = a->head;
	a->total = 0;
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void arena_reset(struct arena *a)
{
	/* Big one-off blocks are linked behind the current block, so the
	 * first block is not always last in the list: keep it by identity. */
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		if (b != a->first)
			free(b);
		b = next;
	}
	a->first->next = NULL;
	a->first->used = 0;
	a->head = a->first;
	a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (n > SIZE_MAX - ARENA_ALIGN)
		die_oom();
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct arena_block *b = a->head;
	if (b->cap - b->used < need) {
		size_t cap = need > a->block_size ? need : a->block_size;
		struct arena_block *nb = arena_block_new(cap);
		/* Big one-off blocks go behind the current one, so the
		 * current block's free space is not wasted. */
		if (need > a->block_size / 2 && b->cap - b->used > ARENA_ALIGN * 4) {
			nb->next = b->next;
			b->next = nb;
			nb->used = need;
			a->total += need;
			return nb->data;
		}
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		die_oom();
	void *p = arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t elem)
{
	if (v && n < *cap)
		return v;
	size_t ncap = *cap ? *cap * 2 : 8;
	if (elem && ncap > SIZE_MAX / elem)
		die_oom();
	/* v the last allocation of the current block, with room behind it:
	 * grow it where it is (no copy, no fresh pages for a copy). */
	struct arena_block *b = a->head;
	if (v && *cap) {
		size_t old = (*cap * elem + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
		size_t more = ((ncap * elem + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1)) - old;
		if (b->used >= old && (unsigned char *)v == b->data + (b->used - old) &&
		    more <= b->cap - b->used) {
			b->used += more;
			a->total += more;
			*cap = ncap;
			return v;
		}
	}
	void *nv = arena_alloc(a, ncap * elem);
	if (n)
		memcpy(nv, v, n * elem);
	*cap = ncap;
	return nv;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
