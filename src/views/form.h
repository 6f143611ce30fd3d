/* Form widgets and display formats shared by the journal and family pages.
 *
 * Widgets write accessible markup with html_printf (escaped): each field
 * has a visible <label>, and a field with an error gets aria-invalid and
 * aria-describedby pointing at its message, shown right next to it. Field
 * names are the interchange names of the model ("duration_min",
 * "counts.adults"), so a validation error names its field directly; ids
 * are "f-" plus the name with dots turned into dashes.
 *
 * Formats follow the request's language without setlocale: French gives
 * "1,5 h" and "lundi 23 novembre 2026", English "1.5 h" and "Monday,
 * November 23, 2026". */
#ifndef PROXIMA_VIEWS_FORM_H
#define PROXIMA_VIEWS_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "model/activity.h"
#include "model/actor.h"
#include "model/refdata.h"
#include "model/validation.h"
#include "views/view.h"

/* A form being written: where, and the errors to show. */
struct fw {
	struct request *req;
	struct buf *out;
	const struct validation *v; /* may be NULL */
	size_t chips_first;         /* chips shown before "Autres choix" (0 = all) */
};

/* Writes the hidden fields every POST form carries: csrf_token (the token
 * of this session, set on resp when new) and a new one-time form token
 * (model/form_token.h), which makes a second POST of the same form answer
 * like the first instead of writing again. */
void form_csrf_field(struct request *req, struct response *resp);

/* Today's local date (YYYY-MM-DD, honours PROXIMA_NOW), an arena string. */
const char *form_today(struct request *req);

/* The answer to reading the row a page is about: r as the model's get
 * functions return it (<0 error, >0 absent or not visible, 0 found).
 * PERR_OK, PERR_UNAVAILABLE, or PERR_NOT_FOUND (nothing leaks). */
enum perr view_found(int r);

/* The posted value of field name with spaces, tabs and line breaks
 * trimmed at both ends, as an arena string; NULL when absent or blank. */
const char *form_trimmed(struct request *req, const char *name);

/* Ends a form into o: the submit bar with the primary button (label, already
 * translated) and, when cancel_href is not NULL, an "Annuler" link to
 * cancel_href; then closes the <form>. */
void form_submit_bar(struct request *req, struct buf *o, const char *label,
		     const char *cancel_href);

/* The element id of a field name ("counts.adults" -> "f-counts-adults").
 * Arena string. */
const char *fw_id(struct arena *a, const char *name);

/* The translated error of a field, or NULL. */
const char *fw_error(const struct fw *f, const char *name);

/* Writes " aria-invalid=\"true\" aria-describedby=\"e-ID\"" when the field
 * has an error, else nothing. */
void fw_invalid_attrs(const struct fw *f, const char *name);

/* Writes the field's error message (<p class="field-error" id="e-ID">)
 * when it has one. */
void fw_error_text(const struct fw *f, const char *name);

/* A summary of every error at the top of the form (role="alert"), each
 * naming its field by the field's label on the page ("Adultes : Entrez un
 * nombre…") and linked to it. Nothing when there is none. The labels come
 * after the summary in the page, so the summary is written into its place
 * when the page is finished (fw_summary_flush, which view_end calls) or
 * when the next summary of the page starts. */
void fw_error_summary(const struct fw *f, const char *title);

/* Writes the pending error summary of req (if any) into its place in the
 * page. */
void fw_summary_flush(struct request *req);

/* A text-like input (type "text", "date", "time", "tel") with its label
 * and optional hint (already translated; NULL for none). */
void fw_input(const struct fw *f, const char *type, const char *name, const char *label,
	      const char *value, const char *hint);

/* A multi-line text field (rows lines, at most maxlength characters) with
 * its label and optional hint, like fw_input. */
void fw_textarea(const struct fw *f, const char *name, const char *label, const char *value,
		 const char *hint, int rows, int maxlength);

/* A whole-number input (inputmode numeric) with -/+ steppers that app.js
 * activates (step is the stepper's increment). */
void fw_number(const struct fw *f, const char *name, const char *label, const char *value, int step,
	       int max);

/* A group of radio buttons drawn as large chips. items come from a
 * reference list; checked is the selected code (or NULL). */
void fw_chips(const struct fw *f, const char *name, const char *legend,
	      const struct ref_item *items, size_t n, const char *checked);

/* A group of checkboxes for a reference list, with the codes in sel
 * checked (skip: a code not to offer, or NULL). */
void fw_checks(const struct fw *f, const char *name, const char *legend,
	       const struct ref_item *items, size_t n, const struct strlist *sel);

/* A <select> for a reference list with an empty first option (none_label)
 * and selected preselected. */
void fw_select(const struct fw *f, const char *name, const char *label,
	       const struct ref_item *items, size_t n, const char *selected,
	       const char *none_label);

/* The label of a reference item in the request's language. */
const char *ref_item_label(const struct request *req, const struct ref_item *it);

/* The label of code among items; for a code not among them (an entry
 * since retired), its label in the reference table; else the code. */
const char *ref_lookup(const struct request *req, const struct ref_item *items, size_t n,
		       const char *code);

/* All values of a repeated form field (checkboxes), empty ones skipped and
 * duplicates dropped, into an arena list. */
void form_values(struct request *req, const char *name, struct strlist *out);

/* True when list holds code. */
bool strlist_has(const struct strlist *l, const char *code);

/* Formats, into arena strings. */

/* A duration in minutes for one entry: "45 min", "1 h 30", "2 h". */
const char *fmt_minutes(struct request *req, long minutes);

/* A duration in hours with one decimal: "1,5 h" (French), "1.5 h". Whole
 * hours drop the decimal ("2 h"). */
const char *fmt_hours(struct request *req, long minutes);

/* A number of tenths with one decimal: 21 -> "2,1" / "2.1". */
const char *fmt_tenths(struct request *req, long tenths);

/* "lundi 23 novembre 2026" / "Monday, November 23, 2026" for "YYYY-MM-DD";
 * the input itself when it is not a date. */
const char *fmt_date_long(struct request *req, const char *date);

/* "lundi 23 novembre" / "Monday, November 23". */
const char *fmt_date_day(struct request *req, const char *date);

/* "lun. 23 nov." / "Mon, Nov 23". */
const char *fmt_date_short(struct request *req, const char *date);

/* "23 nov. 2026" / "Nov 23, 2026". */
const char *fmt_date_medium(struct request *req, const char *date);

/* The reference lists a journal page shows, in the actor's organisation. */
struct view_refs {
	struct ref_item *types, *places, *needs, *outcomes, *components, *strategies;
	size_t ntypes, nplaces, nneeds, noutcomes, ncomponents, nstrategies;
};

/* Loads every list for organisation_id. Returns 0 or -1. */
int view_refs_load(struct db *db, struct arena *a, int64_t organisation_id, struct view_refs *r);

/* How an activity is shown in a list. */
enum {
	ENTRY_SHOW_DATE = 1,   /* the date (family timeline) */
	ENTRY_SHOW_AUTHOR = 2, /* who wrote it (team view) */
	ENTRY_EDIT_LINK = 4,   /* a "Modifier" link */
};

/* Writes one activity as an <li class="entry" id="a-ID">. author may be
 * NULL. */
void view_activity_entry(struct request *req, struct response *resp, const struct view_refs *r,
			 const struct activity *a, const char *author, unsigned flags);

/* The page shown to roles that see no single journal entry (comité,
 * analyste, admin) or to an account without an organisation. */
enum perr view_not_for_role(struct request *req, struct response *resp, const char *title);

/* Parses a route's ":id" capture; 0 when it is not a positive integer. */
int64_t view_param_id(const struct request *req);

/* The start of a handler for a page only some actors may see: allowed is
 * the model's answer for this actor. Returns this thread's connection
 * (db_thread(), not owned by the caller), or NULL with *e set to
 * PERR_NOT_FOUND when not allowed (the page does not leak its existence)
 * or to PERR_UNAVAILABLE when the database cannot be opened. */
struct db *view_open_db(bool allowed, enum perr *e);

/* The same for a page that roles without it are told about rather than
 * given a 404: when not allowed, writes view_not_for_role(req, resp,
 * title) (title already translated) and returns NULL with *e set to what
 * that returns. */
struct db *view_open_page_db(struct request *req, struct response *resp, bool allowed,
			     const char *title, enum perr *e);

#endif
