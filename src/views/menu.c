/* Navigation and the "Plus" page (views/menu.h). */
#include "views/menu.h"

#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/inbox.h"
#include "model/privacy.h"
#include "model/referral.h"

#define BIT(r) (1u << (r))
#define PAP BIT(ROLE_PAP)
#define GEST BIT(ROLE_GESTIONNAIRE)
#define COM BIT(ROLE_COMITE)
#define ANA BIT(ROLE_ANALYSTE)
#define ADM BIT(ROLE_ADMIN)
#define ALL (PAP | GEST | COM | ANA | ADM)

struct menu_entry {
	const char *group; /* French msgid of the group on /menu */
	const char *href;
	const char *label; /* French msgid */
	unsigned roles;    /* who reaches it */
	unsigned primary;  /* for whom it is in the top navigation */
	bool needs_org;    /* only for someone of an organisation */
};

static const struct menu_entry MENU[] = {
	{N_("Boîte de réception"), "/boite", N_("Boîte de réception"), ALL, 0, false},
	{N_("Journal de terrain"), "/journal", N_("Journal"), PAP | GEST, PAP | GEST, false},
	{N_("Journal de terrain"), "/journal/nouvelle", N_("Nouvelle activité"), PAP | GEST, PAP,
	 true},
	{N_("Journal de terrain"), "/journal/indirect", N_("Temps indirect"), PAP | GEST, 0, true},
	{N_("Journal de terrain"), "/journal/equipe", N_("Journal de l'équipe"), GEST, 0, true},
	{N_("Familles et renvois"), "/familles", N_("Familles"), PAP | GEST, PAP, true},
	{N_("Familles et renvois"), "/renvois", N_("Renvois"), PAP | GEST, PAP | GEST, true},
	{N_("Familles et renvois"), "/renvois/retards", N_("Retards du jour"), PAP | GEST, 0, true},
	{N_("Territoire"), "/repertoire", N_("Répertoire"), ALL, COM | ANA, false},
	{N_("Territoire"), "/repertoire/qui-appeler", N_("Qui appeler ?"), ALL, 0, false},
	{N_("Territoire"), "/repertoire/chevauchements", N_("Chevauchement des mandats"), ALL, 0,
	 false},
	{N_("Territoire"), "/corridors", N_("Corridors"), ALL, COM | ADM, false},
	{N_("Territoire"), "/territoire", N_("Portrait et postes du territoire"), COM, 0, false},
	{N_("Territoire"), "/projets", N_("Projets"), ALL, 0, false},
	{N_("Territoire"), "/trous", N_("Trous de service"), PAP | GEST | COM | ANA, 0, false},
	{N_("Territoire"), "/trous/nouveau", N_("Signaler un trou de service"), PAP | GEST, 0,
	 false},
	{N_("Le sens"), "/recits", N_("Récits"), PAP | GEST | COM | ANA, COM, false},
	{N_("Le sens"), "/recits/selection", N_("Sélection des récits"), GEST | COM, 0, false},
	{N_("Équipe et soutien"), "/equipe", N_("Équipe"), GEST, GEST, true},
	{N_("Équipe et soutien"), "/equipe/postes", N_("Postes"), GEST | ADM, ADM, false},
	{N_("Équipe et soutien"), "/moi/encadrement", N_("Mon encadrement"), PAP, 0, true},
	{N_("Équipe et soutien"), "/moi/soutien", N_("Mon soutien"), PAP, 0, true},
	{N_("Équipe et soutien"), "/sondages", N_("Sondages"), PAP | GEST | ADM, 0, false},
	{N_("Rapports"), "/tableaux", N_("Tableaux de bord"), ALL, GEST | COM | ANA | ADM, false},
	{N_("Rapports"), "/tableaux/moi", N_("Mon travail"), PAP | GEST, 0, true},
	{N_("Rapports"), "/statistiques", N_("Statistiques ministérielles"), GEST | ADM, 0, true},
	{N_("Administration"), "/admin", N_("Administration"), GEST | ADM, ADM, true},
	{N_("Administration"), "/admin/comptes", N_("Comptes"), GEST | ADM, 0, true},
	{N_("Administration"), "/admin/listes", N_("Listes de référence"), GEST | ADM, 0, true},
	{N_("Administration"), "/admin/parametres", N_("Paramètres"), ADM, 0, false},
	{N_("Mon compte"), "/compte", N_("Mon compte"), ALL, 0, false},
	{N_("Mon compte"), "/compte/deux-facteurs", N_("Double authentification"), ALL, 0, false},
};

/* The pages of the person in charge of personal information: for who
 * reads the registers (model/privacy.h), whatever their role. */
static const struct menu_entry PRIVACY_MENU[] = {
	{N_("Confidentialité"), "/confidentialite", N_("Registres et journal des accès"), ALL, 0,
	 false},
	{N_("Confidentialité"), "/confidentialite/journal", N_("Journal des accès"), ALL, 0, false},
	{N_("Confidentialité"), "/confidentialite/incidents", N_("Incidents de confidentialité"),
	 ALL, 0, false},
	{N_("Confidentialité"), "/confidentialite/conservation", N_("Conservation des dossiers"),
	 ALL, 0, false},
};

/* The privacy section of /menu, when a reads the registers. */
static void privacy_section(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db || !privacy_reads_registers(db, req->actor))
		return;
	html_printf(&resp->body, "<section><h2>%s</h2><ul class=\"menu-list\">",
		    TR(req, PRIVACY_MENU[0].group));
	for (size_t i = 0; i < ARRAY_LEN(PRIVACY_MENU); i++)
		html_printf(&resp->body, "<li><a href=\"%s\">%s</a></li>", PRIVACY_MENU[i].href,
			    TR(req, PRIVACY_MENU[i].label));
	html_printf(&resp->body, "</ul></section>\n");
}

static bool entry_shown(const struct menu_entry *e, const struct actor *a)
{
	if (a->role <= ROLE_NONE || !(e->roles & BIT(a->role)))
		return false;
	return !e->needs_org || a->organisation_id || a->role == ROLE_ADMIN;
}

/* The primary entry a path belongs to: the longest href that is the path
 * or a prefix of it at a '/' (the team's journal belongs to the team). */
static const char *nav_owner(const struct actor *a, const char *path)
{
	if (str_starts(path, "/journal/equipe") && a->role == ROLE_GESTIONNAIRE)
		return "/equipe";
	const char *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < ARRAY_LEN(MENU); i++) {
		const struct menu_entry *e = &MENU[i];
		if (!(e->primary & BIT(a->role)) || !entry_shown(e, a))
			continue;
		size_t n = strlen(e->href);
		if (strncmp(path, e->href, n) == 0 && (path[n] == '\0' || path[n] == '/') &&
		    n > best_len) {
			best = e->href;
			best_len = n;
		}
	}
	return best;
}

/* The unread count an entry shows: its group's (referrals, support),
 * from the one grouped read of the page ("Plus" shows the total). */
static size_t unread_for(const char *href, const struct inbox_counts *c)
{
	if (strcmp(href, "/renvois") == 0)
		return c->by_group[INBOX_GROUP_REFERRALS];
	if (strcmp(href, "/equipe") == 0 || strcmp(href, "/moi/soutien") == 0)
		return c->by_group[INBOX_GROUP_SUPPORT];
	return 0;
}

/* An unread count as a badge, its words for screen readers ("1 non lu"). */
static void unread_badge(struct request *req, struct buf *o, size_t n)
{
	html_printf(o, " <span class=\"badge unread\">%zu<span class=\"vh\"> %s</span></span>", n,
		    i18n_trn(req->lang, "non lu", "non lus", (long)n));
}

void menu_write_nav(struct request *req, struct response *resp)
{
	const struct actor *a = req->actor;
	const char *owner = nav_owner(a, req->path);
	struct db *db = db_thread();
	struct inbox_counts unread = {0};
	if (db && inbox_unread(db, a, &unread) < 0)
		memset(&unread, 0, sizeof(unread));
	html_printf(&resp->body, "<nav class=\"nav\" aria-label=\"%s\"><ul>",
		    TR(req, "Navigation principale"));
	for (size_t i = 0; i < ARRAY_LEN(MENU); i++) {
		const struct menu_entry *e = &MENU[i];
		if (!(e->primary & BIT(a->role)) || !entry_shown(e, a))
			continue;
		html_printf(&resp->body, "<li><a href=\"%s\"%R>%s", e->href,
			    owner && strcmp(owner, e->href) == 0 ? " aria-current=\"page\"" : "",
			    TR(req, e->label));
		size_t late = 0, fresh = unread_for(e->href, &unread);
		if (fresh)
			unread_badge(req, &resp->body, fresh);
		if (strcmp(e->href, "/renvois") == 0 && db &&
		    referral_count_overdue_for(db, a, &late) == 0 && late > 0)
			html_printf(
				&resp->body,
				" <span class=\"badge\">%zu<span class=\"vh\"> %s</span></span>",
				late, TR(req, "en retard"));
		html_printf(&resp->body, "</a></li>");
	}
	/* The inbox is one tap away on "Plus", which carries its unread count
	 * (the phone's navigation has no room for one more entry). */
	html_printf(&resp->body, "<li><a href=\"/menu\"%R>%s",
		    strcmp(req->path, "/menu") == 0 ? " aria-current=\"page\"" : "",
		    TR(req, "Plus"));
	if (unread.total)
		unread_badge(req, &resp->body, unread.total);
	html_printf(&resp->body, "</a></li></ul></nav>");
}

enum perr view_menu(struct request *req, struct response *resp)
{
	const struct actor *a = req->actor;
	struct db *db = db_thread();
	struct inbox_counts unread = {0};
	if (db && inbox_unread(db, a, &unread) < 0)
		memset(&unread, 0, sizeof(unread));
	view_begin(req, resp, TR(req, "Toutes les pages"));
	html_printf(&resp->body, "<h1>%s</h1>\n<div class=\"menu-groups\">\n",
		    TR(req, "Toutes les pages"));
	const char *group = NULL;
	for (size_t i = 0; i < ARRAY_LEN(MENU); i++) {
		const struct menu_entry *e = &MENU[i];
		if (!entry_shown(e, a))
			continue;
		if (!group || strcmp(group, e->group) != 0) {
			if (group)
				html_printf(&resp->body, "</ul></section>\n");
			group = e->group;
			html_printf(&resp->body, "<section><h2>%s</h2><ul class=\"menu-list\">",
				    TR(req, group));
		}
		html_printf(&resp->body, "<li><a href=\"%s\">%s", e->href, TR(req, e->label));
		if (strcmp(e->href, "/boite") == 0 && unread.total)
			unread_badge(req, &resp->body, unread.total);
		html_printf(&resp->body, "</a></li>");
	}
	if (group)
		html_printf(&resp->body, "</ul></section>\n");
	privacy_section(req, resp);
	html_printf(&resp->body, "</div>\n");
	view_end(req, resp);
	return PERR_OK;
}
