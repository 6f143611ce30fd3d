/* Small-cell suppression inside the engine (indicators.md "Common rules",
 * domain.md): only for the views comite and analyste. A hidden figure is
 * overwritten with 0 and flagged, so no writer can print it.
 *
 * Rules where the docs are silent:
 *   - Counts of people: 1..T-1 become "<T" (0 stays 0: nobody to protect).
 *     When any count of people of an indicator is hidden, its rates and
 *     other decimal details are hidden too (a % of a shown total would give
 *     the count back); so are its numerator and denominator.
 *   - Statistics over families hidden when n (or the denominator) is
 *     under T; over PAP when the average headcount is under T. Everything
 *     of the indicator is then hidden (value, n, median, p90, ratio,
 *     details, breakdowns) and shown "n<T". With no observation at all
 *     (n = 0) there is nothing to hide: value null, not flagged.
 *   - Complementary suppression: in an additive breakdown of people (cells
 *     that sum to the indicator's shown value), when exactly one cell is
 *     hidden the smallest remaining non-zero cell is hidden too, shown "x"
 *     and flagged complementary. */
#include <string.h>

#include "core/arena.h"
#include "reports/engine_internal.h"

#define COMPLEMENTARY_DISPLAY "x"

struct sup {
	int t;
	const char *lt;  /* "<T" */
	const char *nlt; /* "n<T" */
};

static bool small_count(double v, int t)
{
	return v >= 1 && v < t;
}

static void hide_cell(struct report_cell *c, const char *display)
{
	c->value = 0;
	c->has_value = false;
	c->suppressed = true;
	c->display = display;
}

static void hide_detail(struct report_detail *d, const char *display)
{
	d->number = 0;
	d->integer = 0;
	if (d->type == REPORT_DETAIL_TEXT)
		d->text = "";
	d->suppressed = true;
	d->display = display;
}

/* Hides every figure of r (a statistic under its threshold). */
static void hide_all(struct ind_result *r, const char *display, bool flag)
{
	r->value = r->unrounded = 0;
	r->has_value = false;
	r->suppressed = flag;
	r->display = flag ? display : "—";
	r->n = 0;
	r->has_n = false;
	r->numerator = r->denominator = 0;
	r->has_ratio = false;
	r->median = r->p90 = 0;
	r->has_median = r->has_p90 = false;
	for (size_t i = 0; i < r->n_details; i++)
		hide_detail(&r->details[i], display);
	for (size_t b = 0; b < r->n_breakdowns; b++)
		for (size_t i = 0; i < r->breakdowns[b].n_cells; i++)
			hide_cell(&r->breakdowns[b].cells[i], display);
}

void report_suppress_complementary(struct report_breakdown *b, bool total_shown)
{
	size_t hidden = 0;
	for (size_t i = 0; i < b->n_cells; i++)
		if (b->cells[i].suppressed)
			hidden++;
	if (hidden != 1 || !total_shown)
		return;
	struct report_cell *min = NULL;
	for (size_t i = 0; i < b->n_cells; i++) {
		struct report_cell *c = &b->cells[i];
		if (!c->suppressed && c->has_value && c->value > 0 &&
		    (!min || c->value < min->value))
			min = c;
	}
	if (min) {
		hide_cell(min, COMPLEMENTARY_DISPLAY);
		min->complementary = true;
	}
}

/* Counts of people inside r: hides 1..T-1; true when any was hidden. */
static bool suppress_people(struct ind_result *r, const struct sup *s)
{
	bool any = false;
	if (r->subject == REPORT_SUBJECT_PEOPLE && r->has_value && small_count(r->value, s->t)) {
		r->value = r->unrounded = 0;
		r->has_value = false;
		r->suppressed = true;
		r->display = s->lt;
		any = true;
	}
	for (size_t i = 0; i < r->n_details; i++) {
		struct report_detail *d = &r->details[i];
		if (d->subject == REPORT_SUBJECT_PEOPLE && d->type == REPORT_DETAIL_INT &&
		    small_count((double)d->integer, s->t)) {
			hide_detail(d, s->lt);
			any = true;
		}
	}
	for (size_t b = 0; b < r->n_breakdowns; b++) {
		struct report_breakdown *bd = &r->breakdowns[b];
		if (bd->subject != REPORT_SUBJECT_PEOPLE)
			continue;
		for (size_t i = 0; i < bd->n_cells; i++)
			if (bd->cells[i].has_value && small_count(bd->cells[i].value, s->t)) {
				hide_cell(&bd->cells[i], s->lt);
				any = true;
			}
		if (bd->additive)
			report_suppress_complementary(bd, r->has_value && !r->suppressed);
	}
	if (any) {
		r->numerator = r->denominator = 0;
		r->has_ratio = false;
		for (size_t i = 0; i < r->n_details; i++)
			if (r->details[i].type == REPORT_DETAIL_NUMBER)
				hide_detail(&r->details[i], s->nlt);
	}
	return any;
}

void report_suppress(struct arena *a, struct report *r, const double *pap_headcount)
{
	if (r->scope.view != REPORT_VIEW_COMITE && r->scope.view != REPORT_VIEW_ANALYSTE)
		return;
	struct sup s = {.t = r->scope.threshold > 0 ? r->scope.threshold
						    : REPORT_DEFAULT_THRESHOLD};
	s.lt = arena_printf(a, "<%d", s.t);
	s.nlt = arena_printf(a, "n<%d", s.t);
	for (size_t i = 0; i < r->n_indicators; i++) {
		struct ind_result *ir = &r->indicators[i];
		double basis;
		switch (ir->subject) {
		case REPORT_SUBJECT_FAMILIES:
			basis = ir->has_n ? (double)ir->n : ir->has_ratio ? ir->denominator : 0;
			if (basis < s.t) {
				hide_all(ir, s.nlt, basis > 0 || ir->has_value);
				continue;
			}
			break;
		case REPORT_SUBJECT_PAP:
			basis = pap_headcount ? pap_headcount[i] : 0;
			if (basis < s.t) {
				hide_all(ir, s.nlt, basis > 0 || ir->has_value);
				continue;
			}
			break;
		default: break;
		}
		suppress_people(ir, &s);
	}
}
