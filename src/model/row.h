/* Small helpers the model modules share to write rows: a new external id,
 * an optional text binding, one step of a write statement, and the read of
 * a single row. */
#ifndef PROXIMA_MODEL_ROW_H
#define PROXIMA_MODEL_ROW_H

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

#endif
