/* imgrepo_zlib.h: zlib's inflate, loaded with dlopen on first use (see imgrepo_loader.h).
 *
 * Only PNG's compressed text chunks (zTXt, compressed iTXt) need it, read by upload and index.
 * The types and constants are zlib's own; the functions are reached only through the table
 * `imgrepo_zlib_load` returns.
 */
#ifndef IMGREPO_ZLIB_H
#define IMGREPO_ZLIB_H

#include <zlib.h>

/* Every zlib function ImageProbe calls. inflateInit is a macro over inflateInit_: use
 * imgrepo_zlib_inflate_init. */
#define IMGREPO_ZLIB_FUNCTIONS(X) X(inflateInit_) X(inflate) X(inflateEnd)

struct imgrepo_zlib {
#define IMGREPO_ZLIB_FIELD(name) __typeof__(name) *_Nonnull name;
    IMGREPO_ZLIB_FUNCTIONS(IMGREPO_ZLIB_FIELD)
#undef IMGREPO_ZLIB_FIELD
};

/* Loads libz.so.1 once (thread-safe) and returns the table; NULL when it cannot be loaded,
 * with `*problem` saying what is missing and how to install it. */
const struct imgrepo_zlib *_Nullable imgrepo_zlib_load(const char *_Nullable *_Nonnull problem);

/* inflateInit(stream) through the table: it passes the header's version and sizeof(z_stream),
 * so that a mismatched libz refuses to start. */
static inline int imgrepo_zlib_inflate_init(const struct imgrepo_zlib *_Nonnull zlib, z_streamp _Nonnull stream) {
    return zlib->inflateInit_(stream, ZLIB_VERSION, (int)sizeof(z_stream));
}

#endif
