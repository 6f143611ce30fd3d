/* Per-request memory pool (after h2o's mem pool): many small allocations,
 * one free. Nothing allocated from an arena is freed individually. */
#ifndef PROXIMA_ARENA_H
#define PROXIMA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Creates an arena whose blocks are at least block_size bytes. Aborts on
 * out-of-memory. The caller owns the arena and frees it with arena_free(). */
struct arena *arena_new(size_t block_size);

/* Frees the arena and everything allocated from it. NULL is allowed. */
void arena_free(struct arena *a);

/* Forgets every allocation but keeps the first block for reuse, so a
 * long-lived arena can serve one request after another without malloc. */
void arena_reset(struct arena *a);

/* Returns n bytes aligned for any type, owned by the arena. n may be 0.
 * Aborts on out-of-memory or size overflow. */
void *arena_alloc(struct arena *a, size_t n);

/* Like arena_alloc, zero-filled. */
void *arena_calloc(struct arena *a, size_t count, size_t size);

/* Growable arena arrays: returns v when it has room for one more element
 * of elem bytes (n < *cap), else an array of twice the capacity (at least
 * 8) holding v's n elements, and updates *cap. v may be NULL with *cap 0.
 * v must be an array of *cap elements from a (arena_grow's, or
 * arena_alloc'd with that size). When v is the last allocation of the
 * arena's current block and the block has room, v itself grows (the same
 * pointer is returned); otherwise the array is new and the old one is
 * simply left in the arena. */
void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t elem);

/* Copies the NUL-terminated s (NULL gives NULL) into the arena. */
char *arena_strdup(struct arena *a, const char *s);

/* Copies n bytes of s and adds a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* printf into a new arena string. Only for text that is not HTML or SQL. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bytes handed out since creation or the last reset. */
size_t arena_used(const struct arena *a);

#endif
