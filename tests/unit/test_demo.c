/* The demo data (src/demo): loaded once through the import engine into a
 * temporary database, then checked against seed 002 and the brief of
 * issue 3: the four territories and their portrait, the PAP counts per
 * territory, one account per role that can log in, a year of activities
 * that ends on the reference day, referrals between two different
 * organisations, every record kind present, reproducible output, and a
 * second load that changes no row count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "demo/demo.h"
#include "model/dashboard.h"
#include "model/person.h"
#include "model/referral.h"
#include "model/vault.h"
#include "reports/report.h"
#include "support/report_cmp.h"
#include "support/scratch_db.h"

/* The reference day of the tests: a fixed instant, so the test does not
 * depend on the calendar it runs on. */
#define NOW "2025-06-15T14:30"
#define TODAY "2025-06-15"
#define FIRST_DAY "2024-06-16" /* TODAY - 364 days */

struct fixture {
	char path[600];
	struct db *db;
	struct demo_options opt;
	struct demo_result first;
};

static struct fixture fx;

/* One integer from a query (tests may use SQL directly). */
static long long q1(const char *sql)
{
	struct db_stmt *s;
	if (!(s = db_query(fx.db, sql)))
		fail_msg("prepare: %s: %s", sql, db_errmsg(fx.db));
	long long v = -1;
	if (db_step(s) == DB_ROW)
		v = db_col_int64(s, 0);
	db_query_free(s);
	return v;
}

/* One text from a query, copied into out. */
static const char *qs(const char *sql, char *out, size_t cap)
{
	struct db_stmt *s;
	if (!(s = db_query(fx.db, sql)))
		fail_msg("prepare: %s", sql);
	out[0] = '\0';
	if (db_step(s) == DB_ROW && db_col_cstr(s, 0))
		snprintf(out, cap, "%s", db_col_cstr(s, 0));
	db_query_free(s);
	return out;
}

static const char *const tables[] = {
	"territory",
	"portrait",
	"organisation",
	"organisation_territory",
	"person",
	"position",
	"position_holder",
	"mandate_component",
	"mandate_item",
	"family",
	"activity",
	"activity_component",
	"activity_strategy",
	"activity_need",
	"activity_outcome",
	"activity_family",
	"activity_partner",
	"activity_pap",
	"corridor",
	"corridor_language",
	"corridor_field",
	"corridor_portrait",
	"referral",
	"supervision",
	"support_request",
	"project",
	"project_organisation",
	"survey",
	"service_gap",
	"story",
	"story_tag",
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static void count_rows(long long out[NTABLES])
{
	for (size_t i = 0; i < NTABLES; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		out[i] = q1(sql);
	}
}

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	unsigned char key[32];
	memset(key, 0x5a, sizeof(key));
	vault_set_key(key);
	fx.db = scratch_db_create(fx.path, sizeof(fx.path), "proxima-unit-demo");
	if (!fx.db)
		return -1;
	char err[1024] = "";
	int64_t now;
	if (ptime_parse_timestamp(NOW, &now) < 0)
		return -1;
	fx.opt = (struct demo_options){.now = now,
				       .seed = DEMO_SEED,
				       .scale = 1,
				       .extras = DEMO_X_REASON | DEMO_X_FOLLOWER | DEMO_X_TEXT};
	if (demo_load(fx.db, &fx.opt, &fx.first, err, sizeof(err)) < 0) {
		fprintf(stderr, "demo_load: %s\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	scratch_db_remove(fx.db, fx.path);
	vault_unload();
	return 0;
}

static void test_territories_of_seed_002(void **state)
{
	(void)state;
	char s[256];
	assert_int_equal(q1("SELECT count(*) FROM territory"), 4);
	assert_string_equal(
		qs("SELECT group_concat(ext_id || ':' || name || ':' || type, ';') FROM "
		   "(SELECT * FROM territory ORDER BY ext_id) AS t",
		   s, sizeof(s)),
		"A:Territoire A:mixte;B:Territoire B:rural;C:Territoire C:urbain;"
		"D:Territoire D:urbain");
	/* The portrait table, four indicators per territory. */
	assert_int_equal(q1("SELECT count(*) FROM portrait"), 16);
	assert_int_equal(
		q1("SELECT count(*) FROM portrait p JOIN territory t ON t.id = p.territory_id "
		   "WHERE t.ext_id = 'B' AND p.indicator = 'signalements_1000' "
		   "AND abs(p.value - 19.64) < 1e-9"),
		1);
	assert_int_equal(
		q1("SELECT count(*) FROM portrait p JOIN territory t ON t.id = p.territory_id "
		   "WHERE t.ext_id = 'C' AND p.indicator = 'enfants_0_4_hors_reseau' "
		   "AND abs(p.value - 31.4) < 1e-9"),
		1);
	assert_int_equal(
		q1("SELECT count(*) FROM portrait p JOIN territory t ON t.id = p.territory_id "
		   "WHERE t.ext_id = 'D' AND p.indicator = 'depistage_agir_tot' AND p.value = 385"),
		1);
}

/* Seed 002: PAP per territory (A 2, B 3, C 3, D 3) in the sectors it lists. */
static void test_pap_counts_and_sectors(void **state)
{
	(void)state;
	char s[256];
	qs("SELECT group_concat(x, ';') FROM (SELECT t.ext_id || ':' || count(*) || ':' || "
	   "group_concat(DISTINCT se.ext_id) AS x FROM position p "
	   "JOIN position_holder h ON h.position_id = p.id "
	   "JOIN organisation o ON o.id = p.organisation_id JOIN sector se ON se.id = o.sector_id "
	   "JOIN territory t ON t.id = p.territory_id "
	   "WHERE se.ext_id IN ('MFA', 'MSSS', 'MEQ', 'MIFI') AND h.from_date <= '" TODAY "' "
	   "AND (h.to_date IS NULL OR h.to_date >= '" TODAY "') "
	   "AND (p.end_date IS NULL OR p.end_date >= '" TODAY "') "
	   "GROUP BY t.ext_id ORDER BY t.ext_id) AS g",
	   s, sizeof(s));
	/* group_concat(DISTINCT) has no order: check counts, then sectors. */
	assert_non_null(strstr(s, "A:2:"));
	assert_non_null(strstr(s, "B:3:"));
	assert_non_null(strstr(s, "C:3:"));
	assert_non_null(strstr(s, "D:3:"));
	assert_int_equal(
		q1("SELECT count(*) FROM position p JOIN organisation o ON o.id = "
		   "p.organisation_id JOIN sector se ON se.id = o.sector_id JOIN territory t "
		   "ON t.id = p.territory_id WHERE p.end_date IS NULL AND ((t.ext_id = 'C' "
		   "AND se.ext_id = 'MSSS') OR (t.ext_id = 'A' AND se.ext_id IN ('MEQ', "
		   "'MIFI')) OR (t.ext_id IN ('B', 'D') AND se.ext_id = 'MIFI'))"),
		0);
	long long positions = q1("SELECT count(*) FROM position");
	assert_true(positions >= 20 && positions <= 40);
	/* Some mandates cover the three components, some do not. */
	assert_true(q1("SELECT count(*) FROM (SELECT position_id FROM mandate_component GROUP BY "
		       "position_id HAVING count(*) = 3) AS m") > 5);
	assert_true(q1("SELECT count(*) FROM (SELECT position_id FROM mandate_component GROUP BY "
		       "position_id HAVING count(*) < 3) AS m") > 3);
	/* Turnover: some holders left their position. */
	assert_true(q1("SELECT count(*) FROM position_holder WHERE to_date IS NOT NULL") >= 3);
	long long orgs = q1("SELECT count(*) FROM organisation");
	assert_true(orgs >= 15 && orgs <= 40);
}

static void test_one_account_per_role_can_log_in(void **state)
{
	(void)state;
	const struct demo_account *acc = demo_accounts();
	const char *roles[] = {"pap", "gestionnaire", "comite", "analyste", "admin"};
	struct arena *a = arena_new(4096);
	for (int i = 0; i < DEMO_ACCOUNT_COUNT; i++) {
		assert_string_equal(acc[i].role, roles[i]);
		struct person p;
		assert_int_equal(person_find_by_email(fx.db, a, acc[i].email, &p), 0);
		assert_string_equal(role_code(p.role), roles[i]);
		assert_non_null(p.password_hash);
		assert_int_equal(password_verify(p.password_hash, acc[i].password), 0);
		assert_int_not_equal(password_verify(p.password_hash, "not-the-password"), 0);
		assert_null(password_weakness(acc[i].password));
	}
	/* Everybody else is imported without a password. */
	assert_int_equal(q1("SELECT count(*) FROM person WHERE password_hash IS NOT NULL"),
			 DEMO_ACCOUNT_COUNT);
	long long persons = q1("SELECT count(*) FROM person");
	assert_true(persons >= 30 && persons <= 60);
	arena_free(a);
}

static void test_a_year_of_activities(void **state)
{
	(void)state;
	long long n = q1("SELECT count(*) FROM activity");
	assert_true(n >= 6000 && n <= 10000);
	assert_int_equal((long long)fx.first.counts[DEMO_ACTIVITY], n);
	assert_int_equal(q1("SELECT count(*) FROM activity WHERE date < '" FIRST_DAY "' "
			    "OR date > '" TODAY "'"),
			 0);
	/* The whole year is filled: every month has activities. */
	assert_int_equal(q1("SELECT count(DISTINCT substr(date, 1, 7)) FROM activity"), 13);
	/* Every type, the hidden time (interpreters), joint work, notes. */
	assert_int_equal(q1("SELECT count(DISTINCT type) FROM activity"), 11);
	assert_true(q1("SELECT count(*) FROM activity WHERE ind_interprete > 0") > 100);
	assert_true(q1("SELECT count(*) FROM activity_pap") > 100);
	assert_true(q1("SELECT count(*) FROM activity_family") > 300);
	assert_true(q1("SELECT count(*) FROM activity WHERE note IS NOT NULL") > n / 2);
	/* 1 h 30 with an interpreter costs four to five hours in all. */
	long long avg =
		q1("SELECT avg(duration_min + ind_deplacement + ind_interprete + "
		   "ind_redaction + ind_preparation) FROM activity WHERE ind_interprete > 0 "
		   "AND type = 'intervention_individuelle' AND place = 'domicile' "
		   "AND duration_min BETWEEN 80 AND 95");
	assert_true(avg >= 210 && avg <= 330);
	/* Counts stay consistent with the people reached. */
	assert_int_equal(q1("SELECT count(*) FROM activity WHERE new_contacts > adults + "
			    "children_0_5 + children_6_17 OR hors_reseau > adults + children_0_5 + "
			    "children_6_17"),
			 0);
}

static void test_referrals_between_organisations(void **state)
{
	(void)state;
	long long n = q1("SELECT count(*) FROM referral");
	assert_true(n >= 200 && n <= 320);
	assert_int_equal(q1("SELECT count(*) FROM referral WHERE to_organisation_id = "
			    "from_organisation_id"),
			 0);
	/* Every outcome occurs, some are still open, some re-orient in a loop. */
	assert_true(q1("SELECT count(*) FROM referral WHERE outcome = 'prise_en_charge' AND "
		       "taken_at - sent_at <= 2 * 86400") > 50);
	assert_true(q1("SELECT count(*) FROM referral WHERE outcome = 'prise_en_charge' AND "
		       "taken_at - sent_at > 3 * 86400") > 10);
	assert_true(q1("SELECT count(*) FROM referral WHERE outcome = 'refusee' AND reason IS "
		       "NOT NULL") > 5);
	assert_true(q1("SELECT count(*) FROM referral WHERE outcome = 'reorientee'") > 10);
	assert_true(q1("SELECT count(*) FROM referral WHERE outcome = 'perdue'") > 5);
	assert_true(q1("SELECT count(*) FROM referral WHERE outcome IS NULL") > 0);
	assert_true(q1("SELECT count(*) FROM referral WHERE loop_detected = 1") > 2);
	assert_true(q1("SELECT count(*) FROM referral WHERE previous_id IS NOT NULL") > 10);
	/* Only families that consented to referral are referred, and nothing
	 * happens after the reference instant. */
	assert_int_equal(q1("SELECT count(*) FROM referral r JOIN family f ON f.id = r.family_id "
			    "WHERE f.consent_reference = 0"),
			 0);
	int64_t now = fx.opt.now;
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM referral WHERE sent_at > %lld OR received_at > %lld "
		 "OR taken_at > %lld OR closed_at > %lld",
		 (long long)now, (long long)now, (long long)now, (long long)now);
	assert_int_equal(q1(sql), 0);
	/* Corridors on every territory. */
	assert_int_equal(q1("SELECT count(DISTINCT territory_id) FROM corridor"), 4);
}

static void test_every_kind_is_there(void **state)
{
	(void)state;
	for (int k = 0; k < DEMO_KIND__COUNT; k++)
		assert_true(fx.first.counts[k] > 0);
	long long fam = q1("SELECT count(*) FROM family");
	assert_true(fam >= 120 && fam <= 200);
	assert_int_equal(q1("SELECT count(*) FROM family WHERE nominative IS NULL OR "
			    "consent_date IS NULL OR consent_suivi = 0"),
			 0);
	assert_true(q1("SELECT count(DISTINCT consent_language) FROM family") >= 4);
	assert_true(q1("SELECT count(*) FROM supervision") > 100);
	assert_true(q1("SELECT count(*) FROM support_request") > 20);
	assert_true(q1("SELECT count(*) FROM survey WHERE type = 'pap'") > 30);
	assert_true(q1("SELECT count(*) FROM survey WHERE type = 'famille' AND project_id IS NOT "
		       "NULL") > 30);
	assert_true(q1("SELECT count(*) FROM project") >= 4);
	assert_true(q1("SELECT count(*) FROM service_gap") >= 10);
	assert_true(q1("SELECT count(*) FROM story WHERE consent_quote = 1") > 3);
	assert_true(q1("SELECT count(*) FROM story WHERE consent_quote = 0") > 0);
	assert_true(q1("SELECT count(*) FROM story_selection WHERE level = 'organisation' "
		       "AND reason <> ''") > 3);
	assert_true(q1("SELECT count(DISTINCT kind) FROM story_tag") >= 3);
	/* A quoted story about a family needs the family's consent to quote. */
	assert_int_equal(q1("SELECT count(*) FROM story s JOIN family f ON f.id = s.family_id "
			    "WHERE s.consent_quote = 1 AND f.consent_citation = 0"),
			 0);
}

static char *generate(const struct demo_options *o, size_t *len)
{
	struct buf b = BUF_INIT((size_t)1 << 30);
	assert_int_equal(demo_generate(o, &b, NULL, NULL, 0, NULL), 0);
	return buf_detach(&b, len);
}

static void test_reproducible(void **state)
{
	(void)state;
	size_t n1, n2, n3;
	char *a = generate(&fx.opt, &n1);
	char *b = generate(&fx.opt, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	struct demo_options other = fx.opt;
	other.seed = 42;
	char *c = generate(&other, &n3);
	assert_true(n1 != n3 || memcmp(a, c, n1) != 0);
	/* One JSON object per line, each with a kind and an id. */
	size_t lines = 0;
	for (const char *p = a; p < a + n1; p++)
		lines += *p == '\n';
	size_t total = 0;
	for (int k = 0; k < DEMO_KIND__COUNT; k++)
		total += fx.first.counts[k];
	assert_int_equal(lines, total);
	assert_true(str_starts(a, "{\"kind\":\"territory\",\"id\":\"A\""));
	free(a);
	free(b);
	free(c);
}

static void test_load_twice_changes_no_count(void **state)
{
	(void)state;
	long long before[NTABLES], after[NTABLES];
	count_rows(before);
	struct demo_result res;
	char err[1024] = "";
	int rc = demo_load(fx.db, &fx.opt, &res, err, sizeof(err));
	if (rc < 0)
		fail_msg("second load: %s", err);
	assert_true(res.already_loaded);
	assert_int_equal(res.inserted, 0);
	assert_true(res.updated > 7000);
	count_rows(after);
	for (size_t i = 0; i < NTABLES; i++)
		if (before[i] != after[i])
			fail_msg("%s: %lld rows before, %lld after", tables[i], before[i],
				 after[i]);
	/* The accounts still log in. */
	struct arena *a = arena_new(1024);
	struct person p;
	assert_int_equal(person_find_by_email(fx.db, a, demo_accounts()[0].email, &p), 0);
	assert_int_equal(password_verify(p.password_hash, demo_accounts()[0].password), 0);
	arena_free(a);
}

/* The territory scope (organisation_serves): every activity, position and the
 * territory of every PAP and manager is on a territory their organisation
 * serves (it or an ancestor is among its territories), so the demo's
 * people can keep working with the rule of the pages and the API. */
static void test_territory_scope(void **state)
{
	(void)state;
	static const char served[] =
		"WITH RECURSIVE up (start, id) AS (SELECT id, id FROM territory UNION SELECT "
		"up.start, t.parent_id FROM territory t JOIN up ON t.id = up.id WHERE t.parent_id "
		"IS NOT NULL), served (org, terr) AS (SELECT DISTINCT ot.organisation_id, "
		"up.start FROM organisation_territory ot JOIN up ON up.id = ot.territory_id) ";
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "%sSELECT count(*) FROM activity a WHERE NOT EXISTS (SELECT 1 FROM served s "
		 "WHERE s.org = a.organisation_id AND s.terr = a.territory_id)",
		 served);
	assert_int_equal(q1(sql), 0);
	snprintf(sql, sizeof(sql),
		 "%sSELECT count(*) FROM position p WHERE NOT EXISTS (SELECT 1 FROM served s "
		 "WHERE s.org = p.organisation_id AND s.terr = p.territory_id)",
		 served);
	assert_int_equal(q1(sql), 0);
	snprintf(sql, sizeof(sql),
		 "%sSELECT count(*) FROM person p WHERE p.role IN ('pap', 'gestionnaire') AND "
		 "NOT EXISTS (SELECT 1 FROM served s WHERE s.org = p.organisation_id AND s.terr "
		 "= p.territory_id)",
		 served);
	assert_int_equal(q1(sql), 0);
	assert_true(q1("SELECT count(*) FROM activity") > 1000);
}

/* The province comparison (report_compute_territories, what /tableaux/comparaison
 * shows an analyst) gives for each territory exactly the report computed
 * for that territory alone: every indicator, breakdown cell and detail,
 * for the top-level territories and for the children of each of them, and
 * the demo's referrals do cross territories (so a chain's rows must follow
 * its first referral, not their own territory). */
static void comparison_in_one_pass(const char *from, const char *to)
{
	struct arena *a = arena_new(1 << 20);
	struct report_request rq;
	report_request_init(&rq);
	rq.view = REPORT_VIEW_ANALYSTE;
	assert_int_equal(ptime_parse_date(from, &rq.from), 0);
	assert_int_equal(ptime_parse_date(to, &rq.to), 0);
	rq.as_of = rq.to;
	rq.has_as_of = true;
	struct dash_item *top;
	size_t ntop;
	assert_int_equal(dash_list_territories(fx.db, a, NULL, &top, &ntop), 0);
	assert_true(ntop >= 4);
	for (size_t level = 0; level <= ntop; level++) {
		struct dash_item *t = top;
		size_t n = ntop;
		if (level > 0)
			assert_int_equal(
				dash_list_territories(fx.db, a, top[level - 1].ext_id, &t, &n), 0);
		if (!n)
			continue;
		const char **exts = arena_calloc(a, n, sizeof(*exts));
		for (size_t i = 0; i < n; i++)
			exts[i] = t[i].ext_id;
		struct report *fast = arena_calloc(a, n, sizeof(*fast));
		assert_int_equal(report_compute_territories(fx.db, a, &rq, exts, n, fast), PERR_OK);
		for (size_t i = 0; i < n; i++) {
			struct report_request one = rq;
			one.territory = exts[i];
			struct report alone;
			assert_int_equal(report_compute(fx.db, a, &one, &alone), PERR_OK);
			const char *d = report_cmp_first_difference(a, &fast[i], &alone);
			if (d)
				fail_msg("%s..%s, %s: %s", from, to, exts[i], d);
		}
	}
	arena_free(a);
}

/* The comparison over a year to date and over whole months
 * (model/compare_act.h). */
static void test_comparison_in_one_pass(void **state)
{
	(void)state;
	assert_true(q1("SELECT count(*) FROM referral r JOIN referral p ON p.id = r.previous_id "
		       "JOIN corridor cr ON cr.id = r.corridor_id JOIN corridor cp "
		       "ON cp.id = p.corridor_id WHERE cr.territory_id <> cp.territory_id") +
			    q1("SELECT count(*) FROM referral r JOIN referral p ON p.id = "
			       "r.previous_id WHERE (r.corridor_id IS NULL) <> (p.corridor_id IS "
			       "NULL)") >
		    0);
	/* The year to TODAY (partial months: each territory's act.* apart)
	 * and its whole months (the act.* of every territory in one pass). */
	static const char *const periods[][2] = {{FIRST_DAY, TODAY}, {"2024-07-01", "2025-05-31"}};
	for (size_t p = 0; p < 2; p++)
		comparison_in_one_pass(periods[p][0], periods[p][1]);
}

/* The demo's refusals carry coded reasons, so the dashboards' "refusals by
 * reason" (report_refusals, as the territory dashboard reads it) name
 * reasons rather than "no coded reason": every territory's cells are
 * codes of the model's list, they add up to its refusals, and together the
 * territories count every refused referral of the year. */
static void test_refusals_by_reason(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 20);
	struct report_request rq;
	report_request_init(&rq);
	rq.view = REPORT_VIEW_COMPLET;
	assert_int_equal(ptime_parse_date(FIRST_DAY, &rq.from), 0);
	assert_int_equal(ptime_parse_date(TODAY, &rq.to), 0);
	struct dash_item *top;
	size_t ntop;
	assert_int_equal(dash_list_territories(fx.db, a, NULL, &top, &ntop), 0);
	int64_t refused = 0;
	const char *codes_seen[16];
	size_t ncodes = 0;
	for (size_t t = 0; t < ntop; t++) {
		rq.territory = top[t].ext_id;
		struct report_refusals rf;
		assert_int_equal(report_refusals(fx.db, a, &rq, &rf), PERR_OK);
		double sum = 0;
		for (size_t i = 0; i < rf.by_reason.n_cells; i++) {
			const struct report_cell *c = &rf.by_reason.cells[i];
			if (!referral_refusal_label(c->key))
				fail_msg("%s: refusals without a coded reason (\"%s\")",
					 top[t].ext_id, c->key);
			sum += c->value;
			bool seen = false;
			for (size_t k = 0; k < ncodes; k++)
				seen |= strcmp(codes_seen[k], c->key) == 0;
			if (!seen && ncodes < 16)
				codes_seen[ncodes++] = c->key;
		}
		assert_true(sum == (double)rf.total);
		refused += rf.total;
	}
	assert_true(ncodes >= 3);
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM referral WHERE outcome = 'refusee' AND closed_at <= %lld",
		 (long long)fx.opt.now);
	long long stored = q1(sql);
	assert_true(stored > 5);
	assert_true(refused >= stored);
	assert_int_equal(q1("SELECT count(*) FROM referral WHERE outcome = 'refusee' AND "
			    "refusal_code IS NULL"),
			 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_territories_of_seed_002),
		cmocka_unit_test(test_pap_counts_and_sectors),
		cmocka_unit_test(test_one_account_per_role_can_log_in),
		cmocka_unit_test(test_a_year_of_activities),
		cmocka_unit_test(test_referrals_between_organisations),
		cmocka_unit_test(test_territory_scope),
		cmocka_unit_test(test_comparison_in_one_pass),
		cmocka_unit_test(test_refusals_by_reason),
		cmocka_unit_test(test_every_kind_is_there),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_load_twice_changes_no_count),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
