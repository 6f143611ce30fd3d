/* The committee maintains its territory: the portrait and the positions
 * (views/territory.c). */
#ifndef PROXIMA_VIEWS_TERRITORY_H
#define PROXIMA_VIEWS_TERRITORY_H

#include "views/view.h"

enum perr view_territory(struct request *req, struct response *resp);
enum perr view_territory_portrait_add(struct request *req, struct response *resp);
enum perr view_territory_position_new(struct request *req, struct response *resp);
enum perr view_territory_position_create(struct request *req, struct response *resp);
enum perr view_territory_position(struct request *req, struct response *resp);
enum perr view_territory_position_update(struct request *req, struct response *resp);

#endif
