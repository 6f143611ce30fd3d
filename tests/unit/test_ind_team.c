/* Team follow-up indicators (model/ind_team.h) on small hand-computed
 * fixtures: headcount with holder gaps and positions opening mid-period,
 * turnover, supervision, support requests, satisfaction, projects,
 * presentations of mandate and service gaps. */
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
#include "model/ind_team.h"
#include "support/scratch_db.h"

#define assert_near(x, e) assert_true(fabs((double)(x) - (double)(e)) < 1e-6)

static int64_t sector_id(struct db *db, const char *ext)
{
	struct db_stmt *st;
	assert_non_null(st = db_query(db, "SELECT id FROM sector WHERE ext_id = ?1"));
	db_bind_text(st, 1, ext);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t id = db_col_int64(st, 0);
	db_query_free(st);
	return id;
}

/* Territories: 1 root, 2 child of 1, 3 child of 2, 4 elsewhere.
 * Organisations: 1 (MSSS), 2 (COMM). Persons 1-9: PAP of organisation 1. */
static int setup(void **state)
{
	struct scratch *f = scratch_new(
		"indteam", 4096,
		"INSERT INTO territory (id, ext_id, name, parent_id) VALUES"
		" (1, 'R', 'Région', NULL), (2, 'A', 'A', 1), (3, 'A1', 'A1', 2), (4, 'B', 'B', "
		"NULL);"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', 'P1', 'pap', 1, 2), (2, 'p2', 'P2', 'pap', 1, 2),"
		" (3, 'p3', 'P3', 'pap', 1, 2), (4, 'p4', 'P4', 'pap', 1, 2),"
		" (5, 'p5', 'P5', 'pap', 1, 2), (6, 'p6', 'P6', 'pap', 1, 2),"
		" (7, 'p7', 'P7', 'pap', 1, 2), (8, 'p8', 'P8', 'pap', 1, 2),"
		" (9, 'p9', 'P9', 'pap', 1, 2);");
	assert_non_null(f);
	*state = f;
	return 0;
}

static struct ind_scope scope(const char *from, const char *to, const char *as_of, int64_t terr)
{
	struct ind_scope s;
	struct pdate a, b, c;
	assert_int_equal(ptime_parse_date(from, &a), 0);
	assert_int_equal(ptime_parse_date(to, &b), 0);
	assert_int_equal(ptime_parse_date(as_of, &c), 0);
	ind_scope_init(&s, &a, &b);
	s.as_of = c;
	s.territory_id = terr;
	return s;
}

/* Period 2024-01-01..2024-03-30 = 31 + 29 + 30 = 90 days.
 *   P1 (org 1, terr 2) open since 2023: person 1 until 01-31, vacant
 *      02-01..03-01 (30 days), person 2 from 03-02 to 03-31.
 *      Filled: 31 (Jan) + 29 (03-02..03-30) = 60. One departure (01-31);
 *      person 2 leaves 03-31, the day after the period: not counted.
 *   P2 (org 1, terr 2) opens 02-15, person 3 from 02-15: 15 + 30 = 45.
 *   P3 (org 2, terr 2) since 2022: person 4 until 02-10, person 5 from
 *      02-11 in two records (02-11..03-10, 03-11..open): 90 days, one
 *      departure (the change of holder), the split is none.
 *   P4 (org 2, terr 4) person 6 until 01-15 then vacant: 15 days, one
 *      departure; outside territory 2.
 *   P5 (org 1, terr 3, a child of 2) 2023-06-01..2024-01-20, closing
 *      with its holder person 7 (to 01-20): 20 days, one departure. */
static void fixture_positions(struct scratch *f)
{
	exec_ok(f->db,
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date, "
		"end_date) VALUES"
		" (1, 'P1', 1, 2, '2023-01-01', NULL), (2, 'P2', 1, 2, '2024-02-15', NULL),"
		" (3, 'P3', 2, 2, '2022-01-01', NULL), (4, 'P4', 2, 4, '2020-01-01', NULL),"
		" (5, 'P5', 1, 3, '2023-06-01', '2024-01-20');"
		"INSERT INTO position_holder (position_id, person_id, from_date, to_date) VALUES"
		" (1, 1, '2023-01-01', '2024-01-31'), (1, 2, '2024-03-02', '2024-03-31'),"
		" (2, 3, '2024-02-15', NULL),"
		" (3, 4, '2022-01-01', '2024-02-10'), (3, 5, '2024-02-11', '2024-03-10'),"
		" (3, 5, '2024-03-11', NULL),"
		" (4, 6, '2020-01-01', '2024-01-15'),"
		" (5, 7, '2023-06-01', '2024-01-20');");
}

static void test_headcount_gaps_and_partial(void **state)
{
	struct scratch *f = *state;
	fixture_positions(f);
	struct ind_scope s = scope("2024-01-01", "2024-03-30", "2024-03-30", 2);
	int64_t first, last;
	ind_team_period(&s, &first, &last);
	struct ind_headcount hc;
	assert_int_equal(ind_team_headcount(f->db, &s, first, last, &hc), 0);
	assert_int_equal(hc.days, 90);
	/* 60 (P1, 30-day gap) + 45 (P2 opens 02-15) + 90 (P3) + 20 (P5, terr 3) */
	assert_int_equal(hc.filled_days, 215);
	assert_near(hc.average, 215.0 / 90.0); /* 2.3889 */
	assert_true(hc.small_cell);            /* < 5 */

	/* Organisation 1 alone, all territories: P1 60 + P2 45 + P5 20 = 125. */
	s.territory_id = 0;
	s.organisation_id = 1;
	assert_int_equal(ind_team_headcount(f->db, &s, first, last, &hc), 0);
	assert_int_equal(hc.filled_days, 125);

	/* Sector COMM: P3 90 + P4 15 (01-01..01-15) = 105. */
	s.organisation_id = 0;
	s.sector_id = sector_id(f->db, "COMM");
	assert_int_equal(ind_team_headcount(f->db, &s, first, last, &hc), 0);
	assert_int_equal(hc.filled_days, 105);

	/* Only February (29 days), territory 2: P1 0 (vacant), P2 15 (02-15..),
	 * P3 29, P5 0 → 44 / 29. */
	s = scope("2024-02-01", "2024-02-29", "2024-02-29", 2);
	ind_team_period(&s, &first, &last);
	assert_int_equal(ind_team_headcount(f->db, &s, first, last, &hc), 0);
	assert_int_equal(hc.days, 29);
	assert_int_equal(hc.filled_days, 44);
}

static void test_roulement(void **state)
{
	struct scratch *f = *state;
	fixture_positions(f);
	struct ind_scope s = scope("2024-01-01", "2024-03-30", "2024-03-30", 2);
	struct ind_team_roulement_result r;
	assert_int_equal(ind_team_roulement(f->db, f->ar, &s, NULL, &r), 0);
	/* P1 person 1 (01-31), P3 person 4 (02-10, change of holder), P5
	 * closing with person 7 (01-20) = 3; P3's split record and P1 person
	 * 2 leaving on 03-31 (after the period) count nothing; P4 is on
	 * territory 4. */
	assert_int_equal(r.departures, 3);
	assert_int_equal(r.positions_left, 3);
	assert_true(r.defined);
	assert_near(r.hc.average, 215.0 / 90.0);
	/* 3 / (215/90) * 100 = 27000/215 = 125.5814 */
	assert_near(r.value, 27000.0 / 215.0);
	/* × 365.25 / 90 = 300 × 365.25 / 215 = 509.6512 */
	assert_near(r.annualised, 300.0 * 365.25 / 215.0);

	/* Sector COMM: P3 person 4 and P4 person 6 = 2 over 105/90:
	 * 2 / 1.16667 × 100 = 18000/105 = 171.4286. */
	s.territory_id = 0;
	s.sector_id = sector_id(f->db, "COMM");
	assert_int_equal(ind_team_roulement(f->db, f->ar, &s, NULL, &r), 0);
	assert_int_equal(r.departures, 2);
	assert_near(r.value, 18000.0 / 105.0);

	/* All territories, no filter, as_of 2024-01-25: the period is cut to
	 * 25 days; departures on or before then: P4 (01-15), P5 (01-20). */
	s = scope("2024-01-01", "2024-03-30", "2024-01-25", 0);
	assert_int_equal(ind_team_roulement(f->db, f->ar, &s, NULL, &r), 0);
	assert_int_equal(r.hc.days, 25);
	/* P1 25 + P3 25 + P4 15 + P5 20 = 85 */
	assert_int_equal(r.hc.filled_days, 85);
	assert_int_equal(r.departures, 2);
}

/* A period of two years: annualisation. One position on territory 2,
 * person 1 until 2023-06-30, person 2 from 2023-07-01: filled all 731
 * days (365 + 366), one departure. */
static void test_roulement_longer_than_year(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db,
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date) "
		"VALUES"
		" (1, 'P1', 1, 2, '2022-01-01');"
		"INSERT INTO position_holder (position_id, person_id, from_date, to_date) VALUES"
		" (1, 1, '2022-01-01', '2023-06-30'), (1, 2, '2023-07-01', NULL);");
	struct ind_scope s = scope("2023-01-01", "2024-12-31", "2024-12-31", 2);
	struct ind_team_roulement_result r;
	assert_int_equal(ind_team_roulement(f->db, f->ar, &s, NULL, &r), 0);
	assert_int_equal(r.hc.days, 731);
	assert_near(r.hc.average, 1.0);
	assert_int_equal(r.departures, 1);
	assert_near(r.value, 100.0);                /* 1 / 1 × 100 */
	assert_near(r.annualised, 36525.0 / 731.0); /* 100 × 365.25 / 731 = 49.9658 */
}

/* 2024-07-01..2024-09-30 = 31 + 31 + 30 = 92 days. P1 (person 1) and P2
 * (person 2) filled all 92 days; P3 opens 2024-08-16 with person 3:
 * 16 + 30 = 46 days. Average headcount (92 + 92 + 46) / 92 = 2.5. */
static void fixture_team(struct scratch *f)
{
	exec_ok(f->db,
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date) "
		"VALUES"
		" (1, 'P1', 1, 2, '2024-01-01'), (2, 'P2', 1, 3, '2024-01-01'),"
		" (3, 'P3', 1, 2, '2024-08-16');"
		"INSERT INTO position_holder (position_id, person_id, from_date, to_date) VALUES"
		" (1, 1, '2024-01-01', NULL), (2, 2, '2024-01-01', NULL), (3, 3, '2024-08-16', "
		"NULL);"
		"INSERT INTO supervision (ext_id, person_id, date, hours) VALUES"
		" ('s1', 1, '2024-07-05', 10), ('s2', 1, '2024-09-30', 5), ('s3', 2, '2024-08-01', "
		"8),"
		" ('s4', 3, '2024-08-20', 3),"
		" ('s5', 3, '2024-08-01', 4)," /* before person 3 holds P3 */
		" ('s6', 9, '2024-08-01', 6)," /* person 9 holds no position */
		" ('s7', 1, '2024-10-01', 2);" /* after the period */
		"INSERT INTO support_request (ext_id, person_id, date) VALUES"
		" ('r1', 1, '2024-07-02'), ('r2', 1, '2024-09-01'), ('r3', 2, '2024-08-08'),"
		" ('r4', 3, '2024-08-20'), ('r5', 3, '2024-08-01'), ('r6', 9, '2024-08-02'),"
		" ('r7', 2, '2024-06-30');");
}

static void test_supervision(void **state)
{
	struct scratch *f = *state;
	fixture_team(f);
	struct ind_scope s = scope("2024-07-01", "2024-09-30", "2024-09-30", 2);
	struct ind_team_supervision_result r;
	assert_int_equal(ind_team_supervision(f->db, f->ar, &s, NULL, &r), 0);
	assert_int_equal(r.hc.days, 92);
	assert_near(r.hc.average, 2.5);
	/* 10 + 5 + 8 + 3 = 26 h in 4 sessions (s5, s6, s7 not counted) */
	assert_near(r.hours, 26.0);
	assert_int_equal(r.sessions, 4);
	assert_near(r.months, 92.0 / 30.4375); /* 3.0226 */
	/* 26 / 3.0226 / 2.5 = 26 × 30.4375 / 230 = 3.4408 h per month per PAP */
	assert_near(r.value, 26.0 * 30.4375 / 230.0);
	assert_true(r.defined);

	/* Territory 4 has no position: headcount 0, not defined. */
	s.territory_id = 4;
	assert_int_equal(ind_team_supervision(f->db, f->ar, &s, NULL, &r), 0);
	assert_false(r.defined);
	assert_near(r.hours, 0);
}

static void test_soutien(void **state)
{
	struct scratch *f = *state;
	fixture_team(f);
	struct ind_scope s = scope("2024-07-01", "2024-09-30", "2024-09-30", 2);
	struct ind_team_soutien_result r;
	assert_int_equal(ind_team_soutien(f->db, f->ar, &s, NULL, &r), 0);
	/* r1, r2, r3, r4 = 4 (r5 before P3, r6 no position, r7 before) */
	assert_int_equal(r.requests, 4);
	assert_near(r.quarters, 92.0 / 91.3125); /* 1.0075 */
	/* 4 / 1.0075 / 2.5 = 4 × 91.3125 / 230 = 365.25 / 230 = 1.5880 */
	assert_near(r.value, 365.25 / 230.0);
	assert_true(r.hc.small_cell);
}

/* Period 2024-01-01..2024-06-30 (182 days), as_of 2024-06-30: the window
 * of 12 months is 2023-07-01..2024-06-30. */
static void test_satisfaction_pap(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db,
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date) "
		"VALUES"
		" (1, 'P1', 1, 2, '2023-01-01'), (2, 'P2', 1, 2, '2023-01-01'),"
		" (3, 'P3', 1, 2, '2023-01-01'), (4, 'P4', 1, 2, '2024-03-01');"
		"INSERT INTO position_holder (position_id, person_id, from_date, to_date) VALUES"
		" (1, 1, '2023-01-01', NULL), (2, 2, '2023-01-01', NULL),"
		" (3, 3, '2023-01-01', '2023-05-31'), (4, 4, '2024-03-01', NULL);"
		"INSERT INTO survey (ext_id, type, person_id, territory_id, date, score) VALUES"
		" ('a1', 'pap', 1, 2, '2023-09-15', 5)," /* window, not period */
		" ('a2', 'pap', 1, 2, '2024-02-01', 4),"
		" ('a3', 'pap', 2, 2, '2023-03-01', 2)," /* neither */
		" ('a4', 'pap', 2, 2, '2024-05-01', 3),"
		" ('a5', 'pap', 3, 2, '2023-04-01', 1)," /* neither */
		" ('a6', 'pap', 4, 2, '2024-03-10', 5),"
		" ('a7', 'pap', 4, 2, '2024-06-01', 4),"
		" ('a8', 'pap', 9, 2, '2024-02-02', 1)," /* no position */
		" ('a9', 'pap', 1, 2, '2024-07-01', 1)," /* after as_of */
		" ('f1', 'famille', NULL, 2, '2024-02-01', 1);");
	struct ind_scope s = scope("2024-01-01", "2024-06-30", "2024-06-30", 2);
	struct ind_team_satisfaction_pap_result r;
	assert_int_equal(ind_team_satisfaction_pap(f->db, f->ar, &s, NULL, &r), 0);
	/* Period answers: a2 4, a4 3, a6 5, a7 4 → n 4, mean 16/4 = 4.0,
	 * median of (3, 4, 4, 5) = 4, three of four >= 4 = 75 %. */
	assert_int_equal(r.stats.n, 4);
	assert_near(r.stats.mean, 4.0);
	assert_near(r.stats.median, 4.0);
	assert_int_equal(r.n_ge4, 3);
	assert_near(r.pct_ge4, 75.0);
	assert_true(r.target_met);
	/* Window 2023-07-01..2024-06-30: P1, P2, P4 filled (P3 vacant since
	 * 2023-06-01). P1 has a1 + a2, P4 has a6 + a7, P2 only a4 (a3 is out
	 * of the window): 2 of 3 = 66.67 %. */
	char wf[11];
	ptime_format_date(&r.window_from, wf);
	assert_string_equal(wf, "2023-07-01");
	assert_int_equal(r.positions_window, 3);
	assert_int_equal(r.positions_2answers, 2);
	assert_near(r.share_2answers, 200.0 / 3.0);
	/* Headcount: P1 182 + P2 182 + P4 122 (03-01..06-30) = 486 / 182 = 2.67 */
	assert_near(r.hc.average, 486.0 / 182.0);
	assert_true(r.hc.small_cell);
}

static void test_satisfaction_familles(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db,
		"INSERT INTO survey (ext_id, type, territory_id, date, score) VALUES"
		" ('f1', 'famille', 2, '2024-01-10', 5), ('f2', 'famille', 3, '2024-02-10', 4),"
		" ('f3', 'famille', 2, '2024-03-10', 4), ('f4', 'famille', 2, '2024-04-10', 3),"
		" ('f5', 'famille', 3, '2024-06-30', 2),"
		" ('f6', 'famille', 4, '2024-03-10', 1)," /* territory 4 */
		" ('f7', 'famille', 2, '2023-12-31', 5);" /* before the period */
		"INSERT INTO survey (ext_id, type, person_id, territory_id, date, score) VALUES"
		" ('p1', 'pap', 1, 2, '2024-03-10', 1);");
	struct ind_scope s = scope("2024-01-01", "2024-06-30", "2024-06-30", 2);
	struct ind_team_satisfaction_familles_result r;
	assert_int_equal(ind_team_satisfaction_familles(f->db, f->ar, &s, &r), 0);
	/* 5, 4, 4, 3, 2: n 5, mean 18/5 = 3.6, median 4, 3 of 5 >= 4 = 60 % */
	assert_int_equal(r.stats.n, 5);
	assert_near(r.stats.mean, 3.6);
	assert_near(r.stats.median, 4.0);
	assert_int_equal(r.n_ge4, 3);
	assert_near(r.pct_ge4, 60.0);
	assert_false(r.target_met); /* 3.6 < 4 */
	assert_false(r.small_cell); /* n = 5, not under 5 */

	/* Territory 3 alone: 4, 2 → mean 3, 50 %, n 2 under T. */
	s.territory_id = 3;
	assert_int_equal(ind_team_satisfaction_familles(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.stats.n, 2);
	assert_near(r.stats.mean, 3.0);
	assert_near(r.pct_ge4, 50.0);
	assert_true(r.small_cell);
}

static void test_projets(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db,
		"INSERT INTO project (ext_id, territory_id, name, start_date, end_date) VALUES"
		" ('A', 2, 'A', '2023-01-01', '2023-12-31')," /* ended before */
		" ('B', 2, 'B', '2023-06-01', '2024-01-01')," /* ends on the first day */
		" ('C', 3, 'C', '2024-06-30', NULL),"         /* starts on the last day */
		" ('D', 2, 'D', '2024-03-01', '2024-04-01')," /* inside */
		" ('E', 2, 'E', '2024-07-01', NULL),"         /* starts after */
		" ('F', 4, 'F', '2024-01-01', NULL);");       /* territory 4 */
	struct ind_scope s = scope("2024-01-01", "2024-06-30", "2024-06-30", 2);
	struct ind_team_projets_result r;
	assert_int_equal(ind_team_projets(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.count, 3); /* B, C, D */
	s.territory_id = 0;
	assert_int_equal(ind_team_projets(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.count, 4); /* B, C, D, F */
	/* as_of 2024-05-31: C has not started yet → B, D */
	s = scope("2024-01-01", "2024-06-30", "2024-05-31", 2);
	assert_int_equal(ind_team_projets(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.count, 2);
}

static void test_presentations(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db,
		"INSERT INTO activity (ext_id, author_id, organisation_id, territory_id, date,"
		" duration_min, type, created_at, updated_at, deleted_at) VALUES"
		" ('a1', 1, 1, 2, '2023-03-01', 60, 'presentation_mandat', 0, 0, NULL),"
		" ('a2', 1, 1, 3, '2023-11-11', 60, 'presentation_mandat', 0, 0, NULL),"
		" ('a3', 1, 1, 2, '2024-05-05', 60, 'presentation_mandat', 0, 0, NULL),"
		" ('a4', 1, 1, 2, '2024-06-01', 60, 'presentation_mandat', 0, 0, 1717200000),"
		" ('a5', 1, 1, 2, '2024-07-01', 60, 'concertation', 0, 0, NULL),"
		" ('a6', 1, 1, 4, '2024-01-01', 60, 'presentation_mandat', 0, 0, NULL),"
		" ('a7', 1, 2, 2, '2025-01-02', 60, 'presentation_mandat', 0, 0, NULL);");
	/* Two calendar years 2023-01-01..2024-12-31: a1, a2 (2023), a3 (2024);
	 * a4 deleted, a5 another type, a6 territory 4, a7 after. */
	struct ind_scope s = scope("2023-01-01", "2024-12-31", "2024-12-31", 2);
	struct ind_team_presentations_result r;
	assert_int_equal(ind_team_presentations(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.count, 3);
	assert_true(r.per_year_given);
	assert_int_equal(r.n_years, 2);
	assert_int_equal(r.years[0].year, 2023);
	assert_int_equal(r.years[0].days, 365);
	assert_int_equal(r.years[0].count, 2);
	assert_int_equal(r.years[1].year, 2024);
	assert_int_equal(r.years[1].days, 366);
	assert_int_equal(r.years[1].count, 1);

	/* Exactly one year (2024): no per-year breakdown; a3 only. */
	s = scope("2024-01-01", "2024-12-31", "2024-12-31", 2);
	assert_int_equal(ind_team_presentations(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.count, 1);
	assert_false(r.per_year_given);
	assert_null(r.years);

	/* 2023-03-01..2024-03-01 reaches the anniversary: slices 2023-03-01..
	 * 2023-12-31 (306 days, a1 a2) and 2024-01-01..2024-03-01 (31 + 29 +
	 * 1 = 61 days, none). */
	s = scope("2023-03-01", "2024-03-01", "2024-03-01", 2);
	assert_int_equal(ind_team_presentations(f->db, f->ar, &s, &r), 0);
	assert_true(r.per_year_given);
	assert_int_equal(r.n_years, 2);
	assert_int_equal(r.years[0].days, 306);
	assert_int_equal(r.years[0].count, 2);
	assert_int_equal(r.years[1].days, 61);
	assert_int_equal(r.years[1].count, 0);

	/* Organisation 2: only a7, after the period → 0; sector MSSS (org 1)
	 * over all territories in 2024: a3, a6 → 2. */
	s = scope("2023-01-01", "2024-12-31", "2024-12-31", 0);
	s.organisation_id = 2;
	assert_int_equal(ind_team_presentations(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.count, 0);
	s = scope("2024-01-01", "2024-12-31", "2024-12-31", 0);
	s.sector_id = sector_id(f->db, "MSSS");
	assert_int_equal(ind_team_presentations(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.count, 2);
}

static void test_trous_service(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db,
		"INSERT INTO service_gap (ext_id, territory_id, date, need) VALUES"
		" ('g1', 2, '2024-01-05', 'logement'), ('g2', 3, '2024-02-05', 'logement'),"
		" ('g3', 2, '2024-03-05', 'logement'), ('g4', 2, '2024-03-06', 'transport'),"
		" ('g5', 2, '2024-04-05', 'sante_mentale'), ('g6', 3, '2024-04-06', "
		"'sante_mentale'),"
		" ('g7', 2, '2024-05-05', 'alimentation'), ('g8', 2, '2024-06-30', 'alimentation'),"
		" ('g9', 4, '2024-03-05', 'logement'),"    /* territory 4 */
		" ('g10', 2, '2023-12-31', 'transport'),"  /* before */
		" ('g11', 2, '2024-08-01', 'logement');"); /* after as_of */
	struct ind_scope s = scope("2024-01-01", "2024-12-31", "2024-06-30", 2);
	struct ind_team_trous_result r;
	assert_int_equal(ind_team_trous_service(f->db, f->ar, &s, &r), 0);
	/* 3 logement, 2 alimentation, 2 sante_mentale (tie: by code), 1 transport */
	assert_int_equal(r.count, 8);
	assert_int_equal(r.n_needs, 4);
	assert_string_equal(r.needs[0].need, "logement");
	assert_int_equal(r.needs[0].count, 3);
	assert_string_equal(r.needs[1].need, "alimentation");
	assert_int_equal(r.needs[1].count, 2);
	assert_string_equal(r.needs[2].need, "sante_mentale");
	assert_int_equal(r.needs[2].count, 2);
	assert_string_equal(r.needs[3].need, "transport");
	assert_int_equal(r.needs[3].count, 1);
}

/* as_of before the period: nothing counted, nothing defined. */
static void test_empty_period(void **state)
{
	struct scratch *f = *state;
	fixture_team(f);
	struct ind_scope s = scope("2024-07-01", "2024-09-30", "2024-06-30", 0);
	struct ind_team_supervision_result r;
	assert_int_equal(ind_team_supervision(f->db, f->ar, &s, NULL, &r), 0);
	assert_int_equal(r.hc.days, 0);
	assert_false(r.defined);
	struct ind_team_roulement_result t;
	assert_int_equal(ind_team_roulement(f->db, f->ar, &s, NULL, &t), 0);
	assert_false(t.defined);
	assert_true(ind_team_small_cell(4.99, 5));
	assert_false(ind_team_small_cell(5.0, 0));
}

/* The four PAP statistics of one scope, each read without a memo or with
 * memo (run in the engine's order, or arr.satisfaction_pap first when
 * pap_first: then the memo is read for the whole span before
 * arr.roulement asks for the day after the period). */
struct team_four {
	struct ind_team_roulement_result rl;
	struct ind_team_supervision_result sv;
	struct ind_team_soutien_result so;
	struct ind_team_satisfaction_pap_result sp;
};

static void team_four(struct scratch *f, const struct ind_scope *s, struct ind_team_memo *memo,
		      bool pap_first, struct team_four *out)
{
	if (pap_first)
		assert_int_equal(ind_team_satisfaction_pap(f->db, f->ar, s, memo, &out->sp), 0);
	assert_int_equal(ind_team_roulement(f->db, f->ar, s, memo, &out->rl), 0);
	assert_int_equal(ind_team_supervision(f->db, f->ar, s, memo, &out->sv), 0);
	assert_int_equal(ind_team_soutien(f->db, f->ar, s, memo, &out->so), 0);
	if (!pap_first)
		assert_int_equal(ind_team_satisfaction_pap(f->db, f->ar, s, memo, &out->sp), 0);
}

static void assert_same_headcount(const struct ind_headcount *x, const struct ind_headcount *y)
{
	assert_int_equal(x->days, y->days);
	assert_int_equal(x->filled_days, y->filled_days);
	assert_true(x->average == y->average);
	assert_int_equal(x->small_cell, y->small_cell);
}

static void assert_same_four(const struct team_four *x, const struct team_four *y)
{
	assert_same_headcount(&x->rl.hc, &y->rl.hc);
	assert_int_equal(x->rl.departures, y->rl.departures);
	assert_int_equal(x->rl.positions_left, y->rl.positions_left);
	assert_true(x->rl.value == y->rl.value && x->rl.annualised == y->rl.annualised);
	assert_same_headcount(&x->sv.hc, &y->sv.hc);
	assert_true(x->sv.hours == y->sv.hours && x->sv.value == y->sv.value);
	assert_int_equal(x->sv.sessions, y->sv.sessions);
	assert_same_headcount(&x->so.hc, &y->so.hc);
	assert_int_equal(x->so.requests, y->so.requests);
	assert_true(x->so.value == y->so.value);
	assert_same_headcount(&x->sp.hc, &y->sp.hc);
	assert_int_equal(x->sp.stats.n, y->sp.stats.n);
	assert_true(x->sp.stats.mean == y->sp.stats.mean);
	assert_int_equal(x->sp.positions_window, y->sp.positions_window);
	assert_int_equal(x->sp.positions_2answers, y->sp.positions_2answers);
	assert_int_equal(x->sp.respondents, y->sp.respondents);
	assert_int_equal(x->sp.answers_in_period, y->sp.answers_in_period);
}

/* A memo changes no figure: every scope below (periods cut by as_of, a
 * period ending the day before a split record goes on, an empty period,
 * other territories and filters) gives the same four statistics without a
 * memo, with a fresh memo in either order, and with one memo carried from
 * scope to scope (each scope reads its own holders again). */
static void test_memo_same_figures(void **state)
{
	struct scratch *f = *state;
	fixture_positions(f);
	exec_ok(f->db,
		"INSERT INTO supervision (ext_id, person_id, date, hours) VALUES"
		" ('s1', 1, '2024-01-05', 10), ('s2', 5, '2024-03-11', 5), ('s3', 3, '2024-02-20', "
		"8),"
		" ('s4', 7, '2024-01-10', 3), ('s5', 6, '2024-01-02', 4);"
		"INSERT INTO support_request (ext_id, person_id, date) VALUES"
		" ('r1', 1, '2024-01-02'), ('r2', 4, '2024-02-01'), ('r3', 5, '2024-03-10'),"
		" ('r4', 2, '2024-03-20');"
		"INSERT INTO survey (ext_id, type, person_id, territory_id, date, score) VALUES"
		" ('a1', 'pap', 1, 2, '2023-09-15', 5), ('a2', 'pap', 1, 2, '2024-01-10', 4),"
		" ('a3', 'pap', 4, 2, '2024-02-01', 2), ('a4', 'pap', 5, 2, '2024-03-05', 3),"
		" ('a5', 'pap', 5, 2, '2024-03-20', 4), ('a6', 'pap', 3, 2, '2024-02-20', 5);");
	int64_t comm = sector_id(f->db, "COMM");
	struct {
		const char *from, *to, *as_of;
		int64_t terr, sector, org;
	} cases[] = {
		{"2024-01-01", "2024-03-30", "2024-03-30", 2, 0, 0},
		{"2024-01-01", "2024-03-30", "2024-03-10", 2, 0, 0}, /* P3's split goes on 03-11 */
		{"2024-01-01", "2024-03-30", "2024-01-25", 0, 0, 0},
		{"2024-02-01", "2024-02-29", "2024-02-29", 1, 0, 0},
		{"2024-01-01", "2024-03-30", "2024-03-30", 4, 0, 0},
		{"2024-01-01", "2024-03-30", "2024-03-30", 0, comm, 0},
		{"2024-01-01", "2024-03-30", "2024-03-30", 0, 0, 1},
		{"2024-01-01", "2024-12-31", "2024-03-31", 2, 0, 0},
		{"2024-07-01", "2024-09-30", "2024-06-30", 2, 0, 0}, /* empty period */
	};
	struct ind_team_memo carried = {0};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ind_scope s =
			scope(cases[i].from, cases[i].to, cases[i].as_of, cases[i].terr);
		s.sector_id = cases[i].sector;
		s.organisation_id = cases[i].org;
		struct team_four alone, engine_order, pap_first, from_carried;
		team_four(f, &s, NULL, false, &alone);
		struct ind_team_memo m1 = {0}, m2 = {0};
		team_four(f, &s, &m1, false, &engine_order);
		team_four(f, &s, &m2, true, &pap_first);
		team_four(f, &s, &carried, i % 2, &from_carried);
		assert_same_four(&alone, &engine_order);
		assert_same_four(&alone, &pap_first);
		assert_same_four(&alone, &from_carried);
	}
}

int main(void)
{
	ptime_set_zone("America/Toronto");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_headcount_gaps_and_partial, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_roulement, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_roulement_longer_than_year, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_supervision, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_soutien, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_satisfaction_pap, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_satisfaction_familles, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_projets, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_presentations, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_trous_service, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_empty_period, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_memo_same_figures, setup, scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
