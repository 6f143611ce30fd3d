/* The aggregates of a bulk load summed in memory (the import). The
 * activities a load adds are written without their aggregates
 * (activity_save_bulk); each one is handed here as it is written. Its
 * contributions to the six aggregate tables (model/aggregate.h: agg_act,
 * agg_act_code and agg_act_link at the month grain, and the
 * organisation-month roll-ups agg_org_*) are added to cells in memory,
 * one cell per row of a table. The cells are written in each table's key
 * order, added to the rows already there, when the memory they hold
 * reaches the load's bound and at its end. So each row is written once
 * per flush instead of once per activity, memory stays bounded whatever
 * the size of the file, and the tables equal agg_rebuild (the property
 * tests of tests/unit/test_aggregates.c prove it after random imports,
 * into an empty and a non-empty journal). The values are the rebuild's
 * (AGG_X, AGG_Y of src/db/stmt_aggregates.def), computed in C by
 * agg_activity_values. */
#ifndef PROXIMA_AGG_BULK_H
#define PROXIMA_AGG_BULK_H

#include <stddef.h>
#include <stdint.h>

struct activity;
struct db;

/* The memory the cells of a load may hold before they are written. */
#define AGG_BULK_MAX_BYTES (64u * 1024 * 1024)

struct agg_bulk;

/* Starts the sums of a load on db (inside the caller's write
 * transaction), written whenever they hold more than max_bytes
 * (AGG_BULK_MAX_BYTES, or less in tests). The caller owns the result
 * (agg_bulk_free). Aborts on out-of-memory. */
struct agg_bulk *agg_bulk_new(struct db *db, size_t max_bytes);

/* Adds the activity a just inserted by activity_save_bulk, not deleted,
 * with record key ckey. Its components are its own or, when it gave none,
 * its type's default one, as stored. Writes the cells first when they
 * are full. a is not kept. 0 or -1 (a database error, logged). */
int agg_bulk_add(struct agg_bulk *b, const struct activity *a, int64_t ckey);

/* Writes every cell, added to the rows already there, and empties the
 * sums. Call before anything else of the same transaction reads or
 * changes the aggregate tables (agg_activity_add/remove), and at the end
 * of the load. 0 or -1 (logged): the caller then rolls back. */
int agg_bulk_flush(struct agg_bulk *b);

/* The cells written so far by b's flushes (a load's progress and logs). */
size_t agg_bulk_written(const struct agg_bulk *b);

/* Frees b (NULL allowed); cells not written are lost. */
void agg_bulk_free(struct agg_bulk *b);

#endif
