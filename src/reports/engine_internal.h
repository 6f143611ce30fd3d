/* Internals of the indicator engine shared by its files (engine.c,
 * engine_act.c, suppress.c) and its unit tests. Not for other modules:
 * they use report.h. */
#ifndef PROXIMA_ENGINE_INTERNAL_H
#define PROXIMA_ENGINE_INTERNAL_H

#include "model/ind_arrimage.h"
#include "model/ind_team.h"
#include "model/indicator.h"
#include "reports/report.h"

/* The context of one computation. */
struct eng {
	struct db *db;
	struct arena *a;
	const char *lang;
	struct ind_scope scope;
	struct report *r;
	/* For REPORT_SUBJECT_PAP: the average headcount of each indicator's
	 * scope (parallel to r->indicators); for FAMILIES the engine uses n or
	 * the denominator. */
	double *pap_headcount;
	/* The scope's referral trajectories, read once for the three
	 * indicators that use them (eng_trajectories). */
	struct ind_trajectories traj;
	bool traj_loaded;
	/* The holder periods the PAP statistics share, read once
	 * (model/ind_team.h). */
	struct ind_team_memo team;
	/* The positions arr.chevauchement_mandats and arr.secteurs_cadre
	 * share, read once (model/ind_arrimage.h). */
	struct ind_arr_pos_memo positions;
	bool act_from_raw;          /* report_request.act_from_raw */
	struct report_cache *cache; /* report_request.cache, may be NULL */
};

/* The scope's trajectories, read on first use. NULL on a database error. */
const struct ind_trajectories *eng_trajectories(struct eng *e);

/* The translation of a French msgid in the report's language (static). */
const char *eng_tr(const struct eng *e, const char *msgid);

/* Label of a reference-list code in the report's language, or the code. */
const char *eng_ref_label(struct eng *e, const char *list, const char *code);

/* Sets r's value (has_value true), a count or a figure already exact. */
void eng_value(struct ind_result *r, double v);

/* Sets r's value to v rounded to one decimal (has_value true), keeping v
 * as r->unrounded for the status (indicators.md "Precision"). */
void eng_value_round1(struct ind_result *r, double v);

/* True when the report's view protects its counts of people (comite,
 * analyste): each is published through the cell-key method
 * (model/cellkey.h) before suppression. */
bool eng_protected(const struct eng *e);

/* Count v of people, whose records' keys sum to key, as the report
 * publishes it: v itself, or in a protected view its perturbed figure. */
int64_t eng_count(const struct eng *e, int64_t v, int64_t key);

/* num / den * 100 (0 when den is 0). */
double eng_pct(double num, double den);

/* Adds a breakdown of n cells (zeroed; fill them with eng_cell) to r. */
struct report_breakdown *eng_breakdown(struct eng *e, struct ind_result *r, const char *name,
				       const char *label_msgid, const char *unit,
				       enum report_subject subject, bool additive, size_t n);
void eng_cell(struct report_cell *c, const char *key, const char *label, double v);

/* Adds a detail to r. */
void eng_detail_int(struct eng *e, struct ind_result *r, const char *key, const char *label_msgid,
		    int64_t v, enum report_subject subject);
void eng_detail_num(struct eng *e, struct ind_result *r, const char *key, const char *label_msgid,
		    double v);
void eng_detail_text(struct eng *e, struct ind_result *r, const char *key, const char *label_msgid,
		     const char *v);

/* The act.* sums the cache holds for exactly e's scope (read for many
 * territories at once by report_compute_territories), or NULL. */
const struct ind_act_all *eng_cached_activity(const struct eng *e);

/* act.* indicators (engine_act.c): computes every act.* result except
 * act.trous_service into the results whose ids start with "act.". 0/-1. */
int eng_compute_activity(struct eng *e);

/* Suppression (suppress.c) for the view of r->scope, threshold T:
 * report_suppress applies every rule (display strings from arena a) of indicators.md to every
 * indicator; pap_headcount is the engine's array (may be NULL in tests,
 * then PAP statistics are hidden whenever the view suppresses). */
void report_suppress(struct arena *a, struct report *r, const double *pap_headcount);

/* Complementary suppression of one additive breakdown whose cells sum to
 * a total that is shown (total_shown): when exactly one cell is
 * suppressed, the smallest remaining non-zero cell is suppressed too. */
void report_suppress_complementary(struct report_breakdown *b, bool total_shown);

/* Formats v for display in lang ("1,8" in French): integers without
 * decimals, other values with one. Arena string. */
const char *report_format_number(struct arena *a, const char *lang, double v);

#endif
