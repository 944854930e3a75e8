/* zlib.c: the zlib functions ImageProbe uses, resolved on first use (imgrepo_zlib.h). */
#include "imgrepo_zlib.h"
#include "imgrepo_loader.h"

#define NAME(name) #name,
static const char *const names[] = { IMGREPO_ZLIB_FUNCTIONS(NAME) };
static struct imgrepo_zlib table;
_Static_assert(sizeof table == sizeof names / sizeof *names * sizeof(void *), "one pointer per name");
static struct imgrepo_library library = IMGREPO_LIBRARY("libz.so.1", "zlib1g", names, table);

const struct imgrepo_zlib *imgrepo_zlib_load(const char **problem) {
    const char *failure = imgrepo_library_load(&library);
    if (!failure) return &table;
    *problem = failure;
    return NULL;
}
