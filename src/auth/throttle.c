#include "auth/throttle.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/csrf.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"

/* The counters of an attempt, in the order throttle_check reads them. */
enum key_kind { KEY_PAIR, KEY_ADDRESS, KEY_ACCOUNT, KEY_COUNT };

static const int LIMITS[KEY_COUNT] = {THROTTLE_PAIR_LIMIT, THROTTLE_ADDRESS_LIMIT,
				      THROTTLE_ACCOUNT_LIMIT};

/* The stored kind and key of counter k of at (key in buf). */
static const char *key_of(const struct throttle_attempt *at, enum key_kind k, char *buf, size_t cap)
{
	if (k == KEY_ADDRESS) {
		str_copy(buf, cap, at->block);
		return "address";
	}
	if (k == KEY_ACCOUNT) {
		str_copy(buf, cap, at->email);
		return "account";
	}
	if (at->known_device) {
		char hex[2 * sizeof(at->device) + 1];
		sodium_bin2hex(hex, sizeof(hex), at->device, sizeof(at->device));
		snprintf(buf, cap, "%s device %s", at->email, hex);
		return "device";
	}
	snprintf(buf, cap, "%s from %s", at->email, at->block);
	return "pair";
}

int throttle_begin(struct db *db, const char *email, const char *address, const char *device,
		   struct throttle_attempt *at)
{
	memset(at, 0, sizeof(*at));
	size_t i = 0;
	for (; email && email[i] && i + 1 < sizeof(at->email); i++)
		at->email[i] = (char)tolower((unsigned char)email[i]);
	at->email[i] = '\0';
	client_addr_block(address, at->block, sizeof(at->block));
	if (!device || strlen(device) < 32 || strlen(device) > 64)
		return 0;
	crypto_generichash(at->device, sizeof(at->device), (const unsigned char *)device,
			   strlen(device), NULL, 0);
	at->has_device = true;
	struct db_stmt *s = db_stmt(db, STMT_THROTTLE_DEVICE_KNOWN);
	if (!s)
		return -1;
	db_bind_blob(s, 1, at->device, sizeof(at->device));
	db_bind_text(s, 2, at->email);
	db_bind_int64(s, 3, ptime_now());
	int rc = db_step(s);
	db_reset(s);
	if (rc == DB_ERROR) {
		db_log_error(db, "throttle.device");
		return -1;
	}
	at->known_device = rc == DB_ROW;
	return 0;
}

int throttle_check(struct db *db, const struct throttle_attempt *at, int64_t *retry_after)
{
	*retry_after = 0;
	int64_t now = ptime_now();
	/* A known device answers for its own failures only. */
	int kinds = at->known_device ? 1 : KEY_COUNT;
	for (int k = 0; k < kinds; k++) {
		char key[512];
		struct db_stmt *s = db_stmt(db, STMT_THROTTLE_GET);
		if (!s)
			return -1;
		db_bind_text(s, 1, key_of(at, (enum key_kind)k, key, sizeof(key)));
		db_bind_text(s, 2, key);
		db_bind_int64(s, 3, now);
		int rc = db_step(s);
		if (rc == DB_ROW && db_col_int64(s, 0) >= LIMITS[k]) {
			int64_t wait = db_col_int64(s, 1) - now;
			if (wait > *retry_after)
				*retry_after = wait;
		}
		db_reset(s);
		if (rc == DB_ERROR) {
			db_log_error(db, "throttle.check");
			return -1;
		}
	}
	return *retry_after > 0;
}

int throttle_record_failure(struct db *db, const struct throttle_attempt *at)
{
	int64_t now = ptime_now();
	for (int k = 0; k < KEY_COUNT; k++) {
		char key[512];
		struct db_stmt *s = db_stmt(db, STMT_THROTTLE_FAILURE);
		if (!s)
			return -1;
		db_bind_text(s, 1, key_of(at, (enum key_kind)k, key, sizeof(key)));
		db_bind_text(s, 2, key);
		db_bind_int64(s, 3, now);
		db_bind_int64(s, 4, THROTTLE_WINDOW);
		int rc = db_step(s);
		db_reset(s);
		if (rc != DB_DONE) {
			db_log_error(db, "throttle.failure");
			return -1;
		}
	}
	return 0;
}

/* Runs s, bound by the caller, and resets it. 0 or -1 (logged). */
static int run(struct db *db, struct db_stmt *s, const char *event)
{
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, event);
		return -1;
	}
	return 0;
}

int throttle_record_success(struct db *db, struct arena *a, const struct throttle_attempt *at,
			    const char **cookie)
{
	*cookie = NULL;
	char key[512];
	struct db_stmt *s = db_stmt(db, STMT_THROTTLE_FORGET);
	if (!s)
		return -1;
	db_bind_text(s, 1, key_of(at, KEY_PAIR, key, sizeof(key)));
	db_bind_text(s, 2, key);
	if (run(db, s, "throttle.forget") < 0)
		return -1;
	unsigned char h[sizeof(at->device)];
	if (at->known_device) {
		memcpy(h, at->device, sizeof(h));
	} else {
		*cookie = csrf_new_token(a); /* 32 random bytes, base64url */
		crypto_generichash(h, sizeof(h), (const unsigned char *)*cookie, strlen(*cookie),
				   NULL, 0);
	}
	if (!(s = db_stmt(db, STMT_THROTTLE_DEVICE_PUT)))
		return -1;
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_text(s, 2, at->email);
	db_bind_int64(s, 3, ptime_now() + THROTTLE_DEVICE_TTL);
	return run(db, s, "throttle.device_put");
}

/* One bounded purge statement. Rows deleted, or -1. */
static int purge_one(struct db *db, enum stmt_id id, int64_t now, int batch)
{
	struct db_stmt *s = db_stmt(db, id);
	if (!s)
		return -1;
	db_bind_int64(s, 1, now);
	db_bind_int(s, 2, batch > 0 ? batch - 1 : 0);
	if (run(db, s, "throttle.purge") < 0)
		return -1;
	return (int)db_changes(db);
}

int throttle_purge(struct db *db, int64_t now, int batch)
{
	int a = purge_one(db, STMT_THROTTLE_PURGE, now, batch);
	if (a < 0)
		return -1;
	int b = purge_one(db, STMT_THROTTLE_DEVICE_PURGE, now, batch);
	return b < 0 ? -1 : a + b;
}
