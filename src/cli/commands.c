/* proxima: the table of commands (name, summary, usage, function) and
 * the start-up every command shares. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/static.h"

static int cmd_help(int argc, char **argv);

static const struct cli_command commands[] = {
	{"serve", "serve the web application and the API",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db\n"
	 "                        or $PROXIMA_DB)\n"
	 "  --listen ADDR:PORT    address to listen on (default 127.0.0.1:8080; port 0 = any)\n"
	 "  --threads N           server threads (default: 64)\n"
	 "  --access-log WHERE    FILE, '-' for standard error (default) or 'off'\n"
	 "  --trust-proxy[=ADDRS] behind a reverse proxy: believe X-Forwarded-For and\n"
	 "                        X-Forwarded-Proto from it (on this machine, or at ADDRS,\n"
	 "                        addresses separated by commas); it has no connection cap\n"
	 "  --header-timeout S    seconds a connection has to send a request's headers,\n"
	 "                        counted from its opening or its previous answer (default 10)\n"
	 "  --connections-per-address N\n"
	 "                        connections at once from one address (default 64)\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n"
	 "  --anchors PATH        where the daily run appends the access log's head\n"
	 "                        (default DB.anchors; PostgreSQL: beside the key file)\n",
	 cli_cmd_serve},
	{"init", "create the database and the key file, apply migrations",
	 "  --db DB               SQLite file to create, or PostgreSQL URL of an empty database\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n",
	 cli_cmd_init},
	{"migrate", "apply pending schema migrations",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key PATH            key file (default DB.key), to seal the access log\n",
	 cli_cmd_migrate},
	{"demo", "load demonstration data (a year of outreach work on territories A-D)",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key FILE            key for nominative details (default PATH.key)\n"
	 "  --jsonl FILE          only write the demo records as JSON Lines ('-': stdout)\n"
	 "  --scale F             also a province for last year: F x (10,000 positions, 10 M\n"
	 "                        activities, 500,000 referrals), 128 territories in 16 regions\n",
	 cli_cmd_demo},
	{"copy", "copy a SQLite deployment into a new database (PostgreSQL), live",
	 "  proxima copy [--db SQLITE_FILE] --to POSTGRESQL_URL [--key PATH] [--anchors PATH]\n"
	 "  --db DB               the SQLite database to copy (default ./var/proxima.db); its\n"
	 "                        servers may keep running\n"
	 "  --to DB               an empty PostgreSQL database (C collation), migrated first;\n"
	 "                        serve it with the same key file (--key) and anchors\n"
	 "  --key PATH            the key file (default DB.key): the copy's access log is\n"
	 "                        verified under it\n"
	 "  --anchors PATH        the source's anchors (default DB.anchors), checked and\n"
	 "                        appended to\n",
	 cli_cmd_copy},
	{"reindex", "rebuild the aggregate tables of the activity journal (one transaction)",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n",
	 cli_cmd_reindex},
	{"user", "manage accounts: add, passwd, list",
	 "  proxima user add --email E --name N --role R [--organisation ORG] [--territory T] "
	 "[--id ID]\n"
	 "  proxima user passwd --email E\n"
	 "  proxima user list\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "The password is read from standard input (asked twice on a terminal).\n"
	 "Roles: pap, gestionnaire, comite, analyste, admin. ORG and T are import ids.\n",
	 cli_cmd_user},
	{"token", "manage API bearer tokens: create, revoke, list",
	 "  proxima token create --email E [--name N]   prints the token (shown once)\n"
	 "  proxima token revoke --id N\n"
	 "  proxima token list\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n",
	 cli_cmd_token},
	{"settings", "list, read and change the instance settings (typed, with ranges)",
	 "  proxima settings list             every setting: value, default, range, meaning\n"
	 "  proxima settings get KEY          the value in force\n"
	 "  proxima settings set KEY VALUE    refused (exit 1) outside the setting's range\n"
	 "  proxima settings reset KEY        back to the default\n"
	 "  --db PATH             database (default ./var/proxima.db)\n",
	 cli_cmd_settings},
	{"import", "import records from a JSON Lines file (interchange format)",
	 "  proxima import [--db PATH] [--key PATH] FILE      (FILE '-' = standard input)\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n"
	 "One transaction: on any invalid line nothing is written.\n",
	 cli_cmd_import},
	{"export", "export records as JSON Lines (interchange format)",
	 "  proxima export [--db PATH] [--key PATH] [--view V] FILE  (FILE '-' = standard output)\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n"
	 "  --view V              admin|complet (everything, nominative details decrypted and\n"
	 "                        logged), gestionnaire (no nominative details, no e-mails),\n"
	 "                        comite|analyste (shared structure only; default comite)\n",
	 cli_cmd_export},
	{"export-activities", "export activities as a spreadsheet (CSV or XLSX), never nominative",
	 "  proxima export-activities [--db PATH] [--format csv|xlsx] [--sep ';'] [--view V]\n"
	 "                            [--organisation ORG] [--from DATE] [--to DATE] -o FILE\n"
	 "  --format F            csv (UTF-8 with BOM, default) or xlsx\n"
	 "  --sep S               CSV separator: ',' (default), ';' (Excel in French) or '\\t'\n"
	 "  --view V              admin|complet|gestionnaire (default); comite|analyste refused\n"
	 "                        (they see no single activity)\n"
	 "  --organisation ORG    only this organisation (import id)\n"
	 "No note and no family code is ever written; deleted activities are left out.\n",
	 cli_cmd_export_activities},
	{"report", "compute the indicator report (json, csv, html, xlsx, pdf)", CLI_REPORT_USAGE,
	 cli_cmd_report},
	{"audit", "verify the access log of nominative data (keyed hash chain, anchors)",
	 "  proxima audit verify [--db PATH] [--key PATH] [--anchors PATH]\n"
	 "  --key PATH            key file (default DB.key): the chain is keyed with it\n"
	 "  --anchors PATH        anchors kept outside the database (default DB.anchors)\n"
	 "Exit status 0 when every entry and anchor verifies (the head is then appended to\n"
	 "the anchors), 1 when an entry was changed, removed or the log emptied.\n",
	 cli_cmd_audit},
	{"retention", "anonymise closed family files past their retention period",
	 "  proxima retention run [--db PATH] [--key PATH] [--dry-run]\n"
	 "  --dry-run             list what would be done; change nothing\n"
	 "Each closed file past its organisation's period (months after closing) loses its\n"
	 "nominative details and its free texts; the rest is anonymised, the statistics stay.\n"
	 "Each file goes to the register of anonymisation. 'proxima serve' runs it daily.\n",
	 cli_cmd_retention},
	{"hsds", "export a territory's directory as an Open Referral HSDS data package (ZIP)",
	 "  proxima hsds [--db PATH] [--date YYYY-MM-DD] [--lang fr|en] TERRITORY FILE.zip\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --date D              the directory as it stands on D (default today)\n"
	 "  --lang L              labels in French (default) or English\n"
	 "The package holds what the directory publishes, never data about families\n"
	 "(docs/en/hsds.md).\n",
	 cli_cmd_hsds},
	{"version", "print the version", "", cli_cmd_version},
	{"test-http", "read one raw HTTP request on stdin, write the response on stdout",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n",
	 cli_cmd_test_http},
	{"help", "list the commands", "", cmd_help},
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: proxima COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n'proxima COMMAND --help' lists a command's options.\n");
	return 0;
}

int cli_main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return CLI_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(name, "--version") == 0)
		name = "version";
	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		cli_opts_command(&commands[i]);
		if (sodium_init() < 0) {
			fprintf(stderr, "proxima: cannot initialise libsodium\n");
			return 1;
		}
		char err[256];
		if (i18n_init() < 0 || migrate_validate_embedded(err, sizeof(err)) < 0) {
			fprintf(stderr, "proxima: broken build: embedded files are invalid\n");
			return 1;
		}
		db_global_init();
		ptime_hooks_load(); /* the test hooks, read once, before any thread */
		password_hooks_load();
		ptime_set_zone(PTIME_DEFAULT_ZONE);
		static_init();
		return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "proxima: unknown command '%s' (see 'proxima --help')\n", name);
	return CLI_EXIT_USAGE;
}
