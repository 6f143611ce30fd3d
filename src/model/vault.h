/* Encryption of nominative fields with libsodium secretbox
 * (XSalsa20-Poly1305). The 32-byte key is read from the key file created by
 * `proxima init` (64 hex digits), kept in locked memory, never written to the
 * database or to logs. */
#ifndef PROXIMA_VAULT_H
#define PROXIMA_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

#define VAULT_NONCE_LEN 24

/* Loads the key from path. Returns 0, or -1 with a one-line reason in err. */
int vault_load(const char *path, char *err, size_t errcap);

/* Sets a key directly (tests). */
void vault_set_key(const unsigned char key[32]);

/* True once a key is loaded. */
int vault_ready(void);

/* Derives a subkey of len bytes (16 to 64) for one purpose from the key
 * (libsodium crypto_kdf: BLAKE2b keyed with the key, with the subkey id and
 * an 8-character context), so the key itself never leaves this module and
 * no two purposes share a key. Returns 0, or -1 when no key is loaded. The
 * caller zeroes out when done. */
int vault_derive(unsigned char *out, size_t len, uint64_t subkey_id, const char context[8]);

/* Forgets the key (zeroes the memory). */
void vault_unload(void);

/* Encrypts n bytes: *nonce (VAULT_NONCE_LEN bytes) and *box (n + 16 bytes)
 * are arena memory. Returns 0, or -1 when no key is loaded. */
int vault_seal(struct arena *a, const void *plain, size_t n, unsigned char **nonce,
	       unsigned char **box, size_t *box_len);

/* Decrypts a box into a NUL-terminated arena string. Returns 0, or -1 when
 * no key is loaded or the box was altered or sealed with another key. */
int vault_open(struct arena *a, const unsigned char *nonce, const unsigned char *box,
	       size_t box_len, char **plain, size_t *n);

#endif
