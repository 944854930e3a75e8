/* mariadb.c: resolves the Connector/C functions the driver uses (see imgrepo_mariadb.h). */
#include "imgrepo_mariadb.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct imgrepo_mariadb table;
static char problem[256];
static int ready;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *library = dlopen("libmariadb.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(problem, sizeof problem, "libmariadb.so.3 cannot be loaded: install libmariadb3 (%s)", dlerror());
        return;
    }
    const char *missing = NULL;
#define RESOLVE(name) \
    table.name = (__typeof__(name) *)dlsym(library, #name); \
    if (!table.name && !missing) missing = #name;
    IMGREPO_MARIADB_FUNCTIONS(RESOLVE)
#undef RESOLVE
    if (missing) {
        snprintf(problem, sizeof problem, "libmariadb.so.3 lacks %s: install libmariadb3 (Connector/C 3)", missing);
        return;
    }
    ready = 1;
}

const struct imgrepo_mariadb *imgrepo_mariadb_load(const char **problem_out) {
    pthread_once(&once, load);
    if (ready) return &table;
    *problem_out = problem;
    return NULL;
}
