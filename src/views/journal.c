/* The field journal's pages (issue 3):
 *   GET/POST /journal/nouvelle         quick entry: five inputs for the common case
 *   GET/POST /journal/indirect         indirect time not tied to a meeting
 *   GET      /journal                  my week (?semaine=YYYY-MM-DD), with totals
 *   GET      /journal/equipe           the team's week (managers)
 *   GET/POST /journal/:id/modifier     the same form, pre-filled
 *   GET/POST /journal/:id/supprimer    confirmation, then a soft delete
 * Visibility is the model's (activity_get, activity_list): anything the
 * actor may not see is a 404, never a 403. */
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/family.h"
#include "model/journal_week.h"
#include "model/organisation.h"
#include "model/supervision.h"
#include "http/offline.h"
#include "views/entry.h"
#include "views/fmt.h"
#include "views/form.h"
#include "views/page.h"
#include "views/widgets.h"
#include "views/replay.h"
#include "views/view.h"

/* The form being shown: the activity, the values as typed (after a failed
 * submit), the errors, and what the page is for. */
struct act_form {
	struct activity a;
	const struct kvlist *raw; /* posted values to show as typed, or NULL */
	struct validation v;
	int64_t id;         /* the activity being edited, or 0 */
	bool indirect_only; /* the "Temps indirect" form */
	bool open_details;  /* show "Plus de détails" open */
	bool like_last;     /* type and place taken from the last activity, on request */
	bool conflict;      /* the activity changed since the form was loaded */
	/* The ETag (activity_etag) of the activity as the form showed it: sent
	 * back in the hidden "version" field, so a change made elsewhere in
	 * the meantime is a conflict, never silently overwritten. */
	const char *version;
};

/* Fields shown under "Plus de détails" (the details open when one of them
 * has an error). */
static const char *const detail_fields[] = {
	"start_time",
	"territory",
	"unplanned",
	"initiated_by",
	"counts.children_6_17",
	"counts.families",
	"counts.new_contacts",
	"counts.hors_reseau",
	"components",
	"strategies",
	"outcomes",
	"partners",
	"families",
	"note",
	"with_pap",
};

static const char *const indirect_fields[] = {
	"indirect.deplacement",
	"indirect.interprete",
	"indirect.redaction",
	"indirect.preparation",
};

static bool any_error(const struct validation *v, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (validation_get(v, names[i]))
			return true;
	return false;
}

/* A form value with surrounding spaces removed (arena string), or NULL. */
static const char *form_text(struct request *req, const char *name)
{
	const char *s = req_form(req, name);
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(req->arena, s, n);
}

/* A whole number from the form: absent or empty is 0; anything that is not
 * a number is -1, which the model reports with its own message. */
static int form_int(struct request *req, const char *name)
{
	const char *s = form_text(req, name);
	int v;
	if (!s || !*s)
		return 0;
	return parse_int(s, 0, 1000000, &v) == 0 ? v : -1;
}

/* Ids from a repeated field; a value that is not an id becomes 0, which
 * the model refuses ("n'existe pas"). */
static void form_ids(struct request *req, const char *name, struct idlist *out)
{
	struct strlist s;
	form_values(req, name, &s);
	out->v = arena_alloc(req->arena, (s.n ? s.n : 1) * sizeof(*out->v));
	out->n = 0;
	for (size_t i = 0; i < s.n; i++) {
		int64_t id;
		out->v[out->n++] = parse_i64(s.v[i], 1, INT64_MAX, &id) == 0 ? id : 0;
	}
}

/* Reads the posted form over af->a (which holds the defaults or the
 * activity being edited). Fields the form does not carry keep their value,
 * except the lists and boxes of the full form, which an unchecked box
 * empties. */
static void parse_activity(struct request *req, struct act_form *af)
{
	struct activity *a = &af->a;
	const char *s;
	if ((s = form_text(req, "date")))
		a->date = s;
	s = form_text(req, "start_time");
	if (s || !af->indirect_only)
		a->start_time = s && *s ? s : NULL;
	a->duration_min = form_int(req, "duration_min");
	a->ind_deplacement = form_int(req, "indirect.deplacement");
	a->ind_interprete = form_int(req, "indirect.interprete");
	a->ind_redaction = form_int(req, "indirect.redaction");
	a->ind_preparation = form_int(req, "indirect.preparation");
	s = form_text(req, "type");
	a->type = s ? s : "";
	if (!af->indirect_only) {
		s = form_text(req, "place");
		a->place = s && *s ? s : NULL;
		a->unplanned = req_form(req, "unplanned") != NULL;
		s = form_text(req, "initiated_by");
		a->initiated_by = s && *s ? s : NULL;
		a->adults = form_int(req, "counts.adults");
		a->children_0_5 = form_int(req, "counts.children_0_5");
		a->children_6_17 = form_int(req, "counts.children_6_17");
		a->families = form_int(req, "counts.families");
		a->new_contacts = form_int(req, "counts.new_contacts");
		a->hors_reseau = form_int(req, "counts.hors_reseau");
		form_values(req, "components", &a->components);
		form_values(req, "strategies", &a->strategies);
		form_values(req, "needs", &a->needs);
		form_values(req, "outcomes", &a->outcomes);
		form_ids(req, "families", &a->family_ids);
		form_ids(req, "partners", &a->partner_ids);
	} else {
		/* Time for a presentation of mandate: to whom. */
		form_ids(req, "partners", &a->partner_ids);
	}
	s = form_text(req, "note");
	if (s || !af->indirect_only)
		a->note = s && *s ? s : NULL;
	/* The territory: the model checks that the organisation serves it. */
	if ((s = form_text(req, "territory")) && *s) {
		int64_t t;
		if (parse_i64(s, 1, INT64_MAX, &t) == 0)
			a->territory_id = t;
		else
			validation_add(&af->v, "territory", N_("Ce territoire n'existe pas."));
	}
	if (!a->territory_id && !validation_get(&af->v, "territory"))
		validation_add(&af->v, "territory", N_("Choisissez un territoire."));
}

/* A new activity with the quick entry's defaults: today and my territory
 * when my organisation serves it, else its only one (organisation_serves;
 * else the form asks). Type and place are never pre-selected (issue 11):
 * the PAP chooses them, or picks "Comme la dernière fois", which is a
 * visible choice. */
static void new_defaults(struct request *req, struct db *db, struct activity *a)
{
	memset(a, 0, sizeof(*a));
	const struct actor *who = req->actor;
	a->author_id = who->person_id;
	a->organisation_id = who->organisation_id;
	struct journal_named *ts;
	size_t nt;
	if (who->territory_id &&
	    organisation_serves(db, who->organisation_id, who->territory_id) == 1)
		a->territory_id = who->territory_id;
	else if (journal_territories_served(db, req->arena, who->organisation_id, &ts, &nt) == 0 &&
		 nt == 1)
		a->territory_id = ts[0].id;
	char *today = arena_alloc(req->arena, 11);
	journal_today(today);
	a->date = today;
}

/* The type and place of the actor's last activity into *type and *place
 * (arena strings, NULL when unknown or no longer in the lists). */
static void last_time(struct request *req, struct db *db, const char **type, const char **place)
{
	const struct actor *who = req->actor;
	*type = journal_last_type(db, req->arena, who->person_id);
	*place = activity_last_place(db, req->arena, who->person_id);
	if (*type && !refdata_valid(db, REF_ACTIVITY_TYPE, *type, who->organisation_id))
		*type = NULL;
	if (*place && !refdata_valid(db, REF_PLACE, *place, who->organisation_id))
		*place = NULL;
}

static const char *ref_label(struct request *req, const struct ref_item *it, size_t n,
			     const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(it[i].code, code) == 0)
			return strcmp(req->lang, "en") == 0 ? it[i].label_en : it[i].label_fr;
	return code;
}

/* "Comme la dernière fois": a visible choice that fills type and place
 * with the last activity's. A link without JavaScript (the form comes back
 * with them chosen and says so); app.js fills the chips in place, which
 * also works offline. Nothing when there is no last activity. */
static void like_last_part(struct request *req, struct response *resp, struct db *db,
			   const struct view_refs *r, const struct act_form *af)
{
	const char *type, *place;
	last_time(req, db, &type, &place);
	if (!type)
		return;
	struct buf *o = &resp->body;
	const char *what = place ? arena_printf(req->arena, "%s · %s",
						ref_label(req, r->types, r->ntypes, type),
						ref_label(req, r->places, r->nplaces, place))
				 : ref_label(req, r->types, r->ntypes, type);
	if (af->like_last) {
		html_printf(o, "<p class=\"notice\" role=\"status\">%s %s</p>\n",
			    TR(req, "Repris de votre dernière activité :"), what);
		return;
	}
	html_printf(o,
		    "<p class=\"like-last\"><a class=\"button\" "
		    "href=\"/journal/nouvelle?comme=derniere\" "
		    "data-last-type=\"%s\" data-last-place=\"%s\">%s <span>%s</span></a></p>\n",
		    type, place ? place : "", TR(req, "Comme la dernière fois :"), what);
}

/* The value to show in a number field: as typed after an error, else the
 * number (blank for 0). */
static const char *num_value(struct request *req, const struct act_form *af, const char *name,
			     int v)
{
	if (af->raw) {
		const char *s = kvlist_get(af->raw, name);
		return s ? s : "";
	}
	return v ? arena_printf(req->arena, "%d", v) : "";
}

static const char *text_value(const struct act_form *af, const char *name, const char *v)
{
	if (af->raw) {
		const char *s = kvlist_get(af->raw, name);
		return s ? s : "";
	}
	return v ? v : "";
}

/* Reference items built from (id, name) rows, for the check widgets. */
static struct ref_item *named_items(struct arena *ar, const struct journal_named *v, size_t n)
{
	struct ref_item *it = arena_calloc(ar, n ? n : 1, sizeof(*it));
	for (size_t i = 0; i < n; i++) {
		it[i].code = arena_printf(ar, "%lld", (long long)v[i].id);
		it[i].label_fr = it[i].label_en = v[i].name;
	}
	return it;
}

static struct strlist ids_as_strings(struct arena *ar, const struct idlist *ids)
{
	struct strlist s = {arena_alloc(ar, (ids->n ? ids->n : 1) * sizeof(char *)), ids->n};
	for (size_t i = 0; i < ids->n; i++)
		s.v[i] = arena_printf(ar, "%lld", (long long)ids->v[i]);
	return s;
}

/* True when the activity carries something the quick part does not show. */
static bool has_details(const struct activity *a)
{
	return a->start_time || a->unplanned || a->initiated_by || a->children_6_17 ||
	       a->families || a->new_contacts || a->hors_reseau || a->strategies.n ||
	       a->outcomes.n || a->needs.n > 1 || a->partner_ids.n || a->family_ids.n ||
	       (a->note && *a->note);
}

static void indirect_numbers(const struct fw *f, struct request *req, const struct act_form *af)
{
	const struct activity *a = &af->a;
	html_printf(f->out, "<div class=\"grid2\">\n");
	fw_number(f, "indirect.deplacement", TR(req, "Déplacement (min)"),
		  num_value(req, af, "indirect.deplacement", a->ind_deplacement), 5,
		  ACTIVITY_MAX_MINUTES);
	fw_number(f, "indirect.interprete", TR(req, "Interprète (min)"),
		  num_value(req, af, "indirect.interprete", a->ind_interprete), 5,
		  ACTIVITY_MAX_MINUTES);
	fw_number(f, "indirect.redaction", TR(req, "Rédaction (min)"),
		  num_value(req, af, "indirect.redaction", a->ind_redaction), 5,
		  ACTIVITY_MAX_MINUTES);
	fw_number(f, "indirect.preparation", TR(req, "Préparation (min)"),
		  num_value(req, af, "indirect.preparation", a->ind_preparation), 5,
		  ACTIVITY_MAX_MINUTES);
	html_printf(f->out, "</div>\n");
}

static void note_field(const struct fw *f, const struct act_form *af, const char *label,
		       const char *hint)
{
	html_printf(f->out,
		    "<div class=\"field\"><label for=\"f-note\">%s</label>"
		    "<p class=\"hint\" id=\"h-f-note\">%s</p>\n",
		    label, hint);
	fw_error_text(f, "note");
	html_printf(f->out, "<textarea id=\"f-note\" name=\"note\" rows=\"4\" maxlength=\"4000\"");
	if (fw_error(f, "note"))
		html_printf(f->out,
			    " aria-invalid=\"true\" aria-describedby=\"h-f-note e-f-note\"");
	else
		html_printf(f->out, " aria-describedby=\"h-f-note\"");
	html_printf(f->out, ">%s</textarea></div>\n", text_value(af, "note", af->a.note));
}

/* The details' other people: youths, families, new contacts, outside the
 * network. */
static void details_counts(const struct fw *f, struct request *req, const struct act_form *af)
{
	struct buf *o = f->out;
	const struct activity *a = &af->a;
	html_printf(o, "<fieldset class=\"group\"><legend>%s</legend><div class=\"grid2\">\n",
		    TR(req, "Autres personnes"));
	fw_number(f, "counts.children_6_17", TR(req, "Jeunes 6-17 ans"),
		  num_value(req, af, "counts.children_6_17", a->children_6_17), 1,
		  ACTIVITY_MAX_COUNT);
	fw_number(f, "counts.families", TR(req, "Familles"),
		  num_value(req, af, "counts.families", a->families), 1, ACTIVITY_MAX_COUNT);
	fw_number(f, "counts.new_contacts", TR(req, "Nouveaux contacts"),
		  num_value(req, af, "counts.new_contacts", a->new_contacts), 1,
		  ACTIVITY_MAX_COUNT);
	fw_number(f, "counts.hors_reseau", TR(req, "Hors réseau"),
		  num_value(req, af, "counts.hors_reseau", a->hors_reseau), 1, ACTIVITY_MAX_COUNT);
	html_printf(o, "</div><p class=\"hint\">%s</p></fieldset>\n",
		    TR(req, "Hors réseau : personnes connues d'aucun service."));
}

/* The details' families followed (a hint to open one when there is
 * none); -1 on a database error. */
static int details_families(const struct fw *f, struct request *req, struct db *db,
			    const struct activity *a)
{
	struct arena *ar = req->arena;
	struct family *fams;
	size_t nf;
	if (family_list(db, ar, req->actor, &fams, &nf) < 0)
		return -1;
	if (nf) {
		struct ref_item *it = arena_calloc(ar, nf, sizeof(*it));
		for (size_t i = 0; i < nf; i++) {
			it[i].code = arena_printf(ar, "%lld", (long long)fams[i].id);
			it[i].label_fr = it[i].label_en = fams[i].code;
		}
		struct strlist sel = ids_as_strings(ar, &a->family_ids);
		fw_checks(f, "families", TR(req, "Familles suivies"), it, nf, &sel);
	} else {
		fw_error_text(f, "families");
		html_printf(f->out,
			    "<p class=\"hint\">%s <a href=\"/familles/nouvelle\">%s</a></p>\n",
			    TR(req, "Aucune famille suivie dans votre organisation."),
			    TR(req, "Ouvrir un suivi"));
	}
	return 0;
}

/* The "Plus de détails" part of the activity form. */
static int details_part(const struct fw *f, struct request *req, struct db *db,
			const struct view_refs *r, const struct act_form *af)
{
	const struct activity *a = &af->a;
	struct arena *ar = req->arena;
	struct buf *o = f->out;
	bool open = af->open_details ||
		    any_error(&af->v, detail_fields, ARRAY_LEN(detail_fields)) ||
		    (!af->raw && af->id && has_details(a));
	html_printf(o,
		    "<details class=\"more\"%R><summary>%s</summary>\n<div class=\"more-body\">\n",
		    open ? " open" : "", TR(req, "Plus de détails"));
	fw_input(f, "time", "start_time", TR(req, "Heure de début"),
		 text_value(af, "start_time", a->start_time), NULL);

	struct journal_named *ts;
	size_t nt;
	if (journal_territories_served(db, ar, req->actor->organisation_id, &ts, &nt) < 0)
		return -1;
	if (nt > 1 || !a->territory_id || validation_get(&af->v, "territory")) {
		const char *sel = af->raw ? kvlist_get(af->raw, "territory")
					  : arena_printf(ar, "%lld", (long long)a->territory_id);
		fw_select(f, "territory", TR(req, "Territoire"), named_items(ar, ts, nt), nt, sel,
			  TR(req, "— Choisir —"));
	}

	html_printf(o,
		    "<div class=\"field\"><label class=\"check\"><input type=\"checkbox\" "
		    "name=\"unplanned\" value=\"1\"%R> %s</label></div>\n",
		    a->unplanned ? " checked" : "", TR(req, "Sans rendez-vous (imprévue)"));
	static const struct ref_item init[] = {
		{"", N_("Non précisé"), NULL, false},
		{"pap", N_("Moi (PAP)"), NULL, false},
		{"personne", N_("La personne"), NULL, false},
		{"partenaire", N_("Un partenaire"), NULL, false},
	};
	fw_chips(f, "initiated_by", TR(req, "Initiée par"), init, ARRAY_LEN(init),
		 a->initiated_by ? a->initiated_by : "");

	details_counts(f, req, af);
	html_printf(
		o, "<p class=\"hint\">%s</p>\n",
		TR(req, "Composantes : si rien n'est coché, elles viennent du type d'activité."));
	fw_checks(f, "components", TR(req, "Composantes"), r->components, r->ncomponents,
		  &a->components);
	fw_checks(f, "strategies", TR(req, "Stratégies"), r->strategies, r->nstrategies,
		  &a->strategies);
	fw_checks(f, "outcomes", TR(req, "Retombées observées"), r->outcomes, r->noutcomes,
		  &a->outcomes);
	/* The first need is the quick part's select; the others are here. */
	struct strlist more = {a->needs.n ? a->needs.v + 1 : NULL, a->needs.n ? a->needs.n - 1 : 0};
	fw_checks(f, "needs", TR(req, "Autres besoins"), r->needs, r->nneeds, &more);

	struct journal_named *orgs;
	size_t norg;
	if (journal_partner_orgs(db, ar, req->actor->organisation_id, &orgs, &norg) < 0)
		return -1;
	if (norg) {
		struct strlist sel = ids_as_strings(ar, &a->partner_ids);
		struct fw quiet = *f; /* the error shows at the quick part's select */
		quiet.v = NULL;
		fw_checks(&quiet, "partners", TR(req, "Partenaires présents"),
			  named_items(ar, orgs, norg), norg, &sel);
	}

	if (details_families(f, req, db, a) < 0)
		return -1;
	note_field(f, af, TR(req, "Note"),
		   TR(req, "Vos mots. N'y inscrivez ni nom ni coordonnées."));
	html_printf(o, "</div></details>\n");
	return 0;
}

/* The organisation a mandate is presented to: a "partners" select that is
 * always in the form (it works without JavaScript; app.js hides it for the
 * other types), asked by this form (not by the model: the contract makes
 * partners optional) for type presentation_mandat. It
 * shows the first partner of a presentation; every partner stays under
 * "Plus de détails" too (the two merge: repeated values count once). */
static int presented_to_field(const struct fw *f, struct request *req, struct db *db,
			      const struct act_form *af)
{
	struct journal_named *orgs;
	size_t norg;
	if (journal_partner_orgs(db, req->arena, req->actor->organisation_id, &orgs, &norg) < 0)
		return -1;
	const struct activity *a = &af->a;
	bool presentation = a->type && strcmp(a->type, "presentation_mandat") == 0;
	const char *sel = presentation && a->partner_ids.n
				  ? arena_printf(req->arena, "%lld", (long long)a->partner_ids.v[0])
				  : NULL;
	html_printf(f->out, "<div class=\"presented-to\" data-type=\"presentation_mandat\">\n");
	fw_select(f, "partners", TR(req, "Organisation à qui le mandat est présenté"),
		  named_items(req->arena, orgs, norg), norg, sel, TR(req, "— Choisir —"));
	html_printf(f->out, "<p class=\"hint\">%s</p></div>\n",
		    TR(req, "Obligatoire pour une présentation de mandat."));
	return 0;
}

/* The activity form: the quick part (five inputs), "+ Temps indirect" one
 * tap away, then "Plus de détails". */
static enum perr render_form(struct request *req, struct response *resp, struct db *db,
			     struct act_form *af)
{
	struct view_refs r;
	if (view_refs_load(db, req->arena, req->actor->organisation_id, &r) < 0)
		return PERR_UNAVAILABLE;
	const struct activity *a = &af->a;
	const char *title = af->id ? TR(req, "Modifier l'activité") : TR(req, "Nouvelle activité");
	const char *action =
		af->id ? arena_printf(req->arena, "/journal/%lld/modifier", (long long)af->id)
		       : "/journal/nouvelle";
	struct fw f = {.req = req, .out = &resp->body, .v = &af->v};
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n", title);
	if (af->conflict)
		html_printf(o, "<div class=\"alert conflict\" role=\"alert\"><p>%s</p></div>\n",
			    TR(req,
			       "Cette activité a été modifiée ailleurs depuis que vous avez ouvert "
			       "ce formulaire. Vos valeurs sont ci-dessous ; enregistrez de "
			       "nouveau pour remplacer la version actuelle."));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o,
		    "<form method=\"post\" action=\"%s\" class=\"activity-form\" "
		    "data-outbox=\"activity\" novalidate>\n",
		    action);
	form_csrf_field(req, resp);
	if (af->version)
		html_printf(o, "<input type=\"hidden\" name=\"version\" value=\"%s\">\n",
			    af->version);
	else if (!af->raw)
		like_last_part(req, resp, db, &r, af);
	fw_input(&f, "date", "date", TR(req, "Date"), text_value(af, "date", a->date), NULL);
	f.chips_first = 6;
	fw_chips(&f, "type", TR(req, "Type d'activité"), r.types, r.ntypes, a->type);
	if (presented_to_field(&f, req, db, af) < 0)
		return PERR_UNAVAILABLE;
	f.chips_first = 7;
	fw_chips(&f, "place", TR(req, "Lieu"), r.places, r.nplaces, a->place);
	f.chips_first = 0;

	fw_number(&f, "duration_min", TR(req, "Durée directe (minutes)"),
		  num_value(req, af, "duration_min", a->duration_min), 5, ACTIVITY_MAX_MINUTES);
	html_printf(o,
		    "<div class=\"presets js-only\" data-for=\"f-duration-min\" role=\"group\" "
		    "aria-label=\"%s\">",
		    TR(req, "Durées courantes"));
	static const int presets[] = {15, 30, 45, 60, 90};
	for (size_t i = 0; i < ARRAY_LEN(presets); i++)
		html_printf(o, "<button type=\"button\" data-value=\"%d\">%s</button>", presets[i],
			    fmt_minutes(req, presets[i]));
	html_printf(o, "</div>\n");
	bool ind_open = activity_indirect(a) > 0 ||
			any_error(&af->v, indirect_fields, ARRAY_LEN(indirect_fields));
	html_printf(o,
		    "<details class=\"indirect\"%R><summary>%s</summary>\n"
		    "<p class=\"hint\">%s</p>\n",
		    ind_open ? " open" : "", TR(req, "+ Temps indirect"),
		    TR(req, "Le temps autour de la rencontre, en minutes."));
	indirect_numbers(&f, req, af);
	html_printf(o, "</details>\n");

	html_printf(o, "<fieldset class=\"group\"><legend>%s</legend><div class=\"grid2\">\n",
		    TR(req, "Personnes rejointes"));
	fw_number(&f, "counts.adults", TR(req, "Adultes"),
		  num_value(req, af, "counts.adults", a->adults), 1, ACTIVITY_MAX_COUNT);
	fw_number(&f, "counts.children_0_5", TR(req, "Enfants 0-5 ans"),
		  num_value(req, af, "counts.children_0_5", a->children_0_5), 1,
		  ACTIVITY_MAX_COUNT);
	html_printf(o, "</div></fieldset>\n");
	fw_select(&f, "needs", TR(req, "Besoin principal"), r.needs, r.nneeds,
		  a->needs.n ? a->needs.v[0] : NULL, TR(req, "— Aucun —"));

	if (details_part(&f, req, db, &r, af) < 0)
		return PERR_UNAVAILABLE;
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">"
		    "%s</button>",
		    TR(req, "Enregistrer"));
	if (af->id)
		html_printf(o, "<a class=\"button\" href=\"/journal?semaine=%U\">%s</a>", a->date,
			    TR(req, "Annuler"));
	html_printf(o, "</div>\n</form>\n");
	if (af->id)
		html_printf(
			o,
			"<p><a href=\"/recits/nouveau?activite=%lld\">%s</a></p>\n"
			"<p class=\"danger-zone\"><a href=\"/journal/%lld/supprimer\">%s</a></p>\n",
			(long long)af->id, TR(req, "Écrire un récit sur cette activité"),
			(long long)af->id, TR(req, "Supprimer cette activité"));
	view_end(req, resp);
	return PERR_OK;
}

/* The "Temps indirect" quick form: time not tied to a meeting. */
static enum perr render_indirect(struct request *req, struct response *resp, struct db *db,
				 struct act_form *af)
{
	struct view_refs r;
	if (view_refs_load(db, req->arena, req->actor->organisation_id, &r) < 0)
		return PERR_UNAVAILABLE;
	const struct activity *a = &af->a;
	struct fw f = {.req = req, .out = &resp->body, .v = &af->v};
	struct buf *o = &resp->body;
	const char *title = TR(req, "Temps indirect");
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", title,
		    TR(req, "Du temps qui n'est lié à aucune rencontre : déplacement, "
			    "interprète, rédaction, préparation. Il compte dans vos totaux."));
	fw_error_summary(&f, TR(req, "Vérifiez ces champs :"));
	html_printf(o, "<form method=\"post\" action=\"/journal/indirect\" class=\"activity-form\" "
		       "data-outbox=\"indirect\" novalidate>\n");
	form_csrf_field(req, resp);
	fw_input(&f, "date", "date", TR(req, "Date"), text_value(af, "date", a->date), NULL);
	html_printf(o, "<fieldset class=\"group\" id=\"f-duration-min\"><legend>%s</legend>\n",
		    TR(req, "Temps indirect (minutes)"));
	fw_error_text(&f, "duration_min");
	indirect_numbers(&f, req, af);
	html_printf(o, "</fieldset>\n");
	fw_select(&f, "type", TR(req, "Pour quel type d'activité ?"), r.types, r.ntypes, a->type,
		  TR(req, "— Choisir —"));
	if (presented_to_field(&f, req, db, af) < 0)
		return PERR_UNAVAILABLE;
	note_field(&f, af, TR(req, "Note (facultatif)"),
		   TR(req, "Par exemple : préparation de la fête de quartier."));
	if (validation_get(&af->v, "territory"))
		fw_error_text(&f, "territory");
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">"
		    "%s</button><a class=\"button\" href=\"/journal\">%s</a></div>\n</form>\n",
		    TR(req, "Enregistrer"), TR(req, "Annuler"));
	view_end(req, resp);
	return PERR_OK;
}

/* What the form asks beyond the model's rules (the contract, and so the
 * API and the import, leave these optional): some time, direct or
 * indirect, and whom a mandate was presented to. */
static void form_rules(const struct activity *a, struct validation *v)
{
	if (a->duration_min == 0 && activity_indirect(a) == 0)
		validation_add(v, "duration_min",
			       N_("Indiquez une durée directe ou du temps indirect."));
	if (a->type && strcmp(a->type, "presentation_mandat") == 0 && a->partner_ids.n == 0)
		validation_add(v, "partners",
			       N_("Indiquez l'organisation à qui le mandat est présenté."));
}

/* Validates af->a (the model's rules and the form's) and saves it in the
 * caller's transaction. Returns 1 when the form has errors (nothing
 * written), 0 when saved, -1 on a database error. */
static int validate_save(struct request *req, struct db *db, struct act_form *af)
{
	int r = activity_validate(db, &af->a, &af->v);
	form_rules(&af->a, &af->v);
	if (af->v.n)
		return 1;
	if (r < 0)
		return -1;
	return activity_save(db, req->arena, &af->a);
}

/* Draws a posted activity form again, with what was typed
 * (view_form_posted). */
static enum perr draw_posted(struct request *req, struct response *resp, void *form)
{
	struct act_form *af = form;
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	af->raw = &req->form;
	return af->indirect_only ? render_indirect(req, resp, db, af)
				 : render_form(req, resp, db, af);
}

/* The week of the activity, on the entry, with the notice ok (arena). */
static const char *week_of(struct request *req, const struct activity *a, const char *ok)
{
	struct buf b = BUF_INIT(512);
	buf_puts(&b, "/journal?semaine=");
	esc_url(&b, a->date);
	buf_puts(&b, "&ok=");
	buf_puts(&b, ok);
	if (a->id)
		buf_printf(&b, "#a-%lld", (long long)a->id);
	const char *url = arena_strdup(req->arena, b.data);
	buf_free(&b);
	return url;
}

/* After a save: back to the week of the activity, on the entry. */
static void back_to_week(struct request *req, struct response *resp, const struct activity *a,
			 const char *ok)
{
	resp_redirect(resp, req->arena, week_of(req, a, ok));
}

/* Validates and saves the posted form af (arena memory) in the request's
 * write unit and answers: refused input shows the form again (the
 * indirect-time form when af->indirect_only) with what was typed, and so
 * does a failed write (view_form_posted); a save logs event (with
 * "indirect=1" for indirect time) and goes back to the activity's week
 * with the notice ok. */
static enum perr save_and_answer(struct request *req, struct response *resp, struct db *db,
				 struct act_form *af, const char *event, const char *ok)
{
	view_form_posted(req, draw_posted, af);
	int r = validate_save(req, db, af);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_UNPROCESSABLE;
	if (af->indirect_only)
		log_info(event, "activity=%lld by=%lld indirect=1", (long long)af->a.id,
			 (long long)req->actor->person_id);
	else
		log_info(event, "activity=%lld by=%lld", (long long)af->a.id,
			 (long long)req->actor->person_id);
	back_to_week(req, resp, &af->a, ok);
	return PERR_OK;
}

enum perr view_activity_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, actor_keeps_journal(req->actor),
					  TR(req, "Nouvelle activité"), &e);
	if (!db)
		return e;
	offline_keep(req, resp);
	struct act_form af = {0};
	new_defaults(req, db, &af.a);
	const char *like = req_query(req, "comme");
	if (like && strcmp(like, "derniere") == 0) {
		last_time(req, db, &af.a.type, &af.a.place);
		af.like_last = af.a.type != NULL;
	}
	/* "Consigner une activité" from a family's page links it already. */
	int64_t fam;
	if (parse_i64(req_query(req, "famille"), 1, INT64_MAX, &fam) == 0) {
		struct family fm;
		if (family_get(db, req->arena, req->actor, fam, &fm) == 0) {
			af.a.family_ids.v = arena_alloc(req->arena, sizeof(int64_t));
			af.a.family_ids.v[0] = fam;
			af.a.family_ids.n = 1;
			af.open_details = true;
		}
	}
	return render_form(req, resp, db, &af);
}

enum perr view_activity_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(actor_keeps_journal(req->actor), &e);
	if (!db)
		return e;
	struct act_form *af = arena_calloc(req->arena, 1, sizeof(*af));
	new_defaults(req, db, &af->a);
	parse_activity(req, af);
	return save_and_answer(req, resp, db, af, "activity.create", "cree");
}

enum perr view_indirect_new(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_page_db(req, resp, actor_keeps_journal(req->actor),
					  TR(req, "Temps indirect"), &e);
	if (!db)
		return e;
	offline_keep(req, resp);
	struct act_form af = {.indirect_only = true};
	new_defaults(req, db, &af.a);
	return render_indirect(req, resp, db, &af);
}

/* Reads the posted indirect-time form into af. */
static void read_indirect(struct request *req, struct db *db, struct act_form *af)
{
	new_defaults(req, db, &af->a);
	parse_activity(req, af);
	/* The form names duration_min when no time at all is given; here the
	 * four indirect fields are the durations. */
	af->a.duration_min = 0;
}

enum perr view_indirect_create(struct request *req, struct response *resp)
{
	enum perr e;
	struct db *db = view_open_db(actor_keeps_journal(req->actor), &e);
	if (!db)
		return e;
	struct act_form *af = arena_calloc(req->arena, 1, sizeof(*af));
	af->indirect_only = true;
	read_indirect(req, db, af);
	return save_and_answer(req, resp, db, af, "activity.create", "indirect");
}

/* The start of the handlers of one activity: this thread's database into
 * *db (not owned) and the activity of the route's :id that the actor may
 * change into *a. PERR_OK, PERR_UNAVAILABLE, or PERR_NOT_FOUND when the
 * activity is absent, not visible or not the actor's to change. */
static enum perr load_editable(struct request *req, struct db **db, struct activity *a)
{
	*db = db_thread();
	if (!*db)
		return PERR_UNAVAILABLE;
	int64_t id = view_param_id(req);
	if (!id || !req->actor)
		return PERR_NOT_FOUND;
	int r = activity_get(*db, req->arena, req->actor, id, a);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0 || !activity_can_edit(req->actor, a))
		return PERR_NOT_FOUND;
	return PERR_OK;
}

/* The ETag of a, as an arena string. */
static const char *etag_of(struct request *req, const struct activity *a)
{
	char tag[ACTIVITY_ETAG_SIZE];
	activity_etag(a, tag);
	return arena_strdup(req->arena, tag);
}

/* True when the posted form was filled from another version of the
 * activity than the one stored now (its "version" field, when it has one,
 * names another ETag). */
static bool stale_version(struct request *req, const struct act_form *af)
{
	const char *sent = form_text(req, "version");
	return sent && *sent && strcmp(sent, af->version) != 0;
}

enum perr view_activity_edit(struct request *req, struct response *resp)
{
	struct db *db;
	struct act_form af = {0};
	enum perr e = load_editable(req, &db, &af.a);
	if (e != PERR_OK)
		return e;
	af.id = af.a.id;
	af.version = etag_of(req, &af.a);
	return render_form(req, resp, db, &af);
}

enum perr view_activity_update(struct request *req, struct response *resp)
{
	struct db *db;
	struct act_form *af = arena_calloc(req->arena, 1, sizeof(*af));
	enum perr e = load_editable(req, &db, &af->a);
	if (e != PERR_OK)
		return e;
	af->id = af->a.id;
	af->version = etag_of(req, &af->a);
	if (stale_version(req, af)) {
		/* Shown with what the PAP typed and the current version: saving
		 * again is then a choice made knowingly. */
		af->conflict = true;
		view_form_posted(req, draw_posted, af);
		return PERR_CONFLICT;
	}
	parse_activity(req, af);
	return save_and_answer(req, resp, db, af, "activity.update", "modifie");
}

/* ---- Outbox entries replayed by POST /api/v1/sync (views/replay.h). */

/* Saves af in the caller's transaction and fills rp. */
static enum perr replay_finish(struct request *req, struct db *db, struct act_form *af,
			       struct replay *rp, const char *ok)
{
	int r = validate_save(req, db, af);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0) {
		rp->v = af->v;
		return PERR_OK;
	}
	log_info("activity.sync", "activity=%lld by=%lld", (long long)af->a.id,
		 (long long)req->actor->person_id);
	rp->ext_id = af->a.ext_id;
	rp->location = week_of(req, &af->a, ok);
	return PERR_OK;
}

enum perr journal_replay_new(struct request *req, struct db *db, struct replay *rp)
{
	if (!actor_keeps_journal(req->actor))
		return PERR_NOT_FOUND;
	struct act_form af = {0};
	new_defaults(req, db, &af.a);
	parse_activity(req, &af);
	af.a.ext_id = rp->key;
	return replay_finish(req, db, &af, rp, "cree");
}

enum perr journal_replay_indirect(struct request *req, struct db *db, struct replay *rp)
{
	if (!actor_keeps_journal(req->actor))
		return PERR_NOT_FOUND;
	struct act_form af = {.indirect_only = true};
	read_indirect(req, db, &af);
	af.a.ext_id = rp->key;
	return replay_finish(req, db, &af, rp, "indirect");
}

enum perr journal_replay_edit(struct request *req, struct db *db, struct replay *rp)
{
	struct db *own;
	struct act_form af = {0};
	enum perr e = load_editable(req, &own, &af.a);
	if (e != PERR_OK)
		return e;
	af.id = af.a.id;
	af.version = etag_of(req, &af.a);
	rp->location = arena_printf(req->arena, "/journal/%lld/modifier", (long long)af.id);
	if (stale_version(req, &af))
		return PERR_PRECONDITION;
	parse_activity(req, &af);
	return replay_finish(req, db, &af, rp, "modifie");
}

enum perr view_activity_delete_confirm(struct request *req, struct response *resp)
{
	struct db *db;
	struct activity a;
	enum perr e = load_editable(req, &db, &a);
	if (e != PERR_OK)
		return e;
	struct view_refs r;
	if (view_refs_load(db, req->arena, a.organisation_id, &r) < 0)
		return PERR_UNAVAILABLE;
	struct buf *o = &resp->body;
	view_begin(req, resp, TR(req, "Supprimer l'activité"));
	html_printf(o, "<h1>%s</h1>\n<p>%s</p>\n<ul class=\"entries\">\n",
		    TR(req, "Supprimer l'activité ?"),
		    TR(req, "Elle disparaîtra du journal et des totaux de la semaine."));
	view_activity_entry(req, resp, &r, &a, NULL, ENTRY_SHOW_DATE);
	html_printf(o,
		    "</ul>\n<form method=\"post\" action=\"/journal/%lld/supprimer\" "
		    "class=\"confirm\">\n",
		    (long long)a.id);
	form_csrf_field(req, resp);
	html_printf(o,
		    "<button type=\"submit\" class=\"button danger\">%s</button>"
		    "<a class=\"button\" href=\"/journal/%lld/modifier\">%s</a></form>\n",
		    TR(req, "Oui, supprimer"), (long long)a.id, TR(req, "Non, garder"));
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_activity_delete(struct request *req, struct response *resp)
{
	struct db *db;
	struct activity a;
	enum perr e = load_editable(req, &db, &a);
	if (e != PERR_OK)
		return e;
	int r = activity_delete(db, req->actor, a.id);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return PERR_NOT_FOUND;
	a.id = 0;
	back_to_week(req, resp, &a, "supprime");
	return PERR_OK;
}

/* The confirmation after a redirect (?ok=…). */
static void notice(struct request *req, struct response *resp)
{
	static const struct {
		const char *code, *msg;
	} msgs[] = {
		{"cree", N_("Activité enregistrée.")},
		{"modifie", N_("Activité modifiée.")},
		{"supprime", N_("Activité supprimée.")},
		{"indirect", N_("Temps indirect enregistré.")},
	};
	const char *ok = req_query(req, "ok");
	if (!ok)
		return;
	for (size_t i = 0; i < ARRAY_LEN(msgs); i++)
		if (strcmp(ok, msgs[i].code) == 0)
			html_printf(&resp->body, "<p class=\"notice\" role=\"status\">%s</p>\n",
				    TR(req, msgs[i].msg));
}

static void stat_item(struct buf *o, const char *label, const char *value, const char *cls)
{
	html_printf(o, "<div class=\"stat %s\"><dt>%s</dt><dd>%s</dd></div>\n", cls, label, value);
}

/* The week's totals: direct, indirect, total, the multiplier, people. */
static void totals_part(struct request *req, struct response *resp, const struct journal_totals *t)
{
	struct buf *o = &resp->body;
	html_printf(o,
		    "<section class=\"totals\" aria-labelledby=\"t-totaux\">"
		    "<h2 id=\"t-totaux\">%s</h2>\n<dl class=\"stats\">\n",
		    TR(req, "Totaux de la semaine"));
	stat_item(o, TR(req, "Temps direct"), fmt_hours(req, t->direct), "direct");
	stat_item(o, TR(req, "Temps indirect"), fmt_hours(req, t->indirect), "indirect");
	stat_item(o, TR(req, "Temps total"), fmt_hours(req, t->direct + t->indirect), "total");
	stat_item(o, TR(req, "Personnes rejointes"), arena_printf(req->arena, "%ld", t->people),
		  "people");
	html_printf(o, "</dl>\n");
	long m = journal_multiplier_tenths(t);
	if (m)
		html_printf(o, "<p class=\"multiplier\">%s <strong>%s h</strong> %s</p>\n",
			    TR(req, "1 h directe ="), fmt_tenths(req, m), TR(req, "au total"));
	if (t->indirect)
		html_printf(o, "<p class=\"breakdown\">%s %s · %s %s · %s %s · %s %s</p>\n",
			    TR(req, "Déplacement"), fmt_hours(req, t->ind_deplacement),
			    TR(req, "Interprète"), fmt_hours(req, t->ind_interprete),
			    TR(req, "Rédaction"), fmt_hours(req, t->ind_redaction),
			    TR(req, "Préparation"), fmt_hours(req, t->ind_preparation));
	if (t->new_contacts || t->hors_reseau)
		html_printf(o, "<p class=\"breakdown\">%s %ld · %s %ld</p>\n",
			    TR(req, "Nouveaux contacts"), t->new_contacts, TR(req, "Hors réseau"),
			    t->hors_reseau);
	html_printf(o, "</section>\n");
}

/* An author's name, remembered for the page. */
struct name_cache {
	int64_t id[64];
	const char *name[64];
	size_t n;
};

static const char *author_name(struct db *db, struct arena *ar, struct name_cache *c, int64_t id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->id[i] == id)
			return c->name[i];
	const char *n = journal_person_name(db, ar, id);
	if (c->n < ARRAY_LEN(c->id)) {
		c->id[c->n] = id;
		c->name[c->n] = n;
		c->n++;
	}
	return n;
}

/* The week page, mine or the team's. */
/* The journal's filters (issue 16), read from the query: a type and a
 * place of the organisation's lists, and on the team journal one of the
 * organisation's PAP (person id). Unknown values are ignored. */
struct journal_filters {
	const char *type, *place, *pap; /* query values kept, or NULL */
	struct ref_item *paps;          /* the team's PAP, as list items */
	size_t npaps;
};

static const char *known_code(const char *v, const struct ref_item *items, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(items[i].code, v) == 0)
			return v;
	return NULL;
}

/* Reads the filters into *jf and the activity filter *flt. 0 or -1. */
static int read_filters(struct request *req, struct db *db, const struct view_refs *r, bool team,
			struct journal_filters *jf, struct activity_filter *flt)
{
	memset(jf, 0, sizeof(*jf));
	jf->type = known_code(req_query(req, "type"), r->types, r->ntypes);
	jf->place = known_code(req_query(req, "lieu"), r->places, r->nplaces);
	flt->type = jf->type;
	flt->place = jf->place;
	if (!team)
		return 0;
	struct pdate today = ptime_local_date(ptime_now());
	struct supervision_month_row *rows;
	size_t n;
	double target;
	if (supervision_team_month(db, req->arena, req->actor, today.year, today.month, &target,
				   &rows, &n) < 0)
		return -1;
	jf->paps = arena_alloc(req->arena, (n ? n : 1) * sizeof(*jf->paps));
	for (size_t i = 0; i < n; i++)
		jf->paps[jf->npaps++] = (struct ref_item){
			arena_printf(req->arena, "%lld", (long long)rows[i].person_id),
			rows[i].name, rows[i].name, false};
	jf->pap = known_code(req_query(req, "pap"), jf->paps, jf->npaps);
	if (jf->pap)
		parse_i64(jf->pap, 1, INT64_MAX, &flt->author_id);
	return 0;
}

/* The filters as the rest of a link's query ("&amp;type=…"). */
static void filters_in_link(struct buf *o, const struct journal_filters *jf)
{
	if (jf->type)
		html_printf(o, "&amp;type=%U", jf->type);
	if (jf->place)
		html_printf(o, "&amp;lieu=%U", jf->place);
	if (jf->pap)
		html_printf(o, "&amp;pap=%U", jf->pap);
}

/* The filter form (GET, works without JavaScript), on the week shown. */
static void filters_form(struct request *req, struct buf *o, const char *base,
			 const struct journal_week *w, const struct view_refs *r,
			 const struct journal_filters *jf)
{
	struct fw fwv = {.req = req, .out = o, .v = NULL};
	html_printf(o,
		    "<details class=\"filters\"%R><summary>%s</summary>"
		    "<form method=\"get\" action=\"%s\" class=\"stack filters\" role=\"search\">"
		    "<input type=\"hidden\" name=\"semaine\" value=\"%s\">\n",
		    jf->type || jf->place || jf->pap ? " open" : "", TR(req, "Filtrer la semaine"),
		    base, w->monday);
	fw_select(&fwv, "type", TR(req, "Type d'activité"), r->types, r->ntypes, jf->type,
		  TR(req, "Tous les types"));
	fw_select(&fwv, "lieu", TR(req, "Lieu"), r->places, r->nplaces, jf->place,
		  TR(req, "Tous les lieux"));
	if (jf->paps)
		fw_select(&fwv, "pap", TR(req, "PAP"), jf->paps, jf->npaps, jf->pap,
			  TR(req, "Toute l'équipe"));
	html_printf(o,
		    "<button type=\"submit\" class=\"button\">%s</button> "
		    "<a href=\"%s?semaine=%U\">%s</a></form></details>\n",
		    TR(req, "Filtrer"), base, w->monday, TR(req, "Tout afficher"));
}

/* The week's navigation: previous, this week's title, next (never past
 * the current week), each link keeping the filters. */
static void week_nav(struct request *req, struct buf *o, const char *base,
		     const struct journal_week *wk, const struct journal_week *now,
		     const struct journal_filters *jf)
{
	html_printf(o, "<nav class=\"week-nav\" aria-label=\"%s\"><a href=\"%s?semaine=%U",
		    TR(req, "Semaines"), base, wk->prev);
	filters_in_link(o, jf);
	html_printf(o,
		    "\" rel=\"prev\">← <span>%s</span></a>"
		    "<h2 class=\"week-title\">%s<br><span>%s</span></h2>",
		    TR(req, "Semaine précédente"), TR(req, "Semaine du"),
		    fmt_date_long(req, wk->monday));
	if (strcmp(wk->monday, now->monday) < 0) {
		html_printf(o, "<a href=\"%s?semaine=%U", base, wk->next);
		filters_in_link(o, jf);
		html_printf(o, "\" rel=\"next\"><span>%s</span> →</a>",
			    TR(req, "Semaine suivante"));
	} else
		html_printf(o, "<span class=\"week-spacer\"></span>");
	html_printf(o, "</nav>\n");
	if (strcmp(wk->monday, now->monday) != 0)
		html_printf(o, "<p class=\"this-week\"><a href=\"%s\">%s</a></p>\n", base,
			    TR(req, "Revenir à cette semaine"));
}

static enum perr week_page(struct request *req, struct response *resp, bool team)
{
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct journal_week w;
	if (journal_week_of(req_query(req, "semaine"), &w) < 0)
		journal_week_of(NULL, &w);
	struct journal_week now;
	journal_week_of(NULL, &now);
	struct activity_filter flt = {.from = w.monday,
				      .to = w.sunday,
				      .limit = 1000,
				      .author_id = team ? 0 : req->actor->person_id};
	struct activity *v;
	size_t n;
	int64_t total;
	struct view_refs r;
	struct journal_filters jf;
	if (view_refs_load(db, req->arena, req->actor->organisation_id, &r) < 0 ||
	    read_filters(req, db, &r, team, &jf, &flt) < 0 ||
	    activity_list(db, req->arena, req->actor, &flt, &v, &n, &total) < 0)
		return PERR_UNAVAILABLE;
	bool filtered = jf.type || jf.place || jf.pap;
	struct journal_totals t = {0};
	for (size_t i = 0; i < n; i++)
		journal_totals_add(&t, &v[i]);

	const char *base = team ? "/journal/equipe" : "/journal";
	const char *title = team ? TR(req, "Journal de l'équipe") : TR(req, "Mon journal");
	struct buf *o = &resp->body;
	view_begin(req, resp, title);
	html_printf(o, "<h1>%s</h1>\n", title);
	notice(req, resp);
	html_printf(
		o,
		"<p class=\"actions\"><a class=\"button primary\" href=\"/journal/nouvelle\">%s</a>"
		"<a class=\"button\" href=\"/journal/indirect\">%s</a></p>\n",
		TR(req, "+ Nouvelle activité"), TR(req, "+ Temps indirect"));
	week_nav(req, o, base, &w, &now, &jf);
	filters_form(req, o, base, &w, &r, &jf);
	if (filtered)
		html_printf(o, "<p class=\"result-count\" role=\"status\">%lld %s</p>\n",
			    (long long)total,
			    i18n_trn(req->lang, "activité correspond aux filtres",
				     "activités correspondent aux filtres", (long)total));
	totals_part(req, resp, &t);

	if (!n) {
		html_printf(o, "<p class=\"empty\">%s</p>\n",
			    filtered ? TR(req, "Aucune activité ne correspond à ces filtres cette "
					       "semaine.")
				     : TR(req, "Aucune activité cette semaine."));
	}
	/* The list is newest first: one group per day. */
	struct name_cache names = {.n = 0};
	for (size_t i = 0; i < n;) {
		size_t j = i;
		struct journal_totals dt = {0};
		while (j < n && strcmp(v[j].date, v[i].date) == 0)
			journal_totals_add(&dt, &v[j++]);
		html_printf(o,
			    "<section class=\"day\"><h3>%s</h3>"
			    "<p class=\"day-total\">%d %s · %s %s · %s %s</p>\n<ol "
			    "class=\"entries\">\n",
			    fmt_date_day(req, v[i].date), dt.activities,
			    i18n_trn(req->lang, "activité", "activités", dt.activities),
			    TR(req, "Direct"), fmt_hours(req, dt.direct), TR(req, "Indirect"),
			    fmt_hours(req, dt.indirect));
		for (size_t k = i; k < j; k++) {
			const char *who =
				team ? author_name(db, req->arena, &names, v[k].author_id) : NULL;
			view_activity_entry(req, resp, &r, &v[k], who,
					    ENTRY_EDIT_LINK | (team ? ENTRY_SHOW_AUTHOR : 0));
		}
		html_printf(o, "</ol></section>\n");
		i = j;
	}
	if (total > (int64_t)n)
		html_printf(o, "<p class=\"hint\">%s</p>\n",
			    TR(req, "Seules les 1000 premières activités sont affichées."));
	if (!team && req->actor->role == ROLE_GESTIONNAIRE)
		html_printf(o, "<p><a href=\"/journal/equipe?semaine=%U\">%s</a></p>\n", w.monday,
			    TR(req, "Voir le journal de l'équipe"));
	if (team)
		html_printf(o, "<p><a href=\"/journal?semaine=%U\">%s</a></p>\n", w.monday,
			    TR(req, "Voir mon journal"));
	view_end(req, resp);
	return PERR_OK;
}

enum perr view_journal(struct request *req, struct response *resp)
{
	if (!actor_keeps_journal(req->actor))
		return view_not_for_role(req, resp, TR(req, "Mon journal"));
	offline_keep(req, resp);
	return week_page(req, resp, false);
}

enum perr view_journal_team(struct request *req, struct response *resp)
{
	if (req->actor && req->actor->role != ROLE_PAP && req->actor->role != ROLE_GESTIONNAIRE)
		return view_not_for_role(req, resp, TR(req, "Journal de l'équipe"));
	if (!req->actor || req->actor->role != ROLE_GESTIONNAIRE || !req->actor->organisation_id)
		return PERR_NOT_FOUND;
	return week_page(req, resp, true);
}
