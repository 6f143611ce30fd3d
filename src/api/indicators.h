/* GET /api/v1/indicators: the indicator report as JSON (interchange.md
 * "Report"), in the view of the caller's role (reports/access.h). */
#ifndef PROXIMA_API_INDICATORS_H
#define PROXIMA_API_INDICATORS_H

#include "http/request.h"
#include "http/response.h"

/* Query: territory, from, to (required), as_of, sector, organisation,
 * view (admin only). 200 with the report; 400 naming a bad parameter; 404
 * when the role may not see it or an id does not exist. */
enum perr api_indicators(struct request *req, struct response *resp);

#endif
