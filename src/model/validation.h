/* Field-level validation results, shared by every input path (web forms,
 * JSON API, import). Messages are French msgids; the view translates. */
#ifndef PROXIMA_VALIDATION_H
#define PROXIMA_VALIDATION_H

#include <stddef.h>

#define VALIDATION_MAX 24

struct field_error {
	const char *field;   /* interchange field name, e.g. "duration_min" */
	const char *message; /* French msgid */
};

struct validation {
	struct field_error errs[VALIDATION_MAX];
	size_t n;
};

/* Records an error (extra errors past VALIDATION_MAX are dropped). */
void validation_add(struct validation *v, const char *field, const char *message);

/* The message for field, or NULL. */
const char *validation_get(const struct validation *v, const char *field);

#endif
