/* Stories (récits): the pages of src/views/stories.c (/recits…). */
#ifndef PROXIMA_VIEWS_STORIES_H
#define PROXIMA_VIEWS_STORIES_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

enum perr view_stories(struct request *req, struct response *resp);
enum perr view_story_new(struct request *req, struct response *resp);
enum perr view_story_create(struct request *req, struct response *resp);
enum perr view_story_selection(struct request *req, struct response *resp);
enum perr view_story_show(struct request *req, struct response *resp);
enum perr view_story_edit(struct request *req, struct response *resp);
enum perr view_story_update(struct request *req, struct response *resp);
enum perr view_story_select(struct request *req, struct response *resp);

#endif
