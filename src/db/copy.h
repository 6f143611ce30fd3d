/* Copying a deployment from one database to another (proxima copy): every
 * row of every table of a SQLite database, read in one snapshot while the
 * servers keep running, written into an empty database of the same schema
 * version (PostgreSQL, typically) in one transaction. The audit log's
 * hash chain and the nominative ciphertexts are copied byte for byte, so
 * the same key file opens them and "proxima audit verify" passes on the
 * copy. The aggregate tables are not copied: the caller rebuilds them. */
#ifndef PROXIMA_DB_COPY_H
#define PROXIMA_DB_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct db_copy_stats {
	int tables;   /* tables copied */
	int64_t rows; /* rows copied */
};

/* Copies from (a SQLite database) into to (migrated to the same version,
 * holding no territory and no person yet: the rows the migrations seed are
 * replaced). Returns 0, or -1 with the reason (the table and the engine's
 * message) in err; then nothing is written into to. */
int db_copy(struct db *from, struct db *to, struct db_copy_stats *st, char *err, size_t errcap);

#endif
