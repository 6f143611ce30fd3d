/* End-to-end tests of administration, settings and self-service against a
 * real "proxima serve", per role: every entry of every role's menu reaches
 * a page; the new routes answer each role as the matrix below says; every
 * new POST refuses a missing CSRF token; the settings page and the command
 * line refuse a value outside its range; an invitation's one-time link;
 * a manager's scope; a deactivated account loses access on its very next
 * request, page or API; password change and the sessions list; two-factor
 * sign-in with a fixed clock; mandatory two-factor; organisations,
 * sectors, territories and reference lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/totp.h"
#include "core/ptime.h"
#include "support/server.h"
#include "support/web.h"
#include "support/web_assert.h"

#define NOW "2026-03-10T09:00:00"
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;
static struct web_browser pap, pap2, gest_a, gest_b, comite, analyste, admin;

static const struct web_account ACCOUNTS[] = {
	{&pap, "pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
	{&pap2, "pap2@a.test", "Luc Bélanger", "pap", "ORG-A", "T-A"},
	{&gest_a, "gest@a.test", "Nadia Gagnon", "gestionnaire", "ORG-A", "T-A"},
	{&gest_b, "gest@b.test", "Yves Pelletier", "gestionnaire", "ORG-B", "T-B"},
	{&comite, "comite@a.test", "Comité A", "comite", NULL, "T-A"},
	{&analyste, "analyste@q.test", "Analyste", "analyste", NULL, NULL},
	{&admin, "admin@q.test", "Admin", "admin", NULL, NULL},
};

static int group_setup(void **state)
{
	*state = &srv;
	return web_suite_setup(&srv, NOW, WEB_FIXTURE_TWO_TERRITORIES, ACCOUNTS,
			       WEB_COUNT(ACCOUNTS), PASSWORD);
}

static long long person_id(const char *email)
{
	char q[200];
	snprintf(q, sizeof(q), "SELECT id FROM person WHERE email = '%s'", email);
	return web_sql_count(srv.db, q);
}

static const char *id_path(char *out, size_t cap, const char *fmt_prefix, long long id,
			   const char *suffix)
{
	snprintf(out, cap, "%s%lld%s", fmt_prefix, id, suffix);
	return out;
}

/* The text of html between the first occurrence of start and the next
 * occurrence of end, into out. Fails when absent. */
static const char *between(const char *html, const char *start, const char *end, char *out,
			   size_t cap)
{
	const char *p = strstr(html, start);
	if (!p)
		fail_msg("no '%s' in the page", start);
	p += strlen(start);
	const char *q = strstr(p, end);
	if (!q || (size_t)(q - p) >= cap)
		fail_msg("no '%s' after '%s'", end, start);
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return out;
}

/* ---- Every menu entry of every role reaches a page. */

static void test_every_menu_entry_reaches_a_page(void **state)
{
	(void)state;
	struct web_browser *roles[] = {&pap, &gest_a, &comite, &analyste, &admin};
	for (size_t i = 0; i < WEB_COUNT(roles); i++) {
		struct ts_resp r = {0};
		assert_int_equal(web_get(&srv, roles[i], "/menu", &r), 0);
		assert_status(&r, 200);
		const char *p = strstr(r.body.data, "<div class=\"menu-groups\">");
		assert_non_null(p);
		int links = 0;
		while ((p = strstr(p, "<a href=\"")) != NULL) {
			p += 9;
			char href[256];
			size_t n = strcspn(p, "\"");
			assert_true(n < sizeof(href));
			memcpy(href, p, n);
			href[n] = '\0';
			if (href[0] != '/')
				continue;
			links++;
			struct ts_resp page = {0};
			assert_int_equal(web_get(&srv, roles[i], href, &page), 0);
			char what[300], to[256];
			snprintf(what, sizeof(what), "role %zu, menu entry %s", i, href);
			if (page.status == 303) { /* a hub that sends to the role's own page */
				location(&page, to, sizeof(to));
				ts_resp_free(&page);
				memset(&page, 0, sizeof(page));
				assert_int_equal(web_get(&srv, roles[i], to, &page), 0);
			}
			web_assert_status_at(__FILE__, __LINE__, what, &page, 200);
			ts_resp_free(&page);
		}
		assert_true(links >= 4);
		ts_resp_free(&r);
	}
}

/* ---- The permission matrix of the new pages. */

enum { P, G, GB, C, AN, AD, NROLES };

static void test_new_pages_per_role(void **state)
{
	(void)state;
	struct web_browser *who[NROLES] = {&pap, &gest_a, &gest_b, &comite, &analyste, &admin};
	char acct[64], org_a[64], own[64];
	id_path(acct, sizeof(acct), "/admin/comptes/", person_id("pap@a.test"), "");
	id_path(org_a, sizeof(org_a), "/admin/organisations/", 1, "");
	id_path(own, sizeof(own), "/admin/comptes/", person_id("gest@b.test"), "");
	const struct {
		const char *path;
		long status[NROLES]; /* pap, gest A, gest B, comite, analyste, admin */
	} rows[] = {
		{"/admin", {404, 200, 200, 404, 404, 200}},
		{"/admin/comptes", {404, 200, 200, 404, 404, 200}},
		{"/admin/comptes/nouveau", {404, 200, 200, 404, 404, 200}},
		{acct, {404, 200, 404, 404, 404, 200}},
		{own, {404, 404, 200, 404, 404, 200}},
		{"/admin/organisations", {404, 404, 404, 404, 404, 200}},
		{"/admin/organisations/nouvelle", {404, 404, 404, 404, 404, 200}},
		{org_a, {404, 200, 404, 404, 404, 200}},
		{"/admin/secteurs", {404, 404, 404, 404, 404, 200}},
		{"/admin/territoires", {404, 404, 404, 404, 404, 200}},
		{"/admin/listes", {404, 200, 200, 404, 404, 200}},
		{"/admin/parametres", {404, 404, 404, 404, 404, 200}},
		{"/compte", {200, 200, 200, 200, 200, 200}},
		{"/compte/deux-facteurs", {200, 200, 200, 200, 200, 200}},
		{"/statistiques", {404, 200, 200, 404, 404, 200}},
	};
	for (size_t i = 0; i < WEB_COUNT(rows); i++) {
		for (int w = 0; w < NROLES; w++) {
			struct ts_resp r = {0};
			assert_int_equal(web_get(&srv, who[w], rows[i].path, &r), 0);
			char what[300];
			snprintf(what, sizeof(what), "role %d GET %s", w, rows[i].path);
			web_assert_status_at(__FILE__, __LINE__, what, &r, rows[i].status[w]);
			ts_resp_free(&r);
		}
		/* Anonymous: sent to sign in. */
		struct ts_resp r = {0};
		assert_int_equal(web_get(&srv, NULL, rows[i].path, &r), 0);
		assert_status(&r, 303);
		char loc[512];
		assert_true(strncmp(location(&r, loc, sizeof(loc)), "/connexion?suivant=", 19) ==
			    0);
		ts_resp_free(&r);
	}
	/* A manager reads their organisation but cannot change it. */
	const char *kv[] = {"name", "Pirate", "sector", "1", NULL};
	expect_post(&srv, &gest_a, org_a, kv, 404, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM organisation WHERE name = "
					       "'Pirate'"),
			 0);
}

/* Every new form refuses a POST without the CSRF token, and writes
 * nothing. */
static void test_csrf_on_every_new_post(void **state)
{
	(void)state;
	char acct[64];
	id_path(acct, sizeof(acct), "/admin/comptes/", person_id("pap2@a.test"), "");
	const char *paths[] = {
		"/admin/comptes/nouveau",
		acct,
		"/admin/organisations/nouvelle",
		"/admin/organisations/1",
		"/admin/secteurs",
		"/admin/secteurs/1",
		"/admin/territoires",
		"/admin/territoires/1",
		"/admin/listes",
		"/admin/listes/1/retirer",
		"/admin/listes/1/remettre",
		"/admin/parametres",
		"/compte/mot-de-passe",
		"/compte/sessions/fin",
		"/compte/sessions/1/fin",
		"/compte/deux-facteurs/debut",
		"/compte/deux-facteurs/activer",
		"/compte/deux-facteurs/codes",
		"/compte/deux-facteurs/retirer",
		"/connexion/code",
	};
	char deact[80];
	snprintf(deact, sizeof(deact), "%s/desactiver", acct);
	long long before = web_sql_count(srv.db, "SELECT count(*) FROM settings") * 1000 +
			   web_sql_count(srv.db, "SELECT count(*) FROM person WHERE active = 1");
	for (size_t i = 0; i <= WEB_COUNT(paths); i++) {
		const char *path = i < WEB_COUNT(paths) ? paths[i] : deact;
		const char *h[] = {admin.cookie, WEB_FORM_CT, NULL};
		const char *body = "small_cell_threshold=9&name=Pirate&ext_id=PIRATE";
		struct ts_resp r = {0};
		assert_int_equal(
			ts_http(NULL, "POST", ts_url(&srv, path), h, body, strlen(body), &r), 0);
		web_assert_status_at(__FILE__, __LINE__, path, &r, 403);
		ts_resp_free(&r);
	}
	assert_int_equal(
		web_sql_count(srv.db, "SELECT count(*) FROM settings") * 1000 +
			web_sql_count(srv.db, "SELECT count(*) FROM person WHERE active = 1"),
		before);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM sector WHERE ext_id = "
					       "'PIRATE'"),
			 0);
}

/* ---- Settings. */

static void test_settings_refuse_out_of_range(void **state)
{
	(void)state;
	expect_get(&srv, &admin, "/admin/parametres", 200,
		   TEXTS("Seuil des petites cellules", "name=\"small_cell_threshold\"", "3 – 100",
			 "name=\"totp_required\""),
		   TEXTS("demo_loaded"));
	const char *bad[] = {"small_cell_threshold", "2000", "escape_window_days", "45", NULL};
	expect_post(&srv, &admin, "/admin/parametres", bad, 422,
		    TEXTS("Rien n&#39;a été enregistré", "href=\"#f-small-cell-threshold\"",
			  "Seuil des petites cellules : Entrez un nombre entier (3 – 100).",
			  "value=\"2000\""),
		    NULL);
	/* Nothing was written, not even the valid field. */
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM settings WHERE key = "
					       "'escape_window_days' AND value = '45'"),
			 0);
	char v[32];
	assert_string_equal(web_sql_text(srv.db,
					 "SELECT value FROM settings WHERE key = "
					 "'small_cell_threshold'",
					 v, sizeof(v)),
			    "5");
	/* The same refusal in English. */
	struct web_browser en = admin;
	snprintf(en.cookie, sizeof(en.cookie), "%.480s; lang=en", admin.cookie);
	expect_post(&srv, &en, "/admin/parametres", bad, 422,
		    TEXTS("Small-cell threshold: Enter a whole number (3 – 100)."), NULL);
	const char *good[] = {"small_cell_threshold", "7", "supervision_target_hours_month", "1,5",
			      NULL};
	char loc[256];
	assert_string_equal(
		post_redirect(&srv, &admin, "/admin/parametres", good, loc, sizeof(loc)),
		"/admin/parametres?ok=enregistre");
	assert_string_equal(web_sql_text(srv.db,
					 "SELECT value FROM settings WHERE key = "
					 "'small_cell_threshold'",
					 v, sizeof(v)),
			    "7");
	assert_string_equal(web_sql_text(srv.db,
					 "SELECT value FROM settings WHERE key = "
					 "'supervision_target_hours_month'",
					 v, sizeof(v)),
			    "1.5");
	/* The command line refuses the same way, and says the range. */
	char out[2048], err[2048];
	const char *set[] = {"settings", "set", "small_cell_threshold", "2000", "--db",
			     srv.db,     NULL};
	assert_int_equal(ts_run(set, 10000, out, sizeof(out), err, sizeof(err)), 1);
	assert_non_null(strstr(err, "small_cell_threshold: '2000' refused: Enter a whole number "
				    "(3 – 100)."));
	const char *get[] = {"settings", "get", "small_cell_threshold", "--db", srv.db, NULL};
	assert_int_equal(ts_run(get, 10000, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "7\n");
	const char *list[] = {"settings", "list", "--db", srv.db, NULL};
	assert_int_equal(ts_run(list, 10000, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, "escape_window_days"));
	assert_non_null(strstr(out, "range 1 – 365"));
	const char *reset[] = {"settings", "reset", "small_cell_threshold", "--db", srv.db, NULL};
	assert_int_equal(ts_run(reset, 10000, out, sizeof(out), err, sizeof(err)), 0);
}

/* ---- Accounts. */

/* The one-time link path shown on a page. */
static const char *link_of(const struct ts_resp *r, char *out, size_t cap)
{
	char token[64];
	between(r->body.data, "/compte/lien/", "</code>", token, sizeof(token));
	assert_int_equal(strlen(token), 43);
	snprintf(out, cap, "/compte/lien/%s", token);
	return out;
}

static void test_invitation_link(void **state)
{
	(void)state;
	const char *kv[] = {"name",         "Julie Roy", "email",     "julie@a.test", "role", "pap",
			    "organisation", "ORG-A",     "territory", "T-A",          NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, &admin, "/admin/comptes/nouveau", kv, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Lien à usage unique");
	char link[128];
	link_of(&r, link, sizeof(link));
	ts_resp_free(&r);
	/* Only the token's hash is stored; the account cannot sign in yet. */
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM person WHERE email = "
					       "'julie@a.test' AND password_hash IS NULL"),
			 1);
	struct web_browser julie;
	assert_int_equal(web_login(&srv, &julie, "julie@a.test", ""), -1);
	/* The same e-mail twice: refused, naming the field. */
	memset(&r, 0, sizeof(r));
	expect_post(&srv, &admin, "/admin/comptes/nouveau", kv, 422,
		    TEXTS("Un compte existe déjà avec ce courriel.", "href=\"#f-email\""), NULL);

	struct web_browser anon;
	assert_int_equal(web_get_anonymous(&srv, &anon, link, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Bienvenue dans Proxima");
	assert_has(&r, "Julie Roy");
	ts_resp_free(&r);
	const char *weak[] = {"password", "court", "confirm", "court", NULL};
	expect_post(&srv, &anon, link, weak, 422, TEXTS("href=\"#f-password\""), NULL);
	const char *differ[] = {"password", "un mot de passe long", "confirm", "un autre", NULL};
	expect_post(&srv, &anon, link, differ, 422, TEXTS("Les deux mots de passe diffèrent."),
		    NULL);
	const char *ok[] = {"password", "julie-mot-de-passe", "confirm", "julie-mot-de-passe",
			    NULL};
	char loc[256];
	assert_string_equal(post_redirect(&srv, &anon, link, ok, loc, sizeof(loc)),
			    "/connexion?ok=mot-de-passe");
	assert_int_equal(web_login(&srv, &julie, "julie@a.test", "julie-mot-de-passe"), 0);
	expect_get(&srv, &julie, "/journal", 200, NULL, NULL);
	/* Single use. */
	expect_get(&srv, &anon, link, 404, TEXTS("Ce lien n&#39;est plus valide"), NULL);
	expect_post(&srv, &anon, link, ok, 404, NULL, NULL);
}

static void test_manager_scope(void **state)
{
	(void)state;
	/* A manager gives pap or gestionnaire in their own organisation only. */
	const char *as_admin[] = {"name", "Intrus", "email", "intrus@a.test",
				  "role", "admin",  NULL};
	expect_post(&srv, &gest_a, "/admin/comptes/nouveau", as_admin, 422,
		    TEXTS("Choisissez un rôle."), NULL);
	expect_get(&srv, &gest_a, "/admin/comptes/nouveau", 200, TEXTS("value=\"pap\""),
		   TEXTS("value=\"admin\"", "value=\"comite\"", "name=\"organisation\""));
	const char *other_org[] = {"name", "Paul Roy",     "email", "paul@a.test", "role",
				   "pap",  "organisation", "ORG-B", NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, &gest_a, "/admin/comptes/nouveau", other_org, &r), 0);
	assert_status(&r, 200);
	ts_resp_free(&r);
	assert_int_equal(web_sql_count(srv.db, "SELECT organisation_id FROM person WHERE email = "
					       "'paul@a.test'"),
			 1);
	/* The list holds their organisation's accounts only. */
	expect_get(&srv, &gest_a, "/admin/comptes", 200, TEXTS("Marie Tremblay", "Paul Roy"),
		   TEXTS("Yves Pelletier", "Comité A", "admin@q.test"));
	/* Another organisation's manager: 404 on read and on every action. */
	char path[96];
	long long marie = person_id("pap@a.test");
	id_path(path, sizeof(path), "/admin/comptes/", marie, "/desactiver");
	expect_post(&srv, &gest_b, path, NULL, 404, NULL, NULL);
	id_path(path, sizeof(path), "/admin/comptes/", marie, "/reinitialiser");
	expect_post(&srv, &gest_b, path, NULL, 404, NULL, NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM account_link WHERE "
					       "person_id = (SELECT id FROM person WHERE email = "
					       "'pap@a.test')"),
			 0);
	/* An admin cannot deactivate themself. */
	id_path(path, sizeof(path), "/admin/comptes/", person_id("admin@q.test"), "/desactiver");
	expect_post(&srv, &admin, path, NULL, 409, TEXTS("votre propre compte"), NULL);
}

static void test_deactivated_account_loses_access_at_once(void **state)
{
	(void)state;
	struct web_browser luc;
	assert_int_equal(web_login(&srv, &luc, "pap2@a.test", PASSWORD), 0);
	char token[128];
	assert_int_equal(
		web_token_create(srv.db, "pap2@a.test", "intégration", token, sizeof(token)), 0);
	struct ts_resp r = {0};
	assert_int_equal(web_bearer_get(&srv, token, "/api/v1/me", &r), 200);
	ts_resp_free(&r);
	expect_get(&srv, &luc, "/journal", 200, NULL, NULL);

	char path[96];
	long long id = person_id("pap2@a.test");
	id_path(path, sizeof(path), "/admin/comptes/", id, "/desactiver");
	char loc[256];
	post_redirect(&srv, &gest_a, path, NULL, loc, sizeof(loc));
	expect_get(&srv, &gest_a, loc, 200, TEXTS("Le compte est désactivé", "Désactivé"), NULL);
	/* The very next request, page and API. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get(&srv, &luc, "/journal", &r), 0);
	assert_status(&r, 303);
	assert_true(strncmp(location(&r, loc, sizeof(loc)), "/connexion", 10) == 0);
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_bearer_get(&srv, token, "/api/v1/me", &r), 401);
	ts_resp_free(&r);
	assert_int_equal(web_login(&srv, &luc, "pap2@a.test", PASSWORD), -1);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM session s JOIN person p ON "
					       "p.id = s.person_id WHERE p.email = 'pap2@a.test'"),
			 0);
	/* Reactivated: a new sign-in works; the old token stays revoked. */
	id_path(path, sizeof(path), "/admin/comptes/", id, "/reactiver");
	post_redirect(&srv, &admin, path, NULL, loc, sizeof(loc));
	assert_int_equal(web_login(&srv, &luc, "pap2@a.test", PASSWORD), 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_bearer_get(&srv, token, "/api/v1/me", &r), 401);
	ts_resp_free(&r);
	/* A reset link: the old password stops working once it is used. */
	id_path(path, sizeof(path), "/admin/comptes/", id, "/reinitialiser");
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_post(&srv, &admin, path, NULL, &r), 0);
	assert_status(&r, 200);
	assert_lacks(&r, PASSWORD);
	char link[128];
	link_of(&r, link, sizeof(link));
	ts_resp_free(&r);
	struct web_browser anon;
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get_anonymous(&srv, &anon, link, &r), 0);
	assert_has(&r, "Choisir un nouveau mot de passe");
	ts_resp_free(&r);
	const char *ok[] = {"password", "luc-nouveau-secret", "confirm", "luc-nouveau-secret",
			    NULL};
	post_redirect(&srv, &anon, link, ok, loc, sizeof(loc));
	expect_get(&srv, &luc, "/journal", 303, NULL, NULL); /* its session ended */
	assert_int_equal(web_login(&srv, &luc, "pap2@a.test", PASSWORD), -1);
	assert_int_equal(web_login(&srv, &luc, "pap2@a.test", "luc-nouveau-secret"), 0);
}

/* ---- Self-service. */

/* Signs in as email with the User-Agent agent. */
static void login_with_agent(struct web_browser *b, const char *email, const char *password,
			     const char *agent)
{
	struct ts_resp r = {0};
	assert_int_equal(web_get_anonymous(&srv, b, "/connexion", &r), 0);
	ts_resp_free(&r);
	char ua[128], body[512] = "";
	snprintf(ua, sizeof(ua), "User-Agent: %s", agent);
	const char *kv[] = {"courriel", email, "mot_de_passe", password, NULL};
	web_form_build(body, sizeof(body), b->csrf, kv);
	const char *h[] = {b->cookie, WEB_FORM_CT, ua, NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(
		ts_http(NULL, "POST", ts_url(&srv, "/connexion"), h, body, strlen(body), &r), 0);
	assert_status(&r, 303);
	assert_non_null(ts_set_cookie(&r, "proxima_session", b->session, sizeof(b->session)));
	/* The CSRF token changes with the session. */
	assert_non_null(ts_set_cookie(&r, "proxima_csrf", b->csrf, sizeof(b->csrf)));
	snprintf(b->cookie, sizeof(b->cookie), "Cookie: proxima_csrf=%s; proxima_session=%s",
		 b->csrf, b->session);
	snprintf(b->csrf_header, sizeof(b->csrf_header), "X-CSRF-Token: %s", b->csrf);
	ts_resp_free(&r);
}

static void test_password_change_and_sessions(void **state)
{
	(void)state;
	struct web_browser phone, desk;
	login_with_agent(&phone, "comite@a.test", PASSWORD, "Telephone-de-terrain/1.0");
	login_with_agent(&desk, "comite@a.test", PASSWORD, "Poste-du-bureau/2.0");
	expect_get(&srv, &desk, "/compte", 200,
		   TEXTS("Mes sessions", "Telephone-de-terrain/1.0", "Poste-du-bureau/2.0",
			 "cette session"),
		   TEXTS(phone.session, desk.session));
	const char *wrong[] = {"current", "pas le bon",        "password", "nouveau-secret-42",
			       "confirm", "nouveau-secret-42", NULL};
	expect_post(&srv, &desk, "/compte/mot-de-passe", wrong, 422,
		    TEXTS("Le mot de passe actuel est incorrect.", "href=\"#f-current\""), NULL);
	const char *right[] = {
		"current",           PASSWORD, "password", "nouveau-secret-42", "confirm",
		"nouveau-secret-42", NULL};
	char loc[256];
	assert_string_equal(
		post_redirect(&srv, &desk, "/compte/mot-de-passe", right, loc, sizeof(loc)),
		"/compte?ok=mot-de-passe");
	/* The other session ended; this one goes on. */
	expect_get(&srv, &phone, "/tableaux", 303, NULL, NULL);
	expect_get(&srv, &desk, "/compte", 200, TEXTS("Poste-du-bureau/2.0"),
		   TEXTS("Telephone-de-terrain/1.0"));
	/* Sign out everywhere: this session too. */
	login_with_agent(&phone, "comite@a.test", "nouveau-secret-42", "Telephone-de-terrain/1.0");
	post_redirect(&srv, &desk, "/compte/sessions/fin", NULL, loc, sizeof(loc));
	assert_string_equal(loc, "/connexion");
	expect_get(&srv, &desk, "/compte", 303, NULL, NULL);
	expect_get(&srv, &phone, "/compte", 303, NULL, NULL);
	assert_int_equal(web_login(&srv, &comite, "comite@a.test", "nouveau-secret-42"), 0);
}

/* ---- Two-factor sign-in, with the server's clock fixed at NOW. */

/* The bytes of a base32 text (RFC 4648, no padding) into out. */
static size_t base32_decode(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0;
	for (; *s; s++) {
		const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
		const char *p = strchr(alphabet, *s);
		assert_non_null(p);
		acc = (acc << 5) | (unsigned)(p - alphabet);
		bits += 5;
		if (bits >= 8) {
			assert_true(n < cap);
			out[n++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return n;
}

static void code_at(const unsigned char *secret, int64_t t, char out[9])
{
	assert_int_equal(totp_code(secret, TOTP_SECRET_LEN, t, 6, TOTP_SHA1, out), 0);
}

/* Password step: the answer sends to /connexion/code with the challenge
 * cookie and no session. Fills b for the code step. */
static void password_step(struct web_browser *b, const char *email, const char *password)
{
	struct ts_resp r = {0};
	assert_int_equal(web_get_anonymous(&srv, b, "/connexion", &r), 0);
	ts_resp_free(&r);
	const char *kv[] = {"courriel", email, "mot_de_passe", password, NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_post(&srv, b, "/connexion", kv, &r), 0);
	assert_status(&r, 303);
	char loc[256], challenge[128];
	assert_string_equal(location(&r, loc, sizeof(loc)), "/connexion/code");
	assert_null(ts_set_cookie(&r, "proxima_session", b->session, sizeof(b->session)));
	assert_non_null(ts_set_cookie(&r, "proxima_2fa", challenge, sizeof(challenge)));
	snprintf(b->cookie, sizeof(b->cookie), "Cookie: proxima_csrf=%s; proxima_2fa=%s", b->csrf,
		 challenge);
	ts_resp_free(&r);
}

/* Code step with code; expects status (303 signs in: b gets the session). */
static void code_step(struct web_browser *b, const char *code, long status)
{
	const char *kv[] = {"code", code, NULL};
	struct ts_resp r = {0};
	assert_int_equal(web_post(&srv, b, "/connexion/code", kv, &r), 0);
	assert_status(&r, status);
	if (status == 303) {
		assert_non_null(
			ts_set_cookie(&r, "proxima_session", b->session, sizeof(b->session)));
		/* The CSRF token changes with the session. */
		assert_non_null(ts_set_cookie(&r, "proxima_csrf", b->csrf, sizeof(b->csrf)));
		snprintf(b->cookie, sizeof(b->cookie),
			 "Cookie: proxima_csrf=%s; proxima_session=%s", b->csrf, b->session);
	}
	ts_resp_free(&r);
}

static void test_twofactor_with_fixed_clock(void **state)
{
	(void)state;
	int64_t now;
	assert_int_equal(ptime_parse_timestamp(NOW, &now), 0);
	expect_get(&srv, &pap, "/compte/deux-facteurs", 200,
		   TEXTS("Activer la double authentification"), NULL);
	char loc[256];
	post_redirect(&srv, &pap, "/compte/deux-facteurs/debut", NULL, loc, sizeof(loc));
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &pap, "/compte/deux-facteurs", &r), 0);
	assert_has(&r, "otpauth://totp/Proxima:pap%40a.test?secret=");
	char b32[64];
	between(r.body.data, "id=\"cle\">", "</code>", b32, sizeof(b32));
	ts_resp_free(&r);
	unsigned char secret[TOTP_SECRET_LEN];
	assert_int_equal(base32_decode(b32, secret, sizeof(secret)), TOTP_SECRET_LEN);
	char cur[9], next[9], old[9];
	code_at(secret, now, cur);
	code_at(secret, now + 30, next);
	code_at(secret, now - 120, old);
	const char *wrong[] = {"code", old, NULL};
	expect_post(&srv, &pap, "/compte/deux-facteurs/activer", wrong, 422,
		    TEXTS("Ce code n&#39;est pas le bon"), NULL);
	const char *right[] = {"code", cur, NULL};
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_post(&srv, &pap, "/compte/deux-facteurs/activer", right, &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "Vos codes de secours");
	char recovery[32];
	between(r.body.data, "<ul class=\"codes\"><li><code>", "</code>", recovery,
		sizeof(recovery));
	assert_int_equal(strlen(recovery), 19);
	ts_resp_free(&r);
	/* Codes stored as hashes only. */
	char q[200];
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM recovery_code WHERE CAST(code_hash AS TEXT) "
		 "LIKE '%%%s%%'",
		 recovery);
	assert_int_equal(web_sql_count(srv.db, q), 0);

	/* Signing in now needs the code: the password alone opens no session. */
	struct web_browser b;
	password_step(&b, "pap@a.test", PASSWORD);
	expect_get(&srv, &b, "/journal", 303, NULL, NULL);
	expect_get(&srv, &b, "/connexion/code", 200, TEXTS("Code de vérification"), NULL);
	code_step(&b, cur, 401); /* used to turn it on: never twice */
	code_step(&b, next, 303);
	expect_get(&srv, &b, "/journal", 200, NULL, NULL);
	/* A recovery code works once. */
	password_step(&b, "pap@a.test", PASSWORD);
	code_step(&b, next, 401);
	code_step(&b, recovery, 303);
	password_step(&b, "pap@a.test", PASSWORD);
	code_step(&b, recovery, 401);
	/* Five wrong codes end the challenge. */
	for (int i = 0; i < 3; i++)
		code_step(&b, "000000", 401);
	memset(&r, 0, sizeof(r));
	const char *kv[] = {"code", "000000", NULL};
	assert_int_equal(web_post(&srv, &b, "/connexion/code", kv, &r), 0);
	assert_status(&r, 401);
	assert_has(&r, "Trop de codes incorrects");
	ts_resp_free(&r);
	expect_get(&srv, &b, "/connexion/code", 303, NULL, NULL);
	/* Wrong codes count as failed sign-ins: the password step is now
	 * throttled, which bounds the guesses at the codes. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(web_get_anonymous(&srv, &b, "/connexion", &r), 0);
	ts_resp_free(&r);
	const char *again[] = {"courriel", "pap@a.test", "mot_de_passe", PASSWORD, NULL};
	expect_post(&srv, &b, "/connexion", again, 429, TEXTS("Trop de tentatives"), NULL);
}

static void test_twofactor_required_for_nominative_roles(void **state)
{
	(void)state;
	char out[512], err[512];
	const char *on[] = {"settings", "set", "totp_required", "oui", "--db", srv.db, NULL};
	assert_int_equal(ts_run(on, 10000, out, sizeof(out), err, sizeof(err)), 0);
	/* A manager without it: every page leads to the enrolment. */
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &gest_b, "/journal", &r), 0);
	assert_status(&r, 303);
	char loc[256];
	assert_string_equal(location(&r, loc, sizeof(loc)), "/compte/deux-facteurs");
	ts_resp_free(&r);
	expect_get(&srv, &gest_b, "/compte/deux-facteurs", 200,
		   TEXTS("activez la double authentification pour continuer"), NULL);
	expect_api(&srv, &gest_b, "GET", "/api/v1/me", NULL, 403, NULL, NULL);
	/* The roles that read no nominative data go on. */
	expect_get(&srv, &analyste, "/tableaux/comparaison", 200, NULL, NULL);
	expect_get(&srv, &admin, "/admin", 200, NULL, NULL);
	const char *off[] = {"settings", "set", "totp_required", "non", "--db", srv.db, NULL};
	assert_int_equal(ts_run(off, 10000, out, sizeof(out), err, sizeof(err)), 0);
	expect_get(&srv, &gest_b, "/journal", 200, NULL, NULL);
}

/* ---- Organisations, sectors, territories, reference lists. */

static void test_sectors_organisations_territories(void **state)
{
	(void)state;
	const char *sector[] = {"ext_id", "LOGE", "name", "Habitation", "name_en", "Housing", NULL};
	char loc[256];
	post_redirect(&srv, &admin, "/admin/secteurs", sector, loc, sizeof(loc));
	const char *no_en[] = {"ext_id", "SANS", "name", "Sans anglais", NULL};
	expect_post(&srv, &admin, "/admin/secteurs", no_en, 422,
		    TEXTS("Entrez le nom en anglais", "href=\"#f-name-en\""), NULL);
	long long loge = web_sql_count(srv.db, "SELECT id FROM sector WHERE ext_id = 'LOGE'");
	char sid[24];
	snprintf(sid, sizeof(sid), "%lld", loge);
	const char *org[] = {"ext_id",      "OMH", "name",        "Office d'habitation",
			     "sector",      sid,   "territories", "1",
			     "territories", "2",   NULL};
	assert_string_equal(
		post_redirect(&srv, &admin, "/admin/organisations/nouvelle", org, loc, sizeof(loc)),
		"/admin/organisations/3?ok=enregistre");
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM organisation_territory WHERE "
					       "organisation_id = 3"),
			 2);
	struct web_browser en = admin;
	snprintf(en.cookie, sizeof(en.cookie), "%.480s; lang=en", admin.cookie);
	expect_get(&srv, &en, "/admin/organisations", 200,
		   TEXTS("Office d&#39;habitation", "Housing"), NULL);
	/* Serve only T-B now. */
	const char *fewer[] = {"name", "Office d'habitation", "sector", sid, "territories", "2",
			       NULL};
	post_redirect(&srv, &admin, "/admin/organisations/3", fewer, loc, sizeof(loc));
	assert_int_equal(web_sql_count(srv.db, "SELECT territory_id FROM organisation_territory "
					       "WHERE organisation_id = 3"),
			 2);

	/* The hierarchy: a region above T-A, a neighbourhood below it. */
	const char *region[] = {"ext_id", "R-1", "name", "Région Nord", NULL};
	post_redirect(&srv, &admin, "/admin/territoires", region, loc, sizeof(loc));
	long long r1 = web_sql_count(srv.db, "SELECT id FROM territory WHERE ext_id = 'R-1'");
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", r1);
	const char *move[] = {"name", "Territoire A", "type", "urbain", "parent", rid, NULL};
	post_redirect(&srv, &admin, "/admin/territoires/1", move, loc, sizeof(loc));
	const char *quartier[] = {"ext_id", "Q-1", "name", "Quartier du Parc", "parent", "1", NULL};
	post_redirect(&srv, &admin, "/admin/territoires", quartier, loc, sizeof(loc));
	long long q1 = web_sql_count(srv.db, "SELECT id FROM territory WHERE ext_id = 'Q-1'");
	char qid[24];
	snprintf(qid, sizeof(qid), "%lld", q1);
	expect_get(&srv, &admin, "/admin/territoires", 200,
		   TEXTS("Région Nord", "Région", "Territoire A", "Quartier du Parc", "Quartier"),
		   NULL);
	char path[64];
	snprintf(path, sizeof(path), "/admin/territoires/%lld", r1);
	const char *cycle[] = {"name", "Région Nord", "parent", qid, NULL};
	expect_post(&srv, &admin, path, cycle, 422, TEXTS("sous lui-même"), NULL);
	assert_int_equal(web_sql_count(srv.db, "SELECT count(*) FROM territory WHERE parent_id IS "
					       "NULL AND ext_id = 'R-1'"),
			 1);
}

static void test_reference_list_retired_keeps_history(void **state)
{
	(void)state;
	const char *add[] = {"list",         "need",          "code",
			     "aide_devoirs", "label_fr",      "Aide aux devoirs",
			     "label_en",     "Homework help", NULL};
	char loc[256];
	post_redirect(&srv, &gest_a, "/admin/listes", add, loc, sizeof(loc));
	expect_get(&srv, &gest_a, loc, 200, TEXTS("L&#39;entrée est ajoutée.", "Aide aux devoirs"),
		   NULL);
	expect_get(&srv, &pap, "/journal/nouvelle", 200, TEXTS("Aide aux devoirs"), NULL);
	expect_get(&srv, &gest_b, "/admin/listes?list=need", 200, NULL, TEXTS("aide_devoirs"));
	/* An activity that uses it. */
	assert_int_equal(
		web_sql(srv.db,
			"INSERT INTO activity (id, ext_id, author_id, organisation_id, "
			"territory_id, "
			"date, duration_min, type, created_at, updated_at) VALUES (900, 'act-900', "
			"(SELECT id FROM person WHERE email = 'pap@a.test'), 1, 1, '2026-03-09', "
			"30, "
			"'contact_informel', 0, 0);"
			"INSERT INTO activity_need VALUES (900, 'aide_devoirs');"),
		0);
	long long id = web_sql_count(srv.db, "SELECT id FROM ref_item WHERE code = 'aide_devoirs'");
	char path[96];
	snprintf(path, sizeof(path), "/admin/listes/%lld/retirer", id);
	const char *kv[] = {"list", "need", NULL};
	expect_post(&srv, &gest_b, path, kv, 404, NULL, NULL); /* not B's entry */
	post_redirect(&srv, &gest_a, path, kv, loc, sizeof(loc));
	expect_get(&srv, &gest_a, loc, 200, TEXTS("L&#39;entrée est retirée", "Retirée"), NULL);
	expect_get(&srv, &pap, "/journal/nouvelle", 200, NULL, TEXTS("Aide aux devoirs"));
	expect_get(&srv, &pap, "/journal?semaine=2026-03-09", 200, TEXTS("Aide aux devoirs"),
		   TEXTS(">aide_devoirs<"));
	/* A bad entry names its fields. */
	const char *bad[] = {"list", "need",     "code", "Aide!", "label_fr",
			     "",     "label_en", "x",    NULL};
	expect_post(&srv, &gest_a, "/admin/listes", bad, 422,
		    TEXTS("href=\"#f-code\"", "href=\"#f-label-fr\""), NULL);
}

int main(void)
{
	ptime_set_zone("America/Toronto"); /* the server's, to read NOW as it does */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_menu_entry_reaches_a_page),
		cmocka_unit_test(test_new_pages_per_role),
		cmocka_unit_test(test_csrf_on_every_new_post),
		cmocka_unit_test(test_settings_refuse_out_of_range),
		cmocka_unit_test(test_invitation_link),
		cmocka_unit_test(test_manager_scope),
		cmocka_unit_test(test_deactivated_account_loses_access_at_once),
		cmocka_unit_test(test_password_change_and_sessions),
		cmocka_unit_test(test_twofactor_with_fixed_clock),
		cmocka_unit_test(test_twofactor_required_for_nominative_roles),
		cmocka_unit_test(test_sectors_organisations_territories),
		cmocka_unit_test(test_reference_list_retired_keeps_history),
	};
	return cmocka_run_group_tests(tests, group_setup, web_suite_teardown);
}
