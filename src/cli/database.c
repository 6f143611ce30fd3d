/* proxima: opening the database for a command, and the files that go
 * with it (the key, the anchors). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/arena.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/audit.h"
#include "model/settings.h"
#include "model/vault.h"

/* Applies instance settings that the process needs (time zone). */
static void apply_settings(struct db *db)
{
	struct arena *a = arena_new(256);
	bool invalid;
	const char *tz = settings_text(db, a, SETTING_TIME_ZONE, NULL, &invalid);
	if (invalid)
		fprintf(stderr, "proxima: the time zone in settings is not known here; using %s\n",
			settings_def(SETTING_TIME_ZONE)->def);
	if (tz)
		ptime_set_zone(tz);
	arena_free(a);
}

/* Opens an existing, initialised, up-to-date database. On failure prints a
 * one-line reason, sets *code and returns NULL. */
struct db *cli_open_ready(const char *path, int *code)
{
	if (!db_location_is_postgres(path) && access(path, F_OK) != 0) {
		fprintf(stderr,
			"proxima: database %s does not exist; create it with "
			"'proxima init --db %s'\n",
			path, path);
		*code = CLI_EXIT_USAGE;
		return NULL;
	}
	char err[512];
	struct db *db = db_open(path, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "proxima: %s\n", err);
		*code = 1;
		return NULL;
	}
	int v;
	switch (migrate_inspect(db, &v, err, sizeof(err))) {
	case MIGRATE_CURRENT: apply_settings(db); return db;
	case MIGRATE_EMPTY:
		fprintf(stderr,
			"proxima: database %s is not initialised; run "
			"'proxima init --db %s'\n",
			path, path);
		break;
	case MIGRATE_PENDING:
		fprintf(stderr,
			"proxima: database %s is at schema version %d and this "
			"proxima needs %d; run 'proxima migrate --db %s'\n",
			path, v, migrate_latest(), path);
		break;
	default: fprintf(stderr, "proxima: %s: %s\n", path, err); break;
	}
	db_close(db);
	*code = 1;
	return NULL;
}

/* Opens the database as cli_open_ready does, for a command that writes to the
 * access log: the log must carry its seal (model/audit.h), or entries
 * appended now would not verify. */
struct db *cli_open_sealed(const char *path, int *code)
{
	struct db *db = cli_open_ready(path, code);
	if (!db || audit_sealed(db) == 1)
		return db;
	fprintf(stderr,
		"proxima: the access log of %s is not sealed under the key; run "
		"'proxima migrate --db %s'\n",
		path, path);
	db_close(db);
	*code = 1;
	return NULL;
}

/* The key file for nominative data: --key, else $PROXIMA_KEY_FILE, else
 * DB.key beside a SQLite file. A PostgreSQL database has no "beside": its
 * key must be named (it never lives in the database). Writes the path into
 * out and returns 0, or returns -1 after a one-line message. */
int cli_key_path(const char *db, const char *key, char *out, size_t cap)
{
	const char *env = getenv("PROXIMA_KEY_FILE");
	if (!key && env && *env)
		key = env;
	if (key) {
		str_copy(out, cap, key);
		return 0;
	}
	if (db_location_is_postgres(db)) {
		fprintf(stderr,
			"proxima: a PostgreSQL database needs its key file: give --key FILE "
			"or set PROXIMA_KEY_FILE\n");
		return -1;
	}
	snprintf(out, cap, "%s.key", db);
	return 0;
}

/* Loads the key for nominative data (cli_key_path). Returns 0, or CLI_EXIT_USAGE
 * with a one-line message. */
int cli_load_key(const char *db, const char *key)
{
	char path[4096], err[512];
	if (cli_key_path(db, key, path, sizeof(path)) < 0)
		return CLI_EXIT_USAGE;
	key = path;
	if (vault_load(key, err, sizeof(err)) < 0) {
		fprintf(stderr, "proxima: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* The key for nominative details: --key (required to load), else DB.key
 * when it exists; without one, nominative details are refused later. */
int cli_load_key_if_any(const struct cli_opts *o)
{
	char path[4096];
	if (!o->key && !getenv("PROXIMA_KEY_FILE") && db_location_is_postgres(o->db))
		return 0;
	if (cli_key_path(o->db, o->key, path, sizeof(path)) < 0 || access(path, F_OK) != 0)
		return 0;
	return cli_load_key(o->db, path);
}

/* The anchors file of a database (model/audit.h): --anchors, else
 * DB.anchors beside a SQLite file, else (PostgreSQL: no "beside") beside
 * the key file, whose ".key" becomes ".anchors" (so a copy served with the
 * same key keeps the same anchors). Writes the path into buf and returns
 * it, or NULL after a one-line message (a PostgreSQL key not named). */
const char *cli_anchors_path(const struct cli_opts *o, char *buf, size_t cap)
{
	if (o->anchors)
		return o->anchors;
	if (!db_location_is_postgres(o->db)) {
		snprintf(buf, cap, "%s.anchors", o->db);
		return buf;
	}
	if (cli_key_path(o->db, o->key, buf, cap) < 0)
		return NULL;
	size_t len = strlen(buf);
	if (len >= 4 && strcmp(buf + len - 4, ".key") == 0)
		buf[len - 4] = '\0';
	if (strlen(buf) + sizeof(".anchors") > cap) {
		fprintf(stderr, "proxima: the anchors' path is too long\n");
		return NULL;
	}
	memcpy(buf + strlen(buf), ".anchors", sizeof(".anchors"));
	return buf;
}
