/* Surveys (domain.md "sondage"), on a 1–5 scale:
 *   - PAP survey: how a PAP lives their mandate, a few fixed items
 *     (survey_pap_items) and an optional comment, asked during campaign
 *     windows that a manager (or an administrator) sets for an
 *     organisation, 2 or 3 times a year. CONFIDENTIAL: the person is
 *     stored (the indicator arr.satisfaction_pap counts answers by
 *     position, and a PAP answers once per window), but no function here
 *     returns an answer or a comment with its author: only team aggregates,
 *     and only when at least T PAP answered (T = the small-cell threshold
 *     setting, default 5); comments only when at least T comments exist,
 *     in alphabetical order, without date.
 *   - Family survey: 4 short items about an arrimage project, answered on
 *     a phone through the project's public link or entered by a PAP from a
 *     paper form. Anonymous: no person, no address, nothing about the
 *     family or the device is stored.
 * survey.score is the OVERALL item of an answer (interchange.md's score);
 * every item, overall included, is also in survey_item.
 * Item wording is French msgids, translated through the catalogues. */
#ifndef PROXIMA_SURVEY_H
#define PROXIMA_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

#define SURVEY_ITEMS_MAX 6
#define SURVEY_COMMENT_MAX 1000 /* characters */
#define SURVEY_OVERALL "global" /* the item stored in survey.score */

enum survey_type {
	SURVEY_PAP,
	SURVEY_FAMILLE,
};

/* One fixed item: its code (stored in survey_item.item), its field name
 * in forms, the API and errors ("items.CODE"), the question (a French
 * msgid). */
struct survey_item_def {
	const char *code;
	const char *field;
	const char *question;
};

/* The items of a type, the overall one first. *n gets their number. */
const struct survey_item_def *survey_items(enum survey_type t, size_t *n);

/* "pap" / "famille". */
const char *survey_type_code(enum survey_type t);

/* An answer being entered: one score per item of its type, in the order
 * of survey_items() (0 = missing). */
struct survey_answer {
	enum survey_type type;
	int scores[SURVEY_ITEMS_MAX];
	const char *comment; /* or NULL */
	const char *date;    /* YYYY-MM-DD */
	int64_t project_id;  /* famille only */
};

/* Checks scores (each 1–5, named "items.CODE"), comment length and date.
 * Returns 0 or -1 (errors in v). */
int survey_validate(const struct survey_answer *a, struct validation *v);

/* The small-cell threshold (setting small_cell_threshold, default 5). */
int survey_threshold(struct db *db);

/* A campaign window of an organisation. */
struct survey_campaign {
	int64_t id;
	int64_t organisation_id;
	const char *opens, *closes; /* YYYY-MM-DD, inclusive */
};

/* Whether a PAP survey is due for actor on today: actor is a PAP with an
 * organisation, a campaign of that organisation is open on today and the
 * actor has no PAP answer dated within that window. Returns 1 (due; *out
 * gets the window, arena strings), 0 (not due), -1 (database error). */
int survey_due_for(struct db *db, struct arena *ar, const struct actor *actor, const char *today,
		   struct survey_campaign *out);

/* True when actor may set the campaigns of organisation_id: its manager,
 * or an administrator. */
bool survey_can_manage(const struct actor *actor, int64_t organisation_id);

/* Adds a campaign for organisation_id (caller checked survey_can_manage):
 * dates valid, closes >= opens, at most 366 days long, not overlapping
 * another campaign of the organisation. 0, 1 (invalid: errors in v), -1.
 * The caller holds a write transaction. */
int survey_campaign_add(struct db *db, const struct actor *actor, int64_t organisation_id,
			const char *opens, const char *closes, struct validation *v);

/* The campaigns of an organisation, most recent first (at most 12). */
int survey_campaign_list(struct db *db, struct arena *ar, int64_t organisation_id,
			 struct survey_campaign **out, size_t *n);

/* Records the actor's PAP answer for today (a->date is set to today).
 * Returns 0, 1 (invalid: errors in v), 2 (no survey due: no open campaign
 * or already answered in this window), -1. The caller holds a write
 * transaction. *id gets the new row (may be NULL). */
int survey_save_pap(struct db *db, struct arena *ar, const struct actor *actor, const char *today,
		    struct survey_answer *a, struct validation *v, int64_t *id);

/* Records an anonymous family answer for a->project_id (the caller
 * checked that the project may receive it): no person, nothing of the
 * family. Returns 0, 1 (invalid), -1. Caller holds a write transaction. */
int survey_save_famille(struct db *db, struct arena *ar, const struct survey_answer *a,
			int64_t territory_id, struct validation *v, int64_t *id);

/* Aggregates of one item. */
struct survey_item_stat {
	const char *code;
	bool suppressed; /* n under the threshold: n and figures zeroed */
	size_t n;
	double mean;
	size_t n_ge4;
	double pct_ge4;
};

/* Aggregates over a set of answers. When shown is false (fewer than
 * threshold answering persons for PAP, fewer than threshold answers for
 * families) every figure but the threshold is zeroed and nothing else is
 * returned: the caller cannot leak what it does not have. */
struct survey_aggregate {
	int threshold;
	bool shown;
	size_t answers; /* only when shown */
	size_t persons; /* PAP only, only when shown */
	size_t nitems;
	struct survey_item_stat items[SURVEY_ITEMS_MAX];
	bool comments_shown; /* at least threshold comments */
	size_t ncomments;
	const char **comments; /* alphabetical; NULL unless comments_shown */
};

/* PAP answers of the PAP of organisation_id dated in [from, to]. */
int survey_pap_aggregate(struct db *db, struct arena *ar, int64_t organisation_id, const char *from,
			 const char *to, struct survey_aggregate *out);

/* Family answers about project_id (0 = all projects: organisation is not
 * used) dated in [from, to]. */
int survey_family_aggregate(struct db *db, struct arena *ar, int64_t project_id, const char *from,
			    const char *to, struct survey_aggregate *out);

/* True when actor may read the PAP aggregates of organisation_id: its
 * manager; a committee member of a territory the organisation serves
 * (db lookup); an analyst or an administrator. Never a PAP. Returns 1, 0,
 * or -1 on a database error. */
int survey_may_read_team(struct db *db, const struct actor *actor, int64_t organisation_id);

#endif
