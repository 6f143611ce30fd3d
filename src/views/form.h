/* A form as a whole: its hidden fields, its submit bar, the values posted. */
#ifndef PROXIMA_VIEWS_FORM_H
#define PROXIMA_VIEWS_FORM_H

#include <stdbool.h>

#include "http/request.h"
#include "http/response.h"
#include "model/activity.h"

/* Writes the hidden fields every POST form carries: csrf_token (the token
 * of this session, set on resp when new) and a new one-time form token
 * (model/form_token.h), which makes a second POST of the same form answer
 * like the first instead of writing again. */
void form_csrf_field(struct request *req, struct response *resp);

/* Today's local date (YYYY-MM-DD, honours PROXIMA_NOW), an arena string. */
const char *form_today(struct request *req);

/* The posted value of field name with spaces, tabs and line breaks
 * trimmed at both ends, as an arena string; NULL when absent or blank. */
const char *form_trimmed(struct request *req, const char *name);

/* Ends a form into o: the submit bar with the primary button (label, already
 * translated) and, when cancel_href is not NULL, an "Annuler" link to
 * cancel_href; then closes the <form>. */
void form_submit_bar(struct request *req, struct buf *o, const char *label,
		     const char *cancel_href);

/* All values of a repeated form field (checkboxes), empty ones skipped and
 * duplicates dropped, into an arena list. */
void form_values(struct request *req, const char *name, struct strlist *out);

/* True when list holds code. */
bool strlist_has(const struct strlist *l, const char *code);

#endif
