/* Referral corridors (see views/corridors.h). */
#include "views/corridors.h"

#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/committee.h"
#include "model/corridor.h"
#include "model/directory.h"
#include "model/journal_week.h"
#include "reports/report.h"
#include "views/directory.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/reflabel.h"
#include "views/widgets.h"

/* The target delay choices: the ministry's priorities (the model's
 * table, "P1 — 2 jours"), then "autre" for a number. Arena array of
 * CORRIDOR_PRIORITIES + 1 items. */
static struct ref_item *priority_items(struct request *req)
{
	struct ref_item *v = arena_calloc(req->arena, CORRIDOR_PRIORITIES + 1, sizeof(*v));
	for (size_t i = 0; i < CORRIDOR_PRIORITIES; i++) {
		const char *l = arena_printf(req->arena, "%s — %s", corridor_priorities[i].code,
					     view_fmt_days_plain(req, corridor_priorities[i].days));
		v[i] = (struct ref_item){corridor_priorities[i].code, l, l, false};
	}
	v[CORRIDOR_PRIORITIES] = (struct ref_item){"autre", N_("Autre délai"), NULL, false};
	return v;
}

/* A template field's label in the request's language, or the code. */
static const char *field_label(struct request *req, const char *code)
{
	const struct corridor_field_def *f = corridor_field_find(code);
	if (!f)
		return code;
	return strcmp(req->lang, "en") == 0 ? f->label_en : f->label_fr;
}

/* ---- List ---- */

enum perr view_corridors(struct request *req, struct response *resp)
{
	const char *title = TR(req, "Corridors de référence");
	struct territory_ref t, *all;
	size_t n_all;
	enum perr e;
	struct db *db = view_dir_open(req, resp, title, &t, &all, &n_all, &e);
	if (!db)
		return e;
	struct corridor *v;
	size_t n;
	if (corridor_list(db, req->arena, t.id, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	const char *day = form_today(req);
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s — %s</p>\n", title, t.name,
		    TR(req, "Pour un besoin ou une population : le point d'entrée, le délai "
			    "cible et ce que la référence doit contenir."));
	view_dir_tabs(req, resp, &t, 3);
	view_dir_chooser(req, resp, "/corridors", all, n_all, &t, NULL);
	const char *ok = req_query(req, "ok");
	if (ok && strcmp(ok, "cree") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Corridor créé."));
	html_printf(o, "<p class=\"actions\">");
	if (corridor_can_write(db, req->actor, t.id))
		html_printf(o,
			    "<a class=\"button primary\" href=\"/corridors/nouveau?territoire=%U\">"
			    "%s</a>",
			    t.ext_id, TR(req, "+ Nouveau corridor"));
	html_printf(o,
		    "<a class=\"button\" href=\"/repertoire/qui-appeler?territoire=%U\">%s</a>"
		    "</p>\n",
		    t.ext_id, TR(req, "Qui appeler ?"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun corridor sur ce territoire."));
	else
		html_printf(o, "<ul class=\"corridors\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct corridor *c = &v[i];
		html_printf(o,
			    "<li class=\"corridor\"><h2><a href=\"/corridors/%lld\">%s</a></h2>"
			    "<p>%s <strong>%s</strong></p><p>%s %s",
			    (long long)c->id, c->name, TR(req, "Point d'entrée :"), c->entry_name,
			    TR(req, "Délai cible :"), view_fmt_days(req, c->target_days));
		if (!corridor_active_on(c, day))
			html_printf(o, " <span class=\"tag warn\">%s</span>",
				    TR(req, "Inactif aujourd'hui"));
		html_printf(o, "</p>");
		if (c->need || c->population)
			html_printf(o, "<p class=\"muted\">%s%R%s</p>",
				    view_ref_label(req, db, REF_NEED, c->need),
				    c->need && c->population ? " · " : "",
				    view_ref_label(req, db, REF_POPULATION, c->population));
		html_printf(o, "</li>\n");
	}
	if (n)
		html_printf(o, "</ul>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* ---- Form ---- */

struct cor_form {
	struct corridor c;
	const struct kvlist *raw; /* posted values shown again, or NULL */
	struct validation v;
	struct territory_ref t;
};

/* The posted value of name when the form is shown again, else v ("" for NULL). */
static const char *raw_or(const struct cor_form *cf, const char *name, const char *v)
{
	if (cf->raw) {
		const char *s = kvlist_get(cf->raw, name);
		return s ? s : "";
	}
	return v ? v : "";
}

/* n zeroed ref_items in the request's arena (at least one). */
static struct ref_item *ref_items(struct request *req, size_t n)
{
	return arena_calloc(req->arena, n ? n : 1, sizeof(struct ref_item));
}

/* The choices of the corridor form: needs, populations, the territory's
 * organisations (entry_sel: the current entry point's ext id), its
 * portrait's indicators and the transfer template's fields. */
struct cor_choices {
	struct ref_item *needs, *pops, *orgs, *por, *fields;
	size_t n_needs, n_pops, n_orgs, n_por;
	const char *entry_sel;
};

/* Fills ch for cf's territory in the request's arena; -1 on a database error. */
static int cor_choices_load(struct request *req, struct db *db, const struct cor_form *cf,
			    struct cor_choices *ch)
{
	struct dir_org *orgs;
	struct dir_portrait *por;
	if (directory_organisations(db, req->arena, cf->t.id, &orgs, &ch->n_orgs) < 0 ||
	    directory_portrait(db, req->arena, cf->t.id, &por, &ch->n_por) < 0 ||
	    refdata_list(db, req->arena, REF_NEED, 0, &ch->needs, &ch->n_needs) < 0 ||
	    refdata_list(db, req->arena, REF_POPULATION, 0, &ch->pops, &ch->n_pops) < 0)
		return -1;
	ch->orgs = ref_items(req, ch->n_orgs);
	ch->entry_sel = NULL;
	for (size_t i = 0; i < ch->n_orgs; i++) {
		const char *l = arena_printf(
			req->arena, "%s (%s)", orgs[i].name,
			view_sector_name(req, orgs[i].sector_name, orgs[i].sector_name_en));
		ch->orgs[i] = (struct ref_item){orgs[i].ext_id, l, l, false};
		if (orgs[i].id == cf->c.entry_organisation_id)
			ch->entry_sel = orgs[i].ext_id;
	}
	ch->por = ref_items(req, ch->n_por);
	for (size_t i = 0; i < ch->n_por; i++) {
		const char *l = por[i].label ? por[i].label : por[i].indicator;
		const char *en = portrait_label(l, por[i].label_en, "en");
		ch->por[i] = (struct ref_item){por[i].indicator, l, en, false};
	}
	ch->fields = ref_items(req, corridor_field_count);
	for (size_t i = 0; i < corridor_field_count; i++)
		ch->fields[i] =
			(struct ref_item){corridor_fields[i].code, corridor_fields[i].label_fr,
					  corridor_fields[i].label_en, false};
	return 0;
}

/* The delay field's hint: the ministry's priorities as the model's table
 * has them ("P1 = 2 jours, P2 = 10 jours, …"), then how to type another
 * delay. Arena string. */
static const char *priority_hint(struct request *req)
{
	const char *list = "";
	for (size_t i = 0; i < CORRIDOR_PRIORITIES; i++)
		list = arena_printf(req->arena, "%s%s%s = %s", list, i ? ", " : "",
				    corridor_priorities[i].code,
				    view_fmt_days_plain(req, corridor_priorities[i].days));
	return arena_printf(req->arena, "%s %s. %s", TR(req, "Priorités d'accès du ministère :"),
			    list,
			    TR(req, "Pour un autre délai, choisissez « Autre délai » et entrez un "
				    "nombre (ex. 5 ou 1,5)."));
}

/* The form's target delay: a priority chip (P1-P4 or "autre") and the
 * other delay in days. */
static void corridor_form_delay(struct fw *f, struct cor_form *cf)
{
	struct request *req = f->req;
	const char *prio = cf->raw ? kvlist_get(cf->raw, "target_priority")
				   : corridor_priority_of(cf->c.target_days);
	if (!cf->raw && !prio)
		prio = "autre";
	fw_chips(f, "target_priority", TR(req, "Délai cible"), priority_items(req),
		 CORRIDOR_PRIORITIES + 1, prio);
	const char *days_value = "";
	if (cf->raw)
		days_value = raw_or(cf, "target_days", NULL);
	else if (!corridor_priority_of(cf->c.target_days))
		days_value = arena_printf(req->arena, "%g", cf->c.target_days);
	fw_input(f, "text", "target_days", TR(req, "Autre délai, en jours"), days_value,
		 priority_hint(req));
}

/* The form's check lists: consent languages, template fields, portrait
 * indicators (a hint when the territory's portrait is empty). */
static void corridor_form_checks(struct fw *f, struct cor_form *cf, const struct cor_choices *ch)
{
	struct request *req = f->req;
	struct strlist sel;
	if (cf->raw)
		form_values(req, "consent_languages", &sel);
	fw_checks(f, "consent_languages", TR(req, "Formulaires de consentement disponibles"),
		  consent_languages, CONSENT_LANGUAGES_NAMED, cf->raw ? &sel : &cf->c.languages);
	if (cf->raw)
		form_values(req, "template_fields", &sel);
	fw_checks(f, "template_fields",
		  TR(req, "Gabarit de transfert : champs que la référence doit contenir"),
		  ch->fields, corridor_field_count, cf->raw ? &sel : &cf->c.fields);
	if (ch->n_por) {
		if (cf->raw)
			form_values(req, "portrait_indicators", &sel);
		fw_checks(f, "portrait_indicators",
			  TR(req, "Indicateurs du portrait qui justifient ce corridor"), ch->por,
			  ch->n_por, cf->raw ? &sel : &cf->c.portrait);
	} else {
		html_printf(f->out, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Le portrait sociosanitaire de ce territoire est vide : aucun "
				    "indicateur à lier."));
	}
}

/* Writes the create or edit form of cf (cf->c.id 0 = new), with its errors. */
static enum perr corridor_form(struct request *req, struct response *resp, struct db *db,
			       struct cor_form *cf)
{
	struct cor_choices ch;
	if (cor_choices_load(req, db, cf, &ch) < 0)
		return PERR_UNAVAILABLE;

	struct fw f = {.req = req, .out = &resp->body, .v = &cf->v};
	struct buf *o = &resp->body;
	bool edit = cf->c.id != 0;
	const char *title = edit ? TR(req, "Modifier le corridor") : TR(req, "Nouveau corridor");
	const char *action =
		edit ? arena_printf(req->arena, "/corridors/%lld/modifier", (long long)cf->c.id)
		     : "/corridors/nouveau";
	view_begin(req, resp, title);
	html_printf(o,
		    "<p class=\"crumbs\"><a href=\"/corridors?territoire=%U\">← %s</a></p>\n"
		    "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n",
		    cf->t.ext_id, TR(req, "Corridors de référence"), title, cf->t.name);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"%s\" class=\"corridor-form\" novalidate>\n",
		    action);
	form_csrf_field(req, resp);
	html_printf(o, "<input type=\"hidden\" name=\"territoire\" value=\"%s\">\n", cf->t.ext_id);
	fw_input(&f, "text", "name", TR(req, "Nom du corridor"), raw_or(cf, "name", cf->c.name),
		 TR(req, "Ex. : Périnatalité et petite enfance"));
	fw_select(&f, "need", TR(req, "Besoin"), ch.needs, ch.n_needs,
		  cf->raw ? kvlist_get(cf->raw, "need") : cf->c.need, TR(req, "— Aucun —"));
	fw_select(&f, "population", TR(req, "Population"), ch.pops, ch.n_pops,
		  cf->raw ? kvlist_get(cf->raw, "population") : cf->c.population,
		  TR(req, "— Aucune —"));
	fw_select(&f, "entry_organisation", TR(req, "Point d'entrée (organisation qui reçoit)"),
		  ch.orgs, ch.n_orgs,
		  cf->raw ? kvlist_get(cf->raw, "entry_organisation") : ch.entry_sel,
		  TR(req, "— Choisir —"));
	corridor_form_delay(&f, cf);
	corridor_form_checks(&f, cf, &ch);
	html_printf(o, "<div class=\"grid2\">");
	fw_input(&f, "date", "active_from", TR(req, "Actif à partir du"),
		 raw_or(cf, "active_from", cf->c.active_from), NULL);
	fw_input(&f, "date", "active_to", TR(req, "Actif jusqu'au"),
		 raw_or(cf, "active_to", cf->c.active_to), NULL);
	html_printf(o, "</div>\n");
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">%s"
		    "</button>",
		    TR(req, "Enregistrer le corridor"));
	if (edit)
		html_printf(o, "<a class=\"button\" href=\"/corridors/%lld\">%s</a>",
			    (long long)cf->c.id, TR(req, "Annuler"));
	else
		html_printf(o, "<a class=\"button\" href=\"/corridors?territoire=%U\">%s</a>",
			    cf->t.ext_id, TR(req, "Annuler"));
	html_printf(o, "</div>\n</form>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* Reads the posted form into c (territory set by the caller); errors the
 * model cannot see (an unknown organisation, a delay that is not a
 * number) go into v. */
static enum perr read_form(struct request *req, struct db *db, struct corridor *c,
			   struct validation *v)
{
	c->name = form_trimmed(req, "name");
	c->need = form_trimmed(req, "need");
	c->population = form_trimmed(req, "population");
	const char *org = form_trimmed(req, "entry_organisation");
	c->entry_organisation_id = 0;
	if (org) {
		int64_t id;
		int r = directory_organisation_id(db, org, &id);
		if (r < 0)
			return PERR_UNAVAILABLE;
		if (r)
			validation_add(v, "entry_organisation",
				       N_("Cette organisation n'existe pas."));
		c->entry_organisation_id = id;
	}
	const char *prio = form_trimmed(req, "target_priority");
	const char *days = form_trimmed(req, "target_days");
	double d = corridor_priority_days(prio);
	if (d > 0) {
		c->target_days = d;
	} else if (days) {
		if (corridor_parse_target(days, &c->target_days) < 0) {
			validation_add(v, "target_days",
				       N_("Le délai cible est une priorité P1 à P4 ou un nombre de "
					  "jours plus grand que 0 (au plus 3650)."));
			c->target_days = CORRIDOR_DEFAULT_DAYS;
		}
	} else if (prio && strcmp(prio, "autre") == 0) {
		validation_add(v, "target_days", N_("Entrez le délai cible en jours."));
	} else {
		c->target_days = CORRIDOR_DEFAULT_DAYS;
	}
	form_values(req, "consent_languages", &c->languages);
	form_values(req, "template_fields", &c->fields);
	form_values(req, "portrait_indicators", &c->portrait);
	c->active_from = form_trimmed(req, "active_from");
	c->active_to = form_trimmed(req, "active_to");
	return PERR_OK;
}

/* Draws the posted corridor form again, with what was typed
 * (view_form_posted). */
static enum perr draw_posted(struct request *req, struct response *resp, void *form)
{
	struct cor_form *cf = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	cf->raw = &req->form;
	return corridor_form(req, resp, db, cf);
}

/* Validates and saves the posted form into cf->c (cf: arena memory) in the
 * request's write unit; refused values and failed writes show the form
 * again with what was typed (view_form_posted). */
static enum perr save_form(struct request *req, struct response *resp, struct db *db,
			   struct cor_form *cf)
{
	view_form_posted(req, draw_posted, cf);
	enum perr e = read_form(req, db, &cf->c, &cf->v);
	if (e != PERR_OK)
		return e;
	int r = corridor_validate(db, &cf->c, &cf->v);
	if (cf->v.n)
		return PERR_UNPROCESSABLE;
	if (r < 0)
		return PERR_UNAVAILABLE;
	bool created = cf->c.id == 0;
	if (corridor_save(db, req->arena, &cf->c) < 0)
		return PERR_INTERNAL;
	log_info(created ? "corridor.create" : "corridor.update", "corridor=%lld by=%lld",
		 (long long)cf->c.id, (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/corridors/%lld?ok=%s", (long long)cf->c.id,
				   created ? "cree" : "modifie"));
	return PERR_OK;
}

/* The start of the new-corridor handlers: this thread's database into
 * *dbp (not owned; PERR_UNAVAILABLE without it) and the territory a new
 * corridor goes to (?territoire= or the posted "territoire"), checked:
 * 404 when not readable, 403 when not writable. */
static enum perr new_territory(struct request *req, struct db **dbp, struct territory_ref *t,
			       const char *ext)
{
	*dbp = db_thread();
	struct db *db = *dbp;
	if (!db)
		return PERR_UNAVAILABLE;
	struct territory_ref *all;
	size_t n;
	memset(t, 0, sizeof(*t));
	if (territory_list_visible(db, req->arena, req->actor, &all, &n) < 0)
		return PERR_UNAVAILABLE;
	int64_t want = ext && *ext ? 0 : territory_default(db, req->arena, req->actor);
	for (size_t i = 0; i < n; i++)
		if ((ext && *ext && strcmp(all[i].ext_id, ext) == 0) || all[i].id == want)
			*t = all[i];
	if (!t->id)
		return PERR_NOT_FOUND;
	if (!corridor_can_write(db, req->actor, t->id)) {
		req->err_message = N_("Seuls le comité du territoire et l'administration "
				      "peuvent créer ou modifier un corridor.");
		return PERR_FORBIDDEN;
	}
	return PERR_OK;
}

enum perr view_corridor_new(struct request *req, struct response *resp)
{
	struct db *db;
	struct cor_form cf = {0};
	enum perr e = new_territory(req, &db, &cf.t, req_query(req, "territoire"));
	if (e != PERR_OK)
		return e;
	cf.c.territory_id = cf.t.id;
	cf.c.target_days = CORRIDOR_DEFAULT_DAYS;
	static const char *const defaults[] = {"motif", "besoin", "consentement_signe",
					       "coordonnees_joignabilite", "disponibilites"};
	cf.c.fields.v = (const char **)defaults;
	cf.c.fields.n = ARRAY_LEN(defaults);
	static const char *const langs[] = {"fr", "en"};
	cf.c.languages.v = (const char **)langs;
	cf.c.languages.n = ARRAY_LEN(langs);
	return corridor_form(req, resp, db, &cf);
}

enum perr view_corridor_create(struct request *req, struct response *resp)
{
	struct db *db;
	struct cor_form *cf = arena_calloc(req->arena, 1, sizeof(*cf));
	enum perr e = new_territory(req, &db, &cf->t, req_form(req, "territoire"));
	if (e != PERR_OK)
		return e;
	cf->c.territory_id = cf->t.id;
	return save_form(req, resp, db, cf);
}

/* The corridor of the route's :id the actor may read, or 404. */
static enum perr load_corridor(struct request *req, struct db *db, struct corridor *c)
{
	int64_t id = view_param_id(req);
	if (!id)
		return PERR_NOT_FOUND;
	return perr_found(corridor_get(db, req->arena, req->actor, id, c));
}

/* One <dt>/<dd> pair of a facts list. */
static void fact(struct buf *o, const char *label, const char *value)
{
	html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", label, value);
}

/* The entry organisation's PAP on the corridor's territory today, with
 * their contact for partners (from the directory). */
static void entry_contacts(struct request *req, struct response *resp, struct db *db,
			   const struct corridor *c, const char *day)
{
	struct buf *o = &resp->body;
	struct directory d;
	if (directory_load(db, req->arena, c->territory_id, day, &d) < 0)
		return; /* logged; the sheet is still useful without it */
	html_printf(o, "<section><h2>%s</h2>\n", TR(req, "PAP du point d'entrée"));
	size_t shown = 0;
	for (size_t i = 0; i < d.n_positions; i++) {
		const struct dir_position *p = &d.positions[i];
		if (p->organisation_id != c->entry_organisation_id || !p->current_name)
			continue;
		html_printf(o, "%R<li><strong>%s</strong>", shown ? "" : "<ul>", p->current_name);
		if (p->contact)
			html_printf(o, "%s%s", TR(req, " : "), p->contact);
		html_printf(o, "</li>\n");
		shown++;
	}
	if (shown)
		html_printf(o, "</ul>\n");
	else
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun poste de PAP pourvu de cette organisation sur le "
				    "territoire."));
	html_printf(o, "</section>\n");
}

/* The sheet's protocol: need, population, entry point, delay, active period. */
static void sheet_protocol(struct request *req, struct buf *o, struct db *db,
			   const struct corridor *c, const char *day)
{
	html_printf(o, "<section><h2>%s</h2><dl class=\"facts\">\n", TR(req, "Protocole"));
	fact(o, TR(req, "Besoin"), c->need ? view_ref_label(req, db, REF_NEED, c->need) : "—");
	fact(o, TR(req, "Population"),
	     c->population ? view_ref_label(req, db, REF_POPULATION, c->population) : "—");
	fact(o, TR(req, "Point d'entrée"), c->entry_name);
	fact(o, TR(req, "Délai cible"), view_fmt_days(req, c->target_days));
	const char *active;
	if (c->active_from && c->active_to)
		active = arena_printf(req->arena, "%s %s %s %s", TR(req, "du"),
				      fmt_date_long(req, c->active_from), TR(req, "au"),
				      fmt_date_long(req, c->active_to));
	else if (c->active_from)
		active = arena_printf(req->arena, "%s %s", TR(req, "depuis le"),
				      fmt_date_long(req, c->active_from));
	else if (c->active_to)
		active = arena_printf(req->arena, "%s %s", TR(req, "jusqu'au"),
				      fmt_date_long(req, c->active_to));
	else
		active = TR(req, "sans date de fin");
	fact(o, TR(req, "Période active"), active);
	fact(o, TR(req, "État aujourd'hui"),
	     corridor_active_on(c, day) ? TR(req, "Actif") : TR(req, "Inactif"));
	fact(o, TR(req, "Identifiant"), c->ext_id);
	html_printf(o, "</dl></section>\n");
}

/* The consent forms available for the corridor, by language. */
static void sheet_languages(struct request *req, struct buf *o, const struct corridor *c)
{
	html_printf(o, "<section><h2>%s</h2>\n",
		    TR(req, "Formulaires de consentement disponibles"));
	if (!c->languages.n)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucun formulaire indiqué."));
	else
		html_printf(o, "<ul class=\"inline-list\">");
	for (size_t i = 0; i < c->languages.n; i++)
		html_printf(
			o, "<li>%s</li>",
			ref_lookup(req, consent_languages, CONSENT_LANGUAGES, c->languages.v[i]));
	if (c->languages.n)
		html_printf(o, "</ul>\n");
	html_printf(o, "</section>\n");
}

/* The transfer template: the fields a referral must contain, to fill in. */
static void sheet_template(struct request *req, struct buf *o, const struct corridor *c)
{
	html_printf(o, "<section><h2>%s</h2>\n<p class=\"hint\">%s</p>\n",
		    TR(req, "Gabarit de transfert"),
		    TR(req, "Ce qu'une référence par ce corridor doit contenir."));
	if (!c->fields.n) {
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucun champ exigé."));
	} else {
		html_printf(o,
			    "<table class=\"data template\"><caption class=\"visually-hidden\">%s"
			    "</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
			    "</th></tr></thead><tbody>\n",
			    TR(req, "Gabarit de transfert"), TR(req, "Champ"),
			    TR(req, "À remplir"));
		/* In the documented order, so every sheet reads the same way. */
		for (size_t k = 0; k < corridor_field_count; k++) {
			if (!strlist_has(&c->fields, corridor_fields[k].code))
				continue;
			html_printf(o,
				    "<tr><th scope=\"row\">%s <span class=\"code\">%s</span></th>"
				    "<td class=\"blank\"></td></tr>\n",
				    field_label(req, corridor_fields[k].code),
				    corridor_fields[k].code);
		}
		html_printf(o, "</tbody></table>\n");
	}
	html_printf(o, "</section>\n");
}

/* Why this corridor: the portrait indicators it is linked to, with their
 * values (por: the territory's portrait, n_por rows). */
static void sheet_portrait(struct request *req, struct buf *o, const struct corridor *c,
			   const struct dir_portrait *por, size_t n_por)
{
	html_printf(o, "<section><h2>%s</h2>\n",
		    TR(req, "Pourquoi ce corridor : portrait du territoire"));
	if (!c->portrait.n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun indicateur du portrait n'est lié à ce corridor."));
	else
		html_printf(o, "<ul>\n");
	for (size_t i = 0; i < c->portrait.n; i++) {
		const struct dir_portrait *p = NULL;
		for (size_t k = 0; k < n_por && !p; k++)
			if (strcmp(por[k].indicator, c->portrait.v[i]) == 0)
				p = &por[k];
		if (!p) {
			html_printf(o, "<li>%s</li>\n", c->portrait.v[i]);
			continue;
		}
		html_printf(o, "<li><strong>%s</strong>%s%s%R%s",
			    p->label ? portrait_label(p->label, p->label_en, req->lang)
				     : p->indicator,
			    TR(req, " : "), report_format_exact(req->arena, req->lang, p->value),
			    p->unit ? " " : "", p->unit ? p->unit : "");
		if (p->source)
			html_printf(o, " <span class=\"muted\">(%s)</span>", p->source);
		html_printf(o, "</li>\n");
	}
	if (c->portrait.n)
		html_printf(o, "</ul>\n");
	html_printf(o, "</section>\n");
}

enum perr view_corridor_show(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct corridor c;
	enum perr e = load_corridor(req, db, &c);
	if (e != PERR_OK)
		return e;
	struct dir_portrait *por;
	size_t n_por;
	if (directory_portrait(db, req->arena, c.territory_id, &por, &n_por) < 0)
		return PERR_UNAVAILABLE;
	const char *day = form_today(req);
	struct buf *o = &resp->body;
	view_begin(req, resp, c.name);
	html_printf(o,
		    "<p class=\"crumbs no-print\"><a href=\"/corridors?territoire=%U\">← %s</a>"
		    "</p>\n<article class=\"printable corridor-sheet\">\n"
		    "<p class=\"kicker\">%s — %s</p>\n<h1>%s</h1>\n",
		    c.territory_ext, TR(req, "Corridors de référence"),
		    TR(req, "Corridor de référence"), c.territory_name, c.name);
	const char *ok = req_query(req, "ok");
	if (ok && (strcmp(ok, "cree") == 0 || strcmp(ok, "modifie") == 0))
		html_printf(o, "<p class=\"notice no-print\" role=\"status\">%s</p>\n",
			    strcmp(ok, "cree") == 0 ? TR(req, "Corridor créé.")
						    : TR(req, "Corridor modifié."));
	html_printf(o, "<p class=\"actions no-print\">");
	if (corridor_can_write(db, req->actor, c.territory_id))
		html_printf(o, "<a class=\"button\" href=\"/corridors/%lld/modifier\">%s</a>",
			    (long long)c.id, TR(req, "Modifier"));
	html_printf(o, "</p>\n<p class=\"hint no-print\">%s</p>\n",
		    TR(req, "Cette page s'imprime telle quelle (menu Imprimer du navigateur) "
			    "pour la table de concertation ou le classeur des partenaires."));

	sheet_protocol(req, o, db, &c, day);
	sheet_languages(req, o, &c);
	sheet_template(req, o, &c);
	entry_contacts(req, resp, db, &c, day);

	sheet_portrait(req, o, &c, por, n_por);
	html_printf(o, "<p class=\"print-only\">%s %s</p>\n</article>\n", TR(req, "Imprimé le"),
		    fmt_date_long(req, day));
	view_end(req, resp);
	return PERR_OK;
}

/* The start of the edit handlers: this thread's database into *dbp (not
 * owned; PERR_UNAVAILABLE without it) and the corridor to edit, with the
 * write check (403 for a reader). */
static enum perr load_for_edit(struct request *req, struct db **dbp, struct cor_form *cf)
{
	*dbp = db_thread();
	struct db *db = *dbp;
	if (!db)
		return PERR_UNAVAILABLE;
	enum perr e = load_corridor(req, db, &cf->c);
	if (e != PERR_OK)
		return e;
	if (!corridor_can_write(db, req->actor, cf->c.territory_id)) {
		req->err_message = N_("Seuls le comité du territoire et l'administration "
				      "peuvent créer ou modifier un corridor.");
		return PERR_FORBIDDEN;
	}
	cf->t.id = cf->c.territory_id;
	cf->t.ext_id = cf->c.territory_ext;
	cf->t.name = cf->c.territory_name;
	return PERR_OK;
}

enum perr view_corridor_edit(struct request *req, struct response *resp)
{
	struct db *db;
	struct cor_form cf = {0};
	enum perr e = load_for_edit(req, &db, &cf);
	if (e != PERR_OK)
		return e;
	return corridor_form(req, resp, db, &cf);
}

enum perr view_corridor_update(struct request *req, struct response *resp)
{
	struct db *db;
	struct cor_form *cf = arena_calloc(req->arena, 1, sizeof(*cf));
	enum perr e = load_for_edit(req, &db, cf);
	if (e != PERR_OK)
		return e;
	return save_form(req, resp, db, cf);
}
