/* Scratch databases for unit tests (support/scratch_db.h). */
#include "support/scratch_db.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/migrate.h"
#include "interchange/interchange.h"
#include "model/audit.h"
#include "model/vault.h"

const char *scratch_dir(void)
{
	const char *d = getenv("PROXIMA_TEST_TMP");
	if (!d || !*d)
		d = getenv("TMPDIR");
	return d && *d ? d : "/tmp";
}

const char *scratch_pg_admin(void)
{
	const char *pg = getenv("PROXIMA_TEST_PG");
	return pg && *pg ? pg : NULL;
}

/* Runs one statement on the cluster's admin database. 0 or -1. */
static int pg_admin(const char *sql)
{
	char err[512] = "";
	struct db *db = db_open(scratch_pg_admin(), DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "test support: %s\n", err);
		return -1;
	}
	int rc = db_exec_script(db, sql, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "test support: %s: %s\n", sql, err);
	db_close(db);
	return rc;
}

/* The database name of a PostgreSQL location made by scratch_pg_create
 * (what follows "dbname="), or NULL. */
static const char *pg_dbname(const char *location)
{
	const char *n = strstr(location, "dbname=");
	return n ? n + 7 : NULL;
}

int scratch_pg_create(char *location, size_t cap, const char *prefix, bool migrated)
{
	static unsigned serial;
	char name[64];
	int n = snprintf(name, sizeof(name), "t%ld_%u_", (long)getpid(), ++serial);
	for (const char *p = prefix; *p && n < (int)sizeof(name) - 1; p++)
		name[n++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_';
	name[n] = '\0';
	/* The names are made here of [a-z0-9_] only: nothing to quote. */
	char sql[200];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s%s", name,
		 migrated ? " TEMPLATE " SCRATCH_PG_TEMPLATE : "");
	if (pg_admin(sql) < 0)
		return -1;
	const char *admin = scratch_pg_admin();
	const char *at = strstr(admin, "dbname=");
	int len = at ? (int)(at - admin) : (int)strlen(admin);
	if (snprintf(location, cap, "%.*s%sdbname=%s", len, admin, at ? "" : " ", name) >=
	    (int)cap) {
		fprintf(stderr, "test support: location too long for %s\n", name);
		return -1;
	}
	return 0;
}

void scratch_pg_drop(const char *location)
{
	const char *name = pg_dbname(location);
	if (!name || strncmp(name, "t", 1) != 0)
		return;
	char sql[200];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	pg_admin(sql);
}

int scratch_db_path(char *path, size_t cap, const char *prefix)
{
	if (scratch_pg_admin())
		return scratch_pg_create(path, cap, prefix, false);
	snprintf(path, cap, "%s/%s-XXXXXX", scratch_dir(), prefix);
	int fd = mkstemp(path);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	close(fd);
	return 0;
}

struct db *scratch_db_create(char *path, size_t cap, const char *prefix)
{
	if (scratch_pg_admin() ? scratch_pg_create(path, cap, prefix, true) < 0
			       : scratch_db_path(path, cap, prefix) < 0)
		return NULL;
	char err[512] = "";
	struct db *db = db_open(path, DB_OPEN_CREATE, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "db_open %s: %s\n", path, err);
		return NULL;
	}
	int applied = 0;
	if (migrate_apply(db, &applied, err, sizeof(err)) != 0) {
		fprintf(stderr, "migrate_apply %s: %s\n", path, err);
		db_close(db);
		return NULL;
	}
	/* As `proxima init` does, the access log is sealed under the key: the
	 * test's own when it loaded one first, else a scratch key. */
	if (sodium_init() < 0)
		return NULL;
	if (!vault_ready()) {
		unsigned char key[32];
		memset(key, 0x5c, sizeof(key));
		vault_set_key(key);
	}
	int64_t before;
	if (audit_seal(db, "init", &before) < 0) {
		fprintf(stderr, "audit_seal %s failed\n", path);
		db_close(db);
		return NULL;
	}
	return db;
}

void scratch_db_remove(struct db *db, const char *path)
{
	db_close(db);
	if (db_location_is_postgres(path)) {
		scratch_pg_drop(path);
		return;
	}
	unlink(path);
	char side[1100];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

int scratch_db_exec(struct db *db, const char *sql)
{
	char err[256];
	int rc = db_exec_script(db, sql, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "sql failed: %s\n", err);
	return rc == 0 ? 0 : -1;
}

struct scratch *scratch_new(const char *prefix, size_t arena_size, const char *sql)
{
	struct scratch *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->db = scratch_db_create(s->path, sizeof(s->path), prefix);
	if (!s->db || (sql && scratch_db_exec(s->db, sql) < 0)) {
		scratch_db_remove(s->db, s->path);
		free(s);
		return NULL;
	}
	s->ar = arena_new(arena_size);
	return s;
}

void scratch_free(struct scratch *s)
{
	if (!s)
		return;
	arena_free(s->ar);
	scratch_db_remove(s->db, s->path);
	free(s);
}

int scratch_teardown(void **state)
{
	scratch_free(*state);
	return 0;
}

int scratch_import(struct db *db, const char *text, size_t len)
{
	FILE *in = fmemopen((void *)text, len, "r");
	if (!in)
		return -1;
	struct import_result res;
	int rc = interchange_import(db, in, &res);
	fclose(in);
	if (rc != 0) {
		char msg[768];
		import_error_format(&res, msg, sizeof(msg));
		fprintf(stderr, "import: %s\n", msg);
		return -1;
	}
	return 0;
}

struct scratch_files *scratch_files_new(const char *prefix)
{
	if (sodium_init() < 0 || i18n_init() < 0 || ptime_set_zone("America/Toronto") < 0)
		return NULL;
	struct scratch_files *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->a = arena_new(1 << 16);
	f->db = scratch_db_create(f->path, sizeof(f->path), prefix);
	const char *tmp = getenv("PROXIMA_TEST_TMP");
	snprintf(f->dir, sizeof(f->dir), "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
	if (!f->db || !mkdtemp(f->dir)) {
		f->dir[0] = '\0';
		scratch_files_free(f);
		return NULL;
	}
	return f;
}

void scratch_files_free(struct scratch_files *f)
{
	if (!f)
		return;
	if (f->dir[0]) {
		char cmd[512];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", f->dir);
	}
	scratch_db_remove(f->db, f->path);
	arena_free(f->a);
	free(f);
}
