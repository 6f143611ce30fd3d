/* The access log of nominative data (domain.md "Access log"): every read,
 * write and communication of a family's nominative details is recorded —
 * which information, by whom, when, the action, the recipient and the
 * purpose. Append-only (database triggers refuse UPDATE and DELETE) and
 * tamper-evident.
 *
 * The chain. Each entry carries hash = BLAKE2b-256 keyed with K (prev hash
 * || id || at || actor || object || recipient || action || kind ||
 * information || purpose), every field preceded by its length, where K is
 * derived from the key file (vault_derive), so nobody without the key file
 * can recompute a chain that verifies. A log written before the chain was
 * keyed keeps its unkeyed entries (BLAKE2b without a key); the first keyed
 * entry is the seal (action "seal"), whose keyed hash covers the last
 * unkeyed hash, so the older entries cannot change either. A log without a
 * seal does not verify: `proxima init` seals a new log at once and
 * `proxima migrate` seals an old one, so an emptied log (no seal left) is
 * detected.
 *
 * Anchors. A chain alone cannot show that its last entries were removed.
 * Anchors are (id, head) pairs kept outside the database, in a file beside
 * it (DB.anchors, one line each), appended by `proxima audit verify` and by
 * the daily run of `proxima serve`, which also print the head; verification
 * checks that every anchored entry is still there with the anchored hash. */
#ifndef PROXIMA_AUDIT_H
#define PROXIMA_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

#define AUDIT_HASH_LEN 32
#define AUDIT_HEAD_HEX (2 * AUDIT_HASH_LEN + 1)

/* The action and object of the seal. */
#define AUDIT_SEAL_ACTION "seal"
#define AUDIT_SEAL_KIND "audit_log"

struct audit_entry {
	int64_t actor_id;        /* 0 for the command line or the server itself */
	const char *action;      /* "read", "write", "communicate", "anonymise", "export", "seal" */
	const char *object_kind; /* "family", "referral", "audit_log" */
	int64_t object_id;
	const char *information; /* what: "nominative", "nominative.name", "consent.reference" … */
	int64_t recipient_id;    /* receiving organisation, or 0 */
	const char *purpose;     /* why: "suivi", "reference", "consultation", … */
};

/* Appends e, chained to the last entry and keyed. Call inside the
 * transaction that reads or writes the data, so both happen or neither.
 * Returns 0, or -1 on a database error or when no key is loaded. */
int audit_append(struct db *db, const struct audit_entry *e);

/* 1 when the log carries its seal, 0 when not (a log written before the
 * chain was keyed, or emptied), -1 on a database error. */
int audit_sealed(struct db *db);

/* Seals the log when it is not sealed yet: appends the seal entry (purpose
 * "init" for a new database, "migration" for a log written before the
 * chain was keyed). *before gets the number of entries written before the
 * seal (0 when the log was already sealed). Runs as a write unit
 * (db_unit_run: nested in the caller's when one runs). Returns 0, or -1
 * (no key loaded, database error). */
int audit_seal(struct db *db, const char *purpose, int64_t *before);

/* An anchor: the head of the chain at entry id, recorded at at. */
struct audit_anchor {
	int64_t at;
	int64_t id;
	unsigned char head[AUDIT_HASH_LEN];
};

/* Reads the anchors of path (in the arena, in file order). Returns 0 with
 * *n = 0 when the file does not exist yet, 0 with the anchors, or -1 with
 * a one-line reason in err (a line that does not read, naming it). */
int audit_anchor_read(const char *path, struct arena *ar, struct audit_anchor **out, size_t *n,
		      char *err, size_t errcap);

/* Appends the anchor a to path (created mode 0600 when missing), one line,
 * written and flushed to the disk. Returns 0 or -1 (errno set). */
int audit_anchor_append(const char *path, const struct audit_anchor *a);

/* What a verification found. */
enum audit_verdict {
	AUDIT_INTACT = 0,
	AUDIT_ALTERED,   /* bad_id does not verify: changed, or recomputed without the key */
	AUDIT_MISSING,   /* bad_id is missing: an entry before the last was removed */
	AUDIT_UNSEALED,  /* no seal: the log was emptied, or never sealed */
	AUDIT_TRUNCATED, /* an anchored entry (bad_id) is gone: entries removed from the end */
	AUDIT_ANCHOR,    /* an anchored entry (bad_id) has another hash than its anchor */
	AUDIT_NO_KEY,    /* no key loaded: the keyed entries cannot be checked */
};

struct audit_check {
	enum audit_verdict verdict;
	int64_t count;                      /* entries read */
	int64_t before;                     /* entries before the seal (unkeyed) */
	int64_t last_id;                    /* the last entry, 0 when none */
	int64_t bad_id;                     /* the entry the verdict names, 0 when intact */
	size_t anchors;                     /* anchors checked */
	unsigned char head[AUDIT_HASH_LEN]; /* hash of the last entry verified */
};

/* Recomputes the whole chain and checks it against the anchors (n of
 * them; may be 0). Returns 0 with the result in out (verdict AUDIT_INTACT
 * or why not), or -1 on a database error. */
int audit_verify(struct db *db, const struct audit_anchor *anchors, size_t n,
		 struct audit_check *out);

/* One English sentence for a verdict, for the command line and the logs.
 * Static string. */
const char *audit_verdict_text(enum audit_verdict v);

/* head as 64 lower-case hex digits into out. Returns out. */
const char *audit_head_hex(const unsigned char head[AUDIT_HASH_LEN], char out[AUDIT_HEAD_HEX]);

/* Appends e as a write unit (db_unit_run): inside the caller's unit when one
 * runs (a request that writes), else in a transaction of its own (a page
 * that only reads nominative data). Returns 0 when recorded (durable, or
 * kept in the enclosing unit), -1 when not. */
int audit_record(struct db *db, const struct audit_entry *e);

#endif
