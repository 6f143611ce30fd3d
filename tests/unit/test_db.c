/* Unit tests for src/db and src/model/settings: connection settings,
 * migrations (empty, current, too new, foreign), the statement table,
 * transactions and write units, each on a temporary database file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/embed.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/stmt.h"
#include "model/settings.h"
#include "support/scratch_db.h"

/* A temporary database file per test. */
struct fixture {
	char path[600];
	struct db *db;
};

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	if (scratch_db_path(f->path, sizeof(f->path), "proxima-unit-db") < 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *f = *state;
	scratch_db_remove(f->db, f->path);
	free(f);
	return 0;
}

static struct db *open_new(struct fixture *f)
{
	char err[512] = "";
	f->db = db_open(f->path, DB_OPEN_CREATE, err, sizeof(err));
	if (!f->db)
		fail_msg("db_open: %s", err);
	return f->db;
}

static struct db *open_migrated(struct fixture *f)
{
	struct db *db = open_new(f);
	char err[512] = "";
	int applied = -1;
	if (migrate_apply(db, &applied, err, sizeof(err)) != 0)
		fail_msg("migrate_apply: %s", err);
	assert_int_equal(applied, migrate_latest());
	return db;
}

/* Runs SQL directly on the handle (test set-up only). */
static void exec_sql(struct db *db, const char *sql)
{
	char msg[512];
	if (db_exec_script(db, sql, msg, sizeof(msg)) < 0)
		fail_msg("%s: %s", sql, msg);
}

/* The single integer result of a query. */
static int64_t query_i64(struct db *db, const char *sql)
{
	struct db_stmt *s = NULL;
	if (!(s = db_query(db, sql)))
		fail_msg("prepare %s: %s", sql, db_errmsg(db));
	assert_int_equal(db_step(s), DB_ROW);
	int64_t v = db_col_int64(s, 0);
	db_query_free(s);
	return v;
}

/* The single integer a statement of the table answers (arg: its ?1). */
static int64_t stmt_i64(struct db *db, enum stmt_id id, const char *arg)
{
	struct db_stmt *s = db_stmt(db, id);
	assert_non_null(s);
	if (arg)
		db_bind_text(s, 1, arg);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t v = db_col_int64(s, 0);
	db_reset(s);
	return v;
}

/* The application id (SQLite's header, PostgreSQL's comment), the number
 * of tables, and whether a table exists, through the engine's own SQL. */
static int64_t app_id(struct db *db)
{
	return stmt_i64(db, STMT_META_APP_ID, NULL);
}

static int64_t table_count(struct db *db)
{
	return stmt_i64(db, STMT_META_TABLE_COUNT, NULL);
}

static bool table_exists(struct db *db, const char *name)
{
	return stmt_i64(db, STMT_META_TABLE_EXISTS, name) > 0;
}

static bool on_postgres(struct db *db)
{
	return db_engine(db) == DB_ENGINE_POSTGRES;
}

static void query_text(struct db *db, const char *sql, char *out, size_t cap)
{
	struct db_stmt *s = NULL;
	if (!(s = db_query(db, sql)))
		fail_msg("prepare %s: %s", sql, db_errmsg(db));
	assert_int_equal(db_step(s), DB_ROW);
	const char *t = db_col_cstr(s, 0);
	str_copy(out, cap, t ? t : "");
	db_query_free(s);
}

/* ----------------------------------------------------------- migrations */

static void migrations_apply(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_new(f);
	char err[512] = "";
	int version = -1;
	assert_true(migrate_latest() >= 1);
	assert_int_equal(migrate_inspect(db, &version, err, sizeof(err)), MIGRATE_EMPTY);
	assert_int_equal(version, 0);

	int applied = -1;
	assert_int_equal(migrate_apply(db, &applied, err, sizeof(err)), 0);
	assert_int_equal(applied, migrate_latest());
	version = -1;
	assert_int_equal(migrate_inspect(db, &version, err, sizeof(err)), MIGRATE_CURRENT);
	assert_int_equal(version, migrate_latest());

	/* Applying again is a no-op. */
	applied = -1;
	assert_int_equal(migrate_apply(db, &applied, err, sizeof(err)), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(migrate_inspect(db, &version, err, sizeof(err)), MIGRATE_CURRENT);

	/* One row per migration, numbered 1..latest, each with a name and
	 * a time. */
	assert_int_equal(query_i64(db, "SELECT count(*) FROM schema_migrations"), migrate_latest());
	assert_int_equal(query_i64(db, "SELECT count(DISTINCT version) FROM schema_migrations"),
			 migrate_latest());
	assert_int_equal(query_i64(db, "SELECT min(version) FROM schema_migrations"), 1);
	assert_int_equal(query_i64(db, "SELECT max(version) FROM schema_migrations"),
			 migrate_latest());
	assert_int_equal(query_i64(db, "SELECT count(*) FROM schema_migrations "
				       "WHERE name NOT LIKE '____%.sql' OR applied_at = ''"),
			 0);
	/* Marked as a Proxima database. */
	assert_int_equal(app_id(db), DB_APPLICATION_ID);

	/* Another connection sees the same, current schema. */
	struct db *db2 = db_open(f->path, DB_OPEN_EXISTING, err, sizeof(err));
	assert_non_null(db2);
	assert_int_equal(migrate_inspect(db2, &version, err, sizeof(err)), MIGRATE_CURRENT);
	assert_int_equal(version, migrate_latest());
	db_close(db2);
}

static void migrations_pending(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	char err[512] = "";
	int version = -1;
	if (migrate_latest() < 2)
		skip();
	/* Forget the last migration's record and undo nothing else: the
	 * database now claims one version less. */
	char sql[128];
	snprintf(sql, sizeof(sql), "DELETE FROM schema_migrations WHERE version = %d",
		 migrate_latest());
	exec_sql(db, sql);
	assert_int_equal(migrate_inspect(db, &version, err, sizeof(err)), MIGRATE_PENDING);
	assert_int_equal(version, migrate_latest() - 1);
}

static void migrations_too_new(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	int future = migrate_latest() + 1;
	char sql[200];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO schema_migrations (version, name, applied_at) "
		 "VALUES (%d, '%04d_future.sql', '2099-01-01T00:00:00Z')",
		 future, future);
	exec_sql(db, sql);
	char err[512] = "";
	int version = -1;
	assert_int_equal(migrate_inspect(db, &version, err, sizeof(err)), MIGRATE_TOO_NEW);
	assert_int_equal(version, future);
	char want_future[16], want_latest[16];
	snprintf(want_future, sizeof(want_future), "%d", future);
	snprintf(want_latest, sizeof(want_latest), "%d", migrate_latest());
	if (!strstr(err, want_future) || !strstr(err, want_latest))
		fail_msg("message does not name versions %s and %s: %s", want_future, want_latest,
			 err);
	/* And it is refused, unchanged. */
	int applied = -1;
	err[0] = '\0';
	assert_int_equal(migrate_apply(db, &applied, err, sizeof(err)), -1);
	assert_int_equal(applied, 0);
	assert_true(strlen(err) > 0);
	assert_int_equal(query_i64(db, "SELECT count(*) FROM schema_migrations"), future);
}

static void migrations_foreign_app_id(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_new(f);
	/* Another application's database: SQLite's header names it; on
	 * PostgreSQL, its schema_migrations table's comment does. */
	if (on_postgres(db))
		exec_sql(db, "CREATE TABLE schema_migrations (version bigint PRIMARY KEY);"
			     "COMMENT ON TABLE schema_migrations IS '12345'");
	else
		exec_sql(db, "PRAGMA application_id = 12345");
	int64_t tables = table_count(db);
	char err[512] = "";
	int version = -1;
	assert_int_equal(migrate_inspect(db, &version, err, sizeof(err)), MIGRATE_FOREIGN);
	assert_true(strlen(err) > 0);
	int applied = -1;
	assert_int_equal(migrate_apply(db, &applied, err, sizeof(err)), -1);
	assert_int_equal(applied, 0);
	/* Nothing was written into someone else's database. */
	assert_int_equal(table_count(db), tables);
	assert_int_equal(app_id(db), 12345);
}

static void migrations_foreign_tables(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_new(f);
	exec_sql(db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER);"
		     "INSERT INTO invoices (id, amount) VALUES (1, 100)");
	char err[512] = "";
	int version = -1;
	assert_int_equal(migrate_inspect(db, &version, err, sizeof(err)), MIGRATE_FOREIGN);
	assert_true(strlen(err) > 0);
	int applied = -1;
	assert_int_equal(migrate_apply(db, &applied, err, sizeof(err)), -1);
	assert_int_equal(applied, 0);
	assert_false(table_exists(db, "schema_migrations"));
	assert_int_equal(query_i64(db, "SELECT count(*) FROM invoices"), 1);
	assert_int_equal(app_id(db), 0);
}

static void open_not_a_database(void **state)
{
	struct fixture *f = *state;
	if (scratch_pg_admin()) {
		/* PostgreSQL: a server that is not there. */
		char err[512] = "";
		assert_null(db_open("host=/nonexistent dbname=proxima", DB_OPEN_EXISTING, err,
				    sizeof(err)));
		assert_non_null(strstr(err, "cannot connect to PostgreSQL"));
		return;
	}
	FILE *fp = fopen(f->path, "w");
	assert_non_null(fp);
	for (int i = 0; i < 64; i++)
		fputs("This is a text file, not an SQLite database.\n", fp);
	fclose(fp);
	char err[512] = "";
	struct db *db = db_open(f->path, DB_OPEN_EXISTING, err, sizeof(err));
	assert_null(db);
	assert_true(strlen(err) > 0);
	db = db_open(f->path, DB_OPEN_CREATE, err, sizeof(err));
	assert_null(db);
	assert_true(strlen(err) > 0);
}

static void open_missing_file(void **state)
{
	struct fixture *f = *state;
	char missing[700];
	snprintf(missing, sizeof(missing), "%s.missing", f->path);
	char err[512] = "";
	assert_null(db_open(missing, DB_OPEN_EXISTING, err, sizeof(err)));
	assert_true(strlen(err) > 0);
	assert_int_equal(access(missing, F_OK), -1); /* not created */
}

static void connection_settings(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_new(f);
	char mode[32];
	if (on_postgres(db)) {
		/* Durable commits; the busy timeout bounds the lock waits. */
		query_text(db, "SHOW synchronous_commit", mode, sizeof(mode));
		assert_string_equal(mode, "on");
		query_text(db, "SHOW lock_timeout", mode, sizeof(mode));
		assert_string_equal(mode, "5s");
		exec_sql(db, "CREATE TABLE p (id INTEGER PRIMARY KEY);"
			     "CREATE TABLE c (pid INTEGER REFERENCES p(id))");
		assert_int_equal(db_exec_script(db, "INSERT INTO c VALUES (7)", NULL, 0), -1);
		assert_int_equal(db_error(db), DB_ERR_CONSTRAINT);
		return;
	}
	query_text(db, "PRAGMA journal_mode", mode, sizeof(mode));
	assert_string_equal(mode, "wal");
	assert_int_equal(query_i64(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_i64(db, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(query_i64(db, "PRAGMA busy_timeout"), DB_BUSY_TIMEOUT_MS);
	/* Foreign keys are enforced, not just declared. */
	exec_sql(db, "CREATE TABLE p (id INTEGER PRIMARY KEY);"
		     "CREATE TABLE c (pid INTEGER REFERENCES p(id))");
	assert_int_equal(db_exec_script(db, "INSERT INTO c VALUES (7)", NULL, 0), -1);
}

/* Migration 0024 rebuilds the organisation-month roll-ups WITHOUT ROWID
 * on SQLite (empty twin on PostgreSQL): run again on filled tables, every
 * row and every column comes through, the keys still refuse a duplicate
 * and the by-organisation index still serves its reads. */
static void rollups_rebuild_keeps_rows(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	exec_sql(db,
		 "INSERT INTO agg_org_act (territory_id, month, organisation_id, type, n, "
		 "adults, tc6, k_adults, k_hors_reseau) "
		 "VALUES (3, '2025-04', 7, 'rencontre', 11, 12, 13, 14, 15);"
		 "INSERT INTO agg_org_code (territory_id, month, organisation_id, kind, code, n) "
		 "VALUES (3, '2025-04', 7, 'need', 'logement', 21);"
		 "INSERT INTO agg_org_link (territory_id, month, organisation_id, kind, ref_id, "
		 "n, ckey) VALUES (3, '2025-04', 7, 'family', 99, 31, 32);");
	const struct embedded_file *m = migrate_file(db_engine(db), 24);
	assert_non_null(m);
	exec_sql(db, (const char *)m->data);
	assert_int_equal(query_i64(db, "SELECT n + 100 * adults + 10000 * tc6 + 1000000 * k_adults "
				       "+ 100000000 * k_hors_reseau FROM agg_org_act "
				       "WHERE territory_id = 3 AND organisation_id = 7"),
			 1514131211);
	assert_int_equal(query_i64(db, "SELECT n FROM agg_org_code WHERE code = 'logement'"), 21);
	assert_int_equal(query_i64(db, "SELECT n + 100 * ckey FROM agg_org_link WHERE ref_id = 99"),
			 3231);
	assert_int_equal(query_i64(db, "SELECT count(*) FROM agg_org_act WHERE organisation_id = 7 "
				       "AND month = '2025-04'"),
			 1);
	assert_int_equal(db_exec_script(db,
					"INSERT INTO agg_org_link (territory_id, month, "
					"organisation_id, kind, ref_id) "
					"VALUES (3, '2025-04', 7, 'family', 99)",
					NULL, 0),
			 -1);
}

static void embedded_migrations_valid(void **state)
{
	(void)state;
	char err[512] = "";
	assert_int_equal(migrate_validate_embedded(err, sizeof(err)), 0);
}

/* ------------------------------------------------------ statement table */

static void statements_prepare(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	for (int id = 0; id < STMT__COUNT; id++) {
		const char *sql = stmt_sql((enum stmt_id)id, (int)db_engine(db));
		assert_non_null(sql);
		assert_true(strlen(sql) > 0);
		struct db_stmt *s = db_stmt(db, (enum stmt_id)id);
		if (!s)
			fail_msg("statement %s does not prepare: %s\n%s",
				 stmt_name((enum stmt_id)id), db_errmsg(db), sql);
		/* Prepared once per connection. */
		assert_ptr_equal(db_stmt(db, (enum stmt_id)id), s);
	}
	/* PostgreSQL prepares at the first run (with the binding's types):
	 * run each statement once, every parameter NULL, in a transaction
	 * rolled back. A constraint may refuse the NULLs; what must not
	 * happen is the server refusing the SQL (syntax, an unknown function
	 * or column, an ambiguous name, a parameter of no type). */
	if (!on_postgres(db))
		return; /* SQLite prepared each one above */
	int refused = 0;
	assert_int_equal(db_begin(db), 0);
	for (int id = 0; id < STMT__COUNT; id++) {
		assert_int_equal(scratch_db_exec(db, "SAVEPOINT each"), 0);
		struct db_stmt *s = db_stmt(db, (enum stmt_id)id);
		assert_non_null(s);
		while (db_step(s) == DB_ROW)
			;
		enum db_error e = db_error(db);
		/* RELEASE and ROLLBACK TO need their SAVEPOINT first. */
		const char *sql = stmt_sql((enum stmt_id)id, (int)db_engine(db));
		if (strncmp(sql, "RELEASE", 7) == 0 || strncmp(sql, "ROLLBACK TO", 11) == 0)
			e = DB_ERR_NONE;
		if (e == DB_ERR_OTHER) {
			print_message("statement %s does not run: %s\n%s\n",
				      stmt_name((enum stmt_id)id), db_errmsg(db),
				      stmt_sql((enum stmt_id)id, (int)db_engine(db)));
			refused++;
		}
		db_reset(s);
		assert_int_equal(scratch_db_exec(db, "ROLLBACK TO SAVEPOINT each"), 0);
	}
	db_rollback(db);
	assert_int_equal(refused, 0);
}

/* Every "table.column type" of a schema, one per line, in byte order, into
 * out (SQLite's declared types named as PostgreSQL's twins spell them). */
static void schema_lines(struct db *db, char *out, size_t cap)
{
	const char *sql =
		on_postgres(db)
			? "SELECT table_name || '.' || column_name || ' ' || data_type "
			  "FROM information_schema.columns WHERE table_schema = current_schema() "
			  "ORDER BY 1"
			: "SELECT m.name || '.' || p.name || ' ' || CASE upper(p.type) "
			  "WHEN 'INTEGER' THEN 'bigint' WHEN 'REAL' THEN 'double precision' "
			  "WHEN 'BLOB' THEN 'bytea' WHEN 'TEXT' THEN 'text' ELSE p.type END "
			  "FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = "
			  "'table' "
			  "ORDER BY 1";
	struct db_stmt *s = db_query(db, sql);
	if (!s)
		fail_msg("schema query: %s", db_errmsg(db));
	size_t n = 0;
	out[0] = '\0';
	while (db_step(s) == DB_ROW) {
		int w = snprintf(out + n, cap - n, "%s\n", db_col_cstr(s, 0));
		assert_true(w > 0 && (size_t)w < cap - n);
		n += (size_t)w;
	}
	db_query_free(s);
}

/* The PostgreSQL twins build the same schema as the SQLite migrations:
 * the same tables, columns and types; and every identity id follows the
 * ids given explicitly (proxima_id_follow). Runs in the PostgreSQL pass,
 * where both engines are at hand. */
static void schemas_match(void **state)
{
	struct fixture *f = *state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	struct db *pg = open_migrated(f);
	char path[512];
	snprintf(path, sizeof(path), "%s/schemas-%ld.db", scratch_dir(), (long)getpid());
	char err[512] = "";
	struct db *lite = db_open(path, DB_OPEN_CREATE, err, sizeof(err));
	assert_non_null(lite);
	int applied;
	assert_int_equal(migrate_apply(lite, &applied, err, sizeof(err)), 0);
	static char a[1 << 16], b[1 << 16];
	schema_lines(lite, a, sizeof(a));
	schema_lines(pg, b, sizeof(b));
	db_close(lite);
	unlink(path);
	assert_true(strlen(a) > 1000);
	assert_string_equal(b, a);
	assert_int_equal(
		query_i64(pg, "SELECT count(*) FROM information_schema.columns c "
			      "WHERE c.table_schema = current_schema() AND c.is_identity = 'YES' "
			      "AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = "
			      "CAST(c.table_name AS regclass) AND t.tgname = c.table_name || "
			      "'_id_follow')"),
		0);
	/* An explicit id moves the identity past it. */
	exec_sql(pg, "INSERT INTO sector (id, ext_id, name) VALUES (500, 'x500', 'X');"
		     "INSERT INTO sector (ext_id, name) VALUES ('x501', 'Y')");
	assert_int_equal(query_i64(pg, "SELECT id FROM sector WHERE ext_id = 'x501'"), 501);
}

/* The settings table as a plain key/value store, to exercise the data API
 * itself (the typed settings of model/settings.h sit on top of it). */
static int kv_put(struct db *db, const char *key, const char *value)
{
	struct db_stmt *s = db_stmt(db, STMT_SETTING_PUT);
	if (!s)
		return -1;
	db_bind_text(s, 1, key);
	db_bind_text(s, 2, value);
	int rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? 0 : -1;
}

/* Copies key's value into out: 0, 1 when absent (out ""), -1 on error. */
static int kv_get(struct db *db, const char *key, char *out, size_t cap)
{
	out[0] = '\0';
	struct db_stmt *s = db_stmt(db, STMT_SETTING_GET);
	if (!s)
		return -1;
	db_bind_text(s, 1, key);
	int rc = db_step(s);
	if (rc == DB_ROW)
		str_copy(out, cap, db_col_cstr(s, 0));
	db_reset(s);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

static void statement_reset_and_cleared(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	assert_int_equal(kv_put(db, "k", "v"), 0);
	struct db_stmt *s = db_stmt(db, STMT_SETTING_GET);
	assert_non_null(s);
	db_bind_text(s, 1, "k");
	assert_int_equal(db_step(s), DB_ROW);
	/* Left mid-way and bound; the next user gets it reset and unbound,
	 * so a NULL key matches nothing. */
	s = db_stmt(db, STMT_SETTING_GET);
	assert_int_equal(db_step(s), DB_DONE);
	db_reset(s);
}

/* ------------------------------------------------------------- settings */

static void settings_round_trip(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	char out[64] = "junk";
	assert_int_equal(kv_get(db, "no_such_key", out, sizeof(out)), 1);
	assert_string_equal(out, "");
	assert_int_equal(kv_put(db, "greeting", "bonjour été"), 0);
	assert_int_equal(kv_get(db, "greeting", out, sizeof(out)), 0);
	assert_string_equal(out, "bonjour été");
	/* Put replaces. */
	assert_int_equal(kv_put(db, "greeting", "hello"), 0);
	assert_int_equal(kv_get(db, "greeting", out, sizeof(out)), 0);
	assert_string_equal(out, "hello");
	assert_int_equal(query_i64(db, "SELECT count(*) FROM settings WHERE key = 'greeting'"), 1);
	/* Empty value is a value, not an absence. */
	assert_int_equal(kv_put(db, "blank", ""), 0);
	assert_int_equal(kv_get(db, "blank", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	/* A small buffer gets a truncated, terminated copy. */
	char small[4];
	assert_int_equal(kv_put(db, "long", "abcdefgh"), 0);
	assert_int_equal(kv_get(db, "long", small, sizeof(small)), 0);
	assert_string_equal(small, "abc");
	/* Survives a reconnection. */
	db_close(f->db);
	char err[512];
	f->db = db_open(f->path, DB_OPEN_EXISTING, err, sizeof(err));
	assert_non_null(f->db);
	assert_int_equal(kv_get(f->db, "greeting", out, sizeof(out)), 0);
	assert_string_equal(out, "hello");
}

/* --------------------------------------------------------- transactions */

static void transactions(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	char out[64];
	int64_t before = query_i64(db, "SELECT count(*) FROM settings");

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(kv_put(db, "tx", "1"), 0);
	assert_int_equal(kv_get(db, "tx", out, sizeof(out)), 0); /* visible inside */
	db_rollback(db);
	assert_int_equal(kv_get(db, "tx", out, sizeof(out)), 1);
	assert_int_equal(query_i64(db, "SELECT count(*) FROM settings"), before);
	db_rollback(db); /* harmless outside a transaction */

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(kv_put(db, "tx", "2"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(kv_get(db, "tx", out, sizeof(out)), 0);
	assert_string_equal(out, "2");

	/* db_begin takes the write lock at once: a second connection cannot
	 * begin while the first holds it (with no busy timeout, it fails at
	 * once rather than waiting). */
	char err[512];
	struct db *other = db_open(f->path, DB_OPEN_EXISTING, err, sizeof(err));
	assert_non_null(other);
	db_set_busy_timeout(other, 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_begin(other), -1);
	db_rollback(db);
	assert_int_equal(db_begin(other), 0);
	db_rollback(other);
	db_close(other);
}

/* ------------------------------------------------------- write units */

/* A unit's work for these tests: sets each key of kv, then says keep
 * unless told to discard. */
struct put_work {
	const char *const *kv;
	bool discard;
	/* Nested units run inside this one (NULL: none). */
	struct put_work *inner[2];
	enum db_unit_outcome inner_out[2];
};

static enum db_unit_verdict put_work(struct db *db, void *arg)
{
	struct put_work *w = arg;
	for (size_t i = 0; w->kv && w->kv[i]; i += 2)
		if (kv_put(db, w->kv[i], w->kv[i + 1]) < 0)
			return DB_UNIT_DISCARD;
	for (size_t i = 0; i < 2; i++)
		if (w->inner[i])
			w->inner_out[i] = db_unit_run(db, put_work, w->inner[i], NULL);
	return w->discard ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
}

static bool has_setting(struct db *db, const char *key)
{
	char out[64];
	return kv_get(db, key, out, sizeof(out)) == 0;
}

/* The outermost unit is a transaction of its own: kept, it is durable and
 * the write lock is released; discarded, nothing of it is stored. */
static void units_keep_and_discard(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	static const char *const a[] = {"unit.a", "1", NULL}, *const b[] = {"unit.b", "1", NULL};
	struct put_work kept = {.kv = a}, dropped = {.kv = b, .discard = true};
	enum db_error why = DB_ERR_OTHER;
	assert_int_equal(db_unit_run(db, put_work, &kept, &why), DB_UNIT_COMMITTED);
	assert_int_equal(why, DB_ERR_NONE);
	assert_int_equal(db_unit_run(db, put_work, &dropped, &why), DB_UNIT_DISCARDED);
	assert_false(db_in_transaction(db));
	assert_true(has_setting(db, "unit.a"));
	assert_false(has_setting(db, "unit.b"));
	/* The lock went with the unit: another connection may write now. */
	char err[512];
	struct db *other = db_open(f->path, DB_OPEN_EXISTING, err, sizeof(err));
	assert_non_null(other);
	db_set_busy_timeout(other, 0);
	assert_int_equal(db_begin(other), 0);
	db_rollback(other);
	db_close(other);
}

/* A unit inside another is a savepoint: discarding it rolls back its own
 * writes only, the enclosing unit's and a kept sibling's stay (what group
 * commit builds on: one request's refused write spoils no other). */
static void units_nested_savepoints(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	static const char *const outer_kv[] = {"unit.outer", "1", NULL};
	static const char *const ok_kv[] = {"unit.kept", "1", NULL};
	static const char *const bad_kv[] = {"unit.refused", "1", NULL};
	struct put_work refused = {.kv = bad_kv, .discard = true}, kept = {.kv = ok_kv};
	struct put_work outer = {.kv = outer_kv, .inner = {&refused, &kept}};
	assert_int_equal(db_unit_run(db, put_work, &outer, NULL), DB_UNIT_COMMITTED);
	assert_int_equal(outer.inner_out[0], DB_UNIT_DISCARDED);
	assert_int_equal(outer.inner_out[1], DB_UNIT_COMMITTED);
	assert_true(has_setting(db, "unit.outer"));
	assert_true(has_setting(db, "unit.kept"));
	assert_false(has_setting(db, "unit.refused"));

	/* A kept inner unit is only as durable as the one around it. */
	static const char *const lost_kv[] = {"unit.inner_lost", "1", NULL};
	struct put_work inner = {.kv = lost_kv};
	struct put_work dropped = {.inner = {&inner}, .discard = true};
	assert_int_equal(db_unit_run(db, put_work, &dropped, NULL), DB_UNIT_DISCARDED);
	assert_int_equal(dropped.inner_out[0], DB_UNIT_COMMITTED);
	assert_false(has_setting(db, "unit.inner_lost"));
}

/* Fills the database up to its last page as a full disk would: the
 * connection may not grow the file past its current size. */
static void disk_full(struct db *db)
{
	exec_sql(db, "VACUUM");
	char sql[80];
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
		 (long long)query_i64(db, "PRAGMA page_count"));
	struct db_stmt *s = db_query(db, sql);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	db_query_free(s);
}

/* Work that writes more than a page: it cannot fit on a full disk. */
static enum db_unit_verdict big_write(struct db *db, void *arg)
{
	(void)arg;
	char big[6000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kv_put(db, "unit.small", "1");
	kv_put(db, "unit.big", big); /* fails: the disk is full */
	kv_put(db, "unit.after", "1");
	return DB_UNIT_KEEP; /* even a careless work cannot keep a half write */
}

/* A statement that meets a full disk fails the unit whatever its work
 * says, with the reason, and nothing of it is stored: not what came
 * before, nor what the work wrote after the engine rolled back. */
static void units_disk_full(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	if (on_postgres(db)) { /* a full disk is the server's: not simulated here */
		skip();
		return;
	}
	disk_full(db);
	enum db_error why = DB_ERR_NONE;
	assert_int_equal(db_unit_run(db, big_write, NULL, &why), DB_UNIT_FAILED);
	assert_int_equal(why, DB_ERR_FULL);
	assert_false(db_in_transaction(db));
	assert_false(has_setting(db, "unit.small"));
	assert_false(has_setting(db, "unit.big"));
	assert_false(has_setting(db, "unit.after"));
}

/* A unit whose COMMIT fails (here a deferred foreign key, checked only at
 * COMMIT) fails with the engine's reason and stores nothing. */
static void units_commit_fails(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	exec_sql(db, "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
		     "CREATE TABLE child (p INTEGER REFERENCES parent (id) "
		     "DEFERRABLE INITIALLY DEFERRED);");
	if (on_postgres(db))
		exec_sql(db, "CREATE FUNCTION orphan() RETURNS trigger LANGUAGE plpgsql AS "
			     "$$ BEGIN INSERT INTO child VALUES (42); RETURN NEW; END $$;"
			     "CREATE TRIGGER orphan AFTER INSERT ON settings "
			     "FOR EACH ROW EXECUTE FUNCTION orphan();");
	else
		exec_sql(db, "CREATE TRIGGER orphan AFTER INSERT ON settings "
			     "BEGIN INSERT INTO child VALUES (42); END;");
	static const char *const kv[] = {"unit.orphan", "1", NULL};
	struct put_work w = {.kv = kv};
	enum db_error why = DB_ERR_NONE;
	assert_int_equal(db_unit_run(db, put_work, &w, &why), DB_UNIT_FAILED);
	assert_int_equal(why, DB_ERR_CONSTRAINT);
	assert_false(db_in_transaction(db));
	assert_false(has_setting(db, "unit.orphan"));
	assert_int_equal(query_i64(db, "SELECT count(*) FROM child"), 0);
}

/* Ends every other session on db's database, as a PostgreSQL restart or
 * a failover would. */
static void kill_sessions(const char *location)
{
	char err[512];
	struct db *killer = db_open(location, DB_OPEN_EXISTING, err, sizeof(err));
	assert_non_null(killer);
	exec_sql(killer, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
			 "WHERE datname = current_database() AND pid <> pg_backend_pid()");
	db_close(killer);
}

/* PostgreSQL goes away: a statement inside a transaction fails with
 * DB_ERR_UNAVAILABLE (the request gets a 503) and nothing of it is kept;
 * the next statement reconnects; a read or a BEGIN that meets a
 * connection lost while idle is run again on a new one. */
static void reconnection(void **state)
{
	struct fixture *f = *state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	struct db *db = open_migrated(f);
	char out[64];
	assert_int_equal(kv_put(db, "before", "1"), 0);

	kill_sessions(f->path);
	assert_int_equal(kv_get(db, "before", out, sizeof(out)), 0); /* read: retried */
	kill_sessions(f->path);
	assert_int_equal(db_begin(db), 0); /* BEGIN: retried */
	assert_int_equal(kv_put(db, "inside", "1"), 0);
	kill_sessions(f->path);
	assert_int_equal(kv_put(db, "inside2", "1"), -1);
	assert_int_equal(db_error(db), DB_ERR_UNAVAILABLE);
	db_rollback(db);
	assert_false(db_in_transaction(db));
	/* The next transaction works, and the lost one left nothing. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(kv_put(db, "after", "1"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(kv_get(db, "inside", out, sizeof(out)), 1);
	assert_int_equal(kv_get(db, "after", out, sizeof(out)), 0);
	/* A write outside a transaction is not run twice: it fails, the
	 * next one works. */
	kill_sessions(f->path);
	assert_int_equal(kv_put(db, "lone", "1"), -1);
	assert_int_equal(db_error(db), DB_ERR_UNAVAILABLE);
	assert_int_equal(kv_put(db, "lone", "2"), 0);
	assert_int_equal(kv_get(db, "lone", out, sizeof(out)), 0);
	assert_string_equal(out, "2");
}

/* SQLSTATEs map to the project's codes; a refused statement inside a
 * transaction leaves the transaction to roll back, and the connection
 * works after. */
static void error_codes(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	exec_sql(db, "CREATE TABLE u (k INTEGER PRIMARY KEY, v INTEGER NOT NULL CHECK (v > 0))");
	exec_sql(db, "INSERT INTO u (k, v) VALUES (1, 1)");
	assert_int_equal(db_exec_script(db, "INSERT INTO u (k, v) VALUES (1, 2)", NULL, 0), -1);
	assert_int_equal(db_error(db), DB_ERR_UNIQUE);
	assert_int_equal(db_exec_script(db, "INSERT INTO u (k, v) VALUES (2, 0)", NULL, 0), -1);
	assert_int_equal(db_error(db), DB_ERR_CONSTRAINT);
	assert_int_equal(db_exec_script(db, "INSERT INTO u (k, v) VALUES (3, NULL)", NULL, 0), -1);
	assert_int_equal(db_error(db), DB_ERR_CONSTRAINT);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec_script(db, "INSERT INTO u (k, v) VALUES (1, 3)", NULL, 0), -1);
	db_rollback(db);
	assert_int_equal(query_i64(db, "SELECT count(*) FROM u"), 1);
	/* Rows changed and the id of a new row. */
	exec_sql(db, "UPDATE u SET v = v + 1");
	assert_int_equal(db_changes(db), 1);
	assert_int_equal(kv_put(db, "x", "1"), 0);
	struct db_stmt *s = db_query(db, "INSERT INTO sector (ext_id, name) VALUES (?1, ?2)");
	assert_non_null(s);
	db_bind_text(s, 1, "S-NEW");
	db_bind_text(s, 2, "Nouveau");
	assert_int_equal(db_step(s), DB_DONE);
	db_query_free(s);
	assert_int_equal(db_last_insert_id(db),
			 query_i64(db, "SELECT id FROM sector WHERE ext_id = 'S-NEW'"));
}

static void exec_script_errors(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_new(f);
	char err[512] = "";
	assert_int_equal(db_exec_script(db, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);",
					err, sizeof(err)),
			 0);
	assert_int_equal(query_i64(db, "SELECT count(*) FROM t"), 1);
	assert_int_equal(db_exec_script(db, "INSERT INTO nowhere VALUES (1)", err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "nowhere"));
}

/* ------------------------------------------------ per-thread connections */

/* Bulk loads (db_bulk_*): rows loaded through the engine's bulk path (COPY
 * on PostgreSQL) read back equal to the same rows inserted one statement
 * at a time, for every awkward value (tabs, new lines, backslashes, "\N",
 * empty text, NULL, UTF-8, any blob byte, extreme numbers); a row refused
 * in the middle of a load is named, and after the rollback nothing of the
 * load is stored. */
struct bulk_row {
	int64_t n;
	const char *t;
	double r;
	const char *b;
	size_t nb;
};

static const struct bulk_row bulk_rows[] = {
	{0, "plain", 0.1, "\x00\x01", 2},
	{1, "tab\there", -1e300, "\\\t\n\xff", 4},
	{INT64_MAX, "new\nline\r\n", 3.0, NULL, 0},
	{42, "back\\slash \\N and \\.", 2.5e-310, "\\N", 2},
	{7, "", -0.0, "", 0},
	{8, NULL, 1.0 / 3.0, "x", 1},
	{9, "\xc3\xa9 \xc3\xa0 \xc3\xa7 \xe6\x97\xa5\xe6\x9c\xac", 123456789.125, "\x00", 1},
};

static void bulk_put(struct db_bulk *w, int64_t id, const struct bulk_row *r)
{
	db_bulk_int64(w, id);
	db_bulk_int64(w, r->n);
	db_bulk_text(w, r->t);
	db_bulk_double(w, r->r);
	if (r->b)
		db_bulk_blob(w, r->b, r->nb);
	else
		db_bulk_null(w);
}

static void bulk_equals_rows(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	bool pg = db_engine(db) == DB_ENGINE_POSTGRES;
	exec_sql(db, pg ? "CREATE TABLE bulk_a (id BIGINT PRIMARY KEY, n BIGINT CHECK (n >= 0), "
			  "t TEXT, r DOUBLE PRECISION, b BYTEA);"
			  "CREATE TABLE bulk_b (id BIGINT PRIMARY KEY, n BIGINT CHECK (n >= 0), "
			  "t TEXT, r DOUBLE PRECISION, b BYTEA)"
			: "CREATE TABLE bulk_a (id INTEGER PRIMARY KEY, n INTEGER CHECK (n >= 0), "
			  "t TEXT, r REAL, b BLOB);"
			  "CREATE TABLE bulk_b (id INTEGER PRIMARY KEY, n INTEGER CHECK (n >= 0), "
			  "t TEXT, r REAL, b BLOB)");
	size_t nrows = sizeof(bulk_rows) / sizeof(bulk_rows[0]);
	assert_int_equal(db_begin(db), 0);
	struct db_stmt *ins =
		db_query(db, "INSERT INTO bulk_a (id, n, t, r, b) VALUES (?1, ?2, ?3, ?4, ?5)");
	assert_non_null(ins);
	for (int64_t id = 1; id <= 20000; id++) {
		const struct bulk_row *r = &bulk_rows[id % (int64_t)nrows];
		db_bind_int64(ins, 1, id);
		db_bind_int64(ins, 2, r->n);
		if (r->t)
			db_bind_text(ins, 3, r->t);
		else
			db_bind_null(ins, 3);
		db_bind_double(ins, 4, r->r);
		if (r->b)
			db_bind_blob(ins, 5, r->b, r->nb);
		else
			db_bind_null(ins, 5);
		assert_int_equal(db_step(ins), DB_DONE);
		db_reset(ins);
	}
	db_query_free(ins);
	/* The same rows, enough to fill several COPY messages (no other
	 * statement runs on the connection while the load is open). */
	struct db_bulk *w = db_bulk_begin_sql(db,
					      "INSERT INTO bulk_b (id, n, t, r, b) VALUES "
					      "(?1, ?2, ?3, ?4, ?5)",
					      "COPY bulk_b (id, n, t, r, b) FROM STDIN");
	assert_non_null(w);
	for (int64_t id = 1; id <= 20000; id++) {
		bulk_put(w, id, &bulk_rows[id % (int64_t)nrows]);
		assert_int_equal(db_bulk_row(w), 0);
	}
	int64_t bad = -1;
	assert_int_equal(db_bulk_end(w, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(db_commit(db), 0);

	struct db_stmt *a = db_query(db, "SELECT id, n, t, r, b FROM bulk_a ORDER BY id");
	struct db_stmt *b = db_query(db, "SELECT id, n, t, r, b FROM bulk_b ORDER BY id");
	assert_non_null(a);
	assert_non_null(b);
	int64_t rows = 0;
	while (db_step(a) == DB_ROW) {
		assert_int_equal(db_step(b), DB_ROW);
		rows++;
		assert_int_equal(db_col_int64(b, 0), db_col_int64(a, 0));
		assert_int_equal(db_col_int64(b, 1), db_col_int64(a, 1));
		for (int c = 2; c <= 4; c++) {
			assert_int_equal(db_col_is_null(b, c), db_col_is_null(a, c));
			assert_int_equal(db_col_bytes(b, c), db_col_bytes(a, c));
		}
		if (!db_col_is_null(a, 2))
			assert_memory_equal(db_col_cstr(b, 2), db_col_cstr(a, 2),
					    db_col_bytes(a, 2));
		assert_true(db_col_double(b, 3) == db_col_double(a, 3));
		if (db_col_bytes(a, 4))
			assert_memory_equal(db_col_blob(b, 4), db_col_blob(a, 4),
					    db_col_bytes(a, 4));
	}
	assert_int_equal(db_step(b), DB_DONE);
	assert_int_equal(rows, 20000);
	db_query_free(a);
	db_query_free(b);

	/* The third row of a load breaks the CHECK. */
	assert_int_equal(db_begin(db), 0);
	w = db_bulk_begin_sql(db, "INSERT INTO bulk_b (id, n, t, r, b) VALUES (?1, ?2, ?3, ?4, ?5)",
			      "COPY bulk_b (id, n, t, r, b) FROM STDIN");
	assert_non_null(w);
	for (int64_t id = 30001; id <= 30005; id++) {
		struct bulk_row r = bulk_rows[0];
		r.n = id == 30003 ? -1 : 5;
		bulk_put(w, id, &r);
		db_bulk_row(w);
	}
	assert_int_equal(db_bulk_end(w, &bad), -1);
	assert_int_equal(bad, 3);
	assert_int_equal(db_error(db), DB_ERR_CONSTRAINT);
	db_rollback(db);
	assert_int_equal(query_i64(db, "SELECT count(*) FROM bulk_b WHERE id > 30000"), 0);
	assert_int_equal(query_i64(db, "SELECT count(*) FROM bulk_b"), 20000);
	exec_sql(db, "DROP TABLE bulk_a; DROP TABLE bulk_b");
}

static void *thread_conn(void *arg)
{
	(void)arg;
	return db_thread();
}

static void thread_connections(void **state)
{
	struct fixture *f = *state;
	open_migrated(f);
	db_thread_setup(f->path);
	struct db *mine = db_thread();
	assert_non_null(mine);
	assert_ptr_equal(db_thread(), mine);
	char out[64];
	assert_int_equal(kv_put(mine, "thread", "main"), 0);
	pthread_t th;
	void *theirs = NULL;
	assert_int_equal(pthread_create(&th, NULL, thread_conn, NULL), 0);
	assert_int_equal(pthread_join(th, &theirs), 0);
	assert_non_null(theirs);
	assert_ptr_not_equal(theirs, mine);
	assert_int_equal(kv_get(theirs, "thread", out, sizeof(out)), 0);
	assert_string_equal(out, "main");
	db_thread_close_all();
}

/* --------------------------------------------------------- group commit */

#define GROUP_WRITERS 8

/* One server thread's write: its own setting, kept, refused by its work,
 * or refused by the engine (a unique key) as the model would refuse it. */
struct group_writer {
	int i;
	char key[32];
	bool discard;
	bool clash;
	bool careless; /* clashes, then keeps its work all the same */
	enum db_unit_outcome out;
	enum db_error why;
};

/* The first writer's work holds its group open until the others have
 * queued their units behind it. */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool holding;
	int started;
} gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0};

static void gate_wait(bool (*ready)(void))
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 20;
	pthread_mutex_lock(&gate.mu);
	while (!ready() && pthread_cond_timedwait(&gate.cv, &gate.mu, &until) == 0)
		;
	pthread_mutex_unlock(&gate.mu);
}

static bool all_started(void)
{
	return gate.started == GROUP_WRITERS - 1;
}

static bool first_holding(void)
{
	return gate.holding;
}

static enum db_unit_verdict writer_work(struct db *db, void *arg)
{
	struct group_writer *w = arg;
	if (w->i == 0) {
		pthread_mutex_lock(&gate.mu);
		gate.holding = true;
		pthread_cond_broadcast(&gate.cv);
		pthread_mutex_unlock(&gate.mu);
		gate_wait(all_started);
		struct timespec t = {0, 200 * 1000 * 1000}; /* until they queue */
		nanosleep(&t, NULL);
	}
	if (kv_put(db, w->key, "1") < 0)
		return DB_UNIT_DISCARD;
	if (w->clash || w->careless) {
		struct db_stmt *s =
			db_query(db, "INSERT INTO sector (ext_id, name) VALUES (?1, ?2)");
		assert_non_null(s);
		db_bind_text(s, 1, "S-CLASH");
		db_bind_text(s, 2, "Doublon");
		int rc = db_step(s);
		db_query_free(s);
		assert_int_equal(rc, DB_ERROR); /* the key exists */
		return w->careless ? DB_UNIT_KEEP : DB_UNIT_DISCARD;
	}
	if (w->i == 6) {
		/* A unit nested in a grouped one (a sync batch's refused entry). */
		static const char *const kv[] = {"group.w6.inner", "1", NULL};
		struct put_work inner = {.kv = kv, .discard = true};
		if (db_unit_run(db, put_work, &inner, NULL) != DB_UNIT_DISCARDED)
			return DB_UNIT_DISCARD;
	}
	return w->discard ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
}

static void *writer_main(void *arg)
{
	struct group_writer *w = arg;
	struct db *db = db_thread();
	if (w->i > 0) {
		pthread_mutex_lock(&gate.mu);
		gate.started++;
		pthread_cond_broadcast(&gate.cv);
		pthread_mutex_unlock(&gate.mu);
	}
	w->out = db ? db_unit_run(db, writer_work, w, &w->why) : DB_UNIT_FAILED;
	return NULL;
}

/* Runs GROUP_WRITERS server threads at once (writer 2 refused by its
 * work, writer 5 by a unique key, writer 6 kept with a refused unit nested
 * in it, writer 7 keeping a statement that failed), the first holding its group open so
 * that the others queue behind it. Returns the groups they took. */
static uint64_t run_writers(struct fixture *f, struct group_writer *w)
{
	exec_sql(f->db, "INSERT INTO sector (ext_id, name) VALUES ('S-CLASH', 'Premier')");
	db_thread_setup(f->path);
	gate.holding = false;
	gate.started = 0;
	struct db_group_stats before, after;
	db_group_stats(&before);
	pthread_t th[GROUP_WRITERS];
	for (int i = 0; i < GROUP_WRITERS; i++) {
		w[i] = (struct group_writer){
			.i = i, .discard = i == 2, .clash = i == 5, .careless = i == 7};
		snprintf(w[i].key, sizeof(w[i].key), "group.w%d", i);
		assert_int_equal(pthread_create(&th[i], NULL, writer_main, &w[i]), 0);
		if (i == 0)
			gate_wait(first_holding);
	}
	for (int i = 0; i < GROUP_WRITERS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	db_thread_close_all();
	db_group_stats(&after);
	assert_int_equal(after.units - before.units, GROUP_WRITERS);
	return after.groups - before.groups;
}

/* Concurrent units of the server's threads share commits, and each gets
 * exactly its own outcome: the refused ones (by their work, by the engine)
 * leave nothing and spoil no other; every kept one is stored. */
static void group_commit_outcomes(void **state)
{
	struct fixture *f = *state;
	open_migrated(f);
	struct group_writer w[GROUP_WRITERS];
	uint64_t groups = run_writers(f, w);
	assert_true(groups < GROUP_WRITERS); /* some units shared a COMMIT */
	for (int i = 0; i < GROUP_WRITERS - 1; i++) {
		bool refused = i == 2 || i == 5;
		assert_int_equal(w[i].out, refused ? DB_UNIT_DISCARDED : DB_UNIT_COMMITTED);
		assert_int_equal(has_setting(f->db, w[i].key), !refused);
	}
	/* A work that keeps a failed statement: SQLite undid that statement
	 * only, PostgreSQL aborted the unit's savepoint. Either way its outcome
	 * tells the truth and the units after it in the group are stored. */
	struct group_writer *c = &w[GROUP_WRITERS - 1];
	assert_true(c->careless);
	if (on_postgres(f->db)) {
		assert_int_equal(c->out, DB_UNIT_FAILED);
		assert_int_equal(c->why, DB_ERR_UNIQUE);
	} else {
		assert_int_equal(c->out, DB_UNIT_COMMITTED);
	}
	assert_int_equal(has_setting(f->db, c->key), c->out == DB_UNIT_COMMITTED);
	assert_false(has_setting(f->db, "group.w6.inner"));
	assert_int_equal(w[5].why, DB_ERR_UNIQUE);
	assert_int_equal(query_i64(f->db, "SELECT count(*) FROM sector WHERE ext_id = 'S-CLASH'"),
			 1);
}

/* What one unit saw of its connection. */
struct seen_conn {
	struct db *given;  /* the db its work was given */
	struct db *thread; /* db_thread() inside its work */
	struct db *own;    /* db_thread() of the submitting thread, outside */
	enum db_unit_outcome out;
};

static enum db_unit_verdict seen_work(struct db *db, void *arg)
{
	struct seen_conn *s = arg;
	s->given = db;
	s->thread = db_thread();
	return DB_UNIT_KEEP;
}

static void *seen_main(void *arg)
{
	struct seen_conn *s = arg;
	s->own = db_thread();
	s->out = s->own ? db_unit_run(s->own, seen_work, s, NULL) : DB_UNIT_FAILED;
	return NULL;
}

/* Every group runs on one connection, whichever thread leads it, and the
 * work's db_thread() is that connection (db.h "Write units"): threads
 * that write one after the other, each leading its own group, all run
 * their units on the same connection, which is none of their own. */
static void group_commit_one_connection(void **state)
{
	struct fixture *f = *state;
	open_migrated(f);
	db_thread_setup(f->path);
	struct seen_conn s[4] = {0};
	for (int i = 0; i < 4; i++) {
		pthread_t th;
		assert_int_equal(pthread_create(&th, NULL, seen_main, &s[i]), 0);
		assert_int_equal(pthread_join(th, NULL), 0);
		assert_int_equal(s[i].out, DB_UNIT_COMMITTED);
		assert_non_null(s[i].given);
		assert_ptr_equal(s[i].thread, s[i].given);
		assert_ptr_equal(s[i].given, s[0].given);
	}
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			assert_ptr_not_equal(s[i].given, s[j].own);
	db_thread_close_all();
}

/* Many server threads writing at once, unit after unit: leaders hand the
 * lead on while units are still queued, so a thread is often woken for a
 * turn to lead after another leader took its unit. */
#define BUSY_THREADS 24
#define BUSY_UNITS 40

struct busy_unit {
	char key[40];
	bool discard;
};

struct busy_thread {
	int t;
	struct busy_unit u[BUSY_UNITS];
	enum db_unit_outcome out[BUSY_UNITS];
};

static enum db_unit_verdict busy_work(struct db *db, void *arg)
{
	struct busy_unit *u = arg;
	if (kv_put(db, u->key, "1") < 0)
		return DB_UNIT_DISCARD;
	return u->discard ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
}

static void *busy_main(void *arg)
{
	struct busy_thread *b = arg;
	struct db *db = db_thread();
	for (int i = 0; i < BUSY_UNITS; i++) {
		struct busy_unit *u = &b->u[i];
		snprintf(u->key, sizeof(u->key), "busy.t%d.u%d", b->t, i);
		u->discard = (b->t + i) % 3 == 0;
		b->out[i] = db ? db_unit_run(db, busy_work, u, NULL) : DB_UNIT_FAILED;
	}
	return NULL;
}

/* Each unit of each thread gets exactly its own outcome, whichever thread
 * led its group and however the lead went from thread to thread: a kept
 * unit is stored, a discarded one is not. */
static void group_commit_busy_threads(void **state)
{
	struct fixture *f = *state;
	open_migrated(f);
	db_thread_setup(f->path);
	static struct busy_thread b[BUSY_THREADS];
	pthread_t th[BUSY_THREADS];
	for (int t = 0; t < BUSY_THREADS; t++) {
		b[t].t = t;
		assert_int_equal(pthread_create(&th[t], NULL, busy_main, &b[t]), 0);
	}
	for (int t = 0; t < BUSY_THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	db_thread_close_all();
	int64_t kept = 0;
	for (int t = 0; t < BUSY_THREADS; t++)
		for (int i = 0; i < BUSY_UNITS; i++) {
			bool discard = b[t].u[i].discard;
			assert_int_equal(b[t].out[i],
					 discard ? DB_UNIT_DISCARDED : DB_UNIT_COMMITTED);
			assert_int_equal(has_setting(f->db, b[t].u[i].key), !discard);
			kept += !discard;
		}
	assert_int_equal(query_i64(f->db, "SELECT count(*) FROM settings WHERE key LIKE 'busy.%'"),
			 kept);
}

/* One unit of the WAL test: WAL_FILL_ROWS rows of about a page each. */
#define WAL_FILL_ROWS 8
#define WAL_FILL_UNITS 750

static enum db_unit_verdict fill_work(struct db *db, void *arg)
{
	(void)arg;
	for (int i = 0; i < WAL_FILL_ROWS; i++) {
		char msg[256];
		if (db_exec_script(db, "INSERT INTO wal_fill (v) VALUES (hex(randomblob(1900)))",
				   msg, sizeof(msg)) < 0)
			return DB_UNIT_DISCARD;
	}
	return DB_UNIT_KEEP;
}

/* The groups' writer leaves its WAL checkpoints to a thread of its own
 * (SQLite): under a stream of group commits that writes some 6,000 pages,
 * the WAL is still copied back and reused from its start, so it never
 * grows far past SQLite's usual 1,000 pages (the first version of that
 * thread, racing the writer, let it reach its hard limit of 16,000), and
 * every row is there. */
static void group_commit_wal_bounded(void **state)
{
	struct fixture *f = *state;
	struct db *db = open_migrated(f);
	if (on_postgres(db)) {
		skip(); /* PostgreSQL's WAL is the server's */
		return;
	}
	exec_sql(db, "CREATE TABLE wal_fill (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
	db_thread_setup(f->path);
	struct db *mine = db_thread();
	assert_non_null(mine);
	for (int i = 0; i < WAL_FILL_UNITS; i++)
		assert_int_equal(db_unit_run(mine, fill_work, NULL, NULL), DB_UNIT_COMMITTED);
	char wal[620];
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	struct stat st;
	assert_int_equal(stat(wal, &st), 0);
	db_thread_close_all();
	assert_int_equal(query_i64(db, "SELECT count(*) FROM wal_fill"),
			 WAL_FILL_UNITS * WAL_FILL_ROWS);
	/* 4,000 pages of 4 KiB: a third of what went through it. */
	assert_true(st.st_size < 4000 * 4096);
}

/* A group whose COMMIT fails (the test hook, as a full disk) fails every
 * unit it was to store, with the reason, and stores none of them. */
static void group_commit_failure(void **state)
{
	struct fixture *f = *state;
	open_migrated(f);
	setenv("PROXIMA_TEST_FAIL_COMMIT", "1", 1); /* every group COMMIT */
	struct group_writer w[GROUP_WRITERS];
	run_writers(f, w);
	unsetenv("PROXIMA_TEST_FAIL_COMMIT");
	db_thread_setup(f->path); /* reads the hook again: off */
	for (int i = 0; i < GROUP_WRITERS; i++) {
		bool refused = i == 2 || i == 5;
		assert_int_equal(w[i].out, refused ? DB_UNIT_DISCARDED : DB_UNIT_FAILED);
		if (!refused)
			assert_int_equal(w[i].why, DB_ERR_FULL);
		assert_false(has_setting(f->db, w[i].key));
	}
	/* The server's next unit commits. */
	struct db *db = db_thread();
	assert_non_null(db);
	static const char *const kv[] = {"group.after", "1", NULL};
	struct put_work after = {.kv = kv};
	assert_int_equal(db_unit_run(db, put_work, &after, NULL), DB_UNIT_COMMITTED);
	db_thread_close_all();
	assert_true(has_setting(f->db, "group.after"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrations_apply, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(migrations_pending, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(migrations_too_new, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(migrations_foreign_app_id, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(migrations_foreign_tables, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(open_not_a_database, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(open_missing_file, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(connection_settings, fx_setup, fx_teardown),
		cmocka_unit_test(embedded_migrations_valid),
		cmocka_unit_test_setup_teardown(rollups_rebuild_keeps_rows, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(statements_prepare, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(bulk_equals_rows, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(schemas_match, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(reconnection, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(error_codes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(statement_reset_and_cleared, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(settings_round_trip, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(transactions, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(units_keep_and_discard, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(units_nested_savepoints, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(units_disk_full, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(units_commit_fails, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(exec_script_errors, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(thread_connections, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(group_commit_outcomes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(group_commit_one_connection, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(group_commit_busy_threads, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(group_commit_failure, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(group_commit_wal_bounded, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
