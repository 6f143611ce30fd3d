/* End-to-end tests of the one-time form tokens (issue 11, "No duplicates,
 * with or without JavaScript") against a real "proxima serve", without
 * JavaScript: every page form carries a token; the same form body posted
 * twice records once and answers the second time with the same 303; a
 * token used by another person is ignored safely (nothing of theirs is
 * shown, nothing of theirs is changed); an expired token gives a clear
 * message and the form back, filled in; a token first used on another
 * form, or malformed, is refused. */
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
static struct web_browser pap1, pap2;

static const struct web_account ACCOUNTS[] = {
	{&pap1, "pap1@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
	{&pap2, "pap2@a.test", "Luc Côté", "pap", "ORG-A", "T-A"},
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

/* The form token of the first form of path's page as b sees it, copied
 * into out. Fails the test when the page has none. */
static const char *page_token(struct web_browser *b, const char *path, char *out, size_t cap)
{
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, b, path, &r), 0);
	assert_status(&r, 200);
	static const char key[] = "name=\"form_token\" value=\"";
	const char *p = strstr(web_body_of(&r), key);
	if (!p)
		fail_msg("%s: no form token in the page", path);
	p += strlen(key);
	size_t n = strcspn(p, "\"");
	assert_true(n > 0 && n < cap);
	memcpy(out, p, n);
	out[n] = '\0';
	ts_resp_free(&r);
	return out;
}

/* Posts the quick entry with note and token as b; the Location of the 303
 * goes into loc (when not NULL). Returns the status. */
static long post_activity(struct web_browser *b, const char *path, const char *note,
			  const char *token, char *loc, size_t cap)
{
	const char *kv[] = {
		"type", "contact_informel", "place", "parc", "duration_min", "30", "note",
		note,   "form_token",       token,   NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, b, path, kv, &r), 0);
	long status = r.status;
	if (loc && status == 303)
		assert_non_null(ts_header(&r, "Location", loc, cap));
	ts_resp_free(&r);
	return status;
}

static long long notes(const char *note)
{
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM activity WHERE note = '%s'", note);
	return web_sql_count(srv.db, sql);
}

/* Every page form that writes carries a token, a new one on each page. */
static void test_forms_carry_a_token(void **state)
{
	(void)state;
	static const char *const pages[] = {
		"/journal/nouvelle", "/journal/indirect", "/familles/nouvelle",
		"/recits/nouveau",   "/trous/nouveau",    "/moi/soutien",
	};
	char a[128], b[128];
	for (size_t i = 0; i < WEB_COUNT(pages); i++)
		page_token(&pap1, pages[i], a, sizeof(a));
	page_token(&pap1, "/journal/nouvelle", a, sizeof(a));
	page_token(&pap1, "/journal/nouvelle", b, sizeof(b));
	assert_string_not_equal(a, b);
}

/* The same form body posted twice (a double tap, a resend after a lost
 * answer): one record, and the second answer is the first 303. */
static void test_same_body_twice_records_once(void **state)
{
	(void)state;
	char token[128], first[512], second[512];
	page_token(&pap1, "/journal/nouvelle", token, sizeof(token));
	assert_int_equal(post_activity(&pap1, "/journal/nouvelle", "envoi-double", token, first,
				       sizeof(first)),
			 303);
	assert_int_equal(post_activity(&pap1, "/journal/nouvelle", "envoi-double", token, second,
				       sizeof(second)),
			 303);
	assert_string_equal(second, first);
	assert_int_equal(notes("envoi-double"), 1);
	/* A new page gives a new token: a second activity is a new write. */
	page_token(&pap1, "/journal/nouvelle", token, sizeof(token));
	assert_int_equal(post_activity(&pap1, "/journal/nouvelle", "envoi-double", token, second,
				       sizeof(second)),
			 303);
	assert_string_not_equal(second, first);
	assert_int_equal(notes("envoi-double"), 2);
}

/* A token first used by someone else is theirs: it neither shows their
 * answer nor stops this person's write, which is recorded once as this
 * person's own. */
static void test_token_of_another_person(void **state)
{
	(void)state;
	char token[128], theirs[512], mine[512], again[512];
	page_token(&pap1, "/journal/nouvelle", token, sizeof(token));
	assert_int_equal(post_activity(&pap1, "/journal/nouvelle", "jeton-partage", token, theirs,
				       sizeof(theirs)),
			 303);
	assert_int_equal(post_activity(&pap2, "/journal/nouvelle", "jeton-partage", token, mine,
				       sizeof(mine)),
			 303);
	assert_string_not_equal(mine, theirs);
	assert_int_equal(post_activity(&pap2, "/journal/nouvelle", "jeton-partage", token, again,
				       sizeof(again)),
			 303);
	assert_string_equal(again, mine);
	assert_int_equal(notes("jeton-partage"), 2);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(DISTINCT author_id) FROM activity "
					       "WHERE note = 'jeton-partage'"),
			 2);
}

/* A token issued more than 24 hours ago may have been forgotten after its
 * first use: the write is refused with a clear message and the form comes
 * back filled in, with a new token that saves it. */
static void test_expired_token_gives_the_form_back(void **state)
{
	(void)state;
	char token[128], old[160];
	page_token(&pap1, "/journal/nouvelle", token, sizeof(token));
	long long issued = strtoll(token, NULL, 10);
	snprintf(old, sizeof(old), "%lld%s", issued - 25 * 3600, strchr(token, '.'));
	const char *kv[] = {"type",
			    "contact_informel",
			    "place",
			    "parc",
			    "duration_min",
			    "45",
			    "note",
			    "formulaire-expire",
			    "form_token",
			    old,
			    NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, &pap1, "/journal/nouvelle", kv, &r), 0);
	assert_status(&r, 422);
	assert_has(&r, "Ce formulaire a été ouvert il y a plus de 24 heures");
	assert_has(&r, ">formulaire-expire</textarea>");
	assert_has(&r, "value=\"45\"");
	assert_has(&r, "name=\"form_token\" value=\"");
	assert_lacks(&r, old);
	assert_int_equal(notes("formulaire-expire"), 0);
	/* The form as given back saves. */
	static const char key[] = "name=\"form_token\" value=\"";
	const char *p = strstr(web_body_of(&r), key) + strlen(key);
	char fresh[128];
	size_t n = strcspn(p, "\"");
	assert_true(n < sizeof(fresh));
	memcpy(fresh, p, n);
	fresh[n] = '\0';
	ts_resp_free(&r);
	assert_int_equal(
		post_activity(&pap1, "/journal/nouvelle", "formulaire-expire", fresh, NULL, 0),
		303);
	assert_int_equal(notes("formulaire-expire"), 1);
}

/* A token already used on one form does not carry another form's write;
 * a token that is not one is refused. */
static void test_token_misused(void **state)
{
	(void)state;
	char token[128];
	page_token(&pap1, "/journal/nouvelle", token, sizeof(token));
	assert_int_equal(
		post_activity(&pap1, "/journal/nouvelle", "jeton-ailleurs", token, NULL, 0), 303);
	struct ts_resp r = {0};
	const char *kv[] = {
		"type", "contact_informel", "indirect.redaction", "20", "form_token", token, NULL};
	assert_int_equal(web_post(&srv, &pap1, "/journal/indirect", kv, &r), 0);
	assert_status(&r, 422);
	assert_has(&r, "Ce formulaire a déjà été envoyé à une autre adresse");
	ts_resp_free(&r);
	assert_int_equal(post_activity(&pap1, "/journal/nouvelle", "jeton-invalide", "pas-un-jeton",
				       NULL, 0),
			 400);
	assert_int_equal(notes("jeton-invalide"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms_carry_a_token),
		cmocka_unit_test(test_same_body_twice_records_once),
		cmocka_unit_test(test_token_of_another_person),
		cmocka_unit_test(test_expired_token_gives_the_form_back),
		cmocka_unit_test(test_token_misused),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
