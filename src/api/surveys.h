/* /api/v1/projects and /api/v1/surveys (src/api/surveys.c; documented in
 * docs/fr/sondages-projets.md and docs/en/surveys-projects.md):
 *   GET  /api/v1/projects              projects the person may see
 *   POST /api/v1/projects              create (committee of the territory, admin)
 *   GET  /api/v1/projects/:id          one project (external id), with its
 *                                      family-survey aggregates
 *   PUT  /api/v1/projects/:id          replace its fields
 *   POST /api/v1/surveys               a PAP's own answer, or a family answer
 *                                      entered by a PAP
 *   GET  /api/v1/surveys/aggregates    team (organisation=) or project
 *                                      (project=) aggregates, threshold rule */
#ifndef PROXIMA_API_SURVEYS_H
#define PROXIMA_API_SURVEYS_H

#include "api/api.h"

enum perr api_project_list(struct request *req, struct response *resp);
enum perr api_project_create(struct request *req, struct response *resp);
enum perr api_project_get(struct request *req, struct response *resp);
enum perr api_project_replace(struct request *req, struct response *resp);
enum perr api_survey_create(struct request *req, struct response *resp);
enum perr api_survey_aggregates(struct request *req, struct response *resp);

#endif
