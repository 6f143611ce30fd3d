/* The one background schedule of `proxima serve`: a table of jobs, each
 * with its period, run in a thread of its own with its own database
 * connection (schedule.c):
 *   - housekeeping, every minute, on every server: the purges of what
 *     expires (housekeeping.h);
 *   - daily, once a day across servers: retention (model/retention.h),
 *     then the access log verified, its head logged and anchored;
 *   - referrals, every hour across servers: reminders and expiry
 *     (referral_remind_due, referral_expire_due);
 *   - surveys, every hour across servers: the PAP whose wellbeing survey
 *     opened get an inbox event (inbox_surveys_due);
 *   - mail, every minute: the events of people who chose immediate e-mail;
 *     digest, once a day across servers: the daily digests (model/notify.h).
 * A job shared across servers is claimed in job_run (model/job.h), so
 * several servers on one database run it once per period. The first pass
 * comes at start. Time is ptime_now() (PROXIMA_NOW injectable: with a
 * fixed clock, each shared job runs once, at start). */
#ifndef PROXIMA_SCHEDULE_H
#define PROXIMA_SCHEDULE_H

struct schedule_options {
	const char *db_path; /* the database (a SQLite path or a PostgreSQL URL) */
	const char *anchors; /* the anchors file */
};

/* Starts the thread (SIGINT and SIGTERM stay blocked in it, for the
 * server's sigwait). o's strings must live until schedule_stop. Returns 0
 * or -1 (logged). */
int schedule_start(const struct schedule_options *o);

/* Asks the thread to stop and waits for it (a job under way finishes
 * first). Does nothing when it was not started. */
void schedule_stop(void);

#endif
