/* Report comparison for tests and benchmarks (report_cmp.h). */
#include "support/report_cmp.h"

#include <string.h>

#include "core/arena.h"

static bool same_str(const char *x, const char *y)
{
	return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static const char *cmp_breakdowns(struct arena *a, const struct ind_result *x,
				  const struct ind_result *y)
{
	if (x->n_breakdowns != y->n_breakdowns)
		return arena_printf(a, "%s: %zu / %zu breakdowns", x->id, x->n_breakdowns,
				    y->n_breakdowns);
	for (size_t b = 0; b < x->n_breakdowns; b++) {
		const struct report_breakdown *bx = &x->breakdowns[b], *by = &y->breakdowns[b];
		if (!same_str(bx->name, by->name) || bx->n_cells != by->n_cells)
			return arena_printf(a, "%s: breakdown %s (%zu cells) / %s (%zu cells)",
					    x->id, bx->name, bx->n_cells, by->name, by->n_cells);
		for (size_t i = 0; i < bx->n_cells; i++)
			if (!same_str(bx->cells[i].key, by->cells[i].key) ||
			    !same_str(bx->cells[i].display, by->cells[i].display))
				return arena_printf(a, "%s: %s[%s] %s / [%s] %s", x->id, bx->name,
						    bx->cells[i].key, bx->cells[i].display,
						    by->cells[i].key, by->cells[i].display);
	}
	return NULL;
}

static const char *cmp_details(struct arena *a, const struct ind_result *x,
			       const struct ind_result *y)
{
	if (x->n_details != y->n_details)
		return arena_printf(a, "%s: %zu / %zu details", x->id, x->n_details, y->n_details);
	for (size_t i = 0; i < x->n_details; i++)
		if (!same_str(x->details[i].key, y->details[i].key) ||
		    !same_str(x->details[i].display, y->details[i].display))
			return arena_printf(a, "%s: %s %s / %s %s", x->id, x->details[i].key,
					    x->details[i].display, y->details[i].key,
					    y->details[i].display);
	return NULL;
}

const char *report_cmp_first_difference(struct arena *a, const struct report *x,
					const struct report *y)
{
	if (x->n_indicators != y->n_indicators)
		return arena_printf(a, "%zu / %zu indicators", x->n_indicators, y->n_indicators);
	if (x->scope.territory_id != y->scope.territory_id)
		return arena_printf(a, "territory %lld / %lld", (long long)x->scope.territory_id,
				    (long long)y->scope.territory_id);
	for (size_t k = 0; k < x->n_indicators; k++) {
		const struct ind_result *ix = &x->indicators[k], *iy = &y->indicators[k];
		if (!same_str(ix->id, iy->id))
			return arena_printf(a, "indicator %s / %s", ix->id, iy->id);
		if (!same_str(ix->display, iy->display) || ix->status != iy->status ||
		    ix->n != iy->n || ix->numerator != iy->numerator ||
		    ix->denominator != iy->denominator || ix->median != iy->median ||
		    ix->p90 != iy->p90)
			return arena_printf(a, "%s: display %s / %s", ix->id, ix->display,
					    iy->display);
		const char *d = cmp_breakdowns(a, ix, iy);
		if (!d)
			d = cmp_details(a, ix, iy);
		if (d)
			return d;
	}
	return NULL;
}
