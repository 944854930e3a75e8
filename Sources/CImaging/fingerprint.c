/* fingerprint.c: the pixel hash and the grey image behind the perceptual hash.
 *
 * Contracts are in include/imgrepo_imaging.h; the canonical pixel stream is specified in
 * docs/repository-format.md ("Pixel hash") and the grey image in docs/duplicates.md. Decoding
 * reuses imaging.c's libraries and error handling (imaging_internal.h); SHA-512 is libcrypto's,
 * through CCrypto, loaded on the first pixel hash.
 */
#include "imaging_internal.h"
#include "imgrepo_crypto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>

/* MARK: Pixel hash */

static const char pixel_stream_magic[] = "imgrepo-pixels-v1\n";

/* libgd's 7-bit alpha (0 opaque, 127 transparent) as 8-bit opacity (255 opaque), rounded. */
static inline unsigned char widened_alpha(int gd_alpha) {
    return (unsigned char)(255 - (gd_alpha * 255 + 63) / gdAlphaMax);
}

/* Starts a digest with the stream's header. NULL when libcrypto is missing or memory ran out. */
static void *pixel_digest_start(int width, int height) {
    void *digest = imgrepo_sha512_new();
    if (!digest) return NULL;
    unsigned char size[8] = {
        (unsigned char)((unsigned)width >> 24), (unsigned char)((unsigned)width >> 16),
        (unsigned char)((unsigned)width >> 8), (unsigned char)width,
        (unsigned char)((unsigned)height >> 24), (unsigned char)((unsigned)height >> 16),
        (unsigned char)((unsigned)height >> 8), (unsigned char)height,
    };
    if (!imgrepo_sha512_update(digest, pixel_stream_magic, sizeof pixel_stream_magic - 1)
        || !imgrepo_sha512_update(digest, size, sizeof size)) {
        imgrepo_sha512_free(digest);
        return NULL;
    }
    return digest;
}

static int digest_problem(char *error, size_t error_len) {
    const char *problem = imgrepo_crypto_problem();
    if (problem) return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "pixel hash: %s", problem);
    return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "pixel hash: libcrypto could not start a digest");
}

/* MARK: Grey image */

/* Area averaging from src_w × src_h to dst_w × dst_h, one source row at a time, in doubles.
 *
 * Source column x covers [x·dst_w, (x+1)·dst_w) and destination column j covers
 * [j·src_w, (j+1)·src_w) on a common integer axis; x contributes to j in proportion to their
 * overlap, divided by src_w so that each destination pixel's weights add up to 1. Rows alike.
 * Integer positions keep the weights exact, so the result does not depend on rounding of
 * positions; it works for enlarging too (a tiny image asked for a larger grey image).
 */
struct area_sampler {
    int src_w, src_h, dst_w, dst_h;
    int next_row;     /* the source row expected next */
    int *x_start;     /* src_w + 1 offsets into x_target and x_weight */
    int *x_target;
    double *x_weight;
    double *reduced;  /* dst_w: the current source row, reduced horizontally */
    double *sum;      /* dst_w × dst_h */
};

static void sampler_free(struct area_sampler *s) {
    free(s->x_start);
    free(s->x_target);
    free(s->x_weight);
    free(s->reduced);
    free(s->sum);
    memset(s, 0, sizeof *s);
}

/* 0 when memory runs out. */
static int sampler_init(struct area_sampler *s, int src_w, int src_h, int dst_w, int dst_h) {
    memset(s, 0, sizeof *s);
    s->src_w = src_w; s->src_h = src_h; s->dst_w = dst_w; s->dst_h = dst_h;
    size_t pairs = (size_t)src_w + (size_t)dst_w;
    s->x_start = malloc(((size_t)src_w + 1) * sizeof *s->x_start);
    s->x_target = malloc(pairs * sizeof *s->x_target);
    s->x_weight = malloc(pairs * sizeof *s->x_weight);
    s->reduced = malloc((size_t)dst_w * sizeof *s->reduced);
    s->sum = calloc((size_t)dst_w * (size_t)dst_h, sizeof *s->sum);
    if (!s->x_start || !s->x_target || !s->x_weight || !s->reduced || !s->sum) {
        sampler_free(s);
        return 0;
    }
    int n = 0;
    long long sw = src_w, dw = dst_w;
    for (long long x = 0; x < sw; x++) {
        s->x_start[x] = n;
        long long from = x * dw, to = (x + 1) * dw;
        for (long long j = from / sw; j < dw && j * sw < to; j++) {
            long long lo = from > j * sw ? from : j * sw;
            long long hi = to < (j + 1) * sw ? to : (j + 1) * sw;
            if (hi <= lo) continue;
            s->x_target[n] = (int)j;
            s->x_weight[n] = (double)(hi - lo) / (double)sw;
            n++;
        }
    }
    s->x_start[src_w] = n;
    return 1;
}

/* Adds the next source row, given as luma values. */
static void sampler_add_row(struct area_sampler *s, const double *luma) {
    int y = s->next_row++;
    if (y >= s->src_h) return;
    memset(s->reduced, 0, (size_t)s->dst_w * sizeof *s->reduced);
    for (int x = 0; x < s->src_w; x++) {
        double v = luma[x];
        for (int k = s->x_start[x]; k < s->x_start[x + 1]; k++) s->reduced[s->x_target[k]] += v * s->x_weight[k];
    }
    long long sh = s->src_h, dh = s->dst_h;
    long long from = y * dh, to = (y + 1) * dh;
    for (long long i = from / sh; i < dh && i * sh < to; i++) {
        long long lo = from > i * sh ? from : i * sh;
        long long hi = to < (i + 1) * sh ? to : (i + 1) * sh;
        if (hi <= lo) continue;
        double w = (double)(hi - lo) / (double)sh;
        double *target = s->sum + i * s->dst_w;
        for (int j = 0; j < s->dst_w; j++) target[j] += s->reduced[j] * w;
    }
}

/* Luma of an 8-bit colour composited on white with 8-bit opacity `a`. */
static inline double luma(int r, int g, int b, int a) {
    double y = 0.299 * r + 0.587 * g + 0.114 * b;
    if (a == 255) return y;
    double opacity = a / 255.0;
    return y * opacity + 255.0 * (1.0 - opacity);
}

/* Writes the sampler's stored-frame grid into `out`, turned right side up for `orientation`
 * (the same mapping as imaging.c's orient: EXIF's definitions of where the stored 0th row and
 * column belong). The output is dst_h × dst_w for orientations 5-8. */
static void write_oriented(const struct area_sampler *s, int orientation, double *out) {
    int w = s->dst_w, h = s->dst_h;
    int swap = orientation >= 5;
    int ow = swap ? h : w, oh = swap ? w : h;
#define FROM(yy, xx) s->sum[(size_t)(yy) * (size_t)w + (size_t)(xx)]
    for (int y = 0; y < oh; y++) {
        double *row = out + (size_t)y * (size_t)ow;
        for (int x = 0; x < ow; x++) {
            switch (orientation) {
            case 2: row[x] = FROM(y, w - 1 - x); break;
            case 3: row[x] = FROM(h - 1 - y, w - 1 - x); break;
            case 4: row[x] = FROM(h - 1 - y, x); break;
            case 5: row[x] = FROM(x, y); break;
            case 6: row[x] = FROM(h - 1 - x, y); break;
            case 7: row[x] = FROM(h - 1 - x, w - 1 - y); break;
            case 8: row[x] = FROM(x, w - 1 - y); break;
            default: row[x] = FROM(y, x); break;
            }
        }
    }
#undef FROM
}

/* MARK: JPEG */

/* One JPEG pass's state beyond libjpeg's, kept out of locals so that it survives a longjmp. */
struct jpeg_pass {
    struct jpeg_job job;
    void *digest;
    unsigned char *rows;
    double *luma;
    struct area_sampler sampler;
};

static void pass_release(struct jpeg_pass *pass) {
    if (pass->digest) imgrepo_sha512_free(pass->digest);
    free(pass->rows);
    free(pass->luma);
    sampler_free(&pass->sampler);
    pass->digest = NULL;
    pass->rows = NULL;
    pass->luma = NULL;
}

/* Rows read per jpeg_read_scanlines call in the full-size pass: enough to amortise the call
 * and the digest update, few enough to stay in the cache (a 4000-pixel RGBA row is 16 KB). */
enum { JPEG_ROWS = 8 };

/* Converts a row of libjpeg CMYK output to RGBA, as imaging.c's decode_jpeg does. */
static void cmyk_to_rgba(const JSAMPLE *s, unsigned char *d, int width, int inverted) {
    for (int x = 0; x < width; x++, s += 4, d += 4) {
        int c = s[0], m = s[1], y = s[2], k = s[3];
        if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        d[0] = (unsigned char)imaging_times255(c, k);
        d[1] = (unsigned char)imaging_times255(m, k);
        d[2] = (unsigned char)imaging_times255(y, k);
        d[3] = 255;
    }
}

/* Opens the JPEG and checks the pixel limit. Returns 0, or IMGREPO_THUMB_ELIMIT after filling
 * `out` and the message. Called inside the caller's setjmp. */
static int jpeg_open_checked(struct jpeg_pass *pass, const imgrepo_fingerprint_request *request,
                             imgrepo_fingerprint_result *out, char *error, size_t error_len) {
    struct jpeg_decompress_struct *info = &pass->job.info;
    imaging_jpeg_open(&pass->job, request->source);
    long long w = info->image_width, h = info->image_height;
    out->width = (int)w;
    out->height = (int)h;
    if (w * h > request->max_pixels) {
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIMIT, "jpeg decoder: %lldx%lld is over the %lld-pixel limit",
                            w, h, request->max_pixels);
    }
    int cmyk = info->jpeg_color_space == JCS_CMYK || info->jpeg_color_space == JCS_YCCK;
    /* libjpeg-turbo converts grey, YCbCr and RGB to RGBA with A = 255, and YCCK to CMYK, but
     * not CMYK to RGB. */
    info->out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
    info->dct_method = JDCT_ISLOW;
    return IMGREPO_THUMB_OK;
}

/* The full-size decode, streamed into the digest a few rows at a time. */
int imaging_jpeg_pixel_hash(const imgrepo_fingerprint_request *request, imgrepo_fingerprint_result *out,
                           char *error, size_t error_len) {
    struct jpeg_pass pass;
    memset(&pass, 0, sizeof pass);
    struct jpeg_decompress_struct *info = &pass.job.info;
    imaging_jpeg_prepare(&pass.job);
    if (setjmp(pass.job.failure.jump)) {
        p_jpeg_destroy_decompress(info);
        pass_release(&pass);
        return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE, "jpeg decoder: %s", pass.job.failure.message);
    }
    int status = jpeg_open_checked(&pass, request, out, error, error_len);
    if (status != IMGREPO_THUMB_OK) {
        p_jpeg_destroy_decompress(info);
        return status;
    }
    pass.job.failure.reading = 1;
    imaging_decode_count++;
    p_jpeg_start_decompress(info);
    int width = (int)info->output_width, components = info->output_components;
    if (components != 4) imaging_jpeg_abort(&pass.job, "unsupported output of %d components", components);
    pass.digest = pixel_digest_start(width, (int)info->output_height);
    if (!pass.digest) {
        p_jpeg_destroy_decompress(info);
        return digest_problem(error, error_len);
    }
    size_t stride = (size_t)width * 4;
    int cmyk = info->out_color_space == JCS_CMYK;
    /* CMYK comes out 4 bytes a pixel too; it is converted in place, row by row. */
    pass.rows = malloc(stride * JPEG_ROWS);
    if (!pass.rows) imaging_jpeg_abort(&pass.job, "out of memory for rows of %d pixels", width);
    int inverted = info->saw_Adobe_marker;
    while (info->output_scanline < info->output_height) {
        JSAMPROW rows[JPEG_ROWS];
        for (int i = 0; i < JPEG_ROWS; i++) rows[i] = pass.rows + stride * (size_t)i;
        JDIMENSION got = p_jpeg_read_scanlines(info, rows, JPEG_ROWS);
        if (got == 0) imaging_jpeg_abort(&pass.job, "no data for row %u", (unsigned)info->output_scanline);
        if (cmyk) for (JDIMENSION i = 0; i < got; i++) cmyk_to_rgba(rows[i], rows[i], width, inverted);
        imgrepo_sha512_update(pass.digest, pass.rows, stride * got);
    }
    pass.job.failure.reading = 0;
    p_jpeg_finish_decompress(info);
    p_jpeg_destroy_decompress(info);
    int ok = imgrepo_sha512_final(pass.digest, out->pixel_sha512);
    pass_release(&pass);
    if (!ok) return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "pixel hash: libcrypto could not finish the digest");
    return IMGREPO_THUMB_OK;
}

/* The grey image from a decode at the smallest DCT scale still at least its size. */
static int jpeg_gray(const imgrepo_fingerprint_request *request, int orientation, int gw, int gh,
                     imgrepo_fingerprint_result *out, char *error, size_t error_len) {
    struct jpeg_pass pass;
    memset(&pass, 0, sizeof pass);
    struct jpeg_decompress_struct *info = &pass.job.info;
    imaging_jpeg_prepare(&pass.job);
    if (setjmp(pass.job.failure.jump)) {
        p_jpeg_destroy_decompress(info);
        pass_release(&pass);
        return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE, "jpeg decoder: %s", pass.job.failure.message);
    }
    int status = jpeg_open_checked(&pass, request, out, error, error_len);
    if (status != IMGREPO_THUMB_OK) {
        p_jpeg_destroy_decompress(info);
        return status;
    }
    imaging_jpeg_choose_scale(&pass.job, gw, gh);
    pass.job.failure.reading = 1;
    imaging_decode_count++;
    p_jpeg_start_decompress(info);
    int width = (int)info->output_width, height = (int)info->output_height;
    if (info->output_components != 4)
        imaging_jpeg_abort(&pass.job, "unsupported output of %d components", info->output_components);
    int cmyk = info->out_color_space == JCS_CMYK;
    pass.rows = malloc((size_t)width * 4);
    pass.luma = malloc((size_t)width * sizeof *pass.luma);
    if (!pass.rows || !pass.luma || !sampler_init(&pass.sampler, width, height, gw, gh))
        imaging_jpeg_abort(&pass.job, "out of memory for %dx%d pixels", width, height);
    int inverted = info->saw_Adobe_marker;
    while (info->output_scanline < info->output_height) {
        JSAMPROW rows[1] = {pass.rows};
        if (p_jpeg_read_scanlines(info, rows, 1) != 1)
            imaging_jpeg_abort(&pass.job, "no data for row %u", (unsigned)info->output_scanline);
        if (cmyk) cmyk_to_rgba(pass.rows, pass.rows, width, inverted);
        const unsigned char *p = pass.rows;
        for (int x = 0; x < width; x++, p += 4) pass.luma[x] = luma(p[0], p[1], p[2], 255);
        sampler_add_row(&pass.sampler, pass.luma);
    }
    pass.job.failure.reading = 0;
    p_jpeg_finish_decompress(info);
    p_jpeg_destroy_decompress(info);
    write_oriented(&pass.sampler, orientation, request->gray);
    pass_release(&pass);
    return IMGREPO_THUMB_OK;
}

/* MARK: Other formats */

int imaging_fingerprint_image(gdImagePtr im, imgrepo_source_format format, int pixel_hash, double *gray,
                              int orientation, int gw, int gh, imgrepo_fingerprint_result *out,
                              char *error, size_t error_len) {
    int width = im->sx, height = im->sy;
    out->width = width;
    out->height = height;
    const char *name = imaging_source_names[format];
    int status = IMGREPO_THUMB_OK;

    unsigned char *rgba = malloc((size_t)width * 4);
    double *row_luma = gray ? malloc((size_t)width * sizeof *row_luma) : NULL;
    struct area_sampler sampler;
    memset(&sampler, 0, sizeof sampler);
    void *digest = NULL;
    if (!rgba || (gray && (!row_luma || !sampler_init(&sampler, width, height, gw, gh)))) {
        status = imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "%s decoder: out of memory for %dx%d pixels",
                              name, width, height);
        goto done;
    }
    if (pixel_hash) {
        digest = pixel_digest_start(width, height);
        if (!digest) {
            status = digest_problem(error, error_len);
            goto done;
        }
    }
    for (int y = 0; y < height; y++) {
        const int *pixels = im->tpixels[y];
        unsigned char *d = rgba;
        for (int x = 0; x < width; x++, d += 4) {
            int p = pixels[x];
            d[0] = (unsigned char)gdTrueColorGetRed(p);
            d[1] = (unsigned char)gdTrueColorGetGreen(p);
            d[2] = (unsigned char)gdTrueColorGetBlue(p);
            d[3] = widened_alpha(gdTrueColorGetAlpha(p));
        }
        if (digest) imgrepo_sha512_update(digest, rgba, (size_t)width * 4);
        if (gray) {
            const unsigned char *s = rgba;
            for (int x = 0; x < width; x++, s += 4) row_luma[x] = luma(s[0], s[1], s[2], s[3]);
            sampler_add_row(&sampler, row_luma);
        }
    }
    if (digest && !imgrepo_sha512_final(digest, out->pixel_sha512)) {
        status = imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "pixel hash: libcrypto could not finish the digest");
        goto done;
    }
    if (gray) write_oriented(&sampler, orientation, gray);

done:
    if (digest) imgrepo_sha512_free(digest);
    sampler_free(&sampler);
    free(row_luma);
    free(rgba);
    return status;
}

static int gd_fingerprint(const imgrepo_fingerprint_request *request, int orientation, int gw, int gh,
                          imgrepo_fingerprint_result *out, char *error, size_t error_len) {
    gdImagePtr im = NULL;
    int status = imaging_decode_gd(request->source_format, request->source, request->max_pixels,
                                   &im, &out->width, &out->height, error, error_len);
    if (status != IMGREPO_THUMB_OK) return status;
    status = imaging_fingerprint_image(im, request->source_format, request->pixel_hash, request->gray, orientation,
                                       gw, gh, out, error, error_len);
    p_gdImageDestroy(im);
    return status;
}

/* MARK: Entry point */

int imgrepo_fingerprint(const imgrepo_fingerprint_request *request, imgrepo_fingerprint_result *out,
                        char *error, size_t error_len) {
    if (error && error_len > 0) error[0] = '\0';
    if (!out) return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "fingerprint: no result given");
    memset(out, 0, sizeof *out);
    if (!request || !request->source || imgrepo_source_size(request->source) == 0)
        return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "fingerprint: no image bytes");
    if ((unsigned)request->source_format > IMGREPO_SOURCE_AVIF)
        return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "fingerprint: unknown source format %d",
                            (int)request->source_format);
    int gray = request->gray != NULL;
    if (gray && (request->gray_width < 1 || request->gray_width > IMGREPO_GRAY_MAX_SIDE
                 || request->gray_height < 1 || request->gray_height > IMGREPO_GRAY_MAX_SIDE))
        return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "fingerprint: grey image %dx%d is not 1 to %d a side",
                            request->gray_width, request->gray_height, IMGREPO_GRAY_MAX_SIDE);
    if (!gray && !request->pixel_hash)
        return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "fingerprint: nothing asked for");

    imaging_load();
    if (!imaging_libraries.gd_ready)
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "%s", imaging_libraries.gd_problem);
    int orientation = request->orientation >= 1 && request->orientation <= 8 ? request->orientation : 1;
    /* HEIF: libheif applies the container's rotation while decoding (see imgrepo_thumbnail). */
    if (request->source_format == IMGREPO_SOURCE_HEIF) orientation = 1;
    /* The grey image's size in the stored frame, before orientation turns it. */
    int gw = orientation >= 5 ? request->gray_height : request->gray_width;
    int gh = orientation >= 5 ? request->gray_width : request->gray_height;
    imaging_capture_reset();

    if (request->source_format != IMGREPO_SOURCE_JPEG)
        return gd_fingerprint(request, orientation, gw, gh, out, error, error_len);

    if (!imaging_libraries.jpeg_ready)
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "jpeg decoder: %s", imaging_libraries.jpeg_problem);
    int status = IMGREPO_THUMB_OK;
    /* The grey image first: a scaled decode is cheap, and a damaged file fails there before
     * the full-size decode is paid for. */
    if (gray) status = jpeg_gray(request, orientation, gw, gh, out, error, error_len);
    if (status == IMGREPO_THUMB_OK && request->pixel_hash) status = imaging_jpeg_pixel_hash(request, out, error, error_len);
    return status;
}
