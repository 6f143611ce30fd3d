/* Service gaps (trous de service): the pages of src/views/service_gaps.c
 * (/trous…). */
#ifndef PROXIMA_VIEWS_SERVICE_GAPS_H
#define PROXIMA_VIEWS_SERVICE_GAPS_H

#include "core/err.h"
#include "http/request.h"
#include "http/response.h"

enum perr view_service_gaps(struct request *req, struct response *resp);
enum perr view_service_gap_new(struct request *req, struct response *resp);
enum perr view_service_gap_create(struct request *req, struct response *resp);
enum perr view_service_gap_link(struct request *req, struct response *resp);

#endif
