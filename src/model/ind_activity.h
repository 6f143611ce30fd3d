/* Activity indicators, the "mesure" of outreach work (docs: indicators.md,
 * the act.* table), as functions of the model that the report engine
 * calls:
 *   act.activites            ind_act_activites
 *   act.personnes_rejointes  ind_act_personnes
 *   act.familles_rejointes   ind_act_familles
 *   act.nouveaux_contacts    ind_act_nouveaux
 *   act.hors_reseau          ind_act_hors_reseau
 *   act.temps                ind_act_temps
 *   act.composantes          ind_act_composantes
 *   act.strategies           ind_act_strategies
 *   act.besoins              ind_act_besoins
 *   act.accompagnements      ind_act_accompagnements
 *   act.collectif            ind_act_collectif
 *   act.partenaires          ind_act_partenaires
 *   act.retombees            ind_act_retombees
 * (act.trous_service is ind_team_trous_service, model/ind_team.h.)
 *
 * Every function takes a scope (model/indicator.h), fills *out and returns
 * 0, or -1 on a database error (logged; *out is then zeroed). Arrays and
 * strings in the results come from the arena passed in and live as long as
 * it does; the caller owns nothing else. Nothing is suppressed here (small
 * cells are the report engine's, by view): the counts of people carry their
 * raw values.
 *
 * The functions read the aggregate tables (model/aggregate.h), kept in the
 * same transaction as every activity write; ind_act_compute_all with
 * IND_ACT_RAW computes the same results over the raw activity tables (the
 * reference of the property test and the benchmark's baseline).
 *
 * Rules where indicators.md is silent:
 *   - "In the period" is [from, min(to, as_of)] by the activity's date;
 *     deleted activities never count.
 *   - An activity is in scope by its territory (with descendants), its
 *     organisation and that organisation's sector, and, when
 *     scope->author_id is set (the pap "my work" scope), its author (read
 *     by the author's index when no territory is given).
 *   - Components: an activity with k components counts 1/k toward each
 *     (activities and minutes); with none stored, the one of its type
 *     (domain.md); with neither, it counts toward none (`unassigned`).
 *     by_component of act.activites counts whole activities carrying the
 *     component.
 *   - Place: activities without a place are counted under code "" (none).
 *   - act.accompagnements: accompaniment activities are those of type
 *     `accompagnement`; referrals sent are counted by their sent_at in the
 *     period, in scope like arr.* referrals (corridor's territory, else the
 *     sending organisation's territories; sector and organisation of the
 *     sending organisation; author = sender). By corridor (code = corridor
 *     ext_id, "" without corridor) and by receiving sector (sector ext_id).
 *   - act.collectif: types `intervention_groupe` and `activite_collective`;
 *     participants = people reached (adults + children) by those.
 *   - act.partenaires: distinct partner organisations linked to activities
 *     of the scope; concertation meetings = activities of type
 *     `concertation`.
 *   - act.familles_rejointes: distinct followed families linked to an
 *     activity of the scope + the sum of anonymous family counts.
 *   - act.nouveaux_contacts: proactive = new contacts of activities
 *     initiated by the PAP (initiated_by = 'pap').
 *   - act.hors_reseau: % of people reached (adults + children).
 *   - act.strategies: % of the activities of the scope carrying the
 *     strategy (an activity may carry several).
 * Breakdowns list every code met in the scope (no zero rows), in code
 * order unless said otherwise.
 *
 * Each count of people comes with its cell's key sum (key fields: the sum
 * of the record keys of the people counted, model/cellkey.h), which the
 * report engine turns into the protected figure of the comite and
 * analyste views; any other count has key 0. */
#ifndef PROXIMA_IND_ACTIVITY_H
#define PROXIMA_IND_ACTIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/indicator.h"

struct db;
struct arena;

/* One row of a breakdown. code is an arena string (a reference-list code,
 * or an ext_id where said). */
struct ind_code_value {
	const char *code;
	int64_t value;
	int64_t key; /* cell key sum of a count of people, else 0 */
};

/* A breakdown row with its share (value / denominator * 100; 0 when the
 * denominator is 0). */
struct ind_code_share {
	const char *code;
	int64_t value;
	double pct;
};

/* act.activites */
struct ind_act_activites_result {
	int64_t total;
	struct ind_code_value *by_type;
	size_t n_type;
	struct ind_code_value *by_component; /* whole activities carrying it */
	size_t n_component;
	struct ind_code_value *by_strategy;
	size_t n_strategy;
	struct ind_code_value *by_place; /* code "" = no place given */
	size_t n_place;
};

/* act.personnes_rejointes */
struct ind_act_personnes_result {
	int64_t total; /* adults + children_0_5 + children_6_17 */
	int64_t adults, children_0_5, children_6_17;
	int64_t key;                   /* of total; the ages' keys are in by_age */
	struct ind_code_value *by_age; /* "adultes", "enfants_0_5", "enfants_6_17" */
	size_t n_age;                  /* always 3 */
};

/* act.familles_rejointes */
struct ind_act_familles_result {
	int64_t total;     /* followed + anonymous */
	int64_t followed;  /* distinct followed families linked to an activity */
	int64_t anonymous; /* sum of the activities' family counts */
	int64_t key, key_followed, key_anonymous;
};

/* act.nouveaux_contacts */
struct ind_act_nouveaux_result {
	int64_t total;
	int64_t proactive; /* of activities initiated by the PAP */
	double pct_proactive;
	int64_t key, key_proactive;
};

/* act.hors_reseau */
struct ind_act_hors_reseau_result {
	int64_t total;
	int64_t people; /* people reached, the denominator */
	double pct;     /* total / people * 100; 0 when !defined */
	bool defined;   /* people > 0 */
	int64_t key, key_people;
};

/* act.temps, in minutes. */
struct ind_act_temps_result {
	int64_t direct;
	int64_t deplacement, interprete, redaction, preparation;
	struct ind_code_value *indirect_by_kind; /* the four kinds above, always 4 */
	size_t n_kind;
	int64_t indirect;  /* sum of the kinds */
	int64_t total;     /* direct + indirect */
	double multiplier; /* total / direct; 0 when !defined */
	bool defined;      /* direct > 0 */
};

/* One component of act.composantes. */
struct ind_act_component_share {
	const char *code;      /* demarchage / accompagnement / collaboration */
	double activities;     /* sum of 1/k */
	double pct_activities; /* activities / total activities * 100 */
	double minutes;        /* sum of (direct + indirect) / k */
	double pct_time;       /* minutes / total minutes * 100 */
};

/* act.composantes */
struct ind_act_composantes_result {
	int64_t activities;                     /* all activities of the scope */
	int64_t minutes;                        /* their direct + indirect minutes */
	struct ind_act_component_share comp[3]; /* in the order above */
	double unassigned;                      /* activities with no component (whole) */
	double unassigned_minutes;
};

/* act.strategies */
struct ind_act_strategies_result {
	int64_t activities; /* the denominator */
	struct ind_code_share *by_strategy;
	size_t n;
};

/* act.besoins: ranked by value (descending), then code. */
struct ind_act_besoins_result {
	int64_t mentions; /* sum of the values */
	struct ind_code_value *ranked;
	size_t n;
};

/* act.accompagnements */
struct ind_act_accompagnements_result {
	int64_t activities; /* type accompagnement */
	int64_t referrals_sent;
	struct ind_code_value *by_corridor; /* corridor ext_id, "" = none */
	size_t n_corridor;
	struct ind_code_value *by_sector; /* receiving organisation's sector ext_id */
	size_t n_sector;
};

/* act.collectif */
struct ind_act_collectif_result {
	int64_t activities; /* intervention_groupe + activite_collective */
	int64_t participants;
	int64_t key_participants;
	struct ind_code_value *by_type;
	size_t n_type;
};

/* act.partenaires */
struct ind_act_partenaires_result {
	int64_t partners;     /* distinct partner organisations */
	int64_t concertation; /* activities of type concertation */
};

/* act.retombees */
struct ind_act_retombees_result {
	int64_t mentions;
	struct ind_code_value *by_outcome; /* code order */
	size_t n;
};

int ind_act_activites(struct db *db, struct arena *ar, const struct ind_scope *s,
		      struct ind_act_activites_result *out);
int ind_act_personnes(struct db *db, struct arena *ar, const struct ind_scope *s,
		      struct ind_act_personnes_result *out);
int ind_act_familles(struct db *db, struct arena *ar, const struct ind_scope *s,
		     struct ind_act_familles_result *out);
int ind_act_nouveaux(struct db *db, struct arena *ar, const struct ind_scope *s,
		     struct ind_act_nouveaux_result *out);
int ind_act_hors_reseau(struct db *db, struct arena *ar, const struct ind_scope *s,
			struct ind_act_hors_reseau_result *out);
int ind_act_temps(struct db *db, struct arena *ar, const struct ind_scope *s,
		  struct ind_act_temps_result *out);
int ind_act_composantes(struct db *db, struct arena *ar, const struct ind_scope *s,
			struct ind_act_composantes_result *out);
int ind_act_strategies(struct db *db, struct arena *ar, const struct ind_scope *s,
		       struct ind_act_strategies_result *out);
int ind_act_besoins(struct db *db, struct arena *ar, const struct ind_scope *s,
		    struct ind_act_besoins_result *out);
int ind_act_accompagnements(struct db *db, struct arena *ar, const struct ind_scope *s,
			    struct ind_act_accompagnements_result *out);
int ind_act_collectif(struct db *db, struct arena *ar, const struct ind_scope *s,
		      struct ind_act_collectif_result *out);
int ind_act_partenaires(struct db *db, struct arena *ar, const struct ind_scope *s,
			struct ind_act_partenaires_result *out);
int ind_act_retombees(struct db *db, struct arena *ar, const struct ind_scope *s,
		      struct ind_act_retombees_result *out);

/* Every act.* result of one scope, computed with one pass per source
 * table (a dashboard calls this rather than the thirteen functions). */
struct ind_act_all {
	struct ind_act_activites_result activites;
	struct ind_act_personnes_result personnes;
	struct ind_act_familles_result familles;
	struct ind_act_nouveaux_result nouveaux;
	struct ind_act_hors_reseau_result hors_reseau;
	struct ind_act_temps_result temps;
	struct ind_act_composantes_result composantes;
	struct ind_act_strategies_result strategies;
	struct ind_act_besoins_result besoins;
	struct ind_act_accompagnements_result accompagnements;
	struct ind_act_collectif_result collectif;
	struct ind_act_partenaires_result partenaires;
	struct ind_act_retombees_result retombees;
};

enum ind_act_source {
	IND_ACT_AGGREGATES, /* the aggregate tables (the default everywhere) */
	IND_ACT_RAW,        /* the raw activity tables (reference, baseline) */
};

/* Fills every result of *out from src. 0 or -1 (logged; *out zeroed). */
int ind_act_compute_all(struct db *db, struct arena *ar, const struct ind_scope *s,
			enum ind_act_source src, struct ind_act_all *out);

/* One author's share of a scope: what act.activites and act.temps give
 * for the same scope with author_id set to that author. */
struct ind_act_author_row {
	int64_t author_id;
	int64_t activities;
	int64_t direct_min, total_min;
};

/* Every author of scope s (s->author_id ignored) with at least one
 * activity in the period, by author id, read from the aggregates in one
 * grouped query per range (not one computation per author). *out is an
 * arena array of *n rows. 0 or -1 (logged; *n = 0). */
int ind_act_by_author(struct db *db, struct arena *ar, const struct ind_scope *s,
		      struct ind_act_author_row **out, size_t *n);

/* ---- sums filled by another reader ----
 * The same in-memory sums the readers above fill, for a reader that reads
 * the aggregate tables its own way (the comparison's one pass over every
 * compared territory, model/ind_compare.c): it adds rows with the
 * functions below, then ind_act_sums_result derives every result exactly
 * as ind_act_compute_all does. Everything lives in the arena passed in. */
struct ind_act_sums;

/* The number of values of a type row: the columns of AGG_VAL_SUMS
 * (db/stmt_aggregates.def), in that order. */
#define IND_ACT_N_VALUES 29

/* New empty sums from arena ar (never NULL: aborts on out of memory). */
struct ind_act_sums *ind_act_sums_new(struct arena *ar);

/* Adds the IND_ACT_N_VALUES values v of activity type type (NULL = ""). */
void ind_act_sums_add_type(struct arena *ar, struct ind_act_sums *s, const char *type,
			   const int64_t *v);

/* Adds n mentions of code (NULL = "") of kind (strategy, need, outcome,
 * place). */
void ind_act_sums_add_code(struct arena *ar, struct ind_act_sums *s, const char *kind,
			   const char *code, int64_t n);

/* Adds one linked id of a followed family (family true) or a partner
 * organisation, with its record key; ids added twice count once. */
void ind_act_sums_add_id(struct arena *ar, struct ind_act_sums *s, bool family, int64_t id,
			 int64_t key);

/* Adds n referrals sent through corridor (ext id, "" = none) to sector
 * (receiving sector ext id). */
void ind_act_sums_add_referrals(struct arena *ar, struct ind_act_sums *s, const char *corridor,
				const char *sector, int64_t n);

/* Derives every result of *out from s (s's id lists are sorted in
 * place). */
void ind_act_sums_result(struct arena *ar, struct ind_act_sums *s, struct ind_act_all *out);

#endif
