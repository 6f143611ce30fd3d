/* SQLite connections. Every connection is set up the same way: WAL journal,
 * foreign keys on, a busy timeout, synchronous=FULL (an acknowledged write
 * survives a power cut). The server keeps one connection per thread.
 * All SQL lives in the statement table (db/stmt.h); statements are
 * prepared once per connection and bound by index. */
#ifndef PROXIMA_DB_H
#define PROXIMA_DB_H

#include <stddef.h>
#include <sqlite3.h>

#include "db/stmt.h"

#define DB_BUSY_TIMEOUT_MS 5000
#define DB_APPLICATION_ID 0x50524f58 /* "PROX" */

enum db_flags {
	DB_OPEN_EXISTING = 0, /* fail if the file is missing */
	DB_OPEN_CREATE = 1,   /* create the file if missing */
};

struct db;

/* Opens path with the settings above. Returns the connection, owned by the
 * caller (free with db_close), or NULL with the reason logged and copied
 * into err (size errcap) for the command line. */
struct db *db_open(const char *path, enum db_flags flags, char *err, size_t errcap);

/* Finalises every statement and closes. NULL is allowed. */
void db_close(struct db *db);

/* The raw handle, for the few places that need it (migrations, tests). */
sqlite3 *db_handle(struct db *db);

/* The statement for id, prepared on first use, reset and with its bindings
 * cleared. Owned by the connection: never finalise it. NULL on a prepare
 * error (logged; a bug, since the SQL is static). */
sqlite3_stmt *db_stmt(struct db *db, enum stmt_id id);

/* Transactions. db_begin takes the write lock at once (BEGIN IMMEDIATE), so
 * a transaction never fails half-way for lack of the lock. Threads of one
 * process queue on a mutex rather than SQLite's sleeping busy handler; both
 * waits are bounded by the busy timeout. 0 or -1. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* Sets how long db_begin (and SQLite) wait for the write lock; 0 = fail at
 * once when another connection writes. */
void db_set_busy_timeout(struct db *db, int ms);

/* Runs an embedded multi-statement script (migrations only). 0 or -1, with
 * SQLite's message in err. */
int db_exec_script(struct db *db, const char *sql, char *err, size_t errcap);

/* Column i of the current row as an arena string, or NULL for SQL NULL. */
struct arena;
const char *db_col_text(struct arena *a, sqlite3_stmt *s, int i);

/* Logs the connection's last error with the event name. */
void db_log_error(struct db *db, const char *event);

/* Per-thread connections for the server. db_thread_setup() records the
 * path once at start-up; db_thread() returns this thread's connection,
 * opening it on first use (NULL if that fails). db_thread_close_all()
 * closes every thread's connection after the threads have stopped. */
void db_thread_setup(const char *path);
struct db *db_thread(void);
void db_thread_close_all(void);

#endif
