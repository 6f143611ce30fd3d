#include "core/i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/util.h"

/* One loaded .mo catalogue (GNU gettext binary format). */
struct catalog {
	char lang[8];
	const unsigned char *data;
	size_t len;
	uint32_t count;
	uint32_t orig_off, trans_off;
	uint32_t *order; /* indices sorted by original string */
};

static struct catalog catalogs[4];
static size_t ncatalogs;

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Returns the string at table entry i (orig or trans), or NULL if bad. */
static const char *mo_string(const struct catalog *c, uint32_t table, uint32_t i, uint32_t *len_out)
{
	size_t e = (size_t)table + (size_t)i * 8;
	if (e + 8 > c->len)
		return NULL;
	uint32_t len = rd32(c->data + e), off = rd32(c->data + e + 4);
	if ((size_t)off + len >= c->len || c->data[off + len] != '\0')
		return NULL;
	if (len_out)
		*len_out = len;
	return (const char *)c->data + off;
}

static const struct catalog *sort_ctx;
static int by_original(const void *a, const void *b)
{
	const char *x = mo_string(sort_ctx, sort_ctx->orig_off, *(const uint32_t *)a, NULL);
	const char *y = mo_string(sort_ctx, sort_ctx->orig_off, *(const uint32_t *)b, NULL);
	return strcmp(x, y);
}

static int catalog_load(struct catalog *c, const struct embedded_file *f)
{
	const char *dot = strchr(f->name, '.');
	size_t ll = dot ? (size_t)(dot - f->name) : strlen(f->name);
	if (ll == 0 || ll >= sizeof(c->lang) || f->len < 28)
		return -1;
	memcpy(c->lang, f->name, ll);
	c->lang[ll] = '\0';
	c->data = f->data;
	c->len = f->len;
	if (rd32(c->data) != 0x950412deu)
		return -1; /* msgfmt writes little-endian on this platform */
	c->count = rd32(c->data + 8);
	c->orig_off = rd32(c->data + 12);
	c->trans_off = rd32(c->data + 16);
	if (c->count > 1000000)
		return -1;
	c->order = malloc(sizeof(uint32_t) * (c->count ? c->count : 1));
	if (!c->order)
		die_oom();
	for (uint32_t i = 0; i < c->count; i++) {
		if (!mo_string(c, c->orig_off, i, NULL) || !mo_string(c, c->trans_off, i, NULL))
			return -1;
		c->order[i] = i;
	}
	sort_ctx = c;
	qsort(c->order, c->count, sizeof(uint32_t), by_original);
	return 0;
}

int i18n_init(void)
{
	if (ncatalogs)
		return 0;
	for (size_t i = 0; i < embedded_catalogs_count && i < ARRAY_LEN(catalogs); i++) {
		if (catalog_load(&catalogs[ncatalogs], &embedded_catalogs[i]) < 0)
			return -1;
		ncatalogs++;
	}
	return 0;
}

int i18n_supported(const char *lang)
{
	return lang && (strcmp(lang, "fr") == 0 || strcmp(lang, "en") == 0);
}

static const struct catalog *catalog_for(const char *lang)
{
	if (!lang || strcmp(lang, I18N_DEFAULT) == 0)
		return NULL;
	for (size_t i = 0; i < ncatalogs; i++)
		if (strcmp(catalogs[i].lang, lang) == 0)
			return &catalogs[i];
	return NULL;
}

/* Finds key (msgid, or "sing\0plural" of key_len bytes) in c. */
static const char *catalog_lookup(const struct catalog *c, const char *key, size_t key_len,
				  uint32_t *trans_len)
{
	size_t lo = 0, hi = c->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t olen;
		const char *o = mo_string(c, c->orig_off, c->order[mid], &olen);
		size_t n = olen < key_len ? olen : key_len;
		int cmp = memcmp(key, o, n);
		if (cmp == 0)
			cmp = key_len < olen ? -1 : (key_len > olen ? 1 : 0);
		if (cmp == 0) {
			const char *t = mo_string(c, c->trans_off, c->order[mid], trans_len);
			return (t && *t) ? t : NULL;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *i18n_tr(const char *lang, const char *msgid)
{
	const struct catalog *c = catalog_for(lang);
	if (!c)
		return msgid;
	const char *t = catalog_lookup(c, msgid, strlen(msgid), NULL);
	return t ? t : msgid;
}

const char *i18n_trn(const char *lang, const char *singular, const char *plural, long n)
{
	const struct catalog *c = catalog_for(lang);
	/* French: singular for 0 and 1; English: singular for 1 only. */
	int form = c ? (n != 1) : (n > 1);
	if (!c)
		return form ? plural : singular;
	size_t sl = strlen(singular), pl = strlen(plural);
	char stack[512];
	if (sl + pl + 2 > sizeof(stack))
		return form ? plural : singular;
	memcpy(stack, singular, sl + 1);
	memcpy(stack + sl + 1, plural, pl);
	uint32_t tlen = 0;
	const char *t = catalog_lookup(c, stack, sl + 1 + pl, &tlen);
	if (!t)
		return form ? plural : singular;
	if (form) { /* forms are NUL-separated */
		size_t first = strlen(t);
		if (first < tlen)
			return t + first + 1;
	}
	return t;
}

const char *i18n_negotiate(const char *al)
{
	if (!al)
		return I18N_DEFAULT;
	const char *best = I18N_DEFAULT;
	int best_q = -1;
	const char *p = al;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *tag = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ')
			p++;
		size_t tlen = (size_t)(p - tag);
		int q = 1000;
		while (*p && *p != ',') {
			if (p[0] == ';' && p[1] == 'q' && p[2] == '=') {
				p += 3;
				int v = 0, scale = 1000, seen = 0;
				if (*p == '0' || *p == '1') {
					v = (*p - '0') * 1000;
					seen = 1;
					p++;
					if (*p == '.') {
						p++;
						for (int k = 0; k < 3 && *p >= '0' && *p <= '9';
						     k++, p++) {
							scale /= 10;
							v += (*p - '0') * scale;
						}
					}
				}
				q = seen ? (v > 1000 ? 1000 : v) : 0;
			} else {
				p++;
			}
		}
		const char *lang = NULL;
		if (tlen >= 2 && (tag[2] == '-' || tag[2] == '_' || tlen == 2)) {
			if ((tag[0] | 32) == 'f' && (tag[1] | 32) == 'r')
				lang = "fr";
			else if ((tag[0] | 32) == 'e' && (tag[1] | 32) == 'n')
				lang = "en";
		}
		if (lang && q > best_q && q > 0) {
			best = lang;
			best_q = q;
		}
	}
	return best;
}
