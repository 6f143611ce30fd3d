/* Housekeeping of `proxima serve`: the stores that expire are purged here,
 * never on a request's path nor inside its transaction:
 *   - idempotency answers older than 24 hours (api_idempotency_purge);
 *   - sign-in throttle counters and usual addresses past their expiry
 *     (throttle_purge);
 *   - sessions past their lifetime or idle limit (session_purge).
 * Each purge reads through an index on the expiry and deletes at most
 * HOUSEKEEPING_BATCH rows per transaction, so the write lock is held for
 * milliseconds whatever the size of the table. A thread of its own, with
 * its own connection, runs a pass at start and every HOUSEKEEPING_PERIOD_S
 * seconds. Every server of a deployment may run one: the purges are
 * idempotent. */
#ifndef PROXIMA_HOUSEKEEPING_H
#define PROXIMA_HOUSEKEEPING_H

#include <stdint.h>

struct db;

#define HOUSEKEEPING_PERIOD_S 60
#define HOUSEKEEPING_BATCH 1000
/* At most this many batches per store and pass: a backlog is worked off
 * over the next passes rather than in one long burst. */
#define HOUSEKEEPING_MAX_BATCHES 100

/* Rows deleted by one pass, by store. */
struct housekeeping_counts {
	int64_t idempotency, throttle, sessions;
};

/* One pass as of instant now: each store purged in batches (one
 * transaction each) until a batch deletes less than HOUSEKEEPING_BATCH.
 * *out gets the counts. Returns 0, or -1 on a database error (logged; the
 * batches already committed stay purged). */
int housekeeping_run(struct db *db, int64_t now, struct housekeeping_counts *out);

/* Starts the thread, which opens its own connection to location (a copy
 * is kept). Returns 0 or -1 (it could not start; logged). */
int housekeeping_start(const char *location);

/* Wakes the thread up, waits for it to finish its pass and closes its
 * connection. Does nothing when it was not started. */
void housekeeping_stop(void);

#endif
