/* The inbox and the home pages by role (issue 16). */
#ifndef PROXIMA_VIEWS_INBOX_H
#define PROXIMA_VIEWS_INBOX_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

/* GET /boite: the signed-in person's events, newest first, with the
 * e-mail choice. */
enum perr view_inbox(struct request *req, struct response *resp);

/* POST /boite/:id/ouvrir: marks the event read and goes to its page. */
enum perr view_inbox_open(struct request *req, struct response *resp);

/* POST /boite/:id/lu: marks the event read, back to /boite. */
enum perr view_inbox_read(struct request *req, struct response *resp);

/* POST /boite/tout-lu: marks every event read, back to /boite. */
enum perr view_inbox_read_all(struct request *req, struct response *resp);

/* POST /boite/courriel: the e-mail choice (field "courriel": aucun,
 * quotidien, immediat). */
enum perr view_inbox_email(struct request *req, struct response *resp);

/* The signed-in home of who's role: what to act on, one tap away
 * (views/home.c calls it for a signed-in person). */
enum perr view_home_role(struct request *req, struct response *resp);

#endif
