/* The indicator engine (src/reports): every id in every report in a fixed
 * order, scope resolution (sub-territory roll-up, unknown ids), targets
 * and status, portrait and corridors, periods longer than a year, the
 * quarterly trend, and the JSON / CSV / HTML writers' shape. Expected
 * numbers are worked out beside their assertions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>

#include "engine_fixture.h"
#include "model/cellkey.h"

#define assert_near(x, e) assert_true(fabs((double)(x) - (double)(e)) < 1e-6)

/* Empty scope: every id, in REPORT_IDS order, computed, labelled, with a
 * unit; targets give "insuffisant" (no data), the others "sans_cible". */
static void test_every_id_empty_scope(void **state)
{
	struct fixture *f = *state;
	for (int v = REPORT_VIEW_COMPLET; v <= REPORT_VIEW_ANALYSTE; v++) {
		struct report r =
			fx_report(f, "A", "2025-01-01", "2025-03-31", (enum report_view)v);
		assert_int_equal(r.n_indicators, REPORT_N_INDICATORS);
		for (size_t i = 0; i < REPORT_N_INDICATORS; i++) {
			const struct ind_result *x = &r.indicators[i];
			assert_string_equal(x->id, REPORT_IDS[i]);
			assert_true(x->computed);
			assert_true(x->label && *x->label);
			assert_true(x->unit && *x->unit);
			assert_non_null(x->display);
			assert_int_equal(x->status, x->target.present ? REPORT_STATUS_INSUFFISANT
								      : REPORT_STATUS_SANS_CIBLE);
			assert_false(x->suppressed); /* nothing to hide in an empty scope */
		}
		assert_near(fx_get(&r, "act.personnes_rejointes")->value, 0);
		assert_true(fx_get(&r, "act.personnes_rejointes")->has_value);
		assert_false(fx_get(&r, "arr.delai_prise_en_charge")->has_value);
	}
	/* the 28 ids of indicators.md, the first and last in the fixed order */
	assert_string_equal(REPORT_IDS[0], "arr.secteurs_cadre");
	assert_string_equal(REPORT_IDS[REPORT_N_INDICATORS - 1], "act.trous_service");
}

/* One row per indicator (reports/indicators.def): each result carries its
 * enum, each id names one indicator, and a caller finds a result by enum
 * (a misspelt enum does not compile; a misspelt id finds nothing). */
static void test_one_row_per_indicator(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(REPORT_N_INDICATORS, 28);
	struct report r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_COMPLET);
	for (size_t i = 0; i < REPORT_N_INDICATORS; i++) {
		enum report_ind ind;
		assert_int_equal(report_ind_parse(REPORT_IDS[i], &ind), 0);
		assert_int_equal(ind, i);
		assert_int_equal(r.indicators[i].ind, i);
		assert_ptr_equal(report_get(&r, ind), &r.indicators[i]);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(REPORT_IDS[k], REPORT_IDS[i]);
	}
	enum report_ind ind;
	assert_int_equal(report_ind_parse("act.activite", &ind), -1);
	assert_int_equal(report_ind_parse(NULL, &ind), -1);
	assert_string_equal(report_get(&r, REPORT_IND_ACT_TEMPS)->id, "act.temps");
	assert_string_equal(report_get(&r, REPORT_IND_ARR_TAUX_ECHAPPEMENT)->label,
			    "Taux d'échappement des familles");
	assert_string_equal(report_get(&r, REPORT_IND_ARR_DELAI_PRISE_EN_CHARGE)->target.op,
			    "<=");
}

/* Activities in A (12 people), A1 (3 adults, a quarter of A) and B (100):
 * A rolls A1 up (15), R rolls both up and lists them, B stays apart; a
 * date outside the period and one after as_of are not counted. */
static void test_subterritory_rollup(void **state)
{
	struct fixture *f = *state;
	fx_activity(f, 2, "2025-02-01", "accompagnement", 10, 2, 0, 1, 1, 0);
	fx_activity(f, 3, "2025-02-02", "accompagnement", 3, 0, 0, 0, 0, 0);
	fx_activity(f, 4, "2025-02-03", "accompagnement", 100, 0, 0, 0, 0, 0);
	fx_activity(f, 2, "2024-12-31", "accompagnement", 50, 0, 0, 0, 0, 0); /* before */
	fx_activity(f, 2, "2025-03-20", "accompagnement", 70, 0, 0, 0, 0, 0); /* after as_of */
	fx_reindex(f);
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = "A";
	rq.from = fx_date("2025-01-01");
	rq.to = fx_date("2025-03-31");
	rq.as_of = fx_date("2025-03-15");
	rq.has_as_of = true;
	rq.view = REPORT_VIEW_COMPLET;
	struct report r;
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_OK);
	assert_near(fx_get(&r, "act.personnes_rejointes")->value, 15);
	assert_near(fx_get(&r, "act.activites")->value, 2);
	assert_int_equal(r.scope.n_sub_territories, 1);
	assert_string_equal(r.scope.sub_territories[0], "A1");
	/* one person's own work: person 1 wrote them all, person 2 nothing */
	rq.author_id = 2;
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_OK);
	assert_near(fx_get(&r, "act.activites")->value, 0);
	rq.author_id = 1;
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_OK);
	assert_near(fx_get(&r, "act.activites")->value, 2);

	struct report rr = fx_report(f, "R", "2025-01-01", "2025-03-15", REPORT_VIEW_COMPLET);
	assert_near(fx_get(&rr, "act.personnes_rejointes")->value, 15);
	assert_int_equal(rr.scope.n_sub_territories, 2);
	struct report rb = fx_report(f, "B", "2025-01-01", "2025-03-15", REPORT_VIEW_COMPLET);
	assert_near(fx_get(&rb, "act.personnes_rejointes")->value, 100);
	/* no territory: everything */
	struct report all = fx_report(f, "", "2025-01-01", "2025-03-15", REPORT_VIEW_COMPLET);
	assert_near(fx_get(&all, "act.personnes_rejointes")->value, 115);
	/* age groups of A: adults 13, 0-5 2, 6-17 0 (complet: nothing hidden) */
	const struct report_breakdown *b =
		fx_breakdown(fx_get(&r, "act.personnes_rejointes"), "par_groupe_age");
	assert_near(fx_cell(b, "adultes")->value, 13);
	assert_near(fx_cell(b, "enfants_0_5")->value, 2);
	assert_false(fx_cell(b, "enfants_0_5")->suppressed);
}

static void test_bad_requests(void **state)
{
	struct fixture *f = *state;
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = "NOPE";
	rq.from = fx_date("2025-01-01");
	rq.to = fx_date("2025-03-31");
	struct report r;
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_NOT_FOUND);
	rq.territory = "A";
	rq.sector = "NOPE";
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_NOT_FOUND);
	rq.sector = NULL;
	rq.to = fx_date("2024-12-31");
	assert_non_null(report_request_check(&rq));
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_INVALID);
}

/* Family survey answers 5, 4, 4, 4, 4 on A in the period (mean 4.2, n 5,
 * all >= 4) meet the target >= 4; one of 1 more (6 answers, mean 3.67)
 * misses it. */
static void test_target_status(void **state)
{
	struct fixture *f = *state;
	exec_ok(f->db,
		"INSERT INTO survey (ext_id, type, territory_id, date, score) VALUES"
		" ('s1', 'famille', 2, '2025-02-01', 5), ('s2', 'famille', 2, '2025-02-02', 4),"
		" ('s3', 'famille', 2, '2025-02-03', 4), ('s4', 'famille', 3, '2025-02-04', 4),"
		" ('s5', 'famille', 2, '2025-02-05', 4);");
	struct report r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_COMITE);
	const struct ind_result *x = fx_get(&r, "arr.satisfaction_familles");
	assert_true(x->has_value);
	assert_near(x->value, 4.2);
	assert_int_equal(x->n, 5);
	assert_int_equal(x->status, REPORT_STATUS_ATTEINT);
	assert_string_equal(x->target.op, ">=");
	assert_near(x->target.value, 4);
	assert_string_equal(x->display, "4,2");
	assert_near(fx_detail(x, "pct_4_ou_plus")->number, 100);
	exec_ok(f->db, "INSERT INTO survey (ext_id, type, territory_id, date, score) VALUES"
		       " ('s6', 'famille', 2, '2025-02-06', 1);");
	r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_COMITE);
	x = fx_get(&r, "arr.satisfaction_familles");
	assert_near(x->value, 3.7); /* 22 / 6 = 3.67, one decimal */
	assert_int_equal(x->status, REPORT_STATUS_NON_ATTEINT);
}

/* Portrait: latest value at as_of per indicator (a later period is not yet
 * known); corridors active in the period, of which linked to the portrait. */
static void test_portrait_corridors(void **state)
{
	struct fixture *f = *state;
	exec_ok(f->db,
		"INSERT INTO portrait (ext_id, territory_id, indicator, label, value, unit,"
		" period_start, period_end, source) VALUES"
		" ('p1', 2, 'faible_revenu', 'Faible revenu', 10, '%', '2020-01-01', '2020-12-31', "
		"'ISQ'),"
		" ('p2', 2, 'faible_revenu', 'Faible revenu', 12, '%', '2023-01-01', '2023-12-31', "
		"'ISQ'),"
		" ('p3', 2, 'faible_revenu', 'Faible revenu', 99, '%', '2026-01-01', '2026-12-31', "
		"'ISQ'),"
		" ('p4', 3, 'immigration', 'Immigration', 30, '%', NULL, '2021-06-30', 'RC'),"
		" ('p5', 4, 'faible_revenu', 'Faible revenu', 7, '%', NULL, '2023-12-31', 'ISQ');"
		"INSERT INTO corridor (id, ext_id, territory_id, name, entry_organisation_id,"
		" active_from, active_to) VALUES"
		" (1, 'C1', 2, 'Alimentation', 1, '2024-01-01', NULL),"
		" (2, 'C2', 3, 'Garde', 2, NULL, NULL),"
		" (3, 'C3', 4, 'B', 1, NULL, NULL),"
		" (4, 'C4', 2, 'Ancien', 1, '2020-01-01', '2023-12-31'),"
		" (5, 'C5', 2, 'Futur', 1, '2025-06-01', NULL);"
		"INSERT INTO corridor_portrait VALUES (1, 'faible_revenu'), (4, 'faible_revenu');");
	struct report r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_COMITE);
	const struct ind_result *p = fx_get(&r, "arr.portrait");
	assert_near(p->value, 2); /* faible_revenu of A (12) and immigration of A1 */
	const struct report_breakdown *b = fx_breakdown(p, "indicateurs");
	assert_near(fx_cell(b, "faible_revenu")->value, 12);
	assert_near(fx_cell(b, "A1/immigration")->value, 30);
	assert_non_null(strstr(fx_cell(b, "faible_revenu")->note, "ISQ"));
	const struct ind_result *c = fx_get(&r, "arr.corridors_adaptes");
	assert_near(c->value, 2);     /* C1, C2 (C3 elsewhere, C4 ended, C5 later) */
	assert_near(c->numerator, 1); /* C1 linked */
	assert_near(c->denominator, 2);
}

/* A period longer than a year gives presentations per calendar year. */
static void test_period_longer_than_year(void **state)
{
	struct fixture *f = *state;
	fx_activity(f, 2, "2024-03-01", "presentation_mandat", 0, 0, 0, 0, 0, 0);
	fx_activity(f, 2, "2024-11-01", "presentation_mandat", 0, 0, 0, 0, 0, 0);
	fx_activity(f, 3, "2025-05-01", "presentation_mandat", 0, 0, 0, 0, 0, 0);
	fx_reindex(f);
	struct report r = fx_report(f, "A", "2024-01-01", "2025-06-30", REPORT_VIEW_COMITE);
	const struct ind_result *x = fx_get(&r, "arr.presentations_mandat");
	assert_near(x->value, 3);
	const struct report_breakdown *b = fx_breakdown(x, "par_annee");
	assert_int_equal(b->n_cells, 2);
	assert_near(fx_cell(b, "2024")->value, 2);
	assert_near(fx_cell(b, "2025")->value, 1);
	assert_near(fx_get(&r, "act.activites")->value, 3);
	/* one year exactly: no per-year breakdown */
	r = fx_report(f, "A", "2024-01-01", "2024-12-31", REPORT_VIEW_COMITE);
	assert_int_equal(fx_get(&r, "arr.presentations_mandat")->n_breakdowns, 0);
}

/* Trend: the four calendar quarters ending with the one holding as_of. */
static void test_trend_quarters(void **state)
{
	struct fixture *f = *state;
	fx_activity(f, 2, "2024-08-10", "accompagnement", 1, 0, 0, 0, 0, 0);
	fx_activity(f, 2, "2024-12-31", "accompagnement", 1, 0, 0, 0, 0, 0);
	fx_activity(f, 2, "2025-01-01", "accompagnement", 1, 0, 0, 0, 0, 0);
	fx_activity(f, 2, "2025-05-10", "accompagnement", 1, 0, 0, 0, 0, 0);
	fx_activity(f, 2, "2025-05-20", "accompagnement", 1, 0, 0, 0, 0, 0); /* after as_of */
	fx_reindex(f);
	static const char *const ids[] = {"act.activites"};
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = "A";
	rq.from = fx_date("2025-01-01");
	rq.to = fx_date("2025-06-30");
	rq.as_of = fx_date("2025-05-15");
	rq.has_as_of = true;
	rq.only_ids = ids;
	rq.n_only_ids = 1;
	struct report_trend t;
	assert_int_equal(report_trend_quarters(f->db, f->ar, &rq, &t), PERR_OK);
	assert_int_equal(t.n, 4);
	static const char *const labels[] = {"2024-T3", "2024-T4", "2025-T1", "2025-T2"};
	static const double counts[] = {1, 1, 1, 1};
	for (int k = 0; k < 4; k++) {
		assert_string_equal(t.quarters[k].label, labels[k]);
		assert_int_equal(t.quarters[k].report.n_indicators, 1);
		assert_near(fx_get(&t.quarters[k].report, "act.activites")->value, counts[k]);
	}
	char d[11];
	ptime_format_date(&t.quarters[3].report.scope.to, d);
	assert_string_equal(d, "2025-05-15");
}

/* The trend reads the trajectories once (for its latest quarter, through
 * a shared report_cache) and cuts them at each quarter's as_of: every
 * quarter must equal the same quarter computed alone. The referrals are
 * spread so each quarter sees a different state: taken, lost and still
 * open referrals, one taken only after a quarter's end and one closed
 * after it. */
static void test_trend_shared_trajectories(void **state)
{
	struct fixture *f = *state;
	struct pdate d;
	char sql[2048];
	const char *rows[][6] = {
		/* id, prev, sent, taken, closed, outcome */
		{"1", "NULL", "2024-07-02", "2024-07-03", "NULL", "'prise_en_charge'"},
		{"2", "NULL", "2024-08-01", "NULL", "2024-08-20", "'reorientee'"},
		{"3", "2", "2024-08-21", "2024-10-05", "NULL", "'prise_en_charge'"},
		{"4", "NULL", "2024-11-15", "NULL", "2025-02-01", "'perdue'"},
		{"5", "NULL", "2025-01-10", "2025-01-11", "NULL", "'prise_en_charge'"},
		{"6", "NULL", "2025-03-25", "NULL", "NULL", "NULL"},
		{"7", "NULL", "2025-04-02", "2025-04-30", "NULL", "'prise_en_charge'"},
	};
	exec_ok(f->db, "INSERT INTO family (id, ext_id, organisation_id, code, opened) VALUES"
		       " (1, 'f1', 1, 'F-1', '2024-01-01')");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t t[3] = {0, 0, 0};
		for (int k = 0; k < 3; k++)
			if (strcmp(rows[i][2 + k], "NULL") != 0) {
				assert_int_equal(ptime_parse_date(rows[i][2 + k], &d), 0);
				t[k] = ptime_date_start(&d) + 10 * 3600;
			}
		snprintf(sql, sizeof(sql),
			 "INSERT INTO referral (id, ext_id, family_id, from_organisation_id,"
			 " to_organisation_id, sent_at, taken_at, closed_at, outcome, previous_id)"
			 " VALUES (%s, 'r%s', 1, 1, 2, %lld, nullif(%lld, 0), nullif(%lld, 0), %s,"
			 " %s)",
			 rows[i][0], rows[i][0], (long long)t[0], (long long)t[1], (long long)t[2],
			 rows[i][5], rows[i][1]);
		exec_ok(f->db, sql);
	}
	static const char *const ids[] = {"arr.delai_prise_en_charge", "arr.taux_echappement",
					  "arr.renvois_boucle"};
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = "A";
	rq.view = REPORT_VIEW_COMPLET;
	rq.from = fx_date("2025-01-01");
	rq.to = fx_date("2025-06-30");
	rq.as_of = fx_date("2025-05-15");
	rq.has_as_of = true;
	rq.only_ids = ids;
	rq.n_only_ids = 3;
	rq.escape_window_days = 30;
	struct report_trend t;
	assert_int_equal(report_trend_quarters(f->db, f->ar, &rq, &t), PERR_OK);
	assert_int_equal(t.n, 4);
	bool differ = false;
	for (int k = 0; k < 4; k++) {
		const struct report *shared = &t.quarters[k].report;
		struct report_request one = rq;
		one.from = shared->scope.from;
		one.to = shared->scope.to;
		one.as_of = shared->scope.as_of;
		struct report alone;
		assert_int_equal(report_compute(f->db, f->ar, &one, &alone), PERR_OK);
		for (size_t i = 0; i < 3; i++) {
			const struct ind_result *a = fx_get(shared, ids[i]),
						*b = fx_get(&alone, ids[i]);
			assert_int_equal(a->has_value, b->has_value);
			assert_near(a->value, b->value);
			assert_int_equal(a->has_n, b->has_n);
			assert_int_equal(a->n, b->n);
			assert_int_equal(a->has_ratio, b->has_ratio);
			assert_near(a->numerator, b->numerator);
			assert_near(a->denominator, b->denominator);
			assert_string_equal(a->display, b->display);
		}
		if (k && fx_get(shared, ids[1])->denominator !=
				 fx_get(&t.quarters[k - 1].report, ids[1])->denominator)
			differ = true;
	}
	/* the quarters are not all alike, so a cut at the wrong as_of shows */
	assert_true(differ);
	/* 2024-T3 (as_of 2024-09-30): trajectories 1 and 2→3 started; 1 is
	 * taken; 3 (sent 2024-08-21) is still open 40 days later, more than
	 * W = 30: escaped. 3 is taken on 2024-10-05, after that quarter. */
	const struct ind_result *e = fx_get(&t.quarters[0].report, "arr.taux_echappement");
	assert_near(e->denominator, 2);
	assert_near(e->numerator, 1);
}

/* JSON: the interchange shape, every key on every indicator. */
static void test_json_shape(void **state)
{
	struct fixture *f = *state;
	fx_activity(f, 2, "2025-02-01", "accompagnement", 10, 0, 0, 0, 0, 0);
	fx_reindex(f);
	struct report r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_COMITE);
	json_t *root = fx_report_json(&r);
	json_t *scope = json_object_get(root, "scope");
	assert_string_equal(json_string_value(json_object_get(scope, "territory")), "A");
	assert_string_equal(json_string_value(json_object_get(scope, "from")), "2025-01-01");
	assert_string_equal(json_string_value(json_object_get(scope, "to")), "2025-03-31");
	assert_string_equal(json_string_value(json_object_get(scope, "as_of")), "2025-03-31");
	assert_string_equal(json_string_value(json_object_get(scope, "view")), "comite");
	json_t *inds = json_object_get(root, "indicators");
	assert_int_equal(json_array_size(inds), REPORT_N_INDICATORS);
	static const char *const keys[] = {
		"id",     "label",  "value",      "unit",    "n",         "median",      "p90",
		"target", "status", "suppressed", "display", "numerator", "denominator", "details"};
	for (size_t i = 0; i < json_array_size(inds); i++) {
		json_t *x = json_array_get(inds, i);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			assert_non_null(json_object_get(x, keys[k]));
		assert_string_equal(json_string_value(json_object_get(x, "id")), REPORT_IDS[i]);
		assert_true(json_is_object(json_object_get(x, "details")));
	}
	json_t *delai = json_array_get(inds, 3);
	json_t *target = json_object_get(delai, "target");
	assert_string_equal(json_string_value(json_object_get(target, "op")), "<=");
	assert_int_equal(json_integer_value(json_object_get(target, "value")), 2);
	/* A count of people in the comite view: published through the cell
	 * key, within 2 of the 10 people, and the scope says so. */
	json_t *people = json_array_get(inds, 15);
	json_int_t v = json_integer_value(json_object_get(people, "value"));
	assert_true(v >= 10 - CELLKEY_MAX_CHANGE && v <= 10 + CELLKEY_MAX_CHANGE);
	json_t *prot = json_object_get(scope, "protection");
	assert_string_equal(json_string_value(json_object_get(prot, "method")), "cell_key");
	assert_int_equal(json_integer_value(json_object_get(prot, "max_change")),
			 CELLKEY_MAX_CHANGE);
	json_decref(root);
}

/* CSV: BOM, header, one row per indicator, detail and cell; French Excel
 * variant with ';' and decimal comma. HTML: a standalone page. */
static void test_csv_html(void **state)
{
	struct fixture *f = *state;
	exec_ok(f->db,
		"INSERT INTO survey (ext_id, type, territory_id, date, score) VALUES"
		" ('s1', 'famille', 2, '2025-02-01', 5), ('s2', 'famille', 2, '2025-02-02', 4),"
		" ('s3', 'famille', 2, '2025-02-03', 4), ('s4', 'famille', 3, '2025-02-04', 4),"
		" ('s5', 'famille', 2, '2025-02-05', 4);");
	struct report r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_COMITE);
	struct buf b = BUF_INIT(1 << 24);
	assert_int_equal(report_write_csv(&r, NULL, &b), 0);
	const char head[] = "\xEF\xBB\xBF"
			    "Identifiant,Indicateur,Ventilation,Code,Catégorie,Valeur,Affiché,"
			    "Unité,n,Médiane,90e centile,Numérateur,Dénominateur,Cible,"
			    "Valeur cible,Statut,Caviardé\r\n";
	assert_memory_equal(b.data, head, sizeof(head) - 1);
	/* statuses and suppression in words, never their codes */
	assert_non_null(strstr(b.data, ",cible atteinte,"));
	assert_null(strstr(b.data, "sans_cible"));
	assert_null(strstr(b.data, "atteint,"));
	assert_null(strstr(b.data, ",false"));
	size_t rows = 0, expect = 1;
	for (size_t i = 0; i < b.len; i++)
		rows += b.data[i] == '\n';
	for (size_t i = 0; i < r.n_indicators; i++) {
		expect += 1 + r.indicators[i].n_details;
		for (size_t k = 0; k < r.indicators[i].n_breakdowns; k++)
			expect += r.indicators[i].breakdowns[k].n_cells;
	}
	expect++; /* the last row says how counts of people are protected */
	assert_int_equal(rows, expect);
	assert_non_null(strstr(b.data, "\nprotection,"));
	assert_non_null(strstr(b.data, "arr.satisfaction_familles,"));
	assert_non_null(strstr(b.data, ",4.2,"));
	buf_reset(&b);
	struct report_csv_options fr = {.sep = ';', .decimal_comma = true, .bom = true};
	assert_int_equal(report_write_csv(&r, &fr, &b), 0);
	assert_non_null(strstr(b.data, ";4,2;"));
	buf_reset(&b);
	assert_int_equal(report_write_html(&r, &b), 0);
	assert_memory_equal(b.data, "<!DOCTYPE html>", 15);
	assert_non_null(strstr(b.data, "id=\"act.trous_service\""));
	assert_null(strstr(b.data, "<script"));
	buf_free(&b);
}

/* English labels through the catalogue. */
static void test_english(void **state)
{
	struct fixture *f = *state;
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = "A";
	rq.from = fx_date("2025-01-01");
	rq.to = fx_date("2025-03-31");
	rq.lang = "en";
	struct report r;
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_OK);
	assert_string_equal(fx_get(&r, "act.personnes_rejointes")->label, "People reached");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_id_empty_scope, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_one_row_per_indicator, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_subterritory_rollup, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_target_status, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_portrait_corridors, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_period_longer_than_year, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_trend_quarters, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_trend_shared_trajectories, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_json_shape, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_csv_html, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_english, fx_setup, fx_teardown),
	};
	setenv("TZ", "America/Toronto", 1);
	ptime_set_zone("America/Toronto");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
