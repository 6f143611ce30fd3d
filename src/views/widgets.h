/* Form widgets (fw_*): accessible markup written with html_printf
 * (escaped). Each field has a visible <label>, and a field with an error
 * gets aria-invalid and aria-describedby pointing at its message, shown
 * right next to it. Field names are the interchange names of the model
 * ("duration_min", "counts.adults"), so a validation error names its field
 * directly; ids are "f-" plus the name with dots turned into dashes. */
#ifndef PROXIMA_VIEWS_WIDGETS_H
#define PROXIMA_VIEWS_WIDGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/activity.h"
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

#endif
