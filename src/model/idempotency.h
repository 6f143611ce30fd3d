/* The API's Idempotency-Key (docs/api.md): the first answer of a keyed
 * write, its status and JSON body, stored in the write unit of that write
 * so that a crash never keeps the record without the key (a retry would
 * then create a second record) or the key without the record. Keyed by
 * the person who wrote: someone else's key finds nothing. The pages' twin
 * is model/form_token.h. Callers: src/api/idempotency.c. */
#ifndef PROXIMA_MODEL_IDEMPOTENCY_H
#define PROXIMA_MODEL_IDEMPOTENCY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

/* How long an answer is kept, in seconds: a key older than that has
 * expired (a new write again), purged or not. */
#define IDEMPOTENCY_TTL (24 * 3600)

/* A stored answer. */
struct idempotency_answer {
	const char *method, *path; /* of the first request */
	int status;
	const char *body; /* body_len bytes of JSON (may be empty) */
	size_t body_len;
};

/* The answer stored for key by person_id and not expired at instant now,
 * into *out (arena strings). Returns 0 when found, 1 when none (or
 * expired), -1 on a database error (logged). */
int idempotency_find(struct db *db, struct arena *a, int64_t person_id, const char *key,
		     int64_t now, struct idempotency_answer *out);

/* Stores ans as the answer of key by person_id, at now (replacing an
 * expired answer of the same key). Call inside the write unit of the write
 * it answers. Returns 0 or -1 (logged). */
int idempotency_store(struct db *db, int64_t person_id, const char *key,
		      const struct idempotency_answer *ans, int64_t now);

/* Forgets about batch of the answers expired at instant now, the oldest
 * first (more only when several share the cut-off second), reading through
 * the index on their time (migration 0015_hardening): a short write
 * whatever the size of the table. The housekeeping's (src/housekeeping.c),
 * never a write's; the caller holds the write unit. Returns the number
 * forgotten, or -1 (logged). */
int idempotency_purge(struct db *db, int64_t now, int batch);

#endif
