/* An HTTP response being built. The body is a bounded buffer owned by the
 * response, or a pointer to static data (embedded assets). */
#ifndef PROXIMA_RESPONSE_H
#define PROXIMA_RESPONSE_H

#include <stddef.h>

#include "core/buf.h"
#include "http/request.h"

#define RESPONSE_MAX_BODY (64u * 1024 * 1024)

/* Statuses a handler sets by name: success without a body (204). An
 * error's status comes from http_status (src/http/error.c) only. */
#define HTTP_STATUS_OK 200
#define HTTP_STATUS_NO_CONTENT 204

struct response {
	int status;
	const char *content_type;
	struct kvlist headers;
	struct buf body;
	const unsigned char *static_body;
	size_t static_len;
	unsigned cache_static : 1; /* static asset: no CSP nonce needed */
};

/* Starts an empty 200 response. */
void response_init(struct response *r);

/* Frees the body. */
void response_free(struct response *r);

/* Adds a header (name and value are copied into the arena). */
void resp_header(struct response *r, struct arena *a, const char *name, const char *value);

/* First value of a header already set, or NULL. */
const char *resp_get_header(const struct response *r, const char *name);

/* Removes every header called name (case-insensitive). */
void resp_remove_header(struct response *r, const char *name);

/* A 303 redirect to a local path (must start with '/'). */
void resp_redirect(struct response *r, struct arena *a, const char *location);

/* Body length and pointer, whichever kind of body it has. */
const void *resp_body(const struct response *r, size_t *len);

#endif
