/* Instance settings: one typed table (in the manner of redis's config
 * table). Each setting has its key, its type, its default, its range, who
 * may change it and a description in French (English in the catalogue).
 * The database (table settings) holds only the values someone set, as
 * text; every reader goes through the typed getters below, so a value is
 * valid (or refused) the same way everywhere and no reader keeps its own
 * default. `proxima settings` and the page /admin/parametres set values
 * through settings_set, which refuses a value outside its range. */
#ifndef PROXIMA_SETTINGS_H
#define PROXIMA_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"

enum setting_id {
	SETTING_INSTANCE_NAME,
	SETTING_TIME_ZONE,
	SETTING_SMALL_CELL_THRESHOLD,
	SETTING_ESCAPE_WINDOW_DAYS,
	SETTING_SUPERVISION_TARGET_HOURS_MONTH,
	SETTING_TOTP_REQUIRED,
	SETTING_INVITATION_DAYS,
	SETTING_RESET_HOURS,
	SETTING_DEMO_LOADED,
	SETTING_RETENTION_MONTHS,
	SETTING_REFERRAL_REMINDER_DAYS,
	SETTING_REFERRAL_EXPIRY_DAYS,
	SETTING_SMTP_URL,
	SETTING_SMTP_FROM,
	SETTING_SMTP_USER,
	SETTING_PUBLIC_URL,
	SETTING__COUNT
};

/* The defaults that code outside the table needs as constants (a report
 * built without a database falls back on them); the table uses the same. */
#define SETTINGS_DEFAULT_THRESHOLD 5
#define SETTINGS_DEFAULT_ESCAPE_DAYS 30

enum setting_type {
	SETTING_INT,  /* a whole number in [min, max] */
	SETTING_REAL, /* a decimal number in [min, max] ("1,5" or "1.5") */
	SETTING_BOOL, /* 1/0, oui/non, yes/no, true/false, on/off; stored 1 or 0 */
	SETTING_TEXT, /* UTF-8 text of min to max characters */
	SETTING_ZONE, /* an IANA time zone known to this system */
};

enum setting_scope {
	SETTING_SCOPE_INSTANCE,     /* the administrator sets it for the instance */
	SETTING_SCOPE_ORGANISATION, /* the instance's default; an organisation's
				     * manager may set its own value */
	SETTING_SCOPE_INTERNAL,     /* written by Proxima itself, read-only */
};

struct setting_def {
	enum setting_id id;
	const char *key; /* as stored and typed on the command line */
	enum setting_type type;
	const char *def; /* the default, as text */
	double min, max; /* INT and REAL: inclusive range; TEXT: characters */
	enum setting_scope scope;
	bool restart;      /* takes effect when serve starts again */
	const char *label; /* French msgid, a few words */
	const char *help;  /* French msgid, one sentence */
};

/* Why a value is refused (settings_check, settings_set). */
enum setting_err {
	SETTING_OK = 0,
	SETTING_ERR_UNKNOWN,  /* no setting has this key */
	SETTING_ERR_READONLY, /* SETTING_SCOPE_INTERNAL */
	SETTING_ERR_TYPE,     /* not a number / not yes or no */
	SETTING_ERR_RANGE,    /* a number outside [min, max] */
	SETTING_ERR_TEXT,     /* empty, too long, or not UTF-8 */
	SETTING_ERR_ZONE,     /* not a time zone of this system */
	SETTING_ERR_DB,       /* the database failed (logged) */
};

/* The definition of id (a static row of the table). */
const struct setting_def *settings_def(enum setting_id id);

/* The definition whose key is key, or NULL. For the command line and the
 * settings page, which get keys from people; code reads a setting through
 * its id (tools/fmtcheck refuses a literal key here outside this module). */
const struct setting_def *settings_find(const char *key);

/* Checks text as a value of d. Returns SETTING_OK and, when norm is not
 * NULL, the normalised value ("1.5" for "1,5", "1" for "oui") as an arena
 * string in *norm; else the reason. */
enum setting_err settings_check(const struct setting_def *d, const char *text, struct arena *a,
				const char **norm);

/* Checks text (settings_check) and stores its normalised form. Returns
 * SETTING_OK or the reason (nothing is written then). The caller owns the
 * transaction, if any. */
enum setting_err settings_set(struct db *db, enum setting_id id, const char *text);

/* The same for a SETTING_SCOPE_INTERNAL setting, which only Proxima itself
 * writes (BUG_ON for any other). */
enum setting_err settings_set_internal(struct db *db, enum setting_id id, const char *text);

/* Forgets the value set for id: the default applies again. 0 or -1. */
int settings_reset(struct db *db, enum setting_id id);

/* The value in force, as text (arena string): the stored value when one is
 * set and valid, else the default. *is_set (may be NULL) tells whether a
 * value is stored, *invalid (may be NULL) whether that stored value is
 * refused by the table (the default is then in force). NULL on a database
 * error (logged). */
const char *settings_text(struct db *db, struct arena *a, enum setting_id id, bool *is_set,
			  bool *invalid);

/* Typed getters: the value in force (a stored value outside the table's
 * range is logged and the default used; so is a database error). id must
 * be of the getter's type (BUG_ON otherwise). */
int settings_int(struct db *db, enum setting_id id);
double settings_real(struct db *db, enum setting_id id);
bool settings_bool(struct db *db, enum setting_id id);

/* The range of d for people: "3 – 100", "0,25 – 200" in French, "0.25 –
 * 200" in English; "1 – 100 caractères" / "1 – 100 characters" for text;
 * "" for the other types. Arena string. */
const char *settings_range_text(const struct setting_def *d, const char *lang, struct arena *a);

/* Why a value was refused, in lang, as a sentence that gives the range:
 * "Entrez un nombre entier (3 – 100)." Arena string. */
const char *settings_refusal(const struct setting_def *d, enum setting_err e, const char *lang,
			     struct arena *a);

#endif
