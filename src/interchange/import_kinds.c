/* `proxima import`: one handler per kind (interchange.md's table, plus the
 * additions listed in interchange.h). Each reads and checks the fields of
 * one record, then inserts or updates it by external id, replacing its
 * lists. A kind's fields are one table (struct ix_field rows, read by
 * ix_read_fields: name, type, required or not, bounds, destination in the
 * handler's record), its own rules a row of it (IX_RULE) or a step after.
 * Activities and families go through the model (activity_validate,
 * activity_save, family_validate, family_save) so every input path has one
 * set of rules. */
#include "interchange/import_internal.h"

#include <string.h>

#include "core/buf.h"
#include "core/jsonw.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/actor.h"
#include "model/agg_bulk.h"
#include "model/aggregate.h"
#include "model/cellkey.h"
#include "model/trajectory.h"
#include "model/corridor.h"
#include "model/family.h"
#include "model/referral.h"
#include "model/survey.h"
#include "model/service_gap.h"
#include "model/search.h"
#include "model/story.h"
#include "model/vault.h"

#define NAME_MAX_CHARS 200
#define LABEL_MAX_CHARS 300
#define CODE_MAX_CHARS 64
#define NOTE_MAX_CHARS 4000
#define STORY_MAX_CHARS 10000
#define CHAIN_MAX 10000 /* longest parent / previous chain walked */

/* An upper bound for real numbers: jsonw writes them without exponent. */
#define REAL_MAX 1e15

static const char *const components[] = {"demarchage", "accompagnement", "collaboration", NULL};

/* The statement, or fail. */
static struct db_stmt *stmt(struct imp *im, enum stmt_id id)
{
	struct db_stmt *s = db_stmt(im->db, id);
	if (!s)
		ix_fail_db(im, "import.prepare");
	return s;
}

/* Existing id of ext (0 when new), for kinds upserted by ext_id. */
static int self_id(struct imp *im, enum ix_kind k, const char *ext, int64_t *id)
{
	struct ix_ref r;
	int rc = ix_resolve(im, k, ext, &r);
	if (rc < 0)
		return -1;
	*id = rc == 0 ? r.id : 0;
	return 0;
}

/* Walks the chain of `up` links (parent, previous) from start; fails when
 * it comes back to self. */
static int check_chain(struct imp *im, enum stmt_id up, int64_t self, int64_t start,
		       const char *field)
{
	if (!self)
		return 0;
	int64_t cur = start;
	for (int steps = 0; cur; steps++) {
		if (cur == self)
			return ix_fail(im, field, "would make a cycle");
		if (steps > CHAIN_MAX)
			return ix_fail(im, field, "the chain is longer than %d", CHAIN_MAX);
		struct db_stmt *s = stmt(im, up);
		if (!s)
			return -1;
		db_bind_int64(s, 1, cur);
		int rc = db_step(s);
		cur = rc == DB_ROW ? db_col_int64(s, 0) : 0;
		db_reset(s);
		if (rc != DB_ROW && rc != DB_DONE)
			return ix_fail_db(im, "import.chain");
	}
	return 0;
}

/* The fields of a record: rows of its table, read in order from o. */
#define READ_FIELDS(im, o, rows, rec) ix_read_fields(im, o, "", rows, ARRAY_LEN(rows), rec)

/* ------------------------------------------------------------------ */

/* The handlers: read and check o, then insert or update the record
 * ext (*id: its id, 0 when new; set to the record's id). Strings are in the
 * line arena. 0 or -1 (failed). */
struct sector_in {
	const char *name;
};
#define IX_REC struct sector_in
static const struct ix_field sector_rows[] = {
	IX_STR("name", true, TEXT_LINE, NAME_MAX_CHARS, name),
};
#undef IX_REC

static int imp_sector(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct sector_in in = {0};
	if (READ_FIELDS(im, o, sector_rows, &in) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_SECTOR_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, in.name);
	search_bind_text(s, 3, in.name, NULL, NULL);
	if (ix_step_upsert(im, s, "import.sector", id) < 0)
		return -1;
	ix_remember(im, K_SECTOR, ext, *id, 0);
	return 0;
}

struct territory_in {
	int64_t self; /* 0 when new */
	const char *name, *type;
	struct ix_ref parent;
};

/* The parent may not make a cycle. */
static int territory_acyclic(struct imp *im, const struct jval *o, const char *pfx, void *rec)
{
	(void)o, (void)pfx;
	struct territory_in *in = rec;
	return check_chain(im, STMT_IX_TERRITORY_PARENT, in->self, in->parent.id, "parent");
}

static const char *const territory_types[] = {"urbain", "rural", "mixte", NULL};
#define IX_REC struct territory_in
static const struct ix_field territory_rows[] = {
	IX_STR("name", true, TEXT_LINE, NAME_MAX_CHARS, name),
	IX_ENUM("type", false, territory_types, type),
	IX_REF("parent", false, K_TERRITORY, parent),
	IX_RULE(territory_acyclic),
};
#undef IX_REC

/* territory: the parent must exist and may not make a cycle. */
static int imp_territory(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct territory_in in = {.self = *id};
	if (READ_FIELDS(im, o, territory_rows, &in) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_TERRITORY_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, in.name);
	ix_bind_text(s, 3, in.type);
	ix_bind_id(s, 4, in.parent.id);
	/* A stored territory may move in the tree: the trajectories are
	 * placed again at the end of the run (model/trajectory.h). */
	im->traj_rebuild |= *id != 0;
	if (ix_step_upsert(im, s, "import.territory", id) < 0)
		return -1;
	ix_remember(im, K_TERRITORY, ext, *id, 0);
	return 0;
}

struct portrait_in {
	struct ix_ref territory;
	const char *indicator, *label, *label_en, *unit, *from, *to, *source;
	double value;
};
#define IX_REC struct portrait_in
static const struct ix_field portrait_rows[] = {
	IX_REF("territory", true, K_TERRITORY, territory),
	IX_STR("indicator", true, TEXT_LINE, 100, indicator),
	IX_STR("label", false, TEXT_LINE, LABEL_MAX_CHARS, label),
	IX_STR("label_en", false, TEXT_LINE, NAME_MAX_CHARS, label_en), /* committee.c's bound */
	IX_REAL("value", true, -REAL_MAX, REAL_MAX, value),
	IX_STR("unit", false, TEXT_LINE, 50, unit),
	IX_DATE("period_start", false, from),
	IX_DATE("period_end", false, to),
	IX_NOT_BEFORE("period_end", to, "period_start", from),
	IX_STR("source", false, TEXT_LINE, LABEL_MAX_CHARS, source),
};
#undef IX_REC

/* portrait: one indicator value of a territory. */
static int imp_portrait(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct portrait_in in = {0};
	if (READ_FIELDS(im, o, portrait_rows, &in) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_PORTRAIT_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.territory.id);
	db_bind_text(s, 3, in.indicator);
	ix_bind_text(s, 4, in.label);
	db_bind_double(s, 5, in.value);
	ix_bind_text(s, 6, in.unit);
	ix_bind_text(s, 7, in.from);
	ix_bind_text(s, 8, in.to);
	ix_bind_text(s, 9, in.source);
	ix_bind_text(s, 10, in.label_en); /* absent: the stored one stays */
	if (ix_step_upsert(im, s, "import.portrait", id) < 0)
		return -1;
	ix_remember(im, K_PORTRAIT, ext, *id, 0);
	return 0;
}

struct organisation_in {
	const char *name;
	struct ix_ref sector;
	struct idlist territories;
};
#define IX_REC struct organisation_in
static const struct ix_field organisation_rows[] = {
	IX_STR("name", true, TEXT_LINE, NAME_MAX_CHARS, name),
	IX_REF("sector", true, K_SECTOR, sector),
	IX_REFS("territories", K_TERRITORY, territories),
};
#undef IX_REC

/* organisation, with the territories it serves (replaced). */
static int imp_organisation(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct organisation_in in = {0};
	if (READ_FIELDS(im, o, organisation_rows, &in) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_ORGANISATION_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, in.name);
	db_bind_int64(s, 3, in.sector.id);
	search_bind_text(s, 4, in.name, NULL, NULL);
	if (ix_step_upsert(im, s, "import.organisation", id) < 0 ||
	    ix_exec_clear(im, STMT_IX_ORG_TERRITORY_CLEAR, *id) < 0)
		return -1;
	for (size_t i = 0; i < in.territories.n; i++)
		if (ix_exec_add_id(im, STMT_IX_ORG_TERRITORY_ADD, *id, in.territories.v[i]) < 0)
			return -1;
	if (trajectory_refresh_organisation(im->db, *id) < 0)
		return ix_fail_db(im, "import.trajectory");
	ix_remember(im, K_ORGANISATION, ext, *id, *id);
	return 0;
}

struct ref_item_in {
	const char *list, *code, *fr, *en, *org_ext;
	struct ix_ref org;
	struct ix_int sort;
	bool active;
};
static const char *const ref_lists[] = {"activity_type", "component", "strategy",   "place",
					"need",          "outcome",   "population", NULL};
#define IX_REC struct ref_item_in
static const struct ix_field ref_item_rows[] = {
	IX_ENUM("list", true, ref_lists, list),
	IX_STR("code", true, TEXT_LINE, CODE_MAX_CHARS, code),
	IX_STR("label_fr", true, TEXT_LINE, NAME_MAX_CHARS, fr),
	IX_STR("label_en", false, TEXT_LINE, NAME_MAX_CHARS, en),
	IX_STR("organisation", false, TEXT_LINE, 200, org_ext),
	IX_REF("organisation", false, K_ORGANISATION, org),
	IX_INT("sort", false, -1000000, 1000000, sort),
	IX_BOOL("active", active),
};
#undef IX_REC

/* The id is the entry's own "LIST:CODE[:ORGANISATION]"; the components
 * are fixed. */
static int ref_item_check(struct imp *im, const char *ext, const struct ref_item_in *in)
{
	if (strpbrk(in->code, " :"))
		return ix_fail(im, "code", "must not contain spaces or ':'");
	const char *canon =
		in->org_ext ? arena_printf(im->line, "%s:%s:%s", in->list, in->code, in->org_ext)
			    : arena_printf(im->line, "%s:%s", in->list, in->code);
	if (strcmp(ext, canon) != 0)
		return ix_fail(im, "id", "must be '%s' (LIST:CODE[:ORGANISATION])",
			       ix_shown(im, canon));
	if (strcmp(in->list, "component") == 0) {
		bool fixed = false;
		for (size_t i = 0; components[i]; i++)
			fixed |= strcmp(in->code, components[i]) == 0;
		if (!fixed || in->org.id)
			return ix_fail(im, "code",
				       "the components are fixed: demarchage, accompagnement, "
				       "collaboration");
	}
	return 0;
}

/* Inserts the entry, or updates the one of the same (list, code,
 * organisation): *id its id. */
static int ref_item_write(struct imp *im, const struct ref_item_in *in, int64_t *id, bool *inserted)
{
	struct db_stmt *s = stmt(im, STMT_IX_REF_FIND);
	if (!s)
		return -1;
	db_bind_text(s, 1, in->list);
	db_bind_text(s, 2, in->code);
	db_bind_int64(s, 3, in->org.id);
	int rc = db_step(s);
	*id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return ix_fail_db(im, "import.ref_item");
	*inserted = *id == 0;
	s = stmt(im, *id ? STMT_IX_REF_UPDATE : STMT_IX_REF_INSERT);
	if (!s)
		return -1;
	const char *en = in->en ? in->en : in->fr;
	if (*id) {
		db_bind_int64(s, 1, *id);
		db_bind_text(s, 2, in->fr);
		db_bind_text(s, 3, en);
		db_bind_int64(s, 4, in->sort.v);
		db_bind_int(s, 5, in->active);
		search_bind_text(s, 6, in->fr, in->en, NULL);
	} else {
		db_bind_text(s, 1, in->list);
		db_bind_text(s, 2, in->code);
		db_bind_text(s, 3, in->fr);
		db_bind_text(s, 4, en);
		ix_bind_id(s, 5, in->org.id);
		db_bind_int64(s, 6, in->sort.v);
		db_bind_int(s, 7, in->active);
		search_bind_text(s, 8, in->fr, in->en, NULL);
	}
	return ix_step_exec(im, s, "import.ref_item");
}

/* Reference-list entries: identified by (list, code, organisation); the id
 * must be "LIST:CODE" or "LIST:CODE:ORGANISATION". */
static int imp_ref_item(struct imp *im, const char *ext, const struct jval *o, int64_t *id,
			bool *inserted)
{
	struct ref_item_in in = {.active = true};
	if (READ_FIELDS(im, o, ref_item_rows, &in) < 0 || ref_item_check(im, ext, &in) < 0 ||
	    ref_item_write(im, &in, id, inserted) < 0)
		return -1;
	ix_codes_forget(im);
	return 0;
}

/* The rule of person_create: something@domain.tld, no spaces. */
static bool email_plausible(const char *e)
{
	const char *at = strchr(e, '@');
	return at && at != e && strchr(at + 1, '.') && !strchr(at + 1, '@') &&
	       !strpbrk(e, " \t\r\n<>\"");
}

struct person_in {
	const char *name, *email, *role;
	struct ix_ref org, terr;
	bool active;
};
static const char *const person_roles[] = {"pap",      "gestionnaire", "comite",
					   "analyste", "admin",        NULL};
#define IX_REC struct person_in
static const struct ix_field person_rows[] = {
	IX_STR("name", true, TEXT_LINE, NAME_MAX_CHARS, name),
	IX_STR("email", false, TEXT_LINE, 254, email),
	IX_ENUM("role", true, person_roles, role),
	IX_REF("organisation", false, K_ORGANISATION, org),
	IX_REF("territory", false, K_TERRITORY, terr),
	IX_BOOL("active", active),
};
#undef IX_REC

/* The e-mail, in lower case, when given: plausible and no one else's
 * (*lower NULL when there is none). */
static int person_email(struct imp *im, const char *ext, const char *email, char **lower)
{
	*lower = NULL;
	if (!email)
		return 0;
	if (!email_plausible(email))
		return ix_fail(im, "email", "'%s' is not an e-mail address", ix_shown(im, email));
	*lower = arena_strdup(im->line, email);
	for (char *c = *lower; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	struct db_stmt *s = stmt(im, STMT_IX_PERSON_EMAIL_TAKEN);
	if (!s)
		return -1;
	db_bind_text(s, 1, *lower);
	db_bind_text(s, 2, ext);
	int rc = db_step(s);
	bool taken = rc == DB_ROW && db_col_int(s, 0) > 0;
	db_reset(s);
	if (rc != DB_ROW)
		return ix_fail_db(im, "import.person");
	if (taken)
		return ix_fail(im, "email", "'%s' is already the e-mail of another person",
			       ix_shown(im, *lower));
	return 0;
}

/* The follower of a family stays in its organisation: moved, the family
 * would break its rule (family_validate), and the export would not import
 * again. */
static int person_stays_with_families(struct imp *im, int64_t id, int64_t org)
{
	if (!id)
		return 0;
	struct db_stmt *f = stmt(im, STMT_IX_PERSON_FOLLOWS_ELSEWHERE);
	if (!f)
		return -1;
	db_bind_int64(f, 1, id);
	db_bind_int64(f, 2, org);
	int rc = db_step(f);
	db_reset(f);
	if (rc == DB_ROW)
		return ix_fail(im, "organisation",
			       "the person follows families of another organisation");
	if (rc != DB_DONE)
		return ix_fail_db(im, "import.person");
	return 0;
}

/* person: never touches the password hash (NULL for a new person). A PAP
 * or a manager without an organisation is allowed (the contract makes it
 * optional): they keep no journal until one is set (actor_keeps_journal). */
static int imp_person(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct person_in in = {.active = true};
	char *lower;
	if (READ_FIELDS(im, o, person_rows, &in) < 0 ||
	    person_email(im, ext, in.email, &lower) < 0 ||
	    person_stays_with_families(im, *id, in.org.id) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_PERSON_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, in.name);
	ix_bind_text(s, 3, lower);
	db_bind_text(s, 4, in.role);
	ix_bind_id(s, 5, in.org.id);
	ix_bind_id(s, 6, in.terr.id);
	db_bind_int(s, 7, in.active);
	db_bind_int64(s, 8, im->now);
	if (ix_step_upsert(im, s, "import.person", id) < 0)
		return -1;
	ix_remember(im, K_PERSON, ext, *id, in.org.id);
	return 0;
}

struct position_in {
	struct ix_ref org, terr;
	const char *start, *end, *contact;
	const struct jval *holders, *mandate, *items;
	struct strlist comps;
};

/* The mandate's components are the three fixed ones. */
static int mandate_components_fixed(struct imp *im, const struct jval *o, const char *pfx,
				    void *rec)
{
	(void)o, (void)pfx;
	const struct position_in *in = rec;
	for (size_t i = 0; i < in->comps.n; i++) {
		bool ok = false;
		for (size_t c = 0; components[c]; c++)
			ok |= strcmp(in->comps.v[i], components[c]) == 0;
		if (!ok)
			return ix_fail(
				im, "mandate.components",
				"'%s' is not one of demarchage, accompagnement or collaboration",
				ix_shown(im, in->comps.v[i]));
	}
	return 0;
}

#define IX_REC struct position_in
static const struct ix_field mandate_rows[] = {
	IX_DISTINCT("components", CODE_MAX_CHARS, comps),
	IX_OBJ_LIST("items", items),
};
static const struct ix_field position_rows[] = {
	IX_REF("organisation", true, K_ORGANISATION, org),
	IX_REF("territory", true, K_TERRITORY, terr),
	IX_DATE("start", true, start),
	IX_DATE("end", false, end),
	IX_NOT_BEFORE("end", end, "start", start),
	IX_STR("contact", false, TEXT_LINE, LABEL_MAX_CHARS, contact),
	IX_OBJ_LIST("holders", holders),
	IX_OBJ("mandate", mandate_rows, mandate),
	IX_RULE(mandate_components_fixed),
};
#undef IX_REC

/* One holder of a position. */
struct holder_in {
	struct ix_ref person;
	const char *from, *to;
};
#define IX_REC struct holder_in
static const struct ix_field holder_rows[] = {
	IX_REF("person", true, K_PERSON, person),
	IX_DATE("from", true, from),
	IX_DATE("to", false, to),
	IX_NOT_BEFORE("to", to, "from", from),
};
#undef IX_REC

/* One item of a mandate: codes of the position's organisation. */
struct item_in {
	int64_t org;
	const char *population, *activity;
};
#define IX_REC struct item_in
static const struct ix_field item_rows[] = {
	IX_CODE("population", true, REF_POPULATION, org, population),
	IX_CODE("activity", true, REF_ACTIVITY_TYPE, org, activity),
};
#undef IX_REC

/* Reads every holder (*out: in->holders->n of them, an arena array). */
static int position_holders(struct imp *im, const struct position_in *in, struct holder_in **out)
{
	size_t n = in->holders ? in->holders->n : 0, i = 0;
	*out = arena_calloc(im->line, n + 1, sizeof(**out));
	for (const struct jval *h = n ? in->holders->first : NULL; h; h = h->next, i++)
		if (ix_read_fields(im, h, arena_printf(im->line, "holders[%zu].", i), holder_rows,
				   ARRAY_LEN(holder_rows), &(*out)[i]) < 0)
			return -1;
	return 0;
}

/* Reads every item of the mandate, each (population, activity) once. */
static int position_items(struct imp *im, const struct position_in *in, struct item_in **out)
{
	size_t n = in->items ? in->items->n : 0, i = 0;
	struct item_in *v = *out = arena_calloc(im->line, n + 1, sizeof(*v));
	for (const struct jval *it = n ? in->items->first : NULL; it; it = it->next, i++) {
		v[i].org = in->org.id;
		if (ix_read_fields(im, it, arena_printf(im->line, "mandate.items[%zu].", i),
				   item_rows, ARRAY_LEN(item_rows), &v[i]) < 0)
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(v[k].population, v[i].population) == 0 &&
			    strcmp(v[k].activity, v[i].activity) == 0)
				return ix_fail(im, "mandate.items", "(%s, %s) is repeated",
					       ix_shown(im, v[i].population),
					       ix_shown(im, v[i].activity));
	}
	return 0;
}

/* The position's holders, components and items, replaced. */
static int position_write_lists(struct imp *im, int64_t id, const struct position_in *in,
				const struct holder_in *hv, const struct item_in *iv)
{
	if (ix_exec_clear(im, STMT_IX_HOLDER_CLEAR, id) < 0 ||
	    ix_exec_clear(im, STMT_IX_MANDATE_COMPONENT_CLEAR, id) < 0 ||
	    ix_exec_clear(im, STMT_IX_MANDATE_ITEM_CLEAR, id) < 0)
		return -1;
	struct db_stmt *s;
	for (size_t i = 0; in->holders && i < in->holders->n; i++) {
		if (!(s = stmt(im, STMT_IX_HOLDER_ADD)))
			return -1;
		db_bind_int64(s, 1, id);
		db_bind_int64(s, 2, hv[i].person.id);
		db_bind_text(s, 3, hv[i].from);
		ix_bind_text(s, 4, hv[i].to);
		if (ix_step_exec(im, s, "import.holder") < 0)
			return -1;
	}
	for (size_t i = 0; i < in->comps.n; i++)
		if (ix_exec_add_text(im, STMT_IX_MANDATE_COMPONENT_ADD, id, in->comps.v[i]) < 0)
			return -1;
	for (size_t i = 0; in->items && i < in->items->n; i++) {
		if (!(s = stmt(im, STMT_IX_MANDATE_ITEM_ADD)))
			return -1;
		db_bind_int64(s, 1, id);
		db_bind_text(s, 2, iv[i].population);
		db_bind_text(s, 3, iv[i].activity);
		if (ix_step_exec(im, s, "import.mandate_item") < 0)
			return -1;
	}
	return 0;
}

/* position, its holders and its mandate (all replaced): every holder and
 * item is read and checked before anything is written. */
static int imp_position(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct position_in in = {0};
	struct holder_in *hv;
	struct item_in *iv;
	if (READ_FIELDS(im, o, position_rows, &in) < 0 || position_holders(im, &in, &hv) < 0 ||
	    position_items(im, &in, &iv) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_POSITION_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.org.id);
	db_bind_int64(s, 3, in.terr.id);
	db_bind_text(s, 4, in.start);
	ix_bind_text(s, 5, in.end);
	ix_bind_text(s, 6, in.contact);
	if (ix_step_upsert(im, s, "import.position", id) < 0 ||
	    position_write_lists(im, *id, &in, hv, iv) < 0)
		return -1;
	ix_remember(im, K_POSITION, ext, *id, in.org.id);
	return 0;
}

/* The first error of a model validation. */
static int fail_validation(struct imp *im, const struct validation *v)
{
	return ix_fail(im, v->errs[0].field, "%s", v->errs[0].message);
}

struct family_in {
	struct family f;
	struct ix_ref org, follower;
	const struct jval *consent, *scopes, *nominative;
	struct nominative nom;
	struct ix_int anonymised;
};

/* consent.scopes: distinct scopes among suivi, reference and citation. */
static int family_consent_scopes(struct imp *im, const struct jval *o, const char *pfx, void *rec)
{
	(void)o, (void)pfx;
	struct family_in *in = rec;
	for (const struct jval *e = in->scopes ? in->scopes->first : NULL; e; e = e->next) {
		if (e->type != J_STRING)
			return ix_fail(im, "consent.scopes", "must be a list of strings");
		bool *flag = strcmp(e->s, "suivi") == 0       ? &in->f.consent_suivi
			     : strcmp(e->s, "reference") == 0 ? &in->f.consent_reference
			     : strcmp(e->s, "citation") == 0  ? &in->f.consent_citation
							      : NULL;
		if (!flag)
			return ix_fail(im, "consent.scopes", "'%s' is not one of %s",
				       ix_shown(im, e->s), "suivi, reference or citation");
		if (*flag)
			return ix_fail(im, "consent.scopes", "'%s' is repeated",
				       ix_shown(im, e->s));
		*flag = true;
	}
	return 0;
}

#define IX_REC struct family_in
static const struct ix_field consent_rows[] = {
	IX_RAW("date", f.consent_date),
	IX_RAW("language", f.consent_language),
	IX_LIST("scopes", scopes),
	IX_RULE(family_consent_scopes),
};
static const struct ix_field nominative_rows[] = {
	IX_RAW("name", nom.name),
	IX_RAW("phone", nom.phone),
	IX_RAW("address", nom.address),
};
static const struct ix_field family_rows[] = {
	IX_REF("organisation", true, K_ORGANISATION, org),
	IX_RAW("code", f.code),
	IX_RAW("opened", f.opened),
	IX_RAW("closed", f.closed),
	IX_REF("follower", false, K_PERSON, follower),
	IX_OBJ("consent", consent_rows, consent),
	IX_OBJ("nominative", nominative_rows, nominative),
	IX_TS("anonymised_at", false, anonymised),
};
#undef IX_REC

/* Nominative details need the key, and an anonymised file has none. */
static int nominative_allowed(struct imp *im, const struct family_in *in)
{
	if (!in->nominative)
		return 0;
	if (in->anonymised.present)
		return ix_fail(im, "nominative", "an anonymised family has no nominative details");
	if (!vault_ready())
		return ix_fail(im, "nominative", "no key is loaded for nominative details (--key)");
	return 0;
}

/* A file anonymised at the end of its retention period stays so: an older
 * copy of it does not bring its details back. */
static int family_not_anonymised(struct imp *im, const struct family_in *in)
{
	if (!in->f.id || in->anonymised.present)
		return 0;
	struct db_stmt *s = stmt(im, STMT_IX_FAMILY_ANONYMISED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, in->f.id);
	int rc = db_step(s);
	bool anon = rc == DB_ROW && db_col_int64(s, 0) != 0;
	db_reset(s);
	if (rc != DB_ROW)
		return ix_fail_db(im, "import.family");
	if (anon)
		return ix_fail(im, "anonymised_at",
			       "this family was anonymised at the end of its retention "
			       "period; its file cannot be imported again");
	return 0;
}

/* A family linked by activities stays in their organisation: moved, it
 * would break their rule (activity_validate), and the export would not
 * import again. */
static int family_stays_with_activities(struct imp *im, const struct family_in *in)
{
	if (!in->f.id)
		return 0;
	struct db_stmt *s = stmt(im, STMT_IX_FAMILY_LINKED_ELSEWHERE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, in->f.id);
	db_bind_int64(s, 2, in->f.organisation_id);
	int rc = db_step(s);
	db_reset(s);
	if (rc == DB_ROW)
		return ix_fail(im, "organisation",
			       "activities of another organisation link this family");
	if (rc != DB_DONE)
		return ix_fail_db(im, "import.family");
	return 0;
}

/* family, through family_validate and family_save: nominative details
 * are encrypted and their write logged (actor 0, purpose "import"); a
 * line without them leaves stored ones as they are. */
static int imp_family(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct family_in in = {.f = {.id = *id, .ext_id = ext}};
	if (READ_FIELDS(im, o, family_rows, &in) < 0)
		return -1;
	in.f.organisation_id = in.org.id;
	in.f.follower_id = in.follower.id;
	const struct nominative *nom = in.nominative ? &in.nom : NULL;
	if (nominative_allowed(im, &in) < 0 || family_not_anonymised(im, &in) < 0 ||
	    family_stays_with_activities(im, &in) < 0)
		return -1;
	struct validation v = {0};
	if (family_validate(im->db, &in.f, nom, &v) < 0)
		return v.n ? fail_validation(im, &v) : ix_fail_db(im, "import.family");
	if (family_save(im->db, im->line, 0, &in.f, nom, "import") < 0)
		return ix_fail_db(im, "import.family");
	*id = in.f.id;
	struct db_stmt *s = stmt(im, STMT_IX_FAMILY_SET_ANONYMISED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, in.f.id);
	ix_bind_ts(s, 2, in.anonymised.present, in.anonymised.v);
	if (ix_step_exec(im, s, "import.family") < 0)
		return -1;
	ix_remember(im, K_FAMILY, ext, in.f.id, in.org.id);
	return 0;
}

struct activity_in {
	struct activity a;
	struct ix_ref author, org, terr;
	const struct jval *indirect, *counts;
	int64_t *fam_orgs; /* the organisations of a.family_ids */
	struct ix_int deleted;
};
#define IX_REC struct activity_in
static const struct ix_field indirect_rows[] = {
	IX_CLAMPED("deplacement", false, a.ind_deplacement),
	IX_CLAMPED("interprete", false, a.ind_interprete),
	IX_CLAMPED("redaction", false, a.ind_redaction),
	IX_CLAMPED("preparation", false, a.ind_preparation),
};
static const struct ix_field counts_rows[] = {
	IX_CLAMPED("adults", false, a.adults),
	IX_CLAMPED("children_0_5", false, a.children_0_5),
	IX_CLAMPED("children_6_17", false, a.children_6_17),
	IX_CLAMPED("families", false, a.families),
	IX_CLAMPED("new_contacts", false, a.new_contacts),
	IX_CLAMPED("hors_reseau", false, a.hors_reseau),
};
/* Values the model judges (activity_validate_import) are read raw. */
static const struct ix_field activity_rows[] = {
	IX_REF("author", true, K_PERSON, author),
	IX_REF("organisation", false, K_ORGANISATION, org),
	IX_REF("territory", true, K_TERRITORY, terr),
	IX_RAW("date", a.date),
	IX_RAW("start_time", a.start_time),
	IX_CLAMPED("duration_min", true, a.duration_min),
	IX_OBJ("indirect", indirect_rows, indirect),
	IX_RAW("type", a.type),
	IX_MODEL_LIST("components", a.components),
	IX_MODEL_LIST("strategies", a.strategies),
	IX_RAW("place", a.place),
	IX_BOOL("unplanned", a.unplanned),
	IX_RAW("initiated_by", a.initiated_by),
	IX_OBJ("counts", counts_rows, counts),
	IX_REFS_ORGS("families", K_FAMILY, a.family_ids, fam_orgs),
	IX_REFS("partners", K_ORGANISATION, a.partner_ids),
	IX_REFS("with_pap", K_PERSON, a.pap_ids),
	IX_MODEL_LIST("needs", a.needs),
	IX_MODEL_LIST("outcomes", a.outcomes),
	IX_RAW("note", a.note),
	IX_TS("deleted_at", false, deleted),
};
#undef IX_REC

/* activity, through activity_validate_import (the model's rules, lookups
 * answered from the run's caches) and activity_save. The organisation is
 * the author's unless given. */
static int imp_activity(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct activity_in in = {.a = {.id = *id, .ext_id = ext}};
	if (READ_FIELDS(im, o, activity_rows, &in) < 0)
		return -1;
	struct activity a = in.a; /* the model's record, as the rows filled it */
	a.author_id = in.author.id;
	a.territory_id = in.terr.id;
	a.organisation_id = in.org.id ? in.org.id : in.author.org;
	if (!a.organisation_id)
		return ix_fail(im, "author", "this person has no organisation");
	im->fam_ids = a.family_ids.v;
	im->fam_orgs = in.fam_orgs;
	im->nfam = a.family_ids.n;
	struct validation v = {0};
	int rc = activity_validate_import(im->db, &im->lk, &a, &v);
	im->nfam = 0;
	if (rc < 0)
		return v.n ? fail_validation(im, &v) : ix_fail_db(im, "import.activity");
	/* New: summed in memory (model/agg_bulk.h). Stored before, or added
	 * by this run and changed again: row by row, over tables that hold
	 * the sums so far. */
	bool bulk = a.id == 0;
	if (!bulk && ix_import_activity_added(im, a.id) && agg_bulk_flush(im->aggs) < 0)
		return ix_fail_db(im, "import.activity");
	int64_t ckey = 0;
	if ((bulk ? activity_save_bulk(im->db, im->line, &a, &ckey)
		  : activity_save(im->db, im->line, &a)) < 0)
		return ix_fail_db(im, "import.activity");
	if (bulk) {
		ix_activity_seen(im, ext);
		im->act_added++;
		if (!in.deleted.present && agg_bulk_add(im->aggs, &a, ckey) < 0)
			return ix_fail_db(im, "import.activity");
	}
	*id = a.id;
	if (in.deleted.present) {
		/* Deleted in the file: out of the aggregates too (a new one was
		 * never added to the sums). */
		if (!bulk && agg_activity_remove(im->db, a.id) < 0)
			return ix_fail_db(im, "import.activity");
		struct db_stmt *s = stmt(im, STMT_IX_ACTIVITY_SET_DELETED);
		if (!s)
			return -1;
		db_bind_int64(s, 1, a.id);
		db_bind_int64(s, 2, in.deleted.v);
		if (ix_step_exec(im, s, "import.activity") < 0)
			return -1;
	}
	return 0;
}

struct corridor_in {
	struct ix_ref terr, entry;
	const char *name, *need, *population, *from, *to;
	double target;
	struct strlist langs, fields, indicators;
};

/* Language codes, as family_validate accepts them. */
static int check_languages(struct imp *im, const struct jval *o, const char *pfx, void *rec)
{
	(void)o, (void)pfx;
	const struct strlist *l = &((struct corridor_in *)rec)->langs;
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) > 12 || strpbrk(l->v[i], " "))
			return ix_fail(im, "consent_languages",
				       "'%s' is not a language code (fr, en, es…)",
				       ix_shown(im, l->v[i]));
	return 0;
}

#define IX_REC struct corridor_in
static const struct ix_field corridor_rows[] = {
	IX_REF("territory", true, K_TERRITORY, terr),
	IX_STR("name", true, TEXT_LINE, NAME_MAX_CHARS, name),
	IX_REF("entry_organisation", true, K_ORGANISATION, entry),
	IX_CODE("need", false, REF_NEED, entry.id, need),
	IX_CODE("population", false, REF_POPULATION, entry.id, population),
	IX_REAL("target_days", false, 0.001, 3650, target),
	IX_DISTINCT("consent_languages", 12, langs),
	IX_RULE(check_languages),
	IX_DISTINCT("template_fields", 100, fields),
	IX_DISTINCT("portrait_indicators", 100, indicators),
	IX_DATE("active_from", false, from),
	IX_DATE("active_to", false, to),
	IX_NOT_BEFORE("active_to", to, "active_from", from),
};
#undef IX_REC

/* The corridor's three lists, replaced. */
static int corridor_write_lists(struct imp *im, int64_t id, const struct corridor_in *in)
{
	static const enum stmt_id clear[] = {STMT_IX_CORRIDOR_LANGUAGE_CLEAR,
					     STMT_IX_CORRIDOR_FIELD_CLEAR,
					     STMT_IX_CORRIDOR_PORTRAIT_CLEAR},
				  add[] = {STMT_IX_CORRIDOR_LANGUAGE_ADD,
					   STMT_IX_CORRIDOR_FIELD_ADD,
					   STMT_IX_CORRIDOR_PORTRAIT_ADD};
	const struct strlist *lists[] = {&in->langs, &in->fields, &in->indicators};
	for (size_t k = 0; k < ARRAY_LEN(lists); k++)
		if (ix_exec_clear(im, clear[k], id) < 0)
			return -1;
	for (size_t k = 0; k < ARRAY_LEN(lists); k++)
		for (size_t i = 0; i < lists[k]->n; i++)
			if (ix_exec_add_text(im, add[k], id, lists[k]->v[i]) < 0)
				return -1;
	return 0;
}

/* corridor and its three lists (replaced). */
static int imp_corridor(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct corridor_in in = {.target = 2};
	if (READ_FIELDS(im, o, corridor_rows, &in) < 0)
		return -1;
	/* The model's rules too (template fields from the documented list,
	 * indicators of the territory's portrait), so the form, the API and
	 * the import agree; all but the territory scope, which the contract
	 * does not have (corridor_validate_import). */
	struct corridor c = {.ext_id = ext,
			     .territory_id = in.terr.id,
			     .name = in.name,
			     .need = in.need,
			     .population = in.population,
			     .entry_organisation_id = in.entry.id,
			     .target_days = in.target,
			     .active_from = in.from,
			     .active_to = in.to,
			     .languages = {in.langs.v, in.langs.n},
			     .fields = {in.fields.v, in.fields.n},
			     .portrait = {in.indicators.v, in.indicators.n}};
	struct validation v = {0};
	if (self_id(im, K_CORRIDOR, ext, &c.id) < 0)
		return -1;
	if (corridor_validate_import(im->db, &c, &v) < 0)
		return v.n ? fail_validation(im, &v) : ix_fail_db(im, "import.corridor_validate");
	struct db_stmt *s = stmt(im, STMT_IX_CORRIDOR_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.terr.id);
	db_bind_text(s, 3, in.name);
	ix_bind_text(s, 4, in.need);
	ix_bind_text(s, 5, in.population);
	db_bind_int64(s, 6, in.entry.id);
	db_bind_double(s, 7, in.target);
	ix_bind_text(s, 8, in.from);
	ix_bind_text(s, 9, in.to);
	search_bind_text(s, 10, in.name, NULL, NULL);
	if (ix_step_upsert(im, s, "import.corridor", id) < 0 ||
	    corridor_write_lists(im, *id, &in) < 0)
		return -1;
	if (trajectory_refresh_corridor(im->db, *id) < 0)
		return ix_fail_db(im, "import.trajectory");
	ix_remember(im, K_CORRIDOR, ext, *id, in.entry.id);
	return 0;
}

struct referral_in {
	int64_t self; /* 0 when new */
	struct ix_ref fam, from, to, corridor, sender, prev;
	const char *need, *outcome, *refusal, *reason;
	struct ix_int first_contact, sent, received, taken, closed;
	bool loop;
	const struct jval *fields;
};

/* refusal_code: one of the model's coded reasons (referral_refusals), for
 * a refused referral only. */
static int referral_refusal_code(struct imp *im, const struct jval *o, const char *pfx, void *rec)
{
	struct referral_in *in = rec;
	const char **codes = arena_alloc(im->line, (referral_refusal_count + 1) * sizeof(*codes));
	for (size_t i = 0; i < referral_refusal_count; i++)
		codes[i] = referral_refusals[i].code;
	codes[referral_refusal_count] = NULL;
	if (ix_rd_enum(im, o, pfx, "refusal_code", false, codes, &in->refusal) < 0)
		return -1;
	if (in->refusal && (!in->outcome || strcmp(in->outcome, "refusee") != 0))
		return ix_fail(im, "refusal_code",
			       "is only for a refused referral (outcome refusee)");
	return 0;
}

/* previous may not make a cycle. */
static int referral_acyclic(struct imp *im, const struct jval *o, const char *pfx, void *rec)
{
	(void)o, (void)pfx;
	struct referral_in *in = rec;
	return check_chain(im, STMT_IX_REFERRAL_PREVIOUS, in->self, in->prev.id, "previous");
}

static const char *const referral_outcomes[] = {"prise_en_charge", "refusee", "reorientee",
						"perdue", NULL};
#define IX_REC struct referral_in
static const struct ix_field referral_rows[] = {
	IX_REF("family", true, K_FAMILY, fam),
	IX_REF("from_organisation", true, K_ORGANISATION, from),
	IX_REF("to_organisation", true, K_ORGANISATION, to),
	IX_REF("corridor", false, K_CORRIDOR, corridor),
	IX_CODE("need", false, REF_NEED, from.id, need),
	IX_REF("sender", false, K_PERSON, sender),
	IX_TS("first_contact_at", false, first_contact),
	IX_TS("sent_at", true, sent),
	IX_TS("received_at", false, received),
	IX_TS("taken_at", false, taken),
	IX_TS("closed_at", false, closed),
	IX_ENUM("outcome", false, referral_outcomes, outcome),
	IX_RULE(referral_refusal_code),
	IX_STR("reason", false, TEXT_FREE, NOTE_MAX_CHARS, reason),
	IX_REF("previous", false, K_REFERRAL, prev),
	IX_RULE(referral_acyclic),
	IX_BOOL("loop_detected", loop),
	IX_OBJ_NONE("fields", fields),
};
#undef IX_REC

/* The referral's template values as JSON text (NULL when none). */
static int referral_fields_json(struct imp *im, const struct jval *fields, const char **out)
{
	*out = NULL;
	if (!fields)
		return 0;
	struct buf fb = BUF_INIT(64 * 1024);
	struct jsonw w;
	jsonw_init(&w, &fb);
	ix_json_write(&w, fields);
	if (jsonw_finish(&w) < 0) {
		buf_free(&fb);
		return ix_fail(im, "fields", "is larger than 64 KiB");
	}
	*out = arena_strndup(im->line, fb.data, fb.len);
	buf_free(&fb);
	return 0;
}

/* referral: timestamps local when they carry no offset; previous names
 * an earlier referral and may not make a cycle. */
static int imp_referral(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct referral_in in = {.self = *id};
	const char *fields_json;
	if (READ_FIELDS(im, o, referral_rows, &in) < 0 ||
	    referral_fields_json(im, in.fields, &fields_json) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_REFERRAL_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.fam.id);
	db_bind_int64(s, 3, in.from.id);
	db_bind_int64(s, 4, in.to.id);
	ix_bind_id(s, 5, in.corridor.id);
	ix_bind_text(s, 6, in.need);
	ix_bind_id(s, 7, in.sender.id);
	const struct ix_int *ts[] = {&in.first_contact, &in.sent, &in.received, &in.taken,
				     &in.closed};
	for (int i = 0; i < 5; i++)
		ix_bind_ts(s, 8 + i, ts[i]->present, ts[i]->v);
	ix_bind_text(s, 13, in.outcome);
	ix_bind_text(s, 14, in.reason);
	ix_bind_id(s, 15, in.prev.id);
	db_bind_int(s, 16, in.loop);
	ix_bind_text(s, 17, fields_json);
	db_bind_int64(s, 18, cellkey_draw()); /* kept when the referral exists */
	ix_bind_text(s, 19, in.refusal);
	if (ix_step_upsert(im, s, "import.referral", id) < 0)
		return -1;
	if (trajectory_refresh(im->db, *id) < 0)
		return ix_fail_db(im, "import.trajectory");
	ix_remember(im, K_REFERRAL, ext, *id, in.from.id);
	return 0;
}

struct supervision_in {
	struct ix_ref person, supervisor;
	const char *date, *type, *note;
	double hours;
};
static const char *const supervision_types[] = {"individuelle", "groupe", "codeveloppement", NULL};
#define IX_REC struct supervision_in
static const struct ix_field supervision_rows[] = {
	IX_REF("person", true, K_PERSON, person),
	IX_REF("supervisor", false, K_PERSON, supervisor),
	IX_DATE("date", true, date),
	IX_REAL("hours", true, 0.01, 24, hours),
	IX_ENUM("type", false, supervision_types, type),
	IX_STR("note", false, TEXT_FREE, NOTE_MAX_CHARS, note),
};
#undef IX_REC

/* supervision session. */
static int imp_supervision(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct supervision_in in = {0};
	if (READ_FIELDS(im, o, supervision_rows, &in) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_SUPERVISION_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.person.id);
	ix_bind_id(s, 3, in.supervisor.id);
	db_bind_text(s, 4, in.date);
	db_bind_double(s, 5, in.hours);
	ix_bind_text(s, 6, in.type);
	ix_bind_text(s, 7, in.note);
	return ix_step_upsert(im, s, "import.supervision", id);
}

struct support_in {
	struct ix_ref person;
	const char *date, *addressed, *type, *urgency, *text, *resolution;
	struct ix_int ack, closed;
};
static const char *const support_addressees[] = {"equipe", "gestionnaire", NULL};
#define IX_REC struct support_in
static const struct ix_field support_rows[] = {
	IX_REF("person", true, K_PERSON, person),
	IX_DATE("date", true, date),
	IX_ENUM("addressed_to", false, support_addressees, addressed),
	IX_STR("type", false, TEXT_LINE, 100, type),
	IX_STR("urgency", false, TEXT_LINE, 50, urgency),
	IX_STR("text", false, TEXT_FREE, NOTE_MAX_CHARS, text),
	IX_TS("acknowledged_at", false, ack),
	IX_TS("closed_at", false, closed),
	IX_STR("resolution", false, TEXT_FREE, NOTE_MAX_CHARS, resolution),
};
#undef IX_REC

/* support_request. */
static int imp_support(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct support_in in = {0};
	if (READ_FIELDS(im, o, support_rows, &in) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_SUPPORT_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.person.id);
	db_bind_text(s, 3, in.date);
	ix_bind_text(s, 4, in.addressed);
	ix_bind_text(s, 5, in.type);
	ix_bind_text(s, 6, in.urgency);
	ix_bind_text(s, 7, in.text);
	ix_bind_ts(s, 8, in.ack.present, in.ack.v);
	ix_bind_ts(s, 9, in.closed.present, in.closed.v);
	ix_bind_text(s, 10, in.resolution);
	return ix_step_upsert(im, s, "import.support_request", id);
}

struct project_in {
	struct ix_ref terr;
	const char *name, *start, *end, *goals, *token;
	struct ix_int families;
	struct idlist orgs;
};
#define IX_REC struct project_in
static const struct ix_field project_rows[] = {
	IX_REF("territory", true, K_TERRITORY, terr),
	IX_STR("name", true, TEXT_LINE, NAME_MAX_CHARS, name),
	IX_DATE("start", true, start),
	IX_DATE("end", false, end),
	IX_NOT_BEFORE("end", end, "start", start),
	IX_REFS("organisations", K_ORGANISATION, orgs),
	IX_STR("goals", false, TEXT_FREE, NOTE_MAX_CHARS, goals),
	IX_INT("families_count", false, 0, 1000000, families),
	IX_STR("survey_token", false, TEXT_LINE, 128, token),
};
#undef IX_REC

/* A survey token stays unique: no other project has it. */
static int project_token_free(struct imp *im, const char *ext, const char *token)
{
	if (!token)
		return 0;
	struct db_stmt *s = stmt(im, STMT_IX_PROJECT_TOKEN_TAKEN);
	if (!s)
		return -1;
	db_bind_text(s, 1, token);
	db_bind_text(s, 2, ext);
	int rc = db_step(s);
	bool taken = rc == DB_ROW && db_col_int(s, 0) > 0;
	db_reset(s);
	if (rc != DB_ROW)
		return ix_fail_db(im, "import.project");
	if (taken)
		return ix_fail(im, "survey_token", "is already the token of another project");
	return 0;
}

/* project and its organisations (replaced); survey tokens stay unique. */
static int imp_project(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct project_in in = {0};
	if (READ_FIELDS(im, o, project_rows, &in) < 0 || project_token_free(im, ext, in.token) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_PROJECT_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.terr.id);
	db_bind_text(s, 3, in.name);
	db_bind_text(s, 4, in.start);
	ix_bind_text(s, 5, in.end);
	ix_bind_text(s, 6, in.goals);
	ix_bind_ts(s, 7, in.families.present, in.families.v);
	ix_bind_text(s, 8, in.token);
	if (ix_step_upsert(im, s, "import.project", id) < 0 ||
	    ix_exec_clear(im, STMT_IX_PROJECT_ORG_CLEAR, *id) < 0)
		return -1;
	for (size_t i = 0; i < in.orgs.n; i++)
		if (ix_exec_add_id(im, STMT_IX_PROJECT_ORG_ADD, *id, in.orgs.v[i]) < 0)
			return -1;
	ix_remember(im, K_PROJECT, ext, *id, 0);
	return 0;
}

struct survey_in {
	const char *type, *date, *comment;
	struct ix_ref person, project, terr;
	struct ix_int score;
	const struct jval *items;
};
static const char *const survey_types[] = {"pap", "famille", NULL};
#define IX_REC struct survey_in
static const struct ix_field survey_rows[] = {
	IX_ENUM("type", true, survey_types, type),
	IX_REF("person", false, K_PERSON, person),
	IX_REF("project", false, K_PROJECT, project),
	IX_REF("territory", true, K_TERRITORY, terr),
	IX_DATE("date", true, date),
	IX_INT("score", true, 1, 5, score),
	IX_STR("comment", false, TEXT_FREE, NOTE_MAX_CHARS, comment),
	IX_OBJ_NONE("items", items), /* keyed by the codes of the survey's type, below */
};
#undef IX_REC

/* The item scores of "items", by the codes of the survey's type (0: not
 * given); the overall item, when given, equals score. */
static int survey_scores(struct imp *im, const struct survey_in *in,
			 const struct survey_item_def *defs, size_t nitems, int64_t *scores)
{
	for (size_t i = 0; in->items && i < nitems; i++) {
		bool present = false;
		if (ix_rd_int(im, in->items, "items.", defs[i].code, false, 1, 5, &scores[i],
			      &present) < 0)
			return -1;
		if (!present)
			scores[i] = 0;
		else if (i == 0 && scores[i] != in->score.v)
			return ix_fail(im, "items.global", "differs from score");
	}
	return 0;
}

/* survey answer (never a family identifier), with its item scores
 * "items" {code: 1..5} (codes of model/survey.h; the overall item, when
 * given, must equal score). The items are replaced. */
static int imp_survey(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct survey_in in = {0};
	size_t nitems = 0;
	int64_t scores[SURVEY_ITEMS_MAX] = {0};
	if (READ_FIELDS(im, o, survey_rows, &in) < 0)
		return -1;
	const struct survey_item_def *defs =
		survey_items(strcmp(in.type, "pap") == 0 ? SURVEY_PAP : SURVEY_FAMILLE, &nitems);
	if (survey_scores(im, &in, defs, nitems, scores) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_SURVEY_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, in.type);
	ix_bind_id(s, 3, in.person.id);
	ix_bind_id(s, 4, in.project.id);
	db_bind_int64(s, 5, in.terr.id);
	db_bind_text(s, 6, in.date);
	db_bind_int64(s, 7, in.score.v);
	ix_bind_text(s, 8, in.comment);
	if (ix_step_upsert(im, s, "import.survey", id) < 0 ||
	    ix_exec_clear(im, STMT_SURVEY_ITEM_CLEAR, *id) < 0)
		return -1;
	for (size_t i = 0; i < nitems; i++) {
		if (!scores[i])
			continue;
		if (!(s = stmt(im, STMT_SURVEY_ITEM_INSERT)))
			return -1;
		db_bind_int64(s, 1, *id);
		db_bind_text(s, 2, defs[i].code);
		db_bind_int64(s, 3, scores[i]);
		if (ix_step_exec(im, s, "import.survey_item") < 0)
			return -1;
	}
	return 0;
}

struct service_gap_in {
	struct ix_ref terr, author, corridor, project;
	const char *date, *need, *population, *description, *frequency;
};
#define IX_REC struct service_gap_in
static const struct ix_field service_gap_rows[] = {
	IX_REF("territory", true, K_TERRITORY, terr),
	IX_DATE("date", true, date),
	IX_REF("author", false, K_PERSON, author),
	IX_CODE("need", true, REF_NEED, author.org, need),
	IX_CODE("population", false, REF_POPULATION, author.org, population),
	IX_STR("description", false, TEXT_FREE, NOTE_MAX_CHARS, description),
	IX_STR("frequency", false, TEXT_LINE, 50, frequency),
	IX_REF("corridor", false, K_CORRIDOR, corridor),
	IX_REF("project", false, K_PROJECT, project),
};
#undef IX_REC

/* service_gap: need and population from the author's organisation's lists. */
static int imp_service_gap(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct service_gap_in in = {0};
	if (READ_FIELDS(im, o, service_gap_rows, &in) < 0)
		return -1;
	if (in.frequency && !service_gap_frequency_valid(in.frequency))
		return ix_fail(im, "frequency",
			       "must be unique, occasionnel, mensuel or hebdomadaire");
	struct db_stmt *s = stmt(im, STMT_IX_GAP_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.terr.id);
	db_bind_text(s, 3, in.date);
	db_bind_text(s, 4, in.need);
	ix_bind_text(s, 5, in.population);
	ix_bind_id(s, 6, in.author.id);
	ix_bind_text(s, 7, in.description);
	ix_bind_text(s, 8, in.frequency);
	ix_bind_id(s, 9, in.corridor.id);
	ix_bind_id(s, 10, in.project.id);
	return ix_step_upsert(im, s, "import.service_gap", id);
}

/* A story's tags: one list of codes of the author's organisation each,
 * in the order of the rows of story_rows. */
enum { STORY_TAG_LISTS = 4 };
static const char *const story_tags[STORY_TAG_LISTS] = {"strategy", "outcome", "need", "component"};

struct story_in {
	struct ix_ref author, activity, family, project, terr, selected_by;
	const char *date, *text, *reason;
	bool quote, selected;
	struct ix_int selected_at;
	struct strlist tags[STORY_TAG_LISTS];
};
#define IX_REC struct story_in
static const struct ix_field story_rows[] = {
	IX_REF("author", true, K_PERSON, author),
	IX_DATE("date", true, date),
	IX_STR("text", true, TEXT_FREE, STORY_MAX_CHARS, text),
	IX_REF("activity", false, K_ACTIVITY, activity),
	IX_REF("family", false, K_FAMILY, family),
	IX_REF("project", false, K_PROJECT, project),
	IX_REF("territory", false, K_TERRITORY, terr),
	IX_BOOL("consent_quote", quote),
	IX_BOOL("selected", selected),
	IX_STR("selection_reason", false, TEXT_FREE, NOTE_MAX_CHARS, reason),
	IX_REF("selected_by", false, K_PERSON, selected_by),
	IX_TS("selected_at", false, selected_at),
	IX_CODES("strategies", REF_STRATEGY, author.org, tags[0]),
	IX_CODES("outcomes", REF_OUTCOME, author.org, tags[1]),
	IX_CODES("needs", REF_NEED, author.org, tags[2]),
	IX_CODES("components", REF_COMPONENT, author.org, tags[3]),
};
#undef IX_REC

/* Consent gates quotes (model/story.h): a story of a family is quotable
 * only with the family's consent to citation. */
static int story_quotable(struct imp *im, const struct story_in *in)
{
	if (!in->quote || !in->family.id)
		return 0;
	struct db_stmt *f = stmt(im, STMT_STORY_FAMILY);
	if (!f)
		return -1;
	db_bind_int64(f, 1, in->family.id);
	bool cites = db_step(f) == DB_ROW && db_col_int(f, 1) != 0;
	db_reset(f);
	if (!cites)
		return ix_fail(im, "consent_quote", "the family has not consented to citation");
	return 0;
}

/* story and its tags (replaced), codes from the author's organisation's lists. */
static int imp_story(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct story_in in = {0};
	if (READ_FIELDS(im, o, story_rows, &in) < 0 || story_quotable(im, &in) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_STORY_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, in.author.id);
	db_bind_text(s, 3, in.date);
	db_bind_text(s, 4, in.text);
	ix_bind_id(s, 5, in.activity.id);
	ix_bind_id(s, 6, in.family.id);
	ix_bind_id(s, 7, in.project.id);
	ix_bind_id(s, 8, in.terr.id);
	db_bind_int(s, 9, in.quote);
	if (ix_step_upsert(im, s, "import.story", id) < 0 ||
	    ix_exec_clear(im, STMT_IX_STORY_TAG_CLEAR, *id) < 0)
		return -1;
	if (story_selection_put(im->db, *id, STORY_LEVEL_ORGANISATION, in.selected, in.reason,
				in.selected_by.id,
				in.selected_at.present ? in.selected_at.v : ptime_now()) < 0)
		return ix_fail_db(im, "import.story_selection");
	for (size_t i = 0; i < STORY_TAG_LISTS; i++)
		for (size_t k = 0; k < in.tags[i].n; k++) {
			if (!(s = stmt(im, STMT_IX_STORY_TAG_ADD)))
				return -1;
			db_bind_int64(s, 1, *id);
			db_bind_text(s, 2, story_tags[i]);
			db_bind_text(s, 3, in.tags[i].v[k]);
			if (ix_step_exec(im, s, "import.story_tag") < 0)
				return -1;
		}
	return 0;
}

/* ------------------------------------------------------------------ */

int ix_import_record(struct imp *im, enum ix_kind k, const char *ext, const struct jval *o,
		     bool *inserted)
{
	int64_t id = 0;
	if (k == K_REF_ITEM)
		return imp_ref_item(im, ext, o, &id, inserted);
	if ((k == K_ACTIVITY ? ix_activity_self(im, ext, &id) : self_id(im, k, ext, &id)) < 0)
		return -1;
	*inserted = id == 0;
	switch (k) {
	case K_SECTOR: return imp_sector(im, ext, o, &id);
	case K_TERRITORY: return imp_territory(im, ext, o, &id);
	case K_PORTRAIT: return imp_portrait(im, ext, o, &id);
	case K_ORGANISATION: return imp_organisation(im, ext, o, &id);
	case K_PERSON: return imp_person(im, ext, o, &id);
	case K_POSITION: return imp_position(im, ext, o, &id);
	case K_FAMILY: return imp_family(im, ext, o, &id);
	case K_ACTIVITY: return imp_activity(im, ext, o, &id);
	case K_CORRIDOR: return imp_corridor(im, ext, o, &id);
	case K_REFERRAL: return imp_referral(im, ext, o, &id);
	case K_SUPERVISION: return imp_supervision(im, ext, o, &id);
	case K_SUPPORT_REQUEST: return imp_support(im, ext, o, &id);
	case K_PROJECT: return imp_project(im, ext, o, &id);
	case K_SURVEY: return imp_survey(im, ext, o, &id);
	case K_SERVICE_GAP: return imp_service_gap(im, ext, o, &id);
	case K_STORY: return imp_story(im, ext, o, &id);
	default: BUG_ON(1);
	}
	return -1;
}
