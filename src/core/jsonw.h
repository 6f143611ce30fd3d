/* A small streaming JSON writer. Output goes straight into a buf; commas
 * and nesting are tracked here, so callers cannot produce malformed JSON.
 * Strings must be valid UTF-8 (all stored text is validated on input). */
#ifndef PROXIMA_JSONW_H
#define PROXIMA_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
	struct buf *out;
	int depth;
	bool first[JSONW_MAX_DEPTH]; /* no element yet at this level */
	bool after_key;
	int err; /* sticky: -1 once a write failed */
};

/* Starts writing into out (which the caller owns). */
void jsonw_init(struct jsonw *w, struct buf *out);

void jsonw_obj_begin(struct jsonw *w);
void jsonw_obj_end(struct jsonw *w);
void jsonw_arr_begin(struct jsonw *w);
void jsonw_arr_end(struct jsonw *w);

/* Writes an object key; the next value call writes its value. */
void jsonw_key(struct jsonw *w, const char *key);

void jsonw_str(struct jsonw *w, const char *s); /* NULL writes null */
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_double(struct jsonw *w, double v, int decimals); /* NaN/inf: null */

/* The fewest decimals (0..9) with which v reads back exactly: a figure as
 * it was entered (6.01 needs 2, not the 15 of its binary value). A value
 * that needs more than 9 is first rounded to 9 decimals, into *rounded
 * (else *rounded = v), so writing *rounded with the decimals returned is
 * stable: what one output writes, the next reads and writes the same. */
int jsonw_decimals_exact(double v, double *rounded);

/* Writes v with jsonw_decimals_exact's decimals (NaN/inf: null). */
void jsonw_double_exact(struct jsonw *w, double v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);

/* Key and value in one call. */
void jsonw_kv_str(struct jsonw *w, const char *key, const char *s);
void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_kv_bool(struct jsonw *w, const char *key, bool v);

/* 0 when everything was written and every container closed, else -1. */
int jsonw_finish(struct jsonw *w);

/* Appends s as a JSON string literal (with quotes) to b. */
int json_escape(struct buf *b, const char *s);

#endif
