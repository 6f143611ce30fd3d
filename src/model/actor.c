#include "model/actor.h"

#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "core/util.h"

static const struct {
	enum role role;
	const char *code;
	const char *label;
} roles[] = {
	{ROLE_PAP, "pap", N_("Personne agente de proximité")},
	{ROLE_GESTIONNAIRE, "gestionnaire", N_("Gestionnaire")},
	{ROLE_COMITE, "comite", N_("Comité d'arrimage")},
	{ROLE_ANALYSTE, "analyste", N_("Analyste")},
	{ROLE_ADMIN, "admin", N_("Administration")},
};

enum role role_parse(const char *s)
{
	for (size_t i = 0; s && i < ARRAY_LEN(roles); i++)
		if (strcmp(s, roles[i].code) == 0)
			return roles[i].role;
	return ROLE_NONE;
}

const char *role_code(enum role r)
{
	for (size_t i = 0; i < ARRAY_LEN(roles); i++)
		if (roles[i].role == r)
			return roles[i].code;
	return "";
}

const char *role_label(enum role r)
{
	for (size_t i = 0; i < ARRAY_LEN(roles); i++)
		if (roles[i].role == r)
			return roles[i].label;
	return "";
}

bool actor_keeps_journal(const struct actor *a)
{
	return a && (a->role == ROLE_PAP || a->role == ROLE_GESTIONNAIRE) && a->organisation_id;
}

const char *actor_outbox_account(struct arena *ar, const struct actor *a)
{
	return arena_printf(ar, "p%lld", (long long)a->person_id);
}
