/* /api/v1 endpoints of team follow-up (src/api/team.c, docs/en/team.md):
 * positions with holder changes and hand-over, supervision, support
 * requests. Same visibility as the pages (the model's): 404 otherwise. */
#ifndef PROXIMA_API_TEAM_H
#define PROXIMA_API_TEAM_H

#include "api/api.h"

enum perr api_position_list(struct request *req, struct response *resp);
enum perr api_position_get(struct request *req, struct response *resp);
enum perr api_position_create(struct request *req, struct response *resp);
enum perr api_position_holders(struct request *req, struct response *resp);
enum perr api_position_close(struct request *req, struct response *resp);
enum perr api_supervision_list(struct request *req, struct response *resp);
enum perr api_supervision_create(struct request *req, struct response *resp);
enum perr api_support_list(struct request *req, struct response *resp);
enum perr api_support_get(struct request *req, struct response *resp);
enum perr api_support_create(struct request *req, struct response *resp);
enum perr api_support_acknowledge(struct request *req, struct response *resp);
enum perr api_support_close(struct request *req, struct response *resp);

#endif
