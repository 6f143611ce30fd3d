/* Aggregate maintenance (model/aggregate.h). Each change is three upserts
 * (counts, codes, links) at both grains and three into the
 * organisation-month roll-ups, then the rows it emptied are dropped, so the
 * tables hold no zero rows and equal a recomputation. */
#include "model/aggregate.h"

#include "core/log.h"
#include "db/db.h"
#include "model/cellkey.h"
#include "model/trajectory.h"

/* Runs a statement that returns no row, with ?1 = id and ?2 = sign. */
static int run(struct db *db, enum stmt_id sid, int64_t id, int sign, const char *event)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if (sign)
		db_bind_int(s, 2, sign);
	if (db_step(s) != DB_DONE) {
		db_log_error(db, event);
		return -1;
	}
	return 0;
}

/* Drops the rows emptied on the activity's day and month. */
static int prune(struct db *db, const char *date, int64_t territory)
{
	static const enum stmt_id ids[] = {STMT_AGG_PRUNE_ACT,      STMT_AGG_PRUNE_CODE,
					   STMT_AGG_PRUNE_LINK,     STMT_AGG_PRUNE_ORG_ACT,
					   STMT_AGG_PRUNE_ORG_CODE, STMT_AGG_PRUNE_ORG_LINK};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct db_stmt *s = db_stmt(db, ids[i]);
		if (!s)
			return -1;
		db_bind_text_copy(s, 1, date);
		db_bind_int64(s, 2, territory);
		if (db_step(s) != DB_DONE) {
			db_log_error(db, "agg.prune");
			return -1;
		}
	}
	return 0;
}

static int apply(struct db *db, int64_t id, int sign)
{
	if (run(db, STMT_AGG_APPLY_ACT, id, sign, "agg.apply_act") < 0 ||
	    run(db, STMT_AGG_APPLY_CODE, id, sign, "agg.apply_code") < 0 ||
	    run(db, STMT_AGG_APPLY_LINK, id, sign, "agg.apply_link") < 0 ||
	    run(db, STMT_AGG_APPLY_ORG_ACT, id, sign, "agg.apply_org_act") < 0 ||
	    run(db, STMT_AGG_APPLY_ORG_CODE, id, sign, "agg.apply_org_code") < 0 ||
	    run(db, STMT_AGG_APPLY_ORG_LINK, id, sign, "agg.apply_org_link") < 0)
		return -1;
	return 0;
}

int agg_activity_add(struct db *db, int64_t id)
{
	return apply(db, id, 1);
}

int agg_activity_remove(struct db *db, int64_t id)
{
	struct db_stmt *s = db_stmt(db, STMT_AGG_ACT_DATE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_DONE)
		return 0; /* absent or deleted: not aggregated */
	if (rc != DB_ROW) {
		db_log_error(db, "agg.remove");
		return -1;
	}
	char date[16] = {0};
	const char *t = db_col_cstr(s, 0);
	for (size_t i = 0; t && t[i] && i + 1 < sizeof(date); i++)
		date[i] = t[i];
	int64_t territory = db_col_int64(s, 1);
	db_reset(s);
	if (apply(db, id, -1) < 0)
		return -1;
	return prune(db, date, territory);
}

int agg_activities_add_since(struct db *db, int64_t after_id)
{
	static const enum stmt_id ids[] = {STMT_AGG_SINCE_ACT,  STMT_AGG_SINCE_ORG_ACT,
					   STMT_AGG_SINCE_CODE, STMT_AGG_SINCE_ORG_CODE,
					   STMT_AGG_SINCE_LINK, STMT_AGG_SINCE_ORG_LINK};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (run(db, ids[i], after_id, 0, "agg.add_since") < 0)
			return -1;
	return 0;
}

int agg_activity_max_id(struct db *db, int64_t *out)
{
	struct db_stmt *s = db_stmt(db, STMT_AGG_MAX_ACTIVITY);
	if (!s)
		return -1;
	int rc = db_step(s);
	*out = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		db_log_error(db, "agg.max_id");
		return -1;
	}
	return 0;
}

int agg_rebuild(struct db *db)
{
	static const enum stmt_id ids[] = {
		STMT_AGG_CLEAR_ACT,      STMT_AGG_CLEAR_CODE,      STMT_AGG_CLEAR_LINK,
		STMT_AGG_REBUILD_ACT,    STMT_AGG_ROLLUP_ACT,      STMT_AGG_REBUILD_STRATEGY,
		STMT_AGG_REBUILD_NEED,   STMT_AGG_REBUILD_OUTCOME, STMT_AGG_REBUILD_PLACE,
		STMT_AGG_ROLLUP_CODE,    STMT_AGG_REBUILD_FAMILY,  STMT_AGG_REBUILD_PARTNER,
		STMT_AGG_ROLLUP_LINK,    STMT_AGG_CLEAR_ORG_ACT,   STMT_AGG_CLEAR_ORG_CODE,
		STMT_AGG_CLEAR_ORG_LINK, STMT_AGG_ROLLUP_ORG_ACT,  STMT_AGG_ROLLUP_ORG_CODE,
		STMT_AGG_ROLLUP_ORG_LINK};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct db_stmt *s = db_stmt(db, ids[i]);
		if (!s)
			return -1;
		if (db_step(s) != DB_DONE) {
			db_log_error(db, "agg.rebuild");
			return -1;
		}
	}
	log_info("agg.rebuild", "aggregates rebuilt");
	return 0;
}

static enum db_unit_verdict reindex_unit(struct db *db, void *arg)
{
	(void)arg;
	return cellkey_backfill(db) >= 0 && agg_rebuild(db) == 0 && trajectory_rebuild(db) == 0
		       ? DB_UNIT_KEEP
		       : DB_UNIT_DISCARD;
}

int agg_reindex(struct db *db)
{
	return db_unit_run(db, reindex_unit, NULL, NULL) == DB_UNIT_COMMITTED ? 0 : -1;
}
