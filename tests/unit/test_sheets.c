/* Spreadsheet formulas (issue 14, item 10): every text cell of every CSV
 * and XLSX Proxima writes (the report's CSV and XLSX, proxima
 * export-activities' CSV and XLSX) that a spreadsheet could take for a
 * formula (=, +, -, @, a tab or a carriage return first) is written with a
 * ' before it; numbers stay numbers. The data plants formulas in every
 * kind of text a file carries: external ids, names, labels, codes. */
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
#include "core/escape.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/act_export.h"
#include "interchange/interchange.h"
#include "reports/export.h"
#include "reports/report.h"
#include "support/scratch_db.h"

#define CALC "-1+1+cmd|' /C calc'!A0"

/* Formulas everywhere a spreadsheet cell gets text from. */
static const char planted[] =
	"{\"kind\":\"sector\",\"id\":\"+SEC\",\"name\":\"@SUM(1+1)\"}\n"
	"{\"kind\":\"territory\",\"id\":\"T\",\"name\":\"=HYPERLINK(\\\"http://x\\\")\"}\n"
	"{\"kind\":\"portrait\",\"id\":\"P1\",\"territory\":\"T\",\"indicator\":\"-ind\","
	"\"label\":\"" CALC "\",\"value\":-2.5}\n"
	"{\"kind\":\"organisation\",\"id\":\"@ORG\",\"name\":\"" CALC "\",\"sector\":\"+SEC\","
	"\"territories\":[\"T\"]}\n"
	"{\"kind\":\"person\",\"id\":\"=p1\",\"name\":\"+33 Pap\",\"role\":\"pap\","
	"\"organisation\":\"@ORG\",\"territory\":\"T\"}\n"
	"{\"kind\":\"ref_item\",\"id\":\"need:-besoin:@ORG\",\"list\":\"need\",\"code\":\"-"
	"besoin\","
	"\"label_fr\":\"=1+1\",\"organisation\":\"@ORG\"}\n"
	"{\"kind\":\"activity\",\"id\":\"=1+1\",\"author\":\"=p1\",\"territory\":\"T\","
	"\"date\":\"2025-03-05\",\"duration_min\":30,\"type\":\"contact_informel\","
	"\"needs\":[\"-besoin\"],\"counts\":{\"adults\":7}}\n"
	"{\"kind\":\"activity\",\"id\":\"@SUM(1+1)\",\"author\":\"=p1\",\"territory\":\"T\","
	"\"date\":\"2025-03-06\",\"duration_min\":45,\"type\":\"contact_informel\"}\n"
	"{\"kind\":\"corridor\",\"id\":\"C1\",\"territory\":\"T\",\"name\":\"" CALC "\","
	"\"entry_organisation\":\"@ORG\",\"portrait_indicators\":[\"-ind\"]}\n";

static struct scratch_files *F;

static int group_setup(void **state)
{
	(void)state;
	if (!(F = scratch_files_new("sheets")))
		return -1;
	return scratch_import(F->db, planted, strlen(planted));
}

static int group_teardown(void **state)
{
	(void)state;
	scratch_files_free(F);
	return 0;
}

/* ---- reading the files back */

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

/* Every field of a CSV text (sep, '"' quoting), unquoted, as an arena
 * array of rows of fields; *rows gets the number of rows. */
struct csv_row {
	const char **f;
	size_t n;
};
static struct csv_row *csv_parse(const char *s, char sep, size_t *rows)
{
	if (strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	struct csv_row *out = NULL;
	size_t nr = 0, capr = 0;
	while (*s) {
		out = arena_grow(F->a, out, nr, &capr, sizeof(*out));
		struct csv_row *r = &out[nr++];
		size_t capf = 0;
		r->f = NULL;
		r->n = 0;
		for (;;) {
			struct buf b = BUF_INIT(1 << 20);
			if (*s == '"') {
				for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
					if (*s == '"')
						s++;
					buf_putc(&b, *s);
				}
				if (*s == '"')
					s++;
			} else {
				while (*s && *s != sep && *s != '\r' && *s != '\n')
					buf_putc(&b, *s++);
			}
			r->f = arena_grow(F->a, r->f, r->n, &capf, sizeof(*r->f));
			r->f[r->n++] = arena_strdup(F->a, b.data);
			buf_free(&b);
			if (*s == sep) {
				s++;
				continue;
			}
			break;
		}
		while (*s == '\r' || *s == '\n')
			s++;
	}
	*rows = nr;
	return out;
}

/* No field of rows (the header excepted) could be read as a formula. */
static void expect_no_formula(const struct csv_row *rows, size_t n, const char *what)
{
	for (size_t i = 1; i < n; i++)
		for (size_t k = 0; k < rows[i].n; k++)
			if (sheet_is_formula(rows[i].f[k]))
				fail_msg("%s, row %zu, field %zu: formula %s", what, i + 1, k + 1,
					 rows[i].f[k]);
}

/* True when some field of rows is exactly s. */
static bool has_field(const struct csv_row *rows, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < rows[i].n; k++)
			if (strcmp(rows[i].f[k], s) == 0)
				return true;
	return false;
}

/* The text of every cell of an XLSX (shared and inline strings), one per
 * line, XML entities left as they are. */
static char *xlsx_strings(const char *xlsx)
{
	const char *txt = arena_printf(F->a, "%s.strings", xlsx);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "unzip -p '%s' 'xl/sharedStrings.xml' 'xl/worksheets/*.xml' 2>/dev/null | "
		 "grep -o '<t[^>]*>[^<]*</t>' | sed 's/<t[^>]*>//; s/<\\/t>$//' > '%s'",
		 xlsx, txt);
	int rc = system(cmd);
	assert_true(rc != -1 && WEXITSTATUS(rc) == 0);
	return slurp(txt);
}

static void expect_xlsx_safe(const char *xlsx, const char *const *must)
{
	char *t = xlsx_strings(xlsx);
	for (const char *line = t; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *cell = arena_strndup(F->a, line, len);
		/* a tab or a carriage return is written as itself or as an entity */
		if (sheet_is_formula(cell) || strncmp(cell, "&#9;", 4) == 0 ||
		    strncmp(cell, "&#13;", 5) == 0 || strncmp(cell, "_x0009_", 7) == 0)
			fail_msg("%s: a text cell reads as a formula: %s", xlsx, cell);
		line += len + (end ? 1 : 0);
	}
	for (size_t i = 0; must[i]; i++)
		if (!strstr(t, must[i]))
			fail_msg("%s: no cell %s", xlsx, must[i]);
	free(t);
}

/* ---- tests */

static void test_sheet_text(void **state)
{
	(void)state;
	static const char *const formulas[] = {"=1+1", "+1+1", "-1+1", CALC,  "@SUM(1+1)", "\tx",
					       "\rx",  "-",    "-1e5", "-1.", NULL};
	for (size_t i = 0; formulas[i]; i++) {
		assert_true(sheet_is_formula(formulas[i]));
		const char *t = sheet_text(F->a, formulas[i]);
		assert_int_equal(t[0], '\'');
		assert_string_equal(t + 1, formulas[i]);
	}
	static const char *const plain[] = {"texte", "", "-2.5", "-2,5", "+3", "42", "a=b", NULL};
	for (size_t i = 0; plain[i]; i++) {
		assert_false(sheet_is_formula(plain[i]));
		assert_ptr_equal(sheet_text(F->a, plain[i]), plain[i]);
	}
	assert_null(sheet_text(F->a, NULL));
}

static void test_export_activities_csv(void **state)
{
	(void)state;
	const char *path = arena_printf(F->a, "%s/act.csv", F->dir);
	struct act_export_options o = {.format = ACT_EXPORT_CSV, .view = IX_VIEW_ADMIN};
	struct act_export_result res;
	assert_int_equal(act_export_write(F->db, &o, path, &res), 0);
	assert_int_equal(res.rows, 2);
	char *text = slurp(path);
	size_t n;
	struct csv_row *rows = csv_parse(text, ',', &n);
	assert_int_equal(n, 3);
	expect_no_formula(rows, n, "export-activities csv");
	assert_true(has_field(rows, n, "'=1+1"));
	assert_true(has_field(rows, n, "'@SUM(1+1)"));
	assert_true(has_field(rows, n, "'=p1"));
	assert_true(has_field(rows, n, "'@ORG"));
	assert_true(has_field(rows, n, "'-besoin"));
	/* numbers stay numbers: duration_min (column 8), adults (column 15) */
	assert_string_equal(rows[0].f[7], "duration_min");
	assert_string_equal(rows[1].f[7], "30");
	assert_string_equal(rows[1].f[14], "7");
	free(text);
}

static void test_export_activities_xlsx(void **state)
{
	(void)state;
	const char *path = arena_printf(F->a, "%s/act.xlsx", F->dir);
	struct act_export_options o = {.format = ACT_EXPORT_XLSX, .view = IX_VIEW_ADMIN};
	struct act_export_result res;
	assert_int_equal(act_export_write(F->db, &o, path, &res), 0);
	assert_int_equal(res.rows, 2);
	static const char *const must[] = {"'=1+1", "'@SUM(1+1)", "'=p1", "'-besoin", NULL};
	expect_xlsx_safe(path, must);
}

/* The report of territory T for March 2025, complet view. */
static void compute(struct report *r)
{
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = "T";
	rq.view = REPORT_VIEW_COMPLET;
	ptime_parse_date("2025-03-01", &rq.from);
	ptime_parse_date("2025-03-31", &rq.to);
	assert_int_equal(report_compute(F->db, F->a, &rq, r), PERR_OK);
}

static void test_report_csv(void **state)
{
	(void)state;
	struct report r;
	compute(&r);
	struct buf out = BUF_INIT(16u << 20);
	struct report_csv_options o = {.sep = ',', .bom = true};
	assert_int_equal(report_write_csv(&r, &o, &out), 0);
	size_t n;
	struct csv_row *rows = csv_parse(out.data, ',', &n);
	expect_no_formula(rows, n, "report csv");
	assert_true(has_field(rows, n, "'" CALC));
	/* The portrait's value, entered as -2.5, is a number in the value
	 * column (6th) of its row. */
	bool seen = false;
	for (size_t i = 1; i < n; i++)
		if (rows[i].n > 5 && strcmp(rows[i].f[0], "arr.portrait") == 0 &&
		    strcmp(rows[i].f[3], "'-ind") == 0) {
			assert_string_equal(rows[i].f[5], "-2.5");
			seen = true;
		}
	assert_true(seen);
	buf_free(&out);
}

static void test_report_xlsx(void **state)
{
	(void)state;
	struct report r;
	compute(&r);
	const char *path = arena_printf(F->a, "%s/report.xlsx", F->dir);
	assert_int_equal(report_write_xlsx(&r, path, NULL), 0);
	static const char *const must[] = {"'" CALC, "'=HYPERLINK(\"http://x\")", NULL};
	expect_xlsx_safe(path, must);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet_text),
		cmocka_unit_test(test_export_activities_csv),
		cmocka_unit_test(test_export_activities_xlsx),
		cmocka_unit_test(test_report_csv),
		cmocka_unit_test(test_report_xlsx),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
