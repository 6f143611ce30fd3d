/* Signing in and out. */
#include <string.h>

#include "auth/csrf.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/log.h"
#include "db/db.h"
#include "http/cookie.h"
#include "model/person.h"
#include "views/view.h"

/* The form, with an optional error and the e-mail typed (never the
 * password). */
static void login_page(struct request *req, struct response *resp, const char *error,
		       const char *email)
{
	const char *next = req_form(req, "suivant");
	if (!next)
		next = req_query(req, "suivant");
	if (!view_local_path(next))
		next = "/";
	view_begin(req, resp, TR(req, "Connexion"));
	html_printf(&resp->body, "<section class=\"panel narrow\"><h1>%s</h1>\n",
		    TR(req, "Connexion"));
	if (error)
		html_printf(&resp->body, "<p class=\"alert\" role=\"alert\" id=\"erreur\">%s</p>\n",
			    TR(req, error));
	html_printf(
		&resp->body,
		"<form method=\"post\" action=\"/connexion\" class=\"stack\">\n"
		"<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">\n"
		"<input type=\"hidden\" name=\"suivant\" value=\"%s\">\n"
		"<label for=\"courriel\">%s</label>\n"
		"<input id=\"courriel\" name=\"courriel\" type=\"email\" autocomplete=\"username\" "
		"required value=\"%s\"%R>\n"
		"<label for=\"mot_de_passe\">%s</label>\n"
		"<input id=\"mot_de_passe\" name=\"mot_de_passe\" type=\"password\" "
		"autocomplete=\"current-password\" required%R>\n"
		"<button type=\"submit\" class=\"button primary\">%s</button>\n"
		"</form></section>\n",
		csrf_token(req, resp), next, TR(req, "Courriel"), email ? email : "",
		error ? " aria-describedby=\"erreur\"" : "", TR(req, "Mot de passe"),
		error ? " aria-describedby=\"erreur\"" : "", TR(req, "Se connecter"));
	view_end(req, resp);
}

enum perr view_login_form(struct request *req, struct response *resp)
{
	if (req->actor) {
		resp_redirect(resp, req->arena, "/");
		return PERR_OK;
	}
	login_page(req, resp, NULL, NULL);
	return PERR_OK;
}

/* Sets the session cookie (and the CSRF token that goes with it), the
 * device cookie when there is a new one, and sends the browser where it
 * was going. */
static void sign_in(struct request *req, struct response *resp, const char *token,
		    const char *device)
{
	struct cookie_opts o = {.http_only = true,
				.secure = req->secure,
				.same_site = "Strict",
				.max_age = SESSION_TTL};
	resp_header(resp, req->arena, "Set-Cookie",
		    cookie_build(req->arena, SESSION_COOKIE, token, &o));
	csrf_rotate(req, resp, token);
	if (device) {
		o.max_age = THROTTLE_DEVICE_TTL;
		resp_header(resp, req->arena, "Set-Cookie",
			    cookie_build(req->arena, THROTTLE_DEVICE_COOKIE, device, &o));
	}
	const char *next = req_form(req, "suivant");
	resp_redirect(resp, req->arena, view_local_path(next) ? next : "/");
}

/* The form again with 429 and Retry-After: this attempt is not tried. */
static void throttled(struct request *req, struct response *resp, const char *email,
		      int64_t retry_after)
{
	char v[400];
	log_warn("auth.throttled", "email=%s ip=%s retry_after=%lld",
		 log_value(v, sizeof(v), email), req->remote_addr ? req->remote_addr : "-",
		 (long long)retry_after);
	resp->status = 429;
	resp_header(resp, req->arena, "Retry-After",
		    arena_printf(req->arena, "%lld", (long long)retry_after));
	login_page(req, resp, N_("Trop de tentatives. Réessayez dans quelques minutes."), email);
}

enum perr view_login_submit(struct request *req, struct response *resp)
{
	const char *email = req_form(req, "courriel");
	const char *password = req_form(req, "mot_de_passe");
	if (!email || !*email || !password || !*password) {
		resp->status = 422;
		login_page(req, resp, N_("Entrez votre courriel et votre mot de passe."), email);
		return PERR_OK;
	}
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct throttle_attempt at;
	int64_t wait;
	if (throttle_begin(db, email, req->remote_addr, req_cookie(req, THROTTLE_DEVICE_COOKIE),
			   &at) < 0)
		return PERR_UNAVAILABLE;
	int blocked = throttle_check(db, &at, &wait);
	if (blocked < 0)
		return PERR_UNAVAILABLE;
	if (blocked) {
		throttled(req, resp, email, wait);
		return PERR_OK;
	}
	struct person p;
	int found = person_find_by_email(db, req->arena, email, &p);
	if (found < 0)
		return PERR_UNAVAILABLE;
	bool ok = password_verify(found == 0 && p.active ? p.password_hash : NULL, password) == 0;
	if (!ok) {
		throttle_record_failure(db, &at);
		char v[400];
		log_info("auth.fail", "email=%s", log_value(v, sizeof(v), email));
		resp->status = 401;
		login_page(req, resp, N_("Courriel ou mot de passe incorrect."), email);
		return PERR_OK;
	}
	const char *token, *device;
	if (session_create(db, req->arena, p.id, &token) < 0)
		return PERR_UNAVAILABLE;
	throttle_record_success(db, req->arena, &at, &device);
	log_info("auth.login", "person=%lld", (long long)p.id);
	sign_in(req, resp, token, device);
	return PERR_OK;
}

enum perr view_logout(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	if (session_destroy(db, req_cookie(req, SESSION_COOKIE)) < 0)
		return PERR_UNAVAILABLE;
	struct cookie_opts o = {
		.http_only = true, .secure = req->secure, .same_site = "Strict", .max_age = -1};
	resp_header(resp, req->arena, "Set-Cookie",
		    cookie_build(req->arena, SESSION_COOKIE, "", &o));
	csrf_rotate(req, resp, NULL);
	resp_redirect(resp, req->arena, "/connexion");
	return PERR_OK;
}
