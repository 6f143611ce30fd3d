/* Shared set-up of the libFuzzer harnesses (tests/fuzz/fuzz_*.c): a quiet
 * process, a migrated database seeded through the interchange import, and
 * an in-memory snapshot that restores the database after an input that
 * wrote to it, so that every input starts from the same state and a saved
 * reproducer replays on its own. Header-only: each harness is one
 * translation unit. See docs/fuzzing.md. */
#ifndef PROXIMA_FUZZ_COMMON_H
#define PROXIMA_FUZZ_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/password.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "db/db.h"
#include "db/engine.h"
#include "db/migrate.h"
#include "http/static.h"
#include "interchange/interchange.h"
#include "model/vault.h"

/* Stops the harness on a set-up failure (not a finding). */
static inline void fuzz_die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz set-up: %s: %s\n", what, detail ? detail : "");
	exit(2);
}

/* The process-wide state every pipeline needs: a fixed clock (sessions
 * never expire and dates are reproducible), the fast password hash of the
 * tests, no access log, warnings off, a vault key. */
static inline void fuzz_process_init(void)
{
	setenv("PROXIMA_NOW", "2025-03-12T15:00:00Z", 1);
	ptime_hooks_load();
	setenv("PROXIMA_TEST_FAST_HASH", "1", 1);
	password_hooks_load();
	if (sodium_init() < 0)
		fuzz_die("sodium_init", NULL);
	if (i18n_init() < 0)
		fuzz_die("i18n_init", NULL);
	static_init();
	if (ptime_set_zone("America/Toronto") < 0)
		fuzz_die("ptime_set_zone", "America/Toronto");
	log_set_level(getenv("FUZZ_VERBOSE") ? LOG_DEBUG : LOG_ERROR);
	log_access_open("off");
	unsigned char key[32];
	memset(key, 0x5a, sizeof(key));
	vault_set_key(key);
}

/* A new file for a database, on tmpfs when there is one (SQLite's fsyncs
 * cost nothing there), named after the process. The file is unlinked at
 * exit; a crash skips that, so files left by processes that no longer
 * exist are removed when the next one starts. */
static char fuzz_db_path[256];

static inline void fuzz_db_unlink(const char *path)
{
	char side[300];
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static inline void fuzz_db_cleanup(void)
{
	if (fuzz_db_path[0])
		fuzz_db_unlink(fuzz_db_path);
}

/* Removes dir/proxima-NAME-PID-XXXXXX (and its -wal, -shm) of dead PIDs. */
static inline void fuzz_db_sweep(const char *dir, const char *name)
{
	char prefix[64];
	int plen = snprintf(prefix, sizeof(prefix), "proxima-%s-", name);
	DIR *d = opendir(dir);
	if (!d || plen <= 0 || (size_t)plen >= sizeof(prefix)) {
		if (d)
			closedir(d);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, (size_t)plen) != 0)
			continue;
		char *end;
		long pid = strtol(e->d_name + plen, &end, 10);
		if (pid <= 0 || *end != '-' || strlen(end) != 7 ||
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fuzz_db_unlink(path);
	}
	closedir(d);
}

static inline const char *fuzz_new_db_path(const char *name)
{
	const char *dir = getenv("FUZZ_TMP");
	if (!dir)
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	fuzz_db_sweep(dir, name);
	snprintf(fuzz_db_path, sizeof(fuzz_db_path), "%s/proxima-%s-%ld-XXXXXX", dir, name,
		 (long)getpid());
	int fd = mkstemp(fuzz_db_path);
	if (fd < 0)
		fuzz_die("mkstemp", fuzz_db_path);
	close(fd);
	atexit(fuzz_db_cleanup);
	return fuzz_db_path;
}

/* Opens path and applies the migrations. */
static inline struct db *fuzz_open_migrated(const char *path)
{
	char err[512];
	struct db *db = db_open(path, DB_OPEN_CREATE, err, sizeof(err));
	int applied;
	if (!db)
		fuzz_die("db_open", err);
	if (migrate_apply(db, &applied, err, sizeof(err)) < 0)
		fuzz_die("migrate_apply", err);
	return db;
}

/* Imports JSON Lines text (set-up only: it must succeed). */
static inline void fuzz_import_text(struct db *db, const char *text)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct import_result res;
	if (!in)
		fuzz_die("fmemopen", NULL);
	int rc = interchange_import(db, in, &res);
	fclose(in);
	if (rc != 0) {
		char msg[768];
		import_error_format(&res, msg, sizeof(msg));
		fuzz_die("seed import", msg);
	}
}

/* Copies every page of src into dst (both "main"). The statements of dst
 * are reset first: one left in the middle of its rows would hold a read
 * transaction and block the copy. */
static inline void fuzz_copy_db(sqlite3 *dst, sqlite3 *src)
{
	for (sqlite3_stmt *s = sqlite3_next_stmt(dst, NULL); s; s = sqlite3_next_stmt(dst, s))
		sqlite3_reset(s);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		fuzz_die("sqlite3_backup_init", sqlite3_errmsg(dst));
	int rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		fuzz_die("sqlite3_backup_step", sqlite3_errstr(rc));
}

/* An in-memory copy of db, to restore it from later. */
static inline sqlite3 *fuzz_snapshot(struct db *db)
{
	sqlite3 *mem = NULL;
	if (sqlite3_open(":memory:", &mem) != SQLITE_OK)
		fuzz_die("sqlite3_open", ":memory:");
	fuzz_copy_db(mem, (sqlite3 *)db_sqlite_raw(db));
	return mem;
}

/* The seed records: a territory, two organisations, a PAP, a manager, a
 * PAP of the other organisation, an admin, a family with nominative
 * details and two activities. External ids are short so that mutated
 * requests can hit them. */
static const char fuzz_seed_jsonl[] =
	"{\"kind\":\"territory\",\"id\":\"A\",\"name\":\"Territoire A\",\"type\":\"urbain\"}\n"
	"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
	"\"territories\":[\"A\"]}\n"
	"{\"kind\":\"organisation\",\"id\":\"Y\",\"name\":\"Maison Y\",\"sector\":\"COMM\","
	"\"territories\":[\"A\"]}\n"
	"{\"kind\":\"person\",\"id\":\"px\",\"name\":\"Pap X\",\"email\":\"px@x.test\","
	"\"role\":\"pap\",\"organisation\":\"X\",\"territory\":\"A\"}\n"
	"{\"kind\":\"person\",\"id\":\"gx\",\"name\":\"Gest X\",\"email\":\"gx@x.test\","
	"\"role\":\"gestionnaire\",\"organisation\":\"X\",\"territory\":\"A\"}\n"
	"{\"kind\":\"person\",\"id\":\"py\",\"name\":\"Pap Y\",\"email\":\"py@y.test\","
	"\"role\":\"pap\",\"organisation\":\"Y\",\"territory\":\"A\"}\n"
	"{\"kind\":\"person\",\"id\":\"ad\",\"name\":\"Admin\",\"email\":\"ad@a.test\","
	"\"role\":\"admin\"}\n"
	"{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"X\",\"code\":\"X-001\","
	"\"opened\":\"2025-01-10\",\"follower\":\"px\",\"consent\":{\"date\":\"2025-01-10\","
	"\"language\":\"fr\",\"scopes\":[\"suivi\",\"reference\",\"citation\"]},"
	"\"nominative\":{\"name\":\"Zoé Canari\",\"phone\":\"819-555-0199\","
	"\"address\":\"7, rue du Canari\"}}\n"
	"{\"kind\":\"activity\",\"id\":\"a1\",\"author\":\"px\",\"territory\":\"A\","
	"\"date\":\"2025-03-10\",\"start_time\":\"10:30\",\"duration_min\":90,"
	"\"indirect\":{\"deplacement\":20},\"type\":\"accompagnement\","
	"\"strategies\":[\"proactif\"],\"place\":\"domicile\",\"initiated_by\":\"pap\","
	"\"counts\":{\"adults\":2,\"children_0_5\":1,\"families\":1},\"families\":[\"f1\"],"
	"\"partners\":[\"Y\"],\"needs\":[\"logement\"],\"outcomes\":[\"lien_confiance\"],"
	"\"note\":\"Visite\"}\n"
	"{\"kind\":\"activity\",\"id\":\"a2\",\"author\":\"py\",\"territory\":\"A\","
	"\"date\":\"2025-03-11\",\"duration_min\":30,\"type\":\"contact_informel\"}\n";

#endif
