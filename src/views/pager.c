/* Pages of a long list: see pager.h. */
#include "views/pager.h"

#include <string.h>

#include "core/escape.h"
#include "core/i18n.h"
#include "core/util.h"
#include "http/request.h"
#include "views/view.h"

int64_t view_pager_requested(struct request *req, const char *param)
{
	const char *v = req_query(req, param);
	int64_t page = 1;
	if (v && parse_i64(v, 1, 1000000, &page) < 0)
		page = 1;
	return page;
}

int64_t view_pager_pages(const struct view_pager *p)
{
	return (p->total + p->per_page - 1) / p->per_page;
}

int64_t view_pager_offset(const struct view_pager *p)
{
	return (p->page - 1) * p->per_page;
}

static void page_link(struct request *req, struct buf *o, const struct view_pager *p, int64_t page,
		      const char *label, const char *rel)
{
	html_printf(o, "<a href=\"%s?%s=%lld", p->path, p->param, (long long)page);
	for (size_t i = 0; i < p->nkeep; i++) {
		const char *v = req_query(req, p->keep[i]);
		if (v && *v && strcmp(p->keep[i], p->param) != 0)
			html_printf(o, "&amp;%s=%U", p->keep[i], v);
	}
	html_printf(o, "\" rel=\"%s\">%s</a> ", rel, label);
}

void view_pager_write(struct request *req, struct buf *o, const struct view_pager *p)
{
	if (!p->total)
		return;
	int64_t pages = view_pager_pages(p);
	html_printf(o, "<nav class=\"pager\" aria-label=\"%s\"><p>%lld %s",
		    TR(req, "Pages de la liste"), (long long)p->total,
		    i18n_trn(req->lang, "résultat", "résultats", (long)p->total));
	if (pages > 1)
		html_printf(o, " · %s %lld / %lld", TR(req, "Page"), (long long)p->page,
			    (long long)pages);
	html_printf(o, "</p>");
	if (p->page > 1)
		page_link(req, o, p, p->page - 1, TR(req, "← Précédentes"), "prev");
	if (p->page < pages)
		page_link(req, o, p, p->page + 1, TR(req, "Suivantes →"), "next");
	html_printf(o, "</nav>\n");
}
