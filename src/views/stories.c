/* Stories (récits), "le sens":
 *   GET      /recits                 mine (PAP), my team's (manager), my
 *                                    territory's (comité), selected (analyst)
 *   GET/POST /recits/nouveau         write one (?activite=ID prefills it)
 *   GET      /recits/selection       Most Significant Change: a period's
 *                                    stories, to select with a reason
 *   GET      /recits/:id             one story
 *   GET/POST /recits/:id/modifier    edit (author, manager)
 *   POST     /recits/:id/selection   select at the reader's level (reason
 *                                    required) or withdraw
 * What each role sees is the model's (model/story.h); anything not visible
 * is a 404. */
#include "views/stories.h"

#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/family.h"
#include "model/journal_week.h"
#include "model/story.h"
#include "http/offline.h"
#include "views/entry.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/pager.h"
#include "views/reflabel.h"
#include "views/widgets.h"
#include "views/replay.h"
#include "views/view.h"

/* An id from the form: 0 when empty, -1 when not an id. */
static int64_t form_id(struct request *req, const char *name)
{
	const char *s = form_trimmed(req, name);
	int64_t id;
	if (!s)
		return 0;
	return parse_i64(s, 1, INT64_MAX, &id) == 0 ? id : -1;
}

static bool writes_stories(const struct actor *a)
{
	return actor_keeps_journal(a);
}

static bool selects_stories(const struct actor *a)
{
	return story_level_of(a) != STORY_LEVEL_NONE;
}

/* "Selected by" for a level, as a person reads it. */
static const char *chosen_by(struct request *req, enum story_level l)
{
	return TR(req, story_level_chosen_by(l));
}

/* Each level's choice of s with its reason, as <div><dt>…</dt><dd>…</dd></div>. */
static void write_choices(struct request *req, struct buf *o, const struct story *s)
{
	for (enum story_level l = STORY_LEVEL_ORGANISATION; l <= STORY_LEVELS; l++) {
		const struct story_choice *c = story_choice_of(s, l);
		if (c->selected)
			html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", chosen_by(req, l),
				    c->reason && *c->reason ? c->reason : "—");
	}
}

/* Writes the tags of s as chips. */
static void write_tags(struct request *req, struct buf *o, const struct view_refs *r,
		       const struct story *s)
{
	const struct {
		const struct strlist *l;
		const struct ref_item *items;
		size_t n;
	} parts[] = {
		{&s->strategies, r->strategies, r->nstrategies},
		{&s->outcomes, r->outcomes, r->noutcomes},
		{&s->needs, r->needs, r->nneeds},
		{&s->components, r->components, r->ncomponents},
	};
	html_printf(o, "<p class=\"entry-tags\">");
	for (size_t k = 0; k < ARRAY_LEN(parts); k++)
		for (size_t i = 0; i < parts[k].l->n; i++)
			html_printf(o, "<span class=\"tag\">%s</span> ",
				    ref_lookup(req, parts[k].items, parts[k].n, parts[k].l->v[i]));
	html_printf(o, "</p>\n");
}

/* The text of s, or why it is not shown. */
static void write_text(struct request *req, struct buf *o, const struct story *s, bool excerpt)
{
	if (!s->text) {
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Texte non affiché : ce récit n'a pas le consentement à être "
				    "cité."));
		return;
	}
	if (!*s->text) { /* erased by retention (model/retention.h) */
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req,
			       "Texte effacé à la fin de la période de conservation du dossier "
			       "de la famille."));
		return;
	}
	html_printf(o, "<p class=\"%s\">%s</p>\n", excerpt ? "entry-note" : "story-text", s->text);
}

/* One story as an <li>; left open when more goes in it. */
static void write_entry(struct request *req, struct buf *o, const struct view_refs *r,
			const struct story *s, bool leave_open)
{
	html_printf(o,
		    "<li class=\"entry\" id=\"r-%lld\"><p class=\"entry-head\"><a "
		    "href=\"/recits/%lld\">%s</a>",
		    (long long)s->id, (long long)s->id, fmt_date_medium(req, s->date));
	for (enum story_level l = STORY_LEVEL_ORGANISATION; l <= STORY_LEVELS; l++)
		if (story_choice_of(s, l)->selected)
			html_printf(o, " <span class=\"tag\">%s</span>", chosen_by(req, l));
	html_printf(o, "</p>\n");
	write_tags(req, o, r, s);
	write_text(req, o, s, true);
	if (s->full && !s->quotable)
		html_printf(o, "<p class=\"entry-author\">%s</p>\n", TR(req, "Non citable"));
	if (!leave_open)
		html_printf(o, "</li>\n");
}

/* The period of a list page: ?du= and ?au= (YYYY-MM-DD), by default the
 * last 90 days up to today. */
static void period(struct request *req, const char **from, const char **to)
{
	struct pdate d;
	const char *f = req_query(req, "du"), *t = req_query(req, "au");
	char *today = arena_alloc(req->arena, 11);
	journal_today(today);
	*to = t && ptime_parse_date(t, &d) == 0 ? t : today;
	if (f && ptime_parse_date(f, &d) == 0) {
		*from = f;
	} else {
		struct pdate e;
		ptime_parse_date(*to, &e);
		struct pdate b = ptime_civil_from_days(ptime_days_from_civil(&e) - 89);
		char *s = arena_alloc(req->arena, 11);
		ptime_format_date(&b, s);
		*from = s;
	}
}

#define STORY_PAGE 20 /* stories per page of /recits */

/* The search form of /recits (works without JavaScript: a GET). */
static void search_form(struct request *req, struct buf *o, const char *q)
{
	html_printf(o,
		    "<form method=\"get\" action=\"/recits\" class=\"search\" role=\"search\">"
		    "<div class=\"field\"><label for=\"f-q\">%s</label><p class=\"hint\" "
		    "id=\"h-q\">%s</p><input type=\"search\" id=\"f-q\" name=\"q\" "
		    "value=\"%s\" aria-describedby=\"h-q\" maxlength=\"200\"></div>"
		    "<button type=\"submit\" class=\"button\">%s</button></form>\n",
		    TR(req, "Chercher dans les récits"),
		    TR(req, "Des mots du texte, avec ou sans accents. Seuls les textes que vous "
			    "pouvez lire sont cherchés."),
		    q ? q : "", TR(req, "Chercher"));
}

/* The title of /recits for the reader's role. */
static const char *list_title(struct request *req)
{
	switch (req->actor->role) {
	case ROLE_PAP: return TR(req, "Mes récits");
	case ROLE_GESTIONNAIRE: return TR(req, "Récits de l'équipe");
	case ROLE_COMITE: return TR(req, "Récits du territoire");
	case ROLE_ANALYSTE: return TR(req, "Récits retenus");
	default: return TR(req, "Récits");
	}
}

/* Reads the page of stories the query asks for (a page past the end shows
 * the last one). 0 or -1. */
static int load_page(struct request *req, struct db *db, struct story_filter *f,
		     struct view_pager *p, struct story **v, size_t *n)
{
	p->page = view_pager_requested(req, p->param);
	for (int pass = 0; pass < 2; pass++) {
		f->offset = view_pager_offset(p);
		if (story_list(db, req->arena, req->actor, f, v, n, &p->total) < 0)
			return -1;
		if (p->page <= 1 || p->page <= view_pager_pages(p))
			break;
		p->page = view_pager_pages(p) ? view_pager_pages(p) : 1;
	}
	return 0;
}

/* The "write" and "select" buttons of /recits, for who may. */
static void list_actions(struct request *req, struct buf *o)
{
	const struct actor *a = req->actor;
	if (!writes_stories(a) && !selects_stories(a))
		return;
	html_printf(o, "<p class=\"actions\">");
	if (writes_stories(a))
		html_printf(o, "<a class=\"button primary\" href=\"/recits/nouveau\">%s</a>",
			    TR(req, "+ Écrire un récit"));
	if (selects_stories(a))
		html_printf(o, "<a class=\"button\" href=\"/recits/selection\">%s</a>",
			    TR(req, "Sélection des récits significatifs"));
	html_printf(o, "</p>\n");
}

enum perr view_stories(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	const char *title = list_title(req), *q = req_query(req, "q");
	static const char *const keep[] = {"q"};
	struct view_pager pager = {.path = "/recits",
				   .param = "page",
				   .keep = keep,
				   .nkeep = ARRAY_LEN(keep),
				   .per_page = STORY_PAGE};
	struct story_filter f = {.q = q, .limit = STORY_PAGE};
	struct story *v;
	size_t n;
	struct view_refs r;
	if (load_page(req, db, &f, &pager, &v, &n) < 0 ||
	    view_refs_load(db, req->arena, req->actor->organisation_id, &r) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", title,
		    TR(req, "Le sens à côté de la mesure : de courts récits de ce qui a changé, "
			    "sans nom."));
	const char *ok = req_query(req, "ok");
	if (ok && strcmp(ok, "cree") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Récit enregistré."));
	list_actions(req, o);
	search_form(req, o, q);
	if (!n && q && *q)
		html_printf(o, "<p class=\"empty\" role=\"status\">%s</p>\n",
			    TR(req, "Aucun récit que vous pouvez lire ne contient ces mots."));
	else if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucun récit."));
	else
		html_printf(o, "<ol class=\"entries\">\n");
	for (size_t i = 0; i < n; i++)
		write_entry(req, o, &r, &v[i], false);
	if (n)
		html_printf(o, "</ol>\n");
	view_pager_write(req, o, &pager);
	view_end(req, resp);
	return PERR_OK;
}

/* The story form being shown. */
struct story_form {
	struct story s;
	struct validation v;
	bool raw; /* show the posted values */
};

static const char *raw_or(struct request *req, const struct story_form *sf, const char *name,
			  const char *v)
{
	if (sf->raw) {
		const char *s = req_form(req, name);
		return s ? s : "";
	}
	return v ? v : "";
}

static const char *id_str(struct request *req, int64_t id)
{
	return id ? arena_printf(req->arena, "%lld", (long long)id) : NULL;
}

static enum perr render_form(struct request *req, struct response *resp, struct db *db,
			     struct story_form *sf)
{
	struct view_refs r;
	if (view_refs_load(db, req->arena, req->actor->organisation_id, &r) < 0)
		return PERR_UNAVAILABLE;
	struct arena *ar = req->arena;
	struct story *s = &sf->s;
	struct fw f = {.req = req, .out = &resp->body, .v = &sf->v};
	struct buf *o = &resp->body;
	const char *title = s->id ? TR(req, "Modifier le récit") : TR(req, "Écrire un récit");
	const char *action = s->id ? arena_printf(ar, "/recits/%lld/modifier", (long long)s->id)
				   : "/recits/nouveau";
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/recits\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Récits"), title);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o,
		    "<form method=\"post\" action=\"%s\" class=\"activity-form\"%R novalidate>\n",
		    action, s->id ? "" : " data-outbox=\"story\"");
	form_csrf_field(req, resp);
	if (s->activity_id)
		html_printf(o,
			    "<input type=\"hidden\" name=\"activity\" value=\"%lld\">"
			    "<p class=\"hint\">%s <a href=\"/journal/%lld/modifier\">%s</a></p>\n",
			    (long long)s->activity_id, TR(req, "Lié à une activité du journal."),
			    (long long)s->activity_id, TR(req, "Voir l'activité"));
	fw_error_text(&f, "activity");
	fw_input(&f, "date", "date", TR(req, "Date"), raw_or(req, sf, "date", s->date), NULL);
	html_printf(o,
		    "<div class=\"field\"><label for=\"f-text\">%s</label>"
		    "<p class=\"hint\" id=\"h-f-text\">%s</p>\n",
		    TR(req, "Le récit"),
		    TR(req, "Ce qui s'est passé et ce qui a changé, dans vos mots. Aucun nom, "
			    "aucune coordonnée, aucun détail qui permette de reconnaître la "
			    "personne."));
	fw_error_text(&f, "text");
	html_printf(o, "<textarea id=\"f-text\" name=\"text\" rows=\"8\" maxlength=\"10000\"");
	fw_invalid_attrs(&f, "text");
	html_printf(o, ">%s</textarea></div>\n", raw_or(req, sf, "text", s->text));

	fw_checks(&f, "strategies", TR(req, "Stratégies"), r.strategies, r.nstrategies,
		  &s->strategies);
	fw_checks(&f, "outcomes", TR(req, "Retombées"), r.outcomes, r.noutcomes, &s->outcomes);
	fw_checks(&f, "needs", TR(req, "Besoins"), r.needs, r.nneeds, &s->needs);
	fw_checks(&f, "components", TR(req, "Composantes"), r.components, r.ncomponents,
		  &s->components);

	struct family *fams;
	size_t nf;
	if (family_list(db, ar, req->actor, &fams, &nf) < 0)
		return PERR_UNAVAILABLE;
	struct ref_item *it = arena_calloc(ar, nf ? nf : 1, sizeof(*it));
	for (size_t i = 0; i < nf; i++) {
		it[i].code = id_str(req, fams[i].id);
		it[i].label_fr = it[i].label_en = fams[i].code;
	}
	fw_select(&f, "family", TR(req, "Famille suivie (facultatif, code seulement)"), it, nf,
		  sf->raw ? req_form(req, "family") : id_str(req, s->family_id),
		  TR(req, "— Aucune —"));

	struct journal_named *ts;
	size_t nt;
	if (journal_territories(db, ar, req->actor->organisation_id, req->actor->territory_id, &ts,
				&nt) < 0)
		return PERR_UNAVAILABLE;
	struct ref_item *ti = arena_calloc(ar, nt ? nt : 1, sizeof(*ti));
	for (size_t i = 0; i < nt; i++) {
		ti[i].code = id_str(req, ts[i].id);
		ti[i].label_fr = ti[i].label_en = ts[i].name;
	}
	fw_select(&f, "territory", TR(req, "Territoire"), ti, nt,
		  sf->raw ? req_form(req, "territory") : id_str(req, s->territory_id),
		  TR(req, "— Celui de l'activité ou le vôtre —"));

	html_printf(o, "<fieldset class=\"group\" id=\"f-consent-quote\"><legend>%s</legend>\n",
		    TR(req, "Citation"));
	fw_error_text(&f, "consent_quote");
	html_printf(o,
		    "<label class=\"check\"><input type=\"checkbox\" name=\"consent_quote\" "
		    "value=\"1\"%R> %s</label><p class=\"hint\">%s</p></fieldset>\n",
		    s->consent_quote ? " checked" : "",
		    TR(req, "Ce récit peut être cité (sans nom) dans les rapports"),
		    TR(req, "Pour un récit lié à une famille, il faut que la famille ait consenti "
			    "à la citation. Sans ce consentement, le comité ne voit que les "
			    "thèmes du récit, jamais son texte."));
	form_submit_bar(req, o, TR(req, "Enregistrer"), "/recits");
	view_end(req, resp);
	return PERR_OK;
}

/* Reads the posted form over sf->s. */
static void parse_form(struct request *req, struct story_form *sf)
{
	struct story *s = &sf->s;
	s->date = form_trimmed(req, "date");
	s->text = form_trimmed(req, "text");
	form_values(req, "strategies", &s->strategies);
	form_values(req, "outcomes", &s->outcomes);
	form_values(req, "needs", &s->needs);
	form_values(req, "components", &s->components);
	s->consent_quote = req_form(req, "consent_quote") != NULL;
	int64_t id = form_id(req, "activity");
	if (id < 0)
		validation_add(&sf->v, "activity", N_("Cette activité n'existe pas."));
	else if (!s->id)
		s->activity_id = id;
	if ((id = form_id(req, "family")) < 0)
		validation_add(&sf->v, "family", N_("Cette famille n'existe pas."));
	else
		s->family_id = id;
	if ((id = form_id(req, "territory")) < 0)
		validation_add(&sf->v, "territory", N_("Ce territoire n'existe pas."));
	else
		s->territory_id = id;
}

/* Validates and saves sf->s (replacing old, or NULL) in the caller's
 * transaction: 1 form errors (nothing written), 0 saved, -1 error. */
static int validate_save(struct request *req, struct db *db, struct story_form *sf,
			 const struct story *old)
{
	int r = story_validate(db, req->actor, &sf->s, old, &sf->v);
	if (sf->v.n)
		return 1;
	return r < 0 || story_save(db, req->arena, &sf->s) < 0 ? -1 : 0;
}

/* Draws the posted story form again, with what was typed
 * (view_form_posted). */
static enum perr draw_posted(struct request *req, struct response *resp, void *form)
{
	struct story_form *sf = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	sf->raw = true;
	return render_form(req, resp, db, sf);
}

/* Validates and saves sf->s (sf: arena memory; replacing old, or NULL) in
 * the request's write unit and answers: refused input and a failed write
 * show the form again with the posted values (view_form_posted); a save
 * logs event and goes to the story's page with the notice ok (a static
 * code). */
static enum perr save_and_answer(struct request *req, struct response *resp, struct db *db,
				 struct story_form *sf, const struct story *old, const char *event,
				 const char *ok)
{
	view_form_posted(req, draw_posted, sf);
	int r = validate_save(req, db, sf, old);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_UNPROCESSABLE;
	log_info(event, "story=%lld by=%lld", (long long)sf->s.id,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/recits/%lld?ok=%s", (long long)sf->s.id, ok));
	return PERR_OK;
}

enum perr view_story_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, writes_stories(req->actor),
					  TR(req, "Écrire un récit"), &e);
	if (!db)
		return e;
	offline_keep(req, resp);
	struct story_form sf = {0};
	char *today = arena_alloc(req->arena, 11);
	journal_today(today);
	sf.s.date = today;
	sf.s.author_id = req->actor->person_id;
	/* From an activity: its date, territory, tags and first family. */
	int64_t aid;
	struct activity a;
	if (parse_i64(req_query(req, "activite"), 1, INT64_MAX, &aid) == 0 &&
	    activity_get(db, req->arena, req->actor, aid, &a) == 0) {
		sf.s.activity_id = a.id;
		sf.s.date = a.date;
		sf.s.territory_id = a.territory_id;
		sf.s.strategies = a.strategies;
		sf.s.outcomes = a.outcomes;
		sf.s.needs = a.needs;
		sf.s.components = a.components;
		if (a.family_ids.n)
			sf.s.family_id = a.family_ids.v[0];
	}
	return render_form(req, resp, db, &sf);
}

enum perr view_story_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(writes_stories(req->actor), &e);
	if (!db)
		return e;
	struct story_form *sf = arena_calloc(req->arena, 1, sizeof(*sf));
	sf->s.author_id = req->actor->person_id;
	parse_form(req, sf);
	return save_and_answer(req, resp, db, sf, NULL, "story.create", "cree");
}

enum perr story_replay_new(struct request *req, struct db *db, struct replay *rp)
{
	if (!writes_stories(req->actor))
		return PERR_NOT_FOUND;
	struct story_form sf = {0};
	sf.s.author_id = req->actor->person_id;
	parse_form(req, &sf);
	sf.s.ext_id = rp->key;
	int r = validate_save(req, db, &sf, NULL);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0) {
		rp->v = sf.v;
		return PERR_OK;
	}
	log_info("story.sync", "story=%lld by=%lld", (long long)sf.s.id,
		 (long long)req->actor->person_id);
	rp->ext_id = sf.s.ext_id;
	rp->location = arena_printf(req->arena, "/recits/%lld?ok=cree", (long long)sf.s.id);
	return PERR_OK;
}

/* The story of the route's :id that the actor may see, or a 404. */
static enum perr load(struct request *req, struct db *db, struct story *s)
{
	int64_t id = view_param_id(req);
	if (!id)
		return PERR_NOT_FOUND;
	return perr_found(story_get(db, req->arena, req->actor, id, s));
}

/* An error of the selection's field name, as a paragraph. */
static void field_error(struct buf *o, struct fw *f, const char *name)
{
	if (fw_error(f, name))
		html_printf(o, "<p class=\"field-error\" role=\"alert\">%s</p>\n",
			    fw_error(f, name));
}

/* The selection form of s at the reader's level: select with a reason,
 * or withdraw (with an optional reason); a story whose text the reader
 * cannot read says why it cannot be selected. */
static void select_form(struct request *req, struct response *resp, const struct story *s,
			const struct validation *v, const char *back)
{
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = v};
	bool held = story_choice_of(s, story_level_of(req->actor))->selected;
	if (!held && !story_text_readable(s)) {
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Vous ne pouvez pas lire le texte de ce récit : il ne peut pas "
				    "être retenu."));
		return;
	}
	html_printf(o, "<form method=\"post\" action=\"/recits/%lld/selection\" class=\"stack\">\n",
		    (long long)s->id);
	form_csrf_field(req, resp);
	if (back)
		html_printf(o, "<input type=\"hidden\" name=\"retour\" value=\"%s\">\n", back);
	field_error(o, &f, "level");
	field_error(o, &f, "text");
	const char *id = arena_printf(req->arena, "f-selection-reason-%lld", (long long)s->id);
	html_printf(o, "<label for=\"%s\">%s</label>\n", id,
		    held ? TR(req, "Pourquoi le retirer ? (facultatif)")
			 : TR(req, "Pourquoi ce récit est-il le plus significatif ?"));
	if (fw_error(&f, "selection_reason"))
		html_printf(o, "<p class=\"field-error\" id=\"e-%s\">%s</p>\n", id,
			    fw_error(&f, "selection_reason"));
	html_printf(o,
		    "<textarea id=\"%s\" name=\"selection_reason\" rows=\"3\" maxlength=\"2000\"",
		    id);
	if (fw_error(&f, "selection_reason"))
		html_printf(o, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", id);
	html_printf(o,
		    "></textarea><input type=\"hidden\" name=\"action\" value=\"%s\">"
		    "<button type=\"submit\" class=\"button%s\">%s</button></form>\n",
		    held ? "retirer" : "retenir", held ? "" : " primary",
		    held ? TR(req, "Retirer de la sélection") : TR(req, "Retenir ce récit"));
}

/* The day of an instant, for people. */
static const char *fmt_day_of(struct request *req, int64_t t)
{
	char s[26];
	ptime_format_local(t, s);
	s[10] = '\0';
	return fmt_date_medium(req, s);
}

/* The selection's history of s: when, the level, selected or withdrawn,
 * who (where the reader may know), why. */
static int write_history(struct request *req, struct buf *o, struct db *db, const struct story *s)
{
	struct story_selection_event *e;
	size_t n;
	if (story_selection_history(db, req->arena, req->actor, s, &e, &n) < 0)
		return -1;
	if (!n)
		return 0;
	html_printf(o, "<h2>%s</h2>\n<ol class=\"entries\">\n",
		    TR(req, "Historique de la sélection"));
	for (size_t i = 0; i < n; i++) {
		html_printf(o, "<li class=\"entry\"><p class=\"entry-head\">%s — %s — %s",
			    e[i].at ? fmt_day_of(req, e[i].at) : TR(req, "avant l'historique"),
			    TR(req, story_level_name(e[i].level)),
			    e[i].selected ? TR(req, "retenu") : TR(req, "retiré"));
		if (e[i].who)
			html_printf(o, " (%s)", e[i].who);
		html_printf(o, "</p>");
		if (e[i].reason && *e[i].reason)
			html_printf(o, "<p class=\"entry-note\">%s</p>", e[i].reason);
		html_printf(o, "</li>\n");
	}
	html_printf(o, "</ol>\n");
	return 0;
}

static enum perr story_page(struct request *req, struct response *resp, struct db *db,
			    const struct story *s, const struct validation *v)
{
	struct view_refs r;
	if (view_refs_load(db, req->arena, s->full ? s->author_organisation_id : 0, &r) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	const char *title = arena_printf(req->arena, "%s — %s", TR(req, "Récit"),
					 fmt_date_medium(req, s->date));
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/recits\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Récits"), title);
	const char *ok = req_query(req, "ok");
	if (ok && (strcmp(ok, "cree") == 0 || strcmp(ok, "modifie") == 0))
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Récit enregistré."));
	write_text(req, o, s, false);
	write_tags(req, o, &r, s);
	html_printf(o, "<dl class=\"facts\">\n");
	html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", TR(req, "Citation"),
		    s->quotable ? TR(req, "Citable (consentement donné)") : TR(req, "Non citable"));
	if (s->family_code)
		html_printf(o, "<div><dt>%s</dt><dd><a href=\"/familles/%lld\">%s</a></dd></div>\n",
			    TR(req, "Famille"), (long long)s->family_id, s->family_code);
	write_choices(req, o, s);
	html_printf(o, "</dl>\n");
	if (story_can_edit(req->actor, s))
		html_printf(o,
			    "<p class=\"actions\"><a class=\"button\" "
			    "href=\"/recits/%lld/modifier\">%s</a></p>\n",
			    (long long)s->id, TR(req, "Modifier"));
	if (story_can_select(db, req->actor, s)) {
		html_printf(o, "<section class=\"panel\"><h2>%s</h2>\n",
			    TR(req, "Changement le plus significatif"));
		select_form(req, resp, s, v, NULL);
		html_printf(o, "</section>\n");
	}
	if (write_history(req, o, db, s) < 0)
		return PERR_UNAVAILABLE;
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_story_show(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct story s;
	enum perr e = load(req, db, &s);
	return e != PERR_OK ? e : story_page(req, resp, db, &s, NULL);
}

enum perr view_story_edit(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct story_form sf = {0};
	enum perr e = load(req, db, &sf.s);
	if (e != PERR_OK)
		return e;
	if (!story_can_edit(req->actor, &sf.s))
		return PERR_NOT_FOUND;
	return render_form(req, resp, db, &sf);
}

enum perr view_story_update(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct story_form *sf = arena_calloc(req->arena, 1, sizeof(*sf));
	enum perr e = load(req, db, &sf->s);
	if (e != PERR_OK)
		return e;
	if (!story_can_edit(req->actor, &sf->s))
		return PERR_NOT_FOUND;
	struct story old = sf->s;
	parse_form(req, sf);
	return save_and_answer(req, resp, db, sf, &old, "story.update", "modifie");
}

/* The errors of a refused selection, shown on the story's page. */
struct posted_select {
	struct validation v;
};

/* Draws the story's page again with the selection's errors
 * (view_form_posted). */
static enum perr draw_select(struct request *req, struct response *resp, void *form)
{
	struct posted_select *ps = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct story s;
	enum perr e = load(req, db, &s);
	if (e != PERR_OK)
		return e;
	return story_page(req, resp, db, &s, &ps->v);
}

enum perr view_story_select(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	int64_t id = view_param_id(req);
	if (!id || !selects_stories(req->actor))
		return PERR_NOT_FOUND;
	const char *action = req_form(req, "action");
	bool select = !action || strcmp(action, "retirer") != 0;
	struct posted_select *ps = arena_calloc(req->arena, 1, sizeof(*ps));
	view_form_posted(req, draw_select, ps);
	int r = story_select(db, req->actor, id, select, form_trimmed(req, "selection_reason"),
			     &ps->v);
	if (r == 1)
		return PERR_NOT_FOUND;
	if (r == 2)
		return PERR_UNPROCESSABLE;
	if (r != 0)
		return PERR_UNAVAILABLE;
	const char *back = req_form(req, "retour");
	if (back && view_local_path(back))
		resp_redirect(resp, req->arena,
			      arena_printf(req->arena, "%s#r-%lld", back, (long long)id));
	else
		resp_redirect(resp, req->arena,
			      arena_printf(req->arena, "/recits/%lld", (long long)id));
	return PERR_OK;
}

enum perr view_story_selection(struct request *req, struct response *resp)
{
	const struct actor *a = req->actor;
	enum perr e;
	struct db *db = view_open_page_db(req, resp, selects_stories(a),
					  TR(req, "Sélection des récits significatifs"), &e);
	if (!db)
		return e;
	/* Each level selects from what the level below selected. */
	struct story_filter f = {.limit = 500};
	if (story_level_of(a) == STORY_LEVEL_TERRITOIRE)
		f.selected_at = STORY_LEVEL_ORGANISATION;
	period(req, &f.from, &f.to);
	struct story *v;
	size_t n;
	if (story_list(db, req->arena, a, &f, &v, &n, NULL) < 0)
		return PERR_UNAVAILABLE;
	struct view_refs r;
	if (view_refs_load(db, req->arena, a->organisation_id, &r) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	const char *title = TR(req, "Sélection des récits significatifs");
	view_begin(req, resp, title);
	html_printf(
		o,
		"<p class=\"crumbs\"><a href=\"/recits\">← %s</a></p>\n<h1>%s</h1>\n"
		"<p class=\"lead\">%s</p>\n",
		TR(req, "Récits"), title,
		story_level_of(a) == STORY_LEVEL_TERRITOIRE
			? TR(req, "Méthode du changement le plus significatif : lisez les récits "
				  "que les organisations ont retenus pour la période, retenez "
				  "ceux qui comptent le plus pour le territoire et dites "
				  "pourquoi.")
			: TR(req, "Méthode du changement le plus significatif : lisez les récits "
				  "de la période, retenez ceux qui comptent le plus et dites "
				  "pourquoi."));
	html_printf(o,
		    "<form method=\"get\" action=\"/recits/selection\" class=\"stack\">"
		    "<label for=\"f-du\">%s</label><input type=\"date\" id=\"f-du\" name=\"du\" "
		    "value=\"%s\"><label for=\"f-au\">%s</label><input type=\"date\" id=\"f-au\" "
		    "name=\"au\" value=\"%s\"><button type=\"submit\" class=\"button\">%s</button>"
		    "</form>\n",
		    TR(req, "Du"), f.from, TR(req, "Au"), f.to, TR(req, "Afficher"));
	const char *back = arena_printf(req->arena, "/recits/selection?du=%s&au=%s", f.from, f.to);
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun récit dans cette période."));
	else
		html_printf(o, "<ol class=\"entries\">\n");
	for (size_t i = 0; i < n; i++) {
		write_entry(req, o, &r, &v[i], true);
		if (v[i].selected) {
			html_printf(o, "<dl class=\"facts\">\n");
			write_choices(req, o, &v[i]);
			html_printf(o, "</dl>\n");
		}
		select_form(req, resp, &v[i], NULL, back);
		html_printf(o, "</li>\n");
	}
	if (n)
		html_printf(o, "</ol>\n");
	view_end(req, resp);
	return PERR_OK;
}
