/* PAP positions over time (domain.md "poste de PAP"): a position of an
 * organisation on a territory, with start and end dates, a contact for
 * partners, a mandate (components and population x activity items) and
 * successive holder periods [from, to]. Turnover and headcount
 * (model/ind_team.h) are computed from these dates.
 *
 * Who: a manager (gestionnaire) manages the positions of their own
 * organisation; an admin those of every organisation; the committee of a
 * territory opens positions on it (for an organisation that serves it) and
 * keeps their contact and mandate (model/committee.h;
 * position_get_on_territory), but holders and hand-overs stay the
 * managers'. Nobody else sees a position here (the territory directory is
 * another module): a position not visible is reported as absent (404).
 *
 * Hand-over: when a holder leaves (change of holder, end of their period,
 * closing of the position), every open family they follow
 * (family.follower_id, not closed) and every open referral they sent
 * (referral.sender_id, closed_at NULL) is given to a named successor,
 * explicitly, per item or all at once, and each change is entered in the
 * access log (model/audit, purpose "passation"). The leave is refused
 * while anything would be left without an owner, unless the person still
 * holds another position after the leave (then nothing is orphaned). */
#ifndef PROXIMA_POSITION_H
#define PROXIMA_POSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/actor.h"
#include "model/validation.h"

#define POSITION_CONTACT_MAX 300 /* characters */
#define POSITION_ITEMS_MAX 40

struct mandate_pair {
	const char *population;
	const char *activity;
};

struct holder_period {
	int64_t id;
	int64_t person_id;
	const char *person_name;
	const char *person_ext; /* read only */
	const char *from;       /* YYYY-MM-DD */
	const char *to;         /* or NULL: still holding */
};

struct position {
	int64_t id;
	const char *ext_id;
	int64_t organisation_id;
	const char *organisation_name;
	int64_t territory_id;
	const char *territory_name;
	const char *organisation_ext, *territory_ext; /* read only */
	const char *start;                            /* YYYY-MM-DD */
	const char *end;                              /* or NULL: open */
	const char *contact;
	struct strlist components;
	struct mandate_pair *items;
	size_t n_items;
	struct holder_period *holders; /* by from date */
	size_t n_holders;
};

/* One thing a leaving holder owns. */
enum handover_kind { HANDOVER_FAMILY = 'f', HANDOVER_REFERRAL = 'r' };
struct handover_item {
	enum handover_kind kind;
	int64_t id;
	const char *label;  /* family code; for a referral "code → organisation" */
	int64_t to;         /* successor's person id, 0 = not assigned */
	const char *ext_id; /* the family's or referral's, on reads */
};

/* What the manager decided: explicit per-item assignments, and whom the
 * rest goes to (all_to, 0 = nobody). */
struct handover {
	int64_t all_to;
	struct handover_item *items;
	size_t n;
};

/* A person who may take things over: active PAP or manager. */
struct staff {
	int64_t id;
	const char *name;
	enum role role;
};

/* True when who may manage positions (a manager with an organisation, or
 * an admin). */
bool position_can_manage(const struct actor *who);

/* Facts about person id: organisation, role and whether the account is
 * active (the team modules check them before linking a person). 0, 1 when
 * the person does not exist, -1 on a database error (logged). */
int position_person_info(struct db *db, int64_t id, int64_t *org, enum role *role, bool *active);

/* Validates p (organisation, territory, start, contact, components and
 * items against the reference lists; the organisation serves the
 * territory: organisation_serves) and inserts it with its mandate.
 * Sets p->id and p->ext_id (generated when NULL). A manager's position is
 * always in their organisation; a committee's on a territory it maintains,
 * for an organisation serving it. The caller holds the write transaction.
 * Returns 0, 1 when v got field errors (nothing written), -1 on error. */
int position_create(struct db *db, struct arena *ar, const struct actor *who, struct position *p,
		    struct validation *v);

/* Replaces the contact and the mandate (components, items) of p (read by
 * position_get), as who: its organisation's manager, an admin or the
 * committee of its territory. The caller holds the write transaction.
 * Returns 0, 1 with field errors in v, -1 on error (or not allowed). */
int position_update_mandate(struct db *db, const struct actor *who, const struct position *p,
			    struct validation *v);

/* Reads a position on a territory the committee who maintains (its
 * mandate and holders), for the committee's pages; position_get keeps to
 * managers and admins. 0, 1 when absent or not on who's territory, -1. */
int position_get_on_territory(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			      struct position *out);

/* The positions of the committee who's territory and those under it
 * (ended ones too), with mandate and holders, by organisation. 0 or -1. */
int position_list_territory(struct db *db, struct arena *ar, const struct actor *who,
			    struct position **out, size_t *n);

/* Reads a position (with mandate and holders) the actor may see.
 * 0, 1 when absent or not visible, -1. Arena strings. */
int position_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		 struct position *out);

/* Positions the actor may see (open first), without mandate and holders
 * unless full is true. 0 or -1. */
int position_list(struct db *db, struct arena *ar, const struct actor *who, bool full,
		  struct position **out, size_t *n);

/* The current holder period of p (to == NULL), or NULL. */
const struct holder_period *position_current(const struct position *p);

/* What person_id owns and would orphan: open followed families, then open
 * referrals sent, each with to = 0. 0 or -1. */
int position_handover_items(struct db *db, struct arena *ar, int64_t person_id,
			    struct handover_item **out, size_t *n);

/* An organisation or a territory a position may be opened on. */
struct position_place {
	int64_t id;
	const char *name;
};

/* The choices of the form that opens a position: every organisation into
 * *orgs and every territory into *terrs, each by name (arena arrays).
 * Returns 0 or -1 (logged). */
int position_places(struct db *db, struct arena *ar, struct position_place **orgs, size_t *norgs,
		    struct position_place **terrs, size_t *nterrs);

/* Active PAP and managers of an organisation (successor candidates). */
int position_staff(struct db *db, struct arena *ar, int64_t organisation_id, struct staff **out,
		   size_t *n);

/* Gives the position to new_holder from date: when someone holds it, their
 * period ends the day before (a change of holder, with the hand-over h,
 * which may be NULL when there is nothing to hand over); else a plain
 * assignment. The new holder must be an active PAP of the position's
 * organisation, the date within the position. Caller holds the
 * transaction. Returns 0, 1 with field errors in v, -1 on error. */
int position_set_holder(struct db *db, struct arena *ar, const struct actor *who,
			const struct position *p, int64_t new_holder, const char *date,
			const struct handover *h, struct validation *v);

/* Ends the current holder's period on date (their last day), with the
 * hand-over h. Same returns. */
int position_end_holder(struct db *db, struct arena *ar, const struct actor *who,
			const struct position *p, const char *date, const struct handover *h,
			struct validation *v);

/* Closes the position on date (its last day); a current holder's period
 * ends the same day, with the hand-over h. Same returns. */
int position_close(struct db *db, struct arena *ar, const struct actor *who,
		   const struct position *p, const char *date, const struct handover *h,
		   struct validation *v);

#endif
