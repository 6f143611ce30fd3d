/* Escaping, and the HTML writer that escapes by default (after fossil's
 * format codes).
 *
 * html_printf() formats like printf with its own codes:
 *   %s   text, HTML-escaped (safe in element content and quoted attributes)
 *   %U   text, percent-encoded for a URL component (query value, path segment)
 *   %R   raw: trusted markup written as is. The only unescaped path; grep %R.
 *   %d %ld %lld %u %lu %llu %zu   integers;  %.Nf  doubles
 *   %%   a percent sign
 * A NULL %s/%U/%R writes nothing. The format must be a string literal:
 * tools/fmtcheck fails the build otherwise. */
#ifndef PROXIMA_ESCAPE_H
#define PROXIMA_ESCAPE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

/* Appends s with & < > " ' escaped. Returns 0 or -1 (buffer bound). */
int esc_html(struct buf *b, const char *s);

/* Appends n bytes of s, HTML-escaped. */
int esc_html_n(struct buf *b, const char *s, size_t n);

/* Appends s percent-encoded: everything but A-Z a-z 0-9 - . _ ~ */
int esc_url(struct buf *b, const char *s);

/* The value of the hexadecimal digit c (0-9, a-f, A-F), or -1. */
int hex_digit_value(char c);

/* Decodes %XX and (when plus_is_space) '+' in the n bytes at s, in place
 * into out (which may be s; it needs n+1 bytes). Returns the decoded
 * length, or -1 on a malformed escape. The result is NUL-terminated. */
long url_decode(char *out, const char *s, size_t n, int plus_is_space);

/* Spreadsheet cells (OWASP's CSV injection guidance). True when a
 * spreadsheet could take text s for a formula: it starts with '=', '+',
 * '-', '@', a tab or a carriage return, and is not, as a whole, a plain
 * decimal number ("-2.5", "-2,5": a spreadsheet reads those as numbers,
 * never as formulas; "-1+1+cmd|' /C calc'!A0" is a formula). */
bool sheet_is_formula(const char *s);

/* The text s as a text cell of a CSV or XLSX file must hold it: s itself,
 * or "'" followed by s (a copy in ar) when sheet_is_formula(s), so that it
 * stays text. NULL gives NULL. Every CSV and XLSX writer passes each text
 * cell through this; numbers are written as numbers, not through here. */
const char *sheet_text(struct arena *ar, const char *s);

/* The HTML writer described above. Returns 0 or -1 (buffer bound). */
int html_printf(struct buf *b, const char *fmt, ...);
int html_vprintf(struct buf *b, const char *fmt, va_list ap);

#endif
