#include "auth/session.h"

#include <sodium.h>
#include <string.h>

#include "auth/csrf.h"
#include "auth/twofactor.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "model/person.h"
#include "model/row.h"

#define TOKEN_HASH_LEN 32

static int token_hash(const char *token, unsigned char out[TOKEN_HASH_LEN])
{
	size_t n = strlen(token);
	if (n < 32 || n > 64)
		return -1;
	crypto_generichash(out, TOKEN_HASH_LEN, (const unsigned char *)token, n, NULL, 0);
	return 0;
}

/* The user agent as kept with a session: at most SESSION_AGENT_MAX bytes,
 * cut at a character boundary, NULL when absent or not UTF-8. */
static const char *agent_kept(struct arena *a, const char *ua)
{
	if (!ua || !*ua || !utf8_valid_str(ua))
		return NULL;
	size_t n = strlen(ua);
	if (n <= SESSION_AGENT_MAX)
		return ua;
	n = SESSION_AGENT_MAX;
	while (n > 0 && ((unsigned char)ua[n] & 0xC0) == 0x80)
		n--;
	return arena_strndup(a, ua, n);
}

int session_create(struct db *db, struct arena *a, int64_t person_id, const char *user_agent,
		   const char **token_out)
{
	const char *token = csrf_new_token(a); /* 32 random bytes, base64url */
	unsigned char h[TOKEN_HASH_LEN];
	token_hash(token, h);
	int64_t now = ptime_now();
	struct db_stmt *s = db_stmt(db, STMT_SESSION_INSERT);
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int64(s, 2, person_id);
	db_bind_int64(s, 3, now);
	db_bind_int64(s, 4, now + SESSION_TTL);
	row_bind_opt(s, 5, agent_kept(a, user_agent));
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "session.create");
		return -1;
	}
	*token_out = token;
	return 0;
}

int session_resolve(struct db *db, struct arena *a, const char *token, struct actor *out)
{
	unsigned char h[TOKEN_HASH_LEN];
	if (!token || token_hash(token, h) < 0)
		return 1;
	int64_t now = ptime_now();
	struct db_stmt *s = db_stmt(db, STMT_SESSION_LOOKUP);
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, now - SESSION_IDLE);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_reset(s);
		if (rc == DB_DONE)
			return 1;
		db_log_error(db, "session.resolve");
		return -1;
	}
	int64_t sid = db_col_int64(s, 0);
	int64_t pid = db_col_int64(s, 1);
	int64_t seen = db_col_int64(s, 2);
	db_reset(s);
	/* Refresh the idle clock at most once a minute: reads stay reads. */
	if (now - seen > 60) {
		struct db_stmt *t = db_stmt(db, STMT_SESSION_TOUCH);
		if (t) {
			db_bind_int64(t, 1, sid);
			db_bind_int64(t, 2, now);
			db_step(t);
			db_reset(t);
		}
	}
	struct person p;
	int r = person_find_by_id(db, a, pid, &p);
	if (r != 0)
		return r;
	person_to_actor(&p, out);
	out->session_id = sid;
	out->must_enrol = !p.totp_enabled && twofactor_required(db, p.role);
	return 0;
}

int session_destroy(struct db *db, const char *token)
{
	unsigned char h[TOKEN_HASH_LEN];
	if (!token || token_hash(token, h) < 0)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_SESSION_DELETE);
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	int rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? 0 : -1;
}

int session_list(struct db *db, struct arena *a, int64_t person_id, struct session_info **out,
		 size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t now = ptime_now();
	struct db_stmt *s = db_stmt(db, STMT_SESSION_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_int64(s, 2, now);
	db_bind_int64(s, 3, now - SESSION_IDLE);
	struct row_array rows = {0};
	struct session_info *i;
	while ((i = row_next(db, s, a, &rows, sizeof(*i), "session.list"))) {
		i->id = db_col_int64(s, 0);
		i->user_agent = db_col_text(a, s, 1);
		i->created_at = db_col_int64(s, 2);
		i->last_seen_at = db_col_int64(s, 3);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int session_end(struct db *db, int64_t person_id, int64_t session_id)
{
	struct db_stmt *s = db_stmt(db, STMT_SESSION_END);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_int64(s, 2, session_id);
	if (row_exec(db, s, "session.end") < 0)
		return -1;
	return db_changes(db) ? 0 : 1;
}

int session_end_all(struct db *db, int64_t person_id)
{
	return row_exec_id(db, STMT_SESSION_END_ALL, person_id, NULL, "session.end_all");
}

int session_purge(struct db *db, int64_t now, int batch)
{
	struct db_stmt *s = db_stmt(db, STMT_SESSION_PURGE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, now - SESSION_IDLE);
	db_bind_int(s, 3, batch > 0 ? batch - 1 : 0);
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "session.purge");
		return -1;
	}
	return (int)db_changes(db);
}
