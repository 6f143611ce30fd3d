/* End-to-end tests against a real "proxima serve" forked on a loopback
 * port: what a user's browser or an operator would notice. One server for
 * the whole group; the last test stops it and expects exit status 0. */
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
#include <sys/socket.h>
#include <unistd.h>

#include "db/migrate.h"
#include "support/server.h"
#include "support/web.h"

static struct ts_server srv;

#define MIB (1024u * 1024u)
#define FORM "Content-Type: application/x-www-form-urlencoded"

static int group_setup(void **state)
{
	(void)state;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -1;
	return ts_server_start(&srv, NULL);
}

static int group_teardown(void **state)
{
	(void)state;
	int rc = web_suite_stop(&srv);
	if (rc != 0)
		fprintf(stderr, "server exit status %d, expected 0\n", rc);
	return rc == 0 ? 0 : -1;
}

/* A request that must produce an HTTP response. */
static void req(const char *method, const char *path, const char *const *headers, const void *body,
		size_t len, struct ts_resp *r)
{
	if (ts_http(NULL, method, ts_url(&srv, path), headers, body, len, r) < 0)
		fail_msg("%s %s: no HTTP response", method ? method : "GET", path);
}

static void get(const char *path, const char *const *headers, struct ts_resp *r)
{
	req("GET", path, headers, NULL, 0, r);
}

static void assert_header_has(const struct ts_resp *r, const char *name, const char *text)
{
	char v[2048];
	if (!ts_header(r, name, v, sizeof(v)))
		fail_msg("header %s missing (status %ld)", name, r->status);
	if (!strstr(v, text))
		fail_msg("header %s is '%s', expected it to contain '%s'", name, v, text);
}

static void assert_body_has(const struct ts_resp *r, const char *text)
{
	if (!ts_body_has(r, text))
		fail_msg("body (status %ld) lacks '%s'", r->status, text);
}

static void assert_body_lacks(const struct ts_resp *r, const char *text)
{
	if (ts_body_has(r, text))
		fail_msg("body (status %ld) contains '%s'", r->status, text);
}

/* Copies the text between start and the next stop character after it in
 * hay into out. Returns out, or NULL when start is absent. */
static char *between(const char *hay, const char *start, char stop, char *out, size_t cap)
{
	const char *p = hay ? strstr(hay, start) : NULL;
	if (!p)
		return NULL;
	p += strlen(start);
	const char *e = strchr(p, stop);
	size_t n = e ? (size_t)(e - p) : strlen(p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

/* A body of n bytes "pad=aaa…", malloc'd. */
static char *form_body(size_t n)
{
	char *b = malloc(n + 1);
	assert_non_null(b);
	memset(b, 'a', n);
	memcpy(b, "pad=", 4);
	b[n] = '\0';
	return b;
}

static void test_home_is_french_by_default(void **state)
{
	(void)state;
	struct ts_resp r;
	get("/", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_header_has(&r, "Content-Type", "text/html");
	assert_header_has(&r, "Content-Type", "charset=utf-8");
	assert_body_has(&r, "<html lang=\"fr-CA\">");
	assert_body_has(&r, "Journal de terrain");
	assert_body_lacks(&r, "Field journal");
	assert_header_has(&r, "Cache-Control", "no-store");
	ts_resp_free(&r);
}

static void test_home_in_english_with_query(void **state)
{
	(void)state;
	struct ts_resp r;
	get("/?lang=en", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_body_has(&r, "<html lang=\"en-CA\">");
	assert_body_has(&r, "Field journal");
	assert_body_lacks(&r, "Journal de terrain");
	ts_resp_free(&r);
}

static void test_home_in_english_with_accept_language(void **state)
{
	(void)state;
	struct ts_resp r;
	const char *h[] = {"Accept-Language: en", NULL};
	get("/", h, &r);
	assert_int_equal(r.status, 200);
	assert_body_has(&r, "<html lang=\"en-CA\">");
	assert_body_has(&r, "Field journal");
	ts_resp_free(&r);

	/* A browser's usual list, English first. */
	const char *h2[] = {"Accept-Language: en-CA,en;q=0.9,fr-CA;q=0.8", NULL};
	get("/", h2, &r);
	assert_body_has(&r, "Field journal");
	ts_resp_free(&r);

	/* ?lang= wins over the header. */
	get("/?lang=fr", h, &r);
	assert_body_has(&r, "Journal de terrain");
	ts_resp_free(&r);
}

static void assert_security_headers(const struct ts_resp *r, const char *what)
{
	char v[2048];
	if (!ts_header(r, "Content-Security-Policy", v, sizeof(v)))
		fail_msg("%s (status %ld): no Content-Security-Policy", what, r->status);
	if (!strstr(v, "frame-ancestors 'none'"))
		fail_msg("%s: CSP '%s' lacks frame-ancestors 'none'", what, v);
	if (!strstr(v, "default-src 'none'"))
		fail_msg("%s: CSP '%s' lacks default-src 'none'", what, v);
	if (!ts_header(r, "X-Content-Type-Options", v, sizeof(v)) || strcmp(v, "nosniff") != 0)
		fail_msg("%s (status %ld): X-Content-Type-Options is not nosniff", what, r->status);
	if (!ts_header(r, "Referrer-Policy", v, sizeof(v)) || !*v)
		fail_msg("%s (status %ld): no Referrer-Policy", what, r->status);
	if (ts_header_count(r, "Content-Security-Policy") != 1)
		fail_msg("%s: %d CSP headers", what, ts_header_count(r, "Content-Security-Policy"));
}

static void test_security_headers_on_every_response(void **state)
{
	(void)state;
	struct {
		const char *method, *path, *header;
		size_t body;
		long status;
	} cases[] = {
		{"GET", "/", NULL, 0, 200},
		{"GET", "/nulle-part", NULL, 0, 404},
		{"GET", "/api/v1/x", NULL, 0, 404},
		{"DELETE", "/", NULL, 0, 405},
		{"GET", "/%FF", NULL, 0, 400},
		{"POST", "/langue", FORM, 0, 403},
		{"POST", "/langue", FORM, 2 * MIB, 413},
		{"GET", "/healthz", NULL, 0, 200},
		{"GET", "/static/style.css", NULL, 0, 200},
		{"GET", "/static/app.js", "If-None-Match: *", 0, 304},
		{"HEAD", "/", NULL, 0, 200},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ts_resp r;
		const char *h[] = {cases[i].header, NULL};
		char *body = cases[i].body ? form_body(cases[i].body) : NULL;
		req(cases[i].method, cases[i].path, h, body, cases[i].body, &r);
		free(body);
		char what[128];
		snprintf(what, sizeof(what), "%s %s", cases[i].method, cases[i].path);
		if (r.status != cases[i].status)
			fail_msg("%s: status %ld, expected %ld", what, r.status, cases[i].status);
		assert_security_headers(&r, what);
		ts_resp_free(&r);
	}
}

static void test_csp_nonce_matches_script_tag(void **state)
{
	(void)state;
	char first[128] = "";
	for (int k = 0; k < 2; k++) {
		struct ts_resp r;
		get("/", NULL, &r);
		char csp[2048], nonce[128], tag_nonce[128];
		assert_non_null(ts_header(&r, "Content-Security-Policy", csp, sizeof(csp)));
		if (!between(csp, "script-src 'nonce-", '\'', nonce, sizeof(nonce)))
			fail_msg("CSP has no script nonce: %s", csp);
		assert_true(strlen(nonce) >= 16);
		char script[512];
		if (!between(r.body.data, "<script ", '>', script, sizeof(script)))
			fail_msg("no script tag on the home page");
		if (!between(script, "nonce=\"", '"', tag_nonce, sizeof(tag_nonce)))
			fail_msg("script tag has no nonce: %s", script);
		assert_string_equal(tag_nonce, nonce);
		/* Every script tag carries it (none would run otherwise). */
		const char *p = r.body.data;
		while ((p = strstr(p, "<script")) != NULL) {
			char t[512];
			between(p, "<script", '>', t, sizeof(t));
			if (!strstr(t, nonce))
				fail_msg("script tag without the nonce: %s", t);
			p += 7;
		}
		/* A fresh nonce for every response. */
		if (k == 0)
			snprintf(first, sizeof(first), "%s", nonce);
		else
			assert_string_not_equal(first, nonce);
		ts_resp_free(&r);
	}
}

static void test_keep_alive_reuses_one_connection(void **state)
{
	(void)state;
	CURL *h = curl_easy_init();
	assert_non_null(h);
	static const char csrf_body[] = "lang=en";
	struct {
		const char *method, *path;
		const char *body;
		long status;
	} seq[] = {
		{"GET", "/", NULL, 200},
		{"GET", "/healthz", NULL, 200},
		{"GET", "/static/style.css", NULL, 200},
		{"GET", "/nulle-part", NULL, 404},
		{"POST", "/langue", csrf_body, 403},
		{"HEAD", "/", NULL, 200},
		{"DELETE", "/", NULL, 405},
		{"GET", "/?lang=en", NULL, 200},
	};
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		struct ts_resp r;
		const char *hd[] = {FORM, NULL};
		if (ts_http(h, seq[i].method, ts_url(&srv, seq[i].path), seq[i].body ? hd : NULL,
			    seq[i].body, seq[i].body ? strlen(seq[i].body) : 0, &r) < 0)
			fail_msg("%s %s failed", seq[i].method, seq[i].path);
		if (r.status != seq[i].status)
			fail_msg("%s %s: status %ld", seq[i].method, seq[i].path, r.status);
		if (r.num_connects != (i == 0 ? 1 : 0))
			fail_msg("request %zu (%s %s) opened %ld new connection(s)", i,
				 seq[i].method, seq[i].path, r.num_connects);
		char v[128];
		if (ts_header(&r, "Connection", v, sizeof(v)) && strstr(v, "close"))
			fail_msg("%s %s: Connection: %s", seq[i].method, seq[i].path, v);
		ts_resp_free(&r);
	}
	curl_easy_cleanup(h);
}

static void test_healthz_reports_database_and_schema(void **state)
{
	(void)state;
	struct ts_resp r;
	get("/healthz", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_header_has(&r, "Content-Type", "application/json");
	char want[128];
	snprintf(want, sizeof(want),
		 "{\"status\":\"ok\",\"database\":\"ok\",\"schema_version\":%d}", migrate_latest());
	assert_body_has(&r, want);
	assert_header_has(&r, "Cache-Control", "no-store");
	ts_resp_free(&r);
	req("HEAD", "/healthz", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 0);
	ts_resp_free(&r);
}

static void test_head_has_content_length_but_no_body(void **state)
{
	(void)state;
	struct ts_resp g, h;
	get("/", NULL, &g);
	req("HEAD", "/", NULL, NULL, 0, &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(h.body.len, 0);
	char cl[64];
	if (!ts_header(&h, "Content-Length", cl, sizeof(cl)))
		fail_msg("HEAD / has no Content-Length");
	/* Same length as the GET (nonce and token have fixed lengths). */
	char want[64];
	snprintf(want, sizeof(want), "%zu", g.body.len);
	assert_string_equal(cl, want);
	assert_header_has(&h, "Content-Type", "text/html");
	ts_resp_free(&g);
	ts_resp_free(&h);
}

static void test_unknown_page_is_french_html_404(void **state)
{
	(void)state;
	struct ts_resp r;
	get("/nulle-part", NULL, &r);
	assert_int_equal(r.status, 404);
	assert_header_has(&r, "Content-Type", "text/html");
	assert_body_has(&r, "<html lang=\"fr-CA\">");
	assert_body_has(&r, "Cette page n&#39;existe pas");
	assert_body_has(&r, "href=\"/\"");
	ts_resp_free(&r);

	/* The same page follows the visitor's language. */
	const char *h[] = {"Accept-Language: en", NULL};
	get("/nowhere", h, &r);
	assert_int_equal(r.status, 404);
	assert_body_has(&r, "<html lang=\"en-CA\">");
	assert_body_lacks(&r, "Cette page");
	ts_resp_free(&r);
}

static void test_unknown_api_route_is_json_404(void **state)
{
	(void)state;
	struct ts_resp r;
	get("/api/v1/x", NULL, &r);
	assert_int_equal(r.status, 404);
	assert_header_has(&r, "Content-Type", "application/json");
	assert_body_has(&r, "{\"error\":{\"code\":\"not_found\",\"message\":\"");
	assert_body_has(&r, "\"field\":null}}");
	assert_body_lacks(&r, "<html");
	ts_resp_free(&r);
}

static void test_wrong_method_is_405_with_allow(void **state)
{
	(void)state;
	struct ts_resp r;
	req("DELETE", "/", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 405);
	assert_header_has(&r, "Allow", "GET");
	assert_header_has(&r, "Allow", "HEAD");
	assert_header_has(&r, "Content-Type", "text/html");
	ts_resp_free(&r);

	/* Under /healthz the error is the JSON envelope. */
	req("POST", "/healthz", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 405);
	assert_header_has(&r, "Allow", "GET, HEAD");
	assert_body_has(&r, "\"code\":\"method_not_allowed\"");
	ts_resp_free(&r);

	/* GET on a POST-only route. */
	get("/langue", NULL, &r);
	assert_int_equal(r.status, 405);
	assert_header_has(&r, "Allow", "POST");
	ts_resp_free(&r);
}

static void test_invalid_utf8_is_400(void **state)
{
	(void)state;
	static const char *paths[] = {"/%FF", "/%C3%28", "/static/%C0%AF", "/?q=%FF", "/?lang=%E9"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct ts_resp r;
		get(paths[i], NULL, &r);
		if (r.status != 400)
			fail_msg("GET %s: status %ld, expected 400", paths[i], r.status);
		assert_header_has(&r, "Content-Type", "text/html");
		ts_resp_free(&r);
	}
	/* Valid UTF-8, percent-encoded: decoded, then simply not found. */
	struct ts_resp r;
	get("/%C3%A9t%C3%A9", NULL, &r);
	assert_int_equal(r.status, 404);
	ts_resp_free(&r);
}

static void test_malformed_percent_escape_is_400(void **state)
{
	(void)state;
	static const char *paths[] = {"/%G1", "/abc%2", "/%", "/?q=%zz"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct ts_resp r;
		get(paths[i], NULL, &r);
		if (r.status != 400)
			fail_msg("GET %s: status %ld, expected 400", paths[i], r.status);
		ts_resp_free(&r);
	}
}

static void test_oversized_bodies_are_413(void **state)
{
	(void)state;
	struct ts_resp r;
	char *big = form_body(2 * MIB);
	const char *form[] = {FORM, NULL};
	req("POST", "/langue", form, big, 2 * MIB, &r);
	assert_int_equal(r.status, 413);
	assert_header_has(&r, "Content-Type", "text/html");
	ts_resp_free(&r);

	/* Under /api/ the 413 is the JSON envelope. */
	const char *json[] = {"Content-Type: application/json", NULL};
	req("POST", "/api/v1/x", json, big, 2 * MIB, &r);
	assert_int_equal(r.status, 413);
	assert_body_has(&r, "\"code\":\"payload_too_large\"");
	ts_resp_free(&r);
	free(big);

	/* Exactly at the limit is accepted (and then refused for CSRF). */
	big = form_body(MIB);
	req("POST", "/langue", form, big, MIB, &r);
	assert_int_equal(r.status, 403);
	ts_resp_free(&r);
	free(big);

	/* Chunked, without Content-Length: still counted and refused. */
	int fd = ts_connect(srv.port);
	assert_true(fd >= 0);
	static const char head[] = "POST /langue HTTP/1.1\r\nHost: 127.0.0.1\r\n" FORM "\r\n"
				   "Transfer-Encoding: chunked\r\n\r\n";
	assert_int_equal(ts_send_all(fd, head, sizeof(head) - 1), 0);
	char chunk[65536 + 16];
	int hl = snprintf(chunk, sizeof(chunk), "%x\r\n", 65536);
	memset(chunk + hl, 'a', 65536);
	memcpy(chunk + hl + 65536, "\r\n", 2);
	for (int i = 0; i < 32; i++)
		assert_int_equal(ts_send_all(fd, chunk, (size_t)hl + 65536 + 2), 0);
	assert_int_equal(ts_send_all(fd, "0\r\n\r\n", 5), 0);
	static char resp[65536];
	ssize_t n = ts_read_response(fd, resp, sizeof(resp), 10000);
	assert_true(n > 0);
	if (strncmp(resp, "HTTP/1.1 413", 12) != 0)
		fail_msg("chunked 2 MiB: got '%.40s'", resp);
	close(fd);
}

static void test_post_without_csrf_is_403(void **state)
{
	(void)state;
	struct ts_resp r;
	const char *form[] = {FORM, NULL};
	req("POST", "/langue", form, "lang=en", 7, &r);
	assert_int_equal(r.status, 403);
	assert_header_has(&r, "Content-Type", "text/html");
	assert_body_has(&r, "jeton de sécurité");
	assert_int_equal(ts_header_count(&r, "Location"), 0);
	char lang[16];
	assert_null(ts_set_cookie(&r, "lang", lang, sizeof(lang)));
	ts_resp_free(&r);

	/* A cookie and a form token that differ. */
	static const char a[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	static const char b[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
	char cookie[128], body[128];
	snprintf(cookie, sizeof(cookie), "Cookie: proxima_csrf=%s", a);
	snprintf(body, sizeof(body), "csrf_token=%s&lang=en", b);
	const char *h[] = {FORM, cookie, NULL};
	req("POST", "/langue", h, body, strlen(body), &r);
	assert_int_equal(r.status, 403);
	ts_resp_free(&r);

	/* A form token with no cookie at all. */
	const char *h2[] = {FORM, NULL};
	snprintf(body, sizeof(body), "csrf_token=%s&lang=en", a);
	req("POST", "/langue", h2, body, strlen(body), &r);
	assert_int_equal(r.status, 403);
	ts_resp_free(&r);
}

/* Fetches / with an optional Cookie header and returns its CSRF token
 * (from the form) into tok. */
static void home_token(const char *cookie_header, char *tok, size_t cap, struct ts_resp *r)
{
	const char *h[] = {cookie_header, NULL};
	get("/", cookie_header ? h : NULL, r);
	assert_int_equal(r->status, 200);
	if (!between(r->body.data, "name=\"csrf_token\" value=\"", '"', tok, cap))
		fail_msg("no csrf_token field on the home page");
	assert_int_equal(strlen(tok), 43);
}

static void test_language_switch_flow(void **state)
{
	(void)state;
	struct ts_resp r;
	char tok[128], cookie_tok[128];
	home_token(NULL, tok, sizeof(tok), &r);
	if (!ts_set_cookie(&r, "proxima_csrf", cookie_tok, sizeof(cookie_tok)))
		fail_msg("the home page set no proxima_csrf cookie");
	assert_string_equal(tok, cookie_tok);
	char sc[512];
	assert_non_null(ts_header(&r, "Set-Cookie", sc, sizeof(sc)));
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "SameSite=Strict"));
	ts_resp_free(&r);

	char cookie[256], body[256];
	snprintf(cookie, sizeof(cookie), "Cookie: proxima_csrf=%s", tok);
	snprintf(body, sizeof(body), "csrf_token=%s&retour=%%2F&lang=en", tok);
	const char *h[] = {FORM, cookie, NULL};
	req("POST", "/langue", h, body, strlen(body), &r);
	assert_int_equal(r.status, 303);
	assert_header_has(&r, "Location", "/");
	char lang[16];
	if (!ts_set_cookie(&r, "lang", lang, sizeof(lang)))
		fail_msg("POST /langue set no lang cookie");
	assert_string_equal(lang, "en");
	ts_resp_free(&r);

	/* The next page comes in English, with the same CSRF token. */
	char both[256], tok2[128];
	snprintf(both, sizeof(both), "Cookie: proxima_csrf=%s; lang=en", tok);
	home_token(both, tok2, sizeof(tok2), &r);
	assert_body_has(&r, "<html lang=\"en-CA\">");
	assert_body_has(&r, "Field journal");
	assert_string_equal(tok2, tok);
	assert_null(ts_set_cookie(&r, "proxima_csrf", cookie_tok, sizeof(cookie_tok)));
	/* The switch now offers French. */
	assert_body_has(&r, "value=\"fr\"");
	ts_resp_free(&r);

	/* And back to French. */
	snprintf(body, sizeof(body), "csrf_token=%s&retour=%%2F&lang=fr", tok);
	const char *h2[] = {FORM, both, NULL};
	req("POST", "/langue", h2, body, strlen(body), &r);
	assert_int_equal(r.status, 303);
	assert_non_null(ts_set_cookie(&r, "lang", lang, sizeof(lang)));
	assert_string_equal(lang, "fr");
	ts_resp_free(&r);

	/* An unknown language is a 400, not a cookie. */
	snprintf(body, sizeof(body), "csrf_token=%s&lang=de", tok);
	req("POST", "/langue", h, body, strlen(body), &r);
	assert_int_equal(r.status, 400);
	assert_null(ts_set_cookie(&r, "lang", lang, sizeof(lang)));
	ts_resp_free(&r);
}

static void test_language_switch_refuses_open_redirect(void **state)
{
	(void)state;
	static const char tok[] = "e2e_token_e2e_token_e2e_token_e2e_token_e2e";
	static const char *targets[] = {"%2F%2Fevil.example%2F", "https%3A%2F%2Fevil.example",
					"%2F%5Cevil.example"};
	char cookie[128], body[256], loc[256];
	snprintf(cookie, sizeof(cookie), "Cookie: proxima_csrf=%s", tok);
	const char *h[] = {FORM, cookie, NULL};
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		struct ts_resp r;
		snprintf(body, sizeof(body), "csrf_token=%s&lang=en&retour=%s", tok, targets[i]);
		req("POST", "/langue", h, body, strlen(body), &r);
		assert_int_equal(r.status, 303);
		assert_non_null(ts_header(&r, "Location", loc, sizeof(loc)));
		assert_string_equal(loc, "/");
		ts_resp_free(&r);
	}
	/* A local path is kept. */
	struct ts_resp r;
	snprintf(body, sizeof(body), "csrf_token=%s&lang=en&retour=%%2Fstatic%%2Fstyle.css", tok);
	req("POST", "/langue", h, body, strlen(body), &r);
	assert_int_equal(r.status, 303);
	assert_non_null(ts_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/static/style.css");
	ts_resp_free(&r);
}

static void test_static_asset_etag_and_304(void **state)
{
	(void)state;
	struct ts_resp r;
	get("/static/style.css", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_header_has(&r, "Content-Type", "text/css");
	assert_true(r.body.len > 0);
	char etag[128];
	assert_non_null(ts_header(&r, "ETag", etag, sizeof(etag)));
	assert_true(strlen(etag) > 2 && etag[0] == '"' && etag[strlen(etag) - 1] == '"');
	assert_header_has(&r, "Cache-Control", "no-cache");
	ts_resp_free(&r);

	char inm[256];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	const char *h[] = {inm, NULL};
	get("/static/style.css", h, &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body.len, 0);
	assert_header_has(&r, "ETag", etag);
	ts_resp_free(&r);

	/* A stale ETag gets the full asset again. */
	const char *stale[] = {"If-None-Match: \"0000000000000000\"", NULL};
	get("/static/style.css", stale, &r);
	assert_int_equal(r.status, 200);
	assert_true(r.body.len > 0);
	ts_resp_free(&r);

	/* Other types. */
	get("/static/app.js", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_header_has(&r, "Content-Type", "text/javascript");
	ts_resp_free(&r);
	get("/static/icon.svg", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_header_has(&r, "Content-Type", "image/svg+xml");
	ts_resp_free(&r);

	/* Unknown or sneaky names are plain 404s. */
	static const char *bad[] = {"/static/nope.css", "/static/..%2Fapp.c", "/static/"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		get(bad[i], NULL, &r);
		if (r.status != 404)
			fail_msg("GET %s: status %ld, expected 404", bad[i], r.status);
		ts_resp_free(&r);
	}
}

static void test_versioned_static_url_is_immutable(void **state)
{
	(void)state;
	struct ts_resp home, r;
	get("/", NULL, &home);
	char v[128], url[256];
	if (!between(home.body.data, "href=\"/static/style.css?v=", '"', v, sizeof(v)))
		fail_msg("the home page does not link a versioned style.css");
	assert_true(strlen(v) > 0);
	snprintf(url, sizeof(url), "/static/style.css?v=%s", v);
	ts_resp_free(&home);

	get(url, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_header_has(&r, "Cache-Control", "immutable");
	assert_header_has(&r, "Cache-Control", "max-age=31536000");
	/* The version is the current content's ETag. */
	char etag[128], want[160];
	assert_non_null(ts_header(&r, "ETag", etag, sizeof(etag)));
	snprintf(want, sizeof(want), "\"%s\"", v);
	assert_string_equal(etag, want);
	ts_resp_free(&r);

	/* A stale version is served but never pinned. */
	get("/static/style.css?v=0000000000000000", NULL, &r);
	assert_int_equal(r.status, 200);
	char cc[256];
	assert_non_null(ts_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_null(strstr(cc, "immutable"));
	ts_resp_free(&r);
}

/* Sends bytes on a new connection and reads what comes back until the
 * server closes it, which it must do within a few seconds. */
static void raw_exchange(const void *bytes, size_t n, char *out, size_t cap)
{
	int fd = ts_connect(srv.port);
	assert_true(fd >= 0);
	ts_send_all(fd, bytes, n);
	ssize_t got = ts_read_until_close(fd, out, cap, 5000);
	close(fd);
	if (got < 0)
		fail_msg("the server kept a connection open after '%.20s…'", (const char *)bytes);
}

/* Sends bytes on a new connection and goes away without reading. */
static void raw_hangup(const char *bytes)
{
	int fd = ts_connect(srv.port);
	assert_true(fd >= 0);
	ts_send_all(fd, bytes, strlen(bytes));
	close(fd);
}

static void test_garbage_does_not_hurt_the_server(void **state)
{
	(void)state;
	static char out[65536];
	unsigned char junk[1024];
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < sizeof(junk); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	junk[10] = 0;
	junk[sizeof(junk) - 4] = '\r';
	junk[sizeof(junk) - 3] = '\n';
	junk[sizeof(junk) - 2] = '\r';
	junk[sizeof(junk) - 1] = '\n';
	raw_exchange(junk, sizeof(junk), out, sizeof(out));
	if (strncmp(out, "HTTP/1.1 400", 12) != 0)
		fail_msg("garbage got '%.40s'", out);
	/* Request lines without a version, or with an unknown one. */
	raw_exchange("GET /\r\n\r\n", 9, out, sizeof(out));
	if (strncmp(out, "HTTP/1.1 400", 12) != 0)
		fail_msg("a request line without version got '%.40s'", out);
	static const char v99[] = "GET / HTTP/9.9\r\nHost: x\r\n\r\n";
	raw_exchange(v99, sizeof(v99) - 1, out, sizeof(out));
	if (strncmp(out, "HTTP/1.1 505", 12) != 0)
		fail_msg("HTTP/9.9 got '%.40s'", out);
	raw_exchange(" / HTTP/1.1\r\n\r\n", 15, out, sizeof(out));
	assert_null(strstr(out, "200 OK"));

	/* Truncated requests, then the client goes away. (Not a request cut
	 * after its request line: MHD 0.9.75 may miss a close that arrives
	 * with the last bytes and keep it until its 30 s timeout, which would
	 * hold the final stop for the whole grace period.) */
	raw_hangup("GET /heal");
	raw_hangup("\n\n\n\n");
	/* A header line far over the per-connection memory limit. */
	size_t big = 200 * 1024;
	char *huge = malloc(big);
	assert_non_null(huge);
	memcpy(huge, "GET / HTTP/1.1\r\nX-Big: ", 23);
	memset(huge + 23, 'b', big - 23 - 4);
	memcpy(huge + big - 4, "\r\n\r\n", 4);
	raw_exchange(huge, big, out, sizeof(out));
	free(huge);
	if (out[0] && strncmp(out, "HTTP/1.1 431", 12) != 0)
		fail_msg("huge header got '%.40s'", out);
	/* A client that stalls mid-request does not block the others. */
	int slow = ts_connect(srv.port);
	assert_true(slow >= 0);
	assert_int_equal(ts_send_all(slow, "GET /healthz HTT", 16), 0);

	struct ts_resp r;
	get("/healthz", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_body_has(&r, "\"status\":\"ok\"");
	ts_resp_free(&r);
	/* The stalled client finishes its request and is answered. */
	assert_int_equal(ts_send_all(slow, "P/1.1\r\nHost: x\r\n\r\n", 18), 0);
	ssize_t n = ts_read_response(slow, out, sizeof(out), 5000);
	assert_true(n > 0);
	assert_int_equal(strncmp(out, "HTTP/1.1 200", 12), 0);
	close(slow);
}

#define PAR_THREADS 4
#define PAR_EACH 50

static atomic_int par_ok;

static void *par_worker(void *arg)
{
	static const char *paths[] = {"/", "/healthz", "/static/app.js", "/?lang=en",
				      "/nulle-part"};
	static const long want[] = {200, 200, 200, 200, 404};
	intptr_t id = (intptr_t)arg;
	CURL *h = NULL;
	for (int i = 0; i < PAR_EACH; i++) {
		/* A new connection every 10 requests, keep-alive in between. */
		if (i % 10 == 0) {
			if (h)
				curl_easy_cleanup(h);
			h = curl_easy_init();
		}
		size_t k = (size_t)(i + id) % (sizeof(paths) / sizeof(paths[0]));
		struct ts_resp r = {0};
		if (h && ts_http(h, "GET", ts_url(&srv, paths[k]), NULL, NULL, 0, &r) == 0 &&
		    r.status == want[k] && r.body.len > 0)
			atomic_fetch_add(&par_ok, 1);
		ts_resp_free(&r);
	}
	if (h)
		curl_easy_cleanup(h);
	return NULL;
}

static void test_parallel_requests_all_succeed(void **state)
{
	(void)state;
	pthread_t t[PAR_THREADS];
	atomic_store(&par_ok, 0);
	for (intptr_t i = 0; i < PAR_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, par_worker, (void *)i), 0);
	for (int i = 0; i < PAR_THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&par_ok), PAR_THREADS * PAR_EACH);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* Waits until the access log has at least want lines; returns its text. */
static char *wait_log(int want)
{
	long long deadline = ts_now_ms() + 5000;
	for (;;) {
		char *log = ts_read_file(srv.access_log, NULL);
		if (log && count_lines(log) >= want)
			return log;
		free(log);
		if (ts_now_ms() > deadline)
			return ts_read_file(srv.access_log, NULL);
		ts_sleep_ms(10);
	}
}

/* The one line of log that contains needle. */
static void log_line(const char *log, const char *needle, char *out, size_t cap)
{
	const char *p = strstr(log, needle);
	if (!p)
		fail_msg("access log has no line with %s", needle);
	if (strstr(p + strlen(needle), needle))
		fail_msg("access log has several lines with %s", needle);
	while (p > log && p[-1] != '\n')
		p--;
	const char *e = strchr(p, '\n');
	size_t n = e ? (size_t)(e - p) : strlen(p);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void test_access_log_one_line_per_request_without_query(void **state)
{
	(void)state;
	/* Let earlier requests' lines land first. */
	ts_sleep_ms(100);
	char *before = ts_read_file(srv.access_log, NULL);
	assert_non_null(before);
	int n0 = count_lines(before);
	free(before);

	struct ts_resp r;
	get("/?secret=xyz", NULL, &r);
	assert_int_equal(r.status, 200);
	ts_resp_free(&r);
	get("/e2e-log-marker?token=xyz", NULL, &r);
	assert_int_equal(r.status, 404);
	ts_resp_free(&r);
	const char *form[] = {FORM, NULL};
	req("POST", "/e2e-log-post", form, "secret=xyz", 10, &r);
	assert_int_equal(r.status, 404);
	ts_resp_free(&r);
	req("HEAD", "/healthz?xyz=1", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	ts_resp_free(&r);
	/* A client that gives up before sending its body. The 100 Continue
	 * shows that the server has read the headers before the close. */
	int fd = ts_connect(srv.port);
	assert_true(fd >= 0);
	static const char head[] = "POST /e2e-log-aborted?xyz HTTP/1.1\r\nHost: 127.0.0.1\r\n" FORM
				   "\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n";
	assert_int_equal(ts_send_all(fd, head, sizeof(head) - 1), 0);
	char cont[256];
	assert_true(ts_read_response(fd, cont, sizeof(cont), 5000) > 0);
	assert_int_equal(strncmp(cont, "HTTP/1.1 100", 12), 0);
	close(fd);

	char *log = wait_log(n0 + 5);
	assert_non_null(log);
	ts_sleep_ms(100);
	free(log);
	log = ts_read_file(srv.access_log, NULL);
	int lines = count_lines(log);
	bool leak = strstr(log, "xyz") != NULL;
	if (lines != n0 + 5 || leak) {
		fprintf(stderr, "---- access log ----\n%s----\n", log);
		free(log);
		fail_msg("%d new lines, expected 5%s", lines - n0,
			 leak ? "; the log contains a query string" : "");
	}

	char line[1024];
	log_line(log, "path=\"/e2e-log-marker\"", line, sizeof(line));
	assert_non_null(strstr(line, "method=GET"));
	assert_non_null(strstr(line, "status=404"));
	assert_non_null(strstr(line, " ms="));
	log_line(log, "path=\"/e2e-log-post\"", line, sizeof(line));
	assert_non_null(strstr(line, "method=POST"));
	assert_non_null(strstr(line, "status=404"));
	assert_non_null(strstr(line, " ms="));
	/* Nothing was answered, and the log does not pretend otherwise. */
	log_line(log, "path=\"/e2e-log-aborted\"", line, sizeof(line));
	assert_non_null(strstr(line, " status=0 "));
	assert_non_null(strstr(line, " aborted=1"));
	assert_non_null(strstr(line, "method=POST"));
	/* The last five lines, in any order: one of them is GET / 200. */
	const char *p = log + strlen(log);
	for (int k = 0; k < 6 && p > log; k++) {
		p--;
		while (p > log && p[-1] != '\n')
			p--;
	}
	assert_non_null(strstr(p, "method=GET path=\"/\" status=200"));
	assert_non_null(strstr(p, "method=HEAD path=\"/healthz\" status=200"));
	free(log);
}

static void test_graceful_stop_exits_0(void **state)
{
	(void)state;
	assert_int_equal(ts_server_stop(&srv), 0);
	/* Exactly one line on standard output: the listening line. */
	assert_int_equal(srv.stdout_extra, 0);
	char *err = ts_read_file(srv.err_path, NULL);
	assert_non_null(err);
	bool clean = strstr(err, "event=server.stopped unfinished=0") && !strstr(err, "ERROR");
	free(err);
	if (!clean) {
		ts_server_dump_stderr(&srv);
		fail_msg("the server did not report a clean stop");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_home_is_french_by_default),
		cmocka_unit_test(test_home_in_english_with_query),
		cmocka_unit_test(test_home_in_english_with_accept_language),
		cmocka_unit_test(test_security_headers_on_every_response),
		cmocka_unit_test(test_csp_nonce_matches_script_tag),
		cmocka_unit_test(test_keep_alive_reuses_one_connection),
		cmocka_unit_test(test_healthz_reports_database_and_schema),
		cmocka_unit_test(test_head_has_content_length_but_no_body),
		cmocka_unit_test(test_unknown_page_is_french_html_404),
		cmocka_unit_test(test_unknown_api_route_is_json_404),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
		cmocka_unit_test(test_invalid_utf8_is_400),
		cmocka_unit_test(test_malformed_percent_escape_is_400),
		cmocka_unit_test(test_oversized_bodies_are_413),
		cmocka_unit_test(test_post_without_csrf_is_403),
		cmocka_unit_test(test_language_switch_flow),
		cmocka_unit_test(test_language_switch_refuses_open_redirect),
		cmocka_unit_test(test_static_asset_etag_and_304),
		cmocka_unit_test(test_versioned_static_url_is_immutable),
		cmocka_unit_test(test_garbage_does_not_hurt_the_server),
		cmocka_unit_test(test_parallel_requests_all_succeed),
		cmocka_unit_test(test_access_log_one_line_per_request_without_query),
		cmocka_unit_test(test_graceful_stop_exits_0),
	};
	return cmocka_run_group_tests_name("e2e_server", tests, group_setup, group_teardown);
}
