/* Arrimage project pages (see views/projects.h for the routes). Reading:
 * everyone of the territory (model/project.h); writing: the committee of
 * the project's territory and administrators. Anything not visible is a
 * 404. Family-survey results are aggregates, hidden under the small-cell
 * threshold by the model. */
#include "views/projects.h"

#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/journal_week.h"
#include "model/project.h"
#include "model/survey.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/widgets.h"
#include "views/surveys.h"

static void fact(struct buf *o, const char *label, const char *value)
{
	html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", label, value);
}

static const char *state_label(struct request *req, enum project_state st)
{
	switch (st) {
	case PROJECT_NOT_STARTED: return TR(req, "À venir");
	case PROJECT_ENDED: return TR(req, "Terminé");
	default: return TR(req, "En cours");
	}
}

enum perr view_projects(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct project *v;
	size_t n;
	if (project_list(db, req->arena, req->actor, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	const char *today = form_today(req);
	struct buf *o = &resp->body;
	view_begin(req, resp, TR(req, "Projets d'arrimage"));
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", TR(req, "Projets d'arrimage"),
		    TR(req, "Les projets territoriaux qui coordonnent les stratégies de proximité "
			    "des organisations partenaires."));
	if (project_can_create(req->actor))
		html_printf(o,
			    "<p class=\"actions\"><a class=\"button primary\" "
			    "href=\"/projets/nouveau\">%s</a></p>\n",
			    TR(req, "+ Nouveau projet"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun projet d'arrimage sur votre territoire."));
	else
		html_printf(o, "<ul class=\"families projects\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct project *p = &v[i];
		html_printf(o,
			    "<li class=\"family\"><a href=\"/projets/%lld\"><strong>%s</strong></a>"
			    "<span>%s</span><span>%s %s</span><span class=\"tag\">%s</span></li>\n",
			    (long long)p->id, p->name, p->territory_name, TR(req, "Début :"),
			    fmt_date_medium(req, p->start_date),
			    state_label(req, project_state_on(p, today)));
	}
	if (n)
		html_printf(o, "</ul>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* ---- The form. */

struct proj_form {
	struct project p;
	struct validation v;
	bool posted; /* values come from the request */
};

static enum perr project_form(struct request *req, struct response *resp, struct db *db,
			      struct proj_form *pf)
{
	struct project_org *orgs, *terrs;
	size_t norgs, nterrs;
	if (project_organisations(db, req->arena, &orgs, &norgs) < 0 ||
	    project_territories(db, req->arena, &terrs, &nterrs) < 0)
		return PERR_UNAVAILABLE;
	struct project *p = &pf->p;
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = &pf->v};
	bool editing = p->id > 0;
	const char *title = editing ? TR(req, "Modifier le projet") : TR(req, "Nouveau projet");
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/projets\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Projets d'arrimage"), title);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	if (editing)
		html_printf(o,
			    "<form method=\"post\" action=\"/projets/%lld/modifier\" "
			    "class=\"project-form\" novalidate>\n",
			    (long long)p->id);
	else
		html_printf(o, "<form method=\"post\" action=\"/projets/nouveau\" "
			       "class=\"project-form\" novalidate>\n");
	form_csrf_field(req, resp);
	fw_input(&f, "text", "name", TR(req, "Nom du projet"), p->name, NULL);
	/* Territory: a committee works on its own; an administrator picks. */
	struct ref_item *ti = arena_alloc(req->arena, (nterrs ? nterrs : 1) * sizeof(*ti));
	size_t nti = 0;
	for (size_t i = 0; i < nterrs; i++)
		if (req->actor->role == ROLE_ADMIN || terrs[i].id == req->actor->territory_id)
			ti[nti++] = (struct ref_item){
				arena_printf(req->arena, "%lld", (long long)terrs[i].id),
				terrs[i].name, terrs[i].name, false};
	fw_select(&f, "territory", TR(req, "Territoire"), ti, nti,
		  p->territory_id ? arena_printf(req->arena, "%lld", (long long)p->territory_id)
				  : NULL,
		  TR(req, "— Choisir —"));
	fw_input(&f, "date", "start", TR(req, "Début"), p->start_date, NULL);
	fw_input(&f, "date", "end", TR(req, "Fin (facultatif)"), p->end_date,
		 TR(req, "Après cette date, le lien du sondage des familles est fermé."));
	const char *gid = fw_id(req->arena, "goals");
	html_printf(o, "<div class=\"field\"><label for=\"%s\">%s</label>\n", gid,
		    TR(req, "Objectifs"));
	fw_error_text(&f, "goals");
	html_printf(o, "<textarea id=\"%s\" name=\"goals\" rows=\"5\">%s</textarea></div>\n", gid,
		    p->goals ? p->goals : "");
	fw_number(&f, "families_count", TR(req, "Familles rejointes par le projet"),
		  p->has_families ? arena_printf(req->arena, "%lld", (long long)p->families_count)
				  : "",
		  1, 1000000);
	struct ref_item *oi = arena_alloc(req->arena, (norgs ? norgs : 1) * sizeof(*oi));
	struct strlist sel = {arena_alloc(req->arena, (p->norgs ? p->norgs : 1) * sizeof(char *)),
			      0};
	for (size_t i = 0; i < norgs; i++) {
		const char *code = arena_printf(req->arena, "%lld", (long long)orgs[i].id);
		oi[i] = (struct ref_item){code, orgs[i].name, orgs[i].name, false};
		for (size_t j = 0; j < p->norgs; j++)
			if (p->orgs[j].id == orgs[i].id && sel.n < p->norgs)
				sel.v[sel.n++] = code;
	}
	fw_checks(&f, "organisations", TR(req, "Organisations partenaires"), oi, norgs, &sel);
	form_submit_bar(req, o, TR(req, "Enregistrer"),
			editing ? arena_printf(req->arena, "/projets/%lld", (long long)p->id)
				: "/projets");
	view_end(req, resp);
	return PERR_OK;
}

/* Reads the posted fields into pf->p (keeping its id and ext_id). */
static void read_posted(struct request *req, struct proj_form *pf)
{
	struct project *p = &pf->p;
	pf->posted = true;
	p->name = form_trimmed(req, "name");
	p->start_date = form_trimmed(req, "start");
	p->end_date = form_trimmed(req, "end");
	p->goals = form_trimmed(req, "goals");
	const char *t = req_form(req, "territory");
	p->territory_id = 0;
	if (t && parse_i64(t, 1, INT64_MAX, &p->territory_id) < 0)
		p->territory_id = 0;
	const char *fc = form_trimmed(req, "families_count");
	p->has_families = fc != NULL;
	p->families_count = 0;
	if (fc && parse_i64(fc, 0, 1000000, &p->families_count) < 0)
		validation_add(&pf->v, "families_count",
			       N_("Entrez un nombre de familles entre 0 et 1 000 000."));
	struct strlist sel = {0};
	form_values(req, "organisations", &sel);
	p->orgs = arena_alloc(req->arena, (sel.n ? sel.n : 1) * sizeof(*p->orgs));
	p->norgs = 0;
	for (size_t i = 0; i < sel.n; i++) {
		int64_t id;
		if (parse_i64(sel.v[i], 1, INT64_MAX, &id) == 0)
			p->orgs[p->norgs++] = (struct project_org){.id = id};
		else
			validation_add(&pf->v, "organisations",
				       N_("Cette organisation n'existe pas."));
	}
}

/* Draws the posted project form again (view_form_posted). */
static enum perr draw_posted(struct request *req, struct response *resp, void *form)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	return project_form(req, resp, db, form);
}

/* Validates and saves pf->p (pf: arena memory) in the request's write
 * unit; refused values and failed writes show the form again
 * (view_form_posted). */
static enum perr save_posted(struct request *req, struct response *resp, struct db *db,
			     struct proj_form *pf)
{
	view_form_posted(req, draw_posted, pf);
	int r = project_validate(db, req->actor, &pf->p, &pf->v);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (pf->v.n)
		return PERR_UNPROCESSABLE;
	if (project_save(db, req->arena, &pf->p) < 0)
		return PERR_INTERNAL;
	log_info("project.save", "project=%lld by=%lld", (long long)pf->p.id,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/projets/%lld?ok=enregistre", (long long)pf->p.id));
	return PERR_OK;
}

enum perr view_project_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(project_can_create(req->actor), &e);
	if (!db)
		return e;
	struct proj_form pf = {0};
	pf.p.territory_id = req->actor->territory_id;
	pf.p.start_date = form_today(req);
	return project_form(req, resp, db, &pf);
}

enum perr view_project_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(project_can_create(req->actor), &e);
	if (!db)
		return e;
	struct proj_form *pf = arena_calloc(req->arena, 1, sizeof(*pf));
	read_posted(req, pf);
	return save_posted(req, resp, db, pf);
}

/* This thread's database into *dbp (not owned; PERR_UNAVAILABLE without
 * it) and the project of the route's :id that the actor may see, or a
 * 404. */
static enum perr load_project(struct request *req, struct db **dbp, struct project *p)
{
	*dbp = db_thread();
	struct db *db = *dbp;
	if (!db)
		return PERR_UNAVAILABLE;
	int64_t id = view_param_id(req);
	if (!id)
		return PERR_NOT_FOUND;
	return perr_found(project_get(db, req->arena, req->actor, id, p));
}

/* The survey link as the person will print it: the origin of this
 * request (its Host header when it looks like a host name) + /s/TOKEN. */
static const char *survey_url(struct request *req, const char *token)
{
	const char *host = req_header(req, "Host");
	bool ok = host && *host && strlen(host) < 200;
	for (const char *c = host; ok && *c; c++)
		ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		     (*c >= '0' && *c <= '9') || strchr(".-:[]", *c);
	if (!ok)
		return arena_printf(req->arena, "/s/%s", token);
	return arena_printf(req->arena, "%s://%s/s/%s", req->secure ? "https" : "http", host,
			    token);
}

/* The project's family survey: the link to hand out, a form to make a new
 * one (can_edit), and the answers so far (agg). */
static void project_survey_panel(struct request *req, struct response *resp,
				 const struct project *p, bool can_edit,
				 const struct survey_aggregate *agg)
{
	struct buf *o = &resp->body;
	html_printf(o, "<section class=\"panel\" id=\"sondage\"><h2>%s</h2>\n",
		    TR(req, "Sondage des familles"));
	if (p->survey_token) {
		const char *url = survey_url(req, p->survey_token);
		html_printf(o,
			    "<p>%s</p>\n<p class=\"survey-link\"><strong><a href=\"/s/%U\">%s</a>"
			    "</strong></p>\n<p class=\"hint\">%s</p>\n",
			    TR(req, "Lien à imprimer ou à transmettre aux familles (sans compte, "
				    "anonyme, en français ou en anglais) :"),
			    p->survey_token, url,
			    TR(req, "Les familles sans téléphone peuvent remplir le formulaire "
				    "papier ; une PAP le saisit ensuite dans Sondages."));
	}
	if (can_edit) {
		html_printf(
			o,
			"<form method=\"post\" action=\"/projets/%lld/jeton\" class=\"stack\">\n",
			(long long)p->id);
		form_csrf_field(req, resp);
		html_printf(o,
			    "<button type=\"submit\" class=\"button\">%s</button>"
			    "<p class=\"hint\">%s</p></form>\n",
			    TR(req, "Créer un nouveau lien"),
			    TR(req, "L'ancien lien cessera de fonctionner (p-> ex. s'il a circulé "
				    "hors du projet)."));
	}
	html_printf(o, "<h3>%s</h3>\n", TR(req, "Résultats (depuis le début du projet)"));
	view_survey_aggregate(req, resp, SURVEY_FAMILLE, agg);
	html_printf(o, "</section>\n");
}

enum perr view_project_show(struct request *req, struct response *resp)
{
	struct db *db;
	struct project p = {0};
	enum perr e = load_project(req, &db, &p);
	if (e != PERR_OK)
		return e;
	const char *today = form_today(req);
	const char *to = p.end_date && strcmp(p.end_date, today) < 0 ? p.end_date : today;
	struct survey_aggregate agg;
	struct project_story *stories;
	size_t nstories;
	if (survey_family_aggregate(db, req->arena, p.id, p.start_date, to, &agg) < 0 ||
	    project_stories(db, req->arena, p.id, &stories, &nstories) < 0)
		return PERR_UNAVAILABLE;
	bool can_edit = project_can_edit(req->actor, &p);
	struct buf *o = &resp->body;
	view_begin(req, resp, p.name);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/projets\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Projets d'arrimage"), p.name);
	const char *ok = req_query(req, "ok");
	if (ok && strcmp(ok, "enregistre") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Projet enregistré."));
	else if (ok && strcmp(ok, "jeton") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Nouveau lien créé : l'ancien lien ne fonctionne plus."));
	if (can_edit)
		html_printf(
			o,
			"<p class=\"actions\"><a class=\"button\" href=\"/projets/%lld/modifier\">"
			"%s</a></p>\n",
			(long long)p.id, TR(req, "Modifier"));

	html_printf(o,
		    "<div class=\"cols\"><section class=\"panel\"><h2>%s</h2>"
		    "<dl class=\"facts\">\n",
		    TR(req, "Projet"));
	fact(o, TR(req, "Territoire"), p.territory_name);
	fact(o, TR(req, "Début"), fmt_date_long(req, p.start_date));
	fact(o, TR(req, "Fin"), p.end_date ? fmt_date_long(req, p.end_date) : "—");
	fact(o, TR(req, "État"), state_label(req, project_state_on(&p, today)));
	fact(o, TR(req, "Familles rejointes"),
	     p.has_families ? arena_printf(req->arena, "%lld", (long long)p.families_count) : "—");
	html_printf(o, "</dl></section>\n<section class=\"panel\"><h2>%s</h2>\n",
		    TR(req, "Organisations partenaires"));
	if (!p.norgs)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune organisation inscrite."));
	else
		html_printf(o, "<ul>\n");
	for (size_t i = 0; i < p.norgs; i++)
		html_printf(o, "<li>%s</li>\n", p.orgs[i].name);
	if (p.norgs)
		html_printf(o, "</ul>\n");
	html_printf(o, "</section></div>\n");
	if (p.goals)
		html_printf(o,
			    "<section class=\"panel\"><h2>%s</h2><p class=\"entry-note\">%s</p>"
			    "</section>\n",
			    TR(req, "Objectifs"), p.goals);

	project_survey_panel(req, resp, &p, can_edit, &agg);
	html_printf(o, "<section class=\"panel\"><h2>%s</h2>\n", TR(req, "Récits liés"));
	if (!nstories)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun récit n'est lié à ce projet."));
	else
		html_printf(o, "<ul class=\"stories\">\n");
	for (size_t i = 0; i < nstories; i++) {
		html_printf(o, "<li><span class=\"entry-when\">%s</span>%R ",
			    fmt_date_medium(req, stories[i].date),
			    stories[i].selected ? " <span class=\"tag\">★</span>" : "");
		if (stories[i].text)
			html_printf(o, "<blockquote>%s</blockquote></li>\n", stories[i].text);
		else
			html_printf(o, "<em>%s</em></li>\n",
				    TR(req, "Récit sans consentement de citation : le texte n'est "
					    "pas affiché."));
	}
	if (nstories)
		html_printf(o, "</ul>\n");
	html_printf(o, "</section>\n");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_project_edit(struct request *req, struct response *resp)
{
	struct db *db;
	struct proj_form pf = {0};
	enum perr e = load_project(req, &db, &pf.p);
	if (e != PERR_OK)
		return e;
	if (!project_can_edit(req->actor, &pf.p))
		return PERR_NOT_FOUND;
	return project_form(req, resp, db, &pf);
}

enum perr view_project_update(struct request *req, struct response *resp)
{
	struct db *db;
	struct proj_form *pf = arena_calloc(req->arena, 1, sizeof(*pf));
	enum perr e = load_project(req, &db, &pf->p);
	if (e != PERR_OK)
		return e;
	if (!project_can_edit(req->actor, &pf->p))
		return PERR_NOT_FOUND;
	read_posted(req, pf);
	return save_posted(req, resp, db, pf);
}

enum perr view_project_token(struct request *req, struct response *resp)
{
	struct db *db;
	struct project p = {0};
	enum perr e = load_project(req, &db, &p);
	if (e != PERR_OK)
		return e;
	if (!project_can_edit(req->actor, &p))
		return PERR_NOT_FOUND;
	if (project_regenerate_token(db, req->arena, &p) < 0)
		return PERR_INTERNAL;
	log_info("project.token", "project=%lld by=%lld", (long long)p.id,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/projets/%lld?ok=jeton#sondage", (long long)p.id));
	return PERR_OK;
}
