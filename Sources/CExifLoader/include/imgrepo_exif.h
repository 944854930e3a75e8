/* imgrepo_exif.h: libexif, loaded with dlopen on first use (see imgrepo_loader.h).
 *
 * Only reading EXIF needs it (upload, index, the EXIF checks); list, details, get and
 * thumbnail hits never do. The types and constants are libexif's own; the functions are
 * reached only through the table `imgrepo_exif_load` returns.
 */
#ifndef IMGREPO_EXIF_H
#define IMGREPO_EXIF_H

#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>
#include <libexif/exif-tag.h>
#include <libexif/exif-ifd.h>
#include <libexif/exif-log.h>
#include <libexif/exif-entry.h>
#include <libexif/exif-content.h>
#include <libexif/exif-mnote-data.h>

/* Every libexif function ImgrepoExif calls. Add one here to use it. */
#define IMGREPO_EXIF_FUNCTIONS(X) \
    X(exif_data_new) X(exif_data_unref) X(exif_data_load_data) X(exif_data_unset_option) \
    X(exif_data_log) X(exif_data_get_byte_order) X(exif_data_get_mnote_data) \
    X(exif_log_new) X(exif_log_unref) X(exif_log_set_func) \
    X(exif_entry_get_value) X(exif_tag_get_name_in_ifd) X(exif_format_get_size) \
    X(exif_get_short) X(exif_get_sshort) X(exif_get_long) X(exif_get_slong) \
    X(exif_get_rational) X(exif_get_srational) \
    X(exif_mnote_data_count) X(exif_mnote_data_get_id) X(exif_mnote_data_get_name) \
    X(exif_mnote_data_get_value)

struct imgrepo_exif {
#define IMGREPO_EXIF_FIELD(name) __typeof__(name) *_Nonnull name;
    IMGREPO_EXIF_FUNCTIONS(IMGREPO_EXIF_FIELD)
#undef IMGREPO_EXIF_FIELD
};

/* Loads libexif.so.12 once (thread-safe) and returns the table; NULL when it cannot be loaded,
 * with `*problem` saying what is missing and how to install it. */
const struct imgrepo_exif *_Nullable imgrepo_exif_load(const char *_Nullable *_Nonnull problem);

#endif
