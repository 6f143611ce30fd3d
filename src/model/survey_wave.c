/* The release of PAP survey answers by waves (model/survey.h, "Waves"). */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/row.h"
#include "model/survey.h"

/* A campaign window as day numbers. */
struct window {
	int64_t org, opens, closes;
};

/* The wave of an answer: its organisation, kind (0 campaign, 1 quarter),
 * number within the kind and last day. */
struct wave {
	int64_t org, kind, num, last;
};

struct slot {
	struct survey_pap_answer *a;
	struct wave w;
};

static int cmp_window(const void *x, const void *y)
{
	const struct window *a = x, *b = y;
	if (a->org != b->org)
		return a->org < b->org ? -1 : 1;
	return a->opens < b->opens ? -1 : (a->opens > b->opens);
}

static int cmp_slot(const void *x, const void *y)
{
	const struct slot *a = x, *b = y;
	const int64_t ka[] = {a->w.org, a->w.kind, a->w.num, a->a->person_id};
	const int64_t kb[] = {b->w.org, b->w.kind, b->w.num, b->a->person_id};
	for (size_t i = 0; i < 4; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return 0;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : (a > b);
}

/* Every campaign window, by organisation and opening day. */
static int load_windows(struct db *db, struct arena *ar, struct window **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_SURVEY_CAMPAIGN_ALL);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct window *w;
	while ((w = row_next(db, s, ar, &rows, sizeof(*w), "survey.windows"))) {
		struct pdate o, c;
		const char *ot = db_col_cstr(s, 1), *ct = db_col_cstr(s, 2);
		if (!ot || !ct || ptime_parse_date(ot, &o) < 0 || ptime_parse_date(ct, &c) < 0) {
			row_drop(&rows);
			continue;
		}
		*w = (struct window){db_col_int64(s, 0), ptime_days_from_civil(&o),
				     ptime_days_from_civil(&c)};
	}
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_window);
	return 0;
}

/* The wave of answer a among the windows w (sorted, n of them). */
static struct wave wave_of(const struct survey_pap_answer *a, const struct window *w, size_t n)
{
	/* The last window of a's organisation opening on or before its day. */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w[mid].org < a->organisation_id ||
		    (w[mid].org == a->organisation_id && w[mid].opens <= a->day))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && w[lo - 1].org == a->organisation_id && w[lo - 1].closes >= a->day)
		return (struct wave){a->organisation_id, 0, (int64_t)(lo - 1), w[lo - 1].closes};
	struct pdate d = ptime_civil_from_days(a->day);
	int q = (d.month - 1) / 3;
	struct pdate next = {q == 3 ? d.year + 1 : d.year, q == 3 ? 1 : q * 3 + 4, 1};
	return (struct wave){a->organisation_id, 1, (int64_t)d.year * 4 + q,
			     ptime_days_from_civil(&next) - 1};
}

/* Distinct persons among the released answers of v. */
static int64_t released_persons(struct arena *ar, const struct survey_pap_answer *v, size_t n)
{
	int64_t *p = arena_alloc(ar, (n ? n : 1) * sizeof(*p));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].released)
			p[k++] = v[i].person_id;
	qsort(p, k, sizeof(*p), cmp_i64);
	int64_t distinct = 0;
	for (size_t i = 0; i < k; i++)
		distinct += !i || p[i] != p[i - 1];
	return distinct;
}

int survey_release(struct db *db, struct arena *ar, struct survey_pap_answer *v, size_t n,
		   int64_t first, int64_t last, int64_t as_of, int t)
{
	for (size_t i = 0; i < n; i++)
		v[i].released = false;
	struct window *w;
	size_t nw;
	if (load_windows(db, ar, &w, &nw) < 0)
		return -1;
	struct pdate today = ptime_local_date(ptime_now());
	int64_t closed_by = ptime_days_from_civil(&today) - 1;
	int64_t end = last < as_of ? last : as_of;
	if (end > closed_by)
		end = closed_by;
	struct slot *s = arena_alloc(ar, (n ? n : 1) * sizeof(*s));
	for (size_t i = 0; i < n; i++)
		s[i] = (struct slot){&v[i], wave_of(&v[i], w, nw)};
	qsort(s, n, sizeof(*s), cmp_slot);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		int persons = 0;
		for (; j < n && s[j].w.org == s[i].w.org && s[j].w.kind == s[i].w.kind &&
		       s[j].w.num == s[i].w.num;
		     j++)
			persons += j == i || s[j].a->person_id != s[j - 1].a->person_id;
		bool released = s[i].w.last >= first && s[i].w.last <= end && persons >= t;
		for (size_t k = i; k < j; k++)
			s[k].a->released = released;
		i = j;
	}
	return (int)released_persons(ar, v, n);
}
