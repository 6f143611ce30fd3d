#include "model/family.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
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
	f->close_reason = db_col_text(ar, s, 15);
	f->anonymised_at = db_col_int64(s, 16);
}

/* ---- History ---- */

const char *const family_scopes[FAMILY_SCOPE_COUNT] = {"suivi", "reference", "citation"};

const struct family_reason family_close_reasons[] = {
	{"objectifs_atteints", "Objectifs atteints", "Goals reached"},
	{"orientation_ressource", "Orientée vers une autre ressource",
	 "Directed to another resource"},
	{"demenagement", "Déménagement", "Moved away"},
	{"perte_contact", "Perte de contact", "Contact lost"},
	{"fin_demandee", "La famille met fin au suivi", "The family ends the follow-up"},
	{"consentement_retire", "Consentement au suivi retiré", "Consent to follow-up withdrawn"},
	{"autre", "Autre raison", "Other reason"},
};
const size_t family_close_reasons_count = ARRAY_LEN(family_close_reasons);

#define REASON_MAX 500 /* characters of a reason in words */

static bool *scope_flag(struct family *f, const char *scope)
{
	if (!scope)
		return NULL;
	if (strcmp(scope, "suivi") == 0)
		return &f->consent_suivi;
	if (strcmp(scope, "reference") == 0)
		return &f->consent_reference;
	if (strcmp(scope, "citation") == 0)
		return &f->consent_citation;
	return NULL;
}

/* The stored row of family id, without visibility (the callers decided).
 * 0, 1 absent, -1. */
static int stored(struct db *db, struct arena *ar, int64_t id, struct family *out)
{
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "family.stored");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	return 0;
}

/* One line of the history. Texts may be NULL; actor 0 = nobody. */
struct event_row {
	const char *kind, *scope, *on_date, *language, *reason_code, *reason;
	int64_t actor_id;
};

static int event_add(struct db *db, int64_t family_id, const struct event_row *e)
{
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_EVENT_ADD);
	if (!s)
		return -1;
	db_bind_int64(s, 1, family_id);
	db_bind_text(s, 2, e->kind);
	db_bind_text(s, 3, e->scope);
	db_bind_text(s, 4, e->on_date);
	row_bind_opt(s, 5, e->language);
	row_bind_opt(s, 6, e->reason_code);
	row_bind_opt(s, 7, e->reason);
	if (e->actor_id)
		db_bind_int64(s, 8, e->actor_id);
	db_bind_int64(s, 9, ptime_now());
	return row_exec(db, s, "family.event");
}

static void today_text(char out[11])
{
	struct pdate d = ptime_local_date(ptime_now());
	ptime_format_date(&d, out);
}

static int set_closed(struct db *db, int64_t id, const char *on_date, const char *reason_code)
{
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_SET_CLOSED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	row_bind_opt(s, 2, on_date);
	row_bind_opt(s, 3, reason_code);
	return row_exec(db, s, "family.closed");
}

/* A withdrawal of consent to citation takes effect at once: the family's
 * stories lose their quote mark (every reader also checks the consent in
 * force, so nothing is quoted even between the two). */
static int unquote_stories(struct db *db, int64_t family_id)
{
	return row_exec_id(db, STMT_STORY_UNQUOTE_FAMILY, family_id, NULL, "family.unquote");
}

/* The history lines for how f differs from old (all zero for a new
 * file): each scope given or withdrawn, the file closed or reopened. */
static int record_differences(struct db *db, int64_t actor_id, const struct family *old,
			      struct family *f, const char *purpose)
{
	char today[11];
	today_text(today);
	const char *code = purpose && strcmp(purpose, "import") == 0 ? "import" : "ouverture";
	for (size_t i = 0; i < FAMILY_SCOPE_COUNT; i++) {
		bool was = *scope_flag((struct family *)old, family_scopes[i]);
		bool is = *scope_flag(f, family_scopes[i]);
		if (was == is)
			continue;
		struct event_row e = {
			.kind = is ? "consent_given" : "consent_withdrawn",
			.scope = family_scopes[i],
			.on_date = is && f->consent_date ? f->consent_date : today,
			.language = is ? f->consent_language : NULL,
			.reason_code = code,
			.actor_id = actor_id,
		};
		if (event_add(db, f->id, &e) < 0 ||
		    (!is && strcmp(family_scopes[i], "citation") == 0 &&
		     unquote_stories(db, f->id) < 0))
			return -1;
	}
	bool was_closed = old->closed && *old->closed, is_closed = f->closed && *f->closed;
	if (was_closed == is_closed)
		return 0;
	struct event_row e = {.kind = is_closed ? "closed" : "reopened",
			      .on_date = is_closed ? f->closed : today,
			      .reason_code = code,
			      .actor_id = actor_id};
	if (!is_closed && set_closed(db, f->id, NULL, NULL) < 0)
		return -1;
	return event_add(db, f->id, &e);
}

int family_save(struct db *db, struct arena *ar, int64_t actor_id, struct family *f,
		const struct nominative *nom, const char *purpose)
{
	if (nom && !vault_ready())
		return -1;
	if (!f->ext_id || !*f->ext_id)
		f->ext_id = row_new_ext_id(ar, "fam");
	struct family old = {0};
	if (f->id && stored(db, ar, f->id, &old) != 0)
		return -1;
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
	if (record_differences(db, actor_id, &old, f, purpose) < 0)
		return -1;
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

/* The LIKE pattern of a code search: '%' part '%', ASCII lower-cased,
 * with % _ ! escaped by '!'; "" for no search. */
static const char *code_pattern(struct arena *ar, const char *part)
{
	size_t n = part ? strlen(part) : 0;
	if (!n)
		return "";
	char *p = arena_alloc(ar, 2 * n + 3);
	size_t k = 0;
	p[k++] = '%';
	for (size_t i = 0; i < n; i++) {
		char c = part[i];
		if (c == '%' || c == '_' || c == '!')
			p[k++] = '!';
		p[k++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

int family_list_page(struct db *db, struct arena *ar, const struct actor *who,
		     const char *code_part, int64_t limit, int64_t offset, struct family **out,
		     size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	if (!actor_keeps_journal(who))
		return 0;
	const char *pattern = code_pattern(ar, code_part);
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_PAGE_COUNT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->organisation_id);
	db_bind_text(s, 2, pattern);
	int rc = db_step(s);
	*total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW || !(s = db_stmt(db, STMT_FAMILY_PAGE))) {
		db_log_error(db, "family.list_page");
		return -1;
	}
	db_bind_int64(s, 1, who->organisation_id);
	db_bind_text(s, 2, pattern);
	db_bind_int64(s, 3, limit);
	db_bind_int64(s, 4, offset);
	struct family *v = arena_alloc(ar, (size_t)(limit > 0 ? limit : 1) * sizeof(*v));
	size_t count = 0;
	while ((rc = db_step(s)) == DB_ROW && count < (size_t)limit)
		read_row(ar, s, &v[count++]);
	db_reset(s);
	if (rc != DB_DONE && rc != DB_ROW) {
		db_log_error(db, "family.list_page");
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
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
	struct row_array rows = {0};
	struct family *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "family.list")))
		read_row(ar, s, it);
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
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

/* ---- Consent over time, closing and reopening ---- */

int family_check_opening(const struct family *f, struct validation *v)
{
	size_t before = v->n;
	if (!f->consent_suivi)
		validation_add(v, "consent.scopes",
			       N_("Un suivi s'ouvre avec le consentement de la famille au suivi."));
	if (!f->consent_date || !*f->consent_date)
		validation_add(v, "consent.date", N_("Indiquez la date du consentement."));
	if (!f->consent_language || !*f->consent_language)
		validation_add(v, "consent.language",
			       N_("Indiquez la langue du formulaire de consentement."));
	return v->n > before ? -1 : 0;
}

bool family_can_change(const struct actor *who, const struct family *f)
{
	return f->anonymised_at == 0 && family_nominative_allowed(who, f);
}

bool family_allows(const struct family *f, const char *scope)
{
	bool *flag = scope_flag((struct family *)f, scope);
	return f->anonymised_at == 0 && !(f->closed && *f->closed) && flag && *flag;
}

/* Checks a date given for a change: a real date, not before the file was
 * opened, not after today. */
static void check_change_date(const struct family *f, const char *field, const char *on_date,
			      struct validation *v)
{
	struct pdate d;
	char today[11];
	today_text(today);
	if (!on_date || ptime_parse_date(on_date, &d) < 0)
		validation_add(v, field, N_("Entrez une date valide (AAAA-MM-JJ)."));
	else if (strcmp(on_date, today) > 0)
		validation_add(v, field, N_("Cette date est dans le futur."));
	else if (f->opened && strcmp(on_date, f->opened) < 0)
		validation_add(v, field, N_("Cette date précède l'ouverture du suivi."));
}

static void check_reason(const char *field, const char *reason, bool required, struct validation *v)
{
	if (required && (!reason || !*reason))
		validation_add(v, field, N_("Dites pourquoi, en quelques mots."));
	else if (!text_ok(reason, REASON_MAX))
		validation_add(v, field, N_("Ce champ est limité à 500 caractères."));
}

/* The access-log entry of a change to the file (who, what, why). */
static int log_change(struct db *db, const struct actor *who, const struct family *f,
		      const char *information, const char *purpose)
{
	struct audit_entry e = {.actor_id = who->person_id,
				.action = "write",
				.object_kind = "family",
				.object_id = f->id,
				.information = information,
				.purpose = purpose};
	return audit_append(db, &e);
}

static int validate_consent(const struct family *f, const struct consent_change *c,
			    struct validation *v)
{
	bool *flag = scope_flag((struct family *)f, c->scope);
	if (!flag)
		validation_add(v, "scope", N_("Choisissez la portée du consentement."));
	else if (c->give && *flag)
		validation_add(v, "scope", N_("Ce consentement est déjà donné."));
	else if (!c->give && !*flag)
		validation_add(v, "scope", N_("Ce consentement n'est pas donné : rien à retirer."));
	check_change_date(f, "on_date", c->on_date, v);
	if (c->give && (!c->language || !*c->language || strlen(c->language) > 12 ||
			!text_ok(c->language, 12)))
		validation_add(v, "language",
			       N_("Indiquez la langue du formulaire de consentement."));
	check_reason("reason", c->reason, true, v);
	return v->n ? 1 : 0;
}

int family_change_consent(struct db *db, struct arena *ar, const struct actor *who,
			  struct family *f, const struct consent_change *c, struct validation *v)
{
	(void)ar;
	if (!family_can_change(who, f)) {
		validation_add(v, "scope", N_("Vous ne pouvez pas modifier ce dossier."));
		return 1;
	}
	if (validate_consent(f, c, v))
		return 1;
	*scope_flag(f, c->scope) = c->give;
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_SET_CONSENT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, f->id);
	db_bind_int(s, 2, f->consent_suivi);
	db_bind_int(s, 3, f->consent_reference);
	db_bind_int(s, 4, f->consent_citation);
	db_bind_text(s, 5, c->give ? c->on_date : NULL);
	db_bind_text(s, 6, c->give ? c->language : NULL);
	if (row_exec(db, s, "family.consent") < 0)
		return -1;
	struct event_row e = {.kind = c->give ? "consent_given" : "consent_withdrawn",
			      .scope = c->scope,
			      .on_date = c->on_date,
			      .language = c->give ? c->language : NULL,
			      .reason = c->reason,
			      .actor_id = who->person_id};
	const char *info = strcmp(c->scope, "suivi") == 0       ? "consent.suivi"
			   : strcmp(c->scope, "reference") == 0 ? "consent.reference"
								: "consent.citation";
	if (event_add(db, f->id, &e) < 0 ||
	    log_change(db, who, f, info, c->give ? "consent_given" : "consent_withdrawn") < 0 ||
	    (!c->give && strcmp(c->scope, "citation") == 0 && unquote_stories(db, f->id) < 0))
		return -1;
	if (!f->consent_date && c->give) {
		f->consent_date = c->on_date;
		f->consent_language = c->language;
	}
	/* Without consent to be followed, the file does not stay open. */
	if (!c->give && strcmp(c->scope, "suivi") == 0 && !(f->closed && *f->closed)) {
		struct event_row ce = {.kind = "closed",
				       .on_date = c->on_date,
				       .reason_code = "consentement_retire",
				       .actor_id = who->person_id};
		if (set_closed(db, f->id, c->on_date, "consentement_retire") < 0 ||
		    event_add(db, f->id, &ce) < 0 || log_change(db, who, f, "file", "closed") < 0)
			return -1;
		f->closed = c->on_date;
		f->close_reason = "consentement_retire";
	}
	return 0;
}

static bool known_close_reason(const char *code)
{
	for (size_t i = 0; code && i < family_close_reasons_count; i++)
		if (strcmp(code, family_close_reasons[i].code) == 0)
			return true;
	return false;
}

int family_close(struct db *db, struct arena *ar, const struct actor *who, struct family *f,
		 const char *on_date, const char *reason_code, const char *comment,
		 struct validation *v)
{
	(void)ar;
	if (!family_can_change(who, f))
		validation_add(v, "reason_code", N_("Vous ne pouvez pas modifier ce dossier."));
	else if (f->closed && *f->closed)
		validation_add(v, "reason_code", N_("Ce suivi est déjà fermé."));
	check_change_date(f, "on_date", on_date, v);
	if (!known_close_reason(reason_code))
		validation_add(v, "reason_code", N_("Choisissez la raison de la fermeture."));
	check_reason("comment", comment, reason_code && strcmp(reason_code, "autre") == 0, v);
	if (v->n)
		return 1;
	struct event_row e = {.kind = "closed",
			      .on_date = on_date,
			      .reason_code = reason_code,
			      .reason = comment,
			      .actor_id = who->person_id};
	if (set_closed(db, f->id, on_date, reason_code) < 0 || event_add(db, f->id, &e) < 0 ||
	    log_change(db, who, f, "file", "closed") < 0)
		return -1;
	f->closed = on_date;
	f->close_reason = reason_code;
	return 0;
}

int family_reopen(struct db *db, struct arena *ar, const struct actor *who, struct family *f,
		  const char *on_date, const char *reason, struct validation *v)
{
	(void)ar;
	if (!family_can_change(who, f))
		validation_add(v, "reason", N_("Vous ne pouvez pas modifier ce dossier."));
	else if (!(f->closed && *f->closed))
		validation_add(v, "reason", N_("Ce suivi est ouvert."));
	else if (!f->consent_suivi)
		validation_add(v, "reason",
			       N_("La famille a retiré son consentement au suivi : enregistrez "
				  "d'abord son nouveau consentement."));
	check_change_date(f, "on_date", on_date, v);
	if (!v->n && f->closed && strcmp(on_date, f->closed) < 0)
		validation_add(v, "on_date", N_("Cette date précède la fermeture."));
	check_reason("reason", reason, true, v);
	if (v->n)
		return 1;
	struct event_row e = {.kind = "reopened",
			      .on_date = on_date,
			      .reason = reason,
			      .actor_id = who->person_id};
	if (set_closed(db, f->id, NULL, NULL) < 0 || event_add(db, f->id, &e) < 0 ||
	    log_change(db, who, f, "file", "reopened") < 0)
		return -1;
	f->closed = NULL;
	f->close_reason = NULL;
	return 0;
}

int family_history(struct db *db, struct arena *ar, const struct family *f,
		   struct family_event **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_EVENTS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, f->id);
	struct row_array rows = {0};
	struct family_event *e;
	while ((e = row_next(db, s, ar, &rows, sizeof(*e), "family.history"))) {
		e->id = db_col_int64(s, 0);
		e->kind = db_col_text(ar, s, 1);
		e->scope = db_col_text(ar, s, 2);
		e->on_date = db_col_text(ar, s, 3);
		e->language = db_col_text(ar, s, 4);
		e->reason_code = db_col_text(ar, s, 5);
		e->reason = db_col_text(ar, s, 6);
		e->actor_id = db_col_int64(s, 7);
		e->actor_name = db_col_text(ar, s, 8);
		e->at = db_col_int64(s, 9);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}
