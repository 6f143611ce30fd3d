/* The phone's outbox (issue 11, docs/api.md "Sync"):
 *   GET  /api/v1/sync   who the session is (the outbox account) and a
 *                       fresh CSRF token, before the phone sends anything
 *   POST /api/v1/sync   up to SYNC_MAX_ENTRIES waiting entries, in order
 *
 * An entry is a page form as the PAP filled it on the phone: the form's
 * address and its fields. It is replayed through the page's own reading
 * code (views/replay.h). Each entry carries the id the phone made for it,
 * used as its Idempotency-Key and as the new record's external id, so an
 * entry is accepted exactly once however often the phone sends it: its
 * answer is stored with the record, in the same transaction.
 *
 * The batch is the request's write unit, each entry a write unit nested in
 * it (db_unit_run: a savepoint): each entry gets its own result (saved,
 * invalid with every field error, conflict, refused), a refused entry
 * leaves nothing behind, and a database failure writes nothing at all
 * (503, or 507 on a full disk: the phone sends the same batch again). */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "auth/csrf.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "model/actor.h"
#include "views/replay.h"
#include "views/view.h"

/* Most entries in one POST. The phone sends a longer outbox in several. */
#define SYNC_MAX_ENTRIES 100
/* Most fields in one entry (a form with every box checked has ~80). */
#define SYNC_MAX_FIELDS 400
/* Keys: 8 to 64 characters from [A-Za-z0-9_-] (the phone's UUIDs): both
 * an Idempotency-Key and an external id. */
#define SYNC_KEY_MIN 8
#define SYNC_KEY_MAX 64

/* The page forms an entry may replay. ext_of finds a record by external
 * id (new records only: their external id is the entry's key). */
static const struct {
	const char *form; /* "/journal/:id/modifier": ":id" is a row id */
	replay_fn fn;
	enum ext_kind ext_of;
	bool creates;
} forms[] = {
	{"/journal/nouvelle", journal_replay_new, EXT_ACTIVITY, true},
	{"/journal/indirect", journal_replay_indirect, EXT_ACTIVITY, true},
	{"/journal/:id/modifier", journal_replay_edit, EXT_ACTIVITY, false},
	{"/recits/nouveau", story_replay_new, EXT_STORY, true},
	{"/trous/nouveau", service_gap_replay_new, EXT_SERVICE_GAP, true},
};

/* Matches path against pattern, where ":id" stands for a row id (put in
 * *id). True on a match. */
static bool form_match(const char *pattern, const char *path, const char **id, struct arena *a)
{
	const char *cap = strstr(pattern, ":id");
	if (!cap)
		return strcmp(pattern, path) == 0;
	size_t head = (size_t)(cap - pattern);
	if (strncmp(pattern, path, head) != 0)
		return false;
	const char *p = path + head;
	size_t n = strspn(p, "0123456789");
	if (n == 0 || n > 18 || strcmp(p + n, cap + 3) != 0)
		return false;
	*id = arena_strndup(a, p, n);
	return true;
}

static bool key_ok(const char *k)
{
	size_t n = strlen(k);
	return n >= SYNC_KEY_MIN && n <= SYNC_KEY_MAX &&
	       strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

enum perr api_sync_info(struct request *req, struct response *resp)
{
	struct jsonw w;
	api_begin(resp, &w, 200);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "account", actor_outbox_account(req->arena, req->actor));
	jsonw_kv_str(&w, "csrf_token", csrf_token(req, resp));
	jsonw_kv_int(&w, "max_entries", SYNC_MAX_ENTRIES);
	const char **urls;
	size_t n;
	if (view_offline_urls(req, &urls, &n) < 0)
		return PERR_INTERNAL;
	jsonw_key(&w, "offline");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < n; i++)
		jsonw_str(&w, urls[i]);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}

/* A result object: {"key", "status", "code"} (new reference). */
static json_t *result_new(const char *key, const char *status, int code)
{
	json_t *r = json_pack("{s:s, s:s, s:i}", "key", key, "status", status, "code", code);
	if (!r)
		die_oom();
	return r;
}

/* A refusal of the entry as a whole (bad shape, form not allowed). */
static json_t *refused(struct request *req, const char *key, int code, const char *field,
		       const char *msgid)
{
	json_t *r = result_new(key, "refused", code);
	json_object_set_new(r, "field", json_string(field));
	json_object_set_new(r, "message", json_string(i18n_tr(req->lang, msgid)));
	return r;
}

/* The entry's fields ([[name, value], ...]) into *form; NULL when they
 * are well formed, else the msgid of what is wrong. */
static const char *read_fields(struct request *req, json_t *fields, struct kvlist *form)
{
	if (!json_is_array(fields))
		return N_("Les champs doivent être une liste de paires [nom, valeur].");
	if (json_array_size(fields) > SYNC_MAX_FIELDS)
		return N_("Une entrée compte au plus 400 champs.");
	size_t i;
	json_t *pair;
	json_array_foreach(fields, i, pair)
	{
		json_t *k = json_array_get(pair, 0), *v = json_array_get(pair, 1);
		if (!json_is_array(pair) || json_array_size(pair) != 2 || !json_is_string(k) ||
		    !json_is_string(v))
			return N_("Les champs doivent être une liste de paires [nom, valeur].");
		kvlist_add(req->arena, form, arena_strdup(req->arena, json_string_value(k)),
			   arena_strdup(req->arena, json_string_value(v)));
	}
	return NULL;
}

/* The request an entry stands for: req's person and language, POST to
 * the entry's form with its fields. */
static struct request entry_request(struct request *req, const char *form, const char *id)
{
	struct request sub = *req;
	sub.method = HTTP_POST;
	sub.method_str = "POST";
	sub.path = sub.raw_path = sub.raw_target = form;
	sub.raw_query = "";
	memset(&sub.query, 0, sizeof(sub.query));
	memset(&sub.form, 0, sizeof(sub.form));
	memset(&sub.params, 0, sizeof(sub.params));
	if (id)
		kvlist_add(req->arena, &sub.params, "id", id);
	sub.err_message = sub.err_field = NULL;
	return sub;
}

/* The result of a replay that returned e with rp. */
static json_t *replay_result(struct request *req, const char *key, enum perr e,
			     const struct replay *rp, bool creates)
{
	if (e == PERR_PRECONDITION) {
		json_t *r = result_new(key, "conflict", 412);
		json_object_set_new(r, "location", json_string(rp->location));
		json_object_set_new(
			r, "message",
			json_string(i18n_tr(req->lang, N_("Cette activité a été modifiée ailleurs "
							  "pendant que votre modification "
							  "attendait sur le téléphone."))));
		return r;
	}
	if (e != PERR_OK)
		return refused(req, key, 404, "form",
			       N_("Ce formulaire n'est pas permis à votre compte, ou l'élément "
				  "n'existe plus."));
	if (rp->v.n) {
		json_t *r = result_new(key, "invalid", 422);
		json_t *errs = json_array();
		for (size_t i = 0; i < rp->v.n; i++)
			json_array_append_new(errs,
					      json_pack("{s:s, s:s}", "field", rp->v.errs[i].field,
							"message",
							i18n_tr(req->lang, rp->v.errs[i].message)));
		json_object_set_new(r, "errors", errs);
		return r;
	}
	json_t *r = result_new(key, "saved", creates ? 201 : 200);
	json_object_set_new(r, "id", json_string(rp->ext_id));
	json_object_set_new(r, "location", json_string(rp->location));
	return r;
}

/* The answer already given to key, or NULL (none) in *out. PERR_OK or
 * PERR_UNAVAILABLE. A key already used for another form is refused. */
static enum perr earlier_answer(struct request *req, struct db *db, const char *key,
				const char *form, enum ext_kind ext_of, bool creates, json_t **out)
{
	*out = NULL;
	struct api_idem k = {req->actor->person_id, key, "POST", form};
	int status;
	const char *body;
	size_t n;
	int r = api_idem_get(db, req->arena, &k, &status, &body, &n);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r == 2) {
		*out = refused(req, key, 422, "key",
			       N_("Cette clé a déjà servi pour un autre formulaire."));
		return PERR_OK;
	}
	if (r == 0) {
		*out = json_loadb(body, n, 0, NULL);
		if (!*out)
			*out = result_new(key, "saved", status);
	} else if (creates) {
		/* The answer may have been forgotten (its time to live is over)
		 * while the record stays: its external id is the key. */
		int64_t id;
		int found = lookup_ext(db, ext_of, key, &id);
		if (found < 0)
			return PERR_UNAVAILABLE;
		if (found == 0) {
			*out = result_new(key, "saved", 201);
			json_object_set_new(*out, "id", json_string(key));
		}
	}
	if (*out)
		json_object_set_new(*out, "replayed", json_true());
	return PERR_OK;
}

/* One entry replayed as a write unit nested in the batch's. */
struct entry_unit {
	replay_fn fn;
	struct request *sub;
	struct replay rp;
	enum perr e;
};

static enum db_unit_verdict entry_work(struct db *db, void *arg)
{
	struct entry_unit *u = arg;
	u->e = u->fn(u->sub, db, &u->rp);
	return u->e == PERR_OK && !u->rp.v.n ? DB_UNIT_KEEP : DB_UNIT_DISCARD;
}

/* Replays one entry as a nested write unit: its result in *out. PERR_OK,
 * or PERR_UNAVAILABLE (the whole batch is then rolled back). */
static enum perr one_entry(struct request *req, struct db *db, json_t *entry, json_t **out)
{
	const char *key = json_string_value(json_object_get(entry, "key"));
	const char *form = json_string_value(json_object_get(entry, "form"));
	*out = NULL;
	/* An unknown member is refused, as everywhere in the API. */
	static const char *const entry_keys[] = {"key", "form", "fields", NULL};
	struct validation uv = {0};
	api_in_known(entry, entry_keys, "", req->arena, &uv);
	if (uv.n) {
		*out = refused(req, key && strlen(key) < 100 ? key : "", 422, uv.errs[0].field,
			       uv.errs[0].message);
		return PERR_OK;
	}
	if (!key || !key_ok(key)) {
		*out = refused(
			req, key && strlen(key) < 100 ? key : "", 400, "key",
			N_("La clé d'une entrée compte de 8 à 64 lettres, chiffres, - ou _."));
		return PERR_OK;
	}
	size_t f = 0;
	const char *id = NULL;
	while (form && f < ARRAY_LEN(forms) && !form_match(forms[f].form, form, &id, req->arena))
		f++;
	if (!form || f == ARRAY_LEN(forms)) {
		*out = refused(req, key, 400, "form", N_("Ce formulaire ne s'envoie pas ainsi."));
		return PERR_OK;
	}
	enum perr e = earlier_answer(req, db, key, form, forms[f].ext_of, forms[f].creates, out);
	if (e != PERR_OK || *out)
		return e;
	struct request sub = entry_request(req, form, id);
	const char *bad = read_fields(&sub, json_object_get(entry, "fields"), &sub.form);
	if (bad) {
		*out = refused(req, key, 400, "fields", bad);
		return PERR_OK;
	}
	struct entry_unit u = {.fn = forms[f].fn, .sub = &sub, .rp = {.key = key}};
	enum db_unit_outcome done = db_unit_run(db, entry_work, &u, NULL);
	if (done == DB_UNIT_FAILED || u.e == PERR_UNAVAILABLE || u.e == PERR_INTERNAL)
		return PERR_UNAVAILABLE;
	*out = replay_result(req, key, u.e, &u.rp, forms[f].creates);
	if (done == DB_UNIT_COMMITTED) {
		char *text = json_dumps(*out, JSON_COMPACT);
		struct api_idem k = {req->actor->person_id, key, "POST", form};
		int r = text ? api_idem_put(db, &k,
					    (int)json_integer_value(json_object_get(*out, "code")),
					    text, strlen(text))
			     : -1;
		free(text);
		if (r < 0)
			return PERR_UNAVAILABLE;
	}
	return PERR_OK;
}

/* Checks the batch's shape and owner: PERR_OK with *entries, or the
 * reason. */
static enum perr read_batch(struct request *req, json_t *body, json_t **entries)
{
	const char *account = json_string_value(json_object_get(body, "account"));
	*entries = json_object_get(body, "entries");
	if (!account)
		return api_fail(req, PERR_INVALID, "account",
				N_("Le compte à qui appartiennent les entrées est obligatoire."));
	if (strcmp(account, actor_outbox_account(req->arena, req->actor)) != 0)
		return api_fail(req, PERR_CONFLICT, "account",
				N_("Ces entrées appartiennent à un autre compte : elles ne sont "
				   "pas envoyées."));
	if (!json_is_array(*entries))
		return api_fail(req, PERR_INVALID, "entries",
				N_("Les entrées doivent être une liste."));
	if (json_array_size(*entries) > SYNC_MAX_ENTRIES)
		return api_fail(req, PERR_INVALID, "entries",
				N_("Au plus 100 entrées par envoi : envoyez le reste ensuite."));
	return PERR_OK;
}

/* Replays every entry in the request's write unit; the results in order.
 * PERR_UNAVAILABLE when one met a database failure: the pipeline then
 * discards the whole batch. */
static enum perr replay_all(struct request *req, struct db *db, json_t *entries, json_t *results)
{
	size_t i;
	json_t *entry;
	json_array_foreach(entries, i, entry)
	{
		json_t *r = NULL;
		if (!json_is_object(entry))
			r = refused(req, "", 400, "entries",
				    N_("Chaque entrée doit être un objet JSON."));
		else if (one_entry(req, db, entry, &r) != PERR_OK) {
			json_decref(r);
			return PERR_UNAVAILABLE;
		}
		json_array_append_new(results, r);
	}
	return PERR_OK;
}

enum perr api_sync(struct request *req, struct response *resp)
{
	if (!actor_keeps_journal(req->actor))
		return api_fail(req, PERR_FORBIDDEN, NULL,
				N_("Votre rôle ne permet pas d'inscrire des activités."));
	json_t *body, *entries;
	enum perr e = api_read_body(req, &body);
	if (e != PERR_OK)
		return e;
	/* An unknown field is the API's one 422 (docs/api.md). */
	static const char *const batch_keys[] = {"account", "entries", NULL};
	struct validation uv = {0};
	api_in_known(body, batch_keys, "", req->arena, &uv);
	if (uv.n) {
		json_decref(body);
		return api_validation_failed(req, resp, &uv);
	}
	struct db *db = db_thread();
	json_t *results = json_array();
	if (!results)
		die_oom();
	e = read_batch(req, body, &entries);
	if (e == PERR_OK)
		e = db ? replay_all(req, db, entries, results) : PERR_UNAVAILABLE;
	if (e == PERR_OK) {
		log_info("sync.batch", "by=%lld entries=%zu", (long long)req->actor->person_id,
			 json_array_size(results));
		json_t *answer = json_pack("{s:o}", "results", results);
		char *text = json_dumps(answer, JSON_COMPACT);
		json_decref(answer);
		results = NULL;
		resp->status = HTTP_STATUS_OK;
		resp->content_type = "application/json";
		if (!text || buf_puts(&resp->body, text) < 0 || buf_puts(&resp->body, "\n") < 0)
			e = PERR_INTERNAL;
		free(text);
	}
	json_decref(results);
	json_decref(body);
	return e;
}
