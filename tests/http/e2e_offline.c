/* End-to-end tests of field work without a network (issue 11) against a
 * real "proxima serve": what the phone's scripts and the PAP would notice.
 *   - every GET route answers no-store, except the allow-list of pages a
 *     phone may keep (private, no-cache) and the app's own files;
 *   - /sw.js (root scope, its own CSP, the version and the allow-list) and
 *     the manifest;
 *   - POST /api/v1/sync: each entry its own result (saved, invalid with its
 *     field errors, conflict), exactly once however often it is sent, the
 *     key as external id, only the signed-in account's entries;
 *   - ETag / If-Match on the API's activities, and the edit page's
 *     "version" field: a change made elsewhere is a conflict, never
 *     silently overwritten;
 *   - signing out clears the browser's cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/offline.h"
#include "support/server.h"
#include "support/web.h"
#include "support/web_assert.h"
#include "views/view.h"

#define NOW "2026-11-25T10:00:00" /* a Wednesday */
#define TODAY "2026-11-25"
#define PASSWORD "motdepasse-solide"
#define KEY1 "0b6f8a52-6d7c-4d0e-9a51-3f1c2b7d9e01"
#define KEY2 "0b6f8a52-6d7c-4d0e-9a51-3f1c2b7d9e02"
#define KEY3 "0b6f8a52-6d7c-4d0e-9a51-3f1c2b7d9e03"

static struct ts_server srv;
static struct web_browser pap1, pap2, other;

static const struct web_account ACCOUNTS[] = {
	{&pap1, "pap1@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
	{&pap2, "pap2@a.test", "Luc Côté", "pap", "ORG-A", "T-A"},
	{&other, "pap@b.test", "Paul Roy", "pap", "ORG-B", "T-B"},
};

static int group_setup(void **state)
{
	(void)state;
	return web_suite_setup(&srv, NOW, WEB_FIXTURE_TWO_TERRITORIES, ACCOUNTS,
			       WEB_COUNT(ACCOUNTS), PASSWORD);
}

static int group_teardown(void **state)
{
	(void)state;
	return web_suite_stop(&srv) == 0 ? 0 : -1;
}

static long long count(const char *sql)
{
	return web_sql_count(srv.db, sql);
}

/* A path for route pattern p: each ":name" becomes 1. */
static void route_path(const char *p, char *out, size_t cap)
{
	size_t k = 0;
	while (*p && k + 2 < cap) {
		if (*p == ':') {
			out[k++] = '1';
			while (*p && *p != '/')
				p++;
		} else {
			out[k++] = *p++;
		}
	}
	out[k] = '\0';
}

/* The app's own files, kept by the browser like any static file. */
static bool app_file(const char *path)
{
	return strncmp(path, "/static/", 8) == 0 || strcmp(path, "/sw.js") == 0 ||
	       strcmp(path, "/manifest.webmanifest") == 0;
}

/* Every GET route, as a signed-in PAP: no-store unless it is on the
 * allow-list; the pages on it that answer 200 may be kept. */
static void check_routes(const struct route *rt, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (rt[i].method != HTTP_GET || app_file(rt[i].pattern))
			continue;
		char path[256], cc[128];
		route_path(rt[i].pattern, path, sizeof(path));
		struct ts_resp r = {0};
		assert_int_equal(web_get(&srv, &pap1, path, &r), 0);
		const char *got = ts_header(&r, "Cache-Control", cc, sizeof(cc));
		const char *want =
			offline_allowed(path) && r.status == 200 ? "private, no-cache" : "no-store";
		if (!got || strcmp(got, want) != 0)
			fail_msg("GET %s (%ld): Cache-Control '%s', expected '%s'", path, r.status,
				 got ? got : "(none)", want);
		ts_resp_free(&r);
	}
}

static void test_every_route_is_no_store_but_the_field_pages(void **state)
{
	(void)state;
	check_routes(view_routes, view_routes_count);
	check_routes(api_routes, api_routes_count);
	/* The field pages are on the list and really kept. */
	const char *field[] = {"/journal/nouvelle", "/journal/indirect", "/journal",
			       "/recits/nouveau",   "/trous/nouveau",    "/api/v1/reference/place"};
	for (size_t i = 0; i < sizeof(field) / sizeof(field[0]); i++) {
		struct ts_resp r = {0};
		char v[64];
		assert_int_equal(web_get(&srv, &pap1, field[i], &r), 0);
		assert_int_equal(r.status, 200);
		assert_string_equal(ts_header(&r, "Cache-Control", v, sizeof(v)),
				    "private, no-cache");
		assert_string_equal(ts_header(&r, "X-Proxima-Account", v, sizeof(v)), "p1");
		ts_resp_free(&r);
	}
	/* A family's page (nominative) is not, whatever its address says. */
	assert_false(offline_allowed("/familles/1"));
	assert_false(offline_allowed("/journal/1/modifier"));
}

static void test_service_worker_and_manifest(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char v[256];
	assert_int_equal(web_get(&srv, NULL, "/sw.js", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(ts_header(&r, "Content-Type", v, sizeof(v)), "text/javascript"));
	assert_string_equal(ts_header(&r, "Content-Security-Policy", v, sizeof(v)),
			    "default-src 'none'; script-src 'self'; connect-src 'self'");
	web_assert_resp_at(__FILE__, __LINE__, "GET /sw.js", &r, 200,
			   TEXTS("const VERSION = \"", "/static/style.css?v=",
				 "const OFFLINE_PAGES = [\"/journal/nouvelle\"",
				 "importScripts(OUTBOX_JS)", "caches.delete"),
			   TEXTS("/familles"));
	ts_resp_free(&r);
	/* Pages allow the worker and the manifest, still no inline script. */
	assert_int_equal(web_get(&srv, &pap1, "/journal/nouvelle", &r), 0);
	const char *csp = ts_header(&r, "Content-Security-Policy", v, sizeof(v));
	assert_non_null(strstr(csp, "worker-src 'self'"));
	assert_non_null(strstr(csp, "manifest-src 'self'"));
	assert_non_null(strstr(csp, "script-src 'nonce-"));
	web_assert_resp_at(__FILE__, __LINE__, "GET /journal/nouvelle", &r, 200,
			   TEXTS("<link rel=\"manifest\" href=\"/manifest.webmanifest\">",
				 "<body data-account=\"p1\">", "data-outbox=\"activity\""),
			   NULL);
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, NULL, "/manifest.webmanifest", &r), 0);
	assert_int_equal(r.status, 200);
	json_t *m = json_loadb(r.body.data, r.body.len, 0, NULL);
	assert_non_null(m);
	assert_string_equal(json_string_value(json_object_get(m, "start_url")),
			    "/journal/nouvelle");
	assert_string_equal(json_string_value(json_object_get(m, "display")), "standalone");
	assert_string_equal(json_string_value(json_object_get(m, "lang")), "fr-CA");
	json_t *icons = json_object_get(m, "icons");
	const char *maskable = NULL;
	for (size_t i = 0; i < json_array_size(icons); i++) {
		json_t *p = json_object_get(json_array_get(icons, i), "purpose");
		if (p && strcmp(json_string_value(p), "maskable") == 0)
			maskable =
				json_string_value(json_object_get(json_array_get(icons, i), "src"));
	}
	assert_non_null(maskable);
	struct ts_resp icon = {0};
	assert_int_equal(web_get(&srv, NULL, maskable, &icon), 0);
	assert_int_equal(icon.status, 200);
	assert_string_equal(ts_header(&icon, "Content-Type", v, sizeof(v)), "image/png");
	ts_resp_free(&icon);
	json_decref(m);
	ts_resp_free(&r);
}

/* POST /api/v1/sync as b with body; the answer parsed into *out. */
static long sync_post(struct web_browser *b, const char *body, json_t **out)
{
	struct ts_resp r = {0};
	assert_int_equal(web_api(&srv, b, "POST", "/api/v1/sync", body, &r), 0);
	*out = json_loadb(r.body.data, r.body.len, 0, NULL);
	long st = r.status;
	ts_resp_free(&r);
	return st;
}

static const char *result_str(json_t *answer, size_t i, const char *key)
{
	json_t *r = json_array_get(json_object_get(answer, "results"), i);
	return json_string_value(json_object_get(r, key));
}

#define BATCH                                                                                  \
	"{\"account\": \"p1\", \"entries\": ["                                                 \
	"{\"key\": \"" KEY1 "\", \"form\": \"/journal/nouvelle\", \"fields\": ["               \
	"[\"date\", \"" TODAY "\"], [\"type\", \"contact_informel\"], [\"place\", \"parc\"], " \
	"[\"duration_min\", \"30\"], [\"counts.adults\", \"2\"]]},"                            \
	"{\"key\": \"" KEY2 "\", \"form\": \"/journal/nouvelle\", \"fields\": ["               \
	"[\"date\", \"" TODAY "\"], [\"place\", \"parc\"], [\"duration_min\", \"abc\"]]},"     \
	"{\"key\": \"" KEY3 "\", \"form\": \"/recits/nouveau\", \"fields\": ["                 \
	"[\"date\", \"" TODAY "\"], [\"text\", \"Une mère revient au parc.\"]]}]}"

/* Each entry gets its own result; sending the batch again writes nothing
 * more and answers the same. */
static void test_sync_each_entry_once(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	assert_int_equal(web_api(&srv, &pap1, "GET", "/api/v1/sync", NULL, &r), 0);
	web_assert_resp_at(__FILE__, __LINE__, "GET /api/v1/sync", &r, 200,
			   TEXTS("\"account\":\"p1\"", "\"csrf_token\":\"", "\"max_entries\":100",
				 "\"/journal?semaine=2026-11-23\"",
				 "\"/journal?semaine=2026-11-02\"",
				 "\"/api/v1/reference/activity_type\""),
			   NULL);
	ts_resp_free(&r);

	for (int round = 0; round < 2; round++) {
		json_t *a;
		assert_int_equal(sync_post(&pap1, BATCH, &a), 200);
		assert_string_equal(result_str(a, 0, "status"), "saved");
		assert_string_equal(result_str(a, 0, "id"), KEY1);
		assert_non_null(strstr(result_str(a, 0, "location"),
				       "/journal?semaine=" TODAY "&ok=cree#a-"));
		assert_string_equal(result_str(a, 1, "status"), "invalid");
		json_t *errs =
			json_object_get(json_array_get(json_object_get(a, "results"), 1), "errors");
		assert_int_equal(json_array_size(errs), 2);
		assert_string_equal(
			json_string_value(json_object_get(json_array_get(errs, 0), "field")),
			"duration_min");
		assert_string_equal(
			json_string_value(json_object_get(json_array_get(errs, 1), "field")),
			"type");
		assert_string_equal(result_str(a, 2, "status"), "saved");
		json_t *replayed = json_object_get(json_array_get(json_object_get(a, "results"), 0),
						   "replayed");
		assert_true(round ? json_is_true(replayed) : replayed == NULL);
		json_decref(a);
		assert_int_equal(count("SELECT count(*) FROM activity WHERE ext_id = '" KEY1
				       "' AND duration_min = 30"),
				 1);
		assert_int_equal(count("SELECT count(*) FROM activity WHERE ext_id = '" KEY2 "'"),
				 0);
		assert_int_equal(count("SELECT count(*) FROM story WHERE ext_id = '" KEY3 "'"), 1);
	}
	/* The answer forgotten (its time to live over), the record stays: its
	 * external id is the key, so the entry is still not written twice. */
	assert_int_equal(web_sql(srv.db, "DELETE FROM idempotency"), 0);
	json_t *a;
	assert_int_equal(sync_post(&pap1, BATCH, &a), 200);
	assert_string_equal(result_str(a, 0, "status"), "saved");
	json_decref(a);
	assert_int_equal(count("SELECT count(*) FROM activity WHERE ext_id = '" KEY1 "'"), 1);
	assert_int_equal(count("SELECT count(*) FROM story WHERE ext_id = '" KEY3 "'"), 1);
}

/* Another account's entries are never sent under this session; a signed
 * out phone gets a 401 and nothing is written. */
static void test_sync_only_the_signed_in_account(void **state)
{
	(void)state;
	long long before = count("SELECT count(*) FROM activity");
	json_t *a;
	assert_int_equal(sync_post(&pap2, BATCH, &a), 409);
	char *text = json_dumps(a, 0);
	assert_non_null(strstr(text, "appartiennent à un autre compte"));
	free(text);
	json_decref(a);
	struct ts_resp r = {0};
	const char *h[] = {"Content-Type: application/json", NULL};
	assert_int_equal(
		ts_http(NULL, "POST", ts_url(&srv, "/api/v1/sync"), h, BATCH, strlen(BATCH), &r),
		0);
	assert_true(r.status == 401 || r.status == 403);
	ts_resp_free(&r);
	assert_int_equal(count("SELECT count(*) FROM activity"), before);
	/* A form the outbox does not replay, and a malformed key. */
	assert_int_equal(
		sync_post(&pap1,
			  "{\"account\": \"p1\", \"entries\": ["
			  "{\"key\": \"k-0000000001\", \"form\": \"/familles/nouvelle\","
			  " \"fields\": []},"
			  "{\"key\": \"no\", \"form\": \"/journal/nouvelle\", \"fields\": []}]}",
			  &a),
		200);
	assert_string_equal(result_str(a, 0, "status"), "refused");
	assert_string_equal(result_str(a, 0, "field"), "form");
	assert_string_equal(result_str(a, 1, "field"), "key");
	json_decref(a);
}

/* The external id and ETag of the activity with ext id KEY1. */
static void etag_of(const char *ext, char *etag, size_t cap)
{
	char path[128], v[128];
	snprintf(path, sizeof(path), "/api/v1/activities/%s", ext);
	struct ts_resp r = {0};
	assert_int_equal(web_api(&srv, &pap1, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(ts_header(&r, "ETag", v, sizeof(v)));
	assert_true(v[0] == '"' && strlen(v) == 34);
	snprintf(etag, cap, "%s", v);
	ts_resp_free(&r);
}

/* PUT/PATCH with If-Match: an old ETag is refused (412) and nothing is
 * changed; the current one goes, and the ETag changes with the record. */
static void test_api_etag_if_match(void **state)
{
	(void)state;
	char tag[64], im[100];
	etag_of(KEY1, tag, sizeof(tag));
	assert_int_equal(web_sql(srv.db, "UPDATE activity SET duration_min = 35, updated_at = "
					 "updated_at + 1 WHERE ext_id = '" KEY1 "'"),
			 0);
	snprintf(im, sizeof(im), "If-Match: %s", tag);
	const char *h[] = {pap1.cookie, pap1.csrf_header, "Content-Type: application/json", im,
			   NULL};
	const char *patch = "{\"duration_min\": 50}";
	struct ts_resp r = {0};
	assert_int_equal(ts_http(NULL, "PATCH", ts_url(&srv, "/api/v1/activities/" KEY1), h, patch,
				 strlen(patch), &r),
			 0);
	web_assert_resp_at(__FILE__, __LINE__, "PATCH stale", &r, 412,
			   TEXTS("\"code\":\"precondition_failed\"", "\"field\":\"If-Match\""),
			   NULL);
	ts_resp_free(&r);
	assert_int_equal(count("SELECT duration_min FROM activity WHERE ext_id = '" KEY1 "'"), 35);

	char now[64];
	etag_of(KEY1, now, sizeof(now));
	assert_string_not_equal(now, tag);
	snprintf(im, sizeof(im), "If-Match: %s", now);
	memset(&r, 0, sizeof(r));
	assert_int_equal(ts_http(NULL, "PATCH", ts_url(&srv, "/api/v1/activities/" KEY1), h, patch,
				 strlen(patch), &r),
			 0);
	assert_int_equal(r.status, 200);
	char after[64];
	assert_non_null(ts_header(&r, "ETag", after, sizeof(after)));
	assert_string_not_equal(after, now);
	ts_resp_free(&r);
	assert_int_equal(count("SELECT duration_min FROM activity WHERE ext_id = '" KEY1 "'"), 50);
}

/* An edit kept on the phone while the activity changed elsewhere: the
 * sync answers a conflict and changes nothing; the edit page's own POST
 * with an old version shows the conflict (409) and changes nothing. */
static void test_edit_conflicts(void **state)
{
	(void)state;
	char id[32], tag[64], body[1024];
	web_sql_text(srv.db, "SELECT id FROM activity WHERE ext_id = '" KEY1 "'", id, sizeof(id));
	etag_of(KEY1, tag, sizeof(tag));
	assert_int_equal(web_sql(srv.db, "UPDATE activity SET duration_min = 60, updated_at = "
					 "updated_at + 1 WHERE ext_id = '" KEY1 "'"),
			 0);
	/* The ETag's quotes, escaped for JSON. */
	snprintf(body, sizeof(body),
		 "{\"account\": \"p1\", \"entries\": [{\"key\": \"edit-00000001\", \"form\": "
		 "\"/journal/%s/modifier\", \"fields\": [[\"version\", \"\\\"%.32s\\\"\"], "
		 "[\"date\", \"" TODAY "\"], [\"type\", \"contact_informel\"], "
		 "[\"duration_min\", \"90\"]]}]}",
		 id, tag + 1);
	json_t *a;
	assert_int_equal(sync_post(&pap1, body, &a), 200);
	assert_string_equal(result_str(a, 0, "status"), "conflict");
	char where[64];
	snprintf(where, sizeof(where), "/journal/%s/modifier", id);
	assert_string_equal(result_str(a, 0, "location"), where);
	json_decref(a);
	assert_int_equal(count("SELECT duration_min FROM activity WHERE ext_id = '" KEY1 "'"), 60);

	const char *kv[] = {"version",      tag,  "date", TODAY, "type", "contact_informel",
			    "duration_min", "91", NULL};
	expect_post(&srv, &pap1, where, kv, 409,
		    TEXTS("modifiée ailleurs depuis que vous avez ouvert ce formulaire",
			  "name=\"duration_min\" value=\"91\""),
		    NULL);
	assert_int_equal(count("SELECT duration_min FROM activity WHERE ext_id = '" KEY1 "'"), 60);
	/* The other account's PAP cannot replay an edit of it at all. */
	snprintf(body, sizeof(body),
		 "{\"account\": \"p3\", \"entries\": [{\"key\": \"edit-00000002\", \"form\": "
		 "\"/journal/%s/modifier\", \"fields\": [[\"duration_min\", \"5\"]]}]}",
		 id);
	assert_int_equal(sync_post(&other, body, &a), 200);
	assert_string_equal(result_str(a, 0, "status"), "refused");
	json_decref(a);
	assert_int_equal(count("SELECT duration_min FROM activity WHERE ext_id = '" KEY1 "'"), 60);
}

static void test_sign_out_clears_the_cache(void **state)
{
	(void)state;
	struct web_browser b;
	assert_int_equal(web_login(&srv, &b, "pap2@a.test", PASSWORD), 0);
	const char *kv[] = {NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, &b, "/deconnexion", kv, &r), 0);
	char v[64];
	assert_int_equal(r.status, 303);
	assert_string_equal(ts_header(&r, "Clear-Site-Data", v, sizeof(v)), "\"cache\"");
	ts_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_is_no_store_but_the_field_pages),
		cmocka_unit_test(test_service_worker_and_manifest),
		cmocka_unit_test(test_sync_each_entry_once),
		cmocka_unit_test(test_sync_only_the_signed_in_account),
		cmocka_unit_test(test_api_etag_if_match),
		cmocka_unit_test(test_edit_conflicts),
		cmocka_unit_test(test_sign_out_clears_the_cache),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
