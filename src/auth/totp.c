#include "auth/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ready;

static void oath_start(void)
{
	oath_ready = oath_init() == OATH_OK;
}

int64_t totp_step(int64_t t)
{
	return t >= 0 ? t / TOTP_STEP : -((-t + TOTP_STEP - 1) / TOTP_STEP);
}

int totp_code(const unsigned char *key, size_t n, int64_t t, int digits, enum totp_algo algo,
	      char out[TOTP_MAX_DIGITS + 1])
{
	out[0] = '\0';
	if (!key || !n || t < 0 || digits < 6 || digits > TOTP_MAX_DIGITS)
		return -1;
	pthread_once(&oath_once, oath_start);
	if (!oath_ready)
		return -1;
	int flags = algo == TOTP_SHA256   ? OATH_TOTP_HMAC_SHA256
		    : algo == TOTP_SHA512 ? OATH_TOTP_HMAC_SHA512
					  : 0;
	char code[TOTP_MAX_DIGITS + 1];
	int rc = oath_totp_generate2((const char *)key, n, (time_t)t, TOTP_STEP, 0,
				     (unsigned)digits, flags, code);
	if (rc != OATH_OK)
		return -1;
	memcpy(out, code, (size_t)digits + 1);
	return 0;
}

/* The digits of typed, spaces and dashes dropped, when exactly
 * TOTP_DIGITS of them. */
static int normalise(const char *typed, char out[TOTP_DIGITS + 1])
{
	size_t k = 0;
	for (const char *p = typed; p && *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (*p < '0' || *p > '9' || k == TOTP_DIGITS)
			return -1;
		out[k++] = *p;
	}
	out[k] = '\0';
	return k == TOTP_DIGITS ? 0 : -1;
}

int64_t totp_check(const unsigned char *key, size_t n, const char *typed, int64_t now,
		   int64_t last_step)
{
	char want[TOTP_DIGITS + 1];
	if (normalise(typed, want) < 0)
		return -1;
	int64_t step = totp_step(now);
	int64_t found = -1;
	/* Every candidate is computed and compared in constant time, so the
	 * answer's timing does not say which step matched. */
	for (int64_t s = step - 1; s <= step + 1; s++) {
		char code[TOTP_MAX_DIGITS + 1];
		if (s < 0 || totp_code(key, n, s * TOTP_STEP, TOTP_DIGITS, TOTP_SHA1, code) < 0)
			continue;
		unsigned diff = 0;
		for (size_t i = 0; i < TOTP_DIGITS; i++)
			diff |= (unsigned)(code[i] ^ want[i]);
		if (diff == 0 && s > last_step && found < 0)
			found = s;
	}
	return found;
}

const char *totp_base32(struct arena *a, const unsigned char *key, size_t n)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	char *out = arena_alloc(a, (n * 8 + 4) / 5 + 1);
	size_t k = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | key[i];
		bits += 8;
		while (bits >= 5) {
			out[k++] = alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[k++] = alphabet[(acc << (5 - bits)) & 31];
	out[k] = '\0';
	return out;
}

const char *totp_uri(struct arena *a, const unsigned char *key, size_t n, const char *account)
{
	struct buf b = BUF_INIT(1024);
	buf_puts(&b, "otpauth://totp/Proxima:");
	esc_url(&b, account ? account : "");
	buf_printf(&b, "?secret=%s&issuer=Proxima&algorithm=SHA1&digits=%d&period=%d",
		   totp_base32(a, key, n), TOTP_DIGITS, TOTP_STEP);
	const char *s = arena_strdup(a, b.data);
	buf_free(&b);
	return s;
}
