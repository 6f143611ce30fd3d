/* The settings module itself may use its statements and look keys up. */
#include "model/settings.h"

int ok_lookup(struct db *db)
{
	struct db_stmt *s = db_stmt(db, STMT_SETTING_GET);
	return s && settings_find("time_zone") ? 1 : 0;
}
