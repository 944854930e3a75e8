/* exif.c: the libexif functions ImgrepoExif uses, resolved on first use (imgrepo_exif.h). */
#include "imgrepo_exif.h"
#include "imgrepo_loader.h"

#define NAME(name) #name,
static const char *const names[] = { IMGREPO_EXIF_FUNCTIONS(NAME) };
static struct imgrepo_exif table;
_Static_assert(sizeof table == sizeof names / sizeof *names * sizeof(void *), "one pointer per name");
static struct imgrepo_library library = IMGREPO_LIBRARY("libexif.so.12", "libexif12", names, table);

const struct imgrepo_exif *imgrepo_exif_load(const char **problem) {
    const char *failure = imgrepo_library_load(&library);
    if (!failure) return &table;
    *problem = failure;
    return NULL;
}
