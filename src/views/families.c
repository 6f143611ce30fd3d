/* Followed families:
 *   GET      /familles                    the organisation's families
 *   GET/POST /familles/nouvelle           open a follow-up (code, consent, optional details)
 *   GET      /familles/:id                consent and timeline
 *   POST     /familles/:id/coordonnees    show the nominative details, with a purpose
 *   GET/POST /familles/:id/consentement   give or withdraw a consent scope
 *   GET/POST /familles/:id/fermer         close the file, with a reason
 *   GET/POST /familles/:id/rouvrir        reopen it, saying why
 * A file opens with the family's consent to suivi; actions its consent
 * does not allow (a referral without `reference`) are not offered.
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
#include "views/entry.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/pager.h"
#include "views/reflabel.h"
#include "views/widgets.h"
#include "views/view.h"

/* Why nominative details are looked at (recorded in the access log). */
static const struct ref_item purposes[] = {
	{"suivi", N_("Suivi de la famille"), NULL, false},
	{"reference", N_("Préparer une référence"), NULL, false},
	{"autre", N_("Autre raison"), NULL, false},
};

static const char *language_label(struct request *req, const char *code)
{
	return ref_lookup(req, consent_languages, CONSENT_LANGUAGES, code);
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

#define FAMILY_PAGE 25 /* files per page of /familles */

enum perr view_families(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, actor_keeps_journal(req->actor),
					  TR(req, "Familles suivies"), &e);
	if (!db)
		return e;
	static const char *const keep[] = {"code"};
	const char *code = req_query(req, "code");
	struct view_pager pager = {.path = "/familles",
				   .param = "page",
				   .keep = keep,
				   .nkeep = ARRAY_LEN(keep),
				   .per_page = FAMILY_PAGE,
				   .page = view_pager_requested(req, "page")};
	struct family *v;
	size_t n;
	if (family_list_page(db, req->arena, req->actor, code, FAMILY_PAGE,
			     view_pager_offset(&pager), &v, &n, &pager.total) < 0)
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
	html_printf(o,
		    "<form method=\"get\" action=\"/familles\" class=\"search\" role=\"search\">"
		    "<div class=\"field\"><label for=\"f-code\">%s</label><p class=\"hint\" "
		    "id=\"h-code\">%s</p><input type=\"search\" id=\"f-code\" name=\"code\" "
		    "value=\"%s\" aria-describedby=\"h-code\" maxlength=\"40\"></div>"
		    "<button type=\"submit\" class=\"button\">%s</button></form>\n",
		    TR(req, "Chercher par code"),
		    TR(req, "Une partie du code de la famille. La recherche ne porte jamais sur "
			    "les noms."),
		    code ? code : "", TR(req, "Chercher"));
	if (!n && code && *code)
		html_printf(
			o, "<p class=\"empty\" role=\"status\">%s</p>\n",
			TR(req, "Aucune famille suivie ne porte un code qui contient ce texte."));
	else if (!n)
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
	view_pager_write(req, o, &pager);
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
	fw_select(&f, "consent.language", TR(req, "Langue du formulaire"), consent_languages,
		  CONSENT_LANGUAGES,
		  ff->raw ? kvlist_get(ff->raw, "consent.language") : ff->f.consent_language,
		  TR(req, "— Choisir —"));
	html_printf(o,
		    "<div class=\"field\" role=\"group\" id=\"f-consent-scopes\" "
		    "aria-label=\"%s\">\n",
		    TR(req, "Portée du consentement"));
	fw_error_text(&f, "consent.scopes");
	checkbox(&f, "consent.suivi", TR(req, "Suivi (obligatoire pour ouvrir un suivi)"),
		 ff->f.consent_suivi);
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
	ff.f.consent_date = today;
	ff.f.consent_suivi = true;
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
	family_check_opening(f, &ff->v);
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
	return perr_found(family_get(db, req->arena, req->actor, id, f));
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

/* The label of a consent scope. */
static const char *scope_label(struct request *req, const char *scope)
{
	if (!scope)
		return "";
	if (strcmp(scope, "suivi") == 0)
		return TR(req, "suivi");
	if (strcmp(scope, "reference") == 0)
		return TR(req, "référence");
	return TR(req, "citation");
}

static const char *close_reason_label(struct request *req, const char *code)
{
	for (size_t i = 0; code && i < family_close_reasons_count; i++)
		if (strcmp(code, family_close_reasons[i].code) == 0)
			return strcmp(req->lang, "en") == 0 ? family_close_reasons[i].en
							    : family_close_reasons[i].fr;
	return code ? code : "—";
}

/* The file's state: opened, closed (why), anonymised, followed by. */
static void state_part(struct request *req, struct buf *o, struct db *db, const struct family *f)
{
	html_printf(o, "<section class=\"panel\"><h2>%s</h2><dl class=\"facts\">\n",
		    TR(req, "Suivi"));
	fact(o, TR(req, "Ouvert le"), fmt_date_long(req, f->opened));
	if (f->closed) {
		fact(o, TR(req, "Fermé le"), fmt_date_long(req, f->closed));
		fact(o, TR(req, "Raison de la fermeture"),
		     close_reason_label(req, f->close_reason));
	}
	const char *follower = NULL;
	if (f->follower_id == req->actor->person_id)
		follower = TR(req, "vous");
	else if (f->follower_id)
		follower = journal_person_name(db, req->arena, f->follower_id);
	fact(o, TR(req, "Suivie par"), follower ? follower : "—");
	html_printf(o, "</dl>\n");
	if (f->anonymised_at)
		html_printf(o, "<p class=\"tag\">%s</p>\n",
			    TR(req, "Dossier anonymisé à la fin de sa période de conservation."));
	html_printf(o, "</section>\n");
}

/* The consent in force, scope by scope, and the link to change it. */
static void consent_part(struct request *req, struct buf *o, const struct family *f)
{
	html_printf(o, "<section class=\"panel\" id=\"consentement\"><h2>%s</h2>\n",
		    TR(req, "Consentement"));
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
	if (family_can_change(req->actor, f))
		html_printf(
			o,
			"<p><a class=\"button\" href=\"/familles/%lld/consentement\">%s</a></p>\n",
			(long long)f->id, TR(req, "Donner ou retirer un consentement"));
	html_printf(o, "</section>\n");
}

/* What may be done with the file: only what its state and consent allow. */
static void actions_part(struct request *req, struct buf *o, const struct family *f)
{
	bool open = !f->closed && !f->anonymised_at;
	bool change = family_can_change(req->actor, f);
	html_printf(o, "<p class=\"actions\">");
	if (family_allows(f, "reference"))
		html_printf(o, "<a class=\"button\" href=\"/renvois/nouveau?famille=%lld\">%s</a>",
			    (long long)f->id, TR(req, "Référer"));
	if (open && change)
		html_printf(o, " <a class=\"button\" href=\"/familles/%lld/fermer\">%s</a>",
			    (long long)f->id, TR(req, "Fermer le suivi"));
	if (f->closed && !f->anonymised_at && change)
		html_printf(o, " <a class=\"button\" href=\"/familles/%lld/rouvrir\">%s</a>",
			    (long long)f->id, TR(req, "Rouvrir le suivi"));
	html_printf(o, "</p>\n");
	if (open && !f->consent_reference)
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Sans consentement à la référence, cette famille ne peut pas "
				    "être référée à un autre organisme."));
}

/* "Consentement donné : référence", "Suivi fermé : Déménagement"… */
static const char *event_text(struct request *req, const struct family_event *e)
{
	const char *k = e->kind;
	if (strcmp(k, "consent_given") == 0)
		return arena_printf(req->arena, "%s%s%s", TR(req, "Consentement donné"),
				    TR(req, " : "), scope_label(req, e->scope));
	if (strcmp(k, "consent_withdrawn") == 0)
		return arena_printf(req->arena, "%s%s%s", TR(req, "Consentement retiré"),
				    TR(req, " : "), scope_label(req, e->scope));
	if (strcmp(k, "closed") == 0)
		return e->reason_code && strcmp(e->reason_code, "import") != 0 &&
				       strcmp(e->reason_code, "ouverture") != 0
			       ? arena_printf(req->arena, "%s%s%s", TR(req, "Suivi fermé"),
					      TR(req, " : "),
					      close_reason_label(req, e->reason_code))
			       : TR(req, "Suivi fermé");
	return TR(req, "Suivi rouvert");
}

/* Who recorded a line of the history, and how. */
static const char *event_by(struct request *req, const struct family_event *e)
{
	if (e->reason_code && strcmp(e->reason_code, "import") == 0)
		return TR(req, "par importation");
	if (!e->at)
		return TR(req, "inscrit avant l'historique");
	const char *who = e->actor_id == req->actor->person_id ? TR(req, "vous")
			  : e->actor_name                      ? e->actor_name
							       : "—";
	return arena_printf(req->arena, "%s %s", TR(req, "par"), who);
}

/* The file's history: consent given and withdrawn, closed, reopened. */
static enum perr history_part(struct request *req, struct buf *o, struct db *db,
			      const struct family *f)
{
	struct family_event *ev;
	size_t n;
	if (family_history(db, req->arena, f, &ev, &n) < 0)
		return PERR_UNAVAILABLE;
	html_printf(o, "<section class=\"panel\" id=\"historique\"><h2>%s</h2>\n",
		    TR(req, "Historique du dossier"));
	if (!n)
		html_printf(o, "<p class=\"empty\">%s</p>\n", TR(req, "Aucun changement."));
	else
		html_printf(o, "<ol class=\"history\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(o, "<li><strong>%s</strong> — %s <span class=\"hint\">(%s)</span>",
			    fmt_date_medium(req, ev[i].on_date), event_text(req, &ev[i]),
			    event_by(req, &ev[i]));
		if (ev[i].language && strcmp(ev[i].kind, "consent_given") == 0)
			html_printf(o, " <span class=\"tag\">%s</span>",
				    language_label(req, ev[i].language));
		if (ev[i].reason)
			html_printf(o, "<br><q>%s</q>", ev[i].reason);
		html_printf(o, "</li>\n");
	}
	if (n)
		html_printf(o, "</ol>\n");
	html_printf(o, "</section>\n");
	return PERR_OK;
}

static const char *ok_notice(struct request *req)
{
	const char *ok = req_query(req, "ok");
	if (!ok)
		return NULL;
	if (strcmp(ok, "cree") == 0)
		return TR(req, "Suivi ouvert.");
	if (strcmp(ok, "consentement") == 0)
		return TR(req, "Consentement enregistré. Il s'applique dès maintenant partout.");
	if (strcmp(ok, "ferme") == 0)
		return TR(req, "Suivi fermé.");
	if (strcmp(ok, "rouvert") == 0)
		return TR(req, "Suivi rouvert.");
	return NULL;
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
	const char *ok = ok_notice(req);
	if (ok)
		html_printf(o, "<p class=\"notice\" role=\"status\">%s</p>\n", ok);
	html_printf(o, "<div class=\"cols\">");
	state_part(req, o, db, f);
	consent_part(req, o, f);
	html_printf(o, "</div>\n");
	nominative_part(req, resp, f, shown, v);
	actions_part(req, o, f);

	html_printf(o, "<section class=\"timeline\"><h2>%s</h2>\n", TR(req, "Activités liées"));
	if (!f->closed && !f->anonymised_at)
		html_printf(o,
			    "<p class=\"actions\"><a class=\"button primary\" "
			    "href=\"/journal/nouvelle?famille=%lld\">%s</a></p>\n",
			    (long long)f->id, TR(req, "+ Consigner une activité"));
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
	if (family_can_change(req->actor, f) && history_part(req, o, db, f) != PERR_OK)
		return PERR_UNAVAILABLE;
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

/* ---- Consent over time, closing and reopening ---- */

static const struct ref_item scope_items[] = {
	{"suivi", N_("Suivi"), NULL, false},
	{"reference", N_("Référence vers un autre organisme"), NULL, false},
	{"citation", N_("Citation anonyme dans un récit"), NULL, false},
};

static const struct ref_item change_items[] = {
	{"donner", N_("La famille donne son consentement"), NULL, false},
	{"retirer", N_("La famille retire son consentement"), NULL, false},
};

/* The family of the route for a change: visible and changeable by the
 * actor (else a 404: nothing leaks), not anonymised. */
static enum perr load_changeable(struct request *req, struct db **db, struct family *f)
{
	enum perr e = load_family(req, db, f);
	if (e == PERR_OK && !family_can_change(req->actor, f))
		e = PERR_NOT_FOUND;
	return e;
}

/* The head of a change page: crumbs back to the file, title, errors. */
static void change_head(struct request *req, struct response *resp, const struct family *f,
			const char *title, const struct fw *fw)
{
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o,
		    "<p class=\"crumbs\"><a href=\"/familles/%lld\">← %s %s</a></p>\n<h1>%s</h1>\n",
		    (long long)f->id, TR(req, "Famille"), f->code, title);
	fw_error_summary(fw, TR(req, "Vérifiez ces champs :"));
}

static const char *posted_or(struct request *req, bool posted, const char *name, const char *def)
{
	if (!posted)
		return def;
	const char *s = req_form(req, name);
	return s ? s : "";
}

static enum perr consent_page(struct request *req, struct response *resp, struct db *db,
			      const struct family *f, const struct validation *v, bool posted)
{
	struct buf *o = &resp->body;
	struct fw fw = {.req = req, .out = o, .v = v};
	change_head(req, resp, f, TR(req, "Donner ou retirer un consentement"), &fw);
	html_printf(o, "<p class=\"lead\">%s %s.</p>\n", TR(req, "Consentement en vigueur :"),
		    scopes_text(req, f));
	html_printf(o,
		    "<p class=\"hint\">%s</p>\n"
		    "<form method=\"post\" action=\"/familles/%lld/consentement\" class=\"stack\" "
		    "novalidate>\n",
		    TR(req, "Un retrait s'applique tout de suite partout : plus de nouvelle "
			    "référence sans consentement à la référence, plus de citation sans "
			    "consentement à la citation. Retirer le suivi ferme le dossier."),
		    (long long)f->id);
	form_csrf_field(req, resp);
	fw_chips(&fw, "change", TR(req, "Changement"), change_items, ARRAY_LEN(change_items),
		 posted_or(req, posted, "change", NULL));
	fw_chips(&fw, "scope", TR(req, "Portée"), scope_items, ARRAY_LEN(scope_items),
		 posted_or(req, posted, "scope", NULL));
	fw_input(&fw, "date", "on_date", TR(req, "Date (du formulaire signé, ou du retrait)"),
		 posted_or(req, posted, "on_date", form_today(req)), NULL);
	fw_select(&fw, "language", TR(req, "Langue du formulaire (consentement donné)"),
		  consent_languages, CONSENT_LANGUAGES,
		  posted_or(req, posted, "language", f->consent_language), TR(req, "— Choisir —"));
	fw_textarea(&fw, "reason", TR(req, "Pourquoi"), posted_or(req, posted, "reason", NULL),
		    TR(req, "Quelques mots, sans nom ni coordonnées."), 3, 500);
	form_submit_bar(req, o, TR(req, "Enregistrer"),
			arena_printf(req->arena, "/familles/%lld", (long long)f->id));
	if (history_part(req, o, db, f) != PERR_OK)
		return PERR_UNAVAILABLE;
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_family_consent(struct request *req, struct response *resp)
{
	struct db *db;
	struct family f;
	enum perr e = load_changeable(req, &db, &f);
	return e == PERR_OK ? consent_page(req, resp, db, &f, NULL, false) : e;
}

/* Draws the posted consent form again (view_form_posted) over the file as
 * stored: nothing of the refused change was kept. form: its validation. */
static enum perr draw_consent(struct request *req, struct response *resp, void *form)
{
	struct db *db;
	struct family f;
	enum perr e = load_changeable(req, &db, &f);
	return e == PERR_OK ? consent_page(req, resp, db, &f, form, true) : e;
}

/* What a change of the file (model: 0 done, 1 refused with v, -1 error)
 * answers when it did not happen; PERR_OK when it did. */
static enum perr change_refused(int r)
{
	return r == 0 ? PERR_OK : r > 0 ? PERR_UNPROCESSABLE : PERR_INTERNAL;
}

enum perr view_family_consent_save(struct request *req, struct response *resp)
{
	struct db *db;
	struct family f;
	enum perr e = load_changeable(req, &db, &f);
	if (e != PERR_OK)
		return e;
	struct validation *v = arena_calloc(req->arena, 1, sizeof(*v));
	view_form_posted(req, draw_consent, v);
	const char *change = req_form(req, "change");
	struct consent_change c = {
		.scope = req_form(req, "scope"),
		.give = change && strcmp(change, "donner") == 0,
		.on_date = text_or_null(req, "on_date"),
		.language = text_or_null(req, "language"),
		.reason = form_trimmed(req, "reason"),
	};
	if (!change || (strcmp(change, "donner") != 0 && strcmp(change, "retirer") != 0))
		validation_add(v, "change",
			       N_("Dites si la famille donne ou retire son "
				  "consentement."));
	if (v->n)
		return PERR_UNPROCESSABLE;
	e = change_refused(family_change_consent(db, req->arena, req->actor, &f, &c, v));
	if (e != PERR_OK)
		return e;
	log_info("family.consent", "family=%lld scope=%s given=%d by=%lld", (long long)f.id,
		 c.scope, c.give ? 1 : 0, (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/familles/%lld?ok=consentement", (long long)f.id));
	return PERR_OK;
}

static enum perr close_page(struct request *req, struct response *resp, const struct family *f,
			    const struct validation *v, bool posted)
{
	struct buf *o = &resp->body;
	struct fw fw = {.req = req, .out = o, .v = v};
	change_head(req, resp, f, TR(req, "Fermer le suivi"), &fw);
	html_printf(o,
		    "<p class=\"hint\">%s</p>\n"
		    "<form method=\"post\" action=\"/familles/%lld/fermer\" class=\"stack\" "
		    "novalidate>\n",
		    TR(req, "Le dossier reste consultable; il pourra être rouvert. À la fin de la "
			    "période de conservation de votre organisation, ses coordonnées sont "
			    "détruites et le reste anonymisé."),
		    (long long)f->id);
	form_csrf_field(req, resp);
	struct ref_item *items =
		arena_calloc(req->arena, family_close_reasons_count, sizeof(*items));
	size_t n = 0;
	for (size_t i = 0; i < family_close_reasons_count; i++)
		if (strcmp(family_close_reasons[i].code, "consentement_retire") != 0)
			items[n++] = (struct ref_item){family_close_reasons[i].code,
						       family_close_reasons[i].fr,
						       family_close_reasons[i].en, false};
	fw_chips(&fw, "reason_code", TR(req, "Raison"), items, n,
		 posted_or(req, posted, "reason_code", NULL));
	fw_input(&fw, "date", "on_date", TR(req, "Date de fermeture"),
		 posted_or(req, posted, "on_date", form_today(req)), NULL);
	fw_textarea(&fw, "comment", TR(req, "Précisions (obligatoires pour « Autre raison »)"),
		    posted_or(req, posted, "comment", NULL),
		    TR(req, "Quelques mots, sans nom ni coordonnées."), 3, 500);
	form_submit_bar(req, o, TR(req, "Fermer le suivi"),
			arena_printf(req->arena, "/familles/%lld", (long long)f->id));
	view_end(req, resp);
	return PERR_OK;
}

static enum perr reopen_page(struct request *req, struct response *resp, const struct family *f,
			     const struct validation *v, bool posted)
{
	struct buf *o = &resp->body;
	struct fw fw = {.req = req, .out = o, .v = v};
	change_head(req, resp, f, TR(req, "Rouvrir le suivi"), &fw);
	if (!f->consent_suivi)
		html_printf(o,
			    "<p class=\"alert\" role=\"alert\">%s <a "
			    "href=\"/familles/%lld/consentement\">%s</a></p>\n",
			    TR(req, "La famille a retiré son consentement au suivi."),
			    (long long)f->id, TR(req, "Enregistrer son nouveau consentement"));
	html_printf(o,
		    "<form method=\"post\" action=\"/familles/%lld/rouvrir\" class=\"stack\" "
		    "novalidate>\n",
		    (long long)f->id);
	form_csrf_field(req, resp);
	fw_input(&fw, "date", "on_date", TR(req, "Date de réouverture"),
		 posted_or(req, posted, "on_date", form_today(req)), NULL);
	fw_textarea(&fw, "reason", TR(req, "Pourquoi"), posted_or(req, posted, "reason", NULL),
		    TR(req, "Quelques mots, sans nom ni coordonnées."), 3, 500);
	form_submit_bar(req, o, TR(req, "Rouvrir le suivi"),
			arena_printf(req->arena, "/familles/%lld", (long long)f->id));
	view_end(req, resp);
	return PERR_OK;
}

/* Closing and reopening a file: one shape, two changes. Each has its form
 * (drawn blank, or again with what was posted and its errors), the state
 * the file must be in, the model's change and what the file's page says
 * after it. */
struct file_change {
	bool needs_closed; /* reopening: the file is closed; closing: open */
	enum perr (*page)(struct request *req, struct response *resp, const struct family *f,
			  const struct validation *v, bool posted);
	int (*apply)(struct db *db, struct request *req, struct family *f, struct validation *v);
	const char *event, *ok; /* the log's event; the file page's ?ok= */
};

static int apply_close(struct db *db, struct request *req, struct family *f, struct validation *v)
{
	return family_close(db, req->arena, req->actor, f, text_or_null(req, "on_date"),
			    req_form(req, "reason_code"), form_trimmed(req, "comment"), v);
}

static int apply_reopen(struct db *db, struct request *req, struct family *f, struct validation *v)
{
	return family_reopen(db, req->arena, req->actor, f, text_or_null(req, "on_date"),
			     form_trimmed(req, "reason"), v);
}

static const struct file_change file_close = {false, close_page, apply_close, "family.close",
					      "ferme"};
static const struct file_change file_reopen = {true, reopen_page, apply_reopen, "family.reopen",
					       "rouvert"};

/* A posted change's state, to draw its form again. */
struct file_posted {
	const struct file_change *c;
	struct validation v;
};

static enum perr change_form(struct request *req, struct response *resp,
			     const struct file_change *c)
{
	struct db *db;
	struct family f;
	enum perr e = load_changeable(req, &db, &f);
	if (e == PERR_OK && (f.closed != 0) != c->needs_closed)
		e = PERR_NOT_FOUND;
	return e == PERR_OK ? c->page(req, resp, &f, NULL, false) : e;
}

/* Draws a posted change's form again over the file as stored. */
static enum perr draw_change(struct request *req, struct response *resp, void *form)
{
	struct file_posted *p = form;
	struct db *db;
	struct family f;
	enum perr e = load_changeable(req, &db, &f);
	return e == PERR_OK ? p->c->page(req, resp, &f, &p->v, true) : e;
}

static enum perr change_post(struct request *req, struct response *resp,
			     const struct file_change *c)
{
	struct db *db;
	struct family f;
	enum perr e = load_changeable(req, &db, &f);
	if (e != PERR_OK)
		return e;
	struct file_posted *p = arena_calloc(req->arena, 1, sizeof(*p));
	p->c = c;
	view_form_posted(req, draw_change, p);
	e = change_refused(c->apply(db, req, &f, &p->v));
	if (e != PERR_OK)
		return e;
	log_info(c->event, "family=%lld by=%lld", (long long)f.id,
		 (long long)req->actor->person_id);
	resp_redirect(resp, req->arena,
		      arena_printf(req->arena, "/familles/%lld?ok=%s", (long long)f.id, c->ok));
	return PERR_OK;
}

enum perr view_family_close_form(struct request *req, struct response *resp)
{
	return change_form(req, resp, &file_close);
}

enum perr view_family_close(struct request *req, struct response *resp)
{
	return change_post(req, resp, &file_close);
}

enum perr view_family_reopen_form(struct request *req, struct response *resp)
{
	return change_form(req, resp, &file_reopen);
}

enum perr view_family_reopen(struct request *req, struct response *resp)
{
	return change_post(req, resp, &file_reopen);
}
