/* Files embedded in the binary at build time by tools/embed.c:
 * static assets, SQL migrations and compiled message catalogues. */
#ifndef PROXIMA_EMBED_H
#define PROXIMA_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name;          /* file name, without directory */
	const unsigned char *data; /* NUL-terminated for convenience */
	size_t len;                /* without the NUL */
	const char *etag;          /* quoted strong validator of the content */
};

extern const struct embedded_file embedded_assets[];
extern const size_t embedded_assets_count;
extern const struct embedded_file embedded_migrations[];
extern const size_t embedded_migrations_count;
/* PostgreSQL's twins of the migrations (db/migrations/pg/), same names. */
extern const struct embedded_file embedded_migrations_pg[];
extern const size_t embedded_migrations_pg_count;
extern const struct embedded_file embedded_catalogs[];
extern const size_t embedded_catalogs_count;

/* Finds name in a table. Returns NULL when absent. */
const struct embedded_file *embed_find(const struct embedded_file *files, size_t count,
				       const char *name);

#endif
