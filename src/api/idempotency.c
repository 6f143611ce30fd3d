/* Writes of the API. The request pipeline runs every write as one write
 * unit (src/app_write.c) and answers only after COMMIT; this file adds the
 * Idempotency-Key: the answer of a keyed write is stored in that same unit
 * (model/idempotency.h), so a crash can never keep the record without the
 * key (a retry would then create a second record) or the key without the
 * record. The phone's outbox (api/sync.c) stores each entry's answer the
 * same way. */
#include <string.h>

#include "api/api.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/idempotency.h"

bool api_idem_key_ok(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n > API_IDEM_KEY_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (key[i] < ' ' || key[i] > '~')
			return false;
	return true;
}

int api_idem_get(struct db *db, struct arena *a, const struct api_idem *k, int *status,
		 const char **body, size_t *n)
{
	struct idempotency_answer ans;
	int r = idempotency_find(db, a, k->person_id, k->key, ptime_now(), &ans);
	if (r != 0)
		return r;
	if (strcmp(ans.method, k->method) != 0 || strcmp(ans.path, k->path) != 0)
		return 2;
	*status = ans.status;
	*body = ans.body;
	*n = ans.body_len;
	return 0;
}

int api_idem_put(struct db *db, const struct api_idem *k, int status, const char *body, size_t n)
{
	struct idempotency_answer ans = {.method = k->method,
					 .path = k->path,
					 .status = status,
					 .body = body,
					 .body_len = n};
	return idempotency_store(db, k->person_id, k->key, &ans, ptime_now());
}

/* The key of req (its person, method and path). */
static struct api_idem idem_of(const struct request *req, const char *key)
{
	return (struct api_idem){req->actor->person_id, key, http_method_name(req->method),
				 req->path};
}

/* Answers with the stored answer of key when there is one. Returns 1 when
 * there is none (the write goes on), else 0 with *e what the handler
 * returns: the replay (PERR_OK), a 422 when the key served another method
 * or path, or PERR_UNAVAILABLE. */
static int replay(struct request *req, struct response *resp, struct db *db, const char *key,
		  enum perr *e)
{
	struct api_idem k = idem_of(req, key);
	int status;
	const char *body;
	size_t n;
	int r = api_idem_get(db, req->arena, &k, &status, &body, &n);
	if (r == 1)
		return 1;
	if (r < 0) {
		*e = PERR_UNAVAILABLE;
	} else if (r == 2) {
		*e = api_fail(
			req, PERR_UNPROCESSABLE, "Idempotency-Key",
			N_("Cette clé d'idempotence a déjà servi pour une autre requête (autre "
			   "méthode ou autre adresse). Utilisez une nouvelle clé."));
	} else {
		buf_reset(&resp->body);
		resp->status = status;
		resp->content_type = n ? "application/json" : NULL;
		*e = buf_append(&resp->body, body, n) == 0 ? PERR_OK : PERR_INTERNAL;
		resp_header(resp, req->arena, "Idempotent-Replayed", "true");
	}
	return 0;
}

enum perr api_write(struct request *req, struct response *resp, api_write_fn fn)
{
	BUG_ON(!req->actor);
	const char *key = req_header(req, "Idempotency-Key");
	if (key && !api_idem_key_ok(key))
		return api_fail(req, PERR_INVALID, "Idempotency-Key",
				N_("La clé d'idempotence doit compter de 1 à 200 caractères ASCII "
				   "imprimables."));
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	enum perr e;
	if (key && replay(req, resp, db, key, &e) == 0)
		return e;
	e = fn(req, resp, db);
	if (e != PERR_OK || resp->status >= 400 || resp->body.overflow || !key)
		return e;
	struct api_idem k = idem_of(req, key);
	if (api_idem_put(db, &k, resp->status, resp->body.data, resp->body.len) < 0)
		return PERR_INTERNAL;
	return PERR_OK;
}
