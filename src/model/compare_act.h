/* The act.* indicators of many territories at once (issue 15: the
 * province comparison, /tableaux/comparaison).
 *
 * ind_act_compute_all reads, for one territory, the aggregate rows of
 * that territory and its descendants. Comparing territories that way reads
 * the tables once per territory, each time through a recursive query, and
 * the referrals through the organisations each territory's tree serves.
 * compare_act_compute reads each table once for all the compared
 * territories, grouped by the territory a row belongs to, then adds every
 * territory's rows into each compared territory at or above it. Sums add
 * up; distinct ids (followed families, partners) are merged per compared
 * territory, so a family linked in two sibling territories counts once in
 * their parent; a referral without a corridor counts once in a compared
 * territory however many of its territories the sending organisation
 * serves.
 *
 * It reads the organisation-month roll-ups (agg_org_act, agg_org_code,
 * agg_org_link), so it answers scopes of whole months without an author;
 * any other scope is left to ind_act_compute_all, territory by territory. */
#ifndef PROXIMA_COMPARE_ACT_H
#define PROXIMA_COMPARE_ACT_H

#include <stddef.h>
#include <stdint.h>

#include "model/ind_activity.h"

struct db;
struct arena;
struct ind_arr_sent;

/* Fills out[k] (n results) with what ind_act_compute_all(db, ar, s',
 * IND_ACT_AGGREGATES, ...) gives for s' = *s with s'.territory_id =
 * territory_ids[k] (each nonzero; a territory may be named twice).
 * Returns 0 when filled; 1 without reading anything when s is not a scope
 * it answers (a period of partial months, an empty period, an author, a
 * zero territory id), and then the caller computes each territory apart;
 * -1 on a database error (logged). Everything in out comes from arena ar;
 * the caller owns nothing else.
 *
 * sent (may be NULL; only read) is what ind_arr_trajectories_split listed
 * of the same territories and scope: the referrals sent in the period
 * among the trajectory rows it read. When it holds every referral sent in
 * the period (its length equals their count; only without a sector or an
 * organisation, and for territories that are not all under one parent),
 * act.accompagnements' referrals are counted from it
 * instead of read again; otherwise, or without it, they are read. The
 * figures are the same either way. */
int compare_act_compute(struct db *db, struct arena *ar, const struct ind_scope *s,
			const int64_t *territory_ids, size_t n, const struct ind_arr_sent *sent,
			struct ind_act_all *out);

#endif
