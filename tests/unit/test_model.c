/* Model rules: activity validation, visibility by role, soft delete,
 * encrypted nominative details and the hash-chained access log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/activity.h"
#include "model/audit.h"
#include "model/family.h"
#include "model/row.h"
#include "model/vault.h"
#include "support/scratch_db.h"

struct fixture {
	struct scratch *s; /* the database and the arena */
	struct actor pap_x, pap_x2, mgr_x, pap_y, comite, admin;
	int64_t terr;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	unsigned char key[32];
	memset(key, 7, sizeof(key));
	vault_set_key(key);
	f->s = scratch_new("model", 4096, NULL);
	assert_non_null(f->s);
	exec_ok(f->s->db,
		"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'A', 'Territoire A', "
		"'urbain');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		/* Both serve A, where their people work (organisation_serves). */
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 1);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', 'Pap X', 'pap', 1, 1), (2, 'p2', 'Pap X deux', 'pap', 1, 1),"
		" (3, 'g1', 'Gest X', 'gestionnaire', 1, 1), (4, 'p4', 'Pap Y', 'pap', 2, 1),"
		" (5, 'c1', 'Comité', 'comite', NULL, 1), (6, 'a1', 'Admin', 'admin', NULL, "
		"NULL);");
	f->pap_x = (struct actor){.person_id = 1,
				  .role = ROLE_PAP,
				  .organisation_id = 1,
				  .territory_id = 1,
				  .name = "Pap X"};
	f->pap_x2 = (struct actor){.person_id = 2,
				   .role = ROLE_PAP,
				   .organisation_id = 1,
				   .territory_id = 1,
				   .name = "Pap X deux"};
	f->mgr_x = (struct actor){.person_id = 3,
				  .role = ROLE_GESTIONNAIRE,
				  .organisation_id = 1,
				  .territory_id = 1,
				  .name = "Gest X"};
	f->pap_y = (struct actor){.person_id = 4,
				  .role = ROLE_PAP,
				  .organisation_id = 2,
				  .territory_id = 1,
				  .name = "Pap Y"};
	f->comite = (struct actor){.person_id = 5,
				   .role = ROLE_COMITE,
				   .organisation_id = 0,
				   .territory_id = 1,
				   .name = "Comité"};
	f->admin = (struct actor){.person_id = 6,
				  .role = ROLE_ADMIN,
				  .organisation_id = 0,
				  .territory_id = 0,
				  .name = "Admin"};
	f->terr = 1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	scratch_free(f->s);
	free(f);
	return 0;
}

/* The quick-entry case: an informal contact in a park. */
static struct activity park_contact(const struct actor *who)
{
	static const char *need[] = {"isolement"};
	struct activity a = {0};
	a.author_id = who->person_id;
	a.organisation_id = who->organisation_id;
	a.territory_id = who->territory_id;
	struct pdate today = ptime_local_date(ptime_now());
	static char date[11];
	ptime_format_date(&today, date);
	a.date = date;
	a.type = "contact_informel";
	a.place = "parc";
	a.duration_min = 20;
	a.adults = 2;
	a.children_0_5 = 1;
	a.needs.v = need;
	a.needs.n = 1;
	return a;
}

static int64_t save_new(struct fixture *f, struct activity *a)
{
	struct validation v = {0};
	assert_int_equal(activity_validate(f->s->db, a, &v), 0);
	assert_int_equal(db_begin(f->s->db), 0);
	assert_int_equal(activity_save(f->s->db, f->s->ar, a), 0);
	assert_int_equal(db_commit(f->s->db), 0);
	assert_true(a->id > 0);
	return a->id;
}

static void test_quick_entry_valid_and_component_from_type(void **state)
{
	struct fixture *f = *state;
	struct activity a = park_contact(&f->pap_x);
	int64_t id = save_new(f, &a);
	struct activity got;
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->pap_x, id, &got), 0);
	assert_string_equal(got.type, "contact_informel");
	assert_int_equal(activity_people(&got), 3);
	/* No component given: the type's default (demarchage) is stored. */
	assert_int_equal(got.components.n, 1);
	assert_string_equal(got.components.v[0], "demarchage");
	assert_int_equal(got.needs.n, 1);
	assert_non_null(got.ext_id);
	assert_true(strncmp(got.ext_id, "act-", 4) == 0);
}

/* The ETag (issue 11): the same for the same stored activity, different
 * as soon as any field or the update time changes, so a change made
 * elsewhere is always seen as a conflict. */
static void test_etag_follows_every_change(void **state)
{
	struct fixture *f = *state;
	struct activity a = park_contact(&f->pap_x);
	int64_t id = save_new(f, &a);
	struct activity got, again;
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->pap_x, id, &got), 0);
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->pap_x, id, &again), 0);
	char t0[ACTIVITY_ETAG_SIZE], t1[ACTIVITY_ETAG_SIZE];
	activity_etag(&got, t0);
	activity_etag(&again, t1);
	assert_string_equal(t0, t1);
	assert_int_equal(strlen(t0), ACTIVITY_ETAG_SIZE - 1);
	assert_true(t0[0] == '"' && t0[ACTIVITY_ETAG_SIZE - 2] == '"');

	struct activity b = got;
	b.duration_min++;
	activity_etag(&b, t1);
	assert_string_not_equal(t0, t1);
	b = got;
	b.updated_at++;
	activity_etag(&b, t1);
	assert_string_not_equal(t0, t1);
	/* Moving text from one field to the next is a change too. */
	b = got;
	b.place = "parcx";
	b.type = "contact_informel";
	struct activity c = got;
	c.place = "parc";
	c.type = "xcontact_informel";
	activity_etag(&b, t0);
	activity_etag(&c, t1);
	assert_string_not_equal(t0, t1);
}

static void test_validation_names_fields(void **state)
{
	struct fixture *f = *state;
	struct activity a = park_contact(&f->pap_x);
	static const char *bad_need[] = {"pas_un_besoin"};
	a.duration_min = -5;
	a.type = "nimporte";
	a.needs.v = bad_need;
	a.new_contacts = 9; /* more than the 3 people reached */
	a.date = "2025-02-30";
	struct validation v = {0};
	assert_int_equal(activity_validate(f->s->db, &a, &v), -1);
	assert_non_null(validation_get(&v, "duration_min"));
	assert_non_null(validation_get(&v, "type"));
	assert_non_null(validation_get(&v, "needs"));
	assert_non_null(validation_get(&v, "counts.new_contacts"));
	assert_non_null(validation_get(&v, "date"));
	assert_null(validation_get(&v, "place"));
	/* Messages are French msgids with an English translation. */
	assert_string_equal(validation_get(&v, "duration_min"),
			    "Entrez un nombre de minutes entre 0 et 1440.");
}

/* Indirect time alone is an activity; so is 0 minutes without indirect
 * time for the model, the API and the import (interchange.md requires
 * duration_min, not more): the journal's form asks for some time. */
static void test_indirect_only_and_zero_minutes_are_valid(void **state)
{
	struct fixture *f = *state;
	struct activity a = park_contact(&f->pap_x);
	a.duration_min = 0;
	struct validation v = {0};
	assert_int_equal(activity_validate(f->s->db, &a, &v), 0);
	a.ind_deplacement = 45;
	struct validation v2 = {0};
	assert_int_equal(activity_validate(f->s->db, &a, &v2), 0);
	a.duration_min = -1;
	struct validation v3 = {0};
	assert_int_equal(activity_validate(f->s->db, &a, &v3), -1);
	assert_non_null(validation_get(&v3, "duration_min"));
}

static void test_future_date_refused(void **state)
{
	struct fixture *f = *state;
	struct activity a = park_contact(&f->pap_x);
	struct pdate d = ptime_local_date(ptime_now() + 10 * 86400);
	char date[11];
	ptime_format_date(&d, date);
	a.date = date;
	struct validation v = {0};
	assert_int_equal(activity_validate(f->s->db, &a, &v), -1);
	assert_non_null(validation_get(&v, "date"));
}

static void test_visibility_by_role(void **state)
{
	struct fixture *f = *state;
	struct activity a = park_contact(&f->pap_x);
	int64_t id = save_new(f, &a);
	struct activity got;
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->pap_x, id, &got), 0);
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->mgr_x, id, &got), 0);
	/* Another PAP, even of the same organisation, another organisation,
	 * the committee and the admin see nothing: absent, not forbidden. */
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->pap_x2, id, &got), 1);
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->pap_y, id, &got), 1);
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->comite, id, &got), 1);
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->admin, id, &got), 1);
	struct activity_filter flt = {0};
	struct activity *list;
	size_t n;
	int64_t total;
	assert_int_equal(activity_list(f->s->db, f->s->ar, &f->pap_y, &flt, &list, &n, &total), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(list[i].id, id);
	assert_int_equal(activity_list(f->s->db, f->s->ar, &f->comite, &flt, &list, &n, &total), 0);
	assert_int_equal(n, 0);
	assert_int_equal(activity_list(f->s->db, f->s->ar, &f->mgr_x, &flt, &list, &n, &total), 0);
	bool seen = false;
	for (size_t i = 0; i < n; i++)
		seen = seen || list[i].id == id;
	assert_true(seen);
	/* Only the author or a manager of the organisation may delete. */
	assert_int_equal(activity_delete(f->s->db, &f->pap_y, id), 1);
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->pap_x, id, &got), 0);
}

static void test_soft_delete(void **state)
{
	struct fixture *f = *state;
	struct activity a = park_contact(&f->pap_x);
	int64_t id = save_new(f, &a);
	assert_int_equal(activity_delete(f->s->db, &f->pap_x, id), 0);
	struct activity got;
	assert_int_equal(activity_get(f->s->db, f->s->ar, &f->pap_x, id, &got), 1);
	/* The row is kept, marked deleted. */
	struct db_stmt *s;
	assert_non_null(s = db_query(f->s->db, "SELECT deleted_at FROM activity WHERE id = ?1"));
	db_bind_int64(s, 1, id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_int64(s, 0) > 0);
	db_query_free(s);
}

static void test_family_link_other_organisation_refused(void **state)
{
	struct fixture *f = *state;
	struct family fam = {.organisation_id = 2, .code = "Y-001", .opened = "2025-01-10"};
	assert_int_equal(db_begin(f->s->db), 0);
	assert_int_equal(family_save(f->s->db, f->s->ar, 0, &fam, NULL, "test"), 0);
	assert_int_equal(db_commit(f->s->db), 0);
	struct activity a = park_contact(&f->pap_x);
	a.family_ids.v = &fam.id;
	a.family_ids.n = 1;
	struct validation v = {0};
	assert_int_equal(activity_validate(f->s->db, &a, &v), -1);
	assert_non_null(validation_get(&v, "families"));
}

/* True when the n bytes at hay contain needle. */
static bool contains(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void test_nominative_encrypted_scoped_and_logged(void **state)
{
	struct fixture *f = *state;
	struct family fam = {.organisation_id = 1,
			     .code = "X-042",
			     .opened = "2025-03-01",
			     .follower_id = 1,
			     .consent_date = "2025-03-01",
			     .consent_language = "es",
			     .consent_suivi = true,
			     .consent_reference = true};
	struct nominative nom = {.name = "Inés Martínez-Tremblay",
				 .phone = "819-555-0142",
				 .address = "12, rue des Érables"};
	struct validation v = {0};
	assert_int_equal(family_validate(f->s->db, &fam, &nom, &v), 0);
	assert_int_equal(db_begin(f->s->db), 0);
	assert_int_equal(family_save(f->s->db, f->s->ar, 1, &fam, &nom, "suivi"), 0);
	assert_int_equal(db_commit(f->s->db), 0);

	/* The stored bytes do not contain the name. */
	struct db_stmt *s;
	assert_non_null(s = db_query(f->s->db, "SELECT nominative FROM family WHERE id = ?1"));
	db_bind_int64(s, 1, fam.id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_false(contains(db_col_blob(s, 0), (size_t)db_col_bytes(s, 0), "Martínez"));
	db_query_free(s);

	struct family got;
	assert_int_equal(family_get(f->s->db, f->s->ar, &f->pap_x, fam.id, &got), 0);
	assert_true(got.has_nominative);
	struct audit_check c;
	assert_int_equal(audit_verify(f->s->db, NULL, 0, &c), 0);
	assert_int_equal(c.verdict, AUDIT_INTACT);
	int64_t before = c.count;

	struct nominative out;
	assert_int_equal(family_read_nominative(f->s->db, f->s->ar, &f->pap_x, &got, "suivi", &out),
			 0);
	assert_string_equal(out.name, "Inés Martínez-Tremblay");
	assert_string_equal(out.address, "12, rue des Érables");
	assert_int_equal(family_read_nominative(f->s->db, f->s->ar, &f->mgr_x, &got, "suivi", &out),
			 0);
	/* Another PAP of the organisation sees the record, not the details. */
	assert_int_equal(family_get(f->s->db, f->s->ar, &f->pap_x2, fam.id, &got), 0);
	assert_int_equal(
		family_read_nominative(f->s->db, f->s->ar, &f->pap_x2, &got, "suivi", &out), 1);
	assert_null(out.name);
	/* Other organisations, the committee and the admin: absent. */
	assert_int_equal(family_get(f->s->db, f->s->ar, &f->pap_y, fam.id, &got), 1);
	assert_int_equal(family_get(f->s->db, f->s->ar, &f->comite, fam.id, &got), 1);
	assert_int_equal(family_get(f->s->db, f->s->ar, &f->admin, fam.id, &got), 1);

	assert_int_equal(audit_verify(f->s->db, NULL, 0, &c), 0);
	assert_int_equal(c.verdict, AUDIT_INTACT);
	assert_int_equal(c.count, before + 2); /* two allowed reads, two entries */
}

static void test_wrong_key_cannot_open(void **state)
{
	struct fixture *f = *state;
	struct family fam = {
		.organisation_id = 1, .code = "X-077", .opened = "2025-03-01", .follower_id = 1};
	struct nominative nom = {.name = "Famille Test"};
	assert_int_equal(db_begin(f->s->db), 0);
	assert_int_equal(family_save(f->s->db, f->s->ar, 1, &fam, &nom, "suivi"), 0);
	assert_int_equal(db_commit(f->s->db), 0);
	unsigned char other[32];
	memset(other, 9, sizeof(other));
	vault_set_key(other);
	struct family got;
	assert_int_equal(family_get(f->s->db, f->s->ar, &f->pap_x, fam.id, &got), 0);
	struct nominative out;
	assert_int_equal(family_read_nominative(f->s->db, f->s->ar, &f->pap_x, &got, "suivi", &out),
			 -1);
	assert_null(out.name);
	unsigned char key[32];
	memset(key, 7, sizeof(key));
	vault_set_key(key);
}

/* row_next reads every row into one arena array; row_drop takes back the
 * element of a row the caller skips, and the loop goes on with the next
 * row; a second statement may append to the same array. */
static void test_row_next_and_drop(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *s = db_query(f->s->db, "SELECT id, name FROM person ORDER BY id");
	assert_non_null(s);
	struct row_array rows = {0};
	int64_t *id;
	while ((id = row_next(f->s->db, s, f->s->ar, &rows, sizeof(*id), "test.rows"))) {
		*id = db_col_int64(s, 0);
		if (*id % 2 == 0)
			row_drop(&rows);
	}
	assert_int_equal(rows.rc, 0);
	assert_int_equal(rows.n, 3);
	const int64_t *v = rows.v;
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], 3);
	assert_int_equal(v[2], 5);
	/* The statement was reset at the end: it reads again, after the rows. */
	while ((id = row_next(f->s->db, s, f->s->ar, &rows, sizeof(*id), "test.rows")))
		*id = db_col_int64(s, 0);
	db_query_free(s);
	assert_int_equal(rows.rc, 0);
	assert_int_equal(rows.n, 9);
	v = rows.v;
	assert_int_equal(v[2], 5);
	assert_int_equal(v[3], 1);
	assert_int_equal(v[8], 6);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	i18n_init();
	ptime_set_zone("America/Toronto");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quick_entry_valid_and_component_from_type,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation_names_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indirect_only_and_zero_minutes_are_valid,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_future_date_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_row_next_and_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visibility_by_role, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soft_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_family_link_other_organisation_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nominative_encrypted_scoped_and_logged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key_cannot_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_etag_follows_every_change, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	vault_unload();
	return rc;
}
