/* Journal entries as lists show them, and the reference lists they need. */
#ifndef PROXIMA_VIEWS_ENTRY_H
#define PROXIMA_VIEWS_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/refdata.h"
#include "views/view.h"

/* The reference lists a journal page shows, in the actor's organisation. */
struct view_refs {
	struct ref_item *types, *places, *needs, *outcomes, *components, *strategies;
	size_t ntypes, nplaces, nneeds, noutcomes, ncomponents, nstrategies;
};

/* Loads every list for organisation_id. Returns 0 or -1. */
int view_refs_load(struct db *db, struct arena *a, int64_t organisation_id, struct view_refs *r);

/* How an activity is shown in a list. */
enum {
	ENTRY_SHOW_DATE = 1,   /* the date (family timeline) */
	ENTRY_SHOW_AUTHOR = 2, /* who wrote it (team view) */
	ENTRY_EDIT_LINK = 4,   /* a "Modifier" link */
};

/* Writes one activity as an <li class="entry" id="a-ID">. author may be
 * NULL. */
void view_activity_entry(struct request *req, struct response *resp, const struct view_refs *r,
			 const struct activity *a, const char *author, unsigned flags);

#endif
