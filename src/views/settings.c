/* /admin/parametres: the settings table as a form (views/admin.h). Each
 * setting gets an input of its type with its range shown; a refused value
 * names its field and the range, and nothing is written (the form is one
 * transaction). */
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "model/settings.h"
#include "views/admin.h"
#include "views/form.h"
#include "views/page.h"
#include "views/widgets.h"

static bool is_admin(const struct actor *a)
{
	return a && a->role == ROLE_ADMIN;
}

/* One setting's field: value in force (or the refused one posted). */
static void setting_field(struct request *req, struct buf *o, struct db *db,
			  const struct setting_def *d, const struct validation *v)
{
	bool set, invalid;
	const char *value = settings_text(db, req->arena, d->id, &set, &invalid);
	const char *err = v ? validation_get(v, d->key) : NULL;
	if (v)
		value = req_form(req, d->key);
	const char *id = fw_id(req->arena, d->key);
	html_printf(o, "<div class=\"field\" id=\"p-%s\"><label for=\"%s\">%s</label>\n", d->key,
		    id, TR(req, d->label));
	const char *range = settings_range_text(d, req->lang, req->arena);
	html_printf(o, "<p class=\"hint\" id=\"h-%s\">%s%s%s%s <code>%s</code>%s</p>\n", id,
		    TR(req, d->help), *range ? " " : "", *range ? TR(req, "Bornes :") : "",
		    *range ? arena_printf(req->arena, " %s.", range) : "", d->key,
		    d->restart ? arena_printf(req->arena, " %s",
					      TR(req, "Prend effet au prochain démarrage du "
						      "serveur."))
			       : "");
	if (invalid && !v)
		html_printf(o, "<p class=\"field-error\">%s</p>\n",
			    TR(req, "La valeur enregistrée est hors des bornes : la valeur par "
				    "défaut s'applique."));
	if (err)
		html_printf(o, "<p class=\"field-error\" id=\"e-%s\">%s</p>\n", id, err);
	const char *aria = err ? arena_printf(req->arena,
					      " aria-invalid=\"true\" "
					      "aria-describedby=\"h-%s e-%s\"",
					      id, id)
			       : arena_printf(req->arena, " aria-describedby=\"h-%s\"", id);
	if (d->type == SETTING_BOOL) {
		bool on = value && (strcmp(value, "1") == 0 || strcmp(value, "oui") == 0);
		html_printf(o,
			    "<select id=\"%s\" name=\"%s\"%R><option value=\"0\"%R>%s</option>"
			    "<option value=\"1\"%R>%s</option></select>",
			    id, d->key, aria, on ? "" : " selected", TR(req, "Non"),
			    on ? " selected" : "", TR(req, "Oui"));
	} else if (d->type == SETTING_INT) {
		html_printf(
			o,
			"<input type=\"number\" id=\"%s\" name=\"%s\" value=\"%s\" min=\"%.0f\" "
			"max=\"%.0f\" step=\"1\" inputmode=\"numeric\"%R>",
			id, d->key, value ? value : "", d->min, d->max, aria);
	} else {
		html_printf(o, "<input type=\"text\" id=\"%s\" name=\"%s\" value=\"%s\"%R%R>", id,
			    d->key, value ? value : "",
			    d->type == SETTING_REAL ? " inputmode=\"decimal\"" : "", aria);
	}
	html_printf(o, "</div>\n");
}

static enum perr settings_page(struct request *req, struct response *resp, struct db *db,
			       const struct validation *v)
{
	const char *title = TR(req, "Paramètres");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1>\n",
		    TR(req, "Administration"), title);
	static const char *const codes[] = {"enregistre"};
	static const char *const texts[] = {N_("Les paramètres sont enregistrés.")};
	admin_notice(req, resp, codes, texts, 1);
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "Rien n'a été enregistré :"));
	html_printf(o, "<form method=\"post\" action=\"/admin/parametres\" novalidate>\n");
	form_csrf_field(req, resp);
	for (int i = 0; i < SETTING__COUNT; i++) {
		const struct setting_def *d = settings_def((enum setting_id)i);
		if (d->scope != SETTING_SCOPE_INTERNAL)
			setting_field(req, o, db, d, v);
	}
	form_submit_bar(req, o, TR(req, "Enregistrer"), NULL);
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_admin_settings(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	return db ? settings_page(req, resp, db, NULL) : e;
}

/* Sets every posted setting whose value changed; the refusals go to v
 * under the setting's key. Returns 0, 1 refused, -1 on an error. */
static int save_all(struct request *req, struct db *db, struct validation *v)
{
	int ret = 0;
	for (int i = 0; i < SETTING__COUNT; i++) {
		const struct setting_def *d = settings_def((enum setting_id)i);
		const char *posted = req_form(req, d->key);
		if (d->scope == SETTING_SCOPE_INTERNAL || !posted)
			continue;
		const char *now = settings_text(db, req->arena, d->id, NULL, NULL);
		const char *norm;
		enum setting_err e = settings_check(d, posted, req->arena, &norm);
		if (e == SETTING_OK && now && strcmp(now, norm) == 0)
			continue;
		if (e == SETTING_OK)
			e = settings_set(db, d->id, posted);
		if (e == SETTING_ERR_DB)
			return -1;
		if (e != SETTING_OK) {
			const char *why = settings_refusal(d, e, req->lang, req->arena);
			validation_add(
				v, d->key,
				strcmp(req->lang, "en") == 0
					? arena_printf(req->arena, "%s: %s", TR(req, d->label), why)
					: arena_printf(req->arena, "%s : %s", TR(req, d->label),
						       why));
			ret = 1;
		}
	}
	return ret;
}

/* Draws the settings page again with the refusals (view_form_posted). */
static enum perr draw_settings(struct request *req, struct response *resp, void *form)
{
	struct db *db = db_thread();
	return db ? settings_page(req, resp, db, form) : PERR_UNAVAILABLE;
}

enum perr view_admin_settings_save(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	if (!db)
		return e;
	struct validation *v = arena_calloc(req->arena, 1, sizeof(*v));
	view_form_posted(req, draw_settings, v);
	if ((e = admin_written(save_all(req, db, v))) != PERR_OK)
		return e;
	log_info("admin.settings", "by=%lld", (long long)req->actor->person_id);
	resp_redirect(resp, req->arena, "/admin/parametres?ok=enregistre");
	return PERR_OK;
}
