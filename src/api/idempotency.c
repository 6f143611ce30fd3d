/* Writes of the API: one transaction per request, with the answer of an
 * Idempotency-Key stored in that same transaction, so a crash can never
 * keep the record without the key (a retry would then create a second
 * record) or the key without the record. */
#include <string.h>

#include "api/api.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"

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

/* Forgets answers older than API_IDEM_TTL. Housekeeping: a failure is only
 * logged. */
static void purge(struct db *db)
{
	struct db_stmt *s = db_stmt(db, STMT_IDEM_PURGE);
	if (!s)
		return;
	db_bind_int64(s, 1, ptime_now() - API_IDEM_TTL);
	if (db_step(s) != DB_DONE)
		db_log_error(db, "idempotency.purge");
	db_reset(s);
}

int api_idem_get(struct db *db, struct arena *a, const struct api_idem *k, int *status,
		 const char **body, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_IDEM_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, k->person_id);
	db_bind_text_copy(s, 2, k->key);
	int rc = db_step(s);
	int r;
	if (rc == DB_DONE) {
		r = 1;
	} else if (rc != DB_ROW) {
		db_log_error(db, "idempotency.get");
		r = -1;
	} else if (strcmp(db_col_cstr(s, 0), k->method) != 0 ||
		   strcmp(db_col_cstr(s, 1), k->path) != 0) {
		r = 2;
	} else {
		*status = db_col_int(s, 2);
		*n = (size_t)db_col_bytes(s, 3);
		*body = *n ? arena_strndup(a, db_col_cstr(s, 3), *n) : "";
		r = 0;
	}
	db_reset(s);
	return r;
}

int api_idem_put(struct db *db, const struct api_idem *k, int status, const char *body, size_t n)
{
	struct db_stmt *s = db_stmt(db, STMT_IDEM_PUT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, k->person_id);
	db_bind_text_copy(s, 2, k->key);
	db_bind_text_copy(s, 3, k->method);
	db_bind_text_copy(s, 4, k->path);
	db_bind_int(s, 5, status);
	db_bind_textn(s, 6, body, n);
	db_bind_int64(s, 7, ptime_now());
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "idempotency.put");
		return -1;
	}
	return 0;
}

/* The key of req (its person, method and path). */
static struct api_idem idem_of(const struct request *req, const char *key)
{
	return (struct api_idem){req->actor->person_id, key, http_method_name(req->method),
				 req->path};
}

/* Looks key up for the request (api_idem_get); a stored answer is copied
 * into resp. Returns api_idem_get's value. */
static int lookup(struct db *db, struct request *req, struct response *resp, const char *key)
{
	struct api_idem k = idem_of(req, key);
	const char *body;
	size_t n;
	int status;
	int r = api_idem_get(db, req->arena, &k, &status, &body, &n);
	if (r != 0)
		return r;
	buf_reset(&resp->body);
	resp->status = status;
	resp->content_type = n ? "application/json" : NULL;
	return buf_append(&resp->body, body, n) == 0 ? 0 : -1;
}

/* Stores resp as the answer of key. Returns 0 or -1. */
static int store(struct db *db, struct request *req, struct response *resp, const char *key)
{
	struct api_idem k = idem_of(req, key);
	return api_idem_put(db, &k, resp->status, resp->body.data, resp->body.len);
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
	if (!db || db_begin(db) < 0)
		return PERR_UNAVAILABLE;
	if (key) {
		purge(db);
		int r = lookup(db, req, resp, key);
		if (r != 1) {
			/* Keep the purge; nothing else was written. */
			if (db_commit(db) < 0)
				return PERR_UNAVAILABLE;
			if (r < 0)
				return PERR_UNAVAILABLE;
			if (r == 2)
				return api_fail(
					req, PERR_UNPROCESSABLE, "Idempotency-Key",
					N_("Cette clé d'idempotence a déjà servi pour une autre "
					   "requête (autre méthode ou autre adresse). Utilisez une "
					   "nouvelle clé."));
			resp_header(resp, req->arena, "Idempotent-Replayed", "true");
			return PERR_OK;
		}
	}
	enum perr e = fn(req, resp, db);
	if (e != PERR_OK || resp->status >= 400 || resp->body.overflow) {
		db_rollback(db);
		return e;
	}
	if (key && store(db, req, resp, key) < 0) {
		db_rollback(db);
		return PERR_INTERNAL;
	}
	if (db_commit(db) < 0) {
		buf_reset(&resp->body);
		return PERR_UNAVAILABLE;
	}
	return PERR_OK;
}
