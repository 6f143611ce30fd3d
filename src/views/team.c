/* Team follow-up pages:
 *   GET      /equipe                          manager's hub: supervision hours of the month
 *                                             per PAP against the target, open requests
 *   POST     /equipe/cible                    the organisation's monthly target
 *   GET      /equipe/postes                   positions (manager: own organisation; admin: all)
 *   GET/POST /equipe/postes/nouveau           open a position
 *   GET      /equipe/postes/:id               holders over time, the leave / hand-over form
 *   POST     /equipe/postes/:id/titulaire     assign, change or end the holder, close
 *   GET/POST /equipe/encadrement/nouveau      record a supervision session
 *   GET      /equipe/soutien/:id              one support request (also /moi/soutien/:id)
 *   POST     /equipe/soutien/:id/accuser      acknowledge
 *   POST     /equipe/soutien/:id/fermer       close with what was done
 *   GET      /moi/encadrement                 a PAP's own supervision
 *   GET/POST /moi/soutien                     a PAP's requests and a new one
 * Visibility is the model's (model/position.h, supervision.h, support.h):
 * anything not visible is a 404. */
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
#include "views/form.h"

static const struct ref_item sup_types[] = {
	{"individuelle", "Individuelle", "Individual", false},
	{"groupe", "De groupe", "Group", false},
	{"codeveloppement", "Codéveloppement", "Co-development", false},
};
static const struct ref_item req_to[] = {
	{"gestionnaire", "Ma gestionnaire", "My manager", false},
	{"equipe", "Mon équipe (par la gestion)", "My team (through the manager)", false},
};
static const struct ref_item req_types[] = {
	{"charge_emotionnelle", "Charge émotionnelle", "Emotional load", false},
	{"situation_complexe", "Situation complexe avec une famille",
	 "A complex situation with a family", false},
	{"clarification_mandat", "Clarifier mon mandat", "Clarifying my mandate", false},
	{"securite", "Sécurité", "Safety", false},
	{"surcharge", "Surcharge de travail", "Work overload", false},
	{"conflit_partenaire", "Conflit avec un partenaire", "Conflict with a partner", false},
	{"formation", "Formation", "Training", false},
	{"autre", "Autre", "Other", false},
};
static const struct ref_item req_urgencies[] = {
	{"faible", "Peut attendre", "Can wait", false},
	{"moyenne", "Cette semaine", "This week", false},
	{"elevee", "Urgent", "Urgent", false},
};
static const struct ref_item leave_actions[] = {
	{"changer", "Changer de titulaire", "Change the holder", false},
	{"terminer", "Fin de la période (poste vacant)", "End of the period (position vacant)",
	 false},
	{"fermer", "Fermer le poste", "Close the position", false},
};

/* A positive id from a form or query value; 0 otherwise. */
static int64_t id_value(const char *s)
{
	int64_t v;
	return s && parse_i64(s, 1, INT64_MAX, &v) == 0 ? v : 0;
}

/* "1,5" or "1.5" hours; NAN when not a number. */
static double hours_value(struct request *req, const char *s)
{
	if (!s)
		return NAN;
	char *t = arena_strdup(req->arena, s);
	for (char *p = t; *p; p++)
		if (*p == ',')
			*p = '.';
	char *end;
	double d = strtod(t, &end);
	return end != t && *end == '\0' && isfinite(d) ? d : NAN;
}

static const char *hours_text(struct request *req, double h)
{
	return fmt_hours(req, lround(h * 60));
}

static const char *raw_or(struct request *req, bool posted, const char *name, const char *v)
{
	if (posted) {
		const char *s = req_form(req, name);
		return s ? s : "";
	}
	return v ? v : "";
}

/* What the model's answer r to a form's write means for the page: 0
 * written, >0 refused with the reasons in the form's validation
 * (PERR_UNPROCESSABLE), <0 failed (PERR_UNAVAILABLE). The form comes back
 * filled in on both failures (view_form_posted). */
static enum perr form_written(int r)
{
	return r < 0 ? PERR_UNAVAILABLE : r > 0 ? PERR_UNPROCESSABLE : PERR_OK;
}

/* A posted form of these pages: its errors, and the record it is about
 * (a position or a support request); the values as typed are read from
 * the request again when the form is drawn. */
struct posted {
	struct validation v;
	struct position p;
	struct support_request r;
};

/* The state of a posted form, registered to be drawn again by draw. */
static struct posted *posted_form(struct request *req, view_draw_fn draw)
{
	struct posted *pf = arena_calloc(req->arena, 1, sizeof(*pf));
	view_form_posted(req, draw, pf);
	return pf;
}

static const char *ts_date(struct request *req, int64_t t)
{
	char *d = arena_alloc(req->arena, 11);
	struct pdate p = ptime_local_date(t);
	ptime_format_date(&p, d);
	return fmt_date_medium(req, d);
}

static void notice(struct request *req, struct response *resp, const char *const *codes,
		   const char *const *texts, size_t n)
{
	const char *ok = req_query(req, "ok");
	for (size_t i = 0; ok && i < n; i++)
		if (strcmp(ok, codes[i]) == 0)
			html_printf(&resp->body, "<p class=\"notice\" role=\"status\">%s</p>\n",
				    TR(req, texts[i]));
}

/* A <select> of staff (value = person id), with an empty first option. */
static void staff_select(struct request *req, struct buf *o, const char *name, const char *label,
			 const struct staff *st, size_t n, int64_t skip, int64_t selected,
			 const char *none_label, bool only_pap)
{
	html_printf(o, "<div class=\"field\"><label for=\"%s\">%s</label>\n",
		    fw_id(req->arena, name), label);
	html_printf(o, "<select id=\"%s\" name=\"%s\"><option value=\"\">%s</option>",
		    fw_id(req->arena, name), name, none_label);
	for (size_t i = 0; i < n; i++) {
		if (st[i].id == skip || (only_pap && st[i].role != ROLE_PAP))
			continue;
		html_printf(o, "<option value=\"%lld\"%R>%s%s%s</option>", (long long)st[i].id,
			    st[i].id == selected ? " selected" : "", st[i].name,
			    st[i].role == ROLE_GESTIONNAIRE ? " — " : "",
			    st[i].role == ROLE_GESTIONNAIRE ? TR(req, "gestion") : "");
	}
	html_printf(o, "</select></div>\n");
}

/* ---- Hub. */

static bool is_manager(const struct actor *a)
{
	return a && a->role == ROLE_GESTIONNAIRE && a->organisation_id;
}

/* The month of the "mois" query (YYYY-MM), else the current one. */
static void month_of(struct request *req, int *year, int *month)
{
	struct pdate d = ptime_local_date(ptime_now());
	*year = d.year;
	*month = d.month;
	const char *m = req_query(req, "mois");
	struct pdate p;
	if (m && strlen(m) == 7 &&
	    ptime_parse_date(arena_printf(req->arena, "%s-01", m), &p) == 0) {
		*year = p.year;
		*month = p.month;
	}
}

static void support_items(struct request *req, struct buf *o, const struct support_request *v,
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

static enum perr hub_page(struct request *req, struct response *resp, struct db *db,
			  const struct validation *v)
{
	int year, month;
	month_of(req, &year, &month);
	double target;
	struct supervision_month_row *rows;
	size_t n;
	if (supervision_team_month(db, req->arena, req->actor, year, month, &target, &rows, &n) < 0)
		return PERR_UNAVAILABLE;
	struct support_request *reqs;
	size_t nr;
	if (support_list(db, req->arena, req->actor, &reqs, &nr) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	const char *title = TR(req, "Équipe");
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n", title);
	static const char *const codes[] = {"encadrement", "cible"};
	static const char *const texts[] = {N_("Séance d'encadrement enregistrée."),
					    N_("Cible mensuelle enregistrée.")};
	notice(req, resp, codes, texts, ARRAY_LEN(codes));
	html_printf(o,
		    "<p class=\"actions\"><a class=\"button primary\" "
		    "href=\"/equipe/encadrement/nouveau\">%s</a> <a class=\"button\" "
		    "href=\"/equipe/postes\">%s</a> <a class=\"button\" "
		    "href=\"/journal/equipe\">%s</a></p>\n",
		    TR(req, "+ Consigner un encadrement"), TR(req, "Postes"),
		    TR(req, "Journal de l'équipe"));

	/* Supervision of the month. */
	static const struct ref_item months[] = {
		{"1", "janvier", "January", false},
		{"2", "février", "February", false},
		{"3", "mars", "March", false},
		{"4", "avril", "April", false},
		{"5", "mai", "May", false},
		{"6", "juin", "June", false},
		{"7", "juillet", "July", false},
		{"8", "août", "August", false},
		{"9", "septembre", "September", false},
		{"10", "octobre", "October", false},
		{"11", "novembre", "November", false},
		{"12", "décembre", "December", false},
	};
	struct pdate first = {year, month, 1};
	struct pdate prev = ptime_civil_from_days(ptime_days_from_civil(&first) - 1);
	struct pdate next = ptime_civil_from_days(ptime_days_from_civil(&first) + 31);
	html_printf(o, "<section class=\"panel\" id=\"encadrement\"><h2>%s</h2>\n",
		    TR(req, "Encadrement du mois"));
	html_printf(o,
		    "<p class=\"week-nav\"><a href=\"/equipe?mois=%04d-%02d\">← %s</a> "
		    "<strong>%s %d</strong> <a href=\"/equipe?mois=%04d-%02d\">%s →</a></p>\n",
		    prev.year, prev.month, TR(req, "Mois précédent"),
		    ref_item_label(req, &months[month - 1]), year, next.year, next.month,
		    TR(req, "Mois suivant"));
	html_printf(o, "<p class=\"hint\">%s %s %s</p>\n", TR(req, "Cible de l'organisation :"),
		    hours_text(req, target), TR(req, "par PAP par mois."));
	if (!n) {
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune PAP active dans votre organisation."));
	} else {
		size_t below = 0;
		for (size_t i = 0; i < n; i++)
			below += rows[i].below_target;
		if (below)
			html_printf(o, "<p class=\"alert\" role=\"status\">%zu %s</p>\n", below,
				    TR(req, "PAP sous la cible ce mois-ci."));
		html_printf(o,
			    "<div class=\"table-wrap\"><table class=\"data\"><thead><tr>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
			    TR(req, "PAP"), TR(req, "Par rapport à la cible"), TR(req, "Heures"),
			    TR(req, "Séances"), TR(req, "Dernière séance"));
		for (size_t i = 0; i < n; i++) {
			const struct supervision_month_row *r = &rows[i];
			html_printf(o,
				    "<tr><th scope=\"row\">%s<br><a "
				    "href=\"/equipe/encadrement/nouveau?pap=%lld\">%s</a></th>",
				    r->name, (long long)r->person_id, TR(req, "Consigner"));
			if (r->below_target)
				html_printf(o, "<td><span class=\"tag warn\">⚠ %s</span></td>",
					    r->sessions ? TR(req, "Sous la cible")
							: TR(req, "Sans encadrement"));
			else
				html_printf(o, "<td><span class=\"tag\">✓ %s</span></td>",
					    TR(req, "Cible atteinte"));
			html_printf(o, "<td>%s</td><td>%lld</td><td>%s</td></tr>\n",
				    hours_text(req, r->hours), (long long)r->sessions,
				    r->last_date ? fmt_date_medium(req, r->last_date)
						 : TR(req, "jamais"));
		}
		html_printf(o, "</tbody></table></div>\n");
	}
	struct fw f = {.req = req, .out = o, .v = v};
	html_printf(o, "<form method=\"post\" action=\"/equipe/cible\" class=\"stack\">\n");
	form_csrf_field(req, resp);
	fw_input(&f, "text", "target", TR(req, "Cible mensuelle (heures par PAP)"),
		 v && v->n ? raw_or(req, true, "target", NULL)
			   : arena_printf(req->arena, "%s", hours_text(req, target)),
		 TR(req, "Par exemple 2 ou 1,5. S'applique à toute votre organisation."));
	html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form></section>\n",
		    TR(req, "Enregistrer la cible"));

	/* Support requests. */
	size_t open = 0;
	for (size_t i = 0; i < nr; i++)
		open += !reqs[i].closed_at;
	html_printf(o, "<section class=\"panel\" id=\"soutien\"><h2>%s (%zu)</h2>\n",
		    TR(req, "Demandes de soutien ouvertes"), open);
	html_printf(o, "<p class=\"hint privacy-note\">%s</p>\n",
		    TR(req, "Seules la personne qui a fait la demande et la gestion de votre "
			    "organisation voient ces demandes."));
	if (!nr)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucune demande."));
	else
		support_items(req, o, reqs, nr, true, "/equipe/soutien");
	html_printf(o, "</section>\n");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_team_hub(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_manager(req->actor), &e);
	return db ? hub_page(req, resp, db, NULL) : e;
}

/* Draws the team hub again with the target's errors (view_form_posted). */
static enum perr draw_hub(struct request *req, struct response *resp, void *form)
{
	struct posted *pf = form;
	struct db *db = db_thread();
	return db ? hub_page(req, resp, db, &pf->v) : PERR_UNAVAILABLE;
}

enum perr view_team_target(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_manager(req->actor), &e);
	if (!db)
		return e;
	const char *t = form_trimmed(req, "target");
	double h = hours_value(req, t ? arena_strndup(req->arena, t, strcspn(t, " h")) : NULL);
	struct posted *pf = posted_form(req, draw_hub);
	e = form_written(supervision_set_target(db, req->actor, isnan(h) ? -1 : h, &pf->v));
	if (e != PERR_OK)
		return e;
	resp_redirect(resp, req->arena, "/equipe?ok=cible");
	return PERR_OK;
}

/* ---- Positions. */

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
	if (is_manager(req->actor))
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
		 raw_or(req, posted, "start", form_today(req)), NULL);
	fw_input(
		&f, "text", "contact", TR(req, "Contact pour les partenaires"),
		raw_or(req, posted, "contact", NULL),
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
	struct posted *pf = form;
	struct db *db = db_thread();
	return db ? position_form(req, resp, db, &pf->v, true) : PERR_UNAVAILABLE;
}

enum perr view_position_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(position_can_manage(req->actor), &e);
	if (!db)
		return e;
	struct posted *pf = posted_form(req, draw_position_form);
	struct position *p = &pf->p;
	p->organisation_id = id_value(req_form(req, "organisation"));
	p->territory_id = id_value(req_form(req, "territory"));
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
	e = form_written(position_create(db, req->arena, req->actor, p, v));
	if (e != PERR_OK)
		return e;
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/equipe/postes/%lld?ok=cree", (long long)p->id));
	return PERR_OK;
}

static void fact(struct buf *o, const char *label, const char *value)
{
	html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", label, value);
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
	staff_select(req, o, "person", TR(req, "Nouvelle ou nouveau titulaire (changement)"), st,
		     nst, cur->person_id, posted ? id_value(req_form(req, "person")) : 0,
		     TR(req, "— Choisir —"), true);
	fw_input(&f, "date", "date", TR(req, "Date"), raw_or(req, posted, "date", form_today(req)),
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
		staff_select(req, o, "all_to", TR(req, "Tout confier à"), st, nst, cur->person_id,
			     posted ? id_value(req_form(req, "all_to")) : 0,
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
				staff_select(req, o, name, label, st, nst, cur->person_id,
					     posted ? id_value(req_form(req, name)) : 0,
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
	notice(req, resp, codes, texts, ARRAY_LEN(codes));
	html_printf(
		o, "<div class=\"cols\"><section class=\"panel\"><h2>%s</h2><dl class=\"facts\">\n",
		TR(req, "Poste"));
	fact(o, TR(req, "Ouvert le"), fmt_date_long(req, p->start));
	if (p->end)
		fact(o, TR(req, "Fermé le"), fmt_date_long(req, p->end));
	fact(o, TR(req, "Contact pour les partenaires"), p->contact ? p->contact : "—");
	struct buf comps = BUF_INIT(512);
	for (size_t i = 0; i < p->components.n; i++) {
		if (i)
			buf_puts(&comps, ", ");
		buf_puts(&comps, refdata_label(db, req->arena, REF_COMPONENT, p->components.v[i],
					       req->lang));
	}
	fact(o, TR(req, "Composantes"), comps.len ? arena_strdup(req->arena, comps.data) : "—");
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
			 (const struct ref_item[]){
				 {"changer", "Assigner", "Assign", false},
				 {"fermer", "Fermer le poste", "Close the position", false}},
			 2, posted ? req_form(req, "action") : "changer");
		staff_select(req, o, "person", TR(req, "Titulaire"), st, nst, 0,
			     posted ? id_value(req_form(req, "person")) : 0, TR(req, "— Choisir —"),
			     true);
		fw_input(&f, "date", "date", TR(req, "Date"),
			 raw_or(req, posted, "date", form_today(req)), NULL);
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
	return view_found(position_get(db, req->arena, req->actor, id, p));
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
	h->all_to = id_value(req_form(req, "all_to"));
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
		int64_t to = id_value(req_form(req, name));
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
	struct posted *pf = form;
	struct db *db = db_thread();
	return db ? position_page(req, resp, db, &pf->p, &pf->v, true) : PERR_UNAVAILABLE;
}

enum perr view_position_holder(struct request *req, struct response *resp)
{
	struct db *db;
	struct posted *pf = arena_calloc(req->arena, 1, sizeof(*pf));
	struct position *p = &pf->p;
	enum perr e = load_position(req, &db, p);
	if (e != PERR_OK)
		return e;
	view_form_posted(req, draw_position, pf);
	const char *action = req_form(req, "action");
	const char *date = form_trimmed(req, "date");
	int64_t person = id_value(req_form(req, "person"));
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
	if ((e = form_written(r)) != PERR_OK)
		return e;
	resp_redirect(
		resp, req->arena,
		arena_printf(req->arena, "/equipe/postes/%lld?ok=titulaire", (long long)p->id));
	return PERR_OK;
}

/* ---- Supervision. */

static enum perr supervision_form(struct request *req, struct response *resp, struct db *db,
				  const struct validation *v, bool posted)
{
	struct staff *st;
	size_t nst;
	if (position_staff(db, req->arena, req->actor->organisation_id, &st, &nst) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	const char *title = TR(req, "Consigner un encadrement");
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/equipe\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Équipe"), title);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"/equipe/encadrement/nouveau\" "
		       "class=\"stack\" novalidate>\n");
	form_csrf_field(req, resp);
	staff_select(req, o, "person", TR(req, "PAP"), st, nst, 0,
		     posted ? id_value(req_form(req, "person")) : id_value(req_query(req, "pap")),
		     TR(req, "— Choisir —"), true);
	fw_error_text(&f, "person");
	fw_input(&f, "date", "date", TR(req, "Date"), raw_or(req, posted, "date", form_today(req)),
		 NULL);
	fw_input(&f, "text", "hours", TR(req, "Durée (heures)"), raw_or(req, posted, "hours", "1"),
		 TR(req, "Par exemple 1 ou 1,5."));
	fw_chips(&f, "type", TR(req, "Type de séance"), sup_types, ARRAY_LEN(sup_types),
		 posted ? req_form(req, "type") : "individuelle");
	html_printf(o,
		    "<div class=\"field\"><label for=\"f-note\">%s</label>"
		    "<p class=\"hint\" id=\"h-f-note\">%s</p>\n",
		    TR(req, "Note (facultative)"),
		    TR(req, "280 caractères au plus. Une note administrative seulement : aucun "
			    "renseignement clinique ni nom de famille."));
	fw_error_text(&f, "note");
	html_printf(o,
		    "<textarea id=\"f-note\" name=\"note\" rows=\"3\" maxlength=\"280\" "
		    "aria-describedby=\"h-f-note\"%R>%s</textarea></div>\n",
		    fw_error(&f, "note") ? " aria-invalid=\"true\"" : "",
		    raw_or(req, posted, "note", NULL));
	form_submit_bar(req, o, TR(req, "Enregistrer"), "/equipe");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_supervision_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(supervision_can_record(req->actor), &e);
	return db ? supervision_form(req, resp, db, NULL, false) : e;
}

/* Draws the supervision form again (view_form_posted). */
static enum perr draw_supervision(struct request *req, struct response *resp, void *form)
{
	struct posted *pf = form;
	struct db *db = db_thread();
	return db ? supervision_form(req, resp, db, &pf->v, true) : PERR_UNAVAILABLE;
}

enum perr view_supervision_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(supervision_can_record(req->actor), &e);
	if (!db)
		return e;
	struct supervision s = {0};
	s.person_id = id_value(req_form(req, "person"));
	s.date = form_trimmed(req, "date");
	s.hours = hours_value(req, form_trimmed(req, "hours"));
	if (isnan(s.hours))
		s.hours = -1;
	s.type = form_trimmed(req, "type");
	s.note = form_trimmed(req, "note");
	struct posted *pf = posted_form(req, draw_supervision);
	/* The form asks for the type; the contract leaves it optional. */
	if (!s.type)
		validation_add(&pf->v, "type", N_("Choisissez le type de séance."));
	e = form_written(supervision_record(db, req->arena, req->actor, &s, &pf->v));
	if (e != PERR_OK)
		return e;
	resp_redirect(resp, req->arena, "/equipe?ok=encadrement");
	return PERR_OK;
}

enum perr view_my_supervision(struct request *req, struct response *resp)
{
	const struct actor *me = req->actor;
	enum perr e;
	struct db *db = view_open_db(me && me->role == ROLE_PAP && me->organisation_id, &e);
	if (!db)
		return e;
	struct supervision *v;
	size_t n;
	double target;
	bool own;
	if (supervision_of_person(db, req->arena, me, me->person_id, &v, &n) != 0 ||
	    supervision_target(db, me->organisation_id, &target, &own) < 0)
		return PERR_UNAVAILABLE;
	struct pdate d = ptime_local_date(ptime_now());
	const char *month = arena_printf(req->arena, "%04d-%02d", d.year, d.month);
	double this_month = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].date && strncmp(v[i].date, month, 7) == 0)
			this_month += v[i].hours;
	struct buf *o = &resp->body;
	const char *title = TR(req, "Mon encadrement");
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n", title);
	html_printf(o, "<p class=\"lead\">%s %s %s %s.</p>\n", TR(req, "Ce mois-ci :"),
		    hours_text(req, this_month), TR(req, "sur une cible de"),
		    hours_text(req, target));
	html_printf(o,
		    "<p class=\"actions\"><a class=\"button\" href=\"/moi/soutien\">%s</a></p>\n",
		    TR(req, "Demander du soutien"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune séance d'encadrement consignée."));
	else
		html_printf(o, "<ol class=\"entries\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(o, "<li class=\"entry\"><strong>%s</strong> <span>%s — %s</span>",
			    fmt_date_medium(req, v[i].date), hours_text(req, v[i].hours),
			    ref_lookup(req, sup_types, ARRAY_LEN(sup_types), v[i].type));
		if (v[i].supervisor_name)
			html_printf(o, " <span>%s %s</span>", TR(req, "avec"),
				    v[i].supervisor_name);
		if (v[i].note)
			html_printf(o, "<p class=\"entry-note\">%s</p>", v[i].note);
		html_printf(o, "</li>\n");
	}
	if (n)
		html_printf(o, "</ol>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* ---- Support requests. */

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
	notice(req, resp, codes, texts, 1);
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
		    raw_or(req, posted, "text", NULL));
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">%s"
		    "</button></div>\n</form></section>\n",
		    TR(req, "Envoyer la demande"));
	html_printf(o, "<section class=\"panel\"><h2>%s</h2>\n", TR(req, "Mes demandes"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucune demande."));
	else
		support_items(req, o, reqs, n, false, "/moi/soutien");
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
	struct posted *pf = form;
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
	struct posted *pf = posted_form(req, draw_my_support);
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
	e = form_written(support_file(db, req->arena, req->actor, &r, v));
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
	notice(req, resp, codes, texts, ARRAY_LEN(codes));
	html_printf(o, "<section class=\"panel\"><dl class=\"facts\">\n");
	fact(o, TR(req, "De"), r->person_name);
	fact(o, TR(req, "Déposée le"), fmt_date_long(req, r->date));
	fact(o, TR(req, "À qui"), ref_lookup(req, req_to, ARRAY_LEN(req_to), r->addressed_to));
	fact(o, TR(req, "Urgence"),
	     r->urgency ? ref_lookup(req, req_urgencies, ARRAY_LEN(req_urgencies), r->urgency)
			: "—");
	fact(o, TR(req, "Réception accusée"),
	     r->acknowledged_at ? ts_date(req, r->acknowledged_at) : TR(req, "pas encore"));
	if (r->closed_at)
		fact(o, TR(req, "Fermée le"), ts_date(req, r->closed_at));
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
			    v ? raw_or(req, true, "resolution", NULL) : "");
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
	return view_found(support_get(*db, req->arena, req->actor, id, r));
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
	struct posted *pf = form;
	struct db *db = db_thread();
	return db ? support_page(req, resp, db, &pf->r, &pf->v) : PERR_UNAVAILABLE;
}

enum perr view_support_close(struct request *req, struct response *resp)
{
	struct db *db;
	struct posted *pf = arena_calloc(req->arena, 1, sizeof(*pf));
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
	if ((e = form_written(rc)) != PERR_OK)
		return e;
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/equipe/soutien/%lld?ok=fermee", (long long)r->id));
	return PERR_OK;
}
