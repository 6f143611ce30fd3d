/* End-to-end tests of issue 14's contract and validation items against a
 * real "proxima serve":
 *  - optional means optional: the API takes, for each kind it creates, a
 *    record with only the fields interchange.md makes required (a
 *    presentation of mandate without partners, an activity of 0 minutes,
 *    a support request, a supervision session without a type…), while the
 *    web forms may still ask for more;
 *  - one strictness: every write endpoint answers an unknown field with
 *    the same 422 naming it (take, acknowledge, delete, support
 *    acknowledgement and mandate items included);
 *  - the feedback of a take-in-charge is stored and shown to the sender
 *    (API and the referral's history page);
 *  - territory scope: no position and no activity on a territory the
 *    organisation does not serve, by the API or the forms, unless an admin
 *    adds the territory to the organisation's;
 *  - validation messages: all errors at once, each naming its field.
 *
 * Fixture: territories A (with A1) and B; organisations X (serves A) and
 * Y (serves B); a family of X with consent to referral; a corridor on A
 * into Y whose template has six fields; a referral of the family from X
 * to Y, sent and open. */
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

#define NOW "2025-06-16T10:00:00"
#define TODAY "2025-06-16"
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;
static struct web_browser pap_x, gest_x, pap_y, gest_y, admin;

static const char FIXTURE[] =
	"{\"kind\":\"territory\",\"id\":\"A\",\"name\":\"Territoire A\",\"type\":\"urbain\"}\n"
	"{\"kind\":\"territory\",\"id\":\"A1\",\"name\":\"Quartier A1\",\"parent\":\"A\"}\n"
	"{\"kind\":\"territory\",\"id\":\"B\",\"name\":\"Territoire B\",\"type\":\"rural\"}\n"
	"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
	"\"territories\":[\"A\"]}\n"
	"{\"kind\":\"organisation\",\"id\":\"Y\",\"name\":\"Maison Y\",\"sector\":\"COMM\","
	"\"territories\":[\"B\"]}\n";

static const char RECORDS[] =
	"{\"kind\":\"family\",\"id\":\"FX\",\"organisation\":\"X\",\"code\":\"FX-1\","
	"\"opened\":\"2025-01-10\",\"follower\":\"pap-x\",\"consent\":{\"date\":\"2025-01-10\","
	"\"language\":\"fr\",\"scopes\":[\"suivi\",\"reference\"]}}\n"
	"{\"kind\":\"corridor\",\"id\":\"C6\",\"territory\":\"A\",\"name\":\"Six champs\","
	"\"entry_organisation\":\"Y\",\"template_fields\":[\"motif\",\"besoin\",\"urgence\","
	"\"langue\",\"disponibilites\",\"taille_menage\"]}\n"
	"{\"kind\":\"referral\",\"id\":\"R1\",\"family\":\"FX\",\"from_organisation\":\"X\","
	"\"to_organisation\":\"Y\",\"sender\":\"pap-x\",\"sent_at\":\"2025-06-15T09:00\"}\n"
	"{\"kind\":\"referral\",\"id\":\"R2\",\"family\":\"FX\",\"from_organisation\":\"X\","
	"\"to_organisation\":\"Y\",\"sender\":\"pap-x\",\"sent_at\":\"2025-06-15T10:00\"}\n";

static const struct web_account ACCOUNTS[] = {
	{&pap_x, "pap@x.test", "pap-x", "pap", "X", "A"},
	{&gest_x, "gest@x.test", "gest-x", "gestionnaire", "X", "A"},
	{&pap_y, "pap@y.test", "pap-y", "pap", "Y", "B"},
	{&gest_y, "gest@y.test", "gest-y", "gestionnaire", "Y", "B"},
	{&admin, "admin@q.test", "admin", "admin", NULL, NULL},
};

static int group_setup(void **state)
{
	*state = &srv;
	if (web_suite_prepare(&srv, NOW, NULL) < 0 ||
	    web_import_text(&srv, FIXTURE, "fixture.jsonl") < 0 ||
	    web_add_accounts_named(srv.db, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD) < 0 ||
	    web_import_text(&srv, RECORDS, "records.jsonl") < 0)
		return -1;
	return web_suite_start(&srv, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

/* The row id of a query's first row. */
static long long id_of(const char *sql)
{
	long long id = web_sql_count(srv.db, sql);
	if (id <= 0)
		fail_msg("no row: %s", sql);
	return id;
}

/* ---- optional means optional */

static void test_api_takes_bold_fields_only(void **state)
{
	(void)state;
	/* interchange.md's bold fields of an activity; no partners for a
	 * presentation of mandate, and 0 minutes without indirect time. */
	expect_api(&srv, &pap_x, "POST", "/api/v1/activities",
		   "{\"id\":\"act-min\",\"author\":\"pap-x\",\"territory\":\"A\",\"date\":\"" TODAY
		   "\",\"duration_min\":45,\"type\":\"presentation_mandat\"}",
		   201, TEXTS("\"id\":\"act-min\"", "\"partners\":[]"), NULL);
	expect_api(&srv, &pap_x, "POST", "/api/v1/activities",
		   "{\"id\":\"act-zero\",\"author\":\"pap-x\",\"territory\":\"A\",\"date\":\"" TODAY
		   "\",\"duration_min\":0,\"type\":\"contact_informel\"}",
		   201, TEXTS("\"id\":\"act-zero\""), NULL);
	expect_api(&srv, &pap_x, "POST", "/api/v1/families",
		   "{\"id\":\"fam-min\",\"organisation\":\"X\",\"code\":\"M-1\","
		   "\"opened\":\"" TODAY "\"}",
		   201, TEXTS("\"id\":\"fam-min\""), NULL);
	expect_api(&srv, &gest_x, "POST", "/api/v1/positions",
		   "{\"id\":\"pos-min\",\"organisation\":\"X\",\"territory\":\"A\","
		   "\"start\":\"2025-01-01\"}",
		   201, TEXTS("\"id\":\"pos-min\""), NULL);
	expect_api(&srv, &gest_x, "POST", "/api/v1/supervision",
		   "{\"id\":\"sup-min\",\"person\":\"pap-x\",\"date\":\"" TODAY "\",\"hours\":1.5}",
		   201, TEXTS("\"id\":\"sup-min\""), NULL);
	expect_api(&srv, &pap_x, "POST", "/api/v1/support-requests",
		   "{\"id\":\"sr-min\",\"person\":\"pap-x\",\"date\":\"" TODAY "\"}", 201,
		   TEXTS("\"id\":\"sr-min\""), NULL);
	expect_api(&srv, &pap_x, "POST", "/api/v1/support-requests",
		   "{\"person\":\"pap-y\",\"date\":\"2025-06-01\"}", 422,
		   TEXTS("\"field\":\"person\"", "\"field\":\"date\""), NULL);
	expect_api(&srv, &pap_x, "POST", "/api/v1/stories",
		   "{\"id\":\"st-min\",\"author\":\"pap-x\",\"date\":\"" TODAY
		   "\",\"text\":\"Un récit.\"}",
		   201, TEXTS("\"id\":\"st-min\""), NULL);
	expect_api(&srv, &pap_x, "POST", "/api/v1/service-gaps",
		   "{\"id\":\"gap-min\",\"territory\":\"A\",\"date\":\"" TODAY
		   "\",\"need\":\"logement\"}",
		   201, TEXTS("\"id\":\"gap-min\""), NULL);
	expect_api(&srv, &admin, "POST", "/api/v1/corridors",
		   "{\"id\":\"cor-min\",\"territory\":\"A\",\"name\":\"Corridor minimal\","
		   "\"entry_organisation\":\"X\"}",
		   201, TEXTS("\"id\":\"cor-min\""), NULL);
	expect_api(&srv, &admin, "POST", "/api/v1/projects",
		   "{\"id\":\"pr-min\",\"territory\":\"A\",\"name\":\"Projet minimal\","
		   "\"start\":\"2025-01-01\"}",
		   201, TEXTS("\"id\":\"pr-min\""), NULL);
	/* The forms still ask: whom the mandate was presented to, some time. */
	const char *kv[] = {"type", "presentation_mandat", "duration_min", "0", NULL};
	expect_post(&srv, &pap_x, "/journal/nouvelle", kv, 422,
		    TEXTS("id=\"e-f-partners\"", "id=\"e-f-duration-min\""), NULL);
}

/* ---- one strictness: an unknown field is the same 422 everywhere */

static void expect_unknown(const struct web_browser *b, const char *method, const char *path,
			   const char *json, const char *field)
{
	char has[128];
	snprintf(has, sizeof(has), "\"field\":\"%s\"", field);
	expect_api(&srv, b, method, path, json, 422,
		   TEXTS("\"code\":\"validation_failed\"", has, "Ce champ est inconnu."), NULL);
}

static void test_unknown_fields_refused_everywhere(void **state)
{
	(void)state;
	expect_unknown(&pap_y, "POST", "/api/v1/referrals/R2/take", "{\"raison\":\"x\"}", "raison");
	expect_unknown(&pap_y, "POST", "/api/v1/referrals/R2/acknowledge", "{\"x\":1}", "x");
	expect_unknown(&pap_x, "POST", "/api/v1/activities",
		       "{\"date\":\"" TODAY "\",\"duration_min\":5,\"type\":\"contact_informel\","
		       "\"colour\":\"red\"}",
		       "colour");
	expect_unknown(&pap_x, "DELETE", "/api/v1/activities/act-zero", "{\"why\":\"x\"}", "why");
	expect_unknown(&gest_x, "POST", "/api/v1/positions",
		       "{\"organisation\":\"X\",\"territory\":\"A\",\"start\":\"2025-01-01\","
		       "\"mandate\":{\"items\":[{\"population\":\"familles_0_5\","
		       "\"activity\":\"contact_informel\",\"age\":3}]}}",
		       "mandate.items.age");
	expect_unknown(&gest_x, "POST", "/api/v1/support-requests/sr-min/acknowledge",
		       "{\"note\":\"lu\"}", "note");
	/* The phone's outbox (POST /api/v1/sync): the batch and each entry. */
	expect_unknown(&pap_x, "POST", "/api/v1/sync",
		       "{\"account\":\"p1\",\"entries\":[],\"extra\":1}", "extra");
	char batch[256];
	snprintf(batch, sizeof(batch),
		 "{\"account\":\"p%lld\",\"entries\":[{\"key\":\"entree-001\","
		 "\"form\":\"/journal/nouvelle\",\"fields\":[],\"colour\":\"red\"}]}",
		 id_of("SELECT id FROM person WHERE ext_id = 'pap-x'"));
	expect_api(&srv, &pap_x, "POST", "/api/v1/sync", batch, 200,
		   TEXTS("\"status\":\"refused\"", "\"code\":422", "\"field\":\"colour\"",
			 "Ce champ est inconnu."),
		   NULL);
	/* Still there: nothing was deleted or acknowledged. */
	expect_api(&srv, &pap_x, "GET", "/api/v1/activities/act-zero", NULL, 200, NULL, NULL);
	expect_api(&srv, &pap_y, "GET", "/api/v1/referrals/R2", NULL, 200,
		   TEXTS("\"received_at\":null"), NULL);
}

/* ---- the feedback of a take-in-charge reaches the sender */

static void test_take_feedback_stored_and_shown(void **state)
{
	(void)state;
	expect_api(&srv, &pap_y, "POST", "/api/v1/referrals/R1/take",
		   "{\"reason\":\"Premier rendez-vous le 18 juin avec l'intervenante.\"}", 200,
		   TEXTS("\"status\":\"prise_en_charge\"",
			 "\"reason\":\"Premier rendez-vous le 18 juin avec l'intervenante.\"",
			 "\"action\":\"prise_en_charge\""),
		   NULL);
	/* The sender reads it, in the API and on the referral's page. */
	expect_api(&srv, &pap_x, "GET", "/api/v1/referrals/R1", NULL, 200,
		   TEXTS("\"reason\":\"Premier rendez-vous le 18 juin avec l'intervenante.\""),
		   NULL);
	long long r1 = id_of("SELECT id FROM referral WHERE ext_id = 'R1'");
	char path[64];
	snprintf(path, sizeof(path), "/renvois/%lld", r1);
	expect_get(
		&srv, &pap_x, path, 200,
		TEXTS("Rétroaction :", "Premier rendez-vous le 18 juin avec l&#39;intervenante."),
		NULL);
	/* The receiving side's form takes the feedback too. */
	long long r2 = id_of("SELECT id FROM referral WHERE ext_id = 'R2'");
	snprintf(path, sizeof(path), "/renvois/%lld", r2);
	expect_get(&srv, &pap_y, path, 200,
		   TEXTS("Rétroaction à l&#39;organisation qui réfère (facultatif)"), NULL);
	snprintf(path, sizeof(path), "/renvois/%lld/prise-en-charge", r2);
	const char *kv[] = {"reason", "Appel fait : la famille viendra lundi.", NULL};
	expect_post(&srv, &pap_y, path, kv, 303, NULL, NULL);
	snprintf(path, sizeof(path), "/renvois/%lld", r2);
	expect_get(&srv, &pap_x, path, 200, TEXTS("Appel fait : la famille viendra lundi."), NULL);
}

/* ---- territory scope */

static void test_territory_scope(void **state)
{
	(void)state;
	/* A manager of X (which serves A, so A1 too) cannot open a position
	 * on B: the API and the form say why. */
	expect_api(&srv, &gest_x, "POST", "/api/v1/positions",
		   "{\"organisation\":\"X\",\"territory\":\"B\",\"start\":\"2025-01-01\"}", 422,
		   TEXTS("\"field\":\"territory\"", "ne dessert pas ce territoire"), NULL);
	expect_api(&srv, &gest_x, "POST", "/api/v1/positions",
		   "{\"organisation\":\"X\",\"territory\":\"A1\",\"start\":\"2025-01-01\"}", 201,
		   NULL, NULL);
	long long b = id_of("SELECT id FROM territory WHERE ext_id = 'B'");
	long long x = id_of("SELECT id FROM organisation WHERE ext_id = 'X'");
	char tb[32], ox[32];
	snprintf(tb, sizeof(tb), "%lld", b);
	snprintf(ox, sizeof(ox), "%lld", x);
	const char *pos[] = {"organisation", ox, "territory", tb, "start", "2025-01-01", NULL};
	expect_post(&srv, &gest_x, "/equipe/postes/nouveau", pos, 422,
		    TEXTS("id=\"e-f-territory\"", "ne dessert pas ce territoire"), NULL);
	/* A PAP of X cannot file an activity on B (API, page); nothing counts
	 * there. */
	expect_api(&srv, &pap_x, "POST", "/api/v1/activities",
		   "{\"territory\":\"B\",\"date\":\"" TODAY "\",\"duration_min\":30,"
		   "\"type\":\"contact_informel\"}",
		   422, TEXTS("\"field\":\"territory\"", "ne dessert pas ce territoire"), NULL);
	const char *act[] = {"type", "contact_informel", "duration_min", "30", "territory", tb,
			     NULL};
	expect_post(&srv, &pap_x, "/journal/nouvelle", act, 422,
		    TEXTS("id=\"e-f-territory\"", "ne dessert pas ce territoire"), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity a JOIN territory t "
					       "ON t.id = a.territory_id WHERE t.ext_id = 'B'"),
			 0);
	/* Once an admin sets X to serve B, both are accepted. */
	assert_int_equal(web_sql(srv.db, "INSERT INTO organisation_territory (organisation_id, "
					 "territory_id) SELECT o.id, t.id FROM organisation o, "
					 "territory t WHERE o.ext_id = 'X' AND t.ext_id = 'B'"),
			 0);
	expect_post(&srv, &pap_x, "/journal/nouvelle", act, 303, NULL, NULL);
	expect_api(&srv, &gest_x, "POST", "/api/v1/positions",
		   "{\"organisation\":\"X\",\"territory\":\"B\",\"start\":\"2025-01-01\"}", 201,
		   NULL, NULL);
	assert_int_equal(web_sql(srv.db, "DELETE FROM organisation_territory WHERE "
					 "organisation_id = (SELECT id FROM organisation WHERE "
					 "ext_id = 'X') AND territory_id = (SELECT id FROM "
					 "territory WHERE ext_id = 'B')"),
			 0);
}

/* ---- validation messages: every error at once, each naming its field */

static void test_validation_messages(void **state)
{
	(void)state;
	/* 1 January 1900 is refused: the page, the API and the import agree. */
	const char *old[] = {"type", "contact_informel", "duration_min", "30", "date", "1900-01-01",
			     NULL};
	expect_post(&srv, &pap_x, "/journal/nouvelle", old, 422,
		    TEXTS("id=\"e-f-date\"", "précéder le 1er janvier 2000"), NULL);
	expect_api(&srv, &pap_x, "POST", "/api/v1/activities",
		   "{\"date\":\"1900-01-01\",\"duration_min\":30,\"type\":\"contact_informel\"}",
		   422, TEXTS("\"field\":\"date\"", "précéder le 1er janvier 2000"), NULL);
	/* "abc" in Adultes: one error, on Adultes, named in the summary. */
	const char *abc[] = {
		"type", "contact_informel", "duration_min", "30", "counts.adults", "abc", NULL};
	expect_post(&srv, &pap_x, "/journal/nouvelle", abc, 422,
		    TEXTS("id=\"e-f-counts-adults\"", "Adultes : Entrez un nombre entre 0 et"),
		    TEXTS("id=\"e-f-counts-new-contacts\"", "id=\"e-f-counts-hors-reseau\""));
	/* The family form: every missing field of the consent at once. */
	const char *fam[] = {"code",          "",  "opened", "", "consent.language", "",
			     "consent.suivi", "1", NULL};
	expect_post(&srv, &pap_x, "/familles/nouvelle", fam, 422,
		    TEXTS("id=\"e-f-code\"", "id=\"e-f-opened\"", "id=\"e-f-consent-date\"",
			  "id=\"e-f-consent-language\"", "Date du consentement : Indiquez",
			  "Langue du formulaire : Indiquez"),
		    NULL);
	/* A corridor's template: each missing field named. */
	long long fx = id_of("SELECT id FROM family WHERE ext_id = 'FX'");
	long long c6 = id_of("SELECT id FROM corridor WHERE ext_id = 'C6'");
	char sfx[32], sc6[32];
	snprintf(sfx, sizeof(sfx), "%lld", fx);
	snprintf(sc6, sizeof(sc6), "%lld", c6);
	const char *ref[] = {"famille", sfx, "corridor", sc6, NULL};
	expect_post(&srv, &pap_x, "/renvois/nouveau", ref, 422,
		    TEXTS("Motif de la référence : Ce champ du gabarit",
			  "Besoin principal : Ce champ du gabarit",
			  "Situation urgente (oui/non) : Ce champ du gabarit",
			  "Langue parlée : Ce champ du gabarit",
			  "Disponibilités de la famille : Ce champ du gabarit",
			  "Taille du ménage : Ce champ du gabarit"),
		    NULL);
	/* A support request's form: every missing field at once. */
	const char *sup[] = {"text", "", NULL};
	expect_post(&srv, &pap_x, "/moi/soutien", sup, 422,
		    TEXTS("id=\"e-f-addressed-to\"", "id=\"e-f-type\"", "id=\"e-f-urgency\"",
			  "id=\"e-f-text\""),
		    NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_takes_bold_fields_only),
		cmocka_unit_test(test_unknown_fields_refused_everywhere),
		cmocka_unit_test(test_take_feedback_stored_and_shown),
		cmocka_unit_test(test_territory_scope),
		cmocka_unit_test(test_validation_messages),
	};
	return cmocka_run_group_tests(tests, group_setup, web_suite_teardown);
}
