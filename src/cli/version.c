/* proxima version. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>

#include "app.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "db/db.h"
#include "db/engine.h"
#include "db/migrate.h"

int cli_cmd_version(int argc, char **argv)
{
	struct cli_opts o = {0};
	int rc = cli_parse_opts(argc, argv, 0, &o);
	if (rc >= 0)
		return rc;
	printf("proxima %s (schema %d; sqlite %s; libmicrohttpd %s; libsodium %s)\n",
	       PROXIMA_VERSION, migrate_latest(), db_engine_version(DB_ENGINE_SQLITE),
	       MHD_get_version(), sodium_version_string());
	return 0;
}
