#include "model/validation.h"

#include <string.h>

void validation_add(struct validation *v, const char *field, const char *message)
{
	if (v->n < VALIDATION_MAX) {
		v->errs[v->n].field = field;
		v->errs[v->n].message = message;
		v->n++;
	}
}

const char *validation_get(const struct validation *v, const char *field)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->errs[i].field, field) == 0)
			return v->errs[i].message;
	return NULL;
}
