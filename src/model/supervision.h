/* Supervision (encadrement) of PAP (domain.md): sessions a manager records
 * for a PAP of their organisation — individuelle, groupe or
 * codeveloppement, hours, and a short NON-clinical note. They feed
 * arr.heures_supervision (model/ind_team.h) by person and date.
 *
 * Who sees a session: the PAP it is about, and the managers of that PAP's
 * organisation. Nobody else (a manager of another organisation, a
 * colleague, comite, analyste, admin): absent (404).
 *
 * Monthly target: each organisation has a target of supervision hours per
 * PAP per month (table team_setting); without one, the instance setting
 * "supervision_target_hours_month" applies (2 h, set by migration 0006). */
#ifndef PROXIMA_SUPERVISION_H
#define PROXIMA_SUPERVISION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

#define SUPERVISION_NOTE_MAX 280   /* characters */
#define SUPERVISION_HOURS_MAX 24.0 /* one session */
#define SUPERVISION_TARGET_DEFAULT 2.0

struct supervision {
	int64_t id;
	const char *ext_id;
	int64_t person_id;
	const char *person_name;
	int64_t organisation_id; /* the PAP's */
	int64_t supervisor_id;   /* 0 when unknown */
	const char *supervisor_name;
	const char *date; /* YYYY-MM-DD */
	double hours;
	const char *type; /* individuelle / groupe / codeveloppement, or NULL */
	const char *note;
	const char *person_ext, *supervisor_ext; /* read only; NULL when unknown */
};

/* The session types, NULL-terminated. */
extern const char *const supervision_types[];

/* True when who records supervision (a manager with an organisation). */
bool supervision_can_record(const struct actor *who);

/* Validates s (PAP of who's organisation, date not after today, hours in
 * [0.25, 24], type when given, note length) and inserts it with who as
 * supervisor. Errors already in v (a form's own) count: nothing is written
 * then, and every error comes at once. The caller holds the write
 * transaction. 0, 1 with field errors, -1. */
int supervision_record(struct db *db, struct arena *ar, const struct actor *who,
		       struct supervision *s, struct validation *v);

/* Sessions of person_id, newest first, when who may see them: 0, 1 when
 * not visible (nothing listed), -1. */
int supervision_of_person(struct db *db, struct arena *ar, const struct actor *who,
			  int64_t person_id, struct supervision **out, size_t *n);

/* Sessions of who's organisation in [from, to] (a manager's). 0 or -1;
 * nothing for anyone else. */
int supervision_of_organisation(struct db *db, struct arena *ar, const struct actor *who,
				const char *from, const char *to, struct supervision **out,
				size_t *n);

/* One session when visible. 0, 1, -1. */
int supervision_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		    struct supervision *out);

/* The monthly target of an organisation in hours (its own, else the
 * instance default, else SUPERVISION_TARGET_DEFAULT). *own tells whether
 * the organisation set it. 0 or -1. */
int supervision_target(struct db *db, int64_t organisation_id, double *hours, bool *own);

/* Sets who's organisation's target (0.25 <= hours <= 200). 0, 1 with an error
 * on field "target", -1. */
int supervision_set_target(struct db *db, const struct actor *who, double hours,
			   struct validation *v);

/* One PAP's supervision in a month. */
struct supervision_month_row {
	int64_t person_id;
	const char *name;
	double hours;
	int64_t sessions;
	const char *last_date; /* last session on or before the month's end, or NULL */
	bool below_target;
};

/* For a manager: each active PAP of their organisation with their hours
 * in month (year, month 1-12) against the target. 0, 1 when who is not a
 * manager, -1. */
int supervision_team_month(struct db *db, struct arena *ar, const struct actor *who, int year,
			   int month, double *target, struct supervision_month_row **out,
			   size_t *n);

#endif
