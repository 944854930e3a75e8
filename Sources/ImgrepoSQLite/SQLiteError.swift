import CSQLite
import ImgrepoCore

/// A non-OK SQLite result code, with SQLite's own message and the SQL that produced it.
///
/// It never leaves this target: `SQLiteMetadataStore` turns it into an `ImgrepoError` at the
/// boundary (see `imgrepoError(location:)`).
struct SQLiteError: Error, Equatable, CustomStringConvertible {
    /// The extended result code (`SQLITE_BUSY_SNAPSHOT`, `SQLITE_NOTADB`, ...).
    var code: Int32
    /// `sqlite3_errmsg` at the time of the failure, or `sqlite3_errstr(code)` when there was no handle.
    var message: String
    /// The statement that failed, when the failure belongs to one.
    var sql: String?

    /// The primary result code (`SQLITE_BUSY` for `SQLITE_BUSY_SNAPSHOT`).
    var primaryCode: Int32 { code & 0xFF }

    /// An I/O error or "database or disk is full": what a full disk looks like to SQLite.
    var isIOOrFull: Bool { primaryCode == SQLITE_IOERR || primaryCode == SQLITE_FULL }

    /// A write refused because the connection or the file is read-only.
    var isReadOnly: Bool { primaryCode == SQLITE_READONLY }

    var description: String {
        if let sql { return "sqlite error \(code): \(message) (in \(sql))" }
        return "sqlite error \(code): \(message)"
    }

    /// Reads the message SQLite left on `connection` for result code `code`.
    init(code: Int32, connection: OpaquePointer?, sql: String?) {
        self.code = code
        if let connection, let text = sqlite3_errmsg(connection) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(code))
        }
        self.sql = sql
    }

    init(code: Int32, message: String, sql: String?) {
        self.code = code; self.message = message; self.sql = sql
    }

    /// The `ImgrepoError` a caller of the store sees.
    ///
    /// A write refused because the file, its folder or the store is read-only
    /// (`SQLITE_READONLY`) is `repositoryNotWritable`; everything else — not a database,
    /// locked past the busy timeout, I/O errors, corruption — is `databaseUnavailable`.
    /// The reason is SQLite's own message; the SQL stays in this type for debugging.
    func imgrepoError(location: String) -> ImgrepoError {
        switch primaryCode {
        case SQLITE_READONLY: .repositoryNotWritable(path: location, reason: message)
        default: .databaseUnavailable(location: location, reason: message)
        }
    }
}
