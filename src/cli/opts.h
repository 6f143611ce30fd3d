/* The command line's one option parser (cli_parse_args), the options
 * commands share (--db, --key, --listen, ...), the usage errors every
 * command prints and the default database. Exit codes: 0 success, 1
 * failure, CLI_EXIT_USAGE a usage error or a missing file. */
#ifndef PROXIMA_CLI_OPTS_H
#define PROXIMA_CLI_OPTS_H

#include <stdbool.h>

struct cli_command;

#define CLI_EXIT_USAGE 2

/* The options shared by commands; NULL or 0 when not given. */
struct cli_opts {
	const char *db;
	const char *listen;
	const char *access_log;
	const char *key;
	const char *to; /* proxima copy's target */
	unsigned threads;
	const char *trust_proxy; /* NULL: none; "": loopback; else a list */
	unsigned header_timeout, per_address;
	const char *anchors;
};

enum {
	OPT_DB = 1000,
	OPT_LISTEN,
	OPT_THREADS,
	OPT_ACCESS_LOG,
	OPT_KEY,
	OPT_TRUST_PROXY,
	OPT_ANCHORS,
	OPT_HEADER_TIMEOUT,
	OPT_PER_ADDRESS,
	OPT_TO,
};

/* The options a command accepts, for cli_parse_opts: a bitmask by option. */
#define A_DB (1u << (OPT_DB - OPT_DB))
#define A_LISTEN (1u << (OPT_LISTEN - OPT_DB))
#define A_THREADS (1u << (OPT_THREADS - OPT_DB))
#define A_ACCESS_LOG (1u << (OPT_ACCESS_LOG - OPT_DB))
#define A_KEY (1u << (OPT_KEY - OPT_DB))
#define A_TRUST_PROXY (1u << (OPT_TRUST_PROXY - OPT_DB))
#define A_ANCHORS (1u << (OPT_ANCHORS - OPT_DB))
#define A_HEADER_TIMEOUT (1u << (OPT_HEADER_TIMEOUT - OPT_DB))
#define A_PER_ADDRESS (1u << (OPT_PER_ADDRESS - OPT_DB))
#define A_TO (1u << (OPT_TO - OPT_DB))

/* Names the command being run (for usage errors and --help). cmd is
 * borrowed and must outlive the command (the static table). */
void cli_opts_command(const struct cli_command *cmd);

/* Prints a one-line usage error naming the command, what went wrong and
 * arg, and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *what, const char *arg);

/* Prints the usage of the current command, "usage: proxima SYNOPSIS" then
 * its options; synopsis NULL means the command's name. Returns 0. */
int cli_print_usage(const char *synopsis);

/* The action word of a command with actions ("proxima user add"):
 * argv[1] when it is one of actions (a NULL-terminated list). Otherwise
 * NULL with *code set: without a word, the usage (for synopsis) and
 * CLI_EXIT_USAGE; for --help or -h, the usage and 0; else a usage error
 * naming the word. The result points into argv. */
const char *cli_read_action(int argc, char **argv, const char *synopsis, const char *const *actions,
			    int *code);

/* Whether an option takes a value: CLI_VALUE (--db FILE), CLI_FLAG
 * (--dry-run) or CLI_MAYBE (--trust-proxy[=ADDRS]). */
enum cli_arg { CLI_VALUE, CLI_FLAG, CLI_MAYBE };

/* One option a command takes (cli_parse_args): --name, and -short when
 * short_name is not 0. Its value (a pointer into argv; "" for a flag or
 * a CLI_MAYBE given without one) goes to *value, the last one given
 * winning. */
struct cli_opt {
	const char *name;
	char short_name;
	enum cli_arg arg;
	const char **value;
};

#define CLI_OPTS_MAX 16

/* The commands' one option parser: reads argv from argv[first] (after
 * the command, and its action word when it has one) against opts (at most
 * CLI_OPTS_MAX, ending with {NULL}). --help or -h prints the usage
 * (synopsis as cli_print_usage) and returns 0; an unknown option or a
 * missing value is a usage error naming it (CLI_EXIT_USAGE, printed). The
 * other arguments go in order to args[], at most max_args of them (one
 * more is an "unexpected argument"), and their count to *nargs (args and
 * nargs may be NULL when max_args is 0). Returns -1 to go on. */
int cli_parse_args(int argc, char **argv, int first, const char *synopsis,
		   const struct cli_opt *opts, const char **args, int max_args, int *nargs);

/* The database when --db is not given: $PROXIMA_DB when set and not
 * empty, else APP_DB_DEFAULT. Static or environment storage. */
const char *cli_default_db(void);

/* Parses argv (argv[0] the command) for the shared options this command
 * accepts (allowed: A_ flags) into *o, o->db defaulting to
 * cli_default_db(); strings point into argv. Returns -1 to go on, or the
 * exit code (after --help, 0; after a usage error, message printed). */
int cli_parse_opts(int argc, char **argv, unsigned allowed, struct cli_opts *o);

/* The options of import and export: --db, --key, --view (export only,
 * with_view) and one FILE ('-' = standard input/output) into *o, *view
 * and *file. Returns -1 to go on, or the exit code as cli_parse_opts. */
int cli_parse_file_opts(int argc, char **argv, bool with_view, struct cli_opts *o,
			const char **view, const char **file);

#endif
