/* Unit tests for src/core: arena, buf, escape, utf8, ptime, jsonw, i18n,
 * util. Each test checks a contract stated in the module's header. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"

/* ------------------------------------------------------------------ arena */

static int aligned16(const void *p)
{
	return ((uintptr_t)p & 15u) == 0;
}

static void arena_many_allocations(void **state)
{
	(void)state;
	struct arena *a = arena_new(1024);
	enum { N = 5000 };
	unsigned char **ptrs = calloc(N, sizeof(*ptrs));
	size_t *sizes = calloc(N, sizeof(*sizes));
	assert_non_null(ptrs);
	assert_non_null(sizes);
	size_t total = 0;
	for (size_t i = 0; i < N; i++) {
		sizes[i] = (i * 7919u) % 97u + 1; /* 1..97 bytes, irregular */
		ptrs[i] = arena_alloc(a, sizes[i]);
		assert_non_null(ptrs[i]);
		assert_true(aligned16(ptrs[i]));
		memset(ptrs[i], (int)(i & 0xff), sizes[i]);
		total += sizes[i];
	}
	/* Nothing overlapped: every allocation still holds its own pattern. */
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(ptrs[i][k], (unsigned char)(i & 0xff));
	assert_true(arena_used(a) >= total);
	free(ptrs);
	free(sizes);
	arena_free(a);
}

static void arena_alignment_any_type(void **state)
{
	(void)state;
	struct arena *a = arena_new(256);
	for (size_t n = 0; n < 200; n++) {
		void *p = arena_alloc(a, n % 33);
		assert_true(aligned16(p));
		long double *ld = arena_alloc(a, sizeof(long double));
		assert_true(aligned16(ld));
		*ld = (long double)n; /* UBSan checks alignment of the store */
		assert_true(*ld == (long double)n);
	}
	arena_free(a);
}

static void arena_big_allocations(void **state)
{
	(void)state;
	struct arena *a = arena_new(256);
	char *small1 = arena_strdup(a, "before");
	size_t big_n = 100000; /* far above the block size */
	unsigned char *big = arena_alloc(a, big_n);
	assert_non_null(big);
	assert_true(aligned16(big));
	memset(big, 0x5a, big_n);
	char *small2 = arena_strdup(a, "after");
	unsigned char *big2 = arena_alloc(a, 3000);
	memset(big2, 0xa5, 3000);
	char *small3 = arena_strdup(a, "last");
	for (size_t i = 0; i < big_n; i++)
		assert_int_equal(big[i], 0x5a);
	for (size_t i = 0; i < 3000; i++)
		assert_int_equal(big2[i], 0xa5);
	assert_string_equal(small1, "before");
	assert_string_equal(small2, "after");
	assert_string_equal(small3, "last");
	assert_true(arena_used(a) >= big_n + 3000);
	arena_free(a);
}

/* arena_grow: the last array of the block grows where it is (the same
 * pointer, nothing copied, less of the block used than a copy would take);
 * an array with an allocation behind it moves, and both keep their
 * elements. */
static void arena_grow_in_place(void **state)
{
	(void)state;
	struct arena *a = arena_new(1 << 16);
	int64_t *v = NULL;
	size_t n = 0, cap = 0;
	v = arena_grow(a, v, n, &cap, sizeof(*v));
	int64_t *first = v;
	for (n = 0; n < 1000; n++) {
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n] = (int64_t)n * 3;
	}
	assert_ptr_equal(v, first);
	assert_int_equal(cap, 1024);
	assert_int_equal(arena_used(a), 1024 * sizeof(*v));
	int64_t *w = NULL;
	size_t nw = 0, capw = 0;
	for (nw = 0; nw < 20; nw++) {
		w = arena_grow(a, w, nw, &capw, sizeof(*w));
		w[nw] = -(int64_t)nw;
	}
	for (; n < 1100; n++) { /* w is behind v now: v moves */
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n] = (int64_t)n * 3;
	}
	assert_ptr_not_equal(v, first);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], (int64_t)i * 3);
	for (size_t i = 0; i < nw; i++)
		assert_int_equal(w[i], -(int64_t)i);
	arena_free(a);
}

static void arena_zero_size(void **state)
{
	(void)state;
	struct arena *a = arena_new(256);
	void *p = arena_alloc(a, 0);
	(void)p;
	char *s = arena_strdup(a, "still works");
	assert_string_equal(s, "still works");
	assert_null(arena_strdup(a, NULL));
	arena_free(a);
	arena_free(NULL); /* allowed */
}

static void arena_reset_reuses_first_block(void **state)
{
	(void)state;
	struct arena *a = arena_new(1024);
	unsigned char *first = arena_alloc(a, 16);
	/* A big one-off allocation while the first block still has room,
	 * then enough small ones to need more blocks. */
	unsigned char *big = arena_alloc(a, 900);
	memset(big, 1, 900);
	for (int i = 0; i < 100; i++)
		memset(arena_alloc(a, 100), 2, 100);
	assert_true(arena_used(a) >= 16 + 900 + 100 * 100);
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
	/* The first block is kept, so the next allocation reuses it. */
	unsigned char *again = arena_alloc(a, 16);
	assert_ptr_equal(again, first);
	memset(again, 3, 16);
	/* And the arena is fully usable after the reset. */
	for (int round = 0; round < 3; round++) {
		char *s = arena_printf(a, "round %d", round);
		assert_string_equal(s, round == 0 ? "round 0" : round == 1 ? "round 1" : "round 2");
		unsigned char *b = arena_alloc(a, 5000);
		memset(b, 4, 5000);
		arena_reset(a);
		assert_int_equal(arena_used(a), 0);
		assert_ptr_equal(arena_alloc(a, 16), first);
	}
	arena_free(a);
}

static void arena_calloc_zeroes_reused_memory(void **state)
{
	(void)state;
	struct arena *a = arena_new(512);
	unsigned char *p = arena_alloc(a, 256);
	memset(p, 0xee, 256);
	arena_reset(a);
	unsigned char *z = arena_calloc(a, 64, 4);
	for (size_t i = 0; i < 256; i++)
		assert_int_equal(z[i], 0);
	arena_free(a);
}

static void arena_strings(void **state)
{
	(void)state;
	struct arena *a = arena_new(256);
	const char src[] = "hello, world";
	char *s = arena_strndup(a, src, 5);
	assert_string_equal(s, "hello");
	char *e = arena_strndup(a, src, 0);
	assert_string_equal(e, "");
	/* strndup copies exactly n bytes, even past a NUL-free prefix. */
	char raw[3] = {'x', 'y', 'z'};
	assert_string_equal(arena_strndup(a, raw, 3), "xyz");
	char *d = arena_strdup(a, src);
	assert_string_equal(d, src);
	assert_ptr_not_equal(d, src);

	assert_string_equal(arena_printf(a, "%d-%s-%05.1f", 42, "x", 3.14159), "42-x-003.1");
	/* Longer than any internal small buffer. */
	char expect[1001];
	memset(expect, 'q', 1000);
	expect[1000] = '\0';
	char *big = arena_printf(a, "%s", expect);
	assert_int_equal(strlen(big), 1000);
	assert_string_equal(big, expect);
	char *big2 = arena_printf(a, "<%s|%d>", expect, 7);
	assert_int_equal(strlen(big2), 1004);
	assert_memory_equal(big2, "<", 1);
	assert_memory_equal(big2 + 1, expect, 1000);
	assert_string_equal(big2 + 1001, "|7>");
	arena_free(a);
}

/* -------------------------------------------------------------------- buf */

static void check_invariants(const struct buf *b)
{
	assert_non_null(b->data);
	assert_int_equal(b->data[b->len], '\0');
	assert_true(b->len <= b->max);
}

static void buf_empty_is_valid_string(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(100);
	check_invariants(&b);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_false(b.overflow);
	struct buf c;
	buf_init(&c, 10);
	check_invariants(&c);
	assert_string_equal(c.data, "");
	buf_reset(&c);
	check_invariants(&c);
	buf_free(&c);
	check_invariants(&c);
	assert_int_equal(c.max, 10);
}

static void buf_append_and_bound(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(10);
	assert_int_equal(buf_puts(&b, "12345"), 0);
	check_invariants(&b);
	assert_int_equal(buf_putc(&b, '6'), 0);
	assert_int_equal(buf_append(&b, "78", 2), 0);
	assert_string_equal(b.data, "12345678");
	assert_false(b.overflow);
	/* 3 more bytes would make 11 > 10: refused, nothing written. */
	assert_int_equal(buf_append(&b, "abc", 3), -1);
	assert_true(b.overflow);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(b.len, 8);
	check_invariants(&b);
	assert_int_equal(buf_puts(&b, "xyz"), -1);
	assert_int_equal(buf_printf(&b, "%d", 123), -1);
	assert_string_equal(b.data, "12345678");
	/* Exactly reaching max is allowed. */
	assert_int_equal(buf_append(&b, "9A", 2), 0);
	assert_string_equal(b.data, "123456789A");
	assert_int_equal(b.len, 10);
	assert_int_equal(buf_putc(&b, 'B'), -1);
	assert_string_equal(b.data, "123456789A");
	check_invariants(&b);
	assert_int_equal(buf_puts(&b, NULL), 0);
	assert_int_equal(b.len, 10);
	/* Reset clears content and the overflow flag, and keeps memory. */
	char *mem = b.data;
	buf_reset(&b);
	assert_false(b.overflow);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_ptr_equal(b.data, mem);
	buf_free(&b);
	check_invariants(&b);
}

static void buf_growth_keeps_content(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(1u << 20);
	char expect[10001];
	for (int i = 0; i < 10000; i++) {
		char c = (char)('a' + i % 26);
		expect[i] = c;
		assert_int_equal(buf_putc(&b, c), 0);
		assert_int_equal(b.data[b.len], '\0');
	}
	expect[10000] = '\0';
	assert_int_equal(b.len, 10000);
	assert_string_equal(b.data, expect);
	/* Binary data with NULs is kept byte for byte. */
	buf_reset(&b);
	const char bin[] = {'a', '\0', 'b', '\0'};
	assert_int_equal(buf_append(&b, bin, sizeof(bin)), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, bin, 4);
	assert_int_equal(b.data[4], '\0');
	buf_truncate(&b, 1);
	assert_int_equal(b.len, 1);
	assert_string_equal(b.data, "a");
	buf_free(&b);
}

static void buf_printf_long_output(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(4096);
	char word[301];
	memset(word, 'w', 300);
	word[300] = '\0';
	assert_int_equal(buf_puts(&b, "start:"), 0);
	assert_int_equal(buf_printf(&b, "[%s] n=%d", word, -17), 0);
	check_invariants(&b);
	char expect[400];
	int n = snprintf(expect, sizeof(expect), "start:[%s] n=%d", word, -17);
	assert_int_equal(b.len, (size_t)n);
	assert_string_equal(b.data, expect);
	/* A long printf that does not fit leaves the content unchanged. */
	struct buf s = BUF_INIT(200);
	assert_int_equal(buf_puts(&s, "keep"), 0);
	assert_int_equal(buf_printf(&s, "%s", word), -1);
	assert_true(s.overflow);
	assert_string_equal(s.data, "keep");
	assert_int_equal(s.len, 4);
	check_invariants(&s);
	buf_free(&s);
	buf_free(&b);
}

static void buf_detach_ownership(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(100);
	buf_puts(&b, "owned text");
	size_t len = 0;
	char *p = buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 10);
	assert_string_equal(p, "owned text");
	/* The buffer is empty and usable again, and does not share p. */
	check_invariants(&b);
	assert_int_equal(b.len, 0);
	assert_ptr_not_equal(b.data, p);
	buf_puts(&b, "new");
	assert_string_equal(p, "owned text");
	assert_string_equal(b.data, "new");
	free(p);
	buf_free(&b);
	/* Detaching an empty buffer still gives a freeable string. */
	struct buf e = BUF_INIT(100);
	char *q = buf_detach(&e, NULL);
	assert_non_null(q);
	assert_string_equal(q, "");
	free(q);
	check_invariants(&e);
}

/* ----------------------------------------------------------------- escape */

static void escape_html(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(1000);
	assert_int_equal(esc_html(&b, "a&b<c>d\"e'f"), 0);
	assert_string_equal(b.data, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_reset(&b);
	assert_int_equal(esc_html(&b, "plain é text"), 0);
	assert_string_equal(b.data, "plain é text");
	buf_reset(&b);
	assert_int_equal(esc_html(&b, NULL), 0);
	assert_string_equal(b.data, "");
	assert_int_equal(esc_html_n(&b, "<b>bold</b>", 3), 0);
	assert_string_equal(b.data, "&lt;b&gt;");
	buf_free(&b);
	/* Bounded: an escape that does not fit fails. */
	struct buf s = BUF_INIT(4);
	assert_int_equal(esc_html(&s, "<<"), -1);
	buf_free(&s);
}

static void escape_url(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(1000);
	assert_int_equal(esc_url(&b, "AZaz09-._~"), 0);
	assert_string_equal(b.data, "AZaz09-._~");
	buf_reset(&b);
	assert_int_equal(esc_url(&b, "a b/c?d=e&f+g#h%"), 0);
	assert_string_equal(b.data, "a%20b%2Fc%3Fd%3De%26f%2Bg%23h%25");
	buf_reset(&b);
	assert_int_equal(esc_url(&b, "é😀"), 0);
	assert_string_equal(b.data, "%C3%A9%F0%9F%98%80");
	buf_reset(&b);
	assert_int_equal(esc_url(&b, "\x01\x7f\xff"), 0);
	assert_string_equal(b.data, "%01%7F%FF");
	buf_free(&b);
}

static void url_decode_cases(void **state)
{
	(void)state;
	char out[64];
	const char *s = "a%20b+c%2Bd";
	assert_int_equal(url_decode(out, s, strlen(s), 1), 7);
	assert_string_equal(out, "a b c+d");
	assert_int_equal(url_decode(out, s, strlen(s), 0), 7);
	assert_string_equal(out, "a b+c+d");
	s = "%c3%A9t%C3%a9";
	assert_int_equal(url_decode(out, s, strlen(s), 1), 5);
	assert_string_equal(out, "été");
	assert_int_equal(url_decode(out, "", 0, 1), 0);
	assert_string_equal(out, "");
	/* Only n bytes are read. */
	assert_int_equal(url_decode(out, "ab%41zz", 5, 0), 3);
	assert_string_equal(out, "abA");
	/* Malformed escapes. */
	assert_int_equal(url_decode(out, "%4", 2, 1), -1);
	assert_int_equal(url_decode(out, "%zz", 3, 1), -1);
	assert_int_equal(url_decode(out, "%", 1, 1), -1);
	assert_int_equal(url_decode(out, "abc%", 4, 1), -1);
	assert_int_equal(url_decode(out, "%g1", 3, 1), -1);
	assert_int_equal(url_decode(out, "%1g", 3, 1), -1);
	/* An escape cut by n is malformed even if more bytes follow. */
	assert_int_equal(url_decode(out, "%41", 2, 1), -1);
	/* In place. */
	char inplace[] = "x%3Dy+z";
	assert_int_equal(url_decode(inplace, inplace, strlen(inplace), 1), 5);
	assert_string_equal(inplace, "x=y z");
}

static void html_printf_codes(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(4096);
	assert_int_equal(html_printf(&b, "<p>%s</p>", "<script>alert('x')</script>"), 0);
	assert_string_equal(b.data, "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
	assert_null(strstr(b.data, "<script"));
	buf_reset(&b);
	assert_int_equal(html_printf(&b, "%R|%s", "<b>raw</b>", "<b>"), 0);
	assert_string_equal(b.data, "<b>raw</b>|&lt;b&gt;");
	buf_reset(&b);
	assert_int_equal(html_printf(&b, "<a href=\"/?q=%U\">", "a b&c=\"d\""), 0);
	assert_string_equal(b.data, "<a href=\"/?q=a%20b%26c%3D%22d%22\">");
	buf_reset(&b);
	assert_int_equal(html_printf(&b, "%d %ld %lld %zu %u", -5, -1234567890L,
				     (long long)INT64_MIN, (size_t)SIZE_MAX, 4000000000u),
			 0);
	char expect[200];
	snprintf(expect, sizeof(expect), "%d %ld %lld %zu %u", -5, -1234567890L,
		 (long long)INT64_MIN, (size_t)SIZE_MAX, 4000000000u);
	assert_string_equal(b.data, expect);
	buf_reset(&b);
	assert_int_equal(html_printf(&b, "%lu %llu", 4294967296UL, 18446744073709551615ULL), 0);
	assert_string_equal(b.data, "4294967296 18446744073709551615");
	buf_reset(&b);
	assert_int_equal(html_printf(&b, "%.1f|%.2f|%.0f", 2.75, -0.125, 99.0), 0);
	assert_string_equal(b.data, "2.8|-0.12|99"); /* as printf rounds */
	buf_reset(&b);
	assert_int_equal(html_printf(&b, "100%% [%5d] [%-3d] [%03d]", 42, 7, 5), 0);
	assert_string_equal(b.data, "100% [   42] [7  ] [005]");
	buf_reset(&b);
	/* NULL strings write nothing. */
	assert_int_equal(html_printf(&b, "a%sb%Uc%Rd", (const char *)NULL, (const char *)NULL,
				     (const char *)NULL),
			 0);
	assert_string_equal(b.data, "abcd");
	buf_reset(&b);
	/* Mixed: arguments stay in step across codes. */
	assert_int_equal(html_printf(&b, "%s=%d;%U=%.1f;%R", "<x>", 3, "é", 1.25, "<ok>"), 0);
	assert_string_equal(b.data, "&lt;x&gt;=3;%C3%A9=1.2;<ok>");
	buf_free(&b);
	/* Bounded buffer: the writer reports the failure. */
	struct buf s = BUF_INIT(8);
	assert_int_equal(html_printf(&s, "%s", "<<<<<<<<"), -1);
	assert_true(s.overflow);
	buf_free(&s);
}

/* ------------------------------------------------------------------- utf8 */

#define VALID(lit) assert_true(utf8_valid(lit, sizeof(lit) - 1))
#define INVALID(lit) assert_false(utf8_valid(lit, sizeof(lit) - 1))

static void utf8_valid_sequences(void **state)
{
	(void)state;
	VALID("");
	VALID("plain ASCII ~\x7f");
	VALID("\xc3\xa9");                 /* é */
	VALID("caf\xc3\xa9 \xe2\x82\xac"); /* café € */
	VALID("\xf0\x9f\x98\x80");         /* U+1F600 */
	VALID("\xc2\x80");                 /* U+0080, smallest 2-byte */
	VALID("\xe0\xa0\x80");             /* U+0800, smallest 3-byte */
	VALID("\xed\x9f\xbf");             /* U+D7FF, just below surrogates */
	VALID("\xee\x80\x80");             /* U+E000, just above */
	VALID("\xef\xbf\xbf");             /* U+FFFF */
	VALID("\xf0\x90\x80\x80");         /* U+10000 */
	VALID("\xf4\x8f\xbf\xbf");         /* U+10FFFF */
	assert_true(utf8_valid_str("été à Montréal"));
	assert_true(utf8_valid_str(""));
	assert_int_equal(utf8_length("a\xc3\xa9\xf0\x9f\x98\x80z", 8), 4);
	assert_int_equal(utf8_length("", 0), 0);
}

static void utf8_invalid_sequences(void **state)
{
	(void)state;
	INVALID("\xc0\xaf");         /* overlong '/' */
	INVALID("\xc1\xbf");         /* overlong */
	INVALID("\xe0\x80\xaf");     /* overlong 3-byte */
	INVALID("\xe0\x9f\xbf");     /* overlong 3-byte, top */
	INVALID("\xf0\x80\x80\xaf"); /* overlong 4-byte */
	INVALID("\xf0\x8f\xbf\xbf"); /* overlong 4-byte, top */
	INVALID("\xed\xa0\x80");     /* U+D800 */
	INVALID("\xed\xbf\xbf");     /* U+DFFF */
	INVALID("\xf4\x90\x80\x80"); /* U+110000 */
	INVALID("\xf5\x80\x80\x80");
	INVALID("\xff");
	INVALID("\xfe");
	/* Truncated sequences, at the end and followed by ASCII. */
	INVALID("\xc3");
	INVALID("\xe2\x82");
	INVALID("\xf0\x9f\x98");
	INVALID("a\xe2\x82z");
	INVALID("\xf0\x9f\x98z");
	INVALID("\xc3 ");
	/* Stray continuation bytes. */
	INVALID("\x80");
	INVALID("a\xbf");
	INVALID("\xc3\xa9\xa9");
	/* A continuation byte out of range inside a sequence. */
	INVALID("\xe2\xc0\xac");
	INVALID("\xf0\x9f\x98\xc0");
	/* Embedded NUL. */
	INVALID("a\0b");
	INVALID("\0");
	assert_false(utf8_valid_str("x\xed\xa0\x80y"));
	/* n is respected: a valid prefix of an invalid buffer is valid. */
	assert_true(utf8_valid("ab\xff", 2));
	assert_false(utf8_valid("\xc3\xa9", 1));
}

/* ------------------------------------------------------------------ ptime */

/* ptime_parse_timestamp on an exact-size heap copy, so a read past the
 * end of the string is caught by ASan or valgrind. */
static int parse_ts(const char *s, int64_t *out)
{
	char *copy = strdup(s);
	assert_non_null(copy);
	int r = ptime_parse_timestamp(copy, out);
	free(copy);
	return r;
}

static int64_t instant(const char *s)
{
	int64_t t = 0;
	if (parse_ts(s, &t) != 0)
		fail_msg("cannot parse timestamp %s", s);
	return t;
}

static void ptime_zone_selection(void **state)
{
	(void)state;
	assert_string_equal(ptime_zone(), "America/Toronto");
	assert_int_equal(ptime_set_zone("Nowhere/Zone"), -1);
	assert_int_equal(ptime_set_zone("../etc"), -1);
	assert_int_equal(ptime_set_zone("../../etc/passwd"), -1);
	assert_int_equal(ptime_set_zone("America/../America/Toronto"), -1);
	assert_int_equal(ptime_set_zone("/etc/passwd"), -1);
	assert_int_equal(ptime_set_zone(""), -1);
	assert_int_equal(ptime_set_zone(NULL), -1);
	/* A refused zone leaves the previous one in use. */
	assert_string_equal(ptime_zone(), "America/Toronto");
	assert_int_equal(instant("2024-06-01T08:00"), 1717243200);
}

static void ptime_dates(void **state)
{
	(void)state;
	struct pdate d;
	assert_int_equal(ptime_parse_date("2024-02-29", &d), 0);
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);
	assert_int_equal(ptime_parse_date("2000-02-29", &d), 0);
	assert_int_equal(ptime_parse_date("2024-12-31", &d), 0);
	assert_int_equal(ptime_parse_date("2024-01-01", &d), 0);
	assert_int_equal(d.month, 1);
	assert_int_equal(d.day, 1);
	const char *bad[] = {
		"2023-02-29", "1900-02-29",  "2024-13-01",       "2024-00-10", "2024-04-31",
		"2024-01-00", "2024-01-32",  "2024-1-01",        "2024-01-1",  "24-01-01",
		"2024/01/01", "2024-01-01x", "2024-01-01T00:00", "",           "abcd-ef-gh",
		"0000-01-01", " 2024-01-01", "2024-0a-01",       "+024-01-01",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *copy = strdup(bad[i]);
		if (ptime_parse_date(copy, &d) == 0)
			fail_msg("date %s accepted", bad[i]);
		free(copy);
	}
	assert_int_equal(ptime_parse_date(NULL, &d), -1);

	struct pdate a = {2024, 3, 1}, b = {2024, 2, 29}, c = {2024, 3, 1};
	assert_true(ptime_date_cmp(&a, &b) > 0);
	assert_true(ptime_date_cmp(&b, &a) < 0);
	assert_int_equal(ptime_date_cmp(&a, &c), 0);
	struct pdate y1 = {2023, 12, 31}, y2 = {2024, 1, 1};
	assert_true(ptime_date_cmp(&y1, &y2) < 0);
	char out[11];
	struct pdate f = {987, 7, 4};
	ptime_format_date(&f, out);
	assert_string_equal(out, "0987-07-04");
}

static void ptime_timestamps(void **state)
{
	(void)state;
	/* 2024-06-01T12:00:00Z is 1717243200 (GNU date). */
	assert_int_equal(instant("2024-06-01T12:00Z"), 1717243200);
	assert_int_equal(instant("2024-06-01T12:00:00Z"), 1717243200);
	assert_int_equal(instant("2024-06-01T08:00-04:00"), 1717243200);
	assert_int_equal(instant("2024-06-01T07:00-0500"), 1717243200);
	assert_int_equal(instant("2024-06-01T17:30+05:30"), 1717243200);
	assert_int_equal(instant("2024-06-01T12:00+00:00"), 1717243200);
	assert_int_equal(instant("2024-06-01 12:00:00Z"), 1717243200);
	/* Local times: EDT in June, EST in January. */
	assert_int_equal(instant("2024-06-01T08:00"), 1717243200);
	assert_int_equal(instant("2024-01-15T07:00:30"), 1705320030);
	assert_int_equal(instant("2024-01-15T12:00:30Z"), 1705320030);
	/* Before the epoch. */
	assert_int_equal(instant("1969-12-31T00:00Z"), -86400);
	assert_int_equal(instant("1900-03-01T00:00Z"), -2203891200LL);

	const char *bad[] = {
		"2024-06-01",
		"2024-06-01T",
		"2024-06-01T1",
		"2024-06-01T12",
		"2024-06-01T12:",
		"2024-06-01T12:0",
		"2024-06-01T24:00",
		"2024-06-01T12:60",
		"2024-06-01T12:00:60",
		"2024-06-01T12:00:5",
		"2024-06-01X12:00",
		"2024-06-01T12:00z",
		"2024-06-01T12:00Zx",
		"2024-06-01T12:00+",
		"2024-06-01T12:00+0",
		"2024-06-01T12:00+05",
		"2024-06-01T12:00+05:",
		"2024-06-01T12:00+05:3",
		"2024-06-01T12:00+05:30x",
		"2024-06-01T12:00+25:00",
		"2024-06-01T12:00+05:60",
		"2024-06-01T12:00 ",
		"2023-02-29T12:00Z",
		"2024-06-01T1a:00",
		"",
		"T12:00",
	};
	int64_t t;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (parse_ts(bad[i], &t) == 0)
			fail_msg("timestamp '%s' accepted", bad[i]);
	assert_int_equal(ptime_parse_timestamp(NULL, &t), -1);

	char out[26];
	ptime_format_local(1717243200, out);
	assert_string_equal(out, "2024-06-01T08:00:00-04:00");
	ptime_format_local(1705320030, out);
	assert_string_equal(out, "2024-01-15T07:00:30-05:00");
	char u[21];
	ptime_format_utc(1717243200, u);
	assert_string_equal(u, "2024-06-01T12:00:00Z");
	ptime_format_utc(-86400, u);
	assert_string_equal(u, "1969-12-31T00:00:00Z");
}

static void ptime_dst(void **state)
{
	(void)state;
	/* Fall back: 2024-11-03 is 25 hours long in Toronto. */
	int64_t a = instant("2024-11-02T12:00"), b = instant("2024-11-03T12:00");
	assert_int_equal(a, 1730563200);
	assert_int_equal(b, 1730653200);
	assert_int_equal(b - a, 25 * 3600);
	assert_true(fabs(ptime_days_between(a, b) - 25.0 / 24.0) < 1e-12);
	/* Spring forward: 2025-03-09 is 23 hours long. */
	int64_t c = instant("2025-03-08T12:00"), d = instant("2025-03-09T12:00");
	assert_int_equal(d - c, 23 * 3600);
	assert_true(fabs(ptime_days_between(c, d) - 23.0 / 24.0) < 1e-12);
	assert_true(fabs(ptime_days_between(d, c) + 23.0 / 24.0) < 1e-12);
	assert_true(fabs(ptime_days_between(c, c)) < 1e-12);

	/* Ambiguous 01:30 on fall-back day: the first (EDT) occurrence. */
	assert_int_equal(instant("2024-11-03T01:30"), instant("2024-11-03T05:30Z"));
	assert_int_equal(instant("2024-11-03T01:30"), 1730611800);
	char out[26];
	ptime_format_local(1730611800, out);
	assert_string_equal(out, "2024-11-03T01:30:00-04:00");
	/* One hour later the wall clock shows 01:30 again, in EST. */
	ptime_format_local(1730611800 + 3600, out);
	assert_string_equal(out, "2024-11-03T01:30:00-05:00");
	/* Just outside the ambiguous hour. */
	assert_int_equal(instant("2024-11-03T00:59"), instant("2024-11-03T04:59Z"));
	assert_int_equal(instant("2024-11-03T02:00"), instant("2024-11-03T07:00Z"));

	/* Nonexistent 02:30 on spring-forward day: moved forward to 03:30 EDT. */
	assert_int_equal(instant("2025-03-09T02:30"), instant("2025-03-09T07:30Z"));
	assert_int_equal(instant("2025-03-09T02:30"), 1741505400);
	ptime_format_local(1741505400, out);
	assert_string_equal(out, "2025-03-09T03:30:00-04:00");
	assert_int_equal(instant("2025-03-09T02:00"), instant("2025-03-09T03:00"));
	assert_int_equal(instant("2025-03-09T01:59"), instant("2025-03-09T06:59Z"));
	assert_int_equal(instant("2025-03-09T03:00"), instant("2025-03-09T07:00Z"));
}

static void ptime_day_starts(void **state)
{
	(void)state;
	struct pdate fb = {2024, 11, 3}, fb2 = {2024, 11, 4};
	assert_int_equal(ptime_date_start(&fb), 1730606400); /* 04:00Z, EDT midnight */
	assert_int_equal(ptime_date_start(&fb2) - ptime_date_start(&fb), 25 * 3600);
	struct pdate sf = {2025, 3, 9}, sf2 = {2025, 3, 10};
	assert_int_equal(ptime_date_start(&sf), 1741496400); /* 05:00Z, EST midnight */
	assert_int_equal(ptime_date_start(&sf2) - ptime_date_start(&sf), 23 * 3600);
	struct pdate n1 = {2024, 6, 1}, n2 = {2024, 6, 2};
	assert_int_equal(ptime_date_start(&n2) - ptime_date_start(&n1), 24 * 3600);
	assert_int_equal(ptime_date_start(&n1), instant("2024-06-01T04:00Z"));

	struct pdate ld = ptime_local_date(instant("2024-11-03T04:30Z")); /* 00:30 EDT */
	assert_int_equal(ld.year, 2024);
	assert_int_equal(ld.month, 11);
	assert_int_equal(ld.day, 3);
	ld = ptime_local_date(instant("2024-11-03T03:59Z")); /* 23:59 EDT the day before */
	assert_int_equal(ld.day, 2);
	ld = ptime_local_date(instant("2025-01-01T04:59:59Z")); /* 23:59:59 EST Dec 31 */
	assert_int_equal(ld.year, 2024);
	assert_int_equal(ld.month, 12);
	assert_int_equal(ld.day, 31);
	/* A date's start lies on that date, and one second before does not. */
	for (int m = 1; m <= 12; m++) {
		struct pdate x = {2025, m, 15};
		int64_t s = ptime_date_start(&x);
		struct pdate y = ptime_local_date(s);
		assert_int_equal(ptime_date_cmp(&x, &y), 0);
		struct pdate z = ptime_local_date(s - 1);
		assert_int_equal(z.day, 14);
	}
}

static int is_leap_ref(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays_ref(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap_ref(y) ? 29 : dm[m - 1];
}

static void ptime_civil_round_trip(void **state)
{
	(void)state;
	struct pdate epoch = {1970, 1, 1};
	assert_int_equal(ptime_days_from_civil(&epoch), 0);
	struct pdate y2k = {2000, 3, 1};
	assert_int_equal(ptime_days_from_civil(&y2k), 951868800 / 86400);
	/* Walk forward and backward from the epoch with an independent
	 * calendar (about 410 years each way: 1600, 1700, 1900, 2000, 2100,
	 * 2400 and every ordinary leap year). */
	struct pdate d = epoch;
	for (int64_t n = 0; n <= 150000; n++) {
		assert_int_equal(ptime_days_from_civil(&d), n);
		struct pdate r = ptime_civil_from_days(n);
		if (ptime_date_cmp(&r, &d) != 0)
			fail_msg("civil_from_days(%lld) = %d-%d-%d, want %d-%d-%d", (long long)n,
				 r.year, r.month, r.day, d.year, d.month, d.day);
		if (++d.day > mdays_ref(d.year, d.month)) {
			d.day = 1;
			if (++d.month > 12) {
				d.month = 1;
				d.year++;
			}
		}
	}
	d = epoch;
	for (int64_t n = 0; n >= -150000; n--) {
		assert_int_equal(ptime_days_from_civil(&d), n);
		struct pdate r = ptime_civil_from_days(n);
		if (ptime_date_cmp(&r, &d) != 0)
			fail_msg("civil_from_days(%lld) = %d-%d-%d, want %d-%d-%d", (long long)n,
				 r.year, r.month, r.day, d.year, d.month, d.day);
		if (--d.day < 1) {
			if (--d.month < 1) {
				d.month = 12;
				d.year--;
			}
			d.day = mdays_ref(d.year, d.month);
		}
	}
	/* Leap days exist exactly where they should. */
	struct pdate l1 = {2000, 2, 29}, l2 = {2000, 3, 1}, l3 = {1900, 2, 28}, l4 = {1900, 3, 1};
	assert_int_equal(ptime_days_from_civil(&l2) - ptime_days_from_civil(&l1), 1);
	assert_int_equal(ptime_days_from_civil(&l4) - ptime_days_from_civil(&l3), 1);
}

static void ptime_now_injection(void **state)
{
	(void)state;
	assert_int_equal(setenv("PROXIMA_NOW", "2024-06-01T12:00:00Z", 1), 0);
	ptime_hooks_load();
	assert_int_equal(ptime_now(), 1717243200);
	assert_int_equal(setenv("PROXIMA_NOW", "2024-11-03T01:30", 1), 0);
	ptime_hooks_load();
	assert_int_equal(ptime_now(), 1730611800);
	/* The environment is read once (ptime_hooks_load), not by every
	 * ptime_now of every thread: a later change is not seen. */
	assert_int_equal(setenv("PROXIMA_NOW", "2030-01-01T00:00:00Z", 1), 0);
	assert_int_equal(ptime_now(), 1730611800);
	/* Garbage is ignored: the real clock is used. */
	assert_int_equal(setenv("PROXIMA_NOW", "yesterday", 1), 0);
	ptime_hooks_load();
	int64_t real = (int64_t)time(NULL);
	int64_t got = ptime_now();
	assert_true(got >= real - 5 && got <= real + 5);
	assert_int_equal(unsetenv("PROXIMA_NOW"), 0);
	ptime_hooks_load();
	real = (int64_t)time(NULL);
	got = ptime_now();
	assert_true(got >= real - 5 && got <= real + 5);
	int64_t m1 = ptime_monotonic_us(), m2 = ptime_monotonic_us();
	assert_true(m2 >= m1);
}

/* ------------------------------------------------------------------ jsonw */

static void jsonw_nesting(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(4096);
	struct jsonw w;
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_kv_int(&w, "a", 1);
	jsonw_key(&w, "list");
	jsonw_arr_begin(&w);
	jsonw_int(&w, -2);
	jsonw_str(&w, "x");
	jsonw_bool(&w, true);
	jsonw_null(&w);
	jsonw_obj_begin(&w);
	jsonw_kv_bool(&w, "ok", false);
	jsonw_kv_str(&w, "s", "t");
	jsonw_obj_end(&w);
	jsonw_arr_begin(&w);
	jsonw_arr_end(&w);
	jsonw_obj_begin(&w);
	jsonw_obj_end(&w);
	jsonw_arr_end(&w);
	jsonw_key(&w, "empty");
	jsonw_obj_begin(&w);
	jsonw_obj_end(&w);
	jsonw_kv_int(&w, "big", INT64_MAX);
	jsonw_kv_int(&w, "small", INT64_MIN);
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_string_equal(
		b.data, "{\"a\":1,\"list\":[-2,\"x\",true,null,{\"ok\":false,\"s\":\"t\"},[],{}],"
			"\"empty\":{},\"big\":9223372036854775807,"
			"\"small\":-9223372036854775808}");
	/* A top-level array of arrays. */
	buf_reset(&b);
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	for (int i = 0; i < 3; i++) {
		jsonw_arr_begin(&w);
		jsonw_int(&w, i);
		jsonw_int(&w, i * 10);
		jsonw_arr_end(&w);
	}
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_string_equal(b.data, "[[0,0],[1,10],[2,20]]");
	buf_free(&b);
}

static void jsonw_escaping(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(4096);
	assert_int_equal(json_escape(&b, "q\"b\\n\nt\tr\rc\x01\x1f<>/é"), 0);
	assert_string_equal(b.data, "\"q\\\"b\\\\n\\nt\\tr\\rc\\u0001\\u001f\\u003c>/é\"");
	buf_reset(&b);
	assert_int_equal(json_escape(&b, "</script><!--"), 0);
	assert_null(strchr(b.data, '<'));
	assert_string_equal(b.data, "\"\\u003c/script>\\u003c!--\"");
	buf_reset(&b);
	assert_int_equal(json_escape(&b, ""), 0);
	assert_string_equal(b.data, "\"\"");
	buf_reset(&b);
	struct jsonw w;
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "k\"ey", "v\\al");
	jsonw_kv_str(&w, "none", NULL);
	jsonw_key(&w, "arr");
	jsonw_arr_begin(&w);
	jsonw_str(&w, NULL);
	jsonw_str(&w, "\x7f");
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_string_equal(b.data,
			    "{\"k\\\"ey\":\"v\\\\al\",\"none\":null,\"arr\":[null,\"\x7f\"]}");
	buf_free(&b);
}

static void jsonw_finish_detects_errors(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(4096);
	struct jsonw w;
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_kv_int(&w, "a", 1);
	assert_int_equal(jsonw_finish(&w), -1); /* object still open */
	buf_reset(&b);
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	jsonw_arr_begin(&w);
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), -1); /* outer array open */
	buf_reset(&b);
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "dangling");
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), -1); /* key without value */
	buf_reset(&b);
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	jsonw_arr_end(&w);
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), -1); /* one close too many */
	buf_reset(&b);
	jsonw_init(&w, &b);
	for (int i = 0; i < JSONW_MAX_DEPTH + 5; i++)
		jsonw_arr_begin(&w);
	for (int i = 0; i < JSONW_MAX_DEPTH + 5; i++)
		jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), -1); /* too deep */
	buf_free(&b);
	/* Output past the buffer bound. */
	struct buf s = BUF_INIT(16);
	jsonw_init(&w, &s);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "key", "a value that does not fit");
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), -1);
	buf_free(&s);
	/* Nesting at the limit minus one still works. */
	struct buf d = BUF_INIT(4096);
	jsonw_init(&w, &d);
	for (int i = 0; i < JSONW_MAX_DEPTH - 1; i++)
		jsonw_arr_begin(&w);
	for (int i = 0; i < JSONW_MAX_DEPTH - 1; i++)
		jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_int_equal(d.len, 2 * (JSONW_MAX_DEPTH - 1));
	buf_free(&d);
}

static void jsonw_doubles(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(4096);
	struct jsonw w;
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	jsonw_double(&w, 3.14159, 2);
	jsonw_double(&w, -0.25, 2);
	jsonw_double(&w, 2.0, 1);
	jsonw_double(&w, 42.0, 0);
	jsonw_double(&w, NAN, 2);
	jsonw_double(&w, INFINITY, 2);
	jsonw_double(&w, -INFINITY, 1);
	jsonw_double(&w, 1e300, 2); /* too long to print: null, still valid */
	jsonw_double(&w, 0.5, 3);
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_string_equal(b.data, "[3.14,-0.25,2.0,42,null,null,null,null,0.500]");
	buf_free(&b);
}

/* ------------------------------------------------------------------- i18n */

static void i18n_translations(void **state)
{
	(void)state;
	assert_int_equal(i18n_init(), 0); /* idempotent */
	assert_string_equal(i18n_tr("en", "Accueil"), "Home");
	assert_string_equal(i18n_tr("en", "L'intervention de proximité, rendue visible"),
			    "Outreach work, made visible");
	assert_string_equal(i18n_tr("en", "Cette page n'existe pas."), "This page does not exist.");
	const char *msgid = "Accueil";
	assert_ptr_equal(i18n_tr("fr", msgid), msgid);
	const char *unknown = "Une phrase qui n'existe dans aucun catalogue";
	assert_ptr_equal(i18n_tr("en", unknown), unknown);
	assert_ptr_equal(i18n_tr("de", msgid), msgid);
	assert_ptr_equal(i18n_tr(NULL, msgid), msgid);
	/* Prefix and extension of a msgid are different msgids. */
	assert_string_equal(i18n_tr("en", "Accuei"), "Accuei");
	assert_string_equal(i18n_tr("en", "Accueil "), "Accueil ");
	assert_true(i18n_supported("fr"));
	assert_true(i18n_supported("en"));
	assert_false(i18n_supported("de"));
	assert_false(i18n_supported("EN"));
	assert_false(i18n_supported(""));
	assert_false(i18n_supported(NULL));
	/* Plural forms without a catalogue entry: French keeps 0 singular. */
	const char *s = "%ld famille", *p = "%ld familles";
	assert_ptr_equal(i18n_trn("fr", s, p, 0), s);
	assert_ptr_equal(i18n_trn("fr", s, p, 1), s);
	assert_ptr_equal(i18n_trn("fr", s, p, 2), p);
	assert_ptr_equal(i18n_trn("en", s, p, 1), s);
	assert_ptr_equal(i18n_trn("en", s, p, 2), p);
}

static void i18n_negotiation(void **state)
{
	(void)state;
	assert_string_equal(i18n_negotiate("en-CA,en;q=0.9"), "en");
	assert_string_equal(i18n_negotiate("fr-CA"), "fr");
	assert_string_equal(i18n_negotiate("de"), "fr");
	assert_string_equal(i18n_negotiate("en;q=0.2, fr;q=0.8"), "fr");
	assert_string_equal(i18n_negotiate("fr;q=0, en"), "en");
	assert_string_equal(i18n_negotiate(NULL), "fr");
	assert_string_equal(i18n_negotiate(""), "fr");
	assert_string_equal(i18n_negotiate("en"), "en");
	assert_string_equal(i18n_negotiate("EN-us"), "en");
	assert_string_equal(i18n_negotiate("en_US"), "en");
	assert_string_equal(i18n_negotiate("de-DE, en;q=0.5"), "en");
	assert_string_equal(i18n_negotiate("de-DE,fr;q=0.4,en;q=0.5"), "en");
	assert_string_equal(i18n_negotiate("en;q=0.5,fr;q=0.5"), "en"); /* tie: first */
	assert_string_equal(i18n_negotiate("fr;q=0.8, en;q=0.81"), "en");
	assert_string_equal(i18n_negotiate("en;q=0"), "fr");
	assert_string_equal(i18n_negotiate("english, en-GB;q=0.3"), "en");
	assert_string_equal(i18n_negotiate("enx"), "fr");
	assert_string_equal(i18n_negotiate("*"), "fr");
	const char *garbage[] = {
		";;;",
		",,,",
		";q=",
		"q=",
		"en;q=",
		"en;q=abc",
		"en;q=1.5",
		"e",
		";q=1,en;q",
		"fr;;q=0.5",
		"en;q=0.99999999",
		" , ;",
		"\xff\xfe",
		"en-",
		"-en",
		"en;q=-1",
		"en ; q=0.5",
		"\t",
		"en,,,,fr;q=0.1;q=0.9",
	};
	for (size_t i = 0; i < ARRAY_LEN(garbage); i++) {
		char *copy = strdup(garbage[i]);
		const char *r = i18n_negotiate(copy);
		assert_true(strcmp(r, "fr") == 0 || strcmp(r, "en") == 0);
		free(copy);
	}
	/* A long header does not crash and still finds English. */
	struct buf b = BUF_INIT(1 << 16);
	for (int i = 0; i < 500; i++)
		buf_puts(&b, "xx-YY;q=0.1, ");
	buf_puts(&b, "en;q=0.2");
	assert_string_equal(i18n_negotiate(b.data), "en");
	buf_free(&b);
}

/* -------------------------------------------------------------------- log */

static void log_values(void **state)
{
	(void)state;
	char out[64];
	assert_string_equal(log_value(out, sizeof(out), "plain"), "\"plain\"");
	assert_string_equal(log_value(out, sizeof(out), "a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(log_value(out, sizeof(out), "x\ny\rz\t\x7f"), "\"x?y?z??\"");
	assert_string_equal(log_value(out, sizeof(out), NULL), "\"\"");
	assert_string_equal(log_value(out, sizeof(out), "été"), "\"été\"");
	/* Cut to fit, still quoted and terminated. */
	char small[8];
	log_value(small, sizeof(small), "abcdefghijkl");
	assert_int_equal(small[0], '"');
	assert_true(strlen(small) < sizeof(small));
	assert_int_equal(small[strlen(small) - 1], '"');
	assert_true(str_starts(small, "\"abc"));
	/* Escapes are never cut in half. */
	for (size_t cap = 3; cap < 12; cap++) {
		char o[12];
		log_value(o, cap, "\"\"\"\"\"\"\"\"");
		size_t n = strlen(o);
		assert_true(n < cap);
		assert_int_equal(o[n - 1], '"');
		assert_int_equal((n - 2) % 2, 0); /* pairs of \" */
	}
	char tiny[2] = "x";
	log_value(tiny, sizeof(tiny), "abc");
	assert_string_equal(tiny, "");
}

/* ------------------------------------------------------------------- util */

static void util_parse_numbers(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(parse_i64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_i64("-42", -100, 100, &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(parse_i64("+7", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(parse_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_i64("10", 0, 10, &v), 0);
	assert_int_equal(parse_i64("0", 0, 10, &v), 0);
	v = 555;
	const char *bad[] = {"12a",
			     "",
			     " 1",
			     "1 ",
			     "99999999999999999999",
			     "-99999999999999999999",
			     "-",
			     "+",
			     "--1",
			     "0x10",
			     "1e3",
			     "1.0",
			     "\t1",
			     "a12",
			     "+-1"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (parse_i64(bad[i], INT64_MIN, INT64_MAX, &v) == 0)
			fail_msg("parse_i64 accepted '%s'", bad[i]);
	}
	assert_int_equal(v, 555); /* untouched on failure */
	assert_int_equal(parse_i64(NULL, 0, 1, &v), -1);
	assert_int_equal(parse_i64("11", 0, 10, &v), -1);
	assert_int_equal(parse_i64("-1", 0, 10, &v), -1);

	int i = 0;
	assert_int_equal(parse_int("2147483647", INT_MIN, INT_MAX, &i), 0);
	assert_int_equal(i, INT_MAX);
	assert_int_equal(parse_int("-2147483648", INT_MIN, INT_MAX, &i), 0);
	assert_int_equal(i, INT_MIN);
	assert_int_equal(parse_int("2147483648", INT_MIN, INT_MAX, &i), -1);
	assert_int_equal(parse_int("-2147483649", INT_MIN, INT_MAX, &i), -1);
	assert_int_equal(parse_int("12a", 0, 100, &i), -1);
	assert_int_equal(parse_int("", 0, 100, &i), -1);
	assert_int_equal(parse_int(" 1", 0, 100, &i), -1);
	assert_int_equal(parse_int("99999999999999999999", INT_MIN, INT_MAX, &i), -1);
	assert_int_equal(parse_int("5", 1, 4, &i), -1);
	assert_int_equal(parse_int("4", 1, 4, &i), 0);
	assert_int_equal(i, 4);
}

static void util_strings(void **state)
{
	(void)state;
	assert_true(str_ieq("Content-Type", "content-TYPE"));
	assert_false(str_ieq("abc", "abd"));
	assert_false(str_ieq("abc", "ab"));
	assert_true(str_ieq("", ""));
	assert_true(str_starts("/api/v1", "/api/"));
	assert_false(str_starts("/ap", "/api/"));
	assert_true(str_starts("x", ""));
	char out[4];
	assert_int_equal(str_copy(out, sizeof(out), "abcdef"), 6);
	assert_string_equal(out, "abc");
	assert_int_equal(str_copy(out, sizeof(out), "ab"), 2);
	assert_string_equal(out, "ab");
	out[0] = 'z';
	assert_int_equal(str_copy(out, 0, "abc"), 3);
	assert_int_equal(out[0], 'z');
}

/* One group per binary: tests/run.sh counts the last summary line. */
static int core_setup(void **state)
{
	(void)state;
	if (ptime_set_zone("America/Toronto") != 0)
		return -1;
	return i18n_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_many_allocations),
		cmocka_unit_test(arena_alignment_any_type),
		cmocka_unit_test(arena_big_allocations),
		cmocka_unit_test(arena_grow_in_place),
		cmocka_unit_test(arena_zero_size),
		cmocka_unit_test(arena_reset_reuses_first_block),
		cmocka_unit_test(arena_calloc_zeroes_reused_memory),
		cmocka_unit_test(arena_strings),
		cmocka_unit_test(buf_empty_is_valid_string),
		cmocka_unit_test(buf_append_and_bound),
		cmocka_unit_test(buf_growth_keeps_content),
		cmocka_unit_test(buf_printf_long_output),
		cmocka_unit_test(buf_detach_ownership),
		cmocka_unit_test(escape_html),
		cmocka_unit_test(escape_url),
		cmocka_unit_test(url_decode_cases),
		cmocka_unit_test(html_printf_codes),
		cmocka_unit_test(utf8_valid_sequences),
		cmocka_unit_test(utf8_invalid_sequences),
		cmocka_unit_test(ptime_zone_selection),
		cmocka_unit_test(ptime_dates),
		cmocka_unit_test(ptime_timestamps),
		cmocka_unit_test(ptime_dst),
		cmocka_unit_test(ptime_day_starts),
		cmocka_unit_test(ptime_civil_round_trip),
		cmocka_unit_test(ptime_now_injection),
		cmocka_unit_test(jsonw_nesting),
		cmocka_unit_test(jsonw_escaping),
		cmocka_unit_test(jsonw_finish_detects_errors),
		cmocka_unit_test(jsonw_doubles),
		cmocka_unit_test(i18n_translations),
		cmocka_unit_test(i18n_negotiation),
		cmocka_unit_test(log_values),
		cmocka_unit_test(util_parse_numbers),
		cmocka_unit_test(util_strings),
	};
	return cmocka_run_group_tests_name("core", tests, core_setup, NULL);
}
