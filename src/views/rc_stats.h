/* The standard statistics page (/statistiques, model/rc_stats.h). */
#ifndef PROXIMA_VIEWS_RC_STATS_H
#define PROXIMA_VIEWS_RC_STATS_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

/* GET /statistiques?year=&organisation=: for a gestionnaire (own
 * organisation) and an admin (any, by import id: without one, the list of
 * organisations to choose from); 404 page otherwise. */
enum perr view_rc_stats(struct request *req, struct response *resp);

#endif
