/* The comparison's one pass over the act.* indicators
 * (model/compare_act.h): what report_compute_territories shows for each
 * compared territory equals the report computed for that territory alone
 * (every indicator, breakdown cell and detail, small cells suppressed in
 * the analyste view), on a tree where the distinct counts could go wrong:
 * a followed family and a partner linked in two sibling territories count
 * once in their parent, and a referral without a corridor, sent by an
 * organisation that serves both siblings, counts once in their parent.
 * Periods of partial months and an author's scope are left to the
 * per-territory path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/compare_act.h"
#include "model/ind_arrimage.h"
#include "model/ind_activity.h"
#include "model/trajectory.h"
#include "reports/report.h"
#include "support/report_cmp.h"
#include "support/scratch_db.h"

/* Territories: 1 R (root) with children 2 A and 3 B; 4 S (root). R's
 * organisation 1 (MSSS) serves A and B; organisation 2 (COMM) serves A;
 * organisation 3 (MFA) serves S. PAP 1 (org 1), 2 (org 2), 3 (org 3).
 * Families 1, 2 (org 1). A corridor on A toward organisation 2. Referrals
 * sent in May 2024: through the corridor (1), without a corridor by
 * organisation 1 (2, 3), without a corridor by organisation 3 (4), the
 * 1st, 8th, 15th and 22nd at noon UTC. */
static int setup(void **state)
{
	struct scratch *f = scratch_new(
		"cmpact", 1 << 20,
		"INSERT INTO territory (id, ext_id, name, parent_id) VALUES"
		" (1, 'R', 'Région', NULL), (2, 'A', 'A', 1), (3, 'B', 'B', 1), (4, 'S', 'S', "
		"NULL);"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM')),"
		" (3, 'Z', 'CPE Z', (SELECT id FROM sector WHERE ext_id = 'MFA'));"
		"INSERT INTO organisation_territory VALUES (1, 2), (1, 3), (2, 2), (3, 4);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', 'P1', 'pap', 1, 2), (2, 'p2', 'P2', 'pap', 2, 2),"
		" (3, 'p3', 'P3', 'pap', 3, 4);"
		"INSERT INTO family (id, ext_id, organisation_id, code, opened) VALUES"
		" (1, 'f1', 1, 'F1', '2023-01-01'), (2, 'f2', 1, 'F2', '2023-01-01');"
		"INSERT INTO corridor (id, ext_id, territory_id, name, entry_organisation_id)"
		" VALUES (1, 'c-logement', 2, 'Logement', 2);"
		"INSERT INTO referral (id, ext_id, family_id, from_organisation_id,"
		" to_organisation_id, corridor_id, sender_id, first_contact_at, sent_at) VALUES"
		" (1, 'r1', 1, 1, 2, 1, 1, 1714564800, 1714564800),"
		" (2, 'r2', 1, 1, 2, NULL, 1, 1715169600, 1715169600),"
		" (3, 'r3', 2, 1, 3, NULL, 1, 1715774400, 1715774400),"
		" (4, 'r4', 2, 3, 1, NULL, 3, 1716379200, 1716379200);");
	assert_non_null(f);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(trajectory_rebuild(f->db), 0);
	assert_int_equal(db_commit(f->db), 0);
	*state = f;
	return 0;
}

static const int64_t author_org[4] = {0, 1, 2, 3};

/* Saves an activity of person author in territory terr on date, linking
 * the followed families fam (n_fam) and partner organisation partner (0:
 * none). */
static void save(struct scratch *f, int64_t author, int64_t terr, const char *date, int64_t *fam,
		 size_t n_fam, int64_t *partner)
{
	struct activity a;
	memset(&a, 0, sizeof(a));
	a.author_id = author;
	a.organisation_id = author_org[author];
	a.territory_id = terr;
	a.date = date;
	a.type = "accompagnement";
	a.duration_min = 30;
	a.adults = 2;
	a.families = 1;
	a.place = "parc";
	a.family_ids = (struct idlist){fam, n_fam};
	if (partner)
		a.partner_ids = (struct idlist){partner, 1};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(activity_save(f->db, f->ar, &a), 0);
	assert_int_equal(db_commit(f->db), 0);
}

/* Family 1 and partner 2 in A and in B; family 2 in B only; one activity
 * in S. */
static void journal(struct scratch *f)
{
	int64_t f1[] = {1}, f12[] = {1, 2}, partner = 2;
	save(f, 1, 2, "2024-05-03", f1, 1, &partner);
	save(f, 1, 3, "2024-05-04", f12, 2, &partner);
	save(f, 1, 3, "2024-06-20", f1, 1, NULL);
	save(f, 3, 4, "2024-05-05", NULL, 0, NULL);
}

static struct ind_scope scope(const char *from, const char *to)
{
	struct ind_scope s;
	struct pdate a, b;
	assert_int_equal(ptime_parse_date(from, &a), 0);
	assert_int_equal(ptime_parse_date(to, &b), 0);
	ind_scope_init(&s, &a, &b);
	s.as_of = b;
	return s;
}

/* act.* of one territory of s, computed alone (the per-territory path the
 * one pass must equal). */
static void compute_alone(struct scratch *f, const struct ind_scope *s, int64_t territory,
			  struct ind_act_all *alone)
{
	struct ind_scope one = *s;
	one.territory_id = territory;
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &one, IND_ACT_AGGREGATES, alone), 0);
}

/* The one pass over {R, S}, {A, B} and {R, A, B} gives each territory
 * what ind_act_compute_all gives it alone, and the distinct counts a
 * reader sees: R has 2 followed families (not 3), 1 partner (not 2) and
 * 3 referrals sent (not 4). */
static void test_distinct_counts_in_the_parent(void **state)
{
	struct scratch *f = *state;
	journal(f);
	struct ind_scope s = scope("2024-05-01", "2024-06-30");
	const int64_t sets[][3] = {{1, 4, 0}, {2, 3, 0}, {1, 2, 3}};
	const size_t sizes[] = {2, 2, 3};
	for (size_t set = 0; set < 3; set++) {
		struct ind_act_all out[3];
		assert_int_equal(
			compare_act_compute(f->db, f->ar, &s, sets[set], sizes[set], NULL, out), 0);
		for (size_t k = 0; k < sizes[set]; k++) {
			struct ind_act_all alone;
			compute_alone(f, &s, sets[set][k], &alone);
			assert_int_equal(out[k].familles.followed, alone.familles.followed);
			assert_int_equal(out[k].familles.key_followed, alone.familles.key_followed);
			assert_int_equal(out[k].partenaires.partners, alone.partenaires.partners);
			assert_int_equal(out[k].accompagnements.referrals_sent,
					 alone.accompagnements.referrals_sent);
			assert_int_equal(out[k].activites.total, alone.activites.total);
			assert_int_equal(out[k].personnes.total, alone.personnes.total);
		}
	}
	struct ind_act_all r[2];
	const int64_t rs[] = {1, 4};
	assert_int_equal(compare_act_compute(f->db, f->ar, &s, rs, 2, NULL, r), 0);
	assert_int_equal(r[0].familles.followed, 2);
	assert_int_equal(r[0].partenaires.partners, 1);
	assert_int_equal(r[0].accompagnements.referrals_sent, 3);
	assert_int_equal(r[0].activites.total, 3);
	assert_int_equal(r[1].accompagnements.referrals_sent, 1);
	assert_int_equal(r[1].activites.total, 1);
}

/* The referrals of two act.* results are the same: total, by corridor and
 * by receiving sector. */
static void assert_same_referrals(const struct ind_act_all *x, const struct ind_act_all *y)
{
	const struct ind_act_accompagnements_result *a = &x->accompagnements,
						    *b = &y->accompagnements;
	assert_int_equal(a->referrals_sent, b->referrals_sent);
	assert_int_equal(a->n_corridor, b->n_corridor);
	for (size_t i = 0; i < a->n_corridor; i++) {
		assert_string_equal(a->by_corridor[i].code, b->by_corridor[i].code);
		assert_int_equal(a->by_corridor[i].value, b->by_corridor[i].value);
	}
	assert_int_equal(a->n_sector, b->n_sector);
	for (size_t i = 0; i < a->n_sector; i++) {
		assert_string_equal(a->by_sector[i].code, b->by_sector[i].code);
		assert_int_equal(a->by_sector[i].value, b->by_sector[i].value);
	}
}

/* The referrals counted from what the trajectory read listed
 * (ind_arr_trajectories_split's struct ind_arr_sent) instead of read
 * again. Z now serves B too. Beside the fixture's: R5, sent in April by Z
 * to Y, and R6 continuing it in May, sent by Y (serving A) to Z, without a
 * corridor: R6's trajectory is on S and B (its first referral's
 * territories, sent before the period), but R6 counts on A, where its own
 * sender serves; R7 continues R1 in June, from Y to X; R8 is sent in July,
 * after the period; a corridor on S has no referral. R4 and R6 are in the
 * rows of both R and S, and listed once. Each set of territories gives
 * what each territory gives alone, from the list and from the statements
 * (R: R1, R2, R3, R4, R6, R7; S: R4); changing a count in the list
 * changes the figure, so the list is what was counted; a list whose
 * length is not the period's count is not used. */
static void test_referrals_from_the_trajectory_rows(void **state)
{
	struct scratch *f = *state;
	assert_int_equal(
		scratch_db_exec(
			f->db,
			"INSERT INTO organisation_territory VALUES (3, 3);"
			"INSERT INTO corridor (id, ext_id, territory_id, name, "
			"entry_organisation_id)"
			" VALUES (2, 'c-garde', 4, 'Garde', 3);"
			"INSERT INTO referral (id, ext_id, family_id, from_organisation_id,"
			" to_organisation_id, corridor_id, sender_id, first_contact_at, sent_at,"
			" previous_id) VALUES"
			" (5, 'r5', 2, 3, 2, NULL, 3, 1713614400, 1713614400, NULL),"
			" (6, 'r6', 2, 2, 3, NULL, 2, 1715342400, 1715342400, 5),"
			" (7, 'r7', 1, 2, 1, NULL, 2, 1717588800, 1717588800, 1),"
			" (8, 'r8', 1, 1, 2, NULL, 1, 1719921600, 1719921600, NULL);"),
		0);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(trajectory_rebuild(f->db), 0);
	assert_int_equal(db_commit(f->db), 0);
	struct ind_scope s = scope("2024-05-01", "2024-06-30");
	const int64_t sets[][3] = {{1, 4, 0}, {2, 3, 0}, {1, 2, 3}};
	const size_t sizes[] = {2, 2, 3};
	for (size_t set = 0; set < 3; set++) {
		struct ind_arr_sent sent = {.from = ind_scope_start(&s), .to = ind_scope_end(&s)};
		struct ind_trajectories tr[3];
		assert_int_equal(ind_arr_trajectories_split(f->db, f->ar, &s, sets[set], sizes[set],
							    &sent, tr),
				 0);
		assert_true(sent.complete);
		assert_int_equal(sent.n, 6); /* R1, R2, R3, R4, R6, R7 */
		struct ind_act_all with[3], without[3];
		assert_int_equal(
			compare_act_compute(f->db, f->ar, &s, sets[set], sizes[set], &sent, with),
			0);
		assert_int_equal(
			compare_act_compute(f->db, f->ar, &s, sets[set], sizes[set], NULL, without),
			0);
		for (size_t k = 0; k < sizes[set]; k++) {
			struct ind_act_all alone;
			compute_alone(f, &s, sets[set][k], &alone);
			assert_same_referrals(&with[k], &alone);
			assert_same_referrals(&without[k], &alone);
		}
		if (set == 0) {
			assert_int_equal(with[0].accompagnements.referrals_sent, 6);
			assert_int_equal(with[1].accompagnements.referrals_sent, 1);
			/* The list is what was counted: one more in one of its
			 * counts (not in its length, still the period's count),
			 * one more shown. */
			sent.v[0].n++;
			struct ind_act_all more[2];
			assert_int_equal(
				compare_act_compute(f->db, f->ar, &s, sets[0], 2, &sent, more), 0);
			assert_int_equal(more[0].accompagnements.referrals_sent +
						 more[1].accompagnements.referrals_sent,
					 8);
			/* A list that misses a referral of the period (one less in a
			 * count and in its length) is not used: the statements give
			 * the right figures. */
			sent.v[0].n -= 2;
			sent.n--;
			assert_int_equal(
				compare_act_compute(f->db, f->ar, &s, sets[0], 2, &sent, more), 0);
			assert_same_referrals(&more[0], &with[0]);
			assert_same_referrals(&more[1], &with[1]);
		}
		ind_arr_sent_free(&sent);
	}
}

/* A period that is not whole months, an empty period and an author's
 * scope are not answered (1): the caller computes each territory apart. */
static void test_other_scopes_left_to_each_territory(void **state)
{
	struct scratch *f = *state;
	const int64_t ids[] = {1, 4};
	struct ind_act_all out[2];
	struct ind_scope s = scope("2024-05-02", "2024-06-30");
	assert_int_equal(compare_act_compute(f->db, f->ar, &s, ids, 2, NULL, out), 1);
	s = scope("2024-05-01", "2024-06-29");
	assert_int_equal(compare_act_compute(f->db, f->ar, &s, ids, 2, NULL, out), 1);
	s = scope("2024-05-01", "2024-06-30");
	s.as_of = (struct pdate){2024, 4, 30};
	assert_int_equal(compare_act_compute(f->db, f->ar, &s, ids, 2, NULL, out), 1);
	s = scope("2024-05-01", "2024-06-30");
	s.author_id = 1;
	assert_int_equal(compare_act_compute(f->db, f->ar, &s, ids, 2, NULL, out), 1);
}

/* Does any indicator of r show a suppressed figure ("<5")? */
static bool any_suppressed(const struct report *r)
{
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *x = &r->indicators[i];
		if (x->suppressed)
			return true;
		for (size_t b = 0; b < x->n_breakdowns; b++)
			for (size_t c = 0; c < x->breakdowns[b].n_cells; c++)
				if (x->breakdowns[b].cells[c].suppressed)
					return true;
	}
	return false;
}

/* The whole report, as an analyst compares territories: for each period
 * (whole months: the one pass; partial months: each territory apart), with
 * and without a sector, and each set of territories, every indicator, cell and detail equals the
 * territory's own report, small cells included. */
static void test_reports_equal_each_territory_alone(void **state)
{
	struct scratch *f = *state;
	journal(f);
	const char *periods[][2] = {{"2024-05-01", "2024-06-30"},
				    {"2024-04-01", "2025-03-31"},
				    {"2024-05-02", "2024-06-30"}};
	const char *sets[][3] = {{"R", "S", NULL}, {"A", "B", NULL}, {"R", "A", "B"}};
	const size_t sizes[] = {2, 2, 3};
	const char *sectors[] = {NULL, "MSSS"};
	bool suppressed = false;
	for (size_t p = 0; p < 6; p++)
		for (size_t set = 0; set < 3; set++) {
			struct report_request rq;
			report_request_init(&rq);
			rq.view = REPORT_VIEW_ANALYSTE;
			rq.sector = sectors[p / 3];
			assert_int_equal(ptime_parse_date(periods[p % 3][0], &rq.from), 0);
			assert_int_equal(ptime_parse_date(periods[p % 3][1], &rq.to), 0);
			rq.as_of = rq.to;
			rq.has_as_of = true;
			struct report fast[3];
			assert_int_equal(report_compute_territories(f->db, f->ar, &rq, sets[set],
								    sizes[set], fast),
					 PERR_OK);
			for (size_t k = 0; k < sizes[set]; k++) {
				struct report_request one = rq;
				one.territory = sets[set][k];
				struct report alone;
				assert_int_equal(report_compute(f->db, f->ar, &one, &alone),
						 PERR_OK);
				const char *d =
					report_cmp_first_difference(f->ar, &fast[k], &alone);
				if (d)
					fail_msg("%s, %s, %s: %s", periods[p % 3][0],
						 rq.sector ? rq.sector : "-", sets[set][k], d);
				suppressed = suppressed || any_suppressed(&fast[k]);
			}
		}
	assert_true(suppressed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_distinct_counts_in_the_parent, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_referrals_from_the_trajectory_rows, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_other_scopes_left_to_each_territory, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_reports_equal_each_territory_alone, setup,
						scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
