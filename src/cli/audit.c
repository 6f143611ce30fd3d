/* proxima audit verify: the access log's chain against its anchors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/audit.h"

/* Prints the outcome of a verification (and appends the head to the
 * anchors when intact). Returns the exit code. */
static int audit_report(const char *db, const char *apath, const struct audit_check *c)
{
	char hex[AUDIT_HEAD_HEX];
	if (c->verdict != AUDIT_INTACT) {
		fprintf(stderr, "proxima: access log of %s is NOT intact: %s", db,
			audit_verdict_text(c->verdict));
		if (c->bad_id)
			fprintf(stderr, " (entry %lld)", (long long)c->bad_id);
		fprintf(stderr, "\n");
		return 1;
	}
	struct audit_anchor a = {.at = ptime_now(), .id = c->last_id};
	memcpy(a.head, c->head, AUDIT_HASH_LEN);
	if (audit_anchor_append(apath, &a) < 0) {
		fprintf(stderr, "proxima: cannot append to the anchors %s: %s\n", apath,
			strerror(errno));
		return 1;
	}
	printf("proxima: access log intact: %lld entries (%lld before the seal), %zu anchors "
	       "checked; head %s at entry %lld\n"
	       "proxima: head appended to %s (keep a copy elsewhere: anchors prove that no "
	       "entry was removed from the end)\n",
	       (long long)c->count, (long long)c->before, c->anchors, audit_head_hex(c->head, hex),
	       (long long)c->last_id, apath);
	return 0;
}

/* Verifies the access log of db (named dbname) against the anchors of
 * apath and reports (audit_report). Returns the exit code. */
int cli_verify_anchored(struct db *db, const char *dbname, const char *apath)
{
	char err[512];
	struct arena *ar = arena_new(1 << 16);
	struct audit_anchor *anchors;
	size_t n;
	struct audit_check c;
	int code = 1;
	if (audit_anchor_read(apath, ar, &anchors, &n, err, sizeof(err)) < 0)
		fprintf(stderr, "proxima: %s\n", err);
	else if (audit_verify(db, anchors, n, &c) < 0)
		fprintf(stderr, "proxima: cannot read the access log of %s\n", dbname);
	else
		code = audit_report(dbname, apath, &c);
	arena_free(ar);
	return code;
}

/* proxima audit verify: recomputes the access log's keyed chain, checks it
 * against the anchors, prints the head and, when intact, appends it to the
 * anchors. */
int cli_cmd_audit(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			return cli_print_usage("audit verify");
		return cli_usage_error("unknown or missing action (want 'verify')",
				       argc >= 2 ? argv[1] : "");
	}
	struct cli_opts o = {0};
	int rc = cli_parse_opts(argc - 1, argv + 1, A_DB | A_KEY | A_ANCHORS, &o);
	if (rc >= 0)
		return rc;
	int code;
	struct db *db = cli_open_ready(o.db, &code);
	if (!db)
		return code;
	if ((code = cli_load_key(o.db, o.key)) != 0) {
		db_close(db);
		return code;
	}
	char pbuf[4096];
	const char *apath = cli_anchors_path(&o, pbuf, sizeof(pbuf));
	code = apath ? cli_verify_anchored(db, o.db, apath) : CLI_EXIT_USAGE;
	db_close(db);
	return code;
}
