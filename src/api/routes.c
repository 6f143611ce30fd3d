/* The JSON API's routes (/api/v1/…). Private unless marked ROUTE_PUBLIC.
 * docs/api.md documents each one. */
#include "api/api.h"
#include "api/corridors.h"
#include "api/inbox.h"
#include "api/indicators.h"
#include "api/referrals.h"
#include "api/surveys.h"
#include "api/team.h"
#include "api/stories.h"
#include "core/util.h"
#include "http/router.h"
#include "api/rc_stats.h"

const struct route api_routes[] = {
	{HTTP_GET, "/api/v1/healthz", api_healthz, ROUTE_PUBLIC},
	{HTTP_GET, "/api/v1/me", api_me, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/reference/:list", api_reference, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/activities", api_activity_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/activities", api_activity_create, ROUTE_SIGNED_IN | ROUTE_PREPARES},
	{HTTP_GET, "/api/v1/activities/:id", api_activity_get, ROUTE_SIGNED_IN},
	{HTTP_PUT, "/api/v1/activities/:id", api_activity_replace, ROUTE_SIGNED_IN},
	{HTTP_PATCH, "/api/v1/activities/:id", api_activity_patch, ROUTE_SIGNED_IN},
	{HTTP_DELETE, "/api/v1/activities/:id", api_activity_delete, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/families", api_family_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/families", api_family_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/families/:id", api_family_get, ROUTE_SIGNED_IN},
	/* -- referrals (issue 4) -- */
	{HTTP_GET, "/api/v1/referrals", api_referral_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/referrals", api_referral_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/referrals/:id", api_referral_get, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/referrals/:id/acknowledge", api_referral_acknowledge, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/referrals/:id/take", api_referral_take, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/referrals/:id/refuse", api_referral_refuse, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/referrals/:id/reorient", api_referral_reorient, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/referrals/:id/lost", api_referral_lost, ROUTE_SIGNED_IN},

	/* -- the inbox (issue 16) -- */
	{HTTP_GET, "/api/v1/inbox", api_inbox_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/inbox/:id/read", api_inbox_read, ROUTE_SIGNED_IN},

	/* -- corridors and directory (issue 4) -- */
	{HTTP_GET, "/api/v1/corridors", api_corridor_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/corridors", api_corridor_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/corridors/:id", api_corridor_get, ROUTE_SIGNED_IN},
	{HTTP_PUT, "/api/v1/corridors/:id", api_corridor_replace, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/directory", api_directory, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/directory/overlaps", api_directory_overlaps, ROUTE_SIGNED_IN},

	/* -- team: positions, supervision, support (issue 6) -- */
	{HTTP_GET, "/api/v1/positions", api_position_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/positions", api_position_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/positions/:id", api_position_get, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/positions/:id/holders", api_position_holders, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/positions/:id/close", api_position_close, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/supervision", api_supervision_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/supervision", api_supervision_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/support-requests", api_support_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/support-requests", api_support_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/support-requests/:id", api_support_get, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/support-requests/:id/acknowledge", api_support_acknowledge,
	 ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/support-requests/:id/close", api_support_close, ROUTE_SIGNED_IN},

	/* -- surveys and projects (issue 6) -- */
	{HTTP_GET, "/api/v1/projects", api_project_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/projects", api_project_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/projects/:id", api_project_get, ROUTE_SIGNED_IN},
	{HTTP_PUT, "/api/v1/projects/:id", api_project_replace, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/surveys", api_survey_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/surveys/aggregates", api_survey_aggregates, ROUTE_SIGNED_IN},

	/* -- stories, service gaps, presentations -- */
	{HTTP_GET, "/api/v1/stories", api_story_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/stories", api_story_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/stories/:id", api_story_get, ROUTE_SIGNED_IN},
	{HTTP_PUT, "/api/v1/stories/:id", api_story_replace, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/stories/:id/select", api_story_select, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/service-gaps", api_service_gap_list, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/service-gaps", api_service_gap_create, ROUTE_SIGNED_IN},

	/* -- reports and dashboards (issue 5) -- */
	{HTTP_GET, "/api/v1/statistics", api_rc_stats, ROUTE_SIGNED_IN},
	{HTTP_GET, "/api/v1/indicators", api_indicators, ROUTE_SIGNED_IN},
	/* -- the phone's outbox (issue 11) -- */
	{HTTP_GET, "/api/v1/sync", api_sync_info, ROUTE_SIGNED_IN},
	{HTTP_POST, "/api/v1/sync", api_sync, ROUTE_SIGNED_IN},

};

const size_t api_routes_count = ARRAY_LEN(api_routes);
