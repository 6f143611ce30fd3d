/* Referral trajectories kept at write time: see trajectory.h. */
#include "model/trajectory.h"

#include <stdbool.h>

#include "core/log.h"
#include "db/db.h"
#include "model/row.h"

/* Deletes the rows statement del selects for id, then inserts what ins
 * computes for it: the same trajectories, rewritten. */
static int rewrite(struct db *db, enum stmt_id del, enum stmt_id ins, int64_t id)
{
	if (row_exec_id(db, del, id, NULL, "trajectory.delete") < 0)
		return -1;
	return row_exec_id(db, ins, id, NULL, "trajectory.insert");
}

/* At most this many trajectories hold one referral (a chain has one first
 * referral; an import that moves it adds the old one). */
#define ROOTS_MAX 8

/* The first referrals of statement sid's rows for id, appended to roots
 * (without duplicates). 0, or -1 on an error or when more than ROOTS_MAX
 * trajectories hold it (a broken invariant: the write fails rather than
 * leave a trajectory unrefreshed). */
static int roots_add(struct db *db, enum stmt_id sid, int64_t id, int64_t *roots, int *n)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t r = db_col_int64(s, 0);
		bool seen = false;
		for (int i = 0; i < *n && !seen; i++)
			seen = roots[i] == r;
		if (seen)
			continue;
		if (*n == ROOTS_MAX) {
			db_reset(s);
			log_error("trajectory.roots",
				  "referral=%lld held by more than %d trajectories", (long long)id,
				  ROOTS_MAX);
			return -1;
		}
		roots[(*n)++] = r;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "trajectory.roots");
		return -1;
	}
	return 0;
}

int trajectory_refresh(struct db *db, int64_t referral_id)
{
	int64_t roots[ROOTS_MAX];
	int n = 0;
	if (roots_add(db, STMT_TRAJ_ROOTS_OF, referral_id, roots, &n) < 0 ||
	    roots_add(db, STMT_TRAJ_ROOT_NOW, referral_id, roots, &n) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (rewrite(db, STMT_TRAJ_DELETE_ROOT, STMT_TRAJ_INSERT_ROOT, roots[i]) < 0)
			return -1;
	return 0;
}

int trajectory_refresh_corridor(struct db *db, int64_t corridor_id)
{
	return rewrite(db, STMT_TRAJ_DELETE_CORRIDOR, STMT_TRAJ_INSERT_CORRIDOR, corridor_id);
}

int trajectory_refresh_organisation(struct db *db, int64_t organisation_id)
{
	return rewrite(db, STMT_TRAJ_DELETE_ORG, STMT_TRAJ_INSERT_ORG, organisation_id);
}

int trajectory_rebuild(struct db *db)
{
	struct db_stmt *s = db_stmt(db, STMT_TRAJ_DELETE_ALL);
	if (!s || row_exec(db, s, "trajectory.rebuild") < 0)
		return -1;
	s = db_stmt(db, STMT_TRAJ_INSERT_ALL);
	if (!s || row_exec(db, s, "trajectory.rebuild") < 0)
		return -1;
	log_info("trajectory.rebuild", "referral trajectories rebuilt");
	return 0;
}

static enum db_unit_verdict reindex_unit(struct db *db, void *arg)
{
	(void)arg;
	return trajectory_rebuild(db) == 0 ? DB_UNIT_KEEP : DB_UNIT_DISCARD;
}

int trajectory_reindex(struct db *db)
{
	return db_unit_run(db, reindex_unit, NULL, NULL) == DB_UNIT_COMMITTED ? 0 : -1;
}
