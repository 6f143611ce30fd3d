/* /api/v1 team follow-up (docs/en/team.md): positions over time with the
 * hand-over, supervision, support requests. Field names follow the
 * interchange kinds position, supervision and support_request
 * (docs/interchange.md). Visibility is the model's; anything not visible
 * is a 404. */
#include <string.h>

#include "api/team.h"
#include "core/i18n.h"
#include "core/util.h"
#include "model/journal_week.h"
#include "model/position.h"
#include "model/supervision.h"
#include "model/support.h"

/* The answer to a model write that did not succeed, by r, what it
 * returned (>0 refused with the reasons in v, <0 failed): the 422 envelope
 * listing v (the response is complete: PERR_OK), or PERR_INTERNAL. */
static enum perr answer_refused(struct request *req, struct response *resp, int r,
				const struct validation *v)
{
	return r > 0 ? api_validation_failed(req, resp, v) : PERR_INTERNAL;
}

/* ---- Positions. */

static void write_position(struct jsonw *w, const struct position *p, bool with_handover,
			   bool admin, const struct handover_item *items, size_t n)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", p->ext_id);
	jsonw_kv_str(w, "organisation", p->organisation_ext);
	jsonw_kv_str(w, "territory", p->territory_ext);
	jsonw_kv_str(w, "start", p->start);
	jsonw_kv_str(w, "end", p->end);
	jsonw_kv_str(w, "contact", p->contact);
	jsonw_key(w, "holders");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < p->n_holders; i++) {
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "person", p->holders[i].person_ext);
		jsonw_kv_str(w, "name", p->holders[i].person_name);
		jsonw_kv_str(w, "from", p->holders[i].from);
		jsonw_kv_str(w, "to", p->holders[i].to);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_key(w, "mandate");
	jsonw_obj_begin(w);
	api_kv_strings(w, "components", &p->components);
	jsonw_key(w, "items");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < p->n_items; i++) {
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "population", p->items[i].population);
		jsonw_kv_str(w, "activity", p->items[i].activity);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_obj_end(w);
	if (with_handover)
		jsonw_kv_int(w, "handover_open", (int64_t)n);
	if (with_handover && !admin) {
		/* What the current holder would hand over on leaving: family
		 * codes, which an admin (no nominative data) does not get. */
		jsonw_key(w, "handover");
		jsonw_arr_begin(w);
		for (size_t i = 0; i < n; i++) {
			bool fam = items[i].kind == HANDOVER_FAMILY;
			jsonw_obj_begin(w);
			jsonw_kv_str(w, "kind", fam ? "family" : "referral");
			jsonw_kv_str(w, "id", items[i].ext_id);
			jsonw_kv_str(w, "label", items[i].label);
			jsonw_obj_end(w);
		}
		jsonw_arr_end(w);
	}
	jsonw_obj_end(w);
}

enum perr api_position_list(struct request *req, struct response *resp)
{
	if (!position_can_manage(req->actor))
		return api_fail(req, PERR_NOT_FOUND, NULL, N_("Cette ressource n'existe pas."));
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct position *v;
	size_t n;
	if (position_list(db, req->arena, req->actor, true, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_list_begin(resp, &w);
	for (size_t i = 0; i < n; i++)
		write_position(&w, &v[i], false, false, NULL, 0);
	return api_list_end(resp, &w, (int64_t)n);
}

/* The position of the route's :id (an external id) that the actor sees. */
static enum perr load_position(struct request *req, struct db *db, struct position *p)
{
	int64_t id;
	int r = lookup_ext(db, EXT_POSITION, req_param(req, "id"), &id);
	if (r == 0)
		r = position_get(db, req->arena, req->actor, id, p);
	return api_found(req, r, N_("Ce poste n'existe pas."));
}

/* Answers with the position (re-read) and its hand-over list. */
static enum perr answer_position(struct request *req, struct response *resp, struct db *db,
				 int64_t id, int status)
{
	struct position p;
	if (position_get(db, req->arena, req->actor, id, &p) != 0)
		return PERR_INTERNAL;
	struct handover_item *items = NULL;
	size_t n = 0;
	const struct holder_period *cur = position_current(&p);
	if (cur && position_handover_items(db, req->arena, cur->person_id, &items, &n) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_begin(resp, &w, status);
	write_position(&w, &p, true, req->actor->role == ROLE_ADMIN, items, n);
	return api_end(resp, &w);
}

enum perr api_position_get(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct position p;
	enum perr e = load_position(req, db, &p);
	if (e != PERR_OK)
		return e;
	return answer_position(req, resp, db, p.id, 200);
}

static const char *const position_keys[] = {"id",    "kind",    "organisation", "territory",
					    "start", "contact", "mandate",      NULL};
static const char *const mandate_keys[] = {"components", "items", NULL};
static const char *const mandate_item_keys[] = {"population", "activity", NULL};

static enum perr create_position(struct request *req, struct response *resp, struct db *db)
{
	const struct actor *me = req->actor;
	if (!position_can_manage(me))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas d'ouvrir un poste."));
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct arena *ar = req->arena;
	struct validation v = {0};
	struct position p = {0};
	const char *org = NULL, *terr = NULL;
	json_t *m = NULL;
	api_in_known(o, position_keys, "", ar, &v);
	api_in_ext_id(o, ar, &p.ext_id, &v);
	api_in_str(o, "organisation", "organisation", ar, &org, &v);
	api_in_str(o, "territory", "territory", ar, &terr, &v);
	api_in_str(o, "start", "start", ar, &p.start, &v);
	api_in_str(o, "contact", "contact", ar, &p.contact, &v);
	if (api_in_object(o, "mandate", "mandate", &m, &v) == 0 && m) {
		api_in_known(m, mandate_keys, "mandate.", ar, &v);
		api_in_strings(m, "components", "mandate.components", ar, &p.components.v,
			       &p.components.n, &v);
		json_t *items = json_object_get(m, "items");
		if (items && !json_is_array(items)) {
			validation_add(&v, "mandate.items", N_("Ce champ doit être une liste."));
		} else if (items) {
			size_t n = json_array_size(items);
			if (n > POSITION_ITEMS_MAX)
				n = POSITION_ITEMS_MAX + 1;
			p.items = arena_alloc(ar, (n + 1) * sizeof(*p.items));
			for (size_t i = 0; i < n; i++) {
				json_t *it = json_array_get(items, i);
				struct mandate_pair mp = {0};
				if (!json_is_object(it)) {
					validation_add(
						&v, "mandate.items",
						N_("Ce champ doit être une liste d'objets."));
					break;
				}
				api_in_known(it, mandate_item_keys, "mandate.items.", ar, &v);
				api_in_str(it, "population", "mandate.items", ar, &mp.population,
					   &v);
				api_in_str(it, "activity", "mandate.items", ar, &mp.activity, &v);
				p.items[p.n_items++] = mp;
			}
		}
	}
	if (org) {
		if (lookup_ext(db, EXT_ORGANISATION, org, &p.organisation_id) < 0)
			e = PERR_UNAVAILABLE;
	}
	if (terr) {
		if (lookup_ext(db, EXT_TERRITORY, terr, &p.territory_id) < 0)
			e = PERR_UNAVAILABLE;
	}
	if (me->role == ROLE_GESTIONNAIRE && org && p.organisation_id != me->organisation_id)
		validation_add(&v, "organisation",
			       N_("Vous ne pouvez ouvrir un poste que dans votre organisation."));
	json_decref(o);
	if (e != PERR_OK)
		return e;
	enum perr clash = v.n ? PERR_OK
			      : api_ext_id_free(req, db, EXT_POSITION, p.ext_id,
						N_("Un poste porte déjà cet identifiant."));
	if (clash != PERR_OK)
		return clash;
	int r = v.n ? 1 : position_create(db, ar, me, &p, &v);
	if (r != 0)
		return answer_refused(req, resp, r, &v);
	return answer_position(req, resp, db, p.id, 201);
}

enum perr api_position_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create_position);
}

static const char *const handover_keys[] = {"all_to", "items", NULL};
static const char *const handover_item_keys[] = {"kind", "id", "to", NULL};

/* A person's id from an external id; adds an error on field when absent. */
static int64_t person_of(struct db *db, const char *ext, const char *field, struct validation *v)
{
	if (!ext)
		return 0;
	int64_t id;
	int r = lookup_ext(db, EXT_PERSON, ext, &id);
	if (r > 0)
		validation_add(v, field, N_("Cette personne n'existe pas."));
	return r < 0 ? -1 : id;
}

/* Reads "handover": {"all_to": person, "items": [{kind, id, to}]}. */
static int read_handover(struct request *req, struct db *db, json_t *o, struct handover *h,
			 struct validation *v)
{
	struct arena *ar = req->arena;
	memset(h, 0, sizeof(*h));
	json_t *ho = NULL;
	if (api_in_object(o, "handover", "handover", &ho, v) < 0 || !ho)
		return 0;
	api_in_known(ho, handover_keys, "handover.", ar, v);
	const char *all = NULL;
	api_in_str(ho, "all_to", "handover.all_to", ar, &all, v);
	h->all_to = person_of(db, all, "handover.all_to", v);
	if (h->all_to < 0)
		return -1;
	json_t *items = json_object_get(ho, "items");
	if (!items)
		return 0;
	if (!json_is_array(items) || json_array_size(items) > 1000) {
		validation_add(v, "handover.items", N_("Ce champ doit être une liste."));
		return 0;
	}
	size_t n = json_array_size(items);
	h->items = arena_alloc(ar, (n + 1) * sizeof(*h->items));
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(items, i);
		const char *kind = NULL, *ext = NULL, *to = NULL;
		if (!json_is_object(it)) {
			validation_add(v, "handover.items", N_("Ce champ doit être une liste."));
			return 0;
		}
		api_in_known(it, handover_item_keys, "handover.items.", ar, v);
		api_in_str(it, "kind", "handover.items.kind", ar, &kind, v);
		api_in_str(it, "id", "handover.items.id", ar, &ext, v);
		api_in_str(it, "to", "handover.items.to", ar, &to, v);
		bool fam = kind && strcmp(kind, "family") == 0;
		if (!kind || (!fam && strcmp(kind, "referral") != 0)) {
			validation_add(v, "handover.items.kind",
				       N_("Ce champ doit valoir « family » ou « referral »."));
			continue;
		}
		int64_t id;
		int r = lookup_ext(db, fam ? EXT_FAMILY : EXT_REFERRAL, ext, &id);
		if (r < 0)
			return -1;
		if (r > 0) {
			validation_add(v, "handover.items.id",
				       N_("Un dossier indiqué n'appartient pas à la personne qui "
					  "quitte le poste."));
			continue;
		}
		int64_t pid = person_of(db, to, "handover.items.to", v);
		if (pid < 0)
			return -1;
		if (!to)
			validation_add(v, "handover.items.to",
				       N_("Indiquez à qui confier ce dossier."));
		h->items[h->n++] = (struct handover_item){
			.kind = fam ? HANDOVER_FAMILY : HANDOVER_REFERRAL, .id = id, .to = pid};
	}
	return 0;
}

static const char *const holders_keys[] = {"action", "person", "date", "handover", NULL};

static enum perr change_holders(struct request *req, struct response *resp, struct db *db)
{
	struct position p;
	enum perr e = load_position(req, db, &p);
	if (e != PERR_OK)
		return e;
	json_t *o;
	if ((e = api_read_body(req, &o)) != PERR_OK)
		return e;
	struct arena *ar = req->arena;
	struct validation v = {0};
	const char *action = NULL, *person = NULL, *date = NULL;
	struct handover h;
	api_in_known(o, holders_keys, "", ar, &v);
	api_in_str(o, "action", "action", ar, &action, &v);
	api_in_str(o, "person", "person", ar, &person, &v);
	api_in_str(o, "date", "date", ar, &date, &v);
	int64_t pid = person_of(db, person, "person", &v);
	int rr = read_handover(req, db, o, &h, &v);
	json_decref(o);
	if (pid < 0 || rr < 0)
		return PERR_UNAVAILABLE;
	if (!action)
		action = person ? "change" : "end";
	bool change = strcmp(action, "change") == 0;
	if (!change && strcmp(action, "end") != 0)
		validation_add(&v, "action", N_("Ce champ doit valoir « change » ou « end »."));
	if (change && !h.all_to)
		h.all_to = pid; /* the successor takes over what is not assigned */
	int r = 1;
	if (!v.n)
		r = change ? position_set_holder(db, ar, req->actor, &p, pid, date, &h, &v)
			   : position_end_holder(db, ar, req->actor, &p, date, &h, &v);
	if (r != 0)
		return answer_refused(req, resp, r, &v);
	return answer_position(req, resp, db, p.id, 200);
}

enum perr api_position_holders(struct request *req, struct response *resp)
{
	return api_write(req, resp, change_holders);
}

static const char *const close_keys[] = {"date", "handover", NULL};

static enum perr close_position(struct request *req, struct response *resp, struct db *db)
{
	struct position p;
	enum perr e = load_position(req, db, &p);
	if (e != PERR_OK)
		return e;
	json_t *o;
	if ((e = api_read_body(req, &o)) != PERR_OK)
		return e;
	struct validation v = {0};
	const char *date = NULL;
	struct handover h;
	api_in_known(o, close_keys, "", req->arena, &v);
	api_in_str(o, "date", "date", req->arena, &date, &v);
	int rr = read_handover(req, db, o, &h, &v);
	json_decref(o);
	if (rr < 0)
		return PERR_UNAVAILABLE;
	int r = v.n ? 1 : position_close(db, req->arena, req->actor, &p, date, &h, &v);
	if (r != 0)
		return answer_refused(req, resp, r, &v);
	return answer_position(req, resp, db, p.id, 200);
}

enum perr api_position_close(struct request *req, struct response *resp)
{
	return api_write(req, resp, close_position);
}

/* ---- Supervision. */

static void write_supervision(struct jsonw *w, const struct supervision *s)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", s->ext_id);
	jsonw_kv_str(w, "person", s->person_ext);
	jsonw_kv_str(w, "supervisor", s->supervisor_ext);
	jsonw_kv_str(w, "date", s->date);
	jsonw_key(w, "hours");
	jsonw_double(w, s->hours, 2);
	jsonw_kv_str(w, "type", s->type);
	jsonw_kv_str(w, "note", s->note);
	jsonw_obj_end(w);
}

enum perr api_supervision_list(struct request *req, struct response *resp)
{
	const char *from, *to;
	enum perr e = api_query_period(req, &from, &to);
	if (e != PERR_OK)
		return e;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	const struct actor *me = req->actor;
	const char *person = req_query(req, "person");
	struct supervision *v = NULL;
	size_t n = 0;
	if (person || me->role == ROLE_PAP) {
		int64_t pid = me->person_id;
		int r = person ? lookup_ext(db, EXT_PERSON, person, &pid) : 0;
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r == 0)
			r = supervision_of_person(db, req->arena, me, pid, &v, &n);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r > 0)
			return api_fail(req, PERR_NOT_FOUND, "person",
					N_("Cette personne n'existe pas."));
	} else if (supervision_of_organisation(db, req->arena, me, from, to, &v, &n) < 0) {
		return PERR_UNAVAILABLE;
	}
	struct jsonw w;
	api_list_begin(resp, &w);
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		if ((from && strcmp(v[i].date, from) < 0) || (to && strcmp(v[i].date, to) > 0))
			continue;
		write_supervision(&w, &v[i]);
		total++;
	}
	return api_list_end(resp, &w, (int64_t)total);
}

static const char *const supervision_keys[] = {"id",    "kind", "person", "date",
					       "hours", "type", "note",   NULL};

static enum perr create_supervision(struct request *req, struct response *resp, struct db *db)
{
	if (!supervision_can_record(req->actor))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas de consigner un encadrement."));
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct arena *ar = req->arena;
	struct validation v = {0};
	struct supervision s = {.hours = -1};
	const char *person = NULL;
	api_in_known(o, supervision_keys, "", ar, &v);
	api_in_ext_id(o, ar, &s.ext_id, &v);
	api_in_str(o, "person", "person", ar, &person, &v);
	api_in_str(o, "date", "date", ar, &s.date, &v);
	api_in_str(o, "type", "type", ar, &s.type, &v);
	api_in_str(o, "note", "note", ar, &s.note, &v);
	json_t *h = json_object_get(o, "hours");
	if (h && json_is_number(h))
		s.hours = json_number_value(h);
	else if (h)
		validation_add(&v, "hours", N_("Ce champ doit être un nombre."));
	s.person_id = person_of(db, person, "person", &v);
	json_decref(o);
	if (s.person_id < 0)
		return PERR_UNAVAILABLE;
	enum perr clash = v.n ? PERR_OK
			      : api_ext_id_free(req, db, EXT_SUPERVISION, s.ext_id,
						N_("Une séance porte déjà cet identifiant."));
	if (clash != PERR_OK)
		return clash;
	int r = v.n ? 1 : supervision_record(db, ar, req->actor, &s, &v);
	if (r != 0)
		return answer_refused(req, resp, r, &v);
	struct supervision saved;
	if (supervision_get(db, ar, req->actor, s.id, &saved) != 0)
		return PERR_INTERNAL;
	struct jsonw w;
	api_begin(resp, &w, 201);
	write_supervision(&w, &saved);
	return api_end(resp, &w);
}

enum perr api_supervision_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create_supervision);
}

/* ---- Support requests. */

static void write_support(struct jsonw *w, const struct support_request *r)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", r->ext_id);
	jsonw_kv_str(w, "person", r->person_ext);
	jsonw_kv_str(w, "date", r->date);
	jsonw_kv_str(w, "addressed_to", r->addressed_to);
	jsonw_kv_str(w, "type", r->type);
	jsonw_kv_str(w, "urgency", r->urgency);
	jsonw_kv_str(w, "text", r->text);
	api_kv_time(w, "acknowledged_at", r->acknowledged_at);
	api_kv_time(w, "closed_at", r->closed_at);
	jsonw_kv_str(w, "resolution", r->resolution);
	jsonw_obj_end(w);
}

enum perr api_support_list(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct support_request *v;
	size_t n;
	if (support_list(db, req->arena, req->actor, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_list_begin(resp, &w);
	for (size_t i = 0; i < n; i++)
		write_support(&w, &v[i]);
	return api_list_end(resp, &w, (int64_t)n);
}

static enum perr load_support(struct request *req, struct db *db, struct support_request *r)
{
	int64_t id;
	int rc = lookup_ext(db, EXT_SUPPORT_REQUEST, req_param(req, "id"), &id);
	if (rc == 0)
		rc = support_get(db, req->arena, req->actor, id, r);
	return api_found(req, rc, N_("Cette demande n'existe pas."));
}

static enum perr answer_support(struct request *req, struct response *resp, struct db *db,
				int64_t id, int status)
{
	struct support_request r;
	if (support_get(db, req->arena, req->actor, id, &r) != 0)
		return PERR_INTERNAL;
	struct jsonw w;
	api_begin(resp, &w, status);
	write_support(&w, &r);
	return api_end(resp, &w);
}

enum perr api_support_get(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct support_request r;
	enum perr e = load_support(req, db, &r);
	if (e != PERR_OK)
		return e;
	return answer_support(req, resp, db, r.id, 200);
}

static const char *const support_keys[] = {"id",   "kind",    "person", "date", "addressed_to",
					   "type", "urgency", "text",   NULL};

static enum perr create_support(struct request *req, struct response *resp, struct db *db)
{
	if (!support_can_file(req->actor))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Seules les PAP déposent des demandes de soutien."));
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct arena *ar = req->arena;
	struct validation v = {0};
	struct support_request r = {0};
	api_in_known(o, support_keys, "", ar, &v);
	api_in_ext_id(o, ar, &r.ext_id, &v);
	api_in_str(o, "addressed_to", "addressed_to", ar, &r.addressed_to, &v);
	api_in_str(o, "type", "type", ar, &r.type, &v);
	api_in_str(o, "urgency", "urgency", ar, &r.urgency, &v);
	api_in_str(o, "text", "text", ar, &r.text, &v);
	/* The contract's person and date: the PAP who files, today. */
	const char *person = NULL, *date = NULL;
	api_in_str(o, "person", "person", ar, &person, &v);
	api_in_str(o, "date", "date", ar, &date, &v);
	json_decref(o);
	int64_t pid = 0;
	if (person && lookup_ext(db, EXT_PERSON, person, &pid) < 0)
		return PERR_UNAVAILABLE;
	if (person && pid != req->actor->person_id)
		validation_add(&v, "person",
			       N_("Vous ne pouvez déposer une demande qu'en votre nom."));
	char today[11];
	journal_today(today);
	if (date && strcmp(date, today) != 0)
		validation_add(&v, "date", N_("Une demande de soutien porte la date du jour."));
	enum perr clash = v.n ? PERR_OK
			      : api_ext_id_free(req, db, EXT_SUPPORT_REQUEST, r.ext_id,
						N_("Une demande porte déjà cet identifiant."));
	if (clash != PERR_OK)
		return clash;
	int rc = v.n ? 1 : support_file(db, ar, req->actor, &r, &v);
	if (rc != 0)
		return answer_refused(req, resp, rc, &v);
	return answer_support(req, resp, db, r.id, 201);
}

enum perr api_support_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create_support);
}

static enum perr acknowledge_support(struct request *req, struct response *resp, struct db *db)
{
	struct support_request r;
	enum perr e = load_support(req, db, &r);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	if ((e = api_in_none(req, &v)) != PERR_OK)
		return e;
	if (v.n)
		return api_validation_failed(req, resp, &v);
	int rc = support_acknowledge(db, req->actor, &r);
	if (rc > 0)
		return api_fail(req, PERR_NOT_FOUND, NULL, N_("Cette demande n'existe pas."));
	if (rc < 0)
		return PERR_INTERNAL;
	return answer_support(req, resp, db, r.id, 200);
}

enum perr api_support_acknowledge(struct request *req, struct response *resp)
{
	return api_write(req, resp, acknowledge_support);
}

static const char *const close_support_keys[] = {"resolution", NULL};

static enum perr close_support(struct request *req, struct response *resp, struct db *db)
{
	struct support_request r;
	enum perr e = load_support(req, db, &r);
	if (e != PERR_OK)
		return e;
	if (!support_can_handle(req->actor))
		return api_fail(req, PERR_NOT_FOUND, NULL, N_("Cette demande n'existe pas."));
	json_t *o;
	if ((e = api_read_body(req, &o)) != PERR_OK)
		return e;
	struct validation v = {0};
	const char *resolution = NULL;
	api_in_known(o, close_support_keys, "", req->arena, &v);
	api_in_str(o, "resolution", "resolution", req->arena, &resolution, &v);
	json_decref(o);
	int rc = v.n ? 1 : support_close(db, req->actor, &r, resolution, &v);
	if (rc > 0 && !v.n)
		return api_fail(req, PERR_NOT_FOUND, NULL, N_("Cette demande n'existe pas."));
	if (rc != 0)
		return answer_refused(req, resp, rc, &v);
	return answer_support(req, resp, db, r.id, 200);
}

enum perr api_support_close(struct request *req, struct response *resp)
{
	return api_write(req, resp, close_support);
}
