/* Test support for unit tests that need a database: a scratch file under
 * $PROXIMA_TEST_TMP (else $TMPDIR, else /tmp), migrated to the latest
 * schema, SQL fixtures run on it, and its removal. Linked into every test
 * binary, so it does not need cmocka: functions return NULL or -1 and
 * print why on standard error; exec_ok() below is a macro that asserts
 * only where it is expanded (after <cmocka.h>). */
#ifndef PROXIMA_TEST_SCRATCH_DB_H
#define PROXIMA_TEST_SCRATCH_DB_H

#include <stdbool.h>
#include <stddef.h>

struct db;

/* The engine under test. With PROXIMA_TEST_PG set (tests/run.sh sets it
 * for its PostgreSQL pass to the libpq connection string of the throwaway
 * cluster's admin database), every scratch database is a new PostgreSQL
 * database of that cluster, and "path" below is its connection string;
 * otherwise a SQLite file. */
#define SCRATCH_PG_TEMPLATE "proxima_template" /* migrated by tests/run.sh */

/* The directory scratch files go to: $PROXIMA_TEST_TMP, else $TMPDIR,
 * else /tmp. */
const char *scratch_dir(void);

/* The admin connection string, or NULL when the tests run on SQLite. */
const char *scratch_pg_admin(void);

/* Creates a new PostgreSQL database named after prefix, a copy of the
 * migrated template when migrated (else empty), and writes its connection
 * string into location (cap bytes). 0 or -1 (printed). */
int scratch_pg_create(char *location, size_t cap, const char *prefix, bool migrated);

/* Drops a database made by scratch_pg_create (connections are ended). */
void scratch_pg_drop(const char *location);

/* Creates a new empty file "<scratch dir>/<prefix>-XXXXXX" and writes its
 * name into path (cap bytes). Returns 0 or -1. */
int scratch_db_path(char *path, size_t cap, const char *prefix);

/* scratch_db_path, then opens the file (DB_OPEN_CREATE), applies every
 * migration and seals the access log (model/audit.h) under the key loaded
 * in the vault, loading a fixed scratch key first when none is: a test
 * that uses a key of its own loads it before (on PostgreSQL the template's
 * log is left unsealed for that, tests/pg_compat.sql). Returns the
 * connection, owned by the caller (close it with
 * scratch_db_remove or db_close), or NULL when any step fails. */
struct db *scratch_db_create(char *path, size_t cap, const char *prefix);

/* Closes db (NULL allowed) and removes path with its -wal and -shm files. */
void scratch_db_remove(struct db *db, const char *path);

/* Runs a multi-statement SQL script on db (db_exec_script). Returns 0, or
 * -1 after printing "sql failed: <SQLite's message>". */
int scratch_db_exec(struct db *db, const char *sql);

/* The fixture most model tests share: a scratch database and an arena. */
struct scratch {
	char path[256];   /* the database file */
	struct db *db;    /* open, migrated */
	struct arena *ar; /* for what the model returns */
};

/* Allocates a fixture, creates its database (scratch_db_create with
 * prefix), runs the SQL script sql on it (NULL: nothing) and makes an
 * arena of arena_size bytes. Returns the fixture, owned by the caller
 * (free with scratch_free), or NULL when a step fails (nothing is then
 * left behind). */
struct scratch *scratch_new(const char *prefix, size_t arena_size, const char *sql);

/* Frees the arena, closes and removes the database, frees s. NULL is
 * allowed. */
void scratch_free(struct scratch *s);

/* A cmocka teardown for a test whose setup left a struct scratch in
 * *state: scratch_free(*state). Returns 0. */
int scratch_teardown(void **state);

/* Imports the JSON Lines text (len bytes) into db through the interchange
 * import (one transaction). Returns 0, or -1 after printing the import's
 * error (line, field, reason). */
int scratch_import(struct db *db, const char *text, size_t len);

/* The group fixture of the tests that write files (exports): a scratch
 * database, an arena and a private directory under $PROXIMA_TEST_TMP. */
struct scratch_files {
	char path[256]; /* the database file */
	char dir[256];  /* the directory, made by mkdtemp */
	struct db *db;  /* open, migrated */
	struct arena *a;
};

/* Initialises libsodium, the catalogues and the America/Toronto zone,
 * then makes the fixture (database named with prefix). Returns it, owned
 * by the caller (scratch_files_free), or NULL when a step fails. */
struct scratch_files *scratch_files_new(const char *prefix);

/* Removes the directory and its files, the database and the arena, and
 * frees f. NULL is allowed. */
void scratch_files_free(struct scratch_files *f);

/* Runs sql on db and fails the running cmocka test unless it succeeds. */
#define exec_ok(db, sql) assert_int_equal(scratch_db_exec((db), (sql)), 0)

#endif
