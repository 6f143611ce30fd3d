/* GET /api/v1/statistics (model/rc_stats.h). */
#ifndef PROXIMA_API_RC_STATS_H
#define PROXIMA_API_RC_STATS_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

/* ?organisation=EXT&year=YYYY (fiscal year starting April 1; default the
 * current one). A gestionnaire gets their own organisation, an admin any;
 * anything else is 404. */
enum perr api_rc_stats(struct request *req, struct response *resp);

#endif
