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
	*state = &srv; /* for web_suite_teardown */
	return web_suite_setup(&srv, NOW, FIXTURE, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
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
	char loc[1100];
	post_redirect(&srv, &comite_a, "/corridors/nouveau", kv, loc, sizeof(loc));
	assert_non_null(strstr(loc, "?ok=cree"));
	*strchr(loc, '?') = '\0';
	snprintf(corridor_path, sizeof(corridor_path), "%s", loc);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM corridor_field"), 2);

	expect_get(&srv, &comite_a, corridor_path, 200,
		   TEXTS("<h1>Familles nouvellement arrivées</h1>",
			 "class=\"printable corridor-sheet\"", "Maison des familles",
			 "10 jours (P2)", "Interprète requis", "Motif de la référence", "Espagnol",
			 "Population immigrante", "/modifier\">Modifier</a>"),
		   NULL);

	/* The print stylesheet hides the navigation. */
	expect_get(&srv, &comite_a, "/static/style.css", 200, TEXTS("@media print", ".no-print"),
		   NULL);
}

/* The delay's hint lists the ministry's priorities from the model's table,
 * each with its unit, in French and in English. */
static void test_priority_hint(void **state)
{
	(void)state;
	expect_get(&srv, &comite_a, "/corridors/nouveau?territoire=T-A", 200,
		   TEXTS("ministère : P1 = 2 jours, P2 = 10 jours, P3 = 30 jours, P4 = 90 jours. "
			 "Pour un autre délai"),
		   NULL);
	expect_get(&srv, &comite_a, "/corridors/nouveau?territoire=T-A&lang=en", 200,
		   TEXTS("priorities: P1 = 2 days, P2 = 10 days, P3 = 30 days, P4 = 90 days. "
			 "For another delay"),
		   TEXTS("jours"));
}

/* A form error names the field and keeps what was typed; nothing is written. */
static void test_form_error_keeps_values(void **state)
{
	(void)state;
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
	expect_post(&srv, &comite_a, "/corridors/nouveau", kv, 422,
		    TEXTS("Le nom du corridor est obligatoire.", "href=\"#f-target-days\"",
			  "value=\"deux\"", "<option value=\"CPE-A\" selected>",
			  "value=\"2026-05-01\""),
		    NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM corridor"), 1);
}

/* A PAP of A reads the corridor but cannot create or edit one. */
static void test_pap_reads_only(void **state)
{
	(void)state;
	expect_get(&srv, &pap_a, "/corridors", 200, TEXTS("Familles nouvellement arrivées"),
		   TEXTS("/corridors/nouveau"));
	expect_get(&srv, &pap_a, corridor_path, 200, TEXTS("Familles nouvellement arrivées"),
		   TEXTS("/modifier\">Modifier</a>"));
	expect_get(&srv, &pap_a, "/corridors/nouveau", 403, NULL, NULL);
	const char *kv[] = {"territoire",         "T-A",    "name", "Par une PAP",
			    "entry_organisation", "CLSC-A", NULL};
	expect_post(&srv, &pap_a, "/corridors/nouveau", kv, 403, NULL, NULL);
	char path[1200];
	snprintf(path, sizeof(path), "%s/modifier", corridor_path);
	expect_get(&srv, &pap_a, path, 403, NULL, NULL);
	const char *kv2[] = {"name", "Renommé par une PAP", "entry_organisation", "CLSC-A", NULL};
	expect_post(&srv, &pap_a, path, kv2, 403, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM corridor WHERE name = "
					       "'Familles nouvellement arrivées'"),
			 1);
	/* The API says the same. */
	expect_get(&srv, &pap_a, "/api/v1/corridors?territory=T-A", 200,
		   TEXTS("\"template_fields\":[\"interprete_requis\",\"motif\"]",
			 "\"target_priority\":\"P2\""),
		   NULL);
}

/* The committee of B sees nothing of A's corridor: 404 everywhere. */
static void test_other_committee_gets_404(void **state)
{
	(void)state;
	char path[1200];
	expect_get(&srv, &comite_b, corridor_path, 404, NULL, NULL);
	snprintf(path, sizeof(path), "%s/modifier", corridor_path);
	expect_get(&srv, &comite_b, path, 404, NULL, NULL);
	const char *kv[] = {"name", "Détourné", "entry_organisation", "ORG-B", NULL};
	expect_post(&srv, &comite_b, path, kv, 404, NULL, NULL);
	expect_get(&srv, &comite_b, "/corridors?territoire=T-A", 404, NULL, NULL);
	expect_get(&srv, &comite_b, "/corridors", 200, NULL,
		   TEXTS("Familles nouvellement arrivées"));
	expect_get(&srv, &comite_b, "/repertoire/chevauchements?territoire=T-A", 404, NULL, NULL);
	assert_int_equal(
		web_sql_count(srv.db, "SELECT count(*) FROM corridor WHERE name = 'Détourné'"), 0);
}

/* The committee of A edits its corridor. */
static void test_committee_edits(void **state)
{
	(void)state;
	char path[1200];
	snprintf(path, sizeof(path), "%s/modifier", corridor_path);
	expect_get(&srv, &comite_a, path, 200,
		   TEXTS("value=\"Familles nouvellement arrivées\"", "value=\"P2\" checked"), NULL);
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
	expect_post(&srv, &comite_a, path, kv, 303, NULL, NULL);
	expect_get(&srv, &comite_a, corridor_path, 200,
		   TEXTS("CLSC du Parc", "5 jours",
			 /* The entry point's worker and contact, from the directory. */
			 "<li><strong>Julie Roy</strong> : 514 555-0101</li>"),
		   TEXTS("Interprète requis"));
}

/* The overlap matrix of the fixture: 1 pair of 3, in a real table. */
static void test_overlap_page(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	expect_get(&srv, &comite_a, "/repertoire/chevauchements?du=2026-01-01&au=2026-06-30", 200,
		   TEXTS("<strong>33,3 %</strong>", "<strong>1</strong> sur <strong>3</strong>",
			 "<table class=\"data matrix\">", "<th scope=\"colgroup\"",
			 "<th scope=\"col\">CLSC du Parc (POS-1)</th>",
			 "<th scope=\"row\">Maison des familles (POS-2)",
			 "<strong>1</strong></a></td>",
			 "Familles avec enfants de 0 à 5 ans × Accompagnement"),
		   NULL);
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
	/* Sectors by their English names, in the matrix and in the pairs. */
	assert_has(&r, "Health and Social Services</th>");
	assert_has(&r, "Community ↔ Health and Social Services");
	assert_lacks(&r, "Santé et Services sociaux");
	assert_lacks(&r, "Communautaire");
	ts_resp_free(&r);
	/* The API gives the same numbers. */
	expect_get(&srv, &pap_a,
		   "/api/v1/directory/overlaps?territory=T-A&from=2026-01-01&to=2026-06-30", 200,
		   TEXTS("\"value\":33.3", "\"numerator\":1,\"denominator\":3"), NULL);
}

/* The directory and who to call, read by a PAP. */
static void test_directory_and_search(void **state)
{
	(void)state;
	expect_get(&srv, &pap_a, "/repertoire", 200,
		   TEXTS("Julie Roy", "514 555-0101",
			 "Conforme au cadre de référence (3 composantes)",
			 "manque : Accompagnement, Collaboration"),
		   NULL);
	expect_get(&srv, &pap_a, "/repertoire/qui-appeler?q=isol%C3%A9es", 200, TEXTS("Julie Roy"),
		   TEXTS("Karim Benali"));
	expect_get(&srv, &pap_a, "/api/v1/directory?territory=T-A", 200,
		   TEXTS("\"meets_framework\":true"), NULL);
}

/* The HSDS data package: one ZIP for the roles that see the directory,
 * with the territory's services and never a worker's name; another
 * territory's committee gets nothing. */
static void test_hsds_download(void **state)
{
	(void)state;
	expect_get(&srv, &pap_a, "/repertoire", 200,
		   TEXTS("href=\"/repertoire/hsds?territoire=T-A\""), NULL);
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &pap_a, "/repertoire/hsds?territoire=T-A", &r), 0);
	assert_status(&r, 200);
	char v[256];
	assert_non_null(ts_header(&r, "Content-Type", v, sizeof(v)));
	assert_int_equal(strncmp(v, "application/zip", 15), 0);
	assert_non_null(ts_header(&r, "Content-Disposition", v, sizeof(v)));
	assert_string_equal(v, "attachment; filename=\"hsds-T-A-2026-11-25.zip\"");
	assert_true(r.body.len > 22);
	assert_memory_equal(r.body.data, "PK\3\4", 4);
	const char *names[] = {"hsds-T-A-2026-11-25/datapackage.json",
			       "organizations.csv",
			       "services.csv",
			       "position-POS-1",
			       "CLSC du Parc",
			       "514 555-0101"};
	for (size_t i = 0; i < WEB_COUNT(names); i++)
		if (!memmem(r.body.data, r.body.len, names[i], strlen(names[i])))
			fail_msg("the package lacks %s", names[i]);
	const char *never[] = {"Julie Roy", "Carrefour B"};
	for (size_t i = 0; i < WEB_COUNT(never); i++)
		if (memmem(r.body.data, r.body.len, never[i], strlen(never[i])))
			fail_msg("the package holds %s", never[i]);
	ts_resp_free(&r);
	expect_get(&srv, &comite_b, "/repertoire/hsds?territoire=T-A", 404, NULL, NULL);
	/* The same package from the command line; an unknown territory is a
	 * usage error naming it. */
	char zip[700], out[512], err[512];
	snprintf(zip, sizeof(zip), "%s/a.zip", srv.dir);
	const char *cmd[] = {"hsds", "--db", srv.db, "--date", "2026-11-25", "T-A", zip, NULL};
	assert_int_equal(ts_run(cmd, 30000, out, sizeof(out), err, sizeof(err)), 0);
	FILE *f = fopen(zip, "rb");
	assert_non_null(f);
	char head[4] = {0};
	assert_int_equal(fread(head, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(head, "PK\3\4", 4);
	const char *bad[] = {"hsds", "--db", srv.db, "T-Z", zip, NULL};
	assert_int_equal(ts_run(bad, 30000, out, sizeof(out), err, sizeof(err)), 2);
	assert_non_null(strstr(err, "T-Z"));
}

/* The API: the committee creates and replaces; the rules are the pages'. */
static void test_api_writes(void **state)
{
	(void)state;
	const char *body =
		"{\"id\":\"COR-API\",\"territory\":\"T-A\",\"name\":\"Aînés isolés\","
		"\"population\":\"aines\",\"entry_organisation\":\"CPE-A\","
		"\"target_days\":30,\"template_fields\":[\"motif\",\"transport_requis\"]}";
	expect_api(&srv, &comite_a, "POST", "/api/v1/corridors", body, 201,
		   TEXTS("\"target_priority\":\"P3\""), NULL);
	expect_api(&srv, &comite_a, "POST", "/api/v1/corridors", body, 409, NULL, NULL);
	expect_api(&srv, &comite_a, "POST", "/api/v1/corridors",
		   "{\"territory\":\"T-A\",\"name\":\"X\",\"entry_organisation\":\"ORG-B\","
		   "\"template_fields\":[\"pointure\"]}",
		   422, TEXTS("\"field\":\"entry_organisation\"", "\"field\":\"template_fields\""),
		   NULL);
	const char *put = "{\"name\":\"Aînés isolés\",\"entry_organisation\":\"CPE-A\","
			  "\"target_priority\":\"P4\"}";
	expect_api(&srv, &pap_a, "PUT", "/api/v1/corridors/COR-API", put, 403, NULL, NULL);
	expect_api(&srv, &comite_b, "PUT", "/api/v1/corridors/COR-API", put, 404, NULL, NULL);
	expect_api(&srv, &comite_a, "PUT", "/api/v1/corridors/COR-API", put, 200,
		   TEXTS("\"target_days\":90", "\"template_fields\":[]"), NULL);
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM corridor WHERE ext_id = 'COR-API'"
				       " AND target_days = 90"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_committee_creates_corridor),
		cmocka_unit_test(test_priority_hint),
		cmocka_unit_test(test_form_error_keeps_values),
		cmocka_unit_test(test_pap_reads_only),
		cmocka_unit_test(test_other_committee_gets_404),
		cmocka_unit_test(test_committee_edits),
		cmocka_unit_test(test_overlap_page),
		cmocka_unit_test(test_directory_and_search),
		cmocka_unit_test(test_hsds_download),
		cmocka_unit_test(test_api_writes),
	};
	return cmocka_run_group_tests(tests, group_setup, web_suite_teardown);
}
