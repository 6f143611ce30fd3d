/* The SQLite engine behind db.h: the embedded default. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/log.h"
#include "core/util.h"
#include "db/engine.h"

struct checkpointer;

struct sq_db {
	struct db base; /* first: a struct db * is a struct sq_db * */
	sqlite3 *h;
	struct checkpointer *ckpt; /* the groups' writer only (db_sqlite_writer_setup) */
	/* The write path's fixed statements, prepared on first use: a group
	 * commit ran SAVEPOINT and RELEASE through sqlite3_exec, which parses
	 * and compiles them again for every unit. */
	sqlite3_stmt *fixed[DB_FIXED__COUNT];
};

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *s;
};

static sqlite3 *H(struct db *db)
{
	return ((struct sq_db *)db)->h;
}

static sqlite3_stmt *S(struct db_stmt *s)
{
	return ((struct sq_stmt *)s)->s;
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

static struct db_stmt *wrap(sqlite3_stmt *s)
{
	struct sq_stmt *st = calloc(1, sizeof(*st));
	if (!st)
		die_oom();
	st->s = s;
	return &st->base;
}

static struct db_stmt *sq_prepare(struct db *db, enum stmt_id id)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(H(db), stmt_sql(id, DB_ENGINE_SQLITE), -1, SQLITE_PREPARE_PERSISTENT,
			       &s, NULL) != SQLITE_OK)
		return NULL;
	return wrap(s);
}

static struct db_stmt *sq_prepare_sql(struct db *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(H(db), sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	return wrap(s);
}

static void sq_finalize(struct db_stmt *s)
{
	sqlite3_finalize(S(s));
	free(s);
}

static void sq_rewind(struct db_stmt *s)
{
	sqlite3_reset(S(s));
	sqlite3_clear_bindings(S(s));
}

static void sq_bind_int64(struct db_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(S(s), i, v);
}

static void sq_bind_double(struct db_stmt *s, int i, double v)
{
	sqlite3_bind_double(S(s), i, v);
}

static void sq_bind_text(struct db_stmt *s, int i, const char *t, size_t n, bool copy)
{
	sqlite3_bind_text64(S(s), i, t, n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC, SQLITE_UTF8);
}

static void sq_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	sqlite3_bind_blob64(S(s), i, p, n, SQLITE_TRANSIENT);
}

static void sq_bind_null(struct db_stmt *s, int i)
{
	sqlite3_bind_null(S(s), i);
}

static int sq_step(struct db_stmt *s)
{
	int rc = sqlite3_step(S(s));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return DB_ERROR;
}

static void sq_reset(struct db_stmt *s)
{
	sqlite3_reset(S(s));
}

static int64_t sq_col_int64(struct db_stmt *s, int i)
{
	return sqlite3_column_int64(S(s), i);
}

static double sq_col_double(struct db_stmt *s, int i)
{
	return sqlite3_column_double(S(s), i);
}

static bool sq_col_is_null(struct db_stmt *s, int i)
{
	return sqlite3_column_type(S(s), i) == SQLITE_NULL;
}

static const char *sq_col_cstr(struct db_stmt *s, int i, size_t *len)
{
	const unsigned char *t = sqlite3_column_text(S(s), i);
	if (len)
		*len = t ? (size_t)sqlite3_column_bytes(S(s), i) : 0;
	return (const char *)t;
}

static const void *sq_col_blob(struct db_stmt *s, int i, size_t *len)
{
	const void *p = sqlite3_column_blob(S(s), i);
	if (len)
		*len = p ? (size_t)sqlite3_column_bytes(S(s), i) : 0;
	return p;
}

static int sq_col_count(struct db_stmt *s)
{
	return sqlite3_column_count(S(s));
}

static int64_t sq_last_insert_id(struct db *db)
{
	return sqlite3_last_insert_rowid(H(db));
}

static int64_t sq_changes(struct db *db)
{
	return sqlite3_changes64(H(db));
}

static enum db_error sq_error(struct db *db)
{
	int x = sqlite3_extended_errcode(H(db));
	switch (x & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return DB_ERR_NONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_ERR_BUSY;
	case SQLITE_FULL: return DB_ERR_FULL;
	case SQLITE_CONSTRAINT:
		return x == SQLITE_CONSTRAINT_UNIQUE || x == SQLITE_CONSTRAINT_PRIMARYKEY
			       ? DB_ERR_UNIQUE
			       : DB_ERR_CONSTRAINT;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN: return DB_ERR_UNAVAILABLE;
	default: return DB_ERR_OTHER;
	}
}

static const char *sq_errmsg(struct db *db)
{
	return sqlite3_errmsg(H(db));
}

static int sq_exec(struct db *db, const char *sql)
{
	return sqlite3_exec(H(db), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int sq_exec_fixed(struct db *db, enum db_fixed slot, const char *sql)
{
	struct sq_db *sq = (struct sq_db *)db;
	BUG_ON((unsigned)slot >= DB_FIXED__COUNT);
	sqlite3_stmt **s = &sq->fixed[slot];
	if (!*s &&
	    sqlite3_prepare_v3(sq->h, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(*s);
	sqlite3_reset(*s); /* after an error, keeps it as the connection's */
	return rc == SQLITE_DONE ? 0 : -1;
}

static int sq_begin(struct db *db)
{
	return sq_exec_fixed(db, DB_FIXED_BEGIN, "BEGIN IMMEDIATE");
}

static bool sq_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(H(db));
}

static void sq_set_busy_timeout(struct db *db, int ms)
{
	sqlite3_busy_timeout(H(db), ms);
}

static void checkpointer_stop(struct checkpointer *c);

static void sq_close(struct db *db)
{
	struct sq_db *sq = (struct sq_db *)db;
	checkpointer_stop(sq->ckpt);
	for (size_t i = 0; i < DB_FIXED__COUNT; i++)
		sqlite3_finalize(sq->fixed[i]); /* NULL: a no-op */
	sqlite3_close(H(db));
	free(db);
}

static const struct db_ops sqlite_ops = {
	.prepare = sq_prepare,
	.prepare_sql = sq_prepare_sql,
	.finalize = sq_finalize,
	.rewind = sq_rewind,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.col_int64 = sq_col_int64,
	.col_double = sq_col_double,
	.col_is_null = sq_col_is_null,
	.col_cstr = sq_col_cstr,
	.col_blob = sq_col_blob,
	.col_count = sq_col_count,
	.last_insert_id = sq_last_insert_id,
	.changes = sq_changes,
	.error = sq_error,
	.errmsg = sq_errmsg,
	.exec = sq_exec,
	.exec_fixed = sq_exec_fixed,
	.begin = sq_begin,
	.in_transaction = sq_in_transaction,
	.set_busy_timeout = sq_set_busy_timeout,
	.close = sq_close,
};

/* Runs a pragma whose result rows, if any, are ignored. */
static int pragma(sqlite3 *h, const char *sql)
{
	return sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

struct db *db_sqlite_open(const char *path, enum db_flags flags, char *err, size_t errcap)
{
	db_global_init(); /* the files' layer, before the first connection */
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (flags & DB_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, oflags, NULL);
	if (rc != SQLITE_OK) {
		if (err && errcap)
			snprintf(err, errcap, "cannot open database %s: %s", path,
				 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, DB_BUSY_TIMEOUT_MS);
	if (pragma(h, "PRAGMA journal_mode=WAL") < 0 || pragma(h, "PRAGMA foreign_keys=ON") < 0 ||
	    pragma(h, "PRAGMA synchronous=FULL") < 0 ||
	    /* 32 MiB of page cache per connection (one per server thread)
	     * instead of SQLite's 2 MiB: a dashboard's index pages stay in
	     * memory between requests (docs/performance.md). */
	    pragma(h, "PRAGMA cache_size=-32768") < 0) {
		if (err && errcap)
			snprintf(err, errcap, "cannot set up database %s: %s", path,
				 sqlite3_errmsg(h));
		sqlite3_close(h);
		return NULL;
	}
	int ms = db_slow_ms();
	if (ms >= 0)
		sqlite3_trace_v2(h, SQLITE_TRACE_PROFILE, slow_sql_cb, (void *)(intptr_t)ms);
	struct sq_db *db = calloc(1, sizeof(*db));
	if (!db)
		die_oom();
	db->base.ops = &sqlite_ops;
	db->base.engine = DB_ENGINE_SQLITE;
	db->h = h;
	return &db->base;
}

/* ---- The writer's WAL checkpoints, off the groups' path.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL
 * past 1,000 pages: the group's leader copied the WAL into the database and
 * synced it while every other writer waited. The writer turns it off (its
 * WAL hook replaces the automatic one) and wakes a thread of its own
 * instead, which checkpoints on its own connection (PASSIVE: it never waits
 * for the writer, nor makes it wait), again and again while the WAL is
 * long, each pass copying what the writer added during the previous one.
 * SQLite reuses the WAL from its start only once all of it was copied,
 * which a thread racing the writer seldom sees: when the checkpointer's
 * last pass left at most WAL_TAIL_PAGES behind, the leader copies that
 * tail itself after its COMMIT (a few pages and one sync), and the next
 * group starts the WAL over. Should the thread fall behind (a disk much
 * slower than the writes), the leader checkpoints itself once the WAL
 * holds WAL_HARD_PAGES: the WAL's growth is bounded. */

#define WAL_SOFT_PAGES 1000  /* wake the checkpointer: SQLite's default point */
#define WAL_TAIL_PAGES 256   /* what the leader copies itself to start the WAL over */
#define WAL_HARD_PAGES 16000 /* the leader checkpoints itself: 64 MiB of 4 KiB pages */

struct checkpointer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	sqlite3 *h; /* its own connection to the writer's database */
	bool due;   /* the writer's WAL passed WAL_SOFT_PAGES since the last run */
	bool stop;
	int copied; /* the WAL's pages copied by the last pass (0: none since the
		       leader's own checkpoint) */
};

/* The checkpointer's loop: one PASSIVE checkpoint each time it is woken. */
static void *checkpointer_run(void *arg)
{
	struct checkpointer *c = arg;
	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->due && !c->stop)
			pthread_cond_wait(&c->wake, &c->mu);
		if (c->stop)
			break;
		c->due = false;
		pthread_mutex_unlock(&c->mu);
		int wal = 0, copied = 0;
		int rc = sqlite3_wal_checkpoint_v2(c->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &wal,
						   &copied);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY)
			log_warn("db.checkpoint", "rc=%d msg=%s", rc, sqlite3_errmsg(c->h));
		pthread_mutex_lock(&c->mu);
		c->copied = rc == SQLITE_OK ? copied : 0;
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* The writer's WAL hook, after each of its COMMITs (sqlite3_wal_hook);
 * pages: the WAL's length. */
static int on_wal_commit(void *arg, sqlite3 *h, const char *name, int pages)
{
	struct checkpointer *c = arg;
	if (pages < WAL_SOFT_PAGES)
		return SQLITE_OK;
	pthread_mutex_lock(&c->mu);
	bool tail = c->copied > 0 && pages - c->copied <= WAL_TAIL_PAGES;
	if (tail)
		c->copied = 0;
	else
		c->due = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->mu);
	if (pages >= WAL_HARD_PAGES)
		log_warn("db.checkpoint", "reason=wal_hard_limit pages=%d", pages);
	if (tail || pages >= WAL_HARD_PAGES)
		sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

/* Starts the checkpointer of writer h: a new thread on a new connection to
 * h's database. NULL when either cannot be made (logged). */
static struct checkpointer *checkpointer_start(sqlite3 *h)
{
	struct checkpointer *c = calloc(1, sizeof(*c));
	if (!c)
		die_oom();
	const char *path = sqlite3_db_filename(h, "main");
	int rc = sqlite3_open_v2(path ? path : "", &c->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	/* A new connection knows the database is in WAL mode once it read it. */
	if (rc == SQLITE_OK && pragma(c->h, "PRAGMA journal_mode=WAL") < 0)
		rc = sqlite3_errcode(c->h);
	if (rc != SQLITE_OK) {
		log_error("db.checkpoint", "reason=open msg=%s", sqlite3_errstr(rc));
		sqlite3_close(c->h);
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->wake, NULL);
	if (pthread_create(&c->thread, NULL, checkpointer_run, c) != 0) {
		log_error("db.checkpoint", "reason=thread");
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->mu);
		sqlite3_close(c->h);
		free(c);
		return NULL;
	}
	return c;
}

/* Stops the checkpointer (NULL allowed) and frees it. */
static void checkpointer_stop(struct checkpointer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->mu);
	sqlite3_close(c->h);
	free(c);
}

int db_sqlite_writer_setup(struct db *db)
{
	/* A group commit runs each unit under its own savepoint: every page a
	 * unit changes first is copied to the transaction's sub-journal, about
	 * 44 KiB per activity. With temporary files on disk, SQLite spills a
	 * sub-journal above 64 KiB to one, so a group of a few writes went
	 * through pwrite for pages that are only read back on a rollback (18 %
	 * of the server's CPU). In memory, the journal grows by small blocks
	 * and never spills; this connection only runs write units. */
	if (pragma(H(db), "PRAGMA temp_store=MEMORY") < 0)
		return -1;
	struct sq_db *sq = (struct sq_db *)db;
	if (sq->ckpt)
		return 0;
	sq->ckpt = checkpointer_start(sq->h);
	if (!sq->ckpt)
		return 0; /* SQLite's automatic checkpoint stays */
	sqlite3_wal_hook(sq->h, on_wal_commit, sq->ckpt);
	return 0;
}

void *db_sqlite_raw(struct db *db)
{
	return db->engine == DB_ENGINE_SQLITE ? H(db) : NULL;
}

const char *db_sqlite_version(void)
{
	return sqlite3_libversion();
}

/* How much free memory at the top of a malloc heap glibc keeps rather
 * than giving it back to the kernel, and the size from which a block is
 * mapped on its own: both fixed at values no single write reaches. */
#define HEAP_KEEP_BYTES (32 << 20)
#define HEAP_MMAP_FROM_BYTES (4 << 20)

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
	/* No global mutex around every sqlite3_malloc to count memory. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#ifdef __GLIBC__
	/* Every write statement that runs over a temporary b-tree (a
	 * materialised CTE, a UNION) or a statement journal allocates about
	 * 100 KiB and frees it when the statement ends. On a thread's heap,
	 * glibc's default (trim above 128 KiB of free top) then returns that
	 * memory with madvise at the end of nearly every statement, and the
	 * next one faults it back in page by page: a TLB shoot-down across
	 * every CPU that runs one of the server's threads, then a page fault
	 * per 4 KiB. That was most of the CPU of a durable write
	 * (docs/performance.md, "Write path"). The memory kept is at most
	 * what the busiest moment used. */
	mallopt(M_TRIM_THRESHOLD, HEAP_KEEP_BYTES);
	mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_FROM_BYTES);
#endif
	if (db_sqlite_vfs_register() < 0)
		log_warn("db.vfs", "reason=not_registered");
}

void db_global_init(void)
{
	pthread_once(&global_once, global_init);
}
