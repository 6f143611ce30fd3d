/* The opening of a page handler (see page.h). */
#include "views/page.h"

#include <stdint.h>

#include "core/util.h"
#include "db/db.h"
#include "model/actor.h"
#include "views/view.h"

int64_t view_param_id(const struct request *req)
{
	int64_t id;
	if (parse_i64(req_param(req, "id"), 1, INT64_MAX, &id) < 0)
		return 0;
	return id;
}

struct db *view_open_db(bool allowed, enum perr *e)
{
	if (!allowed) {
		*e = PERR_NOT_FOUND;
		return NULL;
	}
	struct db *db = db_thread();
	if (!db)
		*e = PERR_UNAVAILABLE;
	return db;
}

struct db *view_open_page_db(struct request *req, struct response *resp, bool allowed,
			     const char *title, enum perr *e)
{
	if (!allowed) {
		*e = view_not_for_role(req, resp, title);
		return NULL;
	}
	return view_open_db(true, e);
}

enum perr view_not_for_role(struct request *req, struct response *resp, const char *title)
{
	const struct actor *a = req->actor;
	view_begin(req, resp, title);
	html_printf(&resp->body, "<section class=\"panel role-note\"><h1>%s</h1>\n", title);
	if (a && (a->role == ROLE_PAP || a->role == ROLE_GESTIONNAIRE))
		html_printf(&resp->body, "<p>%s</p>\n",
			    TR(req, "Votre compte n'est rattaché à aucune organisation : le "
				    "journal et les familles ne sont pas disponibles. Demandez à "
				    "l'administrateur de vous rattacher à votre organisation."));
	else
		html_printf(&resp->body, "<p>%s <strong>%s</strong>. %s</p>\n",
			    TR(req, "Les entrées individuelles du journal et les familles ne sont "
				    "pas affichées pour votre rôle :"),
			    TR(req, role_label(a ? a->role : ROLE_NONE)),
			    TR(req, "Vous verrez des rapports agrégés, sans petites cellules, "
				    "quand ils seront offerts."));
	html_printf(&resp->body, "<p><a href=\"/\">%s</a></p></section>\n",
		    TR(req, "Retour à l'accueil"));
	view_end(req, resp);
	return PERR_OK;
}
