/* proxima report: the command line of the indicator engine
 * (interchange.md "Report"). */
#ifndef PROXIMA_REPORT_CLI_H
#define PROXIMA_REPORT_CLI_H

struct db;

/* Usage text of the command (for main.c's table). */
extern const char REPORT_CLI_USAGE[];

/* Runs `proxima report` with argv[0] = "report". open_db opens the
 * database ready for use (main.c's open_ready: prints its own error and
 * sets *code). Returns the exit code: 0, 1 on failure, 2 on a usage
 * error (message on standard error naming the option). */
int report_cli_run(int argc, char **argv, struct db *(*open_db)(const char *path, int *code));

#endif
