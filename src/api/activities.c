/* /api/v1/activities: the journal, with the interchange's field names
 * (docs/api.md). Activities are addressed by their external id. */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "core/i18n.h"
#include "core/util.h"
#include "model/activity.h"
#include "model/person.h"

#define OFFSET_MAX 100000000

/* Writes one activity as a JSON object (external ids for every reference,
 * as the model read them). */
static void write_activity(struct jsonw *w, const struct activity *x)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", x->ext_id);
	jsonw_kv_str(w, "author", x->author_ext);
	jsonw_kv_str(w, "organisation", x->organisation_ext);
	jsonw_kv_str(w, "territory", x->territory_ext);
	jsonw_kv_str(w, "date", x->date);
	jsonw_kv_str(w, "start_time", x->start_time);
	jsonw_kv_int(w, "duration_min", x->duration_min);
	jsonw_key(w, "indirect");
	jsonw_obj_begin(w);
	jsonw_kv_int(w, "deplacement", x->ind_deplacement);
	jsonw_kv_int(w, "interprete", x->ind_interprete);
	jsonw_kv_int(w, "redaction", x->ind_redaction);
	jsonw_kv_int(w, "preparation", x->ind_preparation);
	jsonw_obj_end(w);
	jsonw_kv_str(w, "type", x->type);
	api_kv_strings(w, "components", &x->components);
	api_kv_strings(w, "strategies", &x->strategies);
	jsonw_kv_str(w, "place", x->place);
	jsonw_kv_bool(w, "unplanned", x->unplanned);
	jsonw_kv_str(w, "initiated_by", x->initiated_by);
	jsonw_key(w, "counts");
	jsonw_obj_begin(w);
	jsonw_kv_int(w, "adults", x->adults);
	jsonw_kv_int(w, "children_0_5", x->children_0_5);
	jsonw_kv_int(w, "children_6_17", x->children_6_17);
	jsonw_kv_int(w, "families", x->families);
	jsonw_kv_int(w, "new_contacts", x->new_contacts);
	jsonw_kv_int(w, "hors_reseau", x->hors_reseau);
	jsonw_obj_end(w);
	api_kv_strings(w, "families", &x->family_exts);
	api_kv_strings(w, "partners", &x->partner_exts);
	api_kv_strings(w, "with_pap", &x->pap_exts);
	api_kv_strings(w, "needs", &x->needs);
	api_kv_strings(w, "outcomes", &x->outcomes);
	jsonw_kv_str(w, "note", x->note);
	api_kv_time(w, "created_at", x->created_at);
	api_kv_time(w, "updated_at", x->updated_at);
	jsonw_obj_end(w);
}

/* Sets the ETag header of x (activity_etag). */
static void set_etag(struct request *req, struct response *resp, const struct activity *x)
{
	char tag[ACTIVITY_ETAG_SIZE];
	activity_etag(x, tag);
	resp_header(resp, req->arena, "ETag", arena_strdup(req->arena, tag));
}

/* Answers one activity (re-read as the actor sees it) with status. */
static enum perr answer_one(struct request *req, struct response *resp, struct db *db, int64_t id,
			    int status)
{
	struct activity x;
	int r = activity_get(db, req->arena, req->actor, id, &x);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_INTERNAL; /* just written: must be visible */
	struct jsonw w;
	buf_reset(&resp->body);
	set_etag(req, resp, &x);
	api_begin(resp, &w, status);
	write_activity(&w, &x);
	return api_end(resp, &w);
}

/* Answers the activity a just saved with status, from memory: the values
 * and ids it was saved with are what a read would give back
 * (activity_as_stored), so the write unit reads nothing again. Re-reads it
 * when a lacks an external id. */
static enum perr answer_saved(struct request *req, struct response *resp, struct db *db,
			      struct activity *a, int status)
{
	if (activity_as_stored(req->arena, a) < 0)
		return answer_one(req, resp, db, a->id, status);
	struct jsonw w;
	buf_reset(&resp->body);
	set_etag(req, resp, a);
	api_begin(resp, &w, status);
	write_activity(&w, a);
	return api_end(resp, &w);
}

/* Input fields: the interchange's, plus read-only ones a client may send
 * back from a GET (ignored). */
static const char *const activity_keys[] = {
	"id",         "kind",       "author",       "organisation", "territory",
	"date",       "start_time", "duration_min", "indirect",     "type",
	"components", "strategies", "place",        "unplanned",    "initiated_by",
	"counts",     "families",   "partners",     "with_pap",     "needs",
	"outcomes",   "note",       "created_at",   "updated_at",   NULL,
};
static const char *const indirect_keys[] = {
	"deplacement", "interprete", "redaction", "preparation", NULL,
};
static const char *const count_keys[] = {
	"adults", "children_0_5", "children_6_17", "families", "new_contacts", "hors_reseau", NULL,
};

/* Reads o[key], a list of external ids of kind kind, into row ids (*out)
 * and those external ids in the same order (*exts). Unknown ids and
 * repeats are field errors (unknown_msg). Returns PERR_OK or
 * PERR_UNAVAILABLE on a database error. */
static enum perr read_ids(struct db *db, struct arena *a, json_t *o, const char *key,
			  enum ext_kind kind, const char *unknown_msg, struct idlist *out,
			  struct strlist *exts, struct validation *v)
{
	const char **ext = NULL;
	size_t n = 0;
	*out = (struct idlist){NULL, 0};
	*exts = (struct strlist){NULL, 0};
	if (api_in_strings(o, key, key, a, &ext, &n, v) < 0 || n == 0)
		return PERR_OK;
	int64_t *ids = arena_alloc(a, n * sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		int r = lookup_ext(db, kind, ext[i], &ids[i]);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r > 0) {
			validation_add(v, key, unknown_msg);
			return PERR_OK;
		}
		for (size_t k = 0; k < i; k++)
			if (ids[k] == ids[i]) {
				validation_add(v, key, N_("Une valeur est répétée."));
				return PERR_OK;
			}
	}
	*out = (struct idlist){ids, n};
	*exts = (struct strlist){ext, n};
	return PERR_OK;
}

/* Reads the author (a person's external id) and checks that the actor may
 * file an activity under that name: a PAP only under their own, a manager
 * under anyone of their organisation. */
static enum perr read_author(struct request *req, struct db *db, json_t *o, struct activity *a,
			     struct validation *v)
{
	const char *ext = NULL;
	if (api_in_str(o, "author", "author", req->arena, &ext, v) < 0 || !ext)
		return PERR_OK;
	int64_t id, org;
	if (person_find_ref(db, ext, &id, &org) < 0)
		return PERR_UNAVAILABLE;
	if (!id)
		validation_add(v, "author", N_("Cette personne n'existe pas."));
	else if (req->actor->role == ROLE_PAP && id != req->actor->person_id)
		validation_add(v, "author",
			       N_("Vous ne pouvez inscrire une activité qu'à votre propre nom."));
	else if (req->actor->role != ROLE_PAP && org != req->actor->organisation_id)
		validation_add(v, "author", N_("Cette personne n'est pas de votre organisation."));
	else {
		a->author_id = id;
		a->author_ext = ext;
	}
	return PERR_OK;
}

/* Fills a from the JSON object o. What o lacks keeps the value a already
 * holds for author and territory (the caller's defaults) and is empty or
 * zero for the rest (a full replacement). Type errors and unknown
 * references go to v. Returns PERR_OK or PERR_UNAVAILABLE. */
static enum perr parse_activity(struct request *req, struct db *db, json_t *o, struct activity *a,
				struct validation *v)
{
	struct arena *ar = req->arena;
	json_t *ind = NULL, *cnt = NULL;
	const char *kind = NULL, *territory = NULL;
	api_in_known(o, activity_keys, "", ar, v);
	if (api_in_str(o, "kind", "kind", ar, &kind, v) == 0 && kind &&
	    strcmp(kind, "activity") != 0)
		validation_add(v, "kind", N_("Ce champ doit valoir « activity »."));
	api_in_str(o, "date", "date", ar, &a->date, v);
	api_in_str(o, "start_time", "start_time", ar, &a->start_time, v);
	api_in_int(o, "duration_min", "duration_min", &a->duration_min, v);
	if (api_in_object(o, "indirect", "indirect", &ind, v) == 0 && ind) {
		api_in_known(ind, indirect_keys, "indirect.", ar, v);
		api_in_int(ind, "deplacement", "indirect.deplacement", &a->ind_deplacement, v);
		api_in_int(ind, "interprete", "indirect.interprete", &a->ind_interprete, v);
		api_in_int(ind, "redaction", "indirect.redaction", &a->ind_redaction, v);
		api_in_int(ind, "preparation", "indirect.preparation", &a->ind_preparation, v);
	}
	api_in_str(o, "type", "type", ar, &a->type, v);
	api_in_strings(o, "components", "components", ar, &a->components.v, &a->components.n, v);
	api_in_strings(o, "strategies", "strategies", ar, &a->strategies.v, &a->strategies.n, v);
	api_in_str(o, "place", "place", ar, &a->place, v);
	api_in_bool(o, "unplanned", "unplanned", &a->unplanned, v);
	api_in_str(o, "initiated_by", "initiated_by", ar, &a->initiated_by, v);
	if (api_in_object(o, "counts", "counts", &cnt, v) == 0 && cnt) {
		api_in_known(cnt, count_keys, "counts.", ar, v);
		api_in_int(cnt, "adults", "counts.adults", &a->adults, v);
		api_in_int(cnt, "children_0_5", "counts.children_0_5", &a->children_0_5, v);
		api_in_int(cnt, "children_6_17", "counts.children_6_17", &a->children_6_17, v);
		api_in_int(cnt, "families", "counts.families", &a->families, v);
		api_in_int(cnt, "new_contacts", "counts.new_contacts", &a->new_contacts, v);
		api_in_int(cnt, "hors_reseau", "counts.hors_reseau", &a->hors_reseau, v);
	}
	api_in_strings(o, "needs", "needs", ar, &a->needs.v, &a->needs.n, v);
	api_in_strings(o, "outcomes", "outcomes", ar, &a->outcomes.v, &a->outcomes.n, v);
	api_in_str(o, "note", "note", ar, &a->note, v);
	if (api_in_str(o, "territory", "territory", ar, &territory, v) == 0 && territory) {
		int64_t t;
		int r = lookup_ext(db, EXT_TERRITORY, territory, &t);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r > 0)
			validation_add(v, "territory", N_("Ce territoire n'existe pas."));
		a->territory_id = t;
		a->territory_ext = territory;
	}
	enum perr e = read_author(req, db, o, a, v);
	if (e == PERR_OK)
		e = read_ids(db, ar, o, "families", EXT_FAMILY, N_("Cette famille n'existe pas."),
			     &a->family_ids, &a->family_exts, v);
	if (e == PERR_OK)
		e = read_ids(db, ar, o, "partners", EXT_ORGANISATION,
			     N_("Cette organisation n'existe pas."), &a->partner_ids,
			     &a->partner_exts, v);
	if (e == PERR_OK)
		e = read_ids(db, ar, o, "with_pap", EXT_PERSON, N_("Cette personne n'existe pas."),
			     &a->pap_ids, &a->pap_exts, v);
	return e;
}

/* Parses o into a, validates it with the model's rules and saves it; a
 * holds the defaults (and the row id for an update). Answers 422 with
 * every field error, or the saved activity with status. */
static enum perr parse_save(struct request *req, struct response *resp, struct db *db, json_t *o,
			    struct activity *a, int status)
{
	struct validation v = {0};
	enum perr e = parse_activity(req, db, o, a, &v);
	if (e != PERR_OK)
		return e;
	if (v.n)
		return api_validation_failed(req, resp, &v);
	if (activity_validate(db, a, &v) < 0)
		return v.n ? api_validation_failed(req, resp, &v) : PERR_UNAVAILABLE;
	if (activity_save(db, req->arena, a) < 0)
		return PERR_INTERNAL;
	return answer_saved(req, resp, db, a, status);
}

/* The row id of the activity named by the path, if the actor may see it:
 * >0, 0 (not found or not visible: 404 for the caller), -1 on error. The
 * activity goes to *out. */
static int64_t find_visible(struct request *req, struct db *db, struct activity *out)
{
	int64_t id;
	int r = lookup_ext(db, EXT_ACTIVITY, req_param(req, "id"), &id);
	if (r != 0)
		return r < 0 ? -1 : 0;
	r = activity_get(db, req->arena, req->actor, id, out);
	return r < 0 ? -1 : (r > 0 ? 0 : id);
}

/* The 404 of an activity that is absent or not visible. */
static enum perr not_found(struct request *req)
{
	return api_fail(req, PERR_NOT_FOUND, NULL, N_("Cette activité n'existe pas."));
}

enum perr api_activity_list(struct request *req, struct response *resp)
{
	struct activity_filter f = {0};
	const char *author = req_query(req, "author");
	enum perr e = api_query_period(req, &f.from, &f.to);
	if (e == PERR_OK)
		e = api_query_limit(req, &f.limit);
	if (e == PERR_OK)
		e = api_query_int(req, "offset", 0, OFFSET_MAX, 0, &f.offset);
	if (e != PERR_OK)
		return e;
	f.type = req_query(req, "type");
	if (f.type && !*f.type)
		f.type = NULL;
	f.place = req_query(req, "place");
	if (f.place && !*f.place)
		f.place = NULL;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	bool none = false;
	if (author && *author) {
		int64_t id;
		if (lookup_ext(db, EXT_PERSON, author, &id) < 0)
			return PERR_UNAVAILABLE;
		/* A PAP sees only their own: another author matches nothing. */
		none = id == 0 || (req->actor->role == ROLE_PAP && id != req->actor->person_id);
		f.author_id = id;
	}
	struct activity *items = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (!none && activity_list(db, req->arena, req->actor, &f, &items, &n, &total) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_list_begin(resp, &w);
	for (size_t i = 0; i < n; i++)
		write_activity(&w, &items[i]);
	static const char *const keep[] = {"from", "to", "type", "place", "author"};
	struct api_next next = {req, "/api/v1/activities", NULL, keep, ARRAY_LEN(keep)};
	if (n && (int64_t)f.offset + (int64_t)n < total)
		next.paging = arena_printf(req->arena, "limit=%d&offset=%lld", f.limit,
					   (long long)f.offset + (long long)n);
	return api_page_end(resp, &w, total, f.limit, f.offset, &next);
}

enum perr api_activity_get(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct activity x;
	int64_t id = find_visible(req, db, &x);
	if (id < 0)
		return PERR_UNAVAILABLE;
	if (id == 0)
		return not_found(req);
	struct jsonw w;
	set_etag(req, resp, &x);
	api_begin(resp, &w, 200);
	write_activity(&w, &x);
	return api_end(resp, &w);
}

/* True when the request's If-Match (absent, "*", or a list of ETags)
 * allows changing x. */
static bool if_match_ok(const struct request *req, const struct activity *x)
{
	const char *im = req_header(req, "If-Match");
	if (!im || strcmp(im, "*") == 0)
		return true;
	char tag[ACTIVITY_ETAG_SIZE];
	activity_etag(x, tag);
	return strstr(im, tag) != NULL;
}

/* A new activity read and validated before its write unit (prepare): its
 * fields, their errors, and its external id when the body gave one. */
struct prepared_activity {
	struct activity a;
	struct validation v;
	const char *ext;
};

/* The new activity's defaults: the actor's name, organisation, territory. */
static struct activity new_activity(const struct actor *me)
{
	return (struct activity){
		.author_id = me->person_id,
		.organisation_id = me->organisation_id,
		.territory_id = me->territory_id,
		.author_ext = me->ext_id,
		.organisation_ext = me->organisation_ext,
		.territory_ext = me->territory_ext,
	};
}

/* Reads o as a new activity into p, as create does in its unit: the
 * external id first, then (when it is acceptable) every field and the
 * model's rules. PERR_OK, or PERR_UNAVAILABLE. */
static enum perr read_new(struct request *req, struct db *db, json_t *o,
			  struct prepared_activity *p)
{
	const char *ext = NULL;
	p->a = new_activity(req->actor);
	if (api_in_ext_id(o, req->arena, &ext, &p->v) == 0)
		p->a.ext_id = p->ext = ext;
	if (p->v.n)
		return PERR_OK;
	if (!p->ext) /* drawn here, out of the unit */
		p->a.ext_id = activity_new_ext_id(req->arena);
	enum perr e = parse_activity(req, db, o, &p->a, &p->v);
	if (e != PERR_OK || p->v.n)
		return e;
	if (activity_validate(db, &p->a, &p->v) < 0 && !p->v.n)
		return PERR_UNAVAILABLE;
	return PERR_OK;
}

/* Reading and validation read only what earlier COMMITs stored: whatever a
 * client refers to, it learnt of from an answer sent after the COMMIT that
 * stored it. A reference removed meanwhile still fails the unit (the
 * schema's foreign keys); a rule checked here against a state a few
 * milliseconds old gives what the write would have got just before. */
static void prepare(struct request *req)
{
	if (!req->actor || !actor_keeps_journal(req->actor))
		return;
	struct db *db = db_thread();
	if (!db)
		return;
	/* A refused body is answered by the handler, which reads it again. */
	const char *msg = req->err_message, *field = req->err_field;
	json_t *o;
	if (api_read_body(req, &o) != PERR_OK) {
		req->err_message = msg;
		req->err_field = field;
		return;
	}
	struct prepared_activity *p = arena_calloc(req->arena, 1, sizeof(*p));
	if (read_new(req, db, o, p) == PERR_OK)
		req->prepared = p;
	json_decref(o);
}

/* POST with its activity p read: the external id's uniqueness (it must
 * see the group's earlier units; a clash is answered before any field
 * error), then the save and the answer. */
static enum perr create_read(struct request *req, struct response *resp, struct db *db,
			     struct prepared_activity *p)
{
	if (p->ext) {
		enum perr clash = api_ext_id_free(req, db, EXT_ACTIVITY, p->ext,
						  N_("Une activité porte déjà cet identifiant."));
		if (clash != PERR_OK)
			return clash;
	}
	if (p->v.n)
		return api_validation_failed(req, resp, &p->v);
	if (activity_save(db, req->arena, &p->a) < 0)
		return PERR_INTERNAL;
	return answer_saved(req, resp, db, &p->a, 201);
}

/* POST: a new activity by the actor, for their organisation, read before
 * the unit (prepare) or here. */
static enum perr create(struct request *req, struct response *resp, struct db *db)
{
	if (!actor_keeps_journal(req->actor))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas d'inscrire des activités."));
	struct prepared_activity *p = req->prepared;
	if (!p) {
		json_t *o;
		enum perr e = api_read_body(req, &o);
		if (e != PERR_OK)
			return e;
		p = arena_calloc(req->arena, 1, sizeof(*p));
		e = read_new(req, db, o, p);
		json_decref(o);
		if (e != PERR_OK)
			return e;
	}
	return create_read(req, resp, db, p);
}

/* The write unit of POST (app_write). */
static enum perr create_unit(struct request *req, struct response *resp)
{
	return api_write(req, resp, create);
}

enum perr api_activity_create(struct request *req, struct response *resp)
{
	prepare(req);
	return app_write(req, resp, create_unit);
}

/* RFC 7386 JSON merge patch: applies patch to target in place. */
static void merge_patch(json_t *target, json_t *patch)
{
	const char *k;
	json_t *pv;
	json_object_foreach(patch, k, pv)
	{
		if (json_is_null(pv)) {
			json_object_del(target, k);
		} else if (json_is_object(pv)) {
			json_t *tv = json_object_get(target, k);
			if (!json_is_object(tv)) {
				tv = json_object();
				if (!tv)
					die_oom();
				json_object_set_new(target, k, tv);
			}
			merge_patch(tv, pv);
		} else {
			json_object_set(target, k, pv);
		}
	}
}

/* The existing activity x as a JSON object (new reference), or NULL. */
static json_t *as_json(const struct activity *x)
{
	struct buf b = BUF_INIT(1u << 20);
	struct jsonw w;
	jsonw_init(&w, &b);
	write_activity(&w, x);
	json_t *o = jsonw_finish(&w) == 0 ? json_loadb(b.data, b.len, 0, NULL) : NULL;
	buf_free(&b);
	return o;
}

/* PUT (patch false: the body replaces every field) and PATCH (patch true:
 * the body is a merge patch of the activity as GET shows it). Author,
 * organisation and territory stay as they were unless the body says
 * otherwise. */
static enum perr update(struct request *req, struct response *resp, struct db *db, bool patch)
{
	struct activity old;
	int64_t id = find_visible(req, db, &old);
	if (id < 0)
		return PERR_UNAVAILABLE;
	if (id == 0 || !activity_can_edit(req->actor, &old))
		return not_found(req);
	if (!if_match_ok(req, &old))
		return api_fail(req, PERR_PRECONDITION, "If-Match",
				N_("Cette activité a été modifiée ailleurs depuis que vous l'avez "
				   "lue : relisez-la (GET) et reprenez votre modification."));
	json_t *body;
	enum perr e = api_read_body(req, &body);
	if (e != PERR_OK)
		return e;
	json_t *o = body;
	if (patch) {
		o = as_json(&old);
		if (!o) {
			json_decref(body);
			return PERR_INTERNAL;
		}
		merge_patch(o, body);
		json_decref(body);
	}
	struct validation v = {0};
	const char *ext = NULL;
	if (api_in_str(o, "id", "id", req->arena, &ext, &v) == 0 && ext &&
	    strcmp(ext, old.ext_id) != 0)
		validation_add(&v, "id",
			       N_("L'identifiant ne correspond pas à l'adresse de la requête."));
	if (v.n) {
		json_decref(o);
		return api_validation_failed(req, resp, &v);
	}
	struct activity a = {
		.id = old.id,
		.ext_id = old.ext_id,
		.author_id = old.author_id,
		.organisation_id = old.organisation_id,
		.territory_id = old.territory_id,
		.author_ext = old.author_ext,
		.organisation_ext = old.organisation_ext,
		.territory_ext = old.territory_ext,
		.created_at = old.created_at,
	};
	e = parse_save(req, resp, db, o, &a, 200);
	json_decref(o);
	return e;
}

/* The write functions of PUT and PATCH, for api_write. */
static enum perr replace(struct request *req, struct response *resp, struct db *db)
{
	return update(req, resp, db, false);
}

static enum perr patch(struct request *req, struct response *resp, struct db *db)
{
	return update(req, resp, db, true);
}

enum perr api_activity_replace(struct request *req, struct response *resp)
{
	return api_write(req, resp, replace);
}

enum perr api_activity_patch(struct request *req, struct response *resp)
{
	return api_write(req, resp, patch);
}

/* DELETE: a soft delete (the row stays for the statistics' history, out of
 * every list and read). 204 without a body. */
static enum perr delete (struct request *req, struct response *resp, struct db *db) {
	struct validation v = {0}; enum perr e = api_in_none(req, &v); if (e != PERR_OK) return e;
	if (v.n) return api_validation_failed(req, resp, &v);
	int64_t id;
	int r = lookup_ext(db, EXT_ACTIVITY, req_param(req, "id"), &id);
	if (r < 0) return PERR_UNAVAILABLE;
	if (r == 0) r = activity_delete(db, req->actor, id);
	if (r < 0) return PERR_INTERNAL;
	if (r > 0) return not_found(req);
	buf_reset(&resp->body);
	resp->status = HTTP_STATUS_NO_CONTENT;
	resp->content_type = NULL;
	return PERR_OK;
}

enum perr api_activity_delete(struct request *req, struct response *resp)
{
	return api_write(req, resp, delete);
}
