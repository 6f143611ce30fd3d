/* Numbers as entered, statuses on the unrounded value (indicators.md
 * "Precision", issue 14 item 2):
 *  - the portrait reports 6.01 as 6.01 and 19.64 as 19.64 in every output
 *    (JSON, CSV, HTML, XLSX, PDF, the corridor page's formatter);
 *  - a mean delay of 2.02 days is reported 2.0 but non_atteint (the target
 *    is "<= 2"); a family satisfaction of 3.96 is reported 4.0 but
 *    non_atteint (">= 4"); an escape rate of 9.96 % is reported 10.0 and
 *    atteint ("< 10");
 *  - a suppressed mean reads "n<5" in the charts as in the tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "core/ptime.h"
#include "db/db.h"
#include "interchange/interchange.h"
#include "reports/chart.h"
#include "reports/export.h"
#include "reports/report.h"
#include "support/scratch_db.h"

/* Territory T: two portrait figures with two decimals; one referral taken
 * in charge 2.02 days (48 h 28 min 48 s) after it was sent; 25 family
 * answers averaging 3.96 (24 × 4 and one 3). Territory E: 251
 * trajectories sent in March, 25 of them lost: 9.96 % escaped. */
static void write_fixture(struct buf *b)
{
	buf_puts(b,
		 "{\"kind\":\"territory\",\"id\":\"T\",\"name\":\"Territoire T\"}\n"
		 "{\"kind\":\"territory\",\"id\":\"E\",\"name\":\"Territoire E\"}\n"
		 "{\"kind\":\"portrait\",\"id\":\"P1\",\"territory\":\"T\","
		 "\"indicator\":\"faible_revenu\",\"label\":\"Faible revenu\","
		 "\"value\":6.01,\"unit\":\"%\"}\n"
		 "{\"kind\":\"portrait\",\"id\":\"P2\",\"territory\":\"T\","
		 "\"indicator\":\"immigration\",\"label\":\"Immigration récente\","
		 "\"value\":19.64,\"unit\":\"%\"}\n"
		 "{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
		 "\"territories\":[\"T\",\"E\"]}\n"
		 "{\"kind\":\"organisation\",\"id\":\"Y\",\"name\":\"Maison Y\",\"sector\":"
		 "\"COMM\",\"territories\":[\"T\",\"E\"]}\n"
		 "{\"kind\":\"family\",\"id\":\"F1\",\"organisation\":\"X\",\"code\":\"F1\","
		 "\"opened\":\"2025-01-10\"}\n"
		 "{\"kind\":\"corridor\",\"id\":\"C\",\"territory\":\"T\",\"name\":\"Corridor\","
		 "\"entry_organisation\":\"Y\"}\n"
		 "{\"kind\":\"corridor\",\"id\":\"CE\",\"territory\":\"E\",\"name\":\"Corridor E\","
		 "\"entry_organisation\":\"Y\"}\n"
		 "{\"kind\":\"referral\",\"id\":\"R1\",\"family\":\"F1\",\"corridor\":\"C\","
		 "\"from_organisation\":\"X\",\"to_organisation\":\"Y\","
		 "\"sent_at\":\"2025-03-03T09:00:00\",\"taken_at\":\"2025-03-05T09:28:48\","
		 "\"outcome\":\"prise_en_charge\"}\n"
		 "{\"kind\":\"project\",\"id\":\"PR\",\"territory\":\"T\",\"name\":\"Projet\","
		 "\"start\":\"2025-01-01\"}\n");
	for (int i = 0; i < 25; i++)
		buf_printf(b,
			   "{\"kind\":\"survey\",\"id\":\"S%d\",\"type\":\"famille\",\"project\":"
			   "\"PR\",\"territory\":\"T\",\"date\":\"2025-03-10\",\"score\":%d}\n",
			   i, i == 0 ? 3 : 4);
	for (int i = 0; i < 251; i++)
		buf_printf(
			b,
			"{\"kind\":\"family\",\"id\":\"FE%d\",\"organisation\":\"X\",\"code\":"
			"\"FE%d\",\"opened\":\"2025-01-10\"}\n"
			"{\"kind\":\"referral\",\"id\":\"RE%d\",\"family\":\"FE%d\","
			"\"corridor\":\"CE\",\"from_organisation\":\"X\",\"to_organisation\":\"Y\","
			"\"sent_at\":\"2025-03-03T09:00\",\"closed_at\":\"2025-03-04T09:00\",%s"
			"\"outcome\":\"%s\"}\n",
			i, i, i, i, i < 25 ? "" : "\"taken_at\":\"2025-03-04T09:00\",",
			i < 25 ? "perdue" : "prise_en_charge");
}

static struct scratch_files *F;

static int group_setup(void **state)
{
	(void)state;
	if (!(F = scratch_files_new("precision")))
		return -1;
	struct buf b = BUF_INIT(4u << 20);
	write_fixture(&b);
	int rc = scratch_import(F->db, b.data, b.len);
	buf_free(&b);
	return rc;
}

static int group_teardown(void **state)
{
	(void)state;
	scratch_files_free(F);
	return 0;
}

/* The report of territory for March 2025 in view, language lang. */
static void compute(const char *territory, enum report_view view, const char *lang,
		    struct report *r)
{
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = territory;
	rq.view = view;
	rq.lang = lang;
	ptime_parse_date("2025-03-01", &rq.from);
	ptime_parse_date("2025-03-31", &rq.to);
	ptime_parse_date("2025-05-31", &rq.as_of);
	rq.has_as_of = true;
	assert_int_equal(report_compute(F->db, F->a, &rq, r), PERR_OK);
}

static const struct report_breakdown *portrait(const struct report *r)
{
	const struct ind_result *x = report_find(r, "arr.portrait");
	assert_non_null(x);
	assert_int_equal(x->n_breakdowns, 1);
	return &x->breakdowns[0];
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = BUF_INIT(64u << 20);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(buf_append(&b, chunk, n), 0);
	fclose(f);
	return buf_detach(&b, NULL);
}

/* Runs "<tool> '<in>' <args> > '<in>.txt'" and returns the text it wrote
 * (malloc'd). */
static char *run_to_text(const char *tool, const char *in, const char *args)
{
	const char *out = arena_printf(F->a, "%s.txt", in);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "%s '%s' %s > '%s'", tool, in, args, out);
	int rc = system(cmd);
	assert_true(rc != -1 && WEXITSTATUS(rc) == 0);
	return slurp(out);
}

static void test_portrait_as_entered(void **state)
{
	(void)state;
	struct report fr, en;
	compute("T", REPORT_VIEW_COMITE, "fr", &fr);
	compute("T", REPORT_VIEW_COMITE, "en", &en);
	const struct report_breakdown *b = portrait(&fr);
	assert_int_equal(b->n_cells, 2);
	assert_string_equal(b->cells[0].display, "6,01");
	assert_string_equal(b->cells[1].display, "19,64");
	assert_string_equal(portrait(&en)->cells[0].display, "6.01");
	assert_string_equal(report_format_exact(F->a, "fr", 19.64), "19,64");
	assert_string_equal(report_format_exact(F->a, "en", -2.5), "-2.5");
	assert_string_equal(report_format_exact(F->a, "fr", 12), "12");

	struct buf out = BUF_INIT(16u << 20);
	assert_int_equal(report_write_json(&fr, &out), 0);
	assert_non_null(strstr(out.data, "\"value\":6.01,"));
	assert_non_null(strstr(out.data, "\"value\":19.64,"));
	buf_reset(&out);
	struct report_csv_options o = {.sep = ',', .bom = true};
	assert_int_equal(report_write_csv(&en, &o, &out), 0);
	assert_non_null(strstr(out.data, ",6.01,6.01,"));
	assert_non_null(strstr(out.data, ",19.64,19.64,"));
	buf_reset(&out);
	assert_int_equal(report_write_html(&fr, &out), 0);
	assert_non_null(strstr(out.data, ">6,01<"));
	assert_non_null(strstr(out.data, ">19,64<"));
	buf_free(&out);

	/* XLSX: the numbers, in the general format (which shows them as
	 * entered), not one with one decimal. */
	const char *xlsx = arena_printf(F->a, "%s/r.xlsx", F->dir);
	assert_int_equal(report_write_xlsx(&fr, xlsx, NULL), 0);
	char *xml = run_to_text("unzip -p", xlsx, "'xl/worksheets/*.xml'");
	const char *v = strstr(xml, "<v>6.01</v>");
	assert_non_null(v);
	const char *cell = v;
	while (cell > xml && strncmp(cell, "<c ", 3) != 0)
		cell--;
	assert_null(memmem(cell, (size_t)(v - cell), " s=\"", 4));
	assert_non_null(strstr(xml, "<v>19.64</v>"));
	free(xml);

	/* PDF: the figures behind the portrait's chart, as text. */
	const char *pdf = arena_printf(F->a, "%s/r.pdf", F->dir);
	assert_int_equal(report_write_pdf(&fr, pdf, NULL), 0);
	char *t = run_to_text("pdftotext -enc UTF-8", pdf, "-");
	assert_non_null(strstr(t, "6,01"));
	assert_non_null(strstr(t, "19,64"));
	free(t);
}

static void test_status_on_unrounded_value(void **state)
{
	(void)state;
	struct report r;
	compute("T", REPORT_VIEW_COMPLET, "fr", &r);
	const struct ind_result *d = report_find(&r, "arr.delai_prise_en_charge");
	assert_true(d->has_value);
	assert_int_equal(d->n, 1);
	assert_true(d->value == 2.0);
	assert_string_equal(d->display, "2");
	assert_int_equal(d->status, REPORT_STATUS_NON_ATTEINT);
	const struct ind_result *s = report_find(&r, "arr.satisfaction_familles");
	assert_int_equal(s->n, 25);
	assert_true(s->value == 4.0);
	assert_int_equal(s->status, REPORT_STATUS_NON_ATTEINT);
	struct buf out = BUF_INIT(16u << 20);
	assert_int_equal(report_write_json(&r, &out), 0);
	const char *j = strstr(out.data, "\"id\":\"arr.delai_prise_en_charge\"");
	assert_non_null(j);
	const char *st = strstr(j, "\"status\":");
	assert_non_null(st);
	assert_int_equal(strncmp(st, "\"status\":\"non_atteint\"", 22), 0);
	buf_free(&out);

	compute("E", REPORT_VIEW_COMPLET, "fr", &r);
	const struct ind_result *e = report_find(&r, "arr.taux_echappement");
	assert_true(e->has_value);
	assert_true(e->value == 10.0);
	assert_int_equal(e->status, REPORT_STATUS_ATTEINT);
}

/* The comite view hides the mean delay of one trajectory: "n<5" in the
 * table and in the gauge and trend charts of the dashboards and the PDF
 * (chart.hidden), "<5" for a count. */
static void test_suppressed_mean_in_charts(void **state)
{
	(void)state;
	struct report r;
	compute("T", REPORT_VIEW_COMITE, "fr", &r);
	const struct ind_result *d = report_find(&r, "arr.delai_prise_en_charge");
	assert_true(d->suppressed);
	assert_string_equal(d->display, "n<5");
	double v = 0;
	unsigned char m = CHART_SUPPRESSED;
	const char *cat = "T", *hidden = d->display;
	struct chart c = {.kind = CHART_GAUGE,
			  .title = d->label,
			  .lang = "fr",
			  .n_series = 1,
			  .n_cats = 1,
			  .cats = &cat,
			  .values = &v,
			  .marks = &m,
			  .hidden = &hidden,
			  .decimals = 1,
			  .has_target = true,
			  .target = 2};
	struct buf out = BUF_INIT(1u << 20);
	assert_int_equal(chart_svg(&c, "g", &out), 0);
	assert_non_null(strstr(out.data, ">n&lt;5<"));
	buf_reset(&out);
	assert_int_equal(chart_table_html(&c, &out), 0);
	assert_non_null(strstr(out.data, ">n&lt;5<"));
	/* Without a hidden text, a count's "<5". */
	c.hidden = NULL;
	buf_reset(&out);
	assert_int_equal(chart_svg(&c, "g", &out), 0);
	assert_null(strstr(out.data, "n&lt;5"));
	assert_non_null(strstr(out.data, ">&lt;5<"));
	buf_free(&out);
	/* The PDF report: its gauge says "n<5" as its table does. */
	const char *pdf = arena_printf(F->a, "%s/comite.pdf", F->dir);
	assert_int_equal(report_write_pdf(&r, pdf, NULL), 0);
	char *t = run_to_text("pdftotext -enc UTF-8", pdf, "-");
	/* A gauge shows the value, then "données insuffisantes". */
	assert_non_null(strstr(t, "\nn<5\n\ndonnées insuffisantes"));
	assert_null(strstr(t, "\n<5\n\ndonnées insuffisantes"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_portrait_as_entered),
		cmocka_unit_test(test_status_on_unrounded_value),
		cmocka_unit_test(test_suppressed_mean_in_charts),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
