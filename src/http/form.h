/* Request body and query parsing: application/x-www-form-urlencoded and
 * multipart/form-data. Every decoded name and text value must be valid
 * UTF-8; file parts are kept as bytes for the handler to validate. */
#ifndef PROXIMA_FORM_H
#define PROXIMA_FORM_H

#include <stddef.h>

#include "core/arena.h"
#include "core/kvlist.h"

#define FORM_MAX_FIELDS 1000
#define FORM_MAX_PARTS 256

/* A file part of a multipart body. */
struct upload {
	const char *field;
	const char *filename;
	const char *content_type;
	const char *data;
	size_t len;
};

/* Parses "a=1&b=x%20y" (n bytes at s, not necessarily NUL-terminated) into
 * out, in the arena. Returns 0, or -1 on a malformed escape, invalid
 * UTF-8 or more than FORM_MAX_FIELDS fields. */
int form_parse_urlencoded(struct arena *a, const char *s, size_t n, struct kvlist *out);

/* Parses a multipart body. content_type is the whole header (it carries
 * the boundary). Text parts go to fields, parts with a filename to
 * *uploads (an arena array of *nuploads). Returns 0 or -1. */
int form_parse_multipart(struct arena *a, const char *body, size_t n, const char *content_type,
			 struct kvlist *fields, struct upload **uploads, size_t *nuploads);

#endif
