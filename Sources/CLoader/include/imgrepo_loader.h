/* imgrepo_loader.h: a C library loaded with dlopen on first use, its functions into a table.
 *
 * Why: every library an executable links is loaded, relocated and initialised before main, for
 * every command, whether or not the command calls it (0.1 to 1 ms each, more with the
 * libraries it brings). The wrappers over libraries that only some commands need (CExifLoader,
 * CExpatLoader, CZlibLoader, CMariaDB, CCrypto) describe their functions once and load them
 * here when first asked. Each keeps its own table of function pointers with the library's own
 * signatures (__typeof__), so a mismatch is a compile error, not a crash.
 */
#ifndef IMGREPO_LOADER_H
#define IMGREPO_LOADER_H

#include <pthread.h>
#include <stddef.h>

struct imgrepo_library {
    const char *soname;          /* what to dlopen: "libexif.so.12" */
    const char *package;         /* the Debian package that installs it: "libexif12" */
    const char *const *names;    /* the functions to resolve, in the order of the table's fields */
    size_t count;
    void *table;                 /* `count` function pointers, filled in `names` order */
    /* Private: the outcome of the one attempt. */
    pthread_once_t once;
    int ready;
    char problem[256];
};

/* A library description for a table of function pointers `table` and a `names` array. */
#define IMGREPO_LIBRARY(soname, package, names, table) \
    { (soname), (package), (names), sizeof(names) / sizeof(*(names)), &(table), PTHREAD_ONCE_INIT, 0, "" }

/* Loads the library and resolves every function, once (thread-safe; later calls return the
 * first outcome). NULL when the table is ready; else a one-line message saying what is
 * missing and which package installs it. Static storage. */
const char *imgrepo_library_load(struct imgrepo_library *library);

#endif
