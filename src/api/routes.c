/* The JSON API's routes (/api/v1/…). Private unless marked ROUTE_PUBLIC. */
#include "api/api.h"
#include "core/util.h"
#include "http/router.h"

const struct route api_routes[] = {
	{HTTP_GET, "/api/v1/healthz", api_healthz, ROUTE_PUBLIC},
};

const size_t api_routes_count = ARRAY_LEN(api_routes);
