/* HTML views: the page shell and the helpers every page uses. Pages write
 * with html_printf(), which escapes by default. */
#ifndef PROXIMA_VIEW_H
#define PROXIMA_VIEW_H

#include "core/err.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

/* Translates a French msgid into the request's language. */
#define TR(req, msgid) i18n_tr((req)->lang, msgid)

/* This response's CSP nonce (generated on first use). Arena string. */
const char *view_nonce(struct request *req);

/* Opens the page: doctype, head (title, stylesheet, script with nonce),
 * header with navigation and the language switch, then <main>. The title
 * is already translated. Sets Content-Type. */
void view_begin(struct request *req, struct response *resp, const char *title);

/* Closes <main>, writes the footer and closes the document. */
void view_end(struct request *req, struct response *resp);

/* The HTML error page for e, with req->err_message if set. */
void view_error(struct request *req, struct response *resp, enum perr e);

/* The pages' route table (src/views/routes.c). */
extern const struct route view_routes[];
extern const size_t view_routes_count;

/* Pages. */
enum perr view_home(struct request *req, struct response *resp);
enum perr view_set_language(struct request *req, struct response *resp);
enum perr view_login_form(struct request *req, struct response *resp);
enum perr view_login_submit(struct request *req, struct response *resp);
enum perr view_logout(struct request *req, struct response *resp);

/* The field journal (src/views/journal.c). */
enum perr view_journal(struct request *req, struct response *resp);
enum perr view_journal_team(struct request *req, struct response *resp);
enum perr view_activity_new(struct request *req, struct response *resp);
enum perr view_activity_create(struct request *req, struct response *resp);
enum perr view_indirect_new(struct request *req, struct response *resp);
enum perr view_indirect_create(struct request *req, struct response *resp);
enum perr view_activity_edit(struct request *req, struct response *resp);
enum perr view_activity_update(struct request *req, struct response *resp);
enum perr view_activity_delete_confirm(struct request *req, struct response *resp);
enum perr view_activity_delete(struct request *req, struct response *resp);

/* Followed families (src/views/families.c). */
enum perr view_families(struct request *req, struct response *resp);
enum perr view_family_new(struct request *req, struct response *resp);
enum perr view_family_create(struct request *req, struct response *resp);
enum perr view_family_show(struct request *req, struct response *resp);
enum perr view_family_contact(struct request *req, struct response *resp);
enum perr view_family_consent(struct request *req, struct response *resp);
enum perr view_family_consent_save(struct request *req, struct response *resp);
enum perr view_family_close_form(struct request *req, struct response *resp);
enum perr view_family_close(struct request *req, struct response *resp);
enum perr view_family_reopen_form(struct request *req, struct response *resp);
enum perr view_family_reopen(struct request *req, struct response *resp);

/* True when p is a local path safe to redirect to ("/x", not "//host"). */
int view_local_path(const char *p);

/* ---- The installable web app (views/pwa.c, issue 11). */

/* The URLs a phone fetches ahead to work without a network: the field
 * forms, "Mon journal" for the last four weeks, the reference lists.
 * Arena array in *out. Returns 0 or -1. */
int view_offline_urls(struct request *req, const char ***out, size_t *n);

/* GET /sw.js and GET /manifest.webmanifest. */
enum perr view_service_worker(struct request *req, struct response *resp);
enum perr view_manifest(struct request *req, struct response *resp);

#endif
