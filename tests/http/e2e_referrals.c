/* End-to-end tests of the referral workflow against a real "proxima
 * serve": a PAP of X refers a family through a corridor into Y; a PAP of Y
 * finds it in the inbox, reads the family's name and phone (logged) and
 * takes it in charge; both see the status. A refusal without a reason and
 * a referral without consent are refused; a re-orientation back to X warns
 * of a loop and, once confirmed, is recorded as one; an overdue referral is
 * flagged on both sides; a third organisation Z and the committee and
 * analyst roles see nothing of it (404s, empty lists, never the name).
 *
 * Setup as in e2e_journal.c: "proxima init", a few rows with the sqlite3
 * API (territory, organisations, a corridor with its template), accounts
 * with "proxima user add", families opened through the pages. The clock is
 * fixed (PROXIMA_NOW). */
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

#define NOW "2026-11-25T10:00:00"
#define PASSWORD "motdepasse-solide"
#define FORM "Content-Type: application/x-www-form-urlencoded"
#define JSON "Content-Type: application/json"

static struct ts_server srv;

/* A signed-in browser: its cookies and CSRF token. */
struct browser {
	char csrf[128];
	char session[128];
	char cookie[512];
	char csrf_header[200];
};

static struct browser papx, papy, papz, comite, analyste;
static long long fam_ref, fam_no; /* families of X: consent to reference, or not */
static long long ref1;            /* X -> Y through the corridor */
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
	snprintf(b->csrf_header, sizeof(b->csrf_header), "X-CSRF-Token: %s", b->csrf);
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

/* A JSON request through the session (CSRF header on writes). */
static void api(struct browser *b, const char *method, const char *path, const char *body,
		struct ts_resp *r)
{
	const char *h[] = {b->cookie, b->csrf_header, JSON, NULL};
	if (ts_http(NULL, method, ts_url(&srv, path), h, body, body ? strlen(body) : 0, r) < 0)
		fail_msg("%s %s: no HTTP response", method, path);
}

static void assert_status(const struct ts_resp *r, long status)
{
	if (r->status != status)
		fail_msg("status %ld, expected %ld; body: %.800s", r->status, status,
			 r->body.data ? r->body.data : "");
}

static void assert_has(const struct ts_resp *r, const char *text)
{
	if (!ts_body_has(r, text))
		fail_msg("body (status %ld) lacks '%s': %.600s", r->status, text,
			 r->body.data ? r->body.data : "");
}

static void assert_lacks(const struct ts_resp *r, const char *text)
{
	if (ts_body_has(r, text))
		fail_msg("body (status %ld) contains '%s'", r->status, text);
}

/* The path of a redirect's Location (without the origin or fragment). */
static const char *location(const struct ts_resp *r, char *out, size_t cap)
{
	char v[1024];
	if (!ts_header(r, "Location", v, sizeof(v)))
		fail_msg("no Location (status %ld)", r->status);
	const char *p = strstr(v, "://");
	p = p ? strchr(p + 3, '/') : v;
	snprintf(out, cap, "%s", p ? p : v);
	char *hash = strchr(out, '#');
	if (hash)
		*hash = '\0';
	return out;
}

/* The id in a "/renvois/ID?..." or "/familles/ID..." location. */
static long long id_after(const struct ts_resp *r, const char *prefix)
{
	char loc[1100];
	location(r, loc, sizeof(loc));
	const char *p = strstr(loc, prefix);
	if (!p)
		fail_msg("location %s lacks %s", loc, prefix);
	return strtoll(p + strlen(prefix), NULL, 10);
}

/* prefix, id and suffix in one of a few rotating static buffers. */
static const char *pathf(const char *prefix, long long id, const char *suffix)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s%lld%s", prefix, id, suffix);
	return buf[k];
}

/* The external id of referral id. */
static const char *ext_of(long long id)
{
	static char out[128];
	sqlite3 *h;
	sqlite3_stmt *s;
	out[0] = '\0';
	if (sqlite3_open_v2(srv.db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return out;
	if (sqlite3_prepare_v2(h, "SELECT ext_id FROM referral WHERE id = ?1", -1, &s, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) == SQLITE_ROW)
			snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return out;
}

static long long open_family(const char *code, bool reference)
{
	struct ts_resp r = {0};
	const char *kv[] = {"code",
			    code,
			    "opened",
			    "2026-11-20",
			    "consent.date",
			    "2026-11-20",
			    "consent.language",
			    "fr",
			    "consent.suivi",
			    "1",
			    "nominative.name",
			    "Awa Diallo",
			    "nominative.phone",
			    "514-555-0101",
			    "nominative.address",
			    "5 rue des Saules",
			    reference ? "consent.reference" : NULL,
			    "1",
			    NULL};
	post(&papx, "/familles/nouvelle", kv, &r);
	assert_status(&r, 303);
	long long id = id_after(&r, "/familles/");
	ts_resp_free(&r);
	return id;
}

static int group_setup(void **state)
{
	(void)state;
	setenv("PROXIMA_TEST_FAST_HASH", "1", 1);
	setenv("PROXIMA_NOW", NOW, 1);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || ts_server_prepare(&srv) < 0)
		return -1;
	if (sql(srv.db,
		"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T-1', 'Territoire 1', "
		"'urbain');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "
		"(1, 'ORG-X', 'CLSC du Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		"(2, 'ORG-Y', 'Maison de la famille', (SELECT id FROM sector WHERE ext_id = "
		"'COMM')),"
		"(3, 'ORG-Z', 'École des Saules', (SELECT id FROM sector WHERE ext_id = 'MEQ'));"
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 1), (3, 1);"
		"INSERT INTO corridor (id, ext_id, territory_id, name, need, "
		"entry_organisation_id, "
		"target_days, active_from) VALUES (1, 'COR-1', 1, 'Soutien parental', "
		"'parentalite', "
		"2, 2, '2026-01-01');"
		"INSERT INTO corridor_field VALUES (1, 'motif'), (1, 'disponibilites');") < 0)
		return -1;
	if (add_user("pap@x.test", "Julie Roy", "pap", "ORG-X", "T-1") < 0 ||
	    add_user("pap@y.test", "Paul Gagnon", "pap", "ORG-Y", "T-1") < 0 ||
	    add_user("pap@z.test", "Zoé Lavoie", "pap", "ORG-Z", "T-1") < 0 ||
	    add_user("comite@t.test", "Comité T", "comite", NULL, "T-1") < 0 ||
	    add_user("analyste@t.test", "Analyste", "analyste", NULL, NULL) < 0)
		return -1;
	if (ts_server_start(&srv, NULL) < 0)
		return -1;
	if (login(&papx, "pap@x.test") < 0 || login(&papy, "pap@y.test") < 0 ||
	    login(&papz, "pap@z.test") < 0 || login(&comite, "comite@t.test") < 0 ||
	    login(&analyste, "analyste@t.test") < 0) {
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

/* X refers a family through the corridor: the family page links to the
 * form, the form shows the corridor's template, a missing field is named,
 * then the referral is sent. */
static void test_refer_through_corridor(void **state)
{
	(void)state;
	fam_ref = open_family("F-REF", true);
	fam_no = open_family("F-SANS", false);
	struct ts_resp r = {0};
	get(&papx, pathf("/familles/", fam_ref, ""), &r);
	assert_has(&r, pathf("href=\"/renvois/nouveau?famille=", fam_ref, "\""));
	assert_has(&r, ">Référer</a>");
	ts_resp_free(&r);

	memset(&r, 0, sizeof(r));
	get(&papx, pathf("/renvois/nouveau?famille=", fam_ref, ""), &r);
	assert_status(&r, 200);
	assert_has(&r, "Soutien parental → Maison de la famille");
	assert_lacks(&r, "name=\"fields.motif\"");
	ts_resp_free(&r);

	memset(&r, 0, sizeof(r));
	get(&papx, pathf("/renvois/nouveau?famille=", fam_ref, "&corridor=1"), &r);
	assert_status(&r, 200);
	assert_has(&r, "name=\"fields.motif\"");
	assert_has(&r, "name=\"fields.disponibilites\"");
	ts_resp_free(&r);

	char fam[32];
	snprintf(fam, sizeof(fam), "%lld", fam_ref);
	const char *missing[] = {"famille",      fam,           "corridor", "1",
				 "fields.motif", "Parentalité", NULL};
	memset(&r, 0, sizeof(r));
	post(&papx, "/renvois/nouveau", missing, &r);
	assert_status(&r, 422);
	assert_has(&r, "Ce champ du gabarit de transfert est obligatoire.");
	assert_has(&r, "value=\"Parentalité\"");
	ts_resp_free(&r);

	const char *kv[] = {"famille",
			    fam,
			    "corridor",
			    "1",
			    "fields.motif",
			    "Parentalité",
			    "fields.disponibilites",
			    "Mardi matin",
			    "first_contact_at",
			    "2026-11-23",
			    NULL};
	memset(&r, 0, sizeof(r));
	post(&papx, "/renvois/nouveau", kv, &r);
	assert_status(&r, 303);
	ref1 = id_after(&r, "/renvois/");
	assert_true(ref1 > 0);
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	get(&papx, pathf("/renvois/", ref1, "?ok=envoyee"), &r);
	assert_status(&r, 200);
	assert_has(&r, "Référence envoyée.");
	assert_has(&r, "Maison de la famille");
	assert_has(&r, "Envoyée</span>");
	assert_has(&r, "Mardi matin");
	assert_has(&r, "Déclarer la famille perdue");
	assert_lacks(&r, "Prendre en charge</button>");
	ts_resp_free(&r);
	/* The communication to Y is in the access log. */
	assert_int_equal(sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE action = "
					   "'communicate' AND recipient_id = 2"),
			 1);
}

/* Y sees it in its inbox, reads name and phone (never the address),
 * acknowledges it and takes it in charge; X sees the status. */
static void test_receiver_takes_in_charge(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	get(&papy, "/renvois", &r);
	assert_status(&r, 200);
	assert_has(&r, pathf("href=\"/renvois/", ref1, "\""));
	assert_has(&r, "reçue de CLSC du Parc");
	ts_resp_free(&r);

	memset(&r, 0, sizeof(r));
	get(&papy, pathf("/renvois/", ref1, ""), &r);
	assert_status(&r, 200);
	assert_has(&r, "Julie Roy (CLSC du Parc)");
	assert_has(&r, "Voir le nom et le téléphone");
	assert_has(&r, "Prendre en charge</button>");
	assert_lacks(&r, "Awa Diallo");
	ts_resp_free(&r);

	long long reads = sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE action = 'read'");
	memset(&r, 0, sizeof(r));
	post(&papy, pathf("/renvois/", ref1, "/coordonnees"), NULL, &r);
	assert_status(&r, 200);
	assert_has(&r, "Awa Diallo");
	assert_has(&r, "514-555-0101");
	assert_lacks(&r, "5 rue des Saules");
	ts_resp_free(&r);
	assert_int_equal(sql_count(srv.db,
				   "SELECT count(*) FROM audit_log WHERE action = 'read' "
				   "AND recipient_id = 2 AND information LIKE 'nominative%'"),
			 1);
	assert_true(sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE action = 'read'") >
		    reads);

	memset(&r, 0, sizeof(r));
	post(&papy, pathf("/renvois/", ref1, "/reception"), NULL, &r);
	assert_status(&r, 303);
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	post(&papy, pathf("/renvois/", ref1, "/prise-en-charge"), NULL, &r);
	assert_status(&r, 303);
	ts_resp_free(&r);

	memset(&r, 0, sizeof(r));
	get(&papx, pathf("/renvois/", ref1, ""), &r);
	assert_has(&r, "<span class=\"tag status-prise_en_charge\">Prise en charge</span>");
	assert_has(&r, "Paul Gagnon");
	ts_resp_free(&r);
	char p[256];
	snprintf(p, sizeof(p), "/api/v1/referrals/%s", ext_of(ref1));
	memset(&r, 0, sizeof(r));
	api(&papy, "GET", p, NULL, &r);
	assert_status(&r, 200);
	assert_has(&r, "\"status\":\"prise_en_charge\"");
	assert_has(&r, "\"direction\":\"received\"");
	assert_has(&r, "\"action\":\"recue\"");
	assert_has(&r, "\"from_organisation\":\"ORG-X\"");
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	api(&papx, "GET", "/api/v1/referrals?direction=sent&status=prise_en_charge", NULL, &r);
	assert_status(&r, 200);
	assert_has(&r, ext_of(ref1));
	assert_has(&r, "\"total\":1");
	ts_resp_free(&r);
}

/* A refusal needs a reason, in the page and in the API. */
static void test_refusal_needs_reason(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	char body[256];
	/* The family's external id. */
	long long id = fam_ref;
	sqlite3 *h;
	sqlite3_stmt *s;
	char fext[64] = "";
	assert_int_equal(sqlite3_open_v2(srv.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(h, "SELECT ext_id FROM family WHERE id = ?1", -1, &s, NULL),
		SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(fext, sizeof(fext), "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
	snprintf(body, sizeof(body),
		 "{\"family\": \"%s\", \"to_organisation\": \"ORG-Y\", \"need\": \"logement\"}",
		 fext);
	const char *hk[] = {papx.cookie, papx.csrf_header, JSON, "Idempotency-Key: ref-e2e-1",
			    NULL};
	assert_int_equal(ts_http(NULL, "POST", ts_url(&srv, "/api/v1/referrals"), hk, body,
				 strlen(body), &r),
			 0);
	assert_status(&r, 201);
	assert_has(&r, "\"status\":\"envoyee\"");
	assert_has(&r, "\"sender\":\"pap@x.test\"");
	ts_resp_free(&r);
	long long ref2 = sql_count(srv.db, "SELECT max(id) FROM referral");
	/* The same key again: the same answer, no second referral. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(ts_http(NULL, "POST", ts_url(&srv, "/api/v1/referrals"), hk, body,
				 strlen(body), &r),
			 0);
	assert_status(&r, 201);
	assert_has(&r, ext_of(ref2));
	ts_resp_free(&r);
	assert_int_equal(sql_count(srv.db, "SELECT max(id) FROM referral"), ref2);

	memset(&r, 0, sizeof(r));
	const char *blank[] = {"reason", "   ", NULL};
	post(&papy, pathf("/renvois/", ref2, "/refus"), blank, &r);
	assert_status(&r, 422);
	assert_has(&r, "Indiquez la raison : elle est obligatoire.");
	ts_resp_free(&r);
	char p[256];
	snprintf(p, sizeof(p), "/api/v1/referrals/%s/refuse", ext_of(ref2));
	memset(&r, 0, sizeof(r));
	api(&papy, "POST", p, "{}", &r);
	assert_status(&r, 422);
	assert_has(&r, "\"field\":\"reason\"");
	ts_resp_free(&r);
	assert_int_equal(sql_count(srv.db, pathf("SELECT count(*) FROM referral WHERE id = ", ref2,
						 " AND outcome IS NULL")),
			 1);
	/* With a reason: refused, and X sees why. */
	memset(&r, 0, sizeof(r));
	api(&papy, "POST", p, "{\"reason\": \"Liste d'attente fermée\"}", &r);
	assert_status(&r, 200);
	assert_has(&r, "\"status\":\"refusee\"");
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	get(&papx, pathf("/renvois/", ref2, ""), &r);
	assert_has(&r, "Refusée");
	assert_has(&r, "Liste d&#39;attente fermée");
	ts_resp_free(&r);
}

/* No consent to reference: refused with a clear message, nothing written. */
static void test_no_consent_rejected(void **state)
{
	(void)state;
	long long before = sql_count(srv.db, "SELECT count(*) FROM referral");
	char fam[32];
	snprintf(fam, sizeof(fam), "%lld", fam_no);
	struct ts_resp r = {0};
	get(&papx, pathf("/renvois/nouveau?famille=", fam_no, ""), &r);
	assert_has(&r, "ne couvre pas la référence");
	ts_resp_free(&r);
	const char *kv[] = {"famille", fam, "corridor", "direct", "to_organisation", "2", NULL};
	memset(&r, 0, sizeof(r));
	post(&papx, "/renvois/nouveau", kv, &r);
	assert_status(&r, 422);
	assert_has(&r, "La famille n&#39;a pas consenti à être référée");
	ts_resp_free(&r);
	assert_int_equal(sql_count(srv.db, "SELECT count(*) FROM referral"), before);
}

/* Y re-orients a referral back to X: a warning first, then, confirmed, a
 * referral recorded as a loop. */
static void test_loop_warning_then_confirmed(void **state)
{
	(void)state;
	char fam[32];
	snprintf(fam, sizeof(fam), "%lld", fam_ref);
	const char *kv[] = {"famille", fam, "corridor", "direct", "to_organisation", "2", NULL};
	struct ts_resp r = {0};
	post(&papx, "/renvois/nouveau", kv, &r);
	assert_status(&r, 303);
	long long ref3 = id_after(&r, "/renvois/");
	ts_resp_free(&r);

	const char *back[] = {"to_organisation", "1", "reason", "Relève plutôt du CLSC", NULL};
	memset(&r, 0, sizeof(r));
	post(&papy, pathf("/renvois/", ref3, "/reorientation"), back, &r);
	assert_status(&r, 409);
	assert_has(&r, "Renvoi en boucle");
	assert_has(&r, "name=\"confirm_loop\" value=\"1\"");
	assert_has(&r, "Confirmer la réorientation");
	assert_has(&r, "Relève plutôt du CLSC");
	ts_resp_free(&r);
	assert_int_equal(
		sql_count(srv.db,
			  pathf("SELECT count(*) FROM referral WHERE previous_id = ", ref3, "")),
		0);

	const char *confirmed[] = {"to_organisation", "1", "reason", "Relève plutôt du CLSC",
				   "confirm_loop",    "1", NULL};
	memset(&r, 0, sizeof(r));
	post(&papy, pathf("/renvois/", ref3, "/reorientation"), confirmed, &r);
	assert_status(&r, 303);
	long long ref4 = id_after(&r, "/renvois/");
	ts_resp_free(&r);
	assert_int_equal(sql_count(srv.db, pathf("SELECT loop_detected FROM referral WHERE id = ",
						 ref4, "")),
			 1);
	memset(&r, 0, sizeof(r));
	get(&papx, "/renvois", &r);
	assert_has(&r, pathf("href=\"/renvois/", ref4, "\""));
	assert_has(&r, "↺ Renvoi en boucle");
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	get(&papx, pathf("/renvois/", ref4, "/trajectoire"), &r);
	assert_status(&r, 200);
	assert_has(&r, "CLSC du Parc</strong> · point de départ");
	assert_has(&r, "→ Maison de la famille");
	assert_has(&r, "→ CLSC du Parc");
	ts_resp_free(&r);
	/* The API answers the same warning as a 409 naming confirm_loop. */
	const char *again[] = {"famille", fam, "corridor", "direct", "to_organisation", "2", NULL};
	memset(&r, 0, sizeof(r));
	post(&papx, "/renvois/nouveau", again, &r);
	long long ref5 = id_after(&r, "/renvois/");
	ts_resp_free(&r);
	char p[256];
	snprintf(p, sizeof(p), "/api/v1/referrals/%s/reorient", ext_of(ref5));
	memset(&r, 0, sizeof(r));
	api(&papy, "POST", p, "{\"to_organisation\": \"ORG-X\", \"reason\": \"Retour\"}", &r);
	assert_status(&r, 409);
	assert_has(&r, "\"field\":\"confirm_loop\"");
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	api(&papy, "POST", p,
	    "{\"to_organisation\": \"ORG-X\", \"reason\": \"Retour\", \"confirm_loop\": true}", &r);
	assert_status(&r, 201);
	assert_has(&r, "\"loop_detected\":true");
	assert_has(&r, "\"previous\":\"");
	ts_resp_free(&r);
}

/* Not taken in charge within the target: flagged on both sides. */
static void test_overdue_both_sides(void **state)
{
	(void)state;
	char fam[32];
	snprintf(fam, sizeof(fam), "%lld", open_family("F-RETARD", true));
	const char *kv[] = {"famille", fam, "corridor", "direct", "to_organisation", "3", NULL};
	struct ts_resp r = {0};
	post(&papx, "/renvois/nouveau", kv, &r);
	assert_status(&r, 303);
	long long late = id_after(&r, "/renvois/");
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	get(&papz, "/renvois/retards", &r);
	assert_lacks(&r, pathf("href=\"/renvois/", late, "\""));
	ts_resp_free(&r);
	/* Sent three days ago. */
	char q[160];
	snprintf(q, sizeof(q), "UPDATE referral SET sent_at = sent_at - 3 * 86400 WHERE id = %lld",
		 late);
	assert_int_equal(sql(srv.db, q), 0);
	memset(&r, 0, sizeof(r));
	get(&papz, "/renvois/retards", &r);
	assert_status(&r, 200);
	assert_has(&r, pathf("href=\"/renvois/", late, "\""));
	assert_has(&r, "⚠ En retard");
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	get(&papx, "/renvois/retards", &r);
	assert_has(&r, pathf("href=\"/renvois/", late, "\""));
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	api(&papx, "GET", "/api/v1/referrals?overdue=true", NULL, &r);
	assert_has(&r, "\"total\":1");
	assert_has(&r, "\"overdue\":true");
	ts_resp_free(&r);
}

/* Z is no party to the trajectory X -> Y -> X: nothing of it shows. */
static void test_third_organisation_sees_nothing(void **state)
{
	(void)state;
	long long loop_ref = sql_count(srv.db, "SELECT min(id) FROM referral WHERE "
					       "loop_detected = 1");
	const char *paths[] = {pathf("/renvois/", ref1, ""),
			       pathf("/renvois/", ref1, "/trajectoire"),
			       pathf("/renvois/", loop_ref, "/trajectoire")};
	for (size_t i = 0; i < 3; i++) {
		struct ts_resp r = {0};
		get(&papz, paths[i], &r);
		assert_status(&r, 404);
		assert_lacks(&r, "F-REF");
		ts_resp_free(&r);
	}
	struct ts_resp r = {0};
	post(&papz, pathf("/renvois/", ref1, "/coordonnees"), NULL, &r);
	assert_status(&r, 404);
	assert_lacks(&r, "Awa Diallo");
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	get(&papz, "/renvois", &r);
	assert_status(&r, 200);
	assert_lacks(&r, pathf("href=\"/renvois/", ref1, "\""));
	assert_lacks(&r, pathf("href=\"/renvois/", loop_ref, "\""));
	ts_resp_free(&r);
	char p[256];
	snprintf(p, sizeof(p), "/api/v1/referrals/%s", ext_of(ref1));
	memset(&r, 0, sizeof(r));
	api(&papz, "GET", p, NULL, &r);
	assert_status(&r, 404);
	ts_resp_free(&r);
	memset(&r, 0, sizeof(r));
	api(&papz, "GET", "/api/v1/referrals", NULL, &r);
	assert_lacks(&r, ext_of(ref1));
	assert_lacks(&r, "F-REF");
	ts_resp_free(&r);
	snprintf(p, sizeof(p), "/api/v1/referrals/%s/take", ext_of(loop_ref));
	memset(&r, 0, sizeof(r));
	api(&papz, "POST", p, NULL, &r);
	assert_status(&r, 404);
	ts_resp_free(&r);
}

/* comité and analyste: no referral, never the family's name or code. */
static void test_committee_and_analyst_never_see_names(void **state)
{
	(void)state;
	struct browser *who[] = {&comite, &analyste};
	for (size_t i = 0; i < 2; i++) {
		struct ts_resp r = {0};
		get(who[i], "/renvois", &r);
		assert_status(&r, 200);
		assert_lacks(&r, "F-REF");
		assert_lacks(&r, "Awa Diallo");
		ts_resp_free(&r);
		memset(&r, 0, sizeof(r));
		get(who[i], pathf("/renvois/", ref1, ""), &r);
		assert_status(&r, 404);
		ts_resp_free(&r);
		memset(&r, 0, sizeof(r));
		post(who[i], pathf("/renvois/", ref1, "/coordonnees"), NULL, &r);
		assert_status(&r, 404);
		assert_lacks(&r, "Awa Diallo");
		ts_resp_free(&r);
		memset(&r, 0, sizeof(r));
		api(who[i], "GET", "/api/v1/referrals", NULL, &r);
		assert_status(&r, 200);
		assert_has(&r, "\"total\":0");
		ts_resp_free(&r);
		memset(&r, 0, sizeof(r));
		get(who[i], "/renvois/retards", &r);
		assert_lacks(&r, "F-REF");
		ts_resp_free(&r);
	}
	assert_int_equal(sql_count(srv.db, "SELECT count(*) FROM audit_log WHERE actor_id IN "
					   "(SELECT id FROM person WHERE role IN ('comite', "
					   "'analyste'))"),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refer_through_corridor),
		cmocka_unit_test(test_receiver_takes_in_charge),
		cmocka_unit_test(test_refusal_needs_reason),
		cmocka_unit_test(test_no_consent_rejected),
		cmocka_unit_test(test_loop_warning_then_confirmed),
		cmocka_unit_test(test_overdue_both_sides),
		cmocka_unit_test(test_third_organisation_sees_nothing),
		cmocka_unit_test(test_committee_and_analyst_never_see_names),
	};
	return cmocka_run_group_tests_name("e2e_referrals", tests, group_setup, group_teardown);
}
