/* The comparison of territories: see compare.h. */
#include "reports/compare.h"

#include <string.h>

#include "core/arena.h"
#include "model/actor.h"
#include "model/dashboard.h"
#include "reports/access.h"

/* See compare.h. */
enum perr report_compare(struct db *db, struct arena *a, const struct actor *who,
			 const struct report_request *rq, const char *parent,
			 struct report_comparison *out)
{
	memset(out, 0, sizeof(*out));
	if (who->role != ROLE_ANALYSTE && who->role != ROLE_ADMIN)
		return PERR_NOT_FOUND;
	out->parent = parent && *parent ? arena_strdup(a, parent) : NULL;
	struct dash_item *terr;
	size_t nt;
	if (dash_list_territories(db, a, out->parent, &terr, &nt) < 0)
		return PERR_INTERNAL;
	if (nt > REPORT_COMPARE_MAX)
		nt = REPORT_COMPARE_MAX;
	out->reports = arena_calloc(a, nt ? nt : 1, sizeof(*out->reports));
	const char **exts = arena_calloc(a, nt ? nt : 1, sizeof(*exts));
	for (size_t i = 0; i < nt; i++)
		exts[i] = terr[i].ext_id;
	struct report_request one = *rq;
	one.territory = nt ? exts[0] : NULL;
	one.author_id = 0;
	one.cache = NULL;
	enum perr e = report_request_for_actor(db, a, who, "analyste", &one);
	if (e == PERR_OK && nt)
		e = report_compute_territories(db, a, &one, exts, nt, out->reports);
	if (e != PERR_OK)
		return e;
	out->n = nt;
	return PERR_OK;
}

static const struct report_breakdown *portrait_of(const struct report *r)
{
	const struct ind_result *p = report_get(r, REPORT_IND_ARR_PORTRAIT);
	for (size_t b = 0; p && b < p->n_breakdowns; b++)
		if (strcmp(p->breakdowns[b].name, "indicateurs") == 0)
			return &p->breakdowns[b];
	return NULL;
}

/* A territory's own portrait figure of code (not a sub-territory's:
 * those keys are "TERRITORY/code"), or NULL. */
static const struct report_cell *portrait_cell(const struct report *r, const char *code)
{
	const struct report_breakdown *b = portrait_of(r);
	for (size_t k = 0; b && k < b->n_cells; k++)
		if (strcmp(b->cells[k].key, code) == 0)
			return &b->cells[k];
	return NULL;
}

/* See compare.h. */
size_t report_compare_rows(const struct report_comparison *c, struct arena *a,
			   struct report_compare_row **rows)
{
	*rows = NULL;
	if (c->n == 0)
		return 0;
	const struct report *r0 = &c->reports[0];
	size_t n = 0, cap = 0;
	struct report_compare_row *out = NULL;
	for (size_t k = 0; k < r0->n_indicators; k++) {
		const struct ind_result *x = &r0->indicators[k];
		if (x->ind == REPORT_IND_ARR_PORTRAIT)
			continue;
		out = arena_grow(a, out, n, &cap, sizeof(*out));
		out[n++] = (struct report_compare_row){
			.label = x->label, .unit = x->unit ? x->unit : "", .k = k, .first = x};
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct report_breakdown *b = portrait_of(&c->reports[i]);
		for (size_t k = 0; b && k < b->n_cells; k++) {
			const struct report_cell *cell = &b->cells[k];
			if (strchr(cell->key, '/'))
				continue; /* a sub-territory's */
			bool seen = false;
			for (size_t j = 0; j < n && !seen; j++)
				seen = out[j].portrait && strcmp(out[j].portrait, cell->key) == 0;
			if (seen)
				continue;
			out = arena_grow(a, out, n, &cap, sizeof(*out));
			out[n++] = (struct report_compare_row){
				.label = cell->label, .unit = "", .portrait = cell->key};
		}
	}
	*rows = out;
	return n;
}

/* See compare.h. */
void report_compare_cell(const struct report_comparison *c, const struct report_compare_row *row,
			 size_t i, struct report_compare_cell *out)
{
	memset(out, 0, sizeof(*out));
	out->display = "—";
	if (row->portrait) {
		const struct report_cell *cell = portrait_cell(&c->reports[i], row->portrait);
		out->entered = true;
		if (!cell)
			return;
		out->has_value = cell->has_value;
		out->suppressed = cell->suppressed;
		out->value = cell->value;
		out->display = cell->display ? cell->display : "—";
		return;
	}
	const struct ind_result *x = &c->reports[i].indicators[row->k];
	out->has_value = x->has_value;
	out->suppressed = x->suppressed;
	out->value = x->value;
	out->display = x->display ? x->display : "—";
	out->has_status = x->target.present;
	out->status = x->status;
}
