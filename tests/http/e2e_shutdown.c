/* End-to-end tests of starting and stopping "proxima serve": graceful
 * stop with a request in flight, idle connections, and the refusals an
 * operator sees on the command line (port in use, bad options, missing or
 * too new database). Each test forks its own server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "support/server.h"

#define CSRF "e2e_shutdown_token_e2e_shutdown_token_e2e_s"
#define PAD (512u * 1024u)

static int group_setup(void **state)
{
	(void)state;
	return curl_global_init(CURL_GLOBAL_DEFAULT) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	curl_global_cleanup();
	return 0;
}

static void start(struct ts_server *s)
{
	if (ts_server_start(s, NULL) < 0)
		fail_msg("cannot start the server");
}

/* Stops s if a failed assertion left it running. */
static void reap(struct ts_server *s)
{
	if (ts_server_alive(s)) {
		ts_server_signal(s, SIGKILL);
		ts_server_wait(s, 2000);
	}
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_inflight_request_finishes_after_sigterm(void **state)
{
	(void)state;
	static struct ts_server s;
	start(&s);
	static const char prefix[] = "csrf_token=" CSRF "&lang=en&retour=%2F&pad=";
	size_t len = sizeof(prefix) - 1 + PAD;
	char *body = malloc(len);
	assert_non_null(body);
	memcpy(body, prefix, sizeof(prefix) - 1);
	memset(body + sizeof(prefix) - 1, 'a', PAD);
	char head[512];
	int hl = snprintf(head, sizeof(head),
			  "POST /langue HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			  "Content-Type: application/x-www-form-urlencoded\r\n"
			  "Cookie: proxima_csrf=" CSRF "\r\n"
			  "Content-Length: %zu\r\nExpect: 100-continue\r\n\r\n",
			  len);
	int fd = ts_connect(s.port);
	assert_true(fd >= 0);
	assert_int_equal(ts_send_all(fd, head, (size_t)hl), 0);
	/* "100 Continue" proves the server has started this request. */
	static char resp[65536];
	ssize_t n = ts_read_response(fd, resp, sizeof(resp), 5000);
	assert_true(n > 0);
	if (strncmp(resp, "HTTP/1.1 100", 12) != 0)
		fail_msg("expected 100 Continue, got '%.40s'", resp);
	size_t half = len / 2;
	assert_int_equal(ts_send_all(fd, body, half), 0);

	assert_int_equal(ts_server_signal(&s, SIGTERM), 0);
	/* New connections are refused soon, while the request is pending. */
	long long deadline = ts_now_ms() + 5000;
	bool refused = false;
	while (!refused && ts_now_ms() < deadline) {
		int c = ts_connect(s.port);
		if (c < 0 && errno == ECONNREFUSED)
			refused = true;
		else if (c >= 0)
			close(c);
		if (!refused)
			ts_sleep_ms(10);
	}
	if (!refused)
		fail_msg("new connections still accepted after SIGTERM");
	ts_sleep_ms(200);
	assert_true(ts_server_alive(&s));

	/* The rest of the body: the response is complete. */
	assert_int_equal(ts_send_all(fd, body + half, len - half), 0);
	free(body);
	n = ts_read_response(fd, resp, sizeof(resp), 10000);
	if (n <= 0 || strncmp(resp, "HTTP/1.1 303", 12) != 0)
		fail_msg("in-flight request got '%.60s'", n > 0 ? resp : "(nothing)");
	assert_non_null(strstr(resp, "\r\nLocation: /\r\n"));
	assert_non_null(strstr(resp, "\r\nSet-Cookie: lang=en"));
	long long t0 = ts_now_ms();
	int rc = ts_server_wait(&s, 5000);
	close(fd);
	assert_int_equal(rc, 0);
	assert_true(ts_now_ms() - t0 < 5000);
	/* It was logged before the exit. */
	char *log = ts_read_file(s.access_log, NULL);
	assert_non_null(log);
	assert_non_null(strstr(log, "method=POST path=\"/langue\" status=303"));
	free(log);
	reap(&s);
}

static void test_idle_connections_do_not_delay_stop(void **state)
{
	(void)state;
	static struct ts_server s;
	start(&s);
	/* A keep-alive connection after a request, and one that never spoke. */
	CURL *h = curl_easy_init();
	assert_non_null(h);
	struct ts_resp r;
	assert_int_equal(ts_http(h, "GET", ts_url(&s, "/healthz"), NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	ts_resp_free(&r);
	int quiet = ts_connect(s.port);
	assert_true(quiet >= 0);
	ts_sleep_ms(50);
	long long t0 = ts_now_ms();
	assert_int_equal(ts_server_signal(&s, SIGTERM), 0);
	int rc = ts_server_wait(&s, 5000);
	long long took = ts_now_ms() - t0;
	close(quiet);
	curl_easy_cleanup(h);
	assert_int_equal(rc, 0);
	if (took > 3000)
		fail_msg("stopping with idle connections took %lld ms", took);
	reap(&s);
}

static void test_sigint_stops_gracefully(void **state)
{
	(void)state;
	static struct ts_server s;
	start(&s);
	struct ts_resp r;
	assert_int_equal(ts_http(NULL, "GET", ts_url(&s, "/"), NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	ts_resp_free(&r);
	assert_int_equal(ts_server_signal(&s, SIGINT), 0);
	assert_int_equal(ts_server_wait(&s, 5000), 0);
	assert_int_equal(s.stdout_extra, 0);
	reap(&s);
}

static void test_port_in_use_is_refused(void **state)
{
	(void)state;
	static struct ts_server s;
	start(&s);
	char listen[64], out[4096], err[4096];
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", s.port);
	const char *args[] = {"serve", "--db",         s.db,  "--listen",
			      listen,  "--access-log", "off", NULL};
	int rc = ts_run(args, 10000, out, sizeof(out), err, sizeof(err));
	/* -1 would mean it did not exit (it is then killed). */
	if (rc <= 0 || rc >= 128)
		fail_msg("serve on a busy port: status %d, stderr: %s", rc, err);
	assert_null(strstr(out, "listening"));
	if (count_lines(err) != 1)
		fail_msg("expected a one-line message, got: %s", err);
	assert_non_null(strstr(err, "proxima: "));
	assert_non_null(strstr(err, listen));
	assert_non_null(strstr(err, "in use"));
	/* The first server is unharmed. */
	struct ts_resp r;
	assert_int_equal(ts_http(NULL, "GET", ts_url(&s, "/healthz"), NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	ts_resp_free(&r);
	assert_int_equal(ts_server_stop(&s), 0);
	reap(&s);
}

/* Runs proxima with args; expects exit status want and a one-line message
 * on standard error that contains text. */
static void expect_refusal(const char *const *args, int want, const char *text)
{
	char out[4096], err[4096];
	int rc = ts_run(args, 10000, out, sizeof(out), err, sizeof(err));
	if (rc != want)
		fail_msg("status %d, expected %d; stderr: %s", rc, want, err);
	if (count_lines(err) != 1)
		fail_msg("expected a one-line message, got: %s", err);
	if (!strstr(err, text))
		fail_msg("message '%s' lacks '%s'", err, text);
	assert_null(strstr(out, "listening"));
}

static void test_unknown_option_exits_2(void **state)
{
	(void)state;
	const char *args[] = {"serve", "--bogus", NULL};
	expect_refusal(args, 2, "--bogus");
}

static void test_bad_listen_address_exits_2(void **state)
{
	(void)state;
	const char *args[] = {"serve", "--listen", "nonsense", NULL};
	expect_refusal(args, 2, "nonsense");
	const char *args2[] = {"serve", "--listen", "127.0.0.1:99999", NULL};
	expect_refusal(args2, 2, "99999");
}

static void test_missing_database_exits_2(void **state)
{
	(void)state;
	const char *args[] = {"serve",    "--db",        "/nonexistent/x.db",
			      "--listen", "127.0.0.1:0", NULL};
	expect_refusal(args, 2, "/nonexistent/x.db");
}

static void test_uninitialised_database_is_refused(void **state)
{
	(void)state;
	char dir[512], db[600];
	assert_int_equal(ts_mkdtemp(dir, sizeof(dir), "empty"), 0);
	snprintf(db, sizeof(db), "%s/empty.db", dir);
	FILE *f = fopen(db, "w");
	assert_non_null(f);
	fclose(f);
	const char *args[] = {"serve", "--db", db, "--listen", "127.0.0.1:0", NULL};
	expect_refusal(args, 1, "proxima init");
}

static void test_newer_schema_is_refused(void **state)
{
	(void)state;
	static struct ts_server s;
	assert_int_equal(ts_server_prepare(&s), 0);
	/* Through the statement table, like migrate.c: tests follow the rule
	 * that SQL text lives in src/db/ only. */
	char err[512];
	struct db *db = db_open(s.db, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db)
		fail_msg("cannot open %s: %s", s.db, err);
	struct db_stmt *st = db_stmt(db, STMT_SCHEMA_RECORD);
	assert_non_null(st);
	db_bind_int(st, 1, 9999);
	db_bind_text(st, 2, "9999_future.sql");
	db_bind_text(st, 3, "2099-01-01T00:00:00Z");
	int rc = db_step(st);
	db_reset(st);
	db_close(db);
	if (rc != DB_DONE)
		fail_msg("cannot record the future version 9999 (sqlite %d)", rc);

	const char *args[] = {"serve", "--db", s.db, "--listen", "127.0.0.1:0", NULL};
	expect_refusal(args, 1, "newer");
	/* migrate refuses it too, and leaves it alone. */
	const char *margs[] = {"migrate", "--db", s.db, NULL};
	expect_refusal(margs, 1, "newer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inflight_request_finishes_after_sigterm),
		cmocka_unit_test(test_idle_connections_do_not_delay_stop),
		cmocka_unit_test(test_sigint_stops_gracefully),
		cmocka_unit_test(test_port_in_use_is_refused),
		cmocka_unit_test(test_unknown_option_exits_2),
		cmocka_unit_test(test_bad_listen_address_exits_2),
		cmocka_unit_test(test_missing_database_exits_2),
		cmocka_unit_test(test_uninitialised_database_is_refused),
		cmocka_unit_test(test_newer_schema_is_refused),
	};
	return cmocka_run_group_tests_name("e2e_shutdown", tests, group_setup, group_teardown);
}
