#include "http/response.h"

#include <string.h>

#include "core/util.h"

void response_init(struct response *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	buf_init(&r->body, RESPONSE_MAX_BODY);
}

void response_free(struct response *r)
{
	buf_free(&r->body);
}

void resp_header(struct response *r, struct arena *a, const char *name, const char *value)
{
	kvlist_add(a, &r->headers, arena_strdup(a, name), arena_strdup(a, value));
}

const char *resp_get_header(const struct response *r, const char *name)
{
	for (size_t i = 0; i < r->headers.n; i++)
		if (str_ieq(r->headers.v[i].key, name))
			return r->headers.v[i].val;
	return NULL;
}

void resp_remove_header(struct response *r, const char *name)
{
	size_t k = 0;
	for (size_t i = 0; i < r->headers.n; i++)
		if (!str_ieq(r->headers.v[i].key, name))
			r->headers.v[k++] = r->headers.v[i];
	r->headers.n = k;
}

void resp_redirect(struct response *r, struct arena *a, const char *location)
{
	BUG_ON(location[0] != '/' || location[1] == '/');
	r->status = 303;
	resp_header(r, a, "Location", location);
	buf_reset(&r->body);
}

const void *resp_body(const struct response *r, size_t *len)
{
	if (r->static_body) {
		*len = r->static_len;
		return r->static_body;
	}
	*len = r->body.len;
	return r->body.data;
}
