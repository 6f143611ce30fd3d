/* Pages of the referral corridors (src/views/corridors.c):
 *   GET      /corridors                 the corridors of a territory (?territoire=)
 *   GET/POST /corridors/nouveau         create (committee of the territory, admin)
 *   GET      /corridors/:id             one corridor, printable
 *   GET/POST /corridors/:id/modifier    change it
 * Readers: every role of the territory; writers: its committee and admin.
 * A corridor the actor may not read answers 404; a reader who may not
 * write gets 403 on the forms. */
#ifndef PROXIMA_VIEWS_CORRIDORS_H
#define PROXIMA_VIEWS_CORRIDORS_H

#include "views/view.h"

enum perr view_corridors(struct request *req, struct response *resp);
enum perr view_corridor_new(struct request *req, struct response *resp);
enum perr view_corridor_create(struct request *req, struct response *resp);
enum perr view_corridor_show(struct request *req, struct response *resp);
enum perr view_corridor_edit(struct request *req, struct response *resp);
enum perr view_corridor_update(struct request *req, struct response *resp);

#endif
