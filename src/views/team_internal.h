/* What the team follow-up pages (src/views/team_*.c) share; not for other
 * pages. */
#ifndef PROXIMA_VIEWS_TEAM_INTERNAL_H
#define PROXIMA_VIEWS_TEAM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/position.h"
#include "model/support.h"
#include "model/validation.h"
#include "views/view.h"

struct actor;
struct staff;

/* A posted form of these pages: its errors, and the record it is about
 * (a position or a support request); the values as typed are read from
 * the request again when the form is drawn. */
struct team_posted {
	struct validation v;
	struct position p;
	struct support_request r;
};

/* A positive id from a form or query value; 0 otherwise. */
int64_t team_id_value(const char *s);

/* "1,5" or "1.5" hours; NAN when not a number. */
double team_hours_value(struct request *req, const char *s);

/* h hours as the page shows them (fmt_hours); in the request's arena. */
const char *team_hours_text(struct request *req, double h);

/* The value of a form field: as posted (name, "" when absent) when posted,
 * else v ("" for NULL). Borrowed from the request or from v. */
const char *team_raw_or(struct request *req, bool posted, const char *name, const char *v);

/* What the model's answer r to a form's write means for the page: 0
 * written, >0 refused with the reasons in the form's validation
 * (PERR_UNPROCESSABLE), <0 failed (PERR_UNAVAILABLE). The form comes back
 * filled in on both failures (view_form_posted). */
enum perr team_form_written(int r);

/* The state of a posted form, registered to be drawn again by draw. */
struct team_posted *team_posted_form(struct request *req, view_draw_fn draw);

/* The notice of the "ok" query: texts[i] (translated) when it is codes[i]. */
void team_notice(struct request *req, struct response *resp, const char *const *codes,
		 const char *const *texts, size_t n);

/* A <select> of staff (value = person id), with an empty first option. */
void team_staff_select(struct request *req, struct buf *o, const char *name, const char *label,
		       const struct staff *st, size_t n, int64_t skip, int64_t selected,
		       const char *none_label, bool only_pap);

/* Whether a is a manager with an organisation. */
bool team_is_manager(const struct actor *a);

/* One <dt>label</dt><dd>value</dd> pair of a record's facts. */
void team_fact(struct buf *o, const char *label, const char *value);

/* The list of support requests v (links to base/ID), with their authors
 * when show_author (src/views/team_support.c). */
void team_support_items(struct request *req, struct buf *o, const struct support_request *v,
			size_t n, bool show_author, const char *base);

#endif
