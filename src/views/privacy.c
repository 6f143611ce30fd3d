/* The registers and the access log for the person in charge of the
 * protection of personal information (views/privacy.h). */
#include "views/privacy.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/privacy.h"
#include "model/retention.h"
#include "reports/table.h"
#include "views/form.h"
#include "views/page.h"
#include "views/reflabel.h"
#include "views/widgets.h"

/* ---- Words for the log's codes ---- */

static const struct ref_item actions[] = {
	{"read", N_("Consultation"), NULL, false},
	{"write", N_("Écriture"), NULL, false},
	{"communicate", N_("Communication à une autre organisation"), NULL, false},
	{"export", N_("Exportation"), NULL, false},
	{"anonymise", N_("Anonymisation"), NULL, false},
	{"seal", N_("Scellement du journal"), NULL, false},
};

static const struct ref_item purposes[] = {
	{"suivi", N_("Suivi de la famille"), NULL, false},
	{"reference", N_("Référence"), NULL, false},
	{"consultation", N_("Consultation"), NULL, false},
	{"export", N_("Exportation"), NULL, false},
	{"import", N_("Importation"), NULL, false},
	{"passation", N_("Passation des dossiers"), NULL, false},
	{"retention", N_("Fin de la période de conservation"), NULL, false},
	{"consent_given", N_("Consentement donné"), NULL, false},
	{"consent_withdrawn", N_("Consentement retiré"), NULL, false},
	{"closed", N_("Fermeture du dossier"), NULL, false},
	{"reopened", N_("Réouverture du dossier"), NULL, false},
	{"init", N_("Création de la base"), NULL, false},
	{"migration", N_("Mise à jour de la base"), NULL, false},
	{"autre", N_("Autre raison"), NULL, false},
};

static const struct ref_item informations[] = {
	{"nominative", N_("Coordonnées (nom, téléphone, adresse)"), NULL, false},
	{"nominative.name,nominative.phone", N_("Nom et téléphone"), NULL, false},
	{"nominative.name,nominative.phone,referral.fields",
	 N_("Nom, téléphone et valeurs du gabarit de transfert"), NULL, false},
	{"referral.fields", N_("Valeurs du gabarit de transfert"), NULL, false},
	{"consent.suivi", N_("Consentement au suivi"), NULL, false},
	{"consent.reference", N_("Consentement à la référence"), NULL, false},
	{"consent.citation", N_("Consentement à la citation"), NULL, false},
	{"file", N_("Dossier (fermeture ou réouverture)"), NULL, false},
	{"nominative,code,follower,texts",
	 N_("Coordonnées détruites; code, suivi et textes anonymisés"), NULL, false},
	{"code,follower,texts", N_("Code, suivi et textes anonymisés"), NULL, false},
	{"key", N_("Chaîne scellée sous la clé"), NULL, false},
};

static const char *information_text(struct request *req, const char *code)
{
	if (code && str_starts(code, "follower:"))
		return TR(req, "Personne qui suit la famille (passation)");
	if (code && str_starts(code, "sender:"))
		return TR(req, "Personne qui a envoyé le renvoi (passation)");
	return code ? ref_lookup(req, informations, ARRAY_LEN(informations), code) : "";
}

/* "Famille n° 12", "Renvoi n° 5 (famille n° 12)", or "—". */
static const char *object_text(struct request *req, const struct access_entry *e)
{
	if (e->object_kind && strcmp(e->object_kind, "family") == 0)
		return arena_printf(req->arena, "%s %lld", TR(req, "Famille n°"),
				    (long long)e->object_id);
	if (e->object_kind && strcmp(e->object_kind, "referral") == 0)
		return arena_printf(req->arena, "%s %lld (%s %lld)", TR(req, "Renvoi n°"),
				    (long long)e->object_id, TR(req, "famille n°"),
				    (long long)e->family_id);
	return "—";
}

/* "2026-11-25 10:00", local time: the same in pages and files. */
static const char *instant_text(struct request *req, int64_t t)
{
	char s[26];
	ptime_format_local(t, s);
	return arena_printf(req->arena, "%.10s %.5s", s, s + 11);
}

static const char *who_text(struct request *req, const char *name)
{
	return name ? name : TR(req, "Proxima (commande ou tâche quotidienne)");
}

/* ---- The frame of every page ---- */

struct pv {
	struct request *req;
	struct response *resp;
	struct db *db;
	struct buf *o;
	struct privacy_period period;
	const char *warning;
	bool file; /* ?format= asks for a file */
	enum table_format fmt;
};

static void fiscal_year(struct pv *pv)
{
	struct pdate t = ptime_local_date(ptime_now());
	int y = t.month >= 4 ? t.year : t.year - 1;
	pv->period.from = arena_printf(pv->req->arena, "%04d-04-01", y);
	pv->period.to = arena_printf(pv->req->arena, "%04d-03-31", y + 1);
}

/* Opens a page of the registers: the actor reads them (else 404), the
 * period (?du=&au=, default the fiscal year; a bad one is said and
 * replaced), the file format (?format=csv|xlsx; anything else: 404). */
static enum perr pv_start(struct request *req, struct response *resp, struct pv *pv)
{
	memset(pv, 0, sizeof(*pv));
	pv->req = req;
	pv->resp = resp;
	pv->o = &resp->body;
	pv->db = db_thread();
	if (!pv->db)
		return PERR_UNAVAILABLE;
	if (!privacy_reads_registers(pv->db, req->actor))
		return PERR_NOT_FOUND;
	fiscal_year(pv);
	const char *du = req_query(req, "du"), *au = req_query(req, "au");
	struct pdate f, t;
	if (du || au) {
		if (du && au && ptime_parse_date(du, &f) == 0 && ptime_parse_date(au, &t) == 0 &&
		    ptime_date_cmp(&f, &t) <= 0) {
			pv->period.from = du;
			pv->period.to = au;
		} else {
			pv->warning = TR(req, "Période invalide (du, au : AAAA-MM-JJ, du ≤ au) : "
					      "l'année financière en cours est affichée.");
		}
	}
	const char *format = req_query(req, "format");
	if (format) {
		if (table_format_parse(format, &pv->fmt) < 0 || pv->warning)
			return PERR_NOT_FOUND;
		pv->file = true;
	}
	return PERR_OK;
}

static void pv_head(struct pv *pv, const char *title, const char *lead)
{
	struct request *req = pv->req;
	view_begin(req, pv->resp, title);
	html_printf(pv->o,
		    "<p class=\"crumbs\"><a href=\"/confidentialite\">← %s</a></p>\n<h1>%s</h1>\n",
		    TR(req, "Confidentialité"), title);
	if (lead)
		html_printf(pv->o, "<p class=\"lead\">%s</p>\n", lead);
	if (pv->warning)
		html_printf(pv->o, "<p class=\"alert\" role=\"alert\">%s</p>\n", pv->warning);
}

/* The period form; extra writes more fields before the button (or NULL). */
static void pv_period_form(struct pv *pv, void (*extra)(struct pv *, void *), void *arg)
{
	struct request *req = pv->req;
	html_printf(pv->o,
		    "<form class=\"dash-scope\" method=\"get\" action=\"%s\">\n"
		    "<label>%s <input type=\"date\" name=\"du\" value=\"%s\"></label>\n"
		    "<label>%s <input type=\"date\" name=\"au\" value=\"%s\"></label>\n",
		    req->path, TR(req, "Du"), pv->period.from, TR(req, "Au"), pv->period.to);
	if (extra)
		extra(pv, arg);
	html_printf(pv->o, "<button type=\"submit\" class=\"button\">%s</button></form>\n",
		    TR(req, "Afficher"));
}

/* "Télécharger : CSV · XLSX" for the page's own query (query: the
 * filter's extra parameters, already URL-encoded, or ""). */
static void pv_file_links(struct pv *pv, const char *query)
{
	struct request *req = pv->req;
	html_printf(pv->o, "<p class=\"actions\">%s ", TR(req, "Télécharger :"));
	static const char *const formats[] = {"csv", "xlsx"};
	for (size_t i = 0; i < ARRAY_LEN(formats); i++)
		html_printf(
			pv->o,
			"%R<a class=\"button\" href=\"%s?du=%U&amp;au=%U%s&amp;format=%s\">%s</a>",
			i ? " " : "", req->path, pv->period.from, pv->period.to, query, formats[i],
			formats[i]);
	html_printf(pv->o, "</p>\n");
}

/* Sends t as the file the request asked for, named name-FROM-TO. */
static enum perr pv_send(struct pv *pv, const struct table *t, const char *name)
{
	struct request *req = pv->req;
	if (table_write(t, pv->fmt, req->lang, &pv->resp->body) < 0)
		return PERR_INTERNAL;
	pv->resp->content_type = table_content_type(pv->fmt);
	resp_header(pv->resp, req->arena, "Content-Disposition",
		    arena_printf(req->arena, "attachment; filename=\"%s-%s-%s.%s\"", name,
				 pv->period.from, pv->period.to,
				 pv->fmt == TABLE_CSV ? "csv" : "xlsx"));
	return PERR_OK;
}

/* A file too long to send in one piece. */
static enum perr pv_too_many(struct request *req)
{
	req->err_message = N_("Trop d'entrées pour un seul fichier : choisissez une période plus "
			      "courte.");
	return PERR_INVALID;
}

/* Opens a table in a scrolling box a keyboard can reach (a named region). */
static void th(struct request *req, struct buf *o, const char *const *labels, size_t n)
{
	html_printf(o,
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"%s\">"
		    "<table class=\"data\"><thead><tr>",
		    TR(req, "Tableau des entrées"));
	for (size_t i = 0; i < n; i++)
		html_printf(o, "<th scope=\"col\">%s</th>", labels[i]);
	html_printf(o, "</tr></thead><tbody>\n");
}

/* Translated labels of n French msgids. */
static const char *const *labels_of(struct request *req, const char *const *msgids, size_t n)
{
	const char **v = arena_calloc(req->arena, n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = TR(req, msgids[i]);
	return v;
}

/* ---- The hub ---- */

static enum perr designations(struct pv *pv)
{
	struct request *req = pv->req;
	struct privacy_officer *v;
	size_t n;
	if (privacy_officers(pv->db, req->arena, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	html_printf(pv->o,
		    "<section class=\"panel\" id=\"responsables\"><h2>%s</h2>\n<p class=\"hint\">%s"
		    "</p>\n",
		    TR(req, "Personnes responsables par organisation"),
		    TR(req, "Chaque organisation désigne la personne responsable de la protection "
			    "des renseignements personnels : elle lit le journal des accès et les "
			    "registres de son organisation, sans lire de données nominatives."));
	for (size_t i = 0; i < n; i++) {
		if (i && v[i].organisation_id == v[i - 1].organisation_id)
			continue;
		struct privacy_person *pp;
		size_t np;
		if (privacy_org_people(pv->db, req->arena, v[i].organisation_id, &pp, &np) < 0)
			return PERR_UNAVAILABLE;
		html_printf(pv->o, "<form method=\"post\" action=\"/confidentialite/responsables\" "
				   "class=\"inline\">\n");
		form_csrf_field(req, pv->resp);
		html_printf(pv->o,
			    "<input type=\"hidden\" name=\"organisation\" value=\"%lld\">"
			    "<label>%s <select name=\"person\"><option value=\"0\">%s</option>",
			    (long long)v[i].organisation_id, v[i].organisation_name,
			    TR(req, "— Personne —"));
		for (size_t k = 0; k < np; k++)
			html_printf(pv->o, "<option value=\"%lld\"%R>%s</option>",
				    (long long)pp[k].id,
				    pp[k].id == v[i].person_id ? " selected" : "", pp[k].name);
		html_printf(pv->o,
			    "</select></label> <button type=\"submit\" class=\"button\">%s"
			    "</button></form>\n",
			    TR(req, "Désigner"));
	}
	html_printf(pv->o, "</section>\n");
	return PERR_OK;
}

enum perr view_privacy_hub(struct request *req, struct response *resp)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	if (e != PERR_OK)
		return e;
	view_begin(req, resp, TR(req, "Confidentialité"));
	html_printf(pv.o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", TR(req, "Confidentialité"),
		    TR(req, "Ce que la personne responsable de la protection des renseignements "
			    "personnels consulte pour répondre à la Loi 25 et à la LRSSS : le "
			    "journal des accès, les registres et la conservation des dossiers."));
	if (req_query(req, "ok"))
		html_printf(pv.o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Désignation enregistrée."));
	static const struct {
		const char *href, *title, *what;
	} links[] = {
		{"/confidentialite/journal", N_("Journal des accès"),
		 N_("Chaque lecture, écriture et communication de données nominatives : qui, "
		    "quand, quoi, pourquoi (LRSSS, art. 103).")},
		{"/confidentialite/communications", N_("Registre des communications"),
		 N_("Les renseignements nominatifs transmis à une autre organisation par une "
		    "référence.")},
		{"/confidentialite/incidents", N_("Registre des incidents de confidentialité"),
		 N_("Les incidents, l'évaluation du risque de préjudice sérieux, les avis et les "
		    "mesures prises.")},
		{"/confidentialite/anonymisations",
		 N_("Registre d'anonymisation et de destruction"),
		 N_("Les dossiers anonymisés à la fin de leur période de conservation.")},
		{"/confidentialite/conservation", N_("Conservation des dossiers"),
		 N_("La période de conservation de chaque organisation, et ce que la prochaine "
		    "exécution fera.")},
	};
	html_printf(pv.o, "<ul class=\"menu-list\">\n");
	for (size_t i = 0; i < ARRAY_LEN(links); i++)
		html_printf(pv.o, "<li><a href=\"%s\"><strong>%s</strong></a> — %s</li>\n",
			    links[i].href, TR(req, links[i].title), TR(req, links[i].what));
	html_printf(pv.o, "</ul>\n");
	if (req->actor->role == ROLE_ADMIN && designations(&pv) != PERR_OK)
		return PERR_UNAVAILABLE;
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_privacy_designate(struct request *req, struct response *resp)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	if (req->actor->role != ROLE_ADMIN)
		return PERR_NOT_FOUND;
	int64_t org = 0, person = 0;
	if (parse_i64(req_form(req, "organisation"), 1, INT64_MAX, &org) < 0 ||
	    parse_i64(req_form(req, "person"), 0, INT64_MAX, &person) < 0) {
		req->err_message = N_("Choisissez l'organisation et la personne.");
		return PERR_INVALID;
	}
	struct validation v = {0};
	int r = privacy_designate(db, req->actor, org, person, &v);
	if (r > 0)
		req->err_message = v.errs[0].message;
	if (r != 0)
		return r > 0 ? PERR_INVALID : PERR_UNAVAILABLE;
	resp_redirect(resp, req->arena, "/confidentialite?ok=designation#responsables");
	return PERR_OK;
}

/* ---- The access log ---- */

struct access_query {
	struct access_filter f;
	const char *person, *family, *action; /* as given, for the form and links */
};

static void access_fields(struct pv *pv, void *arg)
{
	struct access_query *q = arg;
	struct request *req = pv->req;
	struct privacy_person *people;
	size_t np = 0;
	if (privacy_access_people(pv->db, req->arena, req->actor, &people, &np) < 0)
		np = 0;
	html_printf(pv->o, "<label>%s <select name=\"personne\"><option value=\"\">%s</option>",
		    TR(req, "Personne"), TR(req, "Toutes"));
	for (size_t i = 0; i < np; i++)
		html_printf(pv->o, "<option value=\"%lld\"%R>%s%s%s</option>",
			    (long long)people[i].id,
			    people[i].id == q->f.person_id ? " selected" : "", people[i].name,
			    people[i].organisation ? " — " : "",
			    people[i].organisation ? people[i].organisation : "");
	html_printf(pv->o,
		    "</select></label>\n<label>%s <input type=\"text\" inputmode=\"numeric\" "
		    "name=\"famille\" value=\"%s\" size=\"6\"></label>\n"
		    "<label>%s <select name=\"action\"><option value=\"\">%s</option>",
		    TR(req, "Famille n°"), q->family ? q->family : "", TR(req, "Action"),
		    TR(req, "Toutes"));
	for (size_t i = 0; i < ARRAY_LEN(actions); i++)
		html_printf(pv->o, "<option value=\"%s\"%R>%s</option>", actions[i].code,
			    q->action && strcmp(q->action, actions[i].code) == 0 ? " selected" : "",
			    ref_item_label(req, &actions[i]));
	html_printf(pv->o, "</select></label>\n");
}

/* Reads the filter's parameters. PERR_OK, or PERR_NOT_FOUND for values
 * that cannot be (a person or family that is not a number, an unknown
 * action). */
static enum perr access_query_read(struct pv *pv, struct access_query *q)
{
	struct request *req = pv->req;
	memset(q, 0, sizeof(*q));
	q->f.period = pv->period;
	q->person = req_query(req, "personne");
	q->family = req_query(req, "famille");
	q->action = req_query(req, "action");
	const char *before = req_query(req, "avant");
	if ((q->person && *q->person && parse_i64(q->person, 1, INT64_MAX, &q->f.person_id) < 0) ||
	    (q->family && *q->family && parse_i64(q->family, 1, INT64_MAX, &q->f.family_id) < 0) ||
	    (before && parse_i64(before, 1, INT64_MAX, &q->f.before_id) < 0))
		return PERR_NOT_FOUND;
	if (q->action && *q->action) {
		bool known = false;
		for (size_t i = 0; i < ARRAY_LEN(actions); i++)
			known = known || strcmp(q->action, actions[i].code) == 0;
		if (!known)
			return PERR_NOT_FOUND;
		q->f.action = q->action;
	}
	return PERR_OK;
}

static const char *const ACCESS_HEADER[] = {
	N_("N°"),    N_("Date et heure"), N_("Personne"),    N_("Organisation"), N_("Action"),
	N_("Objet"), N_("Famille n°"),    N_("Information"), N_("Destinataire"), N_("Finalité"),
};

static void access_row(struct request *req, struct table *t, const struct access_entry *e)
{
	table_int(t, e->id);
	table_text(t, instant_text(req, e->at));
	table_text(t, who_text(req, e->actor_name));
	table_text(t, e->actor_organisation);
	table_text(t, ref_lookup(req, actions, ARRAY_LEN(actions), e->action));
	table_text(t, object_text(req, e));
	if (e->family_id)
		table_int(t, e->family_id);
	else
		table_text(t, NULL);
	table_text(t, information_text(req, e->information));
	table_text(t, e->recipient_name);
	table_text(t,
		   e->purpose ? ref_lookup(req, purposes, ARRAY_LEN(purposes), e->purpose) : NULL);
}

/* The HTML rows of a table (all columns as text). */
static void rows_html(struct buf *o, const struct table *t)
{
	size_t rows = table_rows(t);
	for (size_t r = 0; r < rows; r++) {
		html_printf(o, "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const struct table_cell *cell = &t->cells[r * t->ncols + c];
			if (cell->is_number)
				html_printf(o, "<td class=\"num\">%lld</td>",
					    (long long)cell->number);
			else
				html_printf(o, "<td>%s</td>", cell->text ? cell->text : "");
		}
		html_printf(o, "</tr>\n");
	}
	html_printf(o, "</tbody></table></div>\n");
}

/* The filter's parameters for links, URL-encoded. */
static const char *access_link_query(struct request *req, const struct access_query *q)
{
	struct buf b = BUF_INIT(1024);
	if (q->f.person_id)
		buf_printf(&b, "&personne=%lld", (long long)q->f.person_id);
	if (q->f.family_id)
		buf_printf(&b, "&famille=%lld", (long long)q->f.family_id);
	if (q->f.action)
		buf_printf(&b, "&action=%s", q->f.action); /* a known code: no escaping needed */
	const char *s = arena_strdup(req->arena, b.data);
	buf_free(&b);
	return s;
}

enum perr view_privacy_access(struct request *req, struct response *resp)
{
	struct pv pv;
	struct access_query q;
	enum perr e = pv_start(req, resp, &pv);
	if (e == PERR_OK)
		e = access_query_read(&pv, &q);
	if (e != PERR_OK)
		return e;
	q.f.limit = pv.file ? PRIVACY_MAX_ROWS + 1 : PRIVACY_PAGE + 1;
	if (pv.file)
		q.f.before_id = 0;
	struct access_entry *v;
	size_t n;
	if (privacy_access_list(pv.db, req->arena, req->actor, &q.f, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	bool more = n > (size_t)q.f.limit - 1;
	if (more)
		n--;
	if (pv.file && more)
		return pv_too_many(req);
	struct table t;
	table_init(&t, req->arena, TR(req, "Journal des accès"),
		   labels_of(req, ACCESS_HEADER, ARRAY_LEN(ACCESS_HEADER)),
		   ARRAY_LEN(ACCESS_HEADER));
	for (size_t i = 0; i < n; i++)
		access_row(req, &t, &v[i]);
	if (pv.file)
		return pv_send(&pv, &t, "journal-des-acces");

	pv_head(&pv, TR(req, "Journal des accès"),
		TR(req, "Chaque lecture, écriture et communication de données nominatives, la "
			"plus récente en premier. Les familles sont désignées par leur numéro."));
	pv_period_form(&pv, access_fields, &q);
	const char *lq = access_link_query(req, &q);
	pv_file_links(&pv, lq);
	if (!n) {
		html_printf(pv.o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune entrée pour ces critères."));
	} else {
		th(req, pv.o, t.header, t.ncols);
		rows_html(pv.o, &t);
	}
	html_printf(pv.o, "<p class=\"actions\">");
	if (q.f.before_id)
		html_printf(pv.o, "<a href=\"%s?du=%U&amp;au=%U%s\">%s</a> ", req->path,
			    pv.period.from, pv.period.to, lq, TR(req, "← Les plus récentes"));
	if (more)
		html_printf(
			pv.o,
			"<a class=\"button\" href=\"%s?du=%U&amp;au=%U%s&amp;avant=%lld\">%s</a>",
			req->path, pv.period.from, pv.period.to, lq, (long long)v[n - 1].id,
			TR(req, "Entrées plus anciennes →"));
	html_printf(pv.o, "</p>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* ---- The register of communications ---- */

static const char *const COMM_HEADER[] = {
	N_("N°"),           N_("Date et heure"), N_("Envoyé par"), N_("Organisation"),
	N_("Destinataire"), N_("Information"),   N_("Famille n°"), N_("Finalité"),
};

enum perr view_privacy_communications(struct request *req, struct response *resp)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	if (e != PERR_OK)
		return e;
	struct access_entry *v;
	size_t n;
	if (privacy_communications(pv.db, req->arena, req->actor, &pv.period, PRIVACY_MAX_ROWS + 1,
				   &v, &n) < 0)
		return PERR_UNAVAILABLE;
	if (n > PRIVACY_MAX_ROWS)
		return pv_too_many(req);
	struct table t;
	table_init(&t, req->arena, TR(req, "Communications"),
		   labels_of(req, COMM_HEADER, ARRAY_LEN(COMM_HEADER)), ARRAY_LEN(COMM_HEADER));
	for (size_t i = 0; i < n; i++) {
		table_int(&t, v[i].id);
		table_text(&t, instant_text(req, v[i].at));
		table_text(&t, who_text(req, v[i].actor_name));
		table_text(&t, v[i].actor_organisation);
		table_text(&t, v[i].recipient_name);
		table_text(&t, information_text(req, v[i].information));
		table_int(&t, v[i].family_id);
		table_text(&t, ref_lookup(req, purposes, ARRAY_LEN(purposes), v[i].purpose));
	}
	if (pv.file)
		return pv_send(&pv, &t, "registre-des-communications");
	pv_head(&pv, TR(req, "Registre des communications"),
		TR(req, "Chaque envoi de renseignements nominatifs à une autre organisation (une "
			"référence) : quand, par qui, à qui, quels renseignements et pourquoi."));
	pv_period_form(&pv, NULL, NULL);
	pv_file_links(&pv, "");
	if (!n) {
		html_printf(pv.o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune communication dans cette période."));
	} else {
		th(req, pv.o, t.header, t.ncols);
		rows_html(pv.o, &t);
	}
	view_end(req, resp);
	return PERR_OK;
}

/* ---- The register of anonymisation and destruction ---- */

static const char *const ANON_HEADER[] = {
	N_("N°"),    N_("Date et heure"),     N_("Organisation"), N_("Famille n°"),
	N_("Règle"), N_("Ce qui a été fait"), N_("Par"),
};

static const char *rule_text(struct request *req, const struct anonymisation_entry *e)
{
	return arena_printf(req->arena, "%s%s%d %s (%s %s)", TR(req, "Conservation"),
			    TR(req, " : "), e->months, TR(req, "mois après la fermeture"),
			    TR(req, "fermé le"), e->closed ? e->closed : "—");
}

static const char *done_text(struct request *req, const struct anonymisation_entry *e)
{
	return arena_printf(req->arena, "%s%s; %s%s%lld, %s%s%lld, %s%s%lld, %s%s%lld",
			    e->nominative ? TR(req, "coordonnées détruites; ") : "",
			    TR(req, "code et personne qui suit anonymisés"),
			    TR(req, "notes effacées"), TR(req, " : "), (long long)e->notes,
			    TR(req, "récits effacés"), TR(req, " : "), (long long)e->stories,
			    TR(req, "renvois épurés"), TR(req, " : "), (long long)e->referrals,
			    TR(req, "raisons effacées"), TR(req, " : "), (long long)e->reasons);
}

enum perr view_privacy_anonymisations(struct request *req, struct response *resp)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	if (e != PERR_OK)
		return e;
	struct anonymisation_entry *v;
	size_t n;
	if (privacy_anonymisations(pv.db, req->arena, req->actor, &pv.period, PRIVACY_MAX_ROWS + 1,
				   &v, &n) < 0)
		return PERR_UNAVAILABLE;
	if (n > PRIVACY_MAX_ROWS)
		return pv_too_many(req);
	struct table t;
	table_init(&t, req->arena, TR(req, "Anonymisation"),
		   labels_of(req, ANON_HEADER, ARRAY_LEN(ANON_HEADER)), ARRAY_LEN(ANON_HEADER));
	for (size_t i = 0; i < n; i++) {
		table_int(&t, v[i].id);
		table_text(&t, instant_text(req, v[i].at));
		table_text(&t, v[i].organisation_name);
		table_int(&t, v[i].family_id);
		table_text(&t, rule_text(req, &v[i]));
		table_text(&t, done_text(req, &v[i]));
		table_text(&t, v[i].actor_name ? v[i].actor_name
					       : TR(req, "Proxima (exécution de la conservation)"));
	}
	if (pv.file)
		return pv_send(&pv, &t, "registre-anonymisation");
	pv_head(&pv, TR(req, "Registre d'anonymisation et de destruction"),
		TR(req, "Chaque dossier dont les coordonnées ont été détruites et le reste "
			"anonymisé : quand, sous quelle règle, ce qui a été fait. Les statistiques "
			"anonymes restent."));
	pv_period_form(&pv, NULL, NULL);
	pv_file_links(&pv, "");
	if (!n) {
		html_printf(pv.o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucune anonymisation dans cette période."));
	} else {
		th(req, pv.o, t.header, t.ncols);
		rows_html(pv.o, &t);
	}
	view_end(req, resp);
	return PERR_OK;
}

/* ---- The confidentiality-incident register ---- */

static const char *const INCIDENT_HEADER[] = {
	N_("N°"),
	N_("Organisation"),
	N_("Renseignements concernés"),
	N_("Circonstances"),
	N_("Survenu le (ou du)"),
	N_("Au"),
	N_("Découvert le"),
	N_("Personnes concernées"),
	N_("Évaluation du risque"),
	N_("Risque de préjudice sérieux"),
	N_("Avis à la Commission le"),
	N_("Avis aux personnes le"),
	N_("Autres avis"),
	N_("Mesures prises"),
	N_("Inscrit par"),
	N_("Inscrit le"),
	N_("Modifié par"),
	N_("Modifié le"),
};

static void incident_row(struct request *req, struct table *t, const struct incident *in)
{
	table_int(t, in->id);
	table_text(t, in->organisation_name);
	table_text(t, in->information);
	table_text(t, in->circumstances);
	table_text(t, in->occurred_on);
	table_text(t, in->occurred_to);
	table_text(t, in->discovered_on);
	if (in->people_count >= 0)
		table_int(t, in->people_count);
	else
		table_text(t, TR(req, "inconnu"));
	table_text(t, in->risk_assessment);
	table_text(t, in->serious_risk ? TR(req, "oui") : TR(req, "non"));
	table_text(t, in->notice_commission_on);
	table_text(t, in->notice_people_on);
	table_text(t, in->notices_sent);
	table_text(t, in->measures_taken);
	table_text(t, in->recorded_by_name);
	table_text(t, in->recorded_at ? instant_text(req, in->recorded_at) : NULL);
	table_text(t, in->updated_by_name);
	table_text(t, in->updated_at ? instant_text(req, in->updated_at) : NULL);
}

enum perr view_privacy_incidents(struct request *req, struct response *resp)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	if (e != PERR_OK)
		return e;
	struct incident *v;
	size_t n;
	if (privacy_incidents(pv.db, req->arena, req->actor, &pv.period, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct table t;
	table_init(&t, req->arena, TR(req, "Incidents"),
		   labels_of(req, INCIDENT_HEADER, ARRAY_LEN(INCIDENT_HEADER)),
		   ARRAY_LEN(INCIDENT_HEADER));
	for (size_t i = 0; i < n; i++)
		incident_row(req, &t, &v[i]);
	if (pv.file)
		return pv_send(&pv, &t, "registre-des-incidents");
	pv_head(&pv, TR(req, "Registre des incidents de confidentialité"),
		TR(req, "Tout accès, utilisation ou communication non autorisé, et toute perte "
			"de renseignements personnels, est inscrit ici, même sans risque de "
			"préjudice sérieux (Loi 25, art. 3.8)."));
	if (req_query(req, "ok"))
		html_printf(pv.o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Incident inscrit au registre."));
	html_printf(pv.o,
		    "<p class=\"actions\"><a class=\"button primary\" "
		    "href=\"/confidentialite/incidents/nouveau\">%s</a></p>\n",
		    TR(req, "+ Inscrire un incident"));
	pv_period_form(&pv, NULL, NULL);
	pv_file_links(&pv, "");
	if (!n) {
		html_printf(pv.o, "<p class=\"empty\">%s</p>\n",
			    TR(req, "Aucun incident découvert dans cette période."));
		view_end(req, resp);
		return PERR_OK;
	}
	static const char *const cols[] = {N_("Découvert le"),
					   N_("Organisation"),
					   N_("Renseignements concernés"),
					   N_("Personnes concernées"),
					   N_("Risque de préjudice sérieux"),
					   N_("Avis")};
	th(req, pv.o, labels_of(req, cols, ARRAY_LEN(cols)), ARRAY_LEN(cols));
	for (size_t i = 0; i < n; i++) {
		const struct incident *in = &v[i];
		html_printf(pv.o,
			    "<tr><td><a href=\"/confidentialite/incidents/%lld\">%s</a></td>"
			    "<td>%s</td><td>%s</td>",
			    (long long)in->id, in->discovered_on,
			    in->organisation_name ? in->organisation_name : "—", in->information);
		if (in->people_count >= 0)
			html_printf(pv.o, "<td class=\"num\">%lld</td>",
				    (long long)in->people_count);
		else
			html_printf(pv.o, "<td>%s</td>", TR(req, "inconnu"));
		html_printf(pv.o, "<td>%s</td><td>%s%s%s</td></tr>\n",
			    in->serious_risk ? TR(req, "oui") : TR(req, "non"),
			    in->notice_commission_on ? TR(req, "Commission : ") : "",
			    in->notice_commission_on ? in->notice_commission_on : "",
			    in->notice_people_on
				    ? arena_printf(req->arena, " %s%s", TR(req, "personnes : "),
						   in->notice_people_on)
				    : "");
	}
	html_printf(pv.o, "</tbody></table></div>\n");
	view_end(req, resp);
	return PERR_OK;
}

/* Reads the posted incident over in (organisation: the officer's own, or
 * the admin's choice). Field errors that parsing finds go to v. */
static void incident_parse(struct request *req, struct incident *in, struct validation *v)
{
	int64_t org = req->actor->organisation_id;
	if (req->actor->role == ROLE_ADMIN &&
	    parse_i64(req_form(req, "organisation_id"), 1, INT64_MAX, &org) < 0)
		org = 0;
	in->organisation_id = org;
	in->information = form_trimmed(req, "information");
	in->circumstances = form_trimmed(req, "circumstances");
	in->occurred_on = form_trimmed(req, "occurred_on");
	in->occurred_to = form_trimmed(req, "occurred_to");
	in->discovered_on = form_trimmed(req, "discovered_on");
	const char *people = form_trimmed(req, "people_count");
	in->people_count = -1;
	if (people && parse_i64(people, 0, 100000000, &in->people_count) < 0) {
		in->people_count = -1;
		validation_add(v, "people_count",
			       N_("Entrez un nombre de personnes (0 ou plus), ou laissez vide si "
				  "vous ne le savez pas encore."));
	}
	in->risk_assessment = form_trimmed(req, "risk_assessment");
	in->serious_risk = req_form(req, "serious_risk") != NULL;
	in->notice_commission_on = form_trimmed(req, "notice_commission_on");
	in->notice_people_on = form_trimmed(req, "notice_people_on");
	in->notices_sent = form_trimmed(req, "notices_sent");
	in->measures_taken = form_trimmed(req, "measures_taken");
}

static const char *raw_text(struct request *req, bool posted, const char *name, const char *v)
{
	if (!posted)
		return v;
	const char *s = req_form(req, name);
	return s ? s : "";
}

static enum perr organisation_select(struct pv *pv, const struct fw *f, int64_t selected)
{
	struct privacy_officer *v;
	size_t n;
	if (privacy_officers(pv->db, pv->req->arena, &v, &n) < 0)
		return PERR_UNAVAILABLE;
	struct ref_item *items = arena_calloc(pv->req->arena, n ? n : 1, sizeof(*items));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && v[i].organisation_id == v[i - 1].organisation_id)
			continue;
		items[k++] = (struct ref_item){
			arena_printf(pv->req->arena, "%lld", (long long)v[i].organisation_id),
			v[i].organisation_name, v[i].organisation_name, false};
	}
	fw_select(f, "organisation_id", TR(pv->req, "Organisation concernée"), items, k,
		  selected ? arena_printf(pv->req->arena, "%lld", (long long)selected) : NULL,
		  TR(pv->req, "— Choisir —"));
	return PERR_OK;
}

static void incident_fields(struct pv *pv, const struct fw *f, const struct incident *in,
			    bool posted)
{
	struct request *req = pv->req;
	const char *hint = TR(req, "Sans nom : décrivez les renseignements, pas les personnes.");
	fw_textarea(f, "information", TR(req, "Renseignements personnels concernés"),
		    raw_text(req, posted, "information", in->information), hint, 3,
		    INCIDENT_TEXT_MAX);
	fw_textarea(f, "circumstances", TR(req, "Circonstances de l'incident"),
		    raw_text(req, posted, "circumstances", in->circumstances), NULL, 4,
		    INCIDENT_TEXT_MAX);
	fw_input(f, "date", "occurred_on", TR(req, "Survenu le (ou début de la période)"),
		 raw_text(req, posted, "occurred_on", in->occurred_on),
		 TR(req, "Laissez vide si la date n'est pas connue."));
	fw_input(f, "date", "occurred_to", TR(req, "Fin de la période (facultatif)"),
		 raw_text(req, posted, "occurred_to", in->occurred_to), NULL);
	fw_input(f, "date", "discovered_on", TR(req, "Découvert le"),
		 raw_text(req, posted, "discovered_on", in->discovered_on), NULL);
	fw_input(f, "text", "people_count", TR(req, "Nombre de personnes concernées"),
		 raw_text(req, posted, "people_count",
			  in->people_count >= 0
				  ? arena_printf(req->arena, "%lld", (long long)in->people_count)
				  : NULL),
		 TR(req, "Un nombre approximatif suffit; vide s'il n'est pas encore connu."));
	fw_textarea(f, "risk_assessment", TR(req, "Évaluation du risque de préjudice"),
		    raw_text(req, posted, "risk_assessment", in->risk_assessment),
		    TR(req, "La sensibilité des renseignements, les conséquences appréhendées et "
			    "leur probabilité."),
		    4, INCIDENT_TEXT_MAX);
	html_printf(pv->o,
		    "<div class=\"field\" id=\"f-serious_risk\"><label class=\"check\"><input "
		    "type=\"checkbox\" name=\"serious_risk\" value=\"1\"%R> %s</label></div>\n",
		    (posted ? req_form(req, "serious_risk") != NULL : in->serious_risk) ? " checked"
											: "",
		    TR(req, "L'incident présente un risque qu'un préjudice sérieux soit causé : la "
			    "Commission et les personnes concernées doivent être avisées avec "
			    "diligence."));
	fw_input(f, "date", "notice_commission_on",
		 TR(req, "Avis à la Commission d'accès à l'information le"),
		 raw_text(req, posted, "notice_commission_on", in->notice_commission_on), NULL);
	fw_input(f, "date", "notice_people_on", TR(req, "Avis aux personnes concernées le"),
		 raw_text(req, posted, "notice_people_on", in->notice_people_on), NULL);
	fw_textarea(f, "notices_sent", TR(req, "Autres avis (avis public, autres organismes)"),
		    raw_text(req, posted, "notices_sent", in->notices_sent), NULL, 2,
		    INCIDENT_TEXT_MAX);
	fw_textarea(f, "measures_taken", TR(req, "Mesures prises pour diminuer le risque"),
		    raw_text(req, posted, "measures_taken", in->measures_taken), NULL, 4,
		    INCIDENT_TEXT_MAX);
}

static enum perr incident_page(struct pv *pv, const struct incident *in, const struct validation *v,
			       bool posted)
{
	struct request *req = pv->req;
	struct fw f = {.req = req, .out = pv->o, .v = v};
	bool is_new = in->id == 0;
	const char *title = is_new ? TR(req, "Inscrire un incident de confidentialité")
				   : arena_printf(req->arena, "%s %lld", TR(req, "Incident n°"),
						  (long long)in->id);
	pv_head(pv, title, NULL);
	if (!is_new && req_query(req, "ok"))
		html_printf(pv->o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Incident mis à jour."));
	if (!is_new)
		html_printf(pv->o, "<p class=\"hint\">%s %s, %s%s%s%s</p>\n",
			    TR(req, "Inscrit par"),
			    in->recorded_by_name ? in->recorded_by_name : "—",
			    instant_text(req, in->recorded_at),
			    in->updated_at ? TR(req, " · modifié par ") : "",
			    in->updated_at && in->updated_by_name ? in->updated_by_name : "",
			    in->updated_at ? arena_printf(req->arena, ", %s",
							  instant_text(req, in->updated_at))
					   : "");
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(pv->o, "<form method=\"post\" action=\"%s\" class=\"stack\" novalidate>\n",
		    req->path);
	form_csrf_field(req, pv->resp);
	if (req->actor->role == ROLE_ADMIN &&
	    organisation_select(pv, &f, in->organisation_id) != PERR_OK)
		return PERR_UNAVAILABLE;
	incident_fields(pv, &f, in, posted);
	form_submit_bar(req, pv->o,
			is_new ? TR(req, "Inscrire l'incident") : TR(req, "Enregistrer"),
			"/confidentialite/incidents");
	view_end(req, pv->resp);
	return PERR_OK;
}

enum perr view_privacy_incident_new(struct request *req, struct response *resp)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	if (e != PERR_OK)
		return e;
	struct incident in = {.people_count = -1, .discovered_on = form_today(req)};
	return incident_page(&pv, &in, NULL, false);
}

/* A posted incident: what was typed and the errors. */
struct incident_form {
	struct incident in;
	struct validation v;
};

/* Draws the posted incident form again (view_form_posted). */
static enum perr draw_incident(struct request *req, struct response *resp, void *form)
{
	struct incident_form *inf = form;
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	return e == PERR_OK ? incident_page(&pv, &inf->in, &inf->v, true) : e;
}

/* Saves the posted incident (id 0: a new one): a redirect, or the error
 * that draws the form again with the errors. */
static enum perr incident_post(struct pv *pv, int64_t id)
{
	struct request *req = pv->req;
	struct incident_form *inf = arena_calloc(req->arena, 1, sizeof(*inf));
	inf->in.id = id;
	incident_parse(req, &inf->in, &inf->v);
	view_form_posted(req, draw_incident, inf);
	/* The model adds its errors to those of parsing: all come at once. */
	int r = privacy_incident_save(pv->db, req->actor, &inf->in, &inf->v);
	if (r != 0) {
		inf->in.id = id;
		return r > 0 ? PERR_UNPROCESSABLE : PERR_UNAVAILABLE;
	}
	resp_redirect(
		pv->resp, req->arena,
		id ? arena_printf(req->arena, "/confidentialite/incidents/%lld?ok=1", (long long)id)
		   : "/confidentialite/incidents?ok=1");
	return PERR_OK;
}

enum perr view_privacy_incident_create(struct request *req, struct response *resp)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	return e == PERR_OK ? incident_post(&pv, 0) : e;
}

/* The incident of the route that the actor may read. */
static enum perr incident_load(struct pv *pv, struct incident *in)
{
	int64_t id = view_param_id(pv->req);
	if (!id)
		return PERR_NOT_FOUND;
	int r = privacy_incident_get(pv->db, pv->req->arena, pv->req->actor, id, in);
	return r < 0 ? PERR_UNAVAILABLE : r ? PERR_NOT_FOUND : PERR_OK;
}

enum perr view_privacy_incident_show(struct request *req, struct response *resp)
{
	struct pv pv;
	struct incident in;
	enum perr e = pv_start(req, resp, &pv);
	if (e == PERR_OK)
		e = incident_load(&pv, &in);
	return e == PERR_OK ? incident_page(&pv, &in, NULL, false) : e;
}

enum perr view_privacy_incident_update(struct request *req, struct response *resp)
{
	struct pv pv;
	struct incident in;
	enum perr e = pv_start(req, resp, &pv);
	if (e == PERR_OK)
		e = incident_load(&pv, &in);
	return e == PERR_OK ? incident_post(&pv, in.id) : e;
}

/* ---- Retention ---- */

static void policy_form(struct pv *pv, const struct retention_policy *p, const struct validation *v)
{
	struct request *req = pv->req;
	html_printf(pv->o,
		    "<tr><th scope=\"row\">%s</th><td class=\"num\">%d</td><td>%s</td><td>"
		    "<form method=\"post\" action=\"/confidentialite/conservation\" "
		    "class=\"inline\">",
		    p->organisation_name, p->months,
		    p->is_default ? TR(req, "par défaut")
				  : arena_printf(req->arena, "%s %s", TR(req, "fixée par"),
						 p->set_by_name ? p->set_by_name : "—"));
	form_csrf_field(req, pv->resp);
	html_printf(pv->o,
		    "<input type=\"hidden\" name=\"organisation\" value=\"%lld\">"
		    "<label>%s <input type=\"text\" inputmode=\"numeric\" name=\"months\" "
		    "size=\"5\" value=\"%d\"></label> <button type=\"submit\" "
		    "class=\"button\">%s</button>",
		    (long long)p->organisation_id, TR(req, "Mois"), p->months, TR(req, "Modifier"));
	if (v && validation_get(v, "months"))
		html_printf(pv->o, "<p class=\"field-error\" id=\"e-f-months\">%s</p>",
			    TR(req, validation_get(v, "months")));
	html_printf(pv->o, "</form></td></tr>\n");
}

static void plan_table(struct pv *pv, const struct retention_item *v, size_t n)
{
	struct request *req = pv->req;
	html_printf(pv->o, "<h2>%s</h2>\n<p class=\"hint\">%s</p>\n",
		    TR(req, "Ce que la prochaine exécution fera"),
		    TR(req, "Chaque jour, le serveur détruit les coordonnées des dossiers fermés "
			    "depuis plus longtemps que la période de conservation et anonymise le "
			    "reste; chaque dossier est inscrit au registre d'anonymisation. Rien "
			    "n'est encore fait ici."));
	if (!n) {
		html_printf(
			pv->o, "<p class=\"empty\">%s</p>\n",
			TR(req, "Aucun dossier n'arrive à la fin de sa période de conservation."));
		return;
	}
	static const char *const cols[] = {N_("Organisation"), N_("Famille n°"),
					   N_("Fermé le"),     N_("Échéance"),
					   N_("Coordonnées"),  N_("Textes libres à effacer")};
	th(req, pv->o, labels_of(req, cols, ARRAY_LEN(cols)), ARRAY_LEN(cols));
	for (size_t i = 0; i < n; i++)
		html_printf(pv->o,
			    "<tr><td>%s</td><td class=\"num\">%lld</td><td>%s</td><td>%s</td>"
			    "<td>%s</td><td class=\"num\">%lld</td></tr>\n",
			    v[i].organisation_name, (long long)v[i].family_id, v[i].closed,
			    v[i].due, v[i].nominative ? TR(req, "à détruire") : TR(req, "aucune"),
			    (long long)(v[i].notes + v[i].stories + v[i].referrals + v[i].reasons));
	html_printf(pv->o, "</tbody></table></div>\n");
}

static enum perr retention_page(struct pv *pv, const struct validation *v)
{
	struct request *req = pv->req;
	int64_t scope = privacy_scope(req->actor);
	struct retention_policy *pol;
	size_t np, ni;
	struct retention_item *items;
	if (retention_policies(pv->db, req->arena, scope, &pol, &np) < 0 ||
	    retention_plan(pv->db, req->arena, scope, form_today(req), &items, &ni) < 0)
		return PERR_UNAVAILABLE;
	pv_head(pv, TR(req, "Conservation des dossiers"),
		TR(req, "Un dossier de famille fermé est conservé pendant la période de son "
			"organisation, puis ses coordonnées sont détruites et le reste anonymisé "
			"(Loi 25, art. 23). Les statistiques restent les mêmes."));
	if (req_query(req, "ok"))
		html_printf(pv->o, "<p class=\"notice\" role=\"status\">%s</p>\n",
			    TR(req, "Période de conservation enregistrée."));
	static const char *const cols[] = {N_("Organisation"), N_("Mois après la fermeture"),
					   N_("Fixée"), N_("Changer")};
	th(req, pv->o, labels_of(req, cols, ARRAY_LEN(cols)), ARRAY_LEN(cols));
	for (size_t i = 0; i < np; i++)
		policy_form(pv, &pol[i], v);
	html_printf(pv->o, "</tbody></table></div>\n");
	plan_table(pv, items, ni);
	view_end(req, pv->resp);
	return PERR_OK;
}

enum perr view_privacy_retention(struct request *req, struct response *resp)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	if (e == PERR_OK && pv.file)
		e = PERR_NOT_FOUND;
	return e == PERR_OK ? retention_page(&pv, NULL) : e;
}

/* Draws the retention page again with the errors of the posted period
 * (view_form_posted; form: its validation). */
static enum perr draw_retention(struct request *req, struct response *resp, void *form)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	return e == PERR_OK ? retention_page(&pv, form) : e;
}

enum perr view_privacy_retention_set(struct request *req, struct response *resp)
{
	struct pv pv;
	enum perr e = pv_start(req, resp, &pv);
	if (e != PERR_OK)
		return e;
	int64_t org = 0, months = 0;
	if (parse_i64(req_form(req, "organisation"), 1, INT64_MAX, &org) < 0 ||
	    !privacy_may_manage(pv.db, req->actor, org))
		return PERR_NOT_FOUND;
	struct validation *v = arena_calloc(req->arena, 1, sizeof(*v));
	view_form_posted(req, draw_retention, v);
	if (parse_i64(req_form(req, "months"), 1, RETENTION_MAX_MONTHS, &months) < 0)
		validation_add(v, "months",
			       N_("Entrez une durée de 1 à 1200 mois après la fermeture du "
				  "dossier."));
	int r = v->n ? 1 : retention_set(pv.db, req->actor, org, (int)months, v);
	if (r != 0)
		return r > 0 ? PERR_UNPROCESSABLE : PERR_UNAVAILABLE;
	resp_redirect(resp, req->arena, "/confidentialite/conservation?ok=1");
	return PERR_OK;
}
