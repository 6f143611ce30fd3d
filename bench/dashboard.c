/* Dashboard benchmark (bench/dashboard.sh, docs/performance.md, issue 5).
 *
 *   build/bench/dashboard DB [YEAR] [REQUESTS] [PROVINCE_RAW_REQUESTS]
 *
 * On a province-scale database (proxima demo --scale), for calendar year
 * YEAR (default: last year) and REQUESTS runs (default 20), measures:
 *   1. every act.* indicator of one territory (the first scale territory)
 *      over the aggregate tables, and the same computed by plain SQL over
 *      the raw journal tables (IND_ACT_RAW): what the aggregates save;
 *   2. the territory-year dashboard as the page computes it: every
 *      indicator of indicators.md through the report engine (comite view,
 *      suppression applied) and the 4-quarter trend of the trajectory
 *      indicators, over the aggregates; and the same with act.* computed
 *      over the raw tables (the baseline; arr.* read the same referral
 *      indexes in both);
 *   3. the province-year comparison: every indicator of every scale
 *      territory (analyste view), over the aggregates (REQUESTS runs) and
 *      with act.* over the raw tables (PROVINCE_RAW_REQUESTS runs, default
 *      3: each takes minutes at scale 1; 0 skips it).
 * Prints p50 and p99 (nearest rank) in milliseconds, and checks that both
 * sources give the same figures (headline act.* and every displayed
 * value of the dashboard). Requests alternate between the two sources so
 * both see the same cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/ind_activity.h"
#include "model/ind_arrimage.h"
#include "reports/report.h"

#define MAX_REQ 200
#define MAX_TERR 1024

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : (x > y ? 1 : 0);
}

static double rank(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), cmp_double);
	size_t r = (size_t)(q * (double)n + 0.999999);
	if (r < 1)
		r = 1;
	return v[r - 1];
}

static double ms_since(int64_t t0)
{
	return (double)(ptime_monotonic_us() - t0) / 1000.0;
}

/* The territory dashboard's computations (src/views/dashboards.c): every
 * indicator of the scope through the engine, then the 4-quarter trend of
 * the two trajectory indicators, sharing the trajectory read as the page
 * does. act_from_raw: the act.* indicators from the raw tables. */
static int engine_dashboard(struct db *db, struct arena *ar, const char *terr,
			    const struct pdate *from, const struct pdate *to, bool act_from_raw,
			    struct report *out)
{
	static const char *const trend_ids[] = {"arr.delai_prise_en_charge",
						"arr.taux_echappement"};
	struct report_cache cache = {0};
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = terr;
	rq.from = *from;
	rq.to = *to;
	rq.as_of = *to;
	rq.has_as_of = true;
	rq.act_from_raw = act_from_raw;
	rq.cache = &cache;
	if (report_compute(db, ar, &rq, out) != PERR_OK)
		return -1;
	rq.only_ids = trend_ids;
	rq.n_only_ids = 2;
	struct report_trend trend;
	return report_trend_quarters(db, ar, &rq, &trend) == PERR_OK ? 0 : -1;
}

/* The province comparison: every indicator of each of the nt territories
 * (analyste view). Returns the milliseconds it took, or -1. */
static double province(struct db *db, struct arena *ar, char (*terr)[32], size_t nt,
		       const struct pdate *from, const struct pdate *to, bool act_from_raw)
{
	int64_t t0 = ptime_monotonic_us();
	for (size_t k = 0; k < nt; k++) {
		struct report_request rq;
		report_request_init(&rq);
		rq.territory = terr[k];
		rq.view = REPORT_VIEW_ANALYSTE;
		rq.from = *from;
		rq.to = *to;
		rq.as_of = *to;
		rq.has_as_of = true;
		rq.act_from_raw = act_from_raw;
		struct report r;
		if (report_compute(db, ar, &rq, &r) != PERR_OK)
			return -1;
	}
	return ms_since(t0);
}

/* Whether two reports of the same scope show the same figures. */
static bool same_reports(const struct report *a, const struct report *b)
{
	if (a->n_indicators != b->n_indicators)
		return false;
	for (size_t i = 0; i < a->n_indicators; i++)
		if (strcmp(a->indicators[i].display, b->indicators[i].display) != 0) {
			fprintf(stderr, "dashboard: %s: %s over aggregates, %s over raw tables\n",
				a->indicators[i].id, a->indicators[i].display,
				b->indicators[i].display);
			return false;
		}
	return true;
}

static void report(const char *what, double *v, size_t n)
{
	double p50 = rank(v, n, 0.5), p99 = rank(v, n, 0.99);
	printf("%-58s p50 %9.1f ms   p99 %9.1f ms\n", what, p50, p99);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: dashboard DB [YEAR] [REQUESTS]\n");
		return 2;
	}
	log_set_level(LOG_WARN);
	struct pdate today = ptime_local_date(ptime_now());
	int64_t year = today.year - 1, reqs = 20, prov_reqs = 3;
	if ((argc > 2 && parse_i64(argv[2], 1900, 3000, &year) < 0) ||
	    (argc > 3 && parse_i64(argv[3], 1, MAX_REQ, &reqs) < 0) ||
	    (argc > 4 && parse_i64(argv[4], 0, MAX_REQ, &prov_reqs) < 0)) {
		fprintf(stderr, "dashboard: bad YEAR or REQUESTS\n");
		return 2;
	}
	char err[256];
	struct db *db = db_open(argv[1], DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "dashboard: %s\n", err);
		return 1;
	}
	int64_t terr[MAX_TERR];
	static char terr_exts[MAX_TERR][32];
	size_t nt = 0;
	struct db_stmt *st;
	/* Benchmark-only lookup, outside the application's statement table. */
	if (!(st = db_query(db, "SELECT id, ext_id FROM territory WHERE ext_id LIKE 'sc-terr-%' "
				"ORDER BY id")))
		return 1;
	while (db_step(st) == DB_ROW && nt < MAX_TERR) {
		terr[nt] = db_col_int64(st, 0);
		snprintf(terr_exts[nt], sizeof(terr_exts[nt]), "%s",
			 db_col_cstr(st, 1));
		nt++;
	}
	db_query_free(st);
	if (!nt) {
		fprintf(stderr, "dashboard: no scale territory; run proxima demo --scale first\n");
		return 1;
	}
	const char *terr_ext = terr_exts[0];
	struct pdate from = {(int)year, 1, 1}, to = {(int)year, 12, 31};
	struct ind_scope s;
	ind_scope_init(&s, &from, &to);
	s.as_of = to;
	s.territory_id = terr[0];
	struct arena *ar = arena_new(1 << 20);
	static double agg_t[MAX_REQ], raw_t[MAX_REQ];
	struct ind_act_all a, r;
	int rc = 0;
	/* one warm-up of each, and the two sources must agree */
	if (ind_act_compute_all(db, ar, &s, IND_ACT_AGGREGATES, &a) < 0 ||
	    ind_act_compute_all(db, ar, &s, IND_ACT_RAW, &r) < 0)
		return 1;
	if (a.activites.total != r.activites.total || a.temps.total != r.temps.total ||
	    a.familles.total != r.familles.total || a.besoins.mentions != r.besoins.mentions) {
		fprintf(stderr, "dashboard: aggregates and raw tables disagree\n");
		rc = 1;
	}
	printf("territory %s, year %lld: %lld activities, %lld people reached, %lld referrals "
	       "sent\n",
	       terr_ext, (long long)year, (long long)a.activites.total,
	       (long long)a.personnes.total, (long long)a.accompagnements.referrals_sent);
	fflush(stdout);

	/* 1. act.* alone: what the aggregate tables themselves save. */
	for (int64_t i = 0; i < reqs; i++) {
		arena_reset(ar);
		int64_t t0 = ptime_monotonic_us();
		if (ind_act_compute_all(db, ar, &s, IND_ACT_AGGREGATES, &a) < 0)
			return 1;
		agg_t[i] = ms_since(t0);
		t0 = ptime_monotonic_us();
		if (ind_act_compute_all(db, ar, &s, IND_ACT_RAW, &r) < 0)
			return 1;
		raw_t[i] = ms_since(t0);
	}
	report("territory-year act.* over aggregates", agg_t, (size_t)reqs);
	report("territory-year act.* over raw tables (baseline)", raw_t, (size_t)reqs);

	/* 2. The territory dashboard: every indicator and the trend. */
	struct report ra, rr;
	arena_reset(ar);
	if (engine_dashboard(db, ar, terr_ext, &from, &to, false, &ra) < 0 ||
	    engine_dashboard(db, ar, terr_ext, &from, &to, true, &rr) < 0)
		return 1;
	if (!same_reports(&ra, &rr))
		rc = 1;
	for (int64_t i = 0; i < reqs; i++) {
		arena_reset(ar);
		int64_t t0 = ptime_monotonic_us();
		if (engine_dashboard(db, ar, terr_ext, &from, &to, false, &ra) < 0)
			return 1;
		agg_t[i] = ms_since(t0);
		t0 = ptime_monotonic_us();
		if (engine_dashboard(db, ar, terr_ext, &from, &to, true, &rr) < 0)
			return 1;
		raw_t[i] = ms_since(t0);
	}
	report("territory-year dashboard, engine, over aggregates", agg_t, (size_t)reqs);
	report("territory-year dashboard, engine, act.* raw (baseline)", raw_t, (size_t)reqs);

	/* 3. The province comparison: every indicator of every territory. */
	static double prov_agg[MAX_REQ], prov_raw[MAX_REQ];
	for (int64_t i = 0; i < reqs; i++) {
		arena_reset(ar);
		if ((prov_agg[i] = province(db, ar, terr_exts, nt, &from, &to, false)) < 0)
			return 1;
		if (i >= prov_reqs)
			continue;
		arena_reset(ar);
		if ((prov_raw[i] = province(db, ar, terr_exts, nt, &from, &to, true)) < 0)
			return 1;
	}
	char label[96];
	snprintf(label, sizeof(label), "province-year comparison, %zu territories, aggregates", nt);
	report(label, prov_agg, (size_t)reqs);
	snprintf(label, sizeof(label), "province-year comparison, %zu territories, raw (baseline)",
		 nt);
	if (prov_reqs > 0)
		report(label, prov_raw, (size_t)(prov_reqs < reqs ? prov_reqs : reqs));
	arena_free(ar);
	db_close(db);
	return rc;
}
