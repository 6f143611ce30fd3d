/* The Open Referral HSDS data package of a territory's directory
 * (reports/hsds.h), on a small hand-built database: every CSV file parses
 * with as many fields on each row as its header; every foreign key the
 * descriptor declares holds between the files; the descriptor lists every
 * file with the standard's field names; only the territory's
 * organisations and services are there; and no family, story or worker's
 * name ever is (canaries planted in the database). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "reports/hsds.h"
#include "support/scratch_db.h"

#define CANARY_FAMILY "FAM-CANARY-7741"
#define CANARY_STORY "STORY-CANARY-7741"
#define CANARY_HOLDER "Holder Canary-7741"
#define CANARY_NOTE "NOTE-CANARY-7741"

/* Territories 1 A, 2 A1 (in A), 3 B. Organisations 1 CLSC A (on A), 2
 * Maison B (on B). Position 1 on A1 held by person 1 (contact with a phone
 * and an e-mail); position 2 on B. Corridor 1 on A: need logement, entry
 * CLSC A. A family, a story and an activity note: the canaries. */
static int setup(void **state)
{
	struct scratch *f = scratch_new(
		"hsds", 256 * 1024,
		"INSERT INTO territory (id, ext_id, name, parent_id) VALUES"
		" (1, 'A', 'Territoire A', NULL), (2, 'A1', 'Quartier A1', 1),"
		" (3, 'B', 'Territoire B', NULL);"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'ORG-A', 'CLSC A, \"centre\"', (SELECT id FROM sector WHERE ext_id = "
		"'MSSS')),"
		" (2, 'ORG-B', 'Maison B', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 3);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', '" CANARY_HOLDER "', 'pap', 1, 2), (2, 'p2', 'P2', 'pap', 2, 3);"
		"INSERT INTO position (id, ext_id, organisation_id, territory_id, start_date, "
		"contact)"
		" VALUES (1, 'POS-1', 1, 2, '2025-01-01', 'Tél. 514 555-0101, pap@clsc-a.test'),"
		" (2, 'POS-2', 2, 3, '2025-01-01', NULL);"
		"INSERT INTO position_holder (position_id, person_id, from_date) VALUES"
		" (1, 1, '2025-01-01'), (2, 2, '2025-01-01');"
		"INSERT INTO mandate_component VALUES (1, 'demarchage'), (1, 'accompagnement');"
		"INSERT INTO mandate_item VALUES (1, 'familles_0_5', 'demarchage'),"
		" (1, 'familles_immigrantes', 'accompagnement');"
		"INSERT INTO corridor (id, ext_id, territory_id, name, need, entry_organisation_id,"
		" target_days) VALUES (1, 'COR-1', 1, 'Logement urgent', 'logement', 1, 2);"
		"INSERT INTO family (id, ext_id, organisation_id, code, follower_id, opened,"
		" consent_suivi) VALUES (1, 'f1', 1, '" CANARY_FAMILY "', 1, '2025-01-01', 1);"
		"INSERT INTO story (id, ext_id, author_id, date, text, family_id, territory_id,"
		" consent_quote) VALUES (1, 's1', 1, '2025-02-01', '" CANARY_STORY "', 1, 2, 1);"
		"INSERT INTO activity (id, ext_id, author_id, organisation_id, territory_id, date,"
		" duration_min, type, place, note, created_at, updated_at) VALUES (1, 'a1', 1, 1, "
		"2,"
		" '2025-02-01', 30,"
		" 'contact_informel', 'parc', '" CANARY_NOTE "', 0, 0);");
	if (!f)
		return -1;
	*state = f;
	return 0;
}

/* A parsed CSV file: rows of fields (RFC 4180), the header first. */
struct csv {
	size_t rows, cols;
	char **cell; /* rows × cols */
};

/* Parses text; fails the test when a row has another number of fields
 * than the header. */
static void csv_parse(const char *name, const char *text, struct csv *out)
{
	memset(out, 0, sizeof(*out));
	size_t cap = 64, n = 0, row_fields = 0;
	out->cell = calloc(cap, sizeof(*out->cell));
	struct buf field = BUF_INIT(1 << 20);
	const char *p = text;
	while (*p) {
		bool quoted = *p == '"';
		if (quoted) {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				buf_putc(&field, *p);
			}
			assert_int_equal(*p, '"');
			p++;
		} else {
			for (; *p && *p != ',' && *p != '\r' && *p != '\n'; p++)
				buf_putc(&field, *p);
		}
		if (n == cap)
			out->cell = realloc(out->cell, (cap *= 2) * sizeof(*out->cell));
		out->cell[n++] = strdup(field.data);
		buf_reset(&field);
		row_fields++;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\r')
			p++;
		assert_int_equal(*p, '\n'); /* a row ends with CRLF */
		p++;
		if (!out->rows)
			out->cols = row_fields;
		if (row_fields != out->cols)
			fail_msg("%s row %zu: %zu fields, header has %zu", name, out->rows + 1,
				 row_fields, out->cols);
		out->rows++;
		row_fields = 0;
	}
	buf_free(&field);
	assert_int_equal(row_fields, 0);
}

static void csv_free(struct csv *c)
{
	for (size_t i = 0; i < c->rows * c->cols; i++)
		free(c->cell[i]);
	free(c->cell);
}

static long col_of(const struct csv *c, const char *name)
{
	for (size_t i = 0; i < c->cols; i++)
		if (strcmp(c->cell[i], name) == 0)
			return (long)i;
	return -1;
}

/* True when some data row of c has value v in column name. */
static bool has_value(const struct csv *c, const char *name, const char *v)
{
	long k = col_of(c, name);
	assert_true(k >= 0);
	for (size_t r = 1; r < c->rows; r++)
		if (strcmp(c->cell[r * c->cols + (size_t)k], v) == 0)
			return true;
	return false;
}

/* The index of the resource named name in the descriptor's list. */
static size_t resource_index(json_t *resources, const char *name)
{
	for (size_t i = 0; i < json_array_size(resources); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(resources, i), "name")),
			   name) == 0)
			return i;
	fail_msg("no resource %s", name);
	return 0;
}

static void test_package_parses_and_keys_hold(void **state)
{
	struct scratch *f = *state;
	struct hsds_package p;
	assert_int_equal(hsds_package_build(f->db, f->ar, 1, "2026-06-01", "fr", 1780000000, &p),
			 0);
	json_error_t err;
	json_t *dp = json_loads(p.files[HSDS_DESCRIPTOR].data, 0, &err);
	if (!dp)
		fail_msg("datapackage.json: %s", err.text);
	assert_string_equal(json_string_value(json_object_get(dp, "profile")),
			    "tabular-data-package");
	json_t *res = json_object_get(dp, "resources");
	assert_int_equal(json_array_size(res), HSDS_DESCRIPTOR);
	struct csv csv[HSDS_DESCRIPTOR];
	for (int k = 0; k < HSDS_DESCRIPTOR; k++) {
		json_t *r = json_array_get(res, (size_t)k);
		assert_string_equal(json_string_value(json_object_get(r, "path")), p.names[k]);
		csv_parse(p.names[k], p.files[k].data, &csv[k]);
		/* The header is the descriptor's fields, in order. */
		json_t *fields = json_object_get(json_object_get(r, "schema"), "fields");
		assert_int_equal(json_array_size(fields), csv[k].cols);
		for (size_t i = 0; i < csv[k].cols; i++)
			assert_string_equal(json_string_value(json_object_get(
						    json_array_get(fields, i), "name")),
					    csv[k].cell[i]);
		assert_int_equal(csv[k].rows - 1, p.rows[k]);
	}
	/* Every declared foreign key holds. */
	size_t checked = 0;
	for (int k = 0; k < HSDS_DESCRIPTOR; k++) {
		json_t *fks = json_object_get(
			json_object_get(json_array_get(res, (size_t)k), "schema"), "foreignKeys");
		for (size_t i = 0; i < json_array_size(fks); i++) {
			json_t *fk = json_array_get(fks, i);
			const char *field = json_string_value(json_object_get(fk, "fields"));
			const char *to = json_string_value(
				json_object_get(json_object_get(fk, "reference"), "resource"));
			const struct csv *t = &csv[resource_index(res, to)];
			long c = col_of(&csv[k], field);
			assert_true(c >= 0);
			for (size_t r = 1; r < csv[k].rows; r++) {
				const char *v = csv[k].cell[r * csv[k].cols + (size_t)c];
				if (!*v)
					continue;
				if (!has_value(t, "id", v))
					fail_msg("%s.%s = %s: no %s with that id", p.names[k],
						 field, v, to);
				checked++;
			}
		}
	}
	assert_true(checked >= 8);
	/* What is there: the territory's organisation and position, the
	 * corridor with its need and delay, the contact split in two. */
	const struct csv *org = &csv[HSDS_ORGANIZATION], *svc = &csv[HSDS_SERVICE];
	assert_true(has_value(org, "name", "CLSC A, \"centre\""));
	assert_false(has_value(org, "id", "ORG-B"));
	assert_true(has_value(svc, "id", "position-POS-1"));
	assert_false(has_value(svc, "id", "position-POS-2"));
	assert_true(has_value(svc, "wait_time", "Délai cible : 2 jours"));
	assert_true(has_value(&csv[HSDS_CONTACT], "email", "pap@clsc-a.test"));
	assert_true(has_value(&csv[HSDS_PHONE], "number", "514 555-0101"));
	assert_true(has_value(&csv[HSDS_TAXONOMY_TERM], "id", "proxima-besoins-logement"));
	assert_true(has_value(&csv[HSDS_ATTRIBUTE], "taxonomy_term_id",
			      "proxima-populations-familles_immigrantes"));
	assert_true(has_value(&csv[HSDS_SERVICE_AREA], "name", "Quartier A1"));
	/* What never is. */
	for (int k = 0; k < HSDS__COUNT; k++) {
		const char *canaries[] = {CANARY_FAMILY, CANARY_STORY, CANARY_HOLDER, CANARY_NOTE};
		for (size_t i = 0; i < 4; i++)
			if (strstr(p.files[k].data, canaries[i]))
				fail_msg("%s holds %s", p.names[k], canaries[i]);
	}
	for (int k = 0; k < HSDS_DESCRIPTOR; k++)
		csv_free(&csv[k]);
	json_decref(dp);
	/* One ZIP: a local header first, an end record with every file. */
	struct buf zip = BUF_INIT(1 << 24);
	assert_int_equal(hsds_package_zip(&p, "hsds-A", 1780000000, &zip), 0);
	assert_memory_equal(zip.data, "PK\3\4", 4);
	const unsigned char *end = (const unsigned char *)zip.data + zip.len - 22;
	assert_memory_equal(end, "PK\5\6", 4);
	assert_int_equal(end[10] | end[11] << 8, HSDS__COUNT);
	assert_non_null(memmem(zip.data, zip.len, "hsds-A/datapackage.json", 23));
	buf_free(&zip);
	hsds_package_free(&p);
}

/* In English, the labels are English; the codes stay. */
static void test_package_in_english(void **state)
{
	struct scratch *f = *state;
	struct hsds_package p;
	assert_int_equal(hsds_package_build(f->db, f->ar, 1, "2026-06-01", "en", 1780000000, &p),
			 0);
	struct csv t;
	csv_parse("taxonomy_terms.csv", p.files[HSDS_TAXONOMY_TERM].data, &t);
	assert_true(has_value(&t, "name", "Housing"));
	assert_true(has_value(&t, "code", "logement"));
	csv_free(&t);
	assert_non_null(strstr(p.files[HSDS_SERVICE].data, "Outreach work — CLSC A"));
	hsds_package_free(&p);
	/* A territory that does not exist. */
	assert_int_equal(hsds_package_build(f->db, f->ar, 99, "2026-06-01", "fr", 0, &p), 1);
}

int main(void)
{
	if (i18n_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_package_parses_and_keys_hold, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_package_in_english, setup, scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
