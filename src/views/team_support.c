/* Support requests:
 *   GET      /equipe/soutien/:id              one support request (also /moi/soutien/:id)
 *   POST     /equipe/soutien/:id/accuser      acknowledge
 *   POST     /equipe/soutien/:id/fermer       close with what was done
 *   GET/POST /moi/soutien                     a PAP's requests and a new one
 * Visibility is the model's (model/support.h): anything not visible is a
 * 404. */
#include "views/team.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/journal_week.h"
#include "model/position.h"
#include "model/refdata.h"
#include "model/supervision.h"
#include "model/support.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/reflabel.h"
#include "views/widgets.h"
#include "views/team_internal.h"

static const struct ref_item req_to[] = {
	{"gestionnaire", N_("Ma gestionnaire"), NULL, false},
	{"equipe", N_("Mon équipe (par la gestion)"), NULL, false},
};

static const struct ref_item req_types[] = {
	{"charge_emotionnelle", N_("Charge émotionnelle"), NULL, false},
	{"situation_complexe", N_("Situation complexe avec une famille"), NULL, false},
	{"clarification_mandat", N_("Clarifier mon mandat"), NULL, false},
	{"securite", N_("Sécurité"), NULL, false},
	{"surcharge", N_("Surcharge de travail"), NULL, false},
	{"conflit_partenaire", N_("Conflit avec un partenaire"), NULL, false},
	{"formation", N_("Formation"), NULL, false},
	{"autre", N_("Autre"), NULL, false},
};

static const struct ref_item req_urgencies[] = {
	{"faible", N_("Peut attendre"), NULL, false},
	{"moyenne", N_("Cette semaine"), NULL, false},
	{"elevee", N_("Urgent"), NULL, false},
};

static const char *ts_date(struct request *req, int64_t t)
{
	char *d = arena_alloc(req->arena, 11);
	struct pdate p = ptime_local_date(t);
	ptime_format_date(&p, d);
	return fmt_date_medium(req, d);
}

void team_support_items(struct request *req, struct buf *o, const struct support_request *v,
			size_t n, bool show_author, const char *base)
{
	html_printf(o, "<ul class=\"families\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct support_request *r = &v[i];
		html_printf(o, "<li class=\"family\"><a href=\"%s/%lld\"><strong>%s</strong></a>",
			    base, (long long)r->id,
			    ref_lookup(req, req_types, ARRAY_LEN(req_types), r->type));
		if (show_author)
			html_printf(o, "<span>%s</span>", r->person_name);
		html_printf(o, "<span>%s %s</span>", TR(req, "Déposée le"),
			    fmt_date_medium(req, r->date));
		if (r->urgency)
			html_printf(o, "<span class=\"tag%R\">%s</span>",
				    strcmp(r->urgency, "elevee") == 0 ? " warn" : "",
				    ref_lookup(req, req_urgencies, ARRAY_LEN(req_urgencies),
					       r->urgency));
		if (r->closed_at)
			html_printf(o, "<span class=\"tag\">%s</span>", TR(req, "Fermée"));
		else if (r->acknowledged_at)
			html_printf(o, "<span class=\"tag\">%s</span>", TR(req, "Prise en compte"));
		else
			html_printf(o, "<span class=\"tag warn\">%s</span>", TR(req, "Nouvelle"));
		html_printf(o, "</li>\n");
	}
	html_printf(o, "</ul>\n");
}

static enum perr my_support_page(struct request *req, struct response *resp, struct db *db,
				 const struct validation *v, bool posted)
{
	struct support_request *reqs;
	size_t n;
	if (support_list(db, req->arena, req->actor, &reqs, &n) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	const char *title = TR(req, "Mon soutien");
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n", title);
	static const char *const codes[] = {"envoyee"};
	static const char *const texts[] = {
		N_("Demande envoyée à la gestion de votre organisation.")};
	team_notice(req, resp, codes, texts, 1);
	html_printf(
		o,
		"<p class=\"actions\"><a class=\"button\" href=\"/moi/encadrement\">%s</a></p>\n",
		TR(req, "Mon encadrement"));
	html_printf(o, "<section class=\"panel\" id=\"nouvelle\"><h2>%s</h2>\n",
		    TR(req, "Faire une demande de soutien"));
	html_printf(o, "<p class=\"hint privacy-note\">%s</p>\n",
		    TR(req, "Votre demande n'est vue que par vous et la gestion de votre "
			    "organisation, jamais par vos collègues ni par le comité."));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o,
		    "<form method=\"post\" action=\"/moi/soutien\" class=\"stack\" novalidate>\n");
	form_csrf_field(req, resp);
	fw_chips(&f, "addressed_to", TR(req, "À qui"), req_to, ARRAY_LEN(req_to),
		 posted ? req_form(req, "addressed_to") : "gestionnaire");
	fw_select(&f, "type", TR(req, "Type de soutien"), req_types, ARRAY_LEN(req_types),
		  posted ? req_form(req, "type") : NULL, TR(req, "— Choisir —"));
	fw_chips(&f, "urgency", TR(req, "Urgence"), req_urgencies, ARRAY_LEN(req_urgencies),
		 posted ? req_form(req, "urgency") : "moyenne");
	html_printf(o,
		    "<div class=\"field\"><label for=\"f-text\">%s</label>"
		    "<p class=\"hint\" id=\"h-f-text\">%s</p>\n",
		    TR(req, "Votre demande"),
		    TR(req, "2000 caractères au plus. Évitez de nommer les familles."));
	fw_error_text(&f, "text");
	html_printf(o,
		    "<textarea id=\"f-text\" name=\"text\" rows=\"5\" maxlength=\"2000\" "
		    "aria-describedby=\"h-f-text\"%R>%s</textarea></div>\n",
		    fw_error(&f, "text") ? " aria-invalid=\"true\"" : "",
		    team_raw_or(req, posted, "text", NULL));
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">%s"
		    "</button></div>\n</form></section>\n",
		    TR(req, "Envoyer la demande"));
	html_printf(o, "<section class=\"panel\"><h2>%s</h2>\n", TR(req, "Mes demandes"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucune demande."));
	else
		team_support_items(req, o, reqs, n, false, "/moi/soutien");
	html_printf(o, "</section>\n");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_my_support(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(support_can_file(req->actor), &e);
	return db ? my_support_page(req, resp, db, NULL, false) : e;
}

/* Draws "Mon soutien" again with the request's errors (view_form_posted). */
static enum perr draw_my_support(struct request *req, struct response *resp, void *form)
{
	struct team_posted *pf = form;
	struct db *db = db_thread();
	return db ? my_support_page(req, resp, db, &pf->v, true) : PERR_UNAVAILABLE;
}

enum perr view_my_support_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(support_can_file(req->actor), &e);
	if (!db)
		return e;
	struct support_request r = {0};
	r.addressed_to = form_trimmed(req, "addressed_to");
	r.type = form_trimmed(req, "type");
	r.urgency = form_trimmed(req, "urgency");
	r.text = form_trimmed(req, "text");
	struct team_posted *pf = team_posted_form(req, draw_my_support);
	struct validation *v = &pf->v;
	/* What the form asks (the contract leaves these optional). */
	if (!r.addressed_to)
		validation_add(v, "addressed_to", N_("Choisissez à qui s'adresse la demande."));
	if (!r.type)
		validation_add(v, "type", N_("Choisissez le type de soutien."));
	if (!r.urgency)
		validation_add(v, "urgency", N_("Choisissez l'urgence."));
	if (!r.text)
		validation_add(v, "text", N_("Décrivez votre demande."));
	e = team_form_written(support_file(db, req->arena, req->actor, &r, v));
	if (e != PERR_OK)
		return e;
	resp_redirect(resp, req->arena, "/moi/soutien?ok=envoyee");
	return PERR_OK;
}

static enum perr support_page(struct request *req, struct response *resp, struct db *db,
			      const struct support_request *r, const struct validation *v)
{
	struct buf *o = &resp->body;
	bool manager = support_can_handle(req->actor);
	const char *title = ref_lookup(req, req_types, ARRAY_LEN(req_types), r->type);
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"%s\">← %s</a></p>\n<h1>%s</h1>\n",
		    manager ? "/equipe" : "/moi/soutien",
		    manager ? TR(req, "Équipe") : TR(req, "Mon soutien"), title);
	static const char *const codes[] = {"accusee", "fermee"};
	static const char *const texts[] = {N_("Réception accusée."), N_("Demande fermée.")};
	team_notice(req, resp, codes, texts, ARRAY_LEN(codes));
	html_printf(o, "<section class=\"panel\"><dl class=\"facts\">\n");
	team_fact(o, TR(req, "De"), r->person_name);
	team_fact(o, TR(req, "Déposée le"), fmt_date_long(req, r->date));
	team_fact(o, TR(req, "À qui"), ref_lookup(req, req_to, ARRAY_LEN(req_to), r->addressed_to));
	team_fact(o, TR(req, "Urgence"),
		  r->urgency ? ref_lookup(req, req_urgencies, ARRAY_LEN(req_urgencies), r->urgency)
			     : "—");
	team_fact(o, TR(req, "Réception accusée"),
		  r->acknowledged_at ? ts_date(req, r->acknowledged_at) : TR(req, "pas encore"));
	if (r->closed_at)
		team_fact(o, TR(req, "Fermée le"), ts_date(req, r->closed_at));
	html_printf(o, "</dl>\n<h2>%s</h2>\n<p class=\"entry-note\">%s</p>\n", TR(req, "Demande"),
		    r->text ? r->text : "—");
	if (r->resolution)
		html_printf(o, "<h2>%s</h2>\n<p class=\"entry-note\">%s</p>\n",
			    TR(req, "Ce qui a été fait"), r->resolution);
	html_printf(o, "</section>\n");
	if (manager && !r->closed_at) {
		struct fw f = {.req = req, .out = o, .v = v};
		if (!r->acknowledged_at) {
			html_printf(
				o,
				"<form method=\"post\" action=\"/equipe/soutien/%lld/accuser\">\n",
				(long long)r->id);
			form_csrf_field(req, resp);
			html_printf(o,
				    "<button type=\"submit\" class=\"button primary\">%s</button>"
				    "</form>\n",
				    TR(req, "Accuser réception"));
		}
		html_printf(o, "<section class=\"panel\" id=\"fermer\"><h2>%s</h2>\n",
			    TR(req, "Fermer la demande"));
		fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
		html_printf(o,
			    "<form method=\"post\" action=\"/equipe/soutien/%lld/fermer\" "
			    "class=\"stack\" novalidate>\n",
			    (long long)r->id);
		form_csrf_field(req, resp);
		html_printf(o, "<div class=\"field\"><label for=\"f-resolution\">%s</label>\n",
			    TR(req, "Ce qui a été fait"));
		fw_error_text(&f, "resolution");
		html_printf(o,
			    "<textarea id=\"f-resolution\" name=\"resolution\" rows=\"4\" "
			    "maxlength=\"2000\"%R>%s</textarea></div>\n",
			    fw_error(&f, "resolution") ? " aria-invalid=\"true\"" : "",
			    v ? team_raw_or(req, true, "resolution", NULL) : "");
		html_printf(
			o,
			"<button type=\"submit\" class=\"button\">%s</button></form></section>\n",
			TR(req, "Fermer la demande"));
	}
	view_end(req, resp);
	(void)db;
	return PERR_OK;
}

/* The start of the handlers of one support request: this thread's
 * database into *db (not owned) and the request of the route's :id that
 * the actor sees into *r. PERR_OK, PERR_UNAVAILABLE, or PERR_NOT_FOUND
 * (absent or not visible). */
static enum perr load_request(struct request *req, struct db **db, struct support_request *r)
{
	*db = db_thread();
	if (!*db)
		return PERR_UNAVAILABLE;
	int64_t id = view_param_id(req);
	if (!id)
		return PERR_NOT_FOUND;
	return perr_found(support_get(*db, req->arena, req->actor, id, r));
}

enum perr view_support_show(struct request *req, struct response *resp)
{
	struct db *db;
	struct support_request r;
	enum perr e = load_request(req, &db, &r);
	if (e != PERR_OK)
		return e;
	return support_page(req, resp, db, &r, NULL);
}

enum perr view_support_acknowledge(struct request *req, struct response *resp)
{
	struct db *db;
	struct support_request r;
	enum perr e = load_request(req, &db, &r);
	if (e != PERR_OK)
		return e;
	if (!support_can_handle(req->actor))
		return PERR_NOT_FOUND;
	int rc = support_acknowledge(db, req->actor, &r);
	if (rc != 0)
		return rc > 0 ? PERR_NOT_FOUND : PERR_UNAVAILABLE;
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/equipe/soutien/%lld?ok=accusee", (long long)r.id));
	return PERR_OK;
}

/* Draws the support request's page again with the closing form's errors
 * (view_form_posted). */
static enum perr draw_support(struct request *req, struct response *resp, void *form)
{
	struct team_posted *pf = form;
	struct db *db = db_thread();
	return db ? support_page(req, resp, db, &pf->r, &pf->v) : PERR_UNAVAILABLE;
}

enum perr view_support_close(struct request *req, struct response *resp)
{
	struct db *db;
	struct team_posted *pf = arena_calloc(req->arena, 1, sizeof(*pf));
	struct support_request *r = &pf->r;
	enum perr e = load_request(req, &db, r);
	if (e != PERR_OK)
		return e;
	if (!support_can_handle(req->actor))
		return PERR_NOT_FOUND;
	view_form_posted(req, draw_support, pf);
	int rc = support_close(db, req->actor, r, form_trimmed(req, "resolution"), &pf->v);
	if (rc > 0 && !pf->v.n)
		return PERR_NOT_FOUND;
	if ((e = team_form_written(rc)) != PERR_OK)
		return e;
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/equipe/soutien/%lld?ok=fermee", (long long)r->id));
	return PERR_OK;
}
