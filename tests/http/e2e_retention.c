/* End-to-end test of retention and of the access log's anchors (issue 13)
 * against a real "proxima serve" and the command line: a file closed in
 * 2020 (nominative details, a note, a quoted story, a referral refused
 * with a reason, a reason to close it) passes its organisation's 60
 * months; another organisation keeps its files 120 months; a recent file
 * is not due. `proxima retention run --dry-run` lists it and changes
 * nothing; the daily run of the server, a day later (PROXIMA_NOW),
 * anonymises it: the indicator figures are the same before and after, the
 * nominative details and free texts are gone, the register and the access
 * log have the entries, the head is logged and anchored; removing the last
 * entries of the log is then caught by `proxima audit verify`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "support/server.h"
#include "support/web.h"
#include "support/web_assert.h"

#define NOW "2026-11-25T10:00:00"
#define NEXT_DAY "2026-11-26T10:00:00"
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;
static struct web_browser papx, gestx, papy, gesty;
static long long fam_old, fam_recent, fam_y;

static const char FIXTURE[] = WEB_FIXTURE_TWO_ORGS;

static const struct web_account ACCOUNTS[] = {
	{&papx, WEB_PAP_X},
	{&gestx, WEB_GEST_X},
	{&papy, WEB_PAP_Y},
	{&gesty, WEB_GEST_Y},
};

static int group_setup(void **state)
{
	*state = &srv;
	if (web_suite_setup(&srv, NOW, FIXTURE, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD) < 0)
		return -1;
	return web_sql(srv.db, "UPDATE person SET privacy_officer = 1 WHERE email IN "
			       "('gest@x.test', 'gest@y.test')");
}

static const char *pathf(const char *prefix, long long id, const char *suffix)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
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

static long long open_family(struct web_browser *b, const char *code, const char *opened)
{
	const char *kv[] = {"code",
			    code,
			    "opened",
			    opened,
			    "consent.date",
			    opened,
			    "consent.language",
			    "es",
			    "consent.suivi",
			    "1",
			    "consent.reference",
			    "1",
			    "consent.citation",
			    "1",
			    "nominative.name",
			    "Inés Ortega",
			    "nominative.phone",
			    "514-555-0177",
			    "nominative.address",
			    "12, rue des Érables",
			    NULL};
	char loc[512];
	post_redirect(&srv, b, "/familles/nouvelle", kv, loc, sizeof(loc));
	return strtoll(loc + strlen("/familles/"), NULL, 10);
}

static void close_family(struct web_browser *b, long long fam, const char *on)
{
	const char *kv[] = {"on_date", on,        "reason_code",
			    "autre",   "comment", "Partie vivre en Ontario chez sa sœur",
			    NULL};
	expect_post(&srv, b, pathf("/familles/", fam, "/fermer"), kv, 303, NULL, NULL);
}

/* The indicator report over the whole history, as the command line
 * computes it (view complet: every figure, unsuppressed). */
static char *report_json(void)
{
	static char out[2][1 << 20];
	static int k;
	k = (k + 1) % 2;
	const char *args[] = {"report",  "--db",       srv.db, "--territory", "T-1",
			      "--from",  "2019-01-01", "--to", "2026-11-25",  "--view",
			      "complet", "--format",   "json", NULL};
	char err[2048];
	assert_int_equal(ts_run(args, 60000, out[k], sizeof(out[k]), err, sizeof(err)), 0);
	assert_non_null(strstr(out[k], "\"indicators\""));
	return out[k];
}

/* A file of 2019-2020 with everything retention erases, a recent one, and
 * one of Y kept 120 months by its person in charge. */
static void test_files_of_the_past(void **state)
{
	(void)state;
	fam_old = open_family(&papx, "F-2019-OLD", "2019-01-10");
	fam_recent = open_family(&papx, "F-2026-NEW", "2026-01-05");
	fam_y = open_family(&papy, "F-Y-2019", "2019-02-01");
	const char *act[] = {"date",
			     "2019-06-01",
			     "type",
			     "accompagnement",
			     "place",
			     "domicile",
			     "duration_min",
			     "60",
			     "counts.adults",
			     "1",
			     "families",
			     num(fam_old),
			     "note",
			     "Visite chez Mme Ortega, rue des Érables",
			     NULL};
	expect_post(&srv, &papx, "/journal/nouvelle", act, 303, NULL, NULL);
	const char *story[] = {"family",
			       num(fam_old),
			       "date",
			       "2019-06-02",
			       "text",
			       "Mme Ortega a parlé de son arrivée à Montréal.",
			       "outcomes",
			       "lien_confiance",
			       "consent_quote",
			       "1",
			       NULL};
	expect_post(&srv, &papx, "/recits/nouveau", story, 303, NULL, NULL);
	const char *ref[] = {"famille",         num(fam_old), "corridor", "direct",
			     "to_organisation", "2",          NULL};
	char loc[256];
	post_redirect(&srv, &papx, "/renvois/nouveau", ref, loc, sizeof(loc));
	long long rid = strtoll(loc + strlen("/renvois/"), NULL, 10);
	const char *refuse[] = {"refusal_code", "autre", "reason",
				"Liste d'attente pleine pour Mme Ortega", NULL};
	expect_post(&srv, &papy, pathf("/renvois/", rid, "/refus"), refuse, 303, NULL, NULL);
	close_family(&papx, fam_old, "2020-06-30");
	close_family(&papx, fam_recent, "2026-10-01");
	close_family(&papy, fam_y, "2020-03-01");
	const char *kv[] = {"organisation", "2", "months", "120", NULL};
	expect_post(&srv, &gesty, "/confidentialite/conservation", kv, 303, NULL, NULL);
	/* The page shows what the next run will do, without doing it. */
	expect_get(&srv, &gestx, "/confidentialite/conservation", 200,
		   TEXTS("Ce que la prochaine exécution fera", "2020-06-30", "2025-06-30",
			 "à détruire"),
		   TEXTS("2026-10-01"));
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM anonymisation_register"), 0);
}

static void test_dry_run_then_daily_run(void **state)
{
	(void)state;
	/* The server that ran the daily job today is stopped; tomorrow comes. */
	assert_int_equal(ts_server_stop(&srv), 0);
	setenv("PROXIMA_NOW", NEXT_DAY, 1);
	char *before = report_json();

	const char *dry[] = {"retention", "run", "--db", srv.db, "--dry-run", NULL};
	char out[8192], err[8192];
	assert_int_equal(ts_run(dry, 30000, out, sizeof(out), err, sizeof(err)), 0);
	char line[64];
	snprintf(line, sizeof(line), "family %lld (CLSC du Parc)", fam_old);
	assert_non_null(strstr(out, line));
	assert_non_null(strstr(out, "nominative details to destroy"));
	assert_non_null(strstr(out, "dry run: 1 file(s) due; nothing was changed"));
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM anonymisation_register"), 0);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family WHERE anonymised_at IS "
					       "NOT NULL OR nominative IS NULL"),
			 0);

	assert_int_equal(ts_server_start(&srv, NULL), 0);
	for (int i = 0; i < 200 && web_sql_count(srv.db, "SELECT count(*) FROM "
							 "anonymisation_register") < 1;
	     i++)
		usleep(100 * 1000);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM anonymisation_register"), 1);
	/* The figures stay. */
	char *after = report_json();
	if (strcmp(before, after) != 0)
		fprintf(stderr, "before:\n%s\nafter:\n%s\n", before, after);
	assert_string_equal(before, after);
}

static void test_nominative_details_and_texts_gone(void **state)
{
	(void)state;
	char q[400];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM family WHERE id = %lld AND nominative IS NULL AND "
		 "nominative_nonce IS NULL AND follower_id IS NULL AND code = 'ANON-%lld' AND "
		 "anonymised_at IS NOT NULL",
		 fam_old, fam_old);
	assert_int_equal(web_sql_count(srv.db, q), 1);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity WHERE note LIKE "
					       "'%Ortega%'"),
			 0);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM story WHERE text LIKE "
					       "'%Ortega%'"),
			 0);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM referral_event WHERE reason "
					       "LIKE '%Ortega%'"),
			 0);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family_event WHERE reason "
					       "LIKE '%Ontario%' AND family_id IN (SELECT id FROM "
					       "family WHERE anonymised_at IS NOT NULL)"),
			 0);
	/* The links that the figures need stay. */
	snprintf(q, sizeof(q), "SELECT count(*) FROM activity_family WHERE family_id = %lld",
		 fam_old);
	assert_int_equal(web_sql_count(srv.db, q), 1);
	/* The other files are untouched: not due, or kept longer by Y. */
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM family WHERE code IN "
					       "('F-2026-NEW', 'F-Y-2019') AND nominative IS NOT "
					       "NULL AND anonymised_at IS NULL"),
			 2);
	/* The pages say so, and no longer offer anything. */
	assert_int_equal(web_login(&srv, &papx, "pap@x.test", PASSWORD), 0);
	expect_get(&srv, &papx, pathf("/familles/", fam_old, ""), 200,
		   TEXTS("Dossier anonymisé", "Aucune coordonnée enregistrée."),
		   TEXTS("F-2019-OLD", "Rouvrir le suivi", "/consentement\""));
	expect_get(&srv, &papx, "/familles", 200, TEXTS("F-2026-NEW"), TEXTS("ANON-"));
	expect_get(&srv, &papx, "/recits", 200,
		   TEXTS("Texte effacé à la fin de la période de conservation"), TEXTS("Ortega"));
}

static void test_register_log_and_anchor(void **state)
{
	(void)state;
	assert_int_equal(web_login(&srv, &gestx, "gest@x.test", PASSWORD), 0);
	expect_get(&srv, &gestx, "/confidentialite/anonymisations", 200,
		   TEXTS("CLSC du Parc", "60 mois après la fermeture", "fermé le 2020-06-30",
			 "coordonnées détruites", "notes effacées : 1", "récits effacés : 1",
			 "Proxima (exécution de la conservation)"),
		   TEXTS("Ortega"));
	expect_get(&srv, &gestx, "/confidentialite/anonymisations?format=csv", 200,
		   TEXTS("60 mois après la fermeture"), NULL);
	assert_int_equal(web_login(&srv, &gesty, "gest@y.test", PASSWORD), 0);
	expect_get(&srv, &gesty, "/confidentialite/anonymisations", 200,
		   TEXTS("Aucune anonymisation dans cette période."), NULL);
	char q[200];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM audit_log WHERE action = 'anonymise' AND object_id = %lld "
		 "AND purpose = 'retention'",
		 fam_old);
	assert_int_equal(web_sql_count(srv.db, q), 1);

	/* The daily run logged the head and anchored it. */
	char text[4096] = "";
	FILE *f = fopen(srv.anchors, "r");
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *head = strrchr(text, '=');
	assert_non_null(head);
	char hex[65];
	snprintf(hex, sizeof(hex), "%.64s", head + 1);
	FILE *e = fopen(srv.err_path, "r");
	assert_non_null(e);
	static char log[1 << 18];
	n = fread(log, 1, sizeof(log) - 1, e);
	fclose(e);
	log[n] = '\0';
	assert_non_null(strstr(log, "event=audit.daily intact=1"));
	assert_non_null(strstr(log, hex));
}

/* Without --anchors, the anchors live beside a SQLite database and, with
 * PostgreSQL (no "beside"), beside the key file: KEY.anchors for KEY.key. */
static void test_anchors_default_place(void **state)
{
	(void)state;
	char key[700], anchors[700];
	if (db_location_is_postgres(srv.db)) {
		/* The pass's key under a name of this test's own. */
		size_t n;
		char *k = ts_read_file(getenv("PROXIMA_KEY_FILE"), &n);
		assert_non_null(k);
		snprintf(key, sizeof(key), "%s/own.key", srv.dir);
		FILE *f = fopen(key, "w");
		assert_non_null(f);
		assert_int_equal(fwrite(k, 1, n, f), n);
		assert_int_equal(fclose(f), 0);
		free(k);
		snprintf(anchors, sizeof(anchors), "%s/own.anchors", srv.dir);
	} else {
		snprintf(key, sizeof(key), "%s.key", srv.db);
		snprintf(anchors, sizeof(anchors), "%s.anchors", srv.db);
	}
	const char *args[] = {"audit", "verify", "--db", srv.db, "--key", key, NULL};
	char out[4096], err[4096];
	assert_int_equal(ts_run(args, 30000, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, anchors));
	assert_int_equal(access(anchors, R_OK), 0);
}

/* `proxima audit verify` prints the head; entries removed from the end
 * after the anchor are caught. */
static void test_audit_verify_catches_truncation(void **state)
{
	(void)state;
	const char *args[] = {"audit", "verify", "--db", srv.db, "--anchors", srv.anchors, NULL};
	char out[4096], err[4096];
	assert_int_equal(ts_run(args, 30000, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, "access log intact"));
	assert_non_null(strstr(out, "head "));
	assert_int_equal(web_sql(srv.db, db_location_is_postgres(srv.db)
						 ? "DROP TRIGGER audit_log_no_delete ON audit_log"
						 : "DROP TRIGGER audit_log_no_delete"),
			 0);
	assert_int_equal(
		web_sql(srv.db, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"),
		0);
	assert_int_equal(ts_run(args, 30000, out, sizeof(out), err, sizeof(err)), 1);
	assert_non_null(strstr(err, "NOT intact"));
	assert_non_null(strstr(err, "removed from the end"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files_of_the_past),
		cmocka_unit_test(test_dry_run_then_daily_run),
		cmocka_unit_test(test_nominative_details_and_texts_gone),
		cmocka_unit_test(test_register_log_and_anchor),
		cmocka_unit_test(test_anchors_default_place),
		cmocka_unit_test(test_audit_verify_catches_truncation),
	};
	return cmocka_run_group_tests_name("e2e_retention", tests, group_setup, web_suite_teardown);
}
