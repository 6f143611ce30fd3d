/* Team follow-up indicators: see ind_team.h for the rules. The headcount is
 * computed by interval arithmetic over holder periods (one query), never
 * by querying day after day. */
#include "model/ind_team.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "model/row.h"
#include "model/survey.h"

#define DAY_OPEN INT64_MAX /* an open end (NULL end date) */

bool ind_team_small_cell(double headcount, int t)
{
	return headcount < (double)(t > 0 ? t : IND_TEAM_SMALL_CELL_T);
}

void ind_team_period(const struct ind_scope *s, int64_t *first, int64_t *last)
{
	*first = ptime_days_from_civil(&s->from);
	int64_t to = ptime_days_from_civil(&s->to);
	int64_t as_of = ptime_days_from_civil(&s->as_of);
	*last = as_of < to ? as_of : to;
}

/* Binds the scope's filters to ?1..?3 and the days [first, last] to ?4, ?5
 * as 'YYYY-MM-DD'. */
static void bind_scope(struct db_stmt *st, const struct ind_scope *s, int64_t first, int64_t last)
{
	char a[11], b[11];
	struct pdate da = ptime_civil_from_days(first), dl = ptime_civil_from_days(last);
	ptime_format_date(&da, a);
	ptime_format_date(&dl, b);
	db_bind_int64(st, 1, s->territory_id);
	db_bind_int64(st, 2, s->sector_id);
	db_bind_int64(st, 3, s->organisation_id);
	db_bind_text_copy(st, 4, a);
	db_bind_text_copy(st, 5, b);
}

/* Statement sid bound to the scope over the days [first, last], or NULL
 * (logged). */
static struct db_stmt *scope_stmt(struct db *db, enum stmt_id sid, const struct ind_scope *s,
				  int64_t first, int64_t last)
{
	struct db_stmt *st = db_stmt(db, sid);
	if (st)
		bind_scope(st, s, first, last);
	return st;
}

/* Column i as a day number; NULL gives if_null. 0, or -1 on a malformed
 * date (logged). */
static int col_day(struct db_stmt *st, int i, int64_t if_null, int64_t *out)
{
	const char *t = db_col_cstr(st, i);
	if (!t) {
		*out = if_null;
		return 0;
	}
	struct pdate d;
	if (ptime_parse_date((const char *)t, &d) < 0) {
		log_error("ind_team.bad_date", "column=%d", i);
		return -1;
	}
	*out = ptime_days_from_civil(&d);
	return 0;
}

/* One holder period intersected with its position's period: the days the
 * holder filled the position. */
struct ind_team_holder {
	int64_t position, person;
	int64_t first, last; /* last may be DAY_OPEN */
};

/* Loads the non-empty holder-position intersections of the positions in
 * scope that meet [first, last], by position then first day. */
static int load_holders(struct db *db, struct arena *ar, const struct ind_scope *s, int64_t first,
			int64_t last, struct ind_team_holder **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = scope_stmt(db, STMT_IND_TEAM_HOLDERS, s, first, last);
	if (!st)
		return -1;
	struct row_array rows = {0};
	struct ind_team_holder *r;
	while ((r = row_next(db, st, ar, &rows, sizeof(*r), "ind_team.holders"))) {
		int64_t hf, ht, ps, pe;
		if (col_day(st, 2, 0, &hf) < 0 || col_day(st, 3, DAY_OPEN, &ht) < 0 ||
		    col_day(st, 4, 0, &ps) < 0 || col_day(st, 5, DAY_OPEN, &pe) < 0) {
			db_reset(st);
			return -1;
		}
		*r = (struct ind_team_holder){
			.position = db_col_int64(st, 0),
			.person = db_col_int64(st, 1),
			.first = hf > ps ? hf : ps,
			.last = ht < pe ? ht : pe,
		};
		if (r->first > r->last)
			row_drop(&rows); /* the holder period lies outside the position's */
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* Position-days filled within [first, last]: per position, the union of
 * its rows clipped to the days (rows are sorted by position, then first
 * day, so one pass merges them). */
static int64_t filled_days(const struct ind_team_holder *v, size_t n, int64_t first, int64_t last)
{
	int64_t total = 0;
	size_t i = 0;
	while (i < n) {
		int64_t pos = v[i].position;
		int64_t cs = 0, ce = -1; /* current merged run, empty */
		bool open = false;
		for (; i < n && v[i].position == pos; i++) {
			int64_t a = v[i].first > first ? v[i].first : first;
			int64_t b = v[i].last < last ? v[i].last : last;
			if (a > b)
				continue;
			if (open && a <= ce + 1) {
				if (b > ce)
					ce = b;
				continue;
			}
			if (open)
				total += ce - cs + 1;
			cs = a;
			ce = b;
			open = true;
		}
		if (open)
			total += ce - cs + 1;
	}
	return total;
}

/* Distinct positions with at least one filled day in [first, last]. */
static int64_t filled_positions(const struct ind_team_holder *v, size_t n, int64_t first,
				int64_t last)
{
	int64_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].first > last || v[i].last < first)
			continue;
		count++;
		int64_t pos = v[i].position;
		while (i + 1 < n && v[i + 1].position == pos)
			i++;
	}
	return count;
}

static void headcount_from(const struct ind_team_holder *v, size_t n, int64_t first, int64_t last,
			   struct ind_headcount *out)
{
	memset(out, 0, sizeof(*out));
	if (last >= first) {
		out->days = last - first + 1;
		out->filled_days = filled_days(v, n, first, last);
		out->average = (double)out->filled_days / (double)out->days;
	}
	out->small_cell = ind_team_small_cell(out->average, IND_TEAM_SMALL_CELL_T);
}

int ind_team_headcount(struct db *db, const struct ind_scope *s, int64_t first, int64_t last,
		       struct ind_headcount *out)
{
	memset(out, 0, sizeof(*out));
	out->small_cell = true;
	if (last < first)
		return 0;
	struct arena *ar = arena_new(4096);
	struct ind_team_holder *v;
	size_t n;
	int rc = load_holders(db, ar, s, first, last, &v, &n);
	if (rc == 0)
		headcount_from(v, n, first, last, out);
	arena_free(ar);
	return rc;
}

/* The first day of the 12 months ending at as_of: as_of one year earlier,
 * plus one day (29 February goes to 28 February, so the window starts on
 * 1 March). */
static int64_t window_first(const struct pdate *as_of)
{
	struct pdate d = *as_of;
	d.year -= 1;
	if (d.month == 2 && d.day == 29)
		d.day = 28;
	return ptime_days_from_civil(&d) + 1;
}

/* The days a memo is read over: every day its users ask, the period and
 * the day after it (arr.roulement) and the 12-month window ending at as_of
 * (arr.satisfaction_pap). */
static void memo_span(const struct ind_scope *s, int64_t *lo, int64_t *hi)
{
	int64_t first, last;
	ind_team_period(s, &first, &last);
	int64_t wfirst = window_first(&s->as_of), wlast = ptime_days_from_civil(&s->as_of);
	*lo = first < wfirst ? first : wfirst;
	*hi = last + 1 > wlast ? last + 1 : wlast;
}

/* Whether memo holds the rows of s's positions over [first, last]. */
static bool memo_holds(const struct ind_team_memo *memo, const struct ind_scope *s, int64_t first,
		       int64_t last)
{
	return memo->loaded && memo->territory_id == s->territory_id &&
	       memo->sector_id == s->sector_id && memo->organisation_id == s->organisation_id &&
	       memo->first <= first && last <= memo->last;
}

/* The holder rows of s's positions meeting [first, last], as load_holders
 * reads them, or a superset of them from memo: rows that meet other days
 * of the memo's span too. Every reader below clips to its own days, so
 * such rows change nothing. Without a memo, read for these days alone;
 * with one that does not hold them, read once over the whole span into
 * it (rows in ar). */
static int holders_over(struct db *db, struct arena *ar, const struct ind_scope *s,
			struct ind_team_memo *memo, int64_t first, int64_t last,
			struct ind_team_holder **v, size_t *n)
{
	if (!memo)
		return load_holders(db, ar, s, first, last, v, n);
	if (!memo_holds(memo, s, first, last)) {
		int64_t lo, hi;
		memo_span(s, &lo, &hi);
		*memo = (struct ind_team_memo){.territory_id = s->territory_id,
					       .sector_id = s->sector_id,
					       .organisation_id = s->organisation_id,
					       .first = first < lo ? first : lo,
					       .last = last > hi ? last : hi};
		if (load_holders(db, ar, s, memo->first, memo->last, &memo->v, &memo->n) < 0) {
			memset(memo, 0, sizeof(*memo));
			return -1;
		}
		memo->loaded = true;
	}
	*v = memo->v;
	*n = memo->n;
	return 0;
}

/* The headcount of the scope's effective period, into hc. */
static int period_headcount(struct db *db, struct arena *ar, const struct ind_scope *s,
			    struct ind_team_memo *memo, struct ind_headcount *hc, int64_t *first,
			    int64_t *last)
{
	ind_team_period(s, first, last);
	if (!memo || *last < *first)
		return ind_team_headcount(db, s, *first, *last, hc);
	struct ind_team_holder *v;
	size_t n;
	if (holders_over(db, ar, s, memo, *first, *last, &v, &n) < 0)
		return -1;
	headcount_from(v, n, *first, *last, hc);
	return 0;
}

int ind_team_roulement(struct db *db, struct arena *ar, const struct ind_scope *s,
		       struct ind_team_memo *memo, struct ind_team_roulement_result *out)
{
	memset(out, 0, sizeof(*out));
	int64_t first, last;
	ind_team_period(s, &first, &last);
	if (last < first) {
		out->hc.small_cell = true;
		return 0;
	}
	/* One day more than the period, to see a holder going on the next day. */
	struct ind_team_holder *v;
	size_t n;
	if (holders_over(db, ar, s, memo, first, last + 1, &v, &n) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	headcount_from(v, n, first, last, &out->hc);
	size_t start = 0; /* first row of the current position */
	int64_t last_pos_counted = -1;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && v[i].position != v[i - 1].position)
			start = i;
		int64_t end = v[i].last;
		if (end == DAY_OPEN || end < first || end > last)
			continue;
		bool goes_on = false;
		for (size_t j = start; j < n && v[j].position == v[i].position; j++)
			if (j != i && v[j].person == v[i].person && v[j].first <= end + 1 &&
			    v[j].last > end)
				goes_on = true;
		if (goes_on)
			continue;
		out->departures++;
		if (v[i].position != last_pos_counted) {
			out->positions_left++;
			last_pos_counted = v[i].position;
		}
	}
	out->defined = out->hc.average > 0;
	if (out->defined) {
		out->value = (double)out->departures / out->hc.average * 100.0;
		out->annualised = out->value * IND_TEAM_DAYS_PER_YEAR / (double)out->hc.days;
	}
	return 0;
}

/* Steps a one-row statement of counts. 0 or -1 (logged). */
static int step_one(struct db *db, struct db_stmt *st, const char *event)
{
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		db_log_error(db, event);
		return -1;
	}
	return 0;
}

/* Statement sid bound as scope_stmt does and stepped to its one row of
 * counts, or NULL (logged). The caller reads the row, then resets st. */
static struct db_stmt *count_row(struct db *db, enum stmt_id sid, const struct ind_scope *s,
				 int64_t first, int64_t last, const char *event)
{
	struct db_stmt *st = scope_stmt(db, sid, s, first, last);
	return st && step_one(db, st, event) == 0 ? st : NULL;
}

/* A rate per person over the period: its headcount (holders through memo,
 * may be NULL) into *hc and the one
 * row of statement sid over it into *row, current (the caller reads it,
 * then resets it). 0 with *row NULL when the period is empty, or -1 on an
 * error (logged under event). */
static int rate_row(struct db *db, struct arena *ar, const struct ind_scope *s,
		    struct ind_team_memo *memo, enum stmt_id sid, const char *event,
		    struct ind_headcount *hc, struct db_stmt **row)
{
	int64_t first, last;
	*row = NULL;
	if (period_headcount(db, ar, s, memo, hc, &first, &last) < 0)
		return -1;
	if (last < first)
		return 0;
	*row = count_row(db, sid, s, first, last, event);
	return *row ? 0 : -1;
}

int ind_team_supervision(struct db *db, struct arena *ar, const struct ind_scope *s,
			 struct ind_team_memo *memo, struct ind_team_supervision_result *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st;
	if (rate_row(db, ar, s, memo, STMT_IND_TEAM_SUPERVISION, "ind_team.supervision", &out->hc,
		     &st) < 0)
		goto fail;
	if (!st)
		return 0;
	out->hours = db_col_double(st, 0);
	out->sessions = db_col_int64(st, 1);
	db_reset(st);
	out->months = (double)out->hc.days / IND_TEAM_DAYS_PER_MONTH;
	out->defined = out->hc.days > 0 && out->hc.average > 0;
	if (out->defined)
		out->value = out->hours / out->months / out->hc.average;
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -1;
}

int ind_team_soutien(struct db *db, struct arena *ar, const struct ind_scope *s,
		     struct ind_team_memo *memo, struct ind_team_soutien_result *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *st;
	if (rate_row(db, ar, s, memo, STMT_IND_TEAM_SUPPORT, "ind_team.support", &out->hc, &st) < 0)
		goto fail;
	if (!st)
		return 0;
	out->requests = db_col_int64(st, 0);
	db_reset(st);
	out->quarters = (double)out->hc.days / IND_TEAM_DAYS_PER_QUARTER;
	out->defined = out->hc.days > 0 && out->hc.average > 0;
	if (out->defined)
		out->value = (double)out->requests / out->quarters / out->hc.average;
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -1;
}

/* Reads (score, count) rows into stats, n_ge4 and pct_ge4. 0 or -1. */
static int read_scores(struct db *db, struct arena *ar, struct db_stmt *st, const char *event,
		       struct ind_stats *stats, size_t *n_ge4, double *pct_ge4)
{
	double *v = NULL;
	size_t count = 0, cap = 0, ge4 = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int score = db_col_int(st, 0);
		int64_t k = db_col_int64(st, 1);
		for (int64_t i = 0; i < k; i++) {
			v = arena_grow(ar, v, count, &cap, sizeof(*v));
			v[count++] = score;
		}
		if (score >= 4)
			ge4 += (size_t)k;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		db_log_error(db, event);
		return -1;
	}
	ind_stats_compute(v, count, stats);
	*n_ge4 = ge4;
	*pct_ge4 = count ? (double)ge4 / (double)count * 100.0 : 0;
	return 0;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : (a > b);
}

/* The PAP answers in scope dated in [from, last] (day numbers) into *v. */
static int pap_answers(struct db *db, struct arena *ar, const struct ind_scope *s, int64_t from,
		       int64_t last, struct survey_pap_answer **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	struct db_stmt *st = scope_stmt(db, STMT_IND_TEAM_PAP_ANSWERS, s, from, last);
	if (!st)
		return -1;
	struct row_array rows = {0};
	struct survey_pap_answer *a;
	while ((a = row_next(db, st, ar, &rows, sizeof(*a), "ind_team.pap_answers"))) {
		int64_t day;
		if (col_day(st, 3, 0, &day) < 0) {
			db_reset(st);
			return -1;
		}
		*a = (struct survey_pap_answer){.id = db_col_int64(st, 0),
						.person_id = db_col_int64(st, 1),
						.organisation_id = db_col_int64(st, 2),
						.day = day,
						.score = db_col_int(st, 4)};
	}
	*v = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* The scores of arr.satisfaction_pap over [first, last]: the answers of the
 * period, or of the waves released in it (s->pap_waves). */
static int pap_scores(struct db *db, struct arena *ar, const struct ind_scope *s, int64_t first,
		      int64_t last, struct ind_team_satisfaction_pap_result *out)
{
	struct survey_pap_answer *v;
	size_t n;
	int64_t from = s->pap_waves ? first - SURVEY_WAVE_MAX_DAYS : first;
	if (pap_answers(db, ar, s, from, last, &v, &n) < 0)
		return -1;
	int persons = 0;
	if (s->pap_waves) {
		persons = survey_release(db, ar, v, n, first, last,
					 ptime_days_from_civil(&s->as_of), survey_threshold(db));
		if (persons < 0)
			return -1;
	}
	double *scores = arena_alloc(ar, (n ? n : 1) * sizeof(*scores));
	int64_t *who = arena_alloc(ar, (n ? n : 1) * sizeof(*who));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool in_period = v[i].day >= first && v[i].day <= last;
		out->answers_in_period += in_period;
		if (s->pap_waves ? !v[i].released : !in_period)
			continue;
		who[k] = v[i].person_id;
		scores[k++] = v[i].score;
		out->n_ge4 += v[i].score >= 4;
	}
	ind_stats_compute(scores, k, &out->stats);
	out->pct_ge4 = k ? (double)out->n_ge4 / (double)k * 100.0 : 0;
	qsort(who, k, sizeof(*who), cmp_i64);
	for (size_t i = 0; i < k; i++)
		out->respondents += !i || who[i] != who[i - 1];
	return 0;
}

int ind_team_satisfaction_pap(struct db *db, struct arena *ar, const struct ind_scope *s,
			      struct ind_team_memo *memo,
			      struct ind_team_satisfaction_pap_result *out)
{
	memset(out, 0, sizeof(*out));
	int64_t first, last;
	if (period_headcount(db, ar, s, memo, &out->hc, &first, &last) < 0)
		goto fail;
	if (last >= first && pap_scores(db, ar, s, first, last, out) < 0)
		goto fail;
	out->target_met = out->stats.defined && out->stats.mean >= IND_TEAM_SATISFACTION_TARGET;

	/* The 12-month window ending at as_of. */
	int64_t wlast = ptime_days_from_civil(&s->as_of);
	int64_t wfirst = window_first(&s->as_of);
	out->window_from = ptime_civil_from_days(wfirst);
	struct ind_team_holder *v;
	size_t n;
	if (holders_over(db, ar, s, memo, wfirst, wlast, &v, &n) < 0)
		goto fail;
	out->positions_window = filled_positions(v, n, wfirst, wlast);
	struct db_stmt *st = scope_stmt(db, STMT_IND_TEAM_PAP_POSITIONS_2, s, wfirst, wlast);
	if (!st)
		goto fail;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		out->positions_2answers++;
	db_reset(st);
	if (rc != DB_DONE) {
		db_log_error(db, "ind_team.pap_positions");
		goto fail;
	}
	if (out->positions_window > 0)
		out->share_2answers =
			(double)out->positions_2answers / (double)out->positions_window * 100.0;
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -1;
}

int ind_team_satisfaction_familles(struct db *db, struct arena *ar, const struct ind_scope *s,
				   struct ind_team_satisfaction_familles_result *out)
{
	memset(out, 0, sizeof(*out));
	int64_t first, last;
	ind_team_period(s, &first, &last);
	if (last >= first) {
		struct db_stmt *st = scope_stmt(db, STMT_IND_TEAM_FAMILY_SCORES, s, first, last);
		if (!st)
			goto fail;
		if (read_scores(db, ar, st, "ind_team.family_scores", &out->stats, &out->n_ge4,
				&out->pct_ge4) < 0)
			goto fail;
	}
	out->target_met = out->stats.defined && out->stats.mean >= IND_TEAM_SATISFACTION_TARGET;
	out->small_cell = out->stats.n < IND_TEAM_SMALL_CELL_T;
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -1;
}

int ind_team_projets(struct db *db, struct arena *ar, const struct ind_scope *s,
		     struct ind_team_projets_result *out)
{
	(void)ar;
	memset(out, 0, sizeof(*out));
	int64_t first, last;
	ind_team_period(s, &first, &last);
	if (last < first)
		return 0;
	struct db_stmt *st =
		count_row(db, STMT_IND_TEAM_PROJECTS, s, first, last, "ind_team.projects");
	if (!st)
		return -1;
	out->count = db_col_int64(st, 0);
	db_reset(st);
	return 0;
}

/* True when [first, last] is longer than a year: last is on or after the
 * same date one year after first (29 February: 1 March). */
static bool longer_than_year(int64_t first, int64_t last)
{
	struct pdate d = ptime_civil_from_days(first);
	d.year += 1;
	int64_t anniversary;
	if (d.month == 2 && d.day == 29) {
		d.day = 28;
		anniversary = ptime_days_from_civil(&d) + 1;
	} else {
		anniversary = ptime_days_from_civil(&d);
	}
	return last >= anniversary;
}

int ind_team_presentations(struct db *db, struct arena *ar, const struct ind_scope *s,
			   struct ind_team_presentations_result *out)
{
	memset(out, 0, sizeof(*out));
	int64_t first, last;
	ind_team_period(s, &first, &last);
	if (last < first)
		return 0;
	struct pdate pf = ptime_civil_from_days(first), pl = ptime_civil_from_days(last);
	out->per_year_given = longer_than_year(first, last);
	size_t ny = (size_t)(pl.year - pf.year + 1);
	struct ind_team_year_count *years = arena_calloc(ar, ny, sizeof(*years));
	for (size_t i = 0; i < ny; i++) {
		struct ind_team_year_count *y = &years[i];
		y->year = pf.year + (int)i;
		y->from = i == 0 ? pf : (struct pdate){y->year, 1, 1};
		y->to = i == ny - 1 ? pl : (struct pdate){y->year, 12, 31};
		y->days = ptime_days_from_civil(&y->to) - ptime_days_from_civil(&y->from) + 1;
	}
	struct db_stmt *st = scope_stmt(db, STMT_IND_TEAM_PRESENTATIONS, s, first, last);
	if (!st)
		goto fail;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *t = db_col_cstr(st, 0);
		int64_t k = db_col_int64(st, 1);
		out->count += k;
		int year = 0;
		for (int i = 0; t && i < 4 && t[i] >= '0' && t[i] <= '9'; i++)
			year = year * 10 + (t[i] - '0');
		if (year >= pf.year && year <= pl.year)
			years[year - pf.year].count += k;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		db_log_error(db, "ind_team.presentations");
		goto fail;
	}
	if (out->per_year_given) {
		out->n_years = ny;
		out->years = years;
	}
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -1;
}

int ind_team_trous_service(struct db *db, struct arena *ar, const struct ind_scope *s,
			   struct ind_team_trous_result *out)
{
	memset(out, 0, sizeof(*out));
	int64_t first, last;
	ind_team_period(s, &first, &last);
	if (last < first)
		return 0;
	struct db_stmt *st = scope_stmt(db, STMT_IND_TEAM_GAPS, s, first, last);
	if (!st)
		return -1;
	struct row_array rows = {0};
	struct ind_team_need_count *c;
	while ((c = row_next(db, st, ar, &rows, sizeof(*c), "ind_team.gaps"))) {
		c->need = db_col_text(ar, st, 0);
		c->count = db_col_int64(st, 1);
		out->count += c->count;
	}
	if (rows.rc < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	out->n_needs = rows.n;
	out->needs = rows.v;
	return 0;
}
