/* End-to-end tests of the committee maintaining its territory (issue 13,
 * domain.md workflow 4) against a real "proxima serve": the committee of
 * territory A keeps A's portrait as a series of values as entered (6.01
 * stays 6.01), for A and the territories under it, never for B; it opens
 * positions on A for organisations that serve A and keeps their mandate;
 * the committee of B, the workers, the manager, the analyst and the admin
 * do not reach these pages (404). */
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
static struct web_browser comite_a, comite_b, papx, gestx, analyste, admin;
static long long position_id;

static const char FIXTURE[] =
	"INSERT INTO territory (id, ext_id, name, type, parent_id) VALUES "
	"(1, 'T-A', 'Territoire A', 'urbain', NULL), (2, 'T-B', 'Territoire B', 'rural', NULL),"
	"(3, 'T-A1', 'Quartier du Parc', 'urbain', 1);"
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "
	"(1, 'ORG-X', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
	"(2, 'ORG-Y', 'Maison de la famille', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
	"INSERT INTO organisation_territory VALUES (1, 1), (2, 2);";

static const struct web_account ACCOUNTS[] = {
	{&comite_a, "comite@a.test", "Comité A", "comite", NULL, "T-A"},
	{&comite_b, "comite@b.test", "Comité B", "comite", NULL, "T-B"},
	{&papx, "pap@x.test", "Julie Roy", "pap", "ORG-X", "T-A"},
	{&gestx, "gest@x.test", "Nadia Gagnon", "gestionnaire", "ORG-X", "T-A"},
	{&analyste, "analyste@t.test", "Analyste", "analyste", NULL, NULL},
	{&admin, "admin@t.test", "Admin", "admin", NULL, NULL},
};

static int group_setup(void **state)
{
	*state = &srv;
	return web_suite_setup(&srv, NOW, FIXTURE, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

static void add_value(struct web_browser *b, const char *territory, const char *value,
		      const char *end, long status, const char *const *has)
{
	const char *kv[] = {"territory",
			    territory,
			    "indicator",
			    "taux_faible_revenu",
			    "label",
			    "Familles à faible revenu",
			    "value",
			    value,
			    "unit",
			    "%",
			    "period_start",
			    "2021-01-01",
			    "period_end",
			    end,
			    "source",
			    "Recensement 2021",
			    NULL};
	expect_post(&srv, b, "/territoire/portrait", kv, status, has, NULL);
}

static void test_only_the_committee(void **state)
{
	(void)state;
	struct web_browser *others[] = {&papx, &gestx, &analyste, &admin};
	for (size_t i = 0; i < WEB_COUNT(others); i++) {
		expect_get(&srv, others[i], "/territoire", 404, NULL, NULL);
		expect_get(&srv, others[i], "/territoire/postes/nouveau", 404, NULL, NULL);
		add_value(others[i], "1", "6.01", "2021-12-31", 404, NULL);
		expect_get(&srv, others[i], "/menu", 200, NULL,
			   TEXTS("Portrait et postes du territoire"));
	}
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM portrait"), 0);
	expect_get(&srv, &comite_a, "/menu", 200, TEXTS("Portrait et postes du territoire"), NULL);
	expect_get(&srv, &comite_a, "/territoire", 200,
		   TEXTS("Territoire A", "Quartier du Parc", "Aucune valeur au portrait"),
		   TEXTS("Territoire B"));
}

static void test_portrait_series_as_entered(void **state)
{
	(void)state;
	add_value(&comite_a, "1", "6.01", "2021-12-31", 303, NULL);
	add_value(&comite_a, "1", "19,64", "2022-12-31", 303, NULL);
	add_value(&comite_a, "3", "12.5", "2022-12-31", 303, NULL);
	/* The same indicator and period again: refused, the series keeps
	 * each value as it was entered. */
	add_value(&comite_a, "1", "7", "2022-12-31", 422,
		  TEXTS("Cet indicateur a déjà une valeur pour cette période"));
	add_value(&comite_a, "1", "6,0,1", "", 422,
		  TEXTS("href=\"#f-value\"", "href=\"#f-period-end\"", "value=\"6,0,1\""));
	add_value(&comite_a, "2", "3.3", "2021-12-31", 422,
		  TEXTS("Choisissez un territoire que votre comité suit."));
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM portrait"), 3);
	expect_get(&srv, &comite_a, "/territoire", 200,
		   TEXTS("6,01 %", "19,64 %", "12,5 %", "Quartier du Parc", "Recensement 2021"),
		   TEXTS("6,0099"));
	expect_get(&srv, &comite_a, "/territoire?lang=en", 200, TEXTS("6.01 %", "19.64 %"), NULL);
	expect_get(&srv, &comite_b, "/territoire", 200, TEXTS("Aucune valeur au portrait"),
		   TEXTS("6,01 %", "Familles à faible revenu"));
}

/* A portrait indicator's label in English (issue 16): given with the
 * value, it is what the portrait page and the territory's dashboard show
 * in English; French stays French. */
static void test_portrait_label_in_english(void **state)
{
	(void)state;
	const char *kv[] = {"territory",  "1",
			    "indicator",  "taux_chomage",
			    "label",      "Taux de chômage",
			    "label_en",   "Unemployment rate",
			    "value",      "7.5",
			    "unit",       "%",
			    "period_end", "2022-12-31",
			    NULL};
	expect_post(&srv, &comite_a, "/territoire/portrait", kv, 303, NULL, NULL);
	expect_get(&srv, &comite_a, "/territoire?lang=en", 200, TEXTS("Unemployment rate"),
		   TEXTS("Taux de chômage"));
	expect_get(&srv, &comite_a, "/territoire", 200, TEXTS("Taux de chômage"),
		   TEXTS("Unemployment rate"));
	expect_get(&srv, &comite_a, "/tableaux/territoire?territoire=T-A&lang=en", 200,
		   TEXTS("Unemployment rate"), TEXTS("Taux de chômage"));
	/* Without an English label, the label as entered. */
	expect_get(&srv, &comite_a, "/territoire?lang=en", 200, TEXTS("Familles à faible revenu"),
		   NULL);
}

static void test_positions_of_the_territory(void **state)
{
	(void)state;
	expect_get(&srv, &comite_a, "/territoire/postes/nouveau", 200, TEXTS("CLSC du Parc"),
		   TEXTS("Maison de la famille"));
	const char *other_org[] = {"organisation", "2",          "territory", "1",
				   "start",        "2026-11-01", NULL};
	expect_post(&srv, &comite_a, "/territoire/postes/nouveau", other_org, 422,
		    TEXTS("Cette organisation ne dessert pas ce territoire"), NULL);
	const char *other_terr[] = {"organisation", "1",          "territory", "2",
				    "start",        "2026-11-01", NULL};
	expect_post(&srv, &comite_a, "/territoire/postes/nouveau", other_terr, 422,
		    TEXTS("Choisissez un territoire que votre comité suit."), NULL);
	const char *kv[] = {"organisation",
			    "1",
			    "territory",
			    "1",
			    "start",
			    "2026-11-01",
			    "contact",
			    "accueil@clsc.test",
			    "components",
			    "demarchage",
			    "item0.population",
			    "familles_0_5",
			    "item0.activity",
			    "demarchage",
			    NULL};
	expect_post(&srv, &comite_a, "/territoire/postes/nouveau", kv, 303, NULL, NULL);
	position_id = web_sql_count(srv.db, "SELECT max(id) FROM position");
	assert_true(position_id > 0);
	char path[64];
	snprintf(path, sizeof(path), "/territoire/postes/%lld", position_id);
	expect_get(&srv, &comite_a, "/territoire", 200,
		   TEXTS("CLSC du Parc — Territoire A", "Poste vacant"), NULL);
	const char *mandate[] = {"contact",
				 "accueil@clsc.test",
				 "components",
				 "demarchage",
				 "components",
				 "accompagnement",
				 "components",
				 "collaboration",
				 "item0.population",
				 "familles_0_5",
				 "item0.activity",
				 "demarchage",
				 "item1.population",
				 "familles_immigrantes",
				 "item1.activity",
				 "accompagnement",
				 "item2.population",
				 "aines",
				 NULL};
	expect_post(&srv, &comite_a, path, mandate, 422,
		    TEXTS("Chaque élément du mandat a une population et un type d&#39;activité."),
		    NULL);
	mandate[16] = NULL; /* without the half item */
	expect_post(&srv, &comite_a, path, mandate, 303, NULL, NULL);
	char q[128];
	snprintf(q, sizeof(q), "SELECT count(*) FROM mandate_item WHERE position_id = %lld",
		 position_id);
	assert_int_equal(web_sql_count(srv.db, q), 2);
	snprintf(q, sizeof(q), "SELECT count(*) FROM mandate_component WHERE position_id = %lld",
		 position_id);
	assert_int_equal(web_sql_count(srv.db, q), 3);
	/* The directory shows the mandate that meets the framework. */
	expect_get(&srv, &comite_a, "/repertoire", 200, TEXTS("CLSC du Parc"), NULL);
	/* Another committee does not see or touch it; the manager of X still
	 * manages it among the organisation's positions. */
	expect_get(&srv, &comite_b, path, 404, NULL, NULL);
	const char *wipe[] = {"contact", "pirate", NULL};
	expect_post(&srv, &comite_b, path, wipe, 404, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, q), 3);
	expect_get(&srv, &gestx, "/equipe/postes", 200, TEXTS("CLSC du Parc — Territoire A"), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_the_committee),
		cmocka_unit_test(test_portrait_series_as_entered),
		cmocka_unit_test(test_portrait_label_in_english),
		cmocka_unit_test(test_positions_of_the_territory),
	};
	return cmocka_run_group_tests_name("e2e_territory", tests, group_setup, web_suite_teardown);
}
