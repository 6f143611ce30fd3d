/* End-to-end tests of team follow-up against a real "proxima serve": a
 * PAP's support request is invisible to another PAP (list, detail 404,
 * API), to another organisation's manager and to the committee; the
 * manager acknowledges and closes it; supervision recorded by X's manager
 * is never visible to Y's manager; a holder leaves a position through the
 * pages only once everything they own is handed over.
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

#define NOW "2026-11-25T10:00:00"
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;

static struct web_browser pap1, pap2, gest_x, gest_y, comite, admin;
static long long request_id;

static long long person_id(const char *email)
{
	char q[200];
	snprintf(q, sizeof(q), "SELECT id FROM person WHERE email = '%s'", email);
	return web_sql_count(srv.db, q);
}

/* The accounts, signed in once the server is up. */
static const struct web_account ACCOUNTS[] = {
	{&pap1, "pap1@x.test", "Marie Tremblay", "pap", "ORG-X", "T-A"},
	{&pap2, "pap2@x.test", "Luc Bélanger", "pap", "ORG-X", "T-A"},
	{&gest_x, "gest@x.test", "Nadia Gagnon", "gestionnaire", "ORG-X", "T-A"},
	{&gest_y, "gest@y.test", "Yves Pelletier", "gestionnaire", "ORG-Y", "T-A"},
	{&comite, "comite@a.test", "Comité A", "comite", NULL, "T-A"},
	{&admin, "admin@a.test", "Admin", "admin", NULL, NULL},
};

static int group_setup(void **state)
{
	*state = &srv; /* for web_suite_teardown */
	if (web_suite_prepare(
		    &srv, NOW,
		    "INSERT INTO territory (id, ext_id, name, type) VALUES "
		    "(1, 'T-A', 'Territoire A', 'urbain');"
		    "INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "
		    "(1, 'ORG-X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		    "(2, 'ORG-Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		    "INSERT INTO organisation_territory VALUES (1, 1), (2, 1);") < 0 ||
	    web_add_accounts(srv.db, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD) < 0)
		return -1;
	/* Marie follows two open families and a closed one, and sent an open
	 * referral to Y a week ago (an older one would have expired:
	 * referral_expiry_days). */
	if (web_sql(srv.db,
		    "INSERT INTO family (id, ext_id, organisation_id, code, follower_id, opened, "
		    "closed) VALUES "
		    "(1, 'fam-1', 1, 'F-1', (SELECT id FROM person WHERE email = 'pap1@x.test'), "
		    "'2026-02-01', NULL),"
		    "(2, 'fam-2', 1, 'F-2', (SELECT id FROM person WHERE email = 'pap1@x.test'), "
		    "'2026-03-01', NULL),"
		    "(3, 'fam-3', 1, 'F-3', (SELECT id FROM person WHERE email = 'pap1@x.test'), "
		    "'2025-03-01', '2025-12-01');"
		    "INSERT INTO referral (id, ext_id, family_id, from_organisation_id, "
		    "to_organisation_id, sender_id, sent_at) VALUES (1, 'ref-1', 2, 1, 2, "
		    "(SELECT id FROM person WHERE email = 'pap1@x.test'), 1795500000);") < 0)
		return -1;
	return web_suite_start(&srv, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

#define SECRET "Je suis épuisée après la visite d'hier"

/* A PAP files a request; nobody but them and X's manager sees it. */
static void test_support_request_is_private(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *bad[] = {"addressed_to", "gestionnaire", "urgency", "elevee", NULL};
	expect_post(&srv, &pap1, "/moi/soutien", bad, 422,
		    TEXTS("Décrivez votre demande.", "Choisissez le type de soutien."), NULL);

	const char *kv[] = {
		"addressed_to", "gestionnaire", "type", "charge_emotionnelle", "urgency", "elevee",
		"text",         SECRET,         NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_post(&srv, &pap1, "/moi/soutien", kv, &r), 0);
	assert_status(&r, 303);
	char loc[512];
	assert_string_equal(location(&r, loc, sizeof(loc)), "/moi/soutien?ok=envoyee");
	ts_resp_free(&r);
	request_id = web_sql_count(srv.db, "SELECT max(id) FROM support_request");
	assert_true(request_id > 0);
	char ext[64], path[128], apipath[160];
	assert_true(web_sql_text(srv.db,
				 "SELECT ext_id FROM support_request "
				 "WHERE id = (SELECT max(id) FROM support_request)",
				 ext, sizeof(ext))[0] != '\0');
	snprintf(path, sizeof(path), "/moi/soutien/%lld", request_id);
	snprintf(apipath, sizeof(apipath), "/api/v1/support-requests/%s", ext);

	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &pap1, path, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Je suis épuisée");
	ts_resp_free(&r);

	/* Another PAP of the same organisation: list, detail, API. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &pap2, "/moi/soutien", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Aucune demande.");
	assert_lacks(&r, "Charge émotionnelle</strong>");
	ts_resp_free(&r);
	struct web_browser *never[] = {&pap2, &gest_y, &comite};
	for (size_t i = 0; i < 3; i++) {
		memset(&r, 0, sizeof(r));
		expect_get(&srv, never[i], path, 404, NULL, TEXTS("épuisée"));
		char p2[128];
		snprintf(p2, sizeof(p2), "/equipe/soutien/%lld", request_id);
		expect_get(&srv, never[i], p2, 404, NULL, NULL);
		expect_api(&srv, never[i], "GET", "/api/v1/support-requests", NULL, 200,
			   TEXTS("\"total\":0"), TEXTS("épuisée"));
		expect_api(&srv, never[i], "GET", apipath, NULL, 404, NULL, NULL);
	}
	/* Y's manager's hub counts nothing of X's. */
	expect_get(&srv, &gest_y, "/equipe", 200, TEXTS("Demandes de soutien ouvertes (0)"),
		   TEXTS("Marie Tremblay"));
	/* A PAP does not reach the manager's pages. */
	expect_get(&srv, &pap2, "/equipe", 404, NULL, NULL);
	/* The author's API sees the text. */
	expect_api(&srv, &pap1, "GET", apipath, NULL, 200,
		   TEXTS("\"urgency\":\"elevee\"", "\"acknowledged_at\":null"), NULL);
}

static void test_manager_acknowledges_and_closes(void **state)
{
	(void)state;
	expect_get(&srv, &gest_x, "/equipe", 200,
		   TEXTS("Demandes de soutien ouvertes (1)", "Charge émotionnelle"), NULL);
	char path[128], ack[160], close[160];
	snprintf(path, sizeof(path), "/equipe/soutien/%lld", request_id);
	snprintf(ack, sizeof(ack), "%s/accuser", path);
	snprintf(close, sizeof(close), "%s/fermer", path);
	expect_get(&srv, &gest_x, path, 200, TEXTS("Je suis épuisée", "Accuser réception"), NULL);

	/* The author cannot acknowledge their own request. */
	expect_post(&srv, &pap1, ack, NULL, 404, NULL, NULL);
	expect_post(&srv, &gest_y, ack, NULL, 404, NULL, NULL);

	expect_post(&srv, &gest_x, ack, NULL, 303, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM support_request WHERE "
					       "acknowledged_at IS NOT NULL AND closed_at IS NULL"),
			 1);
	const char *empty[] = {"resolution", "  ", NULL};
	expect_post(&srv, &gest_x, close, empty, 422, TEXTS("Indiquez ce qui a été fait."), NULL);
	const char *kv[] = {"resolution", "Rencontre individuelle le 26, charge allégée.", NULL};
	expect_post(&srv, &gest_x, close, kv, 303, NULL, NULL);

	char mine[128];
	snprintf(mine, sizeof(mine), "/moi/soutien/%lld", request_id);
	expect_get(&srv, &pap1, mine, 200, TEXTS("charge allégée", "Fermée le"), NULL);
	expect_get(&srv, &gest_x, "/equipe", 0, TEXTS("Demandes de soutien ouvertes (0)"), NULL);
}

static void test_supervision_stays_in_its_organisation(void **state)
{
	(void)state;
	char pid[32];
	snprintf(pid, sizeof(pid), "%lld", person_id("pap1@x.test"));
	struct ts_resp r = {0};
	const char *kv[] = {"person", pid,    "date",         "2026-11-20", "hours",
			    "1,5",    "type", "individuelle", "note",       "Bilan du trimestre",
			    NULL};
	/* Y's manager cannot record for X's PAP. */
	expect_post(&srv, &gest_y, "/equipe/encadrement/nouveau", kv, 422,
		    TEXTS("Choisissez une PAP de votre organisation."), NULL);
	expect_post(&srv, &gest_x, "/equipe/encadrement/nouveau", kv, 303, NULL, NULL);

	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &gest_x, "/equipe?mois=2026-11", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Marie Tremblay<br>");
	assert_has(&r, "</span></td><td>1,5 h</td>");
	assert_has(&r, "Sous la cible");    /* 1.5 h of a 2 h default target */
	assert_has(&r, "Sans encadrement"); /* Luc */
	ts_resp_free(&r);
	expect_get(&srv, &pap1, "/moi/encadrement", 200, TEXTS("Bilan du trimestre"), NULL);

	/* Y's manager: no row, no session, 404 on the person. */
	expect_get(&srv, &gest_y, "/equipe?mois=2026-11", 0, NULL, TEXTS("Marie Tremblay"));
	expect_api(&srv, &gest_y, "GET", "/api/v1/supervision", NULL, 200, TEXTS("\"total\":0"),
		   NULL);
	char q[200];
	char ext[64];
	assert_true(web_sql_text(srv.db, "SELECT ext_id FROM person WHERE email = 'pap1@x.test'",
				 ext, sizeof(ext))[0] != '\0');
	snprintf(q, sizeof(q), "/api/v1/supervision?person=%s", ext);
	struct web_browser *never[] = {&gest_y, &pap2, &comite};
	for (size_t i = 0; i < 3; i++) {
		expect_api(&srv, never[i], "GET", q, NULL, 404, NULL, TEXTS("Bilan"));
	}
	expect_api(&srv, &gest_x, "GET", q, NULL, 200, TEXTS("\"hours\":1.5"), NULL);
	/* The API refuses Y's manager as well. */
	char body[300];
	snprintf(body, sizeof(body),
		 "{\"person\":\"%s\",\"date\":\"2026-11-21\",\"hours\":1,\"type\":\"groupe\"}",
		 strchr(q, '=') + 1);
	expect_api(&srv, &gest_y, "POST", "/api/v1/supervision", body, 422, NULL, NULL);
}

static void test_handover_through_pages(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *open[] = {"territory",
			      "1",
			      "start",
			      "2026-01-01",
			      "contact",
			      "poste@x.test",
			      "components",
			      "demarchage",
			      "components",
			      "accompagnement",
			      "item0.population",
			      "familles_0_5",
			      "item0.activity",
			      "demarchage",
			      NULL};
	char loc[512];
	post_redirect(&srv, &gest_x, "/equipe/postes/nouveau", open, loc, sizeof(loc));
	long long pos = strtoll(loc + strlen("/equipe/postes/"), NULL, 10);
	assert_true(pos > 0);
	char page[128], holder[160];
	snprintf(page, sizeof(page), "/equipe/postes/%lld", pos);
	snprintf(holder, sizeof(holder), "%s/titulaire", page);

	char p1[32], p2[32], g[32];
	snprintf(p1, sizeof(p1), "%lld", person_id("pap1@x.test"));
	snprintf(p2, sizeof(p2), "%lld", person_id("pap2@x.test"));
	snprintf(g, sizeof(g), "%lld", person_id("gest@x.test"));
	const char *assign[] = {"action", "changer", "person", p1, "date", "2026-01-01", NULL};
	expect_post(&srv, &gest_x, holder, assign, 303, NULL, NULL);

	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &gest_x, page, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Passation");
	assert_has(&r, "Famille F-1");
	assert_has(&r, "Famille F-2");
	assert_has(&r, "Référence F-2 → Maison Y");
	assert_lacks(&r, "Famille F-3"); /* closed */
	ts_resp_free(&r);

	/* Ending the period with nothing assigned is refused; nothing moves. */
	const char *end[] = {"action", "terminer", "date", "2026-11-20", NULL};
	expect_post(&srv, &gest_x, holder, end, 422, TEXTS("resteraient sans responsable"), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM position_holder WHERE to_date "
					       "IS NULL"),
			 1);
	char q[200];
	snprintf(q, sizeof(q), "SELECT count(*) FROM family WHERE follower_id = %s", p1);
	assert_int_equal(web_sql_count(srv.db, q), 3);

	/* Another organisation's manager sees nothing of the position. */
	expect_get(&srv, &gest_y, page, 404, NULL, NULL);
	expect_post(&srv, &gest_y, holder, end, 404, NULL, NULL);

	/* Change of holder: F-1 to the manager, the rest to the successor. */
	const char *change[] = {"action",     "changer",  "person", p2,  "date",
				"2026-11-21", "item.f.1", g,        NULL};
	post_redirect(&srv, &gest_x, holder, change, loc, sizeof(loc));
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM family WHERE closed IS NULL AND (follower_id IS NULL OR "
		 "follower_id = %s)",
		 p1);
	assert_int_equal(web_sql_count(srv.db, q), 0);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM referral WHERE closed_at IS NULL AND (sender_id IS NULL OR "
		 "sender_id = %s)",
		 p1);
	assert_int_equal(web_sql_count(srv.db, q), 0);
	snprintf(q, sizeof(q), "SELECT count(*) FROM family WHERE id = 1 AND follower_id = %s", g);
	assert_int_equal(web_sql_count(srv.db, q), 1);
	snprintf(q, sizeof(q), "SELECT count(*) FROM referral WHERE id = 1 AND sender_id = %s", p2);
	assert_int_equal(web_sql_count(srv.db, q), 1);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE purpose = "
					       "'passation'"),
			 3);
	expect_get(&srv, &gest_x, loc, 0,
		   TEXTS("Titulaire mis à jour.",
			 "<strong>Marie Tremblay</strong> <span>du 1er janv. 2026 au 20 nov. 2026",
			 "<strong>Luc Bélanger</strong> <span>du 21 nov. 2026 — en poste"),
		   NULL);
}

/* The same rules through the API: a leave that would orphan a family is a
 * 422 on "handover"; another organisation gets 404; the admin sees the
 * position but no family code. */
static void test_positions_api(void **state)
{
	(void)state;
	char marie[64], nadia[64], body[600], path[200], holders[220];
	web_sql_text(srv.db, "SELECT ext_id FROM person WHERE email = 'pap1@x.test'", marie,
		     sizeof(marie));
	web_sql_text(srv.db, "SELECT ext_id FROM person WHERE email = 'gest@x.test'", nadia,
		     sizeof(nadia));
	expect_api(&srv, &gest_x, "POST", "/api/v1/positions",
		   "{\"id\":\"POS-API-1\",\"territory\":\"T-A\",\"start\":\"2026-02-01\","
		   "\"mandate\":{\"components\":[\"demarchage\",\"collaboration\"],"
		   "\"items\":[{\"population\":\"familles_0_5\",\"activity\":\"demarchage\"}]}"
		   "}",
		   201, TEXTS("\"organisation\":\"ORG-X\"", "\"population\":\"familles_0_5\""),
		   NULL);
	snprintf(path, sizeof(path), "/api/v1/positions/POS-API-1");
	snprintf(holders, sizeof(holders), "%s/holders", path);
	snprintf(body, sizeof(body),
		 "{\"action\":\"change\",\"person\":\"%s\",\"date\":\"2026-02-01\"}", marie);
	expect_api(&srv, &gest_x, "POST", holders, body, 200, NULL, NULL);
	assert_int_equal(web_sql(srv.db, "INSERT INTO family (id, ext_id, organisation_id, code, "
					 "follower_id, opened) VALUES (9, 'fam-9', 1, 'F-API-9', "
					 "(SELECT id FROM person WHERE email = 'pap1@x.test'), "
					 "'2026-03-01')"),
			 0);
	expect_api(&srv, &gest_x, "GET", path, NULL, 200, TEXTS("\"label\":\"F-API-9\""), NULL);
	expect_api(&srv, &admin, "GET", path, NULL, 200, TEXTS("\"handover_open\":1"),
		   TEXTS("F-API-9"));
	struct web_browser *never[] = {&gest_y, &pap1, &comite};
	for (size_t i = 0; i < 3; i++) {
		expect_api(&srv, never[i], "GET", path, NULL, 404, NULL, NULL);
	}
	expect_api(&srv, &gest_y, "POST", holders, "{\"action\":\"end\",\"date\":\"2026-11-22\"}",
		   404, NULL, NULL);

	expect_api(&srv, &gest_x, "POST", holders, "{\"action\":\"end\",\"date\":\"2026-11-22\"}",
		   422, TEXTS("\"field\":\"handover\""), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family WHERE id = 9 AND "
					       "follower_id = (SELECT id FROM person WHERE email = "
					       "'pap1@x.test')"),
			 1);
	snprintf(body, sizeof(body),
		 "{\"action\":\"end\",\"date\":\"2026-11-22\",\"handover\":{\"all_to\":\"%s\"}}",
		 nadia);
	expect_api(&srv, &gest_x, "POST", holders, body, 200, TEXTS("\"to\":\"2026-11-22\""), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family WHERE id = 9 AND "
					       "follower_id = (SELECT id FROM person WHERE email = "
					       "'gest@x.test')"),
			 1);
	expect_api(&srv, &gest_x, "POST", "/api/v1/positions/POS-API-1/close",
		   "{\"date\":\"2026-11-23\"}", 200, TEXTS("\"end\":\"2026-11-23\""), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_support_request_is_private),
		cmocka_unit_test(test_manager_acknowledges_and_closes),
		cmocka_unit_test(test_supervision_stays_in_its_organisation),
		cmocka_unit_test(test_handover_through_pages),
		cmocka_unit_test(test_positions_api),
	};
	return cmocka_run_group_tests_name("e2e_team", tests, group_setup, web_suite_teardown);
}
