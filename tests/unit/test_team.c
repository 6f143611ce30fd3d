/* Team follow-up model (model/position.h, supervision.h, support.h):
 * a change of holder closes the previous period the day before; the
 * hand-over leaves no open family or referral without an owner and is
 * refused while something would be orphaned; supervision hours per month
 * against the organisation's target; support requests seen only by their
 * author and their organisation's managers; the indicators of
 * model/ind_team.h count what these functions write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/audit.h"
#include "model/ind_team.h"
#include "model/position.h"
#include "model/supervision.h"
#include "model/support.h"
#include "support/scratch_db.h"

/* Persons: 1 and 2 and 7 PAP of X, 3 manager of X, 4 PAP of Y, 5 manager
 * of Y, 6 committee, 8 inactive PAP of X. */
static const struct actor gest_x = {
	.person_id = 3, .role = ROLE_GESTIONNAIRE, .organisation_id = 1};
static const struct actor gest_y = {
	.person_id = 5, .role = ROLE_GESTIONNAIRE, .organisation_id = 2};
static const struct actor pap1 = {.person_id = 1, .role = ROLE_PAP, .organisation_id = 1};
static const struct actor pap2 = {.person_id = 2, .role = ROLE_PAP, .organisation_id = 1};
static const struct actor pap7 = {.person_id = 7, .role = ROLE_PAP, .organisation_id = 1};
static const struct actor pap_y = {.person_id = 4, .role = ROLE_PAP, .organisation_id = 2};
static const struct actor comite = {.person_id = 6, .role = ROLE_COMITE, .territory_id = 1};
static const struct actor admin = {.person_id = 9, .role = ROLE_ADMIN};

static long long count(struct db *db, const char *sql)
{
	struct db_stmt *st;
	assert_non_null(st = db_query(db, sql));
	assert_int_equal(db_step(st), DB_ROW);
	long long n = db_col_int64(st, 0);
	db_query_free(st);
	return n;
}

static int setup(void **state)
{
	setenv("PROXIMA_NOW", "2026-11-25T10:00:00", 1);
	ptime_hooks_load();
	assert_int_equal(ptime_set_zone("America/Toronto"), 0);
	struct scratch *f = scratch_new(
		"team", 4096,
		"INSERT INTO territory (id, ext_id, name) VALUES (1, 'A', 'A');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		/* Both serve A, where their positions are (organisation_serves). */
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 1);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id, active)"
		" VALUES (1, 'p1', 'Une', 'pap', 1, 1, 1), (2, 'p2', 'Deux', 'pap', 1, 1, 1),"
		" (3, 'g3', 'Gestion X', 'gestionnaire', 1, 1, 1),"
		" (4, 'p4', 'Quatre', 'pap', 2, 1, 1), (5, 'g5', 'Gestion Y', 'gestionnaire', 2, "
		"1, 1),"
		" (6, 'c6', 'Comité', 'comite', NULL, 1, 1), (7, 'p7', 'Sept', 'pap', 1, 1, 1),"
		" (8, 'p8', 'Partie', 'pap', 1, 1, 0), (9, 'a9', 'Admin', 'admin', NULL, NULL, 1);"
		/* Families of X: 1 and 2 open, followed by 1; 3 closed, followed by 1;
		 * 4 open, followed by 2. */
		"INSERT INTO family (id, ext_id, organisation_id, code, follower_id, opened, "
		"closed)"
		" VALUES (1, 'f1', 1, 'F-1', 1, '2026-01-05', NULL),"
		" (2, 'f2', 1, 'F-2', 1, '2026-02-05', NULL),"
		" (3, 'f3', 1, 'F-3', 1, '2025-02-05', '2025-12-01'),"
		" (4, 'f4', 1, 'F-4', 2, '2026-02-05', NULL);"
		/* Referrals sent by 1: one open, one closed. */
		"INSERT INTO referral (id, ext_id, family_id, from_organisation_id, "
		"to_organisation_id, sender_id, sent_at, closed_at, outcome) VALUES"
		" (1, 'r1', 1, 1, 2, 1, 1767000000, NULL, NULL),"
		" (2, 'r2', 2, 1, 2, 1, 1767000000, 1767100000, 'prise_en_charge');");
	assert_non_null(f);
	*state = f;
	return 0;
}

/* Opens a position of X held by person 1 from 2026-01-01. */
static int64_t open_position(struct scratch *f)
{
	const char *comps[] = {"demarchage", "accompagnement", "collaboration"};
	struct mandate_pair items[] = {{"familles_0_5", "demarchage"}};
	struct position p = {.territory_id = 1, .start = "2026-01-01", .contact = "poste@x.test"};
	p.components.v = comps;
	p.components.n = 3;
	p.items = items;
	p.n_items = 1;
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(position_create(f->db, f->ar, &gest_x, &p, &v), 0);
	assert_int_equal(p.organisation_id, 1);
	struct position got;
	assert_int_equal(position_get(f->db, f->ar, &gest_x, p.id, &got), 0);
	assert_int_equal(
		position_set_holder(f->db, f->ar, &gest_x, &got, 1, "2026-01-01", NULL, &v), 0);
	assert_int_equal(db_commit(f->db), 0);
	return p.id;
}

static void test_holder_change_closes_previous_period(void **state)
{
	struct scratch *f = *state;
	int64_t id = open_position(f);
	struct position p;
	assert_int_equal(position_get(f->db, f->ar, &gest_x, id, &p), 0);
	assert_int_equal(p.components.n, 3);
	assert_int_equal(p.n_items, 1);
	assert_int_equal(p.n_holders, 1);

	struct handover h = {.all_to = 2};
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(position_set_holder(f->db, f->ar, &gest_x, &p, 2, "2026-06-01", &h, &v),
			 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(position_get(f->db, f->ar, &gest_x, id, &p), 0);
	assert_int_equal(p.n_holders, 2);
	assert_int_equal(p.holders[0].person_id, 1);
	assert_string_equal(p.holders[0].to, "2026-05-31");
	assert_int_equal(p.holders[1].person_id, 2);
	assert_string_equal(p.holders[1].from, "2026-06-01");
	assert_null(p.holders[1].to);
	assert_int_equal(position_current(&p)->person_id, 2);

	/* The departure is turnover; the headcount stays 1 all year. */
	struct ind_scope s;
	struct pdate a = {2026, 1, 1}, b = {2026, 10, 31};
	ind_scope_init(&s, &a, &b);
	s.as_of = b;
	struct ind_team_roulement_result r;
	assert_int_equal(ind_team_roulement(f->db, f->ar, &s, NULL, &r), 0);
	assert_int_equal(r.departures, 1);
	assert_true(fabs(r.hc.average - 1.0) < 1e-9);

	/* A date before the current holder's start, or an ended period, is refused. */
	struct validation v2 = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(position_set_holder(f->db, f->ar, &gest_x, &p, 7, "2026-05-01", NULL, &v2),
			 1);
	db_rollback(f->db);
	assert_non_null(validation_get(&v2, "date"));

	/* Closing ends the holder's period the same day. */
	struct validation v3 = {0};
	struct handover h3 = {.all_to = 3};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(position_close(f->db, f->ar, &gest_x, &p, "2026-09-30", &h3, &v3), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(position_get(f->db, f->ar, &gest_x, id, &p), 0);
	assert_string_equal(p.end, "2026-09-30");
	assert_string_equal(p.holders[1].to, "2026-09-30");
	assert_null(position_current(&p));
	assert_int_equal(count(f->db, "SELECT count(*) FROM family WHERE follower_id = 2 AND "
				      "closed IS NULL"),
			 0);
}

static void test_handover_leaves_nothing_orphaned(void **state)
{
	struct scratch *f = *state;
	int64_t id = open_position(f);
	struct position p;
	assert_int_equal(position_get(f->db, f->ar, &gest_x, id, &p), 0);

	struct handover_item *items;
	size_t n;
	assert_int_equal(position_handover_items(f->db, f->ar, 1, &items, &n), 0);
	assert_int_equal(n, 3); /* families 1 and 2, referral 1 */

	/* Only family 1 assigned, nothing for the rest: refused, nothing written. */
	struct handover_item one[] = {{.kind = HANDOVER_FAMILY, .id = 1, .to = 2}};
	struct handover h = {.items = one, .n = 1};
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(position_end_holder(f->db, f->ar, &gest_x, &p, "2026-06-30", &h, &v), 1);
	db_rollback(f->db);
	assert_non_null(validation_get(&v, "handover"));
	assert_int_equal(count(f->db, "SELECT count(*) FROM family WHERE follower_id = 1 AND "
				      "closed IS NULL"),
			 2);
	assert_int_equal(count(f->db, "SELECT count(*) FROM position_holder WHERE to_date IS NULL"),
			 1);

	/* A successor from another organisation, or inactive, is refused. */
	struct handover bad = {.all_to = 4};
	struct validation v2 = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(position_end_holder(f->db, f->ar, &gest_x, &p, "2026-06-30", &bad, &v2),
			 1);
	db_rollback(f->db);
	assert_non_null(validation_get(&v2, "handover"));
	bad.all_to = 8;
	struct validation v3 = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(position_end_holder(f->db, f->ar, &gest_x, &p, "2026-06-30", &bad, &v3),
			 1);
	db_rollback(f->db);

	/* Family 1 to PAP 2, everything else to the manager: accepted. */
	h.all_to = 3;
	struct validation v4 = {0};
	long long audit_before = count(f->db, "SELECT count(*) FROM audit_log");
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(position_end_holder(f->db, f->ar, &gest_x, &p, "2026-06-30", &h, &v4), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM family WHERE closed IS NULL AND "
				      "(follower_id IS NULL OR follower_id = 1)"),
			 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM referral WHERE closed_at IS NULL AND "
				      "(sender_id IS NULL OR sender_id = 1)"),
			 0);
	assert_int_equal(count(f->db, "SELECT follower_id FROM family WHERE id = 1"), 2);
	assert_int_equal(count(f->db, "SELECT follower_id FROM family WHERE id = 2"), 3);
	assert_int_equal(count(f->db, "SELECT sender_id FROM referral WHERE id = 1"), 3);
	/* Closed things keep their history. */
	assert_int_equal(count(f->db, "SELECT follower_id FROM family WHERE id = 3"), 1);
	assert_int_equal(count(f->db, "SELECT sender_id FROM referral WHERE id = 2"), 1);
	/* Each hand-over is in the access log, and the chain still verifies. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log") - audit_before, 3);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE purpose = 'passation' "
				      "AND actor_id = 3"),
			 3);
	struct audit_check chk;
	assert_int_equal(audit_verify(f->db, NULL, 0, &chk), 0);
	assert_int_equal(chk.verdict, AUDIT_INTACT);
	assert_int_equal(position_get(f->db, f->ar, &gest_x, id, &p), 0);
	assert_string_equal(p.holders[0].to, "2026-06-30");
}

static void test_position_visibility(void **state)
{
	struct scratch *f = *state;
	int64_t id = open_position(f);
	struct position p;
	assert_int_equal(position_get(f->db, f->ar, &gest_y, id, &p), 1);
	assert_int_equal(position_get(f->db, f->ar, &pap1, id, &p), 1);
	assert_int_equal(position_get(f->db, f->ar, &comite, id, &p), 1);
	assert_int_equal(position_get(f->db, f->ar, &admin, id, &p), 0);
	struct position *v;
	size_t n;
	assert_int_equal(position_list(f->db, f->ar, &gest_y, false, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(position_list(f->db, f->ar, &gest_x, false, &v, &n), 0);
	assert_int_equal(n, 1);
	/* Y's manager cannot act on X's position. */
	struct validation vv = {0};
	assert_int_equal(position_close(f->db, f->ar, &gest_y, &p, "2026-06-30", NULL, &vv), -1);
}

static void test_supervision_month_vs_target(void **state)
{
	struct scratch *f = *state;
	open_position(f); /* person 1 holds a position all year */
	double target;
	bool own;
	assert_int_equal(supervision_target(f->db, 1, &target, &own), 0);
	assert_true(fabs(target - 2.0) < 1e-9);
	assert_false(own);

	struct supervision s = {.person_id = 1,
				.date = "2026-03-10",
				.hours = 1.5,
				.type = "individuelle",
				.note = "Point sur la charge."};
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(supervision_record(f->db, f->ar, &gest_x, &s, &v), 0);
	assert_int_equal(db_commit(f->db), 0);

	struct supervision_month_row *rows;
	size_t n;
	assert_int_equal(supervision_team_month(f->db, f->ar, &gest_x, 2026, 3, &target, &rows, &n),
			 0);
	assert_int_equal(n, 3); /* active PAP 1, 2, 7 */
	for (size_t i = 0; i < n; i++) {
		if (rows[i].person_id == 1) {
			assert_true(fabs(rows[i].hours - 1.5) < 1e-9);
			assert_true(rows[i].below_target);
		} else {
			assert_true(rows[i].hours == 0);
			assert_true(rows[i].below_target);
			assert_int_equal(rows[i].sessions, 0);
		}
	}
	/* A second session on the month's last day reaches the target. */
	struct supervision s2 = {
		.person_id = 1, .date = "2026-03-31", .hours = 0.5, .type = "groupe"};
	struct validation v2 = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(supervision_record(f->db, f->ar, &gest_x, &s2, &v2), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(supervision_team_month(f->db, f->ar, &gest_x, 2026, 3, &target, &rows, &n),
			 0);
	for (size_t i = 0; i < n; i++)
		if (rows[i].person_id == 1)
			assert_false(rows[i].below_target);
	/* April: nothing yet, the last session is still shown. */
	assert_int_equal(supervision_team_month(f->db, f->ar, &gest_x, 2026, 4, &target, &rows, &n),
			 0);
	for (size_t i = 0; i < n; i++)
		if (rows[i].person_id == 1) {
			assert_true(rows[i].below_target);
			assert_string_equal(rows[i].last_date, "2026-03-31");
		}
	/* The organisation's own target. */
	struct validation v3 = {0};
	assert_int_equal(supervision_set_target(f->db, &gest_x, 3, &v3), 0);
	assert_int_equal(supervision_team_month(f->db, f->ar, &gest_x, 2026, 3, &target, &rows, &n),
			 0);
	assert_true(fabs(target - 3.0) < 1e-9);
	for (size_t i = 0; i < n; i++)
		if (rows[i].person_id == 1)
			assert_true(rows[i].below_target);
	assert_int_equal(supervision_target(f->db, 2, &target, &own), 0);
	assert_true(fabs(target - 2.0) < 1e-9); /* Y keeps the default */
	assert_int_equal(supervision_set_target(f->db, &gest_x, 0, &v3), 1);

	/* The indicator counts these hours: 2 h in March for one PAP. */
	struct ind_scope sc;
	struct pdate a = {2026, 3, 1}, b = {2026, 3, 31};
	ind_scope_init(&sc, &a, &b);
	sc.as_of = b;
	struct ind_team_supervision_result r;
	assert_int_equal(ind_team_supervision(f->db, f->ar, &sc, NULL, &r), 0);
	assert_true(fabs(r.hours - 2.0) < 1e-9);
	assert_int_equal(r.sessions, 2);

	/* Refusals: another organisation's PAP, a future date, a long note. */
	char note[400];
	memset(note, 'a', sizeof(note) - 1);
	note[sizeof(note) - 1] = '\0';
	struct supervision bad = {
		.person_id = 4, .date = "2026-12-01", .hours = 30, .type = "autre", .note = note};
	struct validation v4 = {0};
	assert_int_equal(supervision_record(f->db, f->ar, &gest_x, &bad, &v4), 1);
	assert_non_null(validation_get(&v4, "person"));
	assert_non_null(validation_get(&v4, "date"));
	assert_non_null(validation_get(&v4, "hours"));
	assert_non_null(validation_get(&v4, "type"));
	assert_non_null(validation_get(&v4, "note"));
	assert_int_equal(supervision_record(f->db, f->ar, &pap1, &s, &v4), -1);

	/* Who sees person 1's sessions. */
	struct supervision *list;
	assert_int_equal(supervision_of_person(f->db, f->ar, &pap1, 1, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(supervision_of_person(f->db, f->ar, &pap2, 1, &list, &n), 1);
	assert_int_equal(supervision_of_person(f->db, f->ar, &gest_y, 1, &list, &n), 1);
	assert_int_equal(supervision_of_person(f->db, f->ar, &comite, 1, &list, &n), 1);
	assert_int_equal(supervision_of_organisation(f->db, f->ar, &gest_y, NULL, NULL, &list, &n),
			 0);
	assert_int_equal(n, 0);
}

static void test_support_request_visibility(void **state)
{
	struct scratch *f = *state;
	open_position(f);
	struct support_request r = {.addressed_to = "equipe",
				    .type = "charge_emotionnelle",
				    .urgency = "elevee",
				    .text = "Texte confidentiel."};
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(support_file(f->db, f->ar, &pap1, &r, &v), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_string_equal(r.date, "2026-11-25");

	struct support_request got, *list;
	size_t n;
	assert_int_equal(support_get(f->db, f->ar, &pap1, r.id, &got), 0);
	assert_string_equal(got.text, "Texte confidentiel.");
	assert_int_equal(support_get(f->db, f->ar, &gest_x, r.id, &got), 0);
	const struct actor *never[] = {&pap2, &pap7, &pap_y, &gest_y, &comite, &admin};
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(support_get(f->db, f->ar, never[i], r.id, &got), 1);
		assert_int_equal(support_list(f->db, f->ar, never[i], &list, &n), 0);
		assert_int_equal(n, 0);
		assert_int_equal(support_acknowledge(f->db, never[i], &r), 1);
	}
	assert_int_equal(support_list(f->db, f->ar, &gest_x, &list, &n), 0);
	assert_int_equal(n, 1);

	/* Acknowledge, then close: a resolution is required. */
	assert_int_equal(support_acknowledge(f->db, &gest_x, &r), 0);
	assert_int_equal(support_get(f->db, f->ar, &gest_x, r.id, &got), 0);
	assert_true(got.acknowledged_at > 0);
	assert_int_equal(got.closed_at, 0);
	struct validation v2 = {0};
	assert_int_equal(support_close(f->db, &gest_x, &got, "", &v2), 1);
	assert_non_null(validation_get(&v2, "resolution"));
	assert_int_equal(support_close(f->db, &pap1, &got, "Fait.", &v2), 1);
	struct validation v3 = {0};
	assert_int_equal(support_close(f->db, &gest_x, &got, "Rencontre le 26.", &v3), 0);
	assert_int_equal(support_get(f->db, f->ar, &pap1, r.id, &got), 0);
	assert_true(got.closed_at > 0);
	assert_string_equal(got.resolution, "Rencontre le 26.");

	/* Only a PAP files; bad input names the fields, all at once; a text
	 * is optional (interchange.md: only the person and the date are
	 * required), the form asks for it. */
	struct support_request bad = {.addressed_to = "tous", .type = "x", .urgency = "?"};
	struct validation v4 = {0};
	assert_int_equal(support_file(f->db, f->ar, &pap1, &bad, &v4), 1);
	assert_non_null(validation_get(&v4, "addressed_to"));
	assert_non_null(validation_get(&v4, "type"));
	assert_non_null(validation_get(&v4, "urgency"));
	assert_null(validation_get(&v4, "text"));
	assert_int_equal(support_file(f->db, f->ar, &gest_x, &r, &v4), -1);
	struct support_request bare = {0};
	struct validation v5 = {0};
	assert_int_equal(support_file(f->db, f->ar, &pap1, &bare, &v5), 0);
	assert_true(bare.id > 0);

	/* The indicator counts the requests (the bare one too): person 1 holds
	 * a position that day. */
	struct ind_scope sc;
	struct pdate a = {2026, 10, 1}, b = {2026, 12, 31};
	ind_scope_init(&sc, &a, &b);
	sc.as_of = b;
	struct ind_team_soutien_result s;
	assert_int_equal(ind_team_soutien(f->db, f->ar, &sc, NULL, &s), 0);
	assert_int_equal(s.requests, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_holder_change_closes_previous_period, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_handover_leaves_nothing_orphaned, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_position_visibility, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_supervision_month_vs_target, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_support_request_visibility, setup,
						scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
