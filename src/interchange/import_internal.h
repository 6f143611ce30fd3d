/* Internals of `proxima import` shared by import.c (the driver, field
 * readers and caches) and import_kinds.c (one handler per kind). Not an
 * API for other modules. */
#ifndef PROXIMA_IMPORT_INTERNAL_H
#define PROXIMA_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/idmap.h"
#include "core/util.h"
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
	struct idmap known[3];        /* ids known to exist, by enum activity_ref */
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
	 * in memory (aggs, model/agg_bulk.h), written when the sums are full
	 * and at the end of the run; a stored activity the run changes, or
	 * one it added and changes again, keeps them row by row. act_added
	 * counts the former. */
	int64_t agg_after, act_added;
	struct agg_bulk *aggs;            /* the sums of the activities added */
	struct db_bulk_indexes *deferred; /* indexes set aside, when any */
	/* A stored territory was written (it may have moved in the tree): the
	 * referral trajectories are rebuilt at the end (model/trajectory.h);
	 * referrals, corridors and organisations keep theirs record by record. */
	bool traj_rebuild;
};

/* True when the activity id (0: not stored yet) is one the run adds. */
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

/* ------------------------------------------------------------------ */
/* A kind's fields as one table (import_fields.c): each row names a member,
 * what it holds, whether it is required, its bounds and where its value
 * goes in the handler's record (an offset, IX_AT). ix_read_fields reads
 * the rows in order with the readers above, so the messages are theirs. */

enum ix_ftype {
	IX_F_STR,        /* const char *: text of kind .text, at most .max_chars */
	IX_F_RAW,        /* const char *: any string, for a model validator */
	IX_F_INT,        /* struct ix_int: an integer in [.min, .max] */
	IX_F_CLAMPED,    /* int: an integer clamped to int, for a model validator */
	IX_F_REAL,       /* double: a number in [.dmin, .dmax] */
	IX_F_BOOL,       /* bool */
	IX_F_DATE,       /* const char *: YYYY-MM-DD */
	IX_F_TS,         /* struct ix_int: a timestamp (Unix seconds) */
	IX_F_ENUM,       /* const char *: one of .allowed */
	IX_F_CODE,       /* const char *: a code of list .list for the organisation at .org */
	IX_F_REF,        /* struct ix_ref: an external id of kind .kind, resolved */
	IX_F_OBJ,        /* const struct jval *: an object, its .sub rows read at once */
	IX_F_LIST,       /* const struct jval *: a list */
	IX_F_OBJ_LIST,   /* const struct jval *: a list of objects */
	IX_F_STR_LIST,   /* struct strlist: .mode, .max_chars, codes of .list (or -1) for .org */
	IX_F_REF_LIST,   /* struct idlist: distinct external ids of kind .kind (orgs at .org) */
	IX_F_NOT_BEFORE, /* a check: the date at .off is not before the one at .other */
	IX_F_RULE,       /* the kind's own rule at this point: .rule(im, o, pfx, rec) */
};

/* An optional integer or timestamp: present tells whether it was given. */
struct ix_int {
	int64_t v;
	bool present;
};

struct ix_field {
	const char *key;
	enum ix_ftype type;
	bool req;
	size_t off; /* where the value goes in the record */
	enum text_kind text;
	size_t max_chars;
	int64_t min, max;
	double dmin, dmax;
	const char *const *allowed;
	int list; /* enum ref_list, or -1 */
	enum list_mode mode;
	enum ix_kind kind;
	/* IX_F_CODE, IX_F_STR_LIST: the organisation (int64_t) whose codes
	 * are valid; IX_F_REF_LIST: where the organisations go (int64_t *),
	 * when IX_AT_NONE is not given. */
	size_t org;
	const struct ix_field *sub; /* IX_F_OBJ */
	size_t nsub;
	const char *other_key; /* IX_F_NOT_BEFORE: the earlier date's name and place */
	size_t other;
	/* IX_F_RULE: reads or checks what no other row type says; 0 or -1
	 * (failed). */
	int (*rule)(struct imp *im, const struct jval *o, const char *pfx, void *rec);
};

/* The offset of member m (of type type) in the record IX_REC, checked at
 * compile time: a member of another type does not build. */
#define IX_AT(m, type) (offsetof(IX_REC, m) + _Generic(((IX_REC *)0)->m, type : (size_t)0))
#define IX_AT_NONE ((size_t)-1)

/* The rows of a table, for the record type defined as IX_REC. */
#define IX_STR(k, rq, tk, maxc, m)                                                    \
	{                                                                             \
		.key = k, .type = IX_F_STR, .req = rq, .text = tk, .max_chars = maxc, \
		.off = IX_AT(m, const char *)                                         \
	}
#define IX_RAW(k, m)                                                      \
	{                                                                 \
		.key = k, .type = IX_F_RAW, .off = IX_AT(m, const char *) \
	}
#define IX_INT(k, rq, lo, hi, m)                                             \
	{                                                                    \
		.key = k, .type = IX_F_INT, .req = rq, .min = lo, .max = hi, \
		.off = IX_AT(m, struct ix_int)                               \
	}
#define IX_CLAMPED(k, rq, m)                                                    \
	{                                                                       \
		.key = k, .type = IX_F_CLAMPED, .req = rq, .off = IX_AT(m, int) \
	}
#define IX_REAL(k, rq, lo, hi, m)                                               \
	{                                                                       \
		.key = k, .type = IX_F_REAL, .req = rq, .dmin = lo, .dmax = hi, \
		.off = IX_AT(m, double)                                         \
	}
#define IX_BOOL(k, m)                                              \
	{                                                          \
		.key = k, .type = IX_F_BOOL, .off = IX_AT(m, bool) \
	}
#define IX_DATE(k, rq, m)                                                             \
	{                                                                             \
		.key = k, .type = IX_F_DATE, .req = rq, .off = IX_AT(m, const char *) \
	}
#define IX_TS(k, rq, m)                                                              \
	{                                                                            \
		.key = k, .type = IX_F_TS, .req = rq, .off = IX_AT(m, struct ix_int) \
	}
#define IX_ENUM(k, rq, values, m)                                          \
	{                                                                  \
		.key = k, .type = IX_F_ENUM, .req = rq, .allowed = values, \
		.off = IX_AT(m, const char *)                              \
	}
#define IX_CODE(k, rq, l, orgm, m)                                                              \
	{                                                                                       \
		.key = k, .type = IX_F_CODE, .req = rq, .list = l, .org = IX_AT(orgm, int64_t), \
		.off = IX_AT(m, const char *)                                                   \
	}
#define IX_REF(k, rq, kd, m)                                                                      \
	{                                                                                         \
		.key = k, .type = IX_F_REF, .req = rq, .kind = kd, .off = IX_AT(m, struct ix_ref) \
	}
#define IX_OBJ(k, rows, m)                                                        \
	{                                                                         \
		.key = k, .type = IX_F_OBJ, .sub = rows, .nsub = ARRAY_LEN(rows), \
		.off = IX_AT(m, const struct jval *)                              \
	}
/* An object kept whole (its members not read as rows). */
#define IX_OBJ_NONE(k, m)                                                        \
	{                                                                        \
		.key = k, .type = IX_F_OBJ, .off = IX_AT(m, const struct jval *) \
	}
#define IX_LIST(k, m)                                                             \
	{                                                                         \
		.key = k, .type = IX_F_LIST, .off = IX_AT(m, const struct jval *) \
	}
#define IX_OBJ_LIST(k, m)                                                             \
	{                                                                             \
		.key = k, .type = IX_F_OBJ_LIST, .off = IX_AT(m, const struct jval *) \
	}
/* A list of strings a model validator judges (only their type checked). */
#define IX_MODEL_LIST(k, m)                                                      \
	{                                                                        \
		.key = k, .type = IX_F_STR_LIST, .mode = LIST_MODEL, .list = -1, \
		.off = IX_AT(m, struct strlist)                                  \
	}
/* Distinct non-empty one-line strings of at most maxc characters. */
#define IX_DISTINCT(k, maxc, m)                                                            \
	{                                                                                  \
		.key = k, .type = IX_F_STR_LIST, .mode = LIST_DISTINCT, .max_chars = maxc, \
		.list = -1, .off = IX_AT(m, struct strlist)                                \
	}
/* Distinct codes of list l for the organisation at orgm. */
#define IX_CODES(k, l, orgm, m)                                                          \
	{                                                                                \
		.key = k, .type = IX_F_STR_LIST, .mode = LIST_DISTINCT, .max_chars = 64, \
		.list = l, .org = IX_AT(orgm, int64_t), .off = IX_AT(m, struct strlist)  \
	}
#define IX_REFS(k, kd, m)                                                       \
	{                                                                       \
		.key = k, .type = IX_F_REF_LIST, .kind = kd, .org = IX_AT_NONE, \
		.off = IX_AT(m, struct idlist)                                  \
	}
/* As IX_REFS, the organisations of the records at orgsm (int64_t *). */
#define IX_REFS_ORGS(k, kd, m, orgsm)                                                        \
	{                                                                                    \
		.key = k, .type = IX_F_REF_LIST, .kind = kd, .org = IX_AT(orgsm, int64_t *), \
		.off = IX_AT(m, struct idlist)                                               \
	}
/* The date k (member m) is not before the date ok (member om). */
#define IX_NOT_BEFORE(k, m, ok, om)                                                                \
	{                                                                                          \
		.key = k, .type = IX_F_NOT_BEFORE, .off = IX_AT(m, const char *), .other_key = ok, \
		.other = IX_AT(om, const char *)                                                   \
	}

/* A rule of the kind, run in its place among the rows. */
#define IX_RULE(fn)                           \
	{                                     \
		.type = IX_F_RULE, .rule = fn \
	}

/* Reads the n rows of f from object o (field names prefixed with pfx in
 * messages) into the record rec. Absent optional members leave the
 * record's value as it was (its default). 0, or -1 (failed) at the first
 * row in error. */
int ix_read_fields(struct imp *im, const struct jval *o, const char *pfx, const struct ix_field *f,
		   size_t n, void *rec);

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
