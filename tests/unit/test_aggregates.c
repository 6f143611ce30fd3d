/* Aggregate tables and act.* indicators (model/aggregate.h,
 * model/ind_activity.h).
 *
 * Property test: a random sequence (seed printed; PROXIMA_TEST_SEED
 * replays one) of activity creations, edits and deletions through the
 * model; every few steps the maintained aggregate tables must equal a full
 * rebuild, and every act.* result over the aggregates must equal the same
 * computation over the raw tables, for random scopes.
 *
 * Hand-computed cases: empty scope, sub-territory roll-up, a period longer
 * than a year cut across months, the 1/k rule of components, and the other
 * act.* figures on a small journal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/act_export.h"
#include "model/activity.h"
#include "model/aggregate.h"
#include "model/ind_activity.h"
#include "interchange/interchange.h"
#include "model/rc_stats.h"
#include "support/scratch_db.h"

#define assert_near(x, e) assert_true(fabs((double)(x) - (double)(e)) < 1e-6)

/* Territories: 1 R (root), 2 A child of 1, 3 A1 child of 2, 4 B (root).
 * Organisations 1 (MSSS), 2 (COMM), 3 (MFA). PAP persons 1, 2 (org 1),
 * 3 (org 2), 4 (org 3). Families 1-3 (org 1), 4 (org 2). A corridor on A
 * toward organisation 2. */
static int setup(void **state)
{
	struct scratch *f = scratch_new(
		"agg", 1 << 16,
		"INSERT INTO territory (id, ext_id, name, parent_id) VALUES"
		" (1, 'R', 'Région', NULL), (2, 'A', 'A', 1), (3, 'A1', 'A1', 2), (4, 'B', 'B', "
		"NULL);"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM')),"
		" (3, 'Z', 'CPE Z', (SELECT id FROM sector WHERE ext_id = 'MFA'));"
		"INSERT INTO organisation_territory VALUES (1, 2), (2, 2), (3, 4);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', 'P1', 'pap', 1, 2), (2, 'p2', 'P2', 'pap', 1, 2),"
		" (3, 'p3', 'P3', 'pap', 2, 2), (4, 'p4', 'P4', 'pap', 3, 4);"
		"INSERT INTO family (id, ext_id, organisation_id, code, opened) VALUES"
		" (1, 'f1', 1, 'F1', '2023-01-01'), (2, 'f2', 1, 'F2', '2023-01-01'),"
		" (3, 'f3', 1, 'F3', '2023-01-01'), (4, 'f4', 2, 'F4', '2023-01-01');"
		"INSERT INTO corridor (id, ext_id, territory_id, name, entry_organisation_id) "
		"VALUES"
		" (1, 'c-logement', 2, 'Logement', 2);");
	assert_non_null(f);
	*state = f;
	return 0;
}

static struct ind_scope scope(const char *from, const char *to, int64_t terr)
{
	struct ind_scope s;
	struct pdate a, b;
	assert_int_equal(ptime_parse_date(from, &a), 0);
	assert_int_equal(ptime_parse_date(to, &b), 0);
	ind_scope_init(&s, &a, &b);
	s.as_of = b;
	s.territory_id = terr;
	return s;
}

static const int64_t author_org[5] = {0, 1, 1, 2, 3};
static int64_t fam_org2[] = {4};

/* A plain activity of person `author` on `date` in territory terr. */
static struct activity act(int64_t author, int64_t terr, const char *date, const char *type,
			   int direct)
{
	struct activity a;
	memset(&a, 0, sizeof(a));
	a.author_id = author;
	a.organisation_id = author_org[author];
	a.territory_id = terr;
	a.date = date;
	a.type = type;
	a.duration_min = direct;
	return a;
}

static int64_t save(struct scratch *f, struct activity *a)
{
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(activity_save(f->db, f->ar, a), 0);
	assert_int_equal(db_commit(f->db), 0);
	return a->id;
}

static void del(struct scratch *f, int64_t id)
{
	struct actor who = {.person_id = 0, .role = ROLE_GESTIONNAIRE};
	struct db_stmt *st;
	assert_non_null(st = db_query(f->db, "SELECT organisation_id FROM activity WHERE id = ?1"));
	db_bind_int64(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	who.organisation_id = db_col_int64(st, 0);
	db_query_free(st);
	who.person_id = 99;
	assert_int_equal(activity_delete(f->db, &who, id), 0);
}

static int64_t value_of(const struct ind_code_value *v, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			return v[i].value;
	return 0;
}

/* ---- hand-computed cases ---- */

static void test_empty_scope(void **state)
{
	struct scratch *f = *state;
	struct ind_scope s = scope("2024-01-01", "2024-12-31", 0);
	struct ind_act_all r;
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
	assert_int_equal(r.activites.total, 0);
	assert_int_equal(r.activites.n_type, 0);
	assert_int_equal(r.personnes.total, 0);
	assert_int_equal(r.personnes.n_age, 3);
	assert_false(r.temps.defined);
	assert_near(r.temps.multiplier, 0);
	assert_false(r.hors_reseau.defined);
	assert_int_equal(r.familles.total, 0);
	assert_int_equal(r.besoins.n, 0);
	assert_int_equal(r.accompagnements.referrals_sent, 0);
	struct ind_act_temps_result t;
	assert_int_equal(ind_act_temps(f->db, f->ar, &s, &t), 0);
	assert_int_equal(t.n_kind, 4);
	assert_int_equal(t.total, 0);
}

/* One activity in A1 (3) counts for A1, A and R, not for B; the sector and
 * organisation filters and the author ("my work") filter apply. */
static void test_subterritory_rollup(void **state)
{
	struct scratch *f = *state;
	struct activity a = act(3, 3, "2024-05-10", "contact_informel", 20);
	a.adults = 2;
	a.children_0_5 = 1;
	save(f, &a);
	struct activity b = act(4, 4, "2024-05-11", "contact_informel", 20);
	b.adults = 1;
	save(f, &b);
	const int64_t terr[] = {1, 2, 3, 4, 0};
	const int64_t want[] = {3, 3, 3, 1, 4};
	for (size_t i = 0; i < 5; i++) {
		struct ind_scope s = scope("2024-01-01", "2024-12-31", terr[i]);
		struct ind_act_personnes_result p;
		assert_int_equal(ind_act_personnes(f->db, f->ar, &s, &p), 0);
		assert_int_equal(p.total, want[i]);
	}
	struct ind_scope s = scope("2024-01-01", "2024-12-31", 0);
	s.organisation_id = 2;
	struct ind_act_activites_result r;
	assert_int_equal(ind_act_activites(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.total, 1);
	s.organisation_id = 0;
	s.author_id = 4;
	assert_int_equal(ind_act_activites(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.total, 1);
	assert_int_equal(value_of(r.by_place, r.n_place, ""), 1);
	s.author_id = 1;
	assert_int_equal(ind_act_activites(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.total, 0);
}

/* 2023-03-15 .. 2024-09-10: partial first and last months, whole months
 * between (read at month grain), days just outside excluded; as_of cuts. */
static void test_period_longer_than_a_year(void **state)
{
	struct scratch *f = *state;
	const char *dates[] = {"2023-03-14", "2023-03-15", "2023-03-31", "2023-04-01",
			       "2023-12-31", "2024-01-01", "2024-02-29", "2024-08-31",
			       "2024-09-01", "2024-09-10", "2024-09-11"};
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		struct activity a = act(1, 2, dates[i], "liaison", (int)i + 1);
		save(f, &a);
	}
	struct ind_scope s = scope("2023-03-15", "2024-09-10", 2);
	struct ind_act_all r, raw;
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_RAW, &raw), 0);
	assert_int_equal(r.activites.total, 9);
	/* direct minutes 2 + 3 + ... + 10 */
	assert_int_equal(r.temps.direct, 54);
	assert_int_equal(raw.temps.direct, 54);
	/* as_of before to: nothing after 2024-02-29 */
	s.as_of = (struct pdate){2024, 2, 29};
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
	assert_int_equal(r.activites.total, 6);
	/* within one month */
	s = scope("2024-09-01", "2024-09-10", 0);
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
	assert_int_equal(r.activites.total, 2);
	/* exactly whole months */
	s = scope("2023-04-01", "2024-08-31", 0);
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
	assert_int_equal(r.activites.total, 5);
}

static long long count_of(struct db *db, const char *sql)
{
	struct db_stmt *st;
	assert_non_null(st = db_query(db, sql));
	assert_int_equal(db_step(st), DB_ROW);
	long long v = db_col_int64(st, 0);
	db_query_free(st);
	return v;
}

/* The aggregates keep whole months only (migration 0022): activities on
 * three days of one month, by one author, of one type, with one strategy,
 * a place and a partner, are one row per table, keyed by the month; a
 * period that starts and ends mid-month still gives the journal's figures,
 * read from the activities of those days. */
static void test_month_grain_only(void **state)
{
	struct scratch *f = *state;
	static int64_t partner[] = {2};
	const char *dates[] = {"2024-03-05", "2024-03-17", "2024-03-28"};
	for (size_t i = 0; i < 3; i++) {
		struct activity a = act(1, 2, dates[i], "liaison", 10 * ((int)i + 1));
		a.place = "parc";
		a.strategies = (struct strlist){(const char *[]){"proactif"}, 1};
		a.partner_ids = (struct idlist){partner, 1};
		a.adults = 1;
		save(f, &a);
	}
	assert_int_equal(count_of(f->db, "SELECT count(*) FROM agg_act"), 1);
	assert_int_equal(count_of(f->db, "SELECT count(*) FROM agg_act WHERE day = '2024-03'"), 1);
	/* strategy + place */
	assert_int_equal(count_of(f->db, "SELECT count(*) FROM agg_act_code"), 2);
	assert_int_equal(count_of(f->db, "SELECT count(*) FROM agg_act_link"), 1);
	assert_int_equal(agg_reindex(f->db), 0);
	assert_int_equal(count_of(f->db, "SELECT count(*) FROM agg_act WHERE grain <> 'M'"), 0);

	/* Mid-month to mid-month, by territory, by organisation, by author. */
	struct ind_scope s = scope("2024-03-10", "2024-03-20", 2);
	struct ind_act_all r, raw;
	for (int k = 0; k < 3; k++) {
		s.territory_id = k == 0 ? 2 : 0;
		s.organisation_id = k == 1 ? 1 : 0;
		s.author_id = k == 2 ? 1 : 0;
		assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
		assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_RAW, &raw), 0);
		assert_int_equal(r.activites.total, 1);
		assert_int_equal(r.temps.direct, 20);
		assert_int_equal(raw.temps.direct, 20);
		assert_int_equal(r.personnes.total, 1);
		assert_int_equal(
			value_of(r.activites.by_strategy, r.activites.n_strategy, "proactif"), 1);
		assert_int_equal(r.partenaires.partners, 1);
	}
	/* The team's figures over the same days. */
	struct ind_act_author_row *rows;
	size_t n;
	s = scope("2024-03-10", "2024-03-31", 2);
	assert_int_equal(ind_act_by_author(f->db, f->ar, &s, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].activities, 2);
	assert_int_equal(rows[0].direct_min, 50);
}

/* Two components: 1/2 each; none given: the type's (liaison ->
 * collaboration); an unknown type with none: unassigned. */
static void test_components_one_over_k(void **state)
{
	struct scratch *f = *state;
	const char *two[] = {"demarchage", "collaboration"};
	struct activity a = act(1, 2, "2024-03-01", "concertation", 60);
	a.ind_deplacement = 30;
	a.components = (struct strlist){two, 2};
	save(f, &a);
	struct activity b = act(1, 2, "2024-03-02", "liaison", 30);
	save(f, &b);
	struct activity c = act(1, 2, "2024-03-03", "visite_speciale", 10);
	save(f, &c);
	struct ind_scope s = scope("2024-03-01", "2024-03-31", 0);
	struct ind_act_composantes_result r;
	assert_int_equal(ind_act_composantes(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.activities, 3);
	assert_int_equal(r.minutes, 130);
	assert_string_equal(r.comp[0].code, "demarchage");
	assert_near(r.comp[0].activities, 0.5);
	assert_near(r.comp[1].activities, 0);
	assert_near(r.comp[2].activities, 1.5);
	assert_near(r.comp[0].pct_activities, 50.0 / 3);
	assert_near(r.comp[2].pct_activities, 50.0);
	assert_near(r.comp[0].minutes, 45);
	assert_near(r.comp[2].minutes, 75);
	assert_near(r.comp[2].pct_time, 75.0 / 130 * 100);
	assert_near(r.unassigned, 1);
	assert_near(r.unassigned_minutes, 10);
	struct ind_act_activites_result ar;
	assert_int_equal(ind_act_activites(f->db, f->ar, &s, &ar), 0);
	assert_int_equal(value_of(ar.by_component, ar.n_component, "collaboration"), 2);
	assert_int_equal(value_of(ar.by_component, ar.n_component, "demarchage"), 1);
	/* editing the first to one component moves it whole */
	const char *one[] = {"accompagnement"};
	a.components = (struct strlist){one, 1};
	save(f, &a);
	assert_int_equal(ind_act_composantes(f->db, f->ar, &s, &r), 0);
	assert_near(r.comp[0].activities, 0);
	assert_near(r.comp[1].activities, 1);
	assert_near(r.comp[1].minutes, 90);
	/* deleting it removes it */
	del(f, a.id);
	assert_int_equal(ind_act_composantes(f->db, f->ar, &s, &r), 0);
	assert_int_equal(r.activities, 2);
	assert_near(r.comp[1].activities, 0);
}

/* The other figures on a small journal. */
static void test_figures(void **state)
{
	struct scratch *f = *state;
	const char *strat[] = {"proactif", "s_inserer"};
	const char *needs1[] = {"logement", "isolement"};
	const char *needs2[] = {"logement"};
	const char *outc[] = {"crise_desamorcee"};
	int64_t fam12[] = {1, 2}, fam2[] = {2}, partners[] = {2, 3};
	struct activity a = act(1, 2, "2024-06-01", "activite_collective", 90);
	a.adults = 10;
	a.children_0_5 = 4;
	a.children_6_17 = 6;
	a.families = 3;
	a.new_contacts = 5;
	a.hors_reseau = 2;
	a.initiated_by = "pap";
	a.ind_redaction = 30;
	a.ind_deplacement = 60;
	a.place = "parc";
	a.strategies = (struct strlist){strat, 2};
	a.needs = (struct strlist){needs1, 2};
	a.family_ids = (struct idlist){fam12, 2};
	a.partner_ids = (struct idlist){partners, 2};
	save(f, &a);
	struct activity b = act(2, 3, "2024-06-15", "accompagnement", 30);
	b.adults = 1;
	b.new_contacts = 1;
	b.initiated_by = "personne";
	b.ind_interprete = 45;
	b.strategies = (struct strlist){strat, 1};
	b.needs = (struct strlist){needs2, 1};
	b.outcomes = (struct strlist){outc, 1};
	b.family_ids = (struct idlist){fam2, 1};
	b.partner_ids = (struct idlist){partners, 1};
	save(f, &b);
	struct activity c = act(1, 2, "2024-06-20", "concertation", 120);
	c.ind_preparation = 15;
	save(f, &c);
	exec_ok(f->db, "INSERT INTO referral (id, ext_id, family_id, from_organisation_id,"
		       " to_organisation_id, corridor_id, sent_at) VALUES"
		       " (1, 'r1', 1, 1, 2, 1, 1718000000), (2, 'r2', 2, 1, 2, NULL, 1718100000),"
		       " (3, 'r3', 2, 1, 3, NULL, 1600000000);");

	struct ind_scope s = scope("2024-06-01", "2024-06-30", 1);
	struct ind_act_all r;
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
	assert_int_equal(r.activites.total, 3);
	assert_int_equal(value_of(r.activites.by_strategy, r.activites.n_strategy, "proactif"), 2);
	assert_int_equal(value_of(r.activites.by_place, r.activites.n_place, "parc"), 1);
	assert_int_equal(value_of(r.activites.by_place, r.activites.n_place, ""), 2);
	assert_int_equal(r.personnes.total, 21);
	assert_int_equal(value_of(r.personnes.by_age, 3, "enfants_6_17"), 6);
	assert_int_equal(r.familles.followed, 2);
	assert_int_equal(r.familles.anonymous, 3);
	assert_int_equal(r.familles.total, 5);
	assert_int_equal(r.nouveaux.total, 6);
	assert_int_equal(r.nouveaux.proactive, 5);
	assert_int_equal(r.hors_reseau.total, 2);
	assert_near(r.hors_reseau.pct, 2.0 / 21 * 100);
	assert_int_equal(r.temps.direct, 240);
	assert_int_equal(r.temps.indirect, 150);
	assert_int_equal(value_of(r.temps.indirect_by_kind, 4, "interprete"), 45);
	assert_near(r.temps.multiplier, 390.0 / 240);
	assert_int_equal(r.strategies.activities, 3);
	assert_near(r.strategies.by_strategy[0].pct, 200.0 / 3);
	assert_int_equal(r.besoins.n, 2);
	assert_string_equal(r.besoins.ranked[0].code, "logement");
	assert_int_equal(r.besoins.ranked[0].value, 2);
	assert_int_equal(r.besoins.mentions, 3);
	assert_int_equal(r.accompagnements.activities, 1);
	assert_int_equal(r.accompagnements.referrals_sent, 2);
	assert_int_equal(
		value_of(r.accompagnements.by_corridor, r.accompagnements.n_corridor, "c-logement"),
		1);
	assert_int_equal(value_of(r.accompagnements.by_sector, r.accompagnements.n_sector, "COMM"),
			 2);
	assert_int_equal(r.collectif.activities, 1);
	assert_int_equal(r.collectif.participants, 20);
	assert_int_equal(r.partenaires.partners, 2);
	assert_int_equal(r.partenaires.concertation, 1);
	assert_int_equal(r.retombees.mentions, 1);
	assert_int_equal(value_of(r.retombees.by_outcome, r.retombees.n, "crise_desamorcee"), 1);
	/* Territory B sees none of it; A1 sees b only. */
	s.territory_id = 4;
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
	assert_int_equal(r.activites.total, 0);
	assert_int_equal(r.familles.followed, 0);
	s.territory_id = 3;
	assert_int_equal(ind_act_compute_all(f->db, f->ar, &s, IND_ACT_AGGREGATES, &r), 0);
	assert_int_equal(r.activites.total, 1);
	assert_int_equal(r.familles.followed, 1);
	assert_int_equal(r.partenaires.partners, 1);
}

/* Standard statistics: fiscal year April 1 - March 31; an intervention is
 * a direct-intervention type with a followed family linked; each family
 * once; indirect time never counted; visibility by role. */
static void test_rc_stats(void **state)
{
	struct scratch *f = *state;
	int64_t f1[] = {1}, f12[] = {1, 2};
	struct activity a = act(1, 2, "2024-04-01", "intervention_individuelle", 60);
	a.family_ids = (struct idlist){f1, 1};
	a.ind_redaction = 30;
	save(f, &a);
	struct activity b = act(2, 2, "2025-03-31", "intervention_groupe", 90);
	b.family_ids = (struct idlist){f12, 2};
	save(f, &b);
	struct activity c =
		act(1, 2, "2024-10-10", "intervention_individuelle", 20); /* anonymous */
	save(f, &c);
	struct activity d = act(1, 2, "2024-06-10", "contact_informel", 10);
	d.family_ids = (struct idlist){f1, 1};
	save(f, &d);
	struct activity e =
		act(1, 2, "2024-03-31", "intervention_individuelle", 45); /* last year */
	e.family_ids = (struct idlist){f1, 1};
	save(f, &e);
	struct activity g = act(3, 2, "2024-05-01", "intervention_individuelle", 45); /* org 2 */
	g.family_ids = (struct idlist){fam_org2, 1};
	save(f, &g);
	struct actor mgr = {.person_id = 2, .role = ROLE_GESTIONNAIRE, .organisation_id = 1};
	struct rc_stats st;
	assert_int_equal(rc_stats_compute(f->db, f->ar, &mgr, NULL, 2024, &st), 0);
	assert_string_equal(st.from, "2024-04-01");
	assert_string_equal(st.to, "2025-03-31");
	assert_int_equal(st.interventions, 2);
	assert_int_equal(st.individual, 1);
	assert_int_equal(st.group, 1);
	assert_int_equal(st.usagers, 2);
	assert_int_equal(st.counted_min, 150);
	assert_int_equal(st.not_counted_min, 30 + 20 + 10);
	assert_int_equal(st.activities, 4);
	assert_near(st.pct_time_missed, 60.0 / 210 * 100);
	assert_int_equal(rc_stats_fiscal_year(2025, 3), 2024);
	assert_int_equal(rc_stats_fiscal_year(2025, 4), 2025);
	/* another organisation: absent for its manager, visible to an admin */
	assert_int_equal(rc_stats_compute(f->db, f->ar, &mgr, "Y", 2024, &st), 1);
	struct actor admin = {.person_id = 9, .role = ROLE_ADMIN};
	assert_int_equal(rc_stats_compute(f->db, f->ar, &admin, "Y", 2024, &st), 0);
	assert_int_equal(st.interventions, 1);
	struct actor pap = {.person_id = 1, .role = ROLE_PAP, .organisation_id = 1};
	assert_int_equal(rc_stats_compute(f->db, f->ar, &pap, NULL, 2024, &st), 1);
	struct actor comite = {.person_id = 5, .role = ROLE_COMITE};
	assert_int_equal(rc_stats_compute(f->db, f->ar, &comite, "X", 2024, &st), 1);
}

/* The spreadsheet export: BOM, header, one row per activity not deleted,
 * never the note nor a family code; comite refused; XLSX is a zip. */
static void test_export(void **state)
{
	struct scratch *f = *state;
	int64_t fam[] = {1}, partners[] = {3, 2};
	const char *needs[] = {"logement", "isolement"};
	struct activity a = act(1, 2, "2024-06-01", "contact_informel", 15);
	a.partner_ids = (struct idlist){partners, 2};
	a.needs = (struct strlist){needs, 2};
	a.note = "Madame Secrète, 555-1234";
	a.family_ids = (struct idlist){fam, 1};
	a.place = "parc, banc";
	save(f, &a);
	struct activity b = act(2, 2, "2024-06-02", "liaison", 10);
	save(f, &b);
	del(f, b.id);
	char path[300];
	/* Among the test's files (a PostgreSQL "path" is a connection string). */
	snprintf(path, sizeof(path), "%s/agg-export-%ld.csv", scratch_dir(), (long)getpid());
	struct act_export_options o = {
		.format = ACT_EXPORT_CSV, .view = IX_VIEW_GESTIONNAIRE, .sep = ';'};
	struct act_export_result r;
	assert_int_equal(act_export_write(f->db, &o, path, &r), 0);
	assert_int_equal(r.rows, 1);
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	char text[4096];
	size_t n = fread(text, 1, sizeof(text) - 1, in);
	fclose(in);
	text[n] = 0;
	assert_memory_equal(text, "\xEF\xBB\xBFid;date;author;", 18);
	assert_non_null(strstr(text, a.ext_id));
	assert_null(strstr(text, "Secr"));
	assert_null(strstr(text, "F1"));
	assert_non_null(strstr(text, ";parc, banc;"));
	assert_non_null(strstr(text, ";1\r\n"));       /* one followed family */
	assert_non_null(strstr(text, ";demarchage;")); /* component from the type */
	assert_non_null(strstr(text, ";isolement|logement;;Y|Z;1\r\n"));
	o.sep = ',';
	assert_int_equal(act_export_write(f->db, &o, path, &r), 0);
	in = fopen(path, "rb");
	n = fread(text, 1, sizeof(text) - 1, in);
	fclose(in);
	text[n] = 0;
	assert_non_null(strstr(text, ",\"parc, banc\","));
	o.view = IX_VIEW_COMITE;
	assert_int_equal(act_export_write(f->db, &o, path, &r), 1);
	o.view = IX_VIEW_ADMIN;
	o.format = ACT_EXPORT_XLSX;
	assert_int_equal(act_export_write(f->db, &o, path, &r), 0);
	assert_int_equal(r.rows, 1);
	in = fopen(path, "rb");
	n = fread(text, 1, 2, in);
	fclose(in);
	assert_memory_equal(text, "PK", 2);
	unlink(path);
}

/* ---- property test ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static const char *const TYPES[] = {
	"contact_informel",    "demarchage",          "accompagnement", "intervention_individuelle",
	"intervention_groupe", "activite_collective", "concertation",   "liaison",
	"presentation_mandat", "intervention_crise",  "codeveloppement"};
static const char *const COMPS[] = {"demarchage", "accompagnement", "collaboration"};
static const char *const STRATS[] = {"s_inserer",   "proximite_relationnelle",
				     "proactif",    "mise_en_reseau",
				     "empowerment", "communaute_intervention"};
static const char *const NEEDS[] = {"logement", "alimentation", "isolement", "revenu"};
static const char *const OUTCOMES[] = {"lien_confiance", "urgence_evitee", "aidant"};
static const char *const PLACES[] = {"parc", "domicile", "rue"};
static const char *const INIT[] = {"pap", "personne", "partenaire"};

static struct strlist pick_strings(struct arena *ar, const char *const *v, size_t n)
{
	struct strlist l = {arena_alloc(ar, n * sizeof(char *)), 0};
	for (size_t i = 0; i < n; i++)
		if (rnd(3) == 0)
			l.v[l.n++] = v[i];
	return l;
}

static struct idlist pick_ids(struct arena *ar, int64_t max)
{
	struct idlist l = {arena_alloc(ar, (size_t)max * sizeof(int64_t)), 0};
	for (int64_t i = 1; i <= max; i++)
		if (rnd(3) == 0)
			l.v[l.n++] = i;
	return l;
}

static void random_activity(struct arena *ar, struct activity *a)
{
	int64_t id = a->id;
	memset(a, 0, sizeof(*a));
	a->id = id;
	a->author_id = 1 + rnd(4);
	a->organisation_id = author_org[a->author_id];
	a->territory_id = 1 + rnd(4);
	/* 2023-12-20 .. 2025-02-08: across months and a year boundary */
	struct pdate d0 = {2023, 12, 20};
	struct pdate d = ptime_civil_from_days(ptime_days_from_civil(&d0) + rnd(416));
	char *date = arena_alloc(ar, 11);
	ptime_format_date(&d, date);
	a->date = date;
	a->type = TYPES[rnd(11)];
	a->duration_min = (int)rnd(200);
	a->ind_deplacement = (int)rnd(3) * 15;
	a->ind_interprete = (int)rnd(2) * 20;
	a->ind_redaction = (int)rnd(4) * 5;
	a->ind_preparation = (int)rnd(2) * 10;
	a->place = rnd(4) ? PLACES[rnd(3)] : NULL;
	a->initiated_by = rnd(4) ? INIT[rnd(3)] : NULL;
	a->adults = (int)rnd(5);
	a->children_0_5 = (int)rnd(3);
	a->children_6_17 = (int)rnd(3);
	a->families = (int)rnd(3);
	a->new_contacts = (int)rnd(3);
	a->hors_reseau = (int)rnd(2);
	a->components = pick_strings(ar, COMPS, 3);
	a->strategies = pick_strings(ar, STRATS, 6);
	a->needs = pick_strings(ar, NEEDS, 4);
	a->outcomes = pick_strings(ar, OUTCOMES, 3);
	a->family_ids = pick_ids(ar, 4);
	a->partner_ids = pick_ids(ar, 3);
}

/* Every row of the aggregate tables as one malloc'd string. */
static char *snapshot(struct db *db)
{
	static const char *const q[] = {
		"SELECT * FROM agg_act ORDER BY grain, day, territory_id, organisation_id, "
		"author_id, type",
		"SELECT * FROM agg_act_code ORDER BY grain, day, territory_id, organisation_id, "
		"author_id, kind, code",
		"SELECT * FROM agg_act_link ORDER BY grain, day, territory_id, organisation_id, "
		"author_id, kind, ref_id",
		"SELECT * FROM agg_org_act ORDER BY territory_id, month, organisation_id, type",
		"SELECT * FROM agg_org_code ORDER BY territory_id, month, organisation_id, kind, "
		"code",
		"SELECT * FROM agg_org_link ORDER BY territory_id, month, organisation_id, kind, "
		"ref_id"};
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	out[0] = 0;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		struct db_stmt *st;
		assert_non_null(st = db_query(db, q[i]));
		while (db_step(st) == DB_ROW) {
			for (int c = 0; c < db_col_count(st); c++) {
				const char *t = db_col_cstr(st, c);
				size_t n = strlen(t ? t : "") + 2;
				if (len + n + 1 > cap) {
					cap = (len + n + 1) * 2;
					out = realloc(out, cap);
					assert_non_null(out);
				}
				len += (size_t)snprintf(out + len, cap - len, "%s%c", t ? t : "",
							c + 1 < db_col_count(st) ? '|' : '\n');
			}
		}
		db_query_free(st);
	}
	return out;
}

static void check_rebuild_equal(struct db *db)
{
	char *kept = snapshot(db);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(agg_rebuild(db), 0);
	char *rebuilt = snapshot(db);
	db_rollback(db); /* go on with the maintained tables */
	if (strcmp(kept, rebuilt) != 0)
		fprintf(stderr, "maintained:\n%s\nrebuilt:\n%s\n", kept, rebuilt);
	assert_string_equal(kept, rebuilt);
	free(kept);
	free(rebuilt);
}

static void same_cv(const struct ind_code_value *a, size_t na, const struct ind_code_value *b,
		    size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(a[i].code, b[i].code);
		assert_int_equal(a[i].value, b[i].value);
	}
}

static void same_all(const struct ind_act_all *x, const struct ind_act_all *y)
{
	assert_int_equal(x->activites.total, y->activites.total);
	same_cv(x->activites.by_type, x->activites.n_type, y->activites.by_type,
		y->activites.n_type);
	same_cv(x->activites.by_component, x->activites.n_component, y->activites.by_component,
		y->activites.n_component);
	same_cv(x->activites.by_strategy, x->activites.n_strategy, y->activites.by_strategy,
		y->activites.n_strategy);
	same_cv(x->activites.by_place, x->activites.n_place, y->activites.by_place,
		y->activites.n_place);
	same_cv(x->personnes.by_age, x->personnes.n_age, y->personnes.by_age, y->personnes.n_age);
	assert_int_equal(x->familles.followed, y->familles.followed);
	assert_int_equal(x->familles.anonymous, y->familles.anonymous);
	assert_int_equal(x->nouveaux.total, y->nouveaux.total);
	assert_int_equal(x->nouveaux.proactive, y->nouveaux.proactive);
	assert_int_equal(x->hors_reseau.total, y->hors_reseau.total);
	assert_near(x->hors_reseau.pct, y->hors_reseau.pct);
	same_cv(x->temps.indirect_by_kind, 4, y->temps.indirect_by_kind, 4);
	assert_int_equal(x->temps.direct, y->temps.direct);
	assert_near(x->temps.multiplier, y->temps.multiplier);
	for (int k = 0; k < 3; k++) {
		assert_near(x->composantes.comp[k].activities, y->composantes.comp[k].activities);
		assert_near(x->composantes.comp[k].minutes, y->composantes.comp[k].minutes);
		assert_near(x->composantes.comp[k].pct_time, y->composantes.comp[k].pct_time);
	}
	assert_int_equal(x->strategies.n, y->strategies.n);
	same_cv(x->besoins.ranked, x->besoins.n, y->besoins.ranked, y->besoins.n);
	assert_int_equal(x->accompagnements.activities, y->accompagnements.activities);
	assert_int_equal(x->collectif.activities, y->collectif.activities);
	assert_int_equal(x->collectif.participants, y->collectif.participants);
	assert_int_equal(x->partenaires.partners, y->partenaires.partners);
	assert_int_equal(x->partenaires.concertation, y->partenaires.concertation);
	same_cv(x->retombees.by_outcome, x->retombees.n, y->retombees.by_outcome, y->retombees.n);
}

static void random_scope(struct ind_scope *s)
{
	struct pdate d0 = {2023, 12, 1};
	int64_t a = ptime_days_from_civil(&d0) + rnd(450), b = a + rnd(420);
	struct pdate from = ptime_civil_from_days(a), to = ptime_civil_from_days(b);
	ind_scope_init(s, &from, &to);
	s->as_of = rnd(4) ? to : ptime_civil_from_days(a + rnd((uint32_t)(b - a + 1)));
	s->territory_id = rnd(5);
	s->organisation_id = rnd(3) == 0 ? 1 + rnd(3) : 0;
	s->author_id = rnd(4) == 0 ? 1 + rnd(4) : 0;
}

static void test_property(void **state)
{
	struct scratch *f = *state;
	const char *env = getenv("PROXIMA_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	printf("test_aggregates: seed %llu (PROXIMA_TEST_SEED replays it)\n",
	       (unsigned long long)seed);
	rng_state = seed * 2654435761u + 1;
	int64_t ids[400];
	size_t n = 0;
	struct arena *step = arena_new(1 << 14);
	for (int i = 0; i < 400; i++) {
		arena_reset(step);
		uint32_t op = rnd(10);
		if (op < 6 || n == 0) {
			struct activity a = {0};
			random_activity(step, &a);
			assert_int_equal(db_begin(f->db), 0);
			assert_int_equal(activity_save(f->db, step, &a), 0);
			assert_int_equal(db_commit(f->db), 0);
			ids[n++] = a.id;
		} else if (op < 9) {
			struct activity a = {.id = ids[rnd((uint32_t)n)]};
			random_activity(step, &a);
			assert_int_equal(db_begin(f->db), 0);
			assert_int_equal(activity_save(f->db, step, &a), 0);
			assert_int_equal(db_commit(f->db), 0);
		} else {
			size_t k = rnd((uint32_t)n);
			del(f, ids[k]);
			ids[k] = ids[--n];
		}
		if (i % 20 == 19) {
			check_rebuild_equal(f->db);
			for (int j = 0; j < 5; j++) {
				struct ind_scope s;
				random_scope(&s);
				struct ind_act_all x, y;
				assert_int_equal(ind_act_compute_all(f->db, step, &s,
								     IND_ACT_AGGREGATES, &x),
						 0);
				assert_int_equal(
					ind_act_compute_all(f->db, step, &s, IND_ACT_RAW, &y), 0);
				same_all(&x, &y);
			}
		}
	}
	arena_free(step);
}

/* One random activity as an import line (interchange.md), id ext, written
 * into out (cap bytes). Families are the author's organisation's; every
 * activity names one partner (a presentation of mandate needs one); one in
 * six comes deleted. */
static void random_line(char *out, size_t cap, const char *ext)
{
	static const char *const persons[] = {"p1", "p2", "p3", "p4"};
	static const char *const terrs[] = {"R", "A", "A1", "B"};
	static const char *const fams[][3] = {{"f1", "f2", "f3"}, {"f4"}, {0}};
	static const size_t nfam[] = {3, 1, 0};
	static const char *const partner[] = {"Y", "Z", "X"};
	int author = (int)rnd(4), org = author < 2 ? 0 : author - 1;
	struct pdate d0 = {2023, 12, 20};
	struct pdate d = ptime_civil_from_days(ptime_days_from_civil(&d0) + rnd(416));
	char date[11];
	ptime_format_date(&d, date);
	int n = snprintf(
		out, cap,
		"{\"kind\":\"activity\",\"id\":\"%s\",\"author\":\"%s\",\"territory\":\"%s\","
		"\"date\":\"%s\",\"duration_min\":%u,\"type\":\"%s\","
		"\"indirect\":{\"deplacement\":%u,\"redaction\":%u},"
		"\"counts\":{\"adults\":%u,\"children_0_5\":%u,\"families\":%u,"
		"\"new_contacts\":%u},\"partners\":[\"%s\"]",
		ext, persons[author], terrs[rnd(4)], date, rnd(200), TYPES[rnd(11)], rnd(3) * 15,
		rnd(4) * 5, 1 + rnd(4), rnd(3), rnd(3), rnd(2), partner[org]);
	if (rnd(4))
		n += snprintf(out + n, cap - (size_t)n, ",\"place\":\"%s\"", PLACES[rnd(3)]);
	if (nfam[org] && rnd(2))
		n += snprintf(out + n, cap - (size_t)n, ",\"families\":[\"%s\"]",
			      fams[org][rnd((uint32_t)nfam[org])]);
	n += snprintf(out + n, cap - (size_t)n, ",\"needs\":[\"%s\"],\"strategies\":[\"%s\"]",
		      NEEDS[rnd(4)], STRATS[rnd(6)]);
	if (rnd(2))
		n += snprintf(out + n, cap - (size_t)n, ",\"outcomes\":[\"%s\"]", OUTCOMES[rnd(3)]);
	if (rnd(6) == 0) /* deleted in the file: counted nowhere */
		n += snprintf(out + n, cap - (size_t)n, ",\"deleted_at\":\"2025-03-01T10:00\"");
	snprintf(out + n, cap - (size_t)n, "}\n");
}

/* What the import told its progress watcher: the stages announced. */
static int rebuild_announced;

static void watch(void *ctx, long records, int64_t bytes, const char *stage)
{
	(void)ctx;
	(void)records;
	(void)bytes;
	if (stage && strcmp(stage, "aggregates") == 0)
		rebuild_announced++;
}

/* Imports text (JSON Lines) through the import engine, its aggregate sums
 * written whenever they hold agg_bytes (0: the engine's bound). */
static int import_text(struct db *db, const char *text, size_t agg_bytes, struct import_result *res)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	struct import_options opt = {.progress = watch, .agg_bytes = agg_bytes};
	rebuild_announced = 0;
	int rc = interchange_import_with(db, in, &opt, res);
	fclose(in);
	return rc;
}

/* The import's path for the activities it adds (written without their
 * aggregates, summed in memory as the lines are read and added to the
 * tables when the sums are full and at the end of the run,
 * model/agg_bulk.h): over a journal that already has
 * activities, random files of new activities, of changes to stored ones
 * (kept row by row), and of new activities changed again further down the
 * same file, leave aggregate tables equal to a full rebuild and act.* over
 * them equal to the raw tables; so does a file of changes only; and a
 * file refused on its last line writes nothing, the aggregates included. */
static void test_property_bulk(void **state)
{
	struct scratch *f = *state;
	const char *env = getenv("PROXIMA_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	printf("test_aggregates (bulk): seed %llu (PROXIMA_TEST_SEED replays it)\n",
	       (unsigned long long)seed);
	rng_state = seed * 2654435761u + 7;
	struct arena *step = arena_new(1 << 14);
	for (int i = 0; i < 40; i++) {
		arena_reset(step);
		struct activity a = {.ext_id = arena_printf(step, "old%d", i)};
		random_activity(step, &a);
		a.ext_id = arena_printf(step, "old%d", i);
		save(f, &a);
	}
	size_t cap = 600 * 400, len;
	char *text = malloc(cap);
	assert_non_null(text);
	for (int round = 0; round < 4; round++) {
		/* round 0: large; 1: small; 2: large, refused at its end;
		 * 3: changes to stored activities only */
		size_t lines = round == 1 ? 20 : 300;
		len = 0;
		for (size_t k = 0; k < lines; k++) {
			char ext[32];
			if (round == 3 || rnd(5) == 0)
				snprintf(ext, sizeof(ext), "old%u", rnd(40));
			else if (k > 0 && rnd(8) == 0) /* added above, changed here */
				snprintf(ext, sizeof(ext), "new%d-%u", round, rnd((uint32_t)k));
			else
				snprintf(ext, sizeof(ext), "new%d-%zu", round, k);
			random_line(text + len, cap - len, ext);
			len += strlen(text + len);
		}
		if (round == 2)
			len += (size_t)snprintf(
				text + len, cap - len,
				"{\"kind\":\"activity\",\"id\":\"bad\",\"author\":"
				"\"p1\",\"territory\":\"A\",\"date\":\"2024-02-30\","
				"\"duration_min\":10,\"type\":\"liaison\"}\n");
		long long before = count_of(f->db, "SELECT count(*) FROM activity");
		char *kept = snapshot(f->db);
		struct import_result res;
		/* Rounds 0 and 2 write their sums every few activities, so
		 * that sums already written are added to and, in round 2,
		 * rolled back. */
		int rc = import_text(f->db, text, round % 2 ? 0 : 40 * 1024, &res);
		if (round == 2) {
			assert_int_equal(rc, 1);
			assert_int_equal(res.line, (long)lines + 1);
			assert_int_equal(count_of(f->db, "SELECT count(*) FROM activity"), before);
			char *after = snapshot(f->db);
			assert_string_equal(kept, after);
			free(after);
		} else {
			if (rc != 0)
				fprintf(stderr, "line %ld: %s: %s\n", res.line, res.field,
					res.reason);
			assert_int_equal(rc, 0);
			assert_int_equal(res.bulk, round != 3);
			assert_int_equal(rebuild_announced, round != 3);
			if (round != 3)
				assert_true(count_of(f->db, "SELECT count(*) FROM activity") >
					    before);
		}
		free(kept);
		check_rebuild_equal(f->db);
		for (int j = 0; j < 5; j++) {
			struct ind_scope s;
			random_scope(&s);
			struct ind_act_all x, y;
			assert_int_equal(
				ind_act_compute_all(f->db, step, &s, IND_ACT_AGGREGATES, &x), 0);
			assert_int_equal(ind_act_compute_all(f->db, step, &s, IND_ACT_RAW, &y), 0);
			same_all(&x, &y);
		}
	}
	free(text);
	arena_free(step);
}

/* The import's bulk path into an empty journal, where it also sets the
 * secondary indexes aside: a random file (new activities, some changed
 * again further down, some deleted) refused on its last line leaves the
 * journal and every aggregate table empty, even after sums were written
 * mid-run; the same file without that line leaves aggregate tables equal
 * to a full rebuild, and act.* over them equal to the raw tables. */
static void test_property_bulk_empty(void **state)
{
	struct scratch *f = *state;
	const char *env = getenv("PROXIMA_TEST_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	printf("test_aggregates (bulk, empty journal): seed %llu (PROXIMA_TEST_SEED replays it)\n",
	       (unsigned long long)seed);
	rng_state = seed * 2654435761u + 11;
	size_t cap = 600 * 400, len = 0, lines = 300;
	char *text = malloc(cap);
	assert_non_null(text);
	for (size_t k = 0; k < lines; k++) {
		char ext[32];
		if (k > 0 && rnd(8) == 0) /* added above, changed here */
			snprintf(ext, sizeof(ext), "new-%u", rnd((uint32_t)k));
		else
			snprintf(ext, sizeof(ext), "new-%zu", k);
		random_line(text + len, cap - len, ext);
		len += strlen(text + len);
	}
	size_t good = len;
	snprintf(text + len, cap - len,
		 "{\"kind\":\"activity\",\"id\":\"bad\",\"author\":\"p1\",\"territory\":\"A\","
		 "\"date\":\"2024-02-30\",\"duration_min\":10,\"type\":\"liaison\"}\n");
	struct import_result res;
	assert_int_equal(import_text(f->db, text, 40 * 1024, &res), 1);
	assert_int_equal(res.line, (long)lines + 1);
	static const char *const counts[] = {
		"SELECT count(*) FROM activity",     "SELECT count(*) FROM agg_act",
		"SELECT count(*) FROM agg_act_code", "SELECT count(*) FROM agg_act_link",
		"SELECT count(*) FROM agg_org_act",  "SELECT count(*) FROM agg_org_code",
		"SELECT count(*) FROM agg_org_link"};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		assert_int_equal(count_of(f->db, counts[i]), 0);
	text[good] = '\0';
	int rc = import_text(f->db, text, rnd(2) ? 0 : 40 * 1024, &res);
	if (rc != 0)
		fprintf(stderr, "line %ld: %s: %s\n", res.line, res.field, res.reason);
	assert_int_equal(rc, 0);
	assert_true(res.bulk);
	assert_true(count_of(f->db, "SELECT count(*) FROM agg_org_code") > 0);
	check_rebuild_equal(f->db);
	struct arena *step = arena_new(1 << 14);
	for (int j = 0; j < 10; j++) {
		struct ind_scope s;
		random_scope(&s);
		struct ind_act_all x, y;
		assert_int_equal(ind_act_compute_all(f->db, step, &s, IND_ACT_AGGREGATES, &x), 0);
		assert_int_equal(ind_act_compute_all(f->db, step, &s, IND_ACT_RAW, &y), 0);
		same_all(&x, &y);
	}
	arena_free(step);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_scope, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_subterritory_rollup, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_period_longer_than_a_year, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_month_grain_only, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_components_one_over_k, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_figures, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_rc_stats, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_export, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_property, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_property_bulk, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_property_bulk_empty, setup, scratch_teardown),
	};
	return cmocka_run_group_tests_name("aggregates", tests, NULL, NULL);
}
