/* fmtcheck fixture: migrate.c may run embedded scripts. Never compiled. */
#include "db/db.h"

int apply(struct db *db, const struct embedded_file *m, char *err, size_t cap)
{
	return db_exec_script(db, (const char *)m->data, err, cap);
}
