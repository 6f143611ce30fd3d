/* Charts of the reports: one module draws bar, stacked bar, line and gauge
 * charts from a plain description (struct chart) into three outputs:
 *  - SVG text for inline use in pages (no XML prolog, ids unique per call,
 *    role="img" with a <title>/<desc> text alternative and aria-labelledby);
 *  - a cairo context (the PDF report draws vector charts on its pages);
 *  - PNG bytes.
 * and the numbers behind a chart as an accessible HTML <table>.
 *
 * The geometry is computed once into a list of shapes, then written either
 * as SVG or through cairo, so the three outputs show the same chart.
 *
 * Never colour alone: every series has a fill pattern as well as a colour
 * and is named in a legend; a missing or suppressed value is written as
 * text ("n.d.", or what the report shows for it: "<5", "n<5") where its bar
 * would be; a gauge states its status in words.
 *
 * Threads: text is laid out with Pango through pango_cairo_create_layout(),
 * which uses pango_cairo_font_map_get_default(): since Pango 1.32.6 that
 * font map is per thread (kept in a GPrivate and released when the thread
 * ends), so server threads never share a Pango object and need no lock.
 * No Pango object is kept between calls. */
#ifndef PROXIMA_CHART_H
#define PROXIMA_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "core/buf.h"

enum chart_kind {
	CHART_BAR,     /* grouped bars: one bar per series in each category */
	CHART_STACKED, /* one bar per category, series stacked */
	CHART_LINE,    /* one line per series over the categories */
	CHART_GAUGE,   /* one value (series 0, category 0) against a target */
};

/* What a cell of values[] holds. */
enum chart_mark {
	CHART_VALUE = 0,
	CHART_MISSING,    /* no value: drawn as "n.d." */
	CHART_SUPPRESSED, /* small cell: drawn as its hidden text ("<5", "n<5"), never
	                     its number */
};

/* The status a gauge states in words (indicators.md). */
enum chart_status {
	CHART_STATUS_NONE = 0,     /* no target: "sans cible" */
	CHART_STATUS_MET,          /* "atteint" */
	CHART_STATUS_NOT_MET,      /* "non atteint" */
	CHART_STATUS_INSUFFICIENT, /* "données insuffisantes" */
};

#define CHART_MAX_SERIES 8
#define CHART_MAX_CATS 64

/* A chart. Nothing is owned: every pointer stays the caller's and must
 * live during the call. values and marks are n_series × n_cats, row by
 * series: values[s * n_cats + c]. */
struct chart {
	enum chart_kind kind;
	const char *title;         /* required; the text alternative's title */
	const char *desc;          /* optional longer alternative; generated when NULL */
	const char *unit;          /* e.g. "%", "jours"; NULL for plain counts */
	const char *lang;          /* "fr" (default) or "en": numbers and words */
	size_t n_series;           /* 1..CHART_MAX_SERIES */
	size_t n_cats;             /* 1..CHART_MAX_CATS */
	const char *const *series; /* series names (legend); NULL for one unnamed series */
	const char *const *cats;   /* category labels */
	const double *values;
	const unsigned char *marks; /* enum chart_mark per cell; NULL = all values */
	/* The text of each suppressed cell, as the report displays it: "<5"
	 * for a count, "n<5" for a mean or rate (n_series × n_cats like
	 * values; NULL, or a NULL entry, reads "<5"). */
	const char *const *hidden;
	int decimals; /* digits after the decimal separator */
	bool has_target;
	double target;            /* drawn as a dashed line / gauge tick */
	const char *target_label; /* e.g. "cible ≤ 2 jours"; generated when NULL */
	enum chart_status status; /* gauges only */
};

/* Where a chart is drawn. */
enum chart_medium {
	CHART_MEDIUM_PAGE, /* inline SVG: user units; the page's CSS scales it to its column */
	CHART_MEDIUM_PNG,  /* the PNG download: pixels */
	CHART_MEDIUM_PDF,  /* a PDF page: points */
};

/* The one rule for the size of every chart (issue 16: dashboards,
 * comparison, PNG downloads and PDF alike): *w × *h for c in medium m.
 * On a page and in a PNG every chart has the same 16:9 frame (a grid of
 * charts lines up, and the PNG is the page's chart); in a PDF the chart
 * takes the body's width (pdf_width) and a height by kind: a gauge is a
 * band, a short trend lower than a breakdown, and a breakdown of more
 * than 8 categories taller. */
void chart_size(const struct chart *c, enum chart_medium m, double pdf_width, double *w, double *h);

/* Checks c (kind, counts, pointers). Returns 0, or -1 with a log line. */
int chart_check(const struct chart *c);

/* Appends the chart as an inline <svg> element to out. id (letters,
 * digits, '-', '_'; NULL = a process-unique "chart-N") prefixes every id
 * in the element, so several charts can share a page. Returns 0, or -1
 * (bad chart, bad id or out's bound), leaving out unchanged on error. */
int chart_svg(const struct chart *c, const char *id, struct buf *out);

/* Draws the chart onto cr inside the rectangle (x, y, w, h), in the
 * context's user units (points for a PDF surface). The context's state is
 * saved and restored. Returns 0, or -1 for a bad chart. */
int chart_draw(const struct chart *c, cairo_t *cr, double x, double y, double w, double h);

/* Appends a PNG of the chart, w × h pixels (each 100..4000), to out.
 * Returns 0, or -1 (bad chart, cairo error, out's bound). */
int chart_png(const struct chart *c, int w, int h, struct buf *out);

/* Appends the numbers behind the chart as an HTML <table> (caption = the
 * title, th scope="col"/"row", suppressed cells as their hidden text,
 * missing as "n.d."), for pages to put beside the SVG. Returns 0 or -1 (bound). */
int chart_table_html(const struct chart *c, struct buf *out);

/* Writes v with the given decimals in lang's convention into out (size
 * n): French "1 234,5" (narrow no-break space, decimal comma), English
 * "1,234.5". Returns out. */
char *chart_format_number(const char *lang, double v, int decimals, char *out, size_t n);

/* The word for a status in lang ("atteint" / "met" …). Static. */
const char *chart_status_word(const char *lang, enum chart_status s);

#endif
