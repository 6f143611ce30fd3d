/* Organisations, sectors, territories and reference lists (views/admin.h). */
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "model/organisation.h"
#include "model/refdata.h"
#include "model/territory.h"
#include "views/admin.h"
#include "views/form.h"
#include "views/page.h"
#include "views/reflabel.h"
#include "views/widgets.h"

static bool is_admin(const struct actor *a)
{
	return organisation_may_edit(a);
}

static void crumbs(struct request *req, struct buf *o, const char *title)
{
	html_printf(o, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1>\n",
		    TR(req, "Administration"), title);
}

/* A positive id posted in field name, else 0. */
static int64_t posted_id(struct request *req, const char *name)
{
	int64_t v;
	const char *s = req_form(req, name);
	return s && parse_i64(s, 1, INT64_MAX, &v) == 0 ? v : 0;
}

/* ---- Organisations. */

enum perr view_admin_orgs(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	if (!db)
		return e;
	struct organisation *v;
	size_t n;
	if (organisation_list(db, req->arena, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	const char *title = TR(req, "Organisations");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	crumbs(req, o, title);
	html_printf(o,
		    "<p class=\"actions\"><a class=\"button primary\" "
		    "href=\"/admin/organisations/nouvelle\">%s</a></p>\n"
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table class=\"data\" "
		    "id=\"organisations\"><thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		    TR(req, "Nouvelle organisation"), TR(req, "Organisations"), TR(req, "Nom"),
		    TR(req, "Identifiant"), TR(req, "Secteur"), TR(req, "Comptes"));
	for (size_t i = 0; i < n; i++)
		html_printf(
			o,
			"<tr><th scope=\"row\"><a href=\"/admin/organisations/%lld\">%s</a></th>"
			"<td>%s</td><td>%s</td><td>%lld</td></tr>\n",
			(long long)v[i].id, v[i].name, v[i].ext_id,
			organisation_sector_label(&v[i], req->lang), (long long)v[i].people);
	html_printf(o, "</tbody></table></div>\n");
	view_end(req, resp);
	return PERR_OK;
}

static bool serves(const struct organisation *o, int64_t territory)
{
	for (size_t i = 0; i < o->nterritories; i++)
		if (o->territories[i] == territory)
			return true;
	return false;
}

/* The organisation's form (o->id 0: new). A manager reading their own gets
 * the same fields, disabled. */
static enum perr org_form(struct request *req, struct response *resp, struct db *db,
			  const struct organisation *org, const struct validation *v)
{
	struct sector *sec;
	struct territory *t;
	size_t nsec, nt;
	if (sector_list(db, req->arena, &sec, &nsec) < 0 ||
	    territory_tree(db, req->arena, &t, &nt) < 0)
		return PERR_UNAVAILABLE;
	bool edit = is_admin(req->actor);
	const char *dis = edit ? "" : " disabled";
	const char *title = org->id ? org->name : TR(req, "Nouvelle organisation");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	crumbs(req, o, title);
	static const char *const codes[] = {"enregistre"};
	static const char *const texts[] = {N_("L'organisation est enregistrée.")};
	admin_notice(req, resp, codes, texts, 1);
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "L'organisation n'a pas été enregistrée :"));
	if (org->id)
		html_printf(
			o,
			"<form method=\"post\" action=\"/admin/organisations/%lld\" novalidate>\n",
			(long long)org->id);
	else
		html_printf(o, "<form method=\"post\" action=\"/admin/organisations/nouvelle\" "
			       "novalidate>\n");
	form_csrf_field(req, resp);
	if (!org->id)
		fw_input(&f, "text", "ext_id", TR(req, "Identifiant"), org->ext_id,
			 TR(req, "Celui des fichiers d'échange; il ne change plus ensuite."));
	else
		html_printf(o, "<p>%s : <code>%s</code></p>\n", TR(req, "Identifiant"),
			    org->ext_id);
	if (edit)
		fw_input(&f, "text", "name", TR(req, "Nom"), org->name, NULL);
	html_printf(o, "<div class=\"field\"><label for=\"f-sector\">%s</label>",
		    TR(req, "Secteur"));
	fw_error_text(&f, "sector");
	html_printf(o, "<select id=\"f-sector\" name=\"sector\"%R>", dis);
	for (size_t i = 0; i < nsec; i++)
		html_printf(o, "<option value=\"%lld\"%R>%s</option>", (long long)sec[i].id,
			    sec[i].id == org->sector_id ? " selected" : "",
			    sector_label(&sec[i], req->lang));
	html_printf(o,
		    "</select></div>\n<fieldset class=\"field\" id=\"f-territories\"><legend>%s"
		    "</legend><p class=\"hint\">%s</p>",
		    TR(req, "Territoires desservis"),
		    TR(req, "Une organisation inscrit des activités et ouvre des postes sur les "
			    "territoires qu'elle dessert."));
	fw_error_text(&f, "territories");
	for (size_t i = 0; i < nt; i++)
		html_printf(o,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"territories\" "
			    "value=\"%lld\"%R%R> %s%s <span class=\"hint\">(%s)</span></label>\n",
			    (long long)t[i].id, serves(org, t[i].id) ? " checked" : "", dis,
			    t[i].depth ? (t[i].depth > 1 ? "— — " : "— ") : "", t[i].name,
			    TR(req, territory_level(&t[i])));
	html_printf(o, "</fieldset>\n");
	if (edit)
		form_submit_bar(req, o, TR(req, "Enregistrer"), "/admin/organisations");
	else
		html_printf(o, "</form>\n<p class=\"hint\">%s</p>\n",
			    TR(req, "Seul l'administrateur change le secteur et les territoires "
				    "desservis."));
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_admin_org_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	if (!db)
		return e;
	struct organisation org = {0};
	return org_form(req, resp, db, &org, NULL);
}

/* The organisation a form posted onto org (its id and ext_id kept). */
static void posted_org(struct request *req, struct organisation *org)
{
	if (!org->id)
		org->ext_id = form_trimmed(req, "ext_id");
	org->name = form_trimmed(req, "name");
	org->sector_id = posted_id(req, "sector");
	struct strlist l;
	form_values(req, "territories", &l);
	org->territories = arena_alloc(req->arena, (l.n ? l.n : 1) * sizeof(int64_t));
	org->nterritories = 0;
	for (size_t i = 0; i < l.n; i++) {
		int64_t id;
		if (parse_i64(l.v[i], 1, INT64_MAX, &id) == 0)
			org->territories[org->nterritories++] = id;
	}
}

/* A posted organisation and its errors, shown again when refused. */
struct posted_org {
	struct organisation org;
	struct validation v;
};

/* Draws the organisation form again (view_form_posted). */
static enum perr draw_org(struct request *req, struct response *resp, void *form)
{
	struct posted_org *po = form;
	struct db *db = db_thread();
	return db ? org_form(req, resp, db, &po->org, &po->v) : PERR_UNAVAILABLE;
}

/* Saves the posted organisation onto po->org (po: arena memory) in the
 * request's write unit. */
static enum perr org_save(struct request *req, struct response *resp, struct db *db,
			  struct posted_org *po)
{
	struct organisation *org = &po->org;
	posted_org(req, org);
	view_form_posted(req, draw_org, po);
	enum perr e = admin_written(organisation_save(db, org, &po->v));
	if (e != PERR_OK)
		return e;
	log_info("admin.organisation", "by=%lld organisation=%lld",
		 (long long)req->actor->person_id, (long long)org->id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/admin/organisations/%lld?ok=enregistre",
				   (long long)org->id));
	return PERR_OK;
}

enum perr view_admin_org_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	if (!db)
		return e;
	return org_save(req, resp, db, arena_calloc(req->arena, 1, sizeof(struct posted_org)));
}

/* The organisation of the route's :id that the actor may read. */
static enum perr readable_org(struct request *req, struct db **db, struct organisation *org)
{
	enum perr e;
	int64_t id = view_param_id(req);
	*db = view_open_db(organisation_may_read(req->actor, id), &e);
	if (!*db)
		return e;
	int r = organisation_get(*db, req->arena, id, org);
	return perr_found(r);
}

enum perr view_admin_org_show(struct request *req, struct response *resp)
{
	struct db *db;
	struct organisation org;
	enum perr e = readable_org(req, &db, &org);
	return e != PERR_OK ? e : org_form(req, resp, db, &org, NULL);
}

enum perr view_admin_org_update(struct request *req, struct response *resp)
{
	struct db *db;
	struct posted_org *po = arena_calloc(req->arena, 1, sizeof(*po));
	if (!is_admin(req->actor))
		return PERR_NOT_FOUND;
	enum perr e = readable_org(req, &db, &po->org);
	return e != PERR_OK ? e : org_save(req, resp, db, po);
}

/* ---- Sectors. */

static enum perr sectors_page(struct request *req, struct response *resp, struct db *db,
			      const struct sector *posted, int64_t failed_id,
			      const struct validation *v)
{
	struct sector *sec;
	size_t n;
	if (sector_list(db, req->arena, &sec, &n) < 0)
		return PERR_UNAVAILABLE;
	const char *title = TR(req, "Secteurs");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	crumbs(req, o, title);
	static const char *const codes[] = {"enregistre"};
	static const char *const texts[] = {N_("Le secteur est enregistré.")};
	admin_notice(req, resp, codes, texts, 1);
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "Le secteur n'a pas été enregistré :"));
	html_printf(o,
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table class=\"data\" id=\"secteurs\">"
		    "<thead><tr>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		    TR(req, "Secteurs"), TR(req, "Identifiant"), TR(req, "Nom en français"),
		    TR(req, "Nom en anglais"), TR(req, "Organisations"));
	for (size_t i = 0; i < n; i++) {
		const struct sector *s = failed_id == sec[i].id ? posted : &sec[i];
		html_printf(o,
			    "<tr><th scope=\"row\">%s</th><td colspan=\"2\"><form method=\"post\" "
			    "action=\"/admin/secteurs/%lld\" class=\"inline\">",
			    sec[i].ext_id, (long long)sec[i].id);
		form_csrf_field(req, resp);
		html_printf(o,
			    "<label class=\"visually-hidden\" for=\"s%lld-fr\">%s</label>"
			    "<input id=\"s%lld-fr\" name=\"name\" value=\"%s\"> "
			    "<label class=\"visually-hidden\" for=\"s%lld-en\">%s</label>"
			    "<input id=\"s%lld-en\" name=\"name_en\" lang=\"en\" value=\"%s\"> "
			    "<button type=\"submit\">%s</button></form></td><td>%lld</td></tr>\n",
			    (long long)sec[i].id, TR(req, "Nom en français"), (long long)sec[i].id,
			    s->name ? s->name : "", (long long)sec[i].id, TR(req, "Nom en anglais"),
			    (long long)sec[i].id, s->name_en ? s->name_en : "",
			    TR(req, "Enregistrer"), (long long)sec[i].organisations);
	}
	html_printf(o,
		    "</tbody></table></div>\n<h2>%s</h2>\n"
		    "<form method=\"post\" action=\"/admin/secteurs\" novalidate>\n",
		    TR(req, "Nouveau secteur"));
	form_csrf_field(req, resp);
	const struct sector *nw = failed_id == 0 && posted ? posted : &(struct sector){0};
	fw_input(&f, "text", "ext_id", TR(req, "Identifiant"), nw->ext_id, NULL);
	fw_input(&f, "text", "name", TR(req, "Nom en français"), nw->name, NULL);
	fw_input(&f, "text", "name_en", TR(req, "Nom en anglais"), nw->name_en, NULL);
	form_submit_bar(req, o, TR(req, "Ajouter le secteur"), NULL);
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_admin_sectors(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	return db ? sectors_page(req, resp, db, NULL, -1, NULL) : e;
}

/* A posted sector and its errors, shown again when refused. */
struct posted_sector {
	struct sector s;
	struct validation v;
};

/* Draws the sectors page again with the posted one (view_form_posted). */
static enum perr draw_sectors(struct request *req, struct response *resp, void *form)
{
	struct posted_sector *ps = form;
	struct db *db = db_thread();
	return db ? sectors_page(req, resp, db, &ps->s, ps->s.id, &ps->v) : PERR_UNAVAILABLE;
}

static enum perr sector_post(struct request *req, struct response *resp, int64_t id)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	if (!db)
		return e;
	struct posted_sector *ps = arena_calloc(req->arena, 1, sizeof(*ps));
	ps->s = (struct sector){.id = id,
				.ext_id = form_trimmed(req, "ext_id"),
				.name = form_trimmed(req, "name"),
				.name_en = form_trimmed(req, "name_en")};
	view_form_posted(req, draw_sectors, ps);
	if ((e = admin_written(sector_save(db, &ps->s, &ps->v))) != PERR_OK)
		return e;
	resp_redirect(resp, req->arena, "/admin/secteurs?ok=enregistre");
	return PERR_OK;
}

enum perr view_admin_sector_create(struct request *req, struct response *resp)
{
	return sector_post(req, resp, 0);
}

enum perr view_admin_sector_update(struct request *req, struct response *resp)
{
	int64_t id = view_param_id(req);
	return id ? sector_post(req, resp, id) : PERR_NOT_FOUND;
}

/* ---- Territories. */

static const struct ref_item territory_types[] = {
	{"urbain", N_("Urbain"), NULL, false},
	{"rural", N_("Rural"), NULL, false},
	{"mixte", N_("Mixte"), NULL, false},
};

/* A <select> of possible parents (none first). */
static void parent_select(struct request *req, const struct fw *f, const struct territory *t,
			  size_t n, int64_t self, int64_t selected, const char *id)
{
	struct buf *o = f->out;
	html_printf(o, "<select id=\"%s\" name=\"parent\"><option value=\"\">%s</option>", id,
		    TR(req, "Aucun (au sommet)"));
	for (size_t i = 0; i < n; i++)
		if (t[i].id != self && t[i].depth < TERRITORY_DEPTH_MAX - 1)
			html_printf(o, "<option value=\"%lld\"%R>%s%s</option>", (long long)t[i].id,
				    t[i].id == selected ? " selected" : "", t[i].depth ? "— " : "",
				    t[i].name);
	html_printf(o, "</select>");
}

static void territory_row(struct request *req, struct response *resp, const struct fw *f,
			  const struct territory *all, size_t n, const struct territory *t)
{
	struct buf *o = f->out;
	const char *id = arena_printf(req->arena, "t%lld", (long long)t->id);
	html_printf(o,
		    "<li class=\"territory depth-%d\" id=\"%s\"><strong>%s</strong> "
		    "<span class=\"tag\">%s</span> <code>%s</code>",
		    t->depth, id, t->name, TR(req, territory_level(t)), t->ext_id);
	html_printf(o,
		    "<details><summary>%s</summary><form method=\"post\" "
		    "action=\"/admin/territoires/%lld\" class=\"stack\">",
		    TR(req, "Modifier"), (long long)t->id);
	form_csrf_field(req, resp);
	html_printf(o,
		    "<label for=\"%s-name\">%s</label><input id=\"%s-name\" name=\"name\" "
		    "value=\"%s\"><label for=\"%s-type\">%s</label><select id=\"%s-type\" "
		    "name=\"type\"><option value=\"\">—</option>",
		    id, TR(req, "Nom"), id, t->name, id, TR(req, "Type"), id);
	for (size_t i = 0; i < ARRAY_LEN(territory_types); i++)
		html_printf(o, "<option value=\"%s\"%R>%s</option>", territory_types[i].code,
			    t->type && strcmp(t->type, territory_types[i].code) == 0 ? " selected"
										     : "",
			    ref_item_label(req, &territory_types[i]));
	html_printf(o, "</select><label for=\"%s-parent\">%s</label>", id, TR(req, "Rattaché à"));
	parent_select(req, f, all, n, t->id, t->parent_id,
		      arena_printf(req->arena, "%s-parent", id));
	html_printf(o, "<button type=\"submit\">%s</button></form></details></li>\n",
		    TR(req, "Enregistrer"));
}

static enum perr territories_page(struct request *req, struct response *resp, struct db *db,
				  const struct territory *posted, const struct validation *v)
{
	struct territory *t;
	size_t n;
	if (territory_tree(db, req->arena, &t, &n) < 0)
		return PERR_UNAVAILABLE;
	const char *title = TR(req, "Territoires");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	crumbs(req, o, title);
	static const char *const codes[] = {"enregistre"};
	static const char *const texts[] = {N_("Le territoire est enregistré.")};
	admin_notice(req, resp, codes, texts, 1);
	struct fw f = {.req = req, .out = o, .v = v};
	fw_error_summary(&f, TR(req, "Le territoire n'a pas été enregistré :"));
	html_printf(o, "<p class=\"lead\">%s</p>\n<ul class=\"tree\" id=\"hierarchie\">\n",
		    TR(req, "Région → territoire → quartier : un territoire se place sous une "
			    "région, un quartier sous un territoire."));
	for (size_t i = 0; i < n; i++)
		territory_row(req, resp, &f, t, n, &t[i]);
	html_printf(o,
		    "</ul>\n<h2>%s</h2>\n<form method=\"post\" action=\"/admin/territoires\" "
		    "novalidate>\n",
		    TR(req, "Nouveau territoire"));
	form_csrf_field(req, resp);
	const struct territory *p = posted ? posted : &(struct territory){0};
	fw_input(&f, "text", "ext_id", TR(req, "Identifiant"), p->ext_id, NULL);
	fw_input(&f, "text", "name", TR(req, "Nom"), p->name, NULL);
	fw_select(&f, "type", TR(req, "Type"), territory_types, ARRAY_LEN(territory_types), p->type,
		  "—");
	html_printf(o, "<div class=\"field\"><label for=\"f-parent\">%s</label>",
		    TR(req, "Rattaché à"));
	fw_error_text(&f, "parent");
	parent_select(req, &f, t, n, 0, p->parent_id, "f-parent");
	html_printf(o, "</div>\n");
	form_submit_bar(req, o, TR(req, "Ajouter le territoire"), NULL);
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_admin_territories(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	return db ? territories_page(req, resp, db, NULL, NULL) : e;
}

/* A posted territory and its errors, shown again when refused. */
struct posted_territory {
	struct territory t;
	struct validation v;
	bool is_new;
};

/* Draws the territories page again (view_form_posted). */
static enum perr draw_territories(struct request *req, struct response *resp, void *form)
{
	struct posted_territory *pt = form;
	struct db *db = db_thread();
	return db ? territories_page(req, resp, db, pt->is_new ? &pt->t : NULL, &pt->v)
		  : PERR_UNAVAILABLE;
}

static enum perr territory_post(struct request *req, struct response *resp, int64_t id)
{
	enum perr e;
	struct db *db = view_open_db(is_admin(req->actor), &e);
	if (!db)
		return e;
	struct posted_territory *pt = arena_calloc(req->arena, 1, sizeof(*pt));
	pt->is_new = id == 0;
	pt->t = (struct territory){.id = id,
				   .ext_id = form_trimmed(req, "ext_id"),
				   .name = form_trimmed(req, "name"),
				   .type = form_trimmed(req, "type"),
				   .parent_id = posted_id(req, "parent")};
	view_form_posted(req, draw_territories, pt);
	if ((e = admin_written(territory_save(db, req->arena, &pt->t, &pt->v))) != PERR_OK)
		return e;
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/admin/territoires?ok=enregistre#t%lld",
				   (long long)pt->t.id));
	return PERR_OK;
}

enum perr view_admin_territory_create(struct request *req, struct response *resp)
{
	return territory_post(req, resp, 0);
}

enum perr view_admin_territory_update(struct request *req, struct response *resp)
{
	int64_t id = view_param_id(req);
	return id ? territory_post(req, resp, id) : PERR_NOT_FOUND;
}

/* ---- Reference lists. */

static const char *const list_labels[REF__COUNT] = {
	N_("Types d'activité"), N_("Composantes"), N_("Stratégies"),  N_("Lieux"),
	N_("Besoins"),          N_("Retombées"),   N_("Populations"),
};

/* The organisation whose list is managed: the manager's own; for an
 * admin, ?organisation= (or the posted one), 0 when none chosen. */
static int64_t list_org(struct request *req)
{
	if (req->actor->role == ROLE_GESTIONNAIRE)
		return req->actor->organisation_id;
	int64_t id;
	const char *q = req_form(req, "organisation");
	if (!q)
		q = req_query(req, "organisation");
	return q && parse_i64(q, 1, INT64_MAX, &id) == 0 ? id : 0;
}

static bool may_edit_lists(const struct actor *a)
{
	return a &&
	       (a->role == ROLE_ADMIN || (a->role == ROLE_GESTIONNAIRE && a->organisation_id > 0));
}

static enum ref_list list_of(struct request *req)
{
	const char *q = req_form(req, "list");
	if (!q)
		q = req_query(req, "list");
	int l = ref_list_parse(q);
	return l < 0 ? REF_ACTIVITY_TYPE : (enum ref_list)l;
}

static void list_chooser(struct request *req, struct buf *o, struct db *db, int64_t org,
			 enum ref_list l)
{
	html_printf(o, "<form method=\"get\" action=\"/admin/listes\" class=\"filters\">");
	if (req->actor->role == ROLE_ADMIN) {
		struct organisation *orgs;
		size_t n;
		if (organisation_list(db, req->arena, &orgs, &n) == 0) {
			html_printf(o,
				    "<label for=\"f-org\">%s</label> <select id=\"f-org\" "
				    "name=\"organisation\"><option value=\"\">%s</option>",
				    TR(req, "Organisation"), TR(req, "Valeurs livrées seulement"));
			for (size_t i = 0; i < n; i++)
				html_printf(o, "<option value=\"%lld\"%R>%s</option>",
					    (long long)orgs[i].id,
					    orgs[i].id == org ? " selected" : "", orgs[i].name);
			html_printf(o, "</select> ");
		}
	}
	html_printf(o, "<label for=\"f-list\">%s</label> <select id=\"f-list\" name=\"list\">",
		    TR(req, "Liste"));
	for (int i = 0; i < REF__COUNT; i++)
		html_printf(o, "<option value=\"%s\"%R>%s</option>",
			    ref_list_name((enum ref_list)i), (int)l == i ? " selected" : "",
			    TR(req, list_labels[i]));
	html_printf(o, "</select> <button type=\"submit\">%s</button></form>\n",
		    TR(req, "Afficher"));
}

static void entry_row(struct request *req, struct response *resp, const struct ref_entry *e,
		      int64_t org, enum ref_list l)
{
	struct buf *o = &resp->body;
	html_printf(o,
		    "<tr id=\"r%lld\"><th scope=\"row\"><code>%s</code></th><td>%s</td>"
		    "<td lang=\"en\">%s</td><td>%s</td><td>",
		    (long long)e->id, e->code, e->label_fr, e->label_en,
		    !e->organisation_id ? TR(req, "Livrée")
		    : e->active         ? TR(req, "Offerte")
					: TR(req, "Retirée"));
	if (e->organisation_id) {
		html_printf(o, "<form method=\"post\" action=\"/admin/listes/%lld/%s\">",
			    (long long)e->id, e->active ? "retirer" : "remettre");
		form_csrf_field(req, resp);
		html_printf(o,
			    "<input type=\"hidden\" name=\"organisation\" value=\"%lld\">"
			    "<input type=\"hidden\" name=\"list\" value=\"%s\">"
			    "<button type=\"submit\">%s</button></form>",
			    (long long)org, ref_list_name(l),
			    e->active ? TR(req, "Retirer") : TR(req, "Offrir de nouveau"));
	}
	html_printf(o, "</td></tr>\n");
}

static enum perr lists_page(struct request *req, struct response *resp, struct db *db,
			    const struct validation *v)
{
	int64_t org = list_org(req);
	enum ref_list l = list_of(req);
	struct ref_entry *e;
	size_t n;
	if (refdata_entries(db, req->arena, l, org, &e, &n) < 0)
		return PERR_UNAVAILABLE;
	const char *title = TR(req, "Listes de référence");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	crumbs(req, o, title);
	static const char *const codes[] = {"ajoute", "retire", "remis"};
	static const char *const texts[] = {
		N_("L'entrée est ajoutée."),
		N_("L'entrée est retirée : elle n'est plus offerte, les fiches qui l'utilisent "
		   "la gardent."),
		N_("L'entrée est offerte de nouveau.")};
	admin_notice(req, resp, codes, texts, ARRAY_LEN(codes));
	list_chooser(req, o, db, org, l);
	html_printf(o,
		    "<h2>%s</h2>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table class=\"data\" "
		    "id=\"entrees\">"
		    "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "</tr></thead><tbody>\n",
		    TR(req, list_labels[l]), TR(req, list_labels[l]), TR(req, "Code"),
		    TR(req, "Libellé français"), TR(req, "Libellé anglais"), TR(req, "État"),
		    TR(req, "Action"));
	for (size_t i = 0; i < n; i++)
		entry_row(req, resp, &e[i], org, l);
	html_printf(o, "</tbody></table></div>\n");
	if (!org) {
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Choisissez une organisation pour lui ajouter ses propres "
				    "entrées."));
		view_end(req, resp);
		return PERR_OK;
	}
	struct fw f = {.req = req, .out = o, .v = v};
	html_printf(o, "<h2>%s</h2>\n", TR(req, "Nouvelle entrée"));
	fw_error_summary(&f, TR(req, "L'entrée n'a pas été ajoutée :"));
	html_printf(o,
		    "<form method=\"post\" action=\"/admin/listes\" novalidate>"
		    "<input type=\"hidden\" name=\"organisation\" value=\"%lld\">"
		    "<input type=\"hidden\" name=\"list\" value=\"%s\">\n",
		    (long long)org, ref_list_name(l));
	form_csrf_field(req, resp);
	fw_input(&f, "text", "code", TR(req, "Code"), v ? req_form(req, "code") : NULL,
		 TR(req, "Lettres minuscules sans accents, chiffres et soulignés; il ne change "
			 "plus ensuite."));
	fw_input(&f, "text", "label_fr", TR(req, "Libellé français"),
		 v ? req_form(req, "label_fr") : NULL, NULL);
	fw_input(&f, "text", "label_en", TR(req, "Libellé anglais"),
		 v ? req_form(req, "label_en") : NULL, NULL);
	form_submit_bar(req, o, TR(req, "Ajouter l'entrée"), NULL);
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_admin_lists(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(may_edit_lists(req->actor), &e);
	return db ? lists_page(req, resp, db, NULL) : e;
}

static const char *lists_url(struct request *req, int64_t org, enum ref_list l, const char *ok)
{
	return arena_printf(req->arena, "/admin/listes?organisation=%lld&list=%s&ok=%s",
			    (long long)org, ref_list_name(l), ok);
}

/* Draws the lists page again with the new entry's errors
 * (view_form_posted; the values are read from the request again). */
static enum perr draw_lists(struct request *req, struct response *resp, void *form)
{
	struct db *db = db_thread();
	return db ? lists_page(req, resp, db, form) : PERR_UNAVAILABLE;
}

enum perr view_admin_list_add(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(may_edit_lists(req->actor), &e);
	if (!db)
		return e;
	int64_t org = list_org(req);
	enum ref_list l = list_of(req);
	if (!org)
		return PERR_NOT_FOUND;
	struct validation *v = arena_calloc(req->arena, 1, sizeof(*v));
	view_form_posted(req, draw_lists, v);
	e = admin_written(refdata_add(db, l, org, form_trimmed(req, "code"),
				      form_trimmed(req, "label_fr"), form_trimmed(req, "label_en"),
				      v));
	if (e != PERR_OK)
		return e;
	resp_redirect(resp, req->arena, lists_url(req, org, l, "ajoute"));
	return PERR_OK;
}

static enum perr list_set(struct request *req, struct response *resp, bool active)
{
	enum perr e;
	struct db *db = view_open_db(may_edit_lists(req->actor), &e);
	if (!db)
		return e;
	int64_t org = list_org(req), id = view_param_id(req);
	if (!org || !id)
		return PERR_NOT_FOUND;
	int r = refdata_set_active(db, id, org, active);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_NOT_FOUND;
	resp_redirect(resp, req->arena,
		      lists_url(req, org, list_of(req), active ? "remis" : "retire"));
	return PERR_OK;
}

enum perr view_admin_list_retire(struct request *req, struct response *resp)
{
	return list_set(req, resp, false);
}

enum perr view_admin_list_restore(struct request *req, struct response *resp)
{
	return list_set(req, resp, true);
}
