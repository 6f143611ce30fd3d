/* fmtcheck fixture: the API writes JSON from what the model read; it runs
 * no statement (the external ids come with the records). */
static const char *ext_of(struct db *db, struct arena *a, int64_t id)
{
	struct db_stmt *s = db_stmt(db, STMT_API_PERSON_EXT);
	db_bind_int64(s, 1, id);
	const char *v = db_step(s) == DB_ROW ? db_col_text(a, s, 0) : NULL;
	db_reset(s);
	return v;
}

static int64_t created(struct db *db)
{
	return db_changes(db) ? db_last_insert_id(db) : 0;
}
