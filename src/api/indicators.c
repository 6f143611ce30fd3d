/* GET /api/v1/indicators (api/indicators.h). */
#include "api/indicators.h"

#include "api/api.h"
#include "core/i18n.h"
#include "reports/access.h"
#include "reports/report.h"

/* A required or optional date parameter into *out. */
static enum perr query_date(struct request *req, const char *name, bool required, struct pdate *out,
			    bool *present)
{
	const char *v;
	enum perr e = api_query_date(req, name, &v);
	if (e != PERR_OK)
		return e;
	*present = v != NULL;
	if (!v)
		return required ? api_fail(req, PERR_INVALID, name,
					   N_("Ce paramètre est obligatoire (AAAA-MM-JJ)."))
				: PERR_OK;
	return ptime_parse_date(v, out) == 0 ? PERR_OK : PERR_INVALID;
}

enum perr api_indicators(struct request *req, struct response *resp)
{
	struct report_request rq;
	report_request_init(&rq);
	rq.lang = req->lang;
	bool have;
	enum perr e;
	if ((e = query_date(req, "from", true, &rq.from, &have)) != PERR_OK ||
	    (e = query_date(req, "to", true, &rq.to, &have)) != PERR_OK ||
	    (e = query_date(req, "as_of", false, &rq.as_of, &rq.has_as_of)) != PERR_OK)
		return e;
	if (ptime_date_cmp(&rq.to, &rq.from) < 0)
		return api_fail(req, PERR_INVALID, "to",
				N_("La date de fin précède la date de début."));
	rq.territory = req_query(req, "territory");
	rq.sector = req_query(req, "sector");
	rq.organisation = req_query(req, "organisation");
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	e = report_request_for_actor(db, req->arena, req->actor, req_query(req, "view"), &rq);
	if (e == PERR_INVALID)
		return api_fail(req, e, "view",
				N_("Vue inconnue ou non offerte par l'API (comite, analyste)."));
	if (e != PERR_OK)
		return e;
	struct report r;
	e = report_compute(db, req->arena, &rq, &r);
	if (e == PERR_NOT_FOUND)
		return api_fail(
			req, e, "territory",
			N_("Ce territoire, ce secteur ou cette organisation n'existe pas."));
	if (e != PERR_OK)
		return e == PERR_INVALID ? e : PERR_UNAVAILABLE;
	resp->status = HTTP_STATUS_OK;
	resp->content_type = "application/json";
	return report_write_json(&r, &resp->body) == 0 ? PERR_OK : PERR_INTERNAL;
}
