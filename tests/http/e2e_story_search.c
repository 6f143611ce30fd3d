/* End-to-end tests of the stories' search and pages (issue 16), against a
 * real "proxima serve": /recits and GET /api/v1/stories are paged in SQL
 * (every page full but the last, the total counted), and a search finds
 * the words of the texts the reader may read, folded for accents and
 * plurals; a word only in a text the reader may not read (a committee, a
 * story without consent to be quoted) finds nothing, in the page or the
 * API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/server.h"
#include "support/web.h"
#include "support/web_assert.h"

#define NOW "2026-11-25T10:00:00"
#define PASSWORD "motdepasse-solide"
#define QUOTABLE 22 /* quotable stories: a full page of 20 and 2 more */

static struct ts_server srv;
static struct web_browser pap, gest, comite;

static const struct web_account ACCOUNTS[] = {
	{&pap, "pap@a.test", "Marie Tremblay", "pap", "ORG-A", "T-A"},
	{&gest, "gest@a.test", "Nadia Gagnon", "gestionnaire", "ORG-A", "T-A"},
	{&comite, "comite@a.test", "Comité A", "comite", NULL, "T-A"},
};

/* Writes one story through the page, as the PAP. */
static void write_story(const char *date, const char *text, bool quotable)
{
	/* An unticked box is not posted at all. */
	const char *kv[] = {"date",
			    date,
			    "text",
			    text,
			    "outcomes",
			    "lien_confiance",
			    quotable ? "consent_quote" : NULL,
			    "1",
			    NULL};
	expect_post(&srv, &pap, "/recits/nouveau", kv, 303, NULL, NULL);
}

static int group_setup(void **state)
{
	*state = &srv;
	return web_suite_setup(&srv, NOW, WEB_FIXTURE_TWO_TERRITORIES, ACCOUNTS,
			       WEB_COUNT(ACCOUNTS), PASSWORD);
}

/* How many times needle occurs in r's body. */
static int occurrences(const struct ts_resp *r, const char *needle)
{
	int n = 0;
	for (const char *p = r->body.data; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_stories_written(void **state)
{
	(void)state;
	char date[32], text[160];
	for (int i = 0; i < QUOTABLE; i++) {
		snprintf(date, sizeof(date), "2026-11-%02d", 1 + i);
		snprintf(text, sizeof(text),
			 "Récit %d : les familles sont venues au jardin communautaire.", i + 1);
		write_story(date, text, true);
	}
	/* The one word "Zébulon" is only in a text that may not be quoted. */
	write_story("2026-11-24", "Le petit Zébulon a parlé à l'éducatrice.", false);
}

/* /recits pages in SQL: 20 stories, then the rest; the count says 23. */
static void test_pages_are_full(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &pap, "/recits", &r), 0);
	assert_status(&r, 200);
	assert_int_equal(occurrences(&r, "<li class=\"entry\""), 20);
	assert_has(&r, "23 résultats");
	assert_has(&r, "Page 1 / 2");
	assert_has(&r, "Zébulon");
	ts_resp_free(&r);
	assert_int_equal(web_get(&srv, &pap, "/recits?page=2", &r), 0);
	assert_status(&r, 200);
	assert_int_equal(occurrences(&r, "<li class=\"entry\""), 3);
	assert_has(&r, "Récit 1 :");
	ts_resp_free(&r);
	/* The committee reads all 23 (one without its text), 20 on page 1. */
	assert_int_equal(web_get(&srv, &comite, "/recits", &r), 0);
	assert_int_equal(occurrences(&r, "<li class=\"entry\""), 20);
	assert_has(&r, "23 résultats");
	assert_lacks(&r, "Zébulon");
	ts_resp_free(&r);
	/* The API: limit, offset, total and next. */
	expect_get(&srv, &pap, "/api/v1/stories?limit=20", 200,
		   TEXTS("\"total\":23", "\"next\":\"/api/v1/stories?limit=20&offset=20\""), NULL);
	assert_int_equal(web_get(&srv, &pap, "/api/v1/stories?limit=20&offset=20", &r), 0);
	assert_status(&r, 200);
	assert_int_equal(occurrences(&r, "\"quotable\":"), 3);
	assert_has(&r, "\"next\":null");
	ts_resp_free(&r);
}

/* Words match folded (accents, plurals), each the start of a word, all of
 * them; the search keeps its words on the pages' links. */
static void test_search_folds_words(void **state)
{
	(void)state;
	struct ts_resp r = {0};
	assert_int_equal(web_get(&srv, &gest, "/recits?q=Jardins+COMMUNAUTAIRES", &r), 0);
	assert_status(&r, 200);
	assert_has(&r, "22 résultats");
	assert_has(&r, "href=\"/recits?page=2&amp;q=Jardins%20COMMUNAUTAIRES\"");
	assert_lacks(&r, "Zébulon");
	ts_resp_free(&r);
	expect_get(&srv, &gest, "/recits?q=jardin+%C3%A9ducatrice", 200,
		   TEXTS("Aucun récit que vous pouvez lire ne contient ces mots."), NULL);
	expect_get(&srv, &gest, "/recits?q=r%C3%A9cit+17", 200, TEXTS("1 résultat", "Récit 17 :"),
		   TEXTS("Récit 1 :"));
	expect_get(&srv, &gest, "/recits?q=zebulon", 200, TEXTS("1 résultat", "Le petit Zébulon"),
		   NULL);
	expect_get(&srv, &gest, "/recits?q=zebulon&lang=en", 200,
		   TEXTS("Search the stories", "1 result", "Le petit Zébulon"), NULL);
}

/* A word only in a text the committee may not read finds nothing there,
 * though the story itself is in its list. */
static void test_hidden_text_finds_nothing(void **state)
{
	(void)state;
	expect_get(&srv, &comite, "/recits?q=Z%C3%A9bulon", 200,
		   TEXTS("Aucun récit que vous pouvez lire ne contient ces mots."),
		   TEXTS("<li class=\"entry\""));
	expect_get(&srv, &comite, "/api/v1/stories?q=zebulon", 200,
		   TEXTS("\"items\":[]", "\"total\":0"), NULL);
	expect_get(&srv, &comite, "/api/v1/stories?q=jardin", 200, TEXTS("\"total\":22"), NULL);
	expect_get(&srv, &pap, "/api/v1/stories?q=zebulon", 200, TEXTS("\"total\":1"), NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stories_written),
		cmocka_unit_test(test_pages_are_full),
		cmocka_unit_test(test_search_folds_words),
		cmocka_unit_test(test_hidden_text_finds_nothing),
	};
	return cmocka_run_group_tests_name("e2e_story_search", tests, group_setup,
					   web_suite_teardown);
}
