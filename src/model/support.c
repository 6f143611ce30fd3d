/* Formal support requests (model/support.h). */
#include "model/support.h"

#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "model/journal_week.h"
#include "model/inbox.h"
#include "model/row.h"

const char *const support_addressees[] = {"equipe", "gestionnaire", NULL};
/* The demo data and imports use the same codes (src/demo/generate.c). */
const char *const support_types[] = {"charge_emotionnelle",
				     "situation_complexe",
				     "clarification_mandat",
				     "securite",
				     "surcharge",
				     "conflit_partenaire",
				     "formation",
				     "autre",
				     NULL};
const char *const support_urgencies[] = {"faible", "moyenne", "elevee", NULL};

bool support_can_file(const struct actor *who)
{
	return who && who->role == ROLE_PAP && who->organisation_id;
}

bool support_can_handle(const struct actor *who)
{
	return who && who->role == ROLE_GESTIONNAIRE && who->organisation_id;
}

static bool in_list(const char *const *list, const char *code)
{
	for (size_t i = 0; code && list[i]; i++)
		if (strcmp(list[i], code) == 0)
			return true;
	return false;
}

static bool text_ok(const char *s)
{
	return utf8_valid_str(s) && utf8_length(s, strlen(s)) <= SUPPORT_TEXT_MAX;
}

int support_file(struct db *db, struct arena *ar, const struct actor *who,
		 struct support_request *r, struct validation *v)
{
	if (!support_can_file(who))
		return -1;
	/* Each is optional (interchange.md); the form asks for them. */
	if (r->addressed_to && !in_list(support_addressees, r->addressed_to))
		validation_add(v, "addressed_to",
			       N_("Cette valeur ne fait pas partie de la liste."));
	if (r->type && !in_list(support_types, r->type))
		validation_add(v, "type", N_("Cette valeur ne fait pas partie de la liste."));
	if (r->urgency && !in_list(support_urgencies, r->urgency))
		validation_add(v, "urgency", N_("Cette valeur ne fait pas partie de la liste."));
	if (r->text && !text_ok(r->text))
		validation_add(v, "text", N_("Le texte est limité à 2000 caractères."));
	if (v->n)
		return 1;
	char *today = arena_alloc(ar, 11);
	journal_today(today);
	r->date = today;
	r->person_id = who->person_id;
	r->organisation_id = who->organisation_id;
	if (!r->ext_id)
		r->ext_id = row_new_ext_id(ar, "req");
	struct db_stmt *s = db_stmt(db, STMT_TEAM_REQ_INSERT);
	if (!s)
		return -1;
	db_bind_text(s, 1, r->ext_id);
	db_bind_int64(s, 2, r->person_id);
	db_bind_text(s, 3, r->date);
	db_bind_text(s, 4, r->addressed_to);
	db_bind_text(s, 5, r->type);
	db_bind_text(s, 6, r->urgency);
	db_bind_text(s, 7, r->text);
	if (row_exec(db, s, "support.file") < 0)
		return -1;
	r->id = db_last_insert_id(db);
	if (inbox_notify_organisation(db, r->organisation_id, true, 0, INBOX_SUPPORT_FILED, r->id,
				      r->urgency, ptime_now()) < 0)
		return -1;
	log_info("support.file", "request=%lld by=%lld urgency=%s", (long long)r->id,
		 (long long)who->person_id, r->urgency ? r->urgency : "-");
	return 0;
}

static void read_row(struct arena *ar, struct db_stmt *s, struct support_request *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_col_int64(s, 0);
	r->ext_id = db_col_text(ar, s, 1);
	r->person_id = db_col_int64(s, 2);
	r->person_name = db_col_text(ar, s, 3);
	r->organisation_id = db_col_int64(s, 4);
	r->date = db_col_text(ar, s, 5);
	r->addressed_to = db_col_text(ar, s, 6);
	r->type = db_col_text(ar, s, 7);
	r->urgency = db_col_text(ar, s, 8);
	r->text = db_col_text(ar, s, 9);
	r->acknowledged_at = db_col_int64(s, 10);
	r->closed_at = db_col_int64(s, 11);
	r->resolution = db_col_text(ar, s, 12);
	r->person_ext = db_col_text(ar, s, 13);
}

static bool may_see(const struct actor *who, const struct support_request *r)
{
	if (!who)
		return false;
	if (who->role == ROLE_PAP)
		return who->person_id == r->person_id;
	return support_can_handle(who) && who->organisation_id == r->organisation_id;
}

int support_get(struct db *db, struct arena *ar, const struct actor *who, int64_t id,
		struct support_request *out)
{
	struct db_stmt *s = db_stmt(db, STMT_TEAM_REQ_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, id);
	int r = row_fetch(db, s, "support.get");
	if (r != 0)
		return r;
	read_row(ar, s, out);
	db_reset(s);
	return may_see(who, out) ? 0 : 1;
}

int support_list(struct db *db, struct arena *ar, const struct actor *who,
		 struct support_request **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *s;
	if (support_can_file(who)) {
		if (!(s = db_stmt(db, STMT_TEAM_REQ_OF_PERSON)))
			return -1;
		db_bind_int64(s, 1, who->person_id);
	} else if (support_can_handle(who)) {
		if (!(s = db_stmt(db, STMT_TEAM_REQ_OF_ORG)))
			return -1;
		db_bind_int64(s, 1, who->organisation_id);
	} else {
		return 0;
	}
	struct row_array rows = {0};
	struct support_request *it;
	while ((it = row_next(db, s, ar, &rows, sizeof(*it), "support.list")))
		read_row(ar, s, it);
	if (rows.rc < 0)
		return -1;
	*out = rows.v;
	*n = rows.n;
	return 0;
}

int support_acknowledge(struct db *db, const struct actor *who, const struct support_request *r)
{
	if (!support_can_handle(who) || who->organisation_id != r->organisation_id)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_TEAM_REQ_ACK);
	if (!s)
		return -1;
	db_bind_int64(s, 1, r->id);
	db_bind_int64(s, 2, ptime_now());
	if (row_exec(db, s, "support.acknowledge") < 0 ||
	    (!r->acknowledged_at && inbox_notify_person(db, r->person_id, INBOX_SUPPORT_ANSWERED,
							r->id, NULL, ptime_now()) < 0))
		return -1;
	log_info("support.acknowledge", "request=%lld by=%lld", (long long)r->id,
		 (long long)who->person_id);
	return 0;
}

int support_close(struct db *db, const struct actor *who, const struct support_request *r,
		  const char *resolution, struct validation *v)
{
	if (!support_can_handle(who) || who->organisation_id != r->organisation_id)
		return 1;
	if (r->closed_at) {
		validation_add(v, "resolution", N_("Cette demande est déjà fermée."));
		return 1;
	}
	if (!resolution || !*resolution) {
		validation_add(v, "resolution", N_("Indiquez ce qui a été fait."));
		return 1;
	}
	if (!text_ok(resolution)) {
		validation_add(v, "resolution", N_("Le texte est limité à 2000 caractères."));
		return 1;
	}
	struct db_stmt *s = db_stmt(db, STMT_TEAM_REQ_CLOSE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, r->id);
	db_bind_int64(s, 2, ptime_now());
	db_bind_text(s, 3, resolution);
	if (row_exec(db, s, "support.close") < 0 ||
	    inbox_notify_person(db, r->person_id, INBOX_SUPPORT_ANSWERED, r->id, NULL,
				ptime_now()) < 0)
		return -1;
	log_info("support.close", "request=%lld by=%lld", (long long)r->id,
		 (long long)who->person_id);
	return 0;
}
