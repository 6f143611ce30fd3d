/* The statement table: every SQL statement of Proxima, by id (after
 * kcgi's single statement table). SQL is never built from strings; values
 * are bound by index (?1, ?2…; the PostgreSQL engine translates them).
 * SQL is written once, portable to SQLite and PostgreSQL: standard types,
 * no engine-only function where a standard one exists. Where the dialects
 * differ, the entry carries both variants.
 *
 * The table is one enum and two arrays, written as X-macros in one .def
 * file per module (src/db/stmt_*.def), so each module keeps its SQL
 * together; a new file is included in both stmt.h and stmt.c:
 *   STMT(STMT_NAME, "SQL for both engines")
 *   STMTV(STMT_NAME, "SQLite's SQL", "PostgreSQL's SQL") */
#ifndef PROXIMA_STMT_H
#define PROXIMA_STMT_H

enum stmt_id {
#define STMT(id, text) id,
#define STMTV(id, sqlite, pg) id,
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
#include "db/stmt_admin.def"
#include "db/stmt_privacy.def"
#include "db/stmt_inbox.def"
#include "db/stmt_compare.def"
#undef STMT
#undef STMTV
	STMT__COUNT
};

/* The SQL text of id for an engine (enum db_engine: 0 SQLite, 1
 * PostgreSQL), with ?N placeholders. Static storage. */
const char *stmt_sql(enum stmt_id id, int engine);

/* The name of id ("STMT_HEALTH"), for logs and tests. */
const char *stmt_name(enum stmt_id id);

#endif
