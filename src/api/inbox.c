/* The inbox's API: see inbox.h. */
#include "api/inbox.h"

#include <string.h>

#include "api/api.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/inbox.h"

#define OFFSET_MAX 100000000

/* One event: its id, kind (code and words in the request's language),
 * when, whether read, the code it shows (a family's or an urgency) and
 * the page it is about. */
static void write_event(struct request *req, struct jsonw *w, const struct inbox_event *e)
{
	jsonw_obj_begin(w);
	jsonw_kv_int(w, "id", e->id);
	jsonw_kv_str(w, "kind", inbox_kind_def(e->kind)->code);
	jsonw_kv_str(w, "label", i18n_tr(req->lang, inbox_kind_def(e->kind)->label));
	api_kv_time(w, "at", e->at);
	jsonw_kv_bool(w, "read", e->read);
	jsonw_kv_str(w, "code", e->code);
	jsonw_kv_str(w, "href", e->href);
	jsonw_obj_end(w);
}

/* The query's "unread" into *out: absent, false or true. */
static enum perr query_unread(struct request *req, bool *out)
{
	const char *v = req_query(req, "unread");
	*out = v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
	if (v && *v && !*out && strcmp(v, "false") != 0 && strcmp(v, "0") != 0)
		return api_fail(req, PERR_INVALID, "unread",
				N_("Ce paramètre vaut true ou false."));
	return PERR_OK;
}

enum perr api_inbox_list(struct request *req, struct response *resp)
{
	int limit, offset;
	struct inbox_page pg = {0};
	enum perr e = api_query_limit(req, &limit);
	if (e == PERR_OK)
		e = api_query_int(req, "offset", 0, OFFSET_MAX, 0, &offset);
	if (e == PERR_OK)
		e = query_unread(req, &pg.unread_only);
	if (e != PERR_OK)
		return e;
	pg.limit = limit;
	pg.offset = offset;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct inbox_event *v;
	size_t n;
	int64_t total;
	if (inbox_list(db, req->arena, req->actor, &pg, &v, &n, &total) < 0)
		return PERR_UNAVAILABLE;
	struct jsonw w;
	api_list_begin(resp, &w);
	for (size_t i = 0; i < n; i++)
		write_event(req, &w, &v[i]);
	static const char *const keep[] = {"unread"};
	struct api_next next = {req, "/api/v1/inbox", NULL, keep, ARRAY_LEN(keep)};
	if (n && (int64_t)offset + (int64_t)n < total)
		next.paging = arena_printf(req->arena, "limit=%d&offset=%lld", limit,
					   (long long)offset + (long long)n);
	return api_page_end(resp, &w, total, limit, offset, &next);
}

static enum perr not_found(struct request *req)
{
	return api_fail(req, PERR_NOT_FOUND, NULL, N_("Cet avis n'existe pas."));
}

/* Marks the path's event read (in the pipeline's write unit) and answers
 * it as it now is. */
static enum perr read_one(struct request *req, struct response *resp, struct db *db)
{
	struct validation v = {0};
	enum perr e = api_in_none(req, &v);
	if (e != PERR_OK)
		return e;
	if (v.n)
		return api_validation_failed(req, resp, &v);
	int64_t id;
	const char *p = req_param(req, "id");
	if (!p || parse_i64(p, 1, INT64_MAX, &id) < 0)
		return not_found(req);
	struct inbox_event ev;
	int r = inbox_get(db, req->arena, req->actor, id, &ev);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return not_found(req);
	if (inbox_mark_read(db, req->actor, id, ptime_now()) < 0)
		return PERR_INTERNAL;
	ev.read = true;
	struct jsonw w;
	api_begin(resp, &w, 200);
	write_event(req, &w, &ev);
	return api_end(resp, &w);
}

enum perr api_inbox_read(struct request *req, struct response *resp)
{
	return api_write(req, resp, read_one);
}
