/* GET /api/v1/statistics: the standard statistics as JSON
 * (model/rc_stats.h). Minutes are given as integers. */
#include "api/rc_stats.h"

#include "api/api.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/rc_stats.h"

enum perr api_rc_stats(struct request *req, struct response *resp)
{
	struct pdate today = ptime_local_date(ptime_now());
	int64_t year = rc_stats_fiscal_year(today.year, today.month);
	const char *q = req_query(req, "year");
	if (q && *q && parse_i64(q, 1900, 9998, &year) < 0)
		return api_fail(req, PERR_INVALID, "year",
				N_("L'année doit être une année de quatre chiffres."));
	struct db *db = db_thread();
	if (!db)
		return PERR_UNAVAILABLE;
	struct rc_stats st;
	int r = rc_stats_compute(db, req->arena, req->actor, req_query(req, "organisation"),
				 (int)year, &st);
	if (r < 0)
		return PERR_UNAVAILABLE;
	if (r > 0)
		return api_fail(req, PERR_NOT_FOUND, "organisation",
				N_("Ces statistiques n'existent pas."));
	struct jsonw w;
	api_begin(resp, &w, 200);
	jsonw_obj_begin(&w);
	jsonw_kv_str(&w, "organisation", st.organisation);
	jsonw_kv_int(&w, "fiscal_year", st.year);
	jsonw_kv_str(&w, "from", st.from);
	jsonw_kv_str(&w, "to", st.to);
	jsonw_kv_int(&w, "interventions", st.interventions);
	jsonw_kv_int(&w, "interventions_individual", st.individual);
	jsonw_kv_int(&w, "interventions_group", st.group);
	jsonw_kv_int(&w, "usagers", st.usagers);
	jsonw_kv_int(&w, "counted_minutes", st.counted_min);
	jsonw_kv_int(&w, "not_counted_minutes", st.not_counted_min);
	jsonw_kv_int(&w, "activities", st.activities);
	jsonw_key(&w, "pct_time_not_counted");
	jsonw_double(&w, st.pct_time_missed, 1);
	jsonw_key(&w, "by_type");
	jsonw_arr_begin(&w);
	for (size_t i = 0; i < st.n; i++) {
		const struct rc_stats_row *row = &st.rows[i];
		jsonw_obj_begin(&w);
		jsonw_kv_str(&w, "type", row->type);
		jsonw_kv_int(&w, "counted", row->counted);
		jsonw_kv_int(&w, "counted_direct_minutes", row->counted_direct_min);
		jsonw_kv_int(&w, "not_counted", row->not_counted);
		jsonw_kv_int(&w, "not_counted_direct_minutes", row->not_counted_direct_min);
		jsonw_kv_int(&w, "indirect_minutes", row->indirect_min);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	return api_end(resp, &w);
}
