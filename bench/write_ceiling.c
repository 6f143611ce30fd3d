/* The ceiling of durable journal writes (bench/writes.sh, docs/performance.md
 * "Journal writes"): what POST /api/v1/activities could reach if HTTP, JSON
 * and authentication cost nothing.
 *
 *   write_ceiling [--seconds S] [--threads N] [--readback] [--batch K]
 *                 [--pragma NAME=VALUE] DB EMAIL
 *   write_ceiling --disk [--seconds S] DIR
 *
 * Each thread opens its own connection with db_open (the server's settings:
 * WAL, synchronous=FULL, foreign keys, busy timeout) and, for S seconds
 * (default 10), does what the API does for each request, one activity per
 * transaction: db_begin (the process's write mutex, then BEGIN IMMEDIATE),
 * activity_validate, activity_save, db_commit. The activity is the one
 * bench/post_activity.lua sends: today's date, type contact_informel, place
 * parc, a duration, adults and children 0-5, needs [isolement], authored by
 * EMAIL (its organisation and territory), with the duration and the counts
 * varying from one write to the next.
 *
 * Analysis options, off by default (then it is not the API's path any more):
 * --readback adds what the API also does inside the transaction before
 * answering: activity_get (the row and its lists, re-read as the actor sees
 * it). --batch K puts K activities in each transaction (what group commit
 * would do: one fsync for K writes). --pragma NAME=VALUE runs PRAGMA
 * NAME=VALUE on each connection after db_open (e.g. synchronous=NORMAL: no
 * fsync at commit in WAL mode, so the CPU cost alone, not durable on power
 * loss; or mmap_size=N).
 *
 * --disk measures instead the raw rate of pwrite + fdatasync on a scratch
 * file in DIR, with 4 KiB blocks and with 44 KiB blocks (what one commit of
 * the above appends to the WAL: 11 frames of 4 KiB), overwriting a 4 MiB
 * file in a cycle as SQLite overwrites the WAL after a checkpoint: the bound
 * that one fsync per commit puts on any of the above, S seconds (at most 2)
 * per block size.
 *
 * Prints one line per measurement ("ceiling ..." or "disk ..."), key=value;
 * runq_ms is the time the writer threads spent ready to run but waiting for
 * a CPU (/proc/thread-self/schedstat): near 0 unless other processes took
 * the CPUs. The ceiling checks that the activity table grew by exactly the number of
 * activities committed. Exit status: 0, 1 on failure, 2 on usage errors. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/activity.h"
#include "model/actor.h"
#include "model/person.h"
#include "model/validation.h"

struct worker {
	pthread_t thread;
	const char *path;
	struct person who;
	const char *date;
	int index;
	int64_t until_us; /* CLOCK_MONOTONIC deadline */
	bool readback;
	int batch;          /* activities per transaction */
	const char *pragma; /* NAME=VALUE run after db_open, or NULL */
	/* results */
	long writes; /* activities committed */
	long commits;
	long failures;
	int64_t runq_ns;  /* waiting for a CPU while measuring */
	uint32_t *lat_us; /* one per commit: db_begin to db_commit returned */
	size_t nlat, caplat;
	char error[600];
};

static pthread_barrier_t start_line;

/* Nanoseconds this thread has spent on a run queue waiting for a CPU, or 0
 * if the kernel does not say. */
static int64_t run_delay_ns(void)
{
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	long long run = 0, wait = 0;
	if (!f)
		return 0;
	if (fscanf(f, "%lld %lld", &run, &wait) != 2)
		wait = 0;
	fclose(f);
	return wait;
}

static void record(struct worker *w, int64_t us)
{
	if (w->nlat == w->caplat) {
		size_t cap = w->caplat ? 2 * w->caplat : 65536;
		uint32_t *v = realloc(w->lat_us, cap * sizeof(*v));
		if (!v) {
			fprintf(stderr, "write_ceiling: out of memory\n");
			exit(1);
		}
		w->lat_us = v;
		w->caplat = cap;
	}
	w->lat_us[w->nlat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	char err[512];
	struct db *db = db_open(w->path, DB_OPEN_EXISTING, err, sizeof(err));
	struct arena *ar = arena_new(8192);
	const char *needs[] = {"isolement"};
	struct actor actor = {
		.person_id = w->who.id,
		.role = w->who.role,
		.organisation_id = w->who.organisation_id,
		.territory_id = w->who.territory_id,
	};
	if (!db) {
		snprintf(w->error, sizeof(w->error), "%s", err);
	} else if (w->pragma) {
		char sql[256];
		snprintf(sql, sizeof(sql), "PRAGMA %s", w->pragma);
		if (db_exec_script(db, sql, NULL, 0) < 0)
			snprintf(w->error, sizeof(w->error), "%s failed", sql);
	}
	pthread_barrier_wait(&start_line);
	if (!db)
		return NULL;
	if (!w->until_us) /* another thread failed to open */
		goto out;
	long i = 0;
	int64_t runq0 = run_delay_ns();
	while (ptime_monotonic_us() < w->until_us) {
		arena_reset(ar);
		int64_t t0 = ptime_monotonic_us();
		if (db_begin(db) < 0) {
			w->failures++;
			continue;
		}
		int b;
		for (b = 0; b < w->batch; b++, i++) {
			long k = i * 2 + w->index; /* vary like post_activity.lua does */
			struct activity a = {
				.author_id = w->who.id,
				.organisation_id = w->who.organisation_id,
				.territory_id = w->who.territory_id,
				.date = w->date,
				.duration_min = 5 + (int)(k % 116),
				.type = "contact_informel",
				.place = "parc",
				.adults = 1 + (int)(k % 5),
				.children_0_5 = (int)(k % 3),
				.needs = {needs, 1},
			};
			struct validation v = {0};
			if (activity_validate(db, &a, &v) < 0) {
				snprintf(w->error, sizeof(w->error), "activity_validate: %s: %s",
					 v.n ? v.errs[0].field : "?",
					 v.n ? v.errs[0].message : "database error");
				break;
			}
			if (activity_save(db, ar, &a) < 0) {
				snprintf(w->error, sizeof(w->error), "activity_save failed");
				break;
			}
			struct activity x;
			if (w->readback && activity_get(db, ar, &actor, a.id, &x) != 0) {
				snprintf(w->error, sizeof(w->error), "activity_get failed");
				break;
			}
		}
		if (b < w->batch) {
			db_rollback(db);
			break;
		}
		if (db_commit(db) < 0) {
			w->failures++;
			continue;
		}
		record(w, ptime_monotonic_us() - t0);
		w->writes += w->batch;
		w->commits++;
	}
	w->runq_ns = run_delay_ns() - runq0;
out:
	arena_free(ar);
	db_close(db);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int64_t count_rows(const char *path)
{
	char err[512];
	struct db *db = db_open(path, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "write_ceiling: %s\n", err);
		return -1;
	}
	struct db_stmt *s = NULL;
	int64_t n = -1;
	if ((s = db_query(db, "SELECT count(*) FROM activity")) && db_step(s) == DB_ROW)
		n = db_col_int64(s, 0);
	db_query_free(s);
	db_close(db);
	return n;
}

/* One measurement: threads writers for secs seconds. 0 or -1. */
static int measure(const char *path, const struct person *who, int threads, double secs,
		   bool readback, int batch, const char *pragma)
{
	struct pdate today = ptime_local_date(ptime_now());
	char date[11];
	ptime_format_date(&today, date);
	int64_t before = count_rows(path);
	if (before < 0)
		return -1;
	struct worker *ws = calloc((size_t)threads, sizeof(*ws));
	if (!ws)
		return -1;
	pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1);
	for (int i = 0; i < threads; i++) {
		ws[i] = (struct worker){.path = path,
					.who = *who,
					.date = date,
					.index = i,
					.readback = readback,
					.batch = batch,
					.pragma = pragma};
		if (pthread_create(&ws[i].thread, NULL, run, &ws[i]) != 0) {
			fprintf(stderr, "write_ceiling: cannot create a thread\n");
			exit(1);
		}
	}
	/* Every connection is open: start the clock (unless one failed). */
	bool opened = true;
	for (int i = 0; i < threads; i++)
		opened = opened && !ws[i].error[0];
	int64_t t0 = ptime_monotonic_us();
	int64_t until = opened ? t0 + (int64_t)(secs * 1e6) : 0;
	for (int i = 0; i < threads; i++)
		ws[i].until_us = until;
	pthread_barrier_wait(&start_line);
	long writes = 0, commits = 0, failures = 0;
	int64_t runq_ns = 0;
	size_t nlat = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(ws[i].thread, NULL);
		writes += ws[i].writes;
		commits += ws[i].commits;
		runq_ns += ws[i].runq_ns;
		failures += ws[i].failures;
		nlat += ws[i].nlat;
	}
	double elapsed = (double)(ptime_monotonic_us() - t0) / 1e6;
	pthread_barrier_destroy(&start_line);
	int rc = 0;
	for (int i = 0; i < threads; i++)
		if (ws[i].error[0]) {
			fprintf(stderr, "write_ceiling: thread %d: %s\n", i, ws[i].error);
			rc = -1;
		}
	uint32_t *lat = malloc((nlat ? nlat : 1) * sizeof(*lat));
	if (!lat) {
		fprintf(stderr, "write_ceiling: out of memory\n");
		exit(1);
	}
	size_t k = 0;
	for (int i = 0; i < threads; i++) {
		if (ws[i].nlat)
			memcpy(lat + k, ws[i].lat_us, ws[i].nlat * sizeof(*lat));
		k += ws[i].nlat;
		free(ws[i].lat_us);
	}
	qsort(lat, nlat, sizeof(*lat), cmp_u32);
	double p50 = nlat ? lat[(nlat - 1) * 50 / 100] / 1000.0 : 0;
	double p99 = nlat ? lat[(nlat - 1) * 99 / 100] / 1000.0 : 0;
	double pmax = nlat ? lat[nlat - 1] / 1000.0 : 0;
	free(lat);
	free(ws);
	int64_t after = count_rows(path);
	printf("ceiling threads=%d readback=%s batch=%d pragma=%s writes=%ld commits=%ld "
	       "seconds=%.2f writes_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f failures=%ld "
	       "rows_added=%lld runq_ms=%lld\n",
	       threads, readback ? "yes" : "no", batch, pragma ? pragma : "-", writes, commits,
	       elapsed, writes / elapsed, p50, p99, pmax, failures, (long long)(after - before),
	       (long long)(runq_ns / 1000000));
	fflush(stdout);
	if (after - before != writes) {
		fprintf(stderr,
			"write_ceiling: %ld activities committed but the table grew by %lld rows\n",
			writes, (long long)(after - before));
		rc = -1;
	}
	return rc;
}

/* pwrite + fdatasync of block-byte blocks on a scratch file in dir for secs
 * seconds, overwriting a preallocated 4 MiB file in a cycle. Returns the
 * rate, or -1. */
static double disk_rate(const char *dir, size_t block, double secs)
{
	char path[4096 + 32];
	snprintf(path, sizeof(path), "%s/fsync-probe.XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "write_ceiling: %s: %s\n", path, strerror(errno));
		return -1;
	}
	unlink(path);
	const size_t span = 4u << 20;
	char *b = calloc(1, block);
	double rate = -1;
	if (!b)
		goto out;
	randombytes_buf(b, block);
	for (size_t off = 0; off + block <= span; off += block)
		if (pwrite(fd, b, block, (off_t)off) != (ssize_t)block)
			goto out;
	if (fsync(fd) < 0)
		goto out;
	long n = 0;
	size_t off = 0;
	int64_t t0 = ptime_monotonic_us(), until = t0 + (int64_t)(secs * 1e6), t;
	while ((t = ptime_monotonic_us()) < until) {
		b[0] = (char)n;
		if (pwrite(fd, b, block, (off_t)off) != (ssize_t)block || fdatasync(fd) < 0)
			goto out;
		off += block;
		if (off + block > span)
			off = 0;
		n++;
	}
	rate = n / ((double)(t - t0) / 1e6);
out:
	if (rate < 0)
		fprintf(stderr, "write_ceiling: disk probe: %s\n", strerror(errno));
	free(b);
	close(fd);
	return rate;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: write_ceiling [--seconds S] [--threads N] [--readback] [--batch K]\n"
		"                     [--pragma NAME=VALUE] DB EMAIL\n"
		"       write_ceiling --disk [--seconds S] DIR\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"seconds", required_argument, NULL, 's'},
		{"threads", required_argument, NULL, 't'},
		{"readback", no_argument, NULL, 'r'},
		{"disk", no_argument, NULL, 'd'},
		{"batch", required_argument, NULL, 'b'},
		{"pragma", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	double secs = 10;
	int threads = 1, batch = 1;
	bool readback = false, disk = false;
	const char *pragma = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': secs = atof(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'r': readback = true; break;
		case 'd': disk = true; break;
		case 'b': batch = atoi(optarg); break;
		case 'p': pragma = optarg; break;
		default: return usage();
		}
	}
	if (argc - optind != (disk ? 1 : 2) || secs <= 0 || secs > 3600 || threads < 1 ||
	    threads > 64 || batch < 1 || batch > 10000 ||
	    (pragma && (strlen(pragma) > 200 || strpbrk(pragma, ";'\"") || !strchr(pragma, '='))))
		return usage();
	if (sodium_init() < 0)
		return 1;
	if (disk) {
		static const size_t blocks[] = {4096, 11 * 4096};
		for (size_t i = 0; i < 2; i++) {
			double rate = disk_rate(argv[optind], blocks[i], secs < 2 ? secs : 2);
			if (rate < 0)
				return 1;
			printf("disk block=%zu fdatasync_per_s=%.0f\n", blocks[i], rate);
			fflush(stdout);
		}
		return 0;
	}
	const char *path = argv[optind], *email = argv[optind + 1];
	ptime_set_zone(PTIME_DEFAULT_ZONE);
	db_global_init(); /* the server's process settings (cli_main) */
	char err[512];
	struct db *db = db_open(path, DB_OPEN_EXISTING, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "write_ceiling: %s\n", err);
		return 1;
	}
	struct arena *ar = arena_new(4096);
	struct person who;
	int r = person_find_by_email(db, ar, email, &who);
	db_close(db);
	if (r != 0 || !who.organisation_id || !who.territory_id) {
		fprintf(stderr,
			"write_ceiling: no person with an organisation and a territory "
			"has the e-mail %s\n",
			email);
		arena_free(ar);
		return 1;
	}
	int rc = measure(path, &who, threads, secs, readback, batch, pragma) < 0 ? 1 : 0;
	arena_free(ar);
	return rc;
}
