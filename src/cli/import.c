/* proxima import: interchange records from JSON Lines. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/ptime.h"
#include "db/db.h"
#include "interchange/interchange.h"

/* The progress line of a long import on a terminal (stderr), at most
 * twice a second: records, rate, and with the file's size an ETA. */
struct import_watch {
	int64_t started_us, last_us;
	int64_t size; /* bytes of the input file, 0 when unknown (a pipe) */
	bool shown;
};

static void import_progress(void *ctx, long records, int64_t bytes, const char *stage)
{
	struct import_watch *w = ctx;
	int64_t now = ptime_monotonic_us();
	if (!stage && now - w->last_us < 500000)
		return;
	w->last_us = now;
	w->shown = true;
	double secs = (double)(now - w->started_us) / 1e6;
	double rate = secs > 0 ? (double)records / secs : 0;
	if (stage) {
		fprintf(stderr, "\r\033[K%ld records, %.0f/s; writing the %s…", records, rate,
			stage);
	} else if (w->size > 0 && bytes > 0) {
		double eta = secs * (double)(w->size - bytes) / (double)bytes;
		fprintf(stderr, "\r\033[K%ld records, %.0f/s, %.0f %%, about %.0f s left", records,
			rate, 100.0 * (double)bytes / (double)w->size, eta > 0 ? eta : 0);
	} else {
		fprintf(stderr, "\r\033[K%ld records, %.0f/s", records, rate);
	}
	fflush(stderr);
}

/* proxima import [--db PATH] [--key PATH] FILE */
int cli_cmd_import(int argc, char **argv)
{
	struct cli_opts o = {0};
	const char *view = NULL, *file = NULL;
	int code = cli_parse_file_opts(argc, argv, false, &o, &view, &file);
	if (code >= 0)
		return code;
	bool std = strcmp(file, "-") == 0;
	FILE *in = std ? stdin : fopen(file, "r");
	if (!in) {
		fprintf(stderr, "proxima: import: cannot open %s: %s\n", file, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	/* A bulk load: no global memory statistics (one mutex per malloc). */
	db_global_init();
	struct db *db = cli_open_sealed(o.db, &code);
	if (db && (code = cli_load_key_if_any(&o)) == 0) {
		struct import_result res;
		struct import_watch w = {.started_us = ptime_monotonic_us()};
		struct stat sb;
		if (!std && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
			w.size = (int64_t)sb.st_size;
		struct import_options opt = {.progress = import_progress, .ctx = &w};
		int rc = interchange_import_with(db, in, isatty(STDERR_FILENO) ? &opt : NULL, &res);
		if (w.shown)
			fprintf(stderr, "\n");
		if (rc == 0) {
			printf("proxima: imported %ld records from %s (%ld new, %ld updated)\n",
			       res.records, std ? "standard input" : file, res.inserted,
			       res.updated);
		} else {
			char msg[768];
			import_error_format(&res, msg, sizeof(msg));
			fprintf(stderr, "proxima: import: %s\n", msg);
			code = 1;
		}
	}
	db_close(db);
	if (!std)
		fclose(in);
	return code;
}
