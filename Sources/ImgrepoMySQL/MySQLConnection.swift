import CMariaDB
import ImgrepoSQL

/// Owns one `MYSQL*` session and closes it when released.
///
/// Sessions speak utf8mb4 with the byte-wise, no-pad collation the schema uses, in UTC, in
/// strict SQL mode, and at READ COMMITTED: writes see other processes' committed rows at once
/// (which turns a racing insert of the same hash into a duplicate), while `readTransaction`
/// asks for REPEATABLE READ and a consistent snapshot. Used from one thread at a time.
final class MySQLConnection {
    let location: MySQLLocation
    /// Kept only to reconnect; never printed.
    private let password: String?
    private(set) var handle: UnsafeMutablePointer<MYSQL>
    private(set) var isInTransaction = false
    /// Commands sent so far; the store compares it to tell "the first command of a call
    /// failed" (safe to retry after reconnecting) from a failure midway.
    private(set) var commandCount = 0

    static let connectTimeoutSeconds: UInt32 = 10

    /// The session settings every connection runs right after connecting.
    static let sessionSetup = [
        "SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin",
        "SET time_zone = '+00:00'",
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
        "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
        // ORDER BY compares only the first max_sort_length bytes of a text (1 KiB by default),
        // while WHERE compares all of it: keyset paging needs the two to agree. Texts that
        // differ only after 256 KiB still tie in ORDER BY (and are ordered by id); sort keys
        // that long need a larger sort buffer than the 2 MiB default.
        "SET SESSION max_sort_length = 262144",
        "SET SESSION sort_buffer_size = 16777216",
        // A record's keywords come back as one GROUP_CONCAT, which the server cuts (with only a
        // warning) at group_concat_max_len: 1 KiB by default in MySQL 8, 1 MiB in MariaDB. An
        // upload keeps at most 1,000 keywords of at most 64 KiB each (ExpatXMPDecoder): 64 MiB.
        "SET SESSION group_concat_max_len = 67108864",
    ]

    /// Connects to `location`; `database: false` connects without selecting the database
    /// (to create or drop it).
    init(location: MySQLLocation, password: String?, selectDatabase: Bool = true) throws {
        self.location = location
        self.password = password
        self.selectsDatabase = selectDatabase
        handle = try Self.connect(location, password: password, selectDatabase: selectDatabase)
        do {
            try setUpSession()
        } catch {
            MariaDB.api.mysql_close(handle)
            throw error
        }
    }

    private let selectsDatabase: Bool

    deinit {
        MariaDB.api.mysql_close(handle)
    }

    private static func connect(_ location: MySQLLocation, password: String?, selectDatabase: Bool) throws
        -> UnsafeMutablePointer<MYSQL> {
        try MariaDB.load()
        guard let mysql = MariaDB.api.mysql_init(nil) else { throw MySQLError(code: 2008, message: "out of memory") }
        var timeout = connectTimeoutSeconds
        _ = MariaDB.api.mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        _ = MariaDB.api.mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        // The catalogue never loads files from the client; refuse servers that ask for them.
        var no: my_bool = 0
        _ = MariaDB.api.mysql_options(mysql, MYSQL_OPT_LOCAL_INFILE, &no)
        let host = location.socketPath == nil ? location.host : "localhost"
        let connected = MariaDB.api.mysql_real_connect(
            mysql, host, location.user, password, selectDatabase ? location.database : nil,
            UInt32(location.port ?? 0), location.socketPath, 0)
        guard connected != nil else {
            let error = MySQLError(connection: mysql, sql: nil)
            MariaDB.api.mysql_close(mysql)
            throw error
        }
        return mysql
    }

    private func setUpSession() throws {
        for statement in Self.sessionSetup { try execute(statement) }
    }

    /// Drops the session and opens a new one (after the server went away). Prepared
    /// statements of the old session are dead: the caller drops its cache first.
    func reconnect() throws {
        let fresh = try Self.connect(location, password: password, selectDatabase: selectsDatabase)
        MariaDB.api.mysql_close(handle)
        handle = fresh
        isInTransaction = false
        try setUpSession()
    }

    /// Counts a command about to be sent.
    func willSend() { commandCount += 1 }

    /// Runs one statement over the text protocol (transaction control, DDL, SET) and discards
    /// any rows.
    func execute(_ sql: String) throws {
        _ = try query(sql)
    }

    /// Runs one statement over the text protocol and returns its rows as text (NULL as nil).
    /// For statements that cannot be prepared (`CHECK TABLE`) and small results only.
    func query(_ sql: String) throws -> [[String?]] {
        willSend()
        guard MariaDB.api.mysql_real_query(handle, sql, UInt(sql.utf8.count)) == 0 else {
            throw MySQLError(connection: handle, sql: sql)
        }
        guard let result = MariaDB.api.mysql_store_result(handle) else {
            if MariaDB.api.mysql_field_count(handle) != 0 { throw MySQLError(connection: handle, sql: sql) }
            return []
        }
        defer { MariaDB.api.mysql_free_result(result) }
        let columns = Int(MariaDB.api.mysql_num_fields(result))
        var rows: [[String?]] = []
        while let row = MariaDB.api.mysql_fetch_row(result) {
            guard let lengths = MariaDB.api.mysql_fetch_lengths(result) else { break }
            rows.append((0..<columns).map { index in
                row[index].map { pointer in
                    pointer.withMemoryRebound(to: UInt8.self, capacity: Int(lengths[index])) {
                        String(decoding: UnsafeBufferPointer(start: $0, count: Int(lengths[index])), as: UTF8.self)
                    }
                }
            })
        }
        return rows
    }

    /// Compiles one statement with `?` placeholders.
    func prepare(_ sql: String) throws -> MySQLStatement {
        try MySQLStatement(connection: self, sql: sql)
    }

    /// Runs `body` inside `START TRANSACTION` … `COMMIT`, rolling back when anything throws.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        guard !isInTransaction else {
            throw MySQLError(code: 0, message: "a write inside a read snapshot")
        }
        return try transaction(["START TRANSACTION"], body)
    }

    /// Runs `body` inside one REPEATABLE READ transaction started WITH CONSISTENT SNAPSHOT, so
    /// every SELECT sees the catalogue as of its start; inside a transaction already open,
    /// just runs `body`.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        guard !isInTransaction else { return try body() }
        return try transaction([
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
        ], body)
    }

    private func transaction<T>(_ begin: [String], _ body: () throws -> T) throws -> T {
        for statement in begin { try execute(statement) }
        isInTransaction = true
        defer { isInTransaction = false }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // The original error is the one worth reporting; a failed rollback adds nothing
            // (the server rolls back on its own when the session is gone).
            _ = MariaDB.api.mysql_real_query(handle, "ROLLBACK", 8)
            throw error
        }
    }
}

extension MySQLConnection: SQLRowReading {
    func allRows(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        try prepare(sql).rows(arguments)
    }
}
