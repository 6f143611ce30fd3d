/* The comparison of territories: see compare.h. */
#include "reports/compare.h"

#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
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
	out->refusals = arena_calloc(a, nt ? nt : 1, sizeof(*out->refusals));
	for (size_t i = 0; e == PERR_OK && i < nt; i++) {
		struct report_request t = one;
		t.territory = exts[i];
		e = report_refusals(db, a, &t, &out->refusals[i]);
	}
	if (e != PERR_OK)
		return e;
	out->n = nt;
	return PERR_OK;
}

/* Territory i's cell of refusal reason code, or NULL when it has none. */
static const struct report_cell *refusal_cell(const struct report_comparison *c, size_t i,
					      const char *code)
{
	const struct report_breakdown *b = &c->refusals[i].by_reason;
	for (size_t k = 0; k < b->n_cells; k++)
		if (strcmp(b->cells[k].key, code) == 0)
			return &b->cells[k];
	return NULL;
}

/* Appends the refusals' rows to out (n rows, cap): the total, then every
 * reason one of the territories has, in the order first met. */
static struct report_compare_row *refusal_rows(const struct report_comparison *c, struct arena *a,
					       struct report_compare_row *out, size_t *n,
					       size_t *cap)
{
	const char *lang = c->reports[0].scope.lang ? c->reports[0].scope.lang : "fr";
	out = arena_grow(a, out, *n, cap, sizeof(*out));
	out[(*n)++] = (struct report_compare_row){
		.label = i18n_tr(lang, "Références refusées"), .unit = "nombre", .refusal = true};
	size_t first = *n;
	for (size_t i = 0; i < c->n; i++) {
		const struct report_breakdown *b = &c->refusals[i].by_reason;
		for (size_t k = 0; k < b->n_cells; k++) {
			bool seen = false;
			for (size_t j = first; j < *n && !seen; j++)
				seen = strcmp(out[j].refusal_code, b->cells[k].key) == 0;
			if (seen)
				continue;
			out = arena_grow(a, out, *n, cap, sizeof(*out));
			out[(*n)++] = (struct report_compare_row){
				.label = arena_printf(a, "%s%s%s", i18n_tr(lang, "Refus"),
						      i18n_tr(lang, " : "), b->cells[k].label),
				.unit = "nombre",
				.refusal = true,
				.refusal_code = b->cells[k].key};
		}
	}
	return out;
}

/* Territory i's figure in a refusals row (a reason it has not: 0). */
static void refusal_figure(const struct report_comparison *c, const struct report_compare_row *row,
			   size_t i, struct report_compare_cell *out)
{
	const struct report_refusals *rf = &c->refusals[i];
	if (!row->refusal_code) {
		out->suppressed = rf->total_display && rf->total_display[0] == '<';
		out->has_value = !out->suppressed;
		out->value = out->has_value ? (double)rf->total : 0;
		out->display = rf->total_display ? rf->total_display : "0";
		return;
	}
	const struct report_cell *cell = refusal_cell(c, i, row->refusal_code);
	out->has_value = !cell || cell->has_value;
	out->suppressed = cell && cell->suppressed;
	out->value = cell ? cell->value : 0;
	out->display = cell ? cell->display : "0";
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
	out = refusal_rows(c, a, out, &n, &cap);
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
	if (row->refusal) {
		refusal_figure(c, row, i, out);
		return;
	}
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
