/* Build tool: checks that no non-literal text reaches an HTML, log or SQL
 * writer (in the spirit of fossil's tools/codecheck1.c).
 * usage: fmtcheck [--wrappers] FILE...
 * Prints one line per problem, "file:line: reason", and exits 1 when there
 * is any (0 when clean, 2 on a usage or I/O error). --wrappers also lists,
 * on standard output, the wrapper functions it derived (see below).
 *
 * Rules:
 *  - The format argument of html_printf, html_vprintf, buf_printf,
 *    buf_vprintf, arena_printf, log_write, log_info, log_warn and log_error
 *    is a string literal (adjacent literals allowed).
 *  - html_printf/html_vprintf formats use only the codes of core/escape.h
 *    (%s %U %R %d %ld %lld %u %lu %llu %zu %f, flags/width/precision on the
 *    numbers only, %%), and html_printf gets exactly one argument per
 *    conversion.
 *  - sqlite3_prepare*, sqlite3_exec and db_query (ad-hoc SQL) appear only
 *    under src/db/, with a string literal or stmt_sql(...) as their SQL;
 *    db_exec_script is called only from src/db/migrate.c. The exception is
 *    src/db/copy.c (proxima copy), which makes its statements from the
 *    source database's own catalogue (checked identifiers, bound values)
 *    and runs them with either.
 *  - The engines' headers (sqlite3.h, libpq-fe.h) are included only under
 *    src/db/: everything else goes through db/db.h.
 *  - The data API's statement and transaction calls (db_stmt, db_step,
 *    db_reset, db_bind_*, db_col_*, db_begin, db_commit, db_rollback,
 *    db_last_insert_id, db_changes, db_query_free, db_bulk_*) appear only
 *    under src/db/, src/model/, src/interchange/ and src/auth/: pages, the
 *    API and reports read and write through the model, and the request
 *    pipeline's write unit is db_unit_run.
 *  - No literal HTTP status is assigned above src/http/ (src/views/,
 *    src/api/, src/reports/, src/app*.c: "->status = 422"): statuses come
 *    from src/http/error.c (http_status), or by name (HTTP_STATUS_OK,
 *    HTTP_STATUS_NO_CONTENT, http/response.h).
 *  - No function body is longer than 100 lines.
 *  - No page (src/views/) has a {code, "French", "English"} table: its
 *    labels are msgids ({code, N_("French"), NULL}), their English in
 *    po/parts/en-*.po, one translation mechanism (views/reflabel.h).
 *  - No indicator id ("act.temps", "arr.portrait") is spelt out as a string
 *    literal: indicators are named by enum (REPORT_IND_*, one row each in
 *    src/reports/indicators.def, which is not a .c or .h file).
 *  - sprintf, vsprintf, strcat, strcpy, atoi, atol, gets and strtok are
 *    never called.
 *  - Settings are read and written through model/settings.h, by their typed
 *    id: the settings statements (STMT_SETTING_*) appear only in
 *    src/model/settings.c (and src/db/), and settings_find, which looks a
 *    setting up by the key people type, never gets a string literal
 *    elsewhere (a literal key would be a reader of its own).
 *
 * How: each file is split into C tokens (comments dropped, string literals
 * decoded, preprocessor lines kept apart), so text in comments and strings
 * never looks like a call, and arguments are split on the commas that are
 * outside any ( [ {. A call is a name followed by "(" inside a function
 * body or a #define body; at file scope a name followed by "(" is a
 * declaration or definition (C has no calls there), which is how the
 * writers' own prototypes and definitions are skipped.
 *
 * Forwarding: a format argument may be a parameter of the enclosing
 * function when that function is printf-like itself (a "..." or va_list
 * parameter follows the format), or of the enclosing function-like macro
 * (__VA_ARGS__ included); an SQL argument may be a parameter of any
 * enclosing function. The enclosing function or macro then becomes a
 * checked writer (same kind, that parameter as its format or SQL) and its
 * callers are checked in turn: html_printf's body may pass fmt on to
 * html_vprintf, and db.c's static pragma(h, sql) must be called with
 * literal SQL. A plain function that passes its text parameter as a format
 * is reported (the text becomes a format). Wrappers are found over all the
 * files first, until no new one appears; a static function, or a macro
 * defined in a .c file, is a wrapper in its own file only.
 *
 * Escape hatch: a printf-style writer (buf_*, arena_printf, log_*) may take
 * a non-literal format between
 *   #pragma GCC diagnostic ignored "-Wformat-nonliteral"
 * and the matching "#pragma GCC diagnostic pop": the build (-Wformat=2
 * -Werror) needs that pragma there anyway, so it is already the reviewed,
 * greppable exception (core/escape.c formats one numeric conversion that
 * way). There is no escape hatch for HTML or SQL.
 *
 * Limits: no preprocessing. A macro that expands to several arguments, or
 * a format built from macros (PRId64 is accepted for the printf-style
 * writers only), is not seen through; braces unbalanced across #if/#else
 * branches confuse the function tracking; a writer called through a
 * function pointer, or a macro named like a writer's parameter, is not
 * seen; a conditional expression of two literals, or a parenthesised
 * literal, counts as non-literal; argument types are not checked (the
 * compiler does that for the printf-style writers, nobody does it for
 * html_printf); "src/db/" and "src/db/migrate.c" are recognised by the
 * file's path as given on the command line. */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Memory */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "fmtcheck: out of memory\n");
		exit(2);
	}
	return p;
}

#define GROW(arr, n, cap)                                                \
	do {                                                             \
		if ((n) == (cap)) {                                      \
			(cap) = (cap) ? (cap)*2 : 64;                    \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr))); \
		}                                                        \
	} while (0)

/* ------------------------------------------------------------------ */
/* Tokens */

enum tok_kind { T_IDENT, T_STRING, T_CHAR, T_NUMBER, T_PUNCT };
enum dir_kind { D_NONE, D_DEFINE, D_PRAGMA, D_OTHER };

struct tok {
	enum tok_kind kind;
	int line;
	const char *s; /* raw text in the file buffer */
	size_t n;
	char *str; /* T_STRING: decoded bytes (NUL-terminated) */
	size_t slen;
	unsigned dir;          /* 0, or the number of the directive it is part of */
	enum dir_kind dirkind; /* kind of that directive */
	bool fmt_ok;           /* inside a "-Wformat-nonliteral" ignored region */
};

struct file {
	const char *path;
	char *text;
	size_t len;
	struct tok *t;
	size_t nt, capt;
	bool in_db;      /* under src/db/ */
	bool in_data;    /* under src/db/, src/model/, src/interchange/ or src/auth/ */
	bool above_http; /* pages, the API, reports, the pipeline (src/app*.c) */
	bool is_migrate; /* src/db/migrate.c */
	bool is_copy;    /* src/db/copy.c: SQL made from the schema's catalogue */
	bool is_header;
};

static bool tok_is(const struct tok *t, const char *s)
{
	size_t n = strlen(s);
	return t->kind != T_STRING && t->kind != T_CHAR && t->n == n && memcmp(t->s, s, n) == 0;
}

static bool tok_eq(const struct tok *t, const char *s, size_t n)
{
	return t->n == n && memcmp(t->s, s, n) == 0;
}

/* The lexer works on the raw buffer; a backslash-newline (line splice) is
 * skipped wherever it appears, counting the line. */
struct lexer {
	struct file *f;
	size_t i;
	int line;
};

static int peekc(struct lexer *lx, size_t off)
{
	size_t i = lx->i;
	const char *s = lx->f->text;
	size_t n = lx->f->len;
	for (;;) {
		while (i + 1 < n && s[i] == '\\' &&
		       (s[i + 1] == '\n' || (s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n')))
			i += s[i + 1] == '\n' ? 2 : 3;
		if (i >= n)
			return -1;
		if (off == 0)
			return (unsigned char)s[i];
		off--;
		i++;
	}
}

/* Advances one logical character. */
static void nextc(struct lexer *lx)
{
	const char *s = lx->f->text;
	size_t n = lx->f->len;
	for (;;) {
		if (lx->i + 1 < n && s[lx->i] == '\\' &&
		    (s[lx->i + 1] == '\n' ||
		     (s[lx->i + 1] == '\r' && lx->i + 2 < n && s[lx->i + 2] == '\n'))) {
			lx->i += s[lx->i + 1] == '\n' ? 2 : 3;
			lx->line++;
			continue;
		}
		break;
	}
	if (lx->i < n) {
		if (s[lx->i] == '\n')
			lx->line++;
		lx->i++;
	}
}

static struct tok *push_tok(struct file *f, enum tok_kind k, int line, size_t start, size_t end)
{
	GROW(f->t, f->nt, f->capt);
	struct tok *t = &f->t[f->nt++];
	memset(t, 0, sizeof(*t));
	t->kind = k;
	t->line = line;
	t->s = f->text + start;
	t->n = end - start;
	return t;
}

static int hexdigit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads a string or character literal whose opening quote is at lx->i.
 * Decodes escapes into t->str for strings. */
static void lex_quoted(struct lexer *lx, size_t start, int line, int quote)
{
	struct file *f = lx->f;
	char *out = NULL;
	size_t on = 0, ocap = 0;
	nextc(lx); /* the quote */
	for (;;) {
		int c = peekc(lx, 0);
		if (c < 0 || c == '\n')
			break; /* unterminated: stop at the end of the line */
		nextc(lx);
		if (c == quote)
			break;
		if (c == '\\') {
			int e = peekc(lx, 0);
			if (e < 0)
				break;
			nextc(lx);
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			case 'x': {
				int v = 0, d;
				while ((d = hexdigit(peekc(lx, 0))) >= 0) {
					v = (v * 16 + d) & 0xff;
					nextc(lx);
				}
				c = v;
				break;
			}
			default:
				if (e >= '0' && e <= '7') {
					int v = e - '0';
					for (int k = 0;
					     k < 2 && peekc(lx, 0) >= '0' && peekc(lx, 0) <= '7';
					     k++) {
						v = v * 8 + (peekc(lx, 0) - '0');
						nextc(lx);
					}
					c = v & 0xff;
				} else {
					c = e; /* \\ \" \' \? and anything else */
				}
			}
		}
		GROW(out, on, ocap);
		out[on++] = (char)c;
	}
	GROW(out, on, ocap);
	out[on] = '\0';
	struct tok *t = push_tok(f, quote == '"' ? T_STRING : T_CHAR, line, start, lx->i);
	if (quote == '"') {
		t->str = out;
		t->slen = on;
	} else {
		free(out);
	}
}

static bool is_ident_start(int c)
{
	return c == '_' || c == '$' || isalpha(c) || c >= 0x80;
}

static bool is_ident_char(int c)
{
	return is_ident_start(c) || isdigit(c);
}

/* Skips a comment starting at lx->i if there is one. */
static bool skip_comment(struct lexer *lx)
{
	if (peekc(lx, 0) != '/')
		return false;
	if (peekc(lx, 1) == '*') {
		nextc(lx);
		nextc(lx);
		for (;;) {
			int c = peekc(lx, 0);
			if (c < 0)
				return true;
			if (c == '*' && peekc(lx, 1) == '/') {
				nextc(lx);
				nextc(lx);
				return true;
			}
			nextc(lx);
		}
	}
	if (peekc(lx, 1) == '/') {
		while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
			nextc(lx);
		return true;
	}
	return false;
}

static void lex(struct file *f)
{
	struct lexer lx = {f, 0, 1};
	bool bol = true; /* only blanks since the last newline */
	unsigned ndir = 0;
	unsigned dir = 0; /* current directive, 0 outside */
	enum dir_kind dk = D_NONE;
	bool dir_first = false; /* next token is the directive's name */
	for (;;) {
		int c = peekc(&lx, 0);
		if (c < 0)
			break;
		if (c == '\n') {
			nextc(&lx);
			bol = true;
			dir = 0;
			dk = D_NONE;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			nextc(&lx);
			continue;
		}
		if (skip_comment(&lx))
			continue;
		size_t start = lx.i;
		int line = lx.line;
		if (c == '#' && bol && !dir) {
			nextc(&lx);
			dir = ++ndir;
			dk = D_OTHER;
			dir_first = true;
			bol = false;
			continue;
		}
		bol = false;
		if (dir && dk == D_OTHER && !dir_first) {
			/* #include, #if, #error...: nothing to check; skip the
			 * rest of the line (comments may still span lines). */
			while (peekc(&lx, 0) >= 0 && peekc(&lx, 0) != '\n') {
				if (!skip_comment(&lx))
					nextc(&lx);
			}
			continue;
		}
		struct tok *t;
		if (is_ident_start(c)) {
			while (is_ident_char(peekc(&lx, 0)))
				nextc(&lx);
			int q = peekc(&lx, 0);
			size_t n = lx.i - start;
			const char *s = f->text + start;
			if ((q == '"' || q == '\'') &&
			    ((n == 1 && (*s == 'L' || *s == 'u' || *s == 'U')) ||
			     (n == 2 && s[0] == 'u' && s[1] == '8'))) {
				lex_quoted(&lx, start, line, q);
				t = &f->t[f->nt - 1];
			} else {
				t = push_tok(f, T_IDENT, line, start, lx.i);
			}
		} else if (c == '"' || c == '\'') {
			lex_quoted(&lx, start, line, c);
			t = &f->t[f->nt - 1];
		} else if (isdigit(c) || (c == '.' && isdigit(peekc(&lx, 1)))) {
			for (;;) {
				int d = peekc(&lx, 0);
				if ((d == 'e' || d == 'E' || d == 'p' || d == 'P') &&
				    (peekc(&lx, 1) == '+' || peekc(&lx, 1) == '-')) {
					nextc(&lx);
					nextc(&lx);
				} else if (is_ident_char(d) || d == '.') {
					nextc(&lx);
				} else {
					break;
				}
			}
			t = push_tok(f, T_NUMBER, line, start, lx.i);
		} else {
			nextc(&lx);
			if (c == '-' && peekc(&lx, 0) == '>')
				nextc(&lx);
			else if (c == '.' && peekc(&lx, 0) == '.' && peekc(&lx, 1) == '.') {
				nextc(&lx);
				nextc(&lx);
			} else if (c == '#' && peekc(&lx, 0) == '#')
				nextc(&lx);
			t = push_tok(f, T_PUNCT, line, start, lx.i);
		}
		if (dir) {
			if (dir_first) {
				dir_first = false;
				if (tok_is(t, "define"))
					dk = D_DEFINE;
				else if (tok_is(t, "pragma"))
					dk = D_PRAGMA;
				f->nt--; /* the directive's name is not kept */
				if (t->kind == T_STRING)
					free(t->str);
				continue;
			}
			t->dir = dir;
			t->dirkind = dk;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Problems */

/* Problems of the file being checked, printed sorted by line (#define
 * bodies are checked after the code, but report in place). */
struct problem {
	int line;
	size_t seq;
	char *text;
};

static struct problem *problems;
static size_t nproblems, capproblems, total_problems;

static void problem(const struct file *f, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(const struct file *f, int line, const char *fmt, ...)
{
	char *text;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0) {
		fprintf(stderr, "fmtcheck: out of memory\n");
		exit(2);
	}
	va_end(ap);
	(void)f;
	GROW(problems, nproblems, capproblems);
	problems[nproblems].line = line;
	problems[nproblems].seq = nproblems;
	problems[nproblems].text = text;
	nproblems++;
}

static int by_line(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void flush_problems(const struct file *f)
{
	if (nproblems)
		qsort(problems, nproblems, sizeof(*problems), by_line);
	for (size_t i = 0; i < nproblems; i++) {
		printf("%s:%d: %s\n", f->path, problems[i].line, problems[i].text);
		free(problems[i].text);
	}
	total_problems += nproblems;
	nproblems = 0;
}

/* ------------------------------------------------------------------ */
/* Checked functions */

enum kind {
	K_HTML,   /* html_printf codes */
	K_PRINTF, /* printf codes, checked by the compiler */
	K_SQL,    /* SQL text: literal or stmt_sql(...) */
	K_SCRIPT, /* db_exec_script: caller restricted, text not checked */
};

static const char *const kind_name[] = {"HTML", "printf", "SQL", "SQL script"};

struct spec {
	char *name;
	enum kind kind;
	int arg;                 /* index of the format/SQL argument */
	bool variadic;           /* the values follow the format as arguments */
	const struct file *only; /* static wrapper: this file only; NULL: any */
	const char *from;        /* derived: file:line of the definition */
	int from_line;
};

static struct spec builtin[] = {
	{"html_printf", K_HTML, 1, true, NULL, NULL, 0},
	{"html_vprintf", K_HTML, 1, false, NULL, NULL, 0},
	{"buf_printf", K_PRINTF, 1, true, NULL, NULL, 0},
	{"buf_vprintf", K_PRINTF, 1, false, NULL, NULL, 0},
	{"arena_printf", K_PRINTF, 1, true, NULL, NULL, 0},
	{"log_write", K_PRINTF, 2, true, NULL, NULL, 0},
	{"log_info", K_PRINTF, 1, true, NULL, NULL, 0},
	{"log_warn", K_PRINTF, 1, true, NULL, NULL, 0},
	{"log_error", K_PRINTF, 1, true, NULL, NULL, 0},
	{"sqlite3_exec", K_SQL, 1, false, NULL, NULL, 0},
	{"sqlite3_prepare", K_SQL, 1, false, NULL, NULL, 0},
	{"sqlite3_prepare_v2", K_SQL, 1, false, NULL, NULL, 0},
	{"sqlite3_prepare_v3", K_SQL, 1, false, NULL, NULL, 0},
	{"sqlite3_prepare16", K_SQL, 1, false, NULL, NULL, 0},
	{"sqlite3_prepare16_v2", K_SQL, 1, false, NULL, NULL, 0},
	{"sqlite3_prepare16_v3", K_SQL, 1, false, NULL, NULL, 0},
	{"db_exec_script", K_SCRIPT, 1, false, NULL, NULL, 0},
	{"db_query", K_SQL, 1, false, NULL, NULL, 0},
	{"db_bulk_begin_sql", K_SQL, 1, false, NULL, NULL, 0},
};

static struct spec *derived;
static size_t nderived, capderived;

static const struct {
	const char *name, *instead;
} banned[] = {
	{"sprintf", "snprintf or buf_printf"},
	{"vsprintf", "vsnprintf or buf_vprintf"},
	{"strcat", "a struct buf or snprintf"},
	{"strcpy", "str_copy"},
	{"atoi", "the checked parsers of core/util.h"},
	{"atol", "the checked parsers of core/util.h"},
	{"gets", "fgets"},
	{"strtok", "strtok_r"},
};

/* The data API's statement and transaction calls (the data layers' own),
 * by name or name prefix. db_query is stricter: src/db/ only (K_SQL). */
static const char *const data_calls[] = {
	"db_stmt",     "db_step",           "db_reset",   "db_begin",      "db_commit",
	"db_rollback", "db_last_insert_id", "db_changes", "db_query_free",
};
static const char *const data_prefixes[] = {"db_bind_", "db_col_", "db_bulk_"};

static bool is_data_call(const struct tok *t)
{
	for (size_t k = 0; k < sizeof(data_calls) / sizeof(data_calls[0]); k++)
		if (tok_eq(t, data_calls[k], strlen(data_calls[k])))
			return true;
	for (size_t k = 0; k < sizeof(data_prefixes) / sizeof(data_prefixes[0]); k++) {
		size_t n = strlen(data_prefixes[k]);
		if (t->n > n && memcmp(t->s, data_prefixes[k], n) == 0)
			return true;
	}
	return false;
}

static const struct spec *find_spec(const struct file *f, const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (strlen(builtin[i].name) == n && memcmp(builtin[i].name, s, n) == 0)
			return &builtin[i];
	for (size_t i = 0; i < nderived; i++)
		if ((!derived[i].only || derived[i].only == f) && strlen(derived[i].name) == n &&
		    memcmp(derived[i].name, s, n) == 0)
			return &derived[i];
	return NULL;
}

static bool is_builtin(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (strlen(builtin[i].name) == n && memcmp(builtin[i].name, s, n) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Token streams: the code of a file (directives left out) or the body of
 * one #define. Indices below are into a stream. */

struct stream {
	struct tok **t;
	size_t n, cap;
};

static void stream_push(struct stream *s, struct tok *t)
{
	GROW(s->t, s->n, s->cap);
	s->t[s->n++] = t;
}

/* The enclosing function or function-like macro. */
struct ctx {
	const struct tok *name;    /* NULL: none, or a name not found */
	const struct tok **params; /* one name token per parameter (NULL if unnamed) */
	bool *va;                  /* parameter is "..." or has a va_list type */
	size_t nparams;
	bool is_macro;
	bool is_static; /* file-local: static function, or macro in a .c */
	bool va_macro;  /* is_macro and its last parameter is "..." */
};

/* Given s->t[open] == "(", returns the index of the matching ")", or
 * s->n if unbalanced. */
static size_t match_paren(const struct stream *s, size_t open)
{
	int depth = 0;
	for (size_t j = open; j < s->n; j++) {
		const struct tok *t = s->t[j];
		if (t->kind != T_PUNCT)
			continue;
		if (tok_is(t, "(") || tok_is(t, "[") || tok_is(t, "{"))
			depth++;
		else if (tok_is(t, ")") || tok_is(t, "]") || tok_is(t, "}")) {
			if (--depth == 0)
				return j;
		}
	}
	return s->n;
}

struct range {
	size_t a, b; /* tokens [a, b) */
};

/* Splits the arguments between s->t[open] == "(" and close. */
static size_t split_args(const struct stream *s, size_t open, size_t close, struct range **out)
{
	static struct range *r;
	static size_t cap;
	size_t n = 0;
	if (close == open + 1) {
		*out = r;
		return 0;
	}
	int depth = 0;
	size_t a = open + 1;
	for (size_t j = open + 1; j <= close; j++) {
		const struct tok *t = s->t[j];
		if (t->kind == T_PUNCT) {
			if (tok_is(t, "(") || tok_is(t, "[") || tok_is(t, "{"))
				depth++;
			else if ((tok_is(t, ")") || tok_is(t, "]") || tok_is(t, "}")) && j < close)
				depth--;
		}
		if (j == close || (depth == 0 && tok_is(t, ","))) {
			GROW(r, n, cap);
			r[n].a = a;
			r[n].b = j;
			n++;
			a = j + 1;
		}
	}
	*out = r;
	return n;
}

/* The name declared by one parameter: "(*name)" for a function pointer,
 * else the last identifier outside brackets; "..." for an ellipsis. Sets
 * *va when the parameter is "..." or a va_list. */
static const struct tok *param_name(const struct stream *s, struct range r, bool *va)
{
	const struct tok *name = NULL;
	int depth = 0;
	*va = false;
	for (size_t j = r.a; j < r.b; j++)
		if (tok_is(s->t[j], "va_list") || tok_is(s->t[j], "__builtin_va_list"))
			*va = true;
	for (size_t j = r.a; j < r.b; j++) {
		const struct tok *t = s->t[j];
		if (tok_is(t, "...") && r.b - r.a == 1) {
			*va = true;
			return t;
		}
		if (tok_is(t, "(") && j + 2 < r.b && tok_is(s->t[j + 1], "*") &&
		    s->t[j + 2]->kind == T_IDENT)
			return s->t[j + 2];
		if (tok_is(t, "(") || tok_is(t, "["))
			depth++;
		else if (tok_is(t, ")") || tok_is(t, "]"))
			depth--;
		else if (depth == 0 && t->kind == T_IDENT)
			name = t;
	}
	return name;
}

static void ctx_params(struct ctx *c, const struct stream *s, size_t open, size_t close)
{
	struct range *r;
	size_t n = split_args(s, open, close, &r);
	c->params = xrealloc(NULL, (n ? n : 1) * sizeof(*c->params));
	c->va = xrealloc(NULL, (n ? n : 1) * sizeof(*c->va));
	c->nparams = n;
	for (size_t i = 0; i < n; i++)
		c->params[i] = param_name(s, r[i], &c->va[i]);
	c->va_macro = c->is_macro && n && c->params[n - 1] && tok_is(c->params[n - 1], "...");
}

/* True when parameter idx of c is a format that c forwards printf-style:
 * a "..." or va_list parameter follows it. */
static bool printf_like(const struct ctx *c, int idx)
{
	for (size_t j = (size_t)idx + 1; j < c->nparams; j++)
		if (c->va[j])
			return true;
	return false;
}

/* Index of the parameter named like t, or -1. In a variadic macro
 * __VA_ARGS__ stands for the "..." parameter. */
static int param_index(const struct ctx *c, const struct tok *t)
{
	if (t->kind != T_IDENT)
		return -1;
	if (c->va_macro && tok_is(t, "__VA_ARGS__"))
		return (int)c->nparams - 1;
	for (size_t i = 0; i < c->nparams; i++)
		if (c->params[i] && c->params[i]->kind == T_IDENT &&
		    tok_eq(c->params[i], t->s, t->n))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* HTML format codes */

/* Checks the decoded literal pieces of an html_printf format. Returns the
 * number of conversions, or -1 when a code is bad (reported). */
static int check_html_format(const struct file *f, const struct stream *s, struct range r,
			     const char *callee)
{
	/* Concatenate the pieces, remembering where each starts. */
	size_t len = 0;
	for (size_t j = r.a; j < r.b; j++)
		len += s->t[j]->slen;
	char *fmt = xrealloc(NULL, len + 1);
	size_t *starts = xrealloc(NULL, (r.b - r.a) * sizeof(*starts));
	size_t o = 0;
	for (size_t j = r.a; j < r.b; j++) {
		starts[j - r.a] = o;
		memcpy(fmt + o, s->t[j]->str, s->t[j]->slen);
		o += s->t[j]->slen;
	}
	fmt[len] = '\0';
	int count = 0;
	bool bad = false;
	for (size_t i = 0; i < len; i++) {
		if (fmt[i] != '%')
			continue;
		size_t piece = r.b - r.a - 1;
		while (piece > 0 && starts[piece] > i)
			piece--;
		int line = s->t[r.a + piece]->line;
		size_t j = i + 1;
		if (j < len && fmt[j] == '%') {
			i = j;
			continue;
		}
		size_t flags_at = j;
		while (j < len && fmt[j] && strchr("-+ 0#", fmt[j]))
			j++;
		size_t nflags = j - flags_at;
		bool sharp = memchr(fmt + flags_at, '#', nflags) != NULL;
		size_t width_at = j;
		while (j < len && isdigit((unsigned char)fmt[j]))
			j++;
		bool width = j > width_at;
		bool prec = false;
		if (j < len && fmt[j] == '.') {
			prec = true;
			j++;
			while (j < len && isdigit((unsigned char)fmt[j]))
				j++;
		}
		size_t len_at = j;
		while (j < len && (fmt[j] == 'l' || fmt[j] == 'z'))
			j++;
		size_t lenmod = j - len_at;
		char lm[3] = {0};
		memcpy(lm, lenmod <= 2 ? fmt + len_at : "??", lenmod <= 2 ? lenmod : 2);
		if (j >= len) {
			problem(f, line, "%s: format ends inside a conversion '%.*s'", callee,
				(int)(j - i), fmt + i);
			bad = true;
			break;
		}
		char conv = fmt[j];
		char shown[64];
		size_t sn = 0;
		for (size_t k = i; k <= j && sn + 5 < sizeof(shown); k++) {
			unsigned char ch = (unsigned char)fmt[k];
			if (ch >= 0x20 && ch < 0x7f && ch != '\\')
				shown[sn++] = (char)ch;
			else
				sn += (size_t)snprintf(shown + sn, sizeof(shown) - sn, "\\x%02x",
						       ch);
		}
		shown[sn] = '\0';
		const char *why = NULL;
		bool number = conv == 'd' || conv == 'u' || conv == 'f';
		if (conv == 's' || conv == 'U' || conv == 'R') {
			if (nflags || width || prec || lenmod)
				why = "flags, width, precision and length are not supported with "
				      "%s %U %R";
		} else if (number) {
			if (conv == 'd' && strcmp(lm, "") && strcmp(lm, "l") && strcmp(lm, "ll"))
				why = "%d takes only the l and ll lengths";
			else if (conv == 'u' && strcmp(lm, "") && strcmp(lm, "l") &&
				 strcmp(lm, "ll") && strcmp(lm, "z"))
				why = "%u takes only the l, ll and z lengths";
			else if (conv == 'f' && lenmod)
				why = "%f takes no length";
			else if (sharp && conv != 'f')
				why = "the # flag is only for %f";
			else if (j - i - 1 > 13)
				why = "too long: html_number() takes at most 13 characters "
				      "between % and the code";
		} else {
			why = "not one of %s %U %R %d %ld %lld %u %lu %llu %zu %f %%";
		}
		if (why) {
			problem(f, line, "%s: bad format code '%s': %s", callee, shown, why);
			bad = true;
		} else {
			count++;
		}
		i = j;
	}
	free(fmt);
	free(starts);
	return bad ? -1 : count;
}

/* ------------------------------------------------------------------ */
/* Calls */

static bool path_has_dir(const char *path, const char *dir)
{
	for (const char *p = path; (p = strstr(p, dir)) != NULL; p++)
		if (p == path || p[-1] == '/')
			return true;
	return false;
}

static bool path_is(const char *path, const char *name)
{
	size_t pn = strlen(path), nn = strlen(name);
	return pn >= nn && strcmp(path + pn - nn, name) == 0 &&
	       (pn == nn || path[pn - nn - 1] == '/');
}

static bool changed; /* pass 1: a new wrapper was found */

static void add_wrapper(const struct file *f, const struct ctx *c, const struct spec *callee,
			int idx)
{
	if (is_builtin(c->name->s, c->name->n))
		return;
	const struct file *only = c->is_static ? f : NULL;
	for (size_t i = 0; i < nderived; i++)
		if (derived[i].only == only &&
		    tok_eq(c->name, derived[i].name, strlen(derived[i].name)))
			return;
	GROW(derived, nderived, capderived);
	struct spec *d = &derived[nderived++];
	d->name = xrealloc(NULL, c->name->n + 1);
	memcpy(d->name, c->name->s, c->name->n);
	d->name[c->name->n] = '\0';
	d->kind = callee->kind == K_SCRIPT ? K_SQL : callee->kind;
	d->arg = idx;
	bool next_is_va = (size_t)idx + 1 < c->nparams && c->params[idx + 1] &&
			  tok_is(c->params[idx + 1], "...");
	bool is_va = c->va_macro && (size_t)idx == c->nparams - 1;
	d->variadic = next_is_va || (is_va && callee->variadic);
	d->only = only;
	d->from = f->path;
	d->from_line = c->name->line;
	changed = true;
}

static bool is_literal(const struct stream *s, struct range r, bool allow_pri)
{
	bool any = false;
	for (size_t j = r.a; j < r.b; j++) {
		const struct tok *t = s->t[j];
		if (t->kind == T_STRING)
			any = true;
		else if (!(allow_pri && t->kind == T_IDENT && t->n > 3 &&
			   (memcmp(t->s, "PRI", 3) == 0 || memcmp(t->s, "SCN", 3) == 0)))
			return false;
	}
	return any;
}

/* The calls refused by name: the banned functions everywhere, the data
 * API's statements and transactions outside the data layers. */
static void check_name(struct file *f, const struct tok *name)
{
	for (size_t k = 0; k < sizeof(banned) / sizeof(banned[0]); k++)
		if (tok_eq(name, banned[k].name, strlen(banned[k].name)))
			problem(f, name->line, "%s is banned: use %s", banned[k].name,
				banned[k].instead);
	if (!f->in_data && is_data_call(name))
		problem(f, name->line,
			"%.*s outside src/db/, src/model/, src/interchange/ and src/auth/ "
			"(pages, the API and reports read and write through the model)",
			(int)name->n, name->s);
}

static void check_call(struct file *f, const struct stream *s, size_t i, const struct ctx *c,
		       int pass)
{
	const struct tok *name = s->t[i];
	if (i > 0 && (tok_is(s->t[i - 1], ".") || tok_is(s->t[i - 1], "->")))
		return; /* a struct member, not the function */
	if (pass == 2)
		check_name(f, name);
	const struct spec *sp = find_spec(f, name->s, name->n);
	if (!sp)
		return;
	size_t close = match_paren(s, i + 1);
	if (close >= s->n)
		return; /* unbalanced (a macro fragment): nothing to say */
	struct range *args;
	size_t nargs = split_args(s, i + 1, close, &args);
	const char *callee = sp->name;

	if (sp->kind == K_SCRIPT) {
		if (pass == 2 && !f->is_migrate && !f->is_copy)
			problem(f, name->line, "%s may only be called from src/db/migrate.c",
				callee);
		return;
	}
	if (sp->kind == K_SQL && !f->in_db) {
		if (pass == 2)
			problem(f, name->line,
				"%s outside src/db/ (all SQL lives in the statement table, "
				"src/db/stmt.c)",
				callee);
		return;
	}
	if ((size_t)sp->arg >= nargs) {
		if (pass == 2)
			problem(f, name->line, "%s: missing %s argument", callee,
				sp->kind == K_SQL ? "SQL" : "format");
		return;
	}
	struct range fa = args[sp->arg];
	const struct tok *first = fa.a < fa.b ? s->t[fa.a] : name;

	/* Forwarded: one of the enclosing function's parameters. */
	if (fa.b - fa.a == 1 && c && c->name) {
		int idx = param_index(c, s->t[fa.a]);
		/* A macro expands in place and SQL has no "...": they always
		 * forward. A function forwards a format only when it is
		 * printf-like itself. */
		if (idx >= 0 && (c->is_macro || sp->kind == K_SQL || printf_like(c, idx))) {
			if (pass == 1) {
				add_wrapper(f, c, sp, idx);
				return;
			}
			const struct spec *own = find_spec(f, c->name->s, c->name->n);
			enum kind k = sp->kind;
			enum kind ok = own ? (own->kind == K_SCRIPT ? K_SQL : own->kind) : k;
			if (!own || own->arg != idx || ok != k)
				problem(f, first->line,
					"%s: %s argument is parameter '%.*s' of %.*s, which is not "
					"checked as a %s writer of that parameter",
					callee, sp->kind == K_SQL ? "SQL" : "format", (int)first->n,
					first->s, (int)c->name->n, c->name->s, kind_name[k]);
			return;
		}
		if (idx >= 0 && pass == 2) {
			problem(f, first->line,
				"%s: format argument is parameter '%.*s' of %.*s, which is not "
				"printf-like (no ... or va_list after it): pass a literal format",
				callee, (int)first->n, first->s, (int)c->name->n, c->name->s);
			return;
		}
	}
	if (pass == 1)
		return;

	if (sp->kind == K_SQL) {
		if (is_literal(s, fa, false) || f->is_copy)
			return;
		if (first->kind == T_IDENT && tok_is(first, "stmt_sql") && fa.a + 1 < fa.b &&
		    tok_is(s->t[fa.a + 1], "(") && match_paren(s, fa.a + 1) == fa.b - 1)
			return;
		problem(f, first->line,
			"%s: SQL argument is neither a string literal nor stmt_sql(...)", callee);
		return;
	}
	if (!is_literal(s, fa, sp->kind == K_PRINTF)) {
		if (sp->kind == K_PRINTF && first->fmt_ok)
			return; /* #pragma GCC diagnostic ignored "-Wformat-nonliteral" */
		problem(f, first->line, "%s: format argument is not a string literal", callee);
		return;
	}
	if (sp->kind != K_HTML)
		return;
	int conv = check_html_format(f, s, fa, callee);
	if (conv < 0 || !sp->variadic)
		return;
	size_t values = nargs - (size_t)sp->arg - 1;
	if (values != (size_t)conv)
		problem(f, name->line, "%s: %d conversion%s but %zu argument%s after the format",
			callee, conv, conv == 1 ? "" : "s", values, values == 1 ? "" : "s");
}

/* Scans the calls of a stream (a function body or a macro body). */
static void scan_calls(struct file *f, const struct stream *s, size_t from, size_t to,
		       const struct ctx *c, int pass)
{
	for (size_t i = from; i + 1 < to; i++)
		if (s->t[i]->kind == T_IDENT && tok_is(s->t[i + 1], "("))
			check_call(f, s, i, c, pass);
}

/* ------------------------------------------------------------------ */
/* Files */

static void pragma_regions(struct file *f)
{
	/* A stack of "format-nonliteral ignored" states for push/pop. */
	bool stack[64];
	int sp = 0;
	bool ok = false;
	for (size_t i = 0; i < f->nt;) {
		struct tok *t = &f->t[i];
		if (t->dirkind != D_PRAGMA) {
			if (!t->dir)
				t->fmt_ok = ok;
			i++;
			continue;
		}
		size_t j = i;
		while (j < f->nt && f->t[j].dir == t->dir)
			j++;
		/* GCC|clang diagnostic push|pop|ignored|warning|error "-W..." */
		if (j - i >= 3 && (tok_is(&f->t[i], "GCC") || tok_is(&f->t[i], "clang")) &&
		    tok_is(&f->t[i + 1], "diagnostic")) {
			const struct tok *verb = &f->t[i + 2];
			if (tok_is(verb, "push")) {
				if (sp < 64)
					stack[sp++] = ok;
			} else if (tok_is(verb, "pop")) {
				ok = sp > 0 ? stack[--sp] : false;
			} else if (j - i >= 4 && f->t[i + 3].kind == T_STRING &&
				   (strcmp(f->t[i + 3].str, "-Wformat-nonliteral") == 0 ||
				    strcmp(f->t[i + 3].str, "-Wformat") == 0)) {
				ok = tok_is(verb, "ignored");
			}
		}
		i = j;
	}
}

/* Walks one file: function bodies of the code stream, then #define bodies. */
/* The engines' headers belong to src/db/ alone. Preprocessor lines are not
 * tokens the checks see, so this reads the text: a line whose first
 * non-blank character is '#', then "include", then <header> or "header". */
static void check_includes(const struct file *f)
{
	static const char *const engine_headers[] = {"sqlite3.h", "libpq-fe.h"};
	if (f->in_db)
		return;
	int line = 1;
	for (size_t i = 0; i < f->len; line++) {
		size_t eol = i;
		while (eol < f->len && f->text[eol] != '\n')
			eol++;
		size_t k = i;
		while (k < eol && (f->text[k] == ' ' || f->text[k] == '\t'))
			k++;
		if (k < eol && f->text[k] == '#') {
			k++;
			while (k < eol && (f->text[k] == ' ' || f->text[k] == '\t'))
				k++;
			if (eol - k > 7 && strncmp(f->text + k, "include", 7) == 0) {
				k += 7;
				while (k < eol && (f->text[k] == ' ' || f->text[k] == '\t'))
					k++;
				for (size_t h = 0;
				     h < sizeof(engine_headers) / sizeof(*engine_headers); h++) {
					size_t hn = strlen(engine_headers[h]);
					if (k + 1 + hn < eol + 1 &&
					    (f->text[k] == '<' || f->text[k] == '"') &&
					    strncmp(f->text + k + 1, engine_headers[h], hn) == 0 &&
					    (f->text[k + 1 + hn] == '>' ||
					     f->text[k + 1 + hn] == '"'))
						problem(f, line,
							"%s included outside src/db/ (use db/db.h, "
							"the "
							"one data API)",
							engine_headers[h]);
				}
			}
		}
		i = eol + 1;
	}
}

/* "->status = 422" or ".status = 422" in a page: a literal HTTP status. */
static void check_statuses(struct file *f, const struct stream *code)
{
	for (size_t i = 1; i + 2 < code->n; i++) {
		const struct tok *t = code->t[i];
		if (t->kind == T_IDENT && tok_eq(t, "status", 6) &&
		    (tok_is(code->t[i - 1], "->") || tok_is(code->t[i - 1], ".")) &&
		    tok_is(code->t[i + 1], "=") && code->t[i + 2]->kind == T_NUMBER)
			problem(f, t->line,
				"literal HTTP status %.*s above src/http/: statuses come from "
				"src/http/error.c (http_status, or an error the pipeline maps)",
				(int)code->t[i + 2]->n, code->t[i + 2]->s);
	}
}

/* No function body is longer than FN_MAX_LINES lines (issue 17: the last
 * ones were split, so there is no allow-list). Generated code lives in
 * build/ and is not checked. */
#define FN_MAX_LINES 100

/* A function body (its "{" on line from, "}" on line to) of at most
 * FN_MAX_LINES lines. */
static void check_length(struct file *f, const struct tok *name, int from, int to)
{
	int lines = to - from + 1;
	if (lines > FN_MAX_LINES)
		problem(f, name->line, "%.*s is %d lines long (at most %d: split it)", (int)name->n,
			name->s, lines, FN_MAX_LINES);
}

/* An indicator id spelt out ("act.temps"): indicators are named by enum. */
static void check_indicator_ids(const struct file *f)
{
	for (size_t i = 0; i < f->nt; i++) {
		const struct tok *t = &f->t[i];
		if (t->kind != T_STRING || t->dir || !t->str || t->slen < 5)
			continue;
		const char *v = t->str;
		if (strncmp(v, "act.", 4) != 0 && strncmp(v, "arr.", 4) != 0)
			continue;
		size_t k = 4;
		while (k < t->slen && (islower((unsigned char)v[k]) || v[k] == '_'))
			k++;
		if (k == t->slen)
			problem(f, t->line,
				"indicator id \"%.*s\" spelt out: name it by enum (REPORT_IND_..., "
				"src/reports/indicators.def)",
				(int)t->slen, v);
	}
}

/* After a run of string literals (adjacent literals are one string) at
 * code->t[*i], *i moves past it; false when there is none. */
static bool skip_strings(const struct stream *code, size_t *i)
{
	size_t k = *i;
	while (k < code->n && code->t[k]->kind == T_STRING)
		k++;
	if (k == *i)
		return false;
	*i = k;
	return true;
}

/* A page's {code, "French", "English", custom} table (struct ref_item's
 * shape): a second translation
 * mechanism beside gettext. Its labels are msgids instead ({code,
 * N_("French"), NULL}), translated by ref_item_label. */
static void check_code_tables(struct file *f, const struct stream *code)
{
	if (!path_has_dir(f->path, "src/views/"))
		return;
	for (size_t i = 0; i + 5 < code->n; i++) {
		if (!tok_is(code->t[i], "{"))
			continue;
		size_t k = i + 1;
		if (skip_strings(code, &k) && k < code->n && tok_is(code->t[k], ",") &&
		    (++k, skip_strings(code, &k)) && k < code->n && tok_is(code->t[k], ",") &&
		    (++k, skip_strings(code, &k)) && k + 2 < code->n && tok_is(code->t[k], ",") &&
		    (tok_is(code->t[k + 1], "false") || tok_is(code->t[k + 1], "true")) &&
		    tok_is(code->t[k + 2], "}"))
			problem(f, code->t[i]->line,
				"a {code, French, English} table in a page: give the label as a "
				"msgid, {code, N_(\"...\"), NULL}, and its English in "
				"po/parts/en-*.po (views/reflabel.h)");
	}
}

/* Settings go through model/settings.h by id (see the rules above). */
static void check_settings(const struct file *f)
{
	if (f->in_db || path_is(f->path, "src/model/settings.c"))
		return;
	for (size_t i = 0; i < f->nt; i++) {
		const struct tok *t = &f->t[i];
		if (t->kind != T_IDENT)
			continue;
		if (t->n > 13 && memcmp(t->s, "STMT_SETTING_", 13) == 0)
			problem(f, t->line,
				"%.*s outside src/model/settings.c (read a setting with its typed "
				"getter, model/settings.h)",
				(int)t->n, t->s);
		else if (tok_is(t, "settings_find") && i + 2 < f->nt && tok_is(&f->t[i + 1], "(") &&
			 f->t[i + 2].kind == T_STRING)
			problem(f, t->line,
				"settings_find with a literal key: read a setting through its id "
				"(SETTING_...) and its typed getter");
	}
}

static void check_file(struct file *f, int pass)
{
	if (pass == 2) {
		check_includes(f);
		check_settings(f);
		check_indicator_ids(f);
	}
	struct stream code = {0};
	for (size_t i = 0; i < f->nt; i++)
		if (!f->t[i].dir)
			stream_push(&code, &f->t[i]);

	int depth = 0;
	int externs = 0; /* open extern "C" { blocks: file scope inside */
	struct ctx c = {0};
	size_t body = 0;
	for (size_t i = 0; i < code.n; i++) {
		const struct tok *t = code.t[i];
		if (tok_is(t, "{")) {
			if (depth == 0 && i >= 2 && code.t[i - 1]->kind == T_STRING &&
			    tok_is(code.t[i - 2], "extern")) {
				externs++;
				continue;
			}
			if (depth++ > 0)
				continue;
			/* File scope "{": a function body when it follows
			 * "name(params)", maybe with __attribute__((...)). */
			memset(&c, 0, sizeof(c));
			body = i + 1;
			size_t k = i;
			while (k > 0 && tok_is(code.t[k - 1], ")")) {
				size_t close = k - 1, open = close;
				int d = 0;
				for (;;) {
					if (tok_is(code.t[open], ")"))
						d++;
					else if (tok_is(code.t[open], "(") && --d == 0)
						break;
					if (open == 0)
						break;
					open--;
				}
				if (d != 0 || open == 0)
					break;
				const struct tok *nm = code.t[open - 1];
				if (tok_is(nm, "__attribute__") || tok_is(nm, "__attribute")) {
					k = open - 1;
					continue;
				}
				if (nm->kind == T_IDENT) {
					c.name = nm;
					ctx_params(&c, &code, open, close);
					for (size_t b = open - 1; b > 0; b--) {
						const struct tok *p = code.t[b - 1];
						if (tok_is(p, ";") || tok_is(p, "}"))
							break;
						if (tok_is(p, "static"))
							c.is_static = true;
					}
				}
				break;
			}
			continue;
		}
		if (tok_is(t, "}")) {
			if (depth == 0 && externs > 0) {
				externs--;
				continue;
			}
			if (depth > 0 && --depth == 0) {
				if (pass == 2 && c.name)
					check_length(f, c.name, code.t[body - 1]->line, t->line);
				scan_calls(f, &code, body, i, c.name ? &c : NULL, pass);
				free(c.params);
				free(c.va);
				memset(&c, 0, sizeof(c));
			}
			continue;
		}
	}
	if (depth > 0) {
		scan_calls(f, &code, body, code.n, c.name ? &c : NULL, pass);
		free(c.params);
		free(c.va);
	}
	if (pass == 2 && f->above_http)
		check_statuses(f, &code);
	if (pass == 2)
		check_code_tables(f, &code);
	free(code.t);

	/* #define bodies. */
	for (size_t i = 0; i < f->nt;) {
		unsigned dir = f->t[i].dir;
		if (f->t[i].dirkind != D_DEFINE) {
			i++;
			continue;
		}
		struct stream m = {0};
		size_t j = i;
		while (j < f->nt && f->t[j].dir == dir)
			stream_push(&m, &f->t[j++]);
		i = j;
		if (m.n < 2 || m.t[0]->kind != T_IDENT)
			goto next;
		struct ctx mc = {0};
		mc.name = m.t[0];
		mc.is_macro = true;
		mc.is_static = !f->is_header;
		size_t from = 1;
		/* Function-like only when "(" follows the name with no space. */
		if (tok_is(m.t[1], "(") && m.t[1]->s == m.t[0]->s + m.t[0]->n) {
			size_t close = match_paren(&m, 1);
			if (close >= m.n)
				goto next;
			ctx_params(&mc, &m, 1, close);
			from = close + 1;
		}
		scan_calls(f, &m, from, m.n, mc.nparams || from > 1 ? &mc : NULL, pass);
		free(mc.params);
		free(mc.va);
next:
		free(m.t);
	}
}

static int load(struct file *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->path = path;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return -1;
	}
	size_t cap = 0;
	for (;;) {
		if (f->len + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			f->text = xrealloc(f->text, cap);
		}
		size_t r = fread(f->text + f->len, 1, cap - f->len - 1, fp);
		f->len += r;
		if (r == 0)
			break;
	}
	int err = ferror(fp);
	fclose(fp);
	if (err) {
		fprintf(stderr, "fmtcheck: cannot read %s\n", path);
		return -1;
	}
	f->text[f->len] = '\0';
	f->in_db = path_has_dir(path, "src/db/");
	f->in_data = f->in_db || path_has_dir(path, "src/model/") ||
		     path_has_dir(path, "src/auth/") || path_has_dir(path, "src/interchange/");
	f->above_http = path_has_dir(path, "src/views/") || path_has_dir(path, "src/api/") ||
			path_has_dir(path, "src/reports/") || path_is(path, "src/app.c") ||
			path_is(path, "src/app_write.c");
	f->is_migrate = path_is(path, "src/db/migrate.c");
	f->is_copy = path_is(path, "src/db/copy.c");
	size_t pl = strlen(path);
	f->is_header = pl >= 2 && strcmp(path + pl - 2, ".h") == 0;
	lex(f);
	pragma_regions(f);
	return 0;
}

int main(int argc, char **argv)
{
	bool list = false;
	int first = 1;
	if (first < argc && strcmp(argv[first], "--wrappers") == 0) {
		list = true;
		first++;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: fmtcheck [--wrappers] FILE...\n");
		return 2;
	}
	size_t nf = (size_t)(argc - first);
	struct file *files = xrealloc(NULL, nf * sizeof(*files));
	for (size_t i = 0; i < nf; i++)
		if (load(&files[i], argv[first + (int)i]) < 0)
			return 2;
	/* Pass 1: find the wrappers, until no new one appears. */
	for (int round = 0; round < 32; round++) {
		changed = false;
		for (size_t i = 0; i < nf; i++)
			check_file(&files[i], 1);
		if (!changed)
			break;
	}
	if (list)
		for (size_t i = 0; i < nderived; i++)
			printf("%s:%d: wrapper %s: %s%s, argument %d%s\n", derived[i].from,
			       derived[i].from_line, derived[i].name, kind_name[derived[i].kind],
			       derived[i].variadic ? " (variadic)" : "", derived[i].arg + 1,
			       derived[i].only ? " (this file only)" : "");
	/* Pass 2: report. */
	for (size_t i = 0; i < nf; i++) {
		check_file(&files[i], 2);
		flush_problems(&files[i]);
	}
	return total_problems ? 1 : 0;
}
