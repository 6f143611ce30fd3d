/* End-to-end tests of signing in against a real "proxima serve" (issue 14):
 *   - item 11: the CSRF token changes with the session;
 *   - item 6: failed sign-ins slow down the guesser, never lock anyone else
 *     out: spraying made-up e-mails from one address, guessing one account
 *     from one address, then from a hundred.
 * The server runs behind a "proxy" (--trust-proxy: the loopback peer is
 * trusted), so each request says where it comes from in X-Forwarded-For.
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
	{NULL, "gest@a.test", "Nadia Gagnon", "gestionnaire", "ORG-A", "T-A"},
};

static int group_setup(void **state)
{
	(void)state;
	static const char *const extra[] = {"--trust-proxy", NULL};
	if (web_suite_prepare(&srv, NOW, WEB_FIXTURE_TWO_TERRITORIES) < 0 ||
	    web_add_accounts(srv.db, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD) < 0)
		return -1;
	return ts_server_start(&srv, extra);
}

static int group_teardown(void **state)
{
	(void)state;
	return web_suite_stop(&srv) == 0 ? 0 : -1;
}

/* One sign-in attempt. */
struct attempt {
	long status;
	char device[128];    /* the device cookie set by a success, or "" */
	char retry_after[16]; /* the Retry-After of a 429, or "" */
};

/* POST /connexion for email with password from address (X-Forwarded-For)
 * with the device cookie device (NULL: none) into *out. */
static void sign_in_from(struct ts_server *s, const char *address, const char *email,
			 const char *password, const char *device, struct attempt *out)
{
	static const char csrf[] = "csrf___0123456789abcdefghijklmnopqrstuvwxyz";
	char cookie[256], xff[128], body[1024] = "";
	snprintf(cookie, sizeof(cookie), "Cookie: proxima_csrf=%s%s%s", csrf,
		 device ? "; proxima_device=" : "", device ? device : "");
	snprintf(xff, sizeof(xff), "X-Forwarded-For: %s", address);
	const char *kv[] = {"courriel", email, "mot_de_passe", password, NULL};
	web_form_build(body, sizeof(body), csrf, kv);
	const char *h[] = {cookie, xff, WEB_FORM_CT, NULL};
	struct ts_resp r = {0};
	assert_int_equal(
		ts_http(NULL, "POST", ts_url(s, "/connexion"), h, body, strlen(body), &r), 0);
	memset(out, 0, sizeof(*out));
	out->status = r.status;
	ts_set_cookie(&r, "proxima_device", out->device, sizeof(out->device));
	ts_header(&r, "Retry-After", out->retry_after, sizeof(out->retry_after));
	ts_resp_free(&r);
}

/* Fails unless a sign-in answers status. */
#define expect_sign_in(address, email, password, device, want)                            \
	do {                                                                               \
		struct attempt at_;                                                        \
		sign_in_from(&srv, (address), (email), (password), (device), &at_);        \
		if (at_.status != (want))                                                  \
			fail_msg("sign-in of %s from %s%s: %ld, expected %d", (email),     \
				 (address), (device) ? " (known device)" : "", at_.status, \
				 (want));                                                  \
	} while (0)

/* Twenty failures from one address, on made-up e-mails: that address is
 * slowed down, nobody else is. */
static void test_spraying_locks_out_nobody_else(void **state)
{
	(void)state;
	struct attempt owner;
	sign_in_from(&srv, "198.51.100.1", "gest@a.test", PASSWORD, NULL, &owner);
	assert_int_equal(owner.status, 303);
	assert_true(owner.device[0] != '\0');
	for (int i = 0; i < 20; i++) {
		char email[64];
		snprintf(email, sizeof(email), "inconnu%d@exemple.test", i);
		expect_sign_in("203.0.113.7", email, "mauvais", NULL, 401);
	}
	struct attempt a;
	sign_in_from(&srv, "203.0.113.7", "inconnu99@exemple.test", "mauvais", NULL, &a);
	assert_int_equal(a.status, 429);
	assert_true(atoi(a.retry_after) > 0 && atoi(a.retry_after) <= 15 * 60);
	/* Everyone else signs in, from anywhere else. */
	expect_sign_in("198.51.100.2", "pap@a.test", PASSWORD, NULL, 303);
	expect_sign_in("2001:db8:aa::1", "pap@b.test", PASSWORD, NULL, 303);
	/* Even from the sprayer's address (an office behind one address), a
	 * device that signed in to the account before. */
	expect_sign_in("203.0.113.7", "gest@a.test", PASSWORD, owner.device, 303);
	/* A whole IPv6 /64 is one address. */
	for (int i = 0; i < 20; i++) {
		char addr[64], email[64];
		snprintf(addr, sizeof(addr), "2001:db8:bad:1::%x", i + 1);
		snprintf(email, sizeof(email), "autre%d@exemple.test", i);
		expect_sign_in(addr, email, "mauvais", NULL, 401);
	}
	expect_sign_in("2001:db8:bad:1:ffff::9", "pap@a.test", PASSWORD, NULL, 429);
	expect_sign_in("2001:db8:bad:2::1", "pap@a.test", PASSWORD, NULL, 303);
}

/* Five wrong passwords for one account from one address slow that
 * address down for that account; a hundred from a hundred addresses keep
 * new devices out of it; its owner still signs in from a known device. */
static void test_guessing_does_not_lock_the_owner_out(void **state)
{
	(void)state;
	struct attempt owner;
	sign_in_from(&srv, "198.51.100.20", "pap@b.test", PASSWORD, NULL, &owner);
	assert_int_equal(owner.status, 303);
	for (int i = 0; i < 5; i++)
		expect_sign_in("203.0.113.8", "pap@b.test", "devine", NULL, 401);
	/* The guesser's sixth try is refused, right password or not. */
	expect_sign_in("203.0.113.8", "pap@b.test", PASSWORD, NULL, 429);
	/* The owner: from the same address with a known device, from another
	 * address with a new one. */
	expect_sign_in("203.0.113.8", "pap@b.test", PASSWORD, owner.device, 303);
	expect_sign_in("198.51.100.21", "pap@b.test", PASSWORD, NULL, 303);

	/* Guessing from many addresses, one try each: after a hundred
	 * failures in all, new devices are kept out of the account. */
	for (int i = 0; i < 95; i++) {
		char addr[32];
		snprintf(addr, sizeof(addr), "192.0.2.%d", i + 1);
		expect_sign_in(addr, "pap@b.test", "devine", NULL, 401);
	}
	expect_sign_in("192.0.2.200", "pap@b.test", "devine", NULL, 429);
	expect_sign_in("198.51.100.22", "pap@b.test", PASSWORD, NULL, 429);
	expect_sign_in("198.51.100.22", "pap@b.test", PASSWORD, owner.device, 303);
	/* Other accounts are not concerned. */
	expect_sign_in("198.51.100.22", "pap@a.test", PASSWORD, NULL, 303);
}

/* Without --trust-proxy, X-Forwarded-For is anybody's word: ignored. */
static void test_forwarded_for_needs_a_trusted_proxy(void **state)
{
	(void)state;
	struct ts_server plain = {0};
	assert_int_equal(ts_server_prepare(&plain), 0);
	assert_int_equal(web_sql(plain.db, WEB_FIXTURE_TWO_TERRITORIES), 0);
	assert_int_equal(web_add_accounts(plain.db, ACCOUNTS, 1, PASSWORD), 0);
	assert_int_equal(ts_server_start(&plain, NULL), 0);
	for (int i = 0; i < 20; i++) {
		char addr[32], email[64];
		snprintf(addr, sizeof(addr), "192.0.2.%d", i + 1);
		snprintf(email, sizeof(email), "x%d@exemple.test", i);
		struct attempt a;
		sign_in_from(&plain, addr, email, "mauvais", NULL, &a);
		assert_int_equal(a.status, 401);
	}
	/* All came from 127.0.0.1, whatever they said. */
	struct attempt a;
	sign_in_from(&plain, "198.51.100.99", "pap@a.test", PASSWORD, NULL, &a);
	assert_int_equal(a.status, 429);
	assert_int_equal(ts_server_stop(&plain), 0);
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
		cmocka_unit_test(test_spraying_locks_out_nobody_else),
		cmocka_unit_test(test_guessing_does_not_lock_the_owner_out),
		cmocka_unit_test(test_forwarded_for_needs_a_trusted_proxy),
	};
	return cmocka_run_group_tests_name("e2e_security", tests, group_setup, group_teardown);
}
