/* Small-cell suppression inside the engine (indicators.md "Common rules",
 * domain.md): canary figures planted in the data must not reach any
 * comite/analyste output (JSON, CSV, HTML bytes), complementary
 * suppression protects a cell that its total would give back, statistics
 * over families and over PAP are hidden under the threshold, the
 * threshold comes from the settings, and the gestionnaire and complet
 * views are not suppressed.
 *
 * Canary data on territory A, 2025-01-01..2025-03-31:
 *   people reached: adults 98765, children 0-5 = 3 (primary, "<5"),
 *   children 6-17 = 4321 (smallest other non-zero cell: complementary);
 *   hors réseau = 2 ("<5", and its % hidden); new contacts 3 ("<5");
 *   family survey: 3 answers (n < 5: hidden, "n<5");
 *   PAP survey: 2 positions filled (headcount 2 < 5: hidden).
 * In these views the counts of 5 or more are published through the cell
 * key (model/cellkey.h): within 2 of the truth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>

#include "engine_fixture.h"
#include "model/cellkey.h"
#include "model/settings.h"
#include "reports/engine_internal.h"

#define assert_near(x, e) assert_true(fabs((double)(x) - (double)(e)) < 1e-6)
/* A count published through the cell key: within CELLKEY_MAX_CHANGE. */
#define assert_protected(x, e) assert_true(fabs((double)(x) - (double)(e)) <= CELLKEY_MAX_CHANGE)

static void plant_canaries(struct fixture *f)
{
	fx_activity(f, 2, "2025-02-01", "accompagnement", 98765, 3, 4321, 0, 3, 2);
	fx_reindex(f);
	exec_ok(f->db,
		"INSERT INTO survey (ext_id, type, territory_id, date, score) VALUES"
		" ('f1', 'famille', 2, '2025-02-01', 1), ('f2', 'famille', 2, '2025-02-02', 1),"
		" ('f3', 'famille', 2, '2025-02-03', 2);"
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date) "
		"VALUES"
		" (1, 'P1', 1, 2, '2024-01-01'), (2, 'P2', 1, 2, '2024-01-01');"
		"INSERT INTO position_holder (position_id, person_id, from_date) VALUES"
		" (1, 1, '2024-01-01'), (2, 2, '2024-01-01');"
		"INSERT INTO survey (ext_id, type, person_id, territory_id, date, score) VALUES"
		" ('q1', 'pap', 1, 2, '2025-02-01', 1), ('q2', 'pap', 2, 2, '2025-02-01', 2);");
}

/* Every output of r in one buffer. */
static void render_all(const struct report *r, struct buf *b)
{
	struct report_csv_options fr = {.sep = ';', .decimal_comma = true, .bom = true};
	assert_int_equal(report_write_json(r, b), 0);
	assert_int_equal(report_write_csv(r, NULL, b), 0);
	assert_int_equal(report_write_csv(r, &fr, b), 0);
	assert_int_equal(report_write_html(r, b), 0);
}

static void test_canaries_hidden_in_every_output(void **state)
{
	struct fixture *f = *state;
	plant_canaries(f);
	for (int v = REPORT_VIEW_COMITE; v <= REPORT_VIEW_ANALYSTE; v++) {
		struct report r =
			fx_report(f, "A", "2025-01-01", "2025-03-31", (enum report_view)v);
		struct buf b = BUF_INIT(1 << 24);
		render_all(&r, &b);
		/* the complementary cell, its total, the mean of 1,1,2 */
		assert_null(strstr(b.data, "4321"));
		assert_null(strstr(b.data, "1.3"));
		assert_null(strstr(b.data, "1,3"));
		assert_non_null(strstr(b.data, "<5"));

		const struct ind_result *p = fx_get(&r, "act.personnes_rejointes");
		assert_true(p->has_value);
		assert_protected(p->value, 98765 + 3 + 4321);
		const struct report_breakdown *age = fx_breakdown(p, "par_groupe_age");
		/* shown (protected by the pair), as published */
		const struct report_cell *adults = fx_cell(age, "adultes");
		assert_protected(adults->value, 98765);
		assert_non_null(strstr(b.data, adults->display));
		buf_free(&b);
		const struct report_cell *c05 = fx_cell(age, "enfants_0_5");
		assert_true(c05->suppressed);
		assert_false(c05->has_value);
		assert_near(c05->value, 0); /* overwritten, not only flagged */
		assert_string_equal(c05->display, "<5");
		const struct report_cell *c617 = fx_cell(age, "enfants_6_17");
		assert_true(c617->suppressed);
		assert_true(c617->complementary);
		assert_near(c617->value, 0);
		assert_false(fx_cell(age, "adultes")->suppressed);

		const struct ind_result *h = fx_get(&r, "act.hors_reseau");
		assert_true(h->suppressed);
		assert_false(h->has_value);
		assert_string_equal(h->display, "<5");
		assert_true(fx_detail(h, "pct")->suppressed);
		const struct ind_result *nc = fx_get(&r, "act.nouveaux_contacts");
		assert_true(nc->suppressed);
		assert_true(fx_detail(nc, "pct_proactifs")->suppressed);

		const struct ind_result *sf = fx_get(&r, "arr.satisfaction_familles");
		assert_true(sf->suppressed);
		assert_false(sf->has_value);
		assert_false(sf->has_n);
		assert_string_equal(sf->display, "n<5");
		assert_int_equal(sf->status, REPORT_STATUS_INSUFFISANT);
		const struct ind_result *sp = fx_get(&r, "arr.satisfaction_pap");
		assert_true(sp->suppressed);
		assert_false(sp->has_value);
		assert_true(fx_detail(sp, "effectif_moyen")->suppressed);
		assert_true(fx_get(&r, "arr.roulement")->suppressed);
		assert_true(fx_get(&r, "arr.demandes_soutien")->suppressed);
		/* counts of activities identify nobody */
		assert_false(fx_get(&r, "act.activites")->suppressed);
		assert_near(fx_get(&r, "act.activites")->value, 1);
	}
}

/* JSON: a suppressed figure is null with "suppressed": true and its
 * display. */
static void test_json_nulls(void **state)
{
	struct fixture *f = *state;
	plant_canaries(f);
	struct report r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_COMITE);
	json_t *root = fx_report_json(&r);
	json_t *inds = json_object_get(root, "indicators");
	json_t *h = NULL, *sf = NULL, *p = NULL;
	for (size_t i = 0; i < json_array_size(inds); i++) {
		json_t *x = json_array_get(inds, i);
		const char *id = json_string_value(json_object_get(x, "id"));
		if (strcmp(id, "act.hors_reseau") == 0)
			h = x;
		else if (strcmp(id, "arr.satisfaction_familles") == 0)
			sf = x;
		else if (strcmp(id, "act.personnes_rejointes") == 0)
			p = x;
	}
	assert_true(json_is_null(json_object_get(h, "value")));
	assert_true(json_is_true(json_object_get(h, "suppressed")));
	assert_string_equal(json_string_value(json_object_get(h, "display")), "<5");
	assert_true(json_is_null(json_object_get(sf, "value")));
	assert_true(json_is_null(json_object_get(sf, "n")));
	assert_true(json_is_true(json_object_get(sf, "suppressed")));
	json_t *age = json_object_get(json_object_get(p, "details"), "par_groupe_age");
	int hidden = 0;
	for (size_t i = 0; i < json_array_size(age); i++) {
		json_t *c = json_array_get(age, i);
		if (json_is_true(json_object_get(c, "suppressed"))) {
			assert_true(json_is_null(json_object_get(c, "value")));
			hidden++;
		}
	}
	assert_int_equal(hidden, 2);
	json_decref(root);
}

/* gestionnaire and complet: nothing hidden, but for the survey's promise:
 * the manager reads no team mean of fewer than 5 respondents (2 here). */
static void test_unsuppressed_views(void **state)
{
	struct fixture *f = *state;
	plant_canaries(f);
	for (int v = REPORT_VIEW_COMPLET; v <= REPORT_VIEW_GESTIONNAIRE; v++) {
		struct report r =
			fx_report(f, "A", "2025-01-01", "2025-03-31", (enum report_view)v);
		struct buf b = BUF_INIT(1 << 24);
		render_all(&r, &b);
		assert_non_null(strstr(b.data, "4321"));
		buf_free(&b);
		for (size_t i = 0; i < r.n_indicators; i++)
			assert_true(!r.indicators[i].suppressed ||
				    (v == REPORT_VIEW_GESTIONNAIRE &&
				     strcmp(r.indicators[i].id, "arr.satisfaction_pap") == 0));
		const struct report_breakdown *age =
			fx_breakdown(fx_get(&r, "act.personnes_rejointes"), "par_groupe_age");
		assert_near(fx_cell(age, "enfants_0_5")->value, 3);
		assert_near(fx_get(&r, "act.hors_reseau")->value, 2);
		const struct ind_result *sf = fx_get(&r, "arr.satisfaction_familles");
		assert_near(sf->value, 1.3);
		assert_int_equal(sf->n, 3);
		const struct ind_result *sp = fx_get(&r, "arr.satisfaction_pap");
		if (v == REPORT_VIEW_COMPLET) {
			assert_near(sp->value, 1.5);
		} else {
			assert_true(sp->suppressed);
			assert_false(sp->has_value);
			assert_string_equal(sp->display, "n<5");
		}
	}
}

/* The threshold is configuration: with T = 10 a count of 7 is "<10". */
static void test_threshold_from_settings(void **state)
{
	struct fixture *f = *state;
	fx_activity(f, 2, "2025-02-01", "accompagnement", 7, 0, 0, 0, 0, 0);
	fx_reindex(f);
	struct report r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_COMITE);
	assert_protected(fx_get(&r, "act.personnes_rejointes")->value, 7);
	assert_int_equal(settings_set(f->db, SETTING_SMALL_CELL_THRESHOLD, "10"), SETTING_OK);
	r = fx_report(f, "A", "2025-01-01", "2025-03-31", REPORT_VIEW_ANALYSTE);
	assert_int_equal(r.scope.threshold, 10);
	const struct ind_result *p = fx_get(&r, "act.personnes_rejointes");
	assert_true(p->suppressed);
	assert_string_equal(p->display, "<10");
}

/* Complementary suppression on synthetic breakdowns. */
static void test_complementary(void **state)
{
	(void)state;
	struct report_cell cells[4];
	struct report_breakdown b = {.name = "t", .cells = cells, .n_cells = 4, .additive = true};
	static const double v[4] = {3, 0, 12, 8};
	for (int i = 0; i < 4; i++)
		cells[i] = (struct report_cell){.key = "k", .value = v[i], .has_value = true};
	cells[0] = (struct report_cell){.suppressed = true, .display = "<5"};
	report_suppress_complementary(&b, true);
	assert_true(cells[3].suppressed); /* 8: the smallest non-zero one left */
	assert_true(cells[3].complementary);
	assert_false(cells[1].suppressed); /* 0 protects nothing */
	assert_false(cells[2].suppressed);
	/* two cells hidden already: nothing more */
	cells[2] = (struct report_cell){.value = 12, .has_value = true};
	report_suppress_complementary(&b, true);
	assert_false(cells[2].suppressed);
	/* total not shown: nothing to recover from */
	cells[3] = (struct report_cell){.value = 8, .has_value = true};
	report_suppress_complementary(&b, false);
	assert_false(cells[3].suppressed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_canaries_hidden_in_every_output, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_json_nulls, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unsuppressed_views, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_threshold_from_settings, fx_setup,
						fx_teardown),
		cmocka_unit_test(test_complementary),
	};
	setenv("TZ", "America/Toronto", 1);
	ptime_set_zone("America/Toronto");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
