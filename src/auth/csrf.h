/* CSRF protection: every POST (and PUT, PATCH, DELETE) from a browser
 * carries a token equal to the one in the proxima_csrf cookie, as the form
 * field csrf_token or the X-CSRF-Token header. The cookie is SameSite=Strict
 * and HttpOnly; pages put the token in their forms. Requests authenticated
 * by a bearer token are exempt (no ambient credential). */
#ifndef PROXIMA_CSRF_H
#define PROXIMA_CSRF_H

#include "http/request.h"
#include "http/response.h"

#define CSRF_COOKIE "proxima_csrf"
#define CSRF_FIELD "csrf_token"

/* This request's token: the cookie's, or a new one (then a Set-Cookie is
 * added to resp). Arena string. */
const char *csrf_token(struct request *req, struct response *resp);

/* 0 when the request carries a token matching its cookie, else -1. */
int csrf_check(const struct request *req);

/* A new random token (base64url, 43 chars) in the arena. */
const char *csrf_new_token(struct arena *a);

#endif
