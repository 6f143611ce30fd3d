/* The directory of positions and mandates (see directory.h). */
#include "model/directory.h"

#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/indicator.h"
#include "model/lookup.h"
#include "model/refdata.h"
#include "model/row.h"

/* ---- Territories and who sees them ---- */

/* ---- Organisations and portrait ---- */

int directory_organisations(struct db *db, struct arena *a, int64_t territory_id,
			    struct dir_org **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_DIR_ORGS_ON_TERRITORY);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	struct row_array rows = {0};
	struct dir_org *o;
	while ((o = row_next(db, s, a, &rows, sizeof(*o), "directory.organisations"))) {
		o->id = db_col_int64(s, 0);
		o->ext_id = db_col_text(a, s, 1);
		o->name = db_col_text(a, s, 2);
		o->sector_name = db_col_text(a, s, 3);
		o->sector_name_en = db_col_text(a, s, 4);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int directory_organisation_id(struct db *db, const char *ext_id, int64_t *id)
{
	return lookup_id(db, STMT_DIR_ORG_BY_EXT, ext_id, "directory.organisation_id", id);
}

int directory_portrait(struct db *db, struct arena *a, int64_t territory_id,
		       struct dir_portrait **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_DIR_PORTRAIT_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	struct row_array rows = {0};
	struct dir_portrait *p;
	while ((p = row_next(db, s, a, &rows, sizeof(*p), "directory.portrait"))) {
		const char *ind = db_col_cstr(s, 0);
		/* Rows come latest first within an indicator: keep the first. */
		if (rows.n > 1 && ind && strcmp(p[-1].indicator, ind) == 0) {
			row_drop(&rows);
			continue;
		}
		p->indicator = db_col_text(a, s, 0);
		p->label = db_col_text(a, s, 1);
		p->value = db_col_double(s, 2);
		p->unit = db_col_text(a, s, 3);
		p->period_end = db_col_text(a, s, 4);
		p->source = db_col_text(a, s, 5);
		p->label_en = db_col_text(a, s, 6);
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* ---- Positions ---- */

bool directory_meets_framework(const struct strlist *components)
{
	static const char *const need[] = {"demarchage", "accompagnement", "collaboration"};
	for (size_t k = 0; k < ARRAY_LEN(need); k++) {
		bool has = false;
		for (size_t i = 0; i < components->n && !has; i++)
			has = strcmp(components->v[i], need[k]) == 0;
		if (!has)
			return false;
	}
	return true;
}

/* Reads a STMT_DIR_POSITIONS row into p (strings in a; details empty). */
static void read_position_row(struct arena *a, struct db_stmt *s, struct dir_position *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int64(s, 0);
	p->ext_id = db_col_text(a, s, 1);
	p->organisation_id = db_col_int64(s, 2);
	p->org_ext = db_col_text(a, s, 3);
	p->org_name = db_col_text(a, s, 4);
	p->sector_id = db_col_int64(s, 5);
	p->sector_ext = db_col_text(a, s, 6);
	p->sector_name = db_col_text(a, s, 7);
	p->territory_id = db_col_int64(s, 8);
	p->start = db_col_text(a, s, 9);
	p->end = db_col_text(a, s, 10);
	p->contact = db_col_text(a, s, 11);
	p->sector_name_en = db_col_text(a, s, 12);
}

/* True when date is within [from, to] (to NULL = open); false without from. */
static bool covers(const char *from, const char *to, const char *date)
{
	return from && strcmp(from, date) <= 0 && (!to || strcmp(to, date) >= 0);
}

/* Holders, components and items of p; the holder on date. */
static int read_position_details(struct db *db, struct arena *a, struct dir_position *p,
				 const char *date)
{
	struct db_stmt *s = db_stmt(db, STMT_DIR_HOLDERS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->id);
	struct row_array holders = {0};
	struct dir_holder *h;
	while ((h = row_next(db, s, a, &holders, sizeof(*h), "directory.position_details"))) {
		h->person_id = db_col_int64(s, 0);
		h->name = db_col_text(a, s, 1);
		h->from = db_col_text(a, s, 2);
		h->to = db_col_text(a, s, 3);
		if (date && covers(p->start, p->end, date) && covers(h->from, h->to, date))
			p->current_name = h->name;
	}
	p->holders = holders.v;
	p->n_holders = holders.n;
	if (holders.rc < 0)
		return -1;
	if (lookup_strings(db, a, STMT_DIR_COMPONENTS, p->id, "directory.position_details",
			   &p->components) < 0)
		return -1;
	s = db_stmt(db, STMT_DIR_ITEMS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->id);
	struct row_array items = {0};
	struct ind_mandate_item *it;
	while ((it = row_next(db, s, a, &items, sizeof(*it), "directory.position_details"))) {
		it->population = db_col_text(a, s, 0);
		it->activity_type = db_col_text(a, s, 1);
	}
	p->items = items.v;
	p->n_items = items.n;
	if (items.rc < 0)
		return -1;
	p->framework = directory_meets_framework(&p->components);
	return 0;
}

int directory_position_get(struct db *db, struct arena *a, int64_t id, const char *date,
			   struct dir_position *out)
{
	struct db_stmt *s = db_stmt(db, STMT_DIR_POSITION_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "directory.position");
	if (r != 0)
		return r;
	read_position_row(a, s, out);
	db_reset(s);
	return read_position_details(db, a, out, date);
}

/* The date days before date (YYYY-MM-DD) into out. */
static void date_minus(const char *date, int days, char out[11])
{
	struct pdate d;
	if (ptime_parse_date(date, &d) < 0) {
		str_copy(out, 11, "0000-00-00");
		return;
	}
	struct pdate e = ptime_civil_from_days(ptime_days_from_civil(&d) - days);
	ptime_format_date(&e, out);
}

int directory_load(struct db *db, struct arena *a, int64_t territory_id, const char *date,
		   struct directory *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *s = db_stmt(db, STMT_DIR_POSITIONS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	db_bind_text_copy(s, 2, date);
	struct row_array prows = {0};
	struct dir_position *pos;
	while ((pos = row_next(db, s, a, &prows, sizeof(*pos), "directory.positions")))
		read_position_row(a, s, pos);
	out->positions = prows.v;
	out->n_positions = prows.n;
	if (prows.rc < 0)
		return -1;
	for (size_t i = 0; i < out->n_positions; i++)
		if (read_position_details(db, a, &out->positions[i], date) < 0)
			return -1;

	char since[11];
	date_minus(date, DIRECTORY_PRESENTATION_WINDOW_DAYS, since);
	s = db_stmt(db, STMT_DIR_PARTNERS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	db_bind_text_copy(s, 2, date);
	db_bind_text_copy(s, 3, since);
	struct row_array rows = {0};
	struct dir_partner *p;
	while ((p = row_next(db, s, a, &rows, sizeof(*p), "directory.partners"))) {
		p->organisation_id = db_col_int64(s, 0);
		p->ext_id = db_col_text(a, s, 1);
		p->name = db_col_text(a, s, 2);
		p->sector_name = db_col_text(a, s, 3);
		p->last_presentation = db_col_text(a, s, 4);
		p->presentations = db_col_int64(s, 5);
		p->presenters = db_col_int64(s, 6);
		p->sector_name_en = db_col_text(a, s, 7);
	}
	out->partners = rows.v;
	out->n_partners = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

/* ---- Overlaps ---- */

static int cmp_position(const void *x, const void *y)
{
	const struct dir_position *a = x, *b = y;
	int c = strcmp(a->sector_name ? a->sector_name : "", b->sector_name ? b->sector_name : "");
	if (!c)
		c = strcmp(a->org_name ? a->org_name : "", b->org_name ? b->org_name : "");
	if (!c)
		c = strcmp(a->ext_id ? a->ext_id : "", b->ext_id ? b->ext_id : "");
	return c;
}

/* The overlapping pair of positions x and y (ids), or NULL. */
static const struct ind_overlap_pair *find_pair(const struct ind_arr_chevauchement_result *r,
						int64_t x, int64_t y)
{
	int64_t lo = x < y ? x : y, hi = x < y ? y : x;
	for (size_t i = 0; i < r->n_list; i++)
		if (r->list[i].position_a == lo && r->list[i].position_b == hi)
			return &r->list[i];
	return NULL;
}

int directory_overlaps(struct db *db, struct arena *a, int64_t territory_id, const char *from,
		       const char *to, struct dir_overlaps *out)
{
	memset(out, 0, sizeof(*out));
	struct pdate f, t;
	if (!from || !to || ptime_parse_date(from, &f) < 0 || ptime_parse_date(to, &t) < 0)
		return -1;
	struct ind_scope scope;
	ind_scope_init(&scope, &f, &t);
	scope.territory_id = territory_id;
	if (ind_arr_chevauchement(db, a, &scope, NULL, &out->result) < 0)
		return -1;
	size_t n = out->result.n_positions;
	/* Holders are shown as of the end of the period (or as_of). */
	const struct pdate *last =
		ptime_date_cmp(&scope.as_of, &scope.to) < 0 ? &scope.as_of : &scope.to;
	char day[11];
	ptime_format_date(last, day);
	out->positions = arena_alloc(a, (n ? n : 1) * sizeof(*out->positions));
	for (size_t i = 0; i < n; i++)
		if (directory_position_get(db, a, out->result.positions[i].id, day,
					   &out->positions[i]) != 0)
			return -1;
	if (n > 1)
		qsort(out->positions, n, sizeof(*out->positions), cmp_position);
	out->n = n;
	out->cells = arena_alloc(a, (n ? n * n : 1) * sizeof(*out->cells));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			const struct dir_position *p = &out->positions[i], *q = &out->positions[j];
			if (i == j || p->sector_id == q->sector_id) {
				out->cells[i * n + j] = -1;
				continue;
			}
			const struct ind_overlap_pair *pair = find_pair(&out->result, p->id, q->id);
			out->cells[i * n + j] = pair ? (int)pair->n_items : 0;
		}
	return 0;
}

const struct ind_mandate_item *directory_overlap_items(const struct dir_overlaps *o, size_t a,
						       size_t b, size_t *n)
{
	*n = 0;
	if (a >= o->n || b >= o->n)
		return NULL;
	const struct ind_overlap_pair *p =
		find_pair(&o->result, o->positions[a].id, o->positions[b].id);
	if (!p)
		return NULL;
	*n = p->n_items;
	return p->items;
}

/* ---- Who to call ---- */

/* The ids that stmt (territory ?1, date ?2, words ?3 … ?10) returns, in
 * order, into *ids. 0 or -1. */
static int call_ids(struct db *db, struct arena *a, enum stmt_id stmt, int64_t territory_id,
		    const char *date, const char *const *patterns, int64_t **ids, size_t *n)
{
	struct db_stmt *s = db_stmt(db, stmt);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	db_bind_text(s, 2, date);
	for (int i = 0; i < FOLD_MAX_WORDS; i++)
		db_bind_text(s, 3 + i, patterns[i]);
	struct row_array rows = {0};
	int64_t *id;
	while ((id = row_next(db, s, a, &rows, sizeof(*id), "directory.search")))
		*id = db_col_int64(s, 0);
	*ids = rows.v;
	*n = rows.n;
	return rows.rc;
}

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* True when one of the words occurs in the folded labels of code in l:
 * which items of a matching position the page shows. */
static bool code_has_word(struct db *db, struct arena *a, enum ref_list l, const char *code,
			  const char *const *words, size_t nw)
{
	const char *hay = arena_printf(
		a, " %s",
		fold_text(a, arena_printf(a, "%s %s", refdata_label(db, a, l, code, "fr"),
					  refdata_label(db, a, l, code, "en"))));
	for (size_t i = 0; i < nw; i++)
		if (strstr(hay, arena_printf(a, " %s", words[i])))
			return true;
	return false;
}

/* True when q is a shipped code of list l. */
static bool is_code_of(struct db *db, enum ref_list l, const char *q)
{
	return refdata_valid(db, l, q, 0);
}

/* The items of p to show: those of the population code (by code), or
 * those whose labels hold one of the words. */
static void call_items(struct db *db, struct arena *a, const struct dir_position *p,
		       const char *code, const char *const *words, size_t nw,
		       struct dir_match_position *m)
{
	size_t cap = 0;
	for (size_t k = 0; k < p->n_items; k++) {
		const struct ind_mandate_item *it = &p->items[k];
		bool hit = code ? strcmp(it->population, code) == 0
				: code_has_word(db, a, REF_POPULATION, it->population, words, nw) ||
					   code_has_word(db, a, REF_ACTIVITY_TYPE,
							 it->activity_type, words, nw);
		if (!hit)
			continue;
		m->items = arena_grow(a, m->items, m->n_items, &cap, sizeof(*m->items));
		m->items[m->n_items++] = *it;
	}
}

int directory_search(struct db *db, struct arena *a, int64_t territory_id, const char *date,
		     const char *q, struct dir_search *out)
{
	memset(out, 0, sizeof(*out));
	const char *words[FOLD_MAX_WORDS];
	size_t nw = fold_words(a, q, words, FOLD_MAX_WORDS);
	if (!nw)
		return 0;
	out->n_words = nw;
	if (nw > FOLD_MAX_WORDS)
		nw = FOLD_MAX_WORDS;
	/* A code of the need or population lists also matches exactly. */
	bool code_need = is_code_of(db, REF_NEED, q);
	bool code_pop = is_code_of(db, REF_POPULATION, q);
	const char *patterns[FOLD_MAX_WORDS];
	for (size_t i = 0; i < FOLD_MAX_WORDS; i++)
		patterns[i] = i < nw ? arena_printf(a, "%% %s%%", words[i]) : "%";
	int64_t *cids = NULL, *pids = NULL;
	size_t ncid = 0, npid = 0;
	if (call_ids(db, a, STMT_DIR_CALL_CORRIDORS, territory_id, date, patterns, &cids, &ncid) <
		    0 ||
	    call_ids(db, a, STMT_DIR_CALL_POSITIONS, territory_id, date, patterns, &pids, &npid) <
		    0)
		return -1;

	struct corridor *cv;
	size_t cn, cap = 0;
	if (corridor_list(db, a, territory_id, &cv, &cn) < 0)
		return -1;
	for (size_t i = 0; i < cn; i++) {
		const struct corridor *c = &cv[i];
		bool hit = has_id(cids, ncid, c->id) ||
			   (code_need && c->need && strcmp(c->need, q) == 0) ||
			   (code_pop && c->population && strcmp(c->population, q) == 0);
		if (!hit || !corridor_active_on(c, date))
			continue;
		out->corridors = arena_grow(a, out->corridors, out->n_corridors, &cap,
					    sizeof(*out->corridors));
		out->corridors[out->n_corridors++] = *c;
	}

	struct directory d;
	if (directory_load(db, a, territory_id, date, &d) < 0)
		return -1;
	cap = 0;
	for (size_t i = 0; i < d.n_positions; i++) {
		const struct dir_position *p = &d.positions[i];
		if (!p->current_name)
			continue; /* vacant on date: nobody to call */
		struct dir_match_position m = {.position = p};
		call_items(db, a, p, code_pop ? q : NULL, words, nw, &m);
		if (!has_id(pids, npid, p->id) && !(code_pop && m.n_items))
			continue;
		out->positions = arena_grow(a, out->positions, out->n_positions, &cap,
					    sizeof(*out->positions));
		out->positions[out->n_positions++] = m;
	}
	return 0;
}
