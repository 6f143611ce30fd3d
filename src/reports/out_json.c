/* JSON writer of a report, exactly per interchange.md "Report": scope,
 * then indicators with id, label, value, unit, n, median, p90, numerator,
 * denominator, target {op, value}, status, suppressed, display, details.
 * Fields that do not apply are null (never missing), so every indicator
 * has the same keys. Breakdowns are arrays inside details. Computed
 * figures have one decimal; entered ones (the portrait) are written as
 * entered. */
#include <math.h>

#include "core/jsonw.h"
#include "model/cellkey.h"
#include "reports/report.h"

/* A number: integral values without decimals ("42", not "42.0"). */
static void num(struct jsonw *w, double v)
{
	if (isfinite(v) && fabs(v - round(v)) < 1e-9 && fabs(v) < 1e15)
		jsonw_int(w, (int64_t)llround(v));
	else
		jsonw_double(w, v, 1);
}

static void num_or_null(struct jsonw *w, const char *key, bool has, double v)
{
	jsonw_key(w, key);
	if (has)
		num(w, v);
	else
		jsonw_null(w);
}

static void write_date(struct jsonw *w, const char *key, const struct pdate *d)
{
	char s[11];
	ptime_format_date(d, s);
	jsonw_kv_str(w, key, s);
}

static void write_scope(struct jsonw *w, const struct report_scope *s)
{
	jsonw_key(w, "scope");
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "territory", s->territory);
	jsonw_kv_str(w, "territory_name", s->territory_name);
	jsonw_key(w, "sub_territories");
	jsonw_arr_begin(w);
	for (size_t i = 0; i < s->n_sub_territories; i++)
		jsonw_str(w, s->sub_territories[i]);
	jsonw_arr_end(w);
	jsonw_kv_str(w, "sector", s->sector);
	jsonw_kv_str(w, "organisation", s->organisation);
	write_date(w, "from", &s->from);
	write_date(w, "to", &s->to);
	write_date(w, "as_of", &s->as_of);
	jsonw_kv_str(w, "view", report_view_name(s->view));
	jsonw_kv_str(w, "lang", s->lang);
	jsonw_kv_int(w, "threshold", s->threshold);
	jsonw_kv_int(w, "escape_window_days", s->escape_window_days);
	/* How counts of people are protected against differencing: null, or
	 * {"method": "cell_key", "max_change": 2, "note": "…"}. */
	jsonw_key(w, "protection");
	if (s->protection) {
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "method", s->protection);
		jsonw_kv_int(w, "max_change", CELLKEY_MAX_CHANGE);
		jsonw_kv_str(w, "note", s->protection_note);
		jsonw_obj_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_obj_end(w);
}

static void write_details(struct jsonw *w, const struct ind_result *r)
{
	jsonw_key(w, "details");
	jsonw_obj_begin(w);
	for (size_t i = 0; i < r->n_details; i++) {
		const struct report_detail *d = &r->details[i];
		jsonw_key(w, d->key);
		if (d->suppressed)
			jsonw_null(w);
		else if (d->type == REPORT_DETAIL_INT)
			jsonw_int(w, d->integer);
		else if (d->type == REPORT_DETAIL_NUMBER)
			num(w, d->number);
		else
			jsonw_str(w, d->text);
	}
	for (size_t b = 0; b < r->n_breakdowns; b++) {
		const struct report_breakdown *bd = &r->breakdowns[b];
		jsonw_key(w, bd->name);
		jsonw_arr_begin(w);
		for (size_t i = 0; i < bd->n_cells; i++) {
			const struct report_cell *c = &bd->cells[i];
			jsonw_obj_begin(w);
			jsonw_kv_str(w, "key", c->key);
			jsonw_kv_str(w, "label", c->label);
			if (bd->entered && c->has_value) {
				jsonw_key(w, "value"); /* as entered */
				jsonw_double_exact(w, c->value);
			} else {
				num_or_null(w, "value", c->has_value, c->value);
			}
			jsonw_kv_bool(w, "suppressed", c->suppressed);
			jsonw_kv_str(w, "display", c->display);
			if (c->note)
				jsonw_kv_str(w, "note", c->note);
			jsonw_obj_end(w);
		}
		jsonw_arr_end(w);
	}
	jsonw_obj_end(w);
}

static void write_indicator(struct jsonw *w, const struct ind_result *r)
{
	jsonw_obj_begin(w);
	jsonw_kv_str(w, "id", r->id);
	jsonw_kv_str(w, "label", r->label);
	num_or_null(w, "value", r->has_value, r->value);
	jsonw_kv_str(w, "unit", r->unit);
	jsonw_key(w, "n");
	if (r->has_n)
		jsonw_int(w, r->n);
	else
		jsonw_null(w);
	num_or_null(w, "median", r->has_median, r->median);
	num_or_null(w, "p90", r->has_p90, r->p90);
	num_or_null(w, "numerator", r->has_ratio, r->numerator);
	num_or_null(w, "denominator", r->has_ratio, r->denominator);
	jsonw_key(w, "target");
	if (r->target.present) {
		jsonw_obj_begin(w);
		jsonw_kv_str(w, "op", r->target.op);
		jsonw_key(w, "value");
		num(w, r->target.value);
		jsonw_obj_end(w);
	} else {
		jsonw_null(w);
	}
	jsonw_kv_str(w, "status", report_status_name(r->status));
	jsonw_kv_bool(w, "suppressed", r->suppressed);
	jsonw_kv_str(w, "display", r->display);
	jsonw_kv_bool(w, "computed", r->computed);
	write_details(w, r);
	jsonw_obj_end(w);
}

/* See report.h. */
int report_write_json(const struct report *r, struct buf *out)
{
	struct jsonw w;
	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	write_scope(&w, &r->scope);
	jsonw_key(&w, "indicators");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < r->n_indicators; i++)
		write_indicator(&w, &r->indicators[i]);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) < 0)
		return -1;
	return buf_putc(out, '\n');
}
