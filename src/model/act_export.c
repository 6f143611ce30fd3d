/* Activity export (model/act_export.h): one ordered query, each row written
 * as it is read. CSV rows go through a 64 KiB stdio buffer; XLSX rows
 * through libxlsxwriter's constant-memory mode (one row in memory), on a
 * new sheet every 1,048,575 rows (Excel's limit with the header). Both
 * carry the same columns; text cells go through sheet_text (never read as
 * a formula), counts are numbers. */
#include "model/act_export.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/escape.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"

#define ACT_EXPORT_COLS 26
#define XLSX_MAX_ROWS 1048575 /* data rows per sheet */

static const char *const HEADER[ACT_EXPORT_COLS] = {"id",
						    "date",
						    "author",
						    "organisation",
						    "territory",
						    "type",
						    "place",
						    "duration_min",
						    "indirect_deplacement",
						    "indirect_interprete",
						    "indirect_redaction",
						    "indirect_preparation",
						    "unplanned",
						    "initiated_by",
						    "adults",
						    "children_0_5",
						    "children_6_17",
						    "families",
						    "new_contacts",
						    "hors_reseau",
						    "components",
						    "strategies",
						    "needs",
						    "outcomes",
						    "partners",
						    "followed_families"};

static void fail(struct act_export_result *res, const char *why)
{
	snprintf(res->reason, sizeof(res->reason), "%s", why);
}

/* Writes one CSV field, quoted when it holds the separator, a quote or a
 * line break. Text must have gone through sheet_text. */
static void csv_field(FILE *f, const char *s, char sep)
{
	if (!s)
		return;
	if (!strpbrk(s, "\"\r\n") && !strchr(s, sep)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static bool is_number_col(int c)
{
	return (c >= 7 && c <= 19) || c == 25;
}

#define N_BASE 20 /* columns read from the main query (its column 20 is the id) */
#define N_LISTS 6 /* components .. followed_families */
#define LIST_CAP 1024

/* One ordered scan of a list table: the current (id, value) pair. */
struct cursor {
	struct db_stmt *st;
	bool done;
	int64_t id;
};

/* The row being written: text of every column (NULL = empty). */
struct row {
	const char *v[ACT_EXPORT_COLS];
	char lists[N_LISTS][LIST_CAP];
};

static int cursor_next(struct db *db, struct cursor *c)
{
	int rc = db_step(c->st);
	if (rc == DB_ROW) {
		c->id = db_col_int64(c->st, 0);
		return 0;
	}
	c->done = true;
	if (rc != DB_DONE) {
		db_log_error(db, "act_export.list");
		return -1;
	}
	return 0;
}

static int cursors_open(struct db *db, struct cursor cur[N_LISTS])
{
	static const enum stmt_id ids[N_LISTS] = {
		STMT_AGG_EXPORT_COMPONENTS, STMT_AGG_EXPORT_STRATEGIES, STMT_AGG_EXPORT_NEEDS,
		STMT_AGG_EXPORT_OUTCOMES,   STMT_AGG_EXPORT_PARTNERS,   STMT_AGG_EXPORT_FAMILIES};
	for (int i = 0; i < N_LISTS; i++) {
		cur[i].st = db_stmt(db, ids[i]);
		cur[i].done = false;
		if (!cur[i].st || cursor_next(db, &cur[i]) < 0)
			return -1;
	}
	return 0;
}

static void cursors_close(struct cursor cur[N_LISTS])
{
	for (int i = 0; i < N_LISTS; i++)
		if (cur[i].st)
			db_reset(cur[i].st);
}

/* Appends the values of cursor c for activity id to out, joined with '|'
 * (the family cursor gives a count). */
static int collect(struct db *db, struct cursor *c, int64_t id, char *out)
{
	size_t len = 0;
	out[0] = 0;
	while (!c->done && c->id < id)
		if (cursor_next(db, c) < 0)
			return -1;
	while (!c->done && c->id == id) {
		const char *v = db_col_cstr(c->st, 1);
		size_t n = v ? strlen(v) : 0;
		if (len + n + 2 < LIST_CAP) {
			if (len)
				out[len++] = '|';
			memcpy(out + len, v ? v : "", n);
			len += n;
			out[len] = 0;
		}
		if (cursor_next(db, c) < 0)
			return -1;
	}
	return 0;
}

/* Fills r from the main row of st and the cursors. 0 or -1. */
static int row_fill(struct db *db, struct db_stmt *st, struct cursor cur[N_LISTS], struct row *r)
{
	for (int c = 0; c < N_BASE; c++)
		r->v[c] = db_col_cstr(st, c);
	int64_t id = db_col_int64(st, N_BASE);
	for (int i = 0; i < N_LISTS; i++) {
		if (collect(db, &cur[i], id, r->lists[i]) < 0)
			return -1;
		r->v[N_BASE + i] = r->lists[i];
	}
	if (!r->lists[N_LISTS - 1][0])
		r->v[ACT_EXPORT_COLS - 1] = "0";
	return 0;
}

static int write_csv(struct db_stmt *st, struct db *db, const struct act_export_options *opt,
		     const char *path, struct act_export_result *res)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		fail(res, "cannot create the output file");
		return -1;
	}
	static char iobuf[1 << 16];
	setvbuf(f, iobuf, _IOFBF, sizeof(iobuf));
	char sep = opt->sep ? opt->sep : ',';
	fputs("\xEF\xBB\xBF", f); /* UTF-8 byte-order mark, for Excel */
	for (int c = 0; c < ACT_EXPORT_COLS; c++) {
		if (c)
			fputc(sep, f);
		fputs(HEADER[c], f);
	}
	fputs("\r\n", f);
	int rc = DB_DONE;
	struct cursor cur[N_LISTS] = {0};
	static struct row r;
	struct arena *ar = arena_new(8192);
	bool list_err = cursors_open(db, cur) < 0;
	while (!list_err && (rc = db_step(st)) == DB_ROW) {
		if (row_fill(db, st, cur, &r) < 0) {
			list_err = true;
			break;
		}
		arena_reset(ar);
		for (int c = 0; c < ACT_EXPORT_COLS; c++) {
			if (c)
				fputc(sep, f);
			csv_field(f, is_number_col(c) ? r.v[c] : sheet_text(ar, r.v[c]), sep);
		}
		fputs("\r\n", f);
		res->rows++;
	}
	arena_free(ar);
	cursors_close(cur);
	if (list_err)
		rc = DB_ERROR;
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad) {
		fail(res, "cannot write the output file");
		return -1;
	}
	if (rc != DB_DONE) {
		db_log_error(db, "act_export.csv");
		fail(res, "database error");
		return -1;
	}
	return 0;
}

static lxw_worksheet *new_sheet(lxw_workbook *wb, int n, lxw_format *bold)
{
	char name[32];
	snprintf(name, sizeof(name), n ? "activites_%d" : "activites", n + 1);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	if (!ws)
		return NULL;
	for (int c = 0; c < ACT_EXPORT_COLS; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, HEADER[c], bold);
	return ws;
}

static int write_xlsx(struct db_stmt *st, struct db *db, const char *path,
		      struct act_export_result *res)
{
	lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(path, &o);
	if (!wb) {
		fail(res, "cannot create the output file");
		return -1;
	}
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	int sheet = 0;
	lxw_worksheet *ws = new_sheet(wb, sheet, bold);
	lxw_row_t row = 0;
	int rc = DB_DONE;
	bool ok = ws != NULL;
	struct cursor cur[N_LISTS] = {0};
	static struct row rw;
	struct arena *ar = arena_new(8192);
	if (cursors_open(db, cur) < 0)
		rc = DB_ERROR;
	while (ok && rc != DB_ERROR && (rc = db_step(st)) == DB_ROW) {
		if (row_fill(db, st, cur, &rw) < 0) {
			rc = DB_ERROR;
			break;
		}
		if (row == XLSX_MAX_ROWS) {
			ws = new_sheet(wb, ++sheet, bold);
			row = 0;
			if (!ws) {
				ok = false;
				break;
			}
		}
		row++;
		arena_reset(ar);
		for (int c = 0; c < ACT_EXPORT_COLS; c++) {
			int64_t n;
			if (!rw.v[c] || !rw.v[c][0])
				continue;
			if (is_number_col(c) && parse_i64(rw.v[c], INT64_MIN, INT64_MAX, &n) == 0)
				worksheet_write_number(ws, row, (lxw_col_t)c, (double)n, NULL);
			else
				worksheet_write_string(ws, row, (lxw_col_t)c,
						       sheet_text(ar, rw.v[c]), NULL);
		}
		res->rows++;
	}
	arena_free(ar);
	cursors_close(cur);
	lxw_error e = workbook_close(wb);
	if (!ok || e != LXW_NO_ERROR) {
		fail(res, "cannot write the output file");
		return -1;
	}
	if (rc != DB_DONE) {
		db_log_error(db, "act_export.xlsx");
		fail(res, "database error");
		return -1;
	}
	return 0;
}

int act_export_write(struct db *db, const struct act_export_options *opt, const char *path,
		     struct act_export_result *res)
{
	memset(res, 0, sizeof(*res));
	if (opt->view == IX_VIEW_COMITE || opt->view == IX_VIEW_ANALYSTE) {
		fail(res, "the comite and analyste views contain no single activity "
			  "(aggregates only: use the reports)");
		return 1;
	}
	int64_t org = 0;
	if (opt->organisation) {
		struct db_stmt *s = db_stmt(db, STMT_AGG_EXPORT_ORG);
		if (!s)
			return -1;
		db_bind_text_copy(s, 1, opt->organisation);
		if (db_step(s) != DB_ROW) {
			db_reset(s);
			fail(res, "unknown organisation");
			return 1;
		}
		org = db_col_int64(s, 0);
		db_reset(s);
	}
	struct db_stmt *st = db_stmt(db, STMT_AGG_EXPORT_ACTIVITIES);
	if (!st)
		return -1;
	db_bind_int64(st, 1, org);
	if (opt->from)
		db_bind_text_copy(st, 2, opt->from);
	if (opt->to)
		db_bind_text_copy(st, 3, opt->to);
	int r = opt->format == ACT_EXPORT_XLSX ? write_xlsx(st, db, path, res)
					       : write_csv(st, db, opt, path, res);
	db_reset(st);
	if (r == 0)
		log_info("act_export", "rows=%lld", (long long)res->rows);
	return r;
}
