/* The act.* indicators of the engine, on top of model/ind_activity.h (the
 * aggregates module): one ind_act_compute_all per report, mapped to
 * results, breakdowns and details. Counts of people carry
 * REPORT_SUBJECT_PEOPLE so that suppress.c hides their small cells, and
 * are published through eng_count (cell-key perturbation in the comite and
 * analyste views); the shares between them are computed from what is
 * published, so that no share gives a hidden figure back. */
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "model/organisation.h"
#include "reports/engine_internal.h"

#include "model/ind_activity.h"

/* Label of a code: from reference list `list`, else the indirect-time
 * kinds, else the code itself ("" = none). */
static const char *label_of(struct eng *e, const char *list, const char *code)
{
	static const char *const kinds[][2] = {
		{"deplacement", N_("Déplacement")},
		{"interprete", N_("Interprète")},
		{"redaction", N_("Rédaction")},
		{"preparation", N_("Préparation")},
	};
	if (list)
		return eng_ref_label(e, list, code);
	if (!code || !*code)
		return eng_tr(e, N_("(aucun)"));
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(code, kinds[i][0]) == 0)
			return eng_tr(e, kinds[i][1]);
	return code;
}

/* A breakdown from code/value rows, labels from reference list `list`
 * (NULL: the code is the label). */
static void codes(struct eng *e, struct ind_result *r, const char *name, const char *label,
		  const char *list, enum report_subject subject, bool additive,
		  const struct ind_code_value *v, size_t n)
{
	struct report_breakdown *b =
		eng_breakdown(e, r, name, label, r->unit, subject, additive, n);
	for (size_t i = 0; i < n; i++) {
		int64_t value = subject == REPORT_SUBJECT_PEOPLE
					? eng_count(e, v[i].value, v[i].key)
					: v[i].value;
		eng_cell(&b->cells[i], v[i].code, label_of(e, list, v[i].code), (double)value);
	}
}

/* The cells of r's breakdown name, keyed by sector ext id, labelled with
 * the sector's name in the report's language (sector_label). 0 or -1. */
static int sector_words(struct eng *e, struct ind_result *r, const char *name)
{
	struct report_breakdown *b = NULL;
	for (size_t i = 0; i < r->n_breakdowns; i++)
		if (strcmp(r->breakdowns[i].name, name) == 0)
			b = &r->breakdowns[i];
	if (!b || b->n_cells == 0)
		return 0;
	struct sector *sectors;
	size_t n;
	if (sector_list(e->db, e->a, &sectors, &n) < 0)
		return -1;
	for (size_t k = 0; k < b->n_cells; k++)
		for (size_t i = 0; i < n; i++)
			if (sectors[i].ext_id && strcmp(sectors[i].ext_id, b->cells[k].key) == 0)
				b->cells[k].label = sector_label(&sectors[i], e->lang);
	return 0;
}

/* act.activites, from the one pass x. 0 or -1. */
static int fill_activites(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->activites.total);
	codes(e, r, "par_type", N_("Par type"), "activity_type", REPORT_SUBJECT_NONE, true,
	      x->activites.by_type, x->activites.n_type);
	codes(e, r, "par_composante", N_("Par composante"), "component", REPORT_SUBJECT_NONE, false,
	      x->activites.by_component, x->activites.n_component);
	codes(e, r, "par_strategie", N_("Par stratégie"), "strategy", REPORT_SUBJECT_NONE, false,
	      x->activites.by_strategy, x->activites.n_strategy);
	codes(e, r, "par_lieu", N_("Par type de lieu"), "place", REPORT_SUBJECT_NONE, true,
	      x->activites.by_place, x->activites.n_place);
	return 0;
}

/* act.personnes_rejointes, from the one pass x. 0 or -1. */
static int fill_personnes_rejointes(struct eng *e, struct ind_result *r,
				    const struct ind_act_all *x)
{
	eng_value(r, (double)eng_count(e, x->personnes.total, x->personnes.key));
	codes(e, r, "par_groupe_age", N_("Par groupe d'âge"), NULL, REPORT_SUBJECT_PEOPLE, true,
	      x->personnes.by_age, x->personnes.n_age);
	struct report_breakdown *b = &r->breakdowns[r->n_breakdowns - 1];
	for (size_t i = 0; i < b->n_cells; i++) {
		const char *k = b->cells[i].key;
		b->cells[i].label =
			eng_tr(e, strcmp(k, "adultes") == 0       ? N_("Adultes")
				  : strcmp(k, "enfants_0_5") == 0 ? N_("Enfants 0-5 ans")
								  : N_("Jeunes 6-17 ans"));
	}
	return 0;
}

/* act.familles_rejointes, from the one pass x. 0 or -1. */
static int fill_familles_rejointes(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	const struct ind_act_familles_result *f = &x->familles;
	eng_value(r, (double)eng_count(e, f->total, f->key));
	struct report_breakdown *b = eng_breakdown(e, r, "par_origine", N_("Suivies ou anonymes"),
						   r->unit, REPORT_SUBJECT_PEOPLE, true, 2);
	eng_cell(&b->cells[0], "suivies", eng_tr(e, N_("Familles suivies")),
		 (double)eng_count(e, f->followed, f->key_followed));
	eng_cell(&b->cells[1], "anonymes", eng_tr(e, N_("Familles anonymes")),
		 (double)eng_count(e, f->anonymous, f->key_anonymous));
	return 0;
}

/* act.nouveaux_contacts, from the one pass x. 0 or -1. */
static int fill_nouveaux_contacts(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	int64_t total = eng_count(e, x->nouveaux.total, x->nouveaux.key);
	int64_t proactive = eng_count(e, x->nouveaux.proactive, x->nouveaux.key_proactive);
	eng_value(r, (double)total);
	eng_detail_int(e, r, "proactifs", N_("Par démarchage (initiés par la PAP)"), proactive,
		       REPORT_SUBJECT_PEOPLE);
	eng_detail_num(e, r, "pct_proactifs", N_("% par démarchage"),
		       eng_pct((double)proactive, (double)total));
	return 0;
}

/* act.hors_reseau, from the one pass x. 0 or -1. */
static int fill_hors_reseau(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	int64_t total = eng_count(e, x->hors_reseau.total, x->hors_reseau.key);
	int64_t people = eng_count(e, x->hors_reseau.people, x->hors_reseau.key_people);
	eng_value(r, (double)total);
	eng_detail_int(e, r, "personnes_rejointes", N_("Personnes rejointes"), people,
		       REPORT_SUBJECT_PEOPLE);
	if (people > 0)
		eng_detail_num(e, r, "pct", N_("% des personnes rejointes"),
			       eng_pct((double)total, (double)people));
	return 0;
}

/* act.temps, from the one pass x. 0 or -1. */
static int fill_temps(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->temps.total);
	eng_detail_int(e, r, "direct", N_("Temps direct (minutes)"), x->temps.direct,
		       REPORT_SUBJECT_NONE);
	eng_detail_int(e, r, "indirect", N_("Temps indirect (minutes)"), x->temps.indirect,
		       REPORT_SUBJECT_NONE);
	if (x->temps.defined)
		eng_detail_num(e, r, "multiplicateur", N_("Multiplicateur (total / direct)"),
			       x->temps.multiplier);
	codes(e, r, "indirect_par_type", N_("Temps indirect par type"), NULL, REPORT_SUBJECT_NONE,
	      false, x->temps.indirect_by_kind, x->temps.n_kind);
	return 0;
}

/* act.composantes, from the one pass x. 0 or -1. */
static int fill_composantes(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->composantes.activities);
	struct report_breakdown *ba = eng_breakdown(e, r, "pct_activites", N_("% des activités"),
						    "%", REPORT_SUBJECT_NONE, false, 3);
	struct report_breakdown *bt = eng_breakdown(e, r, "pct_temps", N_("% du temps"), "%",
						    REPORT_SUBJECT_NONE, false, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct ind_act_component_share *c = &x->composantes.comp[i];
		const char *l = eng_ref_label(e, "component", c->code);
		eng_cell(&ba->cells[i], c->code, l, ind_round1(c->pct_activities));
		eng_cell(&bt->cells[i], c->code, l, ind_round1(c->pct_time));
	}
	eng_detail_num(e, r, "sans_composante", N_("Activités sans composante"),
		       x->composantes.unassigned);
	return 0;
}

/* act.strategies, from the one pass x. 0 or -1. */
static int fill_strategies(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->strategies.activities);
	size_t n = x->strategies.n;
	struct report_breakdown *bc =
		eng_breakdown(e, r, "par_strategie", N_("Activités par stratégie"), "nombre",
			      REPORT_SUBJECT_NONE, false, n);
	struct report_breakdown *bp =
		eng_breakdown(e, r, "pct_par_strategie", N_("% des activités par stratégie"), "%",
			      REPORT_SUBJECT_NONE, false, n);
	for (size_t i = 0; i < n; i++) {
		const struct ind_code_share *c = &x->strategies.by_strategy[i];
		const char *l = eng_ref_label(e, "strategy", c->code);
		eng_cell(&bc->cells[i], c->code, l, (double)c->value);
		eng_cell(&bp->cells[i], c->code, l, ind_round1(c->pct));
	}
	return 0;
}

/* act.besoins, from the one pass x. 0 or -1. */
static int fill_besoins(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->besoins.mentions);
	codes(e, r, "par_besoin", N_("Par besoin"), "need", REPORT_SUBJECT_NONE, true,
	      x->besoins.ranked, x->besoins.n);
	return 0;
}

/* act.accompagnements, from the one pass x. 0 or -1. */
static int fill_accompagnements(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->accompagnements.activities);
	eng_detail_int(e, r, "references_envoyees", N_("Références envoyées"),
		       x->accompagnements.referrals_sent, REPORT_SUBJECT_NONE);
	codes(e, r, "references_par_corridor", N_("Références par corridor"), NULL,
	      REPORT_SUBJECT_NONE, false, x->accompagnements.by_corridor,
	      x->accompagnements.n_corridor);
	codes(e, r, "references_par_secteur", N_("Références par secteur receveur"), NULL,
	      REPORT_SUBJECT_NONE, false, x->accompagnements.by_sector,
	      x->accompagnements.n_sector);
	if (sector_words(e, r, "references_par_secteur") < 0)
		return -1;
	return 0;
}

/* act.collectif, from the one pass x. 0 or -1. */
static int fill_collectif(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->collectif.activities);
	eng_detail_int(e, r, "participants", N_("Participants"),
		       eng_count(e, x->collectif.participants, x->collectif.key_participants),
		       REPORT_SUBJECT_PEOPLE);
	codes(e, r, "par_type", N_("Par type"), "activity_type", REPORT_SUBJECT_NONE, true,
	      x->collectif.by_type, x->collectif.n_type);
	return 0;
}

/* act.partenaires, from the one pass x. 0 or -1. */
static int fill_partenaires(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->partenaires.partners);
	eng_detail_int(e, r, "concertation", N_("Rencontres de concertation"),
		       x->partenaires.concertation, REPORT_SUBJECT_NONE);
	return 0;
}

/* act.retombees, from the one pass x. 0 or -1. */
static int fill_retombees(struct eng *e, struct ind_result *r, const struct ind_act_all *x)
{
	eng_value(r, (double)x->retombees.mentions);
	codes(e, r, "par_retombee", N_("Par retombée"), "outcome", REPORT_SUBJECT_NONE, true,
	      x->retombees.by_outcome, x->retombees.n);
	return 0;
}

/* The fill function of each ACT row of indicators.def. */
static int (*const FILL[REPORT_N_INDICATORS])(struct eng *e, struct ind_result *r,
					      const struct ind_act_all *x) = {
#define ARR(fn) NULL
#define ACT(fn) fn
#define IND(NAME, id, SECTION, SUBJECT, label, unit, op, target, COMPUTE, def) \
	[REPORT_IND_##NAME] = COMPUTE,
#include "reports/indicators.def"
#undef IND
#undef ACT
#undef ARR
};

int eng_compute_activity(struct eng *e)
{
	struct ind_act_all x;
	const struct ind_act_all *cached = eng_cached_activity(e);
	if (cached)
		x = *cached;
	else if (ind_act_compute_all(e->db, e->a, &e->scope,
				     e->act_from_raw ? IND_ACT_RAW : IND_ACT_AGGREGATES, &x) < 0)
		return -1;
	for (size_t i = 0; i < e->r->n_indicators; i++) {
		struct ind_result *r = &e->r->indicators[i];
		if (!FILL[r->ind])
			continue;
		if (FILL[r->ind](e, r, &x) < 0)
			return -1;
		r->computed = true;
	}
	return 0;
}
