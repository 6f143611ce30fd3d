/* Arrimage project pages (src/views/projects.c):
 *   GET      /projets                 the projects the person may see
 *   GET/POST /projets/nouveau         create (committee of the territory, admin)
 *   GET      /projets/:id             details, partners, stories, survey link
 *                                     and family-survey results (suppressed
 *                                     under the threshold)
 *   GET/POST /projets/:id/modifier    edit
 *   POST     /projets/:id/jeton       regenerate the survey link */
#ifndef PROXIMA_VIEWS_PROJECTS_H
#define PROXIMA_VIEWS_PROJECTS_H

#include "views/view.h"

enum perr view_projects(struct request *req, struct response *resp);
enum perr view_project_new(struct request *req, struct response *resp);
enum perr view_project_create(struct request *req, struct response *resp);
enum perr view_project_show(struct request *req, struct response *resp);
enum perr view_project_edit(struct request *req, struct response *resp);
enum perr view_project_update(struct request *req, struct response *resp);
enum perr view_project_token(struct request *req, struct response *resp);

#endif
