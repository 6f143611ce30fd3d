/* Form widgets and display formats (see form.h). */
#include "views/form.h"

#include <stdint.h>
#include <string.h>

#include "auth/csrf.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/form_token.h"
#include "model/journal_week.h"

const char *fw_id(struct arena *a, const char *name)
{
	size_t n = strlen(name);
	char *id = arena_alloc(a, n + 3);
	id[0] = 'f';
	id[1] = '-';
	for (size_t i = 0; i < n; i++)
		id[i + 2] = name[i] == '.' || name[i] == '_' ? '-' : name[i];
	id[n + 2] = '\0';
	return id;
}

const char *fw_error(const struct fw *f, const char *name)
{
	if (!f->v)
		return NULL;
	const char *m = validation_get(f->v, name);
	return m ? TR(f->req, m) : NULL;
}

void fw_invalid_attrs(const struct fw *f, const char *name)
{
	if (fw_error(f, name))
		html_printf(f->out, " aria-invalid=\"true\" aria-describedby=\"e-%s\"",
			    fw_id(f->req->arena, name));
}

void fw_error_text(const struct fw *f, const char *name)
{
	const char *m = fw_error(f, name);
	if (m)
		html_printf(f->out, "<p class=\"field-error\" id=\"e-%s\">%s</p>\n",
			    fw_id(f->req->arena, name), m);
}

struct fw_summary {
	struct buf *out;
	size_t at; /* where in out the summary goes */
	const char *title;
	struct validation v; /* a copy: the form's may be gone when the page ends */
};

void fw_error_summary(const struct fw *f, const char *title)
{
	fw_summary_flush(f->req);
	if (!f->v || !f->v->n)
		return;
	struct fw_summary *s = arena_calloc(f->req->arena, 1, sizeof(*s));
	*s = (struct fw_summary){.out = f->out, .at = f->out->len, .title = title, .v = *f->v};
	f->req->form_summary = s;
}

/* The label of the field whose element id is id, as the page (from at on)
 * shows it: the text of its <label for=id>, else of the <legend> of its
 * fieldset. Already escaped (it is the page's own markup); an arena
 * string, or NULL. */
static const char *page_label(struct arena *a, const char *page, const char *id)
{
	const char *start = NULL;
	const char *p = strstr(page, arena_printf(a, "for=\"%s\">", id));
	if (p) {
		start = strchr(p, '>') + 1;
	} else if ((p = strstr(page, arena_printf(a, "id=\"%s\"", id)))) {
		const char *lg = strstr(p, "<legend>");
		const char *end = strchr(p, '\n');
		if (lg && (!end || lg < end))
			start = lg + 8;
	}
	if (!start)
		return NULL;
	size_t n = strcspn(start, "<");
	while (n && (start[n - 1] == ' ' || start[n - 1] == ':'))
		n--;
	return n ? arena_strndup(a, start, n) : NULL;
}

void fw_summary_flush(struct request *req)
{
	struct fw_summary *s = req->form_summary;
	if (!s)
		return;
	req->form_summary = NULL;
	if (s->at > s->out->len)
		return; /* the page was replaced (an error page) */
	struct buf b = BUF_INIT(64 * 1024);
	html_printf(&b,
		    "<div class=\"alert error-summary\" role=\"alert\" tabindex=\"-1\" "
		    "id=\"erreurs\"><p><strong>%s</strong></p><ul>\n",
		    s->title);
	for (size_t i = 0; i < s->v.n; i++) {
		const char *id = fw_id(req->arena, s->v.errs[i].field);
		const char *label = page_label(req->arena, s->out->data + s->at, id);
		html_printf(&b, "<li><a href=\"#%s\">", id);
		/* The label is the page's own escaped markup (page_label). */
		if (label)
			html_printf(&b, "%R%s", label, TR(req, " : "));
		html_printf(&b, "%s</a></li>\n", TR(req, s->v.errs[i].message));
	}
	html_printf(&b, "</ul></div>\n");
	buf_insert(s->out, s->at, b.data, b.len);
	buf_free(&b);
}

/* aria-describedby for a field with an optional hint and error. */
static void described_by(const struct fw *f, const char *name, const char *id, bool hint)
{
	bool err = fw_error(f, name) != NULL;
	if (err)
		html_printf(f->out, " aria-invalid=\"true\"");
	if (hint && err)
		html_printf(f->out, " aria-describedby=\"h-%s e-%s\"", id, id);
	else if (hint)
		html_printf(f->out, " aria-describedby=\"h-%s\"", id);
	else if (err)
		html_printf(f->out, " aria-describedby=\"e-%s\"", id);
}

void fw_input(const struct fw *f, const char *type, const char *name, const char *label,
	      const char *value, const char *hint)
{
	const char *id = fw_id(f->req->arena, name);
	html_printf(f->out, "<div class=\"field\"><label for=\"%s\">%s</label>\n", id, label);
	if (hint)
		html_printf(f->out, "<p class=\"hint\" id=\"h-%s\">%s</p>\n", id, hint);
	fw_error_text(f, name);
	html_printf(f->out, "<input type=\"%s\" id=\"%s\" name=\"%s\" value=\"%s\"", type, id, name,
		    value ? value : "");
	described_by(f, name, id, hint != NULL);
	html_printf(f->out, "></div>\n");
}

void fw_textarea(const struct fw *f, const char *name, const char *label, const char *value,
		 const char *hint, int rows, int maxlength)
{
	const char *id = fw_id(f->req->arena, name);
	html_printf(f->out, "<div class=\"field\"><label for=\"%s\">%s</label>\n", id, label);
	if (hint)
		html_printf(f->out, "<p class=\"hint\" id=\"h-%s\">%s</p>\n", id, hint);
	fw_error_text(f, name);
	html_printf(f->out, "<textarea id=\"%s\" name=\"%s\" rows=\"%d\" maxlength=\"%d\"", id,
		    name, rows, maxlength);
	described_by(f, name, id, hint != NULL);
	html_printf(f->out, ">%s</textarea></div>\n", value ? value : "");
}

void fw_number(const struct fw *f, const char *name, const char *label, const char *value, int step,
	       int max)
{
	struct arena *a = f->req->arena;
	const char *id = fw_id(a, name);
	html_printf(f->out, "<div class=\"field number\"><label for=\"%s\">%s</label>\n", id,
		    label);
	fw_error_text(f, name);
	html_printf(
		f->out,
		"<div class=\"stepper\">"
		"<button type=\"button\" class=\"step js-only\" data-for=\"%s\" data-delta=\"-%d\" "
		"aria-label=\"%s\" tabindex=\"-1\">−</button>"
		"<input type=\"text\" inputmode=\"numeric\" pattern=\"[0-9]*\" "
		"autocomplete=\"off\" "
		"placeholder=\"0\" id=\"%s\" name=\"%s\" value=\"%s\" data-max=\"%d\"",
		id, step, arena_printf(a, "%s −%d", label, step), id, name, value ? value : "",
		max);
	described_by(f, name, id, false);
	html_printf(
		f->out,
		"><button type=\"button\" class=\"step js-only\" data-for=\"%s\" data-delta=\"%d\" "
		"aria-label=\"%s\" tabindex=\"-1\">+</button></div></div>\n",
		id, step, arena_printf(a, "%s +%d", label, step));
}

const char *ref_item_label(const struct request *req, const struct ref_item *it)
{
	return strcmp(req->lang, "en") == 0 ? it->label_en : it->label_fr;
}

const char *ref_lookup(const struct request *req, const struct ref_item *items, size_t n,
		       const char *code)
{
	if (!code)
		return "";
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].code, code) == 0)
			return ref_item_label(req, &items[i]);
	/* Not offered any more (a retired entry of an organisation's list):
	 * old records keep its label. */
	struct db *db = db_thread();
	return db ? refdata_label_any(db, req->arena, code, req->lang) : code;
}

/* A fieldset of chips, radio or checkbox. */
static void chip_group(const struct fw *f, const char *type, const char *name, const char *legend,
		       const struct ref_item *items, size_t n, const char *checked,
		       const struct strlist *sel)
{
	const char *id = fw_id(f->req->arena, name);
	html_printf(f->out, "<fieldset class=\"chips\" id=\"%s\"", id);
	fw_invalid_attrs(f, name);
	html_printf(f->out, "><legend>%s</legend>\n", legend);
	fw_error_text(f, name);
	/* Past `first` items, the rest hides behind "Autres…" (same group, so
	 * it works without JavaScript), open when it holds the checked one. */
	size_t first = f->chips_first && f->chips_first + 1 < n ? f->chips_first : n;
	bool rest_on = false;
	for (size_t i = first; i < n; i++)
		rest_on = rest_on || (sel ? strlist_has(sel, items[i].code)
					  : (checked && strcmp(checked, items[i].code) == 0));
	html_printf(f->out, "<div class=\"chip-row\">");
	for (size_t i = 0; i < n; i++) {
		if (i == first)
			html_printf(f->out,
				    "</div>\n<details class=\"chips-more\"%R><summary>%s</summary>"
				    "<div class=\"chip-row\">",
				    rest_on ? " open" : "", TR(f->req, "Autres choix"));
		bool on = sel ? strlist_has(sel, items[i].code)
			      : (checked && strcmp(checked, items[i].code) == 0);
		html_printf(f->out,
			    "<label class=\"chip\"><input type=\"%s\" name=\"%s\" value=\"%s\"%R>"
			    "<span>%s</span></label>",
			    type, name, items[i].code, on ? " checked" : "",
			    ref_item_label(f->req, &items[i]));
	}
	if (first < n)
		html_printf(f->out, "</div></details>");
	else
		html_printf(f->out, "</div>");
	html_printf(f->out, "</fieldset>\n");
}

void fw_chips(const struct fw *f, const char *name, const char *legend,
	      const struct ref_item *items, size_t n, const char *checked)
{
	chip_group(f, "radio", name, legend, items, n, checked, NULL);
}

void fw_checks(const struct fw *f, const char *name, const char *legend,
	       const struct ref_item *items, size_t n, const struct strlist *sel)
{
	static const struct strlist none = {0};
	chip_group(f, "checkbox", name, legend, items, n, NULL, sel ? sel : &none);
}

void fw_select(const struct fw *f, const char *name, const char *label,
	       const struct ref_item *items, size_t n, const char *selected, const char *none_label)
{
	const char *id = fw_id(f->req->arena, name);
	html_printf(f->out, "<div class=\"field\"><label for=\"%s\">%s</label>\n", id, label);
	fw_error_text(f, name);
	html_printf(f->out, "<select id=\"%s\" name=\"%s\"", id, name);
	described_by(f, name, id, false);
	html_printf(f->out, "><option value=\"\">%s</option>", none_label);
	for (size_t i = 0; i < n; i++)
		html_printf(f->out, "<option value=\"%s\"%R>%s</option>", items[i].code,
			    selected && strcmp(selected, items[i].code) == 0 ? " selected" : "",
			    ref_item_label(f->req, &items[i]));
	html_printf(f->out, "</select></div>\n");
}

bool strlist_has(const struct strlist *l, const char *code)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], code) == 0)
			return true;
	return false;
}

void form_values(struct request *req, const char *name, struct strlist *out)
{
	size_t count = 0;
	for (size_t i = 0; i < req->form.n; i++)
		if (strcmp(req->form.v[i].key, name) == 0)
			count++;
	out->v = arena_alloc(req->arena, (count ? count : 1) * sizeof(*out->v));
	out->n = 0;
	for (size_t i = 0; i < req->form.n; i++) {
		const char *val = req->form.v[i].val;
		if (strcmp(req->form.v[i].key, name) != 0 || !val || !*val || strlist_has(out, val))
			continue;
		out->v[out->n++] = val;
	}
}

/* Formats. */

static bool is_en(const struct request *req)
{
	return req->lang && strcmp(req->lang, "en") == 0;
}

const char *fmt_tenths(struct request *req, long tenths)
{
	const char *sign = tenths < 0 ? "-" : "";
	long t = tenths < 0 ? -tenths : tenths;
	return arena_printf(req->arena, "%s%ld%s%ld", sign, t / 10, is_en(req) ? "." : ",", t % 10);
}

const char *fmt_hours(struct request *req, long minutes)
{
	long tenths = (minutes * 10 + 30) / 60;
	if (tenths % 10 == 0)
		return arena_printf(req->arena, "%ld h", tenths / 10);
	return arena_printf(req->arena, "%s h", fmt_tenths(req, tenths));
}

const char *fmt_minutes(struct request *req, long minutes)
{
	if (minutes < 60)
		return arena_printf(req->arena, "%ld min", minutes);
	long h = minutes / 60, m = minutes % 60;
	if (!m)
		return arena_printf(req->arena, "%ld h", h);
	if (is_en(req))
		return arena_printf(req->arena, "%ld h %02ld min", h, m);
	return arena_printf(req->arena, "%ld h %02ld", h, m);
}

static const char *const days_fr[] = {"lundi",    "mardi",  "mercredi", "jeudi",
				      "vendredi", "samedi", "dimanche"};
static const char *const days_fr_short[] = {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."};
static const char *const days_en[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
				      "Friday", "Saturday", "Sunday"};
static const char *const days_en_short[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const months_fr[] = {"janvier",   "février", "mars",     "avril",
					"mai",       "juin",    "juillet",  "août",
					"septembre", "octobre", "novembre", "décembre"};
static const char *const months_fr_short[] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
					      "juil.", "août",  "sept.", "oct.", "nov.", "déc."};
static const char *const months_en[] = {"January",   "February", "March",    "April",
					"May",       "June",     "July",     "August",
					"September", "October",  "November", "December"};
static const char *const months_en_short[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* French writes the first of the month "1er". */
static const char *day_fr(struct arena *a, int day)
{
	return day == 1 ? "1er" : arena_printf(a, "%d", day);
}

const char *fmt_date_long(struct request *req, const char *date)
{
	struct pdate d;
	if (!date || ptime_parse_date(date, &d) < 0)
		return date ? date : "";
	int wd = journal_weekday(&d);
	if (is_en(req))
		return arena_printf(req->arena, "%s, %s %d, %d", days_en[wd],
				    months_en[d.month - 1], d.day, d.year);
	return arena_printf(req->arena, "%s %s %s %d", days_fr[wd], day_fr(req->arena, d.day),
			    months_fr[d.month - 1], d.year);
}

const char *fmt_date_day(struct request *req, const char *date)
{
	struct pdate d;
	if (!date || ptime_parse_date(date, &d) < 0)
		return date ? date : "";
	int wd = journal_weekday(&d);
	if (is_en(req))
		return arena_printf(req->arena, "%s, %s %d", days_en[wd], months_en[d.month - 1],
				    d.day);
	return arena_printf(req->arena, "%s %s %s", days_fr[wd], day_fr(req->arena, d.day),
			    months_fr[d.month - 1]);
}

const char *fmt_date_short(struct request *req, const char *date)
{
	struct pdate d;
	if (!date || ptime_parse_date(date, &d) < 0)
		return date ? date : "";
	int wd = journal_weekday(&d);
	if (is_en(req))
		return arena_printf(req->arena, "%s, %s %d", days_en_short[wd],
				    months_en_short[d.month - 1], d.day);
	return arena_printf(req->arena, "%s %s %s", days_fr_short[wd], day_fr(req->arena, d.day),
			    months_fr_short[d.month - 1]);
}

const char *fmt_date_medium(struct request *req, const char *date)
{
	struct pdate d;
	if (!date || ptime_parse_date(date, &d) < 0)
		return date ? date : "";
	if (is_en(req))
		return arena_printf(req->arena, "%s %d, %d", months_en_short[d.month - 1], d.day,
				    d.year);
	return arena_printf(req->arena, "%s %s %d", day_fr(req->arena, d.day),
			    months_fr_short[d.month - 1], d.year);
}

int64_t view_param_id(const struct request *req)
{
	int64_t id;
	if (parse_i64(req_param(req, "id"), 1, INT64_MAX, &id) < 0)
		return 0;
	return id;
}

struct db *view_open_db(bool allowed, enum perr *e)
{
	if (!allowed) {
		*e = PERR_NOT_FOUND;
		return NULL;
	}
	struct db *db = db_thread();
	if (!db)
		*e = PERR_UNAVAILABLE;
	return db;
}

struct db *view_open_page_db(struct request *req, struct response *resp, bool allowed,
			     const char *title, enum perr *e)
{
	if (!allowed) {
		*e = view_not_for_role(req, resp, title);
		return NULL;
	}
	return view_open_db(true, e);
}

int view_refs_load(struct db *db, struct arena *a, int64_t org, struct view_refs *r)
{
	memset(r, 0, sizeof(*r));
	if (refdata_list(db, a, REF_ACTIVITY_TYPE, org, &r->types, &r->ntypes) < 0 ||
	    refdata_list(db, a, REF_PLACE, org, &r->places, &r->nplaces) < 0 ||
	    refdata_list(db, a, REF_NEED, org, &r->needs, &r->nneeds) < 0 ||
	    refdata_list(db, a, REF_OUTCOME, org, &r->outcomes, &r->noutcomes) < 0 ||
	    refdata_list(db, a, REF_COMPONENT, org, &r->components, &r->ncomponents) < 0 ||
	    refdata_list(db, a, REF_STRATEGY, org, &r->strategies, &r->nstrategies) < 0)
		return -1;
	return 0;
}

/* Writes the separator between two items of a meta line. */
static void sep(struct buf *o, bool *first)
{
	if (!*first)
		html_printf(o, " · ");
	*first = false;
}

void view_activity_entry(struct request *req, struct response *resp, const struct view_refs *r,
			 const struct activity *a, const char *author, unsigned flags)
{
	struct buf *o = &resp->body;
	const char *type = ref_lookup(req, r->types, r->ntypes, a->type);
	html_printf(o,
		    "<li class=\"entry\" id=\"a-%lld\"><div class=\"entry-head\">"
		    "<span class=\"entry-type\">%s</span>",
		    (long long)a->id, type);
	if ((flags & ENTRY_SHOW_DATE) || a->start_time) {
		html_printf(o, "<span class=\"entry-when\">");
		if (flags & ENTRY_SHOW_DATE)
			html_printf(o, "%s", fmt_date_short(req, a->date));
		if ((flags & ENTRY_SHOW_DATE) && a->start_time)
			html_printf(o, ", ");
		if (a->start_time)
			html_printf(o, "%s", a->start_time);
		html_printf(o, "</span>");
	}
	html_printf(o, "</div>\n<p class=\"entry-meta\">");
	bool first = true;
	if (a->place) {
		sep(o, &first);
		html_printf(o, "%s", ref_lookup(req, r->places, r->nplaces, a->place));
	}
	if (a->duration_min > 0) {
		sep(o, &first);
		html_printf(o, "%s <strong>%s</strong>", TR(req, "Direct"),
			    fmt_minutes(req, a->duration_min));
	}
	int ind = activity_indirect(a);
	if (ind > 0) {
		sep(o, &first);
		html_printf(o, "%s <strong>%s</strong>", TR(req, "Indirect"),
			    fmt_minutes(req, ind));
	}
	int people = activity_people(a);
	if (people > 0) {
		sep(o, &first);
		html_printf(o, "%d %s", people,
			    i18n_trn(req->lang, "personne", "personnes", people));
	}
	html_printf(o, "</p>\n");
	if (a->needs.n) {
		html_printf(o, "<p class=\"entry-tags\">");
		for (size_t i = 0; i < a->needs.n; i++)
			html_printf(o, "<span class=\"tag\">%s</span>",
				    ref_lookup(req, r->needs, r->nneeds, a->needs.v[i]));
		html_printf(o, "</p>\n");
	}
	if (a->note && *a->note)
		html_printf(o, "<p class=\"entry-note\">%s</p>\n", a->note);
	if ((flags & ENTRY_SHOW_AUTHOR) && author)
		html_printf(o, "<p class=\"entry-author\">%s %s</p>\n", TR(req, "Par"), author);
	if (flags & ENTRY_EDIT_LINK)
		html_printf(o,
			    "<a class=\"entry-edit\" href=\"/journal/%lld/modifier\">%s"
			    "<span class=\"visually-hidden\">%s%s, %s</span></a>\n",
			    (long long)a->id, TR(req, "Modifier"), TR(req, " : "), type,
			    fmt_date_short(req, a->date));
	html_printf(o, "</li>\n");
}

enum perr view_not_for_role(struct request *req, struct response *resp, const char *title)
{
	const struct actor *a = req->actor;
	view_begin(req, resp, title);
	html_printf(&resp->body, "<section class=\"panel role-note\"><h1>%s</h1>\n", title);
	if (a && (a->role == ROLE_PAP || a->role == ROLE_GESTIONNAIRE))
		html_printf(&resp->body, "<p>%s</p>\n",
			    TR(req, "Votre compte n'est rattaché à aucune organisation : le "
				    "journal et les familles ne sont pas disponibles. Demandez à "
				    "l'administrateur de vous rattacher à votre organisation."));
	else
		html_printf(&resp->body, "<p>%s <strong>%s</strong>. %s</p>\n",
			    TR(req, "Les entrées individuelles du journal et les familles ne sont "
				    "pas affichées pour votre rôle :"),
			    TR(req, role_label(a ? a->role : ROLE_NONE)),
			    TR(req, "Vous verrez des rapports agrégés, sans petites cellules, "
				    "quand ils seront offerts."));
	html_printf(&resp->body, "<p><a href=\"/\">%s</a></p></section>\n",
		    TR(req, "Retour à l'accueil"));
	view_end(req, resp);
	return PERR_OK;
}

void form_submit_bar(struct request *req, struct buf *o, const char *label, const char *cancel_href)
{
	html_printf(o,
		    "<div class=\"submit-bar\"><button type=\"submit\" class=\"button primary\">%s"
		    "</button>",
		    label);
	if (cancel_href)
		html_printf(o, "<a class=\"button\" href=\"%s\">%s</a>", cancel_href,
			    TR(req, "Annuler"));
	html_printf(o, "</div>\n</form>\n");
}

const char *form_trimmed(struct request *req, const char *name)
{
	const char *s = req_form(req, name);
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return n ? arena_strndup(req->arena, s, n) : NULL;
}

enum perr view_found(int r)
{
	if (r < 0)
		return PERR_UNAVAILABLE;
	return r ? PERR_NOT_FOUND : PERR_OK;
}

void form_csrf_field(struct request *req, struct response *resp)
{
	html_printf(&resp->body,
		    "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">\n"
		    "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
		    csrf_token(req, resp), FORM_TOKEN_FIELD,
		    form_token_new(req->arena, ptime_now()));
}

const char *form_today(struct request *req)
{
	char *t = arena_alloc(req->arena, 11);
	journal_today(t);
	return t;
}
