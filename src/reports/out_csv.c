/* CSV writer of a report: UTF-8 (with a byte-order mark by default, so
 * Excel reads the accents), one row per indicator, one per detail and one
 * per breakdown cell, with a header row (a cell's unit is its breakdown's;
 * a detail's is empty). The header, units, targets and statuses are words
 * in the report's language (French: Identifiant, Indicateur, Ventilation,
 * Code, Catégorie, Valeur, Affiché, Unité, n, Médiane, 90e centile,
 * Numérateur, Dénominateur, Cible, Valeur cible, Statut, Caviardé); the
 * identifier and code columns keep the stable codes, for a spreadsheet
 * that joins files. Ventilation is empty on an indicator's row, "Détail"
 * on a detail's, else the breakdown's label; Caviardé says "oui" or
 * nothing; a duration is shown in hours and minutes. French Excel: sep ';' and decimal_comma. Fields are
 * quoted when they hold the separator, a quote or a line break; text that
 * a spreadsheet could read as a formula is prefixed with ' (sheet_text);
 * numbers are written as numbers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "reports/compare.h"
#include "reports/export.h"
#include "reports/rc_file.h"
#include "reports/report.h"

struct csv {
	struct buf *out;
	const struct report_csv_options *o;
	bool first;       /* no field yet on the row */
	struct arena *ar; /* for sheet_text */
	const char *lang; /* the words of the header, units and statuses */
};

/* Writes s as it is, quoted when it holds the separator, a quote or a line
 * break. */
static void raw(struct csv *c, const char *s)
{
	if (!c->first)
		buf_putc(c->out, c->o->sep);
	c->first = false;
	if (!s)
		return;
	bool quote = strchr(s, c->o->sep) || strpbrk(s, "\"\r\n");
	if (quote)
		buf_putc(c->out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(c->out, '"');
		buf_putc(c->out, *p);
	}
	if (quote)
		buf_putc(c->out, '"');
}

/* A text field: never read as a formula (sheet_text). */
static void field(struct csv *c, const char *s)
{
	raw(c, sheet_text(c->ar, s));
}

/* A number: a computed figure with one decimal (none when whole), an
 * entered one (exact) as entered. */
static void number_as(struct csv *c, bool has, double v, bool exact)
{
	if (!has) {
		field(c, "");
		return;
	}
	char tmp[400];
	if (exact) {
		double r;
		int d = jsonw_decimals_exact(v, &r);
		snprintf(tmp, sizeof(tmp), "%.*f", d, r);
	} else if (fabs(v - round(v)) < 1e-9 && fabs(v) < 1e15)
		snprintf(tmp, sizeof(tmp), "%.0f", round(v) == 0 ? 0.0 : round(v));
	else
		snprintf(tmp, sizeof(tmp), "%.1f", v);
	if (c->o->decimal_comma)
		for (char *p = tmp; *p; p++)
			if (*p == '.')
				*p = ',';
	raw(c, tmp);
}

static void number(struct csv *c, bool has, double v)
{
	number_as(c, has, v, false);
}

static void end_row(struct csv *c)
{
	buf_puts(c->out, "\r\n");
	c->first = true;
}

/* The columns after value/display that repeat the indicator's. */
static void tail(struct csv *c, const struct ind_result *r, const char *unit, bool full)
{
	field(c, report_unit_words(c->lang, unit));
	number(c, full && r->has_n, (double)r->n);
	number(c, full && r->has_median, r->median);
	number(c, full && r->has_p90, r->p90);
	number(c, full && r->has_ratio, r->numerator);
	number(c, full && r->has_ratio, r->denominator);
	field(c, full && r->target.present ? report_target_text(c->ar, c->lang, r) : "");
	number(c, full && r->target.present, r->target.value);
	field(c, full ? report_status_words(c->lang, r->status) : "");
}

/* "oui" for a suppressed figure, "" otherwise. */
static void suppressed_field(struct csv *c, bool suppressed)
{
	field(c, suppressed ? i18n_tr(c->lang, "oui") : "");
}

/* The header row, in words of the report's language. */
static void header(struct csv *c)
{
	static const char *const head[] = {
		N_("Identifiant"),  N_("Indicateur"),  N_("Ventilation"),
		N_("Code"),         N_("Catégorie"),   N_("Valeur"),
		N_("Affiché"),      N_("Unité"),       "n",
		N_("Médiane"),      N_("90e centile"), N_("Numérateur"),
		N_("Dénominateur"), N_("Cible"),       N_("Valeur cible"),
		N_("Statut"),       N_("Caviardé"),
	};
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		field(c, i18n_tr(c->lang, head[i]));
	end_row(c);
}

/* See report.h. */
int report_write_csv(const struct report *r, const struct report_csv_options *opts, struct buf *out)
{
	static const struct report_csv_options def = {.sep = ',', .bom = true};
	struct csv c = {.out = out,
			.o = opts ? opts : &def,
			.first = true,
			.ar = arena_new(4096),
			.lang = r->scope.lang && strcmp(r->scope.lang, "en") == 0 ? "en" : "fr"};
	if (c.o->bom)
		buf_puts(out, "\xEF\xBB\xBF");
	header(&c);
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *ir = &r->indicators[i];
		field(&c, ir->id);
		field(&c, ir->label);
		field(&c, "");
		field(&c, "");
		field(&c, "");
		number(&c, ir->has_value, ir->value);
		field(&c, report_value_words(c.ar, c.lang, ir));
		tail(&c, ir, ir->unit, true);
		suppressed_field(&c, ir->suppressed);
		end_row(&c);
		for (size_t d = 0; d < ir->n_details; d++) {
			const struct report_detail *dt = &ir->details[d];
			field(&c, ir->id);
			field(&c, ir->label);
			field(&c, i18n_tr(c.lang, "Détail"));
			field(&c, dt->key);
			field(&c, dt->label);
			if (dt->type == REPORT_DETAIL_TEXT)
				field(&c, dt->suppressed ? "" : dt->text);
			else
				number(&c, !dt->suppressed,
				       dt->type == REPORT_DETAIL_INT ? (double)dt->integer
								     : dt->number);
			field(&c, dt->display);
			tail(&c, ir, "", false);
			suppressed_field(&c, dt->suppressed);
			end_row(&c);
		}
		for (size_t b = 0; b < ir->n_breakdowns; b++) {
			const struct report_breakdown *bd = &ir->breakdowns[b];
			for (size_t k = 0; k < bd->n_cells; k++) {
				const struct report_cell *cell = &bd->cells[k];
				field(&c, ir->id);
				field(&c, ir->label);
				field(&c, bd->label);
				field(&c, cell->key);
				field(&c, cell->label);
				number_as(&c, cell->has_value, cell->value, bd->entered);
				field(&c, cell->display);
				tail(&c, ir, bd->unit, false);
				suppressed_field(&c, cell->suppressed);
				end_row(&c);
			}
		}
	}
	/* How counts of people are protected: a last row, part "scope". */
	if (r->scope.protection) {
		field(&c, "protection");
		field(&c, r->scope.protection_note);
		field(&c, "scope");
		field(&c, r->scope.protection);
		for (int i = 0; i < 13; i++)
			field(&c, "");
		end_row(&c);
	}
	arena_free(c.ar);
	return out->overflow ? -1 : 0;
}

/* See compare.h. */
int report_write_comparison_csv(const struct report_comparison *cmp,
				const struct report_csv_options *opts, struct buf *out)
{
	static const struct report_csv_options def = {.sep = ',', .bom = true};
	const char *lang = cmp->n && cmp->reports[0].scope.lang ? cmp->reports[0].scope.lang : "fr";
	struct csv c = {.out = out,
			.o = opts ? opts : &def,
			.first = true,
			.ar = arena_new(4096),
			.lang = lang};
	if (c.o->bom)
		buf_puts(out, "\xEF\xBB\xBF");
	field(&c, i18n_tr(lang, "Indicateur"));
	field(&c, i18n_tr(lang, "Unité"));
	for (size_t i = 0; i < cmp->n; i++) {
		const struct report_scope *s = &cmp->reports[i].scope;
		const char *name = s->territory_name ? s->territory_name : s->territory;
		field(&c, name);
		field(&c, arena_printf(c.ar, "%s — %s", name, i18n_tr(lang, "statut")));
	}
	field(&c, i18n_tr(lang, "Cible"));
	end_row(&c);
	struct report_compare_row *rows;
	size_t n = report_compare_rows(cmp, c.ar, &rows);
	for (size_t k = 0; k < n; k++) {
		const struct report_compare_row *row = &rows[k];
		field(&c, row->label);
		field(&c, row->portrait ? "" : report_unit_words(lang, row->unit));
		for (size_t i = 0; i < cmp->n; i++) {
			struct report_compare_cell cell;
			report_compare_cell(cmp, row, i, &cell);
			if (cell.has_value)
				number_as(&c, true, cell.value, cell.entered);
			else
				field(&c, cell.display);
			field(&c, cell.has_status ? report_status_words(lang, cell.status) : "");
		}
		field(&c, row->first ? report_target_text(c.ar, lang, row->first) : "");
		end_row(&c);
	}
	arena_free(c.ar);
	return out->overflow ? -1 : 0;
}

/* See rc_file.h. */
int rc_file_write_csv(const struct rc_file *f, const struct report_csv_options *opts,
		      struct buf *out)
{
	static const struct report_csv_options def = {.sep = ',', .bom = true};
	struct csv c = {.out = out,
			.o = opts ? opts : &def,
			.first = true,
			.ar = arena_new(4096),
			.lang = f->lang};
	if (c.o->bom)
		buf_puts(out, "\xEF\xBB\xBF");
	for (size_t k = 0; k < RC_FILE_COLS; k++)
		field(&c, rc_file_head(f->lang, k));
	end_row(&c);
	for (size_t i = 0; i < f->n && !out->overflow; i++) {
		for (size_t k = 0; k < RC_FILE_COLS; k++) {
			const char *text;
			double num;
			if (rc_file_cell(f, i, k, &text, &num))
				number(&c, true, num);
			else
				field(&c, text);
		}
		end_row(&c);
	}
	arena_free(c.ar);
	return out->overflow ? -1 : 0;
}
