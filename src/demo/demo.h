/* Demo data (issue 3): a year of believable outreach work on seed 002's four
 * territories A-D, written as interchange records (docs interchange.md,
 * JSON Lines) and loaded through the import engine, so the demo passes
 * the same validation as a real import.
 *
 * Everything is generated from a fixed seed: the same options give the same
 * bytes. Dates are relative to opt->now: the demo year is the 365 local days
 * ending on now's local date, so the last 12 months are always filled and
 * nothing lies in the future. Every record has a stable external id, so a
 * second load updates the records instead of duplicating them. */
#ifndef PROXIMA_DEMO_H
#define PROXIMA_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "db/db.h"

#define DEMO_SEED 0x50524f58494d41ull /* "PROXIMA" */
#define DEMO_EMAIL_DOMAIN "demo.proxima.quebec"

/* Record kinds, in the order the generator writes them (references always
 * point to records written earlier). */
enum demo_kind {
	DEMO_TERRITORY,
	DEMO_PORTRAIT,
	DEMO_ORGANISATION,
	DEMO_PERSON,
	DEMO_POSITION,
	DEMO_FAMILY,
	DEMO_CORRIDOR,
	DEMO_PROJECT,
	DEMO_ACTIVITY,
	DEMO_REFERRAL,
	DEMO_SUPERVISION,
	DEMO_SUPPORT_REQUEST,
	DEMO_SURVEY,
	DEMO_SERVICE_GAP,
	DEMO_STORY,
	DEMO_KIND__COUNT
};

/* The interchange name of a kind ("territory", …). */
const char *demo_kind_name(enum demo_kind k);

struct demo_options {
	int64_t now;   /* reference instant (ptime_now()); the year ends on its date */
	uint64_t seed; /* 0 = DEMO_SEED */
	/* Copies of the four-territory world (1 = the demo). Copy r > 0 gets ids
	 * and e-mails suffixed "-rNNN" and territory names "A (r2)"; meant for
	 * the load tests of the reports (--scale), not used yet. */
	unsigned scale;
	/* Optional interchange fields beyond interchange.md's table, written only
	 * when the import engine accepts them (bit set). */
	unsigned extras;
};

enum demo_extra {
	DEMO_X_REASON = 1u << 0,   /* referral.reason (why refused / re-oriented / lost) and
				      a refusal's refusal_code */
	DEMO_X_FOLLOWER = 1u << 1, /* family.follower (the PAP who follows it) */
	DEMO_X_TEXT = 1u << 2,     /* support_request.text, supervision.note, survey.comment */
};

/* Called when the output buffer passes the chunk size (and once at the
 * end), with the bytes written since the last call; it must consume them
 * (the generator then empties the buffer). Returns 0, or -1 to stop. */
typedef int (*demo_flush_fn)(void *ctx, const char *data, size_t len);

/* Writes the whole demo as JSON Lines into out. With flush == NULL the
 * lines accumulate in out (about 6 MB for scale 1); otherwise flush is
 * called every chunk bytes. counts (may be NULL) gets the number of records
 * of each kind. Returns 0, or -1 when out passed its bound or flush failed. */
int demo_generate(const struct demo_options *opt, struct buf *out, demo_flush_fn flush, void *ctx,
		  size_t chunk, size_t counts[DEMO_KIND__COUNT]);

/* Writes the demo as JSON Lines to f (flushed in chunks, for any scale).
 * Returns 0, or -1 when writing failed. */
int demo_write_file(const struct demo_options *opt, FILE *f, size_t counts[DEMO_KIND__COUNT]);

/* One account per role, for people trying the demo. */
struct demo_account {
	const char *role;
	const char *email;
	const char *password;
	const char *name;
	const char *what; /* French: what this account shows */
};

/* The demo accounts (static, DEMO_ACCOUNT_COUNT of them). */
#define DEMO_ACCOUNT_COUNT 5
const struct demo_account *demo_accounts(void);

struct demo_result {
	size_t counts[DEMO_KIND__COUNT]; /* records generated, per kind */
	long inserted, updated;          /* as the import engine counted them */
	bool already_loaded;             /* the demo accounts existed before */
	double seconds;                  /* wall time of generate + import + passwords */
};

/* Loads the demo into db (initialised, up to date, vault key loaded for the
 * families' nominative details): generates it in memory, imports it with
 * interchange_import (one transaction: on any invalid record nothing is
 * written), sets the demo accounts' passwords (argon2id) and the demo
 * settings. Loading again updates every record by its id. Returns 0, or -1
 * with a one-line reason in err (for an invalid record: its line, field
 * and reason). */
int demo_load(struct db *db, const struct demo_options *opt, struct demo_result *res, char *err,
	      size_t errcap);

/* Sets the passwords of the demo accounts (persons must exist). Returns 0,
 * or -1 with a reason in err. */
int demo_set_passwords(struct db *db, char *err, size_t errcap);

#endif
