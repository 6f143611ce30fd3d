/* The report as a PDF (cairo + pango); see export.h.
 *
 * The document is drawn twice: once onto a PDF surface that discards its
 * bytes, to count the pages, then onto the file with "page N de M" in the
 * footers. Pages are US Letter with 54 pt margins. Text is laid out with
 * Pango (per-thread font map, see chart.h); charts come from chart.c and
 * are vector graphics in the PDF. */
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"
#include "reports/chart.h"
#include "reports/compare.h"
#include "reports/export.h"

#define PAGE_W 612.0
#define PAGE_H 792.0
#define MARGIN 54.0
#define BODY_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 18)

struct pw {
	cairo_t *cr;
	struct arena *a;
	const struct report *r;
	const struct report_comparison *cmp; /* the comparison's PDF only */
	const struct report_export_options *opts;
	const char *lang, *title;
	int page, total; /* total 0 on the counting pass */
	double y;
};

static PangoLayout *make_layout(struct pw *w, const char *text, double size, bool bold,
				double width, bool italic)
{
	PangoLayout *pl = pango_cairo_create_layout(w->cr);
	PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans");
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	if (italic)
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(pl, text, -1);
	return pl;
}

static double layout_height(PangoLayout *pl)
{
	int wd, ht;
	pango_layout_get_size(pl, &wd, &ht);
	return (double)ht / PANGO_SCALE;
}

/* Draws text at (x, y) without moving the cursor; returns its height. */
static double text_at(struct pw *w, double x, double y, const char *text, double size, bool bold,
		      double width, PangoAlignment align)
{
	PangoLayout *pl = make_layout(w, text, size, bold, width, false);
	pango_layout_set_alignment(pl, align);
	cairo_move_to(w->cr, x, y);
	cairo_set_source_rgb(w->cr, 0.1, 0.1, 0.1);
	pango_cairo_show_layout(w->cr, pl);
	double h = layout_height(pl);
	g_object_unref(pl);
	return h;
}

static void page_footer(struct pw *w)
{
	/* A translated format ("page %d of %d"): msgfmt --check keeps the two
	 * %d in the English. The count is unknown on the counting pass. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	const char *s = arena_printf(w->a, i18n_tr(w->lang, "page %d de %d"), w->page,
				     w->total ? w->total : 999);
#pragma GCC diagnostic pop
	cairo_set_source_rgb(w->cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(w->cr, 0.5);
	cairo_move_to(w->cr, MARGIN, PAGE_H - MARGIN + 2);
	cairo_line_to(w->cr, PAGE_W - MARGIN, PAGE_H - MARGIN + 2);
	cairo_stroke(w->cr);
	text_at(w, MARGIN, PAGE_H - MARGIN + 6, w->title, 7.5, false, BODY_W * 0.7,
		PANGO_ALIGN_LEFT);
	text_at(w, MARGIN, PAGE_H - MARGIN + 6, s, 7.5, false, BODY_W, PANGO_ALIGN_RIGHT);
}

static void new_page(struct pw *w)
{
	page_footer(w);
	cairo_show_page(w->cr);
	w->page++;
	w->y = MARGIN;
}

/* Makes room for h points, starting a page when needed. */
static void need(struct pw *w, double h)
{
	if (w->y + h > BOTTOM && w->y > MARGIN + 1)
		new_page(w);
}

/* A wrapped paragraph at the cursor; breaks pages between lines. */
static void para(struct pw *w, const char *text, double size, bool bold, double indent, bool italic)
{
	if (!text || !text[0])
		return;
	PangoLayout *pl = make_layout(w, text, size, bold, BODY_W - indent, italic);
	PangoLayoutIter *it = pango_layout_get_iter(pl);
	cairo_set_source_rgb(w->cr, 0.1, 0.1, 0.1);
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double lh = (double)logical.height / PANGO_SCALE;
		need(w, lh);
		int base = pango_layout_iter_get_baseline(it);
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		cairo_set_source_rgb(w->cr, 0.1, 0.1, 0.1);
		cairo_move_to(w->cr, MARGIN + indent + (double)logical.x / PANGO_SCALE,
			      w->y + (double)(base - logical.y) / PANGO_SCALE);
		pango_cairo_show_layout_line(w->cr, line);
		w->y += lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(pl);
	w->y += size * 0.4;
}

static void heading(struct pw *w, const char *text, double size)
{
	need(w, size * 4); /* never alone at the bottom of a page */
	w->y += size * 0.6;
	para(w, text, size, true, 0, false);
}

/* A two-column row "label  value" (label bold), wrapped. */
static void pair(struct pw *w, const char *label, const char *value)
{
	PangoLayout *pv = make_layout(w, value ? value : "", 9.5, false, BODY_W - 150, false);
	double h = layout_height(pv);
	g_object_unref(pv);
	need(w, h);
	text_at(w, MARGIN, w->y, label, 9.5, true, 145, PANGO_ALIGN_LEFT);
	text_at(w, MARGIN + 150, w->y, value ? value : "", 9.5, false, BODY_W - 150,
		PANGO_ALIGN_LEFT);
	w->y += h + 2;
}

static const char *scope_name(const char *name, const char *id, const char *all)
{
	return name ? name : id ? id : all;
}

static void title_page(struct pw *w)
{
	const struct report_scope *s = &w->r->scope;
	const char *lang = w->lang, *all = i18n_tr(lang, "tous");
	w->y = MARGIN + 120;
	para(w, w->title, 24, true, 0, false);
	w->y += 16;
	char gen[64];
	report_time_words(lang, s->generated_at, gen, sizeof(gen));
	pair(w, i18n_tr(lang, "Territoire"),
	     scope_name(s->territory_name, s->territory, i18n_tr(lang, "tous les territoires")));
	pair(w, i18n_tr(lang, "Période"),
	     arena_printf(w->a, "%s %s %s %s", i18n_tr(lang, "du"),
			  report_date_text(w->a, &s->from), i18n_tr(lang, "au"),
			  report_date_text(w->a, &s->to)));
	pair(w, i18n_tr(lang, "Données en date du"), report_date_text(w->a, &s->as_of));
	pair(w, i18n_tr(lang, "Vue"), report_view_words(lang, s->view));
	if (s->sector || s->sector_name)
		pair(w, i18n_tr(lang, "Secteur"), scope_name(s->sector_name, s->sector, all));
	if (s->organisation || s->organisation_name)
		pair(w, i18n_tr(lang, "Organisation"),
		     scope_name(s->organisation_name, s->organisation, all));
	pair(w, i18n_tr(lang, "Produit le"), arena_strdup(w->a, gen));
	w->y += 24;
	para(w, report_suppression_note(w->a, w->r), 9, false, 0, true);
	para(w, w->r->scope.protection_note, 9, false, 0, true);
	new_page(w);
}

static void scope_section(struct pw *w)
{
	const struct report_scope *s = &w->r->scope;
	const char *lang = w->lang, *all = i18n_tr(lang, "tous");
	heading(w, i18n_tr(lang, "Portée"), 15);
	pair(w, i18n_tr(lang, "Territoire"),
	     scope_name(s->territory_name, s->territory, i18n_tr(lang, "tous les territoires")));
	if (s->n_sub_territories > 0) {
		struct buf b = BUF_INIT(4096);
		for (size_t i = 0; i < s->n_sub_territories; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", s->sub_territories[i]);
		pair(w, i18n_tr(lang, "Sous-territoires inclus"), arena_strdup(w->a, b.data));
		buf_free(&b);
	}
	pair(w, i18n_tr(lang, "Secteur"), scope_name(s->sector_name, s->sector, all));
	pair(w, i18n_tr(lang, "Organisation"),
	     scope_name(s->organisation_name, s->organisation, all));
	pair(w, i18n_tr(lang, "Période"),
	     arena_printf(w->a, "%s – %s", report_date_text(w->a, &s->from),
			  report_date_text(w->a, &s->to)));
	pair(w, i18n_tr(lang, "Données en date du"), report_date_text(w->a, &s->as_of));
	pair(w, i18n_tr(lang, "Vue"), report_view_words(lang, s->view));
	pair(w, i18n_tr(lang, "Seuil de caviardage"),
	     arena_printf(w->a, "%d", s->threshold > 0 ? s->threshold : REPORT_DEFAULT_THRESHOLD));
	pair(w, i18n_tr(lang, "Fenêtre d'échappement"),
	     arena_printf(w->a, "%d %s",
			  s->escape_window_days > 0 ? s->escape_window_days
						    : REPORT_DEFAULT_ESCAPE_WINDOW,
			  i18n_tr(lang, "jours")));
}

static const char *value_text(struct pw *w, const struct ind_result *ind)
{
	return report_value_words(w->a, w->lang, ind);
}

/* The summary table: every indicator, its value, target and status. */
static void summary(struct pw *w)
{
	const char *lang = w->lang;
	heading(w, i18n_tr(lang, "Sommaire des indicateurs"), 15);
	const double cx[] = {0, 232, 322, 396};
	const char *heads[] = {i18n_tr(lang, "Indicateur"), i18n_tr(lang, "Valeur"),
			       i18n_tr(lang, "Cible"), i18n_tr(lang, "Statut")};
	need(w, 30);
	for (int i = 0; i < 4; i++)
		text_at(w, MARGIN + cx[i], w->y, heads[i], 8.5, true,
			(i < 3 ? cx[i + 1] : BODY_W) - cx[i] - 6, PANGO_ALIGN_LEFT);
	w->y += 14;
	for (size_t i = 0; i < w->r->n_indicators; i++) {
		const struct ind_result *ind = &w->r->indicators[i];
		const char *cells[] = {ind->label, value_text(w, ind),
				       report_target_text(w->a, lang, ind),
				       report_status_words(lang, ind->status)};
		double h = 0;
		for (int c = 0; c < 4; c++) {
			PangoLayout *pl =
				make_layout(w, cells[c], 8.5, false,
					    (c < 3 ? cx[c + 1] : BODY_W) - cx[c] - 6, false);
			h = fmax(h, layout_height(pl));
			g_object_unref(pl);
		}
		need(w, h + 4);
		if (i % 2 == 0) {
			cairo_set_source_rgb(w->cr, 0.95, 0.96, 0.97);
			cairo_rectangle(w->cr, MARGIN - 2, w->y - 1, BODY_W + 4, h + 3);
			cairo_fill(w->cr);
		}
		for (int c = 0; c < 4; c++)
			text_at(w, MARGIN + cx[c], w->y, cells[c], 8.5,
				c == 3 && ind->status == REPORT_STATUS_NON_ATTEINT,
				(c < 3 ? cx[c + 1] : BODY_W) - cx[c] - 6, PANGO_ALIGN_LEFT);
		w->y += h + 3;
	}
}

static enum chart_status chart_status_of(enum report_status s)
{
	switch (s) {
	case REPORT_STATUS_ATTEINT: return CHART_STATUS_MET;
	case REPORT_STATUS_NON_ATTEINT: return CHART_STATUS_NOT_MET;
	case REPORT_STATUS_INSUFFISANT: return CHART_STATUS_INSUFFICIENT;
	case REPORT_STATUS_SANS_CIBLE: break;
	}
	return CHART_STATUS_NONE;
}

/* Draws c across the body at the current position, its height by the
 * charts' one rule (chart_size). */
static void draw_chart(struct pw *w, const struct chart *c)
{
	double cw, h;
	chart_size(c, CHART_MEDIUM_PDF, BODY_W, &cw, &h);
	need(w, h + 6);
	chart_draw(c, w->cr, MARGIN, w->y, cw, h);
	w->y += h + 6;
}

static void gauge(struct pw *w, const struct ind_result *ind)
{
	static const char *const cats[] = {""};
	double v = ind->value;
	unsigned char mark = ind->has_value    ? CHART_VALUE
			     : ind->suppressed ? CHART_SUPPRESSED
					       : CHART_MISSING;
	const char *hidden = ind->display;
	struct chart c = {
		.kind = CHART_GAUGE,
		.title = ind->label,
		.unit = report_unit_words(w->lang, ind->unit),
		.lang = w->lang,
		.n_series = 1,
		.n_cats = 1,
		.cats = cats,
		.values = &v,
		.marks = &mark,
		.hidden = &hidden,
		.decimals = 1,
		.has_target = true,
		.target = ind->target.value,
		.target_label = arena_printf(w->a, "%s %s", i18n_tr(w->lang, "cible"),
					     report_target_text(w->a, w->lang, ind)),
		.status = chart_status_of(ind->status),
	};
	draw_chart(w, &c);
}

static bool unit_is_count(const char *unit);

/* The indicator over the last four quarters, as a line with the target. */
static void trend(struct pw *w, const struct ind_result *ind)
{
	const struct report_trend *t = w->opts->trend;
	size_t n = t->n < REPORT_TREND_QUARTERS ? t->n : REPORT_TREND_QUARTERS, shown = 0;
	if (n < 2)
		return;
	double *vals = arena_calloc(w->a, n, sizeof(double));
	unsigned char *marks = arena_calloc(w->a, n, 1);
	const char **cats = arena_calloc(w->a, n, sizeof(char *));
	const char **hidden = arena_calloc(w->a, n, sizeof(char *));
	for (size_t k = 0; k < n; k++) {
		const struct ind_result *q = report_find(&t->quarters[k].report, ind->id);
		cats[k] = t->quarters[k].label;
		hidden[k] = q ? q->display : NULL;
		marks[k] = CHART_MISSING;
		if (q && q->has_value) {
			vals[k] = q->value;
			marks[k] = CHART_VALUE;
			shown++;
		} else if (q && q->suppressed) {
			marks[k] = CHART_SUPPRESSED;
		}
	}
	if (shown < 2)
		return;
	struct chart c = {
		.kind = CHART_LINE,
		.title = arena_printf(w->a, "%s — %s", ind->label,
				      i18n_tr(w->lang, "tendance par trimestre")),
		.unit = report_unit_words(w->lang, ind->unit),
		.lang = w->lang,
		.n_series = 1,
		.n_cats = n,
		.cats = cats,
		.values = vals,
		.marks = marks,
		.hidden = hidden,
		.decimals = unit_is_count(ind->unit) ? 0 : 1,
		.has_target = ind->target.present,
		.target = ind->target.value,
		.target_label = ind->target.present
					? arena_printf(w->a, "%s %s", i18n_tr(w->lang, "cible"),
						       report_target_text(w->a, w->lang, ind))
					: NULL,
	};
	draw_chart(w, &c);
}

static bool unit_is_count(const char *unit)
{
	return !unit || strcmp(unit, "nombre") == 0 || strcmp(unit, "personnes") == 0 ||
	       strcmp(unit, "familles") == 0 || strcmp(unit, "minutes") == 0;
}

static void breakdown(struct pw *w, const struct ind_result *ind, const struct report_breakdown *bd)
{
	if (bd->n_cells == 0)
		return;
	size_t n = bd->n_cells < 24 ? bd->n_cells : 24;
	double *vals = arena_calloc(w->a, n, sizeof(double));
	unsigned char *marks = arena_calloc(w->a, n, 1);
	const char **cats = arena_calloc(w->a, n, sizeof(char *));
	const char **hidden = arena_calloc(w->a, n, sizeof(char *));
	for (size_t k = 0; k < n; k++) {
		const struct report_cell *cell = &bd->cells[k];
		cats[k] = cell->label ? cell->label : cell->key ? cell->key : "";
		vals[k] = cell->has_value ? cell->value : 0;
		marks[k] = cell->has_value    ? CHART_VALUE
			   : cell->suppressed ? CHART_SUPPRESSED
					      : CHART_MISSING;
		hidden[k] = cell->display;
	}
	struct chart c = {
		.kind = CHART_BAR,
		.title = arena_printf(w->a, "%s — %s", ind->label, bd->label ? bd->label : ""),
		.unit = report_unit_words(w->lang, bd->unit),
		.lang = w->lang,
		.n_series = 1,
		.n_cats = n,
		.cats = cats,
		.values = vals,
		.marks = marks,
		.hidden = hidden,
		.decimals = bd->entered               ? report_breakdown_decimals(bd)
			    : unit_is_count(bd->unit) ? 0
						      : 1,
	};
	draw_chart(w, &c);
	/* the numbers behind the chart, as text */
	struct buf b = BUF_INIT(16384);
	for (size_t k = 0; k < bd->n_cells; k++)
		buf_printf(&b, "%s%s%s%s", k ? " · " : "",
			   bd->cells[k].label ? bd->cells[k].label : bd->cells[k].key,
			   i18n_tr(w->lang, " : "), bd->cells[k].display);
	para(w, b.data, 7.5, false, 8, false);
	buf_free(&b);
}

static bool en_quotes(const char *lang);

/* The selected stories that share a tag with ind (the sens beside the
 * mesure): up to two, quoted only with consent; the rest are counted. */
static void indicator_stories(struct pw *w, const struct ind_result *ind)
{
	const struct report_story *hit[2];
	size_t n = report_stories_for(w->opts, ind, hit, 2);
	if (n == 0)
		return;
	const char *lang = w->lang;
	para(w, arena_printf(w->a, "%s (%zu)", i18n_tr(lang, "Récits liés à cet indicateur"), n), 9,
	     true, 0, false);
	for (size_t i = 0; i < n && i < 2; i++) {
		const struct report_story *s = hit[i];
		const char *text =
			!s->text          ? i18n_tr(lang,
						    "Texte non cité : pas de consentement à la citation.")
			: en_quotes(lang) ? arena_printf(w->a, "“%s”", s->text)
					  : arena_printf(w->a, "« %s »", s->text);
		para(w, arena_printf(w->a, "%s — %s", s->date ? s->date : "", text), 8.5, false, 12,
		     s->text == NULL);
	}
}

static void indicator(struct pw *w, const struct ind_result *ind)
{
	const char *lang = w->lang;
	/* keep the heading, its figures and the gauge together */
	need(w, ind->target.present ? 160 : 70);
	heading(w, ind->label, 11.5);
	struct buf b = BUF_INIT(4096);
	const char *sep = i18n_tr(lang, " : ");
	buf_printf(&b, "%s%s%s", i18n_tr(lang, "Valeur"), sep, value_text(w, ind));
	if (!ind->suppressed) {
		char num[64];
		if (ind->has_n)
			buf_printf(&b, " · n = %lld", (long long)ind->n);
		if (ind->has_ratio)
			buf_printf(&b, " · %s / %s",
				   chart_format_number(lang, ind->numerator, 0, num, sizeof(num)),
				   arena_strdup(w->a, chart_format_number(lang, ind->denominator, 0,
									  num, sizeof(num))));
		if (ind->has_median)
			buf_printf(&b, " · %s %s", i18n_tr(lang, "médiane"),
				   chart_format_number(lang, ind->median, 1, num, sizeof(num)));
		if (ind->has_p90)
			buf_printf(&b, " · %s %s", i18n_tr(lang, "90e centile"),
				   chart_format_number(lang, ind->p90, 1, num, sizeof(num)));
	}
	para(w, b.data, 9.5, false, 0, false);
	buf_reset(&b);
	buf_printf(&b, "%s%s%s · %s%s%s", i18n_tr(lang, "Cible"), sep,
		   report_target_text(w->a, lang, ind), i18n_tr(lang, "Statut"), sep,
		   report_status_words(lang, ind->status));
	para(w, b.data, 9.5, ind->status == REPORT_STATUS_NON_ATTEINT, 0, false);
	buf_free(&b);
	if (ind->suppressed)
		para(w, i18n_tr(lang, "Valeur caviardée : trop peu de personnes pour la montrer."),
		     8.5, false, 0, true);
	if (ind->target.present)
		gauge(w, ind);
	if (w->opts && w->opts->trend)
		trend(w, ind);
	for (size_t i = 0; i < ind->n_breakdowns; i++)
		breakdown(w, ind, &ind->breakdowns[i]);
	for (size_t i = 0; i < ind->n_details; i++) {
		const struct report_detail *d = &ind->details[i];
		const char *v = d->display && d->display[0] ? d->display : d->text ? d->text : "";
		para(w, arena_printf(w->a, "%s%s%s", d->label ? d->label : d->key, sep, v), 8.5,
		     false, 8, false);
	}
	indicator_stories(w, ind);
}

static bool en_quotes(const char *lang)
{
	return strcmp(lang, "en") == 0;
}

/* The scope's stories counted per tag of one kind, as a bar chart: the
 * qualitative evidence is itself visible in numbers (indicators.md). */
static void story_counts(struct pw *w, const char *kind, const char *title)
{
	const struct report_export_options *o = w->opts;
	size_t n = 0;
	for (size_t i = 0; i < o->n_story_counts; i++)
		n += strcmp(o->story_counts[i].kind, kind) == 0;
	if (n == 0)
		return;
	if (n > 24)
		n = 24;
	double *vals = arena_calloc(w->a, n, sizeof(double));
	const char **cats = arena_calloc(w->a, n, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < o->n_story_counts && k < n; i++) {
		if (strcmp(o->story_counts[i].kind, kind) != 0)
			continue;
		cats[k] = o->story_counts[i].label;
		vals[k++] = o->story_counts[i].count;
	}
	struct chart c = {
		.kind = CHART_BAR,
		.title = title,
		.unit = i18n_tr(w->lang, "récits"),
		.lang = w->lang,
		.n_series = 1,
		.n_cats = n,
		.cats = cats,
		.values = vals,
	};
	draw_chart(w, &c);
}

static void stories(struct pw *w)
{
	const char *lang = w->lang;
	const struct report_export_options *o = w->opts;
	heading(w, i18n_tr(lang, "Récits"), 15);
	if (!o || (!o->stories_searched && o->n_stories == 0)) {
		para(w,
		     i18n_tr(lang, "Les récits sélectionnés pour la période s'ajoutent ici "
				   "lorsqu'ils sont fournis au rapport."),
		     9.5, false, 0, true);
		return;
	}
	if (o->stories_searched)
		para(w,
		     arena_printf(w->a, "%s%s%lld · %s%s%zu", i18n_tr(lang, "Récits de la période"),
				  i18n_tr(lang, " : "), (long long)o->n_stories_in_scope,
				  i18n_tr(lang, "retenus (changement le plus significatif)"),
				  i18n_tr(lang, " : "), o->n_stories),
		     9.5, false, 0, false);
	if (o->n_stories == 0)
		para(w, i18n_tr(lang, "Aucun récit sélectionné pour cette période."), 9.5, false, 0,
		     true);
	const char *sep = i18n_tr(lang, " : ");
	story_counts(w, "strategy", i18n_tr(lang, "Récits par stratégie"));
	story_counts(w, "outcome", i18n_tr(lang, "Récits par retombée"));
	for (size_t i = 0; i < o->n_stories; i++) {
		const struct report_story *s = &o->stories[i];
		need(w, 60);
		heading(w, s->title ? s->title : s->date ? s->date : "", 10.5);
		if (s->tags && s->tags[0])
			para(w, s->tags, 8, false, 0, true);
		if (s->text)
			para(w,
			     en_quotes(lang) ? arena_printf(w->a, "“%s”", s->text)
					     : arena_printf(w->a, "« %s »", s->text),
			     9.5, false, 12, false);
		else
			para(w,
			     i18n_tr(lang, "Texte non cité : pas de consentement à la citation."),
			     8.5, false, 12, true);
		for (size_t k = 0; k < s->n_reasons; k++)
			para(w,
			     arena_printf(w->a, "%s%s%s", s->reasons[k].by, sep,
					  s->reasons[k].reason),
			     8.5, false, 12, false);
	}
}

static void method(struct pw *w)
{
	const char *lang = w->lang;
	heading(w, i18n_tr(lang, "Méthode et définitions"), 15);
	para(w,
	     i18n_tr(lang, "Dates locales (America/Toronto), bornes incluses ; rien après la date "
			   "de référence n'est compté. Durées en jours = heures écoulées / 24. "
			   "Chaque moyenne est donnée avec n, la médiane et, pour les délais, le "
			   "90e centile (rang le plus proche)."),
	     9, false, 0, false);
	para(w, report_suppression_note(w->a, w->r), 9, false, 0, true);
	para(w, w->r->scope.protection_note, 9, false, 0, true);
	for (size_t i = 0; i < w->r->n_indicators; i++) {
		const struct ind_result *ind = &w->r->indicators[i];
		need(w, 30);
		para(w, arena_printf(w->a, "%s (%s)", ind->label, ind->id), 9, true, 0, false);
		para(w, report_definition(lang, ind->id), 8.5, false, 8, false);
	}
}

/* One whole pass over the document onto cr. Returns the page count. */
static int render(struct pw *w)
{
	w->page = 1;
	title_page(w);
	scope_section(w);
	summary(w);
	for (int s = 0; s < REPORT_N_SECTIONS; s++) {
		new_page(w);
		heading(w, report_section_title(w->lang, (enum report_section)s), 17);
		for (size_t i = 0; i < w->r->n_indicators; i++)
			if (report_section_of(w->r->indicators[i].id) == (enum report_section)s)
				indicator(w, &w->r->indicators[i]);
	}
	new_page(w);
	stories(w);
	method(w);
	page_footer(w);
	cairo_show_page(w->cr);
	return w->page;
}

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure, (void)data, (void)len;
	return CAIRO_STATUS_SUCCESS;
}

/* Appends what cairo writes to the buf of closure. */
static cairo_status_t append(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Draws the document twice with render (counting the pages, then into
 * out when not NULL, else into the file at path). 0, or -1 (logged). */
static int pdf_draw(struct pw *w, const char *path, struct buf *out, int (*render_fn)(struct pw *))
{
	int rc = 0;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		cairo_surface_t *sf =
			pass == 0
				? cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H)
			: out ? cairo_pdf_surface_create_for_stream(append, out, PAGE_W, PAGE_H)
			      : cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
		if (pass == 1) {
			cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, w->title);
			cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "Proxima");
		}
		w->cr = cairo_create(sf);
		int pages = render_fn(w);
		cairo_destroy(w->cr);
		cairo_surface_finish(sf);
		cairo_status_t st = cairo_surface_status(sf);
		cairo_surface_destroy(sf);
		if (st != CAIRO_STATUS_SUCCESS) {
			log_error("pdf_write_failed", "reason=\"%s\"", cairo_status_to_string(st));
			rc = -1;
		}
		w->total = pages;
	}
	return rc;
}

/* r as a PDF into out, else at path. 0 or -1. */
static int write_report(const struct report *r, const char *path, struct buf *out,
			const struct report_export_options *opts)
{
	const char *lang = r->scope.lang && strcmp(r->scope.lang, "en") == 0 ? "en" : "fr";
	struct pw w = {.a = arena_new(16384), .r = r, .opts = opts, .lang = lang};
	w.title = opts && opts->title ? opts->title
				      : i18n_tr(lang, "Rapport d'indicateurs — Proxima");
	int rc = pdf_draw(&w, path, out, render);
	arena_free(w.a);
	return rc;
}

/* See export.h. */
int report_write_pdf(const struct report *r, const char *path,
		     const struct report_export_options *opts)
{
	return write_report(r, path, NULL, opts);
}

/* See export.h. */
int report_pdf_into(const struct report *r, const struct report_export_options *opts,
		    struct buf *out)
{
	return write_report(r, NULL, out, opts);
}

/* ---- the comparison of territories (compare.h) ---- */

#define CMP_LABEL_W 150.0
#define CMP_TARGET_W 58.0

/* One row of the comparison's table: cells[0] the label, then one per
 * territory, then the target; widths in cw. */
static void cmp_row(struct pw *w, const char *const *cells, const double *cw, size_t n, bool bold,
		    bool shade)
{
	double h = 0;
	for (size_t c = 0; c < n; c++) {
		PangoLayout *pl = make_layout(w, cells[c], 8, bold, cw[c] - 6, false);
		h = fmax(h, layout_height(pl));
		g_object_unref(pl);
	}
	need(w, h + 4);
	if (shade) {
		cairo_set_source_rgb(w->cr, 0.95, 0.96, 0.97);
		cairo_rectangle(w->cr, MARGIN - 2, w->y - 1, BODY_W + 4, h + 3);
		cairo_fill(w->cr);
	}
	double x = MARGIN;
	for (size_t c = 0; c < n; c++) {
		text_at(w, x, w->y, cells[c], 8, bold, cw[c] - 6,
			c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
		x += cw[c];
	}
	w->y += h + 3;
}

static int render_comparison(struct pw *w)
{
	const struct report_comparison *c = w->cmp;
	const struct report_scope *s = &w->r->scope;
	const char *lang = w->lang;
	w->page = 1;
	w->y = MARGIN;
	para(w, w->title, 18, true, 0, false);
	char gen[64];
	report_time_words(lang, s->generated_at, gen, sizeof(gen));
	pair(w, i18n_tr(lang, "Période"),
	     arena_printf(w->a, "%s %s %s %s", i18n_tr(lang, "du"),
			  report_date_text(w->a, &s->from), i18n_tr(lang, "au"),
			  report_date_text(w->a, &s->to)));
	pair(w, i18n_tr(lang, "Données en date du"), report_date_text(w->a, &s->as_of));
	pair(w, i18n_tr(lang, "Vue"), report_view_words(lang, s->view));
	pair(w, i18n_tr(lang, "Produit le"), arena_strdup(w->a, gen));
	para(w, report_suppression_note(w->a, w->r), 8.5, false, 0, true);
	size_t ncol = c->n + 2;
	double *cw = arena_calloc(w->a, ncol, sizeof(*cw));
	const char **cells = arena_calloc(w->a, ncol, sizeof(*cells));
	cw[0] = CMP_LABEL_W;
	for (size_t i = 0; i < c->n; i++)
		cw[1 + i] = (BODY_W - CMP_LABEL_W - CMP_TARGET_W) / (double)c->n;
	cw[ncol - 1] = CMP_TARGET_W;
	cells[0] = i18n_tr(lang, "Indicateur");
	for (size_t i = 0; i < c->n; i++) {
		const struct report_scope *t = &c->reports[i].scope;
		cells[1 + i] = t->territory_name ? t->territory_name : t->territory;
	}
	cells[ncol - 1] = i18n_tr(lang, "Cible");
	w->y += 6;
	cmp_row(w, cells, cw, ncol, true, false);
	struct report_compare_row *rows;
	size_t n = report_compare_rows(c, w->a, &rows);
	for (size_t k = 0; k < n; k++) {
		const struct report_compare_row *r = &rows[k];
		bool minutes = strcmp(r->unit, "minutes") == 0;
		const char *unit = r->portrait || minutes ? "" : report_unit_words(lang, r->unit);
		cells[0] = unit[0] && strcmp(r->unit, "nombre")
				   ? arena_printf(w->a, "%s (%s)", r->label, unit)
				   : r->label;
		for (size_t i = 0; i < c->n; i++) {
			struct report_compare_cell cell;
			report_compare_cell(c, r, i, &cell);
			if (minutes && cell.has_value)
				cell.display = report_minutes_words(w->a, lang, cell.value);
			cells[1 + i] =
				cell.has_status
					? arena_printf(w->a, "%s\n%s", cell.display,
						       report_status_words(lang, cell.status))
					: cell.display;
		}
		cells[ncol - 1] = r->first ? report_target_text(w->a, lang, r->first) : "";
		cmp_row(w, cells, cw, ncol, false, k % 2 == 0);
	}
	page_footer(w);
	cairo_show_page(w->cr);
	return w->page;
}

/* The comparison c as a PDF into out, else at path. 0 or -1. */
static int write_comparison(const struct report_comparison *c, const char *path, struct buf *out)
{
	if (c->n == 0)
		return -1;
	const struct report *r0 = &c->reports[0];
	const char *lang = r0->scope.lang && strcmp(r0->scope.lang, "en") == 0 ? "en" : "fr";
	struct pw w = {.a = arena_new(16384), .r = r0, .cmp = c, .lang = lang};
	w.title = i18n_tr(lang, "Comparaison des territoires");
	int rc = pdf_draw(&w, path, out, render_comparison);
	arena_free(w.a);
	return rc;
}

/* See compare.h. */
int report_write_comparison_pdf(const struct report_comparison *c, const char *path)
{
	return write_comparison(c, path, NULL);
}

/* See compare.h. */
int report_comparison_pdf_into(const struct report_comparison *c, struct buf *out)
{
	return write_comparison(c, NULL, out);
}
