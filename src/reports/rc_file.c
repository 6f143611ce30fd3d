/* The ministry's yearly file: its columns (rc_file.h). */
#include "reports/rc_file.h"

#include <string.h>

#include "core/i18n.h"

static const char *const heads[RC_FILE_COLS] = {
	N_("Centre d'activités"),    N_("Organisation"), N_("Date"),
	N_("Type d'intervention"),   N_("Mode"),         N_("Lieu"),
	N_("Durée (minutes)"),       N_("Langue"),       N_("Catégorie d'emploi"),
	N_("Nombre d'intervenants"), N_("Participants"), N_("Activité (identifiant)"),
};

/* See rc_file.h. */
const char *rc_file_head(const char *lang, size_t k)
{
	return k < RC_FILE_COLS ? i18n_tr(lang, heads[k]) : "";
}

/* See rc_file.h. */
bool rc_file_cell(const struct rc_file *f, size_t i, size_t k, const char **text, double *num)
{
	const struct rc_intervention *x = &f->rows[i];
	*text = "";
	switch (k) {
	case 1: *text = f->st->organisation; break;
	case 2: *text = x->date; break;
	case 3: *text = i18n_tr(f->lang, x->group ? N_("De groupe") : N_("Individuelle")); break;
	case 4:
		*text = i18n_tr(f->lang, x->place && strcmp(x->place, "telephone_virtuel") == 0
						 ? N_("Téléphone ou virtuel")
						 : N_("En personne"));
		break;
	case 5: *text = x->place_label; break;
	case 6: *num = (double)x->duration_min; return true;
	case 7: *text = x->language ? x->language : ""; break;
	case 9: *num = 1; return true; /* the journal records one author per activity */
	case 10: *num = (double)x->participants; return true;
	case 11: *text = x->ext_id; break;
	default: break; /* 0, 8: not in the journal (docs/fr/statistiques.md) */
	}
	if (!*text)
		*text = "";
	return false;
}
