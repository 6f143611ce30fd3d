/* Organisations and sectors, as the administration pages keep them. An
 * organisation belongs to one sector and serves one or more territories:
 * serving a territory is what allows it to file activities and positions
 * there (organisation_territory). Sectors carry a French and an English
 * name. Only an admin changes them; a manager reads their own
 * organisation. */
#ifndef PROXIMA_ORGANISATION_H
#define PROXIMA_ORGANISATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

#define ORG_NAME_MAX 200
#define ORG_EXT_ID_MAX 40

struct sector {
	int64_t id;
	const char *ext_id;
	const char *name;    /* French */
	const char *name_en; /* NULL when none was given */
	int64_t organisations;
};

struct organisation {
	int64_t id;
	const char *ext_id;
	const char *name;
	int64_t sector_id;
	const char *sector_name, *sector_name_en;
	int64_t *territories; /* served, by id */
	size_t nterritories;
	int64_t people; /* accounts */
};

/* The sector's name in lang ("en" gives the English name when there is
 * one). */
const char *sector_label(const struct sector *s, const char *lang);

/* The organisation's sector name in lang (as sector_label). */
const char *organisation_sector_label(const struct organisation *o, const char *lang);

/* True when a may create and change organisations and sectors: an admin. */
bool organisation_may_edit(const struct actor *a);

/* True when a may read organisation id's page: an admin, or a manager of
 * that organisation. */
bool organisation_may_read(const struct actor *a, int64_t id);

/* Every sector, by French name, with its number of organisations, into an
 * arena array. Returns 0 or -1. */
int sector_list(struct db *db, struct arena *a, struct sector **out, size_t *n);

/* Creates (s->id 0: ext_id, name, name_en) or renames (s->id > 0: name,
 * name_en) a sector. Returns 0 (s->id set), 1 refused with the reasons in
 * v (fields ext_id, name, name_en), -1 on a database error. */
int sector_save(struct db *db, struct sector *s, struct validation *v);

/* Every organisation, by name, with its sector (territories not read),
 * into an arena array. Returns 0 or -1. */
int organisation_list(struct db *db, struct arena *a, struct organisation **out, size_t *n);

/* Organisation id with the territories it serves. Returns 0, 1 when there
 * is none, -1 on an error. */
int organisation_get(struct db *db, struct arena *a, int64_t id, struct organisation *out);

/* Creates (o->id 0) or changes (o->id > 0; the ext_id stays) an
 * organisation: name, sector, and the territories it serves (replaced by
 * o->territories). Returns 0 (o->id set), 1 refused with the reasons in v
 * (fields ext_id, name, sector, territories), -1 on a database error. */
int organisation_save(struct db *db, struct organisation *o, struct validation *v);

/* The territory scope (issue 14): 1 when organisation org serves territory
 * (it, or one of its ancestors, is among the organisation's territories),
 * 0 when not, -1 on a database error (logged). The pages and the API open
 * positions and file activities only where it is 1; `proxima import` does
 * not apply it (interchange.md makes an organisation's territories
 * optional: the admin's file is taken as established). */
int organisation_serves(struct db *db, int64_t org, int64_t territory);

/* Adds the rule's error to v on field when organisation org does not serve
 * territory (nothing is checked when either is 0: their own rules report
 * them). Returns 0, or -1 on a database error. */
int organisation_check_serves(struct db *db, int64_t org, int64_t territory, const char *field,
			      struct validation *v);

/* True when s is a usable external id: 1..ORG_EXT_ID_MAX of A-Z a-z 0-9 _ -
 * (the interchange format's ids). */
bool ext_id_valid(const char *s);

#endif
