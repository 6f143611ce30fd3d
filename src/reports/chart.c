/* Charts: layout into shapes, then SVG or cairo (see chart.h). */
#include "reports/chart.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "core/arena.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"

/* ---- styles: colour + pattern, so a series is never told by colour alone */

enum pat { PAT_SOLID, PAT_STRIPES, PAT_DOTS, PAT_CROSS };

struct style {
	const char *hex;
	double r, g, b;
	enum pat pat;
};

/* Okabe–Ito colours (distinguishable with the common colour-vision
 * deficiencies), each with its own pattern. */
static const struct style styles[] = {
	{"#0072B2", 0.000, 0.447, 0.698, PAT_SOLID},
	{"#E69F00", 0.902, 0.624, 0.000, PAT_STRIPES},
	{"#009E73", 0.000, 0.620, 0.451, PAT_DOTS},
	{"#CC79A7", 0.800, 0.475, 0.655, PAT_CROSS},
	{"#56B4E9", 0.337, 0.706, 0.914, PAT_STRIPES},
	{"#D55E00", 0.835, 0.369, 0.000, PAT_DOTS},
	{"#7F7F00", 0.498, 0.498, 0.000, PAT_CROSS},
	{"#444444", 0.267, 0.267, 0.267, PAT_SOLID},
	/* gauge: met, not met, neutral, track */
	{"#007A55", 0.000, 0.478, 0.333, PAT_SOLID},
	{"#C0392B", 0.753, 0.224, 0.169, PAT_STRIPES},
	{"#0072B2", 0.000, 0.447, 0.698, PAT_SOLID},
	{"#E8E8E8", 0.910, 0.910, 0.910, PAT_SOLID},
};
#define N_STYLES (sizeof(styles) / sizeof(styles[0]))
enum { ST_MET = 8, ST_NOT_MET = 9, ST_NEUTRAL = 10, ST_TRACK = 11 };

/* Stroke and text colours. */
enum ink { INK_NONE = -1, INK_TEXT, INK_AXIS, INK_GRID, INK_TARGET, INK_SERIES0 };
static const struct style inks[] = {
	{"#1A1A1A", 0.102, 0.102, 0.102, PAT_SOLID},
	{"#555555", 0.333, 0.333, 0.333, PAT_SOLID},
	{"#D9D9D9", 0.851, 0.851, 0.851, PAT_SOLID},
	{"#1A1A1A", 0.102, 0.102, 0.102, PAT_SOLID},
};

static const struct style *ink_style(int ink)
{
	if (ink >= INK_SERIES0)
		return &styles[(size_t)(ink - INK_SERIES0) % 8];
	return &inks[ink];
}

/* ---- shapes */

enum shape_kind { SH_RECT, SH_LINE, SH_POLYLINE, SH_TEXT, SH_MARKER };
enum anchor { A_START, A_MIDDLE, A_END };

struct shape {
	enum shape_kind kind;
	double x, y, w, h; /* rect; line from (x,y) to (w,h); marker centre and size w */
	const double *pts; /* polyline: npts (x, y) pairs */
	size_t npts;
	int fill;  /* style index, -1 none */
	int ink;   /* stroke (or text) colour, INK_NONE for none */
	double lw; /* stroke width */
	bool dash;
	const char *text;
	enum anchor anchor;
	double size; /* font size */
	bool bold;
	double angle; /* degrees, text only */
	int marker;   /* 0 circle, 1 square, 2 triangle, 3 diamond */
};

struct layout {
	struct arena *a;
	struct shape *v;
	size_t n, cap;
	double w, h;
	const char *lang;
};

static struct shape *add(struct layout *l, enum shape_kind k)
{
	l->v = arena_grow(l->a, l->v, l->n, &l->cap, sizeof(*l->v));
	struct shape *s = &l->v[l->n++];
	memset(s, 0, sizeof(*s));
	s->kind = k;
	s->fill = -1;
	s->ink = INK_NONE;
	s->lw = 1;
	return s;
}

static void add_rect(struct layout *l, double x, double y, double w, double h, int fill, int ink)
{
	struct shape *s = add(l, SH_RECT);
	s->x = x, s->y = y, s->w = w, s->h = h, s->fill = fill, s->ink = ink;
}

static void add_line(struct layout *l, double x1, double y1, double x2, double y2, int ink,
		     double lw, bool dash)
{
	struct shape *s = add(l, SH_LINE);
	s->x = x1, s->y = y1, s->w = x2, s->h = y2, s->ink = ink, s->lw = lw, s->dash = dash;
}

static void add_text(struct layout *l, double x, double y, const char *t, enum anchor an,
		     double size, bool bold, double angle)
{
	struct shape *s = add(l, SH_TEXT);
	s->x = x, s->y = y, s->text = t, s->anchor = an, s->size = size, s->bold = bold;
	s->angle = angle, s->ink = INK_TEXT;
}

/* Rough width of t at size (DejaVu/Liberation Sans average), for layout. */
static double text_width(const char *t, double size)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)t; p && *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	return (double)chars * size * 0.56;
}

/* Cuts t to at most width (adding "…"), in the arena. */
static const char *fit_text(struct layout *l, const char *t, double size, double width)
{
	if (!t || text_width(t, size) <= width)
		return t ? t : "";
	size_t keep = (size_t)(width / (size * 0.56));
	if (keep < 2)
		keep = 2;
	keep--;
	const unsigned char *p = (const unsigned char *)t;
	size_t i = 0, chars = 0;
	while (p[i] && chars < keep) {
		i++;
		while ((p[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return arena_printf(l->a, "%.*s…", (int)i, t);
}

/* ---- numbers and words */

char *chart_format_number(const char *lang, double v, int decimals, char *out, size_t n)
{
	bool en = lang && strcmp(lang, "en") == 0;
	char tmp[64];
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	if (!isfinite(v)) {
		snprintf(out, n, "%s", "n.d.");
		return out;
	}
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, fabs(v));
	if (strcmp(tmp, "0") == 0 || strspn(tmp, "0.") == strlen(tmp))
		v = 0; /* no "-0" */
	const char *dot = strchr(tmp, '.');
	size_t ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
	const char *sep = en ? "," : "\xe2\x80\xaf"; /* U+202F narrow no-break space */
	size_t o = 0;
	if (n == 0)
		return out;
#define PUT(str, len)                                 \
	do {                                          \
		size_t len_ = (len);                  \
		if (o + len_ < n) {                   \
			memcpy(out + o, (str), len_); \
			o += len_;                    \
		}                                     \
	} while (0)
	if (v < 0)
		PUT("-", 1);
	for (size_t i = 0; i < ilen; i++) {
		if (i > 0 && (ilen - i) % 3 == 0 && ilen > 4)
			PUT(sep, strlen(sep));
		PUT(tmp + i, 1);
	}
	if (dot) {
		PUT(en ? "." : ",", 1);
		PUT(dot + 1, strlen(dot + 1));
	}
#undef PUT
	out[o] = '\0';
	return out;
}

const char *chart_status_word(const char *lang, enum chart_status s)
{
	switch (s) {
	case CHART_STATUS_MET: return i18n_tr(lang, "cible atteinte");
	case CHART_STATUS_NOT_MET: return i18n_tr(lang, "cible non atteinte");
	case CHART_STATUS_INSUFFICIENT: return i18n_tr(lang, "données insuffisantes");
	case CHART_STATUS_NONE: break;
	}
	return i18n_tr(lang, "sans cible");
}

static enum chart_mark mark_at(const struct chart *c, size_t s, size_t k)
{
	return c->marks ? (enum chart_mark)c->marks[s * c->n_cats + k] : CHART_VALUE;
}

static double value_at(const struct chart *c, size_t s, size_t k)
{
	double v = c->values[s * c->n_cats + k];
	return isfinite(v) ? v : 0;
}

/* The text of one cell: its number (with unit when asked), its hidden
 * text ("<5", "n<5") or "n.d." */
static const char *cell_text(struct arena *a, const struct chart *c, size_t s, size_t k,
			     bool with_unit)
{
	enum chart_mark m = mark_at(c, s, k);
	if (m == CHART_SUPPRESSED)
		return c->hidden && c->hidden[s * c->n_cats + k] ? c->hidden[s * c->n_cats + k]
								 : "<5";
	if (m == CHART_MISSING)
		return "n.d.";
	char num[64];
	chart_format_number(c->lang, c->values[s * c->n_cats + k], c->decimals, num, sizeof(num));
	if (with_unit && c->unit && c->unit[0])
		return arena_printf(a, "%s%s%s", num, strcmp(c->unit, "%") == 0 ? "\xc2\xa0" : " ",
				    c->unit);
	return arena_strdup(a, num);
}

static const char *target_text(struct arena *a, const struct chart *c)
{
	if (c->target_label)
		return c->target_label;
	char num[64];
	chart_format_number(c->lang, c->target, c->decimals, num, sizeof(num));
	return arena_printf(a, "%s %s%s%s", i18n_tr(c->lang, "cible"), num,
			    c->unit && c->unit[0] ? " " : "", c->unit ? c->unit : "");
}

static const char *kind_word(const struct chart *c)
{
	switch (c->kind) {
	case CHART_BAR: return i18n_tr(c->lang, "Diagramme à barres");
	case CHART_STACKED: return i18n_tr(c->lang, "Diagramme à barres empilées");
	case CHART_LINE: return i18n_tr(c->lang, "Courbe");
	case CHART_GAUGE: break;
	}
	return i18n_tr(c->lang, "Jauge");
}

/* The generated text alternative: kind, then every value by series. */
static const char *generated_desc(struct arena *a, const struct chart *c)
{
	struct buf b = BUF_INIT(16384);
	buf_printf(&b, "%s. ", kind_word(c));
	for (size_t s = 0; s < c->n_series; s++) {
		if (c->series && c->series[s])
			buf_printf(&b, "%s%s", c->series[s], i18n_tr(c->lang, " : "));
		for (size_t k = 0; k < c->n_cats; k++)
			buf_printf(&b, "%s%s %s", k ? "; " : "", c->cats[k] ? c->cats[k] : "",
				   cell_text(a, c, s, k, true));
		buf_puts(&b, ". ");
	}
	if (c->has_target)
		buf_printf(&b, "%s. ", target_text(a, c));
	if (c->kind == CHART_GAUGE)
		buf_printf(&b, "%s.", chart_status_word(c->lang, c->status));
	const char *r = arena_strdup(a, b.data);
	buf_free(&b);
	return r;
}

int chart_check(const struct chart *c)
{
	const char *why = NULL;
	if (!c || !c->title || !c->values)
		why = "missing title or values";
	else if (c->n_series < 1 || c->n_series > CHART_MAX_SERIES)
		why = "series count out of range";
	else if (c->n_cats < 1 || c->n_cats > CHART_MAX_CATS)
		why = "category count out of range";
	else if (!c->cats)
		why = "missing category labels";
	else if ((unsigned)c->kind > CHART_GAUGE)
		why = "unknown kind";
	if (why) {
		log_error("chart_invalid", "reason=\"%s\"", why);
		return -1;
	}
	return 0;
}

/* ---- layout */

/* A "nice" step (1, 2, 2.5 or 5 × 10^k) giving about 5 ticks up to max. */
static double nice_step(double max)
{
	if (max <= 0)
		return 1;
	double raw = max / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
	double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
	return step * mag;
}

struct frame {
	double fs;             /* base font size */
	double px, py, pw, ph; /* plot area */
	double vmax, step;     /* value scale */
};

static double y_of(const struct frame *f, double v)
{
	return f->py + f->ph - (v / f->vmax) * f->ph;
}

static void lay_title_legend(struct layout *l, const struct chart *c, double fs, double *top)
{
	add_text(l, 4, fs * 1.3, fit_text(l, c->title, fs * 1.15, l->w - 8), A_START, fs * 1.15,
		 true, 0);
	*top = fs * 2.0;
	if (c->n_series < 2 || !c->series || c->kind == CHART_GAUGE)
		return;
	double x = 4, y = *top, sw = fs;
	for (size_t s = 0; s < c->n_series; s++) {
		const char *name = c->series[s] ? c->series[s] : "";
		double tw = text_width(name, fs);
		if (x > 4 && x + sw + 4 + tw > l->w - 4) {
			x = 4;
			y += fs * 1.5;
		}
		if (c->kind == CHART_LINE) {
			add_line(l, x, y + sw / 2, x + sw, y + sw / 2, INK_SERIES0 + (int)s, 2,
				 false);
			struct shape *m = add(l, SH_MARKER);
			m->x = x + sw / 2, m->y = y + sw / 2, m->w = fs * 0.6;
			m->fill = (int)s, m->ink = INK_SERIES0 + (int)s, m->marker = (int)(s % 4);
		} else {
			add_rect(l, x, y, sw, sw, (int)s, INK_AXIS);
		}
		add_text(l, x + sw + 4, y + sw * 0.85, name, A_START, fs, false, 0);
		x += sw + 4 + tw + fs * 1.5;
	}
	*top = y + fs * 2.0;
}

/* Axes, grid and tick labels for bar, stacked and line charts. */
static void lay_axes(struct layout *l, const struct chart *c, struct frame *f, double top,
		     bool *rotate)
{
	double fs = f->fs, vmax = 0;
	for (size_t k = 0; k < c->n_cats; k++) {
		double sum = 0;
		for (size_t s = 0; s < c->n_series; s++) {
			double v = mark_at(c, s, k) == CHART_VALUE ? value_at(c, s, k) : 0;
			if (c->kind == CHART_STACKED)
				sum += v > 0 ? v : 0;
			else if (v > vmax)
				vmax = v;
		}
		if (sum > vmax)
			vmax = sum;
	}
	if (c->has_target && c->target > vmax)
		vmax = c->target;
	f->step = nice_step(vmax > 0 ? vmax * 1.08 : 1);
	if (c->decimals == 0 && f->step < 1)
		f->step = 1; /* counts: whole ticks */
	f->vmax = ceil((vmax > 0 ? vmax * 1.08 : 1) / f->step) * f->step;

	/* y labels decide the left margin */
	double ylw = 0;
	int ydec = 0; /* as many decimals as the step needs (0.25 needs 2) */
	while (ydec < 4 && fabs(f->step * pow(10, ydec) - round(f->step * pow(10, ydec))) > 1e-9)
		ydec++;
	for (double v = 0; v <= f->vmax + f->step / 2; v += f->step) {
		char num[64];
		double w = text_width(chart_format_number(c->lang, v, ydec, num, sizeof(num)), fs);
		if (w > ylw)
			ylw = w;
	}
	f->px = 6 + ylw + 6;
	f->pw = l->w - f->px -
		(c->has_target ? text_width(target_text(l->a, c), fs * 0.9) + 8 : 10);
	if (f->pw < l->w * 0.5)
		f->pw = l->w * 0.5;
	double slot = f->pw / (double)c->n_cats, maxlab = 0;
	for (size_t k = 0; k < c->n_cats; k++) {
		double w = text_width(c->cats[k], fs);
		if (w > maxlab)
			maxlab = w;
	}
	*rotate = maxlab > slot - 4;
	if (*rotate) {
		/* the first label, slanted, must not leave the canvas on the left */
		double w0 = fmin(text_width(c->cats[0], fs) * 1.12, l->h * 0.42) * 0.77 + 6;
		double need = w0 - slot / 2;
		if (need > f->px) {
			f->pw -= need - f->px;
			f->px = need;
			slot = f->pw / (double)c->n_cats;
		}
	}
	double bottom = *rotate ? fmin(maxlab, l->h * 0.42) * 0.68 + fs * 1.5 : fs * 2.0;
	f->py = top + fs;
	f->ph = l->h - f->py - bottom;
	if (f->ph < l->h * 0.3)
		f->ph = l->h * 0.3;

	for (double v = 0; v <= f->vmax + f->step / 2; v += f->step) {
		double y = y_of(f, v);
		char num[64];
		add_line(l, f->px, y, f->px + f->pw, y, v == 0 ? INK_AXIS : INK_GRID,
			 v == 0 ? 1 : 0.6, false);
		add_text(
			l, f->px - 6, y + fs * 0.35,
			arena_strdup(l->a, chart_format_number(c->lang, v, ydec, num, sizeof(num))),
			A_END, fs, false, 0);
	}
	if (c->unit && c->unit[0])
		add_text(l, 4, f->py - fs * 0.6, c->unit, A_START, fs * 0.9, false, 0);
	for (size_t k = 0; k < c->n_cats; k++) {
		double cx = f->px + slot * ((double)k + 0.5), ly = f->py + f->ph + fs * 1.3;
		if (*rotate)
			add_text(l, cx, ly, fit_text(l, c->cats[k], fs, l->h * 0.42), A_END, fs,
				 false, -40);
		else
			add_text(l, cx, ly, c->cats[k], A_MIDDLE, fs, false, 0);
	}
}

static void lay_target(struct layout *l, const struct chart *c, const struct frame *f)
{
	if (!c->has_target)
		return;
	double y = y_of(f, c->target);
	add_line(l, f->px, y, f->px + f->pw, y, INK_TARGET, 1.5, true);
	add_text(l, f->px + f->pw + 4, y + f->fs * 0.35, target_text(l->a, c), A_START, f->fs * 0.9,
		 false, 0);
}

static void lay_bars(struct layout *l, const struct chart *c, const struct frame *f)
{
	double slot = f->pw / (double)c->n_cats, fs = f->fs;
	bool stacked = c->kind == CHART_STACKED;
	size_t per = stacked ? 1 : c->n_series;
	double bw = slot * 0.75 / (double)per;
	bool labels = bw >= fs * 1.2;
	for (size_t k = 0; k < c->n_cats; k++) {
		double x0 = f->px + slot * (double)k + slot * 0.125, acc = 0;
		for (size_t s = 0; s < c->n_series; s++) {
			double x = stacked ? x0 : x0 + bw * (double)s;
			enum chart_mark m = mark_at(c, s, k);
			const char *t = cell_text(l->a, c, s, k, false);
			if (m != CHART_VALUE) {
				/* no bar: the word where the bar would stand */
				if (!stacked)
					add_text(l, x + bw / 2, f->py + f->ph - fs * 0.4, t,
						 A_MIDDLE, fs * 0.85, true, 0);
				continue;
			}
			double v = value_at(c, s, k);
			if (v < 0)
				v = 0;
			double y1 = y_of(f, acc + v), y0 = y_of(f, acc);
			add_rect(l, x, y1, bw, y0 - y1, (int)s, INK_AXIS);
			if (stacked) {
				if (y0 - y1 >= fs * 1.1 && text_width(t, fs * 0.85) < bw - 2)
					add_text(l, x + bw / 2, (y0 + y1) / 2 + fs * 0.3, t,
						 A_MIDDLE, fs * 0.85, true, 0);
				acc += v;
			} else if (labels) {
				add_text(l, x + bw / 2, y1 - fs * 0.3, t, A_MIDDLE, fs * 0.85,
					 false, 0);
			}
		}
		if (stacked) {
			/* total above the stack; suppressed parts are listed instead */
			bool hidden = false;
			for (size_t s = 0; s < c->n_series; s++)
				hidden |= mark_at(c, s, k) != CHART_VALUE;
			char num[64];
			const char *t = hidden ? "<5 / n.d."
					       : chart_format_number(c->lang, acc, c->decimals, num,
								     sizeof(num));
			add_text(l, x0 + bw / 2, y_of(f, acc) - fs * 0.3, arena_strdup(l->a, t),
				 A_MIDDLE, fs * 0.85, false, 0);
		}
	}
}

static void lay_lines(struct layout *l, const struct chart *c, const struct frame *f)
{
	double slot = f->pw / (double)c->n_cats, fs = f->fs;
	for (size_t s = 0; s < c->n_series; s++) {
		double *pts = arena_alloc(l->a, sizeof(double) * 2 * c->n_cats);
		size_t n = 0;
		for (size_t k = 0; k <= c->n_cats; k++) {
			bool ok = k < c->n_cats && mark_at(c, s, k) == CHART_VALUE;
			if (ok) {
				pts[2 * n] = f->px + slot * ((double)k + 0.5);
				pts[2 * n + 1] = y_of(f, value_at(c, s, k));
				n++;
				continue;
			}
			if (n >= 2) { /* a gap ends a segment */
				struct shape *p = add(l, SH_POLYLINE);
				p->pts = pts, p->npts = n, p->ink = INK_SERIES0 + (int)s, p->lw = 2;
				pts += 2 * n;
			} else if (n == 1) {
				pts += 2;
			}
			n = 0;
			if (k < c->n_cats)
				add_text(l, f->px + slot * ((double)k + 0.5),
					 f->py + f->ph - fs * 0.4, cell_text(l->a, c, s, k, false),
					 A_MIDDLE, fs * 0.85, true, 0);
		}
		for (size_t k = 0; k < c->n_cats; k++) {
			if (mark_at(c, s, k) != CHART_VALUE)
				continue;
			struct shape *m = add(l, SH_MARKER);
			m->x = f->px + slot * ((double)k + 0.5), m->y = y_of(f, value_at(c, s, k));
			m->w = fs * 0.6, m->fill = (int)s, m->ink = INK_SERIES0 + (int)s;
			m->marker = (int)(s % 4);
			if (c->n_series == 1 && c->n_cats <= 16)
				add_text(l, m->x, m->y - fs * 0.7, cell_text(l->a, c, s, k, false),
					 A_MIDDLE, fs * 0.85, false, 0);
		}
	}
}

static void lay_gauge(struct layout *l, const struct chart *c, double fs, double top)
{
	enum chart_mark m = mark_at(c, 0, 0);
	double v = value_at(c, 0, 0), max = v;
	if (c->has_target && c->target > max)
		max = c->target;
	if (c->unit && strcmp(c->unit, "%") == 0 && max <= 100) {
		max = 100;
	} else if (c->unit && strstr(c->unit, "/5") && max <= 5) {
		max = 5; /* a score out of 5 */
	} else {
		double step = nice_step(max > 0 ? max * 1.25 : 1);
		max = ceil((max > 0 ? max * 1.25 : 1) / step) * step;
	}
	double x = 10, w = l->w - 20, y = top + fs * 4.4, h = fmax(fs * 1.6, (l->h - y) * 0.3);
	add_text(l, x, top + fs * 1.6, cell_text(l->a, c, 0, 0, true), A_START, fs * 1.8, true, 0);
	add_text(l, l->w - 10, top + fs * 1.6, chart_status_word(c->lang, c->status), A_END,
		 fs * 1.1, true, 0);
	add_rect(l, x, y, w, h, ST_TRACK, INK_AXIS);
	if (m == CHART_VALUE && v > 0) {
		int st = c->status == CHART_STATUS_MET       ? ST_MET
			 : c->status == CHART_STATUS_NOT_MET ? ST_NOT_MET
							     : ST_NEUTRAL;
		add_rect(l, x, y, w * fmin(v / max, 1), h, st, INK_AXIS);
	}
	char num[64];
	add_text(l, x, y + h + fs * 1.3, "0", A_START, fs * 0.9, false, 0);
	add_text(l, x + w, y + h + fs * 1.3,
		 arena_strdup(l->a,
			      chart_format_number(c->lang, max, max == round(max) ? 0 : c->decimals,
						  num, sizeof(num))),
		 A_END, fs * 0.9, false, 0);
	if (c->has_target) {
		double tx = x + w * fmin(c->target / max, 1);
		add_line(l, tx, y - fs * 0.5, tx, y + h + fs * 0.5, INK_TARGET, 2, true);
		add_text(l, tx, y - fs * 0.7, target_text(l->a, c),
			 tx > l->w * 0.7   ? A_END
			 : tx < l->w * 0.2 ? A_START
					   : A_MIDDLE,
			 fs * 0.9, false, 0);
	}
	if (c->cats[0] && c->cats[0][0])
		add_text(l, x, y + h + fs * 2.8, fit_text(l, c->cats[0], fs * 0.9, w), A_START,
			 fs * 0.9, false, 0);
}

/* Lays c out for a w × h canvas into l (shapes in l's arena). */
static void chart_layout(const struct chart *c, struct layout *l, double w, double h)
{
	l->w = w, l->h = h, l->lang = c->lang;
	double fs = fmin(fmax(h / 26.0, 7.0), 14.0), top = 0;
	if (w / 2 < h)
		fs = fmin(fs, fmax(w / 48.0, 7.0));
	add_rect(l, 0, 0, w, h, -1, INK_NONE);
	lay_title_legend(l, c, fs, &top);
	if (c->kind == CHART_GAUGE) {
		lay_gauge(l, c, fs, top);
		return;
	}
	struct frame f = {.fs = fs};
	bool rotate;
	lay_axes(l, c, &f, top, &rotate);
	if (c->kind == CHART_LINE)
		lay_lines(l, c, &f);
	else
		lay_bars(l, c, &f);
	lay_target(l, c, &f);
}

/* ---- SVG */

static void svg_pattern(struct buf *b, const char *id, size_t i)
{
	const struct style *st = &styles[i];
	buf_printf(b,
		   "<pattern id=\"%s-p%zu\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
		   "height=\"6\"><rect width=\"6\" height=\"6\" fill=\"%s\"/>",
		   id, i, st->hex);
	switch (st->pat) {
	case PAT_STRIPES:
		buf_puts(b, "<path d=\"M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2\" stroke=\"#fff\" "
			    "stroke-width=\"1.5\"/>");
		break;
	case PAT_DOTS: buf_puts(b, "<circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"#fff\"/>"); break;
	case PAT_CROSS:
		buf_puts(b, "<path d=\"M0,0 L6,6 M6,0 L0,6\" stroke=\"#fff\" stroke-width=\"1\"/>");
		break;
	case PAT_SOLID: break;
	}
	buf_puts(b, "</pattern>");
}

static void svg_fill(struct buf *b, const char *id, int fill)
{
	if (fill < 0)
		buf_puts(b, " fill=\"none\"");
	else if (styles[fill].pat == PAT_SOLID)
		buf_printf(b, " fill=\"%s\"", styles[fill].hex);
	else
		buf_printf(b, " fill=\"url(#%s-p%d)\"", id, fill);
}

static void svg_stroke(struct buf *b, const struct shape *s)
{
	if (s->ink == INK_NONE)
		return;
	buf_printf(b, " stroke=\"%s\" stroke-width=\"%.2f\"%s", ink_style(s->ink)->hex, s->lw,
		   s->dash ? " stroke-dasharray=\"6 4\"" : "");
}

static void svg_marker(struct buf *b, const char *id, const struct shape *s)
{
	double r = s->w / 2;
	switch (s->marker) {
	case 0: buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", s->x, s->y, r); break;
	case 1:
		buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
			   s->x - r, s->y - r, 2 * r, 2 * r);
		break;
	case 2:
		buf_printf(b, "<path d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\"", s->x,
			   s->y - r * 1.2, s->x + r * 1.1, s->y + r * 0.8, s->x - r * 1.1,
			   s->y + r * 0.8);
		break;
	default:
		buf_printf(b, "<path d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\"", s->x,
			   s->y - r * 1.3, s->x + r * 1.3, s->y, s->x, s->y + r * 1.3,
			   s->x - r * 1.3, s->y);
	}
	svg_fill(b, id, s->fill);
	svg_stroke(b, s);
	buf_puts(b, "/>");
}

static void svg_shape(struct buf *b, const char *id, const struct shape *s)
{
	switch (s->kind) {
	case SH_RECT:
		if (s->fill < 0 && s->ink == INK_NONE)
			return;
		buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", s->x,
			   s->y, s->w, s->h);
		svg_fill(b, id, s->fill);
		svg_stroke(b, s);
		buf_puts(b, "/>");
		break;
	case SH_LINE:
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", s->x, s->y,
			   s->w, s->h);
		svg_stroke(b, s);
		buf_puts(b, "/>");
		break;
	case SH_POLYLINE:
		buf_puts(b, "<polyline points=\"");
		for (size_t i = 0; i < s->npts; i++)
			buf_printf(b, "%s%.1f,%.1f", i ? " " : "", s->pts[2 * i],
				   s->pts[2 * i + 1]);
		buf_puts(b, "\" fill=\"none\"");
		svg_stroke(b, s);
		buf_puts(b, "/>");
		break;
	case SH_MARKER: svg_marker(b, id, s); break;
	case SH_TEXT:
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"%s%s fill=\"%s\"",
			   s->x, s->y, s->size, s->bold ? " font-weight=\"bold\"" : "",
			   s->anchor == A_MIDDLE ? " text-anchor=\"middle\""
			   : s->anchor == A_END  ? " text-anchor=\"end\""
						 : "",
			   ink_style(s->ink)->hex);
		if (s->angle != 0)
			buf_printf(b, " transform=\"rotate(%.0f %.1f %.1f)\"", s->angle, s->x,
				   s->y);
		buf_puts(b, ">");
		esc_html(b, s->text);
		buf_puts(b, "</text>");
		break;
	}
}

static bool id_ok(const char *id)
{
	if (!id || !id[0] || strlen(id) > 64)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return !(id[0] >= '0' && id[0] <= '9');
}

static atomic_ulong chart_counter;

void chart_size(const struct chart *c, enum chart_medium m, double pdf_width, double *w, double *h)
{
	switch (m) {
	case CHART_MEDIUM_PAGE: *w = 640, *h = 360; return;
	case CHART_MEDIUM_PNG: *w = 960, *h = 540; return;
	case CHART_MEDIUM_PDF: break;
	}
	*w = pdf_width;
	switch (c->kind) {
	case CHART_GAUGE: *h = 92; break;
	case CHART_LINE: *h = c->n_cats <= 4 ? 140 : 170; break;
	case CHART_BAR:
	case CHART_STACKED: *h = c->n_cats > 8 ? 210 : 170; break;
	}
}

int chart_svg(const struct chart *c, const char *id, struct buf *out)
{
	if (chart_check(c) < 0)
		return -1;
	char gen[32];
	if (!id) {
		snprintf(gen, sizeof(gen), "chart-%lu", atomic_fetch_add(&chart_counter, 1) + 1);
		id = gen;
	}
	if (!id_ok(id)) {
		log_error("chart_invalid", "reason=\"bad id\"");
		return -1;
	}
	struct layout l = {.a = arena_new(16384)};
	double W, H;
	chart_size(c, CHART_MEDIUM_PAGE, 0, &W, &H);
	chart_layout(c, &l, W, H);
	struct buf b = BUF_INIT(4u << 20);
	buf_printf(&b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %.0f "
		   "%.0f\" role=\"img\" aria-labelledby=\"%s-t %s-d\" focusable=\"false\" "
		   "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\">",
		   W, H, id, id);
	buf_printf(&b, "<title id=\"%s-t\">", id);
	esc_html(&b, c->title);
	buf_printf(&b, "</title><desc id=\"%s-d\">", id);
	esc_html(&b, c->desc ? c->desc : generated_desc(l.a, c));
	buf_puts(&b, "</desc><defs>");
	for (size_t i = 0; i < N_STYLES; i++)
		if (styles[i].pat != PAT_SOLID)
			svg_pattern(&b, id, i);
	buf_puts(&b, "</defs><g aria-hidden=\"true\">");
	for (size_t i = 0; i < l.n; i++)
		svg_shape(&b, id, &l.v[i]);
	buf_puts(&b, "</g></svg>");
	int rc = b.overflow ? -1 : buf_append(out, b.data, b.len);
	if (rc < 0)
		log_error("chart_svg_failed", "reason=\"buffer bound\"");
	buf_free(&b);
	arena_free(l.a);
	return rc;
}

/* ---- cairo (PDF pages, PNG) */

static void cr_set(cairo_t *cr, const struct style *st)
{
	cairo_set_source_rgb(cr, st->r, st->g, st->b);
}

/* Fills the current path with style i (colour, then its pattern). */
static void cr_fill(cairo_t *cr, int i)
{
	const struct style *st = &styles[i];
	cr_set(cr, st);
	cairo_fill_preserve(cr);
	if (st->pat == PAT_SOLID)
		return;
	cairo_path_t *path = cairo_copy_path(cr); /* save/restore keeps no path */
	cairo_save(cr);
	cairo_clip_preserve(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	double x1, y1, x2, y2;
	cairo_clip_extents(cr, &x1, &y1, &x2, &y2);
	cairo_new_path(cr);
	double step = 4.5;
	if (st->pat == PAT_DOTS) {
		for (double y = floor(y1 / step) * step; y <= y2; y += step)
			for (double x = floor(x1 / step) * step; x <= x2; x += step) {
				cairo_new_sub_path(cr);
				cairo_arc(cr, x + step / 2, y + step / 2, 0.9, 0, 2 * M_PI);
			}
		cairo_fill(cr);
	} else {
		cairo_set_line_width(cr, st->pat == PAT_STRIPES ? 1.1 : 0.7);
		double span = (x2 - x1) + (y2 - y1);
		for (double d = -span; d <= span; d += step) {
			cairo_move_to(cr, x1 + d, y2);
			cairo_line_to(cr, x1 + d + (y2 - y1), y1);
			if (st->pat == PAT_CROSS) {
				cairo_move_to(cr, x1 + d, y1);
				cairo_line_to(cr, x1 + d + (y2 - y1), y2);
			}
		}
		cairo_stroke(cr);
	}
	cairo_restore(cr);
	cairo_new_path(cr);
	cairo_append_path(cr, path); /* for the outline's stroke */
	cairo_path_destroy(path);
}

static void cr_stroke(cairo_t *cr, const struct shape *s)
{
	if (s->ink == INK_NONE) {
		cairo_new_path(cr);
		return;
	}
	cr_set(cr, ink_style(s->ink));
	cairo_set_line_width(cr, s->lw);
	double dash[] = {6, 4};
	cairo_set_dash(cr, dash, s->dash ? 2 : 0, 0);
	cairo_stroke(cr);
}

static void cr_text(cairo_t *cr, const struct shape *s)
{
	PangoLayout *pl = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans");
	pango_font_description_set_absolute_size(fd, s->size * PANGO_SCALE);
	if (s->bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(pl, fd);
	pango_layout_set_text(pl, s->text, -1);
	int w, h;
	pango_layout_get_size(pl, &w, &h);
	double dx = s->anchor == A_MIDDLE ? w / 2.0 : s->anchor == A_END ? (double)w : 0;
	double base = pango_layout_get_baseline(pl);
	cairo_save(cr);
	cairo_translate(cr, s->x, s->y);
	if (s->angle != 0)
		cairo_rotate(cr, s->angle * M_PI / 180);
	cairo_move_to(cr, -dx / PANGO_SCALE, -base / PANGO_SCALE);
	cr_set(cr, ink_style(s->ink));
	pango_cairo_show_layout(cr, pl);
	cairo_new_path(cr); /* the move_to above must not start the next shape */
	cairo_restore(cr);
	pango_font_description_free(fd);
	g_object_unref(pl);
}

static void cr_marker(cairo_t *cr, const struct shape *s)
{
	double r = s->w / 2;
	cairo_new_path(cr);
	switch (s->marker) {
	case 0: cairo_arc(cr, s->x, s->y, r, 0, 2 * M_PI); break;
	case 1: cairo_rectangle(cr, s->x - r, s->y - r, 2 * r, 2 * r); break;
	case 2:
		cairo_move_to(cr, s->x, s->y - r * 1.2);
		cairo_line_to(cr, s->x + r * 1.1, s->y + r * 0.8);
		cairo_line_to(cr, s->x - r * 1.1, s->y + r * 0.8);
		cairo_close_path(cr);
		break;
	default:
		cairo_move_to(cr, s->x, s->y - r * 1.3);
		cairo_line_to(cr, s->x + r * 1.3, s->y);
		cairo_line_to(cr, s->x, s->y + r * 1.3);
		cairo_line_to(cr, s->x - r * 1.3, s->y);
		cairo_close_path(cr);
	}
	cr_fill(cr, s->fill);
	cr_stroke(cr, s);
}

static void cr_shape(cairo_t *cr, const struct shape *s)
{
	switch (s->kind) {
	case SH_RECT:
		cairo_rectangle(cr, s->x, s->y, s->w, s->h);
		if (s->fill >= 0)
			cr_fill(cr, s->fill);
		cr_stroke(cr, s);
		break;
	case SH_LINE:
		cairo_move_to(cr, s->x, s->y);
		cairo_line_to(cr, s->w, s->h);
		cr_stroke(cr, s);
		break;
	case SH_POLYLINE:
		cairo_new_path(cr);
		for (size_t i = 0; i < s->npts; i++)
			(i ? cairo_line_to : cairo_move_to)(cr, s->pts[2 * i], s->pts[2 * i + 1]);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cr_stroke(cr, s);
		break;
	case SH_MARKER: cr_marker(cr, s); break;
	case SH_TEXT: cr_text(cr, s); break;
	}
}

int chart_draw(const struct chart *c, cairo_t *cr, double x, double y, double w, double h)
{
	if (chart_check(c) < 0 || !cr || w < 50 || h < 50)
		return -1;
	struct layout l = {.a = arena_new(16384)};
	chart_layout(c, &l, w, h);
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_clip(cr);
	cairo_new_path(cr);
	for (size_t i = 0; i < l.n; i++)
		cr_shape(cr, &l.v[i]);
	cairo_restore(cr);
	arena_free(l.a);
	return 0;
}

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_append(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS
						   : CAIRO_STATUS_WRITE_ERROR;
}

int chart_png(const struct chart *c, int w, int h, struct buf *out)
{
	if (chart_check(c) < 0 || w < 100 || h < 100 || w > 4000 || h > 4000)
		return -1;
	cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(sf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	int rc = chart_draw(c, cr, 0, 0, w, h);
	size_t before = out->len;
	if (rc == 0 && cairo_status(cr) == CAIRO_STATUS_SUCCESS) {
		cairo_surface_flush(sf);
		if (cairo_surface_write_to_png_stream(sf, png_write, out) != CAIRO_STATUS_SUCCESS) {
			buf_truncate(out, before);
			rc = -1;
		}
	} else {
		rc = -1;
	}
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	if (rc < 0)
		log_error("chart_png_failed", "width=%d height=%d", w, h);
	return rc;
}

/* ---- the numbers behind a chart */

int chart_table_html(const struct chart *c, struct buf *out)
{
	if (chart_check(c) < 0)
		return -1;
	struct arena *a = arena_new(4096);
	struct buf b = BUF_INIT(1u << 20);
	html_printf(&b, "<table class=\"chart-data\"><caption>%s", c->title);
	if (c->unit && c->unit[0])
		html_printf(&b, " (%s)", c->unit);
	html_printf(&b, "</caption><thead><tr><th scope=\"col\">%s</th>",
		    i18n_tr(c->lang, "Catégorie"));
	for (size_t s = 0; s < c->n_series; s++)
		html_printf(&b, "<th scope=\"col\">%s</th>",
			    c->series && c->series[s] ? c->series[s] : i18n_tr(c->lang, "Valeur"));
	html_printf(&b, "</tr></thead><tbody>");
	for (size_t k = 0; k < c->n_cats; k++) {
		html_printf(&b, "<tr><th scope=\"row\">%s</th>", c->cats[k]);
		for (size_t s = 0; s < c->n_series; s++)
			html_printf(&b, "<td>%s</td>", cell_text(a, c, s, k, false));
		html_printf(&b, "</tr>");
	}
	html_printf(&b, "</tbody>");
	if (c->has_target || c->kind == CHART_GAUGE)
		html_printf(&b, "<tfoot><tr><td colspan=\"%zu\">%s%s%s</td></tr></tfoot>",
			    c->n_series + 1, c->has_target ? target_text(a, c) : "",
			    c->has_target && c->kind == CHART_GAUGE ? " — " : "",
			    c->kind == CHART_GAUGE ? chart_status_word(c->lang, c->status) : "");
	html_printf(&b, "</table>");
	int rc = b.overflow ? -1 : buf_append(out, b.data, b.len);
	buf_free(&b);
	arena_free(a);
	return rc;
}
