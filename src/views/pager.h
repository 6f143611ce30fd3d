/* Pages of a long list (issue 16): the list is paged in SQL (LIMIT and
 * OFFSET from the page number), and under it the count of results,
 * "Page N / M" and the previous and next links, which keep the page's
 * filters. Plain links: it works without JavaScript. */
#ifndef PROXIMA_VIEW_PAGER_H
#define PROXIMA_VIEW_PAGER_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct request;

struct view_pager {
	const char *path;        /* the page: "/familles" */
	const char *param;       /* its page number in the query: "page" */
	const char *const *keep; /* query parameters the links keep (filters, */
	size_t nkeep;            /* other lists' pages); param is skipped */
	int64_t per_page;        /* rows per page */
	int64_t total;           /* rows of every page */
	int64_t page;            /* from 1 */
};

/* The page number the query asks for (param; 1 when absent or invalid). */
int64_t view_pager_requested(struct request *req, const char *param);

/* The offset of p->page; call after setting total to clamp a page past
 * the end to the last one (then read again at the new offset). */
int64_t view_pager_offset(const struct view_pager *p);

/* Pages in all (0 for no row). */
int64_t view_pager_pages(const struct view_pager *p);

/* Writes the count, "Page N / M" and the links (nothing when total is 0). */
void view_pager_write(struct request *req, struct buf *o, const struct view_pager *p);

#endif
