/* Followed families:
 *   GET      /familles                    the organisation's families
 *   GET/POST /familles/nouvelle           open a follow-up (code, consent, optional details)
 *   GET      /familles/:id                consent and timeline
 *   POST     /familles/:id/coordonnees    show the nominative details, with a purpose
 * The family record is visible to its organisation's PAP and managers;
 * the nominative details only to its follower and the managers, behind a
 * button, and every view goes through the access log (the model's
 * family_read_nominative). Anything not visible is a 404. */
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/family.h"
#include "model/journal_week.h"
#include "views/form.h"
#include "views/view.h"

/* Languages of consent forms; the code is what the model stores. */
static const struct ref_item languages[] = {
	{"fr", "Français", "French", false},
	{"en", "Anglais", "English", false},
	{"es", "Espagnol", "Spanish", false},
	{"ar", "Arabe", "Arabic", false},
	{"zh", "Chinois", "Chinese", false},
	{"pt", "Portugais", "Portuguese", false},
	{"ht", "Créole haïtien", "Haitian Creole", false},
	{"fa", "Persan", "Persian", false},
	{"ru", "Russe", "Russian", false},
	{"uk", "Ukrainien", "Ukrainian", false},
	{"ti", "Tigrigna", "Tigrinya", false},
	{"autre", "Autre", "Other", false},
};

/* Why nominative details are looked at (recorded in the access log). */
static const struct ref_item purposes[] = {
	{"suivi", "Suivi de la famille", "Following the family", false},
	{"reference", "Préparer une référence", "Preparing a referral", false},
	{"autre", "Autre raison", "Other reason", false},
};

static const char *language_label(struct request *req, const char *code)
{
	return ref_lookup(req, languages, ARRAY_LEN(languages), code);
}

/* "Suivi, référence" for the consent's scopes, or "aucune". */
static const char *scopes_text(struct request *req, const struct family *f)
{
	const char *parts[3];
	size_t n = 0;
	if (f->consent_suivi)
		parts[n++] = TR(req, "suivi");
	if (f->consent_reference)
		parts[n++] = TR(req, "référence");
	if (f->consent_citation)
		parts[n++] = TR(req, "citation");
	if (!n)
		return TR(req, "aucune portée");
	struct buf b = BUF_INIT(256);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, parts[i]);
	}
	const char *s = arena_strdup(req->arena, b.data);
	buf_free(&b);
	return s;
}

enum perr view_families(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, actor_keeps_journal(req->actor),
					  TR(req, "Familles suivies"), &e);
	if (!db)
		return e;
	struct family *v;
	size_t n;
	if (family_list(db, req->arena, req->actor, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	view_begin(req, resp, TR(req, "Familles suivies"));
	html_printf(o,
		    "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n"
		    "<p class=\"actions\"><a class=\"button primary\" "
		    "href=\"/familles/nouvelle\">%s</a></p>\n",
		    TR(req, "Familles suivies"),
		    TR(req, "Chaque famille est désignée par un code, sans nom. Un suivi demande "
			    "le consentement de la famille."),
		    TR(req, "+ Ouvrir un suivi"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune famille suivie dans votre organisation."));
	else
		html_printf(o, "<ul class=\"families\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct family *f = &v[i];
		html_printf(
			o,
			"<li class=\"family\"><a href=\"/familles/%lld\"><strong>%s</strong></a>"
			"<span>%s %s</span>",
			(long long)f->id, f->code, TR(req, "Ouvert le"),
			fmt_date_medium(req, f->opened));
		if (f->closed)
			html_printf(o, "<span class=\"tag\">%s %s</span>", TR(req, "Fermé le"),
				    fmt_date_medium(req, f->closed));
		if (f->consent_date)
			html_printf(o, "<span>%s%s%s</span>", TR(req, "Consentement"),
				    TR(req, " : "), scopes_text(req, f));
		else
			html_printf(o, "<span class=\"tag warn\">%s</span>",
				    TR(req, "Sans consentement"));
		if (f->follower_id == req->actor->person_id)
			html_printf(o, "<span class=\"tag\">%s</span>", TR(req, "Suivie par vous"));
		html_printf(o, "</li>\n");
	}
	if (n)
		html_printf(o, "</ul>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* The form to open a follow-up. raw: posted values to show again. */
struct fam_form {
	struct family f;
	struct nominative nom;
	const struct kvlist *raw;
	struct validation v;
};

static const char *raw_or(const struct fam_form *ff, const char *name, const char *v)
{
	if (ff->raw) {
		const char *s = kvlist_get(ff->raw, name);
		return s ? s : "";
	}
	return v ? v : "";
}

static void checkbox(const struct fw *f, const char *name, const char *label, bool on)
{
	html_printf(f->out,
		    "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%R> %s"
		    "</label>\n",
		    name, on ? " checked" : "", label);
}

static void family_form(struct request *req, struct response *resp, struct fam_form *ff)
{
	struct fw f = {.req = req, .out = &resp->body, .v = &ff->v};
	struct buf *o = &resp->body;
	const char *title = TR(req, "Ouvrir un suivi");
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/familles\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Familles suivies"), title);
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"/familles/nouvelle\" class=\"family-form\" "
		       "novalidate>\n");
	form_csrf_field(req, resp);
	fw_input(&f, "text", "code", TR(req, "Code de la famille"), raw_or(ff, "code", ff->f.code),
		 TR(req, "Un pseudonyme, sans nom ni information identifiante (ex. F-2026-014)."));
	fw_input(&f, "date", "opened", TR(req, "Date d'ouverture"),
		 raw_or(ff, "opened", ff->f.opened), NULL);

	html_printf(o, "<fieldset class=\"group\" id=\"f-consent\"><legend>%s</legend>\n",
		    TR(req, "Consentement"));
	html_printf(o, "<p class=\"hint\">%s</p>\n",
		    TR(req, "Indiquez la date du formulaire signé, sa langue et ce que la famille "
			    "a accepté."));
	fw_input(&f, "date", "consent.date", TR(req, "Date du consentement"),
		 raw_or(ff, "consent.date", ff->f.consent_date), NULL);
	fw_select(&f, "consent.language", TR(req, "Langue du formulaire"), languages,
		  ARRAY_LEN(languages),
		  ff->raw ? kvlist_get(ff->raw, "consent.language") : ff->f.consent_language,
		  TR(req, "— Choisir —"));
	html_printf(o, "<div class=\"field\" role=\"group\" aria-label=\"%s\">\n",
		    TR(req, "Portée du consentement"));
	checkbox(&f, "consent.suivi", TR(req, "Suivi"), ff->f.consent_suivi);
	checkbox(&f, "consent.reference", TR(req, "Référence vers un autre organisme"),
		 ff->f.consent_reference);
	checkbox(&f, "consent.citation", TR(req, "Citation anonyme dans un récit"),
		 ff->f.consent_citation);
	html_printf(o, "</div></fieldset>\n");

	bool open = ff->nom.name || ff->nom.phone || ff->nom.address ||
		    fw_error(&f, "nominative.name") || fw_error(&f, "nominative.phone") ||
		    fw_error(&f, "nominative.address");
	html_printf(o,
		    "<details class=\"more\"%R><summary>%s</summary>\n<div class=\"more-body\">"
		    "<p class=\"hint privacy-note\">%s</p>\n",
		    open ? " open" : "", TR(req, "Coordonnées (facultatif)"),
		    TR(req, "Chiffrées, visibles seulement par vous et votre gestionnaire. Chaque "
			    "consultation est inscrite au journal des accès."));
	fw_input(&f, "text", "nominative.name", TR(req, "Nom"),
		 raw_or(ff, "nominative.name", ff->nom.name), NULL);
	fw_input(&f, "tel", "nominative.phone", TR(req, "Téléphone"),
		 raw_or(ff, "nominative.phone", ff->nom.phone), NULL);
	fw_input(&f, "text", "nominative.address", TR(req, "Adresse"),
		 raw_or(ff, "nominative.address", ff->nom.address), NULL);
	html_printf(o, "</div></details>\n");
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">%s"
		    "</button><a class=\"button\" href=\"/familles\">%s</a></div>\n</form>\n",
		    TR(req, "Ouvrir le suivi"), TR(req, "Annuler"));
	view_end(req, resp);
}

enum perr view_family_new(struct request *req, struct response *resp)
{
	if (!actor_keeps_journal(req->actor))
		return view_not_for_role(req, resp, TR(req, "Ouvrir un suivi"));
	struct fam_form ff = {0};
	char *today = arena_alloc(req->arena, 11);
	journal_today(today);
	ff.f.opened = today;
	ff.f.consent_language = strcmp(req->lang, "en") == 0 ? "en" : "fr";
	family_form(req, resp, &ff);
	return PERR_OK;
}

/* A trimmed form value, NULL when absent or empty. */
static const char *text_or_null(struct request *req, const char *name)
{
	const char *s = req_form(req, name);
	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return n ? arena_strndup(req->arena, s, n) : NULL;
}

/* Draws the posted follow-up form again (view_form_posted). */
static enum perr draw_posted(struct request *req, struct response *resp, void *form)
{
	struct fam_form *ff = form;
	ff->raw = &req->form;
	family_form(req, resp, ff);
	return PERR_OK;
}

/* Reads the posted follow-up form into a new arena state. */
static struct fam_form *read_posted(struct request *req)
{
	struct fam_form *ff = arena_calloc(req->arena, 1, sizeof(*ff));
	struct family *f = &ff->f;
	f->organisation_id = req->actor->organisation_id;
	f->follower_id = req->actor->person_id;
	f->code = text_or_null(req, "code");
	f->opened = text_or_null(req, "opened");
	f->consent_date = text_or_null(req, "consent.date");
	f->consent_language = text_or_null(req, "consent.language");
	f->consent_suivi = req_form(req, "consent.suivi") != NULL;
	f->consent_reference = req_form(req, "consent.reference") != NULL;
	f->consent_citation = req_form(req, "consent.citation") != NULL;
	/* A language alone, without a consent, records nothing. */
	if (!f->consent_date && !f->consent_suivi && !f->consent_reference && !f->consent_citation)
		f->consent_language = NULL;
	ff->nom.name = text_or_null(req, "nominative.name");
	ff->nom.phone = text_or_null(req, "nominative.phone");
	ff->nom.address = text_or_null(req, "nominative.address");
	return ff;
}

enum perr view_family_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(actor_keeps_journal(req->actor), &e);
	if (!db)
		return e;
	struct fam_form *ff = read_posted(req);
	view_form_posted(req, draw_posted, ff);
	struct family *f = &ff->f;
	const struct nominative *nom =
		ff->nom.name || ff->nom.phone || ff->nom.address ? &ff->nom : NULL;
	int r = family_validate(db, f, nom, &ff->v);
	if (ff->v.n)
		return PERR_UNPROCESSABLE;
	if (r < 0 || family_save(db, req->arena, req->actor->person_id, f, nom, "suivi") < 0)
		return PERR_UNAVAILABLE;
	log_info("family.create", "family=%lld by=%lld nominative=%d", (long long)f->id,
		 (long long)req->actor->person_id, nom ? 1 : 0);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/familles/%lld?ok=cree", (long long)f->id));
	return PERR_OK;
}

/* This thread's database into *dbp (not owned; PERR_UNAVAILABLE without
 * it) and the family of the route's :id that the actor may see, or a 404. */
static enum perr load_family(struct request *req, struct db **dbp, struct family *f)
{
	*dbp = db_thread();
	struct db *db = *dbp;
	if (!db)
		return PERR_UNAVAILABLE;
	int64_t id = view_param_id(req);
	if (!id || !actor_keeps_journal(req->actor))
		return PERR_NOT_FOUND;
	int r = family_get(db, req->arena, req->actor, id, f);
	if (r < 0)
		return PERR_UNAVAILABLE;
	return r ? PERR_NOT_FOUND : PERR_OK;
}

static void fact(struct buf *o, const char *label, const char *value)
{
	html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", label, value);
}

/* The nominative part: a button behind which the details are, or the
 * details themselves once asked for (shown), or why they are not. */
static void nominative_part(struct request *req, struct response *resp, const struct family *f,
			    const struct nominative *shown, const struct validation *v)
{
	struct buf *o = &resp->body;
	html_printf(o, "<section class=\"panel nominative\" id=\"coordonnees\"><h2>%s</h2>\n",
		    TR(req, "Coordonnées"));
	if (!f->has_nominative) {
		html_printf(o, "<p>%s</p></section>\n", TR(req, "Aucune coordonnée enregistrée."));
		return;
	}
	if (!family_nominative_allowed(req->actor, f)) {
		html_printf(o, "<p>%s</p></section>\n",
			    TR(req, "Les coordonnées sont réservées à la personne qui suit la "
				    "famille et à la gestion de votre organisation."));
		return;
	}
	if (shown) {
		html_printf(o, "<dl class=\"facts\">\n");
		fact(o, TR(req, "Nom"), shown->name ? shown->name : "—");
		fact(o, TR(req, "Téléphone"), shown->phone ? shown->phone : "—");
		fact(o, TR(req, "Adresse"), shown->address ? shown->address : "—");
		html_printf(o,
			    "</dl>\n<p class=\"hint\">%s</p>\n"
			    "<p><a class=\"button\" href=\"/familles/%lld\">%s</a></p></section>\n",
			    TR(req, "Cette consultation a été inscrite au journal des accès."),
			    (long long)f->id, TR(req, "Masquer les coordonnées"));
		return;
	}
	struct fw fwv = {.req = req, .out = o, .v = v};
	html_printf(
		o,
		"<p class=\"hint\">%s</p>\n"
		"<form method=\"post\" action=\"/familles/%lld/coordonnees\" class=\"stack\">\n",
		TR(req, "Chaque consultation est inscrite au journal des accès, avec sa raison."),
		(long long)f->id);
	form_csrf_field(req, resp);
	fw_select(&fwv, "purpose", TR(req, "Raison de la consultation"), purposes,
		  ARRAY_LEN(purposes), NULL, TR(req, "— Choisir —"));
	html_printf(o, "<button type=\"submit\" class=\"button\">%s</button></form></section>\n",
		    TR(req, "Voir les coordonnées"));
}

static enum perr family_page(struct request *req, struct response *resp, struct db *db,
			     const struct family *f, const struct nominative *shown,
			     const struct validation *v)
{
	struct activity *acts;
	size_t n;
	if (journal_family_activities(db, req->arena, req->actor, f->id, &acts, &n) < 0)
		return PERR_UNAVAILABLE;
	struct view_refs r;
	if (view_refs_load(db, req->arena, f->organisation_id, &r) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	const char *title = arena_printf(req->arena, "%s %s", TR(req, "Famille"), f->code);
	view_begin(req, resp, title);
	html_printf(o, "<p class=\"crumbs\"><a href=\"/familles\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Familles suivies"), title);
	const char *ok = req_query(req, "ok");
	if (ok && strcmp(ok, "cree") == 0)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Suivi ouvert."));

	html_printf(
		o, "<div class=\"cols\"><section class=\"panel\"><h2>%s</h2><dl class=\"facts\">\n",
		TR(req, "Suivi"));
	fact(o, TR(req, "Ouvert le"), fmt_date_long(req, f->opened));
	if (f->closed)
		fact(o, TR(req, "Fermé le"), fmt_date_long(req, f->closed));
	const char *follower = NULL;
	if (f->follower_id == req->actor->person_id)
		follower = TR(req, "vous");
	else if (f->follower_id)
		follower = journal_person_name(db, req->arena, f->follower_id);
	fact(o, TR(req, "Suivie par"), follower ? follower : "—");
	html_printf(o, "</dl></section>\n");

	html_printf(o, "<section class=\"panel\"><h2>%s</h2>\n", TR(req, "Consentement"));
	if (f->consent_date) {
		html_printf(o, "<dl class=\"facts\">\n");
		fact(o, TR(req, "Date"), fmt_date_long(req, f->consent_date));
		fact(o, TR(req, "Langue du formulaire"),
		     f->consent_language ? language_label(req, f->consent_language) : "—");
		fact(o, TR(req, "Portée"), scopes_text(req, f));
		html_printf(o, "</dl>\n");
	} else {
		html_printf(o, "<p class=\"tag warn\">%s</p>\n",
			    TR(req, "Aucun consentement enregistré."));
	}
	html_printf(o, "</section></div>\n");
	nominative_part(req, resp, f, shown, v);
	html_printf(o,
		    "<p class=\"actions\"><a class=\"button\" "
		    "href=\"/renvois/nouveau?famille=%lld\">%s</a></p>\n",
		    (long long)f->id, TR(req, "Référer"));

	html_printf(o,
		    "<section class=\"timeline\"><h2>%s</h2>\n"
		    "<p class=\"actions\"><a class=\"button primary\" "
		    "href=\"/journal/nouvelle?famille=%lld\">"
		    "%s</a></p>\n",
		    TR(req, "Activités liées"), (long long)f->id,
		    TR(req, "+ Consigner une activité"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune activité liée à cette famille."));
	else
		html_printf(o, "<ol class=\"entries\">\n");
	for (size_t i = 0; i < n; i++)
		view_activity_entry(
			req, resp, &r, &acts[i], NULL,
			ENTRY_SHOW_DATE |
				(activity_can_edit(req->actor, &acts[i]) ? ENTRY_EDIT_LINK : 0));
	if (n)
		html_printf(o, "</ol>\n");
	html_printf(o, "</section>\n");
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_family_show(struct request *req, struct response *resp)
{
	struct db *db;
	struct family f;
	enum perr e = load_family(req, &db, &f);
	if (e != PERR_OK)
		return e;
	return family_page(req, resp, db, &f, NULL, NULL);
}

/* The family page with the purpose asked for the nominative details. */
struct contact_form {
	struct family f;
	struct validation v;
};

/* Draws the family page again after a refused or failed request for its
 * nominative details (view_form_posted). */
static enum perr draw_contact(struct request *req, struct response *resp, void *form)
{
	struct contact_form *cf = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	return family_page(req, resp, db, &cf->f, NULL, &cf->v);
}

enum perr view_family_contact(struct request *req, struct response *resp)
{
	struct db *db;
	struct contact_form *cf = arena_calloc(req->arena, 1, sizeof(*cf));
	enum perr e = load_family(req, &db, &cf->f);
	if (e != PERR_OK)
		return e;
	struct family *f = &cf->f;
	if (!family_nominative_allowed(req->actor, f) || !f->has_nominative)
		return PERR_NOT_FOUND;
	view_form_posted(req, draw_contact, cf);
	const char *purpose = req_form(req, "purpose");
	bool known = false;
	for (size_t i = 0; purpose && i < ARRAY_LEN(purposes); i++)
		known = known || strcmp(purpose, purposes[i].code) == 0;
	if (!known) {
		validation_add(&cf->v, "purpose", N_("Choisissez la raison de la consultation."));
		return PERR_UNPROCESSABLE;
	}
	struct nominative nom;
	int r = family_read_nominative(db, req->arena, req->actor, f, purpose, &nom);
	if (r < 0)
		return PERR_INTERNAL;
	if (r > 0)
		return PERR_NOT_FOUND;
	log_info("family.nominative_view", "family=%lld by=%lld", (long long)f->id,
		 (long long)req->actor->person_id);
	return family_page(req, resp, db, f, &nom, NULL);
}
