/* fmtcheck fixture: everything here is allowed; fmtcheck must print
 * nothing. Never compiled. Mentions that are not calls:
 * sprintf(buf, x), strcpy(a, b), html_printf(b, user) in a comment. */
#include <inttypes.h>
#include <stdarg.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/log.h"

// sprintf(line comment) and html_printf(b, user); are ignored too.

/* Declarations and definitions are not calls. */
int html_printf(struct buf *b, const char *fmt, ...);
int html_vprintf(struct buf *b, const char *fmt, va_list ap);
void log_write(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct ops {
	int (*sprintf)(char *, const char *, ...);
	int (*atoi)(const char *);
};

/* A variadic wrapper that forwards its format: its callers are checked. */
static int page_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = html_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

#define CELL(b, ...) html_printf(b, __VA_ARGS__)
#define LOG_OOPS(what) log_warn("oops", "what=%s", what)

static int number(struct buf *b, const char *spec, int v)
{
	char f[16];
	f[0] = '%';
	(void)spec;
	f[1] = 'd';
	f[2] = '\0';
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return buf_printf(b, f, v);
#pragma GCC diagnostic pop
}

void ok_view(struct buf *b, const char *user, int n, double d, size_t z, long long ll,
	     struct ops *o)
{
	html_printf(b, "<p>%s, %U, %R</p>", user, user, "<b>trusted</b>");
	html_printf(b,
		    "<table>" /* a comment, with a comma */
		    "<tr><td>%d</td><td>%5d</td><td>%-3u</td>"
		    "<td>%.1f</td><td>%zu</td><td>%lld</td>"
		    "<td width=\"100%%\">%lu</td></tr>\n"
		    "</table>",
		    n, (int)sizeof(struct buf), (unsigned)(n + 1), d, z, ll,
		    (unsigned long)strlen(","));
	html_printf(b, u8"<p>%s</p>", user ? user : "(a, b)");
	html_printf(b, "<p>%s%s</p>", f(',', ")"), g(h(1, 2), '\'', "\"(", ',')); // , ( in strings
	html_printf(b, "<p>%s</p>" \
		    "<p>%d</p>", user, n);
	html_printf(b, "\045s and 100%%", user);
	html_printf(b, "no conversion at all");
	page_printf(b, "<li>%s</li>", user);
	CELL(b, "<td>%s</td>", user);
	CELL(b, "<td>plain</td>");
	buf_printf(b, "%" PRId64 " items", (int64_t)n);
	log_info("view.ok", "user=%s n=%d", user, n);
	log_write(LOG_DEBUG, user, "event name is not the format");
	LOG_OOPS("x");
	number(b, "d", n);
	o->sprintf(NULL, "%s", user);
	n = o->atoi("12");
	const char *s = "sprintf(tmp, user); strcpy(a, b);";
	char c = '(';
	(void)s;
	(void)c;
}
