/* Two-factor sign-in: a TOTP secret per person (auth/totp.h), sealed with
 * the key file like nominative fields (model/vault.h); recovery codes, shown
 * once and stored as hashes, each usable once; and the pending second step
 * of a sign-in, a short-lived challenge kept in the database (so that
 * several servers share it) whose token lives only in the browser's
 * cookie. A setting (SETTING_TOTP_REQUIRED) makes it mandatory for the
 * roles that read nominative data. */
#ifndef PROXIMA_TWOFACTOR_H
#define PROXIMA_TWOFACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/totp.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"

#define TWOFACTOR_RECOVERY_CODES 10
#define TWOFACTOR_CHALLENGE_COOKIE "proxima_2fa"
#define TWOFACTOR_CHALLENGE_TTL (5 * 60)
#define TWOFACTOR_CHALLENGE_TRIES 5

/* True when a person of role r must have two-factor sign-in: the setting
 * totp_required is on and r reads nominative data (pap, gestionnaire). */
bool twofactor_required(struct db *db, enum role r);

/* A person's two-factor state. */
struct twofactor_state {
	bool enabled;      /* on: sign-in asks for a code */
	bool pending;      /* a secret was made, not yet confirmed */
	int recovery_left; /* unused recovery codes */
	unsigned char secret[TOTP_SECRET_LEN];
	int64_t last_step; /* the last time step accepted */
};

/* Reads person_id's state (the secret opened with the key). Returns 0, or
 * -1 on a database error or when the secret cannot be opened (no key, or
 * another key). */
int twofactor_state(struct db *db, int64_t person_id, struct twofactor_state *out);

/* Starts enrolment: a new random secret, sealed and stored as pending
 * (two-factor stays off until confirmed), copied into secret. Replaces a
 * pending one; refused (-1) when two-factor is already on. Returns 0 or
 * -1. */
int twofactor_begin(struct db *db, int64_t person_id, unsigned char secret[TOTP_SECRET_LEN]);

/* Confirms enrolment with a code of the pending secret: two-factor is on
 * and TWOFACTOR_RECOVERY_CODES new recovery codes are made, written into
 * codes (arena strings, shown once). Returns 0, 1 when the code is wrong
 * (or nothing is pending), -1 on an error. */
int twofactor_enable(struct db *db, struct arena *a, int64_t person_id, const char *code,
		     const char *codes[TWOFACTOR_RECOVERY_CODES]);

/* Replaces the recovery codes of person_id (two-factor on) with new ones,
 * written into codes as above. Returns 0 or -1. */
int twofactor_new_codes(struct db *db, struct arena *a, int64_t person_id,
			const char *codes[TWOFACTOR_RECOVERY_CODES]);

/* Turns two-factor off: secret and recovery codes forgotten. 0 or -1. */
int twofactor_disable(struct db *db, int64_t person_id);

/* Checks what a person typed at sign-in: a current code (never one
 * already used) or an unused recovery code (then used up). Returns 0 when
 * accepted, 1 when not, -1 on an error. */
int twofactor_verify(struct db *db, int64_t person_id, const char *typed);

/* Opens the second step of a sign-in for person_id, to continue to next
 * (a local path). *token_out gets the challenge's token for the cookie
 * (arena string). Returns 0 or -1. */
int twofactor_challenge_open(struct db *db, struct arena *a, int64_t person_id, const char *next,
			     const char **token_out);

/* A live challenge. */
struct twofactor_challenge {
	int64_t id, person_id;
	const char *next;
	int attempts;
};

/* Finds the live challenge of token. Returns 0, 1 when there is none
 * (absent, expired or used up), -1 on an error. */
int twofactor_challenge_find(struct db *db, struct arena *a, const char *token,
			     struct twofactor_challenge *out);

/* Counts a wrong code against c; after TWOFACTOR_CHALLENGE_TRIES the
 * challenge ends (the person signs in again). Returns the tries left, or
 * -1 on an error. */
int twofactor_challenge_fail(struct db *db, const struct twofactor_challenge *c);

/* Ends challenge id (used or abandoned). 0 or -1. */
int twofactor_challenge_close(struct db *db, int64_t id);

#endif
