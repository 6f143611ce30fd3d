/* The report as an XLSX workbook (libxlsxwriter); see export.h.
 *
 * Sheets: "Portée et méthode" (scope, suppression note, definitions),
 * "Arrimage", "Activités", "Équipe" (one row per indicator),
 * "Ventilations" (every breakdown and detail). Numbers are written as
 * numbers with a format for their unit; percentages as fractions with
 * the "0.0%" format, so Excel computes with them. A suppressed figure is
 * the text the struct displays ("<5", "n<5") with a cell comment, and
 * each sheet that has one ends with a footnote. Text cells go through
 * sheet_text, so none is ever read as a formula. */
#include <string.h>

#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"
#include "reports/chart.h"
#include "reports/compare.h"
#include "reports/export.h"
#include "reports/rc_file.h"
#include "reports/spool.h"

struct xw {
	lxw_workbook *wb;
	struct arena *a;
	const struct report *r;
	const char *lang;
	lxw_format *bold, *head, *title, *wrap, *note;
	lxw_format *f_count, *f_dec1, *f_dec2, *f_pct, *f_days, *f_hours, *f_min, *f_score;
	const char *note_text; /* the suppression note (comment and footnote) */
};

/* A text cell: never read as a formula (sheet_text). */
static void put_text(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
		     lxw_format *f)
{
	worksheet_write_string(ws, row, col, sheet_text(x->a, s), f);
}

static lxw_format *num_format(struct xw *x, const char *fmt)
{
	lxw_format *f = workbook_add_format(x->wb);
	format_set_num_format(f, fmt);
	return f;
}

static void formats_init(struct xw *x)
{
	bool en = strcmp(x->lang, "en") == 0;
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	format_set_text_wrap(x->head);
	format_set_bg_color(x->head, 0xE8EEF4);
	x->title = workbook_add_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 14);
	x->wrap = workbook_add_format(x->wb);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
	x->note = workbook_add_format(x->wb);
	format_set_italic(x->note);
	format_set_text_wrap(x->note);
	x->f_count = num_format(x, "#,##0");
	x->f_dec1 = num_format(x, "#,##0.0");
	x->f_dec2 = num_format(x, "#,##0.00");
	x->f_pct = num_format(x, "0.0%");
	x->f_days = num_format(x, en ? "0.0 \"d\"" : "0.0 \"j\"");
	x->f_hours = num_format(x, "0.0 \"h\"");
	x->f_min = num_format(x, "[h] \"h\" mm \"min\""); /* a duration: days, shown as hours */
	x->f_score = num_format(x, "0.0 \"/5\"");
}

static bool is_pct(const char *unit)
{
	return unit && strcmp(unit, "%") == 0;
}

/* A value in unit as the spreadsheet holds it: a percentage as a
 * fraction, minutes as a duration in days (Excel's unit of time). */
static double value_scaled(const char *unit, double v)
{
	if (is_pct(unit))
		return v / 100.0;
	if (unit && strcmp(unit, "minutes") == 0)
		return v / 1440.0;
	return v;
}

/* The number format of a value in unit. */
static lxw_format *unit_format(struct xw *x, const char *unit)
{
	if (!unit)
		return x->f_dec1;
	if (is_pct(unit))
		return x->f_pct;
	if (strcmp(unit, "jours") == 0)
		return x->f_days;
	if (strcmp(unit, "heures/mois/PAP") == 0)
		return x->f_hours;
	if (strcmp(unit, "minutes") == 0)
		return x->f_min;
	if (strcmp(unit, "score/5") == 0)
		return x->f_score;
	if (strcmp(unit, "demandes/trimestre/PAP") == 0)
		return x->f_dec2;
	if (strcmp(unit, "nombre") == 0 || strcmp(unit, "personnes") == 0 ||
	    strcmp(unit, "familles") == 0)
		return x->f_count;
	return x->f_dec1;
}

/* A value cell: the number in its unit's format (entered: the general
 * format, which shows the figure as entered), or the displayed text (with
 * the suppression comment when it is suppressed). Returns 1 when a
 * suppressed text was written. */
static int put_value(struct xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, bool has_value,
		     bool suppressed, double v, const char *display, const char *unit, bool entered)
{
	if (has_value) {
		worksheet_write_number(ws, row, col, entered ? v : value_scaled(unit, v),
				       entered ? NULL : unit_format(x, unit));
		return 0;
	}
	put_text(x, ws, row, col, display && display[0] ? display : "—", NULL);
	if (suppressed && x->note_text[0]) {
		worksheet_write_comment(ws, row, col, x->note_text);
		return 1;
	}
	return 0;
}

static void put_footnote(struct xw *x, lxw_worksheet *ws, lxw_row_t row, int n_suppressed)
{
	if (n_suppressed == 0 || !x->note_text[0])
		return;
	worksheet_merge_range(ws, row, 0, row, 8, x->note_text, x->note);
	worksheet_set_row(ws, row, 48, NULL);
}

static void sheet_scope(struct xw *x, const char *title)
{
	const struct report *r = x->r;
	const struct report_scope *s = &r->scope;
	const char *lang = x->lang;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, i18n_tr(lang, "Portée et méthode"));
	worksheet_set_column(ws, 0, 0, 32, x->bold);
	worksheet_set_column(ws, 1, 1, 30, NULL);
	worksheet_set_column(ws, 2, 2, 90, x->wrap);
	lxw_row_t row = 0;
	put_text(x, ws, row++, 0, title, x->title);
	row++;
	char gen[64];
	report_time_words(lang, s->generated_at, gen, sizeof(gen));
	const char *all = i18n_tr(lang, "tous");
	const char *pairs[][2] = {
		{i18n_tr(lang, "Territoire"), s->territory_name ? s->territory_name
					      : s->territory    ? s->territory
								: all},
		{i18n_tr(lang, "Secteur"), s->sector_name ? s->sector_name
					   : s->sector    ? s->sector
							  : all},
		{i18n_tr(lang, "Organisation"), s->organisation_name ? s->organisation_name
						: s->organisation    ? s->organisation
								     : all},
		{i18n_tr(lang, "Du"), report_date_text(x->a, &s->from)},
		{i18n_tr(lang, "Au"), report_date_text(x->a, &s->to)},
		{i18n_tr(lang, "Données en date du"), report_date_text(x->a, &s->as_of)},
		{i18n_tr(lang, "Vue"), report_view_words(lang, s->view)},
		{i18n_tr(lang, "Produit le"), arena_strdup(x->a, gen)},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		put_text(x, ws, row, 0, pairs[i][0], x->bold);
		put_text(x, ws, row++, 1, pairs[i][1], NULL);
	}
	put_text(x, ws, row, 0, i18n_tr(lang, "Seuil de caviardage"), x->bold);
	worksheet_write_number(ws, row++, 1,
			       s->threshold > 0 ? s->threshold : REPORT_DEFAULT_THRESHOLD,
			       x->f_count);
	put_text(x, ws, row, 0, i18n_tr(lang, "Fenêtre d'échappement (jours)"), x->bold);
	worksheet_write_number(ws, row++, 1,
			       s->escape_window_days > 0 ? s->escape_window_days
							 : REPORT_DEFAULT_ESCAPE_WINDOW,
			       x->f_count);
	if (x->note_text[0]) {
		row++;
		worksheet_merge_range(ws, row, 0, row, 2, x->note_text, x->note);
		worksheet_set_row(ws, row++, 48, NULL);
	}
	if (s->protection) {
		worksheet_merge_range(ws, row, 0, row, 2, s->protection_note, x->note);
		worksheet_set_row(ws, row++, 48, NULL);
	}
	row++;
	put_text(x, ws, row++, 0, i18n_tr(lang, "Méthode"), x->title);
	worksheet_merge_range(
		ws, row, 0, row, 2,
		i18n_tr(lang,
			"Dates locales (America/Toronto), bornes incluses ; rien après la date "
			"de référence n'est compté. Durées en jours = heures écoulées / 24. "
			"Chaque moyenne est donnée avec n, la médiane et, pour les délais, le "
			"90e centile (rang le plus proche)."),
		x->note);
	worksheet_set_row(ws, row++, 48, NULL);
	row++;
	const char *heads[] = {i18n_tr(lang, "Indicateur"), i18n_tr(lang, "Identifiant"),
			       i18n_tr(lang, "Définition")};
	for (lxw_col_t c = 0; c < 3; c++)
		put_text(x, ws, row, c, heads[c], x->head);
	row++;
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *ind = &r->indicators[i];
		put_text(x, ws, row, 0, ind->label, x->wrap);
		put_text(x, ws, row, 1, ind->id, NULL);
		put_text(x, ws, row++, 2, report_definition(lang, ind->id), x->wrap);
	}
}

static void sheet_section(struct xw *x, enum report_section sec)
{
	const struct report *r = x->r;
	const char *lang = x->lang;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, report_section_title(lang, sec));
	const char *heads[] = {
		i18n_tr(lang, "Indicateur"),
		i18n_tr(lang, "Identifiant"),
		i18n_tr(lang, "Valeur"),
		i18n_tr(lang, "Unité"),
		"n",
		i18n_tr(lang, "Numérateur"),
		i18n_tr(lang, "Dénominateur"),
		i18n_tr(lang, "Médiane"),
		i18n_tr(lang, "90e centile"),
		i18n_tr(lang, "Cible"),
		i18n_tr(lang, "Statut"),
	};
	lxw_col_t nh = (lxw_col_t)(sizeof(heads) / sizeof(heads[0]));
	worksheet_set_column(ws, 0, 0, 44, x->wrap);
	worksheet_set_column(ws, 1, 1, 26, NULL);
	worksheet_set_column(ws, 2, 8, 13, NULL);
	worksheet_set_column(ws, 9, 10, 18, NULL);
	for (lxw_col_t c = 0; c < nh; c++)
		put_text(x, ws, 0, c, heads[c], x->head);
	worksheet_freeze_panes(ws, 1, 1);
	lxw_row_t row = 1;
	int n_supp = 0;
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *ind = &r->indicators[i];
		if (report_section_of(ind->id) != sec)
			continue;
		put_text(x, ws, row, 0, ind->label, x->wrap);
		put_text(x, ws, row, 1, ind->id, NULL);
		n_supp += put_value(x, ws, row, 2, ind->has_value, ind->suppressed, ind->value,
				    ind->display, ind->unit, false);
		put_text(x, ws, row, 3, report_unit_words(lang, ind->unit), NULL);
		/* n, ratio and statistics exist only beside a shown value */
		if (ind->has_n && !ind->suppressed)
			worksheet_write_number(ws, row, 4, (double)ind->n, x->f_count);
		if (ind->has_ratio && !ind->suppressed) {
			worksheet_write_number(ws, row, 5, ind->numerator, x->f_count);
			worksheet_write_number(ws, row, 6, ind->denominator, x->f_count);
		}
		if (ind->has_median && !ind->suppressed)
			worksheet_write_number(ws, row, 7, value_scaled(ind->unit, ind->median),
					       unit_format(x, ind->unit));
		if (ind->has_p90 && !ind->suppressed)
			worksheet_write_number(ws, row, 8, value_scaled(ind->unit, ind->p90),
					       unit_format(x, ind->unit));
		put_text(x, ws, row, 9, report_target_text(x->a, lang, ind), NULL);
		put_text(x, ws, row, 10, report_status_words(lang, ind->status), NULL);
		row++;
	}
	put_footnote(x, ws, row + 1, n_supp);
}

static const char *detail_text(const struct report_detail *d)
{
	return d->display && d->display[0] ? d->display : d->text ? d->text : "";
}

static void sheet_breakdowns(struct xw *x)
{
	const struct report *r = x->r;
	const char *lang = x->lang;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, i18n_tr(lang, "Ventilations"));
	worksheet_set_column(ws, 0, 0, 40, x->wrap);
	worksheet_set_column(ws, 1, 1, 36, x->wrap);
	worksheet_set_column(ws, 2, 2, 40, x->wrap);
	worksheet_set_column(ws, 3, 3, 14, NULL);
	const char *heads[] = {i18n_tr(lang, "Indicateur"), i18n_tr(lang, "Ventilation"),
			       i18n_tr(lang, "Catégorie"), i18n_tr(lang, "Valeur"),
			       i18n_tr(lang, "Code")};
	for (lxw_col_t c = 0; c < 5; c++)
		put_text(x, ws, 0, c, heads[c], x->head);
	worksheet_freeze_panes(ws, 1, 0);
	lxw_row_t row = 1;
	int n_supp = 0;
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *ind = &r->indicators[i];
		for (size_t b = 0; b < ind->n_breakdowns; b++) {
			const struct report_breakdown *bd = &ind->breakdowns[b];
			for (size_t k = 0; k < bd->n_cells; k++) {
				const struct report_cell *cell = &bd->cells[k];
				put_text(x, ws, row, 0, ind->label, NULL);
				put_text(x, ws, row, 1, bd->label, NULL);
				put_text(x, ws, row, 2, cell->label, NULL);
				n_supp += put_value(x, ws, row, 3, cell->has_value,
						    cell->suppressed, cell->value, cell->display,
						    bd->unit, bd->entered);
				put_text(x, ws, row, 4, cell->key, NULL);
				row++;
			}
		}
		for (size_t d = 0; d < ind->n_details; d++) {
			const struct report_detail *det = &ind->details[d];
			put_text(x, ws, row, 0, ind->label, NULL);
			put_text(x, ws, row, 1, i18n_tr(lang, "Détail"), NULL);
			put_text(x, ws, row, 2, det->label ? det->label : det->key, NULL);
			if (det->suppressed) {
				n_supp += put_value(x, ws, row, 3, false, true, 0, det->display,
						    NULL, false);
			} else if (det->type == REPORT_DETAIL_NUMBER) {
				worksheet_write_number(ws, row, 3, det->number, x->f_dec1);
			} else if (det->type == REPORT_DETAIL_INT) {
				worksheet_write_number(ws, row, 3, (double)det->integer,
						       x->f_count);
			} else {
				put_text(x, ws, row, 3, detail_text(det), x->wrap);
			}
			put_text(x, ws, row, 4, det->key, NULL);
			row++;
		}
	}
	put_footnote(x, ws, row + 1, n_supp);
}

/* See export.h. */
int report_write_xlsx(const struct report *r, const char *path,
		      const struct report_export_options *opts)
{
	const char *lang = r->scope.lang && strcmp(r->scope.lang, "en") == 0 ? "en" : "fr";
	struct xw x = {.a = arena_new(8192), .r = r, .lang = lang};
	x.wb = workbook_new(path);
	if (!x.wb) {
		log_error("xlsx_open_failed", "reason=\"cannot create workbook\"");
		arena_free(x.a);
		return -1;
	}
	x.note_text = report_suppression_note(x.a, r);
	formats_init(&x);
	const char *title = opts && opts->title ? opts->title
						: i18n_tr(lang, "Rapport d'indicateurs — Proxima");
	lxw_doc_properties props = {.title = (char *)title, .author = (char *)"Proxima"};
	workbook_set_properties(x.wb, &props);
	sheet_scope(&x, title);
	sheet_section(&x, REPORT_SECTION_ARRIMAGE);
	sheet_section(&x, REPORT_SECTION_ACTIVITES);
	sheet_section(&x, REPORT_SECTION_EQUIPE);
	sheet_breakdowns(&x);
	lxw_error err = workbook_close(x.wb);
	arena_free(x.a);
	if (err != LXW_NO_ERROR) {
		log_error("xlsx_write_failed", "reason=\"%s\"", lxw_strerror(err));
		return -1;
	}
	return 0;
}

/* The comparison's scope lines (period, view, when produced) from rows
 * 0..; returns the next free row. */
static lxw_row_t comparison_scope(struct xw *x, lxw_worksheet *ws, const char *title)
{
	const struct report_scope *s = &x->r->scope;
	const char *lang = x->lang;
	lxw_row_t row = 0;
	put_text(x, ws, row++, 0, title, x->title);
	char gen[64];
	report_time_words(lang, s->generated_at, gen, sizeof(gen));
	const char *pairs[][2] = {
		{i18n_tr(lang, "Du"), report_date_text(x->a, &s->from)},
		{i18n_tr(lang, "Au"), report_date_text(x->a, &s->to)},
		{i18n_tr(lang, "Données en date du"), report_date_text(x->a, &s->as_of)},
		{i18n_tr(lang, "Vue"), report_view_words(lang, s->view)},
		{i18n_tr(lang, "Produit le"), arena_strdup(x->a, gen)},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		put_text(x, ws, row, 0, pairs[i][0], x->bold);
		put_text(x, ws, row++, 1, pairs[i][1], NULL);
	}
	return row + 1;
}

/* The comparison table from row: header, then one row per comparison row.
 * Returns the number of suppressed figures written. */
static int comparison_table(struct xw *x, lxw_worksheet *ws, const struct report_comparison *c,
			    lxw_row_t row)
{
	const char *lang = x->lang;
	lxw_col_t col = 0;
	put_text(x, ws, row, col++, i18n_tr(lang, "Indicateur"), x->head);
	put_text(x, ws, row, col++, i18n_tr(lang, "Unité"), x->head);
	for (size_t i = 0; i < c->n; i++) {
		const struct report_scope *s = &c->reports[i].scope;
		const char *name = s->territory_name ? s->territory_name : s->territory;
		put_text(x, ws, row, col++, name, x->head);
		put_text(x, ws, row, col++,
			 arena_printf(x->a, "%s — %s", name, i18n_tr(lang, "statut")), x->head);
	}
	put_text(x, ws, row, col, i18n_tr(lang, "Cible"), x->head);
	worksheet_freeze_panes(ws, row + 1, 1);
	struct report_compare_row *rows;
	size_t n = report_compare_rows(c, x->a, &rows);
	int n_supp = 0;
	for (size_t k = 0; k < n; k++) {
		const struct report_compare_row *r = &rows[k];
		lxw_row_t at = row + 1 + (lxw_row_t)k;
		col = 0;
		put_text(x, ws, at, col++, r->label, x->wrap);
		put_text(x, ws, at, col++, r->portrait ? "" : report_unit_words(lang, r->unit),
			 NULL);
		for (size_t i = 0; i < c->n; i++) {
			struct report_compare_cell cell;
			report_compare_cell(c, r, i, &cell);
			n_supp += put_value(x, ws, at, col++, cell.has_value, cell.suppressed,
					    cell.value, cell.display, r->unit, cell.entered);
			put_text(x, ws, at, col++,
				 cell.has_status ? report_status_words(lang, cell.status) : "",
				 NULL);
		}
		put_text(x, ws, at, col, r->first ? report_target_text(x->a, lang, r->first) : "",
			 NULL);
	}
	put_footnote(x, ws, row + 2 + (lxw_row_t)n, n_supp);
	return n_supp;
}

/* See compare.h. */
int report_write_comparison_xlsx(const struct report_comparison *c, const char *path)
{
	if (c->n == 0)
		return -1;
	const struct report *r0 = &c->reports[0];
	const char *lang = r0->scope.lang && strcmp(r0->scope.lang, "en") == 0 ? "en" : "fr";
	struct xw x = {.a = arena_new(8192), .r = r0, .lang = lang};
	x.wb = workbook_new(path);
	if (!x.wb) {
		log_error("xlsx_open_failed", "reason=\"cannot create workbook\"");
		arena_free(x.a);
		return -1;
	}
	x.note_text = report_suppression_note(x.a, r0);
	formats_init(&x);
	const char *title = i18n_tr(lang, "Comparaison des territoires");
	lxw_doc_properties props = {.title = (char *)title, .author = (char *)"Proxima"};
	workbook_set_properties(x.wb, &props);
	lxw_worksheet *ws = workbook_add_worksheet(x.wb, title);
	worksheet_set_column(ws, 0, 0, 44, x.wrap);
	worksheet_set_column(ws, 1, 1, 14, NULL);
	worksheet_set_column(ws, 2, (lxw_col_t)(2 + 2 * c->n), 16, NULL);
	comparison_table(&x, ws, c, comparison_scope(&x, ws, title));
	lxw_error err = workbook_close(x.wb);
	arena_free(x.a);
	if (err != LXW_NO_ERROR) {
		log_error("xlsx_write_failed", "reason=\"%s\"", lxw_strerror(err));
		return -1;
	}
	return 0;
}

/* See rc_file.h. */
int rc_file_write_xlsx(const struct rc_file *f, const char *path)
{
	struct xw x = {.a = arena_new(8192), .lang = f->lang};
	x.wb = workbook_new(path);
	if (!x.wb) {
		log_error("xlsx_open_failed", "reason=\"cannot create workbook\"");
		arena_free(x.a);
		return -1;
	}
	x.note_text = "";
	formats_init(&x);
	const char *title = i18n_tr(f->lang, "Statistiques ministérielles");
	lxw_doc_properties props = {.title = (char *)title, .author = (char *)"Proxima"};
	workbook_set_properties(x.wb, &props);
	lxw_worksheet *ws = workbook_add_worksheet(x.wb, i18n_tr(f->lang, "Interventions"));
	worksheet_set_column(ws, 0, RC_FILE_COLS - 1, 16, NULL);
	for (size_t k = 0; k < RC_FILE_COLS; k++)
		put_text(&x, ws, 0, (lxw_col_t)k, rc_file_head(f->lang, k), x.head);
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t i = 0; i < f->n; i++) {
		for (size_t k = 0; k < RC_FILE_COLS; k++) {
			const char *text;
			double num;
			if (rc_file_cell(f, i, k, &text, &num))
				worksheet_write_number(ws, (lxw_row_t)(i + 1), (lxw_col_t)k, num,
						       x.f_count);
			else if (text[0])
				put_text(&x, ws, (lxw_row_t)(i + 1), (lxw_col_t)k, text, NULL);
		}
	}
	lxw_error err = workbook_close(x.wb);
	arena_free(x.a);
	if (err != LXW_NO_ERROR) {
		log_error("xlsx_write_failed", "reason=\"%s\"", lxw_strerror(err));
		return -1;
	}
	return 0;
}

/* ---- into memory, through report_spool (libxlsxwriter writes files) ---- */

struct xlsx_job {
	const struct report *r;
	const struct report_export_options *opts;
};

static int spool_report(const void *arg, const char *path)
{
	const struct xlsx_job *j = arg;
	return report_write_xlsx(j->r, path, j->opts);
}

/* See export.h. */
int report_xlsx_into(const struct report *r, const struct report_export_options *opts,
		     struct buf *out)
{
	struct xlsx_job j = {.r = r, .opts = opts};
	return report_spool(spool_report, &j, out);
}

static int spool_comparison(const void *c, const char *path)
{
	return report_write_comparison_xlsx(c, path);
}

/* See compare.h. */
int report_comparison_xlsx_into(const struct report_comparison *c, struct buf *out)
{
	return report_spool(spool_comparison, c, out);
}

static int spool_rc_file(const void *f, const char *path)
{
	return rc_file_write_xlsx(f, path);
}

/* See rc_file.h. */
int rc_file_xlsx_into(const struct rc_file *f, struct buf *out)
{
	return report_spool(spool_rc_file, f, out);
}
