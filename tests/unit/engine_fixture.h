/* Fixture shared by test_engine.c and test_suppression.c: a migrated
 * scratch database with a small territory tree and helpers to add
 * activities (aggregates rebuilt) and compute reports. Static functions:
 * include in one test file only once. Needs cmocka included first.
 *
 * Territories: 1 R (root), 2 A (child of R), 3 A1 (child of A), 4 B.
 * Organisations: 1 X (MSSS), 2 Y (COMM). Persons 1-9: PAP of X. */
#ifndef ENGINE_FIXTURE_H
#define ENGINE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/aggregate.h"
#include "model/cellkey.h"
#include "reports/report.h"
#include "support/scratch_db.h"

struct fixture {
	char path[256];
	struct db *db;
	struct arena *ar;
	int next_activity;
};

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->db = scratch_db_create(f->path, sizeof(f->path), "engine");
	assert_non_null(f->db);
	assert_int_equal(i18n_init(), 0);
	exec_ok(f->db,
		"INSERT INTO territory (id, ext_id, name, parent_id) VALUES"
		" (1, 'R', 'Région', NULL), (2, 'A', 'Territoire A', 1), (3, 'A1', 'Quartier A1', "
		"2),"
		" (4, 'B', 'Territoire B', NULL);"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM'));"
		"INSERT INTO organisation_territory VALUES (1, 2), (2, 2);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', 'P1', 'pap', 1, 2), (2, 'p2', 'P2', 'pap', 1, 2),"
		" (3, 'p3', 'P3', 'pap', 1, 2), (4, 'p4', 'P4', 'pap', 1, 2),"
		" (5, 'p5', 'P5', 'pap', 1, 2), (6, 'p6', 'P6', 'pap', 1, 2),"
		" (7, 'p7', 'P7', 'pap', 1, 2), (8, 'p8', 'P8', 'pap', 1, 2),"
		" (9, 'p9', 'P9', 'pap', 1, 2);");
	f->ar = arena_new(64 * 1024);
	f->next_activity = 1;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->ar);
	scratch_db_remove(f->db, f->path);
	free(f);
	return 0;
}

/* One activity of organisation 1 by person 1 on territory terr, date,
 * type, counts; its components come from the type. Returns its id. */
static int fx_activity(struct fixture *f, int terr, const char *date, const char *type, int adults,
		       int c05, int c617, int families, int new_contacts, int hors)
{
	int id = f->next_activity++;
	struct db_stmt *s;
	assert_non_null(s = db_query(f->db, "INSERT INTO activity (id, ext_id, author_id, organisation_id,"
			" territory_id, date, duration_min, type, adults, children_0_5,"
			" children_6_17, families, new_contacts, hors_reseau, created_at,"
			" updated_at) VALUES (?1, 'act' || ?1, 1, 1, ?2, ?3, 60, ?4, ?5, ?6,"
			" ?7, ?8, ?9, ?10, 0, 0)"));
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, terr);
	db_bind_text(s, 3, date);
	db_bind_text(s, 4, type);
	db_bind_int(s, 5, adults);
	db_bind_int(s, 6, c05);
	db_bind_int(s, 7, c617);
	db_bind_int(s, 8, families);
	db_bind_int(s, 9, new_contacts);
	db_bind_int(s, 10, hors);
	assert_int_equal(db_step(s), DB_DONE);
	db_query_free(s);
	return id;
}

/* After raw inserts, as `proxima reindex`: gives the new records their
 * random record keys (model/cellkey.h) and rebuilds the aggregate tables. */
static void fx_reindex(struct fixture *f)
{
	assert_int_equal(db_begin(f->db), 0);
	assert_true(cellkey_backfill(f->db) >= 0);
	assert_int_equal(agg_rebuild(f->db), 0);
	assert_int_equal(db_commit(f->db), 0);
}

static struct pdate fx_date(const char *s)
{
	struct pdate d;
	assert_int_equal(ptime_parse_date(s, &d), 0);
	return d;
}

/* Computes a report of territory terr ("" = all) over [from, to] with
 * as_of = to, in view v. Asserts success. */
static struct report fx_report(struct fixture *f, const char *terr, const char *from,
			       const char *to, enum report_view v)
{
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = terr;
	rq.from = fx_date(from);
	rq.to = fx_date(to);
	rq.as_of = rq.to;
	rq.has_as_of = true;
	rq.view = v;
	struct report r;
	assert_int_equal(report_compute(f->db, f->ar, &rq, &r), PERR_OK);
	return r;
}

/* The report r written as JSON (report_write_json) and parsed back;
 * asserts both steps. The caller frees the result with json_decref. */
static json_t *fx_report_json(const struct report *r)
{
	struct buf b = BUF_INIT(1 << 24);
	assert_int_equal(report_write_json(r, &b), 0);
	json_error_t err;
	json_t *root = json_loads(b.data, 0, &err);
	assert_non_null(root);
	buf_free(&b);
	return root;
}

static const struct ind_result *fx_get(const struct report *r, const char *id)
{
	const struct ind_result *x = report_find(r, id);
	assert_non_null(x);
	return x;
}

static const struct report_breakdown *fx_breakdown(const struct ind_result *r, const char *name)
{
	for (size_t i = 0; i < r->n_breakdowns; i++)
		if (strcmp(r->breakdowns[i].name, name) == 0)
			return &r->breakdowns[i];
	fail_msg("no breakdown %s in %s", name, r->id);
	return NULL;
}

static const struct report_cell *fx_cell(const struct report_breakdown *b, const char *key)
{
	for (size_t i = 0; i < b->n_cells; i++)
		if (strcmp(b->cells[i].key, key) == 0)
			return &b->cells[i];
	fail_msg("no cell %s in %s", key, b->name);
	return NULL;
}

static const struct report_detail *fx_detail(const struct ind_result *r, const char *key)
{
	for (size_t i = 0; i < r->n_details; i++)
		if (strcmp(r->details[i].key, key) == 0)
			return &r->details[i];
	fail_msg("no detail %s in %s", key, r->id);
	return NULL;
}

#endif
