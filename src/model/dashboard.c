/* Lists for the dashboards (model/dashboard.h). */
#include "model/dashboard.h"

#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "db/stmt.h"
#include "model/row.h"

/* Runs s (bound already) and collects (col0, col1) rows: col0 is an id
 * when ids, else an ext id. Resets s. 0 or -1. */
static int collect(struct db *db, struct arena *a, struct db_stmt *s, int ids,
		   struct dash_item **out, size_t *n)
{
	struct row_array rows = {0};
	struct dash_item *it;
	while ((it = row_next(db, s, a, &rows, sizeof(*it), "dashboard.list"))) {
		if (ids)
			it->id = db_col_int64(s, 0);
		else
			it->ext_id = db_col_text(a, s, 0);
		it->name = db_col_text(a, s, 1);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int dash_list_team(struct db *db, struct arena *a, int64_t org, struct dash_item **out, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_DASH_ORG_PAP);
	if (!s)
		return -1;
	db_bind_int64(s, 1, org);
	return collect(db, a, s, 1, out, n);
}

int dash_list_territories(struct db *db, struct arena *a, const char *parent_ext,
			  struct dash_item **out, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_DASH_TERRITORIES);
	if (!s)
		return -1;
	if (parent_ext)
		db_bind_text_copy(s, 1, parent_ext);
	else
		db_bind_null(s, 1);
	return collect(db, a, s, 0, out, n);
}

int dash_list_territory_tree(struct db *db, struct arena *a, int64_t territory_id,
			     struct dash_item **out, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_DASH_TERRITORY_TREE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	return collect(db, a, s, 0, out, n);
}

int dash_referrals_received(struct db *db, int64_t org, int64_t from, int64_t to, int64_t as_of_end,
			    struct dash_received *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *s = db_stmt(db, STMT_DASH_REFERRALS_RECEIVED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, org);
	db_bind_int64(s, 2, from);
	db_bind_int64(s, 3, to);
	db_bind_int64(s, 4, as_of_end);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->sent = db_col_int64(s, 0);
		out->taken = db_col_int64(s, 1);
		out->refused = db_col_int64(s, 2);
		out->open = db_col_int64(s, 3);
	}
	db_reset(s);
	if (rc != DB_ROW) {
		db_log_error(db, "dashboard.referrals_received");
		return -1;
	}
	return 0;
}
