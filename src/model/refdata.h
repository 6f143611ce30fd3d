/* Reference lists (activity types, components, strategies, places, needs,
 * outcomes, populations): data, not code. The defaults ship in migration
 * 0003; an organisation may add its own entries. */
#ifndef PROXIMA_REFDATA_H
#define PROXIMA_REFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

enum ref_list {
	REF_ACTIVITY_TYPE,
	REF_COMPONENT,
	REF_STRATEGY,
	REF_PLACE,
	REF_NEED,
	REF_OUTCOME,
	REF_POPULATION,
	REF__COUNT
};

struct ref_item {
	const char *code;
	const char *label_fr;
	const char *label_en;
	bool custom; /* added by an organisation */
};

/* The list's name as stored ("activity_type", …). */
const char *ref_list_name(enum ref_list l);

/* Parses a list name; -1 when unknown. */
int ref_list_parse(const char *name);

/* True when code is an active entry of l, shipped or added by
 * organisation_id (0 = shipped only). False on a database error (logged). */
bool refdata_valid(struct db *db, enum ref_list l, const char *code, int64_t organisation_id);

/* Active entries of l for organisation_id, shipped ones first, in display
 * order, into an arena array. Returns 0 or -1. */
int refdata_list(struct db *db, struct arena *a, enum ref_list l, int64_t organisation_id,
		 struct ref_item **out, size_t *n);

/* The label of code in lang ("fr"/"en"), or code itself when unknown.
 * Arena string. */
const char *refdata_label(struct db *db, struct arena *a, enum ref_list l, const char *code,
			  const char *lang);

/* The component implied by an activity type when none is given
 * (domain.md), or NULL for a type with no default. Static string. */
const char *refdata_default_component(const char *activity_type);

#endif
