/* End-to-end tests of signing in against a real "proxima serve": the CSRF
 * token changes with the session (issue 14, item 11).
 *
 * Setup: "proxima init", the two-territory fixture and accounts made with
 * "proxima user add"; PROXIMA_TEST_FAST_HASH keeps argon2 quick. */
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

static const struct web_account ACCOUNTS[] = {
	{NULL, "pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
	{NULL, "pap@b.test", "Paul Roy", "pap", "ORG-B", "T-B"},
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

/* POST /langue (a form every visitor may send) with these cookies and this
 * csrf_token field; returns the status. */
static long post_language(const char *session, const char *cookie_token, const char *field_token)
{
	char cookie[512], body[256];
	snprintf(cookie, sizeof(cookie), "Cookie: proxima_csrf=%s%s%s", cookie_token,
		 session ? "; proxima_session=" : "", session ? session : "");
	snprintf(body, sizeof(body), "csrf_token=%s&lang=fr&retour=%%2F", field_token);
	const char *h[] = {cookie, WEB_FORM_CT, NULL};
	struct ts_resp r = {0};
	assert_int_equal(ts_http(NULL, "POST", ts_url(&srv, "/langue"), h, body, strlen(body), &r),
			 0);
	long status = r.status;
	ts_resp_free(&r);
	return status;
}

/* The token of the page before sign-in is refused once signed in, even
 * when the cookie still carries it (a token planted in the browser before
 * sign-in); the new one, set by the sign-in, works; signing out changes it
 * again. */
static void test_csrf_token_rotates_with_the_session(void **state)
{
	(void)state;
	struct web_browser b;
	struct ts_resp r = {0};
	assert_int_equal(web_get_anonymous(&srv, &b, "/connexion", &r), 0);
	ts_resp_free(&r);
	char before[128];
	snprintf(before, sizeof(before), "%s", b.csrf);
	assert_true(before[0] != '\0');
	assert_int_equal(post_language(NULL, before, before), 303);

	const char *kv[] = {"courriel", "pap@a.test", "mot_de_passe", PASSWORD, NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_post(&srv, &b, "/connexion", kv, &r), 0);
	assert_status(&r, 303);
	char session[128], after[128];
	assert_non_null(ts_set_cookie(&r, "proxima_session", session, sizeof(session)));
	if (!ts_set_cookie(&r, "proxima_csrf", after, sizeof(after)))
		fail_msg("signing in set no new proxima_csrf cookie");
	ts_resp_free(&r);
	assert_string_not_equal(after, before);

	/* The pre-sign-in token, whether or not the cookie still holds it. */
	assert_int_equal(post_language(session, before, before), 403);
	assert_int_equal(post_language(session, after, before), 403);
	/* The token set at sign-in is the one in the pages' forms. */
	assert_int_equal(post_language(session, after, after), 303);
	struct web_browser in = b;
	snprintf(in.session, sizeof(in.session), "%s", session);
	snprintf(in.cookie, sizeof(in.cookie), "Cookie: proxima_csrf=%s; proxima_session=%s", after,
		 session);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &in, "/", &r), 0);
	assert_has(&r, after);
	assert_lacks(&r, before);
	ts_resp_free(&r);
	/* Another session gets another token. */
	struct web_browser other;
	assert_int_equal(web_login(&srv, &other, "pap@b.test", PASSWORD), 0);
	assert_string_not_equal(other.csrf, after);
	assert_int_equal(post_language(session, after, other.csrf), 403);

	/* Signing out: the signed-in token is refused, a new one is set. */
	char body[256];
	snprintf(body, sizeof(body), "csrf_token=%s", after);
	const char *h[] = {in.cookie, WEB_FORM_CT, NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(
		ts_http(NULL, "POST", ts_url(&srv, "/deconnexion"), h, body, strlen(body), &r), 0);
	assert_status(&r, 303);
	char out[128];
	if (!ts_set_cookie(&r, "proxima_csrf", out, sizeof(out)))
		fail_msg("signing out set no new proxima_csrf cookie");
	ts_resp_free(&r);
	assert_string_not_equal(out, after);
	assert_int_equal(post_language(NULL, out, after), 403);
	assert_int_equal(post_language(NULL, out, out), 303);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csrf_token_rotates_with_the_session),
	};
	return cmocka_run_group_tests_name("e2e_security", tests, group_setup, group_teardown);
}
