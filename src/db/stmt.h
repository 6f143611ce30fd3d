/* The statement table: every SQL statement of Proxima, by id (after
 * kcgi's single statement table). SQL is never built from strings; values
 * are bound by index. Keep the SQL portable (SQLite now, PostgreSQL later):
 * standard types, no SQLite-only functions where a standard one exists. */
#ifndef PROXIMA_STMT_H
#define PROXIMA_STMT_H

enum stmt_id {
	STMT_HEALTH,
	STMT_META_APP_ID,
	STMT_META_TABLE_COUNT,
	STMT_META_TABLE_EXISTS,
	STMT_SCHEMA_VERSION,
	STMT_SCHEMA_RECORD,
	STMT_SETTING_GET,
	STMT_SETTING_PUT,
	STMT__COUNT
};

/* The SQL text of id. */
const char *stmt_sql(enum stmt_id id);

#endif
