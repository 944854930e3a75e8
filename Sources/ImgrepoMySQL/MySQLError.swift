import CMariaDB
import ImgrepoCore

/// A failed libmariadb call: the client or server error number, its message, and the SQL.
///
/// It never leaves this target: `MySQLMetadataStore` turns it into an `ImgrepoError`. Messages
/// come from libmariadb and the server, which never include the password.
struct MySQLError: Error, Equatable, CustomStringConvertible {
    /// `mysql_errno`: server errors below 2000 (`ER_DUP_ENTRY` 1062), client errors from 2000.
    var code: UInt32
    var message: String
    var sql: String?

    static let duplicateEntry: UInt32 = 1062        // ER_DUP_ENTRY
    static let deadlock: UInt32 = 1213              // ER_LOCK_DEADLOCK
    static let lockWaitTimeout: UInt32 = 1205       // ER_LOCK_WAIT_TIMEOUT
    static let serverGone: UInt32 = 2006            // CR_SERVER_GONE_ERROR
    static let serverLost: UInt32 = 2013            // CR_SERVER_LOST
    static let serverLostExtended: UInt32 = 2055    // CR_SERVER_LOST_EXTENDED

    var description: String {
        if let sql { return "mysql error \(code): \(message) (in \(sql))" }
        return "mysql error \(code): \(message)"
    }

    /// The connection is gone: the server restarted, timed the session out, or the network broke.
    var isConnectionLost: Bool {
        code == Self.serverGone || code == Self.serverLost || code == Self.serverLostExtended
    }

    init(code: UInt32, message: String, sql: String? = nil) {
        self.code = code; self.message = message; self.sql = sql
    }

    /// The error libmariadb left on `connection`.
    init(connection: UnsafeMutablePointer<MYSQL>, sql: String?) {
        code = MariaDB.api.mysql_errno(connection)
        message = MariaDB.api.mysql_error(connection).map { String(cString: $0) } ?? ""
        self.sql = sql
    }

    /// The error libmariadb left on `statement`.
    init(statement: UnsafeMutablePointer<MYSQL_STMT>, sql: String?) {
        code = MariaDB.api.mysql_stmt_errno(statement)
        message = MariaDB.api.mysql_stmt_error(statement).map { String(cString: $0) } ?? ""
        self.sql = sql
    }

    /// What a caller of the store sees: `databaseUnavailable` naming the location, with the
    /// server's message; the SQL stays here for debugging.
    func imgrepoError(location: MySQLLocation) -> ImgrepoError {
        .databaseUnavailable(location: location.description, reason: "\(message) (error \(code))")
    }
}
