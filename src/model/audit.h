/* The access log of nominative data (domain.md "Access log"): every read,
 * write and communication of a family's nominative details is recorded —
 * which information, by whom, when, the action, the recipient and the
 * purpose. Append-only (database triggers refuse UPDATE and DELETE) and
 * tamper-evident: each entry carries BLAKE2b(previous hash || entry). */
#ifndef PROXIMA_AUDIT_H
#define PROXIMA_AUDIT_H

#include <stdint.h>

#include "db/db.h"

#define AUDIT_HASH_LEN 32

struct audit_entry {
	int64_t actor_id;        /* 0 for the command line */
	const char *action;      /* "read", "write", "communicate", "anonymise", "export" */
	const char *object_kind; /* "family" */
	int64_t object_id;
	const char *information; /* what: "nominative", "nominative.name", … */
	int64_t recipient_id;    /* receiving organisation, or 0 */
	const char *purpose;     /* why: "suivi", "reference", "consultation", … */
};

/* Appends e, chained to the last entry. Call inside the transaction that
 * reads or writes the data, so both happen or neither. Returns 0 or -1. */
int audit_append(struct db *db, const struct audit_entry *e);

/* Appends e as a write unit (db_unit_run): inside the caller's unit when one
 * runs (a request that writes), else in a transaction of its own (a page
 * that only reads nominative data). Returns 0 when recorded (durable, or
 * kept in the enclosing unit), -1 when not. */
int audit_record(struct db *db, const struct audit_entry *e);

/* Recomputes the chain. Returns 0 when intact, 1 when an entry was altered
 * or removed (*bad_id gets the first entry that does not verify), -1 on a
 * database error. *count gets the number of entries checked and head (32
 * bytes, may be NULL) the last hash, to be recorded outside the database. */
int audit_verify(struct db *db, int64_t *count, int64_t *bad_id, unsigned char *head);

#endif
