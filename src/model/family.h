/* Followed families (domain.md): a pseudonymous code, consent with its
 * scopes and language, and nominative details encrypted with the vault.
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
};

struct nominative {
	const char *name;
	const char *phone;
	const char *address;
};

/* Checks the record and (when given) the nominative details. */
int family_validate(struct db *db, const struct family *f, const struct nominative *nom,
		    struct validation *v);

/* Inserts (f->id == 0) or updates f. When nom is given, the nominative
 * details are encrypted and replaced, and the write is logged with purpose
 * (actor_id 0 = command line). The caller holds a write transaction.
 * Returns 0 or -1 (also when nom is given but no key is loaded). */
int family_save(struct db *db, struct arena *ar, int64_t actor_id, struct family *f,
		const struct nominative *nom, const char *purpose);

/* Reads a family the actor may see. 0, 1 when absent or not visible, -1. */
int family_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
	       struct family *out);

/* Families of the actor's organisation, by code. 0 or -1. */
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
