/* Arrimage projects (domain.md "projet d'arrimage"): a territorial project
 * coordinating outreach strategies, with partner organisations, dates,
 * goals, the number of families involved, the stories linked to it and a
 * public family-survey link (/s/TOKEN).
 *
 * Visibility: everyone "of the territory" reads a project: analysts and
 * administrators read all; others read the projects on their territory
 * (or below it), on a territory their organisation serves, or that their
 * organisation is a partner of. Writing (create, edit, regenerate the
 * survey token): the committee of the project's territory and the
 * administrators. Anything not visible is reported as absent. */
#ifndef PROXIMA_PROJECT_H
#define PROXIMA_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

#define PROJECT_NAME_MAX 200   /* characters */
#define PROJECT_GOALS_MAX 4000 /* characters */
#define PROJECT_ORGS_MAX 64
#define PROJECT_TOKEN_LEN 22 /* base64url of 16 random bytes */

struct project_org {
	int64_t id;
	const char *ext_id;
	const char *name;
};

struct project {
	int64_t id;
	const char *ext_id;
	int64_t territory_id;
	const char *territory_name; /* read only */
	const char *territory_ext;  /* read only */
	const char *name;
	const char *start_date; /* YYYY-MM-DD */
	const char *end_date;   /* or NULL: open-ended */
	const char *goals;      /* or NULL */
	int64_t families_count; /* valid when has_families */
	bool has_families;
	const char *survey_token; /* or NULL */
	struct project_org *orgs; /* partner organisations */
	size_t norgs;
};

/* Where a project stands on a day. */
enum project_state {
	PROJECT_OPEN,
	PROJECT_NOT_STARTED,
	PROJECT_ENDED,
};

/* The state of p on today (YYYY-MM-DD). */
enum project_state project_state_on(const struct project *p, const char *today);

/* True when actor may create projects (committee with a territory, admin). */
bool project_can_create(const struct actor *actor);

/* True when actor may edit p (and regenerate its token). */
bool project_can_edit(const struct actor *actor, const struct project *p);

/* Checks every field (names: territory, name, start, end, goals,
 * families_count, organisations) and that actor may write on the
 * territory. Returns 0, 1 (errors in v), -1. */
int project_validate(struct db *db, const struct actor *actor, const struct project *p,
		     struct validation *v);

/* Inserts (p->id == 0: a new ext_id unless given, and a new survey token)
 * or updates p, replacing its partner list. Caller holds a write
 * transaction and validated p. 0 or -1. */
int project_save(struct db *db, struct arena *ar, struct project *p);

/* A new random survey token (PROJECT_TOKEN_LEN base64url characters,
 * libsodium's generator). Arena string. */
const char *project_new_token(struct arena *ar);

/* Replaces p's token by a new one (old links stop working). Caller holds
 * a write transaction. 0 or -1. */
int project_regenerate_token(struct db *db, struct arena *ar, struct project *p);

/* Reads the project id that actor may see, with its partners. 0, 1 (absent
 * or not visible), -1. */
int project_get(struct db *db, struct arena *ar, const struct actor *actor, int64_t id,
		struct project *out);

/* Reads the project whose survey token is token (no actor: the public
 * link). 0, 1 (no such token), -1. */
int project_get_by_token(struct db *db, struct arena *ar, const char *token, struct project *out);

/* The projects actor may see, newest first (without partners). 0 or -1. */
int project_list(struct db *db, struct arena *ar, const struct actor *actor, struct project **out,
		 size_t *n);

/* The row id of a project's external id into *id: 0 found, 1 absent, -1
 * a database error (lookup_id). */
int project_id_of(struct db *db, const char *ext_id, int64_t *id);

/* A story linked to a project (stories are written elsewhere). */
struct project_story {
	int64_t id;
	const char *date;
	const char *text; /* NULL unless consent to quote was given */
	bool selected;
};

/* The stories whose project is project_id, newest first; their text only
 * when consent to quote was given. 0 or -1. */
int project_stories(struct db *db, struct arena *ar, int64_t project_id, struct project_story **out,
		    size_t *n);

/* Choices for forms: territories or organisations (id, ext_id, name). */
int project_territories(struct db *db, struct arena *ar, struct project_org **out, size_t *n);
int project_organisations(struct db *db, struct arena *ar, struct project_org **out, size_t *n);

#endif
