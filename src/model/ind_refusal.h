/* Refused referrals by reason and by corridor (issue 16): what the
 * dashboards count beside arr.taux_echappement. The rows are read here;
 * the engine (reports/engine.c report_refusals) counts and protects them. */
#ifndef PROXIMA_IND_REFUSAL_H
#define PROXIMA_IND_REFUSAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/indicator.h"

/* One refused referral. */
struct ind_refusal {
	const char *code;          /* a code of referral_refusals, or NULL (older refusals) */
	const char *corridor_ext;  /* NULL: a direct referral */
	const char *corridor_name; /* NULL: a direct referral */
	int64_t key;               /* record key (model/cellkey.h) */
};

/* The referrals of scope refused in its period (closed in [from, min(to,
 * as_of)]), in scope as the trajectories' first referrals are
 * (indicators.md), into an arena array. 0 or -1 (logged). */
int ind_refusals(struct db *db, struct arena *a, const struct ind_scope *scope,
		 struct ind_refusal **out, size_t *n);

#endif
