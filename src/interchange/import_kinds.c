/* `proxima import`: one handler per kind (interchange.md's table, plus the
 * additions listed in interchange.h). Each reads and checks the fields of
 * one record, then inserts or updates it by external id, replacing its
 * lists. Activities and families go through the model (activity_validate,
 * activity_save, family_validate, family_save) so every input path has one
 * set of rules. */
#include "interchange/import_internal.h"

#include <string.h>

#include "core/buf.h"
#include "core/jsonw.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/actor.h"
#include "model/aggregate.h"
#include "model/cellkey.h"
#include "model/trajectory.h"
#include "model/corridor.h"
#include "model/family.h"
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

/* Fails when end < start (both YYYY-MM-DD or NULL). */
static int check_order(struct imp *im, const char *start, const char *end, const char *end_field,
		       const char *start_field)
{
	if (start && end && strcmp(end, start) < 0)
		return ix_fail(im, end_field, "is before %s", start_field);
	return 0;
}

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

/* ------------------------------------------------------------------ */

/* The handlers: read and check o, then insert or update the record
 * ext (*id: its id, 0 when new; set to the record's id). Strings are in the
 * line arena. 0 or -1 (failed). */
static int imp_sector(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	const char *name;
	if (ix_rd_str(im, o, "", "name", true, TEXT_LINE, NAME_MAX_CHARS, &name) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_SECTOR_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, name);
	search_bind_text(s, 3, name, NULL, NULL);
	if (ix_step_upsert(im, s, "import.sector", id) < 0)
		return -1;
	ix_remember(im, K_SECTOR, ext, *id, 0);
	return 0;
}

/* territory: the parent must exist and may not make a cycle. */
static int imp_territory(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	static const char *const types[] = {"urbain", "rural", "mixte", NULL};
	const char *name, *type;
	struct ix_ref parent;
	if (ix_rd_str(im, o, "", "name", true, TEXT_LINE, NAME_MAX_CHARS, &name) < 0 ||
	    ix_rd_enum(im, o, "", "type", false, types, &type) < 0 ||
	    ix_rd_ref(im, o, "", "parent", false, K_TERRITORY, &parent) < 0 ||
	    check_chain(im, STMT_IX_TERRITORY_PARENT, *id, parent.id, "parent") < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_TERRITORY_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, name);
	ix_bind_text(s, 3, type);
	ix_bind_id(s, 4, parent.id);
	/* A stored territory may move in the tree: the trajectories are
	 * placed again at the end of the run (model/trajectory.h). */
	im->traj_rebuild |= *id != 0;
	if (ix_step_upsert(im, s, "import.territory", id) < 0)
		return -1;
	ix_remember(im, K_TERRITORY, ext, *id, 0);
	return 0;
}

/* portrait: one indicator value of a territory. */
static int imp_portrait(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct ix_ref terr;
	const char *indicator, *label, *unit, *from, *to, *source;
	double value;
	if (ix_rd_ref(im, o, "", "territory", true, K_TERRITORY, &terr) < 0 ||
	    ix_rd_str(im, o, "", "indicator", true, TEXT_LINE, 100, &indicator) < 0 ||
	    ix_rd_str(im, o, "", "label", false, TEXT_LINE, LABEL_MAX_CHARS, &label) < 0 ||
	    ix_rd_real(im, o, "", "value", true, -REAL_MAX, REAL_MAX, &value, NULL) < 0 ||
	    ix_rd_str(im, o, "", "unit", false, TEXT_LINE, 50, &unit) < 0 ||
	    ix_rd_date(im, o, "", "period_start", false, &from) < 0 ||
	    ix_rd_date(im, o, "", "period_end", false, &to) < 0 ||
	    check_order(im, from, to, "period_end", "period_start") < 0 ||
	    ix_rd_str(im, o, "", "source", false, TEXT_LINE, LABEL_MAX_CHARS, &source) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_PORTRAIT_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, terr.id);
	db_bind_text(s, 3, indicator);
	ix_bind_text(s, 4, label);
	db_bind_double(s, 5, value);
	ix_bind_text(s, 6, unit);
	ix_bind_text(s, 7, from);
	ix_bind_text(s, 8, to);
	ix_bind_text(s, 9, source);
	if (ix_step_upsert(im, s, "import.portrait", id) < 0)
		return -1;
	ix_remember(im, K_PORTRAIT, ext, *id, 0);
	return 0;
}

/* organisation, with the territories it serves (replaced). */
static int imp_organisation(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	const char *name;
	struct ix_ref sector;
	struct idlist terrs;
	if (ix_rd_str(im, o, "", "name", true, TEXT_LINE, NAME_MAX_CHARS, &name) < 0 ||
	    ix_rd_ref(im, o, "", "sector", true, K_SECTOR, &sector) < 0 ||
	    ix_rd_ref_list(im, o, "", "territories", K_TERRITORY, &terrs, NULL) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_ORGANISATION_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, name);
	db_bind_int64(s, 3, sector.id);
	search_bind_text(s, 4, name, NULL, NULL);
	if (ix_step_upsert(im, s, "import.organisation", id) < 0 ||
	    ix_exec_clear(im, STMT_IX_ORG_TERRITORY_CLEAR, *id) < 0)
		return -1;
	for (size_t i = 0; i < terrs.n; i++)
		if (ix_exec_add_id(im, STMT_IX_ORG_TERRITORY_ADD, *id, terrs.v[i]) < 0)
			return -1;
	if (trajectory_refresh_organisation(im->db, *id) < 0)
		return ix_fail_db(im, "import.trajectory");
	ix_remember(im, K_ORGANISATION, ext, *id, *id);
	return 0;
}

/* Reference-list entries: identified by (list, code, organisation); the id
 * must be "LIST:CODE" or "LIST:CODE:ORGANISATION". */
static int imp_ref_item(struct imp *im, const char *ext, const struct jval *o, int64_t *id,
			bool *inserted)
{
	static const char *const lists[] = {"activity_type", "component", "strategy",   "place",
					    "need",          "outcome",   "population", NULL};
	const char *list, *code, *fr, *en, *org_ext;
	struct ix_ref org;
	int64_t sort = 0;
	bool active = true;
	if (ix_rd_enum(im, o, "", "list", true, lists, &list) < 0 ||
	    ix_rd_str(im, o, "", "code", true, TEXT_LINE, CODE_MAX_CHARS, &code) < 0 ||
	    ix_rd_str(im, o, "", "label_fr", true, TEXT_LINE, NAME_MAX_CHARS, &fr) < 0 ||
	    ix_rd_str(im, o, "", "label_en", false, TEXT_LINE, NAME_MAX_CHARS, &en) < 0 ||
	    ix_rd_str(im, o, "", "organisation", false, TEXT_LINE, 200, &org_ext) < 0 ||
	    ix_rd_ref(im, o, "", "organisation", false, K_ORGANISATION, &org) < 0 ||
	    ix_rd_int(im, o, "", "sort", false, -1000000, 1000000, &sort, NULL) < 0 ||
	    ix_rd_bool(im, o, "", "active", &active) < 0)
		return -1;
	if (strpbrk(code, " :"))
		return ix_fail(im, "code", "must not contain spaces or ':'");
	const char *canon = org_ext ? arena_printf(im->line, "%s:%s:%s", list, code, org_ext)
				    : arena_printf(im->line, "%s:%s", list, code);
	if (strcmp(ext, canon) != 0)
		return ix_fail(im, "id", "must be '%s' (LIST:CODE[:ORGANISATION])",
			       ix_shown(im, canon));
	if (strcmp(list, "component") == 0) {
		bool fixed = false;
		for (size_t i = 0; components[i]; i++)
			fixed |= strcmp(code, components[i]) == 0;
		if (!fixed || org.id)
			return ix_fail(im, "code",
				       "the components are fixed: demarchage, accompagnement, "
				       "collaboration");
	}
	struct db_stmt *s = stmt(im, STMT_IX_REF_FIND);
	if (!s)
		return -1;
	db_bind_text(s, 1, list);
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, org.id);
	int rc = db_step(s);
	*id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return ix_fail_db(im, "import.ref_item");
	*inserted = *id == 0;
	s = stmt(im, *id ? STMT_IX_REF_UPDATE : STMT_IX_REF_INSERT);
	if (!s)
		return -1;
	if (*id) {
		db_bind_int64(s, 1, *id);
		db_bind_text(s, 2, fr);
		db_bind_text(s, 3, en ? en : fr);
		db_bind_int64(s, 4, sort);
		db_bind_int(s, 5, active);
		search_bind_text(s, 6, fr, en, NULL);
	} else {
		db_bind_text(s, 1, list);
		db_bind_text(s, 2, code);
		db_bind_text(s, 3, fr);
		db_bind_text(s, 4, en ? en : fr);
		ix_bind_id(s, 5, org.id);
		db_bind_int64(s, 6, sort);
		db_bind_int(s, 7, active);
		search_bind_text(s, 8, fr, en, NULL);
	}
	if (ix_step_exec(im, s, "import.ref_item") < 0)
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

/* person: never touches the password hash (NULL for a new person). */
static int imp_person(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	static const char *const roles[] = {"pap",      "gestionnaire", "comite",
					    "analyste", "admin",        NULL};
	const char *name, *email, *role;
	struct ix_ref org, terr;
	bool active = true;
	if (ix_rd_str(im, o, "", "name", true, TEXT_LINE, NAME_MAX_CHARS, &name) < 0 ||
	    ix_rd_str(im, o, "", "email", false, TEXT_LINE, 254, &email) < 0 ||
	    ix_rd_enum(im, o, "", "role", true, roles, &role) < 0 ||
	    ix_rd_ref(im, o, "", "organisation", false, K_ORGANISATION, &org) < 0 ||
	    ix_rd_ref(im, o, "", "territory", false, K_TERRITORY, &terr) < 0 ||
	    ix_rd_bool(im, o, "", "active", &active) < 0)
		return -1;
	/* A PAP or a manager without an organisation is allowed (the
	 * contract makes it optional): they keep no journal until one is set
	 * (actor_keeps_journal). */
	char *lower = NULL;
	if (email) {
		if (!email_plausible(email))
			return ix_fail(im, "email", "'%s' is not an e-mail address",
				       ix_shown(im, email));
		lower = arena_strdup(im->line, email);
		for (char *c = lower; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		struct db_stmt *s = stmt(im, STMT_IX_PERSON_EMAIL_TAKEN);
		if (!s)
			return -1;
		db_bind_text(s, 1, lower);
		db_bind_text(s, 2, ext);
		int rc = db_step(s);
		bool taken = rc == DB_ROW && db_col_int(s, 0) > 0;
		db_reset(s);
		if (rc != DB_ROW)
			return ix_fail_db(im, "import.person");
		if (taken)
			return ix_fail(im, "email", "'%s' is already the e-mail of another person",
				       ix_shown(im, lower));
	}
	/* The follower of a family stays in its organisation: moved, the
	 * family would break its rule (family_validate), and the export
	 * would not import again. */
	if (*id) {
		struct db_stmt *f = stmt(im, STMT_IX_PERSON_FOLLOWS_ELSEWHERE);
		if (!f)
			return -1;
		db_bind_int64(f, 1, *id);
		db_bind_int64(f, 2, org.id);
		int rc = db_step(f);
		db_reset(f);
		if (rc == DB_ROW)
			return ix_fail(im, "organisation",
				       "the person follows families of another organisation");
		if (rc != DB_DONE)
			return ix_fail_db(im, "import.person");
	}
	struct db_stmt *s = stmt(im, STMT_IX_PERSON_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, name);
	ix_bind_text(s, 3, lower);
	db_bind_text(s, 4, role);
	ix_bind_id(s, 5, org.id);
	ix_bind_id(s, 6, terr.id);
	db_bind_int(s, 7, active);
	db_bind_int64(s, 8, im->now);
	if (ix_step_upsert(im, s, "import.person", id) < 0)
		return -1;
	ix_remember(im, K_PERSON, ext, *id, org.id);
	return 0;
}

/* A list of objects: each element must be an object. */
static int each_object(struct imp *im, const struct jval *list, const char *name)
{
	for (const struct jval *e = list ? list->first : NULL; e; e = e->next)
		if (e->type != J_OBJECT)
			return ix_fail(im, name, "must be a list of objects");
	return 0;
}

/* position, its holders and its mandate (all replaced). */
static int imp_position(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct ix_ref org, terr;
	const char *start, *end, *contact;
	const struct jval *holders, *mandate, *items = NULL;
	struct strlist comps = {0};
	if (ix_rd_ref(im, o, "", "organisation", true, K_ORGANISATION, &org) < 0 ||
	    ix_rd_ref(im, o, "", "territory", true, K_TERRITORY, &terr) < 0 ||
	    ix_rd_date(im, o, "", "start", true, &start) < 0 ||
	    ix_rd_date(im, o, "", "end", false, &end) < 0 ||
	    check_order(im, start, end, "end", "start") < 0 ||
	    ix_rd_str(im, o, "", "contact", false, TEXT_LINE, LABEL_MAX_CHARS, &contact) < 0 ||
	    ix_rd_list(im, o, "", "holders", &holders) < 0 ||
	    each_object(im, holders, "holders") < 0 ||
	    ix_rd_obj(im, o, "", "mandate", &mandate) < 0)
		return -1;
	if (mandate && (ix_rd_str_list(im, mandate, "mandate.", "components", LIST_DISTINCT,
				       CODE_MAX_CHARS, -1, 0, &comps) < 0 ||
			ix_rd_list(im, mandate, "mandate.", "items", &items) < 0 ||
			each_object(im, items, "mandate.items") < 0))
		return -1;
	for (size_t i = 0; i < comps.n; i++) {
		bool ok = false;
		for (size_t c = 0; components[c]; c++)
			ok |= strcmp(comps.v[i], components[c]) == 0;
		if (!ok)
			return ix_fail(
				im, "mandate.components",
				"'%s' is not one of demarchage, accompagnement or collaboration",
				ix_shown(im, comps.v[i]));
	}
	/* Read and check every holder and item before writing anything. */
	size_t nh = holders ? holders->n : 0, ni = items ? items->n : 0;
	struct holder {
		int64_t person;
		const char *from, *to;
	} *hv = arena_alloc(im->line, (nh + 1) * sizeof(*hv));
	struct item {
		const char *population, *activity;
	} *iv = arena_alloc(im->line, (ni + 1) * sizeof(*iv));
	size_t i = 0;
	for (const struct jval *h = holders ? holders->first : NULL; h; h = h->next, i++) {
		char pfx[40];
		snprintf(pfx, sizeof(pfx), "holders[%zu].", i);
		struct ix_ref p;
		if (ix_rd_ref(im, h, pfx, "person", true, K_PERSON, &p) < 0 ||
		    ix_rd_date(im, h, pfx, "from", true, &hv[i].from) < 0 ||
		    ix_rd_date(im, h, pfx, "to", false, &hv[i].to) < 0 ||
		    check_order(im, hv[i].from, hv[i].to, arena_printf(im->line, "%sto", pfx),
				"from") < 0)
			return -1;
		hv[i].person = p.id;
	}
	i = 0;
	for (const struct jval *it = items ? items->first : NULL; it; it = it->next, i++) {
		char pfx[40];
		snprintf(pfx, sizeof(pfx), "mandate.items[%zu].", i);
		if (ix_rd_code(im, it, pfx, "population", true, REF_POPULATION, org.id,
			       &iv[i].population) < 0 ||
		    ix_rd_code(im, it, pfx, "activity", true, REF_ACTIVITY_TYPE, org.id,
			       &iv[i].activity) < 0)
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(iv[k].population, iv[i].population) == 0 &&
			    strcmp(iv[k].activity, iv[i].activity) == 0)
				return ix_fail(im, "mandate.items", "(%s, %s) is repeated",
					       ix_shown(im, iv[i].population),
					       ix_shown(im, iv[i].activity));
	}
	struct db_stmt *s = stmt(im, STMT_IX_POSITION_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, org.id);
	db_bind_int64(s, 3, terr.id);
	db_bind_text(s, 4, start);
	ix_bind_text(s, 5, end);
	ix_bind_text(s, 6, contact);
	if (ix_step_upsert(im, s, "import.position", id) < 0 ||
	    ix_exec_clear(im, STMT_IX_HOLDER_CLEAR, *id) < 0 ||
	    ix_exec_clear(im, STMT_IX_MANDATE_COMPONENT_CLEAR, *id) < 0 ||
	    ix_exec_clear(im, STMT_IX_MANDATE_ITEM_CLEAR, *id) < 0)
		return -1;
	for (i = 0; i < nh; i++) {
		if (!(s = stmt(im, STMT_IX_HOLDER_ADD)))
			return -1;
		db_bind_int64(s, 1, *id);
		db_bind_int64(s, 2, hv[i].person);
		db_bind_text(s, 3, hv[i].from);
		ix_bind_text(s, 4, hv[i].to);
		if (ix_step_exec(im, s, "import.holder") < 0)
			return -1;
	}
	for (i = 0; i < comps.n; i++)
		if (ix_exec_add_text(im, STMT_IX_MANDATE_COMPONENT_ADD, *id, comps.v[i]) < 0)
			return -1;
	for (i = 0; i < ni; i++) {
		if (!(s = stmt(im, STMT_IX_MANDATE_ITEM_ADD)))
			return -1;
		db_bind_int64(s, 1, *id);
		db_bind_text(s, 2, iv[i].population);
		db_bind_text(s, 3, iv[i].activity);
		if (ix_step_exec(im, s, "import.mandate_item") < 0)
			return -1;
	}
	ix_remember(im, K_POSITION, ext, *id, org.id);
	return 0;
}

/* The first error of a model validation. */
static int fail_validation(struct imp *im, const struct validation *v)
{
	return ix_fail(im, v->errs[0].field, "%s", v->errs[0].message);
}

/* family, through family_validate and family_save: nominative details
 * are encrypted and their write logged (actor 0, purpose "import"); a
 * line without them leaves stored ones as they are. */
static int imp_family(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct family f = {.id = *id, .ext_id = ext};
	struct ix_ref org, follower;
	const struct jval *consent, *nomv;
	struct nominative nom = {0};
	int64_t anonymised = 0;
	bool has_anon = false;
	if (ix_rd_ref(im, o, "", "organisation", true, K_ORGANISATION, &org) < 0 ||
	    ix_rd_raw(im, o, "", "code", &f.code) < 0 ||
	    ix_rd_raw(im, o, "", "opened", &f.opened) < 0 ||
	    ix_rd_raw(im, o, "", "closed", &f.closed) < 0 ||
	    ix_rd_ref(im, o, "", "follower", false, K_PERSON, &follower) < 0 ||
	    ix_rd_obj(im, o, "", "consent", &consent) < 0 ||
	    ix_rd_obj(im, o, "", "nominative", &nomv) < 0 ||
	    ix_rd_ts(im, o, "", "anonymised_at", false, &anonymised, &has_anon) < 0)
		return -1;
	f.organisation_id = org.id;
	f.follower_id = follower.id;
	if (consent) {
		const struct jval *sv;
		if (ix_rd_raw(im, consent, "consent.", "date", &f.consent_date) < 0 ||
		    ix_rd_raw(im, consent, "consent.", "language", &f.consent_language) < 0 ||
		    ix_rd_list(im, consent, "consent.", "scopes", &sv) < 0)
			return -1;
		for (const struct jval *e = sv ? sv->first : NULL; e; e = e->next) {
			if (e->type != J_STRING)
				return ix_fail(im, "consent.scopes", "must be a list of strings");
			bool *flag = strcmp(e->s, "suivi") == 0       ? &f.consent_suivi
				     : strcmp(e->s, "reference") == 0 ? &f.consent_reference
				     : strcmp(e->s, "citation") == 0  ? &f.consent_citation
								      : NULL;
			if (!flag)
				return ix_fail(im, "consent.scopes", "'%s' is not one of %s",
					       ix_shown(im, e->s), "suivi, reference or citation");
			if (*flag)
				return ix_fail(im, "consent.scopes", "'%s' is repeated",
					       ix_shown(im, e->s));
			*flag = true;
		}
	}
	if (nomv) {
		if (ix_rd_raw(im, nomv, "nominative.", "name", &nom.name) < 0 ||
		    ix_rd_raw(im, nomv, "nominative.", "phone", &nom.phone) < 0 ||
		    ix_rd_raw(im, nomv, "nominative.", "address", &nom.address) < 0)
			return -1;
		if (has_anon)
			return ix_fail(im, "nominative",
				       "an anonymised family has no nominative details");
		if (!vault_ready())
			return ix_fail(im, "nominative",
				       "no key is loaded for nominative details (--key)");
	}
	/* A file anonymised at the end of its retention period stays so: an
	 * older copy of it does not bring its details back. */
	if (f.id && !has_anon) {
		struct db_stmt *s = stmt(im, STMT_IX_FAMILY_ANONYMISED);
		if (!s)
			return -1;
		db_bind_int64(s, 1, f.id);
		int rc = db_step(s);
		bool anon = rc == DB_ROW && db_col_int64(s, 0) != 0;
		db_reset(s);
		if (rc != DB_ROW)
			return ix_fail_db(im, "import.family");
		if (anon)
			return ix_fail(im, "anonymised_at",
				       "this family was anonymised at the end of its retention "
				       "period; its file cannot be imported again");
	}
	/* A family linked by activities stays in their organisation: moved,
	 * it would break their rule (activity_validate), and the export
	 * would not import again. */
	if (f.id) {
		struct db_stmt *s = stmt(im, STMT_IX_FAMILY_LINKED_ELSEWHERE);
		if (!s)
			return -1;
		db_bind_int64(s, 1, f.id);
		db_bind_int64(s, 2, f.organisation_id);
		int rc = db_step(s);
		db_reset(s);
		if (rc == DB_ROW)
			return ix_fail(im, "organisation",
				       "activities of another organisation link this family");
		if (rc != DB_DONE)
			return ix_fail_db(im, "import.family");
	}
	struct validation v = {0};
	if (family_validate(im->db, &f, nomv ? &nom : NULL, &v) < 0)
		return v.n ? fail_validation(im, &v) : ix_fail_db(im, "import.family");
	if (family_save(im->db, im->line, 0, &f, nomv ? &nom : NULL, "import") < 0)
		return ix_fail_db(im, "import.family");
	*id = f.id;
	struct db_stmt *s = stmt(im, STMT_IX_FAMILY_SET_ANONYMISED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, f.id);
	ix_bind_ts(s, 2, has_anon, anonymised);
	if (ix_step_exec(im, s, "import.family") < 0)
		return -1;
	ix_remember(im, K_FAMILY, ext, f.id, org.id);
	return 0;
}

/* activity, through activity_validate_import (the model's rules, lookups
 * answered from the run's caches) and activity_save. The organisation is
 * the author's unless given. */
static int imp_activity(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct activity a = {.id = *id, .ext_id = ext};
	struct ix_ref author, org, terr;
	const struct jval *ind, *counts;
	int64_t deleted = 0, *fam_orgs = NULL;
	bool has_deleted = false;
	if (ix_rd_ref(im, o, "", "author", true, K_PERSON, &author) < 0 ||
	    ix_rd_ref(im, o, "", "organisation", false, K_ORGANISATION, &org) < 0 ||
	    ix_rd_ref(im, o, "", "territory", true, K_TERRITORY, &terr) < 0 ||
	    ix_rd_raw(im, o, "", "date", &a.date) < 0 ||
	    ix_rd_raw(im, o, "", "start_time", &a.start_time) < 0 ||
	    ix_rd_int_clamped(im, o, "", "duration_min", true, &a.duration_min) < 0 ||
	    ix_rd_obj(im, o, "", "indirect", &ind) < 0 ||
	    ix_rd_raw(im, o, "", "type", &a.type) < 0 ||
	    ix_rd_str_list(im, o, "", "components", LIST_MODEL, 0, -1, 0, &a.components) < 0 ||
	    ix_rd_str_list(im, o, "", "strategies", LIST_MODEL, 0, -1, 0, &a.strategies) < 0 ||
	    ix_rd_raw(im, o, "", "place", &a.place) < 0 ||
	    ix_rd_bool(im, o, "", "unplanned", &a.unplanned) < 0 ||
	    ix_rd_raw(im, o, "", "initiated_by", &a.initiated_by) < 0 ||
	    ix_rd_obj(im, o, "", "counts", &counts) < 0 ||
	    ix_rd_ref_list(im, o, "", "families", K_FAMILY, &a.family_ids, &fam_orgs) < 0 ||
	    ix_rd_ref_list(im, o, "", "partners", K_ORGANISATION, &a.partner_ids, NULL) < 0 ||
	    ix_rd_ref_list(im, o, "", "with_pap", K_PERSON, &a.pap_ids, NULL) < 0 ||
	    ix_rd_str_list(im, o, "", "needs", LIST_MODEL, 0, -1, 0, &a.needs) < 0 ||
	    ix_rd_str_list(im, o, "", "outcomes", LIST_MODEL, 0, -1, 0, &a.outcomes) < 0 ||
	    ix_rd_raw(im, o, "", "note", &a.note) < 0 ||
	    ix_rd_ts(im, o, "", "deleted_at", false, &deleted, &has_deleted) < 0)
		return -1;
	if (ind &&
	    (ix_rd_int_clamped(im, ind, "indirect.", "deplacement", false, &a.ind_deplacement) <
		     0 ||
	     ix_rd_int_clamped(im, ind, "indirect.", "interprete", false, &a.ind_interprete) < 0 ||
	     ix_rd_int_clamped(im, ind, "indirect.", "redaction", false, &a.ind_redaction) < 0 ||
	     ix_rd_int_clamped(im, ind, "indirect.", "preparation", false, &a.ind_preparation) < 0))
		return -1;
	if (counts &&
	    (ix_rd_int_clamped(im, counts, "counts.", "adults", false, &a.adults) < 0 ||
	     ix_rd_int_clamped(im, counts, "counts.", "children_0_5", false, &a.children_0_5) < 0 ||
	     ix_rd_int_clamped(im, counts, "counts.", "children_6_17", false, &a.children_6_17) <
		     0 ||
	     ix_rd_int_clamped(im, counts, "counts.", "families", false, &a.families) < 0 ||
	     ix_rd_int_clamped(im, counts, "counts.", "new_contacts", false, &a.new_contacts) < 0 ||
	     ix_rd_int_clamped(im, counts, "counts.", "hors_reseau", false, &a.hors_reseau) < 0))
		return -1;
	a.author_id = author.id;
	a.territory_id = terr.id;
	a.organisation_id = org.id ? org.id : author.org;
	if (!a.organisation_id)
		return ix_fail(im, "author", "this person has no organisation");
	im->fam_ids = a.family_ids.v;
	im->fam_orgs = fam_orgs;
	im->nfam = a.family_ids.n;
	struct validation v = {0};
	int rc = activity_validate_import(im->db, &im->lk, &a, &v);
	im->nfam = 0;
	if (rc < 0)
		return v.n ? fail_validation(im, &v) : ix_fail_db(im, "import.activity");
	/* Added by the run: aggregated at its end; stored before: row by row. */
	bool added = ix_import_activity_added(im, a.id);
	if ((added ? activity_save_bulk(im->db, im->line, &a)
		   : activity_save(im->db, im->line, &a)) < 0)
		return ix_fail_db(im, "import.activity");
	if (!*id) {
		ix_activity_seen(im, ext);
		im->act_added++;
	}
	*id = a.id;
	if (has_deleted) {
		/* Deleted in the file: out of the aggregates too (those the run
		 * adds are summed from the rows at its end, deleted ones not). */
		if (!added && agg_activity_remove(im->db, a.id) < 0)
			return ix_fail_db(im, "import.activity");
		struct db_stmt *s = stmt(im, STMT_IX_ACTIVITY_SET_DELETED);
		if (!s)
			return -1;
		db_bind_int64(s, 1, a.id);
		db_bind_int64(s, 2, deleted);
		if (ix_step_exec(im, s, "import.activity") < 0)
			return -1;
	}
	return 0;
}

/* Language codes, as family_validate accepts them. */
static int check_languages(struct imp *im, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) > 12 || strpbrk(l->v[i], " "))
			return ix_fail(im, "consent_languages",
				       "'%s' is not a language code (fr, en, es…)",
				       ix_shown(im, l->v[i]));
	return 0;
}

/* corridor and its three lists (replaced). */
static int imp_corridor(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct ix_ref terr, entry;
	const char *name, *need, *population, *from, *to;
	double target = 2;
	struct strlist langs, fields, indicators;
	if (ix_rd_ref(im, o, "", "territory", true, K_TERRITORY, &terr) < 0 ||
	    ix_rd_str(im, o, "", "name", true, TEXT_LINE, NAME_MAX_CHARS, &name) < 0 ||
	    ix_rd_ref(im, o, "", "entry_organisation", true, K_ORGANISATION, &entry) < 0 ||
	    ix_rd_code(im, o, "", "need", false, REF_NEED, entry.id, &need) < 0 ||
	    ix_rd_code(im, o, "", "population", false, REF_POPULATION, entry.id, &population) < 0 ||
	    ix_rd_real(im, o, "", "target_days", false, 0.001, 3650, &target, NULL) < 0 ||
	    ix_rd_str_list(im, o, "", "consent_languages", LIST_DISTINCT, 12, -1, 0, &langs) < 0 ||
	    check_languages(im, &langs) < 0 ||
	    ix_rd_str_list(im, o, "", "template_fields", LIST_DISTINCT, 100, -1, 0, &fields) < 0 ||
	    ix_rd_str_list(im, o, "", "portrait_indicators", LIST_DISTINCT, 100, -1, 0,
			   &indicators) < 0 ||
	    ix_rd_date(im, o, "", "active_from", false, &from) < 0 ||
	    ix_rd_date(im, o, "", "active_to", false, &to) < 0 ||
	    check_order(im, from, to, "active_to", "active_from") < 0)
		return -1;
	/* The model's rules too (template fields from the documented list,
	 * indicators of the territory's portrait), so the form, the API and
	 * the import agree; all but the territory scope, which the contract
	 * does not have (corridor_validate_import). */
	struct corridor c = {.ext_id = ext,
			     .territory_id = terr.id,
			     .name = name,
			     .need = need,
			     .population = population,
			     .entry_organisation_id = entry.id,
			     .target_days = target,
			     .active_from = from,
			     .active_to = to,
			     .languages = {langs.v, langs.n},
			     .fields = {fields.v, fields.n},
			     .portrait = {indicators.v, indicators.n}};
	struct validation v = {0};
	if (self_id(im, K_CORRIDOR, ext, &c.id) < 0)
		return -1;
	if (corridor_validate_import(im->db, &c, &v) < 0)
		return v.n ? fail_validation(im, &v) : ix_fail_db(im, "import.corridor_validate");
	struct db_stmt *s = stmt(im, STMT_IX_CORRIDOR_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, terr.id);
	db_bind_text(s, 3, name);
	ix_bind_text(s, 4, need);
	ix_bind_text(s, 5, population);
	db_bind_int64(s, 6, entry.id);
	db_bind_double(s, 7, target);
	ix_bind_text(s, 8, from);
	ix_bind_text(s, 9, to);
	search_bind_text(s, 10, name, NULL, NULL);
	if (ix_step_upsert(im, s, "import.corridor", id) < 0 ||
	    ix_exec_clear(im, STMT_IX_CORRIDOR_LANGUAGE_CLEAR, *id) < 0 ||
	    ix_exec_clear(im, STMT_IX_CORRIDOR_FIELD_CLEAR, *id) < 0 ||
	    ix_exec_clear(im, STMT_IX_CORRIDOR_PORTRAIT_CLEAR, *id) < 0)
		return -1;
	for (size_t i = 0; i < langs.n; i++)
		if (ix_exec_add_text(im, STMT_IX_CORRIDOR_LANGUAGE_ADD, *id, langs.v[i]) < 0)
			return -1;
	for (size_t i = 0; i < fields.n; i++)
		if (ix_exec_add_text(im, STMT_IX_CORRIDOR_FIELD_ADD, *id, fields.v[i]) < 0)
			return -1;
	for (size_t i = 0; i < indicators.n; i++)
		if (ix_exec_add_text(im, STMT_IX_CORRIDOR_PORTRAIT_ADD, *id, indicators.v[i]) < 0)
			return -1;
	if (trajectory_refresh_corridor(im->db, *id) < 0)
		return ix_fail_db(im, "import.trajectory");
	ix_remember(im, K_CORRIDOR, ext, *id, entry.id);
	return 0;
}

/* referral: timestamps local when they carry no offset; previous names
 * an earlier referral and may not make a cycle. */
static int imp_referral(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	static const char *const outcomes[] = {"prise_en_charge", "refusee", "reorientee", "perdue",
					       NULL};
	struct ix_ref fam, from, to, corridor, sender, prev;
	const char *need, *outcome, *reason;
	const struct jval *fields;
	struct {
		int64_t v;
		bool present;
	} ts[5] = {{0, false}};
	static const char *const ts_names[5] = {"first_contact_at", "sent_at", "received_at",
						"taken_at", "closed_at"};
	bool loop = false;
	if (ix_rd_ref(im, o, "", "family", true, K_FAMILY, &fam) < 0 ||
	    ix_rd_ref(im, o, "", "from_organisation", true, K_ORGANISATION, &from) < 0 ||
	    ix_rd_ref(im, o, "", "to_organisation", true, K_ORGANISATION, &to) < 0 ||
	    ix_rd_ref(im, o, "", "corridor", false, K_CORRIDOR, &corridor) < 0 ||
	    ix_rd_code(im, o, "", "need", false, REF_NEED, from.id, &need) < 0 ||
	    ix_rd_ref(im, o, "", "sender", false, K_PERSON, &sender) < 0)
		return -1;
	for (int i = 0; i < 5; i++)
		if (ix_rd_ts(im, o, "", ts_names[i], i == 1, &ts[i].v, &ts[i].present) < 0)
			return -1;
	if (ix_rd_enum(im, o, "", "outcome", false, outcomes, &outcome) < 0 ||
	    ix_rd_str(im, o, "", "reason", false, TEXT_FREE, NOTE_MAX_CHARS, &reason) < 0 ||
	    ix_rd_ref(im, o, "", "previous", false, K_REFERRAL, &prev) < 0 ||
	    check_chain(im, STMT_IX_REFERRAL_PREVIOUS, *id, prev.id, "previous") < 0 ||
	    ix_rd_bool(im, o, "", "loop_detected", &loop) < 0 ||
	    ix_rd_obj(im, o, "", "fields", &fields) < 0)
		return -1;
	const char *fields_json = NULL;
	struct buf fb = BUF_INIT(64 * 1024);
	if (fields) {
		struct jsonw w;
		jsonw_init(&w, &fb);
		ix_json_write(&w, fields);
		if (jsonw_finish(&w) < 0) {
			buf_free(&fb);
			return ix_fail(im, "fields", "is larger than 64 KiB");
		}
		fields_json = arena_strndup(im->line, fb.data, fb.len);
		buf_free(&fb);
	}
	struct db_stmt *s = stmt(im, STMT_IX_REFERRAL_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, fam.id);
	db_bind_int64(s, 3, from.id);
	db_bind_int64(s, 4, to.id);
	ix_bind_id(s, 5, corridor.id);
	ix_bind_text(s, 6, need);
	ix_bind_id(s, 7, sender.id);
	for (int i = 0; i < 5; i++)
		ix_bind_ts(s, 8 + i, ts[i].present, ts[i].v);
	ix_bind_text(s, 13, outcome);
	ix_bind_text(s, 14, reason);
	ix_bind_id(s, 15, prev.id);
	db_bind_int(s, 16, loop);
	ix_bind_text(s, 17, fields_json);
	db_bind_int64(s, 18, cellkey_draw()); /* kept when the referral exists */
	if (ix_step_upsert(im, s, "import.referral", id) < 0)
		return -1;
	if (trajectory_refresh(im->db, *id) < 0)
		return ix_fail_db(im, "import.trajectory");
	ix_remember(im, K_REFERRAL, ext, *id, from.id);
	return 0;
}

/* supervision session. */
static int imp_supervision(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	static const char *const types[] = {"individuelle", "groupe", "codeveloppement", NULL};
	struct ix_ref person, supervisor;
	const char *date, *type, *note;
	double hours;
	if (ix_rd_ref(im, o, "", "person", true, K_PERSON, &person) < 0 ||
	    ix_rd_ref(im, o, "", "supervisor", false, K_PERSON, &supervisor) < 0 ||
	    ix_rd_date(im, o, "", "date", true, &date) < 0 ||
	    ix_rd_real(im, o, "", "hours", true, 0.01, 24, &hours, NULL) < 0 ||
	    ix_rd_enum(im, o, "", "type", false, types, &type) < 0 ||
	    ix_rd_str(im, o, "", "note", false, TEXT_FREE, NOTE_MAX_CHARS, &note) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_SUPERVISION_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, person.id);
	ix_bind_id(s, 3, supervisor.id);
	db_bind_text(s, 4, date);
	db_bind_double(s, 5, hours);
	ix_bind_text(s, 6, type);
	ix_bind_text(s, 7, note);
	return ix_step_upsert(im, s, "import.supervision", id);
}

/* support_request. */
static int imp_support(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	static const char *const to[] = {"equipe", "gestionnaire", NULL};
	struct ix_ref person;
	const char *date, *addressed, *type, *urgency, *text, *resolution;
	int64_t ack = 0, closed = 0;
	bool has_ack, has_closed;
	if (ix_rd_ref(im, o, "", "person", true, K_PERSON, &person) < 0 ||
	    ix_rd_date(im, o, "", "date", true, &date) < 0 ||
	    ix_rd_enum(im, o, "", "addressed_to", false, to, &addressed) < 0 ||
	    ix_rd_str(im, o, "", "type", false, TEXT_LINE, 100, &type) < 0 ||
	    ix_rd_str(im, o, "", "urgency", false, TEXT_LINE, 50, &urgency) < 0 ||
	    ix_rd_str(im, o, "", "text", false, TEXT_FREE, NOTE_MAX_CHARS, &text) < 0 ||
	    ix_rd_ts(im, o, "", "acknowledged_at", false, &ack, &has_ack) < 0 ||
	    ix_rd_ts(im, o, "", "closed_at", false, &closed, &has_closed) < 0 ||
	    ix_rd_str(im, o, "", "resolution", false, TEXT_FREE, NOTE_MAX_CHARS, &resolution) < 0)
		return -1;
	struct db_stmt *s = stmt(im, STMT_IX_SUPPORT_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, person.id);
	db_bind_text(s, 3, date);
	ix_bind_text(s, 4, addressed);
	ix_bind_text(s, 5, type);
	ix_bind_text(s, 6, urgency);
	ix_bind_text(s, 7, text);
	ix_bind_ts(s, 8, has_ack, ack);
	ix_bind_ts(s, 9, has_closed, closed);
	ix_bind_text(s, 10, resolution);
	return ix_step_upsert(im, s, "import.support_request", id);
}

/* project and its organisations (replaced); survey tokens stay unique. */
static int imp_project(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct ix_ref terr;
	const char *name, *start, *end, *goals, *token;
	int64_t families = 0;
	bool has_families;
	struct idlist orgs;
	if (ix_rd_ref(im, o, "", "territory", true, K_TERRITORY, &terr) < 0 ||
	    ix_rd_str(im, o, "", "name", true, TEXT_LINE, NAME_MAX_CHARS, &name) < 0 ||
	    ix_rd_date(im, o, "", "start", true, &start) < 0 ||
	    ix_rd_date(im, o, "", "end", false, &end) < 0 ||
	    check_order(im, start, end, "end", "start") < 0 ||
	    ix_rd_ref_list(im, o, "", "organisations", K_ORGANISATION, &orgs, NULL) < 0 ||
	    ix_rd_str(im, o, "", "goals", false, TEXT_FREE, NOTE_MAX_CHARS, &goals) < 0 ||
	    ix_rd_int(im, o, "", "families_count", false, 0, 1000000, &families, &has_families) <
		    0 ||
	    ix_rd_str(im, o, "", "survey_token", false, TEXT_LINE, 128, &token) < 0)
		return -1;
	struct db_stmt *s;
	if (token) {
		if (!(s = stmt(im, STMT_IX_PROJECT_TOKEN_TAKEN)))
			return -1;
		db_bind_text(s, 1, token);
		db_bind_text(s, 2, ext);
		int rc = db_step(s);
		bool taken = rc == DB_ROW && db_col_int(s, 0) > 0;
		db_reset(s);
		if (rc != DB_ROW)
			return ix_fail_db(im, "import.project");
		if (taken)
			return ix_fail(im, "survey_token",
				       "is already the token of another project");
	}
	if (!(s = stmt(im, STMT_IX_PROJECT_UPSERT)))
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, terr.id);
	db_bind_text(s, 3, name);
	db_bind_text(s, 4, start);
	ix_bind_text(s, 5, end);
	ix_bind_text(s, 6, goals);
	ix_bind_ts(s, 7, has_families, families);
	ix_bind_text(s, 8, token);
	if (ix_step_upsert(im, s, "import.project", id) < 0 ||
	    ix_exec_clear(im, STMT_IX_PROJECT_ORG_CLEAR, *id) < 0)
		return -1;
	for (size_t i = 0; i < orgs.n; i++)
		if (ix_exec_add_id(im, STMT_IX_PROJECT_ORG_ADD, *id, orgs.v[i]) < 0)
			return -1;
	ix_remember(im, K_PROJECT, ext, *id, 0);
	return 0;
}

/* survey answer (never a family identifier), with its item scores
 * "items" {code: 1..5} (codes of model/survey.h; the overall item, when
 * given, must equal score). The items are replaced. */
static int imp_survey(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	static const char *const types[] = {"pap", "famille", NULL};
	struct ix_ref person, project, terr;
	const char *type, *date, *comment;
	const struct jval *items = NULL;
	int64_t score;
	if (ix_rd_enum(im, o, "", "type", true, types, &type) < 0 ||
	    ix_rd_ref(im, o, "", "person", false, K_PERSON, &person) < 0 ||
	    ix_rd_ref(im, o, "", "project", false, K_PROJECT, &project) < 0 ||
	    ix_rd_ref(im, o, "", "territory", true, K_TERRITORY, &terr) < 0 ||
	    ix_rd_date(im, o, "", "date", true, &date) < 0 ||
	    ix_rd_int(im, o, "", "score", true, 1, 5, &score, NULL) < 0 ||
	    ix_rd_str(im, o, "", "comment", false, TEXT_FREE, NOTE_MAX_CHARS, &comment) < 0 ||
	    ix_rd_obj(im, o, "", "items", &items) < 0)
		return -1;
	size_t nitems = 0;
	const struct survey_item_def *defs =
		survey_items(strcmp(type, "pap") == 0 ? SURVEY_PAP : SURVEY_FAMILLE, &nitems);
	int64_t scores[SURVEY_ITEMS_MAX] = {0};
	for (size_t i = 0; items && i < nitems; i++) {
		bool present = false;
		if (ix_rd_int(im, items, "items.", defs[i].code, false, 1, 5, &scores[i],
			      &present) < 0)
			return -1;
		if (!present)
			scores[i] = 0;
		else if (i == 0 && scores[i] != score)
			return ix_fail(im, "items.global", "differs from score");
	}
	struct db_stmt *s = stmt(im, STMT_IX_SURVEY_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_text(s, 2, type);
	ix_bind_id(s, 3, person.id);
	ix_bind_id(s, 4, project.id);
	db_bind_int64(s, 5, terr.id);
	db_bind_text(s, 6, date);
	db_bind_int64(s, 7, score);
	ix_bind_text(s, 8, comment);
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
		int rc = db_step(s);
		db_reset(s);
		if (rc != DB_DONE)
			return ix_fail_db(im, "import.survey_item");
	}
	return 0;
}

/* service_gap: need and population from the author's organisation's lists. */
static int imp_service_gap(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	struct ix_ref terr, author, corridor, project;
	const char *date, *need, *population, *description, *frequency;
	if (ix_rd_ref(im, o, "", "territory", true, K_TERRITORY, &terr) < 0 ||
	    ix_rd_date(im, o, "", "date", true, &date) < 0 ||
	    ix_rd_ref(im, o, "", "author", false, K_PERSON, &author) < 0 ||
	    ix_rd_code(im, o, "", "need", true, REF_NEED, author.org, &need) < 0 ||
	    ix_rd_code(im, o, "", "population", false, REF_POPULATION, author.org, &population) <
		    0 ||
	    ix_rd_str(im, o, "", "description", false, TEXT_FREE, NOTE_MAX_CHARS, &description) <
		    0 ||
	    ix_rd_str(im, o, "", "frequency", false, TEXT_LINE, 50, &frequency) < 0 ||
	    ix_rd_ref(im, o, "", "corridor", false, K_CORRIDOR, &corridor) < 0 ||
	    ix_rd_ref(im, o, "", "project", false, K_PROJECT, &project) < 0)
		return -1;
	if (frequency && !service_gap_frequency_valid(frequency))
		return ix_fail(im, "frequency",
			       "must be unique, occasionnel, mensuel or hebdomadaire");
	struct db_stmt *s = stmt(im, STMT_IX_GAP_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, terr.id);
	db_bind_text(s, 3, date);
	db_bind_text(s, 4, need);
	ix_bind_text(s, 5, population);
	ix_bind_id(s, 6, author.id);
	ix_bind_text(s, 7, description);
	ix_bind_text(s, 8, frequency);
	ix_bind_id(s, 9, corridor.id);
	ix_bind_id(s, 10, project.id);
	return ix_step_upsert(im, s, "import.service_gap", id);
}

/* story and its tags (replaced), codes from the author's organisation's lists. */
static int imp_story(struct imp *im, const char *ext, const struct jval *o, int64_t *id)
{
	static const struct {
		const char *field, *tag;
		enum ref_list list;
	} tags[] = {
		{"strategies", "strategy", REF_STRATEGY},
		{"outcomes", "outcome", REF_OUTCOME},
		{"needs", "need", REF_NEED},
		{"components", "component", REF_COMPONENT},
	};
	struct ix_ref author, activity, family, project, terr, selected_by;
	const char *date, *text, *reason;
	bool quote = false, selected = false, has_sel_at;
	int64_t selected_at = 0;
	struct strlist lists[ARRAY_LEN(tags)];
	if (ix_rd_ref(im, o, "", "author", true, K_PERSON, &author) < 0 ||
	    ix_rd_date(im, o, "", "date", true, &date) < 0 ||
	    ix_rd_str(im, o, "", "text", true, TEXT_FREE, STORY_MAX_CHARS, &text) < 0 ||
	    ix_rd_ref(im, o, "", "activity", false, K_ACTIVITY, &activity) < 0 ||
	    ix_rd_ref(im, o, "", "family", false, K_FAMILY, &family) < 0 ||
	    ix_rd_ref(im, o, "", "project", false, K_PROJECT, &project) < 0 ||
	    ix_rd_ref(im, o, "", "territory", false, K_TERRITORY, &terr) < 0 ||
	    ix_rd_bool(im, o, "", "consent_quote", &quote) < 0 ||
	    ix_rd_bool(im, o, "", "selected", &selected) < 0 ||
	    ix_rd_str(im, o, "", "selection_reason", false, TEXT_FREE, NOTE_MAX_CHARS, &reason) <
		    0 ||
	    ix_rd_ref(im, o, "", "selected_by", false, K_PERSON, &selected_by) < 0 ||
	    ix_rd_ts(im, o, "", "selected_at", false, &selected_at, &has_sel_at) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(tags); i++)
		if (ix_rd_str_list(im, o, "", tags[i].field, LIST_DISTINCT, CODE_MAX_CHARS,
				   (int)tags[i].list, author.org, &lists[i]) < 0)
			return -1;
	/* Consent gates quotes (model/story.h): a story of a family is
	 * quotable only with the family's consent to citation. */
	if (quote && family.id) {
		struct db_stmt *f = stmt(im, STMT_STORY_FAMILY);
		if (!f)
			return -1;
		db_bind_int64(f, 1, family.id);
		bool cites = db_step(f) == DB_ROW && db_col_int(f, 1) != 0;
		db_reset(f);
		if (!cites)
			return ix_fail(im, "consent_quote",
				       "the family has not consented to citation");
	}
	struct db_stmt *s = stmt(im, STMT_IX_STORY_UPSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, ext);
	db_bind_int64(s, 2, author.id);
	db_bind_text(s, 3, date);
	db_bind_text(s, 4, text);
	ix_bind_id(s, 5, activity.id);
	ix_bind_id(s, 6, family.id);
	ix_bind_id(s, 7, project.id);
	ix_bind_id(s, 8, terr.id);
	db_bind_int(s, 9, quote);
	if (ix_step_upsert(im, s, "import.story", id) < 0 ||
	    ix_exec_clear(im, STMT_IX_STORY_TAG_CLEAR, *id) < 0)
		return -1;
	if (story_selection_put(im->db, *id, STORY_LEVEL_ORGANISATION, selected, reason,
				selected_by.id, has_sel_at ? selected_at : ptime_now()) < 0)
		return ix_fail_db(im, "import.story_selection");
	for (size_t i = 0; i < ARRAY_LEN(tags); i++)
		for (size_t k = 0; k < lists[i].n; k++) {
			if (!(s = stmt(im, STMT_IX_STORY_TAG_ADD)))
				return -1;
			db_bind_int64(s, 1, *id);
			db_bind_text(s, 2, tags[i].tag);
			db_bind_text(s, 3, lists[i].v[k]);
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
