/* Page-level test support (support/web.h). */
#include "support/web.h"

#include "db/db.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A connection of its own to the server's database (a file or a URL). */
static struct db *web_db_open(const char *db)
{
	char err[512];
	struct db *h = db_open(db, DB_OPEN_EXISTING, err, sizeof(err));
	if (!h)
		fprintf(stderr, "sql: %s\n", err);
	return h;
}

int web_sql(const char *db, const char *text)
{
	struct db *h = web_db_open(db);
	if (!h)
		return -1;
	char err[512];
	int rc = db_exec_script(h, text, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "sql: %s\n", err);
	db_close(h);
	return rc;
}

long long web_sql_count(const char *db, const char *text)
{
	struct db *h = web_db_open(db);
	struct db_stmt *s;
	long long n = -1;
	if (!h)
		return -1;
	if ((s = db_query(h, text))) {
		if (db_step(s) == DB_ROW)
			n = db_col_int64(s, 0);
		db_query_free(s);
	}
	db_close(h);
	return n;
}

int web_add_user(const char *db, const char *email, const char *name, const char *role,
		 const char *org, const char *territory, const char *password)
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
	argv[k++] = db;
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
	char line[256];
	int len = snprintf(line, sizeof(line), "%s\n", password);
	ssize_t w = write(p[1], line, (size_t)len);
	close(p[1]);
	int st;
	if (waitpid(pid, &st, 0) < 0 || w < 0)
		return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "user add %s failed\n", email);
		return -1;
	}
	return 0;
}

void web_form_add(char *body, size_t cap, const char *key, const char *value)
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

void web_form_build(char *body, size_t cap, const char *csrf, const char *const *kv)
{
	body[0] = '\0';
	web_form_add(body, cap, "csrf_token", csrf);
	for (size_t i = 0; kv && kv[i]; i += 2)
		web_form_add(body, cap, kv[i], kv[i + 1]);
}

const char *web_sql_text(const char *db, const char *query, char *out, size_t cap)
{
	struct db *h = web_db_open(db);
	struct db_stmt *s;
	out[0] = '\0';
	if (!h)
		return out;
	if ((s = db_query(h, query))) {
		if (db_step(s) == DB_ROW && db_col_cstr(s, 0))
			snprintf(out, cap, "%s", db_col_cstr(s, 0));
		db_query_free(s);
	} else {
		fprintf(stderr, "sql: %s\n", db_errmsg(h));
	}
	db_close(h);
	return out;
}

int web_token_create(const char *db, const char *email, const char *name, char *out, size_t cap)
{
	const char *args[] = {"token", "create", "--db", db, "--email", email, NULL, NULL, NULL};
	if (name) {
		args[6] = "--name";
		args[7] = name;
	}
	char o[1024], e[1024];
	int rc = ts_run(args, 20000, o, sizeof(o), e, sizeof(e));
	if (rc != 0) {
		fprintf(stderr, "token create %s: %d %s\n", email, rc, e);
		return -1;
	}
	size_t n = strcspn(o, "\r\n");
	if (n == 0 || n + 1 > cap) {
		fprintf(stderr, "token create %s: no token printed\n", email);
		return -1;
	}
	memcpy(out, o, n);
	out[n] = '\0';
	return 0;
}

/* Rebuilds b's Cookie and X-CSRF-Token headers from its tokens. */
static void set_cookie_header(struct web_browser *b)
{
	snprintf(b->cookie, sizeof(b->cookie), "Cookie: proxima_csrf=%s%s%s", b->csrf,
		 b->session[0] ? "; proxima_session=" : "", b->session);
	snprintf(b->csrf_header, sizeof(b->csrf_header), "X-CSRF-Token: %s", b->csrf);
}

int web_get(const struct ts_server *s, const struct web_browser *b, const char *path,
	    struct ts_resp *r)
{
	const char *h[] = {b ? b->cookie : "X-None: 1", NULL};
	if (ts_http(NULL, "GET", ts_url(s, path), h, NULL, 0, r) < 0) {
		fprintf(stderr, "GET %s: no HTTP response\n", path);
		return -1;
	}
	return 0;
}

int web_post(const struct ts_server *s, const struct web_browser *b, const char *path,
	     const char *const *kv, struct ts_resp *r)
{
	char body[16384];
	web_form_build(body, sizeof(body), b->csrf, kv);
	const char *h[] = {b->cookie, WEB_FORM_CT, NULL};
	if (ts_http(NULL, "POST", ts_url(s, path), h, body, strlen(body), r) < 0) {
		fprintf(stderr, "POST %s: no HTTP response\n", path);
		return -1;
	}
	return 0;
}

int web_get_anonymous(const struct ts_server *s, struct web_browser *b, const char *path,
		      struct ts_resp *r)
{
	memset(b, 0, sizeof(*b));
	if (ts_http(NULL, "GET", ts_url(s, path), NULL, NULL, 0, r) < 0) {
		fprintf(stderr, "GET %s: no HTTP response\n", path);
		return -1;
	}
	if (ts_set_cookie(r, "proxima_csrf", b->csrf, sizeof(b->csrf)))
		set_cookie_header(b);
	return 0;
}

int web_api(const struct ts_server *s, const struct web_browser *b, const char *method,
	    const char *path, const char *json, struct ts_resp *r)
{
	const char *h[] = {b->cookie, b->csrf_header, WEB_JSON_CT, NULL};
	if (ts_http(NULL, method, ts_url(s, path), h, json, json ? strlen(json) : 0, r) < 0) {
		fprintf(stderr, "%s %s: no HTTP response\n", method, path);
		return -1;
	}
	return 0;
}

long web_bearer_get(const struct ts_server *s, const char *token, const char *path,
		    struct ts_resp *r)
{
	char auth[200];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	const char *h[] = {auth, NULL};
	memset(r, 0, sizeof(*r));
	if (ts_http(NULL, "GET", ts_url(s, path), h, NULL, 0, r) < 0) {
		fprintf(stderr, "GET %s: no HTTP response\n", path);
		return -1;
	}
	return r->status;
}

int web_login(const struct ts_server *s, struct web_browser *b, const char *email,
	      const char *password)
{
	struct ts_resp r = {0};
	memset(b, 0, sizeof(*b));
	if (ts_http(NULL, "GET", ts_url(s, "/connexion"), NULL, NULL, 0, &r) < 0 ||
	    !ts_set_cookie(&r, "proxima_csrf", b->csrf, sizeof(b->csrf))) {
		ts_resp_free(&r);
		return -1;
	}
	ts_resp_free(&r);
	set_cookie_header(b);
	const char *kv[] = {"courriel", email, "mot_de_passe", password, NULL};
	memset(&r, 0, sizeof(r));
	/* Signing in rotates the CSRF token: the response sets the new one. */
	int ok = web_post(s, b, "/connexion", kv, &r) == 0 && r.status == 303 &&
		 ts_set_cookie(&r, "proxima_session", b->session, sizeof(b->session)) &&
		 ts_set_cookie(&r, "proxima_csrf", b->csrf, sizeof(b->csrf));
	if (!ok)
		fprintf(stderr, "login %s: status %ld\n", email, r.status);
	ts_resp_free(&r);
	set_cookie_header(b);
	return ok ? 0 : -1;
}

int web_suite_prepare(struct ts_server *s, const char *now, const char *fixture)
{
	setenv("PROXIMA_TEST_FAST_HASH", "1", 1);
	if (now)
		setenv("PROXIMA_NOW", now, 1);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || ts_server_prepare(s) < 0)
		return -1;
	return fixture ? web_sql(s->db, fixture) : 0;
}

int web_add_accounts(const char *db, const struct web_account *a, size_t n, const char *password)
{
	for (size_t i = 0; i < n; i++)
		if (web_add_user(db, a[i].email, a[i].name, a[i].role, a[i].org, a[i].territory,
				 password) < 0)
			return -1;
	return 0;
}

int web_add_accounts_named(const char *db, const struct web_account *a, size_t n,
			   const char *password)
{
	if (web_add_accounts(db, a, n, password) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char sql[512];
		snprintf(sql, sizeof(sql), "UPDATE person SET ext_id = '%s' WHERE email = '%s'",
			 a[i].name, a[i].email);
		if (web_sql(db, sql) < 0)
			return -1;
	}
	return 0;
}

int web_import_text(const struct ts_server *s, const char *text, const char *name)
{
	char path[700];
	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	const char *args[] = {"import", "--db", s->db, path, NULL};
	char err[2048];
	int rc = ts_run(args, 60000, NULL, 0, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "import %s: %s\n", name, err);
	return rc == 0 ? 0 : -1;
}

int web_suite_start(struct ts_server *s, const struct web_account *a, size_t n,
		    const char *password)
{
	if (ts_server_start(s, NULL) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (a[i].browser && web_login(s, a[i].browser, a[i].email, password) < 0) {
			ts_server_dump_stderr(s);
			return -1;
		}
	}
	return 0;
}

int web_suite_setup(struct ts_server *s, const char *now, const char *fixture,
		    const struct web_account *a, size_t n, const char *password)
{
	if (web_suite_prepare(s, now, fixture) < 0 || web_add_accounts(s->db, a, n, password) < 0)
		return -1;
	return web_suite_start(s, a, n, password);
}

int web_suite_stop(struct ts_server *s)
{
	int rc = ts_server_stop(s);
	curl_global_cleanup();
	return rc;
}

int web_suite_teardown(void **state)
{
	return web_suite_stop(*state) == 0 ? 0 : -1;
}

int web_suite_teardown_any(void **state)
{
	web_suite_stop(*state);
	return 0;
}
