/* fmtcheck fixture: the report engine reads through the model. */
static int label(struct eng *e, const char *code)
{
	struct db_stmt *s = db_stmt(e->db, STMT_REF_LABEL);
	db_bind_text(s, 2, code);
	int rc = db_step(s);
	db_query_free(s);
	return rc;
}
