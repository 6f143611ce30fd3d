/* fmtcheck fixture: the API reads through the model, runs the pipeline's
 * write unit, names no statement, and mentions db_step only in comments
 * and strings. */
static enum perr ok_api_get(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	struct activity x;
	int64_t id;
	if (lookup_ext(db, EXT_ACTIVITY, req_param(req, "id"), &id) != 0 ||
	    activity_get(db, req->arena, req->actor, id, &x) != 0)
		return PERR_NOT_FOUND; /* not db_step(s) */
	const char *s = "db_step(s); db_begin(db);";
	(void)s;
	resp->status = HTTP_STATUS_OK; /* a success status, by its name */
	return db_unit_run(db, work, &x, NULL) == DB_UNIT_COMMITTED ? PERR_OK : PERR_INTERNAL;
}
