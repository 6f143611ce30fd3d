/* The directory of a territory (domain.md workflow 4): its PAP positions,
 * who holds them, their mandates (components + population × activity
 * items) and contacts; whether each mandate meets the shared framework
 * (the three components demarchage, accompagnement, collaboration); when
 * each partner organisation last had a presentation of mandate; the
 * overlap of mandates between sectors (arr.chevauchement_mandats, computed
 * by ind_arr_chevauchement, never recomputed here); and "who to call" for
 * a need or a population.
 *
 * Who reads: every role of the territory — pap and gestionnaire of an
 * organisation serving it or an ancestor (or whose own territory it is or
 * contains it), comite of the
 * territory or an ancestor, analyste and admin (any territory). Holders
 * are workers named in their professional role, never families: nothing
 * here is nominative data under domain.md's rules. Presentations are
 * counts of activities, which identify nobody (indicators.md).
 *
 * Position writes belong to the team module; this one only reads. Every
 * returned array and string is in the arena passed in. */
#ifndef PROXIMA_DIRECTORY_H
#define PROXIMA_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/actor.h"
#include "model/corridor.h"
#include "model/ind_arrimage.h"
#include "model/territory.h"

/* Presentations are counted over this many days before the date asked. */
#define DIRECTORY_PRESENTATION_WINDOW_DAYS 365

struct dir_org {
	int64_t id;
	const char *ext_id, *name, *sector_name;
	const char *sector_name_en; /* may be NULL */
};

/* Organisations on territory_id (serving it, an ancestor or a descendant:
 * the possible entry points of its corridors), by name. 0 or -1. */
int directory_organisations(struct db *db, struct arena *a, int64_t territory_id,
			    struct dir_org **out, size_t *n);

/* The row id of an organisation's external id into *id: 0 found, 1
 * absent, -1 a database error (lookup_id). */
int directory_organisation_id(struct db *db, const char *ext_id, int64_t *id);

/* The latest row of each portrait indicator of territory_id. */
struct dir_portrait {
	const char *indicator, *label, *unit, *period_end, *source; /* may be NULL */
	const char *label_en;                                       /* may be NULL */
	double value;
};

/* By indicator code. 0 or -1. */
int directory_portrait(struct db *db, struct arena *a, int64_t territory_id,
		       struct dir_portrait **out, size_t *n);

struct dir_holder {
	int64_t person_id;
	const char *name;
	const char *from, *to; /* to NULL = still holding */
};

struct dir_position {
	int64_t id;
	const char *ext_id;
	int64_t organisation_id;
	const char *org_ext, *org_name;
	int64_t sector_id;
	const char *sector_ext, *sector_name;
	const char *sector_name_en; /* may be NULL */
	int64_t territory_id;
	const char *start, *end; /* end NULL = open */
	const char *contact;     /* for partners, or NULL */
	struct dir_holder *holders;
	size_t n_holders;
	struct strlist components;      /* sorted */
	struct ind_mandate_item *items; /* sorted by population, activity type */
	size_t n_items;
	bool framework;           /* the three components */
	const char *current_name; /* holder on the date asked, or NULL (vacant) */
};

struct dir_partner {
	int64_t organisation_id;
	const char *ext_id, *name, *sector_name;
	const char *sector_name_en;    /* may be NULL */
	const char *last_presentation; /* YYYY-MM-DD, or NULL: never */
	int64_t presentations;         /* in the window before the date asked */
	int64_t presenters;            /* distinct organisations that presented */
};

struct directory {
	struct dir_position *positions; /* by sector name, organisation, ext_id */
	size_t n_positions;
	struct dir_partner *partners; /* by name */
	size_t n_partners;
};

/* True when the components hold demarchage, accompagnement and
 * collaboration. */
bool directory_meets_framework(const struct strlist *components);

/* Loads one position with its holders and mandate. 0, 1 absent, -1. */
int directory_position_get(struct db *db, struct arena *a, int64_t id, const char *date,
			   struct dir_position *out);

/* The directory of territory_id (with its sub-territories) on date
 * (YYYY-MM-DD): positions not ended before date, and the partners with
 * their last presentation of mandate up to date. The caller checked
 * visibility. 0 or -1. */
int directory_load(struct db *db, struct arena *a, int64_t territory_id, const char *date,
		   struct directory *out);

/* The overlap of mandates on territory_id over [from, to] (as_of as
 * indicators.md: to, or today when to is in the future), as
 * ind_arr_chevauchement computes it, arranged as a matrix: positions
 * (filled in the period) grouped by sector, and for each pair the number
 * of shared items (-1 when both are of the same sector: not a pair). */
struct dir_overlaps {
	struct ind_arr_chevauchement_result result; /* numerator, denominator, rate, pairs */
	struct dir_position *positions;             /* rows and columns, by sector */
	size_t n;
	int *cells; /* n × n, row-major; -1 same sector (or diagonal) */
};

/* 0, or -1 on error (also for dates that do not parse). */
int directory_overlaps(struct db *db, struct arena *a, int64_t territory_id, const char *from,
		       const char *to, struct dir_overlaps *out);

/* The shared items of the pair (a, b) of out (row indexes), or NULL with
 * *n = 0 when they share none. */
const struct ind_mandate_item *directory_overlap_items(const struct dir_overlaps *o, size_t a,
						       size_t b, size_t *n);

/* Who to call. q is free text, or a need or population code (which also
 * matches exactly; the items shown are then the code's): each of its words (at most FOLD_MAX_WORDS; core/fold.h folds case,
 * accents, plural and feminine) must occur somewhere in the corridor (its
 * name, need and population labels, entry organisation and its sector) or
 * the position (its organisation and sector, the populations and
 * activities of its mandate items), in French or English; the matching
 * runs in SQL over the rows' search text (model/search.h). Only corridors
 * active on date and positions filled on date count. */
struct dir_match_position {
	const struct dir_position *position;
	struct ind_mandate_item *items; /* the items whose labels hold a word of
					   the query (may be empty when the
					   organisation or sector matched) */
	size_t n_items;
};

struct dir_search {
	struct corridor *corridors;
	size_t n_corridors;
	struct dir_match_position *positions;
	size_t n_positions;
	size_t n_words; /* the query's words; beyond FOLD_MAX_WORDS, only the
			   first FOLD_MAX_WORDS were matched */
};

/* 0 or -1. A q without words finds nothing. Arena results. */
int directory_search(struct db *db, struct arena *a, int64_t territory_id, const char *date,
		     const char *q, struct dir_search *out);

#endif
