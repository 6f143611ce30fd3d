/* One HTTP request, independent of the server library: the MHD adapter and
 * the test-http mode both fill it, then hand it to app_handle(). Everything
 * here lives in the request's arena. */
#ifndef PROXIMA_REQUEST_H
#define PROXIMA_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/kvlist.h"
#include "http/form.h"

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_OTHER,
};

struct actor;
struct response;

struct request {
	struct arena *arena;
	enum http_method method;
	const char *method_str;
	const char *raw_target; /* as received: path?query */
	const char *path;       /* percent-decoded, valid UTF-8 */
	const char *raw_path;   /* path as received, still encoded */
	const char *raw_query;  /* after '?', or "" */
	struct kvlist headers;
	struct kvlist query;
	struct kvlist cookies;
	struct kvlist form;   /* urlencoded or multipart text fields */
	struct kvlist params; /* route captures */
	struct upload *uploads;
	size_t nuploads;
	const char *body; /* NUL-terminated copy, may be NULL */
	size_t body_len;
	const char *remote_addr;
	bool secure;         /* TLS or a trusted proxy said https */
	bool want_json;      /* error pages as JSON (API paths) */
	const char *lang;    /* "fr" or "en" */
	const char *nonce;   /* CSP nonce of this response */
	struct actor *actor; /* the signed-in person, or NULL */
	int64_t start_us;
	/* Set by a handler to explain a 4xx: shown on the error page. */
	const char *err_message;
	const char *err_field;
	/* The CSRF token this response sets (auth/csrf.c), or NULL. */
	const char *csrf_rotated;
	/* The peer is a trusted reverse proxy: remote_addr came from its
	 * X-Forwarded-For, and its X-Forwarded-Proto is believed. */
	bool from_proxy;
	/* How to draw a posted page form again, once the page has read it
	 * (views/view.h view_form_posted): the pipeline calls it when the
	 * write fails or cannot be made durable. form is arena memory. */
	enum perr (*redraw)(struct request *req, struct response *resp, void *form);
	void *redraw_form;
	/* Why the posted form is drawn again (PERR_OK: it is not); the page
	 * shell says so above the form. */
	enum perr form_error;
	/* A form's error summary waiting for the labels of its fields
	 * (views/form.c), or NULL. */
	struct fw_summary *form_summary;
	/* What a ROUTE_PREPARES handler read before its write unit, for the
	 * unit's work (http/router.h); arena memory, or NULL. */
	void *prepared;
};

/* Maps a method token to the enum. */
enum http_method http_method_parse(const char *s);
const char *http_method_name(enum http_method m);

/* Accessors. Header names are case-insensitive. NULL when absent. */
const char *req_header(const struct request *r, const char *name);
const char *req_query(const struct request *r, const char *name);
const char *req_cookie(const struct request *r, const char *name);
const char *req_form(const struct request *r, const char *name);
const char *req_param(const struct request *r, const char *name);

/* Initialises r for a new request with the given arena. */
void request_init(struct request *r, struct arena *a);

/* Sets method and target ("/path?query") and decodes them. Returns 0, or
 * -1 when the target is malformed or not valid UTF-8 (as received, or
 * once decoded). */
int request_set_target(struct request *r, const char *method, const char *target);

/* Parses cookies, query, and the body by content type (urlencoded,
 * multipart), and checks that every text value is valid UTF-8.
 * Returns PERR_OK, PERR_INVALID or PERR_UNSUPPORTED (as enum perr). */
int request_parse(struct request *r);

#endif
