/* Outbox entries replayed through their page forms.
 *
 * With JavaScript, a field form (quick entry, indirect time, an edit of an
 * activity, a story, a service gap) is never posted directly: app.js puts
 * it in the phone's outbox as the list of its fields, and the outbox is
 * sent by POST /api/v1/sync (api/sync.c), now or when the network comes
 * back. Each entry is read here by the very code that reads the page's
 * POST, so an entry saved offline and one saved online are the same
 * record, checked by the same rules.
 *
 * A replay function reads req's form fields (req->form: the entry's
 * fields; req->params: the route's captures) as its page does, validates
 * them with the model and saves inside the caller's write unit (it never
 * begins, commits or rolls back). It returns:
 *   PERR_OK with rp->v.n == 0: saved; rp->ext_id and rp->location set;
 *   PERR_OK with rp->v.n > 0: refused with field errors, nothing written;
 *   PERR_PRECONDITION: the record changed since the form was loaded (its
 *     "version" field names another ETag); rp->location is its edit page;
 *   PERR_NOT_FOUND: not a form this person may use, or a record they may
 *     not change;
 *   PERR_UNAVAILABLE: a database error (the caller rolls back).
 * Strings set in rp are in req's arena. */
#ifndef PROXIMA_VIEWS_REPLAY_H
#define PROXIMA_VIEWS_REPLAY_H

#include "core/err.h"
#include "db/db.h"
#include "http/request.h"
#include "model/validation.h"

struct replay {
	const char *key;      /* the device's id: the external id of a new record */
	struct validation v;  /* out: field errors, with the form's field names */
	const char *ext_id;   /* out: the saved record's external id */
	const char *location; /* out: its page */
};

typedef enum perr (*replay_fn)(struct request *req, struct db *db, struct replay *rp);

/* POST /journal/nouvelle, /journal/indirect, /journal/:id/modifier. */
enum perr journal_replay_new(struct request *req, struct db *db, struct replay *rp);
enum perr journal_replay_indirect(struct request *req, struct db *db, struct replay *rp);
enum perr journal_replay_edit(struct request *req, struct db *db, struct replay *rp);
/* POST /recits/nouveau. */
enum perr story_replay_new(struct request *req, struct db *db, struct replay *rp);
/* POST /trous/nouveau. */
enum perr service_gap_replay_new(struct request *req, struct db *db, struct replay *rp);

#endif
