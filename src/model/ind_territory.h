/* What a territory has in place, as two arr.* indicators read it (the
 * report engine, src/reports/engine.c, computes them): its socio-sanitary
 * portrait and its intersectoral corridors. Rows and strings are in the
 * arena passed in; the caller owns nothing else. */
#ifndef PROXIMA_IND_TERRITORY_H
#define PROXIMA_IND_TERRITORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct arena;

/* One value of the portrait. */
struct ind_portrait_row {
	const char *territory;                /* external id */
	bool own;                             /* the scope's territory itself, not a descendant */
	const char *indicator, *label, *unit; /* label and unit may be NULL */
	const char *label_en;                 /* may be NULL */
	double value;
	const char *period_start, *period_end, *source; /* may be NULL */
};

/* The portrait values of territory_id (0 = every territory) and of the
 * territories below it whose period ends on or before as_of (YYYY-MM-DD;
 * values without dates count): the territory's own first, then by
 * territory and indicator, the newest value of each first. Returns 0 or
 * -1 (logged). */
int ind_territory_portrait(struct db *db, struct arena *a, int64_t territory_id, const char *as_of,
			   struct ind_portrait_row **out, size_t *n);

/* A corridor and the number of portrait indicators it is linked to. */
struct ind_corridor_row {
	const char *ext_id, *name;
	int64_t linked;
};

/* The corridors of territory_id (0 = every territory) and of the
 * territories below it active at some time in [from, to] (YYYY-MM-DD), by
 * external id. Returns 0 or -1 (logged). */
int ind_territory_corridors(struct db *db, struct arena *a, int64_t territory_id, const char *from,
			    const char *to, struct ind_corridor_row **out, size_t *n);

#endif
