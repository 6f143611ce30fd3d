/* Reading the small lists that hang off a row (an activity's components,
 * a corridor's languages...): one statement, one text column, one key. */
#ifndef PROXIMA_MODEL_LISTS_H
#define PROXIMA_MODEL_LISTS_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/activity.h" /* struct strlist */

/* Runs statement sid with key bound as ?1 and collects its first column
 * (text, in order) into *out; strings and the array are in a, so the
 * caller owns nothing to free. An empty result is an empty list. Returns
 * 0, or -1 on a database error (logged under event; *out then holds the
 * rows read so far). */
int lists_read_strings(struct db *db, struct arena *a, enum stmt_id sid, int64_t key,
		       const char *event, struct strlist *out);

#endif
