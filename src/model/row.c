#include "model/row.h"

#include <sodium.h>

const char *row_new_ext_id(struct arena *a, const char *prefix)
{
	unsigned char r[8];
	char hex[17];
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(hex, sizeof(hex), r, sizeof(r));
	return arena_printf(a, "%s-%s", prefix, hex);
}

void row_bind_opt(struct db_stmt *s, int i, const char *t)
{
	if (t && *t)
		db_bind_text(s, i, t);
	else
		db_bind_null(s, i);
}

int row_exec(struct db *db, struct db_stmt *s, const char *event)
{
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, event);
		return -1;
	}
	return 0;
}

int row_exec_id(struct db *db, enum stmt_id sid, int64_t id, const char *text, const char *event)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if (text)
		db_bind_text(s, 2, text);
	return row_exec(db, s, event);
}

int row_fetch(struct db *db, struct db_stmt *s, const char *event)
{
	int rc = db_step(s);
	if (rc == DB_ROW)
		return 0;
	db_reset(s);
	if (rc == DB_DONE)
		return 1;
	db_log_error(db, event);
	return -1;
}
