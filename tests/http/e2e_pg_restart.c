/* PostgreSQL stopped and started under a bounded write load: every
 * acknowledged write (201) is in the database, every refused one got a
 * clear 503 ("unavailable"), nothing is half written (each activity has
 * its aggregates), and the server, which never stopped, writes again
 * once PostgreSQL is back.
 *
 * A writer thread sends activities through the API, one after the other,
 * each with its own Idempotency-Key, until ten more were acknowledged
 * after the restart (WRITES at most); the main thread stops the test
 * cluster after the first 20 and starts it again a moment later
 * (tests/pg_cluster.sh). Runs in tests/run.sh's PostgreSQL
 * pass; the SQLite pass skips it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/scratch_db.h"
#include "support/server.h"
#include "support/web.h"

#define PASSWORD "motdepasse-du-test"
#define WRITES 400             /* at most: the writer stops 10 writes after the restart */
#define ADULTS(i) (1000 + (i)) /* tells each write apart */

static struct ts_server srv;
static char token[128];
static long status[WRITES];
static bool unavailable_body[WRITES];
static atomic_int sent;
static atomic_bool restarted;
static int last; /* the writes sent */

static const struct web_account ACCOUNTS[] = {
	{NULL, "pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
};

static int group_setup(void **state)
{
	*state = &srv;
	if (!scratch_pg_admin())
		return 0;
	if (web_suite_setup(&srv, "2025-06-01T10:00:00", WEB_FIXTURE_TWO_TERRITORIES, ACCOUNTS,
			    WEB_COUNT(ACCOUNTS), PASSWORD) < 0)
		return -1;
	return web_token_create(srv.db, "pap@a.test", "tests", token, sizeof(token));
}

static int group_teardown(void **state)
{
	return scratch_pg_admin() ? web_suite_teardown_any(state) : 0;
}

/* The writer: WRITES activities, each with a distinct key and count, at
 * most one in flight; records each answer. */
static void *writer(void *arg)
{
	(void)arg;
	char auth[200];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	int after = 0;
	for (int i = 0; i < WRITES && after < 10; i++) {
		char key[64], body[256];
		snprintf(key, sizeof(key), "Idempotency-Key: charge-%d", i);
		snprintf(body, sizeof(body),
			 "{\"date\":\"2025-01-10\",\"duration_min\":30,\"type\":\"contact_"
			 "informel\","
			 "\"place\":\"parc\",\"counts\":{\"adults\":%d}}",
			 ADULTS(i));
		const char *h[] = {auth, WEB_JSON_CT, key, NULL};
		struct ts_resp r;
		if (ts_http(NULL, "POST", ts_url(&srv, "/api/v1/activities"), h, body, strlen(body),
			    &r) < 0) {
			status[i] = -1;
		} else {
			status[i] = r.status;
			unavailable_body[i] = ts_body_has(&r, "\"unavailable\"");
			ts_resp_free(&r);
		}
		if (atomic_load(&restarted) && status[i] == 201)
			after++;
		last = i + 1;
		atomic_store(&sent, i + 1);
		ts_sleep_ms(20);
	}
	return NULL;
}

/* Runs tests/pg_cluster.sh ACTION on the test cluster. */
static int cluster(const char *action)
{
	const char *pg = scratch_pg_admin();
	const char *h = strstr(pg, "host=");
	if (!h)
		return -1;
	char dir[512];
	size_t n = strcspn(h + 5, " ");
	snprintf(dir, sizeof(dir), "%.*s", (int)n, h + 5);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "tests/pg_cluster.sh %s '%s' >/dev/null", action, dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_restart_under_load(void **state)
{
	(void)state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	long before = web_sql_count(srv.db, "SELECT count(*) FROM activity");
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, writer, NULL), 0);
	while (atomic_load(&sent) < 20)
		ts_sleep_ms(10);
	assert_int_equal(cluster("stop"), 0);
	ts_sleep_ms(800);
	assert_int_equal(cluster("start"), 0);
	atomic_store(&restarted, true);
	pthread_join(t, NULL);

	int acked = 0, refused = 0;
	for (int i = 0; i < last; i++) {
		if (status[i] == 201) {
			acked++;
			char q[128];
			snprintf(q, sizeof(q), "SELECT count(*) FROM activity WHERE adults = %d",
				 ADULTS(i));
			if (web_sql_count(srv.db, q) != 1)
				fail_msg("write %d was acknowledged but is not there", i);
		} else {
			refused++;
			if (status[i] != 503 || !unavailable_body[i])
				fail_msg("write %d got %ld, not a clear 503", i, status[i]);
		}
	}
	/* Some were refused while PostgreSQL was down, and ten were
	 * acknowledged after it came back. */
	assert_true(refused > 0);
	assert_true(last < WRITES);
	assert_int_equal(status[last - 1], 201);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + acked);
	/* Nothing half written: every activity is in the aggregates. */
	assert_int_equal(web_sql_count(srv.db, "SELECT coalesce(sum(n), 0) FROM agg_act "
					       "WHERE grain = 'M'"),
			 before + acked);
	assert_true(ts_server_alive(&srv));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restart_under_load),
	};
	return cmocka_run_group_tests_name("e2e_pg_restart", tests, group_setup, group_teardown);
}
