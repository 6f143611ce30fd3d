/* Report access by role (access.h). */
#include <string.h>

#include "core/arena.h"
#include "model/actor.h"
#include "model/scope.h"
#include "reports/access.h"

enum perr report_request_for_actor(struct db *db, struct arena *a, const struct actor *actor,
				   const char *view_param, struct report_request *rq)
{
	enum report_view asked = REPORT_VIEW_COMITE;
	enum role role = actor ? actor->role : ROLE_NONE;
	if (role != ROLE_GESTIONNAIRE && role != ROLE_COMITE && role != ROLE_ANALYSTE &&
	    role != ROLE_ADMIN)
		return PERR_NOT_FOUND;
	if (view_param) {
		if (report_view_parse(view_param, &asked) < 0 || asked == REPORT_VIEW_COMPLET)
			return PERR_INVALID;
	}
	switch (role) {
	case ROLE_GESTIONNAIRE: {
		if (view_param && asked != REPORT_VIEW_GESTIONNAIRE)
			return PERR_NOT_FOUND;
		const char *own = actor->organisation_id ? scope_ext_of(db, a, SCOPE_ORGANISATION,
									actor->organisation_id)
							 : NULL;
		if (!own ||
		    (rq->organisation && *rq->organisation && strcmp(rq->organisation, own) != 0))
			return PERR_NOT_FOUND;
		rq->organisation = own;
		rq->view = REPORT_VIEW_GESTIONNAIRE;
		return PERR_OK;
	}
	case ROLE_COMITE: {
		if (view_param && asked != REPORT_VIEW_COMITE)
			return PERR_NOT_FOUND;
		if (!actor->territory_id)
			return PERR_NOT_FOUND;
		if (!rq->territory || !*rq->territory) {
			rq->territory = scope_ext_of(db, a, SCOPE_TERRITORY, actor->territory_id);
			if (!rq->territory)
				return PERR_NOT_FOUND;
		} else {
			int w = scope_territory_within(db, rq->territory, actor->territory_id);
			if (w < 0)
				return PERR_INTERNAL;
			if (w == 0)
				return PERR_NOT_FOUND;
		}
		rq->view = REPORT_VIEW_COMITE;
		return PERR_OK;
	}
	case ROLE_ANALYSTE:
		if (view_param && asked != REPORT_VIEW_ANALYSTE)
			return PERR_NOT_FOUND;
		rq->view = REPORT_VIEW_ANALYSTE;
		return PERR_OK;
	case ROLE_ADMIN:
		/* administrators configure; they read suppressed views only */
		if (view_param && asked == REPORT_VIEW_GESTIONNAIRE)
			return PERR_NOT_FOUND;
		rq->view = view_param ? asked : REPORT_VIEW_COMITE;
		return PERR_OK;
	default: return PERR_NOT_FOUND;
	}
}
