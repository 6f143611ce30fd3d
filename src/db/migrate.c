#include "db/migrate.h"

#include <stdio.h>
#include <string.h>

#include "core/embed.h"
#include "core/ptime.h"
#include "core/util.h"

/* Version number of a migration file name "NNNN_name.sql", or -1. */
static int migration_version(const char *name)
{
	char num[5];
	if (strlen(name) < 10 || name[4] != '_')
		return -1;
	memcpy(num, name, 4);
	num[4] = '\0';
	int v;
	if (parse_int(num, 1, 9999, &v) < 0)
		return -1;
	size_t n = strlen(name);
	if (strcmp(name + n - 4, ".sql") != 0)
		return -1;
	return v;
}

int migrate_latest(void)
{
	return (int)embedded_migrations_count;
}

const struct embedded_file *migrate_file(enum db_engine e, int version)
{
	size_t n =
		e == DB_ENGINE_POSTGRES ? embedded_migrations_pg_count : embedded_migrations_count;
	if (version < 1 || (size_t)version > n)
		return NULL;
	return e == DB_ENGINE_POSTGRES ? &embedded_migrations_pg[version - 1]
				       : &embedded_migrations[version - 1];
}

int migrate_validate_embedded(char *err, size_t errcap)
{
	for (size_t i = 0; i < embedded_migrations_count; i++) {
		int v = migration_version(embedded_migrations[i].name);
		if (v != (int)i + 1) {
			snprintf(err, errcap, "migration %s should be numbered %04zu",
				 embedded_migrations[i].name, i + 1);
			return -1;
		}
	}
	/* PostgreSQL's twins: one per migration, of the same name. */
	for (size_t i = 0; i < embedded_migrations_count; i++)
		if (i >= embedded_migrations_pg_count ||
		    strcmp(embedded_migrations_pg[i].name, embedded_migrations[i].name) != 0) {
			snprintf(err, errcap,
				 "migration %s has no PostgreSQL twin db/migrations/pg/%s",
				 embedded_migrations[i].name, embedded_migrations[i].name);
			return -1;
		}
	if (embedded_migrations_pg_count > embedded_migrations_count) {
		snprintf(err, errcap, "db/migrations/pg/%s has no SQLite migration",
			 embedded_migrations_pg[embedded_migrations_count].name);
		return -1;
	}
	return 0;
}

/* The table that records the applied migrations, and the application id
 * (SQLite's header field; PostgreSQL: the table's comment). */
static const char *bootstrap_sql(enum db_engine e)
{
	if (e == DB_ENGINE_POSTGRES)
		return "CREATE TABLE IF NOT EXISTS schema_migrations ("
		       " version bigint PRIMARY KEY,"
		       " name text NOT NULL,"
		       " applied_at text NOT NULL);"
		       "COMMENT ON TABLE schema_migrations IS '1347571544'";
	return "PRAGMA application_id = 1347571544;"
	       "CREATE TABLE IF NOT EXISTS schema_migrations ("
	       " version INTEGER PRIMARY KEY,"
	       " name TEXT NOT NULL,"
	       " applied_at TEXT NOT NULL)";
}

/* Runs a one-row, one-integer statement. Returns 0 or -1. */
static int query_int(struct db *db, enum stmt_id id, const char *arg, int *out)
{
	struct db_stmt *s = db_stmt(db, id);
	if (!s)
		return -1;
	if (arg)
		db_bind_text(s, 1, arg);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*out = db_col_int(s, 0);
	db_reset(s);
	return rc == DB_ROW ? 0 : -1;
}

int migrate_schema_version(struct db *db, int *version)
{
	struct db_stmt *s = db_stmt(db, STMT_SCHEMA_VERSION);
	if (!s)
		return -1;
	int rc = db_step(s);
	if (rc == DB_ROW)
		*version = db_col_int(s, 0);
	db_reset(s);
	return rc == DB_ROW ? 0 : -1;
}

enum migrate_state migrate_inspect(struct db *db, int *version, char *err, size_t errcap)
{
	*version = 0;
	int app_id = 0, ntables = 0;
	int has = 0;
	if (query_int(db, STMT_META_APP_ID, NULL, &app_id) < 0 ||
	    query_int(db, STMT_META_TABLE_COUNT, NULL, &ntables) < 0 ||
	    query_int(db, STMT_META_TABLE_EXISTS, "schema_migrations", &has) < 0) {
		snprintf(err, errcap, "cannot read database: %s", db_errmsg(db));
		return MIGRATE_ERROR;
	}
	if (app_id != 0 && app_id != DB_APPLICATION_ID) {
		snprintf(err, errcap, "not a Proxima database (application_id %d)", app_id);
		return MIGRATE_FOREIGN;
	}
	if (!has) {
		if (ntables > 0) {
			snprintf(err, errcap,
				 "not a Proxima database (it has tables but no schema_migrations)");
			return MIGRATE_FOREIGN;
		}
		return MIGRATE_EMPTY;
	}
	if (migrate_schema_version(db, version) < 0) {
		snprintf(err, errcap, "cannot read schema version: %s", db_errmsg(db));
		return MIGRATE_ERROR;
	}
	int latest = migrate_latest();
	if (*version > latest) {
		snprintf(err, errcap,
			 "database schema version %d is newer than this proxima "
			 "(which knows up to %d); use a newer proxima binary",
			 *version, latest);
		return MIGRATE_TOO_NEW;
	}
	return *version < latest ? MIGRATE_PENDING : MIGRATE_CURRENT;
}

int migrate_apply(struct db *db, int *applied, char *err, size_t errcap)
{
	*applied = 0;
	int version;
	enum migrate_state st = migrate_inspect(db, &version, err, errcap);
	if (st == MIGRATE_TOO_NEW || st == MIGRATE_FOREIGN || st == MIGRATE_ERROR)
		return -1;
	if (migrate_validate_embedded(err, errcap) < 0)
		return -1;
	char serr[512];
	if (st == MIGRATE_EMPTY) {
		if (db_exec_script(db, bootstrap_sql(db_engine(db)), serr, sizeof(serr)) < 0) {
			snprintf(err, errcap, "cannot create schema_migrations: %s", serr);
			return -1;
		}
	}
	for (int v = version + 1; v <= migrate_latest(); v++) {
		const struct embedded_file *m = migrate_file(db_engine(db), v);
		if (db_begin(db) < 0) {
			snprintf(err, errcap, "migration %s: cannot begin: %s", m->name,
				 db_errmsg(db));
			return -1;
		}
		if (db_exec_script(db, (const char *)m->data, serr, sizeof(serr)) < 0) {
			db_rollback(db);
			snprintf(err, errcap, "migration %s failed: %s", m->name, serr);
			return -1;
		}
		char now[21];
		ptime_format_utc(ptime_now(), now);
		struct db_stmt *s = db_stmt(db, STMT_SCHEMA_RECORD);
		if (!s) {
			db_rollback(db);
			snprintf(err, errcap, "migration %s: cannot record it", m->name);
			return -1;
		}
		db_bind_int(s, 1, v);
		db_bind_text(s, 2, m->name);
		db_bind_text_copy(s, 3, now);
		int rc = db_step(s);
		db_reset(s);
		if (rc != DB_DONE || db_commit(db) < 0) {
			db_rollback(db);
			snprintf(err, errcap, "migration %s: cannot record it: %s", m->name,
				 db_errmsg(db));
			return -1;
		}
		(*applied)++;
	}
	return 0;
}
