#include "model/row.h"

#include <sodium.h>
#include <string.h>

#include "core/util.h"

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

void *row_next(struct db *db, struct db_stmt *s, struct arena *ar, struct row_array *rows,
	       size_t size, const char *event)
{
	int rc = db_step(s);
	if (rc == DB_ROW) {
		rows->v = arena_grow(ar, rows->v, rows->n, &rows->cap, size);
		char *item = (char *)rows->v + rows->n++ * size;
		memset(item, 0, size);
		rows->rc = 0;
		return item;
	}
	db_reset(s);
	rows->rc = rc == DB_DONE ? 0 : -1;
	if (rows->rc < 0)
		db_log_error(db, event);
	return NULL;
}

void row_drop(struct row_array *rows)
{
	BUG_ON(rows->n == 0);
	rows->n--;
}
