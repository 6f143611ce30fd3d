/* proxima test-http: one raw HTTP request on stdin, its response on stdout. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/log.h"
#include "db/db.h"
#include "http/test_http.h"

int cli_cmd_test_http(int argc, char **argv)
{
	struct cli_opts o = {0};
	int rc = cli_parse_opts(argc, argv, A_DB | A_KEY, &o);
	if (rc >= 0)
		return rc;
	int code;
	struct db *db = cli_open_sealed(o.db, &code);
	if (!db)
		return code;
	db_close(db);
	if ((code = cli_load_key(o.db, o.key)) != 0)
		return code;
	log_access_open("off");
	db_thread_setup(o.db);
	rc = test_http_run(0, 1);
	db_thread_close_all();
	return rc == 0 ? 0 : 1;
}
