#include <sodium.h>
#include <string.h>

#include "auth/csrf.h"
#include "http/error.h"
#include "http/static.h"
#include "core/util.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/settings.h"
#include "views/widgets.h"
#include "views/menu.h"
#include "views/view.h"

const char *view_nonce(struct request *req)
{
	if (req->nonce)
		return req->nonce;
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	size_t cap = sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
	char *out = arena_alloc(req->arena, cap);
	sodium_bin2base64(out, cap, raw, sizeof(raw), sodium_base64_VARIANT_ORIGINAL);
	req->nonce = out;
	return out;
}

/* The language switch: a form (works without JavaScript) that posts the
 * other language and comes back to the same page. */
static void language_switch(struct request *req, struct response *resp)
{
	const char *other = strcmp(req->lang, "en") == 0 ? "fr" : "en";
	const char *label = strcmp(other, "en") == 0 ? "English" : "Français";
	html_printf(&resp->body,
		    "<form class=\"lang\" method=\"post\" action=\"/langue\">"
		    "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"retour\" value=\"%s\">"
		    "<button type=\"submit\" name=\"lang\" value=\"%s\" lang=\"%s\">%s</button>"
		    "</form>",
		    csrf_token(req, resp), req->raw_path, other, other, label);
}

void view_begin(struct request *req, struct response *resp, const char *title)
{
	resp->content_type = "text/html; charset=utf-8";
	const char *nonce = view_nonce(req);
	/* Whose outbox and offline pages this page may show (none: signed out). */
	const char *account = req->actor ? actor_outbox_account(req->arena, req->actor) : "";
	if (*account && !resp_get_header(resp, "X-Proxima-Account"))
		resp_header(resp, req->arena, "X-Proxima-Account", account);
	html_printf(&resp->body,
		    "<!doctype html>\n<html lang=\"%s\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>%s · Proxima</title>\n"
		    "<link rel=\"stylesheet\" href=\"%s\">\n"
		    "<link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\">\n"
		    "<link rel=\"manifest\" href=\"/manifest.webmanifest\">\n"
		    "<meta name=\"theme-color\" content=\"#0b5c73\">\n"
		    "<script src=\"%s\" nonce=\"%s\" defer></script>\n"
		    "<script src=\"%s\" nonce=\"%s\" defer></script>\n"
		    "</head>\n<body data-account=\"%s\">\n"
		    "<a class=\"skip\" href=\"#contenu\">%s</a>\n"
		    "<header class=\"top\"><a class=\"brand\" href=\"/\">"
		    "<img src=\"%s\" alt=\"\" width=\"28\" height=\"28\"> Proxima</a>",
		    strcmp(req->lang, "en") == 0 ? "en-CA" : "fr-CA", title,
		    static_url("style.css"), static_url("icon.svg"), static_url("outbox.js"), nonce,
		    static_url("app.js"), nonce, account, TR(req, "Aller au contenu"),
		    static_url("icon.svg"));
	html_printf(&resp->body, "<div class=\"tools\">");
	if (req->actor)
		html_printf(&resp->body,
			    "<form class=\"logout\" method=\"post\" action=\"/deconnexion\">"
			    "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">"
			    "<button type=\"submit\">%s</button></form>",
			    csrf_token(req, resp), TR(req, "Se déconnecter"));
	language_switch(req, resp);
	html_printf(&resp->body, "</div>");
	if (req->actor)
		menu_write_nav(req, resp);
	html_printf(&resp->body, "</header>\n<main id=\"contenu\">\n");
	view_form_error_note(req, resp);
}

void view_form_error_note(struct request *req, struct response *resp)
{
	if (req->form_error == PERR_OK)
		return;
	html_printf(&resp->body,
		    "<div class=\"alert form-error\" role=\"alert\"><p><strong>%s</strong></p>"
		    "<p>%s</p></div>\n",
		    TR(req, req->err_message ? req->err_message : perr_message(req->form_error)),
		    TR(req, "Ce que vous avez saisi est conservé ci-dessous."));
}

void view_end(struct request *req, struct response *resp)
{
	fw_summary_flush(req);
	struct db *db = db_thread();
	const char *name =
		db ? settings_text(db, req->arena, SETTING_INSTANCE_NAME, NULL, NULL) : NULL;
	html_printf(&resp->body,
		    "</main>\n<footer class=\"bottom\"><p>%s%s%s</p></footer>\n"
		    "</body>\n</html>\n",
		    name ? name : "", name ? " · " : "",
		    TR(req, "Proxima — système d'information de l'intervention de proximité"));
}

void view_form_posted(struct request *req, view_draw_fn draw, void *form)
{
	req->redraw = draw;
	req->redraw_form = form;
}

/* The errors a posted form answers by coming back; others get the error
 * page (a 404 must not show a form). */
static bool form_answers(enum perr e)
{
	return e == PERR_UNPROCESSABLE || e == PERR_CONFLICT || e == PERR_INTERNAL ||
	       e == PERR_UNAVAILABLE || e == PERR_FULL;
}

enum perr view_form_again(struct request *req, struct response *resp, enum perr e)
{
	view_draw_fn draw = req->redraw;
	if (!draw || !form_answers(e))
		return e;
	req->redraw = NULL;       /* drawn once at most */
	req->form_summary = NULL; /* about a page that is not shown */
	buf_reset(&resp->body);
	resp_remove_header(resp, "Location");
	resp->status = http_status(e);
	/* Refused values and conflicts are explained beside their fields. */
	bool beside = e == PERR_UNPROCESSABLE || e == PERR_CONFLICT;
	req->form_error = beside && !req->err_message ? PERR_OK : e;
	return draw(req, resp, req->redraw_form);
}

void view_error(struct request *req, struct response *resp, enum perr e)
{
	req->form_error = PERR_OK;
	req->form_summary = NULL; /* the form it was about is not shown */
	buf_reset(&resp->body);
	const char *msg = req->err_message ? req->err_message : perr_message(e);
	view_begin(req, resp, TR(req, "Erreur"));
	html_printf(&resp->body,
		    "<section class=\"error\" role=\"alert\"><h1>%s</h1><p>%s</p>"
		    "<p><a href=\"/\">%s</a></p></section>\n",
		    TR(req, "Erreur"), TR(req, msg), TR(req, "Retour à l'accueil"));
	view_end(req, resp);
}
