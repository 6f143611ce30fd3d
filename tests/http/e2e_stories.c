/* End-to-end tests of stories, service gaps and the presentation of
 * mandate against a real "proxima serve": a PAP writes a story from an
 * activity; a manager selects it (a reason is required); a committee of
 * another territory sees nothing of it, the committee of its territory sees
 * it (quotable); a presentation of mandate without a partner organisation
 * is refused with a field error; a service gap reaches the committee of its
 * territory without its description.
 *
 * Setup as in e2e_journal.c: "proxima init", a few rows with the sqlite3
 * C API, accounts with "proxima user add", a fixed clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/server.h"

#define NOW "2026-11-25T10:00:00" /* a Wednesday */
#define TODAY "2026-11-25"
#define MONDAY "2026-11-23"
#define PASSWORD "motdepasse-solide"
#define FORM "Content-Type: application/x-www-form-urlencoded"

static struct ts_server srv;

/* A signed-in browser: its cookies and CSRF token. */
struct browser {
	char csrf[128];
	char session[128];
	char cookie[512];
};

static struct browser pap, gest, comite_a, comite_b;
static long long activity_id;
static long long story_id;

static int sql(const char *db, const char *text)
{
	sqlite3 *h;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return -1;
	char *err = NULL;
	int rc = sqlite3_exec(h, text, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "sql: %s\n", err ? err : "?");
	sqlite3_free(err);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

static long long sql_count(const char *db, const char *text)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	long long n = -1;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, text, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return n;
}

/* "proxima user add" with the password on standard input. */
static int add_user(const char *email, const char *name, const char *role, const char *org,
		    const char *territory)
{
	const char *bin = ts_proxima_bin();
	if (!bin)
		return -1;
	const char *argv[20];
	int k = 0;
	argv[k++] = bin;
	argv[k++] = "user";
	argv[k++] = "add";
	argv[k++] = "--db";
	argv[k++] = srv.db;
	argv[k++] = "--email";
	argv[k++] = email;
	argv[k++] = "--name";
	argv[k++] = name;
	argv[k++] = "--role";
	argv[k++] = role;
	if (org) {
		argv[k++] = "--organisation";
		argv[k++] = org;
	}
	if (territory) {
		argv[k++] = "--territory";
		argv[k++] = territory;
	}
	argv[k] = NULL;
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null_fd = open("/dev/null", O_WRONLY);
		if (dup2(p[0], 0) < 0 || (null_fd >= 0 && dup2(null_fd, 1) < 0))
			_exit(127);
		close(p[1]);
		execv(bin, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(p[0]);
	const char line[] = PASSWORD "\n";
	ssize_t w = write(p[1], line, sizeof(line) - 1);
	close(p[1]);
	int st;
	if (waitpid(pid, &st, 0) < 0 || w < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Appends key=value percent-encoded to a form body. */
static void form_add(char *body, size_t cap, const char *key, const char *value)
{
	size_t n = strlen(body);
	const char *parts[2] = {key, value};
	if (n && n + 1 < cap)
		body[n++] = '&';
	for (int i = 0; i < 2; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
			if (n + 4 >= cap)
				break;
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
				body[n++] = (char)*p;
			else
				n += (size_t)snprintf(body + n, cap - n, "%%%02X", *p);
		}
		if (i == 0 && n + 1 < cap)
			body[n++] = '=';
	}
	body[n] = '\0';
}

/* Builds a body from NULL-terminated key, value pairs, plus the token. */
static void form_build(char *body, size_t cap, const struct browser *b, const char *const *kv)
{
	body[0] = '\0';
	form_add(body, cap, "csrf_token", b->csrf);
	for (size_t i = 0; kv && kv[i]; i += 2)
		form_add(body, cap, kv[i], kv[i + 1]);
}

static void set_cookie_header(struct browser *b)
{
	snprintf(b->cookie, sizeof(b->cookie), "Cookie: proxima_csrf=%s%s%s", b->csrf,
		 b->session[0] ? "; proxima_session=" : "", b->session);
}

static void get(struct browser *b, const char *path, struct ts_resp *r)
{
	const char *h[] = {b ? b->cookie : "X-None: 1", NULL};
	if (ts_http(NULL, "GET", ts_url(&srv, path), h, NULL, 0, r) < 0)
		fail_msg("GET %s: no HTTP response", path);
}

static void post(struct browser *b, const char *path, const char *const *kv, struct ts_resp *r)
{
	char body[8192];
	form_build(body, sizeof(body), b, kv);
	const char *h[] = {b->cookie, FORM, NULL};
	if (ts_http(NULL, "POST", ts_url(&srv, path), h, body, strlen(body), r) < 0)
		fail_msg("POST %s: no HTTP response", path);
}

static int login(struct browser *b, const char *email)
{
	struct ts_resp r = {0};
	memset(b, 0, sizeof(*b));
	if (ts_http(NULL, "GET", ts_url(&srv, "/connexion"), NULL, NULL, 0, &r) < 0 ||
	    !ts_set_cookie(&r, "proxima_csrf", b->csrf, sizeof(b->csrf))) {
		ts_resp_free(&r);
		return -1;
	}
	ts_resp_free(&r);
	set_cookie_header(b);
	const char *kv[] = {"courriel", email, "mot_de_passe", PASSWORD, NULL};
	char body[1024];
	form_build(body, sizeof(body), b, kv);
	const char *h[] = {b->cookie, FORM, NULL};
	memset(&r, 0, sizeof(r));
	int ok =
		ts_http(NULL, "POST", ts_url(&srv, "/connexion"), h, body, strlen(body), &r) == 0 &&
		r.status == 303 &&
		ts_set_cookie(&r, "proxima_session", b->session, sizeof(b->session));
	if (!ok)
		fprintf(stderr, "login %s: status %ld\n", email, r.status);
	ts_resp_free(&r);
	set_cookie_header(b);
	return ok ? 0 : -1;
}

static int group_setup(void **state)
{
	(void)state;
	setenv("PROXIMA_TEST_FAST_HASH", "1", 1);
	setenv("PROXIMA_NOW", NOW, 1);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || ts_server_prepare(&srv) < 0)
		return -1;
	if (sql(srv.db,
		"INSERT INTO territory (id, ext_id, name, type) VALUES "
		"(1, 'T-A', 'Territoire A', 'urbain'), (2, 'T-B', 'Territoire B', 'rural');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "
		"(1, 'ORG-A', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		"(2, 'ORG-B', 'Maison de la famille', (SELECT id FROM sector WHERE ext_id = "
		"'COMM'));"
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 2);") < 0)
		return -1;
	if (add_user("pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A") < 0 ||
	    add_user("gest@a.test", "Nadia Gagnon", "gestionnaire", "ORG-A", "T-A") < 0 ||
	    add_user("comite@a.test", "Comité A", "comite", NULL, "T-A") < 0 ||
	    add_user("comite@b.test", "Comité B", "comite", NULL, "T-B") < 0)
		return -1;
	if (ts_server_start(&srv, NULL) < 0)
		return -1;
	if (login(&pap, "pap@a.test") < 0 || login(&gest, "gest@a.test") < 0 ||
	    login(&comite_a, "comite@a.test") < 0 || login(&comite_b, "comite@b.test") < 0) {
		ts_server_dump_stderr(&srv);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	int rc = ts_server_stop(&srv);
	curl_global_cleanup();
	return rc == 0 ? 0 : -1;
}

static void assert_status(const struct ts_resp *r, long status)
{
	if (r->status != status)
		fail_msg("status %ld, expected %ld; body: %.600s", r->status, status,
			 r->body.data ? r->body.data : "");
}

static void assert_has(const struct ts_resp *r, const char *text)
{
	if (!ts_body_has(r, text))
		fail_msg("body (status %ld) lacks '%s'", r->status, text);
}

static void assert_lacks(const struct ts_resp *r, const char *text)
{
	if (ts_body_has(r, text))
		fail_msg("body (status %ld) contains '%s'", r->status, text);
}

/* The number after prefix in the Location of a redirect. */
static long long location_id(const struct ts_resp *r, const char *prefix)
{
	char v[1024];
	if (!ts_header(r, "Location", v, sizeof(v)))
		fail_msg("no Location (status %ld)", r->status);
	const char *p = strstr(v, prefix);
	if (!p)
		fail_msg("Location '%s' lacks '%s'", v, prefix);
	return strtoll(p + strlen(prefix), NULL, 10);
}

#define STORY_TEXT "Au parc, une mère isolée est venue au café-rencontre pour la première fois."

/* The PAP logs an activity, then writes a story from it. */
static void test_pap_writes_story_from_activity(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *act[] = {
		"type", "contact_informel", "place", "parc",       "duration_min",
		"30",   "counts.adults",    "1",     "strategies", "proximite_relationnelle",
		NULL};
	post(&pap, "/journal/nouvelle", act, &r);
	assert_status(&r, 303);
	activity_id = location_id(&r, "#a-");
	assert_true(activity_id > 0);
	ts_resp_free(&r);

	char path[128];
	snprintf(path, sizeof(path), "/recits/nouveau?activite=%lld", activity_id);
	get(&pap, path, &r);
	assert_status(&r, 200);
	char hidden[128];
	snprintf(hidden, sizeof(hidden), "name=\"activity\" value=\"%lld\"", activity_id);
	assert_has(&r, hidden);
	/* The activity's strategy is already ticked. */
	assert_has(&r, "value=\"proximite_relationnelle\" checked");
	ts_resp_free(&r);

	char id[32];
	snprintf(id, sizeof(id), "%lld", activity_id);
	/* An empty text is refused, with the field named, values kept. */
	const char *empty[] = {"activity", id,         "date",           TODAY, "text",
			       "",         "outcomes", "lien_confiance", NULL};
	post(&pap, "/recits/nouveau", empty, &r);
	assert_status(&r, 422);
	assert_has(&r, "id=\"e-f-text\"");
	assert_has(&r, "value=\"lien_confiance\" checked");
	ts_resp_free(&r);

	const char *kv[] = {"activity",
			    id,
			    "date",
			    TODAY,
			    "text",
			    STORY_TEXT,
			    "strategies",
			    "proximite_relationnelle",
			    "outcomes",
			    "lien_confiance",
			    "consent_quote",
			    "1",
			    NULL};
	post(&pap, "/recits/nouveau", kv, &r);
	assert_status(&r, 303);
	story_id = location_id(&r, "/recits/");
	assert_true(story_id > 0);
	ts_resp_free(&r);
	snprintf(path, sizeof(path), "/recits/%lld", story_id);
	get(&pap, path, &r);
	assert_status(&r, 200);
	assert_has(&r, "une mère isolée");
	assert_has(&r, "Lien de confiance");
	ts_resp_free(&r);
	get(&pap, "/recits", &r);
	assert_status(&r, 200);
	assert_has(&r, "une mère isolée");
	ts_resp_free(&r);
}

/* The manager selects it: the reason is required. */
static void test_manager_selects_with_reason(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char path[128];
	snprintf(path, sizeof(path), "/recits/%lld/selection", story_id);
	const char *none[] = {"action", "retenir", "selection_reason", " ", NULL};
	post(&gest, path, none, &r);
	assert_status(&r, 422);
	assert_has(&r, "Dites pourquoi ce récit est le plus significatif.");
	ts_resp_free(&r);
	/* The PAP may not select (404, as if absent). */
	const char *why[] = {"action", "retenir", "selection_reason",
			     "Le premier pas d'une famille isolée.", NULL};
	post(&pap, path, why, &r);
	assert_status(&r, 404);
	ts_resp_free(&r);
	post(&gest, path, why, &r);
	assert_status(&r, 303);
	ts_resp_free(&r);
	snprintf(path, sizeof(path), "/recits/%lld", story_id);
	get(&gest, path, &r);
	assert_status(&r, 200);
	assert_has(&r, "Retenu parce que");
	assert_has(&r, "Le premier pas d&#39;une famille isolée.");
	assert_has(&r, "Retirer de la sélection");
	ts_resp_free(&r);
	get(&gest, "/recits/selection", &r);
	assert_status(&r, 200);
	assert_has(&r, "une mère isolée");
	ts_resp_free(&r);
}

/* The committee of another territory sees nothing of it, in pages or API;
 * the committee of its territory reads it (quotable), without the author. */
static void test_other_committee_sees_nothing(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char path[128];
	snprintf(path, sizeof(path), "/recits/%lld", story_id);
	get(&comite_b, path, &r);
	assert_status(&r, 404);
	assert_lacks(&r, "mère isolée");
	ts_resp_free(&r);
	get(&comite_b, "/recits", &r);
	assert_status(&r, 200);
	assert_lacks(&r, "mère isolée");
	assert_has(&r, "Aucun récit.");
	ts_resp_free(&r);
	get(&comite_b, "/api/v1/stories", &r);
	assert_status(&r, 200);
	assert_has(&r, "\"items\":[]");
	ts_resp_free(&r);
	snprintf(path, sizeof(path), "/recits/%lld/selection", story_id);
	const char *kv[] = {"action", "retirer", NULL};
	post(&comite_b, path, kv, &r);
	assert_status(&r, 404);
	ts_resp_free(&r);

	snprintf(path, sizeof(path), "/recits/%lld", story_id);
	get(&comite_a, path, &r);
	assert_status(&r, 200);
	assert_has(&r, "une mère isolée");
	assert_lacks(&r, "Marie Tremblay");
	ts_resp_free(&r);
}

/* A presentation of mandate without a partner organisation is refused,
 * the error next to the "presented to" select; with one it is saved. */
static void test_presentation_needs_partner(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	get(&pap, "/journal/nouvelle", &r);
	assert_status(&r, 200);
	assert_has(&r, "Organisation à qui le mandat est présenté");
	ts_resp_free(&r);
	const char *kv[] = {"type", "presentation_mandat", "duration_min", "60", NULL};
	post(&pap, "/journal/nouvelle", kv, &r);
	assert_status(&r, 422);
	assert_has(&r, "id=\"e-f-partners\"");
	assert_has(&r, "à qui le mandat est présenté.</p>");
	assert_has(&r, "name=\"type\" value=\"presentation_mandat\" checked");
	ts_resp_free(&r);
	const char *ok[] = {"type", "presentation_mandat", "duration_min", "60", "partners", "2",
			    NULL};
	post(&pap, "/journal/nouvelle", ok, &r);
	assert_status(&r, 303);
	ts_resp_free(&r);
	/* The same on the indirect-time form (preparing a presentation). */
	const char *ind[] = {"type", "presentation_mandat", "indirect.preparation", "30", NULL};
	post(&pap, "/journal/indirect", ind, &r);
	assert_status(&r, 422);
	assert_has(&r, "id=\"e-f-partners\"");
	ts_resp_free(&r);
	const char *ind_ok[] = {
		"type", "presentation_mandat", "indirect.preparation", "30", "partners", "2", NULL};
	post(&pap, "/journal/indirect", ind_ok, &r);
	assert_status(&r, 303);
	ts_resp_free(&r);
	assert_int_equal(sql_count(srv.db, "SELECT count(*) FROM activity a JOIN activity_partner "
					   "p ON p.activity_id = a.id WHERE a.type = "
					   "'presentation_mandat' AND p.organisation_id = 2"),
			 2);
}

/* A service gap reaches the committee of its territory, grouped by need,
 * without its description; the other committee does not see it. */
static void test_service_gap(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	const char *kv[] = {"date",        TODAY,
			    "need",        "transport",
			    "population",  "familles_0_5",
			    "frequency",   "hebdomadaire",
			    "description", "Aucun autobus le soir vers le CLSC.",
			    NULL};
	post(&pap, "/trous/nouveau", kv, &r);
	assert_status(&r, 303);
	ts_resp_free(&r);
	get(&pap, "/trous", &r);
	assert_has(&r, "Aucun autobus le soir");
	ts_resp_free(&r);
	get(&comite_a, "/trous", &r);
	assert_status(&r, 200);
	assert_has(&r, "Transport");
	assert_has(&r, "Familles avec enfants de 0 à 5 ans : 1");
	assert_lacks(&r, "Aucun autobus le soir");
	assert_has(&r, "/lier\"");
	ts_resp_free(&r);
	get(&comite_b, "/trous", &r);
	assert_status(&r, 200);
	assert_lacks(&r, "Transport");
	ts_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pap_writes_story_from_activity),
		cmocka_unit_test(test_manager_selects_with_reason),
		cmocka_unit_test(test_other_committee_sees_nothing),
		cmocka_unit_test(test_presentation_needs_partner),
		cmocka_unit_test(test_service_gap),
	};
	return cmocka_run_group_tests_name("e2e_stories", tests, group_setup, group_teardown);
}
