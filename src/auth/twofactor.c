#include "auth/twofactor.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "auth/csrf.h"
#include "auth/token.h"
#include "core/ptime.h"
#include "model/row.h"
#include "model/settings.h"
#include "model/vault.h"

#define CODE_HASH_LEN 32
#define CODE_CHARS 16 /* 80 bits in base32 */

bool twofactor_required(struct db *db, enum role r)
{
	return (r == ROLE_PAP || r == ROLE_GESTIONNAIRE) &&
	       settings_bool(db, SETTING_TOTP_REQUIRED);
}

int twofactor_state(struct db *db, int64_t person_id, struct twofactor_state *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *s = db_stmt(db, STMT_TWOFACTOR_STATE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	int r = row_fetch(db, s, "twofactor.state");
	if (r != 0)
		return r < 0 ? -1 : 0;
	const unsigned char *nonce = db_col_blob(s, 0);
	const unsigned char *box = db_col_blob(s, 1);
	size_t nonce_len = db_col_bytes(s, 0), box_len = db_col_bytes(s, 1);
	out->enabled = db_col_int(s, 2) != 0;
	out->last_step = db_col_int64(s, 3);
	out->recovery_left = db_col_int(s, 4);
	int ret = 0;
	if (box && nonce_len == VAULT_NONCE_LEN) {
		struct arena *a = arena_new(256);
		char *plain;
		size_t n;
		if (vault_open(a, nonce, box, box_len, &plain, &n) < 0 || n != TOTP_SECRET_LEN) {
			ret = -1;
		} else {
			memcpy(out->secret, plain, TOTP_SECRET_LEN);
			sodium_memzero(plain, n);
			out->pending = !out->enabled;
		}
		arena_free(a);
	} else {
		out->enabled = false;
	}
	db_reset(s);
	return ret;
}

int twofactor_begin(struct db *db, int64_t person_id, unsigned char secret[TOTP_SECRET_LEN])
{
	struct twofactor_state st;
	if (twofactor_state(db, person_id, &st) < 0 || st.enabled)
		return -1;
	randombytes_buf(secret, TOTP_SECRET_LEN);
	struct arena *a = arena_new(256);
	unsigned char *nonce, *box;
	size_t box_len;
	int ret = -1;
	struct db_stmt *s;
	if (vault_seal(a, secret, TOTP_SECRET_LEN, &nonce, &box, &box_len) == 0 &&
	    (s = db_stmt(db, STMT_TWOFACTOR_PENDING))) {
		db_bind_int64(s, 1, person_id);
		db_bind_blob(s, 2, nonce, VAULT_NONCE_LEN);
		db_bind_blob(s, 3, box, box_len);
		ret = row_exec(db, s, "twofactor.begin");
	}
	arena_free(a);
	return ret;
}

/* A recovery code as typed, lower case, without dashes or spaces, into
 * out (CODE_CHARS + 1). 0, or -1 when it cannot be one. */
static int code_norm(const char *typed, char out[CODE_CHARS + 1])
{
	size_t k = 0;
	for (const char *p = typed; p && *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (k == CODE_CHARS || !isalnum((unsigned char)*p))
			return -1;
		out[k++] = (char)tolower((unsigned char)*p);
	}
	out[k] = '\0';
	return k == CODE_CHARS ? 0 : -1;
}

/* The stored hash of a normalised recovery code, keyed by its owner so
 * that one person's code means nothing for another. */
static void code_hash(int64_t person_id, const char *norm, unsigned char out[CODE_HASH_LEN])
{
	unsigned char key[crypto_generichash_KEYBYTES];
	memset(key, 0, sizeof(key));
	for (size_t i = 0; i < sizeof(person_id); i++)
		key[i] = (unsigned char)((uint64_t)person_id >> (8 * i));
	crypto_generichash(out, CODE_HASH_LEN, (const unsigned char *)norm, strlen(norm), key,
			   sizeof(key));
}

int twofactor_new_codes(struct db *db, struct arena *a, int64_t person_id,
			const char *codes[TWOFACTOR_RECOVERY_CODES])
{
	if (row_exec_id(db, STMT_TWOFACTOR_CODES_CLEAR, person_id, NULL, "twofactor.codes") < 0)
		return -1;
	for (int i = 0; i < TWOFACTOR_RECOVERY_CODES; i++) {
		unsigned char raw[10];
		randombytes_buf(raw, sizeof(raw));
		const char *b32 = totp_base32(a, raw, sizeof(raw)); /* 16 characters */
		char norm[CODE_CHARS + 1];
		for (size_t k = 0; k <= CODE_CHARS; k++)
			norm[k] = (char)tolower((unsigned char)b32[k]);
		codes[i] =
			arena_printf(a, "%.4s-%.4s-%.4s-%.4s", norm, norm + 4, norm + 8, norm + 12);
		unsigned char h[CODE_HASH_LEN];
		code_hash(person_id, norm, h);
		struct db_stmt *s = db_stmt(db, STMT_TWOFACTOR_CODE_ADD);
		if (!s)
			return -1;
		db_bind_int64(s, 1, person_id);
		db_bind_blob(s, 2, h, sizeof(h));
		if (row_exec(db, s, "twofactor.codes") < 0)
			return -1;
	}
	return 0;
}

/* Accepts a TOTP code of st for person_id: records its step. 0, 1, -1. */
static int accept_code(struct db *db, int64_t person_id, const struct twofactor_state *st,
		       const char *typed)
{
	int64_t step = totp_check(st->secret, TOTP_SECRET_LEN, typed, ptime_now(), st->last_step);
	if (step < 0)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_TWOFACTOR_STEP);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_int64(s, 2, step);
	db_bind_int64(s, 3, ptime_now());
	if (row_exec(db, s, "twofactor.step") < 0)
		return -1;
	return db_changes(db) ? 0 : 1; /* another request used this step first */
}

int twofactor_enable(struct db *db, struct arena *a, int64_t person_id, const char *code,
		     const char *codes[TWOFACTOR_RECOVERY_CODES])
{
	struct twofactor_state st;
	if (twofactor_state(db, person_id, &st) < 0)
		return -1;
	int r = st.pending ? accept_code(db, person_id, &st, code) : 1;
	sodium_memzero(st.secret, sizeof(st.secret));
	if (r != 0)
		return r;
	return twofactor_new_codes(db, a, person_id, codes);
}

int twofactor_disable(struct db *db, int64_t person_id)
{
	if (row_exec_id(db, STMT_TWOFACTOR_CODES_CLEAR, person_id, NULL, "twofactor.disable") < 0)
		return -1;
	return row_exec_id(db, STMT_TWOFACTOR_OFF, person_id, NULL, "twofactor.disable");
}

/* Uses up an unused recovery code of person_id. 0, 1 none such, -1. */
static int use_recovery(struct db *db, int64_t person_id, const char *typed)
{
	char norm[CODE_CHARS + 1];
	if (code_norm(typed, norm) < 0)
		return 1;
	unsigned char h[CODE_HASH_LEN];
	code_hash(person_id, norm, h);
	struct db_stmt *s = db_stmt(db, STMT_TWOFACTOR_CODE_USE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_blob(s, 2, h, sizeof(h));
	db_bind_int64(s, 3, ptime_now());
	if (row_exec(db, s, "twofactor.recovery") < 0)
		return -1;
	return db_changes(db) ? 0 : 1;
}

int twofactor_verify(struct db *db, int64_t person_id, const char *typed)
{
	struct twofactor_state st;
	if (twofactor_state(db, person_id, &st) < 0)
		return -1;
	if (!st.enabled)
		return 1;
	int r = accept_code(db, person_id, &st, typed);
	sodium_memzero(st.secret, sizeof(st.secret));
	return r == 1 ? use_recovery(db, person_id, typed) : r;
}

int twofactor_challenge_open(struct db *db, struct arena *a, int64_t person_id, const char *next,
			     const char **token_out)
{
	const char *token = csrf_new_token(a);
	unsigned char h[TOKEN_DIGEST_LEN];
	if (token_digest(token, h) < 0)
		return -1;
	int64_t now = ptime_now();
	struct db_stmt *s = db_stmt(db, STMT_TWOFACTOR_CHALLENGE_PURGE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, now); /* housekeeping, while the write path is ours */
	if (row_exec(db, s, "twofactor.challenge") < 0)
		return -1;
	s = db_stmt(db, STMT_TWOFACTOR_CHALLENGE_OPEN);
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int64(s, 2, person_id);
	db_bind_text(s, 3, next);
	db_bind_int64(s, 4, now);
	db_bind_int64(s, 5, now + TWOFACTOR_CHALLENGE_TTL);
	if (row_exec(db, s, "twofactor.challenge") < 0)
		return -1;
	*token_out = token;
	return 0;
}

int twofactor_challenge_find(struct db *db, struct arena *a, const char *token,
			     struct twofactor_challenge *out)
{
	unsigned char h[TOKEN_DIGEST_LEN];
	if (!token || token_digest(token, h) < 0)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_TWOFACTOR_CHALLENGE_FIND);
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int64(s, 2, ptime_now());
	db_bind_int(s, 3, TWOFACTOR_CHALLENGE_TRIES);
	int r = row_fetch(db, s, "twofactor.challenge");
	if (r != 0)
		return r;
	out->id = db_col_int64(s, 0);
	out->person_id = db_col_int64(s, 1);
	out->next = db_col_text(a, s, 2);
	out->attempts = db_col_int(s, 3);
	db_reset(s);
	return 0;
}

int twofactor_challenge_fail(struct db *db, const struct twofactor_challenge *c)
{
	if (row_exec_id(db, STMT_TWOFACTOR_CHALLENGE_FAIL, c->id, NULL, "twofactor.challenge") < 0)
		return -1;
	int left = TWOFACTOR_CHALLENGE_TRIES - (c->attempts + 1);
	if (left <= 0 && twofactor_challenge_close(db, c->id) < 0)
		return -1;
	return left > 0 ? left : 0;
}

int twofactor_challenge_close(struct db *db, int64_t id)
{
	return row_exec_id(db, STMT_TWOFACTOR_CHALLENGE_CLOSE, id, NULL, "twofactor.challenge");
}
