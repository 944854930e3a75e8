/* expat.c: the expat functions ImgrepoXMP uses, resolved on first use (imgrepo_expat.h). */
#include "imgrepo_expat.h"
#include "imgrepo_loader.h"

#define NAME(name) #name,
static const char *const names[] = { IMGREPO_EXPAT_FUNCTIONS(NAME) };
static struct imgrepo_expat table;
_Static_assert(sizeof table == sizeof names / sizeof *names * sizeof(void *), "one pointer per name");
static struct imgrepo_library library = IMGREPO_LIBRARY("libexpat.so.1", "libexpat1", names, table);

const struct imgrepo_expat *imgrepo_expat_load(const char **problem) {
    const char *failure = imgrepo_library_load(&library);
    if (!failure) return &table;
    *problem = failure;
    return NULL;
}
