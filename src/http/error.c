#include "http/error.h"

#include "core/i18n.h"
#include "core/util.h"

static const struct {
	enum perr e;
	int status;
	const char *code;
	const char *message;
} map[] = {
	{PERR_OK, 200, "ok", N_("Tout va bien.")},
	{PERR_INVALID, 400, "invalid_request", N_("La requête est invalide.")},
	{PERR_UNAUTHENTICATED, 401, "unauthenticated", N_("Veuillez vous connecter.")},
	{PERR_FORBIDDEN, 403, "forbidden", N_("Cette action n'est pas permise.")},
	{PERR_NOT_FOUND, 404, "not_found", N_("Cette page n'existe pas.")},
	{PERR_METHOD, 405, "method_not_allowed", N_("Cette méthode n'est pas acceptée ici.")},
	{PERR_CONFLICT, 409, "conflict", N_("Cette action entre en conflit avec l'état actuel.")},
	{PERR_TOO_LARGE, 413, "payload_too_large", N_("Le contenu envoyé est trop volumineux.")},
	{PERR_UNSUPPORTED, 415, "unsupported_media_type",
	 N_("Ce type de contenu n'est pas accepté.")},
	{PERR_UNPROCESSABLE, 422, "validation_failed", N_("Certaines valeurs sont invalides.")},
	{PERR_TOO_MANY, 429, "too_many_requests",
	 N_("Trop de tentatives. Réessayez dans quelques minutes.")},
	{PERR_INTERNAL, 500, "internal_error",
	 N_("Une erreur interne est survenue. Elle a été consignée.")},
	{PERR_UNAVAILABLE, 503, "unavailable", N_("Le service est momentanément indisponible.")},
	{PERR_FULL, 507, "insufficient_storage",
	 N_("Le disque du serveur est plein : rien n'a été enregistré. Réessayez plus tard et "
	    "prévenez l'administrateur du système si cela se répète.")},
	{PERR_GONE, 410, "gone", N_("Cette page n'est plus disponible.")},
	{PERR_PRECONDITION, 412, "precondition_failed",
	 N_("Cet élément a été modifié ailleurs depuis que vous l'avez lu.")},
};

/* The table is in enum order; an unknown value is treated as internal. */
static size_t find(enum perr e)
{
	size_t i = (size_t)e < ARRAY_LEN(map) ? (size_t)e : (size_t)PERR_INTERNAL;
	BUG_ON(map[i].e != (enum perr)i);
	return i;
}

int http_status(enum perr e)
{
	return map[find(e)].status;
}

const char *perr_code(enum perr e)
{
	return map[find(e)].code;
}

const char *perr_message(enum perr e)
{
	return map[find(e)].message;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	default: return "Unknown";
	}
}
