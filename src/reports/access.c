/* Report access by role (access.h). */
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "reports/access.h"

/* ext_id of row id with statement sid, or NULL. */
static const char *ext_of(struct db *db, struct arena *a, enum stmt_id sid, int64_t id)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return NULL;
	db_bind_int64(s, 1, id);
	const char *v = db_step(s) == DB_ROW ? db_col_text(a, s, 0) : NULL;
	db_reset(s);
	return v;
}

/* 1 when territory ext is territory id `root` or below it, 0 when not or
 * unknown, -1 on error. */
static int territory_within(struct db *db, const char *ext, int64_t root)
{
	struct db_stmt *s = db_stmt(db, STMT_REPORT_TERRITORY);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (!id)
		return 0;
	s = db_stmt(db, STMT_REPORT_TERRITORY_WITHIN);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, root);
	int rc = db_step(s);
	db_reset(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

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
		const char *own = actor->organisation_id
					  ? ext_of(db, a, STMT_REPORT_ORGANISATION_EXT,
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
			rq->territory =
				ext_of(db, a, STMT_REPORT_TERRITORY_EXT, actor->territory_id);
			if (!rq->territory)
				return PERR_NOT_FOUND;
		} else {
			int w = territory_within(db, rq->territory, actor->territory_id);
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
