/* Form widgets (see widgets.h). */
#include "views/widgets.h"

#include <stdint.h>
#include <string.h>

#include "core/util.h"
#include "views/form.h"
#include "views/reflabel.h"

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
