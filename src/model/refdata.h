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
#include "model/validation.h"

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

/* An entry of a list: from the database, its French and English labels;
 * in a code table of the pages, label_fr is a msgid (N_("...")) and
 * label_en NULL, translated through gettext like every other message
 * (views/reflabel.h: ref_item_label). */
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

/* The label of code in any list (for an entry no longer offered: a
 * retired one), in lang, or code itself. Arena string. */
const char *refdata_label_any(struct db *db, struct arena *a, const char *code, const char *lang);

/* One entry as the reference-list page shows it, retired ones included. */
struct ref_entry {
	int64_t id;
	const char *code, *label_fr, *label_en;
	int64_t organisation_id; /* 0 for a shipped default */
	bool active;
};

#define REF_CODE_MAX 40
#define REF_LABEL_MAX 100

/* The entries of l that organisation_id sees (the shipped defaults, then
 * its own, retired ones included), into an arena array. 0 or -1. */
int refdata_entries(struct db *db, struct arena *a, enum ref_list l, int64_t organisation_id,
		    struct ref_entry **out, size_t *n);

/* Adds an entry of organisation_id (> 0) to l: code (1..REF_CODE_MAX of
 * a-z 0-9 _, unused in l for that organisation and among the defaults),
 * French and English labels (1..REF_LABEL_MAX characters). Returns 0, 1
 * refused with the reasons in v (fields code, label_fr, label_en), -1 on a
 * database error. */
int refdata_add(struct db *db, enum ref_list l, int64_t organisation_id, const char *code,
		const char *label_fr, const char *label_en, struct validation *v);

/* Retires (active false) or offers again an entry of organisation_id.
 * A retired entry is no longer offered on new records and keeps its
 * labels on the records that use it. Returns 0, 1 when organisation_id has
 * no such entry (the defaults are not its to retire), -1 on an error. */
int refdata_set_active(struct db *db, int64_t id, int64_t organisation_id, bool active);

/* The component implied by an activity type when none is given
 * (domain.md), or NULL for a type with no default. Static string. */
const char *refdata_default_component(const char *activity_type);

#endif
