/* Formal support requests (domain.md "demande de soutien"): a PAP asks
 * their team or their manager for support (addressed_to equipe /
 * gestionnaire, a type, an urgency, free text). A manager of the PAP's
 * organisation acknowledges it (acknowledged_at) and closes it with what
 * was done (resolution). Requests feed arr.demandes_soutien by person and
 * date (model/ind_team.h).
 *
 * Who sees a request, its text or even its existence: the PAP who filed
 * it and the managers of that PAP's organisation. Never another PAP (even
 * when addressed to the team: the manager brings it to the team), never a
 * manager of another organisation, comite, analyste or admin: absent
 * (404), and lists are empty for them. */
#ifndef PROXIMA_SUPPORT_H
#define PROXIMA_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

#define SUPPORT_TEXT_MAX 2000 /* characters */

struct support_request {
	int64_t id;
	const char *ext_id;
	int64_t person_id;
	const char *person_name;
	int64_t organisation_id; /* the PAP's */
	const char *date;        /* YYYY-MM-DD, filed */
	const char *addressed_to;
	const char *type;
	const char *urgency;
	const char *text;
	int64_t acknowledged_at; /* 0 = not yet */
	int64_t closed_at;       /* 0 = open */
	const char *resolution;
	const char *person_ext; /* read only */
};

/* The codes, NULL-terminated. */
extern const char *const support_addressees[]; /* equipe, gestionnaire */
extern const char *const support_types[];
extern const char *const support_urgencies[]; /* faible, moyenne, elevee */

/* True when who files requests (a PAP with an organisation). */
bool support_can_file(const struct actor *who);

/* True when who handles requests (a manager with an organisation). */
bool support_can_handle(const struct actor *who);

/* Validates and files r for who (dated today): addressed_to, type,
 * urgency and text are optional (interchange.md), checked when given.
 * Errors already in v (a form's own) count: nothing is written then, and
 * every error comes at once. The caller holds the write transaction. 0, 1
 * with field errors, -1. */
int support_file(struct db *db, struct arena *ar, const struct actor *who,
		 struct support_request *r, struct validation *v);

/* One request when who may see it. 0, 1 when absent or not visible, -1. */
int support_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		struct support_request *out);

/* The requests who may see: a PAP their own, a manager their
 * organisation's (open first, newest first); nobody else any. 0 or -1. */
int support_list(struct db *db, struct arena *ar, const struct actor *who,
		 struct support_request **out, size_t *n);

/* Acknowledges r (a manager of its organisation; already acknowledged is a
 * no-op). 0, 1 when who may not, -1. */
int support_acknowledge(struct db *db, const struct actor *who, const struct support_request *r);

/* Closes r with a resolution (required, SUPPORT_TEXT_MAX). 0, 1 with an
 * error on field "resolution" (or not allowed: v empty), -1. */
int support_close(struct db *db, const struct actor *who, const struct support_request *r,
		  const char *resolution, struct validation *v);

#endif
