#include "model/job.h"

int job_claim(struct db *db, const char *name, int64_t now, int64_t every)
{
	struct db_stmt *s = db_stmt(db, STMT_JOB_CLAIM);
	if (!s)
		return -1;
	db_bind_text(s, 1, name);
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, now - every);
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "job.claim");
		return -1;
	}
	return db_changes(db) == 1 ? 1 : 0;
}
