/* E-mail of the inbox's events. See notify.h for the contract. */
#include "model/notify.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "model/row.h"
#include "model/settings.h"

#define NOTIFY_MESSAGE_MAX 16384

static const struct {
	enum notify_mode mode;
	const char *code, *label;
} MODES[] = {
	{NOTIFY_NONE, "aucun", N_("Aucun courriel")},
	{NOTIFY_DAILY, "quotidien", N_("Un résumé par jour")},
	{NOTIFY_IMMEDIATE, "immediat", N_("Un courriel à chaque avis")},
};

const char *notify_mode_code(enum notify_mode mode)
{
	BUG_ON((unsigned)mode >= ARRAY_LEN(MODES));
	return MODES[mode].code;
}

const char *notify_mode_label(enum notify_mode mode)
{
	BUG_ON((unsigned)mode >= ARRAY_LEN(MODES));
	return MODES[mode].label;
}

int notify_mode_parse(const char *code, enum notify_mode *out)
{
	for (size_t i = 0; code && i < ARRAY_LEN(MODES); i++) {
		if (strcmp(code, MODES[i].code) == 0) {
			*out = MODES[i].mode;
			return 0;
		}
	}
	return -1;
}

int notify_choice_get(struct db *db, const struct actor *who, enum notify_mode *out)
{
	*out = NOTIFY_NONE;
	if (!who || who->person_id <= 0)
		return 0;
	struct db_stmt *s = db_stmt(db, STMT_NOTIFY_CHOICE_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->person_id);
	int r = row_fetch(db, s, "notify.choice");
	if (r < 0)
		return -1;
	if (r == 0) {
		if (notify_mode_parse(db_col_cstr(s, 0), out) < 0)
			*out = NOTIFY_NONE;
		db_reset(s);
	}
	return 0;
}

int notify_choice_set(struct db *db, const struct actor *who, enum notify_mode mode)
{
	if (!who || who->person_id <= 0)
		return 1;
	struct db_stmt *s = db_stmt(db, STMT_NOTIFY_CHOICE_SET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, who->person_id);
	db_bind_text(s, 2, notify_mode_code(mode));
	return row_exec(db, s, "notify.choice_set");
}

int notify_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* True when s can go in a header: no line break, no angle bracket. */
static bool header_safe(const char *s)
{
	return s && *s && !strpbrk(s, "\r\n<>");
}

int notify_compose(struct buf *out, const char *from, const char *to, const char *base_url,
		   const size_t counts[INBOX__COUNT], int64_t now)
{
	char date[64];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	size_t total = 0;
	for (size_t k = 0; k < INBOX__COUNT; k++)
		total += counts[k];
	int rc = buf_printf(out,
			    "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\n"
			    "Subject: Proxima : %zu avis / %zu notice%s\r\n"
			    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
			    "Content-Transfer-Encoding: 8bit\r\n\r\n",
			    date, from, to, total, total, total == 1 ? "" : "s");
	static const char *const langs[] = {"fr", "en"};
	for (size_t l = 0; rc == 0 && l < ARRAY_LEN(langs); l++) {
		for (size_t k = 0; rc == 0 && k < INBOX__COUNT; k++)
			if (counts[k])
				rc = buf_printf(out, "- %s : %zu\r\n",
						i18n_tr(langs[l],
							inbox_kind_def((enum inbox_kind)k)->label),
						counts[k]);
		if (rc == 0)
			rc = buf_printf(out, "%s %s/boite\r\n\r\n",
					i18n_tr(langs[l], "Votre boîte de réception :"), base_url);
	}
	return rc;
}

/* The message being uploaded. */
struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(dst, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

/* The SMTP configuration, read once per pass. */
struct smtp {
	const char *url, *from, *user, *base;
};

/* Sends message to to. 0 or -1 (logged). */
static int smtp_send(const struct smtp *c, const char *to, const struct buf *message)
{
	CURL *h = curl_easy_init();
	if (!h)
		return -1;
	char from[300], rcpt_to[300];
	snprintf(from, sizeof(from), "<%s>", c->from);
	snprintf(rcpt_to, sizeof(rcpt_to), "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, rcpt_to);
	struct upload u = {message->data, message->len};
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	const char *password = getenv("PROXIMA_SMTP_PASSWORD");
	if (*c->user) {
		/* Credentials only over TLS. */
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, password ? password : "");
	} else {
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	}
	CURLcode rc = curl_easy_perform(h);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		log_warn("notify.send", "reason=%s", curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

/* One person's pending events: counted and marked mailed in one unit. */
struct claim {
	int64_t person, now;
	size_t counts[INBOX__COUNT];
	size_t total;
};

static enum db_unit_verdict claim_work(struct db *db, void *arg)
{
	struct claim *c = arg;
	memset(c->counts, 0, sizeof(c->counts));
	c->total = 0;
	struct db_stmt *s = db_stmt(db, STMT_NOTIFY_COUNTS);
	if (!s)
		return DB_UNIT_DISCARD;
	db_bind_int64(s, 1, c->person);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		enum inbox_kind k;
		if (inbox_kind_parse(db_col_cstr(s, 0), &k) == 0) {
			c->counts[k] += (size_t)db_col_int64(s, 1);
			c->total += (size_t)db_col_int64(s, 1);
		}
	}
	db_reset(s);
	if (rc != DB_DONE) {
		db_log_error(db, "notify.counts");
		return DB_UNIT_DISCARD;
	}
	if (!(s = db_stmt(db, STMT_NOTIFY_MARK)))
		return DB_UNIT_DISCARD;
	db_bind_int64(s, 1, c->person);
	db_bind_int64(s, 2, c->now);
	return row_exec(db, s, "notify.mark") < 0 ? DB_UNIT_DISCARD : DB_UNIT_KEEP;
}

/* The people to write to: ids and addresses. 0 or -1. */
static int people(struct db *db, struct arena *ar, enum notify_mode mode, int64_t **ids,
		  const char ***emails, size_t *n)
{
	*n = 0;
	struct db_stmt *s = db_stmt(db, STMT_NOTIFY_PEOPLE);
	if (!s)
		return -1;
	db_bind_text(s, 1, notify_mode_code(mode));
	db_bind_int64(s, 2, NOTIFY_BATCH);
	*ids = arena_calloc(ar, NOTIFY_BATCH, sizeof(**ids));
	*emails = arena_calloc(ar, NOTIFY_BATCH, sizeof(**emails));
	int rc;
	while ((rc = db_step(s)) == DB_ROW && *n < NOTIFY_BATCH) {
		(*ids)[*n] = db_col_int64(s, 0);
		(*emails)[(*n)++] = db_col_text(ar, s, 1);
	}
	db_reset(s);
	if (rc != DB_DONE && rc != DB_ROW) {
		db_log_error(db, "notify.people");
		return -1;
	}
	return 0;
}

void notify_send(struct db *db, enum notify_mode mode, int64_t now)
{
	struct arena *ar = arena_new(16384);
	struct smtp c = {settings_text(db, ar, SETTING_SMTP_URL, NULL, NULL),
			 settings_text(db, ar, SETTING_SMTP_FROM, NULL, NULL),
			 settings_text(db, ar, SETTING_SMTP_USER, NULL, NULL),
			 settings_text(db, ar, SETTING_PUBLIC_URL, NULL, NULL)};
	int64_t *ids;
	const char **emails;
	size_t n = 0;
	if (!c.url || !*c.url || !header_safe(c.from) || !c.user || !c.base ||
	    people(db, ar, mode, &ids, &emails, &n) < 0) {
		arena_free(ar);
		return;
	}
	size_t sent = 0;
	struct buf msg;
	buf_init(&msg, NOTIFY_MESSAGE_MAX);
	for (size_t i = 0; i < n; i++) {
		struct claim cl = {.person = ids[i], .now = now};
		if (!header_safe(emails[i]) ||
		    db_unit_run(db, claim_work, &cl, NULL) != DB_UNIT_COMMITTED || !cl.total)
			continue;
		buf_reset(&msg);
		if (notify_compose(&msg, c.from, emails[i], c.base, cl.counts, now) == 0 &&
		    smtp_send(&c, emails[i], &msg) == 0)
			sent++;
	}
	buf_free(&msg);
	if (n)
		log_info("notify.sent", "mode=%s people=%zu sent=%zu", notify_mode_code(mode), n,
			 sent);
	arena_free(ar);
}
