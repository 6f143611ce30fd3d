/* Service gaps (trous de service):
 *   GET      /trous            grouped by need, with counts and populations;
 *                              the comité links a gap to a corridor/project
 *   GET/POST /trous/nouveau    report a need no service answers (PAP, manager)
 *   POST     /trous/:id/lier   the comité's link (corridor, project)
 * What each role sees is the model's (model/service_gap.h): descriptions
 * only to the author and their managers. */
#include "views/service_gaps.h"

#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/journal_week.h"
#include "model/refdata.h"
#include "model/service_gap.h"
#include "http/offline.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/reflabel.h"
#include "views/widgets.h"
#include "views/replay.h"
#include "views/view.h"

/* The frequency codes' labels (model/service_gap.h). */
static const struct ref_item frequencies[] = {
	{"unique", N_("Une seule fois jusqu'ici"), NULL, false},
	{"occasionnel", N_("Quelques fois par année"), NULL, false},
	{"mensuel", N_("Environ chaque mois"), NULL, false},
	{"hebdomadaire", N_("Chaque semaine ou plus"), NULL, false},
};

static bool reports_gaps(const struct actor *a)
{
	return actor_keeps_journal(a);
}

static bool sees_gaps(const struct actor *a)
{
	return a && (reports_gaps(a) || (a->role == ROLE_COMITE && a->territory_id) ||
		     a->role == ROLE_ANALYSTE);
}

/* The comité's link form for one gap. */
static void link_form(struct request *req, struct response *resp, const struct service_gap *g,
		      const struct service_gap_named *c, size_t nc,
		      const struct service_gap_named *p, size_t np)
{
	struct buf *o = &resp->body;
	html_printf(o, "<form method=\"post\" action=\"/trous/%lld/lier\" class=\"stack\">\n",
		    (long long)g->id);
	form_csrf_field(req, resp);
	const struct {
		const char *name, *label;
		const struct service_gap_named *v;
		size_t n;
		int64_t sel;
	} parts[] = {
		{"corridor", TR(req, "Corridor qui y répond"), c, nc, g->corridor_id},
		{"project", TR(req, "Projet qui y répond"), p, np, g->project_id},
	};
	for (size_t k = 0; k < ARRAY_LEN(parts); k++) {
		html_printf(o,
			    "<label for=\"f-%s-%lld\">%s</label><select id=\"f-%s-%lld\" "
			    "name=\"%s\"><option value=\"\">%s</option>",
			    parts[k].name, (long long)g->id, parts[k].label, parts[k].name,
			    (long long)g->id, parts[k].name, TR(req, "— Aucun —"));
		for (size_t i = 0; i < parts[k].n; i++)
			html_printf(o, "<option value=\"%lld\"%R>%s</option>",
				    (long long)parts[k].v[i].id,
				    parts[k].v[i].id == parts[k].sel ? " selected" : "",
				    parts[k].v[i].name);
		html_printf(o, "</select>\n");
	}
	html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form>\n",
		    TR(req, "Lier"));
}

enum perr view_service_gaps(struct request *req, struct response *resp)
{
	const struct actor *a = req->actor;
	const char *title = TR(req, "Trous de service");
	enum perr e;
	struct db *db = view_open_page_db(req, resp, sees_gaps(a), title, &e);
	if (!db)
		return e;
	struct service_gap *gaps;
	size_t n;
	if (service_gap_list(db, req->arena, a, NULL, NULL, &gaps, &n) < 0)
		return PERR_UNAVAILABLE;
	struct service_gap_group *groups;
	size_t ng;
	service_gap_group_by_need(req->arena, gaps, n, &groups, &ng);
	struct ref_item *needs, *pops;
	size_t nneeds, npops;
	if (refdata_list(db, req->arena, REF_NEED, a->organisation_id, &needs, &nneeds) < 0 ||
	    refdata_list(db, req->arena, REF_POPULATION, a->organisation_id, &pops, &npops) < 0)
		return PERR_UNAVAILABLE;
	bool comite = a->role == ROLE_COMITE;
	struct service_gap_named *cor = NULL, *prj = NULL;
	size_t nc = 0, np = 0;

	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", title,
		    TR(req, "Des besoins rencontrés sur le terrain auxquels aucun service du "
			    "territoire ne répond, regroupés par besoin."));
	const char *ok = req_query(req, "ok");
	if (ok && strcmp(ok, "cree") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Trou de service signalé."));
	else if (ok && strcmp(ok, "lie") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Lien enregistré."));
	if (reports_gaps(a))
		html_printf(o,
			    "<p class=\"actions\"><a class=\"button primary\" "
			    "href=\"/trous/nouveau\">%s</a></p>\n",
			    TR(req, "+ Signaler un trou de service"));
	if (!ng)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun trou de service signalé."));
	for (size_t k = 0; k < ng; k++) {
		const struct service_gap_group *g = &groups[k];
		html_printf(o,
			    "<section class=\"panel gap-group\"><h2>%s <span class=\"tag\">%lld"
			    "</span></h2>\n<p class=\"hint\">",
			    ref_lookup(req, needs, nneeds, g->need), (long long)g->count);
		for (size_t i = 0; i < g->n_populations; i++)
			html_printf(
				o, "%s%s%s%lld", i ? " · " : "",
				g->populations[i].population
					? ref_lookup(req, pops, npops, g->populations[i].population)
					: TR(req, "population non précisée"),
				TR(req, " : "), (long long)g->populations[i].count);
		html_printf(o, "</p>\n");
		if (a->role == ROLE_ANALYSTE) {
			html_printf(o, "</section>\n");
			continue;
		}
		html_printf(o, "<ul class=\"entries\">\n");
		for (size_t i = 0; i < g->n_gaps; i++) {
			const struct service_gap *x = g->gaps[i];
			html_printf(o,
				    "<li class=\"entry\" id=\"g-%lld\"><p class=\"entry-head\">%s",
				    (long long)x->id, fmt_date_medium(req, x->date));
			if (x->frequency)
				html_printf(o, "<span class=\"entry-when\">%s</span>",
					    ref_lookup(req, frequencies, ARRAY_LEN(frequencies),
						       x->frequency));
			html_printf(o, "</p>\n");
			if (x->population)
				html_printf(o, "<p class=\"entry-meta\">%s</p>\n",
					    ref_lookup(req, pops, npops, x->population));
			if (x->description)
				html_printf(o, "<p class=\"entry-note\">%s</p>\n", x->description);
			if (comite) {
				/* Corridors and projects of this gap's territory. */
				if (service_gap_answers(db, req->arena, x->territory_id, &cor, &nc,
							&prj, &np) < 0)
					return PERR_UNAVAILABLE;
				link_form(req, resp, x, cor, nc, prj, np);
			} else if (x->corridor_id || x->project_id) {
				html_printf(o, "<p class=\"entry-meta\">%s</p>\n",
					    TR(req, "Le comité y a lié une réponse."));
			}
			html_printf(o, "</li>\n");
		}
		html_printf(o, "</ul></section>\n");
	}
	view_end(req, resp);
	return PERR_OK;
}

struct gap_form {
	struct service_gap g;
	struct validation v;
	bool raw;
};

static enum perr render_form(struct request *req, struct response *resp, struct db *db,
			     struct gap_form *gf)
{
	struct arena *ar = req->arena;
	struct ref_item *needs, *pops;
	size_t nneeds, npops;
	struct journal_named *ts;
	size_t nt;
	if (refdata_list(db, ar, REF_NEED, req->actor->organisation_id, &needs, &nneeds) < 0 ||
	    refdata_list(db, ar, REF_POPULATION, req->actor->organisation_id, &pops, &npops) < 0 ||
	    journal_territories(db, ar, req->actor->organisation_id, req->actor->territory_id, &ts,
				&nt) < 0)
		return PERR_UNAVAILABLE;
	struct fw f = {.req = req, .out = &resp->body, .v = &gf->v};
	struct buf *o = &resp->body;
	const char *title = TR(req, "Signaler un trou de service");
	view_begin(req, resp, title);
	html_printf(o,
		    "<p class=\"crumbs\"><a href=\"/trous\">← %s</a></p>\n<h1>%s</h1>\n"
		    "<p class=\"lead\">%s</p>\n",
		    TR(req, "Trous de service"), title,
		    TR(req, "Un besoin que vous rencontrez et auquel aucun service du territoire "
			    "ne répond."));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"/trous/nouveau\" class=\"activity-form\" "
		       "data-outbox=\"gap\" novalidate>\n");
	form_csrf_field(req, resp);
	fw_input(&f, "date", "date", TR(req, "Date"), gf->g.date, NULL);
	fw_select(&f, "need", TR(req, "Besoin sans réponse"), needs, nneeds, gf->g.need,
		  TR(req, "— Choisir —"));
	fw_select(&f, "population", TR(req, "Population concernée"), pops, npops, gf->g.population,
		  TR(req, "— Non précisée —"));
	fw_select(&f, "frequency", TR(req, "À quelle fréquence le rencontrez-vous ?"), frequencies,
		  ARRAY_LEN(frequencies), gf->g.frequency, TR(req, "— Non précisée —"));
	struct ref_item *ti = arena_calloc(ar, nt ? nt : 1, sizeof(*ti));
	for (size_t i = 0; i < nt; i++) {
		ti[i].code = arena_printf(ar, "%lld", (long long)ts[i].id);
		ti[i].label_fr = ti[i].label_en = ts[i].name;
	}
	fw_select(&f, "territory", TR(req, "Territoire"), ti, nt,
		  gf->g.territory_id ? arena_printf(ar, "%lld", (long long)gf->g.territory_id)
				     : NULL,
		  TR(req, "— Choisir —"));
	html_printf(o,
		    "<div class=\"field\"><label for=\"f-description\">%s</label>"
		    "<p class=\"hint\" id=\"h-f-description\">%s</p>\n",
		    TR(req, "Description"),
		    TR(req, "Ce qui manque, sans nom ni détail qui identifie quelqu'un. Seule "
			    "votre organisation la lit ; le comité voit les comptes."));
	fw_error_text(&f, "description");
	html_printf(o, "<textarea id=\"f-description\" name=\"description\" rows=\"4\" "
		       "maxlength=\"2000\" aria-describedby=\"h-f-description\">");
	html_printf(o, "%s</textarea></div>\n", gf->g.description ? gf->g.description : "");
	form_submit_bar(req, o, TR(req, "Signaler"), "/trous");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_service_gap_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, reports_gaps(req->actor),
					  TR(req, "Signaler un trou de service"), &e);
	if (!db)
		return e;
	offline_keep(req, resp);
	struct gap_form gf = {0};
	char *today = arena_alloc(req->arena, 11);
	journal_today(today);
	gf.g.date = today;
	gf.g.territory_id = req->actor->territory_id;
	return render_form(req, resp, db, &gf);
}

/* Reads the posted form into g (the author is the actor). */
static void read_form(struct request *req, struct service_gap *g)
{
	g->author_id = req->actor->person_id;
	g->date = form_trimmed(req, "date");
	g->need = form_trimmed(req, "need");
	g->population = form_trimmed(req, "population");
	g->frequency = form_trimmed(req, "frequency");
	g->description = form_trimmed(req, "description");
	const char *t = form_trimmed(req, "territory");
	if (!t || parse_i64(t, 1, INT64_MAX, &g->territory_id) < 0)
		g->territory_id = t ? 0 : req->actor->territory_id;
}

/* Validates and saves gf->g in the caller's transaction: 1 form errors
 * (nothing written), 0 saved, -1 error. */
static int validate_save(struct request *req, struct db *db, struct gap_form *gf)
{
	int r = service_gap_validate(db, req->actor, &gf->g, &gf->v);
	if (gf->v.n)
		return 1;
	return r < 0 || service_gap_save(db, req->arena, &gf->g) < 0 ? -1 : 0;
}

/* Draws the posted form again (view_form_posted). */
static enum perr draw_posted(struct request *req, struct response *resp, void *form)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	return render_form(req, resp, db, form);
}

enum perr view_service_gap_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(reports_gaps(req->actor), &e);
	if (!db)
		return e;
	struct gap_form *gf = arena_calloc(req->arena, 1, sizeof(*gf));
	read_form(req, &gf->g);
	view_form_posted(req, draw_posted, gf);
	int r = validate_save(req, db, gf);
	if (r != 0)
		return r > 0 ? PERR_UNPROCESSABLE : PERR_UNAVAILABLE;
	log_info("service_gap.create", "gap=%lld by=%lld", (long long)gf->g.id,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena, "/trous?ok=cree");
	return PERR_OK;
}

enum perr service_gap_replay_new(struct request *req, struct db *db, struct replay *rp)
{
	if (!reports_gaps(req->actor))
		return PERR_NOT_FOUND;
	struct gap_form gf = {0};
	read_form(req, &gf.g);
	gf.g.ext_id = rp->key;
	int r = validate_save(req, db, &gf);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0) {
		rp->v = gf.v;
		return PERR_OK;
	}
	log_info("service_gap.sync", "gap=%lld by=%lld", (long long)gf.g.id,
		 (long long)req->actor->person_id);
	rp->ext_id = gf.g.ext_id;
	rp->location = "/trous?ok=cree";
	return PERR_OK;
}

enum perr view_service_gap_link(struct request *req, struct response *resp)
{
	int64_t id = view_param_id(req);
	enum perr e;
	struct db *db = view_open_db(id && req->actor->role == ROLE_COMITE, &e);
	if (!db)
		return e;
	int64_t ids[2] = {0, 0};
	const char *names[2] = {"corridor", "project"};
	for (int k = 0; k < 2; k++) {
		const char *s = form_trimmed(req, names[k]);
		if (s && parse_i64(s, 1, INT64_MAX, &ids[k]) < 0)
			ids[k] = -1;
	}
	struct validation v = {0};
	if (ids[0] < 0 || ids[1] < 0) {
		req->err_field = ids[0] < 0 ? "corridor" : "project";
		req->err_message = N_("Cette valeur ne fait pas partie de la liste.");
		return PERR_INVALID;
	}
	int r = service_gap_link(db, req->actor, id, ids[0], ids[1], &v);
	if (r == 1)
		return PERR_NOT_FOUND;
	if (r == 2) {
		req->err_field = v.errs[0].field;
		req->err_message = v.errs[0].message;
		return PERR_UNPROCESSABLE;
	}
	if (r != 0)
		return PERR_UNAVAILABLE;
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/trous?ok=lie#g-%lld", (long long)id));
	return PERR_OK;
}
