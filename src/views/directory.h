/* Pages of the directory of positions and mandates (src/views/directory.c)
 * and the territory helpers shared with the corridor pages:
 *   GET /repertoire                  the directory of a territory
 *   GET /repertoire/chevauchements   the overlap matrix (arr.chevauchement_mandats)
 *   GET /repertoire/qui-appeler      who to call for a need or a population
 *   GET /repertoire/hsds             the directory as an Open Referral HSDS
 *                                    data package, one ZIP (reports/hsds.h)
 * Every role of the territory reads them (model/directory.h); the
 * territory is chosen with ?territoire=EXT_ID among those visible. */
#ifndef PROXIMA_VIEWS_DIRECTORY_H
#define PROXIMA_VIEWS_DIRECTORY_H

#include <stddef.h>

#include "db/db.h"
#include "model/directory.h"
#include "views/view.h"

enum perr view_directory(struct request *req, struct response *resp);
enum perr view_directory_overlaps(struct request *req, struct response *resp);
enum perr view_directory_search(struct request *req, struct response *resp);
enum perr view_directory_hsds(struct request *req, struct response *resp);

/* The territories the actor may read and the one this request asks for
 * (?territoire=EXT_ID, else the default). PERR_NOT_FOUND when the
 * parameter names a territory the actor may not read (or none exists);
 * *cur->id is 0 when the actor reads no territory at all. Arrays in the
 * request's arena. */
enum perr view_dir_territory(struct request *req, struct db *db, struct territory_ref *cur,
			     struct territory_ref **all, size_t *n_all);

/* The start of a territory page titled title (already translated): this
 * thread's database (not owned) and the territories as view_dir_territory
 * gives them. NULL with *e set when the page stops here: PERR_UNAVAILABLE,
 * view_dir_territory's error, or, when the actor reads no territory, what
 * view_dir_no_territory answered (that page is written). */
struct db *view_dir_open(struct request *req, struct response *resp, const char *title,
			 struct territory_ref *cur, struct territory_ref **all, size_t *n_all,
			 enum perr *e);

/* A GET form choosing the territory (shown only when there are several),
 * keeping the other query parameters named in keep (NULL-terminated, may
 * be NULL) as hidden fields. */
void view_dir_chooser(struct request *req, struct response *resp, const char *action,
		      const struct territory_ref *all, size_t n, const struct territory_ref *cur,
		      const char *const *keep);

/* The sub-navigation of the territory's pages (directory, overlaps, who
 * to call, corridors); current is the index of this page (0..3). */
void view_dir_tabs(struct request *req, struct response *resp, const struct territory_ref *t,
		   int current);

/* The page shown when the actor reads no territory. */
enum perr view_dir_no_territory(struct request *req, struct response *resp, const char *title);

/* A sector's name in the request's language: its English name (name_en,
 * may be NULL) in English when it has one, else name (sector_label). */
const char *view_sector_name(struct request *req, const char *name, const char *name_en);

/* "2 jours (P1)" / "2 days (P1)", "7,5 jours". Arena string. */
const char *view_fmt_days(struct request *req, double days);

/* "2 jours" / "2 days", "7,5 jours", without the priority. Arena string. */
const char *view_fmt_days_plain(struct request *req, double days);

/* A reference code's label in the request's language. */
const char *view_ref_label(struct request *req, struct db *db, enum ref_list l, const char *code);

#endif
