/* Arrimage projects: validation, storage, visibility, survey tokens. */
#include "model/project.h"

#include <sodium.h>
#include <string.h>

#include "core/i18n.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/lookup.h"
#include "model/row.h"

enum project_state project_state_on(const struct project *p, const char *today)
{
	if (p->start_date && strcmp(today, p->start_date) < 0)
		return PROJECT_NOT_STARTED;
	if (p->end_date && strcmp(today, p->end_date) > 0)
		return PROJECT_ENDED;
	return PROJECT_OPEN;
}

bool project_can_create(const struct actor *actor)
{
	return actor && (actor->role == ROLE_ADMIN ||
			 (actor->role == ROLE_COMITE && actor->territory_id > 0));
}

bool project_can_edit(const struct actor *actor, const struct project *p)
{
	if (!actor)
		return false;
	if (actor->role == ROLE_ADMIN)
		return true;
	return actor->role == ROLE_COMITE && actor->territory_id > 0 &&
	       actor->territory_id == p->territory_id;
}

static bool text_ok(const char *s, size_t max_chars)
{
	return !s || (utf8_valid_str(s) && utf8_length(s, strlen(s)) <= max_chars);
}

/* count(*) of a one-parameter statement: >=0 or -1. */
static int count_of(struct db *db, enum stmt_id sid, int64_t id, const char *event)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	int n = rc == DB_ROW ? db_col_int(s, 0) : -1;
	db_reset(s);
	if (n < 0)
		db_log_error(db, event);
	return n;
}

int project_validate(struct db *db, const struct actor *actor, const struct project *p,
		     struct validation *v)
{
	struct pdate d;
	if (!p->name || !*p->name)
		validation_add(v, "name", N_("Le nom du projet est obligatoire."));
	else if (!text_ok(p->name, PROJECT_NAME_MAX) || strpbrk(p->name, "\r\n"))
		validation_add(v, "name",
			       N_("Le nom compte au plus 200 caractères, sur une ligne."));
	bool start_ok = p->start_date && ptime_parse_date(p->start_date, &d) == 0;
	if (!start_ok)
		validation_add(v, "start", N_("Entrez une date valide (AAAA-MM-JJ)."));
	if (p->end_date) {
		if (ptime_parse_date(p->end_date, &d) < 0)
			validation_add(v, "end", N_("Entrez une date valide (AAAA-MM-JJ)."));
		else if (start_ok && strcmp(p->end_date, p->start_date) < 0)
			validation_add(v, "end", N_("La fin précède le début."));
	}
	if (!text_ok(p->goals, PROJECT_GOALS_MAX))
		validation_add(v, "goals", N_("Les objectifs sont limités à 4000 caractères."));
	if (p->has_families && (p->families_count < 0 || p->families_count > 1000000))
		validation_add(v, "families_count",
			       N_("Entrez un nombre de familles entre 0 et 1 000 000."));
	if (p->norgs > PROJECT_ORGS_MAX)
		validation_add(v, "organisations", N_("Cette liste compte trop de valeurs."));
	if (p->territory_id <= 0) {
		validation_add(v, "territory", N_("Choisissez le territoire."));
	} else {
		int n = count_of(db, STMT_PROJECT_TERRITORY_EXISTS, p->territory_id,
				 "project.territory");
		if (n < 0)
			return -1;
		if (!n)
			validation_add(v, "territory", N_("Ce territoire n'existe pas."));
		else if (!project_can_edit(actor, p))
			validation_add(v, "territory",
				       N_("Vous ne pouvez gérer que les projets de votre "
					  "territoire."));
	}
	for (size_t i = 0; i < p->norgs && i < PROJECT_ORGS_MAX; i++) {
		int n = count_of(db, STMT_PROJECT_ORGANISATION_EXISTS, p->orgs[i].id,
				 "project.organisation");
		if (n < 0)
			return -1;
		if (!n) {
			validation_add(v, "organisations", N_("Cette organisation n'existe pas."));
			break;
		}
	}
	return v->n ? 1 : 0;
}

const char *project_new_token(struct arena *ar)
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	size_t cap =
		sodium_base64_ENCODED_LEN(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(ar, cap);
	sodium_bin2base64(out, cap, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

int project_save(struct db *db, struct arena *ar, struct project *p)
{
	bool insert = p->id == 0;
	if (insert) {
		if (!p->ext_id || !*p->ext_id)
			p->ext_id = row_new_ext_id(ar, "prj");
		if (!p->survey_token)
			p->survey_token = project_new_token(ar);
	}
	struct db_stmt *s = db_stmt(db, insert ? STMT_PROJECT_INSERT : STMT_PROJECT_UPDATE);
	if (!s)
		return -1;
	if (insert)
		db_bind_text(s, 1, p->ext_id);
	else
		db_bind_int64(s, 1, p->id);
	db_bind_int64(s, 2, p->territory_id);
	db_bind_text(s, 3, p->name);
	db_bind_text(s, 4, p->start_date);
	row_bind_opt(s, 5, p->end_date);
	row_bind_opt(s, 6, p->goals);
	if (p->has_families)
		db_bind_int64(s, 7, p->families_count);
	if (insert)
		db_bind_text(s, 8, p->survey_token);
	if (row_exec(db, s, "project.save") < 0)
		return -1;
	if (insert)
		p->id = db_last_insert_id(db);
	if (!(s = db_stmt(db, STMT_PROJECT_ORG_CLEAR)))
		return -1;
	db_bind_int64(s, 1, p->id);
	if (row_exec(db, s, "project.orgs_clear") < 0)
		return -1;
	for (size_t i = 0; i < p->norgs; i++) {
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = p->orgs[j].id == p->orgs[i].id;
		if (dup)
			continue;
		if (!(s = db_stmt(db, STMT_PROJECT_ORG_ADD)))
			return -1;
		db_bind_int64(s, 1, p->id);
		db_bind_int64(s, 2, p->orgs[i].id);
		if (row_exec(db, s, "project.orgs_add") < 0)
			return -1;
	}
	return 0;
}

int project_regenerate_token(struct db *db, struct arena *ar, struct project *p)
{
	const char *t = project_new_token(ar);
	struct db_stmt *s = db_stmt(db, STMT_PROJECT_SET_TOKEN);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->id);
	db_bind_text(s, 2, t);
	if (row_exec(db, s, "project.token") < 0)
		return -1;
	p->survey_token = t;
	return 0;
}

static void read_row(struct arena *ar, struct db_stmt *s, struct project *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int64(s, 0);
	p->ext_id = db_col_text(ar, s, 1);
	p->territory_id = db_col_int64(s, 2);
	p->territory_name = db_col_text(ar, s, 3);
	p->name = db_col_text(ar, s, 4);
	p->start_date = db_col_text(ar, s, 5);
	p->end_date = db_col_text(ar, s, 6);
	p->goals = db_col_text(ar, s, 7);
	p->has_families = !db_col_is_null(s, 8);
	p->families_count = db_col_int64(s, 8);
	p->survey_token = db_col_text(ar, s, 9);
	p->territory_ext = db_col_text(ar, s, 10);
}

/* Reads a list of (id, ext_id, name) rows. */
static int read_orgs(struct db *db, struct arena *ar, struct db_stmt *s, struct project_org **out,
		     size_t *n)
{
	struct row_array rows = {0};
	struct project_org *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "project.orgs"))) {
		it->id = db_col_int64(s, 0);
		it->ext_id = db_col_text(ar, s, 1);
		it->name = db_col_text(ar, s, 2);
	}
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}

static bool sees_all(const struct actor *a)
{
	return a->role == ROLE_ADMIN || a->role == ROLE_ANALYSTE;
}

static void bind_actor(struct db_stmt *s, const struct actor *a)
{
	db_bind_int(s, 1, sees_all(a) ? 1 : 0);
	db_bind_int64(s, 2, a->territory_id);
	db_bind_int64(s, 3, a->organisation_id);
}

/* Reads project id (no visibility check) with its partners. */
static int get_row(struct db *db, struct arena *ar, struct db_stmt *s, struct project *out)
{
	int r = row_fetch(db, s, "project.get");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	if (!(s = db_stmt(db, STMT_PROJECT_ORGS)))
		return -1;
	db_bind_int64(s, 1, out->id);
	return read_orgs(db, ar, s, &out->orgs, &out->norgs);
}

int project_get(struct db *db, struct arena *ar, const struct actor *actor, int64_t id,
		struct project *out)
{
	memset(out, 0, sizeof(*out));
	if (!actor || id <= 0)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_PROJECT_VISIBLE);
	if (!s)
		return -1;
	bind_actor(s, actor);
	db_bind_int64(s, 4, id);
	int rc = db_step(s);
	int visible = rc == DB_ROW ? db_col_int(s, 0) : -1;
	db_reset(s);
	if (visible < 0) {
		db_log_error(db, "project.visible");
		return -1;
	}
	if (!visible)
		return 1;
	if (!(s = db_stmt(db, STMT_PROJECT_GET)))
		return -1;
	db_bind_int64(s, 1, id);
	return get_row(db, ar, s, out);
}

int project_get_by_token(struct db *db, struct arena *ar, const char *token, struct project *out)
{
	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != PROJECT_TOKEN_LEN)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_PROJECT_BY_TOKEN);
	if (!s)
		return -1;
	db_bind_text(s, 1, token);
	return get_row(db, ar, s, out);
}

int project_list(struct db *db, struct arena *ar, const struct actor *actor, struct project **out,
		 size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!actor)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_PROJECT_LIST);
	if (!s)
		return -1;
	bind_actor(s, actor);
	struct row_array rows = {0};
	struct project *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "project.list")))
		read_row(ar, s, it);
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}

int project_id_of(struct db *db, const char *ext_id, int64_t *id)
{
	return lookup_id(db, STMT_PROJECT_ID, ext_id, "project.id_of", id);
}

int project_stories(struct db *db, struct arena *ar, int64_t project_id, struct project_story **out,
		    size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_PROJECT_STORIES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, project_id);
	struct row_array rows = {0};
	struct project_story *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "project.stories"))) {
		it->id = db_col_int64(s, 0);
		it->date = db_col_text(ar, s, 1);
		it->text = db_col_int(s, 3) ? db_col_text(ar, s, 2) : NULL;
		it->selected = db_col_int(s, 4) != 0;
	}
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}

int project_territories(struct db *db, struct arena *ar, struct project_org **out, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_PROJECT_TERRITORIES);
	if (!s)
		return -1;
	return read_orgs(db, ar, s, out, n);
}

int project_organisations(struct db *db, struct arena *ar, struct project_org **out, size_t *n)
{
	struct db_stmt *s = db_stmt(db, STMT_PROJECT_ORGANISATIONS);
	if (!s)
		return -1;
	return read_orgs(db, ar, s, out, n);
}
