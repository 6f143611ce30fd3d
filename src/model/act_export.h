/* Activity export for spreadsheets (proxima export-activities): one row per
 * activity, streamed as CSV (UTF-8 with a byte-order mark, so Excel reads
 * the accents) or XLSX (libxlsxwriter in constant-memory mode), so a
 * million activities never sit in memory.
 *
 * Never nominative data: no note (free text may identify), no family code
 * (only the number of followed families linked), deleted activities left
 * out. Views (interchange.h): admin/complet and gestionnaire may export
 * activities; comite and analyste see no single activity (aggregates only),
 * so the export refuses them. Columns (interchange names): id, date,
 * author, organisation, territory, type, place, duration_min,
 * indirect_deplacement, indirect_interprete, indirect_redaction,
 * indirect_preparation, unplanned, initiated_by, adults, children_0_5,
 * children_6_17, families, new_contacts, hors_reseau, components,
 * strategies, needs, outcomes (lists joined with '|'), partners
 * (organisation ids joined with '|'), followed_families (a count). */
#ifndef PROXIMA_ACT_EXPORT_H
#define PROXIMA_ACT_EXPORT_H

#include <stdint.h>

#include "interchange/interchange.h"

struct db;

enum act_export_format { ACT_EXPORT_CSV, ACT_EXPORT_XLSX };

struct act_export_options {
	enum act_export_format format;
	enum ix_view view;
	char sep;                 /* CSV separator: ',' (default) or ';' */
	const char *organisation; /* organisation ext_id, or NULL = all */
	const char *from, *to;    /* inclusive dates, or NULL */
};

struct act_export_result {
	int64_t rows;
	char reason[256]; /* why, on failure */
};

/* Writes the activities to path (created or replaced). Returns 0, 1 when
 * the view may not export activities or the organisation is unknown
 * (reason set), -1 on a database or write error (reason set). */
int act_export_write(struct db *db, const struct act_export_options *opt, const char *path,
		     struct act_export_result *res);

#endif
