/* /statistiques: the standard statistics of an organisation's fiscal year,
 * what counts beside what the ministry's rules miss (model/rc_stats.h). */
#include "views/rc_stats.h"

#include <math.h>
#include <string.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/organisation.h"
#include "model/rc_stats.h"
#include "model/refdata.h"
#include "reports/rc_file.h"
#include "views/dashboards.h"
#include "views/fmt.h"
#include "views/view.h"

/* The fiscal year asked (?year=), else the current one. */
static int asked_year(struct request *req)
{
	int64_t y;
	const char *q = req_query(req, "year");
	if (q && *q && parse_i64(q, 1900, 9998, &y) == 0)
		return (int)y;
	struct pdate today = ptime_local_date(ptime_now());
	return rc_stats_fiscal_year(today.year, today.month);
}

/* The year, and for an admin the organisation among all of them. */
static int year_form(struct request *req, struct db *db, struct buf *o, const struct rc_stats *st)
{
	html_printf(o,
		    "<form method=\"get\" action=\"/statistiques\" class=\"filters\">"
		    "<label>%s <input type=\"number\" name=\"year\" min=\"1900\" max=\"9998\" "
		    "value=\"%d\"></label>",
		    TR(req, "Année financière débutant le 1er avril"), st->year);
	if (req->actor->role == ROLE_ADMIN) {
		struct organisation *v;
		size_t n;
		if (organisation_list(db, req->arena, &v, &n) < 0)
			return -1;
		html_printf(o, "<label>%s <select name=\"organisation\">", TR(req, "Organisation"));
		for (size_t i = 0; i < n; i++)
			html_printf(o, "<option value=\"%s\"%R>%s</option>", v[i].ext_id,
				    strcmp(v[i].ext_id, st->organisation) == 0 ? " selected" : "",
				    v[i].name);
		html_printf(o, "</select></label>");
	}
	html_printf(o, "<button type=\"submit\">%s</button></form>\n", TR(req, "Afficher"));
	return 0;
}

/* The yearly file's links, for the organisation and year shown. */
static void file_links(struct request *req, struct buf *o, const struct rc_stats *st)
{
	html_printf(o, "<p class=\"downloads\">%s ",
		    TR(req, "Fichier de l'année pour le ministère (une ligne par intervention) :"));
	static const char *const fmts[] = {"csv", "xlsx"};
	for (size_t i = 0; i < ARRAY_LEN(fmts); i++)
		html_printf(o,
			    "<a class=\"button\" href=\"/statistiques/fichier?format=%U&amp;year=%d"
			    "&amp;organisation=%U\">%s</a> ",
			    fmts[i], st->year, st->organisation, fmts[i]);
	html_printf(o, "</p>\n");
}

static void summary(struct request *req, struct buf *o, const struct rc_stats *st)
{
	html_printf(o,
		    "<section class=\"cards\">"
		    "<div class=\"card\"><strong>%lld</strong> %s</div>"
		    "<div class=\"card\"><strong>%lld</strong> %s</div>"
		    "<div class=\"card\"><strong>%s</strong> %s</div>"
		    "<div class=\"card\"><strong>%s</strong> %s (%s %%)</div>"
		    "</section>\n",
		    (long long)st->interventions, TR(req, "interventions comptées"),
		    (long long)st->usagers, TR(req, "usagers (chacun une fois)"),
		    fmt_hours(req, (long)st->counted_min), TR(req, "comptées"),
		    fmt_hours(req, (long)st->not_counted_min),
		    TR(req, "de travail que les statistiques standard ne voient pas"),
		    fmt_tenths(req, lround(st->pct_time_missed * 10)));
}

static void table(struct request *req, struct db *db, struct buf *o, const struct rc_stats *st)
{
	/* "data", never "stats": that class lays out the journal's totals as a
	 * grid, which put this table's header on one side of its data. */
	html_printf(o,
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
		    "<table class=\"data rc-stats\"><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s"
		    "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>\n",
		    TR(req, "Par catégorie d'activité"), TR(req, "Par catégorie d'activité"),
		    TR(req, "Catégorie"), TR(req, "Interventions comptées"),
		    TR(req, "Heures comptées"), TR(req, "Activités non comptées"),
		    TR(req, "Heures directes non comptées"),
		    TR(req, "Temps indirect (jamais compté)"));
	for (size_t i = 0; i < st->n; i++) {
		const struct rc_stats_row *r = &st->rows[i];
		html_printf(o,
			    "<tr><th scope=\"row\">%s</th><td>%lld</td><td>%s</td><td>%lld</td>"
			    "<td>%s</td><td>%s</td></tr>\n",
			    refdata_label(db, req->arena, REF_ACTIVITY_TYPE, r->type, req->lang),
			    (long long)r->counted, fmt_hours(req, (long)r->counted_direct_min),
			    (long long)r->not_counted,
			    fmt_hours(req, (long)r->not_counted_direct_min),
			    fmt_hours(req, (long)r->indirect_min));
	}
	html_printf(o, "</tbody></table></div>\n");
}

/* An admin has no organisation of their own: the page first asks which
 * one (the menu's link lands here). */
static enum perr choose_organisation(struct request *req, struct response *resp, struct db *db,
				     const char *title)
{
	struct organisation *v;
	size_t n;
	if (organisation_list(db, req->arena, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o,
		    "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n<ul class=\"menu-list\" "
		    "id=\"organisations\">\n",
		    title, TR(req, "Choisissez l'organisation."));
	for (size_t i = 0; i < n; i++)
		html_printf(
			o,
			"<li><a href=\"/statistiques?organisation=%U&amp;year=%d\">%s</a> <span "
			"class=\"hint\">%s</span></li>\n",
			v[i].ext_id, asked_year(req), v[i].name,
			organisation_sector_label(&v[i], req->lang));
	html_printf(o, "</ul>\n");
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucune organisation."));
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_rc_stats(struct request *req, struct response *resp)
{
	const char *title = TR(req, "Statistiques standard");
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	const char *org = req_query(req, "organisation");
	if (req->actor->role == ROLE_ADMIN && (!org || !*org))
		return choose_organisation(req, resp, db, title);
	struct rc_stats st;
	int r = rc_stats_compute(db, req->arena, req->actor, req_query(req, "organisation"),
				 asked_year(req), &st);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_NOT_FOUND;
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s — %s %s %s</p>\n", title,
		    st.organisation_name, fmt_date_medium(req, st.from), TR(req, "au"),
		    fmt_date_medium(req, st.to));
	html_printf(o, "<p>%s</p>\n",
		    TR(req,
		       "Ce qui, dans le journal, compte comme « interventions » et « usagers » "
		       "selon les règles du ministère (un acte documenté, en personne ou au "
		       "téléphone, avec un usager identifié; chaque usager une fois par année "
		       "financière; le travail indirect exclu), à côté de ce qui n'y compte "
		       "pas."));
	if (year_form(req, db, o, &st) < 0)
		return PERR_UNAVAILABLE;
	summary(req, o, &st);
	file_links(req, o, &st);
	if (!st.n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune activité pour cette année financière."));
	else
		table(req, db, o, &st);
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_rc_stats_file(struct request *req, struct response *resp)
{
	const char *fmt = req_query(req, "format");
	if (!fmt || (strcmp(fmt, "csv") && strcmp(fmt, "xlsx")))
		return PERR_NOT_FOUND;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	const char *org = req_query(req, "organisation");
	if (req->actor->role == ROLE_ADMIN && (!org || !*org))
		return PERR_NOT_FOUND;
	struct rc_stats st;
	int r = rc_stats_compute(db, req->arena, req->actor, org, asked_year(req), &st);
	if (r != 0)
		return r < 0 ? PERR_UNAVAILABLE : PERR_NOT_FOUND;
	struct rc_file f = {.st = &st, .lang = req->lang};
	struct rc_intervention *rows;
	if (rc_stats_interventions(db, req->arena, &st, req->lang, &rows, &f.n) < 0)
		return PERR_UNAVAILABLE;
	f.rows = rows;
	int rc;
	if (strcmp(fmt, "csv") == 0) {
		struct report_csv_options o = {.sep = ';', .bom = true};
		if (strcmp(req->lang, "en") == 0)
			o.sep = ',';
		rc = rc_file_write_csv(&f, &o, &resp->body);
		resp->content_type = "text/csv; charset=utf-8";
	} else {
		rc = rc_file_xlsx_into(&f, &resp->body);
		resp->content_type =
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	if (rc < 0)
		return PERR_INTERNAL;
	char *name = arena_printf(req->arena, "statistiques-%s-%d-%d.%s", st.organisation, st.year,
				  st.year + 1, fmt);
	dash_attachment(req, resp, name);
	return PERR_OK;
}
