/* The standard statistics, fed without double entry (domain.md): for an
 * organisation and a fiscal year (April 1 - March 31), what of its journal
 * counts as "interventions" and "usagers" under the ministry's rules
 * (I-CLSC and the MGF units of the financial manual), next to what does
 * not count there: the outreach work the standard statistics miss.
 *
 * Mapping rules implemented (docs/en/statistics.md):
 *   - An intervention is a documented act, in person or by phone, with an
 *     identified user. In the journal: an activity (not deleted) of a type
 *     of direct intervention — intervention_individuelle,
 *     intervention_crise, accompagnement (individual user) or
 *     intervention_groupe (group) — with at least one followed family
 *     linked (the identified user; anonymous counts identify nobody). One
 *     activity = one intervention, whatever the number of families.
 *   - Usagers: the distinct followed families linked to those
 *     interventions in the fiscal year, each once.
 *   - Hours counted: the direct minutes of the counted interventions.
 *     Indirect time (travel, interpreter, notes, preparation) is excluded
 *     by the rules: it is reported as not counted, always.
 *   - Everything else is reported as not counted, by type (informal
 *     contacts, door-to-door, collective activities, partner meetings,
 *     liaison, presentations, co-development, and interventions without an
 *     identified user), with its activities and hours.
 * Visibility: a gestionnaire sees their own organisation, an admin any
 * organisation; anyone else (and another organisation) is "absent". */
#ifndef PROXIMA_RC_STATS_H
#define PROXIMA_RC_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/actor.h"

struct db;
struct arena;

/* One activity type: what counts and what does not. Minutes. */
struct rc_stats_row {
	const char *type;
	int64_t counted, counted_direct_min;
	int64_t not_counted, not_counted_direct_min;
	int64_t indirect_min; /* never counted */
};

struct rc_stats {
	int64_t organisation_id;
	const char *organisation, *organisation_name; /* ext_id, name */
	int year;                                     /* fiscal year starting April 1 of year */
	char from[11], to[11];                        /* 'YYYY-04-01' .. 'YYYY+1-03-31' */
	struct rc_stats_row *rows;                    /* by type code */
	size_t n;
	int64_t interventions; /* counted activities */
	int64_t individual, group;
	int64_t usagers;
	int64_t counted_min;     /* direct minutes of the interventions */
	int64_t not_counted_min; /* every other minute, indirect included */
	int64_t activities;      /* all activities of the year */
	double pct_time_missed;  /* not_counted_min / all minutes * 100; 0 when none */
};

/* One counted intervention, as the ministry's file lists it (Annexe I of
 * the I-CLSC regulation: what of it the journal holds). Arena strings. */
struct rc_intervention {
	const char *ext_id, *date; /* the activity; 'YYYY-MM-DD' */
	const char *type;          /* activity type code */
	bool group;                /* intervention_groupe */
	const char *place;         /* place code, or NULL */
	const char *place_label;   /* its label in the language asked, or "" */
	int64_t duration_min;      /* direct minutes */
	int64_t participants;      /* people counted, else the followed families linked */
	const char *language;      /* the linked families' consent language, or NULL */
};

/* The interventions that count in st (computed by rc_stats_compute), by
 * date, into *out (arena array of *n), places labelled in lang. 0, or -1
 * (logged). */
int rc_stats_interventions(struct db *db, struct arena *ar, const struct rc_stats *st,
			   const char *lang, struct rc_intervention **out, size_t *n);

/* The fiscal year containing the local date d: its April 1 year. */
int rc_stats_fiscal_year(int year, int month);

/* Computes the statistics of organisation ext_id `organisation` (NULL =
 * the actor's own) for the fiscal year starting April 1 of `year`, as
 * `who` may see them. Returns 0, 1 when not visible or unknown (absent),
 * -1 on a database error (logged). Strings and rows are in the arena. */
int rc_stats_compute(struct db *db, struct arena *ar, const struct actor *who,
		     const char *organisation, int year, struct rc_stats *out);

#endif
