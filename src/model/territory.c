#include "model/territory.h"

#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "model/actor.h"
#include "model/organisation.h"
#include "model/row.h"
#include "model/trajectory.h"

/* Reads every territory, by name. */
static int read_all(struct db *db, struct arena *a, struct territory **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_TERRITORY_ALL);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct territory *t;
	while ((t = row_next(db, s, a, &rows, sizeof(*t), "territory.tree"))) {
		memset(t, 0, sizeof(*t));
		t->id = db_col_int64(s, 0);
		t->ext_id = db_col_text(a, s, 1);
		t->name = db_col_text(a, s, 2);
		t->type = db_col_text(a, s, 3);
		t->parent_id = db_col_int64(s, 4);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

/* Appends the subtree of v[i] (depth d) to out in tree order; returns its
 * height. Depth is bounded by the rows' count, so a cycle stored by hand
 * cannot loop for ever. */
static int walk(struct territory *v, size_t n, size_t i, int d, struct territory *out, size_t *k,
		bool *seen)
{
	seen[i] = true;
	size_t at = (*k)++;
	out[at] = v[i];
	out[at].depth = d;
	int h = 0;
	for (size_t j = 0; j < n; j++) {
		if (seen[j] || v[j].parent_id != v[i].id)
			continue;
		out[at].children++;
		int ch = walk(v, n, j, d + 1, out, k, seen) + 1;
		if (ch > h)
			h = ch;
	}
	out[at].height = h;
	return h;
}

int territory_tree(struct db *db, struct arena *a, struct territory **out, size_t *n)
{
	struct territory *v;
	size_t count;
	if (read_all(db, a, &v, &count) < 0)
		return -1;
	struct territory *t = arena_alloc(a, (count ? count : 1) * sizeof(*t));
	bool *seen = arena_calloc(a, count ? count : 1, sizeof(*seen));
	size_t k = 0;
	for (size_t i = 0; i < count; i++)
		if (v[i].parent_id == 0)
			walk(v, count, i, 0, t, &k, seen);
	for (size_t i = 0; i < count; i++) /* a cycle stored by hand: shown from anywhere */
		if (!seen[i])
			walk(v, count, i, 0, t, &k, seen);
	*out = t;
	*n = k;
	return 0;
}

const char *territory_level(const struct territory *t)
{
	if (t->depth >= 2)
		return N_("Quartier");
	if (t->depth == 1 || t->children == 0)
		return N_("Territoire");
	return N_("Région");
}

/* The index of id in v, or -1. */
static long index_of(const struct territory *v, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return (long)i;
	return -1;
}

/* Checks where t may hang: its parent exists, is neither t nor below it,
 * and the tree stays TERRITORY_DEPTH_MAX levels deep at most. */
static void check_parent(const struct territory *v, size_t n, const struct territory *t,
			 struct validation *val)
{
	long p = index_of(v, n, t->parent_id);
	if (p < 0) {
		validation_add(val, "parent", N_("Ce territoire parent n'existe pas."));
		return;
	}
	int height = 0;
	if (t->id) {
		long self = index_of(v, n, t->id);
		height = self >= 0 ? v[self].height : 0;
		/* v is in tree order: t's subtree follows it, deeper than it. */
		for (long i = self; i >= 0 && (size_t)i < n; i++) {
			if (i > self && v[i].depth <= v[self].depth)
				break;
			if (v[i].id == t->parent_id) {
				validation_add(val, "parent",
					       N_("Un territoire ne peut pas être placé sous "
						  "lui-même ni sous un de ses quartiers."));
				return;
			}
		}
	}
	if (v[p].depth + 1 + height >= TERRITORY_DEPTH_MAX)
		validation_add(val, "parent",
			       N_("La hiérarchie a trois niveaux au plus : région, "
				  "territoire, quartier."));
}

int territory_save(struct db *db, struct arena *a, struct territory *t, struct validation *v)
{
	if (!t->id && !ext_id_valid(t->ext_id))
		validation_add(v, "ext_id",
			       N_("Entrez un identifiant de 1 à 40 lettres, chiffres, "
				  "tirets ou soulignés."));
	if (!t->name || !*t->name || !utf8_valid_str(t->name) ||
	    utf8_length(t->name, strlen(t->name)) > ORG_NAME_MAX)
		validation_add(v, "name", N_("Entrez le nom (200 caractères au plus)."));
	if (t->type && strcmp(t->type, "urbain") != 0 && strcmp(t->type, "rural") != 0 &&
	    strcmp(t->type, "mixte") != 0)
		validation_add(v, "type", N_("Choisissez urbain, rural ou mixte."));
	struct territory *all = NULL;
	size_t n = 0;
	if ((t->parent_id || t->id) && territory_tree(db, a, &all, &n) < 0)
		return -1;
	if (t->parent_id)
		check_parent(all, n, t, v);
	if (v->n)
		return 1;
	/* A stored territory that moves in the tree moves the trajectories
	 * counted under it: they are placed again (model/trajectory.h). */
	bool moved = false;
	for (size_t i = 0; t->id && i < n; i++)
		moved |= all[i].id == t->id && all[i].parent_id != t->parent_id;
	struct db_stmt *s = db_stmt(db, t->id ? STMT_TERRITORY_UPDATE : STMT_TERRITORY_INSERT);
	if (!s)
		return -1;
	if (t->id)
		db_bind_int64(s, 1, t->id);
	else
		db_bind_text(s, 1, t->ext_id);
	db_bind_text(s, 2, t->name);
	row_bind_opt(s, 3, t->type);
	if (t->parent_id)
		db_bind_int64(s, 4, t->parent_id);
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		if (db_error(db) != DB_ERR_UNIQUE) {
			db_log_error(db, "territory.save");
			return -1;
		}
		validation_add(v, "ext_id", N_("Cet identifiant est déjà pris."));
		return 1;
	}
	if (!t->id)
		t->id = db_last_insert_id(db);
	return moved ? trajectory_rebuild(db) : 0;
}

/* ---- The territories an actor may read (corridors, directory) ---- */

int territory_get_ref(struct db *db, struct arena *a, int64_t id, struct territory_ref *out)
{
	struct db_stmt *s = db_stmt(db, STMT_DIR_TERRITORY_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	memset(out, 0, sizeof(*out));
	if (rc == DB_ROW) {
		out->id = db_col_int64(s, 0);
		if (a) {
			out->ext_id = db_col_text(a, s, 1);
			out->name = db_col_text(a, s, 2);
		}
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_log_error(db, "territory.get_ref");
		return -1;
	}
	return rc == DB_ROW ? 0 : 1;
}

/* The statement listing who's territories, bound; NULL for none. */
static struct db_stmt *territories_stmt(struct db *db, const struct actor *who)
{
	struct db_stmt *s = NULL;
	switch (who ? who->role : ROLE_NONE) {
	case ROLE_ADMIN:
	case ROLE_ANALYSTE: s = db_stmt(db, STMT_DIR_TERRITORIES_ALL); break;
	case ROLE_COMITE:
		if (!who->territory_id)
			return NULL;
		s = db_stmt(db, STMT_DIR_TERRITORIES_UNDER);
		if (s)
			db_bind_int64(s, 1, who->territory_id);
		break;
	case ROLE_PAP:
	case ROLE_GESTIONNAIRE:
		if (!who->organisation_id && !who->territory_id)
			return NULL;
		s = db_stmt(db, STMT_DIR_TERRITORIES_OF_ORG);
		if (s) {
			db_bind_int64(s, 1, who->organisation_id);
			db_bind_int64(s, 2, who->territory_id);
		}
		break;
	default: return NULL;
	}
	return s;
}

int territory_list_visible(struct db *db, struct arena *a, const struct actor *who,
			   struct territory_ref **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = territories_stmt(db, who);
	if (!s)
		return 0;
	struct row_array rows = {0};
	struct territory_ref *t;
	while ((t = row_next(db, s, a, &rows, sizeof(*t), "territory.list_visible"))) {
		t->id = db_col_int64(s, 0);
		t->ext_id = db_col_text(a, s, 1);
		t->name = db_col_text(a, s, 2);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

bool territory_visible(struct db *db, const struct actor *who, int64_t territory_id)
{
	struct db_stmt *s = territories_stmt(db, who);
	if (!s || !territory_id)
		return false;
	bool found = false;
	int rc;
	while (!found && (rc = db_step(s)) == DB_ROW)
		found = db_col_int64(s, 0) == territory_id;
	db_reset(s);
	return found;
}

int64_t territory_default(struct db *db, struct arena *a, const struct actor *who)
{
	struct territory_ref *v;
	size_t n;
	if (territory_list_visible(db, a, who, &v, &n) < 0 || !n)
		return 0;
	for (size_t i = 0; who->territory_id && i < n; i++)
		if (v[i].id == who->territory_id)
			return v[i].id;
	return v[0].id;
}
