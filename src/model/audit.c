#include "model/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#include "core/ptime.h"

/* Hashes prev and the fields in a fixed, unambiguous layout: each field is
 * preceded by its length, so no two different entries hash alike. */
static void entry_hash(const unsigned char *prev, int64_t id, int64_t at,
		       const struct audit_entry *e, unsigned char out[AUDIT_HASH_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, AUDIT_HASH_LEN);
	crypto_generichash_update(&st, prev, AUDIT_HASH_LEN);
	int64_t nums[5] = {id, at, e->actor_id, e->object_id, e->recipient_id};
	for (int i = 0; i < 5; i++) {
		unsigned char b[8];
		for (int k = 0; k < 8; k++)
			b[k] = (unsigned char)((uint64_t)nums[i] >> (8 * k));
		crypto_generichash_update(&st, b, 8);
	}
	const char *texts[4] = {e->action, e->object_kind, e->information, e->purpose};
	for (int i = 0; i < 4; i++) {
		const char *t = texts[i] ? texts[i] : "";
		uint64_t len = strlen(t);
		unsigned char b[8];
		for (int k = 0; k < 8; k++)
			b[k] = (unsigned char)(len >> (8 * k));
		crypto_generichash_update(&st, b, 8);
		crypto_generichash_update(&st, (const unsigned char *)t, len);
	}
	crypto_generichash_final(&st, out, AUDIT_HASH_LEN);
}

int audit_append(struct db *db, const struct audit_entry *e)
{
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	int64_t last_id = 0;
	struct db_stmt *s = db_stmt(db, STMT_AUDIT_LAST);
	if (!s)
		return -1;
	int rc = db_step(s);
	if (rc == DB_ROW) {
		last_id = db_col_int64(s, 0);
		if (db_col_bytes(s, 1) == AUDIT_HASH_LEN)
			memcpy(prev, db_col_blob(s, 1), AUDIT_HASH_LEN);
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_log_error(db, "audit.last");
		return -1;
	}
	int64_t id = last_id + 1, at = ptime_now();
	unsigned char h[AUDIT_HASH_LEN];
	entry_hash(prev, id, at, e, h);
	s = db_stmt(db, STMT_AUDIT_INSERT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, at);
	if (e->actor_id)
		db_bind_int64(s, 3, e->actor_id);
	db_bind_text(s, 4, e->action);
	db_bind_text(s, 5, e->object_kind);
	db_bind_int64(s, 6, e->object_id);
	db_bind_text(s, 7, e->information);
	if (e->recipient_id)
		db_bind_int64(s, 8, e->recipient_id);
	db_bind_text(s, 9, e->purpose);
	db_bind_blob(s, 10, prev, AUDIT_HASH_LEN);
	db_bind_blob(s, 11, h, AUDIT_HASH_LEN);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "audit.append");
		return -1;
	}
	return 0;
}

int audit_verify(struct db *db, int64_t *count, int64_t *bad_id, unsigned char *head)
{
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	*count = 0;
	*bad_id = 0;
	struct db_stmt *s = db_stmt(db, STMT_AUDIT_ALL);
	if (!s)
		return -1;
	int rc, result = 0;
	int64_t expect_id = 1;
	while ((rc = db_step(s)) == DB_ROW) {
		struct audit_entry e = {
			.actor_id = db_col_int64(s, 2),
			.action = db_col_cstr(s, 3),
			.object_kind = db_col_cstr(s, 4),
			.object_id = db_col_int64(s, 5),
			.information = db_col_cstr(s, 6),
			.recipient_id = db_col_int64(s, 7),
			.purpose = db_col_cstr(s, 8),
		};
		int64_t id = db_col_int64(s, 0), at = db_col_int64(s, 1);
		unsigned char h[AUDIT_HASH_LEN];
		entry_hash(prev, id, at, &e, h);
		bool ok = id == expect_id && db_col_bytes(s, 9) == AUDIT_HASH_LEN &&
			  db_col_bytes(s, 10) == AUDIT_HASH_LEN &&
			  memcmp(db_col_blob(s, 9), prev, AUDIT_HASH_LEN) == 0 &&
			  memcmp(db_col_blob(s, 10), h, AUDIT_HASH_LEN) == 0;
		(*count)++;
		if (!ok) {
			*bad_id = id == expect_id ? id : expect_id;
			result = 1;
			break;
		}
		memcpy(prev, h, AUDIT_HASH_LEN);
		expect_id++;
	}
	db_reset(s);
	if (rc != DB_DONE && rc != DB_ROW) {
		db_log_error(db, "audit.verify");
		return -1;
	}
	if (head)
		memcpy(head, prev, AUDIT_HASH_LEN);
	return result;
}

static enum db_unit_verdict record_unit(struct db *db, void *arg)
{
	return audit_append(db, arg) == 0 ? DB_UNIT_KEEP : DB_UNIT_DISCARD;
}

int audit_record(struct db *db, const struct audit_entry *e)
{
	/* A unit's argument is mutable; a copy keeps e const. */
	struct audit_entry copy = *e;
	return db_unit_run(db, record_unit, &copy, NULL) == DB_UNIT_COMMITTED ? 0 : -1;
}
