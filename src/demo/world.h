/* The demo's invented world (internal to src/demo): seed 002's territories
 * A-D with their portrait, the organisations, people, positions, corridors
 * and projects, and the French text banks the generator draws from.
 * Names of organisations and people are invented; any likeness to real
 * people is a coincidence. Dates are in days before the reference day. */
#ifndef PROXIMA_DEMO_WORLD_H
#define PROXIMA_DEMO_WORLD_H

#include <stddef.h>

#define W_NONE (-1) /* "still going" for an end, "no value" elsewhere */

/* What kind of outreach a position does: sets the mix of activity types. */
enum w_profile {
	P_FAMILLE,     /* MFA pilot: travailleuse de proximité in a Maison de la famille */
	P_CLSC,        /* CIUSSS/CISSS: intervenante de proximité jeunesse-famille */
	P_ECOLE,       /* MEQ: agente de liaison école-famille-communauté, Passe-Partout */
	P_IMMIGRATION, /* MIFI-mandated organisation: accompagnement à l'intégration */
	P_MILIEU,      /* community or municipal intervenante de milieu (HLM, centre de femmes) */
	P_RUE,         /* travail de rue */
	P_ANIMATION,   /* animation de milieu, collective activities */
	P__COUNT
};

struct w_weight {
	const char *code;
	int w;
};

#define W_PORTRAIT 4

struct w_portrait_def {
	const char *indicator, *label, *unit, *period_start, *period_end, *source;
};
extern const struct w_portrait_def w_portrait_defs[W_PORTRAIT];

struct w_territory {
	const char *id, *name, *type;
	const char *town;     /* invented place name, for addresses */
	const char *area;     /* telephone area code */
	const char *parks[3]; /* for notes, with their article */
	const char *places[3];
	const char *hlm, *school;
	const char *quartier; /* "à Deux-Rives", "dans le Haut-Plateau" */
	const char *streets[4];
	double portrait[W_PORTRAIT];
	int immigrant_pct; /* share of anonymous contacts with immigrant families */
	int travel_min;    /* typical one-way travel to a home, minutes */
	struct w_weight langs[8];
	/* Quality of arrimage, which shapes the referral outcomes and the
	 * wellbeing surveys: stable, well-supervised D is best; B has turnover;
	 * C's immigration corridor is still unclear (loops). */
	int quick_pct, late_pct, refused_pct, reoriented_pct, lost_pct;
	int supervision_weeks; /* individual supervision every N weeks */
	int survey_base10;     /* mean PAP survey score × 10 */
	int support_per_year;  /* support requests per PAP per year */
};
#define W_TERRITORIES 4
extern const struct w_territory w_territories[W_TERRITORIES];

struct w_org {
	const char *id, *name, *short_name, *sector;
	const char *terr[2];
	const char *manager; /* person id of the gestionnaire, or NULL */
	int families;        /* followed families */
	const char *fam_prefix;
};
extern const struct w_org w_orgs[];
extern const size_t w_org_count;

struct w_person {
	const char *id, *name, *email, *role, *org, *terr;
};
extern const struct w_person w_persons[];
extern const size_t w_person_count;

struct w_holder {
	const char *person;
	int from_ago, to_ago; /* to_ago W_NONE: still holds the position */
};

struct w_item {
	const char *population, *activity;
};

enum { C_DEM = 1, C_ACC = 2, C_COL = 4 };

struct w_position {
	const char *id, *org, *terr;
	int start_ago, end_ago; /* end_ago W_NONE: open-ended */
	unsigned components;    /* C_DEM | C_ACC | C_COL */
	enum w_profile profile;
	int rate10; /* activities per working day × 10 */
	struct w_holder holders[3];
	struct w_item items[10];
};
extern const struct w_position w_positions[];
extern const size_t w_position_count;

struct w_corridor {
	const char *id, *terr, *name, *need, *population, *entry;
	int target_days;
	int weight; /* share of the territory's referrals */
	const char *langs[8];
	const char *fields[8];
	const char *portrait[3];
	int from_ago;
};
extern const struct w_corridor w_corridors[];
extern const size_t w_corridor_count;

struct w_project {
	const char *id, *terr, *name;
	int start_ago, end_ago;
	const char *orgs[6];
	int answers; /* family survey answers */
	int score_base10;
};
extern const struct w_project w_projects[];
extern const size_t w_project_count;

/* Per profile, the weight of each activity type (w_types order). */
#define W_TYPES 11
extern const char *const w_types[W_TYPES];
extern const int w_type_weights[P__COUNT][W_TYPES];

/* Notes in the PAP's words. Slots: {parc} {lieu} {ressource} (with their
 * article, "le parc Lavoie"; {a_parc} gives "au parc Lavoie", {de_parc}
 * "du parc Lavoie"), {hlm} {ecole} {a_quartier} {pays} {langue} {age}
 * {enfants} {nf} {na}; {pays} comes with its "de" ("d'Iran"); {e} and {es}
 * agree with the author ("passé{e}": passée, or passé for a man). */
enum {
	N_IMM = 1,
	N_RURAL = 2,
	N_CITY = 4,
	N_SCHOOL = 8,
	N_FAMILY = 16,
	N_CLSC = 32,
	N_NEW = 64,
	N_SUMMER = 128,  /* June to September */
	N_RENTREE = 256, /* August and September */
	N_DECEMBER = 512,
};
struct w_note {
	unsigned flags; /* N_IMM: needs an immigrant family; N_RURAL/N_CITY:
			 * only there; N_SCHOOL: school profile only;
			 * N_FAMILY: families with young children (not rue);
			 * N_CLSC: a CLSC intervenante speaks; N_NEW (stories):
			 * the author started less than six months ago */
	const char *text;
};
struct w_notes {
	const struct w_note *v;
	size_t n;
};
extern const struct w_notes w_notes_by_type[W_TYPES];

struct w_story {
	const char *terr; /* or NULL: any */
	const char *type; /* activity type to link, or NULL */
	unsigned flags;   /* N_IMM … as for notes */
	const char *text;
	const char *strategies[3], *outcomes[3], *needs[3];
	const char *reason;  /* selection reason, when selected */
	const char *project; /* arrimage project it belongs to, or NULL */
};
extern const struct w_story w_stories[];
extern const size_t w_story_count;

struct w_gap {
	const char *terr, *need, *text;
};
extern const struct w_gap w_gaps[];
extern const size_t w_gap_count;

/* Refusal reasons: the coded reason (referral.refusal_code, one of the
 * model's referral_refusals; "autre" where none fits) and the words
 * (referral.reason). */
struct w_refusal {
	const char *code, *text;
};
extern const struct w_refusal w_refusals[];
extern const size_t w_refusal_count;

/* Immigrant contexts: language code, its French name, countries. */
struct w_origin {
	const char *lang, *lang_name;
	const char *countries[4];       /* with "de": "d'Iran", "du Maroc" */
	const char *first[6], *last[6]; /* invented names for nominative details */
};
extern const struct w_origin w_origins[];
extern const size_t w_origin_count;

/* French (Québec) first and last names for families. */
extern const char *const w_fr_first[];
extern const size_t w_fr_first_count;
extern const char *const w_fr_last[];
extern const size_t w_fr_last_count;

/* Persons who write in the masculine (for {e} and {es}). */
extern const char *const w_men[];
extern const size_t w_men_count;

#endif
