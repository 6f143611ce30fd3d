#include "db/db.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/util.h"

struct db {
	sqlite3 *h;
	sqlite3_stmt *stmts[STMT__COUNT];
	bool writing;           /* holds write_lock, inside BEGIN IMMEDIATE … COMMIT */
	int busy_ms;            /* how long db_begin waits for the write lock */
	struct db *next_thread; /* registry of per-thread connections */
};

static void set_err(char *err, size_t cap, const char *msg)
{
	if (err && cap)
		str_copy(err, cap, msg);
}

/* Slow-statement log: PROXIMA_SLOW_SQL_MS=N logs, at warn level, every
 * statement whose run took N ms or more, with the first 200 bytes of its
 * SQL (never its bound values, which may be nominative). Off when unset. */
static int slow_sql_cb(unsigned type, void *ctx, void *p, void *x)
{
	int64_t limit_ns = (int64_t)(intptr_t)ctx * 1000000;
	if (type != SQLITE_TRACE_PROFILE || *(sqlite3_int64 *)x < limit_ns)
		return 0;
	char v[260];
	log_warn("db.slow", "ms=%lld sql=%s", (long long)(*(sqlite3_int64 *)x / 1000000),
		 log_value(v, sizeof(v), sqlite3_sql((sqlite3_stmt *)p)));
	return 0;
}

static void slow_sql_setup(sqlite3 *h)
{
	const char *env = getenv("PROXIMA_SLOW_SQL_MS");
	int64_t ms;
	if (env && parse_i64(env, 0, 3600000, &ms) == 0)
		sqlite3_trace_v2(h, SQLITE_TRACE_PROFILE, slow_sql_cb, (void *)(intptr_t)ms);
}

/* Runs a pragma whose result rows, if any, are ignored. */
static int pragma(sqlite3 *h, const char *sql)
{
	return sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

struct db *db_open(const char *path, enum db_flags flags, char *err, size_t errcap)
{
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (flags & DB_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, oflags, NULL);
	if (rc != SQLITE_OK) {
		char msg[512];
		snprintf(msg, sizeof(msg), "cannot open database %s: %s", path,
			 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		set_err(err, errcap, msg);
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, DB_BUSY_TIMEOUT_MS);
	if (pragma(h, "PRAGMA journal_mode=WAL") < 0 || pragma(h, "PRAGMA foreign_keys=ON") < 0 ||
	    pragma(h, "PRAGMA synchronous=FULL") < 0) {
		char msg[512];
		snprintf(msg, sizeof(msg), "cannot set up database %s: %s", path,
			 sqlite3_errmsg(h));
		set_err(err, errcap, msg);
		sqlite3_close(h);
		return NULL;
	}
	slow_sql_setup(h);
	struct db *db = calloc(1, sizeof(*db));
	if (!db)
		die_oom();
	db->h = h;
	db->busy_ms = DB_BUSY_TIMEOUT_MS;
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->writing)
		db_rollback(db);
	for (size_t i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(db->stmts[i]);
	sqlite3_close(db->h);
	free(db);
}

sqlite3 *db_handle(struct db *db)
{
	return db->h;
}

const char *db_col_text(struct arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(s, i)) : NULL;
}

void db_log_error(struct db *db, const char *event)
{
	char v[300];
	log_error(event, "code=%d msg=%s", sqlite3_extended_errcode(db->h),
		  log_value(v, sizeof(v), sqlite3_errmsg(db->h)));
}

sqlite3_stmt *db_stmt(struct db *db, enum stmt_id id)
{
	BUG_ON((unsigned)id >= STMT__COUNT);
	sqlite3_stmt *s = db->stmts[id];
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(db->h, stmt_sql(id), -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
	    SQLITE_OK) {
		db_log_error(db, "db.prepare");
		return NULL;
	}
	db->stmts[id] = s;
	return s;
}

/* SQLite allows one writer at a time. Threads of this process queue on a
 * mutex instead of polling SQLite's busy handler, which sleeps for
 * milliseconds between tries; other processes (an import, the command
 * line) still meet the busy timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void release_write(struct db *db)
{
	if (db->writing) {
		db->writing = false;
		pthread_mutex_unlock(&write_lock);
	}
}

void db_set_busy_timeout(struct db *db, int ms)
{
	db->busy_ms = ms < 0 ? 0 : ms;
	sqlite3_busy_timeout(db->h, db->busy_ms);
}

/* Waits up to the connection's busy timeout for the process's write lock,
 * like SQLite would for another process. 0 or -1 (timed out). */
static int acquire_write(struct db *db)
{
	if (db->busy_ms == 0)
		return pthread_mutex_trylock(&write_lock) == 0 ? 0 : -1;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += db->busy_ms / 1000;
	until.tv_nsec += (long)(db->busy_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return pthread_mutex_timedlock(&write_lock, &until) == 0 ? 0 : -1;
}

int db_begin(struct db *db)
{
	BUG_ON(db->writing);
	if (acquire_write(db) < 0) {
		log_warn("db.begin", "reason=write_lock_timeout ms=%d", db->busy_ms);
		return -1;
	}
	db->writing = true;
	if (pragma(db->h, "BEGIN IMMEDIATE") < 0) {
		db_log_error(db, "db.begin");
		release_write(db);
		return -1;
	}
	return 0;
}

int db_commit(struct db *db)
{
	if (pragma(db->h, "COMMIT") < 0) {
		db_log_error(db, "db.commit");
		db_rollback(db);
		return -1;
	}
	release_write(db);
	return 0;
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		pragma(db->h, "ROLLBACK");
	release_write(db);
}

int db_exec_script(struct db *db, const char *script, char *err, size_t errcap)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, script, NULL, NULL, &msg) != SQLITE_OK) {
		set_err(err, errcap, msg ? msg : "unknown error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static char *thread_db_path;
static _Thread_local struct db *thread_db;
static struct db *thread_dbs;
static pthread_mutex_t thread_dbs_lock = PTHREAD_MUTEX_INITIALIZER;

void db_thread_setup(const char *path)
{
	free(thread_db_path);
	thread_db_path = strdup(path);
	if (!thread_db_path)
		die_oom();
}

struct db *db_thread(void)
{
	if (thread_db)
		return thread_db;
	char err[512];
	struct db *db = db_open(thread_db_path, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		char v[600];
		log_error("db.open", "msg=%s", log_value(v, sizeof(v), err));
		return NULL;
	}
	pthread_mutex_lock(&thread_dbs_lock);
	db->next_thread = thread_dbs;
	thread_dbs = db;
	pthread_mutex_unlock(&thread_dbs_lock);
	thread_db = db;
	return db;
}

void db_thread_close_all(void)
{
	pthread_mutex_lock(&thread_dbs_lock);
	struct db *db = thread_dbs;
	thread_dbs = NULL;
	pthread_mutex_unlock(&thread_dbs_lock);
	while (db) {
		struct db *next = db->next_thread;
		db_close(db);
		db = next;
	}
	thread_db = NULL;
	free(thread_db_path);
	thread_db_path = NULL;
}
