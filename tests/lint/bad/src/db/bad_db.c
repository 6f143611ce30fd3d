/* fmtcheck fixture: every problem in this file is deliberate and listed in
 * tests/lint/expected.txt. Never compiled. */
#include <string.h>

#include "db/db.h"

int bad_db(sqlite3 *h, const char *name, enum stmt_id id)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT * FROM %s", name);
	sqlite3_exec(h, sql, NULL, NULL, NULL);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(h, stmt_name(id), -1, &s, NULL);
	sqlite3_prepare_v3(h, "SELECT 1" + 0, -1, 0, &s, NULL);
	char *save, *tok = strtok(sql, " ");
	(void)save;
	(void)tok;
	return vsprintf(sql, "%s", NULL);
}
