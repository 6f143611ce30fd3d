/* People and accounts. */
#ifndef PROXIMA_PERSON_H
#define PROXIMA_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/validation.h"

struct person {
	int64_t id;
	const char *ext_id;
	const char *name;
	const char *email;
	enum role role;
	int64_t organisation_id;
	int64_t territory_id;
	const char *organisation;  /* ext_id, or NULL */
	const char *territory;     /* ext_id, or NULL */
	const char *password_hash; /* NULL when the account cannot log in */
	bool active;
	bool totp_enabled; /* two-factor sign-in is on */
	int64_t created_at;
};

/* Looks a person up by e-mail (case-insensitive) or by id. Strings are in
 * the arena. Returns 0 when found, 1 when absent, -1 on a database error. */
int person_find_by_email(struct db *db, struct arena *a, const char *email, struct person *out);
int person_find_by_id(struct db *db, struct arena *a, int64_t id, struct person *out);

/* The active person holding the API token whose digest is hash (len
 * bytes), unrevoked and unexpired at now, in one read; *expires_at (may be
 * NULL) gets when the token expires, 0 for never. Strings are in the
 * arena. Returns 0 when found, 1 when there is none, -1 on a database
 * error. */
int person_find_by_token(struct db *db, struct arena *a, const unsigned char *hash, size_t len,
			 int64_t now, struct person *out, int64_t *expires_at);

/* The person whose external id is ext: its id into *id and its
 * organisation (0 when none) into *organisation_id. Returns 0 when found,
 * 1 when absent, -1 on a database error (logged). */
int person_find_ref(struct db *db, const char *ext, int64_t *id, int64_t *organisation_id);

#define PERSON_NAME_MAX 200

/* Creates a person from p (organisation and territory given by ext_id in
 * p->organisation / p->territory, may be NULL; password_hash NULL for an
 * account that cannot sign in yet, e.g. invited). The e-mail is stored in
 * lower case. *id_out gets the new id. Returns 0, 1 when refused with the
 * reasons in v (field names: name, email, role, organisation, territory;
 * French msgids), -1 on a database error. */
int person_create(struct db *db, const struct person *p, int64_t *id_out, struct validation *v);

/* Changes the name, role, organisation and territory of person id from p
 * (the e-mail stays). Returns as person_create. */
int person_update(struct db *db, int64_t id, const struct person *p, struct validation *v);

/* True when actor a may manage p's account (invite, deactivate, reset,
 * change): an admin any account; a manager the PAP and managers of their
 * own organisation. */
bool person_may_manage(const struct actor *a, const struct person *p);

/* True when actor a may give role r in organisation organisation_id (0:
 * none): an admin any; a manager pap or gestionnaire in their own. */
bool person_may_give(const struct actor *a, enum role r, int64_t organisation_id);

/* Replaces the password hash. Returns 0, 1 when no such person, -1 on error. */
int person_set_password(struct db *db, int64_t id, const char *hash);

/* Activates or deactivates an account (the caller ends its sessions and
 * tokens: auth/account.h). Returns 0, 1 when no such person, -1 on error. */
int person_set_active(struct db *db, int64_t id, bool active);

/* Every person, ordered by organisation then name, into an arena array. */
int person_list(struct db *db, struct arena *a, struct person **out, size_t *n);

/* Fills an actor from a person. */
void person_to_actor(const struct person *p, struct actor *out);

#endif
