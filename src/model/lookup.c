#include "model/lookup.h"

#include "core/util.h"
#include "model/row.h"

int lookup_strings(struct db *db, struct arena *a, enum stmt_id sid, int64_t key, const char *event,
		   struct strlist *out)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, key);
	struct row_array rows = {0};
	const char **t;
	while ((t = row_next(db, s, a, &rows, sizeof(*t), event)))
		*t = db_col_text(a, s, 0);
	out->v = rows.v;
	out->n = rows.n;
	return rows.rc;
}

int lookup_id(struct db *db, enum stmt_id sid, const char *ext, const char *event, int64_t *id)
{
	*id = 0;
	if (!ext || !*ext)
		return 1;
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, ext);
	int r = row_fetch(db, s, event);
	if (r == 0) {
		*id = db_col_int64(s, 0);
		db_reset(s);
	}
	return r;
}

/* The one-column statement behind each kind (in enum order). */
static const enum stmt_id ext_stmt[] = {
	[EXT_ACTIVITY] = STMT_API_ACTIVITY_ID,    [EXT_FAMILY] = STMT_API_FAMILY_ID,
	[EXT_PERSON] = STMT_API_PERSON,           [EXT_ORGANISATION] = STMT_ORGANISATION_ID,
	[EXT_TERRITORY] = STMT_TERRITORY_ID,      [EXT_CORRIDOR] = STMT_REFERRAL_CORRIDOR_ID_BY_EXT,
	[EXT_PROJECT] = STMT_STORY_PROJECT_ID,    [EXT_STORY] = STMT_STORY_ID_OF,
	[EXT_SERVICE_GAP] = STMT_GAP_ID_OF,       [EXT_POSITION] = STMT_TEAM_POS_ID,
	[EXT_SUPERVISION] = STMT_TEAM_SUP_ID,     [EXT_SUPPORT_REQUEST] = STMT_TEAM_REQ_ID,
	[EXT_REFERRAL] = STMT_REFERRAL_ID_BY_EXT,
};

int lookup_ext(struct db *db, enum ext_kind k, const char *ext, int64_t *id)
{
	BUG_ON((size_t)k >= ARRAY_LEN(ext_stmt));
	return lookup_id(db, ext_stmt[k], ext, "lookup.ext", id);
}
