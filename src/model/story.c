/* Stories (see story.h for the rules). */
#include "model/story.h"

#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/refdata.h"
#include "model/row.h"
#include "model/search.h"

/* The tag kinds, their list and the story field holding them. */
static const struct {
	const char *kind, *field;
	enum ref_list list;
} tag_kinds[] = {
	{"strategy", "strategies", REF_STRATEGY},
	{"outcome", "outcomes", REF_OUTCOME},
	{"need", "needs", REF_NEED},
	{"component", "components", REF_COMPONENT},
};

static struct strlist *tag_list(struct story *s, size_t k)
{
	struct strlist *l[] = {&s->strategies, &s->outcomes, &s->needs, &s->components};
	return l[k];
}

static const struct strlist *tag_list_c(const struct story *s, size_t k)
{
	const struct strlist *l[] = {&s->strategies, &s->outcomes, &s->needs, &s->components};
	return l[k];
}

/* One row of a two-integer lookup: 0 (found), 1 (absent), -1. */
static int lookup2(struct db *db, enum stmt_id id, int64_t key, int64_t *a, int64_t *b)
{
	struct db_stmt *s = db_stmt(db, id);
	if (!s)
		return -1;
	db_bind_int64(s, 1, key);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*a = db_col_int64(s, 0);
		if (b)
			*b = db_col_count(s) > 1 ? db_col_int64(s, 1) : 0;
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_log_error(db, "story.lookup");
		return -1;
	}
	return rc == DB_ROW ? 0 : 1;
}

static int terr_within(struct db *db, int64_t root, int64_t t)
{
	if (!root || !t)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_STORY_TERR_WITHIN);
	if (!s)
		return -1;
	db_bind_int64(s, 1, root);
	db_bind_int64(s, 2, t);
	int rc = db_step(s);
	int r = rc == DB_ROW ? db_col_int(s, 0) > 0 : -1;
	db_reset(s);
	return r;
}

static bool text_ok(const char *t, size_t max)
{
	return utf8_valid_str(t) && utf8_length(t, strlen(t)) <= max;
}

int story_validate(struct db *db, const struct actor *who, const struct story *s,
		   const struct story *old, struct validation *v)
{
	int64_t org = 0, terr = 0;
	if (!s->author_id || lookup2(db, STMT_STORY_PERSON, s->author_id, &org, &terr) != 0)
		validation_add(v, "author", N_("Cette personne n'existe pas."));
	struct pdate d;
	if (!s->date || !*s->date) {
		validation_add(v, "date", N_("La date est obligatoire."));
	} else if (ptime_parse_date(s->date, &d) < 0) {
		validation_add(v, "date", N_("Entrez une date valide (AAAA-MM-JJ)."));
	} else {
		struct pdate today = ptime_local_date(ptime_now());
		if (ptime_days_from_civil(&d) > ptime_days_from_civil(&today) + 1)
			validation_add(v, "date", N_("La date ne peut pas être dans le futur."));
	}
	if (!s->text || !*s->text)
		validation_add(v, "text", N_("Écrivez le récit."));
	else if (!text_ok(s->text, STORY_TEXT_MAX))
		validation_add(v, "text", N_("Le récit est limité à 10 000 caractères."));
	for (size_t k = 0; k < ARRAY_LEN(tag_kinds); k++) {
		const struct strlist *l = tag_list_c(s, k);
		for (size_t i = 0; i < l->n; i++) {
			bool dup = false;
			for (size_t j = 0; j < i; j++)
				dup = dup || strcmp(l->v[j], l->v[i]) == 0;
			if (dup) {
				validation_add(v, tag_kinds[k].field,
					       N_("Une valeur est répétée."));
				break;
			}
			if (!refdata_valid(db, tag_kinds[k].list, l->v[i], org)) {
				validation_add(v, tag_kinds[k].field,
					       N_("Cette valeur ne fait pas partie de la liste."));
				break;
			}
		}
	}
	/* The activity: one the actor may see (a PAP's own, a manager's
	 * organisation's). */
	if (s->activity_id && !(old && old->activity_id == s->activity_id)) {
		struct arena *ar = arena_new(2048);
		struct activity a;
		int r = activity_get(db, ar, who, s->activity_id, &a);
		arena_free(ar);
		if (r < 0)
			return -1;
		if (r > 0)
			validation_add(v, "activity", N_("Cette activité n'existe pas."));
	}
	/* The family: of the author's organisation; quotable only with
	 * consent to citation. */
	int64_t forg = 0, citation = 0;
	if (s->family_id) {
		int r = lookup2(db, STMT_STORY_FAMILY, s->family_id, &forg, &citation);
		if (r < 0)
			return -1;
		bool kept = old && old->family_id == s->family_id;
		if (r > 0 || !org || forg != org) {
			if (!kept)
				validation_add(v, "family", N_("Cette famille n'existe pas."));
			else if (s->consent_quote)
				validation_add(v, "consent_quote",
					       N_("La famille n'a pas consenti à être citée : ce "
						  "récit ne peut pas être cité."));
		} else if (s->consent_quote && !citation)
			validation_add(v, "consent_quote",
				       N_("La famille n'a pas consenti à être citée : ce récit ne "
					  "peut pas être cité."));
	}
	if (s->project_id) {
		int64_t pt = 0;
		int r = lookup2(db, STMT_STORY_PROJECT_TERRITORY, s->project_id, &pt, NULL);
		if (r < 0)
			return -1;
		if (r > 0)
			validation_add(v, "project", N_("Ce projet n'existe pas."));
	}
	if (s->territory_id) {
		int64_t n = 0;
		if (lookup2(db, STMT_STORY_TERRITORY_EXISTS, s->territory_id, &n, NULL) < 0)
			return -1;
		if (!n)
			validation_add(v, "territory", N_("Ce territoire n'existe pas."));
	}
	return v->n ? -1 : 0;
}

static void bind_id(struct db_stmt *s, int i, int64_t id)
{
	if (id)
		db_bind_int64(s, i, id);
	else
		db_bind_null(s, i);
}

int story_save(struct db *db, struct arena *ar, struct story *s)
{
	if (!s->ext_id || !*s->ext_id)
		s->ext_id = row_new_ext_id(ar, "rec");
	if (!s->territory_id) {
		int64_t t = 0, x = 0;
		if (s->activity_id &&
		    lookup2(db, STMT_STORY_ACTIVITY_TERRITORY, s->activity_id, &t, NULL) < 0)
			return -1;
		if (!t && s->project_id &&
		    lookup2(db, STMT_STORY_PROJECT_TERRITORY, s->project_id, &t, NULL) < 0)
			return -1;
		if (!t && lookup2(db, STMT_STORY_PERSON, s->author_id, &x, &t) < 0)
			return -1;
		s->territory_id = t;
	}
	struct db_stmt *st = db_stmt(db, s->id ? STMT_STORY_UPDATE : STMT_STORY_INSERT);
	if (!st)
		return -1;
	db_bind_text_copy(st, 1, s->ext_id);
	db_bind_int64(st, 2, s->author_id);
	db_bind_text(st, 3, s->date);
	db_bind_text(st, 4, s->text);
	bind_id(st, 5, s->activity_id);
	bind_id(st, 6, s->family_id);
	bind_id(st, 7, s->project_id);
	bind_id(st, 8, s->territory_id);
	db_bind_int(st, 9, s->consent_quote);
	search_bind_text(st, 10, s->text, NULL, NULL);
	if (s->id)
		db_bind_int64(st, 11, s->id);
	if (row_exec(db, st, "story.save") < 0)
		return -1;
	if (!s->id)
		s->id = db_last_insert_id(db);
	if (!(st = db_stmt(db, STMT_STORY_TAG_CLEAR)))
		return -1;
	db_bind_int64(st, 1, s->id);
	if (row_exec(db, st, "story.tags") < 0)
		return -1;
	for (size_t k = 0; k < ARRAY_LEN(tag_kinds); k++) {
		const struct strlist *l = tag_list(s, k);
		for (size_t i = 0; i < l->n; i++) {
			if (!(st = db_stmt(db, STMT_STORY_TAG_ADD)))
				return -1;
			db_bind_int64(st, 1, s->id);
			db_bind_text(st, 2, tag_kinds[k].kind);
			db_bind_text(st, 3, l->v[i]);
			if (row_exec(db, st, "story.tags") < 0)
				return -1;
		}
	}
	return 0;
}

/* Reads a row of STORY_COLUMNS; the family's organisation goes to *forg. */
static void read_row(struct arena *ar, struct db_stmt *st, struct story *s, int64_t *forg)
{
	memset(s, 0, sizeof(*s));
	s->id = db_col_int64(st, 0);
	s->ext_id = db_col_text(ar, st, 1);
	s->author_id = db_col_int64(st, 2);
	s->date = db_col_text(ar, st, 3);
	s->text = db_col_text(ar, st, 4);
	s->activity_id = db_col_int64(st, 5);
	s->family_id = db_col_int64(st, 6);
	s->project_id = db_col_int64(st, 7);
	s->territory_id = db_col_int64(st, 8);
	s->consent_quote = db_col_int(st, 9) != 0;
	s->author_organisation_id = db_col_int64(st, 14);
	s->family_code = db_col_text(ar, st, 15);
	*forg = db_col_int64(st, 16);
	s->quotable = db_col_int(st, 17) != 0;
	s->author_ext = db_col_text(ar, st, 18);
	s->activity_ext = db_col_text(ar, st, 19);
	s->family_ext = db_col_text(ar, st, 20);
	s->project_ext = db_col_text(ar, st, 21);
	s->territory_ext = db_col_text(ar, st, 22);
	/* Each level's choice: selected, reason, by, at, by's external id. */
	const int first[STORY_LEVELS][5] = {{10, 11, 12, 13, 23}, {24, 25, 26, 27, 28}};
	for (size_t l = 0; l < STORY_LEVELS; l++) {
		struct story_choice *c = &s->levels[l];
		c->selected = db_col_int(st, first[l][0]) != 0;
		c->reason = db_col_text(ar, st, first[l][1]);
		c->by = db_col_int64(st, first[l][2]);
		c->at = db_col_int64(st, first[l][3]);
		c->by_ext = db_col_text(ar, st, first[l][4]);
		s->selected = s->selected || c->selected;
	}
}

static int read_tags(struct db *db, struct arena *ar, int64_t id, struct strlist lists[4])
{
	size_t caps[4] = {0};
	for (size_t k = 0; k < 4; k++)
		lists[k] = (struct strlist){0};
	struct db_stmt *st = db_stmt(db, STMT_STORY_TAGS);
	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = db_col_cstr(st, 0);
		for (size_t k = 0; k < ARRAY_LEN(tag_kinds); k++)
			if (kind && strcmp(kind, tag_kinds[k].kind) == 0) {
				struct strlist *l = &lists[k];
				l->v = arena_grow(ar, l->v, l->n, &caps[k], sizeof(*l->v));
				l->v[l->n++] = db_col_text(ar, st, 1);
			}
	}
	db_reset(st);
	if (rc != DB_DONE) {
		db_log_error(db, "story.tags");
		return -1;
	}
	return 0;
}

static int load_tags(struct db *db, struct arena *ar, struct story *s)
{
	struct strlist l[4];
	if (read_tags(db, ar, s->id, l) < 0)
		return -1;
	for (size_t k = 0; k < 4; k++)
		*tag_list(s, k) = l[k];
	return 0;
}

/* What who sees of s: 2 = whole, 1 = without text unless quotable and
 * without author, family or activity, 0 = nothing. -1 on error. */
static int visibility(struct db *db, const struct actor *who, const struct story *s)
{
	switch (who->role) {
	case ROLE_PAP: return s->author_id == who->person_id ? 2 : 0;
	case ROLE_GESTIONNAIRE:
		return who->organisation_id && s->author_organisation_id == who->organisation_id
			       ? 2
			       : 0;
	case ROLE_COMITE: {
		int r = terr_within(db, who->territory_id, s->territory_id);
		return r < 0 ? -1 : r;
	}
	case ROLE_ANALYSTE: return s->selected ? 1 : 0;
	default: return 0;
	}
}

/* Applies a visibility level to a story just read. */
static void restrict_to(const struct actor *who, struct story *s, int level, int64_t forg)
{
	s->full = level == 2;
	/* The family's code only to those who may see the family. */
	if (!(s->full && (who->role == ROLE_PAP || who->role == ROLE_GESTIONNAIRE) &&
	      forg == who->organisation_id))
		s->family_code = NULL;
	if (s->full)
		return;
	if (!s->quotable)
		s->text = NULL;
	s->author_id = 0;
	s->activity_id = 0;
	s->family_id = 0;
	s->family_code = NULL;
	s->author_ext = s->activity_ext = s->family_ext = NULL;
	/* Who chose: only the reader's own level's. */
	for (size_t l = 0; l < STORY_LEVELS; l++)
		if ((enum story_level)(l + 1) != story_level_of(who)) {
			s->levels[l].by = 0;
			s->levels[l].by_ext = NULL;
		}
}

int story_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
	      struct story *out)
{
	struct db_stmt *st = db_stmt(db, STMT_STORY_GET);
	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	int64_t forg = 0;
	int r = row_fetch(db, st, "story.get");
	if (r != 0)
		return r;
	read_row(ar, st, out, &forg);
	db_reset(st);
	int level = visibility(db, who, out);
	if (level < 0)
		return -1;
	if (level == 0) {
		memset(out, 0, sizeof(*out));
		return 1;
	}
	restrict_to(who, out, level, forg);
	return load_tags(db, ar, out);
}

bool story_can_edit(const struct actor *who, const struct story *s)
{
	return s->full && (who->role == ROLE_PAP || who->role == ROLE_GESTIONNAIRE);
}

enum story_level story_level_of(const struct actor *who)
{
	if (who && who->role == ROLE_GESTIONNAIRE && who->organisation_id)
		return STORY_LEVEL_ORGANISATION;
	if (who && who->role == ROLE_COMITE && who->territory_id)
		return STORY_LEVEL_TERRITOIRE;
	return STORY_LEVEL_NONE;
}

const char *story_level_code(enum story_level l)
{
	switch (l) {
	case STORY_LEVEL_ORGANISATION: return "organisation";
	case STORY_LEVEL_TERRITOIRE: return "territoire";
	case STORY_LEVEL_NONE: break;
	}
	return "";
}

const char *story_level_name(enum story_level l)
{
	switch (l) {
	case STORY_LEVEL_ORGANISATION: return N_("Organisation");
	case STORY_LEVEL_TERRITOIRE: return N_("Territoire");
	case STORY_LEVEL_NONE: break;
	}
	return "";
}

const char *story_level_chosen_by(enum story_level l)
{
	return l == STORY_LEVEL_TERRITOIRE ? N_("Retenu par le comité du territoire")
					   : N_("Retenu par l'organisation");
}

const struct story_choice *story_choice_of(const struct story *s, enum story_level l)
{
	if (l < STORY_LEVEL_ORGANISATION || l > STORY_LEVELS)
		abort(); /* a broken invariant: no such level */
	return &s->levels[l - 1];
}

bool story_can_select(struct db *db, const struct actor *who, const struct story *s)
{
	switch (story_level_of(who)) {
	case STORY_LEVEL_ORGANISATION: return s->author_organisation_id == who->organisation_id;
	case STORY_LEVEL_TERRITOIRE:
		/* From what the level below selected. */
		return (story_choice_of(s, STORY_LEVEL_ORGANISATION)->selected ||
			story_choice_of(s, STORY_LEVEL_TERRITOIRE)->selected) &&
		       terr_within(db, who->territory_id, s->territory_id) == 1;
	case STORY_LEVEL_NONE: break;
	}
	return false;
}

bool story_text_readable(const struct story *s)
{
	return s->text && *s->text;
}

/* The scope of who's list (STMT_STORY_LIST's ?1 … ?3, ?6, ?7) and the
 * visibility level of its rows (visibility's 2 or 1); false when who reads
 * no story. The statement's scope is visibility's rule, so every row it
 * answers is visible and a page is never cut after its LIMIT. */
struct list_scope {
	int64_t terr, author, org;
	bool selected;
	int level;
};

static bool list_scope_of(const struct actor *who, const struct story_filter *f,
			  struct list_scope *sc)
{
	*sc = (struct list_scope){.selected = f->selected_only, .level = 2};
	switch (who->role) {
	case ROLE_PAP: sc->author = who->person_id; return true;
	case ROLE_GESTIONNAIRE:
		sc->org = who->organisation_id;
		if (f->mine_only)
			sc->author = who->person_id;
		return who->organisation_id != 0;
	case ROLE_COMITE:
		sc->terr = who->territory_id;
		sc->level = 1;
		return who->territory_id != 0;
	case ROLE_ANALYSTE:
		sc->selected = true;
		sc->level = 1;
		return true;
	default: return false;
	}
}

/* Binds STMT_STORY_LIST's filter (?1 … ?16) to st. */
static void bind_list(struct arena *ar, struct db_stmt *st, const struct story_filter *f,
		      const struct list_scope *sc)
{
	db_bind_int64(st, 1, sc->terr);
	db_bind_int64(st, 2, sc->author);
	db_bind_int64(st, 3, sc->org);
	if (f->from && *f->from)
		db_bind_text(st, 4, f->from);
	else
		db_bind_null(st, 4);
	if (f->to && *f->to)
		db_bind_text(st, 5, f->to);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, sc->selected);
	db_bind_int(st, 7, sc->level == 2);
	db_bind_int(st, 8, (int)f->selected_at);
	const char *words[FOLD_MAX_WORDS];
	size_t nw = f->q ? fold_words(ar, f->q, words, FOLD_MAX_WORDS) : 0;
	for (size_t i = 0; i < FOLD_MAX_WORDS; i++)
		db_bind_text_copy(st, 9 + (int)i,
				  i < nw ? arena_printf(ar, "%% %s%%", words[i]) : "%");
}

static int list_count(struct db *db, struct arena *ar, const struct story_filter *f,
		      const struct list_scope *sc, int64_t *total)
{
	struct db_stmt *st = db_stmt(db, STMT_STORY_LIST_COUNT);
	if (!st)
		return -1;
	bind_list(ar, st, f, sc);
	int rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	db_reset(st);
	if (rc != DB_ROW) {
		db_log_error(db, "story.list_count");
		return -1;
	}
	return 0;
}

int story_list(struct db *db, struct arena *ar, const struct actor *who,
	       const struct story_filter *f, struct story **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	struct list_scope sc;
	if (!list_scope_of(who, f, &sc))
		return 0;
	if (total && list_count(db, ar, f, &sc, total) < 0)
		return -1;
	int limit = f->limit <= 0 ? 200 : (f->limit > 1000 ? 1000 : f->limit);
	struct db_stmt *st = db_stmt(db, STMT_STORY_LIST);
	if (!st)
		return -1;
	bind_list(ar, st, f, &sc);
	db_bind_int(st, 17, limit);
	db_bind_int64(st, 18, f->offset > 0 ? f->offset : 0);
	struct story *v = arena_alloc(ar, (size_t)limit * sizeof(*v));
	size_t count = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && count < (size_t)limit) {
		int64_t forg;
		read_row(ar, st, &v[count], &forg);
		restrict_to(who, &v[count], sc.level, forg);
		count++;
	}
	db_reset(st);
	if (rc != DB_DONE && rc != DB_ROW) {
		db_log_error(db, "story.list");
		return -1;
	}
	for (size_t i = 0; i < count; i++)
		if (load_tags(db, ar, &v[i]) < 0)
			return -1;
	*out = v;
	*n = count;
	return 0;
}

/* Why who may not make this change of s (2, with the reason in v), or 0. */
static int refusal(const struct actor *who, const struct story *s, bool select, const char *reason,
		   struct validation *v)
{
	enum story_level l = story_level_of(who);
	if (!select) {
		if (l == STORY_LEVEL_ORGANISATION &&
		    story_choice_of(s, STORY_LEVEL_TERRITOIRE)->selected) {
			validation_add(v, "level",
				       N_("Le comité du territoire a retenu ce récit : il doit le "
					  "retirer de sa sélection d'abord."));
			return 2;
		}
		if (reason && !text_ok(reason, STORY_REASON_MAX)) {
			validation_add(v, "selection_reason",
				       N_("La raison est limitée à 2000 caractères."));
			return 2;
		}
		return 0;
	}
	if (!story_text_readable(s)) {
		validation_add(v, "text",
			       N_("Vous ne pouvez pas lire le texte de ce récit : il ne peut pas "
				  "être retenu."));
		return 2;
	}
	const char *p = reason;
	while (p && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (!p || !*p) {
		validation_add(v, "selection_reason",
			       N_("Dites pourquoi ce récit est le plus significatif."));
		return 2;
	}
	if (!text_ok(reason, STORY_REASON_MAX)) {
		validation_add(v, "selection_reason",
			       N_("La raison est limitée à 2000 caractères."));
		return 2;
	}
	return 0;
}

int story_select(struct db *db, const struct actor *who, int64_t id, bool select,
		 const char *reason, struct validation *v)
{
	struct arena *ar = arena_new(4096);
	struct story s;
	int r = story_get(db, ar, who, id, &s);
	if (r == 0 && !story_can_select(db, who, &s))
		r = 1;
	if (r == 0)
		r = refusal(who, &s, select, reason, v);
	if (r == 0) {
		enum story_level l = story_level_of(who);
		r = story_selection_put(db, id, l, select, reason, who->person_id, ptime_now());
		if (r == 0)
			log_info("story.select", "story=%lld by=%lld level=%s selected=%d",
				 (long long)id, (long long)who->person_id, story_level_code(l),
				 select ? 1 : 0);
	}
	arena_free(ar);
	return r;
}

/* The reason in force of level l for story id into *reason (arena), 1 when
 * not selected there, 0 when selected, -1 on error. */
static int choice_now(struct db *db, struct arena *ar, int64_t id, enum story_level l,
		      const char **reason)
{
	struct db_stmt *st = db_stmt(db, STMT_STORY_SELECTION_NOW);
	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, story_level_code(l));
	int r = row_fetch(db, st, "story.selection");
	if (r == 0) {
		*reason = db_col_text(ar, st, 0);
		db_reset(st);
	}
	return r;
}

int story_selection_put(struct db *db, int64_t id, enum story_level l, bool select,
			const char *reason, int64_t by, int64_t at)
{
	struct arena *ar = arena_new(1024);
	const char *now = NULL;
	int was = choice_now(db, ar, id, l, &now);
	bool changed = was >= 0 && (select != (was == 0) ||
				    (select && strcmp(now ? now : "", reason ? reason : "") != 0));
	arena_free(ar);
	if (was < 0)
		return -1;
	if (!changed)
		return 0;
	struct db_stmt *st = db_stmt(db, STMT_STORY_SELECT_EVENT);
	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, story_level_code(l));
	db_bind_int(st, 3, select);
	if (reason && *reason)
		db_bind_text(st, 4, reason);
	else
		db_bind_null(st, 4);
	bind_id(st, 5, by);
	db_bind_int64(st, 6, at);
	if (row_exec(db, st, "story.selection_event") < 0)
		return -1;
	if (!(st = db_stmt(db, select ? STMT_STORY_SELECT : STMT_STORY_UNSELECT)))
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, story_level_code(l));
	if (select) {
		db_bind_text(st, 3, reason ? reason : "");
		bind_id(st, 4, by);
		db_bind_int64(st, 5, at);
	}
	return row_exec(db, st, "story.selection");
}

static enum story_level level_from_code(const char *c)
{
	if (c && strcmp(c, "organisation") == 0)
		return STORY_LEVEL_ORGANISATION;
	if (c && strcmp(c, "territoire") == 0)
		return STORY_LEVEL_TERRITOIRE;
	return STORY_LEVEL_NONE;
}

int story_selection_history(struct db *db, struct arena *ar, const struct actor *who,
			    const struct story *s, struct story_selection_event **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_stmt(db, STMT_STORY_SELECT_HISTORY);
	if (!st)
		return -1;
	db_bind_int64(st, 1, s->id);
	struct row_array rows = {0};
	struct story_selection_event *e;
	while ((e = row_next(db, st, ar, &rows, sizeof(*e), "story.selection_history"))) {
		e->level = level_from_code(db_col_cstr(st, 0));
		e->selected = db_col_int(st, 1) != 0;
		e->reason = db_col_text(ar, st, 2);
		e->at = db_col_int64(st, 3);
		e->who = s->full || e->level == story_level_of(who) ? db_col_text(ar, st, 4) : NULL;
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* Binds the report scope (?1..?6) of STORY_SCOPE; false when the period is
 * empty. */
static bool bind_scope(struct db_stmt *st, const struct ind_scope *sc, bool selected_only,
		       char from[11], char to[11])
{
	struct pdate last = sc->to;
	if (ptime_days_from_civil(&sc->as_of) < ptime_days_from_civil(&last))
		last = sc->as_of;
	if (ptime_days_from_civil(&last) < ptime_days_from_civil(&sc->from))
		return false;
	ptime_format_date(&sc->from, from);
	ptime_format_date(&last, to);
	db_bind_int64(st, 1, sc->territory_id);
	db_bind_int64(st, 2, sc->sector_id);
	db_bind_int64(st, 3, sc->organisation_id);
	db_bind_text(st, 4, from);
	db_bind_text(st, 5, to);
	db_bind_int(st, 6, selected_only);
	return true;
}

int story_list_for_report(struct db *db, struct arena *ar, const struct ind_scope *scope,
			  enum story_view view, struct story_report_item **out, size_t *n)
{
	(void)view; /* every view gets the same: text only when quotable */
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_stmt(db, STMT_STORY_REPORT);
	if (!st)
		return -1;
	char from[11], to[11];
	if (!bind_scope(st, scope, true, from, to)) {
		db_reset(st);
		return 0;
	}
	struct row_array rows = {0};
	struct story_report_item *it;
	while ((it = row_next(db, st, ar, &rows, sizeof(*it), "story.report"))) {
		struct story s;
		int64_t forg;
		read_row(ar, st, &s, &forg);
		it->id = s.id;
		it->ext_id = s.ext_id;
		it->date = s.date;
		it->quotable = s.quotable;
		it->text = s.quotable ? s.text : NULL;
		for (size_t l = 0; l < STORY_LEVELS; l++)
			it->reasons[l] = s.levels[l].selected ? s.levels[l].reason : NULL;
		it->territory_id = s.territory_id;
	}
	if (rows.rc < 0)
		return -1;
	struct story_report_item *v = rows.v;
	size_t count = rows.n;
	for (size_t i = 0; i < count; i++) {
		struct strlist l[4];
		if (read_tags(db, ar, v[i].id, l) < 0)
			return -1;
		v[i].strategies = l[0];
		v[i].outcomes = l[1];
		v[i].needs = l[2];
		v[i].components = l[3];
	}
	*out = v;
	*n = count;
	return 0;
}

int story_count_by_tag(struct db *db, struct arena *ar, const struct ind_scope *scope,
		       bool selected_only, struct story_tag_counts *out)
{
	memset(out, 0, sizeof(*out));
	char from[11], to[11];
	struct db_stmt *st = db_stmt(db, STMT_STORY_REPORT_COUNT);
	if (!st)
		return -1;
	if (!bind_scope(st, scope, selected_only, from, to)) {
		db_reset(st);
		return 0;
	}
	int rc = db_step(st);
	if (rc == DB_ROW)
		out->stories = db_col_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW) {
		db_log_error(db, "story.count");
		return -1;
	}
	if (!(st = db_stmt(db, STMT_STORY_TAG_COUNTS)))
		return -1;
	bind_scope(st, scope, selected_only, from, to);
	struct row_array rows = {0};
	struct story_tag_count *c;
	while ((c = row_next(db, st, ar, &rows, sizeof(*c), "story.tag_counts"))) {
		c->kind = db_col_text(ar, st, 0);
		c->code = db_col_text(ar, st, 1);
		c->count = db_col_int64(st, 2);
	}
	if (rows.rc < 0)
		return -1;
	out->v = rows.v;
	out->n = rows.n;
	return 0;
}
