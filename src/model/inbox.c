/* The inbox. See inbox.h for the contract. */
#include "model/inbox.h"

#include <string.h>

#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "model/row.h"
#include "model/settings.h"

static const struct inbox_kind_def KINDS[INBOX__COUNT] = {
	{INBOX_REFERRAL_RECEIVED, "referral_received", N_("Nouvelle référence reçue"),
	 INBOX_GROUP_REFERRALS},
	{INBOX_REFERRAL_TAKEN, "referral_taken", N_("Référence prise en charge"),
	 INBOX_GROUP_REFERRALS},
	{INBOX_REFERRAL_REFUSED, "referral_refused", N_("Référence refusée"),
	 INBOX_GROUP_REFERRALS},
	{INBOX_REFERRAL_REORIENTED, "referral_reoriented", N_("Référence réorientée"),
	 INBOX_GROUP_REFERRALS},
	{INBOX_REFERRAL_REMINDER, "referral_reminder",
	 N_("Rappel : référence sans accusé de réception"), INBOX_GROUP_REFERRALS},
	{INBOX_REFERRAL_EXPIRED, "referral_expired", N_("Référence expirée sans prise en charge"),
	 INBOX_GROUP_REFERRALS},
	{INBOX_SUPPORT_FILED, "support_filed", N_("Nouvelle demande de soutien"),
	 INBOX_GROUP_SUPPORT},
	{INBOX_SUPPORT_ANSWERED, "support_answered", N_("Réponse à votre demande de soutien"),
	 INBOX_GROUP_SUPPORT},
	{INBOX_SURVEY_DUE, "survey_due", N_("Sondage de bien-être à remplir"), INBOX_GROUP_SURVEYS},
};

const struct inbox_kind_def *inbox_kind_def(enum inbox_kind kind)
{
	BUG_ON((unsigned)kind >= INBOX__COUNT || KINDS[kind].kind != kind);
	return &KINDS[kind];
}

int inbox_kind_parse(const char *code, enum inbox_kind *out)
{
	for (size_t i = 0; code && i < INBOX__COUNT; i++) {
		if (strcmp(KINDS[i].code, code) == 0) {
			*out = KINDS[i].kind;
			return 0;
		}
	}
	return -1;
}

/* Binds an event's kind (as ?3), its object and its code: a referral's
 * events name it in referral_id (parameter ref) and carry no code, the
 * family's code being read through the referral when shown. */
static void bind_object(struct db_stmt *s, enum inbox_kind kind, int64_t object_id,
			const char *code, int obj, int cod, int ref)
{
	db_bind_text(s, 3, inbox_kind_def(kind)->code);
	if (inbox_kind_def(kind)->group == INBOX_GROUP_REFERRALS) {
		db_bind_int64(s, ref, object_id);
		return;
	}
	if (object_id)
		db_bind_int64(s, obj, object_id);
	row_bind_opt(s, cod, code);
}

int inbox_notify_person(struct db *db, int64_t person, enum inbox_kind kind, int64_t object_id,
			const char *code, int64_t now)
{
	if (person <= 0)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_INBOX_ADD);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person);
	db_bind_int64(s, 2, now);
	bind_object(s, kind, object_id, code, 4, 5, 6);
	return row_exec(db, s, "inbox.add");
}

int inbox_notify_organisation(struct db *db, int64_t org, bool managers_only, int64_t but,
			      enum inbox_kind kind, int64_t object_id, const char *code,
			      int64_t now)
{
	if (org <= 0)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_INBOX_ADD_ORG);
	if (!s)
		return -1;
	db_bind_int64(s, 1, org);
	db_bind_int64(s, 2, now);
	bind_object(s, kind, object_id, code, 4, 5, 9);
	db_bind_text(s, 6, role_code(ROLE_GESTIONNAIRE));
	db_bind_text(s, 7, role_code(managers_only ? ROLE_GESTIONNAIRE : ROLE_PAP));
	db_bind_int64(s, 8, but);
	return row_exec(db, s, "inbox.add_org");
}

/* The page an event is about. */
static const char *event_href(struct arena *ar, const struct inbox_event *e)
{
	switch (inbox_kind_def(e->kind)->group) {
	case INBOX_GROUP_REFERRALS:
		return arena_printf(ar, "/renvois/%lld", (long long)e->object_id);
	case INBOX_GROUP_SUPPORT:
		return arena_printf(ar, "%s/%lld",
				    e->kind == INBOX_SUPPORT_FILED ? "/equipe/soutien"
								   : "/moi/soutien",
				    (long long)e->object_id);
	case INBOX_GROUP_SURVEYS: return "/sondages";
	}
	return "/boite";
}

/* Reads the current row of an event statement into e; false when its
 * kind is unknown (an event of a newer version). */
static bool read_event(struct arena *ar, struct db_stmt *s, struct inbox_event *e)
{
	if (inbox_kind_parse(db_col_cstr(s, 2), &e->kind) < 0)
		return false;
	e->id = db_col_int64(s, 0);
	e->at = db_col_int64(s, 1);
	e->object_id = db_col_int64(s, 3);
	e->code = db_col_text(ar, s, 4);
	e->read = db_col_int64(s, 5) != 0;
	e->href = event_href(ar, e);
	return true;
}

static int count_events(struct db *db, const struct actor *who, const struct inbox_page *pg,
			int64_t *total)
{
	struct db_stmt *s = db_stmt(db, STMT_INBOX_COUNT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->person_id);
	db_bind_int(s, 2, pg->unread_only ? 1 : 0);
	int rc = db_step(s);
	*total = rc == DB_ROW ? db_col_int64(s, 0) : 0;
	db_reset(s);
	if (rc != DB_ROW) {
		db_log_error(db, "inbox.count");
		return -1;
	}
	return 0;
}

int inbox_list(struct db *db, struct arena *ar, const struct actor *who,
	       const struct inbox_page *pg, struct inbox_event **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (!who || who->person_id <= 0)
		return 0;
	if (total && count_events(db, who, pg, total) < 0)
		return -1;
	struct db_stmt *s = db_stmt(db, STMT_INBOX_LIST);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->person_id);
	db_bind_int(s, 2, pg->unread_only ? 1 : 0);
	db_bind_int64(s, 3, pg->limit);
	db_bind_int64(s, 4, pg->offset);
	struct row_array rows = {0};
	struct inbox_event *e;
	while ((e = row_next(db, s, ar, &rows, sizeof(*e), "inbox.list")))
		if (!read_event(ar, s, e))
			row_drop(&rows);
	*out = rows.v;
	*n = rows.n;
	return rows.rc;
}

int inbox_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
	      struct inbox_event *out)
{
	memset(out, 0, sizeof(*out));
	if (!who || who->person_id <= 0 || id <= 0)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_INBOX_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, who->person_id);
	int r = row_fetch(db, s, "inbox.get");
	if (r != 0)
		return r;
	bool known = read_event(ar, s, out);
	db_reset(s);
	return known ? 0 : 1;
}

int inbox_unread(struct db *db, const struct actor *who, struct inbox_counts *out)
{
	memset(out, 0, sizeof(*out));
	if (!who || who->person_id <= 0)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_INBOX_UNREAD);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->person_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		enum inbox_kind k;
		size_t c = (size_t)db_col_int64(s, 1);
		if (inbox_kind_parse(db_col_cstr(s, 0), &k) < 0)
			continue;
		out->total += c;
		out->by_group[inbox_kind_def(k)->group] += c;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "inbox.unread");
		return -1;
	}
	return 0;
}

int inbox_mark_read(struct db *db, const struct actor *who, int64_t id, int64_t now)
{
	if (!who || who->person_id <= 0 || id <= 0)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_INBOX_READ_ONE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	db_bind_int64(s, 2, who->person_id);
	db_bind_int64(s, 3, now);
	return row_exec(db, s, "inbox.read");
}

int inbox_mark_all_read(struct db *db, const struct actor *who, int64_t now)
{
	if (!who || who->person_id <= 0)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_INBOX_READ_ALL);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->person_id);
	db_bind_int64(s, 2, now);
	return row_exec(db, s, "inbox.read_all");
}

int inbox_surveys_due(struct db *db, int64_t now, size_t *n)
{
	*n = 0;
	char today[11];
	struct pdate d = ptime_local_date(now);
	ptime_format_date(&d, today);
	struct db_stmt *s = db_stmt(db, STMT_INBOX_SURVEYS_DUE);
	if (!s)
		return -1;
	db_bind_text_copy(s, 1, today);
	db_bind_int64(s, 2, now);
	db_bind_text(s, 3, inbox_kind_def(INBOX_SURVEY_DUE)->code);
	db_bind_text(s, 4, role_code(ROLE_PAP));
	if (row_exec(db, s, "inbox.surveys_due") < 0)
		return -1;
	*n = (size_t)db_changes(db);
	return 0;
}

int inbox_admin_counts(struct db *db, int64_t now, struct inbox_admin_counts *out)
{
	memset(out, 0, sizeof(*out));
	struct db_stmt *s = db_stmt(db, STMT_HOME_INVITATIONS);
	if (!s)
		return -1;
	db_bind_int64(s, 1, now);
	int r = row_fetch(db, s, "inbox.invitations");
	if (r < 0)
		return -1;
	if (r == 0) {
		out->invitations_waiting = (size_t)db_col_int64(s, 0);
		out->invitations_expired = (size_t)db_col_int64(s, 1);
		db_reset(s);
	}
	struct arena *ar = arena_new(4096);
	for (int i = 0; i < SETTING__COUNT; i++) {
		bool invalid = false;
		const char *v = settings_text(db, ar, (enum setting_id)i, NULL, &invalid);
		if (!v) {
			arena_free(ar);
			return -1;
		}
		out->settings_invalid += invalid;
		if (i == SETTING_SMTP_URL)
			out->smtp_configured = *v != '\0';
	}
	arena_free(ar);
	return 0;
}
