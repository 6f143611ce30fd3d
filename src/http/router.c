#include "http/router.h"

#include <string.h>

#include "core/buf.h"

int router_match(const char *pattern, const char *path, struct arena *a, struct kvlist *params)
{
	const char *p = pattern, *s = path;
	size_t mark = params->n;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			goto fail;
		p++;
		s++;
		const char *pe = strchr(p, '/');
		const char *se = strchr(s, '/');
		size_t plen = pe ? (size_t)(pe - p) : strlen(p);
		size_t slen = se ? (size_t)(se - s) : strlen(s);
		if (plen && p[0] == ':') {
			if (!slen)
				goto fail;
			kvlist_add(a, params, arena_strndup(a, p + 1, plen - 1),
				   arena_strndup(a, s, slen));
		} else if (plen != slen || memcmp(p, s, plen) != 0) {
			goto fail;
		}
		p += plen;
		s += slen;
	}
	if (*p == '\0' && *s == '\0')
		return 1;
fail:
	params->n = mark;
	return 0;
}

enum perr router_find(const struct route_table *tables, size_t ntables, struct request *req,
		      struct response *resp, const struct route **found)
{
	*found = NULL;
	enum http_method m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
	unsigned allowed = 0;
	for (size_t t = 0; t < ntables; t++)
		for (size_t i = 0; i < tables[t].n; i++) {
			const struct route *rt = &tables[t].routes[i];
			struct kvlist scratch = {0};
			if (!router_match(rt->pattern, req->path, req->arena, &scratch))
				continue;
			if (rt->method == m) {
				req->params = scratch;
				*found = rt;
				return PERR_OK;
			}
			allowed |= 1u << rt->method;
		}
	if (!allowed)
		return PERR_NOT_FOUND;
	if (allowed & (1u << HTTP_GET))
		allowed |= 1u << HTTP_HEAD;
	struct buf b = BUF_INIT(256);
	for (int k = 0; k < HTTP_OTHER; k++) {
		if (allowed & (1u << k)) {
			if (b.len)
				buf_puts(&b, ", ");
			buf_puts(&b, http_method_name((enum http_method)k));
		}
	}
	resp_header(resp, req->arena, "Allow", b.data);
	buf_free(&b);
	return PERR_METHOD;
}
