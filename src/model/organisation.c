#include "model/organisation.h"

#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "model/memo.h"
#include "model/row.h"
#include "model/search.h"
#include "model/trajectory.h"

const char *sector_label(const struct sector *s, const char *lang)
{
	return lang && strcmp(lang, "en") == 0 && s->name_en && *s->name_en ? s->name_en : s->name;
}

const char *organisation_sector_label(const struct organisation *o, const char *lang)
{
	struct sector s = {.name = o->sector_name, .name_en = o->sector_name_en};
	return sector_label(&s, lang);
}

bool organisation_may_edit(const struct actor *a)
{
	return a && a->role == ROLE_ADMIN;
}

bool organisation_may_read(const struct actor *a, int64_t id)
{
	return a && (a->role == ROLE_ADMIN ||
		     (a->role == ROLE_GESTIONNAIRE && a->organisation_id == id && id > 0));
}

bool ext_id_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > ORG_EXT_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* True when s is 1..max characters of UTF-8. */
static bool text_ok(const char *s, size_t max)
{
	return s && *s && utf8_valid_str(s) && utf8_length(s, strlen(s)) <= max;
}

int sector_list(struct db *db, struct arena *a, struct sector **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_SECTOR_LIST);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct sector *x;
	while ((x = row_next(db, s, a, &rows, sizeof(*x), "sector.list"))) {
		x->id = db_col_int64(s, 0);
		x->ext_id = db_col_text(a, s, 1);
		x->name = db_col_text(a, s, 2);
		x->name_en = db_col_text(a, s, 3);
		x->organisations = db_col_int64(s, 4);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

/* Runs a write that may hit a unique ext_id: 0, 1 (taken, in v), -1. */
static int write_unique(struct db *db, struct db_stmt *s, struct validation *v, const char *event)
{
	int rc = db_step(s);
	db_reset(s);
	if (rc == DB_DONE)
		return 0;
	if (db_error(db) == DB_ERR_UNIQUE) {
		validation_add(v, "ext_id", N_("Cet identifiant est déjà pris."));
		return 1;
	}
	db_log_error(db, event);
	return -1;
}

int sector_save(struct db *db, struct sector *x, struct validation *v)
{
	if (!x->id && !ext_id_valid(x->ext_id))
		validation_add(v, "ext_id",
			       N_("Entrez un identifiant de 1 à 40 lettres, chiffres, "
				  "tirets ou soulignés."));
	if (!text_ok(x->name, ORG_NAME_MAX))
		validation_add(v, "name",
			       N_("Entrez le nom en français (200 caractères au plus)."));
	if (!text_ok(x->name_en, ORG_NAME_MAX))
		validation_add(v, "name_en",
			       N_("Entrez le nom en anglais (200 caractères au plus)."));
	if (v->n)
		return 1;
	struct db_stmt *s = db_stmt(db, x->id ? STMT_SECTOR_UPDATE : STMT_SECTOR_INSERT);
	if (!s)
		return -1;
	if (x->id)
		db_bind_int64(s, 1, x->id);
	else
		db_bind_text(s, 1, x->ext_id);
	db_bind_text(s, 2, x->name);
	db_bind_text(s, 3, x->name_en);
	search_bind_text(s, 4, x->name, x->name_en, NULL);
	int r = write_unique(db, s, v, "sector.save");
	if (r == 0 && !x->id)
		x->id = db_last_insert_id(db);
	return r;
}

/* Reads a row of the organisation statements (same first columns). */
static void read_org(struct arena *a, struct db_stmt *s, struct organisation *o)
{
	memset(o, 0, sizeof(*o));
	o->id = db_col_int64(s, 0);
	o->ext_id = db_col_text(a, s, 1);
	o->name = db_col_text(a, s, 2);
	o->sector_id = db_col_int64(s, 3);
	o->sector_name = db_col_text(a, s, 4);
	o->sector_name_en = db_col_text(a, s, 5);
	o->people = db_col_int64(s, 6);
}

int organisation_list(struct db *db, struct arena *a, struct organisation **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_ORG_LIST);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct organisation *it;
	while ((it = row_next(db, s, a, &rows, sizeof(*it), "organisation.list")))
		read_org(a, s, it);
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

int organisation_get(struct db *db, struct arena *a, int64_t id, struct organisation *out)
{
	struct db_stmt *s = db_stmt(db, STMT_ORG_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "organisation.get");
	if (r != 0)
		return r;
	read_org(a, s, out);
	db_reset(s);
	if (!(s = db_stmt(db, STMT_ORG_TERRITORIES)))
		return -1;
	db_bind_int64(s, 1, id);
	struct row_array rows = {0};
	int64_t *t;
	while ((t = row_next(db, s, a, &rows, sizeof(*t), "organisation.get")))
		*t = db_col_int64(s, 0);
	out->territories = rows.v;
	out->nterritories = rows.n;
	return rows.rc;
}

/* Checks o's fields into v. Returns 0, or -1 on a database error. */
static int org_check(struct db *db, const struct organisation *o, struct validation *v)
{
	if (!o->id && !ext_id_valid(o->ext_id))
		validation_add(v, "ext_id",
			       N_("Entrez un identifiant de 1 à 40 lettres, chiffres, "
				  "tirets ou soulignés."));
	if (!text_ok(o->name, ORG_NAME_MAX))
		validation_add(v, "name", N_("Entrez le nom (200 caractères au plus)."));
	struct db_stmt *s = db_stmt(db, STMT_SECTOR_EXISTS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, o->sector_id);
	int r = row_fetch(db, s, "organisation.check");
	if (r < 0)
		return -1;
	if (r == 0)
		db_reset(s);
	else
		validation_add(v, "sector", N_("Choisissez le secteur."));
	for (size_t i = 0; i < o->nterritories; i++) {
		if (!(s = db_stmt(db, STMT_TERRITORY_EXISTS)))
			return -1;
		db_bind_int64(s, 1, o->territories[i]);
		if ((r = row_fetch(db, s, "organisation.check")) < 0)
			return -1;
		if (r == 0) {
			db_reset(s);
		} else {
			validation_add(v, "territories", N_("Un des territoires n'existe pas."));
			break;
		}
	}
	return 0;
}

int organisation_save(struct db *db, struct organisation *o, struct validation *v)
{
	if (org_check(db, o, v) < 0)
		return -1;
	if (v->n)
		return 1;
	struct db_stmt *s = db_stmt(db, o->id ? STMT_ORG_UPDATE : STMT_ORG_INSERT);
	if (!s)
		return -1;
	if (o->id)
		db_bind_int64(s, 1, o->id);
	else
		db_bind_text(s, 1, o->ext_id);
	db_bind_text(s, 2, o->name);
	db_bind_int64(s, 3, o->sector_id);
	search_bind_text(s, 4, o->name, NULL, NULL);
	int r = write_unique(db, s, v, "organisation.save");
	if (r != 0)
		return r;
	if (!o->id)
		o->id = db_last_insert_id(db);
	if (row_exec_id(db, STMT_ORG_SERVES_CLEAR, o->id, NULL, "organisation.save") < 0)
		return -1;
	for (size_t i = 0; i < o->nterritories; i++) {
		if (!(s = db_stmt(db, STMT_ORG_SERVES_ADD)))
			return -1;
		db_bind_int64(s, 1, o->id);
		db_bind_int64(s, 2, o->territories[i]);
		if (row_exec(db, s, "organisation.save") < 0)
			return -1;
	}
	/* The territories it serves place its trajectories (model/trajectory.h). */
	return trajectory_refresh_organisation(db, o->id);
}

/* The deepest chain of territories organisation_serves climbs: far more
 * than the province's levels, and a bound should a cycle ever be stored. */
#define SERVES_MAX_DEPTH 64

int organisation_serves(struct db *db, int64_t org, int64_t territory)
{
	bool served = false;
	if (memo_serves_find(db, org, territory, &served))
		return served;
	/* One indexed step per level, from the territory up to its root: no
	 * recursive query, whose temporary tables cost more than the walk. */
	int64_t id = territory;
	for (int depth = 0; !served && id > 0 && depth < SERVES_MAX_DEPTH; depth++) {
		struct db_stmt *s = db_stmt(db, STMT_DIR_ORG_SERVES);
		if (!s)
			return -1;
		db_bind_int64(s, 1, org);
		db_bind_int64(s, 2, id);
		int rc = db_step(s);
		served = rc == DB_ROW && db_col_int(s, 1) != 0;
		id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
		db_reset(s);
		if (rc != DB_ROW && rc != DB_DONE) {
			db_log_error(db, "organisation.serves");
			return -1;
		}
	}
	memo_serves_keep(db, org, territory, served);
	return served;
}

int organisation_check_serves(struct db *db, int64_t org, int64_t territory, const char *field,
			      struct validation *v)
{
	if (!org || !territory)
		return 0;
	int r = organisation_serves(db, org, territory);
	if (r < 0)
		return -1;
	if (r == 0)
		validation_add(v, field,
			       N_("Cette organisation ne dessert pas ce territoire : un "
				  "administrateur doit d'abord l'ajouter à ses territoires."));
	return 0;
}
