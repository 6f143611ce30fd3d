/* What a phone may keep for work without a network (issue 11): one
 * allow-list of pages, used by the pages that mark their answers and by the
 * service worker (views/pwa.c writes it into /sw.js). A page is stored on
 * the phone only when it is on this list and its answer is not no-store;
 * every other answer is no-store (app.c) and never stored. */
#ifndef PROXIMA_OFFLINE_H
#define PROXIMA_OFFLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "http/request.h"
#include "http/response.h"

/* The allow-list: the field forms, "Mon journal" (any ?semaine=), and the
 * reference lists (an entry ending with '/' is a prefix). Nothing on it
 * shows a name, a phone or an address: families appear by code only. */
extern const char *const offline_pages[];
extern const size_t offline_pages_count;

/* True when path is on the allow-list. */
bool offline_allowed(const char *path);

/* Marks the answer as one the phone may keep (Cache-Control: private,
 * no-cache instead of no-store). Only for a path on the allow-list (a
 * broken invariant otherwise) and an answer with nothing nominative. */
void offline_keep(struct request *req, struct response *resp);

#endif
