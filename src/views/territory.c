/* The committee maintains its territory (model/committee.h):
 *   GET      /territoire                  the portrait's series, the positions
 *   POST     /territoire/portrait         add a value to the portrait
 *   GET/POST /territoire/postes/nouveau   open a position on the territory
 *   GET/POST /territoire/postes/:id       its contact and mandate
 * For the committee of the territory only; anyone else: 404. */
#include "views/territory.h"

#include <stdio.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/position.h"
#include "model/refdata.h"
#include "model/committee.h"
#include "views/form.h"
#include "views/page.h"
#include "views/widgets.h"

#define ITEM_ROWS 4

/* "6,01" in French, "6.01" in English: the value as entered, with the
 * fewest decimals that read back exactly (jsonw_decimals_exact, as every
 * other output writes a figure). */
static const char *decimal_text(struct request *req, double v)
{
	double r;
	int d = jsonw_decimals_exact(v, &r);
	char *s = arena_printf(req->arena, "%.*f", d, r);
	if (strcmp(req->lang, "en") != 0)
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ',';
	return s;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "—";
}

/* This thread's connection, for a committee with a territory (else 404). */
static struct db *committee_db(struct request *req, enum perr *e)
{
	const struct actor *a = req->actor;
	return view_open_db(a && a->role == ROLE_COMITE && a->territory_id, e);
}

static struct ref_item *choice_items(struct request *req, const struct committee_choice *c,
				     size_t n)
{
	struct ref_item *it = arena_calloc(req->arena, n ? n : 1, sizeof(*it));
	for (size_t i = 0; i < n; i++)
		it[i] = (struct ref_item){arena_printf(req->arena, "%lld", (long long)c[i].id),
					  c[i].name, c[i].name, false};
	return it;
}

static void portrait_table(struct request *req, struct buf *o, const struct portrait_value *v,
			   size_t n)
{
	if (!n) {
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune valeur au portrait de ce territoire."));
		return;
	}
	html_printf(o,
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
		    "<table class=\"data\"><thead><tr><th scope=\"col\">"
		    "%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">"
		    "%s</th><th scope=\"col\">%s</th></tr></thead><tbody>\n",
		    TR(req, "Portrait du territoire"), TR(req, "Indicateur"), TR(req, "Territoire"),
		    TR(req, "Période"), TR(req, "Valeur"), TR(req, "Source"));
	for (size_t i = 0; i < n; i++) {
		const struct portrait_value *p = &v[i];
		html_printf(
			o,
			"<tr><th scope=\"row\">%s<br><span class=\"hint\">%s</span></th>"
			"<td>%s</td><td>%s – %s</td><td class=\"num\">%s %s</td><td>%s</td></tr>\n",
			or_dash(portrait_label(p->label, p->label_en, req->lang)), p->indicator,
			p->territory_name, or_dash(p->period_start), or_dash(p->period_end),
			decimal_text(req, p->value), p->unit ? p->unit : "", or_dash(p->source));
	}
	html_printf(o, "</tbody></table></div>\n");
}

static const char *posted(struct request *req, bool is_post, const char *name)
{
	return is_post ? req_form(req, name) : NULL;
}

static void portrait_form(struct request *req, struct response *resp,
			  const struct committee_choice *terrs, size_t nt,
			  const struct validation *v, bool is_post)
{
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	html_printf(o, "<h3>%s</h3>\n", TR(req, "Ajouter une valeur au portrait"));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"/territoire/portrait\" class=\"stack\" "
		       "novalidate>\n");
	form_csrf_field(req, resp);
	fw_select(&f, "territory", TR(req, "Territoire"), choice_items(req, terrs, nt), nt,
		  is_post ? req_form(req, "territory")
			  : (nt ? arena_printf(req->arena, "%lld", (long long)terrs[0].id) : NULL),
		  TR(req, "— Choisir —"));
	fw_input(&f, "text", "indicator", TR(req, "Code de l'indicateur"),
		 posted(req, is_post, "indicator"),
		 TR(req, "Le même code pour chaque période d'une série (ex. taux_faible_revenu)."));
	fw_input(&f, "text", "label", TR(req, "Libellé"), posted(req, is_post, "label"), NULL);
	fw_input(&f, "text", "label_en", TR(req, "Libellé en anglais"),
		 posted(req, is_post, "label_en"),
		 TR(req, "Affiché quand la page est lue en anglais (facultatif)."));
	fw_input(&f, "text", "value", TR(req, "Valeur"), posted(req, is_post, "value"),
		 TR(req, "Telle qu'inscrite dans la source : 6,01 reste 6,01."));
	fw_input(&f, "text", "unit", TR(req, "Unité"), posted(req, is_post, "unit"), NULL);
	fw_input(&f, "date", "period_start", TR(req, "Début de la période"),
		 posted(req, is_post, "period_start"), NULL);
	fw_input(&f, "date", "period_end", TR(req, "Fin de la période"),
		 posted(req, is_post, "period_end"), NULL);
	fw_input(&f, "text", "source", TR(req, "Source"), posted(req, is_post, "source"),
		 TR(req, "Ex. Recensement 2021, Statistique Canada."));
	form_submit_bar(req, o, TR(req, "Ajouter la valeur"), NULL);
}

static const char *components_text(struct request *req, const struct strlist *c)
{
	if (!c->n)
		return "—";
	struct buf b = BUF_INIT(512);
	for (size_t i = 0; i < c->n; i++) {
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, c->v[i]);
	}
	const char *s = arena_strdup(req->arena, b.data);
	buf_free(&b);
	return s;
}

static void positions_list(struct request *req, struct buf *o, const struct position *v, size_t n)
{
	html_printf(o,
		    "<p class=\"actions\"><a class=\"button primary\" "
		    "href=\"/territoire/postes/nouveau\">%s</a></p>\n",
		    TR(req, "+ Ouvrir un poste"));
	if (!n) {
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun poste sur ce territoire."));
		return;
	}
	html_printf(o, "<ul class=\"families\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct position *p = &v[i];
		const struct holder_period *h = position_current(p);
		html_printf(o,
			    "<li class=\"family\"><a href=\"/territoire/postes/%lld\"><strong>%s — "
			    "%s</strong></a><span>%s %s%s%s</span><span>%s%s%s · %zu %s</span>",
			    (long long)p->id, p->organisation_name, p->territory_name,
			    TR(req, "Ouvert le"), p->start, p->end ? TR(req, ", fermé le ") : "",
			    p->end ? p->end : "", TR(req, "Composantes"), TR(req, " : "),
			    components_text(req, &p->components), p->n_items,
			    TR(req, "élément(s) de mandat"));
		html_printf(o, "<span>%s</span></li>\n",
			    h ? h->person_name : TR(req, "Poste vacant"));
	}
	html_printf(o, "</ul>\n");
}

static enum perr hub_page(struct request *req, struct response *resp, struct db *db,
			  const struct validation *v, bool is_post)
{
	struct committee_choice *terrs, *orgs;
	size_t nt, no, np, npos;
	struct portrait_value *pv;
	struct position *pos;
	if (committee_choices(db, req->arena, req->actor, &terrs, &nt, &orgs, &no) < 0 ||
	    committee_portrait(db, req->arena, req->actor, &pv, &np) < 0 ||
	    position_list_territory(db, req->arena, req->actor, &pos, &npos) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	const char *title = TR(req, "Portrait et postes du territoire");
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s — %s</h1>\n<p class=\"lead\">%s</p>\n", title,
		    nt ? terrs[0].name : "",
		    TR(req, "Le comité tient le portrait sociosanitaire "
			    "de son territoire et le répertoire de ses "
			    "postes et mandats."));
	const char *ok = req_query(req, "ok");
	if (ok)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    strcmp(ok, "portrait") == 0 ? TR(req, "Valeur ajoutée au portrait.")
							: TR(req, "Poste enregistré."));
	html_printf(o, "<section class=\"panel\" id=\"portrait\"><h2>%s</h2>\n",
		    TR(req, "Portrait sociosanitaire"));
	portrait_table(req, o, pv, np);
	portrait_form(req, resp, terrs, nt, v, is_post);
	html_printf(o, "</section>\n<section class=\"panel\" id=\"postes\"><h2>%s</h2>\n",
		    TR(req, "Postes et mandats"));
	positions_list(req, o, pos, npos);
	html_printf(o, "</section>\n");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_territory(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = committee_db(req, &e);
	return db ? hub_page(req, resp, db, NULL, false) : e;
}

/* Draws the hub again with the errors of the posted portrait value
 * (view_form_posted; form: its validation). */
static enum perr draw_hub(struct request *req, struct response *resp, void *form)
{
	enum perr e;
	struct db *db = committee_db(req, &e);
	return db ? hub_page(req, resp, db, form, true) : e;
}

enum perr view_territory_portrait_add(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = committee_db(req, &e);
	if (!db)
		return e;
	struct portrait_value p = {
		.indicator = form_trimmed(req, "indicator"),
		.label = form_trimmed(req, "label"),
		.label_en = form_trimmed(req, "label_en"),
		.value_text = form_trimmed(req, "value"),
		.unit = form_trimmed(req, "unit"),
		.period_start = form_trimmed(req, "period_start"),
		.period_end = form_trimmed(req, "period_end"),
		.source = form_trimmed(req, "source"),
	};
	if (parse_i64(req_form(req, "territory"), 1, INT64_MAX, &p.territory_id) < 0)
		p.territory_id = 0;
	struct validation *v = arena_calloc(req->arena, 1, sizeof(*v));
	view_form_posted(req, draw_hub, v);
	int r = committee_portrait_add(db, req->arena, req->actor, &p, v);
	if (r != 0)
		return r > 0 ? PERR_UNPROCESSABLE : PERR_UNAVAILABLE;
	resp_redirect(resp, req->arena, "/territoire?ok=portrait#portrait");
	return PERR_OK;
}

/* ---- Positions ---- */

struct pos_form {
	struct position p;
	bool is_new, is_post;
	const struct validation *v;
};

static void mandate_fields(struct request *req, struct db *db, struct fw *f,
			   const struct pos_form *pf)
{
	struct ref_item *pops, *types, *comps;
	size_t npops = 0, ntypes = 0, ncomps = 0;
	int64_t org = pf->p.organisation_id;
	if (refdata_list(db, req->arena, REF_POPULATION, org, &pops, &npops) < 0 ||
	    refdata_list(db, req->arena, REF_ACTIVITY_TYPE, org, &types, &ntypes) < 0 ||
	    refdata_list(db, req->arena, REF_COMPONENT, org, &comps, &ncomps) < 0)
		npops = ntypes = ncomps = 0;
	struct strlist sel = pf->p.components;
	if (pf->is_post)
		form_values(req, "components", &sel);
	fw_checks(f, "components", TR(req, "Composantes du mandat"), comps, ncomps, &sel);
	html_printf(f->out,
		    "<fieldset class=\"group\" id=\"f-mandate-items\"><legend>%s</legend>\n",
		    TR(req, "Mandat : populations et types d'activité"));
	fw_error_text(f, "mandate.items");
	size_t rows = pf->p.n_items + ITEM_ROWS;
	for (size_t i = 0; i < rows; i++) {
		const char *pn = arena_printf(req->arena, "item%zu.population", i);
		const char *an = arena_printf(req->arena, "item%zu.activity", i);
		bool has = i < pf->p.n_items;
		html_printf(f->out, "<div class=\"cols\">\n");
		fw_select(f, pn, TR(req, "Population"), pops, npops,
			  pf->is_post ? req_form(req, pn)
			  : has       ? pf->p.items[i].population
				      : NULL,
			  "—");
		fw_select(f, an, TR(req, "Type d'activité"), types, ntypes,
			  pf->is_post ? req_form(req, an)
			  : has       ? pf->p.items[i].activity
				      : NULL,
			  "—");
		html_printf(f->out, "</div>\n");
	}
	html_printf(f->out, "</fieldset>\n");
}

static enum perr position_page(struct request *req, struct response *resp, struct db *db,
			       const struct pos_form *pf)
{
	struct committee_choice *terrs, *orgs;
	size_t nt, no;
	if (committee_choices(db, req->arena, req->actor, &terrs, &nt, &orgs, &no) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = pf->v};
	const char *title = pf->is_new
				    ? TR(req, "Ouvrir un poste sur le territoire")
				    : arena_printf(req->arena, "%s — %s", pf->p.organisation_name,
						   pf->p.territory_name);
	view_begin(req, resp, title);
	html_printf(
		o, "<p class=\"crumbs\"><a href=\"/territoire#postes\">← %s</a></p>\n<h1>%s</h1>\n",
		TR(req, "Portrait et postes du territoire"), title);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"%s\" class=\"stack\" novalidate>\n",
		    req->path);
	form_csrf_field(req, resp);
	if (pf->is_new) {
		fw_select(&f, "organisation", TR(req, "Organisation"), choice_items(req, orgs, no),
			  no, posted(req, pf->is_post, "organisation"), TR(req, "— Choisir —"));
		fw_select(&f, "territory", TR(req, "Territoire"), choice_items(req, terrs, nt), nt,
			  posted(req, pf->is_post, "territory"), TR(req, "— Choisir —"));
		fw_input(&f, "date", "start", TR(req, "Date d'ouverture"),
			 pf->is_post ? req_form(req, "start") : form_today(req), NULL);
	} else {
		const struct holder_period *h = position_current(&pf->p);
		html_printf(o, "<p class=\"hint\">%s %s%s%s · %s</p>\n", TR(req, "Ouvert le"),
			    pf->p.start, pf->p.end ? TR(req, ", fermé le ") : "",
			    pf->p.end ? pf->p.end : "",
			    h ? h->person_name : TR(req, "Poste vacant"));
	}
	fw_input(
		&f, "text", "contact", TR(req, "Contact pour les partenaires"),
		pf->is_post ? req_form(req, "contact") : pf->p.contact,
		TR(req, "Un courriel ou un téléphone professionnel, pas une adresse personnelle."));
	mandate_fields(req, db, &f, pf);
	form_submit_bar(req, o, pf->is_new ? TR(req, "Ouvrir le poste") : TR(req, "Enregistrer"),
			"/territoire#postes");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_territory_position_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = committee_db(req, &e);
	struct pos_form pf = {.is_new = true};
	return db ? position_page(req, resp, db, &pf) : e;
}

/* The posted contact and mandate over pf->p. Errors of pairs to v. */
static void read_mandate(struct request *req, struct pos_form *pf, struct validation *v)
{
	struct position *p = &pf->p;
	p->contact = form_trimmed(req, "contact");
	p->components = (struct strlist){0};
	form_values(req, "components", &p->components);
	size_t rows = p->n_items + ITEM_ROWS;
	p->items = arena_alloc(req->arena, rows * sizeof(*p->items));
	p->n_items = 0;
	for (size_t i = 0; i < rows; i++) {
		const char *pop =
			form_trimmed(req, arena_printf(req->arena, "item%zu.population", i));
		const char *act =
			form_trimmed(req, arena_printf(req->arena, "item%zu.activity", i));
		if (!pop && !act)
			continue;
		if (!pop || !act)
			validation_add(v, "mandate.items",
				       N_("Chaque élément du mandat a une population et un type "
					  "d'activité."));
		else
			p->items[p->n_items++] = (struct mandate_pair){pop, act};
	}
}

/* Draws the posted position form again (view_form_posted). */
static enum perr draw_position(struct request *req, struct response *resp, void *form)
{
	enum perr e;
	struct db *db = committee_db(req, &e);
	return db ? position_page(req, resp, db, form) : e;
}

/* A posted position form in the arena: values as typed, errors in v. */
static struct pos_form *posted_position(struct request *req, bool is_new, struct validation **v)
{
	struct pos_form *pf = arena_calloc(req->arena, 1, sizeof(*pf));
	*v = arena_calloc(req->arena, 1, sizeof(**v));
	pf->is_new = is_new;
	pf->is_post = true;
	pf->v = *v;
	return pf;
}

/* Ends a position write (model: 0 done, 1 refused, -1 error): a redirect,
 * or the error that draws the form again. */
static enum perr finish(struct request *req, struct response *resp, int r)
{
	if (r != 0)
		return r > 0 ? PERR_UNPROCESSABLE : PERR_UNAVAILABLE;
	resp_redirect(resp, req->arena, "/territoire?ok=poste#postes");
	return PERR_OK;
}

enum perr view_territory_position_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = committee_db(req, &e);
	if (!db)
		return e;
	struct validation *v;
	struct pos_form *pf = posted_position(req, true, &v);
	if (parse_i64(req_form(req, "organisation"), 1, INT64_MAX, &pf->p.organisation_id) < 0)
		pf->p.organisation_id = 0;
	if (parse_i64(req_form(req, "territory"), 1, INT64_MAX, &pf->p.territory_id) < 0)
		pf->p.territory_id = 0;
	pf->p.start = form_trimmed(req, "start");
	read_mandate(req, pf, v);
	view_form_posted(req, draw_position, pf);
	int r = v->n ? 1 : position_create(db, req->arena, req->actor, &pf->p, v);
	return finish(req, resp, r);
}

/* The position of the route, as the committee may see it (else 404). */
static enum perr load_position(struct request *req, struct db *db, struct pos_form *pf)
{
	int64_t id = view_param_id(req);
	if (!id)
		return PERR_NOT_FOUND;
	int r = position_get_on_territory(db, req->arena, req->actor, id, &pf->p);
	return perr_found(r);
}

enum perr view_territory_position(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = committee_db(req, &e);
	struct pos_form pf = {0};
	if (db)
		e = load_position(req, db, &pf);
	return db && e == PERR_OK ? position_page(req, resp, db, &pf) : e;
}

enum perr view_territory_position_update(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = committee_db(req, &e);
	if (!db)
		return e;
	struct validation *v;
	struct pos_form *pf = posted_position(req, false, &v);
	if ((e = load_position(req, db, pf)) != PERR_OK)
		return e;
	read_mandate(req, pf, v);
	view_form_posted(req, draw_position, pf);
	int r = v->n ? 1 : position_update_mandate(db, req->actor, &pf->p, v);
	return finish(req, resp, r);
}
