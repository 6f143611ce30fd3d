#include "auth/session.h"

#include <ctype.h>
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
	/* Housekeeping: drop expired sessions while we hold the write path. */
	struct db_stmt *p = db_stmt(db, STMT_SESSION_PURGE);
	if (p) {
		db_bind_int64(p, 1, now);
		db_bind_int64(p, 2, now - SESSION_IDLE);
		db_step(p);
		db_reset(p);
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
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		*out = arena_grow(a, *out, *n, &cap, sizeof(**out));
		struct session_info *i = &(*out)[(*n)++];
		i->id = db_col_int64(s, 0);
		i->user_agent = db_col_text(a, s, 1);
		i->created_at = db_col_int64(s, 2);
		i->last_seen_at = db_col_int64(s, 3);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "session.list");
		return -1;
	}
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

static int64_t count_since(struct db *db, enum stmt_id id, const char *key, int64_t since)
{
	struct db_stmt *s = db_stmt(db, id);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, key);
	db_bind_int64(s, 2, since);
	int rc = db_step(s);
	int64_t n = rc == DB_ROW ? db_col_int64(s, 0) : -1;
	db_reset(s);
	return n;
}

/* E-mails are compared in lower case, as stored. */
static void lower(const char *in, char *out, size_t cap)
{
	size_t i = 0;
	for (; in && in[i] && i + 1 < cap; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

int throttle_blocked(struct db *db, const char *email, const char *address)
{
	char e[320];
	lower(email, e, sizeof(e));
	int64_t since = ptime_now() - THROTTLE_WINDOW;
	int64_t ne = count_since(db, STMT_LOGIN_FAILURE_COUNT_EMAIL, e, since);
	int64_t na =
		count_since(db, STMT_LOGIN_FAILURE_COUNT_ADDRESS, address ? address : "", since);
	if (ne < 0 || na < 0)
		return -1;
	return ne >= THROTTLE_PER_EMAIL || na >= THROTTLE_PER_ADDRESS;
}

void throttle_record_failure(struct db *db, const char *email, const char *address)
{
	char e[320];
	lower(email, e, sizeof(e));
	struct db_stmt *s = db_stmt(db, STMT_LOGIN_FAILURE_INSERT);
	if (!s)
		return;
	db_bind_text_copy(s, 1, e);
	db_bind_text_copy(s, 2, address ? address : "");
	db_bind_int64(s, 3, ptime_now());
	if (db_step(s) != DB_DONE)
		db_log_error(db, "throttle.record");
	db_reset(s);
}

void throttle_clear(struct db *db, const char *email)
{
	char e[320];
	lower(email, e, sizeof(e));
	struct db_stmt *s = db_stmt(db, STMT_LOGIN_FAILURE_CLEAR);
	if (!s)
		return;
	db_bind_text_copy(s, 1, e);
	db_bind_int64(s, 2, ptime_now() - THROTTLE_WINDOW);
	if (db_step(s) != DB_DONE)
		db_log_error(db, "throttle.clear");
	db_reset(s);
}
