/* The same answers on both engines: the same imported records give the
 * same "proxima report --format json" document on SQLite and on
 * PostgreSQL, byte for byte, and the same full export; and "proxima copy"
 * of the SQLite database into PostgreSQL gives the same export and the
 * same reports, with its access log verified and its aggregates rebuilt.
 * The privacy lifecycle too: the keyed access log has the same head on both
 * engines, and retention (years later) anonymises the same files, leaving
 * the same export and the same head.
 *
 * Data: the demo's records ("proxima demo --jsonl", fixed clock), with the
 * activities of two windows around the 2025 daylight-saving changes
 * (March 9 and November 2, America/Toronto) and every referral (the arr.*
 * delays, medians and 90th percentiles cross those changes). Reports:
 * the whole period and each window, complet and comite/analyste (small-cell
 * suppression), for each territory and one organisation.
 *
 * The comite and analyste views perturb their counts of people by the
 * records' keys (model/cellkey.h), drawn at random when each record is
 * made: two imports of the same records are two deployments with
 * different keys, whose protected figures differ by design. So both
 * databases are then given the same keys (a function of the record's id)
 * and reindexed: the engines must then agree on the perturbed figures too
 * (the key sums, modulo and perturbation computed on each). The copy keeps
 * the source's keys as they are.
 *
 * Runs in tests/run.sh's PostgreSQL pass (it needs both engines); the
 * SQLite pass skips it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/scratch_db.h"
#include "support/server.h"
#include "support/web.h"

#define NOW "2025-11-20T10:00:00"

static char dir[512], demo_db[700], lite[700], pg[700], copy[700], records[700];

/* Keeps an activity when its date falls in a window around a change. */
static bool in_windows(const char *line)
{
	const char *d = strstr(line, "\"date\":\"");
	if (!d)
		return false;
	char date[11];
	memcpy(date, d + 8, 10);
	date[10] = '\0';
	return (strcmp(date, "2025-03-01") >= 0 && strcmp(date, "2025-03-16") <= 0) ||
	       (strcmp(date, "2025-10-27") >= 0 && strcmp(date, "2025-11-08") <= 0);
}

/* The value of "key":"…" in a JSON line, copied into out; false when
 * absent or not a string. */
static bool field(const char *line, const char *key, char *out, size_t cap)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	const char *p = strstr(line, pat);
	if (!p)
		return false;
	p += strlen(pat);
	const char *e = strchr(p, '"');
	if (!e || (size_t)(e - p) >= cap)
		return false;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return true;
}

/* Writes the demo's records, less the activities outside the windows (and
 * the stories about them), into records. 0 or -1. */
static int make_records(void)
{
	char all[700], err[2048];
	snprintf(all, sizeof(all), "%s/demo.jsonl", dir);
	const char *init[] = {"init", "--db", demo_db, NULL};
	const char *demo[] = {"demo", "--db", demo_db, "--jsonl", all, NULL};
	if (ts_run(init, 60000, NULL, 0, err, sizeof(err)) != 0) {
		fprintf(stderr, "init: %s\n", err);
		return -1;
	}
	if (ts_run(demo, 120000, NULL, 0, err, sizeof(err)) != 0) {
		fprintf(stderr, "demo --jsonl: %s\n", err);
		return -1;
	}
	FILE *in = fopen(all, "r"), *out = fopen(records, "w");
	if (!in || !out)
		return -1;
	static char line[1 << 16];
	static char kept[4096][40];
	size_t nkept = 0;
	while (fgets(line, sizeof(line), in)) {
		char id[40];
		if (strncmp(line, "{\"kind\":\"activity\"", 18) == 0) {
			if (!in_windows(line))
				continue;
			if (field(line, "id", id, sizeof(id)) && nkept < 4096)
				memcpy(kept[nkept++], id, sizeof(id));
		} else if (strncmp(line, "{\"kind\":\"story\"", 15) == 0 &&
			   field(line, "activity", id, sizeof(id))) {
			size_t i = 0;
			while (i < nkept && strcmp(kept[i], id) != 0)
				i++;
			if (i == nkept)
				continue;
		}
		fputs(line, out);
	}
	fclose(in);
	return fclose(out) == 0 && nkept > 100 ? 0 : -1;
}

/* Gives the activities, families and referrals of location keys that
 * depend on their ids only (the same on both engines after the same
 * import), then rebuilds the aggregates' key sums. 0 or -1. */
static int same_keys(const char *location)
{
	char err[2048] = "";
	const char *reindex[] = {"reindex", "--db", location, NULL};
	if (web_sql(location, "UPDATE activity SET ckey = (id * 40503 + 17) % 16777216") < 0 ||
	    web_sql(location, "UPDATE family SET ckey = (id * 65599 + 5) % 16777216") < 0 ||
	    web_sql(location, "UPDATE referral SET ckey = (id * 92821 + 3) % 16777216") < 0 ||
	    ts_run(reindex, 600000, NULL, 0, err, sizeof(err)) != 0) {
		fprintf(stderr, "same keys %s: %s\n", location, err);
		return -1;
	}
	return 0;
}

/* init + import of the records into location. 0 or -1. */
static int load(const char *location)
{
	char err[4096];
	const char *init[] = {"init", "--db", location, NULL};
	const char *import[] = {"import", "--db", location, records, NULL};
	if (ts_run(init, 60000, NULL, 0, err, sizeof(err)) != 0 ||
	    ts_run(import, 600000, NULL, 0, err, sizeof(err)) != 0) {
		fprintf(stderr, "load %s: %s\n", location, err);
		return -1;
	}
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	if (!scratch_pg_admin())
		return 0;
	setenv("PROXIMA_NOW", NOW, 1);
	if (ts_mkdtemp(dir, sizeof(dir), "same") < 0)
		return -1;
	snprintf(demo_db, sizeof(demo_db), "%s/demo.db", dir);
	snprintf(lite, sizeof(lite), "%s/lite.db", dir);
	snprintf(records, sizeof(records), "%s/records.jsonl", dir);
	if (make_records() < 0)
		return -1;
	if (scratch_pg_create(pg, sizeof(pg), "same_answers", false) < 0)
		return -1;
	return load(lite) < 0 || load(pg) < 0 || same_keys(lite) < 0 || same_keys(pg) < 0 ? -1 : 0;
}

/* Runs "proxima report" with args on the SQLite database and on other,
 * and compares the documents. */
static void same_report(const char *other, const char *territory, const char *org, const char *from,
			const char *to, const char *view)
{
	static char a[1 << 20], b[1 << 20];
	char err[2048];
	const char *args[16];
	for (int e = 0; e < 2; e++) {
		int n = 0;
		args[n++] = "report";
		args[n++] = "--db";
		args[n++] = e == 0 ? lite : other;
		args[n++] = "--territory";
		args[n++] = territory;
		if (org) {
			args[n++] = "--organisation";
			args[n++] = org;
		}
		args[n++] = "--from";
		args[n++] = from;
		args[n++] = "--to";
		args[n++] = to;
		args[n++] = "--view";
		args[n++] = view;
		args[n] = NULL;
		if (ts_run(args, 120000, e == 0 ? a : b, sizeof(a), err, sizeof(err)) != 0)
			fail_msg("report %s %s %s on %s: %s", territory, view, from,
				 e ? "PostgreSQL" : "SQLite", err);
	}
	assert_true(strlen(a) > 1000);
	if (strcmp(a, b) != 0) {
		size_t i = 0;
		while (a[i] && a[i] == b[i])
			i++;
		size_t from_i = i > 200 ? i - 200 : 0;
		fail_msg("report %s %s %s..%s differs at byte %zu:\nSQLite:     "
			 "%.400s\nPostgreSQL: %.400s",
			 territory, view, from, to, i, a + from_i, b + from_i);
	}
}

static void test_reports_equal(void **state)
{
	(void)state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	static const char *const terr[] = {"A", "B", "C", "D"};
	static const char *const views[] = {"complet", "comite", "analyste"};
	for (size_t t = 0; t < 4; t++)
		for (size_t v = 0; v < 3; v++) {
			same_report(pg, terr[t], NULL, "2025-01-01", "2025-11-19", views[v]);
			same_report(pg, terr[t], NULL, "2025-03-01", "2025-03-16", views[v]);
			same_report(pg, terr[t], NULL, "2025-10-27", "2025-11-08", views[v]);
		}
}

/* The interchange export of everything (nominative details decrypted
 * with the same key) of the SQLite database and of other is the same. */
static void same_export(const char *other)
{
	static char a[1 << 22], b[1 << 22];
	char err[2048];
	const char *ea[] = {"export", "--db", lite, "--view", "complet", "-", NULL};
	const char *eb[] = {"export", "--db", other, "--view", "complet", "-", NULL};
	assert_int_equal(ts_run(ea, 120000, a, sizeof(a), err, sizeof(err)), 0);
	assert_int_equal(ts_run(eb, 120000, b, sizeof(b), err, sizeof(err)), 0);
	assert_true(strlen(a) > 100000);
	assert_string_equal(b, a);
}

static void test_exports_equal(void **state)
{
	(void)state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	same_export(pg);
}

/* proxima copy: every record, the access log verified, the aggregates
 * rebuilt (the reports read them), the ciphertexts opened by the same key
 * (the complet export decrypts them). */
static void test_copy(void **state)
{
	(void)state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	assert_int_equal(scratch_pg_create(copy, sizeof(copy), "copy", false), 0);
	static char out[1 << 16];
	char err[2048];
	const char *args[] = {"copy", "--db", lite, "--to", copy, NULL};
	if (ts_run(args, 600000, out, sizeof(out), err, sizeof(err)) != 0)
		fail_msg("copy: %s", err);
	assert_non_null(strstr(out, "access log verified"));
	/* A second copy into the same (now used) database is refused. */
	assert_int_equal(ts_run(args, 60000, out, sizeof(out), err, sizeof(err)), 1);
	assert_non_null(strstr(err, "already holds"));
	/* The copy's chain verifies under the same key against the SQLite
	 * file's anchors, which the copy extended. */
	char anchors[720];
	snprintf(anchors, sizeof(anchors), "%s.anchors", lite);
	const char *verify[] = {"audit", "verify", "--db", copy, "--anchors", anchors, NULL};
	assert_int_equal(ts_run(verify, 60000, out, sizeof(out), err, sizeof(err)), 0);
	same_export(copy);
	same_report(copy, "A", NULL, "2025-01-01", "2025-11-19", "complet");
	same_report(copy, "B", NULL, "2025-03-01", "2025-03-16", "comite");
}

/* The line of "proxima audit verify" that names the head: "head HEX at
 * entry N" (the same entries, keyed alike, hash alike). */
static void verify_head(const char *location, const char *anchors, char *head, size_t cap)
{
	static char out[4096];
	char err[2048];
	const char *args[] = {"audit", "verify", "--db", location, "--anchors", anchors, NULL};
	if (ts_run(args, 120000, out, sizeof(out), err, sizeof(err)) != 0)
		fail_msg("audit verify %s: %s", location, err);
	const char *h = strstr(out, "head ");
	assert_non_null(h);
	size_t n = strcspn(h, "\n");
	assert_true(n < cap);
	memcpy(head, h, n);
	head[n] = '\0';
}

/* "proxima retention run" with extra (NULL-terminated, at most one) on
 * location; its report into out. */
static void retention(const char *location, const char *extra, char *out, size_t cap)
{
	char err[2048];
	const char *args[] = {"retention", "run", "--db", location, extra, NULL};
	if (ts_run(args, 600000, out, cap, err, sizeof(err)) != 0)
		fail_msg("retention run %s: %s", location, err);
}

static void test_privacy_lifecycle_same(void **state)
{
	(void)state;
	if (!scratch_pg_admin()) {
		skip();
		return;
	}
	char alite[720], apg[720], hl[200], hp[200];
	snprintf(alite, sizeof(alite), "%s/lite.anchors", dir);
	snprintf(apg, sizeof(apg), "%s/pg.anchors", dir);
	verify_head(lite, alite, hl, sizeof(hl));
	verify_head(pg, apg, hp, sizeof(hp));
	assert_string_equal(hp, hl);

	/* Seven years on, every file closed in the demo is past its period. */
	setenv("PROXIMA_NOW", "2032-11-20T10:00:00", 1);
	static char a[1 << 18], b[1 << 18];
	retention(lite, "--dry-run", a, sizeof(a));
	retention(pg, "--dry-run", b, sizeof(b));
	assert_non_null(strstr(a, "  family "));
	assert_string_equal(b, a);
	retention(lite, NULL, a, sizeof(a));
	retention(pg, NULL, b, sizeof(b));
	assert_non_null(strstr(a, "nominative details destroyed"));
	assert_string_equal(b, a);
	verify_head(lite, alite, hl, sizeof(hl));
	verify_head(pg, apg, hp, sizeof(hp));
	assert_string_equal(hp, hl);
	same_export(pg);
	setenv("PROXIMA_NOW", NOW, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: both databases have then had the same operations. */
		cmocka_unit_test(test_privacy_lifecycle_same),
		cmocka_unit_test(test_reports_equal),
		cmocka_unit_test(test_exports_equal),
		cmocka_unit_test(test_copy),
	};
	return cmocka_run_group_tests_name("e2e_same_answers", tests, group_setup, NULL);
}
