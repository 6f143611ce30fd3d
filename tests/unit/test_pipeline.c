/* Unit tests of the request pipeline's write step (src/app_write.c), in
 * process through test_http_exchange() (the server's pipeline) on a
 * temporary database whose connection the test shares: a full disk gives
 * a 507 with the form given back filled in (the database refuses to grow,
 * as SQLite does on a full disk, through PRAGMA max_page_count on the
 * connection that runs the write units); a COMMIT
 * that fails gives the form back too; the API answers the same as JSON;
 * and the one-time form tokens are purged through their index. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/csrf.h"
#include "auth/session.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "db/stmt.h"
#include "http/static.h"
#include "http/test_http.h"
#include "model/form_token.h"
#include "support/scratch_db.h"

#define NOTE_LEN 3000

static char db_path[600];
static char session[64];
static char CSRF[64]; /* the CSRF token bound to the session (auth/csrf.h) */
static char note[NOTE_LEN + 1]; /* what the PAP typed: 3,000 characters */

static const char FIXTURE[] =
	"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T-A', 'Territoire A', "
	"'urbain');"
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES (1, 'ORG-A', 'CLSC du "
	"Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS'));"
	"INSERT INTO organisation_territory VALUES (1, 1);"
	"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES "
	"(1, 'marie', 'Marie Tremblay', 'pap', 1, 1);";

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || i18n_init() < 0 || ptime_set_zone("America/Toronto") < 0)
		return -1;
	static_init();
	struct db *db = scratch_db_create(db_path, sizeof(db_path), "proxima-unit-pipeline");
	if (!db)
		return -1;
	int rc = scratch_db_exec(db, FIXTURE);
	db_close(db);
	if (rc < 0)
		return -1;
	db_thread_setup(db_path);
	struct arena *a = arena_new(1024);
	const char *token;
	rc = session_create(db_thread(), a, 1, "test_pipeline", &token);
	if (rc == 0) {
		str_copy(session, sizeof(session), token);
		/* A signed-in request's token is its session's. */
		struct request r;
		struct response resp;
		request_init(&r, a);
		kvlist_add(a, &r.cookies, SESSION_COOKIE, session);
		response_init(&resp);
		str_copy(CSRF, sizeof(CSRF), csrf_token(&r, &resp));
		response_free(&resp);
	}
	arena_free(a);
	/* Words and spaces, as typed; the tail is unique to this test. */
	for (size_t i = 0; i < NOTE_LEN; i++)
		note[i] = i % 7 == 6 ? ' ' : (char)('a' + i % 26);
	memcpy(note + NOTE_LEN - 12, "fin-du-texte", 12);
	return rc;
}

static int group_teardown(void **state)
{
	(void)state;
	db_thread_close_all();
	scratch_db_remove(NULL, db_path);
	return 0;
}

/* ------------------------------------------------------------ helpers */

struct xresp {
	int status;
	char *raw;
	size_t len;
};

/* Sends a request with the session and CSRF cookies; body may be NULL. */
static int send(const char *method, const char *path, const char *ctype, const char *body,
		struct xresp *x)
{
	struct buf b = BUF_INIT(64 * 1024);
	buf_printf(&b,
		   "%s %s HTTP/1.1\r\nHost: test\r\nCookie: proxima_session=%s; "
		   "proxima_csrf=%s\r\nX-CSRF-Token: %s\r\n",
		   method, path, session, CSRF, CSRF);
	if (body)
		buf_printf(&b, "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", ctype,
			   strlen(body), body);
	else
		buf_puts(&b, "\r\n");
	assert_false(b.overflow);
	x->status = test_http_exchange(b.data, b.len, &x->raw, &x->len);
	buf_free(&b);
	assert_non_null(x->raw);
	return x->status;
}

static bool has(const struct xresp *x, const char *s)
{
	return memmem(x->raw, x->len, s, strlen(s)) != NULL;
}

#define FORM_CT "application/x-www-form-urlencoded"

/* The quick entry's form with the long note, urlencoded, into out. */
static void activity_form(char *out, size_t cap)
{
	struct buf b = BUF_INIT(cap);
	buf_printf(&b,
		   "csrf_token=%s&type=contact_informel&place=parc&duration_min=30"
		   "&counts.adults=2&note=",
		   CSRF);
	for (size_t i = 0; i < NOTE_LEN; i++)
		buf_putc(&b, note[i] == ' ' ? '+' : note[i]);
	assert_false(b.overflow);
	str_copy(out, cap, b.data);
	buf_free(&b);
}

static int64_t count(const char *sql)
{
	struct db_stmt *s = db_query(db_thread(), sql);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t n = db_col_int64(s, 0);
	db_query_free(s);
	return n;
}

/* PostgreSQL's pass: a full disk is the server's and is not simulated
 * here; triggers and query plans have its own syntax. */
static bool on_postgres(void)
{
	return db_engine(db_thread()) == DB_ENGINE_POSTGRES;
}

static void run(const char *sql)
{
	char err[300];
	if (db_exec_script(db_thread(), sql, err, sizeof(err)) < 0)
		fail_msg("%s: %s", sql, err);
}

/* Runs the pragma (a row-returning statement) on the connection given to
 * a write unit: the one that runs the requests' writes (the group
 * commits' writer, db/db.h), whose settings are its own. */
static enum db_unit_verdict pragma_work(struct db *db, void *arg)
{
	struct db_stmt *s = db_query(db, arg);
	assert_non_null(s);
	while (db_step(s) == DB_ROW)
		;
	db_query_free(s);
	return DB_UNIT_KEEP;
}

static void on_writer(const char *sql)
{
	assert_int_equal(db_unit_run(db_thread(), pragma_work, (void *)(uintptr_t)sql, NULL),
			 DB_UNIT_COMMITTED);
}

/* The database may not grow past its current size: a full disk, for the
 * connection that writes. */
static void disk_full(void)
{
	run("VACUUM");
	char sql[80];
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
		 (long long)count("PRAGMA page_count"));
	on_writer(sql);
}

static void disk_freed(void)
{
	on_writer("PRAGMA max_page_count = 1073741823");
}

/* ---------------------------------------------------------------- tests */

/* A full disk: the page says so (not "unavailable"), answers 507, and
 * gives the form back with the 3,000 characters typed; nothing is saved.
 * Once there is room again, the same form body saves. */
static void disk_full_gives_the_form_back(void **state)
{
	(void)state;
	if (on_postgres()) {
		skip();
		return;
	}
	static char body[16 * 1024];
	activity_form(body, sizeof(body));
	struct xresp x;
	/* With room: saved (the table's page is then mostly used). */
	assert_int_equal(send("POST", "/journal/nouvelle", FORM_CT, body, &x), 303);
	free(x.raw);
	int64_t before = count("SELECT count(*) FROM activity");

	disk_full();
	int status = send("POST", "/journal/nouvelle", FORM_CT, body, &x);
	disk_freed();
	assert_int_equal(status, 507);
	assert_true(has(&x, "Le disque du serveur est plein"));
	assert_false(has(&x, "momentanément indisponible"));
	assert_true(has(&x, "Ce que vous avez saisi est conservé ci-dessous."));
	/* The textarea holds the whole note, and the other fields as posted. */
	static char want[NOTE_LEN + 64];
	snprintf(want, sizeof(want), ">%s</textarea>", note);
	assert_true(has(&x, want));
	assert_true(has(&x, "name=\"duration_min\""));
	assert_true(has(&x, "value=\"30\""));
	assert_true(has(&x, "name=\"" FORM_TOKEN_FIELD "\""));
	assert_int_equal(count("SELECT count(*) FROM activity"), before);
	free(x.raw);

	assert_int_equal(send("POST", "/journal/nouvelle", FORM_CT, body, &x), 303);
	free(x.raw);
	assert_int_equal(count("SELECT count(*) FROM activity"), before + 1);
}

/* The pipeline commits after the handler answered: when the COMMIT itself
 * fails (here a deferred foreign key, checked only then), the 303 does not
 * leave; the form comes back filled in and nothing is saved. */
static void commit_failure_gives_the_form_back(void **state)
{
	(void)state;
	run("CREATE TABLE commit_check (person INTEGER REFERENCES person (id) "
	    "DEFERRABLE INITIALLY DEFERRED);");
	if (on_postgres())
		run("CREATE FUNCTION commit_fails() RETURNS trigger LANGUAGE plpgsql AS "
		    "$$ BEGIN INSERT INTO commit_check VALUES (999); RETURN NEW; END $$;"
		    "CREATE TRIGGER commit_fails AFTER INSERT ON activity "
		    "FOR EACH ROW EXECUTE FUNCTION commit_fails();");
	else
		run("CREATE TRIGGER commit_fails AFTER INSERT ON activity "
		    "BEGIN INSERT INTO commit_check VALUES (999); END;");
	int64_t before = count("SELECT count(*) FROM activity");
	static char body[16 * 1024];
	activity_form(body, sizeof(body));
	struct xresp x;
	int status = send("POST", "/journal/nouvelle", FORM_CT, body, &x);
	run(on_postgres() ? "DROP TRIGGER commit_fails ON activity; DROP FUNCTION commit_fails();"
			    "DROP TABLE commit_check;"
			  : "DROP TRIGGER commit_fails; DROP TABLE commit_check;");
	assert_int_equal(status, 500);
	assert_false(has(&x, "Location:"));
	assert_true(has(&x, "Ce que vous avez saisi est conservé ci-dessous."));
	assert_true(has(&x, "fin-du-texte</textarea>"));
	assert_int_equal(count("SELECT count(*) FROM activity"), before);
	free(x.raw);
}

/* The API on a full disk: a 507 with its own code, nothing saved. */
static void api_disk_full(void **state)
{
	(void)state;
	if (on_postgres()) {
		skip();
		return;
	}
	int64_t before = count("SELECT count(*) FROM activity");
	static char body[16 * 1024];
	snprintf(body, sizeof(body),
		 "{\"type\": \"contact_informel\", \"date\": \"2024-06-15\", "
		 "\"duration_min\": 30, \"territory\": \"T-A\", \"note\": \"%s\"}",
		 note);
	struct xresp x;
	disk_full();
	int status = send("POST", "/api/v1/activities", "application/json", body, &x);
	disk_freed();
	assert_int_equal(status, 507);
	assert_true(has(&x, "\"code\":\"insufficient_storage\""));
	assert_int_equal(count("SELECT count(*) FROM activity"), before);
	free(x.raw);
}

/* Used tokens are forgotten after FORM_TOKEN_TTL, off the write path, by
 * one indexed DELETE. */
static void form_tokens_purged_by_index(void **state)
{
	(void)state;
	struct db *db = db_thread();
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(form_token_store(db, 1, "100.aaaaaaaaaaaaaaaaaaaaaa", "/x", "/y", 1000),
			 0);
	assert_int_equal(form_token_store(db, 1, "100.aaaaaaaaaaaaaaaaaaaaaa", "/x", "/z", 1001),
			 1); /* a twin stored it first */
	assert_int_equal(form_token_store(db, 1, "200.bbbbbbbbbbbbbbbbbbbbbb", "/x", "/y", 5000),
			 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(form_token_purge(db, 2000), 1);
	assert_int_equal(count("SELECT count(*) FROM form_token"), 1);
	assert_int_equal(count("SELECT count(*) FROM form_token WHERE created_at = 5000"), 1);

	if (on_postgres())
		return; /* the plan below is SQLite's; the twin has the same index */
	char sql[400];
	snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
		 stmt_sql(STMT_FORM_TOKEN_PURGE, DB_ENGINE_SQLITE));
	struct db_stmt *s = db_query(db, sql);
	assert_non_null(s);
	bool indexed = false;
	while (db_step(s) == DB_ROW)
		indexed = indexed || strstr(db_col_cstr(s, 3), "form_token_created") != NULL;
	db_query_free(s);
	assert_true(indexed);
}

/* A token's shape: the instant it was issued, then 22 random characters;
 * tokens from the future are refused, old ones are expired. */
static void form_token_shape(void **state)
{
	(void)state;
	struct arena *a = arena_new(1024);
	int64_t issued;
	const char *t = form_token_new(a, 1700000000);
	assert_int_equal(form_token_issued(t, 1700000000, &issued), 0);
	assert_int_equal(issued, 1700000000);
	assert_int_not_equal(strcmp(t, form_token_new(a, 1700000000)), 0);
	assert_int_equal(form_token_issued("1700000000.short", 1700000000, &issued), -1);
	assert_int_equal(
		form_token_issued("x1700000000.aaaaaaaaaaaaaaaaaaaaaa", 1700000000, &issued), -1);
	assert_int_equal(
		form_token_issued("1800000000.aaaaaaaaaaaaaaaaaaaaaa", 1700000000, &issued), -1);
	assert_false(form_token_expired(1700000000 - FORM_TOKEN_TTL, 1700000000));
	assert_true(form_token_expired(1700000000 - FORM_TOKEN_TTL - 1, 1700000000));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(disk_full_gives_the_form_back),
		cmocka_unit_test(commit_failure_gives_the_form_back),
		cmocka_unit_test(api_disk_full),
		cmocka_unit_test(form_tokens_purged_by_index),
		cmocka_unit_test(form_token_shape),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
