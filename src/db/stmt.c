#include "db/stmt.h"

#include "core/util.h"

static const char *const sql[STMT__COUNT] = {
#define STMT(id, text) [id] = text,
#define STMTV(id, sqlite, pg) [id] = sqlite,
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
};

/* PostgreSQL variants; NULL where the portable SQL serves. */
static const char *const sql_pg[STMT__COUNT] = {
#define STMT(id, text)
#define STMTV(id, sqlite, pg) [id] = pg,
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
};

static const char *const names[STMT__COUNT] = {
#define STMT(id, text) [id] = #id,
#define STMTV(id, sqlite, pg) [id] = #id,
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
};

const char *stmt_sql(enum stmt_id id, int engine)
{
	BUG_ON((unsigned)id >= STMT__COUNT || !sql[id]);
	if (engine == 1 && sql_pg[id])
		return sql_pg[id];
	return sql[id];
}

const char *stmt_name(enum stmt_id id)
{
	BUG_ON((unsigned)id >= STMT__COUNT);
	return names[id];
}
