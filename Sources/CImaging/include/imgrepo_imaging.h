/* imgrepo_imaging.h: the pixel side of `imgrepo thumbnail` and of image fingerprints, in C.
 *
 * Thumbnails: decodes one image file (JPEG with libjpeg-turbo's scaled decoding, every
 * other format with libgd), shrinks it into a box with libgd's area-averaging resampler, applies
 * the EXIF orientation and encodes the result with libgd.
 *
 * Fingerprints: the SHA-512 of an image's canonical pixels, and a small grey version of the
 * oriented picture from which ImgrepoThumbnail computes the perceptual hash.
 *
 * Both at once: imgrepo_thumbnails_and_fingerprint gives what the two give alone, sharing the
 * decodes that can be shared.
 *
 * libgd (libgd.so.3) and libjpeg (libjpeg.so.62) are loaded with dlopen on the first call of any
 * function here, never at process start: linking libgd pulls in the AV1 and HEVC codecs, which
 * costs every command several milliseconds of start-up whether it makes thumbnails or not.
 *
 * Only ImgrepoThumbnail includes this header; no libgd or libjpeg type appears in it.
 */
#ifndef IMGREPO_IMAGING_H
#define IMGREPO_IMAGING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: Sources (source.c) */

/* An image file read through its descriptor with pread, never mapped: a file that shrinks or
 * fails while it is read is a short read or an errno (a decoder error), never SIGBUS. Decoders
 * read it through small buffers (libjpeg's source manager, a libgd gdIOCtx), so a decode holds
 * the file whole only where the library insists (libgd's WebP, HEIF and AVIF readers).
 *
 * With a digest function, every byte of the file is fed to it exactly once and in order as the
 * decoders read: bytes a decoder skips or seeks past are read and fed when it moves beyond them,
 * and imgrepo_source_finish_digest feeds whatever was never reached. The file is so hashed in the
 * pass that decodes it, plus whatever trails the image data. A source is used by one thread. */
typedef struct imgrepo_source imgrepo_source;
typedef void (*imgrepo_digest_fn)(void *context, const void *bytes, size_t count);

/* A source over `fd` (not owned, not closed), whose size at opening was `size` bytes; `digest`
 * may be NULL. NULL when memory runs out. */
imgrepo_source *imgrepo_source_new(int fd, long long size, imgrepo_digest_fn digest, void *context);
void imgrepo_source_free(imgrepo_source *source);
/* The size given to imgrepo_source_new. */
long long imgrepo_source_size(const imgrepo_source *source);
/* Reads up to `count` bytes at `offset`: fewer only at the end of the file; -1 with errno when a
 * read fails. */
long long imgrepo_source_read(imgrepo_source *source, void *buffer, size_t count, long long offset);
/* Feeds the digest the bytes not yet fed, to the end of the file as it is now; returns how many
 * bytes the digest has seen in all, or -1 with errno when a read fails. */
long long imgrepo_source_finish_digest(imgrepo_source *source);

/* The encodings the decoder side knows. HEIC and generic HEIF share libgd's HEIF loader. */
typedef enum {
    IMGREPO_SOURCE_JPEG = 0,
    IMGREPO_SOURCE_PNG = 1,
    IMGREPO_SOURCE_GIF = 2,
    IMGREPO_SOURCE_WEBP = 3,
    IMGREPO_SOURCE_TIFF = 4,
    IMGREPO_SOURCE_BMP = 5,
    IMGREPO_SOURCE_HEIF = 6,
    IMGREPO_SOURCE_AVIF = 7,
} imgrepo_source_format;

typedef enum {
    IMGREPO_OUTPUT_JPEG = 0,
    IMGREPO_OUTPUT_PNG = 1,
    IMGREPO_OUTPUT_WEBP = 2,
} imgrepo_output_format;

/* What `imgrepo_thumbnail` returns. Every failure also writes a one-line message. */
typedef enum {
    IMGREPO_THUMB_OK = 0,
    /* libgd or libjpeg cannot be loaded, or lacks a function this format needs. */
    IMGREPO_THUMB_ELIBRARY = 1,
    /* The bytes cannot be decoded (truncated, corrupt, not the stated format). */
    IMGREPO_THUMB_EDECODE = 2,
    /* The image has more pixels than `max_pixels`; the result's width and height hold the
     * image's size so that the caller can word the message. */
    IMGREPO_THUMB_ELIMIT = 3,
    /* Memory ran out, or the encoder failed. */
    IMGREPO_THUMB_ERESOURCE = 4,
    /* The request itself is invalid (no source or an empty file, empty box, unknown format). */
    IMGREPO_THUMB_EINVALID = 5,
} imgrepo_thumb_status;

typedef struct {
    /* The file, read (from its start, as often as the decodes need) but not kept after the call. */
    imgrepo_source *source;
    imgrepo_source_format source_format;
    /* EXIF orientation 1-8; any other value means 1. Ignored for HEIF, whose container
     * transformations (irot, imir) win over EXIF and are applied by libheif. */
    int orientation;
    /* The box the oriented image must fit in, each side >= 1. */
    int box_width;
    int box_height;
    imgrepo_output_format output_format;
    /* 1-100 for JPEG and WebP; ignored for PNG. */
    int quality;
    /* Images with more pixels than this are refused before their pixels are decoded (JPEG)
     * or before they are resampled (other formats: the caller checks the header first). */
    long long max_pixels;
} imgrepo_thumb_request;

typedef struct {
    /* The encoded thumbnail, allocated by libgd: release it with imgrepo_thumb_free. */
    void *bytes;
    size_t size;
    /* The thumbnail's size in pixels, already oriented. */
    int width;
    int height;
} imgrepo_thumb_result;

/* Makes one thumbnail. Safe to call from several threads at once.
 *
 * The output size follows ThumbnailSpec.outputSize (ImgrepoCore/Thumbnail.swift): the oriented
 * image is fitted into the box with its aspect ratio kept, rounded to the nearest pixel, at least
 * 1 pixel a side, never enlarged.
 *
 * On IMGREPO_THUMB_OK, `out` holds the encoded bytes. On any other status, `out->bytes` is NULL,
 * nothing needs freeing, and `error` (when not NULL) holds a NUL-terminated message of at most
 * `error_len` bytes naming the decoder or encoder ("png decoder: ...") and the library's own
 * words. libgd's (and libtiff's) messages are captured, never printed; what libpng prints by
 * itself on C's stderr during a libgd call (libgd 2.3.3 gives it no warning handler) comes out
 * as one "imgrepo: warning: png decoder: libpng: ..." line each (library_output.c).
 */
int imgrepo_thumbnail(const imgrepo_thumb_request *request, imgrepo_thumb_result *out,
                      char *error, size_t error_len);

/* Releases a result's bytes with libgd's gdFree. NULL is allowed. */
void imgrepo_thumb_free(void *bytes);

/* MARK: Fingerprints (fingerprint.c) */

/* The largest side of the grey image a fingerprint request may ask for. */
enum { IMGREPO_GRAY_MAX_SIDE = 64 };

typedef struct {
    /* The file, read (from its start, as often as the decodes need) but not kept after the call. */
    imgrepo_source *source;
    imgrepo_source_format source_format;
    /* EXIF orientation 1-8 (any other value means 1), applied to the grey image only: the
     * pixel hash is of the pixels as stored. Ignored for HEIF, as for thumbnails. */
    int orientation;
    /* Non-zero: compute the pixel hash (docs/repository-format.md, "Pixel hash"). */
    int pixel_hash;
    /* The grey image of the oriented picture, gray_width × gray_height (each 1 to
     * IMGREPO_GRAY_MAX_SIDE), written row by row into `gray`; 0 × 0 and NULL for none. */
    int gray_width;
    int gray_height;
    double *gray;
    /* Images with more pixels than this are refused before their pixels are decoded (JPEG)
     * or right after (other formats: the caller checks the header first). */
    long long max_pixels;
} imgrepo_fingerprint_request;

typedef struct {
    /* SHA-512 over the canonical pixel stream, when pixel_hash was asked for. */
    unsigned char pixel_sha512[64];
    /* The stored image's size in pixels (not oriented); on IMGREPO_THUMB_ELIMIT the size that
     * is over the limit. */
    int width;
    int height;
} imgrepo_fingerprint_result;

/* Computes the pixel hash, the grey image, or both, with one decode for formats other than
 * JPEG. Safe to call from several threads at once. Returns the same statuses as
 * imgrepo_thumbnail, with a message in `error` on failure (naming the decoder, with the
 * library's own words); nothing is allocated that the caller must free.
 *
 * The canonical pixels are those the decoders give at full size, before orientation: JPEG
 * through libjpeg-turbo (ISLOW IDCT, fancy upsampling, grey expanded to RGB, CMYK and YCCK
 * converted as for thumbnails), every other format through libgd as true colour, with libgd's
 * 7-bit alpha a (0 opaque, 127 transparent) widened to A = 255 - (a * 255 + 63) / 127. The hash
 * is SHA-512 over "imgrepo-pixels-v1\n", the width and height as 32-bit big-endian numbers, then
 * every row top to bottom as R, G, B, A bytes. libcrypto is loaded on first use.
 *
 * The grey image is the oriented picture composited on white, reduced to luma
 * (0.299 R + 0.587 G + 0.114 B, on the 8-bit values) and area-averaged to the requested size,
 * as doubles 0-255. JPEG is decoded for it at the smallest DCT scale still at least the grey
 * image's size; so a JPEG asked for both is decoded twice (full size for the hash, scaled for
 * the grey image), which is what keeps the grey image the same whether the hash is asked or not.
 */
int imgrepo_fingerprint(const imgrepo_fingerprint_request *request, imgrepo_fingerprint_result *out,
                        char *error, size_t error_len);

/* MARK: Thumbnails and fingerprints from one decode (imaging.c) */

/* The longest message a thumbnail job can hold, NUL included. */
enum { IMGREPO_MESSAGE_MAX = 512 };

/* One thumbnail of imgrepo_thumbnails_and_fingerprint: what to make, and what came of it. */
typedef struct {
    /* In: the box, encoding and quality, as in imgrepo_thumb_request. */
    int box_width;
    int box_height;
    imgrepo_output_format output_format;
    int quality;
    /* Out: what imgrepo_thumbnail returns for the same file and spec: the status, the result
     * (on IMGREPO_THUMB_OK, bytes to release with imgrepo_thumb_free; on IMGREPO_THUMB_ELIMIT,
     * the size over the limit) and, on failure, the message. */
    int status;
    imgrepo_thumb_result result;
    char error[IMGREPO_MESSAGE_MAX];
} imgrepo_thumb_job;

/* Makes `thumb_count` thumbnails (0 allowed) and the fingerprints of `request` from as few
 * decodes as give every output exactly as imgrepo_thumbnail and imgrepo_fingerprint would, each
 * called alone: the same bytes, hashes, grey image, statuses and messages. The file, its format,
 * orientation and pixel limit are the request's; each job's box and encoding are its own. Safe
 * to call from several threads at once.
 *
 * Returns the fingerprint's status (with `out`, `error` and `error_len` as imgrepo_fingerprint);
 * each job has its own status and message, so a thumbnail that fails does not fail the others
 * or the fingerprints. Every job with IMGREPO_THUMB_OK holds bytes the caller must release.
 * `decodes` (when not NULL) receives how many times the pixels were decoded, for tests and
 * benchmarks.
 *
 * What one decode serves:
 * - Formats other than JPEG: libgd decodes at full size whatever is asked, so one decode serves
 *   every thumbnail, the grey image and the pixel hash.
 * - JPEG: libjpeg-turbo decodes at the smallest DCT scale still at least each output's size
 *   (1/8 of a 12 MP photo serves thumbnails up to 500×375 and the 32×32 grey image). Outputs
 *   that want the same scale share one decode; outputs at other scales get their own, so the
 *   grey image (and with it the perceptual hash) is the same whatever thumbnails are asked
 *   with it, never taken from a larger decode. The pixel hash needs the full-size decode in
 *   its own pixel layout, which no thumbnail uses: it stays a separate decode, made only when
 *   the grey image (when asked) succeeded, as in imgrepo_fingerprint.
 * A decode that fails fails every output it serves, with the message the separate call gives.
 */
int imgrepo_thumbnails_and_fingerprint(const imgrepo_fingerprint_request *request,
                                       imgrepo_thumb_job *thumbs, size_t thumb_count,
                                       imgrepo_fingerprint_result *out, char *error, size_t error_len,
                                       int *decodes);

/* libgd's version string ("2.3.3"), or NULL when libgd cannot be loaded. Static storage. */
const char *imgrepo_gd_version(void);

/* 1 when the loaded libraries have the decoder for `format`, 0 otherwise. */
int imgrepo_can_decode(imgrepo_source_format format);

/* Why libgd or libjpeg could not be loaded, or NULL when both were. Static storage. */
const char *imgrepo_library_problem(void);

#ifdef __cplusplus
}
#endif

#endif
