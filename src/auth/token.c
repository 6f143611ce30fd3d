#include "auth/token.h"

#include <sodium.h>
#include <string.h>

#include "auth/csrf.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "model/memo.h"
#include "model/person.h"
#include "model/row.h"

#define TOKEN_LEN 43

int token_digest(const char *token, unsigned char out[TOKEN_DIGEST_LEN])
{
	size_t n = strlen(token);
	if (n != TOKEN_LEN)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = token[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return -1;
	}
	crypto_generichash(out, TOKEN_DIGEST_LEN, (const unsigned char *)token, n, NULL, 0);
	return 0;
}

int token_create(struct db *db, struct arena *a, int64_t person_id, const char *name,
		 int64_t expires_at, const char **token_out, int64_t *id_out)
{
	if (!name || !*name || strlen(name) > TOKEN_NAME_MAX || !utf8_valid_str(name))
		return -1;
	const char *token = csrf_new_token(a); /* 32 random bytes, base64url */
	unsigned char h[TOKEN_DIGEST_LEN];
	if (token_digest(token, h) < 0)
		return -1;
	struct db_stmt *s = db_stmt(db, STMT_TOKEN_INSERT);
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int64(s, 2, person_id);
	db_bind_text_copy(s, 3, name);
	db_bind_int64(s, 4, ptime_now());
	if (expires_at > 0)
		db_bind_int64(s, 5, expires_at);
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "token.create");
		return -1;
	}
	if (id_out)
		*id_out = db_last_insert_id(db);
	*token_out = token;
	return 0;
}

int token_resolve(struct db *db, struct arena *a, const char *token, struct actor *out)
{
	unsigned char h[TOKEN_DIGEST_LEN];
	if (!token || token_digest(token, h) < 0)
		return 1;
	int64_t now = ptime_now(), expires_at = 0;
	if (memo_token_find(db, a, h, now, out))
		return 0;
	struct person p;
	int r = person_find_by_token(db, a, h, sizeof(h), now, &p, &expires_at);
	if (r != 0)
		return r;
	person_to_actor(&p, out);
	memo_token_keep(db, h, out, expires_at);
	return 0;
}

int token_revoke(struct db *db, int64_t id)
{
	struct db_stmt *s = db_stmt(db, STMT_TOKEN_REVOKE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, ptime_now());
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "token.revoke");
		return -1;
	}
	return db_changes(db) > 0 ? 0 : 1;
}

int token_revoke_all(struct db *db, int64_t person_id)
{
	struct db_stmt *s = db_stmt(db, STMT_TOKEN_REVOKE_ALL);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_int64(s, 2, ptime_now());
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "token.revoke_all");
		return -1;
	}
	return 0;
}

int token_list(struct db *db, struct arena *a, struct api_token **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_TOKEN_LIST);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct api_token *t;
	while ((t = row_next(db, s, a, &rows, sizeof(*t), "token.list"))) {
		t->id = db_col_int64(s, 0);
		t->owner = arena_strdup(a, db_col_cstr(s, 1));
		t->name = arena_strdup(a, db_col_cstr(s, 2));
		t->created_at = db_col_int64(s, 3);
		t->expires_at = db_col_int64(s, 4);
		t->revoked_at = db_col_int64(s, 5);
	}
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}
