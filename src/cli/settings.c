/* proxima settings list|get|set|reset: the typed settings. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "db/db.h"
#include "model/settings.h"

/* Prints one setting of `proxima settings list` (or get with all true). */
static void print_setting(struct db *db, struct arena *a, const struct setting_def *d)
{
	bool set, invalid;
	const char *v = settings_text(db, a, d->id, &set, &invalid);
	const char *range = settings_range_text(d, "en", a);
	printf("%-32s %-20s %s%s%s\n", d->key, v ? v : "?",
	       invalid ? "(stored value refused: default in force) "
	       : set   ? ""
		       : "(default) ",
	       *range ? "range " : "", range);
	printf("%-32s %s%s%s\n", "", i18n_tr("en", d->help),
	       d->scope == SETTING_SCOPE_ORGANISATION
		       ? " Instance default; an organisation may set its own."
		       : "",
	       d->restart ? " Takes effect when serve restarts." : "");
}

/* proxima settings list|get KEY|set KEY VALUE|reset KEY: the typed table
 * of model/settings.h. A value outside its range is refused with the
 * range; nothing is written then. */
int cli_cmd_settings(int argc, char **argv)
{
	static const char *const actions[] = {"list", "get", "set", "reset", NULL};
	static const char *synopsis = "settings list|get KEY|set KEY VALUE|reset KEY";
	int code;
	const char *action = cli_read_action(argc, argv, synopsis, actions, &code);
	if (!action)
		return code;
	int want = strcmp(action, "list") == 0 ? 0 : strcmp(action, "set") == 0 ? 2 : 1;
	const char *dbpath = cli_default_db(), *args[2] = {NULL, NULL};
	int nargs = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			dbpath = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			dbpath = argv[i] + 5;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return cli_print_usage(synopsis);
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return cli_usage_error("unknown option", argv[i]);
		else if (nargs < want)
			args[nargs++] = argv[i];
		else
			return cli_usage_error("unexpected argument", argv[i]);
	}
	if (nargs < want)
		return cli_usage_error("missing",
				       want - nargs == 2 || nargs == 0 ? "KEY" : "VALUE");
	const struct setting_def *d = want ? settings_find(args[0]) : NULL;
	if (want && !d) {
		fprintf(stderr,
			"proxima settings: no setting named '%s' (see 'proxima settings "
			"list')\n",
			args[0]);
		return 1;
	}
	struct db *db = cli_open_ready(dbpath, &code);
	if (!db)
		return code;
	struct arena *a = arena_new(4096);
	int rc = 0;
	if (strcmp(action, "list") == 0) {
		for (int i = 0; i < SETTING__COUNT; i++)
			print_setting(db, a, settings_def((enum setting_id)i));
	} else if (strcmp(action, "get") == 0) {
		const char *v = settings_text(db, a, d->id, NULL, NULL);
		if (v)
			printf("%s\n", v);
		rc = v ? 0 : 1;
	} else {
		enum setting_err e = strcmp(action, "set") == 0 ? settings_set(db, d->id, args[1])
				     : d->scope == SETTING_SCOPE_INTERNAL ? SETTING_ERR_READONLY
				     : settings_reset(db, d->id) == 0     ? SETTING_OK
									  : SETTING_ERR_DB;
		if (e != SETTING_OK) {
			fprintf(stderr, "proxima settings: %s: %s%s%s%s\n", d->key,
				args[1] ? "'" : "", args[1] ? args[1] : "",
				args[1] ? "' refused: " : "", settings_refusal(d, e, "en", a));
			rc = 1;
		} else {
			const char *v = settings_text(db, a, d->id, NULL, NULL);
			printf("proxima: %s = %s%s\n", d->key, v ? v : "?",
			       d->restart ? " (takes effect when serve restarts)" : "");
		}
	}
	arena_free(a);
	db_close(db);
	return rc;
}
