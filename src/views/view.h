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

/* Writes, for a posted form drawn again (view_form_again), the message
 * that says why, above the form; nothing otherwise. view_begin calls it;
 * a page with its own shell calls it after opening <main>. */
void view_form_error_note(struct request *req, struct response *resp);

/* Closes <main>, writes the footer and closes the document. */
void view_end(struct request *req, struct response *resp);

/* The HTML error page for e, with req->err_message if set. */
void view_error(struct request *req, struct response *resp, enum perr e);

/* ---- Posted forms: one way back when a write fails.
 *
 * A page that takes a form reads it into its own state (values as typed,
 * field errors) in the request's arena, then calls view_form_posted with
 * the function that draws that state. From then on the handler simply
 * returns an error, and the form comes back filled in:
 *   PERR_UNPROCESSABLE  the model refused values (422, errors beside their
 *                       fields);
 *   PERR_CONFLICT       the record changed meanwhile (409);
 *   PERR_UNAVAILABLE, PERR_INTERNAL
 *                       a write failed; the pipeline knows the finer
 *                       reason (a full disk: PERR_FULL, 507).
 * The same happens after the handler answered, when the pipeline cannot
 * make the write durable (COMMIT fails) or the form's one-time token has
 * expired. The pipeline discards the write unit first: nothing of a form
 * drawn again is stored. */

/* Draws a posted form again from its state (with what was typed). */
typedef enum perr (*view_draw_fn)(struct request *req, struct response *resp, void *form);

/* Remembers how to draw the posted form again (above). form is arena
 * memory that lives until the response is written. */
void view_form_posted(struct request *req, view_draw_fn draw, void *form);

/* The one re-render path: draws the remembered form again for error e,
 * with e's status (src/http/error.c) and, above the form, a message that
 * says what happened (req->err_message, else e's message; none for a plain
 * PERR_UNPROCESSABLE or PERR_CONFLICT, whose errors sit beside their
 * fields). Returns what
 * the drawing returns, or e itself when no form was remembered or e is not
 * one a form answers (the caller then writes the error page). */
enum perr view_form_again(struct request *req, struct response *resp, enum perr e);

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
