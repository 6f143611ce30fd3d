/* Shared ground of the indicator functions (docs: indicators.md, "Common
 * rules"): the scope of a computation and the statistics every mean is
 * reported with. The indicator functions themselves live beside the data
 * they read (ind_arrimage.c, ind_team.c, …); the report engine calls them. */
#ifndef PROXIMA_INDICATOR_H
#define PROXIMA_INDICATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ptime.h"
#include "model/settings.h"

/* The escape window W when no scope gives one: the setting's default. */
#define IND_DEFAULT_ESCAPE_DAYS SETTINGS_DEFAULT_ESCAPE_DAYS
#define IND_DEFAULT_TARGET_DAYS 2.0

struct ind_scope {
	struct pdate from, to;   /* inclusive local dates */
	struct pdate as_of;      /* nothing after it is counted */
	int64_t territory_id;    /* 0 = all; else this territory and its descendants */
	int64_t sector_id;       /* 0 = all */
	int64_t organisation_id; /* 0 = all */
	int64_t author_id;       /* 0 = all; act.* only: activities this person wrote ("my work") */
	int escape_window_days;  /* W of arr.taux_echappement */
	/* PAP survey figures over released waves only (model/survey.h,
	 * "Waves"): every view but the command line's complet. */
	bool pap_waves;
};

/* Fills s for [from, to] with as_of = to when to is in the past, else
 * today (indicators.md), and the default escape window. */
void ind_scope_init(struct ind_scope *s, const struct pdate *from, const struct pdate *to);

/* Instants bounding the scope: the start of `from`, the end of `to` (the
 * start of the next day) and the end of as_of, all local. */
int64_t ind_scope_start(const struct ind_scope *s);
int64_t ind_scope_end(const struct ind_scope *s);
int64_t ind_scope_as_of_end(const struct ind_scope *s);

/* Number of days of the period (to - from + 1). */
int64_t ind_scope_days(const struct ind_scope *s);

struct ind_stats {
	size_t n;
	double mean, median, p90;
	bool defined; /* n > 0 */
};

/* Mean, median and nearest-rank 90th percentile of n values (v is sorted
 * in place). The median of an even count is the mean of the two middle
 * values. */
void ind_stats_compute(double *v, size_t n, struct ind_stats *out);

/* Rounds to one decimal, as reported ("days with one decimal"). */
double ind_round1(double x);

#endif
