#include "model/indicator.h"

#include <math.h>
#include <stdlib.h>

void ind_scope_init(struct ind_scope *s, const struct pdate *from, const struct pdate *to)
{
	s->from = *from;
	s->to = *to;
	struct pdate today = ptime_local_date(ptime_now());
	s->as_of = ptime_date_cmp(to, &today) < 0 ? *to : today;
	s->territory_id = 0;
	s->sector_id = 0;
	s->organisation_id = 0;
	s->author_id = 0;
	s->escape_window_days = IND_DEFAULT_ESCAPE_DAYS;
	s->pap_waves = false;
}

/* The local midnight that starts the day after d. */
static int64_t next_day_start(const struct pdate *d)
{
	struct pdate n = ptime_civil_from_days(ptime_days_from_civil(d) + 1);
	return ptime_date_start(&n);
}

int64_t ind_scope_start(const struct ind_scope *s)
{
	return ptime_date_start(&s->from);
}

int64_t ind_scope_end(const struct ind_scope *s)
{
	return next_day_start(&s->to);
}

int64_t ind_scope_as_of_end(const struct ind_scope *s)
{
	return next_day_start(&s->as_of);
}

int64_t ind_scope_days(const struct ind_scope *s)
{
	return ptime_days_from_civil(&s->to) - ptime_days_from_civil(&s->from) + 1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : (x > y ? 1 : 0);
}

void ind_stats_compute(double *v, size_t n, struct ind_stats *out)
{
	out->n = n;
	out->defined = n > 0;
	out->mean = out->median = out->p90 = 0;
	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_double);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	out->mean = sum / (double)n;
	out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
	/* Nearest rank: the smallest value with at least 90 % at or below it. */
	size_t rank = (size_t)ceil(0.9 * (double)n);
	out->p90 = v[(rank ? rank : 1) - 1];
}

double ind_round1(double x)
{
	return round(x * 10.0) / 10.0;
}
