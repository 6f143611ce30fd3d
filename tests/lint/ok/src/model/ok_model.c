/* fmtcheck fixture: the model runs statements and opens its own write
 * units; a "status" that is not an HTTP status is fine outside pages. */
int ok_model_read(struct db *db, struct arena *a, int64_t id, const char **out)
{
	struct db_stmt *s = db_stmt(db, STMT_ACT_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	*out = rc == DB_ROW ? db_col_text(a, s, 1) : NULL;
	db_reset(s);
	if (db_begin(db) < 0)
		return -1;
	if (db_changes(db) < 0 || db_last_insert_id(db) < 0)
		db_rollback(db);
	else if (db_commit(db) < 0)
		return -1;
	struct { int status; } r;
	r.status = 2;
	return r.status;
}
