/* Unit tests of the housekeeping (src/housekeeping.c, issue 14 item 8):
 *   - every purge reads through an index on its expiry: EXPLAIN QUERY PLAN
 *     of each purge statement on SQLite shows no scan of its table (a
 *     SQLite-only check: the PostgreSQL pass skips it, its planner's choice
 *     depends on the table's statistics);
 *   - a pass deletes what has expired and only that, in bounded batches,
 *     for each store (idempotency answers, throttle counters, known
 *     devices, sessions, one-time form tokens). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "auth/throttle.h"
#include "db/db.h"
#include "db/stmt.h"
#include "housekeeping.h"
#include "model/form_token.h"
#include "model/idempotency.h"
#include "support/scratch_db.h"

#define NOW 1900000000LL

static int setup(void **state)
{
	struct scratch *s = scratch_new("proxima-unit-housekeeping", 4096,
					"INSERT INTO person (id, ext_id, name, role, created_at) "
					"VALUES (1, 'p1', 'Une PAP', 'pap', 0);");
	*state = s;
	return s ? 0 : -1;
}

/* The plan of statement id (SQLite) with ?1 = now and ?2 = a batch size,
 * its lines joined by " | " into out. */
static void plan_of(struct db *db, enum stmt_id id, char *out, size_t cap)
{
	char sql[2048];
	snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", stmt_sql(id, DB_ENGINE_SQLITE));
	struct db_stmt *s = db_query(db, sql);
	if (!s)
		fail_msg("%s: %s", stmt_name(id), db_errmsg(db));
	db_bind_int64(s, 1, NOW);
	db_bind_int(s, 2, 999);
	db_bind_int(s, 3, 999);
	out[0] = '\0';
	while (db_step(s) == DB_ROW) {
		const char *d = db_col_cstr(s, 3);
		snprintf(out + strlen(out), cap - strlen(out), "%s%s", out[0] ? " | " : "",
			 d ? d : "");
	}
	db_query_free(s);
}

static void purges_read_through_an_index(void **state)
{
	struct scratch *s = *state;
	if (scratch_pg_admin()) {
		fprintf(stderr, "SKIPPED: EXPLAIN QUERY PLAN is SQLite's\n");
		skip();
	}
	static const struct {
		enum stmt_id id;
		const char *table, *index;
	} purges[] = {
		{STMT_IDEM_PURGE, "idempotency", "idempotency_expiry"},
		{STMT_THROTTLE_PURGE, "login_throttle", "login_throttle_expiry"},
		{STMT_THROTTLE_DEVICE_PURGE, "login_device", "login_device_expiry"},
	};
	for (size_t i = 0; i < sizeof(purges) / sizeof(purges[0]); i++) {
		char plan[2048], scan[128], uses[128];
		plan_of(s->db, purges[i].id, plan, sizeof(plan));
		snprintf(scan, sizeof(scan), "SCAN %s", purges[i].table);
		snprintf(uses, sizeof(uses), "INDEX %s ", purges[i].index);
		if (strstr(plan, scan) || !strstr(plan, uses))
			fail_msg("%s does not read through %s: %s", stmt_name(purges[i].id),
				 purges[i].index, plan);
	}
}

/* Runs SQL n times with ?1 = i (0..n-1) and, when tag is not 0, ?2 = a
 * distinct blob (tag, then the four bytes of i): a portable way to make
 * token hashes (no CAST AS BLOB, which PostgreSQL does not know). */
static void insert_tagged(struct db *db, const char *sql, int n, char tag)
{
	struct db_stmt *st = db_query(db, sql);
	if (!st)
		fail_msg("%s: %s", sql, db_errmsg(db));
	assert_int_equal(db_begin(db), 0);
	for (int i = 0; i < n; i++) {
		unsigned char blob[5] = {(unsigned char)tag, (unsigned char)(i >> 24),
					 (unsigned char)(i >> 16), (unsigned char)(i >> 8),
					 (unsigned char)i};
		db_reset(st);
		db_bind_int(st, 1, i);
		if (tag)
			db_bind_blob(st, 2, blob, sizeof(blob));
		if (db_step(st) != DB_DONE)
			fail_msg("%s: %s", sql, db_errmsg(db));
	}
	assert_int_equal(db_commit(db), 0);
	db_query_free(st);
}

/* Runs SQL n times with ?1 = i (0..n-1). */
static void insert_n(struct db *db, const char *sql, int n)
{
	insert_tagged(db, sql, n, 0);
}

static long long count(struct db *db, const char *sql)
{
	struct db_stmt *st = db_query(db, sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	long long n = db_col_int64(st, 0);
	db_query_free(st);
	return n;
}

static void pass_deletes_what_expired_in_batches(void **state)
{
	struct scratch *s = *state;
	struct db *db = s->db;
	/* 2,500 answers older than 24 hours, 3 younger. */
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO idempotency (person_id, key, method, path, status, body, created_at)"
		 " VALUES (1, 'old-' || ?1, 'POST', '/api/v1/activities', 201, '{}', %lld - ?1)",
		 NOW - IDEMPOTENCY_TTL - 1);
	insert_n(db, sql, 2500);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO idempotency (person_id, key, method, path, status, body, created_at)"
		 " VALUES (1, 'new-' || ?1, 'POST', '/api/v1/activities', 201, '{}', %lld + ?1)",
		 NOW - IDEMPOTENCY_TTL);
	insert_n(db, sql, 3);
	/* Throttle windows: 1,200 ended, 2 running. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO login_throttle (kind, key, failures, window_end)"
		 " VALUES ('address', 'a' || ?1, 3, %lld - 1 - ?1)",
		 NOW);
	insert_n(db, sql, 1200);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO login_throttle (kind, key, failures, window_end)"
		 " VALUES ('account', 'b' || ?1, 3, %lld + 1 + ?1)",
		 NOW);
	insert_n(db, sql, 2);
	/* Devices: 5 forgotten, 1 known. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO login_device (token_hash, email, expires_at)"
		 " VALUES (?2, 'p@x.test', %lld - 1 - ?1)",
		 NOW);
	insert_tagged(db, sql, 5, 'd');
	snprintf(sql, sizeof(sql),
		 "INSERT INTO login_device (token_hash, email, expires_at)"
		 " VALUES (?2, 'p@x.test', %lld + 3600 + 0 * ?1)",
		 NOW);
	insert_tagged(db, sql, 1, 'k');
	/* Sessions: one past its lifetime, one idle too long, one alive. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO session (token_hash, person_id, created_at, expires_at, last_seen_at)"
		 " VALUES (?2, 1, 0, CASE ?1 WHEN 0 THEN %lld ELSE %lld END,"
		 " CASE ?1 WHEN 1 THEN %lld ELSE %lld END)",
		 NOW - 1, NOW + 3600, NOW - SESSION_IDLE - 1, NOW - 60);
	insert_tagged(db, sql, 3, 's');

	/* One-time form tokens: 3 older than FORM_TOKEN_TTL, 1 younger. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO form_token (person_id, token, path, location, created_at)"
		 " VALUES (1, 'f' || ?1, '/x', '/y', %lld - ?1)",
		 NOW - FORM_TOKEN_TTL - 1);
	insert_n(db, sql, 3);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO form_token (person_id, token, path, location, created_at)"
		 " VALUES (1, 'g' || ?1, '/x', '/y', %lld + ?1)",
		 NOW - 60);
	insert_n(db, sql, 1);

	struct housekeeping_counts c;
	assert_int_equal(housekeeping_run(db, NOW, &c), 0);
	assert_int_equal(c.idempotency, 2500);
	assert_int_equal(c.throttle, 1205);
	assert_int_equal(c.sessions, 2);
	assert_int_equal(c.form_tokens, 3);
	assert_int_equal(count(db, "SELECT count(*) FROM idempotency"), 3);
	assert_int_equal(count(db, "SELECT count(*) FROM idempotency WHERE key LIKE 'new-%'"), 3);
	assert_int_equal(count(db, "SELECT count(*) FROM login_throttle"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM login_device"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM session"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM form_token"), 1);
	/* A second pass finds nothing left to do. */
	assert_int_equal(housekeeping_run(db, NOW, &c), 0);
	assert_int_equal(c.idempotency + c.throttle + c.sessions + c.form_tokens, 0);

	/* One batch deletes about HOUSEKEEPING_BATCH rows, the oldest first. */
	insert_n(db,
		 "INSERT INTO idempotency (person_id, key, method, path, status, body, created_at)"
		 " VALUES (1, 'x-' || ?1, 'POST', '/', 201, '', ?1)",
		 1500);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(idempotency_purge(db, NOW, HOUSEKEEPING_BATCH), HOUSEKEEPING_BATCH);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(count(db, "SELECT min(created_at) FROM idempotency WHERE key LIKE 'x-%'"),
			 HOUSEKEEPING_BATCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(purges_read_through_an_index, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(pass_deletes_what_expired_in_batches, setup,
						scratch_teardown),
	};
	return cmocka_run_group_tests_name("housekeeping", tests, NULL, NULL);
}
