/* The files under SQLite (db/engine.h db_sqlite_vfs_register): the
 * platform's own VFS, except that a WAL's writes are gathered in memory and
 * handed to the kernel in one write.
 *
 * A COMMIT in WAL mode appends every page it changed to the WAL as a frame:
 * SQLite writes each frame's 24-byte header, then its page, two pwrite
 * calls per page, then syncs. A group commit of a dozen API writes changes
 * about 37 pages: 75 system calls on the one path every write waits for,
 * most of the COMMIT's CPU on this machine (docs/performance.md). Here the
 * WAL's consecutive writes fill a buffer, passed on in one write when a
 * write does not follow the last one, when the buffer is full, and before
 * anything that must see the file as SQLite wrote it: a read, its size, a
 * truncation, a sync, the close.
 *
 * Durability and what other connections see are unchanged:
 *   - a sync passes the buffer on first, so a COMMIT is durable when SQLite
 *     says so, as before;
 *   - another connection reads a frame only once the WAL index (shared
 *     memory) says it is committed; SQLite syncs the WAL before it writes
 *     that index (synchronous=FULL, db/sqlite.c), and in any case the
 *     memory barrier it raises on the database file just before
 *     (xShmBarrier) passes its WAL's buffer on. A frame that cannot be
 *     written at that point would be published missing: a broken invariant,
 *     the process stops rather than let readers see it;
 *   - a crash loses what the buffer held, which is what a crash loses of
 *     writes not yet synced anyway: the WAL's checksums end it at the last
 *     complete commit. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/engine.h"

#define WAL_BUF_BYTES (1 << 20)     /* about 250 frames of 4 KiB pages */
#define WAL_WRITE_BYTES (124 << 10) /* the most passed on in one write */

struct vfile {
	sqlite3_file base;   /* pMethods: vfile_methods */
	sqlite3_file *real;  /* the platform's file, right after this struct */
	struct vfile *wal;   /* a database: its WAL while open, else NULL */
	struct vfile *owner; /* a WAL: its database's file */
	bool is_wal;
	unsigned char *buf; /* a WAL: the writes not passed on yet (cap WAL_BUF_BYTES) */
	size_t len;
	sqlite3_int64 start; /* the file offset of buf[0] */
};

static sqlite3_vfs *platform;
static sqlite3_vfs vfs;
static _Atomic uint64_t sqlite_writes, kernel_writes;

static sqlite3_file *R(sqlite3_file *f)
{
	return ((struct vfile *)f)->real;
}

/* Passes the buffered writes on, in pieces the platform's write takes
 * whole (SQLite's unix VFS writes at most 128 KiB - 1 bytes a call, and
 * counts the rest as a full disk). SQLite's result code. */
static int flush(struct vfile *v)
{
	int rc = SQLITE_OK;
	for (size_t done = 0; done < v->len && rc == SQLITE_OK; done += WAL_WRITE_BYTES) {
		size_t n = v->len - done < WAL_WRITE_BYTES ? v->len - done : WAL_WRITE_BYTES;
		rc = v->real->pMethods->xWrite(v->real, v->buf + done, (int)n,
					       v->start + (sqlite3_int64)done);
		kernel_writes++;
	}
	v->len = 0;
	return rc;
}

static int v_close(sqlite3_file *f)
{
	struct vfile *v = (struct vfile *)f;
	int rc = flush(v);
	if (v->owner && v->owner->wal == v)
		v->owner->wal = NULL;
	free(v->buf);
	v->buf = NULL;
	int rc2 = v->real->pMethods ? v->real->pMethods->xClose(v->real) : SQLITE_OK;
	return rc != SQLITE_OK ? rc : rc2;
}

static int v_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	struct vfile *v = (struct vfile *)f;
	int rc = flush(v);
	return rc != SQLITE_OK ? rc : v->real->pMethods->xRead(v->real, p, n, off);
}

static int v_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	struct vfile *v = (struct vfile *)f;
	if (!v->is_wal)
		return v->real->pMethods->xWrite(v->real, p, n, off);
	sqlite_writes++;
	size_t amt = (size_t)n;
	if (v->len && off == v->start + (sqlite3_int64)v->len && v->len + amt <= WAL_BUF_BYTES) {
		memcpy(v->buf + v->len, p, amt);
		v->len += amt;
		return SQLITE_OK;
	}
	int rc = flush(v);
	if (rc != SQLITE_OK)
		return rc;
	if (amt > WAL_WRITE_BYTES) {
		kernel_writes++;
		return v->real->pMethods->xWrite(v->real, p, n, off);
	}
	if (!v->buf && !(v->buf = malloc(WAL_BUF_BYTES)))
		return SQLITE_NOMEM;
	memcpy(v->buf, p, amt);
	v->start = off;
	v->len = amt;
	return SQLITE_OK;
}

static int v_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct vfile *v = (struct vfile *)f;
	int rc = flush(v);
	return rc != SQLITE_OK ? rc : v->real->pMethods->xTruncate(v->real, size);
}

static int v_sync(sqlite3_file *f, int flags)
{
	struct vfile *v = (struct vfile *)f;
	int rc = flush(v);
	return rc != SQLITE_OK ? rc : v->real->pMethods->xSync(v->real, flags);
}

static int v_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct vfile *v = (struct vfile *)f;
	int rc = flush(v);
	return rc != SQLITE_OK ? rc : v->real->pMethods->xFileSize(v->real, size);
}

static int v_lock(sqlite3_file *f, int l)
{
	return R(f)->pMethods->xLock(R(f), l);
}

static int v_unlock(sqlite3_file *f, int l)
{
	return R(f)->pMethods->xUnlock(R(f), l);
}

static int v_check_reserved(sqlite3_file *f, int *out)
{
	return R(f)->pMethods->xCheckReservedLock(R(f), out);
}

static int v_file_control(sqlite3_file *f, int op, void *arg)
{
	struct vfile *v = (struct vfile *)f;
	int rc = flush(v);
	return rc != SQLITE_OK ? rc : v->real->pMethods->xFileControl(v->real, op, arg);
}

static int v_sector_size(sqlite3_file *f)
{
	return R(f)->pMethods->xSectorSize(R(f));
}

static int v_device(sqlite3_file *f)
{
	return R(f)->pMethods->xDeviceCharacteristics(R(f));
}

static int v_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return R(f)->pMethods->xShmMap(R(f), pg, pgsz, extend, pp);
}

static int v_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return R(f)->pMethods->xShmLock(R(f), offset, n, flags);
}

/* SQLite raises it on the database's file just before it publishes new
 * frames in the WAL index: they must be in the WAL file by then. */
static void v_shm_barrier(sqlite3_file *f)
{
	struct vfile *v = (struct vfile *)f;
	if (v->wal && flush(v->wal) != SQLITE_OK) {
		log_error("db.wal", "reason=frames_not_written_before_publication");
		abort();
	}
	v->real->pMethods->xShmBarrier(v->real);
}

static int v_shm_unmap(sqlite3_file *f, int del)
{
	return R(f)->pMethods->xShmUnmap(R(f), del);
}

static int v_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return R(f)->pMethods->xFetch(R(f), off, n, pp);
}

static int v_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return R(f)->pMethods->xUnfetch(R(f), off, p);
}

static const sqlite3_io_methods vfile_methods = {
	.iVersion = 3,
	.xClose = v_close,
	.xRead = v_read,
	.xWrite = v_write,
	.xTruncate = v_truncate,
	.xSync = v_sync,
	.xFileSize = v_file_size,
	.xLock = v_lock,
	.xUnlock = v_unlock,
	.xCheckReservedLock = v_check_reserved,
	.xFileControl = v_file_control,
	.xSectorSize = v_sector_size,
	.xDeviceCharacteristics = v_device,
	.xShmMap = v_shm_map,
	.xShmLock = v_shm_lock,
	.xShmBarrier = v_shm_barrier,
	.xShmUnmap = v_shm_unmap,
	.xFetch = v_fetch,
	.xUnfetch = v_unfetch,
};

/* The platform's file sits after ours, aligned for any type. */
#define VFILE_SIZE ((sizeof(struct vfile) + 15) & ~(size_t)15)

static int v_open(sqlite3_vfs *self, sqlite3_filename name, sqlite3_file *f, int flags,
		  int *out_flags)
{
	(void)self;
	struct vfile *v = (struct vfile *)f;
	memset(v, 0, sizeof(*v));
	v->real = (sqlite3_file *)((char *)f + VFILE_SIZE);
	int rc = platform->xOpen(platform, name, v->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		/* SQLite closes nothing it could not open; the platform may have
		 * left methods to close with. */
		if (v->real->pMethods)
			v->real->pMethods->xClose(v->real);
		v->base.pMethods = NULL;
		return rc;
	}
	if (v->real->pMethods->iVersion < 3) {
		v->real->pMethods->xClose(v->real);
		v->base.pMethods = NULL;
		return SQLITE_CANTOPEN;
	}
	v->base.pMethods = &vfile_methods;
	if ((flags & SQLITE_OPEN_WAL) && name) {
		v->is_wal = true;
		sqlite3_file *db = sqlite3_database_file_object(name);
		if (db && db->pMethods == &vfile_methods) {
			v->owner = (struct vfile *)db;
			v->owner->wal = v;
		}
	}
	return SQLITE_OK;
}

static int v_delete(sqlite3_vfs *self, const char *name, int sync_dir)
{
	(void)self;
	return platform->xDelete(platform, name, sync_dir);
}

static int v_access(sqlite3_vfs *self, const char *name, int flags, int *out)
{
	(void)self;
	return platform->xAccess(platform, name, flags, out);
}

static int v_full_path(sqlite3_vfs *self, const char *name, int n, char *out)
{
	(void)self;
	return platform->xFullPathname(platform, name, n, out);
}

static void *v_dl_open(sqlite3_vfs *self, const char *name)
{
	(void)self;
	return platform->xDlOpen(platform, name);
}

static void v_dl_error(sqlite3_vfs *self, int n, char *msg)
{
	(void)self;
	platform->xDlError(platform, n, msg);
}

static void (*v_dl_sym(sqlite3_vfs *self, void *h, const char *sym))(void)
{
	(void)self;
	return platform->xDlSym(platform, h, sym);
}

static void v_dl_close(sqlite3_vfs *self, void *h)
{
	(void)self;
	platform->xDlClose(platform, h);
}

static int v_randomness(sqlite3_vfs *self, int n, char *out)
{
	(void)self;
	return platform->xRandomness(platform, n, out);
}

static int v_sleep(sqlite3_vfs *self, int us)
{
	(void)self;
	return platform->xSleep(platform, us);
}

static int v_current_time(sqlite3_vfs *self, double *t)
{
	(void)self;
	return platform->xCurrentTime(platform, t);
}

static int v_last_error(sqlite3_vfs *self, int n, char *msg)
{
	(void)self;
	return platform->xGetLastError ? platform->xGetLastError(platform, n, msg) : 0;
}

static int v_current_time64(sqlite3_vfs *self, sqlite3_int64 *t)
{
	(void)self;
	return platform->xCurrentTimeInt64(platform, t);
}

int db_sqlite_vfs_register(void)
{
	platform = sqlite3_vfs_find(NULL);
	if (!platform || platform->iVersion < 2)
		return -1;
	vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)(VFILE_SIZE + (size_t)platform->szOsFile),
		.mxPathname = platform->mxPathname,
		.zName = "proxima",
		.xOpen = v_open,
		.xDelete = v_delete,
		.xAccess = v_access,
		.xFullPathname = v_full_path,
		.xDlOpen = v_dl_open,
		.xDlError = v_dl_error,
		.xDlSym = v_dl_sym,
		.xDlClose = v_dl_close,
		.xRandomness = v_randomness,
		.xSleep = v_sleep,
		.xCurrentTime = v_current_time,
		.xGetLastError = v_last_error,
		.xCurrentTimeInt64 = v_current_time64,
	};
	return sqlite3_vfs_register(&vfs, 1) == SQLITE_OK ? 0 : -1;
}

void db_wal_stats(struct db_wal_stats *out)
{
	out->sqlite_writes = sqlite_writes;
	out->kernel_writes = kernel_writes;
}
