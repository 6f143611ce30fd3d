#include "model/settings.h"
#include "model/row.h"

#include "core/util.h"

int settings_get(struct db *db, const char *key, char *out, size_t cap)
{
	if (cap)
		out[0] = '\0';
	sqlite3_stmt *s = db_stmt(db, STMT_SETTING_GET);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	int ret;
	if (rc == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(s, 0);
		str_copy(out, cap, v ? (const char *)v : "");
		ret = 0;
	} else if (rc == SQLITE_DONE) {
		ret = 1;
	} else {
		db_log_error(db, "settings.get");
		ret = -1;
	}
	sqlite3_reset(s);
	return ret;
}

int settings_put(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt *s = db_stmt(db, STMT_SETTING_PUT);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	if (row_exec(db, s, "settings.put") < 0)
		return -1;
	return 0;
}
