/* UTF-8 validation. Every text input must pass it or get a 400. */
#ifndef PROXIMA_UTF8_H
#define PROXIMA_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when the n bytes at s are well-formed UTF-8 (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF) and contain no NUL byte. */
bool utf8_valid(const char *s, size_t n);

/* Same for a NUL-terminated string. */
bool utf8_valid_str(const char *s);

/* Number of code points in a valid UTF-8 string of n bytes. */
size_t utf8_length(const char *s, size_t n);

#endif
