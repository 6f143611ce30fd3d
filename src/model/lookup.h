/* One-statement lookups the model modules share: the row id behind an
 * external id, and the small lists that hang off a row (an activity's
 * components, a corridor's languages...). */
#ifndef PROXIMA_MODEL_LOOKUP_H
#define PROXIMA_MODEL_LOOKUP_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/activity.h" /* struct strlist */

/* Runs statement sid with key bound as ?1 and collects its first column
 * (text, in order) into *out; strings and the array are in a, so the
 * caller owns nothing to free. An empty result is an empty list. Returns
 * 0, or -1 on a database error (logged under event; *out then holds the
 * rows read so far). */
int lookup_strings(struct db *db, struct arena *a, enum stmt_id sid, int64_t key, const char *event,
		   struct strlist *out);

/* The row id whose external id is ext into *id, with the one-column
 * statement sid (ext bound as ?1). The absent convention: 0 found, 1 when
 * ext is NULL, empty or unknown (*id 0), -1 on a database error (logged
 * under event). */
int lookup_id(struct db *db, enum stmt_id sid, const char *ext, const char *event, int64_t *id);

/* The kinds of record an external id (interchange.md "id") may name, for
 * the layers above the model, which name no statement. The other way (the
 * external ids of what a record refers to) comes with the record: the
 * model's reads join them. */
enum ext_kind {
	EXT_ACTIVITY,
	EXT_FAMILY,
	EXT_PERSON,
	EXT_ORGANISATION,
	EXT_TERRITORY,
	EXT_CORRIDOR,
	EXT_PROJECT,
	EXT_STORY,
	EXT_SERVICE_GAP,
	EXT_POSITION,
	EXT_SUPERVISION,
	EXT_SUPPORT_REQUEST,
	EXT_REFERRAL,
};

/* The row id of the record of kind k whose external id is ext into *id:
 * 0 found, 1 when ext is NULL, empty or unknown (*id 0), -1 on a database
 * error (logged). */
int lookup_ext(struct db *db, enum ext_kind k, const char *ext, int64_t *id);

#endif
