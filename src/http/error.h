/* The one place that maps errors to HTTP: enum perr -> status, reason
 * phrase, stable code and the message a user reads (French msgid; the
 * caller translates it). */
#ifndef PROXIMA_HTTP_ERROR_H
#define PROXIMA_HTTP_ERROR_H

#include "core/err.h"

/* HTTP status for e (PERR_OK gives 200). */
int http_status(enum perr e);

/* Reason phrase of a status ("Not Found"). */
const char *http_reason(int status);

/* User-facing message for e, as a French msgid. */
const char *perr_message(enum perr e);

#endif
