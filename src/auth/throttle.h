/* Sign-in throttling: slows down whoever guesses passwords, without letting
 * anyone's failures lock another person out (issue 14; docs: operations
 * guide, "Sign-in throttling").
 *
 * Failures are counted in fixed windows of THROTTLE_WINDOW seconds, each
 * under several keys:
 *   - the pair: the account with the device, when the browser carries a
 *     device cookie that an earlier sign-in to this very account set
 *     (a "known device"), else the account with the address block;
 *   - the address block, whatever the account (made-up e-mails);
 *   - the account, whatever the address (guessing from many addresses).
 * An attempt is refused, until the end of the window that refused it,
 *   - when its pair has THROTTLE_PAIR_LIMIT failures;
 *   - from a device that is not known, also when its address block has
 *     THROTTLE_ADDRESS_LIMIT failures or the account THROTTLE_ACCOUNT_LIMIT.
 * So a known device is slowed by its own failures only: its owner can sign
 * in whatever others do. An address block is an IPv4 address or an IPv6 /64
 * (client_addr_block). The state is in the database, shared by every server
 * of a deployment; expired rows are dropped by the housekeeping
 * (throttle_purge), never on the sign-in path. */
#ifndef PROXIMA_THROTTLE_H
#define PROXIMA_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "http/client_addr.h"

#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_PAIR_LIMIT 5
#define THROTTLE_ADDRESS_LIMIT 20
#define THROTTLE_ACCOUNT_LIMIT 100
/* A device stays known this long after its last sign-in. */
#define THROTTLE_DEVICE_TTL (90 * 24 * 3600)
#define THROTTLE_DEVICE_COOKIE "proxima_device"

/* One sign-in attempt: who is trying, from where, with which device. */
struct throttle_attempt {
	char email[320];             /* lower case */
	char block[CLIENT_ADDR_LEN]; /* the address block */
	unsigned char device[32];    /* hash of the device cookie, when has_device */
	bool has_device;             /* the request carried a well-formed cookie */
	bool known_device;           /* … that this account's sign-in set */
};

/* Fills *at for email from address (req->remote_addr) with the device
 * cookie's value (NULL when none), and looks the device up. 0 or -1. */
int throttle_begin(struct db *db, const char *email, const char *address, const char *device,
		   struct throttle_attempt *at);

/* 0 when the attempt may check its password, 1 when it is refused for now
 * (*retry_after gets the seconds until the refusing window ends), -1 on a
 * database error. */
int throttle_check(struct db *db, const struct throttle_attempt *at, int64_t *retry_after);

/* Counts a failed attempt under each of its keys. 0 or -1 (logged). */
int throttle_record_failure(struct db *db, const struct throttle_attempt *at);

/* After a successful sign-in: forgets the pair's failures and remembers the
 * device for THROTTLE_DEVICE_TTL. *cookie gets the new device cookie value
 * to set (arena string), or NULL when the browser's cookie stays (its expiry
 * is pushed back). 0 or -1 (logged; the sign-in may go on). */
int throttle_record_success(struct db *db, struct arena *a, const struct throttle_attempt *at,
			    const char **cookie);

/* Deletes up to about batch expired counters and forgotten devices as of
 * instant now (the caller holds a write transaction). Returns how many,
 * or -1 (logged). */
int throttle_purge(struct db *db, int64_t now, int batch);

#endif
