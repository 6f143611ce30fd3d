/* Elsewhere: typed ids, and settings_find with a key people typed. */
#include "model/settings.h"

int ok_reader(struct db *db, const char *typed)
{
	const struct setting_def *d = settings_find(typed);
	/* A comment naming STMT_SETTING_GET or settings_find("x") is fine. */
	return d ? settings_int(db, SETTING_SMALL_CELL_THRESHOLD) : 0;
}
