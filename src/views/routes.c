/* The pages' routes. A route is private (signed-in only) unless marked
 * ROUTE_PUBLIC; visibility of each object is then checked in the model. */
#include "core/util.h"
#include "http/router.h"
#include "views/rc_stats.h"
#include "views/view.h"

const struct route view_routes[] = {
	{HTTP_GET, "/", view_home, ROUTE_PUBLIC},
	{HTTP_POST, "/langue", view_set_language, ROUTE_PUBLIC},
	{HTTP_GET, "/connexion", view_login_form, ROUTE_PUBLIC},
	{HTTP_POST, "/connexion", view_login_submit, ROUTE_PUBLIC},
	{HTTP_POST, "/deconnexion", view_logout, ROUTE_PUBLIC},
	/* The field journal. Literal paths come before ":id" captures. */
	{HTTP_GET, "/journal", view_journal, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/nouvelle", view_activity_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/journal/nouvelle", view_activity_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/indirect", view_indirect_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/journal/indirect", view_indirect_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/equipe", view_journal_team, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/:id/modifier", view_activity_edit, ROUTE_SIGNED_IN},
	{HTTP_POST, "/journal/:id/modifier", view_activity_update, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/:id/supprimer", view_activity_delete_confirm, ROUTE_SIGNED_IN},
	{HTTP_POST, "/journal/:id/supprimer", view_activity_delete, ROUTE_SIGNED_IN},
	/* Followed families. */
	{HTTP_GET, "/familles", view_families, ROUTE_SIGNED_IN},
	{HTTP_GET, "/familles/nouvelle", view_family_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/familles/nouvelle", view_family_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/familles/:id", view_family_show, ROUTE_SIGNED_IN},
	{HTTP_POST, "/familles/:id/coordonnees", view_family_contact, ROUTE_SIGNED_IN},
	/* -- referrals (issue 4) -- */

	/* -- corridors and directory (issue 4) -- */

	/* -- team: positions, supervision, support (issue 6) -- */

	/* -- surveys and projects (issue 6) -- */

	/* -- stories, service gaps, presentations -- */

	/* -- reports and dashboards (issue 5) -- */
	{HTTP_GET, "/statistiques", view_rc_stats, ROUTE_SIGNED_IN},

};

const size_t view_routes_count = ARRAY_LEN(view_routes);
