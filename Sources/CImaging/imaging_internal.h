/* imaging_internal.h: what imaging.c (thumbnails) and fingerprint.c (pixel and perceptual
 * hashes) share: the dlopen'ed function pointers, the captured libgd messages, libjpeg's error
 * handling and libgd decoding. Not part of the module's interface (it is outside include/), and
 * every symbol is hidden, so nothing here is visible beyond CImaging.
 */
#ifndef IMGREPO_IMAGING_INTERNAL_H
#define IMGREPO_IMAGING_INTERNAL_H

#include "imgrepo_imaging.h"

#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>

#include <gd.h>
#include <jpeglib.h>

#define IMAGING_HIDDEN __attribute__((visibility("hidden")))

/* MARK: Libraries */

/* Functions every caller needs; libgd without one of them is unusable. */
#define GD_REQUIRED(X) \
    X(gdImageCreateTrueColor) X(gdImageDestroy) X(gdImageCopyResampled) \
    X(gdImagePaletteToTrueColor) X(gdImageSaveAlpha) X(gdImageAlphaBlending) \
    X(gdImageJpegPtr) X(gdImagePngPtrEx) X(gdFree) X(gdSetErrorMethod)
/* Functions a libgd build may lack (it is configured per codec); their absence fails only the
 * formats that need them. */
#define GD_OPTIONAL(X) \
    X(gdImageCreateFromPngCtx) X(gdImageCreateFromGifCtx) X(gdImageCreateFromWebpCtx) \
    X(gdImageCreateFromTiffCtx) X(gdImageCreateFromBmpCtx) X(gdImageCreateFromHeifCtx) \
    X(gdImageCreateFromAvifCtx) X(gdImageWebpPtrEx) X(gdVersionString)
#define JPEG_REQUIRED(X) \
    X(jpeg_std_error) X(jpeg_CreateDecompress) X(jpeg_destroy_decompress) X(jpeg_resync_to_restart) \
    X(jpeg_read_header) X(jpeg_calc_output_dimensions) X(jpeg_start_decompress) \
    X(jpeg_read_scanlines) X(jpeg_finish_decompress)

/* Each library function is called through p_<name>, typed from its own header's declaration. */
#define IMAGING_DECLARE_POINTER(name) extern IMAGING_HIDDEN __typeof__(&name) p_##name;
GD_REQUIRED(IMAGING_DECLARE_POINTER)
GD_OPTIONAL(IMAGING_DECLARE_POINTER)
JPEG_REQUIRED(IMAGING_DECLARE_POINTER)

struct imaging_libraries {
    int gd_ready;
    int jpeg_ready;
    char gd_problem[256];
    char jpeg_problem[256];
};
/* Filled once by imaging_load; read only afterwards. */
extern IMAGING_HIDDEN struct imaging_libraries imaging_libraries;

/* How many decodes of pixels this thread has started (each libgd load, each libjpeg
 * decompression): imgrepo_thumbnails_and_fingerprint reports the difference. */
extern IMAGING_HIDDEN _Thread_local int imaging_decode_count;

/* Loads libgd and libjpeg once (thread-safe); afterwards imaging_libraries says what loaded. */
IMAGING_HIDDEN void imaging_load(void);

/* Replaces C's stderr, once, by a stream that passes through to descriptor 2, except on a
 * thread between imaging_output_begin and _end: there each line a library prints becomes one
 * "imgrepo: warning: NAME ROLE: TEXT" line (library_output.c). */
IMAGING_HIDDEN void imaging_output_install(void);
/* This thread is about to call libgd to decode or encode `name` ("png"); `role` is "decoder"
 * or "encoder". Both strings must outlive the call. */
IMAGING_HIDDEN void imaging_output_begin(const char *name, const char *role);
/* Writes any unfinished line and ends the call begun by imaging_output_begin. */
IMAGING_HIDDEN void imaging_output_end(void);

/* MARK: Errors */

/* "jpeg", "png", ... indexed by imgrepo_source_format: how messages name a decoder. */
extern IMAGING_HIDDEN const char *const imaging_source_names[];

/* Writes the message into `error` (when not NULL) and returns `status`. */
__attribute__((format(printf, 4, 5)))
IMAGING_HIDDEN int imaging_fail(char *error, size_t error_len, int status, const char *format, ...);

/* Forgets what libgd or libtiff reported on this thread. */
IMAGING_HIDDEN void imaging_capture_reset(void);

/* libgd's own words for the last failure on this thread, or a stand-in when it gave none. */
IMAGING_HIDDEN const char *imaging_gd_reason(void);

/* MARK: JPEG */

/* One libjpeg decompression with its error handling: a failure longjmps to `failure.jump`
 * with libjpeg's message in `failure.message`. */
struct jpeg_job {
    struct jpeg_decompress_struct info;
    struct {
        struct jpeg_error_mgr manager; /* libjpeg hands callbacks a pointer to this */
        jmp_buf jump;
        char message[JMSG_LENGTH_MAX];
        /* While pixels are being read, running out of data is fatal; after the last row
         * (a missing end-of-image marker) it is not. */
        int reading;
    } failure;
    struct jpeg_progress_mgr progress;
    /* Owned by the caller's decoding; freed by it when the jump lands. */
    gdImagePtr image;
    JSAMPLE *row;
};

/* Sets up `job`'s error handling; call before setjmp(job->failure.jump). */
IMAGING_HIDDEN void imaging_jpeg_prepare(struct jpeg_job *job);

/* Creates the decompressor reading `source` from its start and reads the header; call after
 * setjmp(job->failure.jump), which any failure jumps to. Refuses files with more scans than
 * any encoder writes, and progressive images whose coefficients would take more memory than
 * IMAGING_JPEG_MEMORY. */
IMAGING_HIDDEN void imaging_jpeg_open(struct jpeg_job *job, imgrepo_source *source);

/* The most memory libjpeg may take for an image's whole-frame buffers (a progressive JPEG keeps
 * every DCT coefficient, 2 bytes a sample, whatever the output scale): 160 MiB is a 4:2:0
 * progressive image of about 55 megapixels. Beyond it libjpeg would need a backing store, which
 * libjpeg-turbo does not have, and the decode fails with a message saying so. */
enum { IMAGING_JPEG_MEMORY = 160 * 1024 * 1024 };

/* Chooses the smallest libjpeg scale (1/8, 1/4, 1/2, 1) whose output is at least tw×th, or
 * full size when none is. Call after imaging_jpeg_open, before jpeg_start_decompress. */
IMAGING_HIDDEN void imaging_jpeg_choose_scale(struct jpeg_job *job, int tw, int th);

/* Longjmps out of the decompression with `message` (a printf format). */
__attribute__((noreturn, format(printf, 2, 3)))
IMAGING_HIDDEN void imaging_jpeg_abort(struct jpeg_job *job, const char *format, ...);

/* a×b/255, rounded: one ink times the paper left by black. */
static inline int imaging_times255(int a, int b) {
    int t = a * b + 128;
    return (t + (t >> 8)) >> 8;
}

/* MARK: Other formats */

/* Decodes a non-JPEG with libgd into a true-colour image (*image, which the caller destroys).
 * Returns IMGREPO_THUMB_ELIMIT with *width × *height set when the decoded image has more than
 * `max_pixels` pixels (the caller has checked the header; this catches a header that lied). */
IMAGING_HIDDEN int imaging_decode_gd(imgrepo_source_format format, imgrepo_source *source,
                                     long long max_pixels, gdImagePtr *image, int *width, int *height,
                                     char *error, size_t error_len);

/* 1 when some pixel of the true-colour `im` is not opaque. */
IMAGING_HIDDEN int imaging_has_alpha(gdImagePtr im);

/* MARK: Fingerprints (fingerprint.c) */

/* The pixel hash (when `pixel_hash`) and the grey image (when `gray` is not NULL: gw × gh in the
 * stored frame, written turned for `orientation`) of the decoded true-colour `im`, as
 * imgrepo_fingerprint computes them from a libgd decode; `out` gets im's size. `im` is only
 * read. `format` names the decoder in messages. */
IMAGING_HIDDEN int imaging_fingerprint_image(gdImagePtr im, imgrepo_source_format format, int pixel_hash, double *gray,
                                             int orientation, int gw, int gh, imgrepo_fingerprint_result *out,
                                             char *error, size_t error_len);

/* imgrepo_fingerprint's pixel hash of a JPEG: a full-size decode of its own. */
IMAGING_HIDDEN int imaging_jpeg_pixel_hash(const imgrepo_fingerprint_request *request, imgrepo_fingerprint_result *out,
                                           char *error, size_t error_len);

#endif
