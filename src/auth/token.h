/* Bearer tokens for integrations ("Authorization: Bearer <token>"). A token
 * is 32 random bytes in base64url (43 characters), shown once when created;
 * the database keeps only its BLAKE2b hash, like sessions. A token acts as
 * the person it was created for, with that person's role and scope, until
 * it is revoked (or its optional expiry passes, or the account is
 * deactivated). Requests carrying one are exempt from CSRF: a bearer token
 * is never sent by a browser on its own. */
#ifndef PROXIMA_TOKEN_H
#define PROXIMA_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"

#define TOKEN_NAME_MAX 100
#define TOKEN_DIGEST_LEN 32

/* The BLAKE2b digest under which a random token (43 base64url characters,
 * as csrf_new_token makes them) is stored: API tokens, one-time account
 * links, sign-in challenges. Returns 0, or -1 for anything but a
 * well-formed token, which then never reaches the database. */
int token_digest(const char *token, unsigned char out[TOKEN_DIGEST_LEN]);

struct api_token {
	int64_t id;
	const char *owner; /* the person's e-mail (or ext id) */
	const char *name;
	int64_t created_at;
	int64_t expires_at; /* 0: never */
	int64_t revoked_at; /* 0: live */
};

/* Creates a token for person_id, labelled name (1..TOKEN_NAME_MAX bytes of
 * UTF-8), valid until expires_at (0 = no expiry). *token_out gets the
 * token (arena string, 43 chars: the only time it exists in clear) and
 * *id_out (may be NULL) its id. Returns 0 or -1 (logged). */
int token_create(struct db *db, struct arena *a, int64_t person_id, const char *name,
		 int64_t expires_at, const char **token_out, int64_t *id_out);

/* Resolves a token to its person. Returns 0 and fills *out (strings in the
 * arena), 1 when the token is malformed, unknown, revoked or expired, or
 * the account inactive, -1 on a database error. */
int token_resolve(struct db *db, struct arena *a, const char *token, struct actor *out);

/* Revokes token id. Returns 0, 1 when there is no such live token, -1 on a
 * database error. */
int token_revoke(struct db *db, int64_t id);

/* Revokes every live token of person_id (an account deactivated).
 * Returns 0 or -1. */
int token_revoke_all(struct db *db, int64_t person_id);

/* Every token (live and revoked), oldest first, into an arena array.
 * Returns 0 or -1. */
int token_list(struct db *db, struct arena *a, struct api_token **out, size_t *n);

#endif
