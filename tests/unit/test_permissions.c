/* The permission matrix: every role against every route of the pages and
 * the API, for objects of another person and another organisation. Canary
 * values are planted in an activity's note, a family's code and its
 * nominative name; no response to a role that may not see them may
 * contain them, and no request by such a role may change the objects.
 * The routes come from the route tables themselves, so a new endpoint is
 * covered the day it is added. This is where a privacy leak is caught. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "auth/csrf.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/router.h"
#include "http/static.h"
#include "http/test_http.h"
#include "model/activity.h"
#include "model/audit.h"
#include "model/family.h"
#include "model/vault.h"
#include "views/view.h"
#include "support/scratch_db.h"

#define CANARY_NOTE "canari de terrain 7431"
#define CANARY_CODE "X-CANARI"
#define CANARY_NAME "Zébulon Canari"
#define CANARY_INCIDENT "incident canari 5517"

enum who { PAP_X, PAP_X2, GEST_X, PAP_Y, GEST_Y, COMITE, ANALYSTE, ADMIN, ANON, WHO__N };

static const char *who_name[WHO__N] = {"pap X (author, follower)", "pap X2", "gestionnaire X",
				       "pap Y", "gestionnaire Y", "comite", "analyste", "admin",
				       "anonymous"};

struct world {
	char path[256];
	struct db *db;
	struct arena *ar;
	const char *token[WHO__N];
	const char *csrf;
	int64_t act_id, fam_id;
	const char *act_ext, *fam_ext;
	int requests;
};

static struct world W;

static int setup(void **state)
{
	(void)state;
	unsigned char key[32];
	memset(key, 3, sizeof(key));
	vault_set_key(key);
	W.db = scratch_db_create(W.path, sizeof(W.path), "perm");
	if (!W.db)
		return -1;
	W.ar = arena_new(8192);
	exec_ok(W.db,
		"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'A', 'Territoire A', 'urbain');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 1);"
		"INSERT INTO person (id, ext_id, name, email, role, organisation_id, territory_id) VALUES"
		" (1, 'px', 'Pap X', 'px@x.test', 'pap', 1, 1),"
		" (2, 'px2', 'Pap X2', 'px2@x.test', 'pap', 1, 1),"
		" (3, 'gx', 'Gest X', 'gx@x.test', 'gestionnaire', 1, 1),"
		" (4, 'py', 'Pap Y', 'py@y.test', 'pap', 2, 1),"
		" (5, 'gy', 'Gest Y', 'gy@y.test', 'gestionnaire', 2, 1),"
		" (6, 'co', 'Comité A', 'co@a.test', 'comite', NULL, 1),"
		" (7, 'an', 'Analyste', 'an@a.test', 'analyste', NULL, NULL),"
		" (8, 'ad', 'Admin', 'ad@a.test', 'admin', NULL, NULL);");

	struct family f = {.organisation_id = 1, .code = CANARY_CODE, .opened = "2025-01-06",
			   .follower_id = 1, .consent_date = "2025-01-06", .consent_language = "fr",
			   .consent_suivi = true, .consent_reference = true};
	struct nominative nom = {.name = CANARY_NAME, .phone = "819-555-0199",
				 .address = "7, rue du Canari"};
	if (db_begin(W.db) < 0 || family_save(W.db, W.ar, 3, &f, &nom, "suivi") < 0)
		return -1;
	W.fam_id = f.id;
	W.fam_ext = f.ext_id;
	/* An incident of X in the register: the admin's to read, nobody else's
	 * here (no one is designated). */
	exec_ok(W.db, "INSERT INTO incident_register (organisation_id, information, circumstances, "
		      "discovered_on, risk_assessment, recorded_at) VALUES (1, '" CANARY_INCIDENT
		      "', 'courriel', '2025-01-06', 'faible', 0)");
	static const char *need[] = {"isolement"};
	struct activity a = {.author_id = 1, .organisation_id = 1, .territory_id = 1,
			     .date = "2025-01-07", .type = "contact_informel", .place = "parc",
			     .duration_min = 30, .adults = 2, .note = "Rencontre: " CANARY_NOTE};
	a.needs.v = need;
	a.needs.n = 1;
	a.family_ids.v = &W.fam_id;
	a.family_ids.n = 1;
	struct validation v = {0};
	if (activity_validate(W.db, &a, &v) < 0 || activity_save(W.db, W.ar, &a) < 0 ||
	    db_commit(W.db) < 0)
		return -1;
	W.act_id = a.id;
	W.act_ext = a.ext_id;
	for (int i = 0; i < ANON; i++)
		if (session_create(W.db, W.ar, i + 1, "test", &W.token[i]) < 0)
			return -1;
	W.csrf = csrf_new_token(W.ar);
	db_thread_setup(W.path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_thread_close_all();
	arena_free(W.ar);
	scratch_db_remove(W.db, W.path);
	vault_unload();
	return 0;
}

/* Sends one request as who; returns the raw response (malloc'd). */
static char *send_as(enum who w, const char *method, const char *path, const char *ctype,
		     const char *body, int *status)
{
	struct buf r = BUF_INIT(1 << 20);
	buf_printf(&r, "%s %s HTTP/1.1\r\nHost: test\r\n", method, path);
	if (w == ANON)
		buf_printf(&r, "Cookie: proxima_csrf=%s\r\n", W.csrf);
	else
		buf_printf(&r, "Cookie: proxima_session=%s; proxima_csrf=%s\r\n", W.token[w], W.csrf);
	buf_printf(&r, "X-CSRF-Token: %s\r\n", W.csrf);
	if (body) {
		buf_printf(&r, "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", ctype,
			   strlen(body), body);
	} else {
		buf_puts(&r, "\r\n");
	}
	char *out;
	size_t len;
	*status = test_http_exchange(r.data, r.len, &out, &len);
	buf_free(&r);
	W.requests++;
	return out;
}

static bool may_see_note(enum who w)
{
	return w == PAP_X || w == GEST_X;
}

static bool may_see_code(enum who w)
{
	return w == PAP_X || w == PAP_X2 || w == GEST_X;
}

static bool may_see_name(enum who w)
{
	return w == PAP_X || w == GEST_X;
}

/* Fills every ":param" of pattern with value; returns an arena string. */
static const char *fill(const char *pattern, const char *value)
{
	struct buf b = BUF_INIT(1024);
	for (const char *p = pattern; *p;) {
		if (*p == ':') {
			buf_puts(&b, value);
			while (*p && *p != '/')
				p++;
		} else {
			buf_putc(&b, *p++);
		}
	}
	const char *s = arena_strdup(W.ar, b.data);
	buf_free(&b);
	return s;
}

static void check_no_leak(enum who w, const char *method, const char *path, const char *resp)
{
	if (!may_see_note(w) && strstr(resp, CANARY_NOTE))
		fail_msg("%s: %s %s leaks the activity note", who_name[w], method, path);
	if (!may_see_code(w) && strstr(resp, CANARY_CODE))
		fail_msg("%s: %s %s leaks the family code", who_name[w], method, path);
	if (!may_see_name(w) && strstr(resp, "Zébulon"))
		fail_msg("%s: %s %s leaks the nominative name", who_name[w], method, path);
	if (w != ADMIN && strstr(resp, CANARY_INCIDENT))
		fail_msg("%s: %s %s leaks the incident register", who_name[w], method, path);
}

/* The first column of the first row of sql. */
static int64_t query_int(const char *sql)
{
	struct db_stmt *s = db_query(W.db, sql);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t v = db_col_int64(s, 0);
	db_query_free(s);
	return v;
}

/* What only an administrator (or a manager, within their organisation) may
 * change: accounts, organisations, sectors, territories, reference lists,
 * settings. One number per table, compared before and after the matrix. */
static const char *const ADMIN_STATE[] = {
	"SELECT count(*) FROM settings",
	"SELECT count(*) FROM sector",
	"SELECT count(*) FROM organisation",
	"SELECT count(*) FROM organisation_territory",
	"SELECT count(*) FROM territory",
	"SELECT count(*) FROM ref_item",
	"SELECT count(*) FROM person WHERE active = 1",
	"SELECT count(*) FROM person WHERE role = 'admin'",
	"SELECT count(*) FROM person WHERE password_hash IS NULL",
	"SELECT count(*) FROM account_link",
	"SELECT count(*) FROM person WHERE totp_enabled_at IS NOT NULL",
};
#define N_ADMIN_STATE (sizeof(ADMIN_STATE) / sizeof(ADMIN_STATE[0]))

/* Every route, for every role that is not the owner, with every id form. */
static void test_matrix_no_leak_no_foreign_write(void **state)
{
	(void)state;
	int64_t before[N_ADMIN_STATE];
	for (size_t i = 0; i < N_ADMIN_STATE; i++)
		before[i] = query_int(ADMIN_STATE[i]);
	const struct route_table tables[] = {
		{view_routes, view_routes_count},
		{api_routes, api_routes_count},
	};
	char num_act[24], num_fam[24];
	snprintf(num_act, sizeof(num_act), "%lld", (long long)W.act_id);
	snprintf(num_fam, sizeof(num_fam), "%lld", (long long)W.fam_id);
	const char *json_body = "{\"date\":\"2025-01-08\",\"type\":\"liaison\",\"duration_min\":5,"
				"\"note\":\"pirate\",\"counts\":{\"adults\":1}}";
	char form_body[1024];
	snprintf(form_body, sizeof(form_body),
		 "csrf_token=%s&date=2025-01-08&type=liaison&duration_min=5&note=pirate&adults=1"
		 "&purpose=suivi&raison=suivi&lang=fr&code=PIRATE&opened=2025-01-08"
		 "&small_cell_threshold=9&totp_required=1&name=Pirate&ext_id=PIRATE&name_en=Pirate"
		 "&label_fr=Pirate&label_en=Pirate&role=admin&sector=1&territories=1",
		 W.csrf);
	int routes = 0;
	for (size_t t = 0; t < 2; t++) {
		for (size_t i = 0; i < tables[t].n; i++) {
			const struct route *rt = &tables[t].routes[i];
			/* Signing in and out change the requester's own session
			 * (signing out everywhere too). */
			if (strcmp(rt->pattern, "/connexion") == 0 ||
			    strcmp(rt->pattern, "/deconnexion") == 0 ||
			    strcmp(rt->pattern, "/compte/sessions/fin") == 0)
				continue;
			routes++;
			bool fam = strstr(rt->pattern, "famil") != NULL;
			const char *ids[3] = {fam ? num_fam : num_act, fam ? W.fam_ext : W.act_ext,
					      "activity_type"};
			bool has_param = strchr(rt->pattern, ':') != NULL;
			bool api = t == 1;
			const char *method = http_method_name(rt->method);
			bool unsafe = rt->method != HTTP_GET;
			for (int k = 0; k < (has_param ? 3 : 1); k++) {
				const char *path = has_param ? fill(rt->pattern, ids[k]) : rt->pattern;
				for (int w = PAP_X2; w < WHO__N; w++) {
					/* The manager of X may legitimately change X's
					 * objects; its reads are still checked. */
					if (w == GEST_X && unsafe)
						continue;
					/* The admin administers: its writes there are
					 * legitimate (e2e_admin tests them). */
					if (w == ADMIN && unsafe &&
					    strncmp(rt->pattern, "/admin/", 7) == 0)
						continue;
					int status;
					char *resp = send_as(
						(enum who)w, method, path,
						api ? "application/json" : "application/x-www-form-urlencoded",
						unsafe ? (api ? json_body : form_body) : NULL, &status);
					assert_true(status < 500);
					check_no_leak((enum who)w, method, path, resp);
					free(resp);
				}
			}
		}
	}
	assert_true(routes >= 10);
	assert_true(W.requests >= routes * (WHO__N - 1));

	/* Nothing of X was changed or deleted by anyone else. */
	struct actor owner = {.person_id = 1, .role = ROLE_PAP, .organisation_id = 1, .territory_id = 1};
	struct activity a;
	assert_int_equal(activity_get(W.db, W.ar, &owner, W.act_id, &a), 0);
	assert_non_null(strstr(a.note, CANARY_NOTE));
	assert_int_equal(a.duration_min, 30);
	struct family f;
	assert_int_equal(family_get(W.db, W.ar, &owner, W.fam_id, &f), 0);
	assert_string_equal(f.code, CANARY_CODE);
	struct nominative nom;
	assert_int_equal(family_read_nominative(W.db, W.ar, &owner, &f, "controle", &nom), 0);
	assert_string_equal(nom.name, CANARY_NAME);
	/* Nor its consent or its state, nor the registers, the retention
	 * periods, the designations, the portrait or the positions. */
	assert_true(f.consent_suivi && f.consent_reference && !f.consent_citation);
	assert_null(f.closed);
	static const char *const untouched[] = {
		"SELECT count(*) FROM incident_register WHERE information <> '" CANARY_INCIDENT "'",
		"SELECT count(*) FROM retention_policy",
		"SELECT count(*) FROM person WHERE privacy_officer <> 0",
		"SELECT count(*) FROM portrait",
		"SELECT count(*) FROM position",
		"SELECT count(*) FROM family_event WHERE kind <> 'consent_given'",
	};
	for (size_t i = 0; i < sizeof(untouched) / sizeof(untouched[0]); i++) {
		struct db_stmt *q;
		assert_non_null(q = db_query(W.db, untouched[i]));
		assert_int_equal(db_step(q), DB_ROW);
		if (db_col_int(q, 0) != 0)
			fail_msg("changed by someone else: %s", untouched[i]);
		db_query_free(q);
	}

	/* The access log has no read by anyone but the owner's organisation. */
	struct db_stmt *s;
	assert_non_null(s = db_query(W.db, "SELECT count(*) FROM audit_log WHERE action = 'read' "
					    "AND actor_id NOT IN (1, 3)"));
	assert_int_equal(db_step(s), DB_ROW);
	int foreign_reads = db_col_int(s, 0);
	db_query_free(s);
	if (foreign_reads) {
		assert_non_null(s = db_query(W.db, "SELECT actor_id, purpose FROM audit_log WHERE "
						   "action = 'read' AND actor_id NOT IN (1, 3)"));
		while (db_step(s) == DB_ROW)
			fprintf(stderr, "read by person %d, purpose %s\n", db_col_int(s, 0),
				db_col_cstr(s, 1));
		db_query_free(s);
	}
	assert_int_equal(foreign_reads, 0);
	struct audit_check chk;
	assert_int_equal(audit_verify(W.db, NULL, 0, &chk), 0);
	assert_int_equal(chk.verdict, AUDIT_INTACT);

	/* No role but the admin changed the administration's data. */
	for (size_t i = 0; i < N_ADMIN_STATE; i++)
		if (query_int(ADMIN_STATE[i]) != before[i])
			fail_msg("%s: %lld before the matrix, %lld after", ADMIN_STATE[i],
				 (long long)before[i], (long long)query_int(ADMIN_STATE[i]));
}

/* The canaries do show to those allowed: the matrix above is not vacuous. */
static void test_owner_sees_canaries(void **state)
{
	(void)state;
	int status;
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/activities/%s", W.act_ext);
	char *r = send_as(PAP_X, "GET", path, NULL, NULL, &status);
	assert_int_equal(status, 200);
	assert_non_null(strstr(r, CANARY_NOTE));
	free(r);
	r = send_as(GEST_X, "GET", path, NULL, NULL, &status);
	assert_int_equal(status, 200);
	assert_non_null(strstr(r, CANARY_NOTE));
	free(r);
	snprintf(path, sizeof(path), "/api/v1/families/%s?purpose=suivi", W.fam_ext);
	r = send_as(PAP_X, "GET", path, NULL, NULL, &status);
	assert_int_equal(status, 200);
	assert_non_null(strstr(r, "Zébulon"));
	free(r);
	/* The same PAP-X2 request gets the record but not the name. */
	r = send_as(PAP_X2, "GET", path, NULL, NULL, &status);
	assert_int_equal(status, 200);
	assert_non_null(strstr(r, CANARY_CODE));
	assert_null(strstr(r, "Zébulon"));
	free(r);
	/* The admin reads the incident register (the matrix checks nobody
	 * else does). */
	r = send_as(ADMIN, "GET", "/confidentialite/incidents?du=2025-01-01&au=2025-12-31", NULL,
		    NULL, &status);
	assert_int_equal(status, 200);
	assert_non_null(strstr(r, CANARY_INCIDENT));
	free(r);
	/* A PAP of Y asking by id: 404, never 403. */
	r = send_as(PAP_Y, "GET", path, NULL, NULL, &status);
	assert_int_equal(status, 404);
	free(r);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	i18n_init();
	static_init();
	ptime_set_zone("America/Toronto");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_sees_canaries),
		cmocka_unit_test(test_matrix_no_leak_no_foreign_write),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
