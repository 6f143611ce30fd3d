/* Retention and consent history in the model (model/retention.h,
 * model/family.h): a file is due the day its organisation's period after
 * the closing date has passed (month ends clamped), each organisation with
 * its own period; anonymised, it cannot be brought back by importing an
 * older copy; import maps consent.scopes onto the history (what changed
 * since the stored file, once; a citation withdrawn un-quotes the
 * family's stories). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/actor.h"
#include "interchange/interchange.h"
#include "model/retention.h"
#include "support/scratch_db.h"

static const char FIXTURE[] =
	"INSERT INTO territory (id, ext_id, name) VALUES (1, 'A', 'A');"
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
	" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
	" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
	"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
	" (1, 'p1', 'Une', 'pap', 1, 1), (9, 'a9', 'Admin', 'admin', NULL, NULL);"
	"INSERT INTO family (id, ext_id, organisation_id, code, follower_id, opened, closed) VALUES"
	" (1, 'f1', 1, 'F-1', 1, '2019-01-01', '2020-08-31'),"
	" (2, 'f2', 1, 'F-2', 1, '2019-01-01', '2021-03-01'),"
	" (3, 'f3', 2, 'F-3', NULL, '2019-01-01', '2020-08-31'),"
	" (4, 'f4', 1, 'F-4', 1, '2019-01-01', NULL);";

static const struct actor admin = {.person_id = 9, .role = ROLE_ADMIN};

static int setup(void **state)
{
	setenv("PROXIMA_NOW", "2026-02-28T12:00:00", 1);
	ptime_hooks_load();
	assert_int_equal(ptime_set_zone("America/Toronto"), 0);
	struct scratch *f = scratch_new("retention", 1 << 16, FIXTURE);
	*state = f;
	return f ? 0 : -1;
}

static long long count(struct db *db, const char *sql)
{
	struct db_stmt *st;
	assert_non_null(st = db_query(db, sql));
	assert_int_equal(db_step(st), DB_ROW);
	long long n = db_col_int64(st, 0);
	db_query_free(st);
	return n;
}

static void test_due_dates_and_periods(void **state)
{
	struct scratch *f = *state;
	struct pdate d = {2020, 8, 31};
	struct pdate due = ptime_add_months(&d, 66);
	assert_int_equal(due.year, 2026);
	assert_int_equal(due.month, 2);
	assert_int_equal(due.day, 28);
	/* 2026-02-28 with 66 months: family 1 (closed 2020-08-31) is due
	 * today; family 2 (2021-03-01) not; family 3 is Y's. */
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(retention_set(f->db, &admin, 1, 66, &v), 0);
	assert_int_equal(retention_set(f->db, &admin, 2, 67, &v), 0);
	assert_int_equal(retention_set(f->db, &admin, 1, 0, &v), 1);
	assert_int_equal(db_commit(f->db), 0);
	assert_non_null(validation_get(&v, "months"));
	struct retention_item *items;
	size_t n;
	assert_int_equal(retention_plan(f->db, f->ar, 0, "2026-02-27", &items, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(retention_plan(f->db, f->ar, 0, "2026-02-28", &items, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].family_id, 1);
	assert_string_equal(items[0].due, "2026-02-28");
	assert_int_equal(items[0].months, 66);
	/* A dry run changes nothing; a run anonymises once. */
	struct retention_result res;
	assert_int_equal(retention_run(f->db, f->ar, ptime_now(), true, &res), 0);
	assert_int_equal(res.n, 1);
	assert_int_equal(res.done, 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM anonymisation_register"), 0);
	assert_int_equal(retention_run(f->db, f->ar, ptime_now(), false, &res), 0);
	assert_int_equal(res.done, 1);
	assert_int_equal(retention_run(f->db, f->ar, ptime_now(), false, &res), 0);
	assert_int_equal(res.n, 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM anonymisation_register WHERE "
				      "family_id = 1 AND organisation_id = 1 AND rule = "
				      "'months=66;closed=2020-08-31'"),
			 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM family WHERE code = 'ANON-1'"), 1);
}

static int import_text(struct db *db, const char *text, struct import_result *res)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	int rc = interchange_import(db, in, res);
	fclose(in);
	return rc;
}

static void test_import_cannot_bring_back_an_anonymised_file(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db, "UPDATE family SET anonymised_at = 1 WHERE id = 1");
	struct import_result res;
	assert_int_equal(import_text(f->db,
				     "{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"X\","
				     "\"code\":\"F-1\",\"opened\":\"2019-01-01\"}\n",
				     &res),
			 1);
	assert_string_equal(res.field, "anonymised_at");
	assert_int_equal(count(f->db, "SELECT count(*) FROM family WHERE id = 1 AND "
				      "anonymised_at = 1"),
			 1);
}

/* Import maps consent.scopes onto the history: what differs from the
 * stored file, dated by consent.date, once. */
static void test_import_consent_history(void **state)
{
	struct scratch *f = *state;
	const char *with = "{\"kind\":\"family\",\"id\":\"f9\",\"organisation\":\"X\",\"code\":"
			   "\"F-9\",\"opened\":\"2025-01-01\",\"consent\":{\"date\":\"2025-01-02\","
			   "\"language\":\"fr\",\"scopes\":[\"suivi\",\"citation\"]}}\n"
			   "{\"kind\":\"story\",\"id\":\"s9\",\"author\":\"p1\",\"date\":"
			   "\"2025-02-01\",\"text\":\"Un récit\",\"family\":\"f9\","
			   "\"consent_quote\":true}\n";
	struct import_result res;
	assert_int_equal(import_text(f->db, with, &res), 0);
	const char *given = "SELECT count(*) FROM family_event e JOIN family f ON f.id = "
			    "e.family_id WHERE f.ext_id = 'f9' AND e.kind = 'consent_given' AND "
			    "e.on_date = '2025-01-02' AND e.reason_code = 'import'";
	assert_int_equal(count(f->db, given), 2);
	assert_int_equal(import_text(f->db, with, &res), 0); /* again: nothing new */
	assert_int_equal(count(f->db, "SELECT count(*) FROM family_event e JOIN family f ON f.id "
				      "= e.family_id WHERE f.ext_id = 'f9'"),
			 2);
	const char *without = "{\"kind\":\"family\",\"id\":\"f9\",\"organisation\":\"X\",\"code\":"
			      "\"F-9\",\"opened\":\"2025-01-01\",\"consent\":{\"date\":"
			      "\"2025-01-02\",\"language\":\"fr\",\"scopes\":[\"suivi\"]}}\n";
	assert_int_equal(import_text(f->db, without, &res), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM family_event e JOIN family f ON f.id "
				      "= e.family_id WHERE f.ext_id = 'f9' AND e.kind = "
				      "'consent_withdrawn' AND e.scope = 'citation'"),
			 1);
	assert_int_equal(count(f->db, "SELECT consent_quote FROM story WHERE ext_id = 's9'"), 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_due_dates_and_periods, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_import_cannot_bring_back_an_anonymised_file,
						setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_import_consent_history, setup,
						scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
