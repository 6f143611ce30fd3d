/* Surveys and projects in the model: the PAP team aggregates are hidden
 * at 2 and 4 answering PAP and shown at 5 (the small-cell threshold);
 * comments only from 5 comments; the due reminder across campaign
 * windows; a family answer stores no person; project validation and
 * visibility; the answers feed arr.satisfaction_pap and
 * arr.satisfaction_familles (survey.score = the overall item). */
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
#include "db/db.h"
#include "core/ptime.h"
#include "db/migrate.h"
#include "model/ind_team.h"
#include "model/project.h"
#include "model/survey.h"
#include "support/scratch_db.h"

static char path[256];
static struct db *db;
static struct arena *ar;

/* Persons 1..6 are PAP of organisation 1, 7 a PAP of organisation 2,
 * 8 the manager of 1, 9 the committee of territory 1, 10 of territory 2. */
static struct actor pap(int64_t id)
{
	return (struct actor){.person_id = id,
			      .role = ROLE_PAP,
			      .organisation_id = id == 7 ? 2 : 1,
			      .territory_id = id == 7 ? 2 : 1};
}

static long long count(const char *sql)
{
	struct db_stmt *s;
	long long n = -1;
	if ((s = db_query(db, sql))) {
		if (db_step(s) == DB_ROW)
			n = db_col_int64(s, 0);
		db_query_free(s);
	}
	return n;
}

static int setup(void **state)
{
	(void)state;
	db = scratch_db_create(path, sizeof(path), "surveys");
	if (!db)
		return -1;
	ar = arena_new(16384);
	exec_ok(db,
		"INSERT INTO territory (id, ext_id, name) VALUES (1, 'A', 'A'), (2, 'B', 'B');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 2);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', 'P1', 'pap', 1, 1), (2, 'p2', 'P2', 'pap', 1, 1),"
		" (3, 'p3', 'P3', 'pap', 1, 1), (4, 'p4', 'P4', 'pap', 1, 1),"
		" (5, 'p5', 'P5', 'pap', 1, 1), (6, 'p6', 'P6', 'pap', 1, 1),"
		" (7, 'p7', 'P7', 'pap', 2, 2), (8, 'g1', 'G1', 'gestionnaire', 1, 1),"
		" (9, 'c1', 'C1', 'comite', NULL, 1), (10, 'c2', 'C2', 'comite', NULL, 2);"
		/* Positions, so the indicator counts the answers. */
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date) "
		"VALUES"
		" (1, 'pos1', 1, 1, '2026-01-01'), (2, 'pos2', 1, 1, '2026-01-01'),"
		" (3, 'pos3', 1, 1, '2026-01-01'), (4, 'pos4', 1, 1, '2026-01-01'),"
		" (5, 'pos5', 1, 1, '2026-01-01');"
		"INSERT INTO position_holder (position_id, person_id, from_date) VALUES"
		" (1, 1, '2026-01-01'), (2, 2, '2026-01-01'), (3, 3, '2026-01-01'),"
		" (4, 4, '2026-01-01'), (5, 5, '2026-01-01');");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(ar);
	scratch_db_remove(db, path);
	return 0;
}

static void add_campaign(int64_t org, const char *opens, const char *closes)
{
	struct validation v = {0};
	struct actor g = {.person_id = 8, .role = ROLE_GESTIONNAIRE, .organisation_id = org};
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(survey_campaign_add(db, &g, org, opens, closes, &v), 0);
	assert_int_equal(db_commit(db), 0);
}

/* PAP person answers on day with every item = score (comment may be NULL). */
static int answer(int64_t person, const char *day, int score, const char *comment)
{
	struct actor a = pap(person);
	struct survey_answer ans = {.comment = comment};
	for (int i = 0; i < 5; i++)
		ans.scores[i] = i == 1 ? 3 : score;
	struct validation v = {0};
	assert_int_equal(db_begin(db), 0);
	int r = survey_save_pap(db, ar, &a, day, &ans, &v, NULL);
	if (r == 0)
		assert_int_equal(db_commit(db), 0);
	else
		db_rollback(db);
	return r;
}

static void test_validation(void **state)
{
	(void)state;
	struct survey_answer a = {.type = SURVEY_FAMILLE, .date = "2026-03-01"};
	a.scores[0] = 0;
	a.scores[1] = 6;
	a.scores[2] = 3;
	a.scores[3] = 5;
	struct validation v = {0};
	assert_int_equal(survey_validate(&a, &v), -1);
	assert_non_null(validation_get(&v, "items.global"));
	assert_non_null(validation_get(&v, "items.ecoute"));
	assert_null(validation_get(&v, "items.sait_qui_appeler"));
	assert_string_equal(validation_get(&v, "items.global"), "Choisissez une note de 1 à 5.");
	size_t n;
	assert_non_null(survey_items(SURVEY_PAP, &n));
	assert_true(n >= 4 && n <= 6);
	assert_non_null(survey_items(SURVEY_FAMILLE, &n));
	assert_true(n >= 3 && n <= 4);
	/* A campaign that ends before it opens, or overlaps, is refused. */
	struct actor g = {.person_id = 8, .role = ROLE_GESTIONNAIRE, .organisation_id = 1};
	memset(&v, 0, sizeof(v));
	assert_int_equal(survey_campaign_add(db, &g, 1, "2026-05-10", "2026-05-01", &v), 1);
	assert_non_null(validation_get(&v, "closes"));
	assert_true(survey_can_manage(&g, 1));
	assert_false(survey_can_manage(&g, 2));
	struct actor p1 = pap(1);
	assert_false(survey_can_manage(&p1, 1));
}

/* Due / not due across windows: before, inside, answered, between two
 * windows, in the next one; another organisation's window does not count. */
static void test_due_reminder(void **state)
{
	(void)state;
	add_campaign(1, "2026-03-01", "2026-03-31");
	add_campaign(1, "2026-10-01", "2026-10-31");
	struct survey_campaign c;
	struct actor p6 = pap(6), p7 = pap(7);
	struct actor g = {.person_id = 8, .role = ROLE_GESTIONNAIRE, .organisation_id = 1};
	assert_int_equal(survey_due_for(db, ar, &p6, "2026-02-28", &c), 0);
	assert_int_equal(survey_due_for(db, ar, &p6, "2026-03-01", &c), 1);
	assert_string_equal(c.opens, "2026-03-01");
	assert_string_equal(c.closes, "2026-03-31");
	assert_int_equal(survey_due_for(db, ar, &p6, "2026-03-31", &c), 1);
	assert_int_equal(survey_due_for(db, ar, &p7, "2026-03-15", &c), 0); /* org 2 */
	assert_int_equal(survey_due_for(db, ar, &g, "2026-03-15", &c), 0);  /* not a PAP */
	/* Outside a window, answering is refused (2). */
	assert_int_equal(answer(6, "2026-04-02", 4, NULL), 2);
	assert_int_equal(answer(6, "2026-03-10", 4, NULL), 0);
	assert_int_equal(survey_due_for(db, ar, &p6, "2026-03-11", &c), 0);
	assert_int_equal(answer(6, "2026-03-12", 4, NULL), 2); /* once per window */
	assert_int_equal(survey_due_for(db, ar, &p6, "2026-06-15", &c), 0);
	assert_int_equal(survey_due_for(db, ar, &p6, "2026-10-01", &c), 1);
	assert_string_equal(c.opens, "2026-10-01");
	/* An overlapping window is refused. */
	struct validation v = {0};
	assert_int_equal(survey_campaign_add(db, &g, 1, "2026-03-20", "2026-04-10", &v), 1);
	assert_non_null(validation_get(&v, "opens"));
}

/* Hidden at 2 and 4 answering PAP, shown at 5; comments from 5 comments. */
static void test_threshold(void **state)
{
	(void)state;
	add_campaign(1, "2026-06-01", "2026-06-30");
	struct survey_aggregate agg;
	assert_int_equal(answer(1, "2026-06-02", 5, "Une équipe solide"), 0);
	assert_int_equal(answer(2, "2026-06-03", 4, "Trop de déplacements"), 0);
	assert_int_equal(survey_pap_aggregate(db, ar, 1, "2026-06-01", "2026-06-30", &agg), 0);
	assert_false(agg.shown); /* 2 */
	assert_int_equal(agg.threshold, 5);
	assert_int_equal(agg.answers, 0);
	assert_int_equal(agg.nitems, 0);
	assert_null(agg.comments);
	assert_int_equal(answer(3, "2026-06-04", 2, "Besoin de supervision"), 0);
	assert_int_equal(answer(4, "2026-06-05", 4, NULL), 0);
	assert_int_equal(survey_pap_aggregate(db, ar, 1, "2026-06-01", "2026-06-30", &agg), 0);
	assert_false(agg.shown); /* 4 */
	assert_int_equal(agg.items[0].n, 0);
	assert_int_equal(answer(5, "2026-06-06", 5, "Merci pour la formation"), 0);
	assert_int_equal(survey_pap_aggregate(db, ar, 1, "2026-06-01", "2026-06-30", &agg), 0);
	assert_true(agg.shown); /* 5 */
	assert_int_equal(agg.persons, 5);
	assert_int_equal(agg.answers, 5);
	assert_string_equal(agg.items[0].code, "global");
	assert_int_equal(agg.items[0].n, 5);
	assert_true(agg.items[0].mean > 3.99 && agg.items[0].mean < 4.01); /* 5+4+2+4+5 */
	assert_int_equal(agg.items[0].n_ge4, 4);
	assert_true(agg.items[0].pct_ge4 > 79.9 && agg.items[0].pct_ge4 < 80.1);
	assert_string_equal(agg.items[1].code, "charge");
	assert_true(agg.items[1].mean > 2.99 && agg.items[1].mean < 3.01);
	/* 4 comments < 5: not shown, even with the figures shown. */
	assert_false(agg.comments_shown);
	assert_null(agg.comments);
	/* Organisation 2 has no answer: hidden; the manager of 1 does not
	 * read 2, the committee of territory 2 does not read 1. */
	assert_int_equal(survey_pap_aggregate(db, ar, 2, "2026-06-01", "2026-06-30", &agg), 0);
	assert_false(agg.shown);
	struct actor g1 = {.person_id = 8, .role = ROLE_GESTIONNAIRE, .organisation_id = 1};
	struct actor c1 = {.person_id = 9, .role = ROLE_COMITE, .territory_id = 1};
	struct actor c2 = {.person_id = 10, .role = ROLE_COMITE, .territory_id = 2};
	struct actor p1 = pap(1);
	assert_int_equal(survey_may_read_team(db, &g1, 1), 1);
	assert_int_equal(survey_may_read_team(db, &g1, 2), 0);
	assert_int_equal(survey_may_read_team(db, &c1, 1), 1);
	assert_int_equal(survey_may_read_team(db, &c2, 1), 0);
	assert_int_equal(survey_may_read_team(db, &p1, 1), 0);
	/* A fifth comment: the comments show, in alphabetical order. */
	assert_int_equal(answer(6, "2026-06-07", 3, "Assez de temps pour les familles"), 0);
	assert_int_equal(survey_pap_aggregate(db, ar, 1, "2026-06-01", "2026-06-30", &agg), 0);
	assert_true(agg.comments_shown);
	assert_int_equal(agg.ncomments, 5);
	assert_string_equal(agg.comments[0], "Assez de temps pour les familles");
	assert_string_equal(agg.comments[4], "Une équipe solide");
	/* The indicator reads the overall item: mean 4 over the 5 answers of
	 * position holders (person 6 holds none). */
	struct ind_scope s = {.territory_id = 1};
	ptime_parse_date("2026-06-01", &s.from);
	ptime_parse_date("2026-06-30", &s.to);
	ptime_parse_date("2026-06-30", &s.as_of);
	struct ind_team_satisfaction_pap_result r;
	assert_int_equal(ind_team_satisfaction_pap(db, ar, &s, NULL, &r), 0);
	assert_int_equal(r.stats.n, 5);
	assert_true(r.stats.mean > 3.99 && r.stats.mean < 4.01);
}

/* Projects: validation, rights, state, token; a family answer carries no
 * person and feeds arr.satisfaction_familles. */
static void test_projects(void **state)
{
	(void)state;
	struct actor c1 = {.person_id = 9, .role = ROLE_COMITE, .territory_id = 1};
	struct actor c2 = {.person_id = 10, .role = ROLE_COMITE, .territory_id = 2};
	struct actor p7 = pap(7), p1 = pap(1);
	struct project_org partners[] = {{.id = 1}, {.id = 2}};
	struct project p = {.territory_id = 1,
			    .name = "Tournée conjointe",
			    .start_date = "2026-01-10",
			    .end_date = "2026-01-05",
			    .orgs = partners,
			    .norgs = 2};
	struct validation v = {0};
	assert_int_equal(project_validate(db, &c1, &p, &v), 1);
	assert_non_null(validation_get(&v, "end"));
	p.end_date = "2026-12-31";
	p.name = "";
	memset(&v, 0, sizeof(v));
	assert_int_equal(project_validate(db, &c1, &p, &v), 1);
	assert_non_null(validation_get(&v, "name"));
	p.name = "Tournée conjointe";
	memset(&v, 0, sizeof(v));
	assert_int_equal(project_validate(db, &c2, &p, &v), 1); /* not c2's territory */
	assert_non_null(validation_get(&v, "territory"));
	memset(&v, 0, sizeof(v));
	struct project_org bad = {.id = 99};
	p.orgs = &bad;
	p.norgs = 1;
	assert_int_equal(project_validate(db, &c1, &p, &v), 1);
	assert_non_null(validation_get(&v, "organisations"));
	p.orgs = partners;
	p.norgs = 2;
	memset(&v, 0, sizeof(v));
	assert_int_equal(project_validate(db, &c1, &p, &v), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(project_save(db, ar, &p), 0);
	assert_int_equal(db_commit(db), 0);
	assert_non_null(p.survey_token);
	assert_int_equal(strlen(p.survey_token), PROJECT_TOKEN_LEN);
	const char *old = p.survey_token;

	struct project got;
	assert_int_equal(project_get(db, ar, &p1, p.id, &got), 0); /* territory A */
	assert_int_equal(got.norgs, 2);
	assert_int_equal(project_get(db, ar, &p7, p.id, &got), 0); /* its org is a partner */
	assert_int_equal(project_get(db, ar, &c2, p.id, &got), 1); /* neither */
	assert_false(project_can_edit(&c2, &got));
	assert_true(project_can_edit(&c1, &p));
	assert_false(project_can_edit(&p1, &p));
	assert_int_equal(project_get_by_token(db, ar, old, &got), 0);
	assert_int_equal(project_state_on(&got, "2026-01-09"), PROJECT_NOT_STARTED);
	assert_int_equal(project_state_on(&got, "2026-01-10"), PROJECT_OPEN);
	assert_int_equal(project_state_on(&got, "2027-01-01"), PROJECT_ENDED);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(project_regenerate_token(db, ar, &p), 0);
	assert_int_equal(db_commit(db), 0);
	assert_string_not_equal(old, p.survey_token);
	assert_int_equal(project_get_by_token(db, ar, old, &got), 1);

	/* Family answers: 4 hidden, 5 shown; never a person. */
	struct survey_aggregate agg;
	for (int i = 0; i < 5; i++) {
		struct survey_answer a = {.type = SURVEY_FAMILLE,
					  .date = "2026-02-01",
					  .project_id = p.id,
					  .scores = {i < 4 ? 5 : 3, 4, 4, 5}};
		memset(&v, 0, sizeof(v));
		assert_int_equal(db_begin(db), 0);
		assert_int_equal(survey_save_famille(db, ar, &a, p.territory_id, &v, NULL), 0);
		assert_int_equal(db_commit(db), 0);
		assert_int_equal(
			survey_family_aggregate(db, ar, p.id, "2026-01-01", "2026-12-31", &agg), 0);
		assert_int_equal(agg.shown, i == 4);
	}
	assert_int_equal(agg.answers, 5);
	assert_true(agg.items[0].mean > 4.59 && agg.items[0].mean < 4.61);
	assert_int_equal(count("SELECT count(*) FROM survey WHERE type = 'famille' "
			       "AND person_id IS NOT NULL"),
			 0);
	struct survey_answer bad6 = {.type = SURVEY_FAMILLE,
				     .date = "2026-02-01",
				     .project_id = p.id,
				     .scores = {6, 4, 4, 5}};
	memset(&v, 0, sizeof(v));
	assert_int_equal(survey_save_famille(db, ar, &bad6, p.territory_id, &v, NULL), 1);
	struct ind_scope s = {.territory_id = 1};
	ptime_parse_date("2026-01-01", &s.from);
	ptime_parse_date("2026-12-31", &s.to);
	ptime_parse_date("2026-12-31", &s.as_of);
	struct ind_team_satisfaction_familles_result r;
	assert_int_equal(ind_team_satisfaction_familles(db, ar, &s, &r), 0);
	assert_int_equal(r.stats.n, 5);
	struct ind_team_projets_result pr;
	assert_int_equal(ind_team_projets(db, ar, &s, &pr), 0);
	assert_int_equal(pr.count, 1);
}

/* The waves (model/survey.h): whole, closed, of T distinct respondents. */
static void test_waves(void **state)
{
	(void)state;
	add_campaign(2, "2025-03-01", "2025-03-31");
	struct {
		int64_t person;
		const char *date;
	} rows[] = {
		/* The campaign: five PAP, one of them twice. */
		{11, "2025-03-10"}, {12, "2025-03-10"}, {13, "2025-03-11"}, {14, "2025-03-12"},
		{15, "2025-03-13"}, {11, "2025-03-20"},
		/* Outside it, the second quarter: one PAP five times. */
		{16, "2025-04-10"}, {16, "2025-04-20"}, {16, "2025-05-10"}, {16, "2025-05-20"},
		{16, "2025-06-10"},
	};
	size_t n = sizeof(rows) / sizeof(rows[0]);
	struct survey_pap_answer v[sizeof(rows) / sizeof(rows[0])];
	for (size_t i = 0; i < n; i++) {
		struct pdate d;
		assert_int_equal(ptime_parse_date(rows[i].date, &d), 0);
		v[i] = (struct survey_pap_answer){.id = (int64_t)i + 1,
						  .person_id = rows[i].person,
						  .organisation_id = 2,
						  .day = ptime_days_from_civil(&d),
						  .score = 3};
	}
	struct pdate d;
	ptime_parse_date("2025-03-01", &d);
	int64_t mar1 = ptime_days_from_civil(&d), mar31 = mar1 + 30, jun30 = mar31 + 91;
	/* The campaign whole (its 6 answers, 5 persons); not the quarter of
	 * one person, however many answers. */
	assert_int_equal(survey_release(db, ar, v, n, mar1, jun30, jun30, 5), 5);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i].released, i < 6);
	/* A period that holds the campaign's last day takes it whole. */
	assert_int_equal(survey_release(db, ar, v, n, mar1 + 15, mar31, mar31, 5), 5);
	assert_true(v[0].released);
	/* Not before its last day, nor at an as_of before it closed. */
	assert_int_equal(survey_release(db, ar, v, n, mar1, mar31 - 1, mar31 - 1, 5), 0);
	assert_int_equal(survey_release(db, ar, v, n, mar1, mar31, mar31 - 1, 5), 0);
	/* At 6, five distinct persons are not enough. */
	assert_int_equal(survey_release(db, ar, v, n, mar1, jun30, jun30, 6), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_due_reminder),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_waves),
		cmocka_unit_test(test_projects),
	};
	return cmocka_run_group_tests_name("surveys", tests, setup, teardown);
}
