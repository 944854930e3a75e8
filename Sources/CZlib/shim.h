#include <zlib.h>

// inflateInit and deflateInit are macros (they pass the header's version and sizeof(z_stream)
// so that a mismatched libz refuses to start): Swift sees neither, so these wrap them.
static inline int czlib_inflate_init(z_streamp stream) { return inflateInit(stream); }
static inline int czlib_deflate_init(z_streamp stream, int level) { return deflateInit(stream, level); }
