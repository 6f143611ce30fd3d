/* The data API: one interface, two engines.
 *
 * SQLite is the embedded default: WAL journal, foreign keys on, a busy
 * timeout, synchronous=FULL (an acknowledged write survives a power cut).
 * PostgreSQL (through libpq) serves the deployments that outgrow one
 * machine; db_open takes it when the location is a URL ("postgresql://…",
 * "postgres://…") or a libpq key/value string ("host=… dbname=…").
 *
 * All SQL lives in the statement table (db/stmt.h); statements are prepared
 * once per connection and bound by index (?1, ?2…; the PostgreSQL engine
 * translates the placeholders). The server keeps one connection per thread.
 * No file outside src/db includes an engine's header: everything above goes
 * through the functions below (tools/fmtcheck enforces it). */
#ifndef PROXIMA_DB_H
#define PROXIMA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/stmt.h"

#define DB_BUSY_TIMEOUT_MS 5000
#define DB_APPLICATION_ID 0x50524f58 /* "PROX" */

enum db_flags {
	DB_OPEN_EXISTING = 0, /* fail if the database is missing */
	DB_OPEN_CREATE = 1,   /* create the SQLite file if missing */
};

/* What db_step answers. */
enum db_step_rc {
	DB_ERROR = -1, /* the statement failed: db_error / db_errmsg say why */
	DB_DONE = 0,   /* no (more) rows: a write completed */
	DB_ROW = 1,    /* a row is current: read it with db_col_* */
};

/* The project's own codes for why the last statement failed, the same on
 * both engines (mapped to HTTP statuses by src/http/error.c, through
 * enum perr). */
enum db_error {
	DB_ERR_NONE = 0,
	DB_ERR_BUSY,        /* locked or serialisation failure: try again later */
	DB_ERR_FULL,        /* the disk is full */
	DB_ERR_CONSTRAINT,  /* a CHECK, NOT NULL or foreign key refused the write */
	DB_ERR_UNIQUE,      /* a unique key refused the write */
	DB_ERR_UNAVAILABLE, /* the server went away (PostgreSQL restarted, failover) */
	DB_ERR_OTHER,
};

enum db_engine {
	DB_ENGINE_SQLITE,
	DB_ENGINE_POSTGRES,
};

struct arena;
struct db;
struct db_stmt;

/* True when location names a PostgreSQL database (a URL or a libpq
 * key/value string) rather than a SQLite file. */
bool db_location_is_postgres(const char *location);

/* Opens the database at location (a SQLite path or a PostgreSQL URL) with
 * the settings above. Returns the connection, owned by the caller (free
 * with db_close), or NULL with the reason copied into err (size errcap).
 * The reason never carries a password. */
struct db *db_open(const char *location, enum db_flags flags, char *err, size_t errcap);

/* Finalises every statement and closes. NULL is allowed. */
void db_close(struct db *db);

/* Which engine the connection runs on. */
enum db_engine db_engine(const struct db *db);

/* The statement for id, prepared on first use (once per connection),
 * reset and with its bindings cleared. Owned by the connection: never free
 * it. NULL on a prepare error (logged; a bug, since the SQL is static, or
 * the server is unavailable). */
struct db_stmt *db_stmt(struct db *db, enum stmt_id id);

/* Ad-hoc SQL for tests, benchmarks and tools only (tools/fmtcheck refuses
 * it in src/ outside src/db): prepares sql, with ?N placeholders, as a
 * statement of its own. Free it with db_query_free before the connection
 * closes. NULL on a prepare error (db_errmsg says why). */
struct db_stmt *db_query(struct db *db, const char *sql);
void db_query_free(struct db_stmt *s);

/* Bindings, by 1-based index. Text bound with db_bind_text must live until
 * the statement is reset (it is not copied); db_bind_text_copy and
 * db_bind_textn copy. A NULL text binds SQL NULL. Blobs are copied. */
void db_bind_int64(struct db_stmt *s, int i, int64_t v);
void db_bind_int(struct db_stmt *s, int i, int v);
void db_bind_double(struct db_stmt *s, int i, double v);
void db_bind_text(struct db_stmt *s, int i, const char *t);
void db_bind_text_copy(struct db_stmt *s, int i, const char *t);
void db_bind_textn(struct db_stmt *s, int i, const char *t, size_t n);
void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n);
void db_bind_null(struct db_stmt *s, int i);

/* Runs the statement or moves to its next row: DB_ROW, DB_DONE or
 * DB_ERROR. A failed statement inside a transaction leaves the transaction
 * to be rolled back. */
int db_step(struct db_stmt *s);

/* Ends the statement's run (rows left unread are dropped); its bindings
 * stay until db_stmt hands it out again. */
void db_reset(struct db_stmt *s);

/* Columns of the current row, 0-based. A NULL reads as 0 (numbers) or NULL
 * (text, blob). db_col_cstr's pointer is valid until the next step or
 * reset; db_col_text copies into the arena. Booleans read as 0/1. */
int64_t db_col_int64(struct db_stmt *s, int i);
int db_col_int(struct db_stmt *s, int i);
double db_col_double(struct db_stmt *s, int i);
bool db_col_is_null(struct db_stmt *s, int i);
const char *db_col_cstr(struct db_stmt *s, int i);
const char *db_col_text(struct arena *a, struct db_stmt *s, int i);
const void *db_col_blob(struct db_stmt *s, int i);
size_t db_col_bytes(struct db_stmt *s, int i);
int db_col_count(struct db_stmt *s);

/* The id given to the row the connection's last INSERT made. */
int64_t db_last_insert_id(struct db *db);

/* Rows changed by the connection's last INSERT, UPDATE or DELETE. */
int64_t db_changes(struct db *db);

/* Why the connection's last statement failed, and the engine's message
 * (never bound values; owned by the connection, valid until its next
 * statement). */
enum db_error db_error(struct db *db);
const char *db_errmsg(struct db *db);

/* Transactions. db_begin takes the write lock at once (SQLite: BEGIN
 * IMMEDIATE; threads of one process queue on a mutex rather than SQLite's
 * sleeping busy handler; both waits are bounded by the busy timeout), so a
 * transaction never fails half-way for lack of the lock. 0 or -1. */
int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* True inside db_begin … db_commit/db_rollback. */
bool db_in_transaction(struct db *db);

/* ---- Write units.
 *
 * A write unit is the writes of one request (or one command), made durable
 * together or not at all. The request pipeline runs the handler of every
 * unsafe request as one unit (src/app_write.c), so handlers and the model
 * open no transaction of their own.
 *
 * Today the outermost unit is a transaction of its own: db_begin, the work,
 * then COMMIT (one fsync) or ROLLBACK. A unit run inside another one is a
 * SAVEPOINT of the enclosing transaction (SQLite and PostgreSQL both have
 * them): discarding it rolls back to its savepoint and leaves the enclosing
 * unit's writes alone.
 *
 * Group commit (issue 15): the outermost units of the server's threads
 * (connections from db_thread) share transactions. A thread that submits a
 * unit while no group is running becomes the leader: it opens one
 * transaction, runs every unit queued meanwhile (at most DB_GROUP_MAX) on
 * the groups' connection (one for the process, opened by the first leader;
 * db_thread() answers it on the leader's thread while the group runs),
 * each between its SAVEPOINT and its RELEASE (a unit
 * that fails validation rolls back to its savepoint without spoiling the
 * others), and commits once: one fsync for the group. db_unit_run returns
 * to each caller only once that COMMIT is durable, or has failed for the
 * whole group (every kept unit then fails with the COMMIT's error; none is
 * durable). That is why the work is a function and its argument rather
 * than code between two calls: the leader runs it on its connection, in
 * its thread, while the submitting thread waits. The work must therefore
 * reach the database only through the db it is given (or db_thread(),
 * which is the same connection there) and keep no state in thread-locals.
 * Connections opened with db_open (commands, tests, the daily run) run
 * their units alone, as described above.
 *
 * When the engine itself rolls the transaction back in the middle of a unit
 * (SQLite does so on a full disk), the unit fails; the connection stays in
 * a fresh transaction until the unit ends, so that nothing the work writes
 * afterwards can commit on its own. */

enum db_unit_verdict {
	DB_UNIT_KEEP,    /* the work succeeded: make it durable */
	DB_UNIT_DISCARD, /* the work failed or was refused: roll it back */
};

/* The work of a unit: runs its statements on db and gives its verdict. */
typedef enum db_unit_verdict (*db_unit_fn)(struct db *db, void *arg);

/* What became of a unit. */
enum db_unit_outcome {
	DB_UNIT_COMMITTED, /* kept: durable (outermost unit) or now part of the
			      enclosing unit */
	DB_UNIT_DISCARDED, /* the work said discard: nothing of it is stored */
	DB_UNIT_FAILED,    /* the unit could not start, the engine lost its
			      transaction, a statement met a full disk, or COMMIT
			      failed: nothing of it is stored */
};

/* Runs fn(db, arg) as a write unit (above). *why (may be NULL) gets the
 * error that made the unit fail, or else the first error a statement of the
 * unit met (a full disk always wins: it is the reason a user must be told);
 * DB_ERR_NONE when there was none. 0 never means durable by itself: read
 * the outcome. */
enum db_unit_outcome db_unit_run(struct db *db, db_unit_fn fn, void *arg, enum db_error *why);

/* ---- Bulk loads: an engine capability.
 *
 * Rows appended to one table inside the caller's transaction, as fast as
 * the engine allows. The statement-table entry gives both forms:
 *   STMTV(ID, "INSERT INTO t (a, b) VALUES (?1, ?2)", "COPY t (a, b) FROM STDIN")
 * SQLite runs the INSERT, prepared once and stepped per row (a call in
 * process). PostgreSQL runs the COPY: the rows are encoded in COPY's text
 * format and streamed in messages of about 64 KB (PQputCopyData), not one
 * round trip per row. The values of a row are given in column order, then
 * db_bulk_row ends the row. While a load is open, its connection runs no
 * other statement (PostgreSQL's COPY holds it).
 *
 * Errors: SQLite refuses a row at its db_bulk_row; PostgreSQL checks the
 * rows as they arrive and reports a refusal at the latest at db_bulk_end.
 * Either way the caller's transaction must then be rolled back, and
 * db_bulk_end's *bad_row says which row was refused (1-based since
 * db_bulk_begin; 0 when the engine did not say). Memory stays bounded: at
 * most one message is held. */
struct db_bulk;

/* Starts a bulk load with the statement id (above) on db, inside a
 * transaction. The load is owned by the caller: end it with db_bulk_end.
 * NULL on error (db_errmsg says why). */
struct db_bulk *db_bulk_begin(struct db *db, enum stmt_id id);

/* The same with ad-hoc SQL (both forms), for src/db and tools only, as
 * db_query (tools/fmtcheck enforces it). */
struct db_bulk *db_bulk_begin_sql(struct db *db, const char *insert_sql, const char *copy_sql);

/* The next value of the current row. Text and blobs are copied (a NULL
 * text is SQL NULL). After a failed row, values are ignored. */
void db_bulk_int64(struct db_bulk *b, int64_t v);
void db_bulk_double(struct db_bulk *b, double v);
void db_bulk_text(struct db_bulk *b, const char *t);
void db_bulk_textn(struct db_bulk *b, const char *t, size_t n);
void db_bulk_blob(struct db_bulk *b, const void *p, size_t n);
void db_bulk_null(struct db_bulk *b);

/* Ends the current row. 0, or -1 when the engine refused it or the
 * connection failed (the load is then failed: db_bulk_end says why). */
int db_bulk_row(struct db_bulk *b);

/* Ends the load and frees it (NULL allowed: -1). 0 when every row was
 * stored; -1 otherwise, with db_error/db_errmsg set and *bad_row (may be
 * NULL) the refused row when known, else 0. */
int db_bulk_end(struct db_bulk *b, int64_t *bad_row);

/* Secondary indexes set aside for a bulk load into tables that start
 * empty: db_bulk_indexes_defer drops the indexes of the named tables that
 * do not enforce a key (primary keys and unique constraints stay, so
 * lookups by key and conflicts work as before), inside the caller's
 * transaction, and db_bulk_indexes_restore builds them again from their
 * own definitions, read from the engine's catalogue, before the commit.
 * Building an index once over the loaded rows costs less than keeping it
 * row by row. A rollback brings them back unchanged (the engine's DDL is
 * transactional), so a refused load leaves the schema as it was. An engine
 * where a dropped index would lock the table's readers out until the
 * commit (PostgreSQL) sets nothing aside. Queries of the load that used a
 * deferred index still run, without it. */
struct db_bulk_indexes;

/* Sets aside the secondary indexes of the n tables. The caller owns the
 * result: db_bulk_indexes_restore or db_bulk_indexes_free frees it (NULL:
 * an error, db_errmsg says why). */
struct db_bulk_indexes *db_bulk_indexes_defer(struct db *db, const char *const *tables, size_t n);

/* Builds the indexes set aside again and frees d (NULL: -1). 0, or -1 (the
 * caller rolls back). */
int db_bulk_indexes_restore(struct db_bulk_indexes *d);

/* Frees d without building its indexes (NULL allowed): after a rollback,
 * which brought them back. */
void db_bulk_indexes_free(struct db_bulk_indexes *d);

/* The most units one group commit holds. */
#define DB_GROUP_MAX 64

/* What the group commits of this process did since it started. */
struct db_group_stats {
	uint64_t groups;  /* transactions committed or tried */
	uint64_t units;   /* units run in them */
	uint64_t largest; /* the most units in one group */
	/* The leaders' CPU time (their thread's clock), in nanoseconds: in the
	 * units' work (BEGIN, the savepoints, every unit), and in the COMMITs
	 * (writing the WAL, the checkpoint when one runs there). This is the
	 * serial part of the write path: one leader at a time. */
	uint64_t work_cpu_ns;
	uint64_t commit_cpu_ns;
	/* Wall time of the groups (BEGIN to the COMMIT's return): the slowest
	 * one, and how many took DB_GROUP_SLOW_MS or more. A write's latency
	 * beyond these is spent outside the database (waiting for a CPU, in
	 * the HTTP layer, behind another connection of the same thread). */
	uint64_t slowest_ns;
	uint64_t slow;
};

/* A group this slow (ms) counts in db_group_stats' slow. */
#define DB_GROUP_SLOW_MS 20

/* Copies the counts into *out (thread-safe). */
void db_group_stats(struct db_group_stats *out);

/* Sets how long db_begin waits for the write lock; 0 = fail at once when
 * another connection writes. */
void db_set_busy_timeout(struct db *db, int ms);

/* Runs an embedded multi-statement script (migrations, tests). 0 or -1,
 * with the engine's message in err. */
int db_exec_script(struct db *db, const char *sql, char *err, size_t errcap);

/* Logs the connection's last error with the event name. */
void db_log_error(struct db *db, const char *event);

/* The engine's library version, for `proxima version`. */
const char *db_engine_version(enum db_engine e);

/* Per-thread connections for the server. db_thread_setup() records the
 * location once at start-up; db_thread() returns this thread's connection,
 * opening it on first use (NULL if that fails), or the groups' connection
 * while this thread leads a group; its outermost write units join group
 * commits (above). db_thread_close_all() closes every thread's connection
 * and the groups' after the threads have stopped, and logs what the group
 * commits did (event=db.groups: groups, units, the largest group, the
 * leaders' CPU per unit in the units' work and in the COMMITs).
 *
 * Test hook, read by db_thread_setup: PROXIMA_TEST_FAIL_COMMIT=N makes
 * every Nth group COMMIT fail as a full disk would (rolled back, every unit
 * of the group failed with DB_ERR_FULL). A warning is logged when set. */
void db_thread_setup(const char *location);
struct db *db_thread(void);

/* How many times db_thread_setup() ran in this process: what the threads'
 * connections reach changes with it (model/memo.h forgets what it kept). */
unsigned db_thread_generation(void);
void db_thread_close_all(void);

/* True when this thread's connection met a lost server (PostgreSQL
 * restarted or failed over) at its last statement: the request pipeline
 * then answers 503 rather than 500. The next statement reconnects. */
bool db_thread_lost(void);

/* Process-wide set-up before any connection: the embedded engine's
 * allocator statistics off, the C library's heap told to keep freed
 * memory rather than return it to the kernel after every statement
 * (src/db/sqlite.c says why), and the files' layer under SQLite that
 * gathers a WAL's writes (src/db/sqlite_vfs.c). Call from main before any
 * thread starts; later calls do nothing (the first SQLite connection makes
 * it too). */
void db_global_init(void);

#endif
