/* imaging.c: thumbnails with libjpeg-turbo and libgd, both loaded with dlopen on first use.
 *
 * Contracts are in include/imgrepo_imaging.h. The headers <gd.h> and <jpeglib.h> are used for
 * their declarations only: every library function is called through a pointer resolved with
 * dlsym, typed with __typeof__ so that a mismatch with the header is a compile error. Nothing
 * here links libgd or libjpeg.
 */
#include "imaging_internal.h"

#include <dlfcn.h>
#include <errno.h>
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
_Thread_local int imaging_decode_count;
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
    /* Before libgd (and libpng under it) can print anything. */
    imaging_output_install();
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

/* More scans than any encoder writes (libjpeg's progressive script has ten, jpegtran's
 * -optimize and mozjpeg's scan search a few dozen). A hostile file of many tiny scans makes
 * libjpeg do a whole-image pass for each: an 11 KB file of 990 scans took 11-28 s. djpeg's
 * -maxscans exists for the same reason; libjpeg-turbo's fuzzers cap it too. */
enum { MAX_JPEG_SCANS = 100 };

/* The job whose failure.manager `info->err` points at. */
static struct jpeg_job *job_of(j_common_ptr info) {
    return (struct jpeg_job *)(void *)((char *)info->err - offsetof(struct jpeg_job, failure.manager));
}

__attribute__((noreturn))
static void jpeg_fail(j_common_ptr info) {
    struct jpeg_job *job = job_of(info);
    if (info->err->msg_code == JERR_NO_BACKING_STORE) {
        /* max_memory_to_use was reached (imaging_jpeg_open): say what that means. */
        j_decompress_ptr d = (j_decompress_ptr)info;
        snprintf(job->failure.message, sizeof job->failure.message,
                 "a progressive %ux%u image needs more than the %d MiB a decode may use",
                 (unsigned)d->image_width, (unsigned)d->image_height, IMAGING_JPEG_MEMORY / (1024 * 1024));
    } else {
        info->err->format_message(info, job->failure.message);
    }
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

/* libjpeg's source manager over an imgrepo_source: a 64 KiB buffer refilled with pread, as
 * jpeg_stdio_src does with fread. Allocated in libjpeg's permanent pool, so that it goes with
 * the decompressor however the decode ends. */
enum { JPEG_SOURCE_BUFFER = 64 * 1024 };

struct jpeg_source {
    struct jpeg_source_mgr manager; /* first: libjpeg hands callbacks a pointer to it */
    imgrepo_source *source;
    long long offset; /* of the byte after the buffer's */
    JOCTET *buffer;
};

static void jpeg_source_init(j_decompress_ptr info) {
    (void)info;
}

static boolean jpeg_source_fill(j_decompress_ptr info) {
    struct jpeg_source *s = (struct jpeg_source *)(void *)info->src;
    long long n = imgrepo_source_read(s->source, s->buffer, JPEG_SOURCE_BUFFER, s->offset);
    if (n < 0) imaging_jpeg_abort(job_of((j_common_ptr)info), "cannot read the file: %s", strerror(errno));
    if (n == 0) {
        /* As libjpeg's own sources do at the end of the data: warn (fatal while pixels are read,
         * see jpeg_emit) and hand over an end-of-image marker. */
        WARNMS(info, JWRN_JPEG_EOF);
        s->buffer[0] = (JOCTET)0xFF;
        s->buffer[1] = (JOCTET)JPEG_EOI;
        n = 2;
    } else {
        s->offset += n;
    }
    s->manager.next_input_byte = s->buffer;
    s->manager.bytes_in_buffer = (size_t)n;
    return TRUE;
}

static void jpeg_source_skip(j_decompress_ptr info, long count) {
    struct jpeg_source *s = (struct jpeg_source *)(void *)info->src;
    if (count <= 0) return;
    if ((size_t)count <= s->manager.bytes_in_buffer) {
        s->manager.next_input_byte += count;
        s->manager.bytes_in_buffer -= (size_t)count;
        return;
    }
    /* Past the buffer: the next fill reads from there (the source digests what lies between). */
    s->offset += (long long)((size_t)count - s->manager.bytes_in_buffer);
    s->manager.bytes_in_buffer = 0;
}

static void jpeg_source_term(j_decompress_ptr info) {
    (void)info;
}

void imaging_jpeg_open(struct jpeg_job *job, imgrepo_source *source) {
    struct jpeg_decompress_struct *info = &job->info;
    p_jpeg_CreateDecompress(info, JPEG_LIB_VERSION, sizeof *info);
    job->progress.progress_monitor = jpeg_progress;
    info->progress = &job->progress;
    /* Whole-frame buffers (a progressive image's coefficients) past this fail to allocate
     * rather than take gigabytes; see IMAGING_JPEG_MEMORY. */
    info->mem->max_memory_to_use = IMAGING_JPEG_MEMORY;
    struct jpeg_source *s = (struct jpeg_source *)info->mem->alloc_small((j_common_ptr)info, JPOOL_PERMANENT, sizeof *s);
    s->buffer = (JOCTET *)info->mem->alloc_small((j_common_ptr)info, JPOOL_PERMANENT, JPEG_SOURCE_BUFFER);
    s->source = source;
    s->offset = 0;
    s->manager.init_source = jpeg_source_init;
    s->manager.fill_input_buffer = jpeg_source_fill;
    s->manager.skip_input_data = jpeg_source_skip;
    s->manager.resync_to_restart = p_jpeg_resync_to_restart;
    s->manager.term_source = jpeg_source_term;
    s->manager.next_input_byte = NULL;
    s->manager.bytes_in_buffer = 0;
    info->src = &s->manager;
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

/* Decodes into a new true-colour image (job->image) at 1/`denominator`, or, when `denominator` is
 * 0, at the smallest libjpeg scale (1/8, 1/4, 1/2, 1) that still gives at least the request's
 * thumbnail target. The target (*tw × *th, stored frame; left alone for a given denominator)
 * comes from the full size in the header: the scaled size rounds each side up and may not keep
 * the aspect ratio exactly. The full size goes to *width × *height once the header is read. */
static int decode_jpeg(struct jpeg_job *job, const imgrepo_thumb_request *request, int orientation,
                       unsigned denominator, int *tw, int *th, int *width, int *height,
                       char *error, size_t error_len) {
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
    imaging_jpeg_open(job, request->source);

    long long w = info->image_width, h = info->image_height;
    *width = (int)w;
    *height = (int)h;
    if (w * h > request->max_pixels) {
        p_jpeg_destroy_decompress(info);
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIMIT, "jpeg decoder: %lldx%lld is over the %lld-pixel limit",
                    w, h, request->max_pixels);
    }
    if (denominator == 0) stored_target(request, orientation, w, h, tw, th);

    int cmyk = info->jpeg_color_space == JCS_CMYK || info->jpeg_color_space == JCS_YCCK;
    /* libjpeg converts grey, YCbCr and RGB to RGB, and YCCK to CMYK, but not CMYK to RGB. */
    info->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    /* ISLOW, libjpeg's default, only matters at scale 1 (the reduced scales have their own
     * IDCTs); IFAST gained nothing measurable there with libjpeg-turbo's SIMD. */
    info->dct_method = JDCT_ISLOW;
    if (denominator == 0) {
        imaging_jpeg_choose_scale(job, *tw, *th);
    } else {
        info->scale_num = 1;
        info->scale_denom = denominator;
    }

    job->failure.reading = 1;
    imaging_decode_count++;
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

typedef gdImagePtr (*gd_loader)(gdIOCtxPtr);

static gd_loader loader_for(imgrepo_source_format format) {
    switch (format) {
    case IMGREPO_SOURCE_PNG: return p_gdImageCreateFromPngCtx;
    case IMGREPO_SOURCE_GIF: return p_gdImageCreateFromGifCtx;
    case IMGREPO_SOURCE_WEBP: return p_gdImageCreateFromWebpCtx;
    case IMGREPO_SOURCE_TIFF: return p_gdImageCreateFromTiffCtx;
    case IMGREPO_SOURCE_BMP: return p_gdImageCreateFromBmpCtx;
    case IMGREPO_SOURCE_HEIF: return p_gdImageCreateFromHeifCtx;
    case IMGREPO_SOURCE_AVIF: return p_gdImageCreateFromAvifCtx;
    default: return NULL;
    }
}

static const char *loader_name(imgrepo_source_format format) {
    switch (format) {
    case IMGREPO_SOURCE_PNG: return "gdImageCreateFromPngCtx";
    case IMGREPO_SOURCE_GIF: return "gdImageCreateFromGifCtx";
    case IMGREPO_SOURCE_WEBP: return "gdImageCreateFromWebpCtx";
    case IMGREPO_SOURCE_TIFF: return "gdImageCreateFromTiffCtx";
    case IMGREPO_SOURCE_BMP: return "gdImageCreateFromBmpCtx";
    case IMGREPO_SOURCE_HEIF: return "gdImageCreateFromHeifCtx";
    case IMGREPO_SOURCE_AVIF: return "gdImageCreateFromAvifCtx";
    default: return "?";
    }
}

/* A libgd input context over an imgrepo_source: reads go through a 64 KiB window refilled with
 * pread, so libgd's byte-at-a-time readers (BMP, GIF) cost no system call a byte, and its
 * streaming readers (PNG, GIF, BMP, TIFF) hold only their own buffers. The WebP, HEIF and AVIF
 * readers copy the whole file into memory whatever they are given. */
enum { GD_SOURCE_BUFFER = 64 * 1024 };

struct gd_source {
    gdIOCtx context; /* first: libgd hands callbacks a pointer to it */
    imgrepo_source *source;
    long long position;
    long long window_start;
    size_t window_length;
    int error; /* the errno of a failed read, 0 */
    unsigned char window[GD_SOURCE_BUFFER];
};

static int gd_source_get_buffer(gdIOCtxPtr context, void *buffer, int wanted) {
    struct gd_source *s = (struct gd_source *)(void *)context;
    if (wanted <= 0) return 0;
    unsigned char *out = buffer;
    int done = 0;
    while (done < wanted) {
        long long in_window = s->position - s->window_start;
        if (in_window >= 0 && in_window < (long long)s->window_length) {
            size_t n = s->window_length - (size_t)in_window;
            if (n > (size_t)(wanted - done)) n = (size_t)(wanted - done);
            memcpy(out + done, s->window + in_window, n);
            done += (int)n;
            s->position += (long long)n;
            continue;
        }
        size_t rest = (size_t)(wanted - done);
        if (rest >= GD_SOURCE_BUFFER) {
            /* A large read goes straight to the caller's buffer. */
            long long n = imgrepo_source_read(s->source, out + done, rest, s->position);
            if (n <= 0) {
                if (n < 0) s->error = errno;
                break;
            }
            done += (int)n;
            s->position += n;
            continue;
        }
        long long n = imgrepo_source_read(s->source, s->window, GD_SOURCE_BUFFER, s->position);
        if (n <= 0) {
            if (n < 0) s->error = errno;
            s->window_length = 0;
            break;
        }
        s->window_start = s->position;
        s->window_length = (size_t)n;
    }
    return done;
}

static int gd_source_get_byte(gdIOCtxPtr context) {
    unsigned char byte;
    return gd_source_get_buffer(context, &byte, 1) == 1 ? byte : EOF;
}

static int gd_source_seek(gdIOCtxPtr context, const int position) {
    struct gd_source *s = (struct gd_source *)(void *)context;
    if (position < 0) return 0;
    s->position = position;
    return 1;
}

static long gd_source_tell(gdIOCtxPtr context) {
    return (long)((struct gd_source *)(void *)context)->position;
}

static void gd_source_put_byte(gdIOCtxPtr context, int byte) {
    (void)context;
    (void)byte;
}

static int gd_source_put_buffer(gdIOCtxPtr context, const void *buffer, int count) {
    (void)context;
    (void)buffer;
    (void)count;
    return 0;
}

static void gd_source_free(gdIOCtxPtr context) {
    (void)context; /* owned by imaging_decode_gd */
}

/* The largest file libgd's whole-file readers (WebP, HEIF, AVIF) are given. */
enum { GD_WHOLE_FILE_MAX = 64 * 1024 * 1024 };

/* The most chunks a PNG is walked for; a real PNG has tens to a few thousand (IDAT in 8 KiB
 * pieces). More is a crafted file. */
enum { PNG_MAX_CHUNKS = 1000000 };

static unsigned long be32(const unsigned char *p) {
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static int png_type_letters(const unsigned char *type) {
    for (int i = 0; i < 4; i++)
        if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z'))) return 0;
    return 1;
}

/* Walks a PNG's chunk headers and refuses a chunk other than IDAT that claims more bytes than
 * the file holds, before libpng sees it: libpng allocates a text, profile or unknown chunk's
 * declared length up front (a 377-byte file whose tEXt claimed 2 GB took 2.1 GB). IDAT is
 * streamed by libpng whatever its length, so an IDAT running past the end is left to libpng,
 * which calls it truncated; so is anything that is not a chunk structure at all (no IHDR first,
 * a type that is not four letters), which libpng words better. Reads through `s`'s window, so
 * small chunks cost no extra system call. */
static int png_chunks_fit(struct gd_source *s, long long size, char *error, size_t error_len) {
    long long offset = 8;
    for (int steps = 0; steps < PNG_MAX_CHUNKS; steps++) {
        unsigned char header[8];
        s->position = offset;
        if (gd_source_get_buffer(&s->context, header, 8) != 8) break;
        unsigned long length = be32(header);
        const unsigned char *kind = header + 4;
        if (!png_type_letters(kind) || (steps == 0 && memcmp(kind, "IHDR", 4) != 0)) break;
        if (memcmp(kind, "IEND", 4) == 0) break;
        if (length > 0x7FFFFFFFul || offset + 12 + (long long)length > size) {
            if (memcmp(kind, "IDAT", 4) == 0) break;
            char type[5] = {(char)kind[0], (char)kind[1], (char)kind[2], (char)kind[3], '\0'};
            return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE,
                                "png decoder: chunk '%s' at offset %lld claims %lu bytes, more than the %lld-byte file holds",
                                type, offset, length, size);
        }
        offset += 12 + (long long)length;
    }
    s->position = 0;
    return IMGREPO_THUMB_OK;
}

int imaging_decode_gd(imgrepo_source_format format, imgrepo_source *source, long long max_pixels,
                      gdImagePtr *image, int *width, int *height, char *error, size_t error_len) {
    const char *name = imaging_source_names[format];
    gd_loader loader = loader_for(format);
    if (!loader) {
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "%s decoder: this libgd has no %s",
                    name, loader_name(format));
    }
    long long size = imgrepo_source_size(source);
    if (size > INT_MAX) {
        /* libgd's contexts seek and tell in int. */
        return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE, "%s decoder: %lld bytes is more than libgd reads",
                    name, size);
    }
    /* libgd's WebP, HEIF and AVIF readers copy the whole file into memory (to its end, whatever
     * the container says), growing their buffer by doubling: a blob with a long tail would cost
     * twice its size. Real files are a few MB (a 24 MP lossless WebP some tens). */
    int whole = format == IMGREPO_SOURCE_WEBP || format == IMGREPO_SOURCE_HEIF || format == IMGREPO_SOURCE_AVIF;
    if (whole && size > GD_WHOLE_FILE_MAX) {
        return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE,
                            "%s decoder: %lld bytes is more than the %d MiB libgd's %s reader may hold", name, size,
                            GD_WHOLE_FILE_MAX / (1024 * 1024), name);
    }
    struct gd_source *s = calloc(1, sizeof *s);
    if (!s) return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "%s decoder: out of memory", name);
    s->context.getC = gd_source_get_byte;
    s->context.getBuf = gd_source_get_buffer;
    s->context.putC = gd_source_put_byte;
    s->context.putBuf = gd_source_put_buffer;
    s->context.seek = gd_source_seek;
    s->context.tell = gd_source_tell;
    s->context.gd_free = gd_source_free;
    s->source = source;
    if (format == IMGREPO_SOURCE_PNG) {
        int status = png_chunks_fit(s, size, error, error_len);
        if (status != IMGREPO_THUMB_OK) {
            free(s);
            return status;
        }
    }
    imaging_decode_count++;
    imaging_output_begin(name, "decoder");
    gdImagePtr im = loader(&s->context);
    imaging_output_end();
    int read_error = s->error;
    free(s);
    if (!im && read_error) {
        return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE, "%s decoder: cannot read the file: %s", name, strerror(read_error));
    }
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
    imaging_output_begin(output_names[request->output_format], "encoder");
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
        if (!p_gdImageWebpPtrEx) {
            imaging_output_end();
            return imaging_fail(error, error_len, IMGREPO_THUMB_ELIBRARY, "webp encoder: this libgd has no gdImageWebpPtrEx");
        }
        p_gdImageSaveAlpha(im, alpha);
        bytes = p_gdImageWebpPtrEx(im, &size, quality);
        break;
    }
    imaging_output_end();
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

/* MARK: Thumbnails from a decoded image */

/* Resamples `decoded` (the stored frame) to tw×th, turns it right side up and encodes it. With
 * `keep`, `decoded` is left for the caller to destroy and other thumbnails to use; it is only
 * changed when it is itself the thumbnail (same size, orientation 1), where the encoder writes
 * its flags and, for JPEG output, composites it on white: see thumbnails_from. Without `keep`,
 * `decoded` is consumed. */
static int finish(gdImagePtr decoded, int keep, int tw, int th, int orientation, int alpha,
                  const imgrepo_thumb_request *request, imgrepo_thumb_result *out, char *error, size_t error_len) {
    gdImagePtr small = resample(decoded, tw, th);
    if (small != decoded && !keep) p_gdImageDestroy(decoded);
    if (!small) return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "resampler: out of memory for %dx%d pixels", tw, th);
    gdImagePtr upright = orientation == 1 ? small : orient(small, orientation);
    if (upright != small && (small != decoded || !keep)) p_gdImageDestroy(small);
    if (!upright) return imaging_fail(error, error_len, IMGREPO_THUMB_ERESOURCE, "orientation: out of memory for %dx%d pixels", tw, th);
    int status = encode(upright, request, alpha, out, error, error_len);
    if (upright != decoded || !keep) p_gdImageDestroy(upright);
    return status;
}

/* MARK: Entry points */

int imgrepo_thumbnail(const imgrepo_thumb_request *request, imgrepo_thumb_result *out,
                      char *error, size_t error_len) {
    if (error && error_len > 0) error[0] = '\0';
    if (!out) return imaging_fail(error, error_len, IMGREPO_THUMB_EINVALID, "thumbnail: no result given");
    memset(out, 0, sizeof *out);
    if (!request || !request->source || imgrepo_source_size(request->source) == 0)
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
        int width = 0, height = 0;
        status = decode_jpeg(&job, request, orientation, 0, &tw, &th, &width, &height, error, error_len);
        if (status == IMGREPO_THUMB_ELIMIT) {
            out->width = width;
            out->height = height;
        }
        decoded = job.image;
    } else {
        status = imaging_decode_gd(request->source_format, request->source, request->max_pixels,
                                   &decoded, &out->width, &out->height, error, error_len);
        if (status == IMGREPO_THUMB_OK) {
            alpha = imaging_has_alpha(decoded);
            stored_target(request, orientation, decoded->sx, decoded->sy, &tw, &th);
        }
    }
    if (status != IMGREPO_THUMB_OK) return status;
    return finish(decoded, 0, tw, th, orientation, alpha, request, out, error, error_len);
}

/* MARK: Thumbnails and fingerprints from one decode */

/* The thumbnail request `job` stands for. */
static imgrepo_thumb_request job_request(const imgrepo_fingerprint_request *request, const imgrepo_thumb_job *job) {
    imgrepo_thumb_request r = {
        .source = request->source, .source_format = request->source_format,
        .orientation = request->orientation, .box_width = job->box_width, .box_height = job->box_height,
        .output_format = job->output_format, .quality = job->quality, .max_pixels = request->max_pixels,
    };
    return r;
}

/* A job's spec imgrepo_thumbnail accepts before decoding; any other fails there alone. */
static int job_valid(const imgrepo_thumb_job *job) {
    return job->box_width >= 1 && job->box_height >= 1 && (unsigned)job->output_format <= IMGREPO_OUTPUT_WEBP;
}

static void job_alone(const imgrepo_fingerprint_request *request, imgrepo_thumb_job *job) {
    if (!request) {
        job->status = imgrepo_thumbnail(NULL, &job->result, job->error, sizeof job->error);
        return;
    }
    imgrepo_thumb_request r = job_request(request, job);
    job->status = imgrepo_thumbnail(&r, &job->result, job->error, sizeof job->error);
}

/* The failure of the decode that was to serve `job`, as imgrepo_thumbnail reports it. */
static void job_fail(imgrepo_thumb_job *job, int status, int width, int height, const char *message) {
    job->status = status;
    if (status == IMGREPO_THUMB_ELIMIT) {
        job->result.width = width;
        job->result.height = height;
    }
    snprintf(job->error, sizeof job->error, "%s", message);
}

/* Makes the jobs marked in `mine` from `decoded`, a decode of the stored frame whose full size is
 * w×h (targets are computed from it, as imgrepo_thumbnail does). `decoded` is kept, and is
 * changed only by a job whose thumbnail is `decoded` itself (same size, orientation 1): the
 * encoder sets its save-alpha flag and, for JPEG output, composites it on white. Those jobs come
 * last, JPEG output last of all, so that every earlier job sees the pixels as decoded; and
 * compositing an already composited image changes nothing, so each job still gets the bytes a
 * decode of its own would give. */
static void thumbnails_from(gdImagePtr decoded, long long w, long long h, int orientation, int alpha,
                            const imgrepo_fingerprint_request *request, imgrepo_thumb_job *jobs,
                            const unsigned char *mine, size_t count) {
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < count; i++) {
            if (!mine[i]) continue;
            imgrepo_thumb_request r = job_request(request, &jobs[i]);
            int tw = 1, th = 1;
            stored_target(&r, orientation, w, h, &tw, &th);
            int itself = orientation == 1 && tw == decoded->sx && th == decoded->sy;
            int order = !itself ? 0 : r.output_format == IMGREPO_OUTPUT_JPEG ? 2 : 1;
            if (order != pass) continue;
            jobs[i].status = finish(decoded, 1, tw, th, orientation, alpha, &r, &jobs[i].result,
                                    jobs[i].error, sizeof jobs[i].error);
        }
    }
}

/* Reads a JPEG's header: its full size, checked against the limit, and the scale denominator
 * imgrepo_thumbnail would decode each valid job at (denominators[i]) and imgrepo_fingerprint
 * the grey image at (denominators[count]; 0 when no grey image is asked). Fails as decode_jpeg
 * does at the same point. */
static int plan_jpeg(const imgrepo_fingerprint_request *request, int orientation, int gw, int gh,
                     const imgrepo_thumb_job *jobs, size_t count, unsigned *denominators,
                     int *width, int *height, char *error, size_t error_len) {
    struct jpeg_job job;
    struct jpeg_decompress_struct *info = &job.info;
    imaging_jpeg_prepare(&job);
    if (setjmp(job.failure.jump)) {
        p_jpeg_destroy_decompress(info);
        return imaging_fail(error, error_len, IMGREPO_THUMB_EDECODE, "jpeg decoder: %s", job.failure.message);
    }
    imaging_jpeg_open(&job, request->source);
    long long w = info->image_width, h = info->image_height;
    *width = (int)w;
    *height = (int)h;
    if (w * h > request->max_pixels) {
        p_jpeg_destroy_decompress(info);
        return imaging_fail(error, error_len, IMGREPO_THUMB_ELIMIT, "jpeg decoder: %lldx%lld is over the %lld-pixel limit",
                            w, h, request->max_pixels);
    }
    for (size_t i = 0; i < count; i++) {
        denominators[i] = 0;
        if (!job_valid(&jobs[i])) continue;
        imgrepo_thumb_request r = job_request(request, &jobs[i]);
        int tw = 1, th = 1;
        stored_target(&r, orientation, w, h, &tw, &th);
        imaging_jpeg_choose_scale(&job, tw, th);
        denominators[i] = info->scale_denom;
    }
    denominators[count] = 0;
    if (request->gray) {
        imaging_jpeg_choose_scale(&job, gw, gh);
        denominators[count] = info->scale_denom;
    }
    p_jpeg_destroy_decompress(info);
    return IMGREPO_THUMB_OK;
}

int imgrepo_thumbnails_and_fingerprint(const imgrepo_fingerprint_request *request,
                                       imgrepo_thumb_job *thumbs, size_t thumb_count,
                                       imgrepo_fingerprint_result *out, char *error, size_t error_len,
                                       int *decodes) {
    int decodes_before = imaging_decode_count;
    if (!thumbs) thumb_count = 0;
    for (size_t i = 0; i < thumb_count; i++) {
        thumbs[i].status = IMGREPO_THUMB_EINVALID;
        memset(&thumbs[i].result, 0, sizeof thumbs[i].result);
        thumbs[i].error[0] = '\0';
    }
    imaging_load();
    int gray = request && request->gray != NULL;
    /* Whatever imgrepo_fingerprint refuses before decoding, or cannot decode for want of a
     * library, gets each call alone: the same refusals, with nothing to share. */
    int shareable = out && request && request->source && imgrepo_source_size(request->source) > 0
        && (unsigned)request->source_format <= IMGREPO_SOURCE_AVIF
        && (gray || request->pixel_hash)
        && (!gray || (request->gray_width >= 1 && request->gray_width <= IMGREPO_GRAY_MAX_SIDE
                      && request->gray_height >= 1 && request->gray_height <= IMGREPO_GRAY_MAX_SIDE))
        && imaging_libraries.gd_ready
        && (request->source_format != IMGREPO_SOURCE_JPEG || imaging_libraries.jpeg_ready);
    unsigned char *mine = shareable ? calloc(thumb_count + 1, 1) : NULL;
    unsigned *denominators = shareable ? calloc(thumb_count + 1, sizeof *denominators) : NULL;
    if (!mine || !denominators) {
        free(mine);
        free(denominators);
        for (size_t i = 0; i < thumb_count; i++) job_alone(request, &thumbs[i]);
        int status = imgrepo_fingerprint(request, out, error, error_len);
        if (decodes) *decodes = imaging_decode_count - decodes_before;
        return status;
    }
    for (size_t i = 0; i < thumb_count; i++)
        if (!job_valid(&thumbs[i])) job_alone(request, &thumbs[i]);

    if (error && error_len > 0) error[0] = '\0';
    memset(out, 0, sizeof *out);
    int orientation = request->orientation >= 1 && request->orientation <= 8 ? request->orientation : 1;
    /* HEIF: libheif applies the container's rotation while decoding (see imgrepo_thumbnail). */
    if (request->source_format == IMGREPO_SOURCE_HEIF) orientation = 1;
    int gw = orientation >= 5 ? request->gray_height : request->gray_width;
    int gh = orientation >= 5 ? request->gray_width : request->gray_height;
    imaging_capture_reset();
    char message[IMGREPO_MESSAGE_MAX];
    int width = 0, height = 0;
    int status;

    if (request->source_format != IMGREPO_SOURCE_JPEG) {
        /* libgd decodes at full size whatever is asked: one decode serves everything. */
        gdImagePtr im = NULL;
        status = imaging_decode_gd(request->source_format, request->source, request->max_pixels,
                                   &im, &width, &height, message, sizeof message);
        if (status != IMGREPO_THUMB_OK) {
            for (size_t i = 0; i < thumb_count; i++)
                if (job_valid(&thumbs[i])) job_fail(&thumbs[i], status, width, height, message);
            out->width = width;
            out->height = height;
            status = imaging_fail(error, error_len, status, "%s", message);
        } else {
            /* The fingerprints first: they read the pixels as decoded, before any thumbnail. */
            status = imaging_fingerprint_image(im, request->source_format, request->pixel_hash, request->gray,
                                               orientation, gw, gh, out, error, error_len);
            int any = 0;
            for (size_t i = 0; i < thumb_count; i++) any |= mine[i] = (unsigned char)job_valid(&thumbs[i]);
            int alpha = any ? imaging_has_alpha(im) : 0;
            thumbnails_from(im, im->sx, im->sy, orientation, alpha, request, thumbs, mine, thumb_count);
            p_gdImageDestroy(im);
        }
        goto done;
    }

    status = plan_jpeg(request, orientation, gw, gh, thumbs, thumb_count, denominators, &width, &height,
                       message, sizeof message);
    out->width = width;
    out->height = height;
    if (status != IMGREPO_THUMB_OK) {
        for (size_t i = 0; i < thumb_count; i++)
            if (job_valid(&thumbs[i])) job_fail(&thumbs[i], status, width, height, message);
        status = imaging_fail(error, error_len, status, "%s", message);
        goto done;
    }
    /* One decode per scale asked for: outputs at the same scale share it, and each gets what a
     * decode of its own at that scale would give. */
    static const unsigned scales[] = {8, 4, 2, 1};
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
        unsigned d = scales[k];
        int serves_gray = gray && denominators[thumb_count] == d;
        int any = 0;
        for (size_t i = 0; i < thumb_count; i++) any |= mine[i] = (unsigned char)(denominators[i] == d);
        if (!serves_gray && !any) continue;
        imgrepo_thumb_request base = job_request(request, &(imgrepo_thumb_job){.box_width = 1, .box_height = 1});
        struct jpeg_job job;
        int tw = 1, th = 1, w = 0, h = 0;
        int decoded = decode_jpeg(&job, &base, orientation, d, &tw, &th, &w, &h, message, sizeof message);
        if (decoded != IMGREPO_THUMB_OK) {
            for (size_t i = 0; i < thumb_count; i++)
                if (mine[i]) job_fail(&thumbs[i], decoded, w, h, message);
            if (serves_gray) status = imaging_fail(error, error_len, decoded, "%s", message);
            continue;
        }
        if (serves_gray) {
            status = imaging_fingerprint_image(job.image, IMGREPO_SOURCE_JPEG, 0, request->gray, orientation, gw, gh,
                                               out, error, error_len);
            /* The stored image's size, not the scaled decode's. */
            out->width = w;
            out->height = h;
        }
        thumbnails_from(job.image, w, h, orientation, 0, request, thumbs, mine, thumb_count);
        p_gdImageDestroy(job.image);
    }
    /* The pixel hash wants the full-size pixels as RGBA, which no thumbnail decode gives: its own
     * decode, after a grey image that succeeded, as imgrepo_fingerprint does. */
    if (status == IMGREPO_THUMB_OK && request->pixel_hash) status = imaging_jpeg_pixel_hash(request, out, error, error_len);

done:
    free(mine);
    free(denominators);
    if (decodes) *decodes = imaging_decode_count - decodes_before;
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
