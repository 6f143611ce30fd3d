/* The PostgreSQL engine behind db.h (libpq).
 *
 * Statements. Each statement of the table is prepared on the server once
 * per connection under a name of its own ("s<id>_<n>"), at its first
 * execution, with the parameter types of that first binding: int64 →
 * int8, double → float8, text → text, blob → bytea (sent in binary), NULL
 * → left for the server to infer. Placeholders ?N become $N (quoted
 * literals and comments are skipped). A later binding with other types
 * (a NULL where there was a number…) prepares a second variant under
 * another name. When the server refuses those types (a NULL whose type
 * nothing determines, a number compared with a text column), the statement
 * is prepared again with them changed (retype below); those trials run
 * under a savepoint inside a transaction, since a failed statement aborts
 * a PostgreSQL transaction.
 *
 * Results. The first db_step runs the statement and fetches its whole
 * result (the model steps one statement while running others on the same
 * connection, which single-row mode cannot do); later steps walk the rows.
 * A large export is therefore held in memory once (docs/architecture.md).
 * Booleans read as 1/0, numeric and bigint text is parsed, bytea decoded.
 *
 * Transactions. db_begin is BEGIN plus a transaction-scoped advisory lock
 * taken by every writer of every app server: writes are serialised as on
 * SQLite (code that reads then inserts stays correct), readers never wait.
 * The lock wait is bounded by lock_timeout (the busy timeout).
 * synchronous_commit stays on: an acknowledged write is on disk (and on a
 * synchronous replica where the cluster has one).
 *
 * Failures. SQLSTATEs map to DB_ERR_*; a lost connection is
 * DB_ERR_UNAVAILABLE. The statement that meets it fails (the request gets
 * a 503); the next one outside a transaction reconnects (PQreset) and
 * prepares again. A read-only statement or a BEGIN outside a transaction
 * that meets a connection lost while idle is retried once after the
 * reconnection, so a server restart between requests goes unnoticed. */
#include <errno.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/engine.h"

/* The advisory lock every write transaction takes ("PROX"). */
#define PG_WRITE_LOCK "1347571544"

/* Type OIDs (catalog/pg_type.h, stable across releases). */
enum {
	OID_UNKNOWN = 0,
	OID_BOOL = 16,
	OID_BYTEA = 17,
	OID_INT8 = 20,
	OID_INT2 = 21,
	OID_INT4 = 23,
	OID_TEXT = 25,
	OID_FLOAT4 = 700,
	OID_FLOAT8 = 701,
	OID_NUMERIC = 1700,
};

enum pg_kind { K_NULL, K_INT, K_DOUBLE, K_TEXT, K_BLOB };

struct pg_param {
	enum pg_kind kind;
	const char *val; /* text form (or the blob), NUL-terminated text */
	int len;
	char *owned;  /* copied text or blob, freed on rebind */
	char num[32]; /* an integer or double as text */
};

struct pg_variant {
	char name[24];
	unsigned char *kinds; /* nparams enum pg_kind: the binding it serves */
};

struct pg_stmt {
	struct db_stmt base;
	char *sql;      /* with $N placeholders; owned */
	int nparams;    /* highest placeholder number */
	bool readonly;  /* a SELECT (retried after a reconnection) */
	unsigned label; /* unique on the connection: names of its variants */
	struct pg_param *p;
	/* Per-parameter arrays handed to libpq (nparams + 1 each). */
	unsigned *types;
	const char **vals;
	int *lens, *fmts;
	struct pg_variant *v;
	size_t nv;
	unsigned generation; /* of the connection its variants were made on */
	PGresult *res;
	bool ran;
	int row, nrows;
	unsigned char **blob; /* decoded bytea of the current row, per column */
	size_t *blob_len;
	int nblob;
};

struct pg_db {
	struct db base; /* first: a struct db * is a struct pg_db * */
	PGconn *c;
	unsigned generation; /* bumped by every reconnection */
	unsigned labels;
	enum db_error err;
	char errmsg[512];
	int64_t changes;
	int busy_ms;
};

static struct pg_db *D(struct db *db)
{
	return (struct pg_db *)db;
}

static struct pg_stmt *S(struct db_stmt *s)
{
	return (struct pg_stmt *)s;
}

/* --- errors -------------------------------------------------------- */

/* The project's code for a SQLSTATE (NULL: the connection failed). */
static enum db_error map_sqlstate(const char *st)
{
	if (!st || strlen(st) != 5)
		return DB_ERR_UNAVAILABLE;
	if (strcmp(st, "23505") == 0)
		return DB_ERR_UNIQUE;
	if (strncmp(st, "23", 2) == 0)
		return DB_ERR_CONSTRAINT;
	if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0)
		return DB_ERR_BUSY;
	if (strcmp(st, "53100") == 0)
		return DB_ERR_FULL;
	if (strncmp(st, "08", 2) == 0 || strcmp(st, "57P01") == 0 || strcmp(st, "57P02") == 0 ||
	    strcmp(st, "57P03") == 0)
		return DB_ERR_UNAVAILABLE;
	return DB_ERR_OTHER;
}

/* Copies a message without its trailing newline. */
static void set_msg(struct pg_db *d, const char *m)
{
	str_copy(d->errmsg, sizeof(d->errmsg), m && *m ? m : "unknown PostgreSQL error");
	size_t n = strlen(d->errmsg);
	while (n && (d->errmsg[n - 1] == '\n' || d->errmsg[n - 1] == ' '))
		d->errmsg[--n] = '\0';
}

/* Records why res (NULL allowed) failed. */
static void set_error(struct pg_db *d, const PGresult *res)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	d->err = PQstatus(d->c) == CONNECTION_OK ? map_sqlstate(st) : DB_ERR_UNAVAILABLE;
	if (d->err == DB_ERR_UNAVAILABLE && !st)
		set_msg(d, PQerrorMessage(d->c));
	else
		set_msg(d, res ? PQresultErrorMessage(res) : PQerrorMessage(d->c));
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
}

static bool idle(struct pg_db *d)
{
	return PQtransactionStatus(d->c) == PQTRANS_IDLE;
}

/* --- the connection ------------------------------------------------ */

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Runs sql with text parameters (NULL: none); 0 or -1 with the error set. */
static int run(struct pg_db *d, const char *sql, int n, const char *const *vals)
{
	PGresult *res =
		n ? PQexecParams(d->c, sql, n, NULL, vals, NULL, NULL, 0) : PQexec(d->c, sql);
	int rc = result_ok(res) ? 0 : -1;
	if (rc < 0)
		set_error(d, res);
	else
		d->err = DB_ERR_NONE;
	PQclear(res);
	return rc;
}

/* The session's settings, after every (re)connection. JIT is off: our
 * statements are short reads and writes, and the planner's cost guesses
 * (a recursive territory tree is sized in hundreds) made it compile
 * statements that run in milliseconds, for up to a second each under load
 * (docs/performance.md). */
static int session_setup(struct pg_db *d)
{
	char ms[24];
	snprintf(ms, sizeof(ms), "%d", d->busy_ms);
	const char *vals[] = {ms};
	return run(d,
		   "SELECT set_config('lock_timeout', $1, false), "
		   "set_config('synchronous_commit', 'on', false), "
		   "set_config('client_min_messages', 'warning', false), "
		   "set_config('jit', 'off', false)",
		   1, vals);
}

/* Reconnects a lost connection outside a transaction: 0 when the
 * connection is (again) usable, -1 (DB_ERR_UNAVAILABLE) otherwise. The
 * server-side prepared statements died with the old session. */
static int revive(struct pg_db *d)
{
	if (PQstatus(d->c) == CONNECTION_OK)
		return 0;
	if (d->base.writing) {
		d->err = DB_ERR_UNAVAILABLE;
		set_msg(d, "the connection to PostgreSQL was lost during the transaction");
		return -1;
	}
	PQreset(d->c);
	if (PQstatus(d->c) != CONNECTION_OK) {
		d->err = DB_ERR_UNAVAILABLE;
		set_msg(d, PQerrorMessage(d->c));
		return -1;
	}
	d->generation++;
	log_info("db.reconnect", "engine=postgresql");
	return session_setup(d);
}

/* --- statements ---------------------------------------------------- */

/* Translates ?N (and a bare ?) into $N, skipping quoted literals, quoted
 * identifiers and comments. Returns the new text (owned by the caller)
 * and the highest parameter number in *nparams. */
static char *translate(const char *sql, int *nparams)
{
	struct buf b;
	buf_init(&b, 2 * strlen(sql) + 64);
	int max = 0, next = 1;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			const char *e = p + 1;
			while (*e && !(*e == q && e[1] != q))
				e += (*e == q) ? 2 : 1;
			if (*e)
				e++;
			buf_append(&b, p, (size_t)(e - p));
			p = e;
		} else if (p[0] == '-' && p[1] == '-') {
			const char *e = strchr(p, '\n');
			e = e ? e : p + strlen(p);
			buf_append(&b, p, (size_t)(e - p));
			p = e;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			e = e ? e + 2 : p + strlen(p);
			buf_append(&b, p, (size_t)(e - p));
			p = e;
		} else if (*p == '?') {
			int n = 0;
			p++;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9' && n < 100000)
					n = n * 10 + (*p++ - '0');
			} else {
				n = next;
			}
			next = n + 1;
			if (n > max)
				max = n;
			buf_printf(&b, "$%d", n);
		} else {
			buf_append(&b, p, 1);
			p++;
		}
	}
	*nparams = max;
	return buf_detach(&b, NULL);
}

/* True when sql only reads: it starts with SELECT (or WITH) and writes
 * nothing, so running it again after a reconnection is harmless. */
static bool sql_readonly(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
		sql++;
	if (strncasecmp(sql, "SELECT", 6) != 0 && strncasecmp(sql, "WITH", 4) != 0)
		return false;
	return !strcasestr(sql, "INSERT ") && !strcasestr(sql, "UPDATE ") &&
	       !strcasestr(sql, "DELETE ");
}

static struct db_stmt *make_stmt(struct db *db, const char *sql)
{
	struct pg_stmt *s = calloc(1, sizeof(*s));
	if (!s)
		die_oom();
	s->sql = translate(sql, &s->nparams);
	s->readonly = sql_readonly(sql);
	s->label = ++D(db)->labels;
	size_t n = (size_t)s->nparams + 1;
	s->p = calloc(n, sizeof(*s->p));
	s->types = calloc(n, sizeof(*s->types));
	s->vals = calloc(n, sizeof(*s->vals));
	s->lens = calloc(n, sizeof(*s->lens));
	s->fmts = calloc(n, sizeof(*s->fmts));
	if (!s->p || !s->types || !s->vals || !s->lens || !s->fmts)
		die_oom();
	s->generation = D(db)->generation;
	return &s->base;
}

static struct db_stmt *pg_prepare(struct db *db, enum stmt_id id)
{
	return make_stmt(db, stmt_sql(id, DB_ENGINE_POSTGRES));
}

static struct db_stmt *pg_prepare_sql(struct db *db, const char *sql)
{
	return make_stmt(db, sql);
}

static void clear_result(struct pg_stmt *s)
{
	for (int i = 0; i < s->nblob; i++) {
		PQfreemem(s->blob[i]);
		s->blob[i] = NULL;
	}
	PQclear(s->res);
	s->res = NULL;
	s->ran = false;
	s->row = -1;
	s->nrows = 0;
}

static void drop_variants(struct pg_stmt *s)
{
	for (size_t i = 0; i < s->nv; i++)
		free(s->v[i].kinds);
	free(s->v);
	s->v = NULL;
	s->nv = 0;
}

static void clear_param(struct pg_param *p)
{
	free(p->owned);
	memset(p, 0, sizeof(*p));
}

static void pg_finalize(struct db_stmt *st)
{
	struct pg_stmt *s = S(st);
	struct pg_db *d = D(st->db);
	clear_result(s);
	/* An ad-hoc statement's variants are deallocated on the server; the
	 * table's live as long as the connection. */
	if (st->id == STMT__COUNT && s->generation == d->generation &&
	    PQstatus(d->c) == CONNECTION_OK && PQtransactionStatus(d->c) != PQTRANS_INERROR)
		for (size_t i = 0; i < s->nv; i++) {
			char sql[48];
			snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->v[i].name);
			PQclear(PQexec(d->c, sql));
		}
	drop_variants(s);
	for (int i = 0; i <= s->nparams; i++)
		clear_param(&s->p[i]);
	free(s->p);
	free(s->types);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s->blob);
	free(s->blob_len);
	free(s->sql);
	free(s);
}

static void pg_reset(struct db_stmt *st)
{
	clear_result(S(st));
}

static void pg_rewind(struct db_stmt *st)
{
	struct pg_stmt *s = S(st);
	clear_result(s);
	for (int i = 0; i <= s->nparams; i++)
		clear_param(&s->p[i]);
}

/* The parameter i (1-based) of s, cleared for a new value; NULL when the
 * statement has no such placeholder (the binding is ignored, as SQLite's
 * SQLITE_RANGE is). */
static struct pg_param *param(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);
	if (s->ran)
		clear_result(s);
	if (i < 1 || i > s->nparams)
		return NULL;
	clear_param(&s->p[i]);
	return &s->p[i];
}

static void pg_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	struct pg_param *p = param(st, i);
	if (!p)
		return;
	p->kind = K_INT;
	p->len = snprintf(p->num, sizeof(p->num), "%lld", (long long)v);
	p->val = p->num;
}

static void pg_bind_double(struct db_stmt *st, int i, double v)
{
	struct pg_param *p = param(st, i);
	if (!p)
		return;
	p->kind = K_DOUBLE;
	p->len = snprintf(p->num, sizeof(p->num), "%.17g", v);
	p->val = p->num;
}

static void pg_bind_text(struct db_stmt *st, int i, const char *t, size_t n, bool copy)
{
	struct pg_param *p = param(st, i);
	if (!p)
		return;
	p->kind = K_TEXT;
	p->len = (int)n;
	if (copy || t[n] != '\0') {
		p->owned = malloc(n + 1);
		if (!p->owned)
			die_oom();
		memcpy(p->owned, t, n);
		p->owned[n] = '\0';
		p->val = p->owned;
	} else {
		p->val = t;
	}
}

static void pg_bind_blob(struct db_stmt *st, int i, const void *b, size_t n)
{
	struct pg_param *p = param(st, i);
	if (!p)
		return;
	p->kind = K_BLOB;
	p->owned = malloc(n ? n : 1);
	if (!p->owned)
		die_oom();
	memcpy(p->owned, b, n);
	p->val = p->owned;
	p->len = (int)n;
}

static void pg_bind_null(struct db_stmt *st, int i)
{
	struct pg_param *p = param(st, i);
	if (p)
		p->kind = K_NULL;
}

/* The type the server is first told for a parameter of kind k: the
 * binding's own, a NULL's left for the server to infer. */
static unsigned param_oid(enum pg_kind k)
{
	switch (k) {
	case K_BLOB: return OID_BYTEA;
	case K_INT: return OID_INT8;
	case K_DOUBLE: return OID_FLOAT8;
	case K_TEXT: return OID_TEXT;
	case K_NULL: return OID_UNKNOWN;
	}
	return OID_UNKNOWN;
}

static bool sqlstate_is(const PGresult *res, const char *st)
{
	const char *x = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	return x && strcmp(x, st) == 0;
}

/* A type mismatch (no operator or function for these types). */
static bool type_mismatch(const PGresult *res)
{
	return sqlstate_is(res, "42883") || sqlstate_is(res, "42804") || sqlstate_is(res, "42725");
}

/* The parameter number in "could not determine data type of parameter
 * $N" (42P18 or 42P08), or 0. */
static int undetermined_param(const PGresult *res)
{
	const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *d = m ? strchr(m, '$') : NULL;
	int n;
	return d && parse_int(d + 1, 1, 65535, &n) == 0 ? n : 0;
}

/* Prepares s under name with the types in s->types. 0, or -1 with the
 * server's answer in *failed (owned by the caller). */
static int prepare_as(struct pg_db *d, struct pg_stmt *s, const char *name, PGresult **failed)
{
	PGresult *res = PQprepare(d->c, name, s->sql, s->nparams, s->types);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		PQclear(res);
		return 0;
	}
	*failed = res;
	return -1;
}

/* Changes s->types after the server refused them; false when nothing is
 * left to try. A NULL in "?N IS NULL OR col = ?N" has no type the server
 * can infer (it types a parameter where it first meets it): it becomes
 * text, then, if text does not fit, bigint. A value whose type does not
 * fit (a number compared with a text column) is then sent untyped, as a
 * literal is. */
static bool retype(struct pg_stmt *s, const PGresult *failed, int *guess, bool *untyped)
{
	if (sqlstate_is(failed, "42P18") || sqlstate_is(failed, "42P08")) {
		int k = undetermined_param(failed);
		if (k < 1 || k > s->nparams || s->types[k - 1] != OID_UNKNOWN)
			return false;
		s->types[k - 1] = OID_TEXT;
		*guess = k;
		return true;
	}
	if (!type_mismatch(failed))
		return false;
	if (*guess > 0 && s->types[*guess - 1] == OID_TEXT) {
		s->types[*guess - 1] = OID_INT8;
		return true;
	}
	if (*untyped)
		return false;
	*untyped = true;
	for (int i = 1; i <= s->nparams; i++)
		if (s->p[i].kind != K_BLOB && s->p[i].kind != K_NULL)
			s->types[i - 1] = OID_UNKNOWN;
	return true;
}

/* Prepares s for its current binding, retyping its parameters until the
 * server takes them (under a savepoint inside a transaction, which a
 * refused statement would abort). Returns the variant's name or NULL with
 * the error set. */
static const char *prepare_variant(struct pg_db *d, struct pg_stmt *s)
{
	char name[24];
	snprintf(name, sizeof(name), "%c%u_%zu", s->base.id == STMT__COUNT ? 'q' : 's', s->label,
		 s->nv);
	for (int i = 1; i <= s->nparams; i++)
		s->types[i - 1] = param_oid(s->p[i].kind);
	bool in_tx = !idle(d), untyped = false;
	int guess = 0;
	PGresult *failed = NULL;
	int rc = -1;
	for (int tries = 0; tries < 2 * s->nparams + 2; tries++) {
		if (in_tx && run(d, "SAVEPOINT proxima_prepare", 0, NULL) < 0)
			break;
		rc = prepare_as(d, s, name, &failed);
		if (in_tx && run(d,
				 rc == 0 ? "RELEASE SAVEPOINT proxima_prepare"
					 : "ROLLBACK TO SAVEPOINT proxima_prepare",
				 0, NULL) < 0) {
			rc = -1;
			break;
		}
		if (rc == 0 || !retype(s, failed, &guess, &untyped))
			break;
		PQclear(failed);
		failed = NULL;
	}
	if (rc < 0) {
		if (failed)
			set_error(d, failed);
		PQclear(failed);
		return NULL;
	}
	struct pg_variant *v = realloc(s->v, (s->nv + 1) * sizeof(*v));
	if (!v)
		die_oom();
	s->v = v;
	v = &s->v[s->nv++];
	memcpy(v->name, name, sizeof(name));
	v->kinds = malloc((size_t)s->nparams + 1);
	if (!v->kinds)
		die_oom();
	for (int i = 1; i <= s->nparams; i++)
		v->kinds[i - 1] = (unsigned char)s->p[i].kind;
	return v->name;
}

/* The prepared name serving s's current binding, preparing it if needed. */
static const char *variant(struct pg_db *d, struct pg_stmt *s)
{
	if (s->generation != d->generation) {
		drop_variants(s);
		s->generation = d->generation;
	}
	for (size_t k = 0; k < s->nv; k++) {
		int i = 1;
		while (i <= s->nparams && s->v[k].kinds[i - 1] == s->p[i].kind)
			i++;
		if (i > s->nparams)
			return s->v[k].name;
	}
	return prepare_variant(d, s);
}

/* Runs s once with its binding: the result, or NULL with the error set. */
static PGresult *execute(struct pg_db *d, struct pg_stmt *s)
{
	if (revive(d) < 0)
		return NULL;
	const char *name = variant(d, s);
	if (!name)
		return NULL;
	for (int i = 1; i <= s->nparams; i++) {
		s->vals[i - 1] = s->p[i].kind == K_NULL ? NULL : s->p[i].val;
		s->lens[i - 1] = s->p[i].len;
		s->fmts[i - 1] = s->p[i].kind == K_BLOB;
	}
	PGresult *res = PQexecPrepared(d->c, name, s->nparams, s->vals, s->lens, s->fmts, 0);
	if (result_ok(res))
		return res;
	set_error(d, res);
	PQclear(res);
	return NULL;
}

/* The rows a command changed, from its tag ("INSERT 0 3", "UPDATE 2"). */
static void note_changes(struct pg_db *d, const PGresult *res)
{
	const char *tag = PQcmdStatus((PGresult *)res);
	if (strncmp(tag, "INSERT", 6) != 0 && strncmp(tag, "UPDATE", 6) != 0 &&
	    strncmp(tag, "DELETE", 6) != 0 && strncmp(tag, "MERGE", 5) != 0)
		return;
	int64_t n = 0;
	const char *t = PQcmdTuples((PGresult *)res);
	if (t && *t)
		parse_i64(t, 0, INT64_MAX, &n);
	d->changes = n;
}

static int pg_step(struct db_stmt *st)
{
	struct pg_stmt *s = S(st);
	struct pg_db *d = D(st->db);
	if (!s->ran) {
		bool was_idle = PQstatus(d->c) == CONNECTION_OK && idle(d);
		PGresult *res = execute(d, s);
		/* A connection lost while idle (a server restart between two
		 * requests): a read runs again on the new connection. */
		if (!res && d->err == DB_ERR_UNAVAILABLE && was_idle && s->readonly)
			res = execute(d, s);
		if (!res)
			return DB_ERROR;
		d->err = DB_ERR_NONE;
		note_changes(d, res);
		s->res = res;
		s->ran = true;
		s->row = -1;
		s->nrows = PQntuples(res);
		int nf = PQnfields(res);
		if (nf > s->nblob) {
			free(s->blob);
			free(s->blob_len);
			s->blob = calloc((size_t)nf, sizeof(*s->blob));
			s->blob_len = calloc((size_t)nf, sizeof(*s->blob_len));
			if (!s->blob || !s->blob_len)
				die_oom();
			s->nblob = nf;
		}
	}
	for (int i = 0; i < s->nblob; i++) {
		PQfreemem(s->blob[i]);
		s->blob[i] = NULL;
	}
	if (s->row < s->nrows)
		s->row++;
	return s->row < s->nrows ? DB_ROW : DB_DONE;
}

/* --- columns ------------------------------------------------------- */

static bool has_value(struct pg_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res) &&
	       !PQgetisnull(s->res, s->row, i);
}

static bool pg_col_is_null(struct db_stmt *st, int i)
{
	return !has_value(S(st), i);
}

static double pg_col_double(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);
	if (!has_value(s, i))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, i);
	if (PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	return strtod(v, NULL);
}

static int64_t pg_col_int64(struct db_stmt *st, int i)
{
	struct pg_stmt *s = S(st);
	if (!has_value(s, i))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, i);
	switch (PQftype(s->res, i)) {
	case OID_BOOL: return *v == 't';
	case OID_INT2:
	case OID_INT4:
	case OID_INT8: return strtoll(v, NULL, 10);
	default: {
		/* numeric, float or text: SQLite's conversion truncates. */
		double x = strtod(v, NULL);
		if (x >= 9.2e18)
			return INT64_MAX;
		if (x <= -9.2e18)
			return INT64_MIN;
		return (int64_t)x;
	}
	}
}

/* Decodes the bytea column i of the current row (cached until the next
 * step). NULL when the column is NULL or not a bytea. */
static const unsigned char *bytea(struct pg_stmt *s, int i, size_t *len)
{
	if (!has_value(s, i) || PQftype(s->res, i) != OID_BYTEA)
		return NULL;
	if (!s->blob[i]) {
		s->blob[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i),
					     &s->blob_len[i]);
		if (!s->blob[i])
			die_oom();
	}
	*len = s->blob_len[i];
	return s->blob[i];
}

static const char *pg_col_cstr(struct db_stmt *st, int i, size_t *len)
{
	struct pg_stmt *s = S(st);
	size_t n = 0;
	const char *v = NULL;
	if (has_value(s, i)) {
		switch (PQftype(s->res, i)) {
		case OID_BOOL:
			v = *PQgetvalue(s->res, s->row, i) == 't' ? "1" : "0";
			n = 1;
			break;
		case OID_BYTEA:
			/* Raw bytes, as SQLite gives a blob read as text (the
			 * decoded buffer carries no terminating NUL: callers
			 * reading bytea as text take its length). */
			v = (const char *)bytea(s, i, &n);
			break;
		default:
			v = PQgetvalue(s->res, s->row, i);
			n = (size_t)PQgetlength(s->res, s->row, i);
		}
	}
	if (len)
		*len = n;
	return v;
}

static const void *pg_col_blob(struct db_stmt *st, int i, size_t *len)
{
	struct pg_stmt *s = S(st);
	size_t n = 0;
	const void *p = bytea(s, i, &n);
	if (!p && has_value(s, i)) {
		p = PQgetvalue(s->res, s->row, i);
		n = (size_t)PQgetlength(s->res, s->row, i);
	}
	if (len)
		*len = p ? n : 0;
	return p;
}

static int pg_col_count(struct db_stmt *st)
{
	struct pg_stmt *s = S(st);
	if (s->res)
		return PQnfields(s->res);
	return 0;
}

/* --- connection-wide ----------------------------------------------- */

static int64_t pg_last_insert_id(struct db *db)
{
	struct pg_db *d = D(db);
	PGresult *res = PQexec(d->c, "SELECT lastval()");
	int64_t id = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

static int64_t pg_changes(struct db *db)
{
	return D(db)->changes;
}

static enum db_error pg_error(struct db *db)
{
	return D(db)->err;
}

static const char *pg_errmsg(struct db *db)
{
	return D(db)->err == DB_ERR_NONE ? "not an error" : D(db)->errmsg;
}

static int pg_exec(struct db *db, const char *sql)
{
	struct pg_db *d = D(db);
	if (revive(d) < 0)
		return -1;
	return run(d, sql, 0, NULL);
}

static int pg_begin(struct db *db)
{
	struct pg_db *d = D(db);
	const char *sql = d->busy_ms > 0 ? "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")"
					 : "BEGIN; SELECT pg_try_advisory_xact_lock(" PG_WRITE_LOCK
					   ") OR NULL";
	d->base.writing = false; /* let a lost connection be revived first */
	int rc = revive(d);
	d->base.writing = true;
	if (rc < 0)
		return -1;
	PGresult *res = PQexec(d->c, sql);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		bool lost = PQstatus(d->c) != CONNECTION_OK;
		set_error(d, res);
		PQclear(res);
		if (!lost) {
			PQclear(PQexec(d->c, "ROLLBACK"));
			return -1;
		}
		/* Lost while idle: once more on a new connection. */
		d->base.writing = false;
		rc = revive(d);
		d->base.writing = true;
		if (rc < 0)
			return -1;
		res = PQexec(d->c, sql);
		if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
			set_error(d, res);
			PQclear(res);
			PQclear(PQexec(d->c, "ROLLBACK"));
			return -1;
		}
	}
	bool got = PQgetisnull(res, 0, 0) == 0;
	PQclear(res);
	if (!got) {
		PQclear(PQexec(d->c, "ROLLBACK"));
		d->err = DB_ERR_BUSY;
		set_msg(d, "another connection holds the write lock");
		return -1;
	}
	d->err = DB_ERR_NONE;
	return 0;
}

static bool pg_in_transaction(struct db *db)
{
	PGTransactionStatusType t = PQtransactionStatus(D(db)->c);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static void pg_set_busy_timeout(struct db *db, int ms)
{
	struct pg_db *d = D(db);
	d->busy_ms = ms;
	if (PQstatus(d->c) == CONNECTION_OK)
		session_setup(d);
}

/* --- COPY … FROM STDIN (db_bulk_*) --------------------------------- */

static int pg_copy_begin(struct db *db, const char *sql)
{
	struct pg_db *d = D(db);
	PGresult *res = PQexec(d->c, sql);
	int rc = res && PQresultStatus(res) == PGRES_COPY_IN ? 0 : -1;
	if (rc < 0)
		set_error(d, res);
	else
		d->err = DB_ERR_NONE;
	PQclear(res);
	return rc;
}

static int pg_copy_put(struct db *db, const char *p, size_t n)
{
	struct pg_db *d = D(db);
	/* Blocking connection: 1 once queued, -1 when the connection failed. */
	if (n > INT32_MAX || PQputCopyData(d->c, p, (int)n) != 1) {
		set_error(d, NULL);
		return -1;
	}
	return 0;
}

/* The row of a COPY error, from its context ("COPY t, line 12, …"). */
static int64_t copy_error_row(const PGresult *res)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
	const char *at = ctx ? strstr(ctx, ", line ") : NULL;
	int64_t row = 0;
	for (at = at ? at + 7 : NULL; at && *at >= '0' && *at <= '9'; at++)
		row = row * 10 + (*at - '0');
	return row;
}

static int pg_copy_end(struct db *db, bool abandon, int64_t *bad_row)
{
	struct pg_db *d = D(db);
	enum db_error kept = d->err;
	char msg[sizeof(d->errmsg)];
	str_copy(msg, sizeof(msg), d->errmsg);
	*bad_row = 0;
	int rc = PQputCopyEnd(d->c, abandon ? "abandoned by the client" : NULL) == 1 ? 0 : -1;
	if (rc < 0)
		set_error(d, NULL);
	PGresult *res;
	while ((res = PQgetResult(d->c))) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
			set_error(d, res);
			*bad_row = copy_error_row(res);
			rc = -1;
		} else if (rc == 0) {
			d->changes = strtoll(PQcmdTuples(res), NULL, 10);
			d->err = DB_ERR_NONE;
		}
		PQclear(res);
	}
	if (abandon) {
		/* The reason is the one met before (or the caller's). */
		d->err = kept != DB_ERR_NONE ? kept : DB_ERR_OTHER;
		str_copy(d->errmsg, sizeof(d->errmsg),
			 kept != DB_ERR_NONE ? msg : "bulk load abandoned");
		return -1;
	}
	return rc;
}

static void pg_close(struct db *db)
{
	PQfinish(D(db)->c);
	free(db);
}

static const struct db_ops pg_ops = {
	.prepare = pg_prepare,
	.prepare_sql = pg_prepare_sql,
	.finalize = pg_finalize,
	.rewind = pg_rewind,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.col_int64 = pg_col_int64,
	.col_double = pg_col_double,
	.col_is_null = pg_col_is_null,
	.col_cstr = pg_col_cstr,
	.col_blob = pg_col_blob,
	.col_count = pg_col_count,
	.last_insert_id = pg_last_insert_id,
	.changes = pg_changes,
	.error = pg_error,
	.errmsg = pg_errmsg,
	.exec = pg_exec,
	.begin = pg_begin,
	.in_transaction = pg_in_transaction,
	.set_busy_timeout = pg_set_busy_timeout,
	.close = pg_close,
	.copy_begin = pg_copy_begin,
	.copy_put = pg_copy_put,
	.copy_end = pg_copy_end,
};

struct db *db_pg_open(const char *conninfo, char *err, size_t errcap)
{
	/* Defaults first: the location's own settings override them. */
	const char *keys[] = {"application_name", "connect_timeout", "dbname", NULL};
	const char *vals[] = {"proxima", "10", conninfo, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (!c)
		die_oom();
	if (PQstatus(c) != CONNECTION_OK) {
		if (err && errcap) {
			snprintf(err, errcap, "cannot connect to PostgreSQL: %s",
				 PQerrorMessage(c));
			size_t n = strlen(err);
			while (n && err[n - 1] == '\n')
				err[--n] = '\0';
		}
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, quiet_notice, NULL);
	struct pg_db *d = calloc(1, sizeof(*d));
	if (!d)
		die_oom();
	d->base.ops = &pg_ops;
	d->base.engine = DB_ENGINE_POSTGRES;
	d->c = c;
	d->busy_ms = DB_BUSY_TIMEOUT_MS;
	if (session_setup(d) < 0) {
		if (err && errcap)
			snprintf(err, errcap, "cannot set up the PostgreSQL session: %s",
				 d->errmsg);
		pg_close(&d->base);
		return NULL;
	}
	return &d->base;
}

const char *db_pg_version(void)
{
	static char v[16];
	int n = PQlibVersion();
	snprintf(v, sizeof(v), "%d.%d", n / 10000, n % 10000);
	return v;
}
