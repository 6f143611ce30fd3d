/* Who is acting: the authenticated person, with the role and scope that
 * decide what they may see. Visibility is enforced in the model with this
 * struct, not only by hiding links. */
#ifndef PROXIMA_ACTOR_H
#define PROXIMA_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_PAP,
	ROLE_GESTIONNAIRE,
	ROLE_COMITE,
	ROLE_ANALYSTE,
	ROLE_ADMIN,
};

struct actor {
	int64_t person_id; /* 0 for the command line's "complet" view */
	enum role role;
	int64_t organisation_id; /* 0 when none */
	int64_t territory_id;    /* 0 when none */
	const char *name;
	const char *email;
	/* External ids of the person, their organisation and their territory
	 * (person_to_actor), or NULL when not known. */
	const char *ext_id, *organisation_ext, *territory_ext;
	int64_t session_id; /* the browser session acting, 0 for a bearer token */
	bool must_enrol;    /* two-factor sign-in is required and not set up */
};

/* "pap" -> ROLE_PAP …; ROLE_NONE for anything else. */
enum role role_parse(const char *s);

/* The code of a role ("pap", …), or "" for ROLE_NONE. Static string. */
const char *role_code(enum role r);

/* The French msgid of a role's name, for display. */
const char *role_label(enum role r);

/* True when a (may be NULL) keeps a field journal: a PAP or a manager
 * with an organisation. They write activities, families, stories and
 * service gaps. */
bool actor_keeps_journal(const struct actor *a);

/* The name of a's outbox on a phone ("p" and the person's row id, in
 * arena ar): pages carry it (data-account) and GET /api/v1/sync says it,
 * so what one account left waiting is never shown to or sent by another
 * account on the same device. Not nominative. */
struct arena;
const char *actor_outbox_account(struct arena *ar, const struct actor *a);

#endif
