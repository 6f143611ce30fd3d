/* Retention and anonymisation (Loi 25 art. 23; LRSSS): a closed family
 * file is kept for its organisation's retention period (months after the
 * closing date), then its nominative details are destroyed and what
 * remains is anonymised, so the indicators stay computable:
 *   - destroyed: the encrypted name, phone and address;
 *   - anonymised: the family's code (replaced by "ANON-<id>"), its follower
 *     (the link to a PAP), and the free texts that may identify it — the
 *     notes of the activities linked to it, the text of its stories, the
 *     transfer-template values and reasons of its referrals, the reasons
 *     written in its history and its referrals' history;
 *   - kept: the anonymous record itself (organisation, dates, consent
 *     scopes, close reason), the links from activities and referrals to it
 *     (counts of families reached, trajectories, loops), every count.
 * Each file anonymised is entered in the register of anonymisation and
 * destruction (what, when, under which rule) and in the access log.
 *
 * `proxima retention run [--dry-run]` and the daily run of `proxima serve`
 * (src/daily.c) call retention_plan and retention_apply; today is the
 * local date of ptime_now() (PROXIMA_NOW injectable). */
#ifndef PROXIMA_RETENTION_H
#define PROXIMA_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

/* The longest period (the instance's default is the setting
 * retention_months, model/settings.h: 60 months unless changed). */
#define RETENTION_MAX_MONTHS 1200

/* An organisation's retention period. */
struct retention_policy {
	int64_t organisation_id;
	const char *organisation_name;
	int months;
	bool is_default; /* no period set: the instance's (setting retention_months) */
	int64_t set_at;  /* when it was set, 0 for the default */
	const char *set_by_name;
};

/* One file due: what a run would do to it. */
struct retention_item {
	int64_t family_id;
	int64_t organisation_id;
	const char *organisation_name;
	const char *closed; /* YYYY-MM-DD */
	const char *due;    /* closed + months */
	int months;
	bool nominative;   /* has nominative details to destroy */
	int64_t notes;     /* activity notes to erase */
	int64_t stories;   /* story texts to erase */
	int64_t referrals; /* referrals with template values or a reason */
	int64_t reasons;   /* reasons written in the file's and its referrals' history */
};

/* The periods of the organisations (organisation_id 0 = every one, else
 * that one), by name. Arena memory. 0 or -1. */
int retention_policies(struct db *db, struct arena *ar, int64_t organisation_id,
		       struct retention_policy **out, size_t *n);

/* Sets the period of organisation_id to months, as who (an admin, or the
 * organisation's person in charge: privacy_may_manage). The caller holds
 * the write transaction. Returns 0, 1 with field errors in v ("months"),
 * -1 on error. */
int retention_set(struct db *db, const struct actor *who, int64_t organisation_id, int months,
		  struct validation *v);

/* The closed files due on today (YYYY-MM-DD) that are not anonymised yet,
 * of organisation_id (0 = every organisation), oldest closing first.
 * Arena memory. 0 or -1. */
int retention_plan(struct db *db, struct arena *ar, int64_t organisation_id, const char *today,
		   struct retention_item **out, size_t *n);

/* Destroys and anonymises the file of it (see above), enters it in the
 * register and the access log, as actor_id (0: Proxima itself, the daily
 * run or the command line), at now. The caller holds the write
 * transaction. Returns 0, 1 when the file was already anonymised
 * (nothing written), -1 on error. */
int retention_apply(struct db *db, const struct retention_item *it, int64_t actor_id, int64_t now);

/* What a run did. */
struct retention_result {
	struct retention_item *items; /* the plan (arena memory) */
	size_t n;
	size_t done;   /* files anonymised (0 on a dry run) */
	size_t failed; /* files that could not be (logged; the next run retries) */
};

/* A whole run at now: the plan for every organisation and, unless
 * dry_run, each file anonymised in a transaction of its own (a failure
 * leaves the others done). 0, or -1 when the plan cannot be read. */
int retention_run(struct db *db, struct arena *ar, int64_t now, bool dry_run,
		  struct retention_result *out);

#endif
