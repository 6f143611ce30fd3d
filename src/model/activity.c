#include "model/activity.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/aggregate.h"
#include "model/cellkey.h"
#include "model/lookup.h"
#include "model/memo.h"
#include "model/refdata.h"
#include "model/row.h"
#include "model/organisation.h"

int activity_indirect(const struct activity *a)
{
	return a->ind_deplacement + a->ind_interprete + a->ind_redaction + a->ind_preparation;
}

int activity_people(const struct activity *a)
{
	return a->adults + a->children_0_5 + a->children_6_17;
}

/* 1 when the one-row count statement id finds something for key. */
static int exists(struct db *db, enum stmt_id id, int64_t key)
{
	struct db_stmt *s = db_stmt(db, id);
	if (!s)
		return -1;
	db_bind_int64(s, 1, key);
	int rc = db_step(s);
	int r = rc == DB_ROW ? db_col_int(s, 0) > 0 : -1;
	db_reset(s);
	return r;
}

static bool valid_hhmm(const char *t)
{
	int h, m;
	if (strlen(t) != 5 || t[2] != ':')
		return false;
	char hh[3] = {t[0], t[1], 0}, mm[3] = {t[3], t[4], 0};
	return parse_int(hh, 0, 23, &h) == 0 && parse_int(mm, 0, 59, &m) == 0 && hh[0] >= '0' &&
	       mm[0] >= '0';
}

static void check_minutes(struct validation *v, const char *field, int value)
{
	if (value < 0 || value > ACTIVITY_MAX_MINUTES)
		validation_add(v, field, N_("Entrez un nombre de minutes entre 0 et 1440."));
}

static void check_count(struct validation *v, const char *field, int value)
{
	if (value < 0 || value > ACTIVITY_MAX_COUNT)
		validation_add(v, field, N_("Entrez un nombre entre 0 et 10 000."));
}

/* The counts: each from 0 to ACTIVITY_MAX_COUNT, then, only when each is
 * one ("abc" in adults is one error, on adults, not three), new contacts
 * and people outside the network within the people reached. */
static void check_counts(const struct activity *a, struct validation *v)
{
	size_t before = v->n;
	check_count(v, "counts.adults", a->adults);
	check_count(v, "counts.children_0_5", a->children_0_5);
	check_count(v, "counts.children_6_17", a->children_6_17);
	check_count(v, "counts.families", a->families);
	check_count(v, "counts.new_contacts", a->new_contacts);
	check_count(v, "counts.hors_reseau", a->hors_reseau);
	if (v->n > before)
		return;
	if (a->new_contacts > activity_people(a))
		validation_add(v, "counts.new_contacts",
			       N_("Les nouveaux contacts ne peuvent dépasser le nombre de "
				  "personnes rejointes."));
	if (a->hors_reseau > activity_people(a))
		validation_add(v, "counts.hors_reseau",
			       N_("Les personnes hors réseau ne peuvent dépasser le nombre de "
				  "personnes rejointes."));
}

/* refdata_valid, answered by lk when it knows. */
static bool code_ok(struct db *db, const struct activity_lookup *lk, enum ref_list l,
		    const char *code, int64_t org)
{
	int r = lk && lk->code_valid ? lk->code_valid(lk->ctx, l, code, org) : -1;
	return r >= 0 ? r == 1 : refdata_valid(db, l, code, org);
}

/* exists(), answered by lk when it knows. */
static int ref_exists(struct db *db, const struct activity_lookup *lk, enum activity_ref what,
		      int64_t key)
{
	static const enum stmt_id stmts[] = {STMT_ACT_TERRITORY_EXISTS, STMT_ACT_PERSON_EXISTS,
					     STMT_ACT_ORGANISATION_EXISTS};
	static const enum memo_row rows[] = {MEMO_ROW_TERRITORY, MEMO_ROW_PERSON,
					     MEMO_ROW_ORGANISATION};
	int r = lk && lk->exists ? lk->exists(lk->ctx, what, key) : -1;
	if (r >= 0)
		return r;
	if (memo_row_find(db, rows[what], key))
		return 1;
	r = exists(db, stmts[what], key);
	if (r == 1)
		memo_row_keep(db, rows[what], key);
	return r;
}

static void check_codes(struct db *db, const struct activity_lookup *lk, struct validation *v,
			const char *field, enum ref_list l, const struct strlist *codes,
			int64_t org)
{
	for (size_t i = 0; i < codes->n; i++) {
		if (!code_ok(db, lk, l, codes->v[i], org)) {
			validation_add(v, field,
				       N_("Cette valeur ne fait pas partie de la liste."));
			return;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(codes->v[k], codes->v[i]) == 0) {
				validation_add(v, field, N_("Une valeur est répétée."));
				return;
			}
	}
}

static int validate(struct db *db, const struct activity_lookup *lk, const struct activity *a,
		    bool scope, struct validation *v);

int activity_validate(struct db *db, const struct activity *a, struct validation *v)
{
	return validate(db, NULL, a, true, v);
}

int activity_validate_import(struct db *db, const struct activity_lookup *lk,
			     const struct activity *a, struct validation *v)
{
	return validate(db, lk, a, false, v);
}

/* The rules of activity_validate; the territory scope when scope. */
static int validate(struct db *db, const struct activity_lookup *lk, const struct activity *a,
		    bool scope, struct validation *v)
{
	struct pdate d;
	if (!a->date || !*a->date) {
		validation_add(v, "date", N_("La date est obligatoire."));
	} else if (ptime_parse_date(a->date, &d) < 0) {
		validation_add(v, "date", N_("Entrez une date valide (AAAA-MM-JJ)."));
	} else {
		struct pdate today = ptime_local_date(ptime_now()), min;
		BUG_ON(ptime_parse_date(ACTIVITY_DATE_MIN, &min) < 0);
		if (ptime_days_from_civil(&d) > ptime_days_from_civil(&today) + 1)
			validation_add(v, "date", N_("La date ne peut pas être dans le futur."));
		else if (ptime_date_cmp(&d, &min) < 0)
			validation_add(v, "date",
				       N_("La date ne peut pas précéder le 1er janvier 2000."));
	}
	if (a->start_time && *a->start_time && !valid_hhmm(a->start_time))
		validation_add(v, "start_time", N_("Entrez une heure valide (HH:MM)."));
	check_minutes(v, "duration_min", a->duration_min);
	check_minutes(v, "indirect.deplacement", a->ind_deplacement);
	check_minutes(v, "indirect.interprete", a->ind_interprete);
	check_minutes(v, "indirect.redaction", a->ind_redaction);
	check_minutes(v, "indirect.preparation", a->ind_preparation);
	if (!a->type || !*a->type)
		validation_add(v, "type", N_("Le type d'activité est obligatoire."));
	else if (!code_ok(db, lk, REF_ACTIVITY_TYPE, a->type, a->organisation_id))
		validation_add(v, "type", N_("Ce type d'activité n'existe pas."));
	if (a->place && *a->place && !code_ok(db, lk, REF_PLACE, a->place, a->organisation_id))
		validation_add(v, "place", N_("Ce lieu ne fait pas partie de la liste."));
	if (a->initiated_by && *a->initiated_by && strcmp(a->initiated_by, "pap") != 0 &&
	    strcmp(a->initiated_by, "personne") != 0 && strcmp(a->initiated_by, "partenaire") != 0)
		validation_add(v, "initiated_by", N_("Choisissez pap, personne ou partenaire."));
	check_counts(a, v);
	check_codes(db, lk, v, "components", REF_COMPONENT, &a->components, a->organisation_id);
	check_codes(db, lk, v, "strategies", REF_STRATEGY, &a->strategies, a->organisation_id);
	check_codes(db, lk, v, "needs", REF_NEED, &a->needs, a->organisation_id);
	check_codes(db, lk, v, "outcomes", REF_OUTCOME, &a->outcomes, a->organisation_id);
	if (a->note &&
	    (!utf8_valid_str(a->note) || utf8_length(a->note, strlen(a->note)) > ACTIVITY_NOTE_MAX))
		validation_add(v, "note", N_("La note est limitée à 4000 caractères."));
	if (ref_exists(db, lk, ACT_REF_TERRITORY, a->territory_id) != 1)
		validation_add(v, "territory", N_("Ce territoire n'existe pas."));
	else if (scope && organisation_check_serves(db, a->organisation_id, a->territory_id,
						    "territory", v) < 0)
		return -1;
	if (ref_exists(db, lk, ACT_REF_PERSON, a->author_id) != 1)
		validation_add(v, "author", N_("Cette personne n'existe pas."));
	for (size_t i = 0; i < a->partner_ids.n; i++)
		if (ref_exists(db, lk, ACT_REF_ORGANISATION, a->partner_ids.v[i]) != 1) {
			validation_add(v, "partners", N_("Cette organisation n'existe pas."));
			break;
		}
	for (size_t i = 0; i < a->pap_ids.n; i++)
		if (ref_exists(db, lk, ACT_REF_PERSON, a->pap_ids.v[i]) != 1) {
			validation_add(v, "with_pap", N_("Cette personne n'existe pas."));
			break;
		}
	/* A followed family can only be linked by its own organisation. */
	for (size_t i = 0; i < a->family_ids.n; i++) {
		int64_t org = 0;
		if (!lk || !lk->family_org ||
		    lk->family_org(lk->ctx, a->family_ids.v[i], &org) < 0) {
			struct db_stmt *s = db_stmt(db, STMT_ACT_FAMILY_ORG);
			if (!s)
				return -1;
			db_bind_int64(s, 1, a->family_ids.v[i]);
			int rc = db_step(s);
			org = rc == DB_ROW ? db_col_int64(s, 0) : 0;
			db_reset(s);
		}
		if (org == 0 || org != a->organisation_id) {
			validation_add(v, "families", N_("Cette famille n'existe pas."));
			break;
		}
	}
	return v->n ? -1 : 0;
}

/* Replaces a list: clear (skipped for a new activity, which has none),
 * then add each value. */
static int write_strings(struct db *db, int64_t id, bool fresh, enum stmt_id clear,
			 enum stmt_id add, const struct strlist *l)
{
	if (!fresh && row_exec_id(db, clear, id, NULL, "activity.clear") < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (row_exec_id(db, add, id, l->v[i], "activity.add") < 0)
			return -1;
	return 0;
}

/* The same for a list of row ids. */
static int write_ids(struct db *db, int64_t id, bool fresh, enum stmt_id clear, enum stmt_id add,
		     const struct idlist *l)
{
	if (!fresh && row_exec_id(db, clear, id, NULL, "activity.clear") < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		struct db_stmt *s = db_stmt(db, add);
		if (!s)
			return -1;
		db_bind_int64(s, 1, id);
		db_bind_int64(s, 2, l->v[i]);
		if (row_exec(db, s, "activity.add") < 0)
			return -1;
	}
	return 0;
}

const char *activity_new_ext_id(struct arena *ar)
{
	return row_new_ext_id(ar, "act");
}

/* activity_save, keeping the aggregates in step or not (a bulk load
 * sums them itself); *ckey_out (when given) gets a new row's record key. */
static int save(struct db *db, struct arena *ar, struct activity *a, bool aggregates,
		int64_t *ckey_out)
{
	if (!a->ext_id || !*a->ext_id)
		a->ext_id = activity_new_ext_id(ar);
	int64_t now = ptime_now();
	bool fresh = !a->id;
	if (!fresh && aggregates && agg_activity_remove(db, a->id) < 0)
		return -1;
	struct db_stmt *s = db_stmt(db, a->id ? STMT_ACT_UPDATE : STMT_ACT_INSERT);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, a->ext_id);
	db_bind_int64(s, 2, a->author_id);
	db_bind_int64(s, 3, a->organisation_id);
	db_bind_int64(s, 4, a->territory_id);
	db_bind_text(s, 5, a->date);
	row_bind_opt(s, 6, a->start_time);
	db_bind_int(s, 7, a->duration_min);
	db_bind_int(s, 8, a->ind_deplacement);
	db_bind_int(s, 9, a->ind_interprete);
	db_bind_int(s, 10, a->ind_redaction);
	db_bind_int(s, 11, a->ind_preparation);
	db_bind_text(s, 12, a->type);
	row_bind_opt(s, 13, a->place);
	db_bind_int(s, 14, a->unplanned);
	row_bind_opt(s, 15, a->initiated_by);
	db_bind_int(s, 16, a->adults);
	db_bind_int(s, 17, a->children_0_5);
	db_bind_int(s, 18, a->children_6_17);
	db_bind_int(s, 19, a->families);
	db_bind_int(s, 20, a->new_contacts);
	db_bind_int(s, 21, a->hors_reseau);
	row_bind_opt(s, 22, a->note);
	db_bind_int64(s, 23, now);
	/* ?24: the row on update; on insert, its record key (model/cellkey.h). */
	int64_t ckey = fresh ? cellkey_draw() : 0;
	db_bind_int64(s, 24, fresh ? ckey : a->id);
	if (ckey_out)
		*ckey_out = ckey;
	if (row_exec(db, s, "activity.save") < 0)
		return -1;
	if (!a->id)
		a->id = db_last_insert_id(db);
	a->updated_at = now;
	if (fresh)
		a->created_at = now;
	/* Components default to the type's (domain.md). */
	struct strlist comps = a->components;
	const char *implied = refdata_default_component(a->type);
	if (!comps.n && implied) {
		comps.v = &implied;
		comps.n = 1;
	}
	if (write_strings(db, a->id, fresh, STMT_ACT_CLEAR_COMPONENTS, STMT_ACT_ADD_COMPONENT,
			  &comps) < 0 ||
	    write_strings(db, a->id, fresh, STMT_ACT_CLEAR_STRATEGIES, STMT_ACT_ADD_STRATEGY,
			  &a->strategies) < 0 ||
	    write_strings(db, a->id, fresh, STMT_ACT_CLEAR_NEEDS, STMT_ACT_ADD_NEED, &a->needs) <
		    0 ||
	    write_strings(db, a->id, fresh, STMT_ACT_CLEAR_OUTCOMES, STMT_ACT_ADD_OUTCOME,
			  &a->outcomes) < 0 ||
	    write_ids(db, a->id, fresh, STMT_ACT_CLEAR_FAMILIES, STMT_ACT_ADD_FAMILY,
		      &a->family_ids) < 0 ||
	    write_ids(db, a->id, fresh, STMT_ACT_CLEAR_PARTNERS, STMT_ACT_ADD_PARTNER,
		      &a->partner_ids) < 0 ||
	    write_ids(db, a->id, fresh, STMT_ACT_CLEAR_PAPS, STMT_ACT_ADD_PAP, &a->pap_ids) < 0)
		return -1;
	if (!aggregates)
		return 0;
	return fresh ? agg_activity_add_new(db, a, &comps, ckey) : agg_activity_add(db, a->id);
}

int activity_save(struct db *db, struct arena *ar, struct activity *a)
{
	return save(db, ar, a, true, NULL);
}

int activity_save_bulk(struct db *db, struct arena *ar, struct activity *a, int64_t *ckey)
{
	return save(db, ar, a, false, ckey);
}

static void read_row(struct arena *ar, struct db_stmt *s, struct activity *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_col_int64(s, 0);
	a->ext_id = db_col_text(ar, s, 1);
	a->author_id = db_col_int64(s, 2);
	a->organisation_id = db_col_int64(s, 3);
	a->territory_id = db_col_int64(s, 4);
	a->date = db_col_text(ar, s, 5);
	a->start_time = db_col_text(ar, s, 6);
	a->duration_min = db_col_int(s, 7);
	a->ind_deplacement = db_col_int(s, 8);
	a->ind_interprete = db_col_int(s, 9);
	a->ind_redaction = db_col_int(s, 10);
	a->ind_preparation = db_col_int(s, 11);
	a->type = db_col_text(ar, s, 12);
	a->place = db_col_text(ar, s, 13);
	a->unplanned = db_col_int(s, 14) != 0;
	a->initiated_by = db_col_text(ar, s, 15);
	a->adults = db_col_int(s, 16);
	a->children_0_5 = db_col_int(s, 17);
	a->children_6_17 = db_col_int(s, 18);
	a->families = db_col_int(s, 19);
	a->new_contacts = db_col_int(s, 20);
	a->hors_reseau = db_col_int(s, 21);
	a->note = db_col_text(ar, s, 22);
	a->created_at = db_col_int64(s, 23);
	a->updated_at = db_col_int64(s, 24);
	a->deleted_at = db_col_int64(s, 25);
	a->author_ext = db_col_text(ar, s, 26);
	a->organisation_ext = db_col_text(ar, s, 27);
	a->territory_ext = db_col_text(ar, s, 28);
}

/* Reads one of an activity's lists of codes (model/lookup). 0 or -1. */
static int read_strings(struct db *db, struct arena *ar, enum stmt_id id, int64_t act,
			struct strlist *out)
{
	return lookup_strings(db, ar, id, act, "activity.read_strings", out);
}

/* Reads one of an activity's lists of rows: their ids into *out and their
 * external ids, in the same order, into *exts. */
static int read_ids(struct db *db, struct arena *ar, enum stmt_id id, int64_t act,
		    struct idlist *out, struct strlist *exts)
{
	struct db_stmt *s = db_stmt(db, id);
	if (!s)
		return -1;
	db_bind_int64(s, 1, act);
	size_t cap = 0, ecap = 0;
	*out = (struct idlist){NULL, 0};
	*exts = (struct strlist){NULL, 0};
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		out->v = arena_grow(ar, out->v, out->n, &cap, sizeof(*out->v));
		exts->v = arena_grow(ar, exts->v, exts->n, &ecap, sizeof(*exts->v));
		out->v[out->n++] = db_col_int64(s, 0);
		exts->v[exts->n++] = db_col_text(ar, s, 1);
	}
	db_reset(s);
	return rc == DB_DONE ? 0 : -1;
}

static int read_lists(struct db *db, struct arena *ar, struct activity *a)
{
	if (read_strings(db, ar, STMT_ACT_COMPONENTS, a->id, &a->components) < 0 ||
	    read_strings(db, ar, STMT_ACT_STRATEGIES, a->id, &a->strategies) < 0 ||
	    read_strings(db, ar, STMT_ACT_NEEDS, a->id, &a->needs) < 0 ||
	    read_strings(db, ar, STMT_ACT_OUTCOMES, a->id, &a->outcomes) < 0 ||
	    read_ids(db, ar, STMT_ACT_FAMILIES, a->id, &a->family_ids, &a->family_exts) < 0 ||
	    read_ids(db, ar, STMT_ACT_PARTNERS, a->id, &a->partner_ids, &a->partner_exts) < 0 ||
	    read_ids(db, ar, STMT_ACT_PAPS, a->id, &a->pap_ids, &a->pap_exts) < 0) {
		db_log_error(db, "activity.lists");
		return -1;
	}
	return 0;
}

/* The visibility rule of the header comment. */
static bool visible(const struct actor *who, const struct activity *a)
{
	switch (who->role) {
	case ROLE_PAP: return a->author_id == who->person_id;
	case ROLE_GESTIONNAIRE:
		return who->organisation_id && a->organisation_id == who->organisation_id;
	default: return false;
	}
}

bool activity_can_edit(const struct actor *who, const struct activity *a)
{
	return visible(who, a);
}

int activity_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		 struct activity *out)
{
	struct db_stmt *s = db_stmt(db, STMT_ACT_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "activity.get");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	if (out->deleted_at || !visible(who, out))
		return 1;
	return read_lists(db, ar, out);
}

int activity_delete(struct db *db, const struct actor *who, int64_t id)
{
	struct arena *ar = arena_new(1024);
	struct activity a;
	int r = activity_get(db, ar, who, id, &a);
	if (r == 0 && !activity_can_edit(who, &a))
		r = 1;
	if (r == 0) {
		/* The aggregates change with the row: one transaction (the
		 * caller's, or our own). */
		bool own = !db_in_transaction(db);
		if (own && db_begin(db) < 0) {
			arena_free(ar);
			return -1;
		}
		struct db_stmt *s =
			agg_activity_remove(db, id) < 0 ? NULL : db_stmt(db, STMT_ACT_DELETE);
		if (!s) {
			r = -1;
		} else {
			db_bind_int64(s, 1, id);
			db_bind_int64(s, 2, ptime_now());
			r = row_exec(db, s, "activity.delete");
		}
		if (own && r == 0 && db_commit(db) < 0)
			r = -1;
		else if (own && r < 0)
			db_rollback(db);
		if (r == 0)
			log_info("activity.delete", "activity=%lld by=%lld", (long long)id,
				 (long long)who->person_id);
	}
	arena_free(ar);
	return r;
}

/* Binds the shared filter of STMT_ACT_LIST_BY_* / STMT_ACT_COUNT. Returns false
 * when the actor may see no single activity at all. */
static bool bind_filter(struct db_stmt *s, const struct actor *who, const struct activity_filter *f)
{
	int64_t author = f->author_id, org = 0;
	if (who->role == ROLE_PAP)
		author = who->person_id;
	else if (who->role == ROLE_GESTIONNAIRE && who->organisation_id)
		org = who->organisation_id;
	else
		return false;
	db_bind_int64(s, 1, author);
	db_bind_int64(s, 2, org);
	row_bind_opt(s, 3, f->from);
	row_bind_opt(s, 4, f->to);
	row_bind_opt(s, 5, f->type);
	return true;
}

/* The place filter's index: ?6 in the count, ?8 in the list. */
#define ACT_COUNT_PLACE 6
#define ACT_LIST_PLACE 8

int activity_list(struct db *db, struct arena *ar, const struct actor *who,
		  const struct activity_filter *f, struct activity **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	struct db_stmt *c = db_stmt(db, STMT_ACT_COUNT);
	if (!c)
		return -1;
	if (!bind_filter(c, who, f)) {
		db_reset(c);
		return 0;
	}
	row_bind_opt(c, ACT_COUNT_PLACE, f->place);
	if (db_step(c) == DB_ROW)
		*total = db_col_int64(c, 0);
	db_reset(c);
	int limit = f->limit <= 0 ? 100 : (f->limit > 1000 ? 1000 : f->limit);
	/* bind_filter gives a PAP their own author id, a manager the organisation. */
	struct db_stmt *s =
		db_stmt(db, who->role == ROLE_PAP ? STMT_ACT_LIST_BY_AUTHOR : STMT_ACT_LIST_BY_ORG);
	if (!s)
		return -1;
	bind_filter(s, who, f);
	row_bind_opt(s, ACT_LIST_PLACE, f->place);
	db_bind_int(s, 6, limit);
	db_bind_int(s, 7, f->offset < 0 ? 0 : f->offset);
	struct activity *v = arena_alloc(ar, (size_t)limit * sizeof(*v));
	size_t count = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		read_row(ar, s, &v[count++]);
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "activity.list");
		return -1;
	}
	for (size_t i = 0; i < count; i++)
		if (read_lists(db, ar, &v[i]) < 0)
			return -1;
	*out = v;
	*n = count;
	return 0;
}

const char *activity_last_place(struct db *db, struct arena *ar, int64_t author_id)
{
	struct db_stmt *s = db_stmt(db, STMT_ACT_LAST_PLACE);
	if (!s)
		return NULL;
	db_bind_int64(s, 1, author_id);
	const char *p = NULL;
	if (db_step(s) == DB_ROW)
		p = db_col_text(ar, s, 0);
	db_reset(s);
	return p;
}

/* Feeds one field to the hash, closed by a unit separator so that
 * ("ab", "c") and ("a", "bc") differ. */
static void etag_text(crypto_generichash_state *h, const char *t)
{
	static const unsigned char sep = 0x1f;
	if (t)
		crypto_generichash_update(h, (const unsigned char *)t, strlen(t));
	crypto_generichash_update(h, &sep, 1);
}

static void etag_int(crypto_generichash_state *h, int64_t v)
{
	char n[24];
	snprintf(n, sizeof(n), "%lld", (long long)v);
	etag_text(h, n);
}

static void etag_strings(crypto_generichash_state *h, const struct strlist *l)
{
	etag_int(h, (int64_t)l->n);
	for (size_t i = 0; i < l->n; i++)
		etag_text(h, l->v[i]);
}

static void etag_ids(crypto_generichash_state *h, const struct idlist *l)
{
	etag_int(h, (int64_t)l->n);
	for (size_t i = 0; i < l->n; i++)
		etag_int(h, l->v[i]);
}

void activity_etag(const struct activity *a, char out[ACTIVITY_ETAG_SIZE])
{
	crypto_generichash_state h;
	unsigned char d[16];
	crypto_generichash_init(&h, NULL, 0, sizeof(d));
	const int64_t nums[] = {
		a->id,
		a->author_id,
		a->organisation_id,
		a->territory_id,
		a->duration_min,
		a->ind_deplacement,
		a->ind_interprete,
		a->ind_redaction,
		a->ind_preparation,
		a->unplanned,
		a->adults,
		a->children_0_5,
		a->children_6_17,
		a->families,
		a->new_contacts,
		a->hors_reseau,
		a->updated_at,
	};
	for (size_t i = 0; i < ARRAY_LEN(nums); i++)
		etag_int(&h, nums[i]);
	const char *texts[] = {a->ext_id, a->date,         a->start_time, a->type,
			       a->place,  a->initiated_by, a->note};
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		etag_text(&h, texts[i]);
	etag_strings(&h, &a->components);
	etag_strings(&h, &a->strategies);
	etag_strings(&h, &a->needs);
	etag_strings(&h, &a->outcomes);
	etag_ids(&h, &a->family_ids);
	etag_ids(&h, &a->partner_ids);
	etag_ids(&h, &a->pap_ids);
	crypto_generichash_final(&h, d, sizeof(d));
	out[0] = '"';
	sodium_bin2hex(out + 1, 33, d, sizeof(d));
	out[33] = '"';
	out[34] = '\0';
}
