/* Supervision sessions and the monthly target (model/supervision.h). */
#include "model/supervision.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "model/journal_week.h"
#include "model/position.h"
#include "model/settings.h"
#include "model/row.h"

const char *const supervision_types[] = {"individuelle", "groupe", "codeveloppement", NULL};

bool supervision_can_record(const struct actor *who)
{
	return who && who->role == ROLE_GESTIONNAIRE && who->organisation_id;
}

/* The organisation and role of a person (position_person_info). 0, 1
 * absent, -1. */
static int person_org(struct db *db, int64_t id, int64_t *org, enum role *role)
{
	bool active;
	return position_person_info(db, id, org, role, &active);
}

int supervision_record(struct db *db, struct arena *ar, const struct actor *who,
		       struct supervision *s, struct validation *v)
{
	if (!supervision_can_record(who))
		return -1;
	int64_t org = 0;
	enum role role = ROLE_NONE;
	int rc = s->person_id ? person_org(db, s->person_id, &org, &role) : 1;
	if (rc < 0)
		return -1;
	if (rc || org != who->organisation_id || role != ROLE_PAP)
		validation_add(v, "person", N_("Choisissez une PAP de votre organisation."));
	struct pdate d;
	char today[11];
	journal_today(today);
	if (!s->date || ptime_parse_date(s->date, &d) < 0)
		validation_add(v, "date", N_("Entrez une date valide (AAAA-MM-JJ)."));
	else if (strcmp(s->date, today) > 0)
		validation_add(v, "date", N_("La date ne peut pas être dans le futur."));
	if (!(s->hours >= 0.25 && s->hours <= SUPERVISION_HOURS_MAX))
		validation_add(v, "hours", N_("Entrez une durée entre 0,25 et 24 heures."));
	/* The type is optional (interchange.md); the form asks for it. */
	bool type_ok = !s->type;
	for (size_t i = 0; s->type && supervision_types[i]; i++)
		type_ok = type_ok || strcmp(s->type, supervision_types[i]) == 0;
	if (!type_ok)
		validation_add(v, "type", N_("Ce type de séance n'existe pas."));
	if (s->note && (!utf8_valid_str(s->note) ||
			utf8_length(s->note, strlen(s->note)) > SUPERVISION_NOTE_MAX))
		validation_add(v, "note", N_("La note est limitée à 280 caractères."));
	if (v->n)
		return 1;
	if (!s->ext_id)
		s->ext_id = row_new_ext_id(ar, "sup");
	struct db_stmt *st = db_stmt(db, STMT_TEAM_SUP_INSERT);
	if (!st)
		return -1;
	db_bind_text(st, 1, s->ext_id);
	db_bind_int64(st, 2, s->person_id);
	db_bind_int64(st, 3, who->person_id);
	db_bind_text(st, 4, s->date);
	db_bind_double(st, 5, s->hours);
	if (s->type)
		db_bind_text(st, 6, s->type);
	else
		db_bind_null(st, 6);
	if (s->note && *s->note)
		db_bind_text(st, 7, s->note);
	if (row_exec(db, st, "supervision.record") < 0)
		return -1;
	s->id = db_last_insert_id(db);
	s->supervisor_id = who->person_id;
	s->organisation_id = org;
	log_info("supervision.record", "supervision=%lld person=%lld by=%lld", (long long)s->id,
		 (long long)s->person_id, (long long)who->person_id);
	return 0;
}

static void read_row(struct arena *ar, struct db_stmt *st, struct supervision *s)
{
	memset(s, 0, sizeof(*s));
	s->id = db_col_int64(st, 0);
	s->ext_id = db_col_text(ar, st, 1);
	s->person_id = db_col_int64(st, 2);
	s->person_name = db_col_text(ar, st, 3);
	s->organisation_id = db_col_int64(st, 4);
	s->supervisor_id = db_col_int64(st, 5);
	s->supervisor_name = db_col_text(ar, st, 6);
	s->date = db_col_text(ar, st, 7);
	s->hours = db_col_double(st, 8);
	s->type = db_col_text(ar, st, 9);
	s->note = db_col_text(ar, st, 10);
	s->person_ext = db_col_text(ar, st, 11);
	s->supervisor_ext = db_col_text(ar, st, 12);
}

/* Steps st (bound) into an arena array. 0 or -1. */
static int collect(struct db *db, struct arena *ar, struct db_stmt *st, struct supervision **out,
		   size_t *n)
{
	struct row_array rows = {0};
	struct supervision *it;
	while ((it = row_next(db, st, ar, &rows, sizeof(*it), "supervision.list")))
		read_row(ar, st, it);
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}

static bool may_see(const struct actor *who, int64_t person_id, int64_t organisation_id)
{
	if (!who)
		return false;
	if (who->role == ROLE_PAP)
		return who->person_id == person_id;
	return supervision_can_record(who) && who->organisation_id == organisation_id;
}

int supervision_of_person(struct db *db, struct arena *ar, const struct actor *who,
			  int64_t person_id, struct supervision **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int64_t org = 0;
	enum role role;
	int rc = person_org(db, person_id, &org, &role);
	if (rc)
		return rc;
	if (!may_see(who, person_id, org))
		return 1;
	struct db_stmt *st = db_stmt(db, STMT_TEAM_SUP_OF_PERSON);
	if (!st)
		return -1;
	db_bind_int64(st, 1, person_id);
	return collect(db, ar, st, out, n);
}

int supervision_of_organisation(struct db *db, struct arena *ar, const struct actor *who,
				const char *from, const char *to, struct supervision **out,
				size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!supervision_can_record(who))
		return 0;
	struct db_stmt *st = db_stmt(db, STMT_TEAM_SUP_OF_ORG);
	if (!st)
		return -1;
	db_bind_int64(st, 1, who->organisation_id);
	db_bind_text(st, 2, from ? from : "0000-01-01");
	db_bind_text(st, 3, to ? to : "9999-12-31");
	return collect(db, ar, st, out, n);
}

int supervision_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		    struct supervision *out)
{
	struct db_stmt *st = db_stmt(db, STMT_TEAM_SUP_GET);
	if (!st)
		return -1;
	db_bind_int64(st, 1, id);
	int r = row_fetch(db, st, "supervision.get");
	if (r != 0)
		return r;
	read_row(ar, st, out);
	db_reset(st);
	return may_see(who, out->person_id, out->organisation_id) ? 0 : 1;
}

int supervision_target(struct db *db, int64_t organisation_id, double *hours, bool *own)
{
	*hours = SUPERVISION_TARGET_DEFAULT;
	*own = false;
	struct db_stmt *st = db_stmt(db, STMT_TEAM_TARGET_GET);
	if (!st)
		return -1;
	db_bind_int64(st, 1, organisation_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*hours = db_col_double(st, 0);
		*own = true;
	}
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	if (rc != DB_DONE) {
		db_log_error(db, "supervision.target");
		return -1;
	}
	*hours = settings_real(db, SETTING_SUPERVISION_TARGET_HOURS_MONTH);
	return 0;
}

int supervision_set_target(struct db *db, const struct actor *who, double hours,
			   struct validation *v)
{
	if (!supervision_can_record(who))
		return -1;
	const struct setting_def *d = settings_def(SETTING_SUPERVISION_TARGET_HOURS_MONTH);
	if (!(hours >= d->min && hours <= d->max)) {
		validation_add(v, "target", N_("Entrez une cible entre 0,25 et 200 heures."));
		return 1;
	}
	struct db_stmt *st = db_stmt(db, STMT_TEAM_TARGET_PUT);
	if (!st)
		return -1;
	db_bind_int64(st, 1, who->organisation_id);
	db_bind_double(st, 2, hours);
	if (row_exec(db, st, "supervision.set_target") < 0)
		return -1;
	return 0;
}

int supervision_team_month(struct db *db, struct arena *ar, const struct actor *who, int year,
			   int month, double *target, struct supervision_month_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!supervision_can_record(who))
		return 1;
	bool own;
	if (supervision_target(db, who->organisation_id, target, &own) < 0)
		return -1;
	struct pdate first = {year, month, 1};
	struct pdate next = {month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1};
	struct pdate last = ptime_civil_from_days(ptime_days_from_civil(&next) - 1);
	char from[11], to[11];
	ptime_format_date(&first, from);
	ptime_format_date(&last, to);
	struct db_stmt *st = db_stmt(db, STMT_TEAM_SUP_MONTH);
	if (!st)
		return -1;
	db_bind_int64(st, 1, who->organisation_id);
	db_bind_text_copy(st, 2, from);
	db_bind_text_copy(st, 3, to);
	struct row_array rows = {0};
	struct supervision_month_row *r;
	while ((r = row_next(db, st, ar, &rows, sizeof(*r), "supervision.team_month"))) {
		r->person_id = db_col_int64(st, 0);
		r->name = db_col_text(ar, st, 1);
		r->hours = db_col_double(st, 2);
		r->sessions = db_col_int64(st, 3);
		r->last_date = db_col_text(ar, st, 4);
		/* Hours are stored to the quarter hour at most; compare with a
		 * small tolerance so 0.1 + 0.2 style sums do not fall short. */
		r->below_target = r->hours + 1e-9 < *target;
	}
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}
