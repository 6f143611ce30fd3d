/* Test support for end-to-end tests of the pages: a signed-in "browser"
 * (session and CSRF cookies), form bodies, accounts made with "proxima user
 * add", and direct SQL on the server's database for fixtures and checks.
 * Functions return -1 on failure and print why on standard error. */
#ifndef PROXIMA_TEST_WEB_H
#define PROXIMA_TEST_WEB_H

#include "support/server.h"

/* A signed-in browser: its cookies and CSRF token. */
struct web_browser {
	char csrf[128];
	char session[128];
	char cookie[512]; /* the "Cookie: …" header to send */
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

/* GET path as b (NULL: anonymous) into r. Returns 0 or -1 (no response). */
int web_get(const struct ts_server *s, const struct web_browser *b, const char *path,
	    struct ts_resp *r);

/* POST a form (NULL-terminated key, value pairs; the CSRF token is added)
 * as b into r. Returns 0 or -1. */
int web_post(const struct ts_server *s, const struct web_browser *b, const char *path,
	     const char *const *kv, struct ts_resp *r);

/* Signs in through /connexion. Returns 0 or -1. */
int web_login(const struct ts_server *s, struct web_browser *b, const char *email,
	      const char *password);

#endif
