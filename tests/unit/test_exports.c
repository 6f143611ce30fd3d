/* The XLSX and PDF reports (reports/export.h), read back the way a person
 * would: the workbook converted by LibreOffice (every sheet to CSV, once
 * for the whole group), the PDF through pdftotext and pdfinfo.
 *  - a hand-built report: the numbers in the sheets are the struct's, the
 *    PDF names every indicator, its target and status in words, pages
 *    are numbered "page N de M" (French) and "page N of M" (English);
 *  - small-cell canaries: a hand-built report whose suppressed cells still
 *    hold 3 behind them (the writers must print the display, never look
 *    behind), and a comite report computed by the engine from a database
 *    with one activity of 3 people, 3 new contacts, 3 outside the network
 *    and 3 anonymous families: no sheet and no page shows a 3. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/activity.h"
#include "model/validation.h"
#include "reports/export.h"
#include "reports/report.h"
#include "support/scratch_db.h"

struct fixture {
	char dir[256];
	struct arena *a;
	struct report fixture_fr, fixture_en, planted;
	bool have_lo, have_poppler;
	bool converted;
};

static struct fixture *G;

/* ---- files and commands */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT(64u << 20);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, len);
}

static int run(const char *cmd)
{
	int rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static bool have_tool(const char *name)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return run(cmd) == 0;
}

static const char *path_in(const char *name)
{
	return arena_printf(G->a, "%s/%s", G->dir, name);
}

/* pdftotext of path, whitespace collapsed to single spaces. */
static char *pdf_text(const char *pdf)
{
	const char *txt = arena_printf(G->a, "%s.txt", pdf);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' '%s'", pdf, txt);
	assert_int_equal(run(cmd), 0);
	char *t = slurp(txt, NULL);
	assert_non_null(t);
	char *o = t;
	bool space = false;
	for (char *p = t; *p; p++) {
		bool ws = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\f' || *p == '\r';
		if (ws) {
			space = true;
			continue;
		}
		if (space && o != t)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = '\0';
	return t;
}

static int pdf_pages(const char *pdf)
{
	char cmd[1024];
	const char *out = arena_printf(G->a, "%s.info", pdf);
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s' > '%s'", pdf, out);
	assert_int_equal(run(cmd), 0);
	char *t = slurp(out, NULL);
	char *p = strstr(t, "Pages:");
	assert_non_null(p);
	int n = (int)strtol(p + 6, NULL, 10);
	free(t);
	return n;
}

/* True when text shows the number 3 on its own: a '3' with no digit,
 * decimal separator or letter on either side, "page 3 de" excepted. */
static bool shows_three(const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p != '3')
			continue;
		char before = p > text ? p[-1] : ' ', after = p[1];
		if ((before >= '0' && before <= '9') || before == ',' || before == '.' ||
		    (after >= '0' && after <= '9') || after == ',' || after == '.')
			continue;
		if ((before >= 'A' && before <= 'Z') || (before >= 'a' && before <= 'z'))
			continue; /* "2025-T3", a quarter */
		if (p - text >= 5 && (strncmp(p - 5, "page ", 5) == 0))
			continue;
		if (p - text >= 3 &&
		    (strncmp(p - 3, "de ", 3) == 0 || strncmp(p - 3, "of ", 3) == 0))
			continue; /* "page 1 de 3" */
		fprintf(stderr, "a 3 is shown here: …%.40s…\n", p > text + 30 ? p - 30 : text);
		return true;
	}
	return false;
}

/* ---- CSV (LibreOffice's output: ',' separated, '"' quoted) */

struct row {
	char **f;
	size_t n;
};
struct sheet {
	char name[128];
	struct row *rows;
	size_t n;
};

static void csv_parse(const char *s, struct sheet *out)
{
	size_t cap = 0;
	out->rows = NULL;
	out->n = 0;
	while (*s) {
		struct row r = {0};
		size_t fcap = 0;
		for (;;) {
			struct buf fb = BUF_INIT(1 << 20);
			if (*s == '"') {
				s++;
				while (*s && !(*s == '"' && s[1] != '"')) {
					if (*s == '"')
						s++;
					buf_putc(&fb, *s++);
				}
				if (*s == '"')
					s++;
			}
			while (*s && *s != ',' && *s != '\n' && *s != '\r')
				buf_putc(&fb, *s++);
			r.f = arena_grow(G->a, r.f, r.n, &fcap, sizeof(char *));
			r.f[r.n++] = arena_strdup(G->a, fb.data);
			buf_free(&fb);
			if (*s == ',') {
				s++;
				continue;
			}
			break;
		}
		if (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
		out->rows = arena_grow(G->a, out->rows, out->n, &cap, sizeof(struct row));
		out->rows[out->n++] = r;
	}
}

/* Every sheet of "<base>-<sheet>.csv" in the test directory. */
static size_t load_sheets(const char *base, struct sheet *sheets, size_t max)
{
	DIR *d = opendir(G->dir);
	assert_non_null(d);
	struct dirent *e;
	size_t n = 0, bl = strlen(base);
	while ((e = readdir(d)) && n < max) {
		size_t l = strlen(e->d_name);
		if (strncmp(e->d_name, base, bl) != 0 || e->d_name[bl] != '-' || l < 5 ||
		    strcmp(e->d_name + l - 4, ".csv") != 0)
			continue;
		char *t = slurp(path_in(e->d_name), NULL);
		assert_non_null(t);
		snprintf(sheets[n].name, sizeof(sheets[n].name), "%.*s", (int)(l - bl - 5),
			 e->d_name + bl + 1);
		csv_parse(t, &sheets[n]);
		free(t);
		n++;
	}
	closedir(d);
	return n;
}

static const struct sheet *sheet_named(const struct sheet *s, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			return &s[i];
	fail_msg("no sheet %s", name);
	return NULL;
}

/* The row whose column col is key, or NULL. */
static const struct row *row_with(const struct sheet *s, size_t col, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].n > col && strcmp(s->rows[i].f[col], key) == 0)
			return &s->rows[i];
	return NULL;
}

/* A number as LibreOffice wrote it ("1.8", "12.5%"). */
static double cell_number(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	assert_true(end != s);
	if (*end == '%')
		v /= 100;
	return v;
}

static void assert_cell_is(const char *cell, double expected)
{
	double v = cell_number(cell);
	if (fabs(v - expected) > 1e-9 * fmax(1, fabs(expected)))
		fail_msg("cell %s, expected %g", cell, expected);
}

/* ---- reports */

static struct report_cell cell(const char *key, const char *label, double v, const char *disp,
			       bool suppressed)
{
	struct report_cell c = {.key = key, .label = label, .value = v, .display = disp};
	c.has_value = !suppressed;
	c.suppressed = suppressed;
	return c;
}

/* A comite report by hand. Suppressed figures keep a 3 behind them on
 * purpose: the writers must never print it. */
static void build_fixture(const char *lang, struct report *r)
{
	struct arena *a = G->a;
	bool en = strcmp(lang, "en") == 0;
	memset(r, 0, sizeof(*r));
	r->scope.territory = "A";
	r->scope.territory_name = "Territoire A";
	ptime_parse_date("2025-04-01", &r->scope.from);
	ptime_parse_date("2026-02-28", &r->scope.to);
	r->scope.as_of = r->scope.to;
	r->scope.view = REPORT_VIEW_COMITE;
	r->scope.lang = lang;
	r->scope.threshold = 5;
	r->scope.escape_window_days = 30;
	r->scope.generated_at = 1772000000;
	r->n_indicators = REPORT_N_INDICATORS;
	r->indicators = arena_calloc(a, REPORT_N_INDICATORS, sizeof(struct ind_result));
	for (size_t i = 0; i < REPORT_N_INDICATORS; i++) {
		struct ind_result *ind = &r->indicators[i];
		ind->id = REPORT_IDS[i];
		ind->label =
			arena_printf(a, "%s %s", en ? "Indicator" : "Indicateur", REPORT_IDS[i]);
		ind->unit = "nombre";
		ind->computed = true;
		ind->display = "—";
	}
	struct ind_result *d = (struct ind_result *)report_find(r, "arr.delai_prise_en_charge");
	d->unit = "jours", d->value = 1.8, d->has_value = true, d->display = en ? "1.8" : "1,8";
	d->n = 42, d->has_n = true, d->median = 1.0, d->has_median = true, d->p90 = 4.2;
	d->has_p90 = true;
	d->target = (struct report_target){true, "<=", 2};
	d->status = REPORT_STATUS_ATTEINT;
	d = (struct ind_result *)report_find(r, "arr.taux_echappement");
	d->unit = "%", d->value = 12.5, d->has_value = true, d->display = en ? "12.5" : "12,5";
	d->numerator = 5, d->denominator = 40, d->has_ratio = true;
	d->target = (struct report_target){true, "<", 10};
	d->status = REPORT_STATUS_NON_ATTEINT;
	d = (struct ind_result *)report_find(r, "arr.satisfaction_pap");
	d->unit = "score/5", d->value = 3, d->suppressed = true, d->display = "n<5";
	d->n = 3, d->has_n = true, d->median = 3, d->has_median = true;
	d->target = (struct report_target){true, ">=", 4};
	d->status = REPORT_STATUS_INSUFFISANT;
	d = (struct ind_result *)report_find(r, "act.personnes_rejointes");
	d->unit = "personnes", d->value = 1214, d->has_value = true, d->display = "1214";
	d->subject = REPORT_SUBJECT_PEOPLE;
	d->n_breakdowns = 1;
	d->breakdowns = arena_calloc(a, 1, sizeof(struct report_breakdown));
	d->breakdowns[0] =
		(struct report_breakdown){.name = "par_groupe_age",
					  .label = en ? "By age group" : "Par groupe d'âge",
					  .unit = "personnes",
					  .subject = REPORT_SUBJECT_PEOPLE,
					  .n_cells = 3};
	struct report_cell *c = arena_calloc(a, 3, sizeof(*c));
	c[0] = cell("adultes", en ? "Adults" : "Adultes", 1090, "1090", false);
	c[1] = cell("enfants_0_5", en ? "Children 0-5" : "Enfants 0-5 ans", 3, "<5", true);
	c[2] = cell("jeunes_6_17", en ? "Youth 6-17" : "Jeunes 6-17 ans", 124, "124", false);
	d->breakdowns[0].cells = c;
	d = (struct ind_result *)report_find(r, "act.familles_rejointes");
	d->unit = "familles", d->value = 3, d->suppressed = true, d->display = "<5";
	d->subject = REPORT_SUBJECT_PEOPLE;
	d = (struct ind_result *)report_find(r, "act.temps");
	d->unit = "minutes", d->value = 5400, d->has_value = true, d->display = "5400";
	d->n_details = 2;
	d->details = arena_calloc(a, 2, sizeof(struct report_detail));
	d->details[0] = (struct report_detail){.key = "multiplicateur",
					       .label = en ? "Multiplier" : "Multiplicateur",
					       .type = REPORT_DETAIL_NUMBER,
					       .number = 2.5,
					       .display = en ? "2.5" : "2,5"};
	d->details[1] = (struct report_detail){.key = "familles_liees",
					       .label = "Familles liées",
					       .type = REPORT_DETAIL_INT,
					       .integer = 3,
					       .subject = REPORT_SUBJECT_PEOPLE,
					       .suppressed = true,
					       .display = "<5"};
}

/* A database with one activity of 3 people in March 2025 on territory A,
 * and the engine's comite report for that month. */
static void build_planted(struct report *r)
{
	char err[256];
	const char *dbpath = path_in("planted.db");
	struct db *db = db_open(dbpath, DB_OPEN_CREATE, err, sizeof(err));
	assert_non_null(db);
	int applied;
	assert_int_equal(migrate_apply(db, &applied, err, sizeof(err)), 0);
	exec_ok(db,
		"INSERT INTO territory (id, ext_id, name, type) VALUES (1, 'A', 'Territoire A', "
		"'urbain');"
		"INSERT INTO organisation (id, ext_id, name, sector_id) VALUES "
		" (1, 'X', 'CLSC X', (SELECT id FROM sector WHERE ext_id = 'MSSS'));"
		"INSERT INTO organisation_territory VALUES (1, 1);"
		"INSERT INTO person (id, ext_id, name, role, organisation_id, territory_id) VALUES"
		" (1, 'p1', 'Pap X', 'pap', 1, 1);");
	struct activity act = {0};
	act.author_id = 1, act.organisation_id = 1, act.territory_id = 1;
	act.date = "2025-03-12";
	act.type = "contact_informel";
	act.place = "parc";
	act.duration_min = 45;
	act.adults = 3, act.new_contacts = 3, act.hors_reseau = 3, act.families = 3;
	struct validation v = {0};
	assert_int_equal(activity_validate(db, &act, &v), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(activity_save(db, G->a, &act), 0);
	assert_int_equal(db_commit(db), 0);
	struct report_request rq;
	report_request_init(&rq);
	rq.territory = "A";
	ptime_parse_date("2025-03-01", &rq.from);
	ptime_parse_date("2025-03-31", &rq.to);
	rq.view = REPORT_VIEW_COMITE;
	assert_int_equal(report_compute(db, G->a, &rq, r), PERR_OK);
	/* The PDF prints when the report was made: a fixed instant, so that the
	 * search for a shown 3 does not depend on the hour the test runs (it
	 * failed at 3 h 03, "à 3 h 03"). */
	r->scope.generated_at = 1772000000;
	db_close(db);
}

static int group_setup(void **state)
{
	(void)state;
	assert_int_equal(i18n_init(), 0);
	G = calloc(1, sizeof(*G));
	G->a = arena_new(1 << 16);
	const char *tmp = getenv("PROXIMA_TEST_TMP");
	snprintf(G->dir, sizeof(G->dir), "%s/exports-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(G->dir));
	G->have_lo = have_tool("libreoffice");
	G->have_poppler = have_tool("pdftotext") && have_tool("pdfinfo");
	build_fixture("fr", &G->fixture_fr);
	build_fixture("en", &G->fixture_en);
	build_planted(&G->planted);
	assert_int_equal(report_write_xlsx(&G->fixture_fr, path_in("fixture.xlsx"), NULL), 0);
	assert_int_equal(report_write_xlsx(&G->planted, path_in("planted.xlsx"), NULL), 0);
	static const struct report_story stories[] = {
		{.date = "2025-06-12",
		 .text = "On a pu l'accompagner le jour même.",
		 .tags = "Proximité relationnelle, Urgence évitée",
		 .reasons = {{"Retenu par l'organisation",
			      "Montre le temps caché derrière un contact."}},
		 .n_reasons = 1},
		{.date = "2025-09-02", .tags = "Accès à un service"},
	};
	static const struct report_story_count counts[] = {
		{"strategy", "Proximité relationnelle", 8},
		{"outcome", "Urgence évitée", 6},
	};
	/* four quarters: the same report, labelled by quarter */
	static struct report_trend trend;
	trend.n = REPORT_TREND_QUARTERS;
	for (int q = 0; q < REPORT_TREND_QUARTERS; q++) {
		static const char *const qlabels[] = {"2025-T1", "2025-T2", "2025-T3", "2025-T4"};
		memcpy(trend.quarters[q].label, qlabels[q], 8);
		trend.quarters[q].report = G->fixture_fr;
	}
	struct report_export_options eo = {.stories = stories,
					   .n_stories = 2,
					   .stories_searched = true,
					   .story_counts = counts,
					   .n_story_counts = 2,
					   .n_stories_in_scope = 7,
					   .trend = &trend};
	assert_int_equal(report_write_pdf(&G->fixture_fr, path_in("fixture.pdf"), &eo), 0);
	assert_int_equal(report_write_pdf(&G->fixture_en, path_in("fixture-en.pdf"), NULL), 0);
	assert_int_equal(report_write_pdf(&G->planted, path_in("planted.pdf"), NULL), 0);
	if (G->have_lo) {
		/* one LibreOffice start for both workbooks; every sheet, raw values.
		 * Without VALGRIND: tests/run.sh sets VALGRIND=1, which LibreOffice's
		 * launcher reads as the valgrind tool to start itself under. */
		char cmd[2048];
		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && env -u VALGRIND libreoffice "
			 "-env:UserInstallation=file://%s/lo-profile "
			 "--headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,"
			 "false,true,false,false,false,-1' --outdir . fixture.xlsx planted.xlsx "
			 ">lo.log 2>&1",
			 G->dir, G->dir);
		G->converted = run(cmd) == 0;
		if (!G->converted) { /* say why: the xlsx tests then fail */
			snprintf(cmd, sizeof(cmd), "cat '%s/lo.log' >&2", G->dir);
			run(cmd);
		}
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", G->dir);
	run(cmd);
	arena_free(G->a);
	free(G);
	return 0;
}

static void need_libreoffice(void)
{
	if (!G->have_lo) {
		fprintf(stderr, "SKIPPED: libreoffice is not installed (scripts/deps.sh test "
				"installs it); the XLSX read-back is not checked\n");
		skip();
	}
	assert_true(G->converted);
}

static void need_poppler(void)
{
	if (!G->have_poppler) {
		fprintf(stderr, "SKIPPED: pdftotext/pdfinfo (poppler-utils) are not installed\n");
		skip();
	}
}

/* ---- tests */

static void xlsx_numbers_are_the_reports(void **state)
{
	(void)state;
	need_libreoffice();
	struct sheet s[8];
	size_t n = load_sheets("fixture", s, 8);
	assert_int_equal(n, 5);
	const struct report *r = &G->fixture_fr;
	/* every shown value, in its section's sheet, is the struct's number */
	for (size_t i = 0; i < r->n_indicators; i++) {
		const struct ind_result *ind = &r->indicators[i];
		const struct sheet *sh =
			sheet_named(s, n, report_section_title("fr", report_section_of(ind->id)));
		const struct row *row = row_with(sh, 1, ind->id);
		assert_non_null(row);
		assert_string_equal(row->f[0], ind->label);
		if (ind->has_value && strcmp(ind->unit, "minutes") == 0) {
			/* a duration: LibreOffice writes it as hours:minutes:seconds */
			char hms[64];
			long long m = (long long)ind->value;
			snprintf(hms, sizeof(hms), "%lld:%02lld:00", m / 60, m % 60);
			assert_string_equal(row->f[2], hms);
		} else if (ind->has_value)
			assert_cell_is(row->f[2],
				       strcmp(ind->unit, "%") == 0 ? ind->value / 100 : ind->value);
		else
			assert_string_equal(row->f[2], ind->display);
		assert_string_equal(row->f[10], report_status_words("fr", ind->status));
	}
	const struct row *d =
		row_with(sheet_named(s, n, "Arrimage"), 1, "arr.delai_prise_en_charge");
	assert_cell_is(d->f[4], 42);
	assert_cell_is(d->f[7], 1.0);
	assert_cell_is(d->f[8], 4.2);
	assert_string_equal(d->f[9], "≤ 2 jours");
	const struct row *e = row_with(sheet_named(s, n, "Arrimage"), 1, "arr.taux_echappement");
	assert_cell_is(e->f[5], 5);
	assert_cell_is(e->f[6], 40);
	/* breakdowns and details */
	const struct sheet *v = sheet_named(s, n, "Ventilations");
	assert_cell_is(row_with(v, 4, "adultes")->f[3], 1090);
	assert_string_equal(row_with(v, 4, "enfants_0_5")->f[3], "<5");
	assert_cell_is(row_with(v, 4, "multiplicateur")->f[3], 2.5);
	assert_string_equal(row_with(v, 4, "familles_liees")->f[3], "<5");
	/* the scope sheet states the period and the suppression rule */
	const struct sheet *sc = sheet_named(s, n, "Portée et méthode");
	assert_string_equal(row_with(sc, 0, "Du")->f[1], "2025-04-01");
	assert_string_equal(row_with(sc, 0, "Vue")->f[1], "comité");
	bool note = false;
	for (size_t i = 0; i < sc->n; i++)
		note |= sc->rows[i].n > 0 && strstr(sc->rows[i].f[0], "caviardés (seuil 5)");
	assert_true(note);
	/* a sheet with a suppressed cell ends with the footnote */
	const struct sheet *act = sheet_named(s, n, "Activités");
	assert_non_null(strstr(act->rows[act->n - 1].f[0], "« <5 »"));
}

static void xlsx_never_shows_suppressed_numbers(void **state)
{
	(void)state;
	need_libreoffice();
	const char *bases[] = {"fixture", "planted"};
	for (size_t b = 0; b < 2; b++) {
		struct sheet s[8];
		size_t n = load_sheets(bases[b], s, 8);
		assert_int_equal(n, 5);
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < s[i].n; k++)
				for (size_t c = 0; c < s[i].rows[k].n; c++)
					if (strcmp(s[i].rows[k].f[c], "3") == 0)
						fail_msg("%s, sheet %s, row %zu: a 3 is shown",
							 bases[b], s[i].name, k + 1);
	}
	/* the engine's people counts for the planted month read "<5" */
	struct sheet s[8];
	size_t n = load_sheets("planted", s, 8);
	const struct sheet *act = sheet_named(s, n, "Activités");
	assert_string_equal(row_with(act, 1, "act.personnes_rejointes")->f[2], "<5");
	assert_string_equal(row_with(act, 1, "act.nouveaux_contacts")->f[2], "<5");
	assert_cell_is(row_with(act, 1, "act.activites")->f[2], 1);
}

static void pdf_names_every_indicator_and_status(void **state)
{
	(void)state;
	need_poppler();
	const char *pdf = path_in("fixture.pdf");
	int pages = pdf_pages(pdf);
	assert_true(pages >= 5);
	char *t = pdf_text(pdf);
	const struct report *r = &G->fixture_fr;
	for (size_t i = 0; i < r->n_indicators; i++)
		if (!strstr(t, r->indicators[i].label))
			fail_msg("label %s is not in the PDF", r->indicators[i].label);
	assert_non_null(strstr(t, "Territoire A"));
	assert_non_null(strstr(t, "du 2025-04-01 au 2026-02-28"));
	assert_non_null(strstr(t, "Cible : ≤ 2 jours · Statut : cible atteinte"));
	assert_non_null(strstr(t, "Cible : < 10 % · Statut : cible non atteinte"));
	assert_non_null(strstr(t, "Valeur : 1,8 jours · n = 42"));
	assert_non_null(strstr(t, "Méthode et définitions"));
	/* the selected stories: the quote when given, else a note saying why not */
	assert_non_null(strstr(t, "« On a pu l'accompagner le jour même. »"));
	assert_non_null(strstr(t, "Retenu par l'organisation : Montre le temps caché"));
	assert_non_null(strstr(t, "2025-09-02 Accès à un service Texte non cité : pas de "
				  "consentement à la citation."));
	assert_non_null(strstr(t, "Récits de la période : 7 · retenus (changement le plus "
				  "significatif) : 2"));
	assert_non_null(strstr(t, "Récits par stratégie"));
	assert_non_null(strstr(t, "Récits par retombée"));
	/* the trend of an indicator with values in the quarters */
	assert_non_null(strstr(t, "Indicateur arr.delai_prise_en_charge — tendance par trimestre"));
	assert_non_null(strstr(t, "2025-T4"));
	assert_non_null(strstr(t, report_definition("fr", "act.temps")));
	char last[64];
	snprintf(last, sizeof(last), "page %d de %d", pages, pages);
	assert_non_null(strstr(t, "page 1 de "));
	assert_non_null(strstr(t, last));
	free(t);

	t = pdf_text(path_in("fixture-en.pdf"));
	assert_non_null(strstr(t, "Indicator report — Proxima"));
	assert_non_null(strstr(t, "Target: ≤ 2 days · Status: target met"));
	assert_non_null(strstr(t, "page 1 of "));
	assert_non_null(strstr(t, "Method and definitions"));
	assert_null(strstr(t, "page 1 de "));
	free(t);
}

static void pdf_never_shows_suppressed_numbers(void **state)
{
	(void)state;
	need_poppler();
	char *t = pdf_text(path_in("fixture.pdf"));
	assert_non_null(strstr(t, "<5"));
	assert_non_null(strstr(t, "n<5"));
	assert_false(shows_three(t));
	free(t);
	t = pdf_text(path_in("planted.pdf"));
	const struct report *r = &G->planted;
	for (size_t i = 0; i < r->n_indicators; i++)
		if (!strstr(t, r->indicators[i].label))
			fail_msg("label %s is not in the PDF", r->indicators[i].label);
	assert_non_null(strstr(t, "<5"));
	assert_false(shows_three(t));
	free(t);
}

/* proxima report --format pdf|xlsx writes the file; without -o it says so. */
static void command_line_writes_files(void **state)
{
	(void)state;
	const char *bin = getenv("PROXIMA_BIN");
	if (!bin || access(bin, X_OK) != 0) {
		fprintf(stderr, "SKIPPED: PROXIMA_BIN is not set (tests/run.sh sets it)\n");
		skip();
	}
	const char *common = "report --territory A --from 2025-03-01 --to 2025-03-31";
	char cmd[2048];
	const char *fmts[] = {"pdf", "xlsx"};
	const char *magic[] = {"%PDF-", "PK\x03\x04"};
	for (int i = 0; i < 2; i++) {
		const char *out = arena_printf(G->a, "%s/cli.%s", G->dir, fmts[i]);
		snprintf(cmd, sizeof(cmd), "'%s' %s --db '%s' --format %s -o '%s' 2>/dev/null", bin,
			 common, path_in("planted.db"), fmts[i], out);
		assert_int_equal(run(cmd), 0);
		size_t len;
		char *data = slurp(out, &len);
		assert_non_null(data);
		assert_true(len > 1000);
		assert_memory_equal(data, magic[i], 4);
		free(data);
		snprintf(cmd, sizeof(cmd), "'%s' %s --db '%s' --format %s >/dev/null 2>&1", bin,
			 common, path_in("planted.db"), fmts[i]);
		assert_int_equal(run(cmd), 2);
	}
}

static void unwritable_path_fails_cleanly(void **state)
{
	(void)state;
	assert_int_equal(report_write_pdf(&G->fixture_fr, "/nonexistent/dir/r.pdf", NULL), -1);
	assert_int_equal(report_write_xlsx(&G->fixture_fr, "/nonexistent/dir/r.xlsx", NULL), -1);
}

/* Entries of directory dir (without "." and ".."). */
static int entries_in(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* What a page sends is written into the response's buffer: the PDF without
 * any file (no temporary directory needed), the XLSX through a private
 * file of src/reports that is gone afterwards; the same documents as the
 * files (same size and signature; their dates may differ). */
static void files_into_memory(void **state)
{
	(void)state;
	const char *spool = path_in("spool");
	assert_int_equal(mkdir(spool, 0700), 0);
	const char *old = getenv("TMPDIR");
	char *saved = old ? arena_strdup(G->a, old) : NULL;

	setenv("TMPDIR", "/nonexistent/proxima-tmp", 1);
	struct buf pdf = BUF_INIT(64u << 20);
	assert_int_equal(report_pdf_into(&G->fixture_fr, NULL, &pdf), 0);
	assert_true(pdf.len > 1000 && memcmp(pdf.data, "%PDF-", 5) == 0);
	size_t file_len;
	char *file = slurp(path_in("planted.pdf"), &file_len);
	buf_reset(&pdf);
	assert_int_equal(report_pdf_into(&G->planted, NULL, &pdf), 0);
	assert_int_equal(pdf.len, file_len);
	free(file);
	buf_free(&pdf);

	setenv("TMPDIR", spool, 1);
	struct buf x = BUF_INIT(64u << 20);
	assert_int_equal(report_xlsx_into(&G->fixture_fr, NULL, &x), 0);
	assert_true(x.len > 1000 && memcmp(x.data, "PK\x03\x04", 4) == 0);
	assert_int_equal(entries_in(spool), 0);
	struct buf small = BUF_INIT(100);
	assert_int_equal(report_xlsx_into(&G->fixture_fr, NULL, &small), -1);
	assert_int_equal(entries_in(spool), 0);
	buf_free(&small);
	buf_free(&x);

	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xlsx_numbers_are_the_reports),
		cmocka_unit_test(xlsx_never_shows_suppressed_numbers),
		cmocka_unit_test(pdf_names_every_indicator_and_status),
		cmocka_unit_test(pdf_never_shows_suppressed_numbers),
		cmocka_unit_test(command_line_writes_files),
		cmocka_unit_test(unwritable_path_fails_cleanly),
		cmocka_unit_test(files_into_memory),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
