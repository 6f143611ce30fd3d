/* Structured logs: one line per event, logfmt style, to standard error
 * (or a file). Keys are fixed words; values from users go through
 * log_value(), which quotes and strips control characters. Code, comments
 * and logs are in English. */
#ifndef PROXIMA_LOG_H
#define PROXIMA_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the minimum level written (default LOG_INFO). */
void log_set_level(enum log_level level);

/* Writes "ts=… level=… event=EVENT " followed by the formatted key=value
 * pairs and a newline, in one write() so lines never interleave. */
void log_write(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_info(ev, ...) log_write(LOG_INFO, ev, __VA_ARGS__)
#define log_warn(ev, ...) log_write(LOG_WARN, ev, __VA_ARGS__)
#define log_error(ev, ...) log_write(LOG_ERROR, ev, __VA_ARGS__)

/* Copies s into out (size cap) as a double-quoted logfmt value: quotes and
 * backslashes escaped, control bytes replaced by '?', cut to fit.
 * Returns out. */
char *log_value(char *out, size_t cap, const char *s);

/* Opens the access log: "-" is standard error, "off" disables it, any
 * other value is a file opened for append. Returns 0 or -1. */
int log_access_open(const char *where);

/* Writes one pre-formatted access-log line (no newline needed). */
void log_access_line(const char *line, size_t len);

/* True when the access log is enabled. */
int log_access_enabled(void);

#endif
