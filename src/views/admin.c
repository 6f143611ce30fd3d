/* The administration hub and the accounts pages (views/admin.h). */
#include "views/admin.h"

#include <string.h>

#include "auth/account.h"
#include "auth/twofactor.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/organisation.h"
#include "model/person.h"
#include "model/territory.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/widgets.h"

enum perr admin_written(int r)
{
	return r < 0 ? PERR_UNAVAILABLE : r > 0 ? PERR_UNPROCESSABLE : PERR_OK;
}

void admin_notice(struct request *req, struct response *resp, const char *const *codes,
		  const char *const *texts, size_t n)
{
	const char *ok = req_query(req, "ok");
	for (size_t i = 0; ok && i < n; i++)
		if (strcmp(ok, codes[i]) == 0)
			html_printf(&resp->body, "<p class=\"notice\" role=\"status\">%s</p>\n",
				    TR(req, texts[i]));
}

const char *admin_time(struct request *req, int64_t t)
{
	char local[26];
	ptime_format_local(t, local); /* YYYY-MM-DDTHH:MM:SS±HH:MM */
	local[10] = '\0';
	return arena_printf(req->arena, "%s, %.5s", fmt_date_medium(req, local), local + 11);
}

void admin_show_link(struct request *req, struct response *resp, const char *token,
		     int64_t expires_at)
{
	const char *host = req_header(req, "Host");
	const char *url = arena_printf(req->arena, "%s%s%s%s",
				       host ? (req->secure ? "https://" : "http://") : "",
				       host ? host : "", ACCOUNT_LINK_PATH, token);
	html_printf(&resp->body,
		    "<section class=\"panel\" id=\"lien\"><h2>%s</h2>\n"
		    "<p>%s</p>\n<p><code class=\"one-time-link\">%s</code></p>\n"
		    "<p class=\"hint\">%s %s. %s</p></section>\n",
		    TR(req, "Lien à usage unique"),
		    TR(req, "Transmettez ce lien à la personne, de vive voix ou par un canal sûr : "
			    "elle y choisira son mot de passe. Il ne sera plus affiché."),
		    url, TR(req, "Il expire le"), admin_time(req, expires_at),
		    TR(req, "Un nouveau lien annule le précédent."));
}

/* ---- The hub. */

static bool admin_or_manager(const struct actor *a)
{
	return a &&
	       (a->role == ROLE_ADMIN || (a->role == ROLE_GESTIONNAIRE && a->organisation_id > 0));
}

enum perr view_admin_hub(struct request *req, struct response *resp)
{
	const struct actor *a = req->actor;
	if (!admin_or_manager(a))
		return PERR_NOT_FOUND;
	const char *title = TR(req, "Administration");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<ul class=\"cards\">\n", title);
	static const struct {
		const char *href, *label, *what;
		bool admin_only;
	} items[] = {
		{"/admin/comptes", N_("Comptes"),
		 N_("Inviter une personne, changer son rôle, la désactiver, réinitialiser son mot "
		    "de passe."),
		 false},
		{"/admin/organisations", N_("Organisations"),
		 N_("Le secteur et les territoires desservis de chaque organisation."), true},
		{"/admin/secteurs", N_("Secteurs"), N_("Les secteurs, avec leur nom anglais."),
		 true},
		{"/admin/territoires", N_("Territoires"),
		 N_("La hiérarchie : région, territoire, quartier."), true},
		{"/admin/listes", N_("Listes de référence"),
		 N_("Les entrées propres à une organisation (types, lieux, besoins…), en français "
		    "et en anglais; en retirer une sans toucher à l'historique."),
		 false},
		{"/admin/parametres", N_("Paramètres"),
		 N_("Les réglages de l'instance, avec leurs bornes."), true},
	};
	for (size_t i = 0; i < ARRAY_LEN(items); i++) {
		if (items[i].admin_only && a->role != ROLE_ADMIN)
			continue;
		html_printf(
			o,
			"<li class=\"card\"><a href=\"%s\"><strong>%s</strong></a><p>%s</p></li>\n",
			items[i].href, TR(req, items[i].label), TR(req, items[i].what));
	}
	if (a->role == ROLE_GESTIONNAIRE)
		html_printf(o,
			    "<li class=\"card\"><a href=\"/admin/organisations/%lld\"><strong>%s"
			    "</strong></a><p>%s</p></li>\n",
			    (long long)a->organisation_id, TR(req, "Mon organisation"),
			    TR(req, "Son secteur et les territoires qu'elle dessert."));
	html_printf(o, "</ul>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* ---- Accounts. */

/* The state of an account, as a French msgid. */
static const char *account_state(const struct person *p)
{
	if (!p->active)
		return N_("Désactivé");
	if (!p->password_hash)
		return N_("Invitation en attente");
	return N_("Actif");
}

/* The organisation filter of the list: the manager's own; for an admin,
 * ?organisation= (an id) or 0 for all. */
static int64_t list_scope(struct request *req)
{
	const struct actor *a = req->actor;
	if (a->role == ROLE_GESTIONNAIRE)
		return a->organisation_id;
	int64_t id;
	const char *q = req_query(req, "organisation");
	return q && parse_i64(q, 1, INT64_MAX, &id) == 0 ? id : 0;
}

static void org_filter(struct request *req, struct buf *o, const struct organisation *orgs,
		       size_t n, int64_t selected)
{
	html_printf(o,
		    "<form method=\"get\" action=\"/admin/comptes\" class=\"filters\">"
		    "<label for=\"f-organisation\">%s</label> <select id=\"f-organisation\" "
		    "name=\"organisation\"><option value=\"\">%s</option>",
		    TR(req, "Organisation"), TR(req, "Toutes"));
	for (size_t i = 0; i < n; i++)
		html_printf(o, "<option value=\"%lld\"%R>%s</option>", (long long)orgs[i].id,
			    orgs[i].id == selected ? " selected" : "", orgs[i].name);
	html_printf(o, "</select> <button type=\"submit\">%s</button></form>\n",
		    TR(req, "Afficher"));
}

static void account_rows(struct request *req, struct buf *o, const struct person *v, size_t n,
			 int64_t scope)
{
	html_printf(o,
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table class=\"data\" id=\"comptes\">"
		    "<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>\n",
		    TR(req, "Comptes"), TR(req, "Nom"), TR(req, "Courriel"), TR(req, "Rôle"),
		    TR(req, "Organisation"), TR(req, "État"), TR(req, "Double authentification"));
	for (size_t i = 0; i < n; i++) {
		const struct person *p = &v[i];
		if (scope && p->organisation_id != scope)
			continue;
		if (!person_may_manage(req->actor, p))
			continue;
		html_printf(o,
			    "<tr><th scope=\"row\"><a href=\"/admin/comptes/%lld\">%s</a></th>"
			    "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			    (long long)p->id, p->name, p->email ? p->email : "",
			    TR(req, role_label(p->role)), p->organisation ? p->organisation : "—",
			    TR(req, account_state(p)),
			    p->totp_enabled ? TR(req, "activée") : TR(req, "non"));
	}
	html_printf(o, "</tbody></table></div>\n");
}

enum perr view_admin_accounts(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(admin_or_manager(req->actor), &e);
	if (!db)
		return e;
	struct person *v;
	size_t n;
	struct organisation *orgs = NULL;
	size_t norgs = 0;
	if (person_list(db, req->arena, &v, &n) < 0 ||
	    (req->actor->role == ROLE_ADMIN &&
	     organisation_list(db, req->arena, &orgs, &norgs) < 0))
		return PERR_UNAVAILABLE;
	const char *title = TR(req, "Comptes");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(
		o,
		"<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1>\n"
		"<p class=\"actions\"><a class=\"button primary\" href=\"/admin/comptes/nouveau\">"
		"%s</a></p>\n",
		TR(req, "Administration"), title, TR(req, "Inviter une personne"));
	int64_t scope = list_scope(req);
	if (req->actor->role == ROLE_ADMIN)
		org_filter(req, o, orgs, norgs, scope);
	account_rows(req, o, v, n, scope);
	view_end(req, resp);
	return PERR_OK;
}

/* The roles a may give, in display order. */
static const enum role ROLES[] = {ROLE_PAP, ROLE_GESTIONNAIRE, ROLE_COMITE, ROLE_ANALYSTE,
				  ROLE_ADMIN};

/* The fields of an account form (new: with the e-mail). */
static int account_fields(struct request *req, struct db *db, const struct fw *f,
			  const struct person *p, bool is_new)
{
	struct buf *o = f->out;
	fw_input(f, "text", "name", TR(req, "Nom"), p->name, NULL);
	if (is_new)
		fw_input(f, "email", "email", TR(req, "Courriel"), p->email,
			 TR(req, "La personne se connectera avec ce courriel."));
	html_printf(o, "<div class=\"field\"><label for=\"f-role\">%s</label>", TR(req, "Rôle"));
	fw_error_text(f, "role");
	html_printf(o, "<select id=\"f-role\" name=\"role\"");
	fw_invalid_attrs(f, "role");
	html_printf(o, ">");
	for (size_t i = 0; i < ARRAY_LEN(ROLES); i++)
		if (req->actor->role == ROLE_ADMIN || ROLES[i] == ROLE_PAP ||
		    ROLES[i] == ROLE_GESTIONNAIRE)
			html_printf(o, "<option value=\"%s\"%R>%s</option>", role_code(ROLES[i]),
				    p->role == ROLES[i] ? " selected" : "",
				    TR(req, role_label(ROLES[i])));
	html_printf(o, "</select></div>\n");
	if (req->actor->role == ROLE_ADMIN) {
		struct organisation *orgs;
		size_t n;
		if (organisation_list(db, req->arena, &orgs, &n) < 0)
			return -1;
		html_printf(o, "<div class=\"field\"><label for=\"f-organisation\">%s</label>",
			    TR(req, "Organisation"));
		fw_error_text(f, "organisation");
		html_printf(o, "<select id=\"f-organisation\" name=\"organisation\"");
		fw_invalid_attrs(f, "organisation");
		html_printf(o, "><option value=\"\">%s</option>", TR(req, "Aucune"));
		for (size_t i = 0; i < n; i++)
			html_printf(o, "<option value=\"%s\"%R>%s</option>", orgs[i].ext_id,
				    p->organisation && strcmp(p->organisation, orgs[i].ext_id) == 0
					    ? " selected"
					    : "",
				    orgs[i].name);
		html_printf(o, "</select></div>\n");
	}
	struct territory *t;
	size_t nt;
	if (territory_tree(db, req->arena, &t, &nt) < 0)
		return -1;
	html_printf(o, "<div class=\"field\"><label for=\"f-territory\">%s</label>",
		    TR(req, "Territoire"));
	html_printf(o, "<p class=\"hint\">%s</p>",
		    TR(req, "Celui d'un comité; pour les autres rôles, facultatif."));
	fw_error_text(f, "territory");
	html_printf(o, "<select id=\"f-territory\" name=\"territory\"");
	fw_invalid_attrs(f, "territory");
	html_printf(o, "><option value=\"\">%s</option>", TR(req, "Aucun"));
	for (size_t i = 0; i < nt; i++)
		html_printf(o, "<option value=\"%s\"%R>%s%s</option>", t[i].ext_id,
			    p->territory && strcmp(p->territory, t[i].ext_id) == 0 ? " selected"
										   : "",
			    t[i].depth ? (t[i].depth > 1 ? "— — " : "— ") : "", t[i].name);
	html_printf(o, "</select></div>\n");
	return 0;
}

/* The person an account form posted; a manager's organisation is their
 * own whatever was posted. */
static void posted_person(struct request *req, struct db *db, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->name = form_trimmed(req, "name");
	p->email = form_trimmed(req, "email");
	p->role = role_parse(req_form(req, "role"));
	p->organisation = form_trimmed(req, "organisation");
	p->territory = form_trimmed(req, "territory");
	if (req->actor->role == ROLE_GESTIONNAIRE) {
		struct person me;
		if (person_find_by_id(db, req->arena, req->actor->person_id, &me) == 0)
			p->organisation = me.organisation;
		p->organisation_id = req->actor->organisation_id;
	}
}

static enum perr account_form(struct request *req, struct response *resp, struct db *db,
			      const struct person *p, const struct validation *v)
{
	const char *title = TR(req, "Inviter une personne");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o,
		    "<p class=\"crumbs\"><a href=\"/admin/comptes\">%s</a></p><h1>%s</h1>\n"
		    "<p class=\"lead\">%s</p>\n",
		    TR(req, "Comptes"), title,
		    TR(req, "Le compte est créé sans mot de passe; vous recevrez un lien à usage "
			    "unique à transmettre à la personne, qui y choisira le sien."));
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "Le compte n'a pas été créé :"));
	html_printf(o, "<form method=\"post\" action=\"/admin/comptes/nouveau\" novalidate>\n");
	form_csrf_field(req, resp);
	if (account_fields(req, db, &f, p, true) < 0)
		return PERR_UNAVAILABLE;
	form_submit_bar(req, o, TR(req, "Créer le compte et son lien"), "/admin/comptes");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_admin_account_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(admin_or_manager(req->actor), &e);
	if (!db)
		return e;
	struct person p = {.role = ROLE_PAP};
	return account_form(req, resp, db, &p, NULL);
}

/* Creates the invited account and its link, in the caller's transaction. */
static int invite(struct db *db, struct request *req, struct person *p, struct validation *v,
		  const char **token, int64_t *expires)
{
	int64_t org = 0;
	if (p->organisation && req->actor->role == ROLE_GESTIONNAIRE)
		org = req->actor->organisation_id;
	if (req->actor->role == ROLE_GESTIONNAIRE && !person_may_give(req->actor, p->role, org))
		validation_add(v, "role", N_("Choisissez un rôle."));
	if (v->n)
		return 1;
	int r = person_create(db, p, &p->id, v);
	if (r != 0)
		return r;
	return account_link_create(db, req->arena, p->id, ACCOUNT_LINK_INVITATION,
				   req->actor->person_id, token, expires);
}

/* A posted account: the person as typed, the account as read (an
 * update) and the errors. */
struct posted_account {
	struct person p, edit;
	struct validation v;
};

/* Draws the invitation form again (view_form_posted). */
static enum perr draw_invite(struct request *req, struct response *resp, void *form)
{
	struct posted_account *pa = form;
	struct db *db = db_thread();
	return db ? account_form(req, resp, db, &pa->p, &pa->v) : PERR_UNAVAILABLE;
}

enum perr view_admin_account_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(admin_or_manager(req->actor), &e);
	if (!db)
		return e;
	struct posted_account *pa = arena_calloc(req->arena, 1, sizeof(*pa));
	struct person *p = &pa->p;
	posted_person(req, db, p);
	view_form_posted(req, draw_invite, pa);
	const char *token;
	int64_t expires;
	if ((e = admin_written(invite(db, req, p, &pa->v, &token, &expires))) != PERR_OK)
		return e;
	log_info("admin.invite", "by=%lld person=%lld", (long long)req->actor->person_id,
		 (long long)p->id);
	const char *title = TR(req, "Compte créé");
	view_begin(req, resp, title);
	html_printf(&resp->body,
		    "<p class=\"crumbs\"><a href=\"/admin/comptes\">%s</a></p><h1>%s</h1>\n"
		    "<p class=\"notice\" role=\"status\">%s <strong>%s</strong></p>\n",
		    TR(req, "Comptes"), title, TR(req, "Le compte est créé :"), p->name);
	admin_show_link(req, resp, token, expires);
	html_printf(&resp->body, "<p><a href=\"/admin/comptes/%lld\">%s</a></p>\n",
		    (long long)p->id, TR(req, "Voir le compte"));
	view_end(req, resp);
	return PERR_OK;
}

/* The account of the route's :id that the actor may manage: 0, or the
 * error to answer (404 when absent or not theirs). */
static enum perr managed(struct request *req, struct db **db, struct person *p)
{
	enum perr e;
	*db = view_open_db(admin_or_manager(req->actor), &e);
	if (!*db)
		return e;
	int64_t id = view_param_id(req);
	int r = id ? person_find_by_id(*db, req->arena, id, p) : 1;
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0 || !person_may_manage(req->actor, p))
		return PERR_NOT_FOUND;
	return PERR_OK;
}

static void account_actions(struct request *req, struct response *resp, const struct person *p)
{
	struct buf *o = &resp->body;
	bool self = p->id == req->actor->person_id;
	html_printf(o, "<section class=\"panel danger-zone\"><h2>%s</h2>\n", TR(req, "Accès"));
	html_printf(o, "<form method=\"post\" action=\"/admin/comptes/%lld/reinitialiser\">",
		    (long long)p->id);
	form_csrf_field(req, resp);
	html_printf(o, "<p>%s</p><button type=\"submit\" class=\"button\">%s</button></form>\n",
		    TR(req, "Un lien à usage unique permet à la personne de choisir un nouveau mot "
			    "de passe; aucun mot de passe n'est affiché ni envoyé."),
		    TR(req, "Créer un lien de réinitialisation"));
	if (p->totp_enabled) {
		html_printf(o,
			    "<form method=\"post\" action=\"/admin/comptes/%lld/deux-facteurs\">",
			    (long long)p->id);
		form_csrf_field(req, resp);
		html_printf(
			o, "<p>%s</p><button type=\"submit\" class=\"button\">%s</button></form>\n",
			TR(req, "Si la personne a perdu son téléphone et ses codes de secours, "
				"retirez sa double authentification; elle la réactivera."),
			TR(req, "Retirer la double authentification"));
	}
	if (!self) {
		html_printf(o, "<form method=\"post\" action=\"/admin/comptes/%lld/%s\">",
			    (long long)p->id, p->active ? "desactiver" : "reactiver");
		form_csrf_field(req, resp);
		html_printf(
			o,
			"<p>%s</p><button type=\"submit\" class=\"button%R\">%s</button></form>\n",
			p->active ? TR(req, "La personne perd l'accès dès sa prochaine requête : "
					    "ses sessions et ses jetons d'API prennent fin.")
				  : TR(req, "La personne pourra se connecter de nouveau."),
			p->active ? " danger" : "",
			p->active ? TR(req, "Désactiver le compte")
				  : TR(req, "Réactiver le compte"));
	}
	html_printf(o, "</section>\n");
}

static enum perr account_page(struct request *req, struct response *resp, struct db *db,
			      const struct person *p, const struct person *edit,
			      const struct validation *v)
{
	struct buf *o = &resp->body;
	view_begin(req, resp, p->name);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/admin/comptes\">%s</a></p><h1>%s</h1>\n",
		    TR(req, "Comptes"), p->name);
	static const char *const codes[] = {"modifie", "desactive", "reactive", "2fa"};
	static const char *const texts[] = {
		N_("Le compte est modifié."),
		N_("Le compte est désactivé : ses sessions et ses jetons ont pris fin."),
		N_("Le compte est réactivé."), N_("La double authentification est retirée.")};
	admin_notice(req, resp, codes, texts, ARRAY_LEN(codes));
	html_printf(o, "<p class=\"lead\">%s · %s · %s%s%s</p>\n", p->email ? p->email : "",
		    TR(req, role_label(p->role)), TR(req, account_state(p)),
		    p->totp_enabled ? " · " : "",
		    p->totp_enabled ? TR(req, "double authentification activée") : "");
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "Le compte n'a pas été modifié :"));
	html_printf(o, "<form method=\"post\" action=\"/admin/comptes/%lld\" novalidate>\n",
		    (long long)p->id);
	form_csrf_field(req, resp);
	if (account_fields(req, db, &f, edit, false) < 0)
		return PERR_UNAVAILABLE;
	form_submit_bar(req, o, TR(req, "Enregistrer"), NULL);
	account_actions(req, resp, p);
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_admin_account_show(struct request *req, struct response *resp)
{
	struct db *db;
	struct person p;
	enum perr e = managed(req, &db, &p);
	if (e != PERR_OK)
		return e;
	return account_page(req, resp, db, &p, &p, NULL);
}

/* Draws the account's page again with the posted values
 * (view_form_posted). */
static enum perr draw_account(struct request *req, struct response *resp, void *form)
{
	struct posted_account *pa = form;
	struct db *db = db_thread();
	return db ? account_page(req, resp, db, &pa->p, &pa->edit, &pa->v) : PERR_UNAVAILABLE;
}

enum perr view_admin_account_update(struct request *req, struct response *resp)
{
	struct db *db;
	struct posted_account *pa = arena_calloc(req->arena, 1, sizeof(*pa));
	struct person *p = &pa->p, *edit = &pa->edit;
	enum perr e = managed(req, &db, p);
	if (e != PERR_OK)
		return e;
	posted_person(req, db, edit);
	view_form_posted(req, draw_account, pa);
	struct validation *v = &pa->v;
	if (!person_may_give(req->actor, edit->role,
			     req->actor->role == ROLE_ADMIN ? 0 : req->actor->organisation_id))
		validation_add(v, "role", N_("Choisissez un rôle."));
	if (p->id == req->actor->person_id && edit->role != p->role)
		validation_add(v, "role", N_("Vous ne pouvez pas changer votre propre rôle."));
	if ((e = admin_written(v->n ? 1 : person_update(db, p->id, edit, v))) != PERR_OK)
		return e;
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/admin/comptes/%lld?ok=modifie", (long long)p->id));
	return PERR_OK;
}

/* One of the account's actions: run in the request's write unit, then
 * back to the account with the notice ok. */
static enum perr account_act(struct request *req, struct response *resp,
			     int (*act)(struct db *, int64_t), const char *ok, const char *event)
{
	struct db *db;
	struct person p;
	enum perr e = managed(req, &db, &p);
	if (e != PERR_OK)
		return e;
	if (p.id == req->actor->person_id && act == account_deactivate) {
		req->err_message = N_("Vous ne pouvez pas désactiver votre propre compte.");
		return PERR_CONFLICT;
	}
	if (act(db, p.id) != 0)
		return PERR_UNAVAILABLE;
	log_info(event, "by=%lld person=%lld", (long long)req->actor->person_id, (long long)p.id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/admin/comptes/%lld?ok=%s", (long long)p.id, ok));
	return PERR_OK;
}

enum perr view_admin_account_deactivate(struct request *req, struct response *resp)
{
	return account_act(req, resp, account_deactivate, "desactive", "admin.deactivate");
}

enum perr view_admin_account_reactivate(struct request *req, struct response *resp)
{
	return account_act(req, resp, account_reactivate, "reactive", "admin.reactivate");
}

enum perr view_admin_account_2fa_off(struct request *req, struct response *resp)
{
	return account_act(req, resp, twofactor_disable, "2fa", "admin.twofactor_off");
}

enum perr view_admin_account_reset(struct request *req, struct response *resp)
{
	struct db *db;
	struct person p;
	enum perr e = managed(req, &db, &p);
	if (e != PERR_OK)
		return e;
	if (!p.active) {
		req->err_message = N_("Ce compte est désactivé : réactivez-le d'abord.");
		return PERR_CONFLICT;
	}
	const char *token;
	int64_t expires;
	int r = account_link_create(db, req->arena, p.id,
				    p.password_hash ? ACCOUNT_LINK_RESET : ACCOUNT_LINK_INVITATION,
				    req->actor->person_id, &token, &expires);
	if (r != 0)
		return PERR_UNAVAILABLE;
	log_info("admin.reset_link", "by=%lld person=%lld", (long long)req->actor->person_id,
		 (long long)p.id);
	const char *title = TR(req, "Lien de réinitialisation");
	view_begin(req, resp, title);
	html_printf(&resp->body,
		    "<p class=\"crumbs\"><a href=\"/admin/comptes/%lld\">%s</a></p>"
		    "<h1>%s</h1>\n",
		    (long long)p.id, p.name, title);
	admin_show_link(req, resp, token, expires);
	view_end(req, resp);
	return PERR_OK;
}
