/* The stories section of the PDF: the selected stories of a report's
 * scope, from the stories module, as struct report_story (export.h). */
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/util.h"
#include "core/log.h"
#include "model/indicator.h"
#include "model/refdata.h"
#include "model/story.h"
#include "reports/export.h"

/* Appends the labels of codes (list l) to b, comma-separated. */
static void add_labels(struct db *db, struct arena *a, struct buf *b, enum ref_list l,
		       const struct strlist *codes, const char *lang)
{
	for (size_t i = 0; i < codes->n; i++)
		buf_printf(b, "%s%s", b->len ? ", " : "",
			   refdata_label(db, a, l, codes->v[i], lang));
}

/* See export.h. */
int report_export_stories(struct db *db, struct arena *a, const struct report *r,
			  struct report_export_options *opts)
{
	const struct report_scope *s = &r->scope;
	const char *lang = s->lang && strcmp(s->lang, "en") == 0 ? "en" : "fr";
	struct ind_scope sc;
	ind_scope_init(&sc, &s->from, &s->to);
	sc.as_of = s->as_of;
	sc.territory_id = s->territory_id;
	sc.sector_id = s->sector_id;
	sc.organisation_id = s->organisation_id;
	struct story_report_item *items = NULL;
	size_t n = 0;
	/* story_view follows report_view's order (story.h) */
	if (story_list_for_report(db, a, &sc, (enum story_view)s->view, &items, &n) < 0) {
		log_error("report_stories_failed", "reason=\"database\"");
		return -1;
	}
	struct report_story *out = arena_calloc(a, n ? n : 1, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT(8192);
		add_labels(db, a, &b, REF_STRATEGY, &items[i].strategies, lang);
		add_labels(db, a, &b, REF_COMPONENT, &items[i].components, lang);
		add_labels(db, a, &b, REF_OUTCOME, &items[i].outcomes, lang);
		add_labels(db, a, &b, REF_NEED, &items[i].needs, lang);
		out[i].date = items[i].date;
		out[i].text = items[i].quotable ? items[i].text : NULL;
		out[i].tags = arena_strdup(a, b.data);
		for (size_t l = 0; l < STORY_LEVELS && l < ARRAY_LEN(out[i].reasons); l++)
			if (items[i].reasons[l] && *items[i].reasons[l])
				out[i].reasons[out[i].n_reasons++] = (struct report_story_reason){
					.by = i18n_tr(lang, story_level_chosen_by(
								    (enum story_level)(l + 1))),
					.reason = items[i].reasons[l]};
		const struct strlist *lists[] = {&items[i].strategies, &items[i].components,
						 &items[i].outcomes, &items[i].needs};
		size_t nc = 0;
		for (size_t l = 0; l < 4; l++)
			nc += lists[l]->n;
		const char **codes = arena_calloc(a, nc ? nc : 1, sizeof(*codes));
		nc = 0;
		for (size_t l = 0; l < 4; l++)
			for (size_t k = 0; k < lists[l]->n; k++)
				codes[nc++] = lists[l]->v[k];
		out[i].codes = codes;
		out[i].n_codes = nc;
		buf_free(&b);
	}
	struct story_tag_counts tc;
	if (story_count_by_tag(db, a, &sc, false, &tc) < 0) {
		log_error("report_stories_failed", "reason=\"database\"");
		return -1;
	}
	struct report_story_count *counts = arena_calloc(a, tc.n ? tc.n : 1, sizeof(*counts));
	size_t nc = 0;
	for (size_t i = 0; i < tc.n; i++) {
		const struct story_tag_count *t = &tc.v[i];
		bool strategy = strcmp(t->kind, "strategy") == 0;
		if (!strategy && strcmp(t->kind, "outcome") != 0)
			continue;
		counts[nc].kind = strategy ? "strategy" : "outcome";
		counts[nc].label =
			refdata_label(db, a, strategy ? REF_STRATEGY : REF_OUTCOME, t->code, lang);
		counts[nc++].count = (double)t->count;
	}
	opts->stories = out;
	opts->n_stories = n;
	opts->stories_searched = true;
	opts->story_counts = counts;
	opts->n_story_counts = nc;
	opts->n_stories_in_scope = tc.stories;
	return 0;
}

/* The breakdowns whose cell keys are story tag codes. */
static bool tag_breakdown(const char *name)
{
	static const char *const names[] = {"par_strategie", "par_composante", "par_besoin",
					    "par_retombee"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* True when code is the key of a non-empty tag cell of ind. */
static bool indicator_has_tag(const struct ind_result *ind, const char *code)
{
	for (size_t i = 0; i < ind->n_breakdowns; i++) {
		const struct report_breakdown *b = &ind->breakdowns[i];
		if (!tag_breakdown(b->name))
			continue;
		for (size_t k = 0; k < b->n_cells; k++) {
			const struct report_cell *c = &b->cells[k];
			if ((c->suppressed || (c->has_value && c->value > 0)) &&
			    strcmp(c->key, code) == 0)
				return true;
		}
	}
	return false;
}

/* See export.h. */
size_t report_stories_for(const struct report_export_options *opts, const struct ind_result *ind,
			  const struct report_story **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; opts && i < opts->n_stories; i++) {
		const struct report_story *s = &opts->stories[i];
		bool hit = false;
		for (size_t k = 0; k < s->n_codes && !hit; k++)
			hit = indicator_has_tag(ind, s->codes[k]);
		if (!hit)
			continue;
		if (n < max)
			out[n] = s;
		n++;
	}
	return n;
}
