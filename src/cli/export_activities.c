/* proxima export-activities: the activities as a spreadsheet. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/act_export.h"
#include "interchange/interchange.h"

/* proxima export-activities: the activities as a spreadsheet (CSV or
 * XLSX), never nominative data (model/act_export.h). */
int cli_cmd_export_activities(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'},
		{"sep", required_argument, NULL, 's'},
		{"view", required_argument, NULL, 'v'},
		{"organisation", required_argument, NULL, 'g'},
		{"from", required_argument, NULL, 'a'},
		{"to", required_argument, NULL, 'b'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dbpath = cli_default_db(), *out = NULL;
	struct act_export_options ao = {
		.format = ACT_EXPORT_CSV, .view = IX_VIEW_GESTIONNAIRE, .sep = ','};
	cli_opts_begin(1);
	int c;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				ao.format = ACT_EXPORT_CSV;
			else if (strcmp(optarg, "xlsx") == 0)
				ao.format = ACT_EXPORT_XLSX;
			else
				return cli_usage_error("unknown format (csv or xlsx):", optarg);
			break;
		case 's':
			if (strcmp(optarg, ",") != 0 && strcmp(optarg, ";") != 0 &&
			    strcmp(optarg, "\t") != 0)
				return cli_usage_error("separator must be ',' ';' or '\\t':",
						       optarg);
			ao.sep = optarg[0] == '\\' ? '\t' : optarg[0];
			break;
		case 'v':
			if (interchange_view_parse(optarg, &ao.view) < 0)
				return cli_usage_error("unknown view", optarg);
			break;
		case 'g': ao.organisation = optarg; break;
		case 'a': ao.from = optarg; break;
		case 'b': ao.to = optarg; break;
		case 'o': out = optarg; break;
		case 'h': return cli_print_usage(NULL);
		default: return cli_opt_error(c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument", argv[optind]);
	if (!out)
		return cli_usage_error("missing", "-o FILE");
	int code;
	struct db *db = cli_open_ready(dbpath, &code);
	if (!db)
		return code;
	int64_t t0 = ptime_monotonic_us();
	struct act_export_result res;
	int rc = act_export_write(db, &ao, out, &res);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "proxima: export-activities: %s\n", res.reason);
		return rc > 0 ? CLI_EXIT_USAGE : 1;
	}
	printf("proxima: %lld activities written to %s in %.1f s\n", (long long)res.rows, out,
	       (double)(ptime_monotonic_us() - t0) / 1e6);
	return 0;
}
