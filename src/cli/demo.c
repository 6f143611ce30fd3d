/* proxima demo: the demonstration data, and the province at scale. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/ptime.h"
#include "db/db.h"
#include "demo/demo.h"
#include "model/demo_scale.h"

/* A decimal number (the whole string) into *out. 0 or -1. */
static int parse_double(const char *str, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(str, &end);
	return (errno || end == str || *end) ? -1 : 0;
}

/* The province-scale part of proxima demo --scale F (model/demo_scale.h), for
 * the previous calendar year. 0 or 1. */
static int demo_scale(const char *dbpath, double factor)
{
	int code;
	struct db *db = cli_open_ready(dbpath, &code);
	if (!db)
		return code;
	struct pdate today = ptime_local_date(ptime_now());
	struct demo_scale_result r;
	int rc = demo_scale_load(db, factor, today.year - 1, &r);
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "proxima: cannot load the province-scale demo into %s\n", dbpath);
		return 1;
	}
	printf("proxima: province (scale %g, year %d) loaded in %.1f s + aggregates %.1f s: "
	       "%lld territories, %lld organisations, %lld positions, %lld families, "
	       "%lld corridors, %lld activities, %lld referrals\n",
	       factor, today.year - 1, r.seconds_insert, r.seconds_aggregates,
	       (long long)r.territories, (long long)r.organisations, (long long)r.positions,
	       (long long)r.families, (long long)r.corridors, (long long)r.activities,
	       (long long)r.referrals);
	return 0;
}

/* proxima demo: a year of believable outreach work on seed 002's four
 * territories, generated as interchange records and loaded through the
 * import engine (src/demo/). Loading again updates by id, never duplicates.
 * With --jsonl FILE ('-': standard output) the records are only written. */
int cli_cmd_demo(int argc, char **argv)
{
	const char *dbpath = cli_default_db(), *key = NULL, *jsonl = NULL, *scale_arg = NULL;
	const struct cli_opt opts[] = {
		{"db", 0, CLI_VALUE, &dbpath},   {"key", 0, CLI_VALUE, &key},
		{"jsonl", 0, CLI_VALUE, &jsonl}, {"scale", 0, CLI_VALUE, &scale_arg},
		{NULL, 0, CLI_VALUE, NULL},
	};
	int code = cli_parse_args(argc, argv, 1, NULL, opts, NULL, 0, NULL);
	if (code >= 0)
		return code;
	double scale = 0;
	if (scale_arg && (parse_double(scale_arg, &scale) < 0 || !(scale > 0 && scale <= 10)))
		return cli_usage_error("--scale must be a number in (0, 10]:", scale_arg);
	struct demo_options dopt = {
		.now = ptime_now(),
		.seed = DEMO_SEED,
		.scale = 1,
		.extras = DEMO_X_REASON | DEMO_X_FOLLOWER | DEMO_X_TEXT,
	};
	if (jsonl) {
		bool out = strcmp(jsonl, "-") == 0;
		FILE *f = out ? stdout : fopen(jsonl, "w");
		if (!f) {
			fprintf(stderr, "proxima: cannot write %s: %s\n", jsonl, strerror(errno));
			return CLI_EXIT_USAGE;
		}
		size_t counts[DEMO_KIND__COUNT];
		int rc = demo_write_file(&dopt, f, counts);
		if ((!out && fclose(f) != 0) || rc < 0) {
			fprintf(stderr, "proxima: cannot write %s\n", jsonl);
			return 1;
		}
		if (!out)
			printf("proxima: demo records written to %s (%zu activities)\n", jsonl,
			       counts[DEMO_ACTIVITY]);
		return 0;
	}
	struct db *db = cli_open_sealed(dbpath, &code);
	if (!db)
		return code;
	if ((code = cli_load_key(dbpath, key)) != 0) {
		db_close(db);
		return code;
	}
	dopt.now = ptime_now(); /* in the zone of the instance's settings */
	struct demo_result res;
	char err[1024];
	int rc = demo_load(db, &dopt, &res, err, sizeof(err));
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "proxima: cannot load the demo into %s: %s\n", dbpath, err);
		return 1;
	}
	size_t total = 0;
	for (int k = 0; k < DEMO_KIND__COUNT; k++)
		total += res.counts[k];
	printf("proxima: demo loaded into %s in %.1f s: %zu records (", dbpath, res.seconds, total);
	for (int k = 0; k < DEMO_KIND__COUNT; k++)
		printf("%s%s %zu", k ? ", " : "", demo_kind_name((enum demo_kind)k), res.counts[k]);
	printf(")\n");
	if (res.already_loaded)
		printf("proxima: the demo was already there: %ld records updated by their id, "
		       "%ld added, nothing duplicated\n",
		       res.updated, res.inserted);
	if (scale > 0 && demo_scale(dbpath, scale) != 0)
		return 1;
	printf("Demo accounts (role, e-mail, password):\n");
	const struct demo_account *acc = demo_accounts();
	for (int i = 0; i < DEMO_ACCOUNT_COUNT; i++)
		printf("  %-13s %-33s %-22s %s, %s\n", acc[i].role, acc[i].email, acc[i].password,
		       acc[i].name, acc[i].what);
	return 0;
}
