/* `proxima import`: the driver (lines, one transaction, first error), the
 * field readers and the caches of one run. The per-kind handlers are in
 * import_kinds.c. See interchange.h for the contract. */
#include "interchange/import_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/linereader.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/agg_bulk.h"
#include "model/aggregate.h"
#include "model/trajectory.h"

int interchange_view_parse(const char *name, enum ix_view *out)
{
	static const struct {
		const char *name;
		enum ix_view view;
	} views[] = {
		{"admin", IX_VIEW_ADMIN},
		{"complet", IX_VIEW_ADMIN},
		{"gestionnaire", IX_VIEW_GESTIONNAIRE},
		{"comite", IX_VIEW_COMITE},
		{"analyste", IX_VIEW_ANALYSTE},
	};
	for (size_t i = 0; name && i < ARRAY_LEN(views); i++)
		if (strcmp(name, views[i].name) == 0) {
			*out = views[i].view;
			return 0;
		}
	return -1;
}

void import_error_format(const struct import_result *res, char *out, size_t cap)
{
	char where[64] = "";
	if (res->line > 0)
		snprintf(where, sizeof(where), "line %ld: ", res->line);
	if (res->field[0])
		snprintf(out, cap, "%sfield \"%s\": %s", where, res->field, res->reason);
	else
		snprintf(out, cap, "%s%s", where, res->reason);
}

/* ------------------------------------------------------------------ */
/* Errors */

int ix_fail(struct imp *im, const char *field, const char *fmt, ...)
{
	if (im->failed)
		return -1;
	im->failed = true;
	im->res->line = im->lineno;
	str_copy(im->res->field, sizeof(im->res->field), field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(im->res->reason, sizeof(im->res->reason), fmt, ap);
	va_end(ap);
	return -1;
}

int ix_fail_db(struct imp *im, const char *event)
{
	enum db_error code = db_error(im->db);
	db_log_error(im->db, event);
	if (code != DB_ERR_CONSTRAINT && code != DB_ERR_UNIQUE)
		im->db_error = true;
	return ix_fail(im, "", "the database refused the record (%s)", db_errmsg(im->db));
}

const char *ix_shown(struct imp *im, const char *s)
{
	size_t n = strlen(s), cut = 0, chars = 0;
	while (cut < n && chars < 60) {
		cut++;
		while (cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut++;
		chars++;
	}
	char *o = arena_alloc(im->line, cut + 4);
	for (size_t i = 0; i < cut; i++)
		o[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	if (cut < n) {
		memcpy(o + cut, "...", 4);
	} else {
		o[cut] = '\0';
	}
	return o;
}

/* "pfx" + "key" in the line arena, for messages. */
static const char *fname(struct imp *im, const char *pfx, const char *key)
{
	return *pfx ? arena_printf(im->line, "%s%s", pfx, key) : key;
}

/* ------------------------------------------------------------------ */
/* Field readers */

/* The member, or NULL when absent or null. */
static const struct jval *member(const struct jval *o, const char *key)
{
	const struct jval *v = ix_json_get(o, key);
	return v && v->type != J_NULL ? v : NULL;
}

/* An absent member: fails with "is required" when req, else 0. */
static int absent(struct imp *im, const char *pfx, const char *key, bool req)
{
	return req ? ix_fail(im, fname(im, pfx, key), "is required") : 0;
}

/* Checks s (valid UTF-8 already) against tk and max_chars: 0 or -1 (failed). */
static int check_text(struct imp *im, const char *pfx, const char *key, const char *s,
		      enum text_kind tk, size_t max_chars)
{
	if (tk == TEXT_LINE)
		for (const char *c = s; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				return ix_fail(im, fname(im, pfx, key),
					       "must be one line without control characters");
	if (utf8_length(s, strlen(s)) > max_chars)
		return ix_fail(im, fname(im, pfx, key), "is longer than %zu characters", max_chars);
	return 0;
}

int ix_rd_str(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	      enum text_kind tk, size_t max_chars, const char **out)
{
	*out = NULL;
	const struct jval *v = member(o, key);
	if (!v)
		return absent(im, pfx, key, req);
	if (v->type != J_STRING)
		return ix_fail(im, fname(im, pfx, key), "must be a string");
	if (!v->len)
		return absent(im, pfx, key, req);
	if (check_text(im, pfx, key, v->s, tk, max_chars) < 0)
		return -1;
	*out = v->s;
	return 0;
}

int ix_rd_raw(struct imp *im, const struct jval *o, const char *pfx, const char *key,
	      const char **out)
{
	*out = NULL;
	const struct jval *v = member(o, key);
	if (!v)
		return 0;
	if (v->type != J_STRING)
		return ix_fail(im, fname(im, pfx, key), "must be a string");
	*out = v->s;
	return 0;
}

int ix_rd_int(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	      int64_t min, int64_t max, int64_t *out, bool *present)
{
	if (present)
		*present = false;
	const struct jval *v = member(o, key);
	if (!v)
		return absent(im, pfx, key, req);
	if (v->type != J_NUMBER || !v->is_int)
		return ix_fail(im, fname(im, pfx, key), "must be an integer");
	if (parse_i64(v->s, min, max, out) < 0)
		return ix_fail(im, fname(im, pfx, key), "must be an integer from %lld to %lld",
			       (long long)min, (long long)max);
	if (present)
		*present = true;
	return 0;
}

int ix_rd_int_clamped(struct imp *im, const struct jval *o, const char *pfx, const char *key,
		      bool req, int *out)
{
	const struct jval *v = member(o, key);
	if (!v)
		return absent(im, pfx, key, req);
	if (v->type != J_NUMBER || !v->is_int)
		return ix_fail(im, fname(im, pfx, key), "must be an integer");
	int64_t x;
	if (parse_i64(v->s, INT64_MIN, INT64_MAX, &x) < 0)
		x = v->s[0] == '-' ? INT64_MIN : INT64_MAX;
	*out = x < -2147483647 ? -2147483647 : x > 2147483647 ? 2147483647 : (int)x;
	return 0;
}

int ix_rd_real(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	       double min, double max, double *out, bool *present)
{
	if (present)
		*present = false;
	const struct jval *v = member(o, key);
	if (!v)
		return absent(im, pfx, key, req);
	if (v->type != J_NUMBER)
		return ix_fail(im, fname(im, pfx, key), "must be a number");
	double d = strtod(v->s, NULL);
	if (!(d >= min && d <= max))
		return ix_fail(im, fname(im, pfx, key), "must be a number from %g to %g", min, max);
	*out = d;
	if (present)
		*present = true;
	return 0;
}

int ix_rd_bool(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool *out)
{
	const struct jval *v = member(o, key);
	if (!v)
		return 0;
	if (v->type != J_BOOL)
		return ix_fail(im, fname(im, pfx, key), "must be true or false");
	*out = v->b;
	return 0;
}

int ix_rd_date(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	       const char **out)
{
	struct pdate d;
	if (ix_rd_str(im, o, pfx, key, req, TEXT_LINE, 10, out) < 0)
		return -1;
	if (*out && ptime_parse_date(*out, &d) < 0)
		return ix_fail(im, fname(im, pfx, key), "'%s' is not a date (YYYY-MM-DD)",
			       ix_shown(im, *out));
	return 0;
}

int ix_rd_ts(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	     int64_t *out, bool *present)
{
	const char *s;
	*present = false;
	if (ix_rd_str(im, o, pfx, key, req, TEXT_LINE, 40, &s) < 0)
		return -1;
	if (!s)
		return 0;
	if (ptime_parse_timestamp(s, out) < 0)
		return ix_fail(im, fname(im, pfx, key),
			       "'%s' is not a timestamp (YYYY-MM-DDTHH:MM[:SS], optional offset)",
			       ix_shown(im, s));
	*present = true;
	return 0;
}

/* "a, b or c" for messages. */
static const char *choices(struct imp *im, const char *const *allowed)
{
	size_t n = 0;
	while (allowed[n])
		n++;
	const char *s = "";
	for (size_t i = 0; i < n; i++)
		s = arena_printf(im->line, "%s%s%s", s,
				 i == 0       ? ""
				 : i + 1 == n ? " or "
					      : ", ",
				 allowed[i]);
	return s;
}

int ix_rd_enum(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	       const char *const *allowed, const char **out)
{
	if (ix_rd_str(im, o, pfx, key, req, TEXT_LINE, 64, out) < 0 || !*out)
		return im->failed ? -1 : 0;
	for (size_t i = 0; allowed[i]; i++)
		if (strcmp(*out, allowed[i]) == 0)
			return 0;
	return ix_fail(im, fname(im, pfx, key), "'%s' is not one of %s", ix_shown(im, *out),
		       choices(im, allowed));
}

int ix_rd_code(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	       enum ref_list l, int64_t org, const char **out)
{
	if (ix_rd_str(im, o, pfx, key, req, TEXT_LINE, 64, out) < 0 || !*out)
		return im->failed ? -1 : 0;
	if (!ix_code_valid(im, l, *out, org))
		return im->failed ? -1
				  : ix_fail(im, fname(im, pfx, key),
					    "'%s' is not in the reference list \"%s\"",
					    ix_shown(im, *out), ref_list_name(l));
	return 0;
}

int ix_rd_ref(struct imp *im, const struct jval *o, const char *pfx, const char *key, bool req,
	      enum ix_kind k, struct ix_ref *out)
{
	const char *ext;
	out->id = out->org = 0;
	if (ix_rd_str(im, o, pfx, key, req, TEXT_LINE, 200, &ext) < 0 || !ext)
		return im->failed ? -1 : 0;
	int r = ix_resolve(im, k, ext, out);
	if (r < 0)
		return -1;
	if (r > 0)
		return ix_fail(im, fname(im, pfx, key), "unknown %s '%s'", ix_kind_name(k),
			       ix_shown(im, ext));
	return 0;
}

int ix_rd_obj(struct imp *im, const struct jval *o, const char *pfx, const char *key,
	      const struct jval **out)
{
	*out = member(o, key);
	if (*out && (*out)->type != J_OBJECT)
		return ix_fail(im, fname(im, pfx, key), "must be an object");
	return 0;
}

int ix_rd_list(struct imp *im, const struct jval *o, const char *pfx, const char *key,
	       const struct jval **out)
{
	*out = member(o, key);
	if (*out && (*out)->type != J_ARRAY)
		return ix_fail(im, fname(im, pfx, key), "must be a list");
	return 0;
}

int ix_rd_str_list(struct imp *im, const struct jval *o, const char *pfx, const char *key,
		   enum list_mode mode, size_t max_chars, int l, int64_t org, struct strlist *out)
{
	const struct jval *a;
	out->v = NULL;
	out->n = 0;
	if (ix_rd_list(im, o, pfx, key, &a) < 0 || !a)
		return im->failed ? -1 : 0;
	const char **v = arena_alloc(im->line, (a->n ? a->n : 1) * sizeof(*v));
	size_t n = 0;
	for (const struct jval *e = a->first; e; e = e->next) {
		if (e->type != J_STRING)
			return ix_fail(im, fname(im, pfx, key), "must be a list of strings");
		if (mode == LIST_MODEL) {
			v[n++] = e->s;
			continue;
		}
		if (!e->len)
			return ix_fail(im, fname(im, pfx, key),
				       "must be a list of non-empty strings");
		if (check_text(im, pfx, key, e->s, TEXT_LINE, max_chars) < 0)
			return -1;
		if (l >= 0 && !ix_code_valid(im, (enum ref_list)l, e->s, org))
			return im->failed ? -1
					  : ix_fail(im, fname(im, pfx, key),
						    "'%s' is not in the reference list \"%s\"",
						    ix_shown(im, e->s),
						    ref_list_name((enum ref_list)l));
		for (size_t i = 0; i < n; i++)
			if (strcmp(v[i], e->s) == 0)
				return ix_fail(im, fname(im, pfx, key), "'%s' is repeated",
					       ix_shown(im, e->s));
		v[n++] = e->s;
	}
	out->v = v;
	out->n = n;
	return 0;
}

int ix_rd_ref_list(struct imp *im, const struct jval *o, const char *pfx, const char *key,
		   enum ix_kind k, struct idlist *out, int64_t **orgs)
{
	const struct jval *a;
	out->v = NULL;
	out->n = 0;
	if (ix_rd_list(im, o, pfx, key, &a) < 0 || !a)
		return im->failed ? -1 : 0;
	int64_t *v = arena_alloc(im->line, (a->n ? a->n : 1) * sizeof(*v));
	int64_t *og = arena_alloc(im->line, (a->n ? a->n : 1) * sizeof(*og));
	size_t n = 0;
	for (const struct jval *e = a->first; e; e = e->next) {
		if (e->type != J_STRING || !e->len)
			return ix_fail(im, fname(im, pfx, key), "must be a list of %s ids",
				       ix_kind_name(k));
		struct ix_ref r;
		int rc = ix_resolve(im, k, e->s, &r);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return ix_fail(im, fname(im, pfx, key), "unknown %s '%s'", ix_kind_name(k),
				       ix_shown(im, e->s));
		for (size_t i = 0; i < n; i++)
			if (v[i] == r.id)
				return ix_fail(im, fname(im, pfx, key), "'%s' is repeated",
					       ix_shown(im, e->s));
		og[n] = r.org;
		v[n++] = r.id;
	}
	out->v = v;
	out->n = n;
	if (orgs)
		*orgs = og;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Caches */

bool ix_code_valid(struct imp *im, enum ref_list l, const char *code, int64_t org)
{
	struct codeset *cs = NULL;
	for (size_t i = 0; i < im->ncodesets; i++)
		if (im->codesets[i].list == l && im->codesets[i].org == org) {
			cs = &im->codesets[i];
			break;
		}
	if (!cs) {
		struct ref_item *items;
		size_t n;
		struct arena *tmp = arena_new(8192);
		if (refdata_list(im->db, tmp, l, org, &items, &n) < 0) {
			arena_free(tmp);
			ix_fail_db(im, "import.refdata");
			return false;
		}
		if (im->ncodesets == im->capcodesets) {
			size_t cap = im->capcodesets ? im->capcodesets * 2 : 16;
			struct codeset *v = realloc(im->codesets, cap * sizeof(*v));
			if (!v)
				die_oom();
			im->codesets = v;
			im->capcodesets = cap;
		}
		cs = &im->codesets[im->ncodesets++];
		cs->list = l;
		cs->org = org;
		ix_strmap_init(&cs->codes, im->keep);
		for (size_t i = 0; i < n; i++)
			ix_strmap_put(&cs->codes, items[i].code, (struct ix_ref){1, 0});
		arena_free(tmp);
	}
	return ix_strmap_get(&cs->codes, code) != NULL;
}

void ix_codes_forget(struct imp *im)
{
	for (size_t i = 0; i < im->ncodesets; i++)
		ix_strmap_free(&im->codesets[i].codes);
	im->ncodesets = 0;
}

static const enum stmt_id lookup_stmt[K__COUNT] = {
	[K_SECTOR] = STMT_IX_SECTOR_ID,           [K_TERRITORY] = STMT_IX_TERRITORY_ID,
	[K_PORTRAIT] = STMT_IX_PORTRAIT_ID,       [K_ORGANISATION] = STMT_IX_ORGANISATION_ID,
	[K_PERSON] = STMT_IX_PERSON_ID,           [K_POSITION] = STMT_IX_POSITION_ID,
	[K_FAMILY] = STMT_IX_FAMILY_ID,           [K_ACTIVITY] = STMT_IX_ACTIVITY_ID,
	[K_CORRIDOR] = STMT_IX_CORRIDOR_ID,       [K_REFERRAL] = STMT_IX_REFERRAL_ID,
	[K_SUPERVISION] = STMT_IX_SUPERVISION_ID, [K_SUPPORT_REQUEST] = STMT_IX_SUPPORT_ID,
	[K_PROJECT] = STMT_IX_PROJECT_ID,         [K_SURVEY] = STMT_IX_SURVEY_ID,
	[K_SERVICE_GAP] = STMT_IX_GAP_ID,         [K_STORY] = STMT_IX_STORY_ID,
};

/* Kinds looked up in the database every time: there can be millions, and
 * a record refers to them rarely. */
static bool cached(enum ix_kind k)
{
	return k != K_ACTIVITY && k != K_REF_ITEM;
}

/* The activity_lookup index of a kind whose ids activity_validate checks. */
static int known_index(enum ix_kind k)
{
	switch (k) {
	case K_TERRITORY: return ACT_REF_TERRITORY;
	case K_PERSON: return ACT_REF_PERSON;
	case K_ORGANISATION: return ACT_REF_ORGANISATION;
	default: return -1;
	}
}

void ix_remember(struct imp *im, enum ix_kind k, const char *ext, int64_t id, int64_t org)
{
	if (cached(k))
		ix_strmap_put(&im->refs[k], ext, (struct ix_ref){id, org});
	int ki = known_index(k);
	if (ki >= 0)
		idmap_put(&im->known[ki], id, 0);
}

int ix_resolve(struct imp *im, enum ix_kind k, const char *ext, struct ix_ref *out)
{
	BUG_ON(k == K_REF_ITEM);
	struct ix_ref *hit = cached(k) ? ix_strmap_get(&im->refs[k], ext) : NULL;
	if (hit) {
		*out = *hit;
		return 0;
	}
	struct db_stmt *s = db_stmt(im->db, lookup_stmt[k]);
	if (!s)
		return ix_fail_db(im, "import.lookup");
	db_bind_text(s, 1, ext);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->id = db_col_int64(s, 0);
		out->org = db_col_int64(s, 1);
	}
	db_reset(s);
	if (rc == DB_DONE) {
		out->id = out->org = 0;
		return 1;
	}
	if (rc != DB_ROW)
		return ix_fail_db(im, "import.lookup");
	ix_remember(im, k, ext, out->id, out->org);
	return 0;
}

/* The four bit positions of ext in the filter (double hashing). */
static void bloom_bits(const char *ext, uint32_t pos[4])
{
	size_t n = strlen(ext);
	uint32_t h1 = ix_hash(ext, n), h2 = 0x9E3779B9u;
	for (size_t i = 0; i < n; i++)
		h2 = (h2 ^ (unsigned char)ext[i]) * 0x01000193u + (h2 >> 15);
	h2 |= 1;
	for (uint32_t i = 0; i < 4; i++)
		pos[i] = (h1 + i * h2) & (IX_BLOOM_BITS - 1);
}

void ix_activity_seen(struct imp *im, const char *ext)
{
	if (im->act_fresh != 1)
		return;
	uint32_t pos[4];
	bloom_bits(ext, pos);
	for (int i = 0; i < 4; i++)
		im->act_bloom[pos[i] >> 6] |= 1ull << (pos[i] & 63);
}

int ix_activity_self(struct imp *im, const char *ext, int64_t *id)
{
	*id = 0;
	if (im->act_fresh < 0) {
		struct db_stmt *s = db_stmt(im->db, STMT_IX_ACTIVITY_ANY);
		if (!s)
			return ix_fail_db(im, "import.activity");
		int rc = db_step(s);
		bool any = rc == DB_ROW && db_col_int(s, 0);
		db_reset(s);
		if (rc != DB_ROW)
			return ix_fail_db(im, "import.activity");
		im->act_fresh = !any;
		if (im->act_fresh) {
			im->act_bloom = calloc(IX_BLOOM_BITS / 64, sizeof(uint64_t));
			if (!im->act_bloom)
				die_oom();
		}
	}
	if (im->act_fresh) {
		uint32_t pos[4];
		bloom_bits(ext, pos);
		bool maybe = true;
		for (int i = 0; i < 4; i++)
			maybe &= (im->act_bloom[pos[i] >> 6] >> (pos[i] & 63)) & 1;
		if (!maybe)
			return 0;
	}
	struct ix_ref r;
	int rc = ix_resolve(im, K_ACTIVITY, ext, &r);
	if (rc < 0)
		return -1;
	*id = rc == 0 ? r.id : 0;
	return 0;
}

/* activity_lookup callbacks: answers from the caches of the run. */
static int lk_code_valid(void *ctx, enum ref_list l, const char *code, int64_t org)
{
	struct imp *im = ctx;
	if (!code || !*code)
		return 0;
	bool ok = ix_code_valid(im, l, code, org);
	return im->failed ? -1 : ok;
}

/* 1 for ids the run has resolved or written, else -1 (ask the database). */
static int lk_exists(void *ctx, enum activity_ref what, int64_t id)
{
	struct imp *im = ctx;
	return idmap_get(&im->known[what], id, NULL) ? 1 : -1;
}

/* The organisation of a family of the activity being read, else -1. */
static int lk_family_org(void *ctx, int64_t id, int64_t *org)
{
	struct imp *im = ctx;
	for (size_t i = 0; i < im->nfam; i++)
		if (im->fam_ids[i] == id) {
			*org = im->fam_orgs[i];
			return 1;
		}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Statement helpers */

void ix_bind_text(struct db_stmt *s, int i, const char *t)
{
	if (t)
		db_bind_text(s, i, t);
	else
		db_bind_null(s, i);
}

void ix_bind_id(struct db_stmt *s, int i, int64_t id)
{
	if (id)
		db_bind_int64(s, i, id);
	else
		db_bind_null(s, i);
}

void ix_bind_ts(struct db_stmt *s, int i, bool present, int64_t t)
{
	if (present)
		db_bind_int64(s, i, t);
	else
		db_bind_null(s, i);
}

int ix_step_upsert(struct imp *im, struct db_stmt *s, const char *event, int64_t *id)
{
	int rc = db_step(s);
	if (rc == DB_ROW)
		*id = db_col_int64(s, 0);
	if (rc != DB_ROW) {
		ix_fail_db(im, event);
		db_reset(s);
		return -1;
	}
	db_reset(s);
	return 0;
}

int ix_step_exec(struct imp *im, struct db_stmt *s, const char *event)
{
	int rc = db_step(s);
	if (rc != DB_DONE) {
		ix_fail_db(im, event);
		db_reset(s);
		return -1;
	}
	db_reset(s);
	return 0;
}

int ix_exec_clear(struct imp *im, enum stmt_id id, int64_t parent)
{
	struct db_stmt *s = db_stmt(im->db, id);
	if (!s)
		return ix_fail_db(im, "import.prepare");
	db_bind_int64(s, 1, parent);
	return ix_step_exec(im, s, "import.clear");
}

int ix_exec_add_text(struct imp *im, enum stmt_id id, int64_t parent, const char *text)
{
	struct db_stmt *s = db_stmt(im->db, id);
	if (!s)
		return ix_fail_db(im, "import.prepare");
	db_bind_int64(s, 1, parent);
	db_bind_text(s, 2, text);
	return ix_step_exec(im, s, "import.add");
}

int ix_exec_add_id(struct imp *im, enum stmt_id id, int64_t parent, int64_t child)
{
	struct db_stmt *s = db_stmt(im->db, id);
	if (!s)
		return ix_fail_db(im, "import.prepare");
	db_bind_int64(s, 1, parent);
	db_bind_int64(s, 2, child);
	return ix_step_exec(im, s, "import.add");
}

/* ------------------------------------------------------------------ */
/* Driver */

bool ix_import_activity_added(const struct imp *im, int64_t id)
{
	return id == 0 || id > im->agg_after;
}

/* One line (len bytes, no new line). Returns 0 or -1 (failed). */
static int import_line(struct imp *im, const char *text, size_t len)
{
	char err[160];
	struct jval *o = ix_json_parse(im->line, text, len, err, sizeof(err));
	if (!o)
		return ix_fail(im, "", "%s", err);
	if (o->type != J_OBJECT)
		return ix_fail(im, "", "a line must be one JSON object");
	const char *kind, *id;
	if (ix_rd_str(im, o, "", "kind", true, TEXT_LINE, 40, &kind) < 0)
		return -1;
	int k = ix_kind_parse(kind);
	if (k < 0)
		return ix_fail(im, "kind", "unknown kind '%s'", ix_shown(im, kind));
	if (ix_rd_str(im, o, "", "id", true, TEXT_LINE, 200, &id) < 0)
		return -1;
	bool inserted = false;
	if (ix_import_record(im, (enum ix_kind)k, id, o, &inserted) < 0)
		return -1;
	im->res->records++;
	if (inserted)
		im->res->inserted++;
	else
		im->res->updated++;
	return 0;
}

/* Frees the caches and arenas of a run (not im itself). */
static void imp_free(struct imp *im)
{
	ix_codes_forget(im);
	free(im->codesets);
	for (int k = 0; k < K__COUNT; k++)
		ix_strmap_free(&im->refs[k]);
	for (size_t i = 0; i < ARRAY_LEN(im->known); i++)
		idmap_free(&im->known[i]);
	free(im->act_bloom);
	agg_bulk_free(im->aggs);
	db_bulk_indexes_free(im->deferred); /* after a rollback: back already */
	arena_free(im->line);
	arena_free(im->keep);
}

int interchange_import(struct db *db, FILE *in, struct import_result *res)
{
	return interchange_import_with(db, in, NULL, res);
}

/* The tables a run into an empty journal loads with their secondary
 * indexes set aside (db_bulk_indexes_defer): the journal's and the
 * aggregates'. Their keys stay, so every lookup of the run still finds its
 * row at once. */
static const char *const deferred_tables[] = {
	"activity",     "activity_family", "agg_act",      "agg_act_code",
	"agg_act_link", "agg_org_act",     "agg_org_code", "agg_org_link",
};

/* The start of a run: a bigger page cache, the write transaction, the
 * highest activity id, and on an empty journal the indexes set aside. 0,
 * or -1 with res->reason set (nothing written). */
static int import_start(struct imp *im)
{
	struct import_result *res = im->res;
	/* A bigger page cache for this connection: a large import touches
	 * index pages all over. Durability settings are unchanged. */
	struct db_stmt *s = db_stmt(im->db, STMT_IX_CACHE_SIZE);
	if (s) {
		while (db_step(s) == DB_ROW)
			;
		db_reset(s);
	}
	if (db_begin(im->db) < 0) {
		str_copy(res->reason, sizeof(res->reason),
			 "cannot start a write transaction (is the database busy?)");
		return -1;
	}
	if (agg_activity_max_id(im->db, &im->agg_after) < 0) {
		db_rollback(im->db);
		str_copy(res->reason, sizeof(res->reason), "cannot read the activities");
		return -1;
	}
	if (im->agg_after == 0 && !(im->deferred = db_bulk_indexes_defer(
					    im->db, deferred_tables, ARRAY_LEN(deferred_tables)))) {
		db_rollback(im->db);
		str_copy(res->reason, sizeof(res->reason),
			 "cannot prepare the tables for the load");
		return -1;
	}
	return 0;
}

/* The end of a run that read every line: the aggregates of the
 * activities it added, the indexes set aside built again, then the commit.
 * 0, or -1 with res->reason set. */
static int import_finish(struct imp *im, const struct import_options *opt)
{
	if (im->act_added) {
		if (opt && opt->progress)
			opt->progress(opt->ctx, im->res->records, -1, "aggregates");
		if (agg_bulk_flush(im->aggs) < 0) {
			db_rollback(im->db);
			str_copy(im->res->reason, sizeof(im->res->reason),
				 "cannot add the activities to the aggregate tables");
			return -1;
		}
	}
	if (im->traj_rebuild && trajectory_rebuild(im->db) < 0) {
		db_rollback(im->db);
		str_copy(im->res->reason, sizeof(im->res->reason),
			 "cannot rebuild the referral trajectories");
		return -1;
	}
	if (im->deferred) {
		if (opt && opt->progress)
			opt->progress(opt->ctx, im->res->records, -1, "indexes");
		int rc = db_bulk_indexes_restore(im->deferred);
		im->deferred = NULL;
		if (rc < 0) {
			db_rollback(im->db);
			str_copy(im->res->reason, sizeof(im->res->reason),
				 "cannot build the indexes of the loaded tables");
			return -1;
		}
	}
	if (db_commit(im->db) < 0) {
		str_copy(im->res->reason, sizeof(im->res->reason), "cannot commit the import");
		return -1;
	}
	im->res->bulk = im->act_added > 0;
	return 0;
}

int interchange_import_with(struct db *db, FILE *in, const struct import_options *opt,
			    struct import_result *res)
{
	memset(res, 0, sizeof(*res));
	struct imp im = {.db = db, .res = res, .now = ptime_now(), .act_fresh = -1};
	im.line = arena_new(64 * 1024);
	im.keep = arena_new(64 * 1024);
	im.aggs = agg_bulk_new(db, opt && opt->agg_bytes ? opt->agg_bytes : AGG_BULK_MAX_BYTES);
	for (int k = 0; k < K__COUNT; k++)
		ix_strmap_init(&im.refs[k], im.keep);
	for (size_t i = 0; i < ARRAY_LEN(im.known); i++)
		idmap_init(&im.known[i]);
	im.lk = (struct activity_lookup){.ctx = &im,
					 .code_valid = lk_code_valid,
					 .exists = lk_exists,
					 .family_org = lk_family_org};

	if (import_start(&im) < 0) {
		imp_free(&im);
		return -1;
	}
	/* A bounded reader: a line past IX_LINE_MAX is refused after reading
	 * that much of it, never held whole. */
	struct line_reader lr;
	line_reader_open(&lr, in, IX_LINE_MAX);
	enum line_status st = LINE_OK;
	const char *text;
	size_t len;
	int64_t bytes = 0;
	while (!im.failed && (st = line_reader_next(&lr, &text, &len)) == LINE_OK) {
		im.lineno++;
		bytes += (int64_t)len + 1;
		if (opt && opt->progress && im.lineno % IMPORT_PROGRESS_EVERY == 0)
			opt->progress(opt->ctx, res->records, bytes, NULL);
		arena_reset(im.line);
		if (im.lineno == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
			text += 3;
			len -= 3;
		}
		while (len && text[len - 1] == '\r')
			len--;
		size_t blank = 0;
		while (blank < len && (text[blank] == ' ' || text[blank] == '\t'))
			blank++;
		if (blank == len)
			continue;
		import_line(&im, text, len);
	}
	if (st == LINE_TOO_LONG) {
		im.lineno++;
		ix_fail(&im, "", "the line is longer than %u bytes", IX_LINE_MAX);
	}
	bool read_error = !im.failed && st == LINE_ERROR;
	line_reader_close(&lr);
	int ret = 0;
	if (im.failed || read_error) {
		db_rollback(db);
		if (read_error) {
			im.lineno = 0;
			ix_fail(&im, "", "cannot read the input");
			im.db_error = true;
		}
		ret = im.db_error ? -1 : 1;
		res->records = res->inserted = res->updated = 0;
	} else if (import_finish(&im, opt) < 0) {
		res->records = res->inserted = res->updated = 0;
		ret = -1;
	}
	imp_free(&im);
	return ret;
}
