/* proxima copy: a SQLite deployment into another database (db/copy.h).
 *
 * The tables, their columns and their foreign keys are read from the
 * source's own catalogue (sqlite_master, pragma_table_info,
 * pragma_foreign_key_list); the twins' test (tests/unit/test_db.c) keeps
 * both engines' schemas equal. The statements are made here from those
 * names, each checked to be a plain identifier ([a-z0-9_]) and quoted:
 * the one place where SQL text is assembled, from the schema itself and
 * never from input. Values are always bound, by the column's declared
 * type. Each table is one bulk load (db.h): COPY on PostgreSQL, so a
 * province's millions of rows do not cost a round trip each.
 *
 * The secondary indexes a bulk load sets aside (db_bulk_indexes_*, db.h)
 * are dropped and built again here too, from the catalogue's own
 * definitions. */
#include "db/copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/engine.h"

#define COPY_MAX_TABLES 160
#define COPY_MAX_COLS 64
#define COPY_NAME 64

struct copy_table {
	char name[COPY_NAME];
	char col[COPY_MAX_COLS][COPY_NAME];
	char type[COPY_MAX_COLS]; /* 'I'nteger, 'R'eal, 'B'lob, 'T'ext */
	int ncols;
	int dep[COPY_MAX_TABLES]; /* tables it refers to (indexes) */
	int ndeps;
	bool self_ref; /* refers to itself: rows in rowid order */
	bool placed;
};

struct copy_schema {
	struct copy_table t[COPY_MAX_TABLES];
	int n;
	int order[COPY_MAX_TABLES]; /* parents before children */
};

static bool plain_ident(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= COPY_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* The declared type's storage class, as SQLite's affinity rules read it. */
static char type_class(const char *decl)
{
	if (!decl)
		return 'B';
	if (strcasestr(decl, "INT"))
		return 'I';
	if (strcasestr(decl, "CHAR") || strcasestr(decl, "CLOB") || strcasestr(decl, "TEXT"))
		return 'T';
	if (strcasestr(decl, "BLOB") || !*decl)
		return 'B';
	return 'R';
}

static int table_index(const struct copy_schema *sc, const char *name)
{
	for (int i = 0; i < sc->n; i++)
		if (strcmp(sc->t[i].name, name) == 0)
			return i;
	return -1;
}

/* Reads the tables to copy: every table but SQLite's own, the migrations'
 * record and the aggregates (rebuilt by the caller). 0 or -1. */
static int read_tables(struct db *from, struct copy_schema *sc, char *err, size_t errcap)
{
	struct db_stmt *q =
		db_query(from, "SELECT name FROM sqlite_master WHERE type = 'table' "
			       "AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations' "
			       "AND name NOT LIKE 'agg%' ORDER BY name");
	if (!q) {
		snprintf(err, errcap, "cannot read the source's tables: %s", db_errmsg(from));
		return -1;
	}
	int rc = 0;
	while (rc == 0 && db_step(q) == DB_ROW) {
		const char *name = db_col_cstr(q, 0);
		if (sc->n == COPY_MAX_TABLES || !name || !plain_ident(name)) {
			snprintf(err, errcap, "unexpected table %s in the source",
				 name ? name : "?");
			rc = -1;
			break;
		}
		str_copy(sc->t[sc->n++].name, COPY_NAME, name);
	}
	db_query_free(q);
	return rc;
}

/* Reads the columns and the foreign keys of table t. 0 or -1. */
static int read_columns(struct db *from, struct copy_schema *sc, struct copy_table *t, char *err,
			size_t errcap)
{
	struct db_stmt *q =
		db_query(from, "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid");
	struct db_stmt *fk =
		db_query(from, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)");
	int rc = q && fk ? 0 : -1;
	if (rc == 0) {
		db_bind_text(q, 1, t->name);
		while (rc == 0 && db_step(q) == DB_ROW) {
			const char *c = db_col_cstr(q, 0);
			if (t->ncols == COPY_MAX_COLS || !c || !plain_ident(c)) {
				rc = -1;
				break;
			}
			str_copy(t->col[t->ncols], COPY_NAME, c);
			t->type[t->ncols++] = type_class(db_col_cstr(q, 1));
		}
		db_bind_text(fk, 1, t->name);
		while (rc == 0 && db_step(fk) == DB_ROW) {
			int d = table_index(sc, db_col_cstr(fk, 0) ? db_col_cstr(fk, 0) : "");
			if (d >= 0 && d != t - sc->t)
				t->dep[t->ndeps++] = d;
			else if (d >= 0)
				t->self_ref = true;
		}
	}
	if (rc < 0)
		snprintf(err, errcap, "cannot read the columns of table %s", t->name);
	db_query_free(q);
	db_query_free(fk);
	return rc;
}

/* Orders the tables parents first. 0, or -1 on a cycle. */
static int order_tables(struct copy_schema *sc, char *err, size_t errcap)
{
	for (int k = 0; k < sc->n; k++) {
		int pick = -1;
		for (int i = 0; i < sc->n && pick < 0; i++) {
			if (sc->t[i].placed)
				continue;
			int d = 0;
			while (d < sc->t[i].ndeps && sc->t[sc->t[i].dep[d]].placed)
				d++;
			if (d == sc->t[i].ndeps)
				pick = i;
		}
		if (pick < 0) {
			snprintf(err, errcap, "the source's foreign keys form a cycle");
			return -1;
		}
		sc->t[pick].placed = true;
		sc->order[k] = pick;
	}
	return 0;
}

/* "SELECT "a", "b" FROM "t" [ORDER BY rowid]", "INSERT INTO "t" ("a",
 * "b") VALUES (?1, ?2)" and "COPY "t" ("a", "b") FROM STDIN". Rowid order
 * only for a table that refers to itself (a row's parent, made before it,
 * comes first): a table without a rowid (trajectory_referral) has none to
 * order by, and a plain scan of the others is in rowid order anyway. */
static void table_sql(const struct copy_table *t, struct buf *sel, struct buf *ins, struct buf *cpy)
{
	buf_puts(sel, "SELECT ");
	buf_printf(ins, "INSERT INTO \"%s\" (", t->name);
	buf_printf(cpy, "COPY \"%s\" (", t->name);
	for (int c = 0; c < t->ncols; c++) {
		buf_printf(sel, "%s\"%s\"", c ? ", " : "", t->col[c]);
		buf_printf(ins, "%s\"%s\"", c ? ", " : "", t->col[c]);
		buf_printf(cpy, "%s\"%s\"", c ? ", " : "", t->col[c]);
	}
	buf_printf(sel, " FROM \"%s\"%s", t->name, t->self_ref ? " ORDER BY rowid" : "");
	buf_puts(ins, ") VALUES (");
	for (int c = 0; c < t->ncols; c++)
		buf_printf(ins, "%s?%d", c ? ", " : "", c + 1);
	buf_puts(ins, ")");
	buf_puts(cpy, ") FROM STDIN");
}

/* Appends column c of the source's current row to the bulk load. */
static void put_value(struct db_stmt *q, struct db_bulk *w, const struct copy_table *t, int c)
{
	if (db_col_is_null(q, c)) {
		db_bulk_null(w);
		return;
	}
	switch (t->type[c]) {
	case 'I': db_bulk_int64(w, db_col_int64(q, c)); break;
	case 'R': db_bulk_double(w, db_col_double(q, c)); break;
	case 'B': db_bulk_blob(w, db_col_blob(q, c), db_col_bytes(q, c)); break;
	default: db_bulk_textn(w, db_col_cstr(q, c), db_col_bytes(q, c)); break;
	}
}

/* Copies every row of t, as one bulk load (COPY on PostgreSQL). 0 or -1. */
static int copy_rows(struct db *from, struct db *to, const struct copy_table *t,
		     struct db_copy_stats *st, char *err, size_t errcap)
{
	struct buf sel = BUF_INIT(8192), ins = BUF_INIT(8192), cpy = BUF_INIT(8192);
	table_sql(t, &sel, &ins, &cpy);
	struct db_stmt *q = db_query(from, sel.data);
	struct db_bulk *w = q ? db_bulk_begin_sql(to, ins.data, cpy.data) : NULL;
	int rc = q && w ? 0 : -1;
	bool source_failed = !q;
	int step = DB_DONE;
	while (rc == 0 && (step = db_step(q)) == DB_ROW) {
		for (int c = 0; c < t->ncols; c++)
			put_value(q, w, t, c);
		if (db_bulk_row(w) < 0)
			rc = -1;
		st->rows++;
	}
	if (rc == 0 && step != DB_DONE) {
		rc = -1;
		source_failed = true;
	}
	char why[256];
	str_copy(why, sizeof(why), db_errmsg(from));
	int64_t bad = 0;
	if (w && db_bulk_end(w, &bad) < 0 && rc == 0)
		rc = -1;
	if (rc < 0 && source_failed)
		snprintf(err, errcap, "table %s: %s", t->name, why);
	else if (rc < 0 && bad > 0)
		snprintf(err, errcap, "table %s, row %lld: %s", t->name, (long long)bad,
			 db_errmsg(to));
	else if (rc < 0)
		snprintf(err, errcap, "table %s: %s", t->name, db_errmsg(to));
	db_query_free(q);
	buf_free(&sel);
	buf_free(&ins);
	buf_free(&cpy);
	return rc;
}

/* Empties the target's tables, children first (the rows the migrations
 * seeded: settings, sectors, reference lists). 0 or -1. */
static int empty_target(struct db *to, const struct copy_schema *sc, char *err, size_t errcap)
{
	for (int k = sc->n - 1; k >= 0; k--) {
		struct buf sql = BUF_INIT(256);
		buf_printf(&sql, "DELETE FROM \"%s\"", sc->t[sc->order[k]].name);
		int rc = db_exec_script(to, sql.data, err, errcap);
		buf_free(&sql);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* True when to already holds a deployment's records. */
static int target_in_use(struct db *to, char *err, size_t errcap)
{
	struct db_stmt *q = db_query(to, "SELECT (SELECT count(*) FROM territory) + "
					 "(SELECT count(*) FROM person)");
	int rc = q && db_step(q) == DB_ROW ? (db_col_int64(q, 0) > 0) : -1;
	db_query_free(q);
	if (rc == 1)
		snprintf(err, errcap,
			 "the target database already holds territories or people; "
			 "copy into a new, empty database");
	else if (rc < 0)
		snprintf(err, errcap, "cannot read the target database: %s", db_errmsg(to));
	return rc;
}

static int copy_all(struct db *from, struct db *to, struct copy_schema *sc,
		    struct db_copy_stats *st, char *err, size_t errcap)
{
	if (read_tables(from, sc, err, errcap) < 0)
		return -1;
	for (int i = 0; i < sc->n; i++)
		if (read_columns(from, sc, &sc->t[i], err, errcap) < 0)
			return -1;
	if (order_tables(sc, err, errcap) < 0 || empty_target(to, sc, err, errcap) < 0)
		return -1;
	for (int k = 0; k < sc->n; k++) {
		if (copy_rows(from, to, &sc->t[sc->order[k]], st, err, errcap) < 0)
			return -1;
		st->tables++;
	}
	return 0;
}

int db_copy(struct db *from, struct db *to, struct db_copy_stats *st, char *err, size_t errcap)
{
	memset(st, 0, sizeof(*st));
	if (db_engine(from) != DB_ENGINE_SQLITE) {
		snprintf(err, errcap, "the source must be a SQLite database");
		return -1;
	}
	int used = target_in_use(to, err, errcap);
	if (used != 0)
		return -1;
	static struct copy_schema sc;
	memset(&sc, 0, sizeof(sc));
	/* One snapshot of the live source (WAL: its writers go on). */
	if (db_exec_script(from, "BEGIN", err, errcap) < 0)
		return -1;
	if (db_begin(to) < 0) {
		snprintf(err, errcap, "cannot begin on the target: %s", db_errmsg(to));
		db_exec_script(from, "ROLLBACK", NULL, 0);
		return -1;
	}
	int rc = copy_all(from, to, &sc, st, err, errcap);
	if (rc == 0 && db_commit(to) < 0) {
		snprintf(err, errcap, "cannot commit on the target: %s", db_errmsg(to));
		rc = -1;
	}
	if (rc < 0)
		db_rollback(to);
	db_exec_script(from, "ROLLBACK", NULL, 0);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Secondary indexes set aside for a bulk load (db.h): their DDL made
 * from the catalogue too, so it lives here. */

struct db_bulk_indexes {
	struct db *db;
	char **sql; /* the definitions, to build them again */
	size_t n, cap;
};

/* Runs one statement of DDL made from the catalogue. 0 or -1 (logged). */
static int run_ddl(struct db *db, const char *sql, const char *what)
{
	struct db_stmt *s = db_query(db, sql);
	int rc = s ? db_step(s) : DB_ERROR;
	if (rc != DB_DONE)
		log_error("db.bulk_indexes", "cannot %s: %s", what, db_errmsg(db));
	db_query_free(s);
	return rc == DB_DONE ? 0 : -1;
}

/* Drops index name (from the catalogue: a plain identifier, quoted) and
 * keeps its definition. 0 or -1. */
static int defer_one(struct db_bulk_indexes *d, const char *name, const char *sql)
{
	if (!plain_ident(name)) {
		log_error("db.bulk_indexes", "unexpected index name in the catalogue");
		return -1;
	}
	struct buf drop = BUF_INIT(256);
	buf_printf(&drop, "DROP INDEX \"%s\"", name);
	int rc = drop.overflow ? -1 : run_ddl(d->db, drop.data, "set an index aside");
	buf_free(&drop);
	if (rc < 0)
		return -1;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		char **v = realloc(d->sql, d->cap * sizeof(*v));
		if (!v)
			die_oom();
		d->sql = v;
	}
	d->sql[d->n] = strdup(sql);
	if (!d->sql[d->n])
		die_oom();
	d->n++;
	return 0;
}

/* Sets aside the indexes of one table. 0 or -1. */
static int defer_table(struct db_bulk_indexes *d, const char *table)
{
	struct db_stmt *s = db_stmt(d->db, STMT_BULK_INDEXES);
	if (!s)
		return -1;
	db_bind_text(s, 1, table);
	/* Names and definitions first: the catalog changes as they drop. */
	char *names[32], *defs[32];
	size_t n = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW && n < 32) {
		names[n] = strdup(db_col_cstr(s, 0));
		defs[n] = strdup(db_col_cstr(s, 1));
		if (!names[n] || !defs[n])
			die_oom();
		n++;
	}
	db_reset(s);
	int ret = rc == DB_ROW || rc == DB_DONE ? 0 : -1;
	for (size_t i = 0; i < n; i++) {
		if (ret == 0 && defer_one(d, names[i], defs[i]) < 0)
			ret = -1;
		free(names[i]);
		free(defs[i]);
	}
	return ret;
}

struct db_bulk_indexes *db_bulk_indexes_defer(struct db *db, const char *const *tables, size_t n)
{
	BUG_ON(!db->writing);
	struct db_bulk_indexes *d = calloc(1, sizeof(*d));
	if (!d)
		die_oom();
	d->db = db;
	for (size_t i = 0; i < n; i++)
		if (defer_table(d, tables[i]) < 0) {
			db_bulk_indexes_free(d);
			return NULL;
		}
	return d;
}

int db_bulk_indexes_restore(struct db_bulk_indexes *d)
{
	if (!d)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < d->n && rc == 0; i++)
		rc = run_ddl(d->db, d->sql[i], "build an index again");
	db_bulk_indexes_free(d);
	return rc;
}

void db_bulk_indexes_free(struct db_bulk_indexes *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->sql[i]);
	free(d->sql);
	free(d);
}
