/* Team follow-up pages (src/views/team.c): positions over time with the
 * hand-over, supervision, support requests. */
#ifndef PROXIMA_VIEWS_TEAM_H
#define PROXIMA_VIEWS_TEAM_H

#include "views/view.h"

/* Managers (and admins for positions). */
enum perr view_team_hub(struct request *req, struct response *resp);
enum perr view_team_target(struct request *req, struct response *resp);
enum perr view_positions(struct request *req, struct response *resp);
enum perr view_position_new(struct request *req, struct response *resp);
enum perr view_position_create(struct request *req, struct response *resp);
enum perr view_position_show(struct request *req, struct response *resp);
enum perr view_position_holder(struct request *req, struct response *resp);
enum perr view_supervision_new(struct request *req, struct response *resp);
enum perr view_supervision_create(struct request *req, struct response *resp);
enum perr view_support_show(struct request *req, struct response *resp);
enum perr view_support_acknowledge(struct request *req, struct response *resp);
enum perr view_support_close(struct request *req, struct response *resp);

/* A PAP's own pages. */
enum perr view_my_supervision(struct request *req, struct response *resp);
enum perr view_my_support(struct request *req, struct response *resp);
enum perr view_my_support_create(struct request *req, struct response *resp);

#endif
