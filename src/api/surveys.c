/* Projects and surveys in the JSON API (see api/surveys.h). The rules are
 * the model's: a PAP answer is never returned, only aggregates over at
 * least T answering PAP; family answers carry nothing about the family. */
#include "api/surveys.h"

#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "model/journal_week.h"
#include "model/project.h"
#include "model/survey.h"

static const char *today_str(struct request *req)
{
	char *t = arena_alloc(req->arena, 11);
	journal_today(t);
	return t;
}

/* Writes the aggregates of agg (type t) into the current object. */
static void write_aggregate(struct jsonw *w, enum survey_type t, const struct survey_aggregate *agg)
{
	jsonw_kv_int(w, "threshold", agg->threshold);
	jsonw_kv_bool(w, "suppressed", !agg->shown);
	jsonw_key(w, "answers");
	if (agg->shown)
		jsonw_int(w, (int64_t)agg->answers);
	else
		jsonw_null(w);
	if (t == SURVEY_PAP) {
		jsonw_key(w, "persons");
		if (agg->shown)
			jsonw_int(w, (int64_t)agg->persons);
		else
			jsonw_null(w);
	}
	jsonw_key(w, "items");
	jsonw_arr_begin(w);
	for (size_t i = 0; agg->shown && i < agg->nitems; i++) {
		const struct survey_item_stat *st = &agg->items[i];
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "item", st->code);
		jsonw_kv_bool(w, "suppressed", st->suppressed);
		jsonw_key(w, "mean");
		if (st->n)
			jsonw_double(w, st->mean, 2);
		else
			jsonw_null(w);
		jsonw_key(w, "n");
		if (st->suppressed)
			jsonw_null(w);
		else
			jsonw_int(w, (int64_t)st->n);
		jsonw_key(w, "pct_ge4");
		if (st->n)
			jsonw_double(w, st->pct_ge4, 1);
		else
			jsonw_null(w);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	if (t == SURVEY_PAP) {
		jsonw_key(w, "comments");
		if (agg->comments_shown) {
			jsonw_arr_begin(w);
			for (size_t i = 0; i < agg->ncomments; i++)
				jsonw_str(w, agg->comments[i]);
			jsonw_arr_end(w);
		} else {
			jsonw_null(w);
		}
	}
}

/* Writes a project; with_agg adds its family-survey aggregates. */
static enum perr write_project(struct jsonw *w, struct db *db, struct request *req,
			       const struct project *p, bool with_agg)
{
	struct arena *a = req->arena;
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", p->ext_id);
	jsonw_kv_str(w, "territory", p->territory_ext);
	jsonw_kv_str(w, "name", p->name);
	jsonw_kv_str(w, "start", p->start_date);
	jsonw_kv_str(w, "end", p->end_date);
	jsonw_key(w, "organisations");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < p->norgs; i++)
		jsonw_str(w, p->orgs[i].ext_id);
	jsonw_arr_end(w);
	jsonw_kv_str(w, "goals", p->goals);
	jsonw_key(w, "families_count");
	if (p->has_families)
		jsonw_int(w, p->families_count);
	else
		jsonw_null(w);
	jsonw_kv_str(w, "survey_token", p->survey_token);
	jsonw_kv_str(w, "survey_path",
		     p->survey_token ? arena_printf(a, "/s/%s", p->survey_token) : NULL);
	if (with_agg) {
		const char *today = today_str(req);
		const char *to =
			p->end_date && strcmp(p->end_date, today) < 0 ? p->end_date : today;
		struct survey_aggregate agg;
		if (survey_family_aggregate(db, a, p->id, p->start_date, to, &agg) < 0)
			return PERR_UNAVAILABLE;
		jsonw_key(w, "family_survey");
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "from", p->start_date);
		jsonw_kv_str(w, "to", to);
		write_aggregate(w, SURVEY_FAMILLE, &agg);
		jsonw_obj_end(w);
		struct project_story *st;
		size_t n;
		if (project_stories(db, a, p->id, &st, &n) < 0)
			return PERR_UNAVAILABLE;
		jsonw_key(w, "stories");
		jsonw_arr_begin(w);
		for (size_t i = 0; i < n; i++) {
			jsonw_obj_begin(w);
			jsonw_kv_str(w, "date", st[i].date);
			jsonw_kv_str(w, "text", st[i].text);
			jsonw_kv_bool(w, "selected", st[i].selected);
			jsonw_obj_end(w);
		}
		jsonw_arr_end(w);
	}
	jsonw_obj_end(w);
	return PERR_OK;
}

enum perr api_project_list(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct project *v;
	size_t n;
	if (project_list(db, req->arena, req->actor, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_list_begin(resp, &w);
	for (size_t i = 0; i < n; i++) {
		struct project full;
		if (project_get(db, req->arena, req->actor, v[i].id, &full) != 0)
			return PERR_UNAVAILABLE;
		enum perr e = write_project(&w, db, req, &full, false);
		if (e != PERR_OK)
			return e;
	}
	return api_list_end(resp, &w, (int64_t)n);
}

/* The visible project of the route's :id (external id), or a 404. */
static enum perr load_project(struct request *req, struct db *db, struct project *p)
{
	int64_t id;
	int r = project_id_of(db, req_param(req, "id"), &id);
	if (r == 0)
		r = project_get(db, req->arena, req->actor, id, p);
	return api_found(req, r, N_("Ce projet n'existe pas."));
}

enum perr api_project_get(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct project p = {0};
	enum perr e = load_project(req, db, &p);
	if (e != PERR_OK)
		return e;
	struct jsonw w;
	api_begin(resp, &w, 200);
	e = write_project(&w, db, req, &p, true);
	return e != PERR_OK ? e : api_end(resp, &w);
}

static const char *const project_keys[] = {
	"id",    "kind",           "territory",     "name",         "start",       "end",
	"goals", "families_count", "organisations", "survey_token", "survey_path", NULL,
};

/* Reads the body's fields into p (territory and organisations by external
 * id). Unknown references are field errors. */
static enum perr read_project(struct request *req, struct db *db, json_t *o, struct project *p,
			      struct validation *v)
{
	struct arena *ar = req->arena;
	const char *kind = NULL, *terr = NULL;
	api_in_known(o, project_keys, "", ar, v);
	if (api_in_str(o, "kind", "kind", ar, &kind, v) == 0 && kind &&
	    strcmp(kind, "project") != 0)
		validation_add(v, "kind", N_("Ce champ doit valoir « project »."));
	if (api_in_str(o, "territory", "territory", ar, &terr, v) == 0 && terr) {
		int64_t id;
		int r = lookup_ext(db, EXT_TERRITORY, terr, &id);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r > 0)
			validation_add(v, "territory", N_("Ce territoire n'existe pas."));
		p->territory_id = id;
	}
	p->name = NULL;
	p->start_date = NULL;
	p->end_date = NULL;
	p->goals = NULL;
	api_in_str(o, "name", "name", ar, &p->name, v);
	api_in_str(o, "start", "start", ar, &p->start_date, v);
	api_in_str(o, "end", "end", ar, &p->end_date, v);
	api_in_str(o, "goals", "goals", ar, &p->goals, v);
	int fc = 0;
	json_t *fj = json_object_get(o, "families_count");
	p->has_families = fj && !json_is_null(fj);
	if (api_in_int(o, "families_count", "families_count", &fc, v) == 0)
		p->families_count = fc;
	const char **orgs = NULL;
	size_t n = 0;
	p->norgs = 0;
	if (api_in_strings(o, "organisations", "organisations", ar, &orgs, &n, v) == 0 && n) {
		p->orgs = arena_alloc(ar, n * sizeof(*p->orgs));
		for (size_t i = 0; i < n; i++) {
			int64_t id;
			int r = lookup_ext(db, EXT_ORGANISATION, orgs[i], &id);
			if (r < 0)
				return PERR_UNAVAILABLE;
			if (r > 0) {
				validation_add(v, "organisations",
					       N_("Cette organisation n'existe pas."));
				break;
			}
			p->orgs[p->norgs++] = (struct project_org){.id = id};
		}
	}
	return PERR_OK;
}

/* Validates and saves p, then writes it with status. */
static enum perr save_and_answer(struct request *req, struct response *resp, struct db *db,
				 struct project *p, struct validation *v, int status)
{
	if (!v->n) {
		int r = project_validate(db, req->actor, p, v);
		if (r < 0)
			return PERR_UNAVAILABLE;
	}
	if (v->n)
		return api_validation_failed(req, resp, v);
	if (project_save(db, req->arena, p) < 0)
		return PERR_INTERNAL;
	struct project saved;
	if (project_get(db, req->arena, req->actor, p->id, &saved) != 0)
		return PERR_INTERNAL;
	struct jsonw w;
	api_begin(resp, &w, status);
	enum perr e = write_project(&w, db, req, &saved, false);
	return e != PERR_OK ? e : api_end(resp, &w);
}

static enum perr create_project(struct request *req, struct response *resp, struct db *db)
{
	if (!project_can_create(req->actor))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas de créer un projet."));
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	struct project p = {0};
	const char *ext = NULL;
	api_in_ext_id(o, req->arena, &ext, &v);
	p.ext_id = ext;
	json_t *tj = json_object_get(o, "territory");
	if (!tj || json_is_null(tj))
		p.territory_id = req->actor->territory_id; /* default: the committee's */
	e = read_project(req, db, o, &p, &v);
	json_decref(o);
	if (e != PERR_OK)
		return e;
	if (!v.n && p.ext_id) {
		int64_t taken;
		int r = project_id_of(db, p.ext_id, &taken);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r == 0)
			return api_fail(req, PERR_CONFLICT, "id",
					N_("Un projet porte déjà cet identifiant."));
	}
	return save_and_answer(req, resp, db, &p, &v, 201);
}

enum perr api_project_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create_project);
}

static enum perr replace_project(struct request *req, struct response *resp, struct db *db)
{
	struct project p = {0};
	enum perr e = load_project(req, db, &p);
	if (e != PERR_OK)
		return e;
	if (!project_can_edit(req->actor, &p))
		return api_fail(req, PERR_NOT_FOUND, NULL, N_("Ce projet n'existe pas."));
	json_t *o;
	e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	const char *ext = NULL;
	if (api_in_str(o, "id", "id", req->arena, &ext, &v) == 0 && ext &&
	    strcmp(ext, p.ext_id) != 0)
		validation_add(&v, "id", N_("L'identifiant ne peut pas changer."));
	e = read_project(req, db, o, &p, &v);
	json_decref(o);
	if (e != PERR_OK)
		return e;
	return save_and_answer(req, resp, db, &p, &v, 200);
}

enum perr api_project_replace(struct request *req, struct response *resp)
{
	return api_write(req, resp, replace_project);
}

/* ---- Answers. */

static const char *const survey_keys[] = {"kind",  "type",    "project", "date",
					  "items", "comment", "score",   NULL};

/* Reads items {code: 1..5} (and "score" as the overall item when items
 * has none) into a. */
static void read_items(struct request *req, json_t *o, struct survey_answer *a,
		       struct validation *v)
{
	size_t n;
	const struct survey_item_def *defs = survey_items(a->type, &n);
	json_t *items = NULL;
	if (api_in_object(o, "items", "items", &items, v) < 0)
		return;
	if (items) {
		const char **known = arena_alloc(req->arena, (n + 1) * sizeof(*known));
		for (size_t i = 0; i < n; i++)
			known[i] = defs[i].code;
		known[n] = NULL;
		api_in_known(items, known, "items.", req->arena, v);
		for (size_t i = 0; i < n; i++)
			api_in_int(items, defs[i].code, defs[i].field, &a->scores[i], v);
	}
	int score = 0;
	if (api_in_int(o, "score", "score", &score, v) == 0 && score) {
		if (a->scores[0] && a->scores[0] != score)
			validation_add(v, "score",
				       N_("La note globale diffère de l'énoncé « global »."));
		a->scores[0] = score;
	}
}

static enum perr create_survey(struct request *req, struct response *resp, struct db *db)
{
	const struct actor *me = req->actor;
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct arena *ar = req->arena;
	struct validation v = {0};
	const char *type = NULL, *kind = NULL, *project = NULL;
	struct survey_answer a = {0};
	api_in_known(o, survey_keys, "", ar, &v);
	if (api_in_str(o, "kind", "kind", ar, &kind, &v) == 0 && kind &&
	    strcmp(kind, "survey") != 0)
		validation_add(&v, "kind", N_("Ce champ doit valoir « survey »."));
	api_in_str(o, "type", "type", ar, &type, &v);
	if (!type || (strcmp(type, "pap") != 0 && strcmp(type, "famille") != 0)) {
		validation_add(&v, "type", N_("Ce champ doit valoir « pap » ou « famille »."));
		json_decref(o);
		return api_validation_failed(req, resp, &v);
	}
	a.type = strcmp(type, "pap") == 0 ? SURVEY_PAP : SURVEY_FAMILLE;
	read_items(req, o, &a, &v);
	api_in_str(o, "comment", "comment", ar, &a.comment, &v);
	api_in_str(o, "date", "date", ar, &a.date, &v);
	api_in_str(o, "project", "project", ar, &project, &v);
	json_decref(o);
	const char *today = today_str(req);
	if (a.type == SURVEY_PAP) {
		if (me->role != ROLE_PAP)
			return api_fail(req, PERR_FORBIDDEN, "type",
					N_("Seule une PAP répond au sondage des PAP, pour "
					   "elle-même."));
		if (project)
			validation_add(&v, "project", N_("Ce champ ne s'applique pas ici."));
		if (a.date && strcmp(a.date, today) != 0)
			validation_add(&v, "date", N_("Une réponse de PAP porte la date du jour."));
		if (v.n)
			return api_validation_failed(req, resp, &v);
		int r = survey_save_pap(db, ar, me, today, &a, &v, NULL);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r == 1)
			return api_validation_failed(req, resp, &v);
		if (r == 2)
			return api_fail(req, PERR_CONFLICT, "type",
					N_("Aucun sondage n'est ouvert pour vous, ou vous y avez "
					   "déjà répondu pendant cette période."));
	} else {
		if (!actor_keeps_journal(me))
			return api_fail(req, PERR_FORBIDDEN, "type",
					N_("Votre rôle ne permet pas de saisir un sondage de "
					   "famille."));
		if (a.comment)
			validation_add(&v, "comment",
				       N_("Le sondage des familles ne prend pas de commentaire."));
		struct project p = {0};
		int64_t pid;
		int r = project_id_of(db, project, &pid);
		if (r == 0)
			r = project_get(db, ar, me, pid, &p);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r)
			validation_add(&v, "project", N_("Choisissez le projet."));
		if (!a.date)
			a.date = today;
		if (!r && strlen(a.date) == 10) {
			if (strcmp(a.date, today) > 0)
				validation_add(&v, "date",
					       N_("La date ne peut pas être dans le futur."));
			else if (project_state_on(&p, a.date) != PROJECT_OPEN)
				validation_add(&v, "date",
					       N_("Cette date est en dehors des dates du projet."));
		}
		a.project_id = r ? 0 : p.id;
		survey_validate(&a, &v);
		if (v.n)
			return api_validation_failed(req, resp, &v);
		if (survey_save_famille(db, ar, &a, p.territory_id, &v, NULL) != 0)
			return v.n ? api_validation_failed(req, resp, &v) : PERR_UNAVAILABLE;
	}
	log_info("survey.answer", "type=%s source=api", survey_type_code(a.type));
	/* The answer is not echoed back and has no address: nothing to read. */
	struct jsonw w;
	api_begin(resp, &w, 201);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "type", survey_type_code(a.type));
	jsonw_kv_str(&w, "date", a.date);
	jsonw_kv_str(&w, "status", "recorded");
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}

enum perr api_survey_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create_survey);
}

enum perr api_survey_aggregates(struct request *req, struct response *resp)
{
	const char *from, *to;
	enum perr e = api_query_period(req, &from, &to);
	if (e != PERR_OK)
		return e;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	const char *org_ext = req_query(req, "organisation");
	const char *proj_ext = req_query(req, "project");
	if ((org_ext != NULL) == (proj_ext != NULL))
		return api_fail(req, PERR_INVALID, "organisation",
				N_("Donnez soit organisation, soit project."));
	if (!to)
		to = today_str(req);
	if (!from)
		from = "0001-01-01";
	struct survey_aggregate agg;
	enum survey_type t;
	int64_t org = 0;
	struct project p = {0};
	if (org_ext) {
		t = SURVEY_PAP;
		int r = lookup_ext(db, EXT_ORGANISATION, org_ext, &org);
		if (r < 0)
			return PERR_UNAVAILABLE;
		int may = r == 0 ? survey_may_read_team(db, req->actor, org) : 0;
		if (may < 0)
			return PERR_UNAVAILABLE;
		if (!may)
			return api_fail(req, PERR_NOT_FOUND, "organisation",
					N_("Cette organisation n'existe pas."));
		if (survey_pap_aggregate(db, req->arena, org, from, to, &agg) < 0)
			return PERR_UNAVAILABLE;
	} else {
		t = SURVEY_FAMILLE;
		int64_t pid;
		int r = project_id_of(db, proj_ext, &pid);
		if (r == 0)
			r = project_get(db, req->arena, req->actor, pid, &p);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r)
			return api_fail(req, PERR_NOT_FOUND, "project",
					N_("Ce projet n'existe pas."));
		if (survey_family_aggregate(db, req->arena, p.id, from, to, &agg) < 0)
			return PERR_UNAVAILABLE;
	}
	struct jsonw w;
	api_begin(resp, &w, 200);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "type", survey_type_code(t));
	if (org_ext)
		jsonw_kv_str(&w, "organisation", org_ext);
	else
		jsonw_kv_str(&w, "project", p.ext_id);
	jsonw_kv_str(&w, "from", from);
	jsonw_kv_str(&w, "to", to);
	write_aggregate(&w, t, &agg);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}
