/* The statement table: every SQL statement of Proxima, by id (after
 * kcgi's single statement table). SQL is never built from strings; values
 * are bound by index. Keep the SQL portable (SQLite now, PostgreSQL later):
 * standard types, no SQLite-only functions where a standard one exists.
 *
 * The table is one enum and one array, written as X-macros in one .def file
 * per module (src/db/stmt_*.def), so each module keeps its SQL together;
 * a new file is included in both stmt.h and stmt.c:
 *   STMT(STMT_NAME, "SQL text") */
#ifndef PROXIMA_STMT_H
#define PROXIMA_STMT_H

enum stmt_id {
#define STMT(id, text) id,
#include "db/stmt_core.def"
#include "db/stmt_auth.def"
#include "db/stmt_journal.def"
#include "db/stmt_interchange.def"
#include "db/stmt_views.def"
#include "db/stmt_api.def"
#include "db/stmt_indicators.def"
#include "db/stmt_referral.def"
#include "db/stmt_directory.def"
#include "db/stmt_team.def"
#include "db/stmt_survey.def"
#include "db/stmt_stories.def"
#include "db/stmt_reports.def"
#include "db/stmt_exports.def"
#include "db/stmt_aggregates.def"
#include "db/stmt_dashboards.def"
#undef STMT
	STMT__COUNT
};

/* The SQL text of id. */
const char *stmt_sql(enum stmt_id id);

/* The name of id ("STMT_HEALTH"), for logs and tests. */
const char *stmt_name(enum stmt_id id);

#endif
