/* /api/v1/inbox (src/api/inbox.c; docs/api.md and docs/en/inbox.md): the
 * signed-in person's own events, paged, and marking one read. Another
 * person's event does not exist (404). */
#ifndef PROXIMA_API_INBOX_H
#define PROXIMA_API_INBOX_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

/* GET /api/v1/inbox?unread=true&limit=&offset=: the events, newest first,
 * with "unread" (every unread event) beside the page's envelope. */
enum perr api_inbox_list(struct request *req, struct response *resp);

/* POST /api/v1/inbox/:id/read (no body; Idempotency-Key as every write):
 * marks the event read and answers it. */
enum perr api_inbox_read(struct request *req, struct response *resp);

#endif
