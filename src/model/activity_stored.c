/* A saved activity as its read gives it back (activity.h
 * activity_as_stored): the API answers a new activity from memory instead
 * of reading it again inside its write unit. What a read changes is the
 * storage's doing, kept here in one list: the implied component
 * (activity_save), NULL for an empty optional text (row_bind_opt), and the
 * reads' ORDER BY (code lists by code under the C collation, row lists by
 * row id). */
#include <stdlib.h>
#include <string.h>

#include "model/activity.h"
#include "model/refdata.h"

/* An empty optional text is stored as NULL. */
static const char *opt(const char *t)
{
	return t && *t ? t : NULL;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* A copy of l in ar, sorted as the reads sort codes (byte order). */
static struct strlist sorted_codes(struct arena *ar, const struct strlist *l)
{
	struct strlist out = {NULL, l->n};
	if (!l->n)
		return out;
	const char **v = arena_alloc(ar, l->n * sizeof(*v));
	memcpy(v, l->v, l->n * sizeof(*v));
	qsort(v, l->n, sizeof(*v), cmp_str);
	out.v = v;
	return out;
}

struct id_ext {
	int64_t id;
	const char *ext;
};

static int cmp_id(const void *x, const void *y)
{
	int64_t a = ((const struct id_ext *)x)->id, b = ((const struct id_ext *)y)->id;
	return (a > b) - (a < b);
}

/* Sorts a list of rows and its external ids by row id, as copies in ar.
 * -1 when the external ids do not match the rows one for one. */
static int sorted_rows(struct arena *ar, struct idlist *ids, struct strlist *exts)
{
	if (!ids->n)
		return exts->n ? -1 : 0;
	if (exts->n != ids->n)
		return -1;
	struct id_ext *pairs = arena_alloc(ar, ids->n * sizeof(*pairs));
	for (size_t i = 0; i < ids->n; i++) {
		if (!exts->v[i])
			return -1;
		pairs[i] = (struct id_ext){ids->v[i], exts->v[i]};
	}
	qsort(pairs, ids->n, sizeof(*pairs), cmp_id);
	int64_t *v = arena_alloc(ar, ids->n * sizeof(*v));
	const char **e = arena_alloc(ar, ids->n * sizeof(*e));
	for (size_t i = 0; i < ids->n; i++) {
		v[i] = pairs[i].id;
		e[i] = pairs[i].ext;
	}
	ids->v = v;
	exts->v = e;
	return 0;
}

int activity_as_stored(struct arena *ar, struct activity *a)
{
	if (!a->author_ext || !a->organisation_ext || !a->territory_ext)
		return -1;
	struct activity s = *a;
	if (sorted_rows(ar, &s.family_ids, &s.family_exts) < 0 ||
	    sorted_rows(ar, &s.partner_ids, &s.partner_exts) < 0 ||
	    sorted_rows(ar, &s.pap_ids, &s.pap_exts) < 0)
		return -1;
	s.start_time = opt(s.start_time);
	s.place = opt(s.place);
	s.initiated_by = opt(s.initiated_by);
	s.note = opt(s.note);
	const char *implied = refdata_default_component(s.type);
	if (!s.components.n && implied)
		s.components = (struct strlist){&implied, 1};
	s.components = sorted_codes(ar, &s.components);
	s.strategies = sorted_codes(ar, &s.strategies);
	s.needs = sorted_codes(ar, &s.needs);
	s.outcomes = sorted_codes(ar, &s.outcomes);
	s.deleted_at = 0;
	*a = s;
	return 0;
}
