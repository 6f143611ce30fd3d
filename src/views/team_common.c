/* What the team follow-up pages share (views/team_internal.h): values read
 * from forms, the posted form's state, notices, the staff <select>. */
#include "views/team.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "model/journal_week.h"
#include "model/position.h"
#include "model/refdata.h"
#include "model/supervision.h"
#include "model/support.h"
#include "views/fmt.h"
#include "views/widgets.h"
#include "views/team_internal.h"

/* A positive id from a form or query value; 0 otherwise. */
int64_t team_id_value(const char *s)
{
	int64_t v;
	return s && parse_i64(s, 1, INT64_MAX, &v) == 0 ? v : 0;
}

/* "1,5" or "1.5" hours; NAN when not a number. */
double team_hours_value(struct request *req, const char *s)
{
	if (!s)
		return NAN;
	char *t = arena_strdup(req->arena, s);
	for (char *p = t; *p; p++)
		if (*p == ',')
			*p = '.';
	char *end;
	double d = strtod(t, &end);
	return end != t && *end == '\0' && isfinite(d) ? d : NAN;
}

const char *team_hours_text(struct request *req, double h)
{
	return fmt_hours(req, lround(h * 60));
}

const char *team_raw_or(struct request *req, bool posted, const char *name, const char *v)
{
	if (posted) {
		const char *s = req_form(req, name);
		return s ? s : "";
	}
	return v ? v : "";
}

/* What the model's answer r to a form's write means for the page: 0
 * written, >0 refused with the reasons in the form's validation
 * (PERR_UNPROCESSABLE), <0 failed (PERR_UNAVAILABLE). The form comes back
 * filled in on both failures (view_form_posted). */
enum perr team_form_written(int r)
{
	return r < 0 ? PERR_UNAVAILABLE : r > 0 ? PERR_UNPROCESSABLE : PERR_OK;
}

/* The state of a posted form, registered to be drawn again by draw. */
struct team_posted *team_posted_form(struct request *req, view_draw_fn draw)
{
	struct team_posted *pf = arena_calloc(req->arena, 1, sizeof(*pf));
	view_form_posted(req, draw, pf);
	return pf;
}

void team_notice(struct request *req, struct response *resp, const char *const *codes,
		 const char *const *texts, size_t n)
{
	const char *ok = req_query(req, "ok");
	for (size_t i = 0; ok && i < n; i++)
		if (strcmp(ok, codes[i]) == 0)
			html_printf(&resp->body, "<p class=\"notice\" role=\"status\">%s</p>\n",
				    TR(req, texts[i]));
}

/* A <select> of staff (value = person id), with an empty first option. */
void team_staff_select(struct request *req, struct buf *o, const char *name, const char *label,
		       const struct staff *st, size_t n, int64_t skip, int64_t selected,
		       const char *none_label, bool only_pap)
{
	html_printf(o, "<div class=\"field\"><label for=\"%s\">%s</label>\n",
		    fw_id(req->arena, name), label);
	html_printf(o, "<select id=\"%s\" name=\"%s\"><option value=\"\">%s</option>",
		    fw_id(req->arena, name), name, none_label);
	for (size_t i = 0; i < n; i++) {
		if (st[i].id == skip || (only_pap && st[i].role != ROLE_PAP))
			continue;
		html_printf(o, "<option value=\"%lld\"%R>%s%s%s</option>", (long long)st[i].id,
			    st[i].id == selected ? " selected" : "", st[i].name,
			    st[i].role == ROLE_GESTIONNAIRE ? " — " : "",
			    st[i].role == ROLE_GESTIONNAIRE ? TR(req, "gestion") : "");
	}
	html_printf(o, "</select></div>\n");
}

bool team_is_manager(const struct actor *a)
{
	return a && a->role == ROLE_GESTIONNAIRE && a->organisation_id;
}

void team_fact(struct buf *o, const char *label, const char *value)
{
	html_printf(o, "<div><dt>%s</dt><dd>%s</dd></div>\n", label, value);
}
