/* The manager's team hub:
 *   GET      /equipe                          supervision hours of the month
 *                                             per PAP against the target, open requests
 *   POST     /equipe/cible                    the organisation's monthly target
 * Visibility is the model's (model/supervision.h, support.h): anything not
 * visible is a 404. */
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

/* The month's navigation: previous, this one, next. */
static void month_nav(struct request *req, struct buf *o, int year, int month)
{
	struct pdate first = {year, month, 1};
	struct pdate prev = ptime_civil_from_days(ptime_days_from_civil(&first) - 1);
	struct pdate next = ptime_civil_from_days(ptime_days_from_civil(&first) + 31);
	html_printf(o,
		    "<nav class=\"week-nav\" aria-label=\"%s\"><a href=\"/equipe?mois=%04d-%02d\" "
		    "rel=\"prev\">← <span>%s</span></a><p class=\"week-title\"><span>%s</span>"
		    "</p><a href=\"/equipe?mois=%04d-%02d\" rel=\"next\"><span>%s</span> →</a>"
		    "</nav>\n",
		    TR(req, "Mois"), prev.year, prev.month, TR(req, "Mois précédent"),
		    fmt_month_year(req, year, month), next.year, next.month,
		    TR(req, "Mois suivant"));
}

/* The table of the month's supervision per PAP, with the alert when some
 * are below the target. */
static void month_table(struct request *req, struct buf *o,
			const struct supervision_month_row *rows, size_t n)
{
	size_t below = 0;
	for (size_t i = 0; i < n; i++)
		below += rows[i].below_target;
	if (below)
		html_printf(o, "<p class=\"alert\" role=\"status\">%zu %s</p>\n", below,
			    TR(req, "PAP sous la cible ce mois-ci."));
	html_printf(o,
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\">"
		    "<table class=\"data team-month\"><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		    TR(req, "Encadrement du mois"), TR(req, "PAP"),
		    TR(req, "Par rapport à la cible"), TR(req, "Heures"), TR(req, "Séances"),
		    TR(req, "Dernière séance"));
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
			    team_hours_text(req, r->hours), (long long)r->sessions,
			    r->last_date ? fmt_date_medium(req, r->last_date) : TR(req, "jamais"));
	}
	html_printf(o, "</tbody></table></div>\n");
}

/* The panel of the month's supervision: navigation, target, table, and
 * the form that changes the target (v: its errors, or NULL). */
static void supervision_panel(struct request *req, struct response *resp, int year, int month,
			      double target, const struct supervision_month_row *rows, size_t n,
			      const struct validation *v)
{
	struct buf *o = &resp->body;
	html_printf(o, "<section class=\"panel\" id=\"encadrement\"><h2>%s</h2>\n",
		    TR(req, "Encadrement du mois"));
	month_nav(req, o, year, month);
	html_printf(o, "<p class=\"hint\">%s %s %s</p>\n", TR(req, "Cible de l'organisation :"),
		    team_hours_text(req, target), TR(req, "par PAP par mois."));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune PAP active dans votre organisation."));
	else
		month_table(req, o, rows, n);
	struct fw f = {.req = req, .out = o, .v = v};
	html_printf(o, "<form method=\"post\" action=\"/equipe/cible\" class=\"stack\">\n");
	form_csrf_field(req, resp);
	fw_input(&f, "text", "target", TR(req, "Cible mensuelle (heures par PAP)"),
		 v && v->n ? team_raw_or(req, true, "target", NULL)
			   : arena_printf(req->arena, "%s", team_hours_text(req, target)),
		 TR(req, "Par exemple 2 ou 1,5. S'applique à toute votre organisation."));
	html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form></section>\n",
		    TR(req, "Enregistrer la cible"));
}

/* The panel of the organisation's support requests. */
static void support_panel(struct request *req, struct buf *o, const struct support_request *reqs,
			  size_t nr)
{
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
		team_support_items(req, o, reqs, nr, true, "/equipe/soutien");
	html_printf(o, "</section>\n");
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
	team_notice(req, resp, codes, texts, ARRAY_LEN(codes));
	html_printf(o,
		    "<p class=\"actions\"><a class=\"button primary\" "
		    "href=\"/equipe/encadrement/nouveau\">%s</a> <a class=\"button\" "
		    "href=\"/equipe/postes\">%s</a> <a class=\"button\" "
		    "href=\"/journal/equipe\">%s</a></p>\n",
		    TR(req, "+ Consigner un encadrement"), TR(req, "Postes"),
		    TR(req, "Journal de l'équipe"));
	supervision_panel(req, resp, year, month, target, rows, n, v);
	support_panel(req, o, reqs, nr);
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_team_hub(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(team_is_manager(req->actor), &e);
	return db ? hub_page(req, resp, db, NULL) : e;
}

/* Draws the team hub again with the target's errors (view_form_posted). */
static enum perr draw_hub(struct request *req, struct response *resp, void *form)
{
	struct team_posted *pf = form;
	struct db *db = db_thread();
	return db ? hub_page(req, resp, db, &pf->v) : PERR_UNAVAILABLE;
}

enum perr view_team_target(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(team_is_manager(req->actor), &e);
	if (!db)
		return e;
	const char *t = form_trimmed(req, "target");
	double h = team_hours_value(req, t ? arena_strndup(req->arena, t, strcspn(t, " h")) : NULL);
	struct team_posted *pf = team_posted_form(req, draw_hub);
	e = team_form_written(supervision_set_target(db, req->actor, isnan(h) ? -1 : h, &pf->v));
	if (e != PERR_OK)
		return e;
	resp_redirect(resp, req->arena, "/equipe?ok=cible");
	return PERR_OK;
}
