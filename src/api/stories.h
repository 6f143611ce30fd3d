/* /api/v1/stories and /api/v1/service-gaps (src/api/stories.c; docs in
 * docs/en/stories-gaps.md and docs/api.md). Records are addressed by their
 * external id; visibility is the model's (model/story.h,
 * model/service_gap.h). */
#ifndef PROXIMA_API_STORIES_H
#define PROXIMA_API_STORIES_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

enum perr api_story_list(struct request *req, struct response *resp);
enum perr api_story_create(struct request *req, struct response *resp);
enum perr api_story_get(struct request *req, struct response *resp);
enum perr api_story_replace(struct request *req, struct response *resp);
enum perr api_story_select(struct request *req, struct response *resp);
enum perr api_service_gap_list(struct request *req, struct response *resp);
enum perr api_service_gap_create(struct request *req, struct response *resp);

#endif
