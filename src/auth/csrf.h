/* CSRF protection: every POST (and PUT, PATCH, DELETE) from a browser
 * carries a token, as the form field csrf_token or the X-CSRF-Token header.
 *
 * Which token is expected depends on the session:
 *   - signed in (a proxima_session cookie): the token bound to that
 *     session, a keyed BLAKE2b hash of the session token. It cannot be
 *     known without the session cookie (HttpOnly), and it changes whenever
 *     the session does, so a token seen or planted before sign-in is
 *     refused after it, and one of a closed session after sign-out;
 *   - signed out: the value of the proxima_csrf cookie (double submit).
 * The proxima_csrf cookie (SameSite=Strict, HttpOnly) always holds the
 * token in force: csrf_rotate sets it anew at every change of session.
 * Requests authenticated by a bearer token are exempt (no ambient
 * credential). */
#ifndef PROXIMA_CSRF_H
#define PROXIMA_CSRF_H

#include "http/request.h"
#include "http/response.h"

#define CSRF_COOKIE "proxima_csrf"
#define CSRF_FIELD "csrf_token"

/* This request's token (arena string): the one bound to its session, else
 * the proxima_csrf cookie's, else a new one (then a Set-Cookie is added to
 * resp). */
const char *csrf_token(struct request *req, struct response *resp);

/* 0 when the request carries the token in force (above), else -1. */
int csrf_check(const struct request *req);

/* Call when the session changes: session is the new session token, or
 * NULL when the request ends the session. Sets the proxima_csrf cookie to
 * the token that goes with it (bound to the new session, or a new random
 * one) on resp; forms written later in this request use it too. */
void csrf_rotate(struct request *req, struct response *resp, const char *session);

/* A new random token (base64url, 43 chars) in the arena. */
const char *csrf_new_token(struct arena *a);

#endif
