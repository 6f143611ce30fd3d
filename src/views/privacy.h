/* The pages of the person in charge of the protection of personal
 * information (model/privacy.h), for an admin or a designated person:
 *   GET      /confidentialite                    the registers, the designations
 *   POST     /confidentialite/responsables       an admin designates a person
 *   GET      /confidentialite/journal            the access log (filters, pages;
 *                                                ?format=csv|xlsx exports it)
 *   GET      /confidentialite/communications     the register of communications
 *   GET      /confidentialite/anonymisations     the register of anonymisation
 *   GET      /confidentialite/incidents          the confidentiality incidents
 *   GET/POST /confidentialite/incidents/nouveau  record an incident
 *   GET/POST /confidentialite/incidents/:id      read and update one
 *   GET/POST /confidentialite/conservation       retention periods, what the
 *                                                next run would do
 * Every list takes ?du=&au= (default: the current fiscal year) and
 * ?format=csv|xlsx. Families appear by their number, never by name or
 * code. Anyone else: 404. */
#ifndef PROXIMA_VIEWS_PRIVACY_H
#define PROXIMA_VIEWS_PRIVACY_H

#include "views/view.h"

enum perr view_privacy_hub(struct request *req, struct response *resp);
enum perr view_privacy_designate(struct request *req, struct response *resp);
enum perr view_privacy_access(struct request *req, struct response *resp);
enum perr view_privacy_communications(struct request *req, struct response *resp);
enum perr view_privacy_anonymisations(struct request *req, struct response *resp);
enum perr view_privacy_incidents(struct request *req, struct response *resp);
enum perr view_privacy_incident_new(struct request *req, struct response *resp);
enum perr view_privacy_incident_create(struct request *req, struct response *resp);
enum perr view_privacy_incident_show(struct request *req, struct response *resp);
enum perr view_privacy_incident_update(struct request *req, struct response *resp);
enum perr view_privacy_retention(struct request *req, struct response *resp);
enum perr view_privacy_retention_set(struct request *req, struct response *resp);

#endif
