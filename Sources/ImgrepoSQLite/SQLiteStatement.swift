import CSQLite
import ImgrepoSQL

/// One prepared statement; finalized when released.
///
/// Every run binds from scratch and resets the statement when it finishes, so a cached
/// statement never holds a read snapshot open between uses.
final class SQLiteStatement {
    let sql: String
    /// Kept so the connection outlives the statement and its error messages stay readable.
    private let connection: SQLiteConnection
    private let handle: OpaquePointer

    init(connection: SQLiteConnection, sql: String) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteError(code: rc, connection: connection.handle, sql: sql)
        }
        self.connection = connection
        self.sql = sql
        self.handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Binding

    /// SQLite copies the bytes before the bind call returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    }

    /// Resets the statement and binds `values` to its `?` placeholders, in order.
    func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    func bind(_ value: SQLValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null:
            rc = sqlite3_bind_null(handle, index)
        case .integer(let v):
            rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v):
            rc = sqlite3_bind_double(handle, index, v)
        case .text(var v):
            rc = v.withUTF8 { bytes in
                // An empty buffer may have no base address, which SQLite would bind as NULL.
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    return sqlite3_bind_text(handle, index, "", 0, Self.transient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            }
        }
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: connection.handle, sql: sql) }
    }

    // MARK: Stepping

    /// Advances to the next row; false when the statement is done.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(code: rc, connection: connection.handle, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Releases the statement's locks and rewinds it; bindings stay.
    func reset() {
        sqlite3_reset(handle)
    }

    /// Binds `values` and runs the statement to completion.
    func run(_ values: [SQLValue] = []) throws {
        try bind(values)
        defer { reset() }
        while try step() {}
    }

    /// Binds `values`, decodes every row with `decode`, and resets.
    func rows<T>(_ values: [SQLValue] = [], _ decode: (inout SQLiteRow) throws -> T) throws -> [T] {
        try bind(values)
        defer { reset() }
        var result: [T] = []
        while try step() {
            var row = SQLiteRow(statement: self)
            result.append(try decode(&row))
        }
        return result
    }

    /// Binds `values` and calls `body` with each row as it is stepped to, then resets (also
    /// when `body` throws), so memory does not grow with the number of rows.
    func forEachRow(_ values: [SQLValue] = [], _ body: (inout SQLiteRow) throws -> Void) throws {
        try bind(values)
        defer { reset() }
        while try step() {
            var row = SQLiteRow(statement: self)
            try body(&row)
        }
    }

    /// The first row decoded with `decode`, or nil; the statement is reset either way.
    func firstRow<T>(_ values: [SQLValue] = [], _ decode: (inout SQLiteRow) throws -> T) throws -> T? {
        try bind(values)
        defer { reset() }
        guard try step() else { return nil }
        var row = SQLiteRow(statement: self)
        return try decode(&row)
    }

    // MARK: Columns of the current row

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        // column_bytes must follow column_text: the conversion to text may change the length.
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The column as a bindable value, keeping SQLite's storage class.
    func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(int64(column))
        case SQLITE_FLOAT: .real(double(column))
        default: .text(text(column))
        }
    }

    var columnCount: Int32 { sqlite3_column_count(handle) }
}

/// Reads the current row's columns left to right, so a decoder lists them in the same order as
/// the SELECT it decodes.
struct SQLiteRow: SQLColumnCursor {
    let statement: SQLiteStatement
    private(set) var column: Int32 = 0

    init(statement: SQLiteStatement) { self.statement = statement }

    mutating func int64() -> Int64 { defer { column += 1 }; return statement.int64(column) }
    mutating func double() -> Double { defer { column += 1 }; return statement.double(column) }
    mutating func text() -> String { defer { column += 1 }; return statement.text(column) }

    mutating func optionalInt64() -> Int64? {
        defer { column += 1 }
        return statement.isNull(column) ? nil : statement.int64(column)
    }

    mutating func optionalInt() -> Int? { optionalInt64().map { Int($0) } }

    mutating func optionalDouble() -> Double? {
        defer { column += 1 }
        return statement.isNull(column) ? nil : statement.double(column)
    }

    mutating func optionalText() -> String? {
        defer { column += 1 }
        return statement.isNull(column) ? nil : statement.text(column)
    }

    mutating func value() -> SQLValue { defer { column += 1 }; return statement.value(column) }

    /// Skips a column the decoder does not need.
    mutating func skip() { column += 1 }
}
