/* The search normalisation (src/core/fold.c): one rule for the rows'
 * search text and the queries, so each assertion below is a pair of
 * spellings a person would expect to find each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/fold.h"

static void expect_fold(const char *in, const char *out)
{
	struct arena *a = arena_new(1024);
	assert_string_equal(fold_text(a, in), out);
	arena_free(a);
}

/* Case, accents and ligatures; punctuation and spaces separate words. */
static void fold_case_accents(void **state)
{
	(void)state;
	expect_fold("  Périnatalité  ET  Œuvre_0-5 ", "perinatalit et oeuvr 0 5");
	expect_fold("ÉLÈVE Ça Ñandú Æther straße", "elev ca nandu aether strass");
	expect_fold("Déjà-vu… « l'aîné »", "deja vu l ain");
	expect_fold("Łódź Šťastný", "lodz stastny");
	expect_fold("", "");
	expect_fold(NULL, "");
	expect_fold(" ,;- ", "");
	/* Other scripts are kept as they are, as words. */
	expect_fold("Родина 家庭", "Родина 家庭");
}

/* Plural and feminine fold to one form; words of three letters or fewer
 * are kept whole. */
static void fold_plural_feminine(void **state)
{
	(void)state;
	expect_fold("immigrantes immigrante immigrants immigrant",
		    "immigrant immigrant immigrant immigrant");
	expect_fold("Femmes enceintes", "femm enceint");
	expect_fold("femme enceinte", "femm enceint");
	expect_fold("isolées isolée isolés isolé", "isol isol isol isol");
	expect_fold("sociaux sociale social", "social social social");
	expect_fold("bureaux jeux eaux", "bureau jeu eau");
	expect_fold("logements logement", "logement logement");
	expect_fold("ans des les une", "ans des les une");
}

/* Words, with their count beyond the maximum. */
static void fold_words_max(void **state)
{
	(void)state;
	struct arena *a = arena_new(1024);
	const char *w[FOLD_MAX_WORDS];
	assert_int_equal(fold_words(a, "Immigrante, ENCEINTE!", w, FOLD_MAX_WORDS), 2);
	assert_string_equal(w[0], "immigrant");
	assert_string_equal(w[1], "enceint");
	assert_int_equal(fold_words(a, "a b c d e f g h i j", w, FOLD_MAX_WORDS), 10);
	assert_string_equal(w[7], "h");
	assert_int_equal(fold_words(a, " - ", w, FOLD_MAX_WORDS), 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_case_accents),
		cmocka_unit_test(fold_plural_feminine),
		cmocka_unit_test(fold_words_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
