/* End-to-end tests of consent over time against a real "proxima serve"
 * (issue 13): a file opens only with the family's consent to suivi; a
 * scope is given later or withdrawn, with who, when and why, in the file's
 * history and in the access log; withdrawing `reference` stops a new
 * referral (and the receiving side's reading of the name); withdrawing
 * `citation` un-quotes the family's story on every page, in the API, in the
 * PDF report and in the export; a file is closed with a reason and
 * reopened; what consent does not allow is not offered; only the follower
 * and the managers may change a file (every other role: 404).
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
#define STORY "Madame a retrouvé le goût de sortir au parc avec ses jumeaux cet automne."
#define STORY_BIT "le goût de sortir au parc"

static struct ts_server srv;
static struct web_browser papx, papx2, gestx, papy, comite, analyste, admin;
static long long fam;      /* the family followed by papx */
static long long story_id; /* its story */
static long long ref_id;   /* its referral to Y */

static const char FIXTURE[] = WEB_FIXTURE_TWO_ORGS;

static const struct web_account ACCOUNTS[] = {
	{&papx, WEB_PAP_X},  {&papx2, WEB_PAP_X2},     {&gestx, WEB_GEST_X},
	{&papy, WEB_PAP_Y},  {&comite, WEB_COMITE_T1}, {&analyste, WEB_ANALYSTE},
	{&admin, WEB_ADMIN},
};

static int group_setup(void **state)
{
	*state = &srv;
	return web_suite_setup(&srv, NOW, FIXTURE, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

/* prefix, id and suffix in one of a few rotating static buffers. */
static const char *pathf(const char *prefix, long long id, const char *suffix)
{
	static char buf[6][256];
	static int k;
	k = (k + 1) % 6;
	snprintf(buf[k], sizeof(buf[k]), "%s%lld%s", prefix, id, suffix);
	return buf[k];
}

static const char *num(long long id)
{
	static char buf[4][32];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%lld", id);
	return buf[k];
}

/* Gives (give) or withdraws scope of the family as b; the answer's status
 * must be status. */
static void change_consent(struct web_browser *b, const char *scope, bool give, long status)
{
	const char *kv[] = {
		"change",
		give ? "donner" : "retirer",
		"scope",
		scope,
		"on_date",
		TODAY,
		"language",
		"es",
		"reason",
		give ? "Formulaire signé au local communautaire" : "La famille le demande au téléphone",
		NULL};
	expect_post(&srv, b, pathf("/familles/", fam, "/consentement"), kv, status, NULL, NULL);
}

/* A file cannot open without the family's consent to suivi; the form
 * ticks it by default. */
static void test_opening_needs_suivi(void **state)
{
	(void)state;
	expect_get(&srv, &papx, "/familles/nouvelle", 200,
		   TEXTS("name=\"consent.suivi\" value=\"1\" checked"), NULL);
	long long before = web_sql_count(srv.db, "SELECT count(*) FROM family");
	const char *kv[] = {
		"code",       "F-SANS",           "opened", "2026-11-20",        "consent.date",
		"2026-11-20", "consent.language", "fr",     "consent.reference", "1",
		NULL};
	expect_post(&srv, &papx, "/familles/nouvelle", kv, 422,
		    TEXTS("Un suivi s&#39;ouvre avec le consentement de la famille au suivi.",
			  "href=\"#f-consent-scopes\""),
		    NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family"), before);

	const char *ok[] = {"code",
			    "F-2026-07",
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
			    NULL};
	char loc[512];
	post_redirect(&srv, &papx, "/familles/nouvelle", ok, loc, sizeof(loc));
	fam = strtoll(loc + strlen("/familles/"), NULL, 10);
	assert_true(fam > 0);
	/* The history starts with the consent given at the opening. */
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family_event WHERE "
					       "kind = 'consent_given' AND scope = 'suivi'"),
			 1);
}

/* Without consent to reference, "Référer" is not offered; given later, it
 * is, and the referral goes; the change is in the history and the log. */
static void test_reference_given_later(void **state)
{
	(void)state;
	const char *refer = pathf("href=\"/renvois/nouveau?famille=", fam, "\"");
	expect_get(&srv, &papx, pathf("/familles/", fam, ""), 200,
		   TEXTS("Sans consentement à la référence", "Donner ou retirer un consentement"),
		   TEXTS(refer));
	expect_get(&srv, &papx, pathf("/renvois/nouveau?famille=", fam, ""), 200,
		   TEXTS("ne couvre pas la référence"), TEXTS("name=\"to_organisation\""));

	/* A reason is required; the values come back. */
	const char *bad[] = {"change",   "donner", "scope",  "reference", "on_date", TODAY,
			     "language", "es",     "reason", " ",         NULL};
	expect_post(&srv, &papx, pathf("/familles/", fam, "/consentement"), bad, 422,
		    TEXTS("Dites pourquoi, en quelques mots.", "value=\"reference\" checked"),
		    NULL);
	long long logged = web_sql_count(srv.db, "SELECT count(*) FROM audit_log");
	change_consent(&papx, "reference", true, 303);
	expect_get(&srv, &papx, pathf("/familles/", fam, "?ok=consentement"), 200,
		   TEXTS(refer, "Consentement donné : référence",
			 "Formulaire signé au local communautaire", "par vous", "suivi, référence"),
		   NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM audit_log"), logged + 1);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE action = "
					       "'write' AND information = 'consent.reference' AND "
					       "purpose = 'consent_given'"),
			 1);
	/* Given twice: refused. */
	change_consent(&papx, "reference", true, 422);

	const char *kv[] = {"famille",         num(fam), "corridor", "direct",
			    "to_organisation", "2",      NULL};
	char loc[512];
	post_redirect(&srv, &papx, "/renvois/nouveau", kv, loc, sizeof(loc));
	ref_id = strtoll(loc + strlen("/renvois/"), NULL, 10);
	assert_true(ref_id > 0);
	expect_get(&srv, &papy, pathf("/renvois/", ref_id, ""), 200,
		   TEXTS("Voir le nom et le téléphone"), NULL);
}

/* Withdrawn: no new referral (the page offers none, a post is refused),
 * and the receiving side no longer reads the name. */
static void test_reference_withdrawn_blocks_referral(void **state)
{
	(void)state;
	change_consent(&papx, "reference", false, 303);
	expect_get(&srv, &papx, pathf("/familles/", fam, ""), 200,
		   TEXTS("Consentement retiré : référence", "La famille le demande au téléphone"),
		   TEXTS(pathf("href=\"/renvois/nouveau?famille=", fam, "\"")));
	long long before = web_sql_count(srv.db, "SELECT count(*) FROM referral");
	const char *kv[] = {"famille",         num(fam), "corridor", "direct",
			    "to_organisation", "2",      NULL};
	expect_post(&srv, &papx, "/renvois/nouveau", kv, 422,
		    TEXTS("La famille n&#39;a pas consenti à être référée"), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM referral"), before);
	expect_get(&srv, &papy, pathf("/renvois/", ref_id, ""), 200, NULL,
		   TEXTS("Voir le nom et le téléphone", "Inés Ortega"));
	expect_post(&srv, &papy, pathf("/renvois/", ref_id, "/coordonnees"), NULL, 404, NULL,
		    TEXTS("Inés Ortega"));
}

/* Every place a committee or an analyst may read a quoted story. */
static void expect_story_quoted(bool quoted)
{
	const char *const *yes = quoted ? TEXTS(STORY_BIT) : NULL;
	const char *const *no = quoted ? NULL : TEXTS(STORY_BIT);
	expect_get(&srv, &comite, "/recits", 200, yes, no);
	expect_get(&srv, &comite, pathf("/recits/", story_id, ""), 200, yes, no);
	expect_get(&srv, &comite, "/recits/selection", 200, yes, no);
	expect_get(&srv, &comite, "/api/v1/stories", 200, yes, no);
	expect_get(&srv, &analyste, "/recits", 200, yes, no);
	expect_get(&srv, &analyste, "/api/v1/stories", 200, yes, no);
}

/* The PDF report of the territory, as text (pdftotext). */
static bool pdf_has_story(struct web_browser *b, const char *query)
{
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, b, query, &r), 0);
	assert_status(&r, 200);
	char pdf[700], txt[700];
	snprintf(pdf, sizeof(pdf), "%s/report.pdf", srv.dir);
	snprintf(txt, sizeof(txt), "%s/report.txt", srv.dir);
	FILE *f = fopen(pdf, "wb");
	assert_non_null(f);
	fwrite(r.body.data, 1, r.body.len, f);
	fclose(f);
	ts_resp_free(&r);
	char cmd[1600];
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' '%s'", pdf, txt);
	assert_int_equal(system(cmd), 0);
	f = fopen(txt, "r");
	assert_non_null(f);
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	for (char *p = text; *p; p++) /* the PDF breaks lines anywhere */
		if (*p == '\n')
			*p = ' ';
	return strstr(text, "retrouvé le goût") != NULL;
}

/* The family consents to citation; its quoted, selected story reaches
 * the committee. Withdrawn: the text is gone everywhere at once. */
static void test_citation_withdrawn_unquotes_everywhere(void **state)
{
	(void)state;
	change_consent(&papx, "citation", true, 303);
	const char *kv[] = {"family",   num(fam),         "date",          TODAY, "text", STORY,
			    "outcomes", "lien_confiance", "consent_quote", "1",   NULL};
	char loc[512];
	post_redirect(&srv, &papx, "/recits/nouveau", kv, loc, sizeof(loc));
	story_id = strtoll(loc + strlen("/recits/"), NULL, 10);
	assert_true(story_id > 0);
	const char *sel[] = {"action", "retenir", "selection_reason",
			     "Le premier pas d'une famille isolée.", NULL};
	expect_post(&srv, &gestx, pathf("/recits/", story_id, "/selection"), sel, 303, NULL, NULL);

	expect_story_quoted(true);
	const char *report = "/tableaux/rapport?format=pdf&territoire=T-1";
	assert_true(pdf_has_story(&comite, report));
	assert_true(pdf_has_story(&gestx, "/tableaux/rapport?format=pdf"));

	change_consent(&papx, "citation", false, 303);
	expect_story_quoted(false);
	assert_false(pdf_has_story(&comite, report));
	assert_false(pdf_has_story(&gestx, "/tableaux/rapport?format=pdf"));
	/* The author still reads their story, marked not quotable; the export
	 * carries the withdrawal, so it imports again. */
	expect_get(&srv, &papx, pathf("/recits/", story_id, ""), 200, TEXTS(STORY_BIT), NULL);
	assert_int_equal(
		web_sql_count(srv.db, "SELECT count(*) FROM story WHERE consent_quote = 1"), 0);
	/* Given again, the story is not quoted until its author says so. */
	change_consent(&papx, "citation", true, 303);
	expect_get(&srv, &comite, pathf("/recits/", story_id, ""), 200, NULL, TEXTS(STORY_BIT));
}

/* Only the follower and the managers change a file; for everyone else the
 * pages do not exist. */
static void test_who_may_change(void **state)
{
	(void)state;
	struct web_browser *others[] = {&papx2, &papy, &comite, &analyste, &admin};
	const char *pages[] = {"/consentement", "/fermer"};
	for (size_t i = 0; i < WEB_COUNT(others); i++) {
		for (size_t k = 0; k < WEB_COUNT(pages); k++) {
			expect_get(&srv, others[i], pathf("/familles/", fam, pages[k]), 404, NULL,
				   TEXTS("Inés"));
			const char *kv[] = {"change",  "retirer", "scope", "suivi",       "on_date",
					    TODAY,     "reason",  "x",     "reason_code", "autre",
					    "comment", "x",       NULL};
			expect_post(&srv, others[i], pathf("/familles/", fam, pages[k]), kv, 404,
				    NULL, NULL);
		}
	}
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family WHERE closed IS NULL "
					       "AND consent_suivi = 1"),
			 1);
	/* The other PAP of X sees the file, without history or the change link. */
	expect_get(&srv, &papx2, pathf("/familles/", fam, ""), 200, TEXTS("F-2026-07"),
		   TEXTS("Historique du dossier", "/consentement\""));
	expect_get(&srv, &gestx, pathf("/familles/", fam, "/consentement"), 200,
		   TEXTS("Historique du dossier", "Consentement retiré : citation"), NULL);
}

/* Closed with a reason, reopened with one; withdrawing suivi closes the
 * file, which reopens only once suivi is given again. */
static void test_close_and_reopen(void **state)
{
	(void)state;
	const char *none[] = {"on_date", TODAY, NULL};
	expect_post(&srv, &papx, pathf("/familles/", fam, "/fermer"), none, 422,
		    TEXTS("Choisissez la raison de la fermeture."), NULL);
	const char *other[] = {"on_date", TODAY, "reason_code", "autre", NULL};
	expect_post(&srv, &papx, pathf("/familles/", fam, "/fermer"), other, 422,
		    TEXTS("Dites pourquoi, en quelques mots."), NULL);
	const char *kv[] = {"on_date", TODAY, "reason_code", "demenagement", NULL};
	expect_post(&srv, &papx, pathf("/familles/", fam, "/fermer"), kv, 303, NULL, NULL);
	expect_get(
		&srv, &papx, pathf("/familles/", fam, ""), 200,
		TEXTS("Fermé le", "Déménagement", "Suivi fermé : Déménagement", "Rouvrir le suivi"),
		TEXTS("+ Consigner une activité", "Fermer le suivi</a>"));
	expect_get(&srv, &papx, pathf("/familles/", fam, "/fermer"), 404, NULL, NULL);

	const char *why[] = {"on_date", TODAY, "reason", "La famille revient au café-rencontre",
			     NULL};
	expect_post(&srv, &papx, pathf("/familles/", fam, "/rouvrir"), why, 303, NULL, NULL);
	expect_get(&srv, &papx, pathf("/familles/", fam, ""), 200,
		   TEXTS("Suivi rouvert", "La famille revient au café-rencontre",
			 "Fermer le suivi</a>"),
		   NULL);

	change_consent(&gestx, "suivi", false, 303);
	expect_get(&srv, &papx, pathf("/familles/", fam, ""), 200,
		   TEXTS("Consentement au suivi retiré", "par Nadia Gagnon"), NULL);
	expect_post(&srv, &papx, pathf("/familles/", fam, "/rouvrir"), why, 422,
		    TEXTS("La famille a retiré son consentement au suivi"), NULL);
	change_consent(&papx, "suivi", true, 303);
	expect_post(&srv, &papx, pathf("/familles/", fam, "/rouvrir"), why, 303, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family_event WHERE "
					       "kind IN ('closed', 'reopened')"),
			 4);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE "
					       "information = 'file'"),
			 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opening_needs_suivi),
		cmocka_unit_test(test_reference_given_later),
		cmocka_unit_test(test_reference_withdrawn_blocks_referral),
		cmocka_unit_test(test_citation_withdrawn_unquotes_everywhere),
		cmocka_unit_test(test_who_may_change),
		cmocka_unit_test(test_close_and_reopen),
	};
	return cmocka_run_group_tests_name("e2e_consent", tests, group_setup, web_suite_teardown);
}
