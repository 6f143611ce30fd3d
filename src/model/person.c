#include "model/person.h"
#include "model/row.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/ptime.h"
#include "core/utf8.h"
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
}

static int find_one(struct db *db, struct arena *a, struct db_stmt *s, struct person *out)
{
	int rc = db_step(s);
	int ret;
	if (rc == DB_ROW) {
		read_person(a, s, out);
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

int person_create(struct db *db, const struct person *p, int64_t *id_out, char *err, size_t errcap)
{
	if (!p->name || !*p->name || !utf8_valid_str(p->name)) {
		snprintf(err, errcap, "name: required, valid UTF-8");
		return -1;
	}
	if (p->email && !email_plausible(p->email)) {
		snprintf(err, errcap, "email: '%s' is not an e-mail address", p->email);
		return -1;
	}
	if (p->role == ROLE_NONE) {
		snprintf(err, errcap, "role: must be pap, gestionnaire, comite, analyste or admin");
		return -1;
	}
	int64_t org = 0, terr = 0;
	if (p->organisation && (org = id_by_ext(db, STMT_ORGANISATION_ID, p->organisation)) <= 0) {
		snprintf(err, errcap, "organisation: '%s' does not exist", p->organisation);
		return -1;
	}
	if (p->territory && (terr = id_by_ext(db, STMT_TERRITORY_ID, p->territory)) <= 0) {
		snprintf(err, errcap, "territory: '%s' does not exist", p->territory);
		return -1;
	}
	if ((p->role == ROLE_PAP || p->role == ROLE_GESTIONNAIRE) && !org) {
		snprintf(err, errcap, "organisation: required for the role %s", role_code(p->role));
		return -1;
	}
	char norm[320] = "";
	if (p->email)
		email_norm(p->email, norm, sizeof(norm));
	struct db_stmt *s = db_stmt(db, STMT_PERSON_INSERT);
	if (!s) {
		snprintf(err, errcap, "database error");
		return -1;
	}
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
		if (db_error(db) == DB_ERR_UNIQUE)
			snprintf(err, errcap,
				 "email: an account with this e-mail or id already exists");
		else
			snprintf(err, errcap, "database error: %s", db_errmsg(db));
		return -1;
	}
	*id_out = db_last_insert_id(db);
	return 0;
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

int person_set_privacy_officer(struct db *db, int64_t id, bool on)
{
	struct db_stmt *s = db_stmt(db, STMT_PERSON_SET_PRIVACY_OFFICER);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int(s, 2, on ? 1 : 0);
	if (row_exec(db, s, "person.set_privacy_officer") < 0)
		return -1;
	return db_changes(db) ? 0 : 1;
}

int person_list(struct db *db, struct arena *a, struct person **out, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_PERSON_LIST);
	if (!s)
		return -1;
	size_t cap = 0, count = 0;
	struct person *v = NULL;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		v = arena_grow(a, v, count, &cap, sizeof(*v));
		read_person(a, s, &v[count++]);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "person.list");
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

void person_to_actor(const struct person *p, struct actor *out)
{
	out->person_id = p->id;
	out->role = p->role;
	out->organisation_id = p->organisation_id;
	out->territory_id = p->territory_id;
	out->name = p->name;
	out->email = p->email;
}
