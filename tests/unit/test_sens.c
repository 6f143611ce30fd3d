/* The "sens" beside the "mesure" (indicators.md): a selected story goes
 * beside an indicator when it shares a tag with one of the indicator's
 * non-empty breakdown cells by strategy, component, need or outcome; the
 * PDF prints it under that indicator, quoted only with consent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "reports/export.h"
#include "reports/report.h"

static struct report_cell cells[] = {
	{.key = "proactif",
	 .label = "Intervenir de façon proactive",
	 .value = 3,
	 .has_value = true,
	 .display = "3"},
	{.key = "pouvoir_agir",
	 .label = "Pouvoir d'agir",
	 .value = 0,
	 .has_value = true,
	 .display = "0"},
	{.key = "mise_en_reseau", .label = "Mettre en réseau", .suppressed = true, .display = "<5"},
};
static struct report_breakdown bd = {.name = "par_strategie",
				     .label = "Par stratégie",
				     .unit = "nombre",
				     .cells = cells,
				     .n_cells = 3};
static struct ind_result strategies = {.id = "act.strategies",
				       .label = "Stratégies mobilisées",
				       .unit = "nombre",
				       .computed = true,
				       .value = 3,
				       .has_value = true,
				       .display = "3",
				       .breakdowns = &bd,
				       .n_breakdowns = 1};
static struct ind_result delay = {.id = "arr.delai_prise_en_charge",
				  .label = "Délai moyen premier contact → prise en charge",
				  .unit = "jours",
				  .computed = true,
				  .value = 1.5,
				  .has_value = true,
				  .display = "1,5"};

static const char *const codes_a[] = {"proactif", "crise_desamorcee"};
static const char *const codes_b[] = {"pouvoir_agir"};
static const char *const codes_c[] = {"mise_en_reseau"};
static const struct report_story stories[] = {
	{.date = "2026-10-01",
	 .text = "Une mère a appelé d'elle-même la semaine suivante.",
	 .codes = codes_a,
	 .n_codes = 2},
	{.date = "2026-10-02",
	 .text = "Texte qui ne doit pas sortir.",
	 .codes = codes_b,
	 .n_codes = 1},
	{.date = "2026-10-03", .text = NULL, .codes = codes_c, .n_codes = 1},
};
static const struct report_export_options opts = {
	.stories = stories, .n_stories = 3, .stories_searched = true};

static void test_stories_share_a_non_empty_tag(void **state)
{
	(void)state;
	const struct report_story *hit[4];
	/* proactif (3) and mise_en_reseau (suppressed, so not empty) match;
	 * pouvoir_agir (0) does not. */
	assert_int_equal(report_stories_for(&opts, &strategies, hit, 4), 2);
	assert_ptr_equal(hit[0], &stories[0]);
	assert_ptr_equal(hit[1], &stories[2]);
	/* max bounds what is written, not the count. */
	assert_int_equal(report_stories_for(&opts, &strategies, hit, 1), 2);
	/* An indicator without tag breakdowns gets none. */
	assert_int_equal(report_stories_for(&opts, &delay, hit, 4), 0);
	assert_int_equal(report_stories_for(NULL, &strategies, hit, 4), 0);
}

static void test_pdf_sets_the_story_beside_its_indicator(void **state)
{
	(void)state;
	if (system("command -v pdftotext >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIPPED: pdftotext (poppler-utils) is not installed\n");
		return;
	}
	const char *tmp = getenv("PROXIMA_TEST_TMP");
	char pdf[512], txt[512], cmd[1200];
	snprintf(pdf, sizeof(pdf), "%s/sens-%d.pdf", tmp ? tmp : "/tmp", (int)getpid());
	snprintf(txt, sizeof(txt), "%s/sens-%d.txt", tmp ? tmp : "/tmp", (int)getpid());
	struct ind_result inds[2] = {delay, strategies};
	struct report r = {.indicators = inds, .n_indicators = 2};
	r.scope.from = (struct pdate){2026, 4, 1};
	r.scope.to = (struct pdate){2027, 3, 31};
	r.scope.as_of = (struct pdate){2026, 11, 25};
	r.scope.view = REPORT_VIEW_GESTIONNAIRE;
	r.scope.lang = "fr";
	r.scope.threshold = 5;
	assert_int_equal(report_write_pdf(&r, pdf, &opts), 0);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' '%s'", pdf, txt);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(txt, "r");
	assert_non_null(f);
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	unlink(pdf);
	unlink(txt);
	const char *beside = strstr(text, "Récits liés à cet indicateur (2)");
	assert_non_null(beside);
	/* It follows the strategies indicator, and the quote is there. */
	assert_true(beside > strstr(text, "Stratégies mobilisées"));
	assert_non_null(strstr(beside, "Une mère a appelé"));
	/* The story without consent is not quoted. */
	assert_non_null(strstr(beside, "pas de consentement à la citation"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stories_share_a_non_empty_tag),
		cmocka_unit_test(test_pdf_sets_the_story_beside_its_indicator),
	};
	return cmocka_run_group_tests_name("sens", tests, NULL, NULL);
}
