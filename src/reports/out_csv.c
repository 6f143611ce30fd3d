/* CSV writer of a report: UTF-8 (with a byte-order mark by default, so
 * Excel reads the accents), one row per indicator, one per detail and one
 * per breakdown cell, with a header row (a cell's unit is its breakdown's;
 * a detail's is empty). Columns:
 *   indicator, label, part, key, part_label, value, display, unit, n,
 *   median, p90, numerator, denominator, target_op, target_value, status,
 *   suppressed
 * part is empty on an indicator's row, "details" on a detail's, else the
 * breakdown's name. French Excel: sep ';' and decimal_comma. Fields are
 * quoted when they hold the separator, a quote or a line break; text that
 * a spreadsheet could read as a formula is prefixed with ' (sheet_text);
 * numbers are written as numbers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/jsonw.h"
#include "reports/report.h"

struct csv {
	struct buf *out;
	const struct report_csv_options *o;
	bool first;       /* no field yet on the row */
	struct arena *ar; /* for sheet_text */
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
	field(c, unit);
	number(c, full && r->has_n, (double)r->n);
	number(c, full && r->has_median, r->median);
	number(c, full && r->has_p90, r->p90);
	number(c, full && r->has_ratio, r->numerator);
	number(c, full && r->has_ratio, r->denominator);
	field(c, full && r->target.present ? r->target.op : "");
	number(c, full && r->target.present, r->target.value);
	field(c, full ? report_status_name(r->status) : "");
}

/* See report.h. */
int report_write_csv(const struct report *r, const struct report_csv_options *opts, struct buf *out)
{
	static const struct report_csv_options def = {.sep = ',', .bom = true};
	struct csv c = {.out = out, .o = opts ? opts : &def, .first = true, .ar = arena_new(4096)};
	if (c.o->bom)
		buf_puts(out, "\xEF\xBB\xBF");
	static const char *const head[] = {
		"indicator", "label",      "part",        "key",       "part_label",
		"value",     "display",    "unit",        "n",         "median",
		"p90",       "numerator",  "denominator", "target_op", "target_value",
		"status",    "suppressed",
	};
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		field(&c, head[i]);
	end_row(&c);
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *ir = &r->indicators[i];
		field(&c, ir->id);
		field(&c, ir->label);
		field(&c, "");
		field(&c, "");
		field(&c, "");
		number(&c, ir->has_value, ir->value);
		field(&c, ir->display);
		tail(&c, ir, ir->unit, true);
		field(&c, ir->suppressed ? "true" : "false");
		end_row(&c);
		for (size_t d = 0; d < ir->n_details; d++) {
			const struct report_detail *dt = &ir->details[d];
			field(&c, ir->id);
			field(&c, ir->label);
			field(&c, "details");
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
			field(&c, dt->suppressed ? "true" : "false");
			end_row(&c);
		}
		for (size_t b = 0; b < ir->n_breakdowns; b++) {
			const struct report_breakdown *bd = &ir->breakdowns[b];
			for (size_t k = 0; k < bd->n_cells; k++) {
				const struct report_cell *cell = &bd->cells[k];
				field(&c, ir->id);
				field(&c, ir->label);
				field(&c, bd->name);
				field(&c, cell->key);
				field(&c, cell->label);
				number_as(&c, cell->has_value, cell->value, bd->entered);
				field(&c, cell->display);
				tail(&c, ir, bd->unit, false);
				field(&c, cell->suppressed ? "true" : "false");
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
