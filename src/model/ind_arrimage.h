/* Arrimage indicators of seed 002 (docs: indicators.md, "Referral
 * trajectories" and the arr.* table), as functions of the model that the
 * report engine calls:
 *   arr.delai_prise_en_charge   ind_arr_delai
 *   arr.taux_echappement        ind_arr_echappement
 *   arr.renvois_boucle          ind_arr_boucle
 *   arr.chevauchement_mandats   ind_arr_chevauchement
 *   arr.secteurs_cadre          ind_arr_secteurs_cadre
 *
 * Every function takes a scope (model/indicator.h), fills *out and returns
 * 0, or -1 on a database error (logged; *out is then zeroed). Lists and
 * strings in the results are allocated from the arena passed in and live as
 * long as it does; the caller owns nothing else.
 *
 * Rules where indicators.md is silent (see also ind_arrimage.c):
 *   - Trajectories are linear. When two referrals name the same previous
 *     one, the earliest sent (then lowest id) continues the trajectory; the
 *     other starts no trajectory of its own and is not counted.
 *   - A referral belongs to the territory of its corridor; without a
 *     corridor, to the territories its sending organisation serves
 *     (organisation_territory). A trajectory is in scope (territory, sector,
 *     organisation) when its FIRST referral is: the sector and organisation
 *     filters apply to the first referral's sending organisation.
 *   - "Taken in charge" means taken_at is set and not after as_of (the
 *     outcome column alone does not count: it carries no time).
 *   - A referral closed with an outcome perdue/refusee/reorientee but no
 *     closed_at counts as closed (its outcome is known, its time is not).
 *   - "Sent more than W days before as_of" compares local calendar dates:
 *     as_of - date(sent_at) > W.
 *   - Positions: "in the period" is [from, min(to, as_of)]; a position is
 *     filled on a day when a holder's [from_date, to_date] and the
 *     position's [start_date, end_date] both cover it (NULL end = open). */
#ifndef PROXIMA_IND_ARRIMAGE_H
#define PROXIMA_IND_ARRIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/idmap.h"
#include "model/indicator.h"

struct db;
struct arena;

#define IND_ARR_DELAI_TARGET_DAYS 2.0   /* target: mean <= 2 days */
#define IND_ARR_ECHAPPEMENT_TARGET 10.0 /* target: rate < 10 % */

/* arr.delai_prise_en_charge: days (elapsed hours / 24, unrounded) from a
 * trajectory's first contact to the taking in charge of its last referral,
 * over trajectories whose last referral was taken within the period. */
struct ind_arr_delai_result {
	struct ind_stats stats; /* n, mean, median, p90 in days */
	size_t within_target;   /* delay <= the last referral's corridor target */
	double pct_within;      /* within_target / n * 100; 0 when n == 0 */
	bool target_met;        /* stats.defined && mean <= 2 */
	/* Sums of the trajectories' record keys (model/cellkey.h): of the n
	 * trajectories, of those within target. */
	int64_t key_n, key_within;
};

/* arr.taux_echappement: over trajectories whose first referral was sent in
 * the period and that are mature at as_of. */
struct ind_arr_echappement_result {
	size_t escaped;    /* numerator */
	size_t mature;     /* denominator */
	size_t en_attente; /* still open, sent W days or less before as_of */
	double value;      /* escaped / mature * 100; 0 when !defined */
	bool defined;      /* mature > 0 */
	bool target_met;   /* defined && value < 10 */
	int64_t key_escaped, key_mature, key_en_attente; /* record keys (cellkey.h) */
};

/* arr.renvois_boucle: trajectories started in the period in which an
 * organisation appears twice (first sender, then each receiver in order). */
struct ind_arr_boucle_result {
	size_t loops;   /* the value (a count of families' trajectories) */
	size_t started; /* trajectories started in the period */
	double pct;     /* loops / started * 100; 0 when started == 0 */
	/* Sums of the record keys (model/cellkey.h) of both counts. */
	int64_t key_loops, key_started;
};

/* One (population, activity type) item of a mandate. Strings in the arena. */
struct ind_mandate_item {
	const char *population;
	const char *activity_type;
};

/* A pair of positions of different sectors whose mandates share items;
 * position_a < position_b. */
struct ind_overlap_pair {
	int64_t position_a, position_b;
	int64_t sector_a, sector_b;
	const char *ext_a, *ext_b;      /* the positions' ext_id */
	struct ind_mandate_item *items; /* shared, sorted by population, type */
	size_t n_items;
};

/* A position counted by arr.chevauchement_mandats (filled in the period). */
struct ind_position_ref {
	int64_t id, sector_id;
	const char *ext_id; /* arena string */
};

/* arr.chevauchement_mandats. */
struct ind_arr_chevauchement_result {
	size_t overlapping;            /* numerator: pairs sharing at least one item */
	size_t pairs;                  /* denominator: pairs of different sectors */
	double value;                  /* overlapping / pairs * 100; 0 when !defined */
	bool defined;                  /* pairs > 0 */
	struct ind_overlap_pair *list; /* the overlapping pairs, by (a, b) */
	size_t n_list;                 /* == overlapping */
	/* The positions the pairs are drawn from (filled in the period), by
	 * id: the rows and columns of the directory's overlap matrix. */
	struct ind_position_ref *positions;
	size_t n_positions;
};

struct ind_sector_ref {
	int64_t id;
	const char *ext_id, *name; /* arena strings */
	const char *name_en;       /* its English name, or NULL when none was given */
};

/* arr.secteurs_cadre. */
struct ind_arr_secteurs_cadre_result {
	size_t count;                   /* the value */
	struct ind_sector_ref *sectors; /* by sector id */
};

int ind_arr_delai(struct db *db, struct arena *a, const struct ind_scope *scope,
		  struct ind_arr_delai_result *out);
int ind_arr_echappement(struct db *db, struct arena *a, const struct ind_scope *scope,
			struct ind_arr_echappement_result *out);
int ind_arr_boucle(struct db *db, struct arena *a, const struct ind_scope *scope,
		   struct ind_arr_boucle_result *out);

/* The positions in scope that arr.chevauchement_mandats and
 * arr.secteurs_cadre share in one report: the first of them to run reads
 * them, with their mandate items, once; the other takes them from it.
 * Zero it before first use and keep it to one computation: it points into
 * the arena passed to the functions that filled it. Each function takes a
 * memo, or NULL to read its positions itself; the figures are the same
 * either way (a memo asked for another scope reads again). */
struct ind_arr_pos;
struct ind_arr_pos_memo {
	bool loaded;
	int64_t territory_id, sector_id, organisation_id; /* the scope read */
	struct pdate from, last;                          /* its days */
	struct ind_arr_pos *v;
	size_t n;
};

int ind_arr_chevauchement(struct db *db, struct arena *a, const struct ind_scope *scope,
			  struct ind_arr_pos_memo *memo, struct ind_arr_chevauchement_result *out);
int ind_arr_secteurs_cadre(struct db *db, struct arena *a, const struct ind_scope *scope,
			   struct ind_arr_pos_memo *memo,
			   struct ind_arr_secteurs_cadre_result *out);

/* The trajectories of a scope, as the functions above see them: loaded once
 * (one query), linked in memory. Exposed for the report engine's details
 * and for tests. Every array is in the arena. */
struct ind_referral {
	int64_t id, previous_id; /* previous_id 0 = none */
	int64_t from_org, to_org;
	double target_days;       /* the corridor's, or 2 without corridor */
	int64_t first_contact_at; /* 0 = none (or after as_of) */
	int64_t sent_at;
	int64_t taken_at;    /* 0 = not taken by as_of */
	int64_t closed_at;   /* 0 = none by as_of */
	const char *outcome; /* NULL, or the outcome known at as_of */
	bool in_scope;       /* the referral's own territory/sector/org */
	long next;           /* index of the continuation, -1 = none */
	int64_t ckey;        /* record key (model/cellkey.h), 0 when none */
};

/* 72 bytes: a comparison at scale 1 keeps 384,000 of them (the indexes are
 * 32 bits wide, list_trajectories checks that refs fit). */
struct ind_trajectory {
	uint32_t first, last;  /* indexes into refs (when refs is not NULL) */
	uint32_t length;       /* number of referrals */
	bool loop;             /* an organisation appears twice */
	int64_t first_contact; /* earliest first_contact_at, else first sent_at */
	int64_t key;           /* the record key of the trajectory: its first referral's */
	/* What the indicators read of the first and last referrals, as
	 * refs[first] and refs[last] hold them (as_of applied). */
	int64_t first_sent, last_sent;
	int64_t last_taken;       /* 0 = not taken by as_of */
	double last_target_days;  /* the last referral's corridor's delay */
	const char *last_outcome; /* NULL, or the outcome known at as_of */
};

struct ind_trajectories {
	struct ind_referral *refs; /* by sent_at, id; only those sent by as_of;
				    * NULL from ind_arr_trajectories_split */
	size_t n_refs;
	struct ind_trajectory *list; /* in-scope trajectories, by first sent_at */
	size_t n;
};

/* Loads the referrals sent by as_of, links the chains and keeps the
 * trajectories whose first referral is in scope. 0 or -1. */
int ind_arr_trajectories(struct db *db, struct arena *a, const struct ind_scope *scope,
			 struct ind_trajectories *out);

/* The referrals of a scope's trajectories as stored, before any as_of is
 * applied, so that several as_of (a trend's quarters) read the database
 * once. Timestamps are kept with their NULL flags. */
struct ind_referral_row {
	int64_t id, previous_id, from_org, to_org;
	double target_days;
	int64_t first_contact_at, sent_at, taken_at, closed_at;
	bool has_first_contact, has_taken, has_closed;
	const char *outcome; /* as stored, NULL when none */
	bool in_scope;
	int64_t ckey; /* record key, 0 when none */
};
struct ind_referral_rows {
	struct ind_referral_row *v; /* by sent_at, id; sent before end */
	size_t n;
	int64_t end; /* the as_of end (instant) they were read for */
	int64_t territory_id, sector_id, organisation_id; /* the scope read */
};

/* Reads the referrals of scope's trajectories sent before the end of its
 * as_of into out (arrays in a). 0 or -1 (logged). */
int ind_arr_referral_rows(struct db *db, struct arena *a, const struct ind_scope *scope,
			  struct ind_referral_rows *out);

/* What ind_arr_referral_rows gives for scope with its territory set to
 * each of territory_ids[0..n) in turn (0 = every territory), into out[i],
 * without its recursive read: each territory's rows come from one range
 * of the table kept at write time (model/trajectory.h), where every
 * referral is stored under the territories its trajectory's first
 * referral belongs to (its corridor's territory, or the territories its
 * sending organisation serves, and their ancestors). The rows of out[i]
 * are the same, in the same order, as ind_arr_referral_rows returns them
 * (their outcome strings are constants). out is an array of n;
 * everything is allocated in a (rows may be shared between entries: read
 * them only). 0 or -1 (logged). */
int ind_arr_referral_rows_split(struct db *db, struct arena *a, const struct ind_scope *scope,
				const int64_t *territory_ids, size_t n,
				struct ind_referral_rows *out);

/* The referrals sent in [from, to) that ind_arr_trajectories_split met in
 * the rows it read, each counted once however many territories' rows hold
 * it, by where act.accompagnements counts them: through corridor
 * corridor_id, or without a corridor from organisation from_org; and to
 * organisation to_org. What the comparison's act.* pass
 * (model/compare_act.h) counts the referrals sent from instead of reading
 * them again. The caller zeroes it, sets from and to, passes it to the
 * split read, and frees it with ind_arr_sent_free. A referral is counted
 * only when its row was read: the rows of a territory hold the referrals
 * whose trajectory's first referral belongs to it, whose whole path was
 * sent before as_of's end and whose first referral is in the scope's
 * sector and organisation, so referrals of the period can be missing (the
 * reader compares n with their count). complete is set by a split read
 * that read every territory through the table kept at write time and
 * could key every referral (ids in [0, 2^31)); do not use it otherwise. */
struct ind_arr_sent_ref {
	int64_t corridor_id; /* 0: none, then from_org */
	int64_t from_org;    /* 0 through a corridor */
	int64_t to_org;
	int64_t n; /* referrals */
};
struct ind_arr_sent {
	int64_t from, to;           /* set by the caller: [from, to) */
	struct ind_arr_sent_ref *v; /* n_v of them (malloc'd) */
	size_t n_v, cap;
	int64_t n;      /* referrals counted */
	uint64_t *seen; /* a bit per referral id counted (malloc'd) */
	size_t seen_words;
	struct idmap keys; /* (corridor or sender, receiver) to its index in v */
	bool complete;
	bool overflow; /* an id outside [0, 2^31): counts incomplete */
};

/* Releases what sent holds (not sent itself) and zeroes it. */
void ind_arr_sent_free(struct ind_arr_sent *sent);

/* The trajectories ind_arr_trajectories gives for scope (at its as_of)
 * with its territory set to each of territory_ids[0..n) in turn (0 = every
 * territory), into out[i], read as ind_arr_referral_rows_split reads them
 * but linked as each territory's range is read, in scratch memory reused
 * from one territory to the next: only the list of trajectories, with
 * what the indicators read of their first and last referrals, is kept
 * (in a), and refs is NULL (n_refs counts the referrals read), except
 * for 0, read by the recursive query with its refs. out is an array of n.
 * The figures ind_arr_*_of give are the same as from ind_arr_trajectories
 * of each territory. sent, when not NULL, receives the referrals sent in
 * its period among the rows read (see struct ind_arr_sent). 0 or -1
 * (logged). */
int ind_arr_trajectories_split(struct db *db, struct arena *a, const struct ind_scope *scope,
			       const int64_t *territory_ids, size_t n, struct ind_arr_sent *sent,
			       struct ind_trajectories *out);

/* The trajectories as they stood at instant end (at most rows->end):
 * what ind_arr_trajectories gives for the same scope with that as_of end.
 * Everything in out is allocated in a; rows is only read. */
void ind_arr_trajectories_at(const struct ind_referral_rows *rows, struct arena *a, int64_t end,
			     struct ind_trajectories *out);

/* The same three over trajectories already read with ind_arr_trajectories
 * for the same scope (a report reads them once for all three). tr is only
 * read; ind_arr_delai_of allocates its working array in a. */
void ind_arr_delai_of(const struct ind_trajectories *tr, struct arena *a,
		      const struct ind_scope *scope, struct ind_arr_delai_result *out);
void ind_arr_echappement_of(const struct ind_trajectories *tr, const struct ind_scope *scope,
			    struct ind_arr_echappement_result *out);
void ind_arr_boucle_of(const struct ind_trajectories *tr, const struct ind_scope *scope,
		       struct ind_arr_boucle_result *out);

#endif
