/* Counts of people against differencing (issue 14; indicators.md "No
 * differencing"; model/cellkey.h), played as an attacker would and checked
 * as an analyst would, on a fixture with known values:
 *   - territory A, 2025: 50 adults on 1 January, then each day one
 *     activity that reached 1 to 4 adults (a known, hidden value);
 *   - the attack asks the committee's view for every nested period
 *     [1 January, d] and takes the difference of two consecutive answers
 *     as the count of day d (and the year minus the year less its last
 *     quarter): exact recoveries must be no more frequent than a blind
 *     guess of the hidden value;
 *   - the answers are consistent (the same question, or the same cell
 *     through an equivalent period, gives the same figure), within 2 of
 *     the truth, unbiased over the hundreds of cells, and every change
 *     from -2 to +2 occurs;
 *   - the manager's view is exact, zero stays zero, small counts "<5";
 *   - trajectories (arr.renvois_boucle) are keyed by their first referral. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

/* The shared fixture; not all of its helpers serve here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "engine_fixture.h"
#pragma GCC diagnostic pop
#include "model/ind_activity.h"
#include "model/indicator.h"

#define DAYS 365
#define BASE 50

/* The fixture's hidden values: adults reached on day i (0 = 1 January). */
static int hidden[DAYS];

/* A small deterministic generator, so the fixture's values are known. */
static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void day_text(int i, char out[11])
{
	struct pdate first = fx_date("2025-01-01");
	struct pdate d = ptime_civil_from_days(ptime_days_from_civil(&first) + i);
	ptime_format_date(&d, out);
}

static int setup(void **state)
{
	fx_setup(state);
	struct fixture *f = *state;
	uint32_t seed = 2025;
	hidden[0] = BASE;
	assert_int_equal(db_begin(f->db), 0);
	for (int i = 0; i < DAYS; i++) {
		if (i)
			hidden[i] = 1 + (int)(lcg(&seed) % 4);
		char d[11];
		day_text(i, d);
		fx_activity(f, 2, d, "contact_informel", hidden[i], 0, 0, 0, 0, 0);
	}
	assert_int_equal(db_commit(f->db), 0);
	fx_reindex(f);
	return 0;
}

/* act.personnes_rejointes of territory A over [from, to] in view v: its
 * value, or -1 when hidden ("<5"). */
static int64_t people(struct fixture *f, const char *from, const char *to, enum report_view v)
{
	static const char *const ids[] = {"act.personnes_rejointes"};
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = "A";
	rq.from = fx_date(from);
	rq.to = fx_date(to);
	rq.as_of = rq.to;
	rq.has_as_of = true;
	rq.view = v;
	rq.only_ids = ids;
	rq.n_only_ids = 1;
	struct report r;
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_OK);
	const struct ind_result *p = &r.indicators[0];
	return p->suppressed || !p->has_value ? -1 : (int64_t)p->value;
}

/* The true count of [first, last] (day indexes). */
static int64_t truth(int first, int last)
{
	int64_t s = 0;
	for (int i = first; i <= last; i++)
		s += hidden[i];
	return s;
}

static void differencing_recovers_no_more_than_chance(void **state)
{
	struct fixture *f = *state;
	static int64_t published[DAYS];
	for (int i = 0; i < DAYS; i++) {
		char to[11];
		day_text(i, to);
		published[i] = people(f, "2025-01-01", to, REPORT_VIEW_COMITE);
		assert_true(published[i] >= 0);
	}
	/* Day d's count taken as the difference of two nested answers. */
	int exact = 0, n = DAYS - 1, freq[5] = {0};
	for (int i = 1; i < DAYS; i++) {
		exact += published[i] - published[i - 1] == hidden[i];
		freq[hidden[i]]++;
	}
	/* A blind guess of the most frequent hidden value. */
	int best = 0;
	for (int k = 1; k <= 4; k++)
		best = freq[k] > best ? freq[k] : best;
	double chance = (double)best / n;
	double bound = chance * n + 3 * sqrt(n * chance * (1 - chance));
	print_message("differencing: %d exact recoveries of %d days (%.1f %%); a blind guess: "
		      "%.1f %%\n",
		      exact, n, 100.0 * exact / n, 100.0 * chance);
	if (exact > bound)
		fail_msg("%d exact recoveries of %d hidden days: more than chance (%.0f)", exact, n,
			 bound);

	/* The year minus the year less its last quarter: not the last
	 * quarter's count (that one is large, so only the noise matters). */
	int64_t year = people(f, "2025-01-01", "2025-12-31", REPORT_VIEW_COMITE);
	int64_t nine = people(f, "2025-01-01", "2025-09-30", REPORT_VIEW_COMITE);
	int64_t q4 = people(f, "2025-10-01", "2025-12-31", REPORT_VIEW_COMITE);
	assert_true(llabs(year - truth(0, DAYS - 1)) <= CELLKEY_MAX_CHANGE);
	assert_true(llabs(q4 - truth(273, DAYS - 1)) <= CELLKEY_MAX_CHANGE);
	assert_true(llabs((year - nine) - truth(273, DAYS - 1)) <= 2 * CELLKEY_MAX_CHANGE);
}

static void answers_are_consistent_and_unbiased(void **state)
{
	struct fixture *f = *state;
	/* The same question twice; the same cell through equivalent periods
	 * (nothing before 1 January nor after 31 December), read through
	 * other ranges of the aggregates (partial months by day, whole months
	 * by month); the analyst's view of the same cell. */
	int64_t year = people(f, "2025-01-01", "2025-12-31", REPORT_VIEW_COMITE);
	assert_int_equal(people(f, "2025-01-01", "2025-12-31", REPORT_VIEW_COMITE), year);
	assert_int_equal(people(f, "2024-12-15", "2025-12-31", REPORT_VIEW_COMITE), year);
	assert_int_equal(people(f, "2024-11-01", "2026-01-20", REPORT_VIEW_COMITE), year);
	assert_int_equal(people(f, "2025-01-01", "2025-12-31", REPORT_VIEW_ANALYSTE), year);
	int64_t spring = people(f, "2025-03-01", "2025-05-31", REPORT_VIEW_COMITE);
	assert_int_equal(people(f, "2025-03-01", "2025-05-31", REPORT_VIEW_COMITE), spring);

	/* Within 2 of the truth, unbiased: the mean error over the cells
	 * [1 January, d] is near 0, and each change of -2..+2 occurs. */
	int seen[5] = {0};
	double sum = 0;
	for (int i = 0; i < DAYS; i++) {
		char to[11];
		day_text(i, to);
		int64_t e = people(f, "2025-01-01", to, REPORT_VIEW_COMITE) - truth(0, i);
		assert_true(llabs(e) <= CELLKEY_MAX_CHANGE);
		seen[e + CELLKEY_MAX_CHANGE]++;
		sum += (double)e;
	}
	double mean = sum / DAYS; /* sd of the mean: sqrt(2 / 365) = 0.074 */
	print_message("mean change %.3f; -2..+2: %d %d %d %d %d\n", mean, seen[0], seen[1], seen[2],
		      seen[3], seen[4]);
	assert_true(fabs(mean) < 0.4);
	for (int k = 0; k < 5; k++)
		assert_true(seen[k] >= 30); /* about 73 each */

	/* The manager's view is exact; zero stays zero; small counts "<5". */
	assert_int_equal(people(f, "2025-01-01", "2025-12-31", REPORT_VIEW_GESTIONNAIRE),
			 truth(0, DAYS - 1));
	assert_int_equal(people(f, "2024-01-01", "2024-12-31", REPORT_VIEW_COMITE), 0);
	assert_int_equal(people(f, "2025-06-10", "2025-06-10", REPORT_VIEW_COMITE), -1);
}

/* The cell key of the aggregates is the one of the records: the same cell
 * read through the aggregates and through the raw tables (the reference)
 * gets the same key, so the same published figure. */
static void aggregates_and_raw_tables_agree(void **state)
{
	struct fixture *f = *state;
	struct ind_scope s;
	struct pdate from = fx_date("2025-02-10"), to = fx_date("2025-11-20");
	ind_scope_init(&s, &from, &to);
	s.as_of = to;
	s.territory_id = 2;
	struct ind_act_all agg, raw;
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &agg), 0);
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_RAW, &raw), 0);
	assert_int_equal(agg.personnes.total, raw.personnes.total);
	assert_int_equal(cellkey_of(agg.personnes.key), cellkey_of(raw.personnes.key));
	assert_true(cellkey_of(agg.personnes.key) != 0);
}

/* arr.renvois_boucle counts trajectories: twelve loops (X -> Y -> X),
 * started in March, each keyed by its first referral. The committee gets
 * the figure of their cell key, the manager the count. */
static void trajectories_are_protected_too(void **state)
{
	struct fixture *f = *state;
	exec_ok(f->db, "INSERT INTO family (id, ext_id, organisation_id, code, opened) VALUES"
		       " (1, 'f1', 1, 'F-1', '2025-01-01');");
	int64_t keys = 0;
	assert_int_equal(db_begin(f->db), 0);
	struct db_stmt *st = db_query(
		f->db, "INSERT INTO referral (id, ext_id, family_id, from_organisation_id,"
		       " to_organisation_id, sent_at, previous_id, outcome, closed_at, ckey)"
		       " VALUES (?1, 'r' || ?1, 1, ?2, ?3, ?4, ?5, 'reorientee', ?4 + 60, ?6)");
	assert_non_null(st);
	struct pdate march = fx_date("2025-03-03");
	for (int t = 0; t < 12; t++) {
		int64_t first = 100 + 2 * t, at = ptime_date_start(&march) + t * 86400;
		int64_t key = cellkey_draw();
		keys += key;
		for (int k = 0; k < 2; k++) {
			db_reset(st);
			db_bind_int64(st, 1, first + k);
			db_bind_int(st, 2, k ? 2 : 1);
			db_bind_int(st, 3, k ? 1 : 2);
			db_bind_int64(st, 4, at + k * 3600);
			if (k)
				db_bind_int64(st, 5, first);
			else
				db_bind_null(st, 5);
			db_bind_int64(st, 6, k ? cellkey_draw() : key);
			assert_int_equal(db_step(st), DB_DONE);
		}
	}
	db_query_free(st);
	assert_int_equal(db_commit(f->db), 0);
	struct report c = fx_report(f, "A", "2025-03-01", "2025-03-31", REPORT_VIEW_COMITE);
	struct report g = fx_report(f, "A", "2025-03-01", "2025-03-31", REPORT_VIEW_GESTIONNAIRE);
	const struct ind_result *bc = fx_get(&c, "arr.renvois_boucle");
	assert_int_equal((int64_t)fx_get(&g, "arr.renvois_boucle")->value, 12);
	assert_int_equal((int64_t)bc->value, cellkey_perturb(12, cellkey_of(keys), 5));
	assert_int_equal((int64_t)bc->numerator, (int64_t)bc->value);
}

/* Record keys are drawn a block of random bytes at a time: across several
 * blocks they stay in [0, CELLKEY_RANGE), spread over the whole range
 * (each eighth of it is hit about as often), and do not repeat. */
static void keys_are_uniform_across_blocks(void **state)
{
	(void)state;
	enum { N = 8192 };
	static int64_t seen[N];
	int eighth[8] = {0};
	for (int i = 0; i < N; i++) {
		int64_t k = cellkey_draw();
		assert_true(k >= 0 && k < CELLKEY_RANGE);
		eighth[k / (CELLKEY_RANGE / 8)]++;
		seen[i] = k;
	}
	for (int e = 0; e < 8; e++) /* expected 1024 each; 6 sigma is about 180 */
		assert_true(eighth[e] > 1024 - 200 && eighth[e] < 1024 + 200);
	int repeats = 0;
	for (int i = 1; i < N; i++)
		repeats += seen[i] == seen[i - 1];
	assert_true(repeats <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(differencing_recovers_no_more_than_chance),
		cmocka_unit_test(answers_are_consistent_and_unbiased),
		cmocka_unit_test(aggregates_and_raw_tables_agree),
		cmocka_unit_test(trajectories_are_protected_too),
		cmocka_unit_test(keys_are_uniform_across_blocks),
	};
	return cmocka_run_group_tests_name("cellkey", tests, setup, fx_teardown);
}
