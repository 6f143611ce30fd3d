/* proxima migrate: pending schema migrations. */
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "db/db.h"
#include "db/migrate.h"

int cli_cmd_migrate(int argc, char **argv)
{
	struct cli_opts o = {0};
	int rc = cli_parse_opts(argc, argv, A_DB | A_KEY, &o);
	if (rc >= 0)
		return rc;
	if (!db_location_is_postgres(o.db) && access(o.db, F_OK) != 0) {
		fprintf(stderr,
			"proxima: database %s does not exist; create it with "
			"'proxima init --db %s'\n",
			o.db, o.db);
		return CLI_EXIT_USAGE;
	}
	char err[512];
	struct db *db = db_open(o.db, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "proxima: %s\n", err);
		return 1;
	}
	int applied, before = 0;
	if (migrate_inspect(db, &before, err, sizeof(err)) == MIGRATE_EMPTY)
		before = 0;
	rc = migrate_apply(db, &applied, err, sizeof(err));
	bool rebuild = false;
	if (rc == 0)
		rc = cli_after_migrations(db, before, &rebuild, err, sizeof(err));
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "proxima: %s\n", err);
		return 1;
	}
	printf("proxima: applied %d migration(s); schema version %d\n", applied, migrate_latest());
	if (rebuild)
		printf("proxima: derived tables (activity aggregates, record keys, referral "
		       "trajectories) built from the existing records\n");
	return cli_seal_log(o.db, o.key, "migration") < 0 ? 1 : 0;
}
