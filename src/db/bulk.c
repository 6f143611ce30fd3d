/* Bulk loads (db.h, "Bulk loads"): the statement's INSERT stepped per row,
 * or, where the engine has it (PostgreSQL), COPY … FROM STDIN with the rows
 * encoded here in COPY's text format and sent a message at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/engine.h"

/* Rows are sent once this many bytes are waiting (one CopyData message). */
#define BULK_FLUSH_BYTES (64 * 1024)
/* A row is never larger than this (the longest text the schema holds,
 * escaped, with room to spare). */
#define BULK_MAX_BYTES (64u * 1024 * 1024)

struct db_bulk {
	struct db *db;
	struct db_stmt *ins; /* the INSERT (no COPY) */
	bool adhoc;          /* ins is the bulk's own (db_bulk_begin_sql) */
	int col;             /* values given in the current row */
	int64_t rows;        /* rows ended */
	bool failed;
	struct buf out; /* COPY: encoded rows not yet sent */
};

static bool copying(const struct db_bulk *b)
{
	return b->ins == NULL;
}

static struct db_bulk *bulk_new(struct db *db)
{
	struct db_bulk *b = calloc(1, sizeof(*b));
	if (!b)
		die_oom();
	b->db = db;
	buf_init(&b->out, BULK_MAX_BYTES);
	return b;
}

/* Starts a load: COPY with copy_sql on an engine that has it, else the
 * INSERT ins (NULL: not prepared). adhoc: ins is the load's own. */
static struct db_bulk *bulk_start(struct db *db, struct db_stmt *ins, bool adhoc,
				  const char *copy_sql)
{
	BUG_ON(!db->writing);
	if (db->ops->copy_begin ? db->ops->copy_begin(db, copy_sql) < 0 : !ins)
		return NULL;
	struct db_bulk *b = bulk_new(db);
	b->ins = ins;
	b->adhoc = adhoc;
	return b;
}

struct db_bulk *db_bulk_begin(struct db *db, enum stmt_id id)
{
	bool copy = db->ops->copy_begin != NULL;
	return bulk_start(db, copy ? NULL : db_stmt(db, id), false,
			  stmt_sql(id, db->engine == DB_ENGINE_POSTGRES));
}

struct db_bulk *db_bulk_begin_sql(struct db *db, const char *insert_sql, const char *copy_sql)
{
	bool copy = db->ops->copy_begin != NULL;
	return bulk_start(db, copy ? NULL : db_query(db, insert_sql), true, copy_sql);
}

/* COPY: the separator before a value. */
static void field(struct db_bulk *b)
{
	if (b->col++)
		buf_putc(&b->out, '\t');
}

void db_bulk_int64(struct db_bulk *b, int64_t v)
{
	if (b->failed)
		return;
	if (!copying(b)) {
		db_bind_int64(b->ins, ++b->col, v);
		return;
	}
	field(b);
	char d[24], *e = d + sizeof(d), *p = e;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_append(&b->out, p, (size_t)(e - p));
}

void db_bulk_double(struct db_bulk *b, double v)
{
	if (b->failed)
		return;
	if (!copying(b)) {
		db_bind_double(b->ins, ++b->col, v);
		return;
	}
	field(b);
	buf_printf(&b->out, "%.17g", v);
}

void db_bulk_null(struct db_bulk *b)
{
	if (b->failed)
		return;
	if (!copying(b)) {
		db_bind_null(b->ins, ++b->col);
		return;
	}
	field(b);
	buf_append(&b->out, "\\N", 2);
}

/* COPY's text format: backslash, tab, new line and carriage return
 * escaped; every other byte as it is (the connection's encoding is
 * UTF-8). */
static void put_escaped(struct buf *o, const char *t, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *esc = t[i] == '\\'   ? "\\\\"
				  : t[i] == '\t' ? "\\t"
				  : t[i] == '\n' ? "\\n"
				  : t[i] == '\r' ? "\\r"
						 : NULL;
		if (!esc)
			continue;
		buf_append(o, t + from, i - from);
		buf_append(o, esc, 2);
		from = i + 1;
	}
	buf_append(o, t + from, n - from);
}

void db_bulk_textn(struct db_bulk *b, const char *t, size_t n)
{
	if (b->failed)
		return;
	if (!t) {
		db_bulk_null(b);
		return;
	}
	if (!copying(b)) {
		db_bind_textn(b->ins, ++b->col, t, n);
		return;
	}
	field(b);
	put_escaped(&b->out, t, n);
}

void db_bulk_text(struct db_bulk *b, const char *t)
{
	db_bulk_textn(b, t, t ? strlen(t) : 0);
}

void db_bulk_blob(struct db_bulk *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	if (!copying(b)) {
		db_bind_blob(b->ins, ++b->col, p, n);
		return;
	}
	/* bytea's hex form, its backslash escaped for COPY: \\x0a1b… */
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = p;
	field(b);
	buf_append(&b->out, "\\\\x", 3);
	for (size_t i = 0; i < n; i++) {
		char h[2] = {hex[u[i] >> 4], hex[u[i] & 15]};
		buf_append(&b->out, h, 2);
	}
}

/* Sends the encoded rows. 0 or -1. */
static int flush(struct db_bulk *b)
{
	if (b->out.len && b->db->ops->copy_put(b->db, b->out.data, b->out.len) < 0)
		return -1;
	buf_reset(&b->out);
	return 0;
}

int db_bulk_row(struct db_bulk *b)
{
	b->col = 0;
	if (b->failed)
		return -1;
	b->rows++;
	if (!copying(b)) {
		int rc = db_step(b->ins);
		db_reset(b->ins);
		b->failed = rc != DB_DONE;
		return b->failed ? -1 : 0;
	}
	if (b->out.overflow) {
		/* A row past BULK_MAX_BYTES: a bug of the caller's bounds. */
		log_error("db.bulk", "row %lld is longer than %u bytes", (long long)b->rows,
			  BULK_MAX_BYTES);
		b->failed = true;
		return -1;
	}
	buf_putc(&b->out, '\n');
	if (b->out.len >= BULK_FLUSH_BYTES && flush(b) < 0)
		b->failed = true;
	return b->failed ? -1 : 0;
}

int db_bulk_end(struct db_bulk *b, int64_t *bad_row)
{
	if (bad_row)
		*bad_row = 0;
	if (!b)
		return -1;
	int rc = b->failed ? -1 : 0;
	if (!copying(b)) {
		if (rc < 0 && bad_row)
			*bad_row = b->rows;
		if (b->adhoc)
			db_query_free(b->ins);
	} else {
		/* The COPY is ended even after a failed send, so the connection
		 * leaves the COPY state; its error is then the one kept. */
		if (rc == 0 && flush(b) < 0)
			rc = -1;
		int64_t bad = 0;
		if (b->db->ops->copy_end(b->db, rc < 0, &bad) < 0) {
			rc = -1;
			if (bad_row)
				*bad_row = bad;
		}
	}
	buf_free(&b->out);
	free(b);
	return rc;
}
