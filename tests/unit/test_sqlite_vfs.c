/* Unit tests of the files' layer under SQLite (src/db/sqlite_vfs.c): a
 * COMMIT's WAL frames reach the kernel in a few writes instead of two per
 * page; another connection sees a commit as soon as it is published, even
 * when the writer does not sync (the publication passes the frames on);
 * and a transaction larger than the buffer reads back whole after the
 * database is closed and opened again. SQLite only: on PostgreSQL the
 * tests are skipped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/engine.h"
#include "support/scratch_db.h"

struct fixture {
	char path[600];
	struct db *db;
};

static int setup(void **state)
{
	static struct fixture f;
	memset(&f, 0, sizeof(f));
	if (scratch_pg_admin()) {
		*state = NULL;
		return 0;
	}
	f.db = scratch_db_create(f.path, sizeof(f.path), "proxima-unit-vfs");
	if (!f.db)
		return -1;
	if (scratch_db_exec(f.db, "CREATE TABLE blob_row (id INTEGER PRIMARY KEY, b BLOB NOT NULL, "
				  "sum INTEGER NOT NULL);") < 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (f)
		scratch_db_remove(f->db, f->path);
	return 0;
}

/* One transaction adding n rows of bytes-long blobs, rows first+1.. */
static void add_rows(struct db *db, int first, int n, int bytes)
{
	char sql[300];
	snprintf(sql, sizeof(sql),
		 "WITH RECURSIVE k(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM k WHERE i < %d) "
		 "INSERT INTO blob_row (id, b, sum) SELECT i, randomblob(%d), i * 7 FROM k;",
		 first + 1, first + n, bytes);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(scratch_db_exec(db, sql), 0);
	assert_int_equal(db_commit(db), 0);
}

static int64_t scalar(struct db *db, const char *sql)
{
	struct db_stmt *s = db_query(db, sql);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t v = db_col_int64(s, 0);
	db_query_free(s);
	return v;
}

static void test_commit_frames_reach_the_kernel_in_few_writes(void **state)
{
	struct fixture *f = *state;
	if (!f)
		skip();
	struct db_wal_stats a, b;
	db_wal_stats(&a);
	add_rows(f->db, 0, 40, 2000); /* about 25 pages */
	db_wal_stats(&b);
	uint64_t by_sqlite = b.sqlite_writes - a.sqlite_writes;
	uint64_t by_kernel = b.kernel_writes - a.kernel_writes;
	/* Two writes a page (its frame header, then the page) from SQLite... */
	assert_true(by_sqlite >= 40);
	/* ...one or two for the kernel (a header, the frames). */
	assert_true(by_kernel >= 1);
	assert_true(by_kernel <= 3);
	assert_int_equal(scalar(f->db, "SELECT count(*) FROM blob_row"), 40);
}

static void test_other_connection_sees_unsynced_commit(void **state)
{
	struct fixture *f = *state;
	if (!f)
		skip();
	/* No sync at COMMIT: only the publication in the WAL index passes the
	 * frames on before another connection may read them. */
	assert_int_equal(scratch_db_exec(f->db, "PRAGMA synchronous=OFF;"), 0);
	char err[256];
	struct db *reader = db_open(f->path, DB_OPEN_EXISTING, err, sizeof(err));
	assert_non_null(reader);
	for (int round = 0; round < 5; round++) {
		add_rows(f->db, round * 30, 30, 1500);
		assert_int_equal(scalar(reader, "SELECT count(*) FROM blob_row"), (round + 1) * 30);
		assert_int_equal(scalar(reader, "SELECT sum(length(b)) FROM blob_row"),
				 (round + 1) * 30 * 1500);
	}
	db_close(reader);
}

static void test_large_transaction_reads_back_after_reopen(void **state)
{
	struct fixture *f = *state;
	if (!f)
		skip();
	add_rows(f->db, 0, 1500, 3000); /* about 4.5 MB: several buffers, many pieces */
	db_close(f->db);
	char err[256];
	f->db = db_open(f->path, DB_OPEN_EXISTING, err, sizeof(err));
	assert_non_null(f->db);
	assert_int_equal(scalar(f->db, "SELECT count(*) FROM blob_row"), 1500);
	assert_int_equal(scalar(f->db, "SELECT sum(length(b)) FROM blob_row"), 1500 * 3000);
	assert_int_equal(scalar(f->db, "SELECT sum(sum) FROM blob_row"), 7 * 1500 * 1501 / 2);
	struct db_stmt *s = db_query(f->db, "PRAGMA integrity_check");
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_cstr(s, 0), "ok");
	db_query_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_frames_reach_the_kernel_in_few_writes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_connection_sees_unsynced_commit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_large_transaction_reads_back_after_reopen,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
