/* One-time form tokens: no duplicates from a page form, with or without
 * JavaScript. Every page form carries a token in the field
 * FORM_TOKEN_FIELD (views/form.h form_csrf_field writes it); the request
 * pipeline (src/app_write.c) stores the first 303 that a token got, in the
 * write unit of the write it answers, and answers a second POST of the
 * same token with that same 303 instead of writing again. Stored in the
 * database (several app servers share one), keyed by the person who
 * posted (0 for a public form without an account): a token of someone
 * else finds nothing. The API's twin is model/idempotency.h. */
#ifndef PROXIMA_MODEL_FORM_TOKEN_H
#define PROXIMA_MODEL_FORM_TOKEN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

/* The form field that carries the token, in every page form: a stable
 * name for scripts that post forms (docs/architecture.md). */
#define FORM_TOKEN_FIELD "form_token"

/* How long a token is honoured: a used token is remembered this long, and
 * a token issued longer ago is refused (its first answer may have been
 * forgotten), the form being given back to be sent again. */
#define FORM_TOKEN_TTL (24 * 3600)

/* A new token issued at now: "<now>.<22 random base64url characters>".
 * Arena string. */
const char *form_token_new(struct arena *a, int64_t now);

/* Reads the instant token was issued into *issued. Returns 0, or -1 when
 * the token is not of form_token_new's shape, or claims to be issued more
 * than FORM_TOKEN_TTL after now. */
int form_token_issued(const char *token, int64_t now, int64_t *issued);

/* True when a token issued at issued is too old to be honoured at now. */
bool form_token_expired(int64_t issued, int64_t now);

/* The first answer of token by person_id: the path it was posted to and
 * the Location of its 303 (arena strings). Returns 0 when found, 1 when
 * none, -1 on a database error (logged). */
int form_token_find(struct db *db, struct arena *a, int64_t person_id, const char *token,
		    const char **path, const char **location);

/* Stores the first answer of token by person_id (path, location) at now.
 * Call inside the write unit of the write it answers. Returns 0, 1 when
 * another request stored the same token first (nothing stored), or -1 on
 * a database error (logged). */
int form_token_store(struct db *db, int64_t person_id, const char *token, const char *path,
		     const char *location, int64_t now);

/* Forgets the tokens first used before the instant before (an index on the
 * instant keeps it quick). Housekeeping, off the write path. Returns the
 * number forgotten, or -1 (logged). */
int64_t form_token_purge(struct db *db, int64_t before);

#endif
