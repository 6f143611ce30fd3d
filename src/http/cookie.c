#include "http/cookie.h"

#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"

int cookie_parse(struct arena *a, const char *h, struct kvlist *out)
{
	const char *p = h;
	while (*p) {
		while (*p == ' ' || *p == ';' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *name = p;
		while (*p && *p != '=' && *p != ';')
			p++;
		size_t nlen = (size_t)(p - name);
		while (nlen && name[nlen - 1] == ' ')
			nlen--;
		if (*p != '=') { /* a bare token: ignore it */
			continue;
		}
		p++;
		const char *val = p;
		while (*p && *p != ';')
			p++;
		size_t vlen = (size_t)(p - val);
		while (vlen && val[vlen - 1] == ' ')
			vlen--;
		if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
			val++;
			vlen -= 2;
		}
		if (!nlen)
			continue;
		if (!utf8_valid(name, nlen) || !utf8_valid(val, vlen))
			return -1;
		kvlist_add(a, out, arena_strndup(a, name, nlen), arena_strndup(a, val, vlen));
	}
	return 0;
}

static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", c))
			return false;
	}
	return true;
}

static bool is_cookie_value(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\')
			return false;
	}
	return true;
}

const char *cookie_build(struct arena *a, const char *name, const char *value,
			 const struct cookie_opts *o)
{
	if (!is_token(name) || !is_cookie_value(value))
		return NULL;
	struct buf b = BUF_INIT(4096);
	buf_printf(&b, "%s=%s; Path=%s; SameSite=%s", name, value, o->path ? o->path : "/",
		   o->same_site ? o->same_site : "Strict");
	if (o->max_age > 0)
		buf_printf(&b, "; Max-Age=%ld", o->max_age);
	else if (o->max_age < 0)
		buf_puts(&b, "; Max-Age=0");
	if (o->http_only)
		buf_puts(&b, "; HttpOnly");
	if (o->secure)
		buf_puts(&b, "; Secure");
	const char *r = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return r;
}
