/* The lists a dashboard needs beside the report engine's indicators: the
 * PAP of an organisation (the team), the territories to compare, a
 * committee's territory and its sub-territories, and the referrals an
 * organisation received. No visibility decision is made here: the
 * dashboards (src/views/dashboards.c) call these only for the scope the
 * report engine already granted to the actor. */
#ifndef PROXIMA_DASHBOARD_H
#define PROXIMA_DASHBOARD_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct arena;

/* A named thing: an id (persons) or an ext id (territories). */
struct dash_item {
	int64_t id;
	const char *ext_id; /* NULL for persons */
	const char *name;
};

/* The active PAP of organisation org, by name, into *out (arena array,
 * *n entries). 0 or -1 (logged). */
int dash_list_team(struct db *db, struct arena *a, int64_t org, struct dash_item **out, size_t *n);

/* The territories to compare: the children of parent_ext, or the
 * top-level territories when parent_ext is NULL. 0 or -1. */
int dash_list_territories(struct db *db, struct arena *a, const char *parent_ext,
			  struct dash_item **out, size_t *n);

/* Territory id and its descendants (itself first). 0 or -1. */
int dash_list_territory_tree(struct db *db, struct arena *a, int64_t territory_id,
			     struct dash_item **out, size_t *n);

/* Referrals received by organisation org and sent in [from, to), as they
 * stood at as_of_end (an instant): taken in charge, refused, still open. */
struct dash_received {
	int64_t sent, taken, refused, open;
};
int dash_referrals_received(struct db *db, int64_t org, int64_t from, int64_t to, int64_t as_of_end,
			    struct dash_received *out);

#endif
