/* cmocka assertions on responses for the end-to-end tests of the pages.
 * Header only, on purpose: the support library (server.c, web.c) is linked
 * into every test binary and must not need cmocka, so these live here and
 * are compiled only into the tests that include this header after
 * <cmocka.h>. Each one fails the running test with a message saying why. */
#ifndef PROXIMA_TEST_WEB_ASSERT_H
#define PROXIMA_TEST_WEB_ASSERT_H

#include <stdio.h>
#include <string.h>

#include "support/server.h"

/* Fails unless the response's status is status (shows the body). */
static inline void assert_status(const struct ts_resp *r, long status)
{
	if (r->status != status)
		fail_msg("status %ld, expected %ld; body: %.800s", r->status, status,
			 r->body.data ? r->body.data : "");
}

/* Fails unless the body contains text. */
static inline void assert_has(const struct ts_resp *r, const char *text)
{
	if (!ts_body_has(r, text))
		fail_msg("body (status %ld) lacks '%s': %.600s", r->status, text,
			 r->body.data ? r->body.data : "");
}

/* Fails when the body contains text. */
static inline void assert_lacks(const struct ts_resp *r, const char *text)
{
	if (ts_body_has(r, text))
		fail_msg("body (status %ld) contains '%s'", r->status, text);
}

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

#endif
