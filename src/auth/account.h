/* The life of an account's credentials: one-time links to set a password
 * (an invitation to a new account, a reset by an administrator or a
 * manager), a password change by its owner, deactivation and
 * reactivation. A link is a random token shown once to whoever made it
 * (Proxima sends no mail: they hand it over), stored as a hash, expiring
 * (settings invitation_days, reset_hours) and usable once; a new link
 * voids the person's earlier ones. Deactivating an account ends its
 * sessions, revokes its API tokens and voids its links in the same
 * transaction, so it loses access on its very next request. The caller
 * owns the transaction of every write here. */
#ifndef PROXIMA_ACCOUNT_H
#define PROXIMA_ACCOUNT_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

enum account_link_purpose { ACCOUNT_LINK_INVITATION, ACCOUNT_LINK_RESET };

/* The path of a link, followed by the token. */
#define ACCOUNT_LINK_PATH "/compte/lien/"

struct account_link {
	int64_t id, person_id;
	enum account_link_purpose purpose;
	int64_t expires_at;
};

/* Makes a link for person_id, voiding its earlier unused ones. *token_out
 * gets the token (arena string, 43 characters: the only time it exists in
 * clear), *expires_at (may be NULL) when it expires. created_by is the
 * person who asked (0: the command line). Returns 0 or -1. */
int account_link_create(struct db *db, struct arena *a, int64_t person_id,
			enum account_link_purpose purpose, int64_t created_by,
			const char **token_out, int64_t *expires_at);

/* Finds the usable link of token: unused, unexpired, of an active account.
 * Returns 0, 1 when there is none, -1 on an error. */
int account_link_find(struct db *db, const char *token, struct account_link *out);

/* Uses link l to set the password hash of its person: the link and the
 * person's other links are used up, and its sessions end (whoever held
 * the old password is signed out). Returns 0 or -1. */
int account_link_use(struct db *db, const struct account_link *l, const char *password_hash);

/* Changes person_id's password after checking current against the stored
 * hash. Every other session of the person ends (keep_session stays).
 * Returns 0, 1 when current is wrong, -1 on an error. */
int account_change_password(struct db *db, struct arena *a, int64_t person_id, int64_t keep_session,
			    const char *current, const char *new_hash);

/* Deactivates person_id: it can no longer sign in, its sessions end, its
 * API tokens are revoked, its links voided. Returns 0, 1 when there is no
 * such person, -1 on an error. */
int account_deactivate(struct db *db, int64_t person_id);

/* Reactivates person_id (its old sessions and tokens stay ended). Returns
 * 0, 1 when there is no such person, -1 on an error. */
int account_reactivate(struct db *db, int64_t person_id);

#endif
