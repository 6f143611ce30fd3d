/* fmtcheck fixture: everything here is allowed (this is under src/db/);
 * fmtcheck must print nothing. Never compiled. */
#include "db/db.h"

static int run(sqlite3 *h, const char *sql)
{
	return sqlite3_exec(h, sql, NULL, NULL, NULL);
}

int ok_db(sqlite3 *h, enum stmt_id id)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v3(h, stmt_sql(id), -1, SQLITE_PREPARE_PERSISTENT, &s, NULL))
		return -1;
	if (sqlite3_prepare_v2(h,
			       "SELECT count(*) "
			       "FROM sqlite_master",
			       -1, &s, NULL))
		return -1;
	return run(h, "PRAGMA foreign_keys=ON") | run(h, "BEGIN IMMEDIATE");
}
