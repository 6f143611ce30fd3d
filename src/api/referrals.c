/* /api/v1/referrals: see api/referrals.h. Referrals, families,
 * organisations and corridors are named by their external ids. */
#include "api/referrals.h"

#include <string.h>

#include "api/api.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/referral.h"

#define OFFSET_MAX 100000000

/* Writes one referral; with history its n events ev, with contact the
 * family's name and phone, with fields the template values. */
static void write_referral(struct jsonw *w, const struct referral *r, bool history,
			   const struct referral_event *ev, size_t n,
			   const struct nominative *contact, const struct referral_field *fields,
			   size_t nf)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", r->ext_id);
	jsonw_kv_str(w, "family", r->family_ext);
	jsonw_kv_str(w, "family_code", r->family_code);
	jsonw_kv_str(w, "from_organisation", r->from_ext);
	jsonw_kv_str(w, "to_organisation", r->to_ext);
	jsonw_kv_str(w, "corridor", r->corridor_ext);
	jsonw_kv_str(w, "need", r->need);
	api_kv_time(w, "first_contact_at", r->first_contact_at);
	api_kv_time(w, "sent_at", r->sent_at);
	api_kv_time(w, "received_at", r->received_at);
	api_kv_time(w, "taken_at", r->taken_at);
	api_kv_time(w, "closed_at", r->closed_at);
	jsonw_kv_str(w, "outcome", r->has_outcome ? referral_status_code(r->outcome) : NULL);
	jsonw_kv_str(w, "previous", r->previous_ext);
	jsonw_kv_str(w, "sender", r->sender_ext);
	jsonw_kv_str(w, "sender_name", r->sender_name);
	jsonw_kv_str(w, "reason", r->reason);
	jsonw_kv_str(w, "refusal_code", r->refusal_code);
	jsonw_kv_bool(w, "loop_detected", r->loop_detected);
	jsonw_kv_str(w, "status", referral_status_code(r->status));
	jsonw_kv_str(w, "direction", r->sender_side ? "sent" : "received");
	jsonw_kv_bool(w, "overdue", r->overdue);
	jsonw_kv_bool(w, "escaped", r->escaped);
	jsonw_key(w, "target_days");
	jsonw_double(w, r->target_days, 1);
	if (fields) {
		jsonw_key(w, "fields");
		jsonw_obj_begin(w);
		for (size_t i = 0; i < nf; i++)
			jsonw_kv_str(w, fields[i].field, fields[i].value);
		jsonw_obj_end(w);
	}
	if (history) {
		jsonw_key(w, "history");
		jsonw_arr_begin(w);
		for (size_t i = 0; i < n; i++) {
			jsonw_obj_begin(w);
			api_kv_time(w, "at", ev[i].at);
			jsonw_kv_str(w, "person", ev[i].person_ext);
			jsonw_kv_str(w, "person_name", ev[i].person_name);
			jsonw_kv_str(w, "organisation_name", ev[i].organisation_name);
			jsonw_kv_str(w, "action", referral_status_code(ev[i].action));
			jsonw_kv_str(w, "reason", ev[i].reason);
			jsonw_obj_end(w);
		}
		jsonw_arr_end(w);
	}
	if (contact) {
		jsonw_key(w, "contact");
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "name", contact->name);
		jsonw_kv_str(w, "phone", contact->phone);
		jsonw_obj_end(w);
	}
	jsonw_obj_end(w);
}

static enum perr not_found(struct request *req)
{
	return api_fail(req, PERR_NOT_FOUND, NULL, N_("Cette référence n'existe pas."));
}

/* The keyset cursor of the row after which a page starts: "SENT.ID" (the
 * last row's sent_at and id), opaque to clients. 0 or -1. */
static int parse_cursor(const char *v, struct referral_page *pg)
{
	const char *dot = strchr(v, '.');
	char sent[24];
	if (!dot || (size_t)(dot - v) >= sizeof(sent))
		return -1;
	memcpy(sent, v, (size_t)(dot - v));
	sent[dot - v] = '\0';
	int64_t s, id;
	if (parse_i64(sent, 1, INT64_MAX, &s) < 0 || parse_i64(dot + 1, 1, INT64_MAX, &id) < 0)
		return -1;
	pg->after_sent = s;
	pg->after_id = id;
	return 0;
}

/* The paging of a list: limit, then cursor or offset. */
static enum perr read_paging(struct request *req, struct referral_page *pg)
{
	int limit, offset;
	const char *cursor = req_query(req, "cursor");
	enum perr e = api_query_limit(req, &limit);
	if (e == PERR_OK)
		e = api_query_int(req, "offset", 0, OFFSET_MAX, 0, &offset);
	if (e != PERR_OK)
		return e;
	pg->limit = limit;
	pg->offset = offset;
	if (cursor && offset)
		return api_fail(req, PERR_INVALID, "cursor",
				N_("Donnez cursor ou offset, pas les deux."));
	if (cursor && parse_cursor(cursor, pg) < 0)
		return api_fail(req, PERR_INVALID, "cursor",
				N_("Ce curseur n'est pas valide : reprenez le lien next d'une "
				   "réponse."));
	return PERR_OK;
}

enum perr api_referral_list(struct request *req, struct response *resp)
{
	struct referral_page pg = {0};
	enum perr e = read_paging(req, &pg);
	if (e != PERR_OK)
		return e;
	struct referral_filter f = {.q = req_query(req, "q")};
	const char *dir = req_query(req, "direction"), *status = req_query(req, "status"),
		   *overdue = req_query(req, "overdue");
	if (dir && strcmp(dir, "sent") == 0)
		f.direction = REFERRAL_SENT;
	else if (dir && strcmp(dir, "received") == 0)
		f.direction = REFERRAL_RECEIVED;
	else if (dir && *dir)
		return api_fail(req, PERR_INVALID, "direction",
				N_("Ce paramètre vaut sent ou received."));
	if (status && *status) {
		if (referral_status_parse(status, &f.status) < 0)
			return api_fail(req, PERR_INVALID, "status", N_("Ce statut n'existe pas."));
		f.by_status = true;
	}
	if (overdue && (strcmp(overdue, "1") == 0 || strcmp(overdue, "true") == 0))
		f.overdue_only = true;
	else if (overdue && *overdue && strcmp(overdue, "0") != 0 && strcmp(overdue, "false") != 0)
		return api_fail(req, PERR_INVALID, "overdue",
				N_("Ce paramètre vaut true ou false."));
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct referral *v;
	size_t n;
	int64_t total;
	bool more;
	if (referral_list_page(db, req->arena, req->actor, &f, &pg, &v, &n, &total, &more) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_list_begin(resp, &w);
	for (size_t i = 0; i < n; i++)
		write_referral(&w, &v[i], false, NULL, 0, NULL, NULL, 0);
	/* The next page starts after the last row: its keyset cursor. */
	static const char *const keep[] = {"direction", "status", "overdue", "q"};
	struct api_next next = {req, "/api/v1/referrals", NULL, keep, ARRAY_LEN(keep)};
	if (more && n)
		next.paging =
			arena_printf(req->arena, "limit=%lld&cursor=%lld.%lld", (long long)pg.limit,
				     (long long)v[n - 1].sent_at, (long long)v[n - 1].id);
	return api_page_end(resp, &w, total, pg.limit, pg.offset, &next);
}

/* Answers referral id (as who sees it) with its history and, for the
 * receiving side when allowed, the contact (the read is logged). */
static enum perr answer(struct request *req, struct response *resp, struct db *db, int64_t id,
			int status, bool with_contact)
{
	struct referral r;
	int g = referral_get(db, req->arena, req->actor, id, &r);
	if (g < 0)
		return PERR_UNAVAILABLE;
	if (g > 0)
		return not_found(req);
	struct referral_event *ev;
	size_t n;
	if (referral_events(db, req->arena, id, &ev, &n) < 0)
		return PERR_UNAVAILABLE;
	struct nominative nom;
	bool has_nom = false;
	struct referral_field *fields = NULL;
	size_t nf = 0;
	if (with_contact) {
		if (referral_contact_allowed(req->actor, db, &r)) {
			int c = referral_read_contact(db, req->arena, req->actor, &r, &nom);
			if (c < 0)
				return PERR_INTERNAL;
			has_nom = c == 0;
		}
		if (referral_read_fields(db, req->arena, req->actor, &r, &fields, &nf) < 0)
			return PERR_INTERNAL;
	}
	struct jsonw w;
	buf_reset(&resp->body);
	api_begin(resp, &w, status);
	write_referral(&w, &r, true, ev, n, has_nom ? &nom : NULL, fields, nf);
	return api_end(resp, &w);
}

enum perr api_referral_get(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	int64_t id;
	int r = lookup_ext(db, EXT_REFERRAL, req_param(req, "id"), &id);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return not_found(req);
	return answer(req, resp, db, id, 200, true);
}

static const char *const create_keys[] = {
	"id",     "kind", "family", "corridor", "to_organisation", "need", "first_contact_at",
	"fields", NULL,
};

/* Reads a timestamp or a date (local midnight) from o[key]. */
static void read_time(struct request *req, json_t *o, const char *key, int64_t *out,
		      struct validation *v)
{
	const char *s = NULL;
	if (api_in_str(o, key, key, req->arena, &s, v) < 0 || !s)
		return;
	struct pdate d;
	if (ptime_parse_date(s, &d) == 0)
		*out = ptime_date_start(&d);
	else if (ptime_parse_timestamp(s, out) < 0)
		validation_add(v, key,
			       N_("Entrez une date (AAAA-MM-JJ) ou une date et une heure "
				  "(AAAA-MM-JJTHH:MM)."));
}

/* Reads the destination (corridor or to_organisation), need, first contact
 * and template fields of o into in. PERR_OK or PERR_UNAVAILABLE. */
static enum perr read_new(struct request *req, struct db *db, json_t *o, struct referral_new *in,
			  struct validation *v)
{
	struct arena *ar = req->arena;
	const char *corridor = NULL, *to = NULL;
	if (api_in_str(o, "corridor", "corridor", ar, &corridor, v) == 0 && corridor) {
		int64_t c;
		int r = lookup_ext(db, EXT_CORRIDOR, corridor, &c);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r > 0)
			validation_add(v, "corridor", N_("Ce corridor n'existe pas."));
		in->corridor_id = c;
	}
	if (api_in_str(o, "to_organisation", "to_organisation", ar, &to, v) == 0 && to) {
		int64_t t;
		int r = lookup_ext(db, EXT_ORGANISATION, to, &t);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r > 0)
			validation_add(v, "to_organisation",
				       N_("Cette organisation n'existe pas."));
		if (corridor)
			validation_add(v, "to_organisation",
				       N_("Donnez un corridor ou une organisation, pas les deux."));
		in->to_org = t;
	}
	api_in_str(o, "need", "need", ar, &in->need, v);
	read_time(req, o, "first_contact_at", &in->first_contact_at, v);
	json_t *fo = NULL;
	if (api_in_object(o, "fields", "fields", &fo, v) == 0 && fo) {
		size_t cnt = json_object_size(fo), k = 0;
		in->fields = arena_calloc(ar, cnt ? cnt : 1, sizeof(*in->fields));
		const char *key;
		json_t *val;
		json_object_foreach(fo, key, val)
		{
			const char *name = arena_printf(ar, "fields.%s", key);
			if (!json_is_string(val)) {
				validation_add(v, name,
					       N_("Ce champ doit être une chaîne de caractères."));
				continue;
			}
			in->fields[k++] = (struct referral_field){
				arena_strdup(ar, key), arena_strdup(ar, json_string_value(val))};
		}
		in->n_fields = k;
	}
	return PERR_OK;
}

/* Maps a model result to the answer: validation -> 422 envelope. */
static enum perr model_result(struct request *req, struct response *resp, enum perr e,
			      const struct validation *v)
{
	if (e == PERR_UNPROCESSABLE || ((e == PERR_CONFLICT) && v->n)) {
		if (e == PERR_CONFLICT)
			return api_fail(req, PERR_CONFLICT, v->errs[0].field, v->errs[0].message);
		return api_validation_failed(req, resp, v);
	}
	if (e == PERR_NOT_FOUND)
		return not_found(req);
	if (e == PERR_FORBIDDEN)
		return api_fail(
			req, PERR_FORBIDDEN, NULL,
			N_("Cette action appartient à l'autre organisation de la référence."));
	return e;
}

static enum perr create(struct request *req, struct response *resp, struct db *db)
{
	if (!referral_actor_ok(req->actor))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas d'envoyer des références."));
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	struct referral_new in = {0};
	const char *kind = NULL, *family = NULL;
	api_in_known(o, create_keys, "", req->arena, &v);
	if (api_in_str(o, "kind", "kind", req->arena, &kind, &v) == 0 && kind &&
	    strcmp(kind, "referral") != 0)
		validation_add(&v, "kind", N_("Ce champ doit valoir « referral »."));
	api_in_ext_id(o, req->arena, &in.ext_id, &v);
	if (api_in_str(o, "family", "family", req->arena, &family, &v) == 0 && family) {
		int r = lookup_ext(db, EXT_FAMILY, family, &in.family_id);
		if (r < 0)
			e = PERR_UNAVAILABLE;
		else if (r > 0)
			validation_add(&v, "family", N_("Cette famille n'existe pas."));
	} else if (!family) {
		validation_add(&v, "family", N_("Choisissez la famille à référer."));
	}
	if (e == PERR_OK)
		e = read_new(req, db, o, &in, &v);
	json_decref(o);
	if (e != PERR_OK)
		return e;
	if (v.n)
		return api_validation_failed(req, resp, &v);
	int64_t id;
	e = referral_create(db, req->arena, req->actor, &in, &v, &id);
	if (e == PERR_OK)
		return answer(req, resp, db, id, 201, false);
	/* A family of another organisation is a field error, not a 404 of
	 * the address. */
	if (e == PERR_NOT_FOUND) {
		validation_add(&v, "family", N_("Cette famille n'existe pas."));
		e = PERR_UNPROCESSABLE;
	}
	return model_result(req, resp, e, &v);
}

enum perr api_referral_create(struct request *req, struct response *resp)
{
	return api_write(req, resp, create);
}

/* Reads the optional body of an action (empty allowed) into *o. */
static enum perr action_body(struct request *req, json_t **o)
{
	*o = NULL;
	if (!req->body || !req->body_len)
		return PERR_OK;
	return api_read_body(req, o);
}

static const char *const action_keys[] = {"reason", NULL};
static const char *const refuse_keys[] = {"reason", "refusal_code", NULL};
static const char *const reorient_keys[] = {
	"reason",           "to_organisation", "corridor",     "need",
	"first_contact_at", "fields",          "confirm_loop", NULL,
};

/* The referral of the route's :id (an external id) that the actor sees,
 * into *id and *r. PERR_OK, PERR_UNAVAILABLE, or the 404 of a referral
 * that is absent or not visible. */
static enum perr load_visible(struct request *req, struct db *db, int64_t *id, struct referral *r)
{
	int g = lookup_ext(db, EXT_REFERRAL, req_param(req, "id"), id);
	if (g == 0)
		g = referral_get(db, req->arena, req->actor, *id, r);
	if (g < 0)
		return PERR_UNAVAILABLE;
	if (g > 0)
		return not_found(req);
	return PERR_OK;
}

/* acknowledge, take, refuse, lost. */
static enum perr act(struct request *req, struct response *resp, struct db *db,
		     enum referral_action a)
{
	int64_t id;
	struct referral r;
	enum perr e = load_visible(req, db, &id, &r);
	if (e != PERR_OK)
		return e;
	json_t *o;
	e = action_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	const char *reason = NULL, *code = NULL;
	api_in_known(o, a == REFERRAL_REFUSE ? refuse_keys : action_keys, "", req->arena, &v);
	api_in_str(o, "reason", "reason", req->arena, &reason, &v);
	if (a == REFERRAL_REFUSE)
		api_in_str(o, "refusal_code", "refusal_code", req->arena, &code, &v);
	json_decref(o);
	if (v.n)
		return api_validation_failed(req, resp, &v);
	e = a == REFERRAL_REFUSE ? referral_refuse(db, req->arena, req->actor, id, code, reason, &v)
				 : referral_act(db, req->arena, req->actor, id, a, reason, &v);
	if (e != PERR_OK)
		return model_result(req, resp, e, &v);
	return answer(req, resp, db, id, 200, false);
}

static enum perr acknowledge(struct request *req, struct response *resp, struct db *db)
{
	return act(req, resp, db, REFERRAL_ACKNOWLEDGE);
}
static enum perr take(struct request *req, struct response *resp, struct db *db)
{
	return act(req, resp, db, REFERRAL_TAKE);
}
static enum perr refuse(struct request *req, struct response *resp, struct db *db)
{
	return act(req, resp, db, REFERRAL_REFUSE);
}
static enum perr lost(struct request *req, struct response *resp, struct db *db)
{
	return act(req, resp, db, REFERRAL_LOST);
}

static enum perr reorient(struct request *req, struct response *resp, struct db *db)
{
	int64_t id;
	struct referral r;
	enum perr e = load_visible(req, db, &id, &r);
	if (e != PERR_OK)
		return e;
	json_t *o;
	e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	struct validation v = {0};
	struct referral_new next = {0};
	const char *reason = NULL;
	bool confirm = false;
	api_in_known(o, reorient_keys, "", req->arena, &v);
	api_in_str(o, "reason", "reason", req->arena, &reason, &v);
	api_in_bool(o, "confirm_loop", "confirm_loop", &confirm, &v);
	e = read_new(req, db, o, &next, &v);
	json_decref(o);
	if (e != PERR_OK)
		return e;
	if (v.n)
		return api_validation_failed(req, resp, &v);
	bool loop = false;
	int64_t nid;
	e = referral_reorient(db, req->arena, req->actor, id, &next, reason, confirm, &loop, &v,
			      &nid);
	if (e != PERR_OK)
		return model_result(req, resp, e, &v);
	return answer(req, resp, db, nid, 201, false);
}

enum perr api_referral_acknowledge(struct request *req, struct response *resp)
{
	return api_write(req, resp, acknowledge);
}
enum perr api_referral_take(struct request *req, struct response *resp)
{
	return api_write(req, resp, take);
}
enum perr api_referral_refuse(struct request *req, struct response *resp)
{
	return api_write(req, resp, refuse);
}
enum perr api_referral_lost(struct request *req, struct response *resp)
{
	return api_write(req, resp, lost);
}
enum perr api_referral_reorient(struct request *req, struct response *resp)
{
	return api_write(req, resp, reorient);
}
