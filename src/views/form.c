/* A form as a whole (see form.h). */
#include "views/form.h"

#include <string.h>

#include "auth/csrf.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/form_token.h"
#include "model/journal_week.h"
#include "views/view.h"

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
