#include "model/settings.h"
#include "model/row.h"

#include "core/util.h"

int settings_get(struct db *db, const char *key, char *out, size_t cap)
{
	if (cap)
		out[0] = '\0';
	struct db_stmt *s = db_stmt(db, STMT_SETTING_GET);
	if (!s)
		return -1;
	db_bind_text(s, 1, key);
	int rc = db_step(s);
	int ret;
	if (rc == DB_ROW) {
		const char *v = db_col_cstr(s, 0);
		str_copy(out, cap, v ? v : "");
		ret = 0;
	} else if (rc == DB_DONE) {
		ret = 1;
	} else {
		db_log_error(db, "settings.get");
		ret = -1;
	}
	db_reset(s);
	return ret;
}

int settings_put(struct db *db, const char *key, const char *value)
{
	struct db_stmt *s = db_stmt(db, STMT_SETTING_PUT);
	if (!s)
		return -1;
	db_bind_text(s, 1, key);
	db_bind_text(s, 2, value);
	if (row_exec(db, s, "settings.put") < 0)
		return -1;
	return 0;
}

static enum db_unit_verdict put_all_unit(struct db *db, void *arg)
{
	const char *const *kv = arg;
	for (size_t i = 0; kv[i]; i += 2)
		if (settings_put(db, kv[i], kv[i + 1]) < 0)
			return DB_UNIT_DISCARD;
	return DB_UNIT_KEEP;
}

int settings_put_all(struct db *db, const char *const *kv)
{
	/* A unit's argument is mutable; the pairs are only read. */
	return db_unit_run(db, put_all_unit, (void *)kv, NULL) == DB_UNIT_COMMITTED ? 0 : -1;
}
