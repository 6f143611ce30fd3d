/* Two "proxima serve" on one PostgreSQL database behave as one: a session
 * made on one is used on the other, and an idempotent replay across the
 * two gives one record. Everything shared lives in the database.
 *
 * Runs in tests/run.sh's PostgreSQL pass; the SQLite pass skips it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "support/scratch_db.h"
#include "support/server.h"
#include "support/web.h"

#define PASSWORD "motdepasse-du-test"
#define ACTIVITY                                                                      \
	"{\"date\":\"2025-01-10\",\"duration_min\":30,\"type\":\"contact_informel\"," \
	"\"place\":\"parc\",\"counts\":{\"adults\":2}}"

static struct ts_server one, two;
static struct web_browser pap;
static char token[128];

static const struct web_account ACCOUNTS[] = {
	{&pap, "pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
};

static int group_setup(void **state)
{
	*state = &one;
	if (!scratch_pg_admin())
		return 0;
	if (web_suite_setup(&one, "2025-06-01T10:00:00", WEB_FIXTURE_TWO_TERRITORIES, ACCOUNTS,
			    WEB_COUNT(ACCOUNTS), PASSWORD) < 0 ||
	    web_token_create(one.db, "pap@a.test", "tests", token, sizeof(token)) < 0)
		return -1;
	/* The second server: its own directory and logs, the same database. */
	if (ts_mkdtemp(two.dir, sizeof(two.dir), "server-two") < 0)
		return -1;
	two.out_fd = -1;
	snprintf(two.db, sizeof(two.db), "%s", one.db);
	snprintf(two.access_log, sizeof(two.access_log), "%s/access.log", two.dir);
	snprintf(two.err_path, sizeof(two.err_path), "%s/stderr.log", two.dir);
	return ts_server_start(&two, NULL);
}

static int group_teardown(void **state)
{
	if (two.pid > 0)
		ts_server_stop(&two);
	return scratch_pg_admin() ? web_suite_teardown_any(state) : 0;
}

/* Signed in on the first server, the browser's session works on the
 * second (and still on the first). */
static void test_session_across(void **state)
{
	(void)state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	struct ts_resp r;
	assert_int_equal(web_get(&two, &pap, "/menu", &r), 0);
	assert_int_equal(r.status, 200); /* not sent to /connexion */
	ts_resp_free(&r);
	assert_int_equal(web_api(&two, &pap, "GET", "/api/v1/me", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(ts_body_has(&r, "Marie Tremblay"));
	ts_resp_free(&r);
	/* Without the cookie, the same page sends the browser to sign in. */
	struct web_browser nobody = {0};
	assert_int_equal(web_get_anonymous(&two, &nobody, "/menu", &r), 0);
	assert_int_equal(r.status, 303);
	ts_resp_free(&r);
	assert_int_equal(web_get(&one, &pap, "/menu", &r), 0);
	assert_int_equal(r.status, 200);
	ts_resp_free(&r);
}

/* The same Idempotency-Key sent to each server: one activity, the same
 * answer, the second marked as a replay. */
static void test_idempotent_replay_across(void **state)
{
	(void)state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	char auth[200];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *h[] = {auth, WEB_JSON_CT, "Idempotency-Key: deux-serveurs-1", NULL};
	long before = web_sql_count(one.db, "SELECT count(*) FROM activity");
	struct ts_resp a, b;
	assert_int_equal(ts_http(NULL, "POST", ts_url(&one, "/api/v1/activities"), h, ACTIVITY,
				 strlen(ACTIVITY), &a),
			 0);
	assert_int_equal(ts_http(NULL, "POST", ts_url(&two, "/api/v1/activities"), h, ACTIVITY,
				 strlen(ACTIVITY), &b),
			 0);
	assert_int_equal(a.status, 201);
	assert_int_equal(b.status, 201);
	assert_string_equal(b.body.data, a.body.data);
	char v[16];
	assert_non_null(ts_header(&b, "Idempotent-Replayed", v, sizeof(v)));
	assert_int_equal(web_sql_count(one.db, "SELECT count(*) FROM activity"), before + 1);
	ts_resp_free(&a);
	ts_resp_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_across),
		cmocka_unit_test(test_idempotent_replay_across),
	};
	return cmocka_run_group_tests_name("e2e_two_servers", tests, group_setup, group_teardown);
}
