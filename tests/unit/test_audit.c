/* The access log's chain (model/audit.h) against the attacks of issue 13:
 * a changed entry, a deleted entry, the last entries deleted, an emptied
 * log, a chain recomputed by someone without the key (unkeyed, or keyed
 * with a guess) — each detected. A log written before the chain was keyed
 * is sealed once and its older entries cannot change afterwards either.
 * The attacker here has the database file: the triggers that refuse
 * UPDATE and DELETE are dropped first, as anyone with the file can. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/audit.h"
#include "model/vault.h"
#include "support/scratch_db.h"

struct fixture {
	struct scratch *s; /* the database and the arena */
	char anchors[300];
};

static void load_key(void)
{
	unsigned char key[32];
	memset(key, 0x41, sizeof(key));
	vault_set_key(key);
}

static void append_n(struct db *db, int n)
{
	for (int i = 0; i < n; i++) {
		struct audit_entry e = {.actor_id = 0,
					.action = i % 3 ? "read" : "write",
					.object_kind = "family",
					.object_id = 100 + i,
					.information = "nominative",
					.purpose = "suivi"};
		assert_int_equal(db_begin(db), 0);
		assert_int_equal(audit_append(db, &e), 0);
		assert_int_equal(db_commit(db), 0);
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	load_key();
	f->s = scratch_new("audit", 1 << 16, NULL);
	if (!f->s)
		return -1;
	/* Beside the scratch files (a PostgreSQL database has no "beside"). */
	static unsigned serial;
	snprintf(f->anchors, sizeof(f->anchors), "%s/audit-%ld-%u.anchors", scratch_dir(),
		 (long)getpid(), ++serial);
	append_n(f->s->db, 10); /* entries 2..11 after the seal (1) */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unlink(f->anchors);
	scratch_free(f->s);
	free(f);
	return 0;
}

static int64_t rows_in_log(struct db *db)
{
	struct db_stmt *s = db_query(db, "SELECT count(*) FROM audit_log");
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t n = db_col_int64(s, 0);
	db_query_free(s);
	return n;
}

/* What the attacker runs, with the file in hand. */
static void tamper(struct db *db, const char *sql)
{
	exec_ok(db, db_engine(db) == DB_ENGINE_POSTGRES
			    ? "DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log;"
			      "DROP TRIGGER IF EXISTS audit_log_no_delete ON audit_log;"
			    : "DROP TRIGGER IF EXISTS audit_log_no_update;"
			      "DROP TRIGGER IF EXISTS audit_log_no_delete;");
	exec_ok(db, sql);
}

/* Verifies with the anchors of f's file (none when it does not exist). */
static struct audit_check check(struct fixture *f)
{
	struct audit_anchor *a;
	size_t n;
	char err[256];
	assert_int_equal(audit_anchor_read(f->anchors, f->s->ar, &a, &n, err, sizeof(err)), 0);
	struct audit_check c;
	assert_int_equal(audit_verify(f->s->db, a, n, &c), 0);
	return c;
}

/* What `proxima audit verify` does after an intact verification. */
static void anchor_now(struct fixture *f)
{
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_INTACT);
	struct audit_anchor a = {.at = 1, .id = c.last_id};
	memcpy(a.head, c.head, AUDIT_HASH_LEN);
	assert_int_equal(audit_anchor_append(f->anchors, &a), 0);
}

/* The hash as the attacker computes it: the published layout, unkeyed
 * (key NULL: the algorithm before the chain was keyed) or with a guessed
 * key. */
static void attacker_hash(const unsigned char *key, const unsigned char *prev, int64_t id,
			  int64_t at, const int64_t nums3[3], const char *const texts[4],
			  unsigned char out[AUDIT_HASH_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, key ? 32 : 0, AUDIT_HASH_LEN);
	crypto_generichash_update(&st, prev, AUDIT_HASH_LEN);
	int64_t nums[5] = {id, at, nums3[0], nums3[1], nums3[2]};
	for (int i = 0; i < 9; i++) {
		uint64_t v = i < 5 ? (uint64_t)nums[i] : strlen(texts[i - 5]);
		unsigned char b[8];
		for (int k = 0; k < 8; k++)
			b[k] = (unsigned char)(v >> (8 * k));
		crypto_generichash_update(&st, b, 8);
		if (i >= 5)
			crypto_generichash_update(&st, (const unsigned char *)texts[i - 5],
						  strlen(texts[i - 5]));
	}
	crypto_generichash_final(&st, out, AUDIT_HASH_LEN);
}

/* Renumbers the entries 1..n (after deletions) and recomputes every hash
 * from entry `from` on with key (NULL: unkeyed), as someone without the
 * key file would to hide what they removed. */
static void recompute(struct db *db, const unsigned char *key, int64_t from)
{
	tamper(db, "UPDATE audit_log SET id = -id;");
	struct db_stmt *s = db_query(db, "SELECT -id, at, coalesce(actor_id, 0), "
					 "coalesce(object_id, 0), coalesce(recipient_id, 0), "
					 "action, object_kind, information, purpose, hash "
					 "FROM audit_log ORDER BY -id");
	assert_non_null(s);
	struct db_stmt *u = db_query(db, "UPDATE audit_log SET id = ?1, prev_hash = ?2, hash = ?3 "
					 "WHERE id = -?4");
	assert_non_null(u);
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	int64_t id = 0;
	assert_int_equal(db_begin(db), 0);
	struct {
		int64_t old, at, nums[3];
		char texts[4][64];
		unsigned char hash[AUDIT_HASH_LEN];
	} rows[64];
	int n = 0;
	while (db_step(s) == DB_ROW && n < 64) {
		rows[n].old = db_col_int64(s, 0);
		rows[n].at = db_col_int64(s, 1);
		for (int k = 0; k < 3; k++)
			rows[n].nums[k] = db_col_int64(s, 2 + k);
		for (int k = 0; k < 4; k++)
			snprintf(rows[n].texts[k], 64, "%s", db_col_cstr(s, 5 + k));
		memcpy(rows[n].hash, db_col_blob(s, 9), AUDIT_HASH_LEN);
		n++;
	}
	db_query_free(s);
	for (int i = 0; i < n; i++) {
		id++;
		unsigned char h[AUDIT_HASH_LEN];
		const char *t[4] = {rows[i].texts[0], rows[i].texts[1], rows[i].texts[2],
				    rows[i].texts[3]};
		if (id >= from)
			attacker_hash(key, prev, id, rows[i].at, rows[i].nums, t, h);
		else
			memcpy(h, rows[i].hash, AUDIT_HASH_LEN);
		db_bind_int64(u, 1, id);
		db_bind_blob(u, 2, prev, AUDIT_HASH_LEN);
		db_bind_blob(u, 3, h, AUDIT_HASH_LEN);
		db_bind_int64(u, 4, rows[i].old);
		assert_int_equal(db_step(u), DB_DONE);
		db_reset(u);
		memcpy(prev, h, AUDIT_HASH_LEN);
	}
	db_query_free(u);
	assert_int_equal(db_commit(db), 0);
}

static void test_intact_sealed_and_anchored(void **state)
{
	struct fixture *f = *state;
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_INTACT);
	assert_int_equal(c.count, 11);
	assert_int_equal(c.before, 0); /* sealed at creation */
	assert_int_equal(c.last_id, 11);
	anchor_now(f);
	append_n(f->s->db, 2);
	c = check(f);
	assert_int_equal(c.verdict, AUDIT_INTACT);
	assert_int_equal(c.anchors, 1);
	assert_int_equal(c.last_id, 13);
}

/* Without tampering with the schema, the database itself refuses to
 * change or remove an entry (triggers, on both engines). */
static void test_log_refuses_changes(void **state)
{
	struct fixture *f = *state;
	char err[256];
	assert_int_equal(db_exec_script(f->s->db, "UPDATE audit_log SET purpose = 'x' WHERE id = 3",
					err, sizeof(err)),
			 -1);
	assert_int_equal(
		db_exec_script(f->s->db, "DELETE FROM audit_log WHERE id = 11", err, sizeof(err)),
		-1);
	assert_int_equal(rows_in_log(f->s->db), 11);
	assert_int_equal(check(f).verdict, AUDIT_INTACT);
}

static void test_changed_entry(void **state)
{
	struct fixture *f = *state;
	tamper(f->s->db, "UPDATE audit_log SET purpose = 'curiosite' WHERE id = 5");
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_ALTERED);
	assert_int_equal(c.bad_id, 5);
}

static void test_deleted_entry(void **state)
{
	struct fixture *f = *state;
	tamper(f->s->db, "DELETE FROM audit_log WHERE id = 4");
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_MISSING);
	assert_int_equal(c.bad_id, 4);
}

static void test_deleted_last_entries(void **state)
{
	struct fixture *f = *state;
	anchor_now(f); /* the daily run or `audit verify` anchored entry 11 */
	tamper(f->s->db, "DELETE FROM audit_log WHERE id >= 9");
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_TRUNCATED);
	assert_int_equal(c.bad_id, 11);
	/* The last one alone, too. */
	append_n(f->s->db, 3); /* 9, 10, 11 again: other entries, other hashes */
	c = check(f);
	assert_int_equal(c.verdict, AUDIT_ANCHOR);
	assert_int_equal(c.bad_id, 11);
}

static void test_deleted_last_entry_only(void **state)
{
	struct fixture *f = *state;
	anchor_now(f);
	tamper(f->s->db, "DELETE FROM audit_log WHERE id = 11");
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_TRUNCATED);
	assert_int_equal(c.bad_id, 11);
}

static void test_emptied_log(void **state)
{
	struct fixture *f = *state;
	tamper(f->s->db, "DELETE FROM audit_log");
	struct audit_check c = check(f); /* even without any anchor */
	assert_int_equal(c.verdict, AUDIT_UNSEALED);
	assert_int_equal(c.count, 0);
	/* New entries after the emptying do not make it verify again. */
	append_n(f->s->db, 2);
	c = check(f);
	assert_int_equal(c.verdict, AUDIT_ALTERED);
}

static void test_recomputed_without_key(void **state)
{
	struct fixture *f = *state;
	/* Three entries removed, the chain recomputed unkeyed over what is
	 * left: the seal no longer verifies. */
	tamper(f->s->db, "DELETE FROM audit_log WHERE id IN (4, 5, 6)");
	recompute(f->s->db, NULL, 1);
	assert_int_equal(rows_in_log(f->s->db), 8);
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_ALTERED);
	assert_int_equal(c.bad_id, 1);
	/* Recomputed from the first changed entry on, keeping the seal: the
	 * first recomputed entry fails. */
	tamper(f->s->db, "DELETE FROM audit_log WHERE id = 7");
	recompute(f->s->db, NULL, 4);
	c = check(f);
	assert_int_equal(c.verdict, AUDIT_ALTERED);
	assert_true(c.bad_id <= 4);
}

static void test_recomputed_with_guessed_key(void **state)
{
	struct fixture *f = *state;
	unsigned char guess[32] = {0};
	tamper(f->s->db, "DELETE FROM audit_log WHERE id = 3");
	recompute(f->s->db, guess, 1);
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_ALTERED);
	assert_int_equal(c.bad_id, 1);
}

/* A log kept before the chain was keyed: five unkeyed entries, then the
 * seal (`proxima migrate`), then keyed entries. */
static void test_legacy_log_sealed_once(void **state)
{
	struct fixture *f = *state;
	tamper(f->s->db, "DELETE FROM audit_log");
	struct db_stmt *ins =
		db_query(f->s->db, "INSERT INTO audit_log (id, at, action, object_kind, "
				   "object_id, information, purpose, prev_hash, hash) "
				   "VALUES (?1, ?2, 'read', 'family', ?3, 'nominative', "
				   "'suivi', ?4, ?5)");
	assert_non_null(ins);
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	for (int64_t id = 1; id <= 5; id++) {
		const int64_t nums[3] = {0, 40 + id, 0};
		const char *t[4] = {"read", "family", "nominative", "suivi"};
		unsigned char h[AUDIT_HASH_LEN];
		attacker_hash(NULL, prev, id, 1000 + id, nums, t, h);
		db_bind_int64(ins, 1, id);
		db_bind_int64(ins, 2, 1000 + id);
		db_bind_int64(ins, 3, 40 + id);
		db_bind_blob(ins, 4, prev, AUDIT_HASH_LEN);
		db_bind_blob(ins, 5, h, AUDIT_HASH_LEN);
		assert_int_equal(db_step(ins), DB_DONE);
		db_reset(ins);
		memcpy(prev, h, AUDIT_HASH_LEN);
	}
	db_query_free(ins);
	assert_int_equal(audit_sealed(f->s->db), 0);
	assert_int_equal(check(f).verdict, AUDIT_UNSEALED);

	int64_t before;
	assert_int_equal(db_begin(f->s->db), 0);
	assert_int_equal(audit_seal(f->s->db, "migration", &before), 0);
	assert_int_equal(db_commit(f->s->db), 0);
	assert_int_equal(before, 5);
	append_n(f->s->db, 2);
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_INTACT);
	assert_int_equal(c.before, 5);
	assert_int_equal(c.count, 8);
	/* Sealing again does nothing. */
	assert_int_equal(db_begin(f->s->db), 0);
	assert_int_equal(audit_seal(f->s->db, "migration", &before), 0);
	assert_int_equal(db_commit(f->s->db), 0);
	assert_int_equal(before, 0);
	assert_int_equal(check(f).count, 8);

	/* The unkeyed entries can be recomputed by anyone, but the seal's
	 * keyed hash covers their head. */
	tamper(f->s->db, "UPDATE audit_log SET purpose = 'curiosite' WHERE id = 2");
	recompute(f->s->db, NULL, 1);
	c = check(f);
	assert_int_equal(c.verdict, AUDIT_ALTERED);
	assert_int_equal(c.bad_id, 6);
}

static void test_no_key(void **state)
{
	struct fixture *f = *state;
	vault_unload();
	struct audit_check c;
	assert_int_equal(audit_verify(f->s->db, NULL, 0, &c), 0);
	assert_int_equal(c.verdict, AUDIT_NO_KEY);
	struct audit_entry e = {
		.action = "read", .object_kind = "family", .information = "x", .purpose = "y"};
	assert_int_equal(audit_append(f->s->db, &e), -1);
	load_key();
	assert_int_equal(check(f).verdict, AUDIT_INTACT);
}

static void test_anchor_file(void **state)
{
	struct fixture *f = *state;
	anchor_now(f);
	/* An anchor whose head was edited is named. */
	FILE *af = fopen(f->anchors, "a");
	assert_non_null(af);
	fprintf(af, "proxima-anchor at=2 id=3 head=%064d\n", 0);
	fclose(af);
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_ANCHOR);
	assert_int_equal(c.bad_id, 3);
	/* A line that is not an anchor is an error naming the line. */
	af = fopen(f->anchors, "a");
	fprintf(af, "garbage\n");
	fclose(af);
	struct audit_anchor *a;
	size_t n;
	char err[256];
	assert_int_equal(audit_anchor_read(f->anchors, f->s->ar, &a, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 3"));
}

/* ------------------------------------------- entries under group commit */

#define CHAIN_WRITERS 16

static enum db_unit_verdict append_then_refuse(struct db *db, void *arg)
{
	assert_int_equal(audit_append(db, arg), 0);
	return DB_UNIT_DISCARD; /* the request failed: its entry goes with it */
}

static void *chain_writer(void *arg)
{
	intptr_t i = (intptr_t)arg;
	struct audit_entry e = {.action = "read",
				.object_kind = "family",
				.object_id = 500 + i,
				.information = "nominative",
				.purpose = "suivi"};
	struct db *db = db_thread();
	if (!db)
		return (void *)1;
	if (i % 4 == 3)
		return db_unit_run(db, append_then_refuse, &e, NULL) == DB_UNIT_DISCARDED
			       ? NULL
			       : (void *)1;
	return audit_record(db, &e) == 0 ? NULL : (void *)1;
}

/* Server threads recording reads at the same moment share group commits:
 * the chain stays a chain (each entry chained to the one committed before
 * it), and an entry whose request failed leaves no hole. */
static void test_chain_under_group_commit(void **state)
{
	struct fixture *f = *state;
	db_thread_setup(f->s->path);
	pthread_t th[CHAIN_WRITERS];
	for (intptr_t i = 0; i < CHAIN_WRITERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, chain_writer, (void *)i), 0);
	for (int i = 0; i < CHAIN_WRITERS; i++) {
		void *r = (void *)1;
		assert_int_equal(pthread_join(th[i], &r), 0);
		assert_null(r);
	}
	db_thread_close_all();
	struct audit_check c = check(f);
	assert_int_equal(c.verdict, AUDIT_INTACT);
	assert_int_equal(c.count, 11 + CHAIN_WRITERS - CHAIN_WRITERS / 4);
	assert_int_equal(rows_in_log(f->s->db), c.count);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intact_sealed_and_anchored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_refuses_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_last_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_last_entry_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emptied_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recomputed_without_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recomputed_with_guessed_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_log_sealed_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_anchor_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_under_group_commit, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	vault_unload();
	return rc;
}
