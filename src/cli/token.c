/* proxima token create|revoke|list: API bearer tokens. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "auth/token.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "core/arena.h"
#include "core/util.h"
#include "db/db.h"
#include "model/person.h"

/* proxima token create|revoke|list: bearer tokens for the API. The token
 * is printed once on standard output; the database keeps only its hash. */
int cli_cmd_token(int argc, char **argv)
{
	static const char *const actions[] = {"create", "revoke", "list", NULL};
	int code;
	const char *action =
		cli_read_action(argc, argv, "token create|revoke|list", actions, &code);
	if (!action)
		return code;
	const char *dbpath = cli_default_db(), *email = NULL, *name = "api", *idarg = NULL;
	const struct cli_opt opts[] = {
		{"db", 0, CLI_VALUE, &dbpath}, {"email", 0, CLI_VALUE, &email},
		{"name", 0, CLI_VALUE, &name}, {"id", 0, CLI_VALUE, &idarg},
		{NULL, 0, CLI_VALUE, NULL},
	};
	if ((code = cli_parse_args(argc, argv, 2, "token create|revoke|list", opts, NULL, 0,
				   NULL)) >= 0)
		return code;
	int64_t id = 0;
	if (strcmp(action, "create") == 0 && !email)
		return cli_usage_error("missing option", "--email");
	if (strcmp(action, "revoke") == 0 && (!idarg || parse_i64(idarg, 1, INT64_MAX, &id) < 0))
		return cli_usage_error("--id wants a token number, not", idarg ? idarg : "nothing");
	struct db *db = cli_open_ready(dbpath, &code);
	if (!db)
		return code;
	struct arena *a = arena_new(4096);
	int rc = 1;
	if (strcmp(action, "create") == 0) {
		struct person p;
		const char *token;
		if (person_find_by_email(db, a, email, &p) != 0 || !p.active)
			fprintf(stderr, "proxima: no active account with the e-mail %s\n", email);
		else if (token_create(db, a, p.id, name, 0, &token, &id) < 0)
			fprintf(stderr,
				"proxima: cannot create the token (--name: 1 to %d bytes)\n",
				TOKEN_NAME_MAX);
		else {
			printf("%s\n", token);
			fprintf(stderr,
				"proxima: token %lld created for %s; it is shown only once\n",
				(long long)id, p.email);
			rc = 0;
		}
	} else if (strcmp(action, "revoke") == 0) {
		int r = token_revoke(db, id);
		if (r == 0)
			printf("proxima: token %lld revoked\n", (long long)id);
		else
			fprintf(stderr, "proxima: %s\n",
				r > 0 ? "no live token with this id" : "database error");
		rc = r == 0 ? 0 : 1;
	} else {
		struct api_token *v;
		size_t n;
		if (token_list(db, a, &v, &n) == 0) {
			printf("%-6s %-28s %-10s %s\n", "ID", "ACCOUNT", "STATE", "NAME");
			for (size_t i = 0; i < n; i++)
				printf("%-6lld %-28s %-10s %s\n", (long long)v[i].id, v[i].owner,
				       v[i].revoked_at ? "revoked" : "live", v[i].name);
			rc = 0;
		}
	}
	arena_free(a);
	db_close(db);
	return rc;
}
