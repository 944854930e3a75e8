import CSQLite
import ImgrepoSQL

/// Owns one `sqlite3*` handle and closes it when released.
///
/// Used from one thread at a time (the handle is opened with `SQLITE_OPEN_NOMUTEX`).
final class SQLiteConnection {
    let path: String
    let isReadOnly: Bool
    let handle: OpaquePointer

    /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// Opens (and, unless `readOnly`, creates) the database file. Sets the busy timeout but
    /// runs no SQL: a file that is not a database is only noticed by the first statement.
    ///
    /// `immutable` (read-only opens only) tells SQLite the file cannot change while it is open:
    /// it then takes no locks and needs no `-shm` file, which is how a WAL database in a folder
    /// this process cannot write is read at all (SQLite cannot create the `-shm` there).
    init(path: String, readOnly: Bool, immutable: Bool = false) throws {
        var db: OpaquePointer?
        let access = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = immutable && readOnly
            ? sqlite3_open_v2(Self.immutableURI(path), &db, access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil)
            : sqlite3_open_v2(path, &db, access | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            // sqlite3_open_v2 allocates a handle even when it fails; it carries the message.
            let error = SQLiteError(code: rc, connection: db, sql: nil)
            sqlite3_close_v2(db)
            throw error
        }
        self.path = path
        self.isReadOnly = readOnly
        self.handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Self.busyTimeoutMilliseconds)
    }

    /// `file:PATH?immutable=1`, with the three characters a URI path gives meaning to
    /// (`%`, `?`, `#`) escaped: SQLite decodes `%HH` in the path and takes the rest as bytes.
    /// An absolute path gets an empty authority (`file:///…`), so that one starting `//` is not
    /// read as a host name.
    static func immutableURI(_ path: String) -> String {
        var escaped = ""
        for character in path.unicodeScalars {
            switch character {
            case "%": escaped += "%25"
            case "?": escaped += "%3F"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return (path.hasPrefix("/") ? "file://" : "file:") + escaped + "?immutable=1"
    }

    deinit {
        // close_v2 defers the close until every statement is finalized, so the order in which
        // Swift releases a store's connection and its cached statements does not matter.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no parameters (pragmas, DDL scripts,
    /// transaction control). Rows they return are discarded.
    func execute(_ sql: String) throws {
        var errorText: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorText)
        guard rc == SQLITE_OK else {
            let message = errorText.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorText)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// Compiles one statement.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(connection: self, sql: sql)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` … `COMMIT`, rolling back when anything throws.
    ///
    /// IMMEDIATE takes the write lock at once, so two processes writing at the same time queue
    /// on the busy timeout; a deferred transaction that reads first would instead fail with
    /// `SQLITE_BUSY` when it tried to upgrade to a writer.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try transaction("BEGIN IMMEDIATE", body)
    }

    /// Runs `body` inside one read transaction (`BEGIN` … `COMMIT`), so several SELECTs see
    /// one snapshot of the file; inside a transaction already open, just runs `body`.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        guard !isInTransaction else { return try body() }
        return try transaction("BEGIN", body)
    }

    /// `begin`, `body`, COMMIT; ROLLBACK when anything throws.
    private func transaction<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // The original error is the one worth reporting; a failed rollback (no transaction
            // left to roll back) adds nothing.
            _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    /// Whether a transaction is open on this connection.
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

extension SQLiteConnection: SQLRowReading {
    func allRows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        try prepare(sql).rows(arguments) { row in
            (0..<row.statement.columnCount).map { _ in row.value() }
        }
    }
}
