/* The cell-key method against differencing (issue 14; indicators.md "No
 * differencing"; the reports guide, "Protected counts"), after the ABS
 * TableBuilder.
 *
 * Record keys. Every record that a count of people adds up carries a
 * record key, drawn at random in [0, CELLKEY_RANGE) when the record is
 * created and never changed: an activity (its counts of people), a
 * followed family, a referral (the first referral of a trajectory stands
 * for the trajectory).
 *
 * Cell keys. The key of a cell is the sum, modulo CELLKEY_RANGE, of the
 * keys of the records it counts, each once per person it brings: an
 * activity that reached 3 adults adds 3 times its key to the cell of
 * adults, a followed family its key once, a trajectory its first referral's
 * key. The aggregate tables keep these sums beside the counts
 * (model/aggregate.h), so the cell of any period, territory, sector or
 * organisation gets its key without reading an activity; a record that
 * brings nobody to a cell (a meeting that reached no one) leaves its key
 * unchanged.
 *
 * Perturbation. A published count v >= T becomes v + d, where d is -2,
 * -1, 0, +1 or +2, chosen by the cell key, each for a fifth of the keys:
 *   - consistent: the same records give the same key, so asking again, or
 *     through another period that holds the same records, gives the same
 *     figure, and averaging repeated answers does not converge;
 *   - safe against subtraction: two periods that differ by a few records
 *     differ in their keys, so their d are independent, and the difference
 *     of the two answers is the true difference once in five;
 *   - unbiased: d has mean 0 over the keys, so totals over many cells stay
 *     unbiased.
 * Zero stays zero; counts from 1 to T-1 are not changed (the report shows
 * them "<T"); a count that becomes smaller than T is shown "<T" too. The
 * figures of one answer need not add up (each cell has its own d). */
#ifndef PROXIMA_CELLKEY_H
#define PROXIMA_CELLKEY_H

#include <stdint.h>

struct db;

#define CELLKEY_RANGE (1 << 24)
#define CELLKEY_MAX_CHANGE 2

/* A new record key, uniform in [0, CELLKEY_RANGE) (libsodium's generator). */
int64_t cellkey_draw(void);

/* The cell key of a sum of record keys (any sign, any size). */
uint32_t cellkey_of(int64_t sum);

/* The change d in [-CELLKEY_MAX_CHANGE, CELLKEY_MAX_CHANGE] of a cell key. */
int cellkey_change(uint32_t key);

/* The published value of count v of a cell with key key under threshold t:
 * v itself when v < t (0, or shown "<t"), else v + cellkey_change(key)
 * (never below 0). */
int64_t cellkey_perturb(int64_t v, uint32_t key, int t);

/* Draws the keys of the activities, families and referrals that have none
 * (made before migration 0015), in the caller's transaction; the
 * aggregates must then be rebuilt (agg_rebuild). Returns the number of
 * records given a key, or -1 (logged). */
int64_t cellkey_backfill(struct db *db);

/* The schema version that added the record keys: `proxima migrate` across
 * it draws the keys of the records already there and rebuilds the
 * aggregates in the same run. */
#define CELLKEY_SCHEMA_VERSION 15

#endif
