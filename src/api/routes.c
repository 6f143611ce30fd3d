/* The JSON API's routes (/api/v1/…). Private unless marked ROUTE_PUBLIC.
 * docs/api.md documents each one. */
#include "api/api.h"
#include "core/util.h"
#include "http/router.h"
#include "api/rc_stats.h"

const struct route api_routes[] = {
	{HTTP_GET, "/api/v1/healthz", api_healthz, ROUTE_PUBLIC},
	{HTTP_GET, "/api/v1/me", api_me, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/reference/:list", api_reference, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/activities", api_activity_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/activities", api_activity_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/activities/:id", api_activity_get, ROUTE_SIGNED_IN},
	{HTTP_PUT, "/api/v1/activities/:id", api_activity_replace, ROUTE_SIGNED_IN},
	{HTTP_PATCH, "/api/v1/activities/:id", api_activity_patch, ROUTE_SIGNED_IN},
	{HTTP_DELETE, "/api/v1/activities/:id", api_activity_delete, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/families", api_family_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/families", api_family_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/families/:id", api_family_get, ROUTE_SIGNED_IN},
	/* -- referrals (issue 4) -- */

	/* -- corridors and directory (issue 4) -- */

	/* -- team: positions, supervision, support (issue 6) -- */

	/* -- surveys and projects (issue 6) -- */

	/* -- stories, service gaps, presentations -- */

	/* -- reports and dashboards (issue 5) -- */
	{HTTP_GET, "/api/v1/statistics", api_rc_stats, ROUTE_SIGNED_IN},

};

const size_t api_routes_count = ARRAY_LEN(api_routes);
