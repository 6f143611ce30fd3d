/* Writers that need a file, spooled into memory (see spool.h). */
#include "reports/spool.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int report_spool(int (*write)(const void *arg, const char *path), const void *arg, struct buf *out)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	if (snprintf(path, sizeof(path), "%s/proxima-spool-XXXXXX", dir && *dir ? dir : "/tmp") >=
	    (int)sizeof(path))
		return -1;
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	int rc = write(arg, path) == 0 ? 0 : -1;
	FILE *f = rc == 0 ? fopen(path, "rb") : NULL;
	if (f) {
		char chunk[16384];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			if (buf_append(out, chunk, n) < 0) {
				rc = -1;
				break;
			}
		if (ferror(f))
			rc = -1;
		fclose(f);
	} else {
		rc = -1;
	}
	unlink(path);
	return rc;
}
