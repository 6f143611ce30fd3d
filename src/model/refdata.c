#include "model/refdata.h"

#include <string.h>

#include "core/util.h"

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

bool refdata_valid(struct db *db, enum ref_list l, const char *code, int64_t organisation_id)
{
	if (!code || !*code)
		return false;
	struct db_stmt *s = db_stmt(db, STMT_REF_EXISTS);
	if (!s)
		return false;
	db_bind_text(s, 1, ref_list_name(l));
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, organisation_id);
	int rc = db_step(s);
	bool ok = rc == DB_ROW && db_col_int(s, 0) > 0;
	if (rc != DB_ROW)
		db_log_error(db, "refdata.valid");
	db_reset(s);
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
	size_t cap = 0, count = 0;
	struct ref_item *v = NULL;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		v = arena_grow(a, v, count, &cap, sizeof(*v));
		v[count].code = arena_strdup(a, db_col_cstr(s, 0));
		v[count].label_fr = arena_strdup(a, db_col_cstr(s, 1));
		v[count].label_en = arena_strdup(a, db_col_cstr(s, 2));
		v[count].custom = db_col_int(s, 3) != 0;
		count++;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "refdata.list");
		return -1;
	}
	*out = v;
	*n = count;
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
