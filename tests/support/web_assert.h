/* cmocka assertions on responses for the end-to-end tests of the pages.
 * Header only, on purpose: the support library (server.c, web.c) is linked
 * into every test binary and must not need cmocka, so these live here and
 * are compiled only into the tests that include this header after
 * <cmocka.h>. Each one fails the running test with a message saying why,
 * at the line of the test that called it (the macros pass __FILE__ and
 * __LINE__ to the web_*_at functions). */
#ifndef PROXIMA_TEST_WEB_ASSERT_H
#define PROXIMA_TEST_WEB_ASSERT_H

#include <stdio.h>
#include <string.h>

#include "support/server.h"
#include "support/web.h"

/* The body of r for messages ("" when there is none). */
static inline const char *web_body_of(const struct ts_resp *r)
{
	return r->body.data ? r->body.data : "";
}

/* Fails the running test at file:line unless r's status is status (shows
 * the body). what names the request in the message, or is NULL. */
static inline void web_assert_status_at(const char *file, int line, const char *what,
					const struct ts_resp *r, long status)
{
	if (r->status != status) {
		print_error("ERROR: %s%sstatus %ld, expected %ld; body: %.800s\n", what ? what : "",
			    what ? ": " : "", r->status, status, web_body_of(r));
		_fail(file, line);
	}
}

/* Fails the running test at file:line unless r's body contains text. */
static inline void web_assert_has_at(const char *file, int line, const char *what,
				     const struct ts_resp *r, const char *text)
{
	if (!ts_body_has(r, text)) {
		print_error("ERROR: %s%sbody (status %ld) lacks '%s': %.600s\n", what ? what : "",
			    what ? ": " : "", r->status, text, web_body_of(r));
		_fail(file, line);
	}
}

/* Fails the running test at file:line when r's body contains text. */
static inline void web_assert_lacks_at(const char *file, int line, const char *what,
				       const struct ts_resp *r, const char *text)
{
	if (ts_body_has(r, text)) {
		print_error("ERROR: %s%sbody (status %ld) contains '%s'\n", what ? what : "",
			    what ? ": " : "", r->status, text);
		_fail(file, line);
	}
}

/* Fails unless the response's status is status (shows the body). */
#define assert_status(r, status) web_assert_status_at(__FILE__, __LINE__, NULL, (r), (status))

/* Fails unless the body contains text. */
#define assert_has(r, text) web_assert_has_at(__FILE__, __LINE__, NULL, (r), (text))

/* Fails when the body contains text. */
#define assert_lacks(r, text) web_assert_lacks_at(__FILE__, __LINE__, NULL, (r), (text))

/* The path of a redirect's Location (without the origin or fragment),
 * copied into out; fails when there is no Location. */
static inline const char *location(const struct ts_resp *r, char *out, size_t cap)
{
	char v[1024];
	if (!ts_header(r, "Location", v, sizeof(v)))
		fail_msg("no Location (status %ld)", r->status);
	const char *p = strstr(v, "://");
	p = p ? strchr(p + 3, '/') : v;
	if (!p)
		p = v;
	size_t n = strlen(p) < cap ? strlen(p) : cap - 1; /* truncated to fit */
	memcpy(out, p, n);
	out[n] = '\0';
	char *hash = strchr(out, '#');
	if (hash)
		*hash = '\0';
	return out;
}

/* ---- One request and its checks in one call. */

/* A NULL-terminated list of texts for the expect_* requests:
 * TEXTS("a", "b"). */
#define TEXTS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Fails the running test at file:line unless r (the answer to the request
 * what) has the status status (0: any status), then unless its body
 * contains each text of has, in order, then when it contains any text of
 * lacks, in order. has and lacks are NULL-terminated lists, or NULL for
 * none. */
static inline void web_assert_resp_at(const char *file, int line, const char *what,
				      const struct ts_resp *r, long status, const char *const *has,
				      const char *const *lacks)
{
	if (status)
		web_assert_status_at(file, line, what, r, status);
	for (size_t i = 0; has && has[i]; i++)
		web_assert_has_at(file, line, what, r, has[i]);
	for (size_t i = 0; lacks && lacks[i]; i++)
		web_assert_lacks_at(file, line, what, r, lacks[i]);
}

/* Sends one request as b (NULL: anonymous, GET only): method "GET" (kv
 * and json unused), "POST" as a form (web_post: kv are NULL-terminated
 * pairs, the CSRF token is added; json unused) or, when json_api is true,
 * a JSON API request with method and body json (web_api). Fails at
 * file:line unless a response came, then checks it as web_assert_resp_at
 * does and frees it. */
static inline void web_expect_at(const char *file, int line, const struct ts_server *s,
				 const struct web_browser *b, bool json_api, const char *method,
				 const char *path, const char *const *kv, const char *json,
				 long status, const char *const *has, const char *const *lacks)
{
	char what[600];
	snprintf(what, sizeof(what), "%.16s %.560s", method, path);
	struct ts_resp r = {0};
	int rc = json_api                      ? web_api(s, b, method, path, json, &r)
		 : strcmp(method, "POST") == 0 ? web_post(s, b, path, kv, &r)
					       : web_get(s, b, path, &r);
	if (rc != 0) {
		print_error("ERROR: %s: no HTTP response\n", what);
		ts_resp_free(&r);
		_fail(file, line);
	}
	web_assert_resp_at(file, line, what, &r, status, has, lacks);
	ts_resp_free(&r);
}

/* GET path as b (NULL: anonymous); fails unless a response came, then
 * unless it has status (0: any), every text of has and none of lacks (see
 * web_assert_resp_at). */
#define expect_get(s, b, path, status, has, lacks)                                              \
	web_expect_at(__FILE__, __LINE__, (s), (b), false, "GET", (path), NULL, NULL, (status), \
		      (has), (lacks))

/* POST the form kv as b (see web_post), then the same checks. */
#define expect_post(s, b, path, kv, status, has, lacks)                                          \
	web_expect_at(__FILE__, __LINE__, (s), (b), false, "POST", (path), (kv), NULL, (status), \
		      (has), (lacks))

/* A JSON API request as b (see web_api), then the same checks. */
#define expect_api(s, b, method, path, json, status, has, lacks)                          \
	web_expect_at(__FILE__, __LINE__, (s), (b), true, (method), (path), NULL, (json), \
		      (status), (has), (lacks))

/* POST the form kv as b (see web_post); fails at file:line unless a
 * response came with status 303 and a Location. Copies the Location's
 * path, as location() does, into loc (cap bytes), frees the response and
 * returns loc. */
static inline const char *web_post_redirect_at(const char *file, int line,
					       const struct ts_server *s,
					       const struct web_browser *b, const char *path,
					       const char *const *kv, char *loc, size_t cap)
{
	char what[600];
	snprintf(what, sizeof(what), "POST %.560s", path);
	struct ts_resp r = {0};
	if (web_post(s, b, path, kv, &r) != 0) {
		print_error("ERROR: %s: no HTTP response\n", what);
		ts_resp_free(&r);
		_fail(file, line);
	}
	web_assert_status_at(file, line, what, &r, 303);
	location(&r, loc, cap);
	ts_resp_free(&r);
	return loc;
}

/* POST the form kv as b, expecting a redirect (303): the path it leads to,
 * copied into loc (see web_post_redirect_at). */
#define post_redirect(s, b, path, kv, loc, cap) \
	web_post_redirect_at(__FILE__, __LINE__, (s), (b), (path), (kv), (loc), (cap))

/* The text of the table row of html that starts at the first occurrence of
 * start and ends at the next "</tr>", tags replaced by spaces, into out
 * (cap bytes). Fails the running test when start is not in html. */
static inline void web_row_text(const char *html, const char *start, char *out, size_t cap)
{
	out[0] = '\0';
	const char *p = strstr(html, start);
	if (!p)
		fail_msg("no row %s", start);
	const char *end = strstr(p, "</tr>");
	if (!end)
		fail_msg("row %s: no </tr>", start);
	size_t n = 0;
	int in_tag = 0;
	for (; p < end && n + 1 < cap; p++) {
		if (*p == '<')
			in_tag = 1;
		else if (*p == '>') {
			in_tag = 0;
			out[n++] = ' ';
		} else if (!in_tag)
			out[n++] = *p;
	}
	out[n] = '\0';
}

#endif
