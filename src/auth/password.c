#include "auth/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"

/* PROXIMA_TEST_FAST_HASH=1 at the last password_hooks_load. */
static bool fast_hash;

void password_hooks_load(void)
{
	const char *fast = getenv("PROXIMA_TEST_FAST_HASH");
	fast_hash = fast && strcmp(fast, "1") == 0;
}

/* Interactive limits: ~64 MiB and a fraction of a second per hash. Tests
 * may lower the cost with PROXIMA_TEST_FAST_HASH=1 (never in production:
 * the variable is a documented test aid, read only by password_hooks_load). */
static void limits(unsigned long long *ops, size_t *mem)
{
	if (fast_hash) {
		*ops = crypto_pwhash_OPSLIMIT_MIN;
		*mem = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
}

int password_hash(const char *password, char out[PASSWORD_HASH_LEN])
{
	unsigned long long ops;
	size_t mem;
	limits(&ops, &mem);
	return crypto_pwhash_str(out, password, strlen(password), ops, mem) == 0 ? 0 : -1;
}

static char dummy[PASSWORD_HASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	if (password_hash("proxima-dummy-password", dummy) < 0)
		dummy[0] = '\0';
}

int password_verify(const char *hash, const char *password)
{
	if (!hash) {
		/* Spend the same effort as for a real account. */
		pthread_once(&dummy_once, dummy_init);
		if (dummy[0] && crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
			return -1; /* cannot happen; the result is discarded either way */
		return -1;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? 0 : -1;
}

const char *password_weakness(const char *password)
{
	size_t n = strlen(password);
	if (!utf8_valid(password, n))
		return N_("Le mot de passe contient des caractères invalides.");
	if (utf8_length(password, n) < PASSWORD_MIN_LEN)
		return N_("Le mot de passe doit compter au moins 10 caractères.");
	if (n > PASSWORD_MAX_LEN)
		return N_("Le mot de passe est trop long.");
	return NULL;
}
