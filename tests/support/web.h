/* Test support for end-to-end tests of the pages: a signed-in "browser"
 * (session and CSRF cookies), form bodies, accounts made with "proxima user
 * add", and direct SQL on the server's database for fixtures and checks.
 * Functions return -1 on failure and print why on standard error. */
#ifndef PROXIMA_TEST_WEB_H
#define PROXIMA_TEST_WEB_H

#include "support/server.h"

#define WEB_FORM_CT "Content-Type: application/x-www-form-urlencoded"
#define WEB_JSON_CT "Content-Type: application/json"

/* A signed-in browser: its cookies and CSRF token. */
struct web_browser {
	char csrf[128];
	char session[128];
	char cookie[512];      /* the "Cookie: …" header to send */
	char csrf_header[200]; /* the "X-CSRF-Token: …" header (JSON writes) */
};

/* Runs SQL on the database at db (read-write). Returns 0 or -1. */
int web_sql(const char *db, const char *text);

/* The first column of the first row of a query, or -1. */
long long web_sql_count(const char *db, const char *text);

/* "proxima user add --db db …" with password on standard input; org and
 * territory may be NULL. Returns 0 or -1. */
int web_add_user(const char *db, const char *email, const char *name, const char *role,
		 const char *org, const char *territory, const char *password);

/* Appends key=value, percent-encoded, to the form body (cap bytes). */
void web_form_add(char *body, size_t cap, const char *key, const char *value);

/* Writes the form body "csrf_token=csrf" followed by the NULL-terminated
 * key, value pairs of kv (may be NULL) into body (cap bytes). */
void web_form_build(char *body, size_t cap, const char *csrf, const char *const *kv);

/* The text of the first column of the first row of a query, copied into
 * out (cap bytes). Returns out: empty when there is no row or on error. */
const char *web_sql_text(const char *db, const char *query, char *out, size_t cap);

/* "proxima token create --db db --email email [--name name]" (name may be
 * NULL): the bearer token it prints, copied into out. Returns 0 or -1. */
int web_token_create(const char *db, const char *email, const char *name, char *out, size_t cap);

/* GET path as b (NULL: anonymous) into r. Returns 0 or -1 (no response). */
int web_get(const struct ts_server *s, const struct web_browser *b, const char *path,
	    struct ts_resp *r);

/* POST a form (NULL-terminated key, value pairs; the CSRF token is added)
 * as b into r. Returns 0 or -1. */
int web_post(const struct ts_server *s, const struct web_browser *b, const char *path,
	     const char *const *kv, struct ts_resp *r);

/* GET path without cookies, as a browser with no account: b is reset and
 * keeps the CSRF cookie the response sets (if any). Returns 0 or -1. */
int web_get_anonymous(const struct ts_server *s, struct web_browser *b, const char *path,
		      struct ts_resp *r);

/* A JSON API request as b: its cookies, its X-CSRF-Token header and a JSON
 * Content-Type; json is the body (NULL: none). Returns 0 or -1. */
int web_api(const struct ts_server *s, const struct web_browser *b, const char *method,
	    const char *path, const char *json, struct ts_resp *r);

/* GET path with "Authorization: Bearer token" into r (reset first).
 * Returns the HTTP status, or -1 when no response came. */
long web_bearer_get(const struct ts_server *s, const char *token, const char *path,
		    struct ts_resp *r);

/* Signs in through /connexion. Returns 0 or -1. */
int web_login(const struct ts_server *s, struct web_browser *b, const char *email,
	      const char *password);

/* ---- A suite's fixture: database, accounts, server, signed-in browsers. */

/* One account of a suite: made with web_add_user (org and territory may be
 * NULL) and, when browser is not NULL, signed in into *browser by
 * web_suite_start. */
struct web_account {
	struct web_browser *browser;
	const char *email, *name, *role, *org, *territory;
};

/* SQL for the fixture most suites start from: territories 1 T-A
 * "Territoire A" (urbain) and 2 T-B "Territoire B" (rural); organisations
 * 1 ORG-A "CLSC du Parc" (sector MSSS) on T-A and 2 ORG-B "Maison de la
 * famille" (sector COMM) on T-B. A string literal, so that a suite may
 * append its own rows to it. */
#define WEB_FIXTURE_TWO_TERRITORIES                                                    \
	"INSERT INTO territory (id, ext_id, name, type) VALUES "                       \
	"(1, 'T-A', 'Territoire A', 'urbain'), (2, 'T-B', 'Territoire B', 'rural');"   \
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "               \
	"(1, 'ORG-A', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS'))," \
	"(2, 'ORG-B', 'Maison de la famille', (SELECT id FROM sector WHERE ext_id = "  \
	"'COMM'));"                                                                    \
	"INSERT INTO organisation_territory VALUES (1, 1), (2, 2);"

/* SQL for the fixture of the privacy, consent and retention suites: one
 * territory 1 T-1 "Territoire 1" (urbain) served by two organisations, 1
 * ORG-X "CLSC du Parc" (sector MSSS) and 2 ORG-Y "Maison de la famille"
 * (sector COMM). A string literal, like WEB_FIXTURE_TWO_TERRITORIES. */
#define WEB_FIXTURE_TWO_ORGS                                                                \
	"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T-1', 'Territoire 1', " \
	"'urbain');"                                                                        \
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "                    \
	"(1, 'ORG-X', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"      \
	"(2, 'ORG-Y', 'Maison de la famille', (SELECT id FROM sector WHERE ext_id = "       \
	"'COMM'));"                                                                         \
	"INSERT INTO organisation_territory VALUES (1, 1), (2, 1);"

/* The people of WEB_FIXTURE_TWO_ORGS, as the fields of a struct
 * web_account after its browser: {&papx, WEB_PAP_X}. */
#define WEB_PAP_X "pap@x.test", "Julie Roy", "pap", "ORG-X", "T-1"
#define WEB_PAP_X2 "pap2@x.test", "Marc Hébert", "pap", "ORG-X", "T-1"
#define WEB_GEST_X "gest@x.test", "Nadia Gagnon", "gestionnaire", "ORG-X", "T-1"
#define WEB_PAP_Y "pap@y.test", "Paul Gagnon", "pap", "ORG-Y", "T-1"
#define WEB_GEST_Y "gest@y.test", "Léa Bouchard", "gestionnaire", "ORG-Y", "T-1"
#define WEB_COMITE_T1 "comite@t.test", "Comité T", "comite", NULL, "T-1"
#define WEB_ANALYSTE "analyste@t.test", "Analyste", "analyste", NULL, NULL
#define WEB_ADMIN "admin@t.test", "Admin", "admin", NULL, NULL

/* The number of elements of an array (of accounts, say). */
#define WEB_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* First half of a suite's set-up: sets PROXIMA_TEST_FAST_HASH=1 and, when
 * now is not NULL, PROXIMA_NOW=now (the server inherits both), initialises
 * libcurl, creates a fresh database for s (ts_server_prepare) and runs the
 * SQL fixture on it (NULL: none). Returns 0 or -1. */
int web_suite_prepare(struct ts_server *s, const char *now, const char *fixture);

/* Makes the n accounts of a on db, in order, all with password. Returns 0,
 * or -1 at the first that fails. */
int web_add_accounts(const char *db, const struct web_account *a, size_t n, const char *password);

/* The same, then gives each account's person the external id of its name
 * (suites that import activities or stories whose "author" is that id).
 * Returns 0 or -1. */
int web_add_accounts_named(const char *db, const struct web_account *a, size_t n,
			   const char *password);

/* Writes text (JSON Lines) to the file name in s's directory and imports it
 * with "proxima import --db". Returns 0, or -1 (the import's error printed
 * on standard error). */
int web_import_text(const struct ts_server *s, const char *text, const char *name);

/* Starts the server (ts_server_start, no extra arguments), then signs in,
 * in order, every account of a (n of them) that has a browser. When a
 * sign-in fails, prints the end of the server's standard error. Returns 0
 * or -1. */
int web_suite_start(struct ts_server *s, const struct web_account *a, size_t n,
		    const char *password);

/* The whole usual set-up: web_suite_prepare, web_add_accounts and
 * web_suite_start, stopping at the first failure. Returns 0 or -1. */
int web_suite_setup(struct ts_server *s, const char *now, const char *fixture,
		    const struct web_account *a, size_t n, const char *password);

/* A cmocka group teardown for a suite whose group set-up put its server
 * in *state: web_suite_stop. Returns 0 when the server exited cleanly,
 * else -1 (the suite then fails). */
int web_suite_teardown(void **state);

/* The same for suites that do not check how the server exits: stops it
 * and always returns 0. */
int web_suite_teardown_any(void **state);

/* Stops the server (ts_server_stop) and cleans libcurl up. Returns the
 * server's exit status as ts_server_stop does (0: clean exit), so that a
 * teardown can decide whether an unclean exit fails the suite. */
int web_suite_stop(struct ts_server *s);

#endif
