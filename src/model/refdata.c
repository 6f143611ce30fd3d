#include "model/refdata.h"

#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/memo.h"
#include "model/row.h"
#include "model/search.h"

static const char *const list_names[REF__COUNT] = {
	"activity_type", "component", "strategy", "place", "need", "outcome", "population",
};

const char *ref_list_name(enum ref_list l)
{
	BUG_ON((unsigned)l >= REF__COUNT);
	return list_names[l];
}

int ref_list_parse(const char *name)
{
	for (int i = 0; name && i < REF__COUNT; i++)
		if (strcmp(name, list_names[i]) == 0)
			return i;
	return -1;
}

/* True when code is an entry of l, active or not, shipped or of
 * organisation_id. */
static bool refdata_known(struct db *db, enum ref_list l, const char *code, int64_t organisation_id)
{
	struct db_stmt *s = db_stmt(db, STMT_REF_KNOWN);
	if (!s)
		return false;
	db_bind_text(s, 1, ref_list_name(l));
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, organisation_id);
	bool known = row_fetch(db, s, "refdata.known") == 0;
	if (known)
		db_reset(s);
	return known;
}

bool refdata_valid(struct db *db, enum ref_list l, const char *code, int64_t organisation_id)
{
	if (!code || !*code)
		return false;
	bool ok;
	if (memo_ref_find(db, l, code, organisation_id, &ok))
		return ok;
	struct db_stmt *s = db_stmt(db, STMT_REF_EXISTS);
	if (!s)
		return false;
	db_bind_text(s, 1, ref_list_name(l));
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, organisation_id);
	int rc = db_step(s);
	ok = rc == DB_ROW && db_col_int(s, 0) > 0;
	if (rc != DB_ROW)
		db_log_error(db, "refdata.valid");
	db_reset(s);
	if (rc == DB_ROW)
		memo_ref_keep(db, l, code, organisation_id, ok);
	return ok;
}

int refdata_list(struct db *db, struct arena *a, enum ref_list l, int64_t organisation_id,
		 struct ref_item **out, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_REF_LIST);
	if (!s)
		return -1;
	db_bind_text(s, 1, ref_list_name(l));
	db_bind_int64(s, 2, organisation_id);
	struct row_array rows = {0};
	struct ref_item *it;
	while ((it = row_next(db, s, a, &rows, sizeof(*it), "refdata.list"))) {
		it->code = arena_strdup(a, db_col_cstr(s, 0));
		it->label_fr = arena_strdup(a, db_col_cstr(s, 1));
		it->label_en = arena_strdup(a, db_col_cstr(s, 2));
		it->custom = db_col_int(s, 3) != 0;
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

const char *refdata_label(struct db *db, struct arena *a, enum ref_list l, const char *code,
			  const char *lang)
{
	struct db_stmt *s = db_stmt(db, STMT_REF_LABEL);
	if (!s || !code)
		return code;
	db_bind_text(s, 1, ref_list_name(l));
	db_bind_text(s, 2, code);
	const char *label = code;
	if (db_step(s) == DB_ROW) {
		const char *t = db_col_cstr(s, lang && strcmp(lang, "en") == 0 ? 1 : 0);
		if (t && *t)
			label = arena_strdup(a, t);
	}
	db_reset(s);
	return label;
}

const char *refdata_default_component(const char *type)
{
	static const struct {
		const char *type, *component;
	} map[] = {
		{"contact_informel", "demarchage"},
		{"demarchage", "demarchage"},
		{"activite_collective", "demarchage"},
		{"accompagnement", "accompagnement"},
		{"intervention_individuelle", "accompagnement"},
		{"intervention_groupe", "accompagnement"},
		{"intervention_crise", "accompagnement"},
		{"concertation", "collaboration"},
		{"liaison", "collaboration"},
		{"presentation_mandat", "collaboration"},
		{"codeveloppement", "collaboration"},
	};
	for (size_t i = 0; type && i < ARRAY_LEN(map); i++)
		if (strcmp(type, map[i].type) == 0)
			return map[i].component;
	return NULL;
}

const char *refdata_label_any(struct db *db, struct arena *a, const char *code, const char *lang)
{
	struct db_stmt *s = db_stmt(db, STMT_REF_LABEL_ANY);
	if (!s || !code)
		return code;
	db_bind_text(s, 1, code);
	const char *label = code;
	if (row_fetch(db, s, "refdata.label") == 0) {
		const char *t = db_col_cstr(s, lang && strcmp(lang, "en") == 0 ? 1 : 0);
		if (t && *t)
			label = arena_strdup(a, t);
		db_reset(s);
	}
	return label;
}

int refdata_entries(struct db *db, struct arena *a, enum ref_list l, int64_t organisation_id,
		    struct ref_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_REF_ENTRIES);
	if (!s)
		return -1;
	db_bind_text(s, 1, ref_list_name(l));
	db_bind_int64(s, 2, organisation_id);
	struct row_array rows = {0};
	struct ref_entry *e;
	while ((e = row_next(db, s, a, &rows, sizeof(*e), "refdata.entries"))) {
		e->id = db_col_int64(s, 0);
		e->code = db_col_text(a, s, 1);
		e->label_fr = db_col_text(a, s, 2);
		e->label_en = db_col_text(a, s, 3);
		e->organisation_id = db_col_int64(s, 4);
		e->active = db_col_int(s, 5) != 0;
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

static bool code_ok(const char *c)
{
	size_t n = c ? strlen(c) : 0;
	if (n == 0 || n > REF_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '_'))
			return false;
	return true;
}

static bool label_ok(const char *t)
{
	return t && *t && utf8_valid_str(t) && utf8_length(t, strlen(t)) <= REF_LABEL_MAX;
}

int refdata_add(struct db *db, enum ref_list l, int64_t organisation_id, const char *code,
		const char *label_fr, const char *label_en, struct validation *v)
{
	BUG_ON(organisation_id <= 0);
	if (!code_ok(code))
		validation_add(v, "code",
			       N_("Entrez un code de 1 à 40 lettres minuscules sans "
				  "accents, chiffres ou soulignés."));
	if (!label_ok(label_fr))
		validation_add(v, "label_fr",
			       N_("Entrez le libellé en français (100 caractères "
				  "au plus)."));
	if (!label_ok(label_en))
		validation_add(v, "label_en",
			       N_("Entrez le libellé en anglais (100 caractères "
				  "au plus)."));
	if (!v->n && refdata_known(db, l, code, organisation_id))
		validation_add(v, "code", N_("Ce code existe déjà dans cette liste."));
	if (v->n)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_REF_ADD);
	if (!s)
		return -1;
	db_bind_text(s, 1, ref_list_name(l));
	db_bind_text(s, 2, code);
	db_bind_text(s, 3, label_fr);
	db_bind_text(s, 4, label_en);
	db_bind_int64(s, 5, organisation_id);
	search_bind_text(s, 6, label_fr, label_en, NULL);
	return row_exec(db, s, "refdata.add");
}

int refdata_set_active(struct db *db, int64_t id, int64_t organisation_id, bool active)
{
	struct db_stmt *s = db_stmt(db, STMT_REF_SET_ACTIVE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, organisation_id);
	db_bind_int(s, 3, active);
	if (row_exec(db, s, "refdata.set_active") < 0)
		return -1;
	return db_changes(db) ? 0 : 1;
}
