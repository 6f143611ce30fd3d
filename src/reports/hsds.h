/* The territory directory as an Open Referral HSDS 3.0 tabular data
 * package (a datapackage.json descriptor and one CSV file per HSDS
 * table), so that a 211-style directory or a partner can reuse it.
 *
 * What goes in is what the directory publishes (model/directory.h), and
 * nothing else: the organisations on the territory, one service per PAP
 * position (its mandate's populations and components) and one per
 * corridor (the entry point for a need, with its target delay), where
 * each is offered (service areas: the territories), the positions'
 * partner contacts, and the reference lists as taxonomies (needs,
 * populations, sectors). Never a family, a referral, a story or an
 * activity; never the name of a worker holding a position. The mapping,
 * and what HSDS asks for that Proxima does not hold, is in
 * docs/fr/hsds.md and docs/en/hsds.md.
 *
 * CSV files are UTF-8 without a byte-order mark, comma-separated, quoted
 * as RFC 4180; every text cell passes through sheet_text (escape.h). */
#ifndef PROXIMA_HSDS_H
#define PROXIMA_HSDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"

/* The HSDS tables written, in this order; HSDS_DESCRIPTOR is
 * datapackage.json. */
enum hsds_table {
	HSDS_ORGANIZATION,
	HSDS_SERVICE,
	HSDS_LOCATION,
	HSDS_SERVICE_AT_LOCATION,
	HSDS_SERVICE_AREA,
	HSDS_CONTACT,
	HSDS_PHONE,
	HSDS_TAXONOMY,
	HSDS_TAXONOMY_TERM,
	HSDS_ATTRIBUTE,
	HSDS_DESCRIPTOR,
	HSDS__COUNT
};

struct hsds_package {
	const char *names[HSDS__COUNT]; /* "organizations.csv", …, "datapackage.json" */
	struct buf files[HSDS__COUNT];  /* owned: hsds_package_free */
	size_t rows[HSDS__COUNT];       /* data rows of each CSV (0 for the descriptor) */
};

/* Builds the package of territory_id (with its sub-territories) as the
 * directory stands on date (YYYY-MM-DD), labels in lang ("fr" or "en").
 * The caller checked that the reader may see the territory's directory
 * (territory_visible). now (Unix time) dates the descriptor.
 * Returns 0, 1 when the territory does not exist, -1 on error (out is
 * then freed). Free out with hsds_package_free. */
int hsds_package_build(struct db *db, struct arena *a, int64_t territory_id, const char *date,
		       const char *lang, int64_t now, struct hsds_package *out);

/* Appends the package as one ZIP archive (core/zip.h) to zip, its files
 * under a folder named dir. 0 or -1. */
int hsds_package_zip(const struct hsds_package *p, const char *dir, int64_t now, struct buf *zip);

/* Frees the files of p. */
void hsds_package_free(struct hsds_package *p);

#endif
