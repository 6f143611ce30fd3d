/* End-to-end tests of the journal and family pages against a real
 * "proxima serve": a PAP signs in, logs an activity with five fields, sees
 * it in the week with the right totals, edits and deletes it; another
 * organisation's PAP gets 404s; a form error keeps what was typed and
 * names the field in French; a family is opened with nominative details
 * that show only behind a logged button.
 *
 * Setup: "proxima init" on a temporary database, then a few rows written
 * with the sqlite3 C API (territories, organisations) and accounts made
 * with "proxima user add". The clock is fixed (PROXIMA_NOW, a Wednesday)
 * so the week is known, and PROXIMA_TEST_FAST_HASH keeps argon2 quick. */
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

static struct web_browser pap1, pap2, gest, comite;
static long long activity_id; /* the activity created by pap1 */
static long long family_id;

/* The accounts, signed in once the server is up. */
static const struct web_account ACCOUNTS[] = {
	{&pap1, "pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
	{&pap2, "pap@b.test", "Paul Roy", "pap", "ORG-B", "T-B"},
	{&gest, "gest@a.test", "Nadia Gagnon", "gestionnaire", "ORG-A", "T-A"},
	{&comite, "comite@a.test", "Comité A", "comite", NULL, "T-A"},
};

static int group_setup(void **state)
{
	(void)state;
	return web_suite_setup(&srv, NOW, WEB_FIXTURE_TWO_TERRITORIES, ACCOUNTS,
			       WEB_COUNT(ACCOUNTS), PASSWORD);
}

static int group_teardown(void **state)
{
	(void)state;
	return web_suite_stop(&srv) == 0 ? 0 : -1;
}

static void test_signed_out_goes_to_login(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, NULL, "/journal", &r), 0);
	assert_status(&r, 303);
	char loc[512];
	assert_non_null(strstr(location(&r, loc, sizeof(loc)), "/connexion?suivant=%2Fjournal"));
	ts_resp_free(&r);
}

/* The quick entry offers today, the type chips, indirect time one tap
 * away, and the rest behind "Plus de détails". */
static void test_quick_entry_form(void **state)
{
	(void)state;
	expect_get(&srv, &pap1, "/journal/nouvelle", 200,
		   TEXTS("<h1>Nouvelle activité</h1>", "name=\"date\" value=\"" TODAY "\"",
			 "name=\"type\" value=\"contact_informel\">",
			 "<summary>+ Temps indirect</summary>",
			 "<details class=\"more\"><summary>Plus de détails</summary>",
			 "inputmode=\"numeric\"", "name=\"indirect.deplacement\"",
			 /* Navigation for signed-in users. */
			 "<nav class=\"nav\"", "href=\"/journal/nouvelle\" aria-current=\"page\""),
		   NULL);
}

/* The common case: five fields, then the week shows it with its totals. */
static void test_create_with_five_fields(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *kv[] = {"type", "contact_informel", "place", "parc",  "duration_min",
			    "30",   "counts.adults",    "2",     "needs", "logement",
			    NULL};
	assert_int_equal(web_post(&srv, &pap1, "/journal/nouvelle", kv, &r), 0);
	assert_status(&r, 303);
	char v[1024];
	assert_non_null(ts_header(&r, "Location", v, sizeof(v)));
	assert_non_null(strstr(v, "/journal?semaine=" TODAY "&ok=cree#a-"));
	activity_id = strtoll(strstr(v, "#a-") + 3, NULL, 10);
	assert_true(activity_id > 0);
	char loc[512];
	location(&r, loc, sizeof(loc));
	ts_resp_free(&r);

	expect_get(&srv, &pap1, loc, 200,
		   TEXTS("Activité enregistrée.", "lundi 23 novembre 2026", "Contact informel",
			 "Parc · Direct <strong>30 min</strong> · 2 personnes",
			 "<span class=\"tag\">Logement</span>",
			 "<dt>Temps direct</dt><dd>0,5 h</dd>",
			 "<dt>Personnes rejointes</dt><dd>2</dd>", "mercredi 25 novembre"),
		   NULL);
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM activity WHERE territory_id = 1 "
				       "AND date = '" TODAY "' AND place = 'parc'"),
			 1);
}

/* Indirect time on its own form; the multiplier total/direct. */
static void test_indirect_time_and_multiplier(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	expect_get(&srv, &pap1, "/journal/indirect", 200, TEXTS("<h1>Temps indirect</h1>"), NULL);

	memset(&r, 0, sizeof(r));
	const char *kv[] = {"type", "contact_informel",   "indirect.deplacement",
			    "20",   "indirect.redaction", "25",
			    NULL};
	char loc[512];
	assert_non_null(
		strstr(post_redirect(&srv, &pap1, "/journal/indirect", kv, loc, sizeof(loc)),
		       "ok=indirect"));

	/* 30 min direct, 45 min indirect: 75 / 30 = 2,5. */
	expect_get(&srv, &pap1, "/journal", 200,
		   TEXTS("<dt>Temps indirect</dt><dd>0,8 h</dd>",
			 "<dt>Temps total</dt><dd>1,3 h</dd>",
			 "1 h directe = <strong>2,5 h</strong> au total",
			 "Déplacement 0,3 h · Interprète 0 h · Rédaction 0,4 h"),
		   NULL);
}

/* The next quick entry pre-selects nothing (issue 11): the last type and
 * place are a visible choice, "Comme la dernière fois", which a link
 * makes (without JavaScript) and the form then says so. */
static void test_no_silent_preselection(void **state)
{
	(void)state;
	expect_get(&srv, &pap1, "/journal/nouvelle", 200,
		   TEXTS("href=\"/journal/nouvelle?comme=derniere\"",
			 "Comme la dernière fois : <span>Contact informel · Parc</span>"),
		   TEXTS("name=\"type\" value=\"contact_informel\" checked",
			 "name=\"place\" value=\"parc\" checked"));
	expect_get(&srv, &pap1, "/journal/nouvelle?comme=derniere", 200,
		   TEXTS("Repris de votre dernière activité : Contact informel · Parc",
			 "name=\"type\" value=\"contact_informel\" checked",
			 "name=\"place\" value=\"parc\" checked"),
		   NULL);
	/* The indirect-time form does not pre-select a type either. */
	expect_get(&srv, &pap1, "/journal/indirect", 200, TEXTS("<h1>Temps indirect</h1>"),
		   TEXTS("selected"));
}

static void test_edit(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "/journal/%lld/modifier", activity_id);
	struct ts_resp r = {0};
	expect_get(&srv, &pap1, path, 200,
		   TEXTS("<h1>Modifier l&#39;activité</h1>", "name=\"duration_min\" value=\"30\"",
			 "name=\"counts.adults\" value=\"2\"",
			 "<option value=\"logement\" selected>"),
		   NULL);

	memset(&r, 0, sizeof(r));
	const char *kv[] = {"date",
			    TODAY,
			    "type",
			    "contact_informel",
			    "place",
			    "parc",
			    "duration_min",
			    "45",
			    "counts.adults",
			    "2",
			    "counts.children_0_5",
			    "1",
			    "needs",
			    "logement",
			    "needs",
			    "isolement",
			    NULL};
	char loc[512];
	assert_non_null(
		strstr(post_redirect(&srv, &pap1, path, kv, loc, sizeof(loc)), "ok=modifie"));

	expect_get(&srv, &pap1, loc, 0,
		   TEXTS("Activité modifiée.", "Direct <strong>45 min</strong> · 3 personnes",
			 "<span class=\"tag\">Isolement</span>",
			 "<dt>Temps direct</dt><dd>0,8 h</dd>"),
		   NULL);
}

/* Another organisation's PAP: the activity does not exist for them. */
static void test_other_organisation_gets_404(void **state)
{
	(void)state;
	char path[128];
	struct ts_resp r = {0};
	snprintf(path, sizeof(path), "/journal/%lld/modifier", activity_id);
	expect_get(&srv, &pap2, path, 404, NULL, NULL);

	memset(&r, 0, sizeof(r));
	const char *kv[] = {"type", "demarchage", "duration_min", "5", NULL};
	expect_post(&srv, &pap2, path, kv, 404, NULL, NULL);

	memset(&r, 0, sizeof(r));
	snprintf(path, sizeof(path), "/journal/%lld/supprimer", activity_id);
	expect_post(&srv, &pap2, path, NULL, 404, NULL, NULL);

	expect_get(&srv, &pap2, "/journal", 200, TEXTS("Aucune activité cette semaine."),
		   TEXTS("<span class=\"entry-type\">Contact informel"));

	/* A PAP has no team page; a manager's shows the organisation's week. */
	expect_get(&srv, &pap1, "/journal/equipe", 404, NULL, NULL);
	expect_get(&srv, &gest, "/journal/equipe", 200,
		   TEXTS("Journal de l&#39;équipe", "Par Marie Tremblay"), NULL);
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM activity WHERE deleted_at IS NULL "
				       "AND type = 'contact_informel'"),
			 2);
}

/* A form with errors: 422, every typed value kept, messages in French next
 * to their fields. */
static void test_form_error_keeps_values(void **state)
{
	(void)state;
	const char *kv[] = {"date", "2026-12-31",    "place", "rue",  "duration_min",
			    "abc",  "counts.adults", "3",     "note", "Rencontre près <du> parc",
			    NULL};
	expect_post(&srv, &pap1, "/journal/nouvelle", kv, 422,
		    TEXTS("Vérifiez ces champs", "name=\"duration_min\" value=\"abc\"",
			  "name=\"counts.adults\" value=\"3\"",
			  "name=\"place\" value=\"rue\" checked",
			  "name=\"date\" value=\"2026-12-31\"",
			  "Rencontre près &lt;du&gt; parc</textarea>",
			  "<p class=\"field-error\" id=\"e-f-duration-min\">Entrez un nombre de "
			  "minutes entre 0 et 1440.</p>",
			  "aria-invalid=\"true\" aria-describedby=\"e-f-duration-min\"",
			  "Le type d&#39;activité est obligatoire.",
			  "La date ne peut pas être dans le futur.", "<a href=\"#f-type\">"),
		    NULL);
	/* Nothing was saved. */
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity WHERE place = 'rue'"),
			 0);
}

static void test_delete(void **state)
{
	(void)state;
	char path[128];
	struct ts_resp r = {0};
	snprintf(path, sizeof(path), "/journal/%lld/supprimer", activity_id);
	expect_get(&srv, &pap1, path, 200, TEXTS("Oui, supprimer"), NULL);

	char loc[512];
	assert_non_null(
		strstr(post_redirect(&srv, &pap1, path, NULL, loc, sizeof(loc)), "ok=supprime"));

	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &pap1, loc, &r), 0);
	assert_has(&r, "Activité supprimée.");
	char anchor[64];
	snprintf(anchor, sizeof(anchor), "id=\"a-%lld\"", activity_id);
	assert_lacks(&r, anchor);
	ts_resp_free(&r);

	memset(&r, 0, sizeof(r));
	snprintf(path, sizeof(path), "/journal/%lld/modifier", activity_id);
	expect_get(&srv, &pap1, path, 404, NULL, NULL);
	/* A soft delete: the row stays, marked. */
	char q[160];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM activity WHERE id = %lld AND deleted_at IS NOT NULL",
		 activity_id);
	assert_int_equal(web_sql_count(srv.db, q), 1);
}

static void test_week_navigation(void **state)
{
	(void)state;
	expect_get(&srv, &pap1, "/journal?semaine=2026-11-18", 200,
		   TEXTS("lundi 16 novembre 2026",
			 "href=\"/journal?semaine=2026-11-09\" rel=\"prev\"",
			 "href=\"/journal?semaine=" MONDAY "\" rel=\"next\"",
			 "Aucune activité cette semaine."),
		   NULL);
}

static void test_committee_sees_no_entries(void **state)
{
	(void)state;
	expect_get(&srv, &comite, "/journal", 200, TEXTS("ne sont pas affichées pour votre rôle"),
		   NULL);
	expect_get(&srv, &comite, "/familles", 200, TEXTS("ne sont pas affichées pour votre rôle"),
		   NULL);
}

/* A family: opened with consent and nominative details; the details show
 * only behind the button, and each view is in the access log. */
static void test_family(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	/* An error keeps the values, nominative ones included. */
	const char *bad[] = {
		"code",       "",  "opened", "2026-11-20", "consent.suivi", "1", "nominative.name",
		"Awa Diallo", NULL};
	expect_post(&srv, &pap1, "/familles/nouvelle", bad, 422,
		    TEXTS("Le code de la famille est obligatoire.",
			  "Indiquez la date du consentement.", "value=\"Awa Diallo\""),
		    NULL);

	memset(&r, 0, sizeof(r));
	const char *kv[] = {"code",
			    "F-2026-001",
			    "opened",
			    "2026-11-20",
			    "consent.date",
			    "2026-11-20",
			    "consent.language",
			    "es",
			    "consent.suivi",
			    "1",
			    "consent.reference",
			    "1",
			    "nominative.name",
			    "Awa Diallo",
			    "nominative.phone",
			    "514-555-0101",
			    NULL};
	char loc[512];
	post_redirect(&srv, &pap1, "/familles/nouvelle", kv, loc, sizeof(loc));
	assert_non_null(strstr(loc, "/familles/"));
	family_id = strtoll(loc + strlen("/familles/"), NULL, 10);
	assert_true(family_id > 0);

	expect_get(&srv, &pap1, "/familles", 0, TEXTS("F-2026-001"), TEXTS("Awa Diallo"));

	char path[128];
	snprintf(path, sizeof(path), "/familles/%lld", family_id);
	expect_get(
		&srv, &pap1, path, 200,
		TEXTS("Famille F-2026-001", "Espagnol", "suivi, référence", "Voir les coordonnées"),
		TEXTS("Awa Diallo"));

	/* Link an activity from the form's details. */
	memset(&r, 0, sizeof(r));
	char fid[32];
	snprintf(fid, sizeof(fid), "%lld", family_id);
	const char *act[] = {"type", "accompagnement", "place", "domicile", "duration_min",
			     "90",   "counts.adults",  "1",     "families", fid,
			     NULL};
	expect_post(&srv, &pap1, "/journal/nouvelle", act, 303, NULL, NULL);
	expect_get(&srv, &pap1, path, 0,
		   TEXTS("Accompagnement", "Domicile · Direct <strong>1 h 30</strong>"), NULL);

	long long before = web_sql_count(srv.db, "SELECT count(*) FROM audit_log");
	char cpath[160];
	snprintf(cpath, sizeof(cpath), "/familles/%lld/coordonnees", family_id);
	expect_post(&srv, &pap1, cpath, NULL, 422,
		    TEXTS("Choisissez la raison de la consultation."), TEXTS("Awa Diallo"));
	memset(&r, 0, sizeof(r));
	const char *why[] = {"purpose", "suivi", NULL};
	expect_post(&srv, &pap1, cpath, why, 200, TEXTS("Awa Diallo", "514-555-0101"), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM audit_log"), before + 1);
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM audit_log WHERE action = 'read' "
				       "AND purpose = 'suivi' AND object_kind = 'family'"),
			 1);

	/* Another organisation: 404 everywhere, nothing logged. */
	expect_get(&srv, &pap2, path, 404, NULL, NULL);
	expect_post(&srv, &pap2, cpath, why, 404, NULL, TEXTS("Awa Diallo"));
	expect_get(&srv, &pap2, "/familles", 0, NULL, TEXTS("F-2026-001"));
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM audit_log"), before + 1);
}

/* Issue 16: families searched by code only, in pages; the week's
 * journal filtered by type and place, the team's by PAP, the filters kept
 * in the week links, a count of results and a message when none match. */
static void test_search_and_filters(void **state)
{
	(void)state;
	/* 30 more files of ORG-A: F-2026-001 and SRCH-01 … SRCH-30. */
	assert_int_equal(web_sql(srv.db,
				 "INSERT INTO family (ext_id, organisation_id, code, "
				 "opened) WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL "
				 "SELECT i + 1 FROM n WHERE i < 30) SELECT 'srch-' || i, "
				 "(SELECT id FROM organisation WHERE ext_id = 'ORG-A'), "
				 "CASE WHEN i < 10 THEN 'SRCH-0' || i ELSE 'SRCH-' || i END, "
				 "'2026-11-01' FROM n"),
			 0);
	expect_get(&srv, &pap1, "/familles", 200,
		   TEXTS("<p>31 résultats · Page 1 / 2", "F-2026-001",
			 "href=\"/familles?page=2\" rel=\"next\""),
		   TEXTS("SRCH-30"));
	expect_get(&srv, &pap1, "/familles?page=2", 200,
		   TEXTS("Page 2 / 2", "SRCH-30", "href=\"/familles?page=1\" rel=\"prev\""),
		   TEXTS("F-2026-001"));
	/* Part of the code, any case; the search is kept in the links. */
	expect_get(&srv, &pap1, "/familles?code=srch-2", 200,
		   TEXTS("<p>10 résultats", "SRCH-20", "SRCH-29", "value=\"srch-2\""),
		   TEXTS("SRCH-01", "SRCH-30", "F-2026-001", "rel=\"next\""));
	expect_get(&srv, &pap1, "/familles?code=SRCH&page=2", 200,
		   TEXTS("30 résultats · Page 2 / 2",
			 "href=\"/familles?page=1&amp;code=SRCH\" rel=\"prev\""),
		   NULL);
	/* Never by name: the nominative name finds nothing; nor does another
	 * organisation's PAP find A's codes. */
	expect_get(&srv, &pap1, "/familles?code=Awa", 200,
		   TEXTS("Aucune famille suivie ne porte un code qui contient ce texte."),
		   TEXTS("F-2026-001", "résultats"));
	expect_get(&srv, &pap2, "/familles?code=F-2026", 200, NULL, TEXTS("F-2026-001", "SRCH"));
	/* The API, paged in SQL with its next link. */
	expect_api(
		&srv, &pap1, "GET", "/api/v1/families?code=srch&limit=20", NULL, 200,
		TEXTS("\"total\":30", "\"next\":\"/api/v1/families?limit=20&offset=20&code=srch\""),
		TEXTS("F-2026-001"));

	/* The journal: this week, pap1 works at home (test_family) and at the
	 * park. */
	const char *park[] = {"type", "contact_informel", "place", "parc", "duration_min", "15",
			      NULL};
	expect_post(&srv, &pap1, "/journal/nouvelle", park, 303, NULL, NULL);
	expect_get(
		&srv, &pap1, "/journal?semaine=" MONDAY "&type=accompagnement", 200,
		TEXTS("1 activité correspond aux filtres", "Domicile · Direct",
		      "href=\"/journal?semaine=2026-11-16&amp;type=accompagnement\" rel=\"prev\""),
		TEXTS("Parc · Direct"));
	expect_get(&srv, &pap1, "/journal?semaine=" MONDAY "&lieu=parc", 200,
		   TEXTS("activité correspond aux filtres", "Parc · Direct"),
		   TEXTS("Domicile · Direct"));
	expect_get(&srv, &pap1, "/journal?semaine=" MONDAY "&type=demarchage", 200,
		   TEXTS("Aucune activité ne correspond à ces filtres cette semaine."),
		   TEXTS("Parc · Direct", "Domicile · Direct"));
	/* The team's journal, by PAP: only the organisation's PAP are offered. */
	char pap1_id[32], q[160];
	web_sql_text(srv.db, "SELECT id FROM person WHERE email = 'pap@a.test'", pap1_id,
		     sizeof(pap1_id));
	snprintf(q, sizeof(q), "/journal/equipe?semaine=" MONDAY "&pap=%s", pap1_id);
	expect_get(&srv, &gest, q, 200,
		   TEXTS("activités correspondent aux filtres", "Marie Tremblay",
			 "Domicile · Direct", "Parc · Direct"),
		   TEXTS("Paul Roy"));
	snprintf(q, sizeof(q), "/journal/equipe?semaine=2026-11-16&pap=%s", pap1_id);
	expect_get(&srv, &gest, q, 200,
		   TEXTS("Aucune activité ne correspond à ces filtres cette semaine."), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_out_goes_to_login),
		cmocka_unit_test(test_quick_entry_form),
		cmocka_unit_test(test_create_with_five_fields),
		cmocka_unit_test(test_indirect_time_and_multiplier),
		cmocka_unit_test(test_no_silent_preselection),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_other_organisation_gets_404),
		cmocka_unit_test(test_form_error_keeps_values),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_week_navigation),
		cmocka_unit_test(test_committee_sees_no_entries),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_search_and_filters),
	};
	return cmocka_run_group_tests_name("e2e_journal", tests, group_setup, group_teardown);
}
