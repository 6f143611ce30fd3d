/* proxima copy: a live SQLite deployment into PostgreSQL. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/ptime.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/aggregate.h"

/* Opens copy's target, migrated to this binary's schema. NULL after a
 * one-line message. */
static struct db *open_target(const char *to)
{
	char err[512];
	struct db *db = db_open(to, DB_OPEN_CREATE, err, sizeof(err));
	int applied;
	if (!db || migrate_apply(db, &applied, err, sizeof(err)) < 0) {
		fprintf(stderr, "proxima: %s: %s\n", to, err);
		db_close(db);
		return NULL;
	}
	return db;
}

int cli_cmd_copy(int argc, char **argv)
{
	struct cli_opts o = {0};
	int rc = cli_parse_opts(argc, argv, A_DB | A_TO | A_KEY | A_ANCHORS, &o);
	if (rc >= 0)
		return rc;
	if (!o.to)
		return cli_usage_error("missing option", "--to");
	char kbuf[4096], abuf[4096];
	const char *apath = cli_anchors_path(&o, abuf, sizeof(abuf));
	if (!apath || cli_key_path(o.db, o.key, kbuf, sizeof(kbuf)) < 0)
		return CLI_EXIT_USAGE;
	int code;
	struct db *from = cli_open_ready(o.db, &code);
	if (!from)
		return code;
	if ((code = cli_load_key(o.db, o.key)) != 0) {
		db_close(from);
		return code;
	}
	struct db *to = open_target(o.to);
	if (!to) {
		db_close(from);
		return 1;
	}
	char err[1024];
	struct db_copy_stats st;
	int64_t t0 = ptime_monotonic_us();
	rc = db_copy(from, to, &st, err, sizeof(err));
	db_close(from);
	if (rc == 0 && agg_reindex(to) < 0) {
		snprintf(err, sizeof(err), "cannot rebuild the aggregates; run 'proxima reindex'");
		rc = -1;
	}
	if (rc < 0) {
		db_close(to);
		fprintf(stderr, "proxima: copy to %s failed: %s\n", o.to, err);
		return 1;
	}
	/* The copy's chain, under the same key, against the source's anchors. */
	code = cli_verify_anchored(to, o.to, apath);
	db_close(to);
	if (code != 0) {
		fprintf(stderr, "proxima: copy to %s failed: its access log does not verify\n",
			o.to);
		return 1;
	}
	printf("proxima: copied %lld rows of %d tables in %.1f s; aggregates rebuilt; access log "
	       "verified. Serve the copy with the same key file and anchors (--key %s --anchors "
	       "%s).\n",
	       (long long)st.rows, st.tables, (double)(ptime_monotonic_us() - t0) / 1e6, kbuf,
	       apath);
	return 0;
}
