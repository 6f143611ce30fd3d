/* What the engine's computations build a result with (engine_internal.h):
 * translations and reference labels in the report's language, values and
 * published counts (the cell key of the protected views), breakdowns and
 * details, and the display formats of numbers (report.h). Shared by
 * engine.c (arr.*), engine_act.c (act.*) and suppress.c, which call
 * nothing of each other's. */
#include <math.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "model/cellkey.h"
#include "model/refdata.h"
#include "reports/engine_internal.h"

const char *eng_tr(const struct eng *e, const char *msgid)
{
	return i18n_tr(e->lang, msgid);
}

const char *eng_ref_label(struct eng *e, const char *list, const char *code)
{
	if (!code || !*code)
		return eng_tr(e, "(aucun)");
	int l = ref_list_parse(list);
	return l < 0 ? code : refdata_label(e->db, e->a, (enum ref_list)l, code, e->lang);
}

void eng_value(struct ind_result *r, double v)
{
	r->value = r->unrounded = v;
	r->has_value = true;
}

void eng_value_round1(struct ind_result *r, double v)
{
	eng_value(r, ind_round1(v));
	r->unrounded = v;
}

bool eng_protected(const struct eng *e)
{
	return e->r->scope.view == REPORT_VIEW_COMITE || e->r->scope.view == REPORT_VIEW_ANALYSTE;
}

int64_t eng_count(const struct eng *e, int64_t v, int64_t key)
{
	if (!eng_protected(e))
		return v;
	int t = e->r->scope.threshold > 0 ? e->r->scope.threshold : REPORT_DEFAULT_THRESHOLD;
	return cellkey_perturb(v, cellkey_of(key), t);
}

double eng_pct(double num, double den)
{
	return den > 0 ? num / den * 100.0 : 0.0;
}

struct report_breakdown *eng_breakdown(struct eng *e, struct ind_result *r, const char *name,
				       const char *label_msgid, const char *unit,
				       enum report_subject subject, bool additive, size_t n)
{
	struct report_breakdown *nb =
		arena_calloc(e->a, r->n_breakdowns + 1, sizeof(struct report_breakdown));
	if (r->n_breakdowns)
		memcpy(nb, r->breakdowns, r->n_breakdowns * sizeof(*nb));
	r->breakdowns = nb;
	struct report_breakdown *b = &nb[r->n_breakdowns++];
	b->name = name;
	b->label = eng_tr(e, label_msgid);
	b->unit = unit;
	b->subject = subject;
	b->additive = additive;
	b->cells = arena_calloc(e->a, n ? n : 1, sizeof(struct report_cell));
	b->n_cells = n;
	return b;
}

void eng_cell(struct report_cell *c, const char *key, const char *label, double v)
{
	c->key = key ? key : "";
	c->label = label ? label : c->key;
	c->value = v;
	c->has_value = true;
}

/* Appends a zeroed detail to r. */
static struct report_detail *detail_add(struct eng *e, struct ind_result *r, const char *key,
					const char *label_msgid)
{
	struct report_detail *nd =
		arena_calloc(e->a, r->n_details + 1, sizeof(struct report_detail));
	if (r->n_details)
		memcpy(nd, r->details, r->n_details * sizeof(*nd));
	r->details = nd;
	struct report_detail *d = &nd[r->n_details++];
	d->key = key;
	d->label = eng_tr(e, label_msgid);
	return d;
}

void eng_detail_int(struct eng *e, struct ind_result *r, const char *key, const char *label_msgid,
		    int64_t v, enum report_subject subject)
{
	struct report_detail *d = detail_add(e, r, key, label_msgid);
	d->type = REPORT_DETAIL_INT;
	d->integer = v;
	d->subject = subject;
}

void eng_detail_num(struct eng *e, struct ind_result *r, const char *key, const char *label_msgid,
		    double v)
{
	struct report_detail *d = detail_add(e, r, key, label_msgid);
	d->type = REPORT_DETAIL_NUMBER;
	d->number = v;
}

void eng_detail_text(struct eng *e, struct ind_result *r, const char *key, const char *label_msgid,
		     const char *v)
{
	struct report_detail *d = detail_add(e, r, key, label_msgid);
	d->type = REPORT_DETAIL_TEXT;
	d->text = v ? v : "";
}

/* Writes a decimal comma for every language but English (s is changed). */
static const char *decimal_sep(const char *lang, char *s)
{
	if (lang && strcmp(lang, "en") != 0)
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ',';
	return s;
}

const char *report_format_exact(struct arena *a, const char *lang, double v)
{
	if (!isfinite(v))
		return "—";
	double r;
	int d = jsonw_decimals_exact(v, &r);
	return decimal_sep(lang, arena_printf(a, "%.*f", d, r == 0 ? 0.0 : r));
}

int report_breakdown_decimals(const struct report_breakdown *b)
{
	int most = 0;
	for (size_t i = 0; b->entered && i < b->n_cells; i++) {
		double r;
		int d = b->cells[i].has_value ? jsonw_decimals_exact(b->cells[i].value, &r) : 0;
		most = d > most ? d : most;
	}
	return most > 6 ? 6 : most;
}

const char *report_format_number(struct arena *a, const char *lang, double v)
{
	char *s;
	if (!isfinite(v))
		return "—";
	if (fabs(v - round(v)) < 1e-9 && fabs(v) < 1e15)
		s = arena_printf(a, "%.0f", round(v) == 0 ? 0.0 : round(v));
	else
		s = arena_printf(a, "%.1f", v);
	return decimal_sep(lang, s);
}
