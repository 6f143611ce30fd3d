/* Display formats (see fmt.h). */
#include "views/fmt.h"

#include <stdint.h>
#include <string.h>

#include "core/ptime.h"
#include "core/util.h"
#include "model/journal_week.h"

static bool is_en(const struct request *req)
{
	return req->lang && strcmp(req->lang, "en") == 0;
}

const char *fmt_tenths(struct request *req, long tenths)
{
	const char *sign = tenths < 0 ? "-" : "";
	long t = tenths < 0 ? -tenths : tenths;
	return arena_printf(req->arena, "%s%ld%s%ld", sign, t / 10, is_en(req) ? "." : ",", t % 10);
}

const char *fmt_hours(struct request *req, long minutes)
{
	long tenths = (minutes * 10 + 30) / 60;
	if (tenths % 10 == 0)
		return arena_printf(req->arena, "%ld h", tenths / 10);
	return arena_printf(req->arena, "%s h", fmt_tenths(req, tenths));
}

const char *fmt_minutes(struct request *req, long minutes)
{
	if (minutes < 60)
		return arena_printf(req->arena, "%ld min", minutes);
	long h = minutes / 60, m = minutes % 60;
	if (!m)
		return arena_printf(req->arena, "%ld h", h);
	if (is_en(req))
		return arena_printf(req->arena, "%ld h %02ld min", h, m);
	return arena_printf(req->arena, "%ld h %02ld", h, m);
}

static const char *const days_fr[] = {"lundi",    "mardi",  "mercredi", "jeudi",
				      "vendredi", "samedi", "dimanche"};
static const char *const days_fr_short[] = {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."};
static const char *const days_en[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
				      "Friday", "Saturday", "Sunday"};
static const char *const days_en_short[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const months_fr[] = {"janvier",   "février", "mars",     "avril",
					"mai",       "juin",    "juillet",  "août",
					"septembre", "octobre", "novembre", "décembre"};
static const char *const months_fr_short[] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
					      "juil.", "août",  "sept.", "oct.", "nov.", "déc."};
static const char *const months_en[] = {"January",   "February", "March",    "April",
					"May",       "June",     "July",     "August",
					"September", "October",  "November", "December"};
static const char *const months_en_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* French writes the first of the month "1er". */
static const char *day_fr(struct arena *a, int day)
{
	return day == 1 ? "1er" : arena_printf(a, "%d", day);
}

const char *fmt_date_long(struct request *req, const char *date)
{
	struct pdate d;
	if (!date || ptime_parse_date(date, &d) < 0)
		return date ? date : "";
	int wd = journal_weekday(&d);
	if (is_en(req))
		return arena_printf(req->arena, "%s, %s %d, %d", days_en[wd],
				    months_en[d.month - 1], d.day, d.year);
	return arena_printf(req->arena, "%s %s %s %d", days_fr[wd], day_fr(req->arena, d.day),
			    months_fr[d.month - 1], d.year);
}

const char *fmt_date_day(struct request *req, const char *date)
{
	struct pdate d;
	if (!date || ptime_parse_date(date, &d) < 0)
		return date ? date : "";
	int wd = journal_weekday(&d);
	if (is_en(req))
		return arena_printf(req->arena, "%s, %s %d", days_en[wd], months_en[d.month - 1],
				    d.day);
	return arena_printf(req->arena, "%s %s %s", days_fr[wd], day_fr(req->arena, d.day),
			    months_fr[d.month - 1]);
}

const char *fmt_date_short(struct request *req, const char *date)
{
	struct pdate d;
	if (!date || ptime_parse_date(date, &d) < 0)
		return date ? date : "";
	int wd = journal_weekday(&d);
	if (is_en(req))
		return arena_printf(req->arena, "%s, %s %d", days_en_short[wd],
				    months_en_short[d.month - 1], d.day);
	return arena_printf(req->arena, "%s %s %s", days_fr_short[wd], day_fr(req->arena, d.day),
			    months_fr_short[d.month - 1]);
}

const char *fmt_date_medium(struct request *req, const char *date)
{
	struct pdate d;
	if (!date || ptime_parse_date(date, &d) < 0)
		return date ? date : "";
	if (is_en(req))
		return arena_printf(req->arena, "%s %d, %d", months_en_short[d.month - 1], d.day,
				    d.year);
	return arena_printf(req->arena, "%s %s %d", day_fr(req->arena, d.day),
			    months_fr_short[d.month - 1], d.year);
}

const char *fmt_month_year(struct request *req, int year, int month)
{
	if (month < 1 || month > 12)
		return arena_printf(req->arena, "%d", year);
	return arena_printf(req->arena, "%s %d",
			    is_en(req) ? months_en[month - 1] : months_fr[month - 1], year);
}
