/* Who may ask for which report over HTTP (docs/en/reports.md, "API"):
 * the view follows the caller's role, never `complet`. */
#ifndef PROXIMA_REPORT_ACCESS_H
#define PROXIMA_REPORT_ACCESS_H

#include "core/err.h"
#include "reports/report.h"

struct actor;

/* Fits rq (already holding the caller's parameters; rq->view is ignored)
 * to what actor may see, given the optional `view` parameter (NULL when
 * absent):
 *   gestionnaire -> view gestionnaire, organisation forced to their own
 *                   (another organisation: PERR_NOT_FOUND);
 *   comite       -> view comite, territory = theirs or one of its
 *                   sub-territories (default theirs; another: NOT_FOUND;
 *                   no territory on the account: NOT_FOUND);
 *   analyste     -> view analyste, any territory;
 *   admin        -> view comite, or view_param comite or analyste
 *                   (suppressed views only: gestionnaire is NOT_FOUND);
 *   pap, none    -> PERR_NOT_FOUND (no aggregate reports for PAP).
 * A view_param from a non-admin other than their own view, or "complet"
 * from anyone: PERR_NOT_FOUND / PERR_INVALID respectively. Strings set
 * in rq come from arena a. */
enum perr report_request_for_actor(struct db *db, struct arena *a, const struct actor *actor,
				   const char *view_param, struct report_request *rq);

#endif
