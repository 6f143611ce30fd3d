/* Dashboards (src/views/dashboards.c): the territory's (committee), the
 * organisation's (manager), the comparison of territories (analyst) and
 * "my work" (PAP), plus the report files of a dashboard's scope. */
#ifndef PROXIMA_VIEWS_DASHBOARDS_H
#define PROXIMA_VIEWS_DASHBOARDS_H

#include "views/view.h"

/* GET /tableaux: redirects to the caller's dashboard. */
enum perr view_dash_index(struct request *req, struct response *resp);
/* GET /tableaux/territoire[?territoire=&du=&au=&png=] */
enum perr view_dash_territory(struct request *req, struct response *resp);
/* GET /tableaux/organisation[?du=&au=&png=] */
enum perr view_dash_organisation(struct request *req, struct response *resp);
/* GET /tableaux/comparaison[?parent=&du=&au=&png=] */
enum perr view_dash_comparison(struct request *req, struct response *resp);

/* Makes resp a download named name: every file Proxima gives to download
 * is named here. Anything in name but letters, digits, '-' and '.' is
 * replaced by '_' (in place), so the header stays well-formed. */
void dash_attachment(struct request *req, struct response *resp, char *name);

/* GET /tableaux/comparaison/fichier?format=csv|xlsx|pdf[&parent=&du=&au=]:
 * the comparison as a file (reports/compare.h), in the person's language. */
enum perr view_dash_comparison_file(struct request *req, struct response *resp);
/* GET /tableaux/moi[?png=] */
enum perr view_dash_mine(struct request *req, struct response *resp);
/* GET /tableaux/rapport?format=csv|xlsx|pdf|html&territoire=&du=&au= */
enum perr view_dash_report_file(struct request *req, struct response *resp);

#endif
