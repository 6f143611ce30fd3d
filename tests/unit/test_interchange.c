/* proxima import / export (interchange.md): one transaction per file,
 * errors naming line and field, updates by external id, the model's rules
 * for activities and families, views, and the lossless admin round trip
 * (export -> import into an empty database -> export gives the same bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/ptime.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/audit.h"
#include "model/family.h"
#include "interchange/interchange.h"
#include "model/vault.h"
#include "support/scratch_db.h"

/* Territories, organisations and persons the other lines refer to. */
static const char base[] =
	"{\"kind\":\"territory\",\"id\":\"A\",\"name\":\"Territoire A\",\"type\":\"urbain\"}\n"
	"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
	"\"territories\":[\"A\"]}\n"
	"{\"kind\":\"organisation\",\"id\":\"Y\",\"name\":\"Maison Y\",\"sector\":\"COMM\"}\n"
	"{\"kind\":\"person\",\"id\":\"p1\",\"name\":\"Pap X\",\"role\":\"pap\","
	"\"organisation\":\"X\",\"territory\":\"A\"}\n"
	"{\"kind\":\"person\",\"id\":\"g1\",\"name\":\"Gest X\",\"email\":\"G1@x.example\","
	"\"role\":\"gestionnaire\",\"organisation\":\"X\"}\n";

/* Every kind, unicode text, out-of-order parents and a referral chain. */
static const char every_kind[] =
	"{\"kind\":\"sector\",\"id\":\"REG\",\"name\":\"Régional — ajouté\"}\n"
	"{\"kind\":\"territory\",\"id\":\"R\",\"name\":\"Région\",\"type\":\"mixte\"}\n"
	"{\"kind\":\"territory\",\"id\":\"A\",\"name\":\"Territoire A — Montréal-Nord\","
	"\"type\":\"urbain\",\"parent\":\"R\"}\n"
	"{\"kind\":\"territory\",\"id\":\"Q\",\"name\":\"Québec\"}\n"
	/* R now names a parent with a higher id: export must write Q first. */
	"{\"kind\":\"territory\",\"id\":\"R\",\"name\":\"Région\",\"type\":\"mixte\",\"parent\":"
	"\"Q\"}\n"
	"{\"kind\":\"portrait\",\"id\":\"A-imm\",\"territory\":\"A\",\"indicator\":\"immigrants\","
	"\"label\":\"Population immigrante\",\"label_en\":\"Immigrant "
	"population\",\"value\":31.45,\"unit\":\"%\","
	"\"period_start\":\"2021-01-01\",\"period_end\":\"2021-12-31\",\"source\":\"Recensement\"}"
	"\n"
	"{\"kind\":\"portrait\",\"id\":\"A-prec\",\"territory\":\"A\",\"indicator\":\"ratio\","
	"\"value\":0.30000000000000004}\n"
	"{\"kind\":\"portrait\",\"id\":\"A-big\",\"territory\":\"A\",\"indicator\":\"pop\","
	"\"value\":-123456789.123456789}\n"
	"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X\",\"sector\":\"MSSS\","
	"\"territories\":[\"A\"]}\n"
	"{\"kind\":\"organisation\",\"id\":\"Y\",\"name\":\"Maison de la famille « Y »\","
	"\"sector\":\"REG\",\"territories\":[\"A\",\"R\"]}\n"
	/* Territories listed out of their id order in the re-imported base. */
	"{\"kind\":\"organisation\",\"id\":\"Z\",\"name\":\"Ville\",\"sector\":\"MUN\","
	"\"territories\":[\"R\",\"Q\"]}\n"
	"{\"kind\":\"ref_item\",\"id\":\"need:aide_devoirs:Y\",\"list\":\"need\",\"code\":\"aide_"
	"devoirs\","
	"\"label_fr\":\"Aide aux devoirs\",\"label_en\":\"Homework help\",\"organisation\":\"Y\","
	"\"sort\":20}\n"
	"{\"kind\":\"person\",\"id\":\"p1\",\"name\":\"Émilie "
	"Tremblay\",\"email\":\"emilie@x.example\","
	"\"role\":\"pap\",\"organisation\":\"X\",\"territory\":\"A\"}\n"
	"{\"kind\":\"person\",\"id\":\"p2\",\"name\":\"Karim Benali\",\"role\":\"pap\","
	"\"organisation\":\"Y\",\"territory\":\"A\"}\n"
	"{\"kind\":\"person\",\"id\":\"g1\",\"name\":\"Gestionnaire X\",\"email\":\"g1@x.example\","
	"\"role\":\"gestionnaire\",\"organisation\":\"X\",\"active\":false}\n"
	"{\"kind\":\"position\",\"id\":\"pos1\",\"organisation\":\"X\",\"territory\":\"A\","
	"\"start\":\"2023-01-01\",\"contact\":\"514 555-0000\",\"holders\":[{\"person\":\"p1\","
	"\"from\":\"2023-01-01\",\"to\":\"2023-12-31\"},{\"person\":\"g1\",\"from\":\"2024-01-01\"}"
	"],"
	"\"mandate\":{\"components\":[\"demarchage\",\"accompagnement\",\"collaboration\"],"
	"\"items\":[{\"population\":\"familles_0_5\",\"activity\":\"contact_informel\"},"
	"{\"population\":\"familles_immigrantes\",\"activity\":\"accompagnement\"}]}}\n"
	"{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"X\",\"code\":\"X-001\","
	"\"opened\":\"2024-01-10\",\"follower\":\"p1\",\"consent\":{\"date\":\"2024-01-10\","
	"\"language\":\"es\",\"scopes\":[\"suivi\",\"reference\",\"citation\"]},"
	"\"nominative\":{\"name\":\"María José Ñúñez\",\"phone\":\"514-555-0101\","
	"\"address\":\"1 rue des Érables\"}}\n"
	"{\"kind\":\"family\",\"id\":\"f2\",\"organisation\":\"Y\",\"code\":\"Y-7\","
	"\"opened\":\"2022-05-01\",\"closed\":\"2023-05-01\",\"anonymised_at\":\"2024-06-01T10:"
	"00\"}\n"
	"{\"kind\":\"activity\",\"id\":\"a1\",\"author\":\"p1\",\"territory\":\"A\","
	"\"date\":\"2024-03-05\",\"start_time\":\"10:30\",\"duration_min\":90,"
	"\"indirect\":{\"deplacement\":60,\"interprete\":45,\"redaction\":30,\"preparation\":15},"
	"\"type\":\"accompagnement\",\"strategies\":[\"proximite_relationnelle\",\"proactif\"],"
	"\"place\":\"domicile\",\"unplanned\":true,\"initiated_by\":\"pap\","
	"\"counts\":{\"adults\":2,\"children_0_5\":1,\"children_6_17\":0,\"families\":1,"
	"\"new_contacts\":1,\"hors_reseau\":1},\"families\":[\"f1\"],\"partners\":[\"Y\"],"
	"\"with_pap\":[\"p2\"],\"needs\":[\"logement\",\"francisation\"],"
	"\"outcomes\":[\"lien_confiance\"],"
	"\"note\":\"Visite « à domicile » avec interprète <espagnol>\\n\\tdeuxième ligne "
	"\\\"citée\\\" \\ud83d\\ude00\"}\n"
	"{\"kind\":\"activity\",\"id\":\"a2\",\"author\":\"p2\",\"territory\":\"A\","
	"\"date\":\"2024-03-06\",\"duration_min\":0,\"indirect\":{\"redaction\":20},"
	"\"type\":\"liaison\",\"needs\":[\"aide_devoirs\"]}\n"
	"{\"kind\":\"activity\",\"id\":\"a3\",\"author\":\"p1\",\"territory\":\"A\","
	"\"date\":\"2024-02-01\",\"duration_min\":15,\"type\":\"contact_informel\","
	"\"deleted_at\":\"2024-02-02T08:00:00-05:00\"}\n"
	"{\"kind\":\"corridor\",\"id\":\"c1\",\"territory\":\"A\",\"name\":\"Logement d'urgence\","
	"\"need\":\"logement\",\"population\":\"familles_0_5\",\"entry_organisation\":\"Y\","
	"\"target_days\":2.5,\"consent_languages\":[\"fr\",\"es\"],"
	"\"template_fields\":[\"besoin\",\"urgence\"],\"portrait_indicators\":[\"immigrants\"],"
	"\"active_from\":\"2024-01-01\",\"active_to\":\"2025-12-31\"}\n"
	"{\"kind\":\"referral\",\"id\":\"r1\",\"family\":\"f1\",\"from_organisation\":\"X\","
	"\"to_organisation\":\"Y\",\"corridor\":\"c1\",\"need\":\"logement\","
	"\"first_contact_at\":\"2024-03-05T10:30\",\"sent_at\":\"2024-03-05T14:00\","
	"\"received_at\":\"2024-03-06T09:00-05:00\",\"closed_at\":\"2024-03-08T12:00\","
	"\"outcome\":\"reorientee\",\"sender\":\"p1\",\"reason\":\"Liste d'attente\","
	"\"fields\":{\"besoin\":\"logement\",\"urgence\":3,\"détails\":[true,null,1.5]}}\n"
	"{\"kind\":\"referral\",\"id\":\"r2\",\"family\":\"f1\",\"from_organisation\":\"Y\","
	"\"to_organisation\":\"X\",\"sent_at\":\"2024-03-08T12:00Z\",\"outcome\":\"reorientee\","
	"\"closed_at\":\"2024-03-09T12:00\",\"previous\":\"r1\",\"loop_detected\":true}\n"
	"{\"kind\":\"referral\",\"id\":\"r3\",\"family\":\"f1\",\"from_organisation\":\"X\","
	"\"to_organisation\":\"Y\",\"sent_at\":\"2024-03-10T09:00\",\"taken_at\":\"2024-03-11T09:"
	"00\","
	"\"outcome\":\"prise_en_charge\",\"previous\":\"r2\"}\n"
	"{\"kind\":\"referral\",\"id\":\"r0\",\"family\":\"f1\",\"from_organisation\":\"Y\","
	"\"to_organisation\":\"X\",\"sent_at\":\"2024-03-01T09:00\",\"outcome\":\"reorientee\"}\n"
	/* r1 now re-orients r0, which has a higher id: export must write r0 first. */
	"{\"kind\":\"referral\",\"id\":\"r1\",\"family\":\"f1\",\"from_organisation\":\"X\","
	"\"to_organisation\":\"Y\",\"corridor\":\"c1\",\"need\":\"logement\","
	"\"first_contact_at\":\"2024-03-05T10:30\",\"sent_at\":\"2024-03-05T14:00\","
	"\"received_at\":\"2024-03-06T09:00-05:00\",\"closed_at\":\"2024-03-08T12:00\","
	"\"outcome\":\"reorientee\",\"sender\":\"p1\",\"previous\":\"r0\","
	"\"fields\":{\"besoin\":\"logement\",\"urgence\":3}}\n"
	/* A refusal with its coded reason. */
	"{\"kind\":\"referral\",\"id\":\"r4\",\"family\":\"f1\",\"from_organisation\":\"X\","
	"\"to_organisation\":\"Y\",\"sent_at\":\"2024-03-12T09:00\","
	"\"closed_at\":\"2024-03-13T10:00\",\"outcome\":\"refusee\","
	"\"refusal_code\":\"capacite\",\"reason\":\"Liste d'attente fermée\"}\n"
	"{\"kind\":\"supervision\",\"id\":\"s1\",\"person\":\"p1\",\"supervisor\":\"g1\","
	"\"date\":\"2024-03-01\",\"hours\":1.5,\"type\":\"individuelle\",\"note\":\"Bilan du "
	"mois\"}\n"
	"{\"kind\":\"support_request\",\"id\":\"sr1\",\"person\":\"p1\",\"date\":\"2024-03-02\","
	"\"addressed_to\":\"gestionnaire\",\"type\":\"charge\",\"urgency\":\"haute\","
	"\"text\":\"Besoin d'un débriefing\",\"acknowledged_at\":\"2024-03-02T15:00\","
	"\"closed_at\":\"2024-03-04T10:00\",\"resolution\":\"Rencontre faite\"}\n"
	"{\"kind\":\"project\",\"id\":\"pr1\",\"territory\":\"A\",\"name\":\"Projet d'arrimage A\","
	"\"start\":\"2024-01-01\",\"end\":\"2024-12-31\",\"organisations\":[\"X\",\"Y\"],"
	"\"goals\":\"Réduire les délais\",\"families_count\":12,\"survey_token\":\"tok-abc\"}\n"
	"{\"kind\":\"survey\",\"id\":\"sv1\",\"type\":\"pap\",\"person\":\"p1\",\"territory\":"
	"\"A\","
	"\"date\":\"2024-03-15\",\"score\":4,\"comment\":\"Ça va mieux\"}\n"
	"{\"kind\":\"survey\",\"id\":\"sv2\",\"type\":\"famille\",\"project\":\"pr1\","
	"\"territory\":\"A\",\"date\":\"2024-03-16\",\"score\":5}\n"
	"{\"kind\":\"service_gap\",\"id\":\"gap1\",\"territory\":\"A\",\"date\":\"2024-03-05\","
	"\"need\":\"logement\",\"author\":\"p1\",\"description\":\"Aucun logement d'urgence\","
	"\"population\":\"familles_0_5\",\"frequency\":\"mensuel\",\"corridor\":\"c1\","
	"\"project\":\"pr1\"}\n"
	"{\"kind\":\"story\",\"id\":\"st1\",\"author\":\"p1\",\"date\":\"2024-03-20\","
	"\"text\":\"Une mère a repris confiance — « merci "
	"».\",\"activity\":\"a1\",\"family\":\"f1\","
	"\"project\":\"pr1\",\"territory\":\"A\",\"strategies\":[\"proximite_relationnelle\"],"
	"\"outcomes\":[\"lien_confiance\",\"acces_service\"],\"needs\":[\"logement\"],"
	"\"components\":[\"accompagnement\"],\"consent_quote\":true,\"selected\":true,"
	"\"selection_reason\":\"Exemple fort\",\"selected_by\":\"g1\","
	"\"selected_at\":\"2024-04-01T09:00\"}\n"
	"{\"kind\":\"story\",\"id\":\"st2\",\"author\":\"p1\",\"date\":\"2024-02-03\","
	"\"text\":\"Récit lié à une activité supprimée.\",\"activity\":\"a3\"}\n";

/* A new empty database, as `proxima init` makes it. */
static struct db *new_db(char *path, size_t cap)
{
	struct db *db = scratch_db_create(path, cap, "ix");
	assert_non_null(db);
	return db;
}

static int setup(void **state)
{
	unsigned char key[32];
	memset(key, 9, sizeof(key));
	vault_set_key(key);
	*state = scratch_new("ix", 4096, NULL);
	return *state ? 0 : -1;
}

static int import_text(struct db *db, const char *text, struct import_result *res)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	int rc = interchange_import(db, in, res);
	fclose(in);
	return rc;
}

static void import_ok(struct db *db, const char *text)
{
	struct import_result res;
	int rc = import_text(db, text, &res);
	if (rc != 0) {
		char msg[768];
		import_error_format(&res, msg, sizeof(msg));
		fprintf(stderr, "import failed: %s\n", msg);
	}
	assert_int_equal(rc, 0);
}

/* The export as a malloc'd string (caller frees). */
static char *export_text(struct db *db, enum ix_view view, size_t *len)
{
	char *data = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&data, &n);
	assert_non_null(out);
	struct export_result res;
	int rc = interchange_export(db, view, out, &res);
	if (rc != 0)
		fprintf(stderr, "export failed: %s\n", res.reason);
	assert_int_equal(rc, 0);
	fclose(out);
	if (len)
		*len = n;
	return data;
}

static int64_t count(struct db *db, const char *sql)
{
	struct db_stmt *s;
	assert_non_null(s = db_query(db, sql));
	assert_int_equal(db_step(s), DB_ROW);
	int64_t n = db_col_int64(s, 0);
	db_query_free(s);
	return n;
}

static char *text_of(struct db *db, const char *sql)
{
	struct db_stmt *s;
	assert_non_null(s = db_query(db, sql));
	assert_int_equal(db_step(s), DB_ROW);
	const char *t = db_col_cstr(s, 0);
	char *r = strdup(t ? t : "");
	db_query_free(s);
	return r;
}

/* Expects the import of text to fail on line with field, the reason
 * containing reason. Nothing may be written. */
static void expect_error(struct db *db, const char *text, long line, const char *field,
			 const char *reason)
{
	int64_t before = count(db, "SELECT (SELECT count(*) FROM activity) + (SELECT count(*) FROM "
				   "territory) + (SELECT count(*) FROM person) + (SELECT count(*) "
				   "FROM organisation) + (SELECT count(*) FROM family)");
	struct import_result res;
	assert_int_equal(import_text(db, text, &res), 1);
	if (res.line != line || strcmp(res.field, field) != 0 || !strstr(res.reason, reason))
		fprintf(stderr, "got line %ld field \"%s\": %s\n", res.line, res.field, res.reason);
	assert_int_equal(res.line, line);
	assert_string_equal(res.field, field);
	assert_non_null(strstr(res.reason, reason));
	assert_int_equal(res.records, 0);
	int64_t after = count(db, "SELECT (SELECT count(*) FROM activity) + (SELECT count(*) FROM "
				  "territory) + (SELECT count(*) FROM person) + (SELECT count(*) "
				  "FROM organisation) + (SELECT count(*) FROM family)");
	assert_int_equal(before, after);
}

#define ACT(id, extra)                                                                    \
	"{\"kind\":\"activity\",\"id\":\"" id "\",\"author\":\"p1\",\"territory\":\"A\"," \
	"\"date\":\"2024-03-05\",\"duration_min\":30,\"type\":\"contact_informel\"" extra "}\n"

static void test_bad_line_writes_nothing(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, base);
	int64_t acts = count(f->db, "SELECT count(*) FROM activity");
	int64_t terrs = count(f->db, "SELECT count(*) FROM territory");
	static const char text[] =
		"{\"kind\":\"territory\",\"id\":\"B\",\"name\":\"Nouveau\"}\n" ACT(
			"a1", "") "{\"kind\":\"activity\",\"id\":\"a2\",\"author\":\"p1\","
				  "\"territory\":\"A\","
				  "\"date\":\"2024-03-05\",\"duration_min\":-5,\"type\":\"contact_"
				  "informel\"}\n" ACT("a3", "");
	struct import_result res;
	assert_int_equal(import_text(f->db, text, &res), 1);
	assert_int_equal(res.line, 3);
	assert_string_equal(res.field, "duration_min");
	char msg[768];
	import_error_format(&res, msg, sizeof(msg));
	assert_string_equal(msg, "line 3: field \"duration_min\": "
				 "Entrez un nombre de minutes entre 0 et 1440.");
	/* Nothing written: neither the territory of line 1 nor the activity of line 2. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM activity"), acts);
	assert_int_equal(count(f->db, "SELECT count(*) FROM territory"), terrs);
	assert_int_equal(count(f->db, "SELECT count(*) FROM activity_component"), 0);
}

static void test_structural_errors(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, base);
	expect_error(f->db, ACT("a1", "") "{\"kind\":\"planete\",\"id\":\"x\"}\n", 2, "kind",
		     "unknown kind 'planete'");
	expect_error(f->db, "{\"kind\":\"territory\",\"name\":\"Sans id\"}\n", 1, "id",
		     "is required");
	expect_error(f->db, ACT("a1", "") "\n" ACT("a2", "") "{\"kind\": oops}\n", 4, "",
		     "invalid JSON at column 10");
	expect_error(f->db, "[1,2]\n", 1, "", "one JSON object");
	expect_error(f->db, "{\"kind\":\"territory\",\"id\":\"B\",\"name\":\"x\",\"name\":\"y\"}\n",
		     1, "", "duplicate member name");
	/* Wrong JSON types are errors, not coercions. */
	expect_error(
		f->db,
		"{\"kind\":\"activity\",\"id\":\"a1\",\"author\":\"p1\",\"territory\":\"A\","
		"\"date\":\"2024-03-05\",\"duration_min\":\"30\",\"type\":\"contact_informel\"}\n",
		1, "duration_min", "must be an integer");
	expect_error(f->db, ACT("a1", ",\"counts\":{\"adults\":1.5}"), 1, "counts.adults",
		     "must be an integer");
	expect_error(f->db, ACT("a1", ",\"unplanned\":\"oui\""), 1, "unplanned",
		     "must be true or false");
	expect_error(f->db, ACT("a1", ",\"needs\":\"logement\""), 1, "needs", "must be a list");
	/* Missing required fields. */
	expect_error(
		f->db,
		"{\"kind\":\"activity\",\"id\":\"a1\",\"author\":\"p1\",\"date\":\"2024-03-05\","
		"\"duration_min\":30,\"type\":\"contact_informel\"}\n",
		1, "territory", "is required");
	expect_error(f->db, "{\"kind\":\"organisation\",\"id\":\"Z\",\"name\":\"Z\"}\n", 1,
		     "sector", "is required");
	/* Values outside fixed lists and bad dates. */
	expect_error(f->db,
		     "{\"kind\":\"person\",\"id\":\"p9\",\"name\":\"N\",\"role\":\"chef\"}\n", 1,
		     "role", "'chef' is not one of pap, gestionnaire, comite, analyste or admin");
	/* A PAP without an organisation follows the contract (organisation is
	 * optional): imported, they keep no journal until one is set. */
	import_ok(f->db, "{\"kind\":\"person\",\"id\":\"p9\",\"name\":\"N\",\"role\":\"pap\"}\n");
	expect_error(f->db,
		     "{\"kind\":\"portrait\",\"id\":\"pt\",\"territory\":\"A\",\"indicator\":\"i\","
		     "\"value\":1,\"period_start\":\"2024-02-30\"}\n",
		     1, "period_start", "is not a date");
	expect_error(
		f->db,
		"{\"kind\":\"supervision\",\"id\":\"s\",\"person\":\"p1\",\"date\":\"2024-01-01\","
		"\"hours\":2,\"type\":\"solo\"}\n",
		1, "type", "'solo' is not one of individuelle, groupe or codeveloppement");
	/* The model's rules and messages for activities. */
	expect_error(f->db, ACT("a1", ",\"place\":\"lune\""), 1, "place",
		     "Ce lieu ne fait pas partie de la liste.");
	expect_error(f->db,
		     "{\"kind\":\"activity\",\"id\":\"a1\",\"author\":\"p1\",\"territory\":\"A\","
		     "\"date\":\"2099-01-01\",\"duration_min\":30,\"type\":\"contact_informel\"}\n",
		     1, "date", "La date ne peut pas être dans le futur.");
	/* Families: the model's rules (code unique in the organisation). */
	expect_error(f->db,
		     "{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"X\",\"code\":\"C1\","
		     "\"opened\":\"2024-01-01\"}\n"
		     "{\"kind\":\"family\",\"id\":\"f2\",\"organisation\":\"X\",\"code\":\"C1\","
		     "\"opened\":\"2024-01-01\"}\n",
		     2, "code", "Ce code est déjà utilisé dans votre organisation.");
	expect_error(f->db,
		     "{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"X\",\"code\":\"C1\","
		     "\"opened\":\"2024-01-01\",\"consent\":{\"scopes\":[\"suivi\"]}}\n",
		     1, "consent.date", "Indiquez la date du consentement.");
	/* A chain of previous referrals may not loop. */
	import_ok(f->db,
		  "{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"X\",\"code\":\"C1\","
		  "\"opened\":\"2024-01-01\"}\n"
		  "{\"kind\":\"referral\",\"id\":\"r1\",\"family\":\"f1\",\"from_organisation\":"
		  "\"X\","
		  "\"to_organisation\":\"Y\",\"sent_at\":\"2024-03-05T14:00\"}\n"
		  "{\"kind\":\"referral\",\"id\":\"r2\",\"family\":\"f1\",\"from_organisation\":"
		  "\"Y\","
		  "\"to_organisation\":\"X\",\"sent_at\":\"2024-03-06T14:00\",\"previous\":\"r1\"}"
		  "\n");
	expect_error(
		f->db,
		"{\"kind\":\"referral\",\"id\":\"r1\",\"family\":\"f1\",\"from_organisation\":"
		"\"X\","
		"\"to_organisation\":\"Y\",\"sent_at\":\"2024-03-05T14:00\",\"previous\":\"r2\"}\n",
		1, "previous", "would make a cycle");
	expect_error(f->db,
		     "{\"kind\":\"referral\",\"id\":\"r3\",\"family\":\"f1\",\"from_organisation\":"
		     "\"X\","
		     "\"to_organisation\":\"Y\",\"sent_at\":\"2024-03-05 14h\"}\n",
		     1, "sent_at", "is not a timestamp");
	/* A family linked by activities cannot move to another organisation. */
	import_ok(f->db, ACT("a9", ",\"families\":[\"f1\"]"));
	expect_error(f->db,
		     "{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"Y\",\"code\":\"C1\","
		     "\"opened\":\"2024-01-01\"}\n",
		     1, "organisation", "activities of another organisation link this family");
}

static void test_unknown_reference(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, base);
	expect_error(
		f->db,
		ACT("a1", "") "{\"kind\":\"activity\",\"id\":\"a2\",\"author\":\"personne\","
			      "\"territory\":\"A\",\"date\":\"2024-03-05\",\"duration_min\":30,"
			      "\"type\":\"contact_informel\"}\n",
		2, "author", "unknown person 'personne'");
	expect_error(f->db, ACT("a1", ",\"partners\":[\"Y\",\"W\"]"), 1, "partners",
		     "unknown organisation 'W'");
	expect_error(
		f->db,
		"{\"kind\":\"organisation\",\"id\":\"Z\",\"name\":\"Z\",\"sector\":\"NOPE\"}\n", 1,
		"sector", "unknown sector 'NOPE'");
	/* A reference to a record defined earlier in the same file is fine. */
	import_ok(f->db,
		  "{\"kind\":\"territory\",\"id\":\"B\",\"name\":\"B\"}\n"
		  "{\"kind\":\"organisation\",\"id\":\"Z\",\"name\":\"Z\",\"sector\":\"MUN\","
		  "\"territories\":[\"A\",\"B\"]}\n");
	assert_int_equal(count(f->db,
			       "SELECT count(*) FROM organisation_territory ot JOIN "
			       "organisation o ON o.id = ot.organisation_id WHERE o.ext_id = 'Z'"),
			 2);
}

static void test_need_not_in_list_refused(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, base);
	expect_error(f->db, ACT("a1", ",\"needs\":[\"logement\",\"pas_un_besoin\"]"), 1, "needs",
		     "Cette valeur ne fait pas partie de la liste.");
	expect_error(f->db, ACT("a1", ",\"needs\":[\"logement\",\"logement\"]"), 1, "needs",
		     "Une valeur est répétée.");
	/* An organisation's own entry is valid for that organisation only. */
	import_ok(f->db, "{\"kind\":\"ref_item\",\"id\":\"need:aide_devoirs:Y\",\"list\":\"need\","
			 "\"code\":\"aide_devoirs\",\"label_fr\":\"Aide aux "
			 "devoirs\",\"organisation\":\"Y\"}\n");
	expect_error(f->db, ACT("a1", ",\"needs\":[\"aide_devoirs\"]"), 1, "needs",
		     "Cette valeur ne fait pas partie de la liste.");
	import_ok(f->db, ACT("a1", ",\"organisation\":\"Y\",\"needs\":[\"aide_devoirs\"]"));
	/* The cache learns entries added earlier in the same file. */
	import_ok(
		f->db,
		"{\"kind\":\"ref_item\",\"id\":\"need:velo:X\",\"list\":\"need\",\"code\":\"velo\","
		"\"label_fr\":\"Vélo\",\"organisation\":\"X\"}\n" ACT("a2",
								      ",\"needs\":[\"velo\"]"));
	expect_error(
		f->db,
		"{\"kind\":\"ref_item\",\"id\":\"need:velo\",\"list\":\"need\",\"code\":\"velo\","
		"\"label_fr\":\"Vélo\",\"organisation\":\"X\"}\n",
		1, "id", "must be 'need:velo:X'");
}

#define REFUSED(id, extra)                                                                        \
	"{\"kind\":\"referral\",\"id\":\"" id "\",\"family\":\"f1\",\"from_organisation\":\"X\"," \
	"\"to_organisation\":\"Y\",\"sent_at\":\"2024-03-05T14:00\"" extra "}\n"

/* refusal_code: optional, one of the model's coded reasons, for a refused
 * referral only; a bad one names its line and field, and nothing is written. */
static void test_refusal_code(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, base);
	import_ok(f->db, "{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"X\","
			 "\"code\":\"C1\",\"opened\":\"2024-01-01\"}\n");
	/* Absent stays valid: an older refusal keeps no code. */
	import_ok(f->db, REFUSED("r1", ",\"outcome\":\"refusee\",\"reason\":\"Plus de place\""));
	assert_int_equal(count(f->db, "SELECT count(*) FROM referral WHERE refusal_code IS NULL"),
			 1);
	expect_error(f->db,
		     REFUSED("r2", ",\"outcome\":\"refusee\",\"refusal_code\":\"autre\"")
			     REFUSED("r3", ",\"outcome\":\"refusee\",\"refusal_code\":\"complet\""),
		     2, "refusal_code",
		     "'complet' is not one of hors_mandat, capacite, hors_territoire, deja_suivie, "
		     "famille_refuse, injoignable or autre");
	expect_error(
		f->db,
		REFUSED("r2", ",\"outcome\":\"prise_en_charge\",\"refusal_code\":\"capacite\""), 1,
		"refusal_code", "is only for a refused referral (outcome refusee)");
	expect_error(f->db, REFUSED("r2", ",\"refusal_code\":\"capacite\""), 1, "refusal_code",
		     "is only for a refused referral");
	expect_error(f->db, REFUSED("r2", ",\"outcome\":\"refusee\",\"refusal_code\":7"), 1,
		     "refusal_code", "must be a string");
	assert_int_equal(count(f->db, "SELECT count(*) FROM referral"), 1);
	/* "autre" without words is the sender's loss, not an error: the
	 * contract keeps reason optional (a gestionnaire export omits it). */
	import_ok(f->db, REFUSED("r2", ",\"outcome\":\"refusee\",\"refusal_code\":\"autre\""));
	/* Imported again without the code, the referral loses it (an update
	 * replaces the record). */
	import_ok(f->db,
		  REFUSED("r1", ",\"outcome\":\"refusee\",\"refusal_code\":\"injoignable\""));
	assert_int_equal(count(f->db, "SELECT count(*) FROM referral WHERE refusal_code = "
				      "'injoignable'"),
			 1);
	import_ok(f->db, REFUSED("r1", ",\"outcome\":\"refusee\""));
	assert_int_equal(count(f->db, "SELECT count(*) FROM referral WHERE refusal_code IS NULL"),
			 1);
}

/* portrait.label_en: optional both ways; a line without it keeps the stored
 * one, as an import did before the field existed; too long, it names its
 * line and field. */
static void test_portrait_label_en(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, base);
	static const char with[] =
		"{\"kind\":\"portrait\",\"id\":\"pt\",\"territory\":\"A\",\"indicator\":\"i\","
		"\"label\":\"Familles\",\"label_en\":\"Families\",\"value\":3}\n";
	static const char without[] =
		"{\"kind\":\"portrait\",\"id\":\"pt\",\"territory\":\"A\",\"indicator\":\"i\","
		"\"label\":\"Familles 2\",\"value\":4}\n";
	import_ok(f->db, without);
	assert_int_equal(count(f->db, "SELECT count(*) FROM portrait WHERE label_en IS NULL"), 1);
	char *exported = export_text(f->db, IX_VIEW_COMITE, NULL);
	assert_non_null(strstr(exported, "\"label\":\"Familles 2\",\"value\":4"));
	free(exported);
	import_ok(f->db, with);
	import_ok(f->db, without);
	char *en =
		text_of(f->db, "SELECT label_en || '/' || label FROM portrait WHERE ext_id = 'pt'");
	assert_string_equal(en, "Families/Familles 2");
	free(en);
	exported = export_text(f->db, IX_VIEW_COMITE, NULL);
	assert_non_null(strstr(exported, "\"label\":\"Familles 2\",\"label_en\":\"Families\""));
	free(exported);
	char line[600];
	snprintf(line, sizeof(line),
		 "{\"kind\":\"portrait\",\"id\":\"pt\",\"territory\":\"A\",\"indicator\":\"i\","
		 "\"label_en\":\"%0201d\",\"value\":4}\n",
		 0);
	expect_error(f->db, line, 1, "label_en", "is longer than 200 characters");
}

static void test_reimport_updates(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, base);
	import_ok(f->db, ACT("a1", ",\"needs\":[\"logement\",\"isolement\"]"));
	int64_t orgs = count(f->db, "SELECT count(*) FROM organisation");
	int64_t acts = count(f->db, "SELECT count(*) FROM activity");
	struct import_result res;
	assert_int_equal(
		import_text(
			f->db,
			"{\"kind\":\"organisation\",\"id\":\"X\",\"name\":\"CLSC X renommé\","
			"\"sector\":\"MSSS\",\"territories\":[\"A\"]}\n"
			"{\"kind\":\"activity\",\"id\":\"a1\",\"author\":\"p1\",\"territory\":"
			"\"A\","
			"\"date\":\"2024-03-05\",\"duration_min\":45,\"type\":\"contact_informel\","
			"\"needs\":[\"revenu\"]}\n"
			"{\"kind\":\"person\",\"id\":\"p1\",\"name\":\"Pap X\",\"role\":\"pap\","
			"\"organisation\":\"X\",\"territory\":\"A\",\"future_field\":{\"x\":1}}\n",
			&res),
		0);
	assert_int_equal(res.records, 3);
	assert_int_equal(res.inserted, 0);
	assert_int_equal(res.updated, 3);
	assert_int_equal(count(f->db, "SELECT count(*) FROM organisation"), orgs);
	assert_int_equal(count(f->db, "SELECT count(*) FROM activity"), acts);
	char *name = text_of(f->db, "SELECT name FROM organisation WHERE ext_id = 'X'");
	assert_string_equal(name, "CLSC X renommé");
	free(name);
	assert_int_equal(count(f->db, "SELECT duration_min FROM activity WHERE ext_id = 'a1'"), 45);
	char *a1_needs = text_of(f->db, "SELECT group_concat(need) FROM activity_need");
	assert_string_equal(a1_needs, "revenu");
	free(a1_needs);
	/* The same id twice in one file (into an empty activity table, where
	 * new ids skip the lookup) is one record, updated. */
	db_exec_script(f->db, "DELETE FROM activity", NULL, 0);
	import_ok(f->db, ACT("b1", ",\"needs\":[\"logement\"]")
				 ACT("b2", "") "{\"kind\":\"activity\",\"id\":\"b1\",\"author\":"
					       "\"p1\",\"territory\":\"A\","
					       "\"date\":\"2024-03-05\",\"duration_min\":45,"
					       "\"type\":\"contact_informel\","
					       "\"needs\":[\"revenu\"]}\n");
	assert_int_equal(count(f->db, "SELECT count(*) FROM activity"), 2);
	/* The activity's lists were replaced. */
	assert_int_equal(count(f->db, "SELECT duration_min FROM activity WHERE ext_id = 'b1'"), 45);
	char *need = text_of(f->db, "SELECT group_concat(need) FROM activity_need");
	assert_string_equal(need, "revenu");
	free(need);
	/* A person's password hash is never touched by an import. */
	db_exec_script(f->db, "UPDATE person SET password_hash = 'h' WHERE ext_id = 'p1'", NULL, 0);
	import_ok(f->db, "{\"kind\":\"person\",\"id\":\"p1\",\"name\":\"Pap X2\",\"role\":\"pap\","
			 "\"organisation\":\"X\"}\n");
	char *hash = text_of(f->db, "SELECT password_hash FROM person WHERE ext_id = 'p1'");
	assert_string_equal(hash, "h");
	free(hash);
	/* E-mails are stored in lower case and stay unique. */
	char *email = text_of(f->db, "SELECT email FROM person WHERE ext_id = 'g1'");
	assert_string_equal(email, "g1@x.example");
	free(email);
	expect_error(f->db,
		     "{\"kind\":\"person\",\"id\":\"g2\",\"name\":\"N\",\"role\":\"comite\","
		     "\"email\":\"G1@X.example\"}\n",
		     1, "email", "already the e-mail of another person");
}

/* Local timestamps without offset are in the configured zone, across DST. */
static void test_timestamps(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, base);
	import_ok(f->db,
		  "{\"kind\":\"family\",\"id\":\"f1\",\"organisation\":\"X\",\"code\":\"C1\","
		  "\"opened\":\"2024-01-01\"}\n"
		  "{\"kind\":\"referral\",\"id\":\"r1\",\"family\":\"f1\",\"from_organisation\":"
		  "\"X\","
		  "\"to_organisation\":\"Y\",\"sent_at\":\"2024-03-09T12:00\","
		  "\"taken_at\":\"2024-03-10T12:00\",\"received_at\":\"2024-03-09T17:00:00Z\"}\n");
	/* 2024-03-09 12:00 EST = 17:00Z; the next day is 23 hours long. */
	assert_int_equal(count(f->db, "SELECT sent_at FROM referral"), 1710003600);
	assert_int_equal(count(f->db, "SELECT received_at - sent_at FROM referral"), 0);
	assert_int_equal(count(f->db, "SELECT taken_at - sent_at FROM referral"), 23 * 3600);
}

static void test_round_trip_is_byte_identical(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, every_kind);
	size_t n1, n2;
	char *first = export_text(f->db, IX_VIEW_ADMIN, &n1);
	static const char *const kinds[] = {
		"sector",      "territory",   "portrait",        "organisation", "ref_item",
		"person",      "position",    "family",          "activity",     "corridor",
		"referral",    "supervision", "support_request", "project",      "survey",
		"service_gap", "story",
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char needle[64];
		snprintf(needle, sizeof(needle), "{\"kind\":\"%s\",", kinds[i]);
		if (!strstr(first, needle))
			fprintf(stderr, "missing kind %s\n", kinds[i]);
		assert_non_null(strstr(first, needle));
	}
	/* Parents before children, whatever their ids. */
	assert_true(strstr(first, "\"id\":\"Q\"") < strstr(first, "\"id\":\"R\""));
	assert_true(strstr(first, "\"id\":\"r0\"") < strstr(first, "\"id\":\"r1\""));

	char path[256];
	struct db *empty = new_db(path, sizeof(path));
	import_ok(empty, first);
	char *second = export_text(empty, IX_VIEW_ADMIN, &n2);
	if (n1 != n2 || memcmp(first, second, n1) != 0)
		fprintf(stderr, "first:\n%s\nsecond:\n%s\n", first, second);
	assert_int_equal(n1, n2);
	assert_memory_equal(first, second, n1);
	/* Every row came through (spot checks of lists and values). */
	assert_int_equal(count(empty, "SELECT count(*) FROM activity WHERE deleted_at IS NOT NULL"),
			 1);
	assert_int_equal(count(empty, "SELECT count(*) FROM position_holder"), 2);
	assert_int_equal(count(empty, "SELECT count(*) FROM mandate_item"), 2);
	assert_int_equal(count(empty, "SELECT count(*) FROM story_tag"), 5);
	assert_int_equal(
		count(empty, "SELECT count(*) FROM referral WHERE previous_id IS NOT NULL"), 3);
	/* The portrait's English label too. */
	assert_non_null(strstr(first, "\"label_en\":\"Immigrant population\""));
	/* The refusal's coded reason came through both imports. */
	assert_non_null(strstr(first, "\"outcome\":\"refusee\",\"refusal_code\":\"capacite\""));
	assert_int_equal(count(empty, "SELECT count(*) FROM referral WHERE ext_id = 'r4' AND "
				      "refusal_code = 'capacite'"),
			 1);
	char *note = text_of(empty, "SELECT note FROM activity WHERE ext_id = 'a1'");
	assert_string_equal(note,
			    "Visite « à domicile » avec interprète <espagnol>\n\tdeuxième ligne "
			    "\"citée\" \xF0\x9F\x98\x80");
	free(note);
	free(second);
	scratch_db_remove(empty, path);
	free(first);
}

static void test_nominative_survives_and_is_logged(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, every_kind);
	/* Encrypted at rest. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM family WHERE nominative IS NOT NULL"),
			 1);
	assert_int_equal(count(f->db, "SELECT instr(CAST(nominative AS TEXT), 'Ñúñez') FROM family "
				      "WHERE ext_id = 'f1'"),
			 0);
	int64_t logged = count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'export'");
	char *first = export_text(f->db, IX_VIEW_ADMIN, NULL);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND "
				      "purpose = 'export' AND object_kind = 'family'"),
			 logged + 1);
	struct audit_check chk;
	assert_int_equal(audit_verify(f->db, NULL, 0, &chk), 0);
	assert_int_equal(chk.verdict, AUDIT_INTACT);

	char path[256];
	struct db *other = new_db(path, sizeof(path));
	import_ok(other, first);
	/* Read back through the model, as the family's manager would. */
	int64_t fam = count(other, "SELECT id FROM family WHERE ext_id = 'f1'");
	int64_t org = count(other, "SELECT id FROM organisation WHERE ext_id = 'X'");
	int64_t gest = count(other, "SELECT id FROM person WHERE ext_id = 'g1'");
	struct actor mgr = {.person_id = gest,
			    .role = ROLE_GESTIONNAIRE,
			    .organisation_id = org,
			    .territory_id = 0,
			    .name = "Gestionnaire X"};
	struct arena *ar = arena_new(1024);
	struct family fr;
	struct nominative nom;
	assert_int_equal(family_get(other, ar, &mgr, fam, &fr), 0);
	assert_int_equal(family_read_nominative(other, ar, &mgr, &fr, "test", &nom), 0);
	assert_string_equal(nom.name, "María José Ñúñez");
	assert_string_equal(nom.phone, "514-555-0101");
	assert_string_equal(nom.address, "1 rue des Érables");
	/* The import's write was logged too. */
	assert_int_equal(count(other, "SELECT count(*) FROM audit_log WHERE action = 'write' AND "
				      "purpose = 'import'"),
			 1);
	arena_free(ar);
	scratch_db_remove(other, path);
	free(first);

	/* Without the key, nominative details are refused, not dropped. */
	vault_unload();
	struct import_result res;
	assert_int_equal(import_text(f->db,
				     "{\"kind\":\"family\",\"id\":\"f9\",\"organisation\":\"X\","
				     "\"code\":\"C9\",\"opened\":\"2024-01-01\",\"nominative\":{"
				     "\"name\":\"N\"}}\n",
				     &res),
			 1);
	assert_string_equal(res.field, "nominative");
	unsigned char key[32];
	memset(key, 9, sizeof(key));
	vault_set_key(key);
}

static void test_views(void **state)
{
	struct scratch *f = *state;
	import_ok(f->db, every_kind);
	int64_t logged = count(f->db, "SELECT count(*) FROM audit_log");
	char *g = export_text(f->db, IX_VIEW_GESTIONNAIRE, NULL);
	assert_null(strstr(g, "nominative"));
	assert_null(strstr(g, "Ñúñez"));
	assert_null(strstr(g, "\"email\""));
	assert_null(strstr(g, "survey_token"));
	assert_null(strstr(g, "\"fields\""));
	assert_null(strstr(g, "\"id\":\"a3\"")); /* soft-deleted */
	assert_non_null(strstr(g, "{\"kind\":\"family\","));
	assert_non_null(strstr(g, "\"note\""));
	free(g);
	for (int v = IX_VIEW_COMITE; v <= IX_VIEW_ANALYSTE; v++) {
		char *c = export_text(f->db, (enum ix_view)v, NULL);
		static const char *const absent[] = {
			"{\"kind\":\"family\",",
			"{\"kind\":\"activity\",",
			"{\"kind\":\"referral\",",
			"{\"kind\":\"supervision\",",
			"{\"kind\":\"support_request\",",
			"{\"kind\":\"survey\",",
			"{\"kind\":\"story\",",
			"\"note\"",
			"\"text\"",
			"\"email\"",
			"\"goals\"",
			"\"description\"",
			"nominative",
			"\"f1\"",
		};
		for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
			if (strstr(c, absent[i]))
				fprintf(stderr, "view %d contains %s\n", v, absent[i]);
			assert_null(strstr(c, absent[i]));
		}
		assert_non_null(strstr(c, "{\"kind\":\"position\","));
		assert_non_null(strstr(c, "{\"kind\":\"corridor\","));
		free(c);
	}
	/* Only the admin export logs nominative reads. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log"), logged);
	enum ix_view v;
	assert_int_equal(interchange_view_parse("complet", &v), 0);
	assert_int_equal(v, IX_VIEW_ADMIN);
	assert_int_equal(interchange_view_parse("public", &v), -1);
}

/* Writes one territory line whose name has name_bytes bytes to fd, in
 * chunks, until done or the reader goes away (EPIPE). */
static void write_long_line(int fd, size_t name_bytes)
{
	signal(SIGPIPE, SIG_IGN);
	static const char head[] = "{\"kind\":\"territory\",\"id\":\"T\",\"name\":\"";
	static char chunk[1 << 16];
	memset(chunk, 'a', sizeof(chunk));
	if (write(fd, head, sizeof(head) - 1) < 0)
		return;
	for (size_t left = name_bytes; left > 0;) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		if (write(fd, chunk, n) != (ssize_t)n)
			return;
		left -= n;
	}
	if (write(fd, "\"}\n", 3) < 0)
		return;
}

/* In a child process (its own database), imports one territory line with
 * a name of name_bytes bytes, streamed through a pipe by a grandchild.
 * Returns the child's peak resident memory in KiB; *failed tells whether
 * the import was refused, reason (cap bytes) why. */
static long import_in_child(size_t name_bytes, bool *failed, char *reason, size_t cap)
{
	int res[2];
	assert_int_equal(pipe(res), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(res[0]);
		int data[2];
		if (pipe(data) < 0)
			_exit(2);
		pid_t writer = fork();
		if (writer == 0) {
			close(data[0]);
			write_long_line(data[1], name_bytes);
			_exit(0);
		}
		close(data[1]);
		char path[256];
		struct db *db = scratch_db_create(path, sizeof(path), "ix-long");
		FILE *in = fdopen(data[0], "r");
		if (!db || !in)
			_exit(2);
		struct import_result r;
		int rc = interchange_import(db, in, &r);
		fclose(in);
		waitpid(writer, NULL, 0);
		char msg[768];
		import_error_format(&r, msg, sizeof(msg));
		dprintf(res[1], "%d %s", rc, rc ? msg : "");
		scratch_db_remove(db, path);
		_exit(0);
	}
	close(res[1]);
	char out[1024] = "";
	ssize_t got, len = 0;
	while ((got = read(res[0], out + len, sizeof(out) - 1 - (size_t)len)) > 0)
		len += got;
	close(res[0]);
	int status;
	struct rusage ru;
	assert_int_equal(wait4(child, &status, 0, &ru), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	*failed = out[0] != '0';
	str_copy(reason, cap, len > 2 ? out + 2 : "");
	return ru.ru_maxrss;
}

/* A line far past the 1 MiB limit (256 MiB here, streamed) is refused
 * without the importer ever holding it: its peak memory grows by about
 * the limit, not by the line. */
static void test_long_line_bounded_memory(void **state)
{
	(void)state;
	bool failed;
	char reason[768];
	long small = import_in_child(100, &failed, reason, sizeof(reason));
	assert_false(failed);
	long big = import_in_child((size_t)256 << 20, &failed, reason, sizeof(reason));
	assert_true(failed);
	assert_string_equal(reason, "line 1: the line is longer than 1048576 bytes");
	if (big - small > 16 * 1024)
		fprintf(stderr, "peak memory %ld KiB against %ld KiB for a short line\n", big,
			small);
	assert_true(big - small <= 16 * 1024);
}

int main(void)
{
	if (sodium_init() < 0 || i18n_init() < 0 || ptime_set_zone("America/Toronto") < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_line_writes_nothing, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_structural_errors, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_reference, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_need_not_in_list_refused, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_refusal_code, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_portrait_label_en, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_reimport_updates, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_timestamps, setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_is_byte_identical, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_nominative_survives_and_is_logged, setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_views, setup, scratch_teardown),
		cmocka_unit_test(test_long_line_bounded_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
