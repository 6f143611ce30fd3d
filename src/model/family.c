#include "model/family.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "model/audit.h"
#include "model/cellkey.h"
#include "model/vault.h"
#include "model/row.h"

#define NOMINATIVE_FIELD_MAX 300

static bool text_ok(const char *s, size_t max_chars)
{
	return !s || (utf8_valid_str(s) && utf8_length(s, strlen(s)) <= max_chars);
}

int family_validate(struct db *db, const struct family *f, const struct nominative *nom,
		    struct validation *v)
{
	struct pdate d;
	if (!f->code || !*f->code)
		validation_add(v, "code", N_("Le code de la famille est obligatoire."));
	else if (!text_ok(f->code, 40) || strpbrk(f->code, " \t\r\n"))
		validation_add(v, "code", N_("Le code compte au plus 40 caractères, sans espace."));
	if (!f->opened || ptime_parse_date(f->opened, &d) < 0)
		validation_add(v, "opened", N_("Entrez une date valide (AAAA-MM-JJ)."));
	if (f->closed && *f->closed) {
		if (ptime_parse_date(f->closed, &d) < 0)
			validation_add(v, "closed", N_("Entrez une date valide (AAAA-MM-JJ)."));
		else if (f->opened && strcmp(f->closed, f->opened) < 0)
			validation_add(v, "closed", N_("La fermeture précède l'ouverture."));
	}
	/* A consent (a date or a scope) has its date and the language of its
	 * form: both missing parts are reported at once. */
	bool has_date = f->consent_date && *f->consent_date;
	bool has_lang = f->consent_language && *f->consent_language;
	bool consent = has_date || f->consent_suivi || f->consent_reference || f->consent_citation;
	if (has_date && ptime_parse_date(f->consent_date, &d) < 0)
		validation_add(v, "consent.date", N_("Entrez une date valide (AAAA-MM-JJ)."));
	else if (consent && !has_date)
		validation_add(v, "consent.date", N_("Indiquez la date du consentement."));
	if (has_lang && (strlen(f->consent_language) > 12 || !text_ok(f->consent_language, 12)))
		validation_add(v, "consent.language",
			       N_("Code de langue invalide (ex. fr, en, es)."));
	else if (consent && !has_lang)
		validation_add(v, "consent.language",
			       N_("Indiquez la langue du formulaire de consentement."));
	if (nom) {
		if (!text_ok(nom->name, NOMINATIVE_FIELD_MAX))
			validation_add(v, "nominative.name",
				       N_("Ce champ est limité à 300 caractères."));
		if (!text_ok(nom->phone, 40))
			validation_add(v, "nominative.phone",
				       N_("Ce champ est limité à 40 caractères."));
		if (!text_ok(nom->address, NOMINATIVE_FIELD_MAX))
			validation_add(v, "nominative.address",
				       N_("Ce champ est limité à 300 caractères."));
	}
	if (f->code && *f->code) {
		struct db_stmt *s = db_stmt(db, STMT_FAMILY_CODE_TAKEN);
		if (!s)
			return -1;
		db_bind_int64(s, 1, f->organisation_id);
		db_bind_text(s, 2, f->code);
		db_bind_int64(s, 3, f->id);
		if (db_step(s) == DB_ROW && db_col_int(s, 0) > 0)
			validation_add(v, "code",
				       N_("Ce code est déjà utilisé dans votre organisation."));
		db_reset(s);
	}
	if (f->follower_id) {
		struct db_stmt *s = db_stmt(db, STMT_PERSON_ORG);
		if (!s)
			return -1;
		db_bind_int64(s, 1, f->follower_id);
		int rc = db_step(s);
		if (rc != DB_ROW || db_col_int64(s, 0) != f->organisation_id)
			validation_add(v, "follower",
				       N_("Cette personne n'est pas de votre organisation."));
		db_reset(s);
	}
	return v->n ? -1 : 0;
}

int family_save(struct db *db, struct arena *ar, int64_t actor_id, struct family *f,
		const struct nominative *nom, const char *purpose)
{
	if (nom && !vault_ready())
		return -1;
	if (!f->ext_id || !*f->ext_id)
		f->ext_id = row_new_ext_id(ar, "fam");
	struct db_stmt *s = db_stmt(db, f->id ? STMT_FAMILY_UPDATE : STMT_FAMILY_INSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, f->ext_id);
	db_bind_int64(s, 2, f->organisation_id);
	db_bind_text(s, 3, f->code);
	if (f->follower_id)
		db_bind_int64(s, 4, f->follower_id);
	db_bind_text(s, 5, f->opened);
	row_bind_opt(s, 6, f->closed);
	row_bind_opt(s, 7, f->consent_date);
	row_bind_opt(s, 8, f->consent_language);
	db_bind_int(s, 9, f->consent_suivi);
	db_bind_int(s, 10, f->consent_reference);
	db_bind_int(s, 11, f->consent_citation);
	/* ?12: the row on update; on insert, its record key (model/cellkey.h). */
	db_bind_int64(s, 12, f->id ? f->id : cellkey_draw());
	if (row_exec(db, s, "family.save") < 0)
		return -1;
	if (!f->id)
		f->id = db_last_insert_id(db);
	if (!nom)
		return 0;

	/* Serialise, encrypt, store, log: all in the caller's transaction. */
	struct buf plain = BUF_INIT(4096);
	struct jsonw w;
	jsonw_init(&w, &plain);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "name", nom->name);
	jsonw_kv_str(&w, "phone", nom->phone);
	jsonw_kv_str(&w, "address", nom->address);
	jsonw_obj_end(&w);
	unsigned char *nonce, *box;
	size_t box_len;
	int ret = -1;
	if (jsonw_finish(&w) == 0 &&
	    vault_seal(ar, plain.data, plain.len, &nonce, &box, &box_len) == 0) {
		s = db_stmt(db, STMT_FAMILY_SET_NOMINATIVE);
		if (s) {
			db_bind_int64(s, 1, f->id);
			db_bind_blob(s, 2, nonce, VAULT_NONCE_LEN);
			db_bind_blob(s, 3, box, box_len);
			int rc = db_step(s);
			db_reset(s);
			struct audit_entry e = {.actor_id = actor_id,
						.action = "write",
						.object_kind = "family",
						.object_id = f->id,
						.information = "nominative",
						.purpose = purpose};
			if (rc == DB_DONE && audit_append(db, &e) == 0)
				ret = 0;
			else if (rc != DB_DONE)
				db_log_error(db, "family.nominative");
		}
	}
	sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	f->has_nominative = ret == 0;
	return ret;
}

static void read_row(struct arena *ar, struct db_stmt *s, struct family *f)
{
	memset(f, 0, sizeof(*f));
	f->id = db_col_int64(s, 0);
	f->ext_id = db_col_text(ar, s, 1);
	f->organisation_id = db_col_int64(s, 2);
	f->code = db_col_text(ar, s, 3);
	f->follower_id = db_col_int64(s, 4);
	f->opened = db_col_text(ar, s, 5);
	f->closed = db_col_text(ar, s, 6);
	f->consent_date = db_col_text(ar, s, 7);
	f->consent_language = db_col_text(ar, s, 8);
	f->consent_suivi = db_col_int(s, 9) != 0;
	f->consent_reference = db_col_int(s, 10) != 0;
	f->consent_citation = db_col_int(s, 11) != 0;
	f->has_nominative = db_col_int(s, 12) != 0;
	f->organisation_ext = db_col_text(ar, s, 13);
	f->follower_ext = db_col_text(ar, s, 14);
}

static bool record_visible(const struct actor *who, const struct family *f)
{
	return actor_keeps_journal(who) && who->organisation_id == f->organisation_id;
}

bool family_nominative_allowed(const struct actor *who, const struct family *f)
{
	if (!record_visible(who, f))
		return false;
	return who->role == ROLE_GESTIONNAIRE || f->follower_id == who->person_id;
}

int family_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
	       struct family *out)
{
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "family.get");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	return record_visible(who, out) ? 0 : 1;
}

int family_list(struct db *db, struct arena *ar, const struct actor *who, struct family **out,
		size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!actor_keeps_journal(who))
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->organisation_id);
	size_t cap = 0, count = 0;
	struct family *v = NULL;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		v = arena_grow(ar, v, count, &cap, sizeof(*v));
		read_row(ar, s, &v[count++]);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "family.list");
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

static const char *json_text(struct arena *ar, json_t *o, const char *key)
{
	const char *t = json_string_value(json_object_get(o, key));
	return t ? arena_strdup(ar, t) : NULL;
}

int family_open_nominative(struct db *db, struct arena *ar, int64_t family_id,
			   const struct audit_entry *e, bool with_address, struct nominative *out)
{
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_NOMINATIVE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, family_id);
	int ret = -1;
	char *plain = NULL;
	size_t n = 0;
	if (db_step(s) == DB_ROW && db_col_bytes(s, 0) == VAULT_NONCE_LEN &&
	    vault_open(ar, db_col_blob(s, 0), db_col_blob(s, 1), (size_t)db_col_bytes(s, 1), &plain,
		       &n) == 0)
		ret = 0;
	db_reset(s);
	/* No plain text leaves without its entry in the access log. */
	if (ret == 0 && audit_record(db, e) < 0)
		ret = -1;
	if (ret < 0) {
		if (plain)
			sodium_memzero(plain, n);
		return -1;
	}
	json_t *o = json_loadb(plain, n, 0, NULL);
	sodium_memzero(plain, n);
	if (!o)
		return -1;
	out->name = json_text(ar, o, "name");
	out->phone = json_text(ar, o, "phone");
	if (with_address)
		out->address = json_text(ar, o, "address");
	json_decref(o);
	return 0;
}

int family_read_nominative(struct db *db, struct arena *ar, const struct actor *who,
			   const struct family *f, const char *purpose, struct nominative *out)
{
	memset(out, 0, sizeof(*out));
	if (!family_nominative_allowed(who, f) || !f->has_nominative)
		return 1;
	struct audit_entry e = {.actor_id = who->person_id,
				.action = "read",
				.object_kind = "family",
				.object_id = f->id,
				.information = "nominative",
				.purpose = purpose};
	return family_open_nominative(db, ar, f->id, &e, true, out);
}
