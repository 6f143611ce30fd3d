/* Small helpers shared by every module: fatal errors and safe number parsing.
 * atoi/strtol without checks are banned; use these. */
#ifndef PROXIMA_UTIL_H
#define PROXIMA_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Prints "out of memory" and aborts. Never returns. */
_Noreturn void die_oom(void);

/* Aborts with a message when an invariant is broken. Never returns. */
_Noreturn void die_bug(const char *file, int line, const char *what);
#define BUG_ON(cond)                                        \
	do {                                                \
		if (cond)                                   \
			die_bug(__FILE__, __LINE__, #cond); \
	} while (0)

/* Parses the whole of s as a decimal integer in [min, max].
 * Returns 0 and sets *out, or -1 (empty, trailing junk, out of range). */
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Same, into an int. */
int parse_int(const char *s, int min, int max, int *out);

/* Case-insensitive ASCII comparison of NUL-terminated strings. */
bool str_ieq(const char *a, const char *b);

/* True when s starts with prefix. */
bool str_starts(const char *s, const char *prefix);

/* Copies src into dst of size cap, always NUL-terminated when cap > 0.
 * Returns the length of src (truncation happened when >= cap). */
size_t str_copy(char *dst, size_t cap, const char *src);

#endif
