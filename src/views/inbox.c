/* The inbox: events, unread first in the navigation, marked read one by
 * one or all at once; each person's e-mail choice. */
#include "views/inbox.h"

#include <string.h>

#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/inbox.h"
#include "model/notify.h"
#include "model/settings.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/pager.h"
#include "views/view.h"

#define INBOX_PAGE 25 /* events per page of /boite */

/* "12 mars 2025, 10:00" for an instant. */
static const char *when(struct request *req, int64_t t)
{
	char s[26];
	ptime_format_local(t, s);
	char date[11];
	memcpy(date, s, 10);
	date[10] = '\0';
	return arena_printf(req->arena, "%s, %.5s", fmt_date_medium(req, date), s + 11);
}

/* One event: its words, its code, when, and its two buttons. */
static void event_item(struct request *req, struct response *resp, const struct inbox_event *e)
{
	struct buf *o = &resp->body;
	html_printf(
		o, "<li class=\"entry%R\"><span class=\"entry-when\">%s</span> <strong>%s</strong>",
		e->read ? "" : " unread", when(req, e->at),
		TR(req, inbox_kind_def(e->kind)->label));
	if (!e->read)
		html_printf(o, " <span class=\"tag\">%s</span>", TR(req, "Non lu"));
	if (e->code)
		html_printf(o, " · %s", e->code);
	html_printf(o,
		    "<div class=\"actions\"><form method=\"post\" action=\"/boite/%lld/ouvrir\" "
		    "class=\"inline\">",
		    (long long)e->id);
	form_csrf_field(req, resp);
	html_printf(o, "<button type=\"submit\" class=\"button primary\">%s</button></form>",
		    TR(req, "Ouvrir"));
	if (!e->read) {
		html_printf(o, "<form method=\"post\" action=\"/boite/%lld/lu\" class=\"inline\">",
			    (long long)e->id);
		form_csrf_field(req, resp);
		html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form>",
			    TR(req, "Marquer comme lu"));
	}
	html_printf(o, "</div></li>\n");
}

/* The e-mail choice: three radio buttons. */
static void email_form(struct request *req, struct response *resp, struct db *db,
		       enum notify_mode mode)
{
	struct buf *o = &resp->body;
	html_printf(o, "<section class=\"panel\" id=\"courriel\"><h2>%s</h2>\n",
		    TR(req, "Avis par courriel"));
	struct arena *ar = req->arena;
	const char *url = settings_text(db, ar, SETTING_SMTP_URL, NULL, NULL);
	if (!url || !*url)
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "L'envoi de courriels n'est pas configuré sur ce serveur : "
				    "votre choix s'appliquera quand il le sera."));
	html_printf(o,
		    "<form method=\"post\" action=\"/boite/courriel\" class=\"stack\">\n"
		    "<fieldset><legend>%s</legend>\n",
		    TR(req, "Recevoir mes avis"));
	form_csrf_field(req, resp);
	static const enum notify_mode modes[] = {NOTIFY_NONE, NOTIFY_DAILY, NOTIFY_IMMEDIATE};
	for (size_t i = 0; i < ARRAY_LEN(modes); i++)
		html_printf(o,
			    "<label class=\"check\"><input type=\"radio\" name=\"courriel\" "
			    "value=\"%s\"%R> %s</label>\n",
			    notify_mode_code(modes[i]), modes[i] == mode ? " checked" : "",
			    TR(req, notify_mode_label(modes[i])));
	html_printf(o,
		    "</fieldset>\n<p class=\"hint\">%s</p>\n<button type=\"submit\" "
		    "class=\"button\">%s</button></form></section>\n",
		    TR(req, "Un courriel ne contient que le nombre d'avis de chaque sorte et un "
			    "lien vers cette page : jamais un nom ni le code d'une famille."),
		    TR(req, "Enregistrer"));
}

/* Reads the page of events the query asks for (a page past the end shows
 * the last one). 0 or -1. */
static int load_page(struct request *req, struct db *db, struct view_pager *p,
		     struct inbox_event **v, size_t *n)
{
	p->page = view_pager_requested(req, p->param);
	for (int pass = 0; pass < 2; pass++) {
		struct inbox_page pg = {.limit = p->per_page, .offset = view_pager_offset(p)};
		if (inbox_list(db, req->arena, req->actor, &pg, v, n, &p->total) < 0)
			return -1;
		if (p->page <= 1 || p->page <= view_pager_pages(p))
			break;
		p->page = view_pager_pages(p) ? view_pager_pages(p) : 1;
	}
	return 0;
}

enum perr view_inbox(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct inbox_event *v;
	size_t n;
	struct inbox_counts c;
	enum notify_mode mode;
	struct view_pager pager = {.path = "/boite", .param = "page", .per_page = INBOX_PAGE};
	if (load_page(req, db, &pager, &v, &n) < 0 || inbox_unread(db, req->actor, &c) < 0 ||
	    notify_choice_get(db, req->actor, &mode) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	view_begin(req, resp, TR(req, "Boîte de réception"));
	html_printf(o, "<h1>%s</h1>\n", TR(req, "Boîte de réception"));
	const char *ok = req_query(req, "ok");
	if (ok && strcmp(ok, "courriel") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Votre choix est enregistré."));
	html_printf(o, "<p class=\"lead\">%zu %s</p>\n", c.total,
		    i18n_trn(req->lang, "avis non lu", "avis non lus", (long)c.total));
	if (c.total) {
		html_printf(o, "<form method=\"post\" action=\"/boite/tout-lu\">");
		form_csrf_field(req, resp);
		html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form>\n",
			    TR(req, "Tout marquer comme lu"));
	}
	if (!n)
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Rien pour l'instant : les références reçues, leurs suites et "
				    "les réponses à vos demandes paraîtront ici."));
	else
		html_printf(o, "<ol class=\"entries inbox\">\n");
	for (size_t i = 0; i < n; i++)
		event_item(req, resp, &v[i]);
	if (n)
		html_printf(o, "</ol>\n");
	view_pager_write(req, o, &pager);
	email_form(req, resp, db, mode);
	view_end(req, resp);
	return PERR_OK;
}

/* Marks the route's event read; *href gets its page. Another person's
 * event is not there (404). */
static enum perr mark_one(struct request *req, const char **href)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct inbox_event e;
	int r = inbox_get(db, req->arena, req->actor, view_param_id(req), &e);
	if (r != 0)
		return r < 0 ? PERR_UNAVAILABLE : PERR_NOT_FOUND;
	if (inbox_mark_read(db, req->actor, e.id, ptime_now()) != 0)
		return PERR_INTERNAL;
	*href = e.href;
	return PERR_OK;
}

enum perr view_inbox_open(struct request *req, struct response *resp)
{
	const char *href;
	enum perr e = mark_one(req, &href);
	if (e == PERR_OK)
		resp_redirect(resp, req->arena, href);
	return e;
}

enum perr view_inbox_read(struct request *req, struct response *resp)
{
	const char *href;
	enum perr e = mark_one(req, &href);
	if (e == PERR_OK)
		resp_redirect(resp, req->arena, "/boite");
	return e;
}

enum perr view_inbox_read_all(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	if (inbox_mark_all_read(db, req->actor, ptime_now()) < 0)
		return PERR_INTERNAL;
	resp_redirect(resp, req->arena, "/boite");
	return PERR_OK;
}

enum perr view_inbox_email(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	enum notify_mode mode;
	if (notify_mode_parse(req_form(req, "courriel"), &mode) < 0) {
		req->err_message = N_("Choisissez une des trois façons de recevoir vos avis.");
		req->err_field = "courriel";
		return PERR_INVALID;
	}
	int r = notify_choice_set(db, req->actor, mode);
	if (r < 0)
		return PERR_INTERNAL;
	if (r > 0)
		return PERR_FORBIDDEN;
	resp_redirect(resp, req->arena, "/boite?ok=courriel#courriel");
	return PERR_OK;
}
