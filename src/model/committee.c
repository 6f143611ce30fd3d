#include "model/committee.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "model/row.h"

bool committee_maintains(struct db *db, const struct actor *who, int64_t territory_id)
{
	if (!who || who->role != ROLE_COMITE || !who->territory_id || !territory_id)
		return false;
	struct db_stmt *s = db_stmt(db, STMT_TERR_WITHIN);
	if (!s)
		return false;
	db_bind_int64(s, 1, who->territory_id);
	db_bind_int64(s, 2, territory_id);
	int rc = db_step(s);
	bool in = rc == DB_ROW && db_col_int64(s, 0) > 0;
	db_reset(s);
	if (rc != DB_ROW)
		db_log_error(db, "committee.maintains");
	return in;
}

static int choices(struct db *db, struct arena *ar, enum stmt_id sid, int64_t territory_id,
		   struct committee_choice **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s = db_stmt(db, sid);
	if (!s)
		return -1;
	db_bind_int64(s, 1, territory_id);
	struct row_array rows = {0};
	struct committee_choice *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "committee.choices"))) {
		it->id = db_col_int64(s, 0);
		it->name = db_col_text(ar, s, 1);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int committee_choices(struct db *db, struct arena *ar, const struct actor *who,
		      struct committee_choice **terrs, size_t *nt, struct committee_choice **orgs,
		      size_t *no)
{
	*terrs = *orgs = NULL;
	*nt = *no = 0;
	if (!who || who->role != ROLE_COMITE || !who->territory_id)
		return 0;
	if (choices(db, ar, STMT_TERR_LIST, who->territory_id, terrs, nt) < 0 ||
	    choices(db, ar, STMT_TERR_ORGS, who->territory_id, orgs, no) < 0)
		return -1;
	return 0;
}

const char *portrait_label(const char *label, const char *label_en, const char *lang)
{
	if (lang && strcmp(lang, "en") == 0 && label_en && *label_en)
		return label_en;
	return label;
}

int committee_portrait(struct db *db, struct arena *ar, const struct actor *who,
		       struct portrait_value **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!who || who->role != ROLE_COMITE || !who->territory_id)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_PORTRAIT_SERIES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->territory_id);
	struct row_array rows = {0};
	struct portrait_value *p;
	while ((p = row_next(db, s, ar, &rows, sizeof(*p), "committee.portrait"))) {
		memset(p, 0, sizeof(*p));
		p->id = db_col_int64(s, 0);
		p->ext_id = db_col_text(ar, s, 1);
		p->territory_id = db_col_int64(s, 2);
		p->territory_name = db_col_text(ar, s, 3);
		p->indicator = db_col_text(ar, s, 4);
		p->label = db_col_text(ar, s, 5);
		p->value = db_col_double(s, 6);
		p->unit = db_col_text(ar, s, 7);
		p->period_start = db_col_text(ar, s, 8);
		p->period_end = db_col_text(ar, s, 9);
		p->source = db_col_text(ar, s, 10);
		p->label_en = db_col_text(ar, s, 11);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int committee_parse_value(const char *s, double *out)
{
	if (!s || !*s)
		return -1;
	char buf[40];
	size_t n = 0, digits = 0;
	bool mark = false;
	const char *p = s;
	if (*p == '-')
		buf[n++] = *p++;
	for (; *p; p++) {
		if (n + 1 >= sizeof(buf))
			return -1;
		if (isdigit((unsigned char)*p)) {
			buf[n++] = *p;
			digits++;
		} else if ((*p == '.' || *p == ',') && !mark && digits) {
			buf[n++] = '.';
			mark = true;
		} else {
			return -1;
		}
	}
	if (!digits || digits > 15 || buf[n - 1] == '.')
		return -1;
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	return 0;
}

static bool text_ok(const char *s, size_t max)
{
	return !s || (utf8_valid_str(s) && utf8_length(s, strlen(s)) <= max);
}

static bool code_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 60)
		return false;
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    !strchr("_.-", *p))
			return false;
	return true;
}

static void check_period(const struct portrait_value *p, struct validation *v)
{
	struct pdate d;
	if (p->period_start && ptime_parse_date(p->period_start, &d) < 0)
		validation_add(v, "period_start", N_("Entrez une date valide (AAAA-MM-JJ)."));
	if (p->period_end && ptime_parse_date(p->period_end, &d) < 0)
		validation_add(v, "period_end", N_("Entrez une date valide (AAAA-MM-JJ)."));
	else if (p->period_start && p->period_end && strcmp(p->period_end, p->period_start) < 0)
		validation_add(v, "period_end", N_("La fin de la période précède son début."));
	if (!p->period_end)
		validation_add(v, "period_end",
			       N_("Indiquez la fin de la période que la valeur décrit."));
}

static int validate_value(struct db *db, const struct actor *who, struct portrait_value *p,
			  struct validation *v)
{
	if (!committee_maintains(db, who, p->territory_id))
		validation_add(v, "territory",
			       N_("Choisissez un territoire que votre comité suit."));
	if (!code_ok(p->indicator))
		validation_add(v, "indicator",
			       N_("Un code de 1 à 60 caractères : lettres minuscules sans accent, "
				  "chiffres, _ . ou -."));
	if (!text_ok(p->label, 200))
		validation_add(v, "label", N_("Ce champ est limité à 200 caractères."));
	if (!text_ok(p->label_en, 200))
		validation_add(v, "label_en", N_("Ce champ est limité à 200 caractères."));
	if (committee_parse_value(p->value_text, &p->value) < 0)
		validation_add(v, "value",
			       N_("Entrez un nombre (au plus 15 chiffres, virgule ou point "
				  "décimal)."));
	if (!text_ok(p->unit, 40))
		validation_add(v, "unit", N_("Ce champ est limité à 40 caractères."));
	if (!text_ok(p->source, 300))
		validation_add(v, "source", N_("Ce champ est limité à 300 caractères."));
	check_period(p, v);
	if (v->n)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_PORTRAIT_TAKEN);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->territory_id);
	db_bind_text(s, 2, p->indicator);
	db_bind_text(s, 3, p->period_end);
	int rc = db_step(s);
	int64_t taken = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW)
		return -1;
	if (taken)
		validation_add(v, "period_end",
			       N_("Cet indicateur a déjà une valeur pour cette période : la série "
				  "garde chaque valeur telle qu'inscrite."));
	return v->n ? 1 : 0;
}

int committee_portrait_add(struct db *db, struct arena *ar, const struct actor *who,
			   struct portrait_value *p, struct validation *v)
{
	int r = validate_value(db, who, p, v);
	if (r != 0)
		return r;
	if (!p->ext_id)
		p->ext_id = row_new_ext_id(ar, "por");
	struct db_stmt *s = db_stmt(db, STMT_PORTRAIT_INSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, p->ext_id);
	db_bind_int64(s, 2, p->territory_id);
	db_bind_text(s, 3, p->indicator);
	row_bind_opt(s, 4, p->label);
	db_bind_double(s, 5, p->value);
	row_bind_opt(s, 6, p->unit);
	row_bind_opt(s, 7, p->period_start);
	row_bind_opt(s, 8, p->period_end);
	row_bind_opt(s, 9, p->source);
	row_bind_opt(s, 10, p->label_en);
	if (row_exec(db, s, "committee.portrait_add") < 0)
		return -1;
	p->id = db_last_insert_id(db);
	log_info("committee.portrait", "territory=%lld indicator=%s by=%lld",
		 (long long)p->territory_id, p->indicator, (long long)who->person_id);
	return 0;
}
