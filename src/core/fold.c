/* Search text normalisation: see fold.h for the rule. */
#include "core/fold.h"

#include <stdbool.h>
#include <string.h>

#include "core/arena.h"

/* Writes the folding of code point cp (whose UTF-8 is the n bytes at raw)
 * into out; returns its length, or 0 when cp separates words. */
static size_t fold_cp(unsigned cp, const unsigned char *raw, size_t n, char out[4])
{
	/* U+00C0 … U+00FF; NULL for × and ÷. */
	static const char *const latin1[64] = {
		"a", "a", "a", "a", "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
		"d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
		"a", "a", "a", "a", "a", "a", "ae", "c",  "e", "e", "e", "e", "i", "i", "i",  "i",
		"d", "n", "o", "o", "o", "o", "o",  NULL, "o", "u", "u", "u", "u", "y", "th", "y"};
	/* U+0100 … U+017F by base letter; J is "ij", O is "oe". */
	static const char ext_a[129] =
		"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiJJjjkkkllll"
		"llllllnnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyy"
		"zzzzzzs";
	const char *s = NULL;
	char one[2] = {0, 0};
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (!((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')))
			return 0;
		one[0] = (char)cp;
		s = one;
	} else if (cp < 0xC0) {
		if (cp != 0xAA && cp != 0xBA)
			return 0; /* « » ° · and the rest of Latin-1's symbols */
		s = cp == 0xAA ? "a" : "o";
	} else if (cp <= 0xFF) {
		s = latin1[cp - 0xC0];
	} else if (cp <= 0x17F) {
		char c = ext_a[cp - 0x100];
		one[0] = c;
		s = c == 'J' ? "ij" : c == 'O' ? "oe" : one;
	} else if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F)) {
		return 0; /* general and CJK punctuation: dashes, quotes, ellipsis */
	} else {
		memcpy(out, raw, n); /* other scripts: kept as they are */
		return n;
	}
	if (!s)
		return 0;
	size_t len = strlen(s);
	memcpy(out, s, len);
	return len;
}

/* Decodes one code point at s into *cp; returns its length. A byte that
 * does not start well-formed UTF-8 reads as a separator of length 1. */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n = s[0] >= 0xF8 ? 0 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	unsigned v = n ? s[0] & (0x7Fu >> n) : 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			n = 0;
			break;
		}
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	*cp = n ? v : ' ';
	return n ? n : 1;
}

static bool ends_with(const char *w, size_t len, const char *tail)
{
	size_t t = strlen(tail);
	return len >= t && memcmp(w + len - t, tail, t) == 0;
}

/* The plural and feminine folding of the word w[0..len) in place; returns
 * its new length (fold.h). */
static size_t fold_ending(char *w, size_t len)
{
	if (len <= 3)
		return len;
	if (ends_with(w, len, "eaux") || ends_with(w, len, "eux")) {
		len--;
	} else if (ends_with(w, len, "aux") && len > 4) {
		w[len - 2] = 'l';
		len--; /* "aux" → "al" */
	} else if (w[len - 1] == 's') {
		len--;
	}
	while (len > 3 && w[len - 1] == 'e')
		len--;
	return len;
}

const char *fold_text(struct arena *a, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	/* No folding is longer than 2 bytes per input byte ("æ" → "ae"). */
	char *out = arena_alloc(a, 2 * n + 1);
	size_t k = 0, word = 0; /* word: where the current word starts */
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	for (size_t i = 0; i <= n;) {
		unsigned cp = ' ';
		size_t len = i < n ? utf8_next(p + i, &cp) : 1;
		char piece[4];
		size_t m = i < n ? fold_cp(cp, p + i, len, piece) : 0;
		i += len;
		if (m) {
			memcpy(out + k, piece, m);
			k += m;
			continue;
		}
		if (k > word) { /* a word ends */
			k = word + fold_ending(out + word, k - word);
			out[k++] = ' ';
			word = k;
		}
	}
	if (k)
		k--; /* the last separator */
	out[k] = '\0';
	return out;
}

size_t fold_words(struct arena *a, const char *s, const char **words, size_t max)
{
	const char *f = fold_text(a, s);
	size_t count = 0;
	while (*f) {
		size_t len = strcspn(f, " ");
		if (count < max)
			words[count] = arena_strndup(a, f, len);
		count++;
		f += len;
		if (*f == ' ')
			f++;
	}
	return count;
}
