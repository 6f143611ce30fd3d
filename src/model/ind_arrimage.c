/* Arrimage indicators (seed 002). See ind_arrimage.h for the contract and
 * the rules chosen where indicators.md is silent. */
#include "model/ind_arrimage.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/idmap.h"
#include "core/util.h"
#include "db/db.h"
#include "model/referral.h"
#include "model/row.h"

/* The columns both referral reads share, in the same places: 0 id,
 * 1 previous, 2-3 the organisations, 5 first contact, 6 sent, 7 taken in
 * charge, 8 closed (instants, NULL when not yet). A NULL reads as 0
 * (db.h), so only the three instants ask whether they are NULL. */
static void read_chain_cols(struct db_stmt *s, struct ind_referral_row *r)
{
	r->id = db_col_int64(s, 0);
	r->previous_id = db_col_int64(s, 1);
	r->from_org = db_col_int64(s, 2);
	r->to_org = db_col_int64(s, 3);
	r->first_contact_at = db_col_int64(s, 5);
	r->has_first_contact = r->first_contact_at || !db_col_is_null(s, 5);
	r->sent_at = db_col_int64(s, 6);
	r->taken_at = db_col_int64(s, 7);
	r->has_taken = r->taken_at || !db_col_is_null(s, 7);
	r->closed_at = db_col_int64(s, 8);
	r->has_closed = r->closed_at || !db_col_is_null(s, 8);
}

static double pct(size_t num, size_t den)
{
	return den ? (double)num * 100.0 / (double)den : 0.0;
}

/* ---- Trajectories ---- */

static bool outcome_closes(const char *o)
{
	return o && (!strcmp(o, "perdue") || !strcmp(o, "refusee") || !strcmp(o, "reorientee"));
}

/* Fills m, empty with room for n ids, with the referral ids of
 * refs[0..n) to their index in refs, for finding previous referrals; the
 * first of a repeated id wins. */
static void id_map_fill(struct idmap *m, const struct ind_referral *refs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		idmap_put(m, refs[i].id, (int64_t)i);
}

/* Whether an organisation appears twice in the trajectory: the first
 * sender, then each receiver in order. */
static bool trajectory_loops(const struct ind_referral *refs, const struct ind_trajectory *t,
			     int64_t *seen)
{
	size_t n = 0;
	seen[n++] = refs[t->first].from_org;
	for (long i = (long)t->first; i >= 0; i = refs[i].next) {
		int64_t org = refs[i].to_org;
		for (size_t k = 0; k < n; k++)
			if (seen[k] == org)
				return true;
		seen[n++] = org;
	}
	return false;
}

int ind_arr_referral_rows(struct db *db, struct arena *a, const struct ind_scope *scope,
			  struct ind_referral_rows *out)
{
	memset(out, 0, sizeof(*out));
	out->end = ind_scope_as_of_end(scope);
	out->territory_id = scope->territory_id;
	out->sector_id = scope->sector_id;
	out->organisation_id = scope->organisation_id;
	struct db_stmt *s = db_stmt(db, STMT_IND_ARR_REFERRALS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, scope->territory_id);
	db_bind_int64(s, 2, scope->sector_id);
	db_bind_int64(s, 3, scope->organisation_id);
	db_bind_int64(s, 4, out->end);
	struct row_array rows = {0};
	struct ind_referral_row *r;
	while ((r = row_next(db, s, a, &rows, sizeof(*r), "ind_arr.referrals"))) {
		read_chain_cols(s, r);
		r->target_days =
			db_col_is_null(s, 4) ? IND_DEFAULT_TARGET_DAYS : db_col_double(s, 4);
		r->outcome = db_col_text(a, s, 9);
		r->in_scope = db_col_int(s, 10) != 0;
		r->ckey = db_col_int64(s, 11);
	}
	if (rows.rc < 0)
		return -1;
	out->v = rows.v;
	out->n = rows.n;
	return 0;
}

/* Row w as known at instant end: timestamps after end are ignored, and an
 * outcome closed after end is not known yet (without a closing time it is
 * taken as known). */
static void referral_at(struct ind_referral *r, const struct ind_referral_row *w, int64_t end)
{
	r->id = w->id;
	r->previous_id = w->previous_id;
	r->from_org = w->from_org;
	r->to_org = w->to_org;
	r->target_days = w->target_days;
	r->first_contact_at =
		w->has_first_contact && w->first_contact_at < end ? w->first_contact_at : 0;
	r->sent_at = w->sent_at;
	bool has_taken = w->has_taken && w->taken_at < end;
	bool has_closed = w->has_closed && w->closed_at < end;
	r->taken_at = has_taken ? w->taken_at : 0;
	r->closed_at = has_closed ? w->closed_at : 0;
	r->outcome = has_closed || !w->has_closed ? w->outcome : NULL;
	r->in_scope = w->in_scope;
	r->ckey = w->ckey;
	r->next = -1;
}

/* Links each of refs[0..n) to its previous one through m (their map): the
 * earliest sent child continues (refs are in sent_at, id order, so the
 * first one seen). Returns the number of in-scope first referrals. */
static size_t link_refs(struct ind_referral *refs, size_t n, const struct idmap *m)
{
	size_t starts = 0;
	for (size_t i = 0; i < n; i++) {
		if (!refs[i].previous_id) {
			starts += refs[i].in_scope;
			continue;
		}
		int64_t p;
		if (idmap_get(m, refs[i].previous_id, &p) && refs[p].next < 0 && (size_t)p != i)
			refs[p].next = (long)i;
	}
	return starts;
}

/* The trajectory that starts at refs[i] (linked, n of them) into t; seen
 * has room for n + 1 organisations. */
static void trajectory_walk(const struct ind_referral *refs, size_t n, size_t i, int64_t *seen,
			    struct ind_trajectory *t)
{
	t->first = t->last = (uint32_t)i;
	t->length = 0;
	t->first_contact = 0;
	t->key = refs[i].ckey;
	/* A chain visits each referral at most once (each has one previous);
	 * the bound guards against a broken link anyway. */
	for (long k = (long)i; k >= 0 && t->length < n; k = refs[k].next) {
		t->last = (uint32_t)k;
		t->length++;
		int64_t fc = refs[k].first_contact_at;
		if (fc && (!t->first_contact || fc < t->first_contact))
			t->first_contact = fc;
	}
	if (!t->first_contact)
		t->first_contact = refs[i].sent_at;
	t->loop = trajectory_loops(refs, t, seen);
	const struct ind_referral *last = &refs[t->last];
	t->first_sent = refs[i].sent_at;
	t->last_sent = last->sent_at;
	t->last_taken = last->taken_at;
	t->last_target_days = last->target_days;
	t->last_outcome = last->outcome;
}

/* The in-scope trajectories of refs[0..n) (linked, starts of them) into
 * list; returns how many. */
static size_t list_trajectories(const struct ind_referral *refs, size_t n, int64_t *seen,
				struct ind_trajectory *list)
{
	size_t nt = 0;
	BUG_ON(n >= UINT32_MAX); /* struct ind_trajectory's indexes */
	for (size_t i = 0; i < n; i++)
		if (!refs[i].previous_id && refs[i].in_scope)
			trajectory_walk(refs, n, i, seen, &list[nt++]);
	return nt;
}

void ind_arr_trajectories_at(const struct ind_referral_rows *rows, struct arena *a, int64_t end,
			     struct ind_trajectories *out)
{
	memset(out, 0, sizeof(*out));
	BUG_ON(end > rows->end);
	/* rows are by sent_at: those sent before end are a prefix. */
	size_t n = 0;
	while (n < rows->n && rows->v[n].sent_at < end)
		n++;
	if (!n)
		return;
	struct ind_referral *refs = arena_alloc(a, n * sizeof(*refs));
	for (size_t i = 0; i < n; i++)
		referral_at(&refs[i], &rows->v[i], end);
	out->refs = refs;
	out->n_refs = n;
	struct idmap by_id = {0};
	idmap_reset(&by_id, n);
	id_map_fill(&by_id, refs, n);
	size_t starts = link_refs(refs, n, &by_id);
	idmap_free(&by_id);
	int64_t *seen = arena_alloc(a, (n + 1) * sizeof(*seen));
	out->list = arena_alloc(a, (starts ? starts : 1) * sizeof(*out->list));
	out->n = list_trajectories(refs, n, seen, out->list);
}

int ind_arr_trajectories(struct db *db, struct arena *a, const struct ind_scope *scope,
			 struct ind_trajectories *out)
{
	struct ind_referral_rows rows;
	if (ind_arr_referral_rows(db, a, scope, &rows) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	ind_arr_trajectories_at(&rows, a, rows.end, out);
	return 0;
}

/* ---- Several territories' trajectories in one pass ---- */

/* A corridor's target delay, by id (the rows of the write-time table name
 * their corridor; the targets are read with the rows, as the recursive
 * read joins them). */
struct corridor_target {
	int64_t id;
	double target_days;
};

static int load_targets(struct db *db, struct arena *a, struct corridor_target **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_TRAJ_CORRIDORS);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct corridor_target *t;
	while ((t = row_next(db, s, a, &rows, sizeof(*t), "ind_arr.corridors")))
		*t = (struct corridor_target){db_col_int64(s, 0), db_col_double(s, 1)};
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}

/* Corridor id's target delay in t (sorted by id); the default without one. */
static double target_of(const struct corridor_target *t, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (id && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid].id == id)
			return t[mid].target_days;
		if (t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return IND_DEFAULT_TARGET_DAYS;
}

/* The stored outcome o as the constant string of the referral module's
 * table of states: a row's outcome is one of them (the CHECK of
 * referral.outcome), so no row needs its own copy. */
static const char *outcome_const(const char *o)
{
	enum referral_status s;
	if (!o)
		return NULL;
	BUG_ON(referral_status_parse(o, &s) < 0); /* the CHECK of referral.outcome */
	return referral_status_code(s);
}

/* The rows of one territory, read into a malloc'd vector that grows by
 * realloc and serves every territory in turn, then copied once into the
 * arena at their exact size: growing each array in the arena would copy
 * every row several times and keep the copies. */
struct row_vec {
	struct ind_referral_row *v;
	size_t n, cap;
};

/* p (malloc'd, or NULL) resized to n elements of size bytes. */
static void *grow_or_die(void *p, size_t n, size_t size)
{
	void *q = realloc(p, (n ? n : 1) * size);
	if (!q)
		die_oom();
	return q;
}

static struct ind_referral_row *row_vec_next(struct row_vec *w)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4096;
		w->v = grow_or_die(w->v, w->cap, sizeof(*w->v));
	}
	return &w->v[w->n++];
}

void ind_arr_sent_free(struct ind_arr_sent *sent)
{
	free(sent->v);
	free(sent->seen);
	idmap_free(&sent->keys);
	memset(sent, 0, sizeof(*sent));
}

/* Counts referral id (through corridor, from one organisation to another)
 * in sent unless it is counted already. A bit per id says which are, and
 * the counts are kept by key in a small map (a few thousand keys at scale
 * 1): no list of the referrals themselves, which would be written and read
 * again. */
static void sent_add(struct ind_arr_sent *sent, int64_t id, int64_t corridor, int64_t from_org,
		     int64_t to_org)
{
	const int64_t lim = (int64_t)1 << 31;
	int64_t via = corridor ? corridor : from_org;
	if (id < 0 || id >= lim || via < 0 || via >= lim || to_org < 0 || to_org >= lim) {
		sent->overflow = true;
		return;
	}
	size_t word = (size_t)id / 64;
	uint64_t bit = (uint64_t)1 << (id % 64);
	if (word >= sent->seen_words) {
		size_t words = 2 * sent->seen_words > word ? 2 * sent->seen_words : word + 1024;
		sent->seen = grow_or_die(sent->seen, words, sizeof(*sent->seen));
		memset(sent->seen + sent->seen_words, 0,
		       (words - sent->seen_words) * sizeof(*sent->seen));
		sent->seen_words = words;
	}
	if (sent->seen[word] & bit)
		return;
	sent->seen[word] |= bit;
	sent->n++;
	int64_t key = (((to_org << 31) | via) << 1) | (corridor != 0), at;
	if (!idmap_get(&sent->keys, key, &at)) {
		if (sent->n_v == sent->cap) {
			sent->cap = sent->cap ? 2 * sent->cap : 256;
			sent->v = grow_or_die(sent->v, sent->cap, sizeof(*sent->v));
		}
		at = (int64_t)sent->n_v;
		sent->v[sent->n_v++] =
			(struct ind_arr_sent_ref){corridor, corridor ? 0 : from_org, to_org, 0};
		idmap_put(&sent->keys, key, at);
	}
	sent->v[at].n++;
}

/* Territory out->territory_id's rows of trajectory_referral for scope's
 * sector and organisation, sent before out->end, each handed to take
 * (with arg) as it is read; those sent in sent's period counted there too
 * (sent may be NULL). 0 or -1. */
static int read_territory(struct db *db, const struct ind_scope *scope,
			  const struct corridor_target *targets, size_t n_targets,
			  const struct ind_referral_rows *out,
			  void (*take)(void *arg, const struct ind_referral_row *r), void *arg,
			  struct ind_arr_sent *sent)
{
	struct db_stmt *s = db_stmt(db, STMT_TRAJ_TERRITORY_ROWS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, out->territory_id);
	db_bind_int64(s, 2, out->end);
	db_bind_int64(s, 3, scope->organisation_id);
	db_bind_int64(s, 4, scope->sector_id);
	int rc;
	struct ind_referral_row r;
	while ((rc = db_step(s)) == DB_ROW) {
		read_chain_cols(s, &r);
		int64_t corridor = db_col_int64(s, 4);
		r.target_days = target_of(targets, n_targets, corridor);
		r.outcome = outcome_const(db_col_cstr(s, 9));
		r.in_scope = r.previous_id == 0;
		r.ckey = db_col_int64(s, 10);
		take(arg, &r);
		if (sent && r.sent_at >= sent->from && r.sent_at < sent->to)
			sent_add(sent, r.id, corridor, r.from_org, r.to_org);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "ind_arr.territory_rows");
		return -1;
	}
	return 0;
}

/* read_territory's take for a row vector (arg). */
static void take_row(void *arg, const struct ind_referral_row *r)
{
	*row_vec_next(arg) = *r;
}

/* Whether out[k] names a territory that an earlier entry names. */
static bool repeated(const struct ind_referral_rows *out, size_t k)
{
	for (size_t j = 0; j < k; j++)
		if (out[j].territory_id == out[k].territory_id)
			return true;
	return false;
}

/* Reads the rows of every entry of out that names a territory (not 0) for
 * the first time; the others keep v NULL. 0 or -1. */
static int read_territories(struct db *db, struct arena *a, const struct ind_scope *scope,
			    struct ind_referral_rows *out, size_t n)
{
	struct corridor_target *targets;
	size_t n_targets;
	if (load_targets(db, a, &targets, &n_targets) < 0)
		return -1;
	struct row_vec w = {0};
	for (size_t k = 0; k < n; k++) {
		if (!out[k].territory_id || repeated(out, k))
			continue;
		w.n = 0;
		if (read_territory(db, scope, targets, n_targets, &out[k], take_row, &w, NULL) <
		    0) {
			free(w.v);
			return -1;
		}
		out[k].n = w.n;
		out[k].v = arena_alloc(a, (w.n ? w.n : 1) * sizeof(*out[k].v));
		if (w.n)
			memcpy(out[k].v, w.v, w.n * sizeof(*w.v));
	}
	free(w.v);
	return 0;
}

int ind_arr_referral_rows_split(struct db *db, struct arena *a, const struct ind_scope *scope,
				const int64_t *territory_ids, size_t n,
				struct ind_referral_rows *out)
{
	memset(out, 0, n * sizeof(*out));
	for (size_t k = 0; k < n; k++) {
		out[k].end = ind_scope_as_of_end(scope);
		out[k].territory_id = territory_ids[k];
		out[k].sector_id = scope->sector_id;
		out[k].organisation_id = scope->organisation_id;
	}
	if (read_territories(db, a, scope, out, n) < 0)
		return -1;
	for (size_t k = 0; k < n; k++) {
		size_t j = 0;
		while (j < k && territory_ids[j] != territory_ids[k])
			j++;
		if (j < k) { /* a territory named twice: shared rows */
			out[k] = out[j];
		} else if (territory_ids[k] == 0) { /* every territory: the recursive read */
			struct ind_scope all = *scope;
			all.territory_id = 0;
			if (ind_arr_referral_rows(db, a, &all, &out[k]) < 0)
				return -1;
		}
	}
	return 0;
}

/* What ind_arr_trajectories_split reuses from one territory to the next
 * (malloc'd): the referrals at as_of (n of them, read straight from the
 * rows), their map and the organisations seen on a trajectory. */
struct traj_scratch {
	struct ind_referral *refs;
	size_t n, cap_refs;
	int64_t end; /* the as_of end the referrals are read at */
	int64_t *seen;
	size_t cap_seen; /* seen holds cap_seen + 1 */
	struct idmap map;
};

/* read_territory's take for the scratch (arg): the row as known at its
 * as_of end, appended to its referrals. */
static void take_ref(void *arg, const struct ind_referral_row *r)
{
	struct traj_scratch *w = arg;
	if (w->n == w->cap_refs) {
		w->cap_refs = w->cap_refs ? 2 * w->cap_refs : 4096;
		w->refs = grow_or_die(w->refs, w->cap_refs, sizeof(*w->refs));
	}
	referral_at(&w->refs[w->n++], r, w->end);
}

/* Room in w for the organisations of its n referrals and their map, the
 * map emptied. */
static void scratch_reserve(struct traj_scratch *w)
{
	if (w->n > w->cap_seen) {
		w->seen = grow_or_die(w->seen, w->n + 1, sizeof(*w->seen));
		w->cap_seen = w->n;
	}
	idmap_reset(&w->map, w->n);
}

static void scratch_free(struct traj_scratch *w)
{
	free(w->refs);
	free(w->seen);
	idmap_free(&w->map);
}

/* Territory territory_id's trajectories for scope at its as_of into out:
 * its rows read straight into w's referrals, linked there, and only the
 * list kept (in a). */
static int territory_trajectories(struct db *db, struct arena *a, const struct ind_scope *scope,
				  const struct corridor_target *targets, size_t n_targets,
				  int64_t territory_id, struct traj_scratch *w,
				  struct ind_arr_sent *sent, struct ind_trajectories *out)
{
	memset(out, 0, sizeof(*out));
	struct ind_referral_rows at = {.end = ind_scope_as_of_end(scope),
				       .territory_id = territory_id};
	w->n = 0;
	w->end = at.end;
	if (read_territory(db, scope, targets, n_targets, &at, take_ref, w, sent) < 0)
		return -1;
	size_t n = w->n;
	scratch_reserve(w);
	id_map_fill(&w->map, w->refs, n);
	size_t starts = link_refs(w->refs, n, &w->map);
	out->n_refs = n;
	out->list = arena_alloc(a, (starts ? starts : 1) * sizeof(*out->list));
	out->n = list_trajectories(w->refs, n, w->seen, out->list);
	return 0;
}

int ind_arr_trajectories_split(struct db *db, struct arena *a, const struct ind_scope *scope,
			       const int64_t *territory_ids, size_t n, struct ind_arr_sent *sent,
			       struct ind_trajectories *out)
{
	memset(out, 0, n * sizeof(*out));
	bool complete = sent != NULL;
	struct corridor_target *targets;
	size_t n_targets;
	if (load_targets(db, a, &targets, &n_targets) < 0)
		return -1;
	struct traj_scratch w = {0};
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < n; k++) {
		size_t j = 0;
		while (j < k && territory_ids[j] != territory_ids[k])
			j++;
		if (j < k) { /* a territory named twice: the same list */
			out[k] = out[j];
		} else if (territory_ids[k] == 0) { /* every territory: the recursive read */
			struct ind_scope all = *scope;
			all.territory_id = 0;
			rc = ind_arr_trajectories(db, a, &all, &out[k]);
			complete = false; /* read without listing the referrals */
		} else {
			rc = territory_trajectories(db, a, scope, targets, n_targets,
						    territory_ids[k], &w, sent, &out[k]);
		}
	}
	scratch_free(&w);
	if (sent)
		sent->complete = rc == 0 && complete && !sent->overflow;
	return rc;
}

/* ---- arr.delai_prise_en_charge ---- */

int ind_arr_delai(struct db *db, struct arena *a, const struct ind_scope *scope,
		  struct ind_arr_delai_result *out)
{
	struct ind_trajectories tr;
	if (ind_arr_trajectories(db, a, scope, &tr) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	ind_arr_delai_of(&tr, a, scope, out);
	return 0;
}

void ind_arr_delai_of(const struct ind_trajectories *trp, struct arena *a,
		      const struct ind_scope *scope, struct ind_arr_delai_result *out)
{
	const struct ind_trajectories tr = *trp;
	memset(out, 0, sizeof(*out));
	int64_t start = ind_scope_start(scope), end = ind_scope_end(scope);
	double *v = arena_alloc(a, (tr.n ? tr.n : 1) * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < tr.n; i++) {
		const struct ind_trajectory *t = &tr.list[i];
		/* last_taken is already 0 when after as_of. */
		if (!t->last_taken || t->last_taken < start || t->last_taken >= end)
			continue;
		double days = ptime_days_between(t->first_contact, t->last_taken);
		v[n++] = days;
		out->key_n += t->key;
		if (days <= t->last_target_days) {
			out->within_target++;
			out->key_within += tr.list[i].key;
		}
	}
	ind_stats_compute(v, n, &out->stats);
	out->pct_within = pct(out->within_target, n);
	out->target_met = out->stats.defined && out->stats.mean <= IND_ARR_DELAI_TARGET_DAYS;
}

/* ---- arr.taux_echappement ---- */

int ind_arr_echappement(struct db *db, struct arena *a, const struct ind_scope *scope,
			struct ind_arr_echappement_result *out)
{
	struct ind_trajectories tr;
	if (ind_arr_trajectories(db, a, scope, &tr) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	ind_arr_echappement_of(&tr, scope, out);
	return 0;
}

void ind_arr_echappement_of(const struct ind_trajectories *trp, const struct ind_scope *scope,
			    struct ind_arr_echappement_result *out)
{
	const struct ind_trajectories tr = *trp;
	memset(out, 0, sizeof(*out));
	int64_t start = ind_scope_start(scope), end = ind_scope_end(scope);
	int64_t as_of_day = ptime_days_from_civil(&scope->as_of);
	int w = scope->escape_window_days > 0 ? scope->escape_window_days : IND_DEFAULT_ESCAPE_DAYS;
	for (size_t i = 0; i < tr.n; i++) {
		const struct ind_trajectory *t = &tr.list[i];
		if (t->first_sent < start || t->first_sent >= end)
			continue;
		bool mature = true, escaped = false;
		if (t->last_taken) {
			escaped = false;
		} else if (outcome_closes(t->last_outcome)) {
			/* The last referral: no following referral by as_of. */
			escaped = true;
		} else {
			struct pdate d = ptime_local_date(t->last_sent);
			escaped = mature = as_of_day - ptime_days_from_civil(&d) > w;
		}
		if (!mature) {
			out->en_attente++;
			out->key_en_attente += t->key;
			continue;
		}
		out->mature++;
		out->key_mature += t->key;
		if (escaped) {
			out->escaped++;
			out->key_escaped += t->key;
		}
	}
	out->defined = out->mature > 0;
	out->value = pct(out->escaped, out->mature);
	out->target_met = out->defined && out->value < IND_ARR_ECHAPPEMENT_TARGET;
}

/* ---- arr.renvois_boucle ---- */

int ind_arr_boucle(struct db *db, struct arena *a, const struct ind_scope *scope,
		   struct ind_arr_boucle_result *out)
{
	struct ind_trajectories tr;
	if (ind_arr_trajectories(db, a, scope, &tr) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	ind_arr_boucle_of(&tr, scope, out);
	return 0;
}

void ind_arr_boucle_of(const struct ind_trajectories *trp, const struct ind_scope *scope,
		       struct ind_arr_boucle_result *out)
{
	const struct ind_trajectories tr = *trp;
	memset(out, 0, sizeof(*out));
	int64_t start = ind_scope_start(scope), end = ind_scope_end(scope);
	for (size_t i = 0; i < tr.n; i++) {
		int64_t sent = tr.list[i].first_sent;
		if (sent < start || sent >= end)
			continue;
		out->started++;
		out->key_started += tr.list[i].key;
		if (tr.list[i].loop) {
			out->loops++;
			out->key_loops += tr.list[i].key;
		}
	}
	out->pct = pct(out->loops, out->started);
}

/* ---- Positions and mandates ---- */

struct ind_arr_pos {
	int64_t id, sector_id;
	const char *ext_id, *sector_ext, *sector_name, *sector_name_en;
	int components;
	struct ind_mandate_item *items; /* sorted */
	size_t n_items;
};

/* The positions in scope filled at some time in [from, min(to, as_of)],
 * by id. With items: their mandate items too. 0 or -1. */
static int load_positions(struct db *db, struct arena *a, const struct ind_scope *scope,
			  bool with_items, struct ind_arr_pos **out, size_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	const struct pdate *last =
		ptime_date_cmp(&scope->as_of, &scope->to) < 0 ? &scope->as_of : &scope->to;
	char from[11], to[11];
	ptime_format_date(&scope->from, from);
	ptime_format_date(last, to);
	struct db_stmt *s = db_stmt(db, STMT_IND_ARR_POSITIONS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, scope->territory_id);
	db_bind_int64(s, 2, scope->sector_id);
	db_bind_int64(s, 3, scope->organisation_id);
	db_bind_text_copy(s, 4, from);
	db_bind_text_copy(s, 5, to);
	struct row_array rows = {0};
	struct ind_arr_pos *ps;
	while ((ps = row_next(db, s, a, &rows, sizeof(*ps), "ind_arr.positions"))) {
		ps->id = db_col_int64(s, 0);
		ps->ext_id = db_col_text(a, s, 1);
		ps->sector_id = db_col_int64(s, 2);
		ps->sector_ext = db_col_text(a, s, 3);
		ps->sector_name = db_col_text(a, s, 4);
		ps->components = db_col_int(s, 5);
		ps->sector_name_en = db_col_text(a, s, 6);
	}
	if (rows.rc < 0)
		return -1;
	struct ind_arr_pos *v = rows.v;
	size_t n = rows.n;
	if (with_items && n) {
		s = db_stmt(db, STMT_IND_ARR_MANDATE_ITEMS);
		if (!s)
			return -1;
		size_t k = 0, icap = 0;
		int rc;
		while ((rc = db_step(s)) == DB_ROW) {
			int64_t pid = db_col_int64(s, 0);
			/* Both lists are by position id: walk them together. */
			while (k < n && v[k].id < pid) {
				k++;
				icap = 0;
			}
			if (k == n)
				continue; /* read to the end, so the statement is done */
			if (v[k].id != pid)
				continue;
			struct ind_arr_pos *p = &v[k];
			p->items = arena_grow(a, p->items, p->n_items, &icap, sizeof(*p->items));
			p->items[p->n_items].population = db_col_text(a, s, 1);
			p->items[p->n_items].activity_type = db_col_text(a, s, 2);
			p->n_items++;
		}
		if (rc != DB_DONE) {
			db_log_error(db, "ind_arr.mandate_items");
			return -1;
		}
	}
	*out = v;
	*n_out = n;
	return 0;
}

/* The positions of scope, from memo when it holds them (read with their
 * items for both indicators), else read into it; without a memo, read
 * (with their items when with_items). 0 or -1. */
static int positions_of(struct db *db, struct arena *a, const struct ind_scope *scope,
			struct ind_arr_pos_memo *memo, bool with_items, struct ind_arr_pos **out,
			size_t *n)
{
	if (!memo)
		return load_positions(db, a, scope, with_items, out, n);
	const struct pdate *last =
		ptime_date_cmp(&scope->as_of, &scope->to) < 0 ? &scope->as_of : &scope->to;
	if (!memo->loaded || memo->territory_id != scope->territory_id ||
	    memo->sector_id != scope->sector_id ||
	    memo->organisation_id != scope->organisation_id ||
	    ptime_date_cmp(&memo->from, &scope->from) != 0 ||
	    ptime_date_cmp(&memo->last, last) != 0) {
		*memo = (struct ind_arr_pos_memo){.territory_id = scope->territory_id,
						  .sector_id = scope->sector_id,
						  .organisation_id = scope->organisation_id,
						  .from = scope->from,
						  .last = *last};
		if (load_positions(db, a, scope, true, &memo->v, &memo->n) < 0) {
			memset(memo, 0, sizeof(*memo));
			return -1;
		}
		memo->loaded = true;
	}
	*out = memo->v;
	*n = memo->n;
	return 0;
}

static int item_cmp(const struct ind_mandate_item *x, const struct ind_mandate_item *y)
{
	int c = strcmp(x->population, y->population);
	return c ? c : strcmp(x->activity_type, y->activity_type);
}

/* ---- arr.chevauchement_mandats ---- */

int ind_arr_chevauchement(struct db *db, struct arena *a, const struct ind_scope *scope,
			  struct ind_arr_pos_memo *memo, struct ind_arr_chevauchement_result *out)
{
	memset(out, 0, sizeof(*out));
	struct ind_arr_pos *p;
	size_t n;
	if (positions_of(db, a, scope, memo, true, &p, &n) < 0)
		return -1;
	out->positions = arena_alloc(a, (n ? n : 1) * sizeof(*out->positions));
	out->n_positions = n;
	for (size_t i = 0; i < n; i++)
		out->positions[i] = (struct ind_position_ref){
			.id = p[i].id, .sector_id = p[i].sector_id, .ext_id = p[i].ext_id};
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			if (p[i].sector_id == p[j].sector_id)
				continue;
			out->pairs++;
			/* Intersection of two sorted lists. */
			struct ind_mandate_item *shared = NULL;
			size_t ns = 0, scap = 0, x = 0, y = 0;
			while (x < p[i].n_items && y < p[j].n_items) {
				int c = item_cmp(&p[i].items[x], &p[j].items[y]);
				if (c < 0) {
					x++;
				} else if (c > 0) {
					y++;
				} else {
					shared = arena_grow(a, shared, ns, &scap, sizeof(*shared));
					shared[ns++] = p[i].items[x];
					x++;
					y++;
				}
			}
			if (!ns)
				continue;
			out->list = arena_grow(a, out->list, out->n_list, &cap, sizeof(*out->list));
			out->list[out->n_list++] = (struct ind_overlap_pair){
				.position_a = p[i].id,
				.position_b = p[j].id,
				.sector_a = p[i].sector_id,
				.sector_b = p[j].sector_id,
				.ext_a = p[i].ext_id,
				.ext_b = p[j].ext_id,
				.items = shared,
				.n_items = ns,
			};
		}
	}
	out->overlapping = out->n_list;
	out->defined = out->pairs > 0;
	out->value = pct(out->overlapping, out->pairs);
	return 0;
}

/* ---- arr.secteurs_cadre ---- */

static int cmp_sector(const void *x, const void *y)
{
	int64_t a = ((const struct ind_sector_ref *)x)->id,
		b = ((const struct ind_sector_ref *)y)->id;
	return a < b ? -1 : (a > b ? 1 : 0);
}

int ind_arr_secteurs_cadre(struct db *db, struct arena *a, const struct ind_scope *scope,
			   struct ind_arr_pos_memo *memo, struct ind_arr_secteurs_cadre_result *out)
{
	memset(out, 0, sizeof(*out));
	struct ind_arr_pos *p;
	size_t n;
	if (positions_of(db, a, scope, memo, false, &p, &n) < 0)
		return -1;
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		/* The CHECK on mandate_component allows only the three
		 * components, so three distinct ones are all of them. */
		if (p[i].components < 3)
			continue;
		bool dup = false;
		for (size_t k = 0; k < out->count && !dup; k++)
			dup = out->sectors[k].id == p[i].sector_id;
		if (dup)
			continue;
		out->sectors = arena_grow(a, out->sectors, out->count, &cap, sizeof(*out->sectors));
		out->sectors[out->count++] =
			(struct ind_sector_ref){.id = p[i].sector_id,
						.ext_id = p[i].sector_ext,
						.name = p[i].sector_name,
						.name_en = p[i].sector_name_en};
	}
	if (out->count > 1)
		qsort(out->sectors, out->count, sizeof(*out->sectors), cmp_sector);
	return 0;
}
