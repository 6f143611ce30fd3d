/* End-to-end tests of the dashboards against a real "proxima serve":
 * each role reaches its own dashboard and only that one; the committee's
 * territory dashboard and the analyst's comparison show small counts as
 * "<5" while the manager's own organisation dashboard shows them; the
 * PAP's "my work" counts the week, month and year of a fixed clock; a
 * chart is available as PNG and its numbers as a table; the report files
 * of a dashboard's scope download as PDF, XLSX and CSV.
 *
 * Fixture: territories A (with sub-territory A1) and B, organisations X
 * (on A1), Y (on A) and Z (on B), imported as JSON Lines with "proxima
 * import"; accounts made with "proxima user add --id". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/server.h"
#include "support/web.h"
#include "support/web_assert.h"

#define NOW "2026-11-25T10:00:00" /* a Wednesday */
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;
static struct web_browser pap_x, gest_x, gest_z, comite_a, analyste;

/* Three activities of pap-x: one today (2 adults, 1 child 0-5), one
 * earlier this month, one in April; pap-z has one on B. Referrals from X
 * to Y: one taken in charge within a day, one refused. */
static const char FIXTURE[] =
	"{\"kind\":\"territory\",\"id\":\"A\",\"name\":\"Territoire A\",\"type\":\"urbain\"}\n"
	"{\"kind\":\"territory\",\"id\":\"A1\",\"name\":\"Quartier A1\",\"type\":\"urbain\","
	"\"parent\":\"A\"}\n"
	"{\"kind\":\"territory\",\"id\":\"B\",\"name\":\"Territoire B\",\"type\":\"rural\"}\n"
	"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
	"\"territories\":[\"A1\"]}\n"
	"{\"kind\":\"organisation\",\"id\":\"Y\",\"name\":\"Maison Y\",\"sector\":\"COMM\","
	"\"territories\":[\"A\"]}\n"
	"{\"kind\":\"organisation\",\"id\":\"Z\",\"name\":\"Organisme Z\",\"sector\":\"MFA\","
	"\"territories\":[\"B\"]}\n";

static const char ACTIVITIES[] =
	"{\"kind\":\"activity\",\"id\":\"ACT-1\",\"author\":\"pap-x\",\"territory\":\"A1\","
	"\"date\":\"2026-11-25\",\"duration_min\":60,\"indirect\":{\"deplacement\":30,"
	"\"redaction\":30},\"type\":\"demarchage\",\"place\":\"parc\","
	"\"counts\":{\"adults\":2,\"children_0_5\":1}}\n"
	"{\"kind\":\"activity\",\"id\":\"ACT-2\",\"author\":\"pap-x\",\"territory\":\"A1\","
	"\"date\":\"2026-11-03\",\"duration_min\":30,\"type\":\"contact_informel\","
	"\"place\":\"parc\"}\n"
	"{\"kind\":\"activity\",\"id\":\"ACT-3\",\"author\":\"pap-x\",\"territory\":\"A1\","
	"\"date\":\"2026-04-15\",\"duration_min\":45,\"type\":\"accompagnement\","
	"\"place\":\"domicile\"}\n"
	"{\"kind\":\"activity\",\"id\":\"ACT-4\",\"author\":\"pap-z\",\"territory\":\"B\","
	"\"date\":\"2026-11-20\",\"duration_min\":90,\"type\":\"demarchage\","
	"\"place\":\"parc\",\"counts\":{\"adults\":40}}\n";

/* The accounts, named by their external ids (the authors of the imports);
 * pap-z does not sign in. */
static const struct web_account ACCOUNTS[] = {
	{&pap_x, "pap@x.test", "pap-x", "pap", "X", "A1"},
	{NULL, "pap@z.test", "pap-z", "pap", "Z", "B"},
	{&gest_x, "gest@x.test", "gest-x", "gestionnaire", "X", "A1"},
	{&gest_z, "gest@z.test", "gest-z", "gestionnaire", "Z", "B"},
	{&comite_a, "comite@a.test", "comite-a", "comite", NULL, "A"},
	{&analyste, "analyste@q.test", "analyste", "analyste", NULL, NULL},
};

static int group_setup(void **state)
{
	*state = &srv;
	if (web_suite_prepare(&srv, NOW, NULL) < 0 ||
	    web_import_text(&srv, FIXTURE, "fixture.jsonl") < 0 ||
	    web_add_accounts_named(srv.db, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD) < 0 ||
	    web_import_text(&srv, ACTIVITIES, "activities.jsonl") < 0)
		return -1;
	return web_suite_start(&srv, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

static void get_ok(const struct web_browser *b, const char *path, long status, struct ts_resp *r)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(web_get(&srv, b, path, r), 0);
	if (r->status != status)
		fail_msg("GET %s: status %ld, expected %ld", path, r->status, status);
}

/* The text of the table row that starts with label (tags stripped). */
static void row_text(const struct ts_resp *r, const char *label, char *out, size_t cap)
{
	web_row_text(r->body.data ? r->body.data : "", label, out, cap);
}

static void test_each_role_reaches_only_its_dashboard(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&pap_x, "/tableaux", 303, &r);
	char loc[256];
	assert_non_null(ts_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/tableaux/moi");
	ts_resp_free(&r);
	const struct {
		const struct web_browser *b;
		const char *path;
		long status;
	} cases[] = {
		{&pap_x, "/tableaux/moi", 200},
		{&pap_x, "/tableaux/territoire", 404},
		{&pap_x, "/tableaux/organisation", 404},
		{&pap_x, "/tableaux/comparaison", 404},
		{&pap_x, "/tableaux/rapport?format=pdf", 404},
		{&gest_x, "/tableaux/organisation", 200},
		{&gest_x, "/tableaux/territoire", 404},
		{&comite_a, "/tableaux/territoire", 200},
		{&comite_a, "/tableaux/organisation", 404},
		{&comite_a, "/tableaux/territoire?territoire=B", 404},
		{&analyste, "/tableaux/comparaison", 200},
		{&analyste, "/tableaux/territoire?territoire=B", 200},
		{NULL, "/tableaux/territoire", 303},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		get_ok(cases[i].b, cases[i].path, cases[i].status, &r);
		ts_resp_free(&r);
	}
}

static void test_manager_sees_counts_committee_and_analyst_see_suppressed(void **state)
{
	(void)state;
	struct ts_resp r;
	char row[2048];
	/* X's manager: 3 people reached by X in the fiscal year, shown. */
	get_ok(&gest_x, "/tableaux/organisation", 200, &r);
	row_text(&r, ">Personnes rejointes<", row, sizeof(row));
	assert_non_null(strstr(row, " 3 "));
	assert_null(strstr(row, "&lt;5"));
	assert_true(ts_body_has(&r, "1 h directe = 1,4 h au total")); /* 195 / 135 */
	ts_resp_free(&r);
	/* Z's manager sees Z only: 40 people, none of X's. */
	get_ok(&gest_z, "/tableaux/organisation", 200, &r);
	row_text(&r, ">Personnes rejointes<", row, sizeof(row));
	assert_non_null(strstr(row, " 40 "));
	assert_false(ts_body_has(&r, "CLSC X"));
	ts_resp_free(&r);
	/* The analyst's comparison: A's 3 people are "<5", B's 40 are shown as
	 * published through the cell key (within 2), and the page says so. */
	get_ok(&analyste, "/tableaux/comparaison", 200, &r);
	row_text(&r, ">Personnes rejointes ", row, sizeof(row));
	assert_non_null(strstr(row, "&lt;5"));
	bool forty = false;
	for (int v = 38; v <= 42; v++) {
		char want[16];
		snprintf(want, sizeof(want), " %d ", v);
		forty = forty || strstr(row, want);
	}
	assert_true(forty);
	assert_null(strstr(row, " 3 "));
	assert_true(ts_body_has(&r, "id=\"protection\""));
	assert_true(ts_body_has(&r, "clé de cellule"));
	ts_resp_free(&r);
}

/* The manager's team table: each PAP of the organisation with their
 * activities and hours of the fiscal year (from 2026-04-01): pap-x wrote
 * ACT-1 (60 min direct + 60 indirect), ACT-2 (30) and ACT-3 (45): 3
 * activities, 135 min = 2.25 h direct, 195 min = 3.25 h in all, shown with
 * one decimal like every hour figure (printf rounding: "2,2", "3,2").
 * pap-z's activity is Z's, so pap-z is not in X's table. */
static void test_team_table_hours_per_pap(void **state)
{
	(void)state;
	struct ts_resp r;
	char row[2048];
	get_ok(&gest_x, "/tableaux/organisation", 200, &r);
	assert_true(ts_body_has(&r, "équipe dans la période</caption>"));
	row_text(&r, ">pap-x<", row, sizeof(row));
	assert_non_null(strstr(row, " 3  2,2  3,2 "));
	assert_false(ts_body_has(&r, ">pap-z<"));
	ts_resp_free(&r);
}

static void test_my_work_counts_week_month_year(void **state)
{
	(void)state;
	struct ts_resp r;
	char row[2048];
	get_ok(&pap_x, "/tableaux/moi", 200, &r);
	row_text(&r, ">Activités ", row, sizeof(row));
	/* This week: ACT-1; this month: ACT-1, ACT-2; this year: all three. */
	assert_non_null(strstr(row, " 1  2  3 "));
	assert_true(ts_body_has(&r, "<svg"));
	assert_true(ts_body_has(&r, "<title"));
	ts_resp_free(&r);
}

static void test_chart_as_png_and_unknown_chart_404(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&pap_x, "/tableaux/moi?png=mes-heures", 200, &r);
	char ct[128];
	assert_non_null(ts_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "image/png");
	assert_true(r.body.len > 8 && memcmp(r.body.data, "\x89PNG\r\n\x1a\n", 8) == 0);
	ts_resp_free(&r);
	get_ok(&pap_x, "/tableaux/moi?png=nope", 404, &r);
	ts_resp_free(&r);
}

static void test_report_files_of_the_scope(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&comite_a, "/tableaux/rapport?format=pdf", 200, &r);
	assert_true(r.body.len > 4 && memcmp(r.body.data, "%PDF", 4) == 0);
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/rapport?format=xlsx", 200, &r);
	assert_true(r.body.len > 2 && memcmp(r.body.data, "PK", 2) == 0);
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/rapport?format=csv", 200, &r);
	assert_true(r.body.len > 3 && memcmp(r.body.data, "\xef\xbb\xbf", 3) == 0);
	assert_true(ts_body_has(&r, "act.personnes_rejointes"));
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/rapport?format=exe", 404, &r);
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/rapport?format=csv&du=2026-05-01&au=2026-01-01", 400, &r);
	ts_resp_free(&r);
}

static void test_bad_period_is_said_and_replaced(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&comite_a, "/tableaux/territoire?du=2026-13-01&au=2026-01-01", 200, &r);
	assert_true(ts_body_has(&r, "Période invalide"));
	assert_true(ts_body_has(&r, "Du 2026-04-01 au 2027-03-31"));
	ts_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_role_reaches_only_its_dashboard),
		cmocka_unit_test(test_manager_sees_counts_committee_and_analyst_see_suppressed),
		cmocka_unit_test(test_team_table_hours_per_pap),
		cmocka_unit_test(test_my_work_counts_week_month_year),
		cmocka_unit_test(test_chart_as_png_and_unknown_chart_404),
		cmocka_unit_test(test_report_files_of_the_scope),
		cmocka_unit_test(test_bad_period_is_said_and_replaced),
	};
	return cmocka_run_group_tests_name("e2e_dashboards", tests, group_setup,
					   web_suite_teardown);
}
