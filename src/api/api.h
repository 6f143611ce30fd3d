/* The JSON API (/api/v1/...) and machine endpoints. Output goes through
 * the streaming writer (core/jsonw.h); errors use one envelope:
 * {"error": {"code": "...", "message": "...", "field": "..."}}
 * (a validation 422 adds "errors": [{"field", "message"}, ...], every
 * field error).
 *
 * Who may call: a signed-in browser (session cookie; writes carry the
 * CSRF token) or an integration with a bearer token (auth/token.h,
 * resolved by the pipeline before the handler runs). What each person may
 * see is the model's rule; anything not visible is 404, never 403.
 *
 * Writes run in the request pipeline's write unit (src/app_write.c), which
 * also holds the answer of an Idempotency-Key (api_write below); the
 * response leaves only after COMMIT. docs/api.md describes the whole API
 * for its users. */
#ifndef PROXIMA_API_H
#define PROXIMA_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth/token.h"
#include "core/err.h"
#include "core/jsonw.h"
#include "db/db.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "model/idempotency.h"
#include "model/lookup.h"
#include "model/validation.h"

/* The API's route table (src/api/routes.c). */
extern const struct route api_routes[];
extern const size_t api_routes_count;

/* Writes the error envelope for e into resp (status set by the caller). */
void api_error(struct request *req, struct response *resp, enum perr e);

/* GET /healthz: 200 {"status":"ok",...} when the database answers, else 503. */
enum perr api_healthz(struct request *req, struct response *resp);

/* Endpoints (docs/api.md). */
enum perr api_me(struct request *req, struct response *resp);
enum perr api_reference(struct request *req, struct response *resp);
enum perr api_activity_list(struct request *req, struct response *resp);
/* POST /api/v1/activities, a ROUTE_PREPARES route (http/router.h): reads
 * and validates the body on the thread's own connection, then runs the
 * write unit (app_write), which checks the external id, saves and answers. */
enum perr api_activity_create(struct request *req, struct response *resp);
enum perr api_activity_get(struct request *req, struct response *resp);
enum perr api_activity_replace(struct request *req, struct response *resp);
enum perr api_activity_patch(struct request *req, struct response *resp);
enum perr api_activity_delete(struct request *req, struct response *resp);
enum perr api_family_list(struct request *req, struct response *resp);
enum perr api_family_create(struct request *req, struct response *resp);
enum perr api_family_get(struct request *req, struct response *resp);
enum perr api_sync_info(struct request *req, struct response *resp);
enum perr api_sync(struct request *req, struct response *resp);

/* ---- Shared by the handlers (src/api/common.c, src/api/idempotency.c). */

/* Most items of a JSON list accepted in input. */
#define API_LIST_MAX 64
/* Longest external id accepted in input, in bytes. */
#define API_EXT_ID_MAX 100
/* Idempotency keys: 1 to API_IDEM_KEY_MAX printable ASCII characters,
 * remembered IDEMPOTENCY_TTL seconds (model/idempotency.h). */
#define API_IDEM_KEY_MAX 200

/* An idempotency key as stored: whose, the key, and the request it
 * answered (method and path). */
struct api_idem {
	int64_t person_id;
	const char *key;
	const char *method;
	const char *path;
};

/* True when key is 1..API_IDEM_KEY_MAX printable ASCII characters. */
bool api_idem_key_ok(const char *key);

/* The stored answer of k: returns 0 and *status, *body (arena a, *n
 * bytes); 1 when there is none (or it has expired: older than
 * IDEMPOTENCY_TTL); 2 when the key answered another method or path; -1 on a
 * database error (logged). */
int api_idem_get(struct db *db, struct arena *a, const struct api_idem *k, int *status,
		 const char **body, size_t *n);

/* Stores the answer of k in the caller's write unit. Returns 0 or -1. */
int api_idem_put(struct db *db, const struct api_idem *k, int status, const char *body, size_t n);

/* Sets the explanation of a 4xx (req->err_message, a French msgid, and
 * req->err_field, static or arena strings) and returns e. */
enum perr api_fail(struct request *req, enum perr e, const char *field, const char *msgid);

/* Starts a JSON body in resp with status; w writes into resp->body. */
void api_begin(struct response *resp, struct jsonw *w, int status);

/* Ends it (a newline after the value). PERR_OK, or PERR_INTERNAL when the
 * writer failed (body too large, unbalanced containers). */
enum perr api_end(struct response *resp, struct jsonw *w);

/* The link to the page after a list's page (docs/api.md, "Pages"):
 * path?paging plus the query parameters keep[0 … nkeep) of the request
 * that are set (percent-encoded); paging is NULL when no page follows. */
struct api_next {
	struct request *req;
	const char *path;   /* "/api/v1/families" */
	const char *paging; /* "limit=20&offset=20", or NULL at the end */
	const char *const *keep;
	size_t nkeep;
};

/* List envelope {"items": [...], "total": n}: api_list_begin starts a 200
 * body in resp, opens the object and its "items" array; the caller then
 * writes each item with w. api_list_end closes the array, writes "total"
 * and closes the envelope; api_page_end also writes "next" (the link, or
 * null; omitted when next is NULL), "limit" and "offset". Both return
 * what api_end returns. */
void api_list_begin(struct response *resp, struct jsonw *w);
enum perr api_list_end(struct response *resp, struct jsonw *w, int64_t total);
enum perr api_page_end(struct response *resp, struct jsonw *w, int64_t total, int64_t limit,
		       int64_t offset, const struct api_next *next);

/* Rows a list answers at most (docs/api.md, "Pages"), and by default. */
#define API_PAGE_MAX 1000
#define API_PAGE_DEFAULT 100

/* The query's "limit" (1 … API_PAGE_MAX; API_PAGE_DEFAULT when absent)
 * into *out; a value past the maximum gets a 400 that says the maximum. */
enum perr api_query_limit(struct request *req, int *out);

/* Writes the 422 envelope listing every error of v (messages translated
 * into req->lang) and sets the status; the first error is the envelope's
 * message and field. Returns PERR_OK: the response is complete. */
enum perr api_validation_failed(struct request *req, struct response *resp,
				const struct validation *v);

/* Parses the request body as one JSON object. Returns PERR_OK and *out (a
 * new reference the caller releases with json_decref), PERR_UNSUPPORTED
 * when the Content-Type is not application/json, or PERR_INVALID (with
 * the reason set) when the body is not a JSON object. */
enum perr api_read_body(struct request *req, json_t **out);

/* Writes key: t as "YYYY-MM-DDTHH:MM:SSZ", or null when t is 0. */
void api_kv_time(struct jsonw *w, const char *key, int64_t t);

/* Writes key: [...] with the strings of l, in order. */
struct strlist;
void api_kv_strings(struct jsonw *w, const char *key, const struct strlist *l);

/* Query parameters. Absent: *out = def. Present but not an integer in
 * [min, max]: PERR_INVALID naming the parameter. */
enum perr api_query_int(struct request *req, const char *name, int min, int max, int def, int *out);

/* A date parameter (YYYY-MM-DD). Absent: *out = NULL. Invalid: PERR_INVALID. */
enum perr api_query_date(struct request *req, const char *name, const char **out);

/* The period parameters "from" and "to", each as api_query_date reads it
 * ("from" first: its error is the one reported when both are invalid). */
enum perr api_query_period(struct request *req, const char **from, const char **to);

/* JSON input readers. Each reads o[key] (o may be NULL: all absent) into
 * *out; absent or null leaves the default that *out holds (NULL, 0,
 * false, empty). A value of the wrong type adds a field error to v naming
 * field (e.g. "counts.adults") and returns -1; otherwise 0. Strings are
 * copied into the arena. Integers outside the int range are clamped to
 * -1 / API_INT_CLAMP, which every model range check rejects. */
#define API_INT_CLAMP 100000000
int api_in_str(json_t *o, const char *key, const char *field, struct arena *a, const char **out,
	       struct validation *v);
int api_in_int(json_t *o, const char *key, const char *field, int *out, struct validation *v);
int api_in_bool(json_t *o, const char *key, const char *field, bool *out, struct validation *v);
int api_in_object(json_t *o, const char *key, const char *field, json_t **out,
		  struct validation *v);

/* A list of strings (at most API_LIST_MAX): *out gets n arena strings. */
int api_in_strings(json_t *o, const char *key, const char *field, struct arena *a,
		   const char ***out, size_t *n, struct validation *v);

/* Adds a field error for each key of o that is not in known (a NULL-
 * terminated list); field names are prefix + key (prefix may be ""). Every
 * endpoint that reads a body calls it on every object of the body: an
 * unknown field is always the same 422 (docs/api.md). */
void api_in_known(json_t *o, const char *const *known, const char *prefix, struct arena *a,
		  struct validation *v);

/* For an endpoint that takes no field: an absent or empty body, or {}, is
 * fine; any member is an unknown field added to v (as api_in_known). The
 * body, when there is one, must be a JSON object (api_read_body's errors,
 * returned as they are); PERR_OK otherwise. */
enum perr api_in_none(struct request *req, struct validation *v);

/* True when s is an acceptable external id: 1..API_EXT_ID_MAX bytes of
 * printable ASCII without spaces or '/'. */
bool api_ext_id_ok(const char *s);

/* The answer to reading one row by id: r as the model's get functions
 * return it (<0 error, >0 absent or not visible, 0 found). PERR_OK when
 * found, PERR_UNAVAILABLE on an error, else PERR_NOT_FOUND explained by
 * missing_msgid (a French msgid). */
enum perr api_found(struct request *req, int r, const char *missing_msgid);

/* Reads the optional external id o["id"] into *out (arena string; left
 * as is when absent or null). Returns 0 when it is absent or acceptable
 * (api_ext_id_ok); otherwise adds a field error on "id" to v (wrong type
 * or malformed) and returns -1. */
int api_in_ext_id(json_t *o, struct arena *a, const char **out, struct validation *v);

/* Checks that external id ext (may be NULL: nothing to check) is not yet
 * taken by a record of kind k (lookup_ext).
 * PERR_OK when ext is NULL or free; PERR_CONFLICT on field "id" with the
 * explanation taken_msgid (a French msgid) when a row already has it;
 * PERR_UNAVAILABLE on a database error. */
enum perr api_ext_id_free(struct request *req, struct db *db, enum ext_kind k, const char *ext,
			  const char *taken_msgid);

/* A write: runs inside the pipeline's write unit, writes resp and returns
 * PERR_OK (then a status below 400 commits; 4xx written by the handler
 * itself, such as a 422 envelope, rolls back) or an error (rolls back; the
 * pipeline writes the envelope). */
typedef enum perr (*api_write_fn)(struct request *req, struct response *resp, struct db *db);

/* Runs fn in the pipeline's write unit (the pipeline answers only after
 * COMMIT). With an Idempotency-Key header, the answer (status and body) is
 * stored in the same unit; the same key from the same person later replays
 * it without running fn again, and the same key with another method or
 * path is a 422. A key older than IDEMPOTENCY_TTL has expired (it is a new
 * write again); the housekeeping purges expired keys (src/housekeeping.c),
 * never the write itself. */
enum perr api_write(struct request *req, struct response *resp, api_write_fn fn);

#endif
