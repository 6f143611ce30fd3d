/* "Le sens" beside "la mesure" on the web dashboards (issue 5): the
 * stories selected for a dashboard's scope, set beside each indicator that
 * shares one of their tags exactly as the PDF does (report_export_stories
 * and report_stories_for, reports/export.h), and the selected stories
 * counted per strategy and per outcome.
 *
 * Nothing here decides what a story shows: the stories module
 * (model/story.h) gives the text only while the story is quotable (the
 * author's flag and, for a story about a family, the family's `citation`
 * consent) and never the family, the author or the activity, so the
 * committee's and the analyst's pages get no nominative data. */
#ifndef PROXIMA_VIEWS_DASH_STORIES_H
#define PROXIMA_VIEWS_DASH_STORIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "reports/export.h"
#include "reports/report.h"
#include "views/view.h"

/* One line of a counts table: a tag's label and its selected stories. */
struct dash_story_count {
	const char *label;
	int64_t count;
};

/* The stories of one dashboard. All memory in the request's arena. */
struct dash_stories {
	bool shown;                      /* false: the page shows no stories at all */
	struct report_export_options eo; /* the selected stories, as for the PDF */
	struct dash_story_count *by_strategy, *by_outcome;
	size_t n_strategy, n_outcome;
	char from[11], to[11]; /* the period, for the selection link */
	bool can_select;       /* the reader selects stories (manager, committee) */
	bool *written;         /* per story of eo: already written in full on the page */
};

/* Loads the stories of r's scope for req's reader into out: nothing (and
 * out->shown false) for a reader who sees no stories (an admin: see
 * model/story.h). Returns 0, or -1 on a database error (logged). */
int dash_stories_load(struct db *db, struct request *req, const struct report *r,
		      struct dash_stories *out);

/* Writes, into o, the selected stories that share a tag with x (at most
 * two, with a link to the stories page when there are more); nothing when
 * none does or when s or x is NULL. The two are chosen among those
 * stories preferring the ones not yet written on the page; a story already
 * written in full beside an earlier indicator is written short (date,
 * tags) with a link to it. s records which ones were written. */
void dash_stories_beside(struct request *req, struct buf *o, struct dash_stories *s,
			 const struct ind_result *x);

/* Writes the "Récits de la période" section into o: how many stories
 * were selected, and tables of them per strategy and per outcome; or one
 * line saying none was selected, with a link to the stories page. Nothing
 * when s->shown is false. */
void dash_stories_section(struct request *req, struct buf *o, const struct dash_stories *s);

#endif
