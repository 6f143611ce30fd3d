/* proxima user add|passwd|list: accounts. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth/password.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/util.h"
#include "db/db.h"
#include "model/person.h"

/* Reads a password: prompted twice without echo on a terminal, else one
 * line of standard input. Returns 0 or -1 (message printed). */
static int read_password(char *out, size_t cap)
{
	bool tty = isatty(0);
	struct termios old, quiet;
	for (int round = 0; round < (tty ? 2 : 1); round++) {
		char line[PASSWORD_MAX_LEN + 2];
		if (tty) {
			fprintf(stderr, round ? "Confirm: " : "Password: ");
			tcgetattr(0, &old);
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(0, TCSANOW, &quiet);
		}
		char *got = fgets(line, sizeof(line), stdin);
		if (tty) {
			tcsetattr(0, TCSANOW, &old);
			fputc('\n', stderr);
		}
		if (!got) {
			fprintf(stderr, "proxima: no password given on standard input\n");
			return -1;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (round == 0) {
			str_copy(out, cap, line);
		} else if (strcmp(out, line) != 0) {
			fprintf(stderr, "proxima: the two passwords differ\n");
			return -1;
		}
		sodium_memzero(line, sizeof(line));
	}
	const char *weak = password_weakness(out);
	if (weak) {
		fprintf(stderr,
			"proxima: password refused: at least %d characters, at most %d bytes, "
			"valid UTF-8\n",
			PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
		return -1;
	}
	return 0;
}

/* Prints every account. 0 or 1. */
static int list_accounts(struct db *db, struct arena *a)
{
	struct person *v;
	size_t n;
	if (person_list(db, a, &v, &n) < 0)
		return 1;
	printf("%-28s %-12s %-12s %-10s %s\n", "EMAIL", "ROLE", "ORGANISATION", "TERRITORY",
	       "NAME");
	for (size_t i = 0; i < n; i++)
		printf("%-28s %-12s %-12s %-10s %s%s\n", v[i].email ? v[i].email : "-",
		       role_code(v[i].role), v[i].organisation ? v[i].organisation : "-",
		       v[i].territory ? v[i].territory : "-", v[i].name,
		       v[i].password_hash ? "" : " (no password)");
	return 0;
}

/* Creates the account p with the password hash. 0 or 1 (printed). */
static int add_account(struct db *db, struct person *p, char *hash)
{
	struct validation v = {0};
	int64_t id;
	p->password_hash = hash;
	int r = person_create(db, p, &id, &v);
	if (r != 0) {
		fprintf(stderr, "proxima: cannot add the account:%s\n",
			r < 0 ? " database error" : "");
		for (size_t i = 0; i < v.n; i++)
			fprintf(stderr, "  %s: %s\n", v.errs[i].field,
				i18n_tr("en", v.errs[i].message));
		return 1;
	}
	printf("proxima: account %s created (role %s)\n", p->email, role_code(p->role));
	return 0;
}

/* user add or passwd: reads the password, then creates the account or
 * changes its password. 0 or 1 (printed). */
static int set_password(struct db *db, struct arena *a, const char *action, struct person *p)
{
	char pw[PASSWORD_MAX_LEN + 1], hash[PASSWORD_HASH_LEN];
	struct person existing;
	bool passwd = strcmp(action, "passwd") == 0;
	int rc = 1;
	if (passwd && person_find_by_email(db, a, p->email, &existing) != 0)
		fprintf(stderr, "proxima: no account with the e-mail %s\n", p->email);
	else if (read_password(pw, sizeof(pw)) < 0 || password_hash(pw, hash) < 0)
		rc = 1;
	else if (!passwd)
		rc = add_account(db, p, hash);
	else if (person_set_password(db, existing.id, hash) != 0)
		fprintf(stderr, "proxima: cannot change the password\n");
	else {
		printf("proxima: password of %s changed\n", p->email);
		rc = 0;
	}
	sodium_memzero(pw, sizeof(pw));
	return rc;
}

/* The options of user add|passwd|list into p and *dbpath. -1 to
 * go on, or the exit code. */
static int parse_user(int argc, char **argv, const char *action, struct person *p,
		      const char **dbpath)
{
	const char *role = NULL;
	const struct cli_opt opts[] = {
		{"db", 0, CLI_VALUE, dbpath},
		{"email", 0, CLI_VALUE, &p->email},
		{"name", 0, CLI_VALUE, &p->name},
		{"role", 0, CLI_VALUE, &role},
		{"organisation", 0, CLI_VALUE, &p->organisation},
		{"territory", 0, CLI_VALUE, &p->territory},
		{"id", 0, CLI_VALUE, &p->ext_id},
		{NULL, 0, CLI_VALUE, NULL},
	};
	int code = cli_parse_args(argc, argv, 2, "user add|passwd|list", opts, NULL, 0, NULL);
	if (code >= 0)
		return code;
	if (strcmp(action, "list") != 0 && !p->email)
		return cli_usage_error("missing option", "--email");
	if (strcmp(action, "add") != 0)
		return -1;
	if (!p->name)
		return cli_usage_error("missing option", "--name");
	if (!role)
		return cli_usage_error("missing option", "--role");
	p->role = role_parse(role);
	if (p->role == ROLE_NONE)
		return cli_usage_error(
			"--role must be pap, gestionnaire, comite, analyste or admin, not", role);
	return -1;
}

/* proxima user add|passwd|list */
int cli_cmd_user(int argc, char **argv)
{
	static const char *const actions[] = {"add", "passwd", "list", NULL};
	int code;
	const char *action = cli_read_action(argc, argv, "user add|passwd|list", actions, &code);
	if (!action)
		return code;
	struct person p = {0};
	const char *dbpath = cli_default_db();
	if ((code = parse_user(argc, argv, action, &p, &dbpath)) >= 0)
		return code;
	struct db *db = cli_open_ready(dbpath, &code);
	if (!db)
		return code;
	struct arena *a = arena_new(4096);
	int rc = strcmp(action, "list") == 0 ? list_accounts(db, a)
					     : set_password(db, a, action, &p);
	arena_free(a);
	db_close(db);
	return rc;
}
