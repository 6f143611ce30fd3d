/* Search text of the directory's rows: see search.h. */
#include "model/search.h"

#include <string.h>

#include "core/arena.h"
#include "core/fold.h"
#include "core/log.h"
#include "db/db.h"
#include "model/row.h"

void search_bind_text(struct db_stmt *s, int i, const char *a, const char *b, const char *c)
{
	struct arena *ar = arena_new(1024);
	const char *words = arena_printf(ar, "%s %s %s", a ? a : "", b ? b : "", c ? c : "");
	db_bind_text_copy(s, i, arena_printf(ar, " %s", fold_text(ar, words)));
	arena_free(ar);
}

struct row_words {
	int64_t id;
	const char *a, *b;
};

/* The rows of select (id, a, b) into *out, all read before any update. */
static int read_empty(struct db *db, struct arena *ar, enum stmt_id select, struct row_words **out,
		      size_t *n)
{
	struct db_stmt *s = db_stmt(db, select);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct row_words *w;
	while ((w = row_next(db, s, ar, &rows, sizeof(*w), "search.fill")))
		*w = (struct row_words){.id = db_col_int64(s, 0),
					.a = db_col_text(ar, s, 1),
					.b = db_col_text(ar, s, 2)};
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* Fills the empty search texts of one table. Returns how many, or -1. */
static int64_t fill_table(struct db *db, enum stmt_id select, enum stmt_id update)
{
	struct arena *ar = arena_new(16384);
	struct row_words *rows;
	size_t n;
	int64_t done = read_empty(db, ar, select, &rows, &n) < 0 ? -1 : 0;
	for (size_t i = 0; done >= 0 && i < n; i++) {
		struct db_stmt *u = db_stmt(db, update);
		if (!u) {
			done = -1;
			break;
		}
		db_bind_int64(u, 1, rows[i].id);
		search_bind_text(u, 2, rows[i].a, rows[i].b, NULL);
		int rc = db_step(u);
		db_reset(u);
		done = rc == DB_DONE ? done + 1 : -1;
	}
	if (done < 0)
		db_log_error(db, "search.fill");
	arena_free(ar);
	return done;
}

struct fill_arg {
	int64_t rows;
};

static enum db_unit_verdict fill_unit(struct db *db, void *arg)
{
	static const enum stmt_id tables[][2] = {
		{STMT_SEARCH_REF_EMPTY, STMT_SEARCH_REF_SET},
		{STMT_SEARCH_SECTOR_EMPTY, STMT_SEARCH_SECTOR_SET},
		{STMT_SEARCH_ORG_EMPTY, STMT_SEARCH_ORG_SET},
		{STMT_SEARCH_CORRIDOR_EMPTY, STMT_SEARCH_CORRIDOR_SET},
		{STMT_SEARCH_STORY_EMPTY, STMT_SEARCH_STORY_SET}};
	struct fill_arg *f = arg;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		int64_t n = fill_table(db, tables[i][0], tables[i][1]);
		if (n < 0)
			return DB_UNIT_DISCARD;
		f->rows += n;
	}
	return DB_UNIT_KEEP;
}

int64_t search_fill(struct db *db)
{
	struct fill_arg f = {0};
	if (db_unit_run(db, fill_unit, &f, NULL) != DB_UNIT_COMMITTED)
		return -1;
	if (f.rows)
		log_info("search.fill", "rows=%lld", (long long)f.rows);
	return f.rows;
}
