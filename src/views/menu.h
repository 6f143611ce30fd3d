/* The site map by role: one table says which pages each role reaches, which
 * of them sit in the top navigation (a few, so it fits on a phone) and how
 * they group on the "Plus" page (/menu), so navigation and menu never
 * disagree. */
#ifndef PROXIMA_VIEWS_MENU_H
#define PROXIMA_VIEWS_MENU_H

#include "views/view.h"

/* Writes the top navigation for the signed-in actor of req. */
void menu_write_nav(struct request *req, struct response *resp);

/* GET /menu: every page the actor may reach, by group. */
enum perr view_menu(struct request *req, struct response *resp);

#endif
