/* The one place the application makes a temporary file: a writer that can
 * only write to a path (libxlsxwriter 1.1 has no output to memory) is run
 * into a private file whose bytes then go to memory. For src/reports/
 * only: pages and the API receive bytes (export.h, compare.h, rc_file.h,
 * table.h), never a path. */
#ifndef PROXIMA_REPORTS_SPOOL_H
#define PROXIMA_REPORTS_SPOOL_H

#include "core/buf.h"

/* Runs write(arg, path) on a new private file ($TMPDIR, else /tmp; mode
 * 0600, a name of mkstemp's), appends what it wrote to out and removes
 * the file, whatever happened. Returns 0, or -1 when the file cannot be
 * made or read, write fails (non-zero) or out's bound is passed. */
int report_spool(int (*write)(const void *arg, const char *path), const void *arg, struct buf *out);

#endif
