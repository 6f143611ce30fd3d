#include "housekeeping.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"

/* A store's purge: deletes up to about batch expired rows as of now inside
 * the caller's transaction; returns how many, or -1. */
typedef int (*purge_fn)(struct db *db, int64_t now, int batch);

/* Purges one store in batches. Returns the rows deleted, or -1. */
static int64_t drain(struct db *db, purge_fn purge, int64_t now)
{
	int64_t total = 0;
	for (int i = 0; i < HOUSEKEEPING_MAX_BATCHES; i++) {
		if (db_begin(db) < 0)
			return -1;
		int n = purge(db, now, HOUSEKEEPING_BATCH);
		if (n < 0 || db_commit(db) < 0) {
			db_rollback(db);
			return -1;
		}
		total += n;
		if (n < HOUSEKEEPING_BATCH)
			break;
	}
	return total;
}

int housekeeping_run(struct db *db, int64_t now, struct housekeeping_counts *out)
{
	memset(out, 0, sizeof(*out));
	out->idempotency = drain(db, api_idempotency_purge, now);
	out->throttle = drain(db, throttle_purge, now);
	out->sessions = drain(db, session_purge, now);
	return out->idempotency < 0 || out->throttle < 0 || out->sessions < 0 ? -1 : 0;
}

static struct {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	pthread_t thread;
	bool started, stopping;
	char *location;
} hk = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* One pass on *db, opening it first when needed (and again after a
 * failure, in case the server went away). */
static void pass(struct db **db)
{
	if (!*db) {
		char err[512];
		*db = db_open(hk.location, DB_OPEN_EXISTING, err, sizeof(err));
		if (!*db) {
			char v[600];
			log_error("housekeeping.open", "error=%s", log_value(v, sizeof(v), err));
			return;
		}
	}
	struct housekeeping_counts c;
	if (housekeeping_run(*db, ptime_now(), &c) < 0) {
		db_close(*db);
		*db = NULL;
	}
	if (c.idempotency > 0 || c.throttle > 0 || c.sessions > 0)
		log_info("housekeeping.purged", "idempotency=%lld throttle=%lld sessions=%lld",
			 (long long)c.idempotency, (long long)c.throttle, (long long)c.sessions);
}

static void *loop(void *arg)
{
	(void)arg;
	struct db *db = NULL;
	pthread_mutex_lock(&hk.mu);
	while (!hk.stopping) {
		pthread_mutex_unlock(&hk.mu);
		pass(&db);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += HOUSEKEEPING_PERIOD_S;
		pthread_mutex_lock(&hk.mu);
		while (!hk.stopping && pthread_cond_timedwait(&hk.wake, &hk.mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&hk.mu);
	db_close(db);
	return NULL;
}

int housekeeping_start(const char *location)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&hk.wake, &ca);
	pthread_condattr_destroy(&ca);
	hk.location = strdup(location);
	if (!hk.location)
		die_oom();
	hk.stopping = false;
	if (pthread_create(&hk.thread, NULL, loop, NULL) != 0) {
		log_error("housekeeping.start", "reason=thread");
		free(hk.location);
		hk.location = NULL;
		return -1;
	}
	hk.started = true;
	return 0;
}

void housekeeping_stop(void)
{
	if (!hk.started)
		return;
	pthread_mutex_lock(&hk.mu);
	hk.stopping = true;
	pthread_cond_signal(&hk.wake);
	pthread_mutex_unlock(&hk.mu);
	pthread_join(hk.thread, NULL);
	pthread_cond_destroy(&hk.wake);
	free(hk.location);
	hk.location = NULL;
	hk.started = false;
}
