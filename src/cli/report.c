/* proxima report [--db PATH] --territory ID [--sector ID] [--organisation ID]
 *   --from DATE --to DATE [--as-of DATE] [--view V] [--format F] [-o FILE]
 *   [--csv-sep ';'] [--lang fr|en]
 * Exit codes: 0, 1 failure, 2 usage error (unknown option or value,
 * unknown territory/sector/organisation, to before from). */
#include <errno.h>
#include <getopt.h>
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

static int usage(const char *what, const char *arg)
{
	fprintf(stderr, "proxima report: %s '%s' (see 'proxima report --help')\n", what, arg);
	return CLI_EXIT_USAGE;
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

int cli_cmd_report(int argc, char **argv)
{
	enum {
		O_DB = 1000,
		O_TERR,
		O_SECT,
		O_ORG,
		O_FROM,
		O_TO,
		O_ASOF,
		O_VIEW,
		O_FMT,
		O_SEP,
		O_LANG,
		O_HELP
	};
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB},
		{"territory", required_argument, NULL, O_TERR},
		{"sector", required_argument, NULL, O_SECT},
		{"organisation", required_argument, NULL, O_ORG},
		{"from", required_argument, NULL, O_FROM},
		{"to", required_argument, NULL, O_TO},
		{"as-of", required_argument, NULL, O_ASOF},
		{"view", required_argument, NULL, O_VIEW},
		{"format", required_argument, NULL, O_FMT},
		{"csv-sep", required_argument, NULL, O_SEP},
		{"lang", required_argument, NULL, O_LANG},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *dbpath = cli_default_db(), *outpath = NULL;
	struct report_request rq;
	report_request_init(&rq);
	enum fmt fmt = FMT_JSON;
	struct report_csv_options csv = {.sep = ',', .bom = true};
	bool have_from = false, have_to = false;
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
		case O_HELP:
			printf("usage: proxima report --territory ID --from DATE --to DATE "
			       "[options]\n%s",
			       CLI_REPORT_USAGE);
			return 0;
		case '?': return usage("unknown option", argv[optind - 1]);
		case ':': return usage("missing value for", argv[optind - 1]);
		case O_DB: dbpath = optarg; break;
		case 'o': outpath = optarg; break;
		case O_TERR: rq.territory = optarg; break;
		case O_SECT: rq.sector = optarg; break;
		case O_ORG: rq.organisation = optarg; break;
		case O_FROM:
			if (ptime_parse_date(optarg, &rq.from) < 0)
				return usage("--from wants a date YYYY-MM-DD, not", optarg);
			have_from = true;
			break;
		case O_TO:
			if (ptime_parse_date(optarg, &rq.to) < 0)
				return usage("--to wants a date YYYY-MM-DD, not", optarg);
			have_to = true;
			break;
		case O_ASOF:
			if (ptime_parse_date(optarg, &rq.as_of) < 0)
				return usage("--as-of wants a date YYYY-MM-DD, not", optarg);
			rq.has_as_of = true;
			break;
		case O_VIEW:
			if (report_view_parse(optarg, &rq.view) < 0)
				return usage(
					"--view must be complet, gestionnaire, comite or analyste, "
					"not",
					optarg);
			break;
		case O_FMT:
			if (strcmp(optarg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				fmt = FMT_CSV;
			else if (strcmp(optarg, "html") == 0)
				fmt = FMT_HTML;
			else if (strcmp(optarg, "xlsx") == 0)
				fmt = FMT_XLSX;
			else if (strcmp(optarg, "pdf") == 0)
				fmt = FMT_PDF;
			else
				return usage("--format must be json, csv, html, xlsx or pdf, not",
					     optarg);
			break;
		case O_SEP:
			if (strcmp(optarg, ";") == 0) {
				csv.sep = ';';
				csv.decimal_comma = true;
			} else if (strcmp(optarg, ",") == 0) {
				csv.sep = ',';
			} else {
				return usage("--csv-sep must be ',' or ';', not", optarg);
			}
			break;
		case O_LANG:
			if (!i18n_supported(optarg))
				return usage("--lang must be fr or en, not", optarg);
			rq.lang = optarg;
			break;
		default: break;
		}
	}
	if (optind < argc)
		return usage("unexpected argument", argv[optind]);
	if (!rq.territory || !*rq.territory)
		return usage("missing option", "--territory");
	if (!have_from)
		return usage("missing option", "--from");
	if (!have_to)
		return usage("missing option", "--to");
	if (ptime_date_cmp(&rq.to, &rq.from) < 0)
		return usage("--to is before --from:", argv[0]);
	if ((fmt == FMT_XLSX || fmt == FMT_PDF) && (!outpath || strcmp(outpath, "-") == 0))
		return usage("--format xlsx and pdf write a file: give -o FILE for",
			     fmt == FMT_XLSX ? "xlsx" : "pdf");
	int code = 0;
	struct db *db = cli_open_ready(dbpath, &code);
	if (!db)
		return code;
	struct arena *a = arena_new(64 * 1024);
	struct report r;
	enum perr err = report_compute(db, a, &rq, &r);
	int rc = 0;
	if (err == PERR_NOT_FOUND) {
		fprintf(stderr, "proxima report: unknown id: --territory '%s'", rq.territory);
		if (rq.sector)
			fprintf(stderr, " or --sector '%s'", rq.sector);
		if (rq.organisation)
			fprintf(stderr, " or --organisation '%s'", rq.organisation);
		fprintf(stderr, " does not exist\n");
		rc = CLI_EXIT_USAGE;
	} else if (err != PERR_OK) {
		fprintf(stderr, "proxima report: cannot compute the report (database error)\n");
		rc = 1;
	} else if (fmt == FMT_XLSX || fmt == FMT_PDF) {
		struct report_export_options eo = {0};
		struct report_trend trend;
		if (fmt == FMT_PDF && report_export_stories(db, a, &r, &eo) < 0)
			fprintf(stderr, "proxima report: stories left out (database error)\n");
		if (fmt == FMT_PDF) {
			if (report_trend_quarters(db, a, &rq, &trend) == PERR_OK)
				eo.trend = &trend;
			else
				fprintf(stderr,
					"proxima report: trends left out (database error)\n");
		}
		int w = fmt == FMT_XLSX ? report_write_xlsx(&r, outpath, &eo)
					: report_write_pdf(&r, outpath, &eo);
		if (w < 0) {
			fprintf(stderr, "proxima report: cannot write %s\n", outpath);
			rc = 1;
		}
	} else {
		struct buf b = BUF_INIT(256u * 1024 * 1024);
		int w = fmt == FMT_CSV    ? report_write_csv(&r, &csv, &b)
			: fmt == FMT_HTML ? report_write_html(&r, &b)
					  : report_write_json(&r, &b);
		if (w < 0 || write_out(outpath, &b) < 0)
			rc = 1;
		buf_free(&b);
	}
	arena_free(a);
	db_close(db);
	return rc;
}
