/* Helpers shared by the API's handlers: output, the 422 envelope, strict
 * JSON input readers, query parameters, external ids. */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "http/error.h"
#include "model/lookup.h"

enum perr api_fail(struct request *req, enum perr e, const char *field, const char *msgid)
{
	req->err_field = field;
	req->err_message = msgid;
	return e;
}

void api_begin(struct response *resp, struct jsonw *w, int status)
{
	resp->status = status;
	resp->content_type = "application/json";
	jsonw_init(w, &resp->body);
}

enum perr api_end(struct response *resp, struct jsonw *w)
{
	if (jsonw_finish(w) < 0 || buf_putc(&resp->body, '\n') < 0)
		return PERR_INTERNAL;
	return PERR_OK;
}

void api_list_begin(struct response *resp, struct jsonw *w)
{
	api_begin(resp, w, 200);
	jsonw_obj_begin(w);
	jsonw_key(w, "items");
	jsonw_arr_begin(w);
}

enum perr api_list_end(struct response *resp, struct jsonw *w, int64_t total)
{
	jsonw_arr_end(w);
	jsonw_kv_int(w, "total", total);
	jsonw_obj_end(w);
	return api_end(resp, w);
}

/* Writes "next" (api_next). */
static void write_next(struct jsonw *w, const struct api_next *n)
{
	jsonw_key(w, "next");
	if (!n->paging) {
		jsonw_null(w);
		return;
	}
	struct buf link;
	buf_init(&link, 2048);
	buf_printf(&link, "%s?%s", n->path, n->paging);
	for (size_t i = 0; i < n->nkeep; i++) {
		const char *v = req_query(n->req, n->keep[i]);
		if (v && *v && buf_printf(&link, "&%s=", n->keep[i]) == 0)
			esc_url(&link, v);
	}
	jsonw_str(w, link.data);
	buf_free(&link);
}

enum perr api_page_end(struct response *resp, struct jsonw *w, int64_t total, int64_t limit,
		       int64_t offset, const struct api_next *next)
{
	jsonw_arr_end(w);
	if (next)
		write_next(w, next);
	jsonw_kv_int(w, "total", total);
	jsonw_kv_int(w, "limit", limit);
	jsonw_kv_int(w, "offset", offset);
	jsonw_obj_end(w);
	return api_end(resp, w);
}

enum perr api_query_limit(struct request *req, int *out)
{
	const char *v = req_query(req, "limit");
	*out = API_PAGE_DEFAULT;
	if (v && parse_int(v, 1, API_PAGE_MAX, out) < 0)
		return api_fail(req, PERR_INVALID, "limit",
				N_("Ce paramètre est un nombre entier de 1 à 1000 (le maximum)."));
	return PERR_OK;
}

enum perr api_validation_failed(struct request *req, struct response *resp,
				const struct validation *v)
{
	BUG_ON(v->n == 0);
	buf_reset(&resp->body);
	struct jsonw w;
	api_begin(resp, &w, http_status(PERR_UNPROCESSABLE));
	jsonw_obj_begin(&w);
	jsonw_key(&w, "error");
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "code", perr_code(PERR_UNPROCESSABLE));
	jsonw_kv_str(&w, "message", i18n_tr(req->lang, v->errs[0].message));
	jsonw_kv_str(&w, "field", v->errs[0].field);
	jsonw_key(&w, "errors");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < v->n; i++) {
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "field", v->errs[i].field);
		jsonw_kv_str(&w, "message", i18n_tr(req->lang, v->errs[i].message));
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}

/* True when the request's Content-Type is application/json (parameters
 * such as charset=utf-8 allowed). */
static bool is_json(const struct request *req)
{
	const char *ct = req_header(req, "Content-Type");
	if (!ct)
		return false;
	size_t n = strcspn(ct, "; \t");
	return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

enum perr api_read_body(struct request *req, json_t **out)
{
	*out = NULL;
	if (!is_json(req))
		return api_fail(req, PERR_UNSUPPORTED, "Content-Type",
				N_("Envoyez le contenu en JSON (Content-Type: application/json)."));
	if (!req->body || !req->body_len)
		return api_fail(req, PERR_INVALID, NULL, N_("Le contenu JSON est vide."));
	json_error_t err;
	json_t *o = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!o)
		return api_fail(req, PERR_INVALID, NULL,
				N_("Le contenu n'est pas du JSON valide."));
	if (!json_is_object(o)) {
		json_decref(o);
		return api_fail(req, PERR_INVALID, NULL, N_("Le contenu doit être un objet JSON."));
	}
	*out = o;
	return PERR_OK;
}

void api_kv_time(struct jsonw *w, const char *key, int64_t t)
{
	if (!t) {
		jsonw_key(w, key);
		jsonw_null(w);
		return;
	}
	char s[21];
	ptime_format_utc(t, s);
	jsonw_kv_str(w, key, s);
}

void api_kv_strings(struct jsonw *w, const char *key, const struct strlist *l)
{
	jsonw_key(w, key);
	jsonw_arr_begin(w);
	for (size_t i = 0; i < l->n; i++)
		jsonw_str(w, l->v[i]);
	jsonw_arr_end(w);
}

enum perr api_query_period(struct request *req, const char **from, const char **to)
{
	enum perr e = api_query_date(req, "from", from);
	if (e == PERR_OK)
		e = api_query_date(req, "to", to);
	return e;
}

enum perr api_query_int(struct request *req, const char *name, int min, int max, int def, int *out)
{
	const char *v = req_query(req, name);
	*out = def;
	if (!v)
		return PERR_OK;
	if (parse_int(v, min, max, out) < 0)
		return api_fail(
			req, PERR_INVALID, name,
			N_("Ce paramètre doit être un nombre entier dans les limites permises."));
	return PERR_OK;
}

enum perr api_query_date(struct request *req, const char *name, const char **out)
{
	const char *v = req_query(req, name);
	struct pdate d;
	*out = NULL;
	if (!v)
		return PERR_OK;
	if (ptime_parse_date(v, &d) < 0)
		return api_fail(req, PERR_INVALID, name,
				N_("Entrez une date valide (AAAA-MM-JJ)."));
	*out = v;
	return PERR_OK;
}

/* The value of o[key], or NULL when o is NULL, the key absent or null. */
static json_t *get(json_t *o, const char *key)
{
	json_t *j = o ? json_object_get(o, key) : NULL;
	return j && !json_is_null(j) ? j : NULL;
}

int api_in_str(json_t *o, const char *key, const char *field, struct arena *a, const char **out,
	       struct validation *v)
{
	json_t *j = get(o, key);
	if (!j)
		return 0;
	if (!json_is_string(j)) {
		validation_add(v, field, N_("Ce champ doit être une chaîne de caractères."));
		return -1;
	}
	*out = arena_strndup(a, json_string_value(j), json_string_length(j));
	return 0;
}

int api_in_int(json_t *o, const char *key, const char *field, int *out, struct validation *v)
{
	json_t *j = get(o, key);
	if (!j)
		return 0;
	if (!json_is_integer(j)) {
		validation_add(v, field, N_("Ce champ doit être un nombre entier."));
		return -1;
	}
	json_int_t n = json_integer_value(j);
	*out = n < 0 ? (n < INT_MIN ? -1 : (int)n) : (n > API_INT_CLAMP ? API_INT_CLAMP : (int)n);
	return 0;
}

int api_in_bool(json_t *o, const char *key, const char *field, bool *out, struct validation *v)
{
	json_t *j = get(o, key);
	if (!j)
		return 0;
	if (!json_is_boolean(j)) {
		validation_add(v, field, N_("Ce champ doit valoir true ou false."));
		return -1;
	}
	*out = json_is_true(j);
	return 0;
}

int api_in_object(json_t *o, const char *key, const char *field, json_t **out, struct validation *v)
{
	json_t *j = get(o, key);
	if (!j)
		return 0;
	if (!json_is_object(j)) {
		validation_add(v, field, N_("Ce champ doit être un objet JSON."));
		return -1;
	}
	*out = j;
	return 0;
}

int api_in_strings(json_t *o, const char *key, const char *field, struct arena *a,
		   const char ***out, size_t *n, struct validation *v)
{
	json_t *j = get(o, key);
	if (!j)
		return 0;
	if (!json_is_array(j)) {
		validation_add(v, field, N_("Ce champ doit être une liste."));
		return -1;
	}
	size_t len = json_array_size(j);
	if (len > API_LIST_MAX) {
		validation_add(v, field, N_("Cette liste compte trop de valeurs."));
		return -1;
	}
	const char **items = arena_alloc(a, (len ? len : 1) * sizeof(*items));
	for (size_t i = 0; i < len; i++) {
		json_t *e = json_array_get(j, i);
		if (!json_is_string(e)) {
			validation_add(v, field,
				       N_("Cette liste doit contenir des chaînes de caractères."));
			return -1;
		}
		items[i] = arena_strndup(a, json_string_value(e), json_string_length(e));
	}
	*out = items;
	*n = len;
	return 0;
}

void api_in_known(json_t *o, const char *const *known, const char *prefix, struct arena *a,
		  struct validation *v)
{
	if (!o)
		return;
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val)
	{
		(void)val;
		bool found = false;
		for (size_t i = 0; known[i] && !found; i++)
			found = strcmp(known[i], key) == 0;
		if (!found)
			validation_add(v, arena_printf(a, "%s%s", prefix, key),
				       N_("Ce champ est inconnu."));
	}
}

enum perr api_in_none(struct request *req, struct validation *v)
{
	if (!req->body || !req->body_len)
		return PERR_OK;
	json_t *o;
	enum perr e = api_read_body(req, &o);
	if (e != PERR_OK)
		return e;
	static const char *const none[] = {NULL};
	api_in_known(o, none, "", req->arena, v);
	json_decref(o);
	return PERR_OK;
}

bool api_ext_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > API_EXT_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '/')
			return false;
	return true;
}

int api_in_ext_id(json_t *o, struct arena *a, const char **out, struct validation *v)
{
	if (api_in_str(o, "id", "id", a, out, v) < 0)
		return -1;
	if (*out && !api_ext_id_ok(*out)) {
		validation_add(v, "id",
			       N_("L'identifiant compte de 1 à 100 caractères ASCII visibles, sans "
				  "espace ni barre oblique."));
		return -1;
	}
	return 0;
}

enum perr api_ext_id_free(struct request *req, struct db *db, enum ext_kind k, const char *ext,
			  const char *taken_msgid)
{
	if (!ext)
		return PERR_OK;
	int64_t taken;
	int r = lookup_ext(db, k, ext, &taken);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r == 0)
		return api_fail(req, PERR_CONFLICT, "id", taken_msgid);
	return PERR_OK;
}

enum perr api_found(struct request *req, int r, const char *missing_msgid)
{
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return api_fail(req, PERR_NOT_FOUND, NULL, missing_msgid);
	return PERR_OK;
}
