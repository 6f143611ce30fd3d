/* A bulk load's aggregates summed in memory (model/agg_bulk.h). Each cell
 * is one row of one aggregate table: its key and its values. Cells live in
 * an arena and are found through a chained hash table; the strings of the
 * keys (types, codes) are interned in the same arena, so a key compares
 * them as pointers. Activities add to the author tables' cells only; a
 * flush sums those into the organisation-month roll-ups (at most as many
 * cells again), sorts every cell in its table's key order, loads them into
 * agg_stage and adds them to the tables with one statement per table, then
 * empties everything but the families' record keys. */
#include "model/agg_bulk.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/idmap.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/aggregate.h"
#include "model/refdata.h"

/* The tables: the author's month first, then its organisation-month
 * roll-up at the same offset plus TAB_ORG. The numbers are agg_stage's
 * tab column (STMT_AGG_STAGE_MERGE_* of db/stmt_aggregates.def). */
enum agg_tab {
	TAB_ACT = 0,
	TAB_CODE = 1,
	TAB_LINK = 2,
	TAB_ORG_ACT = 3,
	TAB_ORG_CODE = 4,
	TAB_ORG_LINK = 5
};
enum { TAB_ORG = TAB_ORG_ACT - TAB_ACT };

/* Codes keep their count in v[0]; links their count and record key. */
enum { V_COUNT = 0, V_LINK_CKEY = 1 };

struct cell {
	struct cell *next; /* hash chain */
	uint64_t hash;
	int64_t territory, org, author, ref; /* author 0 in roll-ups; ref: links */
	const char *name;                    /* type (act) or code; interned */
	const char *kind;                    /* codes and links: a literal */
	enum agg_tab tab;
	char month[8]; /* YYYY-MM */
	int64_t v[];   /* AGG_NVALS (act), 1 (codes) or 2 (links) */
};

struct interned {
	struct interned *next;
	uint64_t hash;
	char s[];
};

struct agg_bulk {
	struct db *db;
	size_t max_bytes;
	struct arena *ar;
	struct cell **buckets; /* nbuckets, a power of two */
	size_t nbuckets, ncells, written;
	struct interned *names[256];
	struct idmap fam; /* family id -> record key, for the families met so far */
};

static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
	return h * 0xFF51AFD7ED558CCDull;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
	return h;
}

/* The one copy of s in b's arena. */
static const char *intern(struct agg_bulk *b, const char *s)
{
	uint64_t h = mix(hash_str(0xCBF29CE484222325ull, s), 0);
	struct interned **slot = &b->names[h & 255];
	for (struct interned *i = *slot; i; i = i->next)
		if (i->hash == h && strcmp(i->s, s) == 0)
			return i->s;
	size_t n = strlen(s);
	struct interned *i = arena_alloc(b->ar, sizeof(*i) + n + 1);
	i->hash = h;
	memcpy(i->s, s, n + 1);
	i->next = *slot;
	*slot = i;
	return i->s;
}

static size_t nvals(enum agg_tab t)
{
	switch (t) {
	case TAB_ACT:
	case TAB_ORG_ACT: return AGG_NVALS;
	case TAB_LINK:
	case TAB_ORG_LINK: return 2;
	default: return 1;
	}
}

static struct cell **buckets_new(size_t n)
{
	struct cell **v = calloc(n, sizeof(*v));
	if (!v)
		die_oom();
	return v;
}

struct agg_bulk *agg_bulk_new(struct db *db, size_t max_bytes)
{
	struct agg_bulk *b = calloc(1, sizeof(*b));
	if (!b)
		die_oom();
	b->db = db;
	b->max_bytes = max_bytes;
	b->ar = arena_new(1 << 20);
	b->nbuckets = 1 << 12;
	b->buckets = buckets_new(b->nbuckets);
	return b;
}

void agg_bulk_free(struct agg_bulk *b)
{
	if (!b)
		return;
	arena_free(b->ar);
	free(b->buckets);
	idmap_free(&b->fam);
	free(b);
}

size_t agg_bulk_written(const struct agg_bulk *b)
{
	return b->written;
}

/* Doubles the hash table. */
static void grow(struct agg_bulk *b)
{
	struct cell **old = b->buckets;
	size_t n = b->nbuckets;
	b->nbuckets = n * 2;
	b->buckets = buckets_new(b->nbuckets);
	for (size_t i = 0; i < n; i++)
		for (struct cell *c = old[i], *next; c; c = next) {
			next = c->next;
			struct cell **slot = &b->buckets[c->hash & (b->nbuckets - 1)];
			c->next = *slot;
			*slot = c;
		}
	free(old);
}

static uint64_t cell_hash(const struct cell *k)
{
	uint64_t h = mix((uint64_t)k->tab, (uint64_t)k->territory);
	h = mix(h, (uint64_t)k->org);
	h = mix(h, (uint64_t)k->author);
	h = mix(h, (uint64_t)k->ref);
	h = mix(h, hash_str(0, k->month));
	h = mix(h, (uintptr_t)k->name);
	h = mix(h, (uintptr_t)k->kind);
	h ^= h >> 33; /* the high bits down to the bucket's */
	h *= 0xC4CEB9FE1A85EC53ull;
	return h ^ (h >> 29);
}

static bool same_key(const struct cell *c, const struct cell *k)
{
	return c->tab == k->tab && c->territory == k->territory && c->org == k->org &&
	       c->author == k->author && c->ref == k->ref && c->name == k->name &&
	       c->kind == k->kind && memcmp(c->month, k->month, sizeof(c->month)) == 0;
}

/* The cell of the key k (its key fields set), created with zero values
 * when new. */
static struct cell *cell_of(struct agg_bulk *b, const struct cell *k)
{
	uint64_t h = cell_hash(k);
	struct cell **slot = &b->buckets[h & (b->nbuckets - 1)];
	for (struct cell *c = *slot; c; c = c->next)
		if (c->hash == h && same_key(c, k))
			return c;
	size_t nv = nvals(k->tab);
	struct cell *c = arena_alloc(b->ar, sizeof(*c) + nv * sizeof(int64_t));
	*c = *k;
	memset(c->v, 0, nv * sizeof(int64_t));
	c->hash = h;
	c->next = *slot;
	*slot = c;
	if (++b->ncells > b->nbuckets)
		grow(b);
	return c;
}

/* Adds the values v to cell c: a link's count, and its family's key (the
 * same for every activity linking it); every value of the others. */
static void merge(struct cell *c, const int64_t *v)
{
	if (c->tab == TAB_LINK || c->tab == TAB_ORG_LINK) {
		c->v[V_COUNT] += v[V_COUNT];
		c->v[V_LINK_CKEY] = v[V_LINK_CKEY];
	} else {
		for (size_t j = 0; j < nvals(c->tab); j++)
			c->v[j] += v[j];
	}
}

/* Adds v to the author's cell of key k. The organisation-month roll-ups
 * are summed from those cells when they are written (add_rollups). */
static void add_one(struct agg_bulk *b, const struct cell *k, const int64_t *v)
{
	merge(cell_of(b, k), v);
}

/* The record key of family id as the link rows hold it (0 when it has
 * none), read once per load. 0 or -1. */
static int family_key(struct agg_bulk *b, int64_t id, int64_t *key)
{
	if (idmap_get(&b->fam, id, key))
		return 0;
	if (agg_family_ckey(b->db, id, key) < 0)
		return -1;
	idmap_put(&b->fam, id, *key);
	return 0;
}

/* Each code of a list, of one kind, counted once. */
static void add_codes(struct agg_bulk *b, struct cell *k, const char *kind, const char *const *v,
		      size_t n)
{
	static const int64_t one = 1;
	k->tab = TAB_CODE;
	k->kind = kind;
	for (size_t i = 0; i < n; i++) {
		k->name = intern(b, v[i]);
		add_one(b, k, &one);
	}
}

/* The followed families (with their record key) and the partners (key 0). */
static int add_links(struct agg_bulk *b, struct cell *k, const struct activity *a)
{
	k->tab = TAB_LINK;
	k->name = NULL;
	k->kind = "family";
	for (size_t i = 0; i < a->family_ids.n; i++) {
		int64_t v[2] = {1, 0};
		if (family_key(b, a->family_ids.v[i], &v[V_LINK_CKEY]) < 0)
			return -1;
		k->ref = a->family_ids.v[i];
		add_one(b, k, v);
	}
	k->kind = "partner";
	for (size_t i = 0; i < a->partner_ids.n; i++) {
		k->ref = a->partner_ids.v[i];
		add_one(b, k, (const int64_t[2]){1, 0});
	}
	return 0;
}

int agg_bulk_add(struct agg_bulk *b, const struct activity *a, int64_t ckey)
{
	if (arena_used(b->ar) + b->nbuckets * sizeof(*b->buckets) > b->max_bytes &&
	    agg_bulk_flush(b) < 0)
		return -1;
	if (!a->date || strlen(a->date) < 7)
		return -1;
	struct cell k = {.tab = TAB_ACT,
			 .territory = a->territory_id,
			 .org = a->organisation_id,
			 .author = a->author_id,
			 .name = intern(b, a->type)};
	memcpy(k.month, a->date, 7);
	/* Components default to the type's, as activity_save stores them. */
	struct strlist comps = a->components;
	const char *implied = refdata_default_component(a->type);
	if (!comps.n && implied)
		comps = (struct strlist){.v = &implied, .n = 1};
	int64_t v[AGG_NVALS];
	agg_activity_values(a, &comps, ckey, v);
	add_one(b, &k, v);
	add_codes(b, &k, "strategy", a->strategies.v, a->strategies.n);
	add_codes(b, &k, "need", a->needs.v, a->needs.n);
	add_codes(b, &k, "outcome", a->outcomes.v, a->outcomes.n);
	const char *place = a->place ? a->place : "";
	add_codes(b, &k, "place", &place, 1);
	return add_links(b, &k, a);
}

static int cmp_str(const char *x, const char *y)
{
	return x == y ? 0 : strcmp(x ? x : "", y ? y : "");
}

static int cmp_i64(int64_t x, int64_t y)
{
	return (x > y) - (x < y);
}

/* Table, then the table's primary key order: (territory_id, month,
 * organisation_id, author_id, then type, or kind and code or ref_id); the
 * author tables' constant grain and the roll-ups' absent author leave
 * that order. */
static int cmp_cells(const void *pa, const void *pb)
{
	const struct cell *x = *(struct cell *const *)pa, *y = *(struct cell *const *)pb;
	int r;
	if ((r = cmp_i64(x->tab, y->tab)) || (r = cmp_i64(x->territory, y->territory)) ||
	    (r = strcmp(x->month, y->month)) || (r = cmp_i64(x->org, y->org)) ||
	    (r = cmp_i64(x->author, y->author)) || (r = cmp_str(x->kind, y->kind)) ||
	    (r = cmp_str(x->name, y->name)))
		return r;
	return cmp_i64(x->ref, y->ref);
}

/* Appends cell c to the staging load w: the columns of agg_stage
 * (migration 0023), the values a table does not have left at 0. */
static void put_cell(struct db_bulk *w, const struct cell *c)
{
	db_bulk_int64(w, c->tab);
	db_bulk_int64(w, c->territory);
	db_bulk_text(w, c->month);
	db_bulk_int64(w, c->org);
	db_bulk_int64(w, c->author);
	db_bulk_text(w, c->kind);
	db_bulk_text(w, c->name);
	db_bulk_int64(w, c->ref);
	size_t nv = nvals(c->tab);
	for (size_t j = 0; j < AGG_NVALS; j++)
		db_bulk_int64(w, j < nv ? c->v[j] : 0);
}

/* Runs a statement that returns no row. 0 or -1 (logged). */
static int run(struct db *db, enum stmt_id id)
{
	struct db_stmt *s = db_stmt(db, id);
	if (!s || db_step(s) != DB_DONE) {
		db_log_error(db, "agg.bulk_write");
		return -1;
	}
	return 0;
}

/* Adds the n cells (sorted) to their tables: one bulk load into agg_stage
 * (COPY on PostgreSQL), one INSERT ... SELECT ... ON CONFLICT per table,
 * then agg_stage emptied. 0 or -1 (logged). */
static int write_cells(struct db *db, struct cell *const *all, size_t n)
{
	static const enum stmt_id merges[] = {
		STMT_AGG_STAGE_MERGE_ACT,      STMT_AGG_STAGE_MERGE_CODE,
		STMT_AGG_STAGE_MERGE_LINK,     STMT_AGG_STAGE_MERGE_ORG_ACT,
		STMT_AGG_STAGE_MERGE_ORG_CODE, STMT_AGG_STAGE_MERGE_ORG_LINK,
	};
	struct db_bulk *w = db_bulk_begin(db, STMT_AGG_STAGE_LOAD);
	if (!w) {
		db_log_error(db, "agg.bulk_write");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		put_cell(w, all[i]);
		if (db_bulk_row(w) < 0)
			break;
	}
	if (db_bulk_end(w, NULL) < 0) {
		db_log_error(db, "agg.bulk_write");
		return -1;
	}
	for (size_t i = 0; i < sizeof(merges) / sizeof(merges[0]); i++)
		if (run(db, merges[i]) < 0)
			return -1;
	return run(db, STMT_AGG_STAGE_CLEAR);
}

/* Every cell, in a new array of b->ncells (the caller frees it). */
static struct cell **collect(const struct agg_bulk *b)
{
	struct cell **all = malloc(b->ncells * sizeof(*all));
	if (!all)
		die_oom();
	size_t n = 0;
	for (size_t i = 0; i < b->nbuckets; i++)
		for (struct cell *c = b->buckets[i]; c; c = c->next)
			all[n++] = c;
	BUG_ON(n != b->ncells);
	return all;
}

/* Sums the author cells into their organisation-month roll-ups: one
 * lookup per cell rather than one per activity and row. */
static void add_rollups(struct agg_bulk *b)
{
	size_t n = b->ncells;
	struct cell **own = collect(b);
	for (size_t i = 0; i < n; i++) {
		struct cell key = *own[i];
		key.tab = (enum agg_tab)(key.tab + TAB_ORG);
		key.author = 0;
		merge(cell_of(b, &key), own[i]->v);
	}
	free(own);
}

int agg_bulk_flush(struct agg_bulk *b)
{
	if (!b->ncells)
		return 0;
	add_rollups(b);
	struct cell **all = collect(b);
	size_t n = b->ncells;
	qsort(all, n, sizeof(*all), cmp_cells);
	int rc = write_cells(b->db, all, n);
	free(all);
	b->written += n;
	log_write(LOG_DEBUG, "agg.bulk_flush", "cells=%zu", n);
	memset(b->buckets, 0, b->nbuckets * sizeof(*b->buckets));
	memset(b->names, 0, sizeof(b->names));
	b->ncells = 0;
	arena_reset(b->ar);
	return rc;
}
