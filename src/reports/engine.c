/* The indicator engine: the registry of every id (fixed order, labels,
 * units, targets), scope resolution, the arr.* indicators on top of the
 * model functions, status, suppression and display strings (report.h).
 *
 * Rules where the docs are silent:
 *   - Status: sans_cible without a target; insuffisant when a target
 *     exists but the value is absent (no data) or suppressed for the view.
 *   - arr.portrait: the territory of the scope and its sub-territories
 *     (every territory when none is given); for each (territory, portrait
 *     indicator) the row whose period ends last on or before as_of (rows
 *     without any period date count as current). Value = rows reported.
 *   - arr.corridors_adaptes: corridors of the territory (with descendants)
 *     active at some time in [from, min(to, as_of)] (NULL bounds are open);
 *     corridors are intersectoral, so the sector and organisation filters
 *     do not apply (like projects and service gaps in ind_team.h).
 *   - arr.heures_supervision is not a statistic over PAP in the list of
 *     indicators.md, so it is not suppressed. */
#include <math.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/arena.h"
#include "core/i18n.h"
#include "model/organisation.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "model/cellkey.h"
#include "model/committee.h"
#include "model/compare_act.h"
#include "model/ind_activity.h"
#include "model/ind_arrimage.h"
#include "model/ind_refusal.h"
#include "model/referral.h"
#include "model/ind_team.h"
#include "model/ind_territory.h"
#include "model/refdata.h"
#include "model/scope.h"
#include "model/settings.h"
#include "reports/engine_internal.h"

const char *const REPORT_IDS[REPORT_N_INDICATORS] = {
#define IND(NAME, id, SECTION, SUBJECT, label, unit, op, target, COMPUTE, def) \
	[REPORT_IND_##NAME] = id,
#include "reports/indicators.def"
#undef IND
};

struct ind_def {
	const char *label; /* French msgid */
	const char *unit;
	enum report_subject subject;
	const char *op; /* NULL = no target */
	double target;
	int (*compute)(struct eng *e, struct ind_result *r, size_t idx);
};

/* The arr.* computations below, one per ARR row of indicators.def. */
#define ARR(fn) static int fn(struct eng *e, struct ind_result *r, size_t idx);
#define ACT(fn)
#define IND(NAME, id, SECTION, SUBJECT, label, unit, op, target, COMPUTE, def) COMPUTE
#include "reports/indicators.def"
#undef IND
#undef ACT
#undef ARR

/* The registry, from indicators.def. ACT rows have no compute function
 * here: eng_compute_activity fills them in one pass (engine_act.c). */
static const struct ind_def DEFS[REPORT_N_INDICATORS] = {
#define ARR(fn) fn
#define ACT(fn) NULL
#define IND(NAME, id, SECTION, SUBJECT, label, unit, op, target, COMPUTE, def) \
	[REPORT_IND_##NAME] = {label, unit, REPORT_SUBJECT_##SUBJECT, op, target, COMPUTE},
#include "reports/indicators.def"
#undef IND
#undef ACT
#undef ARR
};

/* ---- arr.* on top of the model functions ---- */

static void set_stats(struct ind_result *r, const struct ind_stats *st, bool p90)
{
	r->n = (int64_t)st->n;
	r->has_n = true;
	if (st->defined) {
		eng_value_round1(r, st->mean);
		r->median = ind_round1(st->median);
		r->has_median = true;
		if (p90) {
			r->p90 = ind_round1(st->p90);
			r->has_p90 = true;
		}
	}
}

static void set_ratio(struct ind_result *r, double num, double den)
{
	r->numerator = num;
	r->denominator = den;
	r->has_ratio = true;
}

static int c_secteurs(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_arr_secteurs_cadre_result x;
	if (ind_arr_secteurs_cadre(e->db, e->a, &e->scope, &e->positions, &x) < 0)
		return -1;
	eng_value(r, (double)x.count);
	struct report_breakdown *b = eng_breakdown(e, r, "secteurs", N_("Secteurs"), "nombre",
						   REPORT_SUBJECT_NONE, true, x.count);
	for (size_t i = 0; i < x.count; i++) {
		struct sector s = {.name = x.sectors[i].name, .name_en = x.sectors[i].name_en};
		eng_cell(&b->cells[i], x.sectors[i].ext_id, sector_label(&s, e->lang), 1);
	}
	return 0;
}

static int c_chevauchement(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_arr_chevauchement_result x;
	if (ind_arr_chevauchement(e->db, e->a, &e->scope, &e->positions, &x) < 0)
		return -1;
	set_ratio(r, (double)x.overlapping, (double)x.pairs);
	if (x.defined)
		eng_value_round1(r, x.value);
	struct report_breakdown *b =
		eng_breakdown(e, r, "paires", N_("Paires de postes qui se chevauchent"), "nombre",
			      REPORT_SUBJECT_NONE, false, x.n_list);
	for (size_t i = 0; i < x.n_list; i++) {
		const struct ind_overlap_pair *p = &x.list[i];
		struct buf items = BUF_INIT(4096);
		for (size_t k = 0; k < p->n_items; k++)
			buf_printf(&items, "%s%s · %s", k ? ", " : "",
				   eng_ref_label(e, "population", p->items[k].population),
				   eng_ref_label(e, "activity_type", p->items[k].activity_type));
		eng_cell(&b->cells[i], arena_printf(e->a, "%s|%s", p->ext_a, p->ext_b),
			 arena_strdup(e->a, items.data), (double)p->n_items);
		buf_free(&items);
	}
	return 0;
}

static int c_presentations(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_team_presentations_result x;
	if (ind_team_presentations(e->db, e->a, &e->scope, &x) < 0)
		return -1;
	eng_value(r, (double)x.count);
	if (x.per_year_given) {
		struct report_breakdown *b =
			eng_breakdown(e, r, "par_annee", N_("Par année"), "nombre",
				      REPORT_SUBJECT_NONE, true, x.n_years);
		for (size_t i = 0; i < x.n_years; i++) {
			char f[11], t[11];
			ptime_format_date(&x.years[i].from, f);
			ptime_format_date(&x.years[i].to, t);
			eng_cell(&b->cells[i], arena_printf(e->a, "%d", x.years[i].year),
				 arena_printf(e->a, "%s – %s", f, t), (double)x.years[i].count);
		}
	}
	return 0;
}

/* Whether the cache holds referral rows read for this scope at an as_of
 * end no earlier than end. */
static bool cache_covers(const struct report_cache *c, const struct ind_scope *s, int64_t end)
{
	return c && c->has_rows && c->rows.territory_id == s->territory_id &&
	       c->rows.sector_id == s->sector_id && c->rows.organisation_id == s->organisation_id &&
	       end <= c->rows.end;
}

/* Whether the cache holds the trajectories of exactly this scope at its
 * as_of. */
static bool cache_has_traj(const struct report_cache *c, const struct ind_scope *s)
{
	const struct ind_scope *t = c ? &c->traj_scope : NULL;
	return c && c->traj && t->territory_id == s->territory_id && t->sector_id == s->sector_id &&
	       t->organisation_id == s->organisation_id &&
	       ind_scope_as_of_end(t) == ind_scope_as_of_end(s);
}

const struct ind_trajectories *eng_trajectories(struct eng *e)
{
	if (e->traj_loaded)
		return &e->traj;
	int64_t end = ind_scope_as_of_end(&e->scope);
	if (cache_has_traj(e->cache, &e->scope)) {
		e->traj = *e->cache->traj;
	} else if (cache_covers(e->cache, &e->scope, end)) {
		ind_arr_trajectories_at(&e->cache->rows, e->a, end, &e->traj);
	} else {
		struct ind_referral_rows rows;
		if (ind_arr_referral_rows(e->db, e->a, &e->scope, &rows) < 0)
			return NULL;
		ind_arr_trajectories_at(&rows, e->a, rows.end, &e->traj);
		if (e->cache) {
			e->cache->rows = rows;
			e->cache->has_rows = true;
		}
	}
	e->traj_loaded = true;
	return &e->traj;
}

static int c_delai(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_arr_delai_result x;
	const struct ind_trajectories *tr = eng_trajectories(e);
	if (!tr)
		return -1;
	ind_arr_delai_of(tr, e->a, &e->scope, &x);
	set_stats(r, &x.stats, true);
	/* n and the count within target are counts of families: published
	 * (protected views: perturbed), the share from what is published. */
	r->n = eng_count(e, r->n, x.key_n);
	int64_t within = eng_count(e, (int64_t)x.within_target, x.key_within);
	eng_detail_int(e, r, "dans_cible", N_("Prises en charge dans le délai cible"), within,
		       REPORT_SUBJECT_PEOPLE);
	if (x.stats.defined)
		eng_detail_num(e, r, "pct_dans_cible", N_("% dans le délai cible"),
			       ind_round1(eng_pct((double)within, (double)r->n)));
	return 0;
}

static int c_echappement(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_arr_echappement_result x;
	const struct ind_trajectories *tr = eng_trajectories(e);
	if (!tr)
		return -1;
	ind_arr_echappement_of(tr, &e->scope, &x);
	int64_t escaped = eng_count(e, (int64_t)x.escaped, x.key_escaped);
	int64_t mature = eng_count(e, (int64_t)x.mature, x.key_mature);
	set_ratio(r, (double)escaped, (double)mature);
	if (mature > 0)
		eng_value_round1(r, eng_pct((double)escaped, (double)mature));
	eng_detail_int(e, r, "en_attente", N_("Trajectoires pas encore mûres (en attente)"),
		       eng_count(e, (int64_t)x.en_attente, x.key_en_attente),
		       REPORT_SUBJECT_PEOPLE);
	eng_detail_int(e, r, "fenetre_jours", N_("Fenêtre d'échappement (jours)"),
		       e->scope.escape_window_days, REPORT_SUBJECT_NONE);
	return 0;
}

static int c_boucle(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_arr_boucle_result x;
	const struct ind_trajectories *tr = eng_trajectories(e);
	if (!tr)
		return -1;
	ind_arr_boucle_of(tr, &e->scope, &x);
	int64_t loops = eng_count(e, (int64_t)x.loops, x.key_loops);
	int64_t started = eng_count(e, (int64_t)x.started, x.key_started);
	eng_value(r, (double)loops);
	set_ratio(r, (double)loops, (double)started);
	eng_detail_int(e, r, "trajectoires", N_("Trajectoires commencées dans la période"), started,
		       REPORT_SUBJECT_PEOPLE);
	if (started)
		eng_detail_num(e, r, "pct", N_("% des trajectoires"),
			       ind_round1(eng_pct((double)loops, (double)started)));
	return 0;
}

static int c_roulement(struct eng *e, struct ind_result *r, size_t idx)
{
	struct ind_team_roulement_result x;
	if (ind_team_roulement(e->db, e->a, &e->scope, &e->team, &x) < 0)
		return -1;
	e->pap_headcount[idx] = x.hc.average;
	set_ratio(r, (double)x.departures, ind_round1(x.hc.average));
	if (x.defined) {
		eng_value_round1(r, x.value);
		eng_detail_num(e, r, "annualise", N_("Taux annualisé"), ind_round1(x.annualised));
	}
	eng_detail_int(e, r, "postes_quittes", N_("Postes quittés"), x.positions_left,
		       REPORT_SUBJECT_NONE);
	eng_detail_num(e, r, "effectif_moyen", N_("Effectif moyen"), ind_round1(x.hc.average));
	return 0;
}

static int c_supervision(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_team_supervision_result x;
	if (ind_team_supervision(e->db, e->a, &e->scope, &e->team, &x) < 0)
		return -1;
	if (x.defined)
		eng_value_round1(r, x.value);
	eng_detail_num(e, r, "heures", N_("Heures reçues"), ind_round1(x.hours));
	eng_detail_int(e, r, "seances", N_("Séances"), x.sessions, REPORT_SUBJECT_NONE);
	eng_detail_num(e, r, "mois", N_("Mois"), ind_round1(x.months));
	eng_detail_num(e, r, "effectif_moyen", N_("Effectif moyen"), ind_round1(x.hc.average));
	return 0;
}

static int c_projets(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_team_projets_result x;
	if (ind_team_projets(e->db, e->a, &e->scope, &x) < 0)
		return -1;
	eng_value(r, (double)x.count);
	return 0;
}

static int c_sat_familles(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_team_satisfaction_familles_result x;
	if (ind_team_satisfaction_familles(e->db, e->a, &e->scope, &x) < 0)
		return -1;
	set_stats(r, &x.stats, false);
	if (x.stats.defined)
		eng_detail_num(e, r, "pct_4_ou_plus", N_("% de réponses 4 ou 5"),
			       ind_round1(x.pct_ge4));
	return 0;
}

static int c_soutien(struct eng *e, struct ind_result *r, size_t idx)
{
	struct ind_team_soutien_result x;
	if (ind_team_soutien(e->db, e->a, &e->scope, &e->team, &x) < 0)
		return -1;
	e->pap_headcount[idx] = x.hc.average;
	if (x.defined)
		eng_value_round1(r, x.value);
	eng_detail_int(e, r, "demandes", N_("Demandes"), x.requests, REPORT_SUBJECT_NONE);
	eng_detail_num(e, r, "trimestres", N_("Trimestres"), ind_round1(x.quarters));
	eng_detail_num(e, r, "effectif_moyen", N_("Effectif moyen"), ind_round1(x.hc.average));
	return 0;
}

static int c_sat_pap(struct eng *e, struct ind_result *r, size_t idx)
{
	struct ind_team_satisfaction_pap_result x;
	if (ind_team_satisfaction_pap(e->db, e->a, &e->scope, &e->team, &x) < 0)
		return -1;
	e->pap_headcount[idx] = x.hc.average;
	/* The survey's promise, in every view but complet: team figures only
	 * over released waves, from T distinct respondents (model/survey.h). */
	int t = e->r->scope.threshold;
	if (e->scope.pap_waves && x.respondents < (size_t)t && x.answers_in_period > 0) {
		r->suppressed = true;
		r->display = arena_printf(e->a, "n<%d", t);
	} else {
		set_stats(r, &x.stats, false);
		eng_detail_int(e, r, "repondants", N_("PAP ayant répondu"), (int64_t)x.respondents,
			       REPORT_SUBJECT_NONE);
	}
	if (x.stats.defined && !r->suppressed)
		eng_detail_num(e, r, "pct_4_ou_plus", N_("% de réponses 4 ou 5"),
			       ind_round1(x.pct_ge4));
	eng_detail_num(e, r, "part_postes_2_reponses",
		       N_("% des postes ayant au moins 2 réponses sur 12 mois"),
		       ind_round1(x.share_2answers));
	eng_detail_num(e, r, "effectif_moyen", N_("Effectif moyen"), ind_round1(x.hc.average));
	return 0;
}

static int c_trous(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	struct ind_team_trous_result x;
	if (ind_team_trous_service(e->db, e->a, &e->scope, &x) < 0)
		return -1;
	eng_value(r, (double)x.count);
	struct report_breakdown *b = eng_breakdown(e, r, "par_besoin", N_("Par besoin"), "nombre",
						   REPORT_SUBJECT_NONE, true, x.n_needs);
	for (size_t i = 0; i < x.n_needs; i++)
		eng_cell(&b->cells[i], x.needs[i].need, eng_ref_label(e, "need", x.needs[i].need),
			 (double)x.needs[i].count);
	return 0;
}

/* The effective end of the period: min(to, as_of), formatted. */
static void period_end(const struct ind_scope *s, char out[11])
{
	const struct pdate *end = ptime_date_cmp(&s->to, &s->as_of) < 0 ? &s->to : &s->as_of;
	ptime_format_date(end, out);
}

static int c_portrait(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	char asof[11];
	ptime_format_date(&e->scope.as_of, asof);
	struct ind_portrait_row *rows;
	size_t nrows;
	if (ind_territory_portrait(e->db, e->a, e->scope.territory_id, asof, &rows, &nrows) < 0)
		return -1;
	struct report_cell *cells = NULL;
	size_t n = 0, cap = 0;
	const char *last_t = NULL, *last_i = NULL;
	for (size_t i = 0; i < nrows; i++) {
		const struct ind_portrait_row *p = &rows[i];
		if (last_t && strcmp(last_t, p->territory) == 0 &&
		    strcmp(last_i, p->indicator) == 0)
			continue; /* an older value of the same indicator */
		last_t = p->territory;
		last_i = p->indicator;
		cells = arena_grow(e->a, cells, n, &cap, sizeof(*cells));
		struct report_cell *c = &cells[n++];
		memset(c, 0, sizeof(*c));
		const char *label = portrait_label(p->label, p->label_en, e->lang);
		eng_cell(c,
			 p->own ? p->indicator
				: arena_printf(e->a, "%s/%s", p->territory, p->indicator),
			 label ? (p->unit ? arena_printf(e->a, "%s (%s)", label, p->unit) : label)
			       : p->indicator,
			 p->value);
		const char *ps = p->period_start, *pe = p->period_end, *src = p->source;
		c->note = arena_printf(e->a, "%s%s%s%s%s", ps ? ps : "", pe ? " – " : "",
				       pe ? pe : "", src ? " · " : "", src ? src : "");
	}
	eng_value(r, (double)n);
	struct report_breakdown *b =
		eng_breakdown(e, r, "indicateurs", N_("Indicateurs du portrait"), "",
			      REPORT_SUBJECT_NONE, false, 0);
	b->entered = true; /* figures as entered, never rounded */
	b->cells = cells ? cells : b->cells;
	b->n_cells = n;
	return 0;
}

static int c_corridors(struct eng *e, struct ind_result *r, size_t idx)
{
	(void)idx;
	char from[11], to[11];
	ptime_format_date(&e->scope.from, from);
	period_end(&e->scope, to);
	struct ind_corridor_row *rows;
	size_t n;
	if (ind_territory_corridors(e->db, e->a, e->scope.territory_id, from, to, &rows, &n) < 0)
		return -1;
	struct report_cell *cells = arena_calloc(e->a, n ? n : 1, sizeof(*cells));
	size_t linked = 0;
	for (size_t i = 0; i < n; i++) {
		eng_cell(&cells[i], rows[i].ext_id, rows[i].name, (double)rows[i].linked);
		if (rows[i].linked > 0)
			linked++;
	}
	if (ptime_date_cmp(&e->scope.as_of, &e->scope.from) < 0)
		n = linked = 0; /* the period is empty */
	eng_value(r, (double)n);
	set_ratio(r, (double)linked, (double)n);
	eng_detail_int(e, r, "lies_au_portrait", N_("Liés à au moins un indicateur du portrait"),
		       (int64_t)linked, REPORT_SUBJECT_NONE);
	struct report_breakdown *b =
		eng_breakdown(e, r, "corridors", N_("Indicateurs du portrait liés, par corridor"),
			      "nombre", REPORT_SUBJECT_NONE, false, 0);
	b->cells = n ? cells : b->cells;
	b->n_cells = n;
	return 0;
}

/* ---- scope ---- */

const char *report_request_check(const struct report_request *rq)
{
	struct pdate zero = {0, 0, 0};
	if (memcmp(&rq->from, &zero, sizeof(zero)) == 0)
		return "from is required (YYYY-MM-DD)";
	if (memcmp(&rq->to, &zero, sizeof(zero)) == 0)
		return "to is required (YYYY-MM-DD)";
	if (ptime_date_cmp(&rq->to, &rq->from) < 0)
		return "to is before from";
	if (rq->view < REPORT_VIEW_COMPLET || rq->view > REPORT_VIEW_ANALYSTE)
		return "view is not one of complet, gestionnaire, comite, analyste";
	if (rq->lang && !i18n_supported(rq->lang))
		return "lang is not a supported language (fr, en)";
	if (rq->threshold < 0 || rq->escape_window_days < 0)
		return "threshold and escape window must be positive";
	return NULL;
}

/* The sentence that says how counts of people are protected (threshold t). */
static const char *protection_note(struct eng *e, int t)
{
	/* A translated format: the English msgstr keeps the same %d. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return arena_printf(
		e->a,
		eng_tr(e, "Nombres de personnes protégés par clé de cellule : chaque nombre de "
			  "personnes ou de familles de %d ou plus est décalé de -%d à +%d selon "
			  "une clé tirée des fiches qu'il compte. La même question donne toujours "
			  "la même réponse et les totaux restent sans biais, mais deux réponses "
			  "peuvent ne pas s'additionner : on ne peut pas retrouver un petit nombre "
			  "en soustrayant deux réponses."),
		t, CELLKEY_MAX_CHANGE, CELLKEY_MAX_CHANGE);
#pragma GCC diagnostic pop
}

/* Resolves the scope of rq into e->scope and r->scope. */
static enum perr resolve_scope(struct eng *e, const struct report_request *rq)
{
	struct report_scope *sc = &e->r->scope;
	ind_scope_init(&e->scope, &rq->from, &rq->to);
	if (rq->has_as_of)
		e->scope.as_of = rq->as_of;
	sc->from = rq->from;
	sc->to = rq->to;
	sc->as_of = e->scope.as_of;
	sc->view = rq->view;
	sc->lang = e->lang;
	sc->generated_at = ptime_now();
	sc->threshold = rq->threshold > 0 ? rq->threshold
					  : settings_int(e->db, SETTING_SMALL_CELL_THRESHOLD);
	sc->escape_window_days = rq->escape_window_days > 0
					 ? rq->escape_window_days
					 : settings_int(e->db, SETTING_ESCAPE_WINDOW_DAYS);
	e->scope.escape_window_days = sc->escape_window_days;
	sc->protection = eng_protected(e) ? "cell_key" : NULL;
	e->scope.pap_waves = rq->view != REPORT_VIEW_COMPLET;
	sc->protection_note = sc->protection ? protection_note(e, sc->threshold) : "";
	int f;
	if (rq->territory && *rq->territory) {
		f = scope_find(e->db, e->a, SCOPE_TERRITORY, rq->territory, &sc->territory_id,
			       &sc->territory_name);
		if (f != 0)
			return f < 0 ? PERR_INTERNAL : PERR_NOT_FOUND;
		sc->territory = arena_strdup(e->a, rq->territory);
		if (scope_subterritories(e->db, e->a, sc->territory_id, &sc->sub_territories,
					 &sc->n_sub_territories) < 0)
			return PERR_INTERNAL;
	}
	if (rq->sector && *rq->sector) {
		f = scope_find(e->db, e->a, SCOPE_SECTOR, rq->sector, &sc->sector_id,
			       &sc->sector_name);
		if (f != 0)
			return f < 0 ? PERR_INTERNAL : PERR_NOT_FOUND;
		sc->sector = arena_strdup(e->a, rq->sector);
	}
	if (rq->organisation && *rq->organisation) {
		f = scope_find(e->db, e->a, SCOPE_ORGANISATION, rq->organisation,
			       &sc->organisation_id, &sc->organisation_name);
		if (f != 0)
			return f < 0 ? PERR_INTERNAL : PERR_NOT_FOUND;
		sc->organisation = arena_strdup(e->a, rq->organisation);
	}
	e->scope.territory_id = sc->territory_id;
	e->scope.sector_id = sc->sector_id;
	e->scope.organisation_id = sc->organisation_id;
	e->scope.author_id = rq->author_id;
	return PERR_OK;
}

/* ---- status and display ---- */

static bool target_met(const struct report_target *t, double v)
{
	if (strcmp(t->op, "<=") == 0)
		return v <= t->value + 1e-9;
	if (strcmp(t->op, "<") == 0)
		return v < t->value;
	if (strcmp(t->op, ">=") == 0)
		return v >= t->value - 1e-9;
	return v > t->value;
}

static void set_status(struct ind_result *r)
{
	if (!r->target.present)
		r->status = REPORT_STATUS_SANS_CIBLE;
	else if (!r->has_value || r->suppressed)
		r->status = REPORT_STATUS_INSUFFISANT;
	else
		r->status = target_met(&r->target, r->unrounded) ? REPORT_STATUS_ATTEINT
								 : REPORT_STATUS_NON_ATTEINT;
}

/* Display strings of everything not suppressed (suppression wrote its own). */
static void set_displays(struct arena *a, const char *lang, struct ind_result *r)
{
	if (!r->suppressed)
		r->display = r->has_value ? report_format_number(a, lang, r->value) : "—";
	for (size_t b = 0; b < r->n_breakdowns; b++)
		for (size_t i = 0; i < r->breakdowns[b].n_cells; i++) {
			struct report_cell *c = &r->breakdowns[b].cells[i];
			if (c->suppressed)
				continue;
			if (!c->has_value)
				c->display = "—";
			else if (r->breakdowns[b].entered)
				c->display = report_format_exact(a, lang, c->value);
			else
				c->display = report_format_number(a, lang, c->value);
		}
	for (size_t i = 0; i < r->n_details; i++) {
		struct report_detail *d = &r->details[i];
		if (d->suppressed)
			continue;
		if (d->type == REPORT_DETAIL_TEXT)
			d->display = d->text;
		else
			d->display = report_format_number(
				a, lang,
				d->type == REPORT_DETAIL_INT ? (double)d->integer : d->number);
	}
}

/* True when id is wanted by rq. */
static bool wanted(const struct report_request *rq, const char *id)
{
	if (!rq->only_ids)
		return true;
	for (size_t i = 0; i < rq->n_only_ids; i++)
		if (strcmp(rq->only_ids[i], id) == 0)
			return true;
	return false;
}

/* Starts the engine e for rq (already checked) into out: resolves its
 * scope. */
static enum perr eng_start(struct eng *e, struct db *db, struct arena *a,
			   const struct report_request *rq, struct report *out)
{
	memset(out, 0, sizeof(*out));
	*e = (struct eng){.db = db,
			  .a = a,
			  .lang = rq->lang ? rq->lang : "fr",
			  .r = out,
			  .act_from_raw = rq->act_from_raw,
			  .cache = rq->cache};
	return resolve_scope(e, rq);
}

/* Computes the indicators rq wants with the engine e started for it. */
static enum perr eng_run(struct eng *e, const struct report_request *rq);

enum perr report_compute(struct db *db, struct arena *a, const struct report_request *rq,
			 struct report *out)
{
	memset(out, 0, sizeof(*out));
	if (report_request_check(rq))
		return PERR_INVALID;
	struct eng e;
	enum perr err = eng_start(&e, db, a, rq, out);
	return err != PERR_OK ? err : eng_run(&e, rq);
}

static enum perr eng_run(struct eng *e, const struct report_request *rq)
{
	struct arena *a = e->a;
	struct report *out = e->r;
	out->indicators = arena_calloc(a, REPORT_N_INDICATORS, sizeof(*out->indicators));
	e->pap_headcount = arena_calloc(a, REPORT_N_INDICATORS, sizeof(double));
	bool any_act = false;
	for (size_t i = 0; i < REPORT_N_INDICATORS; i++) {
		if (!wanted(rq, REPORT_IDS[i]))
			continue;
		struct ind_result *r = &out->indicators[out->n_indicators];
		r->ind = (enum report_ind)i;
		r->id = REPORT_IDS[i];
		r->label = eng_tr(e, DEFS[i].label);
		r->unit = DEFS[i].unit;
		r->subject = DEFS[i].subject;
		r->display = "—";
		if (DEFS[i].op) {
			r->target.present = true;
			r->target.op = DEFS[i].op;
			r->target.value = DEFS[i].target;
		}
		if (DEFS[i].compute) {
			if (DEFS[i].compute(e, r, out->n_indicators) < 0)
				return PERR_INTERNAL;
			r->computed = true;
		} else {
			any_act = true;
		}
		out->n_indicators++;
	}
	if (any_act && eng_compute_activity(e) < 0)
		return PERR_INTERNAL;
	report_suppress(a, out, e->pap_headcount);
	for (size_t i = 0; i < out->n_indicators; i++) {
		set_status(&out->indicators[i]);
		set_displays(a, e->lang, &out->indicators[i]);
	}
	return PERR_OK;
}

enum perr report_by_author(struct db *db, struct arena *a, const struct report_request *rq,
			   struct ind_act_author_row **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	if (report_request_check(rq) ||
	    (rq->view != REPORT_VIEW_GESTIONNAIRE && rq->view != REPORT_VIEW_COMPLET))
		return PERR_INVALID;
	struct report r;
	memset(&r, 0, sizeof(r));
	struct eng e = {.db = db, .a = a, .lang = rq->lang ? rq->lang : "fr", .r = &r};
	enum perr err = resolve_scope(&e, rq);
	if (err != PERR_OK)
		return err;
	return ind_act_by_author(db, a, &e.scope, rows, n) < 0 ? PERR_INTERNAL : PERR_OK;
}

/* ---- refusals by reason and corridor ---- */

/* Adds one refusal (key) to the cell keyed key of b, labelled label. */
static void refusal_add(struct arena *a, struct report_breakdown *b, int64_t *keys, const char *key,
			const char *label, int64_t rkey, size_t cap)
{
	size_t i = 0;
	while (i < b->n_cells && strcmp(b->cells[i].key, key) != 0)
		i++;
	if (i == b->n_cells) {
		BUG_ON(i >= cap);
		eng_cell(&b->cells[b->n_cells++], arena_strdup(a, key), label, 0);
	}
	b->cells[i].value += 1;
	keys[i] += rkey;
}

/* Publishes b's counts for e's view: cell key, small cells, complement. */
static void refusal_protect(struct eng *e, struct report_breakdown *b, const int64_t *keys,
			    bool total_shown)
{
	int t = e->r->scope.threshold > 0 ? e->r->scope.threshold : REPORT_DEFAULT_THRESHOLD;
	for (size_t i = 0; i < b->n_cells; i++) {
		struct report_cell *c = &b->cells[i];
		c->value = (double)eng_count(e, (int64_t)c->value, keys[i]);
		c->display = arena_printf(e->a, "%.0f", c->value);
		if (eng_protected(e) && c->value >= 1 && c->value < t) {
			c->value = 0;
			c->has_value = false;
			c->suppressed = true;
			c->display = arena_printf(e->a, "<%d", t);
		}
	}
	if (eng_protected(e))
		report_suppress_complementary(b, total_shown);
}

enum perr report_refusals(struct db *db, struct arena *a, const struct report_request *rq,
			  struct report_refusals *out)
{
	memset(out, 0, sizeof(*out));
	if (report_request_check(rq))
		return PERR_INVALID;
	struct report r;
	memset(&r, 0, sizeof(r));
	struct eng e = {.db = db, .a = a, .lang = rq->lang ? rq->lang : "fr", .r = &r};
	enum perr err = resolve_scope(&e, rq);
	if (err != PERR_OK)
		return err;
	struct ind_refusal *v;
	size_t n;
	if (ind_refusals(db, a, &e.scope, &v, &n) < 0)
		return PERR_INTERNAL;
	struct report_breakdown *br = &out->by_reason, *bc = &out->by_corridor;
	br->name = "refus_par_motif";
	bc->name = "refus_par_corridor";
	br->subject = bc->subject = REPORT_SUBJECT_PEOPLE;
	br->additive = bc->additive = true;
	br->cells = arena_calloc(a, n + 1, sizeof(*br->cells));
	bc->cells = arena_calloc(a, n + 1, sizeof(*bc->cells));
	int64_t *kr = arena_calloc(a, n + 1, sizeof(*kr)),
		*kc = arena_calloc(a, n + 1, sizeof(*kc));
	int64_t key = 0;
	for (size_t i = 0; i < n; i++) {
		const char *label = referral_refusal_label(v[i].code);
		refusal_add(a, br, kr, v[i].code ? v[i].code : "",
			    eng_tr(&e, label ? label : N_("Sans motif codé")), v[i].key, n + 1);
		refusal_add(a, bc, kc, v[i].corridor_ext ? v[i].corridor_ext : "",
			    v[i].corridor_name ? v[i].corridor_name
					       : eng_tr(&e, N_("Référence directe")),
			    v[i].key, n + 1);
		key += v[i].key;
	}
	out->total = eng_count(&e, (int64_t)n, key);
	int t = r.scope.threshold > 0 ? r.scope.threshold : REPORT_DEFAULT_THRESHOLD;
	bool small = eng_protected(&e) && out->total >= 1 && out->total < t;
	out->total_display =
		small ? arena_printf(a, "<%d", t) : arena_printf(a, "%lld", (long long)out->total);
	refusal_protect(&e, br, kr, !small);
	refusal_protect(&e, bc, kc, !small);
	return PERR_OK;
}

void report_attach_refusals(struct arena *a, struct report *r, const struct report_refusals *rf)
{
	struct ind_result *x = NULL;
	for (size_t k = 0; k < r->n_indicators && !x; k++)
		if (r->indicators[k].ind == REPORT_IND_ARR_TAUX_ECHAPPEMENT)
			x = &r->indicators[k];
	if (!x)
		return;
	const char *lang = r->scope.lang ? r->scope.lang : "fr";
	struct report_breakdown *v = arena_calloc(a, x->n_breakdowns + 2, sizeof(*v));
	if (x->n_breakdowns)
		memcpy(v, x->breakdowns, x->n_breakdowns * sizeof(*v));
	const struct report_breakdown *from[] = {&rf->by_reason, &rf->by_corridor};
	const char *labels[] = {N_("Refus par motif"), N_("Refus par corridor")};
	for (size_t i = 0; i < 2; i++) {
		struct report_breakdown *b = &v[x->n_breakdowns + i];
		*b = *from[i];
		b->label = i18n_tr(lang, labels[i]);
		b->unit = "nombre";
		b->additive = false; /* they sum to the refusals, not to the rate */
	}
	x->breakdowns = v;
	x->n_breakdowns += 2;
}

/* ---- trend over quarters ---- */

enum perr report_trend_quarters(struct db *db, struct arena *a, const struct report_request *rq,
				struct report_trend *out)
{
	memset(out, 0, sizeof(*out));
	struct pdate as_of = rq->as_of;
	if (!rq->has_as_of) {
		struct pdate today = ptime_local_date(ptime_now());
		as_of = ptime_date_cmp(&rq->to, &today) < 0 ? rq->to : today;
	}
	/* quarter index of as_of, counted from year 0 */
	int q_last = as_of.year * 4 + (as_of.month - 1) / 3;
	/* The latest quarter first: its trajectories serve the earlier ones. */
	struct report_cache local = {0};
	for (int k = REPORT_TREND_QUARTERS - 1; k >= 0; k--) {
		int q = q_last - (REPORT_TREND_QUARTERS - 1 - k);
		int year = q / 4, qi = q % 4;
		struct pdate from = {year, qi * 3 + 1, 1};
		struct pdate next = {qi == 3 ? year + 1 : year, qi == 3 ? 1 : qi * 3 + 4, 1};
		struct pdate to = ptime_civil_from_days(ptime_days_from_civil(&next) - 1);
		struct report_request r = *rq;
		if (!r.cache)
			r.cache = &local;
		r.from = from;
		r.to = k == REPORT_TREND_QUARTERS - 1 ? as_of : to;
		r.as_of = r.to;
		r.has_as_of = true;
		str_copy(out->quarters[k].label, sizeof(out->quarters[k].label),
			 arena_printf(a, "%04d-T%d", year, qi + 1));
		enum perr err = report_compute(db, a, &r, &out->quarters[k].report);
		if (err != PERR_OK)
			return err;
	}
	out->n = REPORT_TREND_QUARTERS;
	return PERR_OK;
}

/* ---- territories side by side ---- */

/* Whether rq computes any of the indicators that read trajectories. */
static bool wants_trajectories(const struct report_request *rq)
{
	return wanted(rq, REPORT_IDS[REPORT_IND_ARR_DELAI_PRISE_EN_CHARGE]) ||
	       wanted(rq, REPORT_IDS[REPORT_IND_ARR_TAUX_ECHAPPEMENT]) ||
	       wanted(rq, REPORT_IDS[REPORT_IND_ARR_RENVOIS_BOUCLE]);
}

/* Whether rq computes any act.* indicator (computed by engine_act.c). */
static bool wants_activity(const struct report_request *rq)
{
	for (size_t i = 0; i < REPORT_N_INDICATORS; i++)
		if (!DEFS[i].compute && wanted(rq, REPORT_IDS[i]))
			return true;
	return false;
}

static bool same_scope(const struct ind_scope *x, const struct ind_scope *y)
{
	return ptime_date_cmp(&x->from, &y->from) == 0 && ptime_date_cmp(&x->to, &y->to) == 0 &&
	       ptime_date_cmp(&x->as_of, &y->as_of) == 0 && x->territory_id == y->territory_id &&
	       x->sector_id == y->sector_id && x->organisation_id == y->organisation_id &&
	       x->author_id == y->author_id;
}

const struct ind_act_all *eng_cached_activity(const struct eng *e)
{
	const struct report_cache *c = e->cache;
	if (!c || !c->act || e->act_from_raw || !same_scope(&c->act_scope, &e->scope))
		return NULL;
	return c->act;
}

/* The act.* sums of the n territories ids of scope (each engine's scope
 * but for its territory) in one pass, into each one's cache when that
 * pass answers the scope (compare_act_compute). 0 or -1. */
static int territories_activity(struct db *db, struct arena *a, const struct ind_scope *scope,
				const int64_t *ids, size_t n, const struct ind_arr_sent *sent,
				struct report_request *each)
{
	struct ind_act_all *act = arena_calloc(a, n, sizeof(*act));
	int rc = compare_act_compute(db, a, scope, ids, n, sent, act);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		each[i].cache->act = &act[i];
		each[i].cache->act_scope = *scope;
		each[i].cache->act_scope.territory_id = ids[i];
	}
	return rc < 0 ? -1 : 0;
}

enum perr report_compute_territories(struct db *db, struct arena *a,
				     const struct report_request *rq,
				     const char *const *territories, size_t n, struct report *out)
{
	/* Checked once; each territory's scope resolved once. */
	if (report_request_check(rq))
		return PERR_INVALID;
	struct report_request *each = arena_calloc(a, n ? n : 1, sizeof(*each));
	struct eng *eng = arena_calloc(a, n ? n : 1, sizeof(*eng));
	int64_t *ids = arena_calloc(a, n ? n : 1, sizeof(*ids));
	struct ind_scope scope;
	for (size_t i = 0; i < n; i++) {
		if (!territories[i] || !*territories[i])
			return PERR_INVALID;
		each[i] = *rq;
		each[i].territory = territories[i];
		each[i].cache = arena_calloc(a, 1, sizeof(*each[i].cache));
		enum perr err = eng_start(&eng[i], db, a, &each[i], &out[i]);
		if (err != PERR_OK)
			return err;
		ids[i] = eng[i].scope.territory_id;
		scope = eng[i].scope;
	}
	bool act_pass = n && !rq->act_from_raw && wants_activity(rq);
	/* The referrals of the period the trajectory rows hold, for the act.*
	 * pass to count instead of reading them again (model/compare_act.h). */
	struct ind_arr_sent sent = {0};
	int rc = 0;
	if (n && wants_trajectories(rq)) {
		int64_t end = ind_scope_end(&scope), as_of_end = ind_scope_as_of_end(&scope);
		sent.from = ind_scope_start(&scope);
		sent.to = end < as_of_end ? end : as_of_end;
		struct ind_trajectories *tr = arena_calloc(a, n, sizeof(*tr));
		rc = ind_arr_trajectories_split(db, a, &scope, ids, n, act_pass ? &sent : NULL, tr);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			each[i].cache->traj = &tr[i];
			each[i].cache->traj_scope = scope;
			each[i].cache->traj_scope.territory_id = ids[i];
		}
	}
	if (rc == 0 && act_pass)
		rc = territories_activity(db, a, &scope, ids, n, sent.complete ? &sent : NULL,
					  each);
	ind_arr_sent_free(&sent);
	if (rc < 0)
		return PERR_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		enum perr err = eng_run(&eng[i], &each[i]);
		if (err != PERR_OK)
			return err;
	}
	return PERR_OK;
}

/* ---- names ---- */

const struct ind_result *report_find(const struct report *r, const char *id)
{
	for (size_t i = 0; i < r->n_indicators; i++)
		if (strcmp(r->indicators[i].id, id) == 0)
			return &r->indicators[i];
	return NULL;
}

const struct ind_result *report_get(const struct report *r, enum report_ind ind)
{
	for (size_t i = 0; i < r->n_indicators; i++)
		if (r->indicators[i].ind == ind)
			return &r->indicators[i];
	return NULL;
}

int report_ind_parse(const char *id, enum report_ind *out)
{
	for (size_t i = 0; id && i < REPORT_N_INDICATORS; i++)
		if (strcmp(REPORT_IDS[i], id) == 0) {
			*out = (enum report_ind)i;
			return 0;
		}
	return -1;
}

static const char *const VIEW_NAMES[] = {"complet", "gestionnaire", "comite", "analyste"};

const char *report_view_name(enum report_view v)
{
	return (unsigned)v < 4 ? VIEW_NAMES[v] : "comite";
}

int report_view_parse(const char *s, enum report_view *out)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, VIEW_NAMES[i]) == 0) {
			*out = (enum report_view)i;
			return 0;
		}
	return -1;
}

const char *report_status_name(enum report_status s)
{
	switch (s) {
	case REPORT_STATUS_ATTEINT: return "atteint";
	case REPORT_STATUS_NON_ATTEINT: return "non_atteint";
	case REPORT_STATUS_INSUFFISANT: return "insuffisant";
	default: return "sans_cible";
	}
}

void report_request_init(struct report_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->view = REPORT_VIEW_COMITE;
	rq->lang = "fr";
}
