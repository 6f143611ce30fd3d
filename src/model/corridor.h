/* Referral corridors (domain.md "corridor"): on a territory, the protocol
 * for a need or a population — the entry organisation (point d'entrée),
 * the target delay (default 2 days; the ministry's access priorities
 * P1–P4 = 2, 10, 30, 90 days), the consent forms available by language,
 * the transfer template (the fields a referral through the corridor must
 * carry, from the documented list corridor_fields) and the portrait
 * indicators that justify it, with active dates.
 *
 * Who: every role of the territory reads its corridors (directory.h,
 * territory_visible); the territory's committee (comite whose
 * territory is it or an ancestor) and admin write them. Anything not
 * visible is reported as absent (a 404), never as forbidden.
 *
 * One validation (corridor_validate) serves the web form, the JSON API and
 * `proxima import`. Strings returned are in the arena passed in. */
#ifndef PROXIMA_CORRIDOR_H
#define PROXIMA_CORRIDOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/actor.h"
#include "model/validation.h"

#define CORRIDOR_NAME_MAX 200      /* characters */
#define CORRIDOR_TARGET_MAX 3650.0 /* days */
#define CORRIDOR_LIST_MAX 40       /* entries of each list */
#define CORRIDOR_DEFAULT_DAYS 2.0

struct corridor {
	int64_t id;         /* 0 for a new corridor */
	const char *ext_id; /* generated ("cor-…") when NULL */
	int64_t territory_id;
	const char *name;
	const char *need;       /* REF_NEED code, or NULL */
	const char *population; /* REF_POPULATION code, or NULL */
	int64_t entry_organisation_id;
	double target_days;                  /* > 0 */
	const char *active_from, *active_to; /* YYYY-MM-DD or NULL */
	struct strlist languages;            /* consent forms available: fr, en, es… */
	struct strlist fields;               /* transfer template: corridor_fields codes */
	struct strlist portrait;             /* portrait indicator codes of the territory */
	/* Read only (filled by corridor_get / corridor_list). */
	const char *territory_ext, *territory_name;
	const char *entry_ext, *entry_name;
};

/* One field code of the transfer template, with its labels. */
struct corridor_field_def {
	const char *code;
	const char *label_fr, *label_en;
};

/* The documented field codes, in display order (docs/fr/corridors-
 * repertoire.md lists them). */
extern const struct corridor_field_def corridor_fields[];
extern const size_t corridor_field_count;

/* The field definition of code, or NULL when it is not in the list. */
const struct corridor_field_def *corridor_field_find(const char *code);

/* The ministry's access priorities, the one list of them: "P1".."P4" and
 * their target delays (2, 10, 30, 90 days). */
#define CORRIDOR_PRIORITIES 4
struct corridor_priority {
	const char *code;
	double days;
};
extern const struct corridor_priority corridor_priorities[CORRIDOR_PRIORITIES];

/* A priority's delay in days ("P1" -> 2, any case); 0 for anything else. */
double corridor_priority_days(const char *code);

/* The priority whose delay is exactly days ("P1".."P4"), or NULL. Static. */
const char *corridor_priority_of(double days);

/* Parses a target delay typed by a person: a priority "P1".."P4" (any
 * case) or a positive number of days ("2", "1,5", "7.5"). 0, or -1 when
 * it is neither. */
int corridor_parse_target(const char *s, double *out);

/* Checks c: name, territory, entry organisation (exists and is on the
 * territory: it serves the territory, an ancestor or a descendant),
 * need/population in the reference lists, target in (0, 3650] days,
 * language codes, template fields from corridor_fields, portrait
 * indicators among the territory's portrait rows, dates and their order,
 * ext_id well formed and not taken by another corridor. Field names are
 * the interchange names (name, entry_organisation, target_days,
 * consent_languages, template_fields, portrait_indicators, active_from,
 * active_to, id). Returns 0, or -1 when v has errors or on a database
 * error (v->n == 0 then; logged). */
int corridor_validate(struct db *db, const struct corridor *c, struct validation *v);

/* corridor_validate without the territory scope of the entry organisation:
 * the rules of `proxima import`, the admin's load of a whole file in
 * interchange.md's format, which ties no organisation to a territory
 * (an organisation's territories are optional there). */
int corridor_validate_import(struct db *db, const struct corridor *c, struct validation *v);

/* Inserts (c->id == 0, sets c->id and c->ext_id) or updates c with its
 * three lists replaced. The caller validated c and holds a write
 * transaction. 0 or -1 (logged). */
int corridor_save(struct db *db, struct arena *a, struct corridor *c);

/* True when who may create or change corridors of territory_id: admin, or
 * comite whose territory is territory_id or one of its ancestors. */
bool corridor_can_write(struct db *db, const struct actor *who, int64_t territory_id);

/* Reads corridor id with its lists if who may see it (its territory is
 * visible). 0, 1 when absent or not visible, -1 on error. */
int corridor_get(struct db *db, struct arena *a, const struct actor *who, int64_t id,
		 struct corridor *out);

/* The corridors of territory_id (which the caller checked is visible), by
 * name, with their lists. 0 or -1. */
int corridor_list(struct db *db, struct arena *a, int64_t territory_id, struct corridor **out,
		  size_t *n);

/* True when c is active on date (YYYY-MM-DD): no active_from after it and
 * no active_to before it. */
bool corridor_active_on(const struct corridor *c, const char *date);

/* The row id of a corridor's external id into *id: 0 found, 1 absent, -1
 * a database error (lookup_id). */
int corridor_id_of(struct db *db, const char *ext_id, int64_t *id);

#endif
