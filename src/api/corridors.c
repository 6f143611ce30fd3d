/* Corridors and the directory in JSON (see api/corridors.h). Visibility
 * and write rights are the model's (model/corridor.h, model/directory.h):
 * a corridor or territory the caller may not read is a 404; a reader who
 * may not write gets 403. */
#include "api/corridors.h"

#include <math.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "model/corridor.h"
#include "model/directory.h"
#include "model/journal_week.h"
#include "reports/report.h"

/* Writes key: a whole number of days as an integer, else with 3 decimals. */
static void kv_days(struct jsonw *w, const char *key, double d)
{
	jsonw_key(w, key);
	if (d == floor(d) && fabs(d) < 1e12)
		jsonw_int(w, (int64_t)d);
	else
		jsonw_double(w, d, 3);
}

/* Writes a corridor with interchange.md's field names (+ target_priority). */
static void write_corridor(struct jsonw *w, const struct corridor *c)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", c->ext_id);
	jsonw_kv_str(w, "territory", c->territory_ext);
	jsonw_kv_str(w, "name", c->name);
	jsonw_kv_str(w, "need", c->need);
	jsonw_kv_str(w, "population", c->population);
	jsonw_kv_str(w, "entry_organisation", c->entry_ext);
	kv_days(w, "target_days", c->target_days);
	jsonw_kv_str(w, "target_priority", corridor_priority_of(c->target_days));
	api_kv_strings(w, "consent_languages", &c->languages);
	api_kv_strings(w, "template_fields", &c->fields);
	api_kv_strings(w, "portrait_indicators", &c->portrait);
	jsonw_kv_str(w, "active_from", c->active_from);
	jsonw_kv_str(w, "active_to", c->active_to);
	jsonw_obj_end(w);
}

/* The territory of the ?territory= parameter the caller may read (404
 * otherwise), or the caller's default one when absent (*id 0: none). */
static enum perr query_territory(struct request *req, struct db *db, struct territory_ref *t)
{
	memset(t, 0, sizeof(*t));
	const char *ext = req_query(req, "territory");
	struct territory_ref *all;
	size_t n;
	if (territory_list_visible(db, req->arena, req->actor, &all, &n) < 0)
		return PERR_UNAVAILABLE;
	int64_t want = ext ? 0 : territory_default(db, req->arena, req->actor);
	for (size_t i = 0; i < n; i++)
		if ((ext && strcmp(all[i].ext_id, ext) == 0) || all[i].id == want)
			*t = all[i];
	if (ext && !t->id)
		return api_fail(req, PERR_NOT_FOUND, "territory",
				N_("Ce territoire n'existe pas."));
	return PERR_OK;
}

/* The start of the endpoints about one territory: this thread's database
 * into *db (not owned) and the territory as query_territory gives it,
 * with a 404 on "territory" when the caller reads none. */
static enum perr open_territory(struct request *req, struct db **db, struct territory_ref *t)
{
	*db = db_thread();
	if (!*db)
		return PERR_UNAVAILABLE;
	enum perr e = query_territory(req, *db, t);
	if (e != PERR_OK)
		return e;
	if (!t->id)
		return api_fail(req, PERR_NOT_FOUND, "territory",
				N_("Ce territoire n'existe pas."));
	return PERR_OK;
}

enum perr api_corridor_list(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct territory_ref *terrs;
	size_t nt;
	const char *ext = req_query(req, "territory");
	if (ext) {
		terrs = arena_alloc(req->arena, sizeof(*terrs));
		enum perr e = query_territory(req, db, terrs);
		if (e != PERR_OK)
			return e;
		nt = 1;
	} else if (territory_list_visible(db, req->arena, req->actor, &terrs, &nt) < 0) {
		return PERR_UNAVAILABLE;
	}
	struct jsonw w;
	api_list_begin(resp, &w);
	size_t total = 0;
	for (size_t k = 0; k < nt; k++) {
		struct corridor *v;
		size_t n;
		if (corridor_list(db, req->arena, terrs[k].id, &v, &n) < 0)
			return PERR_UNAVAILABLE;
		for (size_t i = 0; i < n; i++)
			write_corridor(&w, &v[i]);
		total += n;
	}
	return api_list_end(resp, &w, (int64_t)total);
}

/* The corridor of the route's :id (external id) the caller may read. */
static enum perr load(struct request *req, struct db *db, struct corridor *c)
{
	int64_t id;
	int r = corridor_id_of(db, req_param(req, "id"), &id);
	if (r == 0)
		r = corridor_get(db, req->arena, req->actor, id, c);
	return api_found(req, r, N_("Ce corridor n'existe pas."));
}

enum perr api_corridor_get(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct corridor c;
	enum perr e = load(req, db, &c);
	if (e != PERR_OK)
		return e;
	struct jsonw w;
	api_begin(resp, &w, 200);
	write_corridor(&w, &c);
	return api_end(resp, &w);
}

static const char *const corridor_keys[] = {
	"id",
	"kind",
	"territory",
	"name",
	"need",
	"population",
	"entry_organisation",
	"target_days",
	"target_priority",
	"consent_languages",
	"template_fields",
	"portrait_indicators",
	"active_from",
	"active_to",
	NULL,
};

/* Reads a list of strings o[key] into l (left as it is when absent). */
static void in_list(json_t *o, const char *key, struct arena *a, struct strlist *l,
		    struct validation *v)
{
	const char **items = NULL;
	size_t n = 0;
	if (api_in_strings(o, key, key, a, &items, &n, v) == 0 && items) {
		l->v = items;
		l->n = n;
	}
}

/* Reads the body into c (every field replaced). The territory (external
 * id) must be one the caller reads, else a field error that does not say
 * whether it exists. */
static enum perr read_body(struct request *req, struct db *db, json_t *o, struct corridor *c,
			   struct validation *v)
{
	struct arena *a = req->arena;
	const char *kind = NULL, *terr = NULL, *org = NULL, *prio = NULL, *ext = NULL;
	api_in_known(o, corridor_keys, "", a, v);
	if (api_in_str(o, "kind", "kind", a, &kind, v) == 0 && kind && strcmp(kind, "corridor"))
		validation_add(v, "kind", N_("Ce champ doit valoir « corridor »."));
	if (api_in_str(o, "id", "id", a, &ext, v) == 0 && ext)
		c->ext_id = ext;
	if (api_in_str(o, "territory", "territory", a, &terr, v) == 0 && terr) {
		struct territory_ref *all;
		size_t n;
		if (territory_list_visible(db, a, req->actor, &all, &n) < 0)
			return PERR_UNAVAILABLE;
		int64_t found = 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(all[i].ext_id, terr) == 0)
				found = all[i].id;
		if (!found)
			validation_add(v, "territory", N_("Ce territoire n'existe pas."));
		c->territory_id = found;
	}
	c->name = NULL;
	c->need = NULL;
	c->population = NULL;
	api_in_str(o, "name", "name", a, &c->name, v);
	api_in_str(o, "need", "need", a, &c->need, v);
	api_in_str(o, "population", "population", a, &c->population, v);
	c->entry_organisation_id = 0;
	if (api_in_str(o, "entry_organisation", "entry_organisation", a, &org, v) == 0 && org) {
		int64_t id;
		int r = directory_organisation_id(db, org, &id);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r)
			validation_add(v, "entry_organisation",
				       N_("Cette organisation n'existe pas."));
		c->entry_organisation_id = id;
	}
	c->target_days = CORRIDOR_DEFAULT_DAYS;
	json_t *td = json_object_get(o, "target_days");
	if (td && !json_is_null(td)) {
		if (!json_is_number(td))
			validation_add(v, "target_days", N_("Ce champ doit être un nombre."));
		else
			c->target_days = json_number_value(td);
	}
	if (api_in_str(o, "target_priority", "target_priority", a, &prio, v) == 0 && prio) {
		double d = corridor_priority_days(prio);
		if (d <= 0)
			validation_add(v, "target_priority", N_("Choisissez P1, P2, P3 ou P4."));
		else if (td && !json_is_null(td) && fabs(d - c->target_days) > 1e-9)
			validation_add(v, "target_priority",
				       N_("Cette priorité ne correspond pas au délai cible."));
		else
			c->target_days = d;
	}
	c->languages = (struct strlist){0};
	c->fields = (struct strlist){0};
	c->portrait = (struct strlist){0};
	in_list(o, "consent_languages", a, &c->languages, v);
	in_list(o, "template_fields", a, &c->fields, v);
	in_list(o, "portrait_indicators", a, &c->portrait, v);
	c->active_from = c->active_to = NULL;
	api_in_str(o, "active_from", "active_from", a, &c->active_from, v);
	api_in_str(o, "active_to", "active_to", a, &c->active_to, v);
	return PERR_OK;
}

/* Validates c, saves it and answers it with status. */
static enum perr finish(struct request *req, struct response *resp, struct db *db,
			struct corridor *c, struct validation *v, int status)
{
	if (!v->n && !corridor_can_write(db, req->actor, c->territory_id))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Seuls le comité du territoire et l'administration peuvent "
				   "créer ou modifier un corridor."));
	if (v->n || corridor_validate(db, c, v) < 0)
		return v->n ? api_validation_failed(req, resp, v) : PERR_UNAVAILABLE;
	if (corridor_save(db, req->arena, c) < 0)
		return PERR_INTERNAL;
	struct corridor saved;
	if (corridor_get(db, req->arena, req->actor, c->id, &saved) != 0)
		return PERR_INTERNAL;
	struct jsonw w;
	api_begin(resp, &w, status);
	write_corridor(&w, &saved);
	return api_end(resp, &w);
}

/* POST: creates a corridor (inside api_write's transaction). */
static enum perr create(struct request *req, struct response *resp, struct db *db)
{
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	struct corridor c = {0};
	e = read_body(req, db, o, &c, &v);
	json_decref(o);
	if (e != PERR_OK)
		return e;
	if (!c.territory_id && !validation_get(&v, "territory"))
		c.territory_id = territory_default(db, req->arena, req->actor);
	if (!c.territory_id && !v.n)
		validation_add(&v, "territory", N_("Indiquez le territoire du corridor."));
	if (!v.n && c.ext_id) {
		int64_t taken;
		int r = corridor_id_of(db, c.ext_id, &taken);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r == 0)
			return api_fail(req, PERR_CONFLICT, "id",
					N_("Un corridor porte déjà cet identifiant."));
	}
	return finish(req, resp, db, &c, &v, 201);
}

enum perr api_corridor_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create);
}

/* PUT: replaces every field of a corridor but its id. */
static enum perr replace(struct request *req, struct response *resp, struct db *db)
{
	struct corridor c;
	enum perr e = load(req, db, &c);
	if (e != PERR_OK)
		return e;
	if (!corridor_can_write(db, req->actor, c.territory_id))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Seuls le comité du territoire et l'administration peuvent "
				   "créer ou modifier un corridor."));
	json_t *o;
	e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	const char *ext = c.ext_id;
	e = read_body(req, db, o, &c, &v);
	json_decref(o);
	if (e != PERR_OK)
		return e;
	if (c.ext_id && strcmp(c.ext_id, ext) != 0)
		validation_add(&v, "id", N_("L'identifiant ne peut pas changer."));
	c.ext_id = ext;
	return finish(req, resp, db, &c, &v, 200);
}

enum perr api_corridor_replace(struct request *req, struct response *resp)
{
	return api_write(req, resp, replace);
}

/* ---- Directory ---- */

/* Writes mandate items as [{population, activity}]. */
static void write_items(struct jsonw *w, const struct ind_mandate_item *it, size_t n)
{
	jsonw_arr_begin(w);
	for (size_t i = 0; i < n; i++) {
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "population", it[i].population);
		jsonw_kv_str(w, "activity", it[i].activity_type);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

/* Writes a directory position with its holders and mandate. */
static void write_position(struct jsonw *w, const struct dir_position *p)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", p->ext_id);
	jsonw_kv_str(w, "organisation", p->org_ext);
	jsonw_kv_str(w, "organisation_name", p->org_name);
	jsonw_kv_str(w, "sector", p->sector_ext);
	jsonw_kv_str(w, "start", p->start);
	jsonw_kv_str(w, "end", p->end);
	jsonw_kv_str(w, "contact", p->contact);
	jsonw_kv_str(w, "holder", p->current_name);
	jsonw_key(w, "holders");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < p->n_holders; i++) {
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "name", p->holders[i].name);
		jsonw_kv_str(w, "from", p->holders[i].from);
		jsonw_kv_str(w, "to", p->holders[i].to);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "mandate");
	jsonw_obj_begin(w);
	api_kv_strings(w, "components", &p->components);
	jsonw_key(w, "items");
	write_items(w, p->items, p->n_items);
	jsonw_obj_end(w);
	jsonw_kv_bool(w, "meets_framework", p->framework);
	jsonw_obj_end(w);
}

/* Today's local date, YYYY-MM-DD, in the request's arena. */
static const char *today(struct request *req)
{
	char *d = arena_alloc(req->arena, 11);
	journal_today(d);
	return d;
}

enum perr api_directory(struct request *req, struct response *resp)
{
	const char *date;
	enum perr e = api_query_date(req, "date", &date);
	if (e != PERR_OK)
		return e;
	struct db *db;
	struct territory_ref t;
	if ((e = open_territory(req, &db, &t)) != PERR_OK)
		return e;
	if (!date)
		date = today(req);
	struct directory d;
	if (directory_load(db, req->arena, t.id, date, &d) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_begin(resp, &w, 200);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "territory", t.ext_id);
	jsonw_kv_str(&w, "date", date);
	jsonw_key(&w, "positions");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < d.n_positions; i++)
		write_position(&w, &d.positions[i]);
	jsonw_arr_end(&w);
	jsonw_key(&w, "partners");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < d.n_partners; i++) {
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "organisation", d.partners[i].ext_id);
		jsonw_kv_str(&w, "name", d.partners[i].name);
		jsonw_kv_str(&w, "last_presentation", d.partners[i].last_presentation);
		jsonw_kv_int(&w, "presentations_12_months", d.partners[i].presentations);
		jsonw_kv_int(&w, "presenting_organisations", d.partners[i].presenters);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}

enum perr api_directory_overlaps(struct request *req, struct response *resp)
{
	const char *from, *to;
	enum perr e = api_query_period(req, &from, &to);
	if (e != PERR_OK)
		return e;
	if (!from || !to)
		return api_fail(req, PERR_INVALID, from ? "to" : "from",
				N_("Indiquez la période : from et to (AAAA-MM-JJ)."));
	if (strcmp(from, to) > 0)
		return api_fail(req, PERR_INVALID, "to", N_("La fin précède le début."));
	struct db *db;
	struct territory_ref t;
	if ((e = open_territory(req, &db, &t)) != PERR_OK)
		return e;
	struct dir_overlaps ov;
	if (directory_overlaps(db, req->arena, t.id, from, to, &ov) < 0)
		return PERR_UNAVAILABLE;
	const struct ind_arr_chevauchement_result *r = &ov.result;
	struct jsonw w;
	api_begin(resp, &w, 200);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "territory", t.ext_id);
	jsonw_kv_str(&w, "from", from);
	jsonw_kv_str(&w, "to", to);
	jsonw_kv_str(&w, "id", REPORT_IDS[REPORT_IND_ARR_CHEVAUCHEMENT_MANDATS]);
	jsonw_key(&w, "value");
	if (r->defined)
		jsonw_double(&w, round(r->value * 10) / 10, 1);
	else
		jsonw_null(&w);
	jsonw_kv_str(&w, "unit", "%");
	jsonw_kv_int(&w, "numerator", (int64_t)r->overlapping);
	jsonw_kv_int(&w, "denominator", (int64_t)r->pairs);
	jsonw_key(&w, "positions");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < ov.n; i++) {
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "id", ov.positions[i].ext_id);
		jsonw_kv_str(&w, "organisation", ov.positions[i].org_ext);
		jsonw_kv_str(&w, "sector", ov.positions[i].sector_ext);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_key(&w, "overlaps");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < r->n_list; i++) {
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "position_a", r->list[i].ext_a);
		jsonw_kv_str(&w, "position_b", r->list[i].ext_b);
		jsonw_key(&w, "items");
		write_items(&w, r->list[i].items, r->list[i].n_items);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}
