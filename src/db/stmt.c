#include "db/stmt.h"

#include "core/util.h"

static const char *const sql[STMT__COUNT] = {
	[STMT_HEALTH] = "SELECT count(*) FROM schema_migrations",
	[STMT_META_APP_ID] = "PRAGMA application_id",
	[STMT_META_TABLE_COUNT] = "SELECT count(*) FROM sqlite_master",
	[STMT_META_TABLE_EXISTS] =
		"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
	[STMT_SCHEMA_VERSION] = "SELECT coalesce(max(version), 0) FROM schema_migrations",
	[STMT_SCHEMA_RECORD] =
		"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
	[STMT_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[STMT_SETTING_PUT] =
		"INSERT INTO settings (key, value) VALUES (?1, ?2) "
		"ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};

const char *stmt_sql(enum stmt_id id)
{
	BUG_ON((unsigned)id >= STMT__COUNT || !sql[id]);
	return sql[id];
}
