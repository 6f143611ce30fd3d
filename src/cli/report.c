/* proxima report [--db PATH] --territory ID [--sector ID] [--organisation ID]
 *   --from DATE --to DATE [--as-of DATE] [--view V] [--format F] [-o FILE]
 *   [--csv-sep ';'] [--lang fr|en]
 * Exit codes: 0, 1 failure, 2 usage error (unknown option or value,
 * unknown territory/sector/organisation, to before from). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "db/db.h"
#include "reports/export.h"
#include "reports/report.h"

const char CLI_REPORT_USAGE[] =
	"  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db\n"
	"                        or $PROXIMA_DB)\n"
	"  --territory ID        territory ext id (with its sub-territories); required\n"
	"  --sector ID           sector ext id\n"
	"  --organisation ID     organisation ext id\n"
	"  --from DATE --to DATE the period, inclusive (YYYY-MM-DD); required\n"
	"  --as-of DATE          nothing after it is counted (default: to, or today)\n"
	"  --view V              complet, gestionnaire, comite (default) or analyste;\n"
	"                        comite and analyste apply small-cell suppression\n"
	"  --format F            json (default), csv, html, xlsx or pdf (xlsx and pdf\n"
	"                        need -o FILE)\n"
	"  -o FILE               write to FILE (default: standard output)\n"
	"  --csv-sep ';'         CSV for French Excel: ';' separator and decimal comma\n"
	"  --lang fr|en          language of labels (default fr)\n";

/* A usage error of proxima report (cli_usage_error). */
static int usage(const char *what, const char *arg)
{
	return cli_usage_error(what, arg);
}

enum fmt { FMT_JSON, FMT_CSV, FMT_HTML, FMT_XLSX, FMT_PDF };

/* Writes b to path ("-" or NULL = standard output). 0 or -1 (printed). */
static int write_out(const char *path, const struct buf *b)
{
	bool std = !path || strcmp(path, "-") == 0;
	FILE *f = std ? stdout : fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "proxima report: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t w = fwrite(b->data, 1, b->len, f);
	int rc = (w == b->len) ? 0 : -1;
	if (std)
		rc = fflush(f) == 0 ? rc : -1;
	else if (fclose(f) != 0)
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "proxima report: cannot write %s\n",
			std ? "standard output" : path);
	return rc;
}

/* What the command line asks for. */
struct report_args {
	const char *dbpath, *outpath;
	struct report_request rq;
	enum fmt fmt;
	struct report_csv_options csv;
	bool have_from, have_to;
};

/* A date option's value into *d. -1 to go on, or the usage error. */
static int date_value(const char *opt, const char *v, struct pdate *d)
{
	if (ptime_parse_date(v, d) == 0)
		return -1;
	return usage(opt, v);
}

/* --format's value. -1 to go on, or the usage error. */
static int format_value(const char *v, enum fmt *fmt)
{
	static const char *const names[] = {"json", "csv", "html", "xlsx", "pdf"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v, names[i]) == 0) {
			*fmt = (enum fmt)i;
			return -1;
		}
	return usage("--format must be json, csv, html, xlsx or pdf, not", v);
}

/* --csv-sep's value. -1 to go on, or the usage error. */
static int sep_value(const char *v, struct report_csv_options *csv)
{
	if (strcmp(v, ";") == 0) {
		csv->sep = ';';
		csv->decimal_comma = true;
	} else if (strcmp(v, ",") == 0) {
		csv->sep = ',';
	} else {
		return usage("--csv-sep must be ',' or ';', not", v);
	}
	return -1;
}

/* The values of the options that need checking: dates, view, format,
 * CSV separator and language into a. -1 to go on, or the usage error. */
static int check_values(struct report_args *a, const char *from, const char *to, const char *as_of,
			const char *view, const char *format, const char *sep)
{
	int code;
	if (from &&
	    (code = date_value("--from wants a date YYYY-MM-DD, not", from, &a->rq.from)) >= 0)
		return code;
	if (to && (code = date_value("--to wants a date YYYY-MM-DD, not", to, &a->rq.to)) >= 0)
		return code;
	if (as_of &&
	    (code = date_value("--as-of wants a date YYYY-MM-DD, not", as_of, &a->rq.as_of)) >= 0)
		return code;
	a->have_from = from != NULL;
	a->have_to = to != NULL;
	a->rq.has_as_of = as_of != NULL;
	if (view && report_view_parse(view, &a->rq.view) < 0)
		return usage("--view must be complet, gestionnaire, comite or analyste, not", view);
	if (format && (code = format_value(format, &a->fmt)) >= 0)
		return code;
	if (sep && (code = sep_value(sep, &a->csv)) >= 0)
		return code;
	if (!i18n_supported(a->rq.lang))
		return usage("--lang must be fr or en, not", a->rq.lang);
	return -1;
}

/* Parses argv into a (defaults first). -1 to go on, or the exit code
 * (0 after --help, else a usage error naming the option). */
static int parse_args(int argc, char **argv, struct report_args *a)
{
	*a = (struct report_args){
		.dbpath = cli_default_db(), .fmt = FMT_JSON, .csv = {.sep = ',', .bom = true}};
	report_request_init(&a->rq);
	const char *from = NULL, *to = NULL, *as_of = NULL, *view = NULL, *format = NULL,
		   *sep = NULL;
	const struct cli_opt opts[] = {
		{"db", 0, CLI_VALUE, &a->dbpath},
		{"territory", 0, CLI_VALUE, &a->rq.territory},
		{"sector", 0, CLI_VALUE, &a->rq.sector},
		{"organisation", 0, CLI_VALUE, &a->rq.organisation},
		{"from", 0, CLI_VALUE, &from},
		{"to", 0, CLI_VALUE, &to},
		{"as-of", 0, CLI_VALUE, &as_of},
		{"view", 0, CLI_VALUE, &view},
		{"format", 0, CLI_VALUE, &format},
		{"csv-sep", 0, CLI_VALUE, &sep},
		{"lang", 0, CLI_VALUE, &a->rq.lang},
		{"output", 'o', CLI_VALUE, &a->outpath},
		{NULL, 0, CLI_VALUE, NULL},
	};
	int code = cli_parse_args(argc, argv, 1,
				  "report --territory ID --from DATE --to DATE [options]", opts,
				  NULL, 0, NULL);
	if (code >= 0 || (code = check_values(a, from, to, as_of, view, format, sep)) >= 0)
		return code;
	if (!a->rq.territory || !*a->rq.territory)
		return usage("missing option", "--territory");
	if (!a->have_from)
		return usage("missing option", "--from");
	if (!a->have_to)
		return usage("missing option", "--to");
	if (ptime_date_cmp(&a->rq.to, &a->rq.from) < 0)
		return usage("--to is before --from:", argv[0]);
	if ((a->fmt == FMT_XLSX || a->fmt == FMT_PDF) &&
	    (!a->outpath || strcmp(a->outpath, "-") == 0))
		return usage("--format xlsx and pdf write a file: give -o FILE for",
			     a->fmt == FMT_XLSX ? "xlsx" : "pdf");
	return -1;
}

/* The message of a scope id that does not exist. Returns CLI_EXIT_USAGE. */
static int unknown_scope(const struct report_request *rq)
{
	fprintf(stderr, "proxima report: unknown id: --territory '%s'", rq->territory);
	if (rq->sector)
		fprintf(stderr, " or --sector '%s'", rq->sector);
	if (rq->organisation)
		fprintf(stderr, " or --organisation '%s'", rq->organisation);
	fprintf(stderr, " does not exist\n");
	return CLI_EXIT_USAGE;
}

/* The XLSX or PDF file of r at a->outpath, with the stories and, for the
 * PDF, the trends. 0 or 1. */
static int write_file(struct db *db, struct arena *ar, const struct report_args *a,
		      const struct report *r)
{
	struct report_export_options eo = {0};
	struct report_trend trend;
	if (a->fmt == FMT_PDF && report_export_stories(db, ar, r, &eo) < 0)
		fprintf(stderr, "proxima report: stories left out (database error)\n");
	if (a->fmt == FMT_PDF) {
		if (report_trend_quarters(db, ar, &a->rq, &trend) == PERR_OK)
			eo.trend = &trend;
		else
			fprintf(stderr, "proxima report: trends left out (database error)\n");
	}
	int w = a->fmt == FMT_XLSX ? report_write_xlsx(r, a->outpath, &eo)
				   : report_write_pdf(r, a->outpath, &eo);
	if (w < 0) {
		fprintf(stderr, "proxima report: cannot write %s\n", a->outpath);
		return 1;
	}
	return 0;
}

/* The JSON, CSV or HTML of r to a->outpath or standard output. 0 or 1. */
static int write_text(const struct report_args *a, const struct report *r)
{
	struct buf b = BUF_INIT(256u * 1024 * 1024);
	int w = a->fmt == FMT_CSV    ? report_write_csv(r, &a->csv, &b)
		: a->fmt == FMT_HTML ? report_write_html(r, &b)
				     : report_write_json(r, &b);
	int rc = w < 0 || write_out(a->outpath, &b) < 0 ? 1 : 0;
	buf_free(&b);
	return rc;
}

int cli_cmd_report(int argc, char **argv)
{
	struct report_args a;
	int code = parse_args(argc, argv, &a);
	if (code >= 0)
		return code;
	struct db *db = cli_open_ready(a.dbpath, &code);
	if (!db)
		return code;
	struct arena *ar = arena_new(64 * 1024);
	struct report r;
	enum perr err = report_compute(db, ar, &a.rq, &r);
	int rc;
	if (err == PERR_NOT_FOUND) {
		rc = unknown_scope(&a.rq);
	} else if (err != PERR_OK) {
		fprintf(stderr, "proxima report: cannot compute the report (database error)\n");
		rc = 1;
	} else if (a.fmt == FMT_XLSX || a.fmt == FMT_PDF) {
		rc = write_file(db, ar, &a, &r);
	} else {
		rc = write_text(&a, &r);
	}
	arena_free(ar);
	db_close(db);
	return rc;
}
