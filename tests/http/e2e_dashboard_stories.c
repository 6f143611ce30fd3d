/* End-to-end tests of "le sens" beside "la mesure" on the dashboards,
 * against a real "proxima serve": a selected story tagged with a strategy
 * that the territory's activities carry appears in the block of the
 * strategies indicator; an unselected one appears nowhere; a story about a
 * family is quoted only while the family consents to citation (re-imported
 * without it, the quote disappears); a selected story whose tags no
 * indicator shares is beside no indicator but is counted; the counts per
 * strategy and per outcome are the selected stories'; a period without
 * selected stories says so; the committee's and the analyst's pages carry
 * none of the families' names, phones, addresses or codes (canaries).
 *
 * Fixture: territory A with sub-territory A1, organisation X on A1,
 * imported as JSON Lines with "proxima import"; accounts made with
 * "proxima user add". */
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

#define NOW "2026-11-25T10:00:00"
#define PASSWORD "motdepasse-solide"

/* Canaries: nominative details and codes of the two families. */
#define NAME_1 "Gertrude Canari-Lapointe"
#define NAME_2 "Bérénice Canari-Dufour"
#define PHONE_1 "514-555-0199"
#define ADDRESS_1 "77 rue des Canaris"
#define CODE_1 "FAM-CANARI-1"
#define CODE_2 "FAM-CANARI-2"

#define QUOTE_1 "QUOTE-ONE la mère est revenue au café-rencontre"
#define QUOTE_2 "QUOTE-TWO-NOT-QUOTABLE"
#define QUOTE_3 "QUOTE-THREE-UNSELECTED"
#define QUOTE_4 "QUOTE-FOUR-UNMATCHED"
#define REASON_1 "REASON-ONE premier pas vers le CLSC"
#define REASON_2 "REASON-TWO une famille rejointe"

static struct ts_server srv;
static struct web_browser gest_x, comite_a, analyste;

static const char FIXTURE[] =
	"{\"kind\":\"territory\",\"id\":\"A\",\"name\":\"Territoire A\",\"type\":\"urbain\"}\n"
	"{\"kind\":\"territory\",\"id\":\"A1\",\"name\":\"Quartier A1\",\"type\":\"urbain\","
	"\"parent\":\"A\"}\n"
	"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
	"\"territories\":[\"A1\"]}\n";

/* Two families of X: the first consents to citation, the second not. */
static const char FAMILIES[] =
	"{\"kind\":\"family\",\"id\":\"FAM-1\",\"organisation\":\"X\",\"code\":\"" CODE_1 "\","
	"\"opened\":\"2026-05-01\",\"consent\":{\"date\":\"2026-05-01\",\"language\":\"fr\","
	"\"scopes\":[\"suivi\",\"citation\"]},\"nominative\":{\"name\":\"" NAME_1 "\","
	"\"phone\":\"" PHONE_1 "\",\"address\":\"" ADDRESS_1 "\"}}\n"
	"{\"kind\":\"family\",\"id\":\"FAM-2\",\"organisation\":\"X\",\"code\":\"" CODE_2 "\","
	"\"opened\":\"2026-05-01\",\"consent\":{\"date\":\"2026-05-01\",\"language\":\"fr\","
	"\"scopes\":[\"suivi\"]},\"nominative\":{\"name\":\"" NAME_2 "\"}}\n";

/* The first family withdraws its consent to citation. */
static const char WITHDRAWAL[] =
	"{\"kind\":\"family\",\"id\":\"FAM-1\",\"organisation\":\"X\",\"code\":\"" CODE_1 "\","
	"\"opened\":\"2026-05-01\",\"consent\":{\"date\":\"2026-11-24\",\"language\":\"fr\","
	"\"scopes\":[\"suivi\"]},\"nominative\":{\"name\":\"" NAME_1 "\","
	"\"phone\":\"" PHONE_1 "\",\"address\":\"" ADDRESS_1 "\"}}\n";

/* Activities of A1 with the strategy proximite_relationnelle and the
 * outcome lien_confiance (so the strategies and outcomes indicators have
 * those cells); none with mise_en_reseau. */
static const char ACTIVITIES[] =
	"{\"kind\":\"activity\",\"id\":\"ACT-1\",\"author\":\"pap-x\",\"territory\":\"A1\","
	"\"date\":\"2026-11-03\",\"duration_min\":60,\"type\":\"demarchage\",\"place\":\"parc\","
	"\"strategies\":[\"proximite_relationnelle\"],\"outcomes\":[\"lien_confiance\"],"
	"\"counts\":{\"adults\":2}}\n"
	"{\"kind\":\"activity\",\"id\":\"ACT-2\",\"author\":\"pap-x\",\"territory\":\"A1\","
	"\"date\":\"2026-10-14\",\"duration_min\":30,\"type\":\"contact_informel\","
	"\"place\":\"parc\",\"strategies\":[\"proximite_relationnelle\"]}\n";

/* Stories of pap-x: 1 selected, about FAM-1, quotable; 2 selected, about
 * FAM-2 (no consent to citation: not quotable); 3 quotable but not
 * selected; 4 selected, quotable, tagged only with a strategy that no
 * activity carries. */
static const char STORIES[] =
	"{\"kind\":\"story\",\"id\":\"REC-1\",\"author\":\"pap-x\",\"date\":\"2026-11-04\","
	"\"text\":\"" QUOTE_1 "\",\"family\":\"FAM-1\",\"territory\":\"A1\","
	"\"strategies\":[\"proximite_relationnelle\"],\"outcomes\":[\"lien_confiance\"],"
	"\"consent_quote\":true,\"selected\":true,\"selection_reason\":\"" REASON_1 "\"}\n"
	"{\"kind\":\"story\",\"id\":\"REC-2\",\"author\":\"pap-x\",\"date\":\"2026-11-05\","
	"\"text\":\"" QUOTE_2 "\",\"family\":\"FAM-2\",\"territory\":\"A1\","
	"\"strategies\":[\"proximite_relationnelle\"],\"outcomes\":[\"crise_desamorcee\"],"
	"\"consent_quote\":false,\"selected\":true,\"selection_reason\":\"" REASON_2 "\"}\n"
	"{\"kind\":\"story\",\"id\":\"REC-3\",\"author\":\"pap-x\",\"date\":\"2026-11-06\","
	"\"text\":\"" QUOTE_3 "\",\"territory\":\"A1\","
	"\"strategies\":[\"proximite_relationnelle\"],\"outcomes\":[\"lien_confiance\"],"
	"\"consent_quote\":true,\"selected\":false}\n"
	"{\"kind\":\"story\",\"id\":\"REC-4\",\"author\":\"pap-x\",\"date\":\"2026-11-07\","
	"\"text\":\"" QUOTE_4 "\",\"territory\":\"A1\",\"strategies\":[\"mise_en_reseau\"],"
	"\"consent_quote\":true,\"selected\":true,\"selection_reason\":\"Pour le réseau\"}\n";

/* The accounts, named by their external ids (the authors of the imports);
 * pap-x does not sign in. */
static const struct web_account ACCOUNTS[] = {
	{NULL, "pap@x.test", "pap-x", "pap", "X", "A1"},
	{&gest_x, "gest@x.test", "gest-x", "gestionnaire", "X", "A1"},
	{&comite_a, "comite@a.test", "comite-a", "comite", NULL, "A"},
	{&analyste, "analyste@q.test", "analyste", "analyste", NULL, NULL},
};

static int group_setup(void **state)
{
	*state = &srv;
	if (web_suite_prepare(&srv, NOW, NULL) < 0 ||
	    web_import_text(&srv, FIXTURE, "fixture.jsonl") < 0 ||
	    web_add_accounts_named(srv.db, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD) < 0 ||
	    web_import_text(&srv, FAMILIES, "families.jsonl") < 0 ||
	    web_import_text(&srv, ACTIVITIES, "activities.jsonl") < 0 ||
	    web_import_text(&srv, STORIES, "stories.jsonl") < 0)
		return -1;
	return web_suite_start(&srv, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

static void get_ok(const struct web_browser *b, const char *path, struct ts_resp *r)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(web_get(&srv, b, path, r), 0);
	assert_status(r, 200);
}

/* The block of the chart whose PNG id is chart: from its PNG link to the
 * start of the next block or the end of its section, copied into out. */
static void block_of(const struct ts_resp *r, const char *chart, char *out, size_t cap)
{
	char key[128];
	snprintf(key, sizeof(key), "png=%s\"", chart);
	const char *p = strstr(r->body.data, key);
	if (!p)
		fail_msg("no chart %s", chart);
	const char *next = strstr(p, "<div class=\"dash-block\">");
	const char *end = strstr(p, "</section>");
	if (!end || (next && next < end))
		end = next;
	if (!end)
		fail_msg("chart %s: no end of block", chart);
	size_t n = (size_t)(end - p) < cap - 1 ? (size_t)(end - p) : cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The text of the table row of html whose header is label (tags
 * stripped). */
static void row_text(const char *html, const char *label, char *out, size_t cap)
{
	char key[256];
	snprintf(key, sizeof(key), "<th scope=\"row\">%s</th>", label);
	web_row_text(html, key, out, cap);
}

/* The "Récits de la période" section of a page, copied into out. */
static void section_of(const struct ts_resp *r, char *out, size_t cap)
{
	const char *p = strstr(r->body.data, "id=\"recits\"");
	if (!p)
		fail_msg("no stories section");
	const char *end = strstr(p, "</section>");
	assert_non_null(end);
	size_t n = (size_t)(end - p) < cap - 1 ? (size_t)(end - p) : cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void test_selected_story_beside_its_indicator(void **state)
{
	(void)state;
	struct ts_resp r;
	static char block[65536];
	get_ok(&comite_a, "/tableaux/territoire", &r);
	block_of(&r, "strategies", block, sizeof(block));
	/* Story 1: quoted (the family consents), with why it was selected. */
	assert_non_null(strstr(block, "Récits liés à cet indicateur"));
	assert_non_null(strstr(block, QUOTE_1));
	assert_non_null(strstr(block, REASON_1));
	/* Story 2: beside it too, its reason but not its text. */
	assert_non_null(strstr(block, REASON_2));
	assert_non_null(strstr(block, "Texte non cité"));
	assert_non_null(strstr(block, "id=\"sens-0\""));
	/* Outcomes: story 1 (lien_confiance is an activity's outcome), already
	 * written in full above, so short with a link to it. */
	block_of(&r, "retombees", block, sizeof(block));
	assert_non_null(strstr(block, "Récits liés à cet indicateur"));
	assert_non_null(strstr(block, "href=\"#sens-0\""));
	assert_null(strstr(block, "#sens-1")); /* story 2: crise_desamorcee, no activity */
	/* Nowhere: the text of story 2, the unselected story 3; story 4 is
	 * beside no indicator (no activity has its strategy). */
	assert_lacks(&r, QUOTE_2);
	assert_lacks(&r, QUOTE_3);
	assert_lacks(&r, QUOTE_4);
	ts_resp_free(&r);
}

static void test_counts_of_selected_stories(void **state)
{
	(void)state;
	struct ts_resp r;
	static char sec[65536];
	char row[1024];
	get_ok(&comite_a, "/tableaux/territoire", &r);
	section_of(&r, sec, sizeof(sec));
	assert_non_null(strstr(sec, "<caption>Récits retenus par stratégie</caption>"));
	assert_non_null(strstr(sec, "<caption>Récits retenus par retombée</caption>"));
	assert_non_null(strstr(sec, "<th scope=\"col\">Stratégie</th>"));
	/* 3 selected of the 4 written in the period. */
	assert_non_null(strstr(sec, "<strong>3</strong>"));
	assert_non_null(strstr(sec, "récits écrits dans la période : 4"));
	/* Selected only: story 3 (not selected) is not counted. */
	row_text(sec, "Proximité relationnelle", row, sizeof(row));
	assert_string_equal(row, " Proximité relationnelle  2 ");
	row_text(sec, "Mettre en réseau", row, sizeof(row));
	assert_string_equal(row, " Mettre en réseau  1 ");
	row_text(sec, "Lien de confiance", row, sizeof(row));
	assert_string_equal(row, " Lien de confiance  1 ");
	row_text(sec, "Crise désamorcée", row, sizeof(row));
	assert_string_equal(row, " Crise désamorcée  1 ");
	ts_resp_free(&r);
	/* The manager's organisation dashboard counts the same stories. */
	get_ok(&gest_x, "/tableaux/organisation", &r);
	section_of(&r, sec, sizeof(sec));
	row_text(sec, "Proximité relationnelle", row, sizeof(row));
	assert_string_equal(row, " Proximité relationnelle  2 ");
	/* Beside its first indicator (activities, by strategy among others)
	 * in full, then short beside the strategies. */
	block_of(&r, "activites-par-type", sec, sizeof(sec));
	assert_non_null(strstr(sec, QUOTE_1));
	block_of(&r, "strategies", sec, sizeof(sec));
	assert_non_null(strstr(sec, "href=\"#sens-0\""));
	assert_has(&r, "/recits/selection?du=2026-04-01&amp;au=2027-03-31");
	ts_resp_free(&r);
}

static void test_no_selected_story_in_period(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&comite_a, "/tableaux/territoire?du=2025-04-01&au=2026-03-31", &r);
	assert_has(&r, "Aucun récit retenu pour cette période. <a href=\"/recits\">");
	/* the committee's link to the selection, as a link, not escaped markup */
	assert_has(&r, "<p><a href=\"/recits/selection?du=2025-04-01&amp;au=2026-03-31\">");
	assert_lacks(&r, "&lt;p&gt;");
	assert_lacks(&r, "Récits liés à cet indicateur");
	assert_lacks(&r, QUOTE_1);
	ts_resp_free(&r);
}

/* No name, phone, address or family code on the committee's and the
 * analyst's pages. */
static void assert_no_canary(const struct ts_resp *r)
{
	static const char *const canaries[] = {NAME_1,    NAME_2, "Canari", PHONE_1,
					       ADDRESS_1, CODE_1, CODE_2};
	for (size_t i = 0; i < sizeof(canaries) / sizeof(canaries[0]); i++)
		assert_lacks(r, canaries[i]);
}

static void test_no_nominative_data_for_committee_and_analyst(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&comite_a, "/tableaux/territoire", &r);
	assert_has(&r, QUOTE_1); /* the stories are on the page … */
	assert_no_canary(&r);    /* … without who they are about */
	ts_resp_free(&r);
	get_ok(&analyste, "/tableaux/territoire?territoire=A", &r);
	assert_has(&r, QUOTE_1);
	assert_no_canary(&r);
	ts_resp_free(&r);
	get_ok(&analyste, "/tableaux/comparaison", &r);
	assert_no_canary(&r);
	ts_resp_free(&r);
}

/* Runs last: the family withdraws its consent to citation. */
static void test_quote_gone_after_consent_withdrawn(void **state)
{
	(void)state;
	assert_int_equal(web_import_text(&srv, WITHDRAWAL, "withdrawal.jsonl"), 0);
	struct ts_resp r;
	static char block[65536];
	get_ok(&comite_a, "/tableaux/territoire", &r);
	block_of(&r, "strategies", block, sizeof(block));
	assert_non_null(strstr(block, REASON_1)); /* still selected, still beside */
	assert_null(strstr(block, QUOTE_1));      /* but no longer quoted */
	assert_lacks(&r, QUOTE_1);
	ts_resp_free(&r);
	get_ok(&gest_x, "/tableaux/organisation", &r);
	assert_lacks(&r, QUOTE_1);
	ts_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selected_story_beside_its_indicator),
		cmocka_unit_test(test_counts_of_selected_stories),
		cmocka_unit_test(test_no_selected_story_in_period),
		cmocka_unit_test(test_no_nominative_data_for_committee_and_analyst),
		cmocka_unit_test(test_quote_gone_after_consent_withdrawn),
	};
	return cmocka_run_group_tests_name("e2e_dashboard_stories", tests, group_setup,
					   web_suite_teardown);
}
