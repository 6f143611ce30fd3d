/* End-to-end tests of the pages of the person in charge of the protection
 * of personal information (issue 13) against a real "proxima serve": only
 * an admin and the designated person of an organisation reach them (every
 * other role: 404, nothing in the menu); the admin designates one person
 * per organisation; the access log is paged in SQL, filtered by period,
 * person, family and action, scoped to the organisation and exported as
 * CSV and XLSX; the registers of communications and of incidents (every
 * field of the regulation, errors all at once) are read, written and
 * exported; the retention period is set per organisation.
 *
 * Setup as in e2e_referrals.c: "proxima init", a few rows, accounts made
 * with "proxima user add", the clock fixed (PROXIMA_NOW). */
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
#define TODAY "2026-11-25"
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;
static struct web_browser papx, gestx, papy, gesty, comite, analyste, admin;
static long long fam_x, fam_y;

static const char FIXTURE[] = WEB_FIXTURE_TWO_ORGS;

static const struct web_account ACCOUNTS[] = {
	{&papx, WEB_PAP_X},   {&gestx, WEB_GEST_X},     {&papy, WEB_PAP_Y},
	{&gesty, WEB_GEST_Y}, {&comite, WEB_COMITE_T1}, {&analyste, WEB_ANALYSTE},
	{&admin, WEB_ADMIN},
};

static const char *const PAGES[] = {
	"/confidentialite",
	"/confidentialite/journal",
	"/confidentialite/communications",
	"/confidentialite/anonymisations",
	"/confidentialite/incidents",
	"/confidentialite/incidents/nouveau",
	"/confidentialite/incidents/1",
	"/confidentialite/conservation",
	"/confidentialite/journal?format=csv",
	"/confidentialite/incidents?format=xlsx",
};

static int group_setup(void **state)
{
	*state = &srv;
	return web_suite_setup(&srv, NOW, FIXTURE, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

static const char *num(long long id)
{
	static char buf[4][32];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%lld", id);
	return buf[k];
}

static long long person_id(const char *email)
{
	char q[200];
	snprintf(q, sizeof(q), "SELECT id FROM person WHERE email = '%s'", email);
	return web_sql_count(srv.db, q);
}

static long long open_family(struct web_browser *b, const char *code, bool reference)
{
	const char *kv[] = {"code",
			    code,
			    "opened",
			    "2026-11-20",
			    "consent.date",
			    "2026-11-20",
			    "consent.language",
			    "fr",
			    "consent.suivi",
			    "1",
			    "nominative.name",
			    "Inés Ortega",
			    "nominative.phone",
			    "514-555-0177",
			    reference ? "consent.reference" : NULL,
			    "1",
			    NULL};
	char loc[512];
	post_redirect(&srv, b, "/familles/nouvelle", kv, loc, sizeof(loc));
	return strtoll(loc + strlen("/familles/"), NULL, 10);
}

/* Before any designation: the registers exist for the admin only. */
static void test_registers_are_the_admins_until_designated(void **state)
{
	(void)state;
	struct web_browser *others[] = {&papx, &gestx, &papy, &comite, &analyste};
	for (size_t i = 0; i < WEB_COUNT(others); i++) {
		for (size_t k = 0; k < WEB_COUNT(PAGES); k++)
			expect_get(&srv, others[i], PAGES[k], 404, NULL, NULL);
		const char *kv[] = {"organisation", "1", "months", "1", "information", "x", NULL};
		expect_post(&srv, others[i], "/confidentialite/conservation", kv, 404, NULL, NULL);
		expect_post(&srv, others[i], "/confidentialite/incidents/nouveau", kv, 404, NULL,
			    NULL);
		expect_get(&srv, others[i], "/menu", 200, NULL, TEXTS("Journal des accès"));
	}
	for (size_t k = 0; k < WEB_COUNT(PAGES); k++)
		if (!strstr(PAGES[k], "/incidents/1"))
			expect_get(&srv, &admin, PAGES[k], 200, NULL, NULL);
	expect_get(&srv, &admin, "/menu", 200, TEXTS("Journal des accès"), NULL);
	expect_get(&srv, &admin, "/confidentialite", 200,
		   TEXTS("Personnes responsables par organisation", "CLSC du Parc"), NULL);
}

/* The admin designates one person per organisation, an account of it. */
static void test_admin_designates(void **state)
{
	(void)state;
	const char *wrong[] = {"organisation", "2", "person", num(person_id("pap@x.test")), NULL};
	expect_post(&srv, &admin, "/confidentialite/responsables", wrong, 400,
		    TEXTS("Choisissez un compte actif de cette organisation."), NULL);
	const char *x[] = {"organisation", "1", "person", num(person_id("gest@x.test")), NULL};
	expect_post(&srv, &admin, "/confidentialite/responsables", x, 303, NULL, NULL);
	const char *y[] = {"organisation", "2", "person", num(person_id("gest@y.test")), NULL};
	expect_post(&srv, &admin, "/confidentialite/responsables", y, 303, NULL, NULL);
	expect_post(&srv, &gestx, "/confidentialite/responsables", y, 404, NULL, NULL);
	expect_get(&srv, &gestx, "/confidentialite", 200, TEXTS("Journal des accès"),
		   TEXTS("Personnes responsables par organisation"));
	expect_get(&srv, &gestx, "/menu", 200, TEXTS("Journal des accès"), NULL);
	expect_get(&srv, &papx, "/confidentialite", 404, NULL, NULL);
}

/* The number of data rows of a CSV answer (lines after the header). */
static long csv_rows(const struct ts_resp *r)
{
	long lines = 0;
	for (size_t i = 0; i < r->body.len; i++)
		lines += r->body.data[i] == '\n';
	return lines - 1;
}

/* 55 reads of X's family, a family of Y: the log is paged by 50, scoped
 * to the organisation, filtered and exported. */
static void test_access_log_viewer(void **state)
{
	(void)state;
	fam_x = open_family(&papx, "F-X-1", true);
	fam_y = open_family(&papy, "F-Y-1", false);
	const char *kv[] = {"purpose", "suivi", NULL};
	char path[64];
	snprintf(path, sizeof(path), "/familles/%lld/coordonnees", fam_x);
	for (int i = 0; i < 55; i++)
		expect_post(&srv, &papx, path, kv, 200, NULL, NULL);

	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &gestx, "/confidentialite/journal", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Julie Roy");
	assert_has(&r, "Consultation");
	assert_has(&r, "Entrées plus anciennes");
	assert_lacks(&r, "Paul Gagnon"); /* Y's entries are not X's */
	assert_lacks(&r, "Inés");        /* never a name */
	assert_lacks(&r, "F-X-1");       /* nor a code */
	/* The link to the next page carries the filter and the last id. */
	const char *next = strstr(r.body.data, "avant=");
	assert_non_null(next);
	long long before = strtoll(next + 6, NULL, 10);
	ts_resp_free(&r);
	char page2[256];
	snprintf(page2, sizeof(page2),
		 "/confidentialite/journal?du=2026-04-01&au=2027-03-31&avant=%lld", before);
	expect_get(&srv, &gestx, page2, 200, TEXTS("Les plus récentes", "Écriture"),
		   TEXTS("Entrées plus anciennes"));

	/* Filters. */
	snprintf(path, sizeof(path), "/confidentialite/journal?action=write&famille=%lld", fam_x);
	expect_get(&srv, &gestx, path, 200, TEXTS("Écriture", "Famille n° "),
		   TEXTS("<td>Consultation</td>"));
	snprintf(path, sizeof(path), "/confidentialite/journal?personne=%lld",
		 person_id("gest@x.test"));
	expect_get(&srv, &gestx, path, 200, TEXTS("Aucune entrée pour ces critères."), NULL);
	expect_get(&srv, &gestx, "/confidentialite/journal?famille=abc", 404, NULL, NULL);
	expect_get(&srv, &gestx, "/confidentialite/journal?action=lire", 404, NULL, NULL);
	expect_get(&srv, &gestx, "/confidentialite/journal?du=2026-13-01&au=2026-12-31", 200,
		   TEXTS("Période invalide"), NULL);
	expect_get(&srv, &gesty, "/confidentialite/journal", 200, TEXTS("Paul Gagnon"),
		   TEXTS("Julie Roy"));
	expect_get(&srv, &admin, "/confidentialite/journal?action=write", 200,
		   TEXTS("Julie Roy", "Paul Gagnon"), NULL);

	/* Every entry of the scope in one file, whatever the page. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &gestx, "/confidentialite/journal?format=csv&avant=3", &r),
			 0);
	assert_status(&r, 200);
	char ct[128];
	assert_non_null(ts_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "text/csv"));
	const char *header = "\xEF\xBB\xBFN°;Date et heure;Personne";
	assert_memory_equal(r.body.data, header, strlen(header));
	assert_int_equal(csv_rows(&r), 56); /* the opening's write and 55 reads */
	assert_lacks(&r, "Paul Gagnon");
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &gestx, "/confidentialite/journal?format=xlsx", &r), 0);
	assert_status(&r, 200);
	assert_memory_equal(r.body.data, "PK\x03\x04", 4);
	assert_non_null(ts_header(&r, "Content-Disposition", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "journal-des-acces-2026-04-01-2027-03-31.xlsx"));
	ts_resp_free(&r);
	expect_get(&srv, &gestx, "/confidentialite/journal?format=pdf", 404, NULL, NULL);
}

/* A referral from X to Y is in both organisations' register of
 * communications, and in its file. */
static void test_communications_register(void **state)
{
	(void)state;
	const char *kv[] = {"famille",         num(fam_x), "corridor", "direct",
			    "to_organisation", "2",        NULL};
	char loc[256];
	post_redirect(&srv, &papx, "/renvois/nouveau", kv, loc, sizeof(loc));
	expect_get(&srv, &gestx, "/confidentialite/communications", 200,
		   TEXTS("Julie Roy", "Maison de la famille", "Nom et téléphone", "Référence"),
		   TEXTS("Inés"));
	expect_get(&srv, &gesty, "/confidentialite/communications", 200,
		   TEXTS("Maison de la famille", "Julie Roy"), NULL);
	expect_get(&srv, &gestx, "/confidentialite/communications?format=csv", 200,
		   TEXTS("Nom et téléphone;", ";Maison de la famille;"), NULL);
	expect_get(&srv, &gestx, "/confidentialite/communications?du=2025-01-01&au=2025-12-31", 200,
		   TEXTS("Aucune communication dans cette période."), NULL);
}

/* The incident register: every field of the regulation, errors at once,
 * updated later with the notices; scoped to the organisation. */
static void test_incident_register(void **state)
{
	(void)state;
	expect_get(&srv, &gestx, "/confidentialite/incidents/nouveau", 200,
		   TEXTS("Renseignements personnels concernés", "Évaluation du risque de préjudice",
			 "Avis à la Commission d&#39;accès à l&#39;information le"),
		   TEXTS("name=\"organisation_id\""));
	const char *empty[] = {"information", "",  "discovered_on", "2026-12-01", "people_count",
			       "beaucoup",    NULL};
	expect_post(&srv, &gestx, "/confidentialite/incidents/nouveau", empty, 422,
		    TEXTS("href=\"#f-information\"", "href=\"#f-circumstances\"",
			  "href=\"#f-discovered-on\"", "href=\"#f-people-count\"",
			  "href=\"#f-risk-assessment\"", "value=\"beaucoup\""),
		    NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM incident_register"), 0);
	const char *kv[] = {"information",
			    "Nom et téléphone de trois familles",
			    "circumstances",
			    "Courriel envoyé au mauvais partenaire",
			    "occurred_on",
			    "2026-11-20",
			    "discovered_on",
			    "2026-11-21",
			    "people_count",
			    "3",
			    "risk_assessment",
			    "Renseignements sensibles, destinataire de confiance",
			    NULL};
	char loc[256];
	post_redirect(&srv, &gestx, "/confidentialite/incidents/nouveau", kv, loc, sizeof(loc));
	long long id = web_sql_count(srv.db, "SELECT max(id) FROM incident_register");
	assert_int_equal(web_sql_count(srv.db, "SELECT organisation_id FROM incident_register"), 1);
	expect_get(&srv, &gestx, "/confidentialite/incidents", 200,
		   TEXTS("Nom et téléphone de trois familles", "2026-11-21"), NULL);
	char path[64];
	snprintf(path, sizeof(path), "/confidentialite/incidents/%lld", id);
	const char *upd[] = {"information",
			     "Nom et téléphone de trois familles",
			     "circumstances",
			     "Courriel envoyé au mauvais partenaire",
			     "occurred_on",
			     "2026-11-20",
			     "discovered_on",
			     "2026-11-21",
			     "people_count",
			     "3",
			     "risk_assessment",
			     "Risque sérieux après vérification",
			     "serious_risk",
			     "1",
			     "notice_commission_on",
			     "2026-11-22",
			     "notice_people_on",
			     "2026-11-23",
			     "measures_taken",
			     "Demande de destruction au partenaire",
			     NULL};
	expect_post(&srv, &gestx, path, upd, 303, NULL, NULL);
	expect_get(&srv, &gestx, path, 200,
		   TEXTS("modifié par", "Nadia Gagnon", "name=\"serious_risk\" value=\"1\" checked",
			 "value=\"2026-11-22\""),
		   NULL);
	expect_get(&srv, &gestx, "/confidentialite/incidents?format=csv", 200,
		   TEXTS(";oui;2026-11-22;2026-11-23;", "Demande de destruction au partenaire"),
		   NULL);
	/* Y's person in charge does not see X's incident. */
	expect_get(&srv, &gesty, path, 404, NULL, NULL);
	expect_post(&srv, &gesty, path, upd, 404, NULL, NULL);
	expect_get(&srv, &gesty, "/confidentialite/incidents", 200, NULL,
		   TEXTS("Nom et téléphone de trois familles"));
	/* The admin sees it, and names the organisation of the ones it records. */
	expect_get(&srv, &admin, "/confidentialite/incidents", 200,
		   TEXTS("Nom et téléphone de trois familles", "CLSC du Parc"), NULL);
	expect_post(&srv, &admin, "/confidentialite/incidents/nouveau", kv, 422,
		    TEXTS("Choisissez l&#39;organisation concernée."), NULL);
}

/* The retention period, per organisation, by its person in charge. */
static void test_retention_period(void **state)
{
	(void)state;
	expect_get(&srv, &gestx, "/confidentialite/conservation", 200,
		   TEXTS("CLSC du Parc", "par défaut",
			 "Aucun dossier n&#39;arrive à la fin de sa période de conservation."),
		   TEXTS("Maison de la famille"));
	const char *zero[] = {"organisation", "1", "months", "0", NULL};
	expect_post(&srv, &gestx, "/confidentialite/conservation", zero, 422,
		    TEXTS("Entrez une durée de 1 à 1200 mois"), NULL);
	const char *other[] = {"organisation", "2", "months", "12", NULL};
	expect_post(&srv, &gestx, "/confidentialite/conservation", other, 404, NULL, NULL);
	const char *kv[] = {"organisation", "1", "months", "120", NULL};
	expect_post(&srv, &gestx, "/confidentialite/conservation", kv, 303, NULL, NULL);
	expect_get(&srv, &gestx, "/confidentialite/conservation", 200,
		   TEXTS("value=\"120\"", "fixée par Nadia Gagnon"), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT months FROM retention_policy WHERE "
					       "organisation_id = 1"),
			 120);
	expect_get(&srv, &admin, "/confidentialite/conservation", 200,
		   TEXTS("CLSC du Parc", "Maison de la famille"), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers_are_the_admins_until_designated),
		cmocka_unit_test(test_admin_designates),
		cmocka_unit_test(test_access_log_viewer),
		cmocka_unit_test(test_communications_register),
		cmocka_unit_test(test_incident_register),
		cmocka_unit_test(test_retention_period),
	};
	return cmocka_run_group_tests_name("e2e_privacy", tests, group_setup, web_suite_teardown);
}
