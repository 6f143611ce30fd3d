/* proxima export-activities: the activities as a spreadsheet. */
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
	const char *dbpath = cli_default_db(), *out = NULL, *format = "csv", *sep = ",",
		   *view = NULL;
	struct act_export_options ao = {
		.format = ACT_EXPORT_CSV, .view = IX_VIEW_GESTIONNAIRE, .sep = ','};
	const struct cli_opt opts[] = {
		{"db", 0, CLI_VALUE, &dbpath},
		{"format", 0, CLI_VALUE, &format},
		{"sep", 0, CLI_VALUE, &sep},
		{"view", 0, CLI_VALUE, &view},
		{"organisation", 0, CLI_VALUE, &ao.organisation},
		{"from", 0, CLI_VALUE, &ao.from},
		{"to", 0, CLI_VALUE, &ao.to},
		{"output", 'o', CLI_VALUE, &out},
		{NULL, 0, CLI_VALUE, NULL},
	};
	int code = cli_parse_args(argc, argv, 1, NULL, opts, NULL, 0, NULL);
	if (code >= 0)
		return code;
	if (strcmp(format, "csv") == 0)
		ao.format = ACT_EXPORT_CSV;
	else if (strcmp(format, "xlsx") == 0)
		ao.format = ACT_EXPORT_XLSX;
	else
		return cli_usage_error("unknown format (csv or xlsx):", format);
	if (strcmp(sep, ",") != 0 && strcmp(sep, ";") != 0 && strcmp(sep, "\t") != 0)
		return cli_usage_error("separator must be ',' ';' or '\\t':", sep);
	ao.sep = sep[0] == '\\' ? '\t' : sep[0];
	if (view && interchange_view_parse(view, &ao.view) < 0)
		return cli_usage_error("unknown view", view);
	if (!out)
		return cli_usage_error("missing", "-o FILE");
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
