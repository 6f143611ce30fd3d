/* End-to-end tests of the slow-client defences of "proxima serve" (issue
 * 14, item 7), on a server started with a short header timeout and a
 * small per-address cap: "--header-timeout 2 --connections-per-address 8
 * --threads 1" (one thread, so the cap is exact).
 *
 *   - slowloris: many connections from one address each send a header line
 *     every few hundred milliseconds and never finish. Beyond the cap they
 *     are refused at once; another client (another loopback address) is
 *     served at once meanwhile; the admitted ones are closed by the server
 *     once the header timeout has passed, although they keep sending.
 *   - a Content-Length over the body limit gets 413 at once, before any
 *     byte of the body is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/server.h"

#define HEADER_TIMEOUT_MS 2000
#define PER_ADDRESS 8
#define SLOW 40 /* slow connections opened from 127.0.0.1 */

static struct ts_server srv;

static int group_setup(void **state)
{
	(void)state;
	static const char *const extra[] = {"--header-timeout", "2", "--connections-per-address",
					    "8", "--threads", "1", NULL};
	return ts_server_start(&srv, extra);
}

static int group_teardown(void **state)
{
	(void)state;
	return ts_server_stop(&srv) == 0 ? 0 : -1;
}

/* A TCP connection to the server from the loopback address from (e.g.
 * "127.0.0.2": every 127.x.y.z is this machine), or -1. */
static int connect_from(const char *from)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	if (inet_pton(AF_INET, from, &a.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	a.sin_port = htons((uint16_t)srv.port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Whether the server has closed fd (end of file or reset), waiting up to
 * wait_ms for it. Bytes it sent are read and dropped. */
static bool closed_by_server(int fd, int wait_ms)
{
	long long end = ts_now_ms() + wait_ms;
	for (;;) {
		int left = (int)(end - ts_now_ms());
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, left > 0 ? left : 0) <= 0)
			return false;
		char b[512];
		ssize_t n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return true;
	}
}

/* GET /healthz from address from: the milliseconds until its 200, or -1. */
static long long healthz_from(const char *from)
{
	long long t0 = ts_now_ms();
	int fd = connect_from(from);
	if (fd < 0)
		return -1;
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	char resp[4096];
	ssize_t n = ts_send_all(fd, req, sizeof(req) - 1) == 0
			    ? ts_read_response(fd, resp, sizeof(resp), 5000)
			    : -1;
	close(fd);
	if (n <= 0 || strncmp(resp, "HTTP/1.1 200", 12) != 0)
		return -1;
	return ts_now_ms() - t0;
}

static void test_slowloris_is_capped_and_cut(void **state)
{
	(void)state;
	int fds[SLOW];
	long long t0 = ts_now_ms();
	for (int i = 0; i < SLOW; i++) {
		fds[i] = connect_from("127.0.0.1");
		assert_true(fds[i] >= 0);
		static const char start[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
		/* A refused connection may be reset before this is sent. */
		(void)ts_send_all(fds[i], start, sizeof(start) - 1);
	}
	/* Beyond the cap, refused at once. */
	int open = 0;
	bool alive[SLOW];
	for (int i = 0; i < SLOW; i++) {
		alive[i] = !closed_by_server(fds[i], i < PER_ADDRESS ? 50 : 300);
		open += alive[i];
	}
	if (open != PER_ADDRESS)
		fail_msg("%d of %d connections from one address kept, expected %d", open, SLOW,
			 PER_ADDRESS);
	/* Another address is served at once. */
	long long ms = healthz_from("127.0.0.2");
	if (ms < 0 || ms > 1000)
		fail_msg("another client waited %lld ms for /healthz", ms);

	/* The admitted ones dribble a header line every 300 ms: closed by the
	 * server once the header timeout has passed, not before. */
	int left = open;
	long long cut_at = 0;
	while (left > 0 && ts_now_ms() - t0 < HEADER_TIMEOUT_MS + 3000) {
		ts_sleep_ms(300);
		for (int i = 0; i < SLOW; i++) {
			if (!alive[i])
				continue;
			if (closed_by_server(fds[i], 0) ||
			    ts_send_all(fds[i], "X-Slow: 1\r\n", 11) < 0) {
				alive[i] = false;
				left--;
				cut_at = ts_now_ms() - t0;
				if (cut_at < HEADER_TIMEOUT_MS - 200)
					fail_msg("a slow connection was closed after %lld ms only",
						 cut_at);
			}
		}
	}
	for (int i = 0; i < SLOW; i++)
		close(fds[i]);
	if (left)
		fail_msg("%d slow connections still open after %lld ms", left, ts_now_ms() - t0);
	/* Their address is welcome again once they are gone. */
	ms = healthz_from("127.0.0.1");
	if (ms < 0 || ms > 1000)
		fail_msg("127.0.0.1 waited %lld ms for /healthz after the cut", ms);
}

/* A client that sends its headers in time is served, even slowly. */
static void test_timely_headers_are_served(void **state)
{
	(void)state;
	int fd = connect_from("127.0.0.3");
	assert_true(fd >= 0);
	static const char *const parts[] = {"GET /healthz HTTP/1.1\r\n", "Host: 127.0.0.1\r\n",
					    "Accept: */*\r\n", "\r\n"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(ts_send_all(fd, parts[i], strlen(parts[i])), 0);
		ts_sleep_ms(300);
	}
	char resp[4096];
	assert_true(ts_read_response(fd, resp, sizeof(resp), 3000) > 0);
	assert_int_equal(strncmp(resp, "HTTP/1.1 200", 12), 0);
	close(fd);
}

/* 413 before any byte of the body, under /api/ as the JSON envelope. */
static void test_huge_content_length_is_413_at_once(void **state)
{
	(void)state;
	static const char *const heads[] = {
		"POST /langue HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"Content-Type: application/x-www-form-urlencoded\r\n"
		"Content-Length: 446000000\r\n\r\n",
		"POST /api/v1/activities HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"Content-Type: application/json\r\nContent-Length: 1048577\r\n"
		"Expect: 100-continue\r\n\r\n",
	};
	for (size_t i = 0; i < 2; i++) {
		int fd = connect_from("127.0.0.4");
		assert_true(fd >= 0);
		assert_int_equal(ts_send_all(fd, heads[i], strlen(heads[i])), 0);
		long long t0 = ts_now_ms();
		static char resp[65536];
		ssize_t n = ts_read_response(fd, resp, sizeof(resp), 3000);
		if (n <= 0)
			fail_msg("no answer within 3 s to a Content-Length over the limit (%zu)",
				 i);
		if (strncmp(resp, "HTTP/1.1 413", 12) != 0)
			fail_msg("got '%.40s', expected 413", resp);
		if (ts_now_ms() - t0 > 1000)
			fail_msg("413 after %lld ms", ts_now_ms() - t0);
		if (i == 1 && !strstr(resp, "\"code\":\"payload_too_large\""))
			fail_msg("the API's 413 is not the JSON envelope: %.300s", resp);
		/* The body is never read: the server closes the connection. */
		assert_true(closed_by_server(fd, 2000));
		close(fd);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slowloris_is_capped_and_cut),
		cmocka_unit_test(test_timely_headers_are_served),
		cmocka_unit_test(test_huge_content_length_is_413_at_once),
	};
	return cmocka_run_group_tests_name("e2e_slow_clients", tests, group_setup, group_teardown);
}
