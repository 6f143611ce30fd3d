/* Background jobs shared by several servers on one database: a job runs
 * when its last run is old enough, and only one server claims each run. */
#ifndef PROXIMA_JOB_H
#define PROXIMA_JOB_H

#include <stdint.h>

#include "db/db.h"

/* Claims the run of job name at now when it last ran at least every
 * seconds ago (or never). Returns 1 when this caller claimed it (the run
 * is recorded at now), 0 when not due or another server claimed it, -1 on
 * a database error (logged). */
int job_claim(struct db *db, const char *name, int64_t now, int64_t every);

#endif
