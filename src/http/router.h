/* The router: a table of (method, path pattern, handler). Patterns are
 * literal segments and ":name" captures of one non-empty segment, e.g.
 * "/api/v1/activities/:id". HEAD is served by GET routes. */
#ifndef PROXIMA_ROUTER_H
#define PROXIMA_ROUTER_H

#include <stddef.h>

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

/* Who may call a route, and how the pipeline runs it: flags, combined with
 * '|'. The zero value requires a signed-in person and runs an unsafe
 * handler (POST, PUT, PATCH, DELETE) as one write unit (src/app_write.c:
 * the pipeline begins before the handler, commits after it succeeded and
 * before the response leaves, rolls back on an error). So a route is
 * private and transactional unless it says otherwise. */
enum route_flags {
	ROUTE_SIGNED_IN = 0,
	ROUTE_PUBLIC = 1 << 0, /* anyone may call it */
	/* Signed in, and reachable before a required second factor is set up
	 * (the two-factor enrolment pages); every ROUTE_SIGNED_IN page sends
	 * such a person there. */
	ROUTE_ENROLMENT = 1 << 1,
	/* The handler must not hold the write lock: it writes nothing of the
	 * domain, or only through src/auth on its own (signing in hashes a
	 * password first). */
	ROUTE_NO_UNIT = 1 << 2,
	/* An unsafe route whose handler runs outside the write unit: it does
	 * first what needs no writer (parsing the body, validation, the
	 * look-ups of what it refers to), on the thread's own connection and in
	 * parallel with the group's leader, then the writes through app_write
	 * itself, with what it read in req->prepared. */
	ROUTE_PREPARES = 1 << 3,
};

struct route {
	enum http_method method;
	const char *pattern;
	enum perr (*handler)(struct request *req, struct response *resp);
	unsigned flags; /* enum route_flags */
};

/* A module's routes: each module (views, api) exports one table. */
struct route_table {
	const struct route *routes;
	size_t n;
};

/* Finds the route for req among the tables (searched in order) and stores
 * its captures in req->params; *found gets the route. Without a matching path: PERR_NOT_FOUND. With a matching
 * path but no matching method: PERR_METHOD, and an Allow header (in resp)
 * listing the methods that exist. */
enum perr router_find(const struct route_table *tables, size_t ntables, struct request *req,
		      struct response *resp, const struct route **found);

/* Matches one pattern against a path; on success adds captures to params
 * (in arena a) and returns 1, else 0. Exposed for tests. */
int router_match(const char *pattern, const char *path, struct arena *a, struct kvlist *params);

#endif
