/* End-to-end tests of the referral workflow against a real "proxima
 * serve": a PAP of X refers a family through a corridor into Y; a PAP of Y
 * finds it in the inbox, reads the family's name and phone (logged) and
 * takes it in charge; both see the status. A refusal without a reason and
 * a referral without consent are refused; a re-orientation back to X warns
 * of a loop and, once confirmed, is recorded as one; an overdue referral is
 * flagged on both sides; a third organisation Z and the committee and
 * analyst roles see nothing of it (404s, empty lists, never the name).
 *
 * Setup as in e2e_journal.c: "proxima init", a few rows with the sqlite3
 * API (territory, organisations, a corridor with its template), accounts
 * with "proxima user add", families opened through the pages. The clock is
 * fixed (PROXIMA_NOW). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "support/server.h"
#include "support/web.h"
#include "support/web_assert.h"

#define NOW "2026-11-25T10:00:00"
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;

static struct web_browser papx, papy, papz, comite, analyste;
static long long fam_ref, fam_no; /* families of X: consent to reference, or not */
static long long ref1;            /* X -> Y through the corridor */

/* The id in a "/renvois/ID?..." or "/familles/ID..." location. */
static long long id_after(const struct ts_resp *r, const char *prefix)
{
	char loc[1100];
	location(r, loc, sizeof(loc));
	const char *p = strstr(loc, prefix);
	if (!p)
		fail_msg("location %s lacks %s", loc, prefix);
	return strtoll(p + strlen(prefix), NULL, 10);
}

/* prefix, id and suffix in one of a few rotating static buffers. */
static const char *pathf(const char *prefix, long long id, const char *suffix)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s%lld%s", prefix, id, suffix);
	return buf[k];
}

/* The external id of referral id. */
static const char *ext_of(long long id)
{
	static char out[128];
	char q[96];
	snprintf(q, sizeof(q), "SELECT ext_id FROM referral WHERE id = %lld", id);
	return web_sql_text(srv.db, q, out, sizeof(out));
}

static long long open_family(const char *code, bool reference)
{
	struct ts_resp r = {0};
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
			    "Awa Diallo",
			    "nominative.phone",
			    "514-555-0101",
			    "nominative.address",
			    "5 rue des Saules",
			    reference ? "consent.reference" : NULL,
			    "1",
			    NULL};
	assert_int_equal(web_post(&srv, &papx, "/familles/nouvelle", kv, &r), 0);
	assert_status(&r, 303);
	long long id = id_after(&r, "/familles/");
	ts_resp_free(&r);
	return id;
}

/* The rows the tests start from. */
static const char FIXTURE[] =
	"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T-1', 'Territoire 1', "
	"'urbain');"
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "
	"(1, 'ORG-X', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
	"(2, 'ORG-Y', 'Maison de la famille', (SELECT id FROM sector WHERE ext_id = "
	"'COMM')),"
	"(3, 'ORG-Z', 'École des Saules', (SELECT id FROM sector WHERE ext_id = 'MEQ'));"
	"INSERT INTO organisation_territory VALUES (1, 1), (2, 1), (3, 1);"
	"INSERT INTO corridor (id, ext_id, territory_id, name, need, "
	"entry_organisation_id, "
	"target_days, active_from) VALUES (1, 'COR-1', 1, 'Soutien parental', "
	"'parentalite', "
	"2, 2, '2026-01-01');"
	"INSERT INTO corridor_field VALUES (1, 'motif'), (1, 'disponibilites');";

/* The accounts, signed in once the server is up. */
static const struct web_account ACCOUNTS[] = {
	{&papx, WEB_PAP_X},
	{&papy, WEB_PAP_Y},
	{&papz, "pap@z.test", "Zoé Lavoie", "pap", "ORG-Z", "T-1"},
	{&comite, WEB_COMITE_T1},
	{&analyste, WEB_ANALYSTE},
};

static int group_setup(void **state)
{
	*state = &srv; /* for web_suite_teardown */
	return web_suite_setup(&srv, NOW, FIXTURE, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

/* X refers a family through the corridor: the family page links to the
 * form, the form shows the corridor's template, a missing field is named,
 * then the referral is sent. */
static void test_refer_through_corridor(void **state)
{
	(void)state;
	fam_ref = open_family("F-REF", true);
	fam_no = open_family("F-SANS", false);
	struct ts_resp r = {0};
	expect_get(&srv, &papx, pathf("/familles/", fam_ref, ""), 0,
		   TEXTS(pathf("href=\"/renvois/nouveau?famille=", fam_ref, "\""), ">Référer</a>"),
		   NULL);

	expect_get(&srv, &papx, pathf("/renvois/nouveau?famille=", fam_ref, ""), 200,
		   TEXTS("Soutien parental → Maison de la famille"),
		   TEXTS("name=\"fields.motif\""));

	expect_get(&srv, &papx, pathf("/renvois/nouveau?famille=", fam_ref, "&corridor=1"), 200,
		   TEXTS("name=\"fields.motif\"", "name=\"fields.disponibilites\""), NULL);

	char fam[32];
	snprintf(fam, sizeof(fam), "%lld", fam_ref);
	const char *missing[] = {"famille",      fam,           "corridor", "1",
				 "fields.motif", "Parentalité", NULL};
	expect_post(
		&srv, &papx, "/renvois/nouveau", missing, 422,
		TEXTS("Ce champ du gabarit de transfert est obligatoire.", "value=\"Parentalité\""),
		NULL);

	const char *kv[] = {"famille",
			    fam,
			    "corridor",
			    "1",
			    "fields.motif",
			    "Parentalité",
			    "fields.disponibilites",
			    "Mardi matin",
			    "first_contact_at",
			    "2026-11-23",
			    NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_post(&srv, &papx, "/renvois/nouveau", kv, &r), 0);
	assert_status(&r, 303);
	ref1 = id_after(&r, "/renvois/");
	assert_true(ref1 > 0);
	ts_resp_free(&r);
	expect_get(&srv, &papx, pathf("/renvois/", ref1, "?ok=envoyee"), 200,
		   TEXTS("Référence envoyée.", "Maison de la famille", "Envoyée</span>",
			 "Mardi matin", "Déclarer la famille perdue"),
		   TEXTS("Prendre en charge</button>"));
	/* The communication to Y is in the access log. */
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE action = "
					       "'communicate' AND recipient_id = 2"),
			 1);
}

/* Y sees it in its inbox, reads name and phone (never the address),
 * acknowledges it and takes it in charge; X sees the status. */
static void test_receiver_takes_in_charge(void **state)
{
	(void)state;
	expect_get(&srv, &papy, "/renvois", 200,
		   TEXTS(pathf("href=\"/renvois/", ref1, "\""), "reçue de CLSC du Parc"), NULL);

	expect_get(&srv, &papy, pathf("/renvois/", ref1, ""), 200,
		   TEXTS("Julie Roy (CLSC du Parc)", "Voir le nom et le téléphone",
			 "Prendre en charge</button>"),
		   TEXTS("Awa Diallo"));

	long long reads =
		web_sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE action = 'read'");
	expect_post(&srv, &papy, pathf("/renvois/", ref1, "/coordonnees"), NULL, 200,
		    TEXTS("Awa Diallo", "514-555-0101"), TEXTS("5 rue des Saules"));
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM audit_log WHERE action = 'read' "
				       "AND recipient_id = 2 AND information LIKE 'nominative%'"),
			 1);
	assert_true(web_sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE action = 'read'") >
		    reads);

	expect_post(&srv, &papy, pathf("/renvois/", ref1, "/reception"), NULL, 303, NULL, NULL);
	expect_post(&srv, &papy, pathf("/renvois/", ref1, "/prise-en-charge"), NULL, 303, NULL,
		    NULL);

	expect_get(&srv, &papx, pathf("/renvois/", ref1, ""), 0,
		   TEXTS("<span class=\"tag status-prise_en_charge\">Prise en charge</span>",
			 "Paul Gagnon"),
		   NULL);
	char p[256];
	snprintf(p, sizeof(p), "/api/v1/referrals/%s", ext_of(ref1));
	expect_api(&srv, &papy, "GET", p, NULL, 200,
		   TEXTS("\"status\":\"prise_en_charge\"", "\"direction\":\"received\"",
			 "\"action\":\"recue\"", "\"from_organisation\":\"ORG-X\""),
		   NULL);
	expect_api(&srv, &papx, "GET", "/api/v1/referrals?direction=sent&status=prise_en_charge",
		   NULL, 200, TEXTS(ext_of(ref1), "\"total\":1"), NULL);
}

/* A refusal needs a reason, in the page and in the API. */
static void test_refusal_needs_reason(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char body[256];
	/* The family's external id. */
	long long id = fam_ref;
	char q[96], fext[64];
	snprintf(q, sizeof(q), "SELECT ext_id FROM family WHERE id = %lld", id);
	assert_true(web_sql_text(srv.db, q, fext, sizeof(fext))[0] != '\0');
	snprintf(body, sizeof(body),
		 "{\"family\": \"%s\", \"to_organisation\": \"ORG-Y\", \"need\": \"logement\"}",
		 fext);
	const char *hk[] = {papx.cookie, papx.csrf_header, WEB_JSON_CT,
			    "Idempotency-Key: ref-e2e-1", NULL};
	assert_int_equal(ts_http(NULL, "POST", ts_url(&srv, "/api/v1/referrals"), hk, body,
				 strlen(body), &r),
			 0);
	assert_status(&r, 201);
	assert_has(&r, "\"status\":\"envoyee\"");
	assert_has(&r, "\"sender\":\"pap@x.test\"");
	ts_resp_free(&r);
	long long ref2 = web_sql_count(srv.db, "SELECT max(id) FROM referral");
	/* The same key again: the same answer, no second referral. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(ts_http(NULL, "POST", ts_url(&srv, "/api/v1/referrals"), hk, body,
				 strlen(body), &r),
			 0);
	assert_status(&r, 201);
	assert_has(&r, ext_of(ref2));
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, "SELECT max(id) FROM referral"), ref2);

	memset(&r, 0, sizeof(r));
	const char *no_code[] = {"reason", "Liste d'attente", NULL};
	expect_post(&srv, &papy, pathf("/renvois/", ref2, "/refus"), no_code, 422,
		    TEXTS("Choisissez le motif du refus."), NULL);
	const char *blank[] = {"refusal_code", "autre", "reason", "   ", NULL};
	expect_post(&srv, &papy, pathf("/renvois/", ref2, "/refus"), blank, 422,
		    TEXTS("Indiquez la raison : elle est obligatoire."), NULL);
	const char *unknown[] = {"refusal_code", "pas-un-motif", NULL};
	expect_post(&srv, &papy, pathf("/renvois/", ref2, "/refus"), unknown, 422,
		    TEXTS("Choisissez une raison de la liste."), NULL);
	char p[256];
	snprintf(p, sizeof(p), "/api/v1/referrals/%s/refuse", ext_of(ref2));
	expect_api(&srv, &papy, "POST", p, "{}", 422, TEXTS("\"field\":\"reason\""), NULL);
	assert_int_equal(web_sql_count(srv.db, pathf("SELECT count(*) FROM referral WHERE id = ",
						     ref2, " AND outcome IS NULL")),
			 1);
	/* With a reason: refused, and X sees why. */
	expect_api(&srv, &papy, "POST", p, "{\"reason\": \"Liste d'attente fermée\"}", 200,
		   TEXTS("\"status\":\"refusee\""), NULL);
	expect_get(&srv, &papx, pathf("/renvois/", ref2, ""), 0,
		   TEXTS("Refusée", "Liste d&#39;attente fermée"), NULL);
}

/* No consent to reference: refused with a clear message, nothing written. */
static void test_no_consent_rejected(void **state)
{
	(void)state;
	long long before = web_sql_count(srv.db, "SELECT count(*) FROM referral");
	char fam[32];
	snprintf(fam, sizeof(fam), "%lld", fam_no);
	expect_get(&srv, &papx, pathf("/renvois/nouveau?famille=", fam_no, ""), 0,
		   TEXTS("ne couvre pas la référence"), NULL);
	const char *kv[] = {"famille", fam, "corridor", "direct", "to_organisation", "2", NULL};
	expect_post(&srv, &papx, "/renvois/nouveau", kv, 422,
		    TEXTS("La famille n&#39;a pas consenti à être référée"), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM referral"), before);
}

/* Y re-orients a referral back to X: a warning first, then, confirmed, a
 * referral recorded as a loop. */
static void test_loop_warning_then_confirmed(void **state)
{
	(void)state;
	char fam[32];
	snprintf(fam, sizeof(fam), "%lld", fam_ref);
	const char *kv[] = {"famille", fam, "corridor", "direct", "to_organisation", "2", NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, &papx, "/renvois/nouveau", kv, &r), 0);
	assert_status(&r, 303);
	long long ref3 = id_after(&r, "/renvois/");
	ts_resp_free(&r);

	const char *back[] = {"to_organisation", "1", "reason", "Relève plutôt du CLSC", NULL};
	expect_post(&srv, &papy, pathf("/renvois/", ref3, "/reorientation"), back, 409,
		    TEXTS("Renvoi en boucle", "name=\"confirm_loop\" value=\"1\"",
			  "Confirmer la réorientation", "Relève plutôt du CLSC"),
		    NULL);
	assert_int_equal(
		web_sql_count(srv.db, pathf("SELECT count(*) FROM referral WHERE previous_id = ",
					    ref3, "")),
		0);

	const char *confirmed[] = {"to_organisation", "1", "reason", "Relève plutôt du CLSC",
				   "confirm_loop",    "1", NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(
		web_post(&srv, &papy, pathf("/renvois/", ref3, "/reorientation"), confirmed, &r),
		0);
	assert_status(&r, 303);
	long long ref4 = id_after(&r, "/renvois/");
	ts_resp_free(&r);
	assert_int_equal(
		web_sql_count(srv.db,
			      pathf("SELECT loop_detected FROM referral WHERE id = ", ref4, "")),
		1);
	expect_get(&srv, &papx, "/renvois", 0,
		   TEXTS(pathf("href=\"/renvois/", ref4, "\""), "↺ Renvoi en boucle"), NULL);
	expect_get(&srv, &papx, pathf("/renvois/", ref4, "/trajectoire"), 200,
		   TEXTS("CLSC du Parc</strong> · point de départ", "→ Maison de la famille",
			 "→ CLSC du Parc"),
		   NULL);
	/* The API answers the same warning as a 409 naming confirm_loop. */
	const char *again[] = {"famille", fam, "corridor", "direct", "to_organisation", "2", NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_post(&srv, &papx, "/renvois/nouveau", again, &r), 0);
	long long ref5 = id_after(&r, "/renvois/");
	ts_resp_free(&r);
	char p[256];
	snprintf(p, sizeof(p), "/api/v1/referrals/%s/reorient", ext_of(ref5));
	expect_api(&srv, &papy, "POST", p,
		   "{\"to_organisation\": \"ORG-X\", \"reason\": \"Retour\"}", 409,
		   TEXTS("\"field\":\"confirm_loop\""), NULL);
	expect_api(&srv, &papy, "POST", p,
		   "{\"to_organisation\": \"ORG-X\", \"reason\": \"Retour\", "
		   "\"confirm_loop\": true}",
		   201, TEXTS("\"loop_detected\":true", "\"previous\":\""), NULL);
}

/* Not taken in charge within the target: flagged on both sides. */
static void test_overdue_both_sides(void **state)
{
	(void)state;
	char fam[32];
	snprintf(fam, sizeof(fam), "%lld", open_family("F-RETARD", true));
	const char *kv[] = {"famille", fam, "corridor", "direct", "to_organisation", "3", NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, &papx, "/renvois/nouveau", kv, &r), 0);
	assert_status(&r, 303);
	long long late = id_after(&r, "/renvois/");
	ts_resp_free(&r);
	expect_get(&srv, &papz, "/renvois/retards", 0, NULL,
		   TEXTS(pathf("href=\"/renvois/", late, "\"")));
	/* Sent three days ago. */
	char q[160];
	snprintf(q, sizeof(q), "UPDATE referral SET sent_at = sent_at - 3 * 86400 WHERE id = %lld",
		 late);
	assert_int_equal(web_sql(srv.db, q), 0);
	expect_get(&srv, &papz, "/renvois/retards", 200,
		   TEXTS(pathf("href=\"/renvois/", late, "\""), "⚠ En retard"), NULL);
	expect_get(&srv, &papx, "/renvois/retards", 0, TEXTS(pathf("href=\"/renvois/", late, "\"")),
		   NULL);
	expect_api(&srv, &papx, "GET", "/api/v1/referrals?overdue=true", NULL, 0,
		   TEXTS("\"total\":1", "\"overdue\":true"), NULL);
}

/* The "next" link of an API list answer r (a JSON object), into out
 * ("" when null), and the id of its first item into first ("" for none). */
static void page_of(const struct ts_resp *r, char *out, size_t cap, char *first, size_t fcap)
{
	json_t *j = json_loads(r->body.data, 0, NULL);
	if (!json_is_object(j))
		fail_msg("not a JSON object: %s", r->body.data);
	const char *next = json_string_value(json_object_get(j, "next"));
	snprintf(out, cap, "%s", next ? next : "");
	json_t *items = json_object_get(j, "items");
	const char *id = json_string_value(json_object_get(json_array_get(items, 0), "id"));
	snprintf(first, fcap, "%s", id ? id : "");
	json_decref(j);
}

/* Lists paged in SQL (issue 16): 45 more referrals X -> Z make Z's
 * received list three pages of 20, each with its count, page number and
 * links that keep the filters; an empty filter says so. The API pages by
 * keyset: a referral sent between two pages neither repeats nor shifts a
 * row of the next page, and a limit past the maximum is refused by name. */
static void test_lists_paged(void **state)
{
	(void)state;
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO referral (ext_id, family_id, from_organisation_id, "
		 "to_organisation_id, sent_at, ckey) WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL "
		 "SELECT i + 1 FROM n WHERE i < 45) SELECT 'PAGE-' || i, %lld, 1, 3, "
		 "(SELECT max(sent_at) FROM referral) - i * 60, 7 FROM n",
		 fam_ref);
	assert_int_equal(web_sql(srv.db, sql), 0);
	long long total = web_sql_count(srv.db, "SELECT count(*) FROM referral WHERE "
						"to_organisation_id = 3");
	assert_true(total > 40 && total <= 60);
	char count[64];
	snprintf(count, sizeof(count), "<p>%lld résultats · Page 1 / 3", total);
	expect_get(&srv, &papz, "/renvois?sens=recues", 200,
		   TEXTS(count, "href=\"/renvois?pr=2&amp;sens=recues\" rel=\"next\""),
		   TEXTS("rel=\"prev\"", "<h2>Envoyées</h2>"));
	snprintf(count, sizeof(count), "<p>%lld résultats · Page 3 / 3", total);
	expect_get(&srv, &papz, "/renvois?sens=recues&pr=3", 200,
		   TEXTS(count, "href=\"/renvois?pr=2&amp;sens=recues\" rel=\"prev\""),
		   TEXTS("rel=\"next\""));
	/* The filters stay in the links: status and overdue. */
	expect_get(&srv, &papz, "/renvois?sens=recues&statut=envoyee", 200,
		   TEXTS("href=\"/renvois?pr=2&amp;sens=recues&amp;statut=envoyee\""), NULL);
	expect_get(&srv, &papz, "/renvois?sens=recues&statut=perdue", 200,
		   TEXTS("Aucune référence reçue."), TEXTS("résultats"));

	/* The API: a page of 10, then a referral newer than all, then the next
	 * page, which starts where the first ended. */
	char eleventh[64], q[256];
	snprintf(q, sizeof(q),
		 "SELECT ext_id FROM referral WHERE to_organisation_id = 3 ORDER BY sent_at "
		 "DESC, id DESC LIMIT 1 OFFSET 10");
	web_sql_text(srv.db, q, eleventh, sizeof(eleventh));
	struct ts_resp r = {0};
	assert_int_equal(web_api(&srv, &papz, "GET",
				 "/api/v1/referrals?direction=received&limit=10", NULL, &r),
			 0);
	assert_status(&r, 200);
	char next[512], first_id[64];
	page_of(&r, next, sizeof(next), first_id, sizeof(first_id));
	ts_resp_free(&r);
	assert_true(strstr(next, "/api/v1/referrals?limit=10&cursor=") == next);
	assert_non_null(strstr(next, "&direction=received"));
	snprintf(sql, sizeof(sql),
		 "INSERT INTO referral (ext_id, family_id, from_organisation_id, "
		 "to_organisation_id, sent_at, ckey) SELECT 'PAGE-NEW', %lld, 1, 3, "
		 "max(sent_at) + 60, 7 FROM referral",
		 fam_ref);
	assert_int_equal(web_sql(srv.db, sql), 0);
	assert_int_equal(web_api(&srv, &papz, "GET", next, NULL, &r), 0);
	assert_status(&r, 200);
	char next2[512];
	page_of(&r, next2, sizeof(next2), first_id, sizeof(first_id));
	assert_string_equal(first_id, eleventh);
	assert_null(strstr(r.body.data, "PAGE-NEW"));
	assert_true(strstr(next2, "/api/v1/referrals?limit=10&cursor=") == next2);
	ts_resp_free(&r);
	/* The maximum, by name; a cursor that is not one. */
	expect_api(&srv, &papz, "GET", "/api/v1/referrals?limit=1001", NULL, 400,
		   TEXTS("\"field\":\"limit\"", "1 à 1000"), NULL);
	expect_api(&srv, &papz, "GET", "/api/v1/referrals?cursor=abc", NULL, 400,
		   TEXTS("\"field\":\"cursor\""), NULL);
}

/* Z is no party to the trajectory X -> Y -> X: nothing of it shows. */
static void test_third_organisation_sees_nothing(void **state)
{
	(void)state;
	long long loop_ref = web_sql_count(srv.db, "SELECT min(id) FROM referral WHERE "
						   "loop_detected = 1");
	const char *paths[] = {pathf("/renvois/", ref1, ""),
			       pathf("/renvois/", ref1, "/trajectoire"),
			       pathf("/renvois/", loop_ref, "/trajectoire")};
	for (size_t i = 0; i < 3; i++) {
		expect_get(&srv, &papz, paths[i], 404, NULL, TEXTS("F-REF"));
	}
	expect_post(&srv, &papz, pathf("/renvois/", ref1, "/coordonnees"), NULL, 404, NULL,
		    TEXTS("Awa Diallo"));
	expect_get(&srv, &papz, "/renvois", 200, NULL,
		   TEXTS(pathf("href=\"/renvois/", ref1, "\""),
			 pathf("href=\"/renvois/", loop_ref, "\"")));
	char p[256];
	snprintf(p, sizeof(p), "/api/v1/referrals/%s", ext_of(ref1));
	expect_api(&srv, &papz, "GET", p, NULL, 404, NULL, NULL);
	expect_api(&srv, &papz, "GET", "/api/v1/referrals", NULL, 0, NULL,
		   TEXTS(ext_of(ref1), "F-REF"));
	snprintf(p, sizeof(p), "/api/v1/referrals/%s/take", ext_of(loop_ref));
	expect_api(&srv, &papz, "POST", p, NULL, 404, NULL, NULL);
}

/* comité and analyste: no referral, never the family's name or code. */
static void test_committee_and_analyst_never_see_names(void **state)
{
	(void)state;
	struct web_browser *who[] = {&comite, &analyste};
	for (size_t i = 0; i < 2; i++) {
		expect_get(&srv, who[i], "/renvois", 200, NULL, TEXTS("F-REF", "Awa Diallo"));
		expect_get(&srv, who[i], pathf("/renvois/", ref1, ""), 404, NULL, NULL);
		expect_post(&srv, who[i], pathf("/renvois/", ref1, "/coordonnees"), NULL, 404, NULL,
			    TEXTS("Awa Diallo"));
		expect_api(&srv, who[i], "GET", "/api/v1/referrals", NULL, 200,
			   TEXTS("\"total\":0"), NULL);
		expect_get(&srv, who[i], "/renvois/retards", 0, NULL, TEXTS("F-REF"));
	}
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE actor_id IN "
					       "(SELECT id FROM person WHERE role IN ('comite', "
					       "'analyste'))"),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refer_through_corridor),
		cmocka_unit_test(test_receiver_takes_in_charge),
		cmocka_unit_test(test_refusal_needs_reason),
		cmocka_unit_test(test_no_consent_rejected),
		cmocka_unit_test(test_loop_warning_then_confirmed),
		cmocka_unit_test(test_overdue_both_sides),
		cmocka_unit_test(test_third_organisation_sees_nothing),
		cmocka_unit_test(test_committee_and_analyst_never_see_names),
		cmocka_unit_test(test_lists_paged),
	};
	return cmocka_run_group_tests_name("e2e_referrals", tests, group_setup, web_suite_teardown);
}
