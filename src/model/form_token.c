/* One-time form tokens (form_token.h). */
#include "model/form_token.h"

#include <sodium.h>
#include <string.h>

#include "core/util.h"
#include "model/row.h"

#define RANDOM_BYTES 16
#define RANDOM_CHARS 22 /* base64url of 16 bytes, without padding */

const char *form_token_new(struct arena *a, int64_t now)
{
	unsigned char raw[RANDOM_BYTES];
	randombytes_buf(raw, sizeof(raw));
	char rnd[sodium_base64_ENCODED_LEN(RANDOM_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	sodium_bin2base64(rnd, sizeof(rnd), raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return arena_printf(a, "%lld.%s", (long long)now, rnd);
}

static bool base64url(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

int form_token_issued(const char *token, int64_t now, int64_t *issued)
{
	const char *dot = token ? strchr(token, '.') : NULL;
	if (!dot || dot == token || dot - token > 19 || strlen(dot + 1) != RANDOM_CHARS)
		return -1;
	for (const char *p = dot + 1; *p; p++)
		if (!base64url(*p))
			return -1;
	char digits[20];
	memcpy(digits, token, (size_t)(dot - token));
	digits[dot - token] = '\0';
	if (digits[0] == '0' || parse_i64(digits, 1, now + FORM_TOKEN_TTL, issued) < 0)
		return -1;
	return 0;
}

bool form_token_expired(int64_t issued, int64_t now)
{
	return issued < now - FORM_TOKEN_TTL;
}

int form_token_find(struct db *db, struct arena *a, int64_t person_id, const char *token,
		    const char **path, const char **location)
{
	struct db_stmt *s = db_stmt(db, STMT_FORM_TOKEN_GET);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_text(s, 2, token);
	int r = row_fetch(db, s, "form_token.get");
	if (r != 0)
		return r;
	*path = db_col_text(a, s, 0);
	*location = db_col_text(a, s, 1);
	db_reset(s);
	return 0;
}

int form_token_store(struct db *db, int64_t person_id, const char *token, const char *path,
		     const char *location, int64_t now)
{
	struct db_stmt *s = db_stmt(db, STMT_FORM_TOKEN_PUT);
	if (!s)
		return -1;
	db_bind_int64(s, 1, person_id);
	db_bind_text(s, 2, token);
	db_bind_text(s, 3, path);
	db_bind_text(s, 4, location);
	db_bind_int64(s, 5, now);
	if (row_exec(db, s, "form_token.put") < 0)
		return -1;
	return db_changes(db) == 1 ? 0 : 1;
}

int64_t form_token_purge(struct db *db, int64_t before)
{
	struct db_stmt *s = db_stmt(db, STMT_FORM_TOKEN_PURGE);
	if (!s)
		return -1;
	db_bind_int64(s, 1, before);
	if (row_exec(db, s, "form_token.purge") < 0)
		return -1;
	return db_changes(db);
}
