/* What the journal and family pages need beyond activity.h and family.h:
 * the calendar week of a date (weeks start on Monday), the totals of a
 * list of activities (direct and indirect time, people reached), a
 * family's timeline, and the small lists the activity form offers
 * (partner organisations, territories). No HTML here. */
#ifndef PROXIMA_JOURNAL_WEEK_H
#define PROXIMA_JOURNAL_WEEK_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/actor.h"

/* At most this many activities are shown on a family's timeline. */
#define JOURNAL_TIMELINE_MAX 200

/* A Monday-to-Sunday week, as "YYYY-MM-DD" dates. */
struct journal_week {
	char monday[11], sunday[11];
	char prev[11], next[11]; /* the Mondays before and after */
};

/* The day of the week of d: 0 = Monday … 6 = Sunday. */
int journal_weekday(const struct pdate *d);

/* The week containing date ("YYYY-MM-DD"), or today's when date is NULL
 * or empty. Returns 0, or -1 when date is not a valid date (w untouched). */
int journal_week_of(const char *date, struct journal_week *w);

/* Today's local date as "YYYY-MM-DD". */
void journal_today(char out[11]);

/* The totals of a week (or any list) of activities. */
struct journal_totals {
	int activities;
	long direct;   /* minutes with people */
	long indirect; /* minutes around them */
	long ind_deplacement, ind_interprete, ind_redaction, ind_preparation;
	long people; /* adults + children */
	long new_contacts;
	long hors_reseau;
};

/* Adds a to t. */
void journal_totals_add(struct journal_totals *t, const struct activity *a);

/* Tenths of the multiplier total/direct (21 for "1 h directe = 2,1 h au
 * total"), rounded; 0 when there is no direct time. */
long journal_multiplier_tenths(const struct journal_totals *t);

/* The activities linked to family_id that who may see, newest first, at
 * most JOURNAL_TIMELINE_MAX. The caller has checked that who may see the
 * family. Returns 0 or -1. */
int journal_family_activities(struct db *db, struct arena *ar, const struct actor *who,
			      int64_t family_id, struct activity **out, size_t *n);

/* An (id, name) pair for the form's lists. */
struct journal_named {
	int64_t id;
	const char *name;
};

/* Organisations other than organisation_id, by name. 0 or -1. */
int journal_partner_orgs(struct db *db, struct arena *ar, int64_t organisation_id,
			 struct journal_named **out, size_t *n);

/* Territories served by organisation_id, plus territory_id (the person's
 * own), by name. 0 or -1. */
int journal_territories(struct db *db, struct arena *ar, int64_t organisation_id,
			int64_t territory_id, struct journal_named **out, size_t *n);

/* The territories organisation_id serves and their sub-territories (the
 * territory scope, organisation_serves), by name: where its people may file
 * activities. 0 or -1. */
int journal_territories_served(struct db *db, struct arena *ar, int64_t organisation_id,
			       struct journal_named **out, size_t *n);

/* The type of the author's most recent activity (arena string), or NULL. */
const char *journal_last_type(struct db *db, struct arena *ar, int64_t author_id);

/* A person's name (arena string), or NULL when unknown. */
const char *journal_person_name(struct db *db, struct arena *ar, int64_t person_id);

#endif
