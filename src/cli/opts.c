/* proxima: the options every command shares, its usage errors and the
 * default database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "core/util.h"

static const struct cli_command *current;

void cli_opts_command(const struct cli_command *cmd)
{
	current = cmd;
}

/* Prints a one-line usage error and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "proxima %s: %s '%s' (see 'proxima %s --help')\n", current->name, what, arg,
		current->name);
	return CLI_EXIT_USAGE;
}

/* Prints the usage of the current command, "usage: proxima SYNOPSIS" then
 * its options; synopsis NULL means the command's name. Returns 0. */
int cli_print_usage(const char *synopsis)
{
	printf("usage: proxima %s\n%s", synopsis ? synopsis : current->name, current->usage);
	return 0;
}

/* Starts a command's own getopt_long loop at argv[first], getopt quiet
 * (errors come back as '?' or ':' for cli_opt_error). */
void cli_opts_begin(int first)
{
	opterr = 0;
	optind = first;
}

/* The exit code for an option c that a command's loop does not take: ':'
 * is a missing value, anything else an unknown option; both are usage
 * errors naming the option (CLI_EXIT_USAGE, message printed). */
int cli_opt_error(int c, char **argv)
{
	if (c == ':')
		return cli_usage_error("missing value for", argv[optind - 1]);
	return cli_usage_error("unknown option", argv[optind - 1]);
}

/* The action word of a command with actions ("proxima user add"):
 * argv[1] when it is one of actions (a NULL-terminated list). Otherwise
 * NULL with *code set: without a word, the usage (for synopsis) and
 * CLI_EXIT_USAGE; for --help or -h, the usage and 0; else a usage error naming
 * the word. */
const char *cli_read_action(int argc, char **argv, const char *synopsis, const char *const *actions,
			    int *code)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_print_usage(synopsis);
		*code = argc < 2 ? CLI_EXIT_USAGE : 0;
		return NULL;
	}
	for (const char *const *a = actions; *a; a++)
		if (strcmp(argv[1], *a) == 0)
			return argv[1];
	*code = cli_usage_error("unknown action", argv[1]);
	return NULL;
}

const char *cli_default_db(void)
{
	const char *env = getenv("PROXIMA_DB");
	return env && *env ? env : APP_DB_DEFAULT;
}

int cli_parse_opts(int argc, char **argv, unsigned allowed, struct cli_opts *o)
{
	static const struct option all[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"listen", required_argument, NULL, OPT_LISTEN},
		{"threads", required_argument, NULL, OPT_THREADS},
		{"access-log", required_argument, NULL, OPT_ACCESS_LOG},
		{"key", required_argument, NULL, OPT_KEY},
		{"trust-proxy", optional_argument, NULL, OPT_TRUST_PROXY},
		{"anchors", required_argument, NULL, OPT_ANCHORS},
		{"header-timeout", required_argument, NULL, OPT_HEADER_TIMEOUT},
		{"connections-per-address", required_argument, NULL, OPT_PER_ADDRESS},
		{"help", no_argument, NULL, OPT_HELP},
		{"to", required_argument, NULL, OPT_TO},
		{NULL, 0, NULL, 0},
	};
	o->db = cli_default_db();
	cli_opts_begin(1);
	int c;
	while ((c = getopt_long(argc, argv, ":h", all, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP)
			return cli_print_usage(NULL);
		if (c == '?' || c == ':')
			return cli_opt_error(c, argv);
		if (!(allowed & (1u << (c - OPT_DB))))
			return cli_usage_error("option not accepted here:", argv[optind - 1]);
		switch (c) {
		case OPT_DB: o->db = optarg; break;
		case OPT_LISTEN: o->listen = optarg; break;
		case OPT_ACCESS_LOG: o->access_log = optarg; break;
		case OPT_KEY: o->key = optarg; break;
		case OPT_ANCHORS: o->anchors = optarg; break;
		case OPT_TRUST_PROXY: o->trust_proxy = optarg ? optarg : ""; break;
		case OPT_HEADER_TIMEOUT:
		case OPT_PER_ADDRESS: {
			int n;
			if (parse_int(optarg, 1, 3600, &n) < 0)
				return cli_usage_error(
					c == OPT_PER_ADDRESS
						? "--connections-per-address wants 1 to 3600, not"
						: "--header-timeout wants 1 to 3600 seconds, not",
					optarg);
			*(c == OPT_PER_ADDRESS ? &o->per_address : &o->header_timeout) =
				(unsigned)n;
			break;
		}
		case OPT_TO: o->to = optarg; break;
		case OPT_THREADS: {
			int n;
			if (parse_int(optarg, 1, 256, &n) < 0)
				return cli_usage_error("--threads wants 1 to 256, not", optarg);
			o->threads = (unsigned)n;
			break;
		}
		default: break;
		}
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument", argv[optind]);
	return -1;
}

int cli_parse_file_opts(int argc, char **argv, bool with_view, struct cli_opts *o,
			const char **view, const char **file)
{
	static const struct option all[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"key", required_argument, NULL, OPT_KEY},
		{"view", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	o->db = cli_default_db();
	cli_opts_begin(1);
	int c;
	while ((c = getopt_long(argc, argv, ":h", all, NULL)) != -1) {
		switch (c) {
		case OPT_DB: o->db = optarg; break;
		case OPT_KEY: o->key = optarg; break;
		case 'v':
			if (!with_view)
				return cli_usage_error("option not accepted here:",
						       argv[optind - 1]);
			*view = optarg;
			break;
		case 'h':
		case OPT_HELP: return cli_print_usage(NULL);
		default: return cli_opt_error(c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("missing argument", "FILE");
	if (optind + 1 < argc)
		return cli_usage_error("unexpected argument", argv[optind + 1]);
	*file = argv[optind];
	return -1;
}
