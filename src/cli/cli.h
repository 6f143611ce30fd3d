/* proxima: the command line. One binary is the whole deployment; each
 * command lives in its own file of src/cli/ and has one row in the table
 * of src/cli/commands.c (name, summary, usage, function). Every command
 * function takes argv[0] = its name and returns the exit code: 0 success,
 * 1 failure, CLI_EXIT_USAGE (cli/opts.h) a usage error or a missing file. */
#ifndef PROXIMA_CLI_H
#define PROXIMA_CLI_H

#include <stdbool.h>
#include <stddef.h>

struct cli_opts;
struct db;

struct cli_command {
	const char *name;
	const char *summary;
	const char *usage; /* the options, one per line */
	int (*run)(int argc, char **argv);
};

/* Runs the command named by argv[1] (argv as main's). Returns the exit
 * code. */
int cli_main(int argc, char **argv);

/* The commands (one file each). */
int cli_cmd_serve(int argc, char **argv);
int cli_cmd_init(int argc, char **argv);
int cli_cmd_migrate(int argc, char **argv);
int cli_cmd_demo(int argc, char **argv);
int cli_cmd_copy(int argc, char **argv);
int cli_cmd_reindex(int argc, char **argv);
int cli_cmd_user(int argc, char **argv);
int cli_cmd_token(int argc, char **argv);
int cli_cmd_settings(int argc, char **argv);
int cli_cmd_import(int argc, char **argv);
int cli_cmd_export(int argc, char **argv);
int cli_cmd_export_activities(int argc, char **argv);
int cli_cmd_report(int argc, char **argv);
int cli_cmd_audit(int argc, char **argv);
int cli_cmd_retention(int argc, char **argv);
int cli_cmd_hsds(int argc, char **argv);
int cli_cmd_version(int argc, char **argv);
int cli_cmd_test_http(int argc, char **argv);

/* The usage text of proxima report (cli/report.c). */
extern const char CLI_REPORT_USAGE[];

/* Opens an existing, initialised, up-to-date database and applies the
 * instance settings the process needs (time zone). On failure prints a
 * one-line reason, sets *code and returns NULL. The caller closes it. */
struct db *cli_open_ready(const char *path, int *code);

/* Opens the database as cli_open_ready does, for a command that writes to
 * the access log: the log must carry its seal (model/audit.h), or entries
 * appended now would not verify. */
struct db *cli_open_sealed(const char *path, int *code);

/* The key file for nominative data: key (--key), else $PROXIMA_KEY_FILE,
 * else DB.key beside a SQLite file. A PostgreSQL database has no
 * "beside": its key must be named. Writes the path into out (cap bytes)
 * and returns 0, or returns -1 after a one-line message. */
int cli_key_path(const char *db, const char *key, char *out, size_t cap);

/* Loads the key for nominative data (cli_key_path). Returns 0, or
 * CLI_EXIT_USAGE with a one-line message. */
int cli_load_key(const char *db, const char *key);

/* The key for nominative details: --key (required to load), else DB.key
 * when it exists; without one, nominative details are refused later.
 * Returns 0 or an exit code (message printed). */
int cli_load_key_if_any(const struct cli_opts *o);

/* The anchors file of a database (model/audit.h): --anchors, else
 * DB.anchors beside a SQLite file, else (PostgreSQL) beside the key file,
 * whose ".key" becomes ".anchors". Writes the path into buf and returns
 * it (or o->anchors), or NULL after a one-line message. */
const char *cli_anchors_path(const struct cli_opts *o, char *buf, size_t cap);

/* Verifies the access log of db (named dbname) against the anchors of
 * apath, prints the outcome and, when intact, appends the head to the
 * anchors. Returns the exit code. */
int cli_verify_anchored(struct db *db, const char *dbname, const char *apath);

/* Seals the access log of the database at path under the key (--key, or
 * DB.key) when it is not sealed yet: purpose "init" for a new database,
 * "migration" for a log kept before the chain was keyed. Returns 0, or -1
 * with a one-line message. */
int cli_seal_log(const char *path, const char *key, const char *purpose);

/* What a database upgraded from schema version before needs once its
 * migrations are applied (aggregates and record keys rebuilt; the
 * directory's search text written where missing). Returns 0
 * (*done says whether anything was done), or -1 with the reason in err. */
int cli_after_migrations(struct db *db, int before, bool *done, char *err, size_t errcap);

#endif
