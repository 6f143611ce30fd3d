/* Activity indicators (model/ind_activity.h). One loader reads what a
 * scope needs from either source (aggregates or raw tables) into the same
 * in-memory sums, and one function derives every result from them, so the
 * two sources can only differ by what they read.
 *
 * Over the aggregates a period [first, last] is read as up to three ranges:
 * the days of its partial first month, the months it covers whole (the
 * aggregates' month grain, grain 'M'), the days of its partial last month.
 * The aggregates keep whole months only (migration 0022), so the days of a
 * partial month are read from the journal itself, through its territory or
 * author index. Sums add up across ranges; distinct ids are merged in
 * memory. */
#include "model/ind_activity.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/idmap.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/row.h"

enum {
	V_N,
	V_ADULTS,
	V_C05,
	V_C617,
	V_FAMILIES,
	V_NEW,
	V_NEW_PRO,
	V_HORS,
	V_DIRECT,
	V_DEP,
	V_INT,
	V_RED,
	V_PREP,
	V_CDN,
	V_CAN,
	V_CCN,
	V_CD6,
	V_CA6,
	V_CC6,
	V_TD6,
	V_TA6,
	V_TC6,
	/* Key sums of the counts of people (model/cellkey.h). */
	V_KADULTS,
	V_KC05,
	V_KC617,
	V_KFAMILIES,
	V_KNEW,
	V_KNEW_PRO,
	V_KHORS,
	V_COUNT
};

struct act_type_row {
	const char *type;
	int64_t v[V_COUNT];
};

struct act_code_row {
	const char *kind, *code;
	int64_t n;
};

/* Linked ids (families, partners) with their record key. */
struct act_id {
	int64_t id, key;
};
struct act_ids {
	struct act_id *v;
	size_t n, cap;
};

struct act_ref_row {
	const char *corridor, *sector;
	int64_t n;
};

/* What one scope read: sums by type, codes, distinct ids, referrals. */
struct act_data {
	struct act_type_row *types;
	size_t n_types, cap_types;
	struct act_code_row *codes;
	size_t n_codes, cap_codes;
	struct act_ids families, partners;
	struct act_ref_row *refs;
	size_t n_refs, cap_refs;
};

/* One range of a period: grain "M", whole months [from, to] as
 * 'YYYY-MM', read from the aggregates; grain "D", days as 'YYYY-MM-DD',
 * read from the journal (a partial month, or the raw source's period). */
struct act_range {
	const char *grain;
	char from[11], to[11];
};

/* The ranges to read for [first, last] (day numbers) over src: the raw
 * tables take one range; the aggregates split months. Returns the count. */
static size_t act_ranges(enum ind_act_source src, int64_t first, int64_t last,
			 struct act_range r[3])
{
	size_t n = 0;
	if (last < first)
		return 0;
	struct pdate f = ptime_civil_from_days(first), l = ptime_civil_from_days(last);
	if (src == IND_ACT_RAW) {
		r[0].grain = "D";
		ptime_format_date(&f, r[0].from);
		ptime_format_date(&l, r[0].to);
		return 1;
	}
	/* First whole month: f's month when f is its 1st, else the next. */
	struct pdate m1 = {f.year, f.month, 1};
	if (f.day != 1) {
		m1.month++;
		if (m1.month > 12) {
			m1.month = 1;
			m1.year++;
		}
	}
	/* Month after the last whole month: l's month if l is not its last day. */
	struct pdate next = ptime_civil_from_days(last + 1);
	struct pdate m2 = {next.year, next.month, 1}; /* exclusive */
	int64_t d1 = ptime_days_from_civil(&m1), d2 = ptime_days_from_civil(&m2);
	if (d1 >= d2) {
		r[0].grain = "D";
		ptime_format_date(&f, r[0].from);
		ptime_format_date(&l, r[0].to);
		return 1;
	}
	if (first < d1) {
		struct pdate e = ptime_civil_from_days(d1 - 1);
		r[n].grain = "D";
		ptime_format_date(&f, r[n].from);
		ptime_format_date(&e, r[n].to);
		n++;
	}
	struct pdate lm = ptime_civil_from_days(d2 - 1);
	char buf[11];
	r[n].grain = "M";
	ptime_format_date(&m1, buf);
	memcpy(r[n].from, buf, 7);
	r[n].from[7] = 0;
	ptime_format_date(&lm, buf);
	memcpy(r[n].to, buf, 7);
	r[n].to[7] = 0;
	n++;
	if (d2 <= last) {
		struct pdate b = ptime_civil_from_days(d2);
		r[n].grain = "D";
		ptime_format_date(&b, r[n].from);
		ptime_format_date(&l, r[n].to);
		n++;
	}
	return n;
}

static void bind_scope(struct db_stmt *st, const struct ind_scope *s, const struct act_range *r)
{
	db_bind_int64(st, 1, s->territory_id);
	db_bind_int64(st, 2, s->sector_id);
	db_bind_int64(st, 3, s->organisation_id);
	db_bind_int64(st, 4, s->author_id);
	db_bind_text(st, 5, r->grain);
	db_bind_text(st, 6, r->from);
	db_bind_text(st, 7, r->to);
}

/* The statements of one way of reading a range: sums by type, codes,
 * followed families, partners. */
struct act_reader {
	enum stmt_id types, codes, families, partners;
};

static const struct act_reader act_readers[] = {
	/* the raw tables (the reference) */
	{STMT_AGG_RAW_ACT, STMT_AGG_RAW_CODE, STMT_AGG_RAW_FAMILIES, STMT_AGG_RAW_PARTNERS},
	/* whole months, by author (the pap's "my work" over every territory) */
	{STMT_AGG_READ_ACT_AUTHOR, STMT_AGG_READ_CODE_AUTHOR, STMT_AGG_READ_LINK_AUTHOR,
	 STMT_AGG_READ_LINK_AUTHOR},
	/* whole months of a scope without an author: the organisation roll-ups */
	{STMT_AGG_READ_ORG_ACT, STMT_AGG_READ_ORG_CODE, STMT_AGG_READ_ORG_LINK,
	 STMT_AGG_READ_ORG_LINK},
	/* whole months, by territory */
	{STMT_AGG_READ_ACT, STMT_AGG_READ_CODE, STMT_AGG_READ_LINK, STMT_AGG_READ_LINK},
	/* the days of a partial month from the journal, by author */
	{STMT_AGG_DAYS_ACT_AUTHOR, STMT_AGG_DAYS_CODE_AUTHOR, STMT_AGG_DAYS_FAMILIES_AUTHOR,
	 STMT_AGG_DAYS_PARTNERS_AUTHOR},
	/* the days of a partial month from the journal, by territory */
	{STMT_AGG_DAYS_ACT, STMT_AGG_DAYS_CODE, STMT_AGG_DAYS_FAMILIES, STMT_AGG_DAYS_PARTNERS},
};

/* How range r of scope s is read from src. */
static const struct act_reader *reader_of(const struct ind_scope *s, enum ind_act_source src,
					  const struct act_range *r)
{
	bool by_author = s->author_id && !s->territory_id;
	if (src == IND_ACT_RAW)
		return &act_readers[0];
	if (strcmp(r->grain, "M") != 0)
		return &act_readers[by_author ? 4 : 5];
	if (by_author)
		return &act_readers[1];
	return &act_readers[s->author_id ? 3 : 2];
}

static int load_types(struct db *db, struct arena *ar, const struct ind_scope *s,
		      enum ind_act_source src, const struct act_range *r, struct act_data *d)
{
	struct db_stmt *st = db_stmt(db, reader_of(s, src, r)->types);
	if (!st)
		return -1;
	bind_scope(st, s, r);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *type = db_col_cstr(st, 0);
		struct act_type_row *row = NULL;
		for (size_t i = 0; i < d->n_types; i++)
			if (strcmp(d->types[i].type, type ? type : "") == 0)
				row = &d->types[i];
		if (!row) {
			d->types = arena_grow(ar, d->types, d->n_types, &d->cap_types,
					      sizeof(*d->types));
			row = &d->types[d->n_types++];
			memset(row, 0, sizeof(*row));
			row->type = arena_strdup(ar, type ? type : "");
		}
		for (int i = 0; i < V_COUNT; i++)
			row->v[i] += db_col_int64(st, 1 + i);
	}
	if (rc != DB_DONE) {
		db_log_error(db, "ind_act.types");
		return -1;
	}
	return 0;
}

static int load_codes(struct db *db, struct arena *ar, const struct ind_scope *s,
		      enum ind_act_source src, const struct act_range *r, struct act_data *d)
{
	struct db_stmt *st = db_stmt(db, reader_of(s, src, r)->codes);
	if (!st)
		return -1;
	bind_scope(st, s, r);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = db_col_cstr(st, 0);
		const char *code = db_col_cstr(st, 1);
		if (!kind)
			continue;
		if (!code)
			code = "";
		struct act_code_row *row = NULL;
		for (size_t i = 0; i < d->n_codes; i++)
			if (strcmp(d->codes[i].kind, kind) == 0 &&
			    strcmp(d->codes[i].code, code) == 0)
				row = &d->codes[i];
		if (!row) {
			d->codes = arena_grow(ar, d->codes, d->n_codes, &d->cap_codes,
					      sizeof(*d->codes));
			row = &d->codes[d->n_codes++];
			row->kind = arena_strdup(ar, kind);
			row->code = arena_strdup(ar, code);
			row->n = 0;
		}
		row->n += db_col_int64(st, 2);
	}
	if (rc != DB_DONE) {
		db_log_error(db, "ind_act.codes");
		return -1;
	}
	return 0;
}

static int load_ids(struct db *db, struct arena *ar, const struct ind_scope *s,
		    enum ind_act_source src, const struct act_range *r, const char *kind,
		    struct act_ids *ids)
{
	const struct act_reader *rd = reader_of(s, src, r);
	struct db_stmt *st = db_stmt(db, strcmp(kind, "family") == 0 ? rd->families : rd->partners);
	if (!st)
		return -1;
	bind_scope(st, s, r);
	db_bind_text(st, 8, kind);
	/* Appended to the ids the earlier ranges read. */
	struct row_array rows = {ids->v, ids->n, ids->cap, 0};
	struct act_id *id;
	while ((id = row_next(db, st, ar, &rows, sizeof(*id), "ind_act.links")))
		*id = (struct act_id){db_col_int64(st, 0), db_col_int64(st, 1)};
	ids->v = rows.v;
	ids->n = rows.n;
	ids->cap = rows.cap;
	return rows.rc;
}

/* Number of distinct ids of ids; *key gets the sum of their keys, each
 * id's first key in ids counted once. One pass through a set of the ids:
 * at scale 1 a comparison counts 500,000 family links, which a sort made a
 * visible part of it. */
static int64_t distinct_count(const struct act_ids *ids, int64_t *key)
{
	*key = 0;
	if (!ids->n)
		return 0;
	struct idmap seen = {0};
	idmap_reset(&seen, ids->n);
	for (size_t i = 0; i < ids->n; i++)
		if (idmap_put(&seen, ids->v[i].id, 0))
			*key += ids->v[i].key;
	int64_t n = (int64_t)idmap_count(&seen);
	idmap_free(&seen);
	return n;
}

static int load_referrals(struct db *db, struct arena *ar, const struct ind_scope *s, int64_t first,
			  int64_t last, struct act_data *d)
{
	if (last < first)
		return 0;
	struct pdate f = ptime_civil_from_days(first), e = ptime_civil_from_days(last + 1);
	struct db_stmt *st = db_stmt(db, s->territory_id      ? STMT_AGG_REFERRALS
					 : s->organisation_id ? STMT_AGG_REFERRALS_ORG
							      : STMT_AGG_REFERRALS_ALL);
	if (!st)
		return -1;
	db_bind_int64(st, 1, s->territory_id);
	db_bind_int64(st, 2, s->sector_id);
	db_bind_int64(st, 3, s->organisation_id);
	db_bind_int64(st, 4, s->author_id);
	db_bind_int64(st, 5, ptime_date_start(&f));
	db_bind_int64(st, 6, ptime_date_start(&e));
	struct row_array rows = {d->refs, d->n_refs, d->cap_refs, 0};
	struct act_ref_row *row;
	while ((row = row_next(db, st, ar, &rows, sizeof(*row), "ind_act.referrals"))) {
		row->corridor = db_col_text(ar, st, 0);
		row->sector = db_col_text(ar, st, 1);
		if (!row->corridor)
			row->corridor = "";
		if (!row->sector)
			row->sector = "";
		row->n = db_col_int64(st, 2);
	}
	d->refs = rows.v;
	d->n_refs = rows.n;
	d->cap_refs = rows.cap;
	return rows.rc;
}

enum {
	NEED_TYPES = 1,
	NEED_CODES = 2,
	NEED_FAMILIES = 4,
	NEED_PARTNERS = 8,
	NEED_REFERRALS = 16,
	NEED_ALL = 31
};

/* The effective period [from, min(to, as_of)] as day numbers. */
static void act_period(const struct ind_scope *s, int64_t *first, int64_t *last)
{
	*first = ptime_days_from_civil(&s->from);
	int64_t to = ptime_days_from_civil(&s->to), as_of = ptime_days_from_civil(&s->as_of);
	*last = to < as_of ? to : as_of;
}

static int act_load(struct db *db, struct arena *ar, const struct ind_scope *s,
		    enum ind_act_source src, int need, struct act_data *d)
{
	memset(d, 0, sizeof(*d));
	int64_t first, last;
	act_period(s, &first, &last);
	struct act_range r[3];
	size_t nr = act_ranges(src, first, last, r);
	for (size_t i = 0; i < nr; i++) {
		if ((need & NEED_TYPES) && load_types(db, ar, s, src, &r[i], d) < 0)
			return -1;
		if ((need & NEED_CODES) && load_codes(db, ar, s, src, &r[i], d) < 0)
			return -1;
		if ((need & NEED_FAMILIES) &&
		    load_ids(db, ar, s, src, &r[i], "family", &d->families) < 0)
			return -1;
		if ((need & NEED_PARTNERS) &&
		    load_ids(db, ar, s, src, &r[i], "partner", &d->partners) < 0)
			return -1;
	}
	if ((need & NEED_REFERRALS) && load_referrals(db, ar, s, first, last, d) < 0)
		return -1;
	return 0;
}

static double pct(double num, double den)
{
	return den > 0 ? num / den * 100.0 : 0.0;
}

static int cmp_code_value(const void *a, const void *b)
{
	const struct ind_code_value *x = a, *y = b;
	return strcmp(x->code, y->code);
}

static int cmp_ranked(const void *a, const void *b)
{
	const struct ind_code_value *x = a, *y = b;
	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* The codes of kind in d as a sorted breakdown. */
static struct ind_code_value *codes_of(struct arena *ar, const struct act_data *d, const char *kind,
				       size_t *n, int64_t *sum)
{
	size_t count = 0;
	for (size_t i = 0; i < d->n_codes; i++)
		if (strcmp(d->codes[i].kind, kind) == 0 && d->codes[i].n)
			count++;
	struct ind_code_value *v = arena_calloc(ar, count ? count : 1, sizeof(*v));
	size_t k = 0;
	int64_t total = 0;
	for (size_t i = 0; i < d->n_codes; i++)
		if (strcmp(d->codes[i].kind, kind) == 0 && d->codes[i].n) {
			v[k].code = d->codes[i].code;
			v[k].value = d->codes[i].n;
			total += d->codes[i].n;
			k++;
		}
	qsort(v, count, sizeof(*v), cmp_code_value);
	*n = count;
	if (sum)
		*sum = total;
	return v;
}

/* Adds value to the breakdown row code of (v, n), creating it. */
static void add_code(struct arena *ar, struct ind_code_value **v, size_t *n, size_t *cap,
		     const char *code, int64_t value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].code, code) == 0) {
			(*v)[i].value += value;
			return;
		}
	*v = arena_grow(ar, *v, *n, cap, sizeof(**v));
	(*v)[*n] = (struct ind_code_value){.code = code, .value = value};
	(*n)++;
}

static bool is_type(const char *t, const char *a)
{
	return strcmp(t, a) == 0;
}

/* The three components, in the order of the V_C*, V_T* sums. */
static const char *const act_components[3] = {"demarchage", "accompagnement", "collaboration"};

/* Sums d's activity types into sum (V_COUNT values) and fills what the
 * types give: activities by type, accompaniments, concertation and the
 * collective activities. */
static void act_fill_types(struct arena *ar, const struct act_data *d, int64_t *sum,
			   struct ind_act_all *o)
{
	size_t cap_type = 0, cap_coll = 0;
	struct ind_act_collectif_result *co = &o->collectif;
	for (size_t i = 0; i < d->n_types; i++) {
		const struct act_type_row *t = &d->types[i];
		if (!t->v[V_N])
			continue;
		for (int k = 0; k < V_COUNT; k++)
			sum[k] += t->v[k];
		add_code(ar, &o->activites.by_type, &o->activites.n_type, &cap_type, t->type,
			 t->v[V_N]);
		if (is_type(t->type, "accompagnement"))
			o->accompagnements.activities += t->v[V_N];
		if (is_type(t->type, "concertation"))
			o->partenaires.concertation += t->v[V_N];
		if (is_type(t->type, "intervention_groupe") ||
		    is_type(t->type, "activite_collective")) {
			co->activities += t->v[V_N];
			co->participants += t->v[V_ADULTS] + t->v[V_C05] + t->v[V_C617];
			co->key_participants += t->v[V_KADULTS] + t->v[V_KC05] + t->v[V_KC617];
			add_code(ar, &co->by_type, &co->n_type, &cap_coll, t->type, t->v[V_N]);
		}
	}
	if (o->activites.n_type)
		qsort(o->activites.by_type, o->activites.n_type, sizeof(struct ind_code_value),
		      cmp_code_value);
	if (co->n_type)
		qsort(co->by_type, co->n_type, sizeof(struct ind_code_value), cmp_code_value);
}

/* act.activites (components, strategies, places) and act.strategies. */
static void act_fill_activities(struct arena *ar, const struct act_data *d, const int64_t *sum,
				struct ind_act_all *o)
{
	struct ind_act_activites_result *a = &o->activites;
	a->total = sum[V_N];
	const int64_t whole[3] = {sum[V_CDN], sum[V_CAN], sum[V_CCN]};
	a->by_component = arena_calloc(ar, 3, sizeof(*a->by_component));
	for (int k = 0; k < 3; k++)
		if (whole[k]) {
			a->by_component[a->n_component].code = act_components[k];
			a->by_component[a->n_component].value = whole[k];
			a->n_component++;
		}
	a->by_strategy = codes_of(ar, d, "strategy", &a->n_strategy, NULL);
	a->by_place = codes_of(ar, d, "place", &a->n_place, NULL);

	struct ind_act_strategies_result *st = &o->strategies;
	st->activities = sum[V_N];
	st->n = a->n_strategy;
	st->by_strategy = arena_calloc(ar, st->n ? st->n : 1, sizeof(*st->by_strategy));
	for (size_t i = 0; i < st->n; i++) {
		st->by_strategy[i].code = a->by_strategy[i].code;
		st->by_strategy[i].value = a->by_strategy[i].value;
		st->by_strategy[i].pct = pct((double)a->by_strategy[i].value, (double)sum[V_N]);
	}
}

/* The people reached: act.personnes_rejointes, act.familles_rejointes,
 * act.nouveaux_contacts and act.hors_reseau. */
static void act_fill_people(struct arena *ar, const struct act_data *d, const int64_t *sum,
			    struct ind_act_all *o)
{
	struct ind_act_personnes_result *p = &o->personnes;
	p->adults = sum[V_ADULTS];
	p->children_0_5 = sum[V_C05];
	p->children_6_17 = sum[V_C617];
	p->total = p->adults + p->children_0_5 + p->children_6_17;
	p->n_age = 3;
	p->by_age = arena_calloc(ar, 3, sizeof(*p->by_age));
	p->by_age[0] = (struct ind_code_value){"adultes", p->adults, sum[V_KADULTS]};
	p->by_age[1] = (struct ind_code_value){"enfants_0_5", p->children_0_5, sum[V_KC05]};
	p->by_age[2] = (struct ind_code_value){"enfants_6_17", p->children_6_17, sum[V_KC617]};
	p->key = sum[V_KADULTS] + sum[V_KC05] + sum[V_KC617];

	struct act_ids fam = d->families;
	struct ind_act_familles_result *fa = &o->familles;
	fa->followed = distinct_count(&fam, &fa->key_followed);
	fa->anonymous = sum[V_FAMILIES];
	fa->key_anonymous = sum[V_KFAMILIES];
	fa->total = fa->followed + fa->anonymous;
	fa->key = fa->key_followed + fa->key_anonymous;

	o->nouveaux.total = sum[V_NEW];
	o->nouveaux.proactive = sum[V_NEW_PRO];
	o->nouveaux.pct_proactive = pct((double)sum[V_NEW_PRO], (double)sum[V_NEW]);
	o->nouveaux.key = sum[V_KNEW];
	o->nouveaux.key_proactive = sum[V_KNEW_PRO];

	o->hors_reseau.total = sum[V_HORS];
	o->hors_reseau.key = sum[V_KHORS];
	o->hors_reseau.key_people = p->key;
	o->hors_reseau.people = p->total;
	o->hors_reseau.defined = p->total > 0;
	o->hors_reseau.pct = pct((double)sum[V_HORS], (double)p->total);
}

/* The time: act.temps (direct, indirect by kind, the multiplier) and
 * act.composantes (activities and minutes shared among the components). */
static void act_fill_time(struct arena *ar, const int64_t *sum, struct ind_act_all *o)
{
	struct ind_act_temps_result *t = &o->temps;
	t->direct = sum[V_DIRECT];
	t->deplacement = sum[V_DEP];
	t->interprete = sum[V_INT];
	t->redaction = sum[V_RED];
	t->preparation = sum[V_PREP];
	t->indirect = t->deplacement + t->interprete + t->redaction + t->preparation;
	t->total = t->direct + t->indirect;
	t->defined = t->direct > 0;
	t->multiplier = t->defined ? (double)t->total / (double)t->direct : 0.0;
	t->n_kind = 4;
	t->indirect_by_kind = arena_calloc(ar, 4, sizeof(*t->indirect_by_kind));
	t->indirect_by_kind[0] = (struct ind_code_value){"deplacement", t->deplacement, 0};
	t->indirect_by_kind[1] = (struct ind_code_value){"interprete", t->interprete, 0};
	t->indirect_by_kind[2] = (struct ind_code_value){"redaction", t->redaction, 0};
	t->indirect_by_kind[3] = (struct ind_code_value){"preparation", t->preparation, 0};

	struct ind_act_composantes_result *c = &o->composantes;
	c->activities = sum[V_N];
	c->minutes = t->total;
	const int64_t six[3] = {sum[V_CD6], sum[V_CA6], sum[V_CC6]};
	const int64_t tsix[3] = {sum[V_TD6], sum[V_TA6], sum[V_TC6]};
	double assigned = 0, assigned_min = 0;
	for (int k = 0; k < 3; k++) {
		c->comp[k].code = act_components[k];
		c->comp[k].activities = (double)six[k] / 6.0;
		c->comp[k].minutes = (double)tsix[k] / 6.0;
		c->comp[k].pct_activities = pct(c->comp[k].activities, (double)c->activities);
		c->comp[k].pct_time = pct(c->comp[k].minutes, (double)c->minutes);
		assigned += c->comp[k].activities;
		assigned_min += c->comp[k].minutes;
	}
	c->unassigned = (double)c->activities - assigned;
	c->unassigned_minutes = (double)c->minutes - assigned_min;
}

/* act.accompagnements: the referrals sent, by corridor and by sector. */
static void act_fill_referrals(struct arena *ar, const struct act_data *d, struct ind_act_all *o)
{
	struct ind_act_accompagnements_result *ac = &o->accompagnements;
	size_t cap_c = 0, cap_s = 0;
	for (size_t i = 0; i < d->n_refs; i++) {
		ac->referrals_sent += d->refs[i].n;
		add_code(ar, &ac->by_corridor, &ac->n_corridor, &cap_c, d->refs[i].corridor,
			 d->refs[i].n);
		add_code(ar, &ac->by_sector, &ac->n_sector, &cap_s, d->refs[i].sector,
			 d->refs[i].n);
	}
	if (ac->n_corridor)
		qsort(ac->by_corridor, ac->n_corridor, sizeof(struct ind_code_value),
		      cmp_code_value);
	if (ac->n_sector)
		qsort(ac->by_sector, ac->n_sector, sizeof(struct ind_code_value), cmp_code_value);
}

/* Derives every result from d. */
static void act_fill(struct arena *ar, const struct act_data *d, struct ind_act_all *o)
{
	memset(o, 0, sizeof(*o));
	int64_t sum[V_COUNT] = {0};
	act_fill_types(ar, d, sum, o);
	act_fill_activities(ar, d, sum, o);
	act_fill_people(ar, d, sum, o);
	act_fill_time(ar, sum, o);
	act_fill_referrals(ar, d, o);

	/* act.besoins */
	o->besoins.ranked = codes_of(ar, d, "need", &o->besoins.n, &o->besoins.mentions);
	qsort(o->besoins.ranked, o->besoins.n, sizeof(struct ind_code_value), cmp_ranked);

	/* act.partenaires */
	struct act_ids par = d->partners;
	int64_t unused;
	o->partenaires.partners = distinct_count(&par, &unused);

	/* act.retombees */
	o->retombees.by_outcome =
		codes_of(ar, d, "outcome", &o->retombees.n, &o->retombees.mentions);
}

/* Loads need from src and derives every result (only those fed by need
 * are meaningful). */
static int act_compute(struct db *db, struct arena *ar, const struct ind_scope *s,
		       enum ind_act_source src, int need, struct ind_act_all *out)
{
	struct act_data d;
	if (act_load(db, ar, s, src, need, &d) < 0) {
		act_fill(ar, &(struct act_data){0}, out);
		return -1;
	}
	act_fill(ar, &d, out);
	return 0;
}

int ind_act_compute_all(struct db *db, struct arena *ar, const struct ind_scope *s,
			enum ind_act_source src, struct ind_act_all *out)
{
	return act_compute(db, ar, s, src, NEED_ALL, out);
}

static int cmp_author_row(const void *a, const void *b)
{
	int64_t x = ((const struct ind_act_author_row *)a)->author_id,
		y = ((const struct ind_act_author_row *)b)->author_id;
	return x < y ? -1 : (x > y ? 1 : 0);
}

int ind_act_by_author(struct db *db, struct arena *ar, const struct ind_scope *s,
		      struct ind_act_author_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct ind_scope all = *s;
	all.author_id = 0;
	int64_t first, last;
	act_period(&all, &first, &last);
	struct act_range r[3];
	size_t nr = act_ranges(IND_ACT_AGGREGATES, first, last, r);
	struct ind_act_author_row *rows = NULL;
	size_t cnt = 0, cap = 0;
	for (size_t i = 0; i < nr; i++) {
		struct db_stmt *st =
			db_stmt(db, strcmp(r[i].grain, "M") == 0 ? STMT_AGG_READ_BY_AUTHOR
								 : STMT_AGG_DAYS_BY_AUTHOR);
		if (!st)
			return -1;
		bind_scope(st, &all, &r[i]);
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			int64_t id = db_col_int64(st, 0);
			struct ind_act_author_row *row = NULL;
			for (size_t k = 0; k < cnt && !row; k++)
				if (rows[k].author_id == id)
					row = &rows[k];
			if (!row) {
				rows = arena_grow(ar, rows, cnt, &cap, sizeof(*rows));
				row = &rows[cnt++];
				*row = (struct ind_act_author_row){.author_id = id};
			}
			row->activities += db_col_int64(st, 1);
			row->direct_min += db_col_int64(st, 2);
			row->total_min += db_col_int64(st, 3);
		}
		if (rc != DB_DONE) {
			db_log_error(db, "ind_act.by_author");
			return -1;
		}
	}
	if (cnt)
		qsort(rows, cnt, sizeof(*rows), cmp_author_row);
	*out = rows;
	*n = cnt;
	return 0;
}

/* The body of each public function: compute what it needs over the
 * aggregates, copy its part, zero it on error. */
#define IND_ACT_ONE(name, field, need)                                                 \
	int ind_act_##name(struct db *db, struct arena *ar, const struct ind_scope *s, \
			   struct ind_act_##name##_result *out)                        \
	{                                                                              \
		struct ind_act_all all;                                                \
		int r = act_compute(db, ar, s, IND_ACT_AGGREGATES, need, &all);        \
		*out = all.field;                                                      \
		if (r < 0)                                                             \
			memset(out, 0, sizeof(*out));                                  \
		return r;                                                              \
	}

IND_ACT_ONE(activites, activites, NEED_TYPES | NEED_CODES)
IND_ACT_ONE(personnes, personnes, NEED_TYPES)
IND_ACT_ONE(familles, familles, NEED_TYPES | NEED_FAMILIES)
IND_ACT_ONE(nouveaux, nouveaux, NEED_TYPES)
IND_ACT_ONE(hors_reseau, hors_reseau, NEED_TYPES)
IND_ACT_ONE(temps, temps, NEED_TYPES)
IND_ACT_ONE(composantes, composantes, NEED_TYPES)
IND_ACT_ONE(strategies, strategies, NEED_TYPES | NEED_CODES)
IND_ACT_ONE(besoins, besoins, NEED_CODES)
IND_ACT_ONE(accompagnements, accompagnements, NEED_TYPES | NEED_REFERRALS)
IND_ACT_ONE(collectif, collectif, NEED_TYPES)
IND_ACT_ONE(partenaires, partenaires, NEED_TYPES | NEED_PARTNERS)
IND_ACT_ONE(retombees, retombees, NEED_CODES)

/* ---- sums filled by another reader (ind_activity.h) ---- */

_Static_assert(IND_ACT_N_VALUES == V_COUNT, "IND_ACT_N_VALUES is the count of V_*");

struct ind_act_sums {
	struct act_data d;
};

/* See ind_activity.h. */
struct ind_act_sums *ind_act_sums_new(struct arena *ar)
{
	return arena_calloc(ar, 1, sizeof(struct ind_act_sums));
}

/* See ind_activity.h. */
void ind_act_sums_add_type(struct arena *ar, struct ind_act_sums *s, const char *type,
			   const int64_t *v)
{
	struct act_data *d = &s->d;
	if (!type)
		type = "";
	struct act_type_row *row = NULL;
	for (size_t i = 0; i < d->n_types && !row; i++)
		if (strcmp(d->types[i].type, type) == 0)
			row = &d->types[i];
	if (!row) {
		d->types = arena_grow(ar, d->types, d->n_types, &d->cap_types, sizeof(*d->types));
		row = &d->types[d->n_types++];
		memset(row, 0, sizeof(*row));
		row->type = type;
	}
	for (int i = 0; i < V_COUNT; i++)
		row->v[i] += v[i];
}

/* See ind_activity.h. */
void ind_act_sums_add_code(struct arena *ar, struct ind_act_sums *s, const char *kind,
			   const char *code, int64_t n)
{
	struct act_data *d = &s->d;
	if (!code)
		code = "";
	for (size_t i = 0; i < d->n_codes; i++)
		if (strcmp(d->codes[i].kind, kind) == 0 && strcmp(d->codes[i].code, code) == 0) {
			d->codes[i].n += n;
			return;
		}
	d->codes = arena_grow(ar, d->codes, d->n_codes, &d->cap_codes, sizeof(*d->codes));
	d->codes[d->n_codes++] = (struct act_code_row){.kind = kind, .code = code, .n = n};
}

/* See ind_activity.h. */
void ind_act_sums_add_id(struct arena *ar, struct ind_act_sums *s, bool family, int64_t id,
			 int64_t key)
{
	struct act_ids *ids = family ? &s->d.families : &s->d.partners;
	ids->v = arena_grow(ar, ids->v, ids->n, &ids->cap, sizeof(*ids->v));
	ids->v[ids->n++] = (struct act_id){id, key};
}

/* See ind_activity.h. */
void ind_act_sums_add_referrals(struct arena *ar, struct ind_act_sums *s, const char *corridor,
				const char *sector, int64_t n)
{
	struct act_data *d = &s->d;
	d->refs = arena_grow(ar, d->refs, d->n_refs, &d->cap_refs, sizeof(*d->refs));
	d->refs[d->n_refs++] = (struct act_ref_row){
		.corridor = corridor ? corridor : "", .sector = sector ? sector : "", .n = n};
}

/* See ind_activity.h. */
void ind_act_sums_result(struct arena *ar, struct ind_act_sums *s, struct ind_act_all *out)
{
	act_fill(ar, &s->d, out);
}
