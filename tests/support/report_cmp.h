/* Two reports compared figure by figure, as a reader would: every
 * indicator's display, status and statistics, every breakdown cell and
 * every detail. For the tests and benchmarks that check a fast path
 * against the plain one (report_compare against report_compute). */
#ifndef PROXIMA_TEST_REPORT_CMP_H
#define PROXIMA_TEST_REPORT_CMP_H

#include "reports/report.h"

struct arena;

/* NULL when x and y show the same figures (scope's generated_at aside),
 * else the first difference in words ("arr.taux_echappement: display
 * 12,5 / 14,0"), an arena string. */
const char *report_cmp_first_difference(struct arena *a, const struct report *x,
					const struct report *y);

#endif
