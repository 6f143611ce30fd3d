/* End-to-end tests of the corridor and directory pages against a real
 * "proxima serve": the committee of territory A creates a corridor and
 * reads its printable page; a PAP of A reads it but can neither create nor
 * edit; the committee of territory B gets 404s on A's corridor; a form
 * error names its field and keeps what was typed; the overlap page shows
 * the rate of a small fixture with its numerator and denominator in a
 * real table; the JSON API answers the same rules.
 *
 * Fixture (territory A): three positions of three sectors, all filled
 * since 2026-01-01:
 *   POS-1 CLSC (MSSS): (familles_0_5, accompagnement), (familles_isolees, demarchage)
 *   POS-2 Maison (COMM): (familles_0_5, accompagnement)
 *   POS-3 CPE (MFA): (aines, contact_informel)
 * Pairs of different sectors: 3; sharing: POS-1/POS-2 → 1/3 = 33,3 %. */
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

static struct ts_server srv;

static struct web_browser comite_a, comite_b, pap_a;
static char corridor_path[1100]; /* "/corridors/N" of the corridor created */

/* The rows the tests start from. */
static const char FIXTURE[] =
	"INSERT INTO territory (id, ext_id, name, type) VALUES "
	"(1, 'T-A', 'Territoire A', 'urbain'), (2, 'T-B', 'Territoire B', 'rural');"
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "
	"(1, 'CLSC-A', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
	"(2, 'MAISON-A', 'Maison des familles', (SELECT id FROM sector WHERE ext_id = "
	"'COMM')),"
	"(3, 'CPE-A', 'CPE Les Lucioles', (SELECT id FROM sector WHERE ext_id = 'MFA')),"
	"(4, 'ORG-B', 'Carrefour B', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
	"INSERT INTO organisation_territory VALUES (1, 1), (2, 1), (3, 1), (4, 2);"
	"INSERT INTO portrait (ext_id, territory_id, indicator, label, value, unit) VALUES "
	"('A-imm', 1, 'immigrants', 'Population immigrante', 31.5, '%');"
	"INSERT INTO person (id, ext_id, name, role, organisation_id) VALUES "
	"(101, 'w1', 'Julie Roy', 'pap', 1), (102, 'w2', 'Karim Benali', 'pap', 2),"
	"(103, 'w3', 'Léa Martin', 'pap', 3);"
	"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date, "
	"contact) "
	"VALUES (1, 'POS-1', 1, 1, '2026-01-01', '514 555-0101'),"
	"(2, 'POS-2', 2, 1, '2026-01-01', NULL), (3, 'POS-3', 3, 1, '2026-01-01', NULL);"
	"INSERT INTO position_holder (position_id, person_id, from_date) VALUES "
	"(1, 101, '2026-01-01'), (2, 102, '2026-01-01'), (3, 103, '2026-01-01');"
	"INSERT INTO mandate_component VALUES (1, 'demarchage'), (1, 'accompagnement'),"
	"(1, 'collaboration'), (2, 'demarchage'), (3, 'collaboration');"
	"INSERT INTO mandate_item VALUES (1, 'familles_0_5', 'accompagnement'),"
	"(1, 'familles_isolees', 'demarchage'), (2, 'familles_0_5', 'accompagnement'),"
	"(3, 'aines', 'contact_informel');";

/* The accounts, signed in once the server is up. */
static const struct web_account ACCOUNTS[] = {
	{&comite_a, "comite@a.test", "Comité A", "comite", NULL, "T-A"},
	{&comite_b, "comite@b.test", "Comité B", "comite", NULL, "T-B"},
	{&pap_a, "pap@a.test", "Marie Tremblay", "pap", "CLSC-A", "T-A"},
};

static int group_setup(void **state)
{
	(void)state;
	return web_suite_setup(&srv, NOW, FIXTURE, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

static int group_teardown(void **state)
{
	(void)state;
	return web_suite_stop(&srv) == 0 ? 0 : -1;
}

/* The committee of A creates a corridor, then reads its printable page. */
static void test_committee_creates_corridor(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &comite_a, "/corridors/nouveau?territoire=T-A", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "<h1>Nouveau corridor</h1>");
	assert_has(&r, "name=\"csrf_token\"");
	assert_has(&r, "<option value=\"MAISON-A\">");
	assert_lacks(&r, "ORG-B"); /* not on territory A */
	assert_has(&r, "value=\"interprete_requis\"");
	assert_has(&r, "value=\"immigrants\""); /* the portrait of A */
	ts_resp_free(&r);

	const char *kv[] = {"territoire",
			    "T-A",
			    "name",
			    "Familles nouvellement arrivées",
			    "population",
			    "familles_immigrantes",
			    "need",
			    "immigration_statut",
			    "entry_organisation",
			    "MAISON-A",
			    "target_priority",
			    "P2",
			    "consent_languages",
			    "fr",
			    "consent_languages",
			    "es",
			    "template_fields",
			    "motif",
			    "template_fields",
			    "interprete_requis",
			    "portrait_indicators",
			    "immigrants",
			    "active_from",
			    "2026-01-01",
			    NULL};
	assert_int_equal(web_post(&srv, &comite_a, "/corridors/nouveau", kv, &r), 0);
	assert_status(&r, 303);
	char loc[1100];
	location(&r, loc, sizeof(loc));
	assert_non_null(strstr(loc, "?ok=cree"));
	ts_resp_free(&r);
	*strchr(loc, '?') = '\0';
	snprintf(corridor_path, sizeof(corridor_path), "%s", loc);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM corridor_field"), 2);

	assert_int_equal(web_get(&srv, &comite_a, corridor_path, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "<h1>Familles nouvellement arrivées</h1>");
	assert_has(&r, "class=\"printable corridor-sheet\"");
	assert_has(&r, "Maison des familles");
	assert_has(&r, "10 jours (P2)");
	assert_has(&r, "Interprète requis");
	assert_has(&r, "Motif de la référence");
	assert_has(&r, "Espagnol");
	assert_has(&r, "Population immigrante");
	assert_has(&r, "/modifier\">Modifier</a>");
	ts_resp_free(&r);

	/* The print stylesheet hides the navigation. */
	assert_int_equal(web_get(&srv, &comite_a, "/static/style.css", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "@media print");
	assert_has(&r, ".no-print");
	ts_resp_free(&r);
}

/* A form error names the field and keeps what was typed; nothing is written. */
static void test_form_error_keeps_values(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *kv[] = {"territoire",
			    "T-A",
			    "name",
			    "",
			    "entry_organisation",
			    "CPE-A",
			    "target_priority",
			    "autre",
			    "target_days",
			    "deux",
			    "active_from",
			    "2026-05-01",
			    NULL};
	assert_int_equal(web_post(&srv, &comite_a, "/corridors/nouveau", kv, &r), 0);
	assert_status(&r, 422);
	assert_has(&r, "Le nom du corridor est obligatoire.");
	assert_has(&r, "href=\"#f-target-days\"");
	assert_has(&r, "value=\"deux\"");
	assert_has(&r, "<option value=\"CPE-A\" selected>");
	assert_has(&r, "value=\"2026-05-01\"");
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM corridor"), 1);
}

/* A PAP of A reads the corridor but cannot create or edit one. */
static void test_pap_reads_only(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &pap_a, "/corridors", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Familles nouvellement arrivées");
	assert_lacks(&r, "/corridors/nouveau");
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &pap_a, corridor_path, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Familles nouvellement arrivées");
	assert_lacks(&r, "/modifier\">Modifier</a>");
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &pap_a, "/corridors/nouveau", &r), 0);
	assert_status(&r, 403);
	ts_resp_free(&r);
	const char *kv[] = {"territoire",         "T-A",    "name", "Par une PAP",
			    "entry_organisation", "CLSC-A", NULL};
	assert_int_equal(web_post(&srv, &pap_a, "/corridors/nouveau", kv, &r), 0);
	assert_status(&r, 403);
	ts_resp_free(&r);
	char path[1200];
	snprintf(path, sizeof(path), "%s/modifier", corridor_path);
	assert_int_equal(web_get(&srv, &pap_a, path, &r), 0);
	assert_status(&r, 403);
	ts_resp_free(&r);
	const char *kv2[] = {"name", "Renommé par une PAP", "entry_organisation", "CLSC-A", NULL};
	assert_int_equal(web_post(&srv, &pap_a, path, kv2, &r), 0);
	assert_status(&r, 403);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM corridor WHERE name = "
					       "'Familles nouvellement arrivées'"),
			 1);
	/* The API says the same. */
	assert_int_equal(web_get(&srv, &pap_a, "/api/v1/corridors?territory=T-A", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "\"template_fields\":[\"interprete_requis\",\"motif\"]");
	assert_has(&r, "\"target_priority\":\"P2\"");
	ts_resp_free(&r);
}

/* The committee of B sees nothing of A's corridor: 404 everywhere. */
static void test_other_committee_gets_404(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char path[1200];
	assert_int_equal(web_get(&srv, &comite_b, corridor_path, &r), 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	snprintf(path, sizeof(path), "%s/modifier", corridor_path);
	assert_int_equal(web_get(&srv, &comite_b, path, &r), 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	const char *kv[] = {"name", "Détourné", "entry_organisation", "ORG-B", NULL};
	assert_int_equal(web_post(&srv, &comite_b, path, kv, &r), 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &comite_b, "/corridors?territoire=T-A", &r), 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &comite_b, "/corridors", &r), 0);
	assert_status(&r, 200);
	assert_lacks(&r, "Familles nouvellement arrivées");
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &comite_b, "/repertoire/chevauchements?territoire=T-A", &r),
			 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	assert_int_equal(
		web_sql_count(srv.db, "SELECT count(*) FROM corridor WHERE name = 'Détourné'"), 0);
}

/* The committee of A edits its corridor. */
static void test_committee_edits(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char path[1200];
	snprintf(path, sizeof(path), "%s/modifier", corridor_path);
	assert_int_equal(web_get(&srv, &comite_a, path, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "value=\"Familles nouvellement arrivées\"");
	assert_has(&r, "value=\"P2\" checked");
	ts_resp_free(&r);
	const char *kv[] = {"name",
			    "Familles nouvellement arrivées",
			    "entry_organisation",
			    "CLSC-A",
			    "target_priority",
			    "autre",
			    "target_days",
			    "5",
			    "template_fields",
			    "motif",
			    NULL};
	assert_int_equal(web_post(&srv, &comite_a, path, kv, &r), 0);
	assert_status(&r, 303);
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &comite_a, corridor_path, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "CLSC du Parc");
	assert_has(&r, "5 jours");
	/* The entry point's worker and contact, from the directory. */
	assert_has(&r, "<li><strong>Julie Roy</strong> : 514 555-0101</li>");
	assert_lacks(&r, "Interprète requis");
	ts_resp_free(&r);
}

/* The overlap matrix of the fixture: 1 pair of 3, in a real table. */
static void test_overlap_page(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &comite_a,
				 "/repertoire/chevauchements?du=2026-01-01&au=2026-06-30", &r),
			 0);
	assert_status(&r, 200);
	assert_has(&r, "<strong>33,3 %</strong>");
	assert_has(&r, "<strong>1</strong> sur <strong>3</strong>");
	assert_has(&r, "<table class=\"data matrix\">");
	assert_has(&r, "<th scope=\"colgroup\"");
	assert_has(&r, "<th scope=\"col\">CLSC du Parc (POS-1)</th>");
	assert_has(&r, "<th scope=\"row\">Maison des familles (POS-2)");
	assert_has(&r, "<strong>1</strong></a></td>");
	assert_has(&r, "Familles avec enfants de 0 à 5 ans × Accompagnement");
	ts_resp_free(&r);
	/* In English. */
	const char *h[] = {comite_a.cookie, "Accept-Language: en", NULL};
	assert_int_equal(
		ts_http(NULL, "GET",
			ts_url(&srv, "/repertoire/chevauchements?du=2026-01-01&au=2026-06-30"), h,
			NULL, 0, &r),
		0);
	assert_status(&r, 200);
	assert_has(&r, "<strong>33.3 %</strong>");
	assert_has(&r, "Overlap of mandates");
	ts_resp_free(&r);
	/* The API gives the same numbers. */
	assert_int_equal(
		web_get(&srv, &pap_a,
			"/api/v1/directory/overlaps?territory=T-A&from=2026-01-01&to=2026-06-30",
			&r),
		0);
	assert_status(&r, 200);
	assert_has(&r, "\"value\":33.3");
	assert_has(&r, "\"numerator\":1,\"denominator\":3");
	ts_resp_free(&r);
}

/* The directory and who to call, read by a PAP. */
static void test_directory_and_search(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &pap_a, "/repertoire", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Julie Roy");
	assert_has(&r, "514 555-0101");
	assert_has(&r, "Conforme au cadre de référence (3 composantes)");
	assert_has(&r, "manque : Accompagnement, Collaboration");
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &pap_a, "/repertoire/qui-appeler?q=isol%C3%A9es", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Julie Roy");
	assert_lacks(&r, "Karim Benali");
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &pap_a, "/api/v1/directory?territory=T-A", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "\"meets_framework\":true");
	ts_resp_free(&r);
}

/* The API: the committee creates and replaces; the rules are the pages'. */
static void test_api_writes(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *body =
		"{\"id\":\"COR-API\",\"territory\":\"T-A\",\"name\":\"Aînés isolés\","
		"\"population\":\"aines\",\"entry_organisation\":\"CPE-A\","
		"\"target_days\":30,\"template_fields\":[\"motif\",\"transport_requis\"]}";
	assert_int_equal(web_api(&srv, &comite_a, "POST", "/api/v1/corridors", body, &r), 0);
	assert_status(&r, 201);
	assert_has(&r, "\"target_priority\":\"P3\"");
	ts_resp_free(&r);
	assert_int_equal(web_api(&srv, &comite_a, "POST", "/api/v1/corridors", body, &r), 0);
	assert_status(&r, 409);
	ts_resp_free(&r);
	assert_int_equal(
		web_api(&srv, &comite_a, "POST", "/api/v1/corridors",
			"{\"territory\":\"T-A\",\"name\":\"X\",\"entry_organisation\":\"ORG-B\","
			"\"template_fields\":[\"pointure\"]}",
			&r),
		0);
	assert_status(&r, 422);
	assert_has(&r, "\"field\":\"entry_organisation\"");
	assert_has(&r, "\"field\":\"template_fields\"");
	ts_resp_free(&r);
	const char *put = "{\"name\":\"Aînés isolés\",\"entry_organisation\":\"CPE-A\","
			  "\"target_priority\":\"P4\"}";
	assert_int_equal(web_api(&srv, &pap_a, "PUT", "/api/v1/corridors/COR-API", put, &r), 0);
	assert_status(&r, 403);
	ts_resp_free(&r);
	assert_int_equal(web_api(&srv, &comite_b, "PUT", "/api/v1/corridors/COR-API", put, &r), 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	assert_int_equal(web_api(&srv, &comite_a, "PUT", "/api/v1/corridors/COR-API", put, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "\"target_days\":90");
	assert_has(&r, "\"template_fields\":[]");
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM corridor WHERE ext_id = 'COR-API'"
				       " AND target_days = 90"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_committee_creates_corridor),
		cmocka_unit_test(test_form_error_keeps_values),
		cmocka_unit_test(test_pap_reads_only),
		cmocka_unit_test(test_other_committee_gets_404),
		cmocka_unit_test(test_committee_edits),
		cmocka_unit_test(test_overlap_page),
		cmocka_unit_test(test_directory_and_search),
		cmocka_unit_test(test_api_writes),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
