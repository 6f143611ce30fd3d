#include "model/cellkey.h"

#include <sodium.h>

#include "core/log.h"
#include "db/db.h"

/* Keys are drawn from a per-thread block of the generator's bytes, three
 * bytes a key (CELLKEY_RANGE is 2^24, so each key is uniform): one call
 * to the generator, and one getrandom system call, for every 1,024 keys
 * instead of one per record (a bulk import draws one per activity). A
 * byte is cleared once used. */
enum { CELLKEY_BYTES = 3, CELLKEY_BLOCK = 1024 * CELLKEY_BYTES };
_Static_assert(CELLKEY_RANGE == 1 << (8 * CELLKEY_BYTES), "a key is three random bytes");

int64_t cellkey_draw(void)
{
	static _Thread_local unsigned char block[CELLKEY_BLOCK];
	static _Thread_local size_t used = CELLKEY_BLOCK;
	if (used == CELLKEY_BLOCK) {
		randombytes_buf(block, sizeof(block));
		used = 0;
	}
	int64_t k = 0;
	for (int i = 0; i < CELLKEY_BYTES; i++) {
		k = k << 8 | block[used];
		block[used++] = 0;
	}
	return k;
}

uint32_t cellkey_of(int64_t sum)
{
	int64_t k = sum % CELLKEY_RANGE;
	return (uint32_t)(k < 0 ? k + CELLKEY_RANGE : k);
}

/* A full-avalanche mix of the key (MurmurHash3's finaliser), so that the
 * change does not follow the key's low digits. */
static uint32_t mix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

int cellkey_change(uint32_t key)
{
	return (int)(mix(key) % (2 * CELLKEY_MAX_CHANGE + 1)) - CELLKEY_MAX_CHANGE;
}

int64_t cellkey_perturb(int64_t v, uint32_t key, int t)
{
	if (v < t || v <= 0)
		return v;
	int64_t p = v + cellkey_change(key);
	return p < 0 ? 0 : p;
}

/* Gives a key to each row that has none, a batch of ids at a time in id
 * order (the read is over before the updates, on either engine). Returns
 * how many. */
static int64_t draw_missing(struct db *db, enum stmt_id select, enum stmt_id update)
{
	int64_t total = 0, after = 0;
	for (;;) {
		int64_t ids[1000];
		size_t n = 0;
		struct db_stmt *s = db_stmt(db, select);
		if (!s)
			return -1;
		db_bind_int(s, 1, (int)(sizeof(ids) / sizeof(ids[0])));
		db_bind_int64(s, 2, after);
		int rc = DB_DONE;
		while (n < sizeof(ids) / sizeof(ids[0]) && (rc = db_step(s)) == DB_ROW)
			ids[n++] = db_col_int64(s, 0);
		db_reset(s);
		if (n < sizeof(ids) / sizeof(ids[0]) && rc != DB_DONE) {
			db_log_error(db, "cellkey.backfill");
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			struct db_stmt *u = db_stmt(db, update);
			if (!u)
				return -1;
			db_bind_int64(u, 1, ids[i]);
			db_bind_int64(u, 2, cellkey_draw());
			rc = db_step(u);
			db_reset(u);
			if (rc != DB_DONE) {
				db_log_error(db, "cellkey.backfill");
				return -1;
			}
		}
		total += (int64_t)n;
		if (n < sizeof(ids) / sizeof(ids[0]))
			return total;
		after = ids[n - 1];
	}
}

int64_t cellkey_backfill(struct db *db)
{
	int64_t a = draw_missing(db, STMT_CELLKEY_ACTIVITY_MISSING, STMT_CELLKEY_ACTIVITY_SET);
	int64_t f =
		a < 0 ? -1 : draw_missing(db, STMT_CELLKEY_FAMILY_MISSING, STMT_CELLKEY_FAMILY_SET);
	int64_t r =
		f < 0 ? -1
		      : draw_missing(db, STMT_CELLKEY_REFERRAL_MISSING, STMT_CELLKEY_REFERRAL_SET);
	if (r < 0)
		return -1;
	log_info("cellkey.backfill", "activities=%lld families=%lld referrals=%lld", (long long)a,
		 (long long)f, (long long)r);
	return a + f + r;
}
