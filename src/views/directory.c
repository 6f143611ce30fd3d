/* The directory of positions and mandates (see views/directory.h). */
#include "views/directory.h"

#include <math.h>
#include <string.h>

#include "core/fold.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/journal_week.h"
#include "model/organisation.h"
#include "reports/hsds.h"
#include "views/dashboards.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/reflabel.h"

/* ---- Shared with the corridor pages ---- */

enum perr view_dir_territory(struct request *req, struct db *db, struct territory_ref *cur,
			     struct territory_ref **all, size_t *n_all)
{
	memset(cur, 0, sizeof(*cur));
	if (territory_list_visible(db, req->arena, req->actor, all, n_all) < 0)
		return PERR_UNAVAILABLE;
	const char *want = req_query(req, "territoire");
	if (want && *want) {
		for (size_t i = 0; i < *n_all; i++)
			if (strcmp((*all)[i].ext_id, want) == 0) {
				*cur = (*all)[i];
				return PERR_OK;
			}
		return PERR_NOT_FOUND;
	}
	int64_t id = territory_default(db, req->arena, req->actor);
	for (size_t i = 0; i < *n_all; i++)
		if ((*all)[i].id == id)
			*cur = (*all)[i];
	return PERR_OK;
}

struct db *view_dir_open(struct request *req, struct response *resp, const char *title,
			 struct territory_ref *cur, struct territory_ref **all, size_t *n_all,
			 enum perr *e)
{
	struct db *db = db_thread();
	if (!db) {
		*e = PERR_UNAVAILABLE;
		return NULL;
	}
	*e = view_dir_territory(req, db, cur, all, n_all);
	if (*e != PERR_OK)
		return NULL;
	if (!cur->id) {
		*e = view_dir_no_territory(req, resp, title);
		return NULL;
	}
	return db;
}

void view_dir_chooser(struct request *req, struct response *resp, const char *action,
		      const struct territory_ref *all, size_t n, const struct territory_ref *cur,
		      const char *const *keep)
{
	if (n < 2)
		return;
	struct buf *o = &resp->body;
	html_printf(o,
		    "<form method=\"get\" action=\"%s\" class=\"territory-chooser no-print\">"
		    "<label for=\"f-territoire\">%s</label> <select id=\"f-territoire\" "
		    "name=\"territoire\">",
		    action, TR(req, "Territoire"));
	for (size_t i = 0; i < n; i++)
		html_printf(o, "<option value=\"%s\"%R>%s</option>", all[i].ext_id,
			    all[i].id == cur->id ? " selected" : "", all[i].name);
	html_printf(o, "</select>");
	for (size_t i = 0; keep && keep[i]; i++) {
		const char *v = req_query(req, keep[i]);
		if (v && *v)
			html_printf(o, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", keep[i],
				    v);
	}
	html_printf(o, " <button type=\"submit\" class=\"button\">%s</button></form>\n",
		    TR(req, "Afficher"));
}

enum perr view_dir_no_territory(struct request *req, struct response *resp, const char *title)
{
	view_begin(req, resp, title);
	html_printf(&resp->body,
		    "<section class=\"panel role-note\"><h1>%s</h1><p>%s</p>"
		    "<p><a href=\"/\">%s</a></p></section>\n",
		    title,
		    TR(req, "Votre compte n'est rattaché à aucun territoire. Demandez à "
			    "l'administrateur de vous rattacher à votre territoire ou à votre "
			    "organisation."),
		    TR(req, "Retour à l'accueil"));
	view_end(req, resp);
	return PERR_OK;
}

const char *view_fmt_days_plain(struct request *req, double days)
{
	long tenths = lround(days * 10);
	const char *num = tenths % 10 == 0 ? arena_printf(req->arena, "%ld", tenths / 10)
					   : fmt_tenths(req, tenths);
	const char *unit = i18n_trn(req->lang, "jour", "jours", days > 1 ? 2 : 1);
	return arena_printf(req->arena, "%s %s", num, unit);
}

const char *view_sector_name(struct request *req, const char *name, const char *name_en)
{
	return sector_label(&(struct sector){.name = name, .name_en = name_en}, req->lang);
}

const char *view_fmt_days(struct request *req, double days)
{
	const char *p = corridor_priority_of(days);
	if (p)
		return arena_printf(req->arena, "%s (%s)", view_fmt_days_plain(req, days), p);
	return view_fmt_days_plain(req, days);
}

const char *view_ref_label(struct request *req, struct db *db, enum ref_list l, const char *code)
{
	return code ? refdata_label(db, req->arena, l, code, req->lang) : "";
}

void view_dir_tabs(struct request *req, struct response *resp, const struct territory_ref *t,
		   int current)
{
	static const struct {
		const char *href, *label;
	} tabs[] = {
		{"/repertoire", N_("Postes et mandats")},
		{"/repertoire/chevauchements", N_("Chevauchements")},
		{"/repertoire/qui-appeler", N_("Qui appeler ?")},
		{"/corridors", N_("Corridors")},
	};
	struct buf *o = &resp->body;
	html_printf(o, "<nav class=\"subnav no-print\" aria-label=\"%s\"><ul>",
		    TR(req, "Répertoire du territoire"));
	for (size_t i = 0; i < ARRAY_LEN(tabs); i++)
		html_printf(o, "<li><a href=\"%s?territoire=%U\"%R>%s</a></li>", tabs[i].href,
			    t->ext_id, (int)i == current ? " aria-current=\"page\"" : "",
			    TR(req, tabs[i].label));
	html_printf(o, "</ul></nav>\n");
}

/* "du 1 janv. 2025" … "à aujourd'hui". */
static const char *period_text(struct request *req, const char *from, const char *to)
{
	if (!to)
		return arena_printf(req->arena, "%s %s", TR(req, "depuis le"),
				    fmt_date_medium(req, from));
	return arena_printf(req->arena, "%s %s %s %s", TR(req, "du"), fmt_date_medium(req, from),
			    TR(req, "au"), fmt_date_medium(req, to));
}

/* The translated name of a mandate component. */
static const char *component_label(struct request *req, const char *c)
{
	if (strcmp(c, "demarchage") == 0)
		return TR(req, "Démarchage");
	if (strcmp(c, "accompagnement") == 0)
		return TR(req, "Accompagnement");
	if (strcmp(c, "collaboration") == 0)
		return TR(req, "Collaboration");
	return c;
}

/* The framework badge: a word, not only a colour. */
static void framework_badge(struct request *req, struct buf *o, const struct dir_position *p)
{
	if (p->framework) {
		html_printf(o, "<p class=\"badge ok\">✓ %s</p>\n",
			    TR(req, "Conforme au cadre de référence (3 composantes)"));
		return;
	}
	static const char *const all[] = {"demarchage", "accompagnement", "collaboration"};
	struct buf miss = BUF_INIT(256);
	for (size_t k = 0; k < ARRAY_LEN(all); k++) {
		bool has = false;
		for (size_t i = 0; i < p->components.n; i++)
			has = has || strcmp(p->components.v[i], all[k]) == 0;
		if (has)
			continue;
		if (miss.len)
			buf_puts(&miss, ", ");
		buf_puts(&miss, component_label(req, all[k]));
	}
	html_printf(o, "<p class=\"badge warn\">⚠ %s%s%s</p>\n",
		    TR(req, "Ne couvre pas les 3 composantes du cadre ; manque"), TR(req, " : "),
		    miss.data);
	buf_free(&miss);
}

/* One position of the directory as an <li>: holder, periods, mandate. */
static void position_card(struct request *req, struct response *resp, struct db *db,
			  const struct dir_position *p)
{
	struct buf *o = &resp->body;
	html_printf(
		o,
		"<li class=\"position\" id=\"poste-%lld\"><h4>%s <span class=\"muted\">(%s)</span>"
		"</h4>\n",
		(long long)p->id, p->org_name, p->ext_id);
	if (p->current_name)
		html_printf(o, "<p><strong>%s</strong></p>\n", p->current_name);
	else
		html_printf(o, "<p class=\"tag warn\">%s</p>\n", TR(req, "Poste vacant"));
	html_printf(o, "<dl class=\"facts\">\n");
	html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", TR(req, "Poste"),
		    period_text(req, p->start, p->end));
	if (p->contact)
		html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n",
			    TR(req, "Joindre (partenaires)"), p->contact);
	if (p->n_holders) {
		html_printf(o, "<div><dt>%s</dt><dd><ul class=\"plain\">", TR(req, "Titulaires"));
		for (size_t i = 0; i < p->n_holders; i++)
			html_printf(o, "<li>%s, %s</li>", p->holders[i].name,
				    period_text(req, p->holders[i].from, p->holders[i].to));
		html_printf(o, "</ul></dd></div>\n");
	}
	html_printf(o, "<div><dt>%s</dt><dd>", TR(req, "Composantes"));
	if (!p->components.n)
		html_printf(o, "—");
	for (size_t i = 0; i < p->components.n; i++)
		html_printf(o, "<span class=\"tag\">%s</span>",
			    component_label(req, p->components.v[i]));
	html_printf(o, "</dd></div>\n</dl>\n");
	framework_badge(req, o, p);
	if (p->n_items) {
		html_printf(o,
			    "<table class=\"data compact\"><caption class=\"visually-hidden\">%s %s"
			    "</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s"
			    "</th></tr></thead><tbody>",
			    TR(req, "Mandat :"), p->org_name, TR(req, "Population"),
			    TR(req, "Type d'activité"));
		for (size_t i = 0; i < p->n_items; i++)
			html_printf(o, "<tr><td>%s</td><td>%s</td></tr>",
				    view_ref_label(req, db, REF_POPULATION, p->items[i].population),
				    view_ref_label(req, db, REF_ACTIVITY_TYPE,
						   p->items[i].activity_type));
		html_printf(o, "</tbody></table>\n");
	} else {
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun élément de mandat (population × activité) inscrit."));
	}
	html_printf(o, "</li>\n");
}

enum perr view_directory(struct request *req, struct response *resp)
{
	const char *title = TR(req, "Répertoire des postes et mandats");
	struct territory_ref t, *all;
	size_t n_all;
	enum perr e;
	struct db *db = view_dir_open(req, resp, title, &t, &all, &n_all, &e);
	if (!db)
		return e;
	const char *day = form_today(req);
	struct directory d;
	if (directory_load(db, req->arena, t.id, day, &d) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s — %s</p>\n", title, t.name,
		    fmt_date_long(req, day));
	view_dir_tabs(req, resp, &t, 0);
	view_dir_chooser(req, resp, "/repertoire", all, n_all, &t, NULL);
	html_printf(o,
		    "<p class=\"actions no-print\"><a class=\"button\" "
		    "href=\"/repertoire/hsds?territoire=%U\" download>%s</a> "
		    "<span class=\"hint\">%s</span></p>\n",
		    t.ext_id, TR(req, "Télécharger le répertoire (Open Referral HSDS)"),
		    TR(req, "Organisations, services, zones desservies et listes de référence, "
			    "pour un répertoire de type 211 ou un partenaire. Aucune donnée sur "
			    "les familles."));

	size_t framework = 0, vacant = 0;
	for (size_t i = 0; i < d.n_positions; i++) {
		framework += d.positions[i].framework;
		vacant += !d.positions[i].current_name;
	}
	html_printf(o, "<section class=\"totals\"><h2>%s</h2><dl class=\"stats\">",
		    TR(req, "En bref"));
	html_printf(o, "<div class=\"stat\"><dt>%s</dt><dd>%zu</dd></div>",
		    TR(req, "Postes de PAP"), d.n_positions);
	html_printf(o, "<div class=\"stat\"><dt>%s</dt><dd>%zu</dd></div>",
		    TR(req, "Postes vacants"), vacant);
	html_printf(o, "<div class=\"stat\"><dt>%s</dt><dd>%zu</dd></div>",
		    TR(req, "Mandats conformes au cadre"), framework);
	html_printf(o, "</dl></section>\n");

	html_printf(o, "<section><h2>%s</h2>\n", TR(req, "Postes par secteur"));
	if (!d.n_positions)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun poste de PAP inscrit sur ce territoire."));
	for (size_t i = 0; i < d.n_positions; i++) {
		const struct dir_position *p = &d.positions[i];
		if (i == 0 || d.positions[i - 1].sector_id != p->sector_id)
			html_printf(o, "%R<h3 class=\"sector\">%s</h3>\n<ul class=\"positions\">\n",
				    i ? "</ul>\n" : "",
				    view_sector_name(req, p->sector_name, p->sector_name_en));
		position_card(req, resp, db, p);
	}
	if (d.n_positions)
		html_printf(o, "</ul>\n");
	html_printf(o, "</section>\n");

	html_printf(o,
		    "<section id=\"presentations\"><h2>%s</h2>\n<p class=\"hint\">%s</p>\n"
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-label=\"%s\"><table class=\"data\"><caption "
		    "class=\"visually-hidden\">%s</caption><thead><tr><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
		    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
		    TR(req, "Présentations de mandat aux partenaires"),
		    TR(req, "Présentations de mandat aux partenaires"),
		    TR(req, "La dernière activité « Présentation de mandat » qui nomme "
			    "l'organisation comme partenaire, faite par une PAP du territoire. "
			    "Plusieurs présentations au même partenaire dans l'année, par des "
			    "organisations différentes, gagneraient à être faites ensemble."),
		    TR(req, "Présentations de mandat aux partenaires"), TR(req, "Partenaire"),
		    TR(req, "Secteur"), TR(req, "Dernière présentation"),
		    TR(req, "Présentations (12 derniers mois)"),
		    TR(req, "Organisations qui ont présenté"));
	for (size_t i = 0; i < d.n_partners; i++) {
		const struct dir_partner *p = &d.partners[i];
		html_printf(o, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%lld",
			    p->name, view_sector_name(req, p->sector_name, p->sector_name_en),
			    p->last_presentation ? fmt_date_medium(req, p->last_presentation)
						 : TR(req, "Jamais"),
			    (long long)p->presentations);
		if (p->presenters > 1)
			html_printf(o, " <span class=\"tag warn\">%s</span>",
				    TR(req, "à coordonner"));
		html_printf(o, "</td><td>%lld</td></tr>\n", (long long)p->presenters);
	}
	html_printf(o, "</tbody></table></div></section>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* ---- Overlaps ---- */

/* A date query parameter, or def when absent; NULL when invalid. */
static const char *date_param(struct request *req, const char *name, const char *def)
{
	const char *v = req_query(req, name);
	if (!v || !*v)
		return def;
	struct pdate d;
	return ptime_parse_date(v, &d) == 0 ? v : NULL;
}

/* "Org (EXT)" for a position. */
static const char *pos_label(struct request *req, const struct dir_position *p)
{
	return arena_printf(req->arena, "%s (%s)", p->org_name, p->ext_id);
}

/* The smaller and larger position id of the pair (i, j): the pair's anchor. */
static int64_t pair_lo(const struct dir_overlaps *ov, size_t i, size_t j)
{
	int64_t a = ov->positions[i].id, b = ov->positions[j].id;
	return a < b ? a : b;
}

static int64_t pair_hi(const struct dir_overlaps *ov, size_t i, size_t j)
{
	int64_t a = ov->positions[i].id, b = ov->positions[j].id;
	return a < b ? b : a;
}

enum perr view_directory_hsds(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct territory_ref t, *all;
	size_t n_all;
	enum perr e = view_dir_territory(req, db, &t, &all, &n_all);
	if (e != PERR_OK)
		return e;
	if (!t.id)
		return PERR_NOT_FOUND;
	const char *day = form_today(req);
	int64_t now = ptime_now();
	struct hsds_package p;
	int r = hsds_package_build(db, req->arena, t.id, day, req->lang, now, &p);
	if (r != 0)
		return r < 0 ? PERR_UNAVAILABLE : PERR_NOT_FOUND;
	char *name = arena_printf(req->arena, "hsds-%s-%s.zip", t.ext_id, day);
	dash_attachment(req, resp, name);
	/* The files are in a folder of the archive's name. */
	const char *dir = arena_strndup(req->arena, name, strlen(name) - 4);
	r = hsds_package_zip(&p, dir, now, &resp->body);
	hsds_package_free(&p);
	if (r < 0)
		return PERR_INTERNAL;
	resp->content_type = "application/zip";
	return PERR_OK;
}

/* The overlap rate with its numerator and denominator, and how a pair
 * counts. */
static void overlap_rate(struct request *req, struct buf *o,
			 const struct ind_arr_chevauchement_result *r)
{
	html_printf(o, "<section class=\"totals rate\"><h2>%s</h2>\n",
		    TR(req, "Taux de chevauchement des mandats"));
	if (r->defined)
		html_printf(o,
			    "<p class=\"big\"><strong>%s %%</strong></p><p>%s <strong>%zu</strong> "
			    "%s <strong>%zu</strong></p>\n",
			    fmt_tenths(req, lround(r->value * 10)),
			    TR(req,
			       "Paires de postes de secteurs différents qui partagent au moins "
			       "un élément de mandat :"),
			    r->overlapping, TR(req, "sur"), r->pairs);
	else
		html_printf(o, "<p>%s</p>\n",
			    TR(req, "Aucune paire de postes de secteurs différents pourvus dans la "
				    "période : le taux n'est pas défini."));
	html_printf(o, "<p class=\"hint\">%s</p></section>\n",
		    TR(req,
		       "Une paire compte quand les deux postes, de secteurs différents, sont "
		       "pourvus à un moment de la période et que leurs mandats ont au moins un "
		       "élément (population, type d'activité) en commun."));
}

/* The matrix of shared mandate items, position by position (sectors
 * spanning their positions in the first header row). */
static void overlap_matrix(struct request *req, struct buf *o, const struct dir_overlaps *ov)
{
	size_t n = ov->n;
	if (n) {
		html_printf(o,
			    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
			    "aria-label=\"%s\"><table class=\"data matrix\">"
			    "<caption>%s</caption>\n<thead><tr><td rowspan=\"2\"></td>",
			    TR(req, "Matrice des chevauchements"),
			    TR(req, "Nombre d'éléments de mandat partagés par chaque paire de "
				    "postes (— : même secteur)"));
		/* First header row: sectors spanning their positions. */
		for (size_t j = 0; j < n;) {
			size_t k = j;
			while (k < n && ov->positions[k].sector_id == ov->positions[j].sector_id)
				k++;
			const struct dir_position *p = &ov->positions[j];
			html_printf(o, "<th scope=\"colgroup\" colspan=\"%zu\">%s</th>", k - j,
				    view_sector_name(req, p->sector_name, p->sector_name_en));
			j = k;
		}
		html_printf(o, "</tr>\n<tr>");
		for (size_t j = 0; j < n; j++)
			html_printf(o, "<th scope=\"col\">%s</th>",
				    pos_label(req, &ov->positions[j]));
		html_printf(o, "</tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n; i++) {
			html_printf(o,
				    "<tr><th scope=\"row\">%s<br><span class=\"muted\">%s</span>"
				    "</th>",
				    pos_label(req, &ov->positions[i]),
				    view_sector_name(req, ov->positions[i].sector_name,
						     ov->positions[i].sector_name_en));
			for (size_t j = 0; j < n; j++) {
				int c = ov->cells[i * n + j];
				if (c < 0)
					html_printf(o,
						    "<td class=\"same\">—<span class=\"visually-"
						    "hidden\"> %s</span></td>",
						    TR(req, "même secteur"));
				else if (c == 0)
					html_printf(o, "<td>0</td>");
				else
					html_printf(
						o,
						"<td class=\"hit\"><a href=\"#paire-%lld-%lld\">"
						"<strong>%d</strong></a></td>",
						(long long)pair_lo(ov, i, j),
						(long long)pair_hi(ov, i, j), c);
			}
			html_printf(o, "</tr>\n");
		}
		html_printf(o, "</tbody></table></div>\n");
	} else {
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun poste pourvu dans la période sur ce territoire."));
	}
}

/* The shared items pair by pair, each pair an anchor the matrix links to. */
static void overlap_pairs(struct request *req, struct buf *o, struct db *db,
			  const struct dir_overlaps *ov)
{
	html_printf(o, "<section class=\"pairs\"><h2>%s</h2>\n",
		    TR(req, "Éléments partagés, paire par paire"));
	if (!ov->result.n_list)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun mandat ne se chevauche entre secteurs."));
	else
		html_printf(o, "<ul class=\"pair-list\">\n");
	size_t n = ov->n;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			size_t ni;
			const struct ind_mandate_item *it = directory_overlap_items(ov, i, j, &ni);
			if (!ni)
				continue;
			const struct dir_position *a = &ov->positions[i], *b = &ov->positions[j];
			html_printf(o,
				    "<li id=\"paire-%lld-%lld\"><h3>%s ↔ %s</h3><p class=\"muted\">"
				    "%s ↔ %s</p><ul>",
				    (long long)pair_lo(ov, i, j), (long long)pair_hi(ov, i, j),
				    pos_label(req, a), pos_label(req, b),
				    view_sector_name(req, a->sector_name, a->sector_name_en),
				    view_sector_name(req, b->sector_name, b->sector_name_en));
			for (size_t k = 0; k < ni; k++)
				html_printf(
					o, "<li>%s × %s</li>",
					view_ref_label(req, db, REF_POPULATION, it[k].population),
					view_ref_label(req, db, REF_ACTIVITY_TYPE,
						       it[k].activity_type));
			html_printf(o, "</ul></li>\n");
		}
	if (ov->result.n_list)
		html_printf(o, "</ul>\n");
	html_printf(o, "</section>\n");
}

enum perr view_directory_overlaps(struct request *req, struct response *resp)
{
	const char *title = TR(req, "Chevauchement des mandats");
	struct territory_ref t, *all;
	size_t n_all;
	enum perr e;
	struct db *db = view_dir_open(req, resp, title, &t, &all, &n_all, &e);
	if (!db)
		return e;
	const char *to_def = form_today(req);
	struct pdate td;
	ptime_parse_date(to_def, &td);
	struct pdate fd = ptime_civil_from_days(ptime_days_from_civil(&td) - 364);
	char *from_def = arena_alloc(req->arena, 11);
	ptime_format_date(&fd, from_def);
	const char *from = date_param(req, "du", from_def), *to = date_param(req, "au", to_def);
	if (!from || !to || strcmp(from, to) > 0) {
		req->err_message = N_("Entrez une période valide : deux dates AAAA-MM-JJ, la fin "
				      "après le début.");
		return PERR_INVALID;
	}
	struct dir_overlaps ov;
	if (directory_overlaps(db, req->arena, t.id, from, to, &ov) < 0)
		return PERR_UNAVAILABLE;

	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s — %s</p>\n", title, t.name,
		    period_text(req, from, to));
	view_dir_tabs(req, resp, &t, 1);
	static const char *const keep[] = {"du", "au", NULL};
	view_dir_chooser(req, resp, "/repertoire/chevauchements", all, n_all, &t, keep);
	html_printf(o,
		    "<form method=\"get\" action=\"/repertoire/chevauchements\" class=\"period "
		    "no-print\"><input type=\"hidden\" name=\"territoire\" value=\"%s\">"
		    "<div class=\"field\"><label for=\"f-du\">%s</label><input type=\"date\" "
		    "id=\"f-du\" name=\"du\" value=\"%s\"></div><div class=\"field\"><label "
		    "for=\"f-au\">%s</label><input type=\"date\" id=\"f-au\" name=\"au\" "
		    "value=\"%s\"></div><button type=\"submit\" class=\"button\">%s</button>"
		    "</form>\n",
		    t.ext_id, TR(req, "Du"), from, TR(req, "Au"), to, TR(req, "Afficher"));

	overlap_rate(req, o, &ov.result);
	overlap_matrix(req, o, &ov);
	overlap_pairs(req, o, db, &ov);
	view_end(req, resp);
	return PERR_OK;
}

/* ---- Who to call ---- */

/* The active corridors that match, with their entry point and delay. */
static void search_corridors(struct request *req, struct buf *o, struct db *db,
			     const struct dir_search *res)
{
	html_printf(o, "<h2>%s</h2>\n", TR(req, "Corridors de référence"));
	if (!res->n_corridors)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun corridor actif ne correspond."));
	else
		html_printf(o, "<ul class=\"results\">\n");
	for (size_t i = 0; i < res->n_corridors; i++) {
		const struct corridor *c = &res->corridors[i];
		html_printf(o,
			    "<li class=\"result\"><h3><a href=\"/corridors/%lld\">%s</a></h3>"
			    "<p>%s <strong>%s</strong> · %s %s</p>",
			    (long long)c->id, c->name, TR(req, "Point d'entrée :"), c->entry_name,
			    TR(req, "délai cible"), view_fmt_days(req, c->target_days));
		if (c->need || c->population)
			html_printf(o, "<p class=\"muted\">%s%R%s</p>",
				    view_ref_label(req, db, REF_NEED, c->need),
				    c->need && c->population ? " · " : "",
				    view_ref_label(req, db, REF_POPULATION, c->population));
		html_printf(o, "</li>\n");
	}
	if (res->n_corridors)
		html_printf(o, "</ul>\n");
}

/* The filled positions whose mandate matches, with the matching items. */
static void search_positions(struct request *req, struct buf *o, struct db *db,
			     const struct dir_search *res)
{
	html_printf(o, "<h2>%s</h2>\n", TR(req, "PAP dont le mandat correspond"));
	if (!res->n_positions)
		html_printf(o, "<p class=\"empty\">%s</p>\n<p class=\"hint\">%s</p>\n",
			    TR(req, "Aucun poste pourvu dont le mandat correspond."),
			    TR(req, "Les mandats des PAP sont décrits par population et par type "
				    "d'activité, pas par besoin : essayez aussi une population."));
	else
		html_printf(o, "<ul class=\"results\">\n");
	for (size_t i = 0; i < res->n_positions; i++) {
		const struct dir_position *p = res->positions[i].position;
		html_printf(o, "<li class=\"result\"><h3>%s</h3><p><strong>%s</strong> · %s</p>",
			    p->org_name, p->current_name,
			    view_sector_name(req, p->sector_name, p->sector_name_en));
		if (p->contact)
			html_printf(o, "<p>%s%s<strong>%s</strong></p>", TR(req, "Joindre"),
				    TR(req, " : "), p->contact);
		if (res->positions[i].n_items) {
			html_printf(o, "<ul class=\"plain\">");
			for (size_t k = 0; k < res->positions[i].n_items; k++)
				html_printf(
					o, "<li>%s × %s</li>",
					view_ref_label(req, db, REF_POPULATION,
						       res->positions[i].items[k].population),
					view_ref_label(req, db, REF_ACTIVITY_TYPE,
						       res->positions[i].items[k].activity_type));
			html_printf(o, "</ul>");
		}
		html_printf(o, "</li>\n");
	}
	if (res->n_positions)
		html_printf(o, "</ul>\n");
}

enum perr view_directory_search(struct request *req, struct response *resp)
{
	const char *title = TR(req, "Qui appeler ?");
	struct territory_ref t, *all;
	size_t n_all;
	enum perr e;
	struct db *db = view_dir_open(req, resp, title, &t, &all, &n_all, &e);
	if (!db)
		return e;
	const char *q = req_query(req, "q");
	if (q && strlen(q) > 200) {
		req->err_message = N_("La recherche compte au plus 200 caractères.");
		return PERR_INVALID;
	}
	const char *day = form_today(req);
	struct dir_search res = {0};
	if (q && *q && directory_search(db, req->arena, t.id, day, q, &res) < 0)
		return PERR_UNAVAILABLE;

	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", title, t.name);
	view_dir_tabs(req, resp, &t, 2);
	static const char *const keep[] = {"q", NULL};
	view_dir_chooser(req, resp, "/repertoire/qui-appeler", all, n_all, &t, keep);
	html_printf(o,
		    "<form method=\"get\" action=\"/repertoire/qui-appeler\" class=\"search\" "
		    "role=\"search\"><input type=\"hidden\" name=\"territoire\" value=\"%s\">"
		    "<div class=\"field\"><label for=\"f-q\">%s</label><p class=\"hint\" "
		    "id=\"h-q\">%s</p><input type=\"search\" id=\"f-q\" name=\"q\" value=\"%s\" "
		    "aria-describedby=\"h-q\"></div><button type=\"submit\" class=\"button "
		    "primary\">%s</button></form>\n",
		    t.ext_id, TR(req, "Besoin ou population"),
		    TR(req, "Un ou plusieurs mots (logement, immigrante enceinte…) ou un code "
			    "de la liste (familles_0_5, alimentation…)."),
		    q ? q : "", TR(req, "Chercher"));

	/* Browse by population. */
	struct ref_item *pops;
	size_t npops;
	if (refdata_list(db, req->arena, REF_POPULATION, 0, &pops, &npops) == 0 && npops) {
		html_printf(o, "<p class=\"browse\">%s ", TR(req, "Par population :"));
		for (size_t i = 0; i < npops; i++)
			html_printf(o,
				    "<a class=\"tag\" href=\"/repertoire/qui-appeler?territoire=%U"
				    "&amp;q=%U\">%s</a> ",
				    t.ext_id, pops[i].code, ref_item_label(req, &pops[i]));
		html_printf(o, "</p>\n");
	}
	if (!q || !*q) {
		view_end(req, resp);
		return PERR_OK;
	}
	html_printf(o, "<section aria-live=\"polite\">");
	if (res.n_words > FOLD_MAX_WORDS)
		html_printf(o, "<p class=\"notice\">%s</p>\n",
			    TR(req, "Seuls les huit premiers mots ont été cherchés."));
	search_corridors(req, o, db, &res);
	search_positions(req, o, db, &res);
	html_printf(o, "</section>\n");
	view_end(req, resp);
	return PERR_OK;
}
