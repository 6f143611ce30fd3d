/* Survey pages (src/views/surveys.c):
 *   GET      /sondages                    PAP: the due survey; manager/admin:
 *                                         campaigns and team aggregates
 *   POST     /sondages                    a PAP's answer
 *   POST     /sondages/campagnes          a new campaign window
 *   GET/POST /sondages/familles/nouveau   a family answer from a paper form
 *   GET/POST /s/:token                    the public family form (no account)
 *   GET      /s/:token/merci              its thank-you page */
#ifndef PROXIMA_VIEWS_SURVEYS_H
#define PROXIMA_VIEWS_SURVEYS_H

#include "model/survey.h"
#include "views/view.h"

enum perr view_surveys(struct request *req, struct response *resp);
enum perr view_survey_answer(struct request *req, struct response *resp);
enum perr view_survey_campaign_create(struct request *req, struct response *resp);
enum perr view_family_paper_new(struct request *req, struct response *resp);
enum perr view_family_paper_create(struct request *req, struct response *resp);
enum perr view_public_survey(struct request *req, struct response *resp);
enum perr view_public_survey_submit(struct request *req, struct response *resp);
enum perr view_public_survey_thanks(struct request *req, struct response *resp);

/* Writes the aggregates of agg (items of type t) as a table, or the
 * suppression notice when they are not shown. Used by the project page. */
void view_survey_aggregate(struct request *req, struct response *resp, enum survey_type t,
			   const struct survey_aggregate *agg);

/* The home page's reminder: a notice linking to /sondages when a PAP
 * survey is due for the signed-in person; nothing otherwise. */
void view_survey_reminder(struct request *req, struct response *resp);

#endif
