/* libFuzzer harness: the bytes are a JSON Lines import (interchange.h)
 * into an in-memory database that already holds the seed records of
 * fuzz_common.h (so that updates and references to existing ids are
 * reached). An import that committed is undone by copying back a snapshot
 * of that state.
 *
 * Beyond the sanitizers, an input fails when:
 *  - interchange_import returns -1 (a read or database error: with an
 *    in-memory database, a record the import let through to SQLite
 *    without checking it; FUZZ_ALLOW_DB_ERROR=1 turns this off), or
 *    returns 1 without saying which line and why, or leaves a
 *    transaction open;
 *  - after a successful import, the documented round trip fails: the admin
 *    export, imported into an empty database and exported again, must
 *    give the same bytes; or a view below admin (gestionnaire, comite,
 *    analyste) shows what interchange.h says it leaves out (nominative
 *    details, e-mails, tokens, referral fields, deleted activities; for
 *    comite and analyste also records and free text). FUZZ_ROUNDTRIP=0
 *    turns both off. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "fuzz/fuzz_common.h"

static struct db *db;  /* the fuzzed database */
static sqlite3 *snap;  /* its prepared state */
static struct db *rt;  /* an empty database for the round trip */
static sqlite3 *empty; /* its prepared (empty) state */
static int allow_db_error, roundtrip = 1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_process_init();
	const char *e = getenv("FUZZ_ALLOW_DB_ERROR");
	allow_db_error = e && strcmp(e, "1") == 0;
	e = getenv("FUZZ_ROUNDTRIP");
	roundtrip = !(e && strcmp(e, "0") == 0);
	db = fuzz_open_migrated(":memory:");
	fuzz_import_text(db, fuzz_seed_jsonl);
	snap = fuzz_snapshot(db);
	rt = fuzz_open_migrated(":memory:");
	empty = fuzz_snapshot(rt);
	return 0;
}

/* The export of d in view as a malloc'd buffer; aborts on failure. */
static char *export_view(struct db *d, enum ix_view view, size_t *len)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	struct export_result er;
	if (!out)
		fuzz_die("open_memstream", NULL);
	int rc = interchange_export(d, view, out, &er);
	fclose(out);
	if (rc != 0) {
		fprintf(stderr, "fuzz_import: the export failed after a successful import: %s\n",
			er.reason);
		abort();
	}
	return text;
}

/* export -> import into an empty database -> export: same bytes. */
static void check_roundtrip(void)
{
	size_t n1, n2;
	char *first = export_view(db, IX_VIEW_ADMIN, &n1);
	fuzz_copy_db((sqlite3 *)db_sqlite_raw(rt), empty);
	FILE *in = fmemopen(first, n1 ? n1 : 1, "r");
	struct import_result res;
	int rc = n1 ? interchange_import(rt, in, &res) : 0;
	fclose(in);
	if (rc != 0) {
		char msg[768];
		import_error_format(&res, msg, sizeof(msg));
		fprintf(stderr, "fuzz_import: the export does not import again: %s\n", msg);
		abort();
	}
	char *second = export_view(rt, IX_VIEW_ADMIN, &n2);
	if (n1 != n2 || memcmp(first, second, n1) != 0) {
		size_t i = 0;
		while (i < n1 && i < n2 && first[i] == second[i])
			i++;
		size_t from = i > 200 ? i - 200 : 0;
		fprintf(stderr,
			"fuzz_import: export -> import -> export differs at byte %zu:\n"
			"first:  %.400s\nsecond: %.400s\n",
			i, first + from, second + from);
		abort();
	}
	free(first);
	free(second);
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* The views below admin leave out what interchange.h says they do: every
 * line parses, and no line holds a member or a kind of what the view may
 * not see. */
static void check_views(void)
{
	static const char *const never[] = {"nominative", "email",      "survey_token",
					    "fields",     "deleted_at", NULL};
	static const char *const shared_only[] = {"goals",   "description", "note",
						  "comment", "text",        NULL};
	static const char *const record_kinds[] = {
		"family",          "activity", "referral", "supervision",
		"support_request", "survey",   "story",    NULL};
	static const enum ix_view views[] = {IX_VIEW_GESTIONNAIRE, IX_VIEW_COMITE,
					     IX_VIEW_ANALYSTE};
	for (size_t v = 0; v < sizeof(views) / sizeof(views[0]); v++) {
		size_t n;
		char *text = export_view(db, views[v], &n);
		bool shared = views[v] != IX_VIEW_GESTIONNAIRE;
		for (char *line = text; line < text + n;) {
			char *nl = memchr(line, '\n', (size_t)(text + n - line));
			size_t len = nl ? (size_t)(nl - line) : (size_t)(text + n - line);
			json_error_t err;
			json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
			if (!json_is_object(o)) {
				fprintf(stderr,
					"fuzz_import: view %zu: a line is not an object (%s): "
					"%.*s\n",
					v, err.text, (int)(len > 500 ? 500 : len), line);
				abort();
			}
			const char *key, *kind = json_string_value(json_object_get(o, "kind"));
			json_t *val;
			json_object_foreach(o, key, val)
			{
				(void)val;
				if (in_list(key, never) || (shared && in_list(key, shared_only))) {
					fprintf(stderr,
						"fuzz_import: view %zu shows \"%s\": %.*s\n", v,
						key, (int)(len > 500 ? 500 : len), line);
					abort();
				}
			}
			if (shared && (!kind || in_list(kind, record_kinds))) {
				fprintf(stderr, "fuzz_import: view %zu shows a record: %.*s\n", v,
					(int)(len > 500 ? 500 : len), line);
				abort();
			}
			json_decref(o);
			line += len + 1;
		}
		free(text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	sqlite3 *h = (sqlite3 *)db_sqlite_raw(db);
	sqlite3_int64 before = sqlite3_total_changes64(h);
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0;
	struct import_result res;
	int rc = interchange_import(db, in, &res);
	fclose(in);
	char msg[768];
	import_error_format(&res, msg, sizeof(msg));
	if (rc == -1 && !allow_db_error) {
		fprintf(stderr, "fuzz_import: read or database error: %s\n", msg);
		abort();
	}
	if (rc == 1 && (res.line < 1 || !res.reason[0])) {
		fprintf(stderr, "fuzz_import: an invalid input without its line or reason: %s\n",
			msg);
		abort();
	}
	if (rc < -1 || rc > 1) {
		fprintf(stderr, "fuzz_import: unexpected return %d\n", rc);
		abort();
	}
	if (!sqlite3_get_autocommit(h)) {
		fprintf(stderr, "fuzz_import: a transaction was left open\n");
		abort();
	}
	if (rc == 0 && roundtrip) {
		check_roundtrip();
		check_views();
	}
	if (sqlite3_total_changes64(h) != before)
		fuzz_copy_db(h, snap);
	return 0;
}
