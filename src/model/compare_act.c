/* The act.* indicators of many territories at once: see compare_act.h. */
#include "model/compare_act.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/ind_arrimage.h"
#include "model/row.h"

/* The territory tree, and for each territory the compared territories
 * it counts for (itself and its ancestors among territory_ids). */
struct cmp_tree {
	int64_t *id, *parent; /* by id */
	size_t n;
	size_t *first, *count; /* targets of territory i: k[first[i]..first[i] + count[i]) */
	size_t *k;
};

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : (x > y ? 1 : 0);
}

/* Index of territory id in t, or t->n when it is not there. */
static size_t tree_find(const struct cmp_tree *t, int64_t id)
{
	const int64_t *p = bsearch(&id, t->id, t->n, sizeof(*t->id), cmp_int64);
	return p ? (size_t)(p - t->id) : t->n;
}

/* Reads the tree into t. 0 or -1. */
static int tree_read(struct db *db, struct arena *ar, struct cmp_tree *t)
{
	struct db_stmt *st = db_stmt(db, STMT_CMP_TERRITORIES);
	if (!st)
		return -1;
	size_t cap_id = 0, cap_parent = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		t->id = arena_grow(ar, t->id, t->n, &cap_id, sizeof(*t->id));
		t->parent = arena_grow(ar, t->parent, t->n, &cap_parent, sizeof(*t->parent));
		t->id[t->n] = db_col_int64(st, 0);
		t->parent[t->n++] = db_col_int64(st, 1);
	}
	if (rc != DB_DONE) {
		db_log_error(db, "compare_act.territories");
		return -1;
	}
	return 0;
}

/* The targets of every territory of t: walking up from each territory,
 * the compared ones met (at most t->n steps, so a cycle cannot loop). */
static void tree_targets(struct arena *ar, struct cmp_tree *t, const int64_t *ids, size_t n)
{
	t->first = arena_calloc(ar, t->n ? t->n : 1, sizeof(*t->first));
	t->count = arena_calloc(ar, t->n ? t->n : 1, sizeof(*t->count));
	size_t used = 0, cap = 0;
	for (size_t i = 0; i < t->n; i++) {
		t->first[i] = used;
		size_t at = i;
		for (size_t step = 0; at < t->n && step < t->n; step++) {
			for (size_t k = 0; k < n; k++)
				if (ids[k] == t->id[at]) {
					t->k = arena_grow(ar, t->k, used, &cap, sizeof(*t->k));
					t->k[used++] = k;
				}
			at = t->parent[at] ? tree_find(t, t->parent[at]) : t->n;
		}
		t->count[i] = used - t->first[i];
	}
}

/* The root to read under: the parent all compared territories share, or
 * 0 (every territory). */
static int64_t tree_root(const struct cmp_tree *t, const int64_t *ids, size_t n)
{
	size_t i = tree_find(t, ids[0]);
	int64_t root = i < t->n ? t->parent[i] : 0;
	for (size_t k = 1; k < n && root; k++) {
		i = tree_find(t, ids[k]);
		if (i == t->n || t->parent[i] != root)
			root = 0;
	}
	return root;
}

/* A period of whole months: as roll-up months and as instants. */
struct cmp_period {
	char month_from[11], month_to[11];
	int64_t start, end; /* [start, end) */
};

/* The scope's period [from, min(to, as_of)] into p when it is whole
 * months: 0, else 1. */
static int whole_months(const struct ind_scope *s, struct cmp_period *p)
{
	int64_t first = ptime_days_from_civil(&s->from);
	int64_t to = ptime_days_from_civil(&s->to), as_of = ptime_days_from_civil(&s->as_of);
	int64_t last = to < as_of ? to : as_of;
	if (last < first)
		return 1;
	struct pdate f = ptime_civil_from_days(first), l = ptime_civil_from_days(last),
		     next = ptime_civil_from_days(last + 1);
	if (f.day != 1 || next.day != 1)
		return 1;
	ptime_format_date(&f, p->month_from);
	ptime_format_date(&l, p->month_to);
	p->month_from[7] = p->month_to[7] = 0; /* 'YYYY-MM' */
	p->start = ptime_date_start(&f);
	p->end = ptime_date_start(&next);
	return 0;
}

/* What one pass reads and adds into. */
struct cmp_pass {
	struct db *db;
	struct arena *ar;
	const struct ind_scope *s;
	struct cmp_tree t;
	struct cmp_period p;
	int64_t root;
	struct ind_act_sums **sums; /* one per compared territory */
	struct cmp_orgs *orgs;      /* read for the referrals */
};

/* The statement id with the pass's bindings: root, period (months, or
 * instants for the referrals), sector, organisation. NULL on error. */
static struct db_stmt *pass_stmt(struct cmp_pass *c, enum stmt_id id, bool instants)
{
	struct db_stmt *st = db_stmt(c->db, id);
	if (!st)
		return NULL;
	db_bind_int64(st, 1, c->root);
	if (instants) {
		db_bind_int64(st, 2, c->p.start);
		db_bind_int64(st, 3, c->p.end);
	} else {
		db_bind_text(st, 2, c->p.month_from);
		db_bind_text(st, 3, c->p.month_to);
	}
	db_bind_int64(st, 4, c->s->sector_id);
	db_bind_int64(st, 5, c->s->organisation_id);
	return st;
}

/* Ends the loop of st: 0 when it ran to its end, else -1 (logged). */
static int pass_done(struct cmp_pass *c, int rc, const char *event)
{
	if (rc == DB_DONE)
		return 0;
	db_log_error(c->db, event);
	return -1;
}

/* Names met in the rows, each pair (a, b) given a small id (0, 1, ...),
 * found again by hash: the activity types (b unused) and the codes (kind,
 * code). */
struct cmp_names {
	const char **a, **b;
	size_t n, cap_a, cap_b;
	size_t *slot; /* id + 1, 0 = free; n_slots is a power of two */
	size_t n_slots;
};

static size_t name_hash(const char *a, const char *b)
{
	size_t h = 14695981039346656037u;
	for (const char *p = a; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	h = (h ^ 0xff) * 1099511628211u;
	for (const char *p = b; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return h;
}

/* The slot of (a, b) in t: its own, or the free one it would take. */
static size_t name_slot(const struct cmp_names *t, const char *a, const char *b)
{
	size_t i = name_hash(a, b) & (t->n_slots - 1);
	while (t->slot[i] &&
	       (strcmp(t->a[t->slot[i] - 1], a) != 0 || strcmp(t->b[t->slot[i] - 1], b) != 0))
		i = (i + 1) & (t->n_slots - 1);
	return i;
}

/* The id of (a, b) (NULL reads ""), added (copied into ar) when new. */
static size_t name_id(struct arena *ar, struct cmp_names *t, const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	if (2 * (t->n + 1) > t->n_slots) { /* grow: at most half full */
		size_t n_slots = t->n_slots ? 2 * t->n_slots : 64;
		t->slot = arena_calloc(ar, n_slots, sizeof(*t->slot));
		t->n_slots = n_slots;
		for (size_t id = 0; id < t->n; id++)
			t->slot[name_slot(t, t->a[id], t->b[id])] = id + 1;
	}
	size_t i = name_slot(t, a, b);
	if (!t->slot[i]) {
		t->a = arena_grow(ar, t->a, t->n, &t->cap_a, sizeof(*t->a));
		t->b = arena_grow(ar, t->b, t->n, &t->cap_b, sizeof(*t->b));
		t->a[t->n] = arena_strdup(ar, a);
		t->b[t->n] = arena_strdup(ar, b);
		t->slot[i] = ++t->n;
	}
	return t->slot[i] - 1;
}

/* One territory's sums by name id, width values each, before they are
 * added into the compared territories it counts for. */
struct cmp_acc {
	struct cmp_names names;
	size_t width;
	int64_t *v;                      /* v[id * width + j] */
	bool *hit;                       /* ids with a value */
	size_t *touched, n_touched, cap; /* ids that fit in v, hit, touched */
	int64_t territory;               /* the territory summed, 0 = none yet */
};

/* Adds width values to name (a, b) of territory terr's sums in x, after
 * handing the previous territory's sums to flush when terr is another. */
static void acc_add(struct cmp_pass *c, struct cmp_acc *x, int64_t terr, const char *a,
		    const char *b, const int64_t *v,
		    void (*flush)(struct cmp_pass *c, struct cmp_acc *x))
{
	if (terr != x->territory) {
		flush(c, x);
		x->territory = terr;
	}
	size_t id = name_id(c->ar, &x->names, a, b);
	if (id >= x->cap) {
		size_t cap = 2 * id + 16;
		int64_t *nv = arena_calloc(c->ar, cap * x->width, sizeof(*nv));
		bool *nh = arena_calloc(c->ar, cap, sizeof(*nh));
		size_t *nt = arena_calloc(c->ar, cap, sizeof(*nt));
		if (x->cap) {
			memcpy(nv, x->v, x->cap * x->width * sizeof(*nv));
			memcpy(nh, x->hit, x->cap * sizeof(*nh));
			memcpy(nt, x->touched, x->n_touched * sizeof(*nt));
		}
		x->v = nv, x->hit = nh, x->touched = nt, x->cap = cap;
	}
	if (!x->hit[id]) {
		x->hit[id] = true;
		x->touched[x->n_touched++] = id;
	}
	for (size_t j = 0; j < x->width; j++)
		x->v[id * x->width + j] += v[j];
}

/* The targets of territory id (*n of them). */
static const size_t *targets_of(const struct cmp_pass *c, int64_t id, size_t *n)
{
	size_t i = tree_find(&c->t, id);
	*n = i < c->t.n ? c->t.count[i] : 0;
	return *n ? &c->t.k[c->t.first[i]] : NULL;
}

static void acc_flush_to(struct cmp_pass *c, struct cmp_acc *x,
			 void (*add)(struct cmp_pass *c, struct ind_act_sums *s, const char *a,
				     const char *b, const int64_t *v),
			 const size_t *k, size_t nk);

/* Empties x's sums, each added into the compared territories of x's
 * territory by add. */
static void acc_flush(struct cmp_pass *c, struct cmp_acc *x,
		      void (*add)(struct cmp_pass *c, struct ind_act_sums *s, const char *a,
				  const char *b, const int64_t *v))
{
	size_t nk;
	const size_t *k = targets_of(c, x->territory, &nk);
	acc_flush_to(c, x, add, k, nk);
}

/* The same into the nk compared territories k. */
static void acc_flush_to(struct cmp_pass *c, struct cmp_acc *x,
			 void (*add)(struct cmp_pass *c, struct ind_act_sums *s, const char *a,
				     const char *b, const int64_t *v),
			 const size_t *k, size_t nk)
{
	for (size_t i = 0; i < x->n_touched; i++) {
		size_t id = x->touched[i];
		int64_t *v = &x->v[id * x->width];
		for (size_t j = 0; j < nk; j++)
			add(c, c->sums[k[j]], x->names.a[id], x->names.b[id], v);
		memset(v, 0, x->width * sizeof(*v));
		x->hit[id] = false;
	}
	x->n_touched = 0;
}

static void add_type(struct cmp_pass *c, struct ind_act_sums *s, const char *type,
		     const char *unused, const int64_t *v)
{
	(void)unused;
	ind_act_sums_add_type(c->ar, s, type, v);
}

static void flush_types(struct cmp_pass *c, struct cmp_acc *x)
{
	acc_flush(c, x, add_type);
}

static int read_types(struct cmp_pass *c)
{
	struct db_stmt *st = pass_stmt(c, STMT_CMP_ACT, false);
	if (!st)
		return -1;
	struct cmp_acc x = {.width = IND_ACT_N_VALUES};
	int64_t v[IND_ACT_N_VALUES];
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		for (int i = 0; i < IND_ACT_N_VALUES; i++)
			v[i] = db_col_int64(st, 2 + i);
		acc_add(c, &x, db_col_int64(st, 0), db_col_cstr(st, 1), NULL, v, flush_types);
	}
	flush_types(c, &x);
	return pass_done(c, rc, "compare_act.types");
}

static void add_code(struct cmp_pass *c, struct ind_act_sums *s, const char *kind, const char *code,
		     const int64_t *v)
{
	ind_act_sums_add_code(c->ar, s, kind, code, v[0]);
}

static void flush_codes(struct cmp_pass *c, struct cmp_acc *x)
{
	acc_flush(c, x, add_code);
}

static int read_codes(struct cmp_pass *c)
{
	struct db_stmt *st = pass_stmt(c, STMT_CMP_CODE, false);
	if (!st)
		return -1;
	struct cmp_acc x = {.width = 1};
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = db_col_cstr(st, 1);
		if (!kind)
			continue;
		int64_t n = db_col_int64(st, 3);
		acc_add(c, &x, db_col_int64(st, 0), kind, db_col_cstr(st, 2), &n, flush_codes);
	}
	flush_codes(c, &x);
	return pass_done(c, rc, "compare_act.codes");
}

static int read_links(struct cmp_pass *c)
{
	struct db_stmt *st = pass_stmt(c, STMT_CMP_LINK, false);
	if (!st)
		return -1;
	int64_t terr = -1; /* the territory of k: rows come by territory */
	size_t nk = 0;
	const size_t *k = NULL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_col_int64(st, 0) != terr) {
			terr = db_col_int64(st, 0);
			k = targets_of(c, terr, &nk);
		}
		const char *kind = db_col_cstr(st, 1);
		if (!nk || !kind)
			continue;
		bool family = strcmp(kind, "family") == 0;
		if (!family && strcmp(kind, "partner") != 0)
			continue;
		int64_t id = db_col_int64(st, 2), key = db_col_int64(st, 3);
		for (size_t j = 0; j < nk; j++)
			ind_act_sums_add_id(c->ar, c->sums[k[j]], family, id, key);
	}
	return pass_done(c, rc, "compare_act.links");
}

/* Each organisation's sector ext id (org[i] is in sector ext[i]), and the
 * territories each serves (served_org[i] serves served_terr[i]), both by
 * organisation. */
struct cmp_orgs {
	int64_t *org;
	const char **ext;
	size_t n;
	int64_t *served_org, *served_terr;
	size_t n_served;
	size_t *seen, stamp, *k; /* served_targets' marks and list */
};

static int read_orgs(struct cmp_pass *c, struct cmp_orgs *o, size_t n_compared)
{
	memset(o, 0, sizeof(*o));
	struct db_stmt *st = db_stmt(c->db, STMT_CMP_ORG_SECTORS);
	if (!st)
		return -1;
	size_t cap_o = 0, cap_e = 0, cap_so = 0, cap_st = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		o->org = arena_grow(c->ar, o->org, o->n, &cap_o, sizeof(*o->org));
		o->ext = arena_grow(c->ar, o->ext, o->n, &cap_e, sizeof(*o->ext));
		o->org[o->n] = db_col_int64(st, 0);
		o->ext[o->n++] = db_col_text(c->ar, st, 1);
	}
	if (pass_done(c, rc, "compare_act.sectors") < 0 ||
	    !(st = db_stmt(c->db, STMT_CMP_ORG_TERRITORIES)))
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		o->served_org = arena_grow(c->ar, o->served_org, o->n_served, &cap_so,
					   sizeof(*o->served_org));
		o->served_terr = arena_grow(c->ar, o->served_terr, o->n_served, &cap_st,
					    sizeof(*o->served_terr));
		o->served_org[o->n_served] = db_col_int64(st, 0);
		o->served_terr[o->n_served++] = db_col_int64(st, 1);
	}
	o->seen = arena_calloc(c->ar, n_compared, sizeof(*o->seen));
	o->k = arena_calloc(c->ar, n_compared, sizeof(*o->k));
	return pass_done(c, rc, "compare_act.served");
}

/* The sector ext id of organisation id, or NULL when it has none. */
static const char *sector_of(const struct cmp_orgs *o, int64_t id)
{
	const int64_t *p = bsearch(&id, o->org, o->n, sizeof(*o->org), cmp_int64);
	return p ? o->ext[p - o->org] : NULL;
}

/* The compared territories of the territories organisation org serves,
 * each once (*n of them; valid until the next call). */
static const size_t *served_targets(const struct cmp_pass *c, struct cmp_orgs *o, int64_t org,
				    size_t *n)
{
	*n = 0;
	const int64_t *p =
		bsearch(&org, o->served_org, o->n_served, sizeof(*o->served_org), cmp_int64);
	if (!p)
		return NULL;
	size_t i = (size_t)(p - o->served_org);
	while (i > 0 && o->served_org[i - 1] == org)
		i--;
	o->stamp++;
	for (; i < o->n_served && o->served_org[i] == org; i++) {
		size_t t = tree_find(&c->t, o->served_terr[i]);
		for (size_t j = 0; t < c->t.n && j < c->t.count[t]; j++) {
			size_t k = c->t.k[c->t.first[t] + j];
			if (o->seen[k] != o->stamp) {
				o->seen[k] = o->stamp;
				o->k[(*n)++] = k;
			}
		}
	}
	return o->k;
}

static void add_referrals(struct cmp_pass *c, struct ind_act_sums *s, const char *corridor,
			  const char *sector, const int64_t *v)
{
	ind_act_sums_add_referrals(c->ar, s, corridor, sector, v[0]);
}

static void flush_corridor(struct cmp_pass *c, struct cmp_acc *x)
{
	acc_flush(c, x, add_referrals);
}

/* Referrals through a corridor: on the corridor's territory. */
static int read_referrals_corridor(struct cmp_pass *c, const struct cmp_orgs *o)
{
	struct db_stmt *st = pass_stmt(c, STMT_CMP_REFERRALS_CORRIDOR, true);
	if (!st)
		return -1;
	struct cmp_acc x = {.width = 1};
	const int64_t one = 1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *sector = sector_of(o, db_col_int64(st, 2));
		if (sector)
			acc_add(c, &x, db_col_int64(st, 0), db_col_cstr(st, 1), sector, &one,
				flush_corridor);
	}
	flush_corridor(c, &x);
	return pass_done(c, rc, "compare_act.referrals");
}

/* The served territories of the organisation the direct referrals are
 * summed for (x->territory holds the organisation). */
static void flush_direct(struct cmp_pass *c, struct cmp_acc *x)
{
	size_t nk;
	const size_t *k = served_targets(c, c->orgs, x->territory, &nk);
	acc_flush_to(c, x, add_referrals, k, nk);
}

/* Referrals without a corridor: on every territory the sending
 * organisation serves, once in each compared territory. */
static int read_referrals_direct(struct cmp_pass *c)
{
	struct db_stmt *st = pass_stmt(c, STMT_CMP_REFERRALS_DIRECT, true);
	if (!st)
		return -1;
	struct cmp_acc x = {.width = 1};
	const int64_t one = 1;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *sector = sector_of(c->orgs, db_col_int64(st, 1));
		if (sector)
			acc_add(c, &x, db_col_int64(st, 0), "", sector, &one, flush_direct);
	}
	flush_direct(c, &x);
	return pass_done(c, rc, "compare_act.referrals_direct");
}

/* A corridor: its territory and ext id. */
struct cmp_corridor {
	int64_t id, territory_id;
	const char *ext;
};

/* Every corridor, by id, into *out (*n of them). 0, or 1 when one has id 0
 * (a trajectory row's corridor 0 means none), or -1. */
static int read_corridors(struct cmp_pass *c, struct cmp_corridor **out, size_t *n)
{
	struct db_stmt *st = db_stmt(c->db, STMT_CMP_CORRIDORS);
	if (!st)
		return -1;
	struct row_array rows = {0};
	struct cmp_corridor *r;
	bool zero = false;
	while ((r = row_next(c->db, st, c->ar, &rows, sizeof(*r), "compare_act.corridors"))) {
		*r = (struct cmp_corridor){db_col_int64(st, 0), db_col_int64(st, 1),
					   db_col_text(c->ar, st, 2)};
		zero = zero || r->id == 0;
	}
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return zero ? 1 : 0;
}

/* Whether sent lists every referral sent in the pass's period: 1 yes, 0
 * no (or not a scope it answers: a sector or an organisation, whose
 * filters the trajectory rows apply to a trajectory's first referral, not
 * to each referral), -1 on an error. */
static int sent_is_all(struct cmp_pass *c, const struct ind_arr_sent *sent)
{
	/* The count is the province's, and territories read under one parent
	 * (root) hold only the referrals of trajectories under it: their list
	 * cannot match it, so the count is not read for nothing. */
	if (!sent || !sent->complete || sent->from != c->p.start || sent->to != c->p.end ||
	    c->s->sector_id || c->s->organisation_id || c->root)
		return 0;
	struct db_stmt *st = db_stmt(c->db, STMT_CMP_REFERRALS_COUNT);
	if (!st)
		return -1;
	db_bind_int64(st, 1, c->p.start);
	db_bind_int64(st, 2, c->p.end);
	int rc = row_fetch(c->db, st, "compare_act.referrals_count");
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	int64_t count = db_col_int64(st, 0);
	db_reset(st);
	return count == sent->n;
}

/* The index of organisation id in o, or o->n. */
static size_t org_index(const struct cmp_orgs *o, int64_t id)
{
	const int64_t *p = bsearch(&id, o->org, o->n, sizeof(*o->org), cmp_int64);
	return p ? (size_t)(p - o->org) : o->n;
}

/* The referrals of the period counted from sent, the referrals the
 * trajectory rows hold (ind_arr_trajectories_split), instead of reading
 * them again, each where STMT_CMP_REFERRALS_CORRIDOR and
 * STMT_CMP_REFERRALS_DIRECT put it: through a corridor, on the corridor's
 * territory; without one, on every territory the sending organisation
 * serves, once in each compared territory. Only when sent holds every
 * referral sent in the period. 0 when counted, 1 when not (the caller
 * reads the statements), -1 on an error. */
static int count_sent(struct cmp_pass *c, const struct ind_arr_sent *sent)
{
	int rc = sent_is_all(c, sent);
	if (rc <= 0)
		return rc < 0 ? -1 : 1;
	struct cmp_corridor *corr;
	size_t n_corr;
	if ((rc = read_corridors(c, &corr, &n_corr)) != 0)
		return rc;
	for (size_t i = 0; i < sent->n_v; i++) {
		const struct ind_arr_sent_ref *r = &sent->v[i];
		size_t to = org_index(c->orgs, r->to_org);
		if (to == c->orgs->n || !c->orgs->ext[to])
			continue; /* no receiving sector: the statements skip it too */
		const char *sector = c->orgs->ext[to];
		size_t nk;
		const size_t *k;
		const char *corridor = "";
		if (r->corridor_id) {
			const struct cmp_corridor *x =
				bsearch(&r->corridor_id, corr, n_corr, sizeof(*corr), cmp_int64);
			if (!x)
				continue; /* the statement's join drops it too */
			corridor = x->ext;
			k = targets_of(c, x->territory_id, &nk);
		} else {
			k = served_targets(c, c->orgs, r->from_org, &nk);
		}
		for (size_t j = 0; j < nk; j++)
			ind_act_sums_add_referrals(c->ar, c->sums[k[j]], corridor, sector, r->n);
	}
	return 0;
}

/* See compare_act.h. */
int compare_act_compute(struct db *db, struct arena *ar, const struct ind_scope *s,
			const int64_t *territory_ids, size_t n, const struct ind_arr_sent *sent,
			struct ind_act_all *out)
{
	struct cmp_pass c = {.db = db, .ar = ar, .s = s};
	if (!n || s->author_id || whole_months(s, &c.p))
		return 1;
	for (size_t k = 0; k < n; k++)
		if (!territory_ids[k])
			return 1;
	if (tree_read(db, ar, &c.t) < 0)
		return -1;
	tree_targets(ar, &c.t, territory_ids, n);
	c.root = tree_root(&c.t, territory_ids, n);
	c.sums = arena_calloc(ar, n, sizeof(*c.sums));
	for (size_t k = 0; k < n; k++)
		c.sums[k] = ind_act_sums_new(ar);
	struct cmp_orgs orgs;
	c.orgs = &orgs;
	if (read_types(&c) < 0 || read_codes(&c) < 0 || read_links(&c) < 0 ||
	    read_orgs(&c, &orgs, n) < 0)
		return -1;
	int counted = count_sent(&c, sent);
	if (counted < 0 || (counted > 0 && (read_referrals_corridor(&c, &orgs) < 0 ||
					    read_referrals_direct(&c) < 0)))
		return -1;
	for (size_t k = 0; k < n; k++)
		ind_act_sums_result(ar, c.sums[k], &out[k]);
	return 0;
}
