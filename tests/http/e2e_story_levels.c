/* End-to-end tests of Most Significant Change by levels against a real
 * "proxima serve": the organisation's manager selects, then the committee
 * of the territory selects from what the organisation selected, each with
 * its own reason; the committee's choice does not show "Retirer" on the
 * manager's and the reverse; nobody selects a story whose text they cannot
 * read (page and API); a level cannot withdraw what the level above keeps;
 * every change stays in the history, withdrawals included; the PAP, the
 * analyst and another territory's committee are refused. */
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

#define QUOTE_OK "QUOTE-OK la mère est revenue au café-rencontre"
#define TEXT_PRIVATE "TEXT-PRIVATE une famille sans consentement"
#define TEXT_PLAIN "TEXT-PLAIN pas encore retenu"
#define WHY_ORG "WHY-ORG premier pas vers le CLSC"
#define WHY_TERR "WHY-TERR ce que le territoire retient"

static struct ts_server srv;
static struct web_browser pap_x, gest_x, comite_a, comite_b, analyste;

static const char FIXTURE[] =
	"{\"kind\":\"territory\",\"id\":\"A\",\"name\":\"Territoire A\",\"type\":\"urbain\"}\n"
	"{\"kind\":\"territory\",\"id\":\"B\",\"name\":\"Territoire B\",\"type\":\"rural\"}\n"
	"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
	"\"territories\":[\"A\"]}\n";

/* A family without consent to citation. */
static const char FAMILIES[] =
	"{\"kind\":\"family\",\"id\":\"FAM-1\",\"organisation\":\"X\",\"code\":\"F-001\","
	"\"opened\":\"2026-05-01\",\"consent\":{\"date\":\"2026-05-01\",\"language\":\"fr\","
	"\"scopes\":[\"suivi\"]}}\n";

/* REC-1 quotable, REC-2 about the family (not quotable), REC-3 quotable;
 * none selected yet. */
static const char STORIES[] =
	"{\"kind\":\"story\",\"id\":\"REC-1\",\"author\":\"pap-x\",\"date\":\"2026-11-04\","
	"\"text\":\"" QUOTE_OK "\",\"territory\":\"A\",\"consent_quote\":true}\n"
	"{\"kind\":\"story\",\"id\":\"REC-2\",\"author\":\"pap-x\",\"date\":\"2026-11-05\","
	"\"text\":\"" TEXT_PRIVATE "\",\"family\":\"FAM-1\",\"territory\":\"A\","
	"\"consent_quote\":false}\n"
	"{\"kind\":\"story\",\"id\":\"REC-3\",\"author\":\"pap-x\",\"date\":\"2026-11-06\","
	"\"text\":\"" TEXT_PLAIN "\",\"territory\":\"A\",\"consent_quote\":true}\n";

static const struct web_account ACCOUNTS[] = {
	{&pap_x, "pap@x.test", "pap-x", "pap", "X", "A"},
	{&gest_x, "gest@x.test", "gest-x", "gestionnaire", "X", "A"},
	{&comite_a, "comite@a.test", "comite-a", "comite", NULL, "A"},
	{&comite_b, "comite@b.test", "comite-b", "comite", NULL, "B"},
	{&analyste, "analyste@q.test", "analyste", "analyste", NULL, NULL},
};

static long long rec[4]; /* internal ids of REC-1..3 */

static int group_setup(void **state)
{
	*state = &srv;
	if (web_suite_prepare(&srv, NOW, NULL) < 0 ||
	    web_import_text(&srv, FIXTURE, "fixture.jsonl") < 0 ||
	    web_add_accounts_named(srv.db, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD) < 0 ||
	    web_import_text(&srv, FAMILIES, "families.jsonl") < 0 ||
	    web_import_text(&srv, STORIES, "stories.jsonl") < 0)
		return -1;
	for (int i = 1; i <= 3; i++) {
		char q[128];
		snprintf(q, sizeof(q), "SELECT id FROM story WHERE ext_id = 'REC-%d'", i);
		rec[i] = web_sql_count(srv.db, q);
		if (rec[i] <= 0)
			return -1;
	}
	return web_suite_start(&srv, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

static const char *path_of(int i, const char *tail)
{
	static char p[128];
	snprintf(p, sizeof(p), "/recits/%lld%s", rec[i], tail);
	return p;
}

static void select_page(const struct web_browser *b, int i, const char *why, long status)
{
	const char *kv[] = {"action", "retenir", "selection_reason", why, NULL};
	expect_post(&srv, b, path_of(i, "/selection"), kv, status, NULL, NULL);
}

static void withdraw_page(const struct web_browser *b, int i, const char *why, long status,
			  const char *const *texts)
{
	const char *kv[] = {"action", "retirer", "selection_reason", why, NULL};
	expect_post(&srv, b, path_of(i, "/selection"), kv, status, texts, NULL);
}

static long long count_of(const char *q)
{
	return web_sql_count(srv.db, q);
}

/* The committee cannot select what the organisation did not select; the
 * manager selects; then the committee selects from it, with its reason;
 * neither sees "Retirer" on the other's choice. */
static void test_each_level_selects_with_its_reason(void **state)
{
	(void)state;
	select_page(&comite_a, 1, WHY_TERR, 404); /* not selected below yet */
	select_page(&gest_x, 1, WHY_ORG, 303);
	/* The committee's selection page offers it, with the manager's reason;
	 * the story not selected by the organisation is not there. */
	expect_get(&srv, &comite_a, "/recits/selection?du=2026-11-01&au=2026-11-30", 200,
		   TEXTS(QUOTE_OK, "Retenu par l&#39;organisation", WHY_ORG, "Retenir ce récit"),
		   TEXTS(TEXT_PLAIN, "Retirer de la sélection"));
	select_page(&comite_a, 1, "  ", 422);
	select_page(&comite_a, 1, WHY_TERR, 303);
	expect_get(&srv, &comite_a, path_of(1, ""), 200,
		   TEXTS("Retenu par le comité du territoire", WHY_TERR, WHY_ORG,
			 "Retirer de la sélection"),
		   NULL);
	/* The manager sees both reasons; their own level's form still offers
	 * withdrawal, the committee's choice is not theirs to remove. */
	expect_get(&srv, &gest_x, path_of(1, ""), 200,
		   TEXTS("Retenu par le comité du territoire", WHY_TERR, WHY_ORG,
			 "Historique de la sélection"),
		   NULL);
	assert_int_equal(count_of("SELECT count(*) FROM story_selection"), 2);
}

/* Nobody selects a story whose text they cannot read: the committee may
 * not select REC-2 (no consent to quote), even once the organisation
 * selected it; on the page, in the API. */
static void test_no_selection_without_reading(void **state)
{
	(void)state;
	select_page(&gest_x, 2, "Le manager lit tout le récit.", 303);
	expect_get(&srv, &comite_a, path_of(2, ""), 200,
		   TEXTS("Vous ne pouvez pas lire le texte de ce récit"),
		   TEXTS(TEXT_PRIVATE, "Retenir ce récit"));
	select_page(&comite_a, 2, "Sans l'avoir lu", 422);
	struct ts_resp r = {0};
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/stories/REC-2/select");
	assert_int_equal(web_api(&srv, &comite_a, "POST", path,
				 "{\"selected\":true,\"selection_reason\":\"Sans l'avoir lu\"}",
				 &r),
			 0);
	assert_status(&r, 422);
	assert_has(&r, "\"text\"");
	ts_resp_free(&r);
	assert_int_equal(count_of("SELECT count(*) FROM story_selection s JOIN story t ON "
				  "t.id = s.story_id WHERE t.ext_id = 'REC-2' AND "
				  "s.level = 'territoire'"),
			 0);
}

/* The PAP, the analyst and another territory's committee select nothing
 * (the page and the API answer as if absent). */
static void test_roles_without_a_level_are_refused(void **state)
{
	(void)state;
	select_page(&pap_x, 3, "Moi aussi", 404);
	select_page(&analyste, 1, "Moi aussi", 404);
	select_page(&comite_b, 1, "Moi aussi", 404);
	struct ts_resp r = {0};
	assert_int_equal(web_api(&srv, &comite_b, "POST", "/api/v1/stories/REC-1/select",
				 "{\"selected\":false}", &r),
			 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	/* The analyst reads both levels' choices. */
	expect_get(&srv, &analyste, "/api/v1/stories?selected=true", 200,
		   TEXTS("\"level\":\"organisation\"", "\"level\":\"territoire\"", WHY_TERR), NULL);
}

/* The manager cannot withdraw what the committee keeps; the committee
 * withdraws (with its reason), then the manager can; the history keeps
 * every change. */
static void test_withdrawal_order_and_history(void **state)
{
	(void)state;
	withdraw_page(&gest_x, 1, "", 422, TEXTS("Le comité du territoire a retenu ce récit"));
	struct ts_resp r = {0};
	assert_int_equal(web_api(&srv, &gest_x, "POST", "/api/v1/stories/REC-1/select",
				 "{\"selected\":false}", &r),
			 0);
	assert_status(&r, 422);
	assert_has(&r, "\"level\"");
	ts_resp_free(&r);
	withdraw_page(&comite_a, 1, "WHY-OUT plus représentatif ailleurs", 303, NULL);
	withdraw_page(&gest_x, 1, "", 303, NULL);
	expect_get(&srv, &gest_x, path_of(1, ""), 200,
		   TEXTS("Historique de la sélection", WHY_ORG, WHY_TERR,
			 "WHY-OUT plus représentatif ailleurs", "retiré", "Retenir ce récit"),
		   TEXTS("Retenu par le comité du territoire"));
	assert_int_equal(count_of("SELECT count(*) FROM story_selection_event e JOIN story t ON "
				  "t.id = e.story_id WHERE t.ext_id = 'REC-1'"),
			 4);
	assert_int_equal(count_of("SELECT count(*) FROM story_selection_event e JOIN story t ON "
				  "t.id = e.story_id WHERE t.ext_id = 'REC-1' AND e.selected = 0"),
			 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_level_selects_with_its_reason),
		cmocka_unit_test(test_no_selection_without_reading),
		cmocka_unit_test(test_roles_without_a_level_are_refused),
		cmocka_unit_test(test_withdrawal_order_and_history),
	};
	return cmocka_run_group_tests(tests, group_setup, web_suite_teardown);
}
