/* loader.c: see imgrepo_loader.h. */
#include "imgrepo_loader.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* pthread_once takes no argument: the library being loaded travels in a thread-local. */
static _Thread_local struct imgrepo_library *loading;

static void load(void) {
    struct imgrepo_library *library = loading;
    void *handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(library->problem, sizeof library->problem, "%s cannot be loaded: install %s (%s)",
                 library->soname, library->package, dlerror());
        return;
    }
    for (size_t i = 0; i < library->count; i++) {
        void *symbol = dlsym(handle, library->names[i]);
        if (!symbol) {
            snprintf(library->problem, sizeof library->problem, "%s lacks %s: install a newer %s",
                     library->soname, library->names[i], library->package);
            return;
        }
        /* POSIX guarantees a function pointer survives a round trip through void *. */
        memcpy((char *)library->table + i * sizeof symbol, &symbol, sizeof symbol);
    }
    library->ready = 1;
}

const char *imgrepo_library_load(struct imgrepo_library *library) {
    loading = library;
    pthread_once(&library->once, load);
    loading = NULL;
    return library->ready ? NULL : library->problem;
}
