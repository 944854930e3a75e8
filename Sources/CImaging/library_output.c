/* library_output.c: what the libraries under libgd print on stderr, as imgrepo's own lines.
 *
 * libgd 2.3.3 creates its PNG reader without a warning handler, so libpng's default one writes
 * "libpng warning: tEXt: CRC error" straight to C's stderr (libgd's error method, which we do
 * set, never sees it), and there is no png_struct to give a handler to. C's `stderr` is therefore
 * replaced, once, by a stream that passes everything through to descriptor 2 unchanged, except
 * on a thread inside a libgd call (between imaging_output_begin and _end): there each line
 * becomes one "imgrepo: warning: CONTEXT: TEXT" line, control bytes escaped. imgrepo itself
 * writes stderr with write(2), never through C's stderr, so only C libraries pass here.
 */
#define _GNU_SOURCE
#include "imaging_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The libgd call this thread is in ("png", "decoder"); a NULL name outside one. */
static _Thread_local const char *output_context;
static _Thread_local const char *output_role;
/* The line being assembled: libraries write a message and its newline in separate calls. */
static _Thread_local char pending[512];
static _Thread_local size_t pending_length;

static void write_all(const char *bytes, size_t count) {
    while (count > 0) {
        ssize_t n = write(STDERR_FILENO, bytes, count);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        bytes += n;
        count -= (size_t)n;
    }
}

/* Writes the pending text as one prefixed, escaped line (one write, so lines from threads do
 * not interleave), and empties it. */
static void emit_pending(void) {
    const char *text = pending;
    size_t length = pending_length;
    pending_length = 0;
    while (length > 0 && (text[length - 1] == '\r' || text[length - 1] == ' ')) length--;
    if (length == 0) return;
    /* libpng's default handler says "libpng warning: X"; the line already says warning. */
    static const char libpng[] = "libpng warning: ";
    const char *library = "";
    if (length >= sizeof libpng - 1 && memcmp(text, libpng, sizeof libpng - 1) == 0) {
        text += sizeof libpng - 1;
        length -= sizeof libpng - 1;
        library = "libpng: ";
    }
    char line[sizeof pending * 4 + 128];
    int n = snprintf(line, sizeof line, "imgrepo: warning: %s %s: %s", output_context, output_role, library);
    size_t used = n < 0 ? 0 : (size_t)n >= sizeof line ? sizeof line - 1 : (size_t)n;
    for (size_t i = 0; i < length && used + 5 < sizeof line; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\t') {
            line[used++] = '\\';
            line[used++] = 't';
        } else if (c < 0x20 || c >= 0x7F) {
            used += (size_t)snprintf(line + used, sizeof line - used, "\\x%02X", c);
        } else {
            line[used++] = (char)c;
        }
    }
    line[used++] = '\n';
    write_all(line, used);
}

static ssize_t output_write(void *cookie, const char *bytes, size_t count) {
    (void)cookie;
    if (!output_context) {
        write_all(bytes, count);
        return (ssize_t)count;
    }
    for (size_t i = 0; i < count; i++) {
        if (bytes[i] == '\n') {
            emit_pending();
        } else if (pending_length < sizeof pending - 1) {
            pending[pending_length++] = bytes[i];
        }
        /* A longer line is cut: one line of the library's words is enough. */
    }
    return (ssize_t)count;
}

void imaging_output_install(void) {
    cookie_io_functions_t functions = {.write = output_write};
    FILE *stream = fopencookie(NULL, "w", functions);
    if (!stream) return; /* the libraries keep printing as they did */
    /* Unbuffered as stderr is, so pass-through output keeps its order with write(2)s. */
    setvbuf(stream, NULL, _IONBF, 0);
    fflush(stderr);
    stderr = stream;
}

void imaging_output_begin(const char *name, const char *role) {
    output_context = name;
    output_role = role;
    pending_length = 0;
}

void imaging_output_end(void) {
    if (output_context && pending_length > 0) emit_pending();
    output_context = NULL;
}
