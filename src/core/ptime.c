#include "core/ptime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

static char zone_name[128] = PTIME_DEFAULT_ZONE;

static void fake_parse(void);

bool ptime_zone_known(const char *zone)
{
	if (!zone || !*zone || strlen(zone) >= sizeof(zone_name) || strstr(zone, ".."))
		return false;
	if (strcmp(zone, "UTC") == 0)
		return true;
	char path[256];
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", zone);
	return zone[0] != '/' && access(path, R_OK) == 0;
}

int ptime_set_zone(const char *zone)
{
	if (!ptime_zone_known(zone))
		return -1;
	str_copy(zone_name, sizeof(zone_name), zone);
	setenv("TZ", zone_name, 1);
	tzset();
	fake_parse();
	return 0;
}

const char *ptime_zone(void)
{
	return zone_name;
}

/* The fixed clock of PROXIMA_NOW (ptime_hooks_load): its text, and the
 * instant it gives in the zone in force (a time without an offset is
 * local, so a change of zone parses it again). Written before threads
 * start, only read after. */
static char fake_text[64];
static bool fake_ok;
static int64_t fake_now;

static void fake_parse(void)
{
	fake_ok = fake_text[0] && ptime_parse_timestamp(fake_text, &fake_now) == 0;
}

void ptime_hooks_load(void)
{
	const char *s = getenv("PROXIMA_NOW");
	str_copy(fake_text, sizeof(fake_text), s && strlen(s) < sizeof(fake_text) ? s : "");
	fake_parse();
}

int64_t ptime_now(void)
{
	return fake_ok ? fake_now : (int64_t)time(NULL);
}

int64_t ptime_monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Reads exactly n digits at s. Returns the value or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parses the date at the start of s; returns chars consumed or -1. */
static int parse_date_prefix(const char *s, struct pdate *out)
{
	int y = digits(s, 4);
	if (y < 1 || s[4] != '-')
		return -1;
	int m = digits(s + 5, 2);
	if (m < 1 || m > 12 || s[7] != '-')
		return -1;
	int d = digits(s + 8, 2);
	if (d < 1 || d > days_in_month(y, m))
		return -1;
	out->year = y;
	out->month = m;
	out->day = d;
	return 10;
}

int ptime_parse_date(const char *s, struct pdate *out)
{
	if (!s || strlen(s) != 10)
		return -1;
	return parse_date_prefix(s, out) == 10 ? 0 : -1;
}

int64_t ptime_days_from_civil(const struct pdate *d)
{
	/* Howard Hinnant's days_from_civil. */
	int64_t y = d->year - (d->month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (d->month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d->day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct pdate ptime_civil_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	struct pdate r = {(int)(y + (m <= 2)), (int)m, (int)d};
	return r;
}

/* Converts a local wall-clock time to an instant with the rules documented
 * in the header (gap: forward; overlap: first occurrence). */
static int64_t local_to_instant(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = 1; /* try daylight time first: the first occurrence */
	struct tm probe = tm;
	time_t t_dst = mktime(&probe);
	if (probe.tm_isdst > 0 && probe.tm_hour == h && probe.tm_min == mi && probe.tm_mday == d)
		return (int64_t)t_dst;
	tm.tm_isdst = 0;
	probe = tm;
	time_t t_std = mktime(&probe);
	if (probe.tm_isdst == 0 && probe.tm_hour == h && probe.tm_min == mi && probe.tm_mday == d)
		return (int64_t)t_std;
	/* In a gap: standard-time reading lands after the gap. */
	tm.tm_isdst = -1;
	probe = tm;
	time_t t = mktime(&probe);
	return (int64_t)(t_std > t ? t_std : t);
}

int ptime_parse_timestamp(const char *s, int64_t *out)
{
	struct pdate d;
	if (!s || parse_date_prefix(s, &d) != 10)
		return -1;
	if (s[10] != 'T' && s[10] != ' ')
		return -1;
	const char *p = s + 11;
	/* Each check stops at the first bad byte, so nothing past the
	 * terminating NUL is read. */
	int h = digits(p, 2);
	if (h < 0 || h > 23 || p[2] != ':')
		return -1;
	int mi = digits(p + 3, 2);
	if (mi < 0 || mi > 59)
		return -1;
	p += 5;
	int sec = 0;
	if (*p == ':') {
		sec = digits(p + 1, 2);
		if (sec < 0 || sec > 59)
			return -1;
		p += 3;
	}
	if (*p == '\0') {
		*out = local_to_instant(d.year, d.month, d.day, h, mi, sec);
		return 0;
	}
	int off;
	if (*p == 'Z' && p[1] == '\0') {
		off = 0;
	} else if (*p == '+' || *p == '-') {
		int oh = digits(p + 1, 2), om;
		if (oh < 0)
			return -1;
		const char *q = p + 3;
		if (*q == ':')
			q++;
		om = digits(q, 2);
		if (oh < 0 || oh > 18 || om < 0 || om > 59 || q[2] != '\0')
			return -1;
		off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
	} else {
		return -1;
	}
	int64_t days = ptime_days_from_civil(&d);
	*out = days * 86400 + h * 3600 + mi * 60 + sec - off;
	return 0;
}

int64_t ptime_date_start(const struct pdate *d)
{
	return local_to_instant(d->year, d->month, d->day, 0, 0, 0);
}

struct pdate ptime_local_date(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	struct pdate d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
	return d;
}

void ptime_format_date(const struct pdate *d, char out[11])
{
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", d->year, d->month, d->day);
	str_copy(out, 11, tmp);
}

void ptime_format_local(int64_t t, char out[26])
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	long off = tm.tm_gmtoff;
	/* Local mean time (before standard zones, e.g. -05:17:32 in Toronto)
	 * has seconds that ±HH:MM cannot carry: keep the offset's whole
	 * minutes and write the wall-clock time of that offset, so that the
	 * text still names the instant t exactly. */
	if (off % 60) {
		off -= off % 60;
		time_t shifted = (time_t)(t + off);
		gmtime_r(&shifted, &tm);
	}
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	char tmp[96];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 3600,
		 (off % 3600) / 60);
	str_copy(out, 26, tmp);
}

void ptime_format_utc(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char tmp[96];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	str_copy(out, 21, tmp);
}

double ptime_days_between(int64_t from, int64_t to)
{
	return (double)(to - from) / 3600.0 / 24.0;
}

int ptime_date_cmp(const struct pdate *a, const struct pdate *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

struct pdate ptime_add_months(const struct pdate *d, int months)
{
	int total = d->year * 12 + (d->month - 1) + months;
	struct pdate r = {.year = total / 12, .month = total % 12 + 1, .day = d->day};
	int last = days_in_month(r.year, r.month);
	if (r.day > last)
		r.day = last;
	return r;
}
