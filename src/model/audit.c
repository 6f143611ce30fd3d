#include "model/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/vault.h"

/* The key of the chain: subkey 1 of the key file, context "proxaudt". */
#define CHAIN_SUBKEY 1
static const char CHAIN_CONTEXT[8] = {'p', 'r', 'o', 'x', 'a', 'u', 'd', 't'};

static void put_u64(crypto_generichash_state *st, uint64_t v)
{
	unsigned char b[8];
	for (int k = 0; k < 8; k++)
		b[k] = (unsigned char)(v >> (8 * k));
	crypto_generichash_update(st, b, 8);
}

/* Hashes prev and the fields in a fixed, unambiguous layout (each text
 * preceded by its length, so no two different entries hash alike), keyed
 * with key (AUDIT_HASH_LEN bytes) or, for the entries written before the
 * seal, without a key (key NULL). */
static void entry_hash(const unsigned char *key, const unsigned char *prev, int64_t id, int64_t at,
		       const struct audit_entry *e, unsigned char out[AUDIT_HASH_LEN])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, key ? AUDIT_HASH_LEN : 0, AUDIT_HASH_LEN);
	crypto_generichash_update(&st, prev, AUDIT_HASH_LEN);
	const int64_t nums[5] = {id, at, e->actor_id, e->object_id, e->recipient_id};
	for (int i = 0; i < 5; i++)
		put_u64(&st, (uint64_t)nums[i]);
	const char *texts[4] = {e->action, e->object_kind, e->information, e->purpose};
	for (int i = 0; i < 4; i++) {
		const char *t = texts[i] ? texts[i] : "";
		uint64_t len = strlen(t);
		put_u64(&st, len);
		crypto_generichash_update(&st, (const unsigned char *)t, len);
	}
	crypto_generichash_final(&st, out, AUDIT_HASH_LEN);
}

static int chain_key(unsigned char key[AUDIT_HASH_LEN])
{
	return vault_derive(key, AUDIT_HASH_LEN, CHAIN_SUBKEY, CHAIN_CONTEXT);
}

int audit_append(struct db *db, const struct audit_entry *e)
{
	unsigned char key[AUDIT_HASH_LEN];
	if (chain_key(key) < 0) {
		log_error("audit.append", "reason=no_key");
		return -1;
	}
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	int64_t last_id = 0;
	int ret = -1;
	struct db_stmt *s = db_stmt(db, STMT_AUDIT_LAST);
	if (!s)
		goto out;
	int rc = db_step(s);
	if (rc == DB_ROW) {
		last_id = db_col_int64(s, 0);
		if (db_col_bytes(s, 1) == AUDIT_HASH_LEN)
			memcpy(prev, db_col_blob(s, 1), AUDIT_HASH_LEN);
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_log_error(db, "audit.last");
		goto out;
	}
	int64_t id = last_id + 1, at = ptime_now();
	unsigned char h[AUDIT_HASH_LEN];
	entry_hash(key, prev, id, at, e, h);
	s = db_stmt(db, STMT_AUDIT_INSERT);
	if (!s)
		goto out;
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
	if (rc != DB_DONE)
		db_log_error(db, "audit.append");
	else
		ret = 0;
out:
	sodium_memzero(key, sizeof(key));
	return ret;
}

int audit_sealed(struct db *db)
{
	struct db_stmt *s = db_stmt(db, STMT_AUDIT_SEAL_COUNT);
	if (!s)
		return -1;
	db_bind_text(s, 1, AUDIT_SEAL_ACTION);
	int rc = db_step(s);
	int64_t n = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		db_log_error(db, "audit.sealed");
		return -1;
	}
	return n > 0 ? 1 : 0;
}

struct seal_arg {
	const char *purpose;
	int64_t *before;
};

/* The seal's unit: checks again inside it (another process may have
 * sealed meanwhile), then appends the seal. */
static enum db_unit_verdict seal_unit(struct db *db, void *arg)
{
	struct seal_arg *a = arg;
	int sealed = audit_sealed(db);
	if (sealed != 0)
		return sealed < 0 ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
	struct db_stmt *s = db_stmt(db, STMT_AUDIT_LAST);
	if (!s)
		return DB_UNIT_DISCARD;
	int rc = db_step(s);
	if (rc == DB_ROW)
		*a->before = db_col_int64(s, 0);
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return DB_UNIT_DISCARD;
	struct audit_entry e = {.action = AUDIT_SEAL_ACTION,
				.object_kind = AUDIT_SEAL_KIND,
				.information = "key",
				.purpose = a->purpose};
	if (audit_append(db, &e) < 0)
		return DB_UNIT_DISCARD;
	log_info("audit.seal", "purpose=%s before=%lld", a->purpose, (long long)*a->before);
	return DB_UNIT_KEEP;
}

int audit_seal(struct db *db, const char *purpose, int64_t *before)
{
	*before = 0;
	struct seal_arg a = {.purpose = purpose, .before = before};
	return db_unit_run(db, seal_unit, &a, NULL) == DB_UNIT_COMMITTED ? 0 : -1;
}

/* ---- Anchors ---- */

const char *audit_head_hex(const unsigned char head[AUDIT_HASH_LEN], char out[AUDIT_HEAD_HEX])
{
	sodium_bin2hex(out, AUDIT_HEAD_HEX, head, AUDIT_HASH_LEN);
	return out;
}

/* Parses "proxima-anchor at=N id=N head=HEX". 0 or -1. */
static int anchor_parse(const char *line, struct audit_anchor *a)
{
	long long at, id;
	char hex[AUDIT_HEAD_HEX];
	int used = 0;
	if (sscanf(line, "proxima-anchor at=%lld id=%lld head=%64[0-9a-f]%n", &at, &id, hex,
		   &used) != 3 ||
	    (line[used] != '\0' && line[used] != '\n') || id < 1 || strlen(hex) != 64)
		return -1;
	size_t len = 0;
	if (sodium_hex2bin(a->head, AUDIT_HASH_LEN, hex, 64, NULL, &len, NULL) != 0 ||
	    len != AUDIT_HASH_LEN)
		return -1;
	a->at = at;
	a->id = id;
	return 0;
}

static int anchor_cmp(const void *a, const void *b)
{
	const struct audit_anchor *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

int audit_anchor_read(const char *path, struct arena *ar, struct audit_anchor **out, size_t *n,
		      char *err, size_t errcap)
{
	*out = NULL;
	*n = 0;
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errcap, "cannot read the anchors %s: %s", path, strerror(errno));
		return -1;
	}
	char line[256];
	size_t cap = 0;
	long lineno = 0;
	int ret = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		*out = arena_grow(ar, *out, *n, &cap, sizeof(**out));
		if (anchor_parse(line, &(*out)[*n]) < 0) {
			snprintf(err, errcap, "anchors %s, line %ld: not an anchor", path, lineno);
			ret = -1;
			break;
		}
		(*n)++;
	}
	fclose(f);
	if (ret == 0 && *n > 1)
		qsort(*out, *n, sizeof(**out), anchor_cmp);
	return ret;
}

int audit_anchor_append(const char *path, const struct audit_anchor *a)
{
	char hex[AUDIT_HEAD_HEX], line[200];
	int len = snprintf(line, sizeof(line), "proxima-anchor at=%lld id=%lld head=%s\n",
			   (long long)a->at, (long long)a->id, audit_head_hex(a->head, hex));
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, line, (size_t)len);
	int rc = w == len && fsync(fd) == 0 ? 0 : -1;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

/* ---- Verification ---- */

const char *audit_verdict_text(enum audit_verdict v)
{
	switch (v) {
	case AUDIT_INTACT: return "intact";
	case AUDIT_ALTERED:
		return "an entry does not verify: it was changed, or the chain was recomputed "
		       "without the key";
	case AUDIT_MISSING: return "an entry is missing: it was removed";
	case AUDIT_UNSEALED:
		return "the log carries no seal: it was emptied, or was never sealed (run "
		       "'proxima migrate')";
	case AUDIT_TRUNCATED: return "an anchored entry is gone: entries were removed from the end";
	case AUDIT_ANCHOR:
		return "an anchored entry no longer has its anchored hash: the chain was rewritten";
	case AUDIT_NO_KEY: return "no key is loaded: the keyed entries cannot be checked";
	}
	return "unknown";
}

/* Checks the anchors at entry id with hash h; advances *next past them.
 * Returns 0, or -1 with c's verdict set. */
static int check_anchors(const struct audit_anchor *anchors, size_t n, size_t *next, int64_t id,
			 const unsigned char *h, struct audit_check *c)
{
	for (; *next < n && anchors[*next].id <= id; (*next)++) {
		const struct audit_anchor *a = &anchors[*next];
		c->anchors++;
		if (a->id < id)
			continue; /* anchors out of order: checked when met in order */
		if (memcmp(a->head, h, AUDIT_HASH_LEN) != 0) {
			c->verdict = AUDIT_ANCHOR;
			c->bad_id = a->id;
			return -1;
		}
	}
	return 0;
}

/* One row of the chain against the running state. Returns 0 when it
 * verifies (state advanced), else -1 with c's verdict set. */
static int verify_row(struct db_stmt *s, const unsigned char *key, bool *keyed,
		      unsigned char prev[AUDIT_HASH_LEN], struct audit_check *c)
{
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
	if (id != c->last_id + 1) {
		c->verdict = AUDIT_MISSING;
		c->bad_id = c->last_id + 1;
		return -1;
	}
	if (!*keyed && e.action && strcmp(e.action, AUDIT_SEAL_ACTION) == 0 && e.object_kind &&
	    strcmp(e.object_kind, AUDIT_SEAL_KIND) == 0) {
		*keyed = true;
		c->before = c->count;
	}
	unsigned char h[AUDIT_HASH_LEN];
	entry_hash(*keyed ? key : NULL, prev, id, at, &e, h);
	c->count++;
	c->last_id = id;
	if (db_col_bytes(s, 9) != AUDIT_HASH_LEN || db_col_bytes(s, 10) != AUDIT_HASH_LEN ||
	    memcmp(db_col_blob(s, 9), prev, AUDIT_HASH_LEN) != 0 ||
	    memcmp(db_col_blob(s, 10), h, AUDIT_HASH_LEN) != 0) {
		c->verdict = AUDIT_ALTERED;
		c->bad_id = id;
		return -1;
	}
	memcpy(prev, h, AUDIT_HASH_LEN);
	return 0;
}

int audit_verify(struct db *db, const struct audit_anchor *anchors, size_t n, struct audit_check *c)
{
	memset(c, 0, sizeof(*c));
	unsigned char key[AUDIT_HASH_LEN];
	if (chain_key(key) < 0) {
		c->verdict = AUDIT_NO_KEY;
		return 0;
	}
	struct db_stmt *s = db_stmt(db, STMT_AUDIT_ALL);
	if (!s) {
		sodium_memzero(key, sizeof(key));
		return -1;
	}
	unsigned char prev[AUDIT_HASH_LEN] = {0};
	bool keyed = false;
	size_t next = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (verify_row(s, key, &keyed, prev, c) < 0 ||
		    check_anchors(anchors, n, &next, c->last_id, prev, c) < 0)
			break;
	}
	db_reset(s);
	sodium_memzero(key, sizeof(key));
	if (rc != DB_DONE && rc != DB_ROW) {
		db_log_error(db, "audit.verify");
		return -1;
	}
	memcpy(c->head, prev, AUDIT_HASH_LEN);
	if (c->verdict != AUDIT_INTACT)
		return 0;
	if (!keyed) {
		c->verdict = AUDIT_UNSEALED;
	} else if (next < n) {
		/* An anchor names an entry past the end. */
		c->verdict = AUDIT_TRUNCATED;
		c->bad_id = anchors[next].id;
		c->anchors++;
	}
	return 0;
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
