/* What the server keeps in memory between requests (issue 15).
 *
 * The answers every API write asks for, and that change rarely: the
 * person behind a bearer token, whether a reference code is valid for an
 * organisation, whether an organisation serves a territory, whether a
 * territory, a person or an organisation exists. On SQLite each
 * costs a re-read of its pages, because a connection forgets its page cache
 * whenever another connection has committed (every group commit); on
 * PostgreSQL each costs a round trip.
 *
 * Every change to the rows those answers come from adds one to
 * memo_epoch.n in the same transaction (triggers of migration 0025), whoever
 * makes it: the server, `proxima token revoke` in another process, an
 * import. A request reads n once, at its first question (one small read
 * instead of several); a remembered answer is used only while n is the one
 * it was read under. So a revoked token, a withdrawn code or a territory an
 * organisation no longer serves is refused by the next request, exactly as
 * without the memo. A token's own expiry is kept with it and checked at
 * every use.
 *
 * The memo answers only on a thread between memo_request_begin() and
 * memo_request_end() (the request pipeline), and never inside a
 * transaction (a write unit, whose own uncommitted writes n does not show
 * to others): there, and on any error, the callers read the database as
 * before. Its tables are fixed-size, process-wide and locked; what they
 * return is copied into the caller's arena. */
#ifndef PROXIMA_MODEL_MEMO_H
#define PROXIMA_MODEL_MEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/refdata.h"

/* A request starts (or ends) on this thread: the memo may answer until
 * the end. No database access here: n is read at the first question. */
void memo_request_begin(void);
void memo_request_end(void);

/* The person of the token whose digest is digest[32], remembered and still
 * valid at now: 1 with *out filled (strings in a), 0 when the caller must
 * read the database (then memo_token_keep what it found). */
int memo_token_find(struct db *db, struct arena *a, const unsigned char *digest, int64_t now,
		    struct actor *out);
/* Remembers the answer just read for digest (expires_at 0: never). */
void memo_token_keep(struct db *db, const unsigned char *digest, const struct actor *who,
		     int64_t expires_at);

/* Whether code is valid in list l for organisation org, remembered: 1 with
 * *valid set, 0 when the caller must read the database (then
 * memo_ref_keep). Codes longer than the memo keeps are never remembered. */
int memo_ref_find(struct db *db, enum ref_list l, const char *code, int64_t org, bool *valid);
void memo_ref_keep(struct db *db, enum ref_list l, const char *code, int64_t org, bool valid);

/* Whether organisation org serves territory, remembered: 1 with *serves
 * set, 0 when the caller must read the database (then memo_serves_keep). */
int memo_serves_find(struct db *db, int64_t org, int64_t territory, bool *serves);
void memo_serves_keep(struct db *db, int64_t org, int64_t territory, bool serves);

/* That a row exists (positive answers only: a row appears without
 * changing n, it disappears only by a DELETE, which changes it). */
enum memo_row { MEMO_ROW_TERRITORY, MEMO_ROW_PERSON, MEMO_ROW_ORGANISATION };
/* 1 when the row of kind with id is remembered to exist, 0 when the caller
 * must read the database (then memo_row_keep when it exists). */
int memo_row_find(struct db *db, enum memo_row kind, int64_t id);
void memo_row_keep(struct db *db, enum memo_row kind, int64_t id);

/* What the memo did since the process started (tests, the bench). */
struct memo_stats {
	uint64_t hits;   /* questions answered from memory */
	uint64_t misses; /* questions the database answered */
};
void memo_stats(struct memo_stats *out);

#endif
