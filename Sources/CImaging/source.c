/* source.c: an image file read through its descriptor, never mapped, with an optional digest
 * fed in the same pass. Contracts are in include/imgrepo_imaging.h ("Sources").
 *
 * Why not mmap: a mapped file that shrinks (or whose disk fails) while it is read raises SIGBUS,
 * which kills the process without a word; a pread of the same bytes is a short read or an
 * errno, which the decoders report as a damaged image. And reading through a small buffer keeps
 * a decode's memory independent of the file's size wherever the decoder streams.
 */
#include "imaging_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

struct imgrepo_source {
    int fd;
    long long size;
    imgrepo_digest_fn digest;
    void *context;
    /* Bytes [0, digested) have gone to the digest, in order, each once. */
    long long digested;
};

imgrepo_source *imgrepo_source_new(int fd, long long size, imgrepo_digest_fn digest, void *context) {
    imgrepo_source *source = calloc(1, sizeof *source);
    if (!source) return NULL;
    source->fd = fd;
    source->size = size < 0 ? 0 : size;
    source->digest = digest;
    source->context = context;
    return source;
}

void imgrepo_source_free(imgrepo_source *source) {
    free(source);
}

long long imgrepo_source_size(const imgrepo_source *source) {
    return source->size;
}

/* pread until `count` bytes, end of file or an error (-1, errno set). */
static long long read_fully(int fd, unsigned char *buffer, size_t count, long long offset) {
    size_t done = 0;
    while (done < count) {
        ssize_t n = pread(fd, buffer + done, count - done, (off_t)(offset + (long long)done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) break;
        done += (size_t)n;
    }
    return (long long)done;
}

/* Feeds the digest bytes [digested, until) (or to the end of the file, if sooner), read through a
 * buffer of its own: what a decoder skipped or has not reached. 0, or -1 with errno. */
static int digest_up_to(imgrepo_source *source, long long until) {
    enum { CHUNK = 256 * 1024 };
    if (!source->digest || source->digested >= until) return 0;
    unsigned char *buffer = malloc(CHUNK);
    if (!buffer) {
        errno = ENOMEM;
        return -1;
    }
    int status = 0;
    while (source->digested < until) {
        long long want = until - source->digested;
        long long n = read_fully(source->fd, buffer, want < CHUNK ? (size_t)want : CHUNK, source->digested);
        if (n < 0) {
            status = -1;
            break;
        }
        if (n == 0) break;
        source->digest(source->context, buffer, (size_t)n);
        source->digested += n;
    }
    free(buffer);
    return status;
}

long long imgrepo_source_read(imgrepo_source *source, void *buffer, size_t count, long long offset) {
    if (offset < 0) {
        errno = EINVAL;
        return -1;
    }
    /* A read past what was digested (a decoder skipping a segment, or seeking) digests the gap
     * first, so that the digest sees every byte once and in order whatever the decoder does. */
    if (source->digest && offset > source->digested && digest_up_to(source, offset) < 0) return -1;
    long long n = read_fully(source->fd, buffer, count, offset);
    if (n > 0 && source->digest && offset <= source->digested && offset + n > source->digested) {
        long long from = source->digested - offset;
        source->digest(source->context, (unsigned char *)buffer + from, (size_t)(n - from));
        source->digested = offset + n;
    }
    return n;
}

long long imgrepo_source_finish_digest(imgrepo_source *source) {
    if (digest_up_to(source, LLONG_MAX) < 0) return -1;
    return source->digested;
}
