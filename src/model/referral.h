/* The referral workflow (domain.md "référence / transfert", issue 4): a
 * family sent from one organisation to another, through a corridor or
 * directly; the receiving organisation acknowledges, takes in charge,
 * refuses (with a reason) or re-orients it elsewhere (a chain: a
 * trajectory); the sending side may close it as lost. Every status change
 * is kept in referral_event with who and why.
 *
 * Visibility: a referral is visible only to the PAP and managers of its
 * sending and of its receiving organisation. Everyone else (other
 * organisations, comité, analyste, admin) is told it does not exist.
 *
 * Nominative data: the receiving side may read the family's name and
 * phone (never the address) while the family's consent covers
 * `reference` and the referral is open or taken in charge by it. Each such
 * read is entered in the access log, and sending a referral (or
 * re-orienting one) enters a "communicate" entry naming the recipient
 * organisation. The transfer template's values (fields) are shown to both
 * sides and each read is logged too (they may carry contact details).
 *
 * Time: now is ptime_now() (PROXIMA_NOW injectable), elapsed time is real
 * elapsed time (days = hours / 24, DST-correct).
 *   - overdue: open (no outcome, not taken) and more than the corridor's
 *     target_days (2 without a corridor) elapsed since sent_at;
 *   - escaped: open and the local date of now minus the local date of
 *     sent_at is more than the escape window W (setting escape_window_days,
 *     default IND_DEFAULT_ESCAPE_DAYS) — the rule of arr.taux_echappement.
 *
 * Every function that writes expects the caller to hold a write
 * transaction (db_begin) and writes nothing when it fails. Returned
 * strings and arrays are in the arena passed in. */
#ifndef PROXIMA_REFERRAL_H
#define PROXIMA_REFERRAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/family.h"
#include "model/validation.h"

#define REFERRAL_REASON_MAX 2000  /* characters */
#define REFERRAL_FIELD_MAX 1000   /* characters of one template value */
#define REFERRAL_DEFAULT_TARGET 2 /* days, without a corridor */

/* One template value: field code and text. */
struct referral_field {
	const char *field, *value;
};

/* A referral's state, in memory. Codes (SQL, interchange, URLs) and words
 * come from one table in referral.c: referral_status_code,
 * referral_status_parse, referral_status_label. */
enum referral_status {
	REFERRAL_ENVOYEE,
	REFERRAL_RECUE,
	REFERRAL_PRISE_EN_CHARGE,
	REFERRAL_REFUSEE,
	REFERRAL_REORIENTEE,
	REFERRAL_PERDUE,
};
#define REFERRAL_STATUS_COUNT 6

/* Why a referral was refused: one of a coded list (referral_refusals),
 * "autre" asking for the reason in words. */
struct referral_refusal {
	const char *code;  /* stored in referral.refusal_code */
	const char *label; /* French msgid */
};

/* The refusal reasons, in the order the form lists them ("autre" last). */
extern const struct referral_refusal referral_refusals[];
extern const size_t referral_refusal_count;

/* The label msgid of refusal code, or NULL when code is not in the list. */
const char *referral_refusal_label(const char *code);

struct referral {
	int64_t id;
	const char *ext_id;
	int64_t family_id;
	const char *family_code, *family_ext;
	int64_t from_org, to_org;
	const char *from_name, *to_name, *from_ext, *to_ext;
	int64_t corridor_id; /* 0 = direct */
	const char *corridor_name, *corridor_ext;
	double target_days; /* the corridor's, or 2 */
	const char *need;   /* or NULL */
	int64_t sender_id;  /* 0 when unknown (imported) */
	const char *sender_name, *sender_ext;
	int64_t first_contact_at, sent_at, received_at, taken_at, closed_at; /* 0 = none */
	bool has_outcome;             /* closed: outcome is set */
	enum referral_status outcome; /* when has_outcome */
	const char *reason;
	const char *refusal_code; /* a code of referral_refusals, or NULL (older refusals) */
	int64_t previous_id;
	const char *previous_ext;
	bool loop_detected;
	const char *fields_json; /* {"code": "value", …} or NULL */
	bool consent_reference;  /* the family's consent covers reference */
	bool has_nominative;     /* the family has contact details stored */
	/* Derived for the actor and the clock (referral_get/list). */
	enum referral_status status;
	bool overdue, escaped;
	bool sender_side, receiver_side; /* the actor's organisation is … */
};

/* One entry of the history. */
struct referral_event {
	int64_t at;
	int64_t person_id;
	const char *person_ext;                      /* may be NULL */
	const char *person_name, *organisation_name; /* may be NULL */
	enum referral_status action;                 /* the status entered */
	const char *reason;                          /* or NULL */
};

/* What a new referral (or a re-orientation) asks for. */
struct referral_new {
	const char *ext_id; /* NULL: generated "ref-…" */
	int64_t family_id;
	int64_t corridor_id;      /* 0 = direct */
	int64_t to_org;           /* direct: the receiving organisation */
	const char *need;         /* a code of the need list, or NULL */
	int64_t first_contact_at; /* 0 = none */
	struct referral_field *fields;
	size_t n_fields;
};

enum referral_direction { REFERRAL_BOTH = 0, REFERRAL_SENT = 1, REFERRAL_RECEIVED = 2 };

struct referral_filter {
	enum referral_direction direction;
	bool by_status; /* false = any */
	enum referral_status status;
	bool overdue_only;
	/* Words (at most REFERRAL_SEARCH_WORDS, folded: core/fold.h), each in
	 * the family's code or starting a word of the corridor's name, either
	 * organisation's name or the need's label; NULL or "" = any. */
	const char *q;
};
#define REFERRAL_SEARCH_WORDS 4

/* A corridor as the referral form shows it. */
struct referral_corridor {
	int64_t id;
	const char *name, *ext_id, *need;
	int64_t entry_org;
	const char *entry_name;
	double target_days;
	const char **fields; /* template field codes */
	size_t n_fields;
};

/* A named organisation. */
struct referral_org {
	int64_t id;
	const char *name;
};

/* One step of a trajectory: a referral and its delay (days from sent_at to
 * taken_at or closed_at, or to now while open). */
struct referral_step {
	struct referral r;
	double days;
	bool open;
};

/* True when the actor's role and organisation may use referrals at all
 * (pap or gestionnaire with an organisation). */
bool referral_actor_ok(const struct actor *who);

/* The escape window W in days (setting escape_window_days, else the
 * default). */
int referral_escape_window(struct db *db);

/* Derives status, overdue and escaped of r at now with window w. */
void referral_derive(struct referral *r, int64_t now, int w);

/* Reads referral id if who may see it. 0, 1 when absent or not visible,
 * -1 on a database error. */
int referral_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		 struct referral *out);

/* Which page of referral_list_page: after the row (after_sent, after_id)
 * of the order (newest sent first, then highest id; after_sent = 0: from
 * the first row), then skip offset rows, then at most limit rows. */
struct referral_page {
	int64_t after_sent, after_id;
	int64_t offset;
	int64_t limit;
};

/* The referrals of the actor's organisation (nothing for an actor without
 * referrals), newest first: one page of them, filtered, counted and paged
 * in SQL. *total is how many match f (all pages); *more
 * whether rows follow the page. Arena results; 0 or -1. */
int referral_list_page(struct db *db, struct arena *ar, const struct actor *who,
		       const struct referral_filter *f, const struct referral_page *pg,
		       struct referral **out, size_t *n, int64_t *total, bool *more);

/* How many open referrals of the actor's organisation (sent or received)
 * are overdue now; 0 for an actor without referrals. For a navigation
 * badge. 0 or -1. */
int referral_count_overdue_for(struct db *db, const struct actor *who, size_t *out);

/* The history of referral id (caller checked visibility). 0 or -1. */
int referral_events(struct db *db, struct arena *ar, int64_t id, struct referral_event **out,
		    size_t *n);

/* Corridors who may refer through today, with their template fields. */
int referral_corridors_for(struct db *db, struct arena *ar, const struct actor *who,
			   struct referral_corridor **out, size_t *n);

/* Corridor id if usable by who today (active, on the territory, into another
 * organisation). 0, 1 when not usable, -1. */
int referral_corridor_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			  struct referral_corridor *out);

/* Every organisation but the actor's, by name. 0 or -1. */
int referral_organisations(struct db *db, struct arena *ar, const struct actor *who,
			   struct referral_org **out, size_t *n);

/* Sends a new referral from who's organisation. Validation errors (fields
 * "family", "consent", "corridor", "to_organisation", "need",
 * "first_contact_at", "fields.CODE") go to v and give PERR_UNPROCESSABLE;
 * a family the actor may not see gives PERR_NOT_FOUND; a role that may not
 * refer PERR_FORBIDDEN. PERR_OK sets *id_out. Caller holds a transaction. */
enum perr referral_create(struct db *db, struct arena *ar, const struct actor *who,
			  const struct referral_new *in, struct validation *v, int64_t *id_out);

enum referral_action {
	REFERRAL_ACKNOWLEDGE, /* receiving side: received_at; reason: an optional note */
	REFERRAL_TAKE,        /* receiving side: prise en charge; reason: the optional
	                         feedback to the sender (also the referral's reason) */
	REFERRAL_REFUSE,      /* receiving side: refusee; a refusal code (see
				 referral_act) and a reason, required for "autre" */
	REFERRAL_LOST,        /* sending side: perdue, reason required */
};

/* Applies act to referral id by who; reason (may be NULL; blank is none)
 * goes on the history entry of the action, as above. PERR_NOT_FOUND (not
 * visible), PERR_FORBIDDEN (the other side's action), PERR_CONFLICT (not
 * possible in the referral's status; v names "status"),
 * PERR_UNPROCESSABLE (v names "reason": missing or too long), PERR_OK.
 * Caller holds a transaction. */
enum perr referral_act(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		       enum referral_action act, const char *reason, struct validation *v);

/* Refuses referral id (receiving side) with code, one of referral_refusals
 * (field "refusal_code"), and reason (field "reason"; required with
 * "autre"). code NULL or blank keeps the older contract: the reason alone,
 * required (the API and imported referrals). As referral_act otherwise. */
enum perr referral_refuse(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			  const char *code, const char *reason, struct validation *v);

/* True when sending the trajectory of referral id on to to_org would bring
 * it back to an organisation already in it (the first sender, then every
 * receiver). 0 or -1. */
int referral_would_loop(struct db *db, int64_t id, int64_t to_org, bool *loop);

/* Re-orients referral id (receiving side) to next->to_org (or a corridor):
 * closes it as reorientee with reason and sends the next referral of the
 * trajectory (previous_id = id, same family, need and first contact unless
 * next gives them). When the new receiver is already in the trajectory and
 * confirm_loop is false, nothing is written, *loop is set and the result
 * is PERR_CONFLICT (the caller warns and asks to confirm); confirmed, the
 * new referral has loop_detected = 1. Otherwise as referral_act and
 * referral_create. PERR_OK sets *new_id. Caller holds a transaction. */
enum perr referral_reorient(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			    const struct referral_new *next, const char *reason, bool confirm_loop,
			    bool *loop, struct validation *v, int64_t *new_id);

/* The trajectory of referral id (visible to who): every referral from the
 * first to the last, in order. 0, 1 when not visible, -1. */
int referral_trajectory(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			struct referral_step **out, size_t *n);

/* True when who may read the family's contact details for r (receiving
 * side, consent covers reference, referral open or taken in charge). */
bool referral_contact_allowed(const struct actor *who, struct db *db, const struct referral *r);

/* Reads the family's name and phone for the receiving side (see above),
 * logging the read (audit_record). 0, 1 when not allowed or nothing
 * stored, -1. */
int referral_read_contact(struct db *db, struct arena *ar, const struct actor *who,
			  const struct referral *r, struct nominative *out);

/* The template values of r as (field, value) pairs, logging the read when
 * there are any (audit_record). 0 or -1. */
int referral_read_fields(struct db *db, struct arena *ar, const struct actor *who,
			 const struct referral *r, struct referral_field **out, size_t *n);

#define REFERRAL_DUE_BATCH 500 /* referrals reminded or expired per write unit */

/* Reminds the referrals sent more than referral_reminder_days ago (the
 * setting; 0: never) and not acknowledged yet, once each: an inbox event
 * to the receiving organisation's PAP and managers and to the sender. At
 * most REFERRAL_DUE_BATCH in the caller's write unit; *done says how
 * many. 0 or -1. */
int referral_remind_due(struct db *db, int64_t now, size_t *done);

/* Expires the referrals sent more than referral_expiry_days ago (the
 * setting; 0: never) and not taken in charge: closed as perdue at now, so
 * that arr.taux_echappement counts them as escaped (indicators.md: the
 * last referral closed as perdue), with a history entry without a person
 * and an inbox event to both sides. At most REFERRAL_DUE_BATCH in the
 * caller's write unit; *done says how many. 0 or -1. */
int referral_expire_due(struct db *db, int64_t now, size_t *done);

/* The code of status s ("envoyee", …, as in SQL and interchange). */
const char *referral_status_code(enum referral_status s);

/* The label msgid of status s (static French string). */
const char *referral_status_label(enum referral_status s);

/* The status of code into *out: 0, or -1 when code is not one of the six. */
int referral_status_parse(const char *code, enum referral_status *out);

#endif
