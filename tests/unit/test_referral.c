/* The referral workflow's model (src/model/referral.c) on a small world:
 * territory T; organisations X (1), Y (2), Z (3); people 1 pap X (follows
 * the families), 2 gestionnaire X, 3 pap Y, 4 pap Z, 5 comité, 6 pap X2;
 * family 1 of X consents to reference (with contact details), family 2
 * of X consents to follow-up only; corridor 1 on T into Y (target 2 days,
 * template "motif" and "disponibilites"). The clock is PROXIMA_NOW, moved
 * by each test; the zone is America/Toronto (DST began 2025-03-09). */
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
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/audit.h"
#include "model/family.h"
#include "model/lookup.h"
#include "model/ind_arrimage.h"
#include "interchange/interchange.h"
#include "model/referral.h"
#include "model/corridor.h"
#include "model/organisation.h"
#include "model/territory.h"
#include "model/trajectory.h"
#include "model/validation.h"
#include "model/settings.h"
#include "model/vault.h"
#include "support/scratch_db.h"

static const struct actor pap_x = {
	.person_id = 1, .role = ROLE_PAP, .organisation_id = 1, .territory_id = 1};
static const struct actor gest_x = {
	.person_id = 2, .role = ROLE_GESTIONNAIRE, .organisation_id = 1, .territory_id = 1};
static const struct actor pap_y = {
	.person_id = 3, .role = ROLE_PAP, .organisation_id = 2, .territory_id = 1};
static const struct actor pap_z = {
	.person_id = 4, .role = ROLE_PAP, .organisation_id = 3, .territory_id = 1};
static const struct actor comite = {.person_id = 5, .role = ROLE_COMITE, .territory_id = 1};

/* How many referrals who sees under filter fl (one page of up to 100). */
static size_t listed(struct scratch *f, const struct actor *who, const struct referral_filter *fl)
{
	struct referral_page pg = {.limit = 100};
	struct referral *v;
	size_t n;
	int64_t total;
	bool more;
	assert_int_equal(referral_list_page(f->db, f->ar, who, fl, &pg, &v, &n, &total, &more), 0);
	assert_int_equal((int64_t)n, total);
	return n;
}

static void now_is(const char *local)
{
	setenv("PROXIMA_NOW", local, 1);
	ptime_hooks_load();
}

static int64_t ts(const char *local)
{
	int64_t t = 0;
	assert_int_equal(ptime_parse_timestamp(local, &t), 0);
	return t;
}

static long long count(struct db *db, const char *sql)
{
	struct db_stmt *s;
	assert_non_null(s = db_query(db, sql));
	assert_int_equal(db_step(s), DB_ROW);
	long long n = db_col_int64(s, 0);
	db_query_free(s);
	return n;
}

static int setup(void **state)
{
	unsigned char key[32];
	memset(key, 7, sizeof(key));
	vault_set_key(key);
	struct scratch *f = scratch_new("referral", 8192, NULL);
	if (!f)
		return -1;
	now_is("2025-03-01T09:00:00");
	exec_ok(f->db,
		"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T', 'Territoire T', "
		"'urbain');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES"
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS')),"
		" (2, 'Y', 'Maison Y', (SELECT id FROM sector WHERE ext_id = 'COMM')),"
		" (3, 'Z', 'École Z', (SELECT id FROM sector WHERE ext_id = 'MEQ'));"
		"INSERT INTO organisation_territory VALUES (1, 1), (2, 1), (3, 1);"
		"INSERT INTO person (id, ext_id, name, email, role, organisation_id, territory_id) "
		"VALUES (1, 'px', 'Julie Roy', 'px@x.test', 'pap', 1, 1),"
		" (2, 'gx', 'Gest X', 'gx@x.test', 'gestionnaire', 1, 1),"
		" (3, 'py', 'Paul Y', 'py@y.test', 'pap', 2, 1),"
		" (4, 'pz', 'Zoé Z', 'pz@z.test', 'pap', 3, 1),"
		" (5, 'co', 'Comité', 'co@t.test', 'comite', NULL, 1),"
		" (6, 'px2', 'Pap X2', 'px2@x.test', 'pap', 1, 1);"
		"INSERT INTO corridor (id, ext_id, territory_id, name, need, "
		"entry_organisation_id, "
		"target_days, active_from) VALUES (1, 'COR-1', 1, 'Périnatalité', 'logement', 2, "
		"2, "
		"'2024-01-01');"
		"INSERT INTO corridor_field VALUES (1, 'motif'), (1, 'disponibilites');");
	struct family a = {.organisation_id = 1,
			   .code = "F-REF",
			   .opened = "2025-01-06",
			   .follower_id = 1,
			   .consent_date = "2025-01-06",
			   .consent_language = "fr",
			   .consent_suivi = true,
			   .consent_reference = true};
	struct family b = {.organisation_id = 1,
			   .code = "F-SUIVI",
			   .opened = "2025-01-06",
			   .follower_id = 1,
			   .consent_date = "2025-01-06",
			   .consent_language = "fr",
			   .consent_suivi = true};
	struct nominative nom = {
		.name = "Marie Tremblay", .phone = "514-555-0199", .address = "12 rue des Érables"};
	if (db_begin(f->db) < 0 || family_save(f->db, f->ar, 1, &a, &nom, "suivi") < 0 ||
	    family_save(f->db, f->ar, 1, &b, NULL, NULL) < 0 || db_commit(f->db) < 0)
		return -1;
	assert_int_equal(a.id, 1);
	assert_int_equal(b.id, 2);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	scratch_teardown(state);
	vault_unload();
	return 0;
}

static struct referral_field tmpl[] = {
	{"motif", "Suivi de grossesse"},
	{"disponibilites", "Le matin"},
};

/* Sends family fam from X through corridor 1 (or directly to to_org when
 * to_org is given) and commits; returns the id. */
static int64_t send(struct scratch *f, const struct actor *who, int64_t fam, int64_t to_org)
{
	struct referral_new in = {.family_id = fam};
	if (to_org) {
		in.to_org = to_org;
	} else {
		in.corridor_id = 1;
		in.fields = tmpl;
		in.n_fields = 2;
	}
	struct validation v = {0};
	int64_t id = 0;
	assert_int_equal(db_begin(f->db), 0);
	enum perr e = referral_create(f->db, f->ar, who, &in, &v, &id);
	if (e != PERR_OK)
		fail_msg("create: %d, %s: %s", e, v.n ? v.errs[0].field : "-",
			 v.n ? v.errs[0].message : "-");
	assert_int_equal(db_commit(f->db), 0);
	return id;
}

/* The absent convention (docs/architecture.md, "Absent"): a referral's
 * external id looks up as 0 (found) or 1 (unknown, empty or none, id 0),
 * and an action on a referral or a family the actor cannot see answers
 * PERR_NOT_FOUND, the same as one that does not exist. */
static void test_absent_convention(void **state)
{
	struct scratch *f = *state;
	int64_t id = send(f, &pap_x, 1, 0);
	struct referral r;
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	int64_t got = -1;
	assert_int_equal(lookup_ext(f->db, EXT_REFERRAL, r.ext_id, &got), 0);
	assert_int_equal(got, id);
	got = -1;
	assert_int_equal(lookup_ext(f->db, EXT_REFERRAL, "ref-none", &got), 1);
	assert_int_equal(got, 0);
	assert_int_equal(lookup_ext(f->db, EXT_REFERRAL, "", &got), 1);
	assert_int_equal(lookup_ext(f->db, EXT_REFERRAL, NULL, &got), 1);

	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	/* Z cannot see the referral; nobody can see referral id + 100. */
	assert_int_equal(referral_act(f->db, f->ar, &pap_z, id, REFERRAL_ACKNOWLEDGE, NULL, &v),
			 PERR_NOT_FOUND);
	assert_int_equal(
		referral_act(f->db, f->ar, &pap_y, id + 100, REFERRAL_ACKNOWLEDGE, NULL, &v),
		PERR_NOT_FOUND);
	/* Y cannot see X's family: referring it is the same as an unknown one. */
	struct referral_new in = {.family_id = 1, .to_org = 1};
	int64_t out;
	assert_int_equal(referral_create(f->db, f->ar, &pap_y, &in, &v, &out), PERR_NOT_FOUND);
	in.family_id = 999;
	assert_int_equal(referral_create(f->db, f->ar, &pap_x, &in, &v, &out), PERR_NOT_FOUND);
	assert_int_equal(v.n, 0);
	db_rollback(f->db);

	assert_int_equal(perr_found(0), PERR_OK);
	assert_int_equal(perr_found(1), PERR_NOT_FOUND);
	assert_int_equal(perr_found(-1), PERR_UNAVAILABLE);
}

static void test_consent_required(void **state)
{
	struct scratch *f = *state;
	struct referral_new in = {.family_id = 2, .corridor_id = 1, .fields = tmpl, .n_fields = 2};
	struct validation v = {0};
	int64_t id;
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_create(f->db, f->ar, &pap_x, &in, &v, &id), PERR_UNPROCESSABLE);
	db_rollback(f->db);
	assert_non_null(validation_get(&v, "consent"));
	assert_non_null(strstr(validation_get(&v, "consent"), "consentement"));
	assert_int_equal(count(f->db, "SELECT count(*) FROM referral"), 0);
	/* comité may not refer at all; Z may not see X's family. */
	v.n = 0;
	in.family_id = 1;
	assert_int_equal(referral_create(f->db, f->ar, &comite, &in, &v, &id), PERR_FORBIDDEN);
	assert_int_equal(referral_create(f->db, f->ar, &pap_z, &in, &v, &id), PERR_NOT_FOUND);
	/* A closed file is not referred. */
	exec_ok(f->db, "UPDATE family SET closed = '2025-02-01' WHERE id = 1");
	v.n = 0;
	assert_int_equal(referral_create(f->db, f->ar, &pap_x, &in, &v, &id), PERR_UNPROCESSABLE);
	assert_non_null(validation_get(&v, "family"));
	assert_int_equal(count(f->db, "SELECT count(*) FROM referral"), 0);
}

static void test_template_fields_required(void **state)
{
	struct scratch *f = *state;
	struct referral_field one[] = {{"motif", "x"}, {"disponibilites", "   "}};
	struct referral_new in = {.family_id = 1, .corridor_id = 1, .fields = one, .n_fields = 2};
	struct validation v = {0};
	int64_t id;
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_create(f->db, f->ar, &pap_x, &in, &v, &id), PERR_UNPROCESSABLE);
	db_rollback(f->db);
	assert_non_null(validation_get(&v, "fields.disponibilites"));
	assert_null(validation_get(&v, "fields.motif"));
	/* An inactive corridor (ended yesterday) is refused. */
	exec_ok(f->db, "UPDATE corridor SET active_to = '2025-02-28' WHERE id = 1");
	v.n = 0;
	in.fields = tmpl;
	assert_int_equal(referral_create(f->db, f->ar, &pap_x, &in, &v, &id), PERR_UNPROCESSABLE);
	assert_non_null(validation_get(&v, "corridor"));
}

static void test_create_visibility_and_audit(void **state)
{
	struct scratch *f = *state;
	int64_t id = send(f, &pap_x, 1, 0);
	struct referral r;
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	assert_true(r.receiver_side);
	assert_false(r.sender_side);
	assert_int_equal(r.to_org, 2);
	assert_int_equal(r.status, REFERRAL_ENVOYEE);
	assert_string_equal(r.need, "logement"); /* from the corridor */
	assert_string_equal(r.sender_name, "Julie Roy");
	assert_int_equal(r.sent_at, ts("2025-03-01T09:00:00"));
	assert_int_equal(referral_get(f->db, f->ar, &gest_x, id, &r), 0);
	assert_true(r.sender_side);
	/* Z, the committee: it does not exist. */
	assert_int_equal(referral_get(f->db, f->ar, &pap_z, id, &r), 1);
	assert_int_equal(referral_get(f->db, f->ar, &comite, id, &r), 1);
	size_t n;
	struct referral_filter all = {0};
	assert_int_equal(listed(f, &pap_z, &all), 0);
	assert_int_equal(listed(f, &pap_y, &all), 1);
	struct referral_filter sent = {.direction = REFERRAL_SENT};
	assert_int_equal(listed(f, &pap_y, &sent), 0);
	/* The communication to Y is in the access log, naming Y. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = "
				      "'communicate' AND recipient_id = 2 AND object_id = 1"),
			 1);
	/* Y reads name and phone (logged), never the address. */
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	struct nominative nom;
	assert_int_equal(referral_read_contact(f->db, f->ar, &pap_y, &r, &nom), 0);
	assert_string_equal(nom.name, "Marie Tremblay");
	assert_string_equal(nom.phone, "514-555-0199");
	assert_null(nom.address);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'read' "
				      "AND actor_id = 3 AND recipient_id = 2"),
			 1);
	/* The sending side reads contact details on the family page, not here. */
	assert_int_equal(referral_get(f->db, f->ar, &pap_x, id, &r), 0);
	assert_int_equal(referral_read_contact(f->db, f->ar, &pap_x, &r, &nom), 1);
	struct referral_event *ev;
	assert_int_equal(referral_events(f->db, f->ar, id, &ev, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].action, REFERRAL_ENVOYEE);
	struct audit_check chk;
	assert_int_equal(audit_verify(f->db, NULL, 0, &chk), 0);
	assert_int_equal(chk.verdict, AUDIT_INTACT);
}

static void test_refuse_needs_reason(void **state)
{
	struct scratch *f = *state;
	int64_t id = send(f, &pap_x, 1, 0);
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_act(f->db, f->ar, &pap_y, id, REFERRAL_REFUSE, "  ", &v),
			 PERR_UNPROCESSABLE);
	db_rollback(f->db);
	assert_non_null(validation_get(&v, "reason"));
	struct referral r;
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	assert_int_equal(r.status, REFERRAL_ENVOYEE);
	/* The sending side cannot refuse; Z does not see it. */
	v.n = 0;
	assert_int_equal(referral_act(f->db, f->ar, &pap_x, id, REFERRAL_REFUSE, "Non", &v),
			 PERR_FORBIDDEN);
	assert_int_equal(referral_act(f->db, f->ar, &pap_z, id, REFERRAL_REFUSE, "Non", &v),
			 PERR_NOT_FOUND);
	now_is("2025-03-01T15:00:00");
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_act(f->db, f->ar, &pap_y, id, REFERRAL_ACKNOWLEDGE, NULL, &v),
			 PERR_OK);
	assert_int_equal(
		referral_act(f->db, f->ar, &pap_y, id, REFERRAL_REFUSE, "Hors de notre mandat", &v),
		PERR_OK);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(referral_get(f->db, f->ar, &pap_x, id, &r), 0);
	assert_int_equal(r.status, REFERRAL_REFUSEE);
	assert_string_equal(r.reason, "Hors de notre mandat");
	struct referral_event *ev;
	size_t n;
	assert_int_equal(referral_events(f->db, f->ar, id, &ev, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ev[1].action, REFERRAL_RECUE);
	assert_int_equal(ev[2].action, REFERRAL_REFUSEE);
	assert_string_equal(ev[2].reason, "Hors de notre mandat");
	/* Closed: no more changes. */
	v.n = 0;
	assert_int_equal(referral_act(f->db, f->ar, &pap_y, id, REFERRAL_TAKE, NULL, &v),
			 PERR_CONFLICT);
	/* Lost: the sending side, with a reason. */
	int64_t id2 = send(f, &pap_x, 1, 3);
	v.n = 0;
	assert_int_equal(referral_act(f->db, f->ar, &pap_x, id2, REFERRAL_LOST, NULL, &v),
			 PERR_UNPROCESSABLE);
	assert_int_equal(referral_act(f->db, f->ar, &pap_z, id2, REFERRAL_LOST, "x", &v),
			 PERR_FORBIDDEN);
}

static void test_loop_on_reorientation(void **state)
{
	struct scratch *f = *state;
	int64_t id = send(f, &pap_x, 1, 0); /* X -> Y */
	struct referral_new back = {.to_org = 1};
	struct validation v = {0};
	bool loop = false;
	int64_t nid = 0;
	now_is("2025-03-02T10:00:00");
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_reorient(f->db, f->ar, &pap_y, id, &back, "Mieux servie chez X",
					   false, &loop, &v, &nid),
			 PERR_CONFLICT);
	db_rollback(f->db);
	assert_true(loop);
	assert_non_null(validation_get(&v, "confirm_loop"));
	assert_int_equal(count(f->db, "SELECT count(*) FROM referral"), 1);
	/* Without a reason: refused, whatever the loop. */
	v.n = 0;
	assert_int_equal(
		referral_reorient(f->db, f->ar, &pap_y, id, &back, "", true, &loop, &v, &nid),
		PERR_UNPROCESSABLE);
	assert_non_null(validation_get(&v, "reason"));
	/* Confirmed: recorded and counted. */
	v.n = 0;
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_reorient(f->db, f->ar, &pap_y, id, &back, "Mieux servie chez X",
					   true, &loop, &v, &nid),
			 PERR_OK);
	assert_int_equal(db_commit(f->db), 0);
	struct referral r;
	assert_int_equal(referral_get(f->db, f->ar, &pap_x, nid, &r), 0);
	assert_true(r.loop_detected);
	assert_int_equal(r.previous_id, id);
	assert_int_equal(r.from_org, 2);
	assert_int_equal(r.to_org, 1);
	assert_string_equal(r.need, "logement");
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	assert_int_equal(r.status, REFERRAL_REORIENTEE);
	/* arr.renvois_boucle agrees: one trajectory, with a loop. */
	struct ind_scope sc;
	struct pdate from = {2025, 3, 1}, to = {2025, 3, 31};
	ind_scope_init(&sc, &from, &to);
	struct ind_arr_boucle_result b;
	assert_int_equal(ind_arr_boucle(f->db, f->ar, &sc, &b), 0);
	assert_int_equal(b.started, 1);
	assert_int_equal(b.loops, 1);
	/* The trajectory: X -> Y, then Y -> X; Z sees nothing of it. */
	struct referral_step *st;
	size_t n;
	assert_int_equal(referral_trajectory(f->db, f->ar, &pap_x, nid, &st, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(st[0].r.id, id);
	assert_true(st[0].days > 1.0 - 1e-9 && st[0].days < 1.1); /* 25 h: 1.0 */
	assert_false(st[0].open);
	assert_true(st[1].open);
	assert_int_equal(referral_trajectory(f->db, f->ar, &pap_z, nid, &st, &n), 1);
	/* Onward from X to Z: Z is new, no warning. */
	int64_t nid2;
	struct referral_new onward = {.to_org = 3};
	v.n = 0;
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_reorient(f->db, f->ar, &gest_x, nid, &onward, "École", false,
					   &loop, &v, &nid2),
			 PERR_OK);
	assert_int_equal(db_commit(f->db), 0);
	assert_false(loop);
}

static void test_overdue_across_dst(void **state)
{
	struct scratch *f = *state;
	now_is("2025-03-07T12:00:00");
	int64_t id = send(f, &pap_x, 1, 0); /* target 2 days */
	struct referral r;
	size_t n;
	/* Saturday noon to Sunday noon across the change is 23 hours. */
	now_is("2025-03-09T12:00:00");
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	assert_false(r.overdue);
	/* 48 real hours end at 13:00 on Sunday: exactly the target. */
	now_is("2025-03-09T13:00:00");
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	assert_false(r.overdue);
	assert_int_equal(referral_count_overdue_for(f->db, &pap_y, &n), 0);
	assert_int_equal(n, 0);
	now_is("2025-03-09T13:01:00");
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	assert_true(r.overdue);
	assert_false(r.escaped);
	/* Flagged to both sides. */
	assert_int_equal(referral_count_overdue_for(f->db, &pap_y, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(referral_count_overdue_for(f->db, &gest_x, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(referral_count_overdue_for(f->db, &pap_z, &n), 0);
	assert_int_equal(n, 0);
	struct referral_filter late = {.overdue_only = true};
	assert_int_equal(listed(f, &pap_x, &late), 1);
	/* Taken in charge: no longer overdue. */
	struct validation val = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_act(f->db, f->ar, &pap_y, id, REFERRAL_TAKE, NULL, &val),
			 PERR_OK);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(referral_get(f->db, f->ar, &pap_y, id, &r), 0);
	assert_false(r.overdue);
	assert_int_equal(r.status, REFERRAL_PRISE_EN_CHARGE);
	assert_int_equal(r.received_at, r.taken_at);
	/* A direct referral has the 2-day default. */
	now_is("2025-03-10T08:00:00");
	int64_t d = send(f, &pap_x, 1, 3);
	now_is("2025-03-12T08:00:00");
	assert_int_equal(referral_get(f->db, f->ar, &pap_z, d, &r), 0);
	assert_false(r.overdue);
	now_is("2025-03-12T08:01:00");
	assert_int_equal(referral_get(f->db, f->ar, &pap_z, d, &r), 0);
	assert_true(r.overdue);
}

static void test_escape_window(void **state)
{
	struct scratch *f = *state;
	now_is("2025-01-01T10:00:00");
	int64_t id = send(f, &pap_x, 1, 3);
	struct referral r;
	now_is("2025-01-31T23:00:00"); /* 30 calendar days: not yet */
	assert_int_equal(referral_get(f->db, f->ar, &pap_z, id, &r), 0);
	assert_true(r.overdue);
	assert_false(r.escaped);
	now_is("2025-02-01T00:30:00"); /* 31 days */
	assert_int_equal(referral_get(f->db, f->ar, &pap_z, id, &r), 0);
	assert_true(r.escaped);
	/* The window is a setting. */
	assert_int_equal(settings_set(f->db, SETTING_ESCAPE_WINDOW_DAYS, "45"), SETTING_OK);
	assert_int_equal(referral_get(f->db, f->ar, &pap_z, id, &r), 0);
	assert_false(r.escaped);
	/* Closed referrals never escape by the window. */
	now_is("2025-03-01T10:00:00");
	assert_int_equal(referral_get(f->db, f->ar, &pap_z, id, &r), 0);
	assert_true(r.escaped);
	struct validation v = {0};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(
		referral_act(f->db, f->ar, &pap_x, id, REFERRAL_LOST, "Famille jamais jointe", &v),
		PERR_OK);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(referral_get(f->db, f->ar, &pap_z, id, &r), 0);
	assert_false(r.escaped);
	assert_int_equal(r.status, REFERRAL_PERDUE);
}

/* Export (admin) -> import into an empty database -> export: the same
 * bytes, with referral_event rows in the source. */
static void test_interchange_round_trip(void **state)
{
	struct scratch *f = *state;
	int64_t id = send(f, &pap_x, 1, 0);
	struct validation v = {0};
	bool loop;
	int64_t nid;
	struct referral_new to_z = {.to_org = 3};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(referral_reorient(f->db, f->ar, &pap_y, id, &to_z, "Vers Z", false, &loop,
					   &v, &nid),
			 PERR_OK);
	assert_int_equal(db_commit(f->db), 0);
	assert_true(count(f->db, "SELECT count(*) FROM referral_event") >= 3);
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	struct export_result er;
	FILE *out = open_memstream(&a, &na);
	assert_int_equal(interchange_export(f->db, IX_VIEW_ADMIN, out, &er), 0);
	fclose(out);
	assert_non_null(strstr(a, "\"fields\":{"));
	assert_non_null(strstr(a, "\"reason\":\"Vers Z\""));
	struct scratch *g = scratch_new("referral-rt", 4096, NULL);
	assert_non_null(g);
	FILE *in = fmemopen(a, na, "r");
	struct import_result ir;
	int rc = interchange_import(g->db, in, &ir);
	fclose(in);
	if (rc != 0)
		fail_msg("import: line %ld field %s: %s", ir.line, ir.field, ir.reason);
	out = open_memstream(&b, &nb);
	assert_int_equal(interchange_export(g->db, IX_VIEW_ADMIN, out, &er), 0);
	fclose(out);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	scratch_free(g);
	free(a);
	free(b);
}

/* ---- trajectory_referral: kept by every write, equal to a rebuild ---- */

/* Every row of trajectory_referral as one malloc'd string. */
static char *traj_snapshot(struct db *db)
{
	struct db_stmt *st;
	assert_non_null(st = db_query(db, "SELECT * FROM trajectory_referral "
					  "ORDER BY territory_id, sent_at, referral_id"));
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	out[0] = 0;
	while (db_step(st) == DB_ROW)
		for (int c = 0; c < db_col_count(st); c++) {
			const char *t = db_col_cstr(st, c);
			size_t n = strlen(t ? t : "") + 2;
			if (len + n + 1 > cap) {
				cap = (len + n + 1) * 2;
				assert_non_null(out = realloc(out, cap));
			}
			len += (size_t)snprintf(out + len, cap - len, "%s%c", t ? t : "-",
						c + 1 < db_col_count(st) ? '|' : '\n');
		}
	db_query_free(st);
	return out;
}

/* The table as the writes kept it equals what `proxima reindex` builds. */
static void traj_check_rebuild(struct db *db, const char *after)
{
	char *kept = traj_snapshot(db);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(trajectory_rebuild(db), 0);
	char *rebuilt = traj_snapshot(db);
	db_rollback(db);
	if (strcmp(kept, rebuilt) != 0)
		fail_msg("after %s:\nkept:\n%s\nrebuilt:\n%s", after, kept, rebuilt);
	free(kept);
	free(rebuilt);
}

/* The comparison's rows (the table) equal the recursive read of each
 * territory alone, for the whole period and for an as_of in the middle. */
static void traj_check_split(struct db *db, struct arena *ar, const char *as_of)
{
	static const int64_t terr[] = {1, 2, 3};
	struct ind_scope sc;
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(ptime_parse_date("2025-01-01", &sc.from), 0);
	assert_int_equal(ptime_parse_date(as_of, &sc.to), 0);
	sc.as_of = sc.to;
	for (int sector = 0; sector < 2; sector++) {
		sc.sector_id =
			sector ? count(db, "SELECT sector_id FROM organisation WHERE id = 1") : 0;
		struct ind_referral_rows split[3];
		assert_int_equal(ind_arr_referral_rows_split(db, ar, &sc, terr, 3, split), 0);
		for (size_t k = 0; k < 3; k++) {
			struct ind_scope one = sc;
			one.territory_id = terr[k];
			struct ind_referral_rows each;
			assert_int_equal(ind_arr_referral_rows(db, ar, &one, &each), 0);
			assert_int_equal(split[k].n, each.n);
			for (size_t i = 0; i < each.n; i++) {
				const struct ind_referral_row *x = &split[k].v[i], *y = &each.v[i];
				assert_int_equal(x->id, y->id);
				assert_int_equal(x->previous_id, y->previous_id);
				assert_int_equal(x->to_org, y->to_org);
				assert_int_equal(x->taken_at, y->taken_at);
				assert_int_equal(x->closed_at, y->closed_at);
				assert_int_equal(x->has_closed, y->has_closed);
				assert_int_equal(x->ckey, y->ckey);
				assert_true(x->target_days == y->target_days);
				assert_true((x->outcome == NULL) == (y->outcome == NULL));
				if (x->outcome)
					assert_string_equal(x->outcome, y->outcome);
			}
		}
	}
}

static uint64_t traj_rng = 88172645463325252u;

static uint32_t traj_rnd(uint32_t n)
{
	traj_rng ^= traj_rng << 13;
	traj_rng ^= traj_rng >> 7;
	traj_rng ^= traj_rng << 17;
	return (uint32_t)(traj_rng % n);
}

/* What traj_random_write did. */
static const char *const TRAJ_WRITES[] = {"send",
					  "take",
					  "refuse",
					  "re-orient",
					  "expire",
					  "corridor territory",
					  "organisation territories",
					  "territory parent"};

/* The actor of organisation org's receiving side. */
static const struct actor *traj_receiver(int64_t org)
{
	return org == 1 ? &pap_x : org == 2 ? &pap_y : &pap_z;
}

/* One random write of the referral workflow or of what places a
 * trajectory (a corridor's territory, the territories an organisation
 * serves, the territory tree), in its own transaction. Returns its index
 * in TRAJ_WRITES. */
static int traj_random_write(struct scratch *f, int64_t now)
{
	static const struct actor admin = {.person_id = 2, .role = ROLE_ADMIN};
	struct validation v = {0};
	/* An open referral, picked at random, for the actions. */
	int64_t id = 0, n_open = count(f->db, "SELECT count(*) FROM referral WHERE outcome IS NULL "
					      "AND taken_at IS NULL");
	char q[160];
	snprintf(q, sizeof(q),
		 "SELECT id FROM referral WHERE outcome IS NULL AND taken_at IS NULL "
		 "ORDER BY id LIMIT 1 OFFSET %u",
		 n_open ? traj_rnd((uint32_t)n_open) : 0);
	int64_t pick = n_open ? count(f->db, q) : 0;
	snprintf(q, sizeof(q), "SELECT to_organisation_id FROM referral WHERE id = %lld",
		 (long long)pick);
	int64_t to_org = pick ? count(f->db, q) : 0;
	bool have = pick != 0;
	uint32_t what = traj_rnd(10);
	assert_int_equal(db_begin(f->db), 0);
	int name = 0;
	enum perr e = PERR_OK;
	if (what <= 3 || !have) {
		struct referral_new in = {.family_id = 1};
		uint32_t how = traj_rnd(3);
		if (how == 0) {
			in.corridor_id = 1;
			in.fields = tmpl;
			in.n_fields = 2;
		} else if (how == 1) {
			in.corridor_id = 2;
		} else {
			in.to_org = 2 + traj_rnd(2);
		}
		if (traj_rnd(2))
			in.first_contact_at = now - 3600 * (int64_t)(1 + traj_rnd(72));
		const struct actor *who = traj_rnd(2) ? &pap_x : &pap_y;
		e = referral_create(f->db, f->ar, who, &in, &v, &id);
		name = 0;
	} else if (what <= 4) {
		e = referral_act(f->db, f->ar, traj_receiver(to_org), pick, REFERRAL_TAKE, NULL,
				 &v);
		name = 1;
	} else if (what == 5) {
		e = referral_act(f->db, f->ar, traj_receiver(to_org), pick, REFERRAL_REFUSE,
				 "Pas de place", &v);
		name = 2;
	} else if (what == 6) {
		struct referral_new next = {.to_org = 1 + traj_rnd(3)};
		if (traj_rnd(3) == 0) {
			next.to_org = 0;
			next.corridor_id = 2;
		}
		bool loop;
		int64_t nid;
		e = referral_reorient(f->db, f->ar, traj_receiver(to_org), pick, &next, "Ailleurs",
				      true, &loop, &v, &nid);
		name = 3;
	} else if (what == 7) {
		size_t done;
		assert_int_equal(referral_expire_due(f->db, now, &done), 0);
		name = 4;
	} else if (what == 8) {
		struct corridor c;
		assert_int_equal(corridor_get(f->db, f->ar, &admin, 2, &c), 0);
		c.territory_id = 1 + traj_rnd(3);
		assert_int_equal(corridor_save(f->db, f->ar, &c), 0);
		name = 5;
	} else {
		int64_t terrs[2] = {1 + traj_rnd(3), 1 + traj_rnd(3)};
		struct organisation o = {.id = 2,
					 .name = "Maison Y",
					 .sector_id =
						 count(f->db, "SELECT sector_id FROM organisation "
							      "WHERE id = 2"),
					 .territories = terrs,
					 .nterritories = terrs[0] == terrs[1] ? 1 : 2};
		if (traj_rnd(2)) {
			assert_int_equal(organisation_save(f->db, &o, &v), 0);
			name = 6;
		} else {
			struct territory t = {.id = 2,
					      .name = "Quartier T2",
					      .type = "urbain",
					      .parent_id = traj_rnd(2) ? 1 : 3};
			assert_int_equal(territory_save(f->db, f->ar, &t, &v), 0);
			name = 7;
		}
	}
	/* As the pipeline does: a refused write leaves nothing. */
	if (e == PERR_OK)
		assert_int_equal(db_commit(f->db), 0);
	else
		db_rollback(f->db);
	return name;
}

/* The value of "key":"…" in the JSON line at p, copied into out. */
static void json_value(const char *p, const char *key, char *out, size_t cap)
{
	char pat[32];
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	const char *v = strstr(p, pat), *nl = strchr(p, '\n');
	assert_true(v && (!nl || v < nl));
	v += strlen(pat);
	size_t n = (size_t)(strchr(v, '"') - v);
	assert_true(n < cap);
	memcpy(out, v, n);
	out[n] = 0;
}

/* An import that moves a stored referral to another chain (its previous
 * changes): the referral and what follows it leave their old trajectory,
 * which is rewritten too. The line is the export's, with another previous:
 * the first referral exported, a first referral of another chain. */
static void traj_import_moves_previous(struct scratch *f)
{
	char *a = NULL;
	size_t na = 0;
	struct export_result er;
	FILE *out = open_memstream(&a, &na);
	assert_int_equal(interchange_export(f->db, IX_VIEW_ADMIN, out, &er), 0);
	fclose(out);
	char first[64], prev[64], line[4096];
	const char *p = strstr(a, "{\"kind\":\"referral\"");
	assert_non_null(p);
	json_value(p, "id", first, sizeof(first));
	const char *last = NULL;
	for (const char *q = p; (q = strstr(q, "{\"kind\":\"referral\"")) != NULL; q++) {
		const char *nl = strchr(q, '\n'), *pv = strstr(q, "\"previous\":\"");
		if (pv && pv < nl) {
			json_value(q, "previous", prev, sizeof(prev));
			if (strcmp(prev, first) != 0)
				last = q;
		}
	}
	assert_non_null(last);
	json_value(last, "previous", prev, sizeof(prev));
	const char *pv = strstr(last, prev), *nl = strchr(last, '\n');
	int n = snprintf(line, sizeof(line), "%.*s%s%.*s\n", (int)(pv - last), last, first,
			 (int)(nl - pv - (ptrdiff_t)strlen(prev)), pv + strlen(prev));
	assert_true(n > 0 && (size_t)n < sizeof(line));
	FILE *in = fmemopen(line, strlen(line), "r");
	struct import_result ir;
	int rc = interchange_import(f->db, in, &ir);
	fclose(in);
	if (rc != 0)
		fail_msg("import: line %ld field %s: %s", ir.line, ir.field, ir.reason);
	traj_check_rebuild(f->db, "an import moving a referral to another chain");
	free(a);
}

/* Random sequences of referral writes (send, take, refuse, re-orient,
 * expire) and of the writes that place trajectories (a corridor's
 * territory, an organisation's territories, a territory's parent): after
 * each, trajectory_referral equals a rebuild, and the comparison's rows
 * equal each territory's recursive read. The world: T (1) with T2 (2)
 * under it, U (3) apart; corridor 2 on T2 into Z, no template. */
static void test_trajectory_table_property(void **state)
{
	struct scratch *f = *state;
	exec_ok(f->db,
		"INSERT INTO territory (id, ext_id, name, type, parent_id) VALUES"
		" (2, 'T2', 'Quartier T2', 'urbain', 1), (3, 'U', 'Territoire U', 'rural', NULL);"
		"INSERT INTO corridor (id, ext_id, territory_id, name, entry_organisation_id, "
		"target_days, active_from) VALUES (2, 'COR-2', 2, 'Jeunesse', 3, 5, '2024-01-01');"
		"INSERT INTO organisation_territory VALUES (2, 3);");
	assert_int_equal(settings_set(f->db, SETTING_REFERRAL_EXPIRY_DAYS, "3"), SETTING_OK);
	int64_t now = ts("2025-01-02T08:00:00");
	int writes[8] = {0};
	for (int step = 0; step < 200; step++) {
		now += 3600 * (int64_t)(1 + traj_rnd(20));
		char when[32];
		struct pdate d = ptime_local_date(now);
		snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:00:00", d.year, d.month, d.day,
			 (int)((now / 3600 + 19) % 24));
		now_is(when);
		now = ptime_now();
		int w = traj_random_write(f, now);
		traj_check_rebuild(f->db, TRAJ_WRITES[w]);
		writes[w]++;
		arena_reset(f->ar);
	}
	for (int w = 0; w < 8; w++) /* each kind of write was tried */
		assert_true(writes[w] > 0);
	assert_true(count(f->db, "SELECT count(*) FROM referral WHERE previous_id IS NOT NULL") >
		    5);
	traj_import_moves_previous(f);
	/* Corridor 2 back on T2, under T: the trajectories that start on it
	 * count in both, so some referrals have two rows. */
	static const struct actor admin = {.person_id = 2, .role = ROLE_ADMIN};
	struct validation v = {0};
	struct corridor c;
	struct territory t2 = {.id = 2, .name = "Quartier T2", .type = "urbain", .parent_id = 1};
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(corridor_get(f->db, f->ar, &admin, 2, &c), 0);
	c.territory_id = 2;
	assert_int_equal(corridor_save(f->db, f->ar, &c), 0);
	assert_int_equal(territory_save(f->db, f->ar, &t2, &v), 0);
	assert_int_equal(db_commit(f->db), 0);
	traj_check_rebuild(f->db, "corridor 2 on T2 under T");
	assert_true(count(f->db, "SELECT count(*) FROM trajectory_referral") >
		    count(f->db, "SELECT count(*) FROM referral"));
	traj_check_split(f->db, f->ar, "2025-12-31");
	char mid[11];
	struct pdate m =
		ptime_local_date(ts("2025-01-02T08:00:00") + (now - ts("2025-01-02T08:00:00")) / 2);
	snprintf(mid, sizeof(mid), "%04d-%02d-%02d", m.year, m.month, m.day);
	traj_check_split(f->db, f->ar, mid);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	ptime_set_zone("America/Toronto");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_absent_convention, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_template_fields_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_visibility_and_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuse_needs_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_on_reorientation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overdue_across_dst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escape_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interchange_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trajectory_table_property, setup, teardown),
	};
	return cmocka_run_group_tests_name("referral", tests, NULL, NULL);
}
