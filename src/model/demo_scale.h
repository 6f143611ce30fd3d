/* Province-scale demonstration data (proxima demo --scale F), for the
 * benchmarks of the aggregates and reports (docs/performance.md): at F = 1,
 * 16 regions of 8 territories, 6 organisations per territory (one per
 * sector), 10,000 PAP positions with their holders, 10 million activities
 * over one calendar year with their lists, 300,000 followed families and
 * 500,000 referrals (trajectories of 1 to 3, through the territories'
 * corridors). Counts of positions, activities, families and referrals
 * scale with F; the territory tree does not. Generated with direct
 * prepared inserts in large transactions, then the aggregates are rebuilt.
 * Everything is deterministic (fixed seed). It lives in the model because
 * it writes rows straight through the statement table, at bench speed;
 * the demo of src/demo loads interchange records instead. */
#ifndef PROXIMA_MODEL_DEMO_SCALE_H
#define PROXIMA_MODEL_DEMO_SCALE_H

#include <stdint.h>

struct db;

struct demo_scale_result {
	int64_t territories, organisations, positions, families, corridors, activities, referrals;
	double seconds_insert, seconds_aggregates;
};

/* Adds the province to db (initialised and migrated; ids continue after
 * the existing ones) for year `year` (January 1 - December 31). factor in
 * (0, 10]. Returns 0, or -1 (logged; the transaction in progress is rolled
 * back, earlier ones stay). */
int demo_scale_load(struct db *db, double factor, int year, struct demo_scale_result *res);

#endif
