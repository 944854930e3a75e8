import CSQLite

extension SQLiteMetadataStore {
    /// The linked SQLite library's version, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
