/* End-to-end tests of surveys and projects against a real "proxima
 * serve": the public family link takes an answer without an account,
 * refuses a score of 0 or 6 and a closed or not yet started project, sets
 * no cookie but the CSRF token and stores no person (database) and no
 * address (access log); a PAP is reminded on the home page and answers
 * once; a manager sees no team figure under 5 answering PAP, never a
 * PAP's answer or comment, and never another organisation's aggregates;
 * the manager's export carries no PAP answer.
 *
 * Setup like e2e_journal: "proxima init", a few rows with the sqlite3 C
 * API, accounts with "proxima user add", a fixed clock (PROXIMA_NOW). */
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
#define TOKEN_OPEN "OpenOpenOpenOpenOpen01" /* 22 characters */
#define TOKEN_ENDED "EndedEndedEndedEnded01"
#define TOKEN_LATER "LaterLaterLaterLater01"
#define CANARY "canari-confidentiel-"

static struct ts_server srv;

#define NPAP 5
static struct web_browser paps[NPAP], pap_b, gest_a, gest_b, comite_a;

/* The accounts: NPAP PAPs of A (filled in by group_setup), then the others;
 * all signed in once the server is up. */
static char pap_email[NPAP][64], pap_name[NPAP][64];
static struct web_account accounts[NPAP + 4] = {
	[NPAP] = {&pap_b, "pap@b.test", "Paul Roy", "pap", "ORG-B", "T-B"},
	[NPAP + 1] = {&gest_a, "gest@a.test", "Nadia Gagnon", "gestionnaire", "ORG-A", "T-A"},
	[NPAP + 2] = {&gest_b, "gest@b.test", "Guy Bédard", "gestionnaire", "ORG-B", "T-B"},
	[NPAP + 3] = {&comite_a, "comite@a.test", "Comité A", "comite", NULL, "T-A"},
};

static int group_setup(void **state)
{
	*state = &srv; /* for web_suite_teardown */
	for (int i = 0; i < NPAP; i++) {
		snprintf(pap_email[i], sizeof(pap_email[i]), "pap%d@a.test", i + 1);
		snprintf(pap_name[i], sizeof(pap_name[i]), "PAP numéro %d", i + 1);
		accounts[i] = (struct web_account){&paps[i], pap_email[i], pap_name[i],
						   "pap",    "ORG-A",      "T-A"};
	}
	return web_suite_setup(
		&srv, NOW,
		WEB_FIXTURE_TWO_TERRITORIES
		"INSERT INTO project (id, ext_id, territory_id, name, start_date, end_date, "
		"survey_token) VALUES "
		"(1, 'P-OPEN', 1, 'Tournée des parcs', '2026-01-01', NULL, '" TOKEN_OPEN "'),"
		"(2, 'P-ENDED', 1, 'Projet terminé', '2025-01-01', '2026-01-31', '" TOKEN_ENDED
		"'),"
		"(3, 'P-LATER', 1, 'Projet à venir', '2027-01-01', NULL, '" TOKEN_LATER "');"
		"INSERT INTO survey_campaign (organisation_id, opens, closes, created_at) "
		"VALUES "
		"(1, '2026-11-01', '2026-12-15', 0), (2, '2026-11-01', '2026-12-15', 0);",
		accounts, WEB_COUNT(accounts), PASSWORD);
}

static const char *const family_ok[] = {"items.global",
					"5",
					"items.ecoute",
					"4",
					"items.sait_qui_appeler",
					"3",
					"items.recommande",
					"5",
					NULL};

/* The public link: no account, only the CSRF cookie, 0 and 6 refused, the
 * answer stored without a person, the log without address or token. */
static void test_family_link_without_login(void **state)
{
	(void)state;
	struct web_browser anon;
	struct ts_resp r = {0};
	assert_int_equal(web_get_anonymous(&srv, &anon, "/s/" TOKEN_OPEN, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Tournée des parcs");
	assert_has(&r, "name=\"items.global\" value=\"5\"");
	assert_has(&r, "href=\"?lang=en\"");
	/* One cookie only, the CSRF token; no session, no language cookie. */
	assert_int_equal(ts_header_count(&r, "Set-Cookie"), 1);
	assert_non_null(anon.csrf[0] ? anon.csrf : NULL);
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	assert_int_equal(
		web_get_anonymous(&srv, &(struct web_browser){0}, "/s/" TOKEN_OPEN "?lang=en", &r),
		0);
	assert_status(&r, 200);
	assert_has(&r, "lang=\"en-CA\"");
	assert_has(&r, "Your opinion matters");
	ts_resp_free(&r);

	const char *zero[] = {"items.global",
			      "0",
			      "items.ecoute",
			      "4",
			      "items.sait_qui_appeler",
			      "3",
			      "items.recommande",
			      "5",
			      NULL};
	const char *six[] = {"items.global",
			     "5",
			     "items.ecoute",
			     "6",
			     "items.sait_qui_appeler",
			     "3",
			     "items.recommande",
			     "5",
			     NULL};
	expect_post(&srv, &anon, "/s/" TOKEN_OPEN, zero, 422,
		    TEXTS("Choisissez une note de 1 à 5.", "id=\"e-f-items-global\""), NULL);
	expect_post(&srv, &anon, "/s/" TOKEN_OPEN, six, 422, TEXTS("id=\"e-f-items-ecoute\""),
		    NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM survey"), 0);

	/* Without the CSRF token: refused. */
	memset(&r, 0, sizeof(r));
	char body[512];
	web_form_build(body, sizeof(body), "", family_ok);
	const char *h[] = {WEB_FORM_CT, NULL};
	assert_int_equal(
		ts_http(NULL, "POST", ts_url(&srv, "/s/" TOKEN_OPEN), h, body, strlen(body), &r),
		0);
	assert_status(&r, 403);
	ts_resp_free(&r);

	memset(&r, 0, sizeof(r));
	assert_int_equal(web_post(&srv, &anon, "/s/" TOKEN_OPEN, family_ok, &r), 0);
	assert_status(&r, 303);
	assert_int_equal(ts_header_count(&r, "Set-Cookie"), 0);
	char loc[1024];
	assert_string_equal(location(&r, loc, sizeof(loc)), "/s/" TOKEN_OPEN "/merci?lang=fr");
	ts_resp_free(&r);
	expect_get(&srv, &anon, loc, 200, TEXTS("Merci !"), NULL);

	/* Stored: type famille, the project, no person, no comment. */
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM survey WHERE type = 'famille' "
				       "AND project_id = 1 AND score = 5 AND person_id IS NULL "
				       "AND comment IS NULL AND territory_id = 1"),
			 1);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM survey_item"), 4);
	/* Nothing in the whole row looks like an address or an agent. */
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM survey WHERE ext_id LIKE "
				       "'%127.0.0.1%' OR coalesce(comment, '') LIKE '%curl%'"),
			 0);

	/* The access log: /s/ lines have no address and no token. */
	ts_sleep_ms(200);
	char *log = ts_read_file(srv.access_log, NULL);
	assert_non_null(log);
	int s_lines = 0;
	for (char *line = log; line && *line;) {
		char *e = strchr(line, '\n');
		if (e)
			*e = '\0';
		if (strstr(line, "path=\"/s/")) {
			s_lines++;
			if (!strstr(line, "ip=-") || strstr(line, "127.0.0.1") ||
			    strstr(line, TOKEN_OPEN))
				fail_msg("access log line keeps an address or the token: %s", line);
		}
		line = e ? e + 1 : NULL;
	}
	free(log);
	assert_true(s_lines >= 6);
	/* The server's other output does not name the token's caller either. */
	char *err = ts_read_file(srv.err_path, NULL);
	if (err) {
		assert_null(strstr(err, TOKEN_OPEN));
		free(err);
	}
}

/* A closed project and one not started: 410 with a clear message, nothing
 * stored; an unknown token: 404. */
static void test_closed_project(void **state)
{
	(void)state;
	long long before = web_sql_count(srv.db, "SELECT count(*) FROM survey");
	struct web_browser anon, other;
	struct ts_resp r = {0};
	/* The CSRF cookie comes from an open form; a closed one sets none. */
	assert_int_equal(web_get_anonymous(&srv, &anon, "/s/" TOKEN_OPEN, &r), 0);
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get_anonymous(&srv, &other, "/s/" TOKEN_ENDED, &r), 0);
	assert_status(&r, 410);
	assert_has(&r, "Ce sondage est fermé.");
	assert_has(&r, "Le projet a pris fin le samedi 31 janvier 2026.");
	ts_resp_free(&r);
	expect_post(&srv, &anon, "/s/" TOKEN_ENDED, family_ok, 410, NULL, NULL);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get_anonymous(&srv, &other, "/s/" TOKEN_LATER, &r), 0);
	assert_status(&r, 410);
	assert_has(&r, "Ce sondage n&#39;est pas encore ouvert.");
	ts_resp_free(&r);
	expect_post(&srv, &anon, "/s/" TOKEN_LATER, family_ok, 410, NULL, NULL);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get_anonymous(&srv, &other, "/s/NoSuchTokenNoSuchTok1", &r), 0);
	assert_status(&r, 404);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM survey"), before);
}

/* PAP i answers the due survey (global score g) with a canary comment. */
static void pap_answers(int i, const char *g, bool comment)
{
	char canary[64];
	snprintf(canary, sizeof(canary), CANARY "%d", i);
	const char *kv[] = {"items.global",
			    g,
			    "items.charge",
			    "2",
			    "items.soutien",
			    "4",
			    "items.securite",
			    "5",
			    "items.reconnaissance",
			    "3",
			    "comment",
			    comment ? canary : "",
			    NULL};
	char loc[1024];
	assert_string_equal(post_redirect(&srv, &paps[i], "/sondages", kv, loc, sizeof(loc)),
			    "/sondages?ok=merci");
}

/* The manager's page and API at n answering PAP: hidden while the period
 * is open and under 5 respondents, never a comment under 5 comments, never
 * a name next to an answer. */
static void check_manager_view(int n, bool closed)
{
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &gest_a, "/sondages", &r), 0);
	assert_status(&r, 200);
	for (int i = 0; i < NPAP; i++) {
		char canary[64];
		snprintf(canary, sizeof(canary), CANARY "%d", i);
		assert_lacks(&r, canary);
		char name[64];
		snprintf(name, sizeof(name), "PAP numéro %d", i + 1);
		assert_lacks(&r, name);
	}
	if (n < 5 || !closed) {
		assert_has(&r, "Résultats masqués pour protéger la confidentialité");
		assert_lacks(&r, "Moyenne /5");
	} else {
		assert_has(&r, "Réponses : <strong>5</strong>");
		assert_has(&r, "Moyenne /5");
		assert_has(&r,
			   "Les commentaires ne sont affichés qu&#39;à partir de 5 commentaires.");
	}
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &gest_a,
				 "/api/v1/surveys/aggregates?organisation=ORG-A&from=2026-11-01",
				 &r),
			 0);
	assert_status(&r, 200);
	assert_lacks(&r, CANARY);
	if (n < 5 || !closed) {
		assert_has(&r, "\"suppressed\":true");
		assert_has(&r, "\"items\":[]");
		assert_has(&r, "\"answers\":null");
	} else {
		assert_has(&r, "\"suppressed\":false");
		assert_has(&r, "\"answers\":5");
		assert_has(&r, "\"comments\":null");
	}
	ts_resp_free(&r);
}

static void test_pap_survey_confidential(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	expect_get(&srv, &paps[0], "/", 0,
		   TEXTS("Un sondage sur votre bien-être au travail vous attend"), NULL);
	expect_get(&srv, &paps[0], "/sondages", 0,
		   TEXTS("Votre bien-être dans votre mandat", "name=\"items.reconnaissance\""),
		   NULL);

	check_manager_view(0, false);
	pap_answers(0, "5", true);
	pap_answers(1, "4", true);
	check_manager_view(2, false);
	pap_answers(2, "2", true);
	pap_answers(3, "4", true);
	check_manager_view(4, false);
	pap_answers(4, "5", false);
	/* Five respondents, but the period is open: watching the mean move
	 * as each PAP answers would give each one's score. */
	check_manager_view(5, false);

	/* Answered: no reminder, no second answer. */
	expect_get(&srv, &paps[0], "/", 0, NULL,
		   TEXTS("Un sondage sur votre bien-être au travail vous attend"));
	memset(&r, 0, sizeof(r));
	const char *again[] = {"items.global",
			       "1",
			       "items.charge",
			       "1",
			       "items.soutien",
			       "1",
			       "items.securite",
			       "1",
			       "items.reconnaissance",
			       "1",
			       NULL};
	expect_post(&srv, &paps[0], "/sondages", again, 409, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM survey WHERE type = 'pap'"),
			 5);

	/* The manager's export (command line) carries no PAP answer; the
	 * admin's does. */
	const char *bin = ts_proxima_bin();
	assert_non_null(bin);
	static char out[1 << 16];
	char err[2048];
	const char *exp_g[] = {"export", "--db", srv.db, "--view", "gestionnaire", "-", NULL};
	assert_int_equal(ts_run(exp_g, TS_START_TIMEOUT_MS, out, sizeof(out), err, sizeof(err)), 0);
	assert_null(strstr(out, "\"type\":\"pap\""));
	assert_null(strstr(out, CANARY));
	assert_non_null(strstr(out, "\"type\":\"famille\""));
	const char *exp_c[] = {"export", "--db", srv.db, "--view", "comite", "-", NULL};
	assert_int_equal(ts_run(exp_c, TS_START_TIMEOUT_MS, out, sizeof(out), err, sizeof(err)), 0);
	assert_null(strstr(out, "\"kind\":\"survey\""));
	/* The period closed yesterday (answers moved into it): the team's
	 * results appear. */
	assert_int_equal(web_sql(srv.db, "UPDATE survey_campaign SET closes = '2026-11-24' WHERE "
					 "organisation_id = 1;"
					 "UPDATE survey SET date = '2026-11-20' WHERE type = 'pap';"),
			 0);
	check_manager_view(5, true);
}

/* A manager of B never reads A's aggregates; a PAP reads none. */
static void test_other_organisation(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	expect_get(&srv, &gest_b, "/api/v1/surveys/aggregates?organisation=ORG-A", 404, NULL,
		   TEXTS("\"answers\""));
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &gest_b, "/sondages?organisation=1", &r), 0);
	assert_status(&r, 200);
	assert_lacks(&r, "Moyenne /5");
	assert_has(&r, "name=\"organisation\" value=\"2\"");
	ts_resp_free(&r);
	expect_get(&srv, &paps[0], "/api/v1/surveys/aggregates?organisation=ORG-A", 404, NULL,
		   NULL);
	/* B's manager cannot open a window for A. */
	memset(&r, 0, sizeof(r));
	const char *kv[] = {"organisation", "1",          "opens", "2027-01-01",
			    "closes",       "2027-01-31", NULL};
	expect_post(&srv, &gest_b, "/sondages/campagnes", kv, 303, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM survey_campaign WHERE "
					       "organisation_id = 1 AND opens = '2027-01-01'"),
			 0);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM survey_campaign WHERE "
					       "organisation_id = 2 AND opens = '2027-01-01'"),
			 1);
}

/* Projects: the committee creates one; a PAP of the territory reads it; a
 * PAP elsewhere gets 404; the token can be regenerated; the PAP enters a
 * paper form; the API lists it. */
static void test_projects(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *bad[] = {
		"name", "Cafés-rencontres", "territory",     "1", "start", "2026-12-01",
		"end",  "2026-11-01",       "organisations", "1", NULL};
	expect_post(&srv, &comite_a, "/projets/nouveau", bad, 422,
		    TEXTS("La fin précède le début.", "value=\"Cafés-rencontres\""), NULL);
	memset(&r, 0, sizeof(r));
	const char *ok[] = {"name",
			    "Cafés-rencontres",
			    "territory",
			    "1",
			    "start",
			    "2026-10-01",
			    "organisations",
			    "1",
			    "organisations",
			    "2",
			    "families_count",
			    "12",
			    "goals",
			    "Rejoindre les parents isolés",
			    NULL};
	char loc[1024];
	post_redirect(&srv, &comite_a, "/projets/nouveau", ok, loc, sizeof(loc));
	long long id =
		web_sql_count(srv.db, "SELECT id FROM project WHERE name = 'Cafés-rencontres'");
	assert_true(id > 0);
	char path[64];
	snprintf(path, sizeof(path), "/projets/%lld", id);
	expect_get(&srv, &paps[1], path, 200, TEXTS("Maison de la famille", "/s/"),
		   TEXTS("Créer un nouveau lien"));
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &pap_b, path, &r),
			 0); /* B is a partner organisation: it reads it */
	assert_status(&r, 200);
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	char edit[80];
	snprintf(edit, sizeof(edit), "%s/modifier", path);
	expect_get(&srv, &paps[1], edit, 404, NULL, NULL);

	char old[64], tpath[80];
	snprintf(tpath, sizeof(tpath), "%s/jeton", path);
	char tq[96];
	snprintf(tq, sizeof(tq), "SELECT survey_token FROM project WHERE id = %lld", id);
	assert_true(web_sql_text(srv.db, tq, old, sizeof(old))[0] != '\0');
	expect_post(&srv, &paps[1], tpath, NULL, 404, NULL, NULL);
	expect_post(&srv, &comite_a, tpath, NULL, 303, NULL, NULL);
	char opath[80];
	snprintf(opath, sizeof(opath), "/s/%s", old);
	struct web_browser anon;
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get_anonymous(&srv, &anon, opath, &r), 0);
	assert_status(&r, 404);
	ts_resp_free(&r);

	/* A paper form entered by a PAP: anonymous too. */
	char pid[32];
	snprintf(pid, sizeof(pid), "%lld", id);
	const char *paper[] = {"project",
			       pid,
			       "date",
			       TODAY,
			       "items.global",
			       "3",
			       "items.ecoute",
			       "4",
			       "items.sait_qui_appeler",
			       "4",
			       "items.recommande",
			       "2",
			       NULL};
	expect_post(&srv, &paps[1], "/sondages/familles/nouveau", paper, 303, NULL, NULL);
	char q[160];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM survey WHERE project_id = %lld AND person_id IS NULL", id);
	assert_int_equal(web_sql_count(srv.db, q), 1);

	expect_get(
		&srv, &paps[1], "/api/v1/projects", 200,
		TEXTS("\"name\":\"Cafés-rencontres\"", "\"organisations\":[\"ORG-A\",\"ORG-B\"]"),
		NULL);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &gest_b, "/api/v1/projects/P-OPEN", &r),
			 0); /* territory A, not a partner */
	assert_status(&r, 404);
	ts_resp_free(&r);
}

/* arr.satisfaction_pap of ORG-B as its manager reads it (gestionnaire
 * view, through the indicators API) over [2026-01-01, to]: its display, n
 * and respondents copied out. */
static void manager_pap_mean(const char *to, char *display, size_t cap, long long *n,
			     long long *respondents)
{
	char path[256];
	snprintf(path, sizeof(path),
		 "/api/v1/indicators?territory=T-B&from=2026-01-01&to=%s", to);
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &gest_b, path, &r), 0);
	assert_status(&r, 200);
	const char *p = strstr(r.body.data, "\"id\":\"arr.satisfaction_pap\"");
	assert_non_null(p);
	const char *d = strstr(p, "\"display\":\"");
	assert_non_null(d);
	d += 11;
	size_t k = 0;
	while (d[k] && d[k] != '"' && k + 1 < cap)
		display[k] = d[k], k++;
	display[k] = '\0';
	const char *np = strstr(p, "\"n\":");
	*n = np && np[4] != 'n' ? atoll(np + 4) : -1;
	const char *rp = strstr(p, "\"repondants\":");
	*respondents = rp ? atoll(rp + 13) : -1;
	ts_resp_free(&r);
}

/* The survey's promise in the manager's own report: the mean of an
 * organisation's only PAP (4 answers by one person) is not shown; and when
 * five more answer one quarter, comparing two dates does not give the
 * later score of the first one (her quarter alone is never released). */
static void test_team_means_from_distinct_respondents(void **state)
{
	(void)state;
	static const char solo[] =
		"{\"kind\":\"person\",\"id\":\"b-solo\",\"name\":\"PAP seule\",\"role\":\"pap\","
		"\"organisation\":\"ORG-B\",\"territory\":\"T-B\"}\n"
		"{\"kind\":\"position\",\"id\":\"P-BS\",\"organisation\":\"ORG-B\","
		"\"territory\":\"T-B\",\"start\":\"2025-01-01\",\"holders\":[{\"person\":\"b-solo\","
		"\"from\":\"2025-01-01\"}]}\n"
		"{\"kind\":\"survey\",\"id\":\"bs1\",\"type\":\"pap\",\"person\":\"b-solo\","
		"\"territory\":\"T-B\",\"date\":\"2026-01-15\",\"score\":4}\n"
		"{\"kind\":\"survey\",\"id\":\"bs2\",\"type\":\"pap\",\"person\":\"b-solo\","
		"\"territory\":\"T-B\",\"date\":\"2026-04-15\",\"score\":4}\n"
		"{\"kind\":\"survey\",\"id\":\"bs3\",\"type\":\"pap\",\"person\":\"b-solo\","
		"\"territory\":\"T-B\",\"date\":\"2026-07-15\",\"score\":3}\n"
		"{\"kind\":\"survey\",\"id\":\"bs4\",\"type\":\"pap\",\"person\":\"b-solo\","
		"\"territory\":\"T-B\",\"date\":\"2026-10-01\",\"score\":4}\n";
	assert_int_equal(web_import_text(&srv, solo, "solo.jsonl"), 0);
	char display[32];
	long long n, respondents;
	manager_pap_mean("2026-10-31", display, sizeof(display), &n, &respondents);
	assert_string_equal(display, "n\\u003c5"); /* "n<5", escaped in JSON */
	assert_int_equal(n, -1);

	/* Five more PAP answer in the second quarter. */
	char more[4096] = "";
	static const int scores[] = {5, 5, 4, 4, 3};
	for (int i = 1; i <= 5; i++)
		snprintf(more + strlen(more), sizeof(more) - strlen(more),
			 "{\"kind\":\"person\",\"id\":\"b-%d\",\"name\":\"PAP B%d\",\"role\":\"pap\","
			 "\"organisation\":\"ORG-B\",\"territory\":\"T-B\"}\n"
			 "{\"kind\":\"position\",\"id\":\"P-B%d\",\"organisation\":\"ORG-B\","
			 "\"territory\":\"T-B\",\"start\":\"2025-01-01\",\"holders\":[{\"person\":"
			 "\"b-%d\",\"from\":\"2025-01-01\"}]}\n"
			 "{\"kind\":\"survey\",\"id\":\"b%d\",\"type\":\"pap\",\"person\":\"b-%d\","
			 "\"territory\":\"T-B\",\"date\":\"2026-05-10\",\"score\":%d}\n",
			 i, i, i, i, i, i, scores[i - 1]);
	assert_int_equal(web_import_text(&srv, more, "more.jsonl"), 0);
	/* The second quarter: 6 respondents, 6 answers (4, 5, 5, 4, 4, 3). */
	char d1[32], d2[32];
	long long n1, n2, r1, r2;
	manager_pap_mean("2026-06-30", d1, sizeof(d1), &n1, &r1);
	assert_string_equal(d1, "4,2");
	assert_int_equal(n1, 6);
	assert_int_equal(r1, 6);
	/* Three months later, her third-quarter answer (alone in its quarter)
	 * changes nothing. */
	manager_pap_mean("2026-09-30", d2, sizeof(d2), &n2, &r2);
	assert_string_equal(d2, d1);
	assert_int_equal(n2, n1);
	assert_int_equal(r2, r1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_link_without_login),
		cmocka_unit_test(test_closed_project),
		cmocka_unit_test(test_pap_survey_confidential),
		cmocka_unit_test(test_team_means_from_distinct_respondents),
		cmocka_unit_test(test_other_organisation),
		cmocka_unit_test(test_projects),
	};
	return cmocka_run_group_tests_name("e2e_surveys", tests, group_setup, web_suite_teardown);
}
