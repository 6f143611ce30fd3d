#include "daily.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/job.h"
#include "model/retention.h"

#define DAILY_EVERY (24 * 3600 - 300) /* a little under a day: the run does not drift */
#define DAILY_CHECK_S 600             /* how often the thread looks at the clock */

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started, stop;
	struct daily_options o;
} D = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* Verifies the access log against the anchors, logs the head and, when
 * intact, appends it to the anchors. */
static void verify_and_anchor(struct db *db, struct arena *ar, int64_t now)
{
	struct audit_anchor *anchors;
	size_t n;
	char err[512];
	struct audit_check c;
	if (audit_anchor_read(D.o.anchors, ar, &anchors, &n, err, sizeof(err)) < 0) {
		char v[600];
		log_error("audit.daily", "reason=%s", log_value(v, sizeof(v), err));
		return;
	}
	if (audit_verify(db, anchors, n, &c) < 0) {
		log_error("audit.daily", "reason=db");
		return;
	}
	char hex[AUDIT_HEAD_HEX];
	audit_head_hex(c.head, hex);
	if (c.verdict != AUDIT_INTACT) {
		char v[300];
		log_error("audit.daily", "intact=0 entry=%lld reason=%s", (long long)c.bad_id,
			  log_value(v, sizeof(v), audit_verdict_text(c.verdict)));
		return;
	}
	struct audit_anchor a = {.at = now, .id = c.last_id};
	memcpy(a.head, c.head, AUDIT_HASH_LEN);
	int rc = audit_anchor_append(D.o.anchors, &a);
	log_info("audit.daily", "intact=1 entries=%lld anchors=%zu head=%s anchored=%d",
		 (long long)c.count, c.anchors, hex, rc == 0 ? 1 : 0);
}

static void run_once(struct db *db, int64_t now)
{
	struct arena *ar = arena_new(1 << 16);
	struct retention_result res;
	if (retention_run(db, ar, now, false, &res) < 0)
		log_error("retention.daily", "reason=plan");
	arena_reset(ar);
	verify_and_anchor(db, ar, now);
	arena_free(ar);
}

/* Waits up to DAILY_CHECK_S seconds or until asked to stop. True to go on. */
static bool wait_a_while(void)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += DAILY_CHECK_S;
	pthread_mutex_lock(&D.mu);
	while (!D.stop && pthread_cond_timedwait(&D.cv, &D.mu, &until) != ETIMEDOUT)
		;
	bool go = !D.stop;
	pthread_mutex_unlock(&D.mu);
	return go;
}

static void *daily_main(void *arg)
{
	(void)arg;
	char err[512];
	struct db *db = db_open(D.o.db_path, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		char v[600];
		log_error("daily.open", "reason=%s", log_value(v, sizeof(v), err));
		return NULL;
	}
	do {
		int64_t now = ptime_now();
		int claimed = job_claim(db, "daily", now, DAILY_EVERY);
		if (claimed == 1)
			run_once(db, now);
	} while (wait_a_while());
	db_close(db);
	return NULL;
}

int daily_start(const struct daily_options *o)
{
	D.o = *o;
	D.stop = false;
	sigset_t stop, old;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	int rc = pthread_create(&D.thread, NULL, daily_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("daily.start", "errno=%d", rc);
		return -1;
	}
	D.started = true;
	return 0;
}

void daily_stop(void)
{
	if (!D.started)
		return;
	pthread_mutex_lock(&D.mu);
	D.stop = true;
	pthread_cond_signal(&D.cv);
	pthread_mutex_unlock(&D.mu);
	pthread_join(D.thread, NULL);
	D.started = false;
}
