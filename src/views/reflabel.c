/* The labels of reference items (see reflabel.h). */
#include "views/reflabel.h"

#include <string.h>

#include "core/i18n.h"

const char *ref_item_label(const struct request *req, const struct ref_item *it)
{
	return strcmp(req->lang, "en") == 0 ? it->label_en : it->label_fr;
}

const char *ref_lookup(const struct request *req, const struct ref_item *items, size_t n,
		       const char *code)
{
	if (!code)
		return "";
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].code, code) == 0)
			return ref_item_label(req, &items[i]);
	/* Not offered any more (a retired entry of an organisation's list):
	 * old records keep its label. */
	struct db *db = db_thread();
	return db ? refdata_label_any(db, req->arena, code, req->lang) : code;
}

const struct ref_item consent_languages[CONSENT_LANGUAGES] = {
	{"fr", "Français", "French", false},
	{"en", "Anglais", "English", false},
	{"es", "Espagnol", "Spanish", false},
	{"ar", "Arabe", "Arabic", false},
	{"zh", "Chinois", "Chinese", false},
	{"pt", "Portugais", "Portuguese", false},
	{"ht", "Créole haïtien", "Haitian Creole", false},
	{"fa", "Persan", "Persian", false},
	{"ru", "Russe", "Russian", false},
	{"uk", "Ukrainien", "Ukrainian", false},
	{"ti", "Tigrigna", "Tigrinya", false},
	{"autre", "Autre", "Other", false},
};
