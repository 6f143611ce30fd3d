/* Unit tests of what the server keeps in memory between requests
 * (src/model/memo.h), through the server's pipeline (test_http_exchange)
 * on a temporary database, on both engines. What a user would notice: a
 * token revoked, expired or whose person left, a reference code withdrawn,
 * a territory no longer served (or deleted), is refused by the very next request, even
 * when the change is made by another connection (another process, as
 * `proxima token revoke` is); and while nothing changes, the memo answers
 * (else the rest would prove nothing). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/token.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "http/static.h"
#include "http/test_http.h"
#include "model/memo.h"
#include "support/scratch_db.h"

#define NOW "2026-03-10T12:00:00"
#define TODAY "2026-03-10"

static char db_path[600];

/* Territory 2 lies within territory 1, which organisation 1 serves: its PAP
 * files activities in 2 through the walk up the territories. */
static const char FIXTURE[] =
	"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T-A', 'Territoire A', "
	"'urbain');"
	"INSERT INTO territory (id, ext_id, name, type, parent_id) VALUES (2, 'T-A2', "
	"'Quartier A2', 'urbain', 1);"
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES (1, 'ORG-A', 'CLSC du "
	"Parc', (SELECT id FROM sector WHERE ext_id = 'MSSS'));"
	"INSERT INTO organisation_territory VALUES (1, 1);"
	"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES "
	"(1, 'marie', 'Marie Tremblay', 'pap', 1, 2), "
	"(2, 'luc', 'Luc Gagnon', 'pap', 1, 2);";

static int group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || i18n_init() < 0 || ptime_set_zone("America/Toronto") < 0)
		return -1;
	static_init();
	setenv("PROXIMA_NOW", NOW, 1);
	ptime_hooks_load();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unsetenv("PROXIMA_NOW");
	ptime_hooks_load();
	return 0;
}

/* Each test: a database of its own, the server's threads pointed at it. */
static int setup(void **state)
{
	(void)state;
	struct db *db = scratch_db_create(db_path, sizeof(db_path), "proxima-unit-memo");
	if (!db)
		return -1;
	int rc = scratch_db_exec(db, FIXTURE);
	db_close(db);
	if (rc < 0)
		return -1;
	db_thread_setup(db_path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_thread_close_all();
	scratch_db_remove(NULL, db_path);
	return 0;
}

/* A token for person (expires_at 0: never), copied into out. */
static void make_token(int64_t person, int64_t expires_at, char *out, size_t cap)
{
	struct arena *a = arena_new(1024);
	const char *t = NULL;
	assert_int_equal(token_create(db_thread(), a, person, "memo", expires_at, &t, NULL), 0);
	str_copy(out, cap, t);
	arena_free(a);
}

/* Another connection to the same database, as another process has. */
static void elsewhere(const char *sql)
{
	char err[256];
	struct db *other = db_open(db_path, DB_OPEN_EXISTING, err, sizeof(err));
	assert_non_null(other);
	assert_int_equal(scratch_db_exec(other, sql), 0);
	db_close(other);
}

/* Sends a request with a bearer token; body may be NULL. Returns the
 * status. */
static int call(const char *method, const char *path, const char *token, const char *body)
{
	struct buf b = BUF_INIT(16 * 1024);
	buf_printf(&b, "%s %s HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n", method,
		   path, token);
	if (body)
		buf_printf(&b, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
			   strlen(body), body);
	else
		buf_puts(&b, "\r\n");
	assert_false(b.overflow);
	char *raw = NULL;
	size_t len = 0;
	int status = test_http_exchange(b.data, b.len, &raw, &len);
	free(raw);
	buf_free(&b);
	return status;
}

static int me(const char *token)
{
	return call("GET", "/api/v1/me", token, NULL);
}

/* Files an activity of the given type in territory T-A2. */
static int file_activity(const char *token, const char *type)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"date\":\"" TODAY "\",\"type\":\"%s\",\"place\":\"parc\","
		 "\"territory\":\"T-A2\",\"duration_min\":30,"
		 "\"counts\":{\"adults\":1},\"needs\":[\"isolement\"]}",
		 type);
	return call("POST", "/api/v1/activities", token, body);
}

static uint64_t hits(void)
{
	struct memo_stats st;
	memo_stats(&st);
	return st.hits;
}

/* While nothing changes, the second request's token, codes and territory
 * are answered from memory. */
static void test_memo_answers_while_nothing_changes(void **state)
{
	(void)state;
	char tok[64];
	make_token(1, 0, tok, sizeof(tok));
	assert_int_equal(file_activity(tok, "contact_informel"), 201);
	uint64_t before = hits();
	assert_int_equal(file_activity(tok, "contact_informel"), 201);
	/* The token, the type, the place, the need, the territory. */
	assert_true(hits() >= before + 5);
}

static void test_token_revoked_elsewhere_refused_next_request(void **state)
{
	(void)state;
	char tok[64], other[64];
	make_token(1, 0, tok, sizeof(tok));
	make_token(2, 0, other, sizeof(other));
	assert_int_equal(me(tok), 200);
	assert_int_equal(me(tok), 200);
	/* As `proxima token revoke` does, from another process. */
	elsewhere("UPDATE api_token SET revoked_at = 1 WHERE person_id = 1;");
	assert_int_equal(me(tok), 401);
	assert_int_equal(me(other), 200);
}

static void test_token_expiry_refused_when_reached(void **state)
{
	(void)state;
	int64_t now = ptime_now();
	char tok[64];
	make_token(1, now + 60, tok, sizeof(tok));
	assert_int_equal(me(tok), 200);
	assert_int_equal(me(tok), 200); /* remembered */
	setenv("PROXIMA_NOW", "2026-03-10T12:02:00", 1);
	ptime_hooks_load();
	int status = me(tok);
	setenv("PROXIMA_NOW", NOW, 1);
	ptime_hooks_load();
	assert_int_equal(status, 401);
}

static void test_person_deactivated_refused_next_request(void **state)
{
	(void)state;
	char tok[64];
	make_token(1, 0, tok, sizeof(tok));
	assert_int_equal(me(tok), 200);
	assert_int_equal(me(tok), 200);
	elsewhere("UPDATE person SET active = 0 WHERE id = 1;");
	assert_int_equal(me(tok), 401);
}

static void test_code_withdrawn_refused_next_request(void **state)
{
	(void)state;
	char tok[64];
	make_token(1, 0, tok, sizeof(tok));
	assert_int_equal(file_activity(tok, "contact_informel"), 201);
	assert_int_equal(file_activity(tok, "contact_informel"), 201);
	elsewhere("UPDATE ref_item SET active = 0 WHERE list = 'activity_type' "
		  "AND code = 'contact_informel';");
	assert_int_equal(file_activity(tok, "contact_informel"), 422);
	/* And back: the memo does not keep the refusal either. */
	elsewhere("UPDATE ref_item SET active = 1 WHERE list = 'activity_type' "
		  "AND code = 'contact_informel';");
	assert_int_equal(file_activity(tok, "contact_informel"), 201);
}

static void test_territory_no_longer_served_refused_next_request(void **state)
{
	(void)state;
	char tok[64];
	make_token(1, 0, tok, sizeof(tok));
	assert_int_equal(file_activity(tok, "contact_informel"), 201);
	assert_int_equal(file_activity(tok, "contact_informel"), 201);
	elsewhere("DELETE FROM organisation_territory WHERE organisation_id = 1;");
	assert_int_equal(file_activity(tok, "contact_informel"), 422);
	/* Served again through the district itself, not its parent. */
	elsewhere("INSERT INTO organisation_territory VALUES (1, 2);");
	assert_int_equal(file_activity(tok, "contact_informel"), 201);
}

/* A row remembered to exist is forgotten once it is deleted elsewhere
 * (the API's own checks resolve external ids first, so this is asked of
 * the memo directly, as activity validation asks it). */
static void test_row_deleted_elsewhere_forgotten(void **state)
{
	(void)state;
	elsewhere("INSERT INTO territory (id, ext_id, name, type) VALUES (3, 'T-B', 'Territoire B', "
		  "'rural');");
	struct db *db = db_thread();
	memo_request_begin();
	assert_int_equal(memo_row_find(db, MEMO_ROW_TERRITORY, 3), 0);
	memo_row_keep(db, MEMO_ROW_TERRITORY, 3);
	memo_request_end();
	memo_request_begin();
	assert_int_equal(memo_row_find(db, MEMO_ROW_TERRITORY, 3), 1);
	/* Not an answer for another kind of row with the same id. */
	assert_int_equal(memo_row_find(db, MEMO_ROW_PERSON, 3), 0);
	memo_request_end();
	elsewhere("DELETE FROM territory WHERE id = 3;");
	memo_request_begin();
	assert_int_equal(memo_row_find(db, MEMO_ROW_TERRITORY, 3), 0);
	memo_request_end();
	/* Outside a request the memo never answers. */
	memo_row_keep(db, MEMO_ROW_TERRITORY, 1);
	assert_int_equal(memo_row_find(db, MEMO_ROW_TERRITORY, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_memo_answers_while_nothing_changes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_token_revoked_elsewhere_refused_next_request,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_expiry_refused_when_reached, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_person_deactivated_refused_next_request, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_code_withdrawn_refused_next_request, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_territory_no_longer_served_refused_next_request,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_row_deleted_elsewhere_forgotten, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
