/* The pipeline's write step (app.h app_write): an unsafe request whose
 * route runs in a write unit (http/router.h) runs its handler here.
 *   - The write unit is run (db_unit_run): on the server's connections, a
 *     savepoint of a transaction shared with the other requests writing at
 *     the same moment (group commit, db/db.h), run by whichever thread
 *     leads the group; this thread waits until that COMMIT returned.
 *   - A page form that carries a one-time token (model/form_token.h) and
 *     was already answered gets its first 303 again, without running the
 *     handler; the 303 of a new token is stored in the same unit.
 *   - The handler runs; the unit is kept when it succeeded, discarded
 *     otherwise.
 *   - The answer leaves only once the unit is durable. When it is not (a
 *     full disk, COMMIT failed), the posted form comes back filled in with
 *     the reason (views/view.h view_form_again), or the error page says it.
 * The handlers and the model open no transaction of their own. */
#include <string.h>

#include "app.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/form_token.h"
#include "views/view.h"

struct write_step {
	struct request *req;
	struct response *resp;
	enum perr (*handler)(struct request *req, struct response *resp);
	const char *token; /* the posted form token, or NULL */
	int64_t issued;    /* when the token was issued */
	bool ran;          /* the unit opened: e is the step's answer */
	enum perr e;
};

/* Whose tokens: the signed-in person, or 0 for a public form. */
static int64_t poster(const struct request *req)
{
	return req->actor ? req->actor->person_id : 0;
}

/* Answers a token already used: its first 303 again, or a 422 when it was
 * first posted to another form. Returns 1 when answered, 0 when the token
 * is new, -1 on a database error. */
static int replay(struct db *db, struct write_step *w)
{
	struct request *req = w->req;
	const char *path, *location;
	int r = form_token_find(db, req->arena, poster(req), w->token, &path, &location);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (strcmp(path, req->path) != 0) {
		req->err_message = N_("Ce formulaire a déjà été envoyé à une autre adresse. "
				      "Rechargez la page et réessayez.");
		req->err_field = FORM_TOKEN_FIELD;
		w->e = PERR_UNPROCESSABLE;
		return 1;
	}
	resp_redirect(w->resp, req->arena, location);
	log_info("form.replay", "by=%lld", (long long)poster(req));
	w->e = PERR_OK;
	return 1;
}

/* After the handler answered a 303: stores it as the token's first answer
 * in the same unit. A token too old to be trusted (its first answer may
 * have been forgotten) discards the write: the form comes back. */
static enum db_unit_verdict remember(struct db *db, struct write_step *w)
{
	struct request *req = w->req;
	int64_t now = ptime_now();
	if (form_token_expired(w->issued, now)) {
		req->err_message = N_("Ce formulaire a été ouvert il y a plus de 24 heures : rien "
				      "n'a été enregistré. Vérifiez ce que vous avez saisi, puis "
				      "enregistrez de nouveau.");
		w->e = PERR_UNPROCESSABLE;
		return DB_UNIT_DISCARD;
	}
	const char *location = resp_get_header(w->resp, "Location");
	int r = form_token_store(db, poster(req), w->token, req->path, location, now);
	if (r == 0)
		return DB_UNIT_KEEP;
	if (r > 0) {
		/* A twin of this request stored it first (PostgreSQL: two app
		 * servers at once): nothing is written twice. */
		req->err_message = N_("Ce formulaire vient d'être envoyé une première fois. "
				      "Rechargez la page pour voir le résultat.");
		w->e = PERR_CONFLICT;
	} else {
		w->e = PERR_UNAVAILABLE;
	}
	return DB_UNIT_DISCARD;
}

/* The unit's work: replay, handler, token. */
static enum db_unit_verdict work(struct db *db, void *arg)
{
	struct write_step *w = arg;
	w->ran = true;
	if (w->token) {
		int r = replay(db, w);
		if (r < 0)
			w->e = PERR_UNAVAILABLE;
		if (r != 0)
			return DB_UNIT_DISCARD; /* nothing to keep */
	}
	w->e = w->handler(w->req, w->resp);
	if (w->e != PERR_OK || w->resp->status >= 400 || w->resp->body.overflow)
		return DB_UNIT_DISCARD;
	if (w->token && w->resp->status == 303)
		return remember(db, w);
	return DB_UNIT_KEEP;
}

/* What to answer when a unit is not durable although its work succeeded
 * (or did not start): why, as the project's error. */
static enum perr not_durable(enum db_error why)
{
	switch (why) {
	case DB_ERR_FULL: return PERR_FULL;
	case DB_ERR_BUSY:
	case DB_ERR_UNAVAILABLE: return PERR_UNAVAILABLE;
	default: return PERR_INTERNAL;
	}
}

enum perr app_write(struct request *req, struct response *resp,
		    enum perr (*handler)(struct request *req, struct response *resp))
{
	struct write_step w = {.req = req, .resp = resp, .handler = handler};
	w.token = req->want_json ? NULL : req_form(req, FORM_TOKEN_FIELD);
	if (w.token && form_token_issued(w.token, ptime_now(), &w.issued) < 0) {
		req->err_message = N_("Le jeton du formulaire est invalide. Rechargez la page et "
				      "réessayez.");
		req->err_field = FORM_TOKEN_FIELD;
		return PERR_INVALID;
	}
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	enum db_error why;
	enum db_unit_outcome out = db_unit_run(db, work, &w, &why);
	if (out == DB_UNIT_COMMITTED)
		return w.e;
	enum perr e = w.e;
	if (!w.ran || (out == DB_UNIT_FAILED && e == PERR_OK))
		e = not_durable(why);
	else if ((e == PERR_INTERNAL || e == PERR_UNAVAILABLE) && why == DB_ERR_FULL)
		e = PERR_FULL; /* a write failed for lack of disk */
	/* A refusal while the database server was gone is temporary, as in app.c;
	 * the unit ran on the groups' connection, not the one db_thread_lost()
	 * asks about. */
	else if (why == DB_ERR_UNAVAILABLE && (e != PERR_OK || resp->status >= 400))
		e = PERR_UNAVAILABLE;
	if (e == PERR_OK)
		return PERR_OK; /* a replay, or a refusal the handler wrote itself */
	if (out == DB_UNIT_FAILED) {
		char p[300];
		log_error("write.fail", "path=%s code=%s db=%d", log_value(p, sizeof(p), req->path),
			  perr_code(e), (int)why);
	}
	return view_form_again(req, resp, e);
}
