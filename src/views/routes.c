/* The pages' routes. A route is private (signed-in only) unless marked
 * ROUTE_PUBLIC; visibility of each object is then checked in the model. */
#include "core/util.h"
#include "http/router.h"
#include "views/rc_stats.h"
#include "views/dashboards.h"
#include "views/menu.h"
#include "views/corridors.h"
#include "views/directory.h"
#include "views/projects.h"
#include "views/privacy.h"
#include "views/referrals.h"
#include "views/surveys.h"
#include "views/team.h"
#include "views/territory.h"
#include "views/service_gaps.h"
#include "views/stories.h"
#include "views/view.h"
#include "views/admin.h"
#include "views/account.h"
#include "views/inbox.h"

const struct route view_routes[] = {
	{HTTP_GET, "/", view_home, ROUTE_PUBLIC},
	{HTTP_POST, "/langue", view_set_language, ROUTE_PUBLIC | ROUTE_NO_UNIT},
	{HTTP_GET, "/connexion", view_login_form, ROUTE_PUBLIC},
	{HTTP_POST, "/connexion", view_login_submit, ROUTE_PUBLIC | ROUTE_NO_UNIT},
	{HTTP_POST, "/deconnexion", view_logout, ROUTE_PUBLIC | ROUTE_NO_UNIT},
	{HTTP_GET, "/menu", view_menu, ROUTE_SIGNED_IN},
	/* The inbox (issue 16). */
	{HTTP_GET, "/boite", view_inbox, ROUTE_SIGNED_IN},
	{HTTP_POST, "/boite/tout-lu", view_inbox_read_all, ROUTE_SIGNED_IN},
	{HTTP_POST, "/boite/courriel", view_inbox_email, ROUTE_SIGNED_IN},
	{HTTP_POST, "/boite/:id/ouvrir", view_inbox_open, ROUTE_SIGNED_IN},
	{HTTP_POST, "/boite/:id/lu", view_inbox_read, ROUTE_SIGNED_IN},
	/* The field journal. Literal paths come before ":id" captures. */
	{HTTP_GET, "/journal", view_journal, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/nouvelle", view_activity_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/journal/nouvelle", view_activity_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/indirect", view_indirect_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/journal/indirect", view_indirect_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/equipe", view_journal_team, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/:id/modifier", view_activity_edit, ROUTE_SIGNED_IN},
	{HTTP_POST, "/journal/:id/modifier", view_activity_update, ROUTE_SIGNED_IN},
	{HTTP_GET, "/journal/:id/supprimer", view_activity_delete_confirm, ROUTE_SIGNED_IN},
	{HTTP_POST, "/journal/:id/supprimer", view_activity_delete, ROUTE_SIGNED_IN},
	/* Followed families. */
	{HTTP_GET, "/familles", view_families, ROUTE_SIGNED_IN},
	{HTTP_GET, "/familles/nouvelle", view_family_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/familles/nouvelle", view_family_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/familles/:id", view_family_show, ROUTE_SIGNED_IN},
	{HTTP_POST, "/familles/:id/coordonnees", view_family_contact, ROUTE_SIGNED_IN},
	{HTTP_GET, "/familles/:id/consentement", view_family_consent, ROUTE_SIGNED_IN},
	{HTTP_POST, "/familles/:id/consentement", view_family_consent_save, ROUTE_SIGNED_IN},
	{HTTP_GET, "/familles/:id/fermer", view_family_close_form, ROUTE_SIGNED_IN},
	{HTTP_POST, "/familles/:id/fermer", view_family_close, ROUTE_SIGNED_IN},
	{HTTP_GET, "/familles/:id/rouvrir", view_family_reopen_form, ROUTE_SIGNED_IN},
	{HTTP_POST, "/familles/:id/rouvrir", view_family_reopen, ROUTE_SIGNED_IN},
	/* -- referrals (issue 4) -- */
	{HTTP_GET, "/renvois", view_referrals, ROUTE_SIGNED_IN},
	{HTTP_GET, "/renvois/nouveau", view_referral_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/renvois/nouveau", view_referral_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/renvois/retards", view_referrals_overdue, ROUTE_SIGNED_IN},
	{HTTP_GET, "/renvois/:id", view_referral_show, ROUTE_SIGNED_IN},
	{HTTP_POST, "/renvois/:id/coordonnees", view_referral_contact, ROUTE_SIGNED_IN},
	{HTTP_POST, "/renvois/:id/reception", view_referral_acknowledge, ROUTE_SIGNED_IN},
	{HTTP_POST, "/renvois/:id/prise-en-charge", view_referral_take, ROUTE_SIGNED_IN},
	{HTTP_POST, "/renvois/:id/refus", view_referral_refuse, ROUTE_SIGNED_IN},
	{HTTP_POST, "/renvois/:id/reorientation", view_referral_reorient, ROUTE_SIGNED_IN},
	{HTTP_POST, "/renvois/:id/perdue", view_referral_lost, ROUTE_SIGNED_IN},
	{HTTP_GET, "/renvois/:id/trajectoire", view_referral_trajectory, ROUTE_SIGNED_IN},

	/* -- corridors and directory (issue 4) -- */
	{HTTP_GET, "/corridors", view_corridors, ROUTE_SIGNED_IN},
	{HTTP_GET, "/corridors/nouveau", view_corridor_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/corridors/nouveau", view_corridor_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/corridors/:id", view_corridor_show, ROUTE_SIGNED_IN},
	{HTTP_GET, "/corridors/:id/modifier", view_corridor_edit, ROUTE_SIGNED_IN},
	{HTTP_POST, "/corridors/:id/modifier", view_corridor_update, ROUTE_SIGNED_IN},
	{HTTP_GET, "/repertoire", view_directory, ROUTE_SIGNED_IN},
	{HTTP_GET, "/repertoire/chevauchements", view_directory_overlaps, ROUTE_SIGNED_IN},
	{HTTP_GET, "/repertoire/qui-appeler", view_directory_search, ROUTE_SIGNED_IN},
	{HTTP_GET, "/repertoire/hsds", view_directory_hsds, ROUTE_SIGNED_IN},

	/* -- team: positions, supervision, support (issue 6) -- */
	{HTTP_GET, "/equipe", view_team_hub, ROUTE_SIGNED_IN},
	{HTTP_POST, "/equipe/cible", view_team_target, ROUTE_SIGNED_IN},
	{HTTP_GET, "/equipe/postes", view_positions, ROUTE_SIGNED_IN},
	{HTTP_GET, "/equipe/postes/nouveau", view_position_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/equipe/postes/nouveau", view_position_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/equipe/postes/:id", view_position_show, ROUTE_SIGNED_IN},
	{HTTP_POST, "/equipe/postes/:id/titulaire", view_position_holder, ROUTE_SIGNED_IN},
	{HTTP_GET, "/equipe/encadrement/nouveau", view_supervision_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/equipe/encadrement/nouveau", view_supervision_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/equipe/soutien/:id", view_support_show, ROUTE_SIGNED_IN},
	{HTTP_POST, "/equipe/soutien/:id/accuser", view_support_acknowledge, ROUTE_SIGNED_IN},
	{HTTP_POST, "/equipe/soutien/:id/fermer", view_support_close, ROUTE_SIGNED_IN},
	{HTTP_GET, "/moi/encadrement", view_my_supervision, ROUTE_SIGNED_IN},
	{HTTP_GET, "/moi/soutien", view_my_support, ROUTE_SIGNED_IN},
	{HTTP_POST, "/moi/soutien", view_my_support_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/moi/soutien/:id", view_support_show, ROUTE_SIGNED_IN},

	/* -- surveys and projects (issue 6) -- */
	{HTTP_GET, "/sondages", view_surveys, ROUTE_SIGNED_IN},
	{HTTP_POST, "/sondages", view_survey_answer, ROUTE_SIGNED_IN},
	{HTTP_POST, "/sondages/campagnes", view_survey_campaign_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/sondages/familles/nouveau", view_family_paper_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/sondages/familles/nouveau", view_family_paper_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/s/:token", view_public_survey, ROUTE_PUBLIC},
	{HTTP_POST, "/s/:token", view_public_survey_submit, ROUTE_PUBLIC},
	{HTTP_GET, "/s/:token/merci", view_public_survey_thanks, ROUTE_PUBLIC},
	{HTTP_GET, "/projets", view_projects, ROUTE_SIGNED_IN},
	{HTTP_GET, "/projets/nouveau", view_project_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/projets/nouveau", view_project_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/projets/:id", view_project_show, ROUTE_SIGNED_IN},
	{HTTP_GET, "/projets/:id/modifier", view_project_edit, ROUTE_SIGNED_IN},
	{HTTP_POST, "/projets/:id/modifier", view_project_update, ROUTE_SIGNED_IN},
	{HTTP_POST, "/projets/:id/jeton", view_project_token, ROUTE_SIGNED_IN},

	/* -- stories, service gaps, presentations -- */
	{HTTP_GET, "/recits", view_stories, ROUTE_SIGNED_IN},
	{HTTP_GET, "/recits/nouveau", view_story_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/recits/nouveau", view_story_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/recits/selection", view_story_selection, ROUTE_SIGNED_IN},
	{HTTP_GET, "/recits/:id", view_story_show, ROUTE_SIGNED_IN},
	{HTTP_GET, "/recits/:id/modifier", view_story_edit, ROUTE_SIGNED_IN},
	{HTTP_POST, "/recits/:id/modifier", view_story_update, ROUTE_SIGNED_IN},
	{HTTP_POST, "/recits/:id/selection", view_story_select, ROUTE_SIGNED_IN},
	{HTTP_GET, "/trous", view_service_gaps, ROUTE_SIGNED_IN},
	{HTTP_GET, "/trous/nouveau", view_service_gap_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/trous/nouveau", view_service_gap_create, ROUTE_SIGNED_IN},
	{HTTP_POST, "/trous/:id/lier", view_service_gap_link, ROUTE_SIGNED_IN},

	/* -- reports and dashboards (issue 5) -- */
	{HTTP_GET, "/statistiques", view_rc_stats, ROUTE_SIGNED_IN},
	{HTTP_GET, "/statistiques/fichier", view_rc_stats_file, ROUTE_SIGNED_IN},
	{HTTP_GET, "/tableaux", view_dash_index, ROUTE_SIGNED_IN},
	{HTTP_GET, "/tableaux/territoire", view_dash_territory, ROUTE_SIGNED_IN},
	{HTTP_GET, "/tableaux/organisation", view_dash_organisation, ROUTE_SIGNED_IN},
	{HTTP_GET, "/tableaux/comparaison", view_dash_comparison, ROUTE_SIGNED_IN},
	{HTTP_GET, "/tableaux/comparaison/fichier", view_dash_comparison_file, ROUTE_SIGNED_IN},
	{HTTP_GET, "/tableaux/moi", view_dash_mine, ROUTE_SIGNED_IN},
	{HTTP_GET, "/tableaux/rapport", view_dash_report_file, ROUTE_SIGNED_IN},
	/* -- the installable web app (issue 11) -- */
	{HTTP_GET, "/sw.js", view_service_worker, ROUTE_PUBLIC},
	{HTTP_GET, "/manifest.webmanifest", view_manifest, ROUTE_PUBLIC},

	/* -- administration, settings, self-service (issue 13, part A) -- */
	{HTTP_GET, "/admin", view_admin_hub, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/comptes", view_admin_accounts, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/comptes/nouveau", view_admin_account_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/comptes/nouveau", view_admin_account_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/comptes/:id", view_admin_account_show, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/comptes/:id", view_admin_account_update, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/comptes/:id/desactiver", view_admin_account_deactivate,
	 ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/comptes/:id/reactiver", view_admin_account_reactivate, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/comptes/:id/reinitialiser", view_admin_account_reset, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/comptes/:id/deux-facteurs", view_admin_account_2fa_off,
	 ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/organisations", view_admin_orgs, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/organisations/nouvelle", view_admin_org_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/organisations/nouvelle", view_admin_org_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/organisations/:id", view_admin_org_show, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/organisations/:id", view_admin_org_update, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/secteurs", view_admin_sectors, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/secteurs", view_admin_sector_create, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/secteurs/:id", view_admin_sector_update, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/territoires", view_admin_territories, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/territoires", view_admin_territory_create, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/territoires/:id", view_admin_territory_update, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/listes", view_admin_lists, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/listes", view_admin_list_add, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/listes/:id/retirer", view_admin_list_retire, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/listes/:id/remettre", view_admin_list_restore, ROUTE_SIGNED_IN},
	{HTTP_GET, "/admin/parametres", view_admin_settings, ROUTE_SIGNED_IN},
	{HTTP_POST, "/admin/parametres", view_admin_settings_save, ROUTE_SIGNED_IN},
	{HTTP_GET, "/compte", view_account, ROUTE_SIGNED_IN},
	{HTTP_POST, "/compte/mot-de-passe", view_account_password, ROUTE_SIGNED_IN},
	{HTTP_POST, "/compte/sessions/fin", view_account_sign_out_everywhere, ROUTE_ENROLMENT},
	{HTTP_POST, "/compte/sessions/:id/fin", view_account_session_end, ROUTE_SIGNED_IN},
	{HTTP_GET, "/compte/deux-facteurs", view_twofactor, ROUTE_ENROLMENT},
	{HTTP_POST, "/compte/deux-facteurs/debut", view_twofactor_begin, ROUTE_ENROLMENT},
	{HTTP_POST, "/compte/deux-facteurs/activer", view_twofactor_enable, ROUTE_ENROLMENT},
	{HTTP_POST, "/compte/deux-facteurs/codes", view_twofactor_codes, ROUTE_SIGNED_IN},
	{HTTP_POST, "/compte/deux-facteurs/retirer", view_twofactor_disable, ROUTE_SIGNED_IN},
	{HTTP_GET, "/compte/lien/:token", view_account_link, ROUTE_PUBLIC},
	{HTTP_POST, "/compte/lien/:token", view_account_link_use, ROUTE_PUBLIC},
	{HTTP_GET, "/connexion/code", view_login_code_form, ROUTE_PUBLIC},
	{HTTP_POST, "/connexion/code", view_login_code_submit, ROUTE_PUBLIC | ROUTE_NO_UNIT},

	/* -- the person in charge of personal information (issue 13) -- */
	{HTTP_GET, "/confidentialite", view_privacy_hub, ROUTE_SIGNED_IN},
	{HTTP_POST, "/confidentialite/responsables", view_privacy_designate, ROUTE_SIGNED_IN},
	{HTTP_GET, "/confidentialite/journal", view_privacy_access, ROUTE_SIGNED_IN},
	{HTTP_GET, "/confidentialite/communications", view_privacy_communications, ROUTE_SIGNED_IN},
	{HTTP_GET, "/confidentialite/anonymisations", view_privacy_anonymisations, ROUTE_SIGNED_IN},
	{HTTP_GET, "/confidentialite/incidents", view_privacy_incidents, ROUTE_SIGNED_IN},
	{HTTP_GET, "/confidentialite/incidents/nouveau", view_privacy_incident_new,
	 ROUTE_SIGNED_IN},
	{HTTP_POST, "/confidentialite/incidents/nouveau", view_privacy_incident_create,
	 ROUTE_SIGNED_IN},
	{HTTP_GET, "/confidentialite/incidents/:id", view_privacy_incident_show, ROUTE_SIGNED_IN},
	{HTTP_POST, "/confidentialite/incidents/:id", view_privacy_incident_update,
	 ROUTE_SIGNED_IN},
	{HTTP_GET, "/confidentialite/conservation", view_privacy_retention, ROUTE_SIGNED_IN},
	{HTTP_POST, "/confidentialite/conservation", view_privacy_retention_set, ROUTE_SIGNED_IN},

	/* -- the committee maintains its territory (issue 13) -- */
	{HTTP_GET, "/territoire", view_territory, ROUTE_SIGNED_IN},
	{HTTP_POST, "/territoire/portrait", view_territory_portrait_add, ROUTE_SIGNED_IN},
	{HTTP_GET, "/territoire/postes/nouveau", view_territory_position_new, ROUTE_SIGNED_IN},
	{HTTP_POST, "/territoire/postes/nouveau", view_territory_position_create, ROUTE_SIGNED_IN},
	{HTTP_GET, "/territoire/postes/:id", view_territory_position, ROUTE_SIGNED_IN},
	{HTTP_POST, "/territoire/postes/:id", view_territory_position_update, ROUTE_SIGNED_IN},

};

const size_t view_routes_count = ARRAY_LEN(view_routes);
