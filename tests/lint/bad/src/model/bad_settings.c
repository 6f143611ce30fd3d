/* Settings read around the typed table: each line is a problem. */
#include "model/settings.h"

int bad_threshold(struct db *db)
{
	struct db_stmt *s = db_stmt(db, STMT_SETTING_GET);
	const struct setting_def *d = settings_find("small_cell_threshold");
	return s && d ? 1 : 0;
}
