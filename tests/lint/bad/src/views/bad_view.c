/* fmtcheck fixture: every problem in this file is deliberate and listed in
 * tests/lint/expected.txt. Never compiled. */
#include <stdarg.h>

#include "core/escape.h"
#include "core/log.h"
#include "views/view.h"

/* A printf-like wrapper: its callers are checked like html_printf's. */
static void heading(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Not printf-like: its text becomes a format. */
static void para(struct buf *b, const char *text)
{
	html_printf(b, text);
}

#define PARA(b, ...) html_printf(b, __VA_ARGS__)
#define COPY(dst, src) strcpy(dst, src)

void bad_view(struct request *req, struct buf *b, const char *user, int n)
{
	html_printf(b, user);
	html_printf(b, "<p>%s %s</p>", user);
	html_printf(b, "<p>%x</p>", n);
	html_printf(b,
		    "<table>"
		    "<td width=\"100%\">%s</td>",
		    user);
	html_printf(b, "<p>%5s</p>", user);
	html_printf(b, "<p>%d</p>", n, n);
	html_printf(b, TR(req, "Bonjour"));
	html_vprintf(b, "%q", NULL);
	html_printf(b, "%lu%");
	char tmp[32];
	sprintf(tmp, "%d", n);
	COPY(tmp, user);
	n = atoi(user);
	buf_printf(b, user);
	log_info("view.bad", user);
	heading(b, "<h1>%s</h1>", user);
	heading(b, user);
	heading(b, "<h1>%s</h1>", user, user);
	para(b, "<p>fine, but para itself is flagged</p>");
	PARA(b, "<p>%s</p>", user, user);
	PARA(b, user);
	html_printf(b, "%zd %lf %#d", (ssize_t)n, 1.0, n);
	html_printf(b, "%0000000000000d %00000000000000d", n, n);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	buf_printf(b, tmp, n);
	html_printf(b, tmp);
#pragma GCC diagnostic pop
	buf_printf(b, tmp, n);
	sqlite3_exec(NULL, "DELETE FROM person", NULL, NULL, NULL);
	db_exec_script(NULL, "DROP TABLE person", NULL, 0);
}

/* The engines' headers and ad-hoc SQL belong to src/db/. */
#include <libpq-fe.h>
# include "sqlite3.h"
static void adhoc(struct db *db)
{
	db_query(db, "SELECT 1");
}

/* Pages read and write through the model, and their statuses come from
 * src/http/error.c. */
static enum perr raw_read(struct request *req, struct response *resp, struct db *db)
{
	struct db_stmt *s = db_stmt(db, STMT_ACT_GET);
	db_bind_int64(s, 1, 1);
	if (db_step(s) == DB_ROW)
		req->err_message = db_col_text(req->arena, s, 0);
	db_reset(s);
	if (db_begin(db) < 0 || db_commit(db) < 0)
		db_rollback(db);
	resp->status = 422;
	resp->status = http_status(PERR_UNPROCESSABLE);
	return PERR_OK;
}
