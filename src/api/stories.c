/* /api/v1/stories and /api/v1/service-gaps, with the interchange's field
 * names (interchange.md: kinds story and service_gap). */
#include "api/stories.h"

#include <string.h>

#include "api/api.h"
#include "core/i18n.h"
#include "core/util.h"
#include "model/service_gap.h"
#include "model/story.h"

/* One story as the reader sees it: text null when it may not be shown;
 * author, activity and family only for a whole view. */
static void write_story(struct jsonw *w, const struct story *s)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", s->ext_id);
	jsonw_kv_str(w, "author", s->author_ext);
	jsonw_kv_str(w, "date", s->date);
	jsonw_kv_str(w, "text", s->text);
	jsonw_kv_str(w, "activity", s->activity_ext);
	jsonw_kv_str(w, "family", s->family_ext);
	jsonw_kv_str(w, "project", s->project_ext);
	jsonw_kv_str(w, "territory", s->territory_ext);
	api_kv_strings(w, "strategies", &s->strategies);
	api_kv_strings(w, "outcomes", &s->outcomes);
	api_kv_strings(w, "needs", &s->needs);
	api_kv_strings(w, "components", &s->components);
	jsonw_kv_bool(w, "consent_quote", s->consent_quote);
	jsonw_kv_bool(w, "quotable", s->quotable);
	/* The interchange's fields are the organisation's choice; every
	 * level's is in "selections". */
	const struct story_choice *org = story_choice_of(s, STORY_LEVEL_ORGANISATION);
	jsonw_kv_bool(w, "selected", org->selected);
	jsonw_kv_str(w, "selection_reason", org->selected ? org->reason : NULL);
	jsonw_kv_str(w, "selected_by", org->selected ? org->by_ext : NULL);
	api_kv_time(w, "selected_at", org->selected ? org->at : 0);
	jsonw_key(w, "selections");
	jsonw_arr_begin(w);
	for (enum story_level l = STORY_LEVEL_ORGANISATION; l <= STORY_LEVELS; l++) {
		const struct story_choice *c = story_choice_of(s, l);
		if (!c->selected)
			continue;
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "level", story_level_code(l));
		jsonw_kv_str(w, "reason", c->reason);
		jsonw_kv_str(w, "selected_by", c->by_ext);
		api_kv_time(w, "selected_at", c->at);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}

static enum perr not_found(struct request *req)
{
	return api_fail(req, PERR_NOT_FOUND, NULL, N_("Ce récit n'existe pas."));
}

/* The story of the path's :id as the actor sees it: >0, 0 (404), -1. */
static int64_t find_visible(struct request *req, struct db *db, struct story *out)
{
	int64_t id;
	int r = lookup_ext(db, EXT_STORY, req_param(req, "id"), &id);
	if (r != 0)
		return r < 0 ? -1 : 0;
	r = story_get(db, req->arena, req->actor, id, out);
	return r < 0 ? -1 : (r > 0 ? 0 : id);
}

static enum perr answer_one(struct request *req, struct response *resp, struct db *db, int64_t id,
			    int status)
{
	struct story s;
	int r = story_get(db, req->arena, req->actor, id, &s);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_INTERNAL;
	struct jsonw w;
	buf_reset(&resp->body);
	api_begin(resp, &w, status);
	write_story(&w, &s);
	return api_end(resp, &w);
}

#define OFFSET_MAX 100000000

enum perr api_story_list(struct request *req, struct response *resp)
{
	struct story_filter f = {.q = req_query(req, "q")};
	int offset = 0;
	enum perr e = api_query_period(req, &f.from, &f.to);
	if (e == PERR_OK)
		e = api_query_limit(req, &f.limit);
	if (e == PERR_OK)
		e = api_query_int(req, "offset", 0, OFFSET_MAX, 0, &offset);
	if (e != PERR_OK)
		return e;
	f.offset = offset;
	const char *sel = req_query(req, "selected");
	f.selected_only = sel && strcmp(sel, "true") == 0;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct story *v;
	size_t n;
	int64_t total;
	if (story_list(db, req->arena, req->actor, &f, &v, &n, &total) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_list_begin(resp, &w);
	for (size_t i = 0; i < n; i++)
		write_story(&w, &v[i]);
	static const char *const keep[] = {"from", "to", "selected", "q"};
	struct api_next next = {req, "/api/v1/stories", NULL, keep, ARRAY_LEN(keep)};
	if (n && (int64_t)offset + (int64_t)n < total)
		next.paging = arena_printf(req->arena, "limit=%d&offset=%lld", f.limit,
					   (long long)offset + (long long)n);
	return api_page_end(resp, &w, total, f.limit, offset, &next);
}

enum perr api_story_get(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct story s;
	int64_t id = find_visible(req, db, &s);
	if (id < 0)
		return PERR_UNAVAILABLE;
	if (id == 0)
		return not_found(req);
	struct jsonw w;
	api_begin(resp, &w, 200);
	write_story(&w, &s);
	return api_end(resp, &w);
}

static const char *const story_keys[] = {
	"id",
	"kind",
	"author",
	"date",
	"text",
	"activity",
	"family",
	"project",
	"territory",
	"strategies",
	"outcomes",
	"needs",
	"components",
	"consent_quote",
	"quotable",
	"selected",
	"selection_reason",
	"selected_by",
	"selected_at",
	"selections",
	NULL,
};

/* A reference by external id into *id (0 when absent; unknown: error). */
static enum perr read_ref(struct request *req, struct db *db, json_t *o, const char *key,
			  enum ext_kind kind, const char *msg, int64_t *id, struct validation *v)
{
	const char *ext = NULL;
	*id = 0;
	if (api_in_str(o, key, key, req->arena, &ext, v) < 0 || !ext)
		return PERR_OK;
	int64_t x;
	int r = lookup_ext(db, kind, ext, &x);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		validation_add(v, key, msg);
	*id = x;
	return PERR_OK;
}

/* Fills s from o (a full replacement; author stays s's). */
static enum perr parse_story(struct request *req, struct db *db, json_t *o, struct story *s,
			     struct validation *v)
{
	struct arena *ar = req->arena;
	const char *kind = NULL;
	api_in_known(o, story_keys, "", ar, v);
	if (api_in_str(o, "kind", "kind", ar, &kind, v) == 0 && kind && strcmp(kind, "story") != 0)
		validation_add(v, "kind", N_("Ce champ doit valoir « story »."));
	s->date = NULL;
	s->text = NULL;
	s->consent_quote = false;
	api_in_str(o, "date", "date", ar, &s->date, v);
	api_in_str(o, "text", "text", ar, &s->text, v);
	api_in_bool(o, "consent_quote", "consent_quote", &s->consent_quote, v);
	s->strategies = s->outcomes = s->needs = s->components = (struct strlist){0};
	api_in_strings(o, "strategies", "strategies", ar, &s->strategies.v, &s->strategies.n, v);
	api_in_strings(o, "outcomes", "outcomes", ar, &s->outcomes.v, &s->outcomes.n, v);
	api_in_strings(o, "needs", "needs", ar, &s->needs.v, &s->needs.n, v);
	api_in_strings(o, "components", "components", ar, &s->components.v, &s->components.n, v);
	enum perr e = read_ref(req, db, o, "activity", EXT_ACTIVITY,
			       N_("Cette activité n'existe pas."), &s->activity_id, v);
	if (e == PERR_OK)
		e = read_ref(req, db, o, "family", EXT_FAMILY, N_("Cette famille n'existe pas."),
			     &s->family_id, v);
	if (e == PERR_OK)
		e = read_ref(req, db, o, "project", EXT_PROJECT, N_("Ce projet n'existe pas."),
			     &s->project_id, v);
	if (e == PERR_OK)
		e = read_ref(req, db, o, "territory", EXT_TERRITORY,
			     N_("Ce territoire n'existe pas."), &s->territory_id, v);
	return e;
}

/* Parses o into s, validates (replacing old, or NULL) and saves; answers
 * the saved story with status, or 422. */
static enum perr parse_save(struct request *req, struct response *resp, struct db *db, json_t *o,
			    struct story *s, const struct story *old, int status)
{
	struct validation v = {0};
	enum perr e = parse_story(req, db, o, s, &v);
	if (e != PERR_OK)
		return e;
	if (v.n)
		return api_validation_failed(req, resp, &v);
	if (story_validate(db, req->actor, s, old, &v) < 0)
		return v.n ? api_validation_failed(req, resp, &v) : PERR_UNAVAILABLE;
	if (story_save(db, req->arena, s) < 0)
		return PERR_INTERNAL;
	return answer_one(req, resp, db, s->id, status);
}

static enum perr create(struct request *req, struct response *resp, struct db *db)
{
	const struct actor *me = req->actor;
	if (!actor_keeps_journal(me))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas d'écrire des récits."));
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct story s = {.author_id = me->person_id};
	struct validation v = {0};
	const char *ext = NULL;
	if (api_in_ext_id(o, req->arena, &ext, &v) == 0) {
		enum perr clash = api_ext_id_free(req, db, EXT_STORY, ext,
						  N_("Un récit porte déjà cet identifiant."));
		if (clash != PERR_OK) {
			json_decref(o);
			return clash;
		}
		s.ext_id = ext;
	}
	if (v.n) {
		json_decref(o);
		return api_validation_failed(req, resp, &v);
	}
	e = parse_save(req, resp, db, o, &s, NULL, 201);
	json_decref(o);
	return e;
}

enum perr api_story_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create);
}

static enum perr replace(struct request *req, struct response *resp, struct db *db)
{
	struct story old;
	int64_t id = find_visible(req, db, &old);
	if (id < 0)
		return PERR_UNAVAILABLE;
	if (id == 0 || !story_can_edit(req->actor, &old))
		return not_found(req);
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
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
	struct story s = {.id = old.id, .ext_id = old.ext_id, .author_id = old.author_id};
	e = parse_save(req, resp, db, o, &s, &old, 200);
	json_decref(o);
	return e;
}

enum perr api_story_replace(struct request *req, struct response *resp)
{
	return api_write(req, resp, replace);
}

static const char *const select_keys[] = {"selected", "selection_reason", NULL};

static enum perr do_select(struct request *req, struct response *resp, struct db *db)
{
	int64_t id;
	int r = lookup_ext(db, EXT_STORY, req_param(req, "id"), &id);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return not_found(req);
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	bool selected = true;
	const char *reason = NULL;
	api_in_known(o, select_keys, "", req->arena, &v);
	api_in_bool(o, "selected", "selected", &selected, &v);
	api_in_str(o, "selection_reason", "selection_reason", req->arena, &reason, &v);
	json_decref(o);
	if (v.n)
		return api_validation_failed(req, resp, &v);
	r = story_select(db, req->actor, id, selected, reason, &v);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r == 1)
		return not_found(req);
	if (r == 2)
		return api_validation_failed(req, resp, &v);
	return answer_one(req, resp, db, id, 200);
}

enum perr api_story_select(struct request *req, struct response *resp)
{
	return api_write(req, resp, do_select);
}

/* ---- Service gaps. */

static void write_gap(struct jsonw *w, const struct service_gap *g)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", g->ext_id);
	jsonw_kv_str(w, "territory", g->territory_ext);
	jsonw_kv_str(w, "date", g->date);
	jsonw_kv_str(w, "need", g->need);
	jsonw_kv_str(w, "population", g->population);
	jsonw_kv_str(w, "frequency", g->frequency);
	jsonw_kv_str(w, "author", g->author_ext);
	jsonw_kv_str(w, "description", g->description);
	jsonw_kv_str(w, "corridor", g->corridor_ext);
	jsonw_kv_str(w, "project", g->project_ext);
	jsonw_obj_end(w);
}

enum perr api_service_gap_list(struct request *req, struct response *resp)
{
	const char *from, *to;
	enum perr e = api_query_period(req, &from, &to);
	if (e != PERR_OK)
		return e;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct service_gap *v;
	size_t n;
	if (service_gap_list(db, req->arena, req->actor, from, to, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct service_gap_group *g;
	size_t ng;
	service_gap_group_by_need(req->arena, v, n, &g, &ng);
	bool analyst = req->actor->role == ROLE_ANALYSTE;
	struct jsonw w;
	api_begin(resp, &w, 200);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "items");
	jsonw_arr_begin(&w);
	for (size_t i = 0; !analyst && i < n; i++)
		write_gap(&w, &v[i]);
	jsonw_arr_end(&w);
	jsonw_kv_int(&w, "total", (int64_t)n);
	jsonw_key(&w, "by_need");
	jsonw_arr_begin(&w);
	for (size_t k = 0; k < ng; k++) {
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "need", g[k].need);
		jsonw_kv_int(&w, "count", g[k].count);
		jsonw_key(&w, "populations");
		jsonw_obj_begin(&w);
		for (size_t p = 0; p < g[k].n_populations; p++)
			jsonw_kv_int(&w,
				     g[k].populations[p].population ? g[k].populations[p].population
								    : "non_precisee",
				     g[k].populations[p].count);
		jsonw_obj_end(&w);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}

static const char *const gap_keys[] = {"id",          "kind",       "territory", "date",
				       "need",        "population", "frequency", "author",
				       "description", "corridor",   "project",   NULL};

static enum perr gap_create(struct request *req, struct response *resp, struct db *db)
{
	const struct actor *me = req->actor;
	if (!actor_keeps_journal(me))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas de signaler des trous de service."));
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct arena *ar = req->arena;
	struct service_gap g = {.author_id = me->person_id, .territory_id = me->territory_id};
	struct validation v = {0};
	const char *terr = NULL;
	api_in_known(o, gap_keys, "", ar, &v);
	api_in_str(o, "date", "date", ar, &g.date, &v);
	api_in_str(o, "need", "need", ar, &g.need, &v);
	api_in_str(o, "population", "population", ar, &g.population, &v);
	api_in_str(o, "frequency", "frequency", ar, &g.frequency, &v);
	api_in_str(o, "description", "description", ar, &g.description, &v);
	if (api_in_str(o, "territory", "territory", ar, &terr, &v) == 0 && terr) {
		int64_t t;
		int r = lookup_ext(db, EXT_TERRITORY, terr, &t);
		if (r < 0) {
			json_decref(o);
			return PERR_UNAVAILABLE;
		}
		if (r > 0)
			validation_add(&v, "territory", N_("Ce territoire n'existe pas."));
		g.territory_id = t;
	}
	api_in_ext_id(o, ar, &g.ext_id, &v);
	e = api_ext_id_free(req, db, EXT_SERVICE_GAP, g.ext_id,
			    N_("Un trou de service porte déjà cet identifiant."));
	if (e != PERR_OK) {
		json_decref(o);
		return e;
	}
	json_decref(o);
	if (v.n)
		return api_validation_failed(req, resp, &v);
	if (service_gap_validate(db, me, &g, &v) < 0)
		return v.n ? api_validation_failed(req, resp, &v) : PERR_UNAVAILABLE;
	struct service_gap saved;
	if (service_gap_save(db, ar, &g) < 0 || service_gap_get(db, ar, me, g.id, &saved) != 0)
		return PERR_INTERNAL;
	struct jsonw w;
	api_begin(resp, &w, 201);
	write_gap(&w, &saved);
	return api_end(resp, &w);
}

enum perr api_service_gap_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, gap_create);
}
