/* Housekeeping of `proxima serve`: the stores that expire are purged here,
 * never on a request's path nor inside its write unit:
 *   - idempotency answers older than IDEMPOTENCY_TTL (idempotency_purge);
 *   - sign-in throttle counters and known devices past their expiry
 *     (throttle_purge);
 *   - sessions past their lifetime or idle limit (session_purge);
 *   - one-time form tokens older than FORM_TOKEN_TTL (form_token_purge).
 * Each purge reads through an index on the expiry; the first three delete
 * at most HOUSEKEEPING_BATCH rows per write unit, so the write lock is held
 * for milliseconds whatever the size of the table. The server runs a pass
 * every minute (src/schedule.c, the one background schedule, on its own
 * connection). Every server of a deployment may: the purges are
 * idempotent. */
#ifndef PROXIMA_HOUSEKEEPING_H
#define PROXIMA_HOUSEKEEPING_H

#include <stdint.h>

struct db;

#define HOUSEKEEPING_BATCH 1000
/* At most this many batches per store and pass: a backlog is worked off
 * over the next passes rather than in one long burst. */
#define HOUSEKEEPING_MAX_BATCHES 100

/* Rows deleted by one pass, by store. */
struct housekeeping_counts {
	int64_t idempotency, throttle, sessions, form_tokens;
};

/* One pass as of instant now: each store purged in batches (one write unit
 * each) until a batch deletes less than HOUSEKEEPING_BATCH. *out gets the
 * counts. Returns 0, or -1 on a database error (logged; the batches
 * already committed stay purged). */
int housekeeping_run(struct db *db, int64_t now, struct housekeeping_counts *out);

#endif
