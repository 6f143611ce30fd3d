/* The one normalisation of search text, shared by the rows' stored search
 * columns and the queries that match them (model/directory.c). */
#ifndef PROXIMA_FOLD_H
#define PROXIMA_FOLD_H

#include <stddef.h>

struct arena;

/* Most words a query may hold (fold_words); each becomes one SQL condition. */
#define FOLD_MAX_WORDS 8

/* s folded for searching, as words separated by one space (no leading or
 * trailing space); "" for NULL. The rule, applied to every row and query:
 * - letters are lower-cased and their accents removed (Latin-1 and Latin
 *   Extended-A: "É" → "e", "ç" → "c", "œ" → "oe", "æ" → "ae", "ß" → "ss");
 *   other letters and digits are kept as they are;
 * - every other ASCII character (space, punctuation, "_", "-", "'") and
 *   every non-letter of Latin-1 (« » · …) separates words;
 * - each word of more than three letters loses, in order: a final "x" after
 *   "eau" or "eu" ("bureaux" → "bureau"), or "aux" becoming "al" ("sociaux"
 *   → "social"), or a final "s"; then its final "e"s, the accent already
 *   gone ("immigrantes", "immigrante" and "immigrant" all become
 *   "immigrant"; "isolées", "isolée", "isolés" and "isolé" "isol").
 * So the French plural and feminine of most words fold to one form. Arena
 * string; s must be valid UTF-8 (invalid bytes are dropped). */
const char *fold_text(struct arena *a, const char *s);

/* The words of fold_text(s), at most max of them, into words (arena
 * strings). Returns how many words s holds, which may exceed max (only
 * max are stored). */
size_t fold_words(struct arena *a, const char *s, const char **words, size_t max);

#endif
