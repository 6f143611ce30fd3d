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

#endif
