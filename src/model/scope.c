/* Report scopes (scope.h). */
#include "model/scope.h"

#include "core/util.h"
#include "model/row.h"

/* The statements of each kind: (id, name) by external id, and external id
 * by id. */
static const struct {
	enum stmt_id find, ext;
} stmts[] = {
	[SCOPE_TERRITORY] = {STMT_REPORT_TERRITORY, STMT_REPORT_TERRITORY_EXT},
	[SCOPE_SECTOR] = {STMT_REPORT_SECTOR, STMT_REPORT_SECTOR_EXT},
	[SCOPE_ORGANISATION] = {STMT_REPORT_ORGANISATION, STMT_REPORT_ORGANISATION_EXT},
};

int scope_find(struct db *db, struct arena *a, enum scope_kind k, const char *ext, int64_t *id,
	       const char **name)
{
	BUG_ON((size_t)k >= ARRAY_LEN(stmts));
	struct db_stmt *s = db_stmt(db, stmts[k].find);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	int r = row_fetch(db, s, "scope.find");
	if (r != 0)
		return r;
	*id = db_col_int64(s, 0);
	*name = db_col_text(a, s, 1);
	db_reset(s);
	return 0;
}

const char *scope_ext_of(struct db *db, struct arena *a, enum scope_kind k, int64_t id)
{
	BUG_ON((size_t)k >= ARRAY_LEN(stmts));
	struct db_stmt *s = db_stmt(db, stmts[k].ext);
	if (!s)
		return NULL;
	db_bind_int64(s, 1, id);
	if (row_fetch(db, s, "scope.ext_of") != 0)
		return NULL;
	const char *ext = db_col_text(a, s, 0);
	db_reset(s);
	return ext;
}

int scope_subterritories(struct db *db, struct arena *a, int64_t territory_id, const char ***out,
			 size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_REPORT_SUBTERRITORIES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	struct row_array rows = {0};
	const char **t;
	while ((t = row_next(db, s, a, &rows, sizeof(*t), "scope.subterritories")))
		*t = db_col_text(a, s, 0);
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

int scope_territory_within(struct db *db, const char *ext, int64_t root)
{
	struct db_stmt *s = db_stmt(db, STMT_REPORT_TERRITORY);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	int r = row_fetch(db, s, "scope.territory");
	if (r != 0)
		return r > 0 ? 0 : -1;
	int64_t id = db_col_int64(s, 0);
	db_reset(s);
	if (!(s = db_stmt(db, STMT_REPORT_TERRITORY_WITHIN)))
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, root);
	r = row_fetch(db, s, "scope.within");
	if (r == 0)
		db_reset(s);
	return r < 0 ? -1 : r == 0;
}
