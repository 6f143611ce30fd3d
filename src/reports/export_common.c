/* Words shared by the XLSX and PDF writers: sections, definitions
 * (indicators.md, French msgids, English in po/parts/en-exports.po),
 * statuses, views, units, the suppression note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "reports/chart.h"
#include "reports/export.h"

/* The section and the long definition (indicators.md) of each indicator,
 * from indicators.def. */
static const struct {
	enum report_section section;
	const char *def; /* French msgid (English: po/parts/en-exports.po) */
} IND_WORDS[REPORT_N_INDICATORS] = {
#define IND(NAME, id, SECTION, SUBJECT, label, unit, op, target, COMPUTE, def) \
	[REPORT_IND_##NAME] = {REPORT_SECTION_##SECTION, def},
#include "reports/indicators.def"
#undef IND
};

/* See export.h. */
enum report_section report_section_of(const char *id)
{
	enum report_ind ind;
	if (report_ind_parse(id, &ind) == 0)
		return IND_WORDS[ind].section;
	return strncmp(id, "act.", 4) == 0 ? REPORT_SECTION_ACTIVITES : REPORT_SECTION_ARRIMAGE;
}

/* See export.h. */
const char *report_section_title(const char *lang, enum report_section s)
{
	switch (s) {
	case REPORT_SECTION_ARRIMAGE: return i18n_tr(lang, "Arrimage");
	case REPORT_SECTION_ACTIVITES: return i18n_tr(lang, "Activités");
	case REPORT_SECTION_EQUIPE: break;
	}
	return i18n_tr(lang, "Équipe");
}

/* See export.h. */
const char *report_definition(const char *lang, const char *id)
{
	enum report_ind ind;
	return report_ind_parse(id, &ind) == 0 ? i18n_tr(lang, IND_WORDS[ind].def) : "";
}

/* See export.h. */
const char *report_status_words(const char *lang, enum report_status s)
{
	switch (s) {
	case REPORT_STATUS_ATTEINT: return chart_status_word(lang, CHART_STATUS_MET);
	case REPORT_STATUS_NON_ATTEINT: return chart_status_word(lang, CHART_STATUS_NOT_MET);
	case REPORT_STATUS_INSUFFISANT: return chart_status_word(lang, CHART_STATUS_INSUFFICIENT);
	case REPORT_STATUS_SANS_CIBLE: break;
	}
	return chart_status_word(lang, CHART_STATUS_NONE);
}

/* See export.h. */
const char *report_view_words(const char *lang, enum report_view v)
{
	switch (v) {
	case REPORT_VIEW_COMPLET: return i18n_tr(lang, "complète (non caviardée)");
	case REPORT_VIEW_GESTIONNAIRE: return i18n_tr(lang, "gestionnaire");
	case REPORT_VIEW_COMITE: return i18n_tr(lang, "comité");
	case REPORT_VIEW_ANALYSTE: break;
	}
	return i18n_tr(lang, "analyste");
}

/* See export.h. */
const char *report_unit_words(const char *lang, const char *unit)
{
	static const char *const units[] = {
		N_("jours"),
		N_("nombre"),
		N_("personnes"),
		N_("familles"),
		N_("minutes"),
		N_("heures/mois/PAP"),
		N_("demandes/trimestre/PAP"),
		N_("score/5"),
	};
	if (!unit)
		return "";
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(units[i], unit) == 0)
			return i18n_tr(lang, units[i]);
	return unit;
}

/* See export.h. */
const char *report_suppression_note(struct arena *a, const struct report *r)
{
	const char *lang = r->scope.lang;
	if (r->scope.view != REPORT_VIEW_COMITE && r->scope.view != REPORT_VIEW_ANALYSTE)
		return "";
	int t = r->scope.threshold > 0 ? r->scope.threshold : REPORT_DEFAULT_THRESHOLD;
	/* A translated format: the English msgstr keeps the same five %d
	 * (msgfmt --check verifies c-format entries). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return arena_printf(
		a,
		i18n_tr(lang, "Petits nombres caviardés (seuil %d) : un nombre de personnes ou "
			      "de familles de 1 à %d est affiché « <%d » ; une statistique sur "
			      "moins de %d familles ou PAP est affichée « n<%d » ; une autre "
			      "case peut être masquée pour qu'on ne puisse pas la déduire d'un "
			      "total. Ces valeurs ne figurent nulle part dans le fichier."),
		t, t - 1, t, t, t);
#pragma GCC diagnostic pop
}

/* See export.h. */
const char *report_target_text(struct arena *a, const char *lang, const struct ind_result *ind)
{
	if (!ind->target.present)
		return "—";
	const char *op = ind->target.op ? ind->target.op : "";
	const char *sym = strcmp(op, "<=") == 0   ? "≤"
			  : strcmp(op, ">=") == 0 ? "≥"
			  : strcmp(op, "<") == 0  ? "<"
			  : strcmp(op, ">") == 0  ? ">"
						  : op;
	char num[64];
	chart_format_number(lang, ind->target.value, 1, num, sizeof(num));
	/* "2,0" reads oddly for a whole target */
	if (ind->target.value == (double)(long long)ind->target.value)
		chart_format_number(lang, ind->target.value, 0, num, sizeof(num));
	const char *unit = report_unit_words(lang, ind->unit);
	return arena_printf(a, "%s %s%s%s", sym, num,
			    unit[0] ? (strcmp(unit, "%") ? " " : "\xc2\xa0") : "", unit);
}

/* See export.h. */
const char *report_date_text(struct arena *a, const struct pdate *d)
{
	char out[11];
	ptime_format_date(d, out);
	return arena_strdup(a, out);
}

/* See export.h. */
void report_time_words(const char *lang, int64_t t, char *out, size_t cap)
{
	static const char *const months[] = {
		N_("janvier"),   N_("février"), N_("mars"),     N_("avril"),
		N_("mai"),       N_("juin"),    N_("juillet"),  N_("août"),
		N_("septembre"), N_("octobre"), N_("novembre"), N_("décembre"),
	};
	char iso[26];
	ptime_format_local(t, iso); /* "YYYY-MM-DDTHH:MM:SS±HH:MM" */
	int y = (int)strtol(iso, NULL, 10), mo = (int)strtol(iso + 5, NULL, 10),
	    d = (int)strtol(iso + 8, NULL, 10), h = (int)strtol(iso + 11, NULL, 10),
	    mi = (int)strtol(iso + 14, NULL, 10);
	if (mo < 1 || mo > 12) {
		snprintf(out, cap, "%s", iso);
		return;
	}
	const char *month = i18n_tr(lang, months[mo - 1]);
	if (lang && strcmp(lang, "en") == 0)
		snprintf(out, cap, "%s %d, %d, %d:%02d %s", month, d, y, h % 12 ? h % 12 : 12, mi,
			 h < 12 ? "a.m." : "p.m.");
	else
		snprintf(out, cap, "%d %s %d à %d h %02d", d, month, y, h, mi);
}

/* See export.h. */
const char *report_value_words(struct arena *a, const char *lang, const struct ind_result *ind)
{
	if (!ind->has_value || !ind->unit)
		return ind->display;
	if (strcmp(ind->unit, "minutes") == 0)
		return report_minutes_words(a, lang, ind->value);
	const char *unit = report_unit_words(lang, ind->unit);
	if (!unit[0] || strcmp(ind->unit, "nombre") == 0)
		return ind->display;
	return arena_printf(a, "%s%s%s", ind->display, strcmp(unit, "%") ? " " : "\xc2\xa0", unit);
}

/* See export.h. */
const char *report_minutes_words(struct arena *a, const char *lang, double minutes)
{
	long long m = minutes < 0 ? 0 : (long long)(minutes + 0.5);
	char h[32];
	chart_format_number(lang, (double)(m / 60), 0, h, sizeof(h));
	if (m % 60 == 0)
		return arena_printf(a, "%s h", h);
	return arena_printf(a, "%s h %02lld min", h, m % 60);
}
