/* PAP positions over time and the hand-over (model/position.h). */
#include "model/position.h"

#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "model/audit.h"
#include "model/refdata.h"
#include "model/lookup.h"
#include "model/row.h"
#include "model/committee.h"
#include "model/organisation.h"

bool position_can_manage(const struct actor *who)
{
	return who && ((who->role == ROLE_GESTIONNAIRE && who->organisation_id) ||
		       who->role == ROLE_ADMIN);
}

static bool visible(const struct actor *who, int64_t organisation_id)
{
	if (!position_can_manage(who))
		return false;
	return who->role == ROLE_ADMIN || who->organisation_id == organisation_id;
}

static int count_of(struct db *db, enum stmt_id sid, int64_t id)
{
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_reset(s);
	return n;
}

static bool date_ok(const char *d)
{
	struct pdate p;
	return d && ptime_parse_date(d, &p) == 0;
}

/* The day before d (a valid date) into an arena string. */
static const char *day_before(struct arena *ar, const char *d)
{
	struct pdate p;
	ptime_parse_date(d, &p);
	struct pdate q = ptime_civil_from_days(ptime_days_from_civil(&p) - 1);
	char *out = arena_alloc(ar, 11);
	ptime_format_date(&q, out);
	return out;
}

/* The contact and the mandate of p against the reference lists. */
static void check_mandate(struct db *db, const struct position *p, struct validation *v)
{
	if (p->contact && (!utf8_valid_str(p->contact) ||
			   utf8_length(p->contact, strlen(p->contact)) > POSITION_CONTACT_MAX))
		validation_add(v, "contact", N_("Ce champ est limité à 300 caractères."));
	for (size_t i = 0; i < p->components.n; i++)
		if (!refdata_valid(db, REF_COMPONENT, p->components.v[i], 0))
			validation_add(v, "mandate.components",
				       N_("Cette valeur ne fait pas partie de la liste."));
	if (p->n_items > POSITION_ITEMS_MAX)
		validation_add(v, "mandate.items", N_("Au plus 40 éléments de mandat."));
	for (size_t i = 0; i < p->n_items && i < POSITION_ITEMS_MAX; i++) {
		if (!p->items[i].population ||
		    !refdata_valid(db, REF_POPULATION, p->items[i].population, p->organisation_id))
			validation_add(v, "mandate.items",
				       N_("Population inconnue dans le mandat."));
		if (!p->items[i].activity ||
		    !refdata_valid(db, REF_ACTIVITY_TYPE, p->items[i].activity, p->organisation_id))
			validation_add(v, "mandate.items",
				       N_("Type d'activité inconnu dans le mandat."));
	}
}

/* A committee opens positions on the territories it maintains (that the
 * organisation serves the territory is everyone's rule, below). */
static void check_committee(struct db *db, const struct actor *who, const struct position *p,
			    struct validation *v)
{
	if (who->role == ROLE_COMITE && p->territory_id &&
	    !committee_maintains(db, who, p->territory_id))
		validation_add(v, "territory",
			       N_("Choisissez un territoire que votre comité suit."));
}

/* Inserts the components and items of p (duplicates skipped). 0 or -1. */
static int insert_mandate(struct db *db, const struct position *p);

int position_create(struct db *db, struct arena *ar, const struct actor *who, struct position *p,
		    struct validation *v)
{
	if (!position_can_manage(who) && !(who && who->role == ROLE_COMITE))
		return -1;
	if (who->role == ROLE_GESTIONNAIRE)
		p->organisation_id = who->organisation_id;
	if (!p->organisation_id || count_of(db, STMT_TEAM_ORG_EXISTS, p->organisation_id) != 1)
		validation_add(v, "organisation", N_("Choisissez une organisation."));
	bool org_ok = p->organisation_id && !validation_get(v, "organisation");
	if (!p->territory_id || count_of(db, STMT_TEAM_TERRITORY_EXISTS, p->territory_id) != 1)
		validation_add(v, "territory", N_("Choisissez un territoire."));
	else
		check_committee(db, who, p, v);
	if (org_ok && !validation_get(v, "territory") &&
	    organisation_check_serves(db, p->organisation_id, p->territory_id, "territory", v) < 0)
		return -1;
	if (!date_ok(p->start))
		validation_add(v, "start", N_("Entrez une date valide (AAAA-MM-JJ)."));
	check_mandate(db, p, v);
	if (v->n)
		return 1;
	if (!p->ext_id)
		p->ext_id = row_new_ext_id(ar, "pos");
	struct db_stmt *s = db_stmt(db, STMT_TEAM_POS_INSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, p->ext_id);
	db_bind_int64(s, 2, p->organisation_id);
	db_bind_int64(s, 3, p->territory_id);
	db_bind_text(s, 4, p->start);
	if (p->contact && *p->contact)
		db_bind_text(s, 5, p->contact);
	if (row_exec(db, s, "position.create") < 0)
		return -1;
	p->id = db_last_insert_id(db);
	if (insert_mandate(db, p) < 0)
		return -1;
	log_info("position.create", "position=%lld organisation=%lld by=%lld", (long long)p->id,
		 (long long)p->organisation_id, (long long)who->person_id);
	return 0;
}

static int insert_mandate(struct db *db, const struct position *p)
{
	struct db_stmt *s;
	for (size_t i = 0; i < p->components.n; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup = dup || strcmp(p->components.v[k], p->components.v[i]) == 0;
		if (dup)
			continue;
		if (!(s = db_stmt(db, STMT_TEAM_POS_COMPONENT_ADD)))
			return -1;
		db_bind_int64(s, 1, p->id);
		db_bind_text(s, 2, p->components.v[i]);
		if (row_exec(db, s, "position.component") < 0)
			return -1;
	}
	for (size_t i = 0; i < p->n_items; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup = dup || (strcmp(p->items[k].population, p->items[i].population) == 0 &&
				      strcmp(p->items[k].activity, p->items[i].activity) == 0);
		if (dup)
			continue;
		if (!(s = db_stmt(db, STMT_TEAM_POS_ITEM_ADD)))
			return -1;
		db_bind_int64(s, 1, p->id);
		db_bind_text(s, 2, p->items[i].population);
		db_bind_text(s, 3, p->items[i].activity);
		if (row_exec(db, s, "position.item") < 0)
			return -1;
	}
	return 0;
}

int position_update_mandate(struct db *db, const struct actor *who, const struct position *p,
			    struct validation *v)
{
	if (!visible(who, p->organisation_id) && !committee_maintains(db, who, p->territory_id))
		return -1;
	check_mandate(db, p, v);
	if (v->n)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_POS_SET_CONTACT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->id);
	if (p->contact && *p->contact)
		db_bind_text(s, 2, p->contact);
	if (row_exec(db, s, "position.contact") < 0 ||
	    row_exec_id(db, STMT_POS_COMPONENTS_CLEAR, p->id, NULL, "position.mandate") < 0 ||
	    row_exec_id(db, STMT_POS_ITEMS_CLEAR, p->id, NULL, "position.mandate") < 0 ||
	    insert_mandate(db, p) < 0)
		return -1;
	log_info("position.mandate", "position=%lld by=%lld", (long long)p->id,
		 (long long)who->person_id);
	return 0;
}

static void read_row(struct arena *ar, struct db_stmt *s, struct position *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int64(s, 0);
	p->ext_id = db_col_text(ar, s, 1);
	p->organisation_id = db_col_int64(s, 2);
	p->territory_id = db_col_int64(s, 3);
	p->territory_name = db_col_text(ar, s, 4);
	p->start = db_col_text(ar, s, 5);
	p->end = db_col_text(ar, s, 6);
	p->contact = db_col_text(ar, s, 7);
	p->organisation_name = db_col_text(ar, s, 8);
	p->organisation_ext = db_col_text(ar, s, 9);
	p->territory_ext = db_col_text(ar, s, 10);
}

/* Loads p's components, items and holders. 0 or -1. */
static int load_details(struct db *db, struct arena *ar, struct position *p)
{
	if (lookup_strings(db, ar, STMT_TEAM_POS_COMPONENTS, p->id, "position.details",
			   &p->components) < 0)
		return -1;
	struct db_stmt *s = db_stmt(db, STMT_TEAM_POS_ITEMS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->id);
	struct row_array items = {0};
	struct mandate_pair *it;
	while ((it = row_next(db, s, ar, &items, sizeof(*it), "position.details"))) {
		it->population = db_col_text(ar, s, 0);
		it->activity = db_col_text(ar, s, 1);
	}
	if (items.rc < 0)
		return -1;
	p->items = items.v;
	p->n_items = items.n;
	if (!(s = db_stmt(db, STMT_TEAM_POS_HOLDERS)))
		return -1;
	db_bind_int64(s, 1, p->id);
	struct row_array holders = {0};
	struct holder_period *h;
	while ((h = row_next(db, s, ar, &holders, sizeof(*h), "position.details"))) {
		h->id = db_col_int64(s, 0);
		h->person_id = db_col_int64(s, 1);
		h->person_name = db_col_text(ar, s, 2);
		h->from = db_col_text(ar, s, 3);
		h->to = db_col_text(ar, s, 4);
		h->person_ext = db_col_text(ar, s, 5);
	}
	p->holders = holders.v;
	p->n_holders = holders.n;
	return holders.rc;
}

int position_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		 struct position *out)
{
	struct db_stmt *s = db_stmt(db, STMT_TEAM_POS_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "position.get");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	if (!visible(who, out->organisation_id))
		return 1;
	return load_details(db, ar, out) < 0 ? -1 : 0;
}

int position_get_on_territory(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			      struct position *out)
{
	struct db_stmt *s = db_stmt(db, STMT_TEAM_POS_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "position.get_on_territory");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	if (!committee_maintains(db, who, out->territory_id))
		return 1;
	return load_details(db, ar, out) < 0 ? -1 : 0;
}

int position_list_territory(struct db *db, struct arena *ar, const struct actor *who,
			    struct position **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!who || who->role != ROLE_COMITE || !who->territory_id)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_TERR_POSITIONS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->territory_id);
	struct row_array rows = {0};
	struct position *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "position.list_territory")))
		read_row(ar, s, it);
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	for (size_t i = 0; i < *n; i++)
		if (load_details(db, ar, &(*out)[i]) < 0)
			return -1;
	return 0;
}

int position_list(struct db *db, struct arena *ar, const struct actor *who, bool full,
		  struct position **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!position_can_manage(who))
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_TEAM_POS_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->role == ROLE_ADMIN ? 0 : who->organisation_id);
	struct row_array rows = {0};
	struct position *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "position.list")))
		read_row(ar, s, it);
	if (rows.rc < 0)
		return -1;
	struct position *v = rows.v;
	size_t count = rows.n;
	/* Holders are always loaded: the list shows who holds each position. */
	for (size_t i = 0; i < count; i++) {
		if (load_details(db, ar, &v[i]) < 0)
			return -1;
		if (!full) {
			v[i].items = NULL;
			v[i].n_items = 0;
		}
	}
	*out = v;
	*n = count;
	return 0;
}

const struct holder_period *position_current(const struct position *p)
{
	for (size_t i = p->n_holders; i-- > 0;)
		if (!p->holders[i].to)
			return &p->holders[i];
	return NULL;
}

int position_handover_items(struct db *db, struct arena *ar, int64_t person_id,
			    struct handover_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct row_array rows = {0};
	struct handover_item *it;
	struct db_stmt *s = db_stmt(db, STMT_TEAM_OPEN_FAMILIES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "position.handover_items")))
		*it = (struct handover_item){.kind = HANDOVER_FAMILY,
					     .id = db_col_int64(s, 0),
					     .label = db_col_text(ar, s, 1),
					     .ext_id = db_col_text(ar, s, 2)};
	if (rows.rc < 0 || !(s = db_stmt(db, STMT_TEAM_OPEN_REFERRALS)))
		return -1;
	db_bind_int64(s, 1, person_id);
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "position.handover_items"))) {
		const char *code = db_col_text(ar, s, 1);
		const char *org = db_col_text(ar, s, 2);
		*it = (struct handover_item){
			.kind = HANDOVER_REFERRAL,
			.id = db_col_int64(s, 0),
			.label = arena_printf(ar, "%s → %s", code ? code : "?", org ? org : "?"),
			.ext_id = db_col_text(ar, s, 3)};
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* The (id, name) rows of sid into an arena array. 0 or -1 (logged). */
static int places_of(struct db *db, struct arena *ar, enum stmt_id sid, struct position_place **out,
		     size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct position_place *pl;
	while ((pl = row_next(db, s, ar, &rows, sizeof(*pl), "position.places")))
		*pl = (struct position_place){db_col_int64(s, 0), db_col_text(ar, s, 1)};
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

int position_places(struct db *db, struct arena *ar, struct position_place **orgs, size_t *norgs,
		    struct position_place **terrs, size_t *nterrs)
{
	if (places_of(db, ar, STMT_TEAM_ORGS, orgs, norgs) < 0 ||
	    places_of(db, ar, STMT_TEAM_TERRITORIES, terrs, nterrs) < 0)
		return -1;
	return 0;
}

int position_staff(struct db *db, struct arena *ar, int64_t organisation_id, struct staff **out,
		   size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_TEAM_ORG_STAFF);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	struct row_array rows = {0};
	struct staff *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "position.staff"))) {
		it->id = db_col_int64(s, 0);
		it->name = db_col_text(ar, s, 1);
		it->role = role_parse(db_col_cstr(s, 2));
	}
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}

int position_person_info(struct db *db, int64_t id, int64_t *org, enum role *role, bool *active)
{
	struct db_stmt *s = db_stmt(db, STMT_TEAM_PERSON_INFO);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*org = db_col_int64(s, 0);
		*role = role_parse(db_col_cstr(s, 1));
		*active = db_col_int(s, 2) != 0;
	}
	db_reset(s);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return 1;
	db_log_error(db, "position.person");
	return -1;
}

/* True when id may take over things of organisation org. */
static int successor_ok(struct db *db, int64_t id, int64_t org, int64_t leaving)
{
	int64_t o;
	enum role r;
	bool active;
	int rc = position_person_info(db, id, &o, &r, &active);
	if (rc < 0)
		return -1;
	return rc == 0 && o == org && active && id != leaving &&
	       (r == ROLE_PAP || r == ROLE_GESTIONNAIRE);
}

/* Hands over what leaving owns according to h, or records why it cannot.
 * other_position: the person still holds another position after the
 * leave, so unassigned items keep their owner. 0, 1 (errors in v), -1. */
static int hand_over(struct db *db, struct arena *ar, const struct actor *who, int64_t org,
		     int64_t leaving, bool other_position, const struct handover *h,
		     struct validation *v)
{
	struct handover_item *items;
	size_t n;
	if (position_handover_items(db, ar, leaving, &items, &n) < 0)
		return -1;
	size_t missing = 0;
	/* Explicit assignments must name things the person owns. */
	for (size_t k = 0; h && k < h->n; k++) {
		bool known = false;
		for (size_t i = 0; i < n; i++)
			known = known || (items[i].kind == h->items[k].kind &&
					  items[i].id == h->items[k].id);
		if (!known) {
			validation_add(v, "handover",
				       N_("Un dossier indiqué n'appartient pas à la personne qui "
					  "quitte le poste."));
			return 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		int64_t to = h ? h->all_to : 0;
		for (size_t k = 0; h && k < h->n; k++)
			if (h->items[k].kind == items[i].kind && h->items[k].id == items[i].id &&
			    h->items[k].to)
				to = h->items[k].to;
		if (to) {
			int ok = successor_ok(db, to, org, leaving);
			if (ok < 0)
				return -1;
			if (!ok) {
				validation_add(v, "handover",
					       N_("La personne qui reprend un dossier doit être "
						  "une PAP ou une gestionnaire active de "
						  "l'organisation, autre que celle qui part."));
				return 1;
			}
		} else if (!other_position) {
			missing++;
		}
		items[i].to = to;
	}
	if (missing) {
		validation_add(
			v, "handover",
			N_("Des familles suivies ou des références ouvertes resteraient sans "
			   "responsable : confiez chacune à quelqu'un avant le départ."));
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!items[i].to)
			continue;
		bool fam = items[i].kind == HANDOVER_FAMILY;
		struct db_stmt *s = db_stmt(db, fam ? STMT_TEAM_FAMILY_SET_FOLLOWER
						    : STMT_TEAM_REFERRAL_SET_SENDER);
		if (!s)
			return -1;
		db_bind_int64(s, 1, items[i].id);
		db_bind_int64(s, 2, items[i].to);
		db_bind_int64(s, 3, leaving);
		if (row_exec(db, s, "position.handover") < 0)
			return -1;
		struct audit_entry e = {
			.actor_id = who->person_id,
			.action = "write",
			.object_kind = fam ? "family" : "referral",
			.object_id = items[i].id,
			.information = arena_printf(ar, "%s:%lld>%lld", fam ? "follower" : "sender",
						    (long long)leaving, (long long)items[i].to),
			.purpose = "passation",
		};
		if (audit_append(db, &e) < 0)
			return -1;
	}
	log_info("position.handover", "leaving=%lld items=%zu by=%lld", (long long)leaving, n,
		 (long long)who->person_id);
	return 0;
}

/* Ends holder period cur on last (its last day), handing over. */
static int end_period(struct db *db, struct arena *ar, const struct actor *who,
		      const struct position *p, const struct holder_period *cur, const char *last,
		      const struct handover *h, struct validation *v)
{
	if (strcmp(last, cur->from) < 0) {
		validation_add(v, "date",
			       N_("Cette date précède le début de la période de la personne en "
				  "poste."));
		return 1;
	}
	struct db_stmt *s = db_stmt(db, STMT_TEAM_PERSON_OTHER_POSITIONS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, cur->person_id);
	db_bind_int64(s, 2, cur->id);
	db_bind_text(s, 3, last);
	int others = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_reset(s);
	if (others < 0) {
		db_log_error(db, "position.others");
		return -1;
	}
	int rc = hand_over(db, ar, who, p->organisation_id, cur->person_id, others > 0, h, v);
	if (rc)
		return rc;
	if (!(s = db_stmt(db, STMT_TEAM_HOLDER_END)))
		return -1;
	db_bind_int64(s, 1, cur->id);
	db_bind_text(s, 2, last);
	if (row_exec(db, s, "position.holder_end") < 0)
		return -1;
	return 0;
}

/* Common checks of a leave or change date. */
static bool check_date(const struct position *p, const char *date, struct validation *v)
{
	if (!date_ok(date)) {
		validation_add(v, "date", N_("Entrez une date valide (AAAA-MM-JJ)."));
		return false;
	}
	if (strcmp(date, p->start) < 0) {
		validation_add(v, "date", N_("Cette date précède l'ouverture du poste."));
		return false;
	}
	if (p->end) {
		validation_add(v, "date", N_("Ce poste est fermé."));
		return false;
	}
	return true;
}

int position_set_holder(struct db *db, struct arena *ar, const struct actor *who,
			const struct position *p, int64_t new_holder, const char *date,
			const struct handover *h, struct validation *v)
{
	if (!visible(who, p->organisation_id))
		return -1;
	if (!check_date(p, date, v))
		return 1;
	int64_t org;
	enum role role;
	bool active;
	int rc = new_holder ? position_person_info(db, new_holder, &org, &role, &active) : 1;
	if (rc < 0)
		return -1;
	if (rc || org != p->organisation_id || role != ROLE_PAP || !active) {
		validation_add(v, "person",
			       N_("Choisissez une PAP active de l'organisation du poste."));
		return 1;
	}
	const struct holder_period *cur = position_current(p);
	for (size_t i = 0; i < p->n_holders; i++)
		if (p->holders[i].to && strcmp(p->holders[i].to, date) >= 0) {
			validation_add(v, "date",
				       N_("Cette date chevauche une période déjà terminée du "
					  "poste."));
			return 1;
		}
	if (cur) {
		if (cur->person_id == new_holder) {
			validation_add(v, "person", N_("Cette personne occupe déjà le poste."));
			return 1;
		}
		if (strcmp(date, cur->from) <= 0) {
			validation_add(v, "date",
				       N_("Le changement doit suivre le début de la période de la "
					  "personne en poste."));
			return 1;
		}
		rc = end_period(db, ar, who, p, cur, day_before(ar, date), h, v);
		if (rc)
			return rc;
	}
	struct db_stmt *s = db_stmt(db, STMT_TEAM_HOLDER_ADD);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->id);
	db_bind_int64(s, 2, new_holder);
	db_bind_text(s, 3, date);
	if (row_exec(db, s, "position.holder_add") < 0)
		return -1;
	log_info("position.holder", "position=%lld person=%lld from=%s by=%lld", (long long)p->id,
		 (long long)new_holder, date, (long long)who->person_id);
	return 0;
}

int position_end_holder(struct db *db, struct arena *ar, const struct actor *who,
			const struct position *p, const char *date, const struct handover *h,
			struct validation *v)
{
	if (!visible(who, p->organisation_id))
		return -1;
	if (!check_date(p, date, v))
		return 1;
	const struct holder_period *cur = position_current(p);
	if (!cur) {
		validation_add(v, "date", N_("Personne n'occupe ce poste."));
		return 1;
	}
	return end_period(db, ar, who, p, cur, date, h, v);
}

int position_close(struct db *db, struct arena *ar, const struct actor *who,
		   const struct position *p, const char *date, const struct handover *h,
		   struct validation *v)
{
	if (!visible(who, p->organisation_id))
		return -1;
	if (!check_date(p, date, v))
		return 1;
	const struct holder_period *cur = position_current(p);
	if (cur) {
		int rc = end_period(db, ar, who, p, cur, date, h, v);
		if (rc)
			return rc;
	}
	struct db_stmt *s = db_stmt(db, STMT_TEAM_POS_CLOSE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->id);
	db_bind_text(s, 2, date);
	if (row_exec(db, s, "position.close") < 0)
		return -1;
	log_info("position.close", "position=%lld end=%s by=%lld", (long long)p->id, date,
		 (long long)who->person_id);
	return 0;
}
