
#include "api/api.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/error.h"

void api_error(struct request *req, struct response *resp, enum perr e)
{
	buf_reset(&resp->body);
	resp->static_body = NULL;
	resp->content_type = "application/json";
	struct jsonw w;
	jsonw_init(&w, &resp->body);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "error");
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "code", perr_code(e));
	jsonw_kv_str(&w, "message",
		     i18n_tr(req->lang, req->err_message ? req->err_message : perr_message(e)));
	jsonw_kv_str(&w, "field", req->err_field);
	jsonw_obj_end(&w);
	jsonw_obj_end(&w);
	buf_putc(&resp->body, '\n');
}

enum perr api_healthz(struct request *req, struct response *resp)
{
	(void)req;
	struct db *db = db_thread();
	int version = -1;
	int ok = 0;
	if (db && migrate_schema_version(db, &version) == 0)
		ok = 1;
	resp->content_type = "application/json";
	resp->status = http_status(ok ? PERR_OK : PERR_UNAVAILABLE);
	struct jsonw w;
	jsonw_init(&w, &resp->body);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "status", ok ? "ok" : "error");
	jsonw_kv_str(&w, "database", ok ? "ok" : "unavailable");
	if (ok)
		jsonw_kv_int(&w, "schema_version", version);
	jsonw_obj_end(&w);
	buf_putc(&resp->body, '\n');
	return PERR_OK;
}
