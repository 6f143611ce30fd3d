/* Administration pages (issue 13, part A). The model decides who may do
 * what (model/person.h, organisation.h, refdata.h, settings.h); a page
 * the actor may not reach answers 404, so nothing leaks.
 *   GET      /admin                            the hub (admin; manager: own organisation)
 *   GET      /admin/comptes                    accounts (admin: all, by organisation;
 *                                              manager: own organisation's)
 *   GET/POST /admin/comptes/nouveau            invite: the account and its one-time link
 *   GET/POST /admin/comptes/:id                one account: its name, role, organisation,
 *                                              territory
 *   POST     /admin/comptes/:id/desactiver     deactivate (sessions, tokens, links end)
 *   POST     /admin/comptes/:id/reactiver      reactivate
 *   POST     /admin/comptes/:id/reinitialiser  a one-time link to choose a new password
 *   POST     /admin/comptes/:id/deux-facteurs  turn the person's two-factor sign-in off
 *   GET      /admin/organisations              organisations (admin)
 *   GET/POST /admin/organisations/nouvelle     create one
 *   GET/POST /admin/organisations/:id          one: name, sector, territories served
 *                                              (manager: reads their own)
 *   GET/POST /admin/secteurs                   sectors with their English names, add
 *   POST     /admin/secteurs/:id               rename a sector
 *   GET/POST /admin/territoires                the hierarchy, add a territory
 *   POST     /admin/territoires/:id            rename, retype or move a territory
 *   GET/POST /admin/listes                     an organisation's own reference entries
 *   POST     /admin/listes/:id/retirer         retire one / POST .../remettre offer it again
 *   GET/POST /admin/parametres                 the settings (admin) */
#ifndef PROXIMA_VIEWS_ADMIN_H
#define PROXIMA_VIEWS_ADMIN_H

#include "db/db.h"
#include "views/view.h"

enum perr view_admin_hub(struct request *req, struct response *resp);
enum perr view_admin_accounts(struct request *req, struct response *resp);
enum perr view_admin_account_new(struct request *req, struct response *resp);
enum perr view_admin_account_create(struct request *req, struct response *resp);
enum perr view_admin_account_show(struct request *req, struct response *resp);
enum perr view_admin_account_update(struct request *req, struct response *resp);
enum perr view_admin_account_deactivate(struct request *req, struct response *resp);
enum perr view_admin_account_reactivate(struct request *req, struct response *resp);
enum perr view_admin_account_reset(struct request *req, struct response *resp);
enum perr view_admin_account_2fa_off(struct request *req, struct response *resp);

enum perr view_admin_orgs(struct request *req, struct response *resp);
enum perr view_admin_org_new(struct request *req, struct response *resp);
enum perr view_admin_org_create(struct request *req, struct response *resp);
enum perr view_admin_org_show(struct request *req, struct response *resp);
enum perr view_admin_org_update(struct request *req, struct response *resp);
enum perr view_admin_sectors(struct request *req, struct response *resp);
enum perr view_admin_sector_create(struct request *req, struct response *resp);
enum perr view_admin_sector_update(struct request *req, struct response *resp);
enum perr view_admin_territories(struct request *req, struct response *resp);
enum perr view_admin_territory_create(struct request *req, struct response *resp);
enum perr view_admin_territory_update(struct request *req, struct response *resp);
enum perr view_admin_lists(struct request *req, struct response *resp);
enum perr view_admin_list_add(struct request *req, struct response *resp);
enum perr view_admin_list_retire(struct request *req, struct response *resp);
enum perr view_admin_list_restore(struct request *req, struct response *resp);

enum perr view_admin_settings(struct request *req, struct response *resp);
enum perr view_admin_settings_save(struct request *req, struct response *resp);

/* Shared by the administration and account pages. */

/* What the model's answer r to a form's write means for the page: 0
 * written (PERR_OK), >0 refused with the reasons in the form's validation
 * (PERR_UNPROCESSABLE), <0 failed (PERR_UNAVAILABLE). The pipeline commits
 * or rolls back; the form comes back on both failures once the page has
 * called view_form_posted. */
enum perr admin_written(int r);

/* Writes the notice of ?ok=CODE when CODE is one of codes (texts are the
 * matching French msgids; n of each). */
void admin_notice(struct request *req, struct response *resp, const char *const *codes,
		  const char *const *texts, size_t n);

/* A Unix time as a medium local date and time ("12 mars 2026, 14 h 05"),
 * an arena string. */
const char *admin_time(struct request *req, int64_t t);

/* Shows a one-time link (ACCOUNT_LINK_PATH + token) once, with who it is
 * for and when it expires. */
void admin_show_link(struct request *req, struct response *resp, const char *token,
		     int64_t expires_at);

#endif
