/* Corridors and the directory (src/model/corridor.c, src/model/directory.c)
 * on a small hand-built fixture. Expected numbers are worked out beside
 * their assertions.
 *
 * Territories: 1 T (root), 2 T2 (child of T), 3 U (elsewhere).
 * Sectors 101 S1, 102 S2, 103 S3.
 * Organisations: 1 X (S1, serves T), 2 Y (S2, serves T2), 3 Z (S3, serves
 *   T), 4 W (S1, serves U), 5 V (S2, serves nothing).
 * Portrait: T has "immigrants" (two periods), U has "pop".
 * People: 1 Ana (pap, X), 2 Ben (pap, Y), 3 Cleo (pap, Z), 4 Dan (pap, X).
 *
 * Positions (all dates 2025):
 *  P1 X/S1 on T  2025-01-01..open, holder Ana 01-01..open;
 *     3 components; items (familles_0_5, accompagnement),
 *     (familles_immigrantes, accompagnement)
 *  P2 Y/S2 on T2 2025-01-01..open, holder Ben 01-01..open;
 *     demarchage + accompagnement; items (familles_0_5, accompagnement),
 *     (familles_immigrantes, accompagnement), (aines, contact_informel)
 *  P3 Z/S3 on T  2025-01-01..open, holder Cleo 01-01..06-30 (vacant after);
 *     3 components; items (aines, contact_informel)
 *  P4 X/S1 on T  2025-01-01..open, holder Dan 01-01..open; collaboration;
 *     items (familles_0_5, accompagnement)
 * Over 2025-01-01..2025-03-31 all four are filled. Pairs of different
 * sectors: P1-P2, P1-P3, P2-P3, P2-P4, P3-P4 = 5 (P1-P4 both S1).
 * Sharing: P1-P2 (2 items), P2-P3 (1), P2-P4 (1) → 3/5 = 60 %. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/corridor.h"
#include "demo/demo.h"
#include "model/directory.h"
#include "model/search.h"
#include "model/ind_arrimage.h"
#include "interchange/interchange.h"
#include "model/lookup.h"
#include "support/scratch_db.h"

#define EPS 1e-9

static int setup(void **state)
{
	struct scratch *f = scratch_new(
		"dir", 4096,
		"INSERT INTO territory (id, ext_id, name, type, parent_id) VALUES"
		" (1, 'T', 'Territoire T', 'urbain', NULL), (2, 'T2', 'Quartier T2', 'urbain', 1),"
		" (3, 'U', 'Territoire U', 'rural', NULL);"
		"INSERT INTO sector (id, ext_id, name) VALUES (101, 'S1', 'Secteur 1'),"
		" (102, 'S2', 'Secteur 2'), (103, 'S3', 'Secteur 3');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'Org X', 101), (2, 'Y', 'Org Y', 102), (3, 'Z', 'Org Z', 103),"
		" (4, 'W', 'Org W', 101), (5, 'V', 'Org V', 102);"
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 2), (3, 1), (4, 3);"
		"INSERT INTO portrait (ext_id, territory_id, indicator, label, value, unit, "
		"period_end)"
		" VALUES ('p1', 1, 'immigrants', 'Immigrants 2016', 25, '%', '2016-12-31'),"
		" ('p2', 1, 'immigrants', 'Immigrants 2021', 31.5, '%', '2021-12-31'),"
		" ('p3', 3, 'pop', 'Population', 1200, NULL, NULL);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'ana', 'Ana', 'pap', 1, 1), (2, 'ben', 'Ben', 'pap', 2, 2),"
		" (3, 'cleo', 'Cleo', 'pap', 3, 1), (4, 'dan', 'Dan', 'pap', 1, 1);"
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date, "
		"contact)"
		" VALUES (1, 'P1', 1, 1, '2025-01-01', '514 555-0101'),"
		" (2, 'P2', 2, 2, '2025-01-01', NULL), (3, 'P3', 3, 1, '2025-01-01', NULL),"
		" (4, 'P4', 1, 1, '2025-01-01', NULL);"
		"INSERT INTO position_holder (position_id, person_id, from_date, to_date) VALUES"
		" (1, 1, '2025-01-01', NULL), (2, 2, '2025-01-01', NULL),"
		" (3, 3, '2025-01-01', '2025-06-30'), (4, 4, '2025-01-01', NULL);"
		"INSERT INTO mandate_component VALUES"
		" (1, 'demarchage'), (1, 'accompagnement'), (1, 'collaboration'),"
		" (2, 'demarchage'), (2, 'accompagnement'),"
		" (3, 'demarchage'), (3, 'accompagnement'), (3, 'collaboration'),"
		" (4, 'collaboration');"
		"INSERT INTO mandate_item VALUES"
		" (1, 'familles_0_5', 'accompagnement'), (1, 'familles_immigrantes', "
		"'accompagnement'),"
		" (2, 'familles_0_5', 'accompagnement'), (2, 'familles_immigrantes', "
		"'accompagnement'),"
		" (2, 'aines', 'contact_informel'),"
		" (3, 'aines', 'contact_informel'),"
		" (4, 'familles_0_5', 'accompagnement');");
	assert_non_null(f);
	*state = f;
	return 0;
}

static const char *fields_ok[] = {"motif", "urgence", "langue", "interprete_requis"};
static const char *langs_ok[] = {"fr", "es"};
static const char *portrait_ok[] = {"immigrants"};

/* A valid corridor on T with entry X. */
static struct corridor valid_corridor(void)
{
	return (struct corridor){
		.territory_id = 1,
		.name = "Familles immigrantes",
		.need = "immigration_statut",
		.population = "familles_immigrantes",
		.entry_organisation_id = 1,
		.target_days = 2,
		.active_from = "2025-01-01",
		.languages = {langs_ok, 2},
		.fields = {fields_ok, 4},
		.portrait = {portrait_ok, 1},
	};
}

static void test_corridor_validation(void **state)
{
	struct scratch *f = *state;
	struct validation v = {0};
	struct corridor c = valid_corridor();
	assert_int_equal(corridor_validate(f->db, &c, &v), 0);
	assert_int_equal(v.n, 0);

	/* Entry organisation: W serves only U → not on T. */
	c.entry_organisation_id = 4;
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &c, &v), -1);
	assert_non_null(validation_get(&v, "entry_organisation"));
	/* V serves nothing. */
	c.entry_organisation_id = 5;
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &c, &v), -1);
	assert_non_null(validation_get(&v, "entry_organisation"));
	/* Y serves T2, a quartier of T: on T. */
	c.entry_organisation_id = 2;
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &c, &v), 0);
	/* On T2, X (serving T, which contains T2) is on it too; but T2 has no
	 * portrait row "immigrants". */
	c.territory_id = 2;
	c.entry_organisation_id = 1;
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &c, &v), -1);
	assert_int_equal(v.n, 1);
	assert_non_null(validation_get(&v, "portrait_indicators"));
	c.portrait.n = 0;
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &c, &v), 0);

	/* Template fields from the documented list only; no repeats. */
	c = valid_corridor();
	static const char *bad_fields[] = {"motif", "pointure"};
	c.fields = (struct strlist){bad_fields, 2};
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &c, &v), -1);
	assert_non_null(validation_get(&v, "template_fields"));
	static const char *dup_fields[] = {"motif", "motif"};
	c.fields = (struct strlist){dup_fields, 2};
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &c, &v), -1);
	assert_non_null(validation_get(&v, "template_fields"));
	for (size_t i = 0; i < corridor_field_count; i++)
		assert_ptr_equal(corridor_field_find(corridor_fields[i].code), &corridor_fields[i]);
	assert_non_null(corridor_field_find("consentement_signe"));
	assert_null(corridor_field_find("pointure"));

	/* Several errors at once, each naming its field. */
	c = valid_corridor();
	c.name = "";
	c.target_days = 0;
	c.need = "pas_un_besoin";
	c.active_from = "2025-06-01";
	c.active_to = "2025-01-01";
	static const char *pop_u[] = {"pop"};
	c.portrait = (struct strlist){pop_u, 1};
	static const char *bad_lang[] = {"Français"};
	c.languages = (struct strlist){bad_lang, 1};
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &c, &v), -1);
	assert_non_null(validation_get(&v, "name"));
	assert_non_null(validation_get(&v, "target_days"));
	assert_non_null(validation_get(&v, "need"));
	assert_non_null(validation_get(&v, "active_to"));
	assert_non_null(validation_get(&v, "portrait_indicators"));
	assert_non_null(validation_get(&v, "consent_languages"));
	assert_null(validation_get(&v, "entry_organisation"));

	/* Saved in one transaction, read back with its lists. */
	c = valid_corridor();
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(corridor_save(f->db, f->ar, &c), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_true(c.id > 0);
	assert_non_null(strstr(c.ext_id, "cor-"));
	struct actor admin = {.person_id = 9, .role = ROLE_ADMIN};
	struct corridor back;
	assert_int_equal(corridor_get(f->db, f->ar, &admin, c.id, &back), 0);
	assert_string_equal(back.name, "Familles immigrantes");
	assert_string_equal(back.entry_ext, "X");
	assert_string_equal(back.territory_ext, "T");
	assert_int_equal(back.fields.n, 4);
	assert_string_equal(back.fields.v[0], "interprete_requis"); /* sorted */
	assert_int_equal(back.languages.n, 2);
	assert_int_equal(back.portrait.n, 1);
	/* Its ext_id is now taken for another corridor. */
	struct corridor other = valid_corridor();
	other.ext_id = back.ext_id;
	memset(&v, 0, sizeof(v));
	assert_int_equal(corridor_validate(f->db, &other, &v), -1);
	assert_non_null(validation_get(&v, "id"));
}

static void test_priorities(void **state)
{
	(void)state;
	assert_float_equal(corridor_priority_days("P1"), 2, EPS);
	assert_float_equal(corridor_priority_days("P2"), 10, EPS);
	assert_float_equal(corridor_priority_days("P3"), 30, EPS);
	assert_float_equal(corridor_priority_days("p4"), 90, EPS);
	assert_float_equal(corridor_priority_days("P5"), 0, EPS);
	assert_float_equal(corridor_priority_days(NULL), 0, EPS);
	assert_string_equal(corridor_priority_of(10), "P2");
	assert_string_equal(corridor_priority_of(90), "P4");
	assert_null(corridor_priority_of(5));
	double d = 0;
	assert_int_equal(corridor_parse_target("P3", &d), 0);
	assert_float_equal(d, 30, EPS);
	assert_int_equal(corridor_parse_target(" 7 ", &d), 0);
	assert_float_equal(d, 7, EPS);
	assert_int_equal(corridor_parse_target("1,5", &d), 0);
	assert_float_equal(d, 1.5, EPS);
	assert_int_equal(corridor_parse_target("0", &d), -1);
	assert_int_equal(corridor_parse_target("-2", &d), -1);
	assert_int_equal(corridor_parse_target("deux", &d), -1);
	assert_int_equal(corridor_parse_target("", &d), -1);
}

static void test_visibility_and_writes(void **state)
{
	struct scratch *f = *state;
	struct actor comite_t = {.person_id = 10, .role = ROLE_COMITE, .territory_id = 1};
	struct actor comite_t2 = {.person_id = 11, .role = ROLE_COMITE, .territory_id = 2};
	struct actor comite_u = {.person_id = 12, .role = ROLE_COMITE, .territory_id = 3};
	struct actor pap_x = {
		.person_id = 1, .role = ROLE_PAP, .organisation_id = 1, .territory_id = 1};
	struct actor analyste = {.person_id = 13, .role = ROLE_ANALYSTE};
	struct actor admin = {.person_id = 14, .role = ROLE_ADMIN};

	/* Committee of T writes T and its quartier T2; T2's only T2. */
	assert_true(corridor_can_write(f->db, &comite_t, 1));
	assert_true(corridor_can_write(f->db, &comite_t, 2));
	assert_false(corridor_can_write(f->db, &comite_t2, 1));
	assert_false(corridor_can_write(f->db, &comite_u, 1));
	assert_false(corridor_can_write(f->db, &pap_x, 1));
	assert_false(corridor_can_write(f->db, &analyste, 1));
	assert_true(corridor_can_write(f->db, &admin, 3));

	/* Reading: the territory's roles. */
	assert_true(territory_visible(f->db, &comite_t, 2));
	assert_false(territory_visible(f->db, &comite_u, 1));
	assert_true(territory_visible(f->db, &pap_x, 1));
	assert_true(territory_visible(f->db, &pap_x, 2)); /* T's quartier */
	assert_false(territory_visible(f->db, &pap_x, 3));
	struct actor pap_y = {.person_id = 2, .role = ROLE_PAP, .organisation_id = 2};
	assert_true(territory_visible(f->db, &pap_y, 2));
	assert_false(territory_visible(f->db, &pap_y, 1)); /* Y serves T2 only */
	assert_true(territory_visible(f->db, &analyste, 3));

	struct corridor c = valid_corridor();
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(corridor_save(f->db, f->ar, &c), 0);
	assert_int_equal(db_commit(f->db), 0);
	struct corridor out;
	assert_int_equal(corridor_get(f->db, f->ar, &pap_x, c.id, &out), 0);
	assert_int_equal(corridor_get(f->db, f->ar, &comite_u, c.id, &out), 1);
	assert_int_equal(corridor_get(f->db, f->ar, &comite_t2, c.id, &out), 1);
	assert_int_equal(corridor_get(f->db, f->ar, &analyste, c.id, &out), 0);

	struct territory_ref *all;
	size_t n;
	assert_int_equal(territory_list_visible(f->db, f->ar, &comite_t, &all, &n), 0);
	assert_int_equal(n, 2); /* T and T2 */
	assert_int_equal(territory_default(f->db, f->ar, &comite_t2), 2);
}

static void test_framework_flag(void **state)
{
	struct scratch *f = *state;
	struct directory d;
	assert_int_equal(directory_load(f->db, f->ar, 1, "2025-09-01", &d), 0);
	/* T with T2: P1, P2, P3, P4. */
	assert_int_equal(d.n_positions, 4);
	for (size_t i = 0; i < d.n_positions; i++) {
		const struct dir_position *p = &d.positions[i];
		if (strcmp(p->ext_id, "P1") == 0) {
			assert_true(p->framework);
			assert_string_equal(p->current_name, "Ana");
			assert_string_equal(p->contact, "514 555-0101");
			assert_int_equal(p->n_items, 2);
		} else if (strcmp(p->ext_id, "P2") == 0) {
			assert_false(p->framework); /* no collaboration */
		} else if (strcmp(p->ext_id, "P3") == 0) {
			assert_true(p->framework);
			assert_null(p->current_name); /* Cleo left on 06-30 */
			assert_int_equal(p->n_holders, 1);
			assert_string_equal(p->holders[0].to, "2025-06-30");
		} else {
			assert_string_equal(p->ext_id, "P4");
			assert_false(p->framework);
		}
	}
	/* Positions come grouped by sector. */
	assert_string_equal(d.positions[0].sector_name, "Secteur 1");
	assert_string_equal(d.positions[1].sector_name, "Secteur 1");
	static const char *three[] = {"collaboration", "demarchage", "accompagnement"};
	struct strlist l = {three, 3};
	assert_true(directory_meets_framework(&l));
	l.n = 2;
	assert_false(directory_meets_framework(&l));
	/* U has none. */
	assert_int_equal(directory_load(f->db, f->ar, 3, "2025-09-01", &d), 0);
	assert_int_equal(d.n_positions, 0);
}

static void add_activity(struct scratch *f, int id, int author, int org, int terr, const char *date,
			 const char *type, int partner, bool deleted)
{
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO activity (id, ext_id, author_id, organisation_id, territory_id, date,"
		 " duration_min, type, created_at, updated_at, deleted_at) VALUES (%d, 'a%d', %d, "
		 "%d,"
		 " %d, '%s', 60, '%s', 0, 0, %s);"
		 "INSERT INTO activity_partner VALUES (%d, %d);",
		 id, id, author, org, terr, date, type, deleted ? "1" : "NULL", id, partner);
	exec_ok(f->db, sql);
}

static void test_last_presentation(void **state)
{
	struct scratch *f = *state;
	/* Presentations of mandate to Z (3) on T: X on 2024-09-10, Y (on T2)
	 * on 2025-03-01 and X again on 2025-05-20; later than the date asked:
	 * 2025-10-01 (ignored). To W (4): only on U (ignored: other
	 * territory). To V (5): a deleted one and a concertation (ignored). */
	add_activity(f, 1, 1, 1, 1, "2024-09-10", "presentation_mandat", 3, false);
	add_activity(f, 2, 2, 2, 2, "2025-03-01", "presentation_mandat", 3, false);
	add_activity(f, 3, 1, 1, 1, "2025-05-20", "presentation_mandat", 3, false);
	add_activity(f, 4, 1, 1, 1, "2025-10-01", "presentation_mandat", 3, false);
	add_activity(f, 5, 1, 1, 3, "2025-04-01", "presentation_mandat", 4, false);
	add_activity(f, 6, 1, 1, 1, "2025-04-02", "presentation_mandat", 5, true);
	add_activity(f, 7, 1, 1, 1, "2025-04-03", "concertation", 5, false);
	struct directory d;
	assert_int_equal(directory_load(f->db, f->ar, 1, "2025-09-01", &d), 0);
	/* Partners of T: X, Z (serve T), Y (serves T2); W and V were never
	 * presented to on T and do not serve it. */
	assert_int_equal(d.n_partners, 3);
	const struct dir_partner *z = NULL, *x = NULL;
	for (size_t i = 0; i < d.n_partners; i++) {
		if (strcmp(d.partners[i].ext_id, "Z") == 0)
			z = &d.partners[i];
		if (strcmp(d.partners[i].ext_id, "X") == 0)
			x = &d.partners[i];
	}
	assert_non_null(z);
	assert_string_equal(z->last_presentation, "2025-05-20");
	/* Window: (2024-09-01, 2025-09-01]: the three presentations up to
	 * 05-20, made by two organisations (X, Y). */
	assert_int_equal(z->presentations, 3);
	assert_int_equal(z->presenters, 2);
	assert_non_null(x);
	assert_null(x->last_presentation);
	assert_int_equal(x->presentations, 0);

	/* On U, W had one. */
	assert_int_equal(directory_load(f->db, f->ar, 3, "2025-09-01", &d), 0);
	assert_int_equal(d.n_partners, 1);
	assert_string_equal(d.partners[0].ext_id, "W");
	assert_string_equal(d.partners[0].last_presentation, "2025-04-01");
}

static void test_overlap_matrix(void **state)
{
	struct scratch *f = *state;
	struct dir_overlaps ov;
	assert_int_equal(directory_overlaps(f->db, f->ar, 1, "2025-01-01", "2025-03-31", &ov), 0);
	/* The indicator itself on the same scope. */
	struct ind_scope scope;
	struct pdate from, to;
	assert_int_equal(ptime_parse_date("2025-01-01", &from), 0);
	assert_int_equal(ptime_parse_date("2025-03-31", &to), 0);
	ind_scope_init(&scope, &from, &to);
	scope.territory_id = 1;
	struct ind_arr_chevauchement_result r;
	assert_int_equal(ind_arr_chevauchement(f->db, f->ar, &scope, NULL, &r), 0);
	assert_int_equal(r.pairs, 5);
	assert_int_equal(r.overlapping, 3);
	assert_float_equal(r.value, 60.0, EPS);
	assert_int_equal(ov.result.pairs, r.pairs);
	assert_int_equal(ov.result.overlapping, r.overlapping);
	assert_float_equal(ov.result.value, r.value, EPS);

	/* The matrix: 4 positions, sector order S1 (P1, P4), S2 (P2), S3 (P3). */
	assert_int_equal(ov.n, 4);
	static const char *const order[] = {"P1", "P4", "P2", "P3"};
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(ov.positions[i].ext_id, order[i]);
	/*        P1  P4  P2  P3
	 *  P1    -   -   2   0
	 *  P4    -   -   1   0
	 *  P2    2   1   -   1
	 *  P3    0   0   1   -   */
	static const int expect[4][4] = {
		{-1, -1, 2, 0}, {-1, -1, 1, 0}, {2, 1, -1, 1}, {0, 0, 1, -1}};
	size_t pairs = 0, hits = 0;
	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < 4; j++) {
			assert_int_equal(ov.cells[i * 4 + j], expect[i][j]);
			if (j > i && ov.cells[i * 4 + j] >= 0) {
				pairs++;
				hits += ov.cells[i * 4 + j] > 0;
			}
		}
	/* The cells above the diagonal are the indicator's pairs. */
	assert_int_equal(pairs, r.pairs);
	assert_int_equal(hits, r.overlapping);
	size_t n;
	const struct ind_mandate_item *it = directory_overlap_items(&ov, 0, 2, &n);
	assert_int_equal(n, 2);
	assert_string_equal(it[0].population, "familles_0_5");
	assert_string_equal(it[1].population, "familles_immigrantes");
	assert_null(directory_overlap_items(&ov, 0, 3, &n));
	assert_int_equal(n, 0);

	/* 2025-07-01 .. 2025-09-30: P3 is vacant → P1-P2, P2-P4 = 2 of 2
	 * pairs... P1-P2, P2-P4 are the only different-sector pairs left. */
	assert_int_equal(directory_overlaps(f->db, f->ar, 1, "2025-07-01", "2025-09-30", &ov), 0);
	assert_int_equal(ov.n, 3);
	assert_int_equal(ov.result.pairs, 2);
	assert_int_equal(ov.result.overlapping, 2);
	assert_float_equal(ov.result.value, 100.0, EPS);
}

static void test_who_to_call(void **state)
{
	struct scratch *f = *state;
	struct corridor c = valid_corridor(); /* immigration_statut, familles_immigrantes */
	struct corridor old = valid_corridor();
	old.name = "Logement (ancien)";
	old.need = "logement";
	old.population = NULL;
	old.portrait.n = 0;
	old.active_to = "2025-03-31"; /* inactive on the date asked */
	struct corridor lodging = old;
	lodging.name = "Logement d'urgence";
	lodging.active_to = NULL;
	lodging.entry_organisation_id = 3;
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(corridor_save(f->db, f->ar, &c), 0);
	assert_int_equal(corridor_save(f->db, f->ar, &old), 0);
	assert_int_equal(corridor_save(f->db, f->ar, &lodging), 0);
	assert_int_equal(db_commit(f->db), 0);
	/* The fixture's rows were written by hand: give them their search text
	 * as `proxima migrate` would (the corridors got theirs when saved). */
	assert_true(search_fill(f->db) > 0);

	struct dir_search s;
	/* A need code: the active lodging corridor only. */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-09-01", "logement", &s), 0);
	assert_int_equal(s.n_corridors, 1);
	assert_string_equal(s.corridors[0].name, "Logement d'urgence");
	assert_int_equal(s.n_positions, 0);

	/* A population code: the corridor and the filled positions whose
	 * mandate names it (P1, P2). */
	assert_int_equal(
		directory_search(f->db, f->ar, 1, "2025-09-01", "familles_immigrantes", &s), 0);
	assert_int_equal(s.n_corridors, 1);
	assert_string_equal(s.corridors[0].name, "Familles immigrantes");
	assert_int_equal(s.n_positions, 2);
	for (size_t i = 0; i < s.n_positions; i++) {
		assert_int_equal(s.positions[i].n_items, 1);
		assert_string_equal(s.positions[i].items[0].population, "familles_immigrantes");
	}

	/* Free text, any case and accents: "AÎNÉS" finds P2's item; P3
	 * (aînés too) is vacant on 2025-09-01 and does not answer. */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-09-01", "AÎNÉS", &s), 0);
	assert_int_equal(s.n_corridors, 0);
	assert_int_equal(s.n_positions, 1);
	assert_string_equal(s.positions[0].position->ext_id, "P2");
	/* Before Cleo left, P3 answers too. */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-03-01", "aines", &s), 0);
	assert_int_equal(s.n_positions, 2);
	/* Free text on labels: "immigrant" (English label "Immigrant families"
	 * and French "Familles immigrantes"). */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-09-01", "immigrant", &s), 0);
	assert_int_equal(s.n_corridors, 1);
	assert_int_equal(s.n_positions, 2);
	/* The organisation's name matches the whole position. */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-09-01", "org x", &s), 0);
	assert_int_equal(s.n_positions, 2); /* P1 and P4 of X */
	assert_int_equal(s.positions[0].n_items, 0);
	/* Nothing for nothing. */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-09-01", "  ", &s), 0);
	assert_int_equal(s.n_corridors + s.n_positions, 0);
	/* Every word must match, each anywhere in the position: "immigrante
	 * aînés" is P2 (both populations), not P1 (no aînés). */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-09-01", "immigrante aînés", &s),
			 0);
	assert_int_equal(s.n_positions, 1);
	assert_string_equal(s.positions[0].position->ext_id, "P2");
	assert_int_equal(s.positions[0].n_items, 2);
	/* A word matches the start of a word only: "grant" is not "immigrant". */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-09-01", "grant", &s), 0);
	assert_int_equal(s.n_corridors + s.n_positions, 0);
	/* More than eight words: the first eight are matched, and it is said. */
	assert_int_equal(directory_search(f->db, f->ar, 1, "2025-09-01",
					  "org org org org org org org org zzz", &s),
			 0);
	assert_int_equal(s.n_words, 9);
	assert_int_equal(s.n_positions, 3); /* X twice, Y; Z is vacant */
}

/* The examples on the demo's world (its territories, organisations,
 * portrait, people, positions and corridors, imported as `proxima demo` does):
 * "immigrante enceinte" finds the PAP whose mandate covers immigrant
 * families and pregnant women, and the hint's "logement" finds territory
 * A's housing office. */
static int keep_world(void *ctx, const char *data, size_t len)
{
	static const char *const kinds[] = {"\"kind\":\"territory\"",    "\"kind\":\"portrait\"",
					    "\"kind\":\"organisation\"", "\"kind\":\"person\"",
					    "\"kind\":\"position\"",     "\"kind\":\"corridor\""};
	struct buf *world = ctx;
	const char *end = data + len;
	for (const char *line = data; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = (size_t)((nl ? nl + 1 : end) - line);
		char *copy = strndup(line, n);
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strstr(copy, kinds[k]) && buf_append(world, line, n) < 0) {
				free(copy);
				return -1;
			}
		free(copy);
		line += n;
	}
	return 0;
}

static void test_who_to_call_demo(void **state)
{
	struct scratch *f = *state;
	struct buf out, world;
	buf_init(&out, 1 << 20);
	buf_init(&world, 1 << 22);
	struct demo_options opt = {.now = 1764000000, .scale = 1};
	assert_int_equal(demo_generate(&opt, &out, keep_world, &world, 1 << 16, NULL), 0);
	FILE *in = fmemopen(world.data, world.len, "r");
	struct import_result res;
	int rc = interchange_import(f->db, in, &res);
	fclose(in);
	if (rc != 0)
		fprintf(stderr, "line %ld %s: %s\n", res.line, res.field, res.reason);
	assert_int_equal(rc, 0);
	assert_true(search_fill(f->db) >= 0); /* the fixture's hand-written rows */
	int64_t a, none = -1;
	assert_int_equal(lookup_ext(f->db, EXT_TERRITORY, "A", &a), 0);
	assert_true(a > 0);
	/* The absent convention: 1 (and no id) for an unknown, empty or no id. */
	assert_int_equal(lookup_ext(f->db, EXT_TERRITORY, "no-such-territory", &none), 1);
	assert_int_equal(none, 0);
	assert_int_equal(lookup_ext(f->db, EXT_TERRITORY, "", &none), 1);
	assert_int_equal(lookup_ext(f->db, EXT_TERRITORY, NULL, &none), 1);
	char day[11];
	struct pdate today = ptime_local_date(1764000000);
	ptime_format_date(&today, day);

	struct dir_search s;
	assert_int_equal(directory_search(f->db, f->ar, a, day, "immigrante enceinte", &s), 0);
	assert_true(s.n_positions >= 1);
	for (size_t i = 0; i < s.n_positions; i++) {
		bool imm = false, preg = false;
		for (size_t k = 0; k < s.positions[i].n_items; k++) {
			imm |= strcmp(s.positions[i].items[k].population, "familles_immigrantes") ==
			       0;
			preg |= strcmp(s.positions[i].items[k].population, "femmes_enceintes") == 0;
		}
		assert_true(imm && preg);
	}
	/* Each word alone finds more: the conjunction narrowed it. */
	struct dir_search one;
	assert_int_equal(directory_search(f->db, f->ar, a, day, "immigrantes", &one), 0);
	assert_true(one.n_positions > s.n_positions);

	assert_int_equal(directory_search(f->db, f->ar, a, day, "logement", &s), 0);
	assert_true(s.n_positions + s.n_corridors >= 1);
	assert_string_equal(s.positions[0].position->org_ext, "A-OMH");
	buf_free(&out);
	buf_free(&world);
}

/* The import applies the same rules as the forms and the API, but the
 * territory scope: interchange.md ties no organisation to a territory, so
 * an entry organisation that does not list the corridor's territory is
 * imported (corridor_validate_import), and refused by the form and the
 * API (corridor_validate). */
static void test_import_consistent(void **state)
{
	struct scratch *f = *state;
	static const char other[] =
		"{\"kind\":\"corridor\",\"id\":\"c0\",\"territory\":\"T\",\"name\":\"Logement\","
		"\"entry_organisation\":\"W\",\"template_fields\":[\"motif\"]}\n";
	FILE *in = fmemopen((void *)other, strlen(other), "r");
	struct import_result res;
	assert_int_equal(interchange_import(f->db, in, &res), 0);
	fclose(in);
	struct corridor c0 = {.name = "Logement", .target_days = 2};
	struct db_stmt *q = db_query(f->db, "SELECT territory_id, entry_organisation_id FROM "
					    "corridor WHERE ext_id = 'c0'");
	assert_non_null(q);
	assert_int_equal(db_step(q), DB_ROW);
	c0.territory_id = db_col_int64(q, 0);
	c0.entry_organisation_id = db_col_int64(q, 1);
	db_query_free(q);
	struct validation v = {0};
	assert_int_equal(corridor_validate(f->db, &c0, &v), -1);
	assert_non_null(validation_get(&v, "entry_organisation"));
	static const char bad_field[] =
		"{\"kind\":\"corridor\",\"id\":\"c1\",\"territory\":\"T\",\"name\":\"Logement\","
		"\"entry_organisation\":\"X\",\"template_fields\":[\"pointure\"]}\n";
	in = fmemopen((void *)bad_field, strlen(bad_field), "r");
	assert_int_equal(interchange_import(f->db, in, &res), 1);
	fclose(in);
	assert_string_equal(res.field, "template_fields");
	static const char good[] =
		"{\"kind\":\"corridor\",\"id\":\"c1\",\"territory\":\"T\",\"name\":\"Logement\","
		"\"entry_organisation\":\"X\",\"target_days\":30,\"template_fields\":[\"motif\"],"
		"\"portrait_indicators\":[\"immigrants\"]}\n";
	in = fmemopen((void *)good, strlen(good), "r");
	assert_int_equal(interchange_import(f->db, in, &res), 0);
	fclose(in);
	int64_t id;
	assert_int_equal(corridor_id_of(f->db, "c1", &id), 0);
	assert_true(id > 0);
	struct actor admin = {.person_id = 1, .role = ROLE_ADMIN};
	struct corridor c;
	assert_int_equal(corridor_get(f->db, f->ar, &admin, id, &c), 0);
	assert_string_equal(corridor_priority_of(c.target_days), "P3");
	/* Re-importing the same id updates it (its own ext_id is not "taken"). */
	in = fmemopen((void *)good, strlen(good), "r");
	assert_int_equal(interchange_import(f->db, in, &res), 0);
	fclose(in);
}

int main(void)
{
	ptime_set_zone("America/Toronto");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_corridor_validation, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_priorities, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_visibility_and_writes, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_framework_flag, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_last_presentation, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_overlap_matrix, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_who_to_call, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_who_to_call_demo, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_import_consistent, setup, scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
