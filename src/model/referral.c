/* The referral workflow. See referral.h for the contract and the rules. */
#include "model/referral.h"

#include <jansson.h>
#include <string.h>

#include "core/buf.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "core/jsonw.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/audit.h"
#include "model/cellkey.h"
#include "model/inbox.h"
#include "model/indicator.h"
#include "model/lookup.h"
#include "model/refdata.h"
#include "model/settings.h"
#include "model/trajectory.h"
#include "model/vault.h"
#include "model/row.h"

/* The one table of states: enum, code (SQL, interchange, URLs), words. */
static const struct {
	enum referral_status status;
	const char *code, *label;
} STATUSES[REFERRAL_STATUS_COUNT] = {
	{REFERRAL_ENVOYEE, "envoyee", N_("Envoyée")},
	{REFERRAL_RECUE, "recue", N_("Reçue")},
	{REFERRAL_PRISE_EN_CHARGE, "prise_en_charge", N_("Prise en charge")},
	{REFERRAL_REFUSEE, "refusee", N_("Refusée")},
	{REFERRAL_REORIENTEE, "reorientee", N_("Réorientée")},
	{REFERRAL_PERDUE, "perdue", N_("Perdue")},
};

const struct referral_refusal referral_refusals[] = {
	{"hors_mandat", N_("Hors de notre mandat")},
	{"capacite", N_("Capacité atteinte, liste d'attente")},
	{"hors_territoire", N_("Hors de notre territoire")},
	{"deja_suivie", N_("Déjà suivie par un autre service")},
	{"famille_refuse", N_("La famille refuse le service")},
	{"injoignable", N_("Famille injoignable")},
	{"autre", N_("Autre raison")},
};
const size_t referral_refusal_count = ARRAY_LEN(referral_refusals);

const char *referral_refusal_label(const char *code)
{
	for (size_t i = 0; code && i < ARRAY_LEN(referral_refusals); i++)
		if (strcmp(code, referral_refusals[i].code) == 0)
			return referral_refusals[i].label;
	return NULL;
}

const char *referral_status_code(enum referral_status s)
{
	BUG_ON((unsigned)s >= REFERRAL_STATUS_COUNT || STATUSES[s].status != s);
	return STATUSES[s].code;
}

const char *referral_status_label(enum referral_status s)
{
	BUG_ON((unsigned)s >= REFERRAL_STATUS_COUNT || STATUSES[s].status != s);
	return STATUSES[s].label;
}

int referral_status_parse(const char *code, enum referral_status *out)
{
	for (size_t i = 0; code && i < REFERRAL_STATUS_COUNT; i++) {
		if (strcmp(code, STATUSES[i].code) == 0) {
			*out = STATUSES[i].status;
			return 0;
		}
	}
	return -1;
}

bool referral_actor_ok(const struct actor *who)
{
	return who && (who->role == ROLE_PAP || who->role == ROLE_GESTIONNAIRE) &&
	       who->organisation_id > 0;
}

int referral_escape_window(struct db *db)
{
	return settings_int(db, SETTING_ESCAPE_WINDOW_DAYS);
}

void referral_derive(struct referral *r, int64_t now, int w)
{
	if (r->has_outcome)
		r->status = r->outcome;
	else if (r->taken_at)
		r->status = REFERRAL_PRISE_EN_CHARGE;
	else if (r->received_at)
		r->status = REFERRAL_RECUE;
	else
		r->status = REFERRAL_ENVOYEE;
	bool open = !r->has_outcome && !r->taken_at;
	r->overdue = open && ptime_days_between(r->sent_at, now) > r->target_days;
	struct pdate dn = ptime_local_date(now), ds = ptime_local_date(r->sent_at);
	r->escaped = open && ptime_days_from_civil(&dn) - ptime_days_from_civil(&ds) > w;
}

static void read_row(struct arena *ar, struct db_stmt *s, struct referral *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int64(s, 0);
	r->ext_id = db_col_text(ar, s, 1);
	r->family_id = db_col_int64(s, 2);
	r->family_code = db_col_text(ar, s, 3);
	r->from_org = db_col_int64(s, 4);
	r->from_name = db_col_text(ar, s, 5);
	r->to_org = db_col_int64(s, 6);
	r->to_name = db_col_text(ar, s, 7);
	r->corridor_id = db_col_int64(s, 8);
	r->corridor_name = db_col_text(ar, s, 9);
	r->target_days = db_col_double(s, 10);
	r->need = db_col_text(ar, s, 11);
	r->sender_id = db_col_int64(s, 12);
	r->sender_name = db_col_text(ar, s, 13);
	r->first_contact_at = db_col_int64(s, 14);
	r->sent_at = db_col_int64(s, 15);
	r->received_at = db_col_int64(s, 16);
	r->taken_at = db_col_int64(s, 17);
	r->closed_at = db_col_int64(s, 18);
	r->has_outcome = referral_status_parse(db_col_cstr(s, 19), &r->outcome) == 0;
	r->reason = db_col_text(ar, s, 20);
	r->previous_id = db_col_int64(s, 21);
	r->loop_detected = db_col_int(s, 22) != 0;
	r->fields_json = db_col_text(ar, s, 23);
	r->family_ext = db_col_text(ar, s, 24);
	r->from_ext = db_col_text(ar, s, 25);
	r->to_ext = db_col_text(ar, s, 26);
	r->corridor_ext = db_col_text(ar, s, 27);
	r->sender_ext = db_col_text(ar, s, 28);
	r->previous_ext = db_col_text(ar, s, 29);
	r->consent_reference = db_col_int(s, 30) != 0;
	r->has_nominative = db_col_int(s, 31) != 0;
	r->refusal_code = db_col_text(ar, s, 32);
}

/* Sets the sides for who; true when who sees r. */
static bool sides(const struct actor *who, struct referral *r)
{
	if (!referral_actor_ok(who))
		return false;
	r->sender_side = who->organisation_id == r->from_org;
	r->receiver_side = who->organisation_id == r->to_org;
	return r->sender_side || r->receiver_side;
}

/* Reads referral id without any visibility check. 0, 1 absent, -1. */
static int load(struct db *db, struct arena *ar, int64_t id, struct referral *out)
{
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "referral.get");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	return 0;
}

int referral_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		 struct referral *out)
{
	if (!referral_actor_ok(who) || id <= 0)
		return 1;
	int r = load(db, ar, id, out);
	if (r != 0)
		return r;
	if (!sides(who, out))
		return 1;
	referral_derive(out, ptime_now(), referral_escape_window(db));
	return 0;
}

/* Binds the filter of REFERRAL_PAGE_BOTH (?1 … ?13). */
static void bind_page_filter(struct arena *ar, struct db_stmt *s, const struct actor *who,
			     const struct referral_filter *f, int64_t now)
{
	db_bind_int64(s, 1, who->organisation_id);
	db_bind_int(s, 2, (int)f->direction);
	db_bind_text(s, 3, f->by_status ? referral_status_code(f->status) : "");
	db_bind_int(s, 4, f->overdue_only ? 1 : 0);
	db_bind_int64(s, 5, now);
	const char *words[REFERRAL_SEARCH_WORDS];
	size_t nw = f->q ? fold_words(ar, f->q, words, REFERRAL_SEARCH_WORDS) : 0;
	for (size_t i = 0; i < REFERRAL_SEARCH_WORDS; i++) {
		bool used = i < nw;
		db_bind_text_copy(s, 6 + (int)i,
				  used ? arena_printf(ar, "%% %s%%", words[i]) : "%");
		db_bind_text_copy(s, 10 + (int)i,
				  used ? arena_printf(ar, "%%%s%%", words[i]) : "%");
	}
}

int referral_list_page(struct db *db, struct arena *ar, const struct actor *who,
		       const struct referral_filter *f, const struct referral_page *pg,
		       struct referral **out, size_t *n, int64_t *total, bool *more)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	*more = false;
	if (!referral_actor_ok(who))
		return 0;
	int64_t now = ptime_now();
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_PAGE_COUNT);
	if (!s)
		return -1;
	bind_page_filter(ar, s, who, f, now);
	int rc = db_step(s);
	*total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	static const enum stmt_id by_direction[] = {[REFERRAL_BOTH] = STMT_REFERRAL_PAGE_ORG,
						    [REFERRAL_SENT] = STMT_REFERRAL_PAGE_SENT,
						    [REFERRAL_RECEIVED] =
							    STMT_REFERRAL_PAGE_RECEIVED};
	if (rc != DB_ROW || !(s = db_stmt(db, by_direction[f->direction]))) {
		db_log_error(db, "referral.list_page");
		return -1;
	}
	bind_page_filter(ar, s, who, f, now);
	db_bind_int64(s, 14, pg->after_sent);
	db_bind_int64(s, 15, pg->after_id);
	db_bind_int64(s, 16, pg->limit + 1); /* one more: whether a page follows */
	db_bind_int64(s, 17, pg->offset);
	int w = referral_escape_window(db);
	struct referral *v = arena_alloc(ar, (size_t)(pg->limit + 1) * sizeof(*v));
	size_t cnt = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (cnt == (size_t)pg->limit) {
			*more = true;
			continue;
		}
		read_row(ar, s, &v[cnt]);
		sides(who, &v[cnt]);
		referral_derive(&v[cnt], now, w);
		cnt++;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "referral.list_page");
		return -1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int referral_count_overdue_for(struct db *db, const struct actor *who, size_t *out)
{
	*out = 0;
	if (!referral_actor_ok(who))
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_OPEN_ORG);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->organisation_id);
	int64_t now = ptime_now();
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		if (ptime_days_between(db_col_int64(s, 0), now) > db_col_double(s, 1))
			(*out)++;
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "referral.count_overdue");
		return -1;
	}
	return 0;
}

int referral_events(struct db *db, struct arena *ar, int64_t id, struct referral_event **out,
		    size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_EVENTS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	struct row_array rows = {0};
	struct referral_event *e;
	while ((e = row_next(db, s, ar, &rows, sizeof(*e), "referral.events"))) {
		e->at = db_col_int64(s, 0);
		e->person_id = db_col_int64(s, 1);
		e->person_name = db_col_text(ar, s, 2);
		e->organisation_name = db_col_text(ar, s, 3);
		if (referral_status_parse(db_col_cstr(s, 4), &e->action) < 0)
			e->action = REFERRAL_ENVOYEE; /* the table's CHECK allows no other */
		e->reason = db_col_text(ar, s, 5);
		e->person_ext = db_col_text(ar, s, 6);
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* ---- Corridors and organisations ---- */

static void read_corridor(struct arena *ar, struct db_stmt *s, struct referral_corridor *c)
{
	memset(c, 0, sizeof(*c));
	c->id = db_col_int64(s, 0);
	c->name = db_col_text(ar, s, 1);
	c->entry_org = db_col_int64(s, 2);
	c->entry_name = db_col_text(ar, s, 3);
	c->target_days = db_col_double(s, 4);
	c->need = db_col_text(ar, s, 6);
	c->ext_id = db_col_text(ar, s, 7);
}

static int corridor_fields(struct db *db, struct arena *ar, struct referral_corridor *c)
{
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_CORRIDOR_FIELDS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, c->id);
	struct row_array rows = {0};
	const char **f;
	while ((f = row_next(db, s, ar, &rows, sizeof(*f), "referral.corridor_fields")))
		*f = db_col_text(ar, s, 0);
	c->fields = rows.v;
	c->n_fields = rows.n;
	return rows.rc;
}

static void today(char out[11])
{
	struct pdate d = ptime_local_date(ptime_now());
	ptime_format_date(&d, out);
}

int referral_corridors_for(struct db *db, struct arena *ar, const struct actor *who,
			   struct referral_corridor **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!referral_actor_ok(who))
		return 0;
	char day[11];
	today(day);
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_CORRIDORS_FOR);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->organisation_id);
	db_bind_int64(s, 2, who->territory_id);
	db_bind_text_copy(s, 3, day);
	struct row_array rows = {0};
	struct referral_corridor *c;
	while ((c = row_next(db, s, ar, &rows, sizeof(*c), "referral.corridors")))
		read_corridor(ar, s, c);
	if (rows.rc < 0)
		return -1;
	struct referral_corridor *v = rows.v;
	size_t cnt = rows.n;
	for (size_t i = 0; i < cnt; i++)
		if (corridor_fields(db, ar, &v[i]) < 0)
			return -1;
	*out = v;
	*n = cnt;
	return 0;
}

int referral_corridor_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			  struct referral_corridor *out)
{
	struct referral_corridor *v;
	size_t n;
	if (referral_corridors_for(db, ar, who, &v, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id) {
			*out = v[i];
			return 0;
		}
	return 1;
}

int referral_organisations(struct db *db, struct arena *ar, const struct actor *who,
			   struct referral_org **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!referral_actor_ok(who))
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_ORGANISATIONS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->organisation_id);
	struct row_array rows = {0};
	struct referral_org *o;
	while ((o = row_next(db, s, ar, &rows, sizeof(*o), "referral.organisations"))) {
		o->id = db_col_int64(s, 0);
		o->name = db_col_text(ar, s, 1);
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

static bool org_exists(struct db *db, int64_t id)
{
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_ORGANISATION_NAME);
	if (!s)
		return false;
	db_bind_int64(s, 1, id);
	bool ok = db_step(s) == DB_ROW;
	db_reset(s);
	return ok;
}

/* ---- Writing ---- */

static bool text_ok(const char *s, size_t max_chars)
{
	return s && utf8_valid_str(s) && utf8_length(s, strlen(s)) <= max_chars;
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

static int add_event(struct db *db, int64_t id, int64_t at, int64_t person,
		     enum referral_status action, const char *reason)
{
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_EVENT_ADD);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, at);
	if (person)
		db_bind_int64(s, 3, person);
	db_bind_text(s, 4, referral_status_code(action));
	if (reason)
		db_bind_text(s, 5, reason);
	if (row_exec(db, s, "referral.event") < 0)
		return -1;
	return 0;
}

/* The template values as a JSON object, or NULL when there are none. */
static const char *fields_to_json(struct arena *ar, const struct referral_field *f, size_t n)
{
	if (!n)
		return NULL;
	struct buf b = BUF_INIT(256 * 1024);
	struct jsonw w;
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	for (size_t i = 0; i < n; i++)
		jsonw_kv_str(&w, f[i].field, f[i].value);
	jsonw_obj_end(&w);
	const char *s = jsonw_finish(&w) == 0 ? arena_strndup(ar, b.data, b.len) : NULL;
	buf_free(&b);
	return s;
}

static const char *field_value(const struct referral_new *in, const char *code)
{
	for (size_t i = 0; i < in->n_fields; i++)
		if (in->fields[i].field && strcmp(in->fields[i].field, code) == 0)
			return in->fields[i].value;
	return NULL;
}

/* Checks in for a referral from org (family f already visible); fills
 * *to, *c (when through a corridor). Errors to v. 0 or -1 (database). */
static int check_new(struct db *db, struct arena *ar, const struct actor *who,
		     const struct referral_new *in, const struct family *f, int64_t from_org,
		     struct referral_corridor *c, int64_t *to, struct validation *v)
{
	*to = 0;
	memset(c, 0, sizeof(*c));
	if (!f->consent_reference)
		validation_add(v, "consent",
			       N_("La famille n'a pas consenti à être référée : son consentement "
				  "ne couvre pas la référence vers un autre organisme."));
	if (in->corridor_id) {
		int r = referral_corridor_get(db, ar, who, in->corridor_id, c);
		if (r < 0)
			return -1;
		if (r > 0) {
			validation_add(v, "corridor",
				       N_("Ce corridor n'est pas actif aujourd'hui sur votre "
					  "territoire."));
		} else if (c->entry_org == from_org) {
			validation_add(v, "corridor",
				       N_("Ce corridor mène à votre propre organisation."));
		} else {
			*to = c->entry_org;
			for (size_t i = 0; i < c->n_fields; i++) {
				const char *val = field_value(in, c->fields[i]);
				const char *name = arena_printf(ar, "fields.%s", c->fields[i]);
				if (blank(val))
					validation_add(v, name,
						       N_("Ce champ du gabarit de transfert est "
							  "obligatoire."));
				else if (!text_ok(val, REFERRAL_FIELD_MAX))
					validation_add(
						v, name,
						N_("Ce champ est limité à 1000 caractères."));
			}
			for (size_t i = 0; i < in->n_fields; i++) {
				bool known = false;
				for (size_t k = 0; k < c->n_fields && !known; k++)
					known = strcmp(c->fields[k], in->fields[i].field) == 0;
				if (!known)
					validation_add(
						v,
						arena_printf(ar, "fields.%s", in->fields[i].field),
						N_("Ce champ ne fait pas partie du gabarit du "
						   "corridor."));
			}
		}
	} else if (!in->to_org) {
		validation_add(v, "to_organisation",
			       N_("Choisissez un corridor ou l'organisation qui recevra la "
				  "famille."));
	} else if (in->to_org == from_org) {
		validation_add(v, "to_organisation",
			       N_("Choisissez une autre organisation que la vôtre."));
	} else if (!org_exists(db, in->to_org)) {
		validation_add(v, "to_organisation", N_("Cette organisation n'existe pas."));
	} else {
		*to = in->to_org;
		if (in->n_fields)
			validation_add(
				v, "fields",
				N_("Une référence directe n'a pas de gabarit de transfert."));
	}
	if (in->need && *in->need && !refdata_valid(db, REF_NEED, in->need, from_org))
		validation_add(v, "need", N_("Cette valeur ne fait pas partie de la liste."));
	if (in->first_contact_at > ptime_now())
		validation_add(v, "first_contact_at",
			       N_("Le premier contact ne peut pas être dans le futur."));
	if (in->ext_id) {
		int64_t taken;
		int r = lookup_ext(db, EXT_REFERRAL, in->ext_id, &taken);
		if (r < 0)
			return -1;
		if (r == 0)
			validation_add(v, "id", N_("Une référence porte déjà cet identifiant."));
	}
	return 0;
}

/* Inserts the referral and its first event, and logs the communication
 * of the family's contact details to the receiving organisation. */
static int insert(struct db *db, struct arena *ar, const struct actor *who,
		  const struct referral_new *in, const struct family *f, int64_t from_org,
		  int64_t to_org, int64_t previous, bool loop, int64_t *id_out)
{
	const char *ext = in->ext_id;
	if (!ext)
		ext = row_new_ext_id(ar, "ref");
	int64_t now = ptime_now();
	const char *fields = fields_to_json(ar, in->fields, in->n_fields);
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_INSERT);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, ext);
	db_bind_int64(s, 2, f->id);
	db_bind_int64(s, 3, from_org);
	db_bind_int64(s, 4, to_org);
	if (in->corridor_id)
		db_bind_int64(s, 5, in->corridor_id);
	if (in->need && *in->need)
		db_bind_text_copy(s, 6, in->need);
	db_bind_int64(s, 7, who->person_id);
	if (in->first_contact_at)
		db_bind_int64(s, 8, in->first_contact_at);
	db_bind_int64(s, 9, now);
	if (previous)
		db_bind_int64(s, 10, previous);
	db_bind_int(s, 11, loop ? 1 : 0);
	if (fields)
		db_bind_text_copy(s, 12, fields);
	db_bind_int64(s, 13, cellkey_draw());
	if (row_exec(db, s, "referral.insert") < 0)
		return -1;
	int64_t id = db_last_insert_id(db);
	if (trajectory_refresh(db, id) < 0 ||
	    add_event(db, id, now, who->person_id, REFERRAL_ENVOYEE, NULL) < 0 ||
	    inbox_notify_organisation(db, to_org, false, 0, INBOX_REFERRAL_RECEIVED, id, NULL,
				      now) < 0)
		return -1;
	if (f->has_nominative || fields) {
		struct audit_entry e = {
			.actor_id = who->person_id,
			.action = "communicate",
			.object_kind = "family",
			.object_id = f->id,
			.information = f->has_nominative && fields
					       ? "nominative.name,nominative.phone,referral.fields"
				       : fields ? "referral.fields"
						: "nominative.name,nominative.phone",
			.recipient_id = to_org,
			.purpose = "reference",
		};
		if (audit_append(db, &e) < 0)
			return -1;
	}
	*id_out = id;
	return 0;
}

/* The family of a new referral as the model needs it (consent and whether
 * contact details exist), without the visibility of family_get: the
 * caller checked it. 0, 1 absent, -1. */
static int family_row(struct db *db, struct arena *ar, int64_t id, struct family *f)
{
	struct actor sys = {.role = ROLE_GESTIONNAIRE};
	struct db_stmt *s = db_stmt(db, STMT_FAMILY_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	int64_t org = rc == DB_ROW ? db_col_int64(s, 2) : 0;
	db_reset(s);
	if (rc == DB_DONE)
		return 1;
	if (rc != DB_ROW)
		return -1;
	sys.organisation_id = org;
	return family_get(db, ar, &sys, id, f);
}

enum perr referral_create(struct db *db, struct arena *ar, const struct actor *who,
			  const struct referral_new *in, struct validation *v, int64_t *id_out)
{
	*id_out = 0;
	if (!referral_actor_ok(who))
		return PERR_FORBIDDEN;
	struct family f;
	if (!in->family_id) {
		validation_add(v, "family", N_("Choisissez la famille à référer."));
		return PERR_UNPROCESSABLE;
	}
	enum perr e = perr_found(family_get(db, ar, who, in->family_id, &f));
	if (e != PERR_OK)
		return e;
	if (f.closed && *f.closed)
		validation_add(v, "family",
			       N_("Le suivi de cette famille est fermé : rouvrez-le avant de la "
				  "référer."));
	struct referral_corridor c;
	int64_t to;
	if (check_new(db, ar, who, in, &f, who->organisation_id, &c, &to, v) < 0)
		return PERR_UNAVAILABLE;
	if (v->n)
		return PERR_UNPROCESSABLE;
	struct referral_new copy = *in;
	if (!copy.need && c.need)
		copy.need = c.need;
	if (insert(db, ar, who, &copy, &f, who->organisation_id, to, 0, false, id_out) < 0)
		return PERR_INTERNAL;
	return PERR_OK;
}

/* Loads id for an action by who on side (true: receiving). */
static enum perr load_for_action(struct db *db, struct arena *ar, const struct actor *who,
				 int64_t id, bool receiving, struct referral *r,
				 struct validation *v)
{
	enum perr e = perr_found(referral_get(db, ar, who, id, r));
	if (e != PERR_OK)
		return e;
	if (receiving ? !r->receiver_side : !r->sender_side)
		return PERR_FORBIDDEN;
	if (r->has_outcome || r->taken_at) {
		validation_add(v, "status",
			       N_("Cette référence est déjà fermée : son statut ne peut plus "
				  "changer."));
		return PERR_CONFLICT;
	}
	return PERR_OK;
}

static enum perr check_reason(const char *reason, struct validation *v)
{
	if (blank(reason)) {
		validation_add(v, "reason", N_("Indiquez la raison : elle est obligatoire."));
		return PERR_UNPROCESSABLE;
	}
	if (!text_ok(reason, REFERRAL_REASON_MAX)) {
		validation_add(v, "reason", N_("La raison est limitée à 2000 caractères."));
		return PERR_UNPROCESSABLE;
	}
	return PERR_OK;
}

static int close_as(struct db *db, int64_t id, int64_t now, enum referral_status outcome,
		    const char *reason, const char *refusal_code)
{
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_SET_CLOSED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, now);
	db_bind_text(s, 3, referral_status_code(outcome));
	row_bind_opt(s, 4, reason);
	row_bind_opt(s, 5, refusal_code);
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE || db_changes(db) != 1) {
		db_log_error(db, "referral.close");
		return -1;
	}
	return trajectory_refresh(db, id);
}

/* The optional feedback of an acknowledgement or a take-in-charge: NULL
 * when blank; an error on "reason" when too long. */
static enum perr check_feedback(const char **reason, struct validation *v)
{
	if (blank(*reason)) {
		*reason = NULL;
		return PERR_OK;
	}
	if (!text_ok(*reason, REFERRAL_REASON_MAX)) {
		validation_add(v, "reason", N_("La raison est limitée à 2000 caractères."));
		return PERR_UNPROCESSABLE;
	}
	return PERR_OK;
}

/* Acknowledges referral r (receiving side), with an optional note. */
static enum perr acknowledge(struct db *db, const struct actor *who, const struct referral *r,
			     int64_t now, const char *note, struct validation *v)
{
	if (r->received_at) {
		validation_add(v, "status", N_("La réception a déjà été confirmée."));
		return PERR_CONFLICT;
	}
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_SET_RECEIVED);
	if (!s)
		return PERR_UNAVAILABLE;
	db_bind_int64(s, 1, r->id);
	db_bind_int64(s, 2, now);
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE || add_event(db, r->id, now, who->person_id, REFERRAL_RECUE, note) < 0)
		return PERR_INTERNAL;
	return PERR_OK;
}

/* Tells the sender of r what became of it: the person who sent it, or
 * the sending organisation's managers when the sender is not known (an
 * imported referral). */
static int tell_sender(struct db *db, const struct referral *r, enum inbox_kind kind, int64_t now)
{
	if (r->sender_id)
		return inbox_notify_person(db, r->sender_id, kind, r->id, NULL, now);
	return inbox_notify_organisation(db, r->from_org, true, 0, kind, r->id, NULL, now);
}

/* Refuses r with an optional code (checked) and reason. */
static enum perr refuse(struct db *db, const struct actor *who, const struct referral *r,
			int64_t now, const char *code, const char *reason)
{
	if (close_as(db, r->id, now, REFERRAL_REFUSEE, reason, code) < 0 ||
	    add_event(db, r->id, now, who->person_id, REFERRAL_REFUSEE, reason) < 0 ||
	    tell_sender(db, r, INBOX_REFERRAL_REFUSED, now) < 0)
		return PERR_INTERNAL;
	return PERR_OK;
}

/* Takes referral r in charge (receiving side). The feedback, when given,
 * is what the sender learns of the outcome (the closed loop of seed 002):
 * kept as the referral's reason and on its history entry. */
static enum perr take(struct db *db, const struct actor *who, const struct referral *r, int64_t now,
		      const char *feedback)
{
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_SET_TAKEN);
	if (!s)
		return PERR_UNAVAILABLE;
	db_bind_int64(s, 1, r->id);
	db_bind_int64(s, 2, now);
	if (feedback)
		db_bind_text(s, 3, feedback);
	else
		db_bind_null(s, 3);
	int rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE || trajectory_refresh(db, r->id) < 0 ||
	    (!r->received_at &&
	     add_event(db, r->id, now, who->person_id, REFERRAL_RECUE, NULL) < 0) ||
	    add_event(db, r->id, now, who->person_id, REFERRAL_PRISE_EN_CHARGE, feedback) < 0 ||
	    tell_sender(db, r, INBOX_REFERRAL_TAKEN, now) < 0)
		return PERR_INTERNAL;
	return PERR_OK;
}

enum perr referral_act(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		       enum referral_action act, const char *reason, struct validation *v)
{
	struct referral r;
	enum perr e = load_for_action(db, ar, who, id, act != REFERRAL_LOST, &r, v);
	if (e != PERR_OK)
		return e;
	int64_t now = ptime_now();
	switch (act) {
	case REFERRAL_ACKNOWLEDGE:
	case REFERRAL_TAKE:
		e = check_feedback(&reason, v);
		if (e != PERR_OK)
			return e;
		return act == REFERRAL_TAKE ? take(db, who, &r, now, reason)
					    : acknowledge(db, who, &r, now, reason, v);
	case REFERRAL_REFUSE:
	case REFERRAL_LOST:
		e = check_reason(reason, v);
		if (e != PERR_OK)
			return e;
		if (act == REFERRAL_REFUSE)
			return refuse(db, who, &r, now, NULL, reason);
		if (close_as(db, id, now, REFERRAL_PERDUE, reason, NULL) < 0 ||
		    add_event(db, id, now, who->person_id, REFERRAL_PERDUE, reason) < 0)
			return PERR_INTERNAL;
		return PERR_OK;
	}
	return PERR_INTERNAL;
}

enum perr referral_refuse(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			  const char *code, const char *reason, struct validation *v)
{
	if (blank(code))
		return referral_act(db, ar, who, id, REFERRAL_REFUSE, reason, v);
	struct referral r;
	enum perr e = load_for_action(db, ar, who, id, true, &r, v);
	if (e != PERR_OK)
		return e;
	if (!referral_refusal_label(code)) {
		validation_add(v, "refusal_code", N_("Choisissez une raison de la liste."));
		return PERR_UNPROCESSABLE;
	}
	if (strcmp(code, "autre") == 0)
		e = check_reason(reason, v);
	else
		e = check_feedback(&reason, v);
	if (e != PERR_OK)
		return e;
	return refuse(db, who, &r, ptime_now(), code, reason);
}

/* The first referral of the trajectory of id (following previous_id),
 * collecting the organisations met: the first sender, then each receiver.
 * 0 or -1. */
static int chain_orgs(struct db *db, struct arena *ar, int64_t id, int64_t **orgs, size_t *n)
{
	int64_t *v = NULL;
	size_t cnt = 0, cap = 0;
	/* A chain cannot be longer than the table; the bound guards a cycle
	 * written by hand in the database. */
	for (int guard = 0; id && guard < 10000; guard++) {
		struct referral r;
		int g = load(db, ar, id, &r);
		if (g < 0)
			return -1;
		if (g > 0)
			break;
		v = arena_grow(ar, v, cnt, &cap, sizeof(*v));
		v[cnt++] = r.to_org;
		if (!r.previous_id) {
			v = arena_grow(ar, v, cnt, &cap, sizeof(*v));
			v[cnt++] = r.from_org;
		}
		id = r.previous_id;
	}
	*orgs = v;
	*n = cnt;
	return 0;
}

int referral_would_loop(struct db *db, int64_t id, int64_t to_org, bool *loop)
{
	*loop = false;
	struct arena *ar = arena_new(4096);
	int64_t *orgs;
	size_t n;
	int r = chain_orgs(db, ar, id, &orgs, &n);
	for (size_t i = 0; r == 0 && i < n && !*loop; i++)
		*loop = orgs[i] == to_org;
	arena_free(ar);
	return r;
}

enum perr referral_reorient(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			    const struct referral_new *next, const char *reason, bool confirm_loop,
			    bool *loop, struct validation *v, int64_t *new_id)
{
	*loop = false;
	*new_id = 0;
	struct referral r;
	enum perr e = load_for_action(db, ar, who, id, true, &r, v);
	if (e != PERR_OK)
		return e;
	struct family f;
	int fr = family_row(db, ar, r.family_id, &f);
	if (fr != 0)
		return fr < 0 ? PERR_UNAVAILABLE : PERR_INTERNAL;
	struct referral_new in = *next;
	in.family_id = r.family_id;
	if (!in.need)
		in.need = r.need;
	if (!in.first_contact_at)
		in.first_contact_at = r.first_contact_at;
	struct referral_corridor c;
	int64_t to;
	/* Check the rest too, so every error shows at once. */
	(void)check_reason(reason, v);
	if (check_new(db, ar, who, &in, &f, r.to_org, &c, &to, v) < 0)
		return PERR_UNAVAILABLE;
	if (v->n)
		return PERR_UNPROCESSABLE;
	if (!in.need && c.need)
		in.need = c.need;
	if (referral_would_loop(db, id, to, loop) < 0)
		return PERR_UNAVAILABLE;
	if (*loop && !confirm_loop) {
		validation_add(v, "confirm_loop",
			       N_("Cette famille est déjà passée par cette organisation : la "
				  "réorienter vers elle forme un renvoi en boucle. Confirmez pour "
				  "continuer."));
		return PERR_CONFLICT;
	}
	int64_t now = ptime_now();
	if (close_as(db, id, now, REFERRAL_REORIENTEE, reason, NULL) < 0 ||
	    add_event(db, id, now, who->person_id, REFERRAL_REORIENTEE, reason) < 0 ||
	    tell_sender(db, &r, INBOX_REFERRAL_REORIENTED, now) < 0)
		return PERR_INTERNAL;
	if (insert(db, ar, who, &in, &f, r.to_org, to, id, *loop, new_id) < 0)
		return PERR_INTERNAL;
	return PERR_OK;
}

static int64_t next_of(struct db *db, int64_t id)
{
	struct db_stmt *s = db_stmt(db, STMT_REFERRAL_NEXT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int rc = db_step(s);
	int64_t n = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_log_error(db, "referral.next");
		return -1;
	}
	return n;
}

int referral_trajectory(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			struct referral_step **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct referral r;
	int g = referral_get(db, ar, who, id, &r);
	if (g != 0)
		return g;
	/* Back to the first referral. */
	int64_t first = r.id;
	for (int guard = 0; guard < 10000; guard++) {
		struct referral p;
		if (!r.previous_id)
			break;
		g = load(db, ar, r.previous_id, &p);
		if (g < 0)
			return -1;
		if (g > 0)
			break;
		r = p;
		first = r.id;
	}
	int64_t now = ptime_now();
	int w = referral_escape_window(db);
	struct referral_step *v = NULL;
	size_t cnt = 0, cap = 0;
	for (int64_t cur = first; cur > 0 && cnt < 10000;) {
		v = arena_grow(ar, v, cnt, &cap, sizeof(*v));
		struct referral_step *st = &v[cnt];
		if (load(db, ar, cur, &st->r) != 0)
			return -1;
		sides(who, &st->r);
		referral_derive(&st->r, now, w);
		int64_t end = st->r.taken_at ? st->r.taken_at : st->r.closed_at;
		st->open = !end;
		st->days = ind_round1(ptime_days_between(st->r.sent_at, end ? end : now));
		cnt++;
		cur = next_of(db, cur);
		if (cur < 0)
			return -1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* ---- Nominative data for the receiving side ---- */

bool referral_contact_allowed(const struct actor *who, struct db *db, const struct referral *r)
{
	(void)db;
	return referral_actor_ok(who) && who->organisation_id == r->to_org &&
	       r->consent_reference && r->has_nominative &&
	       (!r->has_outcome || r->outcome == REFERRAL_PRISE_EN_CHARGE);
}

int referral_read_contact(struct db *db, struct arena *ar, const struct actor *who,
			  const struct referral *r, struct nominative *out)
{
	memset(out, 0, sizeof(*out));
	if (!referral_contact_allowed(who, db, r))
		return 1;
	struct audit_entry e = {.actor_id = who->person_id,
				.action = "read",
				.object_kind = "family",
				.object_id = r->family_id,
				.information = "nominative.name,nominative.phone",
				.recipient_id = r->to_org,
				.purpose = "reference"};
	/* Name and phone only: the address is not needed to make contact. */
	return family_open_nominative(db, ar, r->family_id, &e, false, out);
}

int referral_read_fields(struct db *db, struct arena *ar, const struct actor *who,
			 const struct referral *r, struct referral_field **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!r->fields_json || !referral_actor_ok(who))
		return 0;
	json_t *o = json_loads(r->fields_json, 0, NULL);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return 0;
	}
	size_t cnt = json_object_size(o), k = 0;
	struct referral_field *v = arena_calloc(ar, cnt ? cnt : 1, sizeof(*v));
	const char *key;
	json_t *val;
	json_object_foreach(o, key, val)
	{
		v[k].field = arena_strdup(ar, key);
		v[k].value = json_is_string(val) ? arena_strdup(ar, json_string_value(val)) : "";
		k++;
	}
	json_decref(o);
	if (!k)
		return 0;
	struct audit_entry e = {.actor_id = who->person_id,
				.action = "read",
				.object_kind = "referral",
				.object_id = r->id,
				.information = "referral.fields",
				.recipient_id = r->to_org,
				.purpose = "reference"};
	if (audit_record(db, &e) < 0)
		return -1;
	*out = v;
	*n = k;
	return 0;
}

/* ---- Reminders and expiry (the background schedule) ---- */

/* One due referral as the reminder and expiry read it. */
struct due {
	int64_t id, from_org, to_org, sender;
};

/* Reads at most REFERRAL_DUE_BATCH due referrals of statement sid sent
 * before cutoff. 0 or -1. */
static int read_due(struct db *db, struct arena *ar, enum stmt_id sid, int64_t cutoff,
		    struct due **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, cutoff);
	db_bind_int64(s, 2, REFERRAL_DUE_BATCH);
	struct row_array rows = {0};
	struct due *d;
	while ((d = row_next(db, s, ar, &rows, sizeof(*d), "referral.due"))) {
		d->id = db_col_int64(s, 0);
		d->from_org = db_col_int64(s, 1);
		d->to_org = db_col_int64(s, 2);
		d->sender = db_col_int64(s, 3);
	}
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

/* Tells both sides of d: the receiving organisation's people and the
 * sender (or the sending organisation's managers). */
static int tell_both(struct db *db, const struct due *d, enum inbox_kind kind, int64_t now)
{
	if (inbox_notify_organisation(db, d->to_org, false, 0, kind, d->id, NULL, now) < 0)
		return -1;
	if (d->sender)
		return inbox_notify_person(db, d->sender, kind, d->id, NULL, now);
	return inbox_notify_organisation(db, d->from_org, true, 0, kind, d->id, NULL, now);
}

int referral_remind_due(struct db *db, int64_t now, size_t *done)
{
	*done = 0;
	int days = settings_int(db, SETTING_REFERRAL_REMINDER_DAYS);
	if (days <= 0)
		return 0;
	struct arena *ar = arena_new(8192);
	struct due *v;
	size_t n;
	int rc = read_due(db, ar, STMT_REMINDER_DUE, now - (int64_t)days * 86400, &v, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct db_stmt *s = db_stmt(db, STMT_REMINDER_SET);
		if (!s) {
			rc = -1;
			break;
		}
		db_bind_int64(s, 1, v[i].id);
		db_bind_int64(s, 2, now);
		if (row_exec(db, s, "referral.remind") < 0 ||
		    tell_both(db, &v[i], INBOX_REFERRAL_REMINDER, now) < 0)
			rc = -1;
		else
			(*done)++;
	}
	arena_free(ar);
	return rc;
}

int referral_expire_due(struct db *db, int64_t now, size_t *done)
{
	*done = 0;
	int days = settings_int(db, SETTING_REFERRAL_EXPIRY_DAYS);
	if (days <= 0)
		return 0;
	struct arena *ar = arena_new(8192);
	struct due *v;
	size_t n;
	int rc = read_due(db, ar, STMT_EXPIRY_DUE, now - (int64_t)days * 86400, &v, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (close_as(db, v[i].id, now, REFERRAL_PERDUE, NULL, NULL) < 0 ||
		    add_event(db, v[i].id, now, 0, REFERRAL_PERDUE, NULL) < 0 ||
		    tell_both(db, &v[i], INBOX_REFERRAL_EXPIRED, now) < 0)
			rc = -1;
		else
			(*done)++;
	}
	arena_free(ar);
	return rc;
}
