/* proxima hsds: a territory's directory as an Open Referral HSDS data
 * package (reports/hsds.h), the same ZIP as /repertoire/hsds. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/lookup.h"
#include "reports/hsds.h"

/* Writes n bytes of p to path (created or replaced). 0 or -1 (errno). */
static int write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(p, 1, n, f);
	int rc = fclose(f);
	return w == n && rc == 0 ? 0 : -1;
}

/* Builds the package of territory ext into zip. 0, or an exit code after a
 * message. */
static int build(const char *dbpath, const char *ext, const char *date, const char *lang,
		 struct buf *zip)
{
	int code;
	struct db *db = cli_open_ready(dbpath, &code);
	if (!db)
		return code;
	int64_t id;
	int found = lookup_ext(db, EXT_TERRITORY, ext, &id);
	if (found != 0) {
		db_close(db);
		if (found < 0)
			return 1;
		return cli_usage_error("no territory with the id", ext);
	}
	struct arena *a = arena_new(1 << 16);
	struct hsds_package p;
	int64_t now = ptime_now();
	int r = hsds_package_build(db, a, id, date, lang, now, &p);
	db_close(db);
	char dir[128];
	snprintf(dir, sizeof(dir), "hsds-%s-%s", ext, date);
	if (r == 0) {
		r = hsds_package_zip(&p, dir, now, zip);
		hsds_package_free(&p);
	}
	arena_free(a);
	if (r != 0) {
		fprintf(stderr, "proxima: hsds: the package could not be built\n");
		return 1;
	}
	return 0;
}

/* proxima hsds [--db PATH] [--date D] [--lang fr|en] TERRITORY FILE.zip */
int cli_cmd_hsds(int argc, char **argv)
{
	const char *dbpath = cli_default_db(), *date = NULL, *lang = "fr";
	const struct cli_opt opts[] = {
		{"db", 0, CLI_VALUE, &dbpath},
		{"date", 0, CLI_VALUE, &date},
		{"lang", 0, CLI_VALUE, &lang},
		{NULL, 0, CLI_VALUE, NULL},
	};
	const char *args[2];
	int nargs;
	int code = cli_parse_args(argc, argv, 1, NULL, opts, args, 2, &nargs);
	if (code >= 0)
		return code;
	if (nargs != 2)
		return cli_usage_error("expects a territory id and a file, got",
				       nargs ? args[0] : "nothing");
	struct pdate d;
	char today[11];
	if (date && ptime_parse_date(date, &d) < 0)
		return cli_usage_error("--date must be YYYY-MM-DD, not", date);
	if (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)
		return cli_usage_error("--lang must be fr or en, not", lang);
	if (!date) {
		d = ptime_local_date(ptime_now());
		ptime_format_date(&d, today);
		date = today;
	}
	const char *ext = args[0], *file = args[1];
	struct buf zip = BUF_INIT(256u << 20);
	code = build(dbpath, ext, date, lang, &zip);
	if (code == 0 && write_file(file, zip.data, zip.len) < 0) {
		fprintf(stderr, "proxima: hsds: cannot write %s: %s\n", file, strerror(errno));
		code = 1;
	}
	if (code == 0)
		printf("proxima: the directory of %s (HSDS, %s) written to %s\n", ext, date, file);
	buf_free(&zip);
	return code;
}
