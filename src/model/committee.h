/* The committee maintains its territory (domain.md, workflow 4): the
 * socio-sanitary portrait — values with their period and source, kept as
 * a series, as entered (6.01 stays 6.01) — and the positions and mandates
 * of its territory. A committee of territory A maintains A and the
 * territories under it, never B; a position is only opened for an
 * organisation that serves the territory (organisation_territory). The
 * positions themselves are model/position.h's; holders and hand-overs stay
 * the managers'. */
#ifndef PROXIMA_COMMITTEE_H
#define PROXIMA_COMMITTEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

/* One value of the portrait. */
struct portrait_value {
	int64_t id;
	const char *ext_id; /* generated ("por-" + 16 hex) when NULL */
	int64_t territory_id;
	const char *territory_name;
	const char *indicator; /* a code: a-z, 0-9, _ . - (at most 60) */
	const char *label;
	const char *label_en; /* the label in English, or NULL */
	double value;
	const char *value_text; /* as entered ("6.01", "6,01"), on input */
	const char *unit;
	const char *period_start, *period_end; /* YYYY-MM-DD, or NULL */
	const char *source;
};

/* A territory or an organisation to choose. */
struct committee_choice {
	int64_t id;
	const char *name;
};

/* True when who is the committee of territory_id or of a territory above
 * it. -1 never: a database error answers false (logged). */
bool committee_maintains(struct db *db, const struct actor *who, int64_t territory_id);

/* The territories the committee who maintains (its own and those under
 * it), and the organisations that serve them, by name. 0 or -1. */
int committee_choices(struct db *db, struct arena *ar, const struct actor *who,
		      struct committee_choice **terrs, size_t *nt, struct committee_choice **orgs,
		      size_t *no);

/* A portrait indicator's label for a reader of lang ("fr", "en"): the
 * English label when lang is English and there is one, else the label
 * (NULL when neither was given). */
const char *portrait_label(const char *label, const char *label_en, const char *lang);

/* The portrait of who's territory (and those under it), by indicator then
 * period: each indicator's series. Arena memory. 0 or -1. */
int committee_portrait(struct db *db, struct arena *ar, const struct actor *who,
		       struct portrait_value **out, size_t *n);

/* Checks p (every field; errors named as in struct portrait_value, the
 * value as "value") and adds it to the series, as who. One value per
 * indicator, territory and period end. The caller holds the write
 * transaction. 0, 1 with field errors (nothing written), -1. */
int committee_portrait_add(struct db *db, struct arena *ar, const struct actor *who,
			   struct portrait_value *p, struct validation *v);

/* The value as people write it: at most 15 significant digits, "." or ","
 * as decimal mark, an optional minus. 0 with *out, or -1. */
int committee_parse_value(const char *s, double *out);

#endif
