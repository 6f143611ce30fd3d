/* Browser sessions (sign-in throttling is auth/throttle.h). The session
 * token lives only in the client's cookie (HttpOnly, SameSite=Strict,
 * Secure over TLS); the database keeps its BLAKE2b hash. A session ends at
 * logout, after SESSION_TTL, or after SESSION_IDLE without a request. */
#ifndef PROXIMA_SESSION_H
#define PROXIMA_SESSION_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"

#define SESSION_COOKIE "proxima_session"
#define SESSION_TTL (12 * 3600)
#define SESSION_IDLE (8 * 3600)

/* The longest user agent kept with a session (longer ones are cut). */
#define SESSION_AGENT_MAX 200

/* Creates a session for person_id, opened by the browser user_agent (may
 * be NULL; kept to show the person their sessions). *token_out gets the
 * new token (arena string, 43 chars) to put in the cookie. Returns 0 or
 * -1. */
int session_create(struct db *db, struct arena *a, int64_t person_id, const char *user_agent,
		   const char **token_out);

/* Resolves a token to its person. Returns 0 and fills *out (strings in the
 * arena; out->session_id is the session's id), 1 when there is no such
 * live session, -1 on a database error. */
int session_resolve(struct db *db, struct arena *a, const char *token, struct actor *out);

/* Ends the session of token (nothing happens if there is none). */
int session_destroy(struct db *db, const char *token);

/* One live session, as its owner sees it (never its token). */
struct session_info {
	int64_t id;
	const char *user_agent; /* NULL when unknown */
	int64_t created_at, last_seen_at;
};

/* The live sessions of person_id, most recently seen first, into an arena
 * array. Returns 0 or -1. */
int session_list(struct db *db, struct arena *a, int64_t person_id, struct session_info **out,
		 size_t *n);

/* Ends session_id of person_id. Returns 0, 1 when person_id has no such
 * session, -1 on a database error. */
int session_end(struct db *db, int64_t person_id, int64_t session_id);

/* Ends every session of person_id (sign out everywhere; an account
 * deactivated or its password changed). Returns 0 or -1. */
int session_end_all(struct db *db, int64_t person_id);

/* Deletes up to about batch sessions past their lifetime or idle limit
 * as of instant now (the housekeeping; the caller holds a write
 * transaction). Returns how many, or -1 (logged). */
int session_purge(struct db *db, int64_t now, int batch);

#endif
