/* The interchange internals: an arena JSON parser (one allocation pool per
 * line, so a million-line import does no per-record malloc), hash tables
 * for external ids and the kind names. See interchange_internal.h. */
#include "interchange/interchange_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/utf8.h"
#include "core/util.h"

uint32_t ix_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* ------------------------------------------------------------------ */
/* Parser */

struct jp {
	struct arena *ar;
	const char *start, *p, *end;
	int depth;
	char *err;
	size_t errcap;
};

/* Records the first error (with its byte column) and returns NULL. */
static struct jval *jp_fail(struct jp *j, const char *what)
{
	if (!*j->err)
		snprintf(j->err, j->errcap, "invalid JSON at column %zu: %s",
			 (size_t)(j->p - j->start) + 1, what);
	return NULL;
}

/* Skips JSON white space. */
static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* The value of the four hex digits at q (before end), or -1. */
static long hex4(const char *q, const char *end)
{
	if (end - q < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hex_digit_value(q[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Encodes code point cp (a scalar value) at o; returns its length. */
static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Finds the closing quote of the string whose text starts at s: *close
 * points at it and *escaped tells whether the text holds a backslash.
 * false (with j->err) on a control character or a missing quote. */
static bool jp_string_end(struct jp *j, const char *s, const char **close, bool *escaped)
{
	const char *q = s;
	*escaped = false;
	while (q < j->end && *q != '"') {
		if ((unsigned char)*q < 0x20) {
			j->p = q;
			jp_fail(j, "control character in a string");
			return false;
		}
		if (*q == '\\') {
			*escaped = true;
			if (++q >= j->end)
				break;
		}
		q++;
	}
	if (q >= j->end) {
		j->p = q;
		jp_fail(j, "unterminated string");
		return false;
	}
	*close = q;
	return true;
}

/* The code point of the \u escape at *r (its 'u'; the text ends at end),
 * a surrogate pair read whole; *r moves past it. -1 (with j->err) on a
 * bad or lone escape. */
static long jp_escape_u(struct jp *j, const char **r, const char *end)
{
	long cp = hex4(*r + 1, end);
	if (cp < 0) {
		jp_fail(j, "bad \\u escape");
		return -1;
	}
	*r += 5;
	if (cp >= 0xDC00 && cp <= 0xDFFF) {
		jp_fail(j, "lone surrogate in \\u escape");
		return -1;
	}
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		const char *p = *r;
		long lo = end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2, end) : -1;
		if (lo < 0xDC00 || lo > 0xDFFF) {
			jp_fail(j, "lone surrogate in \\u escape");
			return -1;
		}
		*r += 6;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	return cp;
}

/* The character a one-letter escape stands for ("n" for a new line), or
 * -1 when c is not one. */
static int jp_escape_char(char c)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *at = c ? strchr(from, c) : NULL;
	return at ? to[at - from] : -1;
}

/* Decodes the escapes of the text [s, end) into out (room for end - s
 * bytes: escapes never make the text longer). Returns its length, or
 * (size_t)-1 (with j->err, j->p at the bad escape). */
static size_t jp_unescape(struct jp *j, const char *s, const char *end, char *out)
{
	size_t n = 0;
	for (const char *r = s; r < end;) {
		if (*r != '\\') {
			out[n++] = *r++;
			continue;
		}
		j->p = r++;
		if (*r == 'u') {
			long cp = jp_escape_u(j, &r, end);
			if (cp < 0)
				return (size_t)-1;
			n += put_utf8(out + n, (unsigned long)cp);
			continue;
		}
		int c = jp_escape_char(*r);
		if (c < 0) {
			jp_fail(j, "bad escape");
			return (size_t)-1;
		}
		out[n++] = (char)c;
		r++;
	}
	return n;
}

/* Parses the string at j->p (a '"'); the decoded text goes to the arena:
 * find the closing quote, decode the escapes, check the UTF-8. */
static const char *jp_string(struct jp *j, size_t *len)
{
	const char *s = ++j->p, *q;
	bool escaped;
	if (!jp_string_end(j, s, &q, &escaped))
		return NULL;
	size_t raw = (size_t)(q - s), n = raw;
	char *out = arena_alloc(j->ar, raw + 1);
	if (escaped)
		n = jp_unescape(j, s, q, out);
	else
		memcpy(out, s, raw);
	if (n == (size_t)-1)
		return NULL;
	out[n] = '\0';
	if (!utf8_valid(out, n)) {
		j->p = s;
		jp_fail(j, "string is not valid UTF-8 or contains NUL");
		return NULL;
	}
	j->p = q + 1;
	*len = n;
	return out;
}

/* True when the next byte is a decimal digit. */
static bool is_digit(const struct jp *j)
{
	return j->p < j->end && *j->p >= '0' && *j->p <= '9';
}

/* Parses a number (RFC 8259 grammar) into v, keeping its text. */
static struct jval *jp_number(struct jp *j, struct jval *v)
{
	const char *s = j->p;
	bool is_int = true;
	if (*j->p == '-')
		j->p++;
	if (!is_digit(j))
		return jp_fail(j, "bad number");
	if (*j->p == '0')
		j->p++;
	else
		while (is_digit(j))
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		is_int = false;
		j->p++;
		if (!is_digit(j))
			return jp_fail(j, "bad number");
		while (is_digit(j))
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		is_int = false;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!is_digit(j))
			return jp_fail(j, "bad number");
		while (is_digit(j))
			j->p++;
	}
	v->type = J_NUMBER;
	v->is_int = is_int;
	v->len = (size_t)(j->p - s);
	v->s = arena_strndup(j->ar, s, v->len);
	return v;
}

static struct jval *jp_value(struct jp *j);

/* Consumes word (true, false, null) when it is next. */
static bool jp_literal(struct jp *j, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return false;
	j->p += n;
	return true;
}

/* Parses an object or array at j->p into v (members in input order). */
static struct jval *jp_container(struct jp *j, struct jval *v, bool object)
{
	char close = object ? '}' : ']';
	if (++j->depth > IX_JSON_DEPTH)
		return jp_fail(j, "nested too deeply");
	v->type = object ? J_OBJECT : J_ARRAY;
	j->p++;
	jp_ws(j);
	struct jval **tail = &v->first;
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return v;
	}
	for (;;) {
		const char *key = NULL;
		size_t klen = 0;
		if (object) {
			if (j->p >= j->end || *j->p != '"')
				return jp_fail(j, "expected a member name");
			if (!(key = jp_string(j, &klen)))
				return NULL;
			jp_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return jp_fail(j, "expected ':'");
			j->p++;
			jp_ws(j);
		}
		struct jval *e = jp_value(j);
		if (!e)
			return NULL;
		if (object) {
			e->key = key;
			e->hash = ix_hash(key, klen);
			for (const struct jval *o = v->first; o; o = o->next)
				if (o->hash == e->hash && strcmp(o->key, key) == 0)
					return jp_fail(j, "duplicate member name");
		}
		*tail = e;
		tail = &e->next;
		v->n++;
		jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			jp_ws(j);
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return v;
		}
		return jp_fail(j, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

/* Parses any value; NULL (with j->err) on error. */
static struct jval *jp_value(struct jp *j)
{
	if (j->p >= j->end)
		return jp_fail(j, "unexpected end");
	struct jval *v = arena_calloc(j->ar, 1, sizeof(*v));
	switch (*j->p) {
	case '{': return jp_container(j, v, true);
	case '[': return jp_container(j, v, false);
	case '"':
		v->type = J_STRING;
		v->s = jp_string(j, &v->len);
		return v->s ? v : NULL;
	case 't':
	case 'f':
		v->type = J_BOOL;
		v->b = *j->p == 't';
		return jp_literal(j, v->b ? "true" : "false") ? v : jp_fail(j, "unexpected word");
	case 'n':
		v->type = J_NULL;
		return jp_literal(j, "null") ? v : jp_fail(j, "unexpected word");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return jp_number(j, v);
		return jp_fail(j, "unexpected character");
	}
}

struct jval *ix_json_parse(struct arena *ar, const char *text, size_t len, char *err, size_t errcap)
{
	struct jp j = {.ar = ar,
		       .start = text,
		       .p = text,
		       .end = text + len,
		       .err = err,
		       .errcap = errcap};
	if (errcap)
		err[0] = '\0';
	jp_ws(&j);
	struct jval *v = jp_value(&j);
	if (!v)
		return NULL;
	jp_ws(&j);
	if (j.p != j.end)
		return jp_fail(&j, "text after the value");
	return v;
}

const struct jval *ix_json_get(const struct jval *obj, const char *key)
{
	if (!obj || obj->type != J_OBJECT)
		return NULL;
	uint32_t h = ix_hash(key, strlen(key));
	for (const struct jval *m = obj->first; m; m = m->next)
		if (m->hash == h && strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

void ix_json_write(struct jsonw *w, const struct jval *v)
{
	switch (v->type) {
	case J_NULL: jsonw_null(w); break;
	case J_BOOL: jsonw_bool(w, v->b); break;
	case J_STRING: jsonw_str(w, v->s); break;
	case J_NUMBER: {
		int64_t i;
		if (v->is_int && parse_i64(v->s, INT64_MIN, INT64_MAX, &i) == 0)
			jsonw_int(w, i);
		else
			jsonw_double_exact(w, strtod(v->s, NULL));
		break;
	}
	case J_ARRAY:
		jsonw_arr_begin(w);
		for (const struct jval *e = v->first; e; e = e->next)
			ix_json_write(w, e);
		jsonw_arr_end(w);
		break;
	case J_OBJECT:
		jsonw_obj_begin(w);
		for (const struct jval *e = v->first; e; e = e->next) {
			jsonw_key(w, e->key);
			ix_json_write(w, e);
		}
		jsonw_obj_end(w);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* The map of external ids (open addressing, linear probing, at most half
 * full); the sets of row ids are core/idmap.h's. */

void ix_strmap_init(struct strmap *m, struct arena *keys)
{
	memset(m, 0, sizeof(*m));
	m->keys = keys;
}

void ix_strmap_free(struct strmap *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}

/* The slot of key (its entry, or the free slot where it would go). */
static struct strmap_entry *strmap_slot(struct strmap_entry *v, size_t cap, const char *key,
					uint32_t h)
{
	size_t i = h & (cap - 1);
	while (v[i].key && !(v[i].hash == h && strcmp(v[i].key, key) == 0))
		i = (i + 1) & (cap - 1);
	return &v[i];
}

struct ix_ref *ix_strmap_get(struct strmap *m, const char *key)
{
	if (!m->n)
		return NULL;
	struct strmap_entry *e = strmap_slot(m->v, m->cap, key, ix_hash(key, strlen(key)));
	return e->key ? &e->ref : NULL;
}

void ix_strmap_put(struct strmap *m, const char *key, struct ix_ref ref)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct strmap_entry *v = calloc(cap, sizeof(*v));
		if (!v)
			die_oom();
		for (size_t i = 0; i < m->cap; i++)
			if (m->v[i].key)
				*strmap_slot(v, cap, m->v[i].key, m->v[i].hash) = m->v[i];
		free(m->v);
		m->v = v;
		m->cap = cap;
	}
	uint32_t h = ix_hash(key, strlen(key));
	struct strmap_entry *e = strmap_slot(m->v, m->cap, key, h);
	if (!e->key) {
		e->key = arena_strdup(m->keys, key);
		e->hash = h;
		m->n++;
	}
	e->ref = ref;
}

/* ------------------------------------------------------------------ */
/* Kinds */

static const char *const kind_names[K__COUNT] = {
	[K_SECTOR] = "sector",
	[K_TERRITORY] = "territory",
	[K_PORTRAIT] = "portrait",
	[K_ORGANISATION] = "organisation",
	[K_REF_ITEM] = "ref_item",
	[K_PERSON] = "person",
	[K_POSITION] = "position",
	[K_FAMILY] = "family",
	[K_ACTIVITY] = "activity",
	[K_CORRIDOR] = "corridor",
	[K_REFERRAL] = "referral",
	[K_SUPERVISION] = "supervision",
	[K_SUPPORT_REQUEST] = "support_request",
	[K_PROJECT] = "project",
	[K_SURVEY] = "survey",
	[K_SERVICE_GAP] = "service_gap",
	[K_STORY] = "story",
};

const char *ix_kind_name(enum ix_kind k)
{
	BUG_ON((unsigned)k >= K__COUNT);
	return kind_names[k];
}

int ix_kind_parse(const char *name)
{
	for (int k = 0; name && k < K__COUNT; k++)
		if (strcmp(name, kind_names[k]) == 0)
			return k;
	return -1;
}
