/* fixture_jpeg.c: see include/imgrepo_fixture_jpeg.h. */
#include "imgrepo_fixture_jpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

struct failure {
    struct jpeg_error_mgr manager; /* first: libjpeg hands back a pointer to it */
    jmp_buf jump;
};

__attribute__((noreturn))
static void fail(j_common_ptr info) {
    longjmp(((struct failure *)(void *)info->err)->jump, 1);
}

static void silent(j_common_ptr info) {
    (void)info;
}

/* Encodes `height` rows, row y read at pixels + y × stride (stride 0: one row for every row). */
static int encode(const unsigned char *pixels, size_t stride, int width, int height,
                  imgrepo_fixture_jpeg_kind kind, int quality, int progressive,
                  unsigned char **out, size_t *out_size, char *error, size_t error_len) {
    struct jpeg_compress_struct info;
    struct failure failure;
    /* jpeg_mem_dest owns the buffer while encoding; volatile because setjmp may return into
     * this frame after libjpeg has changed them. */
    unsigned char *volatile buffer = NULL;
    volatile unsigned long size = 0;
    info.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = fail;
    failure.manager.output_message = silent;
    if (setjmp(failure.jump)) {
        if (error && error_len > 0) {
            char message[JMSG_LENGTH_MAX];
            info.err->format_message((j_common_ptr)&info, message);
            snprintf(error, error_len, "%s", message);
        }
        jpeg_destroy_compress(&info);
        free(buffer);
        return -1;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, (unsigned char **)&buffer, (unsigned long *)&size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    int components;
    switch (kind) {
    case IMGREPO_FIXTURE_JPEG_GRAY: components = 1; info.in_color_space = JCS_GRAYSCALE; break;
    case IMGREPO_FIXTURE_JPEG_RGB: components = 3; info.in_color_space = JCS_RGB; break;
    default: components = 4; info.in_color_space = JCS_CMYK; break;
    }
    info.input_components = components;
    jpeg_set_defaults(&info);
    /* jpeg_set_colorspace writes the Adobe marker for CMYK and YCCK. */
    if (kind == IMGREPO_FIXTURE_JPEG_CMYK) jpeg_set_colorspace(&info, JCS_CMYK);
    if (kind == IMGREPO_FIXTURE_JPEG_YCCK) jpeg_set_colorspace(&info, JCS_YCCK);
    jpeg_set_quality(&info, quality, TRUE);
    if (progressive) jpeg_simple_progression(&info);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)info.next_scanline * stride);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *out = buffer;
    *out_size = size;
    return 0;
}

static size_t components_of(imgrepo_fixture_jpeg_kind kind) {
    return kind == IMGREPO_FIXTURE_JPEG_GRAY ? 1 : kind == IMGREPO_FIXTURE_JPEG_RGB ? 3 : 4;
}

int imgrepo_fixture_jpeg_encode(const unsigned char *pixels, int width, int height,
                                imgrepo_fixture_jpeg_kind kind, int quality, int progressive,
                                unsigned char **out, size_t *out_size, char *error, size_t error_len) {
    return encode(pixels, (size_t)width * components_of(kind), width, height, kind, quality, progressive,
                  out, out_size, error, error_len);
}

int imgrepo_fixture_jpeg_encode_repeated_row(const unsigned char *row, int width, int height,
                                             imgrepo_fixture_jpeg_kind kind, int quality, int progressive,
                                             unsigned char **out, size_t *out_size, char *error, size_t error_len) {
    return encode(row, 0, width, height, kind, quality, progressive, out, out_size, error, error_len);
}

void imgrepo_fixture_jpeg_free(unsigned char *buffer) {
    free(buffer);
}
