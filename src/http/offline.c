#include "http/offline.h"

#include <string.h>

#include "core/util.h"
#include "model/actor.h"

const char *const offline_pages[] = {
	"/journal/nouvelle", "/journal/indirect", "/journal",
	"/recits/nouveau",   "/trous/nouveau",    "/api/v1/reference/",
};
const size_t offline_pages_count = ARRAY_LEN(offline_pages);

bool offline_allowed(const char *path)
{
	for (size_t i = 0; i < offline_pages_count; i++) {
		const char *p = offline_pages[i];
		size_t n = strlen(p);
		if (p[n - 1] == '/' ? strncmp(path, p, n) == 0 : strcmp(path, p) == 0)
			return true;
	}
	return false;
}

void offline_keep(struct request *req, struct response *resp)
{
	BUG_ON(!offline_allowed(req->path) || !req->actor);
	resp_header(resp, req->arena, "Cache-Control", "private, no-cache");
	/* Whose page it is: the service worker keeps one account's pages. */
	resp_header(resp, req->arena, "X-Proxima-Account",
		    actor_outbox_account(req->arena, req->actor));
}
