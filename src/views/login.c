/* Signing in and out. */
#include <string.h>

#include "auth/csrf.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "auth/twofactor.h"
#include "core/log.h"
#include "db/db.h"
#include "http/cookie.h"
#include "http/error.h"
#include "model/person.h"
#include "views/account.h"
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
	const char *ok = req_query(req, "ok");
	if (!error && ok && strcmp(ok, "mot-de-passe") == 0)
		html_printf(&resp->body, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Votre mot de passe est enregistré : connectez-vous."));
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

/* The form again after a refused sign-in: e's status (src/http/error.c)
 * and msgid above the form. */
static enum perr login_refused(struct request *req, struct response *resp, enum perr e,
			       const char *msgid, const char *email)
{
	resp->status = http_status(e);
	login_page(req, resp, msgid, email);
	return PERR_OK;
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

/* The sign-in attempt of email from this request (auth/throttle.h): its
 * address and device cookie. 0 or -1. */
static int attempt_of(struct request *req, struct db *db, const char *email,
		      struct throttle_attempt *at)
{
	return throttle_begin(db, email, req->remote_addr, req_cookie(req, THROTTLE_DEVICE_COOKIE),
			      at);
}

/* The account of at signed in with session token: the session cookie and
 * the CSRF token that goes with it, the device remembered (a new device
 * cookie when it had none), and the browser sent to next (a local path). */
static void sign_in(struct request *req, struct response *resp, struct db *db,
		    const struct throttle_attempt *at, const char *token, const char *next)
{
	struct cookie_opts o = {.http_only = true,
				.secure = req->secure,
				.same_site = "Strict",
				.max_age = SESSION_TTL};
	resp_header(resp, req->arena, "Set-Cookie",
		    cookie_build(req->arena, SESSION_COOKIE, token, &o));
	csrf_rotate(req, resp, token);
	const char *device;
	if (throttle_record_success(db, req->arena, at, &device) == 0 && device) {
		o.max_age = THROTTLE_DEVICE_TTL;
		resp_header(resp, req->arena, "Set-Cookie",
			    cookie_build(req->arena, THROTTLE_DEVICE_COOKIE, device, &o));
	}
	resp_redirect(resp, req->arena, view_local_path(next) ? next : "/");
}

/* The form again with 429 and Retry-After: this attempt is not tried. */
static enum perr throttled(struct request *req, struct response *resp, const char *email,
			   int64_t retry_after)
{
	char v[400];
	log_warn("auth.throttled", "email=%s ip=%s retry_after=%lld",
		 log_value(v, sizeof(v), email), req->remote_addr ? req->remote_addr : "-",
		 (long long)retry_after);
	resp_header(resp, req->arena, "Retry-After",
		    arena_printf(req->arena, "%lld", (long long)retry_after));
	return login_refused(req, resp, PERR_TOO_MANY,
			     N_("Trop de tentatives. Réessayez dans quelques minutes."), email);
}

/* Sets (max_age > 0) or clears the cookie of a sign-in's second step. */
static void challenge_cookie(struct request *req, struct response *resp, const char *token,
			     int max_age)
{
	struct cookie_opts o = {.http_only = true,
				.secure = req->secure,
				.same_site = "Strict",
				.max_age = max_age};
	resp_header(resp, req->arena, "Set-Cookie",
		    cookie_build(req->arena, TWOFACTOR_CHALLENGE_COOKIE, token, &o));
}

/* The password was right and the account has two-factor sign-in: no
 * session yet, a challenge whose token goes in a short-lived cookie, and
 * the code form. */
static enum perr second_step(struct request *req, struct response *resp, struct db *db,
			     int64_t person_id, const char *next)
{
	const char *token;
	if (twofactor_challenge_open(db, req->arena, person_id, next, &token) < 0)
		return PERR_UNAVAILABLE;
	challenge_cookie(req, resp, token, TWOFACTOR_CHALLENGE_TTL);
	resp_redirect(resp, req->arena, "/connexion/code");
	return PERR_OK;
}

static void code_page(struct request *req, struct response *resp, const char *error)
{
	const char *title = TR(req, "Code de vérification");
	view_begin(req, resp, title);
	html_printf(&resp->body, "<section class=\"panel narrow\"><h1>%s</h1>\n<p>%s</p>\n", title,
		    TR(req,
		       "Entrez le code à six chiffres de votre application d'authentification, "
		       "ou un de vos codes de secours."));
	if (error)
		html_printf(&resp->body, "<p class=\"alert\" role=\"alert\" id=\"erreur\">%s</p>\n",
			    TR(req, error));
	html_printf(&resp->body,
		    "<form method=\"post\" action=\"/connexion/code\" class=\"stack\">\n"
		    "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">\n"
		    "<label for=\"code\">%s</label>\n"
		    "<input id=\"code\" name=\"code\" inputmode=\"numeric\" "
		    "autocomplete=\"one-time-code\" required maxlength=\"19\"%R>\n"
		    "<button type=\"submit\" class=\"button primary\">%s</button>\n"
		    "</form><p><a href=\"/connexion\">%s</a></p></section>\n",
		    csrf_token(req, resp), TR(req, "Code"),
		    error ? " aria-describedby=\"erreur\"" : "", TR(req, "Continuer"),
		    TR(req, "Recommencer la connexion"));
	view_end(req, resp);
}

/* The live challenge of this browser, or 1 (none), -1 (error). */
static int find_challenge(struct request *req, struct db **db, struct twofactor_challenge *c)
{
	*db = db_thread();
	if (!*db)
		return -1;
	return twofactor_challenge_find(*db, req->arena,
					req_cookie(req, TWOFACTOR_CHALLENGE_COOKIE), c);
}

enum perr view_login_code_form(struct request *req, struct response *resp)
{
	struct db *db;
	struct twofactor_challenge c;
	int r = find_challenge(req, &db, &c);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0) {
		resp_redirect(resp, req->arena, "/connexion");
		return PERR_OK;
	}
	code_page(req, resp, NULL);
	return PERR_OK;
}

enum perr view_login_code_submit(struct request *req, struct response *resp)
{
	struct db *db;
	struct twofactor_challenge c;
	int r = find_challenge(req, &db, &c);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return login_refused(req, resp, PERR_UNAUTHENTICATED,
				     N_("Le délai est écoulé : reconnectez-vous."), NULL);
	const char *code = req_form(req, "code");
	r = twofactor_verify(db, c.person_id, code ? code : "");
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0) {
		int left = twofactor_challenge_fail(db, &c);
		if (left < 0)
			return PERR_UNAVAILABLE;
		/* A wrong code counts as a failed sign-in of the account: the
		 * throttle of the password step bounds the guesses. */
		struct person p;
		struct throttle_attempt at;
		if (person_find_by_id(db, req->arena, c.person_id, &p) == 0 && p.email &&
		    attempt_of(req, db, p.email, &at) == 0)
			throttle_record_failure(db, &at);
		log_info("auth.code_fail", "person=%lld", (long long)c.person_id);
		if (left == 0) {
			challenge_cookie(req, resp, "", -1);
			return login_refused(req, resp, PERR_UNAUTHENTICATED,
					     N_("Trop de codes incorrects : reconnectez-vous."),
					     NULL);
		}
		resp->status = http_status(PERR_UNAUTHENTICATED);
		code_page(req, resp, N_("Ce code n'est pas le bon."));
		return PERR_OK;
	}
	const char *token;
	struct person p;
	struct throttle_attempt at;
	if (twofactor_challenge_close(db, c.id) < 0 ||
	    person_find_by_id(db, req->arena, c.person_id, &p) != 0 ||
	    attempt_of(req, db, p.email ? p.email : "", &at) < 0 ||
	    session_create(db, req->arena, c.person_id, req_header(req, "User-Agent"), &token) < 0)
		return PERR_UNAVAILABLE;
	log_info("auth.login", "person=%lld second_factor=1", (long long)c.person_id);
	challenge_cookie(req, resp, "", -1);
	sign_in(req, resp, db, &at, token, c.next);
	return PERR_OK;
}

enum perr view_login_submit(struct request *req, struct response *resp)
{
	const char *email = req_form(req, "courriel");
	const char *password = req_form(req, "mot_de_passe");
	if (!email || !*email || !password || !*password)
		return login_refused(req, resp, PERR_UNPROCESSABLE,
				     N_("Entrez votre courriel et votre mot de passe."), email);
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct throttle_attempt at;
	int64_t wait;
	if (attempt_of(req, db, email, &at) < 0)
		return PERR_UNAVAILABLE;
	int blocked = throttle_check(db, &at, &wait);
	if (blocked < 0)
		return PERR_UNAVAILABLE;
	if (blocked) {
		return throttled(req, resp, email, wait);
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
		return login_refused(req, resp, PERR_UNAUTHENTICATED,
				     N_("Courriel ou mot de passe incorrect."), email);
	}
	const char *next = req_form(req, "suivant");
	if (!view_local_path(next))
		next = "/";
	if (p.totp_enabled)
		return second_step(req, resp, db, p.id, next);
	const char *token;
	if (session_create(db, req->arena, p.id, req_header(req, "User-Agent"), &token) < 0)
		return PERR_UNAVAILABLE;
	log_info("auth.login", "person=%lld", (long long)p.id);
	sign_in(req, resp, db, &at, token, next);
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
	/* What this browser kept of the session's pages goes with it (the
	 * service worker's caches are also emptied by app.js and sw.js). */
	resp_header(resp, req->arena, "Clear-Site-Data", "\"cache\"");
	resp_redirect(resp, req->arena, "/connexion");
	return PERR_OK;
}
