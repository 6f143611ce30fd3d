/* Journal activities (domain.md "The activity journal entry"). One
 * validation and one save path serve the web form, the JSON API and the
 * import, so every input gets the same rules and the same messages.
 *
 * Visibility: a PAP sees the activities they wrote; a manager sees those
 * of their organisation; committee, analyst and admin roles see no single
 * activity (only aggregates, through reports). Anything not visible is
 * reported as absent, never as forbidden. */
#ifndef PROXIMA_ACTIVITY_H
#define PROXIMA_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/refdata.h"
#include "model/validation.h"

#define ACTIVITY_MAX_MINUTES 1440
#define ACTIVITY_MAX_COUNT 10000
#define ACTIVITY_NOTE_MAX 4000
/* The earliest date an activity may have: outreach records older than
 * that are typing errors (1900-01-01 for 2025-01-01), not history. */
#define ACTIVITY_DATE_MIN "2000-01-01"

struct strlist {
	const char **v;
	size_t n;
};

struct idlist {
	int64_t *v;
	size_t n;
};

struct activity {
	int64_t id;         /* 0 for a new activity */
	const char *ext_id; /* import id; generated when NULL */
	int64_t author_id;
	int64_t organisation_id;
	int64_t territory_id;
	/* External ids of the three above, filled on reads (from the read's
	 * own joins: the JSON writer needs no database). */
	const char *author_ext, *organisation_ext, *territory_ext;
	const char *date;       /* YYYY-MM-DD */
	const char *start_time; /* HH:MM, or NULL */
	int duration_min;       /* direct time with people */
	int ind_deplacement, ind_interprete, ind_redaction, ind_preparation;
	const char *type;
	const char *place;
	bool unplanned;
	const char *initiated_by; /* pap / personne / partenaire, or NULL */
	int adults, children_0_5, children_6_17, families, new_contacts, hors_reseau;
	struct strlist components, strategies, needs, outcomes;
	struct idlist family_ids, partner_ids, pap_ids;
	/* On reads, the external ids of the rows of those three lists, in the
	 * same order. */
	struct strlist family_exts, partner_exts, pap_exts;
	const char *note;
	int64_t created_at, updated_at, deleted_at;
};

struct activity_filter {
	const char *from, *to; /* inclusive dates, or NULL */
	int64_t author_id;     /* 0 = any the actor may see */
	const char *type;      /* or NULL */
	const char *place;     /* or NULL */
	int limit;             /* 0 = 100; at most 1000 */
	int offset;
};

/* Total indirect minutes. */
int activity_indirect(const struct activity *a);

/* People reached: adults + children. */
int activity_people(const struct activity *a);

/* Checks every field against the rules and the reference lists, and the
 * territory scope (organisation_serves: the organisation serves the territory);
 * the errors name the interchange field, all of them at once. The date is
 * from ACTIVITY_DATE_MIN to tomorrow (a day's margin for time zones).
 * Returns 0 when valid, else -1 (v->n == 0: a database error). */
int activity_validate(struct db *db, const struct activity *a, struct validation *v);

/* Answers to activity_validate's lookups kept in memory by a bulk caller
 * (the import), so the rules stay here. Each callback returns 1 (yes),
 * 0 (no) or -1 (not known: ask the database); a NULL callback always asks. */
enum activity_ref { ACT_REF_TERRITORY, ACT_REF_PERSON, ACT_REF_ORGANISATION };
struct activity_lookup {
	void *ctx;
	/* Is code an active entry of l for organisation org (refdata_valid)? */
	int (*code_valid)(void *ctx, enum ref_list l, const char *code, int64_t org);
	/* Does the record id exist? */
	int (*exists)(void *ctx, enum activity_ref what, int64_t id);
	/* The organisation of family id into *org (0 when no such family). */
	int (*family_org)(void *ctx, int64_t id, int64_t *org);
};

/* The import's rules: activity_validate's but the territory scope, which
 * interchange.md does not have (an organisation's territories are optional
 * there), with lookups answered by lk first (lk may be NULL). */
int activity_validate_import(struct db *db, const struct activity_lookup *lk,
			     const struct activity *a, struct validation *v);

/* Inserts (a->id == 0; a->id is set) or updates the activity and its lists.
 * The caller holds a write transaction and has validated a. A missing
 * ext_id is generated ("act-" and 16 hex digits, in the arena). Components
 * left empty are derived from the type. Returns 0 or -1 (logged). */
int activity_save(struct db *db, struct arena *ar, struct activity *a);

/* A new activity's external id ("act-" and 16 random hex digits, in ar),
 * as activity_save gives one that has none: a caller may draw it before
 * its write unit (a random draw is a system call). */
const char *activity_new_ext_id(struct arena *ar);

/* Makes a, just saved by activity_save (its id, ext_id, created_at and
 * updated_at set), read as activity_get would read it back, without
 * reading it: the type's component when none was given, empty optional
 * texts as NULL, the lists in the reads' order (codes by code, rows by row
 * id, each with its external id). The external ids of the author,
 * organisation and territory and of every listed row must already be in
 * a (the caller read them with the ids). Copies the lists it sorts into ar.
 * Returns 0, or -1 when an external id is missing (a is then unchanged:
 * read the activity back instead). */
int activity_as_stored(struct arena *ar, struct activity *a);

/* activity_save for a bulk load: the same rows, but the aggregate tables
 * are left alone (neither the old figures removed nor the new ones added).
 * The caller must bring them up to date in the same transaction before it
 * commits: agg_bulk_add for each activity it adds (the import,
 * model/agg_bulk.h), or agg_rebuild. *ckey (may be NULL) gets a new
 * activity's record key (0 for an update). 0 or -1 (logged). */
int activity_save_bulk(struct db *db, struct arena *ar, struct activity *a, int64_t *ckey);

/* Reads one activity the actor may see. Returns 0, 1 when absent or not
 * visible (or deleted), -1 on error. Strings and lists are in the arena. */
int activity_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		 struct activity *out);

/* Soft-deletes an activity the actor may change (author or manager of the
 * organisation). Returns 0, 1 when absent/not visible, -1 on error. */
int activity_delete(struct db *db, const struct actor *who, int64_t id);

/* True when who may change a (its author, or a manager of its organisation). */
bool activity_can_edit(const struct actor *who, const struct activity *a);

/* Activities the actor may see, newest first, with their lists. *total gets
 * the number matching without paging. Returns 0 or -1. */
int activity_list(struct db *db, struct arena *ar, const struct actor *who,
		  const struct activity_filter *f, struct activity **out, size_t *n,
		  int64_t *total);

/* Bytes of an activity's ETag with its quotes and NUL ("\"" + 32 hex + "\""). */
#define ACTIVITY_ETAG_SIZE 35

/* Writes into out the strong ETag of a as read by activity_get: a hash of
 * every field and of updated_at, so any change made anywhere (page, API,
 * import, replayed outbox entry) gives another value. The API's ETag and
 * If-Match and the edit form's hidden "version" field are this value. */
void activity_etag(const struct activity *a, char out[ACTIVITY_ETAG_SIZE]);

/* The place of the actor's most recent activity (arena string), or NULL. */
const char *activity_last_place(struct db *db, struct arena *ar, int64_t author_id);

#endif
