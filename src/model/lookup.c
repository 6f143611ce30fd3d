#include "model/lookup.h"

int lookup_strings(struct db *db, struct arena *a, enum stmt_id sid, int64_t key, const char *event,
		   struct strlist *out)
{
	sqlite3_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, key);
	size_t cap = 0;
	out->v = NULL;
	out->n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->v = arena_grow(a, out->v, out->n, &cap, sizeof(*out->v));
		out->v[out->n++] = db_col_text(a, s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		db_log_error(db, event);
		return -1;
	}
	return 0;
}

int64_t lookup_id(struct db *db, enum stmt_id sid, const char *ext, const char *event)
{
	if (!ext || !*ext)
		return 0;
	sqlite3_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, ext, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_log_error(db, event);
		return -1;
	}
	return id;
}
