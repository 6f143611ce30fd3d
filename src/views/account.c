/* Self-service: one's own account.
 *   GET      /compte                          name, role, password form, sessions, 2FA state
 *   POST     /compte/mot-de-passe             change the password (the current one asked);
 *                                             every other session ends
 *   POST     /compte/sessions/:id/fin         end one of one's sessions
 *   POST     /compte/sessions/fin             sign out everywhere (this session too)
 *   GET      /compte/deux-facteurs            two-factor sign-in: state, enrolment
 *   POST     /compte/deux-facteurs/debut      a new secret to add to an authenticator app
 *   POST     /compte/deux-facteurs/activer    confirm with a code: on, recovery codes shown once
 *   POST     /compte/deux-facteurs/codes      new recovery codes (a current code asked)
 *   POST     /compte/deux-facteurs/retirer    off (the password asked; not when required)
 *   GET/POST /compte/lien/:token              a one-time link: choose one's password
 * The two-factor pages stay reachable while a required second factor is
 * not set up (route access ROUTE_ENROLMENT); every other page sends there. */
#include "views/account.h"

#include <sodium.h>
#include <string.h>

#include "auth/account.h"
#include "auth/csrf.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/twofactor.h"
#include "core/log.h"
#include "core/util.h"
#include "http/cookie.h"
#include "model/person.h"
#include "views/admin.h"
#include "views/form.h"
#include "views/page.h"
#include "views/widgets.h"

static void password_inputs(struct request *req, const struct fw *f, bool with_current)
{
	struct buf *o = f->out;
	static const struct {
		const char *name, *label, *autocomplete;
	} fields[] = {
		{"current", N_("Mot de passe actuel"), "current-password"},
		{"password", N_("Nouveau mot de passe"), "new-password"},
		{"confirm", N_("Nouveau mot de passe, encore"), "new-password"},
	};
	for (size_t i = with_current ? 0 : 1; i < ARRAY_LEN(fields); i++) {
		const char *id = fw_id(req->arena, fields[i].name);
		html_printf(o, "<div class=\"field\"><label for=\"%s\">%s</label>\n", id,
			    TR(req, fields[i].label));
		if (i == 1)
			html_printf(
				o, "<p class=\"hint\">%s</p>\n",
				TR(req, "Au moins 10 caractères; une phrase se retient mieux."));
		fw_error_text(f, fields[i].name);
		html_printf(o, "<input type=\"password\" id=\"%s\" name=\"%s\" autocomplete=\"%s\"",
			    id, fields[i].name, fields[i].autocomplete);
		fw_invalid_attrs(f, fields[i].name);
		html_printf(o, "></div>\n");
	}
}

/* Checks the two new passwords posted into v; on success hashes the new
 * one into hash. */
static void new_password(struct request *req, struct validation *v, char hash[PASSWORD_HASH_LEN])
{
	const char *pw = req_form(req, "password"), *again = req_form(req, "confirm");
	const char *weak = password_weakness(pw ? pw : "");
	if (weak)
		validation_add(v, "password", weak);
	else if (!again || strcmp(pw, again) != 0)
		validation_add(v, "confirm", N_("Les deux mots de passe diffèrent."));
	else if (password_hash(pw, hash) < 0)
		validation_add(v, "password", N_("Le mot de passe n'a pas pu être enregistré."));
}

/* ---- /compte */

static void sessions_section(struct request *req, struct response *resp,
			     const struct session_info *s, size_t n)
{
	struct buf *o = &resp->body;
	html_printf(
		o,
		"<section class=\"panel\" id=\"sessions\"><h2>%s</h2>\n<ul class=\"families\">\n",
		TR(req, "Mes sessions"));
	for (size_t i = 0; i < n; i++) {
		bool current = s[i].id == req->actor->session_id;
		html_printf(o, "<li class=\"family\"><strong>%s</strong>%s<span>%s %s</span>",
			    s[i].user_agent ? s[i].user_agent : TR(req, "Navigateur inconnu"),
			    current ? arena_printf(req->arena, " <span class=\"tag\">%s</span>",
						   TR(req, "cette session"))
				    : "",
			    TR(req, "Vue pour la dernière fois le"),
			    admin_time(req, s[i].last_seen_at));
		if (!current) {
			html_printf(o,
				    "<form method=\"post\" action=\"/compte/sessions/%lld/fin\">",
				    (long long)s[i].id);
			form_csrf_field(req, resp);
			html_printf(o, "<button type=\"submit\">%s</button></form>",
				    TR(req, "Fermer cette session"));
		}
		html_printf(o, "</li>\n");
	}
	html_printf(o, "</ul>\n<form method=\"post\" action=\"/compte/sessions/fin\">");
	form_csrf_field(req, resp);
	html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form></section>\n",
		    TR(req, "Me déconnecter partout"));
}

static enum perr account_page(struct request *req, struct response *resp, struct db *db,
			      const struct validation *v)
{
	struct person me;
	struct session_info *s;
	size_t n;
	int r = person_find_by_id(db, req->arena, req->actor->person_id, &me);
	if (r != 0 || session_list(db, req->arena, me.id, &s, &n) < 0)
		return r > 0 ? PERR_NOT_FOUND : PERR_UNAVAILABLE;
	const char *title = TR(req, "Mon compte");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s · %s · %s</p>\n", title, me.name,
		    me.email ? me.email : "", TR(req, role_label(me.role)));
	static const char *const codes[] = {"mot-de-passe", "session"};
	static const char *const texts[] = {
		N_("Votre mot de passe est changé; vos autres sessions sont fermées."),
		N_("La session est fermée.")};
	admin_notice(req, resp, codes, texts, ARRAY_LEN(codes));
	html_printf(o, "<section class=\"panel\" id=\"mot-de-passe\"><h2>%s</h2>\n",
		    TR(req, "Changer mon mot de passe"));
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "Le mot de passe n'a pas été changé :"));
	html_printf(o, "<form method=\"post\" action=\"/compte/mot-de-passe\" novalidate>\n");
	form_csrf_field(req, resp);
	password_inputs(req, &f, true);
	form_submit_bar(req, o, TR(req, "Changer le mot de passe"), NULL);
	html_printf(o, "</section>\n");
	sessions_section(req, resp, s, n);
	html_printf(o,
		    "<section class=\"panel\"><h2>%s</h2><p>%s</p><p><a href=\"/compte/"
		    "deux-facteurs\">%s</a></p></section>\n",
		    TR(req, "Double authentification"),
		    me.totp_enabled ? TR(req, "Activée : la connexion demande aussi un code de "
					      "votre application d'authentification.")
				    : TR(req, "Non activée."),
		    TR(req, "Gérer la double authentification"));
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_account(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(req->actor != NULL, &e);
	return db ? account_page(req, resp, db, NULL) : e;
}

/* Draws "Mon compte" again with the password form's errors
 * (view_form_posted). */
static enum perr draw_account(struct request *req, struct response *resp, void *form)
{
	struct db *db = db_thread();
	return db ? account_page(req, resp, db, form) : PERR_UNAVAILABLE;
}

enum perr view_account_password(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(req->actor != NULL, &e);
	if (!db)
		return e;
	struct validation *v = arena_calloc(req->arena, 1, sizeof(*v));
	view_form_posted(req, draw_account, v);
	char hash[PASSWORD_HASH_LEN];
	const char *current = req_form(req, "current");
	if (!current || !*current)
		validation_add(v, "current", N_("Entrez votre mot de passe actuel."));
	new_password(req, v, hash);
	int r = 1;
	if (!v->n) {
		r = account_change_password(db, req->arena, req->actor->person_id,
					    req->actor->session_id, current, hash);
		if (r > 0)
			validation_add(v, "current", N_("Le mot de passe actuel est incorrect."));
	}
	sodium_memzero(hash, sizeof(hash));
	if ((e = admin_written(r)) != PERR_OK)
		return e;
	log_info("account.password", "person=%lld", (long long)req->actor->person_id);
	resp_redirect(resp, req->arena, "/compte?ok=mot-de-passe#mot-de-passe");
	return PERR_OK;
}

enum perr view_account_session_end(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(req->actor != NULL, &e);
	if (!db)
		return e;
	int64_t id = view_param_id(req);
	int r = id ? session_end(db, req->actor->person_id, id) : 1;
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_NOT_FOUND;
	resp_redirect(resp, req->arena, "/compte?ok=session#sessions");
	return PERR_OK;
}

enum perr view_account_sign_out_everywhere(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(req->actor != NULL, &e);
	if (!db)
		return e;
	if (session_end_all(db, req->actor->person_id) < 0)
		return PERR_UNAVAILABLE;
	log_info("account.sign_out_everywhere", "person=%lld", (long long)req->actor->person_id);
	struct cookie_opts o = {
		.http_only = true, .secure = req->secure, .same_site = "Strict", .max_age = -1};
	resp_header(resp, req->arena, "Set-Cookie",
		    cookie_build(req->arena, SESSION_COOKIE, "", &o));
	csrf_rotate(req, resp, NULL);
	resp_redirect(resp, req->arena, "/connexion");
	return PERR_OK;
}

/* ---- Two-factor sign-in. */

static void recovery_codes(struct request *req, struct buf *o,
			   const char *codes[TWOFACTOR_RECOVERY_CODES])
{
	html_printf(
		o, "<section class=\"panel\" id=\"codes\"><h2>%s</h2><p>%s</p><ul class=\"codes\">",
		TR(req, "Vos codes de secours"),
		TR(req, "Chacun sert une fois, à la place d'un code de l'application, si vous "
			"perdez votre téléphone. Notez-les ou imprimez-les maintenant : ils ne "
			"seront plus affichés."));
	for (int i = 0; i < TWOFACTOR_RECOVERY_CODES; i++)
		html_printf(o, "<li><code>%s</code></li>", codes[i]);
	html_printf(o, "</ul><p><a href=\"/compte/deux-facteurs\">%s</a></p></section>\n",
		    TR(req, "J'ai noté mes codes"));
}

static void code_input(struct request *req, const struct fw *f, const char *label)
{
	const char *id = fw_id(req->arena, "code");
	html_printf(f->out, "<div class=\"field\"><label for=\"%s\">%s</label>", id, label);
	fw_error_text(f, "code");
	html_printf(f->out,
		    "<input id=\"%s\" name=\"code\" inputmode=\"numeric\" "
		    "autocomplete=\"one-time-code\" "
		    "maxlength=\"19\"",
		    id);
	fw_invalid_attrs(f, "code");
	html_printf(f->out, "></div>\n");
}

static void enrolment(struct request *req, struct response *resp, const struct twofactor_state *st,
		      const struct fw *f)
{
	struct buf *o = &resp->body;
	if (!st->pending) {
		html_printf(
			o, "<p>%s</p><form method=\"post\" action=\"/compte/deux-facteurs/debut\">",
			TR(req, "Avec une application d'authentification (FreeOTP, Aegis, "
				"Google Authenticator…), la connexion demandera aussi un code à "
				"six chiffres qui change toutes les 30 secondes."));
		form_csrf_field(req, resp);
		html_printf(o,
			    "<button type=\"submit\" class=\"button primary\">%s</button></form>\n",
			    TR(req, "Activer la double authentification"));
		return;
	}
	const char *secret = totp_base32(req->arena, st->secret, TOTP_SECRET_LEN);
	const char *uri = totp_uri(req->arena, st->secret, TOTP_SECRET_LEN, req->actor->email);
	html_printf(o,
		    "<ol class=\"steps\"><li>%s <a href=\"%s\">%s</a></li><li>%s "
		    "<code class=\"secret\" id=\"cle\">%s</code> %s</li><li>%s</li></ol>\n",
		    TR(req, "Sur ce téléphone, ouvrez le lien dans votre application :"), uri,
		    TR(req, "ajouter Proxima"), TR(req, "ou entrez-y cette clé :"), secret,
		    TR(req, "(basée sur le temps, 6 chiffres, 30 secondes)."),
		    TR(req, "Entrez le code que l'application affiche."));
	html_printf(o,
		    "<form method=\"post\" action=\"/compte/deux-facteurs/activer\" novalidate>");
	form_csrf_field(req, resp);
	code_input(req, f, TR(req, "Code à six chiffres"));
	form_submit_bar(req, o, TR(req, "Confirmer et activer"), NULL);
}

static void enabled_section(struct request *req, struct response *resp,
			    const struct twofactor_state *st, const struct fw *f, bool required)
{
	struct buf *o = &resp->body;
	html_printf(o, "<p>%s</p><p>%s %d.</p>\n",
		    TR(req, "Activée : la connexion demande un code de votre application."),
		    TR(req, "Codes de secours inutilisés :"), st->recovery_left);
	html_printf(o,
		    "<h2>%s</h2><form method=\"post\" action=\"/compte/deux-facteurs/codes\" "
		    "novalidate>",
		    TR(req, "De nouveaux codes de secours"));
	form_csrf_field(req, resp);
	code_input(req, f, TR(req, "Un code actuel de l'application"));
	form_submit_bar(req, o, TR(req, "Remplacer mes codes de secours"), NULL);
	if (required) {
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "La double authentification est obligatoire pour votre rôle."));
		return;
	}
	html_printf(o,
		    "<h2>%s</h2><form method=\"post\" action=\"/compte/deux-facteurs/retirer\" "
		    "novalidate>",
		    TR(req, "Retirer la double authentification"));
	form_csrf_field(req, resp);
	const char *id = fw_id(req->arena, "current");
	html_printf(o, "<div class=\"field\"><label for=\"%s\">%s</label>", id,
		    TR(req, "Mot de passe actuel"));
	fw_error_text(f, "current");
	html_printf(o,
		    "<input type=\"password\" id=\"%s\" name=\"current\" "
		    "autocomplete=\"current-password\"",
		    id);
	fw_invalid_attrs(f, "current");
	html_printf(o, "></div>\n");
	form_submit_bar(req, o, TR(req, "Retirer"), NULL);
}

static enum perr twofactor_page(struct request *req, struct response *resp, struct db *db,
				const struct validation *v)
{
	struct twofactor_state st;
	if (twofactor_state(db, req->actor->person_id, &st) < 0)
		return PERR_UNAVAILABLE;
	bool required = twofactor_required(db, req->actor->role);
	const char *title = TR(req, "Double authentification");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/compte\">%s</a></p><h1>%s</h1>\n",
		    TR(req, "Mon compte"), title);
	static const char *const codes[] = {"retiree"};
	static const char *const texts[] = {N_("La double authentification est retirée.")};
	admin_notice(req, resp, codes, texts, 1);
	if (required && !st.enabled)
		html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>\n",
			    TR(req, "Votre rôle donne accès à des données nominatives : activez la "
				    "double authentification pour continuer."));
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "Rien n'a changé :"));
	if (st.enabled)
		enabled_section(req, resp, &st, &f, required);
	else
		enrolment(req, resp, &st, &f);
	sodium_memzero(st.secret, sizeof(st.secret));
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_twofactor(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(req->actor != NULL, &e);
	return db ? twofactor_page(req, resp, db, NULL) : e;
}

enum perr view_twofactor_begin(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(req->actor != NULL, &e);
	if (!db)
		return e;
	unsigned char secret[TOTP_SECRET_LEN];
	int r = twofactor_begin(db, req->actor->person_id, secret);
	sodium_memzero(secret, sizeof(secret));
	if (r < 0)
		return PERR_UNAVAILABLE;
	resp_redirect(resp, req->arena, "/compte/deux-facteurs#cle");
	return PERR_OK;
}

/* Shows fresh recovery codes once. */
static enum perr codes_page(struct request *req, struct response *resp, const char *notice,
			    const char *codes[TWOFACTOR_RECOVERY_CODES])
{
	const char *title = TR(req, "Double authentification");
	view_begin(req, resp, title);
	html_printf(&resp->body, "<h1>%s</h1>\n<p class=\"notice\" role=\"status\">%s</p>\n", title,
		    TR(req, notice));
	recovery_codes(req, &resp->body, codes);
	view_end(req, resp);
	return PERR_OK;
}

/* Draws the two-factor page again with the form's errors
 * (view_form_posted). */
static enum perr draw_twofactor(struct request *req, struct response *resp, void *form)
{
	struct db *db = db_thread();
	return db ? twofactor_page(req, resp, db, form) : PERR_UNAVAILABLE;
}

/* Runs a code-checked write (enable, new codes) in the request's write
 * unit. */
static enum perr code_write(struct request *req, struct response *resp, bool enable)
{
	enum perr e;
	struct db *db = view_open_db(req->actor != NULL, &e);
	if (!db)
		return e;
	struct validation *v = arena_calloc(req->arena, 1, sizeof(*v));
	view_form_posted(req, draw_twofactor, v);
	const char *codes[TWOFACTOR_RECOVERY_CODES];
	const char *code = req_form(req, "code");
	int64_t me = req->actor->person_id;
	int r = enable ? twofactor_enable(db, req->arena, me, code ? code : "", codes)
		       : twofactor_verify(db, me, code ? code : "");
	if (r == 0 && !enable)
		r = twofactor_new_codes(db, req->arena, me, codes);
	if (r > 0)
		validation_add(v, "code", N_("Ce code n'est pas le bon (ou il a déjà servi)."));
	if ((e = admin_written(r)) != PERR_OK)
		return e;
	log_info(enable ? "account.twofactor_on" : "account.recovery_codes", "person=%lld",
		 (long long)me);
	return codes_page(req, resp,
			  enable ? N_("La double authentification est activée.")
				 : N_("Vos codes de secours sont remplacés."),
			  codes);
}

enum perr view_twofactor_enable(struct request *req, struct response *resp)
{
	return code_write(req, resp, true);
}

enum perr view_twofactor_codes(struct request *req, struct response *resp)
{
	return code_write(req, resp, false);
}

enum perr view_twofactor_disable(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(req->actor != NULL, &e);
	if (!db)
		return e;
	struct validation *v = arena_calloc(req->arena, 1, sizeof(*v));
	view_form_posted(req, draw_twofactor, v);
	struct person me;
	if (person_find_by_id(db, req->arena, req->actor->person_id, &me) != 0)
		return PERR_UNAVAILABLE;
	if (twofactor_required(db, me.role))
		validation_add(v, "current",
			       N_("La double authentification est obligatoire pour votre rôle."));
	else if (password_verify(me.password_hash,
				 req_form(req, "current") ? req_form(req, "current") : "") != 0)
		validation_add(v, "current", N_("Le mot de passe actuel est incorrect."));
	if (v->n)
		return PERR_UNPROCESSABLE;
	if (twofactor_disable(db, me.id) < 0)
		return PERR_UNAVAILABLE;
	log_info("account.twofactor_off", "person=%lld", (long long)me.id);
	resp_redirect(resp, req->arena, "/compte/deux-facteurs?ok=retiree");
	return PERR_OK;
}

/* ---- One-time links. */

static enum perr link_page(struct request *req, struct response *resp, const struct person *p,
			   const struct account_link *l, const struct validation *v)
{
	const char *title = l->purpose == ACCOUNT_LINK_INVITATION
				    ? TR(req, "Bienvenue dans Proxima")
				    : TR(req, "Choisir un nouveau mot de passe");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o,
		    "<section class=\"panel narrow\"><h1>%s</h1>\n<p>%s <strong>%s</strong> "
		    "(%s).</p>\n",
		    title, TR(req, "Compte de"), p->name, p->email ? p->email : "");
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "Le mot de passe n'a pas été enregistré :"));
	html_printf(o, "<form method=\"post\" action=\"%s\" novalidate>\n", req->raw_path);
	form_csrf_field(req, resp);
	password_inputs(req, &f, false);
	form_submit_bar(req, o, TR(req, "Enregistrer mon mot de passe"), NULL);
	html_printf(o, "</section>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* The link of the route's :token and its person, or the error: an unknown,
 * used or expired link is a 404 that says so. */
static enum perr usable_link(struct request *req, struct db **db, struct account_link *l,
			     struct person *p)
{
	*db = db_thread();
	if (!*db)
		return PERR_UNAVAILABLE;
	int r = account_link_find(*db, req_param(req, "token"), l);
	if (r == 0)
		r = person_find_by_id(*db, req->arena, l->person_id, p);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0) {
		req->err_message = N_("Ce lien n'est plus valide : il a déjà servi, il a expiré ou "
				      "un lien plus récent l'a remplacé. Demandez-en un nouveau à "
				      "votre gestionnaire ou à l'administrateur.");
		return PERR_NOT_FOUND;
	}
	return PERR_OK;
}

enum perr view_account_link(struct request *req, struct response *resp)
{
	struct db *db;
	struct account_link l;
	struct person p;
	enum perr e = usable_link(req, &db, &l, &p);
	return e != PERR_OK ? e : link_page(req, resp, &p, &l, NULL);
}

/* A posted password for a one-time link, shown again when refused. */
struct posted_link {
	struct person p;
	struct account_link l;
	struct validation v;
};

/* Draws the link's page again with the errors (view_form_posted). */
static enum perr draw_link(struct request *req, struct response *resp, void *form)
{
	struct posted_link *pl = form;
	return link_page(req, resp, &pl->p, &pl->l, &pl->v);
}

enum perr view_account_link_use(struct request *req, struct response *resp)
{
	struct db *db;
	struct account_link l;
	struct person p;
	enum perr e = usable_link(req, &db, &l, &p);
	if (e != PERR_OK)
		return e;
	struct posted_link *pl = arena_calloc(req->arena, 1, sizeof(*pl));
	pl->p = p;
	pl->l = l;
	view_form_posted(req, draw_link, pl);
	char hash[PASSWORD_HASH_LEN];
	new_password(req, &pl->v, hash);
	if (pl->v.n)
		return PERR_UNPROCESSABLE;
	int r = account_link_use(db, &l, hash);
	sodium_memzero(hash, sizeof(hash));
	if (r != 0)
		return PERR_UNAVAILABLE;
	log_info("account.link_used", "person=%lld purpose=%s", (long long)p.id,
		 l.purpose == ACCOUNT_LINK_INVITATION ? "invitation" : "reset");
	resp_redirect(resp, req->arena, "/connexion?ok=mot-de-passe");
	return PERR_OK;
}
