/* Internals shared by import and export (not an API for other modules):
 * an arena JSON parser, string and id hash tables, the kinds. */
#ifndef PROXIMA_INTERCHANGE_INTERNAL_H
#define PROXIMA_INTERCHANGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/jsonw.h"

/* Longest accepted line (bytes) and deepest nesting. */
#define IX_LINE_MAX (1u << 20)
#define IX_JSON_DEPTH 16

/* ------------------------------------------------------------------ */
/* JSON values, parsed into an arena (one arena per line, reset between). */

enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jval {
	enum jtype type;
	bool b;             /* J_BOOL */
	bool is_int;        /* J_NUMBER with neither fraction nor exponent */
	const char *s;      /* J_STRING: decoded UTF-8; J_NUMBER: its text */
	size_t len;         /* bytes of s */
	const char *key;    /* member name, inside an object */
	uint32_t hash;      /* ix_hash of key */
	struct jval *first; /* J_ARRAY, J_OBJECT: first element or member */
	struct jval *next;  /* next element or member */
	size_t n;           /* J_ARRAY, J_OBJECT: number of elements */
};

/* Parses len bytes as one JSON value (RFC 8259; strings must be valid
 * UTF-8 without NUL; duplicate member names are refused; depth at most
 * IX_JSON_DEPTH). Everything is allocated in ar. Returns the value, or NULL
 * with a one-line reason ("invalid JSON at column 7: …") in err. */
struct jval *ix_json_parse(struct arena *ar, const char *text, size_t len, char *err,
			   size_t errcap);

/* The member of obj called key, or NULL (also when obj is not an object). */
const struct jval *ix_json_get(const struct jval *obj, const char *key);

/* Writes v with w. Numbers are normalised: integers that fit in 64 bits as
 * integers, others as jsonw_double_exact does. */
void ix_json_write(struct jsonw *w, const struct jval *v);

/* FNV-1a of n bytes. */
uint32_t ix_hash(const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* Hash tables, owned by their user (init/free); keys are copied into the
 * arena given to strmap_init. */

struct ix_ref {
	int64_t id;
	int64_t org; /* the record's organisation, 0 when none */
};

struct strmap_entry {
	const char *key;
	uint32_t hash;
	struct ix_ref ref;
};

struct strmap {
	struct strmap_entry *v;
	size_t cap, n;
	struct arena *keys;
};

void ix_strmap_init(struct strmap *m, struct arena *keys);
void ix_strmap_free(struct strmap *m);
/* The value of key, or NULL. The pointer is valid until the next put. */
struct ix_ref *ix_strmap_get(struct strmap *m, const char *key);
/* Sets key's value (inserting a copy of key when new). */
void ix_strmap_put(struct strmap *m, const char *key, struct ix_ref ref);

/* ------------------------------------------------------------------ */
/* Kinds, in export (dependency) order. */

enum ix_kind {
	K_SECTOR,
	K_TERRITORY,
	K_PORTRAIT,
	K_ORGANISATION,
	K_REF_ITEM,
	K_PERSON,
	K_POSITION,
	K_FAMILY,
	K_ACTIVITY,
	K_CORRIDOR,
	K_REFERRAL,
	K_SUPERVISION,
	K_SUPPORT_REQUEST,
	K_PROJECT,
	K_SURVEY,
	K_SERVICE_GAP,
	K_STORY,
	K__COUNT
};

/* "sector", "territory", … (static). */
const char *ix_kind_name(enum ix_kind k);

/* The kind called name, or -1. */
int ix_kind_parse(const char *name);

#endif
