/* The referral pages (src/views/referrals.c):
 *   GET      /renvois                       my organisation's referrals, sent and received
 *   GET/POST /renvois/nouveau?famille=ID    refer a family (corridor, then its template)
 *   GET      /renvois/retards               the daily digest: overdue, both sides
 *   GET      /renvois/:id                   detail, history, action forms
 *   POST     /renvois/:id/coordonnees       the family's name and phone (receiving side, logged)
 *   POST     /renvois/:id/reception         acknowledge receipt
 *   POST     /renvois/:id/prise-en-charge   take in charge
 *   POST     /renvois/:id/refus             refuse (reason required)
 *   POST     /renvois/:id/reorientation     re-orient (loop warning, then confirm)
 *   POST     /renvois/:id/perdue            close as lost (sending side)
 *   GET      /renvois/:id/trajectoire       the family's path, step by step
 * Visibility is the model's (model/referral.h): anything else is a 404. */
#ifndef PROXIMA_VIEWS_REFERRALS_H
#define PROXIMA_VIEWS_REFERRALS_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

enum perr view_referrals(struct request *req, struct response *resp);
enum perr view_referral_new(struct request *req, struct response *resp);
enum perr view_referral_create(struct request *req, struct response *resp);
enum perr view_referrals_overdue(struct request *req, struct response *resp);
enum perr view_referral_show(struct request *req, struct response *resp);
enum perr view_referral_contact(struct request *req, struct response *resp);
enum perr view_referral_acknowledge(struct request *req, struct response *resp);
enum perr view_referral_take(struct request *req, struct response *resp);
enum perr view_referral_refuse(struct request *req, struct response *resp);
enum perr view_referral_reorient(struct request *req, struct response *resp);
enum perr view_referral_lost(struct request *req, struct response *resp);
enum perr view_referral_trajectory(struct request *req, struct response *resp);

#endif
