/* Schema migrations: db/migrations/NNNN_name.sql, embedded in the binary,
 * numbered from 1 without gaps. Each runs in its own transaction and is
 * recorded in schema_migrations. A database whose schema is newer than the
 * binary is refused. */
#ifndef PROXIMA_MIGRATE_H
#define PROXIMA_MIGRATE_H

#include <stddef.h>

#include "db/db.h"

enum migrate_state {
	MIGRATE_CURRENT, /* schema matches the binary */
	MIGRATE_PENDING, /* migrations to apply */
	MIGRATE_EMPTY,   /* not initialised (no schema at all) */
	MIGRATE_TOO_NEW, /* written by a newer binary: refuse */
	MIGRATE_FOREIGN, /* not a Proxima database */
	MIGRATE_ERROR,   /* could not read it */
};

/* Highest migration version embedded in this binary. */
int migrate_latest(void);

struct embedded_file;

/* The embedded migration version (1-based) for engine e: SQLite's file or
 * its PostgreSQL twin of the same name. Static storage; NULL when out of
 * range. */
const struct embedded_file *migrate_file(enum db_engine e, int version);

/* Checks the embedded list (names NNNN_*.sql numbered 1..N in order, each with its PostgreSQL twin).
 * Returns 0, or -1 with the reason in err. */
int migrate_validate_embedded(char *err, size_t errcap);

/* Reads the database's state; *version gets its schema version. A message
 * for the user goes into err for every state but CURRENT/PENDING/EMPTY. */
enum migrate_state migrate_inspect(struct db *db, int *version, char *err, size_t errcap);

/* The database's schema version into *version (the health check's
 * question: does the database answer?). Returns 0 or -1. */
int migrate_schema_version(struct db *db, int *version);

/* Applies every pending migration, each in a transaction. *applied gets
 * how many ran. Returns 0, or -1 with the failing migration and the engine's
 * message in err (that migration is rolled back; earlier ones stay). */
int migrate_apply(struct db *db, int *applied, char *err, size_t errcap);

#endif
