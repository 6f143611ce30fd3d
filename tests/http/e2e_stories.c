/* End-to-end tests of stories, service gaps and the presentation of
 * mandate against a real "proxima serve": a PAP writes a story from an
 * activity; a manager selects it (a reason is required); a committee of
 * another territory sees nothing of it, the committee of its territory sees
 * it (quotable); a presentation of mandate without a partner organisation
 * is refused with a field error; a service gap reaches the committee of its
 * territory without its description.
 *
 * Setup as in e2e_journal.c: "proxima init", a few rows with the sqlite3
 * C API, accounts with "proxima user add", a fixed clock. */
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
#define TODAY "2026-11-25"
#define MONDAY "2026-11-23"
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;

static struct web_browser pap, gest, comite_a, comite_b;
static long long activity_id;
static long long story_id;

/* The accounts, signed in once the server is up. */
static const struct web_account ACCOUNTS[] = {
	{&pap, "pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
	{&gest, "gest@a.test", "Nadia Gagnon", "gestionnaire", "ORG-A", "T-A"},
	{&comite_a, "comite@a.test", "Comité A", "comite", NULL, "T-A"},
	{&comite_b, "comite@b.test", "Comité B", "comite", NULL, "T-B"},
};

static int group_setup(void **state)
{
	*state = &srv; /* for web_suite_teardown */
	return web_suite_setup(&srv, NOW, WEB_FIXTURE_TWO_TERRITORIES, ACCOUNTS,
			       WEB_COUNT(ACCOUNTS), PASSWORD);
}

/* The number after prefix in the Location of a redirect. */
static long long location_id(const struct ts_resp *r, const char *prefix)
{
	char v[1024];
	if (!ts_header(r, "Location", v, sizeof(v)))
		fail_msg("no Location (status %ld)", r->status);
	const char *p = strstr(v, prefix);
	if (!p)
		fail_msg("Location '%s' lacks '%s'", v, prefix);
	return strtoll(p + strlen(prefix), NULL, 10);
}

#define STORY_TEXT "Au parc, une mère isolée est venue au café-rencontre pour la première fois."

/* The PAP logs an activity, then writes a story from it. */
static void test_pap_writes_story_from_activity(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *act[] = {
		"type", "contact_informel", "place", "parc",       "duration_min",
		"30",   "counts.adults",    "1",     "strategies", "proximite_relationnelle",
		NULL};
	assert_int_equal(web_post(&srv, &pap, "/journal/nouvelle", act, &r), 0);
	assert_status(&r, 303);
	activity_id = location_id(&r, "#a-");
	assert_true(activity_id > 0);
	ts_resp_free(&r);

	char path[128];
	snprintf(path, sizeof(path), "/recits/nouveau?activite=%lld", activity_id);
	assert_int_equal(web_get(&srv, &pap, path, &r), 0);
	assert_status(&r, 200);
	char hidden[128];
	snprintf(hidden, sizeof(hidden), "name=\"activity\" value=\"%lld\"", activity_id);
	assert_has(&r, hidden);
	/* The activity's strategy is already ticked. */
	assert_has(&r, "value=\"proximite_relationnelle\" checked");
	ts_resp_free(&r);

	char id[32];
	snprintf(id, sizeof(id), "%lld", activity_id);
	/* An empty text is refused, with the field named, values kept. */
	const char *empty[] = {"activity", id,         "date",           TODAY, "text",
			       "",         "outcomes", "lien_confiance", NULL};
	expect_post(&srv, &pap, "/recits/nouveau", empty, 422,
		    TEXTS("id=\"e-f-text\"", "value=\"lien_confiance\" checked"), NULL);

	const char *kv[] = {"activity",
			    id,
			    "date",
			    TODAY,
			    "text",
			    STORY_TEXT,
			    "strategies",
			    "proximite_relationnelle",
			    "outcomes",
			    "lien_confiance",
			    "consent_quote",
			    "1",
			    NULL};
	assert_int_equal(web_post(&srv, &pap, "/recits/nouveau", kv, &r), 0);
	assert_status(&r, 303);
	story_id = location_id(&r, "/recits/");
	assert_true(story_id > 0);
	ts_resp_free(&r);
	snprintf(path, sizeof(path), "/recits/%lld", story_id);
	expect_get(&srv, &pap, path, 200, TEXTS("une mère isolée", "Lien de confiance"), NULL);
	expect_get(&srv, &pap, "/recits", 200, TEXTS("une mère isolée"), NULL);
}

/* The manager selects it: the reason is required. */
static void test_manager_selects_with_reason(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char path[128];
	snprintf(path, sizeof(path), "/recits/%lld/selection", story_id);
	const char *none[] = {"action", "retenir", "selection_reason", " ", NULL};
	assert_int_equal(web_post(&srv, &gest, path, none, &r), 0);
	assert_status(&r, 422);
	assert_has(&r, "Dites pourquoi ce récit est le plus significatif.");
	ts_resp_free(&r);
	/* The PAP may not select (404, as if absent). */
	const char *why[] = {"action", "retenir", "selection_reason",
			     "Le premier pas d'une famille isolée.", NULL};
	assert_int_equal(web_post(&srv, &pap, path, why, &r), 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	assert_int_equal(web_post(&srv, &gest, path, why, &r), 0);
	assert_status(&r, 303);
	ts_resp_free(&r);
	snprintf(path, sizeof(path), "/recits/%lld", story_id);
	assert_int_equal(web_get(&srv, &gest, path, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Retenu par l&#39;organisation");
	assert_has(&r, "Le premier pas d&#39;une famille isolée.");
	assert_has(&r, "Retirer de la sélection");
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &gest, "/recits/selection", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "une mère isolée");
	ts_resp_free(&r);
}

/* The committee of another territory sees nothing of it, in pages or API;
 * the committee of its territory reads it (quotable), without the author. */
static void test_other_committee_sees_nothing(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char path[128];
	snprintf(path, sizeof(path), "/recits/%lld", story_id);
	expect_get(&srv, &comite_b, path, 404, NULL, TEXTS("mère isolée"));
	assert_int_equal(web_get(&srv, &comite_b, "/recits", &r), 0);
	assert_status(&r, 200);
	assert_lacks(&r, "mère isolée");
	assert_has(&r, "Aucun récit.");
	ts_resp_free(&r);
	expect_get(&srv, &comite_b, "/api/v1/stories", 200, TEXTS("\"items\":[]"), NULL);
	snprintf(path, sizeof(path), "/recits/%lld/selection", story_id);
	const char *kv[] = {"action", "retirer", NULL};
	expect_post(&srv, &comite_b, path, kv, 404, NULL, NULL);

	snprintf(path, sizeof(path), "/recits/%lld", story_id);
	expect_get(&srv, &comite_a, path, 200, TEXTS("une mère isolée"), TEXTS("Marie Tremblay"));
}

/* A presentation of mandate without a partner organisation is refused,
 * the error next to the "presented to" select; with one it is saved. */
static void test_presentation_needs_partner(void **state)
{
	(void)state;
	expect_get(&srv, &pap, "/journal/nouvelle", 200,
		   TEXTS("Organisation à qui le mandat est présenté"), NULL);
	const char *kv[] = {"type", "presentation_mandat", "duration_min", "60", NULL};
	expect_post(&srv, &pap, "/journal/nouvelle", kv, 422,
		    TEXTS("id=\"e-f-partners\"", "à qui le mandat est présenté.</p>",
			  "name=\"type\" value=\"presentation_mandat\" checked"),
		    NULL);
	const char *ok[] = {"type", "presentation_mandat", "duration_min", "60", "partners", "2",
			    NULL};
	expect_post(&srv, &pap, "/journal/nouvelle", ok, 303, NULL, NULL);
	/* The same on the indirect-time form (preparing a presentation). */
	const char *ind[] = {"type", "presentation_mandat", "indirect.preparation", "30", NULL};
	expect_post(&srv, &pap, "/journal/indirect", ind, 422, TEXTS("id=\"e-f-partners\""), NULL);
	const char *ind_ok[] = {
		"type", "presentation_mandat", "indirect.preparation", "30", "partners", "2", NULL};
	expect_post(&srv, &pap, "/journal/indirect", ind_ok, 303, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM activity a JOIN activity_partner "
				       "p ON p.activity_id = a.id WHERE a.type = "
				       "'presentation_mandat' AND p.organisation_id = 2"),
			 2);
}

/* A service gap reaches the committee of its territory, grouped by need,
 * without its description; the other committee does not see it. */
static void test_service_gap(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *kv[] = {"date",        TODAY,
			    "need",        "transport",
			    "population",  "familles_0_5",
			    "frequency",   "hebdomadaire",
			    "description", "Aucun autobus le soir vers le CLSC.",
			    NULL};
	expect_post(&srv, &pap, "/trous/nouveau", kv, 303, NULL, NULL);
	expect_get(&srv, &pap, "/trous", 0, TEXTS("Aucun autobus le soir"), NULL);
	assert_int_equal(web_get(&srv, &comite_a, "/trous", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Transport");
	assert_has(&r, "Familles avec enfants de 0 à 5 ans : 1");
	assert_lacks(&r, "Aucun autobus le soir");
	assert_has(&r, "/lier\"");
	ts_resp_free(&r);
	expect_get(&srv, &comite_b, "/trous", 200, NULL, TEXTS("Transport"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pap_writes_story_from_activity),
		cmocka_unit_test(test_manager_selects_with_reason),
		cmocka_unit_test(test_other_committee_sees_nothing),
		cmocka_unit_test(test_presentation_needs_partner),
		cmocka_unit_test(test_service_gap),
	};
	return cmocka_run_group_tests_name("e2e_stories", tests, group_setup, web_suite_teardown);
}
