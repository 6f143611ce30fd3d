/* End-to-end tests of what needs attention (issue 16) against a real
 * "proxima serve": the inbox's events written with the actions that cause
 * them (a referral received, taken in charge, refused; a support request
 * filed and answered), the navigation's unread badge, marking read one and
 * all (never another's event), each role's home page, the coded refusal
 * reasons, the referrals' reminder and expiry with an injected clock
 * (counted as an escape by the indicator engine), and the daily e-mail
 * digest received by a local SMTP sink with no nominative data in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/server.h"
#include "support/smtp_sink.h"
#include "support/web.h"
#include "support/web_assert.h"

#define NOW "2026-11-25T10:00:00"
#define PASSWORD "motdepasse-solide"
#define CANARY_NAME "Awa Canari-Diallo"
#define CANARY_PHONE "514-555-0199"

static struct ts_server srv;
static struct web_browser papx, gestx, papy, gesty, comite, analyste, admin;
static long long fam;       /* a family of X, consent to reference */
static char fam_code[32];   /* its pseudonymous code */
static long long ref_taken; /* X -> Y, taken in charge */
static long long ref_wait;  /* X -> Y, never acknowledged: reminded, expired */

static const struct web_account ACCOUNTS[] = {
	{&papx, WEB_PAP_X},   {&gestx, WEB_GEST_X},     {&papy, WEB_PAP_Y},
	{&gesty, WEB_GEST_Y}, {&comite, WEB_COMITE_T1}, {&analyste, WEB_ANALYSTE},
	{&admin, WEB_ADMIN},
};

/* prefix, id and suffix in one of a few rotating static buffers. */
static const char *pathf(const char *prefix, long long id, const char *suffix)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s%lld%s", prefix, id, suffix);
	return buf[k];
}

/* Unread events of the person with email, of kind (NULL: any). */
static long long unread(const char *email, const char *kind)
{
	char q[400];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM inbox_event e JOIN person p ON p.id = e.person_id "
		 "WHERE p.email = '%s' AND e.read_at IS NULL%s%s%s",
		 email, kind ? " AND e.kind = '" : "", kind ? kind : "", kind ? "'" : "");
	return web_sql_count(srv.db, q);
}

/* The newest event of the person with email. */
static long long last_event(const char *email)
{
	char q[300];
	snprintf(q, sizeof(q),
		 "SELECT max(e.id) FROM inbox_event e JOIN person p ON p.id = e.person_id "
		 "WHERE p.email = '%s'",
		 email);
	return web_sql_count(srv.db, q);
}

static long long send_referral(void)
{
	char f[32];
	snprintf(f, sizeof(f), "%lld", fam);
	const char *kv[] = {"famille", f, "corridor", "direct", "to_organisation", "2", NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, &papx, "/renvois/nouveau", kv, &r), 0);
	assert_status(&r, 303);
	ts_resp_free(&r);
	return web_sql_count(srv.db, "SELECT max(id) FROM referral");
}

static int setup(void **state)
{
	*state = &srv;
	if (web_suite_setup(&srv, NOW, WEB_FIXTURE_TWO_ORGS, ACCOUNTS, WEB_COUNT(ACCOUNTS),
			    PASSWORD) < 0)
		return -1;
	const char *kv[] = {"code",
			    "F-INBOX-7",
			    "opened",
			    "2026-11-20",
			    "consent.date",
			    "2026-11-20",
			    "consent.language",
			    "fr",
			    "consent.suivi",
			    "1",
			    "consent.reference",
			    "1",
			    "nominative.name",
			    CANARY_NAME,
			    "nominative.phone",
			    CANARY_PHONE,
			    NULL};
	struct ts_resp r = {0};
	if (web_post(&srv, &papx, "/familles/nouvelle", kv, &r) < 0 || r.status != 303)
		return -1;
	ts_resp_free(&r);
	fam = web_sql_count(srv.db, "SELECT max(id) FROM family");
	snprintf(fam_code, sizeof(fam_code), "F-INBOX-7");
	return 0;
}

/* A referral received: both people of Y see it, in the navigation and the
 * inbox; opening it marks it read; taking it in charge tells the sender. */
static void test_referral_events(void **state)
{
	(void)state;
	ref_taken = send_referral();
	assert_int_equal(unread("pap@y.test", "referral_received"), 1);
	assert_int_equal(unread("gest@y.test", "referral_received"), 1);
	assert_int_equal(unread("pap@x.test", NULL), 0); /* not to the one who acts */
	expect_get(&srv, &papy, "/boite", 200,
		   TEXTS("class=\"badge unread\">1<", "Nouvelle référence reçue", "F-INBOX-7",
			 "1 avis non lu", "1<span class=\"vh\"> non lu</span>"),
		   TEXTS(CANARY_NAME, CANARY_PHONE, " non lus</span>"));
	/* The screen reader's words agree with the count, in both languages. */
	expect_get(&srv, &papy, "/boite?lang=en", 200, TEXTS("1<span class=\"vh\"> unread</span>"),
		   NULL);
	/* One tap: opening marks it read and lands on the referral. */
	long long ev = last_event("pap@y.test");
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, &papy, pathf("/boite/", ev, "/ouvrir"), NULL, &r), 0);
	assert_status(&r, 303);
	char loc[256];
	assert_string_equal(location(&r, loc, sizeof(loc)), pathf("/renvois/", ref_taken, ""));
	ts_resp_free(&r);
	assert_int_equal(unread("pap@y.test", NULL), 0);
	assert_int_equal(unread("gest@y.test", NULL), 1); /* each person reads their own */
	/* Another person's event is not there for them. */
	expect_post(&srv, &papx, pathf("/boite/", last_event("gest@y.test"), "/lu"), NULL, 404,
		    NULL, NULL);
	assert_int_equal(unread("gest@y.test", NULL), 1);

	expect_post(&srv, &papy, pathf("/renvois/", ref_taken, "/prise-en-charge"), NULL, 303, NULL,
		    NULL);
	assert_int_equal(unread("pap@x.test", "referral_taken"), 1);
	expect_get(&srv, &papx, "/boite", 200, TEXTS("Référence prise en charge"), NULL);
	expect_post(&srv, &papx, "/boite/tout-lu", NULL, 303, NULL, NULL);
	expect_get(&srv, &papx, "/boite", 200, TEXTS("0 avis non lu"), TEXTS("badge unread"));
}

/* The inbox's API, as the manager of Y, who has one unread event: the
 * unread count beside "Boîte de réception" on /menu; GET /api/v1/inbox
 * pages the events; POST …/read marks one read, once per Idempotency-Key
 * (the same key answers the same again); another's event is a 404. */
static void test_inbox_api(void **state)
{
	(void)state;
	assert_int_equal(unread("gest@y.test", NULL), 1);
	expect_get(&srv, &gesty, "/menu", 200,
		   TEXTS("href=\"/boite\">Boîte de réception <span class=\"badge unread\">1<span "
			 "class=\"vh\"> non lu</span>"),
		   NULL);
	long long ev = last_event("gest@y.test");
	char item[128];
	snprintf(item, sizeof(item), "{\"id\":%lld,\"kind\":\"referral_received\"", ev);
	expect_api(&srv, &gesty, "GET", "/api/v1/inbox?unread=true", NULL, 200,
		   TEXTS(item, "\"label\":\"Nouvelle référence reçue\"", "\"read\":false",
			 "\"code\":\"F-INBOX-7\"", pathf("\"href\":\"/renvois/", ref_taken, "\""),
			 "\"total\":1", "\"next\":null"),
		   TEXTS(CANARY_NAME));
	expect_api(&srv, &gesty, "GET", "/api/v1/inbox?unread=true&lang=en", NULL, 200,
		   TEXTS("\"label\":\"New referral received\""), NULL);
	expect_api(&srv, &gesty, "GET", "/api/v1/inbox?unread=maybe", NULL, 400,
		   TEXTS("\"field\":\"unread\""), NULL);
	/* Marked read with a key; the same key again answers the same. */
	const char *h[] = {gesty.cookie, gesty.csrf_header, "Idempotency-Key: boite-0001", NULL};
	struct ts_resp r1 = {0}, r2 = {0};
	const char *path = pathf("/api/v1/inbox/", ev, "/read");
	assert_int_equal(ts_http(NULL, "POST", ts_url(&srv, path), h, NULL, 0, &r1), 0);
	assert_int_equal(ts_http(NULL, "POST", ts_url(&srv, path), h, NULL, 0, &r2), 0);
	assert_status(&r1, 200);
	assert_status(&r2, 200);
	assert_has(&r1, "\"read\":true");
	assert_string_equal(r1.body.data, r2.body.data);
	char v[16];
	assert_non_null(ts_header(&r2, "Idempotent-Replayed", v, sizeof(v)));
	ts_resp_free(&r1);
	ts_resp_free(&r2);
	assert_int_equal(unread("gest@y.test", NULL), 0);
	expect_get(&srv, &gesty, "/menu", 200, NULL, TEXTS("badge unread"));
	expect_api(&srv, &gesty, "GET", "/api/v1/inbox?unread=true", NULL, 200,
		   TEXTS("\"items\":[]", "\"total\":0"), NULL);
	/* Another person's event does not exist for them. */
	expect_api(&srv, &papx, "POST", path, NULL, 404, NULL, NULL);
}

/* A refusal takes a coded reason; the sender is told and reads it in words. */
static void test_refusal_coded(void **state)
{
	(void)state;
	long long ref = send_referral();
	const char *kv[] = {"refusal_code", "capacite", NULL};
	expect_post(&srv, &papy, pathf("/renvois/", ref, "/refus"), kv, 303, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, pathf("SELECT count(*) FROM referral WHERE id = ",
						     ref, " AND refusal_code = 'capacite'")),
			 1);
	assert_int_equal(unread("pap@x.test", "referral_refused"), 1);
	/* The interchange export carries the coded reason. */
	static char out[1 << 17];
	char err[2048];
	const char *exp[] = {"export", "--db", srv.db, "--view", "complet", "-", NULL};
	assert_int_equal(ts_run(exp, TS_START_TIMEOUT_MS, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, "\"outcome\":\"refusee\",\"refusal_code\":\"capacite\""));
	expect_get(&srv, &papx, pathf("/renvois/", ref, ""), 200,
		   TEXTS("Refusée", "Motif du refus", "Capacité atteinte, liste d&#39;attente"),
		   NULL);
	/* Counted by reason and corridor: as is for the manager, protected for the
	 * committee (a small count is not shown). */
	expect_get(&srv, &gestx, "/tableaux/organisation", 200,
		   TEXTS("Références refusées", "Refus dans la période : <strong>1</strong>",
			 "Capacité atteinte, liste d&#39;attente</th><td>1</td>",
			 "Référence directe</th><td>1</td>"),
		   NULL);
	expect_get(&srv, &comite, "/tableaux/territoire", 200,
		   TEXTS("Références refusées", "Refus dans la période : <strong>&lt;5</strong>",
			 "Capacité atteinte, liste d&#39;attente</th><td>&lt;5</td>"),
		   TEXTS("Capacité atteinte, liste d&#39;attente</th><td>1</td>"));
}

/* A support request tells the managers; its answer tells the PAP. */
static void test_support_events(void **state)
{
	(void)state;
	const char *kv[] = {"addressed_to",
			    "gestionnaire",
			    "type",
			    "charge_emotionnelle",
			    "urgency",
			    "elevee",
			    "text",
			    "Une semaine difficile",
			    NULL};
	expect_post(&srv, &papx, "/moi/soutien", kv, 303, NULL, NULL);
	assert_int_equal(unread("gest@x.test", "support_filed"), 1);
	assert_int_equal(unread("gest@y.test", "support_filed"), 0);
	expect_get(&srv, &gestx, "/", 200,
		   TEXTS("<span class=\"todo-count\">1</span> demande de soutien urgente",
			 "<span class=\"todo-count\">1</span> demande de soutien ouverte"),
		   NULL);
	expect_get(&srv, &gestx, "/boite", 200, TEXTS("Nouvelle demande de soutien", "elevee"),
		   TEXTS("Une semaine difficile"));
	long long req = web_sql_count(srv.db, "SELECT max(id) FROM support_request");
	expect_post(&srv, &gestx, pathf("/equipe/soutien/", req, "/accuser"), NULL, 303, NULL,
		    NULL);
	assert_int_equal(unread("pap@x.test", "support_answered"), 1);
	expect_get(&srv, &papx, "/", 200,
		   TEXTS("<span class=\"todo-count\">1</span> réponse à vos demandes de soutien"),
		   NULL);
}

/* Each role opens on what it acts on. */
/* Activities of this quarter on T-1: the committee's home gives their
 * change since the last quarter as a whole number ("+6", not "+6,0"; the
 * count itself is perturbed for the committee, so only its form is
 * checked). */
static void home_change_is_whole(void)
{
	char author[64], jl[2048];
	size_t n = 0;
	assert_non_null(web_sql_text(srv.db, "SELECT ext_id FROM person WHERE email = 'pap@x.test'",
				     author, sizeof(author)));
	for (int i = 1; i <= 6; i++)
		n += (size_t)snprintf(jl + n, sizeof(jl) - n,
				      "{\"kind\":\"activity\",\"id\":\"ACT-HOME-%d\",\"author\":"
				      "\"%s\",\"territory\":\"T-1\",\"date\":\"2026-11-%02d\","
				      "\"duration_min\":30,\"type\":\"demarchage\",\"place\":"
				      "\"parc\"}\n",
				      i, author, i + 1);
	assert_int_equal(web_import_text(&srv, jl, "home.jsonl"), 0);
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &comite, "/", &r), 0);
	assert_status(&r, 200);
	const char *row = strstr(r.body.data, "<th scope=\"row\">Activités</th>");
	assert_non_null(row);
	const char *cell = row;
	for (int k = 0; k < 3; k++) /* now, before, change */
		assert_non_null(cell = strstr(cell + 1, "<td>"));
	const char *end = strstr(cell, "</td>");
	assert_non_null(end);
	assert_true(cell[4] == '+');
	assert_null(memchr(cell, ',', (size_t)(end - cell)));
	ts_resp_free(&r);
}

static void test_home_by_role(void **state)
{
	(void)state;
	long long ref = send_referral();
	(void)ref;
	expect_get(&srv, &papy, "/", 200,
		   TEXTS("À faire",
			 "<span class=\"todo-count\">1</span> référence reçue à confirmer",
			 "id=\"home-outbox\" hidden"),
		   TEXTS("L&#39;intervention de proximité, rendue visible"));
	expect_get(&srv, &gesty, "/", 200,
		   TEXTS("<span class=\"todo-count\">1</span> PAP sans encadrement ce mois-ci"),
		   NULL);
	expect_get(&srv, &comite, "/", 200,
		   TEXTS("Trimestre en cours", "Trimestre précédent", "Ouvrir le tableau de bord"),
		   TEXTS(CANARY_NAME));
	home_change_is_whole();
	expect_get(&srv, &analyste, "/", 200, TEXTS("Trimestre en cours"), NULL);
	expect_get(&srv, &admin, "/", 200,
		   TEXTS("<span class=\"todo-count\">1</span> serveur de courriel à configurer"),
		   NULL);
	expect_get(&srv, &admin, "/?lang=en", 200, NULL, NULL);
	expect_get(&srv, NULL, "/", 200, TEXTS("L&#39;intervention de proximité, rendue visible"),
		   NULL);
}

/* Restarts the server at clock now and signs everyone in again. */
static void restart_at(const char *now)
{
	assert_int_equal(ts_server_stop(&srv), 0);
	setenv("PROXIMA_NOW", now, 1);
	assert_int_equal(ts_server_start(&srv, NULL), 0);
	for (size_t i = 0; i < WEB_COUNT(ACCOUNTS); i++)
		assert_int_equal(web_login(&srv, ACCOUNTS[i].browser, ACCOUNTS[i].email, PASSWORD),
				 0);
}

/* Waits up to 10 s for the query's count to reach n; returns the count. */
static long long wait_count(const char *q, long long n)
{
	long long c = 0;
	for (int i = 0; i < 100 && (c = web_sql_count(srv.db, q)) < n; i++)
		ts_sleep_ms(100);
	return c;
}

/* Not acknowledged after 3 days: one reminder to both sides; not taken in
 * charge after 60: closed as lost, and the engine counts it as escaped. */
static void test_reminder_then_expiry(void **state)
{
	(void)state;
	ref_wait = web_sql_count(srv.db, "SELECT max(id) FROM referral");
	expect_post(&srv, &papx, "/boite/tout-lu", NULL, 303, NULL, NULL);
	/* A wellbeing survey opens on the 28th: X's PAP is told once, at its
	 * opening, by the same schedule. */
	assert_int_equal(web_sql(srv.db,
				 "INSERT INTO survey_campaign (organisation_id, opens, "
				 "closes, created_at) VALUES (1, '2026-11-28', '2026-12-31', 0)"),
			 0);
	restart_at("2026-11-29T10:00:00");
	assert_int_equal(
		wait_count("SELECT count(*) FROM inbox_event WHERE kind = 'survey_due'", 1), 1);
	assert_int_equal(unread("pap@x.test", "survey_due"), 1);
	assert_int_equal(unread("gest@x.test", "survey_due"), 0);
	expect_get(&srv, &papx, "/boite", 200, TEXTS("Sondage de bien-être à remplir"), NULL);
	assert_int_equal(
		wait_count("SELECT count(*) FROM inbox_event WHERE kind = 'referral_reminder'", 3),
		3);
	assert_int_equal(unread("pap@x.test", "referral_reminder"), 1);
	assert_int_equal(unread("pap@y.test", "referral_reminder"), 1);
	assert_int_equal(unread("gest@y.test", "referral_reminder"), 1);
	expect_get(&srv, &papx, "/boite", 200, TEXTS("Rappel : référence sans accusé de réception"),
		   NULL);
	/* Once only, whatever the number of passes. */
	restart_at("2026-11-30T10:00:00");
	ts_sleep_ms(500);
	assert_int_equal(
		web_sql_count(srv.db, "SELECT count(*) FROM inbox_event WHERE kind = 'survey_due'"),
		1);
	assert_int_equal(
		web_sql_count(srv.db,
			      "SELECT count(*) FROM inbox_event WHERE kind = 'referral_reminder'"),
		3);

	restart_at("2027-01-25T10:00:00");
	assert_int_equal(wait_count(pathf("SELECT count(*) FROM referral WHERE id = ", ref_wait,
					  " AND outcome = 'perdue'"),
				    1),
			 1);
	assert_int_equal(unread("pap@x.test", "referral_expired"), 1);
	expect_get(&srv, &papx, pathf("/renvois/", ref_wait, ""), 200, TEXTS("Perdue"), NULL);
	/* The engine: the trajectory escaped (its last referral closed as lost). */
	char out[65536], err[4096];
	const char *args[] = {"report",     "--db",     srv.db,       "--territory",
			      "T-1",        "--from",   "2026-11-01", "--to",
			      "2026-11-30", "--as-of",  "2027-01-25", "--view",
			      "complet",    "--format", "json",       NULL};
	assert_int_equal(ts_run(args, 60000, out, sizeof(out), err, sizeof(err)), 0);
	char *p = strstr(out, "\"arr.taux_echappement\"");
	assert_non_null(p);
	char *next = strstr(p + 1, "\"arr.renvois_boucle\"");
	if (next)
		*next = '\0'; /* only this indicator's figures */
	/* Three trajectories, all mature: taken in charge, refused, expired. */
	assert_non_null(strstr(p, "\"numerator\":2"));
	assert_non_null(strstr(p, "\"denominator\":3"));
}

/* A daily digest through the organisation's SMTP server: counts and a
 * link, never a name, a phone or a family's code. */
static void test_digest_by_smtp(void **state)
{
	(void)state;
	struct smtp_sink sink;
	char path[700];
	snprintf(path, sizeof(path), "%s/mail.txt", srv.dir);
	assert_int_equal(smtp_sink_start(&sink, path), 0);
	char sql[600];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO settings (key, value) VALUES ('smtp_url', 'smtp://127.0.0.1:%d'), "
		 "('smtp_from', 'proxima@exemple.org'), ('public_url', 'https://proxima.test') "
		 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		 sink.port);
	assert_int_equal(web_sql(srv.db, sql), 0);
	const char *kv[] = {"courriel", "quotidien", NULL};
	expect_post(&srv, &papx, "/boite/courriel", kv, 303, NULL, NULL);
	const char *bad[] = {"courriel", "toutes-les-heures", NULL};
	expect_post(&srv, &papx, "/boite/courriel", bad, 400, NULL, NULL);
	restart_at("2027-01-26T11:00:00");
	int got = smtp_sink_wait(&sink, 1, 10000);
	smtp_sink_stop(&sink);
	assert_int_equal(got, 1);
	size_t len;
	char *mail = ts_read_file(path, &len);
	assert_non_null(mail);
	assert_non_null(strstr(mail, "RCPT TO:<pap@x.test>"));
	assert_null(strstr(mail, "pap@y.test")); /* Y chose nothing */
	assert_non_null(strstr(mail, "Référence expirée sans prise en charge : 1"));
	assert_non_null(strstr(mail, "https://proxima.test/boite"));
	assert_null(strstr(mail, CANARY_NAME));
	assert_null(strstr(mail, CANARY_PHONE));
	assert_null(strstr(mail, fam_code));
	free(mail);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM inbox_event e JOIN person p "
					       "ON p.id = e.person_id WHERE p.email = "
					       "'pap@x.test' AND e.mailed_at IS NULL"),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_referral_events), cmocka_unit_test(test_inbox_api),
		cmocka_unit_test(test_refusal_coded),   cmocka_unit_test(test_support_events),
		cmocka_unit_test(test_home_by_role),    cmocka_unit_test(test_reminder_then_expiry),
		cmocka_unit_test(test_digest_by_smtp),
	};
	return cmocka_run_group_tests(tests, setup, web_suite_teardown);
}
