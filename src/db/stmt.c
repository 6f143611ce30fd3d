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

	[STMT_ORGANISATION_ID] = "SELECT id FROM organisation WHERE ext_id = ?1",
	[STMT_TERRITORY_ID] = "SELECT id FROM territory WHERE ext_id = ?1",

	/* Accounts. The columns of the three person reads are the same. */
	[STMT_PERSON_BY_EMAIL] =
		"SELECT p.id, p.ext_id, p.name, p.email, p.role, p.organisation_id, "
		"p.territory_id, p.password_hash, p.active, o.ext_id, t.ext_id "
		"FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id "
		"LEFT JOIN territory t ON t.id = p.territory_id WHERE p.email = ?1",
	[STMT_PERSON_BY_ID] =
		"SELECT p.id, p.ext_id, p.name, p.email, p.role, p.organisation_id, "
		"p.territory_id, p.password_hash, p.active, o.ext_id, t.ext_id "
		"FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id "
		"LEFT JOIN territory t ON t.id = p.territory_id WHERE p.id = ?1",
	[STMT_PERSON_LIST] =
		"SELECT p.id, p.ext_id, p.name, p.email, p.role, p.organisation_id, "
		"p.territory_id, p.password_hash, p.active, o.ext_id, t.ext_id "
		"FROM person p LEFT JOIN organisation o ON o.id = p.organisation_id "
		"LEFT JOIN territory t ON t.id = p.territory_id "
		"ORDER BY coalesce(o.ext_id, ''), p.name",
	[STMT_PERSON_INSERT] =
		"INSERT INTO person (ext_id, name, email, role, organisation_id, territory_id, "
		"password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[STMT_PERSON_SET_PASSWORD] = "UPDATE person SET password_hash = ?1 WHERE id = ?2",

	/* Sessions: the token itself is never stored, only its BLAKE2b hash. */
	[STMT_SESSION_INSERT] =
		"INSERT INTO session (token_hash, person_id, created_at, expires_at, last_seen_at) "
		"VALUES (?1, ?2, ?3, ?4, ?3)",
	[STMT_SESSION_LOOKUP] =
		"SELECT s.id, s.person_id, s.last_seen_at FROM session s "
		"JOIN person p ON p.id = s.person_id "
		"WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?3 "
		"AND p.active = 1",
	[STMT_SESSION_TOUCH] = "UPDATE session SET last_seen_at = ?2 WHERE id = ?1",
	[STMT_SESSION_DELETE] = "DELETE FROM session WHERE token_hash = ?1",
	[STMT_SESSION_PURGE] = "DELETE FROM session WHERE expires_at <= ?1 OR last_seen_at <= ?2",

	/* Login throttling. */
	[STMT_LOGIN_FAILURE_INSERT] =
		"INSERT INTO login_failure (email, address, at) VALUES (?1, ?2, ?3)",
	[STMT_LOGIN_FAILURE_COUNT_EMAIL] =
		"SELECT count(*) FROM login_failure WHERE email = ?1 AND at > ?2",
	[STMT_LOGIN_FAILURE_COUNT_ADDRESS] =
		"SELECT count(*) FROM login_failure WHERE address = ?1 AND at > ?2",
	[STMT_LOGIN_FAILURE_CLEAR] = "DELETE FROM login_failure WHERE email = ?1 OR at <= ?2",
};

const char *stmt_sql(enum stmt_id id)
{
	BUG_ON((unsigned)id >= STMT__COUNT || !sql[id]);
	return sql[id];
}
