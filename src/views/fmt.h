/* Display formats, into arena strings. They follow the request's
 * language without setlocale: French gives "1,5 h" and "lundi 23 novembre
 * 2026", English "1.5 h" and "Monday, November 23, 2026". */
#ifndef PROXIMA_VIEWS_FMT_H
#define PROXIMA_VIEWS_FMT_H

#include "http/request.h"

/* A duration in minutes for one entry: "45 min", "1 h 30", "2 h". */
const char *fmt_minutes(struct request *req, long minutes);

/* A duration in hours with one decimal: "1,5 h" (French), "1.5 h". Whole
 * hours drop the decimal ("2 h"). */
const char *fmt_hours(struct request *req, long minutes);

/* A number of tenths with one decimal: 21 -> "2,1" / "2.1". */
const char *fmt_tenths(struct request *req, long tenths);

/* "lundi 23 novembre 2026" / "Monday, November 23, 2026" for "YYYY-MM-DD";
 * the input itself when it is not a date. */
const char *fmt_date_long(struct request *req, const char *date);

/* "lundi 23 novembre" / "Monday, November 23". */
const char *fmt_date_day(struct request *req, const char *date);

/* "lun. 23 nov." / "Mon, Nov 23". */
const char *fmt_date_short(struct request *req, const char *date);

/* "23 nov. 2026" / "Nov 23, 2026". */
const char *fmt_date_medium(struct request *req, const char *date);

/* "novembre 2026" / "November 2026" (month 1 to 12; else the year). */
const char *fmt_month_year(struct request *req, int year, int month);

#endif
