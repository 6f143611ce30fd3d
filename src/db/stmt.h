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
	STMT_ORGANISATION_ID,
	STMT_TERRITORY_ID,
	STMT_PERSON_BY_EMAIL,
	STMT_PERSON_BY_ID,
	STMT_PERSON_LIST,
	STMT_PERSON_INSERT,
	STMT_PERSON_SET_PASSWORD,
	STMT_SESSION_INSERT,
	STMT_SESSION_LOOKUP,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_PURGE,
	STMT_LOGIN_FAILURE_INSERT,
	STMT_LOGIN_FAILURE_COUNT_EMAIL,
	STMT_LOGIN_FAILURE_COUNT_ADDRESS,
	STMT_LOGIN_FAILURE_CLEAR,
	STMT__COUNT
};

/* The SQL text of id. */
const char *stmt_sql(enum stmt_id id);

#endif
