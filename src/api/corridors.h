/* JSON API of corridors and of the directory (src/api/corridors.c; docs
 * in docs/fr/corridors-repertoire.md and docs/en/corridors-directory.md):
 *   GET  /api/v1/corridors[?territory=]      corridors the caller may read
 *   POST /api/v1/corridors                   create (committee of the territory, admin)
 *   GET  /api/v1/corridors/:id               one corridor (external id)
 *   PUT  /api/v1/corridors/:id               replace it
 *   GET  /api/v1/directory?territory=[&date=]           positions, mandates, presentations
 *   GET  /api/v1/directory/overlaps?territory=&from=&to= the overlap of mandates
 * Fields are interchange.md's `corridor` kind, plus target_priority. */
#ifndef PROXIMA_API_CORRIDORS_H
#define PROXIMA_API_CORRIDORS_H

#include "api/api.h"

enum perr api_corridor_list(struct request *req, struct response *resp);
enum perr api_corridor_create(struct request *req, struct response *resp);
enum perr api_corridor_get(struct request *req, struct response *resp);
enum perr api_corridor_replace(struct request *req, struct response *resp);
enum perr api_directory(struct request *req, struct response *resp);
enum perr api_directory_overlaps(struct request *req, struct response *resp);

#endif
