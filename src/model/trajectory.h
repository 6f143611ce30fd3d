/* Referral trajectories kept at write time (issue 15): the table
 * trajectory_referral (db/migrations/0021_trajectories.sql) holds every
 * referral of every trajectory once per territory the trajectory counts
 * for, with the instants the arrimage indicators' "as of" rules read, so
 * that a comparison of territories reads each territory's rows from one
 * index range (ind_arr_referral_rows_split and ind_arr_trajectories_split,
 * model/ind_arrimage.h).
 *
 * The table is a function of referral, corridor (territory), the
 * territories organisations serve and the territory tree. Every writer of
 * those keeps it in its own write transaction, through the functions
 * below; they rewrite whole trajectories, so the table always equals
 * trajectory_rebuild, which `proxima reindex` runs (agg_reindex) and
 * `proxima migrate` runs once when it crosses TRAJ_SCHEMA_VERSION.
 *
 * Each function returns 0, or -1 on a database error (logged). The caller
 * holds the write transaction. */
#ifndef PROXIMA_TRAJECTORY_H
#define PROXIMA_TRAJECTORY_H

#include <stdint.h>

struct db;

/* The schema version whose migration creates trajectory_referral. */
#define TRAJ_SCHEMA_VERSION 21

/* After referral id was inserted or changed (any column the indicators
 * read, or previous_id): rewrites the trajectory it is in now and any it
 * was in before. */
int trajectory_refresh(struct db *db, int64_t referral_id);

/* After corridor id's territory changed: rewrites the trajectories whose
 * first referral is on it. */
int trajectory_refresh_corridor(struct db *db, int64_t corridor_id);

/* After the territories organisation id serves changed: rewrites the
 * trajectories whose first referral it sent without a corridor. */
int trajectory_refresh_organisation(struct db *db, int64_t organisation_id);

/* Empties and rebuilds the whole table (a territory moved in the tree,
 * bulk loads, reindex). */
int trajectory_rebuild(struct db *db);

/* trajectory_rebuild as a write unit of its own (db_unit_run): `proxima
 * migrate` crossing TRAJ_SCHEMA_VERSION alone. 0 or -1. */
int trajectory_reindex(struct db *db);

#endif
