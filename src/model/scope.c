#include "model/scope.h"

#include "core/i18n.h"

int scope_org_serves(struct db *db, int64_t org, int64_t territory)
{
	struct db_stmt *s = db_stmt(db, STMT_DIR_ORG_SERVES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, org);
	db_bind_int64(s, 2, territory);
	int rc = db_step(s);
	int r = rc == DB_ROW ? db_col_int(s, 0) != 0 : -1;
	db_reset(s);
	if (r < 0)
		db_log_error(db, "scope.serves");
	return r;
}

int scope_check(struct db *db, int64_t org, int64_t territory, const char *field,
		struct validation *v)
{
	if (!org || !territory)
		return 0;
	int r = scope_org_serves(db, org, territory);
	if (r < 0)
		return -1;
	if (r == 0)
		validation_add(v, field,
			       N_("Cette organisation ne dessert pas ce territoire : un "
				  "administrateur doit d'abord l'ajouter à ses territoires."));
	return 0;
}
