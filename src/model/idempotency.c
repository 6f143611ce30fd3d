/* The API's Idempotency-Key (idempotency.h). */
#include "model/idempotency.h"

#include "model/row.h"

int idempotency_find(struct db *db, struct arena *a, int64_t person_id, const char *key,
		     int64_t now, struct idempotency_answer *out)
{
	struct db_stmt *s = db_stmt(db, STMT_IDEM_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_text(s, 2, key);
	db_bind_int64(s, 3, now - IDEMPOTENCY_TTL);
	int r = row_fetch(db, s, "idempotency.get");
	if (r != 0)
		return r;
	out->method = db_col_text(a, s, 0);
	out->path = db_col_text(a, s, 1);
	out->status = db_col_int(s, 2);
	out->body_len = db_col_bytes(s, 3);
	out->body = out->body_len ? arena_strndup(a, db_col_cstr(s, 3), out->body_len) : "";
	db_reset(s);
	return 0;
}

int idempotency_store(struct db *db, int64_t person_id, const char *key,
		      const struct idempotency_answer *ans, int64_t now)
{
	struct db_stmt *s = db_stmt(db, STMT_IDEM_PUT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_text(s, 2, key);
	db_bind_text(s, 3, ans->method);
	db_bind_text(s, 4, ans->path);
	db_bind_int(s, 5, ans->status);
	db_bind_textn(s, 6, ans->body, ans->body_len);
	db_bind_int64(s, 7, now);
	return row_exec(db, s, "idempotency.put");
}

int idempotency_purge(struct db *db, int64_t now, int batch)
{
	struct db_stmt *s = db_stmt(db, STMT_IDEM_PURGE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, now - IDEMPOTENCY_TTL);
	db_bind_int(s, 2, batch > 0 ? batch - 1 : 0);
	if (row_exec(db, s, "idempotency.purge") < 0)
		return -1;
	return (int)db_changes(db);
}
