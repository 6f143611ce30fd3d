/* `proxima import`: a kind's fields read from its table (import_internal.h,
 * "A kind's fields as one table"). Each row goes to the field reader of its
 * type, so the messages (line, field, reason) are the readers' own. */
#include "interchange/import_internal.h"

#include <string.h>

/* The member of the record at offset off. */
static void *member_at(void *rec, size_t off)
{
	return (char *)rec + off;
}

/* The member of the record at offset off, as a pointer to T. */
#define AT(rec, off, T) ((T *)member_at(rec, off))

/* The "start" date before it (both YYYY-MM-DD or NULL): fails on field
 * pfx + key, "is before other_key". */
static int check_not_before(struct imp *im, const char *pfx, const struct ix_field *f, void *rec)
{
	const char *end = *AT(rec, f->off, const char *), *start = *AT(rec, f->other, const char *);
	if (start && end && strcmp(end, start) < 0)
		return ix_fail(im, *pfx ? arena_printf(im->line, "%s%s", pfx, f->key) : f->key,
			       "is before %s", f->other_key);
	return 0;
}

/* A list of objects: each element must be an object. */
static int read_object_list(struct imp *im, const struct jval *o, const char *pfx,
			    const struct ix_field *f, const struct jval **out)
{
	if (ix_rd_list(im, o, pfx, f->key, out) < 0)
		return -1;
	for (const struct jval *e = *out ? (*out)->first : NULL; e; e = e->next)
		if (e->type != J_OBJECT)
			return ix_fail(im,
				       *pfx ? arena_printf(im->line, "%s%s", pfx, f->key) : f->key,
				       "must be a list of objects");
	return 0;
}

/* An object, then its own rows, named "pfx key." in messages. */
static int read_object(struct imp *im, const struct jval *o, const char *pfx,
		       const struct ix_field *f, void *rec)
{
	const struct jval **out = AT(rec, f->off, const struct jval *);
	if (ix_rd_obj(im, o, pfx, f->key, out) < 0)
		return -1;
	if (!*out || !f->nsub)
		return 0;
	const char *inner = arena_printf(im->line, "%s%s.", pfx, f->key);
	return ix_read_fields(im, *out, inner, f->sub, f->nsub, rec);
}

/* One row of a table. */
static int read_field(struct imp *im, const struct jval *o, const char *pfx,
		      const struct ix_field *f, void *rec)
{
	struct ix_int *n = AT(rec, f->off, struct ix_int);
	switch (f->type) {
	case IX_F_STR:
		return ix_rd_str(im, o, pfx, f->key, f->req, f->text, f->max_chars,
				 AT(rec, f->off, const char *));
	case IX_F_RAW: return ix_rd_raw(im, o, pfx, f->key, AT(rec, f->off, const char *));
	case IX_F_INT:
		return ix_rd_int(im, o, pfx, f->key, f->req, f->min, f->max, &n->v, &n->present);
	case IX_F_CLAMPED:
		return ix_rd_int_clamped(im, o, pfx, f->key, f->req, AT(rec, f->off, int));
	case IX_F_REAL:
		return ix_rd_real(im, o, pfx, f->key, f->req, f->dmin, f->dmax,
				  AT(rec, f->off, double), NULL);
	case IX_F_BOOL: return ix_rd_bool(im, o, pfx, f->key, AT(rec, f->off, bool));
	case IX_F_DATE:
		return ix_rd_date(im, o, pfx, f->key, f->req, AT(rec, f->off, const char *));
	case IX_F_TS: return ix_rd_ts(im, o, pfx, f->key, f->req, &n->v, &n->present);
	case IX_F_ENUM:
		return ix_rd_enum(im, o, pfx, f->key, f->req, f->allowed,
				  AT(rec, f->off, const char *));
	case IX_F_CODE:
		return ix_rd_code(im, o, pfx, f->key, f->req, (enum ref_list)f->list,
				  *AT(rec, f->org, int64_t), AT(rec, f->off, const char *));
	case IX_F_REF:
		return ix_rd_ref(im, o, pfx, f->key, f->req, f->kind,
				 AT(rec, f->off, struct ix_ref));
	case IX_F_OBJ: return read_object(im, o, pfx, f, rec);
	case IX_F_LIST: return ix_rd_list(im, o, pfx, f->key, AT(rec, f->off, const struct jval *));
	case IX_F_OBJ_LIST:
		return read_object_list(im, o, pfx, f, AT(rec, f->off, const struct jval *));
	case IX_F_STR_LIST:
		return ix_rd_str_list(im, o, pfx, f->key, f->mode, f->max_chars, f->list,
				      f->list >= 0 ? *AT(rec, f->org, int64_t) : 0,
				      AT(rec, f->off, struct strlist));
	case IX_F_REF_LIST:
		return ix_rd_ref_list(im, o, pfx, f->key, f->kind, AT(rec, f->off, struct idlist),
				      f->org == IX_AT_NONE ? NULL : AT(rec, f->org, int64_t *));
	case IX_F_NOT_BEFORE: return check_not_before(im, pfx, f, rec);
	case IX_F_RULE: return f->rule(im, o, pfx, rec);
	}
	BUG_ON(1);
	return -1;
}

int ix_read_fields(struct imp *im, const struct jval *o, const char *pfx, const struct ix_field *f,
		   size_t n, void *rec)
{
	for (size_t i = 0; i < n; i++)
		if (read_field(im, o, pfx, &f[i], rec) < 0)
			return -1;
	return 0;
}
