/* /api/v1/families: followed families (docs/api.md). The record (code,
 * consent, dates) is visible to the organisation's PAP and managers; the
 * nominative details only to the PAP who follows the family and the
 * managers, and every read of them is entered in the access log by the
 * model, with the purpose the client gives. */
#include <string.h>

#include "api/api.h"
#include "core/i18n.h"
#include "core/util.h"
#include "model/family.h"

#define PURPOSE_MAX 64
#define OFFSET_MAX 100000000

/* Writes a family as a JSON object; with nom (may be NULL) its nominative
 * details too. */
static void write_family(struct jsonw *w, const struct family *f, const struct nominative *nom)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", f->ext_id);
	jsonw_kv_str(w, "organisation", f->organisation_ext);
	jsonw_kv_str(w, "code", f->code);
	jsonw_kv_str(w, "follower", f->follower_ext);
	jsonw_kv_str(w, "opened", f->opened);
	jsonw_kv_str(w, "closed", f->closed);
	jsonw_key(w, "consent");
	if (f->consent_date) {
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "date", f->consent_date);
		jsonw_kv_str(w, "language", f->consent_language);
		jsonw_key(w, "scopes");
		jsonw_arr_begin(w);
		if (f->consent_suivi)
			jsonw_str(w, "suivi");
		if (f->consent_reference)
			jsonw_str(w, "reference");
		if (f->consent_citation)
			jsonw_str(w, "citation");
		jsonw_arr_end(w);
		jsonw_obj_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_kv_bool(w, "has_nominative", f->has_nominative);
	if (nom) {
		jsonw_key(w, "nominative");
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "name", nom->name);
		jsonw_kv_str(w, "phone", nom->phone);
		jsonw_kv_str(w, "address", nom->address);
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
}

/* The purpose of a nominative read or write: the "purpose" query
 * parameter (1..PURPOSE_MAX of a-z 0-9 _ - .) or def. */
static enum perr read_purpose(struct request *req, const char *def, const char **out)
{
	const char *p = req_query(req, "purpose");
	*out = def;
	if (!p)
		return PERR_OK;
	size_t n = strlen(p);
	bool ok = n > 0 && n <= PURPOSE_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_' ||
		     p[i] == '-' || p[i] == '.';
	if (!ok)
		return api_fail(req, PERR_INVALID, "purpose",
				N_("La finalité compte de 1 à 64 caractères : lettres minuscules "
				   "sans accent, chiffres, _ - ou point."));
	*out = p;
	return PERR_OK;
}

enum perr api_family_list(struct request *req, struct response *resp)
{
	int limit, offset;
	enum perr e = api_query_limit(req, &limit);
	if (e == PERR_OK)
		e = api_query_int(req, "offset", 0, OFFSET_MAX, 0, &offset);
	if (e != PERR_OK)
		return e;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct family *v;
	size_t n;
	int64_t total;
	if (family_list_page(db, req->arena, req->actor, req_query(req, "code"), limit, offset, &v,
			     &n, &total) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_list_begin(resp, &w);
	for (size_t i = 0; i < n; i++)
		write_family(&w, &v[i], NULL);
	static const char *const keep[] = {"code"};
	struct api_next next = {req, "/api/v1/families", NULL, keep, ARRAY_LEN(keep)};
	if (n && (int64_t)offset + (int64_t)n < total)
		next.paging = arena_printf(req->arena, "limit=%d&offset=%lld", limit,
					   (long long)offset + (long long)n);
	return api_page_end(resp, &w, total, limit, offset, &next);
}

enum perr api_family_get(struct request *req, struct response *resp)
{
	const char *purpose;
	enum perr e = read_purpose(req, "consultation", &purpose);
	if (e != PERR_OK)
		return e;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	int64_t id;
	struct family f;
	int r = lookup_ext(db, EXT_FAMILY, req_param(req, "id"), &id);
	if (r == 0)
		r = family_get(db, req->arena, req->actor, id, &f);
	e = api_found(req, r, N_("Cette famille n'existe pas."));
	if (e != PERR_OK)
		return e;
	struct nominative nom;
	bool with_nom = false;
	if (f.has_nominative && family_nominative_allowed(req->actor, &f)) {
		r = family_read_nominative(db, req->arena, req->actor, &f, purpose, &nom);
		if (r < 0)
			return PERR_INTERNAL;
		with_nom = r == 0;
	}
	struct jsonw w;
	api_begin(resp, &w, 200);
	write_family(&w, &f, with_nom ? &nom : NULL);
	return api_end(resp, &w);
}

static const char *const family_keys[] = {
	"id",     "kind",    "organisation", "code",           "follower", "opened",
	"closed", "consent", "nominative",   "has_nominative", NULL,
};
static const char *const consent_keys[] = {"date", "language", "scopes", NULL};
static const char *const nominative_keys[] = {"name", "phone", "address", NULL};

/* Reads consent {date, language, scopes} into f. */
static void read_consent(struct arena *ar, json_t *o, struct family *f, struct validation *v)
{
	json_t *c = NULL;
	if (api_in_object(o, "consent", "consent", &c, v) < 0 || !c)
		return;
	api_in_known(c, consent_keys, "consent.", ar, v);
	api_in_str(c, "date", "consent.date", ar, &f->consent_date, v);
	api_in_str(c, "language", "consent.language", ar, &f->consent_language, v);
	const char **scopes = NULL;
	size_t n = 0;
	if (api_in_strings(c, "scopes", "consent.scopes", ar, &scopes, &n, v) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(scopes[i], "suivi") == 0) {
			f->consent_suivi = true;
		} else if (strcmp(scopes[i], "reference") == 0) {
			f->consent_reference = true;
		} else if (strcmp(scopes[i], "citation") == 0) {
			f->consent_citation = true;
		} else {
			validation_add(v, "consent.scopes",
				       N_("Cette valeur ne fait pas partie de la liste."));
			return;
		}
	}
}

/* Reads the follower (a person's external id): a PAP may name only
 * themselves or a colleague of the organisation (the model checks the
 * organisation). */
static enum perr read_follower(struct db *db, struct request *req, json_t *o, struct family *f,
			       struct validation *v)
{
	const char *ext = NULL;
	if (api_in_str(o, "follower", "follower", req->arena, &ext, v) < 0 || !ext)
		return PERR_OK;
	int64_t id;
	int r = lookup_ext(db, EXT_PERSON, ext, &id);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		validation_add(v, "follower", N_("Cette personne n'existe pas."));
	f->follower_id = id;
	return PERR_OK;
}

/* POST: opens a family file in the actor's organisation. */
static enum perr create(struct request *req, struct response *resp, struct db *db)
{
	const struct actor *me = req->actor;
	if (!actor_keeps_journal(me))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas d'ouvrir un dossier de famille."));
	const char *purpose;
	enum perr e = read_purpose(req, "suivi", &purpose);
	if (e != PERR_OK)
		return e;
	json_t *o;
	e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct arena *ar = req->arena;
	struct validation v = {0};
	struct family f = {
		.organisation_id = me->organisation_id,
		.follower_id = me->role == ROLE_PAP ? me->person_id : 0,
	};
	const char *kind = NULL, *org = NULL;
	json_t *nj = NULL;
	struct nominative nom = {0};
	bool has_nom = false;
	api_in_known(o, family_keys, "", ar, &v);
	if (api_in_str(o, "kind", "kind", ar, &kind, &v) == 0 && kind &&
	    strcmp(kind, "family") != 0)
		validation_add(&v, "kind", N_("Ce champ doit valoir « family »."));
	api_in_ext_id(o, ar, &f.ext_id, &v);
	if (api_in_str(o, "organisation", "organisation", ar, &org, &v) == 0 && org) {
		int64_t oid;
		if (lookup_ext(db, EXT_ORGANISATION, org, &oid) < 0)
			e = PERR_UNAVAILABLE;
		else if (oid != me->organisation_id)
			validation_add(&v, "organisation",
				       N_("Vous ne pouvez ouvrir un dossier que dans votre "
					  "organisation."));
	}
	api_in_str(o, "code", "code", ar, &f.code, &v);
	api_in_str(o, "opened", "opened", ar, &f.opened, &v);
	api_in_str(o, "closed", "closed", ar, &f.closed, &v);
	read_consent(ar, o, &f, &v);
	if (api_in_object(o, "nominative", "nominative", &nj, &v) == 0 && nj) {
		has_nom = true;
		api_in_known(nj, nominative_keys, "nominative.", ar, &v);
		api_in_str(nj, "name", "nominative.name", ar, &nom.name, &v);
		api_in_str(nj, "phone", "nominative.phone", ar, &nom.phone, &v);
		api_in_str(nj, "address", "nominative.address", ar, &nom.address, &v);
	}
	if (e == PERR_OK)
		e = read_follower(db, req, o, &f, &v);
	json_decref(o);
	if (e != PERR_OK)
		return e;
	if (!v.n) {
		enum perr clash = api_ext_id_free(req, db, EXT_FAMILY, f.ext_id,
						  N_("Une famille porte déjà cet identifiant."));
		if (clash != PERR_OK)
			return clash;
	}
	if (v.n || family_validate(db, &f, has_nom ? &nom : NULL, &v) < 0)
		return v.n ? api_validation_failed(req, resp, &v) : PERR_UNAVAILABLE;
	if (family_save(db, ar, me->person_id, &f, has_nom ? &nom : NULL, purpose) < 0)
		return PERR_INTERNAL;
	struct family saved;
	if (family_get(db, ar, me, f.id, &saved) != 0)
		return PERR_INTERNAL;
	struct jsonw w;
	api_begin(resp, &w, 201);
	write_family(&w, &saved, NULL);
	return api_end(resp, &w);
}

enum perr api_family_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create);
}
