/* imgrepo_fixture_jpeg.h: JPEG encodings libgd cannot write (grayscale, CMYK, YCCK), for test
 * fixtures only. Links libjpeg directly; nothing but ImgrepoFixtures depends on it. */
#ifndef IMGREPO_FIXTURE_JPEG_H
#define IMGREPO_FIXTURE_JPEG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    /* 1 byte a pixel, written as a single grey component. */
    IMGREPO_FIXTURE_JPEG_GRAY = 0,
    /* 3 bytes a pixel (R, G, B), written as YCbCr 4:2:0 like a camera's. */
    IMGREPO_FIXTURE_JPEG_RGB = 1,
    /* 4 bytes a pixel (C, M, Y, K) written as they are, with libjpeg's Adobe marker: readers
     * then take them as Adobe (inverted) CMYK, where 255 means no ink. */
    IMGREPO_FIXTURE_JPEG_CMYK = 2,
    /* The same pixels converted to YCCK by libjpeg, with an Adobe marker (transform 2). */
    IMGREPO_FIXTURE_JPEG_YCCK = 3,
} imgrepo_fixture_jpeg_kind;

/* Encodes width×height pixels (rows top to bottom, no padding) at `quality` (1-100),
 * progressive when `progressive` is not 0. On success returns 0 and sets *out to a buffer of
 * *out_size bytes that the caller releases with imgrepo_fixture_jpeg_free. On failure returns -1
 * and writes libjpeg's message into `error`. */
int imgrepo_fixture_jpeg_encode(const unsigned char *pixels, int width, int height,
                                imgrepo_fixture_jpeg_kind kind, int quality, int progressive,
                                unsigned char **out, size_t *out_size, char *error, size_t error_len);

/* As imgrepo_fixture_jpeg_encode, with the one row `row` (width pixels) repeated `height` times:
 * a large image without its pixels in memory. */
int imgrepo_fixture_jpeg_encode_repeated_row(const unsigned char *row, int width, int height,
                                             imgrepo_fixture_jpeg_kind kind, int quality, int progressive,
                                             unsigned char **out, size_t *out_size, char *error, size_t error_len);

void imgrepo_fixture_jpeg_free(unsigned char *buffer);

#ifdef __cplusplus
}
#endif

#endif
