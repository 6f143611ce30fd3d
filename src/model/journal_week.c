#include "model/journal_week.h"

#include <string.h>

#include "core/log.h"
#include "model/row.h"

int journal_weekday(const struct pdate *d)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int64_t r = (ptime_days_from_civil(d) + 3) % 7;
	return (int)(r < 0 ? r + 7 : r);
}

void journal_today(char out[11])
{
	struct pdate d = ptime_local_date(ptime_now());
	ptime_format_date(&d, out);
}

int journal_week_of(const char *date, struct journal_week *w)
{
	struct pdate d;
	if (!date || !*date)
		d = ptime_local_date(ptime_now());
	else if (ptime_parse_date(date, &d) < 0)
		return -1;
	int64_t monday = ptime_days_from_civil(&d) - journal_weekday(&d);
	struct pdate m = ptime_civil_from_days(monday);
	struct pdate s = ptime_civil_from_days(monday + 6);
	struct pdate p = ptime_civil_from_days(monday - 7);
	struct pdate n = ptime_civil_from_days(monday + 7);
	ptime_format_date(&m, w->monday);
	ptime_format_date(&s, w->sunday);
	ptime_format_date(&p, w->prev);
	ptime_format_date(&n, w->next);
	return 0;
}

void journal_totals_add(struct journal_totals *t, const struct activity *a)
{
	t->activities++;
	t->direct += a->duration_min;
	t->indirect += activity_indirect(a);
	t->ind_deplacement += a->ind_deplacement;
	t->ind_interprete += a->ind_interprete;
	t->ind_redaction += a->ind_redaction;
	t->ind_preparation += a->ind_preparation;
	t->people += activity_people(a);
	t->new_contacts += a->new_contacts;
	t->hors_reseau += a->hors_reseau;
}

long journal_multiplier_tenths(const struct journal_totals *t)
{
	if (t->direct <= 0)
		return 0;
	long total = t->direct + t->indirect;
	return (total * 10 + t->direct / 2) / t->direct;
}

int journal_family_activities(struct db *db, struct arena *ar, const struct actor *who,
			      int64_t family_id, struct activity **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_VIEW_FAMILY_ACTIVITIES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, family_id);
	db_bind_int(s, 2, JOURNAL_TIMELINE_MAX);
	int64_t ids[JOURNAL_TIMELINE_MAX];
	size_t count = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW && count < JOURNAL_TIMELINE_MAX)
		ids[count++] = db_col_int64(s, 0);
	db_reset(s);
	if (rc != DB_DONE && rc != DB_ROW) {
		db_log_error(db, "journal.family_activities");
		return -1;
	}
	struct activity *v = arena_alloc(ar, (count ? count : 1) * sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < count; i++) {
		int r = activity_get(db, ar, who, ids[i], &v[k]);
		if (r < 0)
			return -1;
		if (r == 0)
			k++;
	}
	*out = v;
	*n = k;
	return 0;
}

/* Reads (id, name) rows of a prepared statement into an arena array. */
static int read_named(struct db *db, struct arena *ar, struct db_stmt *s, const char *event,
		      struct journal_named **out, size_t *n)
{
	struct row_array rows = {0};
	struct journal_named *r;
	while ((r = row_next(db, s, ar, &rows, sizeof(*r), event))) {
		r->id = db_col_int64(s, 0);
		const char *t = db_col_cstr(s, 1);
		r->name = arena_strdup(ar, t ? t : "");
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

int journal_partner_orgs(struct db *db, struct arena *ar, int64_t organisation_id,
			 struct journal_named **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_VIEW_PARTNER_ORGS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	return read_named(db, ar, s, "journal.partner_orgs", out, n);
}

int journal_territories(struct db *db, struct arena *ar, int64_t organisation_id,
			int64_t territory_id, struct journal_named **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_VIEW_TERRITORIES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	db_bind_int64(s, 2, territory_id);
	return read_named(db, ar, s, "journal.territories", out, n);
}

int journal_territories_served(struct db *db, struct arena *ar, int64_t organisation_id,
			       struct journal_named **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_DIR_TERRITORIES_SERVED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	return read_named(db, ar, s, "journal.territories_served", out, n);
}

/* The text of the first column of a one-row statement keyed by id. */
static const char *one_text(struct db *db, struct arena *ar, enum stmt_id sid, int64_t id)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return NULL;
	db_bind_int64(s, 1, id);
	const char *r = NULL;
	if (db_step(s) == DB_ROW) {
		const char *t = db_col_cstr(s, 0);
		r = t ? arena_strdup(ar, t) : NULL;
	}
	db_reset(s);
	return r;
}

const char *journal_last_type(struct db *db, struct arena *ar, int64_t author_id)
{
	return one_text(db, ar, STMT_VIEW_LAST_TYPE, author_id);
}

const char *journal_person_name(struct db *db, struct arena *ar, int64_t person_id)
{
	return one_text(db, ar, STMT_VIEW_PERSON_NAME, person_id);
}
