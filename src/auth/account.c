#include "auth/account.h"

#include <string.h>

#include "auth/csrf.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/token.h"
#include "core/ptime.h"
#include "model/person.h"
#include "model/row.h"
#include "model/settings.h"

static const char *const purpose_code[] = {"invitation", "reset"};

/* How long a link of purpose lives, in seconds (the settings). */
static int64_t link_ttl(struct db *db, enum account_link_purpose purpose)
{
	return purpose == ACCOUNT_LINK_INVITATION
		       ? (int64_t)settings_int(db, SETTING_INVITATION_DAYS) * 86400
		       : (int64_t)settings_int(db, SETTING_RESET_HOURS) * 3600;
}

static int void_links(struct db *db, int64_t person_id)
{
	struct db_stmt *s = db_stmt(db, STMT_LINK_VOID);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_int64(s, 2, ptime_now());
	return row_exec(db, s, "account.link_void");
}

int account_link_create(struct db *db, struct arena *a, int64_t person_id,
			enum account_link_purpose purpose, int64_t created_by,
			const char **token_out, int64_t *expires_at)
{
	const char *token = csrf_new_token(a);
	unsigned char h[TOKEN_DIGEST_LEN];
	if (token_digest(token, h) < 0 || void_links(db, person_id) < 0)
		return -1;
	int64_t now = ptime_now(), until = now + link_ttl(db, purpose);
	struct db_stmt *s = db_stmt(db, STMT_LINK_INSERT);
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int64(s, 2, person_id);
	db_bind_text(s, 3, purpose_code[purpose]);
	if (created_by > 0)
		db_bind_int64(s, 4, created_by);
	db_bind_int64(s, 5, now);
	db_bind_int64(s, 6, until);
	if (row_exec(db, s, "account.link_create") < 0)
		return -1;
	*token_out = token;
	if (expires_at)
		*expires_at = until;
	return 0;
}

int account_link_find(struct db *db, const char *token, struct account_link *out)
{
	unsigned char h[TOKEN_DIGEST_LEN];
	if (!token || token_digest(token, h) < 0)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_LINK_FIND);
	if (!s)
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int64(s, 2, ptime_now());
	int r = row_fetch(db, s, "account.link_find");
	if (r != 0)
		return r;
	out->id = db_col_int64(s, 0);
	out->person_id = db_col_int64(s, 1);
	out->purpose = strcmp(db_col_cstr(s, 2), "reset") == 0 ? ACCOUNT_LINK_RESET
							       : ACCOUNT_LINK_INVITATION;
	out->expires_at = db_col_int64(s, 3);
	db_reset(s);
	return 0;
}

int account_link_use(struct db *db, const struct account_link *l, const char *password_hash)
{
	if (person_set_password(db, l->person_id, password_hash) != 0 ||
	    void_links(db, l->person_id) < 0)
		return -1;
	return session_end_all(db, l->person_id);
}

int account_change_password(struct db *db, struct arena *a, int64_t person_id, int64_t keep_session,
			    const char *current, const char *new_hash)
{
	struct person p;
	int r = person_find_by_id(db, a, person_id, &p);
	if (r != 0)
		return -1;
	if (password_verify(p.active ? p.password_hash : NULL, current) != 0)
		return 1;
	if (person_set_password(db, person_id, new_hash) != 0)
		return -1;
	struct db_stmt *s = db_stmt(db, STMT_SESSION_END_OTHERS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_int64(s, 2, keep_session);
	return row_exec(db, s, "account.password");
}

int account_deactivate(struct db *db, int64_t person_id)
{
	int r = person_set_active(db, person_id, false);
	if (r != 0)
		return r;
	if (session_end_all(db, person_id) < 0 || token_revoke_all(db, person_id) < 0 ||
	    void_links(db, person_id) < 0)
		return -1;
	return 0;
}

int account_reactivate(struct db *db, int64_t person_id)
{
	return person_set_active(db, person_id, true);
}
