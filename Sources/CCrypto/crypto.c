/* crypto.c: the few libcrypto EVP calls imgrepo makes, through dlopen (see imgrepo_crypto.h).
 * Function pointer types come from OpenSSL's own declarations (__typeof__), so a mismatch is
 * a compile error, not a crash. */
#include "imgrepo_crypto.h"

#include <dlfcn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>

#define CRYPTO_FUNCTIONS(X) \
    X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) X(EVP_sha512) X(EVP_DigestInit_ex) \
    X(EVP_DigestUpdate) X(EVP_DigestFinal_ex) X(OpenSSL_version)

#define DECLARE(name) static __typeof__(&name) p_##name;
CRYPTO_FUNCTIONS(DECLARE)

static char problem[256];
static int ready;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(problem, sizeof problem, "libcrypto.so.3 cannot be loaded: install libssl3 (%s)", dlerror());
        return;
    }
    const char *missing = NULL;
#define RESOLVE(name) \
    p_##name = (__typeof__(&name))dlsym(library, #name); \
    if (!p_##name && !missing) missing = #name;
    CRYPTO_FUNCTIONS(RESOLVE)
    if (missing) {
        snprintf(problem, sizeof problem, "libcrypto.so.3 lacks %s: install libssl3 (OpenSSL 3)", missing);
        return;
    }
    ready = 1;
}

const char *imgrepo_crypto_problem(void) {
    pthread_once(&once, load);
    return ready ? NULL : problem;
}

void *imgrepo_sha512_new(void) {
    if (imgrepo_crypto_problem()) return NULL;
    EVP_MD_CTX *context = p_EVP_MD_CTX_new();
    if (!context) return NULL;
    if (p_EVP_DigestInit_ex(context, p_EVP_sha512(), NULL) != 1) {
        p_EVP_MD_CTX_free(context);
        return NULL;
    }
    return context;
}

int imgrepo_sha512_update(void *context, const void *bytes, size_t count) {
    return p_EVP_DigestUpdate((EVP_MD_CTX *)context, bytes, count);
}

int imgrepo_sha512_final(void *context, unsigned char digest[64]) {
    unsigned int length = 0;
    return p_EVP_DigestFinal_ex((EVP_MD_CTX *)context, digest, &length) == 1 && length == 64;
}

void imgrepo_sha512_free(void *context) {
    if (context) p_EVP_MD_CTX_free((EVP_MD_CTX *)context);
}

const char *imgrepo_crypto_version(void) {
    if (imgrepo_crypto_problem()) return NULL;
    return p_OpenSSL_version(OPENSSL_VERSION);
}
