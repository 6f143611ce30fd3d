#include "model/privacy.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "model/row.h"

bool privacy_reads_registers(struct db *db, const struct actor *who)
{
	if (!who || who->role <= ROLE_NONE)
		return false;
	if (who->role == ROLE_ADMIN)
		return true;
	if (!who->organisation_id)
		return false;
	struct db_stmt *s = db_stmt(db, STMT_PERSON_PRIVACY_OFFICER);
	if (!s)
		return false;
	db_bind_int64(s, 1, who->person_id);
	int rc = db_step(s);
	bool on = rc == DB_ROW && db_col_int(s, 0) != 0;
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		db_log_error(db, "privacy.officer");
	return on;
}

int64_t privacy_scope(const struct actor *who)
{
	return who->role == ROLE_ADMIN ? 0 : who->organisation_id;
}

bool privacy_may_manage(struct db *db, const struct actor *who, int64_t organisation_id)
{
	if (!organisation_id || !privacy_reads_registers(db, who))
		return false;
	return who->role == ROLE_ADMIN || who->organisation_id == organisation_id;
}

/* The instants [from, to + 1 day) of a period. 0 or -1. */
static int period_instants(const struct privacy_period *p, int64_t *from, int64_t *to)
{
	struct pdate f, t;
	if (!p->from || !p->to || ptime_parse_date(p->from, &f) < 0 ||
	    ptime_parse_date(p->to, &t) < 0)
		return -1;
	t = ptime_civil_from_days(ptime_days_from_civil(&t) + 1);
	*from = ptime_date_start(&f);
	*to = ptime_date_start(&t);
	return 0;
}

static void read_access(struct arena *ar, struct db_stmt *s, struct access_entry *e)
{
	e->id = db_col_int64(s, 0);
	e->at = db_col_int64(s, 1);
	e->actor_id = db_col_int64(s, 2);
	e->actor_name = db_col_text(ar, s, 3);
	e->actor_organisation = db_col_text(ar, s, 4);
	e->action = db_col_text(ar, s, 5);
	e->object_kind = db_col_text(ar, s, 6);
	e->object_id = db_col_int64(s, 7);
	e->family_id = db_col_int64(s, 8);
	e->information = db_col_text(ar, s, 9);
	e->recipient_id = db_col_int64(s, 10);
	e->recipient_name = db_col_text(ar, s, 11);
	e->purpose = db_col_text(ar, s, 12);
}

int privacy_access_list(struct db *db, struct arena *ar, const struct actor *who,
			const struct access_filter *f, struct access_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t from, to;
	if (!privacy_reads_registers(db, who) || period_instants(&f->period, &from, &to) < 0)
		return -1;
	int64_t hi = to - 1;
	if (f->before_id) {
		/* The page's last entry: the next page starts at its instant. */
		struct db_stmt *c = db_stmt(db, STMT_ACCESS_AT);
		if (!c)
			return -1;
		db_bind_int64(c, 1, f->before_id);
		if (db_step(c) == DB_ROW && db_col_int64(c, 0) < hi)
			hi = db_col_int64(c, 0);
		db_reset(c);
	}
	int64_t org = privacy_scope(who);
	struct db_stmt *s = db_stmt(db, org ? STMT_ACCESS_LIST_ORG : STMT_ACCESS_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, hi);
	db_bind_int64(s, 3, f->person_id);
	db_bind_int64(s, 4, f->family_id);
	db_bind_text(s, 5, f->action);
	db_bind_int64(s, 6, f->before_id);
	db_bind_int(s, 7, f->limit > 0 ? f->limit : PRIVACY_PAGE);
	if (org)
		db_bind_int64(s, 8, org);
	struct row_array rows = {0};
	struct access_entry *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "privacy.access_list")))
		read_access(ar, s, it);
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int privacy_access_people(struct db *db, struct arena *ar, const struct actor *who,
			  struct privacy_person **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!privacy_reads_registers(db, who))
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_ACCESS_PEOPLE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, privacy_scope(who));
	struct row_array rows = {0};
	struct privacy_person *p;
	while ((p = row_next(db, s, ar, &rows, sizeof(*p), "privacy.access_people"))) {
		p->id = db_col_int64(s, 0);
		p->name = db_col_text(ar, s, 1);
		p->organisation = db_col_text(ar, s, 2);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int privacy_communications(struct db *db, struct arena *ar, const struct actor *who,
			   const struct privacy_period *p, int limit, struct access_entry **out,
			   size_t *n)
{
	struct access_filter f = {.period = *p, .action = "communicate", .limit = limit};
	return privacy_access_list(db, ar, who, &f, out, n);
}

/* "key=value;…" of the register's rule and what columns: the integer
 * after "key=", or 0. */
static int64_t field_int(const char *s, const char *key)
{
	const char *p = s ? strstr(s, key) : NULL;
	if (!p || p[strlen(key)] != '=')
		return 0;
	long long v = 0;
	return sscanf(p + strlen(key) + 1, "%lld", &v) == 1 ? v : 0;
}

/* The text after "key=" up to ';', copied into the arena, or NULL. */
static const char *field_text(struct arena *ar, const char *s, const char *key)
{
	const char *p = s ? strstr(s, key) : NULL;
	if (!p || p[strlen(key)] != '=')
		return NULL;
	p += strlen(key) + 1;
	return arena_strndup(ar, p, strcspn(p, ";"));
}

int privacy_anonymisations(struct db *db, struct arena *ar, const struct actor *who,
			   const struct privacy_period *p, int limit,
			   struct anonymisation_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t from, to;
	if (!privacy_reads_registers(db, who) || period_instants(p, &from, &to) < 0)
		return -1;
	struct db_stmt *s = db_stmt(db, STMT_ANON_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, from);
	db_bind_int64(s, 2, to);
	db_bind_int64(s, 3, privacy_scope(who));
	db_bind_int(s, 4, limit > 0 ? limit : PRIVACY_MAX_ROWS + 1);
	struct row_array rows = {0};
	struct anonymisation_entry *e;
	while ((e = row_next(db, s, ar, &rows, sizeof(*e), "privacy.anonymisations"))) {
		e->id = db_col_int64(s, 0);
		e->at = db_col_int64(s, 1);
		e->family_id = db_col_int64(s, 2);
		e->organisation_id = db_col_int64(s, 3);
		e->organisation_name = db_col_text(ar, s, 4);
		e->actor_name = db_col_text(ar, s, 5);
		e->method = db_col_text(ar, s, 6);
		e->reason = db_col_text(ar, s, 7);
		const char *rule = db_col_cstr(s, 8), *what = db_col_cstr(s, 9);
		e->months = (int)field_int(rule, "months");
		e->closed = field_text(ar, rule, "closed");
		e->nominative = field_int(what, "nominative") != 0;
		e->notes = field_int(what, "notes");
		e->stories = field_int(what, "stories");
		e->referrals = field_int(what, "referrals");
		e->reasons = field_int(what, "reasons");
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

/* ---- Incidents ---- */

static void read_incident(struct arena *ar, struct db_stmt *s, struct incident *in)
{
	in->id = db_col_int64(s, 0);
	in->organisation_id = db_col_int64(s, 1);
	in->organisation_name = db_col_text(ar, s, 2);
	in->information = db_col_text(ar, s, 3);
	in->circumstances = db_col_text(ar, s, 4);
	in->occurred_on = db_col_text(ar, s, 5);
	in->occurred_to = db_col_text(ar, s, 6);
	in->discovered_on = db_col_text(ar, s, 7);
	in->people_count = db_col_int64(s, 8);
	in->risk_assessment = db_col_text(ar, s, 9);
	in->serious_risk = db_col_int(s, 10) != 0;
	in->notice_commission_on = db_col_text(ar, s, 11);
	in->notice_people_on = db_col_text(ar, s, 12);
	in->notices_sent = db_col_text(ar, s, 13);
	in->measures_taken = db_col_text(ar, s, 14);
	in->recorded_by_name = db_col_text(ar, s, 15);
	in->updated_by_name = db_col_text(ar, s, 16);
	in->recorded_at = db_col_int64(s, 17);
	in->updated_at = db_col_int64(s, 18);
}

int privacy_incidents(struct db *db, struct arena *ar, const struct actor *who,
		      const struct privacy_period *p, struct incident **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!privacy_reads_registers(db, who))
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_INCIDENT_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, privacy_scope(who));
	db_bind_text(s, 2, p ? p->from : NULL);
	db_bind_text(s, 3, p ? p->to : NULL);
	struct row_array rows = {0};
	struct incident *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "privacy.incidents")))
		read_incident(ar, s, it);
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int privacy_incident_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
			 struct incident *out)
{
	if (!privacy_reads_registers(db, who))
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_INCIDENT_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "privacy.incident");
	if (r != 0)
		return r;
	read_incident(ar, s, out);
	db_reset(s);
	int64_t scope = privacy_scope(who);
	return scope && out->organisation_id != scope ? 1 : 0;
}

static bool text_fits(const char *s, size_t max)
{
	return !s || (utf8_valid_str(s) && utf8_length(s, strlen(s)) <= max);
}

/* A required text field. */
static void need_text(struct validation *v, const char *field, const char *s)
{
	if (!s || !*s)
		validation_add(v, field, N_("Ce champ est obligatoire."));
	else if (!text_fits(s, INCIDENT_TEXT_MAX))
		validation_add(v, field, N_("Ce champ est limité à 4000 caractères."));
}

/* An optional date, not after today, not before not_before (may be NULL). */
static void check_date(struct validation *v, const char *field, const char *s, bool required,
		       const char *not_before, const char *today)
{
	struct pdate d;
	if (!s || !*s) {
		if (required)
			validation_add(v, field, N_("Entrez une date valide (AAAA-MM-JJ)."));
	} else if (ptime_parse_date(s, &d) < 0) {
		validation_add(v, field, N_("Entrez une date valide (AAAA-MM-JJ)."));
	} else if (strcmp(s, today) > 0) {
		validation_add(v, field, N_("Cette date est dans le futur."));
	} else if (not_before && strcmp(s, not_before) < 0) {
		validation_add(v, field, N_("Cette date précède la précédente."));
	}
}

static void validate_incident(const struct incident *in, struct validation *v)
{
	char today[11];
	struct pdate t = ptime_local_date(ptime_now());
	ptime_format_date(&t, today);
	need_text(v, "information", in->information);
	need_text(v, "circumstances", in->circumstances);
	check_date(v, "occurred_on", in->occurred_on, false, NULL, today);
	check_date(v, "occurred_to", in->occurred_to, false, in->occurred_on, today);
	check_date(v, "discovered_on", in->discovered_on, true, in->occurred_on, today);
	if (in->people_count < -1)
		validation_add(v, "people_count", N_("Entrez un nombre de personnes (0 ou plus)."));
	need_text(v, "risk_assessment", in->risk_assessment);
	check_date(v, "notice_commission_on", in->notice_commission_on, false, in->discovered_on,
		   today);
	check_date(v, "notice_people_on", in->notice_people_on, false, in->discovered_on, today);
	if (!text_fits(in->notices_sent, INCIDENT_TEXT_MAX))
		validation_add(v, "notices_sent", N_("Ce champ est limité à 4000 caractères."));
	if (!text_fits(in->measures_taken, INCIDENT_TEXT_MAX))
		validation_add(v, "measures_taken", N_("Ce champ est limité à 4000 caractères."));
}

int privacy_incident_save(struct db *db, const struct actor *who, struct incident *in,
			  struct validation *v)
{
	if (!privacy_may_manage(db, who, in->organisation_id))
		validation_add(v, "organisation_id", N_("Choisissez l'organisation concernée."));
	validate_incident(in, v);
	if (v->n)
		return 1;
	struct db_stmt *s = db_stmt(db, in->id ? STMT_INCIDENT_UPDATE : STMT_INCIDENT_INSERT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, in->organisation_id);
	db_bind_text(s, 2, in->information);
	db_bind_text(s, 3, in->circumstances);
	row_bind_opt(s, 4, in->occurred_on);
	row_bind_opt(s, 5, in->occurred_to);
	db_bind_text(s, 6, in->discovered_on);
	if (in->people_count >= 0)
		db_bind_int64(s, 7, in->people_count);
	db_bind_text(s, 8, in->risk_assessment);
	db_bind_int(s, 9, in->serious_risk ? 1 : 0);
	row_bind_opt(s, 10, in->notice_commission_on);
	row_bind_opt(s, 11, in->notice_people_on);
	row_bind_opt(s, 12, in->notices_sent);
	row_bind_opt(s, 13, in->measures_taken);
	if (who->person_id)
		db_bind_int64(s, 14, who->person_id);
	db_bind_int64(s, 15, ptime_now());
	if (in->id)
		db_bind_int64(s, 16, in->id);
	if (row_exec(db, s, "privacy.incident_save") < 0)
		return -1;
	if (!in->id)
		in->id = db_last_insert_id(db);
	log_info("privacy.incident", "id=%lld organisation=%lld by=%lld", (long long)in->id,
		 (long long)in->organisation_id, (long long)who->person_id);
	return 0;
}

/* ---- Designation ---- */

int privacy_officers(struct db *db, struct arena *ar, struct privacy_officer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_PRIVACY_OFFICERS);
	if (!s)
		return -1;
	struct row_array rows = {0};
	struct privacy_officer *o;
	while ((o = row_next(db, s, ar, &rows, sizeof(*o), "privacy.officers"))) {
		o->organisation_id = db_col_int64(s, 0);
		o->organisation_name = db_col_text(ar, s, 1);
		o->person_id = db_col_int64(s, 2);
		o->person_name = db_col_text(ar, s, 3);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int privacy_org_people(struct db *db, struct arena *ar, int64_t organisation_id,
		       struct privacy_person **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_PRIVACY_ORG_PEOPLE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	struct row_array rows = {0};
	struct privacy_person *p;
	while ((p = row_next(db, s, ar, &rows, sizeof(*p), "privacy.org_people"))) {
		p->id = db_col_int64(s, 0);
		p->name = db_col_text(ar, s, 1);
		p->organisation = NULL;
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int privacy_designate(struct db *db, const struct actor *who, int64_t organisation_id,
		      int64_t person_id, struct validation *v)
{
	if (!who || who->role != ROLE_ADMIN || !organisation_id) {
		validation_add(v, "organisation", N_("Choisissez l'organisation."));
		return 1;
	}
	if (person_id) {
		struct db_stmt *s = db_stmt(db, STMT_PRIVACY_ORG_PEOPLE);
		if (!s)
			return -1;
		db_bind_int64(s, 1, organisation_id);
		bool found = false;
		int rc;
		while (!found && (rc = db_step(s)) == DB_ROW)
			found = db_col_int64(s, 0) == person_id;
		db_reset(s);
		if (!found) {
			validation_add(v, "person",
				       N_("Choisissez un compte actif de cette organisation."));
			return 1;
		}
	}
	if (row_exec_id(db, STMT_PRIVACY_CLEAR_ORG, organisation_id, NULL, "privacy.clear") < 0)
		return -1;
	if (person_id) {
		struct db_stmt *s = db_stmt(db, STMT_PERSON_SET_PRIVACY_OFFICER);
		if (!s)
			return -1;
		db_bind_int64(s, 1, person_id);
		db_bind_int(s, 2, 1);
		if (row_exec(db, s, "privacy.designate") < 0)
			return -1;
	}
	log_info("privacy.designate", "organisation=%lld person=%lld by=%lld",
		 (long long)organisation_id, (long long)person_id, (long long)who->person_id);
	return 0;
}
