/* Team follow-up indicators (docs: indicators.md, the arr.* rows of seed
 * 002 about PAP positions, and act.trous_service), as functions of the
 * model that the report engine calls:
 *   headcount (Common rules)   ind_team_headcount
 *   arr.roulement              ind_team_roulement
 *   arr.heures_supervision     ind_team_supervision
 *   arr.demandes_soutien       ind_team_soutien
 *   arr.satisfaction_pap       ind_team_satisfaction_pap
 *   arr.satisfaction_familles  ind_team_satisfaction_familles
 *   arr.projets_arrimage       ind_team_projets
 *   arr.presentations_mandat   ind_team_presentations
 *   act.trous_service          ind_team_trous_service
 *
 * Every indicator function takes a scope (model/indicator.h), fills *out
 * and returns 0, or -1 on a database error (logged; *out is then zeroed).
 * Lists and strings in the results come from the arena passed in and live
 * as long as it does.
 *
 * Rules where indicators.md is silent (see also ind_team.c):
 *   - "In the period" is [from, min(to, as_of)] (nothing after as_of is
 *     counted), for counts and for the days that divide them; when as_of
 *     is before from the period is empty (days 0, nothing defined).
 *   - A position is filled on a day when a holder period [from_date,
 *     to_date] and the position's [start_date, end_date] both cover it
 *     (NULL end = open). Two holders at once on one position fill it once.
 *   - Positions are in scope by their territory (with descendants), their
 *     organisation, and that organisation's sector.
 *   - Supervision, support requests and PAP survey answers are in scope
 *     when, on their date, their person holds a position in scope (holder
 *     period and position both open that day). Those of a person holding no
 *     position that day are not counted, even with no filter: the
 *     denominator is the headcount of positions, so is the numerator.
 *   - Family surveys, projects and service gaps are in scope by their
 *     territory only (the sector and organisation filters do not apply:
 *     projects are intersectoral, gaps are the territory's).
 *   - Presentations of mandate are in scope by the activity's territory,
 *     organisation and that organisation's sector.
 *   - Small cells: statistics over PAP carry the average headcount and
 *     small_cell = headcount < IND_TEAM_SMALL_CELL_T; a report engine with
 *     another T calls ind_team_small_cell(headcount, T). Family
 *     satisfaction carries small_cell = n < T. Nothing is suppressed here:
 *     the report engine decides by view. */
#ifndef PROXIMA_IND_TEAM_H
#define PROXIMA_IND_TEAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/indicator.h"

struct db;
struct arena;

#define IND_TEAM_SMALL_CELL_T 5
#define IND_TEAM_DAYS_PER_YEAR 365.25
#define IND_TEAM_DAYS_PER_MONTH 30.4375   /* 365.25 / 12 */
#define IND_TEAM_DAYS_PER_QUARTER 91.3125 /* 365.25 / 4 */
#define IND_TEAM_SATISFACTION_TARGET 4.0  /* mean >= 4 / 5 */

/* True when an average headcount is under the threshold t (t <= 0 means
 * the default). */
bool ind_team_small_cell(double headcount, int t);

/* The effective period of a scope as day numbers (ptime_days_from_civil):
 * [from, min(to, as_of)]. *last < *first when it is empty. */
void ind_team_period(const struct ind_scope *s, int64_t *first, int64_t *last);

/* Average headcount of the positions in scope (territory, sector,
 * organisation of s; its dates are ignored) over the days [first, last]
 * (day numbers): the position-days filled, intersecting holder periods
 * with position periods and the days, divided by the number of days. */
struct ind_headcount {
	int64_t days;        /* last - first + 1, 0 when empty */
	int64_t filled_days; /* sum over positions of the days filled */
	double average;      /* filled_days / days; 0 when days == 0 */
	bool small_cell;     /* average < IND_TEAM_SMALL_CELL_T */
};
int ind_team_headcount(struct db *db, const struct ind_scope *s, int64_t first, int64_t last,
		       struct ind_headcount *out);

/* The holder periods of a scope's positions that the PAP statistics of
 * one report share (arr.roulement, arr.heures_supervision,
 * arr.demandes_soutien, arr.satisfaction_pap): the first of them to run
 * reads them once over every day any of them needs (the period, the day
 * after it, and the 12-month window ending at as_of); the others take
 * theirs from it. Zero it before first use and keep it to one
 * computation: it points into the arena passed to the functions that
 * filled it. Each of those functions takes a memo, or NULL to read its
 * holders itself; the figures are the same either way. */
struct ind_team_holder;
struct ind_team_memo {
	bool loaded;
	int64_t territory_id, sector_id, organisation_id; /* the scope read */
	int64_t first, last;                              /* the days read */
	struct ind_team_holder *v;
	size_t n;
};

/* arr.roulement. A departure is a holder period of a position in scope
 * whose effective end — the earlier of its to_date and the position's
 * end_date — falls within the period, unless the same person goes on
 * holding the same position the next day (a split record, not a
 * departure). So a change of holder counts once (the leaving holder's
 * period ends), a position closing with its holder counts once (one
 * holder period ends), a vacancy counts nothing by itself (only the
 * departure that opened it), and each successive holder who leaves within
 * the period counts. */
struct ind_team_roulement_result {
	struct ind_headcount hc;
	int64_t departures;     /* numerator */
	int64_t positions_left; /* distinct positions among them */
	double value;           /* departures / hc.average * 100 */
	double annualised;      /* value * 365.25 / hc.days */
	bool defined;           /* hc.average > 0 */
};
int ind_team_roulement(struct db *db, struct arena *ar, const struct ind_scope *s,
		       struct ind_team_memo *memo, struct ind_team_roulement_result *out);

/* arr.heures_supervision: hours per month per PAP. */
struct ind_team_supervision_result {
	struct ind_headcount hc;
	double hours;     /* total hours received in the period */
	int64_t sessions; /* supervision records counted */
	double months;    /* hc.days / 30.4375 */
	double value;     /* hours / months / hc.average */
	bool defined;     /* hc.days > 0 && hc.average > 0 */
};
int ind_team_supervision(struct db *db, struct arena *ar, const struct ind_scope *s,
			 struct ind_team_memo *memo, struct ind_team_supervision_result *out);

/* arr.demandes_soutien: support requests per quarter per PAP. */
struct ind_team_soutien_result {
	struct ind_headcount hc;
	int64_t requests; /* in the period */
	double quarters;  /* hc.days / 91.3125 */
	double value;     /* requests / quarters / hc.average */
	bool defined;     /* hc.days > 0 && hc.average > 0 */
};
int ind_team_soutien(struct db *db, struct arena *ar, const struct ind_scope *s,
		     struct ind_team_memo *memo, struct ind_team_soutien_result *out);

/* arr.satisfaction_pap. The scores are those of the answers in the period,
 * or with s->pap_waves those of the waves released in the period
 * (model/survey.h, "Waves"). The share of positions with at least two
 * answers is over the 12 months ending at as_of: [as_of - 1 year + 1 day,
 * as_of] (a 29 February as_of goes back to 1 March). Its denominator is the
 * positions in scope filled at some time in that window; an answer goes
 * to the position its author held (holder period and position open) on
 * the answer's date. */
struct ind_team_satisfaction_pap_result {
	struct ind_headcount hc;    /* over the period, for small cells */
	struct ind_stats stats;     /* scores of the period: n, mean, median, p90 */
	size_t n_ge4;               /* answers scoring 4 or 5 */
	double pct_ge4;             /* n_ge4 / n * 100; 0 when n == 0 */
	struct pdate window_from;   /* first day of the 12-month window */
	int64_t positions_window;   /* positions filled in the window */
	int64_t positions_2answers; /* of which with >= 2 answers in it */
	double share_2answers;      /* their % ; 0 when positions_window == 0 */
	bool target_met;            /* stats.defined && mean >= 4 */
	/* Distinct persons behind the scores, and the answers dated in the
	 * period (released or not). */
	size_t respondents, answers_in_period;
};
int ind_team_satisfaction_pap(struct db *db, struct arena *ar, const struct ind_scope *s,
			      struct ind_team_memo *memo,
			      struct ind_team_satisfaction_pap_result *out);

/* arr.satisfaction_familles. */
struct ind_team_satisfaction_familles_result {
	struct ind_stats stats; /* scores of the period */
	size_t n_ge4;
	double pct_ge4;  /* n_ge4 / n * 100; 0 when n == 0 */
	bool target_met; /* stats.defined && mean >= 4 */
	bool small_cell; /* n < IND_TEAM_SMALL_CELL_T */
};
int ind_team_satisfaction_familles(struct db *db, struct arena *ar, const struct ind_scope *s,
				   struct ind_team_satisfaction_familles_result *out);

/* arr.projets_arrimage: projects (every project is an arrimage project,
 * domain.md) whose [start_date, end_date] meets the period. */
struct ind_team_projets_result {
	int64_t count;
};
int ind_team_projets(struct db *db, struct arena *ar, const struct ind_scope *s,
		     struct ind_team_projets_result *out);

/* arr.presentations_mandat. When the period is longer than a year (its
 * last day is on or after the same date one year after its first), the
 * count is also given per CALENDAR year, each slice being the part of the
 * period in that year (first and last slices may be partial: their days
 * say so). Calendar years match annual reports; 365-day slices would not. */
struct ind_team_year_count {
	int year;
	struct pdate from, to; /* the slice of the period in that year */
	int64_t days;
	int64_t count;
};
struct ind_team_presentations_result {
	int64_t count;
	bool per_year_given;               /* the period is longer than a year */
	size_t n_years;                    /* every year of the period, even empty */
	struct ind_team_year_count *years; /* by year; NULL when !per_year_given */
};
int ind_team_presentations(struct db *db, struct arena *ar, const struct ind_scope *s,
			   struct ind_team_presentations_result *out);

/* act.trous_service: service gaps reported in the period, per need, most
 * frequent first (ties by need code). */
struct ind_team_need_count {
	const char *need;
	int64_t count;
};
struct ind_team_trous_result {
	int64_t count; /* all gaps */
	size_t n_needs;
	struct ind_team_need_count *needs; /* ranked */
};
int ind_team_trous_service(struct db *db, struct arena *ar, const struct ind_scope *s,
			   struct ind_team_trous_result *out);

#endif
