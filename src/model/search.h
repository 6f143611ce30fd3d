/* The search text kept with the rows that "Qui appeler ?" matches
 * (issue 16): ref_item (labels), sector (names), organisation (name),
 * corridor (name), and with stories (their text, story_list's search),
 * each in its column search_text, the words of the row
 * normalised by the one rule of core/fold.h. Every write of those rows
 * binds it in the same statement (search_bind_text), so the text never
 * lags the row; rows written before migration 0017, or by hand, get it
 * from search_fill. The matching itself is directory_search's. */
#ifndef PROXIMA_SEARCH_H
#define PROXIMA_SEARCH_H

#include <stdint.h>

struct db;
struct db_stmt;

/* Binds at index i of s (copied) the search text of a row whose words are
 * a, b and c (each may be NULL): fold_text of the three, each word after a
 * space (" famill immigrant"), so a query word matches the start of a
 * word: LIKE '% immig%'. */
void search_bind_text(struct db_stmt *s, int i, const char *a, const char *b, const char *c);

/* Gives its search text to every row of the five tables whose text is
 * empty, in one write unit. Returns how many rows, or -1 (nothing
 * written). Run by `proxima init` and `proxima migrate`. */
int64_t search_fill(struct db *db);

#endif
