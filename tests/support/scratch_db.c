/* Scratch databases for unit tests (support/scratch_db.h). */
#include "support/scratch_db.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/audit.h"
#include "model/vault.h"

/* The directory scratch files go to. */
static const char *scratch_dir(void)
{
	const char *d = getenv("PROXIMA_TEST_TMP");
	if (!d || !*d)
		d = getenv("TMPDIR");
	return d && *d ? d : "/tmp";
}

int scratch_db_path(char *path, size_t cap, const char *prefix)
{
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
	if (scratch_db_path(path, cap, prefix) < 0)
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
	if (db_begin(db) < 0 || audit_seal(db, "init", &before) < 0 || db_commit(db) < 0) {
		fprintf(stderr, "audit_seal %s failed\n", path);
		db_close(db);
		return NULL;
	}
	return db;
}

void scratch_db_remove(struct db *db, const char *path)
{
	db_close(db);
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
