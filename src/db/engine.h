/* Inside src/db only: what an engine provides behind db.h. db.c owns the
 * common parts (the statement cache, the process's write lock, the
 * per-thread registry) and calls an engine through its operations table.
 * Each engine's connection and statement structures embed struct db and
 * struct db_stmt as their first member. */
#ifndef PROXIMA_DB_ENGINE_H
#define PROXIMA_DB_ENGINE_H

#include "db/db.h"

struct db_ops;

/* Nested write units a connection can hold (db.c: one savepoint each). */
#define DB_SAVEPOINT_DEPTH 5

/* The fixed statements of the write path (db_ops.exec_fixed): BEGIN, COMMIT,
 * then SAVEPOINT, RELEASE and ROLLBACK TO for each nesting depth. */
enum db_fixed {
	DB_FIXED_BEGIN,
	DB_FIXED_COMMIT,
	DB_FIXED_SAVEPOINTS, /* + 3 * (depth - 1) + SAVEPOINT 0, RELEASE 1, ROLLBACK TO 2 */
	DB_FIXED__COUNT = DB_FIXED_SAVEPOINTS + 3 * DB_SAVEPOINT_DEPTH,
};

struct db {
	const struct db_ops *ops;
	enum db_engine engine;
	struct db_stmt *stmts[STMT__COUNT];
	bool writing;           /* inside db_begin … commit/rollback */
	int unit_depth;         /* write units running (db_unit_run), nested */
	enum db_error unit_err; /* first error a statement of the units met */
	bool unit_lost;         /* the engine rolled the units' transaction back */
	bool holds_lock;        /* holds the process's SQLite write mutex */
	int busy_ms;            /* how long db_begin waits for the write lock */
	bool grouped;           /* a server thread's: its units join group commits */
	struct db *next_thread; /* registry of per-thread connections */
};

struct db_stmt {
	struct db *db;
	enum stmt_id id; /* STMT__COUNT for an ad-hoc statement */
};

struct db_ops {
	/* Prepares id's SQL (the engine's variant) on db. NULL on error. */
	struct db_stmt *(*prepare)(struct db *db, enum stmt_id id);
	/* Prepares ad-hoc SQL (?N placeholders) as a statement of its own. */
	struct db_stmt *(*prepare_sql)(struct db *db, const char *sql);
	void (*finalize)(struct db_stmt *s);
	/* Reset and clear bindings (before reuse). */
	void (*rewind)(struct db_stmt *s);
	void (*bind_int64)(struct db_stmt *s, int i, int64_t v);
	void (*bind_double)(struct db_stmt *s, int i, double v);
	void (*bind_text)(struct db_stmt *s, int i, const char *t, size_t n, bool copy);
	void (*bind_blob)(struct db_stmt *s, int i, const void *p, size_t n);
	void (*bind_null)(struct db_stmt *s, int i);
	int (*step)(struct db_stmt *s);
	void (*reset)(struct db_stmt *s);
	int64_t (*col_int64)(struct db_stmt *s, int i);
	double (*col_double)(struct db_stmt *s, int i);
	bool (*col_is_null)(struct db_stmt *s, int i);
	/* len may be NULL; otherwise it gets the value's size in bytes. */
	const char *(*col_cstr)(struct db_stmt *s, int i, size_t *len);
	const void *(*col_blob)(struct db_stmt *s, int i, size_t *len);
	int (*col_count)(struct db_stmt *s);
	int64_t (*last_insert_id)(struct db *db);
	int64_t (*changes)(struct db *db);
	enum db_error (*error)(struct db *db);
	const char *(*errmsg)(struct db *db);
	/* Runs a statement with no parameters and no rows (BEGIN, COMMIT…) or a
	 * script. 0 or -1. */
	int (*exec)(struct db *db, const char *sql);
	/* Runs sql, the write path's fixed statement slot (always the same
	 * text for a slot), like exec; the engine may keep it prepared on the
	 * connection. NULL: db.c runs it through exec. 0 or -1. */
	int (*exec_fixed)(struct db *db, enum db_fixed slot, const char *sql);
	/* Lock-free part of db_begin (the SQLite engine's mutex is db.c's). */
	int (*begin)(struct db *db);
	bool (*in_transaction)(struct db *db);
	void (*set_busy_timeout)(struct db *db, int ms);
	void (*close)(struct db *db);
	/* COPY … FROM STDIN (db_bulk_*; NULL: the engine inserts row by row).
	 * copy_begin runs sql; copy_put sends n bytes of rows; copy_end ends
	 * the COPY (abandons it when abandon is true) and gives the refused
	 * row (1-based; 0 when unknown). Each 0 or -1 with the error set;
	 * copy_end is -1 after an abandon, and keeps the error already set. */
	int (*copy_begin)(struct db *db, const char *sql);
	int (*copy_put)(struct db *db, const char *p, size_t n);
	int (*copy_end)(struct db *db, bool abandon, int64_t *bad_row);
};

/* Engine constructors: a connection with db.ops/engine filled in, or NULL
 * with the reason in err. */
struct db *db_sqlite_open(const char *path, enum db_flags flags, char *err, size_t errcap);
struct db *db_pg_open(const char *conninfo, char *err, size_t errcap);

/* Sets up a SQLite connection as the group commits' writer (db.c): its
 * savepoint journals stay in memory, and its WAL checkpoints run on a
 * thread of their own (sqlite.c), stopped when db is closed. 0 or -1
 * (db_errmsg says why). */
int db_sqlite_writer_setup(struct db *db);

/* Makes the files under SQLite those of sqlite_vfs.c (the platform's, with
 * a WAL's writes gathered into one write until a sync, a read or a
 * publication: see there why) for every connection opened afterwards.
 * Called once, by db_global_init. 0 or -1 (then SQLite's own stays). */
int db_sqlite_vfs_register(void);

/* What the WAL files of this process handed to SQLite and to the kernel
 * since it started: the writes SQLite made (a frame's header or its page
 * each) and the writes passed on to the kernel. */
struct db_wal_stats {
	uint64_t sqlite_writes;
	uint64_t kernel_writes;
};
void db_wal_stats(struct db_wal_stats *out);

/* Library versions. */
const char *db_sqlite_version(void);
const char *db_pg_version(void);

/* The sqlite3 handle of a SQLite connection (NULL on PostgreSQL), for the
 * fuzzers' in-memory snapshots only. */
void *db_sqlite_raw(struct db *db);

/* The slow-statement threshold in ms from PROXIMA_SLOW_SQL_MS (read once),
 * or -1 when off. */
int db_slow_ms(void);

#endif
