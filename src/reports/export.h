/* Report files: the XLSX workbook (xlsx.c) and the PDF report (pdf.c),
 * both written from a computed struct report (report.h). Suppression is
 * already applied by report_compute: these writers print what the struct
 * holds and never look behind a suppressed figure (its display, "<5" or
 * "n<5", is written instead, with a note saying why).
 *
 * Text is in the report's language (r->scope.lang: "fr", or "en"). */
#ifndef PROXIMA_EXPORT_H
#define PROXIMA_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "reports/report.h"

/* A story (récit) selected for the report, as the PDF quotes it. The
 * stories module fills these (story_list_for_report); the PDF only prints
 * them. Strings are borrowed. */
struct report_story {
	const char *title; /* may be NULL */
	const char *text;  /* the quote: only when consent to quote was given, else NULL */
	const char *tags;  /* strategy / component / outcome / need, as words */
	const char *date;  /* "2025-02-14" */
	/* Why it was selected, per level of Most Significant Change (the
	 * organisation's first): who chose, in the report's language, and
	 * the reason. */
	struct report_story_reason {
		const char *by, *reason;
	} reasons[2];
	size_t n_reasons;
	/* Its tags as reference codes (strategies, components, outcomes,
	 * needs), to set it beside the indicators that share one. */
	const char *const *codes;
	size_t n_codes;
};

/* Stories counted per tag (a strategy, an outcome), for the PDF. */
struct report_story_count {
	const char *kind;  /* "strategy" or "outcome" */
	const char *label; /* the tag's label in the report language */
	double count;
};

/* Options of the file writers. All fields optional (zero = default). */
struct report_export_options {
	const char *title; /* default: "Rapport d'indicateurs — Proxima" in r's language */
	const struct report_story *stories; /* the "Récits" section of the PDF */
	size_t n_stories;
	/* false (default): the PDF says where stories would go when none are
	 * given; true: there is a stories module and it found none. */
	bool stories_searched;
	/* Stories of the scope counted per strategy and outcome. */
	const struct report_story_count *story_counts;
	size_t n_story_counts;
	int64_t n_stories_in_scope; /* all stories, selected or not */
	/* The last four quarters (report_trend_quarters): the PDF draws each
	 * indicator's trend when given. */
	const struct report_trend *trend;
};

/* Writes r as an XLSX workbook at path: a scope-and-method sheet, one
 * sheet per section (arrimage, activités, équipe), one for the
 * breakdowns and details. Numbers are numbers (formats for %, days,
 * hours); a suppressed figure is the text "<5" (or "n<5") with a cell
 * comment and a footnote saying why. opts may be NULL. Returns 0, or -1
 * (logged) when the file cannot be written. */
int report_write_xlsx(const struct report *r, const char *path,
		      const struct report_export_options *opts);

/* Writes r as a PDF (US Letter) at path: title page, scope, every
 * indicator with value, target and status in words, charts (chart.h),
 * the selected stories, the method note and definitions, "page N de M"
 * on every page. opts may be NULL. Returns 0, or -1 (logged). */
int report_write_pdf(const struct report *r, const char *path,
		     const struct report_export_options *opts);

/* The same two files appended to out (the caller owns it), as a page
 * sends them: the PDF straight from cairo's stream surface, the XLSX
 * through the private temporary file of reports/spool.h (libxlsxwriter
 * writes only files). 0, or -1 (logged, or out's bound passed). */
int report_xlsx_into(const struct report *r, const struct report_export_options *opts,
		     struct buf *out);
int report_pdf_into(const struct report *r, const struct report_export_options *opts,
		    struct buf *out);

struct db;

/* Fills opts->stories / n_stories (and sets stories_searched) with the
 * stories selected for r's scope and view, from the stories module
 * (story_list_for_report): text only when quotable, tags as labels in r's
 * language; and opts->story_counts with the scope's stories counted per
 * strategy and outcome (story_count_by_tag). Arena memory. Returns 0, or
 * -1 on a database error (logged; opts is then left without stories). */
int report_export_stories(struct db *db, struct arena *a, const struct report *r,
			  struct report_export_options *opts);

/* The stories of opts that share a tag with ind (indicators.md, "The
 * sens beside the mesure"): a story goes beside an indicator when one of
 * its strategy, component, outcome or need codes is the key of a non-empty
 * cell of the indicator's breakdowns by strategy, component, need or
 * outcome. Writes at most max pointers into out (borrowed from opts) and
 * returns how many matched in all. Indicators without such breakdowns
 * (most arr.*) get none. */
size_t report_stories_for(const struct report_export_options *opts, const struct ind_result *ind,
			  const struct report_story **out, size_t max);

/* ---- shared by the writers (export_common.c) */

/* The section an indicator id belongs to: 0 arrimage, 1 activités,
 * 2 équipe (suivi des PAP). */
enum report_section { REPORT_SECTION_ARRIMAGE, REPORT_SECTION_ACTIVITES, REPORT_SECTION_EQUIPE };
#define REPORT_N_SECTIONS 3
enum report_section report_section_of(const char *id);
/* The section's title in lang. Static. */
const char *report_section_title(const char *lang, enum report_section s);

/* The definition of an indicator (indicators.md) in lang, or "" for an
 * unknown id. Static. */
const char *report_definition(const char *lang, const char *id);

/* Words for a status / view / unit in lang. Static. */
const char *report_status_words(const char *lang, enum report_status s);
const char *report_view_words(const char *lang, enum report_view v);
const char *report_unit_words(const char *lang, const char *unit);

/* The note explaining suppression for r's view and threshold, in r's
 * language; "" for unsuppressed views. Arena string. */
const char *report_suppression_note(struct arena *a, const struct report *r);

/* An indicator's value as a person reads it, in lang: its display with
 * its unit in words ("1,8 jours", "12,5 %"); a duration in minutes as
 * hours and minutes ("669 h 30 min"); the display alone for a plain count
 * or a figure without a value ("<5", "—"). Arena string. */
const char *report_value_words(struct arena *a, const char *lang, const struct ind_result *ind);

/* A number of minutes as hours and minutes: "669 h 30 min", "3 h".
 * Arena string. */
const char *report_minutes_words(struct arena *a, const char *lang, double minutes);

/* "≤ 2 jours" for r's target in lang, or "—". Arena string. */
const char *report_target_text(struct arena *a, const char *lang, const struct ind_result *ind);

/* An instant for people, in the local zone: "5 décembre 2026 à 22 h 29",
 * "December 5, 2026, 10:29 p.m.". Writes at most cap bytes into out
 * (64 are enough). */
void report_time_words(const char *lang, int64_t t, char *out, size_t cap);

/* "2025-03-31" for d, in the arena. */
const char *report_date_text(struct arena *a, const struct pdate *d);

#endif
