/* The interchange contract (interchange.md): for every kind, a record with
 * only the fields the contract marks required (bold) and one with every
 * field it lists are imported, then exported again, and what comes back is
 * what went in (every field, every value: numbers as entered, timestamps
 * as the same instant). Optional means optional: a record may leave out
 * any field that is not bold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/ptime.h"
#include "db/db.h"
#include "interchange/interchange.h"
#include "model/vault.h"
#include "support/scratch_db.h"

/* Only the bold fields of each kind. The activity's author needs an
 * organisation (the activity is counted for one): it is the full person. */
static const char minimal[] =
	"{\"kind\":\"sector\",\"id\":\"S-min\",\"name\":\"Secteur minimal\"}\n"
	"{\"kind\":\"territory\",\"id\":\"T-min\",\"name\":\"Territoire minimal\"}\n"
	"{\"kind\":\"portrait\",\"id\":\"P-min\",\"territory\":\"T-min\",\"indicator\":\"ind\","
	"\"value\":6.01}\n"
	"{\"kind\":\"organisation\",\"id\":\"O-min\",\"name\":\"Organisme minimal\","
	"\"sector\":\"S-min\"}\n"
	"{\"kind\":\"person\",\"id\":\"pers-min\",\"name\":\"Personne "
	"minimale\",\"role\":\"pap\"}\n"
	"{\"kind\":\"position\",\"id\":\"pos-min\",\"organisation\":\"O-min\","
	"\"territory\":\"T-min\",\"start\":\"2024-01-01\"}\n"
	"{\"kind\":\"activity\",\"id\":\"act-min\",\"author\":\"pers-full\",\"territory\":"
	"\"T-min\",\"date\":\"2024-03-05\",\"duration_min\":45,\"type\":\"presentation_mandat\"}\n"
	"{\"kind\":\"activity\",\"id\":\"act-min0\",\"author\":\"pers-full\",\"territory\":"
	"\"T-min\",\"date\":\"2024-03-05\",\"duration_min\":0,\"type\":\"contact_informel\"}\n"
	"{\"kind\":\"family\",\"id\":\"fam-min\",\"organisation\":\"O-min\",\"code\":\"M-1\","
	"\"opened\":\"2024-01-10\"}\n"
	"{\"kind\":\"corridor\",\"id\":\"cor-min\",\"territory\":\"T-min\",\"name\":\"Corridor "
	"minimal\",\"entry_organisation\":\"O-min\"}\n"
	"{\"kind\":\"referral\",\"id\":\"ref-min\",\"family\":\"fam-min\","
	"\"from_organisation\":\"O-min\",\"to_organisation\":\"O-full\","
	"\"sent_at\":\"2024-03-05T14:00\"}\n"
	"{\"kind\":\"supervision\",\"id\":\"sup-min\",\"person\":\"pers-min\","
	"\"date\":\"2024-03-01\",\"hours\":1.25}\n"
	"{\"kind\":\"support_request\",\"id\":\"sr-min\",\"person\":\"pers-min\","
	"\"date\":\"2024-03-02\"}\n"
	"{\"kind\":\"survey\",\"id\":\"sv-min\",\"type\":\"famille\",\"territory\":\"T-min\","
	"\"date\":\"2024-03-16\",\"score\":3}\n"
	"{\"kind\":\"project\",\"id\":\"pr-min\",\"territory\":\"T-min\",\"name\":\"Projet "
	"minimal\",\"start\":\"2024-01-01\"}\n"
	"{\"kind\":\"service_gap\",\"id\":\"gap-min\",\"territory\":\"T-min\","
	"\"date\":\"2024-03-05\",\"need\":\"logement\"}\n"
	"{\"kind\":\"story\",\"id\":\"st-min\",\"author\":\"pers-min\",\"date\":\"2024-03-20\","
	"\"text\":\"Un récit, rien de plus.\"}\n";

/* Every field interchange.md lists for each kind. */
static const char full[] =
	"{\"kind\":\"sector\",\"id\":\"S-full\",\"name\":\"Secteur complet\"}\n"
	"{\"kind\":\"territory\",\"id\":\"T-full\",\"name\":\"Territoire complet\","
	"\"type\":\"rural\",\"parent\":\"T-min\"}\n"
	"{\"kind\":\"portrait\",\"id\":\"P-full\",\"territory\":\"T-full\","
	"\"indicator\":\"defavorisation\",\"label\":\"Indice de défavorisation\","
	"\"value\":19.64,\"unit\":\"%\",\"period_start\":\"2021-01-01\","
	"\"period_end\":\"2021-12-31\",\"source\":\"Recensement 2021\"}\n"
	"{\"kind\":\"organisation\",\"id\":\"O-full\",\"name\":\"Organisme complet\","
	"\"sector\":\"S-full\",\"territories\":[\"T-full\",\"T-min\"]}\n"
	"{\"kind\":\"person\",\"id\":\"pers-full\",\"name\":\"Personne complète\","
	"\"email\":\"complete@example.org\",\"role\":\"pap\",\"organisation\":\"O-full\","
	"\"territory\":\"T-full\"}\n"
	"{\"kind\":\"position\",\"id\":\"pos-full\",\"organisation\":\"O-full\","
	"\"territory\":\"T-full\",\"start\":\"2023-01-01\",\"end\":\"2025-12-31\","
	"\"holders\":[{\"person\":\"pers-full\",\"from\":\"2023-01-01\",\"to\":\"2024-06-30\"}],"
	"\"mandate\":{\"components\":[\"demarchage\",\"collaboration\"],"
	"\"items\":[{\"population\":\"familles_0_5\",\"activity\":\"contact_informel\"}]}}\n"
	"{\"kind\":\"family\",\"id\":\"fam-full\",\"organisation\":\"O-full\",\"code\":\"F-1\","
	"\"opened\":\"2024-01-10\",\"closed\":\"2024-12-01\",\"consent\":{\"date\":\"2024-01-10\","
	"\"language\":\"es\",\"scopes\":[\"suivi\",\"reference\",\"citation\"]},"
	"\"nominative\":{\"name\":\"Ana Pérez\",\"phone\":\"514-555-0199\","
	"\"address\":\"2 rue des Ormes\"}}\n"
	"{\"kind\":\"activity\",\"id\":\"act-full\",\"author\":\"pers-full\","
	"\"territory\":\"T-full\",\"date\":\"2024-03-06\",\"start_time\":\"09:15\","
	"\"duration_min\":90,\"indirect\":{\"deplacement\":20,\"interprete\":15,"
	"\"redaction\":10,\"preparation\":5},\"type\":\"accompagnement\","
	"\"components\":[\"accompagnement\"],\"strategies\":[\"proactif\"],"
	"\"place\":\"domicile\",\"unplanned\":true,\"initiated_by\":\"personne\","
	"\"counts\":{\"adults\":2,\"children_0_5\":1,\"children_6_17\":1,\"families\":1,"
	"\"new_contacts\":1,\"hors_reseau\":1},\"families\":[\"fam-full\"],"
	"\"partners\":[\"O-min\"],\"with_pap\":[\"pers-min\"],\"needs\":[\"logement\"],"
	"\"outcomes\":[\"lien_confiance\"],\"note\":\"Visite avec interprète.\"}\n"
	"{\"kind\":\"corridor\",\"id\":\"cor-full\",\"territory\":\"T-full\","
	"\"name\":\"Corridor complet\",\"need\":\"logement\",\"population\":\"familles_0_5\","
	"\"entry_organisation\":\"O-full\",\"target_days\":2.5,"
	"\"consent_languages\":[\"fr\",\"es\"],\"template_fields\":[\"besoin\"],"
	"\"portrait_indicators\":[\"defavorisation\"],\"active_from\":\"2024-01-01\","
	"\"active_to\":\"2025-12-31\"}\n"
	"{\"kind\":\"referral\",\"id\":\"ref-full\",\"family\":\"fam-full\","
	"\"from_organisation\":\"O-full\",\"to_organisation\":\"O-min\",\"corridor\":\"cor-full\","
	"\"need\":\"logement\",\"first_contact_at\":\"2024-03-04T10:00\","
	"\"sent_at\":\"2024-03-05T09:00\",\"received_at\":\"2024-03-05T11:00-05:00\","
	"\"taken_at\":\"2024-03-06T09:30\",\"closed_at\":\"2024-03-06T09:30\","
	"\"outcome\":\"prise_en_charge\",\"previous\":\"ref-min\"}\n"
	"{\"kind\":\"supervision\",\"id\":\"sup-full\",\"person\":\"pers-full\","
	"\"supervisor\":\"pers-min\",\"date\":\"2024-03-01\",\"hours\":2,"
	"\"type\":\"codeveloppement\"}\n"
	"{\"kind\":\"support_request\",\"id\":\"sr-full\",\"person\":\"pers-full\","
	"\"date\":\"2024-03-02\",\"addressed_to\":\"equipe\",\"type\":\"charge\"}\n"
	"{\"kind\":\"project\",\"id\":\"pr-full\",\"territory\":\"T-full\",\"name\":\"Projet "
	"complet\",\"start\":\"2024-01-01\",\"end\":\"2024-12-31\","
	"\"organisations\":[\"O-full\",\"O-min\"]}\n"
	"{\"kind\":\"survey\",\"id\":\"sv-full\",\"type\":\"pap\",\"person\":\"pers-full\","
	"\"project\":\"pr-full\",\"territory\":\"T-full\",\"date\":\"2024-03-15\",\"score\":4}\n"
	"{\"kind\":\"service_gap\",\"id\":\"gap-full\",\"territory\":\"T-full\","
	"\"date\":\"2024-03-05\",\"need\":\"logement\",\"author\":\"pers-full\","
	"\"description\":\"Aucun logement d'urgence.\"}\n"
	"{\"kind\":\"story\",\"id\":\"st-full\",\"author\":\"pers-full\",\"date\":\"2024-03-20\","
	"\"text\":\"Une mère a repris confiance.\",\"activity\":\"act-full\","
	"\"family\":\"fam-full\",\"project\":\"pr-full\",\"territory\":\"T-full\","
	"\"strategies\":[\"proactif\"],\"outcomes\":[\"lien_confiance\"],"
	"\"needs\":[\"logement\"],\"consent_quote\":true,\"selected\":true,"
	"\"selection_reason\":\"Exemple fort\"}\n";

/* The kinds of interchange.md's table. */
static const char *const contract_kinds[] = {
	"territory", "portrait", "sector",      "organisation", "person",      "position",
	"activity",  "family",   "corridor",    "referral",     "supervision", "support_request",
	"survey",    "project",  "service_gap", "story",
};

/* Fields whose values are timestamps: compared as instants. */
static bool is_timestamp_field(const char *key)
{
	size_t n = strlen(key);
	return n > 3 && strcmp(key + n - 3, "_at") == 0;
}

static int64_t instant(const char *s)
{
	int64_t t = 0;
	assert_int_equal(ptime_parse_timestamp(s, &t), 0);
	return t;
}

/* True when got carries want: every member of an object (recursively),
 * every element of a list (in any order), numbers by value, timestamps as
 * instants. */
static bool carries(const char *key, json_t *want, json_t *got)
{
	if (!got)
		return false;
	if (json_is_object(want)) {
		const char *k;
		json_t *w;
		json_object_foreach(want, k, w)
		{
			if (!carries(k, w, json_object_get(got, k)))
				return false;
		}
		return json_is_object(got);
	}
	if (json_is_array(want)) {
		/* Lists are sets (export writes them in its own order). */
		if (!json_is_array(got) || json_array_size(got) != json_array_size(want))
			return false;
		for (size_t i = 0; i < json_array_size(want); i++) {
			bool found = false;
			for (size_t k = 0; k < json_array_size(got) && !found; k++)
				found = carries(key, json_array_get(want, i),
						json_array_get(got, k));
			if (!found)
				return false;
		}
		return true;
	}
	if (json_is_number(want))
		return json_is_number(got) && json_number_value(want) == json_number_value(got);
	if (json_is_string(want) && key && is_timestamp_field(key))
		return json_is_string(got) &&
		       instant(json_string_value(want)) == instant(json_string_value(got));
	return json_equal(want, got);
}

static struct db *new_db(char *path, size_t cap)
{
	struct db *db = scratch_db_create(path, cap, "contract");
	assert_non_null(db);
	return db;
}

static void import_ok(struct db *db, const char *text)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	struct import_result res;
	int rc = interchange_import(db, in, &res);
	fclose(in);
	if (rc != 0) {
		char msg[768];
		import_error_format(&res, msg, sizeof(msg));
		fprintf(stderr, "import failed: %s\n", msg);
	}
	assert_int_equal(rc, 0);
}

/* The admin export (lossless) as a malloc'd string. */
static char *export_admin(struct db *db)
{
	char *data = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&data, &n);
	assert_non_null(out);
	struct export_result res;
	int rc = interchange_export(db, IX_VIEW_ADMIN, out, &res);
	if (rc != 0)
		fprintf(stderr, "export failed: %s\n", res.reason);
	assert_int_equal(rc, 0);
	fclose(out);
	return data;
}

/* The exported line of kind and id, parsed (caller decrefs), or NULL. */
static json_t *exported(const char *export, const char *kind, const char *id)
{
	for (const char *line = export; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		json_t *o = json_loadb(line, len, 0, NULL);
		if (o && strcmp(json_string_value(json_object_get(o, "kind")), kind) == 0 &&
		    strcmp(json_string_value(json_object_get(o, "id")), id) == 0)
			return o;
		json_decref(o);
		line += len + (end ? 1 : 0);
	}
	return NULL;
}

/* Every record of text comes back from export with every field it had. */
static void expect_carried(const char *text, const char *export)
{
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = (size_t)(end - line);
		json_t *want = json_loadb(line, len, 0, NULL);
		assert_non_null(want);
		const char *kind = json_string_value(json_object_get(want, "kind"));
		const char *id = json_string_value(json_object_get(want, "id"));
		json_t *got = exported(export, kind, id);
		if (!got)
			fprintf(stderr, "%s %s: not exported\n", kind, id);
		assert_non_null(got);
		if (!carries(NULL, want, got)) {
			char *g = json_dumps(got, JSON_COMPACT);
			fprintf(stderr, "%s %s came back as %s\n", kind, id, g);
			free(g);
			fail();
		}
		json_decref(want);
		json_decref(got);
		line = end + 1;
	}
}

/* Every kind of the contract appears in text (once or more). */
static void expect_every_kind(const char *text)
{
	for (size_t i = 0; i < sizeof(contract_kinds) / sizeof(contract_kinds[0]); i++) {
		char needle[64];
		snprintf(needle, sizeof(needle), "{\"kind\":\"%s\",", contract_kinds[i]);
		if (!strstr(text, needle))
			fprintf(stderr, "the test file lacks kind %s\n", contract_kinds[i]);
		assert_non_null(strstr(text, needle));
	}
}

static void test_bold_fields_only_and_every_field(void **state)
{
	(void)state;
	expect_every_kind(minimal);
	expect_every_kind(full);
	/* The minimal records refer to the full ones and back: one file. */
	size_t nm = strlen(minimal), nf = strlen(full);
	char *text = malloc(nm + nf + 1);
	assert_non_null(text);
	/* Order: what each line names is defined on an earlier line. */
	static const char *const order[] = {
		"sector",   "territory", "portrait",    "organisation",
		"person",   "position",  "family",      "activity",
		"corridor", "referral",  "supervision", "support_request",
		"project",  "survey",    "service_gap", "story",
	};
	size_t at = 0;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		char needle[64];
		snprintf(needle, sizeof(needle), "{\"kind\":\"%s\",", order[k]);
		const char *const files[] = {minimal, full};
		for (int f = 0; f < 2; f++)
			for (const char *line = files[f]; *line;) {
				const char *end = strchr(line, '\n') + 1;
				if (strncmp(line, needle, strlen(needle)) == 0) {
					memcpy(text + at, line, (size_t)(end - line));
					at += (size_t)(end - line);
				}
				line = end;
			}
	}
	text[at] = '\0';
	assert_int_equal(at, nm + nf);

	char path[256], path2[256];
	struct db *db = new_db(path, sizeof(path));
	import_ok(db, text);
	char *first = export_admin(db);
	expect_carried(minimal, first);
	expect_carried(full, first);

	/* Exported again from an empty database: the same bytes. */
	struct db *other = new_db(path2, sizeof(path2));
	import_ok(other, first);
	char *second = export_admin(other);
	assert_string_equal(first, second);
	free(second);
	scratch_db_remove(other, path2);
	free(first);
	scratch_db_remove(db, path);
	free(text);
}

int main(void)
{
	if (sodium_init() < 0 || i18n_init() < 0 || ptime_set_zone("America/Toronto") < 0)
		return 1;
	unsigned char key[32];
	memset(key, 7, sizeof(key));
	vault_set_key(key);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bold_fields_only_and_every_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
