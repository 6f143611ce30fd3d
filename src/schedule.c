#include "schedule.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "housekeeping.h"
#include "core/log.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/inbox.h"
#include "model/job.h"
#include "model/notify.h"
#include "model/referral.h"
#include "model/retention.h"

#define DAY_EVERY (24 * 3600 - 300) /* a little under a day: the run does not drift */
#define SCHEDULE_TICK_S 60          /* how often the thread looks at the table */

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool started, stop;
	struct schedule_options o;
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

static void run_daily(struct db *db, int64_t now)
{
	struct arena *ar = arena_new(1 << 16);
	struct retention_result res;
	if (retention_run(db, ar, now, false, &res) < 0)
		log_error("retention.daily", "reason=plan");
	arena_reset(ar);
	verify_and_anchor(db, ar, now);
	arena_free(ar);
}

/* The purges of what expires. */
static void run_housekeeping(struct db *db, int64_t now)
{
	struct housekeeping_counts c = {0};
	if (housekeeping_run(db, now, &c) < 0)
		log_warn("housekeeping.fail", "db=error");
	if (c.idempotency > 0 || c.throttle > 0 || c.sessions > 0 || c.form_tokens > 0)
		log_info("housekeeping.purged",
			 "idempotency=%lld throttle=%lld sessions=%lld form_tokens=%lld",
			 (long long)c.idempotency, (long long)c.throttle, (long long)c.sessions,
			 (long long)c.form_tokens);
}

/* One batch of reminders and expiries, as a write unit. */
struct referral_pass {
	int64_t now;
	size_t reminded, expired;
};

static enum db_unit_verdict referral_work(struct db *db, void *arg)
{
	struct referral_pass *p = arg;
	if (referral_remind_due(db, p->now, &p->reminded) < 0 ||
	    referral_expire_due(db, p->now, &p->expired) < 0)
		return DB_UNIT_DISCARD;
	return DB_UNIT_KEEP;
}

/* Reminders and expiry, in batches until none is left. */
static void run_referrals(struct db *db, int64_t now)
{
	for (int i = 0; i < 100; i++) {
		struct referral_pass p = {.now = now};
		if (db_unit_run(db, referral_work, &p, NULL) != DB_UNIT_COMMITTED) {
			log_error("referral.schedule", "reason=db");
			return;
		}
		if (p.reminded || p.expired)
			log_info("referral.schedule", "reminded=%zu expired=%zu", p.reminded,
				 p.expired);
		if (p.reminded < REFERRAL_DUE_BATCH && p.expired < REFERRAL_DUE_BATCH)
			return;
	}
}

struct survey_pass {
	int64_t now;
	size_t n;
};

static enum db_unit_verdict survey_work(struct db *db, void *arg)
{
	struct survey_pass *p = arg;
	return inbox_surveys_due(db, p->now, &p->n) < 0 ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
}

/* The wellbeing surveys that opened: one event per PAP and campaign. */
static void run_surveys(struct db *db, int64_t now)
{
	struct survey_pass p = {.now = now};
	if (db_unit_run(db, survey_work, &p, NULL) != DB_UNIT_COMMITTED)
		log_error("survey.schedule", "reason=db");
	else if (p.n)
		log_info("survey.schedule", "events=%zu", p.n);
}

static void run_mail(struct db *db, int64_t now)
{
	notify_send(db, NOTIFY_IMMEDIATE, now);
}

static void run_digest(struct db *db, int64_t now)
{
	notify_send(db, NOTIFY_DAILY, now);
}

/* The schedule: each job, its period and whether it is shared by the
 * servers of one database (claimed in job_run) or run by each. */
static const struct job {
	const char *name;
	int64_t every; /* seconds */
	bool shared;
	void (*run)(struct db *db, int64_t now);
} JOBS[] = {
	{"housekeeping", 60, false, run_housekeeping},
	{"daily", DAY_EVERY, true, run_daily},
	{"referrals", 3600, true, run_referrals},
	{"surveys", 3600, true, run_surveys},
	{"mail", 60, false, run_mail},
	{"digest", DAY_EVERY, true, run_digest},
};

/* When each job of this server last ran, on the monotonic clock (the
 * unshared ones; 0: never). */
static int64_t last_local[sizeof(JOBS) / sizeof(JOBS[0])];

static int64_t monotonic_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec + 1; /* never 0 */
}

/* One pass over the table: every job that is due runs. */
static void run_due(struct db *db)
{
	for (size_t i = 0; i < sizeof(JOBS) / sizeof(JOBS[0]); i++) {
		const struct job *j = &JOBS[i];
		int64_t now = ptime_now();
		if (j->shared) {
			if (job_claim(db, j->name, now, j->every) != 1)
				continue;
		} else {
			int64_t t = monotonic_s();
			if (last_local[i] && t - last_local[i] < j->every)
				continue;
			last_local[i] = t;
		}
		j->run(db, now);
	}
}

/* Waits up to SCHEDULE_TICK_S seconds or until asked to stop. True to go
 * on. */
static bool wait_a_while(void)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SCHEDULE_TICK_S;
	pthread_mutex_lock(&D.mu);
	while (!D.stop && pthread_cond_timedwait(&D.cv, &D.mu, &until) != ETIMEDOUT)
		;
	bool go = !D.stop;
	pthread_mutex_unlock(&D.mu);
	return go;
}

static void *schedule_main(void *arg)
{
	(void)arg;
	char err[512];
	struct db *db = db_open(D.o.db_path, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		char v[600];
		log_error("schedule.open", "reason=%s", log_value(v, sizeof(v), err));
		return NULL;
	}
	do
		run_due(db);
	while (wait_a_while());
	db_close(db);
	return NULL;
}

int schedule_start(const struct schedule_options *o)
{
	D.o = *o;
	D.stop = false;
	if (notify_init() < 0) {
		log_error("schedule.start", "reason=curl");
		return -1;
	}
	sigset_t stop, old;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	int rc = pthread_create(&D.thread, NULL, schedule_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("schedule.start", "errno=%d", rc);
		return -1;
	}
	D.started = true;
	return 0;
}

void schedule_stop(void)
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
