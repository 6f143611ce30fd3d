/* A plain table for a spreadsheet: the registers and the access log
 * exported as CSV (UTF-8 with a byte-order mark, so Excel reads the
 * accents; ';' as separator in French, ',' in English) or as an XLSX sheet
 * (a bold header, a filter, columns sized). Text cells go through
 * sheet_text (core/escape.h): one that a spreadsheet could take for a
 * formula is written as text ("'" first); numbers are numbers. */
#ifndef PROXIMA_TABLE_H
#define PROXIMA_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

enum table_format { TABLE_CSV, TABLE_XLSX };

struct table_cell {
	const char *text; /* NULL: empty, or a number */
	bool is_number;
	double number;
};

struct table {
	struct arena *ar;
	const char *title;         /* the sheet's name (at most 31 characters) */
	const char *const *header; /* ncols labels, already translated */
	size_t ncols;
	struct table_cell *cells; /* row-major */
	size_t n, cap;            /* cells written */
};

/* Starts an empty table whose memory comes from ar. */
void table_init(struct table *t, struct arena *ar, const char *title, const char *const *header,
		size_t ncols);

/* Appends the next cell, row by row: a text (copied; NULL = empty), or a
 * whole number. */
void table_text(struct table *t, const char *s);
void table_int(struct table *t, int64_t v);

/* Rows written so far (complete ones). */
size_t table_rows(const struct table *t);

/* "csv" or "xlsx" into *f. 0, or -1 for anything else. */
int table_format_parse(const char *s, enum table_format *f);

/* The file's MIME type. Static string. */
const char *table_content_type(enum table_format f);

/* Writes t in format f for a reader of lang ("fr" or "en") into out.
 * Returns 0, or -1 (the file could not be written, or out is full). */
int table_write(const struct table *t, enum table_format f, const char *lang, struct buf *out);

#endif
