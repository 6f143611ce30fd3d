/* End-to-end tests of the dashboards against a real "proxima serve":
 * each role reaches its own dashboard and only that one; the committee's
 * territory dashboard and the analyst's comparison show small counts as
 * "<5" while the manager's own organisation dashboard shows them; the
 * PAP's "my work" counts the week, month and year of a fixed clock; a
 * chart is available as PNG and its numbers as a table; the report files
 * of a dashboard's scope download as PDF, XLSX and CSV.
 *
 * Fixture: territories A (with sub-territory A1) and B, organisations X
 * (on A1), Y (on A) and Z (on B), imported as JSON Lines with "proxima
 * import"; accounts made with "proxima user add --id". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "support/server.h"
#include "support/web.h"
#include "support/web_assert.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NOW "2026-11-25T10:00:00" /* a Wednesday */
#define PASSWORD "motdepasse-solide"

static struct ts_server srv;
static struct web_browser pap_x, gest_x, gest_z, comite_a, analyste;

/* Three activities of pap-x: one today (2 adults, 1 child 0-5), one
 * earlier this month, one in April; pap-z has one on B. Referrals from X
 * to Y: one taken in charge within a day, one refused. */
static const char FIXTURE[] =
	"{\"kind\":\"territory\",\"id\":\"A\",\"name\":\"Territoire A\",\"type\":\"urbain\"}\n"
	"{\"kind\":\"territory\",\"id\":\"A1\",\"name\":\"Quartier A1\",\"type\":\"urbain\","
	"\"parent\":\"A\"}\n"
	"{\"kind\":\"territory\",\"id\":\"B\",\"name\":\"Territoire B\",\"type\":\"rural\"}\n"
	"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
	"\"territories\":[\"A1\"]}\n"
	"{\"kind\":\"organisation\",\"id\":\"Y\",\"name\":\"Maison Y\",\"sector\":\"COMM\","
	"\"territories\":[\"A\"]}\n"
	"{\"kind\":\"organisation\",\"id\":\"Z\",\"name\":\"Organisme Z\",\"sector\":\"MFA\","
	"\"territories\":[\"B\"]}\n";

static const char ACTIVITIES[] =
	"{\"kind\":\"activity\",\"id\":\"ACT-1\",\"author\":\"pap-x\",\"territory\":\"A1\","
	"\"date\":\"2026-11-25\",\"duration_min\":60,\"indirect\":{\"deplacement\":30,"
	"\"redaction\":30},\"type\":\"demarchage\",\"place\":\"parc\","
	"\"counts\":{\"adults\":2,\"children_0_5\":1}}\n"
	"{\"kind\":\"activity\",\"id\":\"ACT-2\",\"author\":\"pap-x\",\"territory\":\"A1\","
	"\"date\":\"2026-11-03\",\"duration_min\":30,\"type\":\"contact_informel\","
	"\"place\":\"parc\"}\n"
	"{\"kind\":\"activity\",\"id\":\"ACT-3\",\"author\":\"pap-x\",\"territory\":\"A1\","
	"\"date\":\"2026-04-15\",\"duration_min\":45,\"type\":\"accompagnement\","
	"\"place\":\"domicile\"}\n"
	"{\"kind\":\"activity\",\"id\":\"ACT-4\",\"author\":\"pap-z\",\"territory\":\"B\","
	"\"date\":\"2026-11-20\",\"duration_min\":90,\"type\":\"demarchage\","
	"\"place\":\"parc\",\"counts\":{\"adults\":40}}\n";

/* Two positions of different sectors on A and A1 whose mandates share
 * outreach to families with children 0-5: an overlap of territory A; X's
 * covers the three components, so its sector implements the framework. */
static const char POSITIONS[] =
	"{\"kind\":\"position\",\"id\":\"POS-X\",\"organisation\":\"X\",\"territory\":\"A1\","
	"\"start\":\"2025-01-06\",\"holders\":[{\"person\":\"pap-x\",\"from\":\"2025-01-06\"}],"
	"\"mandate\":{\"components\":[\"demarchage\",\"accompagnement\",\"collaboration\"],"
	"\"items\":"
	"[{\"population\":\"familles_0_5\",\"activity\":\"demarchage\"}]}}\n"
	"{\"kind\":\"position\",\"id\":\"POS-Y\",\"organisation\":\"Y\",\"territory\":\"A\","
	"\"start\":\"2025-03-03\",\"holders\":[{\"person\":\"pap-z\",\"from\":\"2025-03-03\"}],"
	"\"mandate\":{\"components\":[\"demarchage\"],\"items\":"
	"[{\"population\":\"familles_0_5\",\"activity\":\"demarchage\"}]}}\n";

/* The accounts, named by their external ids (the authors of the imports);
 * pap-z does not sign in. */
static const struct web_account ACCOUNTS[] = {
	{&pap_x, "pap@x.test", "pap-x", "pap", "X", "A1"},
	{NULL, "pap@z.test", "pap-z", "pap", "Z", "B"},
	{&gest_x, "gest@x.test", "gest-x", "gestionnaire", "X", "A1"},
	{&gest_z, "gest@z.test", "gest-z", "gestionnaire", "Z", "B"},
	{&comite_a, "comite@a.test", "comite-a", "comite", NULL, "A"},
	{&analyste, "analyste@q.test", "analyste", "analyste", NULL, NULL},
};

static int group_setup(void **state)
{
	*state = &srv;
	if (web_suite_prepare(&srv, NOW, NULL) < 0 ||
	    web_import_text(&srv, FIXTURE, "fixture.jsonl") < 0 ||
	    web_add_accounts_named(srv.db, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD) < 0 ||
	    web_import_text(&srv, ACTIVITIES, "activities.jsonl") < 0 ||
	    web_import_text(&srv, POSITIONS, "positions.jsonl") < 0)
		return -1;
	return web_suite_start(&srv, ACCOUNTS, WEB_COUNT(ACCOUNTS), PASSWORD);
}

static void get_ok(const struct web_browser *b, const char *path, long status, struct ts_resp *r)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(web_get(&srv, b, path, r), 0);
	if (r->status != status)
		fail_msg("GET %s: status %ld, expected %ld", path, r->status, status);
}

/* The text of the table row that starts with label (tags stripped). */
static void row_text(const struct ts_resp *r, const char *label, char *out, size_t cap)
{
	web_row_text(r->body.data ? r->body.data : "", label, out, cap);
}

static void test_each_role_reaches_only_its_dashboard(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&pap_x, "/tableaux", 303, &r);
	char loc[256];
	assert_non_null(ts_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/tableaux/moi");
	ts_resp_free(&r);
	const struct {
		const struct web_browser *b;
		const char *path;
		long status;
	} cases[] = {
		{&pap_x, "/tableaux/moi", 200},
		{&pap_x, "/tableaux/territoire", 404},
		{&pap_x, "/tableaux/organisation", 404},
		{&pap_x, "/tableaux/comparaison", 404},
		{&pap_x, "/tableaux/rapport?format=pdf", 404},
		{&gest_x, "/tableaux/organisation", 200},
		{&gest_x, "/tableaux/territoire", 404},
		{&comite_a, "/tableaux/territoire", 200},
		{&comite_a, "/tableaux/organisation", 404},
		{&comite_a, "/tableaux/territoire?territoire=B", 404},
		{&analyste, "/tableaux/comparaison", 200},
		{&analyste, "/tableaux/territoire?territoire=B", 200},
		{NULL, "/tableaux/territoire", 303},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		get_ok(cases[i].b, cases[i].path, cases[i].status, &r);
		ts_resp_free(&r);
	}
}

static void test_manager_sees_counts_committee_and_analyst_see_suppressed(void **state)
{
	(void)state;
	struct ts_resp r;
	char row[2048];
	/* X's manager: 3 people reached by X in the fiscal year, shown. */
	get_ok(&gest_x, "/tableaux/organisation", 200, &r);
	row_text(&r, ">Personnes rejointes<", row, sizeof(row));
	assert_non_null(strstr(row, " 3 "));
	assert_null(strstr(row, "&lt;5"));
	assert_true(ts_body_has(&r, "1 h directe = 1,4 h au total")); /* 195 / 135 */
	ts_resp_free(&r);
	/* Z's manager sees Z only: 40 people, none of X's. */
	get_ok(&gest_z, "/tableaux/organisation", 200, &r);
	row_text(&r, ">Personnes rejointes<", row, sizeof(row));
	assert_non_null(strstr(row, " 40 "));
	assert_false(ts_body_has(&r, "CLSC X"));
	ts_resp_free(&r);
	/* The analyst's comparison: A's 3 people are "<5", B's 40 are shown as
	 * published through the cell key (within 2), and the page says so. */
	get_ok(&analyste, "/tableaux/comparaison", 200, &r);
	row_text(&r, ">Personnes rejointes ", row, sizeof(row));
	assert_non_null(strstr(row, "&lt;5"));
	bool forty = false;
	for (int v = 38; v <= 42; v++) {
		char want[16];
		snprintf(want, sizeof(want), " %d ", v);
		forty = forty || strstr(row, want);
	}
	assert_true(forty);
	assert_null(strstr(row, " 3 "));
	assert_true(ts_body_has(&r, "id=\"protection\""));
	assert_true(ts_body_has(&r, "clé de cellule"));
	ts_resp_free(&r);
}

/* The manager's team table: each PAP of the organisation with their
 * activities and hours of the fiscal year (from 2026-04-01): pap-x wrote
 * ACT-1 (60 min direct + 60 indirect), ACT-2 (30) and ACT-3 (45): 3
 * activities, 135 min = 2.25 h direct, 195 min = 3.25 h in all, shown with
 * one decimal like every hour figure (printf rounding: "2,2", "3,2").
 * pap-z's activity is Z's, so pap-z is not in X's table. */
static void test_team_table_hours_per_pap(void **state)
{
	(void)state;
	struct ts_resp r;
	char row[2048];
	get_ok(&gest_x, "/tableaux/organisation", 200, &r);
	assert_true(ts_body_has(&r, "équipe dans la période</caption>"));
	row_text(&r, ">pap-x<", row, sizeof(row));
	assert_non_null(strstr(row, " 3  2,2  3,2 "));
	assert_false(ts_body_has(&r, ">pap-z<"));
	ts_resp_free(&r);
}

static void test_my_work_counts_week_month_year(void **state)
{
	(void)state;
	struct ts_resp r;
	char row[2048];
	get_ok(&pap_x, "/tableaux/moi", 200, &r);
	row_text(&r, ">Activités</th>", row, sizeof(row));
	/* This week: ACT-1; this month: ACT-1, ACT-2; this year: all three. */
	assert_non_null(strstr(row, " 1  2  3 "));
	assert_true(ts_body_has(&r, "<svg"));
	assert_true(ts_body_has(&r, "<title"));
	ts_resp_free(&r);
}

static void test_chart_as_png_and_unknown_chart_404(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&pap_x, "/tableaux/moi?png=mes-heures", 200, &r);
	char ct[128];
	assert_non_null(ts_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "image/png");
	assert_true(r.body.len > 8 && memcmp(r.body.data, "\x89PNG\r\n\x1a\n", 8) == 0);
	ts_resp_free(&r);
	get_ok(&pap_x, "/tableaux/moi?png=nope", 404, &r);
	ts_resp_free(&r);
}

static void test_report_files_of_the_scope(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&comite_a, "/tableaux/rapport?format=pdf", 200, &r);
	assert_true(r.body.len > 4 && memcmp(r.body.data, "%PDF", 4) == 0);
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/rapport?format=xlsx", 200, &r);
	assert_true(r.body.len > 2 && memcmp(r.body.data, "PK", 2) == 0);
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/rapport?format=csv", 200, &r);
	assert_true(r.body.len > 3 && memcmp(r.body.data, "\xef\xbb\xbf", 3) == 0);
	assert_true(ts_body_has(&r, "act.personnes_rejointes"));
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/rapport?format=exe", 404, &r);
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/rapport?format=csv&du=2026-05-01&au=2026-01-01", 400, &r);
	ts_resp_free(&r);
}

#define PERIOD "du=2026-04-01&au=2026-11-30"
#define PERIOD_HTML "du=2026-04-01&amp;au=2026-11-30"

/* Every link of the comparison keeps the period: each territory opens its
 * own dashboard over it, a territory with sub-territories opens their
 * comparison, the presets and the period form keep the level, and the
 * files are asked for the same scope. */
static void test_comparison_links_keep_the_period(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&analyste, "/tableaux/comparaison?" PERIOD, 200, &r);
	assert_true(ts_body_has(&r, "href=\"/tableaux/territoire?territoire=A&amp;" PERIOD_HTML
				    "\">Territoire A"));
	assert_true(ts_body_has(&r, "href=\"/tableaux/territoire?territoire=B&amp;" PERIOD_HTML
				    "\">Territoire B"));
	assert_true(ts_body_has(&r, "href=\"/tableaux/comparaison?parent=A&amp;" PERIOD_HTML));
	assert_false(ts_body_has(&r, "parent=B")); /* B has no sub-territory */
	assert_true(ts_body_has(
		&r, "href=\"/tableaux/comparaison/fichier?format=csv&amp;" PERIOD_HTML "\""));
	assert_true(ts_body_has(&r, "class=\"table-scroll\" tabindex=\"0\""));
	ts_resp_free(&r);

	get_ok(&analyste, "/tableaux/comparaison?parent=A&" PERIOD, 200, &r);
	assert_false(ts_body_has(&r, "Aucun territoire."));
	assert_true(ts_body_has(&r, "territoire=A1&amp;" PERIOD_HTML "\">Quartier A1"));
	assert_true(ts_body_has(&r, "Du 2026-04-01 au 2026-11-30"));
	assert_true(ts_body_has(&r, "<input type=\"hidden\" name=\"parent\" value=\"A\">"));
	assert_true(ts_body_has(&r, "au=2027-03-31&amp;parent=A\">")); /* a preset */
	assert_true(ts_body_has(&r, "format=xlsx&amp;" PERIOD_HTML "&amp;parent=A\""));
	ts_resp_free(&r);

	get_ok(&analyste, "/tableaux/territoire?territoire=B&" PERIOD, 200, &r);
	assert_true(ts_body_has(&r, "<span class=\"h1-sub\">Territoire B</span></h1>"));
	assert_true(ts_body_has(&r, "Du 2026-04-01 au 2026-11-30"));
	ts_resp_free(&r);
}

/* The fields of one CSV line (';' separated, '"' quoted) into f. */
static size_t csv_fields(const char *line, size_t len, char f[][96], size_t max)
{
	size_t n = 0, k = 0;
	bool quoted = false;
	f[0][0] = '\0';
	for (size_t i = 0; i < len && n < max; i++) {
		char ch = line[i];
		if (quoted && ch == '"' && i + 1 < len && line[i + 1] == '"') {
			i++;
		} else if (ch == '"') {
			quoted = !quoted;
			continue;
		} else if (ch == ';' && !quoted) {
			f[n][k] = '\0';
			n++;
			k = 0;
			if (n < max)
				f[n][0] = '\0';
			continue;
		}
		if (k + 1 < 96)
			f[n][k++] = ch;
	}
	if (n < max)
		f[n][k] = '\0';
	return n + 1;
}

/* The comparison as CSV: headers and statuses in words, every row as wide
 * as the header, small counts suppressed, the portrait beside. */
static void test_comparison_csv_in_words(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&analyste, "/tableaux/comparaison/fichier?format=csv&" PERIOD, 200, &r);
	char cd[256];
	assert_non_null(ts_header(&r, "Content-Disposition", cd, sizeof(cd)));
	assert_non_null(strstr(cd, "comparaison-tous-2026-04-01-2026-11-30.csv"));
	assert_true(r.body.len > 3 && memcmp(r.body.data, "\xef\xbb\xbf", 3) == 0);
	const char *text = r.body.data + 3;
	char f[16][96];
	const char *eol = strstr(text, "\r\n");
	assert_non_null(eol);
	size_t nh = csv_fields(text, (size_t)(eol - text), f, 16);
	assert_int_equal(nh, 7);
	assert_string_equal(f[0], "Indicateur");
	assert_string_equal(f[1], "Unité");
	assert_string_equal(f[2], "Territoire A");
	assert_string_equal(f[3], "Territoire A — statut");
	assert_string_equal(f[4], "Territoire B");
	assert_string_equal(f[6], "Cible");
	size_t rows = 0;
	bool delay_seen = false;
	for (const char *p = eol + 2; *p; rows++) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_int_equal(csv_fields(p, (size_t)(e - p), f, 16), nh);
		if (strncmp(f[0], "Délai", 6) == 0) {
			delay_seen = true;
			assert_string_equal(f[1], "jours");
			assert_string_equal(f[6], "≤ 2 jours");
		}
		p = e + 2;
	}
	assert_true(rows > 20);
	assert_true(delay_seen);
	const char *const codes[] = {"sans_cible", "non_atteint", "insuffisant;", "false",
				     "true",       "arr.",        "act."};
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
		if (strstr(text, codes[i]))
			fail_msg("the CSV shows the code %s", codes[i]);
	/* A's 3 people are suppressed, B's 40 are a number (rounded by the
	 * cell key, never below the threshold) */
	const char *people = strstr(text, "\r\nPersonnes rejointes;personnes;<5;;");
	assert_non_null(people);
	people += strlen("\r\nPersonnes rejointes;personnes;<5;;");
	char *end;
	long b_people = strtol(people, &end, 10);
	assert_true(end > people && *end == ';' && b_people >= 5);
	ts_resp_free(&r);

	get_ok(&analyste, "/tableaux/comparaison/fichier?format=csv&lang=en&" PERIOD, 200, &r);
	assert_non_null(strstr(r.body.data, "Indicator,Unit,Territoire A,Territoire A — status,"));
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/comparaison/fichier?format=csv", 404, &r);
	ts_resp_free(&r);
	get_ok(&analyste, "/tableaux/comparaison/fichier?format=exe", 404, &r);
	ts_resp_free(&r);
	get_ok(&analyste, "/tableaux/comparaison/fichier?format=csv&parent=B", 404, &r);
	ts_resp_free(&r);
}

static int run_cmd(const char *cmd)
{
	int rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static char *file_text(const char *path)
{
	size_t len;
	return ts_read_file(path, &len);
}

/* The XLSX and the PDF open: LibreOffice reads the workbook's table back,
 * pdftotext the PDF's, with a date for people. */
static void test_comparison_xlsx_and_pdf_open(void **state)
{
	(void)state;
	if (run_cmd("command -v libreoffice >/dev/null && command -v pdftotext >/dev/null") != 0) {
		fprintf(stderr,
			"SKIPPED: libreoffice or pdftotext missing (scripts/deps.sh test)\n");
		skip();
	}
	char path[700], cmd[2048];
	struct ts_resp r;
	get_ok(&analyste, "/tableaux/comparaison/fichier?format=xlsx&" PERIOD, 200, &r);
	assert_true(r.body.len > 2 && memcmp(r.body.data, "PK", 2) == 0);
	snprintf(path, sizeof(path), "%s/comp.xlsx", srv.dir);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(r.body.data, 1, r.body.len, fp), r.body.len);
	fclose(fp);
	ts_resp_free(&r);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && env -u VALGRIND libreoffice -env:UserInstallation=file://%s/lo "
		 "--headless --convert-to 'csv:Text - txt - csv (StarCalc):59,34,76,1' "
		 "--outdir . comp.xlsx >lo.log 2>&1",
		 srv.dir, srv.dir);
	assert_int_equal(run_cmd(cmd), 0);
	snprintf(path, sizeof(path), "%s/comp.csv", srv.dir);
	char *csv = file_text(path);
	assert_non_null(csv);
	assert_non_null(strstr(csv, "\"Indicateur\";\"Unité\";\"Territoire A\";"
				    "\"Territoire A — statut\";"));
	assert_non_null(strstr(csv, "\"Personnes rejointes\";\"personnes\";\"<5\";;"));
	assert_non_null(strstr(csv, "\"Produit le\";\"25 novembre 2026 à 10 h 00\""));
	assert_null(strstr(csv, "sans_cible"));
	free(csv);

	get_ok(&analyste, "/tableaux/comparaison/fichier?format=pdf&" PERIOD, 200, &r);
	assert_true(r.body.len > 4 && memcmp(r.body.data, "%PDF", 4) == 0);
	snprintf(path, sizeof(path), "%s/comp.pdf", srv.dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(r.body.data, 1, r.body.len, fp), r.body.len);
	fclose(fp);
	ts_resp_free(&r);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s/comp.pdf' '%s/comp.txt'", srv.dir,
		 srv.dir);
	assert_int_equal(run_cmd(cmd), 0);
	snprintf(path, sizeof(path), "%s/comp.txt", srv.dir);
	char *txt = file_text(path);
	assert_non_null(txt);
	assert_non_null(strstr(txt, "Comparaison des territoires"));
	assert_non_null(strstr(txt, "Territoire B"));
	assert_non_null(strstr(txt, "25 novembre 2026 à 10 h 00")); /* NOW, for people */
	assert_null(strstr(txt, "2026-11-25T"));
	assert_null(strstr(txt, "sans_cible"));
	free(txt);
}

/* What people read is in words: time in hours and minutes, the overlap's
 * shared items by their labels, the PDF's production date for people. */
static void test_words_not_codes(void **state)
{
	(void)state;
	struct ts_resp r;
	char row[512];
	get_ok(&gest_x, "/tableaux/organisation?" PERIOD, 200, &r);
	row_text(&r, "<tr id=\"act.temps\">", row, sizeof(row));
	assert_non_null(strstr(row, "3 h 15 min")); /* 60 + 30 + 45 direct, 60 indirect */
	assert_null(strstr(row, "195"));
	ts_resp_free(&r);
	get_ok(&gest_x, "/tableaux/organisation?lang=en&" PERIOD, 200, &r);
	row_text(&r, "<tr id=\"act.temps\">", row, sizeof(row));
	assert_non_null(strstr(row, "3 h 15 min"));
	ts_resp_free(&r);

	get_ok(&comite_a, "/tableaux/territoire?" PERIOD, 200, &r);
	assert_true(ts_body_has(&r, "Familles avec enfants de 0 à 5 ans · Démarchage"));
	assert_false(ts_body_has(&r, "familles_0_5"));
	assert_true(ts_body_has(&r, "<span class=\"k\">Santé et Services sociaux</span>"));
	ts_resp_free(&r);
	get_ok(&comite_a, "/tableaux/territoire?lang=en&" PERIOD, 200, &r);
	assert_true(ts_body_has(&r, "Families with children 0–5 · Outreach tour"));
	assert_true(ts_body_has(&r, "<span class=\"k\">Health and Social Services</span>"));
	ts_resp_free(&r);

	get_ok(&comite_a, "/tableaux/rapport?format=csv&" PERIOD, 200, &r);
	assert_true(ts_body_has(&r, "Identifiant;Indicateur;Ventilation;Code;Catégorie;Valeur;"));
	assert_false(ts_body_has(&r, "sans_cible"));
	assert_false(ts_body_has(&r, ";false"));
	assert_true(ts_body_has(&r, ";Temps investi;;;;195;3 h 15 min;minutes;"));
	ts_resp_free(&r);

	if (run_cmd("command -v pdftotext >/dev/null") != 0) {
		fprintf(stderr, "SKIPPED: pdftotext missing (scripts/deps.sh test)\n");
		return;
	}
	get_ok(&comite_a, "/tableaux/rapport?format=pdf&" PERIOD, 200, &r);
	char path[700], cmd[1600];
	snprintf(path, sizeof(path), "%s/report.pdf", srv.dir);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(r.body.data, 1, r.body.len, fp), r.body.len);
	fclose(fp);
	ts_resp_free(&r);
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' '%s.txt'", path, path);
	assert_int_equal(run_cmd(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s.txt", path);
	char *txt = file_text(cmd);
	assert_non_null(txt);
	assert_non_null(strstr(txt, "25 novembre 2026 à 10 h 00"));
	assert_null(strstr(txt, "2026-11-25T10"));
	assert_non_null(strstr(txt, "3 h 15 min"));
	assert_null(strstr(txt, "195 minutes"));
	free(txt);
}

/* /tableaux sends each role to its dashboard with the language and the
 * period asked for. */
static void test_dashboard_index_keeps_language(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&analyste, "/tableaux?lang=en&" PERIOD, 303, &r);
	char loc[256];
	assert_non_null(ts_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/tableaux/comparaison?lang=en&" PERIOD);
	ts_resp_free(&r);
	get_ok(&analyste, "/tableaux/comparaison?lang=en&" PERIOD, 200, &r);
	assert_true(ts_body_has(&r, "<html lang=\"en-CA\""));
	ts_resp_free(&r);
}

static void test_bad_period_is_said_and_replaced(void **state)
{
	(void)state;
	struct ts_resp r;
	get_ok(&comite_a, "/tableaux/territoire?du=2026-13-01&au=2026-01-01", 200, &r);
	assert_true(ts_body_has(&r, "Période invalide"));
	assert_true(ts_body_has(&r, "Du 2026-04-01 au 2027-03-31"));
	ts_resp_free(&r);
}

/* The CSV line of the comparison whose first field is label, split into
 * f; its field count, 0 when there is none. */
static size_t csv_line_of(const char *text, const char *label, char f[][96], size_t max)
{
	char needle[160];
	snprintf(needle, sizeof(needle), "\r\n%s;", label);
	const char *p = strstr(text, needle);
	if (!p)
		return 0;
	p += 2;
	const char *e = strstr(p, "\r\n");
	return e ? csv_fields(p, (size_t)(e - p), f, max) : 0;
}

/* The refusals by reason are in the comparison, page and file, protected
 * as on the dashboards: B refused 15 referrals (8 for capacity, 5 out of
 * mandate, 2 for another reason): "autre" is under the threshold, so
 * hidden, and a second reason with it, so the total gives neither back. */
static void test_comparison_has_refusals(void **state)
{
	(void)state;
	assert_int_equal(
		web_sql(srv.db,
			"INSERT INTO family (id, ext_id, organisation_id, code, opened) VALUES "
			"(900, 'FAM-RF', (SELECT id FROM organisation WHERE ext_id = 'Z'), 'F-RF', "
			"'2026-01-01');"
			"INSERT INTO referral (ext_id, family_id, from_organisation_id, "
			"to_organisation_id, sent_at, closed_at, outcome, refusal_code, ckey) "
			"WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
			"15) SELECT 'RF-' || i, 900, (SELECT id FROM organisation WHERE ext_id = "
			"'Z'), (SELECT id FROM organisation WHERE ext_id = 'Y'), 1791979200, "
			"1792065600, 'refusee', CASE WHEN i <= 8 THEN 'capacite' WHEN i <= 13 "
			"THEN 'hors_mandat' ELSE 'autre' END, 7 FROM n"),
		0);
	struct ts_resp r;
	get_ok(&analyste, "/tableaux/comparaison?" PERIOD, 200, &r);
	assert_true(ts_body_has(&r, "Références refusées"));
	assert_true(ts_body_has(&r, "Refus : Autre raison"));
	ts_resp_free(&r);
	get_ok(&analyste, "/tableaux/comparaison/fichier?format=csv&" PERIOD, 200, &r);
	const char *text = r.body.data + 3;
	char f[16][96];
	assert_int_equal(csv_line_of(text, "Références refusées", f, 16), 7);
	assert_string_equal(f[2], "0");
	assert_true(atol(f[4]) >= 5);
	assert_int_equal(csv_line_of(text, "Refus : Autre raison", f, 16), 7);
	assert_string_equal(f[2], "0");
	assert_string_equal(f[4], "<5");
	size_t hidden = 0;
	static const char *const reasons[] = {"Refus : Capacité atteinte, liste d'attente",
					      "Refus : Hors de notre mandat"};
	for (size_t i = 0; i < ARRAY_SIZE(reasons); i++) {
		assert_int_equal(csv_line_of(text, reasons[i], f, 16), 7);
		hidden += atol(f[4]) == 0;
	}
	assert_int_equal(hidden, 1); /* the complement: one more hidden */
	ts_resp_free(&r);
	/* The territory's own files carry the same two tables. */
	get_ok(&analyste, "/tableaux/rapport?format=csv&territoire=B&" PERIOD, 200, &r);
	assert_non_null(strstr(r.body.data, ";Refus par motif;autre;Autre raison;;<5;"));
	assert_non_null(strstr(r.body.data, ";Refus par corridor;;Référence directe;"));
	ts_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_role_reaches_only_its_dashboard),
		cmocka_unit_test(test_manager_sees_counts_committee_and_analyst_see_suppressed),
		cmocka_unit_test(test_team_table_hours_per_pap),
		cmocka_unit_test(test_my_work_counts_week_month_year),
		cmocka_unit_test(test_chart_as_png_and_unknown_chart_404),
		cmocka_unit_test(test_report_files_of_the_scope),
		cmocka_unit_test(test_bad_period_is_said_and_replaced),
		cmocka_unit_test(test_comparison_links_keep_the_period),
		cmocka_unit_test(test_comparison_csv_in_words),
		cmocka_unit_test(test_comparison_xlsx_and_pdf_open),
		cmocka_unit_test(test_dashboard_index_keeps_language),
		cmocka_unit_test(test_words_not_codes),
		cmocka_unit_test(test_comparison_has_refusals),
	};
	return cmocka_run_group_tests_name("e2e_dashboards", tests, group_setup,
					   web_suite_teardown);
}
