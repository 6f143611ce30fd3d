/* Journal entries in lists (see entry.h). */
#include "views/entry.h"

#include <string.h>

#include "views/fmt.h"
#include "views/reflabel.h"

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
