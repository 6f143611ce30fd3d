/* Translations. The source language of every message is French (Québec);
 * po/en.po holds the English. The build compiles every po/LANG.po with GNU msgfmt
 * and embeds the .mo files; this module looks messages up in them directly,
 * per request and per thread, with no dependency on the system's installed
 * locales (setlocale is process-wide, so it cannot serve one request in
 * French and the next in English). */
#ifndef PROXIMA_I18N_H
#define PROXIMA_I18N_H

/* Marks a string for extraction without translating it here. */
#define N_(s) (s)

/* Languages the UI offers. "fr" is the source and the default. */
#define I18N_DEFAULT "fr"

/* Loads the embedded catalogues. Returns 0, or -1 if one is malformed. */
int i18n_init(void);

/* True for a language code the UI offers ("fr", "en"). */
int i18n_supported(const char *lang);

/* The translation of msgid in lang, or msgid itself. Never NULL; the
 * result is static (owned by the binary). */
const char *i18n_tr(const char *lang, const char *msgid);

/* Plural form: singular/plural French msgids, count n. */
const char *i18n_trn(const char *lang, const char *singular, const char *plural, long n);

/* Picks "fr" or "en" from an Accept-Language header (q-values honoured);
 * "fr" when nothing matches. Static result. */
const char *i18n_negotiate(const char *accept_language);

#endif
