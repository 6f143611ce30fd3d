/* libFuzzer harness for the small parsers of untrusted text. The input is
 * split at its first new line: the first line (without a CR before the
 * LF) is a header value, the rest a body.
 *   form_parse_urlencoded  the body, and the whole input
 *   form_parse_multipart   the body, with the first line as Content-Type
 *   cookie_parse           the first line
 *   url_decode             the body, both modes
 *   utf8_valid             the whole input, against a reference decoder
 *   ptime_parse_timestamp  the first line (and ptime_parse_date)
 *   i18n_negotiate         the first line
 *   client_addr_forwarded  the first line as X-Forwarded-For (and
 *                          client_addr_block, client_addr_trust_parse)
 * Besides the sanitizers, each function's documented contract is checked
 * (decoded text is valid UTF-8, lengths are bounded, a parsed timestamp
 * with an offset formats back to the same instant, …); a broken contract
 * aborts. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "http/client_addr.h"
#include "http/cookie.h"
#include "http/form.h"
#include "http/request.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what)
{
	fprintf(stderr, "fuzz_form: contract broken: %s\n", what);
	abort();
}

/* RFC 3629 by the book: decode each sequence to its scalar value, then
 * refuse overlong forms, surrogates, values above U+10FFFF and NUL. */
static bool utf8_reference(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i], len;
		uint32_t cp, min;
		if (c < 0x80) {
			len = 1, cp = c, min = 0;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp == 0 || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

static void check_kvlist(const struct kvlist *l, const char *what)
{
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i].key || !l->v[i].val || !utf8_valid_str(l->v[i].key) ||
		    !utf8_valid_str(l->v[i].val))
			broken(what);
}

static void fuzz_timestamp(const char *s)
{
	int64_t t;
	if (ptime_parse_timestamp(s, &t) == 0) {
		/* "YYYY-MM-DDTHH:MM" and maybe ":SS" were read; the rest is
		 * the offset. */
		bool has_offset = strlen(s) > (s[16] == ':' ? 19u : 16u);
		/* An instant with an explicit offset is the same in UTC. */
		if (has_offset) {
			char utc[21];
			int64_t back;
			ptime_format_utc(t, utc);
			if (utc[0] != '-' && ptime_parse_timestamp(utc, &back) == 0 && back != t)
				broken("ptime_parse_timestamp: UTC round trip");
		}
		/* The local date of the instant is a real date. */
		struct pdate d = ptime_local_date(t), d2;
		char ds[11];
		ptime_format_date(&d, ds);
		if (d.year >= 1 && d.year <= 9999 && ptime_parse_date(ds, &d2) != 0)
			broken("ptime_local_date: not a date");
	}
	struct pdate d;
	if (ptime_parse_date(s, &d) == 0) {
		char back[11];
		ptime_format_date(&d, back);
		if (strcmp(back, s) != 0)
			broken("ptime_parse_date: round trip");
		struct pdate d2 = ptime_civil_from_days(ptime_days_from_civil(&d));
		if (ptime_date_cmp(&d, &d2) != 0)
			broken("ptime_days_from_civil: round trip");
		(void)ptime_date_start(&d);
	}
}

/* X-Forwarded-For: what comes out is an address in its canonical form
 * (normalising it again changes nothing), and its block is one too. */
static void fuzz_forwarded(const char *s)
{
	char a[CLIENT_ADDR_LEN], b[CLIENT_ADDR_LEN], blk[CLIENT_ADDR_LEN];
	if (client_addr_forwarded(s, a, sizeof(a)) == 0) {
		if (client_addr_normalise(a, b, sizeof(b)) < 0 || strcmp(a, b) != 0)
			broken("client_addr_forwarded: not a canonical address");
		if (client_addr_block(a, blk, sizeof(blk)) < 0)
			broken("client_addr_block: refused an address");
	}
	struct client_addr_trust t;
	if (client_addr_trust_parse(s, &t) == 0 && t.n > CLIENT_ADDR_TRUST_MAX)
		broken("client_addr_trust_parse: too many proxies");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (i18n_init() < 0 || ptime_set_zone("America/Toronto") < 0)
		return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *lf = memchr(in, '\n', size);
	size_t hlen = lf ? (size_t)(lf - in) : size;
	const char *body = lf ? lf + 1 : in + size;
	size_t blen = size - (size_t)(body - in);
	char *hdr = malloc(hlen + 1);
	if (!hdr)
		return 0;
	memcpy(hdr, in, hlen);
	hdr[hlen] = '\0';
	if (hlen && hdr[hlen - 1] == '\r')
		hdr[hlen - 1] = '\0';

	struct arena *a = arena_new(4096);

	struct kvlist kv = {0};
	if (form_parse_urlencoded(a, body, blen, &kv) == 0) {
		check_kvlist(&kv, "form_parse_urlencoded: a pair is not UTF-8");
		if (kv.n > FORM_MAX_FIELDS)
			broken("form_parse_urlencoded: too many fields");
	}
	struct kvlist whole = {0};
	if (form_parse_urlencoded(a, in, size, &whole) == 0)
		check_kvlist(&whole, "form_parse_urlencoded: a pair is not UTF-8");

	struct kvlist fields = {0};
	struct upload *ups = NULL;
	size_t nups = 0;
	if (form_parse_multipart(a, body, blen, hdr, &fields, &ups, &nups) == 0) {
		check_kvlist(&fields, "form_parse_multipart: a field is not UTF-8");
		if (fields.n + nups > FORM_MAX_PARTS)
			broken("form_parse_multipart: too many parts");
		for (size_t i = 0; i < nups; i++) {
			if (!ups[i].field || !ups[i].filename || !utf8_valid_str(ups[i].field) ||
			    !utf8_valid_str(ups[i].filename) || ups[i].len > blen ||
			    (ups[i].len && !ups[i].data))
				broken("form_parse_multipart: bad upload");
		}
	}

	struct kvlist cookies = {0};
	if (cookie_parse(a, hdr, &cookies) == 0)
		check_kvlist(&cookies, "cookie_parse: a cookie is not UTF-8");

	char *dec = arena_alloc(a, blen + 1);
	for (int plus = 0; plus < 2; plus++) {
		long n = url_decode(dec, body, blen, plus);
		if (n > (long)blen || (n >= 0 && dec[n] != '\0'))
			broken("url_decode: length");
	}

	bool v = utf8_valid(in, size);
	if (v != utf8_reference(data, size))
		broken("utf8_valid disagrees with the reference decoder");
	if (v && utf8_length(in, size) > size)
		broken("utf8_length");

	fuzz_timestamp(hdr);
	fuzz_forwarded(hdr);

	const char *lang = i18n_negotiate(hdr);
	if (!lang || (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0))
		broken("i18n_negotiate: not fr or en");

	arena_free(a);
	free(hdr);
	return 0;
}
