#include "model/person.h"
#include "model/row.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/ptime.h"
#include "core/utf8.h"
#include "core/i18n.h"
#include "core/util.h"

/* Reads a row of STMT_PERSON_BY_* / STMT_PERSON_LIST (same columns). */
static void read_person(struct arena *a, struct db_stmt *s, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int64(s, 0);
	p->ext_id = db_col_text(a, s, 1);
	p->name = db_col_text(a, s, 2);
	p->email = db_col_text(a, s, 3);
	p->role = role_parse(db_col_cstr(s, 4));
	p->organisation_id = db_col_int64(s, 5);
	p->territory_id = db_col_int64(s, 6);
	p->password_hash = db_col_text(a, s, 7);
	p->active = db_col_int(s, 8) != 0;
	p->organisation = db_col_text(a, s, 9);
	p->territory = db_col_text(a, s, 10);
	p->totp_enabled = db_col_int(s, 11) != 0;
	p->created_at = db_col_int64(s, 12);
}

/* Steps s once: its row into out, and when tail is not NULL the column
 * after the person's into *tail. 0 found, 1 none, -1 error (logged). */
static int find_one_tail(struct db *db, struct arena *a, struct db_stmt *s, struct person *out,
			 int64_t *tail)
{
	int rc = db_step(s);
	int ret;
	if (rc == DB_ROW) {
		read_person(a, s, out);
		if (tail)
			*tail = db_col_int64(s, 13);
		ret = 0;
	} else if (rc == DB_DONE) {
		ret = 1;
	} else {
		db_log_error(db, "person.find");
		ret = -1;
	}
	db_reset(s);
	return ret;
}

static int find_one(struct db *db, struct arena *a, struct db_stmt *s, struct person *out)
{
	return find_one_tail(db, a, s, out, NULL);
}

/* Lower-cases ASCII letters of an e-mail into out (cap bytes). */
static void email_norm(const char *email, char *out, size_t cap)
{
	size_t i = 0;
	for (; email[i] && i + 1 < cap; i++)
		out[i] = (char)tolower((unsigned char)email[i]);
	out[i] = '\0';
}

int person_find_by_email(struct db *db, struct arena *a, const char *email, struct person *out)
{
	char norm[320];
	if (strlen(email) >= sizeof(norm))
		return 1;
	email_norm(email, norm, sizeof(norm));
	struct db_stmt *s = db_stmt(db, STMT_PERSON_BY_EMAIL);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, norm);
	return find_one(db, a, s, out);
}

int person_find_by_id(struct db *db, struct arena *a, int64_t id, struct person *out)
{
	struct db_stmt *s = db_stmt(db, STMT_PERSON_BY_ID);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	return find_one(db, a, s, out);
}

int person_find_by_token(struct db *db, struct arena *a, const unsigned char *hash, size_t len,
			 int64_t now, struct person *out, int64_t *expires_at)
{
	struct db_stmt *s = db_stmt(db, STMT_PERSON_BY_TOKEN);
	if (!s)
		return -1;
	db_bind_blob(s, 1, hash, len);
	db_bind_int64(s, 2, now);
	return find_one_tail(db, a, s, out, expires_at);
}

/* The id of a record by ext_id with the given statement: >0, 0 absent, -1 error. */
static int64_t id_by_ext(struct db *db, enum stmt_id sid, const char *ext)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	int rc = db_step(s);
	int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : (rc == DB_DONE ? 0 : -1);
	db_reset(s);
	return id;
}

static bool email_plausible(const char *e)
{
	const char *at = strchr(e, '@');
	return at && at != e && strchr(at + 1, '.') && !strchr(at + 1, '@') &&
	       !strpbrk(e, " \t\r\n<>\"") && strlen(e) < 320;
}

/* Checks the fields of p that a create or an update writes, into v, and
 * resolves its organisation and territory (by ext_id) into *org, *terr.
 * Returns 0, or -1 on a database error. */
static int person_check(struct db *db, const struct person *p, bool with_email, int64_t *org,
			int64_t *terr, struct validation *v)
{
	*org = *terr = 0;
	if (!p->name || !*p->name || !utf8_valid_str(p->name) ||
	    utf8_length(p->name, strlen(p->name)) > PERSON_NAME_MAX)
		validation_add(v, "name", N_("Entrez le nom (200 caractères au plus)."));
	if (with_email && p->email && !email_plausible(p->email))
		validation_add(v, "email", N_("Entrez une adresse courriel valide."));
	if (p->role == ROLE_NONE)
		validation_add(v, "role", N_("Choisissez un rôle."));
	if (p->organisation && *p->organisation &&
	    (*org = id_by_ext(db, STMT_ORGANISATION_ID, p->organisation)) <= 0) {
		if (*org < 0)
			return -1;
		validation_add(v, "organisation", N_("Cette organisation n'existe pas."));
	}
	if (p->territory && *p->territory &&
	    (*terr = id_by_ext(db, STMT_TERRITORY_ID, p->territory)) <= 0) {
		if (*terr < 0)
			return -1;
		validation_add(v, "territory", N_("Ce territoire n'existe pas."));
	}
	if ((p->role == ROLE_PAP || p->role == ROLE_GESTIONNAIRE) && !*org &&
	    !validation_get(v, "organisation"))
		validation_add(v, "organisation",
			       N_("Choisissez l'organisation : ce rôle en demande une."));
	if (p->role == ROLE_COMITE && !*terr && !validation_get(v, "territory"))
		validation_add(v, "territory", N_("Choisissez le territoire du comité."));
	return 0;
}

int person_create(struct db *db, const struct person *p, int64_t *id_out, struct validation *v)
{
	int64_t org, terr;
	if (person_check(db, p, true, &org, &terr, v) < 0)
		return -1;
	if (v->n)
		return 1;
	char norm[320] = "";
	if (p->email)
		email_norm(p->email, norm, sizeof(norm));
	struct db_stmt *s = db_stmt(db, STMT_PERSON_INSERT);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, p->ext_id ? p->ext_id : norm);
	db_bind_text(s, 2, p->name);
	if (p->email)
		db_bind_text_copy(s, 3, norm);
	db_bind_text(s, 4, role_code(p->role));
	if (org)
		db_bind_int64(s, 5, org);
	if (terr)
		db_bind_int64(s, 6, terr);
	if (p->password_hash)
		db_bind_text(s, 7, p->password_hash);
	db_bind_int64(s, 8, ptime_now());
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		if (db_error(db) != DB_ERR_UNIQUE) {
			db_log_error(db, "person.create");
			return -1;
		}
		validation_add(v, "email", N_("Un compte existe déjà avec ce courriel."));
		return 1;
	}
	*id_out = db_last_insert_id(db);
	return 0;
}

int person_update(struct db *db, int64_t id, const struct person *p, struct validation *v)
{
	int64_t org, terr;
	if (person_check(db, p, false, &org, &terr, v) < 0)
		return -1;
	if (v->n)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_PERSON_UPDATE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_text(s, 2, p->name);
	db_bind_text(s, 3, role_code(p->role));
	if (org)
		db_bind_int64(s, 4, org);
	if (terr)
		db_bind_int64(s, 5, terr);
	return row_exec(db, s, "person.update");
}

bool person_may_manage(const struct actor *a, const struct person *p)
{
	if (!a || !p)
		return false;
	if (a->role == ROLE_ADMIN)
		return true;
	return a->role == ROLE_GESTIONNAIRE && a->organisation_id &&
	       p->organisation_id == a->organisation_id &&
	       (p->role == ROLE_PAP || p->role == ROLE_GESTIONNAIRE);
}

bool person_may_give(const struct actor *a, enum role r, int64_t organisation_id)
{
	if (!a || r == ROLE_NONE)
		return false;
	if (a->role == ROLE_ADMIN)
		return true;
	return a->role == ROLE_GESTIONNAIRE && a->organisation_id &&
	       organisation_id == a->organisation_id && (r == ROLE_PAP || r == ROLE_GESTIONNAIRE);
}

int person_set_password(struct db *db, int64_t id, const char *hash)
{
	struct db_stmt *s = db_stmt(db, STMT_PERSON_SET_PASSWORD);
	if (!s)
		return -1;
	db_bind_text(s, 1, hash);
	db_bind_int64(s, 2, id);
	if (row_exec(db, s, "person.set_password") < 0)
		return -1;
	return db_changes(db) ? 0 : 1;
}

int person_set_active(struct db *db, int64_t id, bool active)
{
	struct db_stmt *s = db_stmt(db, STMT_PERSON_SET_ACTIVE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int(s, 2, active);
	if (row_exec(db, s, "person.set_active") < 0)
		return -1;
	return db_changes(db) ? 0 : 1;
}

int person_list(struct db *db, struct arena *a, struct person **out, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_PERSON_LIST);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct person *it;
	while ((it = row_next(db, s, a, &rows, sizeof(*it), "person.list")))
		read_person(a, s, it);
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

void person_to_actor(const struct person *p, struct actor *out)
{
	out->person_id = p->id;
	out->role = p->role;
	out->organisation_id = p->organisation_id;
	out->territory_id = p->territory_id;
	out->name = p->name;
	out->email = p->email;
	out->ext_id = p->ext_id;
	out->organisation_ext = p->organisation;
	out->territory_ext = p->territory;
}

int person_find_ref(struct db *db, const char *ext, int64_t *id, int64_t *organisation_id)
{
	*id = *organisation_id = 0;
	struct db_stmt *s = db_stmt(db, STMT_API_PERSON);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	int r = row_fetch(db, s, "person.find_ref");
	if (r != 0)
		return r;
	*id = db_col_int64(s, 0);
	*organisation_id = db_col_int64(s, 1);
	db_reset(s);
	return 0;
}
