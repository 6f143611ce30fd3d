/* Service gaps (see service_gap.h for the rules). */
#include "model/service_gap.h"

#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/journal_week.h"
#include "model/refdata.h"
#include "model/row.h"

const char *const service_gap_frequencies[] = {"unique", "occasionnel", "mensuel", "hebdomadaire",
					       NULL};

bool service_gap_frequency_valid(const char *code)
{
	for (size_t i = 0; code && service_gap_frequencies[i]; i++)
		if (strcmp(code, service_gap_frequencies[i]) == 0)
			return true;
	return false;
}

int service_gap_territory_within(struct db *db, int64_t root, int64_t territory)
{
	if (!root || !territory)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_STORY_TERR_WITHIN);
	if (!s)
		return -1;
	db_bind_int64(s, 1, root);
	db_bind_int64(s, 2, territory);
	int rc = db_step(s);
	int r = rc == DB_ROW ? db_col_int(s, 0) > 0 : -1;
	db_reset(s);
	return r;
}

int service_gap_validate(struct db *db, const struct actor *who, const struct service_gap *g,
			 struct validation *v)
{
	struct pdate d;
	if (!g->date || !*g->date) {
		validation_add(v, "date", N_("La date est obligatoire."));
	} else if (ptime_parse_date(g->date, &d) < 0) {
		validation_add(v, "date", N_("Entrez une date valide (AAAA-MM-JJ)."));
	} else {
		struct pdate today = ptime_local_date(ptime_now());
		if (ptime_days_from_civil(&d) > ptime_days_from_civil(&today) + 1)
			validation_add(v, "date", N_("La date ne peut pas être dans le futur."));
	}
	if (!g->need || !*g->need)
		validation_add(v, "need", N_("Choisissez le besoin sans réponse."));
	else if (!refdata_valid(db, REF_NEED, g->need, who->organisation_id))
		validation_add(v, "need", N_("Cette valeur ne fait pas partie de la liste."));
	if (g->population && *g->population &&
	    !refdata_valid(db, REF_POPULATION, g->population, who->organisation_id))
		validation_add(v, "population", N_("Cette valeur ne fait pas partie de la liste."));
	if (g->frequency && *g->frequency && !service_gap_frequency_valid(g->frequency))
		validation_add(v, "frequency", N_("Cette valeur ne fait pas partie de la liste."));
	if (g->description &&
	    (!utf8_valid_str(g->description) ||
	     utf8_length(g->description, strlen(g->description)) > SERVICE_GAP_DESCRIPTION_MAX))
		validation_add(v, "description",
			       N_("La description est limitée à 2000 caractères."));
	/* The territory: one the reporter works on. */
	struct arena *ar = arena_new(2048);
	struct journal_named *ts;
	size_t nt;
	bool ok = false;
	int r = journal_territories(db, ar, who->organisation_id, who->territory_id, &ts, &nt);
	for (size_t i = 0; r == 0 && i < nt; i++)
		ok = ok || ts[i].id == g->territory_id;
	arena_free(ar);
	if (r < 0)
		return -1;
	if (!g->territory_id || !ok)
		validation_add(v, "territory", N_("Ce territoire n'existe pas."));
	return v->n ? -1 : 0;
}

int service_gap_save(struct db *db, struct arena *ar, struct service_gap *g)
{
	if (!g->ext_id || !*g->ext_id)
		g->ext_id = row_new_ext_id(ar, "gap");
	struct db_stmt *s = db_stmt(db, STMT_GAP_INSERT);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, g->ext_id);
	db_bind_int64(s, 2, g->territory_id);
	db_bind_text(s, 3, g->date);
	db_bind_text(s, 4, g->need);
	row_bind_opt(s, 5, g->population);
	if (g->author_id)
		db_bind_int64(s, 6, g->author_id);
	row_bind_opt(s, 7, g->description);
	row_bind_opt(s, 8, g->frequency);
	if (row_exec(db, s, "service_gap.save") < 0)
		return -1;
	g->id = db_last_insert_id(db);
	return 0;
}

static void read_row(struct arena *ar, struct db_stmt *s, struct service_gap *g)
{
	memset(g, 0, sizeof(*g));
	g->id = db_col_int64(s, 0);
	g->ext_id = db_col_text(ar, s, 1);
	g->territory_id = db_col_int64(s, 2);
	g->date = db_col_text(ar, s, 3);
	g->need = db_col_text(ar, s, 4);
	g->population = db_col_text(ar, s, 5);
	g->author_id = db_col_int64(s, 6);
	g->description = db_col_text(ar, s, 7);
	g->frequency = db_col_text(ar, s, 8);
	g->corridor_id = db_col_int64(s, 9);
	g->project_id = db_col_int64(s, 10);
	g->author_organisation_id = db_col_int64(s, 11);
	g->territory_ext = db_col_text(ar, s, 12);
	g->author_ext = db_col_text(ar, s, 13);
	g->corridor_ext = db_col_text(ar, s, 14);
	g->project_ext = db_col_text(ar, s, 15);
}

/* Hides what who may not see of g. */
static void restrict_to(const struct actor *who, struct service_gap *g)
{
	g->full = (who->role == ROLE_PAP && g->author_id == who->person_id) ||
		  (who->role == ROLE_GESTIONNAIRE && who->organisation_id &&
		   g->author_organisation_id == who->organisation_id);
	if (!g->full) {
		g->description = NULL;
		g->author_id = 0;
		g->author_ext = NULL;
		g->author_organisation_id = 0;
	}
}

int service_gap_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		    struct service_gap *out)
{
	struct db_stmt *s = db_stmt(db, STMT_GAP_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "service_gap.get");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	restrict_to(who, out);
	return 0;
}

int service_gap_list(struct db *db, struct arena *ar, const struct actor *who, const char *from,
		     const char *to, struct service_gap **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t terr = 0, author = 0, org = 0;
	switch (who->role) {
	case ROLE_PAP: author = who->person_id; break;
	case ROLE_GESTIONNAIRE:
		if (!who->organisation_id)
			return 0;
		org = who->organisation_id;
		break;
	case ROLE_COMITE:
		if (!who->territory_id)
			return 0;
		terr = who->territory_id;
		break;
	case ROLE_ANALYSTE: break;
	default: return 0;
	}
	struct db_stmt *s = db_stmt(db, STMT_GAP_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, terr);
	db_bind_int64(s, 2, author);
	db_bind_int64(s, 3, org);
	row_bind_opt(s, 4, from);
	row_bind_opt(s, 5, to);
	struct row_array rows = {0};
	struct service_gap *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "service_gap.list"))) {
		read_row(ar, s, it);
		restrict_to(who, it);
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

void service_gap_group_by_need(struct arena *ar, struct service_gap *gaps, size_t n,
			       struct service_gap_group **out, size_t *ngroups)
{
	struct service_gap_group *g = arena_calloc(ar, n ? n : 1, sizeof(*g));
	size_t ng = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < ng && !same(g[k].need, gaps[i].need))
			k++;
		if (k == ng) {
			g[k].need = gaps[i].need;
			g[k].gaps = arena_alloc(ar, n * sizeof(*g[k].gaps));
			g[k].populations = arena_calloc(ar, n, sizeof(*g[k].populations));
			ng++;
		}
		struct service_gap_group *x = &g[k];
		x->count++;
		x->gaps[x->n_gaps++] = &gaps[i];
		size_t p = 0;
		while (p < x->n_populations &&
		       !same(x->populations[p].population, gaps[i].population))
			p++;
		if (p == x->n_populations)
			x->populations[x->n_populations++].population = gaps[i].population;
		x->populations[p].count++;
	}
	/* Most frequent first, ties by need code (insertion sorts: small lists). */
	for (size_t i = 1; i < ng; i++)
		for (size_t j = i; j > 0; j--) {
			struct service_gap_group *a = &g[j - 1], *b = &g[j];
			if (a->count > b->count ||
			    (a->count == b->count && strcmp(a->need, b->need) <= 0))
				break;
			struct service_gap_group t = *a;
			*a = *b;
			*b = t;
		}
	for (size_t k = 0; k < ng; k++) {
		struct service_gap_population *p = g[k].populations;
		for (size_t i = 1; i < g[k].n_populations; i++)
			for (size_t j = i; j > 0 && p[j - 1].count < p[j].count; j--) {
				struct service_gap_population t = p[j - 1];
				p[j - 1] = p[j];
				p[j] = t;
			}
	}
	*out = g;
	*ngroups = ng;
}

/* The territory of a corridor or project (statement sid): 0 found, 1 absent, -1. */
static int territory_of(struct db *db, enum stmt_id sid, int64_t id, int64_t *terr)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*terr = db_col_int64(s, 0);
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_log_error(db, "service_gap.territory");
		return -1;
	}
	return rc == DB_ROW ? 0 : 1;
}

int service_gap_link(struct db *db, const struct actor *who, int64_t id, int64_t corridor_id,
		     int64_t project_id, struct validation *v)
{
	if (who->role != ROLE_COMITE || !who->territory_id)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_GAP_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int64_t gterr = 0;
	int rc = db_step(s);
	if (rc == DB_ROW)
		gterr = db_col_int64(s, 2);
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	if (rc == DB_DONE)
		return 1;
	int w = service_gap_territory_within(db, who->territory_id, gterr);
	if (w <= 0)
		return w < 0 ? -1 : 1;
	int64_t t = 0;
	int r;
	if (corridor_id) {
		r = territory_of(db, STMT_GAP_CORRIDOR_TERRITORY, corridor_id, &t);
		if (r < 0)
			return -1;
		if (r > 0 || t != gterr)
			validation_add(v, "corridor",
				       N_("Ce corridor n'est pas sur le territoire de ce trou de "
					  "service."));
	}
	if (project_id) {
		r = territory_of(db, STMT_STORY_PROJECT_TERRITORY, project_id, &t);
		if (r < 0)
			return -1;
		if (r > 0 || t != gterr)
			validation_add(v, "project",
				       N_("Ce projet n'est pas sur le territoire de ce trou de "
					  "service."));
	}
	if (v->n)
		return 2;
	if (!(s = db_stmt(db, STMT_GAP_LINK)))
		return -1;
	db_bind_int64(s, 1, id);
	if (corridor_id)
		db_bind_int64(s, 2, corridor_id);
	if (project_id)
		db_bind_int64(s, 3, project_id);
	if (row_exec(db, s, "service_gap.link") < 0)
		return -1;
	log_info("service_gap.link", "gap=%lld by=%lld corridor=%lld project=%lld", (long long)id,
		 (long long)who->person_id, (long long)corridor_id, (long long)project_id);
	return 0;
}

static int named(struct db *db, struct arena *ar, enum stmt_id sid, int64_t terr,
		 struct service_gap_named **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, terr);
	struct row_array rows = {0};
	struct service_gap_named *a;
	while ((a = row_next(db, s, ar, &rows, sizeof(*a), "service_gap.answers"))) {
		a->id = db_col_int64(s, 0);
		a->name = db_col_text(ar, s, 1);
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

int service_gap_answers(struct db *db, struct arena *ar, int64_t territory_id,
			struct service_gap_named **corridors, size_t *nc,
			struct service_gap_named **projects, size_t *np)
{
	if (named(db, ar, STMT_GAP_CORRIDORS, territory_id, corridors, nc) < 0 ||
	    named(db, ar, STMT_GAP_PROJECTS, territory_id, projects, np) < 0)
		return -1;
	return 0;
}
