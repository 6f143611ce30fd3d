/* The indicator engine: registry of every id and report_compute (see
 * report.h). Partial implementation: the interface is final. */
#include <string.h>

#include "core/arena.h"
#include "reports/report.h"

const char *const REPORT_IDS[REPORT_N_INDICATORS] = {
	"arr.secteurs_cadre",        "arr.chevauchement_mandats", "arr.presentations_mandat",
	"arr.delai_prise_en_charge", "arr.taux_echappement",      "arr.renvois_boucle",
	"arr.roulement",             "arr.heures_supervision",    "arr.projets_arrimage",
	"arr.satisfaction_familles", "arr.portrait",              "arr.corridors_adaptes",
	"arr.demandes_soutien",      "arr.satisfaction_pap",      "act.activites",
	"act.personnes_rejointes",   "act.familles_rejointes",    "act.nouveaux_contacts",
	"act.hors_reseau",           "act.temps",                 "act.composantes",
	"act.strategies",            "act.besoins",               "act.accompagnements",
	"act.collectif",             "act.partenaires",           "act.retombees",
	"act.trous_service",
};

/* See report.h. */
void report_request_init(struct report_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->view = REPORT_VIEW_COMITE;
	rq->lang = "fr";
}

/* See report.h. */
enum perr report_compute(struct db *db, struct arena *a, const struct report_request *rq,
			 struct report *out)
{
	(void)db;
	memset(out, 0, sizeof(*out));
	out->scope.from = rq->from;
	out->scope.to = rq->to;
	out->scope.view = rq->view;
	out->scope.lang = rq->lang;
	out->indicators = arena_calloc(a, REPORT_N_INDICATORS, sizeof(*out->indicators));
	for (size_t i = 0; i < REPORT_N_INDICATORS; i++) {
		out->indicators[i].id = REPORT_IDS[i];
		out->indicators[i].label = REPORT_IDS[i];
		out->indicators[i].unit = "nombre";
		out->indicators[i].display = "—";
	}
	out->n_indicators = REPORT_N_INDICATORS;
	return PERR_OK;
}
