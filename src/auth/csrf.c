#include "auth/csrf.h"

#include <sodium.h>
#include <string.h>

#include "http/cookie.h"

const char *csrf_new_token(struct arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	size_t cap =
		sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, cap);
	sodium_bin2base64(out, cap, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static int token_ok(const char *t)
{
	if (!t || strlen(t) != 43)
		return 0;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

const char *csrf_token(struct request *req, struct response *resp)
{
	const char *have = req_cookie(req, CSRF_COOKIE);
	if (token_ok(have))
		return have;
	const char *t = csrf_new_token(req->arena);
	struct cookie_opts o = {.http_only = true, .secure = req->secure, .same_site = "Strict"};
	resp_header(resp, req->arena, "Set-Cookie", cookie_build(req->arena, CSRF_COOKIE, t, &o));
	/* Later calls in this request must see the same token. */
	kvlist_add(req->arena, &req->cookies, CSRF_COOKIE, t);
	return t;
}

int csrf_check(const struct request *req)
{
	const char *cookie = req_cookie(req, CSRF_COOKIE);
	const char *sent = req_header(req, "X-CSRF-Token");
	if (!sent)
		sent = req_form(req, CSRF_FIELD);
	if (!token_ok(cookie) || !token_ok(sent))
		return -1;
	return sodium_memcmp(cookie, sent, 43) == 0 ? 0 : -1;
}
