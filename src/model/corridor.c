/* Referral corridors (see corridor.h for the contract). */
#include "model/corridor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/territory.h"
#include "model/lookup.h"
#include "model/refdata.h"
#include "model/row.h"
#include "model/search.h"
#include "model/trajectory.h"

/* The transfer template's fields. Codes are stored in corridor_field and
 * named in a referral's `fields`; keep them stable (interchange). */
const struct corridor_field_def corridor_fields[] = {
	{"motif", "Motif de la référence", "Reason for the referral"},
	{"besoin", "Besoin principal", "Main need"},
	{"urgence", "Situation urgente (oui/non)", "Urgent situation (yes/no)"},
	{"niveau_urgence", "Niveau d'urgence", "Urgency level"},
	{"consentement", "Consentement à la référence", "Consent to the referral"},
	{"consentement_signe", "Formulaire de consentement signé", "Signed consent form"},
	{"coordonnees_joignabilite", "Meilleure façon de joindre la famille",
	 "Best way to reach the family"},
	{"disponibilites", "Disponibilités de la famille", "Family's availability"},
	{"langue", "Langue parlée", "Language spoken"},
	{"interprete_requis", "Interprète requis", "Interpreter required"},
	{"transport_requis", "Transport requis", "Transport required"},
	{"enfants_ages", "Âge des enfants", "Children's ages"},
	{"semaines_grossesse", "Semaines de grossesse", "Weeks of pregnancy"},
	{"taille_menage", "Taille du ménage", "Household size"},
	{"plan_securite", "Plan de sécurité", "Safety plan"},
	{"facteurs_risque", "Facteurs de risque", "Risk factors"},
	{"statut_immigration", "Statut d'immigration", "Immigration status"},
	{"demarches_faites", "Démarches déjà faites", "Steps already taken"},
	{"services_actuels", "Services déjà reçus", "Services already received"},
	{"personne_reference", "Personne qui réfère (pour la rejoindre)",
	 "Referring worker (to reach them)"},
};
const size_t corridor_field_count = ARRAY_LEN(corridor_fields);

const struct corridor_field_def *corridor_field_find(const char *code)
{
	for (size_t i = 0; code && i < corridor_field_count; i++)
		if (strcmp(corridor_fields[i].code, code) == 0)
			return &corridor_fields[i];
	return NULL;
}

const struct corridor_priority corridor_priorities[CORRIDOR_PRIORITIES] = {
	{"P1", 2},
	{"P2", 10},
	{"P3", 30},
	{"P4", 90},
};

double corridor_priority_days(const char *code)
{
	for (size_t i = 0; code && i < CORRIDOR_PRIORITIES; i++)
		if (str_ieq(code, corridor_priorities[i].code))
			return corridor_priorities[i].days;
	return 0;
}

const char *corridor_priority_of(double days)
{
	for (size_t i = 0; i < CORRIDOR_PRIORITIES; i++)
		if (fabs(days - corridor_priorities[i].days) < 1e-9)
			return corridor_priorities[i].code;
	return NULL;
}

int corridor_parse_target(const char *s, double *out)
{
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	double p = corridor_priority_days(s);
	if (p > 0) {
		*out = p;
		return 0;
	}
	char tmp[32];
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (!n || n >= sizeof(tmp))
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i] == ',' ? '.' : s[i];
		if (!((c >= '0' && c <= '9') || c == '.'))
			return -1;
		tmp[i] = c;
	}
	tmp[n] = '\0';
	char *end;
	double d = strtod(tmp, &end);
	if (*end || !isfinite(d) || d <= 0)
		return -1;
	*out = d;
	return 0;
}

/* Valid UTF-8 of at most max_chars characters. */
static bool text_ok(const char *s, size_t max_chars)
{
	return utf8_valid_str(s) && utf8_length(s, strlen(s)) <= max_chars;
}

/* A language code: 2 to 12 of a-z and '-' (fr, en, pt-br…). */
static bool language_ok(const char *l)
{
	size_t n = strlen(l);
	if (n < 2 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((l[i] >= 'a' && l[i] <= 'z') || l[i] == '-'))
			return false;
	return true;
}

/* An external id: 1 to 100 printable ASCII characters, no space or '/'. */
static bool ext_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 100)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '/')
			return false;
	return true;
}

/* A valid YYYY-MM-DD date. */
static bool date_ok(const char *s)
{
	struct pdate d;
	return ptime_parse_date(s, &d) == 0;
}

/* One EXISTS-style query with two integer or text bindings: 1, 0 or -1. */
static int exists2(struct db *db, enum stmt_id id, int64_t a, int64_t b, const char *t)
{
	struct db_stmt *s = db_stmt(db, id);
	if (!s)
		return -1;
	db_bind_int64(s, 1, a);
	if (t)
		db_bind_text(s, 2, t);
	else
		db_bind_int64(s, 2, b);
	int rc = db_step(s);
	int r = rc == DB_ROW ? (db_col_int64(s, 0) != 0) : -1;
	db_reset(s);
	if (r < 0)
		db_log_error(db, "corridor.exists");
	return r;
}

/* True when a value of l appears twice. */
static bool list_has_dup(const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(l->v[i], l->v[j]) == 0)
				return true;
	return false;
}

/* The entry organisation: given and, when scope, on the territory (tr:
 * the territory lookup, 0 found). Sets *known when it exists. 0 or -1. */
static int check_entry(struct db *db, const struct corridor *c, int tr, bool scope, bool *known,
		       struct validation *v)
{
	*known = false;
	if (!c->entry_organisation_id) {
		validation_add(v, "entry_organisation",
			       N_("Choisissez l'organisation point d'entrée."));
		return 0;
	}
	int r = exists2(db, STMT_DIR_ORG_ON_TERRITORY, c->territory_id, c->entry_organisation_id,
			NULL);
	if (r < 0)
		return -1;
	*known = true;
	if (scope && !r && tr == 0)
		validation_add(v, "entry_organisation",
			       N_("Cette organisation ne dessert pas le territoire du corridor."));
	return 0;
}

/* corridor_validate, with the territory scope of the entry organisation
 * when scope. */
static int validate(struct db *db, const struct corridor *c, bool scope, struct validation *v)
{
	if (c->ext_id && !ext_ok(c->ext_id))
		validation_add(v, "id",
			       N_("L'identifiant compte de 1 à 100 caractères ASCII visibles, sans "
				  "espace ni barre oblique."));
	if (!c->name || !*c->name)
		validation_add(v, "name", N_("Le nom du corridor est obligatoire."));
	else if (!text_ok(c->name, CORRIDOR_NAME_MAX))
		validation_add(v, "name", N_("Le nom compte au plus 200 caractères."));
	struct territory_ref t;
	int tr = c->territory_id ? territory_get_ref(db, NULL, c->territory_id, &t) : 1;
	if (tr < 0)
		return -1;
	if (tr > 0)
		validation_add(v, "territory", N_("Ce territoire n'existe pas."));
	bool org_known;
	if (check_entry(db, c, tr, scope, &org_known, v) < 0)
		return -1;
	int64_t org = org_known ? c->entry_organisation_id : 0;
	if (c->need && *c->need && !refdata_valid(db, REF_NEED, c->need, org))
		validation_add(v, "need", N_("Ce besoin ne fait pas partie de la liste."));
	if (c->population && *c->population &&
	    !refdata_valid(db, REF_POPULATION, c->population, org))
		validation_add(v, "population",
			       N_("Cette population ne fait pas partie de la liste."));
	if (!(c->target_days > 0) || c->target_days > CORRIDOR_TARGET_MAX)
		validation_add(v, "target_days",
			       N_("Le délai cible est une priorité P1 à P4 ou un nombre de jours "
				  "plus grand que 0 (au plus 3650)."));
	if (c->languages.n > CORRIDOR_LIST_MAX || list_has_dup(&c->languages))
		validation_add(v, "consent_languages", N_("Une valeur est répétée."));
	for (size_t i = 0; i < c->languages.n; i++)
		if (!language_ok(c->languages.v[i])) {
			validation_add(v, "consent_languages",
				       N_("Code de langue invalide (ex. fr, en, es)."));
			break;
		}
	if (c->fields.n > CORRIDOR_LIST_MAX || list_has_dup(&c->fields))
		validation_add(v, "template_fields", N_("Une valeur est répétée."));
	for (size_t i = 0; i < c->fields.n; i++)
		if (!corridor_field_find(c->fields.v[i])) {
			validation_add(v, "template_fields",
				       N_("Ce champ ne fait pas partie de la liste des champs du "
					  "gabarit de transfert."));
			break;
		}
	if (c->portrait.n > CORRIDOR_LIST_MAX || list_has_dup(&c->portrait))
		validation_add(v, "portrait_indicators", N_("Une valeur est répétée."));
	for (size_t i = 0; tr == 0 && i < c->portrait.n; i++) {
		int r = exists2(db, STMT_DIR_PORTRAIT_HAS, c->territory_id, 0, c->portrait.v[i]);
		if (r < 0)
			return -1;
		if (!r) {
			validation_add(v, "portrait_indicators",
				       N_("Cet indicateur ne fait pas partie du portrait du "
					  "territoire."));
			break;
		}
	}
	bool from_ok = !c->active_from || date_ok(c->active_from);
	bool to_ok = !c->active_to || date_ok(c->active_to);
	if (!from_ok)
		validation_add(v, "active_from", N_("Entrez une date valide (AAAA-MM-JJ)."));
	if (!to_ok)
		validation_add(v, "active_to", N_("Entrez une date valide (AAAA-MM-JJ)."));
	if (from_ok && to_ok && c->active_from && c->active_to &&
	    strcmp(c->active_to, c->active_from) < 0)
		validation_add(v, "active_to", N_("La fin précède le début."));
	if (c->ext_id && ext_ok(c->ext_id)) {
		struct db_stmt *s = db_stmt(db, STMT_DIR_CORRIDOR_EXT_TAKEN);
		if (!s)
			return -1;
		db_bind_text(s, 1, c->ext_id);
		db_bind_int64(s, 2, c->id);
		int rc = db_step(s);
		bool taken = rc == DB_ROW && db_col_int64(s, 0) > 0;
		db_reset(s);
		if (rc != DB_ROW) {
			db_log_error(db, "corridor.ext_taken");
			return -1;
		}
		if (taken)
			validation_add(v, "id", N_("Un corridor porte déjà cet identifiant."));
	}
	return v->n ? -1 : 0;
}

int corridor_validate(struct db *db, const struct corridor *c, struct validation *v)
{
	return validate(db, c, true, v);
}

int corridor_validate_import(struct db *db, const struct corridor *c, struct validation *v)
{
	return validate(db, c, false, v);
}

/* Replaces corridor cid's list (clear, then add each value). 0 or -1. */
static int replace_list(struct db *db, enum stmt_id clear, enum stmt_id add, int64_t cid,
			const struct strlist *l)
{
	if (row_exec_id(db, clear, cid, NULL, "corridor.list") < 0)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (row_exec_id(db, add, cid, l->v[i], "corridor.list") < 0)
			return -1;
	return 0;
}

int corridor_save(struct db *db, struct arena *a, struct corridor *c)
{
	if (!c->ext_id || !*c->ext_id)
		c->ext_id = row_new_ext_id(a, "cor");
	struct db_stmt *s =
		db_stmt(db, c->id ? STMT_DIR_CORRIDOR_UPDATE : STMT_DIR_CORRIDOR_INSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, c->ext_id);
	db_bind_int64(s, 2, c->territory_id);
	db_bind_text(s, 3, c->name);
	row_bind_opt(s, 4, c->need);
	row_bind_opt(s, 5, c->population);
	db_bind_int64(s, 6, c->entry_organisation_id);
	db_bind_double(s, 7, c->target_days);
	row_bind_opt(s, 8, c->active_from);
	row_bind_opt(s, 9, c->active_to);
	search_bind_text(s, 10, c->name, NULL, NULL);
	if (c->id)
		db_bind_int64(s, 11, c->id);
	if (row_exec(db, s, "corridor.save") < 0)
		return -1;
	/* A stored corridor may have changed territory: its trajectories are
	 * placed again (model/trajectory.h). */
	if (c->id && trajectory_refresh_corridor(db, c->id) < 0)
		return -1;
	if (!c->id)
		c->id = db_last_insert_id(db);
	if (replace_list(db, STMT_DIR_CORRIDOR_LANGUAGE_CLEAR, STMT_DIR_CORRIDOR_LANGUAGE_ADD,
			 c->id, &c->languages) < 0 ||
	    replace_list(db, STMT_DIR_CORRIDOR_FIELD_CLEAR, STMT_DIR_CORRIDOR_FIELD_ADD, c->id,
			 &c->fields) < 0 ||
	    replace_list(db, STMT_DIR_CORRIDOR_PORTRAIT_CLEAR, STMT_DIR_CORRIDOR_PORTRAIT_ADD,
			 c->id, &c->portrait) < 0)
		return -1;
	return 0;
}

bool corridor_can_write(struct db *db, const struct actor *who, int64_t territory_id)
{
	if (!who || !territory_id)
		return false;
	if (who->role == ROLE_ADMIN)
		return true;
	if (who->role != ROLE_COMITE || !who->territory_id)
		return false;
	return exists2(db, STMT_DIR_TERRITORY_WITHIN, who->territory_id, territory_id, NULL) == 1;
}

/* Reads a DIR_CORRIDOR_COLS row into c (strings in a; lists empty). */
static void read_row(struct arena *a, struct db_stmt *s, struct corridor *c)
{
	memset(c, 0, sizeof(*c));
	c->id = db_col_int64(s, 0);
	c->ext_id = db_col_text(a, s, 1);
	c->territory_id = db_col_int64(s, 2);
	c->territory_ext = db_col_text(a, s, 3);
	c->territory_name = db_col_text(a, s, 4);
	c->name = db_col_text(a, s, 5);
	c->need = db_col_text(a, s, 6);
	c->population = db_col_text(a, s, 7);
	c->entry_organisation_id = db_col_int64(s, 8);
	c->entry_ext = db_col_text(a, s, 9);
	c->entry_name = db_col_text(a, s, 10);
	c->target_days = db_col_double(s, 11);
	c->active_from = db_col_text(a, s, 12);
	c->active_to = db_col_text(a, s, 13);
}

/* Reads c's three lists. 0 or -1. */
static int read_lists(struct db *db, struct arena *a, struct corridor *c)
{
	const char *ev = "corridor.read_list";
	if (lookup_strings(db, a, STMT_DIR_CORRIDOR_LANGUAGES, c->id, ev, &c->languages) < 0 ||
	    lookup_strings(db, a, STMT_DIR_CORRIDOR_FIELDS, c->id, ev, &c->fields) < 0 ||
	    lookup_strings(db, a, STMT_DIR_CORRIDOR_PORTRAITS, c->id, ev, &c->portrait) < 0)
		return -1;
	return 0;
}

int corridor_get(struct db *db, struct arena *a, const struct actor *who, int64_t id,
		 struct corridor *out)
{
	struct db_stmt *s = db_stmt(db, STMT_DIR_CORRIDOR_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_DONE) {
		db_reset(s);
		return 1;
	}
	if (rc != DB_ROW) {
		db_log_error(db, "corridor.get");
		db_reset(s);
		return -1;
	}
	read_row(a, s, out);
	db_reset(s);
	if (!territory_visible(db, who, out->territory_id))
		return 1;
	return read_lists(db, a, out);
}

int corridor_list(struct db *db, struct arena *a, int64_t territory_id, struct corridor **out,
		  size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_DIR_CORRIDOR_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	struct row_array rows = {0};
	struct corridor *it;
	while ((it = row_next(db, s, a, &rows, sizeof(*it), "corridor.list")))
		read_row(a, s, it);
	if (rows.rc < 0)
		return -1;
	struct corridor *v = rows.v;
	size_t cnt = rows.n;
	for (size_t i = 0; i < cnt; i++)
		if (read_lists(db, a, &v[i]) < 0)
			return -1;
	*out = v;
	*n = cnt;
	return 0;
}

bool corridor_active_on(const struct corridor *c, const char *date)
{
	if (c->active_from && strcmp(c->active_from, date) > 0)
		return false;
	if (c->active_to && strcmp(c->active_to, date) < 0)
		return false;
	return true;
}

int corridor_id_of(struct db *db, const char *ext_id, int64_t *id)
{
	return lookup_id(db, STMT_DIR_CORRIDOR_BY_EXT, ext_id, "corridor.id_of", id);
}
