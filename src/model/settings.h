/* Instance settings stored in the database (table settings). */
#ifndef PROXIMA_SETTINGS_H
#define PROXIMA_SETTINGS_H

#include <stddef.h>

#include "db/db.h"

/* Copies the value of key into out (size cap). Returns 0, 1 when the key
 * is absent (out is then ""), or -1 on a database error (logged). */
int settings_get(struct db *db, const char *key, char *out, size_t cap);

/* Sets key to value. Returns 0 or -1 (logged). */
int settings_put(struct db *db, const char *key, const char *value);

/* Sets every key of kv (key, value, key, value..., NULL) as one write unit
 * (db_unit_run): all or none. Returns 0 or -1 (logged). */
int settings_put_all(struct db *db, const char *const *kv);

#endif
