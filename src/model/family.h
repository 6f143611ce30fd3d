/* Followed families (domain.md): a pseudonymous code, consent with its
 * scopes and language, and nominative details encrypted with the vault.
 *
 * Consent over time: a scope (suivi, reference, citation) can be given
 * later or withdrawn, with who, when and why; the file can be closed with
 * a reason and reopened. family holds the state in force, which every
 * reader uses at once (a referral needs `reference` now, a story is quoted
 * only while `citation` holds); family_event keeps the history. A file is
 * opened with at least `suivi`; withdrawing `suivi` closes it. Each change
 * made by a person is also entered in the access log.
 *
 * Visibility: the family record (code, consent, dates) is visible to the
 * PAP and managers of its organisation; nominative details only to the PAP
 * who follows the family and the organisation's managers. Every read and
 * write of nominative details goes through the access log. Anything not
 * visible is reported as absent. */
#ifndef PROXIMA_FAMILY_H
#define PROXIMA_FAMILY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

struct family {
	int64_t id;
	const char *ext_id;
	int64_t organisation_id;
	const char *code;    /* pseudonymous code, unique in the organisation */
	int64_t follower_id; /* the PAP who follows the family, or 0 */
	/* External ids of the organisation and the follower (NULL: none),
	 * filled on reads from the read's own joins. */
	const char *organisation_ext, *follower_ext;
	const char *opened;       /* YYYY-MM-DD */
	const char *closed;       /* or NULL */
	const char *consent_date; /* or NULL: no consent recorded */
	const char *consent_language;
	bool consent_suivi, consent_reference, consent_citation;
	bool has_nominative;
	const char *close_reason; /* a code of family_close_reasons, or NULL */
	int64_t anonymised_at;    /* 0, or when retention anonymised the file */
};

/* The consent scopes, in their interchange spelling. */
#define FAMILY_SCOPE_COUNT 3
extern const char *const family_scopes[FAMILY_SCOPE_COUNT]; /* suivi, reference, citation */

/* Why a file is closed: codes with their French and English labels. */
struct family_reason {
	const char *code, *fr, *en;
};
extern const struct family_reason family_close_reasons[];
extern const size_t family_close_reasons_count;

/* A consent given or withdrawn later. */
struct consent_change {
	const char *scope;    /* "suivi", "reference" or "citation" */
	bool give;            /* true: given; false: withdrawn */
	const char *on_date;  /* YYYY-MM-DD: the date of the form or of the withdrawal */
	const char *language; /* the form's language (a give) */
	const char *reason;   /* why, in words (required) */
};

/* One line of a file's history, newest first. */
struct family_event {
	int64_t id;
	const char *kind;  /* "consent_given", "consent_withdrawn", "closed", "reopened" */
	const char *scope; /* for consent, else NULL */
	const char *on_date;
	const char *language;
	const char *reason_code; /* a close reason, "import", or NULL */
	const char *reason;      /* in words, or NULL */
	int64_t actor_id;        /* 0: before the history was kept, an import */
	const char *actor_name;
	int64_t at; /* when it was recorded; 0 before the history was kept */
};

struct nominative {
	const char *name;
	const char *phone;
	const char *address;
};

/* The rule of a file opened by a worker (the page, the API): the family's
 * consent to `suivi`, with the date of the form and its language. Import,
 * the whole-file load of existing records, keeps the interchange contract
 * (consent optional). Errors go to v; returns 0 when none. */
int family_check_opening(const struct family *f, struct validation *v);

/* Checks the record and (when given) the nominative details. */
int family_validate(struct db *db, const struct family *f, const struct nominative *nom,
		    struct validation *v);

/* Inserts (f->id == 0) or updates f. When nom is given, the nominative
 * details are encrypted and replaced, and the write is logged with purpose
 * (actor_id 0 = command line). The history records how the consent scopes
 * and the closing differ from what was stored (reason_code purpose, e.g.
 * "import"). The caller holds a write transaction. Returns 0 or -1 (also
 * when nom is given but no key is loaded). */
int family_save(struct db *db, struct arena *ar, int64_t actor_id, struct family *f,
		const struct nominative *nom, const char *purpose);

/* Reads a family the actor may see. 0, 1 when absent or not visible, -1. */
int family_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
	       struct family *out);

/* One page of the files of the actor's organisation not anonymised, by
 * code, searched by code only (never by name): those whose code holds
 * code_part (any case of ASCII letters; NULL or "" = all), offset rows
 * skipped, at most limit. *total counts every match. Arena results; 0 or
 * -1. */
int family_list_page(struct db *db, struct arena *ar, const struct actor *who,
		     const char *code_part, int64_t limit, int64_t offset, struct family **out,
		     size_t *n, int64_t *total);

/* Files of the actor's organisation not anonymised, by code. 0 or -1. */
int family_list(struct db *db, struct arena *ar, const struct actor *who, struct family **out,
		size_t *n);

/* True when who may read f's nominative details. */
bool family_nominative_allowed(const struct actor *who, const struct family *f);

/* Decrypts f's nominative details for who, logging the read with purpose
 * (audit_record: in the request's write unit, or a transaction of its own).
 * Returns 0, 1 when not allowed or none stored, -1 on
 * error (including a box that does not open: tampering or a wrong key). */
int family_read_nominative(struct db *db, struct arena *ar, const struct actor *who,
			   const struct family *f, const char *purpose, struct nominative *out);

/* True when who may change f's consent or close and reopen it: the PAP
 * who follows the family and the organisation's managers (those who read
 * its nominative details). */
bool family_can_change(const struct actor *who, const struct family *f);

/* True when an action needs a file that is open, with the scope given:
 * what the pages offer (a referral: "reference"; a quoted story:
 * "citation"). */
bool family_allows(const struct family *f, const char *scope);

/* Gives or withdraws a scope (c), as who (family_can_change). Withdrawing
 * `suivi` closes an open file the same day (reason "consentement_retire").
 * The change, the history and the access-log entry are written together
 * in the caller's write transaction; f is updated. Returns 0, 1 with
 * field errors in v (nothing written), -1 on error. */
int family_change_consent(struct db *db, struct arena *ar, const struct actor *who,
			  struct family *f, const struct consent_change *c, struct validation *v);

/* Closes the open file f on on_date with reason_code (family_close_reasons;
 * "autre" needs a comment), as who. Same returns and transaction. */
int family_close(struct db *db, struct arena *ar, const struct actor *who, struct family *f,
		 const char *on_date, const char *reason_code, const char *comment,
		 struct validation *v);

/* Reopens the closed file f on on_date, why in words (required), as who;
 * the family's consent to `suivi` must be in force (give it again first
 * when it was withdrawn). Same returns and transaction. */
int family_reopen(struct db *db, struct arena *ar, const struct actor *who, struct family *f,
		  const char *on_date, const char *reason, struct validation *v);

/* The history of f, newest first (who may read it: family_can_change).
 * Arena memory. 0 or -1. */
int family_history(struct db *db, struct arena *ar, const struct family *f,
		   struct family_event **out, size_t *n);

/* The decryption behind every read of nominative details, for the models
 * that read them (family, referral) once they have decided that the read
 * is allowed: opens the stored box of family family_id and records the
 * audit entry e of the read (audit_record); nothing is returned unless the
 * entry is recorded. Fills out with the name and phone, and the address
 * when with_address (arena strings; the rest of out untouched). Returns 0,
 * or -1 on error, absent details, a box that does not open or an entry
 * that could not be recorded. */
struct audit_entry;
int family_open_nominative(struct db *db, struct arena *ar, int64_t family_id,
			   const struct audit_entry *e, bool with_address, struct nominative *out);

#endif
