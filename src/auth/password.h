/* Password hashing with argon2id (libsodium's crypto_pwhash_str). */
#ifndef PROXIMA_PASSWORD_H
#define PROXIMA_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_LEN 10
#define PASSWORD_MAX_LEN 256
#define PASSWORD_HASH_LEN 128 /* crypto_pwhash_STRBYTES */

/* Reads the test hook PROXIMA_TEST_FAST_HASH (=1: the cheapest hash, for
 * tests only) from the environment. The command line calls it once at
 * start-up, before threads; a unit test calls it after setting the
 * variable. Never reads the environment otherwise. */
void password_hooks_load(void);

/* Hashes password into out (PASSWORD_HASH_LEN bytes, NUL-terminated).
 * Returns 0, or -1 when out of memory for the hash. */
int password_hash(const char *password, char out[PASSWORD_HASH_LEN]);

/* 0 when password matches hash, else -1. Takes the same time for an
 * unknown user when hash is NULL (a dummy hash is verified). */
int password_verify(const char *hash, const char *password);

/* Why password is not acceptable (a French msgid), or NULL when it is:
 * at least PASSWORD_MIN_LEN characters, at most PASSWORD_MAX_LEN bytes. */
const char *password_weakness(const char *password);

#endif
