/* The home page: signed out, what Proxima is for, in the words of the
 * field; signed in, what to act on (views/home_role.c). */
#include <string.h>

#include "auth/csrf.h"
#include "core/util.h"
#include "http/cookie.h"
#include "model/actor.h"
#include "views/inbox.h"
#include "views/view.h"

struct home_card {
	const char *title;
	const char *text;
};

static const struct home_card cards[] = {
	{N_("Journal de terrain"),
	 N_("Consignez une activité en moins de 30 secondes, sur votre téléphone, "
	    "avec le temps indirect qui l'entoure : déplacement, interprète, "
	    "rédaction, préparation.")},
	{N_("Corridors d'arrimage"),
	 N_("Référez une famille d'une organisation à l'autre avec un délai cible, "
	    "un accusé de réception et une boucle de rétroaction, pour que "
	    "personne ne tombe entre deux chaises.")},
	{N_("Suivi d'équipe"),
	 N_("Supervision, demandes de soutien et bien-être des PAP : le travail de "
	    "proximité protège aussi celles et ceux qui le font.")},
	{N_("Rapports : la mesure et le sens"),
	 N_("Les indicateurs et leurs cibles, à côté des récits qui leur donnent "
	    "un sens, en CSV, XLSX et PDF.")},
};

enum perr view_home(struct request *req, struct response *resp)
{
	if (req->actor && req->actor->role != ROLE_NONE)
		return view_home_role(req, resp);
	view_begin(req, resp, TR(req, "Accueil"));
	html_printf(&resp->body,
		    "<p class=\"hello\"><a class=\"button\" href=\"/connexion\">%s</a></p>\n",
		    TR(req, "Se connecter"));
	html_printf(&resp->body,
		    "<section class=\"hero\"><h1>%s</h1><p class=\"lead\">%s</p></section>\n"
		    "<ul class=\"cards\">\n",
		    TR(req, "L'intervention de proximité, rendue visible"),
		    TR(req, "Proxima accompagne les personnes agentes de proximité (PAP) "
			    "qui vont là où sont les familles isolées : parcs, cafés, "
			    "domiciles, locaux communautaires."));
	for (size_t i = 0; i < ARRAY_LEN(cards); i++)
		html_printf(&resp->body, "<li class=\"card\"><h2>%s</h2><p>%s</p></li>\n",
			    TR(req, cards[i].title), TR(req, cards[i].text));
	html_printf(&resp->body,
		    "</ul>\n<section class=\"privacy\"><h2>%s</h2><p>%s</p></section>\n",
		    TR(req, "Confidentialité"),
		    TR(req, "Les données nominatives sont chiffrées, réservées à "
			    "l'organisation qui suit la famille, et chaque accès est "
			    "journalisé. Les comités et les analystes ne voient que des "
			    "agrégats, sans petites cellules."));
	view_end(req, resp);
	return PERR_OK;
}

int view_local_path(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

enum perr view_set_language(struct request *req, struct response *resp)
{
	const char *lang = req_form(req, "lang");
	if (!i18n_supported(lang)) {
		req->err_message = N_("Langue inconnue.");
		req->err_field = "lang";
		return PERR_INVALID;
	}
	struct cookie_opts o = {.max_age = 365L * 24 * 3600,
				.http_only = true,
				.secure = req->secure,
				.same_site = "Lax"};
	resp_header(resp, req->arena, "Set-Cookie", cookie_build(req->arena, "lang", lang, &o));
	const char *back = req_form(req, "retour");
	resp_redirect(resp, req->arena, view_local_path(back) ? back : "/");
	return PERR_OK;
}
