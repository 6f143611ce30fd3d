/* Stories and service gaps (model/story.h, model/service_gap.h) and the
 * presentation-of-mandate rule of model/activity.c, on a small hand-built
 * database: consent to quote, visibility by role, Most Significant Change
 * selection, the report functions (never a text that is not quotable;
 * counts per tag), gaps grouped by need and linked on their territory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/embed.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/activity.h"
#include "model/service_gap.h"
#include "model/story.h"
#include "support/scratch_db.h"

/* Territories: 1 region, 2 = A (child of 1), 3 = A1 (child of 2), 4 = B.
 * Organisations 1 (on A) and 2 (on B). Persons: 1 PAP of org 1 on A, 2 PAP
 * of org 1, 3 manager of org 1, 4 comité of A, 5 comité of B, 6 analyst,
 * 7 PAP of org 2 on B, 8 manager of org 2. Families: 1 (org 1, consent to
 * citation), 2 (org 1, no citation). Corridors 1 on A, 2 on B; projects 1
 * on A, 2 on B. */
static const struct actor pap1 = {
	.person_id = 1, .role = ROLE_PAP, .organisation_id = 1, .territory_id = 2};
static const struct actor pap2 = {
	.person_id = 2, .role = ROLE_PAP, .organisation_id = 1, .territory_id = 2};
static const struct actor gest1 = {
	.person_id = 3, .role = ROLE_GESTIONNAIRE, .organisation_id = 1, .territory_id = 2};
static const struct actor comA = {.person_id = 4, .role = ROLE_COMITE, .territory_id = 2};
static const struct actor comB = {.person_id = 5, .role = ROLE_COMITE, .territory_id = 4};
static const struct actor analyst = {.person_id = 6, .role = ROLE_ANALYSTE};
static const struct actor gest2 = {
	.person_id = 8, .role = ROLE_GESTIONNAIRE, .organisation_id = 2, .territory_id = 4};

static int setup(void **state)
{
	struct scratch *f = scratch_new(
		"stories", 64 * 1024,
		"INSERT INTO territory (id, ext_id, name, parent_id) VALUES"
		" (1, 'R', 'Région', NULL), (2, 'A', 'A', 1), (3, 'A1', 'A1', 2), (4, 'B', 'B', "
		"NULL);"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		"INSERT INTO organisation_territory VALUES (1, 2), (1, 3), (2, 4);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', 'P1', 'pap', 1, 2), (2, 'p2', 'P2', 'pap', 1, 2),"
		" (3, 'g1', 'G1', 'gestionnaire', 1, 2), (4, 'cA', 'CA', 'comite', NULL, 2),"
		" (5, 'cB', 'CB', 'comite', NULL, 4), (6, 'an', 'AN', 'analyste', NULL, NULL),"
		" (7, 'p7', 'P7', 'pap', 2, 4), (8, 'g2', 'G2', 'gestionnaire', 2, 4);"
		"INSERT INTO family (id, ext_id, organisation_id, code, follower_id, opened, "
		" consent_date, consent_language, consent_suivi, consent_citation) VALUES"
		" (1, 'f1', 1, 'F-001', 1, '2025-01-01', '2025-01-01', 'fr', 1, 1),"
		" (2, 'f2', 1, 'F-002', 1, '2025-01-01', '2025-01-01', 'fr', 1, 0);"
		"INSERT INTO corridor (id, ext_id, territory_id, name, entry_organisation_id) "
		"VALUES"
		" (1, 'cor1', 2, 'Corridor A', 1), (2, 'cor2', 4, 'Corridor B', 2);"
		"INSERT INTO project (id, ext_id, territory_id, name, start_date) VALUES"
		" (1, 'prA', 2, 'Projet A', '2025-01-01'), (2, 'prB', 4, 'Projet B', "
		"'2025-01-01');");
	assert_non_null(f);
	*state = f;
	return 0;
}

/* Saves a story by author, returns its id (asserts it is valid). */
static int64_t add_story(struct scratch *f, const struct actor *who, const char *date,
			 const char *text, int64_t family, bool quote, const char *strategy,
			 const char *outcome)
{
	struct story s = {.author_id = who->person_id,
			  .date = date,
			  .text = text,
			  .family_id = family,
			  .consent_quote = quote};
	if (strategy) {
		const char **v = arena_alloc(f->ar, sizeof(*v));
		v[0] = strategy;
		s.strategies = (struct strlist){v, 1};
	}
	if (outcome) {
		const char **v = arena_alloc(f->ar, sizeof(*v));
		v[0] = outcome;
		s.outcomes = (struct strlist){v, 1};
	}
	struct validation v = {0};
	assert_int_equal(story_validate(f->db, who, &s, NULL, &v), 0);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(story_save(f->db, f->ar, &s), 0);
	assert_int_equal(db_commit(f->db), 0);
	return s.id;
}

static int select_story(struct scratch *f, const struct actor *who, int64_t id, const char *why)
{
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	int r = story_select(f->db, who, id, true, why, &v);
	assert_int_equal(db_commit(f->db), 0);
	return r;
}

static void test_quote_needs_citation_consent(void **state)
{
	struct scratch *f = *state;
	struct story s = {.author_id = 1,
			  .date = "2025-03-01",
			  .text = "Un récit.",
			  .family_id = 2,
			  .consent_quote = true};
	struct validation v = {0};
	assert_int_equal(story_validate(f->db, &pap1, &s, NULL, &v), -1);
	assert_non_null(validation_get(&v, "consent_quote"));
	/* The same story, not quotable: valid. */
	memset(&v, 0, sizeof(v));
	s.consent_quote = false;
	assert_int_equal(story_validate(f->db, &pap1, &s, NULL, &v), 0);
	/* A family that consents to citation: quotable. */
	memset(&v, 0, sizeof(v));
	s.family_id = 1;
	s.consent_quote = true;
	assert_int_equal(story_validate(f->db, &pap1, &s, NULL, &v), 0);
	/* Another organisation's family: refused. */
	memset(&v, 0, sizeof(v));
	s.author_id = 7;
	assert_int_equal(story_validate(f->db, &pap1, &s, NULL, &v), -1);
	assert_non_null(validation_get(&v, "family"));
}

/* Editing a story keeps its activity even after that activity was
 * deleted; a new story cannot link a deleted activity. */
static void test_edit_keeps_deleted_activity(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db,
		"INSERT INTO activity (id, ext_id, author_id, organisation_id, territory_id, "
		"date, duration_min, type, created_at, updated_at) VALUES (1, 'a1', 1, 1, 2, "
		"'2025-03-01', 30, 'contact_informel', 0, 0)");
	struct story s = {.author_id = 1, .date = "2025-03-01", .text = "Texte", .activity_id = 1};
	struct validation v = {0};
	assert_int_equal(story_validate(f->db, &pap1, &s, NULL, &v), 0);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(story_save(f->db, f->ar, &s), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(s.territory_id, 2);
	exec_ok(f->db, "UPDATE activity SET deleted_at = 1 WHERE id = 1");
	struct story old;
	assert_int_equal(story_get(f->db, f->ar, &pap1, s.id, &old), 0);
	struct story edit = old;
	edit.text = "Texte revu";
	assert_int_equal(story_validate(f->db, &pap1, &edit, &old, &v), 0);
	struct story fresh = {.author_id = 1, .date = "2025-03-02", .text = "x", .activity_id = 1};
	assert_int_equal(story_validate(f->db, &pap1, &fresh, NULL, &v), -1);
	assert_non_null(validation_get(&v, "activity"));
}

static void test_visibility_by_role(void **state)
{
	struct scratch *f = *state;
	int64_t quoted =
		add_story(f, &pap1, "2025-03-02", "Texte citable", 1, true, "empowerment", NULL);
	int64_t closed = add_story(f, &pap1, "2025-03-03", "Texte privé", 2, false, "proactif",
				   "lien_confiance");
	struct story s;
	/* Author and manager: everything, with the family's code. */
	assert_int_equal(story_get(f->db, f->ar, &pap1, closed, &s), 0);
	assert_string_equal(s.text, "Texte privé");
	assert_string_equal(s.family_code, "F-002");
	assert_int_equal(story_get(f->db, f->ar, &gest1, closed, &s), 0);
	assert_string_equal(s.text, "Texte privé");
	/* Another PAP, another organisation's manager: nothing. */
	assert_int_equal(story_get(f->db, f->ar, &pap2, closed, &s), 1);
	assert_int_equal(story_get(f->db, f->ar, &gest2, closed, &s), 1);
	/* The comité of A: the tags, never the text of a non-quotable story,
	 * never the family. */
	assert_int_equal(story_get(f->db, f->ar, &comA, closed, &s), 0);
	assert_null(s.text);
	assert_null(s.family_code);
	assert_int_equal(s.family_id, 0);
	assert_int_equal(s.strategies.n, 1);
	assert_string_equal(s.strategies.v[0], "proactif");
	assert_int_equal(story_get(f->db, f->ar, &comA, quoted, &s), 0);
	assert_string_equal(s.text, "Texte citable");
	assert_null(s.family_code);
	/* The comité of B: nothing. An analyst: only selected stories. */
	assert_int_equal(story_get(f->db, f->ar, &comB, quoted, &s), 1);
	assert_int_equal(story_get(f->db, f->ar, &analyst, quoted, &s), 1);
}

static void test_selection_requires_reason(void **state)
{
	struct scratch *f = *state;
	int64_t id = add_story(f, &pap1, "2025-04-01", "À retenir", 0, true, NULL, NULL);
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(story_select(f->db, &gest1, id, true, "   ", &v), 2);
	assert_non_null(validation_get(&v, "selection_reason"));
	db_rollback(f->db);
	/* Not the manager of the author's organisation, not the comité of
	 * the territory: as if absent. */
	assert_int_equal(select_story(f, &gest2, id, "Parce que."), 1);
	assert_int_equal(select_story(f, &comB, id, "Parce que."), 1);
	assert_int_equal(select_story(f, &pap1, id, "Parce que."), 1);
	/* The comité of A selects from what the organisation selected: not
	 * yet. */
	assert_int_equal(select_story(f, &comA, id, "Parce que."), 1);
	assert_int_equal(select_story(f, &gest1, id, "Le changement le plus net."), 0);
	struct story s;
	assert_int_equal(story_get(f->db, f->ar, &gest1, id, &s), 0);
	const struct story_choice *org = story_choice_of(&s, STORY_LEVEL_ORGANISATION);
	assert_true(s.selected);
	assert_true(org->selected);
	assert_string_equal(org->reason, "Le changement le plus net.");
	assert_int_equal(org->by, 3);
	assert_true(org->at > 0);
	assert_false(story_choice_of(&s, STORY_LEVEL_TERRITOIRE)->selected);
	/* Now the comité of A may: its own choice, its own reason. */
	assert_int_equal(select_story(f, &comA, id, "Pour le territoire."), 0);
	assert_int_equal(story_get(f->db, f->ar, &gest1, id, &s), 0);
	assert_string_equal(story_choice_of(&s, STORY_LEVEL_TERRITOIRE)->reason,
			    "Pour le territoire.");
	assert_string_equal(story_choice_of(&s, STORY_LEVEL_ORGANISATION)->reason,
			    "Le changement le plus net.");
	/* The manager may not withdraw what the comité keeps. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(story_select(f->db, &gest1, id, false, NULL, &v), 2);
	assert_non_null(validation_get(&v, "level"));
	db_rollback(f->db);
	/* The comité withdraws its own; the organisation's stays. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(story_select(f->db, &comA, id, false, "Plus tard.", &v), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(story_get(f->db, f->ar, &gest1, id, &s), 0);
	assert_true(s.selected);
	assert_false(story_choice_of(&s, STORY_LEVEL_TERRITOIRE)->selected);
	/* The history: selected (organisation), selected then withdrawn
	 * (territory), with who where the reader may know. */
	struct story_selection_event *e;
	size_t n;
	assert_int_equal(story_selection_history(f->db, f->ar, &gest1, &s, &e, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e[0].level, STORY_LEVEL_ORGANISATION);
	assert_true(e[0].selected);
	assert_int_equal(e[2].level, STORY_LEVEL_TERRITOIRE);
	assert_false(e[2].selected);
	assert_string_equal(e[2].reason, "Plus tard.");
}

/* The comité never selects a story whose text it cannot read, even once
 * the organisation selected it. */
static void test_committee_selects_only_what_it_reads(void **state)
{
	struct scratch *f = *state;
	int64_t id = add_story(f, &pap1, "2025-04-02", "Non citable", 0, false, NULL, NULL);
	assert_int_equal(select_story(f, &gest1, id, "Lu en entier."), 0);
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(story_select(f->db, &comA, id, true, "Sans le lire.", &v), 2);
	assert_non_null(validation_get(&v, "text"));
	db_rollback(f->db);
	struct story s;
	assert_int_equal(story_get(f->db, f->ar, &comA, id, &s), 0);
	assert_null(s.text);
	assert_false(story_choice_of(&s, STORY_LEVEL_TERRITOIRE)->selected);
}

/* The migration moves the one shared flag into the organisation level,
 * with its history, and empties the old columns. Its SQL is run again on
 * a database put back as it was before it. */
static void test_migration_moves_the_flag(void **state)
{
	struct scratch *f = *state;
	const struct embedded_file *m = NULL;
	for (int v = 1; v <= migrate_latest(); v++) {
		const struct embedded_file *e = migrate_file(db_engine(f->db), v);
		if (e && strstr(e->name, "_story_levels.sql"))
			m = e;
	}
	assert_non_null(m);
	exec_ok(f->db,
		"DROP TABLE story_selection_event; DROP TABLE story_selection;"
		"ALTER TABLE portrait DROP COLUMN label_en;"
		"CREATE INDEX story_selected_date ON story (selected, date);"
		"INSERT INTO story (id, ext_id, author_id, date, text, territory_id, "
		"consent_quote, selected, selection_reason, selected_by, selected_at) VALUES "
		"(90, 'old1', 1, '2025-01-10', 'Ancien', 2, 1, 1, 'Choisi avant', 3, 1700000000),"
		"(91, 'old2', 1, '2025-01-11', 'Pas choisi', 2, 1, 0, NULL, NULL, NULL);");
	exec_ok(f->db, (const char *)m->data);
	struct story s;
	assert_int_equal(story_get(f->db, f->ar, &gest1, 90, &s), 0);
	const struct story_choice *org = story_choice_of(&s, STORY_LEVEL_ORGANISATION);
	assert_true(org->selected);
	assert_string_equal(org->reason, "Choisi avant");
	assert_int_equal(org->by, 3);
	assert_int_equal(org->at, 1700000000);
	assert_false(story_choice_of(&s, STORY_LEVEL_TERRITOIRE)->selected);
	struct story_selection_event *e;
	size_t n;
	assert_int_equal(story_selection_history(f->db, f->ar, &gest1, &s, &e, &n), 0);
	assert_int_equal(n, 1);
	assert_true(e[0].selected);
	assert_int_equal(story_get(f->db, f->ar, &gest1, 91, &s), 0);
	assert_false(s.selected);
}

static void scope_of(struct ind_scope *sc, const char *from, const char *to, int64_t terr)
{
	struct pdate a, b;
	assert_int_equal(ptime_parse_date(from, &a), 0);
	assert_int_equal(ptime_parse_date(to, &b), 0);
	ind_scope_init(sc, &a, &b);
	sc->territory_id = terr;
}

static void test_report_never_gives_unquotable_text(void **state)
{
	struct scratch *f = *state;
	int64_t q = add_story(f, &pap1, "2025-05-01", "Citable", 1, true, "empowerment", NULL);
	int64_t n = add_story(f, &pap1, "2025-05-02", "Secret", 2, false, "empowerment", NULL);
	int64_t nq = add_story(f, &pap1, "2025-05-03", "Pas de consentement", 0, false, NULL, NULL);
	int64_t other = add_story(f, &pap1, "2025-05-04", "Non retenu", 0, true, NULL, NULL);
	int64_t b = add_story(
		f,
		&(struct actor){
			.person_id = 7, .role = ROLE_PAP, .organisation_id = 2, .territory_id = 4},
		"2025-05-05", "Sur B", 0, true, NULL, NULL);
	assert_int_equal(select_story(f, &gest1, q, "r1"), 0);
	assert_int_equal(select_story(f, &gest1, n, "r2"), 0);
	assert_int_equal(select_story(f, &gest1, nq, "r3"), 0);
	/* The comité may not: it cannot read the text (not quotable). */
	assert_int_equal(select_story(f, &comA, nq, "r3"), 2);
	assert_int_equal(select_story(f, &gest2, b, "r4"), 0);
	(void)other;
	/* Consent withdrawn after the fact: the family 1 story stays selected
	 * but its text is no longer given. */
	struct ind_scope sc;
	scope_of(&sc, "2025-05-01", "2025-05-31", 2);
	for (int view = STORY_VIEW_COMPLET; view <= STORY_VIEW_ANALYSTE; view++) {
		struct story_report_item *v;
		size_t k;
		assert_int_equal(
			story_list_for_report(f->db, f->ar, &sc, (enum story_view)view, &v, &k), 0);
		assert_int_equal(k, 3); /* selected, on A: q, n, nq (not other, not b) */
		for (size_t i = 0; i < k; i++) {
			if (v[i].id == q) {
				assert_string_equal(v[i].text, "Citable");
				assert_true(v[i].quotable);
				assert_int_equal(v[i].strategies.n, 1);
			} else {
				assert_null(v[i].text);
				assert_false(v[i].quotable);
			}
		}
	}
	exec_ok(f->db, "UPDATE family SET consent_citation = 0 WHERE id = 1");
	struct story_report_item *v;
	size_t k;
	assert_int_equal(story_list_for_report(f->db, f->ar, &sc, STORY_VIEW_COMPLET, &v, &k), 0);
	for (size_t i = 0; i < k; i++)
		assert_null(v[i].text);
	exec_ok(f->db, "UPDATE family SET consent_citation = 1 WHERE id = 1");
	/* The region (with descendants) has the B story? No: B is elsewhere. */
	scope_of(&sc, "2025-05-01", "2025-05-31", 1);
	assert_int_equal(story_list_for_report(f->db, f->ar, &sc, STORY_VIEW_COMITE, &v, &k), 0);
	assert_int_equal(k, 3);
	scope_of(&sc, "2025-05-01", "2025-05-31", 0);
	assert_int_equal(story_list_for_report(f->db, f->ar, &sc, STORY_VIEW_COMITE, &v, &k), 0);
	assert_int_equal(k, 4);
}

static int64_t count_of(const struct story_tag_counts *c, const char *kind, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].kind, kind) == 0 && strcmp(c->v[i].code, code) == 0)
			return c->v[i].count;
	return 0;
}

static void test_counts_by_tag(void **state)
{
	struct scratch *f = *state;
	add_story(f, &pap1, "2025-06-01", "a", 0, false, "empowerment", "lien_confiance");
	add_story(f, &pap1, "2025-06-02", "b", 0, false, "empowerment", "aidant");
	int64_t c = add_story(f, &pap1, "2025-06-03", "c", 0, false, "proactif", "lien_confiance");
	add_story(f, &pap1, "2025-07-01", "out of period", 0, false, "proactif", NULL);
	assert_int_equal(select_story(f, &gest1, c, "c"), 0);
	struct ind_scope sc;
	scope_of(&sc, "2025-06-01", "2025-06-30", 2);
	struct story_tag_counts t;
	assert_int_equal(story_count_by_tag(f->db, f->ar, &sc, false, &t), 0);
	assert_int_equal(t.stories, 3);
	assert_int_equal(count_of(&t, "strategy", "empowerment"), 2);
	assert_int_equal(count_of(&t, "strategy", "proactif"), 1);
	assert_int_equal(count_of(&t, "outcome", "lien_confiance"), 2);
	assert_int_equal(count_of(&t, "outcome", "aidant"), 1);
	assert_int_equal(story_count_by_tag(f->db, f->ar, &sc, true, &t), 0);
	assert_int_equal(t.stories, 1);
	assert_int_equal(count_of(&t, "strategy", "proactif"), 1);
	assert_int_equal(count_of(&t, "strategy", "empowerment"), 0);
	/* Territory B has none of them. */
	scope_of(&sc, "2025-06-01", "2025-06-30", 4);
	assert_int_equal(story_count_by_tag(f->db, f->ar, &sc, false, &t), 0);
	assert_int_equal(t.stories, 0);
	assert_int_equal(t.n, 0);
}

static void add_gap(struct scratch *f, const struct actor *who, int64_t terr, const char *need,
		    const char *pop, const char *freq)
{
	struct service_gap g = {.territory_id = terr,
				.date = "2025-06-10",
				.need = need,
				.population = pop,
				.frequency = freq,
				.author_id = who->person_id,
				.description = "Rien le soir."};
	struct validation v = {0};
	assert_int_equal(service_gap_validate(f->db, who, &g, &v), 0);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(service_gap_save(f->db, f->ar, &g), 0);
	assert_int_equal(db_commit(f->db), 0);
}

static void test_gaps_grouped_by_need(void **state)
{
	struct scratch *f = *state;
	add_gap(f, &pap1, 2, "transport", "familles_0_5", "hebdomadaire");
	add_gap(f, &pap1, 2, "transport", "familles_0_5", NULL);
	add_gap(f, &pap2, 3, "transport", "aines", "mensuel");
	add_gap(f, &pap1, 2, "logement", NULL, "unique");
	add_gap(f,
		&(struct actor){
			.person_id = 7, .role = ROLE_PAP, .organisation_id = 2, .territory_id = 4},
		4, "logement", NULL, NULL);
	/* Bad frequency and territory: refused with the field named. */
	struct service_gap bad = {.territory_id = 4,
				  .date = "2025-06-10",
				  .need = "transport",
				  .frequency = "souvent",
				  .author_id = 1};
	struct validation v = {0};
	assert_int_equal(service_gap_validate(f->db, &pap1, &bad, &v), -1);
	assert_non_null(validation_get(&v, "frequency"));
	assert_non_null(validation_get(&v, "territory"));

	/* The comité of A: 4 gaps (A and A1), no description, no author. */
	struct service_gap *gaps;
	size_t n;
	assert_int_equal(service_gap_list(f->db, f->ar, &comA, NULL, NULL, &gaps, &n), 0);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		assert_null(gaps[i].description);
		assert_int_equal(gaps[i].author_id, 0);
	}
	struct service_gap_group *g;
	size_t ng;
	service_gap_group_by_need(f->ar, gaps, n, &g, &ng);
	assert_int_equal(ng, 2);
	assert_string_equal(g[0].need, "transport");
	assert_int_equal(g[0].count, 3);
	assert_int_equal(g[0].n_populations, 2);
	assert_string_equal(g[0].populations[0].population, "familles_0_5");
	assert_int_equal(g[0].populations[0].count, 2);
	assert_string_equal(g[1].need, "logement");
	assert_int_equal(g[1].count, 1);
	/* The author sees the description of theirs. */
	assert_int_equal(service_gap_list(f->db, f->ar, &pap1, NULL, NULL, &gaps, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(gaps[0].description, "Rien le soir.");
	/* The comité of B sees the one of B only. */
	assert_int_equal(service_gap_list(f->db, f->ar, &comB, NULL, NULL, &gaps, &n), 0);
	assert_int_equal(n, 1);
}

static void test_gap_link_same_territory(void **state)
{
	struct scratch *f = *state;
	add_gap(f, &pap1, 2, "alimentation", NULL, NULL);
	int64_t id = db_last_insert_id(f->db);
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	/* A corridor and a project of territory B: refused. */
	assert_int_equal(service_gap_link(f->db, &comA, id, 2, 2, &v), 2);
	assert_non_null(validation_get(&v, "corridor"));
	assert_non_null(validation_get(&v, "project"));
	/* Not the comité of this territory: as if absent. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(service_gap_link(f->db, &comB, id, 2, 0, &v), 1);
	assert_int_equal(service_gap_link(f->db, &gest1, id, 1, 0, &v), 1);
	assert_int_equal(service_gap_link(f->db, &comA, id, 1, 1, &v), 0);
	assert_int_equal(db_commit(f->db), 0);
	struct service_gap *gaps;
	size_t n;
	assert_int_equal(service_gap_list(f->db, f->ar, &comA, NULL, NULL, &gaps, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(gaps[0].corridor_id, 1);
	assert_int_equal(gaps[0].project_id, 1);
}

/* The model (and so the API and the import) accepts a presentation of
 * mandate without a partner: interchange.md makes partners optional. The
 * web form asks for it (e2e_stories). */
static void test_presentation_partner_optional(void **state)
{
	struct scratch *f = *state;
	struct activity a = {.author_id = 1,
			     .organisation_id = 1,
			     .territory_id = 2,
			     .date = "2025-06-01",
			     .duration_min = 60,
			     .type = "presentation_mandat"};
	struct validation v = {0};
	assert_int_equal(activity_validate(f->db, &a, &v), 0);
	assert_null(validation_get(&v, "partners"));
	int64_t partner = 2;
	a.partner_ids = (struct idlist){&partner, 1};
	memset(&v, 0, sizeof(v));
	assert_int_equal(activity_validate(f->db, &a, &v), 0);
	/* A partner that does not exist is still refused. */
	partner = 999;
	memset(&v, 0, sizeof(v));
	assert_int_equal(activity_validate(f->db, &a, &v), -1);
	assert_non_null(validation_get(&v, "partners"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	setenv("PROXIMA_NOW", "2025-12-01T12:00", 1);
	ptime_hooks_load();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_quote_needs_citation_consent, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_edit_keeps_deleted_activity, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_visibility_by_role, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_committee_selects_only_what_it_reads, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_migration_moves_the_flag, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_selection_requires_reason, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_report_never_gives_unquotable_text, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_counts_by_tag, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_gaps_grouped_by_need, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_gap_link_same_territory, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_presentation_partner_optional, setup,
						scratch_teardown),
	};
	return cmocka_run_group_tests_name("stories", tests, NULL, NULL);
}
