/* Internals of `proxima import` shared by import.c (the driver, field
 * readers and caches) and import_kinds.c (one handler per kind). Not an
 * API for other modules. */
#ifndef PROXIMA_IMPORT_INTERNAL_H
#define PROXIMA_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/activity.h"
#include "interchange/interchange.h"
#include "interchange/interchange_internal.h"
#include "model/refdata.h"

#define IX_BLOOM_BITS (1u << 25) /* 4 MiB: ~0.02 % false positives at 1 million ids */

/* Codes of one reference list valid for one organisation (refdata_list). */
struct codeset {
	enum ref_list list;
	int64_t org;
	struct strmap codes;
};

/* One import run. */
struct imp {
	struct db *db;
	struct import_result *res;
	struct arena *line; /* per line: parsed JSON and record data; reset */
	struct arena *keep; /* whole run: cache keys */
	long lineno;
	bool failed;   /* res holds the first error */
	bool db_error; /* … and it was a database error, not bad data */
	int64_t now;
	struct strmap refs[K__COUNT]; /* ext_id -> (id, org), kinds that are referred to */
	struct idset known[3];        /* ids known to exist, by enum activity_ref */
	struct codeset *codesets;     /* loaded on first use, dropped when ref_item changes */
	size_t ncodesets, capcodesets;
	/* Activities: when the table was empty at the first activity line,
	 * every id inserted since is in this Bloom filter, so an id it has
	 * certainly not seen is new without asking the database. */
	int act_fresh;       /* -1 not known yet, 0 no, 1 yes */
	uint64_t *act_bloom; /* IX_BLOOM_BITS bits */
	struct activity_lookup lk;
	/* The families of the activity being read, for lk.family_org. */
	const int64_t *fam_ids, *fam_orgs;
	size_t nfam;
	/* Aggregates: the activities the run adds (ids above agg_after, the
	 * highest stored when it began) are written without them and summed
	 * once at its end (agg_activities_add_since); a stored activity the
	 * run changes keeps them row by row. act_added counts the former. */
	int64_t agg_after, act_added;
	struct db_bulk_indexes *deferred; /* indexes set aside, when any */
	/* A stored territory was written (it may have moved in the tree): the
	 * referral trajectories are rebuilt at the end (model/trajectory.h);
	 * referrals, corridors and organisations keep theirs record by record. */
	bool traj_rebuild;
};

/* True when the activity id (0: not stored yet) is one the run adds,
 * whose aggregates are summed at its end. */
bool ix_import_activity_added(const struct imp *im, int64_t id);

/* Records the first error of the run for the current line: field (may be
 * "" or NULL) and a printf-style reason. Returns -1, for `return ix_fail(…)`. */
int ix_fail(struct imp *im, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ix_fail() for a database error of the last statement (event names it). */
int ix_fail_db(struct imp *im, const char *event);

/* A value from the input made safe for a one-line message (control
 * characters replaced, at most 60 characters). Line-arena string. */
const char *ix_shown(struct imp *im, const char *s);

/* The readers below take the object, a prefix for the field's name in
 * messages ("" at top level, "counts." …) and the member's key. A member
 * that is absent or null is "absent": optional readers then leave their
 * default (NULL, 0, the given default) and return 0; required ones fail
 * with "is required". A wrong JSON type, a value out of range, an unknown
 * code or reference all fail. They return 0 or -1 (after ix_fail()). Strings
 * returned live in the line arena. */

enum text_kind {
	TEXT_LINE, /* one line: no control characters */
	TEXT_FREE, /* free text: new lines and tabs allowed */
};

int ix_rd_str(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	      enum text_kind tk, size_t max_chars, const char **out);
/* A string passed as it is to a model validator (only its type is checked). */
int ix_rd_raw(struct imp *im, const struct jval *o, const char *pfx, const char *key,
	      const char **out);
int ix_rd_int(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	      int64_t min, int64_t max, int64_t *out, bool *present);
/* An integer clamped to the range of int, for a model validator to judge. */
int ix_rd_int_clamped(struct imp *im, const struct jval *o, const char *pfx, const char *key,
		      bool req, int *out);
int ix_rd_real(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	       double min, double max, double *out, bool *present);
int ix_rd_bool(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool *out);
int ix_rd_date(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	       const char **out);
int ix_rd_ts(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	     int64_t *out, bool *present);
/* One of the NULL-terminated allowed values. */
int ix_rd_enum(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	       const char *const *allowed, const char **out);
/* A code of reference list l valid for organisation org. */
int ix_rd_code(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	       enum ref_list l, int64_t org, const char **out);
/* An external id of kind k, resolved; out->id stays 0 when absent. */
int ix_rd_ref(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	      enum ix_kind k, struct ix_ref *out);
/* An object (NULL when absent). */
int ix_rd_obj(struct imp *im, const struct jval *o, const char *pfx, const char *key,
	      const struct jval **out);
/* A list (NULL when absent). */
int ix_rd_list(struct imp *im, const struct jval *o, const char *pfx, const char *key,
	       const struct jval **out);
/* A list of strings. LIST_MODEL only checks the types (a model validator
 * judges the values); LIST_DISTINCT wants distinct non-empty one-line
 * strings, and with l >= 0 codes of reference list l for org. */
enum list_mode { LIST_MODEL, LIST_DISTINCT };
int ix_rd_str_list(struct imp *im, const struct jval *o, const char *pfx, const char *key,
		   enum list_mode mode, size_t max_chars, int l, int64_t org, struct strlist *out);
/* A list of distinct references; *orgs (when given) gets their organisations. */
int ix_rd_ref_list(struct imp *im, const struct jval *o, const char *pfx, const char *key,
		   enum ix_kind k, struct idlist *out, int64_t **orgs);

/* True when a reference-list code is valid (cached). */
bool ix_code_valid(struct imp *im, enum ref_list l, const char *code, int64_t org);
/* Forgets the cached codes (after a ref_item line). */
void ix_codes_forget(struct imp *im);

/* Looks ext up: 0 and *out when found, 1 when unknown, -1 on a database
 * error (failed). Cached for every kind but activities. */
int ix_resolve(struct imp *im, enum ix_kind k, const char *ext, struct ix_ref *out);
/* Looks an activity's own id up: 0 and *id (0 when new), -1 on error. */
int ix_activity_self(struct imp *im, const char *ext, int64_t *id);
/* Records that an activity ext id now exists. */
void ix_activity_seen(struct imp *im, const char *ext);

/* Records that ext of kind k is now (id, org). */
void ix_remember(struct imp *im, enum ix_kind k, const char *ext, int64_t id, int64_t org);

/* Binding helpers: NULL (or 0, or absent) binds SQL NULL. */
void ix_bind_text(struct db_stmt *s, int i, const char *t);
void ix_bind_id(struct db_stmt *s, int i, int64_t id);
void ix_bind_ts(struct db_stmt *s, int i, bool present, int64_t t);
/* Steps an upsert … RETURNING id: 0 and *id, or -1 (failed). */
int ix_step_upsert(struct imp *im, struct db_stmt *s, const char *event, int64_t *id);
/* Steps a statement that returns no row: 0 or -1 (failed). */
int ix_step_exec(struct imp *im, struct db_stmt *s, const char *event);
/* Runs statement id with ?1 = parent (a DELETE of a record's list). */
int ix_exec_clear(struct imp *im, enum stmt_id id, int64_t parent);
/* Runs statement id with ?1 = parent, ?2 = text. */
int ix_exec_add_text(struct imp *im, enum stmt_id id, int64_t parent, const char *text);
/* Runs statement id with ?1 = parent, ?2 = an id. */
int ix_exec_add_id(struct imp *im, enum stmt_id id, int64_t parent, int64_t child);

/* The record of one line: kind, external id, the object. Returns 0 or -1
 * (failed); *inserted tells whether the record was new. */
int ix_import_record(struct imp *im, enum ix_kind k, const char *id, const struct jval *o,
		     bool *inserted);

#endif
