/* Arrimage indicators (src/model/ind_arrimage.c) on small hand-computed
 * fixtures. Every expected number is worked out beside its assertion.
 *
 * Period 2024-10-01 .. 2025-03-31, as_of 2025-03-31 (unless a test moves
 * it), zone America/Toronto, escape window W = 30 days.
 *
 * Territories: 1 T (root), 2 T2 (child of T), 3 U (elsewhere).
 * Sectors 101 S1, 102 S2, 103 S3, 104 S4.
 * Organisations: 1 X (S1, serves T), 2 Y (S2, T2), 3 Z (S3, T),
 *                4 W (S1, U), 5 V (S4, T).
 * Corridors: 1 C1 on T (target 2), 2 C2 on T2 (target 10 = P2),
 *            3 C3 on U (target 2).
 *
 * Referrals (local times; "tk" taken, "cl" closed):
 *  R1  X→Y C1  sent 10-10 08:00, tk 10-11 20:00            1.5 d
 *  R2  X→Z  -  sent 10-15 09:00, cl 10-16 refusee          escaped
 *  R3  X→Y C1  fc 10-19 10:00, sent 10-20 10:00, cl 10-21 reorientee
 *  R4  ←R3 Y→Z C2  sent 10-21 10:00, tk 10-25 10:00         6.0 d (≤ 10)
 *  R5  X→Y C1  sent 11-10 10:00, cl 11-11 reorientee
 *  R6  ←R5 Y→X  -  sent 11-11 10:00, tk 11-14 10:00         4.0 d (> 2), loop X,Y,X
 *  R7  X→Y C1  sent 2025-03-21 10:00, open                 10 days before as_of
 *  R8  X→Y C1  sent 2025-02-19 10:00, open                 40 days before as_of
 *  R9  X→Y C1  sent 2025-02-01 10:00, tk 2025-04-02        taken after as_of
 *  R10 X→Y C1  sent 2024-09-20 10:00, cl 09-25 perdue       before the period
 *  R11 X→Y C2  sent 2024-11-02 12:00, tk 11-03 12:00        25 h = 25/24 d
 *  R12 X→Y C1  sent 2025-03-08 12:00, tk 03-09 12:00        23 h = 23/24 d
 *  R13 W→Y C3  sent 10-12 10:00, tk 10-13 10:00             outside T
 *  R14 X→Y C1  sent 12-01 10:00, cl 12-02 reorientee        two children:
 *  R15 ←R14 Y→Z -  sent 12-02 10:00, tk 12-03 10:00          earliest continues, 2.0 d
 *  R16 ←R14 Y→X -  sent 12-05 10:00, open                    ignored branch
 *  R17 X→Y C1  sent 2025-03-15 10:00, cl 03-20 reorientee
 *  R18 ←R17 Y→Z -  sent 2025-03-25 10:00, tk 03-26 10:00     11.0 d (> 2) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/ind_arrimage.h"
#include "model/trajectory.h"
#include "support/scratch_db.h"

#define EPS 1e-9

struct fixture {
	struct scratch *s; /* the database and the arena */
	struct ind_scope scope;
};

static int64_t ts(const char *local)
{
	int64_t t = 0;
	assert_int_equal(ptime_parse_timestamp(local, &t), 0);
	return t;
}

static void bind_ts(struct db_stmt *s, int i, const char *local)
{
	if (local)
		db_bind_int64(s, i, ts(local));
	else
		db_bind_null(s, i);
}

/* Inserts one referral; 0 for previous/corridor and NULL times mean none. */
static void add_ref(struct fixture *f, int id, int prev, int from, int to, int corridor,
		    const char *first_contact, const char *sent, const char *taken,
		    const char *closed, const char *outcome)
{
	struct db_stmt *s;
	assert_non_null(
		s = db_query(f->s->db,
			     "INSERT INTO referral (id, ext_id, family_id, from_organisation_id, "
			     "to_organisation_id, corridor_id, first_contact_at, sent_at, "
			     "taken_at, closed_at, "
			     "outcome, previous_id) VALUES (?1, 'R' || ?1, 1, ?2, ?3, ?4, ?5, ?6, "
			     "?7, ?8, ?9, ?10)"));
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, from);
	db_bind_int(s, 3, to);
	if (corridor)
		db_bind_int(s, 4, corridor);
	bind_ts(s, 5, first_contact);
	bind_ts(s, 6, sent);
	bind_ts(s, 7, taken);
	bind_ts(s, 8, closed);
	if (outcome)
		db_bind_text(s, 9, outcome);
	if (prev)
		db_bind_int(s, 10, prev);
	int rc = db_step(s);
	if (rc != DB_DONE)
		fprintf(stderr, "insert referral %d: %s\n", id, db_errmsg(f->s->db));
	assert_int_equal(rc, DB_DONE);
	db_query_free(s);
}

static void set_date(struct pdate *d, const char *s)
{
	assert_int_equal(ptime_parse_date(s, d), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->s = scratch_new("ind-arr", 4096, NULL);
	assert_non_null(f->s);
	exec_ok(f->s->db,
		"INSERT INTO territory (id, ext_id, name, type, parent_id) VALUES"
		" (1, 'T', 'Territoire T', 'urbain', NULL), (2, 'T2', 'Quartier T2', 'urbain', 1),"
		" (3, 'U', 'Territoire U', 'rural', NULL);"
		"INSERT INTO sector (id, ext_id, name) VALUES (101, 'S1', 'Secteur 1'),"
		" (102, 'S2', 'Secteur 2'), (103, 'S3', 'Secteur 3'), (104, 'S4', 'Secteur 4');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'Org X', 101), (2, 'Y', 'Org Y', 102), (3, 'Z', 'Org Z', 103),"
		" (4, 'W', 'Org W', 101), (5, 'V', 'Org V', 104);"
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 2), (3, 1), (4, 3), (5, 1);"
		"INSERT INTO corridor (id, ext_id, territory_id, name, entry_organisation_id,"
		" target_days) VALUES (1, 'C1', 1, 'C1', 2, 2), (2, 'C2', 2, 'C2', 3, 10),"
		" (3, 'C3', 3, 'C3', 4, 2);"
		"INSERT INTO family (id, ext_id, organisation_id, code, opened) VALUES"
		" (1, 'F1', 1, 'F1', '2024-01-01');"
		"INSERT INTO person (id, ext_id, name, role, organisation_id) VALUES"
		" (1, 'p1', 'Pap 1', 'pap', 1);");
	add_ref(f, 1, 0, 1, 2, 1, NULL, "2024-10-10T08:00", "2024-10-11T20:00", NULL,
		"prise_en_charge");
	add_ref(f, 2, 0, 1, 3, 0, NULL, "2024-10-15T09:00", NULL, "2024-10-16T09:00", "refusee");
	add_ref(f, 3, 0, 1, 2, 1, "2024-10-19T10:00", "2024-10-20T10:00", NULL, "2024-10-21T10:00",
		"reorientee");
	add_ref(f, 4, 3, 2, 3, 2, NULL, "2024-10-21T10:00", "2024-10-25T10:00", NULL, NULL);
	add_ref(f, 5, 0, 1, 2, 1, NULL, "2024-11-10T10:00", NULL, "2024-11-11T10:00", "reorientee");
	add_ref(f, 6, 5, 2, 1, 0, NULL, "2024-11-11T10:00", "2024-11-14T10:00", NULL, NULL);
	add_ref(f, 7, 0, 1, 2, 1, NULL, "2025-03-21T10:00", NULL, NULL, NULL);
	add_ref(f, 8, 0, 1, 2, 1, NULL, "2025-02-19T10:00", NULL, NULL, NULL);
	add_ref(f, 9, 0, 1, 2, 1, NULL, "2025-02-01T10:00", "2025-04-02T10:00", NULL, NULL);
	add_ref(f, 10, 0, 1, 2, 1, NULL, "2024-09-20T10:00", NULL, "2024-09-25T10:00", "perdue");
	add_ref(f, 11, 0, 1, 2, 2, NULL, "2024-11-02T12:00", "2024-11-03T12:00", NULL, NULL);
	add_ref(f, 12, 0, 1, 2, 1, NULL, "2025-03-08T12:00", "2025-03-09T12:00", NULL, NULL);
	add_ref(f, 13, 0, 4, 2, 3, NULL, "2024-10-12T10:00", "2024-10-13T10:00", NULL, NULL);
	add_ref(f, 14, 0, 1, 2, 1, NULL, "2024-12-01T10:00", NULL, "2024-12-02T10:00",
		"reorientee");
	add_ref(f, 15, 14, 2, 3, 0, NULL, "2024-12-02T10:00", "2024-12-03T10:00", NULL, NULL);
	add_ref(f, 16, 14, 2, 1, 0, NULL, "2024-12-05T10:00", NULL, NULL, NULL);
	add_ref(f, 17, 0, 1, 2, 1, NULL, "2025-03-15T10:00", NULL, "2025-03-20T10:00",
		"reorientee");
	add_ref(f, 18, 17, 2, 3, 0, NULL, "2025-03-25T10:00", "2025-03-26T10:00", NULL, NULL);

	/* Positions (all with holder person 1):
	 *  P1 X/S1 on T: holders 2024-01-01..06-30 and 2024-11-01..open (gap,
	 *     filled from Nov); 3 components; items (familles_0_5,
	 *     accompagnement_individuel), (familles_immigrantes, visite_domicile)
	 *  P2 Y/S2 on T2: holders 2024-05-01..09-30 and 2025-04-15..open: the
	 *     gap covers the whole period → not filled; 3 components; shares
	 *     (familles_0_5, accompagnement_individuel) with P1 (not counted)
	 *  P3 Z/S3 on T: holder 2024-01-01..open; demarchage+accompagnement only;
	 *     items (familles_0_5, accompagnement_individuel), (familles_immigrantes,
	 *     visite_domicile), (aines, presence_milieu)
	 *  P4 V/S4 on T: holder 2024-02-01..open; 3 components;
	 *     item (jeunes_6_17, presence_milieu)
	 *  P5 X/S1 on T2: position 2023-01-01..2024-06-30, holder same: filled
	 *     only before the period; 3 components; (jeunes_6_17, presence_milieu)
	 *  P6 W/S1 on U (outside T): filled; (aines, presence_milieu)
	 *  P7 X/S1 on T: filled; demarchage only; (familles_0_5, accompagnement_individuel)
	 *  P8 Z/S3 on T: position 2024-01-01..2024-08-31 (ended before the
	 *     period) with a holder still open; 3 components;
	 *     (familles_0_5, accompagnement_individuel) */
	exec_ok(f->s->db,
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date, "
		"end_date)"
		" VALUES (1, 'P1', 1, 1, '2024-01-01', NULL), (2, 'P2', 2, 2, '2024-05-01', NULL),"
		" (3, 'P3', 3, 1, '2024-01-01', NULL), (4, 'P4', 5, 1, '2024-01-01', NULL),"
		" (5, 'P5', 1, 2, '2023-01-01', '2024-06-30'), (6, 'P6', 4, 3, '2024-01-01', NULL),"
		" (7, 'P7', 1, 1, '2024-01-01', NULL), (8, 'P8', 3, 1, '2024-01-01', '2024-08-31');"
		"INSERT INTO position_holder (position_id, person_id, from_date, to_date) VALUES"
		" (1, 1, '2024-01-01', '2024-06-30'), (1, 1, '2024-11-01', NULL),"
		" (2, 1, '2024-05-01', '2024-09-30'), (2, 1, '2025-04-15', NULL),"
		" (3, 1, '2024-01-01', NULL), (4, 1, '2024-02-01', NULL),"
		" (5, 1, '2023-01-01', '2024-06-30'), (6, 1, '2024-01-01', NULL),"
		" (7, 1, '2024-01-01', NULL), (8, 1, '2024-01-01', NULL);"
		"INSERT INTO mandate_component VALUES"
		" (1, 'demarchage'), (1, 'accompagnement'), (1, 'collaboration'),"
		" (2, 'demarchage'), (2, 'accompagnement'), (2, 'collaboration'),"
		" (3, 'demarchage'), (3, 'accompagnement'),"
		" (4, 'demarchage'), (4, 'accompagnement'), (4, 'collaboration'),"
		" (5, 'demarchage'), (5, 'accompagnement'), (5, 'collaboration'),"
		" (6, 'demarchage'), (6, 'accompagnement'), (6, 'collaboration'),"
		" (7, 'demarchage'),"
		" (8, 'demarchage'), (8, 'accompagnement'), (8, 'collaboration');"
		"INSERT INTO mandate_item VALUES"
		" (1, 'familles_0_5', 'accompagnement_individuel'),"
		" (1, 'familles_immigrantes', 'visite_domicile'),"
		" (2, 'familles_0_5', 'accompagnement_individuel'),"
		" (3, 'familles_0_5', 'accompagnement_individuel'),"
		" (3, 'familles_immigrantes', 'visite_domicile'),"
		" (3, 'aines', 'presence_milieu'),"
		" (4, 'jeunes_6_17', 'presence_milieu'),"
		" (5, 'jeunes_6_17', 'presence_milieu'),"
		" (6, 'aines', 'presence_milieu'),"
		" (7, 'familles_0_5', 'accompagnement_individuel'),"
		" (8, 'familles_0_5', 'accompagnement_individuel');");

	struct pdate from, to;
	set_date(&from, "2024-10-01");
	set_date(&to, "2025-03-31");
	ind_scope_init(&f->scope, &from, &to);
	/* to is in the past, so as_of = to. */
	set_date(&from, "2025-03-31");
	assert_int_equal(ptime_date_cmp(&f->scope.as_of, &from), 0);
	f->scope.territory_id = 1;
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

static void test_trajectories_linked(void **state)
{
	struct fixture *f = *state;
	struct ind_trajectories tr;
	assert_int_equal(ind_arr_trajectories(f->s->db, f->s->ar, &f->scope, &tr), 0);
	/* All 18 referrals are sent by as_of; R13's trajectory is on U, out
	 * of scope, so only the 17 others are read. */
	assert_int_equal(tr.n_refs, 17);
	/* Roots in scope: R1 R2 R3 R5 R7 R8 R9 R10 R11 R12 R14 R17 = 12
	 * (R13 is on U; R4 R6 R15 R16 R18 continue others). */
	assert_int_equal(tr.n, 12);
	size_t loops = 0;
	for (size_t i = 0; i < tr.n; i++) {
		const struct ind_trajectory *t = &tr.list[i];
		int64_t first = tr.refs[t->first].id, last = tr.refs[t->last].id;
		loops += t->loop;
		if (first == 3) {
			/* A→B→C: R3 then R4; first contact from R3. */
			assert_int_equal(last, 4);
			assert_int_equal(t->length, 2);
			assert_int_equal(t->first_contact, ts("2024-10-19T10:00"));
			assert_false(t->loop);
		} else if (first == 5) {
			assert_int_equal(last, 6);
			assert_true(t->loop); /* X, Y, X */
		} else if (first == 14) {
			/* Two children: R15 (sent 12-02) continues, R16 is ignored;
			 * so no loop X, Y, Z. */
			assert_int_equal(last, 15);
			assert_int_equal(t->length, 2);
			assert_false(t->loop);
		} else if (first == 1) {
			assert_int_equal(last, 1);
			/* No first contact given: the first referral's sent_at. */
			assert_int_equal(t->first_contact, ts("2024-10-10T08:00"));
		}
	}
	assert_int_equal(loops, 1);
}

static void test_delai(void **state)
{
	struct fixture *f = *state;
	struct ind_arr_delai_result r;
	assert_int_equal(ind_arr_delai(f->s->db, f->s->ar, &f->scope, &r), 0);
	/* Last referral taken in the period and by as_of:
	 *  T1 1.5 (C1 2 ✓), T3 10-19 10:00 → 10-25 10:00 = 6.0 (C2 10 ✓),
	 *  T5 11-10 → 11-14 = 4.0 (no corridor: 2 ✗),
	 *  T11 25 h = 25/24 (C2 10 ✓), T12 23 h = 23/24 (C1 2 ✓),
	 *  T14 12-01 → 12-03 = 2.0 (no corridor: 2 ✓, equal counts),
	 *  T17 03-15 → 03-26 = 11.0 (no corridor: 2 ✗).
	 *  Not: T9 (taken after as_of), T13 (outside T), T2 T7 T8 T10. */
	assert_int_equal(r.stats.n, 7);
	/* Sum = 23/24 + 25/24 + 1.5 + 2 + 4 + 6 + 11 = 26.5; mean 26.5/7. */
	assert_float_equal(r.stats.mean, 26.5 / 7.0, EPS);
	/* Sorted: 0.958 1.042 1.5 2.0 4.0 6.0 11.0 → median 2.0. */
	assert_float_equal(r.stats.median, 2.0, EPS);
	/* p90 nearest rank: ceil(0.9 × 7) = 7th → 11.0. */
	assert_float_equal(r.stats.p90, 11.0, EPS);
	/* Within target: T1 T3 T11 T12 T14 = 5 of 7 = 71.43 %. */
	assert_int_equal(r.within_target, 5);
	assert_float_equal(r.pct_within, 500.0 / 7.0, EPS);
	assert_false(r.target_met); /* mean 3.79 > 2 */
	assert_float_equal(ind_round1(r.stats.mean), 3.8, EPS);
}

/* The daylight-saving days alone: one trajectory each, scoped by period. */
static void test_delai_dst(void **state)
{
	struct fixture *f = *state;
	struct ind_arr_delai_result r;
	/* 2024-11-03 (fall back): sent 11-02 12:00, taken 11-03 12:00 = 25 h. */
	set_date(&f->scope.from, "2024-11-03");
	set_date(&f->scope.to, "2024-11-03");
	f->scope.as_of = f->scope.to;
	assert_int_equal(ind_arr_delai(f->s->db, f->s->ar, &f->scope, &r), 0);
	assert_int_equal(r.stats.n, 1);
	assert_float_equal(r.stats.mean, 25.0 / 24.0, EPS);
	/* 2025-03-09 (spring forward): sent 03-08 12:00, taken 03-09 12:00 = 23 h. */
	set_date(&f->scope.from, "2025-03-09");
	set_date(&f->scope.to, "2025-03-09");
	f->scope.as_of = f->scope.to;
	assert_int_equal(ind_arr_delai(f->s->db, f->s->ar, &f->scope, &r), 0);
	assert_int_equal(r.stats.n, 1);
	assert_float_equal(r.stats.mean, 23.0 / 24.0, EPS);
	assert_true(r.target_met); /* 0.96 ≤ 2 */
	assert_float_equal(r.pct_within, 100.0, EPS);
}

static void test_echappement(void **state)
{
	struct fixture *f = *state;
	struct ind_arr_echappement_result r;
	assert_int_equal(ind_arr_echappement(f->s->db, f->s->ar, &f->scope, &r), 0);
	/* First referral sent in the period (R10, 2024-09-20, is not; R13 is
	 * outside T): T1 T2 T3 T5 T7 T8 T9 T11 T12 T14 T17.
	 *  taken → mature, not escaped: T1 T3 T5 T11 T12 T14 T17 (R18 taken 03-26)
	 *  T2 refusee → escaped
	 *  T8 open, 2025-02-19 is 40 days before as_of > 30 → escaped
	 *  T9 taken 04-02, after as_of: open, 58 days → escaped
	 *  T7 open, 10 days → en_attente */
	assert_int_equal(r.mature, 10);
	assert_int_equal(r.escaped, 3);
	assert_int_equal(r.en_attente, 1);
	assert_true(r.defined);
	assert_float_equal(r.value, 30.0, EPS); /* 3 / 10 */
	assert_false(r.target_met);             /* 30 % ≥ 10 % */
}

/* as_of moved inside the period: later timestamps do not exist yet. */
static void test_as_of_inside_period(void **state)
{
	struct fixture *f = *state;
	set_date(&f->scope.as_of, "2025-03-22");
	struct ind_arr_echappement_result e;
	assert_int_equal(ind_arr_echappement(f->s->db, f->s->ar, &f->scope, &e), 0);
	/* R18 (sent 03-25) does not exist yet: T17 ends on R17, reorientee
	 * closed 03-20 → escaped. T8 is 31 days old (> 30) → escaped; T9 49.
	 * T7 (sent 03-21) is 1 day old → en_attente.
	 * Mature: T1 T2 T3 T5 T8 T9 T11 T12 T14 T17 = 10; escaped T2 T8 T9 T17 = 4. */
	assert_int_equal(e.mature, 10);
	assert_int_equal(e.escaped, 4);
	assert_int_equal(e.en_attente, 1);
	assert_float_equal(e.value, 40.0, EPS);

	struct ind_arr_delai_result d;
	assert_int_equal(ind_arr_delai(f->s->db, f->s->ar, &f->scope, &d), 0);
	/* T17 is no longer taken: 23/24 25/24 1.5 2 4 6 → n 6, sum 15.5,
	 * median (1.5 + 2) / 2 = 1.75, p90 ceil(5.4) = 6th → 6.0, within 5/6. */
	assert_int_equal(d.stats.n, 6);
	assert_float_equal(d.stats.mean, 15.5 / 6.0, EPS);
	assert_float_equal(d.stats.median, 1.75, EPS);
	assert_float_equal(d.stats.p90, 6.0, EPS);
	assert_int_equal(d.within_target, 5);

	/* W = 31: T8 (31 days) is no longer "more than W" → en_attente. */
	f->scope.escape_window_days = 31;
	assert_int_equal(ind_arr_echappement(f->s->db, f->s->ar, &f->scope, &e), 0);
	assert_int_equal(e.mature, 9);
	assert_int_equal(e.escaped, 3);
	assert_int_equal(e.en_attente, 2);
}

static void test_boucle(void **state)
{
	struct fixture *f = *state;
	struct ind_arr_boucle_result r;
	assert_int_equal(ind_arr_boucle(f->s->db, f->s->ar, &f->scope, &r), 0);
	/* Started in the period: the 11 of test_echappement; one loop (T5:
	 * X, Y, X). T14's ignored branch R16 (Y→X) would have made one. */
	assert_int_equal(r.started, 11);
	assert_int_equal(r.loops, 1);
	assert_float_equal(r.pct, 100.0 / 11.0, EPS);
}

static void test_referral_scope(void **state)
{
	struct fixture *f = *state;
	struct ind_arr_delai_result d;
	/* Territory T2 only: R11 (corridor C2 on T2) is the only first
	 * referral there (Y serves T2 but sends no first referral). */
	f->scope.territory_id = 2;
	assert_int_equal(ind_arr_delai(f->s->db, f->s->ar, &f->scope, &d), 0);
	assert_int_equal(d.stats.n, 1);
	assert_float_equal(d.stats.mean, 25.0 / 24.0, EPS);
	/* Territory U: R13, 10-12 10:00 → 10-13 10:00 = 1.0 day. */
	f->scope.territory_id = 3;
	assert_int_equal(ind_arr_delai(f->s->db, f->s->ar, &f->scope, &d), 0);
	assert_int_equal(d.stats.n, 1);
	assert_float_equal(d.stats.mean, 1.0, EPS);
	/* All territories, organisation W: the same R13. */
	f->scope.territory_id = 0;
	f->scope.organisation_id = 4;
	assert_int_equal(ind_arr_delai(f->s->db, f->s->ar, &f->scope, &d), 0);
	assert_int_equal(d.stats.n, 1);
	/* Sector S2 (Y) sends no first referral: nothing started. */
	f->scope.organisation_id = 0;
	f->scope.sector_id = 102;
	struct ind_arr_boucle_result b;
	assert_int_equal(ind_arr_boucle(f->s->db, f->s->ar, &f->scope, &b), 0);
	assert_int_equal(b.started, 0);
	assert_float_equal(b.pct, 0.0, EPS);
}

static void test_chevauchement(void **state)
{
	struct fixture *f = *state;
	struct ind_arr_chevauchement_result r;
	assert_int_equal(ind_arr_chevauchement(f->s->db, f->s->ar, &f->scope, NULL, &r), 0);
	/* Filled in the period on T (with T2): P1 (S1), P3 (S3), P4 (S4),
	 * P7 (S1). Not: P2 (holder gap over the period), P5 (before), P6 (U),
	 * P8 (position ended 2024-08-31).
	 * Pairs of different sectors: P1-P3, P1-P4, P3-P4, P3-P7, P4-P7 = 5
	 * (P1-P7 both S1). Sharing: P1-P3 (2 items), P3-P7 (1 item) → 2/5 = 40 %. */
	assert_int_equal(r.pairs, 5);
	assert_int_equal(r.overlapping, 2);
	assert_true(r.defined);
	assert_float_equal(r.value, 40.0, EPS);
	assert_int_equal(r.n_list, 2);
	assert_int_equal(r.list[0].position_a, 1);
	assert_int_equal(r.list[0].position_b, 3);
	assert_string_equal(r.list[0].ext_a, "P1");
	assert_int_equal(r.list[0].sector_a, 101);
	assert_int_equal(r.list[0].sector_b, 103);
	assert_int_equal(r.list[0].n_items, 2);
	assert_string_equal(r.list[0].items[0].population, "familles_0_5");
	assert_string_equal(r.list[0].items[0].activity_type, "accompagnement_individuel");
	assert_string_equal(r.list[0].items[1].population, "familles_immigrantes");
	assert_string_equal(r.list[0].items[1].activity_type, "visite_domicile");
	assert_int_equal(r.list[1].position_a, 3);
	assert_int_equal(r.list[1].position_b, 7);
	assert_int_equal(r.list[1].n_items, 1);
	assert_string_equal(r.list[1].items[0].population, "familles_0_5");

	/* Sector S1 alone: P1 and P7 are the same sector → no pair. */
	f->scope.sector_id = 101;
	assert_int_equal(ind_arr_chevauchement(f->s->db, f->s->ar, &f->scope, NULL, &r), 0);
	assert_int_equal(r.pairs, 0);
	assert_false(r.defined);
	assert_int_equal(r.n_list, 0);

	/* Period 2024-07-01 .. 2024-08-31: P1 is in its holder gap; P5 ended
	 * 06-30; P2 (holder 05-01..09-30) and P8 (position to 08-31) are
	 * filled. Filled: P2 (S2), P3 (S3), P4 (S4), P7 (S1), P8 (S3).
	 * Pairs: C(5, 2) = 10 minus P3-P8 (both S3) = 9. Sharing
	 * (familles_0_5, accompagnement_individuel): P2-P3, P2-P7, P2-P8,
	 * P3-P7, P7-P8 = 5 (P4 shares nothing) → 5/9 = 55.6 %. */
	f->scope.sector_id = 0;
	set_date(&f->scope.from, "2024-07-01");
	set_date(&f->scope.to, "2024-08-31");
	f->scope.as_of = f->scope.to;
	assert_int_equal(ind_arr_chevauchement(f->s->db, f->s->ar, &f->scope, NULL, &r), 0);
	assert_int_equal(r.pairs, 9);
	assert_int_equal(r.overlapping, 5);
	assert_float_equal(r.value, 500.0 / 9.0, EPS);
	static const int64_t expect[5][2] = {{2, 3}, {2, 7}, {2, 8}, {3, 7}, {7, 8}};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(r.list[i].position_a, expect[i][0]);
		assert_int_equal(r.list[i].position_b, expect[i][1]);
		assert_int_equal(r.list[i].n_items, 1);
	}
}

/* One memo through both indicators, as a report computes them: the
 * positions arr.secteurs_cadre reads first carry the mandate items
 * arr.chevauchement_mandats needs, and a memo asked for another sector or
 * period reads again (the figures of test_chevauchement and
 * test_secteurs_cadre). */
static void test_positions_memo(void **state)
{
	struct fixture *f = *state;
	struct ind_arr_pos_memo memo = {0};
	struct ind_arr_secteurs_cadre_result s;
	struct ind_arr_chevauchement_result c;
	assert_int_equal(ind_arr_secteurs_cadre(f->s->db, f->s->ar, &f->scope, &memo, &s), 0);
	assert_int_equal(s.count, 2);
	assert_int_equal(ind_arr_chevauchement(f->s->db, f->s->ar, &f->scope, &memo, &c), 0);
	assert_int_equal(c.pairs, 5);
	assert_int_equal(c.overlapping, 2);
	assert_int_equal(c.list[0].n_items, 2);
	assert_string_equal(c.list[0].items[1].population, "familles_immigrantes");
	f->scope.sector_id = 101;
	assert_int_equal(ind_arr_chevauchement(f->s->db, f->s->ar, &f->scope, &memo, &c), 0);
	assert_int_equal(c.pairs, 0);
	f->scope.sector_id = 0;
	set_date(&f->scope.from, "2024-07-01");
	set_date(&f->scope.to, "2024-08-31");
	f->scope.as_of = f->scope.to;
	assert_int_equal(ind_arr_chevauchement(f->s->db, f->s->ar, &f->scope, &memo, &c), 0);
	assert_int_equal(c.pairs, 9);
	assert_int_equal(c.overlapping, 5);
	assert_int_equal(ind_arr_secteurs_cadre(f->s->db, f->s->ar, &f->scope, &memo, &s), 0);
	assert_int_equal(s.count, 3);
}

static void test_secteurs_cadre(void **state)
{
	struct fixture *f = *state;
	struct ind_arr_secteurs_cadre_result r;
	assert_int_equal(ind_arr_secteurs_cadre(f->s->db, f->s->ar, &f->scope, NULL, &r), 0);
	/* Filled on T in the period with the three components: P1 (S1), P4
	 * (S4). Not S3 (P3 lacks collaboration; P8 ended before the period),
	 * not S2 (P2 unfilled), P6's S1 is on U anyway. → 2: S1, S4. */
	assert_int_equal(r.count, 2);
	assert_int_equal(r.sectors[0].id, 101);
	assert_string_equal(r.sectors[0].ext_id, "S1");
	assert_int_equal(r.sectors[1].id, 104);
	assert_string_equal(r.sectors[1].name, "Secteur 4");

	/* 2024-07-01 .. 08-31: P2 (S2) and P8 (S3), both with the three
	 * components, are filled; P1 is in its holder gap and P5 (S1) ended
	 * 06-30, P7 (S1) has one component → S2, S3, S4 = 3. */
	set_date(&f->scope.from, "2024-07-01");
	set_date(&f->scope.to, "2024-08-31");
	f->scope.as_of = f->scope.to;
	assert_int_equal(ind_arr_secteurs_cadre(f->s->db, f->s->ar, &f->scope, NULL, &r), 0);
	assert_int_equal(r.count, 3);
	assert_int_equal(r.sectors[0].id, 102);
	assert_int_equal(r.sectors[1].id, 103);
	assert_int_equal(r.sectors[2].id, 104);
}

/* ind_arr_referral_rows_split against ind_arr_referral_rows: for each
 * territory of a list, the same rows in the same order, hence the same
 * trajectories and the same three figures. Besides the fixture's chains
 * that cross territories (R3 on T continued by R4 on T2), two more: Y also
 * serves U, so R19 (Y→X, no corridor) starts a trajectory in both T2
 * (hence T) and U, continued by R20 on corridor C3 (U); and R21 (C2 on
 * T2) continued by R22 (C3 on U). */
static void assert_same_rows(const struct ind_referral_rows *x, const struct ind_referral_rows *y)
{
	assert_int_equal(x->n, y->n);
	assert_int_equal(x->end, y->end);
	assert_int_equal(x->territory_id, y->territory_id);
	for (size_t i = 0; i < x->n; i++) {
		const struct ind_referral_row *a = &x->v[i], *b = &y->v[i];
		assert_int_equal(a->id, b->id);
		assert_int_equal(a->previous_id, b->previous_id);
		assert_int_equal(a->from_org, b->from_org);
		assert_int_equal(a->to_org, b->to_org);
		assert_int_equal(a->sent_at, b->sent_at);
		assert_int_equal(a->taken_at, b->taken_at);
		assert_int_equal(a->closed_at, b->closed_at);
		assert_int_equal(a->in_scope, b->in_scope);
		assert_float_equal(a->target_days, b->target_days, EPS);
	}
}

/* Trajectory lists x (ind_arr_trajectories_split) and y (each territory
 * read alone): the same trajectories in the same order, the same summaries
 * of their first and last referrals, hence the same three figures. */
static void assert_same_trajectories(const struct ind_trajectories *x,
				     const struct ind_trajectories *y, const struct ind_scope *s,
				     struct arena *ar)
{
	assert_int_equal(x->n, y->n);
	assert_int_equal(x->n_refs, y->n_refs);
	for (size_t i = 0; i < x->n; i++) {
		const struct ind_trajectory *a = &x->list[i], *b = &y->list[i];
		assert_int_equal(a->length, b->length);
		assert_int_equal(a->first_contact, b->first_contact);
		assert_int_equal(a->loop, b->loop);
		assert_int_equal(a->key, b->key);
		assert_int_equal(a->first_sent, y->refs[b->first].sent_at);
		assert_int_equal(a->last_sent, y->refs[b->last].sent_at);
		assert_int_equal(a->last_taken, y->refs[b->last].taken_at);
		assert_float_equal(a->last_target_days, y->refs[b->last].target_days, EPS);
		assert_true(a->last_outcome == b->last_outcome ||
			    (a->last_outcome && b->last_outcome &&
			     strcmp(a->last_outcome, b->last_outcome) == 0));
	}
	struct ind_arr_delai_result dx, dy;
	ind_arr_delai_of(x, ar, s, &dx);
	ind_arr_delai_of(y, ar, s, &dy);
	assert_int_equal(dx.stats.n, dy.stats.n);
	assert_float_equal(dx.stats.mean, dy.stats.mean, EPS);
	assert_int_equal(dx.within_target, dy.within_target);
	struct ind_arr_echappement_result ex, ey;
	ind_arr_echappement_of(x, s, &ex);
	ind_arr_echappement_of(y, s, &ey);
	assert_int_equal(ex.escaped, ey.escaped);
	assert_int_equal(ex.mature, ey.mature);
	assert_int_equal(ex.en_attente, ey.en_attente);
	struct ind_arr_boucle_result bx, by;
	ind_arr_boucle_of(x, s, &bx);
	ind_arr_boucle_of(y, s, &by);
	assert_int_equal(bx.started, by.started);
	assert_int_equal(bx.loops, by.loops);
}

static void test_split_matches_each_territory(void **state)
{
	struct fixture *f = *state;
	exec_ok(f->s->db, "INSERT INTO organisation_territory VALUES (2, 3)");
	add_ref(f, 19, 0, 2, 1, 0, NULL, "2024-12-10T10:00", NULL, "2024-12-11T10:00",
		"reorientee");
	add_ref(f, 20, 19, 1, 4, 3, NULL, "2024-12-11T10:00", "2024-12-20T10:00", NULL, NULL);
	add_ref(f, 21, 0, 1, 2, 2, NULL, "2025-01-10T10:00", NULL, "2025-01-11T10:00",
		"reorientee");
	add_ref(f, 22, 21, 2, 4, 3, NULL, "2025-01-11T10:00", NULL, NULL, NULL);
	/* The referrals were written with plain SQL, not through the model:
	 * place them as `proxima reindex` does. */
	assert_int_equal(trajectory_rebuild(f->s->db), 0);
	static const int64_t lists[][4] = {{1, 3, 0, 0}, {2, 1, 3, 0}, {3, 2, 2, 1}};
	static const size_t lens[] = {2, 3, 4};
	for (int sector = 0; sector < 2; sector++) {
		f->scope.sector_id = sector ? 101 : 0;
		for (size_t l = 0; l < ARRAY_LEN(lists); l++) {
			struct ind_referral_rows split[4];
			assert_int_equal(ind_arr_referral_rows_split(f->s->db, f->s->ar, &f->scope,
								     lists[l], lens[l], split),
					 0);
			for (size_t k = 0; k < lens[l]; k++) {
				struct ind_scope one = f->scope;
				one.territory_id = lists[l][k];
				struct ind_referral_rows each;
				assert_int_equal(
					ind_arr_referral_rows(f->s->db, f->s->ar, &one, &each), 0);
				assert_same_rows(&split[k], &each);
				struct ind_trajectories tx, ty;
				ind_arr_trajectories_at(&split[k], f->s->ar, split[k].end, &tx);
				ind_arr_trajectories_at(&each, f->s->ar, each.end, &ty);
				struct ind_arr_echappement_result ex, ey;
				ind_arr_echappement_of(&tx, &one, &ex);
				ind_arr_echappement_of(&ty, &one, &ey);
				assert_int_equal(ex.escaped, ey.escaped);
				assert_int_equal(ex.mature, ey.mature);
			}
			/* The comparison's lists, at the period's end and at an
			 * as_of inside it, against each territory alone. */
			for (int mid = 0; mid < 2; mid++) {
				struct ind_scope sc = f->scope;
				if (mid)
					sc.as_of = (struct pdate){2025, 1, 10};
				struct ind_trajectories tl[4];
				assert_int_equal(ind_arr_trajectories_split(f->s->db, f->s->ar, &sc,
									    lists[l], lens[l], NULL,
									    tl),
						 0);
				for (size_t k = 0; k < lens[l]; k++) {
					struct ind_scope one = sc;
					one.territory_id = lists[l][k];
					struct ind_trajectories ty;
					assert_int_equal(
						ind_arr_trajectories(f->s->db, f->s->ar, &one, &ty),
						0);
					assert_same_trajectories(&tl[k], &ty, &one, f->s->ar);
				}
			}
		}
	}
	/* What the new chains give, worked out: T counts R19 (Y serves T2,
	 * under T) and R21 (C2 on T2); U counts R13 and R19 but not R21. */
	f->scope.sector_id = 0;
	struct ind_referral_rows split[2];
	static const int64_t tu[] = {1, 3};
	assert_int_equal(ind_arr_referral_rows_split(f->s->db, f->s->ar, &f->scope, tu, 2, split),
			 0);
	struct ind_trajectories t;
	ind_arr_trajectories_at(&split[1], f->s->ar, split[1].end, &t);
	assert_int_equal(t.n, 2); /* R13, R19 → R20 */
	assert_int_equal(t.refs[t.list[1].last].id, 20);
	ind_arr_trajectories_at(&split[0], f->s->ar, split[0].end, &t);
	bool has19 = false, has21 = false;
	for (size_t i = 0; i < t.n; i++) {
		has19 |= t.refs[t.list[i].first].id == 19;
		has21 |= t.refs[t.list[i].first].id == 21 && t.list[i].length == 2;
	}
	assert_true(has19 && has21);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : (x > y ? 1 : 0);
}

/* ind_stats_compute sorts v in place (a radix sort of the numbers' bits
 * from 64 values up): the same order as qsort for delays of both signs,
 * whole and fractional, repeated, and for values that share their high
 * bytes; hence the same mean, median and p90. */
static void test_stats_sorted(void **state)
{
	(void)state;
	enum { N = 5000 };
	static double v[N], w[N];
	uint64_t x = 88172645463325252u;
	for (size_t n = 1; n <= N; n = n * 3 + 1) {
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			double d = (double)(x % 20000) / 8.0 - 300.0;
			v[i] = w[i] = i % 5 == 0 ? (double)(int64_t)d : d;
		}
		struct ind_stats st;
		ind_stats_compute(v, n, &st);
		qsort(w, n, sizeof(*w), cmp_dbl);
		for (size_t i = 0; i < n; i++)
			assert_true(v[i] == w[i]);
		double sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += w[i];
		assert_true(st.mean == sum / (double)n);
		assert_true(st.median == (n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2.0));
	}
}

int main(void)
{
	ptime_set_zone("America/Toronto");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_sorted),
		cmocka_unit_test_setup_teardown(test_trajectories_linked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delai, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delai_dst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echappement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_of_inside_period, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boucle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_referral_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chevauchement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secteurs_cadre, setup, teardown),
		cmocka_unit_test_setup_teardown(test_positions_memo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_matches_each_territory, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
