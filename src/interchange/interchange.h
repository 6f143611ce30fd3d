/* `proxima import` and `proxima export`: the JSON Lines interchange format of
 * interchange.md (the public contract), one object per line, each with
 * "kind" and "id" (an external id unique within its kind).
 *
 * Import: the whole input is one transaction. Every line is checked (JSON
 * syntax and types, required fields, reference lists, references to
 * external ids defined earlier in the file or already in the database, and
 * for activities and families the model's own rules: activity_validate,
 * family_validate); the first invalid line stops the import and nothing is
 * written. Importing an id that exists updates that record (its lists are
 * replaced), never duplicates it. Fields this version does not know are
 * ignored, because interchange.md allows fields to be added; unknown kinds
 * and wrong types are errors.
 *
 * Export: writes the same format back, dependencies first (sectors,
 * territories, portrait, organisations, reference-list entries, persons,
 * positions, families, activities, corridors, referrals, supervision,
 * support requests, projects, surveys, service gaps, stories), so that an
 * admin export imported into an empty database and exported again gives
 * the same bytes. What each view contains is described at enum ix_view.
 *
 * Additions to interchange.md (new fields and one new kind, nothing renamed):
 * kind "ref_item" (organisations' own reference-list entries, id
 * "LIST:CODE" or "LIST:CODE:ORGANISATION"); person.active;
 * position.contact; family.follower, family.anonymised_at;
 * activity.organisation (default: the author's), activity.deleted_at;
 * referral.sender, reason, fields, loop_detected; supervision.note;
 * support_request.urgency, text, acknowledged_at, closed_at, resolution;
 * survey.comment; project.goals, families_count, survey_token;
 * service_gap.population, frequency, corridor, project; story.components,
 * selected_by, selected_at. */
#ifndef PROXIMA_INTERCHANGE_H
#define PROXIMA_INTERCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "db/db.h"

/* What an export may contain (the --view of `proxima export`):
 *  - IX_VIEW_ADMIN ("admin", also "complet"): everything, including the
 *    decrypted nominative details of families (each one logged in the
 *    access log: action "export", purpose "export"), persons' e-mails,
 *    free-text notes, soft-deleted activities and survey tokens. This is
 *    the lossless one.
 *  - IX_VIEW_GESTIONNAIRE: every kind, but no nominative details, no
 *    e-mails, no referral template values ("fields", which carry contact
 *    details) and no survey tokens; soft-deleted activities left out.
 *  - IX_VIEW_COMITE, IX_VIEW_ANALYSTE: the shared structure only: sectors,
 *    territories, portrait, organisations, reference lists, persons
 *    (without e-mail), positions and mandates, corridors, projects (without
 *    goals or token) and service gaps (without description). No family, no
 *    single activity, referral, supervision, support request, survey or
 *    story, and no free text: those roles see aggregates only (reports). */
enum ix_view {
	IX_VIEW_ADMIN,
	IX_VIEW_GESTIONNAIRE,
	IX_VIEW_COMITE,
	IX_VIEW_ANALYSTE,
};

/* Parses a view name ("admin", "complet", "gestionnaire", "comite",
 * "analyste"). Returns 0, or -1 when unknown. */
int interchange_view_parse(const char *name, enum ix_view *out);

struct import_result {
	long line;        /* line of the error (1-based), 0 when about no line */
	char field[96];   /* the field of the error, "" when about no field */
	char reason[512]; /* why (French msgid for the model's rules) */
	long records;     /* records imported (when successful) */
	long inserted, updated;
	bool bulk; /* activities were added: their aggregates were summed at the end */
};

/* Imports the JSON Lines read from in into db, in one write transaction
 * taken here (the caller holds none). Nominative details need a loaded
 * vault key. Returns 0 on success; 1 when the input is invalid: nothing is
 * written, res has the line, field and reason; -1 on a read or database
 * error: nothing is written, res->reason says what. */
int interchange_import(struct db *db, FILE *in, struct import_result *res);

/* What a caller may watch of a long import (the command line's progress
 * line on a terminal). progress, when not NULL, is called with ctx every
 * IMPORT_PROGRESS_EVERY records with the records read so far and the
 * bytes of input consumed, and once with stage "aggregates" when the
 * activities the run added are summed into the aggregate tables at its
 * end, then with stage "indexes" when a run into an empty journal builds
 * again the indexes it set aside (db_bulk_indexes_defer, db/db.h). */
#define IMPORT_PROGRESS_EVERY 4096
struct import_options {
	void (*progress)(void *ctx, long records, int64_t bytes, const char *stage);
	void *ctx;
	/* The memory the aggregate sums of the activities added may hold
	 * before they are written (0: AGG_BULK_MAX_BYTES, model/agg_bulk.h;
	 * tests set less to write them many times in one run). */
	size_t agg_bytes;
};

/* interchange_import with options (opt may be NULL). The activities the
 * run adds are written without their aggregates, which are summed in
 * memory as the lines are read and added to the tables in the same
 * transaction, in each table's key order (model/agg_bulk.h); the stored
 * activities it changes keep them row by row. So the tables are still
 * exactly what `proxima reindex` computes, and the cost follows the file,
 * not the journal. */
int interchange_import_with(struct db *db, FILE *in, const struct import_options *opt,
			    struct import_result *res);

/* Writes res's error as one line, "line 3: field \"x\": reason", into out
 * (cap bytes, always NUL-terminated). */
void import_error_format(const struct import_result *res, char *out, size_t cap);

struct export_result {
	long records;     /* lines written */
	long nominative;  /* families whose nominative details were written */
	char reason[256]; /* why, on failure */
};

/* Writes the records view may see to out as JSON Lines. The admin view
 * needs a loaded vault key when a family has nominative details, and holds
 * the write lock for the duration (its access-log entries are committed
 * with the snapshot they describe, even when writing out fails); the other
 * views read one consistent snapshot. Returns 0, or -1 with res->reason. */
int interchange_export(struct db *db, enum ix_view view, FILE *out, struct export_result *res);

#endif
