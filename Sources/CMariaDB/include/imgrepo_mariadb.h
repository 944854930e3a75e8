/* imgrepo_mariadb.h: MariaDB Connector/C (libmariadb), loaded with dlopen on first use.
 *
 * Why not link it: libmariadb brings libssl, libcrypto and libz into every process, ~1.2 ms of
 * start-up for every command, while only a catalogue on a MySQL/MariaDB server needs it. The
 * types and constants are Connector/C's own (from <mysql.h>); the functions are reached only
 * through the table `imgrepo_mariadb_load` returns, so calling one directly is a link error.
 */
#ifndef IMGREPO_MARIADB_H
#define IMGREPO_MARIADB_H

#include <mariadb/mysql.h>
#include <mariadb/errmsg.h>
#include <mariadb/mysqld_error.h>

/* Every Connector/C function the driver calls. Add one here to use it. */
#define IMGREPO_MARIADB_FUNCTIONS(X) \
    X(mysql_init) X(mysql_options) X(mysql_real_connect) X(mysql_close) \
    X(mysql_errno) X(mysql_error) X(mysql_real_query) X(mysql_store_result) \
    X(mysql_field_count) X(mysql_free_result) X(mysql_num_fields) X(mysql_fetch_row) \
    X(mysql_fetch_lengths) X(mysql_fetch_fields) \
    X(mysql_stmt_init) X(mysql_stmt_prepare) X(mysql_stmt_close) X(mysql_stmt_errno) \
    X(mysql_stmt_error) X(mysql_stmt_param_count) X(mysql_stmt_bind_param) \
    X(mysql_stmt_execute) X(mysql_stmt_result_metadata) X(mysql_stmt_bind_result) \
    X(mysql_stmt_fetch) X(mysql_stmt_fetch_column) X(mysql_stmt_free_result) \
    X(mysql_stmt_insert_id) X(mysql_get_client_info)

/* The functions, each with Connector/C's own signature. */
struct imgrepo_mariadb {
#define IMGREPO_MARIADB_FIELD(name) __typeof__(name) *_Nonnull name;
    IMGREPO_MARIADB_FUNCTIONS(IMGREPO_MARIADB_FIELD)
#undef IMGREPO_MARIADB_FIELD
};

/* Loads libmariadb.so.3 once (thread-safe) and returns the table; NULL when it cannot be
 * loaded, with `*problem` saying what is missing and how to install it. */
const struct imgrepo_mariadb *_Nullable imgrepo_mariadb_load(const char *_Nullable *_Nonnull problem);

#endif
