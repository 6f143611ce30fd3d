/* Dashboard benchmark (bench/dashboard.sh, docs/performance.md, issue 5).
 *
 *   build/bench/dashboard DB [YEAR] [REQUESTS] [PROVINCE_RAW_REQUESTS]
 *
 * On a province-scale database (proxima demo --scale), for calendar year
 * YEAR (default: last year) and REQUESTS runs (default 20), measures:
 *   1. the territory-year dashboard: every act.* indicator of one territory
 *      (the first scale territory, "sc-terr-0") over the aggregates
 *      (ind_act_compute_all) plus the arr.* referral indicators of the
 *      model (delai, echappement, boucle);
 *   2. the same act.* computed by plain SQL over the raw tables
 *      (IND_ACT_RAW) plus the same arr.* — the baseline;
 *   2b. the same territory-year through the report engine (report_compute:
 *      every indicator of indicators.md, comite view, suppression applied);
 *   3. the province-year comparison: act.* of every territory of the
 *      province side by side (one computation per territory), over the
 *      aggregates (REQUESTS runs) and over the raw tables
 *      (PROVINCE_RAW_REQUESTS runs, default 3: each takes minutes at
 *      scale 1).
 * Prints p50 and p99 (nearest rank) in milliseconds of each, and checks that
 * the aggregate and raw results agree on the headline figures. The
 * requests alternate between the two sources so both see the same cache. */
#include <sqlite3.h>
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

/* act.* (src) and the arr.* referral indicators of one scope. */
static int dashboard(struct db *db, struct arena *ar, const struct ind_scope *s,
		     enum ind_act_source src, bool with_arr, struct ind_act_all *out)
{
	if (ind_act_compute_all(db, ar, s, src, out) < 0)
		return -1;
	if (!with_arr)
		return 0;
	struct ind_arr_delai_result d;
	struct ind_arr_echappement_result e;
	struct ind_arr_boucle_result b;
	if (ind_arr_delai(db, ar, s, &d) < 0 || ind_arr_echappement(db, ar, s, &e) < 0 ||
	    ind_arr_boucle(db, ar, s, &b) < 0)
		return -1;
	return 0;
}

static void report(const char *what, double *v, size_t n)
{
	double p50 = rank(v, n, 0.5), p99 = rank(v, n, 0.99);
	printf("%-58s p50 %9.1f ms   p99 %9.1f ms\n", what, p50, p99);
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
	    (argc > 4 && parse_i64(argv[4], 1, MAX_REQ, &prov_reqs) < 0)) {
		fprintf(stderr, "dashboard: bad YEAR or REQUESTS\n");
		return 2;
	}
	char err[256];
	struct db *db = db_open(argv[1], DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "dashboard: %s\n", err);
		return 1;
	}
	sqlite3 *h = db_handle(db);
	int64_t terr[MAX_TERR];
	char terr_ext[64] = "";
	size_t nt = 0;
	sqlite3_stmt *st;
	/* Benchmark-only lookups, outside the application's statement table. */
	if (sqlite3_prepare_v2(h,
			       "SELECT id FROM territory WHERE ext_id LIKE 'sc-terr-%' ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return 1;
	while (sqlite3_step(st) == SQLITE_ROW && nt < MAX_TERR)
		terr[nt++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (nt && sqlite3_prepare_v2(h, "SELECT ext_id FROM territory WHERE id = ?1", -1, &st,
				     NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, terr[0]);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(terr_ext, sizeof(terr_ext), "%s",
				 (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (!nt) {
		fprintf(stderr, "dashboard: no scale territory; run proxima demo --scale first\n");
		return 1;
	}
	struct pdate from = {(int)year, 1, 1}, to = {(int)year, 12, 31};
	struct ind_scope s;
	ind_scope_init(&s, &from, &to);
	s.as_of = to;
	s.territory_id = terr[0];
	struct arena *ar = arena_new(1 << 20);
	static double agg_t[MAX_REQ], raw_t[MAX_REQ], agg_arr[MAX_REQ], raw_arr[MAX_REQ],
		prov_agg[MAX_REQ], prov_raw[MAX_REQ];
	struct ind_act_all a, r;
	int rc = 0;
	/* one warm-up of each */
	if (dashboard(db, ar, &s, IND_ACT_AGGREGATES, true, &a) < 0 ||
	    dashboard(db, ar, &s, IND_ACT_RAW, true, &r) < 0)
		return 1;
	if (a.activites.total != r.activites.total || a.temps.total != r.temps.total ||
	    a.familles.total != r.familles.total || a.besoins.mentions != r.besoins.mentions) {
		fprintf(stderr, "dashboard: aggregates and raw tables disagree\n");
		rc = 1;
	}
	printf("territory %lld, year %lld: %lld activities, %lld people reached, %lld referrals "
	       "sent\n",
	       (long long)terr[0], (long long)year, (long long)a.activites.total,
	       (long long)a.personnes.total, (long long)a.accompagnements.referrals_sent);
	for (int64_t i = 0; i < reqs; i++) {
		arena_reset(ar);
		int64_t t0 = ptime_monotonic_us();
		if (dashboard(db, ar, &s, IND_ACT_AGGREGATES, false, &a) < 0)
			return 1;
		agg_t[i] = ms_since(t0);
		t0 = ptime_monotonic_us();
		if (dashboard(db, ar, &s, IND_ACT_RAW, false, &r) < 0)
			return 1;
		raw_t[i] = ms_since(t0);
		t0 = ptime_monotonic_us();
		if (dashboard(db, ar, &s, IND_ACT_AGGREGATES, true, &a) < 0)
			return 1;
		agg_arr[i] = ms_since(t0);
		t0 = ptime_monotonic_us();
		if (dashboard(db, ar, &s, IND_ACT_RAW, true, &r) < 0)
			return 1;
		raw_arr[i] = ms_since(t0);
	}
	report("territory-year act.* over aggregates", agg_t, (size_t)reqs);
	report("territory-year act.* over raw tables (baseline)", raw_t, (size_t)reqs);
	report("territory-year act.* + arr.* over aggregates", agg_arr, (size_t)reqs);
	report("territory-year act.* + arr.* over raw tables (baseline)", raw_arr, (size_t)reqs);
	for (int64_t i = 0; i < reqs; i++) {
		arena_reset(ar);
		struct report_request rq;
		report_request_init(&rq);
		rq.territory = terr_ext;
		rq.from = from;
		rq.to = to;
		rq.as_of = to;
		rq.has_as_of = true;
		struct report rep;
		int64_t t0 = ptime_monotonic_us();
		if (report_compute(db, ar, &rq, &rep) != PERR_OK)
			return 1;
		agg_t[i] = ms_since(t0);
	}
	report("territory-year report_compute (engine, every indicator)", agg_t, (size_t)reqs);
	for (int64_t i = 0; i < reqs; i++) {
		arena_reset(ar);
		int64_t t0 = ptime_monotonic_us();
		for (size_t k = 0; k < nt; k++) {
			s.territory_id = terr[k];
			if (dashboard(db, ar, &s, IND_ACT_AGGREGATES, false, &a) < 0)
				return 1;
		}
		prov_agg[i] = ms_since(t0);
		if (i >= prov_reqs)
			continue;
		t0 = ptime_monotonic_us();
		for (size_t k = 0; k < nt; k++) {
			s.territory_id = terr[k];
			if (dashboard(db, ar, &s, IND_ACT_RAW, false, &r) < 0)
				return 1;
		}
		prov_raw[i] = ms_since(t0);
	}
	char label[96];
	snprintf(label, sizeof(label), "province-year, %zu territories, act.* over aggregates", nt);
	report(label, prov_agg, (size_t)reqs);
	snprintf(label, sizeof(label), "province-year, %zu territories, act.* over raw (baseline)",
		 nt);
	report(label, prov_raw, (size_t)(prov_reqs < reqs ? prov_reqs : reqs));
	arena_free(ar);
	db_close(db);
	return rc;
}
