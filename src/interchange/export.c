/* `proxima export`: writes the interchange format (interchange.h) with the
 * streaming JSON writer into a bounded buffer flushed to the FILE in
 * chunks, so a million activities never sit in memory. Each kind is read in
 * id order; its lists come from one ordered scan per list table, merged by
 * parent id (no query per record). Territories and referrals are written
 * parents first (a parent or previous record is written before the records
 * that name it), so the output imports in order. */
#include "interchange/interchange.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/idmap.h"
#include "core/jsonw.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/audit.h"
#include "interchange/interchange_internal.h"
#include "model/vault.h"

#define OUT_MAX (8u << 20)    /* the buffer's bound: one record must fit */
#define OUT_FLUSH (64u << 10) /* flushed when it holds this much */
#define CHAIN_MAX 10000

struct exp {
	struct db *db;
	FILE *out;
	struct export_result *res;
	struct buf b;
	struct jsonw w;
	struct arena *ar; /* per record; reset */
	bool failed;
	/* What the view contains (interchange.h). */
	bool admin;   /* nominative details, e-mails, tokens, template values, deleted */
	bool records; /* families, activities, referrals, team follow-up, stories */
	bool notes;   /* free text */
};

/* Records the first failure; returns -1. */
static int efail(struct exp *e, const char *what, const char *detail)
{
	if (!e->failed) {
		e->failed = true;
		snprintf(e->res->reason, sizeof(e->res->reason), "%s%s%s", what, detail ? ": " : "",
			 detail ? detail : "");
	}
	return -1;
}

/* efail() with the connection's last error (logged). */
static int edb(struct exp *e, const char *event)
{
	db_log_error(e->db, event);
	return efail(e, "database error", db_errmsg(e->db));
}

/* Writes the buffer to the output and empties it. 0 or -1. */
static int flush(struct exp *e)
{
	if (e->b.len && fwrite(e->b.data, 1, e->b.len, e->out) != e->b.len)
		return efail(e, "cannot write the output", strerror(errno));
	buf_reset(&e->b);
	return 0;
}

/* Starts a record's line: {"kind":…,"id":…; resets the record arena. */
static void rec_begin(struct exp *e, enum ix_kind k, const char *id)
{
	arena_reset(e->ar);
	jsonw_init(&e->w, &e->b);
	jsonw_obj_begin(&e->w);
	jsonw_kv_str(&e->w, "kind", ix_kind_name(k));
	jsonw_kv_str(&e->w, "id", id);
}

/* Ends the line; flushes when the buffer holds OUT_FLUSH bytes. 0 or -1. */
static int rec_end(struct exp *e)
{
	jsonw_obj_end(&e->w);
	if (jsonw_finish(&e->w) < 0 || buf_putc(&e->b, '\n') < 0)
		return efail(e, "a record is larger than the output buffer", NULL);
	e->res->records++;
	return e->b.len >= OUT_FLUSH ? flush(e) : 0;
}

/* Column i as text, NULL when NULL or empty. */
static const char *col(struct db_stmt *s, int i)
{
	const char *t = db_col_cstr(s, i);
	return t && *t ? t : NULL;
}

/* True when column i is SQL NULL. */
static bool is_null(struct db_stmt *s, int i)
{
	return db_col_is_null(s, i);
}

/* Writers of optional values: nothing when the column is NULL. */
static void kv_str(struct exp *e, const char *key, struct db_stmt *s, int i)
{
	const char *t = col(s, i);
	if (t)
		jsonw_kv_str(&e->w, key, t);
}

/* key: integer column, when not NULL. */
static void kv_int(struct exp *e, const char *key, struct db_stmt *s, int i)
{
	if (!is_null(s, i))
		jsonw_kv_int(&e->w, key, db_col_int64(s, i));
}

/* key: real column (shortest exact decimals), when not NULL. */
static void kv_real(struct exp *e, const char *key, struct db_stmt *s, int i)
{
	if (!is_null(s, i)) {
		jsonw_key(&e->w, key);
		jsonw_double_exact(&e->w, db_col_double(s, i));
	}
}

/* key: true/false, always written. */
static void kv_bool(struct exp *e, const char *key, struct db_stmt *s, int i)
{
	jsonw_kv_bool(&e->w, key, db_col_int(s, i) != 0);
}

/* A timestamp as local time with its offset, which reads back exactly. */
static void kv_ts(struct exp *e, const char *key, struct db_stmt *s, int i)
{
	if (!is_null(s, i)) {
		char t[26];
		ptime_format_local(db_col_int64(s, i), t);
		jsonw_kv_str(&e->w, key, t);
	}
}

/* ------------------------------------------------------------------ */
/* List cursors: SELECT parent_id, value… ORDER BY parent_id, … */

struct cursor {
	struct db_stmt *s;
	bool row; /* s is on a row */
};

/* Starts the ordered scan id on its first row. 0 or -1. */
static int cur_open(struct exp *e, struct cursor *c, enum stmt_id id)
{
	c->s = db_stmt(e->db, id);
	if (!c->s)
		return edb(e, "export.prepare");
	int rc = db_step(c->s);
	c->row = rc == DB_ROW;
	if (rc != DB_ROW && rc != DB_DONE)
		return edb(e, "export.list");
	return 0;
}

/* Moves to the next row (c->row false at the end or on error). */
static void cur_next(struct exp *e, struct cursor *c)
{
	int rc = db_step(c->s);
	c->row = rc == DB_ROW;
	if (rc != DB_ROW && rc != DB_DONE)
		edb(e, "export.list");
}

/* True while the cursor is on a row of parent (rows of smaller parents,
 * whose records are not exported, are skipped). */
static bool cur_at(struct exp *e, struct cursor *c, int64_t parent)
{
	while (c->row && db_col_int64(c->s, 0) < parent)
		cur_next(e, c);
	return c->row && db_col_int64(c->s, 0) == parent;
}

/* Resets the scan's statement (owned by the connection). */
static void cur_close(struct cursor *c)
{
	if (c->s)
		db_reset(c->s);
	c->s = NULL;
}

/* Writes key: [values of column col of parent's rows], when there are any. */
static void kv_list(struct exp *e, const char *key, struct cursor *c, int64_t parent)
{
	if (!cur_at(e, c, parent))
		return;
	jsonw_key(&e->w, key);
	jsonw_arr_begin(&e->w);
	for (; cur_at(e, c, parent); cur_next(e, c))
		jsonw_str(&e->w, db_col_cstr(c->s, 1));
	jsonw_arr_end(&e->w);
}

/* Steps a main statement: 1 on a row, 0 at the end, -1 on error. */
static int next_row(struct exp *e, struct db_stmt *s)
{
	int rc = db_step(s);
	if (rc == DB_ROW)
		return 1;
	if (rc == DB_DONE)
		return 0;
	return edb(e, "export.read");
}

/* ------------------------------------------------------------------ */
/* Kinds */

/* The exp_* functions write every record of one kind, in id order,
 * with what the view may see. 0 or -1 (e->failed). */
static int exp_sector(struct exp *e)
{
	struct db_stmt *s = db_stmt(e->db, STMT_IX_SECTOR_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	int r;
	while ((r = next_row(e, s)) > 0) {
		rec_begin(e, K_SECTOR, col(s, 0));
		kv_str(e, "name", s, 1);
		if (rec_end(e) < 0)
			break;
	}
	db_reset(s);
	return e->failed ? -1 : 0;
}

/* Territory and referral rows may name a parent (previous) with a higher
 * id; such parents are written first, out of id order. */
struct sorted {
	enum stmt_id all, one, up;
	int parent_col;
	int (*emit)(struct exp *e, struct db_stmt *s);
};

/* The parent (previous) id of id with statement up, 0 when none. */
static int64_t parent_of(struct exp *e, enum stmt_id up, int64_t id)
{
	struct db_stmt *s = db_stmt(e->db, up);
	if (!s)
		return edb(e, "export.prepare");
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	int64_t p = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	return p;
}

/* Writes the record id, read with k->one. 0 or -1. */
static int emit_one(struct exp *e, const struct sorted *k, int64_t id)
{
	struct db_stmt *s = db_stmt(e->db, k->one);
	if (!s)
		return edb(e, "export.prepare");
	db_bind_int64(s, 1, id);
	int r = next_row(e, s);
	if (r > 0)
		r = k->emit(e, s);
	db_reset(s);
	return r < 0 ? -1 : 0;
}

/* Writes every record of k in id order, a parent not written yet
 * (higher id) before the records that name it. 0 or -1. */
static int exp_sorted(struct exp *e, const struct sorted *k)
{
	struct idmap early = {0}; /* ids written before their turn */
	struct db_stmt *s = db_stmt(e->db, k->all);
	if (!s)
		return edb(e, "export.prepare");
	int64_t *chain = NULL;
	size_t cap = 0;
	int r;
	while ((r = next_row(e, s)) > 0) {
		int64_t id = db_col_int64(s, 0);
		if (idmap_get(&early, id, NULL))
			continue;
		/* Ancestors not written yet: ids above this one, not written early. */
		size_t n = 0;
		for (int64_t up = db_col_int64(s, k->parent_col);
		     up > id && !idmap_get(&early, up, NULL); up = parent_of(e, k->up, up)) {
			for (size_t i = 0; i < n; i++)
				if (chain[i] == up)
					efail(e, "a parent or previous chain has a cycle", NULL);
			if (e->failed || n > CHAIN_MAX)
				break;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				int64_t *v = realloc(chain, cap * sizeof(*v));
				if (!v)
					die_oom();
				chain = v;
			}
			chain[n++] = up;
		}
		while (!e->failed && n > 0) {
			if (emit_one(e, k, chain[--n]) < 0)
				break;
			idmap_put(&early, chain[n], 0);
		}
		if (e->failed || k->emit(e, s) < 0)
			break;
	}
	db_reset(s);
	free(chain);
	idmap_free(&early);
	return e->failed ? -1 : 0;
}

/* One territory row of STMT_IX_TERRITORY_EXPORT(_ONE). */
static int emit_territory(struct exp *e, struct db_stmt *s)
{
	rec_begin(e, K_TERRITORY, col(s, 1));
	kv_str(e, "name", s, 2);
	kv_str(e, "type", s, 3);
	kv_str(e, "parent", s, 4);
	return rec_end(e);
}

static int exp_portrait(struct exp *e)
{
	struct db_stmt *s = db_stmt(e->db, STMT_IX_PORTRAIT_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	while (next_row(e, s) > 0) {
		rec_begin(e, K_PORTRAIT, col(s, 0));
		kv_str(e, "territory", s, 1);
		kv_str(e, "indicator", s, 2);
		kv_str(e, "label", s, 3);
		kv_str(e, "label_en", s, 9);
		kv_real(e, "value", s, 4);
		kv_str(e, "unit", s, 5);
		kv_str(e, "period_start", s, 6);
		kv_str(e, "period_end", s, 7);
		kv_str(e, "source", s, 8);
		if (rec_end(e) < 0)
			break;
	}
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_organisation(struct exp *e)
{
	struct cursor terr = {0};
	struct db_stmt *s = db_stmt(e->db, STMT_IX_ORGANISATION_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	if (cur_open(e, &terr, STMT_IX_ORG_TERRITORY_EXPORT) == 0)
		while (next_row(e, s) > 0) {
			int64_t id = db_col_int64(s, 0);
			rec_begin(e, K_ORGANISATION, col(s, 1));
			kv_str(e, "name", s, 2);
			kv_str(e, "sector", s, 3);
			kv_list(e, "territories", &terr, id);
			if (rec_end(e) < 0)
				break;
		}
	cur_close(&terr);
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_ref_item(struct exp *e)
{
	struct db_stmt *s = db_stmt(e->db, STMT_IX_REF_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	while (next_row(e, s) > 0) {
		arena_reset(e->ar);
		const char *org = col(s, 4);
		const char *id = org ? arena_printf(e->ar, "%s:%s:%s", col(s, 0), col(s, 1), org)
				     : arena_printf(e->ar, "%s:%s", col(s, 0), col(s, 1));
		jsonw_init(&e->w, &e->b);
		jsonw_obj_begin(&e->w);
		jsonw_kv_str(&e->w, "kind", ix_kind_name(K_REF_ITEM));
		jsonw_kv_str(&e->w, "id", id);
		kv_str(e, "list", s, 0);
		kv_str(e, "code", s, 1);
		kv_str(e, "label_fr", s, 2);
		kv_str(e, "label_en", s, 3);
		kv_str(e, "organisation", s, 4);
		kv_int(e, "sort", s, 5);
		kv_bool(e, "active", s, 6);
		if (rec_end(e) < 0)
			break;
	}
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_person(struct exp *e)
{
	struct db_stmt *s = db_stmt(e->db, STMT_IX_PERSON_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	while (next_row(e, s) > 0) {
		rec_begin(e, K_PERSON, col(s, 0));
		kv_str(e, "name", s, 1);
		if (e->admin)
			kv_str(e, "email", s, 2);
		kv_str(e, "role", s, 3);
		kv_str(e, "organisation", s, 4);
		kv_str(e, "territory", s, 5);
		kv_bool(e, "active", s, 6);
		if (rec_end(e) < 0)
			break;
	}
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_position(struct exp *e)
{
	struct cursor holders = {0}, comps = {0}, items = {0};
	struct db_stmt *s = db_stmt(e->db, STMT_IX_POSITION_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	if (cur_open(e, &holders, STMT_IX_HOLDER_EXPORT) == 0 &&
	    cur_open(e, &comps, STMT_IX_MANDATE_COMPONENT_EXPORT) == 0 &&
	    cur_open(e, &items, STMT_IX_MANDATE_ITEM_EXPORT) == 0)
		while (next_row(e, s) > 0) {
			int64_t id = db_col_int64(s, 0);
			rec_begin(e, K_POSITION, col(s, 1));
			kv_str(e, "organisation", s, 2);
			kv_str(e, "territory", s, 3);
			kv_str(e, "start", s, 4);
			kv_str(e, "end", s, 5);
			kv_str(e, "contact", s, 6);
			if (cur_at(e, &holders, id)) {
				jsonw_key(&e->w, "holders");
				jsonw_arr_begin(&e->w);
				for (; cur_at(e, &holders, id); cur_next(e, &holders)) {
					jsonw_obj_begin(&e->w);
					kv_str(e, "person", holders.s, 1);
					kv_str(e, "from", holders.s, 2);
					kv_str(e, "to", holders.s, 3);
					jsonw_obj_end(&e->w);
				}
				jsonw_arr_end(&e->w);
			}
			bool has_comps = cur_at(e, &comps, id), has_items = cur_at(e, &items, id);
			if (has_comps || has_items) {
				jsonw_key(&e->w, "mandate");
				jsonw_obj_begin(&e->w);
				kv_list(e, "components", &comps, id);
				if (has_items) {
					jsonw_key(&e->w, "items");
					jsonw_arr_begin(&e->w);
					for (; cur_at(e, &items, id); cur_next(e, &items)) {
						jsonw_obj_begin(&e->w);
						kv_str(e, "population", items.s, 1);
						kv_str(e, "activity", items.s, 2);
						jsonw_obj_end(&e->w);
					}
					jsonw_arr_end(&e->w);
				}
				jsonw_obj_end(&e->w);
			}
			if (rec_end(e) < 0)
				break;
		}
	cur_close(&holders);
	cur_close(&comps);
	cur_close(&items);
	db_reset(s);
	return e->failed ? -1 : 0;
}

/* Decrypts and writes a family's nominative details, and logs the export
 * in the access log (same transaction). */
static int kv_nominative(struct exp *e, struct db_stmt *s, int64_t id, const char *ext)
{
	if (is_null(s, 13))
		return 0;
	if (!vault_ready())
		return efail(e, "no key is loaded for nominative details (--key)", NULL);
	char *plain = NULL;
	size_t n = 0;
	if (db_col_bytes(s, 12) != VAULT_NONCE_LEN ||
	    vault_open(e->ar, db_col_blob(s, 12), db_col_blob(s, 13), (size_t)db_col_bytes(s, 13),
		       &plain, &n) < 0)
		return efail(e, "cannot decrypt the nominative details of family (wrong key?)",
			     ext);
	char err[160];
	struct jval *v = ix_json_parse(e->ar, plain, n, err, sizeof(err));
	sodium_memzero(plain, n);
	if (!v || v->type != J_OBJECT)
		return efail(e, "unreadable nominative details of family", ext);
	static const char *const keys[] = {"name", "phone", "address"};
	jsonw_key(&e->w, "nominative");
	jsonw_obj_begin(&e->w);
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const struct jval *m = ix_json_get(v, keys[i]);
		if (m && m->type == J_STRING) {
			jsonw_kv_str(&e->w, keys[i], m->s);
			sodium_memzero((char *)m->s, m->len);
		}
	}
	jsonw_obj_end(&e->w);
	struct audit_entry a = {.actor_id = 0,
				.action = "export",
				.object_kind = "family",
				.object_id = id,
				.information = "nominative",
				.purpose = "export"};
	if (audit_append(e->db, &a) < 0)
		return edb(e, "export.audit");
	e->res->nominative++;
	return 0;
}

static int exp_family(struct exp *e)
{
	struct db_stmt *s = db_stmt(e->db, STMT_IX_FAMILY_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	while (next_row(e, s) > 0) {
		int64_t id = db_col_int64(s, 0);
		rec_begin(e, K_FAMILY, col(s, 1));
		kv_str(e, "organisation", s, 2);
		kv_str(e, "code", s, 3);
		kv_str(e, "follower", s, 4);
		kv_str(e, "opened", s, 5);
		kv_str(e, "closed", s, 6);
		bool suivi = db_col_int(s, 9), ref = db_col_int(s, 10), cit = db_col_int(s, 11);
		if (col(s, 7) || col(s, 8) || suivi || ref || cit) {
			jsonw_key(&e->w, "consent");
			jsonw_obj_begin(&e->w);
			kv_str(e, "date", s, 7);
			kv_str(e, "language", s, 8);
			jsonw_key(&e->w, "scopes");
			jsonw_arr_begin(&e->w);
			if (suivi)
				jsonw_str(&e->w, "suivi");
			if (ref)
				jsonw_str(&e->w, "reference");
			if (cit)
				jsonw_str(&e->w, "citation");
			jsonw_arr_end(&e->w);
			jsonw_obj_end(&e->w);
		}
		if (e->admin && kv_nominative(e, s, id, col(s, 1)) < 0)
			break;
		kv_ts(e, "anonymised_at", s, 14);
		if (rec_end(e) < 0)
			break;
	}
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_activity(struct exp *e)
{
	enum { C_COMP, C_STRAT, C_NEED, C_OUT, C_FAM, C_PART, C_PAP, C__N };
	static const enum stmt_id list_stmts[C__N] = {
		STMT_IX_ACT_COMPONENT_EXPORT, STMT_IX_ACT_STRATEGY_EXPORT,
		STMT_IX_ACT_NEED_EXPORT,      STMT_IX_ACT_OUTCOME_EXPORT,
		STMT_IX_ACT_FAMILY_EXPORT,    STMT_IX_ACT_PARTNER_EXPORT,
		STMT_IX_ACT_PAP_EXPORT,
	};
	struct cursor c[C__N] = {{0}};
	struct db_stmt *s = db_stmt(e->db, STMT_IX_ACTIVITY_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	db_bind_int(s, 1, e->admin);
	bool ok = true;
	for (int i = 0; ok && i < C__N; i++)
		ok = cur_open(e, &c[i], list_stmts[i]) == 0;
	while (ok && next_row(e, s) > 0) {
		int64_t id = db_col_int64(s, 0);
		rec_begin(e, K_ACTIVITY, col(s, 1));
		kv_str(e, "author", s, 2);
		kv_str(e, "organisation", s, 3);
		kv_str(e, "territory", s, 4);
		kv_str(e, "date", s, 5);
		kv_str(e, "start_time", s, 6);
		kv_int(e, "duration_min", s, 7);
		jsonw_key(&e->w, "indirect");
		jsonw_obj_begin(&e->w);
		kv_int(e, "deplacement", s, 8);
		kv_int(e, "interprete", s, 9);
		kv_int(e, "redaction", s, 10);
		kv_int(e, "preparation", s, 11);
		jsonw_obj_end(&e->w);
		kv_str(e, "type", s, 12);
		kv_list(e, "components", &c[C_COMP], id);
		kv_list(e, "strategies", &c[C_STRAT], id);
		kv_str(e, "place", s, 13);
		kv_bool(e, "unplanned", s, 14);
		kv_str(e, "initiated_by", s, 15);
		jsonw_key(&e->w, "counts");
		jsonw_obj_begin(&e->w);
		kv_int(e, "adults", s, 16);
		kv_int(e, "children_0_5", s, 17);
		kv_int(e, "children_6_17", s, 18);
		kv_int(e, "families", s, 19);
		kv_int(e, "new_contacts", s, 20);
		kv_int(e, "hors_reseau", s, 21);
		jsonw_obj_end(&e->w);
		kv_list(e, "families", &c[C_FAM], id);
		kv_list(e, "partners", &c[C_PART], id);
		kv_list(e, "with_pap", &c[C_PAP], id);
		kv_list(e, "needs", &c[C_NEED], id);
		kv_list(e, "outcomes", &c[C_OUT], id);
		kv_str(e, "note", s, 22);
		kv_ts(e, "deleted_at", s, 23);
		if (rec_end(e) < 0)
			break;
	}
	for (int i = 0; i < C__N; i++)
		cur_close(&c[i]);
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_corridor(struct exp *e)
{
	struct cursor langs = {0}, fields = {0}, inds = {0};
	struct db_stmt *s = db_stmt(e->db, STMT_IX_CORRIDOR_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	if (cur_open(e, &langs, STMT_IX_CORRIDOR_LANGUAGE_EXPORT) == 0 &&
	    cur_open(e, &fields, STMT_IX_CORRIDOR_FIELD_EXPORT) == 0 &&
	    cur_open(e, &inds, STMT_IX_CORRIDOR_PORTRAIT_EXPORT) == 0)
		while (next_row(e, s) > 0) {
			int64_t id = db_col_int64(s, 0);
			rec_begin(e, K_CORRIDOR, col(s, 1));
			kv_str(e, "territory", s, 2);
			kv_str(e, "name", s, 3);
			kv_str(e, "need", s, 4);
			kv_str(e, "population", s, 5);
			kv_str(e, "entry_organisation", s, 6);
			kv_real(e, "target_days", s, 7);
			kv_list(e, "consent_languages", &langs, id);
			kv_list(e, "template_fields", &fields, id);
			kv_list(e, "portrait_indicators", &inds, id);
			kv_str(e, "active_from", s, 8);
			kv_str(e, "active_to", s, 9);
			if (rec_end(e) < 0)
				break;
		}
	cur_close(&langs);
	cur_close(&fields);
	cur_close(&inds);
	db_reset(s);
	return e->failed ? -1 : 0;
}

/* One referral row of STMT_IX_REFERRAL_EXPORT(_ONE). */
static int emit_referral(struct exp *e, struct db_stmt *s)
{
	rec_begin(e, K_REFERRAL, col(s, 1));
	kv_str(e, "family", s, 2);
	kv_str(e, "from_organisation", s, 3);
	kv_str(e, "to_organisation", s, 4);
	kv_str(e, "corridor", s, 5);
	kv_str(e, "need", s, 6);
	kv_ts(e, "first_contact_at", s, 8);
	kv_ts(e, "sent_at", s, 9);
	kv_ts(e, "received_at", s, 10);
	kv_ts(e, "taken_at", s, 11);
	kv_ts(e, "closed_at", s, 12);
	kv_str(e, "outcome", s, 13);
	kv_str(e, "refusal_code", s, 19); /* coded reason of a refusal (model/referral.h) */
	kv_str(e, "previous", s, 15);
	kv_str(e, "sender", s, 7);
	if (e->notes)
		kv_str(e, "reason", s, 14);
	if (db_col_int(s, 16))
		kv_bool(e, "loop_detected", s, 16);
	const char *fields = col(s, 17);
	if (e->admin && fields) {
		char err[160];
		struct jval *v = ix_json_parse(e->ar, fields, strlen(fields), err, sizeof(err));
		if (v && v->type == J_OBJECT) {
			jsonw_key(&e->w, "fields");
			ix_json_write(&e->w, v);
		}
	}
	return rec_end(e);
}

static int exp_supervision(struct exp *e)
{
	struct db_stmt *s = db_stmt(e->db, STMT_IX_SUPERVISION_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	while (next_row(e, s) > 0) {
		rec_begin(e, K_SUPERVISION, col(s, 0));
		kv_str(e, "person", s, 1);
		kv_str(e, "supervisor", s, 2);
		kv_str(e, "date", s, 3);
		kv_real(e, "hours", s, 4);
		kv_str(e, "type", s, 5);
		kv_str(e, "note", s, 6);
		if (rec_end(e) < 0)
			break;
	}
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_support(struct exp *e)
{
	struct db_stmt *s = db_stmt(e->db, STMT_IX_SUPPORT_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	while (next_row(e, s) > 0) {
		rec_begin(e, K_SUPPORT_REQUEST, col(s, 0));
		kv_str(e, "person", s, 1);
		kv_str(e, "date", s, 2);
		kv_str(e, "addressed_to", s, 3);
		kv_str(e, "type", s, 4);
		kv_str(e, "urgency", s, 5);
		kv_str(e, "text", s, 6);
		kv_ts(e, "acknowledged_at", s, 7);
		kv_ts(e, "closed_at", s, 8);
		kv_str(e, "resolution", s, 9);
		if (rec_end(e) < 0)
			break;
	}
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_project(struct exp *e)
{
	struct cursor orgs = {0};
	struct db_stmt *s = db_stmt(e->db, STMT_IX_PROJECT_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	if (cur_open(e, &orgs, STMT_IX_PROJECT_ORG_EXPORT) == 0)
		while (next_row(e, s) > 0) {
			int64_t id = db_col_int64(s, 0);
			rec_begin(e, K_PROJECT, col(s, 1));
			kv_str(e, "territory", s, 2);
			kv_str(e, "name", s, 3);
			kv_str(e, "start", s, 4);
			kv_str(e, "end", s, 5);
			kv_list(e, "organisations", &orgs, id);
			if (e->notes)
				kv_str(e, "goals", s, 6);
			kv_int(e, "families_count", s, 7);
			if (e->admin)
				kv_str(e, "survey_token", s, 8);
			if (rec_end(e) < 0)
				break;
		}
	cur_close(&orgs);
	db_reset(s);
	return e->failed ? -1 : 0;
}

/* Survey answers. PAP answers are individual answers of identified
 * workers: only the admin view carries them (a manager reads team
 * aggregates, never a person's answer). Family answers are anonymous and
 * go to the admin and gestionnaire views. Each answer carries its item
 * scores as "items" {code: score}. */
static int exp_survey(struct exp *e)
{
	struct cursor items = {0};
	struct db_stmt *s = db_stmt(e->db, STMT_SURVEY_IX_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	if (cur_open(e, &items, STMT_SURVEY_ITEM_EXPORT) == 0)
		while (next_row(e, s) > 0) {
			int64_t id = db_col_int64(s, 0);
			if (!e->admin && strcmp(col(s, 2), "pap") == 0)
				continue;
			rec_begin(e, K_SURVEY, col(s, 1));
			kv_str(e, "type", s, 2);
			kv_str(e, "person", s, 3);
			kv_str(e, "project", s, 4);
			kv_str(e, "territory", s, 5);
			kv_str(e, "date", s, 6);
			kv_int(e, "score", s, 7);
			kv_str(e, "comment", s, 8);
			if (cur_at(e, &items, id)) {
				jsonw_key(&e->w, "items");
				jsonw_obj_begin(&e->w);
				for (; cur_at(e, &items, id); cur_next(e, &items))
					jsonw_kv_int(&e->w, db_col_cstr(items.s, 1),
						     db_col_int64(items.s, 2));
				jsonw_obj_end(&e->w);
			}
			if (rec_end(e) < 0)
				break;
		}
	cur_close(&items);
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_service_gap(struct exp *e)
{
	struct db_stmt *s = db_stmt(e->db, STMT_IX_GAP_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	while (next_row(e, s) > 0) {
		rec_begin(e, K_SERVICE_GAP, col(s, 0));
		kv_str(e, "territory", s, 1);
		kv_str(e, "date", s, 2);
		kv_str(e, "need", s, 3);
		kv_str(e, "author", s, 5);
		if (e->notes)
			kv_str(e, "description", s, 6);
		kv_str(e, "population", s, 4);
		kv_str(e, "frequency", s, 7);
		kv_str(e, "corridor", s, 8);
		kv_str(e, "project", s, 9);
		if (rec_end(e) < 0)
			break;
	}
	db_reset(s);
	return e->failed ? -1 : 0;
}

static int exp_story(struct exp *e)
{
	/* Tags come ordered by kind: component, need, outcome, strategy. */
	static const struct {
		const char *tag, *field;
	} order[] = {{"strategy", "strategies"},
		     {"outcome", "outcomes"},
		     {"need", "needs"},
		     {"component", "components"}};
	struct cursor tags = {0};
	struct db_stmt *s = db_stmt(e->db, STMT_IX_STORY_EXPORT);
	if (!s)
		return edb(e, "export.prepare");
	db_bind_int(s, 1, e->admin);
	if (cur_open(e, &tags, STMT_IX_STORY_TAG_EXPORT) == 0)
		while (next_row(e, s) > 0) {
			int64_t id = db_col_int64(s, 0);
			rec_begin(e, K_STORY, col(s, 1));
			/* The story's tags, by kind, into the record arena. */
			struct {
				const char *kind, *code;
			} *tv = NULL;
			size_t nt = 0, cap = 0;
			for (; cur_at(e, &tags, id); cur_next(e, &tags)) {
				if (nt == cap) {
					cap = cap ? cap * 2 : 8;
					void *nv = arena_alloc(e->ar, cap * sizeof(*tv));
					if (nt)
						memcpy(nv, tv, nt * sizeof(*tv));
					tv = nv;
				}
				tv[nt].kind = arena_strdup(e->ar, col(tags.s, 1));
				tv[nt].code = arena_strdup(e->ar, col(tags.s, 2));
				nt++;
			}
			kv_str(e, "author", s, 2);
			kv_str(e, "date", s, 3);
			kv_str(e, "text", s, 4);
			kv_str(e, "activity", s, 5);
			kv_str(e, "family", s, 6);
			kv_str(e, "project", s, 7);
			kv_str(e, "territory", s, 8);
			for (size_t k = 0; k < ARRAY_LEN(order); k++) {
				bool any = false;
				for (size_t i = 0; i < nt; i++) {
					if (strcmp(tv[i].kind, order[k].tag) != 0)
						continue;
					if (!any) {
						jsonw_key(&e->w, order[k].field);
						jsonw_arr_begin(&e->w);
						any = true;
					}
					jsonw_str(&e->w, tv[i].code);
				}
				if (any)
					jsonw_arr_end(&e->w);
			}
			kv_bool(e, "consent_quote", s, 9);
			kv_bool(e, "selected", s, 10);
			kv_str(e, "selection_reason", s, 11);
			kv_str(e, "selected_by", s, 12);
			kv_ts(e, "selected_at", s, 13);
			if (rec_end(e) < 0)
				break;
		}
	cur_close(&tags);
	db_reset(s);
	return e->failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */

static const struct sorted territories = {STMT_IX_TERRITORY_EXPORT, STMT_IX_TERRITORY_EXPORT_ONE,
					  STMT_IX_TERRITORY_PARENT, 5, emit_territory};
static const struct sorted referrals = {STMT_IX_REFERRAL_EXPORT, STMT_IX_REFERRAL_EXPORT_ONE,
					STMT_IX_REFERRAL_PREVIOUS, 18, emit_referral};

/* Every kind the view contains, dependencies first. 0 or -1. */
static int export_all(struct exp *e)
{
	if (exp_sector(e) < 0 || exp_sorted(e, &territories) < 0 || exp_portrait(e) < 0 ||
	    exp_organisation(e) < 0 || exp_ref_item(e) < 0 || exp_person(e) < 0 ||
	    exp_position(e) < 0)
		return -1;
	if (e->records && (exp_family(e) < 0 || exp_activity(e) < 0))
		return -1;
	if (exp_corridor(e) < 0)
		return -1;
	if (e->records &&
	    (exp_sorted(e, &referrals) < 0 || exp_supervision(e) < 0 || exp_support(e) < 0))
		return -1;
	if (exp_project(e) < 0)
		return -1;
	if (e->records && exp_survey(e) < 0)
		return -1;
	if (exp_service_gap(e) < 0)
		return -1;
	if (e->records && exp_story(e) < 0)
		return -1;
	return 0;
}

int interchange_export(struct db *db, enum ix_view view, FILE *out, struct export_result *res)
{
	memset(res, 0, sizeof(*res));
	struct exp e = {.db = db, .out = out, .res = res};
	e.admin = view == IX_VIEW_ADMIN;
	e.records = view == IX_VIEW_ADMIN || view == IX_VIEW_GESTIONNAIRE;
	e.notes = e.records;
	buf_init(&e.b, OUT_MAX);
	e.ar = arena_new(16 * 1024);

	/* The admin export writes access-log entries: it takes the write lock,
	 * so the log and the snapshot it describes agree. The others read one
	 * snapshot. */
	if (e.admin) {
		if (db_begin(db) < 0)
			efail(&e, "cannot start a transaction (is the database busy?)", NULL);
	} else {
		struct db_stmt *s = db_stmt(db, STMT_IX_BEGIN_READ);
		if (!s || db_step(s) != DB_DONE)
			edb(&e, "export.begin");
		if (s)
			db_reset(s);
	}
	bool in_tx = !e.failed;
	if (in_tx && export_all(&e) == 0 && flush(&e) == 0 && fflush(out) != 0)
		efail(&e, "cannot write the output", strerror(errno));
	/* Commit even after a write error: nominative details may have left,
	 * and their access-log entries must stay. */
	if (in_tx && db_commit(db) < 0)
		efail(&e, "cannot commit the access-log entries", NULL);
	if (e.admin && e.b.cap)
		sodium_memzero(e.b.data, e.b.cap);
	buf_free(&e.b);
	arena_free(e.ar);
	return e.failed ? -1 : 0;
}
