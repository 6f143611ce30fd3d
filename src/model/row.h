/* Small helpers the model modules share to write rows: a new external id,
 * an optional text binding, one step of a write statement, the read of a
 * single row, and the read of every row into an arena array. */
#ifndef PROXIMA_MODEL_ROW_H
#define PROXIMA_MODEL_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

/* A new random external id "PREFIX-" followed by 16 hex digits (8 random
 * bytes), e.g. "fam-0123456789abcdef". Arena string. */
const char *row_new_ext_id(struct arena *a, const char *prefix);

/* Binds t as parameter i of s, or NULL when t is NULL or empty. t is
 * not copied: it must live until s is reset. */
void row_bind_opt(struct db_stmt *s, int i, const char *t);

/* Steps the write statement s once and resets it. Returns 0 when it
 * completed (DB_DONE), else -1 with the connection's error logged
 * under event. */
int row_exec(struct db *db, struct db_stmt *s, const char *event);

/* Runs the write statement sid with the row id bound as ?1 and, when text
 * is not NULL, text as ?2 (the lists that hang off a row: clear, add).
 * Returns 0, or -1 (logged under event). */
int row_exec_id(struct db *db, enum stmt_id sid, int64_t id, const char *text, const char *event);

/* Steps s, a statement that gives at most one row. Returns 0 with the row
 * current (the caller reads it, then resets s); 1 when there is no row, or
 * -1 on an error (logged under event), s reset in both cases. */
int row_fetch(struct db *db, struct db_stmt *s, const char *event);

/* The rows of a statement read into an arena array (row_next). Zero it
 * first; v then holds n elements, and rc says how the read ended: 0 at the
 * last row, -1 on an error. Several statements may append to one array,
 * one loop after the other (check rc after each). */
struct row_array {
	void *v;
	size_t n, cap;
	int rc;
};

/* The one row-reading loop of the model:
 *	struct row_array rows = {0};
 *	struct thing *t;
 *	while ((t = row_next(db, s, ar, &rows, sizeof(*t), "thing.list")))
 *		read_thing(ar, s, t);
 *	if (rows.rc < 0)
 *		return -1;
 * Steps s; on a row, appends a zeroed element of size bytes to rows (in
 * arena ar) and returns it for the caller to fill from s's columns (valid
 * until the next call). At the end returns NULL with s reset and rows->rc
 * 0, or -1 after logging the connection's error under event. */
void *row_next(struct db *db, struct db_stmt *s, struct arena *ar, struct row_array *rows,
	       size_t size, const char *event);

/* Takes back the element row_next just returned, for a row the caller
 * skips (a date it cannot read, a row outside what it wants):
 *	while ((t = row_next(db, s, ar, &rows, sizeof(*t), "thing.list")))
 *		if (!read_thing(ar, s, t))
 *			row_drop(&rows);
 * The loop goes on with the next row. */
void row_drop(struct row_array *rows);

#endif
