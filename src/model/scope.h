/* The territory scope (issue 14): an organisation works on the territories
 * an admin has set it to serve (organisation_territory) and on their
 * sub-territories. A manager opens positions, and a PAP or a manager files
 * activities, only there: the pages and the API refuse anything else with
 * a 422 that says why. `proxima import` does not apply it: it loads an
 * admin's whole file in interchange.md's format, where an organisation's
 * territories are optional (docs/interchange.md). */
#ifndef PROXIMA_SCOPE_H
#define PROXIMA_SCOPE_H

#include <stdint.h>

#include "db/db.h"
#include "model/validation.h"

/* 1 when organisation org serves territory (it or an ancestor is one of
 * the organisation's territories), 0 when not, -1 on a database error
 * (logged). */
int scope_org_serves(struct db *db, int64_t org, int64_t territory);

/* Adds the error of the rule on field when organisation org does not
 * serve territory (both must exist; nothing is checked when either is 0).
 * Returns 0, or -1 on a database error. */
int scope_check(struct db *db, int64_t org, int64_t territory, const char *field,
		struct validation *v);

#endif
