/* Dates and times in the configured time zone (default America/Toronto).
 * Instants are Unix seconds (int64_t). Local calendar arithmetic goes
 * through the C library's zone rules, so daylight-saving changes are
 * handled: a local day is 23, 24 or 25 hours long. */
#ifndef PROXIMA_PTIME_H
#define PROXIMA_PTIME_H

#include <stdbool.h>
#include <stdint.h>

#define PTIME_DEFAULT_ZONE "America/Toronto"

struct pdate {
	int year, month, day; /* month 1-12, day 1-31 */
};

/* True when zone is an IANA name this system knows ("UTC" always is). */
bool ptime_zone_known(const char *zone);

/* Selects the process-wide zone (an IANA name such as "America/Toronto").
 * Call once at start-up, before threads. Returns 0, or -1 if the zone is
 * not known to the system. */
int ptime_set_zone(const char *zone);

/* The zone in use. */
const char *ptime_zone(void);

/* Now, in Unix seconds. The clock is injectable for tests: when the
 * environment variable PROXIMA_NOW held a timestamp (see
 * ptime_parse_timestamp) at the last ptime_hooks_load, that instant is
 * returned instead (a local time is read in the zone in force). */
int64_t ptime_now(void);

/* Reads the test hook PROXIMA_NOW from the environment. The command line
 * calls it once at start-up, before threads; a unit test calls it again
 * after changing the variable. Never reads the environment otherwise. */
void ptime_hooks_load(void);

/* A monotonic clock in microseconds, for latencies. */
int64_t ptime_monotonic_us(void);

/* Parses "YYYY-MM-DD" (a real calendar date). Returns 0 or -1. */
int ptime_parse_date(const char *s, struct pdate *out);

/* Parses "YYYY-MM-DDTHH:MM[:SS]" with an optional offset ("Z", "+HH:MM",
 * "-HHMM"). Without an offset the time is local: a time in the spring-forward
 * gap is moved forward by the gap, an ambiguous fall-back time is its first
 * (daylight) occurrence. Returns 0 or -1. */
int ptime_parse_timestamp(const char *s, int64_t *out);

/* Local midnight that starts the given date, as an instant. */
int64_t ptime_date_start(const struct pdate *d);

/* Local calendar date of instant t. */
struct pdate ptime_local_date(int64_t t);

/* Writes "YYYY-MM-DD" of d into out (11 bytes). */
void ptime_format_date(const struct pdate *d, char out[11]);

/* Writes t as local "YYYY-MM-DDTHH:MM:SS±HH:MM" into out (26 bytes). An
 * offset with seconds (local mean time, before standard time zones) is cut
 * to whole minutes and the time written for that offset: the text always
 * reads back as exactly t. */
void ptime_format_local(int64_t t, char out[26]);

/* Writes t as UTC "YYYY-MM-DDTHH:MM:SSZ" into out (21 bytes). */
void ptime_format_utc(int64_t t, char out[21]);

/* Elapsed days between two instants: elapsed hours / 24. */
double ptime_days_between(int64_t from, int64_t to);

/* Days since 1970-01-01 of a calendar date (proleptic Gregorian), and back.
 * For counting calendar days without any zone. */
int64_t ptime_days_from_civil(const struct pdate *d);
struct pdate ptime_civil_from_days(int64_t days);

/* d moved by months calendar months (negative: back), the day clamped to
 * the length of the month reached (2025-08-31 + 6 = 2026-02-28). */
struct pdate ptime_add_months(const struct pdate *d, int months);

/* Compares two dates: <0, 0, >0. */
int ptime_date_cmp(const struct pdate *a, const struct pdate *b);

#endif
