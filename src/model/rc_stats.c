/* Standard statistics (model/rc_stats.h): two queries over the
 * organisation's activities of the fiscal year. */
#include "model/rc_stats.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/refdata.h"
#include "model/row.h"

int rc_stats_fiscal_year(int year, int month)
{
	return month >= 4 ? year : year - 1;
}

/* Finds the organisation (by ext_id, or by id when ext is NULL). 0, 1 when
 * absent, -1. */
static int find_org(struct db *db, struct arena *ar, const char *ext, int64_t id,
		    struct rc_stats *out)
{
	struct db_stmt *s = db_stmt(db, ext ? STMT_RC_ORG : STMT_RC_ORG_ID);
	if (!s)
		return -1;
	if (ext)
		db_bind_text_copy(s, 1, ext);
	else
		db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_DONE)
		return 1;
	if (rc != DB_ROW) {
		db_log_error(db, "rc_stats.org");
		return -1;
	}
	out->organisation_id = db_col_int64(s, 0);
	out->organisation = db_col_text(ar, s, 1);
	out->organisation_name = db_col_text(ar, s, 2);
	db_reset(s);
	return 0;
}

static int load_rows(struct db *db, struct arena *ar, struct rc_stats *out)
{
	struct db_stmt *s = db_stmt(db, STMT_RC_BY_TYPE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, out->organisation_id);
	db_bind_text(s, 2, out->from);
	db_bind_text(s, 3, out->to);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *type = db_col_cstr(s, 0);
		type = type ? type : "";
		struct rc_stats_row *r = out->n ? &out->rows[out->n - 1] : NULL;
		if (!r || strcmp(r->type, type) != 0) {
			out->rows = arena_grow(ar, out->rows, out->n, &cap, sizeof(*out->rows));
			r = &out->rows[out->n++];
			memset(r, 0, sizeof(*r));
			r->type = arena_strdup(ar, type);
		}
		bool counted = db_col_int(s, 1) != 0;
		int64_t n = db_col_int64(s, 2), direct = db_col_int64(s, 3),
			indirect = db_col_int64(s, 4);
		if (counted) {
			r->counted += n;
			r->counted_direct_min += direct;
			out->interventions += n;
			out->counted_min += direct;
			if (strcmp(type, "intervention_groupe") == 0)
				out->group += n;
			else
				out->individual += n;
		} else {
			r->not_counted += n;
			r->not_counted_direct_min += direct;
			out->not_counted_min += direct;
		}
		r->indirect_min += indirect;
		out->not_counted_min += indirect;
		out->activities += n;
	}
	if (rc != DB_DONE) {
		db_log_error(db, "rc_stats.rows");
		return -1;
	}
	s = db_stmt(db, STMT_RC_USERS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, out->organisation_id);
	db_bind_text(s, 2, out->from);
	db_bind_text(s, 3, out->to);
	if (db_step(s) != DB_ROW) {
		db_log_error(db, "rc_stats.users");
		return -1;
	}
	out->usagers = db_col_int64(s, 0);
	db_reset(s);
	int64_t all = out->counted_min + out->not_counted_min;
	out->pct_time_missed = all > 0 ? (double)out->not_counted_min / (double)all * 100.0 : 0.0;
	return 0;
}

int rc_stats_interventions(struct db *db, struct arena *ar, const struct rc_stats *st,
			   const char *lang, struct rc_intervention **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_RC_INTERVENTIONS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, st->organisation_id);
	db_bind_text(s, 2, st->from);
	db_bind_text(s, 3, st->to);
	struct row_array rows = {0};
	struct rc_intervention *x;
	while ((x = row_next(db, s, ar, &rows, sizeof(*x), "rc_stats.interventions"))) {
		x->ext_id = db_col_text(ar, s, 0);
		x->date = db_col_text(ar, s, 1);
		x->type = db_col_text(ar, s, 2);
		x->group = x->type && strcmp(x->type, "intervention_groupe") == 0;
		x->place = db_col_text(ar, s, 3);
		x->duration_min = db_col_int64(s, 4);
		int64_t people = db_col_int64(s, 5), families = db_col_int64(s, 6);
		x->participants = people > 0 ? people : families;
		x->language = db_col_text(ar, s, 7);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	for (size_t i = 0; i < *n; i++) /* after the loop: one statement at a time */
		(*out)[i].place_label =
			(*out)[i].place ? refdata_label(db, ar, REF_PLACE, (*out)[i].place, lang)
					: "";
	return 0;
}

int rc_stats_compute(struct db *db, struct arena *ar, const struct actor *who,
		     const char *organisation, int year, struct rc_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!who || (who->role != ROLE_GESTIONNAIRE && who->role != ROLE_ADMIN))
		return 1;
	if (year < 1900 || year > 9998)
		return 1;
	int r = organisation && *organisation ? find_org(db, ar, organisation, 0, out)
					      : find_org(db, ar, NULL, who->organisation_id, out);
	if (r != 0)
		return r;
	if (who->role == ROLE_GESTIONNAIRE && out->organisation_id != who->organisation_id)
		return 1;
	out->year = year;
	snprintf(out->from, sizeof(out->from), "%04d-04-01", year);
	snprintf(out->to, sizeof(out->to), "%04d-03-31", year + 1);
	return load_rows(db, ar, out);
}
