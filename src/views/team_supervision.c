/* Supervision:
 *   GET/POST /equipe/encadrement/nouveau      record a supervision session
 *   GET      /moi/encadrement                 a PAP's own supervision
 * Visibility is the model's (model/supervision.h): anything not visible is
 * a 404. */
#include "views/team.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/journal_week.h"
#include "model/position.h"
#include "model/refdata.h"
#include "model/supervision.h"
#include "model/support.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/reflabel.h"
#include "views/widgets.h"
#include "views/team_internal.h"

static const struct ref_item sup_types[] = {
	{"individuelle", N_("Individuelle"), NULL, false},
	{"groupe", N_("De groupe"), NULL, false},
	{"codeveloppement", N_("Codéveloppement"), NULL, false},
};

static enum perr supervision_form(struct request *req, struct response *resp, struct db *db,
				  const struct validation *v, bool posted)
{
	struct staff *st;
	size_t nst;
	if (position_staff(db, req->arena, req->actor->organisation_id, &st, &nst) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	const char *title = TR(req, "Consigner un encadrement");
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/equipe\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Équipe"), title);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"/equipe/encadrement/nouveau\" "
		       "class=\"stack\" novalidate>\n");
	form_csrf_field(req, resp);
	team_staff_select(req, o, "person", TR(req, "PAP"), st, nst, 0,
			  posted ? team_id_value(req_form(req, "person"))
				 : team_id_value(req_query(req, "pap")),
			  TR(req, "— Choisir —"), true);
	fw_error_text(&f, "person");
	fw_input(&f, "date", "date", TR(req, "Date"),
		 team_raw_or(req, posted, "date", form_today(req)), NULL);
	fw_input(&f, "text", "hours", TR(req, "Durée (heures)"),
		 team_raw_or(req, posted, "hours", "1"), TR(req, "Par exemple 1 ou 1,5."));
	fw_chips(&f, "type", TR(req, "Type de séance"), sup_types, ARRAY_LEN(sup_types),
		 posted ? req_form(req, "type") : "individuelle");
	html_printf(o,
		    "<div class=\"field\"><label for=\"f-note\">%s</label>"
		    "<p class=\"hint\" id=\"h-f-note\">%s</p>\n",
		    TR(req, "Note (facultative)"),
		    TR(req, "280 caractères au plus. Une note administrative seulement : aucun "
			    "renseignement clinique ni nom de famille."));
	fw_error_text(&f, "note");
	html_printf(o,
		    "<textarea id=\"f-note\" name=\"note\" rows=\"3\" maxlength=\"280\" "
		    "aria-describedby=\"h-f-note\"%R>%s</textarea></div>\n",
		    fw_error(&f, "note") ? " aria-invalid=\"true\"" : "",
		    team_raw_or(req, posted, "note", NULL));
	form_submit_bar(req, o, TR(req, "Enregistrer"), "/equipe");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_supervision_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(supervision_can_record(req->actor), &e);
	return db ? supervision_form(req, resp, db, NULL, false) : e;
}

/* Draws the supervision form again (view_form_posted). */
static enum perr draw_supervision(struct request *req, struct response *resp, void *form)
{
	struct team_posted *pf = form;
	struct db *db = db_thread();
	return db ? supervision_form(req, resp, db, &pf->v, true) : PERR_UNAVAILABLE;
}

enum perr view_supervision_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(supervision_can_record(req->actor), &e);
	if (!db)
		return e;
	struct supervision s = {0};
	s.person_id = team_id_value(req_form(req, "person"));
	s.date = form_trimmed(req, "date");
	s.hours = team_hours_value(req, form_trimmed(req, "hours"));
	if (isnan(s.hours))
		s.hours = -1;
	s.type = form_trimmed(req, "type");
	s.note = form_trimmed(req, "note");
	struct team_posted *pf = team_posted_form(req, draw_supervision);
	/* The form asks for the type; the contract leaves it optional. */
	if (!s.type)
		validation_add(&pf->v, "type", N_("Choisissez le type de séance."));
	e = team_form_written(supervision_record(db, req->arena, req->actor, &s, &pf->v));
	if (e != PERR_OK)
		return e;
	resp_redirect(resp, req->arena, "/equipe?ok=encadrement");
	return PERR_OK;
}

enum perr view_my_supervision(struct request *req, struct response *resp)
{
	const struct actor *me = req->actor;
	enum perr e;
	struct db *db = view_open_db(me && me->role == ROLE_PAP && me->organisation_id, &e);
	if (!db)
		return e;
	struct supervision *v;
	size_t n;
	double target;
	bool own;
	if (supervision_of_person(db, req->arena, me, me->person_id, &v, &n) != 0 ||
	    supervision_target(db, me->organisation_id, &target, &own) < 0)
		return PERR_UNAVAILABLE;
	struct pdate d = ptime_local_date(ptime_now());
	const char *month = arena_printf(req->arena, "%04d-%02d", d.year, d.month);
	double this_month = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].date && strncmp(v[i].date, month, 7) == 0)
			this_month += v[i].hours;
	struct buf *o = &resp->body;
	const char *title = TR(req, "Mon encadrement");
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n", title);
	html_printf(o, "<p class=\"lead\">%s %s %s %s.</p>\n", TR(req, "Ce mois-ci :"),
		    team_hours_text(req, this_month), TR(req, "sur une cible de"),
		    team_hours_text(req, target));
	html_printf(o,
		    "<p class=\"actions\"><a class=\"button\" href=\"/moi/soutien\">%s</a></p>\n",
		    TR(req, "Demander du soutien"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune séance d'encadrement consignée."));
	else
		html_printf(o, "<ol class=\"entries\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(o, "<li class=\"entry\"><strong>%s</strong> <span>%s — %s</span>",
			    fmt_date_medium(req, v[i].date), team_hours_text(req, v[i].hours),
			    ref_lookup(req, sup_types, ARRAY_LEN(sup_types), v[i].type));
		if (v[i].supervisor_name)
			html_printf(o, " <span>%s %s</span>", TR(req, "avec"),
				    v[i].supervisor_name);
		if (v[i].note)
			html_printf(o, "<p class=\"entry-note\">%s</p>", v[i].note);
		html_printf(o, "</li>\n");
	}
	if (n)
		html_printf(o, "</ol>\n");
	view_end(req, resp);
	return PERR_OK;
}
