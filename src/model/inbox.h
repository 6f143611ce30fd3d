/* The inbox (issue 16): what needs a person's attention, as events written
 * in the write unit of the action that causes them (a referral received,
 * taken in charge, refused, re-oriented, reminded or expired; a support
 * request filed or answered; a survey due).
 *
 * An event names its kind, the record it is about (a referral, a support
 * request, a survey campaign) and at most a code the reader may already
 * see (a support request's urgency; a referral's family code, read
 * through the referral as it is now): never a name, a phone or a free
 * text. Following its link still goes through the record's own
 * visibility. Each person reads and marks only their own events.
 *
 * Every function that writes expects the caller's write unit. Returned
 * strings and arrays are in the arena passed in. */
#ifndef PROXIMA_INBOX_H
#define PROXIMA_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/actor.h"

enum inbox_kind {
	INBOX_REFERRAL_RECEIVED,   /* to the receiving organisation's PAP and managers */
	INBOX_REFERRAL_TAKEN,      /* to the sender */
	INBOX_REFERRAL_REFUSED,    /* to the sender */
	INBOX_REFERRAL_REORIENTED, /* to the sender */
	INBOX_REFERRAL_REMINDER,   /* to both sides: not acknowledged after N days */
	INBOX_REFERRAL_EXPIRED,    /* to both sides: closed as lost after M days */
	INBOX_SUPPORT_FILED,       /* to the PAP's managers */
	INBOX_SUPPORT_ANSWERED,    /* to the PAP: acknowledged or closed */
	INBOX_SURVEY_DUE,          /* to the PAP */
	INBOX__COUNT
};

/* Where an event's kind belongs in the navigation. */
enum inbox_group { INBOX_GROUP_REFERRALS, INBOX_GROUP_SUPPORT, INBOX_GROUP_SURVEYS };

/* One row of the kinds' table. */
struct inbox_kind_def {
	enum inbox_kind kind;
	const char *code;  /* stored in inbox_event.kind */
	const char *label; /* French msgid */
	enum inbox_group group;
};

/* The definition of kind (a static row). */
const struct inbox_kind_def *inbox_kind_def(enum inbox_kind kind);

/* The kind of code into *out: 0, or -1 when code is unknown. */
int inbox_kind_parse(const char *code, enum inbox_kind *out);

struct inbox_event {
	int64_t id, at;
	enum inbox_kind kind;
	int64_t object_id;
	const char *code; /* may be NULL */
	bool read;
	const char *href; /* the page the event is about (arena string) */
};

/* Unread events of a person: the navigation's badges. */
struct inbox_counts {
	size_t total;
	size_t by_group[3]; /* indexed by enum inbox_group */
};

/* Enters an event of kind for person (0: nothing) at now, about object_id
 * (a referral, a support request, a survey campaign, by kind) with code (a
 * code the reader already sees, or NULL; a referral's events take none:
 * its family's code is read through the referral when shown, so what
 * retention removes goes from the inbox too). Caller's write unit. 0 or
 * -1. */
int inbox_notify_person(struct db *db, int64_t person, enum inbox_kind kind, int64_t object_id,
			const char *code, int64_t now);

/* The same for every active PAP and manager of organisation org (managers
 * only when managers_only), except person but (who acts; 0: nobody).
 * 0 or -1. */
int inbox_notify_organisation(struct db *db, int64_t org, bool managers_only, int64_t but,
			      enum inbox_kind kind, int64_t object_id, const char *code,
			      int64_t now);

/* Which of a person's events inbox_list reads. */
struct inbox_page {
	bool unread_only;
	int64_t limit, offset; /* limit > 0 */
};

/* One page of who's events, newest first, paged in SQL; *total (when not
 * NULL) is how many on every page. An event of a kind this version does
 * not know is counted but not listed. 0 or -1. */
int inbox_list(struct db *db, struct arena *ar, const struct actor *who,
	       const struct inbox_page *pg, struct inbox_event **out, size_t *n, int64_t *total);

/* who's unread events by group, in one grouped read. Zero counts for
 * nobody (no person). 0 or -1. */
int inbox_unread(struct db *db, const struct actor *who, struct inbox_counts *out);

/* who's event id into *out (its href in ar). 0, 1 when id is not who's
 * event, -1. */
int inbox_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
	      struct inbox_event *out);

/* Marks who's event id read at now (another's event, or one already read:
 * nothing changes). 0, 1 for nobody, -1. Caller's write unit. */
int inbox_mark_read(struct db *db, const struct actor *who, int64_t id, int64_t now);

/* Marks every unread event of who read at now. 0 or -1. Caller's write
 * unit. */
int inbox_mark_all_read(struct db *db, const struct actor *who, int64_t now);

/* Enters a survey_due event for every PAP whose organisation's wellbeing
 * survey campaign is open today (the local date of now), once per
 * campaign; *n says how many. Caller's write unit. 0 or -1. */
int inbox_surveys_due(struct db *db, int64_t now, size_t *n);

/* What an administrator acts on: accounts whose last invitation is unused
 * and still valid (waiting), or unused and expired (to send again); the
 * settings whose stored value is refused (the default applies); whether
 * e-mail is configured. */
struct inbox_admin_counts {
	size_t invitations_waiting, invitations_expired, settings_invalid;
	bool smtp_configured;
};

/* Fills *out at now. 0 or -1. */
int inbox_admin_counts(struct db *db, int64_t now, struct inbox_admin_counts *out);

#endif
