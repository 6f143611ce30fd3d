/* GET /api/v1/me and GET /api/v1/reference/:list. */
#include <strings.h>

#include "api/api.h"
#include "http/offline.h"
#include "core/i18n.h"
#include "model/actor.h"
#include "model/person.h"
#include "model/refdata.h"

/* Who is asking, as the interchange names a person, plus how they signed
 * in (a bearer token, or the browser's session). */
enum perr api_me(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct person p;
	int r = person_find_by_id(db, req->arena, req->actor->person_id, &p);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_UNAUTHENTICATED;
	const char *auth = req_header(req, "Authorization");
	struct jsonw w;
	api_begin(resp, &w, 200);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "id", p.ext_id);
	jsonw_kv_str(&w, "name", p.name);
	jsonw_kv_str(&w, "email", p.email);
	jsonw_kv_str(&w, "role", role_code(p.role));
	jsonw_kv_str(&w, "organisation", p.organisation);
	jsonw_kv_str(&w, "territory", p.territory);
	jsonw_kv_str(&w, "auth",
		     auth && strncasecmp(auth, "Bearer ", 7) == 0 ? "bearer" : "session");
	jsonw_kv_str(&w, "lang", req->lang);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}

/* One reference list, shipped entries first, with the organisation's own;
 * every entry with its labels in French and English and the label in the
 * request's language. An unknown list is 404. */
enum perr api_reference(struct request *req, struct response *resp)
{
	int l = ref_list_parse(req_param(req, "list"));
	if (l < 0)
		return api_fail(req, PERR_NOT_FOUND, "list",
				N_("Cette liste de référence n'existe pas."));
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct ref_item *items;
	size_t n;
	if (refdata_list(db, req->arena, (enum ref_list)l, req->actor->organisation_id, &items,
			 &n) < 0)
		return PERR_UNAVAILABLE;
	bool en = req->lang && req->lang[0] == 'e';
	offline_keep(req, resp);
	struct jsonw w;
	api_begin(resp, &w, 200);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "list", ref_list_name((enum ref_list)l));
	jsonw_key(&w, "items");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "code", items[i].code);
		jsonw_kv_str(&w, "label", en ? items[i].label_en : items[i].label_fr);
		jsonw_key(&w, "labels");
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "fr", items[i].label_fr);
		jsonw_kv_str(&w, "en", items[i].label_en);
		jsonw_obj_end(&w);
		jsonw_kv_bool(&w, "custom", items[i].custom);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_kv_int(&w, "total", (int64_t)n);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}
