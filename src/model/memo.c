/* What the server keeps in memory between requests (model/memo.h). */
#include "model/memo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define MEMO_TOKENS 64  /* bearer tokens: a team's devices and integrations */
#define MEMO_REFS 512   /* (list, code, organisation) answers */
#define MEMO_SERVES 128 /* (organisation, territory) answers */
#define MEMO_ROWS 256   /* (kind, id) of rows known to exist */
#define MEMO_CODE 48    /* the longest code remembered, with its NUL */
#define MEMO_DIGEST 32  /* a token's digest (auth/token.h TOKEN_DIGEST_LEN) */

struct memo_token {
	bool used;
	unsigned char digest[MEMO_DIGEST];
	int64_t n;          /* the epoch it was read under */
	int64_t expires_at; /* 0: never */
	int64_t person_id, organisation_id, territory_id;
	enum role role;
	char *name, *email, *ext_id, *organisation_ext, *territory_ext; /* owned */
};

struct memo_ref {
	bool used, valid;
	int list;
	int64_t n, org;
	char code[MEMO_CODE];
};

struct memo_serves_entry {
	bool used, serves;
	int64_t n, org, territory;
};

struct memo_row_entry {
	bool used;
	enum memo_row kind;
	int64_t n, id;
};

static struct {
	pthread_mutex_t mu;
	unsigned generation; /* db_thread_generation() the entries belong to */
	struct memo_token tokens[MEMO_TOKENS];
	struct memo_ref refs[MEMO_REFS];
	struct memo_serves_entry serves[MEMO_SERVES];
	struct memo_row_entry rows[MEMO_ROWS];
	struct memo_stats stats;
} memo = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* This thread's request: whether the memo may answer, and the epoch it read. */
static _Thread_local struct {
	bool active, read;
	int64_t n; /* -1: unknown */
} req;

void memo_request_begin(void)
{
	req.active = true;
	req.read = false;
	req.n = -1;
}

void memo_request_end(void)
{
	req.active = false;
	req.read = false;
	req.n = -1;
}

/* The epoch this request answers under, read at its first question; -1
 * when the memo may not answer here (no request, a transaction, an error). */
static int64_t epoch(struct db *db)
{
	if (!req.active || !db || db_in_transaction(db))
		return -1;
	if (!req.read) {
		req.read = true;
		struct db_stmt *s = db_stmt(db, STMT_MEMO_EPOCH);
		if (s) {
			int rc = db_step(s);
			if (rc == DB_ROW)
				req.n = db_col_int64(s, 0);
			else
				db_log_error(db, "memo.epoch");
			db_reset(s);
		}
	}
	return req.n;
}

static void token_clear(struct memo_token *t)
{
	free(t->name);
	free(t->email);
	free(t->ext_id);
	free(t->organisation_ext);
	free(t->territory_ext);
	memset(t, 0, sizeof(*t));
}

/* Locks the memo, forgetting everything when the threads' database is no
 * longer the one it was filled from. */
static void lock(void)
{
	pthread_mutex_lock(&memo.mu);
	unsigned g = db_thread_generation();
	if (g == memo.generation)
		return;
	for (size_t i = 0; i < MEMO_TOKENS; i++)
		token_clear(&memo.tokens[i]);
	memset(memo.refs, 0, sizeof(memo.refs));
	memset(memo.serves, 0, sizeof(memo.serves));
	memset(memo.rows, 0, sizeof(memo.rows));
	memo.generation = g;
}

static void unlock(bool hit)
{
	if (hit)
		memo.stats.hits++;
	else
		memo.stats.misses++;
	pthread_mutex_unlock(&memo.mu);
}

static char *dup_or_die(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		die_oom();
	return d;
}

int memo_token_find(struct db *db, struct arena *a, const unsigned char *digest, int64_t now,
		    struct actor *out)
{
	int64_t n = epoch(db);
	lock();
	const struct memo_token *t = &memo.tokens[digest[0] % MEMO_TOKENS];
	bool hit = n >= 0 && t->used && t->n == n && memcmp(t->digest, digest, MEMO_DIGEST) == 0 &&
		   (t->expires_at == 0 || t->expires_at > now);
	if (hit) {
		memset(out, 0, sizeof(*out));
		out->person_id = t->person_id;
		out->role = t->role;
		out->organisation_id = t->organisation_id;
		out->territory_id = t->territory_id;
		out->name = arena_strdup(a, t->name);
		out->email = arena_strdup(a, t->email);
		out->ext_id = arena_strdup(a, t->ext_id);
		out->organisation_ext = arena_strdup(a, t->organisation_ext);
		out->territory_ext = arena_strdup(a, t->territory_ext);
	}
	unlock(hit);
	return hit;
}

void memo_token_keep(struct db *db, const unsigned char *digest, const struct actor *who,
		     int64_t expires_at)
{
	int64_t n = epoch(db);
	if (n < 0)
		return;
	lock();
	struct memo_token *t = &memo.tokens[digest[0] % MEMO_TOKENS];
	token_clear(t);
	t->used = true;
	memcpy(t->digest, digest, MEMO_DIGEST);
	t->n = n;
	t->expires_at = expires_at;
	t->person_id = who->person_id;
	t->role = who->role;
	t->organisation_id = who->organisation_id;
	t->territory_id = who->territory_id;
	t->name = dup_or_die(who->name);
	t->email = dup_or_die(who->email);
	t->ext_id = dup_or_die(who->ext_id);
	t->organisation_ext = dup_or_die(who->organisation_ext);
	t->territory_ext = dup_or_die(who->territory_ext);
	pthread_mutex_unlock(&memo.mu);
}

/* FNV-1a over the code, then the list and the organisation. */
static size_t ref_slot(enum ref_list l, const char *code, int64_t org)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ (uint64_t)l) * 1099511628211ULL;
	h = (h ^ (uint64_t)org) * 1099511628211ULL;
	return (size_t)(h % MEMO_REFS);
}

int memo_ref_find(struct db *db, enum ref_list l, const char *code, int64_t org, bool *valid)
{
	int64_t n = strlen(code) < MEMO_CODE ? epoch(db) : -1;
	lock();
	const struct memo_ref *r = &memo.refs[ref_slot(l, code, org)];
	bool hit = n >= 0 && r->used && r->n == n && r->list == (int)l && r->org == org &&
		   strcmp(r->code, code) == 0;
	if (hit)
		*valid = r->valid;
	unlock(hit);
	return hit;
}

void memo_ref_keep(struct db *db, enum ref_list l, const char *code, int64_t org, bool valid)
{
	int64_t n = strlen(code) < MEMO_CODE ? epoch(db) : -1;
	if (n < 0)
		return;
	lock();
	struct memo_ref *r = &memo.refs[ref_slot(l, code, org)];
	*r = (struct memo_ref){.used = true, .valid = valid, .list = (int)l, .n = n, .org = org};
	memcpy(r->code, code, strlen(code) + 1);
	pthread_mutex_unlock(&memo.mu);
}

static size_t serves_slot(int64_t org, int64_t territory)
{
	uint64_t h = ((uint64_t)org * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)territory;
	return (size_t)((h ^ (h >> 29)) % MEMO_SERVES);
}

int memo_serves_find(struct db *db, int64_t org, int64_t territory, bool *serves)
{
	int64_t n = epoch(db);
	lock();
	const struct memo_serves_entry *e = &memo.serves[serves_slot(org, territory)];
	bool hit = n >= 0 && e->used && e->n == n && e->org == org && e->territory == territory;
	if (hit)
		*serves = e->serves;
	unlock(hit);
	return hit;
}

void memo_serves_keep(struct db *db, int64_t org, int64_t territory, bool serves)
{
	int64_t n = epoch(db);
	if (n < 0)
		return;
	lock();
	memo.serves[serves_slot(org, territory)] = (struct memo_serves_entry){
		.used = true, .serves = serves, .n = n, .org = org, .territory = territory};
	pthread_mutex_unlock(&memo.mu);
}

static size_t row_slot(enum memo_row kind, int64_t id)
{
	uint64_t h = ((uint64_t)id * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)kind;
	return (size_t)((h ^ (h >> 29)) % MEMO_ROWS);
}

int memo_row_find(struct db *db, enum memo_row kind, int64_t id)
{
	int64_t n = epoch(db);
	lock();
	const struct memo_row_entry *e = &memo.rows[row_slot(kind, id)];
	bool hit = n >= 0 && e->used && e->n == n && e->kind == kind && e->id == id;
	unlock(hit);
	return hit;
}

void memo_row_keep(struct db *db, enum memo_row kind, int64_t id)
{
	int64_t n = epoch(db);
	if (n < 0)
		return;
	lock();
	memo.rows[row_slot(kind, id)] =
		(struct memo_row_entry){.used = true, .kind = kind, .n = n, .id = id};
	pthread_mutex_unlock(&memo.mu);
}

void memo_stats(struct memo_stats *out)
{
	pthread_mutex_lock(&memo.mu);
	*out = memo.stats;
	pthread_mutex_unlock(&memo.mu);
}
