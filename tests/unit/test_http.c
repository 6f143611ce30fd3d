/* Unit tests for src/http and src/auth/csrf: router, form parsing, cookies,
 * request decoding, CSRF, and whole exchanges through test_http_exchange()
 * (the same pipeline as the server) against a temporary database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth/csrf.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/client_addr.h"
#include "http/cookie.h"
#include "http/error.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static.h"
#include "http/test_http.h"
#include "support/scratch_db.h"

/* ------------------------------------------------------------ fixtures */

static char db_path[600];

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || i18n_init() < 0 || ptime_set_zone("America/Toronto") < 0)
		return -1;
	static_init();
	struct db *db = scratch_db_create(db_path, sizeof(db_path), "proxima-unit-http");
	if (!db)
		return -1;
	db_close(db);
	db_thread_setup(db_path);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	db_thread_close_all();
	scratch_db_remove(NULL, db_path);
	return 0;
}

/* A request with its own arena; freed by req_done. */
static struct request *req_new(const char *method, const char *path)
{
	struct arena *a = arena_new(4096);
	struct request *r = arena_calloc(a, 1, sizeof(*r));
	request_init(r, a);
	r->method = http_method_parse(method);
	r->method_str = method;
	r->path = path;
	return r;
}

static void req_done(struct request *r)
{
	arena_free(r->arena);
}

/* -------------------------------------------------------------- router */

static enum perr h_a(struct request *req, struct response *resp)
{
	(void)req;
	(void)resp;
	return PERR_OK;
}

static enum perr h_b(struct request *req, struct response *resp)
{
	(void)req;
	(void)resp;
	return PERR_OK;
}

static void router_match_patterns(void **state)
{
	(void)state;
	struct arena *a = arena_new(1024);
	struct kvlist p = {0};
	assert_int_equal(router_match("/", "/", a, &p), 1);
	assert_int_equal(router_match("/about", "/about", a, &p), 1);
	assert_int_equal(router_match("/a/b/c", "/a/b/c", a, &p), 1);
	assert_int_equal(p.n, 0);
	assert_int_equal(router_match("/about", "/About", a, &p), 0);
	assert_int_equal(router_match("/about", "/abou", a, &p), 0);
	assert_int_equal(router_match("/about", "/aboutx", a, &p), 0);
	assert_int_equal(router_match("/", "/x", a, &p), 0);
	assert_int_equal(router_match("/x", "/", a, &p), 0);
	/* Extra and missing segments. */
	assert_int_equal(router_match("/a/b", "/a/b/c", a, &p), 0);
	assert_int_equal(router_match("/a/b/c", "/a/b", a, &p), 0);
	/* A trailing slash is a different path. */
	assert_int_equal(router_match("/a/b", "/a/b/", a, &p), 0);
	assert_int_equal(router_match("/a/b/", "/a/b", a, &p), 0);
	assert_int_equal(router_match("/a/b/", "/a/b/", a, &p), 1);
	assert_int_equal(p.n, 0);

	/* Captures. */
	assert_int_equal(router_match("/api/v1/activities/:id", "/api/v1/activities/42", a, &p), 1);
	assert_int_equal(p.n, 1);
	assert_string_equal(kvlist_get(&p, "id"), "42");
	struct kvlist q = {0};
	assert_int_equal(router_match("/o/:org/p/:person", "/o/café/p/x y", a, &q), 1);
	assert_int_equal(q.n, 2);
	assert_string_equal(kvlist_get(&q, "org"), "café");
	assert_string_equal(kvlist_get(&q, "person"), "x y");
	/* A capture takes exactly one non-empty segment. */
	struct kvlist r = {0};
	assert_int_equal(router_match("/a/:id", "/a/", a, &r), 0);
	assert_int_equal(router_match("/a/:id", "/a", a, &r), 0);
	assert_int_equal(router_match("/a/:id", "/a/1/2", a, &r), 0);
	assert_int_equal(router_match("/a/:id/b", "/a//b", a, &r), 0);
	assert_int_equal(router_match("/:x", "/", a, &r), 0);
	/* A failed match leaves no partial captures behind. */
	assert_int_equal(router_match("/a/:x/c", "/a/1/d", a, &r), 0);
	assert_int_equal(r.n, 0);
	assert_null(kvlist_get(&r, "x"));
	/* ... and keeps captures that were there before. */
	assert_int_equal(router_match("/k/:x/c", "/k/1/d", a, &q), 0);
	assert_int_equal(q.n, 2);
	arena_free(a);
}

/* The set of methods in an Allow value, as a bitmask by enum. */
static unsigned allow_set(const char *allow)
{
	unsigned set = 0;
	char copy[256];
	str_copy(copy, sizeof(copy), allow);
	char *save = NULL;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		enum http_method m = http_method_parse(t);
		assert_true(m != HTTP_OTHER);
		assert_false(set & (1u << m)); /* listed once */
		set |= 1u << m;
	}
	return set;
}

/* A request for method path routed through the first n tables by
 * router_find into *found, its response initialised in *resp; fails unless
 * router_find returns want. The caller frees both with route_done. */
static struct request *route_req(const struct route_table *tables, size_t n, const char *method,
				 const char *path, enum perr want, struct response *resp,
				 const struct route **found)
{
	struct request *r = req_new(method, path);
	response_init(resp);
	assert_int_equal(router_find(tables, n, r, resp, found), want);
	return r;
}

/* Frees what route_req made. */
static void route_done(struct request *r, struct response *resp)
{
	response_free(resp);
	req_done(r);
}

/* Fails unless method path, routed through the first n tables, is found
 * (PERR_OK) and its route is want. */
static void assert_routes_to(const struct route_table *tables, size_t n, const char *method,
			     const char *path, const struct route *want)
{
	struct response resp;
	const struct route *found = (const struct route *)1;
	struct request *r = route_req(tables, n, method, path, PERR_OK, &resp, &found);
	assert_ptr_equal(found, want);
	route_done(r, &resp);
}

static void router_find_routes(void **state)
{
	(void)state;
	static const struct route routes[] = {
		{.method = HTTP_GET, .pattern = "/a", .handler = h_a},
		{.method = HTTP_POST, .pattern = "/a", .handler = h_b},
		{.method = HTTP_DELETE, .pattern = "/items/:id", .handler = h_b},
		{.method = HTTP_PUT, .pattern = "/items/:id", .handler = h_a},
		{.method = HTTP_GET, .pattern = "/items/:id/edit", .handler = h_a},
	};
	/* Two tables, as modules export them: GET and POST /a in the first,
	 * the rest in the second, so Allow must collect across tables. */
	static const struct route more[] = {
		{.method = HTTP_PUT, .pattern = "/a", .handler = h_b},
		{.method = HTTP_GET, .pattern = "/a", .handler = h_b}, /* shadowed */
	};
	static const struct route_table tables[] = {
		{.routes = routes, .n = 2},
		{.routes = routes + 2, .n = ARRAY_LEN(routes) - 2},
		{.routes = more, .n = ARRAY_LEN(more)},
	};
	const struct route *found = (const struct route *)1;
	struct response resp;
	struct request *r;

	assert_routes_to(tables, 2, "GET", "/a", &routes[0]);

	assert_routes_to(tables, 2, "POST", "/a", &routes[1]);

	/* HEAD is served by the GET route. */
	assert_routes_to(tables, 2, "HEAD", "/a", &routes[0]);

	/* Captures land in req->params. */
	r = route_req(tables, 2, "DELETE", "/items/17", PERR_OK, &resp, &found);
	assert_ptr_equal(found, &routes[2]);
	assert_string_equal(req_param(r, "id"), "17");
	assert_int_equal(r->params.n, 1);
	route_done(r, &resp);

	/* No such path: 404, no Allow. */
	found = (const struct route *)1;
	r = route_req(tables, 2, "GET", "/nothing", PERR_NOT_FOUND, &resp, &found);
	assert_null(found);
	assert_null(resp_get_header(&resp, "Allow"));
	route_done(r, &resp);

	/* Path exists, method does not: 405 with Allow. */
	r = route_req(tables, 2, "PUT", "/a", PERR_METHOD, &resp, &found);
	assert_null(found);
	const char *allow = resp_get_header(&resp, "Allow");
	assert_non_null(allow);
	assert_int_equal(allow_set(allow),
			 (1u << HTTP_GET) | (1u << HTTP_HEAD) | (1u << HTTP_POST));
	route_done(r, &resp);

	/* Without a GET route, HEAD is not allowed either. */
	r = route_req(tables, 2, "GET", "/items/3", PERR_METHOD, &resp, &found);
	allow = resp_get_header(&resp, "Allow");
	assert_non_null(allow);
	assert_int_equal(allow_set(allow), (1u << HTTP_DELETE) | (1u << HTTP_PUT));
	assert_int_equal(r->params.n, 0);
	route_done(r, &resp);

	r = route_req(tables, 2, "HEAD", "/items/3", PERR_METHOD, &resp, &found);
	route_done(r, &resp);

	r = route_req(tables, 2, "POST", "/items/3/edit", PERR_METHOD, &resp, &found);
	assert_int_equal(allow_set(resp_get_header(&resp, "Allow")),
			 (1u << HTTP_GET) | (1u << HTTP_HEAD));
	route_done(r, &resp);

	/* Trailing slash: a different path, so 404. */
	r = route_req(tables, 2, "GET", "/a/", PERR_NOT_FOUND, &resp, &found);
	route_done(r, &resp);

	/* Tables are searched in order: the first match wins, and a later
	 * table can add methods to a path. */
	assert_routes_to(tables, 3, "GET", "/a", &routes[0]);
	assert_routes_to(tables, 3, "PUT", "/a", &more[0]);
	r = route_req(tables, 3, "PATCH", "/a", PERR_METHOD, &resp, &found);
	assert_int_equal(allow_set(resp_get_header(&resp, "Allow")),
			 (1u << HTTP_GET) | (1u << HTTP_HEAD) | (1u << HTTP_POST) | (1u << HTTP_PUT));
	route_done(r, &resp);
}

/* ---------------------------------------------------------------- forms */

static void form_urlencoded(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	struct kvlist f = {0};
	const char *s = "a=1&b=x%20y+z";
	assert_int_equal(form_parse_urlencoded(a, s, strlen(s), &f), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(kvlist_get(&f, "a"), "1");
	assert_string_equal(kvlist_get(&f, "b"), "x y z");

	struct kvlist g = {0};
	s = "empty=&flag&&x=%C3%A9t%C3%A9&c%20d=e%3Df&eq=a=b&";
	assert_int_equal(form_parse_urlencoded(a, s, strlen(s), &g), 0);
	assert_int_equal(g.n, 5);
	assert_string_equal(kvlist_get(&g, "empty"), "");
	assert_string_equal(kvlist_get(&g, "flag"), "");
	assert_string_equal(kvlist_get(&g, "x"), "été");
	assert_string_equal(kvlist_get(&g, "c d"), "e=f");
	assert_string_equal(kvlist_get(&g, "eq"), "a=b");
	assert_null(kvlist_get(&g, "missing"));

	/* Repeated keys: all kept, the first wins on lookup. */
	struct kvlist h = {0};
	s = "k=first&k=second";
	assert_int_equal(form_parse_urlencoded(a, s, strlen(s), &h), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(kvlist_get(&h, "k"), "first");

	/* Only n bytes are read (the input need not be NUL-terminated). */
	struct kvlist n = {0};
	assert_int_equal(form_parse_urlencoded(a, "a=1&b=2", 3, &n), 0);
	assert_int_equal(n.n, 1);
	assert_string_equal(kvlist_get(&n, "a"), "1");
	struct kvlist e = {0};
	assert_int_equal(form_parse_urlencoded(a, "", 0, &e), 0);
	assert_int_equal(e.n, 0);

	/* Rejected: invalid UTF-8 once decoded, malformed escapes, NUL. */
	const char *bad[] = {
		"a=%FF",       "a=%C3",      "a=%C0%AF", "a=%ED%A0%80", "%FF=1",
		"a=%4",        "a=%zz",      "a=%",      "a=1&b=%2",    "%zz=1",
		"a=%00",       "a=\xff",     "k\xc3=v",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct kvlist x = {0};
		if (form_parse_urlencoded(a, bad[i], strlen(bad[i]), &x) == 0)
			fail_msg("form '%s' accepted", bad[i]);
	}
	arena_free(a);
}

static void form_field_limit(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	struct buf b = BUF_INIT(1 << 20);
	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		buf_printf(&b, "%sf%d=%d", i ? "&" : "", i, i);
	struct kvlist f = {0};
	assert_int_equal(form_parse_urlencoded(a, b.data, b.len, &f), 0);
	assert_int_equal(f.n, FORM_MAX_FIELDS);
	assert_string_equal(kvlist_get(&f, "f999"), "999");
	buf_puts(&b, "&one=more");
	struct kvlist g = {0};
	assert_int_equal(form_parse_urlencoded(a, b.data, b.len, &g), -1);
	buf_free(&b);
	arena_free(a);
}

/* A multipart body built piece by piece (it holds NULs). */
static void mp_add(struct buf *b, const char *s)
{
	buf_puts(b, s);
}

static void form_multipart(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	static const char file_data[] = "\x89PNG\r\n\x1a\n\0\0\xff--XyZ not a delimiter\r\n-";
	const size_t file_len = sizeof(file_data) - 1;
	struct buf b = BUF_INIT(1 << 20);
	mp_add(&b, "--XyZ\r\n"
		   "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
		   "Bonjour été\r\nligne 2\r\n"
		   "--XyZ\r\n"
		   "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
		   "\r\n"
		   "--XyZ\r\n"
		   "Content-Disposition: form-data; name=\"doc\"; filename=\"rapport été.png\"\r\n"
		   "Content-Type: image/png\r\n\r\n");
	buf_append(&b, file_data, file_len);
	mp_add(&b, "\r\n--XyZ\r\n"
		   "content-disposition: form-data; name=\"note\"\r\n\r\n"
		   "fin\r\n"
		   "--XyZ--\r\n");
	struct kvlist fields = {0};
	struct upload *ups = NULL;
	size_t nups = 99;
	assert_int_equal(form_parse_multipart(a, b.data, b.len,
					      "multipart/form-data; boundary=XyZ", &fields,
					      &ups, &nups),
			 0);
	assert_int_equal(fields.n, 3);
	assert_string_equal(kvlist_get(&fields, "title"), "Bonjour été\r\nligne 2");
	assert_string_equal(kvlist_get(&fields, "empty"), "");
	assert_string_equal(kvlist_get(&fields, "note"), "fin");
	assert_null(kvlist_get(&fields, "doc"));
	assert_int_equal(nups, 1);
	assert_non_null(ups);
	assert_string_equal(ups[0].field, "doc");
	assert_string_equal(ups[0].filename, "rapport été.png");
	assert_string_equal(ups[0].content_type, "image/png");
	assert_int_equal(ups[0].len, file_len);
	assert_memory_equal(ups[0].data, file_data, file_len);

	/* Invalid UTF-8 in a file is kept as bytes. */
	struct kvlist f2 = {0};
	struct buf c = BUF_INIT(4096);
	mp_add(&c, "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n"
		   "\xff\xfe\r\n--b--");
	assert_int_equal(form_parse_multipart(a, c.data, c.len, "multipart/form-data; boundary=b",
					      &f2, &ups, &nups),
			 0);
	assert_int_equal(nups, 1);
	assert_int_equal(ups[0].len, 2);
	assert_memory_equal(ups[0].data, "\xff\xfe", 2);
	assert_null(ups[0].content_type);
	assert_int_equal(f2.n, 0);

	/* Only a closing delimiter: no fields, no uploads. */
	struct kvlist f3 = {0};
	assert_int_equal(form_parse_multipart(a, "--b--\r\n", 7, "multipart/form-data; boundary=b",
					      &f3, &ups, &nups),
			 0);
	assert_int_equal(f3.n, 0);
	assert_int_equal(nups, 0);
	buf_free(&c);
	buf_free(&b);
	arena_free(a);
}

static void form_multipart_quoted_boundary(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	const char *body = "--simple boundary;x\r\n"
			   "Content-Disposition: form-data; name=\"k\"\r\n\r\n"
			   "v\r\n"
			   "--simple boundary;x--\r\n";
	struct kvlist f = {0};
	struct upload *ups = NULL;
	size_t nups = 0;
	assert_int_equal(form_parse_multipart(a, body, strlen(body),
					      "multipart/form-data; charset=utf-8; "
					      "boundary=\"simple boundary;x\"",
					      &f, &ups, &nups),
			 0);
	assert_string_equal(kvlist_get(&f, "k"), "v");
	/* Parameter names are case-insensitive. */
	struct kvlist g = {0};
	const char *body2 = "--Q\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nw\r\n--Q--";
	assert_int_equal(form_parse_multipart(a, body2, strlen(body2),
					      "multipart/form-data; Boundary=Q", &g, &ups, &nups),
			 0);
	assert_string_equal(kvlist_get(&g, "k"), "w");
	arena_free(a);
}

static void form_multipart_rejects(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	const char *good = "--B\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n--B--\r\n";
	struct {
		const char *body;
		const char *ct;
	} bad[] = {
		{good, "multipart/form-data"},                  /* no boundary */
		{good, "multipart/form-data; boundary="},       /* empty boundary */
		{good, "multipart/form-data; boundary=\"B"},    /* unterminated quote */
		{good, "multipart/form-data; boundary=C"},      /* wrong boundary */
		{"--B\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv", /* truncated */
		 "multipart/form-data; boundary=B"},
		{"--B\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n--B", /* no close */
		 "multipart/form-data; boundary=B"},
		{"--B\r\nContent-Disposition: form-data; name=\"k\"\r\n", /* headers cut */
		 "multipart/form-data; boundary=B"},
		{"--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--", /* no name */
		 "multipart/form-data; boundary=B"},
		{"--B\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n\xff\xfe\r\n--B--",
		 "multipart/form-data; boundary=B"}, /* invalid UTF-8 text */
		{"--B\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n\xc0\xaf\r\n--B--",
		 "multipart/form-data; boundary=B"}, /* overlong */
		{"--B\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nv\r\n--B--",
		 "multipart/form-data; boundary=B"}, /* invalid UTF-8 name */
		{"", "multipart/form-data; boundary=B"},
		{"--", "multipart/form-data; boundary=B"},
		{"preamble\r\n--B--", "multipart/form-data; boundary=B"},
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct kvlist f = {0};
		struct upload *ups = NULL;
		size_t nups = 0;
		/* An exact-size copy, so reads past the end are caught. */
		size_t n = strlen(bad[i].body);
		char *copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, bad[i].body, n);
		if (form_parse_multipart(a, copy, n, bad[i].ct, &f, &ups, &nups) == 0)
			fail_msg("multipart case %zu accepted", i);
		free(copy);
	}
	/* A boundary longer than 70 characters is refused (RFC 2046). */
	char ct[200];
	char longb[72];
	memset(longb, 'b', 71);
	longb[71] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", longb);
	char body[400];
	snprintf(body, sizeof(body), "--%s\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\nv\r\n--%s--",
		 longb, longb);
	struct kvlist f = {0};
	struct upload *ups = NULL;
	size_t nups = 0;
	assert_int_equal(form_parse_multipart(a, body, strlen(body), ct, &f, &ups, &nups), -1);
	arena_free(a);
}

/* -------------------------------------------------------------- cookies */

static void cookies_parse(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	struct kvlist c = {0};
	assert_int_equal(cookie_parse(a, "a=1; b=two;c=\"quoted value\"; lang=en", &c), 0);
	assert_string_equal(kvlist_get(&c, "a"), "1");
	assert_string_equal(kvlist_get(&c, "b"), "two");
	assert_string_equal(kvlist_get(&c, "c"), "quoted value");
	assert_string_equal(kvlist_get(&c, "lang"), "en");
	assert_int_equal(c.n, 4);

	struct kvlist d = {0};
	assert_int_equal(cookie_parse(a, "bare; e=; f=x=y;; ;", &d), 0);
	assert_null(kvlist_get(&d, "bare"));
	assert_string_equal(kvlist_get(&d, "e"), "");
	assert_string_equal(kvlist_get(&d, "f"), "x=y");

	struct kvlist e = {0};
	assert_int_equal(cookie_parse(a, "", &e), 0);
	assert_int_equal(e.n, 0);
	struct kvlist u = {0};
	assert_int_equal(cookie_parse(a, "n=caf\xc3\xa9", &u), 0);
	assert_string_equal(kvlist_get(&u, "n"), "café");
	struct kvlist bad = {0};
	assert_int_equal(cookie_parse(a, "a=1; b=\xff", &bad), -1);
	struct kvlist bad2 = {0};
	assert_int_equal(cookie_parse(a, "\xc0\xaf=1", &bad2), -1);
	arena_free(a);
}

static int has_attr(const char *cookie, const char *attr)
{
	/* attr appears as a whole "; attr" item. */
	size_t n = strlen(attr);
	for (const char *p = strstr(cookie, attr); p; p = strstr(p + 1, attr))
		if (p >= cookie + 2 && p[-2] == ';' && p[-1] == ' ' && (p[n] == ';' || p[n] == '\0'))
			return 1;
	return 0;
}

static void cookies_build(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	struct cookie_opts o = {.max_age = 3600, .http_only = true, .secure = true,
				.same_site = "Lax", .path = "/app"};
	const char *c = cookie_build(a, "lang", "en", &o);
	assert_non_null(c);
	assert_true(str_starts(c, "lang=en;"));
	assert_true(has_attr(c, "Max-Age=3600"));
	assert_true(has_attr(c, "HttpOnly"));
	assert_true(has_attr(c, "Secure"));
	assert_true(has_attr(c, "SameSite=Lax"));
	assert_true(has_attr(c, "Path=/app"));

	struct cookie_opts d = {0};
	c = cookie_build(a, "s", "v-1_x.y", &d);
	assert_non_null(c);
	assert_true(str_starts(c, "s=v-1_x.y;"));
	assert_true(has_attr(c, "Path=/"));
	assert_true(has_attr(c, "SameSite=Strict"));
	assert_null(strstr(c, "Max-Age"));
	assert_null(strstr(c, "HttpOnly"));
	assert_null(strstr(c, "Secure"));

	struct cookie_opts del = {.max_age = -1};
	c = cookie_build(a, "s", "", &del);
	assert_non_null(c);
	assert_true(has_attr(c, "Max-Age=0"));

	/* Values and names that are not tokens are refused. */
	assert_null(cookie_build(a, "s", "a;b", &d));
	assert_null(cookie_build(a, "s", "a b", &d));
	assert_null(cookie_build(a, "s", "a\"b", &d));
	assert_null(cookie_build(a, "s", "a,b", &d));
	assert_null(cookie_build(a, "s", "a\\b", &d));
	assert_null(cookie_build(a, "s", "a\r\nSet-Cookie: x=y", &d));
	assert_null(cookie_build(a, "s", "caf\xc3\xa9", &d));
	assert_null(cookie_build(a, "", "v", &d));
	assert_null(cookie_build(a, "a b", "v", &d));
	assert_null(cookie_build(a, "a=b", "v", &d));
	assert_null(cookie_build(a, "a;b", "v", &d));
	arena_free(a);
}

/* ------------------------------------------------------------- requests */

static void request_target(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	struct request r;
	request_init(&r, a);
	assert_int_equal(request_set_target(&r, "GET", "/caf%C3%A9/x+y?q=a%20b&lang=en"), 0);
	assert_int_equal(r.method, HTTP_GET);
	assert_string_equal(r.method_str, "GET");
	assert_string_equal(r.path, "/café/x+y"); /* '+' is not a space in a path */
	assert_string_equal(r.raw_path, "/caf%C3%A9/x+y");
	assert_string_equal(r.raw_query, "q=a%20b&lang=en");
	assert_int_equal(request_parse(&r), PERR_OK);
	assert_string_equal(req_query(&r, "q"), "a b");
	assert_string_equal(req_query(&r, "lang"), "en");

	request_init(&r, a);
	assert_int_equal(request_set_target(&r, "POST", "/"), 0);
	assert_int_equal(r.method, HTTP_POST);
	assert_string_equal(r.path, "/");
	assert_string_equal(r.raw_query, "");

	request_init(&r, a);
	assert_int_equal(request_set_target(&r, "BREW", "/pot?"), 0);
	assert_int_equal(r.method, HTTP_OTHER);
	assert_string_equal(r.raw_query, "");

	request_init(&r, a);
	assert_int_equal(request_set_target(&r, "GET", "/p?x=1#frag"), 0);
	assert_string_equal(r.raw_query, "x=1");

	const char *bad[] = {"/%FF", "/a%C0%AFb", "/%ED%A0%80", "/%zz", "/%4", "/a%00b",
			     "foo", "", "*", "http://example.com/", "?x=1", "\xff/"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		request_init(&r, a);
		if (request_set_target(&r, "GET", bad[i]) == 0)
			fail_msg("target '%s' accepted", bad[i]);
	}
	/* The query is decoded by request_parse, which rejects bad UTF-8. */
	request_init(&r, a);
	assert_int_equal(request_set_target(&r, "GET", "/?q=%FF"), 0);
	assert_int_equal(request_parse(&r), PERR_INVALID);
	request_init(&r, a);
	assert_int_equal(request_set_target(&r, "GET", "/?q=%4"), 0);
	assert_int_equal(request_parse(&r), PERR_INVALID);

	assert_int_equal(http_method_parse("DELETE"), HTTP_DELETE);
	assert_int_equal(http_method_parse("get"), HTTP_OTHER);
	assert_string_equal(http_method_name(HTTP_PATCH), "PATCH");
	arena_free(a);
}

static struct request *req_with_body(struct arena *a, const char *ct, const char *body, size_t n)
{
	struct request *r = arena_calloc(a, 1, sizeof(*r));
	request_init(r, a);
	assert_int_equal(request_set_target(r, "POST", "/form"), 0);
	if (ct)
		kvlist_add(a, &r->headers, "content-type", ct);
	r->body = arena_strndup(a, body, n);
	r->body_len = n;
	return r;
}

static void request_bodies(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	const char *form = "a=1&b=%C3%A9&csrf_token=t";
	struct request *r = req_with_body(a, "application/x-www-form-urlencoded", form, strlen(form));
	kvlist_add(a, &r->headers, "Cookie", "lang=en; proxima_csrf=zz");
	assert_int_equal(request_parse(r), PERR_OK);
	assert_string_equal(req_form(r, "a"), "1");
	assert_string_equal(req_form(r, "b"), "é");
	assert_string_equal(req_cookie(r, "lang"), "en");
	assert_string_equal(req_cookie(r, "proxima_csrf"), "zz");
	assert_string_equal(req_header(r, "Content-Type"), "application/x-www-form-urlencoded");
	assert_string_equal(req_header(r, "COOKIE"), "lang=en; proxima_csrf=zz");
	assert_null(req_header(r, "X-Missing"));

	/* Media type matching ignores case and parameters. */
	r = req_with_body(a, "Application/X-WWW-Form-URLEncoded; charset=UTF-8", "k=v", 3);
	assert_int_equal(request_parse(r), PERR_OK);
	assert_string_equal(req_form(r, "k"), "v");

	r = req_with_body(a, "application/x-www-form-urlencoded", "k=%FF", 5);
	assert_int_equal(request_parse(r), PERR_INVALID);
	r = req_with_body(a, "application/x-www-form-urlencoded", "k=%F", 4);
	assert_int_equal(request_parse(r), PERR_INVALID);

	/* JSON and text bodies must be valid UTF-8. */
	r = req_with_body(a, "application/json", "{\"a\":\"\xff\"}", 9);
	assert_int_equal(request_parse(r), PERR_INVALID);
	r = req_with_body(a, "application/json; charset=utf-8", "{\"a\":\"\xc3\xa9\"}", 10);
	assert_int_equal(request_parse(r), PERR_OK);
	r = req_with_body(a, "application/json", "{\"a\":\"\0\"}", 8);
	assert_int_equal(request_parse(r), PERR_INVALID);
	r = req_with_body(a, "text/plain", "\xed\xa0\x80", 3);
	assert_int_equal(request_parse(r), PERR_INVALID);

	/* Multipart goes to form and uploads. */
	const char *mp = "--z\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nhello\r\n"
			 "--z\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n"
			 "data\r\n--z--\r\n";
	r = req_with_body(a, "multipart/form-data; boundary=z", mp, strlen(mp));
	assert_int_equal(request_parse(r), PERR_OK);
	assert_string_equal(req_form(r, "t"), "hello");
	assert_int_equal(r->nuploads, 1);
	assert_string_equal(r->uploads[0].filename, "a.txt");
	r = req_with_body(a, "multipart/form-data", mp, strlen(mp));
	assert_int_equal(request_parse(r), PERR_INVALID);

	/* An invalid UTF-8 header value or cookie is refused. */
	r = req_with_body(a, NULL, "", 0);
	kvlist_add(a, &r->headers, "X-Name", "\xff");
	assert_int_equal(request_parse(r), PERR_INVALID);
	r = req_with_body(a, NULL, "", 0);
	kvlist_add(a, &r->headers, "Cookie", "a=\xc3");
	assert_int_equal(request_parse(r), PERR_INVALID);
	arena_free(a);
}

/* ----------------------------------------------------------------- csrf */

static struct request *csrf_req(struct arena *a, const char *cookie, const char *field,
				const char *header)
{
	struct request *r = arena_calloc(a, 1, sizeof(*r));
	request_init(r, a);
	r->method = HTTP_POST;
	if (cookie)
		kvlist_add(a, &r->cookies, CSRF_COOKIE, cookie);
	if (field)
		kvlist_add(a, &r->form, CSRF_FIELD, field);
	if (header)
		kvlist_add(a, &r->headers, "X-CSRF-Token", header);
	return r;
}

static void csrf_checks(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	const char *t1 = csrf_new_token(a);
	const char *t2 = csrf_new_token(a);
	assert_int_equal(strlen(t1), 43);
	assert_int_equal(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
			 43);
	assert_string_not_equal(t1, t2);
	/* A copy, so the comparison is on content, not pointers. */
	char *t1c = arena_strdup(a, t1);

	assert_int_equal(csrf_check(csrf_req(a, t1, t1c, NULL)), 0);
	assert_int_equal(csrf_check(csrf_req(a, t1, NULL, t1c)), 0);
	assert_int_equal(csrf_check(csrf_req(a, t1, t2, NULL)), -1);
	assert_int_equal(csrf_check(csrf_req(a, t1, NULL, t2)), -1);
	assert_int_equal(csrf_check(csrf_req(a, NULL, t1, NULL)), -1);
	assert_int_equal(csrf_check(csrf_req(a, t1, NULL, NULL)), -1);
	assert_int_equal(csrf_check(csrf_req(a, NULL, NULL, NULL)), -1);
	assert_int_equal(csrf_check(csrf_req(a, "", "", NULL)), -1);
	/* Wrong length, even when both sides agree. */
	char *shortt = arena_strndup(a, t1, 42);
	assert_int_equal(csrf_check(csrf_req(a, shortt, shortt, NULL)), -1);
	char *longt = arena_printf(a, "%sA", t1);
	assert_int_equal(csrf_check(csrf_req(a, longt, longt, NULL)), -1);
	assert_int_equal(csrf_check(csrf_req(a, t1, shortt, NULL)), -1);
	assert_int_equal(csrf_check(csrf_req(a, t1, longt, NULL)), -1);
	/* One character different. */
	char *near = arena_strdup(a, t1);
	near[42] = near[42] == 'A' ? 'B' : 'A';
	assert_int_equal(csrf_check(csrf_req(a, t1, near, NULL)), -1);
	arena_free(a);
}

/* Signed in, the token is bound to the session: the cookie's value no
 * longer passes, another session's token neither; rotation sets the new
 * session's token as the cookie. */
static void csrf_bound_to_session(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	const char *planted = csrf_new_token(a);
	const char *s1 = csrf_new_token(a), *s2 = csrf_new_token(a);
	struct request *r = csrf_req(a, planted, planted, NULL);
	assert_int_equal(csrf_check(r), 0);
	kvlist_add(a, &r->cookies, SESSION_COOKIE, s1);
	assert_int_equal(csrf_check(r), -1);
	struct response resp;
	response_init(&resp);
	const char *t1 = csrf_token(r, &resp);
	assert_string_not_equal(t1, planted);
	assert_null(resp_get_header(&resp, "Set-Cookie"));
	struct request *ok = csrf_req(a, planted, t1, NULL);
	kvlist_add(a, &ok->cookies, SESSION_COOKIE, s1);
	assert_int_equal(csrf_check(ok), 0);
	struct request *other = csrf_req(a, t1, t1, NULL);
	kvlist_add(a, &other->cookies, SESSION_COOKIE, s2);
	assert_int_equal(csrf_check(other), -1);
	response_free(&resp);

	/* Signing in as s2: the cookie gets s2's token, which this request's
	 * forms use from then on. */
	response_init(&resp);
	csrf_rotate(r, &resp, s2);
	const char *sc = resp_get_header(&resp, "Set-Cookie");
	assert_non_null(sc);
	struct response r2;
	response_init(&r2);
	const char *t2 = csrf_token(other, &r2);
	assert_true(str_starts(sc, arena_printf(a, "%s=%s;", CSRF_COOKIE, t2)));
	assert_string_equal(csrf_token(r, &resp), t2);
	response_free(&r2);
	response_free(&resp);
	/* Signing out: a new random token. */
	response_init(&resp);
	csrf_rotate(r, &resp, NULL);
	const char *t3 = csrf_token(r, &resp);
	assert_int_equal(strlen(t3), 43);
	assert_string_not_equal(t3, t2);
	assert_string_not_equal(t3, t1);
	response_free(&resp);
	arena_free(a);
}

static void csrf_token_cookie(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	struct request *r = csrf_req(a, NULL, NULL, NULL);
	struct response resp;
	response_init(&resp);
	const char *t = csrf_token(r, &resp);
	assert_int_equal(strlen(t), 43);
	const char *sc = resp_get_header(&resp, "Set-Cookie");
	assert_non_null(sc);
	char *want = arena_printf(a, "%s=%s;", CSRF_COOKIE, t);
	assert_true(str_starts(sc, want));
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "SameSite=Strict"));
	/* The same token for the rest of the request, and it passes. */
	assert_string_equal(csrf_token(r, &resp), t);
	assert_int_equal(resp.headers.n, 1);
	kvlist_add(a, &r->form, CSRF_FIELD, t);
	assert_int_equal(csrf_check(r), 0);
	response_free(&resp);

	/* A valid cookie is reused and no new cookie is set. */
	const char *have = csrf_new_token(a);
	struct request *r2 = csrf_req(a, have, NULL, NULL);
	response_init(&resp);
	assert_string_equal(csrf_token(r2, &resp), have);
	assert_null(resp_get_header(&resp, "Set-Cookie"));
	response_free(&resp);

	/* A malformed cookie is replaced. */
	struct request *r3 = csrf_req(a, "short", NULL, NULL);
	response_init(&resp);
	const char *t3 = csrf_token(r3, &resp);
	assert_string_not_equal(t3, "short");
	assert_int_equal(strlen(t3), 43);
	assert_non_null(resp_get_header(&resp, "Set-Cookie"));
	response_free(&resp);
	arena_free(a);
}

/* --------------------------------------------------- errors and listen */

static void error_mapping(void **state)
{
	(void)state;
	/* The statuses documented in core/err.h. */
	static const struct {
		enum perr e;
		int status;
	} want[] = {
		{PERR_OK, 200},           {PERR_INVALID, 400},  {PERR_UNAUTHENTICATED, 401},
		{PERR_FORBIDDEN, 403},    {PERR_NOT_FOUND, 404}, {PERR_METHOD, 405},
		{PERR_CONFLICT, 409},     {PERR_TOO_LARGE, 413}, {PERR_UNSUPPORTED, 415},
		{PERR_UNPROCESSABLE, 422}, {PERR_TOO_MANY, 429}, {PERR_INTERNAL, 500},
		{PERR_UNAVAILABLE, 503},  {PERR_FULL, 507},     {PERR_GONE, 410},
		{PERR_PRECONDITION, 412},
	};
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		assert_int_equal(http_status(want[i].e), want[i].status);
		assert_string_not_equal(http_reason(want[i].status), "Unknown");
		const char *code = perr_code(want[i].e);
		assert_non_null(code);
		assert_true(strlen(code) > 0);
		assert_int_equal(strspn(code, "abcdefghijklmnopqrstuvwxyz_"), strlen(code));
		assert_true(strlen(perr_message(want[i].e)) > 0);
		/* Codes are stable identifiers: no two errors share one. */
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(code, perr_code(want[k].e));
	}
	assert_string_equal(perr_code(PERR_NOT_FOUND), "not_found");
	assert_string_equal(http_reason(404), "Not Found");
	assert_string_equal(http_reason(303), "See Other");
	assert_string_equal(http_reason(304), "Not Modified");
	/* Every user-facing message has an English translation. */
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		const char *fr = perr_message(want[i].e);
		if (i18n_tr("en", fr) == fr)
			fail_msg("no English for \"%s\"", fr);
	}
}

/* X-Forwarded-For and the trusted proxies (http/client_addr.h). */
static void client_addresses(void **state)
{
	(void)state;
	struct client_addr_trust t;
	assert_int_equal(client_addr_trust_parse(NULL, &t), 0);
	struct sockaddr_in lo = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.5", &lo.sin_addr);
	assert_false(client_addr_trusted(&t, (struct sockaddr *)&lo));
	assert_int_equal(client_addr_trust_parse("", &t), 0);
	assert_true(client_addr_trusted(&t, (struct sockaddr *)&lo));
	assert_int_equal(client_addr_trust_parse(" 10.0.0.1 ,::1,[2001:db8::7]", &t), 0);
	assert_int_equal(t.n, 3);
	assert_false(client_addr_trusted(&t, (struct sockaddr *)&lo));
	struct sockaddr_in p4 = {.sin_family = AF_INET};
	inet_pton(AF_INET, "10.0.0.1", &p4.sin_addr);
	assert_true(client_addr_trusted(&t, (struct sockaddr *)&p4));
	inet_pton(AF_INET, "10.0.0.2", &p4.sin_addr);
	assert_false(client_addr_trusted(&t, (struct sockaddr *)&p4));
	struct sockaddr_in6 p6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "::ffff:10.0.0.1", &p6.sin6_addr);
	assert_true(client_addr_trusted(&t, (struct sockaddr *)&p6));
	inet_pton(AF_INET6, "2001:db8::7", &p6.sin6_addr);
	assert_true(client_addr_trusted(&t, (struct sockaddr *)&p6));
	assert_int_equal(client_addr_trust_parse("10.0.0.1,proxy.local", &t), -1);
	assert_int_equal(client_addr_trust_parse("10.0.0.1,,10.0.0.2", &t), -1);
	char many[512] = "";
	for (int i = 0; i <= CLIENT_ADDR_TRUST_MAX; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s10.0.0.%d",
			 i ? "," : "", i + 1);
	assert_int_equal(client_addr_trust_parse(many, &t), -1);

	/* The last entry, the one the proxy appended, normalised. */
	static const char *const ok[][2] = {
		{"203.0.113.7", "203.0.113.7"},
		{"1.2.3.4, 203.0.113.7", "203.0.113.7"},
		{"evil, 1.2.3.4 ,\t[2001:DB8:0:0::1] ", "2001:db8::1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
	};
	char out[CLIENT_ADDR_LEN];
	for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
		assert_int_equal(client_addr_forwarded(ok[i][0], out, sizeof(out)), 0);
		assert_string_equal(out, ok[i][1]);
	}
	static const char *const bad[] = {"",	    "1.2.3.4,",	 "1.2.3.4, evil",
					  "1.2.3.4:80", "[1.2.3.4", "256.1.1.1",
					  "1.2.3.4 5.6.7.8"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (client_addr_forwarded(bad[i], out, sizeof(out)) == 0)
			fail_msg("'%s' was taken for an address: %s", bad[i], out);
	assert_int_equal(client_addr_forwarded(NULL, out, sizeof(out)), -1);

	/* The throttle's blocks: IPv4 alone, IPv6 by /64. */
	assert_int_equal(client_addr_block("192.0.2.1", out, sizeof(out)), 0);
	assert_string_equal(out, "192.0.2.1");
	assert_int_equal(client_addr_block("2001:db8:1:2:3:4:5:6", out, sizeof(out)), 0);
	assert_string_equal(out, "2001:db8:1:2::/64");
	assert_int_equal(client_addr_block("::ffff:192.0.2.1", out, sizeof(out)), 0);
	assert_string_equal(out, "192.0.2.1");
	assert_int_equal(client_addr_block("test", out, sizeof(out)), -1);
	assert_string_equal(out, "test");
}

static void listen_addresses(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	unsigned len = 0;
	assert_int_equal(server_parse_listen("127.0.0.1:8080", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
	assert_int_equal(ntohs(s4->sin_port), 8080);
	assert_int_equal(ntohl(s4->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(server_parse_listen("localhost:0", &ss, &len), 0);
	assert_int_equal(ntohl(s4->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(ntohs(s4->sin_port), 0);
	assert_int_equal(server_parse_listen("0.0.0.0:65535", &ss, &len), 0);
	assert_int_equal(ntohs(s4->sin_port), 65535);

	assert_int_equal(server_parse_listen("[::1]:443", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(len, sizeof(struct sockaddr_in6));
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
	assert_int_equal(ntohs(s6->sin6_port), 443);
	assert_true(IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr));

	const char *bad[] = {"127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536",
			     "127.0.0.1:-1", "127.0.0.1:80x", "example.invalid:80", "::1:80",
			     "[::1]", "[::1]:", "[nope]:80", "[:80", "1.2.3:80", "", "[]:80"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (server_parse_listen(bad[i], &ss, &len) == 0)
			fail_msg("listen address '%s' accepted", bad[i]);
}

/* ------------------------------------------------------------ exchanges */

struct xresp {
	int status;
	char *raw;
	size_t len;
	const char *body; /* points into raw */
	size_t body_len;
};

static int xchg_n(const char *raw, size_t n, struct xresp *x)
{
	memset(x, 0, sizeof(*x));
	x->status = test_http_exchange(raw, n, &x->raw, &x->len);
	assert_non_null(x->raw);
	const char *sep = strstr(x->raw, "\r\n\r\n");
	assert_non_null(sep);
	x->body = sep + 4;
	x->body_len = x->len - (size_t)(x->body - x->raw);
	/* The status line agrees with the returned status. */
	char line[32];
	snprintf(line, sizeof(line), "HTTP/1.1 %d ", x->status);
	assert_true(str_starts(x->raw, line));
	return x->status;
}

static int xchg(const char *raw, struct xresp *x)
{
	return xchg_n(raw, strlen(raw), x);
}

static void xfree(struct xresp *x)
{
	free(x->raw);
	x->raw = NULL;
}

/* The value of the idx-th header called name (case-insensitive), copied
 * into out; NULL if absent. */
static const char *xheader_n(const struct xresp *x, const char *name, int idx, char *out,
			     size_t cap)
{
	const char *p = strstr(x->raw, "\r\n") + 2;
	size_t nlen = strlen(name);
	while (p < x->body - 2) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			break;
		if ((size_t)(eol - p) > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			if (idx-- == 0) {
				const char *v = p + nlen + 1;
				while (*v == ' ')
					v++;
				size_t vl = (size_t)(eol - v);
				if (vl >= cap)
					vl = cap - 1;
				memcpy(out, v, vl);
				out[vl] = '\0';
				return out;
			}
		}
		p = eol + 2;
	}
	return NULL;
}

static const char *xheader(const struct xresp *x, const char *name, char *out, size_t cap)
{
	return xheader_n(x, name, 0, out, cap);
}

/* The first header called name whose value starts with prefix. */
static const char *xheader_prefix(const struct xresp *x, const char *name, const char *prefix,
				  char *out, size_t cap)
{
	for (int i = 0; xheader_n(x, name, i, out, cap); i++)
		if (str_starts(out, prefix))
			return out;
	return NULL;
}

static int body_has(const struct xresp *x, const char *s)
{
	return memmem(x->body, x->body_len, s, strlen(s)) != NULL;
}

/* Sends raw; fails unless the response's status is status and its body
 * contains text. */
static void xchg_has(const char *raw, int status, const char *text)
{
	struct xresp x;
	assert_int_equal(xchg(raw, &x), status);
	assert_true(body_has(&x, text));
	xfree(&x);
}

/* The headers every response carries. */
static void check_security_headers(const struct xresp *x)
{
	char v[1024];
	if (!xheader(x, "Content-Security-Policy", v, sizeof(v)))
		fail_msg("no CSP on a %d response", x->status);
	assert_non_null(strstr(v, "frame-ancestors 'none'"));
	assert_non_null(strstr(v, "default-src 'none'"));
	assert_non_null(xheader(x, "X-Content-Type-Options", v, sizeof(v)));
	assert_string_equal(v, "nosniff");
	assert_non_null(xheader(x, "Referrer-Policy", v, sizeof(v)));
	assert_true(strlen(v) > 0);
}

/* On an HTML page, the CSP allows exactly the nonce the page's script uses. */
static void check_html_nonce(const struct xresp *x)
{
	char ct[256], csp[1024];
	assert_non_null(xheader(x, "Content-Type", ct, sizeof(ct)));
	assert_true(str_starts(ct, "text/html"));
	assert_non_null(xheader(x, "Content-Security-Policy", csp, sizeof(csp)));
	const char *n = strstr(csp, "'nonce-");
	assert_non_null(n);
	n += 7;
	const char *e = strchr(n, '\'');
	assert_non_null(e);
	assert_true(e - n >= 16);
	char attr[128];
	snprintf(attr, sizeof(attr), "nonce=\"%.*s\"", (int)(e - n), n);
	assert_true(body_has(x, attr));
}

static void exchange_home_languages(void **state)
{
	(void)state;
	struct xresp x;
	char v[1024];
	assert_int_equal(xchg("GET / HTTP/1.1\r\nHost: test\r\n\r\n", &x), 200);
	check_security_headers(&x);
	check_html_nonce(&x);
	assert_true(body_has(&x, "<html lang=\"fr-CA\">"));
	assert_true(body_has(&x, "rendue visible"));
	assert_false(body_has(&x, "Outreach work, made visible"));
	/* Content-Length matches the body. */
	assert_non_null(xheader(&x, "Content-Length", v, sizeof(v)));
	assert_int_equal(strtoul(v, NULL, 10), x.body_len);
	/* A first visit gets a CSRF cookie, and the page's form carries it. */
	assert_non_null(xheader_prefix(&x, "Set-Cookie", CSRF_COOKIE "=", v, sizeof(v)));
	char tok[64];
	snprintf(tok, sizeof(tok), "%.43s", v + strlen(CSRF_COOKIE) + 1);
	char field[128];
	snprintf(field, sizeof(field), "name=\"csrf_token\" value=\"%s\"", tok);
	assert_true(body_has(&x, field));
	xfree(&x);

	assert_int_equal(xchg("GET /?lang=en HTTP/1.1\r\nHost: test\r\n\r\n", &x), 200);
	assert_true(body_has(&x, "Outreach work, made visible"));
	assert_true(body_has(&x, "<html lang=\"en-CA\">"));
	check_security_headers(&x);
	xfree(&x);

	xchg_has("GET / HTTP/1.1\r\nAccept-Language: en\r\n\r\n", 200,
		 "Outreach work, made visible");

	xchg_has("GET / HTTP/1.1\r\nAccept-Language: en-CA,en;q=0.9,fr;q=0.5\r\n\r\n", 200,
		 "Outreach work, made visible");

	xchg_has("GET / HTTP/1.1\r\nAccept-Language: en;q=0.1, fr\r\n\r\n", 200, "rendue visible");

	/* The lang cookie wins over Accept-Language; ?lang= wins over both. */
	xchg_has("GET / HTTP/1.1\r\nCookie: lang=en\r\nAccept-Language: fr\r\n\r\n", 200,
		 "Outreach work, made visible");
	xchg_has("GET /?lang=fr HTTP/1.1\r\nCookie: lang=en\r\n\r\n", 200, "rendue visible");
	/* An unsupported ?lang= is ignored. */
	xchg_has("GET /?lang=de HTTP/1.1\r\nAccept-Language: en\r\n\r\n", 200,
		 "Outreach work, made visible");

	/* A user-supplied path is escaped in the page. */
	assert_int_equal(xchg("GET /?x=%3Cscript%3E HTTP/1.1\r\n\r\n", &x), 200);
	assert_false(body_has(&x, "<script>"));
	xfree(&x);
}

static void exchange_head(void **state)
{
	(void)state;
	struct xresp g, h;
	char v[64];
	assert_int_equal(xchg("GET / HTTP/1.1\r\n\r\n", &g), 200);
	assert_int_equal(xchg("HEAD / HTTP/1.1\r\n\r\n", &h), 200);
	assert_int_equal(h.body_len, 0);
	assert_non_null(xheader(&h, "Content-Length", v, sizeof(v)));
	/* Same length as the GET (nonce and token have fixed lengths). */
	assert_int_equal(strtoul(v, NULL, 10), g.body_len);
	check_security_headers(&h);
	xfree(&g);
	xfree(&h);
}

static void exchange_errors(void **state)
{
	(void)state;
	struct xresp x;
	char v[1024];
	/* Unknown page: a French HTML error page. */
	assert_int_equal(xchg("GET /nulle-part HTTP/1.1\r\n\r\n", &x), 404);
	check_security_headers(&x);
	check_html_nonce(&x);
	assert_true(body_has(&x, "<html lang=\"fr-CA\">"));
	assert_true(body_has(&x, "Cette page n&#39;existe pas."));
	xfree(&x);
	xchg_has("GET /nowhere HTTP/1.1\r\nAccept-Language: en\r\n\r\n", 404,
		 "This page does not exist.");

	/* Unknown API path: the JSON envelope. */
	assert_int_equal(xchg("GET /api/anything HTTP/1.1\r\n\r\n", &x), 404);
	check_security_headers(&x);
	assert_non_null(xheader(&x, "Content-Type", v, sizeof(v)));
	assert_true(str_starts(v, "application/json"));
	assert_true(body_has(&x, "{\"error\":{\"code\":\"not_found\",\"message\":\""));
	assert_true(body_has(&x, "Cette page n'existe pas."));
	assert_false(body_has(&x, "<html"));
	xfree(&x);
	assert_int_equal(xchg("GET /api/v1/nothing HTTP/1.1\r\nAccept-Language: en\r\n\r\n", &x),
			 404);
	assert_true(body_has(&x, "\"code\":\"not_found\""));
	assert_true(body_has(&x, "This page does not exist."));
	xfree(&x);

	/* Method not allowed, with Allow. */
	assert_int_equal(xchg("DELETE / HTTP/1.1\r\n\r\n", &x), 405);
	check_security_headers(&x);
	assert_non_null(xheader(&x, "Allow", v, sizeof(v)));
	unsigned allowed = allow_set(v);
	assert_true(allowed & (1u << HTTP_GET));
	assert_true(allowed & (1u << HTTP_HEAD));
	assert_false(allowed & (1u << HTTP_DELETE));
	xfree(&x);
	assert_int_equal(xchg("GET /langue HTTP/1.1\r\n\r\n", &x), 405);
	assert_non_null(xheader(&x, "Allow", v, sizeof(v)));
	assert_int_equal(allow_set(v), 1u << HTTP_POST);
	xfree(&x);

	/* Invalid UTF-8 in the query or the path. */
	assert_int_equal(xchg("GET /?q=%FF HTTP/1.1\r\n\r\n", &x), 400);
	check_security_headers(&x);
	xfree(&x);
	assert_int_equal(xchg("GET /%C0%AF HTTP/1.1\r\n\r\n", &x), 400);
	check_security_headers(&x);
	xfree(&x);
	assert_int_equal(xchg("GET /?q=%ZZ HTTP/1.1\r\n\r\n", &x), 400);
	xfree(&x);

	/* Malformed requests. */
	assert_int_equal(xchg("GET /\r\n\r\n", &x), 400);
	check_security_headers(&x);
	xfree(&x);
	assert_int_equal(xchg("get / HTTP/1.1\r\n\r\n", &x), 400);
	xfree(&x);
	assert_int_equal(xchg("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", &x), 400);
	xfree(&x);
	assert_int_equal(xchg("GET / HTTP/1.1\r\nHost: x\r\n", &x), 400); /* no blank line */
	xfree(&x);
	assert_int_equal(xchg("POST /langue HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
			      "Content-Length: 50\r\n\r\nlang=en",
			      &x),
			 400); /* truncated body */
	xfree(&x);
	assert_int_equal(xchg("POST /langue HTTP/1.1\r\nContent-Length: abc\r\n\r\n", &x), 400);
	xfree(&x);
	assert_int_equal(xchg("POST /langue HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
			      &x),
			 400);
	xfree(&x);
	assert_int_equal(xchg_n("", 0, &x), 400);
	xfree(&x);

	/* A declared body over the limit: 413 before reading it. */
	assert_int_equal(xchg("POST /langue HTTP/1.1\r\n"
			      "Content-Type: application/x-www-form-urlencoded\r\n"
			      "Content-Length: 1048577\r\n\r\nlang=en",
			      &x),
			 413);
	check_security_headers(&x);
	assert_true(body_has(&x, "trop volumineux"));
	xfree(&x);
	assert_int_equal(xchg("POST /api/v1/x HTTP/1.1\r\nContent-Type: application/json\r\n"
			      "Content-Length: 5000000\r\n\r\n",
			      &x),
			 413);
	assert_true(body_has(&x, "\"code\":\"payload_too_large\""));
	xfree(&x);
}

/* A raw "POST /langue" carrying the CSRF cookie tok and the form body,
 * allocated in a. */
static const char *langue_post(struct arena *a, const char *tok, const char *body)
{
	return arena_printf(a,
			    "POST /langue HTTP/1.1\r\n"
			    "Cookie: " CSRF_COOKIE "=%s\r\n"
			    "Content-Type: application/x-www-form-urlencoded\r\n"
			    "Content-Length: %zu\r\n\r\n%s",
			    tok, strlen(body), body);
}

static void exchange_language_post(void **state)
{
	(void)state;
	struct xresp x;
	char v[1024];
	/* No CSRF token at all. */
	assert_int_equal(xchg("POST /langue HTTP/1.1\r\n"
			      "Content-Type: application/x-www-form-urlencoded\r\n"
			      "Content-Length: 7\r\n\r\nlang=en",
			      &x),
			 403);
	check_security_headers(&x);
	assert_true(body_has(&x, "jeton de sécurité"));
	assert_null(xheader_prefix(&x, "Set-Cookie", "lang=", v, sizeof(v)));
	xfree(&x);

	struct arena *a = arena_new(4096);
	const char *tok = csrf_new_token(a);
	const char *other = csrf_new_token(a);

	/* A token in the form that does not match the cookie. */
	char *body = arena_printf(a, "lang=en&csrf_token=%s", other);
	const char *raw = langue_post(a, tok, body);
	assert_int_equal(xchg(raw, &x), 403);
	assert_null(xheader_prefix(&x, "Set-Cookie", "lang=", v, sizeof(v)));
	xfree(&x);

	/* Matching cookie and field: 303 back, with the lang cookie. */
	body = arena_printf(a, "csrf_token=%s&lang=en&retour=%%2F%%3Flang%%3Dfr", tok);
	raw = langue_post(a, tok, body);
	assert_int_equal(xchg(raw, &x), 303);
	check_security_headers(&x);
	assert_non_null(xheader_prefix(&x, "Set-Cookie", "lang=en;", v, sizeof(v)));
	assert_non_null(strstr(v, "Max-Age="));
	assert_non_null(xheader(&x, "Location", v, sizeof(v)));
	assert_string_equal(v, "/?lang=fr");
	xfree(&x);

	/* The X-CSRF-Token header works too; a foreign return target is
	 * replaced by "/" (no open redirect). */
	body = arena_printf(a, "lang=fr&retour=%%2F%%2Fevil.example%%2F");
	raw = arena_printf(a,
			   "POST /langue HTTP/1.1\r\n"
			   "Cookie: " CSRF_COOKIE "=%s\r\n"
			   "X-CSRF-Token: %s\r\n"
			   "Content-Type: application/x-www-form-urlencoded\r\n"
			   "Content-Length: %zu\r\n\r\n%s",
			   tok, tok, strlen(body), body);
	assert_int_equal(xchg(raw, &x), 303);
	assert_non_null(xheader_prefix(&x, "Set-Cookie", "lang=fr;", v, sizeof(v)));
	assert_non_null(xheader(&x, "Location", v, sizeof(v)));
	assert_string_equal(v, "/");
	xfree(&x);

	/* A return target that would split the header is refused too. */
	body = arena_printf(a, "lang=en&retour=%%2F%%0D%%0AX-Injected%%3A%%201&csrf_token=%s", tok);
	raw = langue_post(a, tok, body);
	assert_int_equal(xchg(raw, &x), 303);
	assert_null(xheader(&x, "X-Injected", v, sizeof(v)));
	assert_non_null(xheader(&x, "Location", v, sizeof(v)));
	assert_string_equal(v, "/");
	xfree(&x);

	/* An unknown language is a 400 naming the problem. */
	body = arena_printf(a, "lang=de&csrf_token=%s", tok);
	raw = langue_post(a, tok, body);
	assert_int_equal(xchg(raw, &x), 400);
	assert_true(body_has(&x, "Langue inconnue."));
	assert_null(xheader_prefix(&x, "Set-Cookie", "lang=", v, sizeof(v)));
	xfree(&x);
	arena_free(a);
}

static void exchange_static(void **state)
{
	(void)state;
	struct xresp x;
	char v[1024], etag[256];
	assert_int_equal(xchg("GET /static/style.css HTTP/1.1\r\n\r\n", &x), 200);
	check_security_headers(&x);
	assert_non_null(xheader(&x, "Content-Type", v, sizeof(v)));
	assert_true(str_starts(v, "text/css"));
	assert_non_null(xheader(&x, "ETag", etag, sizeof(etag)));
	assert_true(strlen(etag) > 2);
	assert_int_equal(etag[0], '"');
	assert_int_equal(etag[strlen(etag) - 1], '"');
	assert_true(x.body_len > 0);
	assert_true(body_has(&x, "{"));
	assert_non_null(xheader(&x, "Cache-Control", v, sizeof(v)));
	assert_null(strstr(v, "immutable")); /* unversioned URL: revalidated */
	size_t full_len = x.body_len;
	xfree(&x);

	/* Revalidation with the ETag: 304, no body. */
	char raw[512];
	snprintf(raw, sizeof(raw), "GET /static/style.css HTTP/1.1\r\nIf-None-Match: %s\r\n\r\n", etag);
	assert_int_equal(xchg(raw, &x), 304);
	check_security_headers(&x);
	assert_int_equal(x.body_len, 0);
	assert_non_null(xheader(&x, "ETag", v, sizeof(v)));
	assert_string_equal(v, etag);
	xfree(&x);

	/* Another ETag: the full file. */
	assert_int_equal(xchg("GET /static/style.css HTTP/1.1\r\nIf-None-Match: \"nope\"\r\n\r\n", &x),
			 200);
	assert_int_equal(x.body_len, full_len);
	xfree(&x);

	/* The versioned URL the pages use is cached for good. */
	const char *url = static_url("style.css");
	assert_true(str_starts(url, "/static/style.css?v="));
	snprintf(raw, sizeof(raw), "GET %s HTTP/1.1\r\n\r\n", url);
	assert_int_equal(xchg(raw, &x), 200);
	assert_non_null(xheader(&x, "Cache-Control", v, sizeof(v)));
	assert_non_null(strstr(v, "immutable"));
	xfree(&x);

	assert_int_equal(xchg("GET /static/app.js HTTP/1.1\r\n\r\n", &x), 200);
	assert_non_null(xheader(&x, "Content-Type", v, sizeof(v)));
	assert_true(str_starts(v, "text/javascript"));
	xfree(&x);

	assert_int_equal(xchg("GET /static/missing.css HTTP/1.1\r\n\r\n", &x), 404);
	check_security_headers(&x);
	xfree(&x);
	assert_int_equal(xchg("GET /static/..%2Fsrc%2Fapp.c HTTP/1.1\r\n\r\n", &x), 404);
	xfree(&x);
}

static void exchange_healthz(void **state)
{
	(void)state;
	struct xresp x;
	char v[256];
	assert_int_equal(xchg("GET /healthz HTTP/1.1\r\n\r\n", &x), 200);
	check_security_headers(&x);
	assert_non_null(xheader(&x, "Content-Type", v, sizeof(v)));
	assert_true(str_starts(v, "application/json"));
	assert_true(body_has(&x, "\"status\":\"ok\""));
	char want[64];
	snprintf(want, sizeof(want), "\"schema_version\":%d", migrate_latest());
	assert_true(body_has(&x, want));
	xfree(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(router_match_patterns),
		cmocka_unit_test(router_find_routes),
		cmocka_unit_test(form_urlencoded),
		cmocka_unit_test(form_field_limit),
		cmocka_unit_test(form_multipart),
		cmocka_unit_test(form_multipart_quoted_boundary),
		cmocka_unit_test(form_multipart_rejects),
		cmocka_unit_test(cookies_parse),
		cmocka_unit_test(cookies_build),
		cmocka_unit_test(request_target),
		cmocka_unit_test(request_bodies),
		cmocka_unit_test(csrf_checks),
		cmocka_unit_test(csrf_token_cookie),
		cmocka_unit_test(csrf_bound_to_session),
		cmocka_unit_test(error_mapping),
		cmocka_unit_test(listen_addresses),
		cmocka_unit_test(client_addresses),
		cmocka_unit_test(exchange_home_languages),
		cmocka_unit_test(exchange_head),
		cmocka_unit_test(exchange_errors),
		cmocka_unit_test(exchange_language_post),
		cmocka_unit_test(exchange_static),
		cmocka_unit_test(exchange_healthz),
	};
	return cmocka_run_group_tests_name("http", tests, group_setup, group_teardown);
}
