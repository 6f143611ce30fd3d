#include "http/form.h"

#include <string.h>

#include "core/escape.h"
#include "core/utf8.h"
#include "core/util.h"

/* Decodes n bytes at s into a new arena string; NULL if malformed. */
static char *decode_component(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	long len = url_decode(out, s, n, 1);
	if (len < 0 || !utf8_valid(out, (size_t)len))
		return NULL;
	return out;
}

int form_parse_urlencoded(struct arena *a, const char *s, size_t n, struct kvlist *out)
{
	size_t i = 0, fields = 0;
	while (i < n) {
		size_t start = i;
		while (i < n && s[i] != '&')
			i++;
		size_t len = i - start;
		i++; /* skip '&' */
		if (!len)
			continue;
		if (++fields > FORM_MAX_FIELDS)
			return -1;
		const char *eq = memchr(s + start, '=', len);
		size_t klen = eq ? (size_t)(eq - (s + start)) : len;
		char *key = decode_component(a, s + start, klen);
		char *val = eq ? decode_component(a, eq + 1, len - klen - 1) : arena_strdup(a, "");
		if (!key || !val)
			return -1;
		kvlist_add(a, out, key, val);
	}
	return 0;
}

/* Finds a parameter (e.g. boundary=, name=) in a header value. Handles
 * quoted values. Returns an arena string or NULL. */
static char *header_param(struct arena *a, const char *h, size_t hlen, const char *param)
{
	size_t plen = strlen(param);
	size_t i = 0;
	while (i < hlen) {
		/* parameters follow ';' */
		while (i < hlen && h[i] != ';')
			i++;
		if (i >= hlen)
			break;
		i++;
		while (i < hlen && (h[i] == ' ' || h[i] == '\t'))
			i++;
		if (hlen - i > plen && strncasecmp(h + i, param, plen) == 0 && h[i + plen] == '=') {
			i += plen + 1;
			if (i < hlen && h[i] == '"') {
				size_t s = ++i;
				while (i < hlen && h[i] != '"')
					i++;
				if (i >= hlen)
					return NULL;
				return arena_strndup(a, h + s, i - s);
			}
			size_t s = i;
			while (i < hlen && h[i] != ';' && h[i] != ' ' && h[i] != '\r')
				i++;
			return arena_strndup(a, h + s, i - s);
		}
	}
	return NULL;
}

int form_parse_multipart(struct arena *a, const char *body, size_t n, const char *content_type,
			 struct kvlist *fields, struct upload **uploads, size_t *nuploads)
{
	char *boundary = header_param(a, content_type, strlen(content_type), "boundary");
	if (!boundary || !*boundary || strlen(boundary) > 70)
		return -1;
	size_t blen = strlen(boundary);
	char *delim = arena_alloc(a, blen + 5);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen + 1);
	size_t dlen = blen + 4;

	/* The body starts with "--boundary" (no leading CRLF). */
	if (n < dlen - 2 || memcmp(body, delim + 2, dlen - 2) != 0)
		return -1;
	size_t pos = dlen - 2;
	struct upload *ups = NULL;
	size_t nups = 0, parts = 0;
	for (;;) {
		if (n - pos >= 2 && memcmp(body + pos, "--", 2) == 0)
			break; /* closing delimiter */
		if (n - pos < 2 || memcmp(body + pos, "\r\n", 2) != 0)
			return -1;
		pos += 2;
		if (++parts > FORM_MAX_PARTS)
			return -1;
		const char *hend = memmem(body + pos, n - pos, "\r\n\r\n", 4);
		if (!hend)
			return -1;
		const char *hdrs = body + pos;
		size_t hlen = (size_t)(hend - hdrs);
		size_t data_start = (size_t)(hend - body) + 4;
		const char *next = memmem(body + data_start, n - data_start, delim, dlen);
		if (!next)
			return -1;
		size_t data_len = (size_t)(next - (body + data_start));

		char *name = NULL, *filename = NULL, *ctype = NULL;
		size_t li = 0;
		while (li < hlen) {
			size_t ls = li;
			while (li < hlen &&
			       !(hdrs[li] == '\r' && li + 1 < hlen && hdrs[li + 1] == '\n'))
				li++;
			const char *line = hdrs + ls;
			size_t llen = li - ls;
			li += 2;
			if (llen > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
				name = header_param(a, line, llen, "name");
				filename = header_param(a, line, llen, "filename");
			} else if (llen > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
				size_t s = 13;
				while (s < llen && line[s] == ' ')
					s++;
				ctype = arena_strndup(a, line + s, llen - s);
			}
		}
		if (!name || !utf8_valid_str(name))
			return -1;
		if (filename) {
			if (!utf8_valid_str(filename))
				return -1;
			struct upload *nu = arena_alloc(a, (nups + 1) * sizeof(*nu));
			if (nups)
				memcpy(nu, ups, nups * sizeof(*nu));
			ups = nu;
			ups[nups].field = name;
			ups[nups].filename = filename;
			ups[nups].content_type = ctype;
			ups[nups].data = arena_strndup(a, body + data_start, data_len);
			ups[nups].len = data_len;
			nups++;
		} else {
			if (!utf8_valid(body + data_start, data_len))
				return -1;
			kvlist_add(a, fields, name, arena_strndup(a, body + data_start, data_len));
		}
		pos = (size_t)(next - body) + dlen;
	}
	*uploads = ups;
	*nuploads = nups;
	return 0;
}
