/* End-to-end tests of group commit (issue 15) against a real "proxima
 * serve": many clients writing at once, as phones emptying their outboxes.
 *   - each concurrent POST gets exactly its own answer: a 201 with its id
 *     for a valid activity, a 422 for an invalid one, whatever the others
 *     in its group did; every acknowledged activity is stored once, none
 *     of the refused ones; sending them all again writes nothing more;
 *   - two POSTs naming the same new external id at once: one 201, one 409;
 *   - a COMMIT that fails (the test hook PROXIMA_TEST_FAIL_COMMIT, read at
 *     start-up) fails every write of its group with a 507 and acknowledges
 *     none: the rows stored are exactly the 201s.
 * Both engines (tests/run.sh runs it in each pass). */
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

#define NOW "2025-06-01T10:00:00"
#define PASSWORD "motdepasse-du-test"
#define WRITERS 48
#define ACTIVITY_FMT                                                                    \
	"{\"date\":\"2025-05-%02d\",\"duration_min\":%d,\"type\":\"contact_informel\"," \
	"\"place\":\"parc\",\"counts\":{\"adults\":%d}}"

static struct ts_server srv;
static struct web_browser pap;
static char auth[200];

static const struct web_account ACCOUNTS[] = {
	{&pap, "pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
};

static int group_setup(void **state)
{
	(void)state;
	char token[128];
	if (web_suite_setup(&srv, NOW, WEB_FIXTURE_TWO_TERRITORIES, ACCOUNTS, WEB_COUNT(ACCOUNTS),
			    PASSWORD) < 0 ||
	    web_token_create(srv.db, "pap@a.test", "tests", token, sizeof(token)) < 0)
		return -1;
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return web_suite_stop(&srv) == 0 ? 0 : -1;
}

/* One request of a volley. */
struct shot {
	char key[64];
	char body[4096];
	const char *path;
	struct ts_buf out;
	long status;
	struct curl_slist *hdr;
	CURL *h;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	ts_buf_append(arg, p, size * n);
	return size * n;
}

/* Sends every shot at once (one connection each) and waits for all the
 * answers. */
static void volley(struct shot *s, size_t n)
{
	CURLM *m = curl_multi_init();
	assert_non_null(m);
	for (size_t i = 0; i < n; i++) {
		char k[100];
		snprintf(k, sizeof(k), "Idempotency-Key: %s", s[i].key);
		s[i].hdr = curl_slist_append(NULL, auth);
		s[i].hdr = curl_slist_append(s[i].hdr, WEB_JSON_CT);
		s[i].hdr = curl_slist_append(s[i].hdr, k);
		s[i].out = (struct ts_buf){0};
		s[i].h = curl_easy_init();
		assert_non_null(s[i].h);
		curl_easy_setopt(s[i].h, CURLOPT_URL, ts_url(&srv, s[i].path));
		curl_easy_setopt(s[i].h, CURLOPT_HTTPHEADER, s[i].hdr);
		curl_easy_setopt(s[i].h, CURLOPT_POSTFIELDS, s[i].body);
		curl_easy_setopt(s[i].h, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(s[i].h, CURLOPT_WRITEDATA, &s[i].out);
		curl_easy_setopt(s[i].h, CURLOPT_TIMEOUT, 60L);
		curl_multi_add_handle(m, s[i].h);
	}
	int running = 1;
	while (running) {
		assert_int_equal(curl_multi_perform(m, &running), CURLM_OK);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		curl_easy_getinfo(s[i].h, CURLINFO_RESPONSE_CODE, &s[i].status);
		ts_buf_append(&s[i].out, "", 0);
		curl_multi_remove_handle(m, s[i].h);
		curl_easy_cleanup(s[i].h);
		curl_slist_free_all(s[i].hdr);
	}
	curl_multi_cleanup(m);
}

static void volley_free(struct shot *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ts_buf_free(&s[i].out);
}

/* WRITERS activities, each with its own key; every seventh is invalid (a
 * negative duration). run tells one volley's keys from another's. */
static struct shot *activities(const char *run)
{
	struct shot *s = calloc(WRITERS, sizeof(*s));
	assert_non_null(s);
	for (int i = 0; i < WRITERS; i++) {
		snprintf(s[i].key, sizeof(s[i].key), "gc-%s-%d", run, i);
		snprintf(s[i].body, sizeof(s[i].body), ACTIVITY_FMT, 1 + i % 28,
			 i % 7 == 3 ? -5 : 10 + i, 1 + i % 4);
		s[i].path = "/api/v1/activities";
	}
	return s;
}

/* The id of a 201's body ({"id":"…", …}), copied into out. */
static const char *answer_id(const struct shot *s, char *out, size_t cap)
{
	const char *p = strstr(s->out.data, "\"id\":\"");
	assert_non_null(p);
	p += 6;
	const char *e = strchr(p, '"');
	assert_non_null(e);
	assert_true((size_t)(e - p) < cap);
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return out;
}

static long long stored(const char *ext_id)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM activity WHERE ext_id = '%s'", ext_id);
	return web_sql_count(srv.db, sql);
}

/* Concurrent writers each get their own outcome; none is lost or doubled,
 * and sending everything again changes nothing. */
static void test_concurrent_writers(void **state)
{
	(void)state;
	long long before = web_sql_count(srv.db, "SELECT count(*) FROM activity");
	struct shot *s = activities("a");
	volley(s, WRITERS);
	int valid = 0;
	char id[WRITERS][80];
	for (int i = 0; i < WRITERS; i++) {
		if (i % 7 == 3) {
			assert_int_equal(s[i].status, 422);
			assert_non_null(strstr(s[i].out.data, "duration_min"));
			continue;
		}
		assert_int_equal(s[i].status, 201);
		answer_id(&s[i], id[i], sizeof(id[i]));
		assert_int_equal(stored(id[i]), 1);
		valid++;
	}
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + valid);
	volley_free(s, WRITERS);

	/* The same volley again: every 201 is replayed with the same id. */
	volley(s, WRITERS);
	for (int i = 0; i < WRITERS; i++) {
		if (i % 7 == 3)
			continue;
		char again[80];
		assert_int_equal(s[i].status, 201);
		assert_string_equal(answer_id(&s[i], again, sizeof(again)), id[i]);
	}
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + valid);
	volley_free(s, WRITERS);
	free(s);
}

/* Pairs of concurrent POSTs naming the same new external id (each with
 * its own key): in every pair exactly one is stored (201) and the other
 * is told the id is taken (409), never a 500. The body is read and
 * validated before the write unit, but whether the id is free can only be
 * known inside it, after the units before it in its group. */
static void test_same_new_id_at_once(void **state)
{
	(void)state;
	struct shot *s = calloc(WRITERS, sizeof(*s));
	assert_non_null(s);
	for (int i = 0; i < WRITERS; i++) {
		snprintf(s[i].key, sizeof(s[i].key), "gc-dup-%d", i);
		int n = snprintf(s[i].body, sizeof(s[i].body), "{\"id\":\"act-gc-dup-%d\",", i / 2);
		snprintf(s[i].body + n, sizeof(s[i].body) - (size_t)n, &ACTIVITY_FMT[1], 1 + i % 28,
			 10 + i, 1);
		s[i].path = "/api/v1/activities";
	}
	volley(s, WRITERS);
	for (int i = 0; i < WRITERS; i += 2) {
		long a = s[i].status, b = s[i + 1].status;
		assert_true((a == 201 && b == 409) || (a == 409 && b == 201));
		const struct shot *refused = a == 409 ? &s[i] : &s[i + 1];
		assert_non_null(strstr(refused->out.data, "\"id\""));
		char ext[40];
		snprintf(ext, sizeof(ext), "act-gc-dup-%d", i / 2);
		assert_int_equal(stored(ext), 1);
	}
	volley_free(s, WRITERS);
	free(s);
}

/* One volley while every second group COMMIT fails: each valid write is
 * a 201 (stored once) or a 507 (not stored), each invalid one a 422;
 * the rows added are exactly the 201s. Counts the 507s into *failed. */
static void volley_failing(const char *run, int *failed)
{
	long long before = web_sql_count(srv.db, "SELECT count(*) FROM activity");
	struct shot *s = activities(run);
	volley(s, WRITERS);
	int acked = 0;
	for (int i = 0; i < WRITERS; i++) {
		if (i % 7 == 3) {
			assert_int_equal(s[i].status, 422); /* refused, whatever the COMMIT did */
			continue;
		}
		if (s[i].status == 507) {
			(*failed)++;
			continue;
		}
		assert_int_equal(s[i].status, 201);
		char id[80];
		assert_int_equal(stored(answer_id(&s[i], id, sizeof(id))), 1);
		acked++;
	}
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + acked);
	volley_free(s, WRITERS);
	free(s);
}

/* Every second group COMMIT fails: its writes get a 507, none of them is
 * stored, and every 201 is. (A volley whose failed groups held only
 * refused writes shows no 507: a few volleys make sure one does.) */
static void test_failed_commit_acknowledges_none(void **state)
{
	(void)state;
	assert_int_equal(ts_server_stop(&srv), 0);
	setenv("PROXIMA_TEST_FAIL_COMMIT", "2", 1);
	int rc = ts_server_start(&srv, NULL);
	unsetenv("PROXIMA_TEST_FAIL_COMMIT");
	assert_int_equal(rc, 0);
	int failed = 0;
	for (int v = 0; v < 5 && failed == 0; v++) {
		char run[16];
		snprintf(run, sizeof(run), "f%d", v);
		volley_failing(run, &failed);
	}
	assert_true(failed > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_writers),
		cmocka_unit_test(test_same_new_id_at_once),
		cmocka_unit_test(test_failed_commit_acknowledges_none),
	};
	return cmocka_run_group_tests_name("e2e_group_commit", tests, group_setup, group_teardown);
}
