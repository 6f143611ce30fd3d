#include "model/indicator.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

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

/* x's bits as an unsigned key in the order of the numbers: positive
 * numbers above negative ones, negative ones reversed. */
static uint64_t double_key(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof(u));
	return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

/* v[0..n) in ascending order: the order of cmp_double for every number
 * (not NaN), by a radix sort of their keys, a byte at a time, skipping
 * the bytes all keys share (a trajectory delay's sort at scale 1 was
 * most of the comparison's statistics with qsort). */
static void sort_doubles(double *v, size_t n)
{
	if (n < 64) {
		qsort(v, n, sizeof(*v), cmp_double);
		return;
	}
	double *tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		die_oom();
	double *src = v, *dst = tmp;
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[((double_key(src[i]) >> shift) & 0xff) + 1]++;
		if (count[((double_key(src[0]) >> shift) & 0xff) + 1] == n)
			continue; /* every key has this byte */
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			dst[count[(double_key(src[i]) >> shift) & 0xff]++] = src[i];
		double *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
}

void ind_stats_compute(double *v, size_t n, struct ind_stats *out)
{
	out->n = n;
	out->defined = n > 0;
	out->mean = out->median = out->p90 = 0;
	if (!n)
		return;
	sort_doubles(v, n);
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
