/* Aggregate tables of the activity journal (db/migrations/0011_aggregates.sql,
 * and the organisation-month roll-ups of 0012_rollups.sql),
 * read by the act.* indicators (model/ind_activity.h). They are kept in the
 * same transaction as every activity write: the writer calls
 * agg_activity_remove before it changes or deletes a stored activity, and
 * agg_activity_add after it has stored (or restored) one, both while holding
 * the write transaction. The aggregates are then always equal to a full
 * recomputation (agg_rebuild), which `proxima reindex` runs. */
#ifndef PROXIMA_AGGREGATE_H
#define PROXIMA_AGGREGATE_H

#include <stdint.h>

struct activity;
struct db;
struct strlist;

/* Adds the stored activity id (with its lists, as they are now in the
 * database) to the aggregates. A deleted or absent activity adds nothing.
 * 0 or -1 (logged). */
int agg_activity_add(struct db *db, int64_t id);

/* The same for an activity just inserted (so never aggregated before),
 * from its values in memory rather than read back: a, as stored, with
 * components the list stored for it (its own, or its type's default
 * component when it gave none) and ckey its record key. The write path of
 * the journal (activity_save), where this replaces six statements over
 * the activity's rows by one upsert per row it changes. 0 or -1 (logged). */
int agg_activity_add_new(struct db *db, const struct activity *a, const struct strlist *components,
			 int64_t ckey);

/* The number of values of an agg_act row (AGG_VAL_NAMES of
 * db/stmt_aggregates.def): n, the counts, the minutes, the component
 * counts and shares, the record-key sums. */
enum { AGG_NVALS = 29 };

/* The record key of family id, as the link rows hold it, into *out (0 when
 * the family has none or does not exist). 0, or -1 on a database error
 * (logged). */
int agg_family_ckey(struct db *db, int64_t id, int64_t *out);

/* The values (AGG_VAL_NAMES order) one activity adds to its agg_act and
 * agg_org_act rows: a as stored, components the list stored for it (its
 * own, or its type's default component), ckey its record key. The one C
 * twin of AGG_X/AGG_Y, shared by agg_activity_add_new and the bulk sums
 * (model/agg_bulk.h). */
void agg_activity_values(const struct activity *a, const struct strlist *components, int64_t ckey,
			 int64_t v[AGG_NVALS]);

/* Removes the stored activity id from the aggregates (call before changing
 * or deleting it). A deleted or absent activity removes nothing. 0 or -1. */
int agg_activity_remove(struct db *db, int64_t id);

/* The highest activity id stored (0 when none): a bulk load reads it at
 * its start, inside its transaction, to tell the activities it adds (whose
 * aggregates it sums itself, model/agg_bulk.h) from those stored before.
 * 0 or -1. */
int agg_activity_max_id(struct db *db, int64_t *out);

/* Empties and rebuilds every aggregate table from the activities. The
 * caller holds a write transaction. 0 or -1 (logged). */
int agg_rebuild(struct db *db);

/* As a write unit of its own (db_unit_run): the records without a record
 * key get one (cellkey_backfill), then agg_rebuild, then the referral
 * trajectories (trajectory_rebuild, model/trajectory.h). `proxima reindex`,
 * `proxima copy` and the migrations that create the aggregates, the
 * record keys or the trajectories. 0 or -1. */
int agg_reindex(struct db *db);

/* The schema version that created the aggregate tables (migration 0011):
 * a database upgraded across it has activities but empty aggregates, so
 * `proxima migrate` rebuilds them in the same run. */
#define AGG_SCHEMA_VERSION 11

#endif
