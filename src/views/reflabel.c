/* The labels of reference items (see reflabel.h). */
#include "views/reflabel.h"

#include <string.h>

#include "core/i18n.h"

const char *ref_item_label(const struct request *req, const struct ref_item *it)
{
	if (!it->label_en) /* a code table of the pages: label_fr is a msgid */
		return i18n_tr(req->lang, it->label_fr);
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
	{"fr", N_("Français"), NULL, false},       {"en", N_("Anglais"), NULL, false},
	{"es", N_("Espagnol"), NULL, false},       {"ar", N_("Arabe"), NULL, false},
	{"zh", N_("Chinois"), NULL, false},        {"pt", N_("Portugais"), NULL, false},
	{"ht", N_("Créole haïtien"), NULL, false}, {"fa", N_("Persan"), NULL, false},
	{"ru", N_("Russe"), NULL, false},          {"uk", N_("Ukrainien"), NULL, false},
	{"ti", N_("Tigrigna"), NULL, false},       {"autre", N_("Autre"), NULL, false},
};
