/* Positions over time, with the hand-over:
 *   GET      /equipe/postes                   positions (manager: own organisation; admin: all)
 *   GET/POST /equipe/postes/nouveau           open a position
 *   GET      /equipe/postes/:id               holders over time, the leave / hand-over form
 *   POST     /equipe/postes/:id/titulaire     assign, change or end the holder, close
 * Visibility is the model's (model/position.h): anything not visible is a
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
#include "views/widgets.h"
#include "views/team_internal.h"

static const struct ref_item leave_actions[] = {
	{"changer", N_("Changer de titulaire"), NULL, false},
	{"terminer", N_("Fin de la période (poste vacant)"), NULL, false},
	{"fermer", N_("Fermer le poste"), NULL, false},
};

static void holder_line(struct request *req, struct buf *o, const struct position *p)
{
	const struct holder_period *cur = position_current(p);
	if (p->end)
		html_printf(o, "<span class=\"tag\">%s %s</span>", TR(req, "Fermé le"),
			    fmt_date_medium(req, p->end));
	else if (cur)
		html_printf(o, "<span>%s %s %s</span>", cur->person_name, TR(req, "depuis le"),
			    fmt_date_medium(req, cur->from));
	else
		html_printf(o, "<span class=\"tag warn\">%s</span>", TR(req, "Vacant"));
}

enum perr view_positions(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(position_can_manage(req->actor), &e);
	if (!db)
		return e;
	struct position *v;
	size_t n;
	if (position_list(db, req->arena, req->actor, false, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	const char *title = TR(req, "Postes de PAP");
	view_begin(req, resp, title);
	if (team_is_manager(req->actor))
		html_printf(o, "<p class=\"crumbs\"><a href=\"/equipe\">← %s</a></p>\n",
			    TR(req, "Équipe"));
	html_printf(o,
		    "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n<p class=\"actions\"><a "
		    "class=\"button primary\" href=\"/equipe/postes/nouveau\">%s</a></p>\n",
		    title,
		    TR(req, "Un poste a des dates, un mandat et des titulaires successifs ; le "
			    "roulement et l'effectif se calculent à partir de ces dates."),
		    TR(req, "+ Ouvrir un poste"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucun poste."));
	else
		html_printf(o, "<ul class=\"families\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(o,
			    "<li class=\"family\"><a href=\"/equipe/postes/%lld\"><strong>%s — "
			    "%s</strong></a>",
			    (long long)v[i].id, v[i].organisation_name, v[i].territory_name);
		html_printf(o, "<span>%s %s</span>", TR(req, "Ouvert le"),
			    fmt_date_medium(req, v[i].start));
		holder_line(req, o, &v[i]);
		html_printf(o, "</li>\n");
	}
	if (n)
		html_printf(o, "</ul>\n");
	view_end(req, resp);
	return PERR_OK;
}

struct pos_lists {
	struct ref_item *orgs, *terrs, *pops, *types, *comps;
	size_t norgs, nterrs, npops, ntypes, ncomps;
};

/* Reference items (code: the id) of (id, name) places. */
static struct ref_item *place_items(struct arena *ar, const struct position_place *v, size_t n)
{
	struct ref_item *it = arena_calloc(ar, n ? n : 1, sizeof(*it));
	for (size_t i = 0; i < n; i++)
		it[i] = (struct ref_item){arena_printf(ar, "%lld", (long long)v[i].id), v[i].name,
					  v[i].name, false};
	return it;
}

/* The territories a position may be opened on: for a manager, those their
 * organisation serves (organisation_serves); for the admin, every one, all
 * (the rule is then checked on the organisation chosen). */
static int pos_territories(struct db *db, struct arena *ar, int64_t org,
			   const struct position_place *all, size_t nall, struct pos_lists *l)
{
	if (!org) {
		l->terrs = place_items(ar, all, nall);
		l->nterrs = nall;
		return 0;
	}
	struct journal_named *ts;
	size_t n;
	if (journal_territories_served(db, ar, org, &ts, &n) < 0)
		return -1;
	l->terrs = arena_calloc(ar, n ? n : 1, sizeof(*l->terrs));
	for (size_t i = 0; i < n; i++)
		l->terrs[i] = (struct ref_item){arena_printf(ar, "%lld", (long long)ts[i].id),
						ts[i].name, ts[i].name, false};
	l->nterrs = n;
	return 0;
}

static int pos_lists_load(struct db *db, struct arena *ar, int64_t org, struct pos_lists *l)
{
	memset(l, 0, sizeof(*l));
	struct position_place *orgs, *terrs;
	size_t nterrs;
	if (position_places(db, ar, &orgs, &l->norgs, &terrs, &nterrs) < 0 ||
	    pos_territories(db, ar, org, terrs, nterrs, l) < 0 ||
	    refdata_list(db, ar, REF_POPULATION, org, &l->pops, &l->npops) < 0 ||
	    refdata_list(db, ar, REF_ACTIVITY_TYPE, org, &l->types, &l->ntypes) < 0 ||
	    refdata_list(db, ar, REF_COMPONENT, org, &l->comps, &l->ncomps) < 0)
		return -1;
	l->orgs = place_items(ar, orgs, l->norgs);
	return 0;
}

#define ITEM_ROWS 4

static enum perr position_form(struct request *req, struct response *resp, struct db *db,
			       const struct validation *v, bool posted)
{
	struct pos_lists l;
	if (pos_lists_load(db, req->arena, req->actor->organisation_id, &l) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	const char *title = TR(req, "Ouvrir un poste");
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/equipe/postes\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Postes de PAP"), title);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"/equipe/postes/nouveau\" class=\"stack\" "
		       "novalidate>\n");
	form_csrf_field(req, resp);
	if (req->actor->role == ROLE_ADMIN)
		fw_select(&f, "organisation", TR(req, "Organisation"), l.orgs, l.norgs,
			  posted ? req_form(req, "organisation") : NULL, TR(req, "— Choisir —"));
	fw_select(&f, "territory", TR(req, "Territoire"), l.terrs, l.nterrs,
		  posted ? req_form(req, "territory") : NULL, TR(req, "— Choisir —"));
	fw_input(&f, "date", "start", TR(req, "Date d'ouverture"),
		 team_raw_or(req, posted, "start", form_today(req)), NULL);
	fw_input(
		&f, "text", "contact", TR(req, "Contact pour les partenaires"),
		team_raw_or(req, posted, "contact", NULL),
		TR(req, "Un courriel ou un téléphone professionnel, pas une adresse personnelle."));
	struct strlist sel = {0};
	if (posted)
		form_values(req, "components", &sel);
	fw_checks(&f, "components", TR(req, "Composantes du mandat"), l.comps, l.ncomps, &sel);
	html_printf(o, "<fieldset class=\"group\" id=\"f-mandate-items\"><legend>%s</legend>\n",
		    TR(req, "Mandat : populations et types d'activité"));
	fw_error_text(&f, "mandate.items");
	for (int i = 0; i < ITEM_ROWS; i++) {
		const char *pn = arena_printf(req->arena, "item%d.population", i);
		const char *an = arena_printf(req->arena, "item%d.activity", i);
		html_printf(o, "<div class=\"cols\">\n");
		fw_select(&f, pn, TR(req, "Population"), l.pops, l.npops,
			  posted ? req_form(req, pn) : NULL, "—");
		fw_select(&f, an, TR(req, "Type d'activité"), l.types, l.ntypes,
			  posted ? req_form(req, an) : NULL, "—");
		html_printf(o, "</div>\n");
	}
	html_printf(o, "</fieldset>\n");
	form_submit_bar(req, o, TR(req, "Ouvrir le poste"), "/equipe/postes");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_position_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(position_can_manage(req->actor), &e);
	return db ? position_form(req, resp, db, NULL, false) : e;
}

/* Draws the form that opens a position again (view_form_posted). */
static enum perr draw_position_form(struct request *req, struct response *resp, void *form)
{
	struct team_posted *pf = form;
	struct db *db = db_thread();
	return db ? position_form(req, resp, db, &pf->v, true) : PERR_UNAVAILABLE;
}

enum perr view_position_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(position_can_manage(req->actor), &e);
	if (!db)
		return e;
	struct team_posted *pf = team_posted_form(req, draw_position_form);
	struct position *p = &pf->p;
	p->organisation_id = team_id_value(req_form(req, "organisation"));
	p->territory_id = team_id_value(req_form(req, "territory"));
	p->start = form_trimmed(req, "start");
	p->contact = form_trimmed(req, "contact");
	form_values(req, "components", &p->components);
	p->items = arena_alloc(req->arena, ITEM_ROWS * sizeof(*p->items));
	struct validation *v = &pf->v;
	for (int i = 0; i < ITEM_ROWS; i++) {
		const char *pop =
			form_trimmed(req, arena_printf(req->arena, "item%d.population", i));
		const char *act = form_trimmed(req, arena_printf(req->arena, "item%d.activity", i));
		if (!pop && !act)
			continue;
		if (!pop || !act) {
			validation_add(v, "mandate.items",
				       N_("Chaque élément du mandat a une population et un type "
					  "d'activité."));
			continue;
		}
		p->items[p->n_items++] = (struct mandate_pair){pop, act};
	}
	/* The model adds its errors to the form's: all come at once. */
	e = team_form_written(position_create(db, req->arena, req->actor, p, v));
	if (e != PERR_OK)
		return e;
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/equipe/postes/%lld?ok=cree", (long long)p->id));
	return PERR_OK;
}

/* The leave form: change, end or close, with the hand-over of what the
 * leaving holder owns (per item, or all at once). */
static void leave_form(struct request *req, struct response *resp, const struct position *p,
		       const struct holder_period *cur, const struct handover_item *items, size_t n,
		       const struct staff *st, size_t nst, const struct validation *v, bool posted)
{
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	bool admin = req->actor->role == ROLE_ADMIN;
	html_printf(o, "<section class=\"panel\" id=\"depart\"><h2>%s</h2>\n",
		    TR(req, "Départ ou changement de titulaire"));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(
		o,
		"<form method=\"post\" action=\"/equipe/postes/%lld/titulaire\" class=\"stack\" "
		"novalidate>\n",
		(long long)p->id);
	form_csrf_field(req, resp);
	fw_chips(&f, "action", TR(req, "Que se passe-t-il ?"), leave_actions,
		 ARRAY_LEN(leave_actions), posted ? req_form(req, "action") : "changer");
	team_staff_select(req, o, "person", TR(req, "Nouvelle ou nouveau titulaire (changement)"),
			  st, nst, cur->person_id,
			  posted ? team_id_value(req_form(req, "person")) : 0,
			  TR(req, "— Choisir —"), true);
	fw_input(&f, "date", "date", TR(req, "Date"),
		 team_raw_or(req, posted, "date", form_today(req)),
		 TR(req, "Changement : premier jour de la nouvelle personne (la période "
			 "précédente se termine la veille). Fin ou fermeture : dernier jour."));
	html_printf(o, "<fieldset class=\"group\" id=\"f-handover\"><legend>%s</legend>\n",
		    TR(req, "Passation"));
	fw_error_text(&f, "handover");
	if (!n) {
		html_printf(o, "<p>%s</p>\n",
			    TR(req, "Aucune famille suivie ni référence ouverte à confier."));
	} else {
		html_printf(o, "<p class=\"hint\">%s %zu %s</p>\n",
			    TR(req, "La personne qui part a"), n,
			    TR(req, "dossier(s) ouverts. Chacun doit être confié à quelqu'un : "
				    "rien ne reste sans responsable."));
		team_staff_select(req, o, "all_to", TR(req, "Tout confier à"), st, nst,
				  cur->person_id,
				  posted ? team_id_value(req_form(req, "all_to")) : 0,
				  TR(req, "— La nouvelle personne, si changement —"), false);
		if (!admin) {
			html_printf(o,
				    "<details class=\"more\"%R><summary>%s</summary>\n"
				    "<div class=\"more-body\">\n",
				    posted ? " open" : "", TR(req, "Confier dossier par dossier"));
			for (size_t i = 0; i < n; i++) {
				const char *name =
					arena_printf(req->arena, "item.%c.%lld",
						     (char)items[i].kind, (long long)items[i].id);
				const char *label = arena_printf(req->arena, "%s %s",
								 items[i].kind == HANDOVER_FAMILY
									 ? TR(req, "Famille")
									 : TR(req, "Référence"),
								 items[i].label);
				team_staff_select(req, o, name, label, st, nst, cur->person_id,
						  posted ? team_id_value(req_form(req, name)) : 0,
						  TR(req, "— Comme « Tout confier à » —"), false);
			}
			html_printf(o, "</div></details>\n");
		}
	}
	html_printf(o, "</fieldset>\n");
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">%s"
		    "</button></div>\n</form></section>\n",
		    TR(req, "Enregistrer"));
}

static enum perr position_page(struct request *req, struct response *resp, struct db *db,
			       const struct position *p, const struct validation *v, bool posted)
{
	const struct holder_period *cur = position_current(p);
	struct staff *st;
	size_t nst;
	struct handover_item *items = NULL;
	size_t n = 0;
	if (position_staff(db, req->arena, p->organisation_id, &st, &nst) < 0 ||
	    (cur && position_handover_items(db, req->arena, cur->person_id, &items, &n) < 0))
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	const char *title =
		arena_printf(req->arena, "%s — %s", p->organisation_name, p->territory_name);
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/equipe/postes\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Postes de PAP"), title);
	static const char *const codes[] = {"cree", "titulaire"};
	static const char *const texts[] = {N_("Poste ouvert."), N_("Titulaire mis à jour.")};
	team_notice(req, resp, codes, texts, ARRAY_LEN(codes));
	html_printf(
		o, "<div class=\"cols\"><section class=\"panel\"><h2>%s</h2><dl class=\"facts\">\n",
		TR(req, "Poste"));
	team_fact(o, TR(req, "Ouvert le"), fmt_date_long(req, p->start));
	if (p->end)
		team_fact(o, TR(req, "Fermé le"), fmt_date_long(req, p->end));
	team_fact(o, TR(req, "Contact pour les partenaires"), p->contact ? p->contact : "—");
	struct buf comps = BUF_INIT(512);
	for (size_t i = 0; i < p->components.n; i++) {
		if (i)
			buf_puts(&comps, ", ");
		buf_puts(&comps, refdata_label(db, req->arena, REF_COMPONENT, p->components.v[i],
					       req->lang));
	}
	team_fact(o, TR(req, "Composantes"),
		  comps.len ? arena_strdup(req->arena, comps.data) : "—");
	buf_free(&comps);
	html_printf(o, "</dl>\n");
	if (p->components.n == 3)
		html_printf(o, "<p class=\"tag\">✓ %s</p>\n",
			    TR(req, "Couvre les trois composantes du cadre."));
	if (p->n_items) {
		html_printf(o, "<h3>%s</h3><ul>\n", TR(req, "Mandat"));
		for (size_t i = 0; i < p->n_items; i++)
			html_printf(o, "<li>%s — %s</li>\n",
				    refdata_label(db, req->arena, REF_POPULATION,
						  p->items[i].population, req->lang),
				    refdata_label(db, req->arena, REF_ACTIVITY_TYPE,
						  p->items[i].activity, req->lang));
		html_printf(o, "</ul>\n");
	}
	html_printf(o, "</section>\n<section class=\"panel\"><h2>%s</h2>\n", TR(req, "Titulaires"));
	if (!p->n_holders)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucun titulaire encore."));
	else
		html_printf(o, "<ol class=\"entries\">\n");
	for (size_t i = 0; i < p->n_holders; i++) {
		const struct holder_period *h = &p->holders[i];
		html_printf(o, "<li class=\"entry\"><strong>%s</strong> <span>%s %s",
			    h->person_name, TR(req, "du"), fmt_date_medium(req, h->from));
		if (h->to)
			html_printf(o, " %s %s</span></li>\n", TR(req, "au"),
				    fmt_date_medium(req, h->to));
		else
			html_printf(o, " — %s</span></li>\n", TR(req, "en poste"));
	}
	if (p->n_holders)
		html_printf(o, "</ol>\n");
	html_printf(o, "</section></div>\n");

	if (!p->end && cur) {
		leave_form(req, resp, p, cur, items, n, st, nst, v, posted);
	} else if (!p->end) {
		struct fw f = {.req = req, .out = o, .v = v};
		html_printf(o, "<section class=\"panel\" id=\"depart\"><h2>%s</h2>\n",
			    TR(req, "Assigner une ou un titulaire"));
		fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
		html_printf(o,
			    "<form method=\"post\" action=\"/equipe/postes/%lld/titulaire\" "
			    "class=\"stack\" novalidate>\n",
			    (long long)p->id);
		form_csrf_field(req, resp);
		fw_chips(&f, "action", TR(req, "Que se passe-t-il ?"),
			 (const struct ref_item[]){{"changer", N_("Assigner"), NULL, false},
						   {"fermer", N_("Fermer le poste"), NULL, false}},
			 2, posted ? req_form(req, "action") : "changer");
		team_staff_select(req, o, "person", TR(req, "Titulaire"), st, nst, 0,
				  posted ? team_id_value(req_form(req, "person")) : 0,
				  TR(req, "— Choisir —"), true);
		fw_input(&f, "date", "date", TR(req, "Date"),
			 team_raw_or(req, posted, "date", form_today(req)), NULL);
		html_printf(o,
			    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button "
			    "primary\">%s</button></div>\n</form></section>\n",
			    TR(req, "Enregistrer"));
	}
	view_end(req, resp);
	return PERR_OK;
}

/* This thread's database into *dbp (not owned; PERR_UNAVAILABLE without
 * it) and the position of the route's :id that the actor sees, or a 404. */
static enum perr load_position(struct request *req, struct db **dbp, struct position *p)
{
	*dbp = db_thread();
	struct db *db = *dbp;
	if (!db)
		return PERR_UNAVAILABLE;
	int64_t id = view_param_id(req);
	if (!id || !position_can_manage(req->actor))
		return PERR_NOT_FOUND;
	return perr_found(position_get(db, req->arena, req->actor, id, p));
}

enum perr view_position_show(struct request *req, struct response *resp)
{
	struct db *db;
	struct position p;
	enum perr e = load_position(req, &db, &p);
	if (e != PERR_OK)
		return e;
	return position_page(req, resp, db, &p, NULL, false);
}

/* Reads the hand-over fields of the leave form for the items of leaving. */
static int read_handover(struct request *req, struct db *db, int64_t leaving, int64_t successor,
			 struct handover *h)
{
	memset(h, 0, sizeof(*h));
	h->all_to = team_id_value(req_form(req, "all_to"));
	if (!h->all_to)
		h->all_to = successor;
	struct handover_item *items;
	size_t n;
	if (position_handover_items(db, req->arena, leaving, &items, &n) < 0)
		return -1;
	h->items = items;
	for (size_t i = 0; i < n; i++) {
		const char *name = arena_printf(req->arena, "item.%c.%lld", (char)items[i].kind,
						(long long)items[i].id);
		int64_t to = team_id_value(req_form(req, name));
		if (to)
			h->items[h->n++] = (struct handover_item){
				.kind = items[i].kind, .id = items[i].id, .to = to};
	}
	return 0;
}

/* Draws the position's page again with the leave form's errors
 * (view_form_posted). */
static enum perr draw_position(struct request *req, struct response *resp, void *form)
{
	struct team_posted *pf = form;
	struct db *db = db_thread();
	return db ? position_page(req, resp, db, &pf->p, &pf->v, true) : PERR_UNAVAILABLE;
}

enum perr view_position_holder(struct request *req, struct response *resp)
{
	struct db *db;
	struct team_posted *pf = arena_calloc(req->arena, 1, sizeof(*pf));
	struct position *p = &pf->p;
	enum perr e = load_position(req, &db, p);
	if (e != PERR_OK)
		return e;
	view_form_posted(req, draw_position, pf);
	const char *action = req_form(req, "action");
	const char *date = form_trimmed(req, "date");
	int64_t person = team_id_value(req_form(req, "person"));
	const struct holder_period *cur = position_current(p);
	struct validation *v = &pf->v;
	struct handover h = {0};
	bool change = action && strcmp(action, "changer") == 0;
	int r = 1;
	if (cur && read_handover(req, db, cur->person_id, change ? person : 0, &h) < 0)
		r = -1;
	else if (change)
		r = position_set_holder(db, req->arena, req->actor, p, person, date, &h, v);
	else if (action && strcmp(action, "terminer") == 0)
		r = position_end_holder(db, req->arena, req->actor, p, date, &h, v);
	else if (action && strcmp(action, "fermer") == 0)
		r = position_close(db, req->arena, req->actor, p, date, &h, v);
	else
		validation_add(v, "action", N_("Choisissez ce qui se passe."));
	if ((e = team_form_written(r)) != PERR_OK)
		return e;
	resp_redirect(
		resp, req->arena,
		arena_printf(req->arena, "/equipe/postes/%lld?ok=titulaire", (long long)p->id));
	return PERR_OK;
}
