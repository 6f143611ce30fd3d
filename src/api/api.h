/* The JSON API (/api/v1/...) and machine endpoints. Output goes through
 * the streaming writer (core/jsonw.h); errors use one envelope:
 * {"error": {"code": "...", "message": "...", "field": "..."}}. */
#ifndef PROXIMA_API_H
#define PROXIMA_API_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

/* The API's route table (src/api/routes.c). */
extern const struct route api_routes[];
extern const size_t api_routes_count;

/* Writes the error envelope for e into resp (status set by the caller). */
void api_error(struct request *req, struct response *resp, enum perr e);

/* GET /healthz: 200 {"status":"ok",...} when the database answers, else 503. */
enum perr api_healthz(struct request *req, struct response *resp);

#endif
