#include "housekeeping.h"

#include <string.h>

#include "auth/session.h"
#include "auth/throttle.h"
#include "db/db.h"
#include "model/form_token.h"
#include "model/idempotency.h"

/* A store's bounded purge: deletes up to about batch rows expired at now
 * inside the caller's write unit; returns how many, or -1. */
typedef int (*purge_fn)(struct db *db, int64_t now, int batch);

/* One batch of a store's purge, as a write unit. */
struct batch {
	purge_fn purge;
	int64_t now;
	int deleted;
};

static enum db_unit_verdict batch_work(struct db *db, void *arg)
{
	struct batch *b = arg;
	b->deleted = b->purge(db, b->now, HOUSEKEEPING_BATCH);
	return b->deleted < 0 ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
}

/* Purges one store in batches. Returns the rows deleted, or -1. */
static int64_t drain(struct db *db, purge_fn purge, int64_t now)
{
	int64_t total = 0;
	for (int i = 0; i < HOUSEKEEPING_MAX_BATCHES; i++) {
		struct batch b = {purge, now, 0};
		if (db_unit_run(db, batch_work, &b, NULL) != DB_UNIT_COMMITTED)
			return -1;
		total += b.deleted;
		if (b.deleted < HOUSEKEEPING_BATCH)
			break;
	}
	return total;
}

/* The form tokens' purge: one indexed DELETE of every expired token (a
 * day's forms are few), as a write unit. */
struct form_tokens {
	int64_t now, deleted;
};

static enum db_unit_verdict form_tokens_work(struct db *db, void *arg)
{
	struct form_tokens *f = arg;
	f->deleted = form_token_purge(db, f->now - FORM_TOKEN_TTL);
	return f->deleted < 0 ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
}

/* The form tokens expired at now. Returns the rows deleted, or -1. */
static int64_t form_tokens(struct db *db, int64_t now)
{
	struct form_tokens f = {now, 0};
	return db_unit_run(db, form_tokens_work, &f, NULL) == DB_UNIT_COMMITTED ? f.deleted : -1;
}

int housekeeping_run(struct db *db, int64_t now, struct housekeeping_counts *out)
{
	memset(out, 0, sizeof(*out));
	out->idempotency = drain(db, idempotency_purge, now);
	out->throttle = drain(db, throttle_purge, now);
	out->sessions = drain(db, session_purge, now);
	out->form_tokens = form_tokens(db, now);
	return out->idempotency < 0 || out->throttle < 0 || out->sessions < 0 ||
			       out->form_tokens < 0
		       ? -1
		       : 0;
}
