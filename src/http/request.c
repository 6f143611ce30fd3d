#include "http/request.h"

#include <string.h>

#include "core/err.h"
#include "core/escape.h"
#include "core/utf8.h"
#include "core/util.h"
#include "http/cookie.h"
#include "http/form.h"

enum http_method http_method_parse(const char *s)
{
	static const struct {
		const char *name;
		enum http_method m;
	} tab[] = {
		{"GET", HTTP_GET},         {"HEAD", HTTP_HEAD},   {"POST", HTTP_POST},
		{"PUT", HTTP_PUT},         {"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE},
		{"OPTIONS", HTTP_OPTIONS},
	};
	for (size_t i = 0; i < ARRAY_LEN(tab); i++)
		if (strcmp(s, tab[i].name) == 0)
			return tab[i].m;
	return HTTP_OTHER;
}

const char *http_method_name(enum http_method m)
{
	static const char *names[] = {"GET",   "HEAD",   "POST",    "PUT",
				      "PATCH", "DELETE", "OPTIONS", "OTHER"};
	return names[m];
}

const char *req_header(const struct request *r, const char *name)
{
	for (size_t i = 0; i < r->headers.n; i++)
		if (str_ieq(r->headers.v[i].key, name))
			return r->headers.v[i].val;
	return NULL;
}

const char *req_query(const struct request *r, const char *name)
{
	return kvlist_get(&r->query, name);
}

const char *req_cookie(const struct request *r, const char *name)
{
	return kvlist_get(&r->cookies, name);
}

const char *req_form(const struct request *r, const char *name)
{
	return kvlist_get(&r->form, name);
}

const char *req_param(const struct request *r, const char *name)
{
	return kvlist_get(&r->params, name);
}

void request_init(struct request *r, struct arena *a)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->raw_query = "";
	r->path = "/";
	r->raw_path = "/";
	r->lang = "fr";
	r->method_str = "GET";
}

int request_set_target(struct request *r, const char *method, const char *target)
{
	r->method_str = arena_strdup(r->arena, method);
	r->method = http_method_parse(method);
	r->raw_target = arena_strdup(r->arena, target);
	/* The target as received is echoed in pages (the language switch's
	 * return path), so it must be valid UTF-8 itself, not only once
	 * decoded: "%DA" followed by a raw 0x8C byte decodes to a valid
	 * character but is not valid text. */
	if (target[0] != '/' || !utf8_valid_str(target))
		return -1;
	const char *q = strchr(target, '?');
	size_t plen = q ? (size_t)(q - target) : strlen(target);
	char *path = arena_alloc(r->arena, plen + 1);
	long n = url_decode(path, target, plen, 0);
	if (n < 0 || !utf8_valid(path, (size_t)n))
		return -1;
	r->path = path;
	r->raw_path = arena_strndup(r->arena, target, plen);
	r->raw_query = q ? arena_strdup(r->arena, q + 1) : "";
	/* Strip a fragment, which clients should never send. */
	char *hash = strchr((char *)r->raw_query, '#');
	if (hash)
		*hash = '\0';
	return 0;
}

/* The media type of a Content-Type header, lower-cased, without params. */
static char *media_type(struct arena *a, const char *ct)
{
	size_t n = strcspn(ct, "; \t");
	char *m = arena_strndup(a, ct, n);
	for (char *p = m; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return m;
}

int request_parse(struct request *r)
{
	const char *cookie = req_header(r, "Cookie");
	if (cookie && cookie_parse(r->arena, cookie, &r->cookies) < 0)
		return PERR_INVALID;
	if (form_parse_urlencoded(r->arena, r->raw_query, strlen(r->raw_query), &r->query) < 0)
		return PERR_INVALID;
	for (size_t i = 0; i < r->headers.n; i++) {
		const char *v = r->headers.v[i].val;
		if (!utf8_valid_str(v))
			return PERR_INVALID;
	}
	if (!r->body_len)
		return PERR_OK;
	const char *ct = req_header(r, "Content-Type");
	if (!ct)
		return PERR_OK; /* opaque body; the handler decides */
	char *mt = media_type(r->arena, ct);
	if (strcmp(mt, "application/x-www-form-urlencoded") == 0) {
		if (form_parse_urlencoded(r->arena, r->body, r->body_len, &r->form) < 0)
			return PERR_INVALID;
	} else if (strcmp(mt, "multipart/form-data") == 0) {
		if (form_parse_multipart(r->arena, r->body, r->body_len, ct, &r->form, &r->uploads,
					 &r->nuploads) < 0)
			return PERR_INVALID;
	} else if (strcmp(mt, "application/json") == 0 || str_starts(mt, "text/")) {
		if (!utf8_valid(r->body, r->body_len))
			return PERR_INVALID;
	}
	return PERR_OK;
}
