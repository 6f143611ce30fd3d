/* A territory's portrait and corridors for the indicators (ind_territory.h). */
#include "model/ind_territory.h"

#include <string.h>

#include "core/arena.h"
#include "db/db.h"
#include "model/row.h"

int ind_territory_portrait(struct db *db, struct arena *a, int64_t territory_id, const char *as_of,
			   struct ind_portrait_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_REPORT_PORTRAIT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	db_bind_text(s, 2, as_of);
	struct row_array rows = {0};
	struct ind_portrait_row *p;
	while ((p = row_next(db, s, a, &rows, sizeof(*p), "indicator.portrait"))) {
		p->territory = db_col_text(a, s, 0);
		p->own = db_col_int64(s, 1) != 0;
		p->indicator = db_col_text(a, s, 2);
		p->label = db_col_text(a, s, 3);
		p->value = db_col_double(s, 4);
		p->unit = db_col_text(a, s, 5);
		p->period_start = db_col_text(a, s, 6);
		p->period_end = db_col_text(a, s, 7);
		p->source = db_col_text(a, s, 8);
		p->label_en = db_col_text(a, s, 9);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int ind_territory_corridors(struct db *db, struct arena *a, int64_t territory_id, const char *from,
			    const char *to, struct ind_corridor_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_REPORT_CORRIDORS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	struct row_array rows = {0};
	struct ind_corridor_row *r;
	while ((r = row_next(db, s, a, &rows, sizeof(*r), "indicator.corridors")))
		*r = (struct ind_corridor_row){db_col_text(a, s, 0), db_col_text(a, s, 1),
					       db_col_int64(s, 2)};
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}
