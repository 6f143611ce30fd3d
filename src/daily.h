/* The daily run of `proxima serve`, in a thread of its own with its own
 * database connection: once a day (job "daily", claimed by one server when
 * several share a database), retention anonymises the closed files past
 * their period (model/retention.h), then the access log is verified, its
 * head logged and appended to the anchors (model/audit.h). The first run
 * comes at start when the last one is a day old or more. Time is
 * ptime_now() (PROXIMA_NOW injectable: with a fixed clock, one run). */
#ifndef PROXIMA_DAILY_H
#define PROXIMA_DAILY_H

struct daily_options {
	const char *db_path; /* the database (a SQLite path or a PostgreSQL URL) */
	const char *anchors; /* the anchors file */
};

/* Starts the thread (SIGINT and SIGTERM stay blocked in it, for the
 * server's sigwait). o's strings must live until daily_stop. Returns 0 or
 * -1 (logged). */
int daily_start(const struct daily_options *o);

/* Asks the thread to stop and waits for it (a run under way finishes
 * first). Does nothing when it was not started. */
void daily_stop(void);

#endif
