/* Administration, settings and self-service at the model and auth level:
 * the settings table (ranges, normalisation, one answer for every
 * reader), TOTP against RFC 6238's test vectors and with the injectable
 * clock, recovery codes, one-time account links, deactivation ending
 * sessions and tokens at once, the territories' hierarchy, an
 * organisation's own reference entries and their retirement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/token.h"
#include "auth/totp.h"
#include "auth/twofactor.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/person.h"
#include "model/referral.h"
#include "model/refdata.h"
#include "model/settings.h"
#include "model/supervision.h"
#include "model/survey.h"
#include "model/territory.h"
#include "model/vault.h"
#include "support/scratch_db.h"

#define FIXTURE                                                                               \
	"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'T-A', 'Territoire A', "   \
	"'urbain'), (2, 'T-B', 'Territoire B', 'rural');"                                     \
	"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES (1, 'X', 'CLSC X', "   \
	"(SELECT id FROM sector WHERE ext_id = 'MSSS'));"                                     \
	"INSERT INTO person (id, ext_id, name, email, role, organisation_id, password_hash) " \
	"VALUES (1, 'p1', 'Pap Un', 'p1@x.test', 'pap', 1, 'x');"

/* The first column of the first row of sql, or -1. */
static int64_t db_query_int(struct db *db, const char *sql)
{
	struct db_stmt *q = db_query(db, sql);
	if (!q)
		return -1;
	int64_t v = db_step(q) == DB_ROW ? db_col_int64(q, 0) : -1;
	db_query_free(q);
	return v;
}

static int setup(void **state)
{
	struct scratch *s = scratch_new("admin", 1 << 16, FIXTURE);
	unsetenv("PROXIMA_NOW");
	ptime_hooks_load();
	*state = s;
	return s ? 0 : -1;
}

/* ---- Settings. */

static void test_settings_table_is_whole(void **state)
{
	(void)state;
	for (int i = 0; i < SETTING__COUNT; i++) {
		const struct setting_def *d = settings_def((enum setting_id)i);
		assert_int_equal(d->id, i);
		assert_ptr_equal(settings_find(d->key), d);
		assert_int_equal(settings_check(d, d->def, NULL, NULL), SETTING_OK);
		assert_non_null(d->label);
		assert_non_null(d->help);
	}
	assert_null(settings_find("no_such_setting"));
}

static void test_settings_refuse_out_of_range(void **state)
{
	struct scratch *s = *state;
	assert_int_equal(settings_set(s->db, SETTING_SMALL_CELL_THRESHOLD, "2000"),
			 SETTING_ERR_RANGE);
	assert_int_equal(settings_set(s->db, SETTING_SMALL_CELL_THRESHOLD, "2"), SETTING_ERR_RANGE);
	assert_int_equal(settings_set(s->db, SETTING_SMALL_CELL_THRESHOLD, "7 "), SETTING_ERR_TYPE);
	assert_int_equal(settings_int(s->db, SETTING_SMALL_CELL_THRESHOLD), 5);
	assert_int_equal(settings_set(s->db, SETTING_SMALL_CELL_THRESHOLD, "7"), SETTING_OK);
	assert_int_equal(settings_int(s->db, SETTING_SMALL_CELL_THRESHOLD), 7);
	assert_int_equal(settings_set(s->db, SETTING_ESCAPE_WINDOW_DAYS, "0"), SETTING_ERR_RANGE);
	assert_int_equal(settings_set(s->db, SETTING_SUPERVISION_TARGET_HOURS_MONTH, "1,5"),
			 SETTING_OK);
	assert_true(settings_real(s->db, SETTING_SUPERVISION_TARGET_HOURS_MONTH) == 1.5);
	assert_string_equal(
		settings_text(s->db, s->ar, SETTING_SUPERVISION_TARGET_HOURS_MONTH, NULL, NULL),
		"1.5");
	assert_int_equal(settings_set(s->db, SETTING_SUPERVISION_TARGET_HOURS_MONTH, "1e3"),
			 SETTING_ERR_TYPE);
	assert_int_equal(settings_set(s->db, SETTING_TOTP_REQUIRED, "oui"), SETTING_OK);
	assert_true(settings_bool(s->db, SETTING_TOTP_REQUIRED));
	assert_int_equal(settings_set(s->db, SETTING_TOTP_REQUIRED, "peut-être"), SETTING_ERR_TYPE);
	assert_int_equal(settings_set(s->db, SETTING_TIME_ZONE, "Mars/Olympus"), SETTING_ERR_ZONE);
	assert_int_equal(settings_set(s->db, SETTING_TIME_ZONE, "America/Montreal"), SETTING_OK);
	assert_int_equal(settings_set(s->db, SETTING_INSTANCE_NAME, ""), SETTING_ERR_TEXT);
	assert_int_equal(settings_set(s->db, SETTING_DEMO_LOADED, "1"), SETTING_ERR_READONLY);
	/* The refusal says the range, in each language. */
	const struct setting_def *t = settings_def(SETTING_SMALL_CELL_THRESHOLD);
	assert_string_equal(settings_refusal(t, SETTING_ERR_RANGE, "en", s->ar),
			    "Enter a whole number (3 – 100).");
	assert_string_equal(settings_refusal(t, SETTING_ERR_RANGE, "fr", s->ar),
			    "Entrez un nombre entier (3 – 100).");
	assert_int_equal(settings_reset(s->db, SETTING_SMALL_CELL_THRESHOLD), 0);
	assert_int_equal(settings_int(s->db, SETTING_SMALL_CELL_THRESHOLD), 5);
}

/* A value stored out of range (an old database, a hand edit) is refused the
 * same way by every reader: the default applies everywhere, and the table
 * says the stored value is refused. Before the table, 2000 was the report
 * engine's threshold and 5 the survey pages'. */
static void test_settings_one_answer_for_every_reader(void **state)
{
	struct scratch *s = *state;
	exec_ok(s->db, "INSERT INTO settings (key, value) VALUES ('small_cell_threshold', '2000') "
		       "ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
		       "INSERT INTO settings (key, value) VALUES ('escape_window_days', '9999') "
		       "ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
	bool set, invalid;
	assert_string_equal(
		settings_text(s->db, s->ar, SETTING_SMALL_CELL_THRESHOLD, &set, &invalid), "5");
	assert_true(set);
	assert_true(invalid);
	assert_int_equal(survey_threshold(s->db), 5);
	assert_int_equal(settings_int(s->db, SETTING_SMALL_CELL_THRESHOLD), 5);
	assert_int_equal(referral_escape_window(s->db), 30);
	exec_ok(s->db, "UPDATE settings SET value = '12' WHERE key = 'small_cell_threshold';"
		       "UPDATE settings SET value = '45' WHERE key = 'escape_window_days';");
	assert_int_equal(survey_threshold(s->db), 12);
	assert_int_equal(settings_int(s->db, SETTING_SMALL_CELL_THRESHOLD), 12);
	assert_int_equal(referral_escape_window(s->db), 45);
	/* The supervision target: the instance's default through the table. */
	struct actor gest = {.person_id = 1, .role = ROLE_GESTIONNAIRE, .organisation_id = 1};
	struct validation v = {0};
	assert_int_equal(supervision_set_target(s->db, &gest, 250, &v), 1);
	assert_non_null(validation_get(&v, "target"));
}

/* ---- TOTP. */

/* RFC 6238, appendix B: every row of the table. */
static void test_totp_rfc6238_vectors(void **state)
{
	(void)state;
	static const char seed1[] = "12345678901234567890";
	static const char seed256[] = "12345678901234567890123456789012";
	static const char seed512[] =
		"1234567890123456789012345678901234567890123456789012345678901234";
	static const struct {
		int64_t t;
		const char *sha1, *sha256, *sha512;
	} rows[] = {
		{59, "94287082", "46119246", "90693936"},
		{1111111109, "07081804", "68084774", "25091201"},
		{1111111111, "14050471", "67062674", "99943326"},
		{1234567890, "89005924", "91819424", "93441116"},
		{2000000000, "69279037", "90698825", "38618901"},
		{20000000000, "65353130", "77737706", "47863826"},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char c[TOTP_MAX_DIGITS + 1];
		assert_int_equal(
			totp_code((const unsigned char *)seed1, 20, rows[i].t, 8, TOTP_SHA1, c), 0);
		assert_string_equal(c, rows[i].sha1);
		assert_int_equal(
			totp_code((const unsigned char *)seed256, 32, rows[i].t, 8, TOTP_SHA256, c),
			0);
		assert_string_equal(c, rows[i].sha256);
		assert_int_equal(
			totp_code((const unsigned char *)seed512, 64, rows[i].t, 8, TOTP_SHA512, c),
			0);
		assert_string_equal(c, rows[i].sha512);
		/* The 6-digit code apps show is the last six digits. */
		assert_int_equal(
			totp_code((const unsigned char *)seed1, 20, rows[i].t, 6, TOTP_SHA1, c), 0);
		assert_string_equal(c, rows[i].sha1 + 2);
	}
}

static void test_totp_check_window_and_replay(void **state)
{
	(void)state;
	const unsigned char *k = (const unsigned char *)"12345678901234567890";
	int64_t now = 1111111111; /* step 37037037 */
	char prev[9], cur[9], next[9], far[9];
	totp_code(k, 20, now - 30, 6, TOTP_SHA1, prev);
	totp_code(k, 20, now, 6, TOTP_SHA1, cur);
	totp_code(k, 20, now + 30, 6, TOTP_SHA1, next);
	totp_code(k, 20, now + 90, 6, TOTP_SHA1, far);
	int64_t step = totp_step(now);
	assert_int_equal(totp_check(k, 20, cur, now, 0), step);
	assert_int_equal(totp_check(k, 20, prev, now, 0), step - 1);
	assert_int_equal(totp_check(k, 20, next, now, 0), step + 1);
	assert_int_equal(totp_check(k, 20, far, now, 0), -1);
	/* A code is used once: its step, or an earlier one, is refused. */
	assert_int_equal(totp_check(k, 20, cur, now, step), -1);
	assert_int_equal(totp_check(k, 20, prev, now, step), -1);
	assert_int_equal(totp_check(k, 20, next, now, step), step + 1);
	/* Spaces are allowed, anything else is not. */
	char spaced[12];
	snprintf(spaced, sizeof(spaced), "%.3s %.3s", cur, cur + 3);
	assert_int_equal(totp_check(k, 20, spaced, now, 0), step);
	assert_int_equal(totp_check(k, 20, "12345", now, 0), -1);
	assert_int_equal(totp_check(k, 20, "1234567", now, 0), -1);
	assert_int_equal(totp_check(k, 20, "12a456", now, 0), -1);
}

static void test_totp_base32_and_uri(void **state)
{
	struct scratch *s = *state;
	assert_string_equal(totp_base32(s->ar, (const unsigned char *)"f", 1), "MY");
	assert_string_equal(totp_base32(s->ar, (const unsigned char *)"fo", 2), "MZXQ");
	assert_string_equal(totp_base32(s->ar, (const unsigned char *)"foo", 3), "MZXW6");
	assert_string_equal(totp_base32(s->ar, (const unsigned char *)"foobar", 6), "MZXW6YTBOI");
	const char *uri = totp_uri(s->ar, (const unsigned char *)"foobar", 6, "a b@x.test");
	assert_string_equal(uri, "otpauth://totp/Proxima:a%20b%40x.test?secret=MZXW6YTBOI&"
				 "issuer=Proxima&algorithm=SHA1&digits=6&period=30");
}

/* Enrolment, sign-in codes and recovery codes, with the clock injected. */
static void test_twofactor_with_fixed_clock(void **state)
{
	struct scratch *s = *state;
	unsigned char key[32];
	memset(key, 7, sizeof(key));
	vault_set_key(key);
	setenv("PROXIMA_NOW", "2026-03-10T09:00:00", 1);
	ptime_hooks_load();
	int64_t now = ptime_now();
	unsigned char secret[TOTP_SECRET_LEN];
	assert_int_equal(twofactor_begin(s->db, 1, secret), 0);
	struct twofactor_state st;
	assert_int_equal(twofactor_state(s->db, 1, &st), 0);
	assert_true(st.pending);
	assert_false(st.enabled);
	assert_memory_equal(st.secret, secret, TOTP_SECRET_LEN);
	/* The secret is stored sealed, never in clear. */
	struct db_stmt *q = db_query(s->db, "SELECT totp_secret FROM person WHERE id = 1");
	assert_non_null(q);
	assert_int_equal(db_step(q), DB_ROW);
	assert_true(db_col_bytes(q, 0) > TOTP_SECRET_LEN);
	assert_null(memmem(db_col_blob(q, 0), db_col_bytes(q, 0), secret, TOTP_SECRET_LEN));
	db_query_free(q);

	char cur[9], next[9];
	totp_code(secret, TOTP_SECRET_LEN, now, 6, TOTP_SHA1, cur);
	totp_code(secret, TOTP_SECRET_LEN, now + 30, 6, TOTP_SHA1, next);
	const char *codes[TWOFACTOR_RECOVERY_CODES];
	assert_int_equal(twofactor_enable(s->db, s->ar, 1, "000000", codes),
			 strcmp(cur, "000000") == 0 ? 0 : 1);
	assert_int_equal(twofactor_enable(s->db, s->ar, 1, cur, codes), 0);
	assert_int_equal(twofactor_state(s->db, 1, &st), 0);
	assert_true(st.enabled);
	assert_int_equal(st.recovery_left, TWOFACTOR_RECOVERY_CODES);
	/* The code that enabled it cannot sign in: it was used. The next
	 * step's can, once. */
	assert_int_equal(twofactor_verify(s->db, 1, cur), 1);
	assert_int_equal(twofactor_verify(s->db, 1, next), 0);
	assert_int_equal(twofactor_verify(s->db, 1, next), 1);
	/* A recovery code works once, with or without its dashes, any case. */
	char upper[32];
	size_t k = 0;
	for (const char *p = codes[3]; *p; p++)
		if (*p != '-')
			upper[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	upper[k] = '\0';
	assert_int_equal(twofactor_verify(s->db, 1, upper), 0);
	assert_int_equal(twofactor_verify(s->db, 1, codes[3]), 1);
	assert_int_equal(twofactor_state(s->db, 1, &st), 0);
	assert_int_equal(st.recovery_left, TWOFACTOR_RECOVERY_CODES - 1);
	/* Another person's recovery code means nothing here. */
	assert_int_equal(twofactor_verify(s->db, 1, "aaaa-bbbb-cccc-dddd"), 1);
	/* Off: secret and codes forgotten. */
	assert_int_equal(twofactor_disable(s->db, 1), 0);
	assert_int_equal(twofactor_state(s->db, 1, &st), 0);
	assert_false(st.enabled || st.pending);
	assert_int_equal(st.recovery_left, 0);
	unsetenv("PROXIMA_NOW");
	ptime_hooks_load();
	vault_unload();
}

static void test_twofactor_required_by_setting(void **state)
{
	struct scratch *s = *state;
	assert_false(twofactor_required(s->db, ROLE_PAP));
	assert_int_equal(settings_set(s->db, SETTING_TOTP_REQUIRED, "1"), SETTING_OK);
	assert_true(twofactor_required(s->db, ROLE_PAP));
	assert_true(twofactor_required(s->db, ROLE_GESTIONNAIRE));
	assert_false(twofactor_required(s->db, ROLE_COMITE));
	assert_false(twofactor_required(s->db, ROLE_ANALYSTE));
	assert_false(twofactor_required(s->db, ROLE_ADMIN));
	const char *token;
	assert_int_equal(session_create(s->db, s->ar, 1, "Firefox", &token), 0);
	struct actor a;
	assert_int_equal(session_resolve(s->db, s->ar, token, &a), 0);
	assert_true(a.must_enrol);
}

/* ---- Accounts. */

static void test_links_and_deactivation(void **state)
{
	struct scratch *s = *state;
	const char *token, *session, *api;
	int64_t until, tid;
	setenv("PROXIMA_NOW", "2026-03-10T09:00:00", 1);
	ptime_hooks_load();
	assert_int_equal(
		account_link_create(s->db, s->ar, 1, ACCOUNT_LINK_RESET, 0, &token, &until), 0);
	assert_int_equal(until - ptime_now(), 24 * 3600);
	/* Only the hash is stored. */
	struct db_stmt *q = db_query(s->db, "SELECT count(*) FROM account_link WHERE "
					    "CAST(token_hash AS TEXT) LIKE '%' || ?1 || '%'");
	assert_non_null(q);
	db_bind_text(q, 1, token);
	assert_int_equal(db_step(q), DB_ROW);
	assert_int_equal(db_col_int(q, 0), 0);
	db_query_free(q);
	struct account_link l;
	assert_int_equal(account_link_find(s->db, token, &l), 0);
	assert_int_equal(l.person_id, 1);
	assert_int_equal(l.purpose, ACCOUNT_LINK_RESET);
	/* A newer link voids it. */
	const char *newer;
	assert_int_equal(account_link_create(s->db, s->ar, 1, ACCOUNT_LINK_RESET, 0, &newer, NULL),
			 0);
	assert_int_equal(account_link_find(s->db, token, &l), 1);
	assert_int_equal(account_link_find(s->db, newer, &l), 0);
	assert_int_equal(session_create(s->db, s->ar, 1, NULL, &session), 0);
	char hash[PASSWORD_HASH_LEN];
	assert_int_equal(password_hash("un mot de passe neuf", hash), 0);
	assert_int_equal(account_link_use(s->db, &l, hash), 0);
	assert_int_equal(account_link_find(s->db, newer, &l), 1); /* used */
	struct actor a;
	assert_int_equal(session_resolve(s->db, s->ar, session, &a), 1); /* ended */
	struct person p;
	assert_int_equal(person_find_by_id(s->db, s->ar, 1, &p), 0);
	assert_int_equal(password_verify(p.password_hash, "un mot de passe neuf"), 0);

	/* Deactivation: the session and the token stop at once, and stay
	 * stopped after a reactivation. */
	assert_int_equal(session_create(s->db, s->ar, 1, NULL, &session), 0);
	assert_int_equal(token_create(s->db, s->ar, 1, "intégration", 0, &api, &tid), 0);
	assert_int_equal(session_resolve(s->db, s->ar, session, &a), 0);
	assert_int_equal(token_resolve(s->db, s->ar, api, &a), 0);
	assert_int_equal(account_link_create(s->db, s->ar, 1, ACCOUNT_LINK_RESET, 0, &token, NULL),
			 0);
	assert_int_equal(account_deactivate(s->db, 1), 0);
	assert_int_equal(session_resolve(s->db, s->ar, session, &a), 1);
	assert_int_equal(token_resolve(s->db, s->ar, api, &a), 1);
	assert_int_equal(account_link_find(s->db, token, &l), 1);
	assert_int_equal(account_reactivate(s->db, 1), 0);
	assert_int_equal(session_resolve(s->db, s->ar, session, &a), 1);
	assert_int_equal(token_resolve(s->db, s->ar, api, &a), 1);
	assert_int_equal(account_deactivate(s->db, 99), 1);
	unsetenv("PROXIMA_NOW");
	ptime_hooks_load();
}

static void test_password_change_ends_other_sessions(void **state)
{
	struct scratch *s = *state;
	char hash[PASSWORD_HASH_LEN];
	assert_int_equal(password_hash("ancien mot de passe", hash), 0);
	assert_int_equal(person_set_password(s->db, 1, hash), 0);
	const char *mine, *other;
	assert_int_equal(session_create(s->db, s->ar, 1, "Firefox", &mine), 0);
	assert_int_equal(session_create(s->db, s->ar, 1, "Chromium", &other), 0);
	struct actor a, b;
	assert_int_equal(session_resolve(s->db, s->ar, mine, &a), 0);
	struct session_info *v;
	size_t n;
	assert_int_equal(session_list(s->db, s->ar, 1, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(password_hash("nouveau mot de passe", hash), 0);
	assert_int_equal(account_change_password(s->db, s->ar, 1, a.session_id, "mauvais", hash),
			 1);
	assert_int_equal(
		account_change_password(s->db, s->ar, 1, a.session_id, "ancien mot de passe", hash),
		0);
	assert_int_equal(session_resolve(s->db, s->ar, mine, &b), 0);
	assert_int_equal(session_resolve(s->db, s->ar, other, &b), 1);
	assert_int_equal(session_end_all(s->db, 1), 0);
	assert_int_equal(session_resolve(s->db, s->ar, mine, &b), 1);
}

/* ---- Territories and reference lists. */

static void test_territory_hierarchy(void **state)
{
	struct scratch *s = *state;
	struct validation v = {0};
	struct territory r = {.ext_id = "R-1", .name = "Région 1"};
	assert_int_equal(territory_save(s->db, s->ar, &r, &v), 0);
	struct territory a = {.id = 1, .name = "Territoire A", .type = "urbain", .parent_id = r.id};
	assert_int_equal(territory_save(s->db, s->ar, &a, &v), 0);
	struct territory q = {.ext_id = "Q-1", .name = "Quartier 1", .parent_id = 1};
	assert_int_equal(territory_save(s->db, s->ar, &q, &v), 0);
	struct territory *t;
	size_t n;
	assert_int_equal(territory_tree(s->db, s->ar, &t, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(t[0].ext_id, "R-1");
	assert_string_equal(territory_level(&t[0]), "Région");
	assert_string_equal(t[1].ext_id, "T-A");
	assert_string_equal(territory_level(&t[1]), "Territoire");
	assert_string_equal(t[2].ext_id, "Q-1");
	assert_string_equal(territory_level(&t[2]), "Quartier");
	assert_string_equal(territory_level(&t[3]), "Territoire"); /* T-B, alone */
	/* A fourth level, a cycle, an unknown parent, a bad type: refused. */
	struct territory deep = {.ext_id = "D", .name = "Trop bas", .parent_id = q.id};
	assert_int_equal(territory_save(s->db, s->ar, &deep, &v), 1);
	assert_non_null(validation_get(&v, "parent"));
	struct validation v2 = {0};
	struct territory cyc = {.id = r.id, .name = "Région 1", .parent_id = q.id};
	assert_int_equal(territory_save(s->db, s->ar, &cyc, &v2), 1);
	assert_string_equal(validation_get(&v2, "parent"),
			    "Un territoire ne peut pas être placé sous lui-même ni sous un de "
			    "ses quartiers.");
	struct validation v3 = {0};
	struct territory bad = {.ext_id = "B", .name = "B", .type = "lunaire", .parent_id = 999};
	assert_int_equal(territory_save(s->db, s->ar, &bad, &v3), 1);
	assert_non_null(validation_get(&v3, "type"));
	assert_non_null(validation_get(&v3, "parent"));
	struct validation v4 = {0};
	struct territory dup = {.ext_id = "T-B", .name = "Doublon"};
	assert_int_equal(territory_save(s->db, s->ar, &dup, &v4), 1);
	assert_non_null(validation_get(&v4, "ext_id"));
}

static bool offered(struct scratch *s, const char *code)
{
	struct ref_item *items;
	size_t n;
	assert_int_equal(refdata_list(s->db, s->ar, REF_NEED, 1, &items, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].code, code) == 0)
			return true;
	return false;
}

static void test_reference_entry_retired_keeps_history(void **state)
{
	struct scratch *s = *state;
	struct validation v = {0};
	assert_int_equal(refdata_add(s->db, REF_NEED, 1, "aide_devoirs", "Aide aux devoirs",
				     "Homework help", &v),
			 0);
	assert_true(offered(s, "aide_devoirs"));
	assert_true(refdata_valid(s->db, REF_NEED, "aide_devoirs", 1));
	struct validation v2 = {0};
	assert_int_equal(refdata_add(s->db, REF_NEED, 1, "logement", "Logement", "Housing", &v2),
			 1);
	assert_string_equal(validation_get(&v2, "code"), "Ce code existe déjà dans cette liste.");
	struct validation v3 = {0};
	assert_int_equal(refdata_add(s->db, REF_NEED, 1, "Aide!", "", "x", &v3), 1);
	assert_non_null(validation_get(&v3, "code"));
	assert_non_null(validation_get(&v3, "label_fr"));
	int64_t id = db_query_int(s->db, "SELECT id FROM ref_item WHERE code = 'aide_devoirs'");
	assert_true(id > 0);
	assert_int_equal(refdata_set_active(s->db, id, 2, false), 1); /* not organisation 2's */
	assert_int_equal(refdata_set_active(s->db, id, 1, false), 0);
	assert_false(offered(s, "aide_devoirs"));
	assert_false(refdata_valid(s->db, REF_NEED, "aide_devoirs", 1));
	assert_string_equal(refdata_label_any(s->db, s->ar, "aide_devoirs", "en"), "Homework help");
	assert_string_equal(refdata_label(s->db, s->ar, REF_NEED, "aide_devoirs", "fr"),
			    "Aide aux devoirs");
	/* A shipped default is nobody's to retire. */
	int64_t shipped = db_query_int(s->db, "SELECT id FROM ref_item WHERE code = 'logement'");
	assert_int_equal(refdata_set_active(s->db, shipped, 1, false), 1);
	assert_int_equal(refdata_set_active(s->db, id, 1, true), 0);
	assert_true(offered(s, "aide_devoirs"));
}

int main(void)
{
	if (sodium_init() < 0 || i18n_init() < 0)
		return 1;
	setenv("PROXIMA_TEST_FAST_HASH", "1", 1);
	password_hooks_load();
	ptime_set_zone("America/Toronto");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_table_is_whole),
		cmocka_unit_test_setup_teardown(test_settings_refuse_out_of_range, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_settings_one_answer_for_every_reader, setup,
						scratch_teardown),
		cmocka_unit_test(test_totp_rfc6238_vectors),
		cmocka_unit_test(test_totp_check_window_and_replay),
		cmocka_unit_test_setup_teardown(test_totp_base32_and_uri, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_twofactor_with_fixed_clock, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_twofactor_required_by_setting, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_links_and_deactivation, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_password_change_ends_other_sessions, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_territory_hierarchy, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_reference_entry_retired_keeps_history, setup,
						scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
