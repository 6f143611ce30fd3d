/* Dashboards (issue 5). Every figure comes from the one report engine
 * (reports/report.h) in the view the caller's role allows
 * (reports/access.h), so small cells are already suppressed when a page
 * sees them. Charts come from reports/chart.c: inline SVG with its text
 * alternative, the numbers behind it as a table, and the same chart as PNG
 * when the page is asked with ?png=CHART-ID.
 *
 *   /tableaux/territoire    comite (their territory), analyste, admin
 *   /tableaux/organisation  gestionnaire (their organisation)
 *   /tableaux/comparaison   analyste, admin: territories side by side
 *   /tableaux/moi           pap, gestionnaire: my week, month and year
 *   /tableaux/rapport       the report files (csv, xlsx, pdf, html) of a scope */
#include "views/dashboards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/escape.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/dashboard.h"
#include "model/ind_activity.h"
#include "model/indicator.h"
#include "reports/access.h"
#include "reports/chart.h"
#include "reports/compare.h"
#include "reports/export.h"
#include "reports/report.h"
#include "views/dash_stories.h"

#define REPORT_FILE_MAX (32u << 20)

/* A dashboard being written. In PNG mode the HTML goes to a scratch
 * buffer that is thrown away and the one chart asked for becomes the
 * response body. */
struct dash {
	struct request *req;
	struct response *resp;
	struct buf *out;    /* where HTML goes */
	struct buf scratch; /* PNG mode: the discarded HTML */
	const char *png;    /* chart id asked as PNG, or NULL */
	bool png_done;
	const char *query;   /* the scope as a query string (HTML-escaped on output) */
	const char *warning; /* a bad period, replaced by the default */
	const char *parent;  /* the comparison's parent, kept by the period's presets */
	struct report_request rq;
};

/* Starts d for req: PNG mode when ?png= is given. */
static void dash_open(struct dash *d, struct request *req, struct response *resp)
{
	memset(d, 0, sizeof(*d));
	d->req = req;
	d->resp = resp;
	d->png = req_query(req, "png");
	if (d->png && !*d->png)
		d->png = NULL;
	if (d->png) {
		buf_init(&d->scratch, 4u << 20);
		d->out = &d->scratch;
	} else {
		d->out = &resp->body;
	}
	report_request_init(&d->rq);
	d->rq.lang = req->lang;
}

/* Opens the page (HTML mode only). */
static void dash_begin(struct dash *d, const char *title)
{
	if (!d->png)
		view_begin(d->req, d->resp, title);
}

/* Ends the page, or answers with the PNG asked for (404 when the page has
 * no chart of that id). Frees the scratch buffer. */
static enum perr dash_end(struct dash *d)
{
	if (!d->png) {
		view_end(d->req, d->resp);
		return PERR_OK;
	}
	buf_free(&d->scratch);
	if (!d->png_done)
		return PERR_NOT_FOUND;
	d->resp->content_type = "image/png";
	resp_header(d->resp, d->req->arena, "Content-Disposition",
		    arena_printf(d->req->arena, "inline; filename=\"%s.png\"", d->png));
	return PERR_OK;
}

/* True when id is a chart id we write (letters, digits, '-'). */
static bool chart_id_ok(const char *id)
{
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return *id != '\0';
}

/* One chart: inline SVG, then the numbers behind it and a PNG link; or, in
 * PNG mode, the PNG itself when it is the chart asked for. */
static void dash_chart(struct dash *d, const char *id, const struct chart *c)
{
	BUG_ON(!chart_id_ok(id));
	if (d->png) {
		if (!d->png_done && strcmp(d->png, id) == 0) {
			buf_reset(&d->resp->body);
			double w, h;
			chart_size(c, CHART_MEDIUM_PNG, 0, &w, &h);
			d->png_done = chart_png(c, (int)w, (int)h, &d->resp->body) == 0;
		}
		return;
	}
	html_printf(d->out, "<figure class=\"dash-chart\">\n");
	if (chart_svg(c, id, d->out) < 0)
		html_printf(d->out, "<p>%s</p>", TR(d->req, "Graphique indisponible."));
	html_printf(d->out, "<figcaption><details><summary>%s</summary>\n",
		    TR(d->req, "Les chiffres du graphique"));
	if (chart_table_html(c, d->out) < 0)
		html_printf(d->out, "<p>%s</p>", TR(d->req, "Tableau indisponible."));
	html_printf(d->out,
		    "</details><a class=\"png-link\" href=\"%s?%s&amp;png=%U\">%s</a>"
		    "</figcaption></figure>\n",
		    d->req->path, d->query, id, TR(d->req, "Image PNG"));
}

/* ---- periods ---- */

/* The fiscal year (April 1 – March 31) that contains day. */
static void fiscal_year(const struct pdate *day, struct pdate *from, struct pdate *to)
{
	int y = day->month >= 4 ? day->year : day->year - 1;
	*from = (struct pdate){.year = y, .month = 4, .day = 1};
	*to = (struct pdate){.year = y + 1, .month = 3, .day = 31};
}

static struct pdate today(void)
{
	return ptime_local_date(ptime_now());
}

/* Reads ?du= and ?au= into d->rq (default: the current fiscal year).
 * A bad date or an inverted period is reported on the page and replaced
 * by the default. */
static void dash_period(struct dash *d)
{
	struct pdate t = today();
	fiscal_year(&t, &d->rq.from, &d->rq.to);
	const char *du = req_query(d->req, "du"), *au = req_query(d->req, "au");
	if (!du && !au)
		return;
	struct pdate f, e;
	if (du && au && ptime_parse_date(du, &f) == 0 && ptime_parse_date(au, &e) == 0 &&
	    ptime_date_cmp(&f, &e) <= 0) {
		d->rq.from = f;
		d->rq.to = e;
		return;
	}
	d->warning = TR(d->req, "Période invalide (du, au : AAAA-MM-JJ, du ≤ au) : "
				"l'année financière en cours est affichée.");
}

/* The scope's query string for links: the period, and the territory and
 * the compared territories' parent when given (each value URL-encoded). */
static void dash_set_query(struct dash *d, const char *territory, const char *parent)
{
	char f[11], t[11];
	ptime_format_date(&d->rq.from, f);
	ptime_format_date(&d->rq.to, t);
	struct buf b;
	buf_init(&b, 1024);
	html_printf(&b, "du=%U&au=%U", f, t);
	if (territory && *territory)
		html_printf(&b, "&territoire=%U", territory);
	if (parent && *parent)
		html_printf(&b, "&parent=%U", parent);
	d->query = arena_strdup(d->req->arena, b.data ? b.data : "");
	buf_free(&b);
}

/* The period form: two dates and presets (this fiscal year, the last one).
 * extra writes the page's own fields (a territory chooser) or is NULL. */
static void dash_period_form(struct dash *d, void (*extra)(struct dash *, void *), void *arg)
{
	char f[11], t[11];
	ptime_format_date(&d->rq.from, f);
	ptime_format_date(&d->rq.to, t);
	html_printf(d->out, "<form class=\"dash-scope\" method=\"get\" action=\"%s\">\n",
		    d->req->path);
	if (extra)
		extra(d, arg);
	html_printf(d->out,
		    "<label>%s <input type=\"date\" name=\"du\" value=\"%s\" required></label>\n"
		    "<label>%s <input type=\"date\" name=\"au\" value=\"%s\" required></label>\n"
		    "<button type=\"submit\">%s</button>\n",
		    TR(d->req, "Du"), f, TR(d->req, "Au"), t, TR(d->req, "Afficher"));
	struct pdate td = today(), a, b;
	fiscal_year(&td, &a, &b);
	char a1[11], b1[11], a0[11], b0[11];
	ptime_format_date(&a, a1);
	ptime_format_date(&b, b1);
	a.year--;
	b.year--;
	ptime_format_date(&a, a0);
	ptime_format_date(&b, b0);
	struct buf kb;
	buf_init(&kb, 1024);
	if (d->parent)
		html_printf(&kb, "&parent=%U", d->parent);
	const char *keep = arena_strdup(d->req->arena, kb.data ? kb.data : "");
	buf_free(&kb);
	html_printf(d->out,
		    "<p class=\"presets\"><a href=\"%s?du=%U&amp;au=%U%s\">%s</a> · "
		    "<a href=\"%s?du=%U&amp;au=%U%s\">%s</a></p>\n</form>\n",
		    d->req->path, a1, b1, keep, TR(d->req, "Année financière en cours"),
		    d->req->path, a0, b0, keep, TR(d->req, "Année financière précédente"));
}

/* "du 2025-04-01 au 2026-03-31, en date du 2025-11-23". */
static void dash_scope_line(struct dash *d, const struct report *r)
{
	char f[11], t[11], a[11];
	ptime_format_date(&r->scope.from, f);
	ptime_format_date(&r->scope.to, t);
	ptime_format_date(&r->scope.as_of, a);
	if (d->warning)
		html_printf(d->out, "<p class=\"error\" role=\"alert\">%s</p>\n", d->warning);
	html_printf(d->out, "<p class=\"scope\">%s %s %s %s · %s %s</p>\n", TR(d->req, "Du"), f,
		    TR(d->req, "au"), t, TR(d->req, "en date du"), a);
	if (r->scope.view == REPORT_VIEW_COMITE || r->scope.view == REPORT_VIEW_ANALYSTE)
		html_printf(d->out, "<p class=\"note\">%s</p>\n",
			    report_suppression_note(d->req->arena, r));
	if (r->scope.protection)
		html_printf(d->out, "<p class=\"note\" id=\"protection\">%s</p>\n",
			    r->scope.protection_note);
}

/* ---- indicators ---- */

/* The unit shown after a value: nothing for plain counts. */
static const char *unit_words(const struct dash *d, const char *unit)
{
	return unit && strcmp(unit, "nombre") == 0 ? "" : report_unit_words(d->req->lang, unit);
}

/* The status as a symbol and words: never colour alone. */
static void dash_status(struct dash *d, enum report_status s)
{
	static const char *sym[] = {"–", "✓", "✗", "?"};
	static const char *cls[] = {"sans-cible", "atteint", "non-atteint", "insuffisant"};
	html_printf(
		d->out,
		"<span class=\"status status-%s\"><span aria-hidden=\"true\">%s</span> %s</span>",
		cls[s], sym[s], report_status_words(d->req->lang, s));
}

/* A table of indicators: label, value and unit, target, status, n. */
static void dash_indicator_table(struct dash *d, const struct report *r, const char *prefix,
				 const char *caption)
{
	html_printf(
		d->out,
		"<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" "
		"aria-label=\"%s\"><table class=\"dash-ind\">"
		"<caption>%s</caption>\n"
		"<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">n</th></tr>"
		"</thead><tbody>\n",
		caption, caption, TR(d->req, "Indicateur"), TR(d->req, "Valeur"),
		TR(d->req, "Cible"), TR(d->req, "Statut"));
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *x = &r->indicators[i];
		if (!str_starts(x->id, prefix))
			continue;
		html_printf(d->out,
			    "<tr id=\"%s\"><th scope=\"row\">%s</th><td class=\"num\">%s</td>"
			    "<td>%s</td><td>",
			    x->id, x->label, report_value_words(d->req->arena, d->req->lang, x),
			    report_target_text(d->req->arena, d->req->lang, x));
		dash_status(d, x->status);
		if (x->has_n)
			html_printf(d->out, "</td><td class=\"num\">%lld</td></tr>\n",
				    (long long)x->n);
		else if (x->has_ratio)
			html_printf(d->out, "</td><td class=\"num\">%.0f / %.0f</td></tr>\n",
				    x->numerator, x->denominator);
		else
			html_printf(d->out, "</td><td></td></tr>\n");
	}
	html_printf(d->out, "</tbody></table></div>\n");
}

static const struct report_breakdown *find_breakdown(const struct ind_result *x, const char *name)
{
	for (size_t i = 0; x && i < x->n_breakdowns; i++)
		if (strcmp(x->breakdowns[i].name, name) == 0)
			return &x->breakdowns[i];
	return NULL;
}

static const struct report_detail *find_detail(const struct ind_result *x, const char *key)
{
	for (size_t i = 0; x && i < x->n_details; i++)
		if (strcmp(x->details[i].key, key) == 0)
			return &x->details[i];
	return NULL;
}

static enum chart_status chart_status_of(enum report_status s)
{
	switch (s) {
	case REPORT_STATUS_ATTEINT: return CHART_STATUS_MET;
	case REPORT_STATUS_NON_ATTEINT: return CHART_STATUS_NOT_MET;
	case REPORT_STATUS_INSUFFISANT: return CHART_STATUS_INSUFFICIENT;
	default: return CHART_STATUS_NONE;
	}
}

/* A gauge of one indicator against its target. */
static void dash_gauge(struct dash *d, const char *id, const struct ind_result *x)
{
	if (!x)
		return;
	double v = x->value;
	unsigned char mark = x->has_value    ? CHART_VALUE
			     : x->suppressed ? CHART_SUPPRESSED
					     : CHART_MISSING;
	const char *cat = x->label, *hidden = x->display;
	struct chart c = {.kind = CHART_GAUGE,
			  .title = x->label,
			  .unit = report_unit_words(d->req->lang, x->unit),
			  .lang = d->req->lang,
			  .n_series = 1,
			  .n_cats = 1,
			  .cats = &cat,
			  .values = &v,
			  .marks = &mark,
			  .hidden = &hidden,
			  .decimals = 1,
			  .has_target = x->target.present,
			  .target = x->target.value,
			  .target_label = report_target_text(d->req->arena, d->req->lang, x),
			  .status = chart_status_of(x->status)};
	dash_chart(d, id, &c);
}

/* A bar chart of one breakdown (at most CHART_MAX_CATS cells, in order). */
static void dash_breakdown_chart(struct dash *d, const char *id, const struct ind_result *x,
				 const char *name, const char *title)
{
	const struct report_breakdown *b = find_breakdown(x, name);
	if (!b || b->n_cells == 0)
		return;
	size_t n = b->n_cells < CHART_MAX_CATS ? b->n_cells : CHART_MAX_CATS;
	struct arena *a = d->req->arena;
	const char **cats = arena_calloc(a, n, sizeof(*cats));
	double *v = arena_calloc(a, n, sizeof(*v));
	unsigned char *m = arena_calloc(a, n, 1);
	const char **hidden = arena_calloc(a, n, sizeof(*hidden));
	for (size_t i = 0; i < n; i++) {
		cats[i] = b->cells[i].label;
		v[i] = b->cells[i].value;
		m[i] = b->cells[i].has_value    ? CHART_VALUE
		       : b->cells[i].suppressed ? CHART_SUPPRESSED
						: CHART_MISSING;
		hidden[i] = b->cells[i].display;
	}
	struct chart c = {.kind = CHART_BAR,
			  .title = title ? title : b->label,
			  .unit = report_unit_words(d->req->lang, b->unit),
			  .lang = d->req->lang,
			  .n_series = 1,
			  .n_cats = n,
			  .cats = cats,
			  .values = v,
			  .marks = m,
			  .hidden = hidden,
			  .decimals = report_breakdown_decimals(b)}; /* 0 but for the portrait */
	dash_chart(d, id, &c);
}

/* One indicator block: the bar chart of one of x's breakdowns, then the
 * selected stories that share a tag with x (dash_stories.h), kept
 * together in one cell of a grid. */
static void dash_block(struct dash *d, struct dash_stories *st, const char *chart_id,
		       const struct ind_result *x, const char *name, const char *title)
{
	html_printf(d->out, "<div class=\"dash-block\">\n");
	dash_breakdown_chart(d, chart_id, x, name, title);
	dash_stories_beside(d->req, d->out, st, x);
	html_printf(d->out, "</div>\n");
}

/* A list of a breakdown's cells: label, display, note. */
static void dash_breakdown_list(struct dash *d, const struct ind_result *x, const char *name)
{
	const struct report_breakdown *b = find_breakdown(x, name);
	if (!b || b->n_cells == 0) {
		html_printf(d->out, "<p class=\"empty\">%s</p>\n", TR(d->req, "Aucune donnée."));
		return;
	}
	html_printf(d->out, "<ul class=\"dash-list\">\n");
	for (size_t i = 0; i < b->n_cells; i++) {
		const struct report_cell *c = &b->cells[i];
		html_printf(d->out, "<li><span class=\"k\">%s</span> <strong>%s</strong>", c->label,
			    c->display);
		if (c->note)
			html_printf(d->out, " <span class=\"note\">%s</span>", c->note);
		html_printf(d->out, "</li>\n");
	}
	html_printf(d->out, "</ul>\n");
}

/* One table of refusals (a reason or a corridor per row). */
static void refusal_table(struct dash *d, const struct report_breakdown *b, const char *head)
{
	html_printf(d->out,
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
		    "<table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr>"
		    "</thead><tbody>\n",
		    head, head, TR(d->req, "Refus"));
	for (size_t i = 0; i < b->n_cells; i++)
		html_printf(d->out, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>\n",
			    b->cells[i].label, b->cells[i].display);
	html_printf(d->out, "</tbody></table></div>\n");
}

/* The period's refused referrals by reason and by corridor (the engine
 * protects the counts for the committee and the analyst). */
static enum perr dash_refusals(struct dash *d, struct db *db)
{
	struct report_refusals rf;
	enum perr e = report_refusals(db, d->req->arena, &d->rq, &rf);
	if (e != PERR_OK)
		return e;
	html_printf(d->out, "<section><h2>%s</h2><p>%s <strong>%s</strong></p>\n",
		    TR(d->req, "Références refusées"), TR(d->req, "Refus dans la période :"),
		    rf.total_display);
	if (rf.by_reason.n_cells) {
		html_printf(d->out, "<div class=\"dash-grid\"><div>");
		refusal_table(d, &rf.by_reason, TR(d->req, "Motif du refus"));
		html_printf(d->out, "</div><div>");
		refusal_table(d, &rf.by_corridor, TR(d->req, "Corridor"));
		html_printf(d->out, "</div></div>\n");
	}
	html_printf(d->out, "</section>\n");
	return PERR_OK;
}

/* The trend over the last four quarters of one indicator, as a line. */
static void dash_trend(struct dash *d, const char *chart_id, const struct report_trend *t,
		       enum report_ind id)
{
	const char *cats[REPORT_TREND_QUARTERS];
	double v[REPORT_TREND_QUARTERS];
	unsigned char m[REPORT_TREND_QUARTERS];
	const char *hidden[REPORT_TREND_QUARTERS];
	const struct ind_result *last = NULL;
	for (size_t q = 0; q < t->n && q < REPORT_TREND_QUARTERS; q++) {
		const struct ind_result *x = report_get(&t->quarters[q].report, id);
		cats[q] = t->quarters[q].label;
		v[q] = x && x->has_value ? x->value : 0;
		m[q] = x && x->has_value    ? CHART_VALUE
		       : x && x->suppressed ? CHART_SUPPRESSED
					    : CHART_MISSING;
		hidden[q] = x ? x->display : NULL;
		if (x)
			last = x;
	}
	if (!last)
		return;
	struct chart c = {.kind = CHART_LINE,
			  .title = arena_printf(d->req->arena, "%s — %s", last->label,
						TR(d->req, "4 derniers trimestres")),
			  .unit = report_unit_words(d->req->lang, last->unit),
			  .lang = d->req->lang,
			  .n_series = 1,
			  .n_cats = t->n,
			  .cats = cats,
			  .values = v,
			  .marks = m,
			  .hidden = hidden,
			  .decimals = 1,
			  .has_target = last->target.present,
			  .target = last->target.value,
			  .target_label = report_target_text(d->req->arena, d->req->lang, last)};
	dash_chart(d, chart_id, &c);
}

/* Links to the files of the scope at path (with html: the standalone
 * page too). */
static void dash_downloads_at(struct dash *d, const char *path, bool html)
{
	static const char *fmts[] = {"pdf", "xlsx", "csv", "html"};
	html_printf(d->out, "<p class=\"downloads no-print\">%s ",
		    TR(d->req, "Télécharger le rapport :"));
	for (size_t i = 0; i < ARRAY_LEN(fmts) - (html ? 0 : 1); i++)
		html_printf(d->out, "<a class=\"button\" href=\"%s?format=%U&amp;%s\">%s</a> ",
			    path, fmts[i], d->query, fmts[i]);
	html_printf(d->out, "</p>\n");
}

/* Links to the report files of the scope. */
static void dash_downloads(struct dash *d)
{
	dash_downloads_at(d, "/tableaux/rapport", true);
}

/* Maps an engine error to the page's answer. */
static enum perr dash_fail(struct dash *d, enum perr e)
{
	if (d->png)
		buf_free(&d->scratch);
	return e == PERR_INVALID || e == PERR_NOT_FOUND ? e : PERR_UNAVAILABLE;
}

/* ---- the territory (committee) ---- */

struct territory_choice {
	struct dash_item *items;
	size_t n;
	const char *current;
};

static void territory_select(struct dash *d, void *arg)
{
	const struct territory_choice *tc = arg;
	if (tc->n < 2)
		return;
	html_printf(d->out, "<label>%s <select name=\"territoire\">\n", TR(d->req, "Territoire"));
	for (size_t i = 0; i < tc->n; i++)
		html_printf(d->out, "<option value=\"%s\"%R>%s</option>\n", tc->items[i].ext_id,
			    tc->current && strcmp(tc->current, tc->items[i].ext_id) == 0
				    ? " selected"
				    : "",
			    tc->items[i].name);
	html_printf(d->out, "</select></label>\n");
}

/* The territory's activities (act.*): their table, then the indicators
 * whose breakdowns carry story tags (strategy, component, need, outcome),
 * each as a chart with the selected stories that share a tag with it. */
static void dash_sens_activities(struct dash *d, const struct report *r, struct dash_stories *st)
{
	html_printf(d->out, "<section><h2>%s</h2>\n",
		    TR(d->req, "Activités du territoire : la mesure et le sens"));
	dash_indicator_table(d, r, "act.", TR(d->req, "Indicateurs d'activité"));
	html_printf(d->out, "<div class=\"dash-grid\">\n");
	dash_block(d, st, "strategies", report_get(r, REPORT_IND_ACT_STRATEGIES), "par_strategie",
		   TR(d->req, "Activités par stratégie"));
	dash_block(d, st, "activites-par-composante", report_get(r, REPORT_IND_ACT_ACTIVITES),
		   "par_composante", TR(d->req, "Activités par composante"));
	dash_block(d, st, "besoins", report_get(r, REPORT_IND_ACT_BESOINS), "par_besoin",
		   TR(d->req, "Besoins rencontrés"));
	dash_block(d, st, "retombees", report_get(r, REPORT_IND_ACT_RETOMBEES), "par_retombee",
		   TR(d->req, "Retombées observées"));
	html_printf(d->out, "</div></section>\n");
}

/* The territory's corridors (active, linked to the portrait) and the
 * overlap of mandates between sectors. */
static void dash_territory_corridors(struct dash *d, const struct report *r)
{
	const struct ind_result *cor = report_get(r, REPORT_IND_ARR_CORRIDORS_ADAPTES);
	const struct report_detail *linked = find_detail(cor, "lies_au_portrait");
	html_printf(d->out, "<section><h2>%s</h2><p>%s <strong>%s</strong>",
		    TR(d->req, "Corridors"), TR(d->req, "Corridors actifs :"),
		    cor ? cor->display : "—");
	if (linked)
		html_printf(d->out, " · %s <strong>%s</strong>", linked->label, linked->display);
	html_printf(d->out, "</p><p><a href=\"/corridors\">%s</a></p></section>\n",
		    TR(d->req, "Voir les corridors"));

	const struct ind_result *ov = report_get(r, REPORT_IND_ARR_CHEVAUCHEMENT_MANDATS);
	html_printf(d->out, "<section><h2>%s</h2><p>%s <strong>%s %s</strong>",
		    TR(d->req, "Chevauchement des mandats"), TR(d->req, "Taux :"),
		    ov ? ov->display : "—", ov && ov->has_value ? "%" : "");
	if (ov && ov->has_ratio)
		html_printf(d->out, " (%.0f / %.0f %s)", ov->numerator, ov->denominator,
			    TR(d->req, "paires de postes de secteurs différents"));
	html_printf(d->out, "</p>\n");
	dash_breakdown_list(d, ov, "paires");
	html_printf(d->out, "<p><a href=\"/repertoire/chevauchements\">%s</a></p></section>\n",
		    TR(d->req, "Voir la matrice des chevauchements"));
}

enum perr view_dash_territory(struct request *req, struct response *resp)
{
	const struct actor *who = req->actor;
	if (who->role != ROLE_COMITE && who->role != ROLE_ANALYSTE && who->role != ROLE_ADMIN)
		return PERR_NOT_FOUND;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct dash d;
	dash_open(&d, req, resp);
	dash_period(&d);

	/* The territories offered: a committee's own and its sub-territories;
	 * every top-level territory for the others. */
	struct territory_choice tc = {0};
	int rc = who->role == ROLE_COMITE
			 ? dash_list_territory_tree(db, req->arena, who->territory_id, &tc.items,
						    &tc.n)
			 : dash_list_territories(db, req->arena, NULL, &tc.items, &tc.n);
	if (rc < 0)
		return dash_fail(&d, PERR_INTERNAL);
	d.rq.territory = req_query(req, "territoire");
	if ((!d.rq.territory || !*d.rq.territory) && tc.n)
		d.rq.territory = tc.items[0].ext_id;
	enum perr e = report_request_for_actor(db, req->arena, who, NULL, &d.rq);
	if (e != PERR_OK)
		return dash_fail(&d, e);
	tc.current = d.rq.territory;
	dash_set_query(&d, d.rq.territory, NULL);

	/* The report and its trend read the scope's trajectories once. */
	struct report_cache cache = {0};
	d.rq.cache = &cache;
	struct report r;
	if ((e = report_compute(db, req->arena, &d.rq, &r)) != PERR_OK)
		return dash_fail(&d, e);
	struct report_request trq = d.rq;
	const char *trend_ids[] = {REPORT_IDS[REPORT_IND_ARR_DELAI_PRISE_EN_CHARGE],
				   REPORT_IDS[REPORT_IND_ARR_TAUX_ECHAPPEMENT]};
	trq.only_ids = trend_ids;
	trq.n_only_ids = ARRAY_LEN(trend_ids);
	struct report_trend trend;
	if ((e = report_trend_quarters(db, req->arena, &trq, &trend)) != PERR_OK)
		return dash_fail(&d, e);
	struct dash_stories st = {0};
	if (!d.png && dash_stories_load(db, req, &r, &st) < 0)
		return dash_fail(&d, PERR_INTERNAL);

	dash_begin(&d, TR(req, "Tableau de bord du territoire"));
	html_printf(d.out, "<h1>%s <span class=\"h1-sub\">%s</span></h1>\n",
		    TR(req, "Tableau de bord du territoire"),
		    r.scope.territory_name ? r.scope.territory_name : TR(req, "tous"));
	dash_period_form(&d, territory_select, &tc);
	dash_scope_line(&d, &r);

	html_printf(d.out, "<section><h2>%s</h2>\n", TR(req, "Arrimage : indicateurs et cibles"));
	dash_indicator_table(&d, &r, "arr.", TR(req, "Indicateurs d'arrimage"));
	html_printf(d.out, "<div class=\"dash-grid\">\n");
	dash_gauge(&d, "jauge-delai", report_get(&r, REPORT_IND_ARR_DELAI_PRISE_EN_CHARGE));
	dash_gauge(&d, "jauge-echappement", report_get(&r, REPORT_IND_ARR_TAUX_ECHAPPEMENT));
	dash_gauge(&d, "jauge-satisfaction-familles",
		   report_get(&r, REPORT_IND_ARR_SATISFACTION_FAMILLES));
	dash_gauge(&d, "jauge-satisfaction-pap", report_get(&r, REPORT_IND_ARR_SATISFACTION_PAP));
	html_printf(d.out, "</div></section>\n");

	html_printf(d.out, "<section><h2>%s</h2><div class=\"dash-grid\">\n",
		    TR(req, "Tendance des quatre derniers trimestres"));
	dash_trend(&d, "tendance-delai", &trend, REPORT_IND_ARR_DELAI_PRISE_EN_CHARGE);
	dash_trend(&d, "tendance-echappement", &trend, REPORT_IND_ARR_TAUX_ECHAPPEMENT);
	html_printf(d.out, "</div></section>\n");

	html_printf(d.out, "<section><h2>%s</h2>\n", TR(req, "Portrait du territoire"));
	dash_breakdown_list(&d, report_get(&r, REPORT_IND_ARR_PORTRAIT), "indicateurs");
	html_printf(d.out, "</section>\n");

	dash_territory_corridors(&d, &r);
	html_printf(d.out, "<section><h2>%s</h2>\n",
		    TR(req, "Secteurs qui implantent une stratégie conforme au cadre"));
	dash_breakdown_list(&d, report_get(&r, REPORT_IND_ARR_SECTEURS_CADRE), "secteurs");
	html_printf(d.out, "</section>\n");
	dash_sens_activities(&d, &r, &st);
	html_printf(d.out, "<section><h2>%s</h2>\n", TR(req, "Trous de services signalés"));
	dash_block(&d, &st, "trous-par-besoin", report_get(&r, REPORT_IND_ACT_TROUS_SERVICE),
		   "par_besoin", NULL);
	html_printf(d.out, "</section>\n");
	if ((e = dash_refusals(&d, db)) != PERR_OK)
		return dash_fail(&d, e);
	dash_stories_section(req, d.out, &st);
	dash_downloads(&d);
	return dash_end(&d);
}

/* ---- the organisation (manager) ---- */

/* Time of a scope as hours: direct and each indirect kind. */
static void dash_time(struct dash *d, const struct report *r)
{
	const struct ind_result *t = report_get(r, REPORT_IND_ACT_TEMPS);
	const struct report_detail *dir = find_detail(t, "direct"),
				   *ind = find_detail(t, "indirect"),
				   *mul = find_detail(t, "multiplicateur");
	if (!t || !dir || !ind)
		return;
	if (mul && !mul->suppressed) {
		char m[32];
		chart_format_number(d->req->lang, mul->number, 1, m, sizeof(m));
		html_printf(d->out, "<p class=\"multiplier\"><strong>%s %s %s</strong> %s</p>\n",
			    TR(d->req, "1 h directe ="), m, TR(d->req, "h au total"),
			    TR(d->req, "(le temps caché : déplacement, interprète, rédaction, "
				       "préparation)"));
	}
	const struct report_breakdown *b = find_breakdown(t, "indirect_par_type");
	const char *series[1 + 4];
	double v[1 + 4];
	size_t n = 1;
	series[0] = TR(d->req, "Direct");
	v[0] = (double)dir->integer / 60.0;
	for (size_t i = 0; b && i < b->n_cells && n < ARRAY_LEN(v); i++, n++) {
		series[n] = b->cells[i].label;
		v[n] = b->cells[i].value / 60.0;
	}
	const char *cat = TR(d->req, "Temps investi");
	struct chart c = {.kind = CHART_STACKED,
			  .title = TR(d->req, "Temps direct et indirect (heures)"),
			  .unit = "h",
			  .lang = d->req->lang,
			  .n_series = n,
			  .n_cats = 1,
			  .series = series,
			  .cats = &cat,
			  .values = v,
			  .decimals = 1};
	dash_chart(d, "temps", &c);
}

/* The team: each PAP's activities and hours in the period, from one
 * grouped read of the aggregates (report_by_author), not one report per
 * PAP. A PAP without activities in the period shows 0. */
static enum perr dash_team(struct dash *d, struct db *db, const struct report_request *base)
{
	struct dash_item *team;
	size_t n, n_rows;
	struct ind_act_author_row *rows;
	if (dash_list_team(db, d->req->arena, d->req->actor->organisation_id, &team, &n) < 0)
		return PERR_INTERNAL;
	enum perr e = report_by_author(db, d->req->arena, base, &rows, &n_rows);
	if (e != PERR_OK)
		return e;
	html_printf(d->out,
		    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table><caption>%s</caption><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		    TR(d->req, "L'équipe dans la période"), TR(d->req, "L'équipe dans la période"),
		    TR(d->req, "PAP"), TR(d->req, "Activités"), TR(d->req, "Heures directes"),
		    TR(d->req, "Heures au total"));
	for (size_t i = 0; i < n; i++) {
		struct ind_act_author_row none = {.author_id = team[i].id}, *row = &none;
		for (size_t k = 0; k < n_rows; k++)
			if (rows[k].author_id == team[i].id)
				row = &rows[k];
		char acts[32], h_direct[32], h_total[32];
		chart_format_number(d->req->lang, (double)row->activities, 0, acts, sizeof(acts));
		chart_format_number(d->req->lang, (double)row->direct_min / 60.0, 1, h_direct,
				    sizeof(h_direct));
		chart_format_number(d->req->lang, (double)row->total_min / 60.0, 1, h_total,
				    sizeof(h_total));
		html_printf(d->out,
			    "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td>"
			    "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
			    team[i].name, acts, h_direct, h_total);
	}
	html_printf(d->out, "</tbody></table></div>\n");
	return PERR_OK;
}

enum perr view_dash_organisation(struct request *req, struct response *resp)
{
	const struct actor *who = req->actor;
	if (who->role != ROLE_GESTIONNAIRE || !who->organisation_id)
		return PERR_NOT_FOUND;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct dash d;
	dash_open(&d, req, resp);
	dash_period(&d);
	enum perr e = report_request_for_actor(db, req->arena, who, NULL, &d.rq);
	if (e != PERR_OK)
		return dash_fail(&d, e);
	dash_set_query(&d, NULL, NULL);
	struct report r;
	if ((e = report_compute(db, req->arena, &d.rq, &r)) != PERR_OK)
		return dash_fail(&d, e);
	struct dash_stories st = {0};
	if (!d.png && dash_stories_load(db, req, &r, &st) < 0)
		return dash_fail(&d, PERR_INTERNAL);

	dash_begin(&d, TR(req, "Tableau de bord de l'organisation"));
	html_printf(d.out, "<h1>%s <span class=\"h1-sub\">%s</span></h1>\n",
		    TR(req, "Tableau de bord de l'organisation"),
		    r.scope.organisation_name ? r.scope.organisation_name : "");
	dash_period_form(&d, NULL, NULL);
	dash_scope_line(&d, &r);

	html_printf(d.out, "<section><h2>%s</h2>\n", TR(req, "Le temps, direct et indirect"));
	dash_time(&d, &r);
	html_printf(d.out, "</section>\n<section><h2>%s</h2>\n",
		    TR(req, "Activités : la mesure de la proximité"));
	dash_indicator_table(&d, &r, "act.", TR(req, "Indicateurs d'activité"));
	html_printf(d.out, "<div class=\"dash-grid\">\n");
	dash_block(&d, &st, "activites-par-type", report_get(&r, REPORT_IND_ACT_ACTIVITES),
		   "par_type", NULL);
	dash_block(&d, &st, "personnes-par-age", report_get(&r, REPORT_IND_ACT_PERSONNES_REJOINTES),
		   "par_groupe_age", NULL);
	dash_block(&d, &st, "strategies", report_get(&r, REPORT_IND_ACT_STRATEGIES),
		   "par_strategie", NULL);
	dash_block(&d, &st, "besoins", report_get(&r, REPORT_IND_ACT_BESOINS), "par_besoin",
		   TR(req, "Besoins rencontrés"));
	dash_block(&d, &st, "retombees", report_get(&r, REPORT_IND_ACT_RETOMBEES), "par_retombee",
		   NULL);
	html_printf(d.out, "</div></section>\n");
	dash_stories_section(req, d.out, &st);
	html_printf(d.out, "<section><h2>%s</h2>\n", TR(req, "L'équipe"));
	if ((e = dash_team(&d, db, &d.rq)) != PERR_OK)
		return dash_fail(&d, e);

	/* Referrals sent (the engine) and received (this organisation's inbox). */
	const struct ind_result *acc = report_get(&r, REPORT_IND_ACT_ACCOMPAGNEMENTS);
	const struct report_detail *sent = find_detail(acc, "references_envoyees");
	struct dash_received rec;
	struct ind_scope sc;
	ind_scope_init(&sc, &r.scope.from, &r.scope.to);
	sc.as_of = r.scope.as_of;
	if (dash_referrals_received(db, who->organisation_id, ind_scope_start(&sc),
				    ind_scope_end(&sc), ind_scope_as_of_end(&sc), &rec) < 0)
		return dash_fail(&d, PERR_INTERNAL);
	html_printf(d.out,
		    "</section>\n<section><h2>%s</h2><dl class=\"dash-dl\">"
		    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>%lld</dd>"
		    "<dt>%s</dt><dd>%lld</dd><dt>%s</dt><dd>%lld</dd></dl>\n",
		    TR(req, "Références envoyées et reçues"), TR(req, "Envoyées"),
		    sent ? sent->display : "—", TR(req, "Reçues"), (long long)rec.sent,
		    TR(req, "Prises en charge"), (long long)rec.taken, TR(req, "Refusées"),
		    (long long)rec.refused, TR(req, "Encore ouvertes"), (long long)rec.open);
	dash_breakdown_chart(&d, "references-par-secteur", acc, "references_par_secteur", NULL);
	html_printf(d.out, "<p><a href=\"/renvois\">%s</a></p></section>\n",
		    TR(req, "Voir les renvois"));
	if ((e = dash_refusals(&d, db)) != PERR_OK)
		return dash_fail(&d, e);
	dash_downloads(&d);
	return dash_end(&d);
}

/* ---- report files ---- */

#define CONTENT_TYPE_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* See dashboards.h. */
void dash_attachment(struct request *req, struct response *resp, char *name)
{
	for (char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			*p = '_';
	resp_header(resp, req->arena, "Content-Disposition",
		    arena_printf(req->arena, "attachment; filename=\"%s\"", name));
}

/* ---- the comparison of territories (analyst) ---- */

/* The comparison's own field of the period form: its parent, so choosing
 * a period keeps the level compared. */
static void comparison_parent_field(struct dash *d, void *arg)
{
	const char *parent = arg;
	if (parent)
		html_printf(d->out, "<input type=\"hidden\" name=\"parent\" value=\"%s\">\n",
			    parent);
}

/* The header of territory column i: its name, a link to its dashboard
 * over the same period, and one to compare its sub-territories. */
static void comparison_head(struct dash *d, const struct report_scope *s)
{
	char f[11], t[11];
	ptime_format_date(&d->rq.from, f);
	ptime_format_date(&d->rq.to, t);
	html_printf(d->out,
		    "<th scope=\"col\"><a href=\"/tableaux/territoire?territoire=%U&amp;du=%U&amp;"
		    "au=%U\">%s</a>",
		    s->territory, f, t, s->territory_name ? s->territory_name : s->territory);
	if (s->n_sub_territories > 0)
		html_printf(d->out,
			    "<br><a class=\"sub\" href=\"/tableaux/comparaison?parent=%U&amp;du=%U"
			    "&amp;au=%U\">%s</a>",
			    s->territory, f, t, TR(d->req, "ses sous-territoires"));
	html_printf(d->out, "</th>");
}

/* Indicators and portrait in rows, territories in columns (seed 002's
 * table); the first column stays in view when the table scrolls. */
static void comparison_table(struct dash *d, const struct report_comparison *c)
{
	struct request *req = d->req;
	html_printf(d->out,
		    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table class=\"dash-compare sticky-first\">"
		    "<caption>%s</caption><thead><tr><th scope=\"col\">%s</th>",
		    TR(req, "Indicateurs par territoire"), TR(req, "Indicateurs par territoire"),
		    TR(req, "Indicateur"));
	for (size_t i = 0; i < c->n; i++)
		comparison_head(d, &c->reports[i].scope);
	html_printf(d->out, "<th scope=\"col\">%s</th></tr></thead><tbody>\n", TR(req, "Cible"));
	struct report_compare_row *rows;
	size_t n = report_compare_rows(c, req->arena, &rows);
	for (size_t k = 0; k < n; k++) {
		const struct report_compare_row *row = &rows[k];
		if (row->portrait && (k == 0 || !rows[k - 1].portrait))
			html_printf(d->out,
				    "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"%zu\">%s"
				    "</th></tr>\n",
				    c->n + 2, TR(req, "Portrait du territoire"));
		bool minutes = strcmp(row->unit, "minutes") == 0;
		html_printf(d->out, "<tr><th scope=\"row\">%s <span class=\"unit\">%s</span></th>",
			    row->label, row->portrait || minutes ? "" : unit_words(d, row->unit));
		for (size_t i = 0; i < c->n; i++) {
			struct report_compare_cell cell;
			report_compare_cell(c, row, i, &cell);
			html_printf(
				d->out, "<td class=\"num\">%s",
				minutes && cell.has_value
					? report_minutes_words(req->arena, req->lang, cell.value)
					: cell.display);
			if (cell.has_status) {
				html_printf(d->out, "<br>");
				dash_status(d, cell.status);
			}
			html_printf(d->out, "</td>");
		}
		html_printf(d->out, "<td>%s</td></tr>\n",
			    row->first ? report_target_text(req->arena, req->lang, row->first)
				       : "");
	}
	html_printf(d->out, "</tbody></table></div>\n");
}

/* Two key indicators side by side as bars. */
static void comparison_charts(struct dash *d, const struct report_comparison *c)
{
	static const enum report_ind keys[] = {REPORT_IND_ARR_DELAI_PRISE_EN_CHARGE,
					       REPORT_IND_ARR_TAUX_ECHAPPEMENT};
	static const char *const chart_ids[] = {"comparaison-delai", "comparaison-echappement"};
	struct arena *a = d->req->arena;
	size_t nt = c->n < CHART_MAX_CATS ? c->n : CHART_MAX_CATS;
	const char **cats = arena_calloc(a, nt, sizeof(*cats));
	for (size_t i = 0; i < nt; i++)
		cats[i] = c->reports[i].scope.territory_name;
	html_printf(d->out, "<div class=\"dash-grid\">\n");
	for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
		const struct ind_result *x0 = report_get(&c->reports[0], keys[k]);
		if (!x0)
			continue;
		double *v = arena_calloc(a, nt, sizeof(*v));
		unsigned char *m = arena_calloc(a, nt, 1);
		const char **hidden = arena_calloc(a, nt, sizeof(*hidden));
		for (size_t i = 0; i < nt; i++) {
			const struct ind_result *x = report_get(&c->reports[i], keys[k]);
			v[i] = x && x->has_value ? x->value : 0;
			m[i] = x && x->has_value    ? CHART_VALUE
			       : x && x->suppressed ? CHART_SUPPRESSED
						    : CHART_MISSING;
			hidden[i] = x ? x->display : NULL;
		}
		struct chart ch = {.kind = CHART_BAR,
				   .title = x0->label,
				   .unit = report_unit_words(d->req->lang, x0->unit),
				   .lang = d->req->lang,
				   .n_series = 1,
				   .n_cats = nt,
				   .cats = cats,
				   .values = v,
				   .marks = m,
				   .hidden = hidden,
				   .decimals = 1,
				   .has_target = x0->target.present,
				   .target = x0->target.value,
				   .target_label = report_target_text(a, d->req->lang, x0)};
		dash_chart(d, chart_ids[k], &ch);
	}
	html_printf(d->out, "</div>\n");
}

/* The comparison's period and parent from req into d and *parent;
 * computes it into c. */
static enum perr comparison_compute(struct dash *d, const char **parent,
				    struct report_comparison *c)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	*parent = req_query(d->req, "parent");
	if (*parent && !**parent)
		*parent = NULL;
	enum perr e = report_compare(db, d->req->arena, d->req->actor, &d->rq, *parent, c);
	if (e == PERR_OK)
		dash_set_query(d, NULL, *parent);
	d->parent = *parent;
	return e;
}

enum perr view_dash_comparison(struct request *req, struct response *resp)
{
	const struct actor *who = req->actor;
	if (who->role != ROLE_ANALYSTE && who->role != ROLE_ADMIN)
		return PERR_NOT_FOUND;
	struct dash d;
	dash_open(&d, req, resp);
	dash_period(&d);
	const char *parent;
	struct report_comparison c;
	enum perr e = comparison_compute(&d, &parent, &c);
	if (e != PERR_OK)
		return dash_fail(&d, e);

	dash_begin(&d, TR(req, "Comparaison des territoires"));
	html_printf(d.out, "<h1>%s</h1>\n", TR(req, "Comparaison des territoires"));
	if (parent)
		html_printf(
			d.out,
			"<p class=\"no-print\"><a href=\"/tableaux/comparaison?%s\">%s</a></p>\n",
			arena_printf(req->arena, "du=%s&au=%s",
				     report_date_text(req->arena, &d.rq.from),
				     report_date_text(req->arena, &d.rq.to)),
			TR(req, "← Tous les territoires"));
	dash_period_form(&d, comparison_parent_field, (void *)parent);
	if (c.n == 0) {
		html_printf(d.out, "<p class=\"empty\">%s</p>\n", TR(req, "Aucun territoire."));
		return dash_end(&d);
	}
	dash_scope_line(&d, &c.reports[0]);
	comparison_table(&d, &c);
	comparison_charts(&d, &c);
	dash_downloads_at(&d, "/tableaux/comparaison/fichier", false);
	return dash_end(&d);
}

/* Writes the comparison file of format fmt into resp. 0 or -1. */
static int comparison_file_body(const struct report_comparison *c, const char *fmt,
				const char *lang, struct response *resp)
{
	if (strcmp(fmt, "csv") == 0) {
		struct report_csv_options o = {.sep = ';', .decimal_comma = true, .bom = true};
		if (strcmp(lang, "en") == 0)
			o = (struct report_csv_options){.sep = ',', .bom = true};
		resp->content_type = "text/csv; charset=utf-8";
		return report_write_comparison_csv(c, &o, &resp->body);
	}
	bool pdf = strcmp(fmt, "pdf") == 0;
	resp->content_type = pdf ? "application/pdf" : CONTENT_TYPE_XLSX;
	return pdf ? report_comparison_pdf_into(c, &resp->body)
		   : report_comparison_xlsx_into(c, &resp->body);
}

enum perr view_dash_comparison_file(struct request *req, struct response *resp)
{
	const struct actor *who = req->actor;
	if (who->role != ROLE_ANALYSTE && who->role != ROLE_ADMIN)
		return PERR_NOT_FOUND;
	const char *fmt = req_query(req, "format");
	if (!fmt || (strcmp(fmt, "csv") && strcmp(fmt, "xlsx") && strcmp(fmt, "pdf")))
		return PERR_NOT_FOUND;
	struct dash d;
	dash_open(&d, req, resp);
	dash_period(&d);
	if (d.warning)
		return PERR_INVALID;
	const char *parent;
	struct report_comparison c;
	enum perr e = comparison_compute(&d, &parent, &c);
	if (e != PERR_OK)
		return dash_fail(&d, e);
	if (c.n == 0)
		return PERR_NOT_FOUND;
	if (comparison_file_body(&c, fmt, req->lang, resp) < 0)
		return PERR_INTERNAL;
	char *name = arena_printf(req->arena, "comparaison-%s-%s-%s.%s", parent ? parent : "tous",
				  report_date_text(req->arena, &d.rq.from),
				  report_date_text(req->arena, &d.rq.to), fmt);
	dash_attachment(req, resp, name);
	return PERR_OK;
}

/* ---- my work (PAP) ---- */

enum perr view_dash_mine(struct request *req, struct response *resp)
{
	const struct actor *who = req->actor;
	if ((who->role != ROLE_PAP && who->role != ROLE_GESTIONNAIRE) || !who->organisation_id)
		return PERR_NOT_FOUND;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct dash d;
	dash_open(&d, req, resp);
	d.query = "";
	const char *ids[] = {REPORT_IDS[REPORT_IND_ACT_ACTIVITES],
			     REPORT_IDS[REPORT_IND_ACT_PERSONNES_REJOINTES],
			     REPORT_IDS[REPORT_IND_ACT_FAMILLES_REJOINTES],
			     REPORT_IDS[REPORT_IND_ACT_NOUVEAUX_CONTACTS],
			     REPORT_IDS[REPORT_IND_ACT_TEMPS]};
	/* This week (Monday to Sunday), this month, this year: each cut at today. */
	struct pdate t = today();
	int64_t td = ptime_days_from_civil(&t);
	int64_t dow = ((td % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: Monday = 0 */
	struct pdate from[3] = {ptime_civil_from_days(td - dow),
				{.year = t.year, .month = t.month, .day = 1},
				{.year = t.year, .month = 1, .day = 1}};
	const char *names[3] = {TR(req, "Cette semaine"), TR(req, "Ce mois-ci"),
				TR(req, "Cette année")};
	struct report r[3];
	for (int i = 0; i < 3; i++) {
		struct report_request rq = d.rq;
		rq.from = from[i];
		rq.to = t;
		rq.view = REPORT_VIEW_GESTIONNAIRE; /* their own work: nothing to suppress */
		rq.only_ids = ids;
		rq.n_only_ids = ARRAY_LEN(ids);
		rq.author_id = who->person_id;
		enum perr e = report_compute(db, req->arena, &rq, &r[i]);
		if (e != PERR_OK)
			return dash_fail(&d, e);
	}

	dash_begin(&d, TR(req, "Mon travail"));
	html_printf(d.out, "<h1>%s</h1>\n", TR(req, "Mon travail"));
	html_printf(d.out,
		    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table class=\"dash-compare\">"
		    "<caption>%s</caption>"
		    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>\n",
		    TR(req, "Ma semaine, mon mois, mon année"),
		    TR(req, "Ma semaine, mon mois, mon année"), TR(req, "Indicateur"), names[0],
		    names[1], names[2]);
	for (size_t k = 0; k < r[0].n_indicators; k++) {
		html_printf(d.out, "<tr><th scope=\"row\">%s</th>", r[0].indicators[k].label);
		for (int i = 0; i < 3; i++)
			html_printf(d.out, "<td class=\"num\">%s</td>",
				    report_value_words(req->arena, req->lang, &r[i].indicators[k]));
		html_printf(d.out, "</tr>\n");
	}
	html_printf(d.out, "</tbody></table></div>\n");

	/* Direct and indirect hours of each period, and the multiplier. */
	const char *series[2] = {TR(req, "Direct"), TR(req, "Indirect")};
	double v[2 * 3];
	for (int i = 0; i < 3; i++) {
		const struct ind_result *tm = report_get(&r[i], REPORT_IND_ACT_TEMPS);
		const struct report_detail *dir = find_detail(tm, "direct"),
					   *ind = find_detail(tm, "indirect");
		v[i] = dir ? (double)dir->integer / 60.0 : 0;
		v[3 + i] = ind ? (double)ind->integer / 60.0 : 0;
	}
	struct chart c = {.kind = CHART_STACKED,
			  .title = TR(req, "Mes heures, directes et indirectes"),
			  .unit = "h",
			  .lang = req->lang,
			  .n_series = 2,
			  .n_cats = 3,
			  .series = series,
			  .cats = names,
			  .values = v,
			  .decimals = 1};
	dash_chart(&d, "mes-heures", &c);
	dash_time(&d, &r[2]);
	dash_breakdown_chart(&d, "mes-activites-par-type",
			     report_get(&r[2], REPORT_IND_ACT_ACTIVITES), "par_type", NULL);
	return dash_end(&d);
}

/* ---- index and report files ---- */

enum perr view_dash_index(struct request *req, struct response *resp)
{
	const char *to;
	switch (req->actor->role) {
	case ROLE_PAP: to = "/tableaux/moi"; break;
	case ROLE_GESTIONNAIRE: to = "/tableaux/organisation"; break;
	case ROLE_COMITE: to = "/tableaux/territoire"; break;
	case ROLE_ANALYSTE:
	case ROLE_ADMIN: to = "/tableaux/comparaison"; break;
	default: return PERR_NOT_FOUND;
	}
	/* The language and the period asked for go along (a Location is a URL:
	 * each value percent-encoded, '&' as it is). */
	static const char *const keep[] = {"lang", "du", "au"};
	struct buf b;
	buf_init(&b, 1024);
	buf_puts(&b, to);
	char sep = '?';
	for (size_t i = 0; i < ARRAY_LEN(keep); i++) {
		const char *v = req_query(req, keep[i]);
		if (!v || !*v)
			continue;
		buf_printf(&b, "%c%s=", sep, keep[i]);
		esc_url(&b, v);
		sep = '&';
	}
	if (!b.overflow && b.data)
		to = arena_strdup(req->arena, b.data);
	buf_free(&b);
	resp_redirect(resp, req->arena, to);
	return PERR_OK;
}

enum perr view_dash_report_file(struct request *req, struct response *resp)
{
	const struct actor *who = req->actor;
	if (who->role == ROLE_PAP || who->role == ROLE_NONE)
		return PERR_NOT_FOUND;
	const char *fmt = req_query(req, "format");
	if (!fmt || (strcmp(fmt, "csv") && strcmp(fmt, "xlsx") && strcmp(fmt, "pdf") &&
		     strcmp(fmt, "html")))
		return PERR_NOT_FOUND;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct dash d;
	dash_open(&d, req, resp);
	dash_period(&d);
	if (d.warning)
		return PERR_INVALID;
	d.rq.territory = req_query(req, "territoire");
	enum perr e = report_request_for_actor(db, req->arena, who, NULL, &d.rq);
	struct report r;
	if (e == PERR_OK)
		e = report_compute(db, req->arena, &d.rq, &r);
	if (e != PERR_OK)
		return dash_fail(&d, e);
	char f[11], t[11];
	ptime_format_date(&r.scope.from, f);
	ptime_format_date(&r.scope.to, t);
	char *name = arena_printf(req->arena, "rapport-%s-%s-%s.%s",
				  r.scope.territory      ? r.scope.territory
				  : r.scope.organisation ? r.scope.organisation
							 : "tous",
				  f, t, fmt);
	int rc;
	if (strcmp(fmt, "csv") == 0) {
		struct report_csv_options o = {.sep = ';', .decimal_comma = true, .bom = true};
		if (strcmp(req->lang, "en") == 0)
			o = (struct report_csv_options){.sep = ',', .bom = true};
		rc = report_write_csv(&r, &o, &resp->body);
		resp->content_type = "text/csv; charset=utf-8";
	} else if (strcmp(fmt, "html") == 0) {
		rc = report_write_html(&r, &resp->body);
		resp->content_type = "text/html; charset=utf-8";
	} else {
		/* The PDF carries the selected stories and each indicator's trend,
		 * as `proxima report` does; without them it is still a report. */
		bool pdf = strcmp(fmt, "pdf") == 0;
		struct report_export_options eo = {0};
		struct report_trend trend;
		if (pdf) {
			/* An admin reads no story (model/story.h), here neither. */
			if (who->role != ROLE_ADMIN &&
			    report_export_stories(db, req->arena, &r, &eo) < 0)
				log_warn("dashboard.report", "stories=omitted");
			if (report_trend_quarters(db, req->arena, &d.rq, &trend) == PERR_OK)
				eo.trend = &trend;
		}
		rc = pdf ? report_pdf_into(&r, &eo, &resp->body)
			 : report_xlsx_into(&r, &eo, &resp->body);
		resp->content_type = pdf ? "application/pdf" : CONTENT_TYPE_XLSX;
	}
	if (rc < 0)
		return PERR_INTERNAL;
	dash_attachment(req, resp, name);
	return PERR_OK;
}
