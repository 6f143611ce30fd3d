#include "reports/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/escape.h"
#include "core/log.h"
#include "reports/spool.h"

void table_init(struct table *t, struct arena *ar, const char *title, const char *const *header,
		size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ar = ar;
	t->title = title;
	t->header = header;
	t->ncols = ncols;
}

static struct table_cell *next_cell(struct table *t)
{
	t->cells = arena_grow(t->ar, t->cells, t->n, &t->cap, sizeof(*t->cells));
	struct table_cell *c = &t->cells[t->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

void table_text(struct table *t, const char *s)
{
	next_cell(t)->text = s ? arena_strdup(t->ar, s) : NULL;
}

void table_int(struct table *t, int64_t v)
{
	struct table_cell *c = next_cell(t);
	c->is_number = true;
	c->number = (double)v;
}

size_t table_rows(const struct table *t)
{
	return t->ncols ? t->n / t->ncols : 0;
}

int table_format_parse(const char *s, enum table_format *f)
{
	if (s && strcmp(s, "csv") == 0)
		*f = TABLE_CSV;
	else if (s && strcmp(s, "xlsx") == 0)
		*f = TABLE_XLSX;
	else
		return -1;
	return 0;
}

const char *table_content_type(enum table_format f)
{
	return f == TABLE_CSV ? "text/csv; charset=utf-8"
			      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

/* A text cell: written as text even when a spreadsheet could take it
 * for a formula (sheet_text, core/escape.h), quoted when it holds the
 * separator, a quote or a line break. */
static void csv_field(struct buf *b, struct arena *ar, const char *s, char sep)
{
	if (!s)
		return;
	s = sheet_text(ar, s);
	bool quote = strchr(s, sep) || strpbrk(s, "\"\r\n");
	if (quote)
		buf_putc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	if (quote)
		buf_putc(b, '"');
}

static int write_csv(const struct table *t, const char *lang, struct buf *out)
{
	char sep = strcmp(lang, "en") == 0 ? ',' : ';';
	buf_puts(out, "\xEF\xBB\xBF");
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			buf_putc(out, sep);
		csv_field(out, t->ar, t->header[c], sep);
	}
	buf_puts(out, "\r\n");
	for (size_t i = 0; i + t->ncols <= t->n; i += t->ncols) {
		for (size_t c = 0; c < t->ncols; c++) {
			const struct table_cell *cell = &t->cells[i + c];
			if (c)
				buf_putc(out, sep);
			if (cell->is_number)
				buf_printf(out, "%.0f", cell->number);
			else
				csv_field(out, t->ar, cell->text, sep);
		}
		buf_puts(out, "\r\n");
	}
	return out->overflow ? -1 : 0;
}

static int write_sheet(const struct table *t, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->title);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_format *wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	for (size_t c = 0; ws && c < t->ncols; c++) {
		worksheet_write_string(ws, 0, (lxw_col_t)c, t->header[c], bold);
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 18, NULL);
	}
	size_t rows = table_rows(t);
	for (size_t r = 0; ws && r < rows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const struct table_cell *cell = &t->cells[r * t->ncols + c];
			lxw_row_t row = (lxw_row_t)(r + 1);
			if (cell->is_number)
				worksheet_write_number(ws, row, (lxw_col_t)c, cell->number, NULL);
			else if (cell->text)
				worksheet_write_string(ws, row, (lxw_col_t)c,
						       sheet_text(t->ar, cell->text), wrap);
		}
	}
	if (ws && t->ncols) {
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, (lxw_col_t)(t->ncols - 1));
		worksheet_freeze_panes(ws, 1, 0);
	}
	lxw_error err = workbook_close(wb);
	if (err != LXW_NO_ERROR || !ws) {
		log_error("table.xlsx", "reason=\"%s\"", lxw_strerror(err));
		return -1;
	}
	return 0;
}

static int spool_sheet(const void *t, const char *path)
{
	return write_sheet(t, path);
}

int table_write(const struct table *t, enum table_format f, const char *lang, struct buf *out)
{
	return f == TABLE_CSV ? write_csv(t, lang ? lang : "fr", out)
			      : report_spool(spool_sheet, t, out);
}
