/* End-to-end tests of the indicator engine's two doors: GET
 * /api/v1/indicators against a real "proxima serve" (the view follows the
 * role: comite gets the interchange shape with suppressed nulls, the
 * gestionnaire its organisation unsuppressed, a PAP 404, complet refused)
 * and "proxima report" on the command line (formats, usage errors with
 * exit 2, no canary in a comite CSV).
 *
 * Data: territory T-A with organisation ORG-A; one activity on 2025-02-01
 * with adults 98765, children 0-5 = 3 (suppressed) and 6-17 = 4321
 * (complementary), hors réseau 2; aggregates rebuilt with "proxima
 * reindex". Accounts are rows in person; tokens from "proxima token". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/server.h"
#include "support/web.h"

#define Q "/api/v1/indicators?from=2025-01-01&to=2025-03-31"

static struct ts_server srv;
static char tok_comite[128], tok_gest[128], tok_pap[128], tok_analyste[128];

/* Territories, organisations, four accounts and one activity. */
#define FIXTURE                                                                              \
	"INSERT INTO territory (id, ext_id, name, type) VALUES "                             \
	"(1, 'T-A', 'Territoire A', 'urbain'), (2, 'T-B', 'Territoire B', 'rural');"         \
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "                     \
	"(1, 'ORG-A', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"       \
	"(2, 'ORG-B', 'Maison B', (SELECT id FROM sector WHERE ext_id = 'COMM'));"           \
	"INSERT INTO organisation_territory VALUES (1, 1), (2, 2);"                          \
	"INSERT INTO person (id, ext_id, name, email, role, organisation_id, territory_id)"  \
	" VALUES (1, 'pap1', 'Marie', 'pap@a.test', 'pap', 1, 1),"                           \
	" (2, 'g1', 'Nadia', 'gest@a.test', 'gestionnaire', 1, 1),"                          \
	" (3, 'c1', 'Comité A', 'comite@a.test', 'comite', NULL, 1),"                       \
	" (4, 'an1', 'Analyste', 'analyste@a.test', 'analyste', NULL, NULL);"                \
	"INSERT INTO activity (ext_id, author_id, organisation_id, territory_id, date,"      \
	" duration_min, type, adults, children_0_5, children_6_17, hors_reseau, created_at," \
	" updated_at) VALUES ('a1', 1, 1, 1, '2025-02-01', 60, 'accompagnement', 98765, 3,"  \
	" 4321, 2, 0, 0);"

static int group_setup(void **state)
{
	*state = &srv; /* for web_suite_teardown_any */
	if (web_suite_prepare(&srv, "2025-06-01T10:00:00", FIXTURE) < 0)
		return -1;
	const char *args[] = {"reindex", "--db", srv.db, NULL};
	char e[1024];
	if (ts_run(args, 20000, NULL, 0, e, sizeof(e)) != 0) {
		fprintf(stderr, "reindex: %s\n", e);
		return -1;
	}
	if (web_token_create(srv.db, "comite@a.test", NULL, tok_comite, sizeof(tok_comite)) < 0 ||
	    web_token_create(srv.db, "gest@a.test", NULL, tok_gest, sizeof(tok_gest)) < 0 ||
	    web_token_create(srv.db, "pap@a.test", NULL, tok_pap, sizeof(tok_pap)) < 0 ||
	    web_token_create(srv.db, "analyste@a.test", NULL, tok_analyste, sizeof(tok_analyste)) <
		    0)
		return -1;
	return ts_server_start(&srv, NULL);
}

static json_t *indicator(json_t *root, const char *id)
{
	json_t *inds = json_object_get(root, "indicators");
	for (size_t i = 0; i < json_array_size(inds); i++) {
		json_t *x = json_array_get(inds, i);
		if (strcmp(json_string_value(json_object_get(x, "id")), id) == 0)
			return x;
	}
	fail_msg("no indicator %s", id);
	return NULL;
}

static void test_comite_gets_suppressed_report(void **state)
{
	(void)state;
	struct ts_resp r;
	assert_int_equal(web_bearer_get(&srv, tok_comite, Q, &r), 200);
	assert_false(ts_body_has(&r, "4321"));
	json_error_t err;
	json_t *root = json_loads(r.body.data, 0, &err);
	assert_non_null(root);
	json_t *scope = json_object_get(root, "scope");
	assert_string_equal(json_string_value(json_object_get(scope, "territory")), "T-A");
	assert_string_equal(json_string_value(json_object_get(scope, "view")), "comite");
	assert_int_equal(json_array_size(json_object_get(root, "indicators")), 28);
	json_t *h = indicator(root, "act.hors_reseau");
	assert_true(json_is_null(json_object_get(h, "value")));
	assert_true(json_is_true(json_object_get(h, "suppressed")));
	assert_string_equal(json_string_value(json_object_get(h, "display")), "<5");
	/* Counts of people as published in this view: through the cell key,
	 * within 2 of the truth; the scope says so. */
	json_t *p = indicator(root, "act.personnes_rejointes");
	json_int_t v = json_integer_value(json_object_get(p, "value"));
	assert_true(v >= 98765 + 3 + 4321 - 2 && v <= 98765 + 3 + 4321 + 2);
	json_t *prot = json_object_get(scope, "protection");
	assert_string_equal(json_string_value(json_object_get(prot, "method")), "cell_key");
	json_decref(root);
	ts_resp_free(&r);
	/* another territory is not theirs */
	assert_int_equal(web_bearer_get(&srv, tok_comite, Q "&territory=T-B", &r), 404);
	ts_resp_free(&r);
	/* complet never over HTTP */
	assert_int_equal(web_bearer_get(&srv, tok_comite, Q "&view=complet", &r), 400);
	ts_resp_free(&r);
}

static void test_other_roles(void **state)
{
	(void)state;
	struct ts_resp r;
	assert_int_equal(web_bearer_get(&srv, tok_gest, Q, &r), 200);
	assert_true(ts_body_has(&r, "4321")); /* own organisation: not suppressed */
	assert_true(ts_body_has(&r, "\"view\":\"gestionnaire\""));
	assert_true(ts_body_has(&r, "\"organisation\":\"ORG-A\""));
	ts_resp_free(&r);
	assert_int_equal(web_bearer_get(&srv, tok_gest, Q "&organisation=ORG-B", &r), 404);
	ts_resp_free(&r);
	assert_int_equal(web_bearer_get(&srv, tok_pap, Q, &r), 404);
	ts_resp_free(&r);
	assert_int_equal(web_bearer_get(&srv, tok_analyste, Q "&territory=T-A", &r), 200);
	assert_false(ts_body_has(&r, "4321"));
	assert_true(ts_body_has(&r, "\"view\":\"analyste\""));
	ts_resp_free(&r);
	assert_int_equal(
		web_bearer_get(&srv, tok_analyste, "/api/v1/indicators?from=2025-01-01", &r), 400);
	assert_true(ts_body_has(&r, "\"field\":\"to\""));
	ts_resp_free(&r);
}

static void test_cli(void **state)
{
	(void)state;
	static char out[1 << 20];
	char err[2048];
	const char *csv[] = {"report", "--db",       srv.db, "--territory", "T-A",
			     "--from", "2025-01-01", "--to", "2025-03-31",  "--format",
			     "csv",    "--csv-sep",  ";",    NULL};
	assert_int_equal(ts_run(csv, 30000, out, sizeof(out), err, sizeof(err)), 0);
	assert_memory_equal(out, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(out, "act.hors_reseau;"));
	assert_null(strstr(out, "4321"));
	const char *full[] = {"report",     "--db",   srv.db,       "--territory",
			      "T-A",        "--from", "2025-01-01", "--to",
			      "2025-03-31", "--view", "complet",    NULL};
	assert_int_equal(ts_run(full, 30000, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, "4321"));
	const char *bad[] = {"report", "--db",   srv.db,       "--territory",
			     "T-A",    "--from", "2025-01-01", NULL};
	assert_int_equal(ts_run(bad, 30000, out, sizeof(out), err, sizeof(err)), 2);
	assert_non_null(strstr(err, "--to"));
	const char *unknown[] = {"report", "--db",       srv.db, "--territory", "NOPE",
				 "--from", "2025-01-01", "--to", "2025-03-31",  NULL};
	assert_int_equal(ts_run(unknown, 30000, out, sizeof(out), err, sizeof(err)), 2);
	assert_non_null(strstr(err, "NOPE"));
	const char *view[] = {"report",     "--db", srv.db,       "--territory", "T-A",  "--from",
			      "2025-01-01", "--to", "2025-03-31", "--view",      "tout", NULL};
	assert_int_equal(ts_run(view, 30000, out, sizeof(out), err, sizeof(err)), 2);
	assert_non_null(strstr(err, "--view"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comite_gets_suppressed_report),
		cmocka_unit_test(test_other_roles),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests_name("e2e_engine", tests, group_setup,
					   web_suite_teardown_any);
}
