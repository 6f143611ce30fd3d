/* Province comparison benchmark (bench/compare.sh, docs/performance.md,
 * issue 15).
 *
 *   build/bench/compare DB [YEAR] [REQUESTS] [PARENT]
 *
 * What /tableaux/comparaison computes for an analyst: every indicator of
 * every territory compared (the top-level territories, or the children of
 * territory PARENT), year YEAR (default last year), analyste view. Timed
 * two ways in the same run, requests alternating so both see the same
 * cache:
 *   - report_compute_territories: the trajectories of all territories read in one
 *     pass (what the page calls);
 *   - the baseline: report_compute once per territory, as the page did
 *     before.
 * Prints p50 and p99 (nearest rank) in milliseconds and their ratio, and
 * checks that both give the same figures for every territory (every
 * indicator, breakdown cell and detail): exit status 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/dashboard.h"
#include "reports/report.h"
#include "support/report_cmp.h"

#define MAX_REQ 200

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : (x > y ? 1 : 0);
}

static double rank(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), cmp_double);
	size_t r = (size_t)(q * (double)n + 0.999999);
	return v[(r < 1 ? 1 : r) - 1];
}

static double ms_since(int64_t t0)
{
	return (double)(ptime_monotonic_us() - t0) / 1000.0;
}

/* CPU time of this process in milliseconds: on a shared machine the
 * figure other processes disturb least. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* The per-territory path: one report_compute per territory. */
static int each_apart(struct db *db, struct arena *ar, const struct report_request *base,
		      const char *const *exts, size_t n, struct report *out)
{
	for (size_t i = 0; i < n; i++) {
		struct report_request rq = *base;
		rq.territory = exts[i];
		if (report_compute(db, ar, &rq, &out[i]) != PERR_OK)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: compare DB [YEAR] [REQUESTS] [PARENT]\n");
		return 2;
	}
	log_set_level(LOG_WARN);
	struct pdate today = ptime_local_date(ptime_now());
	int64_t year = today.year - 1, reqs = 10;
	if ((argc > 2 && parse_i64(argv[2], 1900, 3000, &year) < 0) ||
	    (argc > 3 && parse_i64(argv[3], 1, MAX_REQ, &reqs) < 0)) {
		fprintf(stderr, "compare: bad YEAR or REQUESTS\n");
		return 2;
	}
	const char *parent = argc > 4 ? argv[4] : NULL;
	char err[256];
	struct db *db = db_open(argv[1], DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "compare: %s\n", err);
		return 1;
	}
	struct arena *keep = arena_new(1 << 16), *ar = arena_new(1 << 24);
	struct dash_item *terr;
	size_t n;
	if (dash_list_territories(db, keep, parent, &terr, &n) < 0 || !n) {
		fprintf(stderr, "compare: no territory to compare\n");
		return 1;
	}
	const char **exts = arena_calloc(keep, n, sizeof(*exts));
	for (size_t i = 0; i < n; i++)
		exts[i] = terr[i].ext_id;
	struct report_request rq;
	report_request_init(&rq);
	rq.view = REPORT_VIEW_ANALYSTE;
	rq.from = (struct pdate){(int)year, 1, 1};
	rq.to = (struct pdate){(int)year, 12, 31};
	rq.as_of = rq.to;
	rq.has_as_of = true;
	struct report *fast = arena_calloc(keep, n, sizeof(*fast));
	struct report *slow = arena_calloc(keep, n, sizeof(*slow));
	static double t_fast[MAX_REQ], t_slow[MAX_REQ], c_fast[MAX_REQ], c_slow[MAX_REQ];
	int rc = 0;
	for (int64_t r = -1; r < reqs; r++) { /* r = -1: warm-up and the check */
		arena_reset(ar);
		int64_t t0 = ptime_monotonic_us();
		double c0 = cpu_ms();
		if (report_compute_territories(db, ar, &rq, exts, n, fast) != PERR_OK)
			return 1;
		double f = ms_since(t0), fc = cpu_ms() - c0;
		t0 = ptime_monotonic_us();
		c0 = cpu_ms();
		if (each_apart(db, ar, &rq, exts, n, slow) < 0)
			return 1;
		double s = ms_since(t0), sc = cpu_ms() - c0;
		if (r < 0) {
			for (size_t i = 0; i < n; i++) {
				const char *d = report_cmp_first_difference(ar, &fast[i], &slow[i]);
				if (d) {
					fprintf(stderr, "compare: %s: %s\n", exts[i], d);
					rc = 1;
				}
			}
			continue;
		}
		t_fast[r] = f;
		t_slow[r] = s;
		c_fast[r] = fc;
		c_slow[r] = sc;
	}
	size_t m = (size_t)reqs;
	double f50 = rank(t_fast, m, 0.5), f99 = rank(t_fast, m, 0.99);
	double s50 = rank(t_slow, m, 0.5), s99 = rank(t_slow, m, 0.99);
	double fc50 = rank(c_fast, m, 0.5), sc50 = rank(c_slow, m, 0.5);
	printf("%zu territories (%s), year %lld, %lld requests, same figures: %s\n", n,
	       parent ? parent : "top level", (long long)year, (long long)reqs, rc ? "NO" : "yes");
	printf("%-40s wall p50 %8.1f ms  p99 %8.1f ms  CPU p50 %8.1f ms\n",
	       "one pass (report_compute_territories)", f50, f99, fc50);
	printf("%-40s wall p50 %8.1f ms  p99 %8.1f ms  CPU p50 %8.1f ms\n",
	       "per territory (baseline)", s50, s99, sc50);
	printf("ratio baseline / one pass: wall p50 %.2f, CPU p50 %.2f\n", f50 > 0 ? s50 / f50 : 0,
	       fc50 > 0 ? sc50 / fc50 : 0);
	arena_free(ar);
	arena_free(keep);
	db_close(db);
	return rc;
}
