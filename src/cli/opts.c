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
static void cli_opts_begin(int first)
{
	opterr = 0;
	optind = first;
}

/* The exit code for an option c that a command's loop does not take: ':'
 * is a missing value, anything else an unknown option; both are usage
 * errors naming the option (CLI_EXIT_USAGE, message printed). */
static int cli_opt_error(int c, char **argv)
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

/* The getopt_long table of opts (into lo, CLI_OPTS_MAX + 2 entries, each
 * returning 256 + its index) and the short options (into sh). */
static void getopt_table(const struct cli_opt *opts, struct option *lo, char *sh, size_t shsize)
{
	size_t n = 0, k = 0;
	sh[k++] = ':';
	sh[k++] = 'h';
	for (; opts[n].name; n++) {
		BUG_ON(n >= CLI_OPTS_MAX);
		static const int has_arg[] = {[CLI_VALUE] = required_argument,
					      [CLI_FLAG] = no_argument,
					      [CLI_MAYBE] = optional_argument};
		lo[n] = (struct option){opts[n].name, has_arg[opts[n].arg], NULL, 256 + (int)n};
		if (opts[n].short_name) {
			BUG_ON(k + 3 > shsize || opts[n].arg == CLI_MAYBE);
			sh[k++] = opts[n].short_name;
			if (opts[n].arg == CLI_VALUE)
				sh[k++] = ':';
		}
	}
	lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
	lo[n] = (struct option){NULL, 0, NULL, 0};
	sh[k] = '\0';
}

int cli_parse_args(int argc, char **argv, int first, const char *synopsis,
		   const struct cli_opt *opts, const char **args, int max_args, int *nargs)
{
	struct option lo[CLI_OPTS_MAX + 2];
	char sh[2 + 2 * CLI_OPTS_MAX + 1];
	getopt_table(opts, lo, sh, sizeof(sh));
	cli_opts_begin(first);
	int c;
	while ((c = getopt_long(argc, argv, sh, lo, NULL)) != -1) {
		if (c == 'h')
			return cli_print_usage(synopsis);
		if (c == '?' || c == ':')
			return cli_opt_error(c, argv);
		int i = c - 256;
		if (c < 256) /* a short option: getopt returns only those of sh */
			for (i = 0; opts[i].short_name != c; i++)
				;
		*opts[i].value = optarg ? optarg : "";
	}
	if (argc - optind > max_args)
		return cli_usage_error("unexpected argument", argv[optind + max_args]);
	for (int i = optind; i < argc; i++)
		args[i - optind] = argv[i];
	if (nargs)
		*nargs = argc - optind;
	return -1;
}

const char *cli_default_db(void)
{
	const char *env = getenv("PROXIMA_DB");
	return env && *env ? env : APP_DB_DEFAULT;
}

/* A number option's value (1 to max) into *out; NULL is left alone. 0, or
 * the usage error (what names the option and its range). */
static int number_value(const char *v, int max, const char *what, unsigned *out)
{
	int n;
	if (!v)
		return 0;
	if (parse_int(v, 1, max, &n) < 0)
		return cli_usage_error(what, v);
	*out = (unsigned)n;
	return 0;
}

int cli_parse_opts(int argc, char **argv, unsigned allowed, struct cli_opts *o)
{
	const char *threads = NULL, *header_timeout = NULL, *per_address = NULL;
	const struct cli_opt all[] = {
		{"db", 0, CLI_VALUE, &o->db},
		{"listen", 0, CLI_VALUE, &o->listen},
		{"threads", 0, CLI_VALUE, &threads},
		{"access-log", 0, CLI_VALUE, &o->access_log},
		{"key", 0, CLI_VALUE, &o->key},
		{"trust-proxy", 0, CLI_MAYBE, &o->trust_proxy},
		{"anchors", 0, CLI_VALUE, &o->anchors},
		{"header-timeout", 0, CLI_VALUE, &header_timeout},
		{"connections-per-address", 0, CLI_VALUE, &per_address},
		{"to", 0, CLI_VALUE, &o->to},
	};
	/* The options this command accepts: A_ flags by OPT_ order. */
	static const unsigned flag_of[] = {
		A_DB,          A_LISTEN,  A_THREADS,        A_ACCESS_LOG,  A_KEY,
		A_TRUST_PROXY, A_ANCHORS, A_HEADER_TIMEOUT, A_PER_ADDRESS, A_TO};
	struct cli_opt opts[ARRAY_LEN(all) + 1];
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		if (allowed & flag_of[i])
			opts[n++] = all[i];
	opts[n] = (struct cli_opt){NULL, 0, CLI_VALUE, NULL};
	o->db = cli_default_db();
	int code = cli_parse_args(argc, argv, 1, NULL, opts, NULL, 0, NULL);
	if (code >= 0)
		return code;
	if (number_value(threads, 256, "--threads wants 1 to 256, not", &o->threads) ||
	    number_value(header_timeout, 3600, "--header-timeout wants 1 to 3600 seconds, not",
			 &o->header_timeout) ||
	    number_value(per_address, 3600, "--connections-per-address wants 1 to 3600, not",
			 &o->per_address))
		return CLI_EXIT_USAGE;
	return -1;
}

int cli_parse_file_opts(int argc, char **argv, bool with_view, struct cli_opts *o,
			const char **view, const char **file)
{
	const struct cli_opt opts[] = {
		{"db", 0, CLI_VALUE, &o->db},
		{"key", 0, CLI_VALUE, &o->key},
		{with_view ? "view" : NULL, 0, CLI_VALUE, view},
		{NULL, 0, CLI_VALUE, NULL},
	};
	o->db = cli_default_db();
	int nargs;
	int code = cli_parse_args(argc, argv, 1, NULL, opts, file, 1, &nargs);
	if (code >= 0)
		return code;
	if (nargs < 1)
		return cli_usage_error("missing argument", "FILE");
	return -1;
}
