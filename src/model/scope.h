/* The scope of a report (interchange.md "Report"), as a request names it:
 * a territory, a sector and an organisation by their external ids. The
 * report engine (src/reports) and the report access rules resolve them
 * here, and read the territories below a territory. */
#ifndef PROXIMA_MODEL_SCOPE_H
#define PROXIMA_MODEL_SCOPE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

enum scope_kind {
	SCOPE_TERRITORY,
	SCOPE_SECTOR,
	SCOPE_ORGANISATION,
};

/* The record of kind k whose external id is ext: its id into *id and its
 * name into *name (arena string). Returns 0 when found, 1 when absent,
 * -1 on a database error (logged): the model's convention for "absent". */
int scope_find(struct db *db, struct arena *a, enum scope_kind k, const char *ext, int64_t *id,
	       const char **name);

/* The external id of record id of kind k (arena string), or NULL when
 * there is none (or on an error: logged). */
const char *scope_ext_of(struct db *db, struct arena *a, enum scope_kind k, int64_t id);

/* The external ids of every territory below territory_id (not itself), in
 * external-id order, into an arena array. Returns 0 or -1 (logged). */
int scope_subterritories(struct db *db, struct arena *a, int64_t territory_id, const char ***out,
			 size_t *n);

/* 1 when the territory whose external id is ext is root or below it, 0
 * when not (or unknown), -1 on a database error (logged). */
int scope_territory_within(struct db *db, const char *ext, int64_t root);

#endif
