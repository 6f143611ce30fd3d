/* The labels of reference items (model/refdata.h) in the request's language. */
#ifndef PROXIMA_VIEWS_REFLABEL_H
#define PROXIMA_VIEWS_REFLABEL_H

#include <stddef.h>

#include "http/request.h"
#include "model/refdata.h"

/* The label of a reference item in the request's language: label_en or
 * label_fr, or label_fr translated when label_en is NULL (a code table of
 * the pages, {code, N_("..."), NULL}). */
const char *ref_item_label(const struct request *req, const struct ref_item *it);

/* The label of code among items; for a code not among them (an entry
 * since retired), its label in the reference table; else the code. */
const char *ref_lookup(const struct request *req, const struct ref_item *items, size_t n,
		       const char *code);

/* The languages of consent forms, by the code the model stores, in the
 * order forms offer them; the last, "autre", only for a family's form (a
 * corridor lists the CONSENT_LANGUAGES_NAMED forms it has). */
#define CONSENT_LANGUAGES 12
#define CONSENT_LANGUAGES_NAMED (CONSENT_LANGUAGES - 1)
extern const struct ref_item consent_languages[CONSENT_LANGUAGES];

#endif
