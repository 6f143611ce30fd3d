/* Static assets embedded in the binary (assets/), served under /static/
 * with strong ETags. Pages link them as /static/NAME?v=HASH; such a
 * versioned URL is cached for a year, the bare one is revalidated. */
#ifndef PROXIMA_STATIC_H
#define PROXIMA_STATIC_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

/* Builds the versioned URLs. Call once at start-up. */
void static_init(void);

/* "/static/NAME?v=HASH" for an embedded asset (static string); aborts if
 * the asset does not exist, which is a build error. */
const char *static_url(const char *name);

/* GET /static/:name */
enum perr static_serve(struct request *req, struct response *resp);

#endif
