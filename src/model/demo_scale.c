/* Province-scale demo (demo_scale.h): prepared inserts with ids given,
 * committed every SCALE_BATCH activities, foreign-key checks off during
 * the load (the generator only writes ids it made), then one rebuild of
 * the aggregates. */
#include "model/demo_scale.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/ptime.h"
#include "db/db.h"
#include "model/aggregate.h"
#include "model/cellkey.h"
#include "model/trajectory.h"
#include "model/search.h"

#define SCALE_REGIONS 16
#define SCALE_PER_REGION 8
#define SCALE_TERRITORIES (SCALE_REGIONS * SCALE_PER_REGION)
#define SCALE_ORGS_PER_TERR 6
#define SCALE_CORRIDORS_PER_TERR 4
#define SCALE_BATCH 250000

struct scale {
	struct db *db;
	uint64_t rng;
	int64_t base_terr, base_org, base_person, base_pos, base_fam, base_corr, base_act, base_ref;
	int64_t sectors[SCALE_ORGS_PER_TERR];
	int64_t n_pos, n_fam, n_act, n_ref;
	int64_t *pos_terr; /* territory index of each position */
	int *pos_org;      /* organisation slot (0..5) of each position */
	int year;
	int64_t year_start; /* instant of January 1 */
	char dates[366][11];
	int days;
};

static uint32_t rnd(struct scale *s, uint32_t n)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (uint32_t)((s->rng >> 11) % n);
}

/* prefix followed by the decimal n, into out (cap >= 32). */
static const char *ext(char *out, const char *prefix, int64_t n)
{
	size_t k = 0;
	while (*prefix && k < 16)
		out[k++] = *prefix++;
	char digits[24];
	int d = 0;
	do {
		digits[d++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0 && d < 20);
	while (d > 0)
		out[k++] = digits[--d];
	out[k] = 0;
	return out;
}

static int step(struct db *db, struct db_stmt *st, const char *what)
{
	if (db_step(st) != DB_DONE) {
		db_log_error(db, what);
		return -1;
	}
	return 0;
}

static int exec_id(struct db *db, enum stmt_id id)
{
	struct db_stmt *st = db_stmt(db, id);
	if (!st)
		return -1;
	int rc = db_step(st);
	if (rc != DB_DONE && rc != DB_ROW) {
		db_log_error(db, "demo.scale.pragma");
		return -1;
	}
	db_reset(st);
	return 0;
}

static int64_t org_id(const struct scale *s, int64_t terr, int slot)
{
	return s->base_org + terr * SCALE_ORGS_PER_TERR + slot + 1;
}

static int64_t terr_id(const struct scale *s, int64_t terr)
{
	return s->base_terr + SCALE_REGIONS + terr + 1;
}

static int load_bases(struct scale *s)
{
	struct db_stmt *st = db_stmt(s->db, STMT_SCALE_MAX_ID);
	if (!st || db_step(st) != DB_ROW)
		return -1;
	s->base_terr = db_col_int64(st, 0);
	s->base_org = db_col_int64(st, 1);
	s->base_person = db_col_int64(st, 2);
	s->base_pos = db_col_int64(st, 3);
	s->base_fam = db_col_int64(st, 4);
	s->base_corr = db_col_int64(st, 5);
	s->base_act = db_col_int64(st, 6);
	s->base_ref = db_col_int64(st, 7);
	db_reset(st);
	st = db_stmt(s->db, STMT_SCALE_SECTORS);
	if (!st)
		return -1;
	int n = 0;
	while (n < SCALE_ORGS_PER_TERR && db_step(st) == DB_ROW)
		s->sectors[n++] = db_col_int64(st, 0);
	db_reset(st);
	return n == SCALE_ORGS_PER_TERR ? 0 : -1;
}

/* The regions, then the territories under them. */
static int load_territories(struct scale *s, struct demo_scale_result *res)
{
	char e[32], name[32];
	static const char *const types[] = {"urbain", "rural", "mixte"};
	struct db_stmt *st;
	for (int64_t r = 0; r < SCALE_REGIONS + SCALE_TERRITORIES; r++) {
		bool region = r < SCALE_REGIONS;
		if (!(st = db_stmt(s->db, STMT_SCALE_TERRITORY)))
			return -1;
		db_bind_int64(st, 1, s->base_terr + r + 1);
		db_bind_text_copy(st, 2, ext(e, region ? "sc-reg-" : "sc-terr-", r));
		db_bind_text_copy(st, 3, ext(name, region ? "Région " : "Territoire ", r));
		db_bind_text(st, 4, types[r % 3]);
		if (region)
			db_bind_null(st, 5);
		else
			db_bind_int64(st, 5,
				      s->base_terr + (r - SCALE_REGIONS) / SCALE_PER_REGION + 1);
		if (step(s->db, st, "demo.scale.territory") < 0)
			return -1;
		res->territories++;
	}
	return 0;
}

/* SCALE_ORGS_PER_TERR organisations per territory, one per sector. */
static int load_organisations(struct scale *s, struct demo_scale_result *res)
{
	char e[32], name[32];
	struct db_stmt *st;
	for (int64_t t = 0; t < SCALE_TERRITORIES; t++)
		for (int k = 0; k < SCALE_ORGS_PER_TERR; k++) {
			if (!(st = db_stmt(s->db, STMT_SCALE_ORGANISATION)))
				return -1;
			int64_t id = org_id(s, t, k);
			db_bind_int64(st, 1, id);
			db_bind_text_copy(st, 2, ext(e, "sc-org-", id));
			db_bind_text_copy(st, 3, ext(name, "Organisation ", id));
			db_bind_int64(st, 4, s->sectors[k]);
			search_bind_text(st, 5, name, NULL, NULL);
			if (step(s->db, st, "demo.scale.organisation") < 0)
				return -1;
			if (!(st = db_stmt(s->db, STMT_SCALE_ORG_TERRITORY)))
				return -1;
			db_bind_int64(st, 1, id);
			db_bind_int64(st, 2, terr_id(s, t));
			if (step(s->db, st, "demo.scale.org_territory") < 0)
				return -1;
			res->organisations++;
		}
	return 0;
}

/* SCALE_CORRIDORS_PER_TERR corridors per territory. */
static int load_corridors(struct scale *s, struct demo_scale_result *res)
{
	char e[32];
	static const char *const needs[] = {"logement", "sante_mentale", "alimentation",
					    "francisation"};
	static const double targets[] = {2, 10, 30, 2};
	struct db_stmt *st;
	for (int64_t t = 0; t < SCALE_TERRITORIES; t++)
		for (int k = 0; k < SCALE_CORRIDORS_PER_TERR; k++) {
			if (!(st = db_stmt(s->db, STMT_SCALE_CORRIDOR)))
				return -1;
			int64_t id = s->base_corr + t * SCALE_CORRIDORS_PER_TERR + k + 1;
			db_bind_int64(st, 1, id);
			db_bind_text_copy(st, 2, ext(e, "sc-corr-", id));
			db_bind_int64(st, 3, terr_id(s, t));
			db_bind_text(st, 4, needs[k]);
			db_bind_int64(st, 5, org_id(s, t, 1 + k % (SCALE_ORGS_PER_TERR - 1)));
			db_bind_double(st, 6, targets[k]);
			search_bind_text(st, 7, e, NULL, NULL);
			if (step(s->db, st, "demo.scale.corridor") < 0)
				return -1;
			res->corridors++;
		}
	return 0;
}

/* The positions, each in a random territory and organisation, with its
 * PAP holding it from the first day. */
static int load_positions(struct scale *s, struct demo_scale_result *res)
{
	char e[32], name[32];
	char first[11];
	memcpy(first, s->dates[0], sizeof(first));
	struct db_stmt *st;
	for (int64_t p = 0; p < s->n_pos; p++) {
		int64_t t = rnd(s, SCALE_TERRITORIES);
		int k = (int)rnd(s, SCALE_ORGS_PER_TERR);
		s->pos_terr[p] = t;
		s->pos_org[p] = k;
		int64_t person = s->base_person + p + 1, pos = s->base_pos + p + 1;
		if (!(st = db_stmt(s->db, STMT_SCALE_PERSON)))
			return -1;
		db_bind_int64(st, 1, person);
		db_bind_text_copy(st, 2, ext(e, "sc-pap-", person));
		db_bind_text_copy(st, 3, ext(name, "PAP ", person));
		db_bind_int64(st, 4, org_id(s, t, k));
		db_bind_int64(st, 5, terr_id(s, t));
		if (step(s->db, st, "demo.scale.person") < 0)
			return -1;
		if (!(st = db_stmt(s->db, STMT_SCALE_POSITION)))
			return -1;
		db_bind_int64(st, 1, pos);
		db_bind_text_copy(st, 2, ext(e, "sc-pos-", pos));
		db_bind_int64(st, 3, org_id(s, t, k));
		db_bind_int64(st, 4, terr_id(s, t));
		db_bind_text(st, 5, first);
		if (step(s->db, st, "demo.scale.position") < 0)
			return -1;
		if (!(st = db_stmt(s->db, STMT_SCALE_HOLDER)))
			return -1;
		db_bind_int64(st, 1, pos);
		db_bind_int64(st, 2, person);
		db_bind_text(st, 3, first);
		if (step(s->db, st, "demo.scale.holder") < 0)
			return -1;
		res->positions++;
	}
	return 0;
}

/* Family f belongs to the organisation of position f % n_pos and is
 * followed by its holder. */
static int load_families(struct scale *s, struct demo_scale_result *res)
{
	char e[32];
	char first[11];
	memcpy(first, s->dates[0], sizeof(first));
	struct db_stmt *st;
	for (int64_t f = 0; f < s->n_fam; f++) {
		int64_t p = f % s->n_pos, id = s->base_fam + f + 1;
		if (!(st = db_stmt(s->db, STMT_SCALE_FAMILY)))
			return -1;
		db_bind_int64(st, 1, id);
		db_bind_text_copy(st, 2, ext(e, "sc-fam-", id));
		db_bind_int64(st, 3, org_id(s, s->pos_terr[p], s->pos_org[p]));
		db_bind_int64(st, 4, s->base_person + p + 1);
		db_bind_text(st, 5, first);
		db_bind_int64(st, 6, cellkey_draw());
		if (step(s->db, st, "demo.scale.family") < 0)
			return -1;
		res->families++;
	}
	return 0;
}

/* Regions, territories, organisations, positions, holders, corridors,
 * families: one transaction. */
static int load_structure(struct scale *s, struct demo_scale_result *res)
{
	if (load_territories(s, res) < 0 || load_organisations(s, res) < 0 ||
	    load_corridors(s, res) < 0 || load_positions(s, res) < 0 || load_families(s, res) < 0)
		return -1;
	return 0;
}

static int add_pair(struct scale *s, enum stmt_id id, int64_t act, const char *code)
{
	struct db_stmt *st = db_stmt(s->db, id);
	if (!st)
		return -1;
	db_bind_int64(st, 1, act);
	db_bind_text(st, 2, code);
	return step(s->db, st, "demo.scale.list");
}

static int add_link(struct scale *s, enum stmt_id id, int64_t act, int64_t ref)
{
	struct db_stmt *st = db_stmt(s->db, id);
	if (!st)
		return -1;
	db_bind_int64(st, 1, act);
	db_bind_int64(st, 2, ref);
	return step(s->db, st, "demo.scale.link");
}

static const struct {
	const char *type, *component;
	int weight;
} TYPES[] = {
	{"contact_informel", "demarchage", 30},
	{"demarchage", "demarchage", 12},
	{"accompagnement", "accompagnement", 12},
	{"intervention_individuelle", "accompagnement", 14},
	{"intervention_groupe", "accompagnement", 5},
	{"activite_collective", "demarchage", 5},
	{"concertation", "collaboration", 8},
	{"liaison", "collaboration", 8},
	{"presentation_mandat", "collaboration", 2},
	{"intervention_crise", "accompagnement", 2},
	{"codeveloppement", "collaboration", 2},
};
static const char *const COMPONENTS[] = {"demarchage", "accompagnement", "collaboration"};
static const char *const STRATEGIES[] = {"s_inserer",   "proximite_relationnelle",
					 "proactif",    "mise_en_reseau",
					 "empowerment", "communaute_intervention"};
static const char *const NEEDS[] = {"logement",     "alimentation", "sante_mentale", "isolement",
				    "francisation", "parentalite",  "revenu",        "transport"};
static const char *const OUTCOMES[] = {"lien_confiance", "orientation_ressource",
				       "crise_desamorcee", "urgence_evitee", "acces_service"};
static const char *const PLACES[] = {"domicile", "parc",  "cafe_commerce",    "local_communautaire",
				     "rue",      "ecole", "telephone_virtuel"};
static const char *const INITIATED[] = {"pap", "personne", "partenaire"};

static int pick_type(struct scale *s)
{
	int w = (int)rnd(s, 100);
	for (int i = 0; i < (int)(sizeof(TYPES) / sizeof(TYPES[0])); i++) {
		if (w < TYPES[i].weight)
			return i;
		w -= TYPES[i].weight;
	}
	return 0;
}

static int one_activity(struct scale *s, int64_t i)
{
	char e[32];
	int64_t p = rnd(s, (uint32_t)s->n_pos), id = s->base_act + i + 1;
	int64_t t = s->pos_terr[p];
	int k = s->pos_org[p], ty = pick_type(s);
	int day = (int)rnd(s, (uint32_t)s->days);
	struct db_stmt *st = db_stmt(s->db, STMT_SCALE_ACTIVITY);
	if (!st)
		return -1;
	bool group = ty == 4 || ty == 5;
	db_bind_int64(st, 1, id);
	db_bind_text_copy(st, 2, ext(e, "sc-act-", id));
	db_bind_int64(st, 3, s->base_person + p + 1);
	db_bind_int64(st, 4, org_id(s, t, k));
	db_bind_int64(st, 5, terr_id(s, t));
	db_bind_text(st, 6, s->dates[day]);
	db_bind_int(st, 7, 5 + (int)rnd(s, 120));
	db_bind_int(st, 8, (int)rnd(s, 4) * 10);
	db_bind_int(st, 9, rnd(s, 10) == 0 ? 30 : 0);
	db_bind_int(st, 10, (int)rnd(s, 3) * 10);
	db_bind_int(st, 11, rnd(s, 4) == 0 ? 15 : 0);
	db_bind_text(st, 12, TYPES[ty].type);
	if (rnd(s, 10))
		db_bind_text(st, 13, PLACES[rnd(s, 7)]);
	else
		db_bind_null(st, 13);
	db_bind_int(st, 14, (int)rnd(s, 2));
	db_bind_text(st, 15, INITIATED[rnd(s, 3)]);
	db_bind_int(st, 16, group ? 5 + (int)rnd(s, 20) : 1 + (int)rnd(s, 2));
	db_bind_int(st, 17, (int)rnd(s, 2));
	db_bind_int(st, 18, (int)rnd(s, 2));
	db_bind_int(st, 19, (int)rnd(s, 2));
	db_bind_int(st, 20, rnd(s, 4) == 0 ? 1 : 0);
	db_bind_int(st, 21, rnd(s, 8) == 0 ? 1 : 0);
	db_bind_int64(st, 22, s->year_start + (int64_t)day * 86400 + 43200);
	db_bind_int64(st, 23, cellkey_draw());
	if (step(s->db, st, "demo.scale.activity") < 0)
		return -1;
	if (add_pair(s, STMT_SCALE_ACT_COMPONENT, id, TYPES[ty].component) < 0)
		return -1;
	if (rnd(s, 7) == 0) {
		const char *c2 = COMPONENTS[rnd(s, 3)];
		if (strcmp(c2, TYPES[ty].component) != 0 &&
		    add_pair(s, STMT_SCALE_ACT_COMPONENT, id, c2) < 0)
			return -1;
	}
	uint32_t ns = rnd(s, 3), s0 = rnd(s, 6);
	for (uint32_t j = 0; j < ns; j++)
		if (add_pair(s, STMT_SCALE_ACT_STRATEGY, id, STRATEGIES[(s0 + j) % 6]) < 0)
			return -1;
	uint32_t nn = rnd(s, 3), n0 = rnd(s, 8);
	for (uint32_t j = 0; j < nn; j++)
		if (add_pair(s, STMT_SCALE_ACT_NEED, id, NEEDS[(n0 + j) % 8]) < 0)
			return -1;
	if (rnd(s, 3) == 0 && add_pair(s, STMT_SCALE_ACT_OUTCOME, id, OUTCOMES[rnd(s, 5)]) < 0)
		return -1;
	if (s->n_fam && rnd(s, 20) == 0) {
		/* a family of the author's caseload: f % n_pos == p */
		int64_t per = s->n_fam / s->n_pos;
		if (per > 0 &&
		    add_link(s, STMT_SCALE_ACT_FAMILY, id,
			     s->base_fam + p + s->n_pos * (int64_t)rnd(s, (uint32_t)per) + 1) < 0)
			return -1;
	}
	if (rnd(s, 10) == 0 && add_link(s, STMT_SCALE_ACT_PARTNER, id,
					org_id(s, t,
					       (k + 1 + (int)rnd(s, SCALE_ORGS_PER_TERR - 1)) %
						       SCALE_ORGS_PER_TERR)) < 0)
		return -1;
	return 0;
}

/* One trajectory of 1-3 referrals starting with referral number *r. */
static int one_trajectory(struct scale *s, int64_t *r)
{
	char e[32];
	int64_t f = rnd(s, (uint32_t)s->n_fam), p = f % s->n_pos;
	int64_t t = s->pos_terr[p];
	int from = s->pos_org[p];
	uint32_t lw = rnd(s, 100);
	int len = lw < 75 ? 1 : (lw < 95 ? 2 : 3);
	int64_t at =
		s->year_start + (int64_t)rnd(s, (uint32_t)(s->days - 20)) * 86400 + rnd(s, 86400);
	int64_t first_contact = at - (int64_t)rnd(s, 5 * 86400);
	int64_t prev = 0;
	for (int j = 0; j < len && *r < s->n_ref; j++) {
		int to = (from + 1 + (int)rnd(s, SCALE_ORGS_PER_TERR - 1)) % SCALE_ORGS_PER_TERR;
		int64_t id = s->base_ref + *r + 1;
		struct db_stmt *st = db_stmt(s->db, STMT_SCALE_REFERRAL);
		if (!st)
			return -1;
		bool last = j == len - 1 || *r + 1 == s->n_ref;
		uint32_t fate = rnd(s, 100);
		int64_t received = at + rnd(s, 2 * 86400);
		db_bind_int64(st, 1, id);
		db_bind_text_copy(st, 2, ext(e, "sc-ref-", id));
		db_bind_int64(st, 3, s->base_fam + f + 1);
		db_bind_int64(st, 4, org_id(s, t, from));
		db_bind_int64(st, 5, org_id(s, t, to));
		if (rnd(s, 5))
			db_bind_int64(st, 6,
				      s->base_corr + t * SCALE_CORRIDORS_PER_TERR +
					      rnd(s, SCALE_CORRIDORS_PER_TERR) + 1);
		else
			db_bind_null(st, 6);
		db_bind_text(st, 7, NEEDS[rnd(s, 8)]);
		db_bind_int64(st, 8, s->base_person + p + 1);
		db_bind_int64(st, 9, first_contact);
		db_bind_int64(st, 10, at);
		db_bind_int64(st, 11, received);
		int64_t closed = received + rnd(s, 6 * 86400);
		if (!last) {
			db_bind_null(st, 12);
			db_bind_int64(st, 13, closed);
			db_bind_text(st, 14, "reorientee");
		} else if (fate < 70) {
			db_bind_int64(st, 12, closed);
			db_bind_int64(st, 13, closed);
			db_bind_text(st, 14, "prise_en_charge");
		} else if (fate < 80) {
			db_bind_null(st, 12);
			db_bind_int64(st, 13, closed);
			db_bind_text(st, 14, "perdue");
		} else {
			db_bind_null(st, 12);
			db_bind_null(st, 13);
			db_bind_null(st, 14);
		}
		if (prev)
			db_bind_int64(st, 15, prev);
		else
			db_bind_null(st, 15);
		db_bind_int64(st, 16, cellkey_draw());
		if (step(s->db, st, "demo.scale.referral") < 0)
			return -1;
		prev = id;
		from = to;
		at = closed + rnd(s, 86400);
		(*r)++;
	}
	return 0;
}

int demo_scale_load(struct db *db, double factor, int year, struct demo_scale_result *res)
{
	memset(res, 0, sizeof(*res));
	if (!(factor > 0 && factor <= 10))
		return -1;
	struct scale s = {.db = db, .rng = 0x9e3779b97f4a7c15ull, .year = year};
	s.n_pos = (int64_t)llround(10000 * factor);
	s.n_act = (int64_t)llround(10000000 * factor);
	s.n_fam = (int64_t)llround(300000 * factor);
	s.n_ref = (int64_t)llround(500000 * factor);
	if (s.n_pos < 1)
		s.n_pos = 1;
	if (s.n_fam < 1)
		s.n_fam = 1;
	struct pdate jan1 = {year, 1, 1}, next = {year + 1, 1, 1};
	s.year_start = ptime_date_start(&jan1);
	int64_t d0 = ptime_days_from_civil(&jan1);
	s.days = (int)(ptime_days_from_civil(&next) - d0);
	for (int d = 0; d < s.days; d++) {
		struct pdate pd = ptime_civil_from_days(d0 + d);
		ptime_format_date(&pd, s.dates[d]);
	}
	s.pos_terr = calloc((size_t)s.n_pos, sizeof(*s.pos_terr));
	s.pos_org = calloc((size_t)s.n_pos, sizeof(*s.pos_org));
	if (!s.pos_terr || !s.pos_org) {
		free(s.pos_terr);
		free(s.pos_org);
		return -1;
	}
	int64_t t0 = ptime_monotonic_us();
	int rc = -1;
	if (exec_id(db, STMT_SCALE_FK_OFF) < 0 || exec_id(db, STMT_SCALE_CACHE) < 0 ||
	    load_bases(&s) < 0)
		goto out;
	if (db_begin(db) < 0)
		goto out;
	if (load_structure(&s, res) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		goto out;
	}
	for (int64_t i = 0; i < s.n_act; i += SCALE_BATCH) {
		if (db_begin(db) < 0)
			goto out;
		for (int64_t j = i; j < i + SCALE_BATCH && j < s.n_act; j++)
			if (one_activity(&s, j) < 0) {
				db_rollback(db);
				goto out;
			}
		if (db_commit(db) < 0)
			goto out;
		res->activities = i + SCALE_BATCH < s.n_act ? i + SCALE_BATCH : s.n_act;
		log_info("demo.scale", "activities=%lld seconds=%.1f", (long long)res->activities,
			 (double)(ptime_monotonic_us() - t0) / 1e6);
	}
	if (db_begin(db) < 0)
		goto out;
	for (int64_t r = 0; r < s.n_ref;)
		if (one_trajectory(&s, &r) < 0) {
			db_rollback(db);
			goto out;
		}
	if (db_commit(db) < 0)
		goto out;
	res->referrals = s.n_ref;
	int64_t t1 = ptime_monotonic_us();
	res->seconds_insert = (double)(t1 - t0) / 1e6;
	if (db_begin(db) < 0)
		goto out;
	if (agg_rebuild(db) < 0 || trajectory_rebuild(db) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		goto out;
	}
	res->seconds_aggregates = (double)(ptime_monotonic_us() - t1) / 1e6;
	rc = 0;
out:
	exec_id(db, STMT_SCALE_FK_ON);
	free(s.pos_terr);
	free(s.pos_org);
	return rc;
}
