/* proxima init: the database, its key file and its sealed access log. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/opts.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/aggregate.h"
#include "model/audit.h"
#include "model/cellkey.h"
#include "model/trajectory.h"
#include "model/search.h"

/* Creates the parent directory of path if it is missing (one level). */
static int ensure_parent(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		die_oom();
	char *dir = dirname(copy);
	int rc = 0;
	if (access(dir, F_OK) != 0 && mkdir(dir, 0750) != 0) {
		fprintf(stderr, "proxima: cannot create directory %s: %s\n", dir, strerror(errno));
		rc = -1;
	}
	free(copy);
	return rc;
}

/* The key file for nominative fields: 32 random bytes as hex, mode 0600,
 * kept outside the database. Never overwritten. */
static int create_key(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		fprintf(stderr, "proxima: cannot create key file %s: %s\n", path, strerror(errno));
		return -1;
	}
	unsigned char key[32];
	char hex[65];
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	hex[64] = '\n';
	ssize_t w = write(fd, hex, sizeof(hex));
	sodium_memzero(hex, sizeof(hex));
	if (w != (ssize_t)sizeof(hex) || fsync(fd) != 0 || close(fd) != 0) {
		fprintf(stderr, "proxima: cannot write key file %s\n", path);
		return -1;
	}
	printf("proxima: created key file %s (back it up: without it, nominative "
	       "data cannot be read)\n",
	       path);
	return 0;
}

/* Seals the access log of the database at path under the key (--key, or
 * DB.key) when it is not sealed yet (model/audit.h): purpose "init" for a
 * new database, "migration" for a log kept before the chain was keyed.
 * Returns 0, or -1 with a one-line message. */
int cli_seal_log(const char *path, const char *key, const char *purpose)
{
	char err[512];
	struct db *db = db_open(path, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "proxima: %s\n", err);
		return -1;
	}
	int sealed = audit_sealed(db);
	int64_t before = 0;
	int rc = sealed < 0 ? -1 : 0;
	if (sealed == 0) {
		rc = cli_load_key(path, key) != 0 ? -1 : 0;
		if (rc == 0 && audit_seal(db, purpose, &before) < 0) {
			fprintf(stderr, "proxima: cannot seal the access log of %s\n", path);
			rc = -1;
		}
		if (rc == 0 && before > 0)
			printf("proxima: access log sealed under the key (%lld earlier entries "
			       "chained under the seal)\n",
			       (long long)before);
	}
	db_close(db);
	return rc;
}

/* What a database upgraded from schema version before needs once its
 * migrations are applied: crossing the aggregates' migration, they are
 * filled from the activities; crossing the record keys', the records
 * already there get their keys and the aggregates their key sums (both by
 * agg_reindex, one write unit, which also places the referral
 * trajectories); crossing only the trajectories', the referrals are placed
 * in them (trajectory_reindex). Every time, rows without their search text
 * get it (search_fill). Returns 0 (*done says whether anything was done),
 * or -1 with the reason in err. */
int cli_after_migrations(struct db *db, int before, bool *done, char *err, size_t errcap)
{
	bool aggregates = before < AGG_SCHEMA_VERSION && migrate_latest() >= AGG_SCHEMA_VERSION;
	bool keys = before < CELLKEY_SCHEMA_VERSION && migrate_latest() >= CELLKEY_SCHEMA_VERSION;
	bool trajectories = before < TRAJ_SCHEMA_VERSION && migrate_latest() >= TRAJ_SCHEMA_VERSION;
	*done = before > 0 && (aggregates || keys || trajectories);
	if (search_fill(db) < 0) {
		snprintf(err, errcap,
			 "cannot write the directory's search text; run 'proxima migrate' again");
		return -1;
	}
	if (!*done)
		return 0;
	if ((aggregates || keys) && agg_reindex(db) < 0) {
		snprintf(err, errcap,
			 "cannot build the activity aggregates and record keys; run 'proxima "
			 "migrate' again");
		return -1;
	}
	if (!aggregates && !keys && trajectory_reindex(db) < 0) {
		snprintf(err, errcap,
			 "cannot build the referral trajectories; run 'proxima migrate' again");
		return -1;
	}
	return 0;
}

int cli_cmd_init(int argc, char **argv)
{
	struct cli_opts o = {0};
	int rc = cli_parse_opts(argc, argv, A_DB | A_KEY, &o);
	if (rc >= 0)
		return rc;
	char keypath[4096];
	if (cli_key_path(o.db, o.key, keypath, sizeof(keypath)) < 0)
		return CLI_EXIT_USAGE;
	if (!db_location_is_postgres(o.db) && ensure_parent(o.db) < 0)
		return 1;
	char err[512];
	struct db *db = db_open(o.db, DB_OPEN_CREATE, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "proxima: %s\n", err);
		return 1;
	}
	int applied, before = 0;
	bool rebuilt;
	if (migrate_inspect(db, &before, err, sizeof(err)) == MIGRATE_EMPTY)
		before = 0;
	if (migrate_apply(db, &applied, err, sizeof(err)) < 0 ||
	    cli_after_migrations(db, before, &rebuilt, err, sizeof(err)) < 0) {
		fprintf(stderr, "proxima: %s\n", err);
		db_close(db);
		return 1;
	}
	db_close(db);
	if (create_key(keypath) < 0 || cli_seal_log(o.db, o.key, "init") < 0)
		return 1;
	if (applied)
		printf("proxima: initialised %s (schema version %d)\n", o.db, migrate_latest());
	else
		printf("proxima: %s is already initialised (schema version %d)\n", o.db,
		       migrate_latest());
	return 0;
}
