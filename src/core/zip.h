/* A ZIP archive of a few small files, written whole into a buffer: every
 * entry stored (no compression, the method every unzip reads), with its
 * CRC-32, in the format of PKWARE's APPNOTE (local headers, central
 * directory, end record; no ZIP64, so at most 65535 entries and 4 GiB).
 * Used for downloads that are several files, such as the HSDS data
 * package. */
#ifndef PROXIMA_ZIP_H
#define PROXIMA_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct zip_entry {
	const char *name; /* path inside the archive, '/'-separated, not empty */
	const void *data;
	size_t len;
};

/* The CRC-32 (IEEE 802.3, as ZIP and gzip use) of n bytes of p. */
uint32_t zip_crc32(const void *p, size_t n);

/* Appends to out the archive of the n entries, dated (DOS time) from the
 * Unix time mtime in UTC. Returns 0, or -1 when out's bound is passed or
 * an entry is too large for a ZIP without ZIP64 (out then holds a partial
 * archive: the caller discards it). */
int zip_write(struct buf *out, const struct zip_entry *e, size_t n, int64_t mtime);

#endif
