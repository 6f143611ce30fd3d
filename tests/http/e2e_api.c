/* End-to-end tests of the JSON API (/api/v1) against a real "proxima
 * serve": what an integration or the browser's scripts would notice. The
 * set-up creates a territory, two organisations and accounts directly in a
 * fresh database (there is no import yet), adds the accounts with
 * "proxima user add" and bearer tokens with "proxima token create", then
 * starts one server for the whole group. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "support/server.h"
#include "support/web.h"

static struct ts_server srv;

#define PASSWORD "un-mot-de-passe-de-test"

/* The accounts of the set-up and their bearer tokens. */
enum who { PAP1, PAP2, PAPX, PAGER, COMITE, MANAGER, NWHO };
static const struct {
	const char *email, *role, *org;
} people[NWHO] = {
	[PAP1] = {"pap1@org-a.qc.ca", "pap", "ORG-A"},
	[PAP2] = {"pap2@org-a.qc.ca", "pap", "ORG-A"},
	[PAPX] = {"papx@org-b.qc.ca", "pap", "ORG-B"},
	[PAGER] = {"pager@org-a.qc.ca", "pap", "ORG-A"},
	[COMITE] = {"comite@table.qc.ca", "comite", NULL},
	[MANAGER] = {"gestion@org-a.qc.ca", "gestionnaire", "ORG-A"},
};
static char tokens[NWHO][64];

/* ---- set-up helpers */

/* A bearer token named "tests" for email (web_token_create) into out;
 * -1 unless it is 43 characters long. */
static int token_create(const char *email, char *out, size_t cap)
{
	if (web_token_create(srv.db, email, "tests", out, cap) < 0 || strlen(out) != 43)
		return -1;
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	if (i18n_init() < 0)
		return -1;
	if (web_suite_prepare(
		    &srv, NULL,
		    "INSERT INTO territory (ext_id, name, type) VALUES ('T-1', 'Territoire 1', "
		    "'urbain');"
		    "INSERT INTO organisation (ext_id, name, sector_id) VALUES "
		    "('ORG-A', 'CLSC A', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		    "('ORG-B', 'Organisme B', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		    "INSERT INTO organisation_territory (organisation_id, territory_id) "
		    "SELECT o.id, t.id FROM organisation o, territory t;") < 0)
		return -1;
	for (int i = 0; i < NWHO; i++) {
		if (web_add_user(srv.db, people[i].email, people[i].email, people[i].role,
				 people[i].org, "T-1", PASSWORD) < 0)
			return -1;
		if (token_create(people[i].email, tokens[i], sizeof(tokens[i])) < 0)
			return -1;
	}
	return ts_server_start(&srv, NULL);
}

static int group_teardown(void **state)
{
	(void)state;
	int rc = web_suite_stop(&srv);
	if (rc != 0) {
		fprintf(stderr, "server exit status %d, expected 0\n", rc);
		ts_server_dump_stderr(&srv);
	}
	return rc == 0 ? 0 : -1;
}

/* ---- request helpers */

/* One request to the API. auth: a bearer token, or NULL. extra: more
 * headers (NULL-terminated) or NULL. Returns the parsed JSON body (NULL
 * when empty or not JSON; the caller decrefs) and fills r. */
static json_t *call(const char *method, const char *path, const char *auth, const char *body,
		    const char *const *extra, struct ts_resp *r)
{
	const char *h[16];
	size_t n = 0;
	char a[128];
	if (auth) {
		snprintf(a, sizeof(a), "Authorization: Bearer %s", auth);
		h[n++] = a;
	}
	if (body)
		h[n++] = WEB_JSON_CT;
	for (size_t i = 0; extra && extra[i] && n + 1 < 16; i++)
		h[n++] = extra[i];
	h[n] = NULL;
	if (ts_http(NULL, method, ts_url(&srv, path), h, body, body ? strlen(body) : 0, r) < 0)
		fail_msg("%s %s: no HTTP response", method, path);
	return r->body.len ? json_loads(r->body.data, 0, NULL) : NULL;
}

/* Same, for a request whose response is not needed beyond its status. */
static long status_of(const char *method, const char *path, const char *auth, const char *body)
{
	struct ts_resp r;
	json_t *j = call(method, path, auth, body, NULL, &r);
	long st = r.status;
	json_decref(j);
	ts_resp_free(&r);
	return st;
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("'%s' is not an integer", key);
	return json_integer_value(v);
}

/* The error envelope's field, code and message. */
static json_t *err_of(json_t *body)
{
	json_t *e = json_object_get(body, "error");
	if (!json_is_object(e))
		fail_msg("no error envelope");
	return e;
}

static void expect_status(const struct ts_resp *r, long want)
{
	if (r->status != want)
		fail_msg("status %ld, expected %ld; body: %s", r->status, want, r->body.data);
}

/* The five fields of the 30-second entry. */
#define FIVE_FIELDS                                                                   \
	"{\"date\":\"2025-01-10\",\"duration_min\":30,\"type\":\"contact_informel\"," \
	"\"place\":\"parc\",\"counts\":{\"adults\":2}}"

/* Creates an activity as who with body; returns its id (malloc'd). */
static char *create(enum who w, const char *body)
{
	struct ts_resp r;
	json_t *j = call("POST", "/api/v1/activities", tokens[w], body, NULL, &r);
	expect_status(&r, 201);
	char *id = strdup(jstr(j, "id"));
	json_decref(j);
	ts_resp_free(&r);
	return id;
}

static char *path_of(const char *kind, const char *id)
{
	char *p;
	if (asprintf(&p, "/api/v1/%s/%s", kind, id) < 0)
		abort();
	return p;
}

/* ---- tests */

static void test_me_with_bearer_token(void **state)
{
	(void)state;
	struct ts_resp r;
	json_t *j = call("GET", "/api/v1/me", tokens[PAP1], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_string_equal(jstr(j, "email"), people[PAP1].email);
	assert_string_equal(jstr(j, "role"), "pap");
	assert_string_equal(jstr(j, "organisation"), "ORG-A");
	assert_string_equal(jstr(j, "auth"), "bearer");
	json_decref(j);
	ts_resp_free(&r);
}

static void test_create_five_fields_with_bearer(void **state)
{
	(void)state;
	struct ts_resp r;
	json_t *j = call("POST", "/api/v1/activities", tokens[PAP1], FIVE_FIELDS, NULL, &r);
	expect_status(&r, 201);
	char ct[128];
	assert_non_null(ts_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/json");
	assert_true(strncmp(jstr(j, "id"), "act-", 4) == 0);
	assert_string_equal(jstr(j, "author"), people[PAP1].email);
	assert_string_equal(jstr(j, "organisation"), "ORG-A");
	assert_string_equal(jstr(j, "territory"), "T-1");
	assert_string_equal(jstr(j, "date"), "2025-01-10");
	assert_int_equal(jint(j, "duration_min"), 30);
	assert_string_equal(jstr(j, "place"), "parc");
	assert_int_equal(jint(json_object_get(j, "counts"), "adults"), 2);
	/* The component comes from the type (domain.md). */
	json_t *c = json_object_get(j, "components");
	assert_int_equal(json_array_size(c), 1);
	assert_string_equal(json_string_value(json_array_get(c, 0)), "demarchage");
	/* It can be read back at its address. */
	char *p = path_of("activities", jstr(j, "id"));
	assert_int_equal(status_of("GET", p, tokens[PAP1], NULL), 200);
	free(p);
	json_decref(j);
	ts_resp_free(&r);
}

static void test_create_with_session_and_csrf(void **state)
{
	(void)state;
	struct web_browser b;
	assert_int_equal(web_login(&srv, &b, people[PAP1].email, PASSWORD), 0);
	struct ts_resp r;
	const char *h[] = {b.cookie, NULL};
	json_t *j = call("GET", "/api/v1/me", NULL, NULL, h, &r);
	expect_status(&r, 200);
	assert_string_equal(jstr(j, "auth"), "session");
	json_decref(j);
	ts_resp_free(&r);

	const char *hw[] = {b.cookie, b.csrf_header, NULL};
	j = call("POST", "/api/v1/activities", NULL, FIVE_FIELDS, hw, &r);
	expect_status(&r, 201);
	assert_string_equal(jstr(j, "author"), people[PAP1].email);
	json_decref(j);
	ts_resp_free(&r);

	/* The same session without the CSRF token is refused. */
	j = call("POST", "/api/v1/activities", NULL, FIVE_FIELDS, h, &r);
	expect_status(&r, 403);
	assert_string_equal(jstr(err_of(j), "code"), "forbidden");
	assert_string_equal(jstr(err_of(j), "field"), "csrf_token");
	json_decref(j);
	ts_resp_free(&r);
}

static void test_post_without_csrf_or_bearer_is_403(void **state)
{
	(void)state;
	long before = web_sql_count(srv.db, "SELECT count(*) FROM activity");
	struct ts_resp r;
	json_t *j = call("POST", "/api/v1/activities", NULL, FIVE_FIELDS, NULL, &r);
	expect_status(&r, 403);
	assert_string_equal(jstr(err_of(j), "code"), "forbidden");
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before);
	/* Reads need a person too. */
	assert_int_equal(status_of("GET", "/api/v1/activities", NULL, NULL), 401);
}

static void test_list_with_paging_and_filters(void **state)
{
	(void)state;
	free(create(PAGER, "{\"date\":\"2025-02-01\",\"duration_min\":10,\"type\":\"liaison\"}"));
	free(create(PAGER,
		    "{\"date\":\"2025-02-02\",\"duration_min\":20,\"type\":\"demarchage\"}"));
	free(create(PAGER, "{\"date\":\"2025-02-03\",\"duration_min\":30,\"type\":\"liaison\"}"));
	struct ts_resp r;
	json_t *j = call("GET", "/api/v1/activities?limit=2", tokens[PAGER], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_int_equal(jint(j, "total"), 3);
	assert_int_equal(jint(j, "limit"), 2);
	assert_int_equal(jint(j, "offset"), 0);
	json_t *items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 2);
	/* Newest first. */
	assert_string_equal(jstr(json_array_get(items, 0), "date"), "2025-02-03");
	assert_string_equal(jstr(json_array_get(items, 1), "date"), "2025-02-02");
	json_decref(j);
	ts_resp_free(&r);

	j = call("GET", "/api/v1/activities?limit=2&offset=2", tokens[PAGER], NULL, NULL, &r);
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(jstr(json_array_get(items, 0), "date"), "2025-02-01");
	assert_int_equal(jint(j, "total"), 3);
	json_decref(j);
	ts_resp_free(&r);

	j = call("GET", "/api/v1/activities?type=liaison&from=2025-02-02&to=2025-02-28",
		 tokens[PAGER], NULL, NULL, &r);
	assert_int_equal(jint(j, "total"), 1);
	assert_string_equal(jstr(json_array_get(json_object_get(j, "items"), 0), "date"),
			    "2025-02-03");
	json_decref(j);
	ts_resp_free(&r);

	/* A PAP filtering on another author gets nothing, not their own. */
	char q[256];
	snprintf(q, sizeof(q), "/api/v1/activities?author=%s", people[PAP1].email);
	j = call("GET", q, tokens[PAGER], NULL, NULL, &r);
	assert_int_equal(jint(j, "total"), 0);
	json_decref(j);
	ts_resp_free(&r);

	j = call("GET", "/api/v1/activities?limit=0", tokens[PAGER], NULL, NULL, &r);
	expect_status(&r, 400);
	assert_string_equal(jstr(err_of(j), "field"), "limit");
	json_decref(j);
	ts_resp_free(&r);
	j = call("GET", "/api/v1/activities?from=2025-13-01", tokens[PAGER], NULL, NULL, &r);
	expect_status(&r, 400);
	assert_string_equal(jstr(err_of(j), "field"), "from");
	json_decref(j);
	ts_resp_free(&r);
}

static void test_edit_with_put_and_patch(void **state)
{
	(void)state;
	char *id = create(PAP1, FIVE_FIELDS);
	char *p = path_of("activities", id);
	struct ts_resp r;
	json_t *j = call("PUT", p, tokens[PAP1],
			 "{\"date\":\"2025-01-11\",\"duration_min\":45,\"type\":\"accompagnement\","
			 "\"needs\":[\"logement\"],\"indirect\":{\"deplacement\":20}}",
			 NULL, &r);
	expect_status(&r, 200);
	assert_string_equal(jstr(j, "id"), id);
	assert_int_equal(jint(j, "duration_min"), 45);
	/* A full replacement: the place not sent is gone. */
	assert_true(json_is_null(json_object_get(j, "place")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "components"), 0)),
			    "accompagnement");
	json_decref(j);
	ts_resp_free(&r);

	j = call("PATCH", p, tokens[PAP1],
		 "{\"note\":\"Rencontre au parc\",\"indirect\":{\"redaction\":15}}", NULL, &r);
	expect_status(&r, 200);
	assert_string_equal(jstr(j, "note"), "Rencontre au parc");
	assert_int_equal(jint(j, "duration_min"), 45);
	assert_int_equal(jint(json_object_get(j, "indirect"), "deplacement"), 20);
	assert_int_equal(jint(json_object_get(j, "indirect"), "redaction"), 15);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "needs"), 0)),
			    "logement");
	json_decref(j);
	ts_resp_free(&r);

	/* What was saved is what a later read shows. */
	j = call("GET", p, tokens[PAP1], NULL, NULL, &r);
	assert_string_equal(jstr(j, "note"), "Rencontre au parc");
	assert_string_equal(jstr(j, "date"), "2025-01-11");
	json_decref(j);
	ts_resp_free(&r);

	/* The body's id must match the address. */
	j = call("PUT", p, tokens[PAP1],
		 "{\"id\":\"autre\",\"date\":\"2025-01-11\",\"duration_min\":45,\"type\":"
		 "\"liaison\"}",
		 NULL, &r);
	expect_status(&r, 422);
	assert_string_equal(jstr(err_of(j), "field"), "id");
	json_decref(j);
	ts_resp_free(&r);
	free(p);
	free(id);
}

static void test_delete_then_404(void **state)
{
	(void)state;
	char *id = create(PAP1, FIVE_FIELDS);
	char *p = path_of("activities", id);
	struct ts_resp r;
	json_t *j = call("DELETE", p, tokens[PAP1], NULL, NULL, &r);
	expect_status(&r, 204);
	assert_null(j);
	assert_int_equal(r.body.len, 0);
	ts_resp_free(&r);
	assert_int_equal(status_of("GET", p, tokens[PAP1], NULL), 404);
	assert_int_equal(status_of("DELETE", p, tokens[PAP1], NULL), 404);
	assert_int_equal(status_of("PUT", p, tokens[PAP1], FIVE_FIELDS), 404);
	/* Soft: the row stays, marked deleted, out of the lists. */
	char q[256];
	snprintf(q, sizeof(q), "SELECT deleted_at IS NOT NULL FROM activity WHERE ext_id = '%s'",
		 id);
	assert_int_equal(web_sql_count(srv.db, q), 1);
	j = call("GET", "/api/v1/activities?limit=1000", tokens[PAP1], NULL, NULL, &r);
	assert_false(strstr(r.body.data, id));
	json_decref(j);
	ts_resp_free(&r);
	free(p);
	free(id);
}

static void test_same_idempotency_key_twice(void **state)
{
	(void)state;
	const char *key[] = {"Idempotency-Key: essai-1234", NULL};
	long before = web_sql_count(srv.db, "SELECT count(*) FROM activity");
	struct ts_resp r1, r2;
	json_t *a = call("POST", "/api/v1/activities", tokens[PAP1], FIVE_FIELDS, key, &r1);
	json_t *b = call("POST", "/api/v1/activities", tokens[PAP1], FIVE_FIELDS, key, &r2);
	expect_status(&r1, 201);
	expect_status(&r2, 201);
	assert_string_equal(r1.body.data, r2.body.data);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + 1);
	assert_int_equal(
		web_sql_count(srv.db, "SELECT count(*) FROM idempotency WHERE key = 'essai-1234'"),
		1);
	char v[16];
	assert_non_null(ts_header(&r2, "Idempotent-Replayed", v, sizeof(v)));
	json_decref(a);
	json_decref(b);
	ts_resp_free(&r1);
	ts_resp_free(&r2);

	/* The same key on another address: refused, clearly. */
	char *p = path_of("activities", "act-quelconque");
	json_t *j = call("PUT", p, tokens[PAP1], FIVE_FIELDS, key, &r1);
	expect_status(&r1, 422);
	assert_string_equal(jstr(err_of(j), "field"), "Idempotency-Key");
	assert_non_null(strstr(jstr(err_of(j), "message"), "idempotence"));
	json_decref(j);
	ts_resp_free(&r1);
	free(p);

	/* Keys belong to a person: another person's same key is a new write. */
	j = call("POST", "/api/v1/activities", tokens[PAP2], FIVE_FIELDS, key, &r1);
	expect_status(&r1, 201);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + 2);
	json_decref(j);
	ts_resp_free(&r1);

	/* A DELETE replayed answers the same 204. */
	char *id = create(PAP1, FIVE_FIELDS);
	p = path_of("activities", id);
	const char *dkey[] = {"Idempotency-Key: suppression-1", NULL};
	j = call("DELETE", p, tokens[PAP1], NULL, dkey, &r1);
	expect_status(&r1, 204);
	ts_resp_free(&r1);
	j = call("DELETE", p, tokens[PAP1], NULL, dkey, &r1);
	expect_status(&r1, 204);
	ts_resp_free(&r1);
	free(p);
	free(id);

	/* A key that is not 1-200 printable ASCII characters. */
	char long_key[260] = "Idempotency-Key: ";
	memset(long_key + strlen(long_key), 'k', 201);
	const char *bad[] = {long_key, NULL};
	j = call("POST", "/api/v1/activities", tokens[PAP1], FIVE_FIELDS, bad, &r1);
	expect_status(&r1, 400);
	assert_string_equal(jstr(err_of(j), "field"), "Idempotency-Key");
	json_decref(j);
	ts_resp_free(&r1);
}

/* A key kept more than 24 hours has expired, whether or not the
 * housekeeping has purged it yet: the same key is a new write, and its new
 * answer replaces the old one. */
static void test_expired_idempotency_key_is_a_new_write(void **state)
{
	(void)state;
	const char *key[] = {"Idempotency-Key: hier-1", NULL};
	struct ts_resp r;
	json_t *j = call("POST", "/api/v1/activities", tokens[PAP1], FIVE_FIELDS, key, &r);
	expect_status(&r, 201);
	json_decref(j);
	ts_resp_free(&r);
	long before = web_sql_count(srv.db, "SELECT count(*) FROM activity");
	assert_int_equal(web_sql(srv.db, "UPDATE idempotency SET created_at = created_at - 86401 "
					 "WHERE key = 'hier-1'"),
			 0);
	j = call("POST", "/api/v1/activities", tokens[PAP1], FIVE_FIELDS, key, &r);
	expect_status(&r, 201);
	char v[16];
	assert_null(ts_header(&r, "Idempotent-Replayed", v, sizeof(v)));
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + 1);
	/* Replayed from now on. */
	j = call("POST", "/api/v1/activities", tokens[PAP1], FIVE_FIELDS, key, &r);
	expect_status(&r, 201);
	assert_non_null(ts_header(&r, "Idempotent-Replayed", v, sizeof(v)));
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + 1);
}

static void test_validation_error_names_the_field_in_both_languages(void **state)
{
	(void)state;
	static const char msgid[] = "Entrez un nombre de minutes entre 0 et 1440.";
	const char *body = "{\"date\":\"2025-01-10\",\"duration_min\":5000,\"type\":\"liaison\"}";
	struct ts_resp r;
	json_t *j = call("POST", "/api/v1/activities", tokens[PAP1], body, NULL, &r);
	expect_status(&r, 422);
	json_t *e = err_of(j);
	assert_string_equal(jstr(e, "code"), "validation_failed");
	assert_string_equal(jstr(e, "field"), "duration_min");
	assert_string_equal(jstr(e, "message"), msgid);
	json_t *all = json_object_get(e, "errors");
	assert_true(json_array_size(all) >= 1);
	assert_string_equal(jstr(json_array_get(all, 0), "field"), "duration_min");
	json_decref(j);
	ts_resp_free(&r);

	const char *en[] = {"Accept-Language: en-CA,en;q=0.9", NULL};
	j = call("POST", "/api/v1/activities", tokens[PAP1], body, en, &r);
	expect_status(&r, 422);
	e = err_of(j);
	assert_string_equal(jstr(e, "field"), "duration_min");
	/* The English catalogue's text (po/en.po); the French msgid until it
	 * is translated there. */
	assert_string_equal(jstr(e, "message"), i18n_tr("en", msgid));
	json_decref(j);
	ts_resp_free(&r);

	/* Errors from the reference lists name their field too. */
	j = call("POST", "/api/v1/activities", tokens[PAP1],
		 "{\"date\":\"2025-01-10\",\"duration_min\":5,\"type\":\"liaison\",\"place\":"
		 "\"lune\"}",
		 NULL, &r);
	expect_status(&r, 422);
	assert_string_equal(jstr(err_of(j), "field"), "place");
	json_decref(j);
	ts_resp_free(&r);
}

static void test_wrong_json_type_is_422_naming_the_field(void **state)
{
	(void)state;
	static const struct {
		const char *body, *field;
	} cases[] = {
		{"{\"date\":\"2025-01-10\",\"duration_min\":\"30\",\"type\":\"liaison\"}",
		 "duration_min"},
		{"{\"date\":\"2025-01-10\",\"duration_min\":30.5,\"type\":\"liaison\"}",
		 "duration_min"},
		{"{\"date\":20250110,\"duration_min\":30,\"type\":\"liaison\"}", "date"},
		{"{\"date\":\"2025-01-10\",\"duration_min\":30,\"type\":\"liaison\","
		 "\"counts\":{\"adults\":\"deux\"}}",
		 "counts.adults"},
		{"{\"date\":\"2025-01-10\",\"duration_min\":30,\"type\":\"liaison\",\"unplanned\":"
		 "\"oui\"}",
		 "unplanned"},
		{"{\"date\":\"2025-01-10\",\"duration_min\":30,\"type\":\"liaison\",\"needs\":"
		 "\"logement\"}",
		 "needs"},
		{"{\"date\":\"2025-01-10\",\"duration_min\":30,\"type\":\"liaison\",\"duree\":30}",
		 "duree"},
	};
	long before = web_sql_count(srv.db, "SELECT count(*) FROM activity");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ts_resp r;
		json_t *j =
			call("POST", "/api/v1/activities", tokens[PAP1], cases[i].body, NULL, &r);
		if (r.status != 422 || !j || strcmp(jstr(err_of(j), "field"), cases[i].field) != 0)
			fail_msg("%s: status %ld body %s, expected 422 naming %s", cases[i].body,
				 r.status, r.body.data, cases[i].field);
		json_decref(j);
		ts_resp_free(&r);
	}
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before);
}

static void test_invalid_json_is_400(void **state)
{
	(void)state;
	static const char *const bodies[] = {"{\"date\":", "[1, 2]", "not json", "{} {}"};
	for (size_t i = 0; i < 4; i++) {
		struct ts_resp r;
		json_t *j = call("POST", "/api/v1/activities", tokens[PAP1], bodies[i], NULL, &r);
		if (r.status != 400 || strcmp(jstr(err_of(j), "code"), "invalid_request") != 0)
			fail_msg("%s: status %ld, expected 400", bodies[i], r.status);
		json_decref(j);
		ts_resp_free(&r);
	}
	/* Not JSON at all: 415. */
	struct ts_resp r;
	char a[128];
	snprintf(a, sizeof(a), "Authorization: Bearer %s", tokens[PAP1]);
	const char *h[] = {a, "Content-Type: text/plain", NULL};
	assert_int_equal(ts_http(NULL, "POST", ts_url(&srv, "/api/v1/activities"), h, "{}", 2, &r),
			 0);
	expect_status(&r, 415);
	ts_resp_free(&r);
}

static void test_other_organisation_gets_404(void **state)
{
	(void)state;
	char *id = create(PAP1, FIVE_FIELDS);
	char *p = path_of("activities", id);
	static const char *const methods[] = {"GET", "PUT", "PATCH", "DELETE"};
	for (size_t i = 0; i < 4; i++) {
		const char *body = strcmp(methods[i], "GET") && strcmp(methods[i], "DELETE")
					   ? FIVE_FIELDS
					   : NULL;
		struct ts_resp r;
		json_t *j = call(methods[i], p, tokens[PAPX], body, NULL, &r);
		if (r.status != 404 || strcmp(jstr(err_of(j), "code"), "not_found") != 0)
			fail_msg("%s %s by another organisation: %ld", methods[i], p, r.status);
		json_decref(j);
		ts_resp_free(&r);
		/* A colleague of the same organisation sees only their own entries. */
		assert_int_equal(status_of(methods[i], p, tokens[PAP2], body), 404);
	}
	/* Still there, unchanged, for its author. */
	struct ts_resp r;
	json_t *j = call("GET", p, tokens[PAP1], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_int_equal(jint(j, "duration_min"), 30);
	json_decref(j);
	ts_resp_free(&r);
	free(p);
	free(id);

	/* Families the same way. */
	j = call("POST", "/api/v1/families", tokens[PAP1],
		 "{\"id\":\"fam-visibilite\",\"code\":\"V-001\",\"opened\":\"2025-01-02\"}", NULL,
		 &r);
	expect_status(&r, 201);
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(status_of("GET", "/api/v1/families/fam-visibilite", tokens[PAPX], NULL),
			 404);
	assert_int_equal(status_of("GET", "/api/v1/families/fam-visibilite", tokens[PAP2], NULL),
			 200);
	j = call("GET", "/api/v1/families", tokens[PAPX], NULL, NULL, &r);
	assert_null(strstr(r.body.data, "fam-visibilite"));
	json_decref(j);
	ts_resp_free(&r);
	/* Nor can another organisation link it to an activity. */
	j = call("POST", "/api/v1/activities", tokens[PAPX],
		 "{\"date\":\"2025-01-10\",\"duration_min\":5,\"type\":\"liaison\","
		 "\"families\":[\"fam-visibilite\"]}",
		 NULL, &r);
	expect_status(&r, 422);
	assert_string_equal(jstr(err_of(j), "field"), "families");
	json_decref(j);
	ts_resp_free(&r);
}

static void test_comite_sees_empty_lists(void **state)
{
	(void)state;
	char *id = create(PAP1, FIVE_FIELDS);
	char *p = path_of("activities", id);
	struct ts_resp r;
	json_t *j = call("GET", "/api/v1/activities", tokens[COMITE], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	assert_int_equal(jint(j, "total"), 0);
	json_decref(j);
	ts_resp_free(&r);
	j = call("GET", "/api/v1/families", tokens[COMITE], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_int_equal(jint(j, "total"), 0);
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(status_of("GET", p, tokens[COMITE], NULL), 404);
	assert_int_equal(status_of("DELETE", p, tokens[COMITE], NULL), 404);
	assert_int_equal(status_of("POST", "/api/v1/activities", tokens[COMITE], FIVE_FIELDS), 403);
	free(p);
	free(id);
}

static void test_unknown_bearer_is_401(void **state)
{
	(void)state;
	static const char *const paths[] = {"/api/v1/me", "/api/v1/activities", "/", "/healthz"};
	for (size_t i = 0; i < 4; i++) {
		struct ts_resp r;
		json_t *j = call("GET", paths[i], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
				 NULL, NULL, &r);
		if (r.status != 401 || !j ||
		    strcmp(jstr(err_of(j), "code"), "unauthenticated") != 0)
			fail_msg("%s with an unknown token: %ld %s", paths[i], r.status,
				 r.body.data);
		json_decref(j);
		ts_resp_free(&r);
	}
	assert_int_equal(status_of("POST", "/api/v1/activities", "pas-un-jeton", FIVE_FIELDS), 401);
}

static void test_revoked_token_is_401(void **state)
{
	(void)state;
	char tok[64], out[2048], err[512];
	assert_int_equal(token_create(people[PAP1].email, tok, sizeof(tok)), 0);
	assert_int_equal(status_of("GET", "/api/v1/me", tok, NULL), 200);
	long long id = web_sql_count(srv.db, "SELECT max(id) FROM api_token");
	char ids[32];
	snprintf(ids, sizeof(ids), "%lld", id);
	const char *list[] = {"token", "list", "--db", srv.db, NULL};
	assert_int_equal(ts_run(list, TS_START_TIMEOUT_MS, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, people[PAP1].email));
	assert_null(strstr(out, tok)); /* never shown again */
	const char *revoke[] = {"token", "revoke", "--db", srv.db, "--id", ids, NULL};
	assert_int_equal(ts_run(revoke, TS_START_TIMEOUT_MS, out, sizeof(out), err, sizeof(err)),
			 0);
	assert_int_equal(status_of("GET", "/api/v1/me", tok, NULL), 401);
	assert_int_equal(status_of("POST", "/api/v1/activities", tok, FIVE_FIELDS), 401);
	/* Only the hash is stored. */
	assert_int_equal(
		web_sql_count(srv.db,
			      "SELECT count(*) FROM api_token WHERE length(token_hash) = 32"),
		web_sql_count(srv.db, "SELECT count(*) FROM api_token"));
	/* Revoking twice says so. */
	assert_int_equal(ts_run(revoke, TS_START_TIMEOUT_MS, out, sizeof(out), err, sizeof(err)),
			 1);
}

static void test_nominative_details_only_for_the_follower(void **state)
{
	(void)state;
	struct ts_resp r;
	json_t *j = call(
		"POST", "/api/v1/families", tokens[PAP1],
		"{\"id\":\"fam-nominative\",\"code\":\"N-001\",\"opened\":\"2025-01-05\","
		"\"consent\":{\"date\":\"2025-01-05\",\"language\":\"fr\",\"scopes\":[\"suivi\"]},"
		"\"nominative\":{\"name\":\"Marie Tremblay\",\"phone\":\"514-555-0199\","
		"\"address\":\"12 rue des Érables\"}}",
		NULL, &r);
	expect_status(&r, 201);
	assert_string_equal(jstr(j, "follower"), people[PAP1].email);
	assert_true(json_is_true(json_object_get(j, "has_nominative")));
	assert_null(strstr(r.body.data, "Tremblay"));
	json_decref(j);
	ts_resp_free(&r);
	/* Stored encrypted. */
	assert_int_equal(
		web_sql_count(srv.db,
			      "SELECT count(*) FROM family WHERE ext_id = 'fam-nominative' "
			      "AND instr(nominative, 'Tremblay') = 0 AND nominative IS NOT NULL"),
		1);
	const char *reads = "SELECT count(*) FROM audit_log a JOIN family f ON f.id = a.object_id "
			    "WHERE f.ext_id = 'fam-nominative' AND a.action = 'read'";
	assert_int_equal(web_sql_count(srv.db, reads), 0);

	/* The follower: details, one access-log row per read, with the purpose. */
	j = call("GET", "/api/v1/families/fam-nominative", tokens[PAP1], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_string_equal(jstr(json_object_get(j, "nominative"), "name"), "Marie Tremblay");
	assert_string_equal(jstr(json_object_get(j, "nominative"), "address"),
			    "12 rue des Érables");
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, reads), 1);
	j = call("GET", "/api/v1/families/fam-nominative?purpose=reference", tokens[PAP1], NULL,
		 NULL, &r);
	expect_status(&r, 200);
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, reads), 2);
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM audit_log WHERE action = 'read' AND "
				       "purpose = 'consultation'"),
			 1);
	assert_int_equal(web_sql_count(srv.db,
				       "SELECT count(*) FROM audit_log WHERE action = 'read' AND "
				       "purpose = 'reference'"),
			 1);

	/* A colleague of the same organisation: the record, not the details,
	 * and nothing read, so nothing logged. */
	j = call("GET", "/api/v1/families/fam-nominative", tokens[PAP2], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_string_equal(jstr(j, "code"), "N-001");
	assert_null(json_object_get(j, "nominative"));
	assert_null(strstr(r.body.data, "Tremblay"));
	assert_null(strstr(r.body.data, "514-555"));
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, reads), 2);

	/* Lists never carry them. */
	j = call("GET", "/api/v1/families", tokens[PAP1], NULL, NULL, &r);
	assert_null(strstr(r.body.data, "Tremblay"));
	json_decref(j);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, reads), 2);

	/* A bad purpose is refused before anything is read. */
	assert_int_equal(
		status_of("GET", "/api/v1/families/fam-nominative?purpose=", tokens[PAP1], NULL),
		400);
	assert_int_equal(web_sql_count(srv.db, reads), 2);
}

/* Retries of one write racing each other: still one record. */
#define RACERS 6
static const char *race_body = FIVE_FIELDS;

static void *race_one(void *arg)
{
	struct ts_resp *r = arg;
	char a[128];
	snprintf(a, sizeof(a), "Authorization: Bearer %s", tokens[PAP2]);
	const char *h[] = {a, WEB_JSON_CT, "Idempotency-Key: course-1", NULL};
	ts_http(NULL, "POST", ts_url(&srv, "/api/v1/activities"), h, race_body, strlen(race_body),
		r);
	return NULL;
}

static void test_concurrent_retries_create_one_record(void **state)
{
	(void)state;
	long before = web_sql_count(srv.db, "SELECT count(*) FROM activity");
	pthread_t t[RACERS];
	struct ts_resp r[RACERS];
	for (int i = 0; i < RACERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race_one, &r[i]), 0);
	for (int i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < RACERS; i++) {
		expect_status(&r[i], 201);
		assert_string_equal(r[i].body.data, r[0].body.data);
	}
	for (int i = 0; i < RACERS; i++)
		ts_resp_free(&r[i]);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM activity"), before + 1);
}

static void test_manager_sees_and_files_for_the_organisation(void **state)
{
	(void)state;
	char *id = create(PAP1, FIVE_FIELDS);
	char *p = path_of("activities", id);
	assert_int_equal(status_of("GET", p, tokens[MANAGER], NULL), 200);
	assert_int_equal(status_of("PATCH", p, tokens[MANAGER], "{\"note\":\"Vu en supervision\"}"),
			 200);
	/* The author stays the PAP. */
	struct ts_resp r;
	json_t *j = call("GET", p, tokens[PAP1], NULL, NULL, &r);
	assert_string_equal(jstr(j, "author"), people[PAP1].email);
	assert_string_equal(jstr(j, "note"), "Vu en supervision");
	json_decref(j);
	ts_resp_free(&r);
	/* A manager may file for a PAP of the organisation, not of another. */
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"author\":\"%s\",\"date\":\"2025-01-10\",\"duration_min\":5,\"type\":"
		 "\"liaison\"}",
		 people[PAP2].email);
	j = call("POST", "/api/v1/activities", tokens[MANAGER], body, NULL, &r);
	expect_status(&r, 201);
	assert_string_equal(jstr(j, "author"), people[PAP2].email);
	json_decref(j);
	ts_resp_free(&r);
	snprintf(body, sizeof(body),
		 "{\"author\":\"%s\",\"date\":\"2025-01-10\",\"duration_min\":5,\"type\":"
		 "\"liaison\"}",
		 people[PAPX].email);
	j = call("POST", "/api/v1/activities", tokens[MANAGER], body, NULL, &r);
	expect_status(&r, 422);
	assert_string_equal(jstr(err_of(j), "field"), "author");
	json_decref(j);
	ts_resp_free(&r);
	/* A PAP files only under their own name. */
	j = call("POST", "/api/v1/activities", tokens[PAP2], body, NULL, &r);
	expect_status(&r, 422);
	assert_string_equal(jstr(err_of(j), "field"), "author");
	json_decref(j);
	ts_resp_free(&r);
	free(p);
	free(id);
}

/* GET of id as who: its JSON (the caller decrefs) and ETag (etag, cap). */
static json_t *read_back(enum who w, const char *id, char *etag, size_t cap)
{
	struct ts_resp r;
	char *p = path_of("activities", id);
	json_t *j = call("GET", p, tokens[w], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_non_null(ts_header(&r, "ETag", etag, cap));
	ts_resp_free(&r);
	free(p);
	return j;
}

/* The answer of a write must be what a later read gives, field by field:
 * the lists in the reads' order (codes by code, rows by creation), the
 * type's component when none was sent, empty optional texts as null, the
 * same ETag. The lists are sent in reverse order, so an answer echoing the
 * request would differ. The replay of the same key answers it again. */
static void test_write_answer_equals_read_back(void **state)
{
	(void)state;
	struct ts_resp r;
	json_t *j;
	static const char *const fams[] = {"fam-ordre-1", "fam-ordre-2"};
	for (size_t i = 0; i < 2; i++) {
		char body[256];
		snprintf(body, sizeof(body),
			 "{\"id\":\"%s\",\"code\":\"O-%zu\",\"opened\":\"2025-01-05\"}", fams[i],
			 i);
		j = call("POST", "/api/v1/families", tokens[PAP1], body, NULL, &r);
		expect_status(&r, 201);
		json_decref(j);
		ts_resp_free(&r);
	}
	char body[1024];
	snprintf(body, sizeof(body),
		 "{\"date\":\"2025-01-12\",\"type\":\"contact_informel\",\"duration_min\":25,"
		 "\"start_time\":\"\",\"place\":\"\",\"note\":\"\",\"unplanned\":true,"
		 "\"strategies\":[\"proactif\",\"mise_en_reseau\",\"empowerment\"],"
		 "\"needs\":[\"revenu\",\"isolement\",\"alimentation\"],"
		 "\"outcomes\":[\"urgence_evitee\",\"lien_confiance\"],"
		 "\"families\":[\"fam-ordre-2\",\"fam-ordre-1\"],"
		 "\"partners\":[\"ORG-B\",\"ORG-A\"],\"with_pap\":[\"%s\",\"%s\"],"
		 "\"counts\":{\"adults\":1,\"children_6_17\":2}}",
		 people[PAGER].email, people[PAP2].email);
	const char *key[] = {"Idempotency-Key: relu-1", NULL};
	json_t *a = call("POST", "/api/v1/activities", tokens[PAP1], body, key, &r);
	expect_status(&r, 201);
	char tag[64], tag2[64];
	assert_non_null(ts_header(&r, "ETag", tag, sizeof(tag)));
	char *first = strdup(r.body.data);
	ts_resp_free(&r);
	const char *id = jstr(a, "id");
	json_t *g = read_back(PAP1, id, tag2, sizeof(tag2));
	if (!json_equal(a, g))
		fail_msg("201 body %s\nGET body %s", first, json_dumps(g, JSON_COMPACT));
	assert_string_equal(tag, tag2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(a, "families"), 0)),
			    "fam-ordre-1");
	assert_string_equal(json_string_value(json_array_get(json_object_get(a, "components"), 0)),
			    "demarchage");
	assert_true(json_is_null(json_object_get(a, "place")));
	/* The replay answers the same bytes. */
	j = call("POST", "/api/v1/activities", tokens[PAP1], body, key, &r);
	expect_status(&r, 201);
	assert_string_equal(r.body.data, first);
	json_decref(j);
	ts_resp_free(&r);
	json_decref(g);

	/* A PATCH's answer too: new lists, a new author by the manager. */
	char *p = path_of("activities", id);
	snprintf(body, sizeof(body),
		 "{\"author\":\"%s\",\"components\":[\"collaboration\",\"accompagnement\"],"
		 "\"families\":[\"fam-ordre-1\"],\"partners\":null,\"note\":\"Relu\","
		 "\"territory\":\"T-1\"}",
		 people[PAP2].email);
	json_t *u = call("PATCH", p, tokens[MANAGER], body, NULL, &r);
	expect_status(&r, 200);
	assert_non_null(ts_header(&r, "ETag", tag, sizeof(tag)));
	ts_resp_free(&r);
	g = read_back(MANAGER, id, tag2, sizeof(tag2));
	if (!json_equal(u, g))
		fail_msg("200 body %s\nGET body %s", json_dumps(u, JSON_COMPACT),
			 json_dumps(g, JSON_COMPACT));
	assert_string_equal(tag, tag2);
	assert_string_equal(jstr(u, "author"), people[PAP2].email);
	json_decref(u);
	json_decref(g);
	json_decref(a);
	free(first);
	free(p);
}

static void test_reference_lists(void **state)
{
	(void)state;
	struct ts_resp r;
	json_t *j = call("GET", "/api/v1/reference/activity_type", tokens[PAP1], NULL, NULL, &r);
	expect_status(&r, 200);
	assert_string_equal(jstr(j, "list"), "activity_type");
	json_t *items = json_object_get(j, "items");
	bool found = false;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		if (strcmp(jstr(it, "code"), "contact_informel") == 0) {
			found = true;
			json_t *labels = json_object_get(it, "labels");
			assert_non_null(jstr(labels, "fr"));
			assert_non_null(jstr(labels, "en"));
		}
	}
	assert_true(found);
	json_decref(j);
	ts_resp_free(&r);
	static const char *const lists[] = {"component", "strategy", "place",
					    "need",      "outcome",  "population"};
	for (size_t i = 0; i < 6; i++) {
		char p[64];
		snprintf(p, sizeof(p), "/api/v1/reference/%s", lists[i]);
		assert_int_equal(status_of("GET", p, tokens[PAP1], NULL), 200);
	}
	assert_int_equal(status_of("GET", "/api/v1/reference/inconnue", tokens[PAP1], NULL), 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_me_with_bearer_token),
		cmocka_unit_test(test_create_five_fields_with_bearer),
		cmocka_unit_test(test_create_with_session_and_csrf),
		cmocka_unit_test(test_post_without_csrf_or_bearer_is_403),
		cmocka_unit_test(test_list_with_paging_and_filters),
		cmocka_unit_test(test_edit_with_put_and_patch),
		cmocka_unit_test(test_delete_then_404),
		cmocka_unit_test(test_same_idempotency_key_twice),
		cmocka_unit_test(test_expired_idempotency_key_is_a_new_write),
		cmocka_unit_test(test_validation_error_names_the_field_in_both_languages),
		cmocka_unit_test(test_wrong_json_type_is_422_naming_the_field),
		cmocka_unit_test(test_invalid_json_is_400),
		cmocka_unit_test(test_other_organisation_gets_404),
		cmocka_unit_test(test_comite_sees_empty_lists),
		cmocka_unit_test(test_unknown_bearer_is_401),
		cmocka_unit_test(test_revoked_token_is_401),
		cmocka_unit_test(test_nominative_details_only_for_the_follower),
		cmocka_unit_test(test_concurrent_retries_create_one_record),
		cmocka_unit_test(test_manager_sees_and_files_for_the_organisation),
		cmocka_unit_test(test_reference_lists),
		cmocka_unit_test(test_write_answer_equals_read_back),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
