/* E-mail of the inbox's events (issue 16), through the organisation's SMTP
 * server (settings smtp_url, smtp_from, smtp_user; the password in the
 * environment variable PROXIMA_SMTP_PASSWORD of `proxima serve`), with
 * libcurl's SMTP. Each person chooses: no e-mail (the default), a daily
 * digest or each event at once (person.notify_email).
 *
 * A message carries counts by kind of event and a link to the inbox:
 * never a name, a family's code, a free text, nothing nominative. Nothing
 * is sent, and nothing is marked, while smtp_url or smtp_from is empty.
 * An event is marked mailed in a write unit before its message leaves, so
 * two servers never send it twice; a message that fails is logged and not
 * sent again (the inbox keeps the event). */
#ifndef PROXIMA_NOTIFY_H
#define PROXIMA_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "db/db.h"
#include "model/actor.h"
#include "model/inbox.h"

enum notify_mode { NOTIFY_NONE, NOTIFY_DAILY, NOTIFY_IMMEDIATE };

/* The stored code of mode: "aucun", "quotidien", "immediat". */
const char *notify_mode_code(enum notify_mode mode);

/* The French msgid naming mode for people. */
const char *notify_mode_label(enum notify_mode mode);

/* The mode of code into *out: 0, or -1 when code is not one of the three. */
int notify_mode_parse(const char *code, enum notify_mode *out);

/* who's choice into *out (NOTIFY_NONE for nobody). 0 or -1. */
int notify_choice_get(struct db *db, const struct actor *who, enum notify_mode *out);

/* Sets who's choice. Caller's write unit. 0, 1 for nobody, -1. */
int notify_choice_set(struct db *db, const struct actor *who, enum notify_mode mode);

/* Calls curl_global_init once, before any thread sends (serve's start).
 * 0 or -1. */
int notify_init(void);

/* Writes the message (headers and body, CRLF lines) for counts[kind]
 * events into out: From from, To to, dated now, with a link to base_url's
 * /boite (base_url may be empty: the path alone). Counts and words only.
 * 0, or -1 when out is full. */
int notify_compose(struct buf *out, const char *from, const char *to, const char *base_url,
		   const size_t counts[INBOX__COUNT], int64_t now);

/* Sends, at now, one message to each person whose choice is mode and who
 * has events not mailed yet (at most NOTIFY_BATCH people per call). Does
 * nothing when SMTP is not configured. Failures are logged. */
#define NOTIFY_BATCH 200
void notify_send(struct db *db, enum notify_mode mode, int64_t now);

#endif
