/* What the person in charge of the protection of personal information
 * reads (domain.md, Loi 25 art. 3.1 and 3.8, LRSSS s. 103): the access log,
 * the confidentiality-incident register, the register of anonymisation and
 * destruction, the register of communications — without ever reading a
 * family's nominative details (families appear by their number).
 *
 * Who: an admin reads the registers of every organisation; a person
 * designated for their organisation (person.privacy_officer, any role:
 * often its director, who is the person in charge unless the function is
 * delegated) reads and keeps those of their organisation. Anyone else:
 * the registers do not exist (absent, never forbidden).
 *
 * The scope of an organisation: an access-log entry concerns it when its
 * author belongs to it, when it names it as recipient, or when the family
 * or the referral it is about is one of its own (sent or received). */
#ifndef PROXIMA_PRIVACY_H
#define PROXIMA_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

/* True when who reads the registers: an admin, or the designated person
 * of an organisation (read from the database: false on an error, logged). */
bool privacy_reads_registers(struct db *db, const struct actor *who);

/* The organisation whose registers who reads: 0 for every organisation
 * (an admin). Only meaningful when privacy_reads_registers(who). */
int64_t privacy_scope(const struct actor *who);

/* True when who keeps the registers and the retention period of
 * organisation_id (an admin, or that organisation's person in charge). */
bool privacy_may_manage(struct db *db, const struct actor *who, int64_t organisation_id);

/* The person designated in an organisation (person_id 0: nobody; an
 * organisation may appear once per designated person). */
struct privacy_officer {
	int64_t organisation_id;
	const char *organisation_name;
	int64_t person_id;
	const char *person_name;
};

/* Every organisation with its designated person, by name. 0 or -1. */
int privacy_officers(struct db *db, struct arena *ar, struct privacy_officer **out, size_t *n);

/* A person to choose in a filter or a designation. */
struct privacy_person {
	int64_t id;
	const char *name, *organisation;
};

/* The active accounts of organisation_id, by name. 0 or -1. */
int privacy_org_people(struct db *db, struct arena *ar, int64_t organisation_id,
		       struct privacy_person **out, size_t *n);

/* Designates person_id (an active account of organisation_id; 0: nobody)
 * as its person in charge, in place of anyone before, as who (an admin).
 * The caller holds the write transaction. 0, 1 with field errors in v
 * ("person"), -1. */
int privacy_designate(struct db *db, const struct actor *who, int64_t organisation_id,
		      int64_t person_id, struct validation *v);

/* A period of local dates, inclusive (YYYY-MM-DD). */
struct privacy_period {
	const char *from, *to;
};

/* ---- The access log ---- */

struct access_filter {
	struct privacy_period period;
	int64_t person_id;  /* 0: anyone */
	int64_t family_id;  /* 0: any family (the family or its referrals) */
	const char *action; /* NULL: any ("read", "write", "communicate", …) */
	int64_t before_id;  /* the page before this entry (0: the newest first) */
	int limit;          /* entries to read (1..PRIVACY_MAX_ROWS + 1) */
};

#define PRIVACY_PAGE 50
#define PRIVACY_MAX_ROWS 100000 /* entries in one exported file */

struct access_entry {
	int64_t id, at;
	int64_t actor_id; /* 0: the command line or Proxima itself */
	const char *actor_name, *actor_organisation;
	const char *action, *object_kind;
	int64_t object_id;
	int64_t family_id; /* the family concerned, 0 when none */
	const char *information;
	int64_t recipient_id;
	const char *recipient_name;
	const char *purpose;
};

/* The entries who may read (privacy_scope) that f selects, newest first,
 * at most f->limit. Arena memory. 0, or -1 (also for a period that does
 * not parse). */
int privacy_access_list(struct db *db, struct arena *ar, const struct actor *who,
			const struct access_filter *f, struct access_entry **out, size_t *n);

/* The people who appear as authors in who's scope of the log, by name.
 * Arena memory. 0 or -1. */
int privacy_access_people(struct db *db, struct arena *ar, const struct actor *who,
			  struct privacy_person **out, size_t *n);

/* ---- The register of communications: nominative data sent to another
 * organisation (the access log's "communicate" entries). ---- */

/* The communications of the period in who's scope, newest first (at most
 * limit). Arena memory, as access entries. 0 or -1. */
int privacy_communications(struct db *db, struct arena *ar, const struct actor *who,
			   const struct privacy_period *p, int limit, struct access_entry **out,
			   size_t *n);

/* ---- The register of anonymisation and destruction ---- */

struct anonymisation_entry {
	int64_t id, at;
	int64_t family_id;
	int64_t organisation_id;
	const char *organisation_name;
	const char *actor_name;                     /* NULL: Proxima's retention run */
	const char *method;                         /* "anonymisation" */
	const char *reason;                         /* "retention" */
	int months;                                 /* the rule: months after the closing date */
	const char *closed;                         /* the closing date */
	bool nominative;                            /* nominative details destroyed */
	int64_t notes, stories, referrals, reasons; /* free texts erased */
};

int privacy_anonymisations(struct db *db, struct arena *ar, const struct actor *who,
			   const struct privacy_period *p, int limit,
			   struct anonymisation_entry **out, size_t *n);

/* ---- The confidentiality-incident register (Règlement sur les incidents
 * de confidentialité, art. 11) ---- */

struct incident {
	int64_t id;
	int64_t organisation_id;
	const char *organisation_name;
	const char *information;   /* the personal information concerned */
	const char *circumstances; /* how it happened */
	const char *occurred_on;   /* when (or the start of the period), or NULL: unknown */
	const char *occurred_to;   /* the end of the period, or NULL */
	const char *discovered_on; /* when it was discovered */
	int64_t people_count;      /* people concerned, -1: unknown */
	const char *risk_assessment;
	bool serious_risk;                /* a risk of serious harm */
	const char *notice_commission_on; /* notice to the Commission, or NULL */
	const char *notice_people_on;     /* notice to the people concerned, or NULL */
	const char *notices_sent;         /* other notices (public notice…) */
	const char *measures_taken;
	const char *recorded_by_name, *updated_by_name;
	int64_t recorded_at, updated_at;
};

#define INCIDENT_TEXT_MAX 4000

/* Incidents of who's scope discovered in the period (NULL: all), newest
 * first. Arena memory. 0 or -1. */
int privacy_incidents(struct db *db, struct arena *ar, const struct actor *who,
		      const struct privacy_period *p, struct incident **out, size_t *n);

/* One incident who may read. 0, 1 absent or not in scope, -1. */
int privacy_incident_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			 struct incident *out);

/* Checks every field (v gets them all, named as in struct incident) and
 * records the incident (in->id 0: a new one, id set) or its update, as
 * who (privacy_may_manage for its organisation). The caller holds the
 * write transaction. 0, 1 with field errors (nothing written), -1. */
int privacy_incident_save(struct db *db, const struct actor *who, struct incident *in,
			  struct validation *v);

#endif
