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

/* Team follow-up indicators (ind_team.h): the "équipe" section. */
static const char *const team_ids[] = {"arr.roulement", "arr.heures_supervision",
				       "arr.demandes_soutien", "arr.satisfaction_pap"};

/* See export.h. */
enum report_section report_section_of(const char *id)
{
	for (size_t i = 0; i < sizeof(team_ids) / sizeof(team_ids[0]); i++)
		if (strcmp(id, team_ids[i]) == 0)
			return REPORT_SECTION_EQUIPE;
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

static const struct {
	const char *id, *def;
} definitions[] = {
	{"arr.secteurs_cadre",
	 N_("Nombre de secteurs distincts ayant, sur le territoire, au moins un poste pourvu "
	    "pendant la période dont le mandat couvre les trois composantes (démarchage, "
	    "accompagnement, collaboration).")},
	{"arr.chevauchement_mandats",
	 N_("Parmi les paires de postes de secteurs différents pourvus pendant la période, % "
	    "des paires dont les mandats partagent au moins un élément (population, type "
	    "d'activité).")},
	{"arr.presentations_mandat",
	 N_("Nombre d'activités de type présentation de mandat ou de rôle pendant la "
	    "période.")},
	{"arr.delai_prise_en_charge",
	 N_("Sur les trajectoires dont le dernier renvoi a été pris en charge pendant la "
	    "période : jours entre le premier contact et la prise en charge (heures écoulées / "
	    "24). Moyenne, médiane, 90e centile et n. Cible : moyenne de 2 jours ou moins.")},
	{"arr.taux_echappement",
	 N_("Sur les trajectoires dont le premier renvoi a été envoyé pendant la période et "
	    "qui sont arrivées à maturité : % de familles perdues, refusées, réorientées sans "
	    "suite, ou sans prise en charge après la fenêtre d'échappement. Cible : moins de "
	    "10 %.")},
	{"arr.renvois_boucle",
	 N_("Nombre de trajectoires commencées pendant la période où une organisation "
	    "apparaît deux fois, et leur % des trajectoires commencées.")},
	{"arr.roulement",
	 N_("Postes dont le titulaire est parti pendant la période, divisés par l'effectif "
	    "moyen, × 100.")},
	{"arr.heures_supervision",
	 N_("Heures d'encadrement reçues par les PAP pendant la période, par mois et par "
	    "PAP (effectif moyen).")},
	{"arr.projets_arrimage",
	 N_("Nombre de projets d'arrimage actifs à un moment de la période.")},
	{"arr.satisfaction_familles",
	 N_("Score moyen (1 à 5) des réponses des familles au sondage pendant la période, n "
	    "et % de 4 ou plus. Cible : 4 sur 5 ou plus.")},
	{"arr.portrait",
	 N_("Dernière valeur connue de chaque indicateur du portrait sociosanitaire du "
	    "territoire, avec sa période et sa source.")},
	{"arr.corridors_adaptes",
	 N_("Nombre de corridors actifs sur le territoire, dont ceux liés à au moins un "
	    "indicateur du portrait.")},
	{"arr.demandes_soutien",
	 N_("Demandes de soutien formel pendant la période, par trimestre et par PAP "
	    "(effectif moyen).")},
	{"arr.satisfaction_pap",
	 N_("Score moyen (1 à 5) des réponses des PAP au sondage pendant la période, n et % "
	    "de 4 ou plus. Cible : 4 sur 5 ou plus.")},
	{"act.activites",
	 N_("Nombre d'activités, par type, composante, stratégie et type de lieu.")},
	{"act.personnes_rejointes",
	 N_("Somme des personnes rejointes (adultes et enfants) par les activités, par "
	    "groupe d'âge.")},
	{"act.familles_rejointes",
	 N_("Familles suivies distinctes liées à une activité, plus les familles anonymes "
	    "comptées.")},
	{"act.nouveaux_contacts",
	 N_("Somme des nouveaux contacts, dont ceux obtenus par démarchage proactif.")},
	{"act.hors_reseau", N_("Somme des personnes hors réseau rejointes, et leur % des personnes "
			       "rejointes.")},
	{"act.temps",
	 N_("Minutes directes, minutes indirectes par nature, total, et multiplicateur "
	    "(total / direct) : le temps caché derrière le temps direct.")},
	{"act.composantes",
	 N_("Part des activités et du temps par composante (démarchage, accompagnement, "
	    "collaboration) ; une activité à k composantes compte 1/k pour chacune.")},
	{"act.strategies", N_("Nombre et % d'activités par stratégie mobilisée.")},
	{"act.besoins", N_("Nombre de besoins identifiés, par besoin, en ordre décroissant.")},
	{"act.accompagnements",
	 N_("Activités d'accompagnement ; renvois envoyés par corridor et secteur "
	    "receveur.")},
	{"act.collectif", N_("Activités de groupe et actions collectives ; participants.")},
	{"act.partenaires",
	 N_("Organisations partenaires distinctes engagées dans les activités ; rencontres "
	    "de concertation.")},
	{"act.retombees",
	 N_("Nombre de retombées observées par nature (crise désamorcée, urgence évitée, "
	    "…).")},
	{"act.trous_service", N_("Trous de services signalés, par besoin.")},
};

/* See export.h. */
const char *report_definition(const char *lang, const char *id)
{
	for (size_t i = 0; i < sizeof(definitions) / sizeof(definitions[0]); i++)
		if (strcmp(definitions[i].id, id) == 0)
			return i18n_tr(lang, definitions[i].def);
	return "";
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
