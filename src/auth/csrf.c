#include "auth/csrf.h"

#include <sodium.h>
#include <string.h>

#include "auth/session.h"
#include "http/cookie.h"

#define TOKEN_BYTES 32
#define TOKEN_CHARS 43 /* base64url of TOKEN_BYTES, without padding */

/* The key of the session-bound hash: a fixed label, so that the token is a
 * function of the session token alone (and differs from the hash that the
 * session table stores, which is unkeyed). */
static const unsigned char BIND_KEY[crypto_generichash_KEYBYTES] = "proxima csrf token, v1";

static const char *encode(struct arena *a, const unsigned char raw[TOKEN_BYTES])
{
	size_t cap =
		sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, cap);
	sodium_bin2base64(out, cap, raw, TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

const char *csrf_new_token(struct arena *a)
{
	unsigned char raw[TOKEN_BYTES];
	randombytes_buf(raw, sizeof(raw));
	return encode(a, raw);
}

static bool token_ok(const char *t)
{
	if (!t || strlen(t) != TOKEN_CHARS)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

/* The token bound to session token s. */
static const char *bound_to(struct arena *a, const char *s)
{
	unsigned char raw[TOKEN_BYTES];
	crypto_generichash(raw, sizeof(raw), (const unsigned char *)s, strlen(s), BIND_KEY,
			   sizeof(BIND_KEY));
	return encode(a, raw);
}

/* The token in force for req without creating one: the one this response
 * sets, else the one bound to its session, else its cookie's; NULL when it
 * has none. */
static const char *expected(const struct request *req)
{
	if (req->csrf_rotated)
		return req->csrf_rotated;
	const char *session = req_cookie(req, SESSION_COOKIE);
	if (token_ok(session))
		return bound_to(req->arena, session);
	const char *cookie = req_cookie(req, CSRF_COOKIE);
	return token_ok(cookie) ? cookie : NULL;
}

/* Sets the cookie to t on resp, and for later calls in this request. */
static void set_cookie(struct request *req, struct response *resp, const char *t)
{
	struct cookie_opts o = {.http_only = true, .secure = req->secure, .same_site = "Strict"};
	resp_header(resp, req->arena, "Set-Cookie", cookie_build(req->arena, CSRF_COOKIE, t, &o));
	req->csrf_rotated = t;
}

const char *csrf_token(struct request *req, struct response *resp)
{
	const char *t = expected(req);
	if (t)
		return t;
	t = csrf_new_token(req->arena);
	set_cookie(req, resp, t);
	return t;
}

int csrf_check(const struct request *req)
{
	const char *want = expected(req);
	const char *sent = req_header(req, "X-CSRF-Token");
	if (!sent)
		sent = req_form(req, CSRF_FIELD);
	if (!want || !token_ok(sent))
		return -1;
	return sodium_memcmp(want, sent, TOKEN_CHARS) == 0 ? 0 : -1;
}

void csrf_rotate(struct request *req, struct response *resp, const char *session)
{
	set_cookie(req, resp,
		   token_ok(session) ? bound_to(req->arena, session) : csrf_new_token(req->arena));
}
