/* The settings table (model/settings.h). Adding a setting is one row of
 * TABLE below, one enum value, and its readers calling a typed getter. */
#include "model/settings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/ptime.h"
#include "core/utf8.h"
#include "core/util.h"
#include "model/row.h"

#define NUM(x) #x
#define STR(x) NUM(x)

static const struct setting_def TABLE[SETTING__COUNT] = {
	{SETTING_INSTANCE_NAME, "instance_name", SETTING_TEXT, "Proxima", 1, 100,
	 SETTING_SCOPE_INSTANCE, false, N_("Nom de l'instance"),
	 N_("Le nom de cette installation, affiché au pied de chaque page.")},
	{SETTING_TIME_ZONE, "time_zone", SETTING_ZONE, "America/Toronto", 0, 0,
	 SETTING_SCOPE_INSTANCE, true, N_("Fuseau horaire"),
	 N_("Le fuseau des dates locales (un nom IANA, par exemple America/Toronto).")},
	{SETTING_SMALL_CELL_THRESHOLD, "small_cell_threshold", SETTING_INT,
	 STR(SETTINGS_DEFAULT_THRESHOLD), 3, 100, SETTING_SCOPE_INSTANCE, false,
	 N_("Seuil des petites cellules"),
	 N_("Les comptes inférieurs au seuil sont masqués pour le comité et l'analyste, et "
	    "une moyenne de sondage ne paraît qu'à partir de ce nombre de réponses.")},
	{SETTING_ESCAPE_WINDOW_DAYS, "escape_window_days", SETTING_INT,
	 STR(SETTINGS_DEFAULT_ESCAPE_DAYS), 1, 365, SETTING_SCOPE_INSTANCE, false,
	 N_("Fenêtre d'échappement (jours)"),
	 N_("Un renvoi encore ouvert après ce nombre de jours compte comme une famille "
	    "perdue entre deux services.")},
	{SETTING_SUPERVISION_TARGET_HOURS_MONTH, "supervision_target_hours_month", SETTING_REAL,
	 "2", 0.25, 200, SETTING_SCOPE_ORGANISATION, false,
	 N_("Cible d'encadrement (heures par mois)"),
	 N_("Les heures d'encadrement visées par PAP et par mois; une organisation peut fixer "
	    "la sienne sur la page Équipe.")},
	{SETTING_TOTP_REQUIRED, "totp_required", SETTING_BOOL, "0", 0, 1, SETTING_SCOPE_INSTANCE,
	 false, N_("Double authentification obligatoire"),
	 N_("Les PAP et les gestionnaires, qui lisent des données nominatives, doivent "
	    "activer la double authentification avant d'utiliser Proxima.")},
	{SETTING_INVITATION_DAYS, "invitation_days", SETTING_INT, "7", 1, 30,
	 SETTING_SCOPE_INSTANCE, false, N_("Validité d'une invitation (jours)"),
	 N_("Le lien d'invitation d'un nouveau compte expire après ce nombre de jours.")},
	{SETTING_RESET_HOURS, "reset_hours", SETTING_INT, "24", 1, 72, SETTING_SCOPE_INSTANCE,
	 false, N_("Validité d'un lien de réinitialisation (heures)"),
	 N_("Le lien qui permet de choisir un nouveau mot de passe expire après ce nombre "
	    "d'heures.")},
	{SETTING_DEMO_LOADED, "demo_loaded", SETTING_BOOL, "0", 0, 1, SETTING_SCOPE_INTERNAL, false,
	 N_("Données de démonstration chargées"),
	 N_("Mis par « proxima demo »; ne se change pas.")},
	{SETTING_RETENTION_MONTHS, "retention_months", SETTING_INT, "60", 1, 1200,
	 SETTING_SCOPE_ORGANISATION, false, N_("Conservation des dossiers fermés (mois)"),
	 N_("Après ce nombre de mois, les coordonnées d'un dossier de famille fermé sont "
	    "détruites et le reste anonymisé; la personne responsable d'une organisation peut "
	    "fixer sa propre période.")},
	{SETTING_REFERRAL_REMINDER_DAYS, "referral_reminder_days", SETTING_INT, "3", 0, 90,
	 SETTING_SCOPE_INSTANCE, false, N_("Rappel d'une référence (jours)"),
	 N_("Une référence sans accusé de réception après ce nombre de jours est rappelée, une "
	    "fois, aux deux organisations (0 : jamais).")},
	{SETTING_REFERRAL_EXPIRY_DAYS, "referral_expiry_days", SETTING_INT, "60", 0, 365,
	 SETTING_SCOPE_INSTANCE, false, N_("Expiration d'une référence (jours)"),
	 N_("Une référence sans prise en charge après ce nombre de jours est fermée comme "
	    "perdue et compte comme un échappement (0 : jamais).")},
	{SETTING_SMTP_URL, "smtp_url", SETTING_TEXT, "", 0, 300, SETTING_SCOPE_INSTANCE, false,
	 N_("Serveur de courriel (SMTP)"),
	 N_("L'adresse du serveur SMTP de l'organisation, par exemple "
	    "smtps://courriel.exemple.org:465. Vide : aucun courriel n'est envoyé.")},
	{SETTING_SMTP_FROM, "smtp_from", SETTING_TEXT, "", 0, 200, SETTING_SCOPE_INSTANCE, false,
	 N_("Expéditeur des courriels"),
	 N_("L'adresse d'où partent les avis de Proxima, par exemple proxima@exemple.org.")},
	{SETTING_SMTP_USER, "smtp_user", SETTING_TEXT, "", 0, 200, SETTING_SCOPE_INSTANCE, false,
	 N_("Compte SMTP"),
	 N_("Le nom d'utilisateur du serveur SMTP (vide : aucun); son mot de passe est "
	    "lu dans la variable d'environnement PROXIMA_SMTP_PASSWORD de « proxima serve ».")},
	{SETTING_PUBLIC_URL, "public_url", SETTING_TEXT, "", 0, 300, SETTING_SCOPE_INSTANCE, false,
	 N_("Adresse publique de Proxima"),
	 N_("L'adresse que les liens des courriels prennent, par exemple "
	    "https://proxima.exemple.org.")},
};

const struct setting_def *settings_def(enum setting_id id)
{
	BUG_ON((unsigned)id >= SETTING__COUNT || TABLE[id].id != id);
	return &TABLE[id];
}

const struct setting_def *settings_find(const char *key)
{
	for (size_t i = 0; key && i < SETTING__COUNT; i++)
		if (strcmp(TABLE[i].key, key) == 0)
			return &TABLE[i];
	return NULL;
}

/* A decimal number with '.' or ',' as separator, the whole of s. */
static int parse_real(const char *s, double *out)
{
	char t[64];
	size_t n = str_copy(t, sizeof(t), s);
	if (n == 0 || n >= sizeof(t))
		return -1;
	for (char *p = t; *p; p++) {
		if (*p == ',')
			*p = '.';
		else if (!(*p == '.' || *p == '-' || (*p >= '0' && *p <= '9')))
			return -1; /* no exponent, no "inf", no spaces */
	}
	char *end;
	double d = strtod(t, &end);
	if (end == t || *end || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "oui", "yes", "true", "on"};
	static const char *const no[] = {"0", "non", "no", "false", "off"};
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (str_ieq(s, yes[i]) || str_ieq(s, no[i])) {
			*out = str_ieq(s, yes[i]);
			return 0;
		}
	}
	return -1;
}

static enum setting_err check_number(const struct setting_def *d, const char *text, struct arena *a,
				     const char **norm)
{
	double v;
	if (d->type == SETTING_INT) {
		int64_t i;
		if (parse_i64(text, INT64_MIN / 2, INT64_MAX / 2, &i) < 0)
			return SETTING_ERR_TYPE;
		v = (double)i;
	} else if (parse_real(text, &v) < 0) {
		return SETTING_ERR_TYPE;
	}
	if (v < d->min || v > d->max)
		return SETTING_ERR_RANGE;
	if (norm)
		*norm = d->type == SETTING_INT ? arena_printf(a, "%.0f", v)
					       : arena_printf(a, "%.10g", v);
	return SETTING_OK;
}

enum setting_err settings_check(const struct setting_def *d, const char *text, struct arena *a,
				const char **norm)
{
	if (!d)
		return SETTING_ERR_UNKNOWN;
	if (!text)
		text = "";
	switch (d->type) {
	case SETTING_INT:
	case SETTING_REAL: return check_number(d, text, a, norm);
	case SETTING_BOOL: {
		bool b;
		if (parse_bool(text, &b) < 0)
			return SETTING_ERR_TYPE;
		if (norm)
			*norm = b ? "1" : "0";
		return SETTING_OK;
	}
	case SETTING_TEXT: {
		size_t n = strlen(text);
		if (!utf8_valid(text, n))
			return SETTING_ERR_TEXT;
		size_t chars = utf8_length(text, n);
		if (chars < (size_t)d->min || chars > (size_t)d->max)
			return SETTING_ERR_TEXT;
		break;
	}
	case SETTING_ZONE:
		if (!ptime_zone_known(text))
			return SETTING_ERR_ZONE;
		break;
	}
	if (norm)
		*norm = arena_strdup(a, text);
	return SETTING_OK;
}

/* Stores the normalised text of a valid value of d. */
static enum setting_err store(struct db *db, const struct setting_def *d, const char *text)
{
	struct arena *a = arena_new(256);
	const char *norm;
	enum setting_err e = settings_check(d, text, a, &norm);
	if (e == SETTING_OK) {
		struct db_stmt *s = db_stmt(db, STMT_SETTING_PUT);
		if (!s) {
			e = SETTING_ERR_DB;
		} else {
			db_bind_text(s, 1, d->key);
			db_bind_text_copy(s, 2, norm);
			if (row_exec(db, s, "settings.set") < 0)
				e = SETTING_ERR_DB;
		}
	}
	arena_free(a);
	return e;
}

enum setting_err settings_set(struct db *db, enum setting_id id, const char *text)
{
	const struct setting_def *d = settings_def(id);
	if (d->scope == SETTING_SCOPE_INTERNAL)
		return SETTING_ERR_READONLY;
	return store(db, d, text);
}

enum setting_err settings_set_internal(struct db *db, enum setting_id id, const char *text)
{
	const struct setting_def *d = settings_def(id);
	BUG_ON(d->scope != SETTING_SCOPE_INTERNAL);
	return store(db, d, text);
}

int settings_reset(struct db *db, enum setting_id id)
{
	struct db_stmt *s = db_stmt(db, STMT_SETTING_DELETE);
	if (!s)
		return -1;
	db_bind_text(s, 1, settings_def(id)->key);
	return row_exec(db, s, "settings.reset");
}

/* The stored text of d into the arena: 0, 1 when none is stored, -1 on a
 * database error (logged). */
static int stored(struct db *db, struct arena *a, const struct setting_def *d, const char **out)
{
	struct db_stmt *s = db_stmt(db, STMT_SETTING_GET);
	if (!s)
		return -1;
	db_bind_text(s, 1, d->key);
	int r = row_fetch(db, s, "settings.get");
	if (r == 0) {
		*out = db_col_text(a, s, 0);
		db_reset(s);
		if (!*out)
			*out = "";
	}
	return r;
}

const char *settings_text(struct db *db, struct arena *a, enum setting_id id, bool *is_set,
			  bool *invalid)
{
	const struct setting_def *d = settings_def(id);
	const char *v = NULL;
	int r = stored(db, a, d, &v);
	if (is_set)
		*is_set = r == 0;
	if (invalid)
		*invalid = false;
	if (r < 0)
		return NULL;
	if (r > 0)
		return d->def;
	const char *norm;
	if (settings_check(d, v, a, &norm) == SETTING_OK)
		return norm;
	if (invalid)
		*invalid = true;
	char lv[200];
	log_warn("settings.invalid", "key=%s value=%s default=%s", d->key,
		 log_value(lv, sizeof(lv), v), d->def);
	return d->def;
}

/* The value in force of a numeric or boolean setting, as a double. */
static double number_of(struct db *db, enum setting_id id, enum setting_type want)
{
	const struct setting_def *d = settings_def(id);
	BUG_ON(d->type != want);
	struct arena *a = arena_new(256);
	const char *v = settings_text(db, a, id, NULL, NULL);
	double x;
	bool b;
	if (!v)
		v = d->def; /* a database error, logged: the default */
	if (want == SETTING_BOOL)
		x = parse_bool(v, &b) == 0 && b ? 1 : 0;
	else if (parse_real(v, &x) < 0)
		die_bug(__FILE__, __LINE__, "a setting's value in force is not a number");
	arena_free(a);
	return x;
}

int settings_int(struct db *db, enum setting_id id)
{
	return (int)number_of(db, id, SETTING_INT);
}

double settings_real(struct db *db, enum setting_id id)
{
	return number_of(db, id, SETTING_REAL);
}

bool settings_bool(struct db *db, enum setting_id id)
{
	return number_of(db, id, SETTING_BOOL) != 0;
}

/* A number as people write it in lang: "0,25" in French. */
static const char *number_text(struct arena *a, double v, const char *lang)
{
	char *s = arena_printf(a, "%.10g", v);
	if (strcmp(lang, "en") != 0)
		for (char *p = s; *p; p++)
			if (*p == '.')
				*p = ',';
	return s;
}

const char *settings_range_text(const struct setting_def *d, const char *lang, struct arena *a)
{
	switch (d->type) {
	case SETTING_INT:
	case SETTING_REAL:
		return arena_printf(a, "%s – %s", number_text(a, d->min, lang),
				    number_text(a, d->max, lang));
	case SETTING_TEXT:
		return arena_printf(a, "%s – %s %s", number_text(a, d->min, lang),
				    number_text(a, d->max, lang), i18n_tr(lang, "caractères"));
	case SETTING_BOOL:
	case SETTING_ZONE: break;
	}
	return "";
}

const char *settings_refusal(const struct setting_def *d, enum setting_err e, const char *lang,
			     struct arena *a)
{
	const char *range = d ? settings_range_text(d, lang, a) : "";
	const char *what;
	switch (e) {
	case SETTING_OK: return "";
	case SETTING_ERR_UNKNOWN: return i18n_tr(lang, "Ce paramètre n'existe pas.");
	case SETTING_ERR_READONLY:
		return i18n_tr(lang, "Ce paramètre est tenu par Proxima et ne se change pas.");
	case SETTING_ERR_DB:
		return i18n_tr(lang, "La base de données a refusé l'écriture; rien n'a changé.");
	case SETTING_ERR_ZONE:
		return i18n_tr(lang, "Entrez un fuseau horaire connu de ce serveur (par exemple "
				     "America/Toronto).");
	case SETTING_ERR_TYPE:
	case SETTING_ERR_RANGE:
	case SETTING_ERR_TEXT: break;
	}
	switch (d->type) {
	case SETTING_INT: what = i18n_tr(lang, "Entrez un nombre entier"); break;
	case SETTING_REAL: what = i18n_tr(lang, "Entrez un nombre"); break;
	case SETTING_TEXT: what = i18n_tr(lang, "Entrez un texte"); break;
	case SETTING_BOOL: return i18n_tr(lang, "Choisissez oui ou non.");
	default: return i18n_tr(lang, "Valeur refusée.");
	}
	return arena_printf(a, "%s (%s).", what, range);
}
