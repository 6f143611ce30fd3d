#include "core/escape.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

int esc_html_n(struct buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if (buf_append(b, s + start, i - start) < 0 || buf_puts(b, rep) < 0)
			return -1;
		start = i + 1;
	}
	return buf_append(b, s + start, n - start);
}

int esc_html(struct buf *b, const char *s)
{
	return s ? esc_html_n(b, s, strlen(s)) : 0;
}

int esc_url(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			if (buf_putc(b, (char)c) < 0)
				return -1;
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			if (buf_append(b, e, 3) < 0)
				return -1;
		}
	}
	return 0;
}

int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long url_decode(char *out, const char *s, size_t n, int plus_is_space)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (n - i < 3)
				return -1;
			int h = hex_digit_value(s[i + 1]), l = hex_digit_value(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			out[o++] = ' ';
		} else {
			out[o++] = c;
		}
	}
	out[o] = '\0';
	return (long)o;
}

/* Formats one numeric conversion with the C library, from a spec that the
 * caller has checked holds only flags, width, precision and length. */
static int html_number(struct buf *b, const char *spec, size_t speclen, char conv, va_list *ap)
{
	char f[16];
	if (speclen + 3 > sizeof(f)) /* '%', spec, conversion, NUL */
		return -1;
	f[0] = '%';
	memcpy(f + 1, spec, speclen);
	f[speclen + 1] = conv;
	f[speclen + 2] = '\0';
	int longs = 0, size_t_len = 0;
	for (size_t i = 0; i < speclen; i++) {
		if (spec[i] == 'l')
			longs++;
		else if (spec[i] == 'z')
			size_t_len = 1;
	}
	/* The format is built here from a literal's own conversion; the
	 * argument type follows the length modifier exactly. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	switch (conv) {
	case 'd':
		if (longs >= 2)
			return buf_printf(b, f, va_arg(*ap, long long));
		if (longs == 1)
			return buf_printf(b, f, va_arg(*ap, long));
		if (size_t_len)
			return buf_printf(b, f, va_arg(*ap, size_t));
		return buf_printf(b, f, va_arg(*ap, int));
	case 'u':
		if (longs >= 2)
			return buf_printf(b, f, va_arg(*ap, unsigned long long));
		if (longs == 1)
			return buf_printf(b, f, va_arg(*ap, unsigned long));
		if (size_t_len)
			return buf_printf(b, f, va_arg(*ap, size_t));
		return buf_printf(b, f, va_arg(*ap, unsigned));
	case 'f': return buf_printf(b, f, va_arg(*ap, double));
	default: return -1;
	}
#pragma GCC diagnostic pop
}

int html_vprintf(struct buf *b, const char *fmt, va_list ap0)
{
	va_list ap;
	va_copy(ap, ap0);
	int rc = 0;
	const char *p = fmt;
	while (*p && rc == 0) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			rc = buf_puts(b, p);
			break;
		}
		if (pct > p)
			rc = buf_append(b, p, (size_t)(pct - p));
		if (rc)
			break;
		const char *spec = pct + 1;
		const char *q = spec;
		while (*q && strchr("-+ 0#.123456789lz", *q))
			q++;
		size_t speclen = (size_t)(q - spec);
		switch (*q) {
		case '%': rc = buf_putc(b, '%'); break;
		case 's': rc = esc_html(b, va_arg(ap, const char *)); break;
		case 'U': rc = esc_url(b, va_arg(ap, const char *)); break;
		case 'R': rc = buf_puts(b, va_arg(ap, const char *)); break;
		case 'd':
		case 'u':
		case 'f': rc = html_number(b, spec, speclen, *q, &ap); break;
		default:
			/* An unknown code is a programming error that
			 * fmtcheck should have caught. */
			die_bug(__FILE__, __LINE__, "bad html_printf format code");
		}
		p = q + 1;
	}
	va_end(ap);
	return rc;
}

int html_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = html_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

/* True when the whole of s is a plain decimal number: an optional sign,
 * digits, and at most one '.' or ',' followed by digits. */
static bool plain_number(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	size_t digits = strspn(s, "0123456789");
	if (!digits)
		return false;
	s += digits;
	if (*s == '.' || *s == ',') {
		size_t more = strspn(s + 1, "0123456789");
		if (!more)
			return false;
		s += 1 + more;
	}
	return *s == '\0';
}

bool sheet_is_formula(const char *s)
{
	return s && *s && strchr("=+-@\t\r", *s) && !plain_number(s);
}

const char *sheet_text(struct arena *ar, const char *s)
{
	if (!sheet_is_formula(s))
		return s;
	size_t n = strlen(s);
	char *t = arena_alloc(ar, n + 2);
	t[0] = '\'';
	memcpy(t + 1, s, n + 1);
	return t;
}
