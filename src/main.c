/* proxima: the command line. One binary is the whole deployment.
 * Exit codes: 0 success, 1 failure, 2 usage error or missing file. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "daily.h"
#include "auth/password.h"
#include "auth/token.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/migrate.h"
#include "demo/demo.h"
#include "http/server.h"
#include "http/static.h"
#include "http/test_http.h"
#include "model/aggregate.h"
#include "model/cellkey.h"
#include "model/search.h"
#include "model/demo_scale.h"
#include "model/act_export.h"
#include "model/interchange.h"
#include "model/audit.h"
#include "model/person.h"
#include "model/retention.h"
#include "model/vault.h"
#include "model/settings.h"
#include "reports/cli.h"

#define EXIT_USAGE 2

struct command {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(int argc, char **argv);
};

static const struct command *current;

/* Prints a one-line usage error and returns EXIT_USAGE. */
static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "proxima %s: %s '%s' (see 'proxima %s --help')\n", current->name, what, arg,
		current->name);
	return EXIT_USAGE;
}

/* Prints the usage of the current command, "usage: proxima SYNOPSIS" then
 * its options; synopsis NULL means the command's name. Returns 0. */
static int print_usage(const char *synopsis)
{
	printf("usage: proxima %s\n%s", synopsis ? synopsis : current->name, current->usage);
	return 0;
}

/* Starts a command's own getopt_long loop at argv[first], getopt quiet
 * (errors come back as '?' or ':' for opt_error). */
static void opts_begin(int first)
{
	opterr = 0;
	optind = first;
}

/* The exit code for an option c that a command's loop does not take: ':'
 * is a missing value, anything else an unknown option; both are usage
 * errors naming the option (EXIT_USAGE, message printed). */
static int opt_error(int c, char **argv)
{
	if (c == ':')
		return usage_error("missing value for", argv[optind - 1]);
	return usage_error("unknown option", argv[optind - 1]);
}

/* The action word of a command with actions ("proxima user add"):
 * argv[1] when it is one of actions (a NULL-terminated list). Otherwise
 * NULL with *code set: without a word, the usage (for synopsis) and
 * EXIT_USAGE; for --help or -h, the usage and 0; else a usage error naming
 * the word. */
static const char *read_action(int argc, char **argv, const char *synopsis,
			       const char *const *actions, int *code)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_usage(synopsis);
		*code = argc < 2 ? EXIT_USAGE : 0;
		return NULL;
	}
	for (const char *const *a = actions; *a; a++)
		if (strcmp(argv[1], *a) == 0)
			return argv[1];
	*code = usage_error("unknown action", argv[1]);
	return NULL;
}

static const char *default_db(void)
{
	const char *env = getenv("PROXIMA_DB");
	return env && *env ? env : "var/proxima.db";
}

/* Common options. Returns -1 to continue, or an exit code. */
struct opts {
	const char *db;
	const char *listen;
	const char *access_log;
	const char *key;
	const char *to; /* proxima copy's target */
	unsigned threads;
	const char *trust_proxy; /* NULL: none; "": loopback; else a list */
	unsigned header_timeout, per_address;
	const char *anchors;
};

enum {
	OPT_DB = 1000,
	OPT_LISTEN,
	OPT_THREADS,
	OPT_ACCESS_LOG,
	OPT_KEY,
	OPT_TRUST_PROXY,
	OPT_ANCHORS,
	OPT_HEADER_TIMEOUT,
	OPT_PER_ADDRESS,
	OPT_HELP,
	OPT_TO,
};

/* Parses argv for the options this command accepts (allowed: a string of
 * OPT_ flags as chars is awkward, so a bitmask by option index). */
static int parse_opts(int argc, char **argv, unsigned allowed, struct opts *o)
{
	static const struct option all[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"listen", required_argument, NULL, OPT_LISTEN},
		{"threads", required_argument, NULL, OPT_THREADS},
		{"access-log", required_argument, NULL, OPT_ACCESS_LOG},
		{"key", required_argument, NULL, OPT_KEY},
		{"trust-proxy", optional_argument, NULL, OPT_TRUST_PROXY},
		{"anchors", required_argument, NULL, OPT_ANCHORS},
		{"header-timeout", required_argument, NULL, OPT_HEADER_TIMEOUT},
		{"connections-per-address", required_argument, NULL, OPT_PER_ADDRESS},
		{"help", no_argument, NULL, OPT_HELP},
		{"to", required_argument, NULL, OPT_TO},
		{NULL, 0, NULL, 0},
	};
	o->db = default_db();
	opts_begin(1);
	int c;
	while ((c = getopt_long(argc, argv, ":h", all, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP)
			return print_usage(NULL);
		if (c == '?' || c == ':')
			return opt_error(c, argv);
		if (!(allowed & (1u << (c - OPT_DB))))
			return usage_error("option not accepted here:", argv[optind - 1]);
		switch (c) {
		case OPT_DB: o->db = optarg; break;
		case OPT_LISTEN: o->listen = optarg; break;
		case OPT_ACCESS_LOG: o->access_log = optarg; break;
		case OPT_KEY: o->key = optarg; break;
		case OPT_ANCHORS: o->anchors = optarg; break;
		case OPT_TRUST_PROXY: o->trust_proxy = optarg ? optarg : ""; break;
		case OPT_HEADER_TIMEOUT:
		case OPT_PER_ADDRESS: {
			int n;
			if (parse_int(optarg, 1, 3600, &n) < 0)
				return usage_error(
					c == OPT_PER_ADDRESS
						? "--connections-per-address wants 1 to 3600, not"
						: "--header-timeout wants 1 to 3600 seconds, not",
					optarg);
			*(c == OPT_PER_ADDRESS ? &o->per_address : &o->header_timeout) =
				(unsigned)n;
			break;
		}
		case OPT_TO: o->to = optarg; break;
		case OPT_THREADS: {
			int n;
			if (parse_int(optarg, 1, 256, &n) < 0)
				return usage_error("--threads wants 1 to 256, not", optarg);
			o->threads = (unsigned)n;
			break;
		}
		default: break;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	return -1;
}

#define A_DB (1u << (OPT_DB - OPT_DB))
#define A_LISTEN (1u << (OPT_LISTEN - OPT_DB))
#define A_THREADS (1u << (OPT_THREADS - OPT_DB))
#define A_ACCESS_LOG (1u << (OPT_ACCESS_LOG - OPT_DB))
#define A_KEY (1u << (OPT_KEY - OPT_DB))
#define A_TRUST_PROXY (1u << (OPT_TRUST_PROXY - OPT_DB))
#define A_ANCHORS (1u << (OPT_ANCHORS - OPT_DB))
#define A_HEADER_TIMEOUT (1u << (OPT_HEADER_TIMEOUT - OPT_DB))
#define A_PER_ADDRESS (1u << (OPT_PER_ADDRESS - OPT_DB))
#define A_TO (1u << (OPT_TO - OPT_DB))

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
static struct db *open_ready(const char *path, int *code)
{
	if (!db_location_is_postgres(path) && access(path, F_OK) != 0) {
		fprintf(stderr,
			"proxima: database %s does not exist; create it with "
			"'proxima init --db %s'\n",
			path, path);
		*code = EXIT_USAGE;
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

/* Opens the database as open_ready does, for a command that writes to the
 * access log: the log must carry its seal (model/audit.h), or entries
 * appended now would not verify. */
static struct db *open_sealed(const char *path, int *code)
{
	struct db *db = open_ready(path, code);
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
static int key_path(const char *db, const char *key, char *out, size_t cap)
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

/* Loads the key for nominative data (key_path). Returns 0, or EXIT_USAGE
 * with a one-line message. */
static int load_key(const char *db, const char *key)
{
	char path[4096], err[512];
	if (key_path(db, key, path, sizeof(path)) < 0)
		return EXIT_USAGE;
	key = path;
	if (vault_load(key, err, sizeof(err)) < 0) {
		fprintf(stderr, "proxima: %s\n", err);
		return EXIT_USAGE;
	}
	return 0;
}

/* The anchors file of a database (model/audit.h): --anchors, else
 * DB.anchors beside a SQLite file, else (PostgreSQL: no "beside") beside
 * the key file, whose ".key" becomes ".anchors" (so a copy served with the
 * same key keeps the same anchors). Writes the path into buf and returns
 * it, or NULL after a one-line message (a PostgreSQL key not named). */
static const char *anchors_path(const struct opts *o, char *buf, size_t cap)
{
	if (o->anchors)
		return o->anchors;
	if (!db_location_is_postgres(o->db)) {
		snprintf(buf, cap, "%s.anchors", o->db);
		return buf;
	}
	if (key_path(o->db, o->key, buf, cap) < 0)
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

static int cmd_serve(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv,
			    A_DB | A_KEY | A_LISTEN | A_THREADS | A_ACCESS_LOG | A_TRUST_PROXY |
				    A_HEADER_TIMEOUT | A_PER_ADDRESS | A_ANCHORS,
			    &o);
	if (rc >= 0)
		return rc;
	struct server_options so = {
		.listen = o.listen ? o.listen : app_cfg.listen,
		.threads = o.threads,
		.shutdown_grace_s = 10,
		.housekeep = app_housekeep,
		.housekeep_s = APP_HOUSEKEEP_S,
		.header_timeout_s = o.header_timeout,
		.per_address = o.per_address,
	};
	struct sockaddr_storage ss;
	unsigned sl;
	if (server_parse_listen(so.listen, &ss, &sl) < 0)
		return usage_error("bad --listen address (want ADDR:PORT)", so.listen);
	if (client_addr_trust_parse(o.trust_proxy, &so.trust) < 0)
		return usage_error("--trust-proxy wants addresses separated by commas, not",
				   o.trust_proxy);
	if (o.access_log && log_access_open(o.access_log) < 0) {
		fprintf(stderr, "proxima: cannot open access log %s: %s\n", o.access_log,
			strerror(errno));
		return EXIT_USAGE;
	}
	int code;
	struct db *db = open_sealed(o.db, &code);
	if (!db)
		return code;
	db_close(db);
	if ((code = load_key(o.db, o.key)) != 0)
		return code;
	app_cfg.db_path = o.db;
	db_thread_setup(o.db);
	char abuf[4096];
	struct daily_options dopt = {.db_path = o.db,
				     .anchors = anchors_path(&o, abuf, sizeof(abuf))};
	if (!dopt.anchors)
		return EXIT_USAGE;
	if (daily_start(&dopt) < 0)
		return 1;
	rc = server_run(&so);
	daily_stop();
	return rc == 0 ? 0 : 1;
}

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
static int seal_log(const char *path, const char *key, const char *purpose)
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
		rc = load_key(path, key) != 0 ? -1 : 0;
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
 * already there get their keys and the aggregates their key sums
 * (agg_reindex, one write unit). Every time, rows without their search text
 * get it (search_fill). Returns 0 (*done says whether anything was done), or -1
 * with the reason in err. */
static int after_migrations(struct db *db, int before, bool *done, char *err, size_t errcap)
{
	bool aggregates = before < AGG_SCHEMA_VERSION && migrate_latest() >= AGG_SCHEMA_VERSION;
	bool keys = before < CELLKEY_SCHEMA_VERSION && migrate_latest() >= CELLKEY_SCHEMA_VERSION;
	*done = before > 0 && (aggregates || keys);
	if (search_fill(db) < 0) {
		snprintf(err, errcap,
			 "cannot write the directory's search text; run 'proxima migrate' again");
		return -1;
	}
	if (!*done)
		return 0;
	if (agg_reindex(db) < 0) {
		snprintf(err, errcap,
			 "cannot build the activity aggregates and record keys; run 'proxima "
			 "migrate' again");
		return -1;
	}
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, A_DB | A_KEY, &o);
	if (rc >= 0)
		return rc;
	char keypath[4096];
	if (key_path(o.db, o.key, keypath, sizeof(keypath)) < 0)
		return EXIT_USAGE;
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
	    after_migrations(db, before, &rebuilt, err, sizeof(err)) < 0) {
		fprintf(stderr, "proxima: %s\n", err);
		db_close(db);
		return 1;
	}
	db_close(db);
	if (create_key(keypath) < 0 || seal_log(o.db, o.key, "init") < 0)
		return 1;
	if (applied)
		printf("proxima: initialised %s (schema version %d)\n", o.db, migrate_latest());
	else
		printf("proxima: %s is already initialised (schema version %d)\n", o.db,
		       migrate_latest());
	return 0;
}

static int cmd_migrate(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, A_DB | A_KEY, &o);
	if (rc >= 0)
		return rc;
	if (!db_location_is_postgres(o.db) && access(o.db, F_OK) != 0) {
		fprintf(stderr,
			"proxima: database %s does not exist; create it with "
			"'proxima init --db %s'\n",
			o.db, o.db);
		return EXIT_USAGE;
	}
	char err[512];
	struct db *db = db_open(o.db, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "proxima: %s\n", err);
		return 1;
	}
	int applied, before = 0;
	if (migrate_inspect(db, &before, err, sizeof(err)) == MIGRATE_EMPTY)
		before = 0;
	rc = migrate_apply(db, &applied, err, sizeof(err));
	bool rebuild = false;
	if (rc == 0)
		rc = after_migrations(db, before, &rebuild, err, sizeof(err));
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "proxima: %s\n", err);
		return 1;
	}
	printf("proxima: applied %d migration(s); schema version %d\n", applied, migrate_latest());
	if (rebuild)
		printf("proxima: activity aggregates and record keys built from the existing "
		       "records\n");
	return seal_log(o.db, o.key, "migration") < 0 ? 1 : 0;
}

/* A decimal number (the whole string) into *out. 0 or -1. */
static int parse_double(const char *str, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(str, &end);
	return (errno || end == str || *end) ? -1 : 0;
}

/* The province-scale part of proxima demo --scale F (model/demo_scale.h), for
 * the previous calendar year. 0 or 1. */
static int demo_scale(const char *dbpath, double factor)
{
	int code;
	struct db *db = open_ready(dbpath, &code);
	if (!db)
		return code;
	struct pdate today = ptime_local_date(ptime_now());
	struct demo_scale_result r;
	int rc = demo_scale_load(db, factor, today.year - 1, &r);
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "proxima: cannot load the province-scale demo into %s\n", dbpath);
		return 1;
	}
	printf("proxima: province (scale %g, year %d) loaded in %.1f s + aggregates %.1f s: "
	       "%lld territories, %lld organisations, %lld positions, %lld families, "
	       "%lld corridors, %lld activities, %lld referrals\n",
	       factor, today.year - 1, r.seconds_insert, r.seconds_aggregates,
	       (long long)r.territories, (long long)r.organisations, (long long)r.positions,
	       (long long)r.families, (long long)r.corridors, (long long)r.activities,
	       (long long)r.referrals);
	return 0;
}

/* proxima demo: a year of believable outreach work on seed 002's four
 * territories, generated as interchange records and loaded through the
 * import engine (src/demo/). Loading again updates by id, never duplicates.
 * With --jsonl FILE ('-': standard output) the records are only written. */
static int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},    {"key", required_argument, NULL, 'k'},
		{"jsonl", required_argument, NULL, 'j'}, {"scale", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	const char *dbpath = default_db(), *key = NULL, *jsonl = NULL;
	double scale = 0;
	opts_begin(1);
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'k': key = optarg; break;
		case 'j': jsonl = optarg; break;
		case 's':
			if (parse_double(optarg, &scale) < 0 || !(scale > 0 && scale <= 10))
				return usage_error("--scale must be a number in (0, 10]:", optarg);
			break;
		case 'h': return print_usage(NULL);
		default: return opt_error(c, argv);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	struct demo_options dopt = {
		.now = ptime_now(),
		.seed = DEMO_SEED,
		.scale = 1,
		.extras = DEMO_X_REASON | DEMO_X_FOLLOWER | DEMO_X_TEXT,
	};
	if (jsonl) {
		bool out = strcmp(jsonl, "-") == 0;
		FILE *f = out ? stdout : fopen(jsonl, "w");
		if (!f) {
			fprintf(stderr, "proxima: cannot write %s: %s\n", jsonl, strerror(errno));
			return EXIT_USAGE;
		}
		size_t counts[DEMO_KIND__COUNT];
		int rc = demo_write_file(&dopt, f, counts);
		if ((!out && fclose(f) != 0) || rc < 0) {
			fprintf(stderr, "proxima: cannot write %s\n", jsonl);
			return 1;
		}
		if (!out)
			printf("proxima: demo records written to %s (%zu activities)\n", jsonl,
			       counts[DEMO_ACTIVITY]);
		return 0;
	}
	int code;
	struct db *db = open_sealed(dbpath, &code);
	if (!db)
		return code;
	if ((code = load_key(dbpath, key)) != 0) {
		db_close(db);
		return code;
	}
	dopt.now = ptime_now(); /* in the zone of the instance's settings */
	struct demo_result res;
	char err[1024];
	int rc = demo_load(db, &dopt, &res, err, sizeof(err));
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "proxima: cannot load the demo into %s: %s\n", dbpath, err);
		return 1;
	}
	size_t total = 0;
	for (int k = 0; k < DEMO_KIND__COUNT; k++)
		total += res.counts[k];
	printf("proxima: demo loaded into %s in %.1f s: %zu records (", dbpath, res.seconds, total);
	for (int k = 0; k < DEMO_KIND__COUNT; k++)
		printf("%s%s %zu", k ? ", " : "", demo_kind_name((enum demo_kind)k), res.counts[k]);
	printf(")\n");
	if (res.already_loaded)
		printf("proxima: the demo was already there: %ld records updated by their id, "
		       "%ld added, nothing duplicated\n",
		       res.updated, res.inserted);
	if (scale > 0 && demo_scale(dbpath, scale) != 0)
		return 1;
	printf("Demo accounts (role, e-mail, password):\n");
	const struct demo_account *acc = demo_accounts();
	for (int i = 0; i < DEMO_ACCOUNT_COUNT; i++)
		printf("  %-13s %-33s %-22s %s, %s\n", acc[i].role, acc[i].email, acc[i].password,
		       acc[i].name, acc[i].what);
	return 0;
}

/* proxima export-activities: the activities as a spreadsheet (CSV or
 * XLSX), never nominative data (model/act_export.h). */
static int cmd_export_activities(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'},
		{"sep", required_argument, NULL, 's'},
		{"view", required_argument, NULL, 'v'},
		{"organisation", required_argument, NULL, 'g'},
		{"from", required_argument, NULL, 'a'},
		{"to", required_argument, NULL, 'b'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dbpath = default_db(), *out = NULL;
	struct act_export_options ao = {
		.format = ACT_EXPORT_CSV, .view = IX_VIEW_GESTIONNAIRE, .sep = ','};
	opts_begin(1);
	int c;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				ao.format = ACT_EXPORT_CSV;
			else if (strcmp(optarg, "xlsx") == 0)
				ao.format = ACT_EXPORT_XLSX;
			else
				return usage_error("unknown format (csv or xlsx):", optarg);
			break;
		case 's':
			if (strcmp(optarg, ",") != 0 && strcmp(optarg, ";") != 0 &&
			    strcmp(optarg, "\t") != 0)
				return usage_error("separator must be ',' ';' or '\\t':", optarg);
			ao.sep = optarg[0] == '\\' ? '\t' : optarg[0];
			break;
		case 'v':
			if (interchange_view_parse(optarg, &ao.view) < 0)
				return usage_error("unknown view", optarg);
			break;
		case 'g': ao.organisation = optarg; break;
		case 'a': ao.from = optarg; break;
		case 'b': ao.to = optarg; break;
		case 'o': out = optarg; break;
		case 'h': return print_usage(NULL);
		default: return opt_error(c, argv);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (!out)
		return usage_error("missing", "-o FILE");
	int code;
	struct db *db = open_ready(dbpath, &code);
	if (!db)
		return code;
	int64_t t0 = ptime_monotonic_us();
	struct act_export_result res;
	int rc = act_export_write(db, &ao, out, &res);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "proxima: export-activities: %s\n", res.reason);
		return rc > 0 ? EXIT_USAGE : 1;
	}
	printf("proxima: %lld activities written to %s in %.1f s\n", (long long)res.rows, out,
	       (double)(ptime_monotonic_us() - t0) / 1e6);
	return 0;
}

/* Opens copy's target, migrated to this binary's schema. NULL after a
 * one-line message. */
static struct db *open_target(const char *to)
{
	char err[512];
	struct db *db = db_open(to, DB_OPEN_CREATE, err, sizeof(err));
	int applied;
	if (!db || migrate_apply(db, &applied, err, sizeof(err)) < 0) {
		fprintf(stderr, "proxima: %s: %s\n", to, err);
		db_close(db);
		return NULL;
	}
	return db;
}

/* proxima copy --db SOURCE --to TARGET: a live SQLite deployment into a
 * new database (PostgreSQL), then its aggregates rebuilt and its access
 * log verified there. */
static int verify_anchored(struct db *db, const char *dbname, const char *apath);

static int cmd_copy(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, A_DB | A_TO | A_KEY | A_ANCHORS, &o);
	if (rc >= 0)
		return rc;
	if (!o.to)
		return usage_error("missing option", "--to");
	char kbuf[4096], abuf[4096];
	const char *apath = anchors_path(&o, abuf, sizeof(abuf));
	if (!apath || key_path(o.db, o.key, kbuf, sizeof(kbuf)) < 0)
		return EXIT_USAGE;
	int code;
	struct db *from = open_ready(o.db, &code);
	if (!from)
		return code;
	if ((code = load_key(o.db, o.key)) != 0) {
		db_close(from);
		return code;
	}
	struct db *to = open_target(o.to);
	if (!to) {
		db_close(from);
		return 1;
	}
	char err[1024];
	struct db_copy_stats st;
	int64_t t0 = ptime_monotonic_us();
	rc = db_copy(from, to, &st, err, sizeof(err));
	db_close(from);
	if (rc == 0 && agg_reindex(to) < 0) {
		snprintf(err, sizeof(err), "cannot rebuild the aggregates; run 'proxima reindex'");
		rc = -1;
	}
	if (rc < 0) {
		db_close(to);
		fprintf(stderr, "proxima: copy to %s failed: %s\n", o.to, err);
		return 1;
	}
	/* The copy's chain, under the same key, against the source's anchors. */
	code = verify_anchored(to, o.to, apath);
	db_close(to);
	if (code != 0) {
		fprintf(stderr, "proxima: copy to %s failed: its access log does not verify\n",
			o.to);
		return 1;
	}
	printf("proxima: copied %lld rows of %d tables in %.1f s; aggregates rebuilt; access log "
	       "verified. Serve the copy with the same key file and anchors (--key %s --anchors "
	       "%s).\n",
	       (long long)st.rows, st.tables, (double)(ptime_monotonic_us() - t0) / 1e6, kbuf,
	       apath);
	return 0;
}

/* proxima reindex: rebuilds the aggregate tables of the activity journal
 * from the activities, in one transaction (model/aggregate.h), after
 * giving a record key to any record without one (model/cellkey.h). */
static int cmd_reindex(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, A_DB, &o);
	if (rc >= 0)
		return rc;
	int code;
	struct db *db = open_ready(o.db, &code);
	if (!db)
		return code;
	int64_t t0 = ptime_monotonic_us();
	if (agg_reindex(db) < 0) {
		db_close(db);
		fprintf(stderr, "proxima: cannot rebuild the aggregates of %s\n", o.db);
		return 1;
	}
	db_close(db);
	printf("proxima: aggregates of %s rebuilt in %.1f s\n", o.db,
	       (double)(ptime_monotonic_us() - t0) / 1e6);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, 0, &o);
	if (rc >= 0)
		return rc;
	printf("proxima %s (schema %d; sqlite %s; libmicrohttpd %s; libsodium %s)\n",
	       PROXIMA_VERSION, migrate_latest(), db_engine_version(DB_ENGINE_SQLITE),
	       MHD_get_version(), sodium_version_string());
	return 0;
}

static int cmd_test_http(int argc, char **argv)
{
	struct opts o = {0};
	int rc = parse_opts(argc, argv, A_DB | A_KEY, &o);
	if (rc >= 0)
		return rc;
	int code;
	struct db *db = open_sealed(o.db, &code);
	if (!db)
		return code;
	db_close(db);
	if ((code = load_key(o.db, o.key)) != 0)
		return code;
	log_access_open("off");
	db_thread_setup(o.db);
	rc = test_http_run(0, 1);
	db_thread_close_all();
	return rc == 0 ? 0 : 1;
}

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

/* proxima user add|passwd|list */
static int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"email", required_argument, NULL, 'e'},
		{"name", required_argument, NULL, 'n'},
		{"role", required_argument, NULL, 'r'},
		{"organisation", required_argument, NULL, 'o'},
		{"territory", required_argument, NULL, 't'},
		{"id", required_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const actions[] = {"add", "passwd", "list", NULL};
	int code;
	const char *action = read_action(argc, argv, "user add|passwd|list", actions, &code);
	if (!action)
		return code;
	struct person p = {0};
	const char *dbpath = default_db(), *role = NULL;
	opts_begin(2);
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'e': p.email = optarg; break;
		case 'n': p.name = optarg; break;
		case 'r': role = optarg; break;
		case 'o': p.organisation = optarg; break;
		case 't': p.territory = optarg; break;
		case 'i': p.ext_id = optarg; break;
		case 'h': return print_usage("user add|passwd|list");
		default: return opt_error(c, argv);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (strcmp(action, "list") != 0 && !p.email)
		return usage_error("missing option", "--email");
	if (strcmp(action, "add") == 0) {
		if (!p.name)
			return usage_error("missing option", "--name");
		if (!role)
			return usage_error("missing option", "--role");
		p.role = role_parse(role);
		if (p.role == ROLE_NONE)
			return usage_error(
				"--role must be pap, gestionnaire, comite, analyste or admin, not",
				role);
	}
	struct db *db = open_ready(dbpath, &code);
	if (!db)
		return code;
	struct arena *a = arena_new(4096);
	int rc = 0;
	if (strcmp(action, "list") == 0) {
		struct person *v;
		size_t n;
		if (person_list(db, a, &v, &n) < 0) {
			rc = 1;
		} else {
			printf("%-28s %-12s %-12s %-10s %s\n", "EMAIL", "ROLE", "ORGANISATION",
			       "TERRITORY", "NAME");
			for (size_t i = 0; i < n; i++)
				printf("%-28s %-12s %-12s %-10s %s%s\n",
				       v[i].email ? v[i].email : "-", role_code(v[i].role),
				       v[i].organisation ? v[i].organisation : "-",
				       v[i].territory ? v[i].territory : "-", v[i].name,
				       v[i].password_hash ? "" : " (no password)");
		}
	} else {
		char pw[PASSWORD_MAX_LEN + 1], hash[PASSWORD_HASH_LEN];
		struct person existing;
		int found = strcmp(action, "passwd") == 0
				    ? person_find_by_email(db, a, p.email, &existing)
				    : 0;
		if (found != 0) {
			fprintf(stderr, "proxima: no account with the e-mail %s\n", p.email);
			rc = 1;
		} else if (read_password(pw, sizeof(pw)) < 0 || password_hash(pw, hash) < 0) {
			rc = 1;
		} else if (strcmp(action, "add") == 0) {
			struct validation v = {0};
			int64_t id;
			p.password_hash = hash;
			int r = person_create(db, &p, &id, &v);
			if (r != 0) {
				fprintf(stderr, "proxima: cannot add the account:%s\n",
					r < 0 ? " database error" : "");
				for (size_t i = 0; i < v.n; i++)
					fprintf(stderr, "  %s: %s\n", v.errs[i].field,
						i18n_tr("en", v.errs[i].message));
				rc = 1;
			} else {
				printf("proxima: account %s created (role %s)\n", p.email,
				       role_code(p.role));
			}
		} else if (person_set_password(db, existing.id, hash) != 0) {
			fprintf(stderr, "proxima: cannot change the password\n");
			rc = 1;
		} else {
			printf("proxima: password of %s changed\n", p.email);
		}
		sodium_memzero(pw, sizeof(pw));
	}
	arena_free(a);
	db_close(db);
	return rc;
}

/* proxima token create|revoke|list: bearer tokens for the API. The token
 * is printed once on standard output; the database keeps only its hash. */
static int cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},   {"email", required_argument, NULL, 'e'},
		{"name", required_argument, NULL, 'n'}, {"id", required_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
	};
	static const char *const actions[] = {"create", "revoke", "list", NULL};
	int code;
	const char *action = read_action(argc, argv, "token create|revoke|list", actions, &code);
	if (!action)
		return code;
	const char *dbpath = default_db(), *email = NULL, *name = "api", *idarg = NULL;
	opts_begin(2);
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'e': email = optarg; break;
		case 'n': name = optarg; break;
		case 'i': idarg = optarg; break;
		case 'h': return print_usage("token create|revoke|list");
		default: return opt_error(c, argv);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	int64_t id = 0;
	if (strcmp(action, "create") == 0 && !email)
		return usage_error("missing option", "--email");
	if (strcmp(action, "revoke") == 0 && (!idarg || parse_i64(idarg, 1, INT64_MAX, &id) < 0))
		return usage_error("--id wants a token number, not", idarg ? idarg : "nothing");
	struct db *db = open_ready(dbpath, &code);
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
static int cmd_settings(int argc, char **argv)
{
	static const char *const actions[] = {"list", "get", "set", "reset", NULL};
	static const char *synopsis = "settings list|get KEY|set KEY VALUE|reset KEY";
	int code;
	const char *action = read_action(argc, argv, synopsis, actions, &code);
	if (!action)
		return code;
	int want = strcmp(action, "list") == 0 ? 0 : strcmp(action, "set") == 0 ? 2 : 1;
	const char *dbpath = default_db(), *args[2] = {NULL, NULL};
	int nargs = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			dbpath = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			dbpath = argv[i] + 5;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return print_usage(synopsis);
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return usage_error("unknown option", argv[i]);
		else if (nargs < want)
			args[nargs++] = argv[i];
		else
			return usage_error("unexpected argument", argv[i]);
	}
	if (nargs < want)
		return usage_error("missing", want - nargs == 2 || nargs == 0 ? "KEY" : "VALUE");
	const struct setting_def *d = want ? settings_find(args[0]) : NULL;
	if (want && !d) {
		fprintf(stderr,
			"proxima settings: no setting named '%s' (see 'proxima settings "
			"list')\n",
			args[0]);
		return 1;
	}
	struct db *db = open_ready(dbpath, &code);
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

/* Options of import and export: --db, --key, --view (export only) and one
 * FILE ('-' = standard input/output). Returns -1 to continue, or an exit
 * code. */
static int parse_ix_opts(int argc, char **argv, bool with_view, struct opts *o, const char **view,
			 const char **file)
{
	static const struct option all[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"key", required_argument, NULL, OPT_KEY},
		{"view", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	o->db = default_db();
	opts_begin(1);
	int c;
	while ((c = getopt_long(argc, argv, ":h", all, NULL)) != -1) {
		switch (c) {
		case OPT_DB: o->db = optarg; break;
		case OPT_KEY: o->key = optarg; break;
		case 'v':
			if (!with_view)
				return usage_error("option not accepted here:", argv[optind - 1]);
			*view = optarg;
			break;
		case 'h':
		case OPT_HELP: return print_usage(NULL);
		default: return opt_error(c, argv);
		}
	}
	if (optind >= argc)
		return usage_error("missing argument", "FILE");
	if (optind + 1 < argc)
		return usage_error("unexpected argument", argv[optind + 1]);
	*file = argv[optind];
	return -1;
}

/* The key for nominative details: --key (required to load), else DB.key
 * when it exists; without one, nominative details are refused later. */
static int load_key_if_any(const struct opts *o)
{
	char path[4096];
	if (!o->key && !getenv("PROXIMA_KEY_FILE") && db_location_is_postgres(o->db))
		return 0;
	if (key_path(o->db, o->key, path, sizeof(path)) < 0 || access(path, F_OK) != 0)
		return 0;
	return load_key(o->db, path);
}

/* The progress line of a long import on a terminal (stderr), at most
 * twice a second: records, rate, and with the file's size an ETA. */
struct import_watch {
	int64_t started_us, last_us;
	int64_t size; /* bytes of the input file, 0 when unknown (a pipe) */
	bool shown;
};

static void import_progress(void *ctx, long records, int64_t bytes, const char *stage)
{
	struct import_watch *w = ctx;
	int64_t now = ptime_monotonic_us();
	if (!stage && now - w->last_us < 500000)
		return;
	w->last_us = now;
	w->shown = true;
	double secs = (double)(now - w->started_us) / 1e6;
	double rate = secs > 0 ? (double)records / secs : 0;
	if (stage) {
		fprintf(stderr, "\r\033[K%ld records, %.0f/s; rebuilding the %s…", records, rate,
			stage);
	} else if (w->size > 0 && bytes > 0) {
		double eta = secs * (double)(w->size - bytes) / (double)bytes;
		fprintf(stderr, "\r\033[K%ld records, %.0f/s, %.0f %%, about %.0f s left", records,
			rate, 100.0 * (double)bytes / (double)w->size, eta > 0 ? eta : 0);
	} else {
		fprintf(stderr, "\r\033[K%ld records, %.0f/s", records, rate);
	}
	fflush(stderr);
}

/* proxima import [--db PATH] [--key PATH] FILE */
static int cmd_import(int argc, char **argv)
{
	struct opts o = {0};
	const char *view = NULL, *file = NULL;
	int code = parse_ix_opts(argc, argv, false, &o, &view, &file);
	if (code >= 0)
		return code;
	bool std = strcmp(file, "-") == 0;
	FILE *in = std ? stdin : fopen(file, "r");
	if (!in) {
		fprintf(stderr, "proxima: import: cannot open %s: %s\n", file, strerror(errno));
		return EXIT_USAGE;
	}
	/* A bulk load: no global memory statistics (one mutex per malloc). */
	db_global_init();
	struct db *db = open_sealed(o.db, &code);
	if (db && (code = load_key_if_any(&o)) == 0) {
		struct import_result res;
		struct import_watch w = {.started_us = ptime_monotonic_us()};
		struct stat sb;
		if (!std && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
			w.size = (int64_t)sb.st_size;
		struct import_options opt = {.progress = import_progress, .ctx = &w};
		int rc = interchange_import_with(db, in, isatty(STDERR_FILENO) ? &opt : NULL, &res);
		if (w.shown)
			fprintf(stderr, "\n");
		if (rc == 0) {
			printf("proxima: imported %ld records from %s (%ld new, %ld updated)\n",
			       res.records, std ? "standard input" : file, res.inserted,
			       res.updated);
		} else {
			char msg[768];
			import_error_format(&res, msg, sizeof(msg));
			fprintf(stderr, "proxima: import: %s\n", msg);
			code = 1;
		}
	}
	db_close(db);
	if (!std)
		fclose(in);
	return code;
}

/* proxima export [--db PATH] [--key PATH] [--view V] FILE */
static int cmd_export(int argc, char **argv)
{
	struct opts o = {0};
	const char *view = "comite", *file = NULL;
	int code = parse_ix_opts(argc, argv, true, &o, &view, &file);
	if (code >= 0)
		return code;
	enum ix_view v;
	if (interchange_view_parse(view, &v) < 0)
		return usage_error(
			"--view must be admin, complet, gestionnaire, comite or analyste, not",
			view);
	struct db *db = open_sealed(o.db, &code);
	if (!db)
		return code;
	if (v == IX_VIEW_ADMIN && (code = load_key_if_any(&o)) != 0) {
		db_close(db);
		return code;
	}
	bool std = strcmp(file, "-") == 0;
	/* Created private: an admin export holds nominative details. */
	int fd = std ? -1 : open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *out = std ? stdout : fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		fprintf(stderr, "proxima: export: cannot create %s: %s\n", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		db_close(db);
		return EXIT_USAGE;
	}
	struct export_result res;
	int rc = interchange_export(db, v, out, &res);
	if (!std && fclose(out) != 0 && rc == 0) {
		rc = -1;
		snprintf(res.reason, sizeof(res.reason), "cannot write %s", file);
	}
	db_close(db);
	if (rc < 0) {
		fprintf(stderr, "proxima: export: %s\n", res.reason);
		if (!std)
			unlink(file);
		return 1;
	}
	fprintf(std ? stderr : stdout,
		"proxima: exported %ld records (view %s, %ld with nominative details) to %s\n",
		res.records, view, res.nominative, std ? "standard output" : file);
	return 0;
}

/* Prints the outcome of a verification (and appends the head to the
 * anchors when intact). Returns the exit code. */
static int audit_report(const char *db, const char *apath, const struct audit_check *c)
{
	char hex[AUDIT_HEAD_HEX];
	if (c->verdict != AUDIT_INTACT) {
		fprintf(stderr, "proxima: access log of %s is NOT intact: %s", db,
			audit_verdict_text(c->verdict));
		if (c->bad_id)
			fprintf(stderr, " (entry %lld)", (long long)c->bad_id);
		fprintf(stderr, "\n");
		return 1;
	}
	struct audit_anchor a = {.at = ptime_now(), .id = c->last_id};
	memcpy(a.head, c->head, AUDIT_HASH_LEN);
	if (audit_anchor_append(apath, &a) < 0) {
		fprintf(stderr, "proxima: cannot append to the anchors %s: %s\n", apath,
			strerror(errno));
		return 1;
	}
	printf("proxima: access log intact: %lld entries (%lld before the seal), %zu anchors "
	       "checked; head %s at entry %lld\n"
	       "proxima: head appended to %s (keep a copy elsewhere: anchors prove that no "
	       "entry was removed from the end)\n",
	       (long long)c->count, (long long)c->before, c->anchors, audit_head_hex(c->head, hex),
	       (long long)c->last_id, apath);
	return 0;
}

/* Verifies the access log of db (named dbname) against the anchors of
 * apath and reports (audit_report). Returns the exit code. */
static int verify_anchored(struct db *db, const char *dbname, const char *apath)
{
	char err[512];
	struct arena *ar = arena_new(1 << 16);
	struct audit_anchor *anchors;
	size_t n;
	struct audit_check c;
	int code = 1;
	if (audit_anchor_read(apath, ar, &anchors, &n, err, sizeof(err)) < 0)
		fprintf(stderr, "proxima: %s\n", err);
	else if (audit_verify(db, anchors, n, &c) < 0)
		fprintf(stderr, "proxima: cannot read the access log of %s\n", dbname);
	else
		code = audit_report(dbname, apath, &c);
	arena_free(ar);
	return code;
}

/* proxima audit verify: recomputes the access log's keyed chain, checks it
 * against the anchors, prints the head and, when intact, appends it to the
 * anchors. */
static int cmd_audit(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			return print_usage("audit verify");
		return usage_error("unknown or missing action (want 'verify')",
				   argc >= 2 ? argv[1] : "");
	}
	struct opts o = {0};
	int rc = parse_opts(argc - 1, argv + 1, A_DB | A_KEY | A_ANCHORS, &o);
	if (rc >= 0)
		return rc;
	int code;
	struct db *db = open_ready(o.db, &code);
	if (!db)
		return code;
	if ((code = load_key(o.db, o.key)) != 0) {
		db_close(db);
		return code;
	}
	char pbuf[4096];
	const char *apath = anchors_path(&o, pbuf, sizeof(pbuf));
	code = apath ? verify_anchored(db, o.db, apath) : EXIT_USAGE;
	db_close(db);
	return code;
}

/* Prints one file of a retention run: what was (or would be) done. */
static void print_retention_item(const struct retention_item *it, bool dry_run)
{
	printf("  family %lld (%s), closed %s, due %s after %d months: %s; %s %lld activity "
	       "note(s), %lld story text(s), %lld referral(s), %lld reason(s)\n",
	       (long long)it->family_id, it->organisation_name, it->closed, it->due, it->months,
	       !it->nominative ? "no nominative details"
	       : dry_run       ? "nominative details to destroy"
			       : "nominative details destroyed",
	       dry_run ? "to erase:" : "erased:", (long long)it->notes, (long long)it->stories,
	       (long long)it->referrals, (long long)it->reasons);
}

/* proxima retention run [--dry-run]: anonymises the closed files past
 * their organisation's retention period (model/retention.h). */
static int cmd_retention(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		{"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const acts[] = {"run", NULL};
	int code;
	if (!read_action(argc, argv, "retention run", acts, &code))
		return code;
	const char *dbpath = default_db(), *key = NULL;
	bool dry_run = false;
	opts_begin(2);
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'k': key = optarg; break;
		case 'n': dry_run = true; break;
		case 'h': return print_usage("retention run");
		default: return opt_error(c, argv);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	struct db *db = open_sealed(dbpath, &code);
	if (!db)
		return code;
	if (!dry_run && (code = load_key(dbpath, key)) != 0) {
		db_close(db);
		return code;
	}
	struct arena *ar = arena_new(1 << 16);
	struct retention_result res;
	int rc = retention_run(db, ar, ptime_now(), dry_run, &res);
	db_close(db);
	if (rc < 0) {
		arena_free(ar);
		fprintf(stderr, "proxima: cannot read the closed files of %s\n", dbpath);
		return 1;
	}
	for (size_t i = 0; i < res.n; i++)
		print_retention_item(&res.items[i], dry_run);
	if (dry_run)
		printf("proxima: dry run: %zu file(s) due; nothing was changed\n", res.n);
	else
		printf("proxima: %zu file(s) anonymised and entered in the register (%zu due, %zu "
		       "failed)\n",
		       res.done, res.n, res.failed);
	arena_free(ar);
	return res.failed ? 1 : 0;
}

/* proxima report: the indicator engine (src/reports/cli.c). */
static int cmd_report(int argc, char **argv)
{
	return report_cli_run(argc, argv, open_ready);
}

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{"serve", "serve the web application and the API",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db\n"
	 "                        or $PROXIMA_DB)\n"
	 "  --listen ADDR:PORT    address to listen on (default 127.0.0.1:8080; port 0 = any)\n"
	 "  --threads N           server threads (default: one per core)\n"
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
	 cmd_serve},
	{"init", "create the database and the key file, apply migrations",
	 "  --db DB               SQLite file to create, or PostgreSQL URL of an empty database\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n",
	 cmd_init},
	{"migrate", "apply pending schema migrations",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key PATH            key file (default DB.key), to seal the access log\n",
	 cmd_migrate},
	{"demo", "load demonstration data (a year of outreach work on territories A-D)",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key FILE            key for nominative details (default PATH.key)\n"
	 "  --jsonl FILE          only write the demo records as JSON Lines ('-': stdout)\n"
	 "  --scale F             also a province for last year: F x (10,000 positions, 10 M\n"
	 "                        activities, 500,000 referrals), 128 territories in 16 regions\n",
	 cmd_demo},
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
	 cmd_copy},
	{"reindex", "rebuild the aggregate tables of the activity journal (one transaction)",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n",
	 cmd_reindex},
	{"user", "manage accounts: add, passwd, list",
	 "  proxima user add --email E --name N --role R [--organisation ORG] [--territory T] "
	 "[--id ID]\n"
	 "  proxima user passwd --email E\n"
	 "  proxima user list\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "The password is read from standard input (asked twice on a terminal).\n"
	 "Roles: pap, gestionnaire, comite, analyste, admin. ORG and T are import ids.\n",
	 cmd_user},
	{"token", "manage API bearer tokens: create, revoke, list",
	 "  proxima token create --email E [--name N]   prints the token (shown once)\n"
	 "  proxima token revoke --id N\n"
	 "  proxima token list\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n",
	 cmd_token},
	{"settings", "list, read and change the instance settings (typed, with ranges)",
	 "  proxima settings list             every setting: value, default, range, meaning\n"
	 "  proxima settings get KEY          the value in force\n"
	 "  proxima settings set KEY VALUE    refused (exit 1) outside the setting's range\n"
	 "  proxima settings reset KEY        back to the default\n"
	 "  --db PATH             database (default ./var/proxima.db)\n",
	 cmd_settings},
	{"import", "import records from a JSON Lines file (interchange format)",
	 "  proxima import [--db PATH] [--key PATH] FILE      (FILE '-' = standard input)\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n"
	 "One transaction: on any invalid line nothing is written.\n",
	 cmd_import},
	{"export", "export records as JSON Lines (interchange format)",
	 "  proxima export [--db PATH] [--key PATH] [--view V] FILE  (FILE '-' = standard output)\n"
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n"
	 "  --view V              admin|complet (everything, nominative details decrypted and\n"
	 "                        logged), gestionnaire (no nominative details, no e-mails),\n"
	 "                        comite|analyste (shared structure only; default comite)\n",
	 cmd_export},
	{"export-activities", "export activities as a spreadsheet (CSV or XLSX), never nominative",
	 "  proxima export-activities [--db PATH] [--format csv|xlsx] [--sep ';'] [--view V]\n"
	 "                            [--organisation ORG] [--from DATE] [--to DATE] -o FILE\n"
	 "  --format F            csv (UTF-8 with BOM, default) or xlsx\n"
	 "  --sep S               CSV separator: ',' (default), ';' (Excel in French) or '\\t'\n"
	 "  --view V              admin|complet|gestionnaire (default); comite|analyste refused\n"
	 "                        (they see no single activity)\n"
	 "  --organisation ORG    only this organisation (import id)\n"
	 "No note and no family code is ever written; deleted activities are left out.\n",
	 cmd_export_activities},
	{"report", "compute the indicator report (json, csv, html, xlsx, pdf)", REPORT_CLI_USAGE,
	 cmd_report},
	{"audit", "verify the access log of nominative data (keyed hash chain, anchors)",
	 "  proxima audit verify [--db PATH] [--key PATH] [--anchors PATH]\n"
	 "  --key PATH            key file (default DB.key): the chain is keyed with it\n"
	 "  --anchors PATH        anchors kept outside the database (default DB.anchors)\n"
	 "Exit status 0 when every entry and anchor verifies (the head is then appended to\n"
	 "the anchors), 1 when an entry was changed, removed or the log emptied.\n",
	 cmd_audit},
	{"retention", "anonymise closed family files past their retention period",
	 "  proxima retention run [--db PATH] [--key PATH] [--dry-run]\n"
	 "  --dry-run             list what would be done; change nothing\n"
	 "Each closed file past its organisation's period (months after closing) loses its\n"
	 "nominative details and its free texts; the rest is anonymised, the statistics stay.\n"
	 "Each file goes to the register of anonymisation. 'proxima serve' runs it daily.\n",
	 cmd_retention},
	{"version", "print the version", "", cmd_version},
	{"test-http", "read one raw HTTP request on stdin, write the response on stdout",
	 "  --db DB               SQLite file or PostgreSQL URL (default ./var/proxima.db)\n"
	 "  --key PATH            key file for nominative data (default DB.key; PostgreSQL:\n"
	 "                        required, or $PROXIMA_KEY_FILE)\n",
	 cmd_test_http},
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

int main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		return cmd_help(0, NULL);
	if (strcmp(name, "--version") == 0)
		name = "version";
	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		current = &commands[i];
		if (sodium_init() < 0) {
			fprintf(stderr, "proxima: cannot initialise libsodium\n");
			return 1;
		}
		char err[256];
		if (i18n_init() < 0 || migrate_validate_embedded(err, sizeof(err)) < 0) {
			fprintf(stderr, "proxima: broken build: embedded files are invalid\n");
			return 1;
		}
		ptime_set_zone(PTIME_DEFAULT_ZONE);
		static_init();
		return commands[i].run(argc - 1, argv + 1);
	}
	fprintf(stderr, "proxima: unknown command '%s' (see 'proxima --help')\n", name);
	return EXIT_USAGE;
}
