/* proxima retention run: closed files past their retention period. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/retention.h"

/* Prints one file of a retention run: what was (or would be) done. */
static void print_retention_item(const struct retention_item *it, bool dry_run)
{
	printf("  family %lld (%s), closed %s, due %s after %d months: %s; %s %lld activity "
	       "note(s), %lld story text(s), %lld referral(s), %lld reason(s)\n",
	       (long long)it->family_id, it->organisation_name, it->closed, it->due, it->months,
	       !it->nominative ? "no nominative details"
	       : dry_run       ? "nominative details to destroy"
			       : "nominative details destroyed",
	       dry_run ? "to erase:" : "erased:", (long long)it->notes, (long long)it->stories,
	       (long long)it->referrals, (long long)it->reasons);
}

/* proxima retention run [--dry-run]: anonymises the closed files past
 * their organisation's retention period (model/retention.h). */
int cli_cmd_retention(int argc, char **argv)
{
	static const char *const acts[] = {"run", NULL};
	int code;
	if (!cli_read_action(argc, argv, "retention run", acts, &code))
		return code;
	const char *dbpath = cli_default_db(), *key = NULL, *dry = NULL;
	const struct cli_opt opts[] = {
		{"db", 0, CLI_VALUE, &dbpath},
		{"key", 0, CLI_VALUE, &key},
		{"dry-run", 0, CLI_FLAG, &dry},
		{NULL, 0, CLI_VALUE, NULL},
	};
	if ((code = cli_parse_args(argc, argv, 2, "retention run", opts, NULL, 0, NULL)) >= 0)
		return code;
	bool dry_run = dry != NULL;
	struct db *db = cli_open_sealed(dbpath, &code);
	if (!db)
		return code;
	if (!dry_run && (code = cli_load_key(dbpath, key)) != 0) {
		db_close(db);
		return code;
	}
	struct arena *ar = arena_new(1 << 16);
	struct retention_result res;
	int rc = retention_run(db, ar, ptime_now(), dry_run, &res);
	db_close(db);
	if (rc < 0) {
		arena_free(ar);
		fprintf(stderr, "proxima: cannot read the closed files of %s\n", dbpath);
		return 1;
	}
	for (size_t i = 0; i < res.n; i++)
		print_retention_item(&res.items[i], dry_run);
	if (dry_run)
		printf("proxima: dry run: %zu file(s) due; nothing was changed\n", res.n);
	else
		printf("proxima: %zu file(s) anonymised and entered in the register (%zu due, %zu "
		       "failed)\n",
		       res.done, res.n, res.failed);
	arena_free(ar);
	return res.failed ? 1 : 0;
}
