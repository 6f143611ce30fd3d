/* People and accounts. */
#ifndef PROXIMA_PERSON_H
#define PROXIMA_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"

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
};

/* Looks a person up by e-mail (case-insensitive) or by id. Strings are in
 * the arena. Returns 0 when found, 1 when absent, -1 on a database error. */
int person_find_by_email(struct db *db, struct arena *a, const char *email, struct person *out);
int person_find_by_id(struct db *db, struct arena *a, int64_t id, struct person *out);

/* Creates a person from p (organisation and territory given by ext_id in
 * p->organisation / p->territory, may be NULL). The e-mail is stored in
 * lower case. *id_out gets the new id. Returns 0, or -1 with a one-line
 * reason (English, for the command line) in err. */
int person_create(struct db *db, const struct person *p, int64_t *id_out, char *err, size_t errcap);

/* Replaces the password hash. Returns 0, 1 when no such person, -1 on error. */
int person_set_password(struct db *db, int64_t id, const char *hash);

/* Every person, ordered by organisation then name, into an arena array. */
int person_list(struct db *db, struct arena *a, struct person **out, size_t *n);

/* Designates (on) or not the person as the person in charge of the
 * protection of personal information of their organisation. Returns 0, 1
 * when no such person, -1 on error. */
int person_set_privacy_officer(struct db *db, int64_t id, bool on);

/* Fills an actor from a person. */
void person_to_actor(const struct person *p, struct actor *out);

#endif
