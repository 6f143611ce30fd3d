/* Time-based one-time passwords (TOTP, RFC 6238) over HOTP (RFC 4226),
 * computed by Debian's liboath. Proxima's codes are the authenticator
 * apps' common choice: HMAC-SHA-1, 6 digits, 30-second steps (apps ignore
 * or mishandle the other algorithms, which RFC 6238 allows; they are
 * offered here only so that the RFC's test vectors can all be checked).
 * Secrets are 20 random bytes (RFC 4226's recommended 160 bits), shown to
 * the person in base32 (RFC 4648, no padding) and as an otpauth:// URI. */
#ifndef PROXIMA_TOTP_H
#define PROXIMA_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

#define TOTP_SECRET_LEN 20
#define TOTP_DIGITS 6
#define TOTP_STEP 30
#define TOTP_MAX_DIGITS 8

enum totp_algo { TOTP_SHA1, TOTP_SHA256, TOTP_SHA512 };

/* The code of key (n bytes) at Unix time t, digits long (6 to 8), with
 * 30-second steps counted from 0, into out (NUL-terminated, zero-padded).
 * Returns 0, or -1 on a bad argument. */
int totp_code(const unsigned char *key, size_t n, int64_t t, int digits, enum totp_algo algo,
	      char out[TOTP_MAX_DIGITS + 1]);

/* The time step of t: floor(t / TOTP_STEP). */
int64_t totp_step(int64_t t);

/* Checks a 6-digit SHA-1 code typed by a person (spaces ignored) against
 * key at time now, allowing one step of clock drift either way, and
 * refusing any step at or before last_step (a code is used once). Returns
 * the step that matched (> last_step), or -1. */
int64_t totp_check(const unsigned char *key, size_t n, const char *typed, int64_t now,
		   int64_t last_step);

/* The base32 form of key (RFC 4648 alphabet, no padding), an arena
 * string. */
const char *totp_base32(struct arena *a, const unsigned char *key, size_t n);

/* The otpauth:// URI an authenticator app reads (issuer "Proxima", the
 * account's e-mail as label), an arena string. */
const char *totp_uri(struct arena *a, const unsigned char *key, size_t n, const char *account);

#endif
