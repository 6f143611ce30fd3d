#include "model/vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

static unsigned char *key; /* sodium_malloc'd: guarded, locked */

void vault_set_key(const unsigned char k[32])
{
	if (!key) {
		key = sodium_malloc(crypto_secretbox_KEYBYTES);
		if (!key)
			die_oom();
	}
	memcpy(key, k, crypto_secretbox_KEYBYTES);
}

int vault_ready(void)
{
	return key != NULL;
}

void vault_unload(void)
{
	if (key) {
		sodium_free(key); /* zeroes first */
		key = NULL;
	}
}

int vault_derive(unsigned char *out, size_t len, uint64_t subkey_id, const char context[8])
{
	if (!key || len < crypto_kdf_BYTES_MIN || len > crypto_kdf_BYTES_MAX)
		return -1;
	return crypto_kdf_derive_from_key(out, len, subkey_id, context, key) == 0 ? 0 : -1;
}

int vault_load(const char *path, char *err, size_t errcap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errcap, "cannot read key file %s (created by 'proxima init')", path);
		return -1;
	}
	char hex[80];
	ssize_t n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < 64) {
		snprintf(err, errcap, "key file %s is too short", path);
		return -1;
	}
	hex[n] = '\0';
	unsigned char k[crypto_secretbox_KEYBYTES];
	size_t klen = 0;
	if (sodium_hex2bin(k, sizeof(k), hex, 64, NULL, &klen, NULL) != 0 || klen != sizeof(k)) {
		sodium_memzero(hex, sizeof(hex));
		snprintf(err, errcap, "key file %s is not 64 hexadecimal digits", path);
		return -1;
	}
	sodium_memzero(hex, sizeof(hex));
	vault_set_key(k);
	sodium_memzero(k, sizeof(k));
	return 0;
}

int vault_seal(struct arena *a, const void *plain, size_t n, unsigned char **nonce,
	       unsigned char **box, size_t *box_len)
{
	if (!key)
		return -1;
	*nonce = arena_alloc(a, crypto_secretbox_NONCEBYTES);
	randombytes_buf(*nonce, crypto_secretbox_NONCEBYTES);
	*box_len = n + crypto_secretbox_MACBYTES;
	*box = arena_alloc(a, *box_len);
	crypto_secretbox_easy(*box, plain, n, *nonce, key);
	return 0;
}

int vault_open(struct arena *a, const unsigned char *nonce, const unsigned char *box,
	       size_t box_len, char **plain, size_t *n)
{
	if (!key || box_len < crypto_secretbox_MACBYTES)
		return -1;
	*n = box_len - crypto_secretbox_MACBYTES;
	unsigned char *out = arena_alloc(a, *n + 1);
	if (crypto_secretbox_open_easy(out, box, box_len, nonce, key) != 0)
		return -1;
	out[*n] = '\0';
	*plain = (char *)out;
	return 0;
}
