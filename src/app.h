/* The application: configuration, the route table and the request
 * pipeline shared by the server and the test-http mode:
 *   parse -> language -> CSRF -> route -> handler (unsafe methods: inside
 *   a write unit, app_write) -> error page -> headers.
 */
#ifndef PROXIMA_APP_H
#define PROXIMA_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

#define PROXIMA_VERSION "0.1.0"

/* The database when neither --db nor $PROXIMA_DB names one. */
#define APP_DB_DEFAULT "var/proxima.db"

struct app_config {
	const char *db_path;
	const char *listen;
	unsigned threads;
	const char *access_log;
};

extern struct app_config app_cfg;

/* Body size limits by content type, in bytes. */
#define APP_LIMIT_FORM (1u << 20)
#define APP_LIMIT_JSON (1u << 20)
#define APP_LIMIT_MULTIPART (32u << 20)
#define APP_LIMIT_OTHER (1u << 20)

/* The largest body accepted for a request with this Content-Type. */
size_t app_body_limit(const char *content_type);

/* Runs the pipeline on a request whose method, target, headers and body are
 * set. Always produces a complete response (errors become error pages). */
void app_handle(struct request *req, struct response *resp);

/* The pipeline's write step (src/app_write.c): runs handler as one write
 * unit (db/db.h db_unit_run), with the one-time token of a page form
 * (model/form_token.h): a token already answered gets its first 303 again
 * without running handler; a new one is stored with the write. Answers
 * only once the unit is durable; otherwise the posted form comes back
 * filled in with the reason (views/view.h view_form_again). Returns
 * PERR_OK when resp is complete, else the error for the error page. */
enum perr app_write(struct request *req, struct response *resp,
		    enum perr (*handler)(struct request *req, struct response *resp));

/* Housekeeping off the write path: one pass of housekeeping_run (the
 * stores that expire, src/housekeeping.h) on this thread's connection. The
 * server calls it every APP_HOUSEKEEP_S seconds; a failure is logged. */
#define APP_HOUSEKEEP_S 60
void app_housekeep(void);

/* Produces the error response for e (HTML or JSON envelope, by request),
 * with the security headers. Used by the pipeline and by adapters that
 * refuse a request before it is complete (413). */
void app_respond_error(struct request *req, struct response *resp, enum perr e);

#endif
