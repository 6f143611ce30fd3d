/* The chart module (reports/chart.h): inline SVG is well formed and
 * carries its text alternative, ids differ between two charts, PNG bytes
 * are a PNG, charts drawn into a PDF make pages, suppressed cells show
 * "<5" and never their number, numbers follow the language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "reports/chart.h"

static const char *const cats[] = {"T1", "T2", "T3 & plus", "T4"};
static const char *const series[] = {"Démarchage", "Accompagnement"};
static const double values[] = {12, 7.5, 9, 0, 4, 6, 2, 11};
static const unsigned char marks[] = {0, 0, 0, CHART_MISSING, 0, CHART_SUPPRESSED, 0, 0};

static struct chart sample(enum chart_kind k)
{
	struct chart c = {
		.kind = k,
		.title = "Activités par composante <trimestre>",
		.unit = "nombre",
		.lang = "fr",
		.n_series = 2,
		.n_cats = 4,
		.series = series,
		.cats = cats,
		.values = values,
		.marks = marks,
		.decimals = 1,
		.has_target = true,
		.target = 10,
	};
	return c;
}

/* Minimal well-formedness: every tag closes in order, attributes quoted,
 * no stray '<' or '&' in text. Returns 1 when fine. */
static int well_formed(const char *s)
{
	const char *stack[256];
	size_t depth = 0, lens[256];
	const char *p = s;
	while (*p) {
		if (*p == '&') {
			const char *semi = strchr(p, ';');
			if (!semi || semi - p > 8)
				return 0;
			p = semi + 1;
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		p++;
		int closing = *p == '/';
		if (closing)
			p++;
		const char *name = p;
		while (*p && *p != ' ' && *p != '>' && *p != '/')
			p++;
		size_t nlen = (size_t)(p - name);
		if (nlen == 0)
			return 0;
		char quote = 0;
		while (*p && (quote || *p != '>')) {
			if (quote && *p == quote)
				quote = 0;
			else if (!quote && (*p == '"' || *p == '\''))
				quote = *p;
			else if (quote && *p == '<')
				return 0;
			p++;
		}
		if (!*p)
			return 0;
		int selfclose = p[-1] == '/';
		p++;
		if (closing) {
			if (depth == 0 || lens[depth - 1] != nlen ||
			    strncmp(stack[depth - 1], name, nlen) != 0)
				return 0;
			depth--;
		} else if (!selfclose) {
			if (depth == 256)
				return 0;
			stack[depth] = name;
			lens[depth++] = nlen;
		}
	}
	return depth == 0;
}

static void svg_is_inline_safe_and_described(void **state)
{
	(void)state;
	enum chart_kind kinds[] = {CHART_BAR, CHART_STACKED, CHART_LINE, CHART_GAUGE};
	for (size_t i = 0; i < 4; i++) {
		struct chart c = sample(kinds[i]);
		struct buf b = BUF_INIT(1 << 20);
		assert_int_equal(chart_svg(&c, "ind-1", &b), 0);
		assert_true(well_formed(b.data));
		assert_null(strstr(b.data, "<?xml"));
		assert_ptr_equal(strstr(b.data, "<svg"), b.data);
		assert_non_null(strstr(b.data, "role=\"img\""));
		assert_non_null(strstr(b.data, "aria-labelledby=\"ind-1-t ind-1-d\""));
		assert_non_null(strstr(b.data, "<title id=\"ind-1-t\">Activités par composante "
					       "&lt;trimestre&gt;</title>"));
		assert_non_null(strstr(b.data, "<desc id=\"ind-1-d\">"));
		/* the suppressed cell reads "<5" in the text alternative */
		assert_non_null(strstr(b.data, "T2 &lt;5"));
		assert_null(strstr(b.data, " style="));
		buf_free(&b);
	}
}

static void svg_ids_differ_between_charts(void **state)
{
	(void)state;
	struct chart c = sample(CHART_STACKED);
	struct buf a = BUF_INIT(1 << 20), b = BUF_INIT(1 << 20);
	assert_int_equal(chart_svg(&c, NULL, &a), 0);
	assert_int_equal(chart_svg(&c, NULL, &b), 0);
	const char *ia = strstr(a.data, "<title id=\""), *ib = strstr(b.data, "<title id=\"");
	assert_non_null(ia);
	assert_non_null(ib);
	assert_true(strncmp(ia, ib, 24) != 0);
	/* patterns are referenced by this chart's own id */
	assert_non_null(strstr(a.data, "url(#chart-"));
	buf_free(&a);
	buf_free(&b);
	/* an id that could break out of the attribute is refused */
	struct buf e = BUF_INIT(1 << 20);
	assert_int_equal(chart_svg(&c, "x\" onload=\"", &e), -1);
	assert_int_equal(e.len, 0);
	buf_free(&e);
}

static void png_has_signature(void **state)
{
	(void)state;
	struct chart c = sample(CHART_LINE);
	struct buf b = BUF_INIT(8 << 20);
	assert_int_equal(chart_png(&c, 640, 360, &b), 0);
	assert_true(b.len > 1000);
	assert_memory_equal(b.data, "\x89PNG\r\n\x1a\n", 8);
	buf_free(&b);
	assert_int_equal(chart_png(&c, 10, 10, &b), -1);
}

/* One rule sizes every chart: on a page and in a PNG the same frame, so
 * the PNG is the page's chart; in a PDF the body's width and a height by
 * kind (a gauge a band, a long breakdown taller). */
static void one_size_rule(void **state)
{
	(void)state;
	double pw, ph, gw, gh, w, h;
	struct chart bar = sample(CHART_BAR), gauge = sample(CHART_GAUGE);
	chart_size(&bar, CHART_MEDIUM_PAGE, 0, &pw, &ph);
	chart_size(&gauge, CHART_MEDIUM_PAGE, 0, &gw, &gh);
	assert_true(pw == gw && ph == gh);
	chart_size(&bar, CHART_MEDIUM_PNG, 0, &w, &h);
	assert_true(w >= pw && fabs(w / h - pw / ph) < 1e-9);
	/* The SVG's frame is the rule's. */
	struct buf b = BUF_INIT(1 << 20);
	assert_int_equal(chart_svg(&bar, "r", &b), 0);
	char vb[64];
	snprintf(vb, sizeof(vb), "viewBox=\"0 0 %.0f %.0f\"", pw, ph);
	assert_non_null(strstr(b.data, vb));
	buf_free(&b);
	chart_size(&gauge, CHART_MEDIUM_PDF, 504, &gw, &gh);
	chart_size(&bar, CHART_MEDIUM_PDF, 504, &w, &h);
	assert_true(gw == 504 && w == 504 && gh < h);
	bar.n_cats = 9;
	double h9;
	chart_size(&bar, CHART_MEDIUM_PDF, 504, &w, &h9);
	assert_true(h9 > h);
}

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS
						   : CAIRO_STATUS_WRITE_ERROR;
}

static void pdf_pages_with_charts(void **state)
{
	(void)state;
	struct buf pdf = BUF_INIT(8 << 20);
	cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(collect, &pdf, 612, 792);
	cairo_t *cr = cairo_create(sf);
	enum chart_kind kinds[] = {CHART_BAR, CHART_STACKED, CHART_LINE, CHART_GAUGE};
	for (size_t i = 0; i < 4; i++) {
		struct chart c = sample(kinds[i]);
		assert_int_equal(chart_draw(&c, cr, 54, 54, 504, 250), 0);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	assert_int_equal(cairo_surface_status(sf), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(sf);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	assert_non_null(memmem(pdf.data, pdf.len, "/Count 4", 8));
	buf_free(&pdf);
}

static void table_shows_suppression_not_numbers(void **state)
{
	(void)state;
	struct chart c = sample(CHART_BAR);
	struct buf b = BUF_INIT(1 << 20);
	assert_int_equal(chart_table_html(&c, &b), 0);
	assert_true(well_formed(b.data));
	assert_non_null(strstr(b.data, "<caption>Activités par composante &lt;trimestre&gt;"));
	assert_non_null(strstr(b.data, "<th scope=\"col\">Accompagnement</th>"));
	assert_non_null(strstr(b.data, "<th scope=\"row\">T3 &amp; plus</th>"));
	assert_non_null(strstr(b.data, "<td>&lt;5</td>"));
	assert_non_null(strstr(b.data, "<td>n.d.</td>"));
	assert_non_null(strstr(b.data, "<td>7,5</td>"));
	/* the value behind the suppressed cell (6) is not printed */
	assert_null(strstr(b.data, "<td>6,0</td>"));
	buf_free(&b);
}

static void gauge_states_status_in_words(void **state)
{
	(void)state;
	double v = 1.8;
	const char *cat[] = {""};
	struct chart c = {.kind = CHART_GAUGE,
			  .title = "Délai",
			  .unit = "jours",
			  .lang = "fr",
			  .n_series = 1,
			  .n_cats = 1,
			  .cats = cat,
			  .values = &v,
			  .decimals = 1,
			  .has_target = true,
			  .target = 2,
			  .status = CHART_STATUS_MET};
	struct buf b = BUF_INIT(1 << 20);
	assert_int_equal(chart_svg(&c, "g", &b), 0);
	assert_non_null(strstr(b.data, ">cible atteinte</text>"));
	assert_non_null(strstr(b.data, ">1,8 jours</text>"));
	buf_reset(&b);
	c.lang = "en";
	c.status = CHART_STATUS_NOT_MET;
	assert_int_equal(chart_svg(&c, "g", &b), 0);
	assert_non_null(strstr(b.data, ">target not met</text>"));
	assert_non_null(strstr(b.data, ">1.8 jours</text>"));
	buf_free(&b);
}

static void numbers_follow_language(void **state)
{
	(void)state;
	char out[64];
	assert_string_equal(chart_format_number("fr", 12345.67, 1, out, sizeof(out)),
			    "12\xe2\x80\xaf"
			    "345,7");
	assert_string_equal(chart_format_number("en", 12345.67, 1, out, sizeof(out)), "12,345.7");
	assert_string_equal(chart_format_number("fr", 1234, 0, out, sizeof(out)), "1234");
	assert_string_equal(chart_format_number("fr", -0.01, 1, out, sizeof(out)), "0,0");
	assert_string_equal(chart_format_number("en", 1.85, 0, out, sizeof(out)), "2");
}

static void bad_charts_are_refused(void **state)
{
	(void)state;
	struct chart c = sample(CHART_BAR);
	struct buf b = BUF_INIT(1 << 20);
	c.n_cats = 0;
	assert_int_equal(chart_svg(&c, "x", &b), -1);
	c = sample(CHART_BAR);
	c.title = NULL;
	assert_int_equal(chart_table_html(&c, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void *draw_in_thread(void *arg)
{
	(void)arg;
	struct chart c = sample(CHART_BAR);
	for (int i = 0; i < 3; i++) {
		struct buf b = BUF_INIT(8 << 20);
		if (chart_png(&c, 320, 200, &b) != 0 || b.len < 8 ||
		    memcmp(b.data, "\x89PNG", 4) != 0) {
			buf_free(&b);
			return (void *)1;
		}
		buf_free(&b);
	}
	return NULL;
}

/* Server threads draw at the same time (each has its own Pango font map). */
static void threads_draw_at_once(void **state)
{
	(void)state;
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, draw_in_thread, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *rc;
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_null(rc);
	}
}

int main(void)
{
	assert_int_equal(i18n_init(), 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(svg_is_inline_safe_and_described),
		cmocka_unit_test(svg_ids_differ_between_charts),
		cmocka_unit_test(png_has_signature),
		cmocka_unit_test(one_size_rule),
		cmocka_unit_test(pdf_pages_with_charts),
		cmocka_unit_test(table_shows_suppression_not_numbers),
		cmocka_unit_test(gauge_states_status_in_words),
		cmocka_unit_test(numbers_follow_language),
		cmocka_unit_test(bad_charts_are_refused),
		cmocka_unit_test(threads_draw_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
