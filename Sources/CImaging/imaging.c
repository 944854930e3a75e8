/* imaging.c: thumbnails with libjpeg-turbo and libgd, both loaded with dlopen on first use.
 *
 * Contracts are in include/imgrepo_imaging.h. The headers <gd.h> and <jpeglib.h> are used for
 * their declarations only: every library function is called through a pointer resolved with
 * dlsym, typed with __typeof__ so that a mismatch with the header is a compile error. Nothing
 * here links libgd or libjpeg.
 */
#include "imaging_internal.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gd_errors.h>
#include <jerror.h>

/* MARK: Libraries */

#define DECLARE_POINTER(name) __typeof__(&name) p_##name;
GD_REQUIRED(DECLARE_POINTER)
GD_OPTIONAL(DECLARE_POINTER)
JPEG_REQUIRED(DECLARE_POINTER)

/* libtiff reports through its own global handlers, straight to stderr unless replaced. libgd
 * 2.3.3 does not replace them, so we do (libtiff-dev is not needed: the two types are here). */
typedef void (*tiff_handler)(const char *module, const char *format, va_list args);
typedef tiff_handler (*tiff_set_handler)(tiff_handler);

struct imaging_libraries imaging_libraries;
static pthread_once_t libraries_once = PTHREAD_ONCE_INIT;

/* The first (most severe) message libgd or libtiff reported on this thread since the last
 * reset. Per thread, because the handler is process-wide and renders run concurrently. */
static _Thread_local char captured[256];
static _Thread_local int captured_priority;

void imaging_capture_reset(void) {
    captured[0] = '\0';
    captured_priority = INT_MAX;
}

static void capture(int priority, const char *prefix, const char *format, va_list args) {
    /* The first message explains the rest ("fatal libpng error: ..." before "setjmp returns
     * error condition"); a later one replaces it only when it is more severe. */
    if (captured[0] != '\0' && priority >= captured_priority) return;
    int n = snprintf(captured, sizeof captured, "%s", prefix);
    if (n < 0 || (size_t)n >= sizeof captured) n = 0;
    vsnprintf(captured + n, sizeof captured - (size_t)n, format, args);
    captured_priority = priority;
    size_t length = strlen(captured);
    while (length > 0 && (captured[length - 1] == '\n' || captured[length - 1] == ' ' || captured[length - 1] == '.'))
        captured[--length] = '\0';
}

static void capture_gd(int priority, const char *format, va_list args) {
    capture(priority, "", format, args);
}

static void capture_tiff_error(const char *module, const char *format, va_list args) {
    char prefix[96] = "";
    if (module && *module) snprintf(prefix, sizeof prefix, "libtiff %s: ", module);
    capture(GD_ERROR, prefix, format, args);
}

static void capture_tiff_warning(const char *module, const char *format, va_list args) {
    char prefix[96] = "";
    if (module && *module) snprintf(prefix, sizeof prefix, "libtiff %s: ", module);
    capture(GD_WARNING, prefix, format, args);
}

static void *resolve(void *library, const char *name, const char **missing) {
    void *symbol = dlsym(library, name);
    if (!symbol && !*missing) *missing = name;
    return symbol;
}

static void load_libraries(void) {
    struct imaging_libraries *libraries = &imaging_libraries;
    const char *missing = NULL;
    void *gd = dlopen("libgd.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!gd) {
        snprintf(libraries->gd_problem, sizeof libraries->gd_problem,
                 "libgd.so.3 not found: install libgd3 (%s)", dlerror());
    } else {
#define RESOLVE_GD_REQUIRED(name) p_##name = (__typeof__(&name))resolve(gd, #name, &missing);
#define RESOLVE_GD_OPTIONAL(name) p_##name = (__typeof__(&name))dlsym(gd, #name);
        GD_REQUIRED(RESOLVE_GD_REQUIRED)
        GD_OPTIONAL(RESOLVE_GD_OPTIONAL)
        if (missing) {
            snprintf(libraries->gd_problem, sizeof libraries->gd_problem,
                     "libgd.so.3 lacks %s: install libgd3 2.1 or later", missing);
        } else {
            p_gdSetErrorMethod(capture_gd);
            /* dlsym on libgd's handle also searches its dependencies, libtiff among them. */
            tiff_set_handler set_error = (tiff_set_handler)dlsym(gd, "TIFFSetErrorHandler");
            tiff_set_handler set_warning = (tiff_set_handler)dlsym(gd, "TIFFSetWarningHandler");
            if (set_error) set_error(capture_tiff_error);
            if (set_warning) set_warning(capture_tiff_warning);
            libraries->gd_ready = 1;
        }
    }

    missing = NULL;
    void *jpeg = dlopen("libjpeg.so.62", RTLD_NOW | RTLD_LOCAL);
    if (!jpeg) {
        snprintf(libraries->jpeg_problem, sizeof libraries->jpeg_problem,
                 "libjpeg.so.62 not found: install libjpeg62-turbo (%s)", dlerror());
        return;
    }
#define RESOLVE_JPEG(name) p_##name = (__typeof__(&name))resolve(jpeg, #name, &missing);
    JPEG_REQUIRED(RESOLVE_JPEG)
    if (missing) {
        snprintf(libraries->jpeg_problem, sizeof libraries->jpeg_problem,
                 "libjpeg.so.62 lacks %s: install libjpeg62-turbo", missing);
        return;
    }
    libraries->jpeg_ready = 1;
}

void imaging_load(void) {
    pthread_once(&libraries_once, load_libraries);
}

/* MARK: Errors */

const char *const imaging_source_names[] = {"jpeg", "png", "gif", "webp", "tiff", "bmp", "heif", "avif"};
static const char *const output_names[] = {"jpeg", "png", "webp"};

int imaging_fail(char *error, size_t error_len, int status, const char *format, ...) {
    if (error && error_len > 0) {
        va_list args;
        va_start(args, format);
        vsnprintf(error, error_len, format, args);
        va_end(args);
    }
    return status;
}

/* libgd's own words for the last failure on this thread, or a stand-in when it gave none
 * (its GIF and BMP readers fail silently). */
const char *imaging_gd_reason(void) {
    return captured[0] ? captured : "libgd could not read the image and gave no reason";
}

/* MARK: Geometry */

/* The output size for an oriented image of w×h in a box of bw×bh. Mirrors
 * ThumbnailSpec.outputSize in ImgrepoCore/Thumbnail.swift; the tests compare the two. */
static void fit(long long w, long long h, long long bw, long long bh, int *ow, int *oh) {
    if (w <= 0 || h <= 0) { *ow = 1; *oh = 1; return; }
    if (w <= bw && h <= bh) { *ow = (int)w; *oh = (int)h; return; }
    if (w * bh >= h * bw) {
        long long scaled = (h * bw + w / 2) / w;
        if (scaled < 1) scaled = 1;
        *ow = (int)bw;
        *oh = (int)(scaled < bh ? scaled : bh);
    } else {
        long long scaled = (w * bh + h / 2) / h;
        if (scaled < 1) scaled = 1;
        *ow = (int)(scaled < bw ? scaled : bw);
        *oh = (int)bh;
    }
}

/* The target size in the stored (unrotated) frame for a stored image of w×h. */
static void stored_target(const imgrepo_thumb_request *request, int orientation, long long w, long long h,
                          int *tw, int *th) {
    int ow, oh;
    if (orientation >= 5) {
        fit(h, w, request->box_width, request->box_height, &ow, &oh);
        *tw = oh;
        *th = ow;
    } else {
        fit(w, h, request->box_width, request->box_height, tw, th);
    }
}

/* MARK: JPEG decoding */

/* More scans than any encoder writes (progressive JPEGs have about ten). A hostile file with
 * thousands of tiny scans makes libjpeg do a whole-image pass for each; djpeg's -maxscans
 * exists for the same reason. */
enum { MAX_JPEG_SCANS = 1000 };

/* The job whose failure.manager `info->err` points at. */
static struct jpeg_job *job_of(j_common_ptr info) {
    return (struct jpeg_job *)(void *)((char *)info->err - offsetof(struct jpeg_job, failure.manager));
}

__attribute__((noreturn))
static void jpeg_fail(j_common_ptr info) {
    struct jpeg_job *job = job_of(info);
    info->err->format_message(info, job->failure.message);
    longjmp(job->failure.jump, 1);
}

static void jpeg_emit(j_common_ptr info, int level) {
    if (level >= 0) return; /* trace messages */
    struct jpeg_job *job = job_of(info);
    /* libjpeg pads a truncated scan with grey and calls that a warning; a thumbnail of half a
     * picture would hide the damage. Other warnings (stray bytes between markers and the like)
     * are common in real photos and harmless. */
    if (info->err->msg_code == JWRN_JPEG_EOF && job->failure.reading) jpeg_fail(info);
    info->err->num_warnings++;
}

static void jpeg_silent(j_common_ptr info) {
    (void)info;
}

static void jpeg_progress(j_common_ptr info) {
    j_decompress_ptr decompress = (j_decompress_ptr)info;
    if (decompress->input_scan_number > MAX_JPEG_SCANS) {
        struct jpeg_job *job = job_of(info);
        snprintf(job->failure.message, sizeof job->failure.message,
                 "more than %d scans", MAX_JPEG_SCANS);
        longjmp(job->failure.jump, 1);
    }
}

void imaging_jpeg_prepare(struct jpeg_job *job) {
    job->info.err = p_jpeg_std_error(&job->failure.manager);
    job->failure.manager.error_exit = jpeg_fail;
    job->failure.manager.emit_message = jpeg_emit;
    job->failure.manager.output_message = jpeg_silent;
    job->failure.message[0] = '\0';
    job->failure.reading = 0;
    job->image = NULL;
    job->row = NULL;
}

void imaging_jpeg_open(struct jpeg_job *job, const void *data, size_t size) {
    struct jpeg_decompress_struct *info = &job->info;
    p_jpeg_CreateDecompress(info, JPEG_LIB_VERSION, sizeof *info);
    job->progress.progress_monitor = jpeg_progress;
    info->progress = &job->progress;
    p_jpeg_mem_src(info, (const unsigned char *)data, (unsigned long)size);
    p_jpeg_read_header(info, TRUE);
}

void imaging_jpeg_choose_scale(struct jpeg_job *job, int tw, int th) {
    struct jpeg_decompress_struct *info = &job->info;
    static const unsigned denominators[] = {8, 4, 2, 1};
    for (size_t i = 0; i < sizeof denominators / sizeof denominators[0]; i++) {
        info->scale_num = 1;
        info->scale_denom = denominators[i];
        p_jpeg_calc_output_dimensions(info);
        if (info->output_width >= (JDIMENSION)tw && info->output_height >= (JDIMENSION)th) break;
    }
}

void imaging_jpeg_abort(struct jpeg_job *job, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(job->failure.message, sizeof job->failure.message, format, args);
    va_end(args);
    longjmp(job->failure.jump, 1);
}

/* Decodes at the smallest libjpeg scale (1/8, 1/4, 1/2, 1) that still gives at least the
 * target size, into a new true-colour image (job->image). The target (*tw × *th, stored frame)
 * comes from the full size in the header: the scaled size rounds each side up and may not keep
 * the aspect ratio exactly. */
static int decode_jpeg(struct jpeg_job *job, const imgrepo_thumb_request *request, int orientation,
                       int *tw, int *th, imgrepo_thumb_result *out, char *error, size_t error_len) {
    struct jpeg_decompress_struct *info = &job->info;
    imaging_jpeg_prepare(job);
    if (setjmp(job->failure.jump)) {
        p_jpeg_destroy_decompress(info);
        if (job->image) p_gdImageDestroy(job->image);
        free(job->row);
        job->image = NULL;
        job->row = NULL;
        return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE, "jpeg decoder: %s", job->failure.message);
    }
    imaging_jpeg_open(job, request->data, request->size);

    long long w = info->image_width, h = info->image_height;
    if (w * h > request->max_pixels) {
        p_jpeg_destroy_decompress(info);
        out->width = (int)w;
        out->height = (int)h;
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIMIT, "jpeg decoder: %lldx%lld is over the %lld-pixel limit",
                    w, h, request->max_pixels);
    }
    stored_target(request, orientation, w, h, tw, th);

    int cmyk = info->jpeg_color_space == JCS_CMYK || info->jpeg_color_space == JCS_YCCK;
    /* libjpeg converts grey, YCbCr and RGB to RGB, and YCCK to CMYK, but not CMYK to RGB. */
    info->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    /* ISLOW, libjpeg's default, only matters at scale 1 (the reduced scales have their own
     * IDCTs); IFAST gained nothing measurable there with libjpeg-turbo's SIMD. */
    info->dct_method = JDCT_ISLOW;
    imaging_jpeg_choose_scale(job, *tw, *th);

    job->failure.reading = 1;
    p_jpeg_start_decompress(info);
    int ow = (int)info->output_width, oh = (int)info->output_height;
    int components = info->output_components;
    job->image = p_gdImageCreateTrueColor(ow, oh);
    job->row = malloc((size_t)ow * (size_t)components);
    if (!job->image || !job->row) {
        imaging_jpeg_abort(job, "out of memory for %dx%d pixels", ow, oh);
    }
    /* Adobe's CMYK JPEGs (every CMYK or YCCK file with an Adobe marker, which libjpeg itself
     * writes) store inverted values: 255 means no ink. */
    int inverted = info->saw_Adobe_marker;
    while (info->output_scanline < info->output_height) {
        int y = (int)info->output_scanline;
        JSAMPROW rows[1] = {job->row};
        if (p_jpeg_read_scanlines(info, rows, 1) != 1) {
            imaging_jpeg_abort(job, "no data for row %d", y);
        }
        int *pixels = job->image->tpixels[y];
        const JSAMPLE *s = job->row;
        if (components == 3) {
            for (int x = 0; x < ow; x++, s += 3) pixels[x] = gdTrueColorAlpha(s[0], s[1], s[2], 0);
        } else if (components == 4 && cmyk) {
            for (int x = 0; x < ow; x++, s += 4) {
                int c = s[0], m = s[1], yy = s[2], k = s[3];
                if (!inverted) { c = 255 - c; m = 255 - m; yy = 255 - yy; k = 255 - k; }
                pixels[x] = gdTrueColorAlpha(imaging_times255(c, k), imaging_times255(m, k), imaging_times255(yy, k), 0);
            }
        } else {
            imaging_jpeg_abort(job, "unsupported output of %d components", components);
        }
    }
    job->failure.reading = 0;
    p_jpeg_finish_decompress(info);
    p_jpeg_destroy_decompress(info);
    free(job->row);
    job->row = NULL;
    return IMGREPO_THUMB_OK;
}

/* MARK: Other formats */

typedef gdImagePtr (*gd_loader)(int, void *);

static gd_loader loader_for(imgrepo_source_format format) {
    switch (format) {
    case IMGREPO_SOURCE_PNG: return p_gdImageCreateFromPngPtr;
    case IMGREPO_SOURCE_GIF: return p_gdImageCreateFromGifPtr;
    case IMGREPO_SOURCE_WEBP: return p_gdImageCreateFromWebpPtr;
    case IMGREPO_SOURCE_TIFF: return p_gdImageCreateFromTiffPtr;
    case IMGREPO_SOURCE_BMP: return p_gdImageCreateFromBmpPtr;
    case IMGREPO_SOURCE_HEIF: return p_gdImageCreateFromHeifPtr;
    case IMGREPO_SOURCE_AVIF: return p_gdImageCreateFromAvifPtr;
    default: return NULL;
    }
}

static const char *loader_name(imgrepo_source_format format) {
    switch (format) {
    case IMGREPO_SOURCE_PNG: return "gdImageCreateFromPngPtr";
    case IMGREPO_SOURCE_GIF: return "gdImageCreateFromGifPtr";
    case IMGREPO_SOURCE_WEBP: return "gdImageCreateFromWebpPtr";
    case IMGREPO_SOURCE_TIFF: return "gdImageCreateFromTiffPtr";
    case IMGREPO_SOURCE_BMP: return "gdImageCreateFromBmpPtr";
    case IMGREPO_SOURCE_HEIF: return "gdImageCreateFromHeifPtr";
    case IMGREPO_SOURCE_AVIF: return "gdImageCreateFromAvifPtr";
    default: return "?";
    }
}

int imaging_decode_gd(imgrepo_source_format format, const void *data, size_t size, long long max_pixels,
                      gdImagePtr *image, int *width, int *height, char *error, size_t error_len) {
    const char *name = imaging_source_names[format];
    gd_loader loader = loader_for(format);
    if (!loader) {
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "%s decoder: this libgd has no %s",
                    name, loader_name(format));
    }
    if (size > INT_MAX) {
        return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE, "%s decoder: %zu bytes is more than libgd reads",
                    name, size);
    }
    /* libgd's memory reader never writes to the buffer it is given (it is created with
     * freeOK = 0), so the cast is safe even for a read-only mapping. */
    gdImagePtr im = loader((int)size, (void *)data);
    if (!im) return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE, "%s decoder: %s", name, imaging_gd_reason());
    long long pixels = (long long)im->sx * im->sy;
    if (pixels > max_pixels) {
        /* The caller checked the header; this catches a header that lied. */
        *width = im->sx;
        *height = im->sy;
        p_gdImageDestroy(im);
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIMIT, "%s decoder: %dx%d is over the %lld-pixel limit",
                    name, *width, *height, max_pixels);
    }
    if (!im->trueColor && !p_gdImagePaletteToTrueColor(im)) {
        p_gdImageDestroy(im);
        return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "%s decoder: out of memory converting the palette", name);
    }
    *image = im;
    return IMGREPO_THUMB_OK;
}

/* MARK: Pixels */

/* A new image of w×h resampled from `src` by area averaging, or `src` itself when the sizes
 * match. NULL when memory runs out. */
static gdImagePtr resample(gdImagePtr src, int w, int h) {
    if (src->sx == w && src->sy == h) return src;
    gdImagePtr dst = p_gdImageCreateTrueColor(w, h);
    if (!dst) return NULL;
    /* Write alpha through rather than blending onto the (opaque black) new image. */
    p_gdImageAlphaBlending(dst, 0);
    p_gdImageCopyResampled(dst, src, 0, 0, 0, 0, w, h, src->sx, src->sy);
    return dst;
}

/* A new image showing `src` right side up for EXIF `orientation` (2-8), following the EXIF
 * definitions of where the stored 0th row and 0th column belong; 5-8 swap width and height.
 * NULL when memory runs out. */
static gdImagePtr orient(gdImagePtr src, int orientation) {
    int w = src->sx, h = src->sy;
    int swap = orientation >= 5;
    gdImagePtr dst = p_gdImageCreateTrueColor(swap ? h : w, swap ? w : h);
    if (!dst) return NULL;
    int dw = dst->sx, dh = dst->sy;
    int **from = src->tpixels;
    for (int y = 0; y < dh; y++) {
        int *row = dst->tpixels[y];
        switch (orientation) {
        case 2: for (int x = 0; x < dw; x++) row[x] = from[y][w - 1 - x]; break;
        case 3: for (int x = 0; x < dw; x++) row[x] = from[h - 1 - y][w - 1 - x]; break;
        case 4: for (int x = 0; x < dw; x++) row[x] = from[h - 1 - y][x]; break;
        case 5: for (int x = 0; x < dw; x++) row[x] = from[x][y]; break;
        case 6: for (int x = 0; x < dw; x++) row[x] = from[h - 1 - x][y]; break;
        case 7: for (int x = 0; x < dw; x++) row[x] = from[h - 1 - x][w - 1 - y]; break;
        case 8: for (int x = 0; x < dw; x++) row[x] = from[x][w - 1 - y]; break;
        default: for (int x = 0; x < dw; x++) row[x] = from[y][x]; break;
        }
    }
    return dst;
}

int imaging_has_alpha(gdImagePtr im) {
    for (int y = 0; y < im->sy; y++) {
        const int *row = im->tpixels[y];
        for (int x = 0; x < im->sx; x++)
            if (gdTrueColorGetAlpha(row[x]) != gdAlphaOpaque) return 1;
    }
    return 0;
}

/* Composites every pixel on white, for encoders without alpha. */
static void flatten_on_white(gdImagePtr im) {
    for (int y = 0; y < im->sy; y++) {
        int *row = im->tpixels[y];
        for (int x = 0; x < im->sx; x++) {
            int p = row[x], a = gdTrueColorGetAlpha(p);
            if (a == gdAlphaOpaque) continue;
            int r = (gdTrueColorGetRed(p) * (gdAlphaMax - a) + 255 * a + gdAlphaMax / 2) / gdAlphaMax;
            int g = (gdTrueColorGetGreen(p) * (gdAlphaMax - a) + 255 * a + gdAlphaMax / 2) / gdAlphaMax;
            int b = (gdTrueColorGetBlue(p) * (gdAlphaMax - a) + 255 * a + gdAlphaMax / 2) / gdAlphaMax;
            row[x] = gdTrueColorAlpha(r, g, b, gdAlphaOpaque);
        }
    }
}

/* zlib level for PNG thumbnails. Measured on a 256x192 thumbnail of a camera-like photo:
 * level 1 2.1 ms / 43 KB, 4 3.7 ms / 36 KB, 6 8.0 ms / 34 KB, 9 48 ms / 33 KB. Level 4 keeps
 * most of the saving at under half of level 6's time. */
enum { PNG_LEVEL = 4 };

static int encode(gdImagePtr im, const imgrepo_thumb_request *request, int alpha,
                  imgrepo_thumb_result *out, char *error, size_t error_len) {
    int size = 0;
    void *bytes = NULL;
    int quality = request->quality < 1 ? 1 : request->quality > 100 ? 100 : request->quality;
    imaging_capture_reset();
    switch (request->output_format) {
    case IMGREPO_OUTPUT_JPEG:
        if (alpha) flatten_on_white(im);
        bytes = p_gdImageJpegPtr(im, &size, quality);
        break;
    case IMGREPO_OUTPUT_PNG:
        /* An opaque thumbnail is written as RGB, a quarter smaller than RGBA. */
        p_gdImageSaveAlpha(im, alpha);
        bytes = p_gdImagePngPtrEx(im, &size, PNG_LEVEL);
        break;
    case IMGREPO_OUTPUT_WEBP:
        if (!p_gdImageWebpPtrEx)
            return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "webp encoder: this libgd has no gdImageWebpPtrEx");
        p_gdImageSaveAlpha(im, alpha);
        bytes = p_gdImageWebpPtrEx(im, &size, quality);
        break;
    }
    if (!bytes || size <= 0) {
        if (bytes) p_gdFree(bytes);
        return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "%s encoder: %s", output_names[request->output_format],
                    captured[0] ? captured : "libgd produced no bytes");
    }
    out->bytes = bytes;
    out->size = (size_t)size;
    out->width = im->sx;
    out->height = im->sy;
    return IMGREPO_THUMB_OK;
}

/* MARK: Entry points */

int imgrepo_thumbnail(const imgrepo_thumb_request *request, imgrepo_thumb_result *out,
                      char *error, size_t error_len) {
    if (error && error_len > 0) error[0] = '\0';
    if (!out) return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "thumbnail: no result given");
    memset(out, 0, sizeof *out);
    if (!request || !request->data || request->size == 0)
        return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "thumbnail: no image bytes");
    if ((unsigned)request->source_format > IMGREPO_SOURCE_AVIF)
        return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "thumbnail: unknown source format %d", (int)request->source_format);
    if ((unsigned)request->output_format > IMGREPO_OUTPUT_WEBP)
        return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "thumbnail: unknown output format %d", (int)request->output_format);
    if (request->box_width < 1 || request->box_height < 1)
        return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "thumbnail: box %dx%d is empty",
                    request->box_width, request->box_height);

    imaging_load();
    if (!imaging_libraries.gd_ready) return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "%s", imaging_libraries.gd_problem);
    int orientation = request->orientation >= 1 && request->orientation <= 8 ? request->orientation : 1;
    /* HEIF keeps rotation and mirroring in the container (irot, imir boxes), which win over
     * EXIF; libheif applies them while decoding, so applying the EXIF orientation as well
     * (iPhones write both) would turn the picture twice. libgd 2.3.3's AVIF reader does not
     * apply irot/imir: its pixels come out as stored, like a JPEG's, so AVIF keeps the EXIF
     * orientation. */
    if (request->source_format == IMGREPO_SOURCE_HEIF) orientation = 1;
    imaging_capture_reset();

    gdImagePtr decoded = NULL;
    int alpha = 0, tw = 1, th = 1;
    int status;
    if (request->source_format == IMGREPO_SOURCE_JPEG) {
        if (!imaging_libraries.jpeg_ready)
            return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "jpeg decoder: %s", imaging_libraries.jpeg_problem);
        struct jpeg_job job;
        status = decode_jpeg(&job, request, orientation, &tw, &th, out, error, error_len);
        decoded = job.image;
    } else {
        status = imaging_decode_gd(request->source_format, request->data, request->size, request->max_pixels,
                                   &decoded, &out->width, &out->height, error, error_len);
        if (status == IMGREPO_THUMB_OK) {
            alpha = imaging_has_alpha(decoded);
            stored_target(request, orientation, decoded->sx, decoded->sy, &tw, &th);
        }
    }
    if (status != IMGREPO_THUMB_OK) return status;

    gdImagePtr small = resample(decoded, tw, th);
    if (small != decoded) p_gdImageDestroy(decoded);
    if (!small) return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "resampler: out of memory for %dx%d pixels", tw, th);
    gdImagePtr upright = orientation == 1 ? small : orient(small, orientation);
    if (upright != small) p_gdImageDestroy(small);
    if (!upright) return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "orientation: out of memory for %dx%d pixels", tw, th);
    status = encode(upright, request, alpha, out, error, error_len);
    p_gdImageDestroy(upright);
    return status;
}

void imgrepo_thumb_free(void *bytes) {
    if (!bytes) return;
    /* Bytes exist only if libgd was loaded and made them. */
    p_gdFree(bytes);
}

const char *imgrepo_gd_version(void) {
    imaging_load();
    if (!imaging_libraries.gd_ready) return NULL;
    if (p_gdVersionString) return p_gdVersionString();
    return "unknown (before 2.1)";  /* gdVersionString arrived in libgd 2.1 */
}

int imgrepo_can_decode(imgrepo_source_format format) {
    imaging_load();
    if (!imaging_libraries.gd_ready) return 0;
    if (format == IMGREPO_SOURCE_JPEG) return imaging_libraries.jpeg_ready;
    return loader_for(format) != NULL;
}

const char *imgrepo_library_problem(void) {
    imaging_load();
    if (imaging_libraries.gd_problem[0]) return imaging_libraries.gd_problem;
    if (imaging_libraries.jpeg_problem[0]) return imaging_libraries.jpeg_problem;
    return NULL;
}
