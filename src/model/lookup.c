#include "model/lookup.h"

int lookup_strings(struct db *db, struct arena *a, enum stmt_id sid, int64_t key, const char *event,
		   struct strlist *out)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, key);
	size_t cap = 0;
	out->v = NULL;
	out->n = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		out->v = arena_grow(a, out->v, out->n, &cap, sizeof(*out->v));
		out->v[out->n++] = db_col_text(a, s, 0);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, event);
		return -1;
	}
	return 0;
}

int64_t lookup_id(struct db *db, enum stmt_id sid, const char *ext, const char *event)
{
	if (!ext || !*ext)
		return 0;
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, ext);
	int rc = db_step(s);
	int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_log_error(db, event);
		return -1;
	}
	return id;
}
