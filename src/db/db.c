#include "db/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/util.h"
#include "db/engine.h"

static void set_err(char *err, size_t cap, const char *msg)
{
	if (err && cap)
		str_copy(err, cap, msg);
}

bool db_location_is_postgres(const char *loc)
{
	if (!loc)
		return false;
	if (strncmp(loc, "postgresql://", 13) == 0 || strncmp(loc, "postgres://", 11) == 0)
		return true;
	/* A libpq key/value string: "host=… dbname=…". A file name holds no
	 * "dbname=" or "host=" at its start. */
	return strncmp(loc, "dbname=", 7) == 0 || strncmp(loc, "host=", 5) == 0 ||
	       strncmp(loc, "service=", 8) == 0;
}

static int slow_ms = -2;
static pthread_once_t slow_once = PTHREAD_ONCE_INIT;

static void slow_read(void)
{
	const char *env = getenv("PROXIMA_SLOW_SQL_MS");
	int64_t ms;
	slow_ms = env && parse_i64(env, 0, 3600000, &ms) == 0 ? (int)ms : -1;
}

int db_slow_ms(void)
{
	pthread_once(&slow_once, slow_read);
	return slow_ms;
}

struct db *db_open(const char *loc, enum db_flags flags, char *err, size_t errcap)
{
	if (!loc || !*loc) {
		set_err(err, errcap, "no database given");
		return NULL;
	}
	struct db *db = db_location_is_postgres(loc) ? db_pg_open(loc, err, errcap)
						     : db_sqlite_open(loc, flags, err, errcap);
	if (db)
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
		if (db->stmts[i])
			db->ops->finalize(db->stmts[i]);
	db->ops->close(db);
}

enum db_engine db_engine(const struct db *db)
{
	return db->engine;
}

const char *db_engine_version(enum db_engine e)
{
	return e == DB_ENGINE_POSTGRES ? db_pg_version() : db_sqlite_version();
}

struct db_stmt *db_stmt(struct db *db, enum stmt_id id)
{
	BUG_ON((unsigned)id >= STMT__COUNT);
	struct db_stmt *s = db->stmts[id];
	if (s) {
		db->ops->rewind(s);
		return s;
	}
	s = db->ops->prepare(db, id);
	if (!s) {
		char v[300];
		log_error("db.prepare", "stmt=%s code=%d msg=%s", stmt_name(id), db_error(db),
			  log_value(v, sizeof(v), db_errmsg(db)));
		return NULL;
	}
	s->db = db;
	s->id = id;
	db->stmts[id] = s;
	return s;
}

struct db_stmt *db_query(struct db *db, const char *sql)
{
	struct db_stmt *s = db->ops->prepare_sql(db, sql);
	if (s) {
		s->db = db;
		s->id = STMT__COUNT;
	}
	return s;
}

void db_query_free(struct db_stmt *s)
{
	if (s)
		s->db->ops->finalize(s);
}

void db_bind_int64(struct db_stmt *s, int i, int64_t v)
{
	s->db->ops->bind_int64(s, i, v);
}

void db_bind_int(struct db_stmt *s, int i, int v)
{
	s->db->ops->bind_int64(s, i, v);
}

void db_bind_double(struct db_stmt *s, int i, double v)
{
	s->db->ops->bind_double(s, i, v);
}

void db_bind_text(struct db_stmt *s, int i, const char *t)
{
	if (!t)
		s->db->ops->bind_null(s, i);
	else
		s->db->ops->bind_text(s, i, t, strlen(t), false);
}

void db_bind_text_copy(struct db_stmt *s, int i, const char *t)
{
	if (!t)
		s->db->ops->bind_null(s, i);
	else
		s->db->ops->bind_text(s, i, t, strlen(t), true);
}

void db_bind_textn(struct db_stmt *s, int i, const char *t, size_t n)
{
	if (!t)
		s->db->ops->bind_null(s, i);
	else
		s->db->ops->bind_text(s, i, t, n, true);
}

void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	if (!p)
		s->db->ops->bind_null(s, i);
	else
		s->db->ops->bind_blob(s, i, p, n);
}

void db_bind_null(struct db_stmt *s, int i)
{
	s->db->ops->bind_null(s, i);
}

/* What a failed statement means for the running write units: its error is
 * remembered (a full disk always wins), and when the engine rolled the
 * transaction back under the units' feet, a fresh transaction is opened so
 * that nothing the work writes afterwards commits on its own. */
static void unit_note_failure(struct db *db)
{
	enum db_error e = db->ops->error(db);
	if (e == DB_ERR_NONE)
		e = DB_ERR_OTHER;
	if (db->unit_err == DB_ERR_NONE || e == DB_ERR_FULL)
		db->unit_err = e;
	if (db->unit_lost || db->ops->in_transaction(db))
		return;
	db->unit_lost = true;
	log_warn("db.unit", "reason=transaction_lost code=%d", e);
	if (db->ops->begin(db) < 0)
		db_log_error(db, "db.unit_rebegin");
}

int db_step(struct db_stmt *s)
{
	int rc = s->db->ops->step(s);
	if (rc == DB_ERROR && s->db->unit_depth)
		unit_note_failure(s->db);
	return rc;
}

void db_reset(struct db_stmt *s)
{
	s->db->ops->reset(s);
}

int64_t db_col_int64(struct db_stmt *s, int i)
{
	return s->db->ops->col_int64(s, i);
}

int db_col_int(struct db_stmt *s, int i)
{
	return (int)s->db->ops->col_int64(s, i);
}

double db_col_double(struct db_stmt *s, int i)
{
	return s->db->ops->col_double(s, i);
}

bool db_col_is_null(struct db_stmt *s, int i)
{
	return s->db->ops->col_is_null(s, i);
}

const char *db_col_cstr(struct db_stmt *s, int i)
{
	return s->db->ops->col_cstr(s, i, NULL);
}

const char *db_col_text(struct arena *a, struct db_stmt *s, int i)
{
	size_t n;
	const char *t = s->db->ops->col_cstr(s, i, &n);
	return t ? arena_strndup(a, t, n) : NULL;
}

const void *db_col_blob(struct db_stmt *s, int i)
{
	return s->db->ops->col_blob(s, i, NULL);
}

size_t db_col_bytes(struct db_stmt *s, int i)
{
	size_t n = 0;
	if (!s->db->ops->col_blob(s, i, &n))
		return 0;
	return n;
}

int db_col_count(struct db_stmt *s)
{
	return s->db->ops->col_count(s);
}

int64_t db_last_insert_id(struct db *db)
{
	return db->ops->last_insert_id(db);
}

int64_t db_changes(struct db *db)
{
	return db->ops->changes(db);
}

enum db_error db_error(struct db *db)
{
	return db->ops->error(db);
}

const char *db_errmsg(struct db *db)
{
	const char *m = db->ops->errmsg(db);
	return m ? m : "";
}

void db_log_error(struct db *db, const char *event)
{
	char v[300];
	log_error(event, "code=%d msg=%s", db_error(db), log_value(v, sizeof(v), db_errmsg(db)));
}

/* SQLite allows one writer at a time. Threads of this process queue on a
 * mutex instead of polling SQLite's busy handler, which sleeps for
 * milliseconds between tries; other processes (an import, the command
 * line) still meet the busy timeout. PostgreSQL takes row locks itself:
 * its connections never hold this mutex. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void release_write(struct db *db)
{
	db->writing = false;
	db->unit_lost = false;
	if (db->holds_lock) {
		db->holds_lock = false;
		pthread_mutex_unlock(&write_lock);
	}
}

void db_set_busy_timeout(struct db *db, int ms)
{
	db->busy_ms = ms < 0 ? 0 : ms;
	db->ops->set_busy_timeout(db, db->busy_ms);
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
	if (db->engine == DB_ENGINE_SQLITE) {
		if (acquire_write(db) < 0) {
			log_warn("db.begin", "reason=write_lock_timeout ms=%d", db->busy_ms);
			return -1;
		}
		db->holds_lock = true;
	}
	db->writing = true;
	if (db->ops->begin(db) < 0) {
		db_log_error(db, "db.begin");
		release_write(db);
		return -1;
	}
	return 0;
}

/* Runs the fixed statement sql of slot (engine.h db_fixed): prepared once
 * on the connection when the engine keeps it, else through exec. 0 or -1. */
static int exec_fixed(struct db *db, enum db_fixed slot, const char *sql)
{
	if (db->ops->exec_fixed)
		return db->ops->exec_fixed(db, slot, sql);
	return db->ops->exec(db, sql);
}

/* COMMIT; on failure *why (may be NULL) gets the engine's reason before
 * the ROLLBACK that follows. 0 or -1. */
static int commit_or_why(struct db *db, enum db_error *why)
{
	if (exec_fixed(db, DB_FIXED_COMMIT, "COMMIT") < 0) {
		if (why)
			*why = db->ops->error(db);
		db_log_error(db, "db.commit");
		db_rollback(db);
		return -1;
	}
	release_write(db);
	return 0;
}

int db_commit(struct db *db)
{
	return commit_or_why(db, NULL);
}

void db_rollback(struct db *db)
{
	if (db->ops->in_transaction(db))
		db->ops->exec(db, "ROLLBACK");
	release_write(db);
}

bool db_in_transaction(struct db *db)
{
	return db->ops->in_transaction(db);
}

/* Savepoint statements of the nested unit at depth (1 = the first one
 * inside the outermost unit). Names are fixed strings: no SQL is built. */
static const char *const savepoint_sql[][3] = {
	{"SAVEPOINT unit1", "RELEASE unit1", "ROLLBACK TO unit1"},
	{"SAVEPOINT unit2", "RELEASE unit2", "ROLLBACK TO unit2"},
	{"SAVEPOINT unit3", "RELEASE unit3", "ROLLBACK TO unit3"},
	{"SAVEPOINT unit4", "RELEASE unit4", "ROLLBACK TO unit4"},
	{"SAVEPOINT unit5", "RELEASE unit5", "ROLLBACK TO unit5"},
};
_Static_assert(ARRAY_LEN(savepoint_sql) == DB_SAVEPOINT_DEPTH, "one row per depth");

enum sp_op { SP_OPEN, SP_RELEASE, SP_ROLLBACK };

/* The savepoint statements of the nested unit at depth. */
static const char *const *savepoint_of(int depth)
{
	size_t i = (size_t)depth - 1; /* depth 0 wraps around: caught below */
	BUG_ON(i >= ARRAY_LEN(savepoint_sql));
	return savepoint_sql[i];
}

/* Runs the savepoint statement op of the nested unit at depth. 0 or -1. */
static int savepoint_exec(struct db *db, int depth, enum sp_op op)
{
	const char *const *sql = savepoint_of(depth);
	return exec_fixed(db, (enum db_fixed)(DB_FIXED_SAVEPOINTS + 3 * (depth - 1) + (int)op),
			  sql[op]);
}

/* Opens the unit: its own transaction (outermost) or a savepoint. 0, or -1
 * with *why set. */
static int unit_open(struct db *db, bool own, int depth, enum db_error *why)
{
	if (own) {
		if (db_begin(db) == 0)
			return 0;
		enum db_error e = db->ops->error(db);
		*why = e != DB_ERR_NONE ? e : DB_ERR_BUSY; /* the write lock timed out */
		return -1;
	}
	if (savepoint_exec(db, depth, SP_OPEN) == 0)
		return 0;
	*why = db->ops->error(db);
	db_log_error(db, "db.savepoint");
	return -1;
}

/* Closes a nested unit: RELEASE when kept, else ROLLBACK TO then RELEASE.
 * A kept unit whose RELEASE fails (on PostgreSQL, a statement of the work
 * failed and the work kept it anyway: the transaction is aborted until
 * the savepoint is rolled back) is rolled back too, with the reason in
 * *why when it holds none yet, so that the enclosing transaction, which a group commit shares
 * with other requests, stays usable and never commits in an aborted state.
 * When even that fails, the enclosing transaction is marked lost. Nothing
 * to do when the engine lost the transaction (the savepoint went with it).
 * 0, or -1 when a kept unit could not be kept. */
static int unit_close_nested(struct db *db, int depth, bool keep, enum db_error *why)
{
	if (db->unit_lost)
		return keep ? -1 : 0;
	if (keep) {
		if (savepoint_exec(db, depth, SP_RELEASE) == 0)
			return 0;
		if (*why == DB_ERR_NONE) /* else the statement's own error says why */
			*why = db->ops->error(db) != DB_ERR_NONE ? db->ops->error(db)
								 : DB_ERR_OTHER;
		db_log_error(db, "db.savepoint_release");
	}
	if (savepoint_exec(db, depth, SP_ROLLBACK) < 0 ||
	    savepoint_exec(db, depth, SP_RELEASE) < 0) {
		if (*why == DB_ERR_NONE)
			*why = db->ops->error(db) != DB_ERR_NONE ? db->ops->error(db)
								 : DB_ERR_OTHER;
		db_log_error(db, "db.savepoint_rollback");
		db->unit_lost = true;
		return -1;
	}
	return keep ? -1 : 0;
}

static enum db_unit_outcome group_submit(db_unit_fn fn, void *arg, enum db_error *why);

enum db_unit_outcome db_unit_run(struct db *db, db_unit_fn fn, void *arg, enum db_error *why)
{
	enum db_error dummy;
	if (!why)
		why = &dummy;
	*why = DB_ERR_NONE;
	if (db->grouped && !db->writing)
		return group_submit(fn, arg, why);
	bool own = !db->writing;
	int depth = own ? 0 : db->unit_depth + 1;
	if (unit_open(db, own, depth, why) < 0)
		return DB_UNIT_FAILED;
	enum db_error outer_err = db->unit_err;
	db->unit_err = DB_ERR_NONE;
	db->unit_depth++;
	bool keep = fn(db, arg) == DB_UNIT_KEEP;
	db->unit_depth--;
	*why = db->unit_err;
	/* The enclosing unit inherits what it cannot survive either. */
	bool fatal = db->unit_lost || *why == DB_ERR_FULL;
	db->unit_err =
		fatal && (outer_err == DB_ERR_NONE || *why == DB_ERR_FULL) ? *why : outer_err;
	/* A full disk or a lost transaction fails the unit whatever the work
	 * says: what it wrote is not all there. */
	enum db_unit_outcome out = !keep   ? DB_UNIT_DISCARDED
				   : fatal ? DB_UNIT_FAILED
					   : DB_UNIT_COMMITTED;
	if (!own) {
		if (unit_close_nested(db, depth, out == DB_UNIT_COMMITTED, why) < 0 &&
		    out == DB_UNIT_COMMITTED)
			out = DB_UNIT_FAILED;
		return out;
	}
	if (out != DB_UNIT_COMMITTED) {
		db_rollback(db);
	} else if (commit_or_why(db, why) < 0) {
		if (*why == DB_ERR_NONE)
			*why = DB_ERR_OTHER;
		out = DB_UNIT_FAILED;
	}
	return out;
}

/* ---- Group commit (db.h "Write units").
 *
 * The outermost units of the server's threads (db_thread connections) go
 * through one queue. The thread that finds no leader at work becomes the
 * leader: it takes what is queued (at most DB_GROUP_MAX units, what arrived
 * while the previous group committed; it never waits for more), runs each
 * unit under its own savepoint of one transaction on its own connection,
 * commits once, then hands every unit its outcome. Threads whose unit was
 * taken sleep until then: nothing is acknowledged before the COMMIT that
 * holds it returned. Every group runs on one connection, the writer's,
 * whichever thread leads it (db_thread() answers it to the work while its
 * thread leads): a unit's reads see its own writes and the writes of the
 * units before it, exactly as if the units had run one after the other,
 * and the writer's page cache stays valid from one group to the next (in
 * WAL mode SQLite drops a connection's whole cache when another connection
 * committed since its last transaction, so a leader on its own connection
 * read back from the WAL every page of every index its group touched). */

struct group_unit {
	db_unit_fn fn;
	void *arg;
	enum db_unit_outcome out;
	enum db_error why;
	bool done;
	bool taken;          /* in a group: its thread waits for done, never leads */
	pthread_cond_t wake; /* done, or its turn to lead */
	struct group_unit *next;
};

static struct {
	pthread_mutex_t mu;
	struct group_unit *head, **tail;
	bool leading;      /* a leader is running a group */
	struct db *writer; /* the groups' connection, opened by the first leader */
	struct db_group_stats stats;
	int64_t fail_every; /* test hook: every Nth group COMMIT fails (0: never) */
} group = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.tail = &group.head,
};

/* Marks every unit of the batch that was to be stored as failed with why;
 * a unit its work discarded keeps its outcome (its answer is a refusal). */
static void group_fail(struct group_unit *batch, enum db_error why)
{
	for (struct group_unit *u = batch; u; u = u->next) {
		if (u->out == DB_UNIT_DISCARDED)
			continue;
		u->out = DB_UNIT_FAILED;
		u->why = why;
	}
}

/* The group's COMMIT, or the test hook's failure in its place (the same
 * path as a COMMIT the disk refused: ROLLBACK, the group's error). */
static int group_commit(struct db *db, int64_t n, enum db_error *why)
{
	if (group.fail_every > 0 && n % group.fail_every == 0) {
		log_warn("db.group", "reason=test_commit_failure group=%lld", (long long)n);
		db_rollback(db);
		*why = DB_ERR_FULL;
		return -1;
	}
	if (commit_or_why(db, why) == 0)
		return 0;
	if (*why == DB_ERR_NONE)
		*why = DB_ERR_OTHER;
	return -1;
}

/* Clock clk in nanoseconds (0 when it cannot be read). */
static uint64_t clock_ns(clockid_t clk)
{
	struct timespec t;
	if (clock_gettime(clk, &t) < 0)
		return 0;
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* This thread's CPU time in nanoseconds. */
static uint64_t thread_cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

/* Runs the batch as one transaction on the leader's connection (n: the
 * group's number, from 1). Sets every unit's outcome; adds the leader's
 * CPU time to *work_ns and *commit_ns. */
static void group_run(struct db *db, struct group_unit *batch, int64_t n, uint64_t *work_ns,
		      uint64_t *commit_ns)
{
	uint64_t t0 = thread_cpu_ns();
	for (struct group_unit *u = batch; u; u = u->next) {
		u->out = DB_UNIT_FAILED;
		u->why = DB_ERR_NONE;
	}
	if (db_begin(db) < 0) {
		enum db_error e = db->ops->error(db);
		group_fail(batch, e != DB_ERR_NONE ? e : DB_ERR_BUSY); /* lock timed out */
		return;
	}
	for (struct group_unit *u = batch; u; u = u->next) {
		/* db->writing: the unit is a savepoint of the group's transaction. */
		u->out = db_unit_run(db, u->fn, u->arg, &u->why);
		db->unit_err = DB_ERR_NONE;
		if (db->unit_lost) {
			/* The engine rolled the whole transaction back: the units
			 * before this one went with it, the ones after it cannot
			 * run in it. */
			group_fail(batch, u->why != DB_ERR_NONE ? u->why : DB_ERR_OTHER);
			db_rollback(db);
			return;
		}
	}
	uint64_t t1 = thread_cpu_ns();
	enum db_error why = DB_ERR_NONE;
	if (group_commit(db, n, &why) < 0)
		group_fail(batch, why);
	*work_ns += t1 - t0;
	*commit_ns += thread_cpu_ns() - t1;
}

/* Takes up to DB_GROUP_MAX units off the queue (group.mu held). */
static struct group_unit *group_take(void)
{
	struct group_unit *batch = group.head, *last = batch;
	last->taken = true;
	int n = 1;
	while (n < DB_GROUP_MAX && last->next) {
		last = last->next;
		last->taken = true;
		n++;
	}
	group.head = last->next;
	if (!group.head)
		group.tail = &group.head;
	last->next = NULL;
	group.stats.units += (uint64_t)n;
	if ((uint64_t)n > group.stats.largest)
		group.stats.largest = (uint64_t)n;
	return batch;
}

/* The connection db_thread() answers on a thread while it leads a group. */
static _Thread_local struct db *thread_lead_db;

/* The location db_thread_setup recorded. */
static char *thread_db_path;

/* The groups' connection, opened on first use (only the leader calls
 * this: group.leading guards it). NULL when it cannot be opened (logged). */
static struct db *group_writer(void)
{
	if (group.writer)
		return group.writer;
	char err[512];
	struct db *w = db_open(thread_db_path, DB_OPEN_EXISTING, err, sizeof(err));
	if (!w) {
		char v[600];
		log_error("db.open", "role=group_writer msg=%s", log_value(v, sizeof(v), err));
		return NULL;
	}
	if (w->engine == DB_ENGINE_SQLITE && db_sqlite_writer_setup(w) < 0) {
		db_log_error(w, "db.writer_setup");
		db_close(w);
		return NULL;
	}
	group.writer = w;
	return w;
}

/* Every unit of a batch that could not run at all fails with why. */
static void group_fail_all(struct group_unit *batch, enum db_error why)
{
	for (struct group_unit *u = batch; u; u = u->next) {
		u->out = DB_UNIT_FAILED;
		u->why = why;
	}
}

/* Runs batch as group n on the writer (group.mu not held) and adds its
 * figures to the statistics (group.mu held on return). */
static void group_lead(struct group_unit *batch, int64_t n)
{
	struct db *w = group_writer();
	uint64_t work_ns = 0, commit_ns = 0, t0 = clock_ns(CLOCK_MONOTONIC);
	if (w) {
		thread_lead_db = w;
		group_run(w, batch, n, &work_ns, &commit_ns);
		thread_lead_db = NULL;
	} else {
		group_fail_all(batch, DB_ERR_UNAVAILABLE);
	}
	uint64_t wall = clock_ns(CLOCK_MONOTONIC) - t0;
	pthread_mutex_lock(&group.mu);
	group.stats.work_cpu_ns += work_ns;
	group.stats.commit_cpu_ns += commit_ns;
	if (wall > group.stats.slowest_ns)
		group.stats.slowest_ns = wall;
	if (wall >= (uint64_t)DB_GROUP_SLOW_MS * 1000000u)
		group.stats.slow++;
}

/* Hands every unit of the batch its outcome, one at a time under group.mu
 * (not held on entry): the next group may start meanwhile. A unit's
 * thread may return as soon as it is marked done, so its successor is
 * read first. */
static void group_wake(struct group_unit *batch)
{
	while (batch) {
		struct group_unit *u = batch;
		batch = u->next;
		pthread_mutex_lock(&group.mu);
		u->done = true;
		pthread_cond_signal(&u->wake);
		pthread_mutex_unlock(&group.mu);
	}
}

/* Queues the unit and waits for its outcome, leading groups on the writer
 * while no other thread does. Each waiting thread sleeps on its own
 * condition. After its COMMIT a leader first hands the lead to the first
 * unit still queued, then wakes the threads whose units it ran: the next
 * group runs while they are woken (no herd of wake-ups, and no wake-up on
 * the serial path). A unit taken into a group never leads: its thread
 * waits to be marked done. */
static enum db_unit_outcome group_submit(db_unit_fn fn, void *arg, enum db_error *why)
{
	struct group_unit me = {.fn = fn, .arg = arg};
	pthread_cond_init(&me.wake, NULL);
	pthread_mutex_lock(&group.mu);
	*group.tail = &me;
	group.tail = &me.next;
	while (!me.done) {
		if (group.leading || me.taken) {
			pthread_cond_wait(&me.wake, &group.mu);
			continue;
		}
		group.leading = true;
		struct group_unit *batch = group_take();
		int64_t n = (int64_t)++group.stats.groups;
		pthread_mutex_unlock(&group.mu);
		group_lead(batch, n);
		group.leading = false;
		if (group.head)
			pthread_cond_signal(&group.head->wake);
		pthread_mutex_unlock(&group.mu);
		group_wake(batch);
		pthread_mutex_lock(&group.mu);
	}
	pthread_mutex_unlock(&group.mu);
	pthread_cond_destroy(&me.wake);
	*why = me.why;
	return me.out;
}

void db_group_stats(struct db_group_stats *out)
{
	pthread_mutex_lock(&group.mu);
	*out = group.stats;
	pthread_mutex_unlock(&group.mu);
}

int db_exec_script(struct db *db, const char *script, char *err, size_t errcap)
{
	if (db->ops->exec(db, script) < 0) {
		set_err(err, errcap, db_errmsg(db));
		return -1;
	}
	return 0;
}

static _Thread_local struct db *thread_db;
static struct db *thread_dbs;
static pthread_mutex_t thread_dbs_lock = PTHREAD_MUTEX_INITIALIZER;

/* How many times db_thread_setup ran (db_thread_generation). */
static _Atomic unsigned thread_generation;

unsigned db_thread_generation(void)
{
	return thread_generation;
}

void db_thread_setup(const char *path)
{
	thread_generation++;
	free(thread_db_path);
	thread_db_path = strdup(path);
	if (!thread_db_path)
		die_oom();
	const char *env = getenv("PROXIMA_TEST_FAIL_COMMIT");
	int64_t every = 0;
	if (env && parse_i64(env, 1, INT32_MAX, &every) == 0)
		log_warn("db.group", "reason=test_hook fail_commit_every=%lld", (long long)every);
	pthread_mutex_lock(&group.mu);
	group.fail_every = every;
	db_close(group.writer); /* a connection to the previous location */
	group.writer = NULL;
	pthread_mutex_unlock(&group.mu);
}

struct db *db_thread(void)
{
	if (thread_lead_db)
		return thread_lead_db;
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
	db->grouped = true;
	thread_db = db;
	return db;
}

bool db_thread_lost(void)
{
	return thread_db && db_error(thread_db) == DB_ERR_UNAVAILABLE;
}

void db_thread_close_all(void)
{
	struct db_group_stats g;
	db_group_stats(&g);
	if (g.groups > 0)
		log_info("db.groups",
			 "groups=%llu units=%llu largest=%llu work_us_per_unit=%.1f "
			 "commit_us_per_unit=%.1f slowest_ms=%.1f slow=%llu",
			 (unsigned long long)g.groups, (unsigned long long)g.units,
			 (unsigned long long)g.largest,
			 g.units ? (double)g.work_cpu_ns / 1e3 / (double)g.units : 0.0,
			 g.units ? (double)g.commit_cpu_ns / 1e3 / (double)g.units : 0.0,
			 (double)g.slowest_ns / 1e6, (unsigned long long)g.slow);
	pthread_mutex_lock(&group.mu);
	db_close(group.writer);
	group.writer = NULL;
	pthread_mutex_unlock(&group.mu);
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
