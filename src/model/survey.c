/* PAP and family surveys: validation, campaigns, the due reminder,
 * anonymous storage and aggregates with small-cell suppression. See
 * survey.h for the confidentiality rules. */
#include "model/survey.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/settings.h"
#include "model/row.h"

/* The PAP items (listed in docs/en/surveys-projects.md). */
static const struct survey_item_def pap_items[] = {
	{SURVEY_OVERALL, "items.global",
	 N_("Dans l'ensemble, je suis satisfait·e de l'exercice de mon mandat.")},
	{"charge", "items.charge", N_("Ma charge de travail est réaliste.")},
	{"soutien", "items.soutien",
	 N_("Je reçois le soutien dont j'ai besoin (équipe, gestion, supervision).")},
	{"securite", "items.securite",
	 N_("Je me sens en sécurité dans mon travail sur le terrain.")},
	{"reconnaissance", "items.reconnaissance",
	 N_("Mon travail est reconnu par mon organisation et les partenaires.")},
};

/* The family items. */
static const struct survey_item_def family_items[] = {
	{SURVEY_OVERALL, "items.global",
	 N_("Dans l'ensemble, êtes-vous satisfait·e de l'aide reçue ?")},
	{"ecoute", "items.ecoute", N_("Vous êtes-vous senti·e écouté·e ?")},
	{"sait_qui_appeler", "items.sait_qui_appeler",
	 N_("Savez-vous maintenant qui appeler en cas de besoin ?")},
	{"recommande", "items.recommande",
	 N_("Recommanderiez-vous ce service à une autre famille ?")},
};

const struct survey_item_def *survey_items(enum survey_type t, size_t *n)
{
	if (t == SURVEY_PAP) {
		*n = ARRAY_LEN(pap_items);
		return pap_items;
	}
	*n = ARRAY_LEN(family_items);
	return family_items;
}

const char *survey_type_code(enum survey_type t)
{
	return t == SURVEY_PAP ? "pap" : "famille";
}

int survey_validate(const struct survey_answer *a, struct validation *v)
{
	size_t n;
	const struct survey_item_def *items = survey_items(a->type, &n);
	for (size_t i = 0; i < n; i++) {
		if (a->scores[i] < 1 || a->scores[i] > 5)
			validation_add(v, items[i].field, N_("Choisissez une note de 1 à 5."));
	}
	if (a->comment && (!utf8_valid_str(a->comment) ||
			   utf8_length(a->comment, strlen(a->comment)) > SURVEY_COMMENT_MAX))
		validation_add(v, "comment", N_("Le commentaire est limité à 1000 caractères."));
	struct pdate d;
	if (!a->date || ptime_parse_date(a->date, &d) < 0)
		validation_add(v, "date", N_("Entrez une date valide (AAAA-MM-JJ)."));
	return v->n ? -1 : 0;
}

int survey_threshold(struct db *db)
{
	return settings_int(db, SETTING_SMALL_CELL_THRESHOLD);
}

bool survey_can_manage(const struct actor *actor, int64_t organisation_id)
{
	if (!actor || organisation_id <= 0)
		return false;
	if (actor->role == ROLE_ADMIN)
		return true;
	return actor->role == ROLE_GESTIONNAIRE && actor->organisation_id == organisation_id;
}

int survey_may_read_team(struct db *db, const struct actor *actor, int64_t organisation_id)
{
	if (!actor || organisation_id <= 0)
		return 0;
	switch (actor->role) {
	case ROLE_GESTIONNAIRE: return actor->organisation_id == organisation_id;
	case ROLE_ANALYSTE:
	case ROLE_ADMIN: return 1;
	case ROLE_COMITE: {
		if (!actor->territory_id)
			return 0;
		struct db_stmt *s = db_stmt(db, STMT_SURVEY_ORG_SERVES);
		if (!s)
			return -1;
		db_bind_int64(s, 1, organisation_id);
		db_bind_int64(s, 2, actor->territory_id);
		int rc = db_step(s);
		int r = rc == DB_ROW ? db_col_int(s, 0) > 0 : -1;
		db_reset(s);
		if (r < 0)
			db_log_error(db, "survey.may_read_team");
		return r;
	}
	default: return 0;
	}
}

static void read_campaign(struct arena *ar, struct db_stmt *s, struct survey_campaign *c)
{
	c->id = db_col_int64(s, 0);
	c->organisation_id = db_col_int64(s, 1);
	c->opens = db_col_text(ar, s, 2);
	c->closes = db_col_text(ar, s, 3);
}

/* Whether person_id has a PAP answer dated in [from, to]: 1, 0, -1. */
static int answered_in(struct db *db, int64_t person_id, const char *from, const char *to)
{
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_PAP_ANSWERED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	int rc = db_step(s);
	int r = rc == DB_ROW ? db_col_int(s, 0) > 0 : -1;
	db_reset(s);
	if (r < 0)
		db_log_error(db, "survey.answered");
	return r;
}

int survey_due_for(struct db *db, struct arena *ar, const struct actor *actor, const char *today,
		   struct survey_campaign *out)
{
	memset(out, 0, sizeof(*out));
	if (!actor || actor->role != ROLE_PAP || !actor->organisation_id || !today)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_CAMPAIGN_OPEN);
	if (!s)
		return -1;
	db_bind_int64(s, 1, actor->organisation_id);
	db_bind_text(s, 2, today);
	/* Open windows (normally one); the first not yet answered is due. */
	struct survey_campaign open[4];
	size_t n = 0;
	int rc;
	while (n < ARRAY_LEN(open) && (rc = db_step(s)) == DB_ROW)
		read_campaign(ar, s, &open[n++]);
	if (n < ARRAY_LEN(open) && rc != DB_DONE) {
		db_reset(s);
		db_log_error(db, "survey.due");
		return -1;
	}
	db_reset(s);
	for (size_t i = 0; i < n; i++) {
		int r = answered_in(db, actor->person_id, open[i].opens, open[i].closes);
		if (r < 0)
			return -1;
		if (r == 0) {
			*out = open[i];
			return 1;
		}
	}
	return 0;
}

int survey_campaign_add(struct db *db, const struct actor *actor, int64_t organisation_id,
			const char *opens, const char *closes, struct validation *v)
{
	struct pdate a, b;
	bool ok_a = opens && ptime_parse_date(opens, &a) == 0;
	bool ok_b = closes && ptime_parse_date(closes, &b) == 0;
	if (!ok_a)
		validation_add(v, "opens", N_("Entrez une date valide (AAAA-MM-JJ)."));
	if (!ok_b)
		validation_add(v, "closes", N_("Entrez une date valide (AAAA-MM-JJ)."));
	if (ok_a && ok_b) {
		int64_t da = ptime_days_from_civil(&a), dbb = ptime_days_from_civil(&b);
		if (dbb < da)
			validation_add(v, "closes", N_("La fermeture précède l'ouverture."));
		else if (dbb - da > 366)
			validation_add(v, "closes",
				       N_("Une période de sondage dure au plus un an."));
	}
	if (v->n)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_CAMPAIGN_OVERLAP);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	db_bind_text(s, 2, opens);
	db_bind_text(s, 3, closes);
	db_bind_int64(s, 4, 0);
	int rc = db_step(s);
	int overlap = rc == DB_ROW ? db_col_int(s, 0) : -1;
	db_reset(s);
	if (overlap < 0) {
		db_log_error(db, "survey.campaign_overlap");
		return -1;
	}
	if (overlap) {
		validation_add(v, "opens",
			       N_("Cette période chevauche une autre période de sondage."));
		return 1;
	}
	s = db_stmt(db, STMT_SURVEY_CAMPAIGN_INSERT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	db_bind_text(s, 2, opens);
	db_bind_text(s, 3, closes);
	if (actor && actor->person_id)
		db_bind_int64(s, 4, actor->person_id);
	db_bind_int64(s, 5, ptime_now());
	if (row_exec(db, s, "survey.campaign_add") < 0)
		return -1;
	return 0;
}

int survey_campaign_list(struct db *db, struct arena *ar, int64_t organisation_id,
			 struct survey_campaign **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_CAMPAIGN_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	struct row_array rows = {0};
	struct survey_campaign *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "survey.campaign_list")))
		read_campaign(ar, s, it);
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* A random external id "svy-<16 hex>". */
/* Inserts the answer and its items. person_id/project_id 0 = NULL. */
static int insert_answer(struct db *db, struct arena *ar, const struct survey_answer *a,
			 int64_t person_id, int64_t territory_id, int64_t *id)
{
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_INSERT);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, row_new_ext_id(ar, "svy"));
	db_bind_text(s, 2, survey_type_code(a->type));
	if (person_id)
		db_bind_int64(s, 3, person_id);
	if (a->project_id)
		db_bind_int64(s, 4, a->project_id);
	db_bind_int64(s, 5, territory_id);
	db_bind_text(s, 6, a->date);
	db_bind_int(s, 7, a->scores[0]);
	if (a->comment && *a->comment)
		db_bind_text(s, 8, a->comment);
	if (row_exec(db, s, "survey.insert") < 0)
		return -1;
	int64_t sid = db_last_insert_id(db);
	size_t n;
	const struct survey_item_def *items = survey_items(a->type, &n);
	for (size_t i = 0; i < n; i++) {
		s = db_stmt(db, STMT_SURVEY_ITEM_INSERT);
		if (!s)
			return -1;
		db_bind_int64(s, 1, sid);
		db_bind_text(s, 2, items[i].code);
		db_bind_int(s, 3, a->scores[i]);
		if (row_exec(db, s, "survey.item_insert") < 0)
			return -1;
	}
	if (id)
		*id = sid;
	return 0;
}

int survey_save_pap(struct db *db, struct arena *ar, const struct actor *actor, const char *today,
		    struct survey_answer *a, struct validation *v, int64_t *id)
{
	a->type = SURVEY_PAP;
	a->project_id = 0;
	a->date = today;
	if (survey_validate(a, v) < 0)
		return 1;
	struct survey_campaign c;
	int due = survey_due_for(db, ar, actor, today, &c);
	if (due < 0)
		return -1;
	if (!due)
		return 2;
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_PERSON_TERRITORY);
	if (!s)
		return -1;
	db_bind_int64(s, 1, actor->person_id);
	int rc = db_step(s);
	int64_t territory = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_log_error(db, "survey.territory");
		return -1;
	}
	if (!territory) {
		validation_add(v, "territory",
			       N_("Votre compte n'est rattaché à aucun territoire : demandez à "
				  "l'administrateur de le compléter."));
		return 1;
	}
	return insert_answer(db, ar, a, actor->person_id, territory, id);
}

int survey_save_famille(struct db *db, struct arena *ar, const struct survey_answer *a,
			int64_t territory_id, struct validation *v, int64_t *id)
{
	BUG_ON(a->type != SURVEY_FAMILLE);
	if (survey_validate(a, v) < 0)
		return 1;
	if (!a->project_id || !territory_id) {
		validation_add(v, "project", N_("Choisissez le projet."));
		return 1;
	}
	return insert_answer(db, ar, a, 0, territory_id, id);
}

/* Binds the shared aggregate filter. */
static void bind_agg(struct db_stmt *s, enum survey_type t, int64_t org, int64_t project,
		     const char *from, const char *to)
{
	db_bind_text(s, 1, survey_type_code(t));
	db_bind_int64(s, 2, org);
	db_bind_int64(s, 3, project);
	db_bind_text(s, 4, from);
	db_bind_text(s, 5, to);
}

/* Adds count answers scoring score to st. */
static void stat_add(struct survey_item_stat *st, int score, size_t count)
{
	st->mean += (double)score * (double)count; /* a sum until stat_finish */
	st->n += count;
	if (score >= 4)
		st->n_ge4 += count;
}

static void stat_finish(struct survey_item_stat *st)
{
	if (st->n) {
		st->mean /= (double)st->n;
		st->pct_ge4 = (double)st->n_ge4 / (double)st->n * 100.0;
	}
}

/* Empties out after a failed read (its threshold kept) and returns -1. */
static int aggregate_failed(struct survey_aggregate *out)
{
	int th = out->threshold;
	memset(out, 0, sizeof(*out));
	out->threshold = th;
	return -1;
}

static int aggregate(struct db *db, struct arena *ar, enum survey_type t, int64_t org,
		     int64_t project, const char *from, const char *to,
		     struct survey_aggregate *out)
{
	memset(out, 0, sizeof(*out));
	out->threshold = survey_threshold(db);
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_AGG_COUNT);
	if (!s)
		return -1;
	bind_agg(s, t, org, project, from, to);
	int rc = db_step(s);
	size_t answers = rc == DB_ROW ? (size_t)db_col_int64(s, 0) : 0;
	size_t persons = rc == DB_ROW ? (size_t)db_col_int64(s, 1) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		db_log_error(db, "survey.aggregate");
		return -1;
	}
	size_t basis = t == SURVEY_PAP ? persons : answers;
	if (basis < (size_t)out->threshold)
		return 0;
	out->shown = true;
	out->answers = answers;
	out->persons = t == SURVEY_PAP ? persons : 0;
	size_t n;
	const struct survey_item_def *items = survey_items(t, &n);
	out->nitems = n;
	for (size_t i = 0; i < n; i++)
		out->items[i].code = items[i].code;
	/* The overall item is survey.score (imported answers have no items). */
	if (!(s = db_stmt(db, STMT_SURVEY_AGG_OVERALL)))
		return -1;
	bind_agg(s, t, org, project, from, to);
	while ((rc = db_step(s)) == DB_ROW)
		stat_add(&out->items[0], db_col_int(s, 0), (size_t)db_col_int64(s, 1));
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;
	if (!(s = db_stmt(db, STMT_SURVEY_AGG_ITEMS)))
		return -1;
	bind_agg(s, t, org, project, from, to);
	while ((rc = db_step(s)) == DB_ROW) {
		const char *code = db_col_cstr(s, 0);
		for (size_t i = 1; code && i < n; i++)
			if (strcmp(code, items[i].code) == 0)
				stat_add(&out->items[i], db_col_int(s, 1),
					 (size_t)db_col_int64(s, 2));
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto fail;
	/* An item answered by fewer than T (answers imported without their
	 * items) is suppressed on its own. */
	for (size_t i = 0; i < n; i++) {
		stat_finish(&out->items[i]);
		if (out->items[i].n < (size_t)out->threshold)
			out->items[i] = (struct survey_item_stat){.code = items[i].code,
								  .suppressed = true};
	}
	if (!(s = db_stmt(db, STMT_SURVEY_AGG_COMMENTS)))
		return -1;
	bind_agg(s, t, org, project, from, to);
	struct row_array rows = {0};
	const char **c;
	while ((c = row_next(db, s, ar, &rows, sizeof(*c), "survey.comments")))
		*c = db_col_text(ar, s, 0);
	if (rows.rc < 0)
		return aggregate_failed(out);
	if (rows.n >= (size_t)out->threshold) {
		out->comments_shown = true;
		out->ncomments = rows.n;
		out->comments = rows.v;
	}
	return 0;
fail:
	db_log_error(db, "survey.aggregate");
	return aggregate_failed(out);
}

/* ---- PAP aggregates over released waves ---- */

/* The PAP answers of org dated in [from, to] (day numbers) into *v. */
static int pap_answers(struct db *db, struct arena *ar, int64_t org, int64_t from, int64_t to,
		       struct survey_pap_answer **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_PAP_ANSWERS);
	if (!s)
		return -1;
	char f[11], t[11];
	struct pdate df = ptime_civil_from_days(from), dt = ptime_civil_from_days(to);
	ptime_format_date(&df, f);
	ptime_format_date(&dt, t);
	db_bind_int64(s, 1, org);
	db_bind_text(s, 2, f);
	db_bind_text(s, 3, t);
	struct row_array rows = {0};
	struct survey_pap_answer *a;
	while ((a = row_next(db, s, ar, &rows, sizeof(*a), "survey.pap_answers"))) {
		struct pdate d;
		const char *ds = db_col_cstr(s, 3);
		if (!ds || ptime_parse_date(ds, &d) < 0) {
			row_drop(&rows);
			continue;
		}
		*a = (struct survey_pap_answer){
			.id = db_col_int64(s, 0),
			.person_id = db_col_int64(s, 1),
			.organisation_id = db_col_int64(s, 2),
			.day = ptime_days_from_civil(&d),
			.score = db_col_int(s, 4),
			.comment = db_col_text(ar, s, 5),
		};
	}
	*v = rows.v;
	*n = rows.n;
	return rows.rc;
}

static int cmp_answer_id(const void *x, const void *y)
{
	int64_t a = ((const struct survey_pap_answer *)x)->id,
		b = ((const struct survey_pap_answer *)y)->id;
	return a < b ? -1 : (a > b);
}

static int cmp_pair(const void *x, const void *y)
{
	const int64_t *a = x, *b = y;
	for (int i = 0; i < 2; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* The items of the released answers of v (n, sorted by id) into out; an
 * item answered by fewer than out->threshold persons is suppressed. */
static int pap_item_stats(struct db *db, struct arena *ar, int64_t org, const char *from,
			  const char *to, const struct survey_pap_answer *v, size_t n,
			  struct survey_aggregate *out)
{
	size_t ni;
	const struct survey_item_def *items = survey_items(SURVEY_PAP, &ni);
	int64_t(*who)[2] = NULL; /* (item index, person) of each item counted */
	size_t nw = 0, cap = 0;
	for (size_t k = 0; k < n; k++)
		if (v[k].released) {
			stat_add(&out->items[0], v[k].score, 1);
			who = arena_grow(ar, who, nw, &cap, sizeof(*who));
			who[nw][0] = 0, who[nw++][1] = v[k].person_id;
		}
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_PAP_ITEMS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, org);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		struct survey_pap_answer key = {.id = db_col_int64(s, 0)};
		const struct survey_pap_answer *a = bsearch(&key, v, n, sizeof(*v), cmp_answer_id);
		const char *code = db_col_cstr(s, 1);
		for (size_t i = 1; a && a->released && code && i < ni; i++)
			if (strcmp(code, items[i].code) == 0) {
				stat_add(&out->items[i], db_col_int(s, 2), 1);
				who = arena_grow(ar, who, nw, &cap, sizeof(*who));
				who[nw][0] = (int64_t)i, who[nw++][1] = a->person_id;
			}
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "survey.pap_items");
		return -1;
	}
	qsort(who, nw, sizeof(*who), cmp_pair);
	size_t persons[SURVEY_ITEMS_MAX] = {0};
	for (size_t k = 0; k < nw; k++)
		if (!k || who[k][0] != who[k - 1][0] || who[k][1] != who[k - 1][1])
			persons[who[k][0]]++;
	for (size_t i = 0; i < ni; i++) {
		stat_finish(&out->items[i]);
		if (persons[i] < (size_t)out->threshold)
			out->items[i] = (struct survey_item_stat){.code = items[i].code,
								  .suppressed = true};
	}
	return 0;
}

static int cmp_text(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The comments of the released answers, alphabetical, when at least the
 * threshold of them. */
static void pap_comments(struct arena *ar, const struct survey_pap_answer *v, size_t n,
			 struct survey_aggregate *out)
{
	const char **c = arena_alloc(ar, (n ? n : 1) * sizeof(*c));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].released && v[i].comment && *v[i].comment)
			c[k++] = v[i].comment;
	if (k < (size_t)out->threshold)
		return;
	qsort(c, k, sizeof(*c), cmp_text);
	out->comments_shown = true;
	out->ncomments = k;
	out->comments = c;
}

int survey_pap_aggregate(struct db *db, struct arena *ar, int64_t organisation_id, const char *from,
			 const char *to, struct survey_aggregate *out)
{
	memset(out, 0, sizeof(*out));
	out->threshold = survey_threshold(db);
	struct pdate f, t;
	if (organisation_id <= 0 || ptime_parse_date(from, &f) < 0 || ptime_parse_date(to, &t) < 0)
		return 0;
	int64_t first = ptime_days_from_civil(&f), last = ptime_days_from_civil(&t);
	struct survey_pap_answer *v;
	size_t n;
	if (pap_answers(db, ar, organisation_id, first - SURVEY_WAVE_MAX_DAYS, last, &v, &n) < 0)
		return -1;
	int persons = survey_release(db, ar, v, n, first, last, last, out->threshold);
	if (persons < 0)
		return -1;
	if (persons < out->threshold)
		return 0;
	qsort(v, n, sizeof(*v), cmp_answer_id);
	out->shown = true;
	out->persons = (size_t)persons;
	for (size_t i = 0; i < n; i++)
		out->answers += v[i].released;
	size_t ni;
	const struct survey_item_def *items = survey_items(SURVEY_PAP, &ni);
	out->nitems = ni;
	for (size_t i = 0; i < ni; i++)
		out->items[i].code = items[i].code;
	char rf[11];
	struct pdate rd = ptime_civil_from_days(first - SURVEY_WAVE_MAX_DAYS);
	ptime_format_date(&rd, rf);
	if (pap_item_stats(db, ar, organisation_id, rf, to, v, n, out) < 0) {
		int th = out->threshold;
		memset(out, 0, sizeof(*out));
		out->threshold = th;
		return -1;
	}
	pap_comments(ar, v, n, out);
	return 0;
}

int survey_family_aggregate(struct db *db, struct arena *ar, int64_t project_id, const char *from,
			    const char *to, struct survey_aggregate *out)
{
	return aggregate(db, ar, SURVEY_FAMILLE, 0, project_id, from, to, out);
}
