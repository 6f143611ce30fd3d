/* The ministry's yearly file of an organisation (docs/fr/statistiques.md):
 * one row per intervention that counts under the ministry's rules
 * (model/rc_stats.h), with the fields of Annexe I of the I-CLSC regulation
 * that the journal holds. The columns are defined once here; the CSV
 * (out_csv.c) and XLSX (xlsx.c) writers print them. Never nominative:
 * families are counted, never named or coded. */
#ifndef PROXIMA_RC_FILE_H
#define PROXIMA_RC_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "model/rc_stats.h"
#include "reports/report.h"

/* The file: an organisation's year and its counted interventions. */
struct rc_file {
	const struct rc_stats *st;
	const struct rc_intervention *rows;
	size_t n;
	const char *lang; /* "fr" or "en": the header and the words */
};

#define RC_FILE_COLS 12

/* The header of column k (< RC_FILE_COLS) in lang. Static. */
const char *rc_file_head(const char *lang, size_t k);

/* Cell k of row i: a number (returns true, *num set) or a text (returns
 * false, *text set, "" for a field the journal does not hold). */
bool rc_file_cell(const struct rc_file *f, size_t i, size_t k, const char **text, double *num);

/* The file as CSV (opts as report_write_csv: BOM, separator). 0, or -1
 * when out's bound is passed. */
int rc_file_write_csv(const struct rc_file *f, const struct report_csv_options *opts,
		      struct buf *out);

/* The file as an XLSX workbook at path (one sheet, the header frozen).
 * 0, or -1 (logged). */
int rc_file_write_xlsx(const struct rc_file *f, const char *path);

/* The same workbook appended to out (through reports/spool.h). 0 or -1. */
int rc_file_xlsx_into(const struct rc_file *f, struct buf *out);

#endif
