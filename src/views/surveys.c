/* Survey pages (see views/surveys.h for the routes).
 *
 * Confidentiality of PAP answers: no page shows an answer or a comment
 * with its author. A PAP sees only whether a survey is due; a manager sees
 * the campaign windows and, per window, the team's aggregates, only when
 * at least T PAP answered (the model returns nothing else).
 *
 * The public family form (/s/:token) needs no account and writes nothing
 * about who answers: no person, no address (server.c leaves the address
 * out of the access log for /s/ paths), no cookie but the CSRF token. It
 * has its own page shell: no navigation, a language switch by link
 * (?lang=en) rather than the cookie-setting form of the main layout. */
#include "views/surveys.h"

#include <math.h>
#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "http/error.h"
#include "http/static.h"
#include "model/journal_week.h"
#include "model/project.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/widgets.h"

/* The 1–5 scale, drawn as large chips. */
static const struct ref_item scale[] = {
	{"1", N_("1 · Pas du tout"), NULL, false},
	{"2", N_("2"), NULL, false},
	{"3", N_("3"), NULL, false},
	{"4", N_("4"), NULL, false},
	{"5", N_("5 · Tout à fait"), NULL, false},
};

/* The scores posted for type t into a (0 where absent or not 1–5). */
static void read_scores(struct request *req, enum survey_type t, struct survey_answer *a)
{
	size_t n;
	const struct survey_item_def *items = survey_items(t, &n);
	for (size_t i = 0; i < n; i++) {
		const char *s = req_form(req, items[i].field);
		int v;
		a->scores[i] = s && parse_int(s, 1, 5, &v) == 0 ? v : 0;
	}
}

/* One chip group per item of t; checked from the posted values (raw) or
 * from a. */
static void score_fields(const struct fw *f, enum survey_type t, const struct survey_answer *a)
{
	size_t n;
	const struct survey_item_def *items = survey_items(t, &n);
	for (size_t i = 0; i < n; i++) {
		char checked[2] = {0};
		if (a && a->scores[i] >= 1 && a->scores[i] <= 5)
			checked[0] = (char)('0' + a->scores[i]);
		fw_chips(f, items[i].field, TR(f->req, items[i].question), scale, ARRAY_LEN(scale),
			 checked[0] ? checked : NULL);
	}
}

void view_survey_aggregate(struct request *req, struct response *resp, enum survey_type t,
			   const struct survey_aggregate *agg)
{
	struct buf *o = &resp->body;
	if (!agg->shown && t == SURVEY_PAP) {
		/* Released waves only (model/survey.h): closed, of T respondents. */
		html_printf(o, "<p class=\"notice\">%s %d %s</p>\n",
			    TR(req,
			       "Résultats masqués pour protéger la confidentialité : ils "
			       "paraissent une fois la période de sondage fermée, et seulement si "
			       "au moins"),
			    agg->threshold, TR(req, "PAP y ont répondu."));
		return;
	}
	if (!agg->shown) {
		html_printf(
			o, "<p class=\"notice\">%s %d %s</p>\n",
			TR(req, "Résultats masqués pour protéger la confidentialité : moins de"),
			agg->threshold, TR(req, "réponses reçues."));
		return;
	}
	html_printf(o, "<p>%s <strong>%zu</strong>", TR(req, "Réponses :"), agg->answers);
	if (t == SURVEY_PAP)
		html_printf(o, " · %s <strong>%zu</strong>", TR(req, "PAP :"), agg->persons);
	html_printf(o,
		    "</p>\n<table class=\"breakdown\"><thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>\n",
		    TR(req, "Énoncé"), TR(req, "Moyenne /5"), TR(req, "n"), TR(req, "% ≥ 4"));
	size_t n;
	const struct survey_item_def *items = survey_items(t, &n);
	for (size_t i = 0; i < agg->nitems && i < n; i++) {
		const struct survey_item_stat *st = &agg->items[i];
		html_printf(o, "<tr><th scope=\"row\">%s</th>", TR(req, items[i].question));
		if (st->suppressed)
			html_printf(o, "<td colspan=\"3\">%s %d</td></tr>\n", TR(req, "n <"),
				    agg->threshold);
		else if (st->n)
			html_printf(o, "<td>%s</td><td>%zu</td><td>%.0f %%</td></tr>\n",
				    fmt_tenths(req, lround(st->mean * 10.0)), st->n, st->pct_ge4);
		else
			html_printf(o, "<td>—</td><td>0</td><td>—</td></tr>\n");
	}
	html_printf(o, "</tbody></table>\n");
	if (t != SURVEY_PAP)
		return;
	if (agg->comments_shown) {
		html_printf(o, "<h4>%s</h4>\n<ul class=\"comments\">\n",
			    TR(req, "Commentaires (ordre alphabétique, sans date ni auteur)"));
		for (size_t i = 0; i < agg->ncomments; i++)
			html_printf(o, "<li>%s</li>\n", agg->comments[i]);
		html_printf(o, "</ul>\n");
	} else {
		html_printf(o, "<p class=\"hint\">%s %d %s</p>\n",
			    TR(req, "Les commentaires ne sont affichés qu'à partir de"),
			    agg->threshold, TR(req, "commentaires."));
	}
}

void view_survey_reminder(struct request *req, struct response *resp)
{
	if (!req->actor || req->actor->role != ROLE_PAP)
		return;
	struct db *db = db_thread();
	struct survey_campaign c;
	if (!db || survey_due_for(db, req->arena, req->actor, form_today(req), &c) != 1)
		return;
	html_printf(&resp->body,
		    "<p class=\"notice\" role=\"status\">%s %s. "
		    "<a class=\"button primary\" href=\"/sondages\">%s</a></p>\n",
		    TR(req, "Un sondage sur votre bien-être au travail vous attend, jusqu'au"),
		    fmt_date_long(req, c.closes), TR(req, "Répondre au sondage"));
}

/* ---- PAP: the due survey. */

static void pap_form(struct request *req, struct response *resp, const struct survey_campaign *c,
		     const struct survey_answer *a, const struct validation *v)
{
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	html_printf(o,
		    "<section class=\"panel\"><h2>%s</h2>\n<p class=\"lead\">%s %s %s %s.</p>\n"
		    "<p class=\"hint privacy-note\">%s</p>\n",
		    TR(req, "Votre bien-être dans votre mandat"), TR(req, "Période du"),
		    fmt_date_long(req, c->opens), TR(req, "au"), fmt_date_long(req, c->closes),
		    TR(req,
		       "Vos réponses sont confidentielles : personne ne voit vos réponses ni "
		       "votre commentaire. La gestion ne voit que les moyennes de l'équipe, une "
		       "fois la période fermée et seulement si au moins 5 PAP y ont répondu."));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(
		o,
		"<form method=\"post\" action=\"/sondages\" class=\"survey-form\" novalidate>\n");
	form_csrf_field(req, resp);
	score_fields(&f, SURVEY_PAP, a);
	const char *id = fw_id(req->arena, "comment");
	html_printf(o,
		    "<div class=\"field\"><label for=\"%s\">%s</label>\n"
		    "<p class=\"hint\">%s</p>\n",
		    id, TR(req, "Commentaire (facultatif)"),
		    TR(req, "N'écrivez rien qui permette de vous reconnaître ou de reconnaître "
			    "une famille."));
	fw_error_text(&f, "comment");
	html_printf(o,
		    "<textarea id=\"%s\" name=\"comment\" rows=\"4\" maxlength=\"1000\">%s"
		    "</textarea></div>\n",
		    id, a && a->comment ? a->comment : "");
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">%s"
		    "</button></div>\n</form></section>\n",
		    TR(req, "Envoyer mes réponses"));
}

/* The manager's part: the campaigns of organisation org, a form to add
 * one and, per campaign, the aggregates (threshold rule in the model). */
static enum perr manager_part(struct request *req, struct response *resp, struct db *db,
			      int64_t org, const struct validation *v)
{
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	struct survey_campaign *cs;
	size_t n;
	if (survey_campaign_list(db, req->arena, org, &cs, &n) < 0)
		return PERR_UNAVAILABLE;
	html_printf(o,
		    "<section class=\"panel\"><h2>%s</h2>\n<p class=\"hint\">%s</p>\n"
		    "<form method=\"post\" action=\"/sondages/campagnes\" class=\"stack\" "
		    "novalidate>\n",
		    TR(req, "Planifier une période de sondage"),
		    TR(req,
		       "Deux ou trois périodes par année. Pendant une période ouverte, les PAP "
		       "de votre organisation qui n'ont pas encore répondu voient un rappel."));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	form_csrf_field(req, resp);
	html_printf(o, "<input type=\"hidden\" name=\"organisation\" value=\"%lld\">\n",
		    (long long)org);
	fw_input(&f, "date", "opens", TR(req, "Ouverture"),
		 v ? req_form(req, "opens") : form_today(req), NULL);
	fw_input(&f, "date", "closes", TR(req, "Fermeture"), v ? req_form(req, "closes") : NULL,
		 NULL);
	html_printf(o,
		    "<button type=\"submit\" class=\"button primary\">%s</button></form>"
		    "</section>\n",
		    TR(req, "Ajouter la période"));

	html_printf(o, "<section><h2>%s</h2>\n", TR(req, "Résultats de l'équipe par période"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune période de sondage planifiée."));
	for (size_t i = 0; i < n; i++) {
		struct survey_aggregate agg;
		if (survey_pap_aggregate(db, req->arena, org, cs[i].opens, cs[i].closes, &agg) < 0)
			return PERR_UNAVAILABLE;
		html_printf(o, "<article class=\"panel campaign\"><h3>%s – %s</h3>\n",
			    fmt_date_medium(req, cs[i].opens), fmt_date_medium(req, cs[i].closes));
		view_survey_aggregate(req, resp, SURVEY_PAP, &agg);
		html_printf(o, "</article>\n");
	}
	html_printf(o, "</section>\n");
	return PERR_OK;
}

/* The organisation a manager (own) or an administrator (?organisation=
 * or the posted field) works on; 0 when none. */
static int64_t managed_org(struct request *req, const char *given)
{
	const struct actor *a = req->actor;
	if (a->role == ROLE_GESTIONNAIRE)
		return a->organisation_id;
	int64_t id = 0;
	if (a->role == ROLE_ADMIN && given && parse_i64(given, 1, INT64_MAX, &id) == 0)
		return id;
	return 0;
}

/* The administrator's organisation picker (GET form). */
static enum perr admin_picker(struct request *req, struct response *resp, struct db *db,
			      int64_t current)
{
	struct project_org *orgs;
	size_t n;
	if (project_organisations(db, req->arena, &orgs, &n) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	html_printf(
		o,
		"<form method=\"get\" action=\"/sondages\" class=\"stack\"><div class=\"field\">"
		"<label for=\"f-organisation\">%s</label><select id=\"f-organisation\" "
		"name=\"organisation\"><option value=\"\">%s</option>",
		TR(req, "Organisation"), TR(req, "— Choisir —"));
	for (size_t i = 0; i < n; i++)
		html_printf(o, "<option value=\"%lld\"%R>%s</option>", (long long)orgs[i].id,
			    orgs[i].id == current ? " selected" : "", orgs[i].name);
	html_printf(o,
		    "</select></div><button type=\"submit\" class=\"button\">%s</button></form>\n",
		    TR(req, "Afficher"));
	return PERR_OK;
}

static enum perr surveys_page(struct request *req, struct response *resp, struct db *db,
			      const struct survey_answer *a, const struct validation *pap_v,
			      const struct validation *camp_v, int64_t org)
{
	const struct actor *me = req->actor;
	struct buf *o = &resp->body;
	view_begin(req, resp, TR(req, "Sondages"));
	html_printf(o, "<h1>%s</h1>\n", TR(req, "Sondages"));
	const char *ok = req_query(req, "ok");
	if (ok && strcmp(ok, "merci") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Merci ! Vos réponses ont été enregistrées de façon "
				    "confidentielle."));
	else if (ok && strcmp(ok, "famille") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Le sondage de la famille a été enregistré, sans aucune "
				    "information sur la famille."));
	else if (ok && strcmp(ok, "campagne") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Période de sondage ajoutée."));
	enum perr e = PERR_OK;
	if (me->role == ROLE_PAP) {
		struct survey_campaign c;
		int due = survey_due_for(db, req->arena, me, form_today(req), &c);
		if (due < 0)
			return PERR_UNAVAILABLE;
		if (due)
			pap_form(req, resp, &c, a, pap_v);
		else
			html_printf(o, "<p class=\"empty\">%s</p>\n",
				    TR(req,
				       "Aucun sondage à remplir pour le moment. Votre "
				       "gestionnaire planifie deux ou trois périodes par année."));
	}
	if (me->role == ROLE_PAP || me->role == ROLE_GESTIONNAIRE)
		html_printf(o,
			    "<section class=\"panel\"><h2>%s</h2><p>%s</p>"
			    "<p><a class=\"button\" href=\"/sondages/familles/nouveau\">%s</a></p>"
			    "</section>\n",
			    TR(req, "Sondages des familles"),
			    TR(req, "Une famille a rempli le formulaire papier d'un projet "
				    "d'arrimage ? Saisissez ses réponses ici, sans son nom."),
			    TR(req, "Saisir un formulaire papier"));
	if (me->role == ROLE_ADMIN)
		e = admin_picker(req, resp, db, org);
	if (e == PERR_OK && org > 0 && survey_can_manage(me, org))
		e = manager_part(req, resp, db, org, camp_v);
	if (me->role == ROLE_COMITE || me->role == ROLE_ANALYSTE)
		html_printf(o, "<p>%s <a href=\"/projets\">%s</a></p>\n",
			    TR(req, "Les résultats des sondages des familles sont présentés avec "
				    "chaque projet d'arrimage :"),
			    TR(req, "voir les projets"));
	if (e != PERR_OK)
		return e;
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_surveys(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	return surveys_page(req, resp, db, NULL, NULL, NULL,
			    managed_org(req, req_query(req, "organisation")));
}

/* A posted survey answer and its errors, shown again when refused. */
struct posted_answer {
	struct survey_answer a;
	struct validation v;
};

/* Draws the surveys page again with the PAP's answer (view_form_posted). */
static enum perr draw_answer(struct request *req, struct response *resp, void *form)
{
	struct posted_answer *pa = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	return surveys_page(req, resp, db, &pa->a, &pa->v, NULL, 0);
}

enum perr view_survey_answer(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(req->actor->role == ROLE_PAP, &e);
	if (!db)
		return e;
	struct posted_answer *pa = arena_calloc(req->arena, 1, sizeof(*pa));
	pa->a.type = SURVEY_PAP;
	read_scores(req, SURVEY_PAP, &pa->a);
	pa->a.comment = form_trimmed(req, "comment");
	view_form_posted(req, draw_answer, pa);
	int r = survey_save_pap(db, req->arena, req->actor, form_today(req), &pa->a, &pa->v, NULL);
	if (r == 2) {
		req->err_message = N_("Aucun sondage n'est ouvert pour vous, ou vous y avez "
				      "déjà répondu pendant cette période.");
		return PERR_CONFLICT;
	}
	if (r != 0)
		return r < 0 ? PERR_UNAVAILABLE : PERR_UNPROCESSABLE;
	/* No person, no score in the log: only that an answer arrived. */
	log_info("survey.answer", "type=pap");
	resp_redirect(resp, req->arena, "/sondages?ok=merci");
	return PERR_OK;
}

/* A posted campaign window's errors and organisation. */
struct posted_campaign {
	struct validation v;
	int64_t org;
};

/* Draws the surveys page again with the campaign's errors
 * (view_form_posted). */
static enum perr draw_campaign(struct request *req, struct response *resp, void *form)
{
	struct posted_campaign *pc = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	return surveys_page(req, resp, db, NULL, NULL, &pc->v, pc->org);
}

enum perr view_survey_campaign_create(struct request *req, struct response *resp)
{
	int64_t org = managed_org(req, req_form(req, "organisation"));
	enum perr e;
	struct db *db = view_open_db(survey_can_manage(req->actor, org), &e);
	if (!db)
		return e;
	struct posted_campaign *pc = arena_calloc(req->arena, 1, sizeof(*pc));
	pc->org = org;
	view_form_posted(req, draw_campaign, pc);
	int r = survey_campaign_add(db, req->actor, org, form_trimmed(req, "opens"),
				    form_trimmed(req, "closes"), &pc->v);
	if (r != 0)
		return r < 0 ? PERR_UNAVAILABLE : PERR_UNPROCESSABLE;
	log_info("survey.campaign", "organisation=%lld by=%lld", (long long)org,
		 (long long)req->actor->person_id);
	if (req->actor->role == ROLE_ADMIN)
		resp_redirect(resp, req->arena,
			      arena_printf(req->arena, "/sondages?organisation=%lld&ok=campagne",
					   (long long)org));
	else
		resp_redirect(resp, req->arena, "/sondages?ok=campagne");
	return PERR_OK;
}

/* ---- Family answers entered from a paper form. */

static bool enters_paper(const struct actor *a)
{
	return actor_keeps_journal(a);
}

static enum perr paper_form(struct request *req, struct response *resp, struct db *db,
			    const struct survey_answer *a, const struct validation *v)
{
	struct project *ps;
	size_t n;
	if (project_list(db, req->arena, req->actor, &ps, &n) < 0)
		return PERR_UNAVAILABLE;
	const char *today = form_today(req);
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	const char *title = TR(req, "Saisir un sondage de famille (papier)");
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/sondages\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Sondages"), title);
	html_printf(o, "<p class=\"hint privacy-note\">%s</p>\n",
		    TR(req, "Le sondage est anonyme : ni le nom de la famille ni le vôtre ne sont "
			    "enregistrés avec les réponses."));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"/sondages/familles/nouveau\" "
		       "class=\"survey-form\" novalidate>\n");
	form_csrf_field(req, resp);
	const char *pid = fw_id(req->arena, "project");
	html_printf(o, "<div class=\"field\"><label for=\"%s\">%s</label>\n", pid,
		    TR(req, "Projet d'arrimage"));
	fw_error_text(&f, "project");
	html_printf(o, "<select id=\"%s\" name=\"project\"><option value=\"\">%s</option>", pid,
		    TR(req, "— Choisir —"));
	size_t open = 0;
	for (size_t i = 0; i < n; i++) {
		if (project_state_on(&ps[i], today) != PROJECT_OPEN)
			continue;
		open++;
		html_printf(o, "<option value=\"%lld\"%R>%s (%s)</option>", (long long)ps[i].id,
			    a && a->project_id == ps[i].id ? " selected" : "", ps[i].name,
			    ps[i].territory_name);
	}
	html_printf(o, "</select></div>\n");
	if (!open)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun projet d'arrimage en cours sur votre territoire."));
	fw_input(&f, "date", "date", TR(req, "Date du formulaire"), a ? a->date : today, NULL);
	score_fields(&f, SURVEY_FAMILLE, a);
	form_submit_bar(req, o, TR(req, "Enregistrer"), "/sondages");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_family_paper_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, enters_paper(req->actor),
					  TR(req, "Saisir un sondage de famille (papier)"), &e);
	return db ? paper_form(req, resp, db, NULL, NULL) : e;
}

/* Draws the paper form again (view_form_posted). */
static enum perr draw_paper(struct request *req, struct response *resp, void *form)
{
	struct posted_answer *pa = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	return paper_form(req, resp, db, &pa->a, &pa->v);
}

/* The project of the posted paper answer into *p, checked against the
 * answer's date; errors go into v. Returns 0 when the project is known,
 * 1 when not, -1 on a database error. */
static int paper_project(struct request *req, struct db *db, struct posted_answer *pa,
			 struct project *p)
{
	int64_t pid = 0;
	const char *ps = req_form(req, "project");
	int r = 1;
	if (ps && parse_i64(ps, 1, INT64_MAX, &pid) == 0) {
		r = project_get(db, req->arena, req->actor, pid, p);
		if (r < 0)
			return -1;
	}
	const char *date = pa->a.date;
	if (r != 0)
		validation_add(&pa->v, "project", N_("Choisissez le projet."));
	else
		pa->a.project_id = p->id;
	if (r == 0 && date && strlen(date) == 10) {
		if (strcmp(date, form_today(req)) > 0)
			validation_add(&pa->v, "date",
				       N_("La date ne peut pas être dans le futur."));
		else if (project_state_on(p, date) != PROJECT_OPEN)
			validation_add(&pa->v, "date",
				       N_("Cette date est en dehors des dates du projet."));
	}
	return r;
}

enum perr view_family_paper_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(enters_paper(req->actor), &e);
	if (!db)
		return e;
	struct posted_answer *pa = arena_calloc(req->arena, 1, sizeof(*pa));
	pa->a.type = SURVEY_FAMILLE;
	read_scores(req, SURVEY_FAMILLE, &pa->a);
	pa->a.date = form_trimmed(req, "date");
	view_form_posted(req, draw_paper, pa);
	struct project p = {0};
	if (paper_project(req, db, pa, &p) < 0)
		return PERR_UNAVAILABLE;
	int s = pa->v.n ? (survey_validate(&pa->a, &pa->v), 1)
			: survey_save_famille(db, req->arena, &pa->a, p.territory_id, &pa->v, NULL);
	if (s != 0)
		return s < 0 ? PERR_UNAVAILABLE : PERR_UNPROCESSABLE;
	log_info("survey.answer", "type=famille source=papier");
	resp_redirect(resp, req->arena, "/sondages?ok=famille");
	return PERR_OK;
}

/* ---- The public family form. */

/* The public page shell: stylesheet, no script, no navigation, and a
 * language switch by link (no cookie). */
static void public_begin(struct request *req, struct response *resp, const char *title)
{
	resp->content_type = "text/html; charset=utf-8";
	view_nonce(req); /* the CSP that allows the stylesheet */
	bool en = strcmp(req->lang, "en") == 0;
	html_printf(&resp->body,
		    "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"referrer\" content=\"no-referrer\">\n"
		    "<title>%s</title>\n<link rel=\"stylesheet\" href=\"%s\">\n</head>\n<body>\n"
		    "<header class=\"top\"><span class=\"brand\">%s</span><div class=\"tools\">"
		    "<a class=\"button lang\" href=\"?lang=%s\" lang=\"%s\">%s</a></div></header>\n"
		    "<main id=\"contenu\" class=\"narrow public-survey\">\n",
		    en ? "en-CA" : "fr-CA", title, static_url("style.css"), title, en ? "fr" : "en",
		    en ? "fr" : "en", en ? "Français" : "English");
	view_form_error_note(req, resp);
}

static void public_end(struct request *req, struct response *resp)
{
	html_printf(&resp->body,
		    "</main>\n<footer class=\"bottom\"><p>%s</p></footer>\n"
		    "</body>\n</html>\n",
		    TR(req, "Ce sondage est anonyme : aucune information qui vous identifie "
			    "n'est enregistrée (ni nom, ni adresse IP, ni témoin de suivi)."));
}

/* This thread's database into *dbp (not owned; PERR_UNAVAILABLE without
 * it) and the project of the route's token, or a 404. */
static enum perr public_project(struct request *req, struct db **dbp, struct project *p)
{
	*dbp = db_thread();
	struct db *db = *dbp;
	if (!db)
		return PERR_UNAVAILABLE;
	int r = project_get_by_token(db, req->arena, req_param(req, "token"), p);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0) {
		req->err_message = N_("Ce lien de sondage n'existe pas ou a été remplacé.");
		return PERR_NOT_FOUND;
	}
	return PERR_OK;
}

/* The 410 page of a project that takes no answers today (st says why). */
static void public_closed(struct request *req, struct response *resp, const struct project *p,
			  enum project_state st)
{
	resp->status = http_status(PERR_GONE);
	public_begin(req, resp, TR(req, "Sondage fermé"));
	html_printf(&resp->body,
		    "<section class=\"panel\" role=\"alert\"><h1>%s</h1><p>%s %s.</p>"
		    "</section>\n",
		    st == PROJECT_NOT_STARTED ? TR(req, "Ce sondage n'est pas encore ouvert.")
					      : TR(req, "Ce sondage est fermé."),
		    st == PROJECT_NOT_STARTED ? TR(req, "Le projet commence le")
					      : TR(req, "Le projet a pris fin le"),
		    fmt_date_long(req, st == PROJECT_NOT_STARTED ? p->start_date : p->end_date));
	public_end(req, resp);
}

static void public_form(struct request *req, struct response *resp, const struct project *p,
			const struct survey_answer *a, const struct validation *v)
{
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	public_begin(req, resp, TR(req, "Votre avis compte"));
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s <strong>%s</strong>. %s</p>\n",
		    TR(req, "Votre avis compte"), TR(req, "Quelques questions sur le projet"),
		    p->name,
		    TR(req, "Touchez une note de 1 (pas du tout) à 5 (tout à fait) pour chaque "
			    "question. C'est anonyme."));
	fw_error_summary(&f, TR(req, "Vérifiez ces réponses :"));
	html_printf(o,
		    "<form method=\"post\" action=\"/s/%U?lang=%U\" class=\"survey-form\" "
		    "novalidate>\n",
		    p->survey_token, req->lang);
	form_csrf_field(req, resp);
	score_fields(&f, SURVEY_FAMILLE, a);
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">%s"
		    "</button></div>\n</form>\n",
		    TR(req, "Envoyer"));
	public_end(req, resp);
}

enum perr view_public_survey(struct request *req, struct response *resp)
{
	struct db *db;
	struct project p = {0};
	enum perr e = public_project(req, &db, &p);
	if (e != PERR_OK)
		return e;
	enum project_state st = project_state_on(&p, form_today(req));
	if (st != PROJECT_OPEN)
		public_closed(req, resp, &p, st);
	else
		public_form(req, resp, &p, NULL, NULL);
	return PERR_OK;
}

/* A family's posted answer on the public form, shown again when refused. */
struct posted_public {
	struct project p;
	struct survey_answer a;
	struct validation v;
};

/* Draws the public form again (view_form_posted). */
static enum perr draw_public(struct request *req, struct response *resp, void *form)
{
	struct posted_public *pp = form;
	public_form(req, resp, &pp->p, &pp->a, &pp->v);
	return PERR_OK;
}

enum perr view_public_survey_submit(struct request *req, struct response *resp)
{
	struct db *db;
	struct project p = {0};
	enum perr e = public_project(req, &db, &p);
	if (e != PERR_OK)
		return e;
	const char *today = form_today(req);
	enum project_state st = project_state_on(&p, today);
	if (st != PROJECT_OPEN) {
		public_closed(req, resp, &p, st);
		return PERR_OK;
	}
	/* Only the scores are read: nothing about the request (address,
	 * agent, cookies, signed-in person) goes into the answer. */
	struct posted_public *pp = arena_calloc(req->arena, 1, sizeof(*pp));
	pp->p = p;
	pp->a = (struct survey_answer){.type = SURVEY_FAMILLE, .project_id = p.id, .date = today};
	read_scores(req, SURVEY_FAMILLE, &pp->a);
	view_form_posted(req, draw_public, pp);
	int r = survey_save_famille(db, req->arena, &pp->a, p.territory_id, &pp->v, NULL);
	if (r != 0)
		return r < 0 ? PERR_UNAVAILABLE : PERR_UNPROCESSABLE;
	log_info("survey.answer", "type=famille source=lien");
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/s/%s/merci?lang=%s", p.survey_token, req->lang));
	return PERR_OK;
}

enum perr view_public_survey_thanks(struct request *req, struct response *resp)
{
	struct db *db;
	struct project p = {0};
	enum perr e = public_project(req, &db, &p);
	if (e != PERR_OK)
		return e;
	public_begin(req, resp, TR(req, "Merci !"));
	html_printf(&resp->body,
		    "<section class=\"panel\" role=\"status\"><h1>%s</h1><p>%s</p>"
		    "</section>\n",
		    TR(req, "Merci !"),
		    TR(req,
		       "Vos réponses ont été reçues. Elles aideront les organismes du projet à "
		       "mieux travailler ensemble. Vous pouvez fermer cette page."));
	public_end(req, resp);
	return PERR_OK;
}
