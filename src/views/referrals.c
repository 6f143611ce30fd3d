/* The referral pages. See views/referrals.h for the routes and
 * model/referral.h for the rules (visibility, overdue, escape, loops,
 * nominative data). Badges carry words and a symbol, never colour alone. */
#include "views/referrals.h"

#include <math.h>
#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/family.h"
#include "model/corridor.h"
#include "model/indicator.h"
#include "model/referral.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/pager.h"
#include "views/widgets.h"
#include "views/view.h"

/* The label of a transfer template's field code, from the model's one list
 * (corridor_fields); a code not listed is shown as it is. */
static const char *field_label(struct request *req, const char *code)
{
	const struct corridor_field_def *d = corridor_field_find(code);
	if (!d)
		return code;
	return strcmp(req->lang, "en") == 0 ? d->label_en : d->label_fr;
}

/* "12 mars 2025, 10:00" / "Mar 12, 2025, 10:00" for an instant. */
static const char *fmt_instant(struct request *req, int64_t t)
{
	char s[26];
	ptime_format_local(t, s);
	char date[11];
	memcpy(date, s, 10);
	date[10] = '\0';
	return arena_printf(req->arena, "%s, %.5s", fmt_date_medium(req, date), s + 11);
}

static const char *fmt_days(struct request *req, double days)
{
	long tenths = lround(days * 10.0);
	/* French: "1,5 jour" (singular under 2); English: "1.0 day", "1.5 days". */
	bool one = strcmp(req->lang, "en") == 0 ? tenths == 10 : tenths < 20;
	return arena_printf(req->arena, "%s %s", fmt_tenths(req, tenths),
			    i18n_trn(req->lang, "jour", "jours", one ? 1 : 2));
}

static const char *status_text(struct request *req, enum referral_status status)
{
	return TR(req, referral_status_label(status));
}

/* The status and its badges, as words. */
static void badges(struct request *req, struct buf *o, const struct referral *r)
{
	html_printf(o, "<span class=\"tag status-%s\">%s</span>", referral_status_code(r->status),
		    status_text(req, r->status));
	if (r->overdue)
		html_printf(o, " <span class=\"tag warn overdue\">⚠ %s</span>",
			    TR(req, "En retard"));
	if (r->escaped)
		html_printf(o, " <span class=\"tag warn escaped\">⚠ %s</span>",
			    TR(req, "Échappement"));
	if (r->loop_detected)
		html_printf(o, " <span class=\"tag loop\">↺ %s</span>",
			    TR(req, "Renvoi en boucle"));
}

/* Common start of every handler: the database and an actor who may use
 * referrals (else a 404). */
static enum perr start(struct request *req, struct db **db)
{
	enum perr e;
	*db = view_open_db(referral_actor_ok(req->actor), &e);
	return *db ? PERR_OK : e;
}

/* ---- Lists ---- */

static void list_item(struct request *req, struct buf *o, const struct referral *r)
{
	html_printf(o,
		    "<li class=\"entry referral\"><a href=\"/renvois/%lld\"><strong>%s "
		    "%s</strong></a> ",
		    (long long)r->id, TR(req, "Famille"), r->family_code);
	if (r->sender_side)
		html_printf(o, "<span>→ %s %s</span> ", TR(req, "envoyée à"), r->to_name);
	else
		html_printf(o, "<span>← %s %s</span> ", TR(req, "reçue de"), r->from_name);
	html_printf(o, "<span class=\"entry-when\">%s</span> ", fmt_instant(req, r->sent_at));
	badges(req, o, r);
	html_printf(o, "</li>\n");
}

#define LIST_PAGE 20 /* referrals per page of each block of /renvois */

/* One block of /renvois: a page of referrals in one direction. */
struct list_block {
	const char *title, *empty;
	struct referral *v;
	size_t n;
	struct view_pager pager;
};

/* The query parameters the blocks' links keep. */
static const char *const list_keep[] = {"sens", "statut", "retard", "q", "pr", "pe"};

static void list_block(struct request *req, struct buf *o, const struct list_block *b)
{
	html_printf(o, "<section class=\"panel\"><h2>%s</h2>\n", b->title);
	if (b->n) {
		html_printf(o, "<ol class=\"entries\">\n");
		for (size_t i = 0; i < b->n; i++)
			list_item(req, o, &b->v[i]);
		html_printf(o, "</ol>\n");
	} else {
		html_printf(o, "<p class=\"empty\">%s</p>\n", b->empty);
	}
	view_pager_write(req, o, &b->pager);
	html_printf(o, "</section>\n");
}

/* Reads the page the query asks of the block (direction dir of filter f;
 * a page past the end shows the last one). 0 or -1. */
static int load_block(struct request *req, struct db *db, struct referral_filter f,
		      enum referral_direction dir, struct list_block *b)
{
	struct view_pager *p = &b->pager;
	p->keep = list_keep;
	p->nkeep = ARRAY_LEN(list_keep);
	p->per_page = LIST_PAGE;
	p->page = view_pager_requested(req, p->param);
	f.direction = dir;
	for (int pass = 0; pass < 2; pass++) {
		bool more;
		struct referral_page pg = {.offset = view_pager_offset(p), .limit = LIST_PAGE};
		if (referral_list_page(db, req->arena, req->actor, &f, &pg, &b->v, &b->n, &p->total,
				       &more) < 0)
			return -1;
		if (p->page <= 1 || p->page <= view_pager_pages(p))
			break;
		p->page = view_pager_pages(p) ? view_pager_pages(p) : 1;
	}
	return 0;
}

static const struct ref_item direction_items[] = {
	{"envoyees", N_("Envoyées"), NULL, false},
	{"recues", N_("Reçues"), NULL, false},
};

/* The filters of /renvois: words, direction, status, overdue (a GET: it
 * works without JavaScript). */
static void filter_form(struct request *req, struct buf *o, const struct referral_filter *f)
{
	struct fw fwv = {.req = req, .out = o, .v = NULL};
	struct ref_item st[REFERRAL_STATUS_COUNT];
	for (int i = 0; i < REFERRAL_STATUS_COUNT; i++) {
		const char *word = TR(req, referral_status_label((enum referral_status)i));
		st[i] = (struct ref_item){referral_status_code((enum referral_status)i), word, word,
					  false};
	}
	html_printf(o,
		    "<form method=\"get\" action=\"/renvois\" class=\"stack filters\" "
		    "role=\"search\">\n<div class=\"field\"><label for=\"f-q\">%s</label><p "
		    "class=\"hint\" id=\"h-q\">%s</p><input type=\"search\" id=\"f-q\" name=\"q\" "
		    "value=\"%s\" aria-describedby=\"h-q\" maxlength=\"200\"></div>\n",
		    TR(req, "Chercher"),
		    TR(req, "Code de la famille, corridor, organisation ou besoin. La recherche ne "
			    "porte jamais sur les noms des familles."),
		    f->q ? f->q : "");
	fw_select(&fwv, "sens", TR(req, "Sens"), direction_items, ARRAY_LEN(direction_items),
		  req_query(req, "sens"), TR(req, "Envoyées et reçues"));
	fw_select(&fwv, "statut", TR(req, "Statut"), st, REFERRAL_STATUS_COUNT,
		  f->by_status ? referral_status_code(f->status) : NULL, TR(req, "Tous"));
	html_printf(
		o,
		"<label class=\"check\"><input type=\"checkbox\" name=\"retard\" value=\"1\"%R> "
		"%s</label>\n<button type=\"submit\" class=\"button\">%s</button></form>\n",
		f->overdue_only ? " checked" : "", TR(req, "En retard seulement"),
		TR(req, "Filtrer"));
}

enum perr view_referrals(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db =
		view_open_page_db(req, resp, referral_actor_ok(req->actor), TR(req, "Renvois"), &e);
	if (!db)
		return e;
	struct referral_filter f = {0};
	const char *sens = req_query(req, "sens"), *statut = req_query(req, "statut");
	if (sens && strcmp(sens, "envoyees") == 0)
		f.direction = REFERRAL_SENT;
	else if (sens && strcmp(sens, "recues") == 0)
		f.direction = REFERRAL_RECEIVED;
	f.by_status = referral_status_parse(statut, &f.status) == 0;
	f.overdue_only = req_query(req, "retard") != NULL;
	f.q = req_query(req, "q");
	struct list_block received = {.title = TR(req, "Reçues"),
				      .empty = TR(req, "Aucune référence reçue."),
				      .pager = {.path = "/renvois", .param = "pr"}};
	struct list_block sent = {.title = TR(req, "Envoyées"),
				  .empty = TR(req, "Aucune référence envoyée."),
				  .pager = {.path = "/renvois", .param = "pe"}};
	size_t late;
	if ((f.direction != REFERRAL_SENT &&
	     load_block(req, db, f, REFERRAL_RECEIVED, &received) < 0) ||
	    (f.direction != REFERRAL_RECEIVED &&
	     load_block(req, db, f, REFERRAL_SENT, &sent) < 0) ||
	    referral_count_overdue_for(db, req->actor, &late) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	view_begin(req, resp, TR(req, "Renvois"));
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", TR(req, "Renvois"),
		    TR(req, "Les références envoyées et reçues par votre organisation."));
	if (late)
		html_printf(
			o,
			"<p class=\"notice\" role=\"status\">⚠ <a href=\"/renvois/retards\">%zu "
			"%s</a></p>\n",
			late,
			i18n_trn(req->lang, "référence en retard", "références en retard",
				 (long)late));
	filter_form(req, o, &f);
	if (f.direction != REFERRAL_SENT)
		list_block(req, o, &received);
	if (f.direction != REFERRAL_RECEIVED)
		list_block(req, o, &sent);
	html_printf(
		o, "<p class=\"hint\">%s</p>\n",
		TR(req, "Pour référer une famille, ouvrez sa fiche et choisissez « Référer »."));
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_referrals_overdue(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, referral_actor_ok(req->actor),
					  TR(req, "Références en retard"), &e);
	if (!db)
		return e;
	struct referral_filter f = {.overdue_only = true};
	struct list_block received = {.title = TR(req, "Reçues : à prendre en charge"),
				      .empty = TR(req, "Aucune référence reçue en retard."),
				      .pager = {.path = "/renvois/retards", .param = "pr"}};
	struct list_block sent = {.title = TR(req, "Envoyées : en attente de l'autre organisation"),
				  .empty = TR(req, "Aucune référence envoyée en retard."),
				  .pager = {.path = "/renvois/retards", .param = "pe"}};
	if (load_block(req, db, f, REFERRAL_RECEIVED, &received) < 0 ||
	    load_block(req, db, f, REFERRAL_SENT, &sent) < 0)
		return PERR_UNAVAILABLE;
	struct pdate d = ptime_local_date(ptime_now());
	char today[11];
	ptime_format_date(&d, today);
	struct buf *o = &resp->body;
	view_begin(req, resp, TR(req, "Références en retard"));
	html_printf(o,
		    "<p class=\"crumbs\"><a href=\"/renvois\">← %s</a></p>\n<h1>%s</h1>\n"
		    "<p class=\"lead\">%s %s. %s</p>\n",
		    TR(req, "Renvois"), TR(req, "Références en retard"), TR(req, "En date du"),
		    fmt_date_long(req, today),
		    TR(req, "Une référence est en retard quand elle n'est pas prise en charge dans "
			    "le délai cible de son corridor (2 jours sans corridor)."));
	list_block(req, o, &received);
	list_block(req, o, &sent);
	view_end(req, resp);
	return PERR_OK;
}

/* ---- New referral ---- */

struct new_form {
	int64_t family_id;
	const char *corridor; /* "" none chosen, "direct", or an id */
	struct referral_corridor c;
	bool has_corridor;
	const struct kvlist *raw;
	struct validation v;
};

static const char *raw_val(const struct new_form *nf, const char *name)
{
	const char *s = nf->raw ? kvlist_get(nf->raw, name) : NULL;
	return s ? s : "";
}

/* Step 1 of a new referral: the corridor, or a direct referral (a GET
 * form: works without JavaScript). */
static void new_step_corridor(const struct fw *f, const struct family *fam,
			      const struct new_form *nf, const struct referral_corridor *cs,
			      size_t nc)
{
	struct request *req = f->req;
	struct buf *o = f->out;
	struct ref_item *ci = arena_calloc(req->arena, nc + 1, sizeof(*ci));
	ci[0] = (struct ref_item){"direct", TR(req, "Sans corridor : référence directe"),
				  TR(req, "Sans corridor : référence directe"), false};
	for (size_t i = 0; i < nc; i++) {
		const char *l = arena_printf(req->arena, "%s → %s", cs[i].name, cs[i].entry_name);
		ci[i + 1] = (struct ref_item){arena_printf(req->arena, "%lld", (long long)cs[i].id),
					      l, l, false};
	}
	html_printf(o,
		    "<form method=\"get\" action=\"/renvois/nouveau\" class=\"stack step1\">\n"
		    "<input type=\"hidden\" name=\"famille\" value=\"%lld\">\n",
		    (long long)fam->id);
	fw_select(f, "corridor", TR(req, "1. Corridor de référence"), ci, nc + 1, nf->corridor,
		  TR(req, "— Choisir —"));
	html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form>\n",
		    TR(req, "Choisir ce corridor"));
}

static enum perr new_page(struct request *req, struct response *resp, struct db *db,
			  const struct family *fam, struct new_form *nf)
{
	struct referral_corridor *cs;
	size_t nc;
	struct referral_org *orgs;
	size_t no;
	struct ref_item *needs;
	size_t nn;
	if (referral_corridors_for(db, req->arena, req->actor, &cs, &nc) < 0 ||
	    referral_organisations(db, req->arena, req->actor, &orgs, &no) < 0 ||
	    refdata_list(db, req->arena, REF_NEED, req->actor->organisation_id, &needs, &nn) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	struct fw f = {.req = req, .out = o, .v = &nf->v};
	const char *title = TR(req, "Référer une famille");
	view_begin(req, resp, title);
	html_printf(o,
		    "<p class=\"crumbs\"><a href=\"/familles/%lld\">← %s %s</a></p>\n<h1>%s</h1>\n",
		    (long long)fam->id, TR(req, "Famille"), fam->code, title);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	/* What consent does not allow is not offered: say why, and where. */
	if (!family_allows(fam, "reference")) {
		html_printf(o, "<p class=\"alert\" role=\"alert\">%s</p>\n",
			    fam->closed
				    ? TR(req, "Le suivi de cette famille est fermé : rouvrez-le "
					      "avant de la référer.")
				    : TR(req, "Le consentement de cette famille ne couvre pas la "
					      "référence vers un autre organisme."));
		if (family_can_change(req->actor, fam))
			html_printf(o,
				    "<p><a class=\"button\" href=\"/familles/%lld\">%s</a></p>\n",
				    (long long)fam->id, TR(req, "Voir le dossier de la famille"));
		view_end(req, resp);
		return PERR_OK;
	}

	new_step_corridor(&f, fam, nf, cs, nc);
	if (!nf->corridor || !*nf->corridor) {
		view_end(req, resp);
		return PERR_OK;
	}

	/* Step 2: the referral itself. */
	html_printf(o,
		    "<form method=\"post\" action=\"/renvois/nouveau\" class=\"stack "
		    "referral-form\" novalidate>\n<input type=\"hidden\" name=\"famille\" "
		    "value=\"%lld\">\n<input type=\"hidden\" name=\"corridor\" value=\"%s\">\n",
		    (long long)fam->id, nf->corridor);
	form_csrf_field(req, resp);
	const char *need = nf->raw ? raw_val(nf, "need") : NULL;
	if (nf->has_corridor) {
		html_printf(o,
			    "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">"
			    "<div><dt>%s</dt><dd>%s</dd></div><div><dt>%s</dt><dd>%s</dd></div>"
			    "</dl>\n",
			    nf->c.name, TR(req, "Point d'entrée"), nf->c.entry_name,
			    TR(req, "Délai cible"), fmt_days(req, nf->c.target_days));
		if (nf->c.n_fields)
			html_printf(o, "<h3>%s</h3><p class=\"hint\">%s</p>\n",
				    TR(req, "Gabarit de transfert"),
				    TR(req, "Tous les champs sont obligatoires."));
		for (size_t i = 0; i < nf->c.n_fields; i++) {
			const char *name = arena_printf(req->arena, "fields.%s", nf->c.fields[i]);
			fw_input(&f, "text", name, field_label(req, nf->c.fields[i]),
				 raw_val(nf, name), NULL);
		}
		html_printf(o, "</section>\n");
		if (!nf->raw)
			need = nf->c.need;
	} else {
		fw_error_text(&f, "corridor");
		struct ref_item *oi = arena_calloc(req->arena, no ? no : 1, sizeof(*oi));
		for (size_t i = 0; i < no; i++)
			oi[i] = (struct ref_item){
				arena_printf(req->arena, "%lld", (long long)orgs[i].id),
				orgs[i].name, orgs[i].name, false};
		fw_select(&f, "to_organisation", TR(req, "2. Organisation qui recevra la famille"),
			  oi, no, nf->raw ? raw_val(nf, "to_organisation") : NULL,
			  TR(req, "— Choisir —"));
	}
	fw_select(&f, "need", TR(req, "Besoin"), needs, nn, need, TR(req, "— Aucun —"));
	fw_input(&f, "date", "first_contact_at",
		 TR(req, "Premier contact de la famille pour ce besoin"),
		 raw_val(nf, "first_contact_at"),
		 TR(req, "La date où la famille a exprimé ce besoin pour la première fois."));
	fw_error_text(&f, "consent");
	html_printf(o, "<p class=\"hint privacy-note\">%s</p>\n",
		    TR(req,
		       "L'organisation qui reçoit verra votre nom, votre organisation, le code "
		       "de la famille et, si elle y a consenti, son nom et son téléphone. "
		       "Cette communication est inscrite au journal des accès."));
	form_submit_bar(req, o, TR(req, "Envoyer la référence"),
			arena_printf(req->arena, "/familles/%lld", (long long)fam->id));
	view_end(req, resp);
	return PERR_OK;
}

/* The family named by "famille" (query or form) that the actor may see. */
static enum perr form_family(struct request *req, struct db *db, struct family *f)
{
	const char *s =
		req->method == HTTP_POST ? req_form(req, "famille") : req_query(req, "famille");
	int64_t id;
	if (!s || parse_i64(s, 1, INT64_MAX, &id) < 0)
		return PERR_NOT_FOUND;
	return perr_found(family_get(db, req->arena, req->actor, id, f));
}

/* Resolves nf->corridor into nf->c. */
static enum perr resolve_corridor(struct request *req, struct db *db, struct new_form *nf)
{
	int64_t cid;
	if (!nf->corridor || !*nf->corridor || strcmp(nf->corridor, "direct") == 0)
		return PERR_OK;
	if (parse_i64(nf->corridor, 1, INT64_MAX, &cid) < 0) {
		nf->corridor = "";
		return PERR_OK;
	}
	int r = referral_corridor_get(db, req->arena, req->actor, cid, &nf->c);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0) {
		validation_add(&nf->v, "corridor",
			       N_("Ce corridor n'est pas actif aujourd'hui sur votre territoire."));
		nf->corridor = "";
	} else {
		nf->has_corridor = true;
	}
	return PERR_OK;
}

enum perr view_referral_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, referral_actor_ok(req->actor),
					  TR(req, "Référer une famille"), &e);
	if (!db)
		return e;
	struct family fam;
	e = form_family(req, db, &fam);
	if (e != PERR_OK)
		return e;
	struct new_form nf = {.family_id = fam.id, .corridor = req_query(req, "corridor")};
	e = resolve_corridor(req, db, &nf);
	if (e != PERR_OK)
		return e;
	return new_page(req, resp, db, &fam, &nf);
}

/* A posted referral: its family and its form, shown again when refused. */
struct posted_referral {
	struct family fam;
	struct new_form nf;
};

/* Draws the posted referral form again (view_form_posted). */
static enum perr draw_new(struct request *req, struct response *resp, void *form)
{
	struct posted_referral *pr = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	pr->nf.raw = &req->form;
	return new_page(req, resp, db, &pr->fam, &pr->nf);
}

/* The template's values (a corridor) or the receiving organisation (a
 * direct referral) and the first contact, from the posted form into in. */
static void read_referral(struct request *req, struct new_form *nf, struct referral_new *in)
{
	if (nf->has_corridor) {
		in->corridor_id = nf->c.id;
		in->fields = arena_calloc(req->arena, nf->c.n_fields ? nf->c.n_fields : 1,
					  sizeof(*in->fields));
		for (size_t i = 0; i < nf->c.n_fields; i++) {
			const char *v = form_trimmed(
				req, arena_printf(req->arena, "fields.%s", nf->c.fields[i]));
			in->fields[in->n_fields++] =
				(struct referral_field){nf->c.fields[i], v ? v : ""};
		}
	} else if (!nf->v.n) {
		const char *to = form_trimmed(req, "to_organisation");
		if (to && parse_i64(to, 1, INT64_MAX, &in->to_org) < 0)
			in->to_org = -1;
	}
	const char *fc = form_trimmed(req, "first_contact_at");
	struct pdate d;
	if (fc && ptime_parse_date(fc, &d) < 0)
		validation_add(&nf->v, "first_contact_at",
			       N_("Entrez une date valide (AAAA-MM-JJ)."));
	else if (fc)
		in->first_contact_at = ptime_date_start(&d);
}

enum perr view_referral_create(struct request *req, struct response *resp)
{
	struct db *db;
	enum perr e = start(req, &db);
	if (e != PERR_OK)
		return e;
	struct posted_referral *pr = arena_calloc(req->arena, 1, sizeof(*pr));
	if ((e = form_family(req, db, &pr->fam)) != PERR_OK)
		return e;
	struct new_form *nf = &pr->nf;
	nf->family_id = pr->fam.id;
	nf->corridor = req_form(req, "corridor");
	if (!nf->corridor || !*nf->corridor)
		nf->corridor = "direct";
	if ((e = resolve_corridor(req, db, nf)) != PERR_OK)
		return e;
	view_form_posted(req, draw_new, pr);
	struct referral_new in = {.family_id = pr->fam.id, .need = form_trimmed(req, "need")};
	read_referral(req, nf, &in);
	int64_t id = 0;
	if (!nf->v.n) {
		e = referral_create(db, req->arena, req->actor, &in, &nf->v, &id);
		if (e != PERR_OK && e != PERR_UNPROCESSABLE)
			return e;
	}
	if (nf->v.n)
		return PERR_UNPROCESSABLE;
	log_info("referral.create", "referral=%lld by=%lld", (long long)id,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/renvois/%lld?ok=envoyee", (long long)id));
	return PERR_OK;
}

/* ---- Detail ---- */

/* What the detail page shows besides the referral: a contact read, the
 * errors of an action, a loop to confirm. */
struct show_opts {
	const struct nominative *contact;
	const char *form;     /* the action form the errors belong to */
	struct validation *v; /* may be NULL */
	const struct kvlist *raw;
	bool loop_warning;
};

static void fact(struct buf *o, const char *label, const char *value)
{
	html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", label, value ? value : "—");
}

/* True when the text of a history entry of action is feedback to the
 * sender (an acknowledgement's or a take-in-charge's), not a reason. */
static bool feedback_action(enum referral_status action)
{
	return action == REFERRAL_RECUE || action == REFERRAL_PRISE_EN_CHARGE;
}

static void reason_area(struct request *req, const struct fw *f, const char *label,
			const char *value)
{
	const char *id = fw_id(req->arena, "reason");
	html_printf(f->out, "<div class=\"field\"><label for=\"%s\">%s</label>\n", id, label);
	fw_error_text(f, "reason");
	html_printf(f->out, "<textarea id=\"%s\" name=\"reason\" rows=\"3\" maxlength=\"2000\"",
		    id);
	fw_invalid_attrs(f, "reason");
	html_printf(f->out, ">%s</textarea></div>\n", value ? value : "");
}

/* The coded refusal reasons (model/referral.h), as a select. */
static void refusal_select(struct request *req, const struct fw *f, const char *selected)
{
	struct ref_item *it = arena_calloc(req->arena, referral_refusal_count, sizeof(*it));
	for (size_t i = 0; i < referral_refusal_count; i++) {
		const char *word = TR(req, referral_refusals[i].label);
		it[i] = (struct ref_item){referral_refusals[i].code, word, word, false};
	}
	fw_select(f, "refusal_code", TR(req, "Motif du refus"), it, referral_refusal_count,
		  selected, TR(req, "Choisir un motif"));
}

/* The receiver's re-orientation form, with the loop warning when the
 * organisation chosen already had this family. */
static void reorient_form(struct request *req, struct response *resp, struct db *db,
			  const struct referral *r, const struct show_opts *so)
{
	struct buf *o = &resp->body;
	bool mine = so->form && strcmp(so->form, "reorientation") == 0;
	struct fw f = {.req = req, .out = o, .v = mine ? so->v : NULL};
	struct referral_org *orgs;
	size_t no;
	if (referral_organisations(db, req->arena, req->actor, &orgs, &no) < 0)
		no = 0;
	struct ref_item *oi = arena_calloc(req->arena, no ? no : 1, sizeof(*oi));
	for (size_t i = 0; i < no; i++)
		oi[i] = (struct ref_item){arena_printf(req->arena, "%lld", (long long)orgs[i].id),
					  orgs[i].name, orgs[i].name, false};
	html_printf(o,
		    "<form method=\"post\" action=\"/renvois/%lld/reorientation\" "
		    "class=\"stack\" id=\"reorientation\" novalidate>\n<h3>%s</h3>\n",
		    (long long)r->id, TR(req, "Réorienter vers une autre organisation"));
	form_csrf_field(req, resp);
	if (mine && so->loop_warning) {
		html_printf(o,
			    "<div class=\"alert loop-warning\" role=\"alert\"><p><strong>↺ "
			    "%s</strong></p><p>%s</p></div>\n"
			    "<input type=\"hidden\" name=\"confirm_loop\" value=\"1\">\n",
			    TR(req, "Renvoi en boucle"),
			    TR(req, "Cette famille est déjà passée par cette organisation : la "
				    "réorienter vers elle forme un renvoi en boucle. Confirmez "
				    "pour continuer."));
	}
	fw_select(&f, "to_organisation", TR(req, "Organisation"), oi, no,
		  mine && so->raw ? kvlist_get(so->raw, "to_organisation") : NULL,
		  TR(req, "— Choisir —"));
	reason_area(req, &f, TR(req, "Raison de la réorientation (obligatoire)"),
		    mine && so->raw ? kvlist_get(so->raw, "reason") : NULL);
	html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form>\n",
		    mine && so->loop_warning ? TR(req, "Confirmer la réorientation")
					     : TR(req, "Réorienter"));
}

static void action_forms(struct request *req, struct response *resp, struct db *db,
			 const struct referral *r, const struct show_opts *so)
{
	struct buf *o = &resp->body;
	bool open = !r->has_outcome && !r->taken_at;
	if (!open)
		return;
	html_printf(o, "<section class=\"panel actions-panel\" id=\"actions\"><h2>%s</h2>\n",
		    TR(req, "Actions"));
	if (r->receiver_side) {
		if (!r->received_at) {
			html_printf(o,
				    "<form method=\"post\" action=\"/renvois/%lld/reception\" "
				    "class=\"stack\">\n",
				    (long long)r->id);
			form_csrf_field(req, resp);
			html_printf(o,
				    "<button type=\"submit\" class=\"button\">%s</button></form>\n",
				    TR(req, "Accuser réception"));
		}
		bool mine = so->form && strcmp(so->form, "prise-en-charge") == 0;
		struct fw f = {.req = req, .out = o, .v = mine ? so->v : NULL};
		html_printf(o,
			    "<form method=\"post\" action=\"/renvois/%lld/prise-en-charge\" "
			    "class=\"stack\" id=\"prise-en-charge\" novalidate>\n",
			    (long long)r->id);
		form_csrf_field(req, resp);
		reason_area(req, &f,
			    TR(req, "Rétroaction à l'organisation qui réfère (facultatif)"),
			    mine && so->raw ? kvlist_get(so->raw, "reason") : NULL);
		html_printf(o,
			    "<button type=\"submit\" class=\"button primary\">%s</button></form>\n",
			    TR(req, "Prendre en charge"));

		mine = so->form && strcmp(so->form, "refus") == 0;
		f.v = mine ? so->v : NULL;
		html_printf(o,
			    "<form method=\"post\" action=\"/renvois/%lld/refus\" class=\"stack\" "
			    "id=\"refus\" novalidate>\n<h3>%s</h3>\n",
			    (long long)r->id, TR(req, "Refuser"));
		form_csrf_field(req, resp);
		refusal_select(req, &f,
			       mine && so->raw ? kvlist_get(so->raw, "refusal_code") : NULL);
		reason_area(req, &f, TR(req, "Précisions (obligatoires pour « Autre raison »)"),
			    mine && so->raw ? kvlist_get(so->raw, "reason") : NULL);
		html_printf(o,
			    "<button type=\"submit\" class=\"button danger\">%s</button></form>\n",
			    TR(req, "Refuser la référence"));

		reorient_form(req, resp, db, r, so);
	}
	if (r->sender_side) {
		bool mine = so->form && strcmp(so->form, "perdue") == 0;
		struct fw f = {.req = req, .out = o, .v = mine ? so->v : NULL};
		html_printf(
			o,
			"<form method=\"post\" action=\"/renvois/%lld/perdue\" class=\"stack\" "
			"id=\"perdue\" novalidate>\n<h3>%s</h3><p class=\"hint\">%s</p>\n",
			(long long)r->id, TR(req, "Déclarer la famille perdue"),
			TR(req, "La famille n'a pas pu être jointe ou ne s'est pas présentée."));
		form_csrf_field(req, resp);
		reason_area(req, &f, TR(req, "Raison (obligatoire)"),
			    mine && so->raw ? kvlist_get(so->raw, "reason") : NULL);
		html_printf(o,
			    "<button type=\"submit\" class=\"button danger\">%s</button></form>\n",
			    TR(req, "Fermer comme perdue"));
	}
	html_printf(o, "</section>\n");
}

static void contact_part(struct request *req, struct response *resp, struct db *db,
			 const struct referral *r, const struct nominative *shown)
{
	struct buf *o = &resp->body;
	html_printf(o, "<section class=\"panel nominative\" id=\"coordonnees\"><h2>%s</h2>\n",
		    TR(req, "Famille"));
	html_printf(o, "<dl class=\"facts\">\n");
	fact(o, TR(req, "Code de la famille"), r->family_code);
	html_printf(o, "</dl>\n");
	if (r->sender_side && !r->receiver_side) {
		html_printf(o, "<p><a href=\"/familles/%lld\">%s</a></p></section>\n",
			    (long long)r->family_id, TR(req, "Voir la fiche de la famille"));
		return;
	}
	if (shown) {
		html_printf(o, "<dl class=\"facts\">\n");
		fact(o, TR(req, "Nom"), shown->name);
		fact(o, TR(req, "Téléphone"), shown->phone);
		html_printf(o, "</dl>\n<p class=\"hint\">%s</p></section>\n",
			    TR(req, "Cette consultation a été inscrite au journal des accès."));
		return;
	}
	if (!referral_contact_allowed(req->actor, db, r)) {
		const char *why =
			!r->consent_reference
				? TR(req, "La famille n'a pas consenti à la communication de "
					  "ses coordonnées.")
			: !r->has_nominative
				? TR(req, "Aucune coordonnée n'a été enregistrée.")
				: TR(req, "La référence est fermée : les coordonnées ne sont "
					  "plus communiquées.");
		html_printf(o, "<p>%s</p></section>\n", why);
		return;
	}
	html_printf(o,
		    "<p class=\"hint\">%s</p>\n<form method=\"post\" "
		    "action=\"/renvois/%lld/coordonnees\" class=\"stack\">\n",
		    TR(req, "Le nom et le téléphone servent à joindre la famille. Chaque "
			    "consultation est inscrite au journal des accès."),
		    (long long)r->id);
	form_csrf_field(req, resp);
	html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form></section>\n",
		    TR(req, "Voir le nom et le téléphone"));
}

static const struct {
	const char *code, *msg;
} ok_msgs[] = {
	{"envoyee", N_("Référence envoyée.")},
	{"recue", N_("Réception confirmée.")},
	{"prise_en_charge", N_("Prise en charge enregistrée.")},
	{"refusee", N_("Refus enregistré.")},
	{"reorientee", N_("Réorientation envoyée.")},
	{"perdue", N_("Référence fermée comme perdue.")},
};

static enum perr show_page(struct request *req, struct response *resp, struct db *db,
			   const struct referral *r, const struct show_opts *so)
{
	struct referral_event *ev;
	size_t ne;
	struct referral_field *fields;
	size_t nf;
	if (referral_events(db, req->arena, r->id, &ev, &ne) < 0 ||
	    referral_read_fields(db, req->arena, req->actor, r, &fields, &nf) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	const char *title = arena_printf(req->arena, "%s · %s %s", TR(req, "Référence"),
					 TR(req, "Famille"), r->family_code);
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/renvois\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Renvois"), title);
	const char *ok = req_query(req, "ok");
	for (size_t i = 0; ok && i < ARRAY_LEN(ok_msgs); i++)
		if (strcmp(ok, ok_msgs[i].code) == 0)
			html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
				    TR(req, ok_msgs[i].msg));
	if (so->v && so->v->n && !so->loop_warning) {
		struct fw f = {.req = req, .out = o, .v = so->v};
		fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	}
	html_printf(o, "<p class=\"status-line\">");
	badges(req, o, r);
	html_printf(o, "</p>\n");
	html_printf(
		o, "<div class=\"cols\"><section class=\"panel\"><h2>%s</h2><dl class=\"facts\">\n",
		TR(req, "Référence"));
	fact(o, TR(req, "De"), r->from_name);
	fact(o, TR(req, "Envoyée par"),
	     r->sender_name ? arena_printf(req->arena, "%s (%s)", r->sender_name, r->from_name)
			    : NULL);
	fact(o, TR(req, "Vers"), r->to_name);
	fact(o, TR(req, "Corridor"),
	     r->corridor_name ? r->corridor_name : TR(req, "Référence directe"));
	fact(o, TR(req, "Délai cible"), fmt_days(req, r->target_days));
	fact(o, TR(req, "Besoin"),
	     r->need ? refdata_label(db, req->arena, REF_NEED, r->need, req->lang) : NULL);
	fact(o, TR(req, "Premier contact"),
	     r->first_contact_at ? fmt_instant(req, r->first_contact_at) : NULL);
	fact(o, TR(req, "Envoyée le"), fmt_instant(req, r->sent_at));
	fact(o, TR(req, "Reçue le"), r->received_at ? fmt_instant(req, r->received_at) : NULL);
	fact(o, TR(req, "Prise en charge le"), r->taken_at ? fmt_instant(req, r->taken_at) : NULL);
	if (r->taken_at) {
		double d = ptime_days_between(r->sent_at, r->taken_at);
		const char *late = d > r->target_days ? TR(req, " (au-delà du délai cible)") : "";
		fact(o, TR(req, "Délai de prise en charge"),
		     arena_printf(req->arena, "%s%s", fmt_days(req, ind_round1(d)), late));
	}
	if (r->has_outcome && r->outcome != REFERRAL_PRISE_EN_CHARGE) {
		fact(o, TR(req, "Fermée le"), r->closed_at ? fmt_instant(req, r->closed_at) : NULL);
		const char *code = referral_refusal_label(r->refusal_code);
		fact(o, TR(req, "Motif du refus"), code ? TR(req, code) : NULL);
		fact(o, TR(req, "Raison"), r->reason);
	} else if (r->taken_at && r->reason) {
		fact(o, TR(req, "Rétroaction"), r->reason);
	}
	html_printf(o, "</dl>\n<p><a href=\"/renvois/%lld/trajectoire\">%s</a></p></section>\n",
		    (long long)r->id, TR(req, "Voir la trajectoire de la famille"));
	contact_part(req, resp, db, r, so->contact);
	html_printf(o, "</div>\n");
	if (nf) {
		html_printf(o, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">\n",
			    TR(req, "Gabarit de transfert"));
		for (size_t i = 0; i < nf; i++)
			fact(o, field_label(req, fields[i].field), fields[i].value);
		html_printf(o, "</dl></section>\n");
	}
	html_printf(o, "<section class=\"panel history\"><h2>%s</h2>\n", TR(req, "Historique"));
	if (!ne) {
		/* Imported referrals have no history: their dates tell it. */
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Référence importée : seul son dernier statut est connu."));
	} else {
		html_printf(o, "<ol class=\"entries\">\n");
		for (size_t i = 0; i < ne; i++) {
			html_printf(o,
				    "<li class=\"entry\"><span class=\"entry-when\">%s</span> "
				    "<strong>%s</strong>",
				    fmt_instant(req, ev[i].at), status_text(req, ev[i].action));
			if (ev[i].person_name)
				html_printf(o, " · %s", ev[i].person_name);
			if (ev[i].organisation_name)
				html_printf(o, " (%s)", ev[i].organisation_name);
			if (ev[i].reason)
				html_printf(o, "<p class=\"entry-note\">%s %s</p>",
					    feedback_action(ev[i].action) ? TR(req, "Rétroaction :")
									  : TR(req, "Raison :"),
					    ev[i].reason);
			html_printf(o, "</li>\n");
		}
		html_printf(o, "</ol>\n");
	}
	html_printf(o, "</section>\n");
	action_forms(req, resp, db, r, so);
	view_end(req, resp);
	return PERR_OK;
}

/* The referral of the route's :id that the actor may see, or a 404. */
static enum perr load(struct request *req, struct db *db, struct referral *r)
{
	int64_t id = view_param_id(req);
	if (!id)
		return PERR_NOT_FOUND;
	return perr_found(referral_get(db, req->arena, req->actor, id, r));
}

enum perr view_referral_show(struct request *req, struct response *resp)
{
	struct db *db;
	struct referral r;
	enum perr e = start(req, &db);
	if (e == PERR_OK)
		e = load(req, db, &r);
	if (e != PERR_OK)
		return e;
	struct show_opts so = {0};
	return show_page(req, resp, db, &r, &so);
}

enum perr view_referral_contact(struct request *req, struct response *resp)
{
	struct db *db;
	struct referral r;
	enum perr e = start(req, &db);
	if (e == PERR_OK)
		e = load(req, db, &r);
	if (e != PERR_OK)
		return e;
	struct nominative nom;
	int c = referral_read_contact(db, req->arena, req->actor, &r, &nom);
	if (c < 0)
		return PERR_INTERNAL;
	if (c > 0)
		return PERR_NOT_FOUND;
	log_info("referral.contact_view", "referral=%lld by=%lld", (long long)r.id,
		 (long long)req->actor->person_id);
	struct show_opts so = {.contact = &nom};
	return show_page(req, resp, db, &r, &so);
}

/* A posted action on a referral: the referral as loaded and the action's
 * form with its errors, to show the detail again when refused. */
struct posted_action {
	struct referral r;
	struct validation v;
	struct show_opts so;
};

/* Draws the detail again with the action's errors (view_form_posted). */
static enum perr draw_action(struct request *req, struct response *resp, void *form)
{
	struct posted_action *pa = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	pa->so.v = &pa->v;
	pa->so.raw = &req->form;
	return show_page(req, resp, db, &pa->r, &pa->so);
}

/* The start of an action's handler: this thread's database into *db and
 * the referral of the route's :id in a new arena state whose detail page
 * comes back, with the errors of the form named form, when the action is
 * refused or fails. */
static enum perr start_action(struct request *req, struct db **db, const char *form,
			      struct posted_action **out)
{
	struct posted_action *pa = arena_calloc(req->arena, 1, sizeof(*pa));
	enum perr e = start(req, db);
	if (e == PERR_OK)
		e = load(req, *db, &pa->r);
	if (e != PERR_OK)
		return e;
	pa->so.form = form;
	view_form_posted(req, draw_action, pa);
	*out = pa;
	return PERR_OK;
}

/* Runs one action in the request's write unit; on success back to the
 * detail with a notice, on a rule broken the detail again with the
 * errors. */
static enum perr run_action(struct request *req, struct response *resp, enum referral_action act,
			    const char *form, const char *ok)
{
	struct db *db;
	struct posted_action *pa;
	enum perr e = start_action(req, &db, form, &pa);
	if (e != PERR_OK)
		return e;
	e = referral_act(db, req->arena, req->actor, pa->r.id, act, form_trimmed(req, "reason"),
			 &pa->v);
	if (e != PERR_OK)
		return e;
	log_info("referral.action", "referral=%lld action=%s by=%lld", (long long)pa->r.id, ok,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/renvois/%lld?ok=%s", (long long)pa->r.id, ok));
	return PERR_OK;
}

enum perr view_referral_acknowledge(struct request *req, struct response *resp)
{
	return run_action(req, resp, REFERRAL_ACKNOWLEDGE, "reception", "recue");
}

enum perr view_referral_take(struct request *req, struct response *resp)
{
	return run_action(req, resp, REFERRAL_TAKE, "prise-en-charge", "prise_en_charge");
}

enum perr view_referral_refuse(struct request *req, struct response *resp)
{
	struct db *db;
	struct posted_action *pa;
	enum perr e = start_action(req, &db, "refus", &pa);
	if (e != PERR_OK)
		return e;
	const char *code = form_trimmed(req, "refusal_code");
	if (!code || !*code) {
		validation_add(&pa->v, "refusal_code", N_("Choisissez le motif du refus."));
		return PERR_UNPROCESSABLE;
	}
	e = referral_refuse(db, req->arena, req->actor, pa->r.id, code, form_trimmed(req, "reason"),
			    &pa->v);
	if (e != PERR_OK)
		return e;
	log_info("referral.action", "referral=%lld action=refusee by=%lld", (long long)pa->r.id,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/renvois/%lld?ok=refusee", (long long)pa->r.id));
	return PERR_OK;
}

enum perr view_referral_lost(struct request *req, struct response *resp)
{
	return run_action(req, resp, REFERRAL_LOST, "perdue", "perdue");
}

enum perr view_referral_reorient(struct request *req, struct response *resp)
{
	struct db *db;
	struct posted_action *pa;
	enum perr e = start_action(req, &db, "reorientation", &pa);
	if (e != PERR_OK)
		return e;
	struct referral_new next = {0};
	const char *to = form_trimmed(req, "to_organisation");
	if (to && parse_i64(to, 1, INT64_MAX, &next.to_org) < 0)
		next.to_org = -1;
	bool confirm = req_form(req, "confirm_loop") != NULL, loop = false;
	int64_t nid = 0;
	e = referral_reorient(db, req->arena, req->actor, pa->r.id, &next,
			      form_trimmed(req, "reason"), confirm, &loop, &pa->v, &nid);
	pa->so.loop_warning = loop && e == PERR_CONFLICT;
	if (e != PERR_OK)
		return e;
	log_info("referral.reorient", "referral=%lld next=%lld loop=%d by=%lld",
		 (long long)pa->r.id, (long long)nid, loop ? 1 : 0,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/renvois/%lld?ok=reorientee", (long long)nid));
	return PERR_OK;
}

/* ---- Trajectory ---- */

enum perr view_referral_trajectory(struct request *req, struct response *resp)
{
	struct db *db;
	enum perr e = start(req, &db);
	if (e != PERR_OK)
		return e;
	int64_t id = view_param_id(req);
	struct referral_step *st;
	size_t n;
	int g = id ? referral_trajectory(db, req->arena, req->actor, id, &st, &n) : 1;
	if (g < 0)
		return PERR_UNAVAILABLE;
	if (g > 0 || !n)
		return PERR_NOT_FOUND;
	struct buf *o = &resp->body;
	const char *title = arena_printf(req->arena, "%s · %s %s", TR(req, "Trajectoire"),
					 TR(req, "Famille"), st[0].r.family_code);
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/renvois/%lld\">← %s</a></p>\n<h1>%s</h1>\n",
		    (long long)id, TR(req, "Référence"), title);
	html_printf(o, "<p class=\"lead\">%s</p>\n",
		    TR(req, "Le parcours de la famille pour ce besoin, organisation par "
			    "organisation, avec le délai de chaque étape (de l'envoi à la prise en "
			    "charge ou à la fermeture, ou jusqu'à maintenant)."));
	html_printf(o,
		    "<ol class=\"entries trajectory\">\n<li class=\"entry\"><strong>%s</strong> "
		    "· %s</li>\n",
		    st[0].r.from_name, TR(req, "point de départ"));
	for (size_t i = 0; i < n; i++) {
		const struct referral *r = &st[i].r;
		html_printf(o, "<li class=\"entry\"><strong>→ %s</strong> · %s %s · ", r->to_name,
			    TR(req, "envoyée le"), fmt_instant(req, r->sent_at));
		badges(req, o, r);
		html_printf(o, "<p class=\"entry-meta\">%s %s</p>",
			    st[i].open ? TR(req, "En attente depuis")
				       : TR(req, "Délai de l'étape :"),
			    fmt_days(req, st[i].days));
		/* Reasons are free text: only the two parties of a step read them. */
		if (r->reason && (r->sender_side || r->receiver_side))
			html_printf(o, "<p class=\"entry-note\">%s %s</p>", TR(req, "Raison :"),
				    r->reason);
		if (r->sender_side || r->receiver_side)
			html_printf(o, "<p><a href=\"/renvois/%lld\">%s</a></p>", (long long)r->id,
				    TR(req, "Voir cette référence"));
		html_printf(o, "</li>\n");
	}
	html_printf(o, "</ol>\n");
	const struct referral *first = &st[0].r, *last = &st[n - 1].r;
	int64_t from = first->first_contact_at ? first->first_contact_at : first->sent_at;
	for (size_t i = 0; i < n; i++)
		if (st[i].r.first_contact_at && st[i].r.first_contact_at < from)
			from = st[i].r.first_contact_at;
	if (last->taken_at)
		html_printf(o, "<p class=\"multiplier\">%s <strong>%s</strong></p>\n",
			    TR(req, "Du premier contact à la prise en charge :"),
			    fmt_days(req, ind_round1(ptime_days_between(from, last->taken_at))));
	view_end(req, resp);
	return PERR_OK;
}
