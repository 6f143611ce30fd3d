/* proxima reindex: the aggregates rebuilt. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/aggregate.h"

/* proxima reindex: rebuilds the aggregate tables of the activity journal
 * from the activities, in one transaction (model/aggregate.h), after
 * giving a record key to any record without one (model/cellkey.h). */
int cli_cmd_reindex(int argc, char **argv)
{
	struct cli_opts o = {0};
	int rc = cli_parse_opts(argc, argv, A_DB, &o);
	if (rc >= 0)
		return rc;
	int code;
	struct db *db = cli_open_ready(o.db, &code);
	if (!db)
		return code;
	int64_t t0 = ptime_monotonic_us();
	if (agg_reindex(db) < 0) {
		db_close(db);
		fprintf(stderr, "proxima: cannot rebuild the aggregates of %s\n", o.db);
		return 1;
	}
	db_close(db);
	printf("proxima: aggregates of %s rebuilt in %.1f s\n", o.db,
	       (double)(ptime_monotonic_us() - t0) / 1e6);
	return 0;
}
