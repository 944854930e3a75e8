/* imgrepo_crypto.h: SHA-512 through OpenSSL's libcrypto, loaded with dlopen on first use.
 *
 * Why not link libcrypto: loading it costs every process ~4,200 symbol lookups (about 1 ms),
 * and most commands (list, details, thumbnail hits, stats) never hash. Only the commands that
 * hash (upload, get, verify) load it. No OpenSSL type appears here.
 */
#ifndef IMGREPO_CRYPTO_H
#define IMGREPO_CRYPTO_H

#include <stddef.h>

/* Loads libcrypto.so.3 once (thread-safe). Returns NULL when ready, else a message saying
 * what is missing and how to install it. */
const char *imgrepo_crypto_problem(void);

/* A SHA-512 digest in progress; NULL when libcrypto is unavailable or out of memory. */
void *imgrepo_sha512_new(void);
/* Returns 1 on success. */
int imgrepo_sha512_update(void *context, const void *bytes, size_t count);
/* Writes the 64-byte digest; returns 1 on success. The context cannot be updated afterwards. */
int imgrepo_sha512_final(void *context, unsigned char digest[64]);
void imgrepo_sha512_free(void *context);

/* OpenSSL_version(OPENSSL_VERSION), or NULL when libcrypto is unavailable. */
const char *imgrepo_crypto_version(void);

#endif
