/* The comparison of territories (the analyst's /tableaux/comparaison and
 * its files): one report per territory compared, in the analyst view, so
 * every figure is suppressed as the analyst may see it. The page and
 * every file writer read this one struct; how it is computed (every
 * territory's referral trajectories in one read: report_compute_territories)
 * stays behind report_compare. */
#ifndef PROXIMA_REPORT_COMPARE_H
#define PROXIMA_REPORT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "reports/report.h"

struct db;
struct arena;
struct actor;

/* At most this many territories are compared (the first by name). */
#define REPORT_COMPARE_MAX 64

struct report_comparison {
	const char *parent; /* the compared territories' parent ext id, NULL = top level */
	size_t n;           /* territories compared (0: none under parent) */
	/* reports[i] is territory i's report: its scope names the territory
	 * (territory, territory_name) and says whether it has sub-territories
	 * (n_sub_territories). Every report has the same ids in the same order. */
	struct report *reports;
	/* refusals[i]: territory i's refused referrals by reason (and corridor),
	 * protected for the analyst view as on the dashboards (report_refusals). */
	struct report_refusals *refusals;
};

/* Compares the children of parent (an ext id; NULL or "" = the top-level
 * territories) over rq's period and language, for who (analyste, or admin
 * in the analyst view; anyone else gets PERR_NOT_FOUND). rq's territory,
 * view and author are ignored. Returns report_compute's errors.
 * Everything in *out lives in arena a. */
enum perr report_compare(struct db *db, struct arena *a, const struct actor *who,
			 const struct report_request *rq, const char *parent,
			 struct report_comparison *out);

/* The comparison as CSV: a header row of words in the reports' language
 * (indicator, unit, then for each territory its value and its status,
 * then the target), one row per indicator with a value, then one row per
 * portrait indicator. Text through sheet_text; numbers as numbers;
 * suppressed figures as their display ("<5"). opts as report_write_csv.
 * 0, or -1 when out's bound is passed. */
int report_write_comparison_csv(const struct report_comparison *c,
				const struct report_csv_options *opts, struct buf *out);

/* The comparison as an XLSX workbook at path: one sheet with the scope,
 * the table (same rows and columns as the CSV, numbers in their unit's
 * format, a comment on every suppressed figure) and the suppression note.
 * 0, or -1 (logged). */
int report_write_comparison_xlsx(const struct report_comparison *c, const char *path);

/* The comparison as a PDF (US Letter, landscape): the scope, then the
 * same table. 0, or -1 (logged). */
int report_write_comparison_pdf(const struct report_comparison *c, const char *path);

/* The same two files appended to out (report_xlsx_into, report_pdf_into).
 * 0 or -1. */
int report_comparison_xlsx_into(const struct report_comparison *c, struct buf *out);
int report_comparison_pdf_into(const struct report_comparison *c, struct buf *out);

/* The comparison's rows, shared by the page and every file: each
 * indicator but the portrait's count (index into every report's
 * indicators), then the refused referrals (their total, then each reason
 * one of the territories has), then each portrait indicator that one of
 * the territories has (its own figures, not its sub-territories'), by
 * code. */
struct report_compare_row {
	const char *label;    /* in the reports' language */
	const char *unit;     /* unit code of the indicator ("jours", "%"); "" for the portrait */
	size_t k;             /* index of the indicator in each report */
	const char *portrait; /* portrait indicator code, or NULL for an indicator row */
	/* A refusals row: refusal set, with the reason's code ("" for refusals
	 * without a coded reason), or NULL for the total. */
	bool refusal;
	const char *refusal_code;
	const struct ind_result *first; /* the row's indicator in the first report (its target) */
};
/* *rows is an arena array of the return value's length. */
size_t report_compare_rows(const struct report_comparison *c, struct arena *a,
			   struct report_compare_row **rows);

/* Territory i's figure in row: the value as the view may show it. */
struct report_compare_cell {
	bool has_value, suppressed;
	bool entered; /* a portrait figure, written as entered */
	double value;
	const char *display; /* never NULL ("—" when absent) */
	bool has_status;     /* the indicator has a target */
	enum report_status status;
};
void report_compare_cell(const struct report_comparison *c, const struct report_compare_row *row,
			 size_t i, struct report_compare_cell *out);

#endif
