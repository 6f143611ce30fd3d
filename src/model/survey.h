/* Surveys (domain.md "sondage"), on a 1–5 scale:
 *   - PAP survey: how a PAP lives their mandate, a few fixed items
 *     (survey_pap_items) and an optional comment, asked during campaign
 *     windows that a manager (or an administrator) sets for an
 *     organisation, 2 or 3 times a year. CONFIDENTIAL: the person is
 *     stored (the indicator arr.satisfaction_pap counts answers by
 *     position, and a PAP answers once per window), but no function here
 *     returns an answer or a comment with its author: only team aggregates
 *     over released waves (survey_release: whole waves of at least T
 *     distinct respondents, T = the small-cell threshold setting, default
 *     5, once closed), so that no comparison of two dates gives one
 *     person's score; comments only when at least T comments exist, in
 *     alphabetical order, without date.
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

/* ---- Waves: when PAP answers may be shown (issue 14) ----
 *
 * A wave is the answers of one organisation's PAP in one of its campaign
 * windows, or, for answers outside every campaign (imported ones), in one
 * calendar quarter. Its last day is the campaign's closing day or the
 * quarter's last day. Every team figure of PAP answers, in every view that
 * shows one (the survey pages and API, the reports and dashboards of the
 * gestionnaire, comite and analyste views), counts only the RELEASED
 * waves of its period:
 *   - the wave is closed: its last day is before today and not after the
 *     as_of asked (an open campaign shows nothing until it closes);
 *   - it counts whole in the period that holds its last day;
 *   - at least T distinct PAP answered in it (one PAP who answered four
 *     times is one respondent).
 * Two periods then differ by whole waves of T respondents or more: comparing
 * two dates never gives one person's score. */

/* One PAP answer as the waves see it. */
struct survey_pap_answer {
	int64_t id, person_id, organisation_id;
	int64_t day;         /* its date, as a day number */
	int score;           /* the overall item (survey.score) */
	const char *comment; /* or NULL */
	bool released;       /* set by survey_release */
};

/* How long before a period the answers of its waves may be: a campaign
 * lasts at most 366 days (survey_campaign_add), a quarter 92. */
#define SURVEY_WAVE_MAX_DAYS 366

/* Marks released the answers of v (n of them; v is reordered) whose wave
 * counts in the period [first, last] at as_of (day numbers), under
 * threshold t (rules above; today is the local date now); v keeps its
 * order. Returns the number of distinct persons released, or -1 on a
 * database error (logged; nothing is then released). */
int survey_release(struct db *db, struct arena *ar, struct survey_pap_answer *v, size_t n,
		   int64_t first, int64_t last, int64_t as_of, int t);

/* Aggregates of one item. */
struct survey_item_stat {
	const char *code;
	bool suppressed; /* n under the threshold: n and figures zeroed */
	size_t n;
	double mean;
	size_t n_ge4;
	double pct_ge4;
};

/* Aggregates over a set of answers. When shown is false (no released
 * wave for PAP, fewer than threshold answers for families) every figure
 * but the threshold is zeroed and nothing else is returned: the caller
 * cannot leak what it does not have. An item of the PAP survey is shown
 * only from threshold distinct respondents to it. */
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

/* PAP answers of the PAP of organisation_id: the waves released in
 * [from, to] (see above; as_of = to). */
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
