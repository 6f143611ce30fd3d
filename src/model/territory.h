/* The territories' hierarchy: région → territoire → quartier. The level of
 * a territory is its place in the tree: a quartier has a territoire above
 * it, a territoire is under a région or stands alone, a région has
 * territoires under it. Three levels at most; no cycles. Only an admin
 * changes it. Also the territories an actor may read (territory_visible,
 * territory_list_visible), which the corridors and the directory share. */
#ifndef PROXIMA_TERRITORY_H
#define PROXIMA_TERRITORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

#define TERRITORY_DEPTH_MAX 3

struct territory {
	int64_t id;
	const char *ext_id;
	const char *name;
	const char *type; /* urbain, rural, mixte, or NULL */
	int64_t parent_id;
	int depth;       /* 0 for a root */
	int height;      /* levels below it: 0 for a leaf */
	size_t children; /* direct children */
};

/* Every territory in tree order (each followed by its descendants,
 * siblings by name), with depth, height and children, into an arena
 * array. Returns 0 or -1. */
int territory_tree(struct db *db, struct arena *a, struct territory **out, size_t *n);

/* The French msgid of t's level: "Région", "Territoire" or "Quartier". */
const char *territory_level(const struct territory *t);

/* Creates (t->id 0: ext_id, name, type, parent) or changes (t->id > 0:
 * name, type, parent; the ext_id stays) a territory. The parent must exist,
 * not be t or below it, and leave the tree at most TERRITORY_DEPTH_MAX
 * levels deep. Returns 0 (t->id set), 1 refused with the reasons in v
 * (fields ext_id, name, type, parent), -1 on a database error. */
int territory_save(struct db *db, struct arena *a, struct territory *t, struct validation *v);

/* ---- The territories an actor may read: the corridors' and the
 * directory's scope (both modules use it; neither depends on the other
 * for it). ---- */

/* A territory named by its ids (territory_get_ref with a NULL arena
 * fills the id only). */
struct territory_ref {
	int64_t id;
	const char *ext_id, *name;
};

/* True when who may read territory_id's corridors and directory. False on
 * a database error too (logged). */
bool territory_visible(struct db *db, const struct actor *who, int64_t territory_id);

/* The territories who may read, by name. 0 or -1. */
int territory_list_visible(struct db *db, struct arena *a, const struct actor *who,
			   struct territory_ref **out, size_t *n);

/* The territory to show by default: who's own territory when visible, else
 * the first visible one; 0 when none. */
int64_t territory_default(struct db *db, struct arena *a, const struct actor *who);

/* A territory by id, its strings in a (a NULL: the id only): 0 found, 1
 * absent, -1 error (logged). */
int territory_get_ref(struct db *db, struct arena *a, int64_t id, struct territory_ref *out);

#endif
