/* The small error enum used across layers. Each value maps to one HTTP
 * status in src/http/error.c, the only place that knows statuses. */
#ifndef PROXIMA_ERR_H
#define PROXIMA_ERR_H

enum perr {
	PERR_OK = 0,
	PERR_INVALID,         /* bad input: 400 */
	PERR_UNAUTHENTICATED, /* no valid session: 401 */
	PERR_FORBIDDEN,       /* CSRF or role refusal: 403 */
	PERR_NOT_FOUND,       /* missing, or not visible to this user: 404 */
	PERR_METHOD,          /* path exists, method does not: 405 */
	PERR_CONFLICT,        /* state conflict: 409 */
	PERR_TOO_LARGE,       /* body over its limit: 413 */
	PERR_UNSUPPORTED,     /* content type not accepted: 415 */
	PERR_UNPROCESSABLE,   /* well-formed but fails a rule: 422 */
	PERR_TOO_MANY,        /* throttled: 429 */
	PERR_INTERNAL,        /* a bug or I/O failure: 500 */
	PERR_UNAVAILABLE,     /* database busy or shutting down: 503 */
	PERR_FULL,            /* the server's disk is full, nothing saved: 507 */
	PERR_GONE,            /* existed, no longer available (a closed survey): 410 */
	PERR_PRECONDITION,    /* If-Match names another version: 412 */
};

/* The answer of the absent convention (docs/architecture.md, "Absent"):
 * r as a read of one row returns it (0 found, 1 absent or not visible to
 * the actor, -1 a database error) becomes PERR_OK, PERR_NOT_FOUND (the
 * caller cannot tell absent from hidden, so nothing leaks) or
 * PERR_UNAVAILABLE. */
static inline enum perr perr_found(int r)
{
	if (r < 0)
		return PERR_UNAVAILABLE;
	return r ? PERR_NOT_FOUND : PERR_OK;
}

/* A stable machine-readable code for the JSON error envelope. */
const char *perr_code(enum perr e);

#endif
