extension MySQLMetadataStore {
    /// MariaDB Connector/C's version, e.g. "3.3.20", from `mysql_get_client_info`. Loads the
    /// library (dlopen) on first use, so only `imgrepo --version --json` and MySQL catalogues
    /// ask; nil when libmariadb cannot be loaded.
    public static var libraryVersion: String? { MariaDB.clientVersion }
}
