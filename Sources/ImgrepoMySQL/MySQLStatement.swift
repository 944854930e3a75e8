import CMariaDB
import ImageProbe
import ImgrepoSQL

/// One server-side prepared statement (`mysql_stmt_*`); closed when released.
///
/// Every value travels as a bound parameter. Rows are read unbuffered, one `mysql_stmt_fetch`
/// at a time, so `forEachRow` keeps memory constant; every run ends with
/// `mysql_stmt_free_result`, which also discards rows a caller stopped reading.
final class MySQLStatement {
    let sql: String
    /// Kept so the session outlives the statement.
    private let connection: MySQLConnection
    private let handle: UnsafeMutablePointer<MYSQL_STMT>
    /// The session the statement was prepared on; a reconnect makes it useless.
    let session: UnsafeMutablePointer<MYSQL>

    init(connection: MySQLConnection, sql: String) throws {
        guard let statement = MariaDB.api.mysql_stmt_init(connection.handle) else {
            throw MySQLError(connection: connection.handle, sql: sql)
        }
        connection.willSend()
        guard MariaDB.api.mysql_stmt_prepare(statement, sql, UInt(sql.utf8.count)) == 0 else {
            let error = MySQLError(statement: statement, sql: sql)
            _ = MariaDB.api.mysql_stmt_close(statement)
            throw error
        }
        self.connection = connection
        self.sql = sql
        self.handle = statement
        self.session = connection.handle
    }

    deinit {
        _ = MariaDB.api.mysql_stmt_close(handle)
    }

    /// The AUTO_INCREMENT value the last run of an INSERT assigned.
    var insertID: Int64 { Int64(MariaDB.api.mysql_stmt_insert_id(handle)) }

    /// The statement's error, or the session's when the statement holds none (some fetch
    /// failures are only recorded on the session).
    private func error() -> MySQLError {
        let error = MySQLError(statement: handle, sql: sql)
        return error.code != 0 ? error : MySQLError(connection: connection.handle, sql: sql)
    }

    // MARK: Running

    /// Binds `values` and runs the statement, discarding any rows.
    func run(_ values: [SQLValue] = []) throws {
        try execute(values)
        _ = MariaDB.api.mysql_stmt_free_result(handle)
    }

    /// Every row, each as its column values.
    func rows(_ values: [SQLValue] = []) throws -> [[SQLValue]] {
        var result: [[SQLValue]] = []
        try forEachRow(values) { result.append($0) }
        return result
    }

    /// The first row, or nil; the rest are discarded.
    func firstRow(_ values: [SQLValue] = []) throws -> [SQLValue]? {
        var first: [SQLValue]?
        try forEachRow(values, stopAfterFirst: true) { first = $0 }
        return first
    }

    /// Calls `body` with each row as it arrives from the server. An error from `body` stops
    /// the walk; the remaining rows are discarded.
    func forEachRow(_ values: [SQLValue] = [], stopAfterFirst: Bool = false,
                    _ body: ([SQLValue]) throws -> Void) throws {
        try execute(values)
        defer { _ = MariaDB.api.mysql_stmt_free_result(handle) }
        guard let metadata = MariaDB.api.mysql_stmt_result_metadata(handle) else { return }
        let columns = ResultColumns(metadata: metadata)
        MariaDB.api.mysql_free_result(metadata)
        defer { columns.deallocate() }
        guard MariaDB.api.mysql_stmt_bind_result(handle, columns.binds) == 0 else {
            throw MySQLError(statement: handle, sql: sql)
        }
        while true {
            let rc = MariaDB.api.mysql_stmt_fetch(handle)
            if rc == MYSQL_NO_DATA { return }
            guard rc == 0 || rc == MYSQL_DATA_TRUNCATED else { throw error() }
            try body(try columns.values(of: handle, sql: sql))
            if stopAfterFirst { return }
        }
    }

    /// Binds `values` to the placeholders, in order, and executes.
    private func execute(_ values: [SQLValue]) throws {
        let count = Int(MariaDB.api.mysql_stmt_param_count(handle))
        precondition(count == values.count, "\(values.count) values for \(count) placeholders in \(sql)")
        let binds = UnsafeMutablePointer<MYSQL_BIND>.allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        var buffers: [UnsafeMutableRawPointer] = []
        defer {
            buffers.forEach { $0.deallocate() }
            binds.deinitialize(count: max(count, 1))
            binds.deallocate()
        }
        for (index, value) in values.enumerated() {
            switch value {
            case .null:
                binds[index].buffer_type = MYSQL_TYPE_NULL
            case .integer(let number):
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
                buffer.storeBytes(of: number, as: Int64.self)
                buffers.append(buffer)
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = buffer
            case .real(let number):
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
                buffer.storeBytes(of: number, as: Double.self)
                buffers.append(buffer)
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                binds[index].buffer = buffer
            case .text(let text):
                let bytes = Array(text.utf8)
                // Never a zero-byte allocation: an empty string must not look like a NULL buffer.
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
                bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
                buffers.append(buffer)
                binds[index].buffer_type = MYSQL_TYPE_STRING
                binds[index].buffer = buffer
                // With no length pointer, libmariadb reads the length from buffer_length.
                binds[index].buffer_length = UInt(bytes.count)
            }
        }
        if count > 0, MariaDB.api.mysql_stmt_bind_param(handle, binds) != 0 {
            throw MySQLError(statement: handle, sql: sql)
        }
        connection.willSend()
        guard MariaDB.api.mysql_stmt_execute(handle) == 0 else { throw error() }
    }
}

/// The output buffers of one result set: integers, doubles and times in place, everything
/// else as text in a buffer that grows for the rare long value (`mysql_stmt_fetch_column`).
private struct ResultColumns {
    enum Kind { case integer, real, time, decimal, text, null }

    let count: Int
    let kinds: [Kind]
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let lengths: UnsafeMutablePointer<UInt>
    let nulls: UnsafeMutablePointer<my_bool>
    let errors: UnsafeMutablePointer<my_bool>
    let buffers: [UnsafeMutableRawPointer]
    static let textCapacity = 256

    init(metadata: UnsafeMutablePointer<MYSQL_RES>) {
        count = Int(MariaDB.api.mysql_num_fields(metadata))
        let fields = MariaDB.api.mysql_fetch_fields(metadata)!
        var kinds: [Kind] = []
        for index in 0..<count {
            switch fields[index].type {
            case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_INT24, MYSQL_TYPE_YEAR:
                kinds.append(.integer)
            case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE: kinds.append(.real)
            case MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP, MYSQL_TYPE_DATE: kinds.append(.time)
            case MYSQL_TYPE_DECIMAL, MYSQL_TYPE_NEWDECIMAL: kinds.append(.decimal)
            case MYSQL_TYPE_NULL: kinds.append(.null)
            default: kinds.append(.text)
            }
        }
        self.kinds = kinds
        let slots = max(count, 1)
        binds = .allocate(capacity: slots)
        binds.initialize(repeating: MYSQL_BIND(), count: slots)
        lengths = .allocate(capacity: slots)
        lengths.initialize(repeating: 0, count: slots)
        nulls = .allocate(capacity: slots)
        nulls.initialize(repeating: 0, count: slots)
        errors = .allocate(capacity: slots)
        errors.initialize(repeating: 0, count: slots)
        var buffers: [UnsafeMutableRawPointer] = []
        for (index, kind) in kinds.enumerated() {
            let size: Int
            switch kind {
            case .integer: binds[index].buffer_type = MYSQL_TYPE_LONGLONG; size = 8
            case .real: binds[index].buffer_type = MYSQL_TYPE_DOUBLE; size = 8
            case .time: binds[index].buffer_type = MYSQL_TYPE_DATETIME; size = MemoryLayout<MYSQL_TIME>.stride
            case .decimal, .text, .null: binds[index].buffer_type = MYSQL_TYPE_STRING; size = Self.textCapacity
            }
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            buffers.append(buffer)
            binds[index].buffer = buffer
            binds[index].buffer_length = UInt(size)
            binds[index].length = lengths + index
            binds[index].is_null = nulls + index
            binds[index].error = errors + index
        }
        self.buffers = buffers
    }

    func deallocate() {
        buffers.forEach { $0.deallocate() }
        binds.deallocate(); lengths.deallocate(); nulls.deallocate(); errors.deallocate()
    }

    /// The current row's values.
    func values(of statement: UnsafeMutablePointer<MYSQL_STMT>, sql: String) throws -> [SQLValue] {
        var row: [SQLValue] = []
        row.reserveCapacity(count)
        for index in 0..<count {
            if nulls[index] != 0 { row.append(.null); continue }
            switch kinds[index] {
            case .null: row.append(.null)
            case .integer: row.append(.integer(buffers[index].load(as: Int64.self)))
            case .real: row.append(.real(buffers[index].load(as: Double.self)))
            case .time: row.append(.integer(Self.microseconds(buffers[index].load(as: MYSQL_TIME.self))))
            case .decimal:
                let text = try self.text(at: index, statement: statement, sql: sql)
                row.append(Int64(text).map(SQLValue.integer) ?? Double(text).map(SQLValue.real) ?? .text(text))
            case .text: row.append(.text(try text(at: index, statement: statement, sql: sql)))
            }
        }
        return row
    }

    private func text(at index: Int, statement: UnsafeMutablePointer<MYSQL_STMT>, sql: String) throws -> String {
        let length = Int(lengths[index])
        if length <= Self.textCapacity {
            return String(decoding: UnsafeRawBufferPointer(start: buffers[index], count: length), as: UTF8.self)
        }
        // Longer than the buffer: fetch the whole value into one of its own.
        let whole = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 1)
        defer { whole.deallocate() }
        var bind = MYSQL_BIND()
        var fetched: UInt = 0
        return try withUnsafeMutablePointer(to: &fetched) { fetchedPointer in
            bind.buffer_type = MYSQL_TYPE_STRING
            bind.buffer = whole
            bind.buffer_length = UInt(length)
            bind.length = fetchedPointer
            guard MariaDB.api.mysql_stmt_fetch_column(statement, &bind, UInt32(index), 0) == 0 else {
                throw MySQLError(statement: statement, sql: sql)
            }
            return String(decoding: UnsafeRawBufferPointer(start: whole, count: min(length, Int(fetchedPointer.pointee))),
                          as: UTF8.self)
        }
    }

    /// A DATETIME (stored in UTC) as microseconds since the epoch.
    static func microseconds(_ time: MYSQL_TIME) -> Int64 {
        let days = CivilCalendar.days(year: Int(time.year), month: Int(time.month), day: Int(time.day))
        let seconds = ((days * 24 + Int64(time.hour)) * 60 + Int64(time.minute)) * 60 + Int64(time.second)
        return seconds * 1_000_000 + Int64(time.second_part)
    }

}
