/* The PostgreSQL engine behind db.h (libpq). */
#include <stdio.h>

#include "core/util.h"
#include "db/engine.h"

struct db *db_pg_open(const char *conninfo, char *err, size_t errcap)
{
	(void)conninfo;
	if (err && errcap)
		str_copy(err, errcap, "this proxima was built without PostgreSQL support");
	return NULL;
}

const char *db_pg_version(void)
{
	return "none";
}
