/* The one indicator engine (docs: indicators.md, interchange.md "Report").
 *
 * report_compute() turns a request (scope + view + language) into a
 * struct report: every indicator id of indicators.md, always in the same
 * order (REPORT_IDS below), each with its label in the report's language,
 * unit, value, statistics, target and status, breakdowns and details.
 * Small-cell suppression (views comite and analyste) is applied INSIDE
 * report_compute, complementary suppression included, so every writer
 * (JSON, CSV, HTML, XLSX, PDF, dashboards) only ever sees what the view
 * may show: a suppressed figure has has_value false, suppressed true and
 * its display string ("<5", "n<5"); the hidden number is not kept anywhere
 * in the struct (it is overwritten with 0).
 *
 * Memory: everything in a struct report (strings, arrays) is allocated
 * from the arena passed to report_compute and lives as long as it does.
 * The caller owns nothing else and frees nothing.
 *
 * This interface is stable: later changes only add fields or functions. */
#ifndef PROXIMA_REPORT_H
#define PROXIMA_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/ptime.h"
#include "model/ind_arrimage.h"
#include "model/settings.h"

struct db;
struct ind_act_author_row;
struct arena;

/* Who the report is for (domain.md, indicators.md "Common rules").
 * complet and gestionnaire are not suppressed; comite and analyste are.
 * complet is for the command line only, never over HTTP. */
enum report_view {
	REPORT_VIEW_COMPLET = 0,
	REPORT_VIEW_GESTIONNAIRE,
	REPORT_VIEW_COMITE,
	REPORT_VIEW_ANALYSTE,
};

/* Status of an indicator against its target (interchange.md). */
enum report_status {
	REPORT_STATUS_SANS_CIBLE = 0, /* the indicator has no target */
	REPORT_STATUS_ATTEINT,        /* target met */
	REPORT_STATUS_NON_ATTEINT,    /* target missed */
	REPORT_STATUS_INSUFFISANT,    /* a target exists but no value (no data, or suppressed) */
};

/* What the figure is about, which decides its suppression rule. */
enum report_subject {
	REPORT_SUBJECT_NONE = 0, /* activities, projects, corridors…: never suppressed */
	REPORT_SUBJECT_PEOPLE,   /* a count of people or families: 1..T-1 shown "<T" */
	REPORT_SUBJECT_FAMILIES, /* a statistic over families: hidden when n/denominator < T */
	REPORT_SUBJECT_PAP,      /* a statistic over PAP: hidden when average headcount < T */
};

/* The indicators, in the fixed order of every report: one row each in
 * reports/indicators.def (id, labels, unit, target, suppression class,
 * computation, definition). */
enum report_ind {
#define IND(NAME, id, SECTION, SUBJECT, label, unit, op, target, COMPUTE, def) REPORT_IND_##NAME,
#include "reports/indicators.def"
#undef IND
	REPORT_N_INDICATORS
};

/* The ids of the contract ("arr.delai_prise_en_charge"), by enum report_ind. */
extern const char *const REPORT_IDS[REPORT_N_INDICATORS];

/* The indicator of an id: 0 with *out set, or -1 for an unknown id. */
int report_ind_parse(const char *id, enum report_ind *out);

/* T and W of a report built without the engine (the engine reads the
 * settings SETTING_SMALL_CELL_THRESHOLD and SETTING_ESCAPE_WINDOW_DAYS):
 * the settings' defaults. */
#define REPORT_DEFAULT_THRESHOLD SETTINGS_DEFAULT_THRESHOLD
#define REPORT_DEFAULT_ESCAPE_WINDOW SETTINGS_DEFAULT_ESCAPE_DAYS
#define REPORT_TREND_QUARTERS 4

/* A request. Strings are borrowed (the caller keeps them alive during the
 * call). Initialise with report_request_init. */
struct report_request {
	const char *territory;    /* territory ext id; NULL or "" = every territory */
	const char *sector;       /* sector ext id, NULL = all */
	const char *organisation; /* organisation ext id, NULL = all */
	struct pdate from, to;    /* inclusive; required */
	struct pdate as_of;       /* used when has_as_of */
	bool has_as_of;           /* else: to if to is in the past, else today */
	enum report_view view;    /* default REPORT_VIEW_COMITE */
	const char *lang;         /* "fr" (default) or "en": labels and displays */
	int threshold;            /* T; 0 = settings, else default 5 */
	int escape_window_days;   /* W; 0 = settings, else default 30 */
	/* Optional: compute only these ids (e.g. a dashboard tile or a
	 * trend). NULL = every id (a report always carries every id). */
	const char *const *only_ids;
	size_t n_only_ids;
	/* Optional: a person's own work (a PAP's "my work" dashboard): the
	 * act.* indicators count only activities this person (row id) wrote;
	 * arr.* ignore it. 0 = everyone. Never set from a request parameter. */
	int64_t author_id;
	/* Where the act.* indicators read: the aggregate tables (default) or,
	 * for the benchmark's baseline and checks, the raw journal tables. */
	bool act_from_raw;
	/* Optional: reads shared with other computations of the same scope in
	 * the same arena (a dashboard's report and its 4-quarter trend). */
	struct report_cache *cache;
};

struct ind_act_all;
struct ind_trajectories;

/* What one computation read that another of the same territory, sector
 * and organisation with an as_of no later can reuse: the referral rows of
 * the trajectories. Zero it before first use; it points into the arena of
 * the computation that filled it, so it must not outlive that arena. */
struct report_cache {
	bool has_rows;
	struct ind_referral_rows rows;
	/* The act.* sums of exactly act_scope (report_compute_territories'
	 * one pass, model/compare_act.h), or NULL. */
	const struct ind_act_all *act;
	struct ind_scope act_scope;
	/* The trajectories of exactly traj_scope at its as_of
	 * (report_compute_territories' one pass,
	 * ind_arr_trajectories_split), or NULL. */
	const struct ind_trajectories *traj;
	struct ind_scope traj_scope;
};

/* Sets the defaults above (zeroes everything else). */
void report_request_init(struct report_request *rq);

/* The scope as resolved and reported ("scope" of the JSON). */
struct report_scope {
	struct pdate from, to, as_of;
	const char *territory;        /* ext id, NULL = all */
	const char *territory_name;   /* NULL when none */
	int64_t territory_id;         /* 0 = all */
	const char **sub_territories; /* ext ids of its descendants (not itself) */
	size_t n_sub_territories;
	const char *sector, *sector_name; /* NULL = all */
	int64_t sector_id;
	const char *organisation, *organisation_name; /* NULL = all */
	int64_t organisation_id;
	enum report_view view;
	const char *lang;
	int threshold;          /* T in force */
	int escape_window_days; /* W in force */
	int64_t generated_at;   /* ptime_now() when computed */
	/* How the counts of people are protected against differencing:
	 * "cell_key" in the comite and analyste views (model/cellkey.h: each
	 * count of T or more moved by -2 to +2 by its cell's key), NULL in the
	 * others; protection_note says it in the report's language ("" when
	 * NULL), for every output to show beside the figures. */
	const char *protection;
	const char *protection_note;
};

/* A target: value op target, op one of "<=", "<", ">=", ">". */
struct report_target {
	bool present;
	const char *op;
	double value;
};

/* One cell of a breakdown (e.g. people reached by age group). */
struct report_cell {
	const char *key;     /* stable code (a reference-list code, a year, an ext id) */
	const char *label;   /* in the report language */
	double value;        /* 0 when !has_value */
	bool has_value;      /* false when suppressed or undefined */
	bool suppressed;     /* hidden by small-cell or complementary suppression */
	bool complementary;  /* suppressed only to protect another cell */
	const char *display; /* as shown: "12", "3,5", "<5" (never NULL) */
	const char *note;    /* extra text (a portrait's period and source), or NULL */
};

/* A named list of cells. */
struct report_breakdown {
	const char *name;            /* stable key in JSON details / CSV: "par_groupe_age" */
	const char *label;           /* in the report language */
	const char *unit;            /* unit of the cells (same codes as ind_result.unit) */
	enum report_subject subject; /* PEOPLE: cells 1..T-1 suppressed */
	bool additive; /* cells sum to the indicator's value: complementary suppression applies */
	/* The cells are figures a person entered (the portrait): every output
	 * writes them exactly as entered (6.01 stays 6.01), never rounded to
	 * one decimal like the figures the system computes. */
	bool entered;
	struct report_cell *cells;
	size_t n_cells;
};

/* A figure entered by a person (a portrait value), as entered: the fewest
 * decimals that give it back exactly (jsonw_decimals_exact), with a
 * decimal comma unless lang is "en" ("6,01", "19,64", "-2,5", "12"). An
 * arena string; "—" when v is not finite. */
const char *report_format_exact(struct arena *a, const char *lang, double v);

/* The decimals a chart of b needs to show each of its entered figures as
 * entered (at most 6); 0 when b->entered is false. */
int report_breakdown_decimals(const struct report_breakdown *b);

/* A scalar detail ("details" of the JSON), e.g. en_attente, annualise. */
enum report_detail_type { REPORT_DETAIL_NUMBER = 0, REPORT_DETAIL_INT, REPORT_DETAIL_TEXT };
struct report_detail {
	const char *key;   /* stable JSON key */
	const char *label; /* in the report language */
	enum report_detail_type type;
	double number;               /* REPORT_DETAIL_NUMBER */
	int64_t integer;             /* REPORT_DETAIL_INT */
	const char *text;            /* REPORT_DETAIL_TEXT */
	enum report_subject subject; /* PEOPLE counts are suppressed like values */
	bool suppressed;             /* then the value is null in JSON */
	const char *display;         /* as shown (never NULL) */
};

/* One indicator of a report. */
struct ind_result {
	enum report_ind ind; /* REPORT_IND_ARR_DELAI_PRISE_EN_CHARGE */
	const char *id;      /* "arr.delai_prise_en_charge" (REPORT_IDS[ind]) */
	const char *label;   /* in the report language */
	const char *unit;    /* stable code: "jours", "%", "nombre", "personnes", "familles",
	                      "minutes", "heures/mois/PAP", "demandes/trimestre/PAP", "score/5" */
	enum report_subject subject;
	bool computed; /* false only while an indicator is not implemented yet */

	double value;        /* as reported: a computed figure has one decimal */
	double unrounded;    /* value before that rounding: the status is decided on
	                        it (indicators.md "Precision"); 0 when !has_value */
	bool has_value;      /* false: no data, undefined or suppressed (JSON null) */
	bool suppressed;     /* hidden for the view */
	const char *display; /* value as shown: "1,8", "<5", "n<5", "—" (never NULL) */

	int64_t n; /* observations behind a mean; has_n */
	bool has_n;
	double numerator, denominator; /* rates; has_ratio */
	bool has_ratio;
	double median, p90; /* has_median / has_p90 */
	bool has_median, has_p90;

	struct report_target target;
	enum report_status status;

	struct report_breakdown *breakdowns;
	size_t n_breakdowns;
	struct report_detail *details;
	size_t n_details;
};

struct report {
	struct report_scope scope;
	struct ind_result *indicators; /* in REPORT_IDS order (filtered by only_ids) */
	size_t n_indicators;
};

/* Computes the report for rq into *out (arena a). Returns PERR_OK;
 * PERR_INVALID for a bad request (see report_request_check, which gives
 * the message); PERR_NOT_FOUND when the territory, sector or
 * organisation ext id does not exist; PERR_INTERNAL on a database error
 * (logged). Suppression for rq->view is already applied on return. */
enum perr report_compute(struct db *db, struct arena *a, const struct report_request *rq,
			 struct report *out);

/* Checks a request before computing: returns NULL when valid, else a
 * static English message naming the field ("--to is before --from"). */
const char *report_request_check(const struct report_request *rq);

/* Refused referrals of rq's scope and period by reason (cells keyed by
 * refusal code, "" for older refusals without one) and by corridor (keyed
 * by the corridor's ext id, "" for direct referrals), with their total.
 * For the comite and analyste views, each count is published through the
 * cell key, 1..T-1 shown "<T", and one hidden cell of a table hides a
 * second (complementary suppression), as the engine's breakdowns are. */
struct report_refusals {
	struct report_breakdown by_reason, by_corridor;
	int64_t total;
	const char *total_display;
};
enum perr report_refusals(struct db *db, struct arena *a, const struct report_request *rq,
			  struct report_refusals *out);

/* Puts rf's two tables into r for its files (CSV, XLSX, PDF), as
 * breakdowns of the escape rate (arr.taux_echappement: refused families are
 * part of it), labelled in r's language, their counts as rf protected
 * them. Nothing when r has no such indicator. The new array is in a. */
void report_attach_refusals(struct arena *a, struct report *r, const struct report_refusals *rf);

/* The per-author figures of rq's scope (the organisation dashboard's team
 * table): for each author with activities in the period, what
 * act.activites and act.temps give with author_id set to that author, read
 * in one grouped query rather than one report per author. No suppression:
 * for the gestionnaire and complet views only (PERR_INVALID otherwise).
 * *rows is an arena array of *n. */
enum perr report_by_author(struct db *db, struct arena *a, const struct report_request *rq,
			   struct ind_act_author_row **rows, size_t *n);

/* The same indicators over the last REPORT_TREND_QUARTERS calendar
 * quarters, for dashboards: quarters[3] is the quarter that contains the
 * request's as_of (cut at as_of), quarters[0] three quarters before.
 * rq's from/to are ignored (each quarter is its own period, as_of is the
 * quarter's end, or rq's as_of for the last); only_ids is honoured (pass
 * the dashboard's ids: computing every id four times is slower). Each
 * quarter is a full suppressed report for rq->view. Same returns as
 * report_compute. */
struct report_trend {
	size_t n; /* REPORT_TREND_QUARTERS */
	struct {
		char label[8]; /* "2025-T1" */
		struct report report;
	} quarters[REPORT_TREND_QUARTERS];
};
enum perr report_trend_quarters(struct db *db, struct arena *a, const struct report_request *rq,
				struct report_trend *out);

/* The same report for each of n territories (ext ids, none NULL or
 * empty), side by side: out[i] is exactly what report_compute gives for
 * rq with rq->territory = territories[i] (rq->territory and rq->cache are
 * ignored), but the referral trajectories of all of them are read in one
 * pass (ind_arr_trajectories_split) and their act.* sums in another
 * (compare_act_compute) instead of one per territory. out is
 * an array of n the caller provides; its contents live in arena a. Same
 * returns as report_compute (the first failing territory's). */
enum perr report_compute_territories(struct db *db, struct arena *a,
				     const struct report_request *rq,
				     const char *const *territories, size_t n, struct report *out);

/* The indicator with this id in r, or NULL (not in r: only_ids). */
const struct ind_result *report_find(const struct report *r, const char *id);

/* The indicator ind in r, or NULL (not in r: only_ids). */
const struct ind_result *report_get(const struct report *r, enum report_ind ind);

/* Names as in the contract: "complet", "gestionnaire", "comite", "analyste";
 * "atteint", "non_atteint", "sans_cible", "insuffisant". Static strings. */
const char *report_view_name(enum report_view v);
const char *report_status_name(enum report_status s);
/* Parses a view name. 0 or -1. */
int report_view_parse(const char *s, enum report_view *out);

/* ---- Writers (src/reports/out_*.c). Each appends to out (caller owns it)
 * and returns 0, or -1 when out's bound is passed. They print what the
 * struct holds: suppression is already done. */

/* JSON exactly per interchange.md "Report". */
int report_write_json(const struct report *r, struct buf *out);

struct report_csv_options {
	char sep;           /* ',' (default) or ';' (French Excel) */
	bool decimal_comma; /* numbers with ',' (use with sep ';') */
	bool bom;           /* UTF-8 byte-order mark first (default true) */
};
/* CSV, one row per indicator and one per breakdown cell. opts NULL = ','
 * with BOM and decimal point. */
int report_write_csv(const struct report *r, const struct report_csv_options *opts,
		     struct buf *out);

/* A standalone printable HTML page (inline CSS, no script). */
int report_write_html(const struct report *r, struct buf *out);

#endif
