/* /api/v1/referrals (src/api/referrals.c, docs/api.md): the referral
 * workflow in JSON, with the interchange's `referral` field names.
 *   GET  /api/v1/referrals                 my organisation's; direction, status, overdue
 *   POST /api/v1/referrals                 send one (corridor + fields, or to_organisation)
 *   GET  /api/v1/referrals/:id             one, with its history (and, for the
 *                                          receiving side, the family's contact, logged)
 *   POST /api/v1/referrals/:id/acknowledge|take|refuse|reorient|lost
 * Visibility is the model's (model/referral.h): anything else is a 404. */
#ifndef PROXIMA_API_REFERRALS_H
#define PROXIMA_API_REFERRALS_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

enum perr api_referral_list(struct request *req, struct response *resp);
enum perr api_referral_create(struct request *req, struct response *resp);
enum perr api_referral_get(struct request *req, struct response *resp);
enum perr api_referral_acknowledge(struct request *req, struct response *resp);
enum perr api_referral_take(struct request *req, struct response *resp);
enum perr api_referral_refuse(struct request *req, struct response *resp);
enum perr api_referral_reorient(struct request *req, struct response *resp);
enum perr api_referral_lost(struct request *req, struct response *resp);

#endif
