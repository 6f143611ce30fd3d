/* Cookie header parsing and Set-Cookie building. */
#ifndef PROXIMA_COOKIE_H
#define PROXIMA_COOKIE_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/kvlist.h"

struct cookie_opts {
	long max_age; /* seconds; 0 = session cookie; <0 = delete */
	bool http_only;
	bool secure;
	const char *same_site; /* "Strict", "Lax"; NULL = Strict */
	const char *path;      /* NULL = "/" */
};

/* Parses "a=1; b=2" into out. Values must be valid UTF-8; surrounding
 * quotes are removed. Returns 0 or -1. */
int cookie_parse(struct arena *a, const char *header, struct kvlist *out);

/* Builds a Set-Cookie value in the arena. name and value must be cookie
 * tokens (the caller uses generated values only). Returns NULL if not. */
const char *cookie_build(struct arena *a, const char *name, const char *value,
			 const struct cookie_opts *o);

#endif
