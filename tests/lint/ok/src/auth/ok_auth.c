/* fmtcheck fixture: credentials are src/auth's own data. */
int ok_auth_touch(struct db *db, const char *hash)
{
	struct db_stmt *s = db_stmt(db, STMT_SESSION_TOUCH);
	db_bind_text(s, 1, hash);
	int rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? 0 : -1;
}
