/* Service gaps (trous de service, domain.md): a need a PAP met that no
 * service on the territory answers, with the population concerned, a
 * description and how often it is met (frequency codes below).
 *
 * Visibility (decided here):
 *   - the author and the managers of the author's organisation see their
 *     gaps whole, description included;
 *   - the comité of the territory (or of a parent territory) sees every
 *     gap of the territory without the description (free text may
 *     identify; the comité export leaves it out too) and without the
 *     author, grouped by need with counts and a population breakdown, and
 *     links a gap to a corridor or a project of the same territory;
 *   - an analyst sees the grouped counts of every territory;
 *   - another PAP or an admin sees nothing.
 *
 * Frequency codes (how often the PAP meets the need):
 *   "unique"        once so far;
 *   "occasionnel"   a few times a year;
 *   "mensuel"       about every month;
 *   "hebdomadaire"  every week or more. */
#ifndef PROXIMA_SERVICE_GAP_H
#define PROXIMA_SERVICE_GAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

#define SERVICE_GAP_DESCRIPTION_MAX 2000

struct service_gap {
	int64_t id;
	const char *ext_id; /* generated ("gap-" + 16 hex) when NULL */
	int64_t territory_id;
	const char *date;
	const char *need;
	const char *population;  /* or NULL */
	int64_t author_id;       /* 0 when unknown (import) */
	const char *description; /* NULL when the reader may not see it */
	const char *frequency;   /* a code above, or NULL */
	int64_t corridor_id, project_id;
	/* External ids of the territory, author, corridor and project, filled
	 * on reads from the read's own joins (NULL where the id is 0, or the
	 * author is hidden from the reader). */
	const char *territory_ext, *author_ext, *corridor_ext, *project_ext;
	/* Read-only. */
	int64_t author_organisation_id;
	bool full; /* the reader sees description and author */
};

/* The frequency codes, NULL-terminated, in order. */
extern const char *const service_gap_frequencies[];

/* True when code is one of service_gap_frequencies. */
bool service_gap_frequency_valid(const char *code);

/* Checks a gap about to be reported by who (territory one who works on,
 * need and population from the lists, frequency, description length,
 * date). 0 when valid, -1 otherwise (errors in v). */
int service_gap_validate(struct db *db, const struct actor *who, const struct service_gap *g,
			 struct validation *v);

/* Inserts g (g->id set). The caller holds a write transaction. 0 or -1. */
int service_gap_save(struct db *db, struct arena *ar, struct service_gap *g);

/* Reads gap id as who sees it (description and author only where
 * allowed), with the external ids of what it refers to. Returns 0, 1 when
 * absent, -1 on error. */
int service_gap_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		    struct service_gap *out);

/* The gaps who may see, newest first (description only where allowed),
 * reported in [from, to] (NULL = open). 0 or -1. */
int service_gap_list(struct db *db, struct arena *ar, const struct actor *who, const char *from,
		     const char *to, struct service_gap **out, size_t *n);

/* The gaps of a list grouped by need, most frequent first (ties by need),
 * each with its population breakdown (NULL population as code NULL) and
 * its gaps. Pointers into gaps; arena memory. */
struct service_gap_population {
	const char *population;
	int64_t count;
};
struct service_gap_group {
	const char *need;
	int64_t count;
	size_t n_populations;
	struct service_gap_population *populations; /* most frequent first */
	size_t n_gaps;
	struct service_gap **gaps;
};
void service_gap_group_by_need(struct arena *ar, struct service_gap *gaps, size_t n,
			       struct service_gap_group **out, size_t *ngroups);

/* Links (or, with 0, unlinks) the gap id to a corridor and a project that
 * answer it. Only the comité of the gap's territory may; the corridor and
 * the project must be on the gap's territory. The caller holds a write
 * transaction. Returns 0; 1 when the gap is absent or who may not link it;
 * 2 when a corridor or project is refused (error in v: "corridor",
 * "project"); -1 on error. */
int service_gap_link(struct db *db, const struct actor *who, int64_t id, int64_t corridor_id,
		     int64_t project_id, struct validation *v);

/* A named record of a territory (corridor or project) for the link form. */
struct service_gap_named {
	int64_t id;
	const char *name;
};

/* Corridors and projects on territory_id, by name. 0 or -1. */
int service_gap_answers(struct db *db, struct arena *ar, int64_t territory_id,
			struct service_gap_named **corridors, size_t *nc,
			struct service_gap_named **projects, size_t *np);

/* True when territory is root or one of its descendants. -1 on error. */
int service_gap_territory_within(struct db *db, int64_t root, int64_t territory);

#endif
