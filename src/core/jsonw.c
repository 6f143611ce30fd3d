#include "core/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jsonw_init(struct jsonw *w, struct buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->first[0] = true;
}

static void jw_put(struct jsonw *w, const char *s, size_t n)
{
	if (!w->err && buf_append(w->out, s, n) < 0)
		w->err = -1;
}

/* Writes the separator a new value needs at the current position. */
static void jw_sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		jw_put(w, ",", 1);
	w->first[w->depth] = false;
}

static void jw_open(struct jsonw *w, char c)
{
	jw_sep(w);
	jw_put(w, &c, 1);
	if (w->depth + 1 >= JSONW_MAX_DEPTH) {
		w->err = -1;
		return;
	}
	w->depth++;
	w->first[w->depth] = true;
}

static void jw_close(struct jsonw *w, char c)
{
	if (w->depth == 0) {
		w->err = -1;
		return;
	}
	w->depth--;
	jw_put(w, &c, 1);
}

void jsonw_obj_begin(struct jsonw *w)
{
	jw_open(w, '{');
}
void jsonw_obj_end(struct jsonw *w)
{
	jw_close(w, '}');
}
void jsonw_arr_begin(struct jsonw *w)
{
	jw_open(w, '[');
}
void jsonw_arr_end(struct jsonw *w)
{
	jw_close(w, ']');
}

int json_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (buf_putc(b, '"') < 0)
		return -1;
	size_t start = 0, i = 0;
	for (; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t n = 2;
		esc[0] = '\\';
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
		} else if (c == '\n') {
			esc[1] = 'n';
		} else if (c == '\r') {
			esc[1] = 'r';
		} else if (c == '\t') {
			esc[1] = 't';
		} else if (c < 0x20 || c == '<') {
			/* '<' too, so JSON inside HTML cannot close a tag. */
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		} else {
			continue;
		}
		if (buf_append(b, s + start, i - start) < 0 || buf_append(b, esc, n) < 0)
			return -1;
		start = i + 1;
	}
	if (buf_append(b, s + start, i - start) < 0)
		return -1;
	return buf_putc(b, '"');
}

void jsonw_key(struct jsonw *w, const char *key)
{
	jw_sep(w);
	if (!w->err && json_escape(w->out, key) < 0)
		w->err = -1;
	jw_put(w, ":", 1);
	w->after_key = true;
}

void jsonw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	jw_sep(w);
	if (!w->err && json_escape(w->out, s) < 0)
		w->err = -1;
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	jw_sep(w);
	jw_put(w, tmp, (size_t)n);
}

void jsonw_double(struct jsonw *w, double v, int decimals)
{
	if (!isfinite(v)) {
		jsonw_null(w);
		return;
	}
	char tmp[64];
	if (decimals < 0 || decimals > 9)
		decimals = 6;
	int n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		jsonw_null(w);
		return;
	}
	jw_sep(w);
	jw_put(w, tmp, (size_t)n);
}

int jsonw_decimals_exact(double v, double *rounded)
{
	*rounded = v;
	if (!isfinite(v))
		return 0;
	char tmp[400];
	snprintf(tmp, sizeof(tmp), "%.9f", v);
	double r = strtod(tmp, NULL);
	int d = 0;
	for (; d < 9; d++) {
		snprintf(tmp, sizeof(tmp), "%.*f", d, r);
		if (strtod(tmp, NULL) == r)
			break;
	}
	*rounded = r;
	return d;
}

void jsonw_double_exact(struct jsonw *w, double v)
{
	double r;
	int d = jsonw_decimals_exact(v, &r);
	jsonw_double(w, r, d);
}

void jsonw_bool(struct jsonw *w, bool v)
{
	jw_sep(w);
	jw_put(w, v ? "true" : "false", v ? 4 : 5);
}

void jsonw_null(struct jsonw *w)
{
	jw_sep(w);
	jw_put(w, "null", 4);
}

void jsonw_kv_str(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void jsonw_kv_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

int jsonw_finish(struct jsonw *w)
{
	return (w->err || w->depth != 0 || w->after_key) ? -1 : 0;
}
