/* Refused referrals. See ind_refusal.h. */
#include "model/ind_refusal.h"

#include "model/row.h"

int ind_refusals(struct db *db, struct arena *a, const struct ind_scope *scope,
		 struct ind_refusal **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t end = ind_scope_end(scope), as_of = ind_scope_as_of_end(scope);
	struct db_stmt *s = db_stmt(db, STMT_IND_REFUSALS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, scope->territory_id);
	db_bind_int64(s, 2, scope->sector_id);
	db_bind_int64(s, 3, scope->organisation_id);
	db_bind_int64(s, 4, ind_scope_start(scope));
	db_bind_int64(s, 5, as_of < end ? as_of : end);
	struct row_array rows = {0};
	struct ind_refusal *r;
	while ((r = row_next(db, s, a, &rows, sizeof(*r), "ind.refusals"))) {
		r->code = db_col_text(a, s, 0);
		r->corridor_ext = db_col_text(a, s, 1);
		r->corridor_name = db_col_text(a, s, 2);
		r->key = db_col_int64(s, 3);
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}
