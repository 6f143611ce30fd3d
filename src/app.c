#include "app.h"

#include <string.h>

#include "api/api.h"
#include "auth/csrf.h"
#include "auth/session.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "db/db.h"
#include "core/log.h"
#include "core/util.h"
#include "http/error.h"
#include "http/router.h"
#include "http/static.h"
#include "model/memo.h"
#include "views/view.h"

struct app_config app_cfg = {
	.db_path = APP_DB_DEFAULT,
	.listen = "127.0.0.1:8080",
	.threads = 0,
	.access_log = "-",
};

static const struct route core_routes[] = {
	{HTTP_GET, "/healthz", api_healthz, ROUTE_PUBLIC},
	{HTTP_GET, "/static/:name", static_serve, ROUTE_PUBLIC},
};

/* Every module's routes. Pages live in src/views/routes.c, the JSON API in
 * src/api/routes.c. */
static const struct route_table tables[] = {
	{core_routes, ARRAY_LEN(core_routes)},
	{view_routes, 0},
	{api_routes, 0},
};

size_t app_body_limit(const char *ct)
{
	if (!ct)
		return APP_LIMIT_OTHER;
	if (strncasecmp(ct, "multipart/form-data", 19) == 0)
		return APP_LIMIT_MULTIPART;
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return APP_LIMIT_FORM;
	if (strncasecmp(ct, "application/json", 16) == 0)
		return APP_LIMIT_JSON;
	return APP_LIMIT_OTHER;
}

/* Language: ?lang= first, then the lang cookie, then Accept-Language. */
static const char *pick_language(const struct request *req)
{
	const char *q = req_query(req, "lang");
	if (i18n_supported(q))
		return strcmp(q, "en") == 0 ? "en" : "fr";
	const char *c = req_cookie(req, "lang");
	if (i18n_supported(c))
		return strcmp(c, "en") == 0 ? "en" : "fr";
	return i18n_negotiate(req_header(req, "Accept-Language"));
}

static bool is_unsafe(enum http_method m)
{
	return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH || m == HTTP_DELETE;
}

static bool has_bearer(const struct request *req)
{
	const char *a = req_header(req, "Authorization");
	return a && strncasecmp(a, "Bearer ", 7) == 0;
}

/* Headers every response carries. A page that used a nonce gets a CSP
 * allowing that nonce; everything else gets a CSP that allows nothing. */
static void add_security_headers(struct request *req, struct response *resp)
{
	struct arena *a = req->arena;
	if (resp_get_header(resp, "Content-Security-Policy")) {
		/* The handler's own policy (the service worker's). */
	} else if (req->nonce) {
		resp_header(resp, a, "Content-Security-Policy",
			    arena_printf(a,
					 "default-src 'none'; script-src 'nonce-%s'; "
					 "style-src 'self'; img-src 'self' data:; "
					 "connect-src 'self'; worker-src 'self'; "
					 "manifest-src 'self'; form-action 'self'; "
					 "frame-ancestors 'none'; base-uri 'none'",
					 req->nonce));
	} else {
		resp_header(resp, a, "Content-Security-Policy",
			    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
	}
	resp_header(resp, a, "X-Content-Type-Options", "nosniff");
	resp_header(resp, a, "Referrer-Policy", "same-origin");
	resp_header(resp, a, "X-Frame-Options", "DENY");
	resp_header(resp, a, "Cross-Origin-Opener-Policy", "same-origin");
	if (req->secure)
		resp_header(resp, a, "Strict-Transport-Security", "max-age=31536000");
	if (!resp->cache_static && !resp_get_header(resp, "Cache-Control"))
		resp_header(resp, a, "Cache-Control", "no-store");
}

static bool wants_json(const struct request *req)
{
	return str_starts(req->path, "/api/") || strcmp(req->path, "/healthz") == 0;
}

/* Finds who is asking: from the bearer token when the request has one
 * (then the session cookie is ignored, since such requests skipped the
 * CSRF check), else from the session cookie. A stale cookie is not an
 * error: the request simply has no actor. A bearer token that does not
 * resolve is: 401 with the JSON envelope, on every route. */
static enum perr identify(struct request *req)
{
	const char *token = req_cookie(req, SESSION_COOKIE);
	bool bearer = has_bearer(req);
	if (bearer) {
		token = req_header(req, "Authorization") + 7;
		while (*token == ' ')
			token++;
	}
	if (!token)
		return PERR_OK;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct actor *a = arena_calloc(req->arena, 1, sizeof(*a));
	int r = bearer ? token_resolve(db, req->arena, token, a)
		       : session_resolve(db, req->arena, token, a);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r == 0) {
		req->actor = a;
	} else if (bearer) {
		req->want_json = true;
		req->err_message = N_("Le jeton d'accès est invalide, expiré ou révoqué.");
		req->err_field = "Authorization";
		return PERR_UNAUTHENTICATED;
	}
	return PERR_OK;
}

/* A page that needs a signed-in person sends the browser to the login
 * form, which comes back here afterwards. */
static void send_to_login(struct request *req, struct response *resp)
{
	struct buf b = BUF_INIT(4096);
	buf_puts(&b, "/connexion?suivant=");
	esc_url(&b, req->raw_path);
	resp_redirect(resp, req->arena, b.data);
	buf_free(&b);
}

void app_respond_error(struct request *req, struct response *resp, enum perr e)
{
	req->want_json = req->want_json || wants_json(req);
	resp->status = http_status(e);
	resp_remove_header(resp, "Location");
	resp->static_body = NULL;
	resp->cache_static = 0;
	if (req->want_json)
		api_error(req, resp, e);
	else
		view_error(req, resp, e);
	add_security_headers(req, resp);
}

static void handle(struct request *req, struct response *resp)
{
	req->want_json = wants_json(req);
	if (req->from_proxy) {
		const char *proto = req_header(req, "X-Forwarded-Proto");
		req->secure = req->secure || (proto && strcmp(proto, "https") == 0);
	}
	const struct route *rt = NULL;
	struct route_table t[ARRAY_LEN(tables)];
	memcpy(t, tables, sizeof(t));
	t[1].n = view_routes_count;
	t[2].n = api_routes_count;
	enum perr e = router_find(t, ARRAY_LEN(t), req, resp, &rt);
	enum perr pe = (enum perr)request_parse(req);
	req->lang = pick_language(req);
	if (e == PERR_OK)
		e = pe;
	if (e == PERR_OK && is_unsafe(req->method) && !has_bearer(req) && csrf_check(req) < 0) {
		req->err_message = N_("Le jeton de sécurité du formulaire est absent ou "
				      "périmé. Rechargez la page et réessayez.");
		req->err_field = CSRF_FIELD;
		e = PERR_FORBIDDEN;
	}
	if (e == PERR_OK)
		e = identify(req);
	if (e == PERR_OK && !(rt->flags & ROUTE_PUBLIC) && !req->actor) {
		if (!req->want_json) {
			send_to_login(req, resp);
			goto done;
		}
		e = PERR_UNAUTHENTICATED;
	}
	if (e == PERR_OK && !(rt->flags & (ROUTE_PUBLIC | ROUTE_ENROLMENT)) && req->actor &&
	    req->actor->must_enrol) {
		if (!req->want_json) {
			resp_redirect(resp, req->arena, "/compte/deux-facteurs");
			goto done;
		}
		req->err_message = N_("Activez d'abord la double authentification "
				      "(/compte/deux-facteurs).");
		e = PERR_FORBIDDEN;
	}
	if (e == PERR_OK)
		e = is_unsafe(req->method) && !(rt->flags & (ROUTE_NO_UNIT | ROUTE_PREPARES))
			    ? app_write(req, resp, rt->handler)
			    : rt->handler(req, resp);
	/* Any refusal while the database server is gone (a restart, a
	 * failover), whatever the handler made of the failed statement (a
	 * lookup reads as "not found", a check as "invalid"), is temporary:
	 * 503, and the next request reconnects. */
	if (db_thread_lost() && (e != PERR_OK || resp->status >= 400))
		e = PERR_UNAVAILABLE;
	if (e != PERR_OK) {
		if (e == PERR_INTERNAL || e == PERR_UNAVAILABLE || e == PERR_FULL) {
			char p[300];
			log_error("http.fail", "path=%s code=%s",
				  log_value(p, sizeof(p), req->path), perr_code(e));
		}
		buf_reset(&resp->body);
		app_respond_error(req, resp, e);
		return;
	}
	if (resp->body.overflow) {
		log_error("http.fail", "reason=response_too_large");
		app_respond_error(req, resp, PERR_INTERNAL);
		return;
	}
done:
	add_security_headers(req, resp);
}

void app_handle(struct request *req, struct response *resp)
{
	/* What the request asks of the memo is read under one epoch. */
	memo_request_begin();
	handle(req, resp);
	memo_request_end();
}
