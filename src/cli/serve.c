/* proxima serve: the web application and the API. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "core/log.h"
#include "schedule.h"
#include "db/db.h"
#include "http/client_addr.h"
#include "http/server.h"
#include "model/memo.h"

int cli_cmd_serve(int argc, char **argv)
{
	struct cli_opts o = {0};
	int rc = cli_parse_opts(argc, argv,
				A_DB | A_KEY | A_LISTEN | A_THREADS | A_ACCESS_LOG | A_TRUST_PROXY |
					A_HEADER_TIMEOUT | A_PER_ADDRESS | A_ANCHORS,
				&o);
	if (rc >= 0)
		return rc;
	struct server_options so = {
		.listen = o.listen ? o.listen : app_cfg.listen,
		.threads = o.threads,
		.shutdown_grace_s = 10,
		.header_timeout_s = o.header_timeout,
		.per_address = o.per_address,
	};
	struct sockaddr_storage ss;
	unsigned sl;
	if (server_parse_listen(so.listen, &ss, &sl) < 0)
		return cli_usage_error("bad --listen address (want ADDR:PORT)", so.listen);
	if (client_addr_trust_parse(o.trust_proxy, &so.trust) < 0)
		return cli_usage_error("--trust-proxy wants addresses separated by commas, not",
				       o.trust_proxy);
	if (o.access_log && log_access_open(o.access_log) < 0) {
		fprintf(stderr, "proxima: cannot open access log %s: %s\n", o.access_log,
			strerror(errno));
		return CLI_EXIT_USAGE;
	}
	int code;
	struct db *db = cli_open_sealed(o.db, &code);
	if (!db)
		return code;
	db_close(db);
	if ((code = cli_load_key(o.db, o.key)) != 0)
		return code;
	app_cfg.db_path = o.db;
	db_thread_setup(o.db);
	char abuf[4096];
	struct schedule_options dopt = {.db_path = o.db,
					.anchors = cli_anchors_path(&o, abuf, sizeof(abuf))};
	if (!dopt.anchors)
		return CLI_EXIT_USAGE;
	if (schedule_start(&dopt) < 0)
		return 1;
	rc = server_run(&so);
	schedule_stop();
	if (rc != 0)
		return 1; /* it never served: its one-line reason is enough */
	struct memo_stats ms;
	memo_stats(&ms);
	log_info("memo", "hits=%llu misses=%llu", (unsigned long long)ms.hits,
		 (unsigned long long)ms.misses);
	return 0;
}
