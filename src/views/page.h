/* The opening of a page handler: its id, its database, who may see it. */
#ifndef PROXIMA_VIEWS_PAGE_H
#define PROXIMA_VIEWS_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

struct db;

/* The page shown to roles that see no single journal entry (comité,
 * analyste, admin) or to an account without an organisation. */
enum perr view_not_for_role(struct request *req, struct response *resp, const char *title);

/* Parses a route's ":id" capture; 0 when it is not a positive integer. */
int64_t view_param_id(const struct request *req);

/* The start of a handler for a page only some actors may see: allowed is
 * the model's answer for this actor. Returns this thread's connection
 * (db_thread(), not owned by the caller), or NULL with *e set to
 * PERR_NOT_FOUND when not allowed (the page does not leak its existence)
 * or to PERR_UNAVAILABLE when the database cannot be opened. */
struct db *view_open_db(bool allowed, enum perr *e);

/* The same for a page that roles without it are told about rather than
 * given a 404: when not allowed, writes view_not_for_role(req, resp,
 * title) (title already translated) and returns NULL with *e set to what
 * that returns. */
struct db *view_open_page_db(struct request *req, struct response *resp, bool allowed,
			     const char *title, enum perr *e);

#endif
