#include "model/retention.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/audit.h"
#include "model/privacy.h"
#include "model/row.h"
#include "model/settings.h"

int retention_policies(struct db *db, struct arena *ar, int64_t organisation_id,
		       struct retention_policy **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int def = settings_int(db, SETTING_RETENTION_MONTHS);
	struct db_stmt *s = db_stmt(db, STMT_RET_POLICIES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	struct row_array rows = {0};
	struct retention_policy *p;
	while ((p = row_next(db, s, ar, &rows, sizeof(*p), "retention.policies"))) {
		p->organisation_id = db_col_int64(s, 0);
		p->organisation_name = db_col_text(ar, s, 1);
		p->months = db_col_int(s, 2);
		p->is_default = p->months == 0;
		if (p->is_default)
			p->months = def;
		p->set_at = db_col_int64(s, 3);
		p->set_by_name = db_col_text(ar, s, 4);
	}
	*out = rows.v;
	*n = rows.n;
	if (rows.rc < 0)
		return -1;
	return 0;
}

int retention_set(struct db *db, const struct actor *who, int64_t organisation_id, int months,
		  struct validation *v)
{
	if (!privacy_may_manage(db, who, organisation_id)) {
		validation_add(v, "organisation", N_("Vous ne gérez pas cette organisation."));
		return 1;
	}
	if (months < 1 || months > RETENTION_MAX_MONTHS) {
		validation_add(v, "months",
			       N_("Entrez une durée de 1 à 1200 mois après la fermeture du "
				  "dossier."));
		return 1;
	}
	struct db_stmt *s = db_stmt(db, STMT_RET_ORG_EXISTS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	int rc = db_step(s);
	int64_t exists = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW)
		return -1;
	if (!exists) {
		validation_add(v, "organisation", N_("Cette organisation n'existe pas."));
		return 1;
	}
	s = db_stmt(db, STMT_RET_SET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	db_bind_int(s, 2, months);
	if (who->person_id)
		db_bind_int64(s, 3, who->person_id);
	db_bind_int64(s, 4, ptime_now());
	if (row_exec(db, s, "retention.set") < 0)
		return -1;
	log_info("retention.set", "organisation=%lld months=%d by=%lld", (long long)organisation_id,
		 months, (long long)who->person_id);
	return 0;
}

/* Reads the candidate row of s into it when the file is due on today
 * under p; false when it is not (or its closing date cannot be read). */
static bool read_due(struct arena *ar, struct db_stmt *s, const struct retention_policy *p,
		     const struct pdate *today, struct retention_item *it)
{
	struct pdate closed;
	if (ptime_parse_date(db_col_cstr(s, 1), &closed) < 0)
		return false;
	struct pdate due = ptime_add_months(&closed, p->months);
	if (ptime_date_cmp(&due, today) > 0)
		return false;
	it->family_id = db_col_int64(s, 0);
	it->organisation_id = p->organisation_id;
	it->organisation_name = p->organisation_name;
	it->closed = db_col_text(ar, s, 1);
	char *d = arena_alloc(ar, 11);
	ptime_format_date(&due, d);
	it->due = d;
	it->months = p->months;
	it->nominative = db_col_int(s, 2) != 0;
	it->notes = db_col_int64(s, 3);
	it->stories = db_col_int64(s, 4);
	it->referrals = db_col_int64(s, 5);
	it->reasons = db_col_int64(s, 6);
	return true;
}

/* The files of one organisation due on today, appended to rows. */
static int plan_org(struct db *db, struct arena *ar, const struct retention_policy *p,
		    const struct pdate *today, struct row_array *rows)
{
	/* Files closed after the cutoff cannot be due; a few days of slack
	 * cover the clamping of month ends, the exact check is below. */
	struct pdate cut = ptime_add_months(today, -p->months);
	cut = ptime_civil_from_days(ptime_days_from_civil(&cut) + 3);
	char cutoff[11];
	ptime_format_date(&cut, cutoff);
	struct db_stmt *s = db_stmt(db, STMT_RET_CANDIDATES);
	if (!s)
		return -1;
	db_bind_int64(s, 1, p->organisation_id);
	db_bind_text(s, 2, cutoff);
	struct retention_item *it;
	while ((it = row_next(db, s, ar, rows, sizeof(*it), "retention.plan")))
		if (!read_due(ar, s, p, today, it))
			row_drop(rows);
	return rows->rc;
}

int retention_plan(struct db *db, struct arena *ar, int64_t organisation_id, const char *today,
		   struct retention_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct pdate t;
	if (ptime_parse_date(today, &t) < 0)
		return -1;
	struct retention_policy *pol;
	size_t np;
	if (retention_policies(db, ar, organisation_id, &pol, &np) < 0)
		return -1;
	struct db_stmt *s = db_stmt(db, STMT_RET_ORGS_WITH_CLOSED);
	if (!s)
		return -1;
	db_bind_int64(s, 1, organisation_id);
	struct row_array with_closed = {0};
	int64_t *o;
	while ((o = row_next(db, s, ar, &with_closed, sizeof(*o), "retention.orgs")))
		*o = db_col_int64(s, 0);
	if (with_closed.rc < 0)
		return -1;
	const int64_t *orgs = with_closed.v;
	struct row_array due = {0};
	for (size_t i = 0; i < np; i++) {
		bool has = false;
		for (size_t k = 0; k < with_closed.n && !has; k++)
			has = orgs[k] == pol[i].organisation_id;
		if (has && plan_org(db, ar, &pol[i], &t, &due) < 0)
			return -1;
	}
	*out = due.v;
	*n = due.n;
	return 0;
}

/* Runs the family statement sid with family_id as ?1. 0 or -1. */
static int erase(struct db *db, enum stmt_id sid, int64_t family_id)
{
	return row_exec_id(db, sid, family_id, NULL, "retention.erase");
}

int retention_apply(struct db *db, const struct retention_item *it, int64_t actor_id, int64_t now)
{
	char code[32];
	snprintf(code, sizeof(code), "ANON-%lld", (long long)it->family_id);
	struct db_stmt *s = db_stmt(db, STMT_RET_FAMILY);
	if (!s)
		return -1;
	db_bind_int64(s, 1, it->family_id);
	db_bind_text(s, 2, code);
	db_bind_int64(s, 3, now);
	if (row_exec(db, s, "retention.family") < 0)
		return -1;
	if (db_changes(db) == 0)
		return 1; /* another run got there first */
	if (erase(db, STMT_RET_NOTES, it->family_id) < 0 ||
	    erase(db, STMT_RET_STORIES, it->family_id) < 0 ||
	    erase(db, STMT_RET_STORY_REASONS, it->family_id) < 0 ||
	    erase(db, STMT_RET_STORY_REASON_EVENTS, it->family_id) < 0 ||
	    erase(db, STMT_RET_REFERRALS, it->family_id) < 0 ||
	    erase(db, STMT_RET_REFERRAL_EVENTS, it->family_id) < 0 ||
	    erase(db, STMT_RET_FAMILY_EVENTS, it->family_id) < 0)
		return -1;
	char rule[64], what[128];
	snprintf(rule, sizeof(rule), "months=%d;closed=%s", it->months, it->closed);
	snprintf(what, sizeof(what),
		 "nominative=%d;code=1;follower=1;notes=%lld;stories=%lld;"
		 "referrals=%lld;reasons=%lld",
		 it->nominative ? 1 : 0, (long long)it->notes, (long long)it->stories,
		 (long long)it->referrals, (long long)it->reasons);
	s = db_stmt(db, STMT_RET_REGISTER);
	if (!s)
		return -1;
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, it->family_id);
	db_bind_int64(s, 3, it->organisation_id);
	if (actor_id)
		db_bind_int64(s, 4, actor_id);
	db_bind_text(s, 5, "anonymisation");
	db_bind_text(s, 6, "retention");
	db_bind_text(s, 7, rule);
	db_bind_text(s, 8, what);
	if (row_exec(db, s, "retention.register") < 0)
		return -1;
	struct audit_entry e = {.actor_id = actor_id,
				.action = "anonymise",
				.object_kind = "family",
				.object_id = it->family_id,
				.information = it->nominative ? "nominative,code,follower,texts"
							      : "code,follower,texts",
				.purpose = "retention"};
	return audit_append(db, &e);
}

/* One file of a run, as a write unit of its own (db_unit_run). */
struct apply_arg {
	const struct retention_item *it;
	int64_t now;
	int r; /* retention_apply's answer */
};

static enum db_unit_verdict apply_unit(struct db *db, void *arg)
{
	struct apply_arg *a = arg;
	a->r = retention_apply(db, a->it, 0, a->now);
	return a->r < 0 ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
}

int retention_run(struct db *db, struct arena *ar, int64_t now, bool dry_run,
		  struct retention_result *out)
{
	memset(out, 0, sizeof(*out));
	struct pdate t = ptime_local_date(now);
	char today[11];
	ptime_format_date(&t, today);
	if (retention_plan(db, ar, 0, today, &out->items, &out->n) < 0)
		return -1;
	for (size_t i = 0; !dry_run && i < out->n; i++) {
		const struct retention_item *it = &out->items[i];
		struct apply_arg a = {.it = it, .now = now, .r = -1};
		int r = db_unit_run(db, apply_unit, &a, NULL) == DB_UNIT_COMMITTED ? a.r : -1;
		if (r == 0)
			out->done++;
		else if (r < 0)
			out->failed++;
		if (r < 0)
			log_error("retention.apply", "family=%lld", (long long)it->family_id);
	}
	log_info("retention.run", "today=%s due=%zu done=%zu failed=%zu dry_run=%d", today, out->n,
		 out->done, out->failed, dry_run ? 1 : 0);
	return 0;
}
