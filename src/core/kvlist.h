/* An append-only list of key/value pairs in an arena (the headers, query,
 * cookies, form fields and route captures of a request). */
#ifndef PROXIMA_KVLIST_H
#define PROXIMA_KVLIST_H

#include <stddef.h>

#include "core/arena.h"

struct kv {
	const char *key;
	const char *val;
};

/* Lookups return the first match. Zero-initialise before use. */
struct kvlist {
	struct kv *v;
	size_t n, cap;
};

/* Appends a pair; the strings are not copied (the caller keeps them alive
 * as long as the list, usually in the same arena a). */
void kvlist_add(struct arena *a, struct kvlist *l, const char *key, const char *val);

/* First value for key (case-sensitive), or NULL. Borrowed from the list. */
const char *kvlist_get(const struct kvlist *l, const char *key);

#endif
