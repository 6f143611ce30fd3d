/* Aggregate maintenance (model/aggregate.h). Each change is three upserts
 * (counts, codes, links) into the author's month and three into the
 * organisation-month roll-ups, then the rows it emptied are dropped, so the
 * tables hold no zero rows and equal a recomputation. */
#include "model/aggregate.h"

#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/cellkey.h"
#include "model/trajectory.h"

/* Runs a statement that returns no row, with ?1 = id and ?2 = sign. */
static int run(struct db *db, enum stmt_id sid, int64_t id, int sign, const char *event)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	if (sign)
		db_bind_int(s, 2, sign);
	if (db_step(s) != DB_DONE) {
		db_log_error(db, event);
		return -1;
	}
	return 0;
}

/* Drops the rows emptied in the activity's month. */
static int prune(struct db *db, const char *date, int64_t territory)
{
	static const enum stmt_id ids[] = {STMT_AGG_PRUNE_ACT,      STMT_AGG_PRUNE_CODE,
					   STMT_AGG_PRUNE_LINK,     STMT_AGG_PRUNE_ORG_ACT,
					   STMT_AGG_PRUNE_ORG_CODE, STMT_AGG_PRUNE_ORG_LINK};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct db_stmt *s = db_stmt(db, ids[i]);
		if (!s)
			return -1;
		db_bind_text_copy(s, 1, date);
		db_bind_int64(s, 2, territory);
		if (db_step(s) != DB_DONE) {
			db_log_error(db, "agg.prune");
			return -1;
		}
	}
	return 0;
}

static int apply(struct db *db, int64_t id, int sign)
{
	if (run(db, STMT_AGG_APPLY_ACT, id, sign, "agg.apply_act") < 0 ||
	    run(db, STMT_AGG_APPLY_CODE, id, sign, "agg.apply_code") < 0 ||
	    run(db, STMT_AGG_APPLY_LINK, id, sign, "agg.apply_link") < 0 ||
	    run(db, STMT_AGG_APPLY_ORG_ACT, id, sign, "agg.apply_org_act") < 0 ||
	    run(db, STMT_AGG_APPLY_ORG_CODE, id, sign, "agg.apply_org_code") < 0 ||
	    run(db, STMT_AGG_APPLY_ORG_LINK, id, sign, "agg.apply_org_link") < 0)
		return -1;
	return 0;
}

int agg_activity_add(struct db *db, int64_t id)
{
	return apply(db, id, 1);
}

int agg_activity_remove(struct db *db, int64_t id)
{
	struct db_stmt *s = db_stmt(db, STMT_AGG_ACT_DATE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_DONE)
		return 0; /* absent or deleted: not aggregated */
	if (rc != DB_ROW) {
		db_log_error(db, "agg.remove");
		return -1;
	}
	char date[16] = {0};
	const char *t = db_col_cstr(s, 0);
	for (size_t i = 0; t && t[i] && i + 1 < sizeof(date); i++)
		date[i] = t[i];
	int64_t territory = db_col_int64(s, 1);
	db_reset(s);
	if (apply(db, id, -1) < 0)
		return -1;
	return prune(db, date, territory);
}

/* ---- A new activity, from its values in memory (agg_activity_add_new).
 * Each function mirrors a part of STMT_AGG_APPLY_* (db/stmt_aggregates.def);
 * the property test of tests/unit/test_aggregates.c holds them equal to
 * agg_rebuild. */

/* Its counts by component: how many of its stored components are
 * demarchage, accompagnement, collaboration, and how many in all. */
struct comp_counts {
	int64_t k, kd, ka, kc;
};

static struct comp_counts count_components(const struct strlist *l)
{
	struct comp_counts c = {.k = (int64_t)l->n};
	for (size_t i = 0; i < l->n; i++) {
		c.kd += strcmp(l->v[i], "demarchage") == 0;
		c.ka += strcmp(l->v[i], "accompagnement") == 0;
		c.kc += strcmp(l->v[i], "collaboration") == 0;
	}
	return c;
}

/* (key * count) mod the key range: AGG_KEY_TIMES. */
static int64_t key_times(int64_t ckey, int64_t count)
{
	return (ckey * count) % CELLKEY_RANGE;
}

/* AGG_X, AGG_Y and z for one activity. An activity always has at least one
 * stored component when its type has a default one (activity_save adds
 * it), so the type lists of AGG_Y's "k = 0" branch count nothing here:
 * their types all have a default component. */
void agg_activity_values(const struct activity *a, const struct strlist *components, int64_t ckey,
			 int64_t v[AGG_NVALS])
{
	struct comp_counts c = count_components(components);
	int64_t proactive =
		a->initiated_by && strcmp(a->initiated_by, "pap") == 0 ? a->new_contacts : 0;
	int64_t mins = a->duration_min + activity_indirect(a);
	int64_t share = c.k > 0 ? 6 / c.k : 0; /* integer division, as in SQL */
	int64_t cd6 = c.kd * share, ca6 = c.ka * share, cc6 = c.kc * share;
	int64_t vals[AGG_NVALS] = {
		1,
		a->adults,
		a->children_0_5,
		a->children_6_17,
		a->families,
		a->new_contacts,
		proactive,
		a->hors_reseau,
		a->duration_min,
		a->ind_deplacement,
		a->ind_interprete,
		a->ind_redaction,
		a->ind_preparation,
		c.kd,
		c.ka,
		c.kc,
		cd6,
		ca6,
		cc6,
		mins * cd6,
		mins * ca6,
		mins * cc6,
		key_times(ckey, a->adults),
		key_times(ckey, a->children_0_5),
		key_times(ckey, a->children_6_17),
		key_times(ckey, a->families),
		key_times(ckey, a->new_contacts),
		key_times(ckey, proactive),
		key_times(ckey, a->hors_reseau),
	};
	memcpy(v, vals, sizeof(vals));
}

/* Where one activity counts: its month, its territory, organisation and
 * author. */
struct agg_where {
	const struct activity *a;
	char month[8];
};

/* Binds ?1..?5 of an agg_act* statement: the month grain, the only one
 * stored (migration 0022). */
static void bind_key(struct db_stmt *s, const struct agg_where *w)
{
	db_bind_text(s, 1, "M");
	db_bind_int64(s, 2, w->a->territory_id);
	db_bind_text(s, 3, w->month);
	db_bind_int64(s, 4, w->a->organisation_id);
	db_bind_int64(s, 5, w->a->author_id);
}

/* Binds ?1..?3 of an agg_org_* statement. */
static void bind_org_key(struct db_stmt *s, const struct agg_where *w)
{
	db_bind_int64(s, 1, w->a->territory_id);
	db_bind_text(s, 2, w->month);
	db_bind_int64(s, 3, w->a->organisation_id);
}

/* Steps a statement that returns no row. 0 or -1 (logged). */
static int done(struct db *db, struct db_stmt *s, const char *event)
{
	if (db_step(s) == DB_DONE)
		return 0;
	db_log_error(db, event);
	return -1;
}

/* The activity's values in the author's and the organisation's month. */
static int add_act(struct db *db, const struct agg_where *w, const int64_t v[AGG_NVALS])
{
	struct db_stmt *s = db_stmt(db, STMT_AGG_ADD_ACT);
	if (!s)
		return -1;
	bind_key(s, w);
	db_bind_text(s, 6, w->a->type);
	for (int i = 0; i < AGG_NVALS; i++)
		db_bind_int64(s, 7 + i, v[i]);
	if (done(db, s, "agg.add_act") < 0)
		return -1;
	s = db_stmt(db, STMT_AGG_ADD_ORG_ACT);
	if (!s)
		return -1;
	bind_org_key(s, w);
	db_bind_text(s, 4, w->a->type);
	for (int i = 0; i < AGG_NVALS; i++)
		db_bind_int64(s, 5 + i, v[i]);
	return done(db, s, "agg.add_org_act");
}

/* One code in the author's and the organisation's month. */
static int add_code(struct db *db, const struct agg_where *w, const char *kind, const char *code)
{
	struct db_stmt *s = db_stmt(db, STMT_AGG_ADD_CODE);
	if (!s)
		return -1;
	bind_key(s, w);
	db_bind_text(s, 6, kind);
	db_bind_text(s, 7, code);
	if (done(db, s, "agg.add_code") < 0)
		return -1;
	s = db_stmt(db, STMT_AGG_ADD_ORG_CODE);
	if (!s)
		return -1;
	bind_org_key(s, w);
	db_bind_text(s, 4, kind);
	db_bind_text(s, 5, code);
	return done(db, s, "agg.add_org_code");
}

/* Each code of a list, of one kind. */
static int add_codes(struct db *db, const struct agg_where *w, const char *kind,
		     const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (add_code(db, w, kind, l->v[i]) < 0)
			return -1;
	return 0;
}

/* One link in the author's and the organisation's month. */
static int add_link(struct db *db, const struct agg_where *w, const char *kind, int64_t ref,
		    int64_t ckey)
{
	struct db_stmt *s = db_stmt(db, STMT_AGG_ADD_LINK);
	if (!s)
		return -1;
	bind_key(s, w);
	db_bind_text(s, 6, kind);
	db_bind_int64(s, 7, ref);
	db_bind_int64(s, 8, ckey);
	if (done(db, s, "agg.add_link") < 0)
		return -1;
	s = db_stmt(db, STMT_AGG_ADD_ORG_LINK);
	if (!s)
		return -1;
	bind_org_key(s, w);
	db_bind_text(s, 4, kind);
	db_bind_int64(s, 5, ref);
	db_bind_int64(s, 6, ckey);
	return done(db, s, "agg.add_org_link");
}

int agg_family_ckey(struct db *db, int64_t id, int64_t *out)
{
	struct db_stmt *s = db_stmt(db, STMT_AGG_FAMILY_CKEY);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	*out = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc == DB_ERROR) {
		db_log_error(db, "agg.family_ckey");
		return -1;
	}
	return 0;
}

/* The followed families (with their record key) and the partners (key 0). */
static int add_links(struct db *db, const struct agg_where *w)
{
	const struct activity *a = w->a;
	for (size_t i = 0; i < a->family_ids.n; i++) {
		int64_t ckey;
		if (agg_family_ckey(db, a->family_ids.v[i], &ckey) < 0 ||
		    add_link(db, w, "family", a->family_ids.v[i], ckey) < 0)
			return -1;
	}
	for (size_t i = 0; i < a->partner_ids.n; i++)
		if (add_link(db, w, "partner", a->partner_ids.v[i], 0) < 0)
			return -1;
	return 0;
}

int agg_activity_add_new(struct db *db, const struct activity *a, const struct strlist *components,
			 int64_t ckey)
{
	struct agg_where w = {.a = a};
	if (!a->date || strlen(a->date) < 7)
		return -1;
	memcpy(w.month, a->date, 7);
	w.month[7] = 0;
	int64_t v[AGG_NVALS];
	agg_activity_values(a, components, ckey, v);
	const char *place = a->place ? a->place : "";
	if (add_act(db, &w, v) < 0 || add_codes(db, &w, "strategy", &a->strategies) < 0 ||
	    add_codes(db, &w, "need", &a->needs) < 0 ||
	    add_codes(db, &w, "outcome", &a->outcomes) < 0 ||
	    add_code(db, &w, "place", place) < 0 || add_links(db, &w) < 0)
		return -1;
	return 0;
}

int agg_activity_max_id(struct db *db, int64_t *out)
{
	struct db_stmt *s = db_stmt(db, STMT_AGG_MAX_ACTIVITY);
	if (!s)
		return -1;
	int rc = db_step(s);
	*out = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		db_log_error(db, "agg.max_id");
		return -1;
	}
	return 0;
}

int agg_rebuild(struct db *db)
{
	static const enum stmt_id ids[] = {
		STMT_AGG_CLEAR_ACT,       STMT_AGG_CLEAR_CODE,       STMT_AGG_CLEAR_LINK,
		STMT_AGG_REBUILD_ACT,     STMT_AGG_REBUILD_STRATEGY, STMT_AGG_REBUILD_NEED,
		STMT_AGG_REBUILD_OUTCOME, STMT_AGG_REBUILD_PLACE,    STMT_AGG_REBUILD_FAMILY,
		STMT_AGG_REBUILD_PARTNER, STMT_AGG_CLEAR_ORG_ACT,    STMT_AGG_CLEAR_ORG_CODE,
		STMT_AGG_CLEAR_ORG_LINK,  STMT_AGG_ROLLUP_ORG_ACT,   STMT_AGG_ROLLUP_ORG_CODE,
		STMT_AGG_ROLLUP_ORG_LINK};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct db_stmt *s = db_stmt(db, ids[i]);
		if (!s)
			return -1;
		if (db_step(s) != DB_DONE) {
			db_log_error(db, "agg.rebuild");
			return -1;
		}
	}
	log_info("agg.rebuild", "aggregates rebuilt");
	return 0;
}

static enum db_unit_verdict reindex_unit(struct db *db, void *arg)
{
	(void)arg;
	return cellkey_backfill(db) >= 0 && agg_rebuild(db) == 0 && trajectory_rebuild(db) == 0
		       ? DB_UNIT_KEEP
		       : DB_UNIT_DISCARD;
}

int agg_reindex(struct db *db)
{
	return db_unit_run(db, reindex_unit, NULL, NULL) == DB_UNIT_COMMITTED ? 0 : -1;
}
