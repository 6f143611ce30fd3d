/* ZIP writer (see zip.h). Little-endian fields, per APPNOTE 4.3. */
#include "core/zip.h"

#include <string.h>
#include <time.h>

uint32_t zip_crc32(const void *p, size_t n)
{
	static uint32_t table[256];
	static int ready; /* written once; the same values if two threads race */
	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	const unsigned char *b = p;
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ b[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static int put16(struct buf *o, unsigned v)
{
	unsigned char b[2] = {(unsigned char)(v & 0xFF), (unsigned char)((v >> 8) & 0xFF)};
	return buf_append(o, b, 2);
}

static int put32(struct buf *o, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)(v & 0xFF), (unsigned char)((v >> 8) & 0xFF),
			      (unsigned char)((v >> 16) & 0xFF), (unsigned char)(v >> 24)};
	return buf_append(o, b, 4);
}

/* The DOS date and time of a Unix time (UTC; 1980 at the earliest). */
static void dos_time(int64_t t, unsigned *date, unsigned *tm)
{
	time_t tt = (time_t)t;
	struct tm u;
	if (!gmtime_r(&tt, &u) || u.tm_year < 80) {
		*date = (0u << 9) | (1u << 5) | 1u; /* 1980-01-01 */
		*tm = 0;
		return;
	}
	*date = ((unsigned)(u.tm_year - 80) << 9) | ((unsigned)(u.tm_mon + 1) << 5) |
		(unsigned)u.tm_mday;
	*tm = ((unsigned)u.tm_hour << 11) | ((unsigned)u.tm_min << 5) | ((unsigned)u.tm_sec / 2);
}

/* The fields a local header and a central record share, from "version
 * needed" to the name's length. */
static int common(struct buf *o, unsigned date, unsigned tm, uint32_t crc, size_t len,
		  size_t name_len)
{
	int r = 0;
	r |= put16(o, 10);     /* version needed: 1.0 (stored) */
	r |= put16(o, 0x0800); /* flags: names in UTF-8 */
	r |= put16(o, 0);      /* method: stored */
	r |= put16(o, tm);
	r |= put16(o, date);
	r |= put32(o, crc);
	r |= put32(o, (uint32_t)len); /* compressed size */
	r |= put32(o, (uint32_t)len); /* uncompressed size */
	r |= put16(o, (unsigned)name_len);
	return r ? -1 : 0;
}

int zip_write(struct buf *out, const struct zip_entry *e, size_t n, int64_t mtime)
{
	if (n > 0xFFFF)
		return -1;
	unsigned date, tm;
	dos_time(mtime, &date, &tm);
	size_t base = out->len;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name);
		if (!nl || nl > 0xFFFF || e[i].len > 0xFFFFFFFEu || out->len - base > 0xFFFFFFFEu)
			return -1;
		uint32_t crc = zip_crc32(e[i].data, e[i].len);
		if (put32(out, 0x04034b50) < 0 || common(out, date, tm, crc, e[i].len, nl) < 0 ||
		    put16(out, 0) < 0 || buf_append(out, e[i].name, nl) < 0 ||
		    buf_append(out, e[i].data, e[i].len) < 0)
			return -1;
	}
	size_t dir = out->len - base;
	size_t offset = 0; /* of each local header, as written above */
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(e[i].name);
		int r = put32(out, 0x02014b50);
		r |= put16(out, 0x031E); /* made by: Unix, spec 3.0 */
		r |= common(out, date, tm, zip_crc32(e[i].data, e[i].len), e[i].len, nl);
		r |= put16(out, 0);              /* extra field length */
		r |= put16(out, 0);              /* comment length */
		r |= put16(out, 0);              /* disk number */
		r |= put16(out, 0);              /* internal attributes */
		r |= put32(out, 0100644u << 16); /* external: a regular file, rw-r--r-- */
		r |= put32(out, (uint32_t)offset);
		if (r || buf_append(out, e[i].name, nl) < 0)
			return -1;
		offset += 30 + nl + e[i].len;
	}
	size_t dir_len = out->len - base - dir;
	if (dir > 0xFFFFFFFEu || dir_len > 0xFFFFFFFEu)
		return -1;
	int r = put32(out, 0x06054b50);
	r |= put16(out, 0);
	r |= put16(out, 0);
	r |= put16(out, (unsigned)n);
	r |= put16(out, (unsigned)n);
	r |= put32(out, (uint32_t)dir_len);
	r |= put32(out, (uint32_t)dir);
	r |= put16(out, 0);
	return r ? -1 : 0;
}
