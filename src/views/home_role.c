/* The signed-in home page of each role (issue 16): what to act on, each
 * item one tap away. A PAP: entries waiting on the phone (filled by
 * app.js from the outbox), referrals to acknowledge and overdue, the
 * survey due, replies to their support requests. A manager: open and
 * urgent support requests, PAP without supervision this month, overdue
 * referrals. Committee and analyst: the quarter's headline beside the
 * previous quarter, suppressed for their view. An administrator:
 * invitations unused, settings refused, e-mail not configured. */
#include <string.h>

#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/inbox.h"
#include "model/referral.h"
#include "model/supervision.h"
#include "model/support.h"
#include "model/survey.h"
#include "reports/access.h"
#include "reports/report.h"
#include "views/form.h"
#include "views/inbox.h"
#include "views/surveys.h"
#include "views/view.h"

/* One line of the to-do list: count, words and link. A zero count is
 * shown as done. */
static void todo(struct request *req, struct buf *o, const char *href, size_t n, const char *one,
		 const char *many)
{
	html_printf(
		o,
		"<li class=\"todo-item%R\"><a href=\"%s\"><span class=\"todo-count\">%zu</span> "
		"%s</a></li>\n",
		n ? "" : " done", href, n, i18n_trn(req->lang, one, many, (long)n));
}

static void todo_begin(struct request *req, struct buf *o, const char *title)
{
	html_printf(o, "<section class=\"panel home-todo\"><h2>%s</h2><ul class=\"todo\">\n",
		    title);
	(void)req;
}

static void todo_end(struct buf *o)
{
	html_printf(o, "</ul></section>\n");
}

/* The received referrals not acknowledged yet, and the overdue ones. */
static int referral_counts(struct db *db, struct request *req, size_t *to_ack, size_t *late)
{
	struct referral_filter f = {
		.direction = REFERRAL_RECEIVED, .by_status = true, .status = REFERRAL_ENVOYEE};
	struct referral_page pg = {.limit = 1}; /* counted in SQL; one row read */
	struct referral *v;
	size_t n;
	int64_t total;
	bool more;
	if (referral_list_page(db, req->arena, req->actor, &f, &pg, &v, &n, &total, &more) < 0 ||
	    referral_count_overdue_for(db, req->actor, late) < 0)
		return -1;
	*to_ack = (size_t)total;
	return 0;
}

static enum perr home_pap(struct request *req, struct response *resp, struct db *db,
			  const struct inbox_counts *c)
{
	size_t to_ack, late;
	struct survey_campaign sc;
	int due = survey_due_for(db, req->arena, req->actor, form_today(req), &sc);
	if (due < 0 || referral_counts(db, req, &to_ack, &late) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	view_survey_reminder(req, resp); /* the due survey, with its closing date */
	todo_begin(req, o, TR(req, "À faire"));
	/* Filled by app.js from the phone's outbox; hidden without entries. */
	html_printf(o,
		    "<li class=\"todo-item\" id=\"home-outbox\" hidden><a href=\"/journal\">"
		    "<span class=\"todo-count\">0</span> <span class=\"todo-words\">%s</span>"
		    "</a></li>\n",
		    TR(req, "entrées en attente d'envoi"));
	todo(req, o, "/renvois?sens=recues&statut=envoyee", to_ack,
	     N_("référence reçue à confirmer"), N_("références reçues à confirmer"));
	todo(req, o, "/renvois/retards", late, N_("référence en retard"),
	     N_("références en retard"));
	todo(req, o, "/sondages", due == 1 ? 1 : 0, N_("sondage à remplir"),
	     N_("sondages à remplir"));
	todo(req, o, "/moi/soutien", c->by_group[INBOX_GROUP_SUPPORT],
	     N_("réponse à vos demandes de soutien"), N_("réponses à vos demandes de soutien"));
	todo(req, o, "/boite", c->total, N_("avis non lu"), N_("avis non lus"));
	todo_end(o);
	html_printf(o, "<p><a class=\"button primary\" href=\"/journal/nouvelle\">%s</a></p>\n",
		    TR(req, "Nouvelle activité"));
	return PERR_OK;
}

/* The PAP of the manager's organisation without supervision this month. */
static int unsupervised(struct db *db, struct request *req, size_t *out)
{
	*out = 0;
	struct pdate d = ptime_local_date(ptime_now());
	double target;
	struct supervision_month_row *rows;
	size_t n;
	int r = supervision_team_month(db, req->arena, req->actor, d.year, d.month, &target, &rows,
				       &n);
	for (size_t i = 0; r == 0 && i < n; i++)
		*out += rows[i].sessions == 0;
	return r < 0 ? -1 : 0;
}

static enum perr home_manager(struct request *req, struct response *resp, struct db *db,
			      const struct inbox_counts *c)
{
	struct support_request *sr;
	size_t nsr, open = 0, urgent = 0, alone, to_ack, late;
	if (support_list(db, req->arena, req->actor, &sr, &nsr) < 0 ||
	    unsupervised(db, req, &alone) < 0 || referral_counts(db, req, &to_ack, &late) < 0)
		return PERR_UNAVAILABLE;
	for (size_t i = 0; i < nsr; i++) {
		open += sr[i].closed_at == 0;
		urgent += sr[i].closed_at == 0 && sr[i].urgency &&
			  strcmp(sr[i].urgency, "elevee") == 0;
	}
	struct buf *o = &resp->body;
	todo_begin(req, o, TR(req, "À faire"));
	todo(req, o, "/equipe#soutien", urgent, N_("demande de soutien urgente"),
	     N_("demandes de soutien urgentes"));
	todo(req, o, "/equipe#soutien", open, N_("demande de soutien ouverte"),
	     N_("demandes de soutien ouvertes"));
	todo(req, o, "/equipe", alone, N_("PAP sans encadrement ce mois-ci"),
	     N_("PAP sans encadrement ce mois-ci"));
	todo(req, o, "/renvois/retards", late, N_("référence en retard"),
	     N_("références en retard"));
	todo(req, o, "/renvois?sens=recues&statut=envoyee", to_ack,
	     N_("référence reçue à confirmer"), N_("références reçues à confirmer"));
	todo(req, o, "/boite", c->total, N_("avis non lu"), N_("avis non lus"));
	todo_end(o);
	return PERR_OK;
}

/* The first day of the quarter of d, and of the quarter before. */
static void quarters(struct pdate d, struct pdate *cur, struct pdate *prev, struct pdate *prev_end)
{
	*cur = (struct pdate){d.year, (d.month - 1) / 3 * 3 + 1, 1};
	*prev = cur->month == 1 ? (struct pdate){d.year - 1, 10, 1}
				: (struct pdate){d.year, cur->month - 3, 1};
	int64_t day = ptime_days_from_civil(cur) - 1;
	*prev_end = ptime_civil_from_days(day);
}

/* The headline of the actor's view for [from, to]. */
static enum perr headline(struct db *db, struct request *req, struct pdate from, struct pdate to,
			  struct report *out)
{
	const char *headline_ids[] = {REPORT_IDS[REPORT_IND_ACT_ACTIVITES],
				      REPORT_IDS[REPORT_IND_ACT_FAMILLES_REJOINTES],
				      REPORT_IDS[REPORT_IND_ARR_DELAI_PRISE_EN_CHARGE],
				      REPORT_IDS[REPORT_IND_ARR_TAUX_ECHAPPEMENT]};
	struct report_request rq;
	report_request_init(&rq);
	rq.from = from;
	rq.to = to;
	rq.lang = req->lang;
	rq.only_ids = headline_ids;
	rq.n_only_ids = ARRAY_LEN(headline_ids);
	enum perr e = report_request_for_actor(db, req->arena, req->actor, NULL, &rq);
	if (e != PERR_OK)
		return e;
	rq.only_ids = headline_ids;
	rq.n_only_ids = ARRAY_LEN(headline_ids);
	return report_compute(db, req->arena, &rq, out);
}

/* Whether an indicator of unit counts whole things (activities, people,
 * families, minutes): its change is a whole number too. */
static bool unit_whole(const char *unit)
{
	static const char *const whole[] = {"nombre", "personnes", "familles", "minutes"};
	for (size_t i = 0; unit && i < ARRAY_LEN(whole); i++)
		if (strcmp(unit, whole[i]) == 0)
			return true;
	return false;
}

/* The change between two published figures: only when both are shown
 * (a difference with a suppressed cell could reveal it); "+4" for a count,
 * "+0,5" (English "+0.5") otherwise. */
static const char *change(struct request *req, const struct ind_result *now,
			  const struct ind_result *before)
{
	if (!now->has_value || !before->has_value || now->suppressed || before->suppressed)
		return "—";
	double d = now->value - before->value;
	const char *s = unit_whole(now->unit) ? arena_printf(req->arena, "%+.0f", d)
					      : arena_printf(req->arena, "%+.1f", d);
	if (strcmp(req->lang, "en") != 0) {
		char *t = arena_strdup(req->arena, s);
		for (char *p = t; *p; p++)
			if (*p == '.')
				*p = ',';
		s = t;
	}
	return s;
}

static enum perr home_aggregates(struct request *req, struct response *resp, struct db *db)
{
	struct pdate today = ptime_local_date(ptime_now()), cur, prev, prev_end;
	quarters(today, &cur, &prev, &prev_end);
	struct report now, before;
	enum perr e = headline(db, req, cur, today, &now);
	if (e == PERR_OK)
		e = headline(db, req, prev, prev_end, &before);
	if (e != PERR_OK)
		return e == PERR_NOT_FOUND ? PERR_OK : e;
	struct buf *o = &resp->body;
	html_printf(
		o,
		"<section class=\"panel\"><h2>%s</h2>\n<div class=\"table-wrap\" tabindex=\"0\" "
		"role=\"region\" aria-label=\"%s\"><table><thead><tr><th scope=\"col\">%s</th>"
		"<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		"</tr></thead><tbody>\n",
		TR(req, "Ce trimestre"), TR(req, "Ce trimestre"), TR(req, "Indicateur"),
		TR(req, "Trimestre en cours"), TR(req, "Trimestre précédent"), TR(req, "Écart"));
	for (size_t i = 0; i < now.n_indicators && i < before.n_indicators; i++) {
		const struct ind_result *a = &now.indicators[i], *b = &before.indicators[i];
		html_printf(o,
			    "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			    a->label, a->display, b->display, change(req, a, b));
	}
	html_printf(o,
		    "</tbody></table></div>\n<p class=\"hint\">%s</p>\n<p><a class=\"button "
		    "primary\" href=\"/tableaux\">%s</a></p></section>\n",
		    TR(req,
		       "Les petits nombres sont masqués; aucun écart n'est donné quand l'un des "
		       "deux chiffres l'est."),
		    TR(req, "Ouvrir le tableau de bord"));
	return PERR_OK;
}

static enum perr home_admin(struct request *req, struct response *resp, struct db *db,
			    const struct inbox_counts *c)
{
	struct inbox_admin_counts a;
	if (inbox_admin_counts(db, ptime_now(), &a) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	todo_begin(req, o, TR(req, "À faire"));
	todo(req, o, "/admin/comptes", a.invitations_expired,
	     N_("invitation expirée sans être utilisée"),
	     N_("invitations expirées sans être utilisées"));
	todo(req, o, "/admin/comptes", a.invitations_waiting, N_("invitation en attente"),
	     N_("invitations en attente"));
	todo(req, o, "/admin/parametres", a.settings_invalid, N_("paramètre hors de sa plage"),
	     N_("paramètres hors de leur plage"));
	todo(req, o, "/admin/parametres", a.smtp_configured ? 0 : 1,
	     N_("serveur de courriel à configurer"), N_("serveurs de courriel à configurer"));
	todo(req, o, "/boite", c->total, N_("avis non lu"), N_("avis non lus"));
	todo_end(o);
	return PERR_OK;
}

enum perr view_home_role(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	struct inbox_counts c;
	if (!db || inbox_unread(db, req->actor, &c) < 0)
		return PERR_UNAVAILABLE;
	view_begin(req, resp, TR(req, "Accueil"));
	html_printf(&resp->body, "<h1>%s %s</h1>\n<p class=\"lead\">%s</p>\n", TR(req, "Bonjour,"),
		    req->actor->name, TR(req, role_label(req->actor->role)));
	enum perr e = PERR_OK;
	switch (req->actor->role) {
	case ROLE_PAP: e = home_pap(req, resp, db, &c); break;
	case ROLE_GESTIONNAIRE: e = home_manager(req, resp, db, &c); break;
	case ROLE_COMITE:
	case ROLE_ANALYSTE: e = home_aggregates(req, resp, db); break;
	case ROLE_ADMIN: e = home_admin(req, resp, db, &c); break;
	case ROLE_NONE: break;
	}
	if (e != PERR_OK)
		return e;
	view_end(req, resp);
	return PERR_OK;
}
