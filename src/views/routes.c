/* The pages' routes. A route is private (signed-in only) unless marked
 * ROUTE_PUBLIC; visibility of each object is then checked in the model. */
#include "core/util.h"
#include "http/router.h"
#include "views/view.h"

const struct route view_routes[] = {
	{HTTP_GET, "/", view_home, ROUTE_PUBLIC},
	{HTTP_POST, "/langue", view_set_language, ROUTE_PUBLIC},
	{HTTP_GET, "/connexion", view_login_form, ROUTE_PUBLIC},
	{HTTP_POST, "/connexion", view_login_submit, ROUTE_PUBLIC},
	{HTTP_POST, "/deconnexion", view_logout, ROUTE_PUBLIC},
};

const size_t view_routes_count = ARRAY_LEN(view_routes);
